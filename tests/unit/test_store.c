/* test_store.c - unit tests for gateway/store.c: reference
 * allocation per year (and its rollback), message dedupe, incident round-trip and listing filters,
 * rules, outbox life cycle, ack counting, threading look-ups, savepoints
 * the state hash across transactions and failure counts (opening and
 * upgrading: test_store_open.c; the integrity check: test_store_verify.c). Every
 * test runs on a fresh store in a temporary directory that is removed
 * afterwards, or on a fresh PostgreSQL schema (test_database.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/store_fixture.h"

/* --- helpers --- */

static gboolean add_reference(const IgListedIncident *row, gpointer data, GError **error)
{
  GString *got = data;
  g_string_append_printf(got, "%s%s", got->len ? " " : "", row->incident->reference);
  return TRUE;
}

/* The references a filter lists, space separated, must be want. */
static void expect_list(Fixture *f, const IgIncidentFilter *filter, const char *want)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) got = g_string_new(NULL);
  check(store_each_incident(f->store, filter, FALSE, add_reference, got, &error), error);
  assert_string_equal(got->str, want);
}

static void check_fire(Fixture *f, gint64 incident_id, const char *rule, gboolean want_first)
{
  g_autoptr(GError) error = NULL;
  gboolean first = -1;
  check(store_fire_rule(f->store, incident_id, rule, T0, &first, &error), error);
  assert_int_equal(first, want_first);
}

static gint64 acks(Fixture *f, const char *address, const char *since)
{
  g_autoptr(GError) error = NULL;
  gint64 n = store_count_acks_since(f->store, address, since, &error);
  check(n >= 0, error);
  return n;
}

static gint64 thread_of(Fixture *f, const char *const *ids)
{
  g_autoptr(GError) error = NULL;
  gint64 id = store_incident_for_message_ids(f->store, ids, &error);
  assert_null(error);
  return id;
}

/* --- tests --- */

/* Two processes on one store (run and an MTA's ingest): what one of them
 * changes in an incident is hashed into the next event the other records,
 * never a state the other remembered from its last transaction. */
static void test_state_hashed_afresh_in_each_transaction(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  gint64 second = add_incident(f, "INC-2026-000002", "new", "low", T0);
  check(store_begin(f->store, &error), error);
  add_event(f, second, "created", "from the form");
  add_event(f, inc, "created", "from the form");
  check(store_commit(f->store, &error), error);
  IgStore *other = open_store(f->path);
  check(store_begin(other, &error), error);
  check(store_add_deadline(other, inc, "triage", T0, &error), error);
  check(store_add_event(other, inc, T0, "gateway", "deadline_set", "triage", &error), error);
  check(store_commit(other, &error), error);
  store_close(other);
  check(store_begin(f->store, &error), error);
  add_event(f, inc, "note", "after the other process");
  check(store_commit(f->store, &error), error);
  IgVerifyCounts n;
  check(store_verify(f->store, &n, &error), error);
}

/* Outside a transaction an event and the chain's head move together or
 * not at all: an event left without its head would take the id the next
 * one needs, and no event could ever be added again. */
static void test_event_outside_transaction_is_atomic(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  check(store_add_event(f->store, inc, T0, "gateway", "created", "from the form", &error),
        error);
  add_failing_trigger(f, "head_fails", "BEFORE UPDATE", "audit_head", "head not written");
  assert_false(store_add_event(f->store, inc, T0, "gateway", "note", "lost", &error));
  assert_non_null(strstr(error->message, "head not written"));
  g_clear_error(&error);
  g_autofree char *events = sql(f, "SELECT count(*) FROM events");
  assert_string_equal(events, "1");
  drop_failing_trigger(f, "head_fails", "audit_head");
  check(store_add_event(f->store, inc, T0, "gateway", "note", "kept", &error), error);
  IgVerifyCounts n;
  check(store_verify(f->store, &n, &error), error);
  assert_int_equal(n.events, 2);
}

/* A message that fails is rolled back to its savepoint: what it had
 * changed in an incident is gone from the next event's state too. */
static void test_state_after_rollback_to_savepoint(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  check(store_begin(f->store, &error), error);
  add_event(f, inc, "created", "from the form");
  check(store_savepoint(f->store, &error), error);
  check(store_add_deadline(f->store, inc, "triage", T0, &error), error);
  add_event(f, inc, "deadline_set", "triage");
  store_rollback_to(f->store);
  add_event(f, inc, "note", "after the failed message");
  check(store_commit(f->store, &error), error);
  IgVerifyCounts n;
  check(store_verify(f->store, &n, &error), error);
}


static void test_references(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  static const struct { int year; const char *want; } steps[] = {
    { 2026, "INC-2026-000001" }, { 2026, "INC-2026-000002" },
    { 2027, "INC-2027-000001" }, { 2026, "INC-2026-000003" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
    check(store_begin(f->store, &error), error);
    g_autofree char *ref = next_ref(f, steps[i].year);
    check(store_commit(f->store, &error), error);
    assert_string_equal(ref, steps[i].want);
  }
  reopen(f);
  g_autofree char *after = next_ref(f, 2026);
  assert_string_equal(after, "INC-2026-000004");
  g_autofree char *y27 = next_ref(f, 2027);
  assert_string_equal(y27, "INC-2027-000002");

  /* A rolled-back transaction does not consume a number. */
  check(store_begin(f->store, &error), error);
  g_autofree char *lost = next_ref(f, 2026);
  assert_string_equal(lost, "INC-2026-000005");
  store_rollback(f->store);
  g_autofree char *reused = next_ref(f, 2026);
  assert_string_equal(reused, "INC-2026-000005");
}

static void test_message_seen(void **state)
{
  Fixture *f = *state;
  const char *raw = "Subject: one\n\nbody\n";
  g_autofree char *sha = hash_sha256_hex(raw, strlen(raw));
  put_message(f, "one@example.org", raw, 0, TRUE);
  put_message(f, NULL, "Subject: no id\n\nbody\n", 0, TRUE);
  assert_true(seen(f, sha, NULL));
  assert_true(seen(f, sha, "other@example.org"));
  assert_true(seen(f, "0000", "one@example.org"));
  assert_false(seen(f, "0000", "other@example.org"));
  /* A message without Message-ID matches only by hash, never NULL = NULL. */
  assert_false(seen(f, "0000", NULL));
}

static void test_message_unique(void **state)
{
  Fixture *f = *state;
  put_message(f, "dup@example.org", "Subject: x\n\nbody\n", 0, TRUE);
  put_message(f, "new@example.org", "Subject: x\n\nbody\n", 0, FALSE);  /* same sha256 */
  put_message(f, "dup@example.org", "Subject: y\n\nother\n", 0, FALSE); /* same id */
  put_message(f, NULL, "Subject: a\n\n1\n", 0, TRUE); /* many without an id */
  put_message(f, NULL, "Subject: b\n\n2\n", 0, TRUE);

  /* The raw bytes come back verbatim, NUL included. */
  static const char raw[] = "Subject: x\n\nwith a \0 NUL\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = hash_sha256_hex(raw, sizeof raw - 1);
  IgMessageIn in = { .sha256 = sha, .raw = raw, .raw_len = sizeof raw - 1,
                     .received_at = T0, .kind = "report", .recorded_at = T0 };
  gint64 id = store_add_message(f->store, &in, &error);
  check(id > 0, error);
  g_autoptr(GBytes) back = store_message_raw(f->store, id, &error);
  check(back != NULL, error);
  assert_int_equal(g_bytes_get_size(back), sizeof raw - 1);
  assert_memory_equal(g_bytes_get_data(back, NULL), raw, sizeof raw - 1);
  assert_null(store_message_raw(f->store, 9999, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
}

static IgIncident *full_incident(const char *ref)
{
  IgIncident *inc = minimal_incident(ref, "2026-11-22T14:40:12Z");
  set(&inc->impact, "medium"); set(&inc->category, "phishing");
  set(&inc->personal_data, "yes"); set(&inc->reporter_name, "Jane O'Smith");
  set(&inc->reporter_email, "jane.smith@justice.gov.uk");
  set(&inc->reporter_phone, "020 7946 0000"); set(&inc->business_area, "HMPPS");
  set(&inc->supplier, "Example Supplier Ltd"); set(&inc->via, "supplier");
  set(&inc->source, "forward"); set(&inc->forwarded_by, "helpdesk@example-supplier.co.uk");
  set(&inc->detected_at, "2026-11-22T14:05:00Z");
  set(&inc->occurred_at, "2026-11-22T13:00:00Z");
  set(&inc->systems_affected, "Outlook; \"Teams\"");
  set(&inc->information_asset, "Prison NOMIS");
  set(&inc->asset_owner, "nomis.iao@justice.gov.uk"); set(&inc->summary, "Phishing mail");
  set(&inc->description, "Line one\nLine two – café"); set(&inc->actions_taken, "Deleted");
  set(&inc->owner, "alice@justice.gov.uk"); set(&inc->updated_at, "2026-11-22T15:00:00Z");
  inc->near_miss = TRUE;
  inc->reported_late = 0;
  inc->minutes_to_report = 35;
  g_strfreev(inc->missing_fields);
  inc->missing_fields = g_strsplit("systems_affected,information_asset", ",", -1);
  return inc;
}

static IgIncident *get_incident(Fixture *f, const char *ref)
{
  g_autoptr(GError) error = NULL;
  IgIncident *inc = store_get_incident(f->store, ref, &error);
  check(inc != NULL, error);
  return inc;
}

#define SAME_STR(field) assert_string_equal(got->field, want->field)

static void test_incident_round_trip(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autoptr(IgIncident) want = full_incident("INC-2026-000042");
  check(store_add_incident(f->store, want, &error), error);
  g_autoptr(IgIncident) got = get_incident(f, "INC-2026-000042");
  assert_int_equal(got->id, want->id);
  SAME_STR(reference); SAME_STR(status); SAME_STR(impact); SAME_STR(category);
  SAME_STR(personal_data); SAME_STR(reporter_name); SAME_STR(reporter_email);
  SAME_STR(reporter_phone); SAME_STR(business_area); SAME_STR(supplier); SAME_STR(via);
  SAME_STR(source); SAME_STR(forwarded_by); SAME_STR(detected_at); SAME_STR(occurred_at);
  SAME_STR(received_at); SAME_STR(systems_affected); SAME_STR(information_asset);
  SAME_STR(asset_owner); SAME_STR(summary); SAME_STR(description);
  SAME_STR(actions_taken); SAME_STR(owner); SAME_STR(created_at); SAME_STR(updated_at);
  assert_true(got->near_miss);
  assert_int_equal(got->reported_late, 0);
  assert_int_equal(got->minutes_to_report, 35);
  assert_int_equal(g_strv_length(got->missing_fields), 2);
  assert_string_equal(got->missing_fields[0], "systems_affected");
  assert_string_equal(got->missing_fields[1], "information_asset");

  /* Unknowns stay unknown; late is kept as 1. */
  g_autoptr(IgIncident) bare = minimal_incident("INC-2026-000043", T0);
  check(store_add_incident(f->store, bare, &error), error);
  g_autoptr(IgIncident) late = minimal_incident("INC-2026-000044", T0);
  late->reported_late = 1;
  late->minutes_to_report = 0;
  check(store_add_incident(f->store, late, &error), error);
  g_autoptr(IgIncident) b = get_incident(f, "INC-2026-000043");
  assert_null(b->impact); assert_null(b->category); assert_null(b->personal_data);
  assert_null(b->reporter_name); assert_null(b->detected_at); assert_null(b->owner);
  assert_false(b->near_miss);
  assert_int_equal(b->reported_late, -1);
  assert_int_equal(b->minutes_to_report, -1);
  assert_true(b->missing_fields && !b->missing_fields[0]);
  g_autoptr(IgIncident) l = get_incident(f, "INC-2026-000044");
  assert_int_equal(l->reported_late, 1);
  assert_int_equal(l->minutes_to_report, 0);

  /* Look-ups by id and reference; an unknown reference is NULL, no error. */
  assert_int_equal(store_incident_id(f->store, "INC-2026-000042", &error), want->id);
  g_autofree char *ref = store_incident_reference(f->store, want->id, &error);
  assert_string_equal(ref, "INC-2026-000042");
  assert_null(store_get_incident(f->store, "INC-2026-999999", &error));
  assert_null(error);
  assert_int_equal(store_incident_id(f->store, "INC-2026-999999", &error), 0);
  g_autoptr(IgIncident) dup = minimal_incident("INC-2026-000042", T0);
  assert_false(store_add_incident(f->store, dup, &error)); /* a reference is unique */
  assert_non_null(error);
}

static void test_list_filters(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 a = add_incident(f, "INC-A", "new", "high", "2026-01-01T10:00:00Z");
  gint64 b = add_incident(f, "INC-B", "triaged", "low", "2026-01-02T10:00:00Z");
  add_incident(f, "INC-C", "closed", "medium", "2026-01-03T10:00:00Z");
  gint64 d = add_incident(f, "INC-D", "resolved", "high", "2026-01-04T10:00:00Z");
  add_incident(f, "INC-E", "investigating", NULL, "2026-01-05T10:00:00Z");
  check(store_add_deadline(f->store, a, "triage", "2026-01-01T11:00:00Z", &error), error);
  check(store_add_deadline(f->store, b, "triage", "2026-02-01T10:00:00Z", &error), error);
  check(store_add_deadline(f->store, d, "triage", "2026-01-04T11:00:00Z", &error), error);

  expect_list(f, NULL, "INC-E INC-D INC-C INC-B INC-A");
  expect_list(f, &(IgIncidentFilter){ 0 }, "INC-E INC-D INC-C INC-B INC-A");
  expect_list(f, &(IgIncidentFilter){ .status = "new" }, "INC-A");
  expect_list(f, &(IgIncidentFilter){ .impact = "high" }, "INC-D INC-A");
  expect_list(f, &(IgIncidentFilter){ .open_only = TRUE }, "INC-E INC-B INC-A");
  expect_list(f, &(IgIncidentFilter){ .overdue_only = TRUE, .now = "2026-01-15T00:00:00Z" },
              "INC-D INC-A");
  expect_list(f, &(IgIncidentFilter){ .overdue_only = TRUE, .now = "2026-03-01T00:00:00Z" },
              "INC-D INC-B INC-A");
  expect_list(f, &(IgIncidentFilter){ .overdue_only = TRUE, .now = "2026-01-01T11:00:00Z" },
              "");
  expect_list(f, &(IgIncidentFilter){ .open_only = TRUE, .overdue_only = TRUE,
                                      .now = "2026-01-15T00:00:00Z" }, "INC-A");
  expect_list(f, &(IgIncidentFilter){ .status = "triaged", .impact = "high" }, "");

  g_autoptr(GPtrArray) dl = store_incident_deadlines(f->store, a, &error);
  check(dl != NULL, error);
  assert_int_equal(dl->len, 1);
  IgDeadlineRec *t = g_ptr_array_index(dl, 0);
  assert_string_equal(t->kind, "triage");
  assert_string_equal(t->due_at, "2026-01-01T11:00:00Z");
  assert_string_equal(t->state, "pending");
}

static void test_fire_rule(void **state)
{
  Fixture *f = *state;
  gint64 a = add_incident(f, "INC-A", "new", "high", T0);
  gint64 b = add_incident(f, "INC-B", "new", "high", T0);
  check_fire(f, a, "siro", TRUE);
  check_fire(f, a, "siro", FALSE);
  check_fire(f, a, "dacu", TRUE);
  check_fire(f, b, "siro", TRUE);
  check_fire(f, a, "dacu", FALSE);
}

static void test_outbox(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  gint64 one = add_outbox(f, inc, "ack", "jane@example.org", "o1@gw", "2026-01-01T10:00:00Z");
  gint64 two = add_outbox(f, 0, "ost_new", "ost@example.org", "o2@gw", "2026-01-01T10:05:00Z");

  g_autoptr(IgOutboxRec) none = store_outbox_claim(f->store, "2026-01-01T09:59:59Z", "me 1",
                                                   "2026-01-01T10:09:59Z", &error);
  assert_null(none);
  assert_null(error);
  g_autoptr(IgOutboxRec) r = claim(f, "2026-01-01T10:05:00Z", "me 1");
  assert_int_equal(r->id, one); /* oldest first, with its body */
  assert_string_equal(r->state, "pending");
  assert_string_equal(r->reference, "INC-2026-000001");
  assert_string_equal(r->to, "jane@example.org");
  assert_string_equal(r->message_id, "o1@gw");
  assert_true(r->body && g_bytes_get_size(r->body) == strlen(BODY));
  assert_memory_equal(g_bytes_get_data(r->body, NULL), BODY, strlen(BODY));
  g_autoptr(IgOutboxRec) r2 = claim(f, "2026-01-01T10:05:00Z", "me 1");
  assert_int_equal(r2->id, two);
  assert_null(r2->reference);
  expect_no_claim(f, "2026-01-01T10:05:00Z");

  check(store_outbox_sent(f->store, one, "2026-01-01T10:06:00Z", &error), error);
  check(store_outbox_retry(f->store, two, "2026-01-01T10:10:00Z", FALSE, "timeout", &error),
        error);
  expect_no_claim(f, "2026-01-01T10:09:59Z");
  g_autoptr(IgOutboxRec) retry = claim(f, "2026-01-01T10:10:00Z", "me 1");
  assert_int_equal(retry->id, two);
  assert_int_equal(retry->attempts, 1);
  assert_string_equal(retry->last_error, "timeout");
  assert_string_equal(retry->next_attempt_at, "2026-01-01T10:10:00Z");

  check(store_outbox_retry(f->store, two, "2026-01-01T10:30:00Z", TRUE, "550 no such user",
                           &error), error);
  g_autoptr(GPtrArray) all = store_list_outbox(f->store, FALSE, &error);
  check(all != NULL, error);
  assert_int_equal(all->len, 2);
  IgOutboxRec *l = g_ptr_array_index(all, 0); /* newest first, without bodies */
  assert_int_equal(l->id, two);
  assert_string_equal(l->state, "failed");
  assert_int_equal(l->attempts, 2);
  assert_string_equal(l->last_error, "550 no such user");
  assert_null(l->body);
  l = g_ptr_array_index(all, 1);
  assert_string_equal(l->state, "sent");
  assert_int_equal(l->attempts, 1);
  assert_null(l->last_error);
  assert_string_equal(l->kind, "mail");
  assert_string_equal(l->created_at, "2026-01-01T10:00:00Z");

  g_autoptr(GPtrArray) pending0 = store_list_outbox(f->store, TRUE, &error);
  assert_int_equal(pending0->len, 0);
  gint64 three = add_outbox(f, inc, "ack", "bob@example.org", "o3@gw", "2026-01-01T11:00:00Z");
  g_autoptr(GPtrArray) pending = store_list_outbox(f->store, TRUE, &error);
  assert_int_equal(pending->len, 1);
  assert_int_equal(((IgOutboxRec *)g_ptr_array_index(pending, 0))->id, three);
  g_autoptr(IgOutboxRec) last = claim(f, "2027-01-01T00:00:00Z", "me 1");
  assert_int_equal(last->id, three);
  expect_no_claim(f, "2027-01-01T00:00:00Z"); /* sent and failed rows are never due again */
}

/* A claimed row is no one else's until its claim lapses or is released;
 * it still reads as pending. A row sent by another process meanwhile
 * stays sent when the first one reports its failure. */
static void test_outbox_claims(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 one = add_outbox(f, 0, "ack", "jane@example.org", "o1@gw", T0);
  g_autoptr(IgOutboxRec) a = claim(f, "2026-01-01T10:00:00Z", "host-a 1");
  assert_int_equal(a->id, one);
  expect_no_claim(f, "2026-01-01T10:10:00Z"); /* claimed until 10:10 */
  g_autoptr(GPtrArray) pending = store_list_outbox(f->store, TRUE, &error);
  assert_int_equal(pending->len, 1);
  assert_string_equal(((IgOutboxRec *)g_ptr_array_index(pending, 0))->state, "pending");
  g_autoptr(GPtrArray) owners = store_outbox_claimers(f->store, &error);
  check(owners != NULL, error);
  assert_int_equal(owners->len, 1);
  assert_string_equal(g_ptr_array_index(owners, 0), "host-a 1");

  /* The claim lapses: another process takes the row, same Message-ID. */
  g_autoptr(IgOutboxRec) b = claim(f, "2026-01-01T10:10:01Z", "host-b 2");
  assert_int_equal(b->id, one);
  assert_string_equal(b->message_id, "o1@gw");
  check(store_outbox_sent(f->store, one, "2026-01-01T10:10:02Z", &error), error);
  check(store_outbox_retry(f->store, one, "2026-01-01T10:20:00Z", FALSE, "late", &error), error);
  g_autoptr(GPtrArray) all = store_list_outbox(f->store, FALSE, &error);
  assert_string_equal(((IgOutboxRec *)g_ptr_array_index(all, 0))->state, "sent");

  /* Released claims are free at once; others' claims are kept. */
  gint64 two = add_outbox(f, 0, "ack", "bob@example.org", "o2@gw", T0);
  gint64 three = add_outbox(f, 0, "ack", "amy@example.org", "o3@gw", T0);
  g_autoptr(IgOutboxRec) c = claim(f, "2026-01-01T11:00:00Z", "host-a 1");
  g_autoptr(IgOutboxRec) d = claim(f, "2026-01-01T11:00:00Z", "host-b 2");
  assert_int_equal(c->id, two);
  assert_int_equal(d->id, three);
  check(store_outbox_release(f->store, "host-a 1", &error), error);
  g_autoptr(IgOutboxRec) e = claim(f, "2026-01-01T11:00:00Z", "host-c 3");
  assert_int_equal(e->id, two);
  expect_no_claim(f, "2026-01-01T11:00:00Z");
}

static void test_count_acks(void **state)
{
  Fixture *f = *state;
  const char *jane = "jane@example.org";
  add_outbox(f, 0, "ack", jane, "a1@gw", "2026-01-01T10:00:00Z");
  add_outbox(f, 0, "ack", jane, "a2@gw", "2026-01-01T11:00:00Z");
  add_outbox(f, 0, "ack", jane, "a3@gw", "2026-01-01T12:00:00Z");
  add_outbox(f, 0, "ost_new", jane, "n1@gw", "2026-01-01T11:30:00Z");
  add_outbox(f, 0, "ack", "bob@example.org", "b1@gw", "2026-01-01T11:30:00Z");
  assert_int_equal(acks(f, jane, "2026-01-01T09:00:00Z"), 3);
  assert_int_equal(acks(f, jane, "2026-01-01T10:30:00Z"), 2);
  assert_int_equal(acks(f, jane, "2026-01-01T12:00:00Z"), 0);
  assert_int_equal(acks(f, "bob@example.org", "2026-01-01T10:30:00Z"), 1);
  assert_int_equal(acks(f, "carol@example.org", "2026-01-01T00:00:00Z"), 0);
}

static void test_thread_lookup(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 x = add_incident(f, "INC-X", "new", "low", T0);
  gint64 y = add_incident(f, "INC-Y", "new", "low", T0);
  put_message(f, "in1@example.org", "Subject: in\n\n1\n", x, TRUE);
  put_message(f, "lonely@example.org", "Subject: lonely\n\n2\n", 0, TRUE);
  add_outbox(f, y, "ack", "jane@example.org", "out1@gw.example", T0);

  assert_int_equal(thread_of(f, (const char *[]){ "nope@x", "in1@example.org", NULL }), x);
  assert_int_equal(thread_of(f, (const char *[]){ "out1@gw.example", NULL }), y);
  assert_int_equal(thread_of(f, (const char *[]){ "lonely@example.org", NULL }), 0);
  assert_int_equal(thread_of(f, (const char *[]){ NULL }), 0);
  assert_int_equal(thread_of(f, NULL), 0);

  g_autoptr(GPtrArray) unmatched = store_list_messages(f->store, TRUE, &error);
  check(unmatched != NULL, error);
  assert_int_equal(unmatched->len, 1);
  IgMessageRec *u = g_ptr_array_index(unmatched, 0);
  assert_string_equal(u->message_id, "lonely@example.org");
  assert_null(u->reference);
  g_autoptr(GPtrArray) every = store_list_messages(f->store, FALSE, &error);
  assert_int_equal(every->len, 2);
  IgMessageRec *in1 = g_ptr_array_index(every, 1); /* same time: newest id first */
  assert_string_equal(in1->reference, "INC-X");
  assert_string_equal(in1->kind, "report");
  assert_string_equal(in1->direction, "in");

  g_autoptr(GPtrArray) msgs = store_incident_messages(f->store, y, &error);
  check(msgs != NULL, error);
  assert_int_equal(msgs->len, 1);
  IgMessageRec *m = g_ptr_array_index(msgs, 0);
  assert_string_equal(m->direction, "out");
  assert_string_equal(m->message_id, "out1@gw.example");
  assert_string_equal(m->reference, "INC-Y");
}

static void test_savepoints(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  check(store_begin(f->store, &error), error);
  g_autofree char *ra = next_ref(f, 2026);
  add_incident(f, ra, "new", NULL, T0);
  check(store_savepoint(f->store, &error), error);
  g_autofree char *rb = next_ref(f, 2026);
  assert_string_equal(rb, "INC-2026-000002");
  add_incident(f, rb, "new", NULL, T0);
  put_message(f, "b@example.org", "Subject: b\n\nb\n", 0, TRUE);
  store_rollback_to(f->store); /* undoes B and its message only */
  check(store_savepoint(f->store, &error), error);
  g_autofree char *rc = next_ref(f, 2026);
  assert_string_equal(rc, "INC-2026-000002");
  add_incident(f, rc, "new", NULL, T0);
  check(store_release(f->store, &error), error);
  check(store_commit(f->store, &error), error);

  reopen(f);
  expect_list(f, NULL, "INC-2026-000002 INC-2026-000001");
  assert_false(seen(f, "none", "b@example.org"));
}

static void test_note_failure(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  assert_int_equal(store_note_failure(f->store, "abc", "boom", "t1", &error), 1);
  assert_int_equal(store_note_failure(f->store, "abc", "boom", "t2", &error), 2);
  assert_int_equal(store_note_failure(f->store, "def", "boom", "t2", &error), 1);
  assert_int_equal(store_note_failure(f->store, "abc", "boom", "t3", &error), 3);
  assert_null(error);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_references),
    T(test_event_outside_transaction_is_atomic),
    T(test_message_seen),
    T(test_message_unique),
    T(test_incident_round_trip),
    T(test_list_filters),
    T(test_fire_rule),
    T(test_outbox),
    T(test_outbox_claims),
    T(test_state_hashed_afresh_in_each_transaction),
    T(test_state_after_rollback_to_savepoint),
    T(test_count_acks),
    T(test_thread_lookup),
    T(test_savepoints),
    T(test_note_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_store_fields.c - unit tests for the case store's readers
 * (gateway/store_*.c): each kind of record written through store.h and
 * read back with every field checked, so that no field comes back empty,
 * stale or from the wrong column. Every test runs on a fresh store in a
 * temporary directory, or a fresh PostgreSQL schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "gateway/store_db.h"
#include "tests/unit/store_fixture.h"

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/* --- audit events --- */

#define MAIL "Subject: event round trip\n\nA report.\n"

/* The three events test_events_round_trip writes, as they must read back:
 * a note, the recording of a message, a note. */
static void expect_events(Fixture *f, GPtrArray *events, gint64 inc, gint64 msg)
{
  g_autoptr(GError) error = NULL;
  assert_int_equal(events->len, 3);
  static const char *const at[] = { "2026-01-01T10:00:01Z", "2026-01-01T10:00:02Z",
                                    "2026-01-01T10:00:03Z" };
  static const char *const actor[] = { "alice", "gateway", "bob" };
  static const char *const type[] = { "created", "stored", "note" };
  g_autofree char *sha = hash_sha256_hex(MAIL, strlen(MAIL));
  for (guint i = 0; i < events->len; i++) {
    const IgEventRec *e = g_ptr_array_index(events, i);
    assert_int_equal(e->id, i + 1);
    assert_string_equal(e->at, at[i]);
    assert_string_equal(e->actor, actor[i]);
    assert_string_equal(e->type, type[i]);
    assert_int_equal(strlen(e->hash), 64);
    assert_int_equal(strlen(e->state), 64);
    if (i == 0) {
      assert_string_equal(e->prev_hash, GENESIS_HASH);
    } else {
      const IgEventRec *before = g_ptr_array_index(events, i - 1);
      assert_string_equal(e->prev_hash, before->hash);
    }
  }
  const IgEventRec *created = g_ptr_array_index(events, 0);
  const IgEventRec *stored = g_ptr_array_index(events, 1);
  const IgEventRec *note = g_ptr_array_index(events, 2);
  assert_string_equal(created->detail, "from the form");
  assert_int_equal(created->message_row, 0);
  assert_null(created->message_sha256);
  g_autofree char *detail = g_strdup_printf("message %" G_GINT64_FORMAT " stored: report, %zu"
                                            " bytes", msg, strlen(MAIL));
  assert_string_equal(stored->detail, detail);
  assert_int_equal(stored->message_row, msg);
  assert_string_equal(stored->message_sha256, sha);
  assert_string_not_equal(stored->state, created->state); /* it holds the message now */
  assert_string_equal(note->detail, "called back");
  assert_int_equal(note->message_row, 0);
  assert_null(note->message_sha256);

  g_autofree char *head = NULL, *head_at = NULL;
  check(store_audit_head(f->store, &head, &head_at, &error), error);
  assert_string_equal(note->hash, head);
  assert_string_equal(head_at, at[2]);
  g_autofree char *now = sq_incident_state(f->store, inc, &error);
  check(now != NULL, error);
  assert_string_equal(note->state, now);
  assert_string_equal(stored->state, now); /* a note changes nothing */
}

static gboolean keep_events(const IgListedIncident *row, gpointer data, GError **error)
{
  GPtrArray *events = data;
  for (guint i = 0; i < row->events->len; i++) {
    const IgEventRec *e = g_ptr_array_index(row->events, i);
    IgEventRec *copy = g_new0(IgEventRec, 1);
    *copy = (IgEventRec){ e->id, g_strdup(e->at), g_strdup(e->actor), g_strdup(e->type),
                          g_strdup(e->detail), g_strdup(e->prev_hash), g_strdup(e->hash),
                          e->message_row, g_strdup(e->message_sha256), g_strdup(e->state) };
    g_ptr_array_add(events, copy);
  }
  return TRUE;
}

/* An incident's history as a case officer or an export reads it: who did
 * what when, the message each event recorded, and the chain fields an
 * auditor checks by hand (each event's link to the one before, the head,
 * the incident's state after it), alike from both ways of reading it. */
static void test_events_round_trip(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  check(store_add_event(f->store, inc, "2026-01-01T10:00:01Z", "alice", "created",
                        "from the form", &error), error);
  g_autofree char *sha = hash_sha256_hex(MAIL, strlen(MAIL));
  IgMessageIn in = {
    .message_id = "m1@example.org", .sha256 = sha, .raw = MAIL, .raw_len = strlen(MAIL),
    .from_addr = "jane@example.org", .subject = "s", .received_at = T0, .kind = "report",
    .incident_id = inc, .recorded_at = "2026-01-01T10:00:02Z",
  };
  gint64 msg = store_add_message(f->store, &in, &error);
  check(msg > 0, error);
  check(store_add_event(f->store, inc, "2026-01-01T10:00:03Z", "bob", "note", "called back",
                        &error), error);

  g_autoptr(GPtrArray) events = store_incident_events(f->store, inc, &error);
  check(events != NULL, error);
  expect_events(f, events, inc, msg);

  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func((GDestroyNotify)event_rec_free);
  check(store_each_incident(f->store, NULL, TRUE, keep_events, listed, &error), error);
  expect_events(f, listed, inc, msg);
}

/* --- evidence and observables --- */

static IgObservable *observable(const char *type, const char *value, const char *defanged,
                                const char *sha256)
{
  IgObservable *o = g_new0(IgObservable, 1);
  o->type = g_strdup(type);
  o->value = g_strdup(value);
  o->defanged = g_strdup(defanged);
  o->sha256 = g_strdup(sha256);
  return o;
}

#define FILE_SHA "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

/* An incident with two phishing mails reported as evidence and three
 * indicators, recorded at created. */
static gint64 add_phish(Fixture *f, const char *ref, const char *created)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IgIncident) inc = minimal_incident(ref, created);
  IgEvidence *e = g_new0(IgEvidence, 1);
  e->from_addr = g_strdup("billing@evil.example");
  e->from_name = g_strdup("Billing Team");
  e->reply_to = g_strdup("collect@evil.example");
  e->return_path = g_strdup("bounce@evil.example");
  e->subject = g_strdup("Invoice overdue");
  e->date = g_strdup("2026-01-01T09:00:00Z");
  e->sha256 = g_strdup(FILE_SHA);
  e->relays = g_strsplit("from a.evil.example by mx1\nfrom mx1 by mx2", "\n", -1);
  g_ptr_array_add(inc->evidence, e);
  IgEvidence *bare = g_new0(IgEvidence, 1);
  bare->return_path = g_strdup("");
  bare->sha256 = g_strdup("0000");
  bare->relays = g_new0(char *, 1);
  g_ptr_array_add(inc->evidence, bare);
  g_ptr_array_add(inc->observables, observable("email", "billing@evil.example",
                                               "billing[@]evil[.]example", NULL));
  g_ptr_array_add(inc->observables, observable("url", "https://evil.example/pay",
                                               "hxxps://evil[.]example/pay", NULL));
  g_ptr_array_add(inc->observables, observable("file", "invoice.exe", "invoice.exe",
                                               FILE_SHA));
  check(store_add_incident(f->store, inc, &error), error);
  check(store_add_evidence(f->store, inc, &error), error);
  return inc->id;
}

static void expect_observable(GPtrArray *list, guint i, const char *ref, const char *type,
                              const char *value, const char *defanged, const char *sha256,
                              const char *recorded_at)
{
  const IgObservable *o = g_ptr_array_index(list, i);
  assert_string_equal(o->reference, ref);
  assert_string_equal(o->type, type);
  assert_string_equal(o->value, value);
  assert_string_equal(o->defanged, defanged);
  if (sha256)
    assert_string_equal(o->sha256, sha256);
  else
    assert_null(o->sha256);
  assert_string_equal(o->recorded_at, recorded_at);
}

/* The suspicious mail an incident reports, read back for its case file
 * and export as it was reported (sender, reply path, relays, hash, an
 * empty return path apart from an unknown one), and its indicators for
 * the STIX feed, by incident and by time. */
static void test_evidence_round_trip(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_phish(f, "INC-2026-000001", "2026-01-01T10:00:00Z");
  add_phish(f, "INC-2026-000002", "2026-01-02T10:00:00Z");

  g_autoptr(GPtrArray) evidence = store_incident_evidence(f->store, inc, &error);
  check(evidence != NULL, error);
  assert_int_equal(evidence->len, 2);
  const IgEvidence *e = g_ptr_array_index(evidence, 0);
  assert_string_equal(e->from_addr, "billing@evil.example");
  assert_string_equal(e->from_name, "Billing Team");
  assert_string_equal(e->reply_to, "collect@evil.example");
  assert_string_equal(e->return_path, "bounce@evil.example");
  assert_string_equal(e->subject, "Invoice overdue");
  assert_string_equal(e->date, "2026-01-01T09:00:00Z");
  assert_string_equal(e->sha256, FILE_SHA);
  assert_int_equal(g_strv_length(e->relays), 2);
  assert_string_equal(e->relays[0], "from a.evil.example by mx1");
  assert_string_equal(e->relays[1], "from mx1 by mx2");
  const IgEvidence *bare = g_ptr_array_index(evidence, 1);
  assert_null(bare->from_addr); assert_null(bare->from_name); assert_null(bare->reply_to);
  assert_string_equal(bare->return_path, "");
  assert_null(bare->subject); assert_null(bare->date);
  assert_string_equal(bare->sha256, "0000");
  assert_non_null(bare->relays);
  assert_null(bare->relays[0]);

  g_autoptr(GPtrArray) mine = store_observables(f->store, "INC-2026-000001", NULL, &error);
  check(mine != NULL, error);
  assert_int_equal(mine->len, 3);
  expect_observable(mine, 0, "INC-2026-000001", "email", "billing@evil.example",
                    "billing[@]evil[.]example", NULL, "2026-01-01T10:00:00Z");
  expect_observable(mine, 1, "INC-2026-000001", "url", "https://evil.example/pay",
                    "hxxps://evil[.]example/pay", NULL, "2026-01-01T10:00:00Z");
  expect_observable(mine, 2, "INC-2026-000001", "file", "invoice.exe", "invoice.exe",
                    FILE_SHA, "2026-01-01T10:00:00Z");

  g_autoptr(GPtrArray) since = store_observables(f->store, NULL, "2026-01-02T00:00:00Z",
                                                 &error);
  check(since != NULL, error);
  assert_int_equal(since->len, 3);
  expect_observable(since, 2, "INC-2026-000002", "file", "invoice.exe", "invoice.exe",
                    FILE_SHA, "2026-01-02T10:00:00Z");
  g_autoptr(GPtrArray) none = store_observables(f->store, "INC-2026-000001",
                                                "2026-01-02T00:00:00Z", &error);
  check(none != NULL, error);
  assert_int_equal(none->len, 0);
  g_autoptr(GPtrArray) all = store_observables(f->store, NULL, NULL, &error);
  check(all != NULL, error);
  assert_int_equal(all->len, 6);
}

/* --- messages --- */

/* Stores raw (raw_len bytes) as an incoming message; returns its row. */
static gint64 add_mail(Fixture *f, const char *message_id, const void *raw, gsize raw_len,
                       const char *from, const char *subject, const char *received_at,
                       const char *kind, gint64 incident_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = hash_sha256_hex(raw, raw_len);
  IgMessageIn in = {
    .message_id = message_id, .sha256 = sha, .raw = raw, .raw_len = raw_len,
    .from_addr = from, .subject = subject, .received_at = received_at, .kind = kind,
    .incident_id = incident_id, .recorded_at = received_at,
  };
  gint64 id = store_add_message(f->store, &in, &error);
  check(id > 0, error);
  return id;
}

static void expect_message(GPtrArray *list, guint i, gint64 id, const char *message_id,
                           const char *direction, const char *from, const char *subject,
                           const char *at, const char *kind, const char *reference,
                           const void *raw, gsize raw_len)
{
  const IgMessageRec *m = g_ptr_array_index(list, i);
  assert_int_equal(m->id, id);
  assert_string_equal(m->message_id, message_id);
  assert_string_equal(m->direction, direction);
  if (from)
    assert_string_equal(m->from_addr, from);
  else
    assert_null(m->from_addr);
  assert_string_equal(m->subject, subject);
  assert_string_equal(m->received_at, at);
  assert_string_equal(m->kind, kind);
  if (reference)
    assert_string_equal(m->reference, reference);
  else
    assert_null(m->reference);
  if (raw) {
    g_autofree char *sha = hash_sha256_hex(raw, raw_len);
    assert_string_equal(m->sha256, sha);
  } else {
    assert_null(m->sha256);
  }
}

static const char REPORT[] = "Subject: laptop\n\nstolen\n";
static const char REPLY[] = "Subject: Re: laptop\n\nat\0tached\n"; /* a NUL in the body */
static const char STRAY[] = "Subject: hello\n\nnothing to do with it\n";

/* A case's correspondence as its officer reads it (what came in, then
 * what the gateway sent, each oldest first; webhooks are not mail), the
 * mailbox listing newest first, with or without the mail no incident
 * claimed, and a message's bytes back exactly, NUL included. */
static void test_messages_round_trip(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  gint64 reply = add_mail(f, "r@example.org", REPLY, sizeof REPLY - 1, "jane@example.org",
                          "Re: laptop", "2026-01-01T12:00:00Z", "reply", inc);
  gint64 report = add_mail(f, "m@example.org", REPORT, sizeof REPORT - 1, "joe@example.org",
                           "laptop", "2026-01-01T09:00:00Z", "report", inc);
  gint64 stray = add_mail(f, "s@example.org", STRAY, sizeof STRAY - 1, "sam@example.org",
                          "hello", "2026-01-01T11:00:00Z", "correspondence", 0);
  gint64 ack = add_outbox(f, inc, "ack", "joe@example.org", "ack@gw", "2026-01-01T09:01:00Z");
  g_autoptr(GBytes) body = g_bytes_new_static("{}", 2);
  IgOutboxIn hook = { .incident_id = inc, .kind = "webhook", .template_name = "siem",
                      .to = "https://siem.example/hook", .body = body, .created_at = T0 };
  check(store_outbox_add(f->store, &hook, &error) > 0, error);

  g_autoptr(GPtrArray) thread = store_incident_messages(f->store, inc, &error);
  check(thread != NULL, error);
  assert_int_equal(thread->len, 3);
  expect_message(thread, 0, report, "m@example.org", "in", "joe@example.org", "laptop",
                 "2026-01-01T09:00:00Z", "report", "INC-2026-000001", REPORT, sizeof REPORT - 1);
  expect_message(thread, 1, reply, "r@example.org", "in", "jane@example.org", "Re: laptop",
                 "2026-01-01T12:00:00Z", "reply", "INC-2026-000001", REPLY, sizeof REPLY - 1);
  expect_message(thread, 2, ack, "ack@gw", "out", NULL, "[INC] subject",
                 "2026-01-01T09:01:00Z", "ack", "INC-2026-000001", NULL, 0);

  g_autoptr(GPtrArray) all = store_list_messages(f->store, FALSE, &error);
  check(all != NULL, error);
  assert_int_equal(all->len, 3);
  expect_message(all, 0, reply, "r@example.org", "in", "jane@example.org", "Re: laptop",
                 "2026-01-01T12:00:00Z", "reply", "INC-2026-000001", REPLY, sizeof REPLY - 1);
  expect_message(all, 1, stray, "s@example.org", "in", "sam@example.org", "hello",
                 "2026-01-01T11:00:00Z", "correspondence", NULL, STRAY, sizeof STRAY - 1);
  expect_message(all, 2, report, "m@example.org", "in", "joe@example.org", "laptop",
                 "2026-01-01T09:00:00Z", "report", "INC-2026-000001", REPORT, sizeof REPORT - 1);
  g_autoptr(GPtrArray) unmatched = store_list_messages(f->store, TRUE, &error);
  check(unmatched != NULL, error);
  assert_int_equal(unmatched->len, 1);
  expect_message(unmatched, 0, stray, "s@example.org", "in", "sam@example.org", "hello",
                 "2026-01-01T11:00:00Z", "correspondence", NULL, STRAY, sizeof STRAY - 1);

  g_autoptr(GBytes) raw = store_message_raw(f->store, reply, &error);
  check(raw != NULL, error);
  g_autoptr(GBytes) want = g_bytes_new_static(REPLY, sizeof REPLY - 1);
  assert_true(g_bytes_equal(raw, want));
  g_autofree char *size = sql(f, "SELECT size FROM messages WHERE message_id = 'r@example.org'");
  assert_int_equal(atoi(size), sizeof REPLY - 1);

  /* An empty message (an MTA's pipe closed at once) is stored as such. */
  gint64 empty = add_mail(f, NULL, "", 0, NULL, NULL, T0, "report", 0);
  g_autoptr(GBytes) nothing = store_message_raw(f->store, empty, &error);
  check(nothing != NULL, error);
  assert_int_equal(g_bytes_get_size(nothing), 0);
  IgVerifyCounts n;
  check(store_verify(f->store, &n, &error), error);
  assert_int_equal(n.messages, 4);
}

/* A message that keeps failing is counted across runs, and its record
 * keeps the last error and when it happened, for the operator who looks
 * into a quarantined message. */
static void test_failure_record(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  assert_int_equal(store_note_failure(f->store, "abc", "first", T0, &error), 1);
  assert_int_equal(store_note_failure(f->store, "abc", "parser crashed",
                                      "2026-01-01T11:00:00Z", &error), 2);
  assert_null(error);
  g_autofree char *row = sql(f, "SELECT count || ' ' || last_error || ' ' || at FROM failures"
                                " WHERE sha256 = 'abc'");
  assert_string_equal(row, "2 parser crashed 2026-01-01T11:00:00Z");
}

/* --- the manager digest --- */

/* An incident recorded when received, with its impact, category and
 * summary. */
static gint64 add_case(Fixture *f, const char *ref, const char *at, const char *status,
                       const char *impact, const char *category, const char *summary)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IgIncident) inc = minimal_incident(ref, at);
  set(&inc->status, status);
  set(&inc->impact, impact);
  set(&inc->category, category);
  set(&inc->summary, summary);
  check(store_add_incident(f->store, inc, &error), error);
  return inc->id;
}

static void expect_item(GPtrArray *items, guint i, const char *ref, const char *at,
                        const char *impact, const char *category, const char *summary,
                        const char *kind)
{
  const IgDigestItem *d = g_ptr_array_index(items, i);
  assert_string_equal(d->reference, ref);
  assert_string_equal(d->at, at);
  assert_string_equal(d->impact, impact);
  assert_string_equal(d->category, category);
  assert_string_equal(d->summary, summary);
  if (kind)
    assert_string_equal(d->kind, kind);
  else
    assert_null(d->kind);
}

static void expect_count(GPtrArray *rows, guint i, const char *key, const char *key2,
                         gint64 count)
{
  const IgCountRow *c = g_ptr_array_index(rows, i);
  assert_string_equal(c->key, key);
  if (key2)
    assert_string_equal(c->key2, key2);
  else
    assert_null(c->key2);
  assert_int_equal(c->count, count);
}

/* What the managers read in their digest: each new incident and each
 * overdue deadline with its impact, category and summary in their own
 * places, the counts under the right keys, and the chain head they can
 * check later. */
static void test_digest_round_trip(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 a = add_case(f, "INC-2026-000001", "2026-01-01T09:00:00Z", "new", "high",
                      "phishing", "a fake invoice");
  add_case(f, "INC-2026-000002", "2026-01-01T10:00:00Z", "triaged", "low", "malware",
           "a macro");
  check(store_add_deadline(f->store, a, "triage", "2026-01-01T11:00:00Z", &error), error);
  check(store_add_event(f->store, a, "2026-01-01T10:30:00Z", "alice", "note", "x", &error),
        error);

  g_autoptr(GPtrArray) recorded = store_digest_incidents(f->store, NULL, "2026-01-02T00:00:00Z",
                                                         FALSE, &error);
  check(recorded != NULL, error);
  assert_int_equal(recorded->len, 2);
  expect_item(recorded, 0, "INC-2026-000001", "2026-01-01T09:00:00Z", "high", "phishing",
              "a fake invoice", NULL);
  expect_item(recorded, 1, "INC-2026-000002", "2026-01-01T10:00:00Z", "low", "malware",
              "a macro", NULL);
  g_autoptr(GPtrArray) overdue = store_digest_overdue(f->store, "2026-01-02T00:00:00Z", &error);
  check(overdue != NULL, error);
  assert_int_equal(overdue->len, 1);
  expect_item(overdue, 0, "INC-2026-000001", "2026-01-01T11:00:00Z", "high", "phishing",
              "a fake invoice", "triage");

  g_autoptr(GPtrArray) open = store_digest_open_counts(f->store, "2026-01-02T00:00:00Z",
                                                       &error);
  check(open != NULL, error);
  assert_int_equal(open->len, 2);
  expect_count(open, 0, "new", "high", 1);
  expect_count(open, 1, "triaged", "low", 1);
  g_autoptr(GPtrArray) categories = store_digest_category_counts(
      f->store, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", &error);
  check(categories != NULL, error);
  assert_int_equal(categories->len, 2);
  expect_count(categories, 0, "malware", NULL, 1);
  expect_count(categories, 1, "phishing", NULL, 1);

  g_autofree char *head = NULL, *head_at = NULL;
  check(store_audit_head(f->store, &head, &head_at, &error), error);
  g_autofree char *newest = sql(f, "SELECT hash FROM events ORDER BY id DESC LIMIT 1");
  assert_string_equal(head, newest);
  assert_string_equal(head_at, "2026-01-01T10:30:00Z");
  gboolean done = FALSE;
  check(store_digest_record(f->store, "2026-01-01T12:00:00Z", NULL, head, &done, &error),
        error);
  assert_true(done);
  g_autofree char *last = NULL;
  check(store_digest_last(f->store, "2026-01-02T00:00:00Z", &last, &error), error);
  assert_string_equal(last, "2026-01-01T12:00:00Z");

  /* A daily digest is known sent for its own day only, and once. */
  gboolean sent = TRUE;
  check(store_digest_sent_on(f->store, "2026-01-01", &sent, &error), error);
  assert_false(sent);
  check(store_digest_record(f->store, "2026-01-01T13:00:00Z", "2026-01-01", head, &done,
                            &error), error);
  assert_true(done);
  check(store_digest_sent_on(f->store, "2026-01-01", &sent, &error), error);
  assert_true(sent);
  check(store_digest_sent_on(f->store, "2026-01-02", &sent, &error), error);
  assert_false(sent);
  check(store_digest_record(f->store, "2026-01-01T14:00:00Z", "2026-01-01", head, &done,
                            &error), error);
  assert_false(done);
  /* A digest that names no chain head is refused, with the reason. */
  expect_reason(!store_digest_record(f->store, "2026-01-02T12:00:00Z", "2026-01-02", NULL,
                                     &done, &error), &error, "write");
  check(store_digest_sent_on(f->store, "2026-01-02", &sent, &error), error);
  assert_false(sent);
}

/* The tables a digest reads, damaged by hand (the chain's head gone or
 * without its hash, columns renamed): every figure fails with the reason, never reads as
 * nothing new, nothing open, no chain head or no digest sent yet. */
static void test_digest_on_damaged_tables(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  add_case(f, "INC-2026-000001", T0, "new", "high", "phishing", "a fake invoice");
  g_autofree char *head = NULL, *head_at = NULL;
  g_free(sql(f, "DELETE FROM audit_head"));
  expect_reason(!store_audit_head(f->store, &head, &head_at, &error), &error,
                "read the audit chain's head");
  assert_null(head);
  assert_null(head_at);
  /* A head row without its hash (the table made again by hand, without
   * NOT NULL) is no head either. */
  g_free(sql(f, "DROP TABLE audit_head"));
  g_free(sql(f, "CREATE TABLE audit_head(one INTEGER PRIMARY KEY, last_id INTEGER, hash TEXT)"));
  g_free(sql(f, "INSERT INTO audit_head VALUES(1, 1, NULL)"));
  expect_reason(!store_audit_head(f->store, &head, &head_at, &error), &error,
                "read the audit chain's head");
  assert_null(head);
  assert_null(head_at);
  g_clear_pointer(&f->store, store_close);
  g_free(sql(f, "ALTER TABLE incidents RENAME COLUMN category TO kept_category"));
  g_free(sql(f, "ALTER TABLE incidents RENAME COLUMN impact TO kept_impact"));
  g_free(sql(f, "ALTER TABLE digests RENAME COLUMN at TO kept_at"));
  g_free(sql(f, "ALTER TABLE digests RENAME COLUMN day TO kept_day"));
  g_free(sql(f, "ALTER TABLE audit_head RENAME COLUMN hash TO kept_hash"));
  f->store = open_store(f->path); /* nothing prepared before is cached */
  const char *until = "2026-01-02T00:00:00Z";
  g_autofree char *at = NULL, *hash = NULL;
  gboolean flag = FALSE;
  expect_missing_column(store_digest_incidents(f->store, NULL, until, FALSE, &error) == NULL,
                        &error, "impact");
  expect_missing_column(store_digest_overdue(f->store, until, &error) == NULL, &error,
                        "i.impact");
  expect_missing_column(store_digest_open_counts(f->store, until, &error) == NULL, &error,
                        "impact");
  expect_missing_column(store_digest_category_counts(f->store, T0, until, &error) == NULL,
                        &error, "category");
  expect_missing_column(!store_audit_head(f->store, &hash, &at, &error), &error, "h.hash");
  expect_missing_column(!store_digest_last(f->store, until, &at, &error), &error, "at");
  expect_missing_column(!store_digest_sent_on(f->store, "2026-01-01", &flag, &error), &error,
                        "day");
  expect_missing_insert_column(!store_digest_record(f->store, until, NULL, "h", &flag, &error),
                               &error, "digests", "at");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_events_round_trip),
    T(test_evidence_round_trip),
    T(test_messages_round_trip),
    T(test_failure_record),
    T(test_digest_round_trip),
    T(test_digest_on_damaged_tables),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

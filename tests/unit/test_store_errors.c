/* test_store_errors.c - unit tests for the case store when a write fails
 * (gateway/store*.c): a full disk outside a transaction (each write fails
 * alone, as transient) and inside one (the whole transaction lost, every
 * later call failing with the first cause), a failure that ends the
 * transaction on PostgreSQL alike, and a message rolled back to its
 * savepoint while the transaction goes on, on both databases. Every test
 * runs on a fresh store in a temporary directory, or a fresh PostgreSQL
 * schema. SQLite's full disk (a page limit stands in for it) has no
 * PostgreSQL counterpart and is skipped there; PostgreSQL's failure that
 * ends the transaction is skipped on SQLite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "gateway/store_db.h"
#include "tests/unit/store_fixture.h"

/* --- helpers --- */

/* Caps the store's file a few pages above what it holds: the disk is
 * then full for anything bigger than a few rows. */
static void fill_disk(Fixture *f)
{
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(f->store->db, "PRAGMA page_count", -1, &st, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  g_autofree char *cap = g_strdup_printf("PRAGMA max_page_count = %d",
                                         sqlite3_column_int(st, 0) + 2);
  sqlite3_finalize(st);
  assert_int_equal(sqlite3_exec(f->store->db, cap, NULL, NULL, NULL), SQLITE_OK);
}

/* A message too big for the capped store; caller frees. */
static char *big_message(void)
{
  GString *s = g_string_new("Subject: big\n\n");
  for (int i = 0; i < 4000; i++)
    g_string_append(s, "A line of a long report that will not fit on the disk.\n");
  return g_string_free(s, FALSE);
}

/* The error of a call that must have failed because the disk is full:
 * transient (ingest exits 75 and the MTA retries), with SQLite's cause. */
static void expect_full(gboolean failed, GError **error)
{
  assert_true(failed);
  assert_non_null(*error);
  if (!strstr((*error)->message, "database or disk is full"))
    print_error("error: %s\n", (*error)->message);
  assert_true(g_error_matches(*error, IG_ERROR, IG_ERROR_TRANSIENT));
  assert_non_null(strstr((*error)->message, "database or disk is full"));
  g_clear_error(error);
}

/* --- a full disk --- */

/* Outside a transaction each write that does not fit fails on its own,
 * as transient, and what was stored before stays: a bounce that cannot
 * be recorded is an error, never "no mail of ours". */
static void test_full_disk_outside_transaction(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's page limit stands in for the disk */
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  add_outbox(f, inc, "ack", "jane@example.org", "o1@gw", T0);
  fill_disk(f);
  g_autofree char *big = big_message();

  gboolean found = -1;
  gint64 incident = -1;
  expect_full(!store_outbox_bounced(f->store, "o1@gw", big, &found, &incident, &error), &error);
  expect_full(store_note_failure(f->store, "abc", big, T0, &error) == -1, &error);
  g_autofree char *sha = hash_sha256_hex(big, strlen(big));
  IgMessageIn in = { .sha256 = sha, .raw = big, .raw_len = strlen(big), .received_at = T0,
                     .kind = "report", .recorded_at = T0 };
  expect_full(store_add_message(f->store, &in, &error) == 0, &error);

  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, &error);
  check(rows != NULL, error);
  assert_int_equal(rows->len, 1);
  assert_string_equal(((IgOutboxRec *)g_ptr_array_index(rows, 0))->state, "pending");
  assert_int_equal(store_note_failure(f->store, "abc", "short", T0, &error), 1);
}

/* A statement that fires a trigger (an incident's words go into the
 * search index) is all SQLite undoes when the disk fills: the store ends
 * the transaction itself, as when SQLite rolls it back, so that nothing
 * after it goes on as if the incident had been written. */
static void test_full_disk_in_a_trigger_ends_the_transaction(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's page limit stands in for the disk */
  g_autoptr(GError) error = NULL;
  add_incident(f, "INC-2026-000001", "new", "low", T0);
  fill_disk(f);
  g_autofree char *big = big_message();
  g_autoptr(IgIncident) inc = minimal_incident("INC-2026-000002", T0);
  inc->description = g_strdup(big);
  check(store_begin(f->store, &error), error);
  add_event(f, 1, "note", "before the full disk");
  expect_full(!store_add_incident(f->store, inc, &error), &error);
  assert_true(sqlite3_get_autocommit(f->store->db));
  expect_full(!store_add_event(f->store, 1, T0, "gateway", "note", "x", &error), &error);
  expect_full(!store_commit(f->store, &error), &error);
  g_autofree char *events = sql(f, "SELECT count(*) FROM events");
  assert_string_equal(events, "0");
}

/* A listing's callback: counts the incidents handed over. */
static gboolean count_listed(const IgListedIncident *row, gpointer data, GError **error)
{
  (*(guint *)data)++;
  return TRUE;
}

/* Every kind of call in a transaction a failure has ended: each in turn
 * fails, and expect() checks the cause, whatever the call. inc and msg
 * are an incident and a message (Message-ID m1@x) stored before the
 * transaction began; in is the message whose recording failed. */
static void expect_every_call_fails(Fixture *f, gint64 inc, gint64 msg, const IgMessageIn *in,
                                    void (*expect)(gboolean failed, GError **error))
{
  g_autoptr(GError) error = NULL;
  gboolean seen_it = FALSE, first = FALSE, found = FALSE;
  gint64 id = 0;
  guint listed = 0;
  const char *ids[] = { "m1@x", NULL };
  g_autoptr(IgIncident) inc2 = minimal_incident("INC-2026-000003", T0);
  g_autoptr(GBytes) body = g_bytes_new_static(BODY, strlen(BODY));
  IgOutboxIn out = { .kind = "mail", .to = "a@b.c", .body = body, .created_at = T0 };
  expect(!store_message_seen(f->store, "x", NULL, &seen_it, &error), &error);
  expect(store_add_message(f->store, in, &error) == 0, &error);
  expect(store_message_raw(f->store, msg, &error) == NULL, &error);
  expect(store_list_messages(f->store, FALSE, &error) == NULL, &error);
  expect(store_incident_for_message_ids(f->store, ids, &error) == 0, &error);
  expect(store_note_failure(f->store, "x", "e", T0, &error) == -1, &error);
  expect(store_in_flight_get(f->store, "x", &error) == -2, &error);
  expect(!store_in_flight_set(f->store, "x", TRUE, &error), &error);
  expect(!store_in_flight_clear(f->store, "x", &error), &error);
  expect(store_next_reference(f->store, "INC", 2026, &error) == NULL, &error);
  expect(!store_add_incident(f->store, inc2, &error), &error);
  expect(store_incident_reference(f->store, inc, &error) == NULL, &error);
  expect(store_incident_id(f->store, "INC-2026-000001", &error) == 0, &error);
  expect(store_get_incident(f->store, "INC-2026-000001", &error) == NULL, &error);
  expect(!store_each_incident(f->store, NULL, TRUE, count_listed, &listed, &error), &error);
  assert_int_equal(listed, 0);
  expect(store_incident_messages(f->store, inc, &error) == NULL, &error);
  expect(store_incident_evidence(f->store, inc, &error) == NULL, &error);
  expect(store_observables(f->store, NULL, NULL, &error) == NULL, &error);
  expect(!store_add_event(f->store, inc, T0, "gateway", "note", "x", &error), &error);
  expect(store_incident_events(f->store, inc, &error) == NULL, &error);
  expect(!store_fire_rule(f->store, inc, "ost", T0, &first, &error), &error);
  expect(!store_add_deadline(f->store, inc, "triage", T0, &error), &error);
  expect(store_incident_deadlines(f->store, inc, &error) == NULL, &error);
  expect(store_outbox_add(f->store, &out, &error) == 0, &error);
  expect(store_outbox_claimers(f->store, &error) == NULL, &error);
  expect(!store_outbox_release(f->store, "me 1", &error), &error);
  expect(store_list_outbox(f->store, FALSE, &error) == NULL, &error);
  expect(!store_outbox_sent(f->store, 1, T0, &error), &error);
  expect(!store_outbox_retry(f->store, 1, T0, FALSE, "e", &error), &error);
  expect(!store_outbox_bounced(f->store, "o@gw", "e", &found, &id, &error), &error);
  expect(store_count_acks_since(f->store, NULL, T0, &error) == -1, &error);
  expect(!store_savepoint(f->store, &error), &error);
  expect(!store_release(f->store, &error), &error);
  expect(!store_commit(f->store, &error), &error);
}

/* When a write inside a transaction fills the disk, SQLite rolls the
 * whole transaction back; every later call in it then fails with that
 * first cause (not "no transaction is active", not an empty answer), and
 * nothing of it is stored. */
static void test_full_disk_loses_the_transaction(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's page limit stands in for the disk */
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  gint64 msg = put_message(f, "m1@x", "Subject: m\n\nm\n", inc, TRUE);
  fill_disk(f);
  g_autofree char *big = big_message();
  g_autofree char *sha = hash_sha256_hex(big, strlen(big));
  IgMessageIn in = { .sha256 = sha, .raw = big, .raw_len = strlen(big), .received_at = T0,
                     .kind = "report", .recorded_at = T0 };

  check(store_begin(f->store, &error), error);
  add_incident(f, "INC-2026-000002", "new", "low", T0);
  expect_full(store_add_message(f->store, &in, &error) == 0, &error);
  assert_true(sqlite3_get_autocommit(f->store->db)); /* SQLite rolled it back */

  expect_every_call_fails(f, inc, msg, &in, expect_full);
  store_rollback(f->store);

  /* The store works again, without what the lost transaction wrote. */
  assert_int_equal(store_incident_id(f->store, "INC-2026-000002", &error), 0);
  assert_null(error);
  assert_int_equal(store_incident_id(f->store, "INC-2026-000001", &error), inc);
}

#define FAULT "the body was not written"

/* A later call in a transaction PostgreSQL has aborted: transient, with
 * the first failure's cause. */
static void expect_aborted(gboolean failed, GError **error)
{
  assert_true(failed);
  assert_non_null(*error);
  if (!strstr((*error)->message, FAULT))
    print_error("error: %s\n", (*error)->message);
  assert_true(g_error_matches(*error, IG_ERROR, IG_ERROR_TRANSIENT));
  assert_non_null(strstr((*error)->message, FAULT " (the transaction was rolled back)"));
  g_clear_error(error);
}

/* On PostgreSQL any failed statement aborts the whole transaction (on
 * SQLite only a full disk, an I/O error or want of memory do, as above):
 * every later call in it fails with that first cause rather than the
 * server's refusal of everything after it, and nothing of it is stored. */
static void test_postgresql_failure_ends_the_transaction(void **state)
{
  Fixture *f = *state;
  if (!test_on_pg())
    skip(); /* SQLite undoes the failed statement alone: the transaction goes on */
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  gint64 msg = put_message(f, "m1@x", "Subject: m\n\nm\n", inc, TRUE);
  add_failing_trigger(f, "body_fails", "BEFORE INSERT", "message_bodies", FAULT);
  static const char raw[] = "Subject: n\n\nn\n";
  g_autofree char *sha = hash_sha256_hex(raw, strlen(raw));
  IgMessageIn in = { .sha256 = sha, .raw = raw, .raw_len = strlen(raw), .received_at = T0,
                     .kind = "report", .recorded_at = T0 };

  check(store_begin(f->store, &error), error);
  add_incident(f, "INC-2026-000002", "new", "low", T0);
  assert_int_equal(store_add_message(f->store, &in, &error), 0);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  assert_non_null(strstr(error->message, FAULT));
  g_clear_error(&error);
  expect_every_call_fails(f, inc, msg, &in, expect_aborted);
  store_rollback(f->store);

  assert_int_equal(store_incident_id(f->store, "INC-2026-000002", &error), 0);
  assert_null(error);
  assert_int_equal(store_incident_id(f->store, "INC-2026-000001", &error), inc);
  g_autofree char *messages = sql(f, "SELECT count(*) FROM messages");
  assert_string_equal(messages, "1");
}

/* A message whose recording fails is rolled back to its savepoint (as
 * intake does), and the transaction goes on without it: what came
 * before and after it is committed, on PostgreSQL too, where the failure
 * had aborted the transaction. */
static void test_failure_rolled_back_to_its_savepoint(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  add_failing_trigger(f, "body_fails", "BEFORE INSERT", "message_bodies", FAULT);
  check(store_begin(f->store, &error), error);
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  check(store_savepoint(f->store, &error), error);
  add_incident(f, "INC-2026-000002", "new", "low", T0);
  put_message(f, "m1@x", "Subject: m\n\nm\n", inc, FALSE);
  store_rollback_to(f->store);
  add_event(f, inc, "created", "from the form");
  check(store_commit(f->store, &error), error);

  assert_int_equal(store_incident_id(f->store, "INC-2026-000002", &error), 0);
  assert_null(error);
  g_autofree char *messages = sql(f, "SELECT count(*) FROM messages");
  assert_string_equal(messages, "0");
  IgVerifyCounts n;
  check(store_verify(f->store, &n, &error), error);
  assert_int_equal(n.incidents, 1);
  assert_int_equal(n.events, 1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_full_disk_outside_transaction),
    T(test_full_disk_loses_the_transaction),
    T(test_full_disk_in_a_trigger_ends_the_transaction),
    T(test_postgresql_failure_ends_the_transaction),
    T(test_failure_rolled_back_to_its_savepoint),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

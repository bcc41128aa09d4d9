/* test_store_verify.c - unit tests for store_verify(): the audit chain
 * against tampering done behind the store's back with raw SQL (an
 * edited, deleted, swapped or rehashed event, a truncated chain) and what
 * the chain vouches for beyond its events (raw messages and their
 * SHA-256, deleted messages, incident fields, deadlines, rules). Every
 * test runs on a fresh store in a temporary directory, or a fresh
 * PostgreSQL schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gateway/store_db.h"
#include "tests/unit/store_fixture.h"

/* Three events and two messages; verify must pass on it. */
static void populate_and_verify(Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  add_event(f, inc, "created", "from the form");
  add_event(f, inc, "notified", "ost@justice.gov.uk");
  add_event(f, 0, "security", "failed authentication");
  put_message(f, "a@example.org", "Subject: a\n\nfirst\n", inc, TRUE);
  put_message(f, NULL, "Subject: b\n\nsecond\n", 0, TRUE);
  IgVerifyCounts n;
  check(store_verify(f->store, &n, &error), error);
  assert_int_equal(n.events, 5); /* three, and one recording each message */
  assert_int_equal(n.messages, 2);
  assert_int_equal(n.incidents, 1);
}

/* The SHA-256 of "Subject: a\n\nforged\n". */
#define FORGED_SHA "f5b884718c0bcd782a8091007d7c5efac4fa01a3ecaf83f29ec88ca70d2abad6"

static void test_verify_good_then_changed_event(void **state)
{
  Fixture *f = *state;
  populate_and_verify(f);
  g_free(sql(f, "UPDATE events SET detail = 'x' WHERE id = 2"));
  expect_verify_fails(f, "event 2");
}

static void test_verify_deleted_event(void **state)
{
  Fixture *f = *state;
  populate_and_verify(f);
  g_free(sql(f, "DELETE FROM events WHERE id = 2"));
  expect_verify_fails(f, "event 2");
}

/* Removing the newest events leaves a chain that is intact but short. */
static void test_verify_deleted_newest_event(void **state)
{
  Fixture *f = *state;
  populate_and_verify(f);
  g_free(sql(f, "DELETE FROM events WHERE id = (SELECT max(id) FROM events)"));
  expect_verify_fails(f, "the audit chain ends at event 4 but was recorded to end at"
                         " event 5: events were removed or the head was altered");
}

/* The recorded head is checked whole: its event number or its hash
 * changed alone, or the head removed, fails verification, saying which. */
static void test_verify_altered_head(void **state)
{
  static const struct {
    const char *change;
    const char *needle;
  } changes[] = {
    { "UPDATE audit_head SET last_id = 9",
      "the audit chain ends at event 5 but was recorded to end at event 9" },
    { "UPDATE audit_head SET hash = (SELECT hash FROM events WHERE id = 4)",
      "the audit chain ends at event 5 but was recorded to end at event 5" },
    { "DELETE FROM audit_head",
      "the audit chain ends at event 5 but the record of where it ends (audit_head) was"
      " deleted" },
  };
  (void)state;
  for (gsize c = 0; c < G_N_ELEMENTS(changes); c++) {
    void *fresh = NULL;
    assert_int_equal(setup(&fresh), 0);
    Fixture *f = fresh;
    populate_and_verify(f);
    g_free(sql(f, changes[c].change));
    expect_verify_fails(f, changes[c].needle);
    teardown(&fresh);
  }
}

/* Tables that verify reads changed by hand (a column renamed): verify
 * and the anchor check fail with the database's reason, never pass. */
static void test_verify_damaged_tables(void **state)
{
  static const struct {
    const char *change;
    const char *column;
  } cases[] = {
    { "ALTER TABLE audit_head RENAME COLUMN hash TO kept", "hash" },
    { "ALTER TABLE message_bodies RENAME COLUMN raw TO kept", "b.raw" },
    { "ALTER TABLE events RENAME COLUMN hash TO kept", "hash" },
  };
  (void)state;
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    void *fresh = NULL;
    assert_int_equal(setup(&fresh), 0);
    Fixture *f = fresh;
    populate_and_verify(f);
    g_autofree char *head = sql(f, "SELECT hash FROM audit_head");
    g_clear_pointer(&f->store, store_close);
    g_free(sql(f, cases[c].change));
    f->store = open_store(f->path); /* nothing prepared before the change is cached */
    g_autoptr(GError) error = NULL;
    IgVerifyCounts n;
    gint64 event = -1;
    gboolean ok = c < 2 ? store_verify(f->store, &n, &error)
                        : store_verify_anchor(f->store, head, &event, &error);
    expect_missing_column(!ok, &error, cases[c].column);
    teardown(&fresh);
  }
}

static void test_verify_changed_raw_message(void **state)
{
  Fixture *f = *state;
  populate_and_verify(f);
  replace_raw(f, 1, "Subject: a\n\nforged\n");
  expect_verify_fails(f, "message 1");
}

/* The chain vouches for what lies outside it: a raw message replaced
 * together with its SHA-256, a stored message deleted, an incident's
 * fields, deadlines or rules edited in the file, an incident deleted
 * (the rows that name it left behind). */
static void test_verify_what_the_chain_covers(void **state)
{
  static const struct {
    const char *forged_raw;     /* message 1's bytes replaced with these first */
    const char *unreferenced;   /* the foreign keys naming this table dropped first */
    const char *change;
    const char *needle;
  } cases[] = {
    { .forged_raw = "Subject: a\n\nforged\n",
      .change = "UPDATE messages SET sha256 = '" FORGED_SHA "' WHERE id = 1",
      .needle = "message 1 is not the message its audit" },
    { .change = "DELETE FROM message_bodies WHERE id = 1",
      .needle = "stored message 1 does not match its SHA-256" },
    { .unreferenced = "messages", .change = "DELETE FROM messages WHERE id = 2",
      .needle = "message 2 recorded by the audit chain was deleted" },
    { .change = "UPDATE incidents SET impact = 'high'", .needle = "incident 1 was changed" },
    { .change = "UPDATE incidents SET status = 'closed', updated_at = '2026-01-02T00:00:00Z'",
      .needle = "incident 1 was changed" },
    { .change = "UPDATE deadlines SET state = 'done'", .needle = "incident 1 was changed" },
    { .change = "DELETE FROM deadlines", .needle = "incident 1 was changed" },
    { .change = "DELETE FROM rules_fired", .needle = "incident 1 was changed" },
    { .change = "UPDATE messages SET incident_id = NULL WHERE id = 1",
      .needle = "incident 1 was changed" },
    { .change = "INSERT INTO incidents(reference, status, via, source, received_at, created_at,"
                " updated_at) VALUES('INC-2026-000009', 'new', 'direct', 'form', '" T0 "',"
                " '" T0 "', '" T0 "')",
      .needle = "incident 2 was not recorded by any audit event" },
    { .unreferenced = "incidents", .change = "DELETE FROM incidents",
      .needle = "incident 1 named by the audit chain was deleted" },
  };
  (void)state;
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    void *fresh = NULL;
    assert_int_equal(setup(&fresh), 0);
    Fixture *f = fresh;
    g_autoptr(GError) error = NULL;
    gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
    add_event(f, inc, "created", "from the form");
    gboolean first = FALSE;
    check(store_fire_rule(f->store, inc, "ost", T0, &first, &error), error);
    check(store_add_deadline(f->store, inc, "triage", T0, &error), error);
    add_event(f, inc, "deadline_set", "triage");
    put_message(f, "a@example.org", "Subject: a\n\nfirst\n", inc, TRUE);
    put_message(f, NULL, "Subject: b\n\nsecond\n", 0, TRUE);
    IgVerifyCounts n;
    check(store_verify(f->store, &n, &error), error);
    if (cases[c].forged_raw)
      replace_raw(f, 1, cases[c].forged_raw);
    if (cases[c].unreferenced)
      drop_references(f, cases[c].unreferenced);
    g_free(sql(f, cases[c].change));
    expect_verify_fails(f, cases[c].needle);
    teardown(&fresh);
  }
}

/* The newest events deleted and the head rewritten to the new end: the
 * chain is intact and short, and what those events recorded (a message,
 * a change to an incident) is left unaccounted for. */
static void test_verify_truncated_chain_with_head_rewritten(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  populate_and_verify(f);
  g_free(sql(f, "DELETE FROM events WHERE id = 5"));
  g_free(sql(f, "UPDATE audit_head SET last_id = 4,"
                " hash = (SELECT hash FROM events WHERE id = 4)"));
  expect_verify_fails(f, "stored message 2 was not recorded by any audit event");

  g_free(sql(f, "DELETE FROM message_bodies WHERE id = 2"));
  g_free(sql(f, "DELETE FROM messages WHERE id = 2"));
  check(store_add_deadline(f->store, 1, "triage", T0, &error), error);
  add_event(f, 1, "deadline_set", "triage");
  IgVerifyCounts n;
  check(store_verify(f->store, &n, &error), error);
  g_free(sql(f, "DELETE FROM events WHERE id = 5"));
  g_free(sql(f, "UPDATE audit_head SET last_id = 4,"
                " hash = (SELECT hash FROM events WHERE id = 4)"));
  expect_verify_fails(f, "incident 1 was changed");
}

/* Every column of an event is under its hash: changing any one of them
 * in the file, or swapping two events, fails verification at that event. */
static void test_verify_every_event_column(void **state)
{
  static const struct {
    const char *change;
    const char *needle;
  } cases[] = {
    { "UPDATE events SET at = '2026-01-01T10:00:01Z' WHERE id = 2", "event 2" },
    { "UPDATE events SET actor = actor || 'x' WHERE id = 2", "event 2" },
    { "UPDATE events SET type = 'closed' WHERE id = 2", "event 2" },
    { "UPDATE events SET detail = detail || ' ' WHERE id = 2", "event 2" },
    { "UPDATE events SET incident_id = NULL WHERE id = 2", "event 2" },
    { "UPDATE events SET incident_id = 1 WHERE id = 3", "event 3" },
    { "UPDATE events SET prev_hash = (SELECT hash FROM events WHERE id = 2)"
      " WHERE id = 2", "event 2" },
    { "UPDATE events SET hash = (SELECT prev_hash FROM events WHERE id = 3)"
      " WHERE id = 3", "event 3" },
    /* Two events trade places, their ids swapped through a free one. */
    { "UPDATE events SET id = -1 WHERE id = 1;"
      "UPDATE events SET id = 1 WHERE id = 2;"
      "UPDATE events SET id = 2 WHERE id = -1", "event 1" },
  };
  (void)state;
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    void *fresh = NULL;
    assert_int_equal(setup(&fresh), 0);
    Fixture *f = fresh;
    populate_and_verify(f);
    g_auto(GStrv) statements = g_strsplit(cases[c].change, ";", -1);
    for (char **one = statements; *one; one++)
      g_free(sql(f, *one));
    g_autofree char *changed = sql(f, "SELECT count(*) FROM events");
    assert_string_equal(changed, "5");
    expect_verify_fails(f, cases[c].needle);
    teardown(&fresh);
  }
}

/* The newest event deleted behind the store's back, then a new event
 * recorded: the new one takes the id after the recorded head, not the
 * deleted one's, so verify still points the auditor at the gap. */
static void test_verify_gap_stays_after_new_event(void **state)
{
  Fixture *f = *state;
  populate_and_verify(f);
  g_free(sql(f, "DELETE FROM events WHERE id = 5"));
  add_event(f, 0, "security", "failed authentication");
  g_autofree char *ids = sql_joined(f, "id", ",", "events", "id");
  assert_string_equal(ids, "1,2,3,4,6");
  expect_verify_fails(f, "audit event 5 is missing");
}

/* An anchor published earlier (a digest's chain head) is found as the
 * event it names, however its hex is cased; one the chain does not hold
 * is refused as history rewritten. */
static void test_verify_anchor(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  populate_and_verify(f);
  g_autofree char *third = sql(f, "SELECT upper(hash) FROM events WHERE id = 3");
  gint64 event = -1;
  check(store_verify_anchor(f->store, third, &event, &error), error);
  assert_int_equal(event, 3);
  g_autofree char *rewritten = g_strnfill(64, 'a');
  assert_false(store_verify_anchor(f->store, rewritten, &event, &error));
  assert_int_equal(event, 0);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_INTEGRITY));
  assert_non_null(strstr(error->message, "is not in the audit chain"));
}

/* The state an event records is the SHA-256 of a fixed text of the
 * incident's rows (each value with its length, NULL apart from empty):
 * states recorded by earlier versions must keep verifying, so the text
 * may not change. */
static void test_state_text_is_stable(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", NULL, T0);
  gboolean first = FALSE;
  check(store_fire_rule(f->store, inc, "ost", T0, &first, &error), error);
  static const char text[] =
      "[incident]\n15:INC-2026-000001;3:new;n;n;1:0;n;n;n;n;n;n;6:direct;9:free_text;n;n;n;"
      "20:" T0 ";n;n;n;n;n;n;n;n;0:;n;20:" T0 ";20:" T0 ";\n"
      "[deadlines]\n[rules]\n3:ost;20:" T0 ";\n[messages]\n[evidence]\n[observables]\n"
      "[reports]\n";
  g_autofree char *want = hash_sha256_hex(text, strlen(text));
  g_autofree char *got = sq_incident_state(f->store, inc, &error);
  check(got != NULL, error);
  assert_string_equal(got, want);
}

/* Incidents that verify cannot read (a table their state covers gone,
 * their table's page overwritten on disk) fail it with the reason: never
 * pass as no incidents, never as incidents unchanged. */
static void test_verify_unreadable_incidents(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  add_event(f, inc, "created", "from the form");
  IgVerifyCounts n;
  g_clear_pointer(&f->store, store_close);
  g_free(sql(f, "DROP TABLE management_reports"));
  f->store = open_store(f->path);
  expect_missing_table(!store_verify(f->store, &n, &error), &error, "management_reports");
}

/* An incident no event names yet, its table's page overwritten: the walk
 * of the incidents is the first read of their table. */
static void test_verify_malformed_incidents(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* a page of SQLite's file overwritten */
  g_autoptr(GError) error = NULL;
  IgVerifyCounts n;
  add_incident(f, "INC-2026-000001", "new", "low", T0);
  g_autofree char *root = sql(f, "SELECT rootpage FROM sqlite_schema WHERE name = 'incidents'");
  g_clear_pointer(&f->store, store_close);
  g_free(sql(f, "PRAGMA wal_checkpoint(TRUNCATE)"));
  damage_page(f, root);
  f->store = open_store(f->path);
  expect_reason(!store_verify(f->store, &n, &error), &error,
                "read incidents: database disk image is malformed");
}

/* An event rewritten with its own hash recomputed, and the next event's
 * link patched to match, still fails: each hash covers the one before,
 * so the whole rest of the chain would have to be rewritten. */
static void test_verify_rehashed_event(void **state)
{
  Fixture *f = *state;
  populate_and_verify(f);
  g_autofree char *prev = sql(f, "SELECT prev_hash FROM events WHERE id = 2");
  g_autofree char *seal = sql(f, "SELECT state FROM events WHERE id = 2");
  g_autofree char *text = g_strdup_printf("%s\n2\n1\n" T0 "\ngateway\nnotified\n"
                                          "attacker@example.org\n0\n\n%s", prev, seal);
  g_autofree char *forged = hash_sha256_hex(text, strlen(text));
  g_autofree char *update = g_strdup_printf(
      "UPDATE events SET detail = 'attacker@example.org', hash = '%s' WHERE id = 2",
      forged);
  g_free(sql(f, update));
  g_autofree char *link = g_strdup_printf(
      "UPDATE events SET prev_hash = '%s' WHERE id = 3", forged);
  g_free(sql(f, link));
  expect_verify_fails(f, "event 3");
}

/* The audit tables changed by hand (a column renamed, the head made a
 * view that cannot be written): recording an event and verifying the
 * chain fail with the database's reason, never pass over the damage, and
 * a failed event leaves nothing of itself behind once its transaction is
 * rolled back. */
static void test_damaged_audit_tables_are_an_error(void **state)
{
  /* The store is reopened after each change: no statement prepared
   * before it is left in its cache. */
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  add_event(f, 0, "security", "before the damage");
  g_clear_pointer(&f->store, store_close);
  g_free(sql(f, "ALTER TABLE audit_head RENAME TO head_kept"));
  /* DISTINCT: PostgreSQL would write through a plain view. */
  g_free(sql(f, "CREATE VIEW audit_head AS SELECT DISTINCT one, last_id, hash FROM head_kept"));
  f->store = open_store(f->path);
  check(store_begin(f->store, &error), error);
  expect_reason(!store_add_event(f->store, 0, T0, "gateway", "security", "x", &error), &error,
                test_on_pg() ? "cannot update view \"audit_head\""
                             : "cannot modify audit_head because it is a view");
  store_rollback(f->store);
  g_autofree char *events = sql(f, "SELECT count(*) FROM events");
  assert_string_equal(events, "1");

  g_clear_pointer(&f->store, store_close);
  g_free(sql(f, "DROP VIEW audit_head"));
  g_free(sql(f, "ALTER TABLE head_kept RENAME TO audit_head"));
  g_free(sql(f, "ALTER TABLE events RENAME COLUMN detail TO note"));
  f->store = open_store(f->path);
  IgVerifyCounts n;
  expect_missing_column(!store_verify(f->store, &n, &error), &error, "detail");
  expect_missing_insert_column(!store_add_event(f->store, 0, T0, "gateway", "security", "x",
                                                &error), &error, "events", "detail");
}

/* An event of no incident (a failed log-in) reads no incident's state:
 * with the management reports' table gone it is still recorded, while an
 * incident's event fails with the reason. */
static void test_event_of_no_incident_reads_no_incident(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  g_clear_pointer(&f->store, store_close);
  g_free(sql(f, "DROP TABLE management_reports"));
  f->store = open_store(f->path);
  add_event(f, 0, "security", "failed authentication");
  expect_missing_table(!store_add_event(f->store, inc, T0, "gateway", "note", "x", &error),
                       &error, "management_reports");
  g_autofree char *events = sql(f, "SELECT count(*) FROM events");
  assert_string_equal(events, "1");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_verify_good_then_changed_event),
    T(test_verify_deleted_event),
    T(test_verify_deleted_newest_event),
    cmocka_unit_test(test_verify_altered_head),
    cmocka_unit_test(test_verify_damaged_tables),
    T(test_verify_changed_raw_message),
    cmocka_unit_test(test_verify_what_the_chain_covers),
    T(test_verify_truncated_chain_with_head_rewritten),
    cmocka_unit_test(test_verify_every_event_column),
    T(test_verify_rehashed_event),
    T(test_verify_anchor),
    T(test_state_text_is_stable),
    T(test_verify_unreadable_incidents),
    T(test_verify_malformed_incidents),
    T(test_damaged_audit_tables_are_an_error),
    T(test_event_of_no_incident_reads_no_incident),
    T(test_verify_gap_stays_after_new_event),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

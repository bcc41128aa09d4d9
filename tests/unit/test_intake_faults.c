/* test_intake_faults.c - unit tests for gateway/intake.c when the store
 * refuses a step (no mocks: test_database.h's refusals, or a transaction
 * kept from beginning): in-flight marks that cannot be read or written, a
 * transaction that cannot begin, a failure count or a quarantine that
 * cannot be written. The batch fails with the store's error and records
 * nothing, and the in-flight marks left behind are what a restart needs:
 * every message of a batch is marked before its filing starts, and a
 * message left marked by a batch is then recorded alone, marked alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "parsers/hash.h"
#include "gateway/intake.h"
#include "gateway/store.h"
#include "gateway/store_db.h"
#include "tests/unit/intake_fixture.h"

#define REFUSED "refused by the test"

static int setup(void **state)
{
  *state = intake_fixture_new("");
  return 0;
}

static int teardown(void **state)
{
  intake_fixture_free(*state);
  return 0;
}

/* The deny_at-th BEGIN is refused: SQLite fails it as "not authorized". */
typedef struct {
  int seen, deny_at;
} Begins;

static int authorize(void *data, int action, const char *a, const char *b, const char *db,
                     const char *trigger)
{
  Begins *r = data;
  if (action != SQLITE_TRANSACTION || g_strcmp0(a, "BEGIN") != 0)
    return SQLITE_OK;
  return ++r->seen == r->deny_at ? SQLITE_DENY : SQLITE_OK;
}

/* The n-th BEGIN of the next batch refused (SQLite only). */
static void refuse_begin(Fixture *f, Begins *b, int n)
{
  *b = (Begins){ 0, n };
  sqlite3_set_authorizer(f->store->db, authorize, b);
}

/* On PostgreSQL, the session that holds the writers' lock. */
static PgConn *writer;

/* The next batch's filing cannot begin: its BEGIN, the second (the first
 * marks the messages), is refused. On PostgreSQL another session holds
 * the writers' lock, which store_begin() takes and the marks' transaction
 * does not, and the store's session waits for a lock only briefly (it
 * would wait as long as it takes). The words of the error. */
static const char *refuse_filing(Fixture *f, Begins *b)
{
  if (!test_on_pg()) {
    refuse_begin(f, b, 2);
    return "not authorized";
  }
  g_autoptr(GError) error = NULL;
  const IgPgOps *ops = f->store->pg_ops;
  writer = ops->connect(f->config->database, &error);
  if (!writer || !ops->exec(writer, "SELECT pg_advisory_lock(" SQ_WRITERS_LOCK ")", &error))
    fail_msg("%s", error->message);
  test_store_exec(f->store, "SET lock_timeout = '100ms'");
  return "lock timeout";
}

static GBytes *report(int n)
{
  char *text = g_strdup_printf("From: r%d@justice.gov.uk\nSubject: report %d\n"
                               "Message-ID: <r%d@x>\n\nSomething odd happened (%d).\n",
                               n, n, n, n);
  return g_bytes_new_take(text, strlen(text));
}

static char *sha_of(GBytes *b)
{
  gsize len = 0;
  const char *data = g_bytes_get_data(b, &len);
  return hash_sha256_hex(data, len);
}

/* Files raws as one batch, which fails with an error holding cause
 * (cause NULL: succeeds), then lifts the refusal; the outcomes are left
 * in items, which the caller clears. */
static gboolean run_batch(Fixture *f, IgIntakeItem *items, GBytes **raws, gsize n,
                          const char *cause)
{
  for (gsize i = 0; i < n; i++)
    items[i] = (IgIntakeItem){ .name = "test", .raw = raws[i] };
  g_autoptr(GError) error = NULL;
  gboolean ok = intake_batch(&f->ctx, items, n, &error);
  test_store_allow(f->store);
  if (writer) {
    f->store->pg_ops->close(writer);
    writer = NULL;
    test_store_exec(f->store, "RESET lock_timeout");
  }
  assert_true(ok == (error == NULL));
  if (!cause)
    assert_null(error);
  else if (!error || !strstr(error->message, cause))
    fail_msg("the batch: %s, not %s", error ? error->message : "recorded", cause);
  return ok;
}

static int count_rows(Fixture *f, const char *table)
{
  g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM %s", table);
  g_autofree char *n = query_text(f, sql);
  return atoi(n);
}

/* Each message failed and nothing recorded. */
static void assert_nothing_recorded(Fixture *f, IgIntakeItem *items, gsize n)
{
  for (gsize i = 0; i < n; i++) {
    assert_int_equal(items[i].outcome, IG_INTAKE_FAILED);
    intake_item_clear(&items[i]);
  }
  assert_int_equal(count_rows(f, "messages"), 0);
  assert_int_equal(count_rows(f, "incidents"), 0);
}

/* The in-flight marks cannot be read: nothing is marked or recorded. */
static void test_marks_unreadable(void **state)
{
  Fixture *f = *state;
  GBytes *raws[1] = { report(1) };
  IgIntakeItem items[1];
  Hidden marks = { "in_flight", NULL, 0, 0 };
  test_store_hide(f->store, &marks);
  g_autofree char *cause = test_hidden_reason(f->store, &marks);
  assert_false(run_batch(f, items, raws, 1, cause));
  assert_nothing_recorded(f, items, 1);
  assert_int_equal(count_rows(f, "in_flight"), 0);
  g_bytes_unref(raws[0]);
}

/* The marking transaction cannot begin: nothing is marked or recorded. */
static void test_mark_cannot_begin(void **state)
{
  Fixture *f = *state;
  /* On PostgreSQL the marks' BEGIN takes no lock: only a lost connection
   * keeps it from beginning. */
  if (test_on_pg())
    skip();
  GBytes *raws[2] = { report(1), report(2) };
  IgIntakeItem items[2];
  Begins first;
  refuse_begin(f, &first, 1);
  assert_false(run_batch(f, items, raws, 2, "not authorized"));
  assert_nothing_recorded(f, items, 2);
  assert_int_equal(count_rows(f, "in_flight"), 0);
  for (int i = 0; i < 2; i++)
    g_bytes_unref(raws[i]);
}

/* A mark that cannot be written: nothing is marked or recorded. */
static void test_mark_refused(void **state)
{
  Fixture *f = *state;
  GBytes *raws[2] = { report(1), report(2) };
  IgIntakeItem items[2];
  test_store_refuse(f->store, "INSERT", "in_flight", NULL, REFUSED);
  assert_false(run_batch(f, items, raws, 2, REFUSED));
  assert_nothing_recorded(f, items, 2);
  assert_int_equal(count_rows(f, "in_flight"), 0);
  for (int i = 0; i < 2; i++)
    g_bytes_unref(raws[i]);
}

/* A batch whose filing cannot begin, as a batch the gateway died in, has
 * every message marked. Offered again, the first is recorded alone and
 * marked alone first: when that fails too it is the suspect. The third
 * time both are recorded, the first with one failure counted. */
static void test_batch_marks_then_alone(void **state)
{
  Fixture *f = *state;
  GBytes *raws[2] = { report(1), report(2) };
  g_autofree char *one = sha_of(raws[0]), *two = sha_of(raws[1]);
  IgIntakeItem items[2];
  Begins filing;

  const char *cause = refuse_filing(f, &filing);
  assert_false(run_batch(f, items, raws, 2, cause));
  assert_nothing_recorded(f, items, 2);
  assert_int_equal(store_in_flight_get(f->store, one, NULL), 0);
  assert_int_equal(store_in_flight_get(f->store, two, NULL), 0);

  cause = refuse_filing(f, &filing);
  assert_false(run_batch(f, items, raws, 2, cause));
  assert_nothing_recorded(f, items, 2);
  assert_int_equal(store_in_flight_get(f->store, one, NULL), 1);
  assert_int_equal(store_in_flight_get(f->store, two, NULL), 0);
  assert_int_equal(count_rows(f, "failures"), 0);

  assert_true(run_batch(f, items, raws, 2, NULL));
  for (int i = 0; i < 2; i++) {
    assert_int_equal(items[i].outcome, IG_INTAKE_NEW);
    intake_item_clear(&items[i]);
    g_bytes_unref(raws[i]);
  }
  assert_int_equal(count_rows(f, "in_flight"), 0);
  assert_int_equal(store_note_failure(f->store, one, "probe", "2026-11-23T10:00:00Z", NULL), 2);
  assert_int_equal(store_note_failure(f->store, two, "probe", "2026-11-23T10:00:00Z", NULL), 1);
}

/* A message marked alone whose failure cannot be counted is not recorded
 * uncounted: the batch fails and the mark stays. */
static void test_failure_count_refused(void **state)
{
  Fixture *f = *state;
  GBytes *raws[1] = { report(1) };
  g_autofree char *sha = sha_of(raws[0]);
  assert_true(store_in_flight_set(f->store, sha, TRUE, NULL));
  IgIntakeItem items[1];
  test_store_refuse(f->store, "INSERT", "failures", NULL, REFUSED);
  assert_false(run_batch(f, items, raws, 1, REFUSED));
  assert_nothing_recorded(f, items, 1);
  assert_int_equal(store_in_flight_get(f->store, sha, NULL), 1);
  assert_int_equal(count_rows(f, "failures"), 0);
  g_bytes_unref(raws[0]);
}

/* A message at its third death, marked alone: its failure counted and
 * kept; its quarantine the next transaction. */
static GBytes *third_death(Fixture *f, char **sha)
{
  GBytes *raw = report(1);
  *sha = sha_of(raw);
  for (int i = 0; i < 2; i++)
    store_note_failure(f->store, *sha, "the gateway stopped", "2026-11-23T09:00:00Z", NULL);
  assert_true(store_in_flight_set(f->store, *sha, TRUE, NULL));
  return raw;
}

/* At its third death a message is quarantined; when that transaction
 * cannot begin, nothing is quarantined and the mark stays. */
static void test_quarantine_cannot_begin(void **state)
{
  Fixture *f = *state;
  /* The quarantine's BEGIN follows one that counts the failure, and on
   * PostgreSQL only the writers' lock fails a BEGIN: it would fail that. */
  if (test_on_pg())
    skip();
  g_autofree char *sha = NULL;
  GBytes *raws[1] = { third_death(f, &sha) };
  IgIntakeItem items[1];
  Begins quarantine;
  refuse_begin(f, &quarantine, 2);
  assert_false(run_batch(f, items, raws, 1, "not authorized"));
  assert_nothing_recorded(f, items, 1);
  assert_int_equal(store_in_flight_get(f->store, sha, NULL), 1);
  g_bytes_unref(raws[0]);
}

/* When the quarantine cannot be written, nothing of it is kept and the
 * mark stays; the next time the message is quarantined, its deaths all
 * counted. */
static void test_quarantine_refused(void **state)
{
  Fixture *f = *state;
  g_autofree char *sha = NULL;
  GBytes *raws[1] = { third_death(f, &sha) };
  IgIntakeItem items[1];
  test_store_refuse(f->store, "INSERT", "messages", "NEW.kind = 'quarantined'", REFUSED);
  assert_false(run_batch(f, items, raws, 1, REFUSED));
  assert_nothing_recorded(f, items, 1);
  assert_int_equal(store_in_flight_get(f->store, sha, NULL), 1);

  assert_true(run_batch(f, items, raws, 1, NULL));
  assert_int_equal(items[0].outcome, IG_INTAKE_QUARANTINED);
  intake_item_clear(&items[0]);
  g_autofree char *note = query_text(f, "SELECT note FROM messages");
  expect_contains(note, "the gateway stopped 4 times while recording it");
  assert_int_equal(count_rows(f, "in_flight"), 0);
  g_bytes_unref(raws[0]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_marks_unreadable, setup, teardown),
    cmocka_unit_test_setup_teardown(test_mark_cannot_begin, setup, teardown),
    cmocka_unit_test_setup_teardown(test_mark_refused, setup, teardown),
    cmocka_unit_test_setup_teardown(test_batch_marks_then_alone, setup, teardown),
    cmocka_unit_test_setup_teardown(test_failure_count_refused, setup, teardown),
    cmocka_unit_test_setup_teardown(test_quarantine_cannot_begin, setup, teardown),
    cmocka_unit_test_setup_teardown(test_quarantine_refused, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_intake_faults.c - unit tests for gateway/intake.c when the store
 * refuses a step (an SQLite authorizer stands in for the fault, no mocks):
 * in-flight marks that cannot be read or written, a transaction that
 * cannot begin, a failure count that cannot be written. The batch fails
 * with the store's error and records nothing, and the in-flight marks
 * left behind are what a restart needs: every message of a batch is
 * marked before its filing starts, and a message left marked by a batch
 * is then recorded alone, marked alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "gateway/hash.h"
#include "gateway/intake.h"
#include "gateway/store.h"
#include "gateway/store_db.h"
#include "tests/unit/intake_fixture.h"

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

/* The deny_at-th statement of this action on what (a table, or "BEGIN"
 * for a transaction) is refused: SQLite then fails it as "not authorized",
 * or a read of a column as "prohibited". */
typedef struct {
  int action;
  const char *what;
  int seen, deny_at;
} Refusal;

static int authorize(void *data, int action, const char *a, const char *b, const char *db,
                     const char *trigger)
{
  Refusal *r = data;
  if (trigger || action != r->action || g_strcmp0(a, r->what) != 0)
    return SQLITE_OK;
  return ++r->seen == r->deny_at ? SQLITE_DENY : SQLITE_OK;
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

/* Files raws as one batch under refusal (none when r is NULL); the
 * outcomes are left in items, which the caller clears. */
static gboolean run_batch(Fixture *f, IgIntakeItem *items, GBytes **raws, gsize n, Refusal *r)
{
  for (gsize i = 0; i < n; i++)
    items[i] = (IgIntakeItem){ .name = "test", .raw = raws[i] };
  if (r)
    sqlite3_set_authorizer(f->store->db, authorize, r);
  g_autoptr(GError) error = NULL;
  gboolean ok = intake_batch(&f->ctx, items, n, &error);
  sqlite3_set_authorizer(f->store->db, NULL, NULL);
  assert_true(ok == (error == NULL));
  if (error)
    assert_true(strstr(error->message, "not authorized") ||
                strstr(error->message, "prohibited"));
  return ok;
}

static int count_rows(Fixture *f, const char *table)
{
  g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM %s", table);
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(f->store->db, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return n;
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
  Refusal read = { SQLITE_READ, "in_flight", 0, 1 };
  assert_false(run_batch(f, items, raws, 1, &read));
  assert_nothing_recorded(f, items, 1);
  assert_int_equal(count_rows(f, "in_flight"), 0);
  g_bytes_unref(raws[0]);
}

/* The marking transaction cannot begin: nothing is marked or recorded. */
static void test_mark_cannot_begin(void **state)
{
  Fixture *f = *state;
  GBytes *raws[2] = { report(1), report(2) };
  IgIntakeItem items[2];
  Refusal first_begin = { SQLITE_TRANSACTION, "BEGIN", 0, 1 };
  assert_false(run_batch(f, items, raws, 2, &first_begin));
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
  Refusal mark = { SQLITE_INSERT, "in_flight", 0, 1 };
  assert_false(run_batch(f, items, raws, 2, &mark));
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

  Refusal filing = { SQLITE_TRANSACTION, "BEGIN", 0, 2 };
  assert_false(run_batch(f, items, raws, 2, &filing));
  assert_nothing_recorded(f, items, 2);
  assert_int_equal(store_in_flight_get(f->store, one, NULL), 0);
  assert_int_equal(store_in_flight_get(f->store, two, NULL), 0);

  Refusal again = { SQLITE_TRANSACTION, "BEGIN", 0, 2 };
  assert_false(run_batch(f, items, raws, 2, &again));
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
  Refusal count = { SQLITE_INSERT, "failures", 0, 1 };
  assert_false(run_batch(f, items, raws, 1, &count));
  assert_nothing_recorded(f, items, 1);
  assert_int_equal(store_in_flight_get(f->store, sha, NULL), 1);
  assert_int_equal(count_rows(f, "failures"), 0);
  g_bytes_unref(raws[0]);
}

/* At its third death a message is quarantined; when that transaction
 * cannot begin, nothing is quarantined and the mark stays. */
static void test_quarantine_cannot_begin(void **state)
{
  Fixture *f = *state;
  GBytes *raws[1] = { report(1) };
  g_autofree char *sha = sha_of(raws[0]);
  for (int i = 0; i < 2; i++)
    store_note_failure(f->store, sha, "the gateway stopped", "2026-11-23T09:00:00Z", NULL);
  assert_true(store_in_flight_set(f->store, sha, TRUE, NULL));
  IgIntakeItem items[1];
  Refusal quarantine = { SQLITE_TRANSACTION, "BEGIN", 0, 2 };
  assert_false(run_batch(f, items, raws, 1, &quarantine));
  assert_nothing_recorded(f, items, 1);
  assert_int_equal(store_in_flight_get(f->store, sha, NULL), 1);
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
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

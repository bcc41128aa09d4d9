/* test_store_lock.c - unit tests for the case store's run lock and for a
 * store another process is using (gateway/store*.c): the lock file held by
 * something that is not a gateway run, unusable, or its PID not written,
 * and taken with stdin closed; on PostgreSQL, runs taking turns to lead
 * and a leader whose session the server ended; an upgrade another process
 * has done meanwhile, and a claim of an outbox row while another process
 * writes. Every test runs on a fresh store in a temporary directory, or a
 * fresh PostgreSQL schema. SQLite's lock file, migration and busy lock are
 * skipped on PostgreSQL; PostgreSQL's lead, migration and claim beside a
 * writer are skipped on SQLite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gateway/store_db.h"
#include "gateway/store_pg_schema.h"
#include "tests/unit/store_fixture.h"

/* --- the run lock --- */

/* The lock held by something that is not a gateway run (flock(1), a
 * backup script): refused after a short wait for a PID, saying so. */
static void test_lock_held_by_another_tool(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's lock file */
  g_autofree char *path = g_strconcat(f->path, ".lock", NULL);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  assert_true(fd >= 0);
  assert_int_equal(flock(fd, LOCK_EX), 0);
  g_autoptr(GError) error = NULL;
  assert_null(store_lock_service(f->path, &error));
  assert_non_null(error);
  assert_non_null(strstr(error->message, path));
  assert_non_null(strstr(error->message, "cannot lock: another incident-gateway run holds it"));

  /* With a PID in the file, the refusal names it: a gateway that is a
   * container's PID 1, one written without a newline, one followed by
   * more text than a PID takes. */
  static const char *const holders[][2] = {
    { "4242\n", "(PID 4242)" },
    { "1\n", "(PID 1)" },
    { "7", "(PID 7)" },
    { "4242 held by the backup script since 02:00, do not remove\n", "(PID 4242)" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(holders); i++) {
    assert_int_equal(ftruncate(fd, 0), 0);
    gssize len = (gssize)strlen(holders[i][0]);
    assert_int_equal(pwrite(fd, holders[i][0], len, 0), len);
    g_autoptr(GError) named = NULL;
    assert_null(store_lock_service(f->path, &named));
    if (!strstr(named->message, holders[i][1]))
      print_error("\"%s\" not in \"%s\"\n", holders[i][1], named->message);
    assert_non_null(strstr(named->message, holders[i][1]));
  }

  close(fd); /* released: the next run gets it, and writes its own PID */
  IgStoreLock *lock = store_lock_service(f->path, NULL);
  assert_non_null(lock);
  g_autofree char *pid = NULL;
  assert_true(g_file_get_contents(path, &pid, NULL, NULL));
  g_autofree char *mine = g_strdup_printf("%ld\n", (long)getpid());
  assert_string_equal(pid, mine);
  store_unlock_service(lock);
}

/* A lock file that cannot be opened (here a directory in its place). */
static void test_lock_file_unusable(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's lock file */
  g_autofree char *path = g_strconcat(f->path, ".lock", NULL);
  assert_int_equal(g_mkdir(path, 0750), 0);
  g_autoptr(GError) error = NULL;
  assert_null(store_lock_service(f->path, &error));
  assert_non_null(error);
  g_autofree char *want = g_strdup_printf("%s: Is a directory", path);
  assert_string_equal(error->message, want);
}

/* The PID cannot be written into the lock file (here the file size
 * limit; a full disk alike): the lock is refused, never held without
 * its holder named. */
static void test_lock_pid_not_written(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's lock file */
  struct rlimit was;
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
  struct rlimit none = { 0, was.rlim_max };
  void (*handler)(int) = signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &none), 0);
  g_autoptr(GError) error = NULL;
  IgStoreLock *lock = store_lock_service(f->path, &error);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
  signal(SIGXFSZ, handler);
  assert_null(lock);
  assert_non_null(error);
  assert_non_null(strstr(error->message, "File too large"));
}

/* A supervisor may start `run` with its standard input closed: the lock
 * file is then descriptor 0, and the lock is taken all the same. A
 * reload that keeps the store has no new lock to let go: freeing none
 * does nothing. */
static void test_lock_with_stdin_closed(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's lock file */
  g_autoptr(GError) error = NULL;
  int saved = dup(0);
  assert_true(saved > 0);
  close(0);
  IgStoreLock *lock = store_lock_service(f->path, &error);
  assert_int_equal(dup2(saved, 0), 0);
  close(saved);
  check(lock != NULL, error);
  store_unlock_service(lock);
  store_unlock_service(NULL);
}

/* On PostgreSQL any number of runs hold the lock and take turns to lead:
 * one at a time, the leader still leading when it asks again, and
 * another leading once it has let go. */
static void test_postgresql_runs_take_turns_to_lead(void **state)
{
  Fixture *f = *state;
  if (!test_on_pg())
    skip(); /* SQLite's one run: the lock file tests above */
  g_autoptr(GError) error = NULL;
  IgStoreLock *first = store_lock_service(f->path, &error);
  check(first != NULL, error);
  IgStoreLock *second = store_lock_service(f->path, &error);
  check(second != NULL, error);
  assert_true(store_lead_shared(first));
  gboolean leading = FALSE;
  check(store_lead(first, &leading, &error), error);
  assert_true(leading);
  check(store_lead(second, &leading, &error), error);
  assert_false(leading);
  check(store_lead(first, &leading, &error), error);
  assert_true(leading);
  check(store_lead(second, &leading, &error), error);
  assert_false(leading);
  store_unlock_service(first);
  /* The server ends the first's session, and lets its lock go, a moment
   * after the first closes it. */
  for (int tries = 0; !leading && tries < 200; tries++) {
    check(store_lead(second, &leading, &error), error);
    if (!leading)
      g_usleep(50 * 1000);
  }
  assert_true(leading);
  store_unlock_service(second);
}

/* The leader's session is ended by the server (a restart, an operator's
 * pg_terminate_backend): it learns it leads no more, and when it takes
 * the lead again on a new session, it holds it, and no other run leads
 * beside it. */
static void test_postgresql_leader_whose_session_ended(void **state)
{
  Fixture *f = *state;
  if (!test_on_pg())
    skip(); /* the lead is PostgreSQL's */
  g_autoptr(GError) error = NULL;
  IgStoreLock *first = store_lock_service(f->path, &error);
  check(first != NULL, error);
  IgStoreLock *second = store_lock_service(f->path, &error);
  check(second != NULL, error);
  gboolean leading = FALSE;
  check(store_lead(first, &leading, &error), error);
  assert_true(leading);
  g_free(sql(f, "SELECT pg_terminate_backend(pid) FROM pg_locks"
                " WHERE locktype = 'advisory' AND classid = 1229412186 AND granted"));
  /* Asked first, it may only then find its session gone. */
  gboolean led = TRUE;
  if (!store_lead(first, &led, &error)) {
    assert_false(led);
    g_clear_error(&error);
    check(store_lead(first, &led, &error), error);
  }
  assert_true(led);
  check(store_lead(first, &led, &error), error);
  assert_true(led);
  check(store_lead(second, &leading, &error), error);
  assert_false(leading);
  store_unlock_service(second);
  store_unlock_service(first);
}

static void keep_first(int n, const char *const *values, gpointer data)
{
  if (n > 0)
    *(char **)data = g_strdup(values[0]);
}

/* The PostgreSQL process serving the store's own connection. */
static char *store_backend(Fixture *f)
{
  char *pid = NULL;
  test_store_rows(f->store, "SELECT pg_backend_pid()", keep_first, &pid);
  assert_non_null(pid);
  return pid;
}

/* The server ends the store's own session (a restart, an operator's
 * pg_terminate_backend): at most the next statement fails, transiently,
 * and the one after it runs on a new session with its statements
 * prepared again, the old session let go. */
static void test_postgresql_store_session_ended(void **state)
{
  Fixture *f = *state;
  if (!test_on_pg())
    skip(); /* SQLite has no session to lose */
  add_incident(f, "INC-2026-000001", "new", "low", T0);
  g_autoptr(IgIncident) before = store_get_incident(f->store, "INC-2026-000001", NULL);
  assert_non_null(before);
  g_autofree char *pid = store_backend(f);
  g_autofree char *end = g_strdup_printf("SELECT pg_terminate_backend(%s)", pid);
  test_pg_exec(f->path, end);
  int failed = 0;
  IgIncident *inc = NULL;
  for (int i = 0; i < 2 && !inc; i++) {
    g_autoptr(GError) error = NULL;
    inc = store_get_incident(f->store, "INC-2026-000001", &error);
    if (!inc) {
      failed++;
      if (!g_error_matches(error, IG_ERROR, IG_ERROR_TRANSIENT))
        fail_msg("not transient: %s", error ? error->message : "no error");
    }
  }
  assert_true(failed <= 1);
  assert_non_null(inc);
  assert_string_equal(inc->reference, "INC-2026-000001");
  incident_free(inc);
  g_autofree char *now_pid = store_backend(f);
  assert_string_not_equal(now_pid, pid);
}

/* --- a busy store --- */

/* Another process's session on the store at uri; *ops: its driver. */
static PgConn *other_session(const char *uri, const IgPgOps **ops)
{
  g_autoptr(GError) error = NULL;
  *ops = pgmod_ops(&error);
  check(*ops != NULL, error);
  PgConn *conn = (*ops)->connect(uri, &error);
  check(conn != NULL, error);
  return conn;
}

static gpointer open_in_thread(gpointer path)
{
  GError *error = NULL;
  IgStore *store = store_open(path, &error);
  if (!store)
    return error;
  store_close(store);
  return NULL;
}

/* Two processes opening an old store at once: the second reads the old
 * version, then waits for the first's migration to commit, and reads
 * the version again inside its own transaction: it finds the work done
 * and opens the store, rather than running a migration a second time
 * (here it would fail: the table it creates is there). */
static void test_upgrade_done_by_another_process(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's migrations; PostgreSQL's test follows */
  g_clear_pointer(&f->store, store_close);
  g_free(sql(f, "DROP TRIGGER incident_search_add"));
  g_free(sql(f, "DROP TRIGGER incident_search_change"));
  g_free(sql(f, "DROP TRIGGER incident_search_note"));
  g_free(sql(f, "DROP TABLE incident_search"));
  g_autofree char *latest = sql(f, "PRAGMA user_version");
  g_free(sql(f, "PRAGMA user_version = 9"));
  sqlite3 *other = NULL;
  assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
  g_autofree char *upgrade = g_strdup_printf("BEGIN IMMEDIATE;"
                                             " CREATE VIRTUAL TABLE incident_search"
                                             " USING fts5(summary); PRAGMA user_version = %s",
                                             latest);
  assert_int_equal(sqlite3_exec(other, upgrade, NULL, NULL, NULL), SQLITE_OK);
  GThread *opener = g_thread_new("open", open_in_thread, f->path);
  g_usleep(300 * 1000); /* it has read version 9 and waits for the lock */
  assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(other);
  g_autoptr(GError) error = g_thread_join(opener);
  assert_null(error);
  f->store = open_store(f->path);
}

/* Two gateways starting at once on PostgreSQL: the second waits for the
 * first's migration (under the writers' lock), then reads the version
 * again and finds the work done, rather than making the tables a second
 * time (which would fail: they are there). */
static void test_postgresql_upgrade_done_by_another_process(void **state)
{
  Fixture *f = *state;
  if (!test_on_pg())
    skip(); /* SQLite's own test is the one above */
  g_autoptr(GError) error = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *uri = test_database_new(f->dir, "new", &schema);
  const IgPgOps *ops = NULL;
  PgConn *other = other_session(uri, &ops);
  g_autoptr(GString) upgrade = g_string_new("BEGIN;"
                                            " SELECT pg_advisory_xact_lock(" SQ_WRITERS_LOCK ");");
  for (int v = 0; v < pg_schema_version(); v++)
    g_string_append(upgrade, pg_migration(v));
  check(ops->exec(other, upgrade->str, &error), error);
  GThread *opener = g_thread_new("open", open_in_thread, uri);
  g_usleep(300 * 1000); /* it waits for the lock */
  check(ops->exec(other, "COMMIT", &error), error);
  ops->close(other);
  g_autoptr(GError) opened = g_thread_join(opener);
  assert_null(opened);
  test_database_free(schema);
}

/* A gateway starting while another holds the writers' lock and never
 * lets go (a hung process) waits 10 s, as a writer does, then fails
 * transiently: an MTA's ingest exits 75 and the mail is tried again,
 * rather than the store opened without the lock its upgrade needs. */
static void test_postgresql_open_waits_10s_for_writers(void **state)
{
  Fixture *f = *state;
  if (!test_on_pg())
    skip(); /* SQLite's busy timeout: test_upgrade_done_by_another_process */
  g_autoptr(GError) error = NULL;
  const IgPgOps *ops = NULL;
  PgConn *other = other_session(f->path, &ops);
  check(ops->exec(other, "BEGIN; SELECT pg_advisory_xact_lock(" SQ_WRITERS_LOCK ")", &error),
        error);
  gint64 start = g_get_monotonic_time();
  GError *opened = open_in_thread(f->path);
  gint64 waited_ms = (g_get_monotonic_time() - start) / 1000;
  ops->close(other);
  assert_non_null(opened);
  if (!g_error_matches(opened, IG_ERROR, IG_ERROR_TRANSIENT) ||
      !strstr(opened->message, "lock timeout"))
    fail_msg("not a transient lock timeout: %s", opened->message);
  g_error_free(opened);
  if (waited_ms < 9000 || waited_ms > 30000)
    fail_msg("waited %" G_GINT64_FORMAT " ms, not 10 s", waited_ms);
}

/* While another process holds the write lock, claiming an outbox row
 * fails as transient ("locked"), and leaves the row to the next try and
 * the connection syncing every commit again. */
static void test_claim_on_busy_store(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's busy lock; PostgreSQL's test follows */
  gint64 id = add_outbox(f, 0, "ack", "jane@example.org", "o1@gw", T0);
  sqlite3_busy_timeout(f->store->db, 0); /* the 10 s wait, cut short */
  sqlite3 *other = NULL;
  assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
  assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);

  g_autoptr(GError) error = NULL;
  g_autoptr(IgOutboxRec) none = store_outbox_claim(f->store, T0, "me 1",
                                                   "2026-01-01T10:10:00Z", &error);
  assert_null(none);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_TRANSIENT));
  assert_non_null(strstr(error->message, "database is locked"));
  assert_true(sqlite3_get_autocommit(f->store->db)); /* no transaction left open */
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(f->store->db, "PRAGMA synchronous", -1, &st, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  assert_int_equal(sqlite3_column_int(st, 0), 2); /* FULL */
  sqlite3_finalize(st);

  assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(other);
  g_autoptr(IgOutboxRec) row = claim(f, T0, "me 1");
  assert_int_equal(row->id, id);
}

/* On PostgreSQL a claim takes no writers' lock and waits for no row:
 * while another process holds that lock and is claiming a row, the
 * claim takes the next row at once, and the other's once it is free. */
static void test_postgresql_claim_beside_a_writer(void **state)
{
  Fixture *f = *state;
  if (!test_on_pg())
    skip(); /* SQLite's writers take turns: the test above */
  g_autoptr(GError) error = NULL;
  gint64 one = add_outbox(f, 0, "ack", "jane@example.org", "o1@gw", T0);
  gint64 two = add_outbox(f, 0, "ack", "bob@example.org", "o2@gw", T0);
  const IgPgOps *ops = NULL;
  PgConn *other = other_session(f->path, &ops);
  /* A claim that waited would have the other's session ended under it
   * after 5 s and take row one: the test fails rather than hangs. */
  g_autofree char *hold = g_strdup_printf(
      "SET idle_in_transaction_session_timeout = '5s'; BEGIN;"
      " SELECT pg_advisory_xact_lock(" SQ_WRITERS_LOCK ");"
      " SELECT id FROM outbox WHERE id = %" G_GINT64_FORMAT " FOR UPDATE", one);
  check(ops->exec(other, hold, &error), error);
  g_autoptr(IgOutboxRec) next = claim(f, T0, "me 1");
  assert_int_equal(next->id, two);
  check(ops->exec(other, "ROLLBACK", &error), error);
  ops->close(other);
  g_autoptr(IgOutboxRec) freed = claim(f, T0, "me 1");
  assert_int_equal(freed->id, one);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_lock_held_by_another_tool),
    T(test_lock_pid_not_written),
    T(test_lock_with_stdin_closed),
    T(test_lock_file_unusable),
    T(test_postgresql_runs_take_turns_to_lead),
    T(test_postgresql_leader_whose_session_ended),
    T(test_postgresql_store_session_ended),
    T(test_upgrade_done_by_another_process),
    T(test_postgresql_upgrade_done_by_another_process),
    T(test_postgresql_open_waits_10s_for_writers),
    T(test_claim_on_busy_store),
    T(test_postgresql_claim_beside_a_writer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_store_errors.c - unit tests for the case store when things go
 * wrong (gateway/store*.c): files that are not a usable store are refused
 * and left as they are, the run lock when its holder is not a gateway, a
 * store busy with another process's write, a full disk inside and outside
 * a transaction, and a damaged table read as an error, never as empty.
 * Every test runs on a fresh store in a temporary directory, or a fresh
 * PostgreSQL schema. SQLite's files, lock file and full disk have no
 * PostgreSQL counterpart and are skipped there; PostgreSQL's own tests
 * (another program's tables, the lead, a migration or a claim beside
 * another process, a failure that ends the transaction) are skipped on
 * SQLite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gateway/store_db.h"
#include "gateway/store_pg_schema.h"
#include "tests/unit/store_fixture.h"

/* --- helpers --- */

/* store_open(path) must fail with an error holding needle, naming the
 * store. */
static void expect_refused(const char *path, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IgStore) store = store_open(path, &error);
  assert_null(store);
  assert_non_null(error);
  if (!strstr(error->message, needle))
    print_error("\"%s\" not in \"%s\"\n", needle, error->message);
  assert_non_null(strstr(error->message, needle));
  g_autofree char *shown = sq_database_shown(path);
  assert_non_null(strstr(error->message, shown));
}

static char *file_sha(const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(path, &data, &len, NULL));
  return hash_sha256_hex(data, len);
}

/* Runs statements on path through a raw connection of its own. */
static void raw_exec(const char *path, const char *sql_text)
{
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  char *msg = NULL;
  if (sqlite3_exec(db, sql_text, NULL, NULL, &msg) != SQLITE_OK)
    print_error("%s: %s\n", sql_text, msg);
  assert_null(msg);
  sqlite3_close(db);
}

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

/* --- files that are not a store --- */

/* Another program's SQLite database (its own application_id) is refused
 * and not changed by a byte: no schema, no log mode. */
static void test_foreign_database_refused(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's application_id */
  g_autofree char *path = g_build_filename(f->dir, "other.db", NULL);
  raw_exec(path, "PRAGMA application_id = 1234; CREATE TABLE notes(x);"
                 " INSERT INTO notes VALUES('keep me')");
  g_autofree char *before = file_sha(path);
  expect_refused(path, "another program's SQLite database (application_id 0x000004d2)");
  g_autofree char *after = file_sha(path);
  assert_string_equal(after, before);
  g_autofree char *wal = g_strconcat(path, "-wal", NULL);
  assert_false(g_file_test(wal, G_FILE_TEST_EXISTS));
}

/* A database with no application_id is taken for a store from before it
 * was set only with a schema version and all four of the gateway's
 * tables: an empty version with the tables, or a version without them,
 * is some other program's file, refused and left as it is. */
static void test_database_without_application_id_refused(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's application_id */
  static const char *const others[] = {
    "CREATE TABLE notes(x); INSERT INTO notes VALUES('keep me')",
    "PRAGMA user_version = 3; CREATE TABLE notes(x)",
    "CREATE TABLE incidents(x); CREATE TABLE messages(x); CREATE TABLE events(x);"
    " CREATE TABLE outbox(x)",
    "PRAGMA user_version = 4; CREATE TABLE incidents(x); CREATE TABLE messages(x);"
    " CREATE TABLE events(x)",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(others); i++) {
    g_autofree char *name = g_strdup_printf("other%zu.db", i);
    g_autofree char *path = g_build_filename(f->dir, name, NULL);
    raw_exec(path, others[i]);
    g_autofree char *before = file_sha(path);
    expect_refused(path, "an SQLite database without the gateway's tables");
    g_autofree char *after = file_sha(path);
    assert_string_equal(after, before);
  }
}

/* On PostgreSQL, a database with an incidents table but no schema
 * version of the gateway's is another program's (or a store half made by
 * hand): refused, naming it, and left as it is, nothing made beside it. */
static void test_postgresql_foreign_tables_refused(void **state)
{
  Fixture *f = *state;
  if (!test_on_pg())
    skip(); /* SQLite's foreign files are the tests above */
  Fixture other = { 0 };
  other.path = test_database_new(f->dir, "other", &other.schema);
  g_free(sql(&other, "CREATE TABLE incidents(x text)"));
  g_free(sql(&other, "INSERT INTO incidents VALUES('keep me')"));
  expect_refused(other.path, "a database with an incidents table but no gateway schema"
                             " version; refusing to use it as the store");
  g_autofree char *tables = sql_joined(&other, "table_name", " ", "information_schema.tables"
                                       " WHERE table_schema = current_schema()", "table_name");
  assert_string_equal(tables, "incidents");
  g_autofree char *routines = sql(&other, "SELECT count(*) FROM information_schema.routines"
                                          " WHERE routine_schema = current_schema()");
  assert_string_equal(routines, "0");
  g_autofree char *kept = sql(&other, "SELECT x FROM incidents");
  assert_string_equal(kept, "keep me");
  test_database_free(other.schema);
  g_free(other.path);
  g_free(other.schema);
}

/* database = a directory (a typo for its parent): refused by name. */
static void test_directory_refused(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* a path of SQLite's */
  expect_refused(f->dir, "not a regular file; refusing to use it as the store");
}

/* A store path that is a link to a volume not mounted: refused, and no
 * new empty store is made behind it where the real one should be. */
static void test_dangling_link_refused(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* a path of SQLite's */
  g_autofree char *target = g_build_filename(f->dir, "unmounted", "gateway.db", NULL);
  g_autofree char *link = g_build_filename(f->dir, "linked.db", NULL);
  assert_int_equal(symlink(target, link), 0);
  expect_refused(link, "No such file or directory");
  assert_false(g_file_test(target, G_FILE_TEST_EXISTS));
  assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
  g_autoptr(GDir) dir = g_dir_open(f->dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name(dir));)
    assert_false(g_str_has_prefix(name, ".linked.db.new-")); /* nothing half-made left */
}

/* A store with 64 KiB pages (the header writes that size as 1) is opened,
 * and refused once a page is cut off its end. */
static void test_truncated_store_with_64k_pages_refused(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's file header */
  add_incident(f, "INC-2026-000001", "new", "low", T0);
  g_clear_pointer(&f->store, store_close);
  raw_exec(f->path, "PRAGMA journal_mode = DELETE; PRAGMA page_size = 65536; VACUUM;"
                    " PRAGMA journal_mode = WAL");
  g_autofree char *size = sql(f, "PRAGMA page_size");
  assert_string_equal(size, "65536");
  f->store = open_store(f->path);
  g_clear_pointer(&f->store, store_close);

  GStatBuf st;
  assert_int_equal(g_stat(f->path, &st), 0);
  assert_int_equal(truncate(f->path, st.st_size - 65536), 0);
  g_autofree char *before = file_sha(f->path);
  expect_refused(f->path, "the file is truncated");
  g_autofree char *after = file_sha(f->path);
  assert_string_equal(after, before);
  assert_int_equal(truncate(f->path, st.st_size), 0); /* for teardown */
  f->store = open_store(f->path);
}

/* Files that are no SQLite database at all (a config file given by
 * mistake, the first bytes of a store cut short) are refused as such and
 * left as they are. */
static void test_not_a_database_refused(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's file header */
  g_autofree char *text = g_build_filename(f->dir, "gateway.conf", NULL);
  g_autoptr(GString) lines = g_string_new(NULL);
  for (int i = 0; i < 8; i++)
    g_string_append(lines, "[mail]\nfrom = gateway@example.org # not a store\n");
  assert_true(g_file_set_contents(text, lines->str, -1, NULL));
  g_autofree char *cut = g_build_filename(f->dir, "cut.db", NULL);
  assert_true(g_file_set_contents(cut, "SQLite format 3\0\x10\0\x02\x02", 20, NULL));
  const char *paths[] = { text, cut };
  for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
    g_autofree char *before = file_sha(paths[i]);
    expect_refused(paths[i], "not an SQLite database; refusing to use it as the store");
    g_autofree char *after = file_sha(paths[i]);
    assert_string_equal(after, before);
  }
}

/* A store cut short whose header counts more than 2^24 pages: the size
 * it should have is read from all four bytes of the count, and named.
 * (The file is sparse: no disk is used.) With a write-ahead log beside
 * it holding pages, the main file's size proves nothing and it is not
 * refused as truncated. */
static void test_truncated_big_store_refused(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's file header */
  g_autofree char *path = g_build_filename(f->dir, "big.db", NULL);
  guint8 header[100] = "SQLite format 3";
  header[16] = 0x02;                          /* 512-byte pages */
  header[27] = header[95] = 1;                /* the count is valid */
  memcpy(header + 28, "\x01\x02\x03\x04", 4); /* 16909060 pages */
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
  assert_true(fd >= 0);
  assert_int_equal(pwrite(fd, header, sizeof header, 0), (ssize_t)sizeof header);
  assert_int_equal(ftruncate(fd, (off_t)16909059 * 512), 0);
  close(fd);
  expect_refused(path, "the file is truncated (8657438208 bytes, its header says 8657438720)");
  GStatBuf st;
  assert_int_equal(g_stat(path, &st), 0);
  assert_int_equal(st.st_size, (off_t)16909059 * 512);

  g_autofree char *wal = g_strconcat(path, "-wal", NULL);
  assert_true(g_file_set_contents(wal, "pages", -1, NULL));
  g_autoptr(GError) error = NULL;
  g_autoptr(IgStore) store = store_open(path, &error);
  assert_null(store);
  assert_non_null(error);
  assert_null(strstr(error->message, "truncated"));
}

static guint open_descriptors(void)
{
  g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
  guint n = 0;
  while (g_dir_read_name(dir))
    n++;
  return n;
}

/* Checking a store's file before SQLite opens it leaves no descriptor
 * behind, not even when it got descriptor 0 (the gateway started with
 * standard input closed): the file would stay open, and be read as
 * input. On PostgreSQL, a closed store leaves no connection open. */
static void test_open_leaves_no_descriptor(void **state)
{
  Fixture *f = *state;
  g_clear_pointer(&f->store, store_close);
  guint before = open_descriptors();
  f->store = open_store(f->path);
  g_clear_pointer(&f->store, store_close);
  assert_int_equal(open_descriptors(), before);

  int saved = dup(0);
  assert_true(saved > 0);
  close(0);
  f->store = open_store(f->path);
  g_clear_pointer(&f->store, store_close);
  char target[4096] = "";
  ssize_t len = readlink("/proc/self/fd/0", target, sizeof target - 1);
  assert_int_equal(dup2(saved, 0), 0);
  close(saved);
  if (len > 0)
    assert_null(strstr(target, "gateway.db"));
  f->store = open_store(f->path);
}

/* A store to be made in a directory the gateway may not write: refused
 * with the reason, nothing left behind. (root writes anywhere: skipped.) */
static void test_read_only_directory_refused(void **state)
{
  Fixture *f = *state;
  if (geteuid() == 0 || test_on_pg())
    skip(); /* root writes anywhere; a directory of SQLite's */
  g_autofree char *ro = g_build_filename(f->dir, "ro", NULL);
  assert_int_equal(g_mkdir(ro, 0555), 0);
  g_autofree char *path = g_build_filename(ro, "gateway.db", NULL);
  g_autoptr(GError) error = NULL;
  assert_null(store_open(path, &error));
  g_autofree char *want = g_strdup_printf("%s: cannot create: Permission denied", ro);
  assert_string_equal(error->message, want);
  g_autoptr(GDir) dir = g_dir_open(ro, 0, NULL);
  assert_null(g_dir_read_name(dir));
  assert_int_equal(g_chmod(ro, 0750), 0); /* for teardown */
}

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

/* --- a busy store --- */

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
  const IgPgOps *ops = pgmod_ops(&error);
  check(ops != NULL, error);
  PgConn *other = ops->connect(uri, &error);
  check(other != NULL, error);
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
  const IgPgOps *ops = pgmod_ops(&error);
  check(ops != NULL, error);
  PgConn *other = ops->connect(f->path, &error);
  check(other != NULL, error);
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

/* When a write inside a transaction fills the disk, SQLite rolls the
 * whole transaction back; every later call in it then fails with that
 * first cause (not "no transaction is active", not an empty answer), and
 * nothing of it is stored. */
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

/* --- a damaged file --- */

/* A table whose page was overwritten on disk: listing it fails with
 * SQLite's reason instead of printing a partial or empty list. */
static void test_damaged_table_is_an_error(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* a page of SQLite's file overwritten */
  put_message(f, "m1@x", "Subject: m\n\nm\n", 0, TRUE);
  g_autofree char *root = sql(f, "SELECT rootpage FROM sqlite_schema WHERE name = 'messages'");
  g_autofree char *page_size = sql(f, "PRAGMA page_size");
  /* Closing leaves the log for SQLite's next automatic checkpoint (an MTA
   * pipe closes the store at every message); the raw connection writes it
   * back into the file, where the damage goes. */
  g_clear_pointer(&f->store, store_close);
  g_autofree char *wal = g_strconcat(f->path, "-wal", NULL);
  GStatBuf st;
  assert_int_equal(g_stat(wal, &st), 0);
  assert_true(st.st_size > 0);
  g_free(sql(f, "PRAGMA wal_checkpoint(TRUNCATE)"));

  int fd = open(f->path, O_WRONLY | O_CLOEXEC);
  assert_true(fd >= 0);
  char junk[512];
  memset(junk, 0x5a, sizeof junk);
  off_t at = (off_t)(atoi(root) - 1) * atoi(page_size);
  assert_int_equal(pwrite(fd, junk, sizeof junk, at), (ssize_t)sizeof junk);
  close(fd);

  f->store = open_store(f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = store_list_messages(f->store, FALSE, &error);
  assert_null(list);
  assert_non_null(error);
  if (!strstr(error->message, "malformed"))
    print_error("error: %s\n", error->message);
  assert_non_null(strstr(error->message, "database disk image is malformed"));
  assert_non_null(strstr(error->message, f->path));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_foreign_database_refused),
    T(test_database_without_application_id_refused),
    T(test_postgresql_foreign_tables_refused),
    T(test_directory_refused),
    T(test_dangling_link_refused),
    T(test_truncated_store_with_64k_pages_refused),
    T(test_not_a_database_refused),
    T(test_truncated_big_store_refused),
    T(test_open_leaves_no_descriptor),
    T(test_read_only_directory_refused),
    T(test_lock_held_by_another_tool),
    T(test_lock_pid_not_written),
    T(test_lock_with_stdin_closed),
    T(test_lock_file_unusable),
    T(test_postgresql_runs_take_turns_to_lead),
    T(test_postgresql_leader_whose_session_ended),
    T(test_upgrade_done_by_another_process),
    T(test_postgresql_upgrade_done_by_another_process),
    T(test_claim_on_busy_store),
    T(test_postgresql_claim_beside_a_writer),
    T(test_full_disk_outside_transaction),
    T(test_full_disk_loses_the_transaction),
    T(test_full_disk_in_a_trigger_ends_the_transaction),
    T(test_postgresql_failure_ends_the_transaction),
    T(test_failure_rolled_back_to_its_savepoint),
    T(test_damaged_table_is_an_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_store_files.c - unit tests for the case store given files it must
 * not use (gateway/store*.c): another program's SQLite database, a
 * database without the gateway's tables, a directory, a link to a volume
 * not mounted, a truncated store, a file that is no SQLite database, a
 * directory the gateway may not write, all refused and left as they are;
 * no descriptor left by checking the file; and a damaged table read as an
 * error, never as empty. Every test runs on a fresh store in a temporary
 * directory, or a fresh PostgreSQL schema. SQLite's files and pages have
 * no PostgreSQL counterpart and are skipped there; another program's
 * tables on PostgreSQL are skipped on SQLite. */
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

/* A PostgreSQL schema of its own beside the test's, made by sql_text (one
 * or more statements): another program's tables. */
static Fixture other_schema(Fixture *f, const char *sql_text)
{
  Fixture other = { 0 };
  other.path = test_database_new(f->dir, "other", &other.schema);
  test_pg_exec(other.path, sql_text);
  return other;
}

static void other_free(Fixture *other)
{
  test_database_free(other->schema);
  g_free(other->path);
  g_free(other->schema);
}

/* The tables of other's schema are names (in order, space-separated):
 * the gateway made none of its own there. */
static void expect_tables(Fixture *other, const char *names)
{
  g_autofree char *tables = sql_joined(other, "table_name", " ", "information_schema.tables"
                                       " WHERE table_schema = current_schema()", "table_name");
  assert_string_equal(tables, names);
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
  Fixture other = other_schema(f, "CREATE TABLE incidents(x text);"
                                   " INSERT INTO incidents VALUES('keep me')");
  expect_refused(other.path, "a database with an incidents table but no gateway schema"
                             " version; refusing to use it as the store");
  expect_tables(&other, "incidents");
  g_autofree char *routines = sql(&other, "SELECT count(*) FROM information_schema.routines"
                                          " WHERE routine_schema = current_schema()");
  assert_string_equal(routines, "0");
  g_autofree char *kept = sql(&other, "SELECT x FROM incidents");
  assert_string_equal(kept, "keep me");
  other_free(&other);
}

/* Another program's schema_version table (without the gateway's
 * incidents), or the gateway's table names without its columns: refused
 * with the reason, nothing made and nothing changed. */
static void test_postgresql_other_schema_version_refused(void **state)
{
  Fixture *f = *state;
  if (!test_on_pg())
    skip(); /* SQLite's stores carry an application id instead */
  static const char *const cases[][2] = {
    { "CREATE TABLE schema_version(installed_rank int, version text);"
      " INSERT INTO schema_version VALUES(1, '7')",
      "a database with a schema_version table but no incidents table; refusing to use it"
      " as the store" },
    { "CREATE TABLE schema_version(installed_rank int); CREATE TABLE incidents(x text);"
      " INSERT INTO schema_version VALUES(1)",
      "column \"version\" does not exist" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    Fixture other = other_schema(f, cases[i][0]);
    expect_refused(other.path, cases[i][1]);
    expect_tables(&other, i == 0 ? "schema_version" : "incidents schema_version");
    g_autofree char *rows = sql(&other, "SELECT count(*) FROM schema_version");
    assert_string_equal(rows, "1");
    other_free(&other);
  }
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
  /* Closing leaves the log for SQLite's next automatic checkpoint (an MTA
   * pipe closes the store at every message); the raw connection writes it
   * back into the file, where the damage goes. */
  g_clear_pointer(&f->store, store_close);
  g_autofree char *wal = g_strconcat(f->path, "-wal", NULL);
  GStatBuf st;
  assert_int_equal(g_stat(wal, &st), 0);
  assert_true(st.st_size > 0);
  g_free(sql(f, "PRAGMA wal_checkpoint(TRUNCATE)"));

  damage_page(f, root);

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
    T(test_postgresql_other_schema_version_refused),
    T(test_directory_refused),
    T(test_dangling_link_refused),
    T(test_truncated_store_with_64k_pages_refused),
    T(test_not_a_database_refused),
    T(test_truncated_big_store_refused),
    T(test_open_leaves_no_descriptor),
    T(test_read_only_directory_refused),
    T(test_damaged_table_is_an_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_store_backup.c - unit tests for gateway/store_backup.c when the
 * copy cannot be made or is not a store: the disk fills while the copy
 * is written, the file is a link that points nowhere, and a file given to
 * store_open_copy() that is no store of this gateway. A backup that fails
 * leaves nothing at the path and no temporary copy beside it. (The copy
 * that succeeds, and the existing file it refuses, are tests/e2e/backup.sh.)
 * These are SQLite's copies; on PostgreSQL a backup is refused, naming
 * PostgreSQL's own tools. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gateway/store_db.h"
#include "tests/unit/store_fixture.h"

/* The names in f->dir, sorted and joined by spaces. */
/* g_ptr_array_sort() hands over pointers to the elements. */
static int by_name(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

static char *listing(Fixture *f)
{
  g_autoptr(GDir) d = g_dir_open(f->dir, 0, NULL);
  assert_non_null(d);
  g_autoptr(GPtrArray) names = g_ptr_array_new();
  for (const char *name; (name = g_dir_read_name(d));)
    g_ptr_array_add(names, (gpointer)name);
  g_ptr_array_sort(names, by_name);
  g_ptr_array_add(names, NULL);
  return g_strjoinv(" ", (char **)names->pdata);
}

/* The disk fills while the copy is written (a file size limit smaller
 * than the store stands in for it): the backup fails with SQLite's
 * reason, and neither the copy nor its temporary file is left. */
static void test_disk_full(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's copy into a file */
  add_incident(f, "INC-2026-000001", "new", "low", T0);
  g_autofree char *copy = g_build_filename(f->dir, "copy.db", NULL);
  struct rlimit was;
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
  struct rlimit small = { 4096, was.rlim_max };
  void (*handler)(int) = signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
  g_autoptr(GError) error = NULL;
  gboolean ok = store_backup(f->store, copy, &error);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
  signal(SIGXFSZ, handler);

  assert_false(ok);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  assert_non_null(strstr(error->message, ": backup: disk I/O error"));
  /* The copy failed, not the store: the message names the copy. */
  g_autofree char *copy_tmp = g_build_filename(f->dir, ".copy.db.backup-", NULL);
  assert_true(g_str_has_prefix(error->message, copy_tmp));
  g_autofree char *names = listing(f);
  assert_string_equal(names, "var");
}

/* The path is a link to a file that does not exist: the backup does not
 * write through it (a backup never creates a file it was not given) and
 * leaves the link as it was. */
static void test_dangling_link(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's copy into a file */
  g_autofree char *copy = g_build_filename(f->dir, "copy.db", NULL);
  g_autofree char *target = g_build_filename(f->dir, "elsewhere.db", NULL);
  assert_int_equal(symlink(target, copy), 0);
  g_autoptr(GError) error = NULL;
  assert_false(store_backup(f->store, copy, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  g_autofree char *want = g_strdup_printf("%s: cannot create: File exists", copy);
  assert_string_equal(error->message, want);
  g_autofree char *names = listing(f);
  assert_string_equal(names, "copy.db var");
  g_autofree char *link = g_file_read_link(copy, NULL);
  assert_string_equal(link, target);
}

/* A path longer than SQLite opens (512 bytes), in a directory the system
 * has no trouble with: refused, and the temporary copy made there is
 * removed. */
static void test_path_too_long_for_sqlite(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's copy into a file */
  g_autofree char *name = g_strnfill(200, 'd');
  g_autofree char *deep = g_build_filename(f->dir, name, name, name, NULL);
  assert_int_equal(g_mkdir_with_parents(deep, 0750), 0);
  g_autofree char *copy = g_build_filename(deep, "copy.db", NULL);
  assert_true(strlen(copy) > 512);
  g_autoptr(GError) error = NULL;
  assert_false(store_backup(f->store, copy, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  g_autofree char *tmp_prefix = g_build_filename(deep, ".copy.db.backup-", NULL);
  assert_true(g_str_has_prefix(error->message, tmp_prefix));
  assert_true(g_str_has_suffix(error->message, ": open: unable to open database file"));
  g_autoptr(GDir) d = g_dir_open(deep, 0, NULL);
  assert_null(g_dir_read_name(d));
}

/* store_open_copy() of what is not a store of this gateway: refused,
 * naming the file, whether it is no database, another program's, or a
 * store of another schema version. */
static void test_open_copy_refuses_others(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* store_open_copy() opens SQLite's copies */
  g_autofree char *text = g_build_filename(f->dir, "notes.txt", NULL);
  assert_true(g_file_set_contents(text, "not a database, but long enough to look at it\n"
                                        "and then some more text to fill a header\n", -1, NULL));
  g_autoptr(GError) error = NULL;
  assert_null(store_open_copy(text, &error));
  assert_non_null(strstr(error->message, text));
  assert_non_null(strstr(error->message, "open the copy"));
  assert_non_null(strstr(error->message, "file is not a database"));

  g_autofree char *other = g_build_filename(f->dir, "other.db", NULL);
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); PRAGMA user_version = 3", NULL, NULL,
                                NULL), SQLITE_OK);
  sqlite3_close(db);
  g_autoptr(GError) foreign = NULL;
  assert_null(store_open_copy(other, &foreign));
  g_autofree char *want = g_strdup_printf("%s: not a store of this version of the gateway"
                                          " (schema 3, this one writes %d)", other,
                                          sq_schema_version());
  assert_string_equal(foreign->message, want);

  /* The fixture's store, made by this gateway, a version behind. */
  store_close(f->store);
  f->store = NULL;
  g_autofree char *older = g_strdup_printf("PRAGMA user_version = %d", sq_schema_version() - 1);
  g_free(sql(f, older));
  g_autoptr(GError) behind = NULL;
  assert_null(store_open_copy(f->path, &behind));
  g_autofree char *want_behind = g_strdup_printf(
      "%s: not a store of this version of the gateway (schema %d, this one writes %d)",
      f->path, sq_schema_version() - 1, sq_schema_version());
  assert_string_equal(behind->message, want_behind);

  /* The store as this version writes it opens. */
  g_autofree char *latest = g_strdup_printf("PRAGMA user_version = %d", sq_schema_version());
  g_free(sql(f, latest));
  g_autoptr(GError) none = NULL;
  IgStore *copy = store_open_copy(f->path, &none);
  assert_null(none);
  assert_non_null(copy);
  store_close(copy);
}

/* A PostgreSQL store is backed up with PostgreSQL's tools: backup is
 * refused as a usage error that names them, and writes nothing. */
static void test_postgresql_backup_names_its_tools(void **state)
{
  Fixture *f = *state;
  if (!test_on_pg())
    skip(); /* SQLite's copies are the tests above */
  g_autofree char *copy = g_build_filename(f->dir, "copy.db", NULL);
  g_autoptr(GError) error = NULL;
  assert_false(store_backup(f->store, copy, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_USAGE));
  g_autofree char *shown = sq_database_shown(f->path);
  g_autofree char *prefix = g_strconcat(shown, ": ", NULL);
  assert_true(g_str_has_prefix(error->message, prefix));
  assert_non_null(strstr(error->message, "pg_dump"));
  assert_non_null(strstr(error->message, "pg_basebackup"));
  g_autofree char *names = listing(f);
  assert_string_equal(names, "var");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_disk_full),
    T(test_dangling_link),
    T(test_path_too_long_for_sqlite),
    T(test_open_copy_refuses_others),
    T(test_postgresql_backup_names_its_tools),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

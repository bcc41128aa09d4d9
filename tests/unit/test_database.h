/* test_database.h - where a unit test's store lives. An SQLite file in
 * the test's directory; or, when IG_TEST_PG_URL_FILE names a file holding
 * a libpq URI (the unit_pg_* runs of ctest, with the server that
 * tests/unit/pg_server.sh starts), a schema of its own on that PostgreSQL
 * server, made for the test and dropped after it, so that the same test
 * checks both backends. And, on either, SQL on the store's own connection
 * behind its back: reads, and the faults the tests inject (a write
 * refused, a column that may not be read). Include after cmocka.h. */
#ifndef IG_TEST_DATABASE_H
#define IG_TEST_DATABASE_H

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gateway/pgmod.h"
#include "gateway/store_db.h"

/* Every k-th fault only, with IG_FAULT_STRIDE=k, for the tests that
 * inject one fault after another (test_atomic, the case fault tables):
 * valgrind.sh, the PostgreSQL run of test_atomic and make test's sanitizer
 * pass set it; a sample finds a leak on an error path, and keeps that pass
 * short. */
G_GNUC_UNUSED static int fault_stride(void)
{
  const char *env = g_getenv("IG_FAULT_STRIDE");
  return env ? MAX(1, atoi(env)) : 1;
}

/* The server's URI, or NULL when the tests run on SQLite. */
G_GNUC_UNUSED static char *test_pg_base(void)
{
  const char *file = g_getenv("IG_TEST_PG_URL_FILE");
  char *url = NULL;
  if (!file || !*file)
    return NULL;
  if (!g_file_get_contents(file, &url, NULL, NULL))
    fail_msg("IG_TEST_PG_URL_FILE=%s cannot be read", file);
  return g_strstrip(url);
}

/* TRUE when the tests run on PostgreSQL. */
G_GNUC_UNUSED static gboolean test_on_pg(void)
{
  const char *file = g_getenv("IG_TEST_PG_URL_FILE");
  return file && *file;
}

/* Runs sql on the server as the tests' user; the test fails if it fails.
 * The connection to the server's own URI (the one that makes and drops
 * the tests' schemas) is kept for the process: a TLS connection with a
 * password costs more than the schema it makes. */
G_GNUC_UNUSED static void test_pg_exec(const char *url, const char *sql)
{
  static PgConn *kept;
  g_autoptr(GError) error = NULL;
  const IgPgOps *ops = pgmod_ops(&error);
  if (!ops)
    fail_msg("%s", error->message);
  g_autofree char *base = test_pg_base();
  gboolean keep = g_strcmp0(url, base) == 0;
  PgConn *conn = keep ? kept : NULL;
  if (!conn && !(conn = ops->connect(url, &error)))
    fail_msg("%s", error->message);
  if (keep)
    kept = conn;
  if (!ops->exec(conn, sql, &error))
    fail_msg("%s: %s", sql, error->message);
  if (!keep)
    ops->close(conn);
}

/* The database of a new test: dir/name on SQLite; on PostgreSQL the URI
 * of a new schema, named in *schema (else NULL). Caller frees both. */
G_GNUC_UNUSED static char *test_database_new(const char *dir, const char *name, char **schema)
{
  g_autofree char *base = test_pg_base();
  *schema = NULL;
  if (!base)
    return g_build_filename(dir, name, NULL);
  static guint seq;
  *schema = g_strdup_printf("t%d_%u_%u", (int)getpid(), ++seq, g_random_int());
  g_autofree char *create = g_strdup_printf("CREATE SCHEMA %s", *schema);
  test_pg_exec(base, create);
  /* Everything the store makes goes into the first schema of the path;
   * the extensions (unaccent) stay in public. */
  return g_strdup_printf("%s%soptions=-csearch_path%%3D%s%%2Cpublic", base,
                         strchr(base, '?') ? "&" : "?", *schema);
}

/* Drops what test_database_new() made on PostgreSQL (schema NULL: nothing). */
G_GNUC_UNUSED static void test_database_free(const char *schema)
{
  if (!schema)
    return;
  g_autofree char *base = test_pg_base();
  g_autofree char *drop = g_strdup_printf("DROP SCHEMA %s CASCADE", schema);
  test_pg_exec(base, drop);
}

/* --- on the store's own connection, between its transactions --- */

/* Runs sql (one or more statements, no rows wanted); the test fails if it
 * fails. */
G_GNUC_UNUSED static void test_store_exec(IgStore *store, const char *sql)
{
  if (!sq_is_pg(store)) {
    char *why = NULL;
    if (sqlite3_exec(store->db, sql, NULL, NULL, &why) != SQLITE_OK)
      fail_msg("%s, in: %s", why, sql);
    return;
  }
  g_autoptr(GError) error = NULL;
  if (!store->pg_ops->exec(store->pg, sql, &error))
    fail_msg("%s, in: %s", error->message, sql);
}

/* Called with each row's n values, NULL for SQL NULL. */
typedef void (*TestRowFn)(int n, const char *const *values, gpointer data);

/* Runs one statement (literals only: on PostgreSQL a `?` is sent as a
 * placeholder) and gives each of its rows to row(). */
G_GNUC_UNUSED static void test_store_rows(IgStore *store, const char *sql, TestRowFn row,
                                          gpointer data)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new();
  if (!sq_is_pg(store)) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
      fail_msg("%s: %s", sql, sqlite3_errmsg(store->db));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      g_ptr_array_set_size(values, 0);
      for (int i = 0; i < sqlite3_column_count(st); i++)
        g_ptr_array_add(values, (gpointer)sqlite3_column_text(st, i));
      row((int)values->len, (const char *const *)values->pdata, data);
    }
    if (rc != SQLITE_DONE)
      fail_msg("%s: %s", sql, sqlite3_errmsg(store->db));
    sqlite3_finalize(st);
    return;
  }
  const IgPgOps *ops = store->pg_ops;
  g_autoptr(GError) error = NULL;
  PgStmt *st = ops->prepare(store->pg, sql, &error);
  if (!st)
    fail_msg("%s: %s", sql, error->message);
  int rc;
  while ((rc = ops->step(st)) == PG_ROW) {
    g_ptr_array_set_size(values, 0);
    for (int i = 0; i < ops->column_count(st); i++)
      g_ptr_array_add(values, (gpointer)(ops->column_null(st, i) ? NULL
                                                                 : ops->column_text(st, i)));
    row((int)values->len, (const char *const *)values->pdata, data);
  }
  if (rc != PG_DONE)
    fail_msg("%s: %s", sql, ops->errmsg(store->pg));
  ops->finalize(st);
}

/* Writes of op ("INSERT", "UPDATE" or "DELETE") to table where the SQL
 * condition when holds (of NEW, or OLD for a delete; NULL: every write)
 * fail with message (no quote in it) until test_store_allow(): a BEFORE
 * trigger for each row, on SQLite a temporary one that RAISEs ABORT, on
 * PostgreSQL one of the test's schema whose function RAISEs an exception.
 * One refusal at a time. */
G_GNUC_UNUSED static void test_store_refuse(IgStore *store, const char *op, const char *table,
                                            const char *when, const char *message)
{
  g_autofree char *sql = NULL;
  if (!sq_is_pg(store)) {
    sql = g_strdup_printf("CREATE TEMP TRIGGER ig_refuse BEFORE %s ON main.%s %s%s"
                          " BEGIN SELECT RAISE(ABORT, '%s'); END", op, table,
                          when ? "WHEN " : "", when ? when : "", message);
  } else {
    sql = g_strdup_printf("CREATE OR REPLACE FUNCTION ig_refuse() RETURNS trigger"
                          " LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION '%%', tg_argv[0]; END$$;"
                          " CREATE TRIGGER ig_refuse BEFORE %s ON %s FOR EACH ROW %s%s%s"
                          " EXECUTE FUNCTION ig_refuse('%s')", op, table,
                          when ? "WHEN (" : "", when ? when : "", when ? ")" : "", message);
  }
  test_store_exec(store, sql);
}

/* A column that the nth statement prepared to read it may not read (nth
 * 0: no statement may), or with column NULL the whole table; seen counts
 * those statements. */
typedef struct {
  const char *table, *column;
  int nth, seen;
} Hidden;

G_GNUC_UNUSED static int test_hidden_authorize(void *data, int action, const char *a,
                                               const char *b, const char *db,
                                               const char *trigger)
{
  Hidden *h = data;
  if (action != SQLITE_READ || g_strcmp0(a, h->table) != 0 ||
      (h->column && g_strcmp0(b, h->column) != 0))
    return SQLITE_OK;
  return !h->nth || ++h->seen == h->nth ? SQLITE_DENY : SQLITE_OK;
}

/* Statements reading what h names fail until test_store_allow(): on
 * SQLite an authorizer denies the read as each is prepared (setting one
 * makes SQLite prepare the cached statements again); on PostgreSQL the
 * test's user loses the privilege to read it, which every run of a
 * statement checks. PostgreSQL cannot count the statements: nth 0 only. */
G_GNUC_UNUSED static void test_store_hide(IgStore *store, Hidden *h)
{
  h->seen = 0;
  if (!sq_is_pg(store)) {
    sqlite3_set_authorizer(store->db, test_hidden_authorize, h);
    return;
  }
  if (h->nth)
    fail_msg("PostgreSQL cannot hide %s from its statement %d alone", h->table, h->nth);
  /* The owner's own privileges can be taken away: those to read the
   * table's other columns are given back one by one. */
  g_autofree char *sql = g_strdup_printf(
      "REVOKE SELECT ON %s FROM CURRENT_USER;"
      " DO $$DECLARE cols text; BEGIN"
      "  SELECT string_agg(quote_ident(attname), ', ') INTO cols FROM pg_attribute"
      "   WHERE attrelid = '%s'::regclass AND attnum > 0 AND NOT attisdropped"
      "   AND attname <> '%s';"
      "  IF '%s' <> '' THEN"
      "   EXECUTE format('GRANT SELECT (%%s) ON %s TO CURRENT_USER', cols);"
      "  END IF;"
      " END$$", h->table, h->table, h->column ? h->column : "", h->column ? h->column : "",
      h->table);
  test_store_exec(store, sql);
}

/* The end of the store's error for a statement test_store_hide() kept
 * from reading what h names, or with h NULL words every such error holds.
 * Caller frees. */
G_GNUC_UNUSED static char *test_hidden_reason(const IgStore *store, const Hidden *h)
{
  if (!h)
    return g_strdup(sq_is_pg(store) ? "permission denied for table" : "prohibited");
  if (sq_is_pg(store))
    return g_strdup_printf("permission denied for table %s", h->table);
  return h->column ? g_strdup_printf("access to %s.%s is prohibited", h->table, h->column)
                   : g_strdup_printf("access to %s.", h->table);
}

/* Lifts test_store_refuse() and test_store_hide(). */
G_GNUC_UNUSED static void test_store_allow(IgStore *store)
{
  if (!sq_is_pg(store)) {
    sqlite3_set_authorizer(store->db, NULL, NULL);
    test_store_exec(store, "DROP TRIGGER IF EXISTS temp.ig_refuse");
    return;
  }
  test_store_exec(store,
      "DO $$DECLARE t text; BEGIN"
      " FOR t IN SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid"
      "  WHERE g.tgname = 'ig_refuse' AND c.relnamespace = current_schema()::regnamespace LOOP"
      "  EXECUTE format('DROP TRIGGER ig_refuse ON %I', t);"
      " END LOOP;"
      " EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO CURRENT_USER',"
      "  current_schema());"
      "END$$");
}

#endif

/* test_database.h - where a unit test's store lives. An SQLite file in
 * the test's directory; or, when IG_TEST_PG_URL_FILE names a file holding
 * a libpq URI (the unit_pg_* runs of ctest, with the server that
 * tests/unit/pg_server.sh starts), a schema of its own on that PostgreSQL
 * server, made for the test and dropped after it, so that the same test
 * checks both backends. Include after cmocka.h. */
#ifndef IG_TEST_DATABASE_H
#define IG_TEST_DATABASE_H

#include <glib.h>
#include <string.h>
#include <unistd.h>

#include "gateway/pgmod.h"

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

/* Runs sql on the server as the tests' user; the test fails if it fails. */
G_GNUC_UNUSED static void test_pg_exec(const char *url, const char *sql)
{
  g_autoptr(GError) error = NULL;
  const IgPgOps *ops = pgmod_ops(&error);
  if (!ops)
    fail_msg("%s", error->message);
  PgConn *conn = ops->connect(url, &error);
  if (!conn)
    fail_msg("%s", error->message);
  if (!ops->exec(conn, sql, &error))
    fail_msg("%s: %s", sql, error->message);
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

#endif

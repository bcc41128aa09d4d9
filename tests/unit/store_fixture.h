/* store_fixture.h - test fixture for the store tests: a fresh store in a
 * temporary directory per test (removed afterwards), raw SQL behind the
 * store's back, and builders for incidents, messages and outbox rows.
 * Include after cmocka.h. Shared by the store's test programs
 * (test_store*.c) and a few others, which use different helpers: hence
 * G_GNUC_UNUSED. */
#ifndef IG_TEST_STORE_FIXTURE_H
#define IG_TEST_STORE_FIXTURE_H

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "gateway/error.h"
#include "parsers/hash.h"
#include "gateway/store.h"
#include "test_database.h"

typedef struct {
  char *dir;
  char *path;               /* the store's file, or its PostgreSQL URI */
  char *schema;             /* on PostgreSQL, the test's schema */
  IgStore *store;
} Fixture;

#define T0 "2026-01-01T10:00:00Z"
#define BODY "Subject: x\r\n\r\nbody\r\n"

G_GNUC_UNUSED static void check(gboolean ok, GError *error)
{
  if (!ok)
    print_error("store error: %s\n", error ? error->message : "(no error set)");
  assert_true(ok);
  assert_null(error);
}

G_GNUC_UNUSED static void remove_tree(const char *path)
{
  g_autoptr(GDir) dir = g_file_test(path, G_FILE_TEST_IS_SYMLINK) ? NULL
                        : g_dir_open(path, 0, NULL);
  for (const char *name; dir && (name = g_dir_read_name(dir));) {
    g_autofree char *child = g_build_filename(path, name, NULL);
    remove_tree(child);
  }
  g_remove(path);
}

G_GNUC_UNUSED static IgStore *open_store(const char *path)
{
  g_autoptr(GError) error = NULL;
  IgStore *s = store_open(path, &error);
  check(s != NULL, error);
  return s;
}

G_GNUC_UNUSED static int setup(void **state)
{
  Fixture *f = g_new0(Fixture, 1);
  f->dir = g_dir_make_tmp("ig-store-XXXXXX", NULL);
  if (!f->dir)
    return -1;
  g_autofree char *var = g_build_filename(f->dir, "var", NULL);
  if (g_mkdir(var, 0750) != 0)
    return -1;
  f->path = test_database_new(var, "gateway.db", &f->schema);
  f->store = open_store(f->path);
  *state = f;
  return 0;
}

G_GNUC_UNUSED static int teardown(void **state)
{
  Fixture *f = *state;
  store_close(f->store);
  test_database_free(f->schema);
  remove_tree(f->dir);
  g_free(f->dir);
  g_free(f->path);
  g_free(f->schema);
  g_free(f);
  return 0;
}

G_GNUC_UNUSED static void reopen(Fixture *f)
{
  store_close(f->store);
  f->store = open_store(f->path);
}

/* Runs one SQL statement on the database through a second, raw
 * connection (behind the store's back); returns the first column of the
 * first row as text, or NULL. On PostgreSQL `?` is no placeholder here:
 * write literals. */
G_GNUC_UNUSED static char *sql_pg(Fixture *f, const char *query)
{
  g_autoptr(GError) error = NULL;
  const IgPgOps *ops = pgmod_ops(&error);
  PgConn *conn = ops ? ops->connect(f->path, &error) : NULL;
  if (!conn)
    fail_msg("%s", error->message);
  PgStmt *st = ops->prepare(conn, query, &error);
  if (!st)
    fail_msg("%s: %s", query, error->message);
  int rc = ops->step(st);
  if (rc != PG_ROW && rc != PG_DONE)
    fail_msg("%s: %s", query, ops->errmsg(conn));
  char *out = rc == PG_ROW ? g_strdup(ops->column_text(st, 0)) : NULL;
  ops->finalize(st);
  ops->close(conn);
  return out;
}

G_GNUC_UNUSED static char *sql(Fixture *f, const char *query)
{
  if (f->schema)
    return sql_pg(f, query);
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
  if (sqlite3_prepare_v2(db, query, -1, &st, NULL) != SQLITE_OK)
    print_error("%s: %s\n", query, sqlite3_errmsg(db));
  assert_non_null(st);
  int rc = sqlite3_step(st);
  char *out = rc == SQLITE_ROW && sqlite3_column_text(st, 0)
              ? g_strdup((const char *)sqlite3_column_text(st, 0)) : NULL;
  sqlite3_finalize(st);
  sqlite3_close(db);
  assert_true(rc == SQLITE_ROW || rc == SQLITE_DONE);
  return out;
}

/* Overwrites the start of page root (a table's root page, as
 * sqlite_schema gives it) of the store's SQLite file with junk: a
 * damaged disk. The store must be closed and its log written back. */
G_GNUC_UNUSED static void damage_page(Fixture *f, const char *root)
{
  g_autofree char *page_size = sql(f, "PRAGMA page_size");
  int fd = open(f->path, O_WRONLY | O_CLOEXEC);
  assert_true(fd >= 0);
  char junk[512];
  memset(junk, 0x5a, sizeof junk);
  off_t at = (off_t)(atoi(root) - 1) * atoi(page_size);
  assert_int_equal(pwrite(fd, junk, sizeof junk, at), (ssize_t)sizeof junk);
  close(fd);
}

/* The values of expr over the rows of from (a table, and any WHERE) in
 * the order of order_by, joined by sep into one text: group_concat() on
 * SQLite, string_agg() on PostgreSQL. */
G_GNUC_UNUSED static char *sql_joined(Fixture *f, const char *expr, const char *sep,
                                      const char *from, const char *order_by)
{
  g_autofree char *query =
      f->schema ? g_strdup_printf("SELECT string_agg((%s)::text, '%s' ORDER BY %s) FROM %s",
                                  expr, sep, order_by, from)
                : g_strdup_printf("SELECT group_concat(v, '%s') FROM (SELECT %s AS v FROM %s"
                                  " ORDER BY %s)", sep, expr, from, order_by);
  return sql(f, query);
}

/* Replaces the bytes of stored message id with text, behind the store's
 * back (a hex literal: a blob on SQLite, a bytea on PostgreSQL). */
G_GNUC_UNUSED static void replace_raw(Fixture *f, gint64 id, const char *text)
{
  g_autoptr(GString) hex = g_string_new(NULL);
  for (const char *c = text; *c; c++)
    g_string_append_printf(hex, "%02x", (guchar)*c);
  g_autofree char *query = g_strdup_printf(
      f->schema ? "UPDATE message_bodies SET raw = '\\x%s'::bytea WHERE id = %" G_GINT64_FORMAT
                : "UPDATE message_bodies SET raw = X'%s' WHERE id = %" G_GINT64_FORMAT,
      hex->str, id);
  g_free(sql(f, query));
}

/* Lets rows of table be deleted behind the store's back while others
 * still name them: SQLite's raw connections (sql()) enforce no foreign
 * keys; on PostgreSQL the constraints that name table are dropped. */
G_GNUC_UNUSED static void drop_references(Fixture *f, const char *table)
{
  if (!f->schema)
    return;
  g_autofree char *drop = g_strdup_printf(
      "DO $$ DECLARE c record; BEGIN"
      " FOR c IN SELECT conrelid::regclass AS t, conname FROM pg_constraint"
      "  WHERE contype = 'f' AND confrelid = '%s'::regclass LOOP"
      "  EXECUTE format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.t, c.conname);"
      " END LOOP; END $$", table);
  g_free(sql(f, drop));
}

/* Makes every row that timing (e.g. "BEFORE UPDATE") names on table fail
 * with message, through a trigger called name: a fault behind the
 * store's back. On PostgreSQL the trigger calls a function of the same
 * name. */
G_GNUC_UNUSED static void add_failing_trigger(Fixture *f, const char *name, const char *timing,
                                              const char *table, const char *message)
{
  if (!f->schema) {
    g_autofree char *trigger = g_strdup_printf("CREATE TRIGGER %s %s ON %s BEGIN"
                                               " SELECT RAISE(ABORT, '%s'); END",
                                               name, timing, table, message);
    g_free(sql(f, trigger));
    return;
  }
  g_autofree char *function = g_strdup_printf("CREATE FUNCTION %s() RETURNS trigger"
                                              " LANGUAGE plpgsql AS $$ BEGIN"
                                              " RAISE EXCEPTION '%s'; END $$", name, message);
  g_autofree char *trigger = g_strdup_printf("CREATE TRIGGER %s %s ON %s FOR EACH ROW"
                                             " EXECUTE FUNCTION %s()", name, timing, table,
                                             name);
  g_free(sql(f, function));
  g_free(sql(f, trigger));
}

/* Removes what add_failing_trigger() made. */
G_GNUC_UNUSED static void drop_failing_trigger(Fixture *f, const char *name, const char *table)
{
  if (!f->schema) {
    g_autofree char *drop = g_strdup_printf("DROP TRIGGER %s", name);
    g_free(sql(f, drop));
    return;
  }
  g_autofree char *drop = g_strdup_printf("DROP TRIGGER %s ON %s", name, table);
  g_autofree char *function = g_strdup_printf("DROP FUNCTION %s()", name);
  g_free(sql(f, drop));
  g_free(sql(f, function));
}

/* The closed store as version 10 left it (user_version is the caller's):
 * no service_health, the messages' bytes back in their own column,
 * message_bodies gone. */
G_GNUC_UNUSED static void undo_to_version_10(Fixture *f)
{
  g_free(sql(f, "DROP TABLE service_health"));
  g_free(sql(f, "DROP INDEX messages_received"));
  g_free(sql(f, "ALTER TABLE messages ADD COLUMN raw BLOB NOT NULL DEFAULT X''"));
  g_free(sql(f, "UPDATE messages SET raw = (SELECT b.raw FROM message_bodies b"
                " WHERE b.id = messages.id)"));
  g_free(sql(f, "DROP TABLE message_bodies"));
}

G_GNUC_UNUSED static char *next_ref(Fixture *f, int year)
{
  g_autoptr(GError) error = NULL;
  char *ref = store_next_reference(f->store, "INC", year, &error);
  check(ref != NULL, error);
  return ref;
}

G_GNUC_UNUSED static void set(char **field, const char *value)
{
  g_free(*field);
  *field = g_strdup(value);
}

/* A minimal valid incident; the caller frees. */
G_GNUC_UNUSED static IgIncident *minimal_incident(const char *ref, const char *received_at)
{
  IgIncident *inc = incident_new();
  set(&inc->reference, ref); set(&inc->status, "new"); set(&inc->via, "direct");
  set(&inc->source, "free_text"); set(&inc->received_at, received_at);
  set(&inc->created_at, received_at); set(&inc->updated_at, received_at);
  return inc;
}

G_GNUC_UNUSED static gint64 add_incident(Fixture *f, const char *ref, const char *status,
                           const char *impact, const char *received_at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IgIncident) inc = minimal_incident(ref, received_at);
  set(&inc->status, status);
  set(&inc->impact, impact);
  check(store_add_incident(f->store, inc, &error), error);
  assert_true(inc->id > 0);
  return inc->id;
}

/* Stores raw as an incoming message; want_ok FALSE expects a refusal. */
G_GNUC_UNUSED static gint64 put_message(Fixture *f, const char *message_id, const char *raw,
                          gint64 incident_id, gboolean want_ok)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = hash_sha256_hex(raw, strlen(raw));
  IgMessageIn in = {
    .message_id = message_id, .sha256 = sha, .raw = raw, .raw_len = strlen(raw),
    .from_addr = "jane@example.org", .subject = "s", .received_at = T0,
    .kind = "report", .incident_id = incident_id, .recorded_at = T0,
  };
  gint64 id = store_add_message(f->store, &in, &error);
  if (want_ok) {
    check(id > 0, error);
  } else {
    assert_int_equal(id, 0);
    assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  }
  return id;
}

G_GNUC_UNUSED static gint64 add_outbox(Fixture *f, gint64 incident_id, const char *template_name,
                         const char *to, const char *message_id, const char *created_at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static(BODY, strlen(BODY));
  IgOutboxIn in = {
    .incident_id = incident_id, .kind = "mail", .template_name = template_name,
    .to = to, .subject = "[INC] subject", .message_id = message_id, .body = body,
    .created_at = created_at,
  };
  gint64 id = store_outbox_add(f->store, &in, &error);
  check(id > 0, error);
  return id;
}

/* Claims the next due row at now for owner, for ten minutes; asserts
 * there is one. */
G_GNUC_UNUSED static IgOutboxRec *claim(Fixture *f, const char *now, const char *owner)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) t = iso_parse(now);
  g_autoptr(GDateTime) end = g_date_time_add_minutes(t, 10);
  g_autofree char *until = iso_utc(end);
  IgOutboxRec *row = store_outbox_claim(f->store, now, owner, until, &error);
  check(row != NULL, error);
  return row;
}

G_GNUC_UNUSED static void expect_no_claim(Fixture *f, const char *now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IgOutboxRec) row = store_outbox_claim(f->store, now, "someone 1",
                                                  "2099-01-01T00:00:00Z", &error);
  assert_null(error);
  if (row)
    print_error("row %" G_GINT64_FORMAT " was claimed\n", row->id);
  assert_null(row);
}

G_GNUC_UNUSED static void add_event(Fixture *f, gint64 incident_id, const char *type, const char *detail)
{
  g_autoptr(GError) error = NULL;
  check(store_add_event(f->store, incident_id, T0, "gateway", type, detail, &error), error);
}

G_GNUC_UNUSED static gboolean seen(Fixture *f, const char *sha, const char *message_id)
{
  g_autoptr(GError) error = NULL;
  gboolean result = -1;
  check(store_message_seen(f->store, sha, message_id, &result, &error), error);
  return result;
}

/* A call that must have failed with an error holding needle (the
 * database's reason); the error is cleared for the next call. */
G_GNUC_UNUSED static void expect_reason(gboolean failed, GError **error, const char *needle)
{
  assert_true(failed);
  assert_non_null(*error);
  if (!strstr((*error)->message, needle))
    print_error("\"%s\" not in \"%s\"\n", needle, (*error)->message);
  assert_non_null(strstr((*error)->message, needle));
  g_clear_error(error);
}

/* A call that must have failed on a table, or a column read, that the
 * database lacks, in its own words: SQLite's "no such table: T" and
 * "no such column: C"; PostgreSQL's "relation "T" does not exist" and
 * "column "C" does not exist" (a qualified one, t.C, unquoted). */
G_GNUC_UNUSED static void expect_missing_table(gboolean failed, GError **error, const char *table)
{
  g_autofree char *needle = test_on_pg()
      ? g_strdup_printf("relation \"%s\" does not exist", table)
      : g_strdup_printf("no such table: %s", table);
  expect_reason(failed, error, needle);
}

G_GNUC_UNUSED static void expect_missing_column(gboolean failed, GError **error,
                                                const char *column)
{
  g_autofree char *needle =
      !test_on_pg() ? g_strdup_printf("no such column: %s", column)
      : strchr(column, '.') ? g_strdup_printf("column %s does not exist", column)
                            : g_strdup_printf("column \"%s\" does not exist", column);
  expect_reason(failed, error, needle);
}

/* A call that must have failed writing a column table lacks. */
G_GNUC_UNUSED static void expect_missing_insert_column(gboolean failed, GError **error,
                                                       const char *table, const char *column)
{
  g_autofree char *needle = test_on_pg()
      ? g_strdup_printf("column \"%s\" of relation \"%s\" does not exist", column, table)
      : g_strdup_printf("table %s has no column named %s", table, column);
  expect_reason(failed, error, needle);
}

G_GNUC_UNUSED static void expect_verify_fails(Fixture *f, const char *needle)
{
  g_autoptr(GError) error = NULL;
  IgVerifyCounts n;
  assert_false(store_verify(f->store, &n, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_INTEGRITY));
  if (!strstr(error->message, needle))
    print_error("\"%s\" not in \"%s\"\n", needle, error->message);
  assert_non_null(strstr(error->message, needle));
}

#endif

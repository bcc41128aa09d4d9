/* test_store_open.c - unit tests for opening the case store
 * (gateway/store.c, store_pg.c): the schema made on a new store, a newer
 * schema or a bad path refused, stores of older versions upgraded (and
 * sealed into the audit chain once), the file's mode, a new store made
 * with stdin closed, a log left without its store, and how a database is
 * named in messages (never with a password). Every test runs
 * on a fresh store in a temporary directory that is removed afterwards,
 * or a fresh PostgreSQL schema; what is about SQLite's files and its
 * older schemas is skipped there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/store_db.h"
#include "gateway/store_pg_schema.h"
#include "tests/unit/store_fixture.h"

/* The schema version the database records, as text. */
static char *schema_version(Fixture *f)
{
  return sql(f, test_on_pg() ? "SELECT max(version) FROM schema_version"
                             : "PRAGMA user_version");
}

static void set_schema_version(Fixture *f, const char *version)
{
  g_autofree char *set = g_strdup_printf(test_on_pg() ? "UPDATE schema_version SET version = %s"
                                                      : "PRAGMA user_version = %s", version);
  g_free(sql(f, set));
}

/* The schema version this program writes. */
static int latest_version(void)
{
  return test_on_pg() ? pg_schema_version() : sq_schema_version();
}

#define STORE_TABLES \
  "('incidents', 'messages', 'events', 'outbox', 'deadlines', 'rules_fired', 'ref_seq')"

static void test_open_creates_schema(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = schema_version(f);
  g_autofree char *latest = g_strdup_printf("%d", latest_version());
  assert_string_equal(version, latest);
  g_autofree char *tables = test_on_pg()
      ? sql_joined(f, "table_name", " ", "information_schema.tables"
                   " WHERE table_schema = current_schema() AND table_name IN " STORE_TABLES,
                   "table_name")
      : sql_joined(f, "name", " ", "sqlite_master WHERE type = 'table' AND name IN "
                   STORE_TABLES, "name");
  assert_string_equal(tables, "deadlines events incidents messages outbox ref_seq rules_fired");
  IgVerifyCounts n; /* an empty store verifies */
  check(store_verify(f->store, &n, &error), error);
  assert_int_equal(n.events + n.messages + n.incidents, 0);

  /* Reopening keeps the data and migrates nothing again. */
  add_incident(f, "INC-2026-000001", "new", NULL, T0);
  reopen(f);
  reopen(f);
  g_autofree char *again = schema_version(f);
  assert_string_equal(again, version);
  assert_true(store_incident_id(f->store, "INC-2026-000001", &error) > 0);
}

/* SQLite's store is a file of its own, its log in WAL mode. */
static void test_new_store_is_a_wal_file(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's file and its journal mode */
  assert_true(g_file_test(f->path, G_FILE_TEST_IS_REGULAR));
  g_autofree char *mode = sql(f, "PRAGMA journal_mode");
  assert_string_equal(mode, "wal");
}

/* A database whose schema is newer than this program's (another gateway
 * already upgraded) is refused, naming it, and left as it is. */
static void test_open_refuses_newer_schema(void **state)
{
  Fixture *f = *state;
  g_autofree char *version = schema_version(f);
  g_clear_pointer(&f->store, store_close);
  set_schema_version(f, "9999");
  g_autoptr(GError) error = NULL;
  assert_null(store_open(f->path, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  g_autofree char *shown = sq_database_shown(f->path);
  g_autofree char *want = g_strdup_printf("%s: schema version 9999 is not one this program"
                                          " knows (it knows up to %d)", shown,
                                          latest_version());
  assert_string_equal(error->message, want);
  g_autofree char *kept = schema_version(f);
  assert_string_equal(kept, "9999");
  set_schema_version(f, version);
  f->store = open_store(f->path);
}

/* A migration that fails (here: run again over the table it made) leaves the
 * store at its version and says why; it is never skipped to stamp the
 * latest version over a schema without it. */
static void test_failed_migration_leaves_the_store(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's migrations; PostgreSQL's have their own tests */
  g_clear_pointer(&f->store, store_close);
  g_autofree char *before = g_strdup_printf("%d", latest_version() - 2);
  set_schema_version(f, before);
  g_autoptr(GError) error = NULL;
  assert_null(store_open(f->path, &error));
  assert_non_null(error);
  assert_non_null(strstr(error->message, f->path));
  assert_non_null(strstr(error->message, "table service_health already exists"));
  g_autofree char *kept = schema_version(f);
  assert_string_equal(kept, before);
  g_autofree char *latest = g_strdup_printf("%d", latest_version());
  set_schema_version(f, latest);
  f->store = open_store(f->path);
}

/* A schema version the gateway may not read (its role lost the right):
 * refused saying so, not taken for a store to build again. */
static void test_postgresql_unreadable_version_refused(void **state)
{
  Fixture *f = *state;
  if (!test_on_pg())
    skip(); /* SQLite reads its version from the file's header */
  g_clear_pointer(&f->store, store_close);
  test_pg_exec(f->path, "REVOKE SELECT ON schema_version FROM CURRENT_USER");
  g_autoptr(GError) error = NULL;
  assert_null(store_open(f->path, &error));
  assert_non_null(error);
  if (!strstr(error->message, "read the schema version") ||
      !strstr(error->message, "permission denied for table schema_version"))
    fail_msg("not the reason: %s", error->message);
  test_pg_exec(f->path, "GRANT SELECT ON schema_version TO CURRENT_USER");
  f->store = open_store(f->path);
}

/* A path through a file: no such directory. */
static void test_open_refuses_path_through_a_file(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* a path of SQLite's */
  g_autoptr(GError) error = NULL;
  g_autofree char *under_file = g_build_filename(f->path, "x", "y.db", NULL);
  assert_null(store_open(under_file, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_TRANSIENT));
  assert_non_null(strstr(error->message, "no such directory for the store"));
}

/* What an older store holds: an acknowledgement queued, an incident with
 * its creation event and two messages, one of them unmatched. */
static gint64 fill_older_store(Fixture *f)
{
  add_outbox(f, 0, "ack", "jane@example.org", "o1@gw", T0);
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  add_event(f, inc, "created", "from the form");
  put_message(f, "a@example.org", "Subject: a\n\nfirst\n", inc, TRUE);
  put_message(f, NULL, "Subject: b\n\nsecond\n", 0, TRUE);
  g_clear_pointer(&f->store, store_close);
  return inc;
}

static void run_sql(Fixture *f, const char *const *statements)
{
  for (const char *const *one = statements; *one; one++)
    g_free(sql(f, *one));
}

/* The closed store as version 7 left it: migrations 8 to 10 undone. */
static void undo_to_version_7(Fixture *f)
{
  undo_to_version_10(f);
  static const char *const undo[] = {
    "DROP TRIGGER incident_search_add", "DROP TRIGGER incident_search_change",
    "DROP TRIGGER incident_search_note", "DROP TABLE incident_search",
    "DROP INDEX deadlines_next", "ALTER TABLE deadlines DROP COLUMN next_at",
    "CREATE INDEX deadlines_due ON deadlines(state, kind, due_at)",
    "DROP TABLE digests", "DROP INDEX incidents_created", "DROP INDEX incidents_received",
    "PRAGMA user_version = 7", NULL,
  };
  run_sql(f, undo);
}

/* Then as version 6 left it: events without seals, hashed the old way. */
static void undo_to_version_6(Fixture *f, gint64 inc)
{
  static const char *const undo[] = {
    "DELETE FROM events WHERE message_row IS NOT NULL", "DROP INDEX events_message",
    "DROP INDEX outbox_incident", "DROP INDEX deadlines_due", "DROP TABLE management_reports",
    "ALTER TABLE events DROP COLUMN message_row",
    "ALTER TABLE events DROP COLUMN message_sha256", "ALTER TABLE events DROP COLUMN state",
    "PRAGMA user_version = 6", NULL,
  };
  undo_to_version_7(f);
  run_sql(f, undo);
  g_autofree char *prev = sql(f, "SELECT prev_hash FROM events WHERE id = 1");
  g_autofree char *text = g_strdup_printf("%s\n1\n%" G_GINT64_FORMAT "\n" T0
                                          "\ngateway\ncreated\nfrom the form", prev, inc);
  g_autofree char *old = hash_sha256_hex(text, strlen(text));
  g_autofree char *rehash = g_strdup_printf("UPDATE events SET hash = '%s'; UPDATE audit_head"
                                            " SET last_id = 1, hash = '%s'", old, old);
  g_auto(GStrv) statements = g_strsplit(rehash, ";", -1);
  run_sql(f, (const char *const *)statements);
}

/* Reopened at the latest version, the chain covers the messages and the
 * incident (an event recording each) and verifies; an edit behind the
 * store's back is caught from now on. */
static void expect_sealed_on_upgrade(Fixture *f)
{
  g_autoptr(GError) error = NULL;
  f->store = open_store(f->path);
  g_autofree char *version = sql(f, "PRAGMA user_version");
  g_autofree char *latest = g_strdup_printf("%d", sq_schema_version());
  assert_string_equal(version, latest);
  IgVerifyCounts n;
  check(store_verify(f->store, &n, &error), error);
  assert_int_equal(n.events, 4); /* created, two messages, the incident sealed */
  assert_int_equal(n.messages, 2);
  assert_int_equal(n.incidents, 1);
  g_autofree char *sealed = sql(f, "SELECT group_concat(type, ' ') FROM events WHERE id > 1");
  assert_string_equal(sealed, "stored stored sealed");
  g_free(sql(f, "UPDATE incidents SET impact = 'high'"));
  expect_verify_fails(f, "incident 1 was changed");
}

/* A store made before application_id was set is recognised by its
 * tables, stamped, and migrated; the outbox gains its claim columns, and
 * the audit chain comes to cover what it held. */
static void test_open_stamps_older_store(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's application_id and older schemas */
  static const char *const undo[] = {
    "ALTER TABLE outbox DROP COLUMN claimed_until", "ALTER TABLE outbox DROP COLUMN claimed_by",
    "DROP TABLE evidence", "DROP TABLE observables",
    "PRAGMA user_version = 4", "PRAGMA application_id = 0", NULL,
  };
  undo_to_version_6(f, fill_older_store(f));
  run_sql(f, undo);
  f->store = open_store(f->path);
  g_autofree char *app = sql(f, "PRAGMA application_id");
  assert_string_equal(app, "1229412185"); /* "IGWY" */
  g_autoptr(IgOutboxRec) r = claim(f, T0, "me 1");
  assert_string_equal(r->message_id, "o1@gw");
  g_clear_pointer(&f->store, store_close);
  expect_sealed_on_upgrade(f);
}

/* Version 6, the last before the chain covered messages and incidents:
 * sealed on upgrade like any older store. */
static void test_version_6_sealed_on_upgrade(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's older schemas; PostgreSQL's began sealed */
  undo_to_version_6(f, fill_older_store(f));
  expect_sealed_on_upgrade(f);
}

/* Version 7 already covers them: its upgrade adds no event, and a second
 * seal of the same incident would be a false entry in its history. */
static void test_version_7_not_sealed_again(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's older schemas; PostgreSQL's began sealed */
  g_autoptr(GError) error = NULL;
  fill_older_store(f);
  g_autofree char *before = sql(f, "SELECT count(*) FROM events");
  undo_to_version_7(f);
  f->store = open_store(f->path);
  g_autofree char *version = sql(f, "PRAGMA user_version");
  g_autofree char *latest = g_strdup_printf("%d", sq_schema_version());
  assert_string_equal(version, latest);
  g_autofree char *after = sql(f, "SELECT count(*) FROM events");
  assert_string_equal(after, before);
  IgVerifyCounts n;
  check(store_verify(f->store, &n, &error), error);
  assert_int_equal(n.messages, 2);
}

/* Makes a store in dir with the umask letting everything through, writes
 * to it, and checks the mode of its log (while open) and of its file. */
static void expect_new_store_mode(const char *dir, mode_t want)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename(dir, "gateway.db", NULL);
  g_autofree char *wal = g_strconcat(path, "-wal", NULL);
  mode_t old = umask(0);
  IgStore *store = store_open(path, &error);
  umask(old);
  check(store != NULL, error);
  g_autoptr(IgIncident) inc = minimal_incident("INC-2026-000001", T0);
  check(store_add_incident(store, inc, &error), error);
  GStatBuf st;
  assert_int_equal(g_stat(wal, &st), 0);
  assert_int_equal(st.st_mode & 07777, want);
  store_close(store);
  assert_int_equal(g_stat(path, &st), 0);
  assert_int_equal(st.st_mode & 07777, want);
}

/* A store made where there was none: its file 0600 (it holds personal
 * data), whatever else the umask would allow; its log takes the file's
 * mode. A directory that is not there is not made: a mistyped path or a
 * volume not mounted would get a new, empty store. */
static void test_new_store_modes(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's files */
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename(f->dir, "state", NULL);
  g_autofree char *path = g_build_filename(dir, "gateway.db", NULL);
  assert_null(store_open(path, &error));
  g_autofree char *want = g_strdup_printf("%s: no such directory for the store %s", dir, path);
  assert_string_equal(error->message, want);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_TRANSIENT));
  assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
  assert_int_equal(g_mkdir(dir, 0750), 0);
  expect_new_store_mode(dir, 0600);
  store_close(NULL); /* as free(NULL) */
}

/* A directory the operator gave a group (setgid): the store and its log
 * are readable by that group, never writable by it, nor by others. */
static void test_new_store_in_group_directory(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's files */
  g_autofree char *dir = g_build_filename(f->dir, "shared", NULL);
  assert_int_equal(g_mkdir(dir, 0750), 0);
  assert_int_equal(chmod(dir, 02750), 0);
  expect_new_store_mode(dir, 0640);
}

/* A supervisor may start the gateway with its standard input closed: the
 * new store's file is then descriptor 0, and no less a file. */
static void test_new_store_with_stdin_closed(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's files */
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename(f->dir, "fd0.db", NULL);
  int saved = dup(0);
  assert_true(saved > 0);
  close(0);
  IgStore *store = store_open(path, &error);
  assert_int_equal(dup2(saved, 0), 0);
  close(saved);
  check(store != NULL, error);
  store_close(store);
}


/* A log left where the store was deleted would be replayed into a new
 * one: refused. */
static void test_open_refuses_log_without_store(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's write-ahead log */
  g_autofree char *path = g_build_filename(f->dir, "gone.db", NULL);
  g_autofree char *wal = g_strconcat(path, "-wal", NULL);
  assert_true(g_file_set_contents(wal, "stale", -1, NULL));
  g_autoptr(GError) error = NULL;
  assert_null(store_open(path, &error));
  assert_non_null(error);
  assert_non_null(strstr(error->message, "write-ahead log"));
  assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

/* How a database is named in messages and logs: a PostgreSQL URI without
 * its password (in the user part or among the parameters) and without
 * its parameters; a path as it is. */
static void test_database_shown(void **state)
{
  (void)state;
  static const char *const cases[][2] = {
    { "postgresql://gateway:Sekrit-7@db.example:5433/gw?sslmode=verify-full&password=Other-9",
      "postgresql://gateway@db.example:5433/gw" },
    { "postgres://gateway@db.example/gw", "postgres://gateway@db.example/gw" },
    { "postgresql://db.example/gw?user=gateway&password=Other-9", "postgresql://db.example/gw" },
    { "postgresql:///gw?host=/run/postgresql&options=-csearch_path%3Da@b",
      "postgresql:///gw" },
    { "postgresql://gate:way@db.example", "postgresql://gate@db.example" },
    { "postgresql://:Sekrit-7@db.example/gw", "postgresql://@db.example/gw" },
    { "/var/lib/incident-gateway/gateway.db", "/var/lib/incident-gateway/gateway.db" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *shown = sq_database_shown(cases[i][0]);
    if (strcmp(shown, cases[i][1]) != 0)
      fail_msg("%s shown as %s, not %s", cases[i][0], shown, cases[i][1]);
  }
}

/* A PostgreSQL server that cannot be reached: the error names the
 * database without the passwords the URI holds, and says to try again. */
static void test_postgresql_unreachable_named_without_password(void **state)
{
  (void)state;
  if (test_on_pg())
    skip(); /* needs no server: once is enough */
  g_autoptr(GError) error = NULL;
  assert_null(store_open("postgresql://gateway:Sekrit-7@127.0.0.1:1/gw"
                         "?password=Other-9&connect_timeout=5", &error));
  assert_non_null(error);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_TRANSIENT));
  if (!g_str_has_prefix(error->message, "postgresql://gateway@127.0.0.1:1/gw: "))
    fail_msg("not named as expected: %s", error->message);
  assert_null(strstr(error->message, "Sekrit-7"));
  assert_null(strstr(error->message, "Other-9"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_open_creates_schema),
    T(test_new_store_is_a_wal_file),
    T(test_open_refuses_newer_schema),
    T(test_failed_migration_leaves_the_store),
    T(test_postgresql_unreadable_version_refused),
    T(test_open_refuses_path_through_a_file),
    T(test_new_store_modes),
    T(test_new_store_in_group_directory),
    T(test_new_store_with_stdin_closed),
    T(test_open_stamps_older_store),
    T(test_version_6_sealed_on_upgrade),
    T(test_version_7_not_sealed_again),
    T(test_open_refuses_log_without_store),
    T(test_database_shown),
    T(test_postgresql_unreachable_named_without_password),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

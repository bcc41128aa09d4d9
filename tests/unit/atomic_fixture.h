/* atomic_fixture.h - the fault machinery of test_atomic.c, for SQLite and
 * PostgreSQL alike: the store's tables read whole to compare (the
 * attempt's own bookkeeping left out), a copy of the store to start each
 * try from and what puts it back (on PostgreSQL, saved_ tables and the
 * identities set back), a log of every write a run makes, the n-th
 * statement prepared refused (SQLite's authorizer), the n-th statement
 * run failed (SQLite's trace and progress hooks; on PostgreSQL a counting
 * trigger on every table), and the stride that samples them. Most steps
 * are one function that branches on test_on_pg(), hence one header for
 * both databases. Include after cmocka.h; test_atomic.c keeps the
 * scenarios and what a refused step must leave. */
#ifndef IG_TEST_ATOMIC_FIXTURE_H
#define IG_TEST_ATOMIC_FIXTURE_H

#include <string.h>

#include <sqlite3.h>

#include "gateway/store_db.h"
#include "tests/unit/intake_fixture.h"

/* Tables whose rows record the attempt itself, not the message. */
static gboolean bookkeeping(const char *table)
{
  return strcmp(table, "failures") == 0 || strcmp(table, "in_flight") == 0;
}

/* The column that tells one write to a table from another. */
static const char *discriminator(const char *table)
{
  if (strcmp(table, "events") == 0)
    return "type";
  if (strcmp(table, "outbox") == 0)
    return "template";
  if (strcmp(table, "messages") == 0 || strcmp(table, "deadlines") == 0)
    return "kind";
  if (strcmp(table, "rules_fired") == 0)
    return "rule";
  return NULL;
}

#define REFUSED "refused by the test"

static void exec(Fixture *f, const char *sql)
{
  test_store_exec(f->store, sql);
}

static void add_row(int n, const char *const *values, gpointer data)
{
  GString *out = data;
  for (int i = 0; i < n; i++)
    g_string_append_printf(out, "%s|", values[i] ? values[i] : "NULL");
  g_string_append_c(out, '\n');
}

/* Rows of sql, one line each, every value followed by "|". */
static char *rows(Fixture *f, const char *sql)
{
  GString *out = g_string_new(NULL);
  test_store_rows(f->store, sql, add_row, out);
  return g_string_free(out, FALSE);
}

/* The store's tables, with_index adding the search index (on SQLite a
 * virtual table: its shadow tables beneath hold its pages, some without a
 * rowid to order by, so the index is compared through the virtual table;
 * on PostgreSQL a table that triggers keep). Not the test's own copies
 * (save()). */
static GPtrArray *tables(Fixture *f, gboolean with_index)
{
  g_autofree char *sql = g_strdup_printf(
      test_on_pg()
      ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        " AND tablename NOT LIKE 'saved\\_%%' AND (%d = 1 OR tablename <> 'incident_search')"
        " ORDER BY tablename"
      : "SELECT name FROM pragma_table_list WHERE schema = 'main'"
        " AND (type = 'table' OR (%d AND type = 'virtual')) AND name NOT LIKE 'sqlite_%%'"
        " ORDER BY name", with_index);
  g_autofree char *names = query_text(f, sql);
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  g_auto(GStrv) lines = g_strsplit(names, "\n", -1);
  for (char **l = lines; *l; l++)
    g_ptr_array_add(out, g_strdup(*l));
  return out;
}

/* Every table but the bookkeeping, whole: what a failure must not change.
 * The random part of our Message-IDs, and the audit hashes over them, are
 * left out so two runs compare (test_store checks the hashes). */
static char *snapshot(Fixture *f)
{
  g_autoptr(GPtrArray) names = tables(f, TRUE);
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < names->len; i++) {
    const char *t = g_ptr_array_index(names, i);
    if (bookkeeping(t))
      continue;
    /* PostgreSQL's rows have no rowid: ordered by all they hold. */
    g_autofree char *sql = g_strdup_printf(test_on_pg()
                                           ? "SELECT * FROM %s t ORDER BY t::text COLLATE \"C\""
                                           : "SELECT * FROM main.%s ORDER BY rowid", t);
    g_autofree char *r = rows(f, sql);
    g_string_append_printf(out, "[%s]\n%s", t, r);
  }
  g_autoptr(GRegex) uuid = g_regex_new("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                       "[0-9a-f]{12}", 0, 0, NULL);
  g_autoptr(GRegex) hash = g_regex_new("[0-9a-f]{64}", 0, 0, NULL);
  g_autofree char *all = g_string_free(out, FALSE);
  g_autofree char *no_uuid = g_regex_replace_literal(uuid, all, -1, 0, "UUID", 0, NULL);
  return g_regex_replace_literal(hash, no_uuid, -1, 0, "HASH", 0, NULL);
}

/* Like assert_string_equal, naming the first line that differs. */
static void assert_same_store(const char *got, const char *want, const char *what)
{
  if (strcmp(got, want) == 0)
    return;
  g_auto(GStrv) g = g_strsplit(got, "\n", -1), w = g_strsplit(want, "\n", -1);
  guint i = 0;
  while (g[i] && w[i] && strcmp(g[i], w[i]) == 0)
    i++;
  fail_msg("%s: the store differs at line %u:\n got: %.300s\nwant: %.300s", what, i,
           g[i] ? g[i] : "(end)", w[i] ? w[i] : "(end)");
}

/* A copy of the store as prepare() left it, to start each try from: on
 * SQLite a database in memory; on PostgreSQL a copy of each table beside
 * it (saved_NAME), what puts them back, and what sets each identity back
 * where it was. */
typedef struct {
  sqlite3 *copy;
  char *restore, *identities;
} Saved;

/* The store's tables on PostgreSQL, each after those it refers to. */
static GPtrArray *tables_in_order(Fixture *f)
{
  g_autoptr(GPtrArray) names = tables(f, TRUE);
  g_autofree char *order = query_text(f,
      "WITH RECURSIVE depth(t, d) AS ("
      " SELECT tablename::text, 0 FROM pg_tables WHERE schemaname = current_schema()"
      " UNION ALL SELECT k.conrelid::regclass::text, depth.d + 1 FROM pg_constraint k"
      " JOIN depth ON k.confrelid::regclass::text = depth.t"
      " WHERE k.contype = 'f' AND k.conrelid <> k.confrelid)"
      " SELECT t FROM depth GROUP BY t ORDER BY max(d), t");
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  g_auto(GStrv) lines = g_strsplit(order, "\n", -1);
  for (char **l = lines; *l; l++)
    if (g_ptr_array_find_with_equal_func(names, *l, g_str_equal, NULL))
      g_ptr_array_add(out, g_strdup(*l));
  assert_int_equal(out->len, names->len);
  return out;
}

static Saved save(Fixture *f)
{
  Saved saved = { NULL, NULL, NULL };
  if (!test_on_pg()) {
    assert_int_equal(sqlite3_open(":memory:", &saved.copy), SQLITE_OK);
    sqlite3_backup *b = sqlite3_backup_init(saved.copy, "main", f->store->db, "main");
    assert_non_null(b);
    assert_int_equal(sqlite3_backup_step(b, -1), SQLITE_DONE);
    assert_int_equal(sqlite3_backup_finish(b), SQLITE_OK);
    return saved;
  }
  /* The rows go back as they were, ids and all, those of the search
   * index too, with the triggers that keep it off while they do; and
   * each identity is set back where it was. */
  g_autoptr(GPtrArray) names = tables_in_order(f);
  GString *restore = g_string_new("BEGIN;");
  GString *truncate = g_string_new("TRUNCATE");
  for (guint i = 0; i < names->len; i++) {
    const char *t = g_ptr_array_index(names, i);
    g_autofree char *copy = g_strdup_printf("CREATE TABLE saved_%s AS TABLE %s", t, t);
    exec(f, copy);
    g_string_append_printf(restore, " ALTER TABLE %s DISABLE TRIGGER USER;", t);
    g_string_append_printf(truncate, "%s %s", i ? "," : "", t);
  }
  g_string_append_printf(restore, " %s;", truncate->str);
  g_string_free(truncate, TRUE);
  for (guint i = 0; i < names->len; i++) {
    const char *t = g_ptr_array_index(names, i);
    g_string_append_printf(restore, " INSERT INTO %s OVERRIDING SYSTEM VALUE"
                           " SELECT * FROM saved_%s; ALTER TABLE %s ENABLE TRIGGER USER;",
                           t, t, t);
  }
  saved.identities = query_text(f,
      "SELECT format('SELECT setval(%L, %s, %L);', sequencename, coalesce(last_value, 1),"
      " last_value IS NOT NULL) FROM pg_sequences WHERE schemaname = current_schema()");
  assert_non_null(saved.identities);
  g_string_append_printf(restore, " %s COMMIT", saved.identities);
  saved.restore = g_string_free(restore, FALSE);
  return saved;
}

/* PostgreSQL's sequences are not rolled back with a transaction: the ids
 * a failed try drew are given back, so that the rows of the next try
 * compare with the first run's. SQLite takes the next rowid after the
 * rows there are. */
static void give_back_ids(Fixture *f, const Saved *saved)
{
  if (saved->identities)
    exec(f, saved->identities);
}

/* The copy back; on SQLite with the search index opened again (its
 * constructor's reads are SQLite's own, not steps of the gateway's to
 * fail). */
static void restore(Fixture *f, const Saved *saved)
{
  if (saved->restore) {
    exec(f, saved->restore);
    return;
  }
  sqlite3_backup *b = sqlite3_backup_init(f->store->db, "main", saved->copy, "main");
  assert_non_null(b);
  assert_int_equal(sqlite3_backup_step(b, -1), SQLITE_DONE);
  assert_int_equal(sqlite3_backup_finish(b), SQLITE_OK);
  exec(f, "SELECT count(*) FROM main.incident_search");
}

static void saved_free(Saved *saved)
{
  sqlite3_close(saved->copy);
  g_free(saved->restore);
  g_free(saved->identities);
}

/* Logs (table, operation, discriminator) of every write to the store, in
 * a temporary table of the store's session. */
static void log_writes(Fixture *f)
{
  exec(f, "CREATE TEMP TABLE writes(tbl TEXT, op TEXT, what TEXT, UNIQUE(tbl, op, what))");
  if (test_on_pg())
    exec(f, "CREATE FUNCTION ig_log_write() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN"
            " INSERT INTO writes VALUES(tg_table_name, tg_op,"
            "  CASE WHEN tg_nargs > 0 THEN to_jsonb(NEW) ->> tg_argv[0] ELSE '' END)"
            "  ON CONFLICT DO NOTHING;"
            " RETURN NULL; END$$");
  g_autoptr(GPtrArray) names = tables(f, FALSE);
  for (guint i = 0; i < names->len; i++) {
    const char *t = g_ptr_array_index(names, i);
    const char *d = discriminator(t);
    if (bookkeeping(t))
      continue;
    for (int op = 0; op < 2; op++) {
      const char *verb = op ? "UPDATE" : "INSERT";
      g_autofree char *sql = NULL;
      if (test_on_pg())
        sql = g_strdup_printf("CREATE TRIGGER ig_log_%s AFTER %s ON %s FOR EACH ROW"
                              " EXECUTE FUNCTION ig_log_write(%s%s%s)", verb, verb, t,
                              d ? "'" : "", d ? d : "", d ? "'" : "");
      else
        sql = g_strdup_printf("CREATE TEMP TRIGGER log_%s_%s AFTER %s ON main.%s BEGIN"
                              " INSERT OR IGNORE INTO writes VALUES('%s', '%s', %s%s); END",
                              t, verb, verb, t, t, verb, d ? "NEW." : "''", d ? d : "");
      exec(f, sql);
    }
  }
}

static void drop_log(Fixture *f)
{
  if (test_on_pg()) {
    exec(f, "DO $$DECLARE r record; BEGIN"
            " FOR r IN SELECT g.tgname, c.relname FROM pg_trigger g"
            "  JOIN pg_class c ON c.oid = g.tgrelid WHERE g.tgname LIKE 'ig\\_log\\_%'"
            "  AND c.relnamespace = current_schema()::regnamespace LOOP"
            "  EXECUTE format('DROP TRIGGER %I ON %I', r.tgname, r.relname);"
            " END LOOP; END$$;"
            " DROP FUNCTION ig_log_write(); DROP TABLE writes");
    return;
  }
  g_autofree char *triggers = query_text(f, "SELECT name FROM temp.sqlite_master"
                                            " WHERE type = 'trigger'");
  g_auto(GStrv) names = g_strsplit(triggers, "\n", -1);
  for (char **name = names; *name; name++) {
    g_autofree char *sql = g_strdup_printf("DROP TRIGGER temp.%s", *name);
    exec(f, sql);
  }
  exec(f, "DROP TABLE temp.writes");
}


/* Counts the statements prepared (each once: setting an authorizer
 * expires the cached ones) and refuses the deny_at-th. */
typedef struct {
  int seen, deny_at;
} Statements;

static int authorize(void *data, int action, const char *a, const char *b, const char *db,
                     const char *trigger)
{
  Statements *st = data;
  if (trigger || (action != SQLITE_SELECT && action != SQLITE_INSERT &&
                  action != SQLITE_UPDATE && action != SQLITE_DELETE))
    return SQLITE_OK;
  return ++st->seen == st->deny_at ? SQLITE_DENY : SQLITE_OK;
}

/* Counts the statements run, each time one starts (a cached statement
 * as often as it runs), and interrupts the fail_at-th through the progress
 * handler, which SQLite calls only where a statement can stop; a
 * statement with no such point (SAVEPOINT, RELEASE) cannot be failed this
 * way, and `interrupted` says whether the fault landed. A failed rollback
 * is the one fault the store cannot mend in-process, so rollbacks run.
 * PostgreSQL has no such hooks: there the statements counted are the
 * writes (count_writes()), and each can be refused. */
typedef struct {
  int seen, fail_at;
  gboolean interrupted;
  gboolean in_index;        /* the statement started last is the search index's */
} Runs;

/* The search index's own statements on its shadow tables name them
 * 'main'.'...', as the gateway's never do: SQLite's to run, not counted
 * nor interrupted (FTS5 goes on without some by design, such as PRAGMA
 * data_version); the fault lands on the next statement of the gateway. */
static int count_runs(unsigned type, void *data, void *stmt, void *sql)
{
  Runs *r = data;
  (void)stmt;
  if (type != SQLITE_TRACE_STMT)
    return 0;
  r->in_index = strstr(sql, "'main'.") != NULL;
  if (!g_str_has_prefix(sql, "ROLLBACK") && !r->in_index)
    r->seen++;
  return 0;
}

static int interrupt_run(void *data)
{
  Runs *r = data;
  if (r->seen != r->fail_at || r->interrupted || r->in_index)
    return 0;
  r->interrupted = TRUE;
  return 1;
}

/* On PostgreSQL, a trigger for each statement on every table counts the
 * writes the store runs in a sequence (which no rollback sets back) and
 * refuses the one numbered ig.fail_at; the statements a trigger runs are
 * not the store's, and are not counted. */
static void count_writes(Fixture *f)
{
  if (!test_on_pg())
    return;
  exec(f, "CREATE SEQUENCE ig_runs; SET ig.fail_at = 0;"
          " CREATE FUNCTION ig_count_run() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN"
          "  IF pg_trigger_depth() = 1 THEN"
          "   IF nextval('ig_runs') = current_setting('ig.fail_at')::bigint THEN"
          "    RAISE EXCEPTION '" REFUSED "';"
          "   END IF;"
          "  END IF;"
          "  RETURN NULL;"
          " END$$");
  g_autoptr(GPtrArray) names = tables(f, TRUE);
  for (guint i = 0; i < names->len; i++) {
    g_autofree char *sql = g_strdup_printf("CREATE TRIGGER ig_count_run BEFORE INSERT OR UPDATE"
                                           " OR DELETE ON %s FOR EACH STATEMENT"
                                           " EXECUTE FUNCTION ig_count_run()",
                                           (char *)g_ptr_array_index(names, i));
    exec(f, sql);
  }
}

/* The n-th statement run from now on fails (count_writes() made ready). */
static void fail_run(Fixture *f, Runs *runs, int n)
{
  *runs = (Runs){ 0, n, FALSE, FALSE };
  if (test_on_pg()) {
    g_autofree char *sql = g_strdup_printf("SELECT setval('ig_runs', 1, false);"
                                           " SET ig.fail_at = %d", n);
    exec(f, sql);
    return;
  }
  sqlite3_trace_v2(f->store->db, SQLITE_TRACE_STMT, count_runs, runs);
  sqlite3_progress_handler(f->store->db, 1, interrupt_run, runs);
}

/* No statement fails any more; runs says how many ran, and whether the
 * n-th failed. */
static void fail_run_end(Fixture *f, Runs *runs)
{
  if (test_on_pg()) {
    exec(f, "SET ig.fail_at = 0");
    g_autofree char *seen = query_text(f, "SELECT CASE WHEN is_called THEN last_value ELSE 0"
                                          " END FROM ig_runs");
    runs->seen = atoi(seen);
    runs->interrupted = runs->seen >= runs->fail_at;
    return;
  }
  sqlite3_progress_handler(f->store->db, 0, NULL, NULL);
  sqlite3_trace_v2(f->store->db, 0, NULL, NULL);
}

/* The fewest runs of a scenario's that fail_run() can fail: of every
 * statement on SQLite, but of the writes alone on PostgreSQL. */
#define FEWEST_RUNS (test_on_pg() ? 5 : 10)

/* The words of the store's error for the run that failed. */
static const char *run_cause(const char *error)
{
  if (test_on_pg())
    return REFUSED;
  /* restore() changed the schema cookie, so a cached statement is
   * prepared again on its first run, and a fault there reads so. */
  return error && strstr(error, "schema has changed") ? "schema has changed" : "interrupted";
}

#endif

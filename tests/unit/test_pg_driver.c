/* test_pg_driver.c - unit tests for the PostgreSQL module
 * (gateway/pg_driver.c through pgmod.h) against a real server: the
 * session's set-up, SQLite's placeholders sent as PostgreSQL's, values of
 * every kind there and back, changes, the server's errors and which of
 * them may pass, statements reset and run again or stepped side by side,
 * finalized statements removed from the server, a terminated backend,
 * connections that fail without showing the password, and the server's
 * notices kept off stderr.
 *
 * The server: the one whose URI is in the file IG_TEST_PG_URL_FILE names
 * (ctest's fixture pg), else one this run starts with
 * tests/unit/pg_server.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gateway/error.h"
#include "gateway/log.h"
#include "gateway/pgmod.h"

static const IgPgOps *ops;
static char *url;  /* the server's libpq URI */
static PgConn *db; /* each test's connection */

/* The server this run started: pg_server.sh serve, which stops it when
 * the pipe to its stdin closes, at the end or if this run dies. */
static GPid own_pid;
static int own_stdin = -1;
static char *own_dir;

static char *serve(void)
{
  own_dir = g_dir_make_tmp("ig-test-pg-XXXXXX", NULL);
  const char *argv[] = {IG_PG_SERVER_SH, "serve", own_dir, NULL};
  g_autoptr(GError) error = NULL;
  if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                NULL, &own_pid, &own_stdin, NULL, NULL, &error))
    fail_msg("pg_server.sh: %s", error->message);
  char *file = g_build_filename(own_dir, "url", NULL);
  for (int i = 0; i < 1200 && !g_file_test(file, G_FILE_TEST_EXISTS); i++) {
    if (waitpid(own_pid, NULL, WNOHANG) == own_pid)
      fail_msg("pg_server.sh serve failed");
    g_usleep(100000);
  }
  return file;
}

static void stop_own_server(void)
{
  close(own_stdin);
  int status = 0;
  assert_int_equal(waitpid(own_pid, &status, 0), own_pid);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  g_rmdir(own_dir);
  g_clear_pointer(&own_dir, g_free);
}

static int setup_server(void **state)
{
  g_autoptr(GError) error = NULL;
  ops = pgmod_ops(&error);
  if (!ops)
    fail_msg("%s", error->message);
  const char *given = g_getenv("IG_TEST_PG_URL_FILE");
  g_autofree char *file = given ? g_strdup(given) : serve();
  if (!g_file_get_contents(file, &url, NULL, &error))
    fail_msg("the server's URI: %s", error->message);
  g_strstrip(url);
  return 0;
}

static int teardown_server(void **state)
{
  if (own_dir)
    stop_own_server();
  g_clear_pointer(&url, g_free);
  return 0;
}

static PgConn *connect_to(const char *uri)
{
  g_autoptr(GError) error = NULL;
  PgConn *conn = ops->connect(uri, &error);
  if (!conn)
    fail_msg("connect: %s", error->message);
  return conn;
}

static int open_db(void **state)
{
  db = connect_to(url);
  return 0;
}

static int close_db(void **state)
{
  g_clear_pointer(&db, ops->close);
  return 0;
}

static PgStmt *prepare(PgConn *conn, const char *sql)
{
  g_autoptr(GError) error = NULL;
  PgStmt *st = ops->prepare(conn, sql, &error);
  if (!st)
    fail_msg("prepare %s: %s", sql, error->message);
  return st;
}

static void exec(PgConn *conn, const char *sql)
{
  g_autoptr(GError) error = NULL;
  if (!ops->exec(conn, sql, &error))
    fail_msg("%s: %s", sql, error->message);
}

/* The text of the first column of sql's first row. */
static char *value(PgConn *conn, const char *sql)
{
  PgStmt *st = prepare(conn, sql);
  assert_int_equal(ops->step(st), PG_ROW);
  char *v = g_strdup(ops->column_text(st, 0));
  ops->finalize(st);
  return v;
}

static int server_port(void)
{
  const char *at = strstr(url, "@localhost:");
  assert_non_null(at);
  return atoi(at + strlen("@localhost:"));
}

/* url with its port replaced. */
static char *url_on_port(int port)
{
  g_autofree char *from = g_strdup_printf("@localhost:%d/", server_port());
  g_autofree char *to = g_strdup_printf("@localhost:%d/", port);
  g_auto(GStrv) parts = g_strsplit(url, from, 2);
  return g_strjoinv(to, parts);
}

/* A socket option of this process's TCP connection to the server. */
static int client_option(int level, int name)
{
  for (int fd = 0; fd < 1024; fd++) {
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    if (getpeername(fd, (struct sockaddr *)&peer, &len) != 0 || peer.sin_family != AF_INET ||
        ntohs(peer.sin_port) != server_port())
      continue;
    int v = -1;
    len = sizeof v;
    assert_int_equal(getsockopt(fd, level, name, &v, &len), 0);
    return v;
  }
  fail_msg("no connection to the server");
  return -1;
}

static void test_session_setup(void **state)
{
  g_autofree char *zone = value(db, "SHOW TimeZone");
  assert_string_equal(zone, "UTC");
  g_autofree char *encoding = value(db, "SHOW client_encoding");
  assert_string_equal(encoding, "UTF8");
  g_autofree char *idle = value(db, "SHOW tcp_keepalives_idle");
  g_autofree char *interval = value(db, "SHOW tcp_keepalives_interval");
  g_autofree char *count = value(db, "SHOW tcp_keepalives_count");
  assert_string_equal(idle, "5");
  assert_string_equal(interval, "2");
  assert_string_equal(count, "3");
  assert_int_equal(client_option(SOL_SOCKET, SO_KEEPALIVE), 1);
  assert_int_equal(client_option(IPPROTO_TCP, TCP_KEEPIDLE), 5);
  assert_int_equal(client_option(IPPROTO_TCP, TCP_KEEPINTVL), 2);
  assert_int_equal(client_option(IPPROTO_TCP, TCP_KEEPCNT), 3);

  /* What the URI sets wins over the defaults, but not the encoding the
   * store's strings are in, nor UTC. */
  g_clear_pointer(&db, ops->close);
  g_autofree char *own = g_strconcat(url, "&keepalives_idle=7&client_encoding=LATIN1"
                                     "&options=-c%20TimeZone%3DEurope/London", NULL);
  db = connect_to(own);
  assert_int_equal(client_option(IPPROTO_TCP, TCP_KEEPIDLE), 7);
  assert_int_equal(client_option(IPPROTO_TCP, TCP_KEEPINTVL), 2);
  g_autofree char *forced = value(db, "SHOW client_encoding");
  assert_string_equal(forced, "UTF8");
  g_autofree char *utc = value(db, "SELECT current_setting('TimeZone')"
                                   " || ' ' || pg_typeof(now())::text");
  assert_string_equal(utc, "UTC timestamp with time zone");
}

static void test_placeholders(void **state)
{
  /* ?2 and ?1 as numbered, the bare ? after the highest so far (3), and
   * none in a literal, a quoted name or a comment: were those counted,
   * the server would be sent more parameters than it expects. */
  PgStmt *st = prepare(db, "SELECT ?2, ?, ?1, '?''?', \"q?\", ?2 /* ? */"
                       " FROM (SELECT 'x' AS \"q?\") s -- ?\n");
  ops->bind_text(st, 1, "one");
  ops->bind_text(st, 2, "two");
  ops->bind_text(st, 3, "three");
  assert_int_equal(ops->step(st), PG_ROW);
  assert_int_equal(ops->column_count(st), 6);
  const char *want[] = {"two", "three", "one", "?'?", "x", "two"};
  for (int i = 0; i < 6; i++)
    assert_string_equal(ops->column_text(st, i), want[i]);
  assert_int_equal(ops->step(st), PG_DONE);
  ops->finalize(st);
}

static void test_values_round_trip(void **state)
{
  exec(db, "CREATE TEMP TABLE t (id serial, n bigint, s text, b bytea, f boolean)");
  guchar bytes[256]; /* NUL and 0x80-0xff among them */
  for (int i = 0; i < 256; i++)
    bytes[i] = (guchar)(255 - i);
  PgStmt *ins = prepare(db, "INSERT INTO t (n, s, b, f) VALUES (?, ?, ?, ?)");
  ops->bind_int64(ins, 1, G_MAXINT64);
  ops->bind_text(ins, 2, "Zoë's phone – stolen");
  ops->bind_blob(ins, 3, bytes, sizeof bytes);
  ops->bind_int64(ins, 4, 1);
  assert_int_equal(ops->step(ins), PG_DONE);
  ops->reset(ins);
  ops->bind_int64(ins, 1, G_MININT64); /* s unbound: NULL */
  ops->bind_blob(ins, 3, "", 0);
  ops->bind_int64(ins, 4, 0);
  assert_int_equal(ops->step(ins), PG_DONE);
  ops->reset(ins);
  ops->bind_null(ins, 1);
  ops->bind_blob(ins, 3, NULL, 0);
  assert_int_equal(ops->step(ins), PG_DONE);
  ops->finalize(ins);

  PgStmt *st = prepare(db, "SELECT n, s, b, f FROM t ORDER BY id");
  assert_int_equal(ops->step(st), PG_ROW);
  assert_int_equal(ops->column_int64(st, 0), G_MAXINT64);
  assert_string_equal(ops->column_text(st, 1), "Zoë's phone – stolen");
  assert_int_equal(ops->column_bytes(st, 1), strlen("Zoë's phone – stolen"));
  assert_int_equal(ops->column_bytes(st, 2), sizeof bytes);
  assert_memory_equal(ops->column_blob(st, 2), bytes, sizeof bytes);
  assert_int_equal(ops->column_int64(st, 3), 1);
  assert_int_equal(ops->step(st), PG_ROW);
  assert_true(ops->column_int64(st, 0) == G_MININT64);
  assert_true(ops->column_null(st, 1));
  assert_null(ops->column_text(st, 1));
  assert_false(ops->column_null(st, 2));
  assert_int_equal(ops->column_bytes(st, 2), 0);
  assert_int_equal(ops->column_int64(st, 3), 0);
  assert_int_equal(ops->step(st), PG_ROW);
  assert_true(ops->column_null(st, 0));
  assert_int_equal(ops->column_int64(st, 0), 0);
  assert_true(ops->column_null(st, 2));
  assert_null(ops->column_blob(st, 2));
  assert_true(ops->column_null(st, 3));
  assert_int_equal(ops->step(st), PG_DONE);
  assert_null(ops->column_text(st, 1)); /* no row any more */
  ops->finalize(st);
}

static void test_changes(void **state)
{
  exec(db, "CREATE TEMP TABLE c (n int); INSERT INTO c VALUES (1), (2), (3)");
  PgStmt *st = prepare(db, "UPDATE c SET n = n + 10 WHERE n >= ?");
  assert_int_equal(ops->changes(st), 0);
  ops->bind_int64(st, 1, 2);
  assert_int_equal(ops->step(st), PG_DONE);
  assert_int_equal(ops->changes(st), 2);
  ops->reset(st);
  ops->bind_int64(st, 1, 100);
  assert_int_equal(ops->step(st), PG_DONE);
  assert_int_equal(ops->changes(st), 0);
  ops->finalize(st);
}

static void test_errors(void **state)
{
  /* 10 / 0 the first time it runs, 10 / 1 the second. */
  exec(db, "CREATE TEMP SEQUENCE runs MINVALUE 0 START 0");
  PgStmt *st = prepare(db, "SELECT 10 / nextval('runs')::int * ?");
  ops->bind_int64(st, 1, 3);
  assert_int_equal(ops->step(st), PG_ERROR);
  assert_string_equal(ops->errmsg(db), "division by zero");
  assert_false(ops->error_transient(db));
  assert_int_equal(ops->step(st), PG_ERROR); /* not run again until reset */
  ops->reset(st);
  ops->bind_int64(st, 1, 2);
  assert_int_equal(ops->step(st), PG_ROW);
  assert_int_equal(ops->column_int64(st, 0), 20);
  ops->finalize(st);

  exec(db, "CREATE TEMP TABLE u (k int PRIMARY KEY); INSERT INTO u VALUES (1)");
  g_autoptr(GError) error = NULL;
  assert_false(ops->exec(db, "INSERT INTO u VALUES (1)", &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  const char *duplicate = "duplicate key value violates unique constraint \"u_pkey\":"
                          " Key (k)=(1) already exists.";
  assert_string_equal(ops->errmsg(db), duplicate);
  g_autofree char *message = g_strconcat("PostgreSQL: ", duplicate, NULL);
  assert_string_equal(error->message, message);

  g_autoptr(GError) error2 = NULL;
  assert_null(ops->prepare(db, "SELEC 1", &error2));
  assert_string_equal(error2->message, "PostgreSQL: syntax error at or near \"SELEC\"");
}

/* Which failures may pass when tried again, by SQLSTATE. */
static void test_transient_states(void **state)
{
  const char *transient[] = {"08006", "25006", "40001", "40P01", "55P03", "57014", "57P01",
                             "57P02", "57P03", "53100", "53200"};
  const char *lasting[] = {"22012", "23505", "42P01", "XX000", "P0001"};
  for (gsize i = 0; i < G_N_ELEMENTS(transient) + G_N_ELEMENTS(lasting); i++) {
    gboolean expected = i < G_N_ELEMENTS(transient);
    const char *code = expected ? transient[i] : lasting[i - G_N_ELEMENTS(transient)];
    g_autofree char *sql = g_strdup_printf("DO $$ BEGIN RAISE EXCEPTION 'raised %s'"
                                           " USING ERRCODE = '%s'; END $$", code, code);
    g_autoptr(GError) error = NULL;
    assert_false(ops->exec(db, sql, &error));
    g_autofree char *raised = g_strdup_printf("raised %s", code);
    assert_string_equal(ops->errmsg(db), raised);
    if (ops->error_transient(db) != expected)
      fail_msg("SQLSTATE %s: transient %d", code, !expected);
    assert_true(g_error_matches(error, IG_ERROR, expected ? IG_ERROR_TRANSIENT : IG_ERROR_RUNTIME));
    assert_true(ops->alive(db));
  }
}

/* A message of several lines, as the server may send it, is told on one
 * line: each break or tab one space, none added after a space. */
static void test_message_on_one_line(void **state)
{
  static const char *const cases[][2] = {
    { "first \\nsecond", "first second" },
    { "x\\n\\ty", "x y" },
    { "\\nlead", "lead" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *sql = g_strdup_printf("DO $$ BEGIN RAISE EXCEPTION E'%s'; END $$",
                                           cases[i][0]);
    g_autoptr(GError) error = NULL;
    assert_false(ops->exec(db, sql, &error));
    assert_string_equal(ops->errmsg(db), cases[i][1]);
    g_autofree char *want = g_strdup_printf("PostgreSQL: %s", cases[i][1]);
    assert_string_equal(error->message, want);
  }
}

static void test_reset_and_rerun(void **state)
{
  PgStmt *st = prepare(db, "SELECT ?1::bigint * 2, ?2::text");
  ops->bind_int64(st, 1, 21);
  ops->bind_text(st, 2, "first");
  assert_int_equal(ops->step(st), PG_ROW);
  assert_int_equal(ops->column_int64(st, 0), 42);
  assert_string_equal(ops->column_text(st, 1), "first");
  assert_int_equal(ops->step(st), PG_DONE);
  assert_int_equal(ops->step(st), PG_DONE);
  ops->reset(st);
  ops->bind_int64(st, 1, 5); /* the reset forgot "first" */
  assert_int_equal(ops->step(st), PG_ROW);
  assert_int_equal(ops->column_int64(st, 0), 10);
  assert_true(ops->column_null(st, 1));
  ops->finalize(st);
}

static void test_two_statements(void **state)
{
  PgStmt *a = prepare(db, "SELECT generate_series(1, 3)");
  PgStmt *b = prepare(db, "SELECT generate_series(10, 12)");
  assert_int_equal(ops->step(a), PG_ROW);
  assert_int_equal(ops->column_int64(a, 0), 1);
  for (int n = 10; n <= 12; n++) {
    assert_int_equal(ops->step(b), PG_ROW);
    assert_int_equal(ops->column_int64(b, 0), n);
  }
  assert_int_equal(ops->step(b), PG_DONE);
  for (int n = 2; n <= 3; n++) {
    assert_int_equal(ops->step(a), PG_ROW);
    assert_int_equal(ops->column_int64(a, 0), n);
  }
  assert_int_equal(ops->step(a), PG_DONE);
  ops->finalize(b);
  ops->finalize(a);
}

static void test_in_txn(void **state)
{
  assert_false(ops->in_txn(db));
  exec(db, "BEGIN");
  assert_true(ops->in_txn(db));
  assert_false(ops->exec(db, "SELECT * FROM nowhere", NULL));
  assert_string_equal(ops->errmsg(db), "relation \"nowhere\" does not exist");
  assert_true(ops->in_txn(db)); /* aborted, still to be rolled back */
  exec(db, "ROLLBACK");
  assert_false(ops->in_txn(db));
}

/* The statements on the server, counted by a statement whose prepare
 * deallocates those finalized before. */
static int prepared_count(void)
{
  g_autofree char *n = value(db, "SELECT count(*) FROM pg_prepared_statements");
  return atoi(n);
}

static void test_finalize_deallocates(void **state)
{
  int base = prepared_count();
  PgStmt *st = prepare(db, "SELECT 1");
  PgStmt *st2 = prepare(db, "SELECT 2");
  assert_int_equal(prepared_count(), base + 2);
  ops->finalize(st);
  ops->finalize(st2);
  assert_int_equal(prepared_count(), base);

  /* In an aborted transaction the server refuses DEALLOCATE: it comes at
   * the first prepare after the rollback. */
  st = prepare(db, "SELECT 1");
  exec(db, "BEGIN");
  assert_false(ops->exec(db, "SELECT * FROM nowhere", NULL));
  ops->finalize(st);
  assert_null(ops->prepare(db, "SELECT 2", NULL));
  exec(db, "ROLLBACK");
  assert_int_equal(prepared_count(), base);
}

static void test_terminated_backend(void **state)
{
  g_autofree char *pid = value(db, "SELECT pg_backend_pid()");
  PgStmt *st = prepare(db, "SELECT 1");
  PgConn *other = connect_to(url);
  g_autofree char *sql = g_strdup_printf("SELECT pg_terminate_backend(%s, 5000)", pid);
  g_autofree char *done = value(other, sql);
  assert_string_equal(done, "t");
  ops->close(other);

  assert_int_equal(ops->step(st), PG_ERROR);
  assert_true(ops->error_transient(db));
  assert_false(ops->alive(db));
  assert_false(ops->in_txn(db));
  assert_true(*ops->errmsg(db));
  ops->finalize(st);
  /* libpq's own failure now, with no SQLSTATE from the server. */
  g_autoptr(GError) error = NULL;
  assert_false(ops->exec(db, "SELECT 1", &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_TRANSIENT));
  assert_string_equal(ops->errmsg(db), "no connection to the server");
  assert_true(ops->error_transient(db));
}

/* A loopback port nobody listens on. */
static int closed_port(void)
{
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
  assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
  close(s);
  return ntohs(a.sin_port);
}

/* The password of the passfile the URI names. */
static char *passfile_password(void)
{
  g_autofree char *path = g_strdup(strstr(url, "passfile=") + strlen("passfile="));
  g_autofree char *line = NULL;
  assert_true(g_file_get_contents(path, &line, NULL, NULL));
  return g_strdup(g_strstrip(strrchr(line, ':') + 1));
}

/* The error of a connection to uri, which must not show secret, nor the
 * URI. */
static char *refusal(const char *uri, IgErrorCode code, const char *secret)
{
  g_autoptr(GError) error = NULL;
  assert_null(ops->connect(uri, &error));
  assert_true(g_error_matches(error, IG_ERROR, code));
  if (strstr(error->message, secret) || strstr(error->message, "sslrootcert"))
    fail_msg("password or URI shown: %s", error->message);
  assert_null(strchr(error->message, '\n'));
  return g_strdup(error->message);
}

/* uri with the password in it. */
static char *with_password(const char *uri, const char *password)
{
  g_autofree char *user = g_strdup_printf("gateway:%s@", password);
  g_auto(GStrv) parts = g_strsplit(uri, "gateway@", 2);
  return g_strjoinv(user, parts);
}

static void test_connect_failures(void **state)
{
  g_autofree char *password = passfile_password();
  assert_true(strlen(password) >= 8);
  g_autofree char *closed = url_on_port(closed_port());
  g_autofree char *refused = refusal(closed, IG_ERROR_TRANSIENT, password);
  assert_true(g_str_has_prefix(refused, "cannot connect to the PostgreSQL database gateway: "));
  assert_non_null(strstr(refused, "Connection refused"));

  const char *inline_password = "Inline-Secret-42";
  g_autofree char *inline_closed = with_password(closed, inline_password);
  g_autofree char *refused2 = refusal(inline_closed, IG_ERROR_TRANSIENT, inline_password);
  assert_non_null(strstr(refused2, "Connection refused"));
  g_autofree char *wrong = with_password(url, inline_password);
  g_autofree char *refused3 = refusal(wrong, IG_ERROR_TRANSIENT, inline_password);
  assert_non_null(strstr(refused3, "password authentication failed for user \"gateway\""));

  /* libpq's own reason would quote the password's bad %-encoding. */
  g_autofree char *refused4 = refusal("postgresql://gateway:Bad%zzSecret@localhost/gateway",
                                      IG_ERROR_CONFIG, "zzSecret");
  assert_non_null(strstr(refused4, "not a valid libpq URI"));
}

/* url without the parameter named key (key=value&). */
static char *url_without(const char *in, const char *key)
{
  GString *out = g_string_new(NULL);
  const char *query = strchr(in, '?');
  g_string_append_len(out, in, query + 1 - in);
  g_auto(GStrv) params = g_strsplit(query + 1, "&", -1);
  g_autofree char *prefix = g_strconcat(key, "=", NULL);
  for (char **p = params; *p; p++)
    if (!g_str_has_prefix(*p, prefix))
      g_string_append_printf(out, "%s%s", out->str[out->len - 1] == '?' ? "" : "&", *p);
  return g_string_free(out, FALSE);
}

/* A URI that names no sslmode still gets the server's certificate
 * checked (libpq alone would take any server, or none, by default):
 * without the CA it is refused, with it the connection is made. */
static void test_tls_verified_by_default(void **state)
{
  g_autofree char *no_mode = url_without(url, "sslmode");
  g_autoptr(GError) error = NULL;
  PgConn *conn = ops->connect(no_mode, &error);
  assert_non_null(conn);
  ops->close(conn);
  g_autofree char *no_ca = url_without(no_mode, "sslrootcert");
  g_autofree char *home = g_dir_make_tmp("ig-pg-home-XXXXXX", NULL);
  g_autofree char *old_home = g_strdup(g_getenv("HOME"));
  g_setenv("HOME", home, TRUE); /* no ~/.postgresql/root.crt */
  assert_null(ops->connect(no_ca, &error));
  g_setenv("HOME", old_home, TRUE);
  g_rmdir(home);
  assert_non_null(strstr(error->message, "root certificate file"));
}

static double connect_seconds(const char *uri)
{
  gint64 start = g_get_monotonic_time();
  g_autoptr(GError) error = NULL;
  assert_null(ops->connect(uri, &error));
  assert_non_null(strstr(error->message, "timeout expired"));
  return (g_get_monotonic_time() - start) / 1e6;
}

/* A server that accepts the connection and never answers: libpq gives up
 * after 10 s, or after what the URI says. */
static void test_connect_timeout(void **state)
{
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
  assert_int_equal(listen(s, 4), 0);
  assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
  g_autofree char *silent = url_on_port(ntohs(a.sin_port));
  g_autofree char *quicker = g_strconcat(silent, "&connect_timeout=2", NULL);
  double t = connect_seconds(quicker);
  assert_true(t >= 1.5 && t < 5);
  t = connect_seconds(silent);
  assert_true(t >= 9.5 && t < 15);
  close(s);
}

/* What stderr receives while sql runs at log level. */
static char *stderr_of(const char *sql, IgLogLevel level)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp("ig-test-pg-XXXXXX", &path, NULL);
  int saved = dup(STDERR_FILENO);
  dup2(fd, STDERR_FILENO);
  log_set_level(level);
  exec(db, sql);
  log_set_level(IG_LOG_INFO);
  dup2(saved, STDERR_FILENO);
  close(saved);
  close(fd);
  char *text = NULL;
  assert_true(g_file_get_contents(path, &text, NULL, NULL));
  g_unlink(path);
  return text;
}

/* The server's notices go to the log at debug, its warnings at warn;
 * neither straight to stderr. */
static void test_notices_logged(void **state)
{
  const char *notice = "DO $$ BEGIN RAISE NOTICE 'note from the server'; END $$";
  g_autofree char *quiet = stderr_of(notice, IG_LOG_INFO);
  assert_string_equal(quiet, "");
  g_autofree char *debug = stderr_of(notice, IG_LOG_DEBUG);
  assert_true(g_str_has_suffix(debug, " debug - <-> PostgreSQL notice: note from the server\n"));
  g_autofree char *warning = stderr_of("COMMIT", IG_LOG_INFO);
  assert_true(g_str_has_suffix(
      warning, " warn - <-> PostgreSQL warning: there is no transaction in progress\n"));
  assert_int_equal(strchr(warning, '\n') - warning + 1, strlen(warning)); /* one line */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_session_setup, open_db, close_db),
    cmocka_unit_test_setup_teardown(test_placeholders, open_db, close_db),
    cmocka_unit_test_setup_teardown(test_values_round_trip, open_db, close_db),
    cmocka_unit_test_setup_teardown(test_changes, open_db, close_db),
    cmocka_unit_test_setup_teardown(test_errors, open_db, close_db),
    cmocka_unit_test_setup_teardown(test_transient_states, open_db, close_db),
    cmocka_unit_test_setup_teardown(test_message_on_one_line, open_db, close_db),
    cmocka_unit_test_setup_teardown(test_reset_and_rerun, open_db, close_db),
    cmocka_unit_test_setup_teardown(test_two_statements, open_db, close_db),
    cmocka_unit_test_setup_teardown(test_in_txn, open_db, close_db),
    cmocka_unit_test_setup_teardown(test_finalize_deallocates, open_db, close_db),
    cmocka_unit_test_setup_teardown(test_terminated_backend, open_db, close_db),
    cmocka_unit_test(test_connect_failures),
    cmocka_unit_test(test_tls_verified_by_default),
    cmocka_unit_test(test_connect_timeout),
    cmocka_unit_test_setup_teardown(test_notices_logged, open_db, close_db),
  };
  return cmocka_run_group_tests(tests, setup_server, teardown_server);
}

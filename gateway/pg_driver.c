/* pg_driver.c - the PostgreSQL module (pgmod.h) with libpq, built as
 * ig-pg.so; its table is ig_pg_ops.
 *
 * A statement runs at its first step and all its rows arrive in one
 * PGresult, which the following steps walk: memory grows with the rows a
 * statement returns, so a caller reads a listing that may be large in
 * pages (LIMIT with a key to continue from), never in one statement. */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/error.h"
#include "gateway/log.h"
#include "gateway/pgmod.h"

/* Type OIDs of the server's catalogue (catalog/pg_type_d.h, which is not
 * among libpq's headers); they never change. */
#define BOOLOID 16
#define BYTEAOID 17

struct PgConn {
  PGconn *pg;
  char *errmsg;     /* the last failure's message */
  char sqlstate[6]; /* its SQLSTATE; "" for libpq's own failures */
  guint prepared;   /* statements prepared so far, named s1, s2, ... */
  GPtrArray *unused; /* names of finalized statements still on the server */
};

/* A bytea value of the current row, unescaped when first read. */
typedef struct {
  guchar *data;
  size_t len;
} Blob;

struct PgStmt {
  PgConn *conn;
  char *name;
  int nparams;
  char **values; /* NULL for SQL NULL, as PQexecPrepared takes them */
  int *lengths;
  int *formats;
  PGresult *res; /* NULL until the first step */
  gboolean failed;
  int row;       /* the current row; -1 before the first */
  Blob *blobs;   /* one per column of res */
  gint64 changes; /* rows the last run changed; kept by a reset, as SQLite's */
};

/* libpq's messages end in a newline and may hold a hint on a second,
 * indented line; the project's errors are one line. */
static char *one_line(const char *msg)
{
  GString *out = g_string_new(NULL);
  for (const char *p = msg ? msg : ""; *p; p++) {
    if (*p != '\n' && *p != '\t')
      g_string_append_c(out, *p);
    else if (out->len && out->str[out->len - 1] != ' ')
      g_string_append_c(out, ' ');
  }
  return g_strchomp(g_string_free(out, FALSE));
}

/* Remembers the failure res reports (NULL or without the server's fields
 * when libpq itself failed: a lost connection, no memory). */
static void record_failure(PgConn *conn, const PGresult *res)
{
  const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *both = primary && detail ? g_strdup_printf("%s: %s", primary, detail) : NULL;
  g_free(conn->errmsg);
  conn->errmsg = one_line(both ? both : primary ? primary : PQerrorMessage(conn->pg));
  g_strlcpy(conn->sqlstate, state ? state : "", sizeof conn->sqlstate);
}

static gboolean result_ok(PgConn *conn, const PGresult *res)
{
  switch (PQresultStatus(res)) {
  case PGRES_COMMAND_OK:
  case PGRES_TUPLES_OK:
  case PGRES_EMPTY_QUERY:
    return TRUE;
  default:
    record_failure(conn, res);
    return FALSE;
  }
}

static const char *pg_errmsg(PgConn *conn)
{
  return conn->errmsg ? conn->errmsg : "";
}

static gboolean pg_error_transient(PgConn *conn)
{
  /* 25006: a write on a read-only session (a standby, a database set
   * read-only), which passes as SQLite's read-only file system does;
   * 55P03: a lock not had within lock_timeout, as SQLite's busy store;
   * 57014: a statement cancelled, by the operator's statement_timeout. */
  static const char *const states[] = {"25006", "40001", "40P01", "55P03", "57014", "57P01",
                                       "57P02", "57P03"};
  const char *state = conn->sqlstate;
  if (PQstatus(conn->pg) == CONNECTION_BAD || g_str_has_prefix(state, "08") ||
      g_str_has_prefix(state, "53"))
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(states); i++)
    if (strcmp(state, states[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean pg_in_txn(PgConn *conn)
{
  PGTransactionStatusType status = PQtransactionStatus(conn->pg);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

static gboolean pg_alive(PgConn *conn)
{
  return PQstatus(conn->pg) == CONNECTION_OK;
}

static IgErrorCode error_code(PgConn *conn)
{
  return pg_error_transient(conn) ? IG_ERROR_TRANSIENT : IG_ERROR_RUNTIME;
}

static void set_error(PgConn *conn, GError **error)
{
  g_set_error(error, IG_ERROR, error_code(conn), "PostgreSQL: %s", pg_errmsg(conn));
}

static gboolean run_sql(PgConn *conn, const char *sql)
{
  PGresult *res = PQexec(conn->pg, sql);
  gboolean ok = result_ok(conn, res);
  PQclear(res);
  return ok;
}

static gboolean pg_exec(PgConn *conn, const char *sql, GError **error)
{
  if (run_sql(conn, sql))
    return TRUE;
  set_error(conn, error);
  return FALSE;
}

/* The server's notices and warnings (an IF NOT EXISTS that found the
 * table, a COMMIT with no transaction) go to the log, where libpq would
 * print them on stderr among the gateway's lines; a warning is a mistake
 * of the store's. */
static void log_notice(void *unused, const PGresult *res)
{
  const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
  gboolean warning = g_strcmp0(severity, "WARNING") == 0;
  log_msg(warning ? IG_LOG_WARN : IG_LOG_DEBUG, NULL, NULL, "PostgreSQL %s: %s",
          warning ? "warning" : "notice", PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
}

static void pg_close(PgConn *conn)
{
  if (!conn)
    return;
  PQfinish(conn->pg);
  g_ptr_array_unref(conn->unused);
  g_free(conn->errmsg);
  g_free(conn);
}

/* libpq's reason for a URI it cannot parse may quote the password (an
 * invalid percent-encoding in it): it is not passed on. */
static gboolean uri_parses(const char *uri, GError **error)
{
  char *reason = NULL;
  PQconninfoOption *options = PQconninfoParse(uri, &reason);
  PQfreemem(reason);
  if (!options) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "the PostgreSQL URI is not a valid libpq"
                " URI or key=value string (libpq's reason not shown: it may quote the password)");
    return FALSE;
  }
  PQconninfoFree(options);
  return TRUE;
}

/* The keepalives let each side notice a vanished peer within seconds: the
 * client's through libpq, the server's through the SETs. TLS with the
 * server's certificate checked against its name, as for IMAP and SMTP,
 * unless the URI says otherwise (libpq's own default, prefer, checks
 * nothing; over a Unix socket no TLS is used either way). Parameters
 * before dbname (the URI, expanded in its place) are defaults the URI may
 * override; the encoding after it is what the store's strings are. */
static PGconn *open_session(const char *uri, GError **error)
{
  const char *const keys[] = {"connect_timeout", "keepalives", "keepalives_idle",
                              "keepalives_interval", "keepalives_count", "sslmode", "dbname",
                              "client_encoding", NULL};
  const char *const values[] = {"10", "1", "5", "2", "3", "verify-full", uri, "UTF8", NULL};
  PGconn *pg = PQconnectdbParams(keys, values, 1);
  if (PQstatus(pg) == CONNECTION_OK)
    return pg;
  g_autofree char *why = one_line(pg ? PQerrorMessage(pg) : "out of memory");
  g_set_error(error, IG_ERROR, IG_ERROR_TRANSIENT, "cannot connect to the PostgreSQL database"
              " %s: %s", PQdb(pg) ? PQdb(pg) : "", why);
  PQfinish(pg);
  return NULL;
}

static PgConn *pg_connect(const char *uri, GError **error)
{
  if (!uri_parses(uri, error))
    return NULL;
  PGconn *pg = open_session(uri, error);
  if (!pg)
    return NULL;
  PQsetNoticeReceiver(pg, log_notice, NULL);
  PgConn *conn = g_new0(PgConn, 1);
  conn->pg = pg;
  conn->unused = g_ptr_array_new_with_free_func(g_free);
  if (!run_sql(conn, "SET TIME ZONE 'UTC'; SET tcp_keepalives_idle = 5;"
               " SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3")) {
    g_set_error(error, IG_ERROR, error_code(conn), "cannot set up the session on the"
                " PostgreSQL database %s: %s", PQdb(pg), pg_errmsg(conn));
    pg_close(conn);
    return NULL;
  }
  return conn;
}

/* Past the first close at or after from; the end when there is none (an
 * unterminated literal or comment, for the server to report). */
static const char *past(const char *from, const char *close)
{
  const char *at = strstr(from, close);
  return at ? at + strlen(close) : from + strlen(from);
}

/* Past the string literal, quoted identifier or comment that starts at p;
 * p itself when none does. A doubled quote inside a literal reads as two
 * literals in a row, which is as good. */
static const char *skip_quoted(const char *p)
{
  if (*p == '\'')
    return past(p + 1, "'");
  if (*p == '"')
    return past(p + 1, "\"");
  if (g_str_has_prefix(p, "--"))
    return past(p + 2, "\n");
  if (g_str_has_prefix(p, "/*"))
    return past(p + 2, "*/");
  return p;
}

/* SQLite's placeholders as PostgreSQL's: ?N is $N, and a bare ? takes the
 * number after the highest so far, as SQLite numbers it. *highest: the
 * highest number, which is how many parameters the server expects. */
static char *translate(const char *sql, int *highest)
{
  GString *out = g_string_sized_new(strlen(sql) + 16);
  *highest = 0;
  for (const char *p = sql; *p;) {
    const char *end = skip_quoted(p);
    if (end != p) {
      g_string_append_len(out, p, end - p);
      p = end;
    } else if (*p != '?') {
      g_string_append_c(out, *p++);
    } else {
      char *digits_end = (char *)++p;
      int n = g_ascii_isdigit(*p) ? (int)strtol(p, &digits_end, 10) : *highest + 1;
      p = digits_end;
      *highest = MAX(*highest, n);
      g_string_append_printf(out, "$%d", n);
    }
  }
  return g_string_free(out, FALSE);
}

/* A finalized statement stays on the server until the next prepare
 * deallocates it, with the others finalized since, in one round trip. An
 * aborted transaction refuses DEALLOCATE: they wait for a prepare after
 * it. A lost connection took them along. */
static void release_unused(PgConn *conn)
{
  PGTransactionStatusType status = PQtransactionStatus(conn->pg);
  if (conn->unused->len == 0 || (status != PQTRANS_IDLE && status != PQTRANS_INTRANS))
    return;
  GString *sql = g_string_new(NULL);
  for (guint i = 0; i < conn->unused->len; i++)
    g_string_append_printf(sql, "DEALLOCATE %s;", (char *)g_ptr_array_index(conn->unused, i));
  PQclear(PQexec(conn->pg, sql->str));
  g_string_free(sql, TRUE);
  g_ptr_array_set_size(conn->unused, 0);
}

static PgStmt *pg_prepare(PgConn *conn, const char *sql, GError **error)
{
  release_unused(conn);
  int nparams = 0;
  g_autofree char *text = translate(sql, &nparams);
  g_autofree char *name = g_strdup_printf("s%u", ++conn->prepared);
  /* No types given: the server infers each parameter's from its use. */
  PGresult *res = PQprepare(conn->pg, name, text, 0, NULL);
  gboolean ok = result_ok(conn, res);
  PQclear(res);
  if (!ok) {
    set_error(conn, error);
    return NULL;
  }
  PgStmt *st = g_new0(PgStmt, 1);
  st->conn = conn;
  st->name = g_steal_pointer(&name);
  st->nparams = nparams;
  st->values = g_new0(char *, nparams);
  st->lengths = g_new0(int, nparams);
  st->formats = g_new0(int, nparams);
  st->row = -1;
  return st;
}

static void free_blobs(PgStmt *st)
{
  for (int i = 0; st->res && i < PQnfields(st->res); i++)
    g_clear_pointer(&st->blobs[i].data, PQfreemem);
}

static void forget_run(PgStmt *st)
{
  free_blobs(st);
  g_clear_pointer(&st->blobs, g_free);
  g_clear_pointer(&st->res, PQclear);
  st->failed = FALSE;
  st->row = -1;
}

static void pg_reset(PgStmt *st)
{
  forget_run(st);
  for (int i = 0; i < st->nparams; i++) {
    g_clear_pointer(&st->values[i], g_free);
    st->lengths[i] = st->formats[i] = 0;
  }
}

static void pg_finalize(PgStmt *st)
{
  if (!st)
    return;
  pg_reset(st);
  g_ptr_array_add(st->conn->unused, st->name);
  g_free(st->values);
  g_free(st->lengths);
  g_free(st->formats);
  g_free(st);
}

/* Takes value; format 1 (binary) for a blob, 0 (text) else. */
static void set_param(PgStmt *st, int i, char *value, int len, int format)
{
  g_free(st->values[i - 1]);
  st->values[i - 1] = value;
  st->lengths[i - 1] = len;
  st->formats[i - 1] = format;
}

static void pg_bind_null(PgStmt *st, int i)
{
  g_return_if_fail(i >= 1 && i <= st->nparams);
  set_param(st, i, NULL, 0, 0);
}

static void pg_bind_int64(PgStmt *st, int i, gint64 v)
{
  g_return_if_fail(i >= 1 && i <= st->nparams);
  set_param(st, i, g_strdup_printf("%" G_GINT64_FORMAT, v), 0, 0);
}

static void pg_bind_text(PgStmt *st, int i, const char *s)
{
  g_return_if_fail(i >= 1 && i <= st->nparams);
  set_param(st, i, g_strdup(s), 0, 0);
}

/* An empty blob is a value, not NULL: its copy is not NULL either. */
static void pg_bind_blob(PgStmt *st, int i, const void *data, gsize len)
{
  g_return_if_fail(i >= 1 && i <= st->nparams && len <= G_MAXINT);
  char *copy = data ? g_malloc(len + 1) : NULL;
  if (copy)
    memcpy(copy, data, len);
  set_param(st, i, copy, (int)len, 1);
}

static gboolean run(PgStmt *st)
{
  PGresult *res = PQexecPrepared(st->conn->pg, st->name, st->nparams,
                                 (const char *const *)st->values, st->lengths, st->formats, 0);
  if (!result_ok(st->conn, res)) {
    PQclear(res);
    st->failed = TRUE;
    return FALSE;
  }
  st->res = res;
  st->blobs = g_new0(Blob, PQnfields(res));
  st->changes = g_ascii_strtoll(PQcmdTuples(res), NULL, 10);
  return TRUE;
}

/* A failed statement keeps failing until reset, rather than running again. */
static int pg_step(PgStmt *st)
{
  if (st->failed || (!st->res && !run(st)))
    return PG_ERROR;
  free_blobs(st);
  if (st->row + 1 >= PQntuples(st->res)) {
    st->row = PQntuples(st->res);
    return PG_DONE;
  }
  st->row++;
  return PG_ROW;
}

static gint64 pg_changes(PgStmt *st)
{
  return st->changes;
}

static int pg_column_count(PgStmt *st)
{
  return st->res ? PQnfields(st->res) : 0;
}

/* The text of column i of the current row; NULL for SQL NULL and when
 * there is no such cell (libpq would print a notice for that). */
static const char *cell(PgStmt *st, int i)
{
  if (!st->res || st->row < 0 || st->row >= PQntuples(st->res) || i < 0 ||
      i >= PQnfields(st->res) || PQgetisnull(st->res, st->row, i))
    return NULL;
  return PQgetvalue(st->res, st->row, i);
}

static gboolean pg_column_null(PgStmt *st, int i)
{
  return !cell(st, i);
}

static gint64 pg_column_int64(PgStmt *st, int i)
{
  const char *v = cell(st, i);
  if (!v)
    return 0;
  if (PQftype(st->res, i) == BOOLOID)
    return *v == 't';
  return g_ascii_strtoll(v, NULL, 10);
}

static const char *pg_column_text(PgStmt *st, int i)
{
  return cell(st, i);
}

/* A bytea cell's bytes (the server sends them as text, \x and hex
 * digits); NULL for a cell of another type. */
static const Blob *bytea(PgStmt *st, int i)
{
  const char *v = cell(st, i);
  if (!v || PQftype(st->res, i) != BYTEAOID)
    return NULL;
  Blob *b = &st->blobs[i];
  if (!b->data)
    b->data = PQunescapeBytea((const guchar *)v, &b->len);
  return b;
}

/* Of a column of another type, its text, as SQLite gives. */
static const void *pg_column_blob(PgStmt *st, int i)
{
  const Blob *b = bytea(st, i);
  return b ? b->data : (const void *)cell(st, i);
}

static gsize pg_column_bytes(PgStmt *st, int i)
{
  const Blob *b = bytea(st, i);
  if (b)
    return b->len;
  return cell(st, i) ? (gsize)PQgetlength(st->res, st->row, i) : 0;
}

__attribute__((visibility("default"))) const IgPgOps ig_pg_ops = {
  .connect = pg_connect,
  .close = pg_close,
  .exec = pg_exec,
  .prepare = pg_prepare,
  .finalize = pg_finalize,
  .reset = pg_reset,
  .bind_null = pg_bind_null,
  .bind_int64 = pg_bind_int64,
  .bind_text = pg_bind_text,
  .bind_blob = pg_bind_blob,
  .step = pg_step,
  .changes = pg_changes,
  .column_count = pg_column_count,
  .column_null = pg_column_null,
  .column_int64 = pg_column_int64,
  .column_text = pg_column_text,
  .column_blob = pg_column_blob,
  .column_bytes = pg_column_bytes,
  .errmsg = pg_errmsg,
  .error_transient = pg_error_transient,
  .in_txn = pg_in_txn,
  .alive = pg_alive,
};

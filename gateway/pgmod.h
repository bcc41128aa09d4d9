/* pgmod.h - the PostgreSQL module: what needs libpq is built as ig-pg.so
 * and loaded the first time a store at a postgresql:// URI is opened, so
 * that a gateway on SQLite (and every `ingest` from an MTA) loads none of
 * libpq's shared objects. Internal to the store: store.c speaks to a
 * PostgreSQL server through this table only, with the same statements
 * (a `?` or `?N` placeholder is sent as `$N`) and the same row-by-row
 * reading as it uses on SQLite.
 *
 * Ownership: a PgConn and the PgStmts prepared on it belong to the store;
 * free the statements before the connection. Text and blobs read from a
 * row are the statement's, valid until its next step or reset. */
#ifndef IG_PGMOD_H
#define IG_PGMOD_H

#include <glib.h>

typedef struct PgConn PgConn;
typedef struct PgStmt PgStmt;

/* What step() returns; the same values as SQLite's SQLITE_ROW and
 * SQLITE_DONE, so that the store's code reads both backends alike. */
#define PG_ROW 100
#define PG_DONE 101
#define PG_ERROR 1

typedef struct {
  /* Connects to uri (a libpq URI or key=value string) and prepares the
   * session (UTC, keepalives so that a vanished peer is noticed within
   * seconds on both sides). The password never appears in an error. */
  PgConn *(*connect)(const char *uri, GError **error);
  void (*close)(PgConn *conn);

  /* Runs sql (one or more statements, no parameters, no rows wanted). */
  gboolean (*exec)(PgConn *conn, const char *sql, GError **error);

  /* A statement prepared once on the server; NULL with error. */
  PgStmt *(*prepare)(PgConn *conn, const char *sql, GError **error);
  void (*finalize)(PgStmt *st);
  /* Forgets the bindings and the rows read: ready to bind and run again. */
  void (*reset)(PgStmt *st);

  /* Parameters are numbered from 1 as on SQLite; a text or blob is
   * copied. */
  void (*bind_null)(PgStmt *st, int i);
  void (*bind_int64)(PgStmt *st, int i, gint64 v);
  void (*bind_text)(PgStmt *st, int i, const char *s);
  void (*bind_blob)(PgStmt *st, int i, const void *data, gsize len);

  /* Runs the statement at its first step, then moves row by row:
   * PG_ROW, PG_DONE, or PG_ERROR (the message in errmsg()). */
  int (*step)(PgStmt *st);
  /* Rows changed by the statement last run to its end. */
  gint64 (*changes)(PgStmt *st);

  /* Columns of the current row, numbered from 0 as on SQLite. */
  int (*column_count)(PgStmt *st);
  gboolean (*column_null)(PgStmt *st, int i);
  gint64 (*column_int64)(PgStmt *st, int i);
  const char *(*column_text)(PgStmt *st, int i);
  const void *(*column_blob)(PgStmt *st, int i);
  gsize (*column_bytes)(PgStmt *st, int i);

  /* The server's message for the last failure on conn, and whether it
   * may pass when tried again (a lost connection, a serialization
   * failure, a deadlock, a server shutting down, a full disk). */
  const char *(*errmsg)(PgConn *conn);
  gboolean (*error_transient)(PgConn *conn);
  /* TRUE while a transaction is open on conn (PQtransactionStatus). */
  gboolean (*in_txn)(PgConn *conn);
  /* FALSE once the connection is lost; a lost one is never reused. */
  gboolean (*alive)(PgConn *conn);
} IgPgOps;

/* The table, the module loaded on the first call (beside the executable,
 * else in the installed library directory); NULL with error when it
 * cannot be. Not owned; lives as long as the process. */
const IgPgOps *pgmod_ops(GError **error);

#endif

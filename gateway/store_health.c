/* store_health.c - the service's notes of its source and the figures
 * `status` reports (store.h). Part of the SQLite implementation. */
#include "gateway/store.h"

#include <string.h>

#include "gateway/store_db.h"

/* What a server said may be anything: kept to one short line of text. */
#define NOTE_MAX 500

gboolean store_health_note(IgStore *store, const char *name, const char *at,
                           const char *detail, GError **error)
{
  g_autofree char *line = detail ? g_utf8_make_valid(detail, MIN(strlen(detail), NOTE_MAX))
                                 : NULL;
  for (char *p = line; p && *p; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      *p = ' ';
  if (!sq_begin_unsynced(store, error))
    return FALSE;
  DbStmt *st = sq_prep(store, "INSERT INTO service_health(name, at, detail)"
                                    " VALUES(?, ?, ?) ON CONFLICT(name) DO UPDATE"
                                    " SET at = excluded.at, detail = excluded.detail", error);
  gboolean ok = st != NULL;
  if (ok) {
    sq_bind_text(st, 1, name);
    sq_bind_text(st, 2, at);
    sq_bind_text(st, 3, line);
    ok = sq_step_done(store, st, error);
  }
  return sq_end_unsynced(store, ok, error);
}

void health_clear(IgHealth *health)
{
  g_free(health->last_mail_at);
  g_free(health->source_ok_at);
  g_free(health->source_error_at);
  g_free(health->source_error);
  g_free(health->outbox_oldest_at);
  g_free(health->last_digest_at);
  *health = (IgHealth){ 0 };
}

gboolean store_health(IgStore *store, const char *now, IgHealth *health, GError **error)
{
  *health = (IgHealth){ 0 };
  DbStmt *st = sq_prep(store,
      "SELECT (SELECT max(received_at) FROM messages),"
      " (SELECT at FROM service_health WHERE name = 'source_ok'),"
      " (SELECT at FROM service_health WHERE name = 'source_error'),"
      " (SELECT detail FROM service_health WHERE name = 'source_error'),"
      " (SELECT count(*) FROM outbox WHERE state = 'pending'),"
      " (SELECT min(created_at) FROM outbox WHERE state = 'pending'),"
      " (SELECT count(*) FROM deadlines WHERE state IN ('pending', 'escalated')"
      "  AND due_at < ?1 AND kind <> 'correspondence_notice'),"
      " (SELECT max(at) FROM digests)", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, now);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    health->last_mail_at = sq_col_text(st, 0);
    health->source_ok_at = sq_col_text(st, 1);
    health->source_error_at = sq_col_text(st, 2);
    health->source_error = sq_col_text(st, 3);
    health->outbox_pending = db_col_int64(st, 4);
    health->outbox_oldest_at = sq_col_text(st, 5);
    health->deadlines_overdue = db_col_int64(st, 6);
    health->last_digest_at = sq_col_text(st, 7);
  }
  db_reset(st);
  return rc == DB_ROW || sq_fail(store, error, "read health");
}

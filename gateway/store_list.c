/* store_list.c - listing incidents (`list`): the filter, the search words
 * matched in the incident_search full-text table (SQLite FTS5 or a
 * PostgreSQL tsvector, kept in step by triggers, see the migrations), and
 * the details of a page of incidents read together.
 *
 * The rows are handed over as they are read, so the whole list needs no
 * more memory than a page of them. */
#include "gateway/store.h"

#include "gateway/store_db.h"

/* Incidents whose details are read together: their deadlines, messages
 * and events cost three statements a page, whatever the page holds. */
#define PAGE 256

/* The FTS5 query matching every word of text: each run of characters
 * between spaces becomes an FTS5 string ("..." with " doubled), never an
 * operator, a column filter or a prefix; the tokenizer splits it into
 * words as it split the indexed text, so "jane.smith@justice.gov.uk"
 * matches those words in that order. The strings are ANDed; text
 * without words matches nothing. Caller frees. */
static char *match_words(const char *text)
{
  GString *q = g_string_new(NULL);
  g_auto(GStrv) parts = g_strsplit_set(text, " \t\r\n\f\v", -1);
  for (char **p = parts; *p; p++) {
    if (!**p)
      continue;
    g_string_append(q, q->len ? " \"" : "\"");
    for (const char *c = *p; *c; c++) {
      if (*c == '"')
        g_string_append_c(q, '"');
      g_string_append_c(q, *c);
    }
    g_string_append_c(q, '"');
  }
  if (!q->len)
    g_string_append(q, "\"\""); /* no words: an empty string, which matches nothing */
  return g_string_free(q, FALSE);
}

/* At most this many incidents match a search that is better answered by
 * reading each of them by its id and sorting them than by walking the
 * incidents newest first until enough match. */
#define FEW_MATCHES 256

/* The filter's terms after the search term, in both orders of work. */
#define FILTER_WHERE \
  " AND (CAST(?1 AS TEXT) IS NULL OR status = ?1)" \
  " AND (CAST(?2 AS TEXT) IS NULL OR impact = ?2)" \
  " AND (?3 = 0 OR status NOT IN ('resolved', 'closed', 'rejected'))" \
  " AND (?4 = 0 OR EXISTS (SELECT 1 FROM deadlines d WHERE d.incident_id = i.id" \
  "      AND d.state IN ('pending', 'escalated') AND d.due_at < ?5" \
  "      AND d.kind <> 'correspondence_notice'))"
#define NEWEST_FIRST " ORDER BY received_at DESC, id DESC LIMIT ?7"
#define FILTER_TERMS FILTER_WHERE NEWEST_FIRST
/* PostgreSQL's pages: the rows after the last one of the page before. */
#define FILTER_TERMS_PG FILTER_WHERE \
  " AND (CAST(?8 AS TEXT) IS NULL OR (received_at, id) < (?8, CAST(?9 AS bigint)))" \
  NEWEST_FIRST

/* PostgreSQL's search (store_pg_schema.c): every word of the text is a
 * word of the incident's, as the schema's incident_search_query() reads it. */
#define PG_MATCH(p) "words @@ incident_search_query(" p "::text)"

/* *few: the search matches fewer than FEW_MATCHES incidents. */
static gboolean few_matches(IgStore *store, const char *match, gboolean *few, GError **error)
{
  DbStmt *st = sq_prep2(store,
      "SELECT count(*) FROM (SELECT 1 FROM incident_search WHERE incident_search MATCH ?"
      " LIMIT " G_STRINGIFY(FEW_MATCHES) ")",
      "SELECT count(*) FROM (SELECT 1 FROM incident_search WHERE " PG_MATCH("?")
      " LIMIT " G_STRINGIFY(FEW_MATCHES) ") AS m", error);
  if (!st)
    return FALSE;
  sq_bind_text(st, 1, match);
  int rc = db_step(st);
  *few = rc == DB_ROW && db_col_int(st, 0) < FEW_MATCHES;
  db_reset(st);
  return rc == DB_ROW || sq_fail(store, error, "search incidents");
}

/* Two orders of work for the same rows. Without a search, or with one
 * that many incidents match, the incidents are walked newest first along
 * incidents_received, the search term (on the id, which is the rowid)
 * checked in the index before a row is read, and a limit stops the walk
 * early. With few matches, they are read by id and sorted. */
static DbStmt *list_statement(IgStore *store, const IgIncidentFilter *f, gint64 limit,
                              const char *after_at, gint64 after_id, GError **error)
{
  g_autofree char *match = NULL;
  if (f && f->search)
    match = sq_is_pg(store) ? g_strdup(f->search) : match_words(f->search);
  gboolean few = FALSE;
  if (match && !few_matches(store, match, &few, error))
    return NULL;
  DbStmt *st = few
      ? sq_prep2(store, "SELECT " SQ_INCIDENT_COLUMNS " FROM incidents i"
                 " WHERE id IN (SELECT rowid FROM incident_search WHERE incident_search MATCH ?6)"
                 FILTER_TERMS,
                 "SELECT " SQ_INCIDENT_COLUMNS " FROM incidents i"
                 " WHERE id IN (SELECT id FROM incident_search WHERE " PG_MATCH("?6") ")"
                 FILTER_TERMS_PG, error)
      : sq_prep2(store, "SELECT " SQ_INCIDENT_COLUMNS " FROM incidents i"
                 " WHERE (?6 IS NULL OR id IN (SELECT rowid FROM incident_search"
                 "                             WHERE incident_search MATCH ?6))"
                 FILTER_TERMS,
                 /* Walking newest first, each incident's words read by its
                  * id, as on SQLite: `id IN (...)` would gather every
                  * match first (117-184 ms at 130,000 against 0.2). */
                 "SELECT " SQ_INCIDENT_COLUMNS " FROM incidents i"
                 " WHERE (CAST(?6 AS TEXT) IS NULL"
                 "        OR (SELECT s.words FROM incident_search s WHERE s.id = i.id)"
                 "           @@ (SELECT incident_search_query(?6)))"
                 FILTER_TERMS_PG, error);
  if (!st)
    return NULL;
  sq_bind_text(st, 1, f ? f->status : NULL);
  sq_bind_text(st, 2, f ? f->impact : NULL);
  db_bind_int64(st, 3, f && f->open_only);
  db_bind_int64(st, 4, f && f->overdue_only);
  sq_bind_text(st, 5, f ? f->now : NULL);
  sq_bind_text(st, 6, match);
  db_bind_int64(st, 7, limit);
  if (sq_is_pg(store)) {
    sq_bind_text(st, 8, after_at);
    db_bind_int64(st, 9, after_id);
  }
  return st;
}

/* Hands each incident of the page over, with its details when asked:
 * read for the whole page, one statement per kind. */
static gboolean hand_over(IgStore *store, GPtrArray *page, gboolean details, IgListFn fn,
                          gpointer data, GError **error)
{
  if (!details) {
    for (guint i = 0; i < page->len; i++)
      if (!fn(&(IgListedIncident){ g_ptr_array_index(page, i), NULL, NULL, NULL }, data, error))
        return FALSE;
    return TRUE;
  }
  if (!page->len)
    return TRUE;
  g_autofree gint64 *ids = g_new(gint64, page->len);
  for (guint i = 0; i < page->len; i++)
    ids[i] = ((IgIncident *)g_ptr_array_index(page, i))->id;
  g_autoptr(GHashTable) deadlines = sq_rows_new();
  g_autoptr(GHashTable) messages = sq_rows_new();
  g_autoptr(GHashTable) events = sq_rows_new();
  if (!sq_deadlines_of(store, ids, page->len, deadlines, error) ||
      !sq_messages_of(store, ids, page->len, messages, error) ||
      !sq_events_of(store, ids, page->len, events, error))
    return FALSE;
  for (guint i = 0; i < page->len; i++) {
    g_autoptr(GPtrArray) d = sq_rows_take(deadlines, ids[i], (GDestroyNotify)deadline_rec_free);
    g_autoptr(GPtrArray) m = sq_rows_take(messages, ids[i], (GDestroyNotify)message_rec_free);
    g_autoptr(GPtrArray) e = sq_rows_take(events, ids[i], (GDestroyNotify)event_rec_free);
    if (!fn(&(IgListedIncident){ g_ptr_array_index(page, i), d, m, e }, data, error))
      return FALSE;
  }
  return TRUE;
}

/* One read transaction, unless the caller's is open: the pages' details
 * come from the snapshot their incidents came from, even when another
 * process writes meanwhile. */
gboolean store_each_incident(IgStore *store, const IgIncidentFilter *filter, gboolean details,
                             IgListFn fn, gpointer data, GError **error)
{
  gboolean own = !store->in_txn && !sq_in_txn(store);
  if (own && !sq_exec(store, sq_is_pg(store) ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                             : "BEGIN", error))
    return FALSE;
  /* Held as the store's transaction, a lost connection fails the listing
   * instead of being replaced under it. */
  store->in_txn = TRUE;
  /* SQLite steps one statement through the whole list. PostgreSQL would
   * hand all its rows over at once: there a statement reads a page, the
   * next one continues after its last row, all in the one snapshot. */
  gboolean paged = sq_is_pg(store);
  gint64 left = filter && filter->limit ? (gint64)filter->limit : G_MAXINT64;
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func((GDestroyNotify)incident_free);
  g_autofree char *after_at = NULL;
  gint64 after_id = 0;
  DbStmt *st = NULL;
  gboolean ok = TRUE;
  int rc = DB_ROW;
  while (ok && rc == DB_ROW && left > 0) {
    if (!st || paged)
      st = list_statement(store, filter, paged ? MIN(left, PAGE) : left, after_at, after_id,
                          error);
    if (!st) {
      ok = FALSE;
      break;
    }
    while (page->len < PAGE && (rc = db_step(st)) == DB_ROW)
      g_ptr_array_add(page, sq_incident_from_row(st));
    if (rc != DB_ROW && rc != DB_DONE) {
      ok = sq_fail(store, error, "list incidents");
      break;
    }
    if (paged && page->len) {
      const IgIncident *last = g_ptr_array_index(page, page->len - 1);
      left -= page->len;
      g_free(after_at);
      after_at = g_strdup(last->received_at);
      after_id = last->id;
    }
    ok = hand_over(store, page, details, fn, data, error);
    g_ptr_array_set_size(page, 0);
  }
  if (st)
    db_reset(st);
  if (own && !sq_exec(store, ok ? "COMMIT" : "ROLLBACK", ok ? error : NULL)) {
    ok = FALSE;
    sq_exec(store, "ROLLBACK", NULL);
  }
  if (own) {
    store->in_txn = FALSE;
    store->pg_aborted = FALSE;
  }
  return ok;
}

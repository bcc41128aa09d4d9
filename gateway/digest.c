/* digest.c - gathering the manager digest from the store, queueing it and
 * the daily rule (digest.h). Its text and HTML are made in
 * digest_render.c. */
#include "gateway/digest.h"

#include <string.h>

#include "gateway/error.h"
#include "gateway/outbox.h"
#include "parsers/form.h"

/* The statuses of an open incident in workflow order, and the impacts
 * from the highest: shown with their zeros, so the tables keep one shape
 * from day to day. */
static const char *const open_statuses[] = { "new", "triaged", "investigating", "contained",
                                             "resolved", NULL };
static const char *const impacts[] = { "high", "medium", "low", NULL };

void digest_free(IgDigest *d)
{
  if (!d)
    return;
  g_date_time_unref(d->now);
  g_free(d->since);
  g_clear_pointer(&d->new_incidents, g_ptr_array_unref);
  g_clear_pointer(&d->late, g_ptr_array_unref);
  g_clear_pointer(&d->overdue, g_ptr_array_unref);
  g_clear_pointer(&d->open_by_status, g_ptr_array_unref);
  g_clear_pointer(&d->open_by_impact, g_ptr_array_unref);
  g_free(d->quarter);
  g_clear_pointer(&d->quarter_start, g_date_time_unref);
  g_clear_pointer(&d->by_category, g_ptr_array_unref);
  g_free(d->head_hash);
  g_free(d->head_at);
  g_free(d);
}

static IgCountRow *count_row(const char *key, gint64 count)
{
  IgCountRow *c = g_new0(IgCountRow, 1);
  c->key = g_strdup(key);
  c->count = count;
  return c;
}

/* Rows (key, count) for each of keys in their order, zeros included,
 * then those of rows whose key (key2 when by_second) is none of them (a
 * value from an older version, or NULL: not stated). *total (may be NULL)
 * is the sum. */
static GPtrArray *tally(GPtrArray *rows, const char *const *keys, gboolean by_second,
                        gint64 *total)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(count_row_free);
  for (const char *const *k = keys; *k; k++)
    g_ptr_array_add(out, count_row(*k, 0));
  gint64 sum = 0;
  for (guint i = 0; i < rows->len; i++) {
    const IgCountRow *r = g_ptr_array_index(rows, i);
    const char *key = by_second ? r->key2 : r->key;
    IgCountRow *into = NULL;
    for (guint j = 0; j < out->len && !into; j++) {
      IgCountRow *o = g_ptr_array_index(out, j);
      if (g_strcmp0(o->key, key) == 0)
        into = o;
    }
    if (!into)
      g_ptr_array_add(out, into = count_row(key, 0));
    into->count += r->count;
    sum += r->count;
  }
  if (total)
    *total = sum;
  return out;
}

/* The quarter of now in its own zone: its name and first midnight. */
static void quarter_of(GDateTime *local, GTimeZone *tz, IgDigest *d)
{
  int year = g_date_time_get_year(local);
  int q = (g_date_time_get_month(local) - 1) / 3;
  d->quarter = g_strdup_printf("%d Q%d", year, q + 1);
  d->quarter_start = g_date_time_new(tz, year, q * 3 + 1, 1, 0, 0, 0);
}

IgDigest *digest_build(IgStore *store, GTimeZone *tz, GDateTime *now, GError **error)
{
  g_autoptr(IgDigest) d = g_new0(IgDigest, 1);
  d->now = g_date_time_ref(now);
  g_autofree char *at = iso_utc(now);
  g_autoptr(GDateTime) local = g_date_time_to_timezone(now, tz);
  quarter_of(local, tz, d);
  g_autofree char *from = iso_utc(d->quarter_start);
  if (!store_digest_last(store, at, &d->since, error) ||
      !(d->new_incidents = store_digest_incidents(store, d->since, at, FALSE, error)) ||
      !(d->late = store_digest_incidents(store, d->since, at, TRUE, error)) ||
      !(d->overdue = store_digest_overdue(store, at, error)) ||
      !store_audit_head(store, &d->head_hash, &d->head_at, error))
    return NULL;
  g_autoptr(GPtrArray) open = store_digest_open_counts(store, at, error);
  g_autoptr(GPtrArray) categories = open ? store_digest_category_counts(store, from, at, error)
                                         : NULL;
  if (!categories)
    return NULL;
  d->open_by_status = tally(open, open_statuses, FALSE, &d->open_total);
  d->open_by_impact = tally(open, impacts, TRUE, NULL);
  d->by_category = tally(categories, form_categories, FALSE, &d->quarter_total);
  return g_steal_pointer(&d);
}

/* Renders d and queues it to the managers as one mail with no incident;
 * the outbox renders the text part from the same values. */
static gboolean queue(IgIntake *ctx, const IgDigest *d, GError **error)
{
  g_autoptr(GHashTable) vars = digest_vars(d, ctx->config->tz);
  g_autofree char *html = templates_render_html(ctx->templates, "digest", vars, error);
  if (!html)
    return FALSE;
  IgMailRequest req = {
    .template_name = "digest",
    .vars = vars,
    .html = html,
    .to = (const char *const *)ctx->config->managers,
  };
  return outbox_queue_mail(ctx->store, ctx->config, ctx->templates, ctx->now, &req, error);
}

/* Builds, queues and records the digest at ctx->now; day is the local
 * date of a daily one, NULL on demand. *done: it was queued. */
static gboolean send_one(IgIntake *ctx, const char *day, gboolean *done, GError **error)
{
  *done = FALSE;
  g_autoptr(IgDigest) d = digest_build(ctx->store, ctx->config->tz, ctx->now, error);
  if (!d)
    return FALSE;
  g_autofree char *at = iso_utc(ctx->now);
  /* Recorded first: the one-per-day constraint decides, before any mail. */
  if (!store_digest_record(ctx->store, at, day, d->head_hash, done, error))
    return FALSE;
  return !*done || queue(ctx, d, error);
}

gboolean digest_send(IgIntake *ctx, GError **error)
{
  if (!ctx->config->managers[0]) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s: [stakeholders] managers is empty:"
                " nobody to send the digest to", ctx->config->path);
    return FALSE;
  }
  gboolean done = FALSE;
  return send_one(ctx, NULL, &done, error);
}

gboolean digest_run_due(IgIntake *ctx, guint *done, GError **error)
{
  *done = 0;
  const IgConfig *c = ctx->config;
  if (!c->managers[0])
    return TRUE;
  /* Wall-clock time: 08:00 is 08:00 in winter and in summer, and on the
   * day the clocks change a time that does not exist counts as passed. */
  g_autoptr(GDateTime) local = g_date_time_to_timezone(ctx->now, c->tz);
  int minute_of_day = g_date_time_get_hour(local) * 60 + g_date_time_get_minute(local);
  if (minute_of_day < c->digest_hour * 60 + c->digest_minute)
    return TRUE;
  g_autofree char *day = g_date_time_format(local, "%Y-%m-%d");
  gboolean sent = FALSE, queued = FALSE;
  if (!store_digest_sent_on(ctx->store, day, &sent, error))
    return FALSE;
  if (sent)
    return TRUE;
  if (!send_one(ctx, day, &queued, error))
    return FALSE;
  *done = queued ? 1 : 0;
  return TRUE;
}

/* status.c - judging the store's health (status.h). */
#include "gateway/status.h"

#include "gateway/records.h"

/* Mail waiting this long may mean OST was not told within the hour the
 * policy gives from detection; a fifth of it already wants a look. */
#define OUTBOX_CRITICAL_S (60 * 60)
#define OUTBOX_WARNING_S (10 * 60)
/* `run` looks at its source at least every minute: this long without a
 * good look means it is down, or the source is. */
#define SOURCE_CRITICAL_S (15 * 60)

typedef struct {
  IgStatusLevel level;
  GString *why;
} Verdict;

static void raise_to(Verdict *v, IgStatusLevel level, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void raise_to(Verdict *v, IgStatusLevel level, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *text = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  v->level = MAX(v->level, level);
  g_string_append_printf(v->why, "%s%s", v->why->len ? "; " : "", text);
}

/* Seconds from iso to now; -1 when iso is NULL or not a time. */
static gint64 age_of(const char *iso, GDateTime *now)
{
  g_autoptr(GDateTime) t = iso ? iso_parse(iso) : NULL;
  return t ? MAX(0, g_date_time_difference(now, t) / G_TIME_SPAN_SECOND) : -1;
}

static gint64 epoch_of(const char *iso)
{
  g_autoptr(GDateTime) t = iso ? iso_parse(iso) : NULL;
  return t ? g_date_time_to_unix(t) : -1;
}

static char *shown(const char *iso, GDateTime *now, GTimeZone *tz)
{
  g_autofree char *at = iso_local(iso, tz, IG_TIME_SHOWN);
  if (!at)
    return g_strdup("never");
  return g_strdup_printf("%s (%" G_GINT64_FORMAT " min ago)", at, age_of(iso, now) / 60);
}

/* The source fails when its last failure is newer than its last good look. */
static gboolean source_failing(const IgHealth *h)
{
  return h->source_error_at && (!h->source_ok_at || g_strcmp0(h->source_error_at,
                                                              h->source_ok_at) > 0);
}

static void judge(const IgHealth *h, GDateTime *now, Verdict *v)
{
  gint64 waiting = age_of(h->outbox_oldest_at, now);
  if (waiting >= OUTBOX_CRITICAL_S)
    raise_to(v, IG_STATUS_CRITICAL, "mail waiting %" G_GINT64_FORMAT " min to be sent",
             waiting / 60);
  else if (waiting >= OUTBOX_WARNING_S)
    raise_to(v, IG_STATUS_WARNING, "mail waiting %" G_GINT64_FORMAT " min to be sent",
             waiting / 60);
  gint64 since_ok = age_of(h->source_ok_at, now);
  if (source_failing(h)) {
    gint64 failing = h->source_ok_at ? since_ok : age_of(h->source_error_at, now);
    raise_to(v, failing >= SOURCE_CRITICAL_S ? IG_STATUS_CRITICAL : IG_STATUS_WARNING,
             "the source failing for %" G_GINT64_FORMAT " min", failing / 60);
  } else if (since_ok >= SOURCE_CRITICAL_S) {
    raise_to(v, IG_STATUS_CRITICAL, "no look at the source for %" G_GINT64_FORMAT
             " min (is run running?)", since_ok / 60);
  }
  if (h->deadlines_overdue > 0)
    raise_to(v, IG_STATUS_WARNING, "%" G_GINT64_FORMAT " deadline(s) overdue",
             h->deadlines_overdue);
}

static void text_report(const IgHealth *h, GDateTime *now, GTimeZone *tz, const Verdict *v,
                        GString *out)
{
  static const char *const names[] = { "OK", "WARNING", "CRITICAL" };
  g_string_append_printf(out, "%s%s%s\n", names[v->level], v->why->len ? ": " : "",
                         v->why->str);
  g_autofree char *mail = shown(h->last_mail_at, now, tz);
  g_autofree char *ok = shown(h->source_ok_at, now, tz);
  g_autofree char *oldest = shown(h->outbox_oldest_at, now, tz);
  g_autofree char *digest = shown(h->last_digest_at, now, tz);
  g_string_append_printf(out, "last mail recorded: %s\n", mail);
  g_string_append_printf(out, "source: last good look %s\n", ok);
  if (source_failing(h)) {
    g_autofree char *failed = shown(h->source_error_at, now, tz);
    g_string_append_printf(out, "source: failing, last %s: %s\n", failed,
                           h->source_error ? h->source_error : "");
  }
  g_string_append_printf(out, "outbox: %" G_GINT64_FORMAT " pending", h->outbox_pending);
  if (h->outbox_pending)
    g_string_append_printf(out, ", the oldest queued %s", oldest);
  g_string_append_printf(out, "\ndeadlines overdue: %" G_GINT64_FORMAT "\n",
                         h->deadlines_overdue);
  g_string_append_printf(out, "last digest: %s\n", digest);
}

static void metric(GString *out, const char *name, const char *help, gint64 value)
{
  g_string_append_printf(out, "# HELP incident_gateway_%s %s\n# TYPE incident_gateway_%s gauge\n"
                         "incident_gateway_%s %" G_GINT64_FORMAT "\n", name, help, name, name,
                         value);
}

static void prometheus_report(const IgHealth *h, GDateTime *now, const Verdict *v, GString *out)
{
  metric(out, "status", "0 OK, 1 WARNING, 2 CRITICAL", v->level);
  metric(out, "source_failing", "1 when the last look at the source failed",
         source_failing(h));
  metric(out, "outbox_pending", "mail and webhooks not yet sent", h->outbox_pending);
  metric(out, "outbox_oldest_pending_age_seconds", "how long the oldest of them has waited",
         MAX(0, age_of(h->outbox_oldest_at, now)));
  metric(out, "deadlines_overdue", "deadlines pending or escalated past their time",
         h->deadlines_overdue);
  /* A time that never was is left out rather than given as 0. */
  const struct { const char *name, *help, *at; } times[] = {
    { "last_mail_timestamp_seconds", "when the newest message was received", h->last_mail_at },
    { "source_last_ok_timestamp_seconds", "run's last good look at the source",
      h->source_ok_at },
    { "last_digest_timestamp_seconds", "when the newest managers' digest went",
      h->last_digest_at },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(times); i++)
    if (epoch_of(times[i].at) >= 0)
      metric(out, times[i].name, times[i].help, epoch_of(times[i].at));
}

IgStatusLevel status_judge(const IgHealth *health, GDateTime *now, GTimeZone *tz,
                           gboolean prometheus, char **report)
{
  Verdict v = { IG_STATUS_OK, g_string_new(NULL) };
  judge(health, now, &v);
  GString *out = g_string_new(NULL);
  if (prometheus)
    prometheus_report(health, now, &v, out);
  else
    text_report(health, now, tz, &v, out);
  *report = g_string_free(out, FALSE);
  g_string_free(v.why, TRUE);
  return v.level;
}

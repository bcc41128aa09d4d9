/* records.c - constructors, destructors and time formatting for records.h. */
#include "gateway/records.h"

#include <string.h>

IgIncident *incident_new(void)
{
  IgIncident *inc = g_new0(IgIncident, 1);
  inc->reported_late = -1;
  inc->minutes_to_report = -1;
  inc->missing_fields = g_new0(char *, 1);
  inc->evidence = g_ptr_array_new_with_free_func(evidence_free);
  inc->observables = g_ptr_array_new_with_free_func(observable_free);
  return inc;
}

void incident_free(IgIncident *inc)
{
  if (!inc)
    return;
  char **strings[] = {
    &inc->reference, &inc->status, &inc->impact, &inc->category,
    &inc->personal_data, &inc->reporter_name, &inc->reporter_email,
    &inc->reporter_phone, &inc->business_area, &inc->supplier, &inc->via,
    &inc->source, &inc->forwarded_by, &inc->detected_at, &inc->occurred_at,
    &inc->received_at, &inc->systems_affected, &inc->information_asset,
    &inc->asset_owner, &inc->summary, &inc->description, &inc->actions_taken,
    &inc->owner, &inc->created_at, &inc->updated_at,
  };
  for (gsize i = 0; i < G_N_ELEMENTS(strings); i++)
    g_free(*strings[i]);
  g_strfreev(inc->missing_fields);
  g_ptr_array_unref(inc->evidence);
  g_ptr_array_unref(inc->observables);
  g_free(inc);
}

void evidence_free(gpointer p)
{
  IgEvidence *e = p;
  if (!e)
    return;
  g_free(e->from_addr);
  g_free(e->from_name);
  g_free(e->reply_to);
  g_free(e->return_path);
  g_free(e->subject);
  g_free(e->date);
  g_free(e->sha256);
  g_strfreev(e->relays);
  g_free(e);
}

void message_rec_free(IgMessageRec *m)
{
  if (!m)
    return;
  g_free(m->message_id);
  g_free(m->direction);
  g_free(m->from_addr);
  g_free(m->subject);
  g_free(m->received_at);
  g_free(m->kind);
  g_free(m->reference);
  g_free(m->sha256);
  g_free(m);
}

void event_rec_free(IgEventRec *e)
{
  if (!e)
    return;
  g_free(e->at);
  g_free(e->actor);
  g_free(e->type);
  g_free(e->detail);
  g_free(e->prev_hash);
  g_free(e->hash);
  g_free(e->message_sha256);
  g_free(e->state);
  g_free(e);
}

void deadline_rec_free(IgDeadlineRec *d)
{
  if (!d)
    return;
  g_free(d->kind);
  g_free(d->due_at);
  g_free(d->next_at);
  g_free(d->state);
  g_free(d);
}

void outbox_rec_free(IgOutboxRec *o)
{
  if (!o)
    return;
  g_free(o->kind);
  g_free(o->template_name);
  g_free(o->to);
  g_free(o->subject);
  g_free(o->message_id);
  g_free(o->reference);
  g_free(o->state);
  g_free(o->next_attempt_at);
  g_free(o->last_error);
  g_free(o->created_at);
  if (o->body)
    g_bytes_unref(o->body);
  g_free(o);
}

void digest_item_free(gpointer p)
{
  IgDigestItem *d = p;
  if (!d)
    return;
  g_free(d->reference);
  g_free(d->at);
  g_free(d->impact);
  g_free(d->category);
  g_free(d->summary);
  g_free(d->kind);
  g_free(d);
}

void system_row_free(gpointer p)
{
  IgSystemRow *r = p;
  if (!r)
    return;
  incident_free(r->incident);
  g_free(r->closing_reason);
  g_free(r->last_note);
  g_free(r->management_report);
  g_free(r);
}

void count_row_free(gpointer p)
{
  IgCountRow *c = p;
  if (!c)
    return;
  g_free(c->key);
  g_free(c->key2);
  g_free(c);
}

char *iso_utc(GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc(when);
  return g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
}

GDateTime *iso_parse(const char *text)
{
  if (!text || !*text)
    return NULL;
  return g_date_time_new_from_iso8601(text, NULL);
}

char *iso_local(const char *iso, GTimeZone *tz, const char *format)
{
  g_autoptr(GDateTime) utc = iso ? iso_parse(iso) : NULL;
  if (!utc)
    return NULL;
  g_autoptr(GDateTime) t = g_date_time_to_timezone(utc, tz);
  return g_date_time_format(t, format);
}

/* English names whatever the process locale: the mail is in English. */
static const char *const day_names[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const month_names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

char *date_words(GDateTime *when, GTimeZone *tz, GDateTime *ref, gboolean with_time)
{
  if (!when)
    return g_strdup("unknown");
  g_autoptr(GDateTime) l = g_date_time_to_timezone(when, tz);
  g_autoptr(GDateTime) r = g_date_time_to_timezone(ref, tz);
  GString *s = g_string_new(NULL);
  g_string_printf(s, "%s %d %s", day_names[g_date_time_get_day_of_week(l) - 1],
                  g_date_time_get_day_of_month(l), month_names[g_date_time_get_month(l) - 1]);
  if (!with_time || g_date_time_get_year(l) != g_date_time_get_year(r))
    g_string_append_printf(s, " %d", g_date_time_get_year(l));
  if (with_time)
    g_string_append_printf(s, " %02d:%02d", g_date_time_get_hour(l), g_date_time_get_minute(l));
  return g_string_free(s, FALSE);
}

char *time_words(const char *iso, GDateTime *now, GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = iso_parse(iso);
  if (!utc)
    return NULL;
  g_autoptr(GDateTime) t = g_date_time_to_timezone(utc, tz);
  g_autoptr(GDateTime) local_now = g_date_time_to_timezone(now, tz);
  /* Days apart by the calendar, not by 24 hours: 23:00 and 01:00 the
   * next morning are "tomorrow". */
  g_autoptr(GDate) a = g_date_new_dmy((GDateDay)g_date_time_get_day_of_month(local_now),
                                      (GDateMonth)g_date_time_get_month(local_now),
                                      (GDateYear)g_date_time_get_year(local_now));
  g_autoptr(GDate) b = g_date_new_dmy((GDateDay)g_date_time_get_day_of_month(t),
                                      (GDateMonth)g_date_time_get_month(t),
                                      (GDateYear)g_date_time_get_year(t));
  int days = g_date_days_between(a, b);
  if (days < -1 || days > 1)
    return date_words(t, tz, now, TRUE);
  static const char *const near[] = { "yesterday", "today", "tomorrow" };
  return g_strdup_printf("%02d:%02d %s", g_date_time_get_hour(t), g_date_time_get_minute(t),
                         near[days + 1]);
}

gboolean reference_shape_ok(const char *text)
{
  gsize prefix = strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
  if (prefix == 0 || prefix > 10 || text[prefix] != '-')
    return FALSE;
  const char *year = text + prefix + 1;
  if (strspn(year, "0123456789") != 4 || year[4] != '-')
    return FALSE;
  gsize number = strspn(year + 5, "0123456789");
  return number >= 6 && year[5 + number] == '\0';
}

/* case_deadline.c - a deadline fallen due, acted on (SPEC 8, cases.h):
 * triage, a reminder to OST at the deadline and the SIRO told at twice
 * it; the form, reminders to the reporter every form_reminder_repeat, at
 * most form_reminder_max, then OST told; the management report, a
 * reminder to the incident's owner (else OST) when due and the SIRO told
 * a day later. Each act queues its mail, moves the deadline on or ends it
 * and is audited in the caller's transaction, so a crash before the
 * commit sends nothing and one after it repeats nothing. */
#include "gateway/cases.h"

#include <string.h>

#include "gateway/cases_shared.h"
#include "gateway/error.h"
#include "gateway/outbox.h"
#include "gateway/webhook.h"

/* How long a management report may be overdue before the SIRO hears:
 * a working day to answer the reminder. */
#define REPORT_GRACE (24 * 60 * 60)

/* One due deadline of an incident, with the mail's variables. */
typedef struct {
  IgCaseMsg *m;
  IgIncident *inc;
  const IgDeadlineRec *d;
  GHashTable *vars;
} Due;

static char *iso_plus(const char *iso, gint64 seconds)
{
  g_autoptr(GDateTime) t = iso_parse(iso);
  if (!t)
    return NULL;
  g_autoptr(GDateTime) later = g_date_time_add_seconds(t, (gdouble)seconds);
  return iso_utc(later);
}

/* "4 hours", "10 days", "90 minutes". */
static char *duration_words(gint64 seconds)
{
  if (seconds % 86400 == 0)
    return g_strdup_printf("%" G_GINT64_FORMAT " day%s", seconds / 86400,
                           seconds == 86400 ? "" : "s");
  if (seconds % 3600 == 0)
    return g_strdup_printf("%" G_GINT64_FORMAT " hour%s", seconds / 3600,
                           seconds == 3600 ? "" : "s");
  return g_strdup_printf("%" G_GINT64_FORMAT " minutes", seconds / 60);
}

static void var_time(Due *x, const char *name, const char *iso)
{
  g_autofree char *words = time_words(iso, x->m->ctx->now, x->m->ctx->config->tz);
  case_var(x->vars, name, words);
}

static gboolean ended(const IgIncident *inc)
{
  return strcmp(inc->status, "closed") == 0 || strcmp(inc->status, "rejected") == 0;
}

/* Queues template_name to `to` about the incident, threaded under our
 * newest mail of thread_under about it. */
static gboolean send(Due *x, const char *to, const char *template_name, const char *thread_under,
                     GHashTable *vars, GError **error)
{
  IgCaseMsg *m = x->m;
  g_autofree char *last_to = NULL, *last_at = NULL, *thread = NULL;
  if (!store_outbox_last(m->ctx->store, x->inc->id, thread_under, &last_to, &last_at, &thread,
                         error))
    return FALSE;
  const char *refs[] = { thread, NULL };
  const char *rcpt[] = { to, NULL };
  IgMailRequest req = {
    .incident_id = x->inc->id,
    .reference = x->inc->reference,
    .template_name = template_name,
    .vars = vars,
    .to = rcpt,
    .in_reply_to = thread,
    .references = thread ? refs : NULL,
  };
  return outbox_queue_mail(m->ctx->store, m->ctx->config, m->ctx->templates, m->ctx->now, &req,
                           error);
}

/* Counts the act, moves the deadline to next (NULL: ends it, escalated)
 * and audits it; overdue tells the webhooks too. */
static gboolean acted(Due *x, const char *next, const char *what, gboolean overdue,
                      GError **error)
{
  IgCaseMsg *m = x->m;
  gboolean changed = FALSE;
  if (!store_advance_deadline(m->ctx->store, x->inc->id, x->d->kind, next, "escalated",
                              &changed, error))
    return FALSE;
  g_autofree char *detail = next ? g_strdup_printf("%s; next due %s", what, next)
                                 : g_strdup_printf("%s; %s escalated", what, x->d->kind);
  return case_event(m, x->inc->id, "gateway", next ? "reminder" : "escalation", detail, error) &&
         (!overdue || webhook_queue(m->ctx->store, m->ctx->config, m->ctx->now, "overdue",
                                    x->inc, detail, error));
}

/* The SIRO, else OST: who hears when OST's own deadline has passed. */
static const char *siro(const IgConfig *c)
{
  return c->siro ? c->siro : c->ost;
}

static gboolean triage(Due *x, GError **error)
{
  /* Still new: a status that leaves new ends triage (case_command.c). */
  const IgConfig *c = x->m->ctx->config;
  gint64 within = case_triage_within(c, x->inc->impact);
  g_autofree char *words = duration_words(within);
  case_var(x->vars, "within_words", words);
  if (x->d->reminders == 0) {
    g_autofree char *next = iso_plus(x->d->due_at, within);
    var_time(x, "next_words", next);
    return send(x, c->ost, "triage_reminder", "notify_ost", x->vars, error) &&
           acted(x, next, "triage reminder to OST", TRUE, error);
  }
  return send(x, siro(c), "triage_escalation", "notify_ost", x->vars, error) &&
         acted(x, NULL, "triage overdue: the SIRO told", TRUE, error);
}

static gboolean form(Due *x, GError **error)
{
  IgCaseMsg *m = x->m;
  const IgConfig *c = m->ctx->config;
  /* A case that ends cancels its form reminders (case_command.c). */
  if (!x->inc->missing_fields[0])
    return case_end_deadline(m, x->inc, "form_reminder", "done", error);
  g_autofree char *to = NULL, *at = NULL;
  if (!store_outbox_last(m->ctx->store, x->inc->id, "ack", &to, &at, NULL, error))
    return FALSE;
  g_autofree char *max = g_strdup_printf("%d", c->form_reminder_max);
  case_var(x->vars, "reminders_max", max);
  if (to && x->d->reminders < c->form_reminder_max) {
    g_autofree char *nth = g_strdup_printf("%d", x->d->reminders + 1);
    g_autoptr(GHashTable) echo = case_echo_vars(x->vars);
    case_var(echo, "reminder", nth);
    case_var(echo, "reminders_max", max);
    case_var(echo, "last", x->d->reminders + 1 == c->form_reminder_max ? "yes" : NULL);
    /* From this reminder on: mail the gateway was down for is not made
     * up in a burst. */
    g_autofree char *now = iso_utc(m->ctx->now);
    g_autofree char *next = iso_plus(now, c->form_reminder_repeat);
    g_autofree char *what = g_strdup_printf("form reminder %s of %s to the reporter", nth, max);
    return send(x, to, "form_reminder", "ack", echo, error) && acted(x, next, what, FALSE, error);
  }
  return send(x, c->ost, "form_escalation", "notify_ost", x->vars, error) &&
         acted(x, NULL, "form still incomplete after the reminders: OST told", TRUE, error);
}

static gboolean report(Due *x, GError **error)
{
  IgCaseMsg *m = x->m;
  const IgConfig *c = m->ctx->config;
  g_autofree char *text = store_management_report(m->ctx->store, x->inc->id, error);
  if (!text && error && *error)
    return FALSE;
  if (text)
    return case_end_deadline(m, x->inc, "management_report", "done", error);
  if (ended(x->inc))
    return case_end_deadline(m, x->inc, "management_report", "cancelled", error);
  g_autofree char *words = duration_words(c->management_report_within);
  case_var(x->vars, "within_words", words);
  const char *owner = x->inc->owner ? x->inc->owner : c->ost;
  if (x->d->reminders == 0) {
    g_autofree char *next = iso_plus(x->d->due_at, REPORT_GRACE);
    var_time(x, "next_words", next);
    g_autofree char *what = g_strdup_printf("management report reminder to %s",
                                            x->inc->owner ? "its owner" : "OST");
    return send(x, owner, "report_reminder", "notify_ost", x->vars, error) &&
           acted(x, next, what, TRUE, error);
  }
  case_var(x->vars, "owner_words", x->inc->owner ? x->inc->owner : "OST");
  return send(x, siro(c), "report_escalation", "notify_ost", x->vars, error) &&
         acted(x, NULL, "management report overdue: the SIRO told", TRUE, error);
}

static gboolean act(IgCaseMsg *m, const IgDeadlineRec *deadline, GError **error)
{
  IgIntake *ctx = m->ctx;
  g_autofree char *ref = store_incident_reference(ctx->store, deadline->incident_id, error);
  g_autoptr(IgIncident) inc = ref ? store_get_incident(ctx->store, ref, error) : NULL;
  if (!inc) {
    if (error && !*error)
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "deadline of a missing incident %"
                  G_GINT64_FORMAT, deadline->incident_id);
    return FALSE;
  }
  g_autoptr(GHashTable) vars = case_incident_vars(ctx->config, inc);
  Due x = { m, inc, deadline, vars };
  var_time(&x, "due_words", deadline->due_at);
  if (strcmp(deadline->kind, "triage") == 0)
    return triage(&x, error);
  if (strcmp(deadline->kind, "form_reminder") == 0)
    return form(&x, error);
  if (strcmp(deadline->kind, "management_report") == 0)
    return report(&x, error);
  g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: deadline of unknown kind %s",
              inc->reference, deadline->kind);
  return FALSE;
}

gboolean case_deadline_due(IgIntake *ctx, const IgDeadlineRec *deadline, GError **error)
{
  if (strcmp(deadline->kind, "correspondence_notice") == 0)
    return case_send_held(ctx, deadline->incident_id, error);
  g_autofree char *at = iso_utc(ctx->now);
  IgIntakeItem item = { .name = "scheduler" };
  IgCaseMsg m = { .ctx = ctx, .item = &item, .at = at };
  gboolean ok = act(&m, deadline, error);
  intake_item_clear(&item);
  return ok;
}

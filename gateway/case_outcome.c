/* case_outcome.c - a case's outcome told to the stakeholders policy 001
 * told of it (SPEC 7, cases_shared.h).
 *
 * "Any diagnosis of an IT Security incident and the events surrounding it
 * must be shared and reported to relevant stakeholders": whoever a SPEC 5
 * rule notified (the recipients of the incident's notify mails: DACU,
 * SIRO, IAO, Accreditor, contract owner) gets one mail when the case is
 * first resolved or closed, threaded under our last notice to them: the
 * status and when, the reason given with it, the notes OST recorded and,
 * for medium and high impact, the management report (one resolved before
 * its report is shared at its closing, which needs the report). Not OST, which ran the case, and not the reporter as such,
 * who hears of every status. Once per incident: the outcome_shared rule
 * fires with the first mail, so closing after resolving, or closing again
 * after a reopen, tells nobody twice. */
#include "gateway/cases_shared.h"

#include <string.h>

#include "gateway/outbox.h"

/* A stakeholder: the address and our newest notice to it. */
typedef struct {
  const char *to;
  const char *message_id;
} Told;

/* Whoever notices (IgOutboxRec*, oldest first) went to, each once, in the
 * order first told, ost left out. Each notice has one recipient
 * (case_fire_routes()). Points into notices. */
static GPtrArray *stakeholders(GPtrArray *notices, const char *ost)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < notices->len; i++) {
    const IgOutboxRec *r = g_ptr_array_index(notices, i);
    if (!r->to || (ost && g_ascii_strcasecmp(r->to, ost) == 0))
      continue;
    char *key = g_ascii_strdown(r->to, -1);
    Told *t = g_hash_table_lookup(seen, key);
    if (t) {
      g_free(key);
    } else {
      t = g_new0(Told, 1);
      t->to = r->to;
      g_hash_table_insert(seen, key, t);
      g_ptr_array_add(out, t);
    }
    t->message_id = r->message_id;
  }
  return out;
}

/* One note in the mail: OST's account of the case can take a few
 * paragraphs; the record keeps it all. */
#define NOTE_MAX 4000

/* The notes OST recorded on inc (a status's reason, Note: lines, a
 * duplicate named), oldest first, each "  - when, who: text" with its
 * further lines indented; the newest that fit in NOTICE_TEXT_MAX when
 * they do not all. "" when none, NULL on a store error. */
static char *notes(IgCaseMsg *m, const IgIncident *inc, GError **error)
{
  g_autoptr(GPtrArray) events = store_incident_events(m->ctx->store, inc->id, error);
  if (!events)
    return NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
  glong total = 0;
  gboolean cut = FALSE;
  for (guint i = events->len; i-- > 0 && !cut;) {
    const IgEventRec *e = g_ptr_array_index(events, i);
    if (strcmp(e->type, "note") != 0 && strcmp(e->type, "duplicate") != 0)
      continue;
    const char *detail = e->detail ? e->detail : "";
    g_autofree char *cut_note = g_utf8_strlen(detail, -1) > NOTE_MAX
        ? g_utf8_substring(detail, 0, NOTE_MAX) : NULL;
    g_auto(GStrv) parts = g_strsplit(cut_note ? cut_note : detail, "\n", -1);
    for (char **p = parts; *p; p++)
      g_strdelimit(*p, "\r", ' ');
    g_autofree char *text = g_strjoinv("\n    ", parts);
    g_autoptr(GDateTime) at = iso_parse(e->at);
    g_autofree char *when = date_words(at, m->ctx->config->tz, m->ctx->now, TRUE);
    char *line = g_strdup_printf("  - %s, %s: %s%s\n", when, e->actor, text,
                                 cut_note ? "\u2026" : "");
    total += g_utf8_strlen(line, -1);
    cut = total > NOTICE_TEXT_MAX;
    if (cut)
      g_free(line);
    else
      g_ptr_array_add(lines, line);
  }
  GString *out = g_string_new(cut ? "  - (earlier notes are in the incident record)\n" : NULL);
  for (guint i = lines->len; i-- > 0;)
    g_string_append(out, g_ptr_array_index(lines, i));
  return g_string_free(out, FALSE);
}

/* The report as the mail carries it: at most NOTICE_TEXT_MAX characters. */
static char *report_capped(const char *report)
{
  if (g_utf8_strlen(report, -1) <= NOTICE_TEXT_MAX)
    return g_strdup(report);
  g_autofree char *cut = g_utf8_substring(report, 0, NOTICE_TEXT_MAX);
  return g_strdup_printf("%s\u2026\n[cut here: the rest of the report is in the incident"
                         " record]", cut);
}

gboolean case_share_outcome(IgCaseMsg *m, const IgIncident *inc, const char *reason,
                            GError **error)
{
  if (strcmp(inc->status, "resolved") != 0 && strcmp(inc->status, "closed") != 0)
    return TRUE;
  IgIntake *ctx = m->ctx;
  g_autoptr(GPtrArray) notices = store_outbox_of(ctx->store, inc->id, "notify", error);
  if (!notices)
    return FALSE;
  g_autoptr(GPtrArray) told = stakeholders(notices, ctx->config->ost);
  /* Nobody told yet, nothing marked: should a later impact bring the
   * Accreditor in, a later closing tells them. */
  if (!told->len)
    return TRUE;
  g_autoptr(GError) read = NULL;
  g_autofree char *report = store_management_report(ctx->store, inc->id, &read);
  if (read) {
    g_propagate_error(error, g_steal_pointer(&read));
    return FALSE;
  }
  /* A medium or high incident resolved before its report waits for its
   * closing, which needs the report: the stakeholders get both at once. */
  if (!report && case_serious(inc->impact) && strcmp(inc->status, "resolved") == 0)
    return TRUE;
  gboolean first = FALSE;
  if (!store_fire_rule(ctx->store, inc->id, "outcome_shared", m->at, &first, error))
    return FALSE;
  if (!first)
    return TRUE;
  g_autofree char *said = notes(m, inc, error);
  if (!said)
    return FALSE;
  g_autoptr(GHashTable) vars = case_incident_vars(ctx->config, inc);
  g_autofree char *when = date_words(ctx->now, ctx->config->tz, ctx->now, TRUE);
  g_autofree char *shown = report ? report_capped(report) : NULL;
  case_var(vars, "status_at", when);
  case_var_capped(vars, "reason", reason, NOTICE_FIELD_MAX);
  case_var(vars, "notes", said);
  case_var(vars, "report", shown);
  case_var(vars, "report_due", !report && case_serious(inc->impact) ? "yes" : NULL);
  for (guint i = 0; i < told->len; i++) {
    const Told *t = g_ptr_array_index(told, i);
    const char *to[] = { t->to, NULL };
    const char *refs[] = { t->message_id, NULL };
    IgMailRequest req = {
      .incident_id = inc->id,
      .reference = inc->reference,
      .template_name = "outcome",
      .vars = vars,
      .to = to,
      .in_reply_to = refs[0],
      .references = refs[0] ? refs : NULL,
    };
    g_autofree char *detail = g_strdup_printf("outcome (%s) to %s, %s", inc->status, t->to,
        report ? "with the management report"
               : case_serious(inc->impact) ? "the management report not yet recorded"
                                           : "no management report");
    if (!outbox_queue_mail(ctx->store, ctx->config, ctx->templates, ctx->now, &req, error) ||
        !case_event(m, inc->id, "gateway", "outcome_shared", detail, error))
      return FALSE;
  }
  return TRUE;
}

/* case_reply.c - a person's mail to a known incident (SPEC 7, cases.h).
 *
 * From an OST member who passes [ost] require_authentication: the
 * commands in the reply's own lines, applied all or none and confirmed to
 * the sender; the reporter told of a new status. From a member who fails
 * it: nothing applied, a security event, OST alerted, the sender not
 * answered (a forger learns nothing). From anyone else: correspondence;
 * the reporter's "Label: value" lines fill what the report lacked; OST is
 * told at most once an hour per incident, later mail gathered into the
 * next notice, so that guessing a reference cannot flood OST. */
#include "gateway/cases.h"

#include <string.h>

#include "gateway/address.h"
#include "gateway/case_command.h"
#include "gateway/cases_shared.h"
#include "gateway/error.h"
#include "gateway/outbox.h"
#include "gateway/ost_auth.h"
#include "gateway/report.h"
#include "gateway/webhook.h"
#include "parsers/reply.h"

/* OST hears of correspondence on one incident at most this often. */
#define CORRESPONDENCE_QUIET (60 * 60)
/* A line of a list echoed back to a sender. */
#define ECHO_LINE_MAX 300

static IgIncident *load(IgCaseMsg *m, gint64 incident_id, GError **error)
{
  g_free(m->item->reference);
  m->item->reference = store_incident_reference(m->ctx->store, incident_id, error);
  if (!m->item->reference)
    return NULL;
  m->item->outcome = IG_INTAKE_ATTACHED;
  IgIncident *inc = store_get_incident(m->ctx->store, m->item->reference, error);
  if (!inc && (!error || !*error))
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "incident %s vanished",
                m->item->reference);
  return inc;
}

/* "  - line\n" for each line, each cut to ECHO_LINE_MAX characters. */
static char *bullets(GPtrArray *lines)
{
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < lines->len; i++) {
    const char *line = g_ptr_array_index(lines, i);
    g_autofree char *flat = g_strdelimit(g_strdup(line), "\r\n", ' ');
    g_autofree char *cut = g_utf8_strlen(flat, -1) > ECHO_LINE_MAX
                               ? g_utf8_substring(flat, 0, ECHO_LINE_MAX) : NULL;
    g_string_append_printf(out, "  - %s%s\n", cut ? cut : flat, cut ? "\u2026" : "");
  }
  return g_string_free(out, FALSE);
}

/* Answers the sender of m alone, threaded under m. */
static gboolean answer(IgCaseMsg *m, const IgIncident *inc, const char *to,
                       const char *template_name, GHashTable *vars, gboolean auto_replied,
                       GError **error)
{
  const char *id = m->mail->message_id;
  const char *refs[] = { id && strlen(id) <= 200 ? id : NULL, NULL };
  const char *rcpt[] = { to, NULL };
  IgMailRequest req = {
    .incident_id = inc->id,
    .reference = inc->reference,
    .template_name = template_name,
    .vars = vars,
    .to = rcpt,
    .in_reply_to = refs[0],
    .references = refs[0] ? refs : NULL,
    .auto_replied = auto_replied,
  };
  return outbox_queue_mail(m->ctx->store, m->ctx->config, m->ctx->templates, m->ctx->now,
                           &req, error);
}

static const char *status_words(const char *status)
{
  static const char *const words[][2] = {
    { "new", "waiting for the Operational Security Team to look at it" },
    { "triaged", "assessed by the Operational Security Team" },
    { "investigating", "being investigated" },
    { "contained", "contained: the immediate risk is under control" },
    { "resolved", "resolved" },
    { "closed", "closed" },
    { "rejected", "closed without action: it is not being handled as a security incident" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
    if (strcmp(status, words[i][0]) == 0)
      return words[i][1];
  return status;
}

/* Tells whoever was acknowledged for the report that its status moved.
 * Nobody acknowledged (automatic mail, a limit reached), nobody told. */
static gboolean tell_reporter(IgCaseMsg *m, const IgIncident *inc, GError **error)
{
  g_autofree char *to = NULL, *at = NULL;
  if (!store_outbox_last(m->ctx->store, inc->id, "ack", &to, &at, NULL, error))
    return FALSE;
  if (!to || g_ascii_strcasecmp(to, m->mail->from_addr) == 0)
    return TRUE;
  g_autoptr(GHashTable) all = case_incident_vars(m->ctx->config, inc);
  g_autoptr(GHashTable) vars = case_echo_vars(all);
  case_var(vars, "status_words", status_words(inc->status));
  g_autofree char *detail = g_strdup_printf("reporter %s told: %s", to, inc->status);
  return answer(m, inc, to, "status_changed", vars, FALSE, error) &&
         case_event(m, inc->id, "gateway", "reporter_told", detail, error);
}

static gboolean confirm(IgCaseMsg *m, const IgIncident *inc, const IgOstCommands *cmds,
                        GPtrArray *applied, GPtrArray *refused, GError **error)
{
  g_autoptr(GError) invalid = NULL;
  g_autofree char *to = address_canonical(m->mail->from_addr, &invalid);
  if (!to)
    return case_event(m, inc->id, "gateway", "confirmation_suppressed", invalid->message,
                      error);
  g_autoptr(GHashTable) vars = case_vars_new();
  g_autofree char *done = bullets(applied);
  g_autofree char *why = bullets(refused);
  g_autofree char *prose = bullets(cmds->prose);
  case_var(vars, "reference", inc->reference);
  case_var(vars, "status", inc->status);
  case_var(vars, "impact", inc->impact ? inc->impact : "not assessed");
  case_var(vars, "owner", inc->owner ? inc->owner : "nobody");
  case_var(vars, "applied", done);
  case_var(vars, "refused", why);
  case_var(vars, "prose", prose);
  case_var(vars, "none", cmds->commands->len || refused->len ? NULL : "yes");
  case_var(vars, "our_address", m->ctx->config->address);
  return answer(m, inc, to, "confirmation", vars, TRUE, error);
}

/* Claims OST membership and fails authentication: what a forger sends. */
static gboolean forged(IgCaseMsg *m, gint64 incident_id, const char *why, GError **error)
{
  const IgConfig *c = m->ctx->config;
  g_autofree char *note = g_strdup_printf("failed authentication: %s", why);
  if (!case_add_message(m, "command", incident_id, note, error))
    return FALSE;
  g_autoptr(IgIncident) inc = load(m, incident_id, error);
  if (!inc)
    return FALSE;
  const char *mode = config_auth_mode_name(c->require_authentication);
  g_autofree char *detail = g_strdup_printf("mail from %s claims OST membership but fails"
      " require_authentication = %s: %s; nothing applied, the sender not answered",
      m->mail->from_addr, mode, why);
  if (!case_event(m, inc->id, m->mail->from_addr, "security", detail, error))
    return FALSE;
  g_autoptr(GHashTable) vars = case_vars_new();
  case_var(vars, "reference", inc->reference);
  case_var_capped(vars, "from", m->mail->from_addr, NOTICE_FIELD_MAX);
  case_var_capped(vars, "subject", m->mail->subject, NOTICE_FIELD_MAX);
  case_var_capped(vars, "message_id", m->mail->message_id, NOTICE_FIELD_MAX);
  case_var(vars, "sha256", m->sha256);
  case_var(vars, "mode", mode);
  case_var_capped(vars, "why", why, NOTICE_FIELD_MAX);
  return case_notify_ost(m, inc->id, inc->reference, "security_alert", vars, error);
}

static gboolean from_member(IgCaseMsg *m, gint64 incident_id, GError **error)
{
  const IgConfig *c = m->ctx->config;
  g_autofree char *why = NULL;
  if (!ost_auth_check(c, m->raw, m->len, m->mail->from_addr, m->ctx->auth, &why, error))
    return why ? forged(m, incident_id, why, error) : FALSE;
  g_autofree char *own = reply_own_text(m->mail->body);
  g_autoptr(IgOstCommands) cmds = ost_commands_parse(own, c->reference_prefix);
  gboolean any = cmds->commands->len || cmds->errors->len;
  if (!case_add_message(m, any ? "command" : "reply", incident_id, NULL, error))
    return FALSE;
  g_autoptr(IgIncident) inc = load(m, incident_id, error);
  if (!inc)
    return FALSE;
  g_autoptr(GPtrArray) applied = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func(g_free);
  gboolean status_changed = FALSE;
  const char *actor = m->mail->from_addr;
  if (any && !case_commands_apply(m, inc, cmds, actor, applied, refused, &status_changed,
                                  error))
    return FALSE;
  if (!any && !case_event(m, inc->id, actor, "reply", "a reply from OST without commands",
                          error))
    return FALSE;
  return confirm(m, inc, cmds, applied, refused, error) &&
         (!status_changed || tell_reporter(m, inc, error));
}

/* The reporter: whoever was acknowledged for the report, or its
 * reporter's address. */
static gboolean is_reporter(IgCaseMsg *m, const IgIncident *inc, GError **error)
{
  const char *from = m->mail->from_addr;
  if (!from)
    return FALSE;
  if (inc->reporter_email && g_ascii_strcasecmp(inc->reporter_email, from) == 0)
    return TRUE;
  g_autofree char *to = NULL, *at = NULL;
  if (!store_outbox_last(m->ctx->store, inc->id, "ack", &to, &at, NULL, error))
    return FALSE;
  return to && g_ascii_strcasecmp(to, from) == 0;
}

typedef struct {
  const char *name;
  gsize offset;
} Field;

#define FIELD(name, member) { name, G_STRUCT_OFFSET(IgIncident, member) }
static const Field fillable[] = {
  FIELD("reporter_name", reporter_name), FIELD("reporter_phone", reporter_phone),
  FIELD("business_area", business_area), FIELD("detected_at", detected_at),
  FIELD("occurred_at", occurred_at), FIELD("category", category), FIELD("impact", impact),
  FIELD("personal_data", personal_data), FIELD("systems_affected", systems_affected),
  FIELD("information_asset", information_asset), FIELD("asset_owner", asset_owner),
  FIELD("supplier", supplier), FIELD("description", description),
  FIELD("actions_taken", actions_taken),
};

/* The reporter's "Label: value" lines fill what the record lacks; what
 * it already holds is OST's to change, never the reporter's. */
static gboolean fill_fields(IgCaseMsg *m, IgIncident *inc, GError **error)
{
  const IgConfig *c = m->ctx->config;
  g_autofree char *own = reply_own_text(m->mail->body);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GDateTime) received = iso_parse(inc->received_at);
  GDateTime *sent = m->mail->date ? m->mail->date : m->ctx->now;
  g_autoptr(IgIncident) got = report_form_fields(c, own, sent, received, problems);
  if (!got)
    return TRUE;
  g_autoptr(GPtrArray) filled = g_ptr_array_new(); /* const Field* */
  for (gsize i = 0; i < G_N_ELEMENTS(fillable); i++) {
    char **mine = G_STRUCT_MEMBER_P(inc, fillable[i].offset);
    char **theirs = G_STRUCT_MEMBER_P(got, fillable[i].offset);
    if (*mine || !*theirs)
      continue;
    *mine = g_steal_pointer(theirs);
    g_ptr_array_add(filled, (gpointer)&fillable[i]);
    /* Lateness counts from the report's arrival, as report_build() does. */
    if (strcmp(fillable[i].name, "detected_at") == 0) {
      inc->minutes_to_report = got->minutes_to_report;
      inc->reported_late = got->reported_late;
    }
  }
  const char *actor = m->mail->from_addr;
  for (guint i = 0; i < problems->len; i++)
    if (!case_event(m, inc->id, actor, "unreadable_value", g_ptr_array_index(problems, i),
                    error))
      return FALSE;
  if (!filled->len)
    return TRUE;
  report_set_missing(inc);
  g_free(inc->updated_at);
  inc->updated_at = g_strdup(m->at);
  if (!store_update_incident(m->ctx->store, inc, error))
    return FALSE;
  for (guint i = 0; i < filled->len; i++) {
    const Field *field = g_ptr_array_index(filled, i);
    const char *value = G_STRUCT_MEMBER(const char *, inc, field->offset);
    g_autofree char *cut = g_utf8_strlen(value, -1) > ECHO_LINE_MAX
                               ? g_utf8_substring(value, 0, ECHO_LINE_MAX) : NULL;
    g_autofree char *detail = g_strdup_printf("%s: (none) -> %s%s (the reporter's reply)",
                                              field->name, cut ? cut : value,
                                              cut ? "\u2026" : "");
    if (!case_event(m, inc->id, actor, "field_filled", detail, error))
      return FALSE;
  }
  gboolean changed = FALSE;
  if (!inc->missing_fields[0] &&
      (!store_set_deadline_state(m->ctx->store, inc->id, "form_reminder", "done", &changed,
                                 error) ||
       (changed && !case_event(m, inc->id, "gateway", "deadline_ended",
                               "form_reminder done: the form is complete", error))))
    return FALSE;
  g_autoptr(GHashTable) vars = case_incident_vars(c, inc);
  return webhook_queue(m->ctx->store, c, m->ctx->now, "updated", inc,
                       "fields filled by the reporter", error) &&
         case_fire_routes(m, inc, vars, error);
}

/* The correspondence OST has not heard of since its last notice at since
 * (NULL: ever), message row apart (0: none), as "  - from, subject"
 * lines. */
static char *held_since(IgCaseMsg *m, const IgIncident *inc, gint64 row, const char *since,
                        GError **error)
{
  g_autoptr(GPtrArray) all = store_incident_messages(m->ctx->store, inc->id, error);
  if (!all)
    return NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < all->len; i++) {
    const IgMessageRec *r = g_ptr_array_index(all, i);
    if (strcmp(r->direction, "in") != 0 || r->id == row ||
        (strcmp(r->kind, "correspondence") != 0 && strcmp(r->kind, "reply") != 0) ||
        (since && g_strcmp0(r->received_at, since) < 0))
      continue;
    g_ptr_array_add(lines, g_strdup_printf("%s, %s: %s", r->received_at,
                                           r->from_addr ? r->from_addr : "(no sender)",
                                           r->subject ? r->subject : "(no subject)"));
  }
  return bullets(lines);
}

/* The subject of a reply without its "[REF]" tags: the notice's own
 * subject starts with the reference already. Caller frees. */
static char *subject_untagged(const char *subject, const char *reference)
{
  if (!subject)
    return NULL;
  g_autofree char *tag = g_strdup_printf("[%s]", reference);
  g_autoptr(GString) out = g_string_new(NULL);
  const char *p = subject;
  for (const char *hit; (hit = strstr(p, tag)); p = hit + strlen(tag))
    g_string_append_len(out, p, hit - p);
  g_string_append(out, p);
  g_auto(GStrv) words = g_strsplit_set(out->str, " \t", -1);
  g_autoptr(GString) joined = g_string_new(NULL);
  for (char **w = words; *w; w++)
    if (**w)
      g_string_append_printf(joined, "%s%s", joined->len ? " " : "", *w);
  return g_string_free(g_steal_pointer(&joined), FALSE);
}

static gboolean tell_ost(IgCaseMsg *m, const IgIncident *inc, gint64 row, GError **error)
{
  g_autofree char *to = NULL, *last = NULL;
  if (!store_outbox_last(m->ctx->store, inc->id, "correspondence", &to, &last, NULL, error))
    return FALSE;
  g_autoptr(GDateTime) last_at = last ? iso_parse(last) : NULL;
  if (last_at && g_date_time_difference(m->ctx->now, last_at) <
                     CORRESPONDENCE_QUIET * G_TIME_SPAN_SECOND) {
    g_autoptr(GDateTime) due = g_date_time_add_seconds(last_at, CORRESPONDENCE_QUIET);
    g_autofree char *due_at = iso_utc(due);
    g_autofree char *detail = g_strdup_printf("OST was told of correspondence at %s: this"
                                              " mail goes into the next notice, due %s",
                                              last, due_at);
    return store_add_deadline(m->ctx->store, inc->id, "correspondence_notice", due_at,
                              error) &&
           case_event(m, inc->id, "gateway", "correspondence_held", detail, error);
  }
  g_autofree char *earlier = held_since(m, inc, row, last, error);
  if (!earlier)
    return FALSE;
  g_autoptr(GHashTable) vars = case_vars_new();
  case_var(vars, "reference", inc->reference);
  case_var_capped(vars, "from", m->mail->from_addr, NOTICE_FIELD_MAX);
  g_autofree char *subject = subject_untagged(m->mail->subject, inc->reference);
  case_var_capped(vars, "subject", subject, NOTICE_FIELD_MAX);
  case_var_capped(vars, "body", m->mail->body, NOTICE_TEXT_MAX);
  case_var_capped(vars, "earlier", earlier, NOTICE_TEXT_MAX);
  gboolean changed = FALSE;
  if (!case_notify_ost(m, inc->id, inc->reference, "correspondence", vars, error) ||
      !store_set_deadline_state(m->ctx->store, inc->id, "correspondence_notice", "done",
                                &changed, error))
    return FALSE;
  /* Every change of the incident's state has its event (store_seal.c). */
  return !changed || case_event(m, inc->id, "gateway", "correspondence_sent",
                                "held correspondence passed on to OST with this mail", error);
}

static gboolean from_outside(IgCaseMsg *m, gint64 incident_id, GError **error)
{
  g_autoptr(IgIncident) inc = load(m, incident_id, error);
  if (!inc)
    return FALSE;
  gboolean reporter = is_reporter(m, inc, error);
  if (error && *error)
    return FALSE;
  const char *kind = reporter ? "reply" : "correspondence";
  gint64 row = case_add_message(m, kind, incident_id, NULL, error);
  if (!row)
    return FALSE;
  const char *from = m->mail->from_addr;
  g_autofree char *detail = g_strdup_printf("%s from %s: %s", kind, from ? from : "(no sender)",
      m->mail->subject ? m->mail->subject : "(no subject)");
  if (!case_event(m, inc->id, from ? from : "unknown", kind, detail, error))
    return FALSE;
  if (reporter && !fill_fields(m, inc, error))
    return FALSE;
  return tell_ost(m, inc, row, error);
}

gboolean case_reply(IgCaseMsg *m, gint64 incident_id, GError **error)
{
  const char *from = m->mail->from_addr;
  if (from && config_is_ost_member(m->ctx->config, from))
    return from_member(m, incident_id, error);
  return from_outside(m, incident_id, error);
}

static gboolean send_held(IgCaseMsg *m, gint64 incident_id, GError **error)
{
  g_autoptr(IgIncident) inc = load(m, incident_id, error);
  if (!inc)
    return FALSE;
  g_autofree char *to = NULL, *last = NULL;
  if (!store_outbox_last(m->ctx->store, incident_id, "correspondence", &to, &last, NULL, error))
    return FALSE;
  g_autofree char *earlier = held_since(m, inc, 0, last, error);
  if (!earlier)
    return FALSE;
  g_autoptr(GHashTable) vars = case_vars_new();
  case_var(vars, "reference", inc->reference);
  case_var_capped(vars, "earlier", earlier, NOTICE_TEXT_MAX);
  gboolean changed = FALSE;
  return (!*earlier || case_notify_ost(m, inc->id, inc->reference, "correspondence", vars,
                                       error)) &&
         store_set_deadline_state(m->ctx->store, inc->id, "correspondence_notice", "done",
                                  &changed, error) &&
         case_event(m, inc->id, "gateway", "correspondence_sent",
                    *earlier ? "held correspondence passed on to OST"
                             : "no correspondence was held", error);
}

gboolean case_send_held(IgIntake *ctx, gint64 incident_id, GError **error)
{
  g_autofree char *at = iso_utc(ctx->now);
  IgIntakeItem item = { .name = "scheduler" };
  IgCaseMsg m = { .ctx = ctx, .item = &item, .at = at };
  gboolean ok = send_held(&m, incident_id, error);
  intake_item_clear(&item);
  return ok;
}

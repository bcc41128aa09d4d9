/* cases.c - the case logic of SPEC sections 5, 6 and 9 (cases.h).
 *
 * A new report becomes an incident with a reference allocated in the same
 * transaction, the policy rules fire once each (audited, one mail per
 * recipient), the sender is acknowledged unless the mail is automatic,
 * the sender's address fails validation or a rate limit is reached, and
 * the deadlines are set. */
#include "gateway/cases.h"
#include "gateway/cases_shared.h"

#include <string.h>

#include "gateway/address.h"
#include "gateway/evidence_notice.h"
#include "gateway/loopmark.h"
#include "gateway/outbox.h"
#include "gateway/report.h"
#include "gateway/routing.h"
#include "gateway/webhook.h"

GHashTable *case_vars_new(void)
{
  return g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
}

void case_var(GHashTable *vars, const char *name, const char *value)
{
  g_hash_table_replace(vars, (gpointer)name, g_strdup(value ? value : ""));
}


/* value cut at max characters, saying so when it is. */
void case_var_capped(GHashTable *vars, const char *name, const char *value, glong max)
{
  if (!value || g_utf8_strlen(value, -1) <= max) {
    case_var(vars, name, value);
    return;
  }
  g_autofree char *cut = g_utf8_substring(value, 0, max);
  g_hash_table_replace(vars, (gpointer)name,
                       g_strdup_printf("%s\u2026\n[cut here: the rest is in the stored message]",
                                       cut));
}

/* A UTC ISO time shown in the configured zone, e.g. "22/11/2026 14:05 GMT". */
static char *local_time(const IgConfig *config, const char *iso)
{
  return iso_local(iso, config->tz, "%d/%m/%Y %H:%M %Z");
}

/* A category as people read it: "lost-or-stolen-equipment" becomes
 * "Lost or stolen equipment" (and reads back as the same category when
 * OST writes it in a reply). */
static char *category_name(const char *category)
{
  if (!category || !*category)
    return NULL;
  char *name = g_strdelimit(g_strdup(category), "-", ' ');
  name[0] = g_ascii_toupper(name[0]);
  return name;
}

GHashTable *case_incident_vars(const IgConfig *config, const IgIncident *inc)
{
  GHashTable *v = case_vars_new();
  g_autofree char *detected = local_time(config, inc->detected_at);
  g_autofree char *received = local_time(config, inc->received_at);
  case_var(v, "reference", inc->reference);
  case_var(v, "status", inc->status);
  case_var_capped(v, "summary", inc->summary, NOTICE_FIELD_MAX);
  case_var_capped(v, "reporter_name", inc->reporter_name, NOTICE_FIELD_MAX);
  case_var_capped(v, "reporter_email", inc->reporter_email, NOTICE_FIELD_MAX);
  case_var_capped(v, "reporter_phone", inc->reporter_phone, NOTICE_FIELD_MAX);
  case_var_capped(v, "business_area", inc->business_area, NOTICE_FIELD_MAX);
  case_var(v, "category", inc->category);
  g_autofree char *category = category_name(inc->category);
  case_var(v, "category_name", category);
  case_var(v, "impact", inc->impact);
  case_var(v, "personal_data", inc->personal_data);
  case_var(v, "near_miss", inc->near_miss == 1 ? "yes" : "");
  case_var(v, "detected_at", detected);
  case_var(v, "received_at", received);
  case_var_capped(v, "systems_affected", inc->systems_affected, NOTICE_FIELD_MAX);
  case_var_capped(v, "information_asset", inc->information_asset, NOTICE_FIELD_MAX);
  case_var_capped(v, "supplier", inc->supplier, NOTICE_FIELD_MAX);
  case_var_capped(v, "description", inc->description, NOTICE_TEXT_MAX);
  case_var_capped(v, "actions_taken", inc->actions_taken, NOTICE_TEXT_MAX);
  case_var(v, "source", inc->source);
  case_var(v, "via", inc->via);
  case_var(v, "our_address", config->address);
  g_autofree char *minutes = inc->minutes_to_report >= 0
      ? g_strdup_printf("%" G_GINT64_FORMAT, inc->minutes_to_report) : NULL;
  case_var(v, "minutes_to_report", minutes);
  g_autofree char *within = g_strdup_printf("%" G_GINT64_FORMAT, config->report_within / 60);
  case_var(v, "report_within_minutes", within);
  case_var(v, "late", inc->reported_late == 1 ? "yes" : "");

  GString *missing = g_string_new(NULL);
  for (char **f = inc->missing_fields; *f; f++)
    g_string_append_printf(missing, "  %s:\n", report_field_label(*f));
  case_var(v, "missing_fields", missing->str);
  g_string_free(missing, TRUE);
  return v;
}

gboolean case_event(IgCaseMsg *m, gint64 incident_id, const char *actor, const char *type,
                      const char *detail, GError **error)
{
  return store_add_event(m->ctx->store, incident_id, m->at, actor, type, detail, error);
}

/* When the mail reached the mailbox (SPEC 2 received_at), not when the
 * gateway got to it: the source's own record (IMAP INTERNALDATE), else
 * the newest Received: header's date, else Date; never after the
 * recording, so a backlog marks nobody late. Caller unrefs. */
static GDateTime *arrival(const IgCaseMsg *m)
{
  GDateTime *when = m->item->arrived;
  if (!when && m->mail)
    when = m->mail->received_date ? m->mail->received_date : m->mail->date;
  if (!when || g_date_time_compare(when, m->ctx->now) > 0)
    when = m->ctx->now;
  return g_date_time_ref(when);
}

gint64 case_add_message(IgCaseMsg *m, const char *kind, gint64 incident_id, const char *note,
                          GError **error)
{
  g_autoptr(GDateTime) arrived = arrival(m);
  g_autofree char *arrived_at = iso_utc(arrived);
  IgMessageIn in = {
    .message_id = m->mail ? m->mail->message_id : NULL,
    .sha256 = m->sha256,
    .raw = m->raw,
    .raw_len = m->len,
    .from_addr = m->mail ? m->mail->from_addr : NULL,
    .subject = m->mail ? m->mail->subject : NULL,
    .received_at = arrived_at,
    .kind = kind,
    .incident_id = incident_id,
    .note = note,
    .recorded_at = m->at,
  };
  m->item->kind = kind;
  return store_add_message(m->ctx->store, &in, error);
}

gint64 case_thread_of(IgCaseMsg *m, GError **error)
{
  const IgConfig *config = m->ctx->config;
  const char *subject = m->mail->subject;
  gsize plen = strlen(config->reference_prefix);
  /* Any case: mail clients and people retype subjects ("[inc-2026-000042]"). */
  for (const char *p = subject; p && *p; p++) {
    if (g_ascii_strncasecmp(p, config->reference_prefix, plen) != 0)
      continue;
    const char *r = p + plen;
    /* Left to right, so a subject that ends early stops the scan. */
    gboolean shaped = r[0] == '-';
    for (int i = 1; shaped && i <= 11; i++)
      shaped = i == 5 ? r[i] == '-' : g_ascii_isdigit(r[i]);
    if (!shaped || g_ascii_isdigit(r[12]))
      continue;
    g_autofree char *ref = g_strdup_printf("%s%.12s", config->reference_prefix, r);
    gint64 id = store_incident_id(m->ctx->store, ref, error);
    if (id || (error && *error))
      return id;
  }
  gint64 id = store_incident_for_message_ids(m->ctx->store,
                                             (const char *const *)m->mail->references, error);
  if (id || (error && *error))
    return id;
  g_autofree char *quoted = NULL;
  loopmark_find(m->mail->body, config->address, &quoted);
  return quoted ? store_incident_id(m->ctx->store, quoted, error) : 0;
}

gboolean case_notify_ost(IgCaseMsg *m, gint64 incident_id, const char *reference,
                           const char *template_name, GHashTable *vars, GError **error)
{
  const IgConfig *config = m->ctx->config;
  const char *to[] = { config->ost, NULL };
  /* About an incident OST was told of: in the thread of that first notice,
   * not of the mail that prompted this one. */
  g_autofree char *notice = NULL, *notice_to = NULL, *notice_at = NULL;
  if (incident_id && !store_outbox_last(m->ctx->store, incident_id, "notify_ost", &notice_to,
                                        &notice_at, &notice, error))
    return FALSE;
  const char *refs[] = { notice ? notice : m->mail ? m->mail->message_id : NULL, NULL };
  IgMailRequest req = {
    .incident_id = incident_id,
    .reference = reference,
    .template_name = template_name,
    .vars = vars,
    .to = to,
    .in_reply_to = refs[0],
    .references = refs[0] ? refs : NULL,
  };
  return outbox_queue_mail(m->ctx->store, config, m->ctx->templates, m->ctx->now, &req,
                           error);
}

gboolean case_quarantine(IgCaseMsg *m, const char *reason, GError **error)
{
  if (!case_add_message(m, "quarantined", 0, reason, error))
    return FALSE;
  g_autofree char *detail = g_strdup_printf("message %s (%" G_GSIZE_FORMAT " bytes, sha256 %s)"
                                            " quarantined: %s", m->item->name, m->len,
                                            m->sha256, reason);
  if (!case_event(m, 0, "gateway", "quarantined", detail, error))
    return FALSE;
  g_autoptr(GHashTable) vars = case_vars_new();
  case_var(vars, "name", m->item->name);
  case_var(vars, "reason", reason);
  case_var(vars, "sha256", m->sha256);
  case_var_capped(vars, "from", m->mail ? m->mail->from_addr : NULL, NOTICE_FIELD_MAX);
  case_var_capped(vars, "subject", m->mail ? m->mail->subject : NULL, NOTICE_FIELD_MAX);
  case_var(vars, "message_id", m->mail ? m->mail->message_id : NULL);
  if (!case_notify_ost(m, 0, NULL, "quarantine", vars, error))
    return FALSE;
  m->item->outcome = IG_INTAKE_QUARANTINED;
  return TRUE;
}

/* Automatic mail (attached to the incident it threads to, if any) and a
 * person's reply to a known incident: stored, never a new incident. */
gboolean case_attach(IgCaseMsg *m, const IgAutoVerdict *verdict, gint64 incident_id,
                     GError **error)
{
  const char *kind = autoreply_kind(verdict->cls);
  if (!kind)
    return case_reply(m, incident_id, error);
  if (verdict->cls == IG_AUTO_BULK)
    incident_id = 0;
  if (!case_add_message(m, kind, incident_id, verdict->reason, error))
    return FALSE;
  m->item->outcome = incident_id ? IG_INTAKE_ATTACHED : IG_INTAKE_UNMATCHED;
  if (!incident_id)
    return TRUE;
  m->item->reference = store_incident_reference(m->ctx->store, incident_id, error);
  if (!m->item->reference)
    return FALSE;
  g_autofree char *detail = g_strdup_printf("%s from %s: %s", kind,
      m->mail->from_addr ? m->mail->from_addr : "(no sender)",
      m->mail->subject ? m->mail->subject : "(no subject)");
  return case_event(m, incident_id, m->mail->from_addr ? m->mail->from_addr : "unknown",
                    kind, detail, error);
}

gboolean case_fire_routes(IgCaseMsg *m, IgIncident *inc, GHashTable *vars, GError **error)
{
  IgIntake *ctx = m->ctx;
  g_autoptr(GPtrArray) routes = routing_decide(ctx->config, inc);
  /* One mail per recipient, listing every rule that named them. */
  g_autoptr(GHashTable) reasons = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, NULL);
  GPtrArray *order = g_ptr_array_new();
  gboolean ok = FALSE;
  for (guint i = 0; i < routes->len; i++) {
    IgRoute *r = g_ptr_array_index(routes, i);
    gboolean first = FALSE;
    if (!store_fire_rule(ctx->store, inc->id, r->rule, m->at, &first, error))
      goto out;
    if (!first)
      continue;
    g_autofree char *detail = g_strdup_printf("%s: %s %s (%s)", r->rule, r->role,
        r->address ? r->address : "not configured", r->reason);
    if (!case_event(m, inc->id, "gateway", r->address ? "rule_fired" : "rule_unrouted", detail,
               error))
      goto out;
    if (!r->address)
      continue;
    GString *list = g_hash_table_lookup(reasons, r->address);
    if (!list) {
      list = g_string_new(NULL);
      g_hash_table_insert(reasons, r->address, list);
      g_ptr_array_add(order, r);
    }
    g_string_append_printf(list, "  - %s: %s\n", r->role, r->reason);
  }
  ok = TRUE;
  for (guint i = 0; ok && i < order->len; i++) {
    IgRoute *r = g_ptr_array_index(order, i);
    GString *list = g_hash_table_lookup(reasons, r->address);
    case_var(vars, "reasons", list->str);
    case_var(vars, "role", r->role);
    const char *to[] = { r->address, NULL };
    const char *refs[] = { m->mail->message_id, NULL };
    IgMailRequest req = {
      .incident_id = inc->id,
      .reference = inc->reference,
      .template_name = strcmp(r->rule, "ost") == 0 ? "notify_ost" : "notify",
      .vars = vars,
      .to = to,
      .in_reply_to = refs[0],
      .references = refs[0] ? refs : NULL,
    };
    ok = outbox_queue_mail(ctx->store, ctx->config, ctx->templates, ctx->now, &req, error);
  }
out:
  for (guint i = 0; i < order->len; i++) {
    IgRoute *r = g_ptr_array_index(order, i);
    g_string_free(g_hash_table_lookup(reasons, r->address), TRUE);
  }
  g_ptr_array_free(order, TRUE);
  return ok;
}

gboolean case_add_deadline(IgCaseMsg *m, const IgIncident *inc, const char *kind, gint64 seconds,
                             GError **error)
{
  g_autoptr(GDateTime) due = g_date_time_add_seconds(m->ctx->now, (gdouble)seconds);
  g_autofree char *due_at = iso_utc(due);
  if (!store_add_deadline(m->ctx->store, inc->id, kind, due_at, error))
    return FALSE;
  g_autofree char *detail = g_strdup_printf("%s due %s", kind, due_at);
  return case_event(m, inc->id, "gateway", "deadline_set", detail, error);
}

gboolean case_end_deadline(IgCaseMsg *m, const IgIncident *inc, const char *kind,
                           const char *state, GError **error)
{
  gboolean changed = FALSE;
  if (!store_set_deadline_state(m->ctx->store, inc->id, kind, state, &changed, error))
    return FALSE;
  if (!changed)
    return TRUE;
  g_autofree char *detail = g_strdup_printf("%s %s: status %s", kind, state, inc->status);
  return case_event(m, inc->id, "gateway", "deadline_ended", detail, error);
}

gboolean case_serious(const char *impact)
{
  return g_strcmp0(impact, "medium") == 0 || g_strcmp0(impact, "high") == 0;
}

gint64 case_triage_within(const IgConfig *config, const char *impact)
{
  /* An incident nobody has assessed yet is chased as medium. */
  if (g_strcmp0(impact, "high") == 0)
    return config->triage_within_high;
  if (g_strcmp0(impact, "low") == 0)
    return config->triage_within_low;
  return config->triage_within_medium;
}

/* ask_reporter: the reporter can be written to and was not hidden from
 * us by encryption, so missing fields may be asked for. */
static gboolean set_deadlines(IgCaseMsg *m, const IgIncident *inc, gboolean ask_reporter,
                              GError **error)
{
  const IgConfig *c = m->ctx->config;
  if (!case_add_deadline(m, inc, "triage", case_triage_within(c, inc->impact), error))
    return FALSE;
  if (inc->missing_fields[0] && ask_reporter &&
      !case_add_deadline(m, inc, "form_reminder", c->form_reminder_after, error))
    return FALSE;
  if (case_serious(inc->impact) &&
      !case_add_deadline(m, inc, "management_report", c->management_report_within, error))
    return FALSE;
  return TRUE;
}

/* Acknowledgements queued to address (NULL: to anyone) within the last
 * window seconds; -1 on a store error. */
static gint64 acks_within(IgCaseMsg *m, const char *address, gint64 window, GError **error)
{
  g_autoptr(GDateTime) since = g_date_time_add_seconds(m->ctx->now, -(gdouble)window);
  g_autofree char *since_at = iso_utc(since);
  return store_count_acks_since(m->ctx->store, address, since_at, error);
}

/* The address an acknowledgement may go to: the sender's, as GMime read it
 * from From and address_canonical() checked it, never another (not the
 * form's "Reporter email", not Reply-To). NULL with *why set (caller
 * frees) when there is none or a limit is reached, or on a store error. */
static char *ack_recipient(IgCaseMsg *m, const IgAutoVerdict *verdict, char **why,
                           GError **error)
{
  const IgConfig *c = m->ctx->config;
  if (!verdict->may_reply) {
    *why = g_strdup(verdict->reason ? verdict->reason : "automatic mail");
    return NULL;
  }
  g_autoptr(GError) invalid = NULL;
  g_autofree char *to = address_canonical(m->mail->from_addr, &invalid);
  if (!to) {
    *why = g_strdup_printf("sender %s", invalid->message);
    return NULL;
  }
  gint64 mine = acks_within(m, to, c->rate_limit_window, error);
  gint64 all = mine < 0 ? -1 : acks_within(m, NULL, c->rate_limit_total_window, error);
  if (all < 0)
    return NULL;
  if (mine >= c->rate_limit_count) {
    *why = g_strdup("rate_limit_per_sender reached");
    return NULL;
  }
  if (all >= c->rate_limit_total_count) {
    *why = g_strdup("rate_limit_total reached");
    return NULL;
  }
  return g_steal_pointer(&to);
}

/* An acknowledgement echoes what was recorded, each value on one line and
 * cut at ACK_ECHO_MAX characters, so that what a mail says cannot make our
 * answer large or shape it. */
#define ACK_ECHO_MAX 200
static const char *const ack_multiline_vars[] = { "missing_fields", NULL };

GHashTable *case_echo_vars(GHashTable *vars)
{
  GHashTable *out = case_vars_new();
  GHashTableIter it;
  gpointer name, value;
  g_hash_table_iter_init(&it, vars);
  while (g_hash_table_iter_next(&it, &name, &value)) {
    if (g_strv_contains(ack_multiline_vars, name)) {
      case_var(out, name, value);
      continue;
    }
    g_autofree char *line = g_strstrip(g_strdelimit(g_strdup(value), "\r\n\t\v\f", ' '));
    if (g_utf8_strlen(line, -1) > ACK_ECHO_MAX) {
      g_autofree char *cut = g_utf8_substring(line, 0, ACK_ECHO_MAX - 1);
      g_hash_table_replace(out, name, g_strconcat(cut, "\u2026", NULL));
    } else {
      case_var(out, name, line);
    }
  }
  return out;
}

/* What the parser's limits left unread, one "  - " line each, for OST;
 * "" when it read everything. */
static char *skipped_lines(const IgMail *mail)
{
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < mail->skipped->len; i++)
    g_string_append_printf(out, "  - %s\n", (const char *)g_ptr_array_index(mail->skipped, i));
  return g_string_free(out, FALSE);
}

gboolean case_new_report(IgCaseMsg *m, const IgAutoVerdict *verdict, GError **error)
{
  IgIntake *ctx = m->ctx;
  const IgConfig *c = ctx->config;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GDateTime) arrived = arrival(m);
  g_autoptr(IgIncident) inc = report_build(c, m->mail, arrived, problems, decisions);
  g_autoptr(GDateTime) local_now = g_date_time_to_timezone(ctx->now, c->tz);
  inc->reference = store_next_reference(ctx->store, c->reference_prefix,
                                        g_date_time_get_year(local_now), error);
  if (!inc->reference)
    return FALSE;
  inc->status = g_strdup("new");
  inc->received_at = iso_utc(arrived);
  inc->created_at = g_strdup(m->at);
  inc->updated_at = g_strdup(m->at);
  if (!store_add_incident(ctx->store, inc, error) || !store_add_evidence(ctx->store, inc, error))
    return FALSE;
  if (!case_add_message(m, "report", inc->id, verdict->reason, error))
    return FALSE;
  m->item->outcome = IG_INTAKE_NEW;
  m->item->reference = g_strdup(inc->reference);

  const char *actor = m->mail->from_addr ? m->mail->from_addr : "unknown";
  g_autofree char *received = g_strdup_printf("report received: Message-ID <%s>, %"
      G_GSIZE_FORMAT " bytes, sha256 %s", m->mail->message_id ? m->mail->message_id : "none",
      m->len, m->sha256);
  g_autofree char *missing = g_strjoinv(", ", inc->missing_fields);
  g_autofree char *created = g_strdup_printf("%s recorded from %s (%s)%s%s",
      inc->reference, inc->source, inc->via, *missing ? "; missing: " : "", missing);
  if (!case_event(m, inc->id, actor, "received", received, error) ||
      !case_event(m, inc->id, "gateway", "created", created, error))
    return FALSE;
  for (guint i = 0; i < problems->len; i++)
    if (!case_event(m, inc->id, "gateway", "unreadable_value", g_ptr_array_index(problems, i),
               error))
      return FALSE;
  for (guint i = 0; i < decisions->len; i++)
    if (!case_event(m, inc->id, "gateway", "classified", g_ptr_array_index(decisions, i), error))
      return FALSE;
  for (guint i = 0; i < inc->evidence->len; i++) {
    const IgEvidence *ev = g_ptr_array_index(inc->evidence, i);
    /* g_utf8_substring() reads past a shorter string's end */
    g_autofree char *subject = !ev->subject ? NULL
                               : g_utf8_strlen(ev->subject, -1) > 200
                                   ? g_utf8_substring(ev->subject, 0, 200)
                                   : g_strdup(ev->subject);
    g_autofree char *detail = g_strdup_printf("suspicious mail from %s, subject \"%s\", "
        "sha256 %s", ev->from_addr ? ev->from_addr : "an unknown sender",
        subject ? subject : "", ev->sha256);
    if (!case_event(m, inc->id, "gateway", "evidence", detail, error))
      return FALSE;
  }
  for (guint i = 0; i < m->mail->skipped->len; i++)
    if (!case_event(m, inc->id, "gateway", "truncated", g_ptr_array_index(m->mail->skipped, i),
               error))
      return FALSE;
  if (inc->reported_late == 1) {
    g_autofree char *late = g_strdup_printf("reported %" G_GINT64_FORMAT
        " minutes after detection (policy: %" G_GINT64_FORMAT ")", inc->minutes_to_report,
        c->report_within / 60);
    if (!case_event(m, inc->id, "gateway", "reported_late", late, error))
      return FALSE;
  }

  const char *sealed = m->mail->sealed;
  if (sealed) {
    g_autofree char *detail = g_strdup_printf("the report is %s: the gateway cannot read it, "
                                              "OST must", sealed);
    if (!case_event(m, inc->id, "gateway", "encrypted", detail, error))
      return FALSE;
  }
  g_autoptr(GHashTable) vars = case_incident_vars(c, inc);
  g_autofree char *skipped = skipped_lines(m->mail);
  case_var(vars, "skipped", skipped);
  case_var(vars, "sealed", sealed);
  g_autofree char *evidence = evidence_notice(inc);
  g_autofree char *observables = evidence_notice_observables(inc);
  case_var(vars, "evidence", evidence);
  case_var(vars, "observables", observables);
  /* Known before OST is told, whose notice says whether the reporter was
   * asked for what is missing: not when no acknowledgement goes out (an
   * automatic alert, a limit reached), nor for what encryption hid. */
  g_autofree char *why = NULL;
  g_autofree char *ack_to = ack_recipient(m, verdict, &why, error);
  gboolean ack = ack_to != NULL;
  if (!ack && !why)
    return FALSE;
  case_var(vars, "reporter_asked", ack && !sealed ? "yes" : NULL);
  if (!case_fire_routes(m, inc, vars, error) ||
      !webhook_queue(ctx->store, c, ctx->now, "created", inc, NULL, error))
    return FALSE;

  if (ack) {
    const char *to[] = { ack_to, NULL };
    /* The Message-ID is echoed too: threaded only when it is short. */
    const char *id = m->mail->message_id;
    const char *refs[] = { id && strlen(id) <= ACK_ECHO_MAX ? id : NULL, NULL };
    g_autoptr(GHashTable) echo = case_echo_vars(vars);
    /* What encryption hid is OST's to read, not the reporter's to re-type. */
    if (sealed)
      case_var(echo, "missing_fields", NULL);
    IgMailRequest req = {
      .incident_id = inc->id,
      .reference = inc->reference,
      .template_name = "ack",
      .vars = echo,
      .to = to,
      .in_reply_to = refs[0],
      .references = refs[0] ? refs : NULL,
      .auto_replied = TRUE,
    };
    if (!outbox_queue_mail(ctx->store, c, ctx->templates, ctx->now, &req, error))
      return FALSE;
  }
  g_autofree char *ack_detail = ack ? g_strdup_printf("acknowledgement to %s", ack_to)
                                    : g_strdup_printf("no acknowledgement: %s", why);
  if (!case_event(m, inc->id, "gateway", ack ? "ack_queued" : "ack_suppressed", ack_detail, error))
    return FALSE;
  return set_deadlines(m, inc, ack && !sealed, error);
}

gboolean case_note_bounce(IgCaseMsg *m, gint64 *incident_id, GError **error)
{
  gboolean found = FALSE;
  if (!autoreply_delivery_failed(m->mail)) {
    /* A delay warning or a receipt: our mail may still arrive, or has, so
     * its outbox row stays as it is; the notice joins its incident. */
    const char *ids[] = { m->mail->reported_message_id, NULL };
    *incident_id = store_incident_for_message_ids(m->ctx->store, ids, error);
    return !(error && *error);
  }
  g_autofree char *why = g_strdup_printf("%s: %s", m->mail->report_type,
                                         m->mail->subject ? m->mail->subject : "no subject");
  if (!store_outbox_bounced(m->ctx->store, m->mail->reported_message_id, why, &found,
                            incident_id, error))
    return FALSE;
  if (!found || !*incident_id)
    return TRUE;
  g_autofree char *detail = g_strdup_printf("our mail <%s> bounced (%s)",
                                            m->mail->reported_message_id, why);
  return case_event(m, *incident_id, "gateway", "bounced", detail, error);
}

/* case_command.c - an OST member's commands applied to an incident
 * (SPEC 7, case_command.h).
 *
 * Checked as a whole first, so that one mail applies all of its commands
 * or none: a refused value, a status the incident may not take (closing a
 * medium or high incident without a management report, rejecting without
 * a reason), a Duplicate-of naming no other incident. Then every change
 * is written, each audited with its before and after, the rules that the
 * new impact or personal data call for fire, the deadlines follow the
 * status, and a case first resolved or closed has its outcome told to
 * the stakeholders (case_outcome.c). */
#include "gateway/case_command.h"

#include <string.h>

#include "gateway/cases_shared.h"
#include "gateway/report.h"
#include "gateway/webhook.h"

/* The command of key in cmds, or NULL. */
static const IgOstCommand *find(const IgOstCommands *cmds, IgOstCommandKey key)
{
  for (guint i = 0; i < cmds->commands->len; i++) {
    const IgOstCommand *c = g_ptr_array_index(cmds->commands, i);
    if (c->key == key)
      return c;
  }
  return NULL;
}

/* Why the commands may not be applied, one line each into refused;
 * *error only when the store could not be read. */
static gboolean check(IgCaseMsg *m, const IgIncident *inc, const IgOstCommands *cmds,
                      GPtrArray *refused, GError **error)
{
  for (guint i = 0; i < cmds->errors->len; i++)
    g_ptr_array_add(refused, g_strdup(g_ptr_array_index(cmds->errors, i)));
  const IgOstCommand *status = find(cmds, IG_CMD_STATUS);
  const IgOstCommand *impact = find(cmds, IG_CMD_IMPACT);
  const IgOstCommand *dup = find(cmds, IG_CMD_DUPLICATE_OF);
  const IgOstCommand *note = find(cmds, IG_CMD_NOTE);
  if (dup) {
    gint64 other = store_incident_id(m->ctx->store, dup->value, error);
    if (error && *error)
      return FALSE;
    if (!other)
      g_ptr_array_add(refused, g_strdup_printf("Duplicate-of: %s: no such incident",
                                               dup->value));
    else if (other == inc->id)
      g_ptr_array_add(refused, g_strdup_printf("Duplicate-of: %s is this incident",
                                               dup->value));
    if (status && strcmp(status->value, "rejected") != 0 && strcmp(status->value, "closed") != 0)
      g_ptr_array_add(refused, g_strdup_printf("Duplicate-of closes the incident as rejected;"
                                               " Status: %s says otherwise", status->value));
  }
  if (!status)
    return TRUE;
  if (strcmp(status->value, "rejected") == 0 && !dup && !status->reason && !note)
    g_ptr_array_add(refused, g_strdup("Status: rejected needs a reason: write it after the"
                                      " status (\"Status: rejected - not a security"
                                      " incident\") or in a Note: line"));
  const char *will_be = impact ? impact->value : inc->impact;
  if (strcmp(status->value, "closed") == 0 && !dup && case_serious(will_be) &&
      !find(cmds, IG_CMD_REPORT)) {
    g_autofree char *report = store_management_report(m->ctx->store, inc->id, error);
    if (error && *error)
      return FALSE;
    if (!report)
      g_ptr_array_add(refused, g_strdup_printf("Status: closed: a %s impact incident needs a"
                                               " management report first (policy 001): add"
                                               " a Report: line with it", will_be));
  }
  return TRUE;
}

/* One change of a field: the value swapped in, the event written later. */
static void change(GPtrArray *changes, const char *name, char **field, const char *value)
{
  if (g_strcmp0(*field, value) == 0) {
    g_ptr_array_add(changes, g_strdup_printf("%s: %s (unchanged)", name, value));
    return;
  }
  g_ptr_array_add(changes, g_strdup_printf("%s: %s -> %s", name, *field ? *field : "(none)",
                                           value));
  g_free(*field);
  *field = g_strdup(value);
}

static const char *near_miss_word(int near_miss)
{
  return near_miss == 1 ? "yes" : near_miss == 0 ? "no" : NULL;
}

static gboolean ended(const char *status)
{
  return strcmp(status, "closed") == 0 || strcmp(status, "rejected") == 0;
}

/* Ends the deadlines the new status settles: triage once someone has
 * looked, and the rest when the case ends. */
static gboolean settle_deadlines(IgCaseMsg *m, const IgIncident *inc, GError **error)
{
  if (strcmp(inc->status, "new") != 0 && !case_end_deadline(m, inc, "triage", "done", error))
    return FALSE;
  if (!ended(inc->status))
    return TRUE;
  return case_end_deadline(m, inc, "form_reminder", "cancelled", error) &&
         case_end_deadline(m, inc, "management_report", "cancelled", error);
}

/* The webhooks' events for what one mail changed: status_changed (and
 * closed when the case ends), impact_changed, and one updated for the
 * rest (added: a note, a report or a duplicate recorded). */
static gboolean tell_webhooks(IgCaseMsg *m, const IgIncident *inc, GPtrArray *changes,
                              gboolean added, GError **error)
{
  IgStore *store = m->ctx->store;
  const IgConfig *c = m->ctx->config;
  gboolean updated = added;
  for (guint i = 0; i < changes->len; i++) {
    const char *what = g_ptr_array_index(changes, i);
    if (g_str_has_suffix(what, "(unchanged)"))
      continue;
    gboolean ok = TRUE;
    if (g_str_has_prefix(what, "status:")) {
      ok = webhook_queue(store, c, m->ctx->now, "status_changed", inc, inc->status, error) &&
           (!ended(inc->status) ||
            webhook_queue(store, c, m->ctx->now, "closed", inc, inc->status, error));
    } else if (g_str_has_prefix(what, "impact:")) {
      ok = webhook_queue(store, c, m->ctx->now, "impact_changed", inc, what, error);
    } else {
      updated = TRUE;
    }
    if (!ok)
      return FALSE;
  }
  return !updated || webhook_queue(store, c, m->ctx->now, "updated", inc, NULL, error);
}

/* Writes the changes to inc and the store; then the events, so that each
 * records the incident's state after them all. */
static gboolean apply(IgCaseMsg *m, IgIncident *inc, const IgOstCommands *cmds, const char *actor,
                      GPtrArray *applied, gboolean *status_changed, GError **error)
{
  const IgConfig *c = m->ctx->config;
  g_autofree char *was_status = g_strdup(inc->status);
  gboolean was_serious = case_serious(inc->impact);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func(g_free);
  const IgOstCommand *report = NULL, *note = NULL, *dup = NULL;
  for (guint i = 0; i < cmds->commands->len; i++) {
    const IgOstCommand *cmd = g_ptr_array_index(cmds->commands, i);
    switch (cmd->key) {
    case IG_CMD_STATUS:
      change(changes, "status", &inc->status, cmd->value);
      break;
    case IG_CMD_IMPACT:
      change(changes, "impact", &inc->impact, cmd->value);
      break;
    case IG_CMD_CATEGORY:
      change(changes, "category", &inc->category, cmd->value);
      break;
    case IG_CMD_OWNER:
      change(changes, "owner", &inc->owner, cmd->value);
      break;
    case IG_CMD_PERSONAL_DATA:
      change(changes, "personal data", &inc->personal_data, cmd->value);
      break;
    case IG_CMD_NEAR_MISS: {
      g_autofree char *before = g_strdup(near_miss_word(inc->near_miss));
      change(changes, "near miss", &before, cmd->value);
      inc->near_miss = strcmp(cmd->value, "yes") == 0;
      break;
    }
    case IG_CMD_DUPLICATE_OF:
      dup = cmd;
      if (!find(cmds, IG_CMD_STATUS))
        change(changes, "status", &inc->status, "rejected");
      break;
    case IG_CMD_REPORT:
      report = cmd;
      break;
    case IG_CMD_NOTE:
      note = cmd;
      break;
    case IG_CMD_COUNT:
      break;
    }
  }
  /* A field OST sets is no longer one to ask the reporter for: the form
   * reminders stop asking, and end once nothing is missing. */
  report_set_missing(inc);
  g_free(inc->updated_at);
  inc->updated_at = g_strdup(m->at);
  if (!store_update_incident(m->ctx->store, inc, error))
    return FALSE;
  if (report && !store_add_management_report(m->ctx->store, inc->id, m->at, actor,
                                             report->value, error))
    return FALSE;

  for (guint i = 0; i < changes->len; i++) {
    const char *what = g_ptr_array_index(changes, i);
    if (g_str_has_suffix(what, "(unchanged)")) {
      g_ptr_array_add(applied, g_strdup(what));
      continue;
    }
    const char *type = g_str_has_prefix(what, "status:") ? "status_changed" : "changed";
    if (!case_event(m, inc->id, actor, type, what, error))
      return FALSE;
    g_ptr_array_add(applied, g_strdup(what));
  }
  const IgOstCommand *status = find(cmds, IG_CMD_STATUS);
  if (status && status->reason) {
    g_autofree char *detail = g_strdup_printf("reason for %s: %s", inc->status, status->reason);
    if (!case_event(m, inc->id, actor, "note", detail, error))
      return FALSE;
  }
  if (dup) {
    g_autofree char *detail = g_strdup_printf("duplicate of %s", dup->value);
    if (!case_event(m, inc->id, actor, "duplicate", detail, error))
      return FALSE;
    g_ptr_array_add(applied, g_strdup_printf("duplicate of %s", dup->value));
  }
  if (note) {
    if (!case_event(m, inc->id, actor, "note", note->value, error))
      return FALSE;
    g_ptr_array_add(applied, g_strdup("note added"));
  }
  if (report) {
    g_autofree char *detail = g_strdup_printf("management report (%" G_GSIZE_FORMAT
                                              " characters)", strlen(report->value));
    if (!case_event(m, inc->id, actor, "management_report", detail, error) ||
        !case_end_deadline(m, inc, "management_report", "done", error))
      return FALSE;
    g_ptr_array_add(applied, g_strdup("management report recorded"));
  }
  *status_changed = strcmp(was_status, inc->status) != 0;
  if ((*status_changed && !settle_deadlines(m, inc, error)) ||
      !tell_webhooks(m, inc, changes, note || report || dup, error))
    return FALSE;
  /* Raised to medium or high: the report policy 001 asks for is due. */
  if (!was_serious && case_serious(inc->impact) && !report &&
      !case_add_deadline(m, inc, "management_report", c->management_report_within, error))
    return FALSE;
  g_autoptr(GHashTable) vars = case_incident_vars(c, inc);
  if (!case_fire_routes(m, inc, vars, error))
    return FALSE;
  /* After the routes, so that a stakeholder the same mail brought in
   * (impact raised as the case closes) hears the outcome too. */
  return !*status_changed || case_share_outcome(m, inc, status ? status->reason : NULL, error);
}

gboolean case_commands_apply(IgCaseMsg *m, IgIncident *inc, const IgOstCommands *cmds,
                             const char *actor, GPtrArray *applied, GPtrArray *refused,
                             gboolean *status_changed, GError **error)
{
  *status_changed = FALSE;
  if (!check(m, inc, cmds, refused, error))
    return FALSE;
  if (refused->len) {
    g_autoptr(GString) detail = g_string_new("nothing applied: ");
    for (guint i = 0; i < refused->len; i++)
      g_string_append_printf(detail, "%s%s", i ? "; " : "",
                             (const char *)g_ptr_array_index(refused, i));
    return case_event(m, inc->id, actor, "commands_refused", detail->str, error);
  }
  return apply(m, inc, cmds, actor, applied, status_changed, error);
}

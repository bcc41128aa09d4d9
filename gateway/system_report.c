/* system_report.c - an IT system's incidents for its Accreditor: the
 * matching rule and the report as text, CSV or JSON (system_report.h). */
#include "gateway/system_report.h"

#include <string.h>

#include "gateway/csv.h"
#include "gateway/render_json.h"

/* The columns of CSV and JSON, in order: those of `show --json`, then the
 * two this report adds. */
static const char *const record_columns[] = {
  "reference", "received_at", "detected_at", "category", "impact", "status",
  "systems_affected", "information_asset",
};
#define OUTCOME "outcome"
#define REPORT "management_report"

/* Text values are indented under their label by this much. */
#define LABEL_WIDTH 21

char *system_name_norm(const char *text)
{
  g_autofree char *valid = g_utf8_make_valid(text, -1);
  GString *out = g_string_new(NULL);
  gboolean gap = FALSE;
  for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (!g_unichar_isalnum(c)) {
      gap = out->len > 0;
      continue;
    }
    if (gap)
      g_string_append_c(out, ' ');
    gap = FALSE;
    g_string_append_unichar(out, g_unichar_tolower(c));
  }
  return g_string_free(out, FALSE);
}

/* Padded with a space each side, words are whole when " name " is found
 * in " text ". */
gboolean system_words_in(const char *name, const char *text)
{
  if (!text)
    return FALSE;
  g_autofree char *norm = system_name_norm(text);
  g_autofree char *hay = g_strconcat(" ", norm, " ", NULL);
  g_autofree char *needle = g_strconcat(" ", name, " ", NULL);
  return strstr(hay, needle) != NULL;
}

gboolean system_report_matches(const char *name, const IgIncident *inc)
{
  return system_words_in(name, inc->systems_affected) ||
         system_words_in(name, inc->information_asset);
}

char *system_report_outcome(const IgSystemRow *row)
{
  const char *text = row->closing_reason ? row->closing_reason + strlen("reason for ")
                                         : row->last_note;
  if (!text)
    return NULL;
  g_autofree char *valid = g_utf8_make_valid(text, -1);
  if (g_utf8_strlen(valid, -1) <= SYSTEM_OUTCOME_MAX)
    return g_steal_pointer(&valid);
  g_autofree char *cut = g_utf8_substring(valid, 0, SYSTEM_OUTCOME_MAX);
  return g_strconcat(cut, "...", NULL);
}

IgSystemReport *system_report_new(const char *name, const char *since, GPtrArray *assets,
                                  GPtrArray *candidates)
{
  IgSystemReport *r = g_new0(IgSystemReport, 1);
  g_autofree char *norm = system_name_norm(name);
  r->name = g_strdup(name);
  r->since = g_strdup(since);
  r->assets = g_ptr_array_new();
  for (guint i = 0; assets && i < assets->len; i++) {
    const IgPair *p = g_ptr_array_index(assets, i);
    if (system_words_in(norm, p->name))
      g_ptr_array_add(r->assets, (gpointer)p);
  }
  r->candidates = g_ptr_array_ref(candidates);
  r->rows = g_ptr_array_new();
  for (guint i = 0; i < candidates->len; i++) {
    const IgSystemRow *row = g_ptr_array_index(candidates, i);
    if (system_report_matches(norm, row->incident))
      g_ptr_array_add(r->rows, (gpointer)row);
  }
  return r;
}

void system_report_free(IgSystemReport *r)
{
  if (!r)
    return;
  g_free(r->name);
  g_free(r->since);
  g_ptr_array_unref(r->assets);
  g_ptr_array_unref(r->rows);
  g_ptr_array_unref(r->candidates);
  g_free(r);
}

/* --- rows --- */

/* One incident's row: the record's columns as `show --json` gives them,
 * then the outcome and whether it has a management report. */
static json_t *row_json(const IgSystemRow *row)
{
  json_t *record = json_incident(row->incident, NULL, NULL, NULL);
  json_t *o = json_object();
  for (gsize i = 0; i < G_N_ELEMENTS(record_columns); i++)
    json_object_set(o, record_columns[i], json_object_get(record, record_columns[i]));
  json_decref(record);
  g_autofree char *outcome = system_report_outcome(row);
  json_object_set_new(o, OUTCOME, outcome ? json_string(outcome) : json_null());
  json_object_set_new(o, REPORT, json_string(row->management_report ? "yes" : "no"));
  return o;
}

char *system_report_csv(const IgSystemReport *r)
{
  GString *out = g_string_new(NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(record_columns); i++)
    g_string_append_printf(out, "%s,", record_columns[i]);
  g_string_append(out, OUTCOME "," REPORT "\r\n");
  for (guint i = 0; i < r->rows->len; i++) {
    json_t *o = row_json(g_ptr_array_index(r->rows, i));
    for (gsize c = 0; c < G_N_ELEMENTS(record_columns); c++) {
      csv_cell(out, json_object_get(o, record_columns[c]));
      g_string_append_c(out, ',');
    }
    csv_cell(out, json_object_get(o, OUTCOME));
    g_string_append_c(out, ',');
    csv_cell(out, json_object_get(o, REPORT));
    g_string_append(out, "\r\n");
    json_decref(o);
  }
  return g_string_free(out, FALSE);
}

json_t *system_report_json(const IgSystemReport *r)
{
  json_t *assets = json_array();
  for (guint i = 0; i < r->assets->len; i++) {
    const IgPair *p = g_ptr_array_index(r->assets, i);
    json_array_append_new(assets, json_pack("{s:s, s:s}", "name", p->name, "iao", p->address));
  }
  json_t *rows = json_array();
  for (guint i = 0; i < r->rows->len; i++) {
    const IgSystemRow *row = g_ptr_array_index(r->rows, i);
    json_t *o = row_json(row);
    json_object_set_new(o, "management_report_text",
                        row->management_report ? json_string(row->management_report)
                                               : json_null());
    json_array_append_new(rows, o);
  }
  return json_pack("{s:s, s:s?, s:o, s:I, s:o}", "system", r->name, "since", r->since,
                   "assets", assets, "count", (json_int_t)r->rows->len, "incidents", rows);
}

/* --- text --- */

/* An ISO-8601 time as local time in tz with its zone: "2026-11-22 14:40
 * GMT"; "not recorded" when there is none. Caller frees. */
static char *local_time(const char *iso, GTimeZone *tz)
{
  char *shown = iso_local(iso, tz, IG_TIME_SHOWN);
  return shown ? shown : g_strdup("not recorded");
}

/* Appends text, every line after the first indented by indent spaces; CR
 * dropped, so that a value written over several lines stays in its
 * block. */
static void append_indented(GString *out, const char *text, int indent)
{
  for (const char *p = text; *p; p++) {
    if (*p == '\r')
      continue;
    g_string_append_c(out, *p);
    if (*p == '\n')
      g_string_append_printf(out, "%*s", indent, "");
  }
}

static void field(GString *out, const char *label, const char *value)
{
  g_string_append_printf(out, "  %-*s", LABEL_WIDTH - 2, label);
  append_indented(out, value ? value : "not recorded", LABEL_WIDTH);
  g_string_append_c(out, '\n');
}

static void block(GString *out, const IgSystemRow *row, GTimeZone *tz)
{
  const IgIncident *inc = row->incident;
  g_autofree char *received = local_time(inc->received_at, tz);
  g_autofree char *detected = local_time(inc->detected_at, tz);
  g_autofree char *outcome = system_report_outcome(row);
  g_string_append_printf(out, "\n%s\n", inc->reference);
  field(out, "Received:", received);
  field(out, "Detected:", detected);
  field(out, "Category:", inc->category);
  field(out, "Impact:", inc->impact);
  field(out, "Status:", inc->status);
  field(out, "Systems affected:", inc->systems_affected);
  field(out, "Information asset:", inc->information_asset);
  field(out, "Outcome:", outcome);
  if (!row->management_report) {
    field(out, "Management report:", "none");
    return;
  }
  g_string_append(out, "  Management report:\n    ");
  append_indented(out, row->management_report, 4);
  g_string_append_c(out, '\n');
}

char *system_report_text(const IgSystemReport *r, GTimeZone *tz)
{
  GString *out = g_string_new(NULL);
  g_string_append_printf(out, "IT security incidents naming the system \"%s\" (for its Accreditor)\n",
                         r->name);
  for (guint i = 0; i < r->assets->len; i++) {
    const IgPair *p = g_ptr_array_index(r->assets, i);
    g_string_append_printf(out, "Information asset: %s (IAO %s)\n", p->name, p->address);
  }
  if (r->since) {
    g_autofree char *since = local_time(r->since, tz);
    g_string_append_printf(out, "Period: received since %s\n", since);
  } else {
    g_string_append(out, "Period: every incident recorded\n");
  }
  g_string_append_printf(out, "Incidents: %u\n", r->rows->len);
  for (guint i = 0; i < r->rows->len; i++)
    block(out, g_ptr_array_index(r->rows, i), tz);
  return g_string_free(out, FALSE);
}

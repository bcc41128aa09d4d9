/* render_observables.c - observables as text, JSON, CSV or STIX
 * (render_observables.h). */
#include "gateway/render_observables.h"

#include <stdio.h>
#include <string.h>

#include "gateway/error.h"
#include "gateway/render_json.h"
#include "gateway/stix.h"
#include "parsers/observables.h"

/* One CSV field (RFC 4180): always quoted, quotes doubled. */
static void csv_field(GString *out, const char *value, gboolean last)
{
  g_string_append_c(out, '"');
  for (const char *p = value ? value : ""; *p; p++) {
    if (*p == '"')
      g_string_append_c(out, '"');
    g_string_append_c(out, *p);
  }
  g_string_append(out, last ? "\"\r\n" : "\",");
}

/* A spreadsheet runs a cell starting with = + - @ as a formula: the
 * defanged column, meant for people, gets a leading apostrophe there as
 * OWASP advises; the value column stays exact for the tools that import
 * it. */
static void csv_readable(GString *out, const char *value)
{
  if (value && strchr("=+-@\t\r", value[0]) && value[0]) {
    g_autofree char *guarded = g_strconcat("'", value, NULL);
    csv_field(out, guarded, FALSE);
  } else {
    csv_field(out, value, FALSE);
  }
}

static char *csv(GPtrArray *rows)
{
  GString *out = g_string_new("reference,type,value,defanged,sha256\r\n");
  for (guint i = 0; i < rows->len; i++) {
    const IgObservable *o = g_ptr_array_index(rows, i);
    csv_field(out, o->reference, FALSE);
    csv_field(out, o->type, FALSE);
    csv_field(out, o->value, FALSE);
    csv_readable(out, o->defanged);
    csv_field(out, o->sha256, TRUE);
  }
  return g_string_free(out, FALSE);
}

static char *text(GPtrArray *rows)
{
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < rows->len; i++) {
    const IgObservable *o = g_ptr_array_index(rows, i);
    g_string_append_printf(out, "%-16s %-7s %s%s%s\n", o->reference, o->type, o->defanged,
                           o->sha256 ? "  sha256 " : "", o->sha256 ? o->sha256 : "");
  }
  if (rows->len == 0)
    g_string_append(out, "no observables\n");
  return g_string_free(out, FALSE);
}

static json_t *json(GPtrArray *rows, GDateTime *now, gboolean stix)
{
  if (stix)
    return stix_bundle(rows, now);
  json_t *doc = json_array();
  for (guint i = 0; i < rows->len; i++)
    json_array_append_new(doc, json_observable(g_ptr_array_index(rows, i), TRUE));
  return doc;
}

static gboolean print_text(const char *out, GError **error)
{
  if (fputs(out, stdout) == EOF || fflush(stdout) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "stdout: write error");
    return FALSE;
  }
  return TRUE;
}

gboolean observables_print(GPtrArray *rows, const char *format, GDateTime *now, GError **error)
{
  if (!format || strcmp(format, "text") == 0) {
    g_autofree char *out = text(rows);
    return print_text(out, error);
  }
  if (strcmp(format, "csv") == 0) {
    g_autofree char *out = csv(rows);
    return print_text(out, error);
  }
  json_t *doc = json(rows, now, strcmp(format, "stix") == 0);
  gboolean ok = doc && json_print(doc);
  json_decref(doc);
  if (!ok)
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "stdout: write error");
  return ok;
}

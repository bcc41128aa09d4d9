/* csv.c - CSV cells for the reports (csv.h). */
#include "gateway/csv.h"

#include <string.h>

/* The apostrophe instead of running the formula is what OWASP advises
 * against CSV injection. */
void csv_text(GString *out, const char *value)
{
  g_autofree char *guarded = strchr("=+-@\t\r", value[0]) && value[0]
                             ? g_strconcat("'", value, NULL) : NULL;
  const char *v = guarded ? guarded : value;
  if (!v[strcspn(v, ",\"\r\n")]) {
    g_string_append(out, v);
    return;
  }
  g_string_append_c(out, '"');
  for (const char *p = v; *p; p++) {
    if (*p == '"')
      g_string_append_c(out, '"');
    g_string_append_c(out, *p);
  }
  g_string_append_c(out, '"');
}

void csv_cell(GString *out, json_t *value)
{
  if (json_is_string(value))
    csv_text(out, json_string_value(value));
  else if (json_is_integer(value))
    g_string_append_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
  else if (json_is_boolean(value))
    g_string_append(out, json_is_true(value) ? "true" : "false");
}

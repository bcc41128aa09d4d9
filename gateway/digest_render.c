/* digest_render.c - the manager digest as template values, plain text and
 * HTML (digest.h).
 *
 * The HTML is for mail clients, Outlook's Word engine first: tables laid
 * out with attributes (width, bgcolor, cellpadding) and inline styles, no
 * stylesheet, scripts or images; a bar of the chart is a table cell with
 * a background colour and a width. Every value put into the markup built
 * here is escaped (templates_escape_html(), g_markup_escape_text() but for
 * the apostrophe); digest.html's own {{name}} values are escaped by the
 * template engine. Times are shown in the
 * configured zone in words ("Tue 1 Dec 08:00"), never as raw timestamps. */
#include "gateway/digest.h"

#include <string.h>

#include "gateway/error.h"

/* A summary is cut to one line of about this many characters. */
#define SUMMARY_CHARS 120
/* The longest bar: characters in the text, pixels in the HTML. */
#define TEXT_BAR 30
#define HTML_BAR 360

/* One colour per category's bar, told apart at a glance; NOT_STATED_COLOUR
 * for incidents without one. */
static const char *const bar_colours[] = { "#1d70b8", "#d4351c", "#00703c", "#f47738",
                                           "#4c2c92", "#28a197", "#b58840", "#d53880",
                                           "#5694ca", "#85994b", "#912b88", "#6f777b" };
#define NOT_STATED_COLOUR "#949494"

static char *iso_words(const char *iso, GTimeZone *tz, GDateTime *ref)
{
  g_autoptr(GDateTime) t = iso_parse(iso);
  return date_words(t, tz, ref, TRUE);
}

/* The summary on one line, control characters as spaces, cut after
 * SUMMARY_CHARS characters with an ellipsis. Caller frees. */
static char *one_line(const char *summary)
{
  if (!summary || !*summary)
    return g_strdup("(no summary)");
  g_autofree char *valid = g_utf8_make_valid(summary, -1);
  GString *out = g_string_new(NULL);
  glong n = 0;
  for (const char *p = valid; *p && n <= SUMMARY_CHARS; p = g_utf8_next_char(p), n++) {
    gunichar c = g_utf8_get_char(p);
    g_string_append_unichar(out, g_unichar_iscntrl(c) ? ' ' : c);
  }
  if (n > SUMMARY_CHARS) {
    g_string_truncate(out, g_utf8_offset_to_pointer(out->str, SUMMARY_CHARS) - out->str);
    g_string_append(out, "\u2026");
  }
  return g_string_free(out, FALSE);
}

static const char *or_not_stated(const char *value)
{
  return value ? value : "not stated";
}

static char *esc(const char *text)
{
  return templates_escape_html(text);
}

/* --- plain text --- */

/* New and late incidents: reference, received, impact, category, then
 * the summary on the next line. */
static char *text_incidents(GPtrArray *items, GTimeZone *tz, GDateTime *now)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < items->len; i++) {
    const IgDigestItem *it = g_ptr_array_index(items, i);
    g_autofree char *at = iso_words(it->at, tz, now);
    g_autofree char *summary = one_line(it->summary);
    g_string_append_printf(s, "  %s  received %s  impact %s  %s\n    %s\n", it->reference, at,
                           or_not_stated(it->impact), or_not_stated(it->category), summary);
  }
  return g_string_free(s, FALSE);
}

static char *text_overdue(GPtrArray *items, GTimeZone *tz, GDateTime *now)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < items->len; i++) {
    const IgDigestItem *it = g_ptr_array_index(items, i);
    g_autofree char *due = iso_words(it->at, tz, now);
    g_string_append_printf(s, "  %s  %s  due %s\n", it->reference, it->kind, due);
  }
  return g_string_free(s, FALSE);
}

static char *text_counts(GPtrArray *rows, gboolean bars)
{
  gint64 max = 0;
  for (guint i = 0; i < rows->len; i++)
    max = MAX(max, ((const IgCountRow *)g_ptr_array_index(rows, i))->count);
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < rows->len; i++) {
    const IgCountRow *r = g_ptr_array_index(rows, i);
    g_string_append_printf(s, "  %-26s %5" G_GINT64_FORMAT, or_not_stated(r->key), r->count);
    if (bars && r->count) {
      gint64 n = MAX(1, r->count * TEXT_BAR / max);
      g_string_append_c(s, ' ');
      for (gint64 j = 0; j < n; j++)
        g_string_append_c(s, '#');
    }
    g_string_append_c(s, '\n');
  }
  return g_string_free(s, FALSE);
}

/* --- HTML --- */

#define TABLE "<table cellpadding=\"4\" cellspacing=\"0\" border=\"0\"" \
              " style=\"border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;" \
              "font-size:14px\""
#define TH "<th align=\"left\" bgcolor=\"#f3f2f1\" style=\"background-color:#f3f2f1;" \
           "border-bottom:1px solid #b1b4b6\">"
#define TD "<td valign=\"top\" style=\"border-bottom:1px solid #e5e5e5\">"

/* Appends a header row of the given names. */
static void html_head(GString *s, const char *const *names)
{
  g_string_append(s, "<tr>");
  for (const char *const *n = names; *n; n++)
    g_string_append_printf(s, TH "%s</th>", *n);
  g_string_append(s, "</tr>\n");
}

static void html_cell(GString *s, const char *text)
{
  g_autofree char *e = esc(text);
  g_string_append_printf(s, TD "%s</td>", e);
}

/* A reference or a time, kept on one line. */
static void html_cell_nowrap(GString *s, const char *text)
{
  g_autofree char *e = esc(text);
  g_string_append_printf(s, "<td valign=\"top\" nowrap style=\"border-bottom:1px solid #e5e5e5;"
                         "white-space:nowrap\">%s</td>", e);
}

static char *html_none(void)
{
  return g_strdup("<p style=\"color:#505a5f\">None.</p>\n");
}

static char *html_incidents(GPtrArray *items, const char *css_class, GTimeZone *tz,
                            GDateTime *now)
{
  static const char *const names[] = { "Reference", "Received", "Impact", "Category",
                                       "Summary", NULL };
  if (!items->len)
    return html_none();
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, TABLE " class=\"%s\">\n", css_class);
  html_head(s, names);
  for (guint i = 0; i < items->len; i++) {
    const IgDigestItem *it = g_ptr_array_index(items, i);
    g_autofree char *at = iso_words(it->at, tz, now);
    g_autofree char *summary = one_line(it->summary);
    g_string_append(s, "<tr>");
    html_cell_nowrap(s, it->reference);
    html_cell_nowrap(s, at);
    html_cell(s, or_not_stated(it->impact));
    html_cell(s, or_not_stated(it->category));
    html_cell(s, summary);
    g_string_append(s, "</tr>\n");
  }
  g_string_append(s, "</table>\n");
  return g_string_free(s, FALSE);
}

static char *html_overdue(GPtrArray *items, GTimeZone *tz, GDateTime *now)
{
  static const char *const names[] = { "Reference", "Deadline", "Was due", NULL };
  if (!items->len)
    return html_none();
  GString *s = g_string_new(TABLE " class=\"overdue\">\n");
  html_head(s, names);
  for (guint i = 0; i < items->len; i++) {
    const IgDigestItem *it = g_ptr_array_index(items, i);
    g_autofree char *due = iso_words(it->at, tz, now);
    g_string_append(s, "<tr>");
    html_cell_nowrap(s, it->reference);
    html_cell(s, it->kind);
    html_cell_nowrap(s, due);
    g_string_append(s, "</tr>\n");
  }
  g_string_append(s, "</table>\n");
  return g_string_free(s, FALSE);
}

/* Rows of name and count, and with bars a cell holding a one-cell table
 * whose width and background colour draw the bar. */
static char *html_counts(GPtrArray *rows, const char *css_class, const char *heading,
                         gboolean bars)
{
  const char *const names[] = { heading, "Incidents", bars ? "" : NULL, NULL };
  gint64 max = 0;
  for (guint i = 0; i < rows->len; i++)
    max = MAX(max, ((const IgCountRow *)g_ptr_array_index(rows, i))->count);
  GString *s = g_string_new(NULL);
  g_string_append_printf(s, TABLE " class=\"%s\">\n", css_class);
  html_head(s, names);
  for (guint i = 0; i < rows->len; i++) {
    const IgCountRow *r = g_ptr_array_index(rows, i);
    g_autofree char *name = esc(or_not_stated(r->key));
    g_string_append_printf(s, "<tr>" TD "%s</td><td align=\"right\" style=\"border-bottom:1px"
                           " solid #e5e5e5\">%" G_GINT64_FORMAT "</td>", name, r->count);
    if (bars) {
      g_string_append_printf(s, "<td width=\"%d\" style=\"border-bottom:1px solid #e5e5e5\">",
                             HTML_BAR);
      if (r->count) {
        gint64 px = MAX(2, r->count * HTML_BAR / max);
        const char *colour = r->key ? bar_colours[i % G_N_ELEMENTS(bar_colours)]
                                    : NOT_STATED_COLOUR;
        g_string_append_printf(s, "<table cellpadding=\"0\" cellspacing=\"0\" border=\"0\">"
                               "<tr><td bgcolor=\"%s\" width=\"%" G_GINT64_FORMAT "\""
                               " height=\"16\" style=\"background-color:%s;width:%"
                               G_GINT64_FORMAT "px;height:16px;font-size:1px;line-height:1px\">"
                               "&nbsp;</td></tr></table>", colour, px, colour, px);
      }
      g_string_append(s, "</td>");
    }
    g_string_append(s, "</tr>\n");
  }
  g_string_append(s, "</table>\n");
  return g_string_free(s, FALSE);
}

/* --- values --- */

static void put(GHashTable *vars, const char *name, char *value)
{
  g_hash_table_insert(vars, (gpointer)name, value);
}

static char *count_text(gint64 n)
{
  return g_strdup_printf("%" G_GINT64_FORMAT, n);
}

GHashTable *digest_vars(const IgDigest *d, GTimeZone *tz)
{
  GHashTable *v = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  GDateTime *now = d->now;
  put(v, "date", date_words(now, tz, now, FALSE));
  put(v, "now", date_words(now, tz, now, TRUE));
  put(v, "timezone", g_strdup(g_time_zone_get_identifier(tz)));
  if (d->since)
    put(v, "since", iso_words(d->since, tz, now));
  put(v, "new_count", count_text(d->new_incidents->len));
  put(v, "new_list", text_incidents(d->new_incidents, tz, now));
  put(v, "new_table", html_incidents(d->new_incidents, "new", tz, now));
  put(v, "open_total", count_text(d->open_total));
  put(v, "open_status", text_counts(d->open_by_status, FALSE));
  put(v, "open_impact", text_counts(d->open_by_impact, FALSE));
  put(v, "open_status_table", html_counts(d->open_by_status, "status", "Status", FALSE));
  put(v, "open_impact_table", html_counts(d->open_by_impact, "impact", "Impact", FALSE));
  put(v, "overdue_count", count_text(d->overdue->len));
  put(v, "overdue_list", text_overdue(d->overdue, tz, now));
  put(v, "overdue_table", html_overdue(d->overdue, tz, now));
  put(v, "late_count", count_text(d->late->len));
  put(v, "late_list", text_incidents(d->late, tz, now));
  put(v, "late_table", html_incidents(d->late, "late", tz, now));
  put(v, "quarter", g_strdup(d->quarter));
  put(v, "quarter_from", date_words(d->quarter_start, tz, now, FALSE));
  put(v, "quarter_total", count_text(d->quarter_total));
  put(v, "chart_text", text_counts(d->by_category, TRUE));
  put(v, "chart", html_counts(d->by_category, "chart", "Category", TRUE));
  put(v, "head_hash", g_strdup(d->head_hash));
  if (d->head_at)
    put(v, "head_at", iso_words(d->head_at, tz, now));
  return v;
}

gboolean digest_render(const IgDigest *d, IgTemplates *templates, GTimeZone *tz,
                       char **subject, char **text, char **html, GError **error)
{
  *subject = *text = *html = NULL;
  g_autoptr(GHashTable) vars = digest_vars(d, tz);
  if (!templates_render(templates, "digest", vars, subject, text, error))
    return FALSE;
  *html = templates_render_html(templates, "digest", vars, error);
  if (!*html) {
    g_clear_pointer(subject, g_free);
    g_clear_pointer(text, g_free);
    return FALSE;
  }
  return TRUE;
}

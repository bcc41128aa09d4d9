/* form_table.c - a form pasted as a table, back to "Label: value" lines
 * (form_table.h).
 *
 * One pass over the lines. A line of cells (" | " between them) that
 * holds a label becomes one line per label, the cells after a label its
 * value and a ":" cell dropped; a line that is only ":" joins the label on
 * the line above it, and the blank lines after it go, so that the value
 * below is read as the label's. Each cell is asked once whether it is a
 * label, and only its first bytes, so the pass is linear. Pure. */
#include "parsers/form_table.h"

#include <string.h>

/* Longest cell that may be a label, as form.c reads no further. */
#define CELL_LABEL_MAX 80

static void trim(const char **s, const char **e)
{
  while (*s < *e && g_ascii_isspace(**s))
    (*s)++;
  while (*e > *s && g_ascii_isspace((*e)[-1]))
    (*e)--;
}

static gboolean only_colon(const char *s, const char *e)
{
  trim(&s, &e);
  return e - s == 1 && *s == ':';
}

/* A cell that is a label, with its colon or not: [*s, *e) narrowed to the
 * label alone. */
static gboolean label_cell(const char **s, const char **e,
                           FormIsLabel is_label)
{
  const char *ls = *s, *le = *e;
  trim(&ls, &le);
  if (le > ls && le[-1] == ':')
    le--;
  trim(&ls, &le);
  if (le == ls || le - ls > CELL_LABEL_MAX || !is_label(ls, (gsize)(le - ls)))
    return FALSE;
  *s = ls;
  *e = le;
  return TRUE;
}

/* Writes a row of cells [p, end): "Label | : | value | Label2: | value2"
 * as "Label: value\nLabel2: value2"; a row without a label as it is.
 * Returns TRUE when the row ended on a label with no value. */
static gboolean untable_row(GString *out, const char *p, const char *end,
                            FormIsLabel is_label)
{
  gboolean any = FALSE, in_label = FALSE, have_value = FALSE;
  const gsize start = out->len;
  for (const char *c = p; c <= end;) {
    const char *bar = memchr(c, '|', (gsize)(end - c));
    const char *ce = bar ? bar : end, *s = c, *e = ce;
    if (only_colon(s, e) && in_label) {
      /* the label already has its colon */
    } else if (label_cell(&s, &e, is_label)) {
      if (out->len > start)
        g_string_append_c(out, '\n');
      g_string_append_len(out, s, e - s);
      g_string_append_c(out, ':');
      any = in_label = TRUE;
      have_value = FALSE;
    } else {
      trim(&s, &e);
      if (s < e) {
        if (in_label)
          g_string_append_c(out, ' ');
        else if (out->len > start)
          g_string_append(out, " | ");
        g_string_append_len(out, s, e - s);
        have_value = have_value || in_label;
      }
    }
    c = ce + 1;
  }
  if (!any) {
    g_string_truncate(out, start);
    g_string_append_len(out, p, end - p);
  }
  return in_label && !have_value;
}

/* TRUE when some line of text is only ":" (cells pasted one per line). */
static gboolean has_colon_line(const char *text)
{
  for (const char *p = text; p; p = strchr(p, '\n')) {
    const char *e;
    p += *p == '\n';
    e = strchr(p, '\n');
    if (only_colon(p, e ? e : p + strlen(p)))
      return TRUE;
  }
  return FALSE;
}

char *form_untable(const char *text, FormIsLabel is_label)
{
  GString *out;
  gsize last_end = 0;        /* where the last line with words ended */
  gboolean bare_label = FALSE, drop_blanks = FALSE;

  if (!text || (!strchr(text, '|') && !has_colon_line(text)))
    return NULL;
  out = g_string_sized_new(strlen(text));
  for (const char *p = text; *p;) {
    const char *nl = strchr(p, '\n');
    const char *e = nl ? nl : p + strlen(p), *s = p, *ts = p, *te = e;
    trim(&ts, &te);
    if (ts == te) {
      if (!drop_blanks)
        g_string_append_len(out, s, e - s);
    } else if (only_colon(ts, te) && bare_label) {
      /* "Label" / ":" / "value": the label takes the colon, and the
       * value below it comes next */
      g_string_truncate(out, last_end);
      g_string_append_c(out, ':');
      bare_label = FALSE;
      drop_blanks = TRUE;
    } else {
      const char *ls = ts, *le = te;
      drop_blanks = FALSE;
      if (memchr(ts, '|', (gsize)(te - ts)))
        bare_label = untable_row(out, s, e, is_label);
      else {
        g_string_append_len(out, s, e - s);
        bare_label = label_cell(&ls, &le, is_label) && te[-1] != ':';
      }
      last_end = out->len;
    }
    if (!nl)
      break;
    if (!drop_blanks || ts != te)
      g_string_append_c(out, '\n');
    p = nl + 1;
  }
  return g_string_free(out, FALSE);
}

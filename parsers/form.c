/* form.c - the IT Security Incident Report Form (SPEC section 4).
 *
 * Two passes over the lines. The first classifies each line on its own
 * (label of a known field, quoted, signature separator, forward marker,
 * sign-off, blank, text); the second walks the lines, gives each label the
 * lines that continue it and keeps the first non-empty value per field.
 * Only then are values converted (dates, enumerations, address; in
 * form_convert.c), so every problem names the field as the form spells
 * it. Labels are matched by exact lookup after normalising, never by
 * searching inside text, and only a bounded prefix of a line is ever read
 * as a label, so the work stays linear in the size of the text. Intake runs this on every message, so
 * lines are read in place and classified without allocating: only the
 * values kept are copied. Pure: text in, struct out. */
#include "parsers/form.h"

#include <stdlib.h>
#include <string.h>

#include "parsers/form_convert.h"
#include "parsers/form_labels.h"
#include "parsers/form_table.h"

/* The separator ending a label must come within LABEL_SCAN bytes (room
 * for bullets, markdown and a hint in brackets). */
#define LABEL_SCAN 80
/* Longest line that may be a forward marker or a sign-off. */
#define MARKER_MAX 100

const char *const form_categories[] = {
  "phishing", "malware", "unauthorised-access", "account-compromise",
  "lost-or-stolen-equipment", "data-breach", "denial-of-service",
  "policy-breach", "suspicious-activity", "supply-chain", "physical",
  "other", NULL };

typedef enum {
  L_TEXT, L_BLANK, L_LABEL, L_QUOTE, L_SIGNATURE, L_SIGN_OFF, L_FORWARD
} LineKind;

/* One line of the text, read in place: nothing is kept per line, so
 * memory does not grow with the number of lines. */
typedef struct {
  const char *p;    /* not NUL-terminated at len */
  gsize len;        /* without the line ending */
  const char *next; /* the following line, NULL at the end */
  LineKind kind;
  Field field;      /* L_LABEL */
  gsize value_off;  /* L_LABEL: where the value starts */
  gboolean markup;  /* L_LABEL: label was wrapped in * or _ */
} Line;

static gboolean is_blank(const char *p, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace(p[i]))
      return FALSE;
  return TRUE;
}

static gsize indent_of(const char *p, gsize len)
{
  gsize i = 0;
  while (i < len && (p[i] == ' ' || p[i] == '\t'))
    i++;
  return i;
}

/* g_ascii_tolower() as an expression: it runs for every byte of a label,
 * where a function call per byte costs more than the rest. */
#define ASCII_LOWER(c) ((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' + 'a' : (c))

/* TRUE when s[0..len) is one of the lower-case words, ignoring ASCII case.
 * Runs for most lines, so a word is only read further when its first
 * letter matches; s need not be lowered or copied first. */
static gboolean in_list(const char *s, gsize len, const char *const *words)
{
  const char first = len > 0 ? ASCII_LOWER(s[0]) : '\0';
  for (; *words; words++)
    if ((*words)[0] == first && strlen(*words) == len &&
        g_ascii_strncasecmp(*words, s, len) == 0)
      return TRUE;
  return FALSE;
}

/* The length of one leading bullet, number or heading mark ("- ", "* ",
 * "• ", "1. ", "2) ", "## "); 0 if there is none. A mark must be followed
 * by white space, so "**Name" and "1.5" are not bullets; that space is
 * left to the caller. */
static gsize skip_bullet(const char *p, gsize len)
{
  gsize i = 0;
  if (len > 0 && p[0] == '#') {
    while (i < len && p[i] == '#')
      i++;
  } else if (len > 0 && strchr("-*+", p[0])) {
    i = 1;
  } else if (len >= 3 && (guchar)p[0] == 0xE2 && (guchar)p[1] == 0x80 &&
             (guchar)p[2] == 0xA2) {
    i = 3; /* U+2022 BULLET */
  } else if (len >= 2 && (guchar)p[0] == 0xC2 && (guchar)p[1] == 0xB7) {
    i = 2; /* U+00B7 MIDDLE DOT */
  } else {
    while (i < len && i < 3 && g_ascii_isdigit(p[i]))
      i++;
    if (i == 0 || i >= len || (p[i] != '.' && p[i] != ')'))
      return 0;
    i++;
  }
  if (i >= len || (p[i] != ' ' && p[i] != '\t'))
    return 0;
  return i;
}

/* Room for a normalised label: the text before the separator is shorter
 * than LABEL_SCAN, and at most three bytes are written per byte read ("&"
 * becomes "and"; a space is written for white space read before). All of
 * it is kept, however long: dropping a hint in brackets may leave a known
 * label. */
#define LABEL_BUF (3 * LABEL_SCAN + 1)

/* Normalises the text before a separator into table form, in out (of
 * LABEL_BUF bytes): lower case, markdown and required-markers gone, single
 * spaces, "&" as "and", no spaces around "/". Returns the length; 0 when
 * it cannot be a label. Runs for most lines, so it allocates nothing. */
static gsize normalize_label(const char *p, gsize len, char *out,
                             gboolean *markup)
{
  gsize i = indent_of(p, len), n = 0;
  gboolean space = FALSE;

  i += skip_bullet(p + i, len - i);
  for (; i < len; i++) {
    const char c = p[i];
    if (c == '*' || c == '_') {
      *markup = TRUE;
    } else if (g_ascii_isspace(c)) {
      space = n > 0;
    } else {
      if (space && c != '/' && out[n - 1] != '/')
        out[n++] = ' ';
      space = FALSE;
      if (c == '&') {
        memcpy(out + n, "and", 3);
        n += 3;
      } else {
        out[n++] = ASCII_LOWER(c);
      }
    }
  }
  /* "Tel.", "Was this a near miss?" */
  while (n > 0 && (out[n - 1] == '?' || out[n - 1] == '.'))
    n--;
  out[n] = '\0';
  return n;
}

static int compare_labels(const void *a, const void *b)
{
  return strcmp(((const LabelEntry *)a)->label,
                ((const LabelEntry *)b)->label);
}

/* Finds the field a normalised label of len bytes names, by binary search
 * of the sorted label_table. A trailing parenthesis such as "(required)"
 * or "(dd/mm/yyyy hh:mm)" is a hint to the reader, so it is cut off the
 * label when the whole label is not known. */
static gboolean find_label(char *label, gsize len, Field *field)
{
  for (int pass = 0; pass < 2; pass++) {
    const LabelEntry key = { label, F_COUNT };
    const LabelEntry *e = bsearch(&key, label_table, G_N_ELEMENTS(label_table),
                                  sizeof label_table[0], compare_labels);
    const char *open;
    if (e) {
      *field = e->field;
      return TRUE;
    }
    if (len == 0 || label[len - 1] != ')' || !(open = strrchr(label, '(')))
      return FALSE;
    /* normalised, so the only white space is a single ' ' */
    for (len = (gsize)(open - label); len > 0 && label[len - 1] == ' '; len--)
      ;
    label[len] = '\0';
  }
  return FALSE;
}

/* TRUE when p[0..len), a whole cell of a table, is a known label. */
static gboolean is_label_cell(const char *p, gsize len)
{
  char label[LABEL_BUF];
  gboolean markup = FALSE;
  Field field;
  gsize n;
  if (len >= LABEL_SCAN)
    return FALSE;
  n = normalize_label(p, len, label, &markup);
  return find_label(label, n, &field);
}

/* Narrows [*s, *e) to exclude leading and trailing white space. */
static void strip_span(const char **s, const char **e)
{
  while (*s < *e && g_ascii_isspace(**s))
    (*s)++;
  while (*e > *s && g_ascii_isspace((*e)[-1]))
    (*e)--;
}

/* Short lines that end a value: a forward marker ("-----Original
 * Message-----", "---------- Forwarded message ---------", "Begin forwarded
 * message:"), the rule of underscores Outlook puts above a quoted message,
 * or a sign-off ("Kind regards,"). L_TEXT for anything else. Read in place
 * and dispatched on the first character, since most lines are neither. */
static LineKind marker_kind(const char *p, gsize len)
{
  static const char forwarded[] = "begin forwarded message:";
  const char *s = p, *e = p + len, *t;
  if (len > MARKER_MAX)
    return L_TEXT;
  /* classify_line() passes no blank line, so s < e */
  strip_span(&s, &e);
  if (*s == '_') {
    for (t = s; t < e && *t == '_'; t++)
      ;
    return t == e && e - s >= 10 ? L_FORWARD : L_TEXT;
  }
  if (*s == '-') {
    /* dashes, the words, then dashes and perhaps more: only the words
     * count, and one dash is not a marker (nor a sign-off) */
    for (t = s; t < e && *t == '-'; t++)
      ;
    if (t - s < 2)
      return L_TEXT;
    s = t;
    if ((t = memchr(s, '-', (gsize)(e - s))))
      e = t;
    strip_span(&s, &e);
    return in_list(s, (gsize)(e - s),
                   WORDS("original message", "forwarded message"))
               ? L_FORWARD
               : L_TEXT;
  }
  if ((gsize)(e - s) == sizeof forwarded - 1 &&
      g_ascii_strncasecmp(s, forwarded, sizeof forwarded - 1) == 0)
    return L_FORWARD;
  while (e > s && strchr(",.!", e[-1]))
    e--;
  return in_list(s, (gsize)(e - s), sign_offs) ? L_SIGN_OFF : L_TEXT;
}

/* Position of the ':' or '=' ending a label, or len. One inside brackets
 * belongs to a hint: "Date and time of detection (dd/mm/yyyy hh:mm):".
 * Most lines have no separator, or no bracket before the first one, which
 * memchr() settles without a loop over the bytes here. */
static gsize find_separator(const char *p, gsize len)
{
  const char *colon = memchr(p, ':', len), *equals = memchr(p, '=', len);
  const char *first = !colon ? equals : !equals ? colon : MIN(colon, equals);
  int depth = 0;
  if (!first)
    return len;
  if (!memchr(p, '(', (gsize)(first - p)))
    return (gsize)(first - p);
  for (gsize i = 0; i < len; i++) {
    if (p[i] == '(')
      depth++;
    else if (p[i] == ')' && depth > 0)
      depth--;
    else if (depth == 0 && (p[i] == ':' || p[i] == '='))
      return i;
  }
  return len;
}

/* Finds the line starting at p; FALSE at the end of the text. */
static gboolean line_at(const char *p, Line *l)
{
  const char *nl;
  if (!p || !*p)
    return FALSE;
  nl = strchr(p, '\n');
  *l = (Line){ .p = p, .len = nl ? (gsize)(nl - p) : strlen(p),
               .next = nl ? nl + 1 : NULL };
  if (l->len > 0 && p[l->len - 1] == '\r')
    l->len--;
  return TRUE;
}

/* Normalises the text before a line's separator into label (of
 * LABEL_BUF bytes); returns its length, 0 (and "") when the line has no
 * label. */
static gsize line_label(const Line *l, char *label, gsize *sep,
                        gboolean *markup)
{
  const gsize scan = MIN(l->len, LABEL_SCAN);
  *sep = find_separator(l->p, scan);
  if (*sep < scan)
    return normalize_label(l->p, *sep, label, markup);
  *label = '\0';
  return 0;
}

static void classify_line(Line *l)
{
  char label[LABEL_BUF];
  gsize sep, len;
  Line next;

  if (is_blank(l->p, l->len)) {
    l->kind = L_BLANK;
    return;
  }
  if (l->p[0] == '>') {
    l->kind = L_QUOTE;
    return;
  }
  if (l->len >= 2 && l->p[0] == '-' && l->p[1] == '-' &&
      is_blank(l->p + 2, l->len - 2)) {
    l->kind = L_SIGNATURE;
    return;
  }
  /* A known label wins, so it is tried first; no marker normalises to
   * one (markers start with "--", "__" or "begin", or have no separator). */
  len = line_label(l, label, &sep, &l->markup);
  if (find_label(label, len, &l->field)) {
    l->kind = L_LABEL;
    l->value_off = sep + 1;
    return;
  }
  l->kind = marker_kind(l->p, l->len);
  /* Outlook starts a quoted message with a From: line then Sent: (the
   * label as find_label() left it, so "From (work):" counts) */
  if (strcmp(label, "from") == 0 && line_at(l->next, &next)) {
    char next_label[LABEL_BUF];
    gboolean unused;
    len = line_label(&next, next_label, &sep, &unused);
    if (in_list(next_label, len, WORDS("sent", "date")))
      l->kind = L_FORWARD;
  }
}

static gboolean is_multiline(Field f)
{
  return f == F_DESCRIPTION || f == F_ACTIONS_TAKEN || f == F_SYSTEMS_AFFECTED;
}

static gboolean is_markup_or_space(char c)
{
  return c == '*' || c == '_' || g_ascii_isspace(c);
}

/* The value on the label line itself, without the markdown that closed
 * the label or wraps the value ("**Name:** Jane", "**Name:** **Jane**"):
 * sets *len and returns where it starts, in the line. */
static const char *label_line_value(const Line *l, gsize *len)
{
  const char *s = l->p + l->value_off, *e = l->p + l->len;
  if (l->markup) {
    while (s < e && is_markup_or_space(*s))
      s++;
    while (e > s && is_markup_or_space(e[-1]))
      e--;
  } else {
    strip_span(&s, &e);
  }
  *len = (gsize)(e - s);
  return s;
}

/* Reads and classifies the line at *p, and moves *p past it. */
static gboolean next_line(const char **p, Line *l)
{
  if (!line_at(*p, l))
    return FALSE;
  classify_line(l);
  *p = l->next;
  return TRUE;
}

/* Collects the value of the field labelled on line *l, whose following
 * lines start at *p. Leaves in *l the first line not part of the value
 * (already read, *p after it); FALSE when the text ended instead. Two
 * passes over the continuation: one classifies the lines to find its
 * extent and common indentation, one copies it, only splitting lines
 * again, into a string sized once. */
static gboolean collect_value(Line *l, const char **p, char **out)
{
  const gboolean multi = is_multiline(l->field);
  GString *v;
  gsize first_len;
  const char *first = label_line_value(l, &first_len);
  const char *start = *p, *last_end = NULL;
  gsize common = G_MAXSIZE;
  gboolean pending_break = FALSE, more;
  Line c;

  while ((more = next_line(p, l))) {
    /* A single-line value continues on indented lines only, except that
     * a label left empty takes the line right under it, as forms pasted
     * from a table often look ("Reporter name:\nJane Smith"). */
    const gboolean under_empty = l->p == start && first_len == 0;
    if (l->kind != L_TEXT && l->kind != L_BLANK)
      break;
    if (!multi && (l->kind == L_BLANK ||
                   (indent_of(l->p, l->len) == 0 && !under_empty)))
      break;
    if (l->kind == L_TEXT) {
      last_end = l->p + l->len;
      common = MIN(common, indent_of(l->p, l->len));
    }
  }

  if (!last_end) {
    /* the common case: the value is on the label line alone */
    *out = g_strndup(first, first_len);
    return more;
  }
  /* the copy is no longer than the lines it comes from, so one
   * allocation is enough */
  v = g_string_sized_new(first_len + 2 + (gsize)(last_end - start));
  g_string_append_len(v, first, (gssize)first_len);
  for (const char *q = start; line_at(q, &c) && c.p < last_end;
       q = c.next) {
    gsize len = c.len;
    if (is_blank(c.p, c.len)) {
      pending_break = TRUE;
      continue;
    }
    /* not blank, so a character that is not a space stops this */
    while (g_ascii_isspace(c.p[len - 1]))
      len--;
    if (!multi) {
      const gsize ind = indent_of(c.p, len);
      if (v->len > 0)
        g_string_append_c(v, ' ');
      g_string_append_len(v, c.p + ind, (gssize)(len - ind));
      continue;
    }
    /* Runs of blank lines become one paragraph break. */
    if (v->len > 0)
      g_string_append(v, pending_break ? "\n\n" : "\n");
    pending_break = FALSE;
    g_string_append_len(v, c.p + common, (gssize)(len - common));
  }
  g_strstrip(v->str);
  *out = g_string_free(v, FALSE);
  return more;
}

static gboolean is_null_value(const char *value, Field f)
{
  const gsize len = strlen(value);
  return in_list(value, len, null_markers) ||
         (f == F_SUPPLIER && in_list(value, len, no_supplier_markers));
}

/* Text converted from HTML is full of no-break spaces (U+00A0, U+202F)
 * where a plain space was meant; as spaces, labels and values read alike. */
static char *plain_spaces(const char *text)
{
  GString *s = g_string_sized_new(strlen(text));
  for (const char *p = text; *p; p++) {
    if ((guchar)p[0] == 0xC2 && (guchar)p[1] == 0xA0) {
      g_string_append_c(s, ' ');
      p += 1;
    } else if ((guchar)p[0] == 0xE2 && (guchar)p[1] == 0x80 &&
               (guchar)p[2] == 0xAF) {
      g_string_append_c(s, ' ');
      p += 2;
    } else {
      g_string_append_c(s, *p);
    }
  }
  return g_string_free(s, FALSE);
}

IgForm *form_parse(const char *text, GTimeZone *tz)
{
  IgForm *form = g_new0(IgForm, 1);
  g_autofree char *valid = NULL, *plain = NULL, *untabled = NULL;
  char *raw[F_COUNT] = { 0 };
  gboolean seen[F_COUNT] = { 0 }, joined[F_COUNT] = { 0 };
  gboolean in_signature = FALSE, any_label = FALSE, more;
  const char *p;
  Line l;

  form->problems = g_ptr_array_new_with_free_func(g_free);
  if (!text)
    return form;
  form->near_miss = -1;
  /* Values are copied out verbatim, so they must be valid UTF-8. */
  if (!g_utf8_validate(text, -1, NULL))
    text = valid = g_utf8_make_valid(text, -1);
  if (strstr(text, "\xC2\xA0") || strstr(text, "\xE2\x80\xAF"))
    text = plain = plain_spaces(text);
  /* a table pasted with its cells apart, back to "Label: value" lines */
  if ((untabled = form_untable(text, is_label_cell)))
    text = untabled;
  p = text;
  more = next_line(&p, &l);
  while (more) {
    if (in_signature) {
      /* after a signature only a forwarded message can hold the form */
      in_signature = l.kind != L_FORWARD;
    } else if (l.kind == L_SIGNATURE || (l.kind == L_SIGN_OFF && any_label)) {
      in_signature = TRUE;
    } else if (l.kind == L_LABEL) {
      g_autofree char *value = NULL;
      const Field f = l.field;
      any_label = TRUE;
      if (!seen[f])
        form->labels_found++;
      seen[f] = TRUE;
      more = collect_value(&l, &p, &value);
      if (!raw[f] && value[0] && !is_null_value(value, f)) {
        raw[f] = g_steal_pointer(&value);
      } else if (raw[f] && value[0] && !joined[f] &&
                 (f == F_DETECTED_AT || f == F_OCCURRED_AT)) {
        /* "Date of detection: 21/11/2026" then "Time detected: 19:45":
         * one value in two lines, and never more (a value grown by every
         * repeat of the label would be copied again each time). */
        char *both = g_strdup_printf("%s %s", raw[f], value);
        g_free(raw[f]);
        raw[f] = both;
        joined[f] = TRUE;
      }
      continue; /* l is already the next line */
    }
    more = next_line(&p, &l);
  }

  form_convert(form, raw, tz);
  /* a form without the line says nothing of a near miss: as free text
   * that does not mention one, no; a line left blank is not known */
  if (!seen[F_NEAR_MISS])
    form->near_miss = 0;
  for (gsize k = 0; k < F_COUNT; k++)
    g_free(raw[k]);
  return form;
}

void form_free(IgForm *form)
{
  if (!form)
    return;
  g_free(form->reporter_name);
  g_free(form->reporter_email);
  g_free(form->reporter_phone);
  g_free(form->business_area);
  g_clear_pointer(&form->detected_at, g_date_time_unref);
  g_free(form->detected_text);
  g_clear_pointer(&form->occurred_at, g_date_time_unref);
  g_free(form->category);
  g_free(form->impact);
  g_free(form->personal_data);
  g_free(form->systems_affected);
  g_free(form->information_asset);
  g_free(form->supplier);
  g_free(form->description);
  g_free(form->actions_taken);
  g_ptr_array_unref(form->problems);
  g_free(form);
}

gboolean form_is_form(const IgForm *form)
{
  return form && form->labels_found >= 2;
}

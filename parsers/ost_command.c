/* ost_command.c - the commands of an OST reply (ost_command.h).
 *
 * One pass over the lines: a line with a command key is read and checked
 * at once; Report and Note gather the lines after theirs until the next
 * command line, so each line is looked at once and the work is linear.
 * Category, impact and the yes/no answers are read by the form's own
 * normalisers (form.h), so a value the form accepts is accepted here. */
#include "parsers/ost_command.h"

#include <string.h>

#include "parsers/form.h"
#include "parsers/text_span.h"

/* A key is at most this many bytes before its colon ("Personal data
 * involved"), so "Hi team, about yesterday: ..." is never read as one. */
#define KEY_MAX 32
/* A refused value is quoted back in its error up to this many characters. */
#define QUOTE_MAX 100

static const struct {
  const char *name; /* lower case, separators folded to one space */
  IgOstCommandKey key;
} key_names[] = {
  { "status", IG_CMD_STATUS },
  { "impact", IG_CMD_IMPACT },
  { "category", IG_CMD_CATEGORY },
  { "incident category", IG_CMD_CATEGORY },
  { "owner", IG_CMD_OWNER },
  { "near miss", IG_CMD_NEAR_MISS },
  { "nearmiss", IG_CMD_NEAR_MISS },
  { "personal data", IG_CMD_PERSONAL_DATA },
  { "personal data involved", IG_CMD_PERSONAL_DATA },
  { "duplicate of", IG_CMD_DUPLICATE_OF },
  { "report", IG_CMD_REPORT },
  { "management report", IG_CMD_REPORT },
  { "note", IG_CMD_NOTE },
};

static const char *const key_titles[IG_CMD_COUNT] = {
  [IG_CMD_STATUS] = "Status", [IG_CMD_IMPACT] = "Impact",
  [IG_CMD_CATEGORY] = "Category", [IG_CMD_OWNER] = "Owner",
  [IG_CMD_NEAR_MISS] = "Near-miss", [IG_CMD_PERSONAL_DATA] = "Personal-data",
  [IG_CMD_DUPLICATE_OF] = "Duplicate-of", [IG_CMD_REPORT] = "Report",
  [IG_CMD_NOTE] = "Note",
};

static const char *const statuses[] = {
  "new", "triaged", "investigating", "contained", "resolved", "closed", "rejected", NULL };

const char *ost_command_key_name(IgOstCommandKey key)
{
  return key < IG_CMD_COUNT ? key_titles[key] : "?";
}

static void command_free(gpointer data)
{
  IgOstCommand *c = data;
  g_free(c->value);
  g_free(c->reason);
  g_free(c->line);
  g_free(c);
}

void ost_commands_free(IgOstCommands *c)
{
  if (!c)
    return;
  g_ptr_array_unref(c->commands);
  g_ptr_array_unref(c->prose);
  g_ptr_array_unref(c->errors);
  g_free(c);
}

/* The first max characters of [s, e), never past e. */
static char *cut_chars(const char *s, const char *e, gsize max)
{
  const char *p = s;
  for (gsize n = 0; p < e && n < max; n++)
    p = g_utf8_next_char(p);
  return g_strndup(s, (gsize)(MIN(p, e) - s));
}

static gboolean is_marker(char c)
{
  return c == '*' || c == '_';
}

/* The command named by [s, e), at most KEY_MAX bytes: lower case, with
 * "-", "_" and runs of white space folded to one space. */
static gboolean lookup_key(const char *s, const char *e, IgOstCommandKey *key)
{
  char name[KEY_MAX + 1];
  gsize n = 0;
  for (const char *p = s; p < e && n < KEY_MAX; p++) {
    const char c = (*p == '-' || *p == '_' || *p == '\t') ? ' ' : g_ascii_tolower(*p);
    if (c == ' ' && (n == 0 || name[n - 1] == ' '))
      continue;
    name[n++] = c;
  }
  name[n] = '\0';
  for (gsize k = 0; k < G_N_ELEMENTS(key_names); k++)
    if (strcmp(name, key_names[k].name) == 0) {
      *key = key_names[k].key;
      return TRUE;
    }
  return FALSE;
}

/* When [s, e) is a command line, its key and the span of its value (bold
 * markers and white space around it removed). */
static gboolean read_key(const char *s, const char *e, IgOstCommandKey *key, const char **vs,
                         const char **ve)
{
  const char *colon, *ke;
  gboolean bold;
  span_trim(&s, &e);
  if (e - s >= 2 && (*s == '-' || *s == '+') && s[1] == ' ')
    s += 2;
  else if (e - s >= 4 && memcmp(s, "\xE2\x80\xA2 ", 4) == 0) /* "• " */
    s += 4;
  bold = s < e && is_marker(*s);
  while (s < e && is_marker(*s))
    s++;
  colon = memchr(s, ':', MIN((gsize)(e - s), (gsize)KEY_MAX));
  if (!colon)
    return FALSE;
  for (ke = colon; ke > s && (is_marker(ke[-1]) || ke[-1] == ' '); ke--)
    ;
  if (!lookup_key(s, ke, key))
    return FALSE;
  for (s = colon + 1; s < e && (is_marker(*s) || g_ascii_isspace(*s)); s++)
    ;
  if (bold)
    while (e > s && is_marker(e[-1]))
      e--;
  span_trim(&s, &e);
  *vs = s;
  *ve = e;
  return TRUE;
}

gboolean ost_command_line(const char *line, gsize len)
{
  IgOstCommandKey key;
  const char *vs, *ve;
  return read_key(line, line + len, &key, &vs, &ve);
}

/* Leading white space, punctuation and dashes (ASCII, en and em). */
static const char *skip_separators(const char *s, const char *e)
{
  while (s < e) {
    if (g_ascii_isspace(*s) || strchr("-:,;.(", *s))
      s++;
    else if (e - s >= 3 && (memcmp(s, "\xE2\x80\x93", 3) == 0 ||
                            memcmp(s, "\xE2\x80\x94", 3) == 0))
      s += 3;
    else
      break;
  }
  return s;
}

static gboolean read_status(const char *s, const char *e, char **value, char **reason)
{
  const char *w = s;
  while (w < e && g_ascii_isalpha(*w))
    w++;
  if (w == s || (w < e && g_ascii_isalnum(*w)))
    return FALSE;
  for (const char *const *st = statuses; *st; st++) {
    if ((gsize)(w - s) != strlen(*st) || g_ascii_strncasecmp(s, *st, (gsize)(w - s)) != 0)
      continue;
    const char *r = skip_separators(w, e), *re = e;
    if (r < re && re[-1] == ')' && memchr(w, '(', (gsize)(r - w)))
      re--;
    span_trim(&r, &re);
    *value = g_strdup(*st);
    *reason = r < re ? cut_chars(r, re, OST_REASON_MAX) : NULL;
    return TRUE;
  }
  return FALSE;
}

static gboolean address_char(char c)
{
  return c > ' ' && c < 0x7f && !strchr(",;<>()[]\"\\:", c);
}

/* "jane@example.org", "Jane Smith <jane@example.org>" or Outlook's
 * "jane@example.org<mailto:jane@example.org>": one addr-spec, lower case. */
static char *read_owner(const char *s, const char *e)
{
  const char *lt = memchr(s, '<', (gsize)(e - s)), *at = NULL;
  if (lt) {
    const char *gt = memchr(lt, '>', (gsize)(e - lt));
    if (!gt)
      return NULL;
    s = lt + 1;
    e = gt;
    if (e - s > 7 && g_ascii_strncasecmp(s, "mailto:", 7) == 0)
      s += 7;
    span_trim(&s, &e);
  }
  if (e - s < 3 || e - s > 254)
    return NULL;
  for (const char *p = s; p < e; p++) {
    if (*p == '@') {
      if (at)
        return NULL;
      at = p;
    } else if (!address_char(*p)) {
      return NULL;
    }
  }
  if (!at || at == s || e - at < 4)
    return NULL;
  const char *dot = memchr(at + 1, '.', (gsize)(e - at - 1));
  if (!dot || dot == at + 1 || e[-1] == '.' || g_strstr_len(at, e - at, ".."))
    return NULL;
  return g_ascii_strdown(s, e - s);
}

static gboolean all_digits(const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit(s[i]))
      return FALSE;
  return TRUE;
}

/* PREFIX-YYYY-NNNNNN, in brackets or not; upper case. */
static char *read_reference(const char *s, const char *e, const char *prefix)
{
  const gsize plen = strlen(prefix);
  if (s < e && *s == '[' && e[-1] == ']') {
    s++;
    e--;
  } else if (e > s && e[-1] == '.') {
    e--;
  }
  span_trim(&s, &e);
  if ((gsize)(e - s) != plen + 12 || g_ascii_strncasecmp(s, prefix, plen) != 0)
    return NULL;
  s += plen;
  if (s[0] != '-' || !all_digits(s + 1, 4) || s[5] != '-' || !all_digits(s + 6, 6))
    return NULL;
  return g_ascii_strup(s - plen, (gssize)(plen + 12));
}

/* Checks the value of a one-line command; fills c or returns the reason
 * it is refused (what the value should be). */
static const char *read_value(IgOstCommand *c, const char *s, const char *e, const char *prefix)
{
  g_autofree char *v = g_strndup(s, (gsize)(e - s));
  const char *norm = NULL;
  switch (c->key) {
  case IG_CMD_STATUS:
    return read_status(s, e, &c->value, &c->reason)
               ? NULL : "not one of new, triaged, investigating, contained, resolved, "
                        "closed, rejected";
  case IG_CMD_IMPACT:
    norm = form_normalize_impact(v);
    if (!norm)
      return "not one of low, medium, high";
    break;
  case IG_CMD_CATEGORY:
    norm = form_normalize_category(v);
    if (!norm)
      return "not one of phishing, malware, unauthorised-access, account-compromise, "
             "lost-or-stolen-equipment, data-breach, denial-of-service, policy-breach, "
             "suspicious-activity, supply-chain, physical, other";
    break;
  case IG_CMD_OWNER:
    c->value = read_owner(s, e);
    return c->value ? NULL : "not an email address";
  case IG_CMD_NEAR_MISS:
    norm = form_normalize_yes_no_unknown(v);
    if (g_strcmp0(norm, "yes") != 0 && g_strcmp0(norm, "no") != 0)
      return "not yes or no";
    break;
  case IG_CMD_PERSONAL_DATA:
    norm = form_normalize_yes_no_unknown(v);
    if (!norm)
      return "not one of yes, no, unknown";
    break;
  case IG_CMD_DUPLICATE_OF:
    c->value = read_reference(s, e, prefix);
    return c->value ? NULL : "not a reference such as INC-2026-000042";
  default:
    return "not a one-line command";
  }
  c->value = g_strdup(norm);
  return NULL;
}

typedef struct {
  const char *p;   /* next line */
  const char *end; /* of the text */
} Cursor;

/* The next line as [s, e) without its line ending; FALSE at the end. */
static gboolean next_line(Cursor *cur, const char **s, const char **e)
{
  const char *nl;
  if (cur->p >= cur->end)
    return FALSE;
  nl = memchr(cur->p, '\n', (gsize)(cur->end - cur->p));
  *s = cur->p;
  *e = nl ? nl : cur->end;
  cur->p = nl ? nl + 1 : cur->end;
  if (*e > *s && (*e)[-1] == '\r')
    (*e)--;
  return TRUE;
}

/* Report and Note: the value on the line, then each line up to the next
 * command line (left in cur), blank lines at either end dropped. */
static char *read_text(const char *vs, const char *ve, Cursor *cur)
{
  GString *text = g_string_new(NULL);
  gsize keep = 0; /* length without the trailing blank lines */
  gboolean cut = FALSE;
  const char *s, *e, *ks, *ke;
  IgOstCommandKey key;

  if (ve - vs > OST_TEXT_MAX)
    cut = TRUE;
  else
    g_string_append_len(text, vs, ve - vs);
  keep = text->len;
  for (Cursor look = *cur; next_line(&look, &s, &e); *cur = look) {
    if (read_key(s, e, &key, &ks, &ke))
      break;
    const char *ts = s;
    span_trim(&ts, &e);
    if (ts == e)
      e = s; /* blank: nothing of it is kept */
    if (cut || text->len + 1 + (gsize)(e - s) > OST_TEXT_MAX) {
      cut = TRUE;
      continue;
    }
    if (text->len)
      g_string_append_c(text, '\n');
    g_string_append_len(text, s, e - s);
    if (e > s)
      keep = text->len;
  }
  g_string_truncate(text, keep);
  if (cut)
    g_string_append(text, text->len ? "\n[the rest of this text, beyond 64 KiB, was left out]"
                                    : "[this text, beyond 64 KiB, was left out]");
  return g_string_free(text, FALSE);
}

static void refuse(IgOstCommands *c, IgOstCommandKey key, const char *vs, const char *ve,
                   const char *why)
{
  g_autofree char *quoted = cut_chars(vs, ve, QUOTE_MAX);
  if (vs == ve)
    g_ptr_array_add(c->errors, g_strdup_printf("%s: no value given (%s)", key_titles[key],
                                               g_str_has_prefix(why, "not ") ? why + 4 : why));
  else
    g_ptr_array_add(c->errors, g_strdup_printf("%s: %s: %s", key_titles[key], quoted, why));
}

IgOstCommands *ost_commands_parse(const char *own_text, const char *reference_prefix)
{
  IgOstCommands *c = g_new0(IgOstCommands, 1);
  gboolean seen[IG_CMD_COUNT] = { FALSE };
  guint tried = 0;
  const char *text = own_text ? own_text : "";
  Cursor cur = { text, text + strlen(text) };
  const char *s, *e, *vs, *ve;
  IgOstCommandKey key;

  c->commands = g_ptr_array_new_with_free_func(command_free);
  c->prose = g_ptr_array_new_with_free_func(g_free);
  c->errors = g_ptr_array_new_with_free_func(g_free);
  while (next_line(&cur, &s, &e)) {
    span_trim(&s, &e);
    if (s == e)
      continue;
    if (!read_key(s, e, &key, &vs, &ve)) {
      if (c->prose->len < OST_PROSE_MAX)
        g_ptr_array_add(c->prose, cut_chars(s, e, OST_COMMAND_LINE_MAX));
      continue;
    }
    if (++tried > OST_COMMANDS_MAX) {
      if (tried == OST_COMMANDS_MAX + 1)
        g_ptr_array_add(c->errors, g_strdup_printf("more than %d commands: the rest were "
                                                   "not read", OST_COMMANDS_MAX));
      continue;
    }
    IgOstCommand *cmd = g_new0(IgOstCommand, 1);
    const char *why = NULL;
    cmd->key = key;
    cmd->line = cut_chars(s, e, OST_COMMAND_LINE_MAX);
    if (key == IG_CMD_REPORT || key == IG_CMD_NOTE) {
      cmd->value = read_text(vs, ve, &cur);
      if (!*cmd->value)
        why = "no text given";
    } else {
      why = read_value(cmd, vs, ve, reference_prefix ? reference_prefix : "INC");
    }
    if (seen[key]) {
      g_ptr_array_add(c->errors, g_strdup_printf("%s given twice", key_titles[key]));
      command_free(cmd);
    } else if (why) {
      if (key == IG_CMD_REPORT || key == IG_CMD_NOTE)
        g_ptr_array_add(c->errors, g_strdup_printf("%s: %s", key_titles[key], why));
      else
        refuse(c, key, vs, ve, why);
      command_free(cmd);
    } else {
      g_ptr_array_add(c->commands, cmd);
    }
    seen[key] = TRUE;
  }
  return c;
}

/* config_syntax.c - the syntax of configuration text: numbers with
 * units (durations, sizes, rates, times of day), addresses and domains,
 * URL hosts, comma lists, and the line-by-line lint that makes
 * operator-style INI acceptable to GKeyFile. Pure text in, values or
 * reasons out; which key takes which syntax is config.c's business. */
#include "gateway/config_syntax.h"

#include <string.h>

#include "gateway/config.h"
#include "gateway/error.h"

/* ---- numbers with units ---- */

static gboolean is_blank(char ch) { return ch == ' ' || ch == '\t'; }

/* Reads a run of decimal digits, refusing overflow. */
static gboolean parse_digits(const char **p, gint64 *n)
{
  const char *s = *p;
  gint64 v = 0;

  if (!g_ascii_isdigit(*s))
    return FALSE;
  for (; g_ascii_isdigit(*s); s++) {
    if (v > (G_MAXINT64 - (*s - '0')) / 10)
      return FALSE;
    v = v * 10 + (*s - '0');
  }
  *p = s;
  *n = v;
  return TRUE;
}

/* NUMBER [unit]: units is "" for durations, "b" for sizes (optional B). */
static gboolean parse_scaled(const char *text, const char *units, const gint64 *mults,
                             gboolean size, gint64 *out)
{
  const char *p = text, *u;
  gint64 n, mult = 1;

  if (!text || !parse_digits(&p, &n))
    return FALSE;
  while (is_blank(*p))
    p++;
  if (*p && (u = strchr(units, g_ascii_tolower(*p)))) {
    mult = mults[u - units];
    p++;
    if (size && g_ascii_tolower(*p) == 'i') /* KiB, MiB: the same thing */
      p++;
  }
  if (size && g_ascii_tolower(*p) == 'b')
    p++;
  if (*p != '\0' || n > G_MAXINT64 / mult)
    return FALSE;
  *out = n * mult;
  return TRUE;
}

gboolean config_parse_duration(const char *text, gint64 *seconds)
{
  static const gint64 mults[] = {1, 60, 3600, 86400};
  return parse_scaled(text, "smhd", mults, FALSE, seconds);
}

gboolean config_parse_size(const char *text, gint64 *bytes)
{
  static const gint64 mults[] = {1024, 1024 * 1024, 1024 * 1024 * 1024};
  return parse_scaled(text, "kmg", mults, TRUE, bytes);
}

/* COUNT/WINDOW, WINDOW a duration where a bare unit means one of it:
 * 10/h, 5/m, 100/d, 20/30m. */
gboolean syntax_parse_rate(const char *text, int *count, gint64 *window)
{
  const char *slash = strchr(text, '/');
  g_autofree char *number = slash ? g_strstrip(g_strndup(text, slash - text)) : NULL;
  g_autofree char *unit = slash ? g_strstrip(g_strdup(slash + 1)) : NULL;
  g_autofree char *span = NULL;
  gint64 n;

  if (slash)
    span = g_ascii_isdigit(*unit) ? g_strdup(unit) : g_strconcat("1", unit, NULL);
  if (!slash || !g_ascii_string_to_signed(number, 10, 1, G_MAXINT, &n, NULL) ||
      !config_parse_duration(span, window) || *window <= 0)
    return FALSE;
  *count = (int)n;
  return TRUE;
}

/* HH:MM, 00:00 to 23:59; the hour may have one digit. */
gboolean syntax_parse_time_of_day(const char *text, int *hour, int *minute)
{
  const char *p = text;
  gint64 h;

  if (!parse_digits(&p, &h) || p - text > 2 || h > 23 || p[0] != ':' ||
      !g_ascii_isdigit(p[1]) || p[1] > '5' || !g_ascii_isdigit(p[2]) || p[3] != '\0')
    return FALSE;
  *hour = (int)h;
  *minute = (p[1] - '0') * 10 + (p[2] - '0');
  return TRUE;
}

/* ---- addresses and names ---- */

/* DNS host names: dot-separated labels of letters, digits and inner
 * hyphens, at least two labels. */
gboolean syntax_is_domain(const char *s)
{
  size_t label = 0, labels = 1, total = strlen(s);

  for (const char *p = s; *p; p++) {
    if (*p == '.' && label > 0 && p[-1] != '-')
      label = 0, labels++;
    else if (!(g_ascii_isalnum(*p) || (*p == '-' && label > 0)) || ++label > 63)
      return FALSE;
  }
  return label > 0 && s[total - 1] != '-' && labels >= 2 && total <= 253;
}

/* local@domain without display names, quoting or comments: what routing
 * compares against, so anything fancier is an operator typo. */
gboolean syntax_is_email(const char *s)
{
  const char *at = strchr(s, '@');

  if (!at || at == s || strchr(at + 1, '@'))
    return FALSE;
  for (const char *p = s; p < at; p++)
    if ((guchar)*p <= ' ' || *p == 0x7f || strchr("<>()[],;:\"\\", *p))
      return FALSE;
  return syntax_is_domain(at + 1) || g_ascii_strcasecmp(at + 1, "localhost") == 0;
}

/* "Name <addr>" or a bare addr, the address part validated and lowered;
 * NULL when it is neither. Caller frees. */
char *syntax_from_address(const char *text)
{
  const char *lt = strrchr(text, '<'), *gt = strrchr(text, '>');
  g_autofree char *name = lt ? g_strstrip(g_strndup(text, lt - text)) : NULL;
  g_autofree char *addr = NULL;

  if (lt && gt && gt > lt && gt[1] == '\0' && !strpbrk(name, "<>"))
    addr = g_ascii_strdown(lt + 1, gt - lt - 1);
  else if (!lt && !gt)
    addr = g_ascii_strdown(text, -1);
  if (!addr || !syntax_is_email(addr))
    return NULL;
  if (name && *name)
    return g_strdup_printf("%s <%s>", name, addr);
  return g_steal_pointer(&addr);
}

/* Runs of white space made one space; with a case-insensitive compare this
 * is how asset names match. */
char *syntax_asset_norm(const char *s)
{
  g_auto(GStrv) words = g_strsplit_set(s, " \t", -1);
  GString *out = g_string_new(NULL);

  for (char **w = words; *w; w++)
    if (**w)
      g_string_append_printf(out, "%s%s", out->len ? " " : "", *w);
  return g_string_free(out, FALSE);
}

/* ---- urls ---- */

gboolean syntax_is_loopback(const char *host)
{
  return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0 ||
         g_ascii_strcasecmp(host, "localhost") == 0;
}

/* Host of scheme://[user@]host[:port][/path][;opts]; "" if none. */
char *syntax_url_host(const char *url)
{
  const char *p = strstr(url, "://"), *h, *at, *close;
  g_autofree char *authority = NULL;

  if (!p)
    return g_strdup("");
  authority = g_strndup(p + 3, strcspn(p + 3, "/;?#"));
  at = strrchr(authority, '@');
  h = at ? at + 1 : authority;
  if (*h != '[')
    return g_strndup(h, strcspn(h, ":"));
  close = strchr(h, ']');
  return close ? g_strndup(h + 1, close - h - 1) : g_strdup("");
}

static gboolean has_prefix_ci(const char *s, const char *prefix)
{
  return g_ascii_strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* schemes[0] takes a local PATH, the other two a host; hint lists them
 * for the reason. NULL when text is one of those, or the reason. */
char *syntax_check_url(const char *text, const char *const schemes[3], const char *hint)
{
  g_autofree char *host = syntax_url_host(text);

  if (has_prefix_ci(text, schemes[0])) {
    if (text[strlen(schemes[0])] == '\0')
      return g_strdup_printf("%s needs a path", schemes[0]);
  } else if (!has_prefix_ci(text, schemes[1]) && !has_prefix_ci(text, schemes[2])) {
    return g_strdup_printf("unsupported url (use %s)", hint);
  } else if (*host == '\0') {
    return g_strdup("url has no host");
  }
  return NULL;
}

/* An https:// url, or http:// to a loopback host; NULL or the reason. */
char *syntax_check_webhook_url(const char *text)
{
  g_autofree char *host = syntax_url_host(text);
  gboolean https = has_prefix_ci(text, "https://");

  if ((!https && !has_prefix_ci(text, "http://")) || *host == '\0')
    return g_strdup("not an https:// url");
  /* Plain http would carry incident details in clear: local relays only. */
  if (!https && !syntax_is_loopback(host))
    return g_strdup("http:// is only allowed to 127.0.0.1, localhost or [::1]; use https://");
  return NULL;
}

/* ---- lists and words ---- */

/* Comma separated, trimmed, empty items dropped. */
char **syntax_split_list(const char *text)
{
  g_auto(GStrv) parts = g_strsplit(text, ",", -1);
  GPtrArray *out = g_ptr_array_new();

  for (char **p = parts; *p; p++)
    if (*g_strstrip(*p))
      g_ptr_array_add(out, g_strdup(*p));
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}

/* A comma list whose items all pass ok(), lowered, in *list_out (caller
 * frees); or the reason, naming the first bad item as not what. */
char *syntax_parse_list(const char *text, gboolean (*ok)(const char *), const char *what,
                        char ***list_out)
{
  g_auto(GStrv) list = syntax_split_list(text);

  for (char **p = list; *p; p++) {
    char *lower;
    if (!ok(*p))
      return g_strdup_printf("\"%s\" is not %s", *p, what);
    lower = g_ascii_strdown(*p, -1);
    g_free(*p);
    *p = lower;
  }
  *list_out = g_steal_pointer(&list);
  return NULL;
}

/* text's index in a NULL-terminated word list (the enum value) in
 * *index; or the reason. */
char *syntax_one_of(const char *text, const char *const *words, int *index)
{
  g_autofree char *all = NULL;

  for (int i = 0; words[i]; i++) {
    if (strcmp(text, words[i]) == 0) {
      *index = i;
      return NULL;
    }
  }
  all = g_strjoinv(", ", (char **)words);
  return g_strdup_printf("must be one of %s", all);
}

/* ---- INI lines ---- */

/* Makes operator-style INI acceptable to GKeyFile, editing line in place
 * and keeping it one line so line numbers still match: ';' comment lines
 * blanked, trailing " ; comment" / " # comment" cut from keys and headers.
 * Also rejects, by line number, shapes GKeyFile would reject without one.
 * Returns NULL or the reason. */
static char *lint_line(char *line, gboolean *in_group)
{
  char *s = line, *eq, *close, *rest;

  g_strchomp(line); /* also drops the \r of CRLF files */
  while (is_blank(*s))
    s++;
  if (*s == '\0' || *s == ';' || *s == '#') {
    *line = '\0';
    return NULL;
  }
  if (*s == '[') {
    close = strchr(s, ']');
    if (!close || close == s + 1 || strcspn(s + 1, "[") < (size_t)(close - s - 1))
      return g_strdup_printf("bad section header \"%s\"", s);
    for (rest = close + 1; is_blank(*rest); rest++)
      ;
    if (*rest && *rest != ';' && *rest != '#')
      return g_strdup_printf("text after section header \"%s\" (comments start with ;)", s);
    close[1] = '\0';
    *in_group = TRUE;
    return NULL;
  }
  if (!(eq = strchr(s, '=')))
    return g_strdup_printf("\"%s\" is not key = value, a [section] or a ; comment", s);
  if (!*in_group)
    return g_strdup_printf("\"%s\" comes before any [section]", s);
  if (eq == s || strcspn(s, "[]") < (size_t)(eq - s))
    return g_strdup_printf("bad key name in \"%s\"", s);
  /* A value may hold ';' (imap://host;STARTTLS), just not after a blank. */
  for (char *q = eq + 1; *q; q++) {
    if ((*q == ';' || *q == '#') && (q == eq + 1 || is_blank(q[-1]))) {
      *q = '\0';
      break;
    }
  }
  g_strchomp(line);
  return NULL;
}

char *syntax_preprocess(const char *data, gsize len, const char *name, GError **error)
{
  GString *out = g_string_sized_new(len + 1);
  const char *p = data, *end = data + len, *bad = NULL;
  gboolean in_group = FALSE;
  unsigned lineno = 1;
  char *result = NULL;

  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) /* BOM of Windows editors */
    p += 3;
  if (!g_utf8_validate(data, len, &bad)) {
    for (const char *q = data; q < bad; q++)
      lineno += *q == '\n';
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s:%u: not UTF-8 text", name, lineno);
    goto out;
  }
  for (; p < end; lineno++) {
    const char *nl = memchr(p, '\n', end - p);
    g_autofree char *line = g_strndup(p, (nl ? nl : end) - p);
    g_autofree char *why = lint_line(line, &in_group);

    if (why) {
      g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s:%u: %s", name, lineno, why);
      goto out;
    }
    g_string_append(out, line);
    g_string_append_c(out, '\n');
    p = nl ? nl + 1 : end;
  }
  result = g_string_free(g_steal_pointer(&out), FALSE);
out:
  if (out)
    g_string_free(out, TRUE);
  return result;
}

/* textparts.c - the reporter's own words, apart from what follows them.
 *
 * One pass classifies each line on its own (blank, "> " quote, "-- "
 * separator, sign-off, "Sent from my iPhone", or a marker after which
 * everything is an earlier message: "On ... wrote:", "-----Original
 * Message-----", "----- Forwarded message from ... -----", an Outlook
 * "From:/Sent:" block, a rule of underscores).
 * The first such marker ends the sender's part; before it, the signature
 * starts at a "-- " line or at a sign-off followed by no more than a short
 * block, which a backward count over the lines settles for every
 * candidate at once, so the work stays linear. "> " lines before the
 * marker are quoted where they stand (interleaved replies); the rest is
 * the sender's own text, kept as written. Pure. */
#include "parsers/textparts.h"

#include <string.h>

#include "parsers/text_span.h"

/* A sign-off is followed by at most this many non-blank lines, each at
 * most SIG_LINE_MAX bytes: a name, a title, a phone number. More, or
 * longer, and the "Thanks," was part of the message. */
#define SIG_MAX_LINES 8
#define SIG_LINE_MAX 80
/* Longest line that may be a sign-off ("Kind regards, Jane Smith"). */
#define SIGN_OFF_MAX 60
/* Longest attribution ("On Mon, 23 Nov 2026 at 10:30, Jane ... wrote:"). */
#define ATTRIBUTION_MAX 300

typedef enum {
  LN_TEXT, LN_BLANK, LN_QUOTE, LN_SIG_DASH, LN_SIGN_OFF, LN_DEVICE,
  LN_DISCLAIMER, LN_ATTRIBUTION, LN_REST
} LineKind;

typedef struct {
  const char *p;
  gsize len; /* without the line ending */
  LineKind kind;
} Line;

/* Lower case, compared without regard to ASCII case. */
static const char *const sign_offs[] = {
  "thanks", "thank you", "many thanks", "thanks again", "thanks very much",
  "thank you very much", "thanks in advance", "many thanks in advance",
  "regards", "kind regards", "kindest regards", "best regards",
  "warm regards", "warmest regards", "with regards", "with kind regards",
  "best wishes", "all the best", "best", "cheers", "yours sincerely",
  "yours faithfully", "yours", "ta", NULL };

/* Mobile and webmail footers: a signature even with nothing before it. */
static const char *const device_lines[] = {
  "sent from my ", "sent from outlook", "get outlook for ",
  "sent from mail for ", "sent from yahoo mail", "sent with proton",
  NULL };

/* Words found only in the legal footers mail systems append; such a line
 * starting a paragraph, and what follows, is signature however long.
 * Lower case. */
static const char *const disclaimer_words[] = {
  "this e-mail and any attachment", "this email and any attachment",
  "this message and any attachment", "if you are not the intended recipient",
  "if you have received this e-mail in error",
  "if you have received this email in error",
  "if you have received this message in error", "scanned for viruses",
  "this email may contain", "this e-mail may contain",
  "this message may contain", "this email is confidential",
  "this e-mail is confidential", "the contents of this email",
  "the contents of this e-mail", "the information in this email",
  "the information in this e-mail", "privacy notice",
  "how we use your personal", "personal information charter", NULL };

static void strip_span(const char **s, const char **e)
{
  while (*s < *e && g_ascii_isspace(**s))
    (*s)++;
  while (*e > *s && g_ascii_isspace((*e)[-1]))
    (*e)--;
}

static gboolean span_is(const char *s, const char *e, const char *word)
{
  const gsize n = strlen(word);
  return (gsize)(e - s) == n && g_ascii_strncasecmp(s, word, n) == 0;
}

static gboolean span_ends(const char *s, const char *e, const char *word)
{
  const gsize n = strlen(word);
  return (gsize)(e - s) >= n && g_ascii_strncasecmp(e - n, word, n) == 0;
}

/* A sign-off (text_span.h) on a short line. */
static gboolean is_sign_off(const char *s, const char *e)
{
  return e - s <= SIGN_OFF_MAX && span_sign_off(s, e, sign_offs);
}

/* The words of disclaimer_words (bit i for word i) that have byte c at
 * position k, k < KEYS, either case: a line is read once, in place, each
 * word compared only where its first KEYS letters stand, rather than the
 * line lower-cased into a copy and searched once per word. */
#define KEYS 3
typedef struct {
  guint32 at[KEYS][256];
  gsize len[32];
} Disclaimers;

static gpointer build_disclaimers(gpointer data)
{
  Disclaimers *d = data;
  G_STATIC_ASSERT(G_N_ELEMENTS(disclaimer_words) - 1 <= 32);
  for (guint i = 0; disclaimer_words[i]; i++) {
    const char *w = disclaimer_words[i];
    d->len[i] = strlen(w);
    g_assert(d->len[i] >= KEYS);
    for (guint k = 0; k < KEYS; k++) {
      d->at[k][(guchar)w[k]] |= 1u << i;
      d->at[k][(guchar)g_ascii_toupper(w[k])] |= 1u << i;
    }
  }
  return d;
}

static gboolean is_disclaimer(const char *s, const char *e)
{
  static Disclaimers table;
  static GOnce once = G_ONCE_INIT;
  const Disclaimers *d = g_once(&once, build_disclaimers, &table);
  for (const char *p = s; e - p >= KEYS; p++) {
    guint32 m = d->at[0][(guchar)p[0]] & d->at[1][(guchar)p[1]] & d->at[2][(guchar)p[2]];
    for (; m; m &= m - 1) {
      const guint i = (guint)g_bit_nth_lsf(m, -1);
      if ((gsize)(e - p) >= d->len[i] &&
          g_ascii_strncasecmp(p, disclaimer_words[i], d->len[i]) == 0)
        return TRUE;
    }
  }
  return FALSE;
}

static gboolean is_device_line(const char *s, const char *e)
{
  if (e - s > SIGN_OFF_MAX)
    return FALSE;
  for (const char *const *w = device_lines; *w; w++)
    if (span_starts(s, e, *w))
      return TRUE;
  return FALSE;
}

/* "-----Original Message-----", "---------- Forwarded message
 * ---------", "Begin forwarded message:", or a rule of underscores. */
static gboolean is_rest_marker(const char *s, const char *e)
{
  const char *t;
  if (s < e && *s == '_') {
    for (t = s; t < e && *t == '_'; t++)
      ;
    return t == e && e - s >= 10;
  }
  if (span_is(s, e, "begin forwarded message:"))
    return TRUE;
  if (e - s < 2 || s[0] != '-' || s[1] != '-')
    return FALSE;
  while (s < e && *s == '-')
    s++;
  while (e > s && e[-1] == '-')
    e--;
  strip_span(&s, &e);
  /* mutt: "----- Forwarded message from Jane <jane@example.org> -----" */
  return span_is(s, e, "original message") ||
         span_starts(s, e, "forwarded message");
}

/* "From: ..." or "*From:* ..." (as HTML converts bold) with a value. */
static gboolean is_header(const char *s, const char *e, const char *name)
{
  if (s < e && *s == '*')
    s++;
  return span_starts(s, e, name) && e - s > (gssize)strlen(name);
}

static void classify(Line *lines, guint n, guint i)
{
  const char *s = lines[i].p, *e = s + lines[i].len;
  strip_span(&s, &e);
  if (s == e)
    lines[i].kind = LN_BLANK;
  else if (*s == '>')
    lines[i].kind = LN_QUOTE;
  else if (span_is(s, e, "--"))
    lines[i].kind = LN_SIG_DASH; /* "-- " once stripped */
  else if (is_rest_marker(s, e))
    lines[i].kind = LN_REST;
  else if (is_header(s, e, "from:") && i + 1 < n) {
    const char *s2 = lines[i + 1].p, *e2 = s2 + lines[i + 1].len;
    strip_span(&s2, &e2);
    lines[i].kind = is_header(s2, e2, "sent:") || is_header(s2, e2, "date:")
                        ? LN_REST
                        : LN_TEXT;
  } else if (span_starts(s, e, "on ") && e - s <= ATTRIBUTION_MAX &&
             span_ends(s, e, "wrote:"))
    lines[i].kind = LN_ATTRIBUTION;
  else if (is_sign_off(s, e))
    lines[i].kind = LN_SIGN_OFF;
  else if (is_device_line(s, e))
    lines[i].kind = LN_DEVICE;
  else if (is_disclaimer(s, e))
    lines[i].kind = LN_DISCLAIMER;
  else
    lines[i].kind = LN_TEXT;
}

static gboolean has_any(const char *s, const char *e, const char *chars)
{
  for (; s < e; s++)
    if (strchr(chars, *s))
      return TRUE;
  return FALSE;
}

/* Gmail wraps a long attribution: "On Mon, 23 Nov 2026 at 10:30, Jane
 * Smith <\njane@example.org> wrote:". Marks both lines. */
static void join_wrapped_attribution(Line *lines, guint n, guint i)
{
  const char *s = lines[i].p, *e = s + lines[i].len, *s2, *e2;
  if (lines[i].kind != LN_TEXT || i + 1 >= n)
    return;
  strip_span(&s, &e);
  s2 = lines[i + 1].p;
  e2 = s2 + lines[i + 1].len;
  strip_span(&s2, &e2);
  /* a sentence that starts with "On" is not one: the wrapped line holds
   * an address or a date, and does not end a sentence */
  if (span_starts(s, e, "on ") && (e - s) + (e2 - s2) <= ATTRIBUTION_MAX &&
      span_ends(s2, e2, "wrote:") && lines[i + 1].kind == LN_TEXT &&
      !strchr(".!?", e[-1]) &&
      (has_any(s, e, "0123456789@") || has_any(s2, e2, "0123456789@"))) {
    lines[i].kind = LN_ATTRIBUTION;
    lines[i + 1].kind = LN_ATTRIBUTION;
  }
}

static GArray *split_lines(const char *body)
{
  GArray *lines = g_array_new(FALSE, TRUE, sizeof(Line));
  const char *p = body;
  while (*p) {
    const char *nl = strchr(p, '\n');
    Line l = { .p = p, .len = nl ? (gsize)(nl - p) : strlen(p) };
    if (l.len > 0 && p[l.len - 1] == '\r')
      l.len--;
    g_array_append_val(lines, l);
    if (!nl)
      break;
    p = nl + 1;
  }
  return lines;
}

/* Index of the first line of the earlier message, or n. An attribution
 * followed by "> " lines only introduces them (a bottom-posted reply may
 * follow); followed by anything else it starts the earlier message. */
static guint find_boundary(Line *lines, guint n)
{
  for (guint i = 0; i < n; i++) {
    guint j = i;
    if (lines[i].kind == LN_REST)
      return i;
    if (lines[i].kind != LN_ATTRIBUTION)
      continue;
    while (j < n && lines[j].kind == LN_ATTRIBUTION)
      j++;
    while (j < n && lines[j].kind == LN_BLANK)
      j++;
    if (j < n && lines[j].kind != LN_QUOTE)
      return i;
    /* the attribution and the blank lines after it go with the quote */
    for (; i < j; i++)
      lines[i].kind = LN_QUOTE;
    i--;
  }
  return n;
}

/* Index of the first signature line before limit, or limit: a sign-off
 * with a short block before the "-- " line or the legal footer, else the
 * "-- " line or the footer, whichever comes first. */
static guint find_signature(const Line *lines, guint limit)
{
  g_autofree guint *after = g_new0(guint, limit + 1);
  g_autofree gboolean *long_after = g_new0(gboolean, limit + 1);
  guint dash = limit, own_before = 0, start = limit;

  for (guint i = 0; i < limit && dash == limit; i++)
    if (lines[i].kind == LN_SIG_DASH ||
        (lines[i].kind == LN_DISCLAIMER && i > 0 &&
         lines[i - 1].kind == LN_BLANK))
      dash = i;
  /* after[i]: non-blank lines in [i, dash); long_after[i]: one is long */
  for (guint i = dash; i-- > 0;) {
    const gboolean counts =
        lines[i].kind != LN_BLANK && lines[i].kind != LN_QUOTE;
    after[i] = after[i + 1] + (counts ? 1 : 0);
    long_after[i] = long_after[i + 1] ||
                    (counts && lines[i].len > SIG_LINE_MAX);
  }
  for (guint i = 0; i < dash && start == limit; i++) {
    const LineKind k = lines[i].kind;
    /* a sign-off needs words of the sender's before it; a device footer
     * may stand alone */
    if ((k == LN_DEVICE || (k == LN_SIGN_OFF && own_before > 0)) &&
        after[i + 1] <= SIG_MAX_LINES && !long_after[i + 1])
      start = i;
    if (k == LN_TEXT || k == LN_SIGN_OFF)
      own_before++;
  }
  return start < dash ? start : dash;
}

/* Joins the lines of part want, without leading blank lines or trailing
 * white space; NULL when nothing is left and allow_empty is FALSE. */
static char *join(const Line *lines, guint n, const guint8 *part, guint8 want,
                  gboolean allow_empty)
{
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < n; i++) {
    const char *s = lines[i].p, *e = s + lines[i].len;
    if (part[i] != want)
      continue;
    strip_span(&s, &e);
    if (out->len == 0 && s == e)
      continue;
    if (out->len > 0)
      g_string_append_c(out, '\n');
    g_string_append_len(out, lines[i].p, (gssize)lines[i].len);
  }
  while (out->len > 0 && g_ascii_isspace(out->str[out->len - 1]))
    g_string_truncate(out, out->len - 1);
  if (out->len == 0 && !allow_empty)
    return g_string_free(out, TRUE);
  return g_string_free(out, FALSE);
}

enum { PART_OWN, PART_SIGNATURE, PART_QUOTED, PART_NONE };

IgTextParts *textparts_split(const char *body)
{
  g_autoptr(GArray) arr = split_lines(body ? body : "");
  Line *lines = (Line *)(void *)arr->data;
  const guint n = arr->len;
  g_autofree guint8 *part = g_new0(guint8, n + 1);
  IgTextParts *parts = g_new0(IgTextParts, 1);
  guint boundary, sig;
  gboolean dash_seen = FALSE;

  for (guint i = 0; i < n; i++)
    classify(lines, n, i);
  for (guint i = 0; i < n; i++)
    join_wrapped_attribution(lines, n, i);
  boundary = find_boundary(lines, n);
  sig = find_signature(lines, boundary);
  for (guint i = 0; i < n; i++) {
    if (i >= boundary || lines[i].kind == LN_QUOTE) {
      part[i] = PART_QUOTED;
    } else if (i >= sig && lines[i].kind == LN_SIG_DASH && !dash_seen) {
      part[i] = PART_NONE; /* the separator belongs to no part */
      dash_seen = TRUE;
    } else {
      part[i] = i >= sig ? PART_SIGNATURE : PART_OWN;
    }
  }
  parts->own = join(lines, n, part, PART_OWN, TRUE);
  parts->signature = join(lines, n, part, PART_SIGNATURE, FALSE);
  parts->quoted = join(lines, n, part, PART_QUOTED, FALSE);
  return parts;
}

void textparts_free(IgTextParts *parts)
{
  if (!parts)
    return;
  g_free(parts->own);
  g_free(parts->signature);
  g_free(parts->quoted);
  g_free(parts);
}

/* reply.c - the reply's own text (reply.h).
 *
 * Commands are read from what this returns, so a line of the quoted
 * message taken for the sender's would change a case: where a reading is
 * doubtful, the line goes with the earlier message. One pass classifies
 * each line on its own; windows of a few lines join an Outlook header
 * block, a wrapped attribution and a rule above a block; a backward pass
 * measures what follows each sign-off. Every look-ahead is bounded by a
 * constant, so the work stays linear in the body. */
#include "parsers/reply.h"
#include "parsers/ost_command.h"
#include "parsers/text_span.h"

#include <string.h>

/* Longest attribution, on one line or two ("On Mon, 23 Nov 2026 at 10:02,
 * Jane Smith <jane.smith@example.org> wrote:"). */
#define ATTRIBUTION_MAX 300
/* Longest line read as a marker, a footer or a sign-off. */
#define MARKER_MAX 120
/* Outlook's "Sent:" follows "From:" within this many lines ("To:", "Cc:"
 * may come between in other clients' layouts). */
#define BLOCK_WINDOW 4
/* A rule of underscores stands this many lines above the block at most. */
#define RULE_WINDOW 3
/* A sign-off is a signature when at most this many lines, none longer
 * than SIG_LINE_MAX bytes and none a command, follow it: a name, a
 * title, a phone number. */
#define SIG_MAX_LINES 6
#define SIG_LINE_MAX 80

typedef enum {
  L_TEXT, L_BLANK, L_QUOTE, L_SIG_DASH, L_DEVICE, L_SIGN_OFF,
  L_ATTRIBUTION, L_FROM, L_RULE, L_REST
} Kind;

typedef struct {
  const char *p;   /* the line as written */
  gsize len;       /* without its line ending */
  const char *s;   /* trimmed */
  const char *e;
  Kind kind;
  gboolean drop;   /* quoted, earlier message or signature */
} Line;

/* Lower case, compared without regard to ASCII case. */
static const char *const sign_offs[] = {
  "thanks", "thank you", "many thanks", "thanks again", "thanks very much",
  "thank you very much", "regards", "kind regards", "kindest regards",
  "best regards", "warm regards", "warmest regards", "with regards",
  "with kind regards", "best wishes", "all the best", "best", "cheers",
  "yours sincerely", "yours faithfully", "yours", "ta", "rgds", "br",
  "mit freundlichen grüßen", "viele grüße", "beste grüße", "gruß",
  "cordialement", "bien cordialement", "bien à vous", "merci", "saludos",
  "un saludo", "atentamente", "gracias", NULL };

/* Phone and webmail footers: a signature even with nothing above them. */
static const char *const device_lines[] = {
  "sent from my ", "sent from outlook", "get outlook for ", "sent from mail for ",
  "sent from yahoo mail", "sent with proton", "sent via ", "sent from samsung",
  "envoyé de mon ", "envoyé depuis ", "von meinem ", "gesendet von ",
  "enviado desde mi ", "obtener outlook para ", "télécharger outlook pour ", NULL };

/* The words between dashes of a line that starts an earlier message
 * ("-----Original Message-----", "---------- Forwarded message
 * ---------", Lotus Notes' "-----Jane Smith/ORG wrote: -----"). */
static const char *const dash_markers[] = {
  "original message", "forwarded message", "message original", "message d'origine",
  "message transféré", "originalnachricht", "ursprüngliche nachricht",
  "weitergeleitete nachricht", "mensaje original", "mensaje reenviado",
  "messaggio originale", "messaggio inoltrato", "oorspronkelijk bericht",
  "doorgestuurd bericht", "original appointment", "wrote:", NULL };

/* Lines that start a forwarded message with nothing around them. */
static const char *const forward_lines[] = {
  "begin forwarded message:", "début du message réexpédié :",
  "début du message réexpédié:", "anfang der weitergeleiteten nachricht:",
  "inicio del mensaje reenviado:", NULL };

/* Attributions start with one of these words and name the verb. */
static const char *const attribution_starts[] = {
  "on ", "am ", "le ", "el ", "op ", "il ", "em ", NULL };
static const char *const attribution_verbs[] = {
  "wrote", "schrieb", "a écrit", "escribió", "schreef", "ha scritto",
  "escreveu", "skrev", NULL };

/* Names of the header lines of an earlier message, lower case: Outlook
 * writes them in the reader's language ("De :", "Von:", "Envoyé :"). */
static const char *const from_names[] = {
  "from", "de", "von", "van", "da", "fra", "från", "od", NULL };
static const char *const sent_names[] = {
  "sent", "date", "envoyé", "gesendet", "datum", "enviado", "fecha",
  "verzonden", "inviato", "data", "skickat", "sendt", "dato", NULL };

static gsize span_len(const char *s, const char *e)
{
  return (gsize)(e - s);
}

static gboolean span_is(const char *s, const char *e, const char *word)
{
  const gsize n = strlen(word);
  return span_len(s, e) == n && g_ascii_strncasecmp(s, word, n) == 0;
}

static gboolean starts_any(const char *s, const char *e, const char *const *words)
{
  for (const char *const *w = words; *w; w++)
    if (span_starts(s, e, *w))
      return TRUE;
  return FALSE;
}

static gboolean is_any(const char *s, const char *e, const char *const *words)
{
  for (const char *const *w = words; *w; w++)
    if (span_is(s, e, *w))
      return TRUE;
  return FALSE;
}

/* TRUE when the span, at most MARKER_MAX or ATTRIBUTION_MAX bytes (the
 * callers check), holds one of words, ASCII case ignored. */
static gboolean contains_any(const char *s, const char *e, const char *const *words)
{
  g_autofree char *low = g_ascii_strdown(s, (gssize)span_len(s, e));
  for (const char *const *w = words; *w; w++)
    if (strstr(low, *w))
      return TRUE;
  return FALSE;
}

static gboolean has_any(const char *s, const char *e, const char *chars)
{
  for (; s < e; s++)
    if (strchr(chars, *s))
      return TRUE;
  return FALSE;
}

/* "From: x", "*From:* x", "De : x": the name before the colon is one of
 * names, and a value follows it. */
static gboolean is_header(const char *s, const char *e, const char *const *names)
{
  const char *colon, *k;
  while (s < e && *s == '*')
    s++;
  colon = memchr(s, ':', MIN(span_len(s, e), (gsize)16));
  if (!colon)
    return FALSE;
  for (k = colon; k > s && (k[-1] == ' ' || k[-1] == '*'); k--)
    ;
  for (colon++; colon < e && (*colon == '*' || g_ascii_isspace(*colon)); colon++)
    ;
  return colon < e && is_any(s, k, names);
}

/* A line of dashes around words that start an earlier message. */
static gboolean is_dash_marker(const char *s, const char *e)
{
  const char *a = s, *b = e;
  while (a < e && *a == '-')
    a++;
  while (b > a && b[-1] == '-')
    b--;
  return a - s >= 2 && e - b >= 2 && contains_any(a, b, dash_markers);
}

static gboolean is_rule(const char *s, const char *e)
{
  const char *p = s;
  while (p < e && *p == '_')
    p++;
  return p == e && e - s >= 10;
}

/* [s, e) ends with one of words, ASCII case ignored. */
static gboolean ends_any(const char *s, const char *e, const char *const *words)
{
  for (const char *const *w = words; *w; w++) {
    const gsize n = strlen(*w);
    if (span_len(s, e) >= n && g_ascii_strncasecmp(e - n, *w, n) == 0)
      return TRUE;
  }
  return FALSE;
}

/* One line of an attribution (or the whole of it): ends with a colon and
 * names a verb of writing; starts with "On", "Am", "Le", ... and holds a
 * date or an address, or is "Name <address> wrote:". */
static gboolean is_attribution(const char *s, const char *e)
{
  const char *t = e;
  while (t > s && t[-1] == ' ')
    t--;
  if (span_len(s, e) > ATTRIBUTION_MAX || t == s || t[-1] != ':')
    return FALSE;
  if (!contains_any(s, e, attribution_verbs))
    return FALSE;
  if (starts_any(s, e, attribution_starts) && has_any(s, e, "0123456789@"))
    return TRUE;
  for (t--; t > s && t[-1] == ' ';)
    t--;
  return memchr(s, '@', span_len(s, e)) && ends_any(s, t, attribution_verbs);
}

static Kind classify(const char *s, const char *e)
{
  if (s == e)
    return L_BLANK;
  if (*s == '>')
    return L_QUOTE;
  if (span_is(s, e, "--"))
    return L_SIG_DASH; /* "-- " once trimmed */
  if (is_rule(s, e))
    return L_RULE;
  if (is_header(s, e, from_names))
    return L_FROM;
  if (span_len(s, e) > MARKER_MAX)
    return is_attribution(s, e) ? L_ATTRIBUTION : L_TEXT;
  if (*s == '-' && is_dash_marker(s, e))
    return L_REST;
  if (is_any(s, e, forward_lines))
    return L_REST;
  if (is_attribution(s, e))
    return L_ATTRIBUTION;
  if (span_sign_off(s, e, sign_offs))
    return L_SIGN_OFF;
  if (starts_any(s, e, device_lines))
    return L_DEVICE;
  return L_TEXT;
}

static GArray *split_lines(const char *body)
{
  GArray *lines = g_array_new(FALSE, TRUE, sizeof(Line));
  for (const char *p = body; *p;) {
    const char *nl = strchr(p, '\n');
    Line l = { .p = p, .len = nl ? (gsize)(nl - p) : strlen(p) };
    if (l.len && p[l.len - 1] == '\r')
      l.len--;
    l.s = p;
    l.e = p + l.len;
    span_trim(&l.s, &l.e);
    l.kind = classify(l.s, l.e);
    g_array_append_val(lines, l);
    if (!nl)
      break;
    p = nl + 1;
  }
  return lines;
}

/* "From:" starts an earlier message when a "Sent:" or "Date:" line
 * follows within BLOCK_WINDOW lines; alone it is the sender's prose. */
static void mark_header_blocks(Line *lines, guint n)
{
  for (guint i = 0; i < n; i++) {
    if (lines[i].kind != L_FROM)
      continue;
    lines[i].kind = L_TEXT;
    for (guint j = i + 1; j < n && j <= i + BLOCK_WINDOW; j++)
      if (is_header(lines[j].s, lines[j].e, sent_names)) {
        lines[i].kind = L_REST;
        break;
      }
  }
}

/* Gmail wraps a long attribution: "On Mon, 23 Nov 2026 at 10:02, Jane
 * Smith <\njane@example.org> wrote:". A sentence that starts with "On" is
 * not one: the first line must not end one. */
static void mark_wrapped_attributions(Line *lines, guint n)
{
  for (guint i = 0; i + 1 < n; i++) {
    Line *a = &lines[i], *b = &lines[i + 1];
    if (a->kind != L_TEXT || (b->kind != L_TEXT && b->kind != L_ATTRIBUTION) ||
        span_len(a->s, a->e) + span_len(b->s, b->e) > ATTRIBUTION_MAX ||
        !starts_any(a->s, a->e, attribution_starts) || strchr(".!?", a->e[-1]))
      continue;
    if (b->e[-1] != ':' || !contains_any(b->s, b->e, attribution_verbs) ||
        !(has_any(a->s, a->e, "0123456789@") || has_any(b->s, b->e, "0123456789@")))
      continue;
    a->kind = L_ATTRIBUTION;
    b->kind = L_ATTRIBUTION;
  }
}

/* Index of the first line of the earlier message, or n. An attribution
 * followed by quoted lines only introduces them (the sender may write on
 * below); followed by anything else, the earlier message starts there. A
 * rule of underscores goes with the header block just below it. */
static guint find_boundary(Line *lines, guint n)
{
  for (guint i = 0; i < n; i++) {
    guint j = i;
    if (lines[i].kind == L_REST)
      return i;
    if (lines[i].kind == L_RULE) {
      for (j = i + 1; j < n && j <= i + RULE_WINDOW; j++)
        if (lines[j].kind == L_REST)
          return i;
      continue;
    }
    if (lines[i].kind != L_ATTRIBUTION)
      continue;
    while (j < n && lines[j].kind == L_ATTRIBUTION)
      j++;
    while (j < n && lines[j].kind == L_BLANK)
      j++;
    if (j < n && lines[j].kind != L_QUOTE)
      return i;
    for (; i < j; i++)
      lines[i].kind = L_QUOTE;
    i--;
  }
  return n;
}

/* Drops the signature among lines [0, limit): everything from the first
 * "-- " line or footer, and each sign-off that has words of the sender's
 * above it and no more than a short block below it, without a command,
 * before a quote. */
static void drop_signatures(Line *lines, guint limit)
{
  g_autofree guint *after = g_new0(guint, limit + 1);
  g_autofree gboolean *long_after = g_new0(gboolean, limit + 1);
  g_autofree guint *block_end = g_new0(guint, limit + 1);
  guint own_before = 0, stop = limit;

  for (guint i = 0; i < limit && stop == limit; i++)
    if (lines[i].kind == L_SIG_DASH || lines[i].kind == L_DEVICE)
      stop = i;
  for (guint i = stop; i < limit; i++)
    lines[i].drop = TRUE;
  /* block_end[i]: the next quoted line after i, or stop; after[i] and
   * long_after[i]: how many lines in (i, block_end[i]) are not blank, and
   * whether one of them is long */
  block_end[stop] = stop;
  for (guint i = stop; i-- > 0;) {
    if (lines[i].kind == L_QUOTE) {
      block_end[i] = i;
      continue;
    }
    block_end[i] = block_end[i + 1];
    if (i + 1 < block_end[i]) {
      const gboolean counts = lines[i + 1].kind != L_BLANK;
      after[i] = after[i + 1] + (counts ? 1 : 0);
      /* "Thanks!" above "Status: closed" is a greeting, not a signature. */
      long_after[i] = long_after[i + 1] ||
                      (counts && (lines[i + 1].len > SIG_LINE_MAX ||
                                  ost_command_line(lines[i + 1].p, lines[i + 1].len)));
    }
  }
  for (guint i = 0; i < stop; i++) {
    const Kind k = lines[i].kind;
    if (k == L_SIGN_OFF && own_before > 0 && after[i] <= SIG_MAX_LINES && !long_after[i]) {
      for (guint j = i; j < block_end[i]; j++)
        lines[j].drop = TRUE;
      i = block_end[i];
      continue;
    }
    if (k == L_TEXT || k == L_SIGN_OFF)
      own_before++;
  }
}

char *reply_own_text(const char *body)
{
  g_autoptr(GArray) arr = split_lines(body ? body : "");
  Line *lines = (Line *)(void *)arr->data;
  const guint n = arr->len;
  GString *out = g_string_new(NULL);
  gboolean blank = FALSE;
  guint boundary;

  mark_header_blocks(lines, n);
  mark_wrapped_attributions(lines, n);
  boundary = find_boundary(lines, n);
  drop_signatures(lines, boundary);
  for (guint i = 0; i < boundary; i++) {
    const Line *l = &lines[i];
    if (l->drop || l->kind == L_QUOTE)
      continue;
    if (l->kind == L_BLANK) {
      blank = out->len > 0;
      continue;
    }
    if (blank)
      g_string_append_c(out, '\n');
    blank = FALSE;
    if (out->len)
      g_string_append_c(out, '\n');
    /* the end trimmed, the indentation kept as the sender wrote it */
    g_string_append_len(out, l->p, (gssize)(l->e - l->p));
  }
  return g_string_free(out, FALSE);
}

/* forward.c - finding the original inside a forwarded report (forward.h).
 *
 * An attached message/rfc822 is the original as it stands. Inline forwards
 * are found by reading the body's lines top-down until the first event: a
 * reply attribution ("On ... wrote:") ends the search, since what follows
 * is quoted history; a forward marker line or an Outlook header block
 * starts the original. Outlook writes the same block above replies and
 * forwards, so its block (with "-----Original Message-----", a rule of
 * underscores or nothing above it) is a forward only under a forward
 * subject (FW:, Fwd:, TR:, WG:) and otherwise ends the search as a reply.
 * The original's own body is searched the same way, so nested forwards
 * unwrap level by level to the innermost; the depth is bounded and every scan reads each
 * line a bounded number of times, so hostile text costs linear work.
 * Pure: reads an IgMail, no I/O, no clock. */
#include "parsers/forward.h"

#include <gmime/gmime.h>
#include <string.h>

#include "parsers/ukdate.h"

/* Real forwards nest two or three deep; more is hostile or a loop. */
#define MAX_DEPTH 8
/* A header block takes this many lines at most; the rest is body. */
#define MAX_BLOCK_LINES 40
/* A header key ("Subject", "Gesendet") sits in this many bytes. */
#define MAX_KEY_LEN 16
/* Longer lines are text, never markers or attributions. */
#define MAX_MARKER_LEN 300
/* Date values longer than this are not dates (ukdate allows 200). */
#define MAX_DATE_LEN 200

typedef struct {
  const char *s;
  gsize len;
} Span;

typedef enum { KEY_NONE, KEY_FROM, KEY_SENT, KEY_TO, KEY_SUBJECT, KEY_REPLY_TO, KEY_OTHER } Key;
typedef enum { MARK_NONE, MARK_FORWARDED, MARK_ORIGINAL, MARK_RULE, MARK_REPLY } Mark;
typedef enum { SUBJ_PLAIN, SUBJ_FORWARD, SUBJ_REPLY } SubjectKind;

typedef struct {
  GArray *spans;      /* Span per line, without "\n" and a trailing "\r" */
  gint last_unquoted; /* last non-blank line not starting with '>', or -1 */
} Lines;

/* An Outlook/Gmail/Thunderbird/Apple header block, values as written. */
typedef struct {
  GString *from, *sent, *subject, *reply_to;
  gboolean has_to;
  guint keys;
  Key last;           /* the key a continuation line extends */
  gboolean last_open; /* the To/Cc value ended with ',' or ';' */
  guint end;          /* first line after the block */
} Block;

/* Header names as Outlook writes them in English, German and French
 * (the TR:/WG: subject prefixes come from the latter two). */
static const struct {
  const char *name;
  Key key;
} key_names[] = {
  { "from", KEY_FROM }, { "von", KEY_FROM }, { "de", KEY_FROM },
  { "sent", KEY_SENT }, { "date", KEY_SENT }, { "gesendet", KEY_SENT },
  { "datum", KEY_SENT }, { "envoyé", KEY_SENT }, { "envoye", KEY_SENT },
  { "to", KEY_TO }, { "an", KEY_TO }, { "à", KEY_TO }, { "À", KEY_TO },
  { "cc", KEY_TO }, { "bcc", KEY_TO }, { "cci", KEY_TO },
  { "subject", KEY_SUBJECT }, { "betreff", KEY_SUBJECT }, { "objet", KEY_SUBJECT },
  { "reply-to", KEY_REPLY_TO }, { "antwort an", KEY_REPLY_TO },
  { "répondre à", KEY_REPLY_TO }, { "importance", KEY_OTHER },
  { "attachments", KEY_OTHER }, { "anlagen", KEY_OTHER },
};

/* The words between the dashes of a marker line. */
static const char *const forwarded_words[] = {
  "forwarded message", "weitergeleitete nachricht", "message transféré",
  "mensaje reenviado", "messaggio inoltrato", NULL };
static const char *const original_words[] = {
  "original message", "ursprüngliche nachricht", "message d'origine", NULL };
static const char *const apple_markers[] = {
  "begin forwarded message:", "anfang der weitergeleiteten nachricht:",
  "début du message réexpédié :", NULL };

/* --- spans --- */

/* Bytes of white space at p (ASCII, U+00A0, U+202F): HTML turned into
 * text and Outlook put no-break spaces around header keys. */
static gsize space_at(const char *p, const char *end)
{
  if (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    return 1;
  if (end - p >= 2 && (guchar)p[0] == 0xC2 && (guchar)p[1] == 0xA0)
    return 2;
  if (end - p >= 3 && (guchar)p[0] == 0xE2 && (guchar)p[1] == 0x80 &&
      (guchar)p[2] == 0xAF)
    return 3;
  return 0;
}

static Span trim(Span t)
{
  const char *s = t.s, *e = t.s + t.len;
  gsize n;
  while ((n = space_at(s, e)) > 0)
    s += n;
  /* trailing: ASCII or the last bytes of a no-break space */
  for (;;) {
    if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
      e--;
    else if (e - s >= 2 && space_at(e - 2, e) == 2)
      e -= 2;
    else if (e - s >= 3 && space_at(e - 3, e) == 3)
      e -= 3;
    else
      break;
  }
  return (Span){ s, (gsize)(e - s) };
}

static gboolean span_equal_ci(Span t, const char *word)
{
  const gsize n = strlen(word);
  return t.len == n && g_ascii_strncasecmp(t.s, word, n) == 0;
}

static gboolean starts_with(Span t, const char *word)
{
  const gsize n = strlen(word);
  return t.len >= n && strncmp(t.s, word, n) == 0;
}

static gboolean ends_with(Span t, const char *word)
{
  const gsize n = strlen(word);
  return t.len >= n && g_ascii_strncasecmp(t.s + t.len - n, word, n) == 0;
}

static gboolean in_list(Span t, const char *const *list)
{
  for (guint i = 0; list[i]; i++)
    if (span_equal_ci(t, list[i]))
      return TRUE;
  return FALSE;
}

static gboolean is_quoted(Span t)
{
  Span s = trim(t);
  return s.len > 0 && s.s[0] == '>';
}

/* One level of "> " quoting off; indentation after it is kept. */
static Span unquote(Span t)
{
  Span s = trim(t);
  if (s.len == 0 || s.s[0] != '>')
    return t;
  s.s++, s.len--;
  if (s.len > 0 && s.s[0] == ' ')
    s.s++, s.len--;
  return s;
}

/* --- lines --- */

static void lines_init(Lines *l, const char *text)
{
  const char *p = text;
  l->spans = g_array_new(FALSE, FALSE, sizeof(Span));
  l->last_unquoted = -1;
  while (*p) {
    const char *nl = strchr(p, '\n');
    Span s = { p, nl ? (gsize)(nl - p) : strlen(p) };
    if (s.len > 0 && s.s[s.len - 1] == '\r')
      s.len--;
    if (trim(s).len > 0 && !is_quoted(s))
      l->last_unquoted = (gint)l->spans->len;
    g_array_append_val(l->spans, s);
    if (!nl)
      break;
    p = nl + 1;
  }
}

static Span line_at(const Lines *l, guint i, gboolean quoted)
{
  Span s = g_array_index(l->spans, Span, i);
  return quoted ? unquote(s) : s;
}

/* Lines [from, to) joined with "\n", stripped; "" when there are none. */
static char *join_lines(const Lines *l, guint from, guint to, gboolean quoted)
{
  GString *out = g_string_new(NULL);
  for (guint i = from; i < to && i < l->spans->len; i++) {
    Span s = line_at(l, i, quoted);
    g_string_append_len(out, s.s, (gssize)s.len);
    g_string_append_c(out, '\n');
  }
  return g_strstrip(g_string_free(out, FALSE));
}

static guint skip_blank(const Lines *l, guint i, gboolean quoted)
{
  while (i < l->spans->len && trim(line_at(l, i, quoted)).len == 0)
    i++;
  return i;
}

/* --- classification --- */

static SubjectKind subject_kind(const char *subject)
{
  static const char *const fw[] = { "fw", "fwd", "tr", "wg", "rv", "enc", NULL };
  static const char *const re[] = { "re", "aw", "sv", "antw", "res", NULL };
  const char *p = subject ? subject : "";
  Span word;
  /* external-mail tags such as "[EXTERNAL]" come before the prefix */
  for (guint tags = 0; tags < 4; tags++) {
    while (g_ascii_isspace(*p))
      p++;
    const char *close = *p == '[' ? strchr(p, ']') : NULL;
    if (!close)
      break;
    p = close + 1;
  }
  word.s = p;
  while (g_ascii_isalpha(*p))
    p++;
  word.len = (gsize)(p - word.s);
  while (*p == ' ')
    p++; /* French typography: "TR :" */
  if (*p != ':' || word.len == 0)
    return SUBJ_PLAIN;
  if (in_list(word, fw))
    return SUBJ_FORWARD;
  return in_list(word, re) ? SUBJ_REPLY : SUBJ_PLAIN;
}

static Mark marker_of(Span line)
{
  Span t = trim(line);
  gsize lead = 0, tail = 0;
  if (t.len == 0 || t.len > MAX_MARKER_LEN)
    return MARK_NONE;
  if (t.s[0] == '_') {
    while (lead < t.len && t.s[lead] == '_')
      lead++;
    return lead == t.len && lead >= 10 ? MARK_RULE : MARK_NONE;
  }
  if (in_list(t, apple_markers))
    return MARK_FORWARDED;
  if (t.s[0] == '-') {
    while (lead < t.len && t.s[lead] == '-')
      lead++;
    while (tail < t.len - lead && t.s[t.len - 1 - tail] == '-')
      tail++;
    if (lead < 3 || tail < 3)
      return MARK_NONE;
    Span words = trim((Span){ t.s + lead, t.len - lead - tail });
    /* mutt: "----- Forwarded message from Name <addr> -----" */
    if (in_list(words, forwarded_words) ||
        (words.len > 23 && g_ascii_strncasecmp(words.s, "forwarded message from ", 23) == 0))
      return MARK_FORWARDED;
    return in_list(words, original_words) ? MARK_ORIGINAL : MARK_NONE;
  }
  if ((starts_with(t, "On ") && ends_with(t, "wrote:")) ||
      (starts_with(t, "Am ") && ends_with(t, "schrieb:")) ||
      (starts_with(t, "Le ") && ends_with(t, "a écrit :")))
    return MARK_REPLY;
  return MARK_NONE;
}

/* "On Mon, 23 Nov 2026 at 09:14, Jane Doe <jane@example.org>" wrapped
 * before "wrote:", as Gmail does with long attributions. */
static gboolean is_wrapped_attribution(const Lines *l, guint i, gboolean quoted)
{
  Span t = trim(line_at(l, i, quoted)), next;
  if (!starts_with(t, "On ") || i + 1 >= l->spans->len)
    return FALSE;
  next = trim(line_at(l, i + 1, quoted));
  return next.len <= MAX_MARKER_LEN && ends_with(next, "wrote:");
}

/* "Key: value" at the start of line; KEY_NONE for anything else. */
static Key key_of(Span line, Span *value)
{
  const gsize scan = MIN(line.len, (gsize)MAX_KEY_LEN + 4);
  const char *colon = memchr(line.s, ':', scan);
  if (!colon || line.len == 0 || space_at(line.s, line.s + line.len) > 0)
    return KEY_NONE;
  Span name = trim((Span){ line.s, (gsize)(colon - line.s) });
  for (gsize i = 0; i < G_N_ELEMENTS(key_names); i++) {
    if (span_equal_ci(name, key_names[i].name)) {
      const char *v = colon + 1;
      *value = trim((Span){ v, (gsize)(line.s + line.len - v) });
      return key_names[i].key;
    }
  }
  return KEY_NONE;
}

/* --- header blocks --- */

static void block_clear(Block *b)
{
  if (b->from)
    g_string_free(b->from, TRUE);
  if (b->sent)
    g_string_free(b->sent, TRUE);
  if (b->subject)
    g_string_free(b->subject, TRUE);
  if (b->reply_to)
    g_string_free(b->reply_to, TRUE);
  memset(b, 0, sizeof(*b));
}

static GString **block_slot(Block *b, Key k)
{
  return k == KEY_FROM ? &b->from : k == KEY_SENT ? &b->sent
         : k == KEY_SUBJECT ? &b->subject : k == KEY_REPLY_TO ? &b->reply_to : NULL;
}

/* Reads "Key: value" lines from start up to a blank line, a line that is
 * neither a key nor a continuation, or MAX_BLOCK_LINES. A continuation is
 * indented, follows a To/Cc value ending in a separator (Outlook wraps
 * recipient lists at the margin), or stands between two keys (Thunderbird
 * wraps a long Subject at the margin without indenting). The first value
 * of each key wins. */
static void block_read(Block *b, const Lines *l, guint start, gboolean quoted)
{
  const guint limit = MIN(l->spans->len, start + MAX_BLOCK_LINES);
  guint i;
  for (i = start; i < limit; i++) {
    Span line = line_at(l, i, quoted), value = { 0 }, t = trim(line);
    const Key k = key_of(line, &value);
    if (t.len == 0)
      break;
    if (k != KEY_NONE) {
      GString **slot = block_slot(b, k);
      if (slot && !*slot)
        *slot = g_string_new_len(value.s, (gssize)value.len);
      b->has_to |= k == KEY_TO;
      b->keys++;
      b->last = k;
      b->last_open = k == KEY_TO && (ends_with(value, ",") || ends_with(value, ";"));
    } else if (b->keys > 0 && (space_at(line.s, line.s + line.len) > 0 || b->last_open ||
                               (i + 1 < limit && key_of(line_at(l, i + 1, quoted), &value) !=
                                                     KEY_NONE))) {
      GString **slot = block_slot(b, b->last);
      if (slot && *slot) {
        g_string_append_c(*slot, ' ');
        g_string_append_len(*slot, t.s, (gssize)t.len);
      }
      b->last_open = b->last == KEY_TO && (ends_with(t, ",") || ends_with(t, ";"));
    } else {
      break;
    }
  }
  b->end = i;
}

/* --- values --- */

/* Header text as the original client wrote it: RFC 2047 words decoded
 * (some clients copy them verbatim), always valid UTF-8, one line. */
static char *decode_value(const char *raw)
{
  g_autofree char *decoded = NULL;
  if (strstr(raw, "=?")) {
    mail_library_init();
    decoded = g_mime_utils_header_decode_text(NULL, raw);
  }
  /* one line, as mail.c keeps header values */
  return g_strdelimit(g_utf8_make_valid(decoded ? decoded : raw, -1), "\r\n\t", ' ');
}

static gboolean plausible_addr(const char *a)
{
  const char *at = strchr(a, '@');
  return at && at > a && at[1] && !strchr(at + 1, '@') &&
         !strpbrk(a, " \t<>[]()\",;");
}

/* "Name <addr>", "Name [mailto:addr]", "<addr>", "addr", "Name": the
 * address lower-cased, the name without quotes, either NULL if absent. */
static void read_from(const char *raw, char **name, char **addr)
{
  g_autofree char *v = decode_value(raw);
  g_autofree char *a = NULL;
  char *open = strchr(v, '<');
  gsize name_len = 0;
  for (char *p = v; !open && (p = strchr(p, '[')) != NULL; p++)
    if (g_ascii_strncasecmp(p + 1, "mailto:", 7) == 0)
      open = p;
  if (open) {
    const char *p = open + 1;
    name_len = (gsize)(open - v);
    while (*p == ' ')
      p++;
    if (g_ascii_strncasecmp(p, "mailto:", 7) == 0)
      p += 7;
    a = g_strndup(p, strcspn(p, "<>[] \t"));
  } else {
    a = g_strstrip(g_strdup(v));
  }
  if (!plausible_addr(a)) {
    g_clear_pointer(&a, g_free);
    name_len = strlen(v); /* "From: Jane Doe", as Exchange writes it */
  }
  g_autofree char *n = g_strstrip(g_strndup(v, name_len));
  gsize len = strlen(n);
  while (len >= 2 && (n[0] == '"' || n[0] == '\'') && n[len - 1] == n[0]) {
    memmove(n, n + 1, len - 2);
    n[len - 2] = '\0';
    len = strlen(g_strstrip(n));
  }
  *addr = a ? g_ascii_strdown(a, -1) : NULL;
  *name = *n && !(a && g_ascii_strcasecmp(n, a) == 0) ? g_steal_pointer(&n) : NULL;
}

/* The zone names ukdate does not know, as offsets. */
static const struct {
  const char *name, *offset;
} zones[] = {
  { "CET", "+0100" }, { "CEST", "+0200" }, { "EST", "-0500" }, { "EDT", "-0400" },
  { "CST", "-0600" }, { "CDT", "-0500" }, { "MST", "-0700" }, { "MDT", "-0600" },
  { "PST", "-0800" }, { "PDT", "-0700" },
};

/* The forms in forward.h go to ukdate after two repairs: RFC 5322
 * comments ("+0000 (UTC)") are dropped and a trailing zone name ukdate
 * lacks becomes its offset. Anything else unreadable stays NULL. */
static GDateTime *read_date(const char *raw, GTimeZone *tz)
{
  GString *s = g_string_sized_new(MAX_DATE_LEN + 2);
  guint paren = 0;
  GDateTime *dt = NULL;
  for (const char *p = raw; *p && s->len <= MAX_DATE_LEN; p++) {
    if (*p == '(')
      paren++;
    else if (*p == ')' && paren > 0)
      paren--;
    else if (paren == 0)
      g_string_append_c(s, *p);
  }
  g_strchomp(s->str);
  g_string_set_size(s, strlen(s->str));
  const char *space = strrchr(s->str, ' ');
  for (gsize i = 0; space && i < G_N_ELEMENTS(zones); i++) {
    if (strcmp(space + 1, zones[i].name) == 0) {
      g_string_truncate(s, (gsize)(space + 1 - s->str));
      g_string_append(s, zones[i].offset);
      break;
    }
  }
  if (s->len <= MAX_DATE_LEN)
    dt = ukdate_parse(s->str, tz);
  g_string_free(s, TRUE);
  return dt;
}

/* --- unwrapping --- */

static IgForward *forward_from_block(const Block *b, GTimeZone *tz)
{
  IgForward *f = g_new0(IgForward, 1);
  if (b->from)
    read_from(b->from->str, &f->from_name, &f->from_addr);
  if (b->sent)
    f->date = read_date(b->sent->str, tz);
  if (b->subject)
    f->subject = decode_value(b->subject->str);
  if (b->reply_to) {
    g_autofree char *name = NULL;
    read_from(b->reply_to->str, &name, &f->reply_to);
  }
  return f;
}

/* Links outer as the level around the outermost level of inner's chain;
 * returns inner, the innermost. */
static IgForward *enclose(IgForward *inner, IgForward *outer)
{
  IgForward *top = inner;
  while (top->outer)
    top = top->outer;
  top->outer = outer;
  return inner;
}

/* Finds the first forward in text, or NULL at a reply or at the end. The
 * subject is that of the message text belongs to: the only evidence that
 * tells an Outlook forward from an Outlook reply. */
static IgForward *find_inline(const char *text, const char *subject, guint depth,
                              GTimeZone *tz)
{
  const SubjectKind kind = subject_kind(subject);
  Lines l;
  Block b = { 0 };
  IgForward *found = NULL;
  guint i, marker = 0;
  gboolean quoted = FALSE, stop = FALSE;
  lines_init(&l, text);
  for (i = 0; i < l.spans->len && !found && !stop; i++) {
    const Span raw = g_array_index(l.spans, Span, i);
    const gboolean line_quoted = is_quoted(raw);
    /* quoting is one level of "> " over the whole forwarded block: from
     * here on, every non-blank line starts with '>' */
    const gboolean all_quoted = l.last_unquoted <= (gint)i;
    const Span line = line_quoted ? unquote(raw) : raw;
    Span value = { 0 };
    Mark m;
    if (line_quoted && (!all_quoted || kind == SUBJ_REPLY))
      continue; /* quoted history of a reply, not a forward */
    m = marker_of(line);
    marker = i;
    if (m == MARK_REPLY || is_wrapped_attribution(&l, i, line_quoted)) {
      stop = TRUE;
    } else if (m != MARK_NONE) {
      quoted = all_quoted;
      block_clear(&b);
      block_read(&b, &l, skip_blank(&l, i + 1, quoted), quoted);
      if (m == MARK_RULE && !(b.from && (b.sent || b.subject)))
        continue; /* a decorative line */
      if ((m == MARK_ORIGINAL || m == MARK_RULE) && kind != SUBJ_FORWARD)
        stop = TRUE; /* Outlook's reply history */
      else
        found = forward_from_block(&b, tz); /* fields NULL if unreadable */
    } else if (key_of(line, &value) == KEY_FROM) {
      /* a bare Outlook block: no line above it */
      quoted = line_quoted;
      block_clear(&b);
      block_read(&b, &l, i, quoted);
      if (b.from && b.sent && (b.has_to || b.subject)) {
        if (kind == SUBJ_FORWARD)
          found = forward_from_block(&b, tz);
        else
          stop = TRUE;
      }
    }
  }
  if (found) {
    found->note = join_lines(&l, 0, marker, FALSE);
    if (!*found->note)
      g_clear_pointer(&found->note, g_free);
    found->body = join_lines(&l, skip_blank(&l, b.end, quoted), l.spans->len, quoted);
    found->depth = depth + 1;
    /* the original may itself be a forward */
    IgForward *inner = depth + 1 < MAX_DEPTH
                           ? find_inline(found->body, found->subject, depth + 1, tz)
                           : NULL;
    if (inner)
      found = enclose(inner, found);
  }
  block_clear(&b);
  g_array_unref(l.spans);
  return found;
}

/* Delivery and read reports carry the reported message as an attachment:
 * that is not a forward. */
static gboolean is_report(const IgMail *mail)
{
  return mail->report_type &&
         (strcmp(mail->report_type, "delivery-status") == 0 ||
          strcmp(mail->report_type, "disposition-notification") == 0);
}

static IgForward *find_in_mail(const IgMail *mail, guint depth, GTimeZone *tz)
{
  IgForward *f = NULL;
  if (depth >= MAX_DEPTH)
    return NULL;
  if (mail->embedded && mail->embedded->len > 0 && !is_report(mail)) {
    const IgMail *orig = g_ptr_array_index(mail->embedded, 0);
    IgForward *inner = find_in_mail(orig, depth + 1, tz);
    f = g_new0(IgForward, 1);
    f->from_name = g_strdup(orig->from_name);
    f->from_addr = g_strdup(orig->from_addr);
    f->reply_to = g_strdup(orig->reply_to);
    f->date = orig->date ? g_date_time_ref(orig->date) : NULL;
    f->subject = g_strdup(orig->subject);
    f->body = g_strstrip(g_strdup(orig->body ? orig->body : ""));
    f->note = g_strstrip(g_strdup(mail->body ? mail->body : ""));
    if (!*f->note)
      g_clear_pointer(&f->note, g_free);
    f->depth = depth + 1;
    f->attached = TRUE;
    f->mail = orig;
    if (inner)
      f = enclose(inner, f);
  } else {
    f = find_inline(mail->body ? mail->body : "", mail->subject, depth, tz);
  }
  return f;
}

IgForward *forward_find(const IgMail *mail, GTimeZone *tz)
{
  return mail ? find_in_mail(mail, 0, tz) : NULL;
}

void forward_free(IgForward *forward)
{
  while (forward) {
    IgForward *outer = forward->outer;
    g_free(forward->from_name);
    g_free(forward->from_addr);
    if (forward->date)
      g_date_time_unref(forward->date);
    g_free(forward->subject);
    g_free(forward->body);
    g_free(forward->note);
    g_free(forward->reply_to);
    g_free(forward);
    forward = outer;
  }
}

/* rtf.c - compressed RTF and RTF as text (rtf.h).
 *
 * Decompression follows MS-OXRTFCP: LZ77 references into a 4096-byte ring
 * that starts with a fixed RTF preamble. The RTF reader is a single pass
 * over the bytes with a stack of group states: destinations that are not
 * text (font and colour tables, pictures, field instructions, unknown \*
 * destinations) are skipped, paragraph and cell marks become line and tab
 * breaks, \'hh bytes are gathered and converted from the code page, \uN
 * becomes UTF-8 (surrogate pairs joined) and its fallback characters are
 * dropped. For \fromhtml1 RTF only the \*\htmltag groups and the text
 * outside \htmlrtf are kept: that is the HTML original (MS-OXRTFEX).
 * Output, nesting and control-word lengths are bounded. Pure. */
#include "parsers/rtf.h"

#include <string.h>

#include "parsers/html.h"
#include "parsers/mail.h"

/* Text produced from one RTF document, and group nesting followed. */
#define MAX_RTF_OUT (4u << 20)
#define MAX_RTF_DEPTH 256

#define RTF_LZFU 0x75465A4Cu
#define RTF_MELA 0x414C454Du

typedef struct {
  const guchar *p;
  gsize len, pos;
} Reader;

static gboolean take32(Reader *r, guint32 *v)
{
  if (r->len - r->pos < 4)
    return FALSE;
  *v = (guint32)r->p[r->pos] | (guint32)r->p[r->pos + 1] << 8 |
       (guint32)r->p[r->pos + 2] << 16 | (guint32)r->p[r->pos + 3] << 24;
  r->pos += 4;
  return TRUE;
}

static char *codepage_charset(guint32 cp)
{
  if (cp == 65001)
    return g_strdup("utf-8");
  if (cp == 20127)
    return g_strdup("us-ascii");
  if (cp >= 28591 && cp <= 28599)
    return g_strdup_printf("iso-8859-%u", cp - 28590);
  return cp ? g_strdup_printf("CP%u", cp) : NULL;
}

char *codepage_to_utf8(const void *data, gsize len, guint32 cp)
{
  const guchar *p = data;
  g_autofree char *charset = codepage_charset(cp);
  mail_library_init(); /* mail_to_utf8 reads GMime's charset tables */
  /* Notepad's "Unicode" text files are UTF-16 with a byte order mark */
  if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
    g_autofree char *u = g_convert((const char *)p + 2, (gssize)(len - 2), "UTF-8",
                                   p[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", NULL, NULL, NULL);
    if (u)
      return g_utf8_make_valid(u, -1);
  }
  if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
    p += 3, len -= 3;
  return mail_to_utf8((const char *)p, len, charset);
}

/* MS-OXRTFCP: LZ77 over a 4096-byte ring that starts with this text. */
GByteArray *rtf_decompress(const void *data, gsize len)
{
  const guchar *p = data;
  static const char prebuf[] =
      "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman "
      "\\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New "
      "RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
      "\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
  G_STATIC_ASSERT(sizeof(prebuf) - 1 == 207); /* the spec's length */
  Reader r = { p, len, 0 };
  guint32 comp = 0, raw = 0, magic = 0;
  GByteArray *out = NULL;
  if (!take32(&r, &comp) || !take32(&r, &raw) || !take32(&r, &magic) ||
      len - r.pos < 4)
    return NULL;
  r.pos += 4; /* the CRC */
  const gsize end = MIN(len, (gsize)comp + 4), limit = MIN((gsize)raw, (gsize)MAX_RTF_OUT);
  out = g_byte_array_sized_new((guint)MIN(limit, (gsize)65536));
  if (magic == RTF_MELA) {
    g_byte_array_append(out, p + r.pos, (guint)MIN(limit, len - r.pos));
  } else if (magic == RTF_LZFU) {
    guchar ring[4096] = { 0 };
    guint wpos = sizeof(prebuf) - 1, in = (guint)r.pos;
    gboolean done = FALSE;
    memcpy(ring, prebuf, sizeof(prebuf) - 1);
    while (!done && in < end && out->len < limit) {
      const guint control = p[in++];
      for (guint bit = 0; bit < 8 && !done && in < end && out->len < limit; bit++) {
        if (!(control & (1u << bit))) {
          ring[wpos] = p[in++];
          g_byte_array_append(out, &ring[wpos], 1);
          wpos = (wpos + 1) % 4096;
          continue;
        }
        if (end - in < 2) {
          done = TRUE;
          break;
        }
        const guint ref = (guint)p[in] << 8 | p[in + 1], off = ref >> 4;
        const guint n = (ref & 0xF) + 2;
        in += 2;
        done = off == wpos; /* a reference to the write position ends it */
        for (guint k = 0; k < n && !done && out->len < limit; k++) {
          ring[wpos] = ring[(off + k) % 4096];
          g_byte_array_append(out, &ring[wpos], 1);
          wpos = (wpos + 1) % 4096;
        }
      }
    }
  } else {
    g_clear_pointer(&out, g_byte_array_unref);
  }
  return out;
}

typedef struct {
  gboolean skip;    /* a destination that is not text: font table, picture */
  gboolean htmlrtf; /* \htmlrtf: RTF-only text of an HTML original */
  gboolean htmltag; /* \*\htmltag: the HTML original, kept */
  gboolean star;    /* \*: an unknown destination follows */
  int uc;           /* fallback characters after \uN */
} RtfGroup;

typedef struct {
  GString *out;
  GByteArray *bytes; /* \'hh bytes waiting to be converted */
  guint32 codepage;
  gboolean html;     /* \fromhtml1 */
  int fallback;      /* characters after \uN still to drop */
  gunichar high;     /* a high surrogate waiting for its pair */
  RtfGroup g;
} Rtf;

static gboolean rtf_shown(const Rtf *t)
{
  return !t->g.skip && (!t->html || !t->g.htmlrtf || t->g.htmltag);
}

static void rtf_flush(Rtf *t)
{
  if (t->bytes->len == 0)
    return;
  g_autofree char *s = codepage_to_utf8(t->bytes->data, t->bytes->len, t->codepage ? t->codepage : 1252);
  g_string_append(t->out, s);
  g_byte_array_set_size(t->bytes, 0);
}

static void rtf_text(Rtf *t, const char *s)
{
  if (t->fallback > 0) {
    t->fallback--;
    return;
  }
  if (!rtf_shown(t))
    return;
  rtf_flush(t);
  g_string_append(t->out, s);
}

static void rtf_byte(Rtf *t, guchar b)
{
  if (t->fallback > 0)
    t->fallback--;
  else if (rtf_shown(t))
    g_byte_array_append(t->bytes, &b, 1);
}

static void rtf_unicode(Rtf *t, long v)
{
  gunichar c = (gunichar)(v < 0 ? v + 65536 : v) & 0xFFFF;
  char buf[8] = { 0 };
  if (c >= 0xD800 && c <= 0xDBFF) {
    t->high = c;
  } else {
    if (c >= 0xDC00 && c <= 0xDFFF)
      c = t->high ? 0x10000 + ((t->high - 0xD800) << 10) + (c - 0xDC00) : 0xFFFD;
    t->high = 0;
    if (rtf_shown(t)) {
      rtf_flush(t);
      g_unichar_to_utf8(c ? c : 0xFFFD, buf);
      g_string_append(t->out, buf);
    }
  }
  t->fallback = t->g.uc;
}

static void rtf_word(Rtf *t, const char *w, gboolean has_n, long n, Reader *r)
{
  static const char *const hidden[] = {
    "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "objdata",
    "header", "footer", "headerl", "headerr", "footerl", "footerr", "listtable",
    "listoverridetable", "rsidtbl", "generator", "xmlnstbl", "themedata",
    "colorschememapping", "latentstyles", "datastore", "filetbl", "revtbl",
    "fldinst", "mhtmltag", "nonshppict", "pgdsctbl", "mmathPr", NULL };
  static const struct { const char *word, *text; } symbols[] = {
    { "par", "\n" }, { "line", "\n" }, { "sect", "\n" }, { "page", "\n" },
    { "row", "\n" }, { "tab", "\t" }, { "cell", "\t" }, { "emdash", "—" },
    { "endash", "–" }, { "lquote", "‘" }, { "rquote", "’" }, { "ldblquote", "“" },
    { "rdblquote", "”" }, { "bullet", "•" }, { "emspace", " " }, { "enspace", " " } };
  const gboolean star = t->g.star;
  t->g.star = FALSE;
  if (star && strcmp(w, "htmltag") == 0 && t->html) {
    t->g.htmltag = TRUE;
    return;
  }
  if (star || g_strv_contains(hidden, w)) {
    t->g.skip = TRUE;
  } else if (strcmp(w, "fromhtml") == 0) {
    t->html = TRUE;
  } else if (strcmp(w, "htmlrtf") == 0) {
    t->g.htmlrtf = !(has_n && n == 0);
  } else if (strcmp(w, "ansicpg") == 0 && n > 0) {
    t->codepage = (guint32)n;
  } else if (strcmp(w, "uc") == 0 && n >= 0 && n < 10) {
    t->g.uc = (int)n;
  } else if (strcmp(w, "u") == 0 && has_n) {
    rtf_unicode(t, n);
  } else if (strcmp(w, "bin") == 0 && n > 0) {
    r->pos += MIN((gsize)n, r->len - r->pos); /* binary data, not text */
  } else {
    for (gsize i = 0; i < G_N_ELEMENTS(symbols); i++)
      if (strcmp(w, symbols[i].word) == 0)
        rtf_text(t, symbols[i].text);
  }
}

/* Reads a control word or symbol after its backslash. */
static void rtf_control(Rtf *t, Reader *r)
{
  const guchar c = r->p[r->pos];
  if (g_ascii_isalpha(c)) {
    char w[33];
    gsize n = 0, digits = 0;
    long v = 0;
    gboolean neg = FALSE;
    while (r->pos < r->len && g_ascii_isalpha(r->p[r->pos])) {
      if (n < sizeof(w) - 1)
        w[n++] = (char)r->p[r->pos];
      r->pos++;
    }
    w[n] = '\0';
    if (r->pos < r->len && r->p[r->pos] == '-')
      neg = TRUE, r->pos++;
    while (r->pos < r->len && g_ascii_isdigit(r->p[r->pos])) {
      if (digits++ < 9)
        v = v * 10 + (r->p[r->pos] - '0');
      r->pos++;
    }
    if (r->pos < r->len && r->p[r->pos] == ' ')
      r->pos++; /* the delimiter belongs to the word */
    rtf_word(t, w, digits > 0, neg ? -v : v, r);
    return;
  }
  r->pos++;
  if (c == '\'') {
    if (r->len - r->pos >= 2 && g_ascii_isxdigit(r->p[r->pos]) &&
        g_ascii_isxdigit(r->p[r->pos + 1])) {
      rtf_byte(t, (guchar)(g_ascii_xdigit_value(r->p[r->pos]) << 4 |
                           g_ascii_xdigit_value(r->p[r->pos + 1])));
      r->pos += 2;
    }
  } else if (c == '*') {
    t->g.star = TRUE;
  } else if (c == '\\' || c == '{' || c == '}') {
    const char s[2] = { (char)c, '\0' };
    rtf_text(t, s);
  } else if (c == '~') {
    rtf_text(t, " ");
  } else if (c == '_') {
    rtf_text(t, "-");
  } else if (c == '\n' || c == '\r') {
    rtf_text(t, "\n");
  }
}

/* RTF to plain text: destinations that are not text are skipped, \par and
 * friends become line breaks, \'hh and \uN become UTF-8. Every byte is read
 * once; group nesting beyond MAX_RTF_DEPTH keeps the outer group's state. */
char *rtf_to_text(const void *rtf, gsize len, guint32 codepage)
{
  const guchar *p = rtf;
  Rtf t = { .out = g_string_new(NULL), .bytes = g_byte_array_new(),
            .codepage = codepage, .g = { .uc = 1 } };
  GArray *stack = g_array_new(FALSE, FALSE, sizeof(RtfGroup));
  Reader r = { p, len, 0 };
  guint deep = 0;
  char *text;
  while (r.pos < r.len && t.out->len < MAX_RTF_OUT) {
    const guchar c = r.p[r.pos];
    if (c == '{') {
      r.pos++;
      if (stack->len < MAX_RTF_DEPTH)
        g_array_append_val(stack, t.g);
      else
        deep++;
    } else if (c == '}') {
      r.pos++;
      t.fallback = 0; /* \uN's fallback ends with its group */
      if (deep > 0) {
        deep--;
      } else if (stack->len > 0) {
        t.g = g_array_index(stack, RtfGroup, stack->len - 1);
        g_array_set_size(stack, stack->len - 1);
      }
    } else if (c == '\\') {
      r.pos++;
      if (r.pos < r.len)
        rtf_control(&t, &r);
    } else {
      r.pos++;
      if (c == '\r' || c == '\n' || c == '\0')
        continue;
      if (c >= 0x80) {
        rtf_byte(&t, c);
      } else {
        const char s[2] = { (char)c, '\0' };
        rtf_text(&t, s);
      }
    }
  }
  rtf_flush(&t);
  g_array_unref(stack);
  g_byte_array_unref(t.bytes);
  if (t.html) {
    text = html_to_text(t.out->str, t.out->len);
    g_string_free(t.out, TRUE);
  } else {
    text = g_string_free(t.out, FALSE);
  }
  return g_strstrip(text);
}

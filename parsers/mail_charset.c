/* mail_charset.c - any charset to UTF-8 (mail_to_utf8 of mail.h): what a
 * part declares, corrected where mail commonly lies (text labelled ASCII
 * or Latin-1 that is really UTF-8 or Windows-1252), NUL bytes dropped. */
#include "parsers/mail.h"

#include <gmime/gmime.h>
#include <string.h>

static char *strip_nul(const char *data, gsize len, gsize *out_len)
{
  char *copy = g_malloc(len + 1);
  /* an empty part has no buffer at all: data may be NULL */
  const char *nul = len ? memchr(data, '\0', len) : NULL;
  if (!nul) {
    if (len)
      memcpy(copy, data, len);
    copy[len] = '\0';
    *out_len = len;
    return copy;
  }
  gsize n = 0;
  for (gsize i = 0; i < len; i++)
    if (data[i] != '\0')
      copy[n++] = data[i];
  copy[n] = '\0';
  *out_len = n;
  return copy;
}

static char *convert(const char *data, gsize len, const char *from)
{
  gsize written = 0;
  char *out = g_convert(data, (gssize)len, "UTF-8", from, NULL, &written, NULL);
  if (out && !g_utf8_validate(out, (gssize)written, NULL)) {
    g_free(out);
    return NULL;
  }
  return out;
}

/* Windows-1252 by table rather than iconv: iconv rejects the whole text
 * for one of the five bytes the charset leaves undefined, and those become
 * U+FFFD here instead. Every byte maps, so this cannot fail. */
static char *from_windows_1252(const char *data, gsize len)
{
  static const gunichar c1[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
  };
  GString *out = g_string_sized_new(len + len / 8);
  for (gsize i = 0; i < len; i++) {
    guchar b = (guchar)data[i];
    if (b < 0x80)
      g_string_append_c(out, (char)b);
    else
      g_string_append_unichar(out, b < 0xA0 ? c1[b - 0x80] : b);
  }
  return g_string_free(out, FALSE);
}

char *mail_to_utf8(const char *data, gsize len, const char *charset)
{
  gsize n = 0;
  g_autofree char *clean = strip_nul(data, len, &n);
  const char *canon = charset ? g_mime_charset_canon_name(charset) : NULL;
  /* Text declared as ASCII or Latin-1 is often really UTF-8 or
   * Windows-1252: those are tried in that order below. */
  gboolean loose = !canon || !g_ascii_strcasecmp(canon, "utf-8") ||
                   !g_ascii_strcasecmp(canon, "us-ascii") ||
                   !g_ascii_strcasecmp(canon, "iso-8859-1") ||
                   !g_ascii_strcasecmp(canon, "windows-1252");
  if (!loose) {
    char *out = convert(clean, n, g_mime_charset_iconv_name(charset));
    if (out)
      return out;
  }
  if (g_utf8_validate(clean, (gssize)n, NULL))
    return g_steal_pointer(&clean);
  return from_windows_1252(clean, n);
}

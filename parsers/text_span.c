/* text_span.c - readers of one line of mail text (text_span.h). */
#include "parsers/text_span.h"

#include <string.h>

void span_trim(const char **s, const char **e)
{
  for (;;) {
    if (*s < *e && g_ascii_isspace(**s))
      (*s)++;
    else if (*e - *s >= 2 && (guchar)(*s)[0] == 0xC2 && (guchar)(*s)[1] == 0xA0)
      *s += 2;
    else
      break;
  }
  for (;;) {
    if (*e > *s && g_ascii_isspace((*e)[-1]))
      (*e)--;
    else if (*e - *s >= 2 && (guchar)(*e)[-2] == 0xC2 && (guchar)(*e)[-1] == 0xA0)
      *e -= 2;
    else
      break;
  }
}

gboolean span_starts(const char *s, const char *e, const char *word)
{
  const gsize n = strlen(word);
  return (gsize)(e - s) >= n && g_ascii_strncasecmp(s, word, n) == 0;
}

gboolean span_sign_off(const char *s, const char *e, const char *const *words)
{
  while (e > s && strchr(",.!", e[-1]))
    e--;
  for (const char *const *w = words; *w; w++) {
    const char *p = s + strlen(*w);
    guint names = 0;
    if (!span_starts(s, e, *w))
      continue;
    if (p == e)
      return TRUE;
    if (*p != ',' && *p != ' ')
      continue;
    while (p < e) {
      while (p < e && (*p == ' ' || *p == ','))
        p++;
      if (p == e)
        break;
      /* a capital or a non-ASCII letter ("Åsa") starts each word */
      if (!g_ascii_isupper(*p) && (guchar)*p < 0x80)
        break;
      while (p < e && *p != ' ')
        p++;
      names++;
    }
    if (p == e && names >= 1 && names <= 3)
      return TRUE;
  }
  return FALSE;
}

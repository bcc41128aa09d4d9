/* loopmark.c - marking our mail and finding the mark again (loopmark.h). */
#include "gateway/loopmark.h"

#include <string.h>

#define KEY "Incident-Gateway:"
/* A reference or an address never needs more; a longer word is not one. */
#define MAX_WORD 254

char *loopmark_line(const char *reference, const char *our_address)
{
  if (reference)
    return g_strdup_printf(KEY " %s %s", reference, our_address);
  return g_strdup_printf(KEY " %s", our_address);
}

/* The next word of the line at *p (at most MAX_WORD characters), moving
 * *p past it; NULL at the end of the line. */
static char *next_word(const char **p)
{
  const char *s = *p;
  while (*s == ' ' || *s == '\t')
    s++;
  gsize n = 0;
  while (s[n] && !g_ascii_isspace(s[n]) && n <= MAX_WORD)
    n++;
  *p = s + n;
  return n && n <= MAX_WORD ? g_strndup(s, n) : NULL;
}

gboolean loopmark_find(const char *text, const char *our_address, char **ours)
{
  gboolean found = FALSE;
  if (ours)
    *ours = NULL;
  for (const char *p = text; p && (p = strstr(p, KEY)); ) {
    found = TRUE;
    p += strlen(KEY);
    if (!ours)
      break;
    g_autofree char *first = next_word(&p);
    g_autofree char *second = first ? next_word(&p) : NULL;
    if (second && our_address && g_ascii_strcasecmp(second, our_address) == 0) {
      *ours = g_steal_pointer(&first);
      break;
    }
  }
  return found;
}

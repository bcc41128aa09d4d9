/* freetext_input.c - the text the free-text analysis reads
 * (freetext_input.h). Pure; reads at most FREETEXT_MAX + 1 bytes of a
 * text, whatever its length. */
#include "parsers/freetext_input.h"

#include <string.h>

/* Where to cut a text longer than FREETEXT_MAX: after the last white
 * space of the prefix, else before the UTF-8 character the prefix would
 * split. */
static gsize cut(const char *text)
{
  gsize len = FREETEXT_MAX;
  while (len > 0 && !g_ascii_isspace(text[len - 1]))
    len--;
  if (len > 0)
    return len;
  len = FREETEXT_MAX;
  while (len > 0 && ((guchar)text[len] & 0xC0) == 0x80)
    len--;
  return len;
}

FtInput *freetext_input_new(const char *text)
{
  FtInput *in = g_new0(FtInput, 1);
  const char *t = text ? text : "";
  const gsize n = strnlen(t, FREETEXT_MAX + 1);
  in->len = n > FREETEXT_MAX ? cut(t) : n;
  in->text = g_malloc(in->len + 1);
  memcpy(in->text, t, in->len);
  in->text[in->len] = '\0';
  in->low = g_malloc(in->len + 1);
  for (gsize i = 0; i <= in->len; i++)
    in->low[i] = (char)(in->text[i] |
                        ((guint8)(in->text[i] - 'A') < 26 ? 0x20 : 0));
  return in;
}

void freetext_input_free(FtInput *in)
{
  if (!in)
    return;
  g_free(in->text);
  g_free(in->low);
  g_free(in);
}

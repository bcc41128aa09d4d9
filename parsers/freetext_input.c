/* freetext_input.c - the text the free-text analysis reads
 * (freetext_input.h). Pure. */
#include "parsers/freetext_input.h"

#include <string.h>

FtInput *freetext_input_new(const char *text)
{
  FtInput *in = g_new0(FtInput, 1);
  in->text = g_strdup(text ? text : "");
  in->len = strlen(in->text);
  in->low = g_malloc(in->len + 1);
  for (gsize i = 0; i <= in->len; i++)
    in->low[i] = (char)(in->text[i] | ((guint8)(in->text[i] - 'A') < 26 ? 0x20 : 0));
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

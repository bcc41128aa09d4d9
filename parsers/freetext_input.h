/* freetext_input.h - the text the free-text analysis reads (private to
 * freetext.c, classify.c and the readers they call).
 *
 * The text is lower-cased (ASCII) once, with the same offsets, for every
 * reader to match words against: no reader lower-cases it again. Pure. */
#ifndef IG_FREETEXT_INPUT_H
#define IG_FREETEXT_INPUT_H

#include <glib.h>

typedef struct {
  char *text; /* the text read, NUL-terminated */
  char *low;  /* the same, ASCII letters lower-cased */
  gsize len;  /* of both */
} FtInput;

/* The text (NULL reads as "") as the analysis reads it. Never NULL; free
 * with freetext_input_free(). */
FtInput *freetext_input_new(const char *text);
void freetext_input_free(FtInput *in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FtInput, freetext_input_free)

#endif

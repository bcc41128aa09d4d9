/* freetext_input.h - the text the free-text analysis reads (private to
 * freetext.c, classify.c and the readers they call).
 *
 * The analysis reads a bounded prefix of a text, so that no message costs
 * more than a few milliseconds however long it is: the first FREETEXT_MAX
 * bytes, cut back to the last white space so that no word is split (to a
 * character when there is none). Reports state their facts in their first
 * lines: the longest report of the accuracy corpus is under 3 KB, a
 * twentieth of the prefix, and bench_freetext reads the prefix in a few
 * milliseconds where the whole of a 4 MB body took over a second. The
 * prefix is lower-cased (ASCII) once, with the same offsets, for every
 * reader to match words against: no reader lower-cases it again. Pure. */
#ifndef IG_FREETEXT_INPUT_H
#define IG_FREETEXT_INPUT_H

#include <glib.h>

#define FREETEXT_MAX (64 * 1024)

typedef struct {
  char *text; /* the prefix read, NUL-terminated */
  char *low;  /* the same, ASCII letters lower-cased */
  gsize len;  /* of both, at most FREETEXT_MAX */
} FtInput;

/* The prefix of text (NULL reads as "") the analysis reads. Never NULL;
 * free with freetext_input_free(). */
FtInput *freetext_input_new(const char *text);
void freetext_input_free(FtInput *in);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FtInput, freetext_input_free)

#endif

/* text_span.h - small readers of one line of mail text, given as the
 * span [s, e) (not NUL-terminated), shared by the parsers that tell a
 * sender's own words from quotes and signatures (textparts.c, reply.c,
 * ost_command.c). Pure; each is linear in the span. */
#ifndef IG_TEXT_SPAN_H
#define IG_TEXT_SPAN_H

#include <glib.h>

/* Moves s and e past white space at either end: ASCII, and the no-break
 * spaces (U+00A0) HTML mail puts in empty paragraphs and after labels. */
void span_trim(const char **s, const char **e);

/* TRUE when the span starts with word, ignoring ASCII case. */
gboolean span_starts(const char *s, const char *e, const char *word);

/* TRUE when the span is a sign-off: one of words (lower case, NULL-
 * terminated: "thanks", "kind regards", ...) alone or followed by a name
 * of one to three capitalised words ("Thanks, Jane Smith"), trailing
 * ",.!" aside; so "Thanks for your help" is not one. */
gboolean span_sign_off(const char *s, const char *e, const char *const *words);

#endif

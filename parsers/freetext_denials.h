/* freetext_denials.h - the words that deny a system or supplier named
 * near them (private to freetext_names.c and freetext_denials.c).
 *
 * Three kinds, each a list of phrases searched in the lower-cased,
 * squashed text: words that deny the names after them ("no impact on
 * NOMIS", "neither was the intranet"), those before them ("Outlook was
 * not affected", "NOMIS is fine"), and words after which a name is the
 * one a lure used ("it said it was from Example Supplier"). Pure; one
 * pass over the text for all three. */
#ifndef IG_FREETEXT_DENIALS_H
#define IG_FREETEXT_DENIALS_H

#include <glib.h>

typedef enum { DENIES_AFTER, DENIES_BEFORE, POSED_AS, DENIAL_KINDS } DenialKind;

typedef struct {
  gsize start, end; /* bytes of the words in the text */
} DenialMatch;

/* Appends to found[kind] (arrays of DenialMatch) the phrases of each kind
 * in low, in order: a phrase is searched for anywhere, as a regular
 * expression would be, from the end of the one before. */
void denials_scan(const char *low, gsize len, GArray *found[DENIAL_KINDS]);

#endif

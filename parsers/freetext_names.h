/* freetext_names.h - the systems, information assets and suppliers a
 * report names (private to freetext.c and its tests).
 *
 * A system or asset counts where the text names it as involved, not
 * where it says it was not ("Outlook was not affected", "no impact on
 * NOMIS or Court Store"). Pure; linear in the text. */
#ifndef IG_FREETEXT_NAMES_H
#define IG_FREETEXT_NAMES_H

#include <glib.h>

#include "parsers/freetext_input.h"

typedef struct {
  char *systems;  /* the known systems named, in order of mention,
                     ", "-joined, or NULL */
  char *asset;    /* of the assets given, the first named, or NULL */
  char *supplier; /* of the suppliers given, the first named, or NULL */
} FtNames;

/* Fills *out from the text read; assets and suppliers are NULL-terminated
 * lists of names to look for (may be NULL). The caller frees out's
 * strings. */
void freetext_names(const FtInput *in, const char *const *assets,
                    const char *const *suppliers, FtNames *out);

#endif

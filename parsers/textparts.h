/* textparts.h - the reporter's own words, apart from what follows them.
 *
 * Splits a plain-text body into what the sender wrote, the signature
 * ("-- " line, or a sign-off such as "Kind regards," with a short block
 * after it) and quoted text ("> " lines, "On ... wrote:", an Outlook
 * header block of an earlier message). Pure. */
#ifndef IG_TEXTPARTS_H
#define IG_TEXTPARTS_H

#include <glib.h>

typedef struct {
  char *own;                  /* what the sender wrote, trimmed; never NULL */
  char *signature;            /* or NULL */
  char *quoted;               /* or NULL */
} IgTextParts;

IgTextParts *textparts_split(const char *body);
void textparts_free(IgTextParts *parts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgTextParts, textparts_free)

#endif

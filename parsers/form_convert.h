/* form_convert.h - from the raw text of the form's fields to IgForm's
 * typed values; used by form.c only. */
#ifndef IG_FORM_CONVERT_H
#define IG_FORM_CONVERT_H

#include <glib.h>

#include "parsers/form.h"
#include "parsers/form_labels.h"

/* Fills form's fields from raw, F_COUNT strings indexed by Field, each the
 * value as written or NULL when the form gave none; a value that cannot be
 * read stays NULL in form and adds to form->problems. The strings of the
 * text fields are moved into form (their slots in raw become NULL); the
 * caller still owns and frees what is left in raw. Times are local to tz. */
void form_convert(IgForm *form, char **raw, GTimeZone *tz);

#endif

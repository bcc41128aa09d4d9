/* form_table.h - a form pasted as a table, back to "Label: value" lines
 * (private to form.c and its tests).
 *
 * Outlook and OWA paste the form's table with its cells apart: on one line
 * separated by " | " (as html.c writes cells), "Label | : | value",
 * "Label: | value", "Label | value", several fields to a row; or each cell
 * on its own line, "Label", ":", "value". form_untable() writes those as
 * the lines form.c reads. Pure; linear in the text. */
#ifndef IG_FORM_TABLE_H
#define IG_FORM_TABLE_H

#include <glib.h>

/* TRUE when cell[0..len) is a label of the form (no separator). */
typedef gboolean (*FormIsLabel)(const char *cell, gsize len);

/* The text rewritten, or NULL when it has no such cells (the common case:
 * use the text as it is). Caller frees. */
char *form_untable(const char *text, FormIsLabel is_label);

#endif

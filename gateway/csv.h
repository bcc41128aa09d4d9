/* csv.h - cells of the CSV the reports write (RFC 4180), guarded against
 * spreadsheet formula injection. Pure: values in, text appended. */
#ifndef IG_CSV_H
#define IG_CSV_H

#include <glib.h>
#include <jansson.h>

/* Appends one text cell to out: quoted when it holds a comma, quote, CR
 * or LF, quotes doubled (RFC 4180); a value that a spreadsheet would run
 * as a formula (starting with = + - @, a tab or CR) gets a leading '. */
void csv_text(GString *out, const char *value);

/* Appends a JSON value as a cell: a string as csv_text(), an integer in
 * decimal, a boolean true/false, null (or anything else) empty. */
void csv_cell(GString *out, json_t *value);

#endif

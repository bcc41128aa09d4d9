/* quarterly.h - the quarterly return to the Cabinet Office (SPEC 2
 * `report quarterly YYYYQN`, policy 000): one row per incident received in
 * the quarter and the totals the return asks for, as CSV or JSON.
 *
 * Pure: a quarter name and a time zone in, the quarter's bounds out;
 * incidents in, text out. No store, no clock, no I/O. */
#ifndef IG_QUARTERLY_H
#define IG_QUARTERLY_H

#include <glib.h>
#include <jansson.h>

#include "gateway/records.h"

typedef struct {
  char *name;               /* "2026Q4" */
  char *from;               /* its first instant, ISO-8601 UTC */
  char *to;                 /* the next quarter's first instant (excluded) */
} IgQuarter;

/* Reads "YYYYQN" (N 1 to 4; "q" is taken for "Q"): the quarter that
 * starts at midnight on 1 January, April, July or October in tz, and ends
 * where the next one starts, so a summer-time hour at either end falls
 * where the local calendar puts it. FALSE with IG_ERROR_USAGE naming text
 * when it is not a quarter. Free the fields with quarter_clear(). */
gboolean quarter_parse(const char *text, GTimeZone *tz, IgQuarter *quarter, GError **error);
void quarter_clear(IgQuarter *quarter);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(IgQuarter, quarter_clear)

/* The return as CSV (RFC 4180, CRLF line ends): the header row
 * (reference, received_at, detected_at, minutes_to_report, reported_late,
 * category, impact, personal_data, near_miss, status, via, supplier), one
 * row per incident (IgIncident*, in the order given), an empty line, then
 * one `total,KEY,VALUE` row per total. An unknown value is an empty cell;
 * a cell starting with = + - @, a tab or CR gets a leading ' so that a
 * spreadsheet does not run it as a formula. Caller frees. */
char *quarterly_csv(GPtrArray *incidents);

/* The return as JSON: {"quarter","from","to","incidents":[{the CSV's
 * columns as keys, values as `show --json` gives them}],"totals":{...}}.
 * New reference; the caller decrefs. */
json_t *quarterly_json(const IgQuarter *quarter, GPtrArray *incidents);

#endif

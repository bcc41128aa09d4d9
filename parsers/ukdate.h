/* ukdate.h - reading the dates and times people type on UK forms.
 *
 * Day-first numeric dates (22/11/2026, 22-11-26, 22.11.2026), ISO dates
 * (2026-11-22 14:05, 2026-11-22T14:05:00Z), month names (22 Nov 2026,
 * 22nd November 2026, Sunday 22 November 2026, November 22 2026), with a
 * time before or after the date (14:05, 14.05, 2:05pm, 2.05 pm, 1405hrs,
 * "at 14:05"). Wall-clock values are local to the given zone; an explicit
 * offset or zone name (Z, +01:00, GMT, BST, UTC) wins. Pure: no clock, no
 * I/O. A date without a time, or anything ambiguous, is not a result. */
#ifndef IG_UKDATE_H
#define IG_UKDATE_H

#include <glib.h>

/* Returns the instant in UTC, or NULL if text holds no complete date and
 * time. Caller unrefs. */
GDateTime *ukdate_parse(const char *text, GTimeZone *tz);

#endif

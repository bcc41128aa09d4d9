/* status.h - the health verdict of `status` (SPEC section 2): the
 * figures of the store (store_health()) judged against what the policy
 * needs, as monitoring plugins report it (OK, WARNING, CRITICAL) or as
 * Prometheus text metrics. Pure: no I/O. */
#ifndef IG_STATUS_H
#define IG_STATUS_H

#include <glib.h>

#include "gateway/store.h"

typedef enum { IG_STATUS_OK, IG_STATUS_WARNING, IG_STATUS_CRITICAL } IgStatusLevel;

/* The verdict on health at now, and the report to print: its first line
 * the level and why, then one line per figure, times shown in tz (text),
 * or the metrics (prometheus). *report: caller frees. */
IgStatusLevel status_judge(const IgHealth *health, GDateTime *now, GTimeZone *tz,
                           gboolean prometheus, char **report);

#endif

/* listing.h - `list` (SPEC 2): the incidents a filter keeps, newest
 * first, written to stdout as the store reads them, as a table or as the
 * JSON array of records, so that memory stays flat however many. */
#ifndef IG_LISTING_H
#define IG_LISTING_H

#include <glib.h>
#include "gateway/store.h"

/* FALSE with the store's error, or IG_ERROR_RUNTIME when stdout cannot
 * be written; what was written stays written. Times in the table are
 * shown in tz. */
gboolean listing_print(IgStore *store, const IgIncidentFilter *filter, gboolean json,
                       GTimeZone *tz, GError **error);

#endif

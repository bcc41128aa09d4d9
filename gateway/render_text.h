/* render_text.h - the human-readable output of list, show, messages and
 * outbox, on stdout, times shown in the configured zone. */
#ifndef IG_RENDER_TEXT_H
#define IG_RENDER_TEXT_H

#include <glib.h>
#include "gateway/records.h"

/* One row of `list`, printed as it is read: the column headings come
 * before the first; text_no_incidents() says when there is none. */
void text_incident_row(const IgIncident *incident, gboolean first, GTimeZone *tz);
void text_no_incidents(void);
void text_incident(const IgIncident *incident, GPtrArray *deadlines,
                   GPtrArray *messages, GPtrArray *events, GTimeZone *tz);
void text_messages(GPtrArray *messages, GTimeZone *tz);
void text_outbox(GPtrArray *rows, GTimeZone *tz);

#endif

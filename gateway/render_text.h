/* render_text.h - the human-readable output of list, show, messages and
 * outbox, on stdout, times shown in the configured zone. */
#ifndef IG_RENDER_TEXT_H
#define IG_RENDER_TEXT_H

#include <glib.h>
#include "gateway/records.h"

void text_incident_list(GPtrArray *incidents, GTimeZone *tz);
void text_incident(const IgIncident *incident, GPtrArray *deadlines,
                   GPtrArray *messages, GPtrArray *events, GTimeZone *tz);
void text_messages(GPtrArray *messages, GTimeZone *tz);
void text_outbox(GPtrArray *rows, GTimeZone *tz);

#endif

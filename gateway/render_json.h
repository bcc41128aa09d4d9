/* render_json.h - the JSON shapes of SPEC section 2 (jansson).
 * Unknown values are JSON null; keys may be added, never renamed. Every
 * function returns a new reference the caller decrefs. */
#ifndef IG_RENDER_JSON_H
#define IG_RENDER_JSON_H

#include <glib.h>
#include <jansson.h>
#include "gateway/records.h"

/* One incident record; deadlines (IgDeadlineRec*), messages
 * (IgMessageRec*) and events (IgEventRec*) may be NULL for empty lists. */
json_t *json_incident(const IgIncident *incident, GPtrArray *deadlines,
                      GPtrArray *messages, GPtrArray *events);

/* Adds show --json's "evidence" and "observables" (incident->evidence and
 * incident->observables) to record. */
void json_add_evidence(json_t *record, const IgIncident *incident);

/* An observable as SPEC 2 shows it: type, value, defanged, sha256, and
 * with_reference its incident's reference too. */
json_t *json_observable(const IgObservable *observable, gboolean with_reference);

/* An entry of `messages --json`. */
json_t *json_message(const IgMessageRec *message);

/* An entry of `outbox --json`. */
json_t *json_outbox(const IgOutboxRec *row);

/* Prints value and a newline to stdout; FALSE when writing fails. */
gboolean json_print(json_t *value);

/* An array printed an element at a time, laid out byte for byte as
 * json_print() lays out the whole array: json_stream_item() for each
 * element (first: the first one), then json_stream_end() (empty: there
 * was none). FALSE when writing fails. */
gboolean json_stream_item(json_t *item, gboolean first);
gboolean json_stream_end(gboolean empty);

#endif

/* case_record.h - everything the store holds of one incident, as `show`
 * and `export` present it: its fields, deadlines, messages, events,
 * evidence and observables. */
#ifndef IG_CASE_RECORD_H
#define IG_CASE_RECORD_H

#include <glib.h>
#include <jansson.h>
#include "gateway/records.h"
#include "gateway/store.h"

typedef struct {
  IgIncident *incident;     /* evidence and observables filled in */
  GPtrArray *deadlines;     /* IgDeadlineRec* */
  GPtrArray *messages;      /* IgMessageRec*, incoming then outgoing */
  GPtrArray *events;        /* IgEventRec*, oldest first */
} IgCaseRecord;

/* NULL with IG_ERROR_INPUT ("no incident REF") when there is none, or
 * the store's error. Caller frees. */
IgCaseRecord *case_record_load(IgStore *store, const char *reference, GError **error);
void case_record_free(IgCaseRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgCaseRecord, case_record_free)

/* show --json's record (SPEC 2); caller decrefs. */
json_t *case_record_json(const IgCaseRecord *record);

#endif

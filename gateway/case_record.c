/* case_record.c - one incident read whole from the store (case_record.h). */
#include "gateway/case_record.h"

#include "gateway/error.h"
#include "gateway/render_json.h"

IgCaseRecord *case_record_load(IgStore *store, const char *reference, GError **error)
{
  g_autoptr(GError) lookup = NULL;
  IgIncident *inc = store_get_incident(store, reference, &lookup);
  if (!inc) {
    if (lookup)
      g_propagate_error(error, g_steal_pointer(&lookup));
    else
      g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "no incident %s", reference);
    return NULL;
  }
  g_autoptr(IgCaseRecord) r = g_new0(IgCaseRecord, 1);
  r->incident = inc;
  if (!(r->deadlines = store_incident_deadlines(store, inc->id, error)) ||
      !(r->messages = store_incident_messages(store, inc->id, error)) ||
      !(r->events = store_incident_events(store, inc->id, error)))
    return NULL;
  g_autoptr(GPtrArray) evidence = store_incident_evidence(store, inc->id, error);
  g_autoptr(GPtrArray) observables =
      evidence ? store_observables(store, inc->reference, NULL, error) : NULL;
  if (!observables)
    return NULL;
  g_ptr_array_extend_and_steal(inc->evidence, g_steal_pointer(&evidence));
  g_ptr_array_extend_and_steal(inc->observables, g_steal_pointer(&observables));
  return g_steal_pointer(&r);
}

void case_record_free(IgCaseRecord *r)
{
  if (!r)
    return;
  incident_free(r->incident);
  if (r->deadlines)
    g_ptr_array_unref(r->deadlines);
  if (r->messages)
    g_ptr_array_unref(r->messages);
  if (r->events)
    g_ptr_array_unref(r->events);
  g_free(r);
}

json_t *case_record_json(const IgCaseRecord *r)
{
  json_t *record = json_incident(r->incident, r->deadlines, r->messages, r->events);
  json_add_evidence(record, r->incident);
  return record;
}

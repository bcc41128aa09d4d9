/* render_json.c - records as JSON (render_json.h). */
#include "gateway/render_json.h"

#include <stdio.h>
#include <string.h>

static json_t *str(const char *s)
{
  return s ? json_string(s) : json_null();
}

static json_t *list(GPtrArray *items, json_t *(*one)(gconstpointer))
{
  json_t *array = json_array();
  for (guint i = 0; items && i < items->len; i++)
    json_array_append_new(array, one(g_ptr_array_index(items, i)));
  return array;
}

static json_t *deadline(gconstpointer p)
{
  const IgDeadlineRec *d = p;
  return json_pack("{s:o, s:o, s:o, s:i, s:o}", "kind", str(d->kind), "due_at", str(d->due_at),
                   "state", str(d->state), "reminders_sent", d->reminders,
                   "next_at", str(strcmp(d->state, "pending") == 0 ? d->next_at : NULL));
}

static json_t *incident_message(gconstpointer p)
{
  const IgMessageRec *m = p;
  return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "message_id", str(m->message_id),
                   "direction", str(m->direction), "kind", str(m->kind), "sha256",
                   str(m->sha256), "from", str(m->from_addr), "subject", str(m->subject),
                   "at", str(m->received_at));
}

static json_t *event(gconstpointer p)
{
  const IgEventRec *e = p;
  return json_pack("{s:o, s:o, s:o, s:o}", "at", str(e->at), "actor", str(e->actor),
                   "type", str(e->type), "detail", str(e->detail));
}

static json_t *evidence_item(gconstpointer p)
{
  const IgEvidence *e = p;
  json_t *relays = json_array();
  for (char **r = e->relays; r && *r; r++)
    json_array_append_new(relays, json_string(*r));
  return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "from", str(e->from_addr),
                   "from_name", str(e->from_name), "reply_to", str(e->reply_to),
                   "return_path", str(e->return_path), "subject", str(e->subject),
                   "date", str(e->date), "sha256", str(e->sha256), "relays", relays);
}

json_t *json_observable(const IgObservable *o, gboolean with_reference)
{
  json_t *j = json_pack("{s:o, s:o, s:o, s:o}", "type", str(o->type), "value", str(o->value),
                        "defanged", str(o->defanged), "sha256", str(o->sha256));
  if (with_reference)
    json_object_set_new(j, "reference", str(o->reference));
  return j;
}

static json_t *observable_item(gconstpointer p)
{
  return json_observable(p, FALSE);
}

void json_add_evidence(json_t *record, const IgIncident *inc)
{
  json_object_set_new(record, "evidence", list(inc->evidence, evidence_item));
  json_object_set_new(record, "observables", list(inc->observables, observable_item));
}

json_t *json_incident(const IgIncident *inc, GPtrArray *deadlines, GPtrArray *messages,
                      GPtrArray *events)
{
  json_t *o = json_object();
  json_t *missing = json_array();
  for (char **f = inc->missing_fields; f && *f; f++)
    json_array_append_new(missing, json_string(*f));
  json_object_set_new(o, "reference", str(inc->reference));
  json_object_set_new(o, "status", str(inc->status));
  json_object_set_new(o, "impact", str(inc->impact));
  json_object_set_new(o, "category", str(inc->category));
  json_object_set_new(o, "near_miss",
                      inc->near_miss < 0 ? json_null() : json_boolean(inc->near_miss));
  json_object_set_new(o, "personal_data", str(inc->personal_data));
  json_object_set_new(o, "reporter", json_pack("{s:o, s:o, s:o}",
                      "name", str(inc->reporter_name), "email", str(inc->reporter_email),
                      "phone", str(inc->reporter_phone)));
  json_object_set_new(o, "business_area", str(inc->business_area));
  json_object_set_new(o, "supplier", str(inc->supplier));
  json_object_set_new(o, "via", str(inc->via));
  json_object_set_new(o, "source", str(inc->source));
  json_object_set_new(o, "forwarded_by", str(inc->forwarded_by));
  json_object_set_new(o, "detected_at", str(inc->detected_at));
  json_object_set_new(o, "occurred_at", str(inc->occurred_at));
  json_object_set_new(o, "received_at", str(inc->received_at));
  json_object_set_new(o, "reported_late",
                      inc->reported_late < 0 ? json_null() : json_boolean(inc->reported_late));
  json_object_set_new(o, "minutes_to_report", inc->minutes_to_report < 0
                      ? json_null() : json_integer(inc->minutes_to_report));
  json_object_set_new(o, "systems_affected", str(inc->systems_affected));
  json_object_set_new(o, "information_asset", str(inc->information_asset));
  json_object_set_new(o, "asset_owner", str(inc->asset_owner));
  json_object_set_new(o, "summary", str(inc->summary));
  json_object_set_new(o, "description", str(inc->description));
  json_object_set_new(o, "actions_taken", str(inc->actions_taken));
  json_object_set_new(o, "missing_fields", missing);
  json_object_set_new(o, "owner", str(inc->owner));
  json_object_set_new(o, "created_at", str(inc->created_at));
  json_object_set_new(o, "recorded_at", str(inc->created_at));
  json_object_set_new(o, "updated_at", str(inc->updated_at));
  json_object_set_new(o, "deadlines", list(deadlines, deadline));
  json_object_set_new(o, "messages", list(messages, incident_message));
  json_object_set_new(o, "events", list(events, event));
  return o;
}

json_t *json_message(const IgMessageRec *m)
{
  return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "message_id", str(m->message_id),
                   "from", str(m->from_addr), "subject", str(m->subject), "received_at",
                   str(m->received_at), "kind", str(m->kind), "reference", str(m->reference),
                   "sha256", str(m->sha256));
}

json_t *json_outbox(const IgOutboxRec *r)
{
  return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o}",
                   "id", (json_int_t)r->id, "kind", str(r->kind), "to", str(r->to),
                   "subject", str(r->subject), "message_id", str(r->message_id),
                   "reference", str(r->reference), "state", str(r->state),
                   "attempts", (json_int_t)r->attempts,
                   "next_attempt_at", str(r->next_attempt_at),
                   "last_error", str(r->last_error), "created_at", str(r->created_at));
}

gboolean json_print(json_t *value)
{
  if (json_dumpf(value, stdout, JSON_INDENT(2)) != 0)
    return FALSE;
  return fputc('\n', stdout) != EOF && fflush(stdout) == 0;
}

/* The element is laid out by jansson in memory, then written at once
 * one level deeper: a line break in jansson's text is always layout (one
 * inside a string is written \n), so each is followed by the indent of
 * the array around it. */
gboolean json_stream_item(json_t *item, gboolean first)
{
  g_autofree char *text = json_dumps(item, JSON_INDENT(2));
  if (!text)
    return FALSE;
  gsize size = 4;
  for (const char *c = text; *c; c++)
    size += *c == '\n' ? 3 : 1;
  g_autofree char *out = g_malloc(size);
  char *o = out;
  memcpy(o, first ? "[\n  " : ",\n  ", 4);
  o += 4;
  for (const char *p = text;;) {
    const char *nl = strchr(p, '\n');
    gsize n = nl ? (gsize)(nl + 1 - p) : strlen(p);
    memcpy(o, p, n);
    o += n;
    if (!nl)
      break;
    memcpy(o, "  ", 2);
    o += 2;
    p = nl + 1;
  }
  return fwrite(out, 1, size, stdout) == size;
}

gboolean json_stream_end(gboolean empty)
{
  return fputs(empty ? "[]\n" : "\n]\n", stdout) != EOF && fflush(stdout) == 0;
}

/* listing.c - `list` written as it is read (listing.h). */
#include "gateway/listing.h"

#include <stdio.h>

#include "gateway/error.h"
#include "gateway/render_json.h"
#include "gateway/render_text.h"

typedef struct {
  gboolean json;
  GTimeZone *tz;
  guint64 count;
} Listing;

static gboolean write_failed(GError **error)
{
  g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "stdout: write error");
  return FALSE;
}

static gboolean print_row(const IgListedIncident *row, gpointer data, GError **error)
{
  Listing *l = data;
  gboolean first = l->count++ == 0;
  if (!l->json) {
    text_incident_row(row->incident, first, l->tz);
    return ferror(stdout) ? write_failed(error) : TRUE;
  }
  json_t *record = json_incident(row->incident, row->deadlines, row->messages, row->events);
  gboolean ok = json_stream_item(record, first);
  json_decref(record);
  return ok ? TRUE : write_failed(error);
}

gboolean listing_print(IgStore *store, const IgIncidentFilter *filter, gboolean json,
                       GTimeZone *tz, GError **error)
{
  Listing l = { json, tz, 0 };
  if (!store_each_incident(store, filter, json, print_row, &l, error))
    return FALSE;
  if (json)
    return json_stream_end(l.count == 0) ? TRUE : write_failed(error);
  if (l.count == 0)
    text_no_incidents();
  return TRUE;
}

/* webhook.c - queueing webhook notifications (webhook.h); posting them is
 * webhook_post.c, in the network module. */
#include "gateway/webhook.h"

#include <jansson.h>
#include <string.h>

#include "gateway/error.h"
#include "parsers/hash.h"
#include "gateway/render_json.h"
#include "gateway/secret.h"

static gboolean subscribed(const IgWebhook *hook, const char *event)
{
  return hook->events && g_strv_contains((const char *const *)hook->events, event);
}

gboolean webhook_queue(IgStore *store, const IgConfig *config, GDateTime *now,
                       const char *event, const IgIncident *incident, const char *detail,
                       GError **error)
{
  g_autofree char *at = iso_utc(now);
  char *text = NULL;
  for (guint i = 0; config->webhooks && i < config->webhooks->len; i++) {
    const IgWebhook *hook = g_ptr_array_index(config->webhooks, i);
    if (!subscribed(hook, event))
      continue;
    if (!text) {
      json_t *body = json_pack("{s:s, s:s, s:s?, s:s?, s:o}", "event", event, "at", at,
                               "reference", incident->reference, "detail", detail,
                               "incident", json_incident(incident, NULL, NULL, NULL));
      text = json_dumps(body, JSON_COMPACT);
      json_decref(body);
      if (!text) {
        g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "webhook %s: cannot encode JSON",
                    hook->name);
        return FALSE;
      }
    }
    g_autoptr(GBytes) bytes = g_bytes_new(text, strlen(text));
    IgOutboxIn row = {
      .incident_id = incident->id,
      .kind = "webhook",
      .template_name = hook->name,
      .to = hook->url,
      .subject = event,
      .body = bytes,
      .created_at = at,
    };
    if (!store_outbox_add(store, &row, error)) {
      free(text);
      return FALSE;
    }
  }
  free(text);
  return TRUE;
}

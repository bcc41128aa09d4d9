/* webhook.h - [webhook.NAME] notifications (SPEC section 3).
 *
 * An event on an incident (created, status_changed, overdue, ...) becomes
 * one outbox row per webhook subscribed to it, inside the transaction
 * that made the change; delivery POSTs the JSON body with
 * X-Signature-256: sha256=<HMAC-SHA256 hex of the body keyed by the
 * secret_file>, and failures retry through the outbox like mail. */
#ifndef IG_WEBHOOK_H
#define IG_WEBHOOK_H

#include <glib.h>
#include "gateway/config.h"
#include "gateway/records.h"
#include "gateway/store.h"

/* Queues {"event","at","reference","detail","incident":{...}} for every
 * webhook whose events include event. detail may be NULL. */
gboolean webhook_queue(IgStore *store, const IgConfig *config, GDateTime *now,
                       const char *event, const IgIncident *incident,
                       const char *detail, GError **error);

/* POSTs one outbox row (kind "webhook": to = URL, template_name = NAME).
 * A 2xx answer is success; anything else fails with the status or the
 * libcurl error, to be retried. TLS peers are verified (ca_file: the
 * [transport] ca_file, else the system store). */
gboolean webhook_post(const IgConfig *config, const IgOutboxRec *row, GError **error);

#endif

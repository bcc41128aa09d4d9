/* service.h - the gateway assembled: configuration, store, templates,
 * transport and source, and the loops that drive them (poll once, run
 * until SIGTERM, ingest raw messages). One IgService per process. */
#ifndef IG_SERVICE_H
#define IG_SERVICE_H

#include <glib.h>
#include "gateway/config.h"
#include "gateway/intake.h"
#include "gateway/store.h"
#include "gateway/template.h"

typedef struct IgService IgService;

/* What a command opens: the store alone (it reads records); the store,
 * the templates (checked first, templates_check()) and the transport (it
 * records mail given to it, as from an MTA, or sends); or all that and
 * the source (it watches the source). What is not opened cannot fail. */
typedef enum {
  IG_OPEN_RECORDS,
  IG_OPEN_SEND,
  IG_OPEN_SOURCE,
} IgServiceOpen;

/* Takes ownership of config. now_override (may be NULL) is the --now
 * time: the clock starts there and runs on. */
IgService *service_new(IgConfig *config, GDateTime *now_override, IgServiceOpen open,
                       GError **error);
void service_free(IgService *service);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgService, service_free)

IgStore *service_store(IgService *service);
const IgConfig *service_config(IgService *service);
IgTemplates *service_templates(IgService *service);

/* The service clock; caller unrefs. */
GDateTime *service_now(IgService *service);

/* Records items (see intake.h) in batches, then sends the due outbox.
 * Per-item outcomes are in items; FALSE only on a store failure. */
gboolean service_ingest(IgService *service, IgIntakeItem *items, gsize n,
                        GError **error);

/* Processes everything waiting in the source, then sends the due outbox.
 * *processed counts messages taken out of the source. */
gboolean service_poll_once(IgService *service, guint *processed, GError **error);

/* Watches the source until SIGTERM or SIGINT; SIGHUP reloads the
 * configuration from config_path (a bad one is logged and ignored).
 * Refuses to start while another run holds an SQLite store; on
 * PostgreSQL leads, or stands by sending the outbox until it can
 * (store_lead()). */
gboolean service_run(IgService **service, const char *config_path, GError **error);

/* Logs in to the source and the transport without taking or sending
 * mail. */
gboolean service_check_connections(IgService *service, GError **error);

/* Does the scheduler's due work (scheduler.h), then sends due outbox
 * rows. */
gboolean service_deliver(IgService *service, GError **error);
/* Sends due outbox rows only: a standby's work. */
gboolean service_send(IgService *service, GError **error);

/* Queues the manager digest at the service clock and records it sent
 * (digest_send(), in a transaction of its own), then does what
 * service_deliver() does. */
gboolean service_send_digest(IgService *service, GError **error);

#endif

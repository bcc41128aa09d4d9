/* outbox.h - the persistent queue of outgoing mail.
 *
 * Queuing renders a template, composes the complete message with a fresh
 * Message-ID and stores it as one outbox row inside the caller's
 * transaction, so a mail exists exactly when the change that caused it is
 * committed. Delivery sends due rows in order and retries failures with
 * exponential backoff; a retry sends the very same bytes and Message-ID.
 * Each row is claimed in the store before it is sent, so any number of
 * processes on one store send it once (only a crash between the send and
 * the mark can repeat it). */
#ifndef IG_OUTBOX_H
#define IG_OUTBOX_H

#include <glib.h>
#include "gateway/config.h"
#include "gateway/store.h"
#include "gateway/template.h"
#include "gateway/transport.h"

typedef struct {
  gint64 incident_id;             /* 0 = none */
  const char *reference;          /* for the Message-ID, may be NULL */
  const char *template_name;      /* templates/NAME.txt */
  GHashTable *vars;               /* char* -> char* */
  const char *html;               /* an HTML alternative already rendered
                                     (templates/NAME.html), or NULL: the
                                     mail is then multipart/alternative */
  const char *const *to;          /* NULL-terminated */
  const char *in_reply_to;        /* without <>, or NULL */
  const char *const *references;  /* without <>, or NULL */
  gboolean auto_replied;          /* acknowledgements */
} IgMailRequest;

gboolean outbox_queue_mail(IgStore *store, const IgConfig *config,
                           IgTemplates *templates, GDateTime *now,
                           const IgMailRequest *request, GError **error);

/* Sends every pending row due at now: mail through transport, webhooks
 * by HTTP POST. Counts what was sent and what failed (and stays queued
 * for retry); FALSE only when the store fails. */
gboolean outbox_deliver(IgStore *store, const IgConfig *config, IgTransport *transport,
                        GDateTime *now, guint *sent, guint *failed, GError **error);

#endif

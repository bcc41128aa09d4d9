/* transport.h - delivering one outbox row: dir: (a file per mail) now,
 * SMTP and webhooks behind the same face. */
#ifndef IG_TRANSPORT_H
#define IG_TRANSPORT_H

#include <glib.h>
#include "gateway/config.h"
#include "gateway/records.h"

typedef struct IgTransport IgTransport;
struct IgTransport {
  /* Delivers row (its body is the complete message); FALSE with error
   * when it should be retried later. With flush set, a mail sent is only
   * accepted: it is delivered once flush returns TRUE. */
  gboolean (*send)(IgTransport *self, const IgOutboxRec *row, GError **error);
  /* NULL, or makes every mail accepted since the last flush delivered
   * and durable together; FALSE with error when it could not: then none
   * of them counts as delivered (sending them again is safe). */
  gboolean (*flush)(IgTransport *self, GError **error);
  /* Connects and logs in (or checks the directory) without sending. */
  gboolean (*check)(IgTransport *self, GError **error);
  void (*free)(IgTransport *self);
};

/* Chooses the implementation from [transport] url. */
IgTransport *transport_open(const IgConfig *config, GError **error);
void transport_free(IgTransport *transport);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgTransport, transport_free)

/* smtp://host[:port] (STARTTLS required unless tls = none on loopback) or
 * smtps://host[:port]: libcurl, certificate and host name verified against
 * the system store or ca_file; login with user + password_file, or user +
 * XOAUTH2 token from oauth2_token_command. The connection is kept open
 * between mails. Envelope sender: [gateway] address. */
IgTransport *transport_smtp_new(const IgConfig *config, GError **error);

/* dir:PATH - each mail becomes PATH/<id>-<reference>.eml, written to a
 * temporary name, synced and renamed to its name at the flush, so readers
 * never see half a file and an existing file is never overwritten (a
 * different one with that name is an error; the same bytes count as
 * delivered). */
IgTransport *transport_dir_new(const char *dir, GError **error);

#endif

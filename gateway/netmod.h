/* netmod.h - the network module: what needs libcurl, libetpan or
 * libopendkim (SMTP, IMAP, webhooks, DKIM) is built as ig-net.so and
 * loaded the first time one of them is used, so that recording a message
 * or reading the store loads none of them (some 30 shared objects).
 *
 * The entry points stay where their callers look for them
 * (transport_smtp_new in transport.h, source_imap_new in source.h,
 * webhook_post in webhook.h, ost_auth_dkim in ost_auth_dkim.h); netmod.c
 * defines them to call through the module's table. A program linked with
 * the module's objects (the unit tests) uses its own copy instead. */
#ifndef IG_NETMOD_H
#define IG_NETMOD_H

#include <glib.h>

#include "gateway/config.h"
#include "gateway/records.h"
#include "gateway/source.h"
#include "gateway/transport.h"

/* The module's table, one entry per function above, and what must run
 * once before any of them (libcurl's global set-up). */
typedef struct {
  gboolean (*init)(GError **error);
  IgTransport *(*smtp_new)(const IgConfig *config, GError **error);
  IgSource *(*imap_new)(const IgConfig *config, GError **error);
  gboolean (*webhook_post)(const IgConfig *config, const IgOutboxRec *row, GError **error);
  gboolean (*dkim_verify)(const char *raw, gsize len, const char *from_domain,
                          const char *key_file, char **why, GError **error);
} IgNetOps;

/* The table, the module loaded and set up on the first call (from the
 * executable's directory, else the installed library directory); NULL
 * with error when it cannot be. Not owned; lives as long as the process. */
const IgNetOps *netmod_ops(GError **error);

#endif

/* net_ops.h - inside the network module (netmod.h): its functions, which
 * net_ops.c puts in the table ig_net_ops the loader looks up. */
#ifndef IG_NET_OPS_H
#define IG_NET_OPS_H

#include "gateway/netmod.h"

IgTransport *net_smtp_new(const IgConfig *config, GError **error);
IgSource *net_imap_new(const IgConfig *config, GError **error);
gboolean net_webhook_post(const IgConfig *config, const IgOutboxRec *row, GError **error);
gboolean net_dkim_verify(const char *raw, gsize len, const char *from_domain,
                         const char *key_file, char **why, GError **error);

/* The table (net_ops.c). */
extern const IgNetOps ig_net_ops;

#endif

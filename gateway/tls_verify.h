/* tls_verify.h - checking a server certificate chain ourselves.
 *
 * libetpan hands over the peer's chain but verifies nothing; this checks
 * it with OpenSSL against the system trust store plus an optional extra
 * CA bundle, that the leaf names the host (DNS name or IP address), and
 * that it is meant for a TLS server (extended key usage serverAuth). */
#ifndef IG_TLS_VERIFY_H
#define IG_TLS_VERIFY_H

#include <glib.h>

/* chain: DER certificates, leaf first (GBytes*). host: the name or IP
 * address the leaf must be for (an empty one is refused). ca_file may be
 * NULL. FALSE with IG_ERROR_RUNTIME naming the host and OpenSSL's reason,
 * or IG_ERROR_CONFIG when ca_file cannot be loaded. */
gboolean tls_verify_chain(GPtrArray *chain, const char *host, const char *ca_file,
                          GError **error);

#endif

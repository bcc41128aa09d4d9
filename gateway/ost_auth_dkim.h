/* ost_auth_dkim.h - the DKIM half of ost_auth.c, for it alone: verifying
 * a message's DKIM signatures with libopendkim, in the network module
 * (ost_auth_dkim.c, loaded through netmod.c), and the alignment rule
 * both halves use (ost_auth.c). */
#ifndef IG_OST_AUTH_DKIM_H
#define IG_OST_AUTH_DKIM_H

#include <glib.h>

/* Whether a signer domain (a DKIM d=) aligns with the From domain: equal,
 * or the From domain is a subdomain of it. Case-insensitive. */
gboolean ost_auth_aligned(const char *from_domain, const char *signer);

/* TRUE when the raw message carries at least one valid DKIM signature,
 * over the whole body, whose d= aligns with from_domain. Else FALSE with
 * *why (caller frees), or with *error when libopendkim failed or (with
 * IG_ERROR_TRANSIENT) the key of an aligned signature could not be
 * fetched, which may pass. key_file:
 * see IgOstAuthOptions; NULL to ask DNS. */
gboolean ost_auth_dkim(const char *raw, gsize len, const char *from_domain, const char *key_file,
                       char **why, GError **error);

#endif

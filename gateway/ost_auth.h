/* ost_auth.h - whether a mail claiming to come from an OST member passes
 * [ost] require_authentication (SPEC section 7), before its commands are
 * obeyed:
 *   dkim                    a valid DKIM signature (libopendkim) whose d=
 *                           aligns with the From domain;
 *   authentication-results  the topmost Authentication-Results header of
 *                           trusted_authserv_id says dkim=pass aligned with
 *                           From, or dmarc=pass for the From domain;
 *   exchange-internal       exactly one X-MS-Exchange-Organization-AuthAs:
 *                           Internal header;
 *   none                    always passes.
 * Only the dkim mode does I/O (a DNS query for the signer's key). */
#ifndef IG_OST_AUTH_H
#define IG_OST_AUTH_H

#include <glib.h>

#include "gateway/config.h"

typedef struct {
  /* Tests only: libopendkim's DKIM_QUERY_FILE, a file of lines
   * "selector._domainkey.domain v=DKIM1; k=rsa; p=BASE64", instead of DNS.
   * NULL in production. */
  const char *dkim_key_file;
} IgOstAuthOptions;

/* TRUE when the raw message (len bytes, CRLF or LF line ends) passes
 * config->require_authentication for the From address from_addr (lower
 * case). FALSE with *why (caller frees) saying in words why not, e.g.
 * "no DKIM signature", "body altered since signing", "no
 * Authentication-Results from mx.justice.gov.uk", "not marked internal by
 * Exchange", and no error; FALSE with *error (and *why NULL) only when the
 * check itself could not run (a library failure). opts may be NULL.
 * config->trusted_authserv_id must be set in the authentication-results
 * mode (config_load makes sure of it). */
gboolean ost_auth_check(const IgConfig *config, const char *raw, gsize len, const char *from_addr,
                        const IgOstAuthOptions *opts, char **why, GError **error);

#endif

/* tls_verify.c - certificate chain and host name checks with OpenSSL. */
#include "gateway/tls_verify.h"

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "gateway/error.h"

static X509 *from_der(GBytes *der)
{
  gsize len = 0;
  const unsigned char *p = g_bytes_get_data(der, &len);
  return d2i_X509(NULL, &p, (long)len);
}

static gboolean is_ip(const char *host)
{
  ASN1_OCTET_STRING *ip = a2i_IPADDRESS(host);
  if (!ip)
    return FALSE;
  ASN1_OCTET_STRING_free(ip);
  return TRUE;
}

gboolean tls_verify_chain(GPtrArray *chain, const char *host, const char *ca_file,
                          GError **error)
{
  gboolean ok = FALSE;
  X509 *leaf = NULL;
  X509_VERIFY_PARAM *param = NULL;
  X509_STORE *store = X509_STORE_new();
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  STACK_OF(X509) *untrusted = sk_X509_new_null();
  if (!store || !ctx || !untrusted) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "TLS %s: out of memory", host);
    goto out;
  }
  /* OpenSSL checks no name at all when given none: any certificate from a
   * trusted CA would pass for this server. */
  if (!host || !*host) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "TLS: no host name to check the server's certificate against");
    goto out;
  }
  if (!chain || chain->len == 0 || !(leaf = from_der(g_ptr_array_index(chain, 0)))) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "TLS %s: the server presented no readable certificate", host);
    goto out;
  }
  for (guint i = 1; i < chain->len; i++) {
    X509 *c = from_der(g_ptr_array_index(chain, i));
    if (c && !sk_X509_push(untrusted, c))
      X509_free(c);
  }
  if (!X509_STORE_set_default_paths(store) ||
      (ca_file && !X509_STORE_load_file(store, ca_file))) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "TLS %s: cannot load CA certificates%s%s",
                host, ca_file ? " from " : "", ca_file ? ca_file : "");
    goto out;
  }
  /* The purpose: a certificate issued for clients or mail signing, under a
   * CA we trust, must not let its holder pose as our server. Setting up
   * fails only when OpenSSL runs out of memory. */
  if (!X509_STORE_CTX_init(ctx, store, leaf, untrusted) ||
      !X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER) ||
      !(param = X509_STORE_CTX_get0_param(ctx)) ||
      (is_ip(host) ? !X509_VERIFY_PARAM_set1_ip_asc(param, host)
                   : !X509_VERIFY_PARAM_set1_host(param, host, 0))) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "TLS %s: cannot set up verification", host);
    goto out;
  }
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (X509_verify_cert(ctx) != 1) {
    int code = X509_STORE_CTX_get_error(ctx);
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "TLS %s: certificate verification failed: %s%s", host,
                X509_verify_cert_error_string(code),
                ca_file ? "" : " (set ca_file for a private CA)");
    goto out;
  }
  ok = TRUE;
out:
  sk_X509_pop_free(untrusted, X509_free);
  X509_free(leaf);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return ok;
}

/* ost_auth_dkim.c - DKIM verification of an OST member's mail with
 * libopendkim (ost_auth_dkim.h); part of the network module (netmod.h). */
#include "gateway/ost_auth_dkim.h"

#include <string.h>

#include <opendkim/dkim.h>

#include "gateway/error.h"
#include "gateway/net_ops.h"

/* libopendkim statuses that mean the library itself failed (or we called
 * it wrongly), not that the message fails. */
static gboolean library_failure(DKIM_STAT status)
{
  return status == DKIM_STAT_NORESOURCE || status == DKIM_STAT_INTERNAL ||
         status == DKIM_STAT_INVALID || status == DKIM_STAT_NOTIMPLEMENT;
}

static DKIM_LIB *open_library(const char *key_file, GError **error)
{
  DKIM_LIB *lib = dkim_init(NULL, NULL);
  if (!lib) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "DKIM: libopendkim could not start");
    return NULL;
  }
  /* FIXCRLF: a maildir holds LF line ends, while the signer hashed CRLF.
   * STRICTHDRS: a second From (or Subject, Date...) is how a signed mail
   * gets a From its signature does not cover; such a mail fails. */
  unsigned int flags = DKIM_LIBFLAGS_FIXCRLF | DKIM_LIBFLAGS_STRICTHDRS;
  DKIM_STAT status = dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags, sizeof flags);
  if (status == DKIM_STAT_OK && key_file) {
    dkim_query_t method = DKIM_QUERY_FILE;
    status = dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYMETHOD, &method, sizeof method);
    if (status == DKIM_STAT_OK)
      status = dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYINFO, (void *)key_file,
                            strlen(key_file));
  }
  if (status != DKIM_STAT_OK) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "DKIM: cannot set libopendkim options: %s",
                dkim_getresultstr(status));
    dkim_close(lib);
    return NULL;
  }
  return lib;
}

/* Why one signature does not authenticate from_domain, or NULL when it
 * does. Caller frees. */
static char *signature_fault(DKIM_SIGINFO *sig, const char *from_domain)
{
  const char *domain = (const char *)dkim_sig_getdomain(sig);
  const char *selector = (const char *)dkim_sig_getselector(sig);
  unsigned int flags = dkim_sig_getflags(sig);
  int error = dkim_sig_geterror(sig);

  if (!domain || !*domain)
    return g_strdup("DKIM signature names no domain");
  if (!ost_auth_aligned(from_domain, domain))
    return g_strdup_printf("DKIM signature of %s does not align with From domain %s", domain,
                           from_domain);
  if (error == DKIM_SIGERROR_NOKEY)
    return g_strdup_printf("DKIM key %s._domainkey.%s not found", selector ? selector : "?",
                           domain);
  if (error == DKIM_SIGERROR_KEYFAIL)
    return g_strdup_printf("DKIM key %s._domainkey.%s could not be fetched (DNS failure)",
                           selector ? selector : "?", domain);
  if (dkim_sig_getbh(sig) == DKIM_SIGBH_MISMATCH)
    return g_strdup_printf("body altered since signing (DKIM signature of %s)", domain);
  if (error == DKIM_SIGERROR_BADSIG)
    return g_strdup_printf("DKIM signature of %s does not verify: headers altered since signing",
                           domain);
  if (error != DKIM_SIGERROR_OK || !(flags & DKIM_SIGFLAG_PASSED) ||
      dkim_sig_getbh(sig) != DKIM_SIGBH_MATCH)
    return g_strdup_printf("DKIM signature of %s does not verify: %s", domain,
                           error > DKIM_SIGERROR_OK ? dkim_sig_geterrorstr(error) : "not checked");
  /* RFC 6376 3.6.1: a key in testing mode counts as no signature. */
  if (flags & DKIM_SIGFLAG_TESTKEY)
    return g_strdup_printf("DKIM key of %s is marked as testing (t=y)", domain);
  /* With l= only the first bytes of the body are signed: anyone could
   * append commands below them. */
  if (dkim_sig_gettagvalue(sig, FALSE, (u_char *)"l"))
    return g_strdup_printf("DKIM signature of %s covers only part of the body (l=)", domain);
  return NULL;
}

/* Whether any one signature authenticates from_domain; else *why is the
 * fault of the first signature of an aligned domain, which says most about
 * what went wrong, or else the first signature's, and *dns_failed says
 * whether an aligned signature's key could not be fetched; or FALSE with
 * *error when libopendkim cannot list the signatures. */
static gboolean any_signature_good(DKIM *dkim, const char *from_domain, char **why,
                                   gboolean *dns_failed, GError **error)
{
  DKIM_SIGINFO **sigs = NULL;
  int n = 0;
  DKIM_STAT status = dkim_getsiglist(dkim, &sigs, &n);
  if (status != DKIM_STAT_OK) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "DKIM: libopendkim cannot list the signatures: %s", dkim_getresultstr(status));
    return FALSE;
  }
  if (n == 0) {
    *why = g_strdup("no DKIM signature");
    return FALSE;
  }
  g_autofree char *first = NULL, *first_aligned = NULL;
  for (int i = 0; i < n; i++) {
    char *fault = signature_fault(sigs[i], from_domain);
    const char *domain = (const char *)dkim_sig_getdomain(sigs[i]);
    if (!fault)
      return TRUE;
    if (domain && ost_auth_aligned(from_domain, domain) &&
        dkim_sig_geterror(sigs[i]) == DKIM_SIGERROR_KEYFAIL)
      *dns_failed = TRUE;
    if (!first_aligned && domain && ost_auth_aligned(from_domain, domain))
      first_aligned = fault;
    else if (!first)
      first = fault;
    else
      g_free(fault);
  }
  *why = first_aligned ? g_steal_pointer(&first_aligned) : g_steal_pointer(&first);
  return FALSE;
}

gboolean net_dkim_verify(const char *raw, gsize len, const char *from_domain,
                         const char *key_file, char **why, GError **error)
{
  gboolean ok = FALSE, dns_failed = FALSE;
  DKIM *dkim = NULL;
  DKIM_STAT status;
  DKIM_LIB *lib = open_library(key_file, error);
  if (!lib)
    return FALSE;

  dkim = dkim_verify(lib, (const unsigned char *)"ost-auth", NULL, &status);
  if (!dkim) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "DKIM: cannot start a verification: %s",
                dkim_getresultstr(status));
    goto out;
  }
  /* libopendkim reads the chunk, its parameter is not const only by age. */
  status = dkim_chunk(dkim, (u_char *)raw, len);
  if (status == DKIM_STAT_OK)
    status = dkim_chunk(dkim, NULL, 0);
  if (status == DKIM_STAT_OK)
    status = dkim_eom(dkim, NULL);
  if (library_failure(status)) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "DKIM: libopendkim failed: %s%s%s",
                dkim_getresultstr(status), dkim_geterror(dkim) ? ": " : "",
                dkim_geterror(dkim) ? dkim_geterror(dkim) : "");
    goto out;
  }
  if (status == DKIM_STAT_NOSIG) {
    *why = g_strdup("no DKIM signature");
    goto out;
  }
  if (status == DKIM_STAT_SYNTAX) {
    *why = g_strdup_printf("message not fit for DKIM verification: %s",
                           dkim_geterror(dkim) ? dkim_geterror(dkim) : "syntax error");
    goto out;
  }

  ok = any_signature_good(dkim, from_domain, why, &dns_failed, error);
  /* The member's mail may well be genuine: try it again later rather
   * than take a DNS outage for a forgery. */
  if (!ok && dns_failed) {
    g_set_error(error, IG_ERROR, IG_ERROR_TRANSIENT, "%s; will try again", *why);
    g_clear_pointer(why, g_free);
  }

out:
  if (dkim)
    dkim_free(dkim);
  dkim_close(lib);
  return ok;
}

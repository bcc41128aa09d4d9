/* test_ost_auth.c - unit tests for gateway/ost_auth.c: an OST member's
 * mail passes [ost] require_authentication only when it should. DKIM:
 * messages signed here with libopendkim by RSA keys made for each run,
 * verified against a libopendkim key file (no DNS). Authentication-Results
 * and Exchange: hand-written headers, forgeries included. libopendkim
 * failing inside: injected (fail_in, interpose.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <opendkim/dkim.h>

#include "gateway/error.h"
#include "gateway/ost_auth.h"
#include "gateway/ost_auth_dkim.h"
#include "tests/unit/interpose.h"

static char *dir, *key_file, *justice_key, *evil_key;

/* The libopendkim function that fails, as if the library itself failed,
 * or NULL. The functions below stand in for the library's
 * (interpose.h) and pass each call on unless named. */
static const char *fail_in;

static gboolean failing(const char *name)
{
  return fail_in && strcmp(fail_in, name) == 0;
}

DKIM_LIB *dkim_init(void *(*mallocf)(void *closure, size_t nbytes),
                    void (*freef)(void *closure, void *p))
{
  DKIM_LIB *(*real)(void *(*)(void *, size_t), void (*)(void *, void *)) = library("dkim_init");
  return failing("dkim_init") ? NULL : real(mallocf, freef);
}

DKIM_STAT dkim_options(DKIM_LIB *lib, int op, dkim_opts_t opt, void *ptr, size_t len)
{
  DKIM_STAT (*real)(DKIM_LIB *, int, dkim_opts_t, void *, size_t) = library("dkim_options");
  return failing("dkim_options") ? DKIM_STAT_INTERNAL : real(lib, op, opt, ptr, len);
}

DKIM *dkim_verify(DKIM_LIB *lib, const unsigned char *id, void *memclosure, DKIM_STAT *statp)
{
  DKIM *(*real)(DKIM_LIB *, const unsigned char *, void *, DKIM_STAT *) = library("dkim_verify");
  if (!failing("dkim_verify"))
    return real(lib, id, memclosure, statp);
  *statp = DKIM_STAT_NORESOURCE;
  return NULL;
}

DKIM_STAT dkim_eom(DKIM *dkim, _Bool *testkey)
{
  DKIM_STAT (*real)(DKIM *, _Bool *) = library("dkim_eom");
  return failing("dkim_eom") ? DKIM_STAT_INTERNAL : real(dkim, testkey);
}

DKIM_STAT dkim_getsiglist(DKIM *dkim, DKIM_SIGINFO ***sigs, int *nsigs)
{
  DKIM_STAT (*real)(DKIM *, DKIM_SIGINFO ***, int *) = library("dkim_getsiglist");
  return failing("dkim_getsiglist") ? DKIM_STAT_INVALID : real(dkim, sigs, nsigs);
}

/* A 1024-bit RSA key (libopendkim's minimum, quick to make): its PEM
 * private key, and its public key as a key record line for key file
 * under each of names, and under each of testing (NULL for none) marked
 * as a key in testing mode (t=y). */
static char *make_key(GString *records, const char *const *names, const char *const *testing)
{
  EVP_PKEY *pkey = EVP_RSA_gen(1024);
  assert_non_null(pkey);
  BIO *bio = BIO_new(BIO_s_mem());
  assert_true(PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL));
  char *pem_data = NULL;
  long pem_len = BIO_get_mem_data(bio, &pem_data);
  char *pem = g_strndup(pem_data, pem_len);
  BIO_free(bio);

  unsigned char *der = NULL;
  int der_len = i2d_PUBKEY(pkey, &der);
  assert_true(der_len > 0);
  g_autofree char *b64 = g_base64_encode(der, der_len);
  OPENSSL_free(der);
  EVP_PKEY_free(pkey);
  for (int i = 0; names[i]; i++)
    g_string_append_printf(records, "%s v=DKIM1; k=rsa; p=%s\n", names[i], b64);
  for (int i = 0; testing && testing[i]; i++)
    g_string_append_printf(records, "%s v=DKIM1; t=y; k=rsa; p=%s\n", testing[i], b64);
  return pem;
}

static int make_keys(void **state)
{
  dir = g_dir_make_tmp("ig-ost-auth-XXXXXX", NULL);
  assert_non_null(dir);
  g_autoptr(GString) records = g_string_new("# selector._domainkey.domain key record\n");
  const char *justice[] = { "sel._domainkey.justice.gov.uk",
                            "sel._domainkey.london.justice.gov.uk", NULL };
  const char *justice_testing[] = { "trial._domainkey.justice.gov.uk", NULL };
  const char *evil[] = { "sel._domainkey.evil.example", NULL };
  justice_key = make_key(records, justice, justice_testing);
  evil_key = make_key(records, evil, NULL);
  key_file = g_build_filename(dir, "keys", NULL);
  assert_true(g_file_set_contents(key_file, records->str, -1, NULL));
  return 0;
}

static int remove_keys(void **state)
{
  g_unlink(key_file);
  g_rmdir(dir);
  g_free(key_file);
  g_free(dir);
  g_free(justice_key);
  g_free(evil_key);
  return 0;
}

#define BODY "Status: closed\r\nNote: contained by the network team\r\n"
#define MESSAGE(from)                                                                    \
  "Date: Mon, 2 Mar 2026 10:00:00 +0000\r\n"                                            \
  "From: Alice <" from ">\r\n"                                                          \
  "To: security@justice.gov.uk\r\n"                                                     \
  "Subject: Re: INC-2026-000001\r\n"                                                    \
  "Message-ID: <1@justice.gov.uk>\r\n"                                                  \
  "\r\n" BODY

/* message (CRLF) with a DKIM-Signature of domain added on top; body_length
 * -1 for the whole body, else the l= of the signature; signed_at 0 for
 * now, else the time of the signature (t=), which then expires a minute
 * later (x=). Caller frees. */
static char *sign_at(const char *message, const char *key, const char *selector,
                     const char *domain, ssize_t body_length, uint64_t signed_at)
{
  DKIM_STAT status;
  DKIM_LIB *lib = dkim_init(NULL, NULL);
  assert_non_null(lib);
  if (signed_at) {
    uint64_t ttl = 60;
    assert_int_equal(dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_FIXEDTIME, &signed_at,
                                  sizeof signed_at), DKIM_STAT_OK);
    assert_int_equal(dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_SIGNATURETTL, &ttl,
                                  sizeof ttl), DKIM_STAT_OK);
  }
  DKIM *dkim = dkim_sign(lib, (const unsigned char *)"test", NULL, (unsigned char *)key,
                         (const unsigned char *)selector, (const unsigned char *)domain,
                         DKIM_CANON_RELAXED, DKIM_CANON_RELAXED, DKIM_SIGN_RSASHA256,
                         body_length, &status);
  assert_non_null(dkim);
  assert_int_equal(dkim_chunk(dkim, (unsigned char *)message, strlen(message)), DKIM_STAT_OK);
  assert_int_equal(dkim_chunk(dkim, NULL, 0), DKIM_STAT_OK);
  assert_int_equal(dkim_eom(dkim, NULL), DKIM_STAT_OK);
  unsigned char *header = NULL;
  size_t len = 0;
  assert_int_equal(dkim_getsighdr_d(dkim, strlen(DKIM_SIGNHEADER) + 2, &header, &len),
                   DKIM_STAT_OK);
  char *signed_message = g_strdup_printf(DKIM_SIGNHEADER ": %.*s\r\n%s", (int)len,
                                         (const char *)header, message);
  dkim_free(dkim);
  dkim_close(lib);
  return signed_message;
}

static char *sign(const char *message, const char *key, const char *selector,
                  const char *domain, ssize_t body_length)
{
  return sign_at(message, key, selector, domain, body_length, 0);
}

/* A copy of text with one occurrence of from replaced by to. */
static char *replace(const char *text, const char *from, const char *to)
{
  const char *at = strstr(text, from);
  assert_non_null(at);
  return g_strdup_printf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

/* What ost_auth_check says of raw for from_addr in mode: NULL for a pass,
 * else the why (caller frees). Fails the test on an error. */
static char *check_mode(IgAuthMode mode, const char *raw, const char *from_addr)
{
  IgConfig config = { .require_authentication = mode,
                      .trusted_authserv_id = (char *)"mx.justice.gov.uk" };
  IgOstAuthOptions opts = { .dkim_key_file = key_file };
  g_autoptr(GError) error = NULL;
  char *why = NULL;
  gboolean ok = ost_auth_check(&config, raw, strlen(raw), from_addr, &opts, &why, &error);
  if (error)
    print_error("%s\n", error->message);
  assert_null(error);
  if (ok) {
    assert_null(why);
    return NULL;
  }
  assert_non_null(why);
  return why;
}

static void expect_pass(IgAuthMode mode, const char *raw, const char *from_addr)
{
  g_autofree char *why = check_mode(mode, raw, from_addr);
  if (why)
    print_error("refused: %s\n", why);
  assert_null(why);
}

static void expect_fail(IgAuthMode mode, const char *raw, const char *from_addr,
                        const char *reason)
{
  g_autofree char *why = check_mode(mode, raw, from_addr);
  assert_non_null(why);
  if (!strstr(why, reason))
    print_error("\"%s\" not in \"%s\"\n", reason, why);
  assert_non_null(strstr(why, reason));
}

/* ---- dkim ---- */

/* With libopendkim failing in function, a well-signed mail is neither
 * passed nor refused with a reason that blames the mail: the check fails
 * with an error naming the library's failure. */
static void expect_library_failure(const char *function, const char *message)
{
  g_autofree char *raw = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "sel",
                              "justice.gov.uk", -1);
  IgConfig config = { .require_authentication = IG_AUTH_DKIM };
  IgOstAuthOptions opts = { .dkim_key_file = key_file };
  g_autoptr(GError) error = NULL;
  char *why = NULL;
  fail_in = function;
  gboolean ok = ost_auth_check(&config, raw, strlen(raw), "alice@justice.gov.uk", &opts, &why,
                               &error);
  fail_in = NULL;
  assert_false(ok);
  assert_null(why);
  assert_non_null(error);
  assert_string_equal(error->message, message);
  /* The same mail passes once the library works. */
  expect_pass(IG_AUTH_DKIM, raw, "alice@justice.gov.uk");
}

static void test_dkim_library_failures(void **state)
{
  expect_library_failure("dkim_init", "DKIM: libopendkim could not start");
  expect_library_failure("dkim_options", "DKIM: cannot set libopendkim options: Internal error");
  expect_library_failure("dkim_verify",
                         "DKIM: cannot start a verification: Resource unavailable");
  expect_library_failure("dkim_eom", "DKIM: libopendkim failed: Internal error");
  expect_library_failure("dkim_getsiglist",
                         "DKIM: libopendkim cannot list the signatures: Invalid parameter");
}

static void test_dkim_valid(void **state)
{
  g_autofree char *raw = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "sel",
                              "justice.gov.uk", -1);
  expect_pass(IG_AUTH_DKIM, raw, "alice@justice.gov.uk");
  /* As a maildir stores it: LF line ends. */
  g_auto(GStrv) lines = g_strsplit(raw, "\r\n", -1);
  g_autofree char *lf = g_strjoinv("\n", lines);
  expect_pass(IG_AUTH_DKIM, lf, "alice@justice.gov.uk");
}

static void test_dkim_altered(void **state)
{
  g_autofree char *raw = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "sel",
                              "justice.gov.uk", -1);
  g_autofree char *body = replace(raw, "Status: closed", "Status: rejected");
  expect_fail(IG_AUTH_DKIM, body, "alice@justice.gov.uk", "body altered since signing");
  g_autofree char *subject = replace(raw, "INC-2026-000001", "INC-2026-000002");
  expect_fail(IG_AUTH_DKIM, subject, "alice@justice.gov.uk", "headers altered since signing");
  g_autofree char *from = replace(raw, "alice@justice.gov.uk>", "bob@justice.gov.uk>");
  expect_fail(IG_AUTH_DKIM, from, "bob@justice.gov.uk", "headers altered since signing");
}

static void test_dkim_other_domain(void **state)
{
  g_autofree char *raw = sign(MESSAGE("alice@justice.gov.uk"), evil_key, "sel", "evil.example",
                              -1);
  expect_fail(IG_AUTH_DKIM, raw, "alice@justice.gov.uk",
              "DKIM signature of evil.example does not align with From domain justice.gov.uk");
  /* Signed as justice.gov.uk with evil's key: the published key refuses it. */
  g_autofree char *stolen = sign(MESSAGE("alice@justice.gov.uk"), evil_key, "sel",
                                 "justice.gov.uk", -1);
  expect_fail(IG_AUTH_DKIM, stolen, "alice@justice.gov.uk", "does not verify");
}

static void test_dkim_no_signature(void **state)
{
  expect_fail(IG_AUTH_DKIM, MESSAGE("alice@justice.gov.uk"), "alice@justice.gov.uk",
              "no DKIM signature");
}

static void test_dkim_subdomain_alignment(void **state)
{
  g_autofree char *parent = sign(MESSAGE("alice@london.justice.gov.uk"), justice_key, "sel",
                                 "justice.gov.uk", -1);
  expect_pass(IG_AUTH_DKIM, parent, "alice@london.justice.gov.uk");
  g_autofree char *child = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "sel",
                                "london.justice.gov.uk", -1);
  expect_fail(IG_AUTH_DKIM, child, "alice@justice.gov.uk", "does not align");

  assert_true(ost_auth_aligned("justice.gov.uk", "JUSTICE.gov.uk"));
  assert_true(ost_auth_aligned("a.b.justice.gov.uk", "justice.gov.uk"));
  assert_false(ost_auth_aligned("eviljustice.gov.uk", "justice.gov.uk"));
  assert_false(ost_auth_aligned("justice.gov.uk", "ice.gov.uk"));
  assert_false(ost_auth_aligned("justice.gov.uk", ""));
}

static void test_dkim_key_missing(void **state)
{
  g_autofree char *raw = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "gone",
                              "justice.gov.uk", -1);
  expect_fail(IG_AUTH_DKIM, raw, "alice@justice.gov.uk",
              "DKIM key gone._domainkey.justice.gov.uk not found");
}

/* A key that cannot be fetched (DNS down; here its key file unreadable)
 * is no proof of forgery: an error that may pass, and no verdict. */
static void test_dkim_key_unreachable(void **state)
{
  g_autofree char *raw = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "sel",
                              "justice.gov.uk", -1);
  IgConfig config = { .require_authentication = IG_AUTH_DKIM };
  g_autofree char *gone = g_build_filename(dir, "no-such-keys", NULL);
  IgOstAuthOptions opts = { .dkim_key_file = gone };
  g_autoptr(GError) error = NULL;
  char *why = NULL;
  assert_false(ost_auth_check(&config, raw, strlen(raw), "alice@justice.gov.uk", &opts, &why,
                              &error));
  assert_null(why);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_TRANSIENT));
  assert_non_null(strstr(error->message, "could not be fetched"));
}

static void test_dkim_any_good_signature(void **state)
{
  g_autofree char *good = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "sel",
                               "justice.gov.uk", -1);
  g_autofree char *both = sign(good, evil_key, "sel", "evil.example", -1);
  expect_pass(IG_AUTH_DKIM, both, "alice@justice.gov.uk");
}

/* A key its domain publishes as in testing mode (t=y) counts as no
 * signature (RFC 6376 3.6.1), however well the mail verifies. */
static void test_dkim_testing_key(void **state)
{
  g_autofree char *raw = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "trial",
                              "justice.gov.uk", -1);
  expect_fail(IG_AUTH_DKIM, raw, "alice@justice.gov.uk",
              "DKIM key of justice.gov.uk is marked as testing (t=y)");
}

/* A signature past its expiry (x=), however genuine, is refused with
 * libopendkim's reason. */
static void test_dkim_expired(void **state)
{
  g_autofree char *raw = sign_at(MESSAGE("alice@justice.gov.uk"), justice_key, "sel",
                                 "justice.gov.uk", -1, 1700000000);
  assert_non_null(strstr(raw, "x=1700000060;"));
  expect_fail(IG_AUTH_DKIM, raw, "alice@justice.gov.uk",
              "DKIM signature of justice.gov.uk does not verify: signature expired");
}

/* A signature whose d= is empty authenticates no one. */
static void test_dkim_no_domain(void **state)
{
  g_autofree char *raw = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "sel",
                              "justice.gov.uk", -1);
  g_autofree char *empty = replace(raw, "d=justice.gov.uk;", "d=;");
  expect_fail(IG_AUTH_DKIM, empty, "alice@justice.gov.uk", "DKIM signature names no domain");
}

/* Of several signatures that fail, the one of the From domain says why
 * (here its key is not published), whatever others come first; without
 * one, the first signature's fault is given (the topmost, added last). */
static void test_dkim_which_fault_is_told(void **state)
{
  g_autofree char *aligned = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "gone",
                                  "justice.gov.uk", -1);
  g_autofree char *two = sign(aligned, evil_key, "sel", "evil.example", -1);
  g_autofree char *three = sign(two, evil_key, "sel", "other.example", -1);
  expect_fail(IG_AUTH_DKIM, three, "alice@justice.gov.uk",
              "DKIM key gone._domainkey.justice.gov.uk not found");

  g_autofree char *evil = sign(MESSAGE("alice@justice.gov.uk"), evil_key, "sel", "evil.example",
                               -1);
  g_autofree char *both = sign(evil, evil_key, "sel", "other.example", -1);
  expect_fail(IG_AUTH_DKIM, both, "alice@justice.gov.uk",
              "DKIM signature of other.example does not align with From domain justice.gov.uk");
}

/* The attacks DKIM leaves open unless the verifier closes them. */
static void test_dkim_tricks(void **state)
{
  g_autofree char *raw = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "sel",
                              "justice.gov.uk", -1);
  /* A second From above the signed one: a mail client may show it. */
  g_autofree char *two_froms = g_strconcat("From: mallory@justice.gov.uk\r\n", raw, NULL);
  expect_fail(IG_AUTH_DKIM, two_froms, "mallory@justice.gov.uk", "multiple From");

  /* l=: commands appended below the signed part of the body. */
  g_autofree char *partial = sign(MESSAGE("alice@justice.gov.uk"), justice_key, "sel",
                                  "justice.gov.uk", (ssize_t)strlen(BODY));
  g_autofree char *appended = g_strconcat(partial, "Status: rejected\r\n", NULL);
  expect_fail(IG_AUTH_DKIM, appended, "alice@justice.gov.uk", "covers only part of the body");

  expect_fail(IG_AUTH_DKIM, raw, "alice", "From address has no domain");
}

/* ---- authentication-results ---- */

#define AUTHOR "From: alice@justice.gov.uk\nTo: security@justice.gov.uk\nSubject: hi\n\nStatus: closed\n"
#define BORDER_RECEIVED "Received: from mail.justice.gov.uk by mx.justice.gov.uk; Mon, 2 Mar 2026\n"
#define OUTSIDE_RECEIVED "Received: from laptop by mail.justice.gov.uk; Mon, 2 Mar 2026\n"

static void test_results_trusted(void **state)
{
  expect_pass(IG_AUTH_RESULTS,
              BORDER_RECEIVED
              "Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=justice.gov.uk\n"
              OUTSIDE_RECEIVED AUTHOR, "alice@justice.gov.uk");
  /* Above its Received, id in another case, header.i, dmarc. */
  expect_pass(IG_AUTH_RESULTS,
              "Authentication-Results: MX.Justice.GOV.uk;\n\tspf=pass smtp.mailfrom=x@y;"
              " dkim=pass header.i=@justice.gov.uk\n" BORDER_RECEIVED AUTHOR,
              "alice@justice.gov.uk");
  expect_pass(IG_AUTH_RESULTS,
              "Authentication-Results: mx.justice.gov.uk; dmarc=pass header.from=justice.gov.uk\n"
              AUTHOR, "alice@justice.gov.uk");
  /* Our other servers' headers above it do not matter. */
  expect_pass(IG_AUTH_RESULTS,
              "X-Spam-Status: No\nReceived: from mx by store\nARC-Seal: i=1; cv=none\n"
              "Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=justice.gov.uk\n"
              AUTHOR, "alice@justice.gov.uk");
}

static void test_results_trusted_fail(void **state)
{
  expect_fail(IG_AUTH_RESULTS,
              "Authentication-Results: mx.justice.gov.uk; dkim=fail header.d=justice.gov.uk\n"
              BORDER_RECEIVED AUTHOR, "alice@justice.gov.uk",
              "dkim=fail in Authentication-Results of mx.justice.gov.uk");
  expect_fail(IG_AUTH_RESULTS,
              "Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=evil.example\n"
              AUTHOR, "alice@justice.gov.uk",
              "dkim=pass for evil.example in Authentication-Results of mx.justice.gov.uk "
              "does not align with From domain justice.gov.uk");
  expect_fail(IG_AUTH_RESULTS,
              "Authentication-Results: mx.justice.gov.uk; dmarc=pass header.from=london.justice.gov.uk\n"
              AUTHOR, "alice@justice.gov.uk", "does not align");
  expect_fail(IG_AUTH_RESULTS, "Authentication-Results: mx.justice.gov.uk; none\n" AUTHOR,
              "alice@justice.gov.uk", "no dkim or dmarc result");
  expect_fail(IG_AUTH_RESULTS,
              "Authentication-Results: mx.justice.gov.uk; spf=pass smtp.mailfrom=justice.gov.uk\n"
              AUTHOR, "alice@justice.gov.uk", "no dkim or dmarc result");
  expect_fail(IG_AUTH_RESULTS, "Authentication-Results: mx.justice.gov.uk; dkim=pass\n" AUTHOR,
              "alice@justice.gov.uk", "names no domain");
  expect_fail(IG_AUTH_RESULTS, AUTHOR, "alice@justice.gov.uk",
              "no Authentication-Results from mx.justice.gov.uk");
}

static void test_results_untrusted(void **state)
{
  expect_fail(IG_AUTH_RESULTS,
              "Authentication-Results: mx.evil.example; dkim=pass header.d=justice.gov.uk\n"
              "Authentication-Results: mx.justice.gov.uk.evil.example; dkim=pass "
              "header.d=justice.gov.uk\n" BORDER_RECEIVED AUTHOR,
              "alice@justice.gov.uk", "no Authentication-Results from mx.justice.gov.uk");
}

static void test_results_forged_below(void **state)
{
  /* The sender's forgery below ours: ours is topmost and says fail. */
  expect_fail(IG_AUTH_RESULTS,
              BORDER_RECEIVED
              "Authentication-Results: mx.justice.gov.uk; dkim=none\n"
              "Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=justice.gov.uk\n"
              OUTSIDE_RECEIVED
              "Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=justice.gov.uk\n"
              AUTHOR, "alice@justice.gov.uk", "dkim=none in Authentication-Results");
  /* A forgery among the author's fields, none of ours: not a trace header. */
  expect_fail(IG_AUTH_RESULTS,
              BORDER_RECEIVED "From: alice@justice.gov.uk\n"
              "Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=justice.gov.uk\n"
              "Subject: hi\n\nStatus: closed\n",
              "alice@justice.gov.uk", "no Authentication-Results from mx.justice.gov.uk");
  /* Nor one in the body. */
  expect_fail(IG_AUTH_RESULTS,
              AUTHOR "Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=justice.gov.uk\n",
              "alice@justice.gov.uk", "no Authentication-Results");
}

static void test_results_syntax(void **state)
{
  /* Comments (with ';' and '=' inside, nested), a version, a quoted
   * string, method version, base64 with '/' and '=' in header.b. */
  expect_pass(IG_AUTH_RESULTS,
              "Authentication-Results: mx.justice.gov.uk (Postfix; (v=1)) 1;\n"
              "\tspf=pass (sender SPF authorized) smtp.mailfrom=justice.gov.uk;\n"
              "\tdkim/1=pass (2048-bit key; unprotected) header.b=\"Ab/c+d==\"\n"
              "\t header.s=sel header.d=justice.gov.uk header.a=rsa-sha256;\n"
              "\tdmarc=fail reason=\"x; y\" header.from=evil.example\n" AUTHOR,
              "alice@justice.gov.uk");
  /* A pass hidden in a comment is no pass. */
  expect_fail(IG_AUTH_RESULTS,
              "Authentication-Results: mx.justice.gov.uk; dkim=fail "
              "(dkim=pass header.d=justice.gov.uk) header.d=justice.gov.uk\n" AUTHOR,
              "alice@justice.gov.uk", "dkim=fail");
  expect_fail(IG_AUTH_RESULTS,
              "Authentication-Results: mx.justice.gov.uk (dkim=pass header.d=justice.gov.uk\n"
              AUTHOR, "alice@justice.gov.uk", "no dkim or dmarc result");
  /* Only the dkim result's own properties count. */
  expect_fail(IG_AUTH_RESULTS,
              "Authentication-Results: mx.justice.gov.uk; dkim=pass header.d=evil.example;"
              " spf=pass header.d=justice.gov.uk\n" AUTHOR,
              "alice@justice.gov.uk", "does not align");
  /* CRLF, folded. */
  expect_pass(IG_AUTH_RESULTS,
              "Authentication-Results: mx.justice.gov.uk;\r\n dkim=pass\r\n"
              "  header.d=justice.gov.uk\r\nFrom: alice@justice.gov.uk\r\n\r\nhi\r\n",
              "alice@justice.gov.uk");
  /* A stray ')' (once hung the tokenizer). */
  expect_pass(IG_AUTH_RESULTS,
              "Authentication-Results: mx.justice.gov.uk x) 1; dkim=pass header.d=justice.gov.uk\n"
              AUTHOR, "alice@justice.gov.uk");
  expect_fail(IG_AUTH_RESULTS, "Authentication-Results:\n" AUTHOR, "alice@justice.gov.uk",
              "no Authentication-Results");
  expect_fail(IG_AUTH_RESULTS, "", "alice@justice.gov.uk", "no Authentication-Results");
}

/* ---- exchange-internal and none ---- */

#define EXCHANGE_AUTHOR "From: alice@justice.gov.uk\nSubject: hi\n"
#define EXCHANGE_BODY "\nStatus: closed\n"

static void test_exchange(void **state)
{
  expect_pass(IG_AUTH_EXCHANGE_INTERNAL,
              "Received: from a by b\n" EXCHANGE_AUTHOR
              "X-MS-Exchange-Organization-AuthAs: Internal\n" EXCHANGE_BODY,
              "alice@justice.gov.uk");
  expect_pass(IG_AUTH_EXCHANGE_INTERNAL,
              EXCHANGE_AUTHOR "x-ms-exchange-organization-authas:\r\n  internal \r\n" EXCHANGE_BODY,
              "alice@justice.gov.uk");
  expect_fail(IG_AUTH_EXCHANGE_INTERNAL,
              EXCHANGE_AUTHOR "X-MS-Exchange-Organization-AuthAs: Anonymous\n" EXCHANGE_BODY,
              "alice@justice.gov.uk", "not marked internal by Exchange (AuthAs: Anonymous)");
  expect_fail(IG_AUTH_EXCHANGE_INTERNAL, EXCHANGE_AUTHOR EXCHANGE_BODY, "alice@justice.gov.uk",
              "not marked internal by Exchange");
  expect_fail(IG_AUTH_EXCHANGE_INTERNAL,
              EXCHANGE_AUTHOR EXCHANGE_BODY "X-MS-Exchange-Organization-AuthAs: Internal\n",
              "alice@justice.gov.uk", "not marked internal by Exchange");
  expect_fail(IG_AUTH_EXCHANGE_INTERNAL,
              "X-MS-Exchange-Organization-AuthAs: Internal\n" EXCHANGE_AUTHOR
              "X-MS-Exchange-Organization-AuthAs: Internal\n" EXCHANGE_BODY,
              "alice@justice.gov.uk", "2 X-MS-Exchange-Organization-AuthAs headers");
  expect_fail(IG_AUTH_EXCHANGE_INTERNAL,
              EXCHANGE_AUTHOR "X-MS-Exchange-Organization-AuthAs: Internal, Internal\n"
              EXCHANGE_BODY, "alice@justice.gov.uk", "not marked internal");
}

static void test_none(void **state)
{
  expect_pass(IG_AUTH_NONE, "", "alice@justice.gov.uk");
  expect_pass(IG_AUTH_NONE, EXCHANGE_AUTHOR EXCHANGE_BODY, "alice@justice.gov.uk");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_dkim_valid),
    cmocka_unit_test(test_dkim_altered),
    cmocka_unit_test(test_dkim_other_domain),
    cmocka_unit_test(test_dkim_no_signature),
    cmocka_unit_test(test_dkim_subdomain_alignment),
    cmocka_unit_test(test_dkim_key_missing),
    cmocka_unit_test(test_dkim_key_unreachable),
    cmocka_unit_test(test_dkim_any_good_signature),
    cmocka_unit_test(test_dkim_testing_key),
    cmocka_unit_test(test_dkim_expired),
    cmocka_unit_test(test_dkim_no_domain),
    cmocka_unit_test(test_dkim_which_fault_is_told),
    cmocka_unit_test(test_dkim_tricks),
    cmocka_unit_test(test_dkim_library_failures),
    cmocka_unit_test(test_results_trusted),
    cmocka_unit_test(test_results_trusted_fail),
    cmocka_unit_test(test_results_untrusted),
    cmocka_unit_test(test_results_forged_below),
    cmocka_unit_test(test_results_syntax),
    cmocka_unit_test(test_exchange),
    cmocka_unit_test(test_none),
  };
  return cmocka_run_group_tests(tests, make_keys, remove_keys);
}

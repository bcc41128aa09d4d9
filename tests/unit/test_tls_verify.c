/* test_tls_verify.c - unit tests for gateway/tls_verify.c against
 * certificates made by the openssl command for each run: a chain is
 * accepted only when it leads to a trusted CA (through the intermediates
 * the server sends), names the host and is meant for a TLS server
 * (extended key usage); each refusal says why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "gateway/error.h"
#include "gateway/tls_verify.h"

static char *dir;

static gboolean sh(const char *script)
{
  const char *argv[] = { "/bin/sh", "-ec", script, NULL };
  int status = 0;
  g_autofree char *out = NULL, *err = NULL;
  if (!g_spawn_sync(dir, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                    &status, NULL) ||
      !g_spawn_check_wait_status(status, NULL)) {
    print_error("%s\n", err ? err : "spawn failed");
    return FALSE;
  }
  return TRUE;
}

/* A test CA, and leaves signed by it: one per extended key usage; an
 * intermediate CA under it with a server leaf of its own; another CA. */
static int make_certs(void **state)
{
  dir = g_dir_make_tmp("ig-tls-XXXXXX", NULL);
  if (!dir)
    return -1;
  return sh("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Test CA' "
            "  -keyout ca.key -out ca.crt 2>/dev/null\n"
            "for eku in serverAuth clientAuth; do\n"
            "  openssl req -new -newkey rsa:2048 -nodes -subj /CN=localhost "
            "    -keyout $eku.key -out $eku.csr 2>/dev/null\n"
            "  printf 'basicConstraints=CA:FALSE\\nextendedKeyUsage=%s\\n"
            "subjectAltName=DNS:localhost,IP:127.0.0.1\\n' $eku > $eku.ext\n"
            "  openssl x509 -req -in $eku.csr -CA ca.crt -CAkey ca.key -set_serial 0x$(openssl rand -hex 8) "
            "    -days 2 -extfile $eku.ext -out $eku.crt 2>/dev/null\n"
            "done\n"
            "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Other CA' "
            "  -keyout other.key -out other.crt 2>/dev/null\n"
            "openssl req -new -newkey rsa:2048 -nodes -subj '/CN=Test Intermediate' "
            "  -keyout inter.key -out inter.csr 2>/dev/null\n"
            "printf 'basicConstraints=critical,CA:TRUE\\nkeyUsage=critical,keyCertSign\\n'"
            "  > inter.ext\n"
            "openssl x509 -req -in inter.csr -CA ca.crt -CAkey ca.key -set_serial 0x$(openssl rand -hex 8) "
            "  -days 2 -extfile inter.ext -out inter.crt 2>/dev/null\n"
            "openssl req -new -newkey rsa:2048 -nodes -subj /CN=localhost "
            "  -keyout leaf.key -out leaf.csr 2>/dev/null\n"
            "openssl x509 -req -in leaf.csr -CA inter.crt -CAkey inter.key -set_serial 0x$(openssl rand -hex 8) "
            "  -days 2 -extfile serverAuth.ext -out leaf.crt 2>/dev/null\n")
             ? 0
             : -1;
}

static int remove_certs(void **state)
{
  g_autofree char *script = g_strdup_printf("rm -rf '%s'", dir);
  sh(script);
  g_free(dir);
  return 0;
}

/* The certificate in name.crt, DER. */
static GBytes *der_of(const char *name)
{
  g_autofree char *path = g_strdup_printf("%s/%s.crt", dir, name);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
  fclose(f);
  assert_non_null(cert);
  unsigned char *der = NULL;
  int len = i2d_X509(cert, &der);
  assert_true(len > 0);
  GBytes *bytes = g_bytes_new(der, (gsize)len);
  OPENSSL_free(der);
  X509_free(cert);
  return bytes;
}

static GPtrArray *empty_chain(void)
{
  return g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
}

/* The leaf named name.crt as a one-element DER chain. */
static GPtrArray *chain_of(const char *name)
{
  GPtrArray *chain = empty_chain();
  g_ptr_array_add(chain, der_of(name));
  return chain;
}

static GBytes *junk(void)
{
  return g_bytes_new_static("not a certificate", 17);
}

/* error must be a refusal for host holding needle. */
static void expect_refusal(GError *error, const char *host, const char *needle)
{
  assert_non_null(error);
  if (!strstr(error->message, needle))
    print_error("\"%s\" not in \"%s\"\n", needle, error->message);
  assert_non_null(strstr(error->message, needle));
  if (host)
    assert_non_null(strstr(error->message, host));
}

static gboolean verify(const char *leaf, const char *host, const char *ca, GError **error)
{
  g_autoptr(GPtrArray) chain = chain_of(leaf);
  g_autofree char *ca_file = g_strdup_printf("%s/%s.crt", dir, ca);
  return tls_verify_chain(chain, host, ca_file, error);
}

static void test_server_certificate_accepted(void **state)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = verify("serverAuth", "localhost", "ca", &error);
  if (!ok)
    print_error("%s\n", error->message);
  assert_true(ok);
  assert_true(verify("serverAuth", "127.0.0.1", "ca", NULL));
}

static void test_client_certificate_refused(void **state)
{
  g_autoptr(GError) error = NULL;
  assert_false(verify("clientAuth", "localhost", "ca", &error));
  assert_non_null(error);
  assert_non_null(strstr(error->message, "localhost"));
  assert_non_null(strstr(error->message, "purpose"));
}

static void test_wrong_host_refused(void **state)
{
  g_autoptr(GError) error = NULL;
  assert_false(verify("serverAuth", "mail.example.org", "ca", &error));
  assert_non_null(strstr(error->message, "mail.example.org"));
}

static void test_untrusted_ca_refused(void **state)
{
  g_autoptr(GError) error = NULL;
  assert_false(verify("serverAuth", "localhost", "other", &error));
  assert_non_null(strstr(error->message, "certificate verification failed"));
  assert_null(strstr(error->message, "set ca_file")); /* it is set */
}

/* A private CA with no ca_file: the system store alone does not trust
 * it, and the refusal says what to set. */
static void test_private_ca_without_ca_file(void **state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chain = chain_of("serverAuth");
  assert_false(tls_verify_chain(chain, "localhost", NULL, &error));
  expect_refusal(error, "localhost", "certificate verification failed");
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  assert_non_null(strstr(error->message, "(set ca_file for a private CA)"));
}

/* A ca_file that is missing or holds no certificate is the
 * configuration's fault, named as such, not the server's. */
static void test_unloadable_ca_file(void **state)
{
  const char *bad[] = { "missing", "serverAuth.ext" };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) chain = chain_of("serverAuth");
    g_autofree char *ca_file = g_strdup_printf("%s/%s", dir, bad[i]);
    assert_false(tls_verify_chain(chain, "localhost", ca_file, &error));
    assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_CONFIG));
    g_autofree char *want = g_strdup_printf("TLS localhost: cannot load CA certificates from %s",
                                            ca_file);
    assert_string_equal(error->message, want);
  }
}

/* A server that presents nothing, or bytes that are no certificate. */
static void test_unreadable_certificate_refused(void **state)
{
  g_autoptr(GPtrArray) none = empty_chain();
  g_autoptr(GPtrArray) garbage = empty_chain();
  g_ptr_array_add(garbage, junk());
  GPtrArray *chains[] = { NULL, none, garbage };
  for (gsize i = 0; i < G_N_ELEMENTS(chains); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *ca_file = g_strdup_printf("%s/ca.crt", dir);
    assert_false(tls_verify_chain(chains[i], "localhost", ca_file, &error));
    expect_refusal(error, "localhost", "the server presented no readable certificate");
  }
}

/* A leaf issued by an intermediate CA is accepted when the server sends
 * the intermediate after it (unreadable extras are passed over), and
 * refused when it does not: only the root is trusted. */
static void test_chain_through_intermediate(void **state)
{
  g_autofree char *ca_file = g_strdup_printf("%s/ca.crt", dir);
  g_autoptr(GPtrArray) full = chain_of("leaf");
  g_ptr_array_add(full, junk());
  g_ptr_array_add(full, der_of("inter"));
  g_autoptr(GError) error = NULL;
  gboolean ok = tls_verify_chain(full, "localhost", ca_file, &error);
  if (!ok)
    print_error("%s\n", error->message);
  assert_true(ok);

  g_autoptr(GPtrArray) alone = chain_of("leaf");
  assert_false(tls_verify_chain(alone, "localhost", ca_file, &error));
  expect_refusal(error, "localhost", "unable to get local issuer certificate");
}

/* No host name: OpenSSL would check none, so any certificate from a
 * trusted CA would pass. Refused. */
static void test_empty_host_refused(void **state)
{
  g_autoptr(GError) error = NULL;
  assert_false(verify("serverAuth", "", "ca", &error));
  expect_refusal(error, NULL, "no host name to check the server's certificate against");
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GPtrArray) chain = chain_of("serverAuth");
  g_autofree char *ca_file = g_strdup_printf("%s/ca.crt", dir);
  assert_false(tls_verify_chain(chain, NULL, ca_file, &error2));
  assert_non_null(error2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_server_certificate_accepted),
    cmocka_unit_test(test_client_certificate_refused),
    cmocka_unit_test(test_wrong_host_refused),
    cmocka_unit_test(test_untrusted_ca_refused),
    cmocka_unit_test(test_private_ca_without_ca_file),
    cmocka_unit_test(test_unloadable_ca_file),
    cmocka_unit_test(test_unreadable_certificate_refused),
    cmocka_unit_test(test_chain_through_intermediate),
    cmocka_unit_test(test_empty_host_refused),
  };
  return cmocka_run_group_tests(tests, make_certs, remove_certs);
}

/* test_tls_verify.c - unit tests for gateway/tls_verify.c against
 * certificates made by the openssl command for each run: a chain is
 * accepted only when it leads to a trusted CA, names the host and is meant
 * for a TLS server (extended key usage). */
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

/* A test CA, and leaves signed by it: one per extended key usage. */
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
            "  -keyout other.key -out other.crt 2>/dev/null\n")
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

/* The leaf named name.crt as a one-element DER chain. */
static GPtrArray *chain_of(const char *name)
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
  GPtrArray *chain = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
  g_ptr_array_add(chain, g_bytes_new(der, (gsize)len));
  OPENSSL_free(der);
  X509_free(cert);
  return chain;
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
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_server_certificate_accepted),
    cmocka_unit_test(test_client_certificate_refused),
    cmocka_unit_test(test_wrong_host_refused),
    cmocka_unit_test(test_untrusted_ca_refused),
  };
  return cmocka_run_group_tests(tests, make_certs, remove_certs);
}

/* test_modules.c - unit tests for gateway/module.c and netmod.c where the
 * system under them fails: /proc/self/exe unreadable, libcurl refusing its
 * global set-up. (Loading itself, a module missing or without its table,
 * is e2e/netmod.sh's.) The failures are injected: this program's own
 * g_file_read_link and curl_global_init stand in for the libraries'
 * (interpose.h) and pass each call on unless the test says it fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <glib.h>

#include "gateway/error.h"
#include "gateway/module.h"
#include "gateway/netmod.h"
#include "tests/unit/interpose.h"

static gboolean exe_unreadable, curl_refuses;
static int curl_inits;

gchar *g_file_read_link(const gchar *filename, GError **error)
{
  gchar *(*real)(const gchar *, GError **) = library("g_file_read_link");
  if (!exe_unreadable || strcmp(filename, "/proc/self/exe") != 0)
    return real(filename, error);
  g_set_error_literal(error, G_FILE_ERROR, G_FILE_ERROR_ACCES, "Permission denied");
  return NULL;
}

CURLcode curl_global_init(long flags)
{
  CURLcode (*real)(long) = library("curl_global_init");
  curl_inits++;
  return curl_refuses ? CURLE_FAILED_INIT : real(flags);
}

static void test_executable_not_found(void **state)
{
  g_autoptr(GError) error = NULL;
  exe_unreadable = TRUE;
  gpointer table = module_table("ig-net.so", "ig_net_ops", "the network module", &error);
  exe_unreadable = FALSE;
  assert_null(table);
  assert_non_null(error);
  assert_string_equal(error->message, "cannot load the network module: where the executable is"
                                      " cannot be read from /proc/self/exe");
}

/* A refused set-up is an error of the first use, and the next use tries
 * the set-up again rather than use the network module without it. */
static void test_libcurl_refuses_to_start(void **state)
{
  g_autoptr(GError) error = NULL;
  curl_refuses = TRUE;
  const IgNetOps *ops = netmod_ops(&error);
  curl_refuses = FALSE;
  assert_null(ops);
  assert_non_null(error);
  assert_string_equal(error->message, "libcurl could not initialise");
  assert_int_equal(curl_inits, 1);

  g_clear_error(&error);
  ops = netmod_ops(&error);
  assert_null(error);
  assert_non_null(ops);
  assert_int_equal(curl_inits, 2);
  /* Set up once: later uses do not initialise libcurl again. */
  assert_ptr_equal(netmod_ops(&error), ops);
  assert_int_equal(curl_inits, 2);
  curl_global_cleanup();
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_executable_not_found),
    cmocka_unit_test(test_libcurl_refuses_to_start),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

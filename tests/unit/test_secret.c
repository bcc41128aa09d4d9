/* test_secret.c - unit tests for gateway/secret.c: password files are
 * refused unless 0600, and a failing oauth2_token_command is reported by
 * its program and exit status, never by its arguments (client secrets). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "gateway/error.h"
#include "gateway/secret.h"

static void expect_token_error(const char *command, const char *needle)
{
  g_autoptr(GError) error = NULL;
  char *token = secret_oauth2_token(command, &error);
  assert_null(token);
  assert_non_null(error);
  if (!strstr(error->message, needle))
    print_error("\"%s\" not in \"%s\"\n", needle, error->message);
  assert_non_null(strstr(error->message, needle));
  assert_null(strstr(error->message, "S3CRET"));
}

static void test_token_failure_hides_arguments(void **state)
{
  expect_token_error("sh -c 'exit 3' --client-secret=S3CRET", "exited with status 3");
  expect_token_error("sh -c 'exit 3' --client-secret=S3CRET", "(sh)");
}

static void test_token_killed_by_signal(void **state)
{
  expect_token_error("sh -c 'kill -9 $$' S3CRET", "killed by signal 9");
}

static void test_token_empty_output(void **state)
{
  expect_token_error("printf '\\n' S3CRET", "printed no token");
}

static void test_token_first_line(void **state)
{
  g_autoptr(GError) error = NULL;
  char *token = secret_oauth2_token("printf '  tok-123 \\nsecond\\n'", &error);
  assert_non_null(token);
  assert_string_equal(token, "tok-123");
  secret_free(token);
}

static void test_password_file_mode(void **state)
{
  g_autofree char *dir = g_dir_make_tmp("ig-secret-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "pass", NULL);
  assert_true(g_file_set_contents(path, "hunter2\n", -1, NULL));

  assert_int_equal(g_chmod(path, 0644), 0);
  g_autoptr(GError) error = NULL;
  assert_null(secret_read_file(path, &error));
  assert_non_null(strstr(error->message, "0644"));
  assert_null(strstr(error->message, "hunter2"));

  assert_int_equal(g_chmod(path, 0600), 0);
  char *pw = secret_read_file(path, NULL);
  assert_non_null(pw);
  assert_string_equal(pw, "hunter2");
  secret_free(pw);
  g_unlink(path);
  g_rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_token_failure_hides_arguments),
    cmocka_unit_test(test_token_killed_by_signal),
    cmocka_unit_test(test_token_empty_output),
    cmocka_unit_test(test_token_first_line),
    cmocka_unit_test(test_password_file_mode),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

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
  char *token = secret_oauth2_token(command, SECRET_TOKEN_TIMEOUT_S, &error);
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

static void test_token_command_not_found(void **state)
{
  expect_token_error("/nonexistent/get-token --client-secret=S3CRET",
                     "oauth2_token_command (get-token) was not found");
  g_autofree char *program = secret_command_program("'/opt/my tools/tok' --secret S3CRET");
  assert_string_equal(program, "tok");
}

static void test_token_empty_output(void **state)
{
  expect_token_error("printf '\\n' S3CRET", "printed no token");
}

static void test_token_first_line(void **state)
{
  g_autoptr(GError) error = NULL;
  char *token = secret_oauth2_token("printf '  tok-123 \\nsecond\\n'", SECRET_TOKEN_TIMEOUT_S,
                                    &error);
  assert_non_null(token);
  assert_string_equal(token, "tok-123");
  secret_free(token);
}

/* secret_oauth2_token(command, 1 s) fails within two seconds with a
 * "timed out" error naming the program alone. */
static void expect_timeout(const char *command)
{
  g_autoptr(GError) error = NULL;
  const gint64 start = g_get_monotonic_time();
  assert_null(secret_oauth2_token(command, 1, &error));
  assert_true(g_get_monotonic_time() - start < 2 * G_TIME_SPAN_SECOND);
  assert_non_null(error);
  if (!strstr(error->message, "(sh) timed out after 1 s"))
    print_error("unexpected: %s\n", error->message);
  assert_non_null(strstr(error->message, "(sh) timed out after 1 s"));
  assert_null(strstr(error->message, "S3CRET"));
}

static void test_token_timeout(void **state)
{
  expect_timeout("sh -c 'sleep 30' S3CRET");
  /* deaf to SIGTERM */
  expect_timeout("sh -c 'trap \"\" TERM; sleep 30' S3CRET");
  /* a script that leaves a child holding its output, then is killed */
  expect_timeout("sh -c 'sleep 30 & sleep 30' S3CRET");

  /* what it started is killed with it */
  g_autofree char *dir = g_dir_make_tmp("ig-secret-XXXXXX", NULL);
  g_autofree char *pidfile = g_build_filename(dir, "pid", NULL);
  g_autofree char *command = g_strdup_printf("sh -c 'sleep 30 & echo $! > %s; wait' S3CRET",
                                             pidfile);
  expect_timeout(command);
  g_autofree char *text = NULL;
  assert_true(g_file_get_contents(pidfile, &text, NULL, NULL));
  g_strstrip(text);
  assert_true(g_ascii_strtoll(text, NULL, 10) > 0);
  /* gone, or a zombie its new parent has yet to reap, within a second */
  g_autofree char *stat_path = g_strdup_printf("/proc/%s/stat", text);
  gboolean dead = FALSE;
  for (int i = 0; i < 100 && !dead; i++) {
    g_autofree char *stat = NULL;
    dead = !g_file_get_contents(stat_path, &stat, NULL, NULL) || strstr(stat, ") Z ");
    if (!dead)
      g_usleep(10000);
  }
  assert_true(dead);
  g_unlink(pidfile);
  g_rmdir(dir);
}

/* A token helper that starts a background process (an agent) which keeps
 * its output open: the token is taken when the helper exits. */
static void test_token_helper_leaves_a_child(void **state)
{
  g_autoptr(GError) error = NULL;
  const gint64 start = g_get_monotonic_time();
  char *token = secret_oauth2_token("sleep 30 & echo tok-9", 10, &error);
  assert_true(g_get_monotonic_time() - start < 3 * G_TIME_SPAN_SECOND);
  assert_non_null(token);
  assert_string_equal(token, "tok-9");
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

/* The shell itself killed, a program that cannot be run, a command line
 * that does not parse: each named plainly. */
static void test_token_other_failures(void **state)
{
  expect_token_error("kill -9 $$", "was killed by signal 9");
  g_autofree char *dir = g_dir_make_tmp("ig-secret-XXXXXX", NULL);
  g_autofree char *tool = g_build_filename(dir, "get-token", NULL);
  assert_true(g_file_set_contents(tool, "#!/bin/sh\necho tok\n", -1, NULL));
  assert_int_equal(g_chmod(tool, 0600), 0);
  g_autofree char *command = g_strdup_printf("%s --client-secret=S3CRET", tool);
  expect_token_error(command, "(get-token) could not be run (exit status 126)");
  g_unlink(tool);
  g_rmdir(dir);
  g_autofree char *program = secret_command_program("\"unterminated --secret S3CRET");
  assert_string_equal(program, "the command");
}

/* A password file that is empty, not text, or not a file is refused,
 * naming the file. */
static void test_password_file_unusable(void **state)
{
  g_autofree char *dir = g_dir_make_tmp("ig-secret-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "pass", NULL);
  const struct {
    const char *data;
    gssize len;
  } cases[] = { { "\n", 1 }, { "hun\0ter2", 9 } };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    assert_true(g_file_set_contents(path, cases[i].data, cases[i].len, NULL));
    assert_int_equal(g_chmod(path, 0600), 0);
    g_autoptr(GError) error = NULL;
    assert_null(secret_read_file(path, &error));
    assert_non_null(strstr(error->message, "is empty or not text"));
    assert_non_null(strstr(error->message, path));
  }
  g_unlink(path);
  assert_int_equal(g_mkdir(path, 0700), 0);
  g_autoptr(GError) error = NULL;
  assert_null(secret_read_file(path, &error));
  assert_true(g_str_has_prefix(error->message, "password file "));
  g_rmdir(path);
  g_rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_token_failure_hides_arguments),
    cmocka_unit_test(test_token_killed_by_signal),
    cmocka_unit_test(test_token_command_not_found),
    cmocka_unit_test(test_token_empty_output),
    cmocka_unit_test(test_token_timeout),
    cmocka_unit_test(test_token_helper_leaves_a_child),
    cmocka_unit_test(test_token_first_line),
    cmocka_unit_test(test_password_file_mode),
    cmocka_unit_test(test_token_other_failures),
    cmocka_unit_test(test_password_file_unusable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

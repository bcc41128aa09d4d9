/* test_transport.c - unit tests for gateway/transport.c,
 * transport_dir.c and the checks transport_smtp.c makes before it
 * connects: the dir: transport writes each mail once under its name and
 * never overwrites another file, re-sending the same mail counts as
 * delivered, and a target directory that is a file, has gone, may not be
 * written or is full is an error naming it with no file left half-written; an SMTP row with
 * an address that is not one is refused for good before any connection,
 * and credentials that cannot be read fail the send, naming their file
 * or command, never their content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gateway/config.h"
#include "gateway/error.h"
#include "gateway/records.h"
#include "gateway/transport.h"
#include "tests/unit/tmpdir_fixture.h"

#define MAIL "From: security@justice.gov.uk\r\nSubject: [INC-2026-000001] x\r\n\r\nbody\r\n"

/* A configuration with these [transport] lines. */
static IgConfig *config_with(const char *transport)
{
  g_autofree char *text = g_strdup_printf("[gateway]\ndatabase = %s/g.db\n"
                                          "[stakeholders]\nost = ost@justice.gov.uk\n"
                                          "[transport]\n%s",
                                          dir, transport);
  g_autoptr(GError) error = NULL;
  IgConfig *config = config_load_data(text, strlen(text), "test.conf", &error);
  if (!config)
    fail_msg("config: %s", error->message);
  return config;
}

static IgTransport *open_dir(IgConfig **config, const char *sub)
{
  g_autofree char *line = g_strdup_printf("url = dir:%s/%s\n", dir, sub);
  *config = config_with(line);
  g_autoptr(GError) error = NULL;
  IgTransport *t = transport_open(*config, &error);
  if (!t)
    fail_msg("transport: %s", error->message);
  return t;
}

static IgOutboxRec *row(gint64 id, const char *reference, const char *to, const char *body)
{
  IgOutboxRec *r = g_new0(IgOutboxRec, 1);
  r->id = id;
  r->kind = g_strdup("mail");
  r->reference = g_strdup(reference);
  r->to = g_strdup(to);
  r->body = g_bytes_new(body, strlen(body));
  return r;
}

/* A mail sent and flushed: delivered. */
static gboolean deliver(IgTransport *t, const IgOutboxRec *r, GError **error)
{
  return t->send(t, r, error) && t->flush(t, error);
}

static gint by_name(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in sub, sorted, space separated. */
static char *listing(const char *sub)
{
  g_autofree char *path = g_build_filename(dir, sub, NULL);
  g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
  assert_non_null(d);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  for (const char *name; (name = g_dir_read_name(d));)
    g_ptr_array_add(names, g_strdup(name));
  g_ptr_array_sort(names, by_name);
  g_ptr_array_add(names, NULL);
  return g_strjoinv(" ", (char **)names->pdata);
}

static char *contents(const char *sub, const char *name)
{
  g_autofree char *path = g_build_filename(dir, sub, name, NULL);
  char *data = NULL;
  assert_true(g_file_get_contents(path, &data, NULL, NULL));
  return data;
}

static void expect_message(GError *error, const char *want)
{
  assert_non_null(error);
  if (!strstr(error->message, want))
    print_error("\"%s\" not in \"%s\"\n", want, error->message);
  assert_non_null(strstr(error->message, want));
}

/* --- dir: --- */

/* Each mail lands under <id>-<reference>.eml (the directory made on the
 * way), byte for byte, with no temporary file left beside it; mails sent
 * take their names together at the flush, not before. */
static void test_dir_writes_each_mail(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgTransport) t = open_dir(&config, "var/outbox");
  g_autoptr(GError) error = NULL;
  assert_true(t->check(t, &error));
  g_autoptr(IgOutboxRec) a = row(7, "INC-2026-000001", "a@x.gov.uk", MAIL);
  g_autoptr(IgOutboxRec) b = row(12, NULL, "b@x.gov.uk", "Subject: digest\r\n\r\nd\r\n");
  assert_true(t->send(t, a, &error));
  assert_true(t->send(t, b, &error));
  g_autofree char *before = listing("var/outbox");
  assert_null(strstr(before, " 0"));
  assert_false(g_str_has_prefix(before, "0"));
  assert_true(t->flush(t, &error));
  assert_true(t->flush(t, &error));
  assert_null(error);
  g_autofree char *names = listing("var/outbox");
  assert_string_equal(names, "00000007-INC-2026-000001.eml 00000012-gateway.eml");
  g_autofree char *got = contents("var/outbox", "00000007-INC-2026-000001.eml");
  assert_string_equal(got, MAIL);
}

/* The same mail sent again (a crash came between the write and marking
 * the row sent) is delivered already; a different file under its name is
 * never overwritten (the same size, or the start of it), and the row is
 * retried. */
static void test_dir_never_overwrites(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgTransport) t = open_dir(&config, "out");
  g_autoptr(IgOutboxRec) a = row(1, "INC-2026-000001", "a@x.gov.uk", MAIL);
  g_autoptr(GError) error = NULL;
  assert_true(deliver(t, a, &error));
  assert_true(deliver(t, a, &error));
  assert_null(error);

  g_autofree char *same_size = g_strdup(MAIL);
  same_size[strlen(same_size) - 3] = 'X';
  g_autofree char *prefix = g_strndup(MAIL, 20);
  const char *others[] = { same_size, prefix };
  for (gsize i = 0; i < G_N_ELEMENTS(others); i++) {
    g_autoptr(IgOutboxRec) other = row(1, "INC-2026-000001", "a@x.gov.uk", others[i]);
    g_autoptr(GError) refused = NULL;
    assert_false(t->send(t, other, &refused));
    assert_true(g_error_matches(refused, IG_ERROR, IG_ERROR_RUNTIME));
    expect_message(refused, "00000001-INC-2026-000001.eml: a different file already has this"
                            " name; not overwritten");
  }
  g_autofree char *kept = contents("out", "00000001-INC-2026-000001.eml");
  assert_string_equal(kept, MAIL);
  g_autofree char *names = listing("out");
  assert_string_equal(names, "00000001-INC-2026-000001.eml");
}

/* url = dir:PATH where PATH is a file: the transport cannot start, and
 * says which path. */
static void test_dir_target_is_a_file(void **state)
{
  g_autofree char *file = g_build_filename(dir, "outbox", NULL);
  assert_true(g_file_set_contents(file, "not a directory", -1, NULL));
  g_autofree char *line = g_strdup_printf("url = dir:%s\n", file);
  g_autoptr(IgConfig) config = config_with(line);
  g_autoptr(GError) error = NULL;
  assert_null(transport_open(config, &error));
  g_autofree char *want = g_strdup_printf("transport dir:%s: ", file);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  assert_true(g_str_has_prefix(error->message, want));
}

/* The directory removed while the service runs: sending and checking
 * fail, naming it; once it is back, the mail goes. */
static void test_dir_removed_while_running(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgTransport) t = open_dir(&config, "gone");
  g_autofree char *path = g_build_filename(dir, "gone", NULL);
  assert_int_equal(g_rmdir(path), 0);
  g_autoptr(IgOutboxRec) a = row(3, "INC-2026-000001", "a@x.gov.uk", MAIL);
  g_autoptr(GError) error = NULL;
  assert_false(t->send(t, a, &error));
  g_autofree char *want = g_strdup_printf("%s/00000003-INC-2026-000001.eml: No such file or"
                                          " directory", path);
  assert_string_equal(error->message, want);
  g_autoptr(GError) check_error = NULL;
  assert_false(t->check(t, &check_error));
  g_autofree char *want_check = g_strdup_printf("transport dir:%s: No such file or directory",
                                                path);
  assert_string_equal(check_error->message, want_check);

  assert_int_equal(g_mkdir(path, 0750), 0);
  g_autoptr(GError) again = NULL;
  assert_true(deliver(t, a, &again));
  g_autofree char *names = listing("gone");
  assert_string_equal(names, "00000003-INC-2026-000001.eml");
}

/* The directory removed between a send and its flush: the flush fails
 * naming the mail, and once the directory is back the same rows go. */
static void test_dir_removed_before_flush(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgTransport) t = open_dir(&config, "gone");
  g_autofree char *path = g_build_filename(dir, "gone", NULL);
  g_autoptr(IgOutboxRec) a = row(3, "INC-2026-000001", "a@x.gov.uk", MAIL);
  g_autoptr(GError) error = NULL;
  assert_true(t->send(t, a, &error));
  g_autofree char *staged = listing("gone");
  g_autofree char *tmp = g_build_filename(path, staged, NULL);
  assert_int_equal(g_unlink(tmp), 0);
  assert_int_equal(g_rmdir(path), 0);
  assert_false(t->flush(t, &error));
  g_autofree char *want = g_strdup_printf("%s/00000003-INC-2026-000001.eml: No such file or"
                                          " directory", path);
  assert_string_equal(error->message, want);
  assert_int_equal(g_mkdir(path, 0750), 0);
  g_autoptr(GError) again = NULL;
  assert_true(deliver(t, a, &again));
  g_autofree char *names = listing("gone");
  assert_string_equal(names, "00000003-INC-2026-000001.eml");
}

/* Another file takes a mail's name between its send and the flush: it is
 * kept, the flush fails saying so, and no temporary file is left for any
 * mail of the group. */
static void test_dir_name_taken_before_flush(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgTransport) t = open_dir(&config, "out");
  g_autoptr(IgOutboxRec) a = row(1, "INC-2026-000001", "a@x.gov.uk", MAIL);
  g_autoptr(IgOutboxRec) b = row(2, "INC-2026-000002", "b@x.gov.uk", MAIL);
  g_autoptr(GError) error = NULL;
  assert_true(t->send(t, a, &error));
  assert_true(t->send(t, b, &error));
  g_autofree char *other = g_build_filename(dir, "out", "00000002-INC-2026-000002.eml", NULL);
  assert_true(g_file_set_contents(other, "someone else's", -1, NULL));
  assert_false(t->flush(t, &error));
  expect_message(error, "00000002-INC-2026-000002.eml: a different file already has this"
                        " name; not overwritten");
  g_autofree char *kept = contents("out", "00000002-INC-2026-000002.eml");
  assert_string_equal(kept, "someone else's");
  g_autofree char *names = listing("out");
  assert_string_equal(names, "00000001-INC-2026-000001.eml 00000002-INC-2026-000002.eml");
}

/* A directory the gateway may not write: sending and checking fail with
 * the reason. (root writes anywhere: skipped.) */
static void test_dir_not_writable(void **state)
{
  if (geteuid() == 0)
    skip();
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgTransport) t = open_dir(&config, "ro");
  g_autofree char *path = g_build_filename(dir, "ro", NULL);
  assert_int_equal(g_chmod(path, 0555), 0);
  g_autoptr(IgOutboxRec) a = row(5, "INC-2026-000001", "a@x.gov.uk", MAIL);
  g_autoptr(GError) error = NULL;
  assert_false(t->send(t, a, &error));
  expect_message(error, "00000005-INC-2026-000001.eml: Permission denied");
  g_autoptr(GError) check_error = NULL;
  assert_false(t->check(t, &check_error));
  g_autofree char *want = g_strdup_printf("transport dir:%s: Permission denied", path);
  assert_string_equal(check_error->message, want);
  g_autofree char *names = listing("ro");
  assert_string_equal(names, "");
}

/* The disk fills while a mail is written (a file size limit stands in
 * for it): an error, and neither half a mail nor its temporary file is
 * left for a reader of the directory. */
static void test_dir_full_disk(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgTransport) t = open_dir(&config, "full");
  g_autoptr(IgOutboxRec) a = row(4, "INC-2026-000001", "a@x.gov.uk", MAIL);
  struct rlimit old, small = { 16, 16 };
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
  small.rlim_max = old.rlim_max;
  void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
  g_autoptr(GError) error = NULL;
  gboolean sent = t->send(t, a, &error);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
  signal(SIGXFSZ, old_handler);

  assert_false(sent);
  expect_message(error, "00000004-INC-2026-000001.eml: File too large");
  g_autofree char *names = listing("full");
  assert_string_equal(names, "");
  g_autoptr(GError) later = NULL;
  assert_true(deliver(t, a, &later));
}

/* --- smtp:// before it connects --- */

static IgTransport *open_smtp(IgConfig **config, const char *extra)
{
  g_autofree char *lines = g_strdup_printf("url = smtp://127.0.0.1:1\ntls = none\n%s", extra);
  *config = config_with(lines);
  g_autoptr(GError) error = NULL;
  IgTransport *t = transport_open(*config, &error);
  if (!t)
    fail_msg("transport: %s", error->message);
  return t;
}

/* A row whose recipients are not addresses (queued by an older version,
 * or edited in the store) is refused for good (IG_ERROR_INPUT: the outbox
 * gives up at once) and never split into extra RCPT commands. */
static void test_smtp_refuses_bad_recipient(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgTransport) t = open_smtp(&config, "");
  const char *bad[] = { "not an address", "a@x.gov.uk\r\nRCPT TO:<evil@example.org>" };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(IgOutboxRec) r = row(9, "INC-2026-000001", bad[i], MAIL);
    g_autoptr(GError) error = NULL;
    assert_false(t->send(t, r, &error));
    assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_INPUT));
    assert_true(g_str_has_prefix(error->message, "outbox row 9: "));
  }
}

/* A password file gone since the configuration was read: the send and
 * the check fail naming the file, before any connection. */
static void test_smtp_password_file_gone(void **state)
{
  g_autofree char *pw = g_build_filename(dir, "smtp.pass", NULL);
  assert_true(g_file_set_contents(pw, "s3cret-word\n", -1, NULL));
  assert_int_equal(g_chmod(pw, 0600), 0);
  g_autofree char *extra = g_strdup_printf("user = gw\npassword_file = %s\n", pw);
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgTransport) t = open_smtp(&config, extra);
  assert_int_equal(g_unlink(pw), 0);

  g_autoptr(IgOutboxRec) r = row(2, "INC-2026-000001", "a@x.gov.uk", MAIL);
  g_autoptr(GError) error = NULL;
  assert_false(t->send(t, r, &error));
  expect_message(error, pw);
  g_autoptr(GError) check_error = NULL;
  assert_false(t->check(t, &check_error));
  expect_message(check_error, pw);
}

/* A token command that fails: the send fails with its reason, and the
 * token (never printed) is not cached. */
static void test_smtp_token_command_fails(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgTransport) t = open_smtp(&config, "user = gw\noauth2_token_command = exit 3\n");
  g_autoptr(IgOutboxRec) r = row(2, "INC-2026-000001", "a@x.gov.uk", MAIL);
  for (int attempt = 0; attempt < 2; attempt++) {
    g_autoptr(GError) error = NULL;
    assert_false(t->send(t, r, &error));
    assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
    expect_message(error, "oauth2_token_command");
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_dir_writes_each_mail, make_dir, remove_dir),
    cmocka_unit_test_setup_teardown(test_dir_never_overwrites, make_dir, remove_dir),
    cmocka_unit_test_setup_teardown(test_dir_target_is_a_file, make_dir, remove_dir),
    cmocka_unit_test_setup_teardown(test_dir_removed_while_running, make_dir, remove_dir),
    cmocka_unit_test_setup_teardown(test_dir_removed_before_flush, make_dir, remove_dir),
    cmocka_unit_test_setup_teardown(test_dir_name_taken_before_flush, make_dir, remove_dir),
    cmocka_unit_test_setup_teardown(test_dir_not_writable, make_dir, remove_dir),
    cmocka_unit_test_setup_teardown(test_dir_full_disk, make_dir, remove_dir),
    cmocka_unit_test_setup_teardown(test_smtp_refuses_bad_recipient, make_dir, remove_dir),
    cmocka_unit_test_setup_teardown(test_smtp_password_file_gone, make_dir, remove_dir),
    cmocka_unit_test_setup_teardown(test_smtp_token_command_fails, make_dir, remove_dir),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

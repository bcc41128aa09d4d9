/* test_export.c - unit tests for gateway/export.c when the bundle cannot
 * be written: DIR is a file, a directory the gateway may not read or may
 * not write, a message the store will not give back, and a disk that
 * fills. Each fails with the reason a user acts on, and SHA256SUMS, the
 * bundle's last file, is never written for a bundle left incomplete.
 * (The bundle as written, and a DIR that is not empty, are
 * tests/e2e/case_by_email.sh.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/capability.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gateway/export.h"
#include "gateway/store_db.h"
#include "tests/unit/store_fixture.h"

#define REF "INC-2026-000001"
#define RAW "From: jane@example.org\r\nSubject: lost laptop\r\n\r\nI left my laptop on the train.\r\n"

/* root may read and write any directory: these tests take that away from
 * it while the export runs (its effective CAP_DAC_OVERRIDE and
 * CAP_DAC_READ_SEARCH), so that a directory's mode binds it as it binds
 * the service's user. Nothing to do for another user. */
static void dac_override(gboolean on)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2];
  assert_int_equal(syscall(SYS_capget, &header, data), 0);
  const guint32 dac = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);
  data[0].effective = on ? data[0].effective | (data[0].permitted & dac)
                         : data[0].effective & ~dac;
  assert_int_equal(syscall(SYS_capset, &header, data), 0);
}

/* An incident with one message received and one sent. */
static void add_case(Fixture *f)
{
  gint64 id = add_incident(f, REF, "new", "low", T0);
  put_message(f, "<1@example.org>", RAW, id, TRUE);
  add_outbox(f, id, "ack", "jane@example.org", "<ack-1@gateway>", T0);
}

static char *bundle_path(Fixture *f, const char *name)
{
  return g_build_filename(f->dir, "bundle", name, NULL);
}

static gboolean exists(Fixture *f, const char *name)
{
  g_autofree char *path = bundle_path(f, name);
  return g_file_test(path, G_FILE_TEST_EXISTS);
}

/* export_incident into the fixture's bundle/, which must fail as a
 * runtime error (exit status 1); the caller frees the error. */
static GError *export_fails(Fixture *f)
{
  g_autofree char *dir = bundle_path(f, NULL);
  GError *error = NULL;
  guint files = 99;
  assert_false(export_incident(f->store, REF, dir, &files, &error));
  assert_int_equal(files, 0);
  assert_non_null(error);
  assert_int_equal(ig_error_exit_code(error), 1);
  return error;
}

/* The message is before, the bundle's path, then after. */
static void expect_message(Fixture *f, const GError *error, const char *before,
                           const char *after)
{
  g_autofree char *dir = bundle_path(f, NULL);
  g_autofree char *want = g_strconcat(before, dir, after, NULL);
  assert_string_equal(error->message, want);
}

/* DIR names a file: refused, and the file left as it was. */
static void test_dir_is_a_file(void **state)
{
  Fixture *f = *state;
  add_case(f);
  g_autofree char *dir = bundle_path(f, NULL);
  assert_true(g_file_set_contents(dir, "notes\n", -1, NULL));
  g_autoptr(GError) error = export_fails(f);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  expect_message(f, error, "export: ", ": Not a directory");
  g_autofree char *kept = NULL;
  assert_true(g_file_get_contents(dir, &kept, NULL, NULL));
  assert_string_equal(kept, "notes\n");
}

/* DIR exists but may not be listed (so not known to be empty): refused
 * before anything is written. */
static void test_dir_not_readable(void **state)
{
  Fixture *f = *state;
  add_case(f);
  g_autofree char *dir = bundle_path(f, NULL);
  assert_int_equal(g_mkdir(dir, 0300), 0);
  dac_override(FALSE);
  g_autoptr(GError) error = export_fails(f);
  dac_override(TRUE);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  expect_message(f, error, "export: Error opening directory “", "”: Permission denied");
  assert_int_equal(g_chmod(dir, 0750), 0);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  assert_null(g_dir_read_name(d));
}

/* DIR empty but not writable: refused, naming it, with nothing written. */
static void test_dir_not_writable(void **state)
{
  Fixture *f = *state;
  add_case(f);
  g_autofree char *dir = bundle_path(f, NULL);
  assert_int_equal(g_mkdir(dir, 0500), 0);
  dac_override(FALSE);
  g_autoptr(GError) error = export_fails(f);
  dac_override(TRUE);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  expect_message(f, error, "export: ", ": Permission denied");
  assert_int_equal(g_chmod(dir, 0750), 0);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  assert_null(g_dir_read_name(d));
}

/* The store fails to give back a message's bytes (table.column may not
 * be read: test_store_hide() stands in for the fault): the export fails
 * with the store's reason, and no SHA256SUMS claims the bundle whole. */
static void expect_unreadable(Fixture *f, const char *table, const char *column)
{
  add_case(f);
  Hidden hidden = { table, column, 0, 0 };
  test_store_hide(f->store, &hidden);
  g_autoptr(GError) error = export_fails(f);
  test_store_allow(f->store);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  g_autofree char *store = g_strconcat(f->store->path, ": ", NULL);
  g_autofree char *reason = test_hidden_reason(f->store, &hidden);
  if (!g_str_has_prefix(error->message, store) || !g_str_has_suffix(error->message, reason))
    fail_msg("\"%s\" is not the store's \"%s\"", error->message, reason);
  assert_false(exists(f, "SHA256SUMS"));
  assert_false(exists(f, "record.json"));
}

static void test_message_received_unreadable(void **state)
{
  expect_unreadable(*state, "message_bodies", "raw");
}

static void test_message_sent_unreadable(void **state)
{
  Fixture *f = *state;
  expect_unreadable(f, "outbox", "body");
  /* the message received, before it, is written */
  assert_true(exists(f, "in/001.eml"));
}

/* The disk fills while a message is written (a file size limit smaller
 * than the message stands in for it): the error names the file, what was
 * written stays, and no SHA256SUMS is written. */
static void test_disk_full(void **state)
{
  Fixture *f = *state;
  add_case(f);
  struct rlimit was;
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
  struct rlimit small = { 16, was.rlim_max };
  void (*handler)(int) = signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
  g_autofree char *dir = bundle_path(f, NULL);
  g_autoptr(GError) error = NULL;
  guint files = 99;
  gboolean ok = export_incident(f->store, REF, dir, &files, &error);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
  signal(SIGXFSZ, handler);

  assert_false(ok);
  assert_int_equal(files, 0);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  g_autofree char *first = bundle_path(f, "in/001.eml");
  g_autofree char *want = g_strdup_printf("%s: File too large", first);
  assert_string_equal(error->message, want);
  g_autofree char *part = NULL;
  gsize len = 0;
  assert_true(g_file_get_contents(first, &part, &len, NULL));
  assert_int_equal(len, 16);
  assert_memory_equal(part, RAW, 16);
  assert_false(exists(f, "SHA256SUMS"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_dir_is_a_file),
    T(test_dir_not_readable),
    T(test_dir_not_writable),
    T(test_message_received_unreadable),
    T(test_message_sent_unreadable),
    T(test_disk_full),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_source.c - unit tests for gateway/source.c and source_maildir.c:
 * a Maildir hands out its messages oldest first (new/ and cur/ alike),
 * passes over dot files, directories and dangling links, and moves only
 * what was recorded, to the processed or quarantine folder, marked seen;
 * a Maildir path that is a file, an inbox folder gone or a processed
 * folder gone is an error naming it, with the mail left where it was;
 * waiting ends when mail arrives; and a message that cannot be read is an error, not an empty message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gateway/config.h"
#include "gateway/error.h"
#include "gateway/source.h"
#include "tests/unit/tmpdir_fixture.h"

/* A configuration whose [source] url is scheme + dir/sub. */
static IgConfig *config_for(const char *scheme, const char *sub)
{
  g_autofree char *text = g_strdup_printf("[gateway]\ndatabase = %s/g.db\n"
                                          "[stakeholders]\nost = ost@justice.gov.uk\n[source]\n"
                                          "url = %s%s/%s\n", dir, scheme, dir, sub);
  g_autoptr(GError) error = NULL;
  IgConfig *config = config_load_data(text, strlen(text), "test.conf", &error);
  if (!config)
    fail_msg("config: %s", error->message);
  return config;
}

static IgSource *open_maildir(IgConfig **config)
{
  *config = config_for("maildir:", "mail");
  g_autoptr(GError) error = NULL;
  IgSource *s = source_open(*config, &error);
  if (!s)
    fail_msg("source: %s", error->message);
  return s;
}

/* Writes mail/sub/name with content, modified at second when. */
static void deliver(const char *sub, const char *name, const char *content, gint64 when)
{
  g_autofree char *path = g_build_filename(dir, "mail", sub, name, NULL);
  assert_true(g_file_set_contents(path, content, -1, NULL));
  struct timespec times[2] = { { when, 0 }, { when, 0 } };
  assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
}

static gboolean exists(const char *sub, const char *name)
{
  g_autofree char *path = g_build_filename(dir, "mail", sub, name, NULL);
  return g_file_test(path, G_FILE_TEST_EXISTS);
}

static const char *base_of(GPtrArray *messages, guint i)
{
  IgSourceMessage *m = g_ptr_array_index(messages, i);
  return strrchr(m->name, '/') + 1;
}

static void expect_message(GError *error, const char *want)
{
  assert_non_null(error);
  if (!strstr(error->message, want))
    print_error("\"%s\" not in \"%s\"\n", want, error->message);
  assert_non_null(strstr(error->message, want));
}

/* Oldest first from new/ and cur/ together, whole and with their size;
 * dot files (a client's temporaries), directories and dangling links are
 * not messages; max caps the batch. */
static void test_maildir_oldest_first(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgSource) s = open_maildir(&config);
  deliver("new", "3.host", "Subject: three\n\n3\n", 3000);
  deliver("cur", "1.host:2,", "Subject: one\n\n1\n", 1000);
  deliver("new", "2b.host", "Subject: two b\n\n2\n", 2000);
  deliver("new", "2.host", "Subject: two\n\n2\n", 2000);
  deliver("new", ".0.host.swp", "not a message", 500);
  g_autofree char *sub = g_build_filename(dir, "mail", "new", "0.dir", NULL);
  assert_int_equal(g_mkdir(sub, 0750), 0);
  g_autofree char *dangling = g_build_filename(dir, "mail", "new", "0.link", NULL);
  assert_int_equal(symlink("/nonexistent/ig-test", dangling), 0);

  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = s->fetch(s, 10, &error);
  assert_non_null(all);
  assert_int_equal(all->len, 4);
  assert_string_equal(base_of(all, 0), "1.host:2,");
  assert_string_equal(base_of(all, 1), "2.host");
  assert_string_equal(base_of(all, 2), "2b.host");
  assert_string_equal(base_of(all, 3), "3.host");
  IgSourceMessage *m = g_ptr_array_index(all, 1);
  assert_int_equal(m->size, 16);
  assert_int_equal(g_bytes_get_size(m->raw), 16);
  assert_memory_equal(g_bytes_get_data(m->raw, NULL), "Subject: two\n\n2\n", 16);
  assert_null(m->arrived);

  g_autoptr(GPtrArray) one = s->fetch(s, 1, &error);
  assert_int_equal(one->len, 1);
  assert_string_equal(base_of(one, 0), "1.host:2,");
}

/* Messages delivered within the same instant come by name, whatever
 * order the directory lists them in. */
static void test_maildir_same_time_by_name(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgSource) s = open_maildir(&config);
  const char *names[] = { "5.e", "2.b", "6.f", "1.a", "4.d", "3.c" };
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    deliver("new", names[i], "Subject: s\n\nx\n", 1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = s->fetch(s, 10, &error);
  g_autoptr(GString) order = g_string_new(NULL);
  for (guint i = 0; i < all->len; i++)
    g_string_append_printf(order, "%s ", base_of(all, i));
  assert_string_equal(order->str, "1.a 2.b 3.c 4.d 5.e 6.f ");
}

/* Only what was recorded leaves: to the processed folder, or the
 * quarantine folder, marked seen (":2,S") unless it has flags already;
 * the rest stay for the next pass. */
static void test_maildir_finish_moves_recorded(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgSource) s = open_maildir(&config);
  deliver("new", "1.host", "Subject: one\n\n1\n", 1000);
  deliver("new", "2.host", "Subject: two\n\n2\n", 2000);
  deliver("cur", "3.host:2,F", "Subject: three\n\n3\n", 3000);
  deliver("new", "4.host", "Subject: four\n\n4\n", 4000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = s->fetch(s, 10, &error);
  assert_int_equal(batch->len, 4);
  IgSourceMessage **m = (IgSourceMessage **)batch->pdata;
  m[0]->recorded = TRUE;
  m[1]->recorded = m[1]->quarantine = TRUE;
  m[2]->recorded = TRUE;
  assert_true(s->finish(s, batch, &error));
  assert_null(error);
  assert_true(exists(".Processed/cur", "1.host:2,S"));
  assert_true(exists(".Quarantine/cur", "2.host:2,S"));
  assert_true(exists(".Processed/cur", "3.host:2,F"));
  assert_true(exists("new", "4.host"));
  assert_false(exists("new", "1.host") || exists("new", "2.host") || exists("cur", "3.host:2,F"));
}

/* A Maildir path that is a file: the source cannot start, and says
 * which folder it could not make. */
static void test_maildir_path_is_a_file(void **state)
{
  g_autofree char *file = g_build_filename(dir, "mail", NULL);
  assert_true(g_file_set_contents(file, "not a folder", -1, NULL));
  g_autoptr(IgConfig) config = config_for("maildir:", "mail");
  g_autoptr(GError) error = NULL;
  assert_null(source_open(config, &error));
  g_autofree char *want = g_strdup_printf("maildir %s/cur: ", file);
  assert_true(g_str_has_prefix(error->message, want));
}

/* The inbox's new/ folder removed while the service runs: fetching fails
 * naming it, instead of reporting an empty inbox. */
static void test_maildir_inbox_gone(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgSource) s = open_maildir(&config);
  g_autofree char *new_dir = g_build_filename(dir, "mail", "new", NULL);
  assert_int_equal(g_rmdir(new_dir), 0);
  g_autoptr(GError) error = NULL;
  assert_null(s->fetch(s, 10, &error));
  g_autofree char *want = g_strdup_printf("maildir %s: ", new_dir);
  assert_true(g_str_has_prefix(error->message, want));
}

/* The processed folder removed: recorded mail cannot be moved; the
 * error names it and the mail stays in the inbox (dedupe makes the next
 * pass harmless). */
static void test_maildir_processed_folder_gone(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgSource) s = open_maildir(&config);
  deliver("new", "1.host", "Subject: one\n\n1\n", 1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = s->fetch(s, 10, &error);
  ((IgSourceMessage *)g_ptr_array_index(batch, 0))->recorded = TRUE;
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s/mail/.Processed'", dir);
  assert_int_equal(system(cmd), 0);
  assert_false(s->finish(s, batch, &error));
  expect_message(error, "cannot move ");
  expect_message(error, "/mail/.Processed/cur/1.host:2,S: No such file or directory");
  assert_true(exists("new", "1.host"));
}

/* Waiting ends as soon as mail is delivered to new/ (inotify) or the
 * wake descriptor is readable, else at the timeout. */
static void test_maildir_wait(void **state)
{
  g_autoptr(IgConfig) config = NULL;
  g_autoptr(IgSource) s = open_maildir(&config);
  int wake[2];
  assert_int_equal(pipe(wake), 0);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time();
  assert_true(s->wait(s, wake[0], 100, &error));
  assert_true(g_get_monotonic_time() - start >= 100 * 1000);

  deliver("new", "1.host", "Subject: one\n\n1\n", 1000);
  start = g_get_monotonic_time();
  assert_true(s->wait(s, wake[0], 20000, &error));
  assert_true(g_get_monotonic_time() - start < 10 * G_USEC_PER_SEC);
  start = g_get_monotonic_time(); /* the event was consumed */
  assert_true(s->wait(s, wake[0], 100, &error));
  assert_true(g_get_monotonic_time() - start >= 100 * 1000);

  assert_int_equal(write(wake[1], "x", 1), 1);
  start = g_get_monotonic_time();
  assert_true(s->wait(s, wake[0], 20000, &error));
  assert_true(g_get_monotonic_time() - start < 10 * G_USEC_PER_SEC);
  close(wake[0]);
  close(wake[1]);
}

/* Reading a message that is not a readable file (ingest given a
 * directory) is an error saying why, not an empty message. */
static void test_read_error(void **state)
{
  int fd = open(dir, O_RDONLY | O_CLOEXEC);
  assert_true(fd >= 0);
  g_autoptr(GError) error = NULL;
  gint64 size = -1;
  g_autoptr(GBytes) raw = source_read_message(fd, 1000, &size, &error);
  close(fd);
  assert_null(raw);
  assert_string_equal(error->message, "read error: Is a directory");
}

#define T(name) cmocka_unit_test_setup_teardown(name, make_dir, remove_dir)

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_maildir_oldest_first),
    T(test_maildir_same_time_by_name),
    T(test_maildir_finish_moves_recorded),
    T(test_maildir_path_is_a_file),
    T(test_maildir_inbox_gone),
    T(test_maildir_processed_folder_gone),
    T(test_maildir_wait),
    T(test_read_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

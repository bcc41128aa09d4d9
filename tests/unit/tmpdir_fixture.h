/* tmpdir_fixture.h - test fixture: a fresh temporary directory per test,
 * named by dir and removed with all it holds afterwards. Use make_dir and
 * remove_dir as a test's setup and teardown
 * (cmocka_unit_test_setup_teardown). Include after cmocka.h. Shared by
 * test_source.c and test_transport.c. */
#ifndef IG_TEST_TMPDIR_FIXTURE_H
#define IG_TEST_TMPDIR_FIXTURE_H

#include <stdlib.h>

#include <glib.h>

/* The running test's directory; NULL between tests. */
static char *dir;

static int make_dir(void **state)
{
  dir = g_dir_make_tmp("ig-test-XXXXXX", NULL);
  return dir ? 0 : -1;
}

/* rm -rf, since a test may leave folders it made read-only or links
 * that point nowhere. */
static int remove_dir(void **state)
{
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  g_clear_pointer(&dir, g_free);
  return 0;
}

#endif

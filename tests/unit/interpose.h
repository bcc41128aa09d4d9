/* interpose.h - for tests that make a library function fail: the test
 * program defines the function itself, and the linker takes that
 * definition before the library's for the gateway's objects too; the
 * program's definition passes each call it does not fail on to the
 * library's, found with library(). Include after cmocka.h. Shared by
 * test_modules.c and test_ost_auth.c. */
#ifndef IG_TEST_INTERPOSE_H
#define IG_TEST_INTERPOSE_H

#include <dlfcn.h>

/* The library's own definition of the function name. */
static void *library(const char *name)
{
  void *real = dlsym(RTLD_NEXT, name);
  assert_non_null(real);
  return real;
}

#endif

/* module.c - loading the gateway's own modules (module.h). */
#include "gateway/module.h"

#include <gmodule.h>

#include "gateway/error.h"

/* A module takes the gateway's own functions from the executable, which
 * exports them. */
gpointer module_table(const char *file, const char *symbol, const char *what, GError **error)
{
  g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
  g_autofree char *beside = dir ? g_build_filename(dir, file, NULL) : NULL;
  g_autofree char *installed = dir ? g_build_filename(dir, "..", IG_LIBDIR, "incident-gateway",
                                                      file, NULL) : NULL;
  const char *path = beside && g_file_test(beside, G_FILE_TEST_IS_REGULAR) ? beside : installed;
  if (!path) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "cannot load %s: where the executable is"
                " cannot be read from /proc/self/exe", what);
    return NULL;
  }
  GModule *module = g_module_open(path, G_MODULE_BIND_LOCAL);
  gpointer table = NULL;
  if (!module || !g_module_symbol(module, symbol, &table)) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "cannot load %s: %s", what, g_module_error());
    if (module)
      g_module_close(module);
    return NULL;
  }
  g_module_make_resident(module);
  return table;
}

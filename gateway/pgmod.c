/* pgmod.c - loading the PostgreSQL module (pgmod.h). */
#include "gateway/pgmod.h"

#include <gmodule.h>

#include "gateway/error.h"

#define MODULE_FILE "ig-pg.so"

/* Present when the module's objects are linked into the program. */
extern const IgPgOps ig_pg_ops __attribute__((weak));

/* Beside the executable (a build tree), else in LIBDIR/incident-gateway
 * of the prefix it is installed under, as the network module (netmod.c).
 * The module takes the gateway's own functions from the executable. */
static const IgPgOps *load(GError **error)
{
  if (&ig_pg_ops)
    return &ig_pg_ops;
  g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
  g_autofree char *beside = dir ? g_build_filename(dir, MODULE_FILE, NULL) : NULL;
  g_autofree char *installed = dir ? g_build_filename(dir, "..", IG_LIBDIR, "incident-gateway",
                                                      MODULE_FILE, NULL) : NULL;
  const char *path = beside && g_file_test(beside, G_FILE_TEST_IS_REGULAR) ? beside : installed;
  if (!path) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "cannot load the PostgreSQL module: where"
                " the executable is cannot be read from /proc/self/exe");
    return NULL;
  }
  GModule *module = g_module_open(path, G_MODULE_BIND_LOCAL);
  gpointer table = NULL;
  if (!module || !g_module_symbol(module, "ig_pg_ops", &table)) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "cannot load the PostgreSQL module: %s",
                g_module_error());
    if (module)
      g_module_close(module);
    return NULL;
  }
  g_module_make_resident(module);
  return table;
}

const IgPgOps *pgmod_ops(GError **error)
{
  static GMutex lock;
  static const IgPgOps *ops;
  g_mutex_lock(&lock);
  if (!ops)
    ops = load(error);
  const IgPgOps *out = ops;
  g_mutex_unlock(&lock);
  return out;
}

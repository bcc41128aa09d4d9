/* pgmod.c - loading the PostgreSQL module (pgmod.h). */
#include "gateway/pgmod.h"

#include "gateway/module.h"

#define MODULE_FILE "ig-pg.so"

/* Present when the module's objects are linked into the program. */
extern const IgPgOps ig_pg_ops __attribute__((weak));

static const IgPgOps *load(GError **error)
{
  if (&ig_pg_ops)
    return &ig_pg_ops;
  return module_table(MODULE_FILE, "ig_pg_ops", "the PostgreSQL module", error);
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

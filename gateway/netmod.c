/* netmod.c - loading the network module (netmod.h), and the entry points
 * of its functions, which call through its table. */
#include "gateway/netmod.h"

#include <gmodule.h>

#include "gateway/error.h"
#include "gateway/ost_auth_dkim.h"
#include "gateway/webhook.h"

#define MODULE_FILE "ig-net.so"

/* Present when the module's objects are linked into the program. */
extern const IgNetOps ig_net_ops __attribute__((weak));

/* Beside the executable (a build tree), else in LIBDIR/incident-gateway
 * of the prefix it is installed under. The module takes the gateway's own
 * functions from the executable, which exports them. */
static const IgNetOps *load(GError **error)
{
  if (&ig_net_ops)
    return &ig_net_ops;
  g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
  g_autofree char *beside = dir ? g_build_filename(dir, MODULE_FILE, NULL) : NULL;
  g_autofree char *installed = dir ? g_build_filename(dir, "..", IG_LIBDIR, "incident-gateway",
                                                      MODULE_FILE, NULL) : NULL;
  const char *path = beside && g_file_test(beside, G_FILE_TEST_IS_REGULAR) ? beside : installed;
  if (!path) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "cannot load the network module: where"
                " the executable is cannot be read from /proc/self/exe");
    return NULL;
  }
  GModule *module = g_module_open(path, G_MODULE_BIND_LOCAL);
  gpointer table = NULL;
  if (!module || !g_module_symbol(module, "ig_net_ops", &table)) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "cannot load the network module: %s",
                g_module_error());
    if (module)
      g_module_close(module);
    return NULL;
  }
  g_module_make_resident(module);
  return table;
}

const IgNetOps *netmod_ops(GError **error)
{
  static GMutex lock;
  static const IgNetOps *ops;
  g_mutex_lock(&lock);
  if (!ops) {
    const IgNetOps *loaded = load(error);
    if (loaded && loaded->init(error))
      ops = loaded;
  }
  const IgNetOps *out = ops;
  g_mutex_unlock(&lock);
  return out;
}

IgTransport *transport_smtp_new(const IgConfig *config, GError **error)
{
  const IgNetOps *ops = netmod_ops(error);
  return ops ? ops->smtp_new(config, error) : NULL;
}

IgSource *source_imap_new(const IgConfig *config, GError **error)
{
  const IgNetOps *ops = netmod_ops(error);
  return ops ? ops->imap_new(config, error) : NULL;
}

gboolean webhook_post(const IgConfig *config, const IgOutboxRec *row, GError **error)
{
  const IgNetOps *ops = netmod_ops(error);
  return ops && ops->webhook_post(config, row, error);
}

gboolean ost_auth_dkim(const char *raw, gsize len, const char *from_domain, const char *key_file,
                       char **why, GError **error)
{
  const IgNetOps *ops = netmod_ops(error);
  return ops && ops->dkim_verify(raw, len, from_domain, key_file, why, error);
}

/* netmod.c - loading the network module (netmod.h), and the entry points
 * of its functions, which call through its table. */
#include "gateway/netmod.h"

#include "gateway/error.h"
#include "gateway/module.h"
#include "gateway/ost_auth_dkim.h"
#include "gateway/webhook.h"

#define MODULE_FILE "ig-net.so"

/* Present when the module's objects are linked into the program. */
extern const IgNetOps ig_net_ops __attribute__((weak));

static const IgNetOps *load(GError **error)
{
  if (&ig_net_ops)
    return &ig_net_ops;
  return module_table(MODULE_FILE, "ig_net_ops", "the network module", error);
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

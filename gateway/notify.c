/* notify.c - sd_notify() through libsystemd, loaded on first use
 * (notify.h). */
#include "gateway/notify.h"

#include <gmodule.h>

#include "gateway/log.h"

typedef int (*SdNotify)(int unset_environment, const char *state);

static gpointer load(gpointer unused)
{
  GModule *lib = g_module_open("libsystemd.so.0", G_MODULE_BIND_LOCAL);
  gpointer fn = NULL;
  if (!lib || !g_module_symbol(lib, "sd_notify", &fn)) {
    log_msg(IG_LOG_WARN, NULL, NULL, "systemd asked to be told of the service's state, but"
            " libsystemd cannot be loaded: %s", g_module_error());
    return NULL;
  }
  g_module_make_resident(lib);
  return fn;
}

void notify_systemd(const char *state)
{
  static GOnce once = G_ONCE_INIT;
  if (!g_getenv("NOTIFY_SOCKET"))
    return;
  SdNotify fn = (SdNotify)g_once(&once, load, NULL);
  if (fn)
    fn(0, state);
}

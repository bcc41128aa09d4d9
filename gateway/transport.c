/* transport.c - picks the transport named by [transport] url. */
#include "gateway/transport.h"

#include "gateway/error.h"

IgTransport *transport_open(const IgConfig *config, GError **error)
{
  const char *url = config->transport.url;
  if (g_str_has_prefix(url, "dir:"))
    return transport_dir_new(url + 4, error);
  if (g_str_has_prefix(url, "smtp://") || g_str_has_prefix(url, "smtps://"))
    return transport_smtp_new(config, error);
  g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s: [transport] url = \"%s\": unknown scheme",
              config->path, url);
  return NULL;
}

void transport_free(IgTransport *transport)
{
  if (transport)
    transport->free(transport);
}

/* transport.c - picks the transport named by [transport] url. */
#include "gateway/transport.h"

IgTransport *transport_open(const IgConfig *config, GError **error)
{
  /* config.c lets only dir:, smtp:// and smtps:// through, in lower case. */
  const char *url = config->transport.url;
  if (g_str_has_prefix(url, "dir:"))
    return transport_dir_new(url + 4, error);
  return transport_smtp_new(config, error);
}

void transport_free(IgTransport *transport)
{
  if (transport)
    transport->free(transport);
}

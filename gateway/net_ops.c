/* net_ops.c - the network module's table (net_ops.h) and its one-time
 * set-up. */
#include "gateway/net_ops.h"

#include <curl/curl.h>

#include "gateway/error.h"

static gboolean net_init(GError **error)
{
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "libcurl could not initialise");
    return FALSE;
  }
  return TRUE;
}

const IgNetOps ig_net_ops = {
  net_init, net_smtp_new, net_imap_new, net_webhook_post, net_dkim_verify,
};

/* fuzz_ost_auth.c - ost_auth_check in its header-reading modes: the raw
 * message is a stranger's, whatever its From says. The first byte picks
 * authentication-results or exchange-internal (dkim would ask DNS). Every
 * answer is a pass, or a refusal with a reason; never an error. */
#include "tests/fuzz/fuzz.h"

#include "gateway/ost_auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  if (size == 0)
    return 0;
  IgConfig config = { .require_authentication = data[0] & 1 ? IG_AUTH_EXCHANGE_INTERNAL
                                                            : IG_AUTH_RESULTS,
                      .trusted_authserv_id = (char *)"mx.justice.gov.uk" };
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  gboolean ok = ost_auth_check(&config, (const char *)data + 1, size - 1, "alice@justice.gov.uk",
                               NULL, &why, &error);
  if (error || (ok ? why != NULL : why == NULL))
    abort();
  return 0;
}

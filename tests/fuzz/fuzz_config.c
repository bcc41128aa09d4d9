/* fuzz_config.c - loading the configuration (config_load_data). An
 * operator writes it, not an attacker, but a typo must give an error
 * message, never a crash. */
#include "tests/fuzz/fuzz.h"

#include "gateway/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  g_autoptr(GError) error = NULL;
  g_autoptr(IgConfig) config = config_load_data((const char *)data, size, "fuzz.conf", &error);
  if (!config && (!error || !error->message))
    abort();
  if (config) {
    (void)config_supplier_owner(config, "mail.example-supplier.co.uk");
    (void)config_asset_owner(config, "prison nomis");
    (void)config_is_helpdesk_domain(config, "servicedesk.example.gov.uk");
    (void)config_is_ost_member(config, "alice@example.gov.uk");
  }
  return 0;
}

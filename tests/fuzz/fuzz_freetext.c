/* fuzz_freetext.c - free-text extraction (freetext_extract), with a mail
 * Date so relative times are resolved, and asset and supplier names to
 * look for. */
#include "tests/fuzz/fuzz.h"

#include "parsers/freetext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const assets[] = { "Prison NOMIS", "HR Records", NULL };
  static const char *const suppliers[] = { "Example Supplier", "PrintWorks", NULL };
  GTimeZone *tz = fuzz_init();
  g_autofree char *text = fuzz_text(data, size);
  g_autoptr(GDateTime) sent = g_date_time_new_utc(2026, 11, 22, 9, 30, 0);
  g_autoptr(IgFreeText) ft = freetext_extract(text, text, sent, tz, assets, suppliers);
  if (!ft)
    abort();
  fuzz_check_utf8("detected words", ft->detected_words);
  fuzz_check_utf8("systems affected", ft->systems_affected);
  return 0;
}

/* fuzz_ukdate.c - dates and times as people type them (ukdate_parse). */
#include "tests/fuzz/fuzz.h"

#include "parsers/ukdate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  GTimeZone *tz = fuzz_init();
  g_autofree char *text = fuzz_text(data, size);
  g_autoptr(GDateTime) when = ukdate_parse(text, tz);
  /* a result is an instant in UTC */
  if (when && g_date_time_get_utc_offset(when) != 0)
    abort();
  return 0;
}

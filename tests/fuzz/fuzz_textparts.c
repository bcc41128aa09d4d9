/* fuzz_textparts.c - splitting a body into own words, quoted text and
 * signature (textparts_split): what replies are read through. */
#include "tests/fuzz/fuzz.h"

#include "parsers/textparts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  g_autofree char *text = fuzz_text(data, size);
  g_autoptr(IgTextParts) parts = textparts_split(text);
  if (!parts || !parts->own)
    abort();
  fuzz_check_utf8("own words", parts->own);
  fuzz_check_utf8("signature", parts->signature);
  fuzz_check_utf8("quoted", parts->quoted);
  return 0;
}

/* fuzz_tnef.c - the text inside winmail.dat (tnef_text_parts). */
#include "tests/fuzz/fuzz.h"

#include "parsers/tnef.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  g_autoptr(GPtrArray) parts = tnef_text_parts(data, size);
  if (!parts)
    abort();
  for (guint i = 0; i < parts->len; i++) {
    const IgTextPart *t = g_ptr_array_index(parts, i);
    if (!t->content_type || !t->text || (i > 0 && !t->filename))
      abort();
    fuzz_check_utf8("part", t->text);
  }
  return 0;
}

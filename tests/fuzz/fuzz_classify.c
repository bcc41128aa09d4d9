/* fuzz_classify.c - category and impact from wording (classify_text). */
#include "tests/fuzz/fuzz.h"

#include "parsers/classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  g_autofree char *text = fuzz_text(data, size);
  g_autoptr(GPtrArray) decisions = classify_text(text);
  if (!decisions)
    abort();
  for (guint i = 0; i < decisions->len; i++)
    fuzz_check_utf8("decision words", ((IgDecision *)g_ptr_array_index(decisions, i))->words);
  return 0;
}

/* fuzz_report.c - one whole message, as the gateway reads a new report
 * (fuzz_pipeline.h): this is what bounds the work on one message. */
#include "tests/fuzz/fuzz_pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  fuzz_whole_message((const char *)data, size);
  return 0;
}

/* fuzz_html.c - HTML bodies to text (html_to_text). */
#include "tests/fuzz/fuzz.h"

#include <string.h>

#include "parsers/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  g_autofree char *html = fuzz_text(data, size);
  g_autofree char *text = html_to_text(html, strlen(html));
  if (!text)
    abort();
  fuzz_check_utf8("text", text);
  return 0;
}

/* fuzz_forward.c - unwrapping forwards (forward_find) in a parsed mail. */
#include "tests/fuzz/fuzz.h"

#include "parsers/forward.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  GTimeZone *tz = fuzz_init();
  g_autoptr(IgMail) mail = mail_parse((const char *)data, size, NULL);
  if (!mail)
    return 0;
  g_autoptr(IgForward) fwd = forward_find(mail, tz);
  if (fwd) {
    if (!fwd->body || fwd->depth < 1)
      abort();
    fuzz_check_utf8("forwarded body", fwd->body);
    fuzz_check_utf8("note", fwd->note);
  }
  return 0;
}

/* fuzz_form.c - the incident report form (form_parse) on a body's text. */
#include "tests/fuzz/fuzz.h"

#include "parsers/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  GTimeZone *tz = fuzz_init();
  g_autofree char *text = fuzz_text(data, size);
  g_autoptr(IgForm) form = form_parse(text, tz);
  if (!form)
    abort();
  (void)form_is_form(form);
  fuzz_check_utf8("description", form->description);
  fuzz_check_utf8("actions taken", form->actions_taken);
  for (guint i = 0; i < form->problems->len; i++)
    fuzz_check_utf8("problem", g_ptr_array_index(form->problems, i));
  return 0;
}

/* fuzz_tnef.c - the text and the files inside winmail.dat (tnef_text_parts). */
#include "tests/fuzz/fuzz.h"

#include <string.h>

#include "parsers/tnef.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(mail_file_part_free);
  g_autoptr(GPtrArray) parts = tnef_text_parts(data, size, files);
  if (!parts)
    abort();
  for (guint i = 0; i < files->len; i++) {
    const IgFilePart *f = g_ptr_array_index(files, i);
    if (!f->content_type || !f->sha256 || strlen(f->sha256) != 64 || f->size == 0)
      abort();
  }
  for (guint i = 0; i < parts->len; i++) {
    const IgTextPart *t = g_ptr_array_index(parts, i);
    if (!t->content_type || !t->text || (i > 0 && !t->filename))
      abort();
    fuzz_check_utf8("part", t->text);
  }
  return 0;
}

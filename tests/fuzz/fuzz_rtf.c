/* fuzz_rtf.c - compressed RTF and RTF to text.
 *
 * The first byte picks the way in: even, the rest is a compressed-RTF
 * stream (rtf_decompress, then its RTF read as text); odd, the rest is RTF
 * read with the code page the second byte picks. */
#include "tests/fuzz/fuzz.h"

#include "parsers/rtf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const guint32 codepages[] = { 0, 1252, 1250, 1251, 932, 936, 949, 950, 65001, 20127 };
  fuzz_init();
  if (size < 2)
    return 0;
  const guint8 mode = data[0];
  if (mode % 2 == 0) {
    g_autoptr(GByteArray) rtf = rtf_decompress(data + 1, size - 1);
    if (rtf) {
      g_autofree char *text = rtf_to_text(rtf->data, rtf->len, 0);
      fuzz_check_utf8("text", text);
    }
    return 0;
  }
  const guint32 cp = codepages[data[1] % G_N_ELEMENTS(codepages)];
  g_autofree char *text = rtf_to_text(data + 2, size - 2, cp);
  if (!text)
    abort();
  fuzz_check_utf8("text", text);
  g_autofree char *plain = codepage_to_utf8(data + 2, size - 2, cp);
  fuzz_check_utf8("code page text", plain);
  return 0;
}

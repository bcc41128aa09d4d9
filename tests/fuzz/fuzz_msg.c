/* fuzz_msg.c - Outlook items to MIME (msg_to_mime), the result then read
 * as the gateway reads mail. Seeds are written by tests/fuzz/msg_seeds.c.
 * A refusal must say why in one of the two ways msg.h promises; a result
 * must be a message mail_parse reads. */
#include "tests/fuzz/fuzz.h"

#include "parsers/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  GError *error = NULL;
  g_autoptr(GBytes) mime = msg_to_mime(data, size, &error);
  if (!mime) {
    if (!error || !(g_str_has_prefix(error->message, "not an Outlook item: ") ||
                    g_str_has_prefix(error->message, "Outlook item too large: ")))
      abort();
    g_error_free(error);
    return 0;
  }
  if (error)
    abort();
  gsize len = 0;
  const char *raw = g_bytes_get_data(mime, &len);
  g_autoptr(IgMail) mail = mail_parse(raw, len, NULL);
  if (!mail)
    abort();
  fuzz_check_utf8("subject", mail->subject);
  fuzz_check_utf8("from name", mail->from_name);
  fuzz_check_utf8("body", mail->body);
  return 0;
}

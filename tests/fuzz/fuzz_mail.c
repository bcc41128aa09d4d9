/* fuzz_mail.c - MIME to text: mail_parse and the automatic-mail verdict
 * on raw bytes, as they come from the mailbox. */
#include "tests/fuzz/fuzz.h"

#include "parsers/autoreply.h"

static void check_mail(const IgMail *mail)
{
  fuzz_check_utf8("body", mail->body);
  fuzz_check_utf8("subject", mail->subject);
  fuzz_check_utf8("from name", mail->from_name);
  for (guint i = 0; i < mail->attachments->len; i++)
    fuzz_check_utf8("attachment", ((IgTextPart *)g_ptr_array_index(mail->attachments, i))->text);
  for (guint i = 0; i < mail->embedded->len; i++)
    check_mail(g_ptr_array_index(mail->embedded, i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  g_autoptr(GError) error = NULL;
  g_autoptr(IgMail) mail = mail_parse((const char *)data, size, &error);
  if (!mail)
    return 0;
  if (!mail->body)
    abort();
  check_mail(mail);
  IgAutoVerdict verdict = autoreply_classify(mail, "security@example.gov.uk");
  (void)autoreply_kind(verdict.cls);
  return 0;
}

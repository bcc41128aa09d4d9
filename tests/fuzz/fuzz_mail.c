/* fuzz_mail.c - MIME to text: mail_parse and the automatic-mail verdict
 * on raw bytes, as they come from the mailbox. */
#include "tests/fuzz/fuzz.h"

#include "parsers/autoreply.h"

static void check_strv(const char *what, char **v)
{
  for (; v && *v; v++)
    fuzz_check_utf8(what, *v);
}

/* Every string of an IgMail is UTF-8 (mail.h): it goes into records,
 * JSON and mail the gateway sends. */
static void check_mail(const IgMail *mail)
{
  fuzz_check_utf8("message id", mail->message_id);
  fuzz_check_utf8("from name", mail->from_name);
  fuzz_check_utf8("from address", mail->from_addr);
  fuzz_check_utf8("subject", mail->subject);
  fuzz_check_utf8("in-reply-to", mail->in_reply_to);
  check_strv("references", mail->references);
  fuzz_check_utf8("return path", mail->return_path);
  fuzz_check_utf8("auto-submitted", mail->auto_submitted);
  fuzz_check_utf8("precedence", mail->precedence);
  fuzz_check_utf8("list id", mail->list_id);
  check_strv("x-loop", mail->x_loop);
  fuzz_check_utf8("content type", mail->content_type);
  fuzz_check_utf8("report type", mail->report_type);
  fuzz_check_utf8("reported message id", mail->reported_message_id);
  fuzz_check_utf8("body", mail->body);
  for (guint i = 0; i < mail->attachments->len; i++) {
    const IgTextPart *t = g_ptr_array_index(mail->attachments, i);
    fuzz_check_utf8("attachment name", t->filename);
    fuzz_check_utf8("attachment type", t->content_type);
    fuzz_check_utf8("attachment", t->text);
  }
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

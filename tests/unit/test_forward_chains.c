/* test_forward_chains.c - unit tests for parsers/forward.c on forwards
 * of forwards: nested inline forwards (the innermost wins), a forwarded
 * reply whose history is not another forward, every level of a chain
 * kept, attached message/rfc822 originals, forwards inside them and
 * attached messages inside attached ones, read receipts and nesting
 * beyond the depth bound. Each message is a raw string
 * read by mail_parse, as intake reads it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/forward.h"
#include "parsers/mail.h"
#include "tests/unit/forward_fixture.h"

/* --- nesting --- */

/* A supplier forwards the help desk's forward of the staff report. */
static void test_nested_outlook(void **state)
{
  g_autoptr(IgForward) f = find_text("FW: FW: Phishing",
      "Forwarding as discussed.\n\nAcme Supplies\n\n"
      "-----Original Message-----\n"
      "From: Help Desk <helpdesk@example.org>\n"
      "Sent: Monday, November 23, 2026 10:00 AM\n"
      "To: Acme <support@acme.example>\n"
      "Subject: FW: Phishing\n\n"
      "User reported this, see below.\n\n"
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Sent: Monday, November 23, 2026 9:14 AM\n"
      "To: Help Desk <helpdesk@example.org>\n"
      "Subject: Phishing\n\n"
      REPORT "\n");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "Phishing",
         REPORT, "User reported this, see below.", 2, FALSE);
}

/* Gmail forward of an Outlook forward. */
static void test_nested_mixed(void **state)
{
  g_autoptr(IgForward) f = find_text("Fwd: FW: Phishing",
      "---------- Forwarded message ---------\n"
      "From: Help Desk <helpdesk@example.org>\n"
      "Date: Mon, 23 Nov 2026 at 10:00\n"
      "Subject: FW: Phishing\n"
      "To: <support@acme.example>\n\n"
      "________________________________\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Sent: 23 November 2026 09:14\n"
      "To: Help Desk\n"
      "Subject: Phishing\n\n"
      "Original text.\n");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "Phishing",
         "Original text.", NULL, 2, FALSE);
}

/* A forwarded reply: the reply history inside it is not another forward. */
static void test_forwarded_reply_stops(void **state)
{
  g_autoptr(IgForward) f = find_text("FW: RE: Printer",
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Sent: 23 November 2026 09:14\n"
      "To: IT\n"
      "Subject: RE: Printer\n\n"
      "It printed someone else's payslips.\n\n"
      "-----Original Message-----\n"
      "From: IT <it@example.org>\n"
      "Sent: 22 November 2026 16:00\n"
      "To: Jane Doe\n"
      "Subject: Printer\n\n"
      "Fixed.\n");
  assert_non_null(f);
  assert_int_equal(f->depth, 1);
  expect_str("subject", f->subject, "RE: Printer");
  assert_non_null(strstr(f->body, "payslips"));
  assert_non_null(strstr(f->body, "Fixed."));
}

/* --- attached originals --- */

static const char attached_raw[] =
    "From: Help Desk <helpdesk@example.org>\n"
    "To: security@example.org\n"
    "Subject: FW: Phishing\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\n\n"
    "--b1\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "See attached.\n"
    "--b1\n"
    "Content-Type: message/rfc822\n\n"
    "From: Jane Doe <Jane.Doe@example.org>\n"
    "Subject: Phishing\n"
    "Date: Mon, 23 Nov 2026 09:14:00 +0000\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Reporter name: Jane Doe\n"
    "--b1--\n";

static void test_attached(void **state)
{
  g_autoptr(IgForward) f = find_raw(attached_raw);
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "Phishing",
         "Reporter name: Jane Doe", "See attached.", 1, TRUE);
}

/* The help desk's forward, attached by the supplier: the staff report
 * inside it wins. */
static void test_forward_inside_attached(void **state)
{
  g_autoptr(IgForward) f = find_raw(
      "From: Acme <support@acme.example>\n"
      "To: security@example.org\n"
      "Subject: FW: FW: Phishing\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\n\n"
      "--b1\n"
      "Content-Type: text/plain\n\n"
      "From the supplier.\n"
      "--b1\n"
      "Content-Type: message/rfc822\n\n"
      "From: Help Desk <helpdesk@example.org>\n"
      "Subject: FW: Phishing\n"
      "Date: Mon, 23 Nov 2026 10:00:00 +0000\n"
      "Content-Type: text/plain; charset=utf-8\n\n"
      "User reported this.\n\n"
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Sent: Monday, November 23, 2026 9:14 AM\n"
      "To: Help Desk\n"
      "Subject: Phishing\n\n"
      REPORT "\n"
      "--b1--\n");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "Phishing",
         REPORT, "User reported this.", 2, FALSE);
  /* the level around it: the help desk's mail, attached by the supplier */
  assert_non_null(f->outer);
  expect_str("outer from", f->outer->from_addr, "helpdesk@example.org");
  expect_str("outer note", f->outer->note, "From the supplier.");
  assert_true(f->outer->attached);
  assert_int_equal(f->outer->depth, 1);
  assert_null(f->outer->outer);
}

/* An attached level points at the attached message as read. */
static void test_attached_level_mail(void **state)
{
  static const char raw[] =
      "From: jane.doe@example.org\nSubject: look at this\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
      "--b\nContent-Type: text/plain\n\nSuspicious.\n"
      "--b\nContent-Type: message/rfc822\n\n"
      "From: Accounts <accounts@invoices.example>\nReply-To: pay@collect.example\n"
      "Subject: Invoice overdue\n\nPay now.\n"
      "--b--\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(IgMail) mail = mail_parse(raw, strlen(raw), &error);
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc();
  assert_non_null(mail);
  g_autoptr(IgForward) f = forward_find(mail, tz);
  expect(f, "Accounts", "accounts@invoices.example", NULL, "Invoice overdue", "Pay now.",
         "Suspicious.", 1, TRUE);
  expect_str("reply_to", f->reply_to, "pay@collect.example");
  assert_ptr_equal(f->mail, g_ptr_array_index(mail->embedded, 0));
  assert_null(f->outer);
}

/* Every level of an inline chain is kept, each with the words its sender
 * wrote above what they passed on, and a Reply-To in a block is read. */
static void test_chain_levels(void **state)
{
  g_autoptr(IgForward) f = find_text("FW: FW: Invoice overdue",
      "Please look at this one.\n\n"
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Sent: Monday, November 23, 2026 9:14 AM\n"
      "To: Help Desk\n"
      "Subject: FW: Invoice overdue\n\n"
      "Is this real?\n\n"
      "---------- Forwarded message ---------\n"
      "From: Accounts <accounts@invoices.example>\n"
      "Reply-To: Pay Desk <pay@collect.example>\n"
      "Date: Mon, 23 Nov 2026 at 08:01\n"
      "Subject: Invoice overdue\n"
      "To: <jane.doe@example.org>\n\n"
      "Pay now at https://evil.example/pay\n");
  expect(f, "Accounts", "accounts@invoices.example", "2026-11-23T08:01:00Z",
         "Invoice overdue", "Pay now at https://evil.example/pay", "Is this real?", 2, FALSE);
  expect_str("reply_to", f->reply_to, "pay@collect.example");
  assert_null(f->mail);
  assert_non_null(f->outer);
  expect_str("level 1 from", f->outer->from_addr, "jane.doe@example.org");
  expect_str("level 1 note", f->outer->note, "Please look at this one.");
  assert_null(f->outer->reply_to);
  assert_null(f->outer->outer);
}

/* A message/rfc822 in an attached message/rfc822. */
static void test_attached_in_attached(void **state)
{
  g_autoptr(IgForward) f = find_raw(
      "From: Acme <support@acme.example>\n"
      "Subject: FW: FW: Phishing\n"
      "MIME-Version: 1.0\n"
      "Content-Type: message/rfc822\n\n"
      "From: Help Desk <helpdesk@example.org>\n"
      "Subject: FW: Phishing\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b2\"\n\n"
      "--b2\n"
      "Content-Type: text/plain\n\n"
      "Forwarded as attachment.\n"
      "--b2\n"
      "Content-Type: message/rfc822\n\n"
      "From: =?UTF-8?Q?Zo=C3=AB_Br=C3=BCck?= <zoe@example.org>\n"
      "Subject: Phishing\n"
      "Date: Mon, 23 Nov 2026 09:14:00 +0000\n\n"
      "Text.\n"
      "--b2--\n");
  expect(f, "Zoë Brück", "zoe@example.org", "2026-11-23T09:14:00Z", "Phishing", "Text.",
         "Forwarded as attachment.", 2, TRUE);
}

/* A read receipt carries the message it reports on: not a forward. */
static void test_read_receipt_is_not_forward(void **state)
{
  g_autoptr(IgForward) f = find_raw(
      "From: jane.doe@example.org\nSubject: Read: Phishing\nMIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=disposition-notification; "
      "boundary=\"r\"\n\n"
      "--r\nContent-Type: text/plain\n\nYour message was read.\n"
      "--r\nContent-Type: message/disposition-notification\n\n"
      "Disposition: manual-action/MDN-sent-manually; displayed\n"
      "--r\nContent-Type: message/rfc822\n\nFrom: helpdesk@example.org\n"
      "Subject: Phishing\n\nbody\n--r--\n");
  assert_null(f);
}

/* A message of this subject with one attached message, or none. */
static IgMail *mail_around(char *subject, IgMail *attached)
{
  IgMail *m = g_new0(IgMail, 1);
  m->subject = subject;
  m->from_addr = g_strdup_printf("sender@%s.example", subject);
  m->body = g_strdup("");
  m->attachments = g_ptr_array_new();
  m->files = g_ptr_array_new();
  m->embedded = g_ptr_array_new_with_free_func((GDestroyNotify)mail_free);
  m->skipped = g_ptr_array_new();
  m->x_loop = g_new0(char *, 1);
  m->received = g_new0(char *, 1);
  if (attached)
    g_ptr_array_add(m->embedded, attached);
  return m;
}

/* Attached messages nested deeper than any real forward (mail_parse
 * reads eight; a caller may build more): eight levels are unwrapped. */
static void test_attached_depth(void **state)
{
  IgMail *inner = NULL;
  for (int i = 11; i >= 0; i--)
    inner = mail_around(g_strdup_printf("m%d", i), inner);
  g_autoptr(IgMail) top = inner;
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc();
  g_autoptr(IgForward) f = forward_find(top, tz);
  assert_non_null(f);
  assert_int_equal(f->depth, 8);
  expect_str("innermost", f->from_addr, "sender@m8.example");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_nested_outlook),
    cmocka_unit_test(test_nested_mixed),
    cmocka_unit_test(test_forwarded_reply_stops),
    cmocka_unit_test(test_attached),
    cmocka_unit_test(test_forward_inside_attached),
    cmocka_unit_test(test_chain_levels),
    cmocka_unit_test(test_attached_level_mail),
    cmocka_unit_test(test_attached_in_attached),
    cmocka_unit_test(test_read_receipt_is_not_forward),
    cmocka_unit_test(test_attached_depth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

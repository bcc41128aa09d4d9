/* test_forward.c - unit tests for parsers/forward.c: every client's inline
 * forward (Outlook with and without a separator, Gmail, Thunderbird, Apple
 * Mail, localised Outlook), "> "-quoted forwards, the replies and mentions
 * that are not forwards, dates (zones, BST, unreadable -> NULL),
 * non-ASCII and RFC 2047 names, and hostile input. Forwards of forwards
 * and attached originals are in test_forward_chains.c. Each message is a
 * raw string read by mail_parse, as intake reads it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/forward.h"
#include "parsers/mail.h"
#include "tests/unit/forward_fixture.h"

/* --- Outlook --- */

static void test_outlook_original_message(void **state)
{
  g_autoptr(IgForward) f = find_text("FW: Suspicious email",
      "Please see below.\n\n"
      "-----Original Message-----\n"
      "From: Jane Doe [mailto:Jane.Doe@Example.org]\n"
      "Sent: Monday, November 23, 2026 9:14 AM\n"
      "To: Help Desk <helpdesk@example.org>\n"
      "Subject: Suspicious email\n\n"
      REPORT "\n");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z",
         "Suspicious email", REPORT, "Please see below.", 1, FALSE);
}

/* The rule of underscores, "Name <addr>", a UK date in summer time, a Cc,
 * a recipient list wrapped at the margin and a subject wrapped onto an
 * indented line. */
static void test_outlook_rule_and_wrapping(void **state)
{
  g_autoptr(IgForward) f = find_text("FW: Laptop left on the train",
      "FYI\n\n"
      "________________________________\n"
      "From: \"Doe, Jane\" <Jane.Doe@example.org>\n"
      "Sent: 15 June 2026 10:30\n"
      "To: Help Desk <helpdesk@example.org>; Facilities <facilities@example.org>;\n"
      "Security <security@example.org>\n"
      "Cc: Line Manager <manager@example.org>\n"
      "Subject: Laptop left on the train between Leeds and\n"
      "  York this morning\n\n"
      "I left my laptop on the 08:10 train.\n");
  expect(f, "Doe, Jane", "jane.doe@example.org", "2026-06-15T09:30:00Z",
         "Laptop left on the train between Leeds and York this morning",
         "I left my laptop on the 08:10 train.", "FYI", 1, FALSE);
}

/* Outlook for Mac and OWA put no line above the block; "Date:" for
 * "Sent:"; a bare address; an external-mail tag before "FW:". */
static void test_outlook_bare_block(void **state)
{
  g_autoptr(IgForward) f = find_text("[EXTERNAL] FW: Malware alert",
      "From: jane.doe@example.org\n"
      "Date: Monday, 23 November 2026 at 09:14\n"
      "To: it@example.org\n"
      "Subject: Malware alert\n\n"
      "My antivirus flagged a file.\n");
  expect(f, NULL, "jane.doe@example.org", "2026-11-23T09:14:00Z",
         "Malware alert", "My antivirus flagged a file.", NULL, 1, FALSE);
}

/* Exchange names internal senders without an address; German and French
 * Outlook ("WG:", "TR:") translate the keys; a French date is unreadable
 * and stays NULL. */
static void test_outlook_localised(void **state)
{
  g_autoptr(IgForward) de = find_text("WG: Verdächtige E-Mail",
      "-----Ursprüngliche Nachricht-----\n"
      "Von: Jane Doe\n"
      "Gesendet: 23 November 2026 09:14\n"
      "An: IT\n"
      "Betreff: Verdächtige E-Mail\n\n"
      "Bitte prüfen.\n");
  expect(de, "Jane Doe", NULL, "2026-11-23T09:14:00Z", "Verdächtige E-Mail",
         "Bitte prüfen.", NULL, 1, FALSE);

  g_autoptr(IgForward) fr = find_text("TR : Courriel suspect",
      "________________________________\n"
      "De : Jeanne Dupont <jeanne@example.fr>\n"
      "Envoyé : lundi 23 novembre 2026 09:14\n"
      "À : IT <it@example.org>\n"
      "Objet : Courriel suspect\n\n"
      "Voir ci-dessous.\n");
  expect(fr, "Jeanne Dupont", "jeanne@example.fr", NULL, "Courriel suspect",
         "Voir ci-dessous.", NULL, 1, FALSE);
}

/* Outlook's HTML-only forward: the block is bold keys in a paragraph
 * under a CSS border, the blank line a no-break space. */
static void test_outlook_html(void **state)
{
  g_autoptr(IgForward) f = find_raw(
      "From: Help Desk <helpdesk@example.org>\nSubject: FW: Suspicious email\n"
      "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
      "<html><body><p>Please log.</p>"
      "<div style=\"border:none;border-top:solid #E1E1E1 1.0pt\">"
      "<p class=MsoNormal><b>From:</b> Jane Doe &lt;<a href=\"mailto:jane.doe@example.org\">"
      "jane.doe@example.org</a>&gt;<br><b>Sent:</b> Monday, November 23, 2026 9:14&nbsp;AM<br>"
      "<b>To:</b> Help Desk<br><b>Subject:</b> Suspicious email</p></div>"
      "<p class=MsoNormal>&nbsp;</p><p>I clicked a link.</p></body></html>\n");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z",
         "Suspicious email", "I clicked a link.", "Please log.", 1, FALSE);
}

/* --- Gmail, Thunderbird, Apple Mail --- */

static void test_gmail(void **state)
{
  g_autoptr(IgForward) f = find_text("Fwd: Lost laptop",
      "Forwarding for the record.\n\n"
      "---------- Forwarded message ---------\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Date: Mon, 23 Nov 2026 at 09:14\n"
      "Subject: Lost laptop\n"
      "To: <it@example.org>\n\n"
      "My laptop was stolen from my car.\n\nJane\n");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "Lost laptop",
         "My laptop was stolen from my car.\n\nJane", "Forwarding for the record.", 1, FALSE);

  /* the marker alone is enough: the subject was edited */
  g_autoptr(IgForward) g = find_text("Incident",
      "---------- Forwarded message ---------\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Date: Mon, Nov 23, 2026 at 9:14 AM\n"
      "Subject: Lost laptop\n"
      "To: <it@example.org>\n\n"
      "Stolen.\n");
  expect(g, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "Lost laptop",
         "Stolen.", NULL, 1, FALSE);
}

static void test_mutt(void **state)
{
  g_autoptr(IgForward) f = find_text("Fwd: port scan",
      "From our network team.\n\n"
      "----- Forwarded message from Isaac Thorne <isaac.thorne@example.org> -----\n\n"
      "Date: Mon, 16 Nov 2026 09:47:21 +0000\n"
      "From: Isaac Thorne <isaac.thorne@example.org>\n"
      "To: Ewan <ewan@example.org>\n"
      "Subject: scanning\n\n"
      "A PC is scanning the subnet.\n\n"
      "----- End forwarded message -----\n");
  assert_non_null(f);
  assert_string_equal(f->from_addr, "isaac.thorne@example.org");
  assert_string_equal(f->subject, "scanning");
  assert_non_null(strstr(f->body, "A PC is scanning the subnet."));
}

static void test_thunderbird(void **state)
{
  g_autoptr(IgForward) f = find_text("Fwd: Phishing",
      "-------- Forwarded Message --------\n"
      "Subject: \tPhishing\n"
      "Date: \tMon, 23 Nov 2026 09:14:05 +0000\n"
      "From: \tJane Doe <jane.doe@example.org>\n"
      "To: \tit@example.org\n\n"
      "Link in the mail below.\n");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:05Z", "Phishing",
         "Link in the mail below.", NULL, 1, FALSE);

  /* older Thunderbird: "Original Message", an RFC 5322 comment, another zone */
  g_autoptr(IgForward) g = find_text("Fwd: Phishing",
      "-------- Original Message --------\n"
      "Subject: Phishing\n"
      "Date: Mon, 23 Nov 2026 09:14:05 -0500 (EST)\n"
      "From: jane.doe@example.org\n"
      "To: it@example.org\n\n"
      "Text.\n");
  expect(g, NULL, "jane.doe@example.org", "2026-11-23T14:14:05Z", "Phishing", "Text.",
         NULL, 1, FALSE);
}

static void test_apple_mail(void **state)
{
  g_autoptr(IgForward) f = find_text("Fwd: Tailgating",
      "See below\n\n"
      "Begin forwarded message:\n\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Subject: Tailgating\n"
      "Date: 23 November 2026 at 09:14:05 GMT\n"
      "To: Security <security@example.org>\n\n"
      "Someone followed me through the door.\n");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:05Z", "Tailgating",
         "Someone followed me through the door.", "See below", 1, FALSE);

  g_autoptr(IgForward) g = find_text("Fwd: Tailgating",
      "Begin forwarded message:\n\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Subject: Tailgating\n"
      "Date: 15 June 2026 at 10:30:00 BST\n"
      "To: Security <security@example.org>\n\n"
      "Again.\n");
  expect(g, "Jane Doe", "jane.doe@example.org", "2026-06-15T09:30:00Z", "Tailgating",
         "Again.", NULL, 1, FALSE);
}

/* Some clients quote the whole forwarded block with "> ". */
static void test_quoted_forward(void **state)
{
  g_autoptr(IgForward) f = find_text("Fwd: Phishing",
      "Please log this.\n\n"
      "-------- Forwarded Message --------\n"
      "> From: Jane Doe <jane.doe@example.org>\n"
      "> Date: Mon, 23 Nov 2026 09:14:05 +0000\n"
      "> Subject: Phishing\n"
      "> To: it@example.org\n"
      ">\n"
      "> Reporter name: Jane Doe\n"
      ">   indented line\n");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:05Z", "Phishing",
         "Reporter name: Jane Doe\n  indented line", "Please log this.", 1, FALSE);
}

/* Thunderbird wraps a long Subject at the margin without indenting the
 * rest: the block goes on, and its From is read. */
static void test_thunderbird_wrapped_subject(void **state)
{
  g_autoptr(IgForward) f = find_text("Fwd: Your mailbox storage is almost full",
      "Looks fake to me.\n\n"
      "-------- Forwarded Message --------\n"
      "Subject: \tYour mailbox storage is almost full - action required to keep\n"
      "receiving mail\n"
      "Date: \tMon, 23 Nov 2026 09:14:02 +0000\n"
      "From: \tIT Service Desk <helpdesk@m1crosoft-support.example>\n"
      "To: \tjane.doe@example.org\n\n"
      "Click here to upgrade.\n");
  expect(f, "IT Service Desk", "helpdesk@m1crosoft-support.example", "2026-11-23T09:14:02Z",
         "Your mailbox storage is almost full - action required to keep receiving mail",
         "Click here to upgrade.", "Looks fake to me.", 1, FALSE);
}
/* --- not forwards --- */

static void test_replies_are_not_forwards(void **state)
{
  static const char *const cases[][2] = {
    { "Re: Phishing",
      "Thanks, logged.\n\nOn Mon, 23 Nov 2026 at 09:14, Jane Doe <jane.doe@example.org> wrote:\n"
      "> I got a phishing email.\n" },
    /* Gmail wraps long attributions */
    { "Re: Phishing",
      "Thanks.\n\nOn Mon, 23 Nov 2026 at 09:14, Jane Doe from Facilities Management <\n"
      "jane.doe@example.org> wrote:\n\n> Text\n" },
    { "RE: Phishing",
      "Thanks, logged.\n\n-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\nSent: 23 November 2026 09:14\n"
      "To: IT\nSubject: RE: Phishing\n\nText\n" },
    { "RE: Phishing",
      "Thanks.\n\n________________________________\n"
      "From: Jane Doe <jane.doe@example.org>\nSent: 23 November 2026 09:14\n"
      "To: IT\nSubject: Phishing\n\nText\n" },
    /* a bare Outlook block under a plain subject: reply history */
    { "Phishing",
      "Thanks.\n\nFrom: Jane Doe <jane.doe@example.org>\nSent: 23 November 2026 09:14\n"
      "To: IT\nSubject: Phishing\n\nText\n" },
    /* "Original Message" without a forward subject */
    { "Phishing",
      "-----Original Message-----\nFrom: Jane Doe <jane.doe@example.org>\n"
      "Sent: 23 November 2026 09:14\nTo: IT\nSubject: Phishing\n\nText\n" },
    /* a reply that quotes a forward */
    { "RE: Fwd: Phishing",
      "Got it.\n\nOn Mon, 23 Nov 2026 at 10:00, Help Desk <helpdesk@example.org> wrote:\n"
      "> ---------- Forwarded message ---------\n> From: Jane Doe <jane.doe@example.org>\n"
      "> Date: Mon, 23 Nov 2026 at 09:14\n> Subject: Phishing\n>\n> Text\n" },
    /* quoted history without an attribution, under a reply subject */
    { "Re: Phishing",
      "Agreed.\n\n> ---------- Forwarded message ---------\n> From: Jane <jane@example.org>\n"
      "> Subject: Phishing\n>\n> Text\n" },
    /* mentions */
    { "Laptop stolen",
      "Please forward this to the security team. I forwarded the message\n"
      "yesterday but the forwarded message bounced.\nFrom: the car park\n" },
    { "FW: Laptop stolen", "Forwarded message follows later.\n" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(IgForward) f = find_text(cases[i][0], cases[i][1]);
    if (f)
      print_error("case %zu (%s) read as a forward\n", i, cases[i][0]);
    assert_null(f);
  }
}

/* A delivery report carries the bounced mail as message/rfc822. */
static void test_report_is_not_forward(void **state)
{
  g_autoptr(IgForward) f = find_raw(
      "From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\nMIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n\n"
      "--r\nContent-Type: text/plain\n\nCould not deliver.\n"
      "--r\nContent-Type: message/delivery-status\n\nAction: failed\n"
      "--r\nContent-Type: message/rfc822\n\nFrom: a@example.org\nSubject: x\n\nbody\n--r--\n");
  assert_null(f);
}

/* --- values --- */

static void test_unreadable_date(void **state)
{
  g_autoptr(IgForward) f = find_text("FW: Phishing",
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Sent: sometime last week\n"
      "To: IT\n"
      "Subject: Phishing\n\n"
      "Text\n");
  expect(f, "Jane Doe", "jane.doe@example.org", NULL, "Phishing", "Text", NULL, 1, FALSE);

  /* a US month-first date is not guessed */
  g_autoptr(IgForward) g = find_text("FW: Phishing",
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Sent: 11/23/2026 9:14 AM\n"
      "Subject: Phishing\n\n"
      "Text\n");
  expect(g, "Jane Doe", "jane.doe@example.org", NULL, "Phishing", "Text", NULL, 1, FALSE);
}

static void test_non_ascii_names(void **state)
{
  /* plain UTF-8, as Outlook writes it */
  g_autoptr(IgForward) f = find_text("FW: Phishing",
      "-----Original Message-----\n"
      "From: Siân Ó Súilleabháin <Sian@Example.org>\n"
      "Sent: 23 November 2026 09:14\n"
      "Subject: Pièce jointe suspecte\n\n"
      "Text\n");
  expect(f, "Siân Ó Súilleabháin", "sian@example.org", "2026-11-23T09:14:00Z",
         "Pièce jointe suspecte", "Text", NULL, 1, FALSE);

  /* RFC 2047 words copied into the text by some clients */
  g_autoptr(IgForward) g = find_text("Fwd: Phishing",
      "---------- Forwarded message ---------\n"
      "From: =?UTF-8?Q?Zo=C3=AB_Br=C3=BCck?= <zoe@example.org>\n"
      "Date: Mon, 23 Nov 2026 at 09:14\n"
      "Subject: =?UTF-8?B?w4RyZ2VyIG1pdCBQaGlzaGluZw==?=\n\n"
      "Text\n");
  expect(g, "Zoë Brück", "zoe@example.org", "2026-11-23T09:14:00Z", "Ärger mit Phishing",
         "Text", NULL, 1, FALSE);

  /* Windows-1252 bytes: mail.c makes the body UTF-8 first */
  g_autoptr(IgForward) h = find_raw(
      "From: a@example.org\nSubject: FW: x\nMIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=windows-1252\n\n"
      "-----Original Message-----\nFrom: Ren\xe9 M\xfcller <rene@example.org>\n"
      "Sent: 23 November 2026 09:14\nSubject: x\n\nText\n");
  expect(h, "René Müller", "rene@example.org", "2026-11-23T09:14:00Z", "x", "Text",
         NULL, 1, FALSE);
}

/* CRLF line ends, Outlook's "<addr<mailto:addr>>" from HTML, no body. */
static void test_crlf_and_html_artifacts(void **state)
{
  g_autoptr(IgForward) f = find_raw(
      "From: a@example.org\r\nSubject: FW: x\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain\r\n\r\n"
      "-----Original Message-----\r\n"
      "From: Jane Doe <jane.doe@example.org<mailto:jane.doe@example.org>>\r\n"
      "Sent: 23 November 2026 09:14\r\n"
      "Subject: x\r\n");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "x", "", NULL, 1,
         FALSE);
}

/* --- hostile input --- */

static void test_hostile(void **state)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc();
  assert_null(forward_find(NULL, tz));

  /* forwards nested far deeper than any real one: bounded, and the
   * deepest level read is returned */
  GString *deep = g_string_new(NULL);
  for (int i = 0; i < 200; i++)
    g_string_append_printf(deep, "note %d\n---------- Forwarded message ---------\n"
                                 "From: u%d@example.org\nSubject: s%d\n\n", i, i, i);
  g_autoptr(IgForward) f = find_text("Fwd: deep", deep->str);
  g_string_free(deep, TRUE);
  assert_non_null(f);
  assert_int_equal(f->depth, 8);
  expect_str("from_addr", f->from_addr, "u7@example.org");

  /* many header-like lines and long lines cost linear time */
  GString *big = g_string_new("-----Original Message-----\n");
  for (int i = 0; i < 50000; i++)
    g_string_append(big, "From: x@example.org\n");
  g_string_append_c(big, '\n');
  for (int i = 0; i < 200000; i++)
    g_string_append(big, i % 100 ? "--------" : "-\n");
  gint64 t0 = g_get_monotonic_time();
  g_autoptr(IgForward) g = find_text("FW: big", big->str);
  g_string_free(big, TRUE);
  assert_non_null(g);
  assert_true(g_get_monotonic_time() - t0 < 5 * G_USEC_PER_SEC);

  g_autoptr(IgForward) h = find_text("FW: x", "From:\nSent:\n\n");
  assert_null(h);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_outlook_original_message),
    cmocka_unit_test(test_outlook_rule_and_wrapping),
    cmocka_unit_test(test_outlook_bare_block),
    cmocka_unit_test(test_outlook_localised),
    cmocka_unit_test(test_outlook_html),
    cmocka_unit_test(test_gmail),
    cmocka_unit_test(test_mutt),
    cmocka_unit_test(test_thunderbird),
    cmocka_unit_test(test_apple_mail),
    cmocka_unit_test(test_quoted_forward),
    cmocka_unit_test(test_thunderbird_wrapped_subject),
    cmocka_unit_test(test_replies_are_not_forwards),
    cmocka_unit_test(test_report_is_not_forward),
    cmocka_unit_test(test_unreadable_date),
    cmocka_unit_test(test_non_ascii_names),
    cmocka_unit_test(test_crlf_and_html_artifacts),
    cmocka_unit_test(test_hostile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

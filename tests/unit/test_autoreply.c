/* test_autoreply.c - unit tests for parsers/autoreply.c: loop prevention
 * (SPEC section 9). Each case is a small raw message parsed by mail_parse()
 * and classified against our address "security@justice.gov.uk"; the test
 * checks the class, whether we may answer, and the `messages` kind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/autoreply.h"
#include "parsers/mail.h"

#define OURS "security@justice.gov.uk"

static const char *class_name(IgAutoClass cls)
{
  switch (cls) {
  case IG_AUTO_HUMAN: return "HUMAN";
  case IG_AUTO_GENERATED: return "GENERATED";
  case IG_AUTO_REPLY: return "REPLY";
  case IG_AUTO_LOOP: return "LOOP";
  case IG_AUTO_BOUNCE: return "BOUNCE";
  case IG_AUTO_BULK: return "BULK";
  }
  return "?";
}

/* Parses raw and classifies it. */
static IgAutoVerdict classify_raw(const char *raw)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IgMail) m = mail_parse(raw, strlen(raw), &error);
  assert_non_null(m);
  return autoreply_classify(m, OURS);
}

/* A plain message: the header lines given (each ending "\n") after a
 * default From unless headers bring their own, then a short body. */
static char *message(const char *from, const char *headers)
{
  GString *s = g_string_new(NULL);
  if (from)
    g_string_append_printf(s, "From: %s\n", from);
  g_string_append(s, "To: security@justice.gov.uk\nMessage-ID: <t@example.org>\n");
  g_string_append(s, headers ? headers : "Subject: My laptop was stolen\n");
  g_string_append(s, "\nHello, my laptop was stolen this morning.\n");
  return g_string_free(s, FALSE);
}

static void expect(const char *raw, IgAutoClass cls, gboolean may_reply, const char *kind)
{
  IgAutoVerdict v = classify_raw(raw);
  if (v.cls != cls || v.may_reply != may_reply)
    print_error("got %s may_reply=%d (%s), want %s may_reply=%d\n---\n%s---\n",
                class_name(v.cls), v.may_reply, v.reason ? v.reason : "no reason",
                class_name(cls), may_reply, raw);
  assert_int_equal(v.cls, cls);
  assert_int_equal(v.may_reply, may_reply);
  if (kind)
    assert_string_equal(autoreply_kind(v.cls), kind);
  else
    assert_null(autoreply_kind(v.cls));
  /* Anything we may not answer says why. */
  if (!may_reply)
    assert_non_null(v.reason);
}

/* A human sender with these extra header lines. */
static void expect_headers(const char *headers, IgAutoClass cls, gboolean may_reply,
                           const char *kind)
{
  g_autofree char *raw = message("Jane Smith <jane.smith@justice.gov.uk>", headers);
  expect(raw, cls, may_reply, kind);
}

static void expect_from(const char *from, IgAutoClass cls, gboolean may_reply,
                        const char *kind)
{
  g_autofree char *raw = message(from, NULL);
  expect(raw, cls, may_reply, kind);
}

static void test_human(void **state)
{
  g_autofree char *raw = message("Jane Smith <jane.smith@justice.gov.uk>", NULL);
  IgAutoVerdict v = classify_raw(raw);
  assert_int_equal(v.cls, IG_AUTO_HUMAN);
  assert_true(v.may_reply);
  assert_null(v.reason);
  assert_null(autoreply_kind(v.cls));

  expect_headers("Subject: x\nAuto-Submitted: no\n", IG_AUTO_HUMAN, TRUE, NULL);
  expect_headers("Subject: x\nAuto-Submitted: No\n", IG_AUTO_HUMAN, TRUE, NULL);
  expect_headers("Subject: x\nReturn-Path: <jane.smith@justice.gov.uk>\n", IG_AUTO_HUMAN,
                 TRUE, NULL);
  /* A reply from a person is not an auto-reply. */
  expect_headers("Subject: Re: [INC-2026-000001] laptop\n", IG_AUTO_HUMAN, TRUE, NULL);
  /* Someone else's X-Loop is not ours. */
  expect_headers("Subject: x\nX-Loop: helpdesk@example.org\n", IG_AUTO_HUMAN, TRUE, NULL);
}

static void test_auto_submitted(void **state)
{
  expect_headers("Subject: x\nAuto-Submitted: auto-replied\n", IG_AUTO_REPLY, FALSE,
                 "auto-reply");
  expect_headers("Subject: x\nAuto-Submitted: auto-replied; owner-email=\"a@b.org\"\n",
                 IG_AUTO_REPLY, FALSE, "auto-reply");
  expect_headers("Subject: x\nAuto-Submitted: Auto-Replied\n", IG_AUTO_REPLY, FALSE,
                 "auto-reply");
  expect_headers("Subject: x\nAuto-Submitted: auto-generated\n", IG_AUTO_GENERATED,
                 FALSE, NULL);
  expect_headers("Subject: Disk alert on web01\nAuto-Submitted: auto-generated\n",
                 IG_AUTO_GENERATED, FALSE, NULL);
  /* Any value other than "no" is automatic (RFC 3834 section 5). */
  g_autofree char *notified =
      message("a@example.org", "Subject: x\nAuto-Submitted: auto-notified\n");
  assert_false(classify_raw(notified).may_reply);
  /* auto-notified (RFC 3798/3834) is a reply made by software, recorded
   * as one: not as generic generated mail. */
  expect_headers("Subject: x\nAuto-Submitted: auto-notified\n", IG_AUTO_REPLY, FALSE,
                 "auto-reply");
  expect_headers("Subject: x\nAuto-Submitted: Auto-Notified; owner-email=\"a@b.org\"\n",
                 IG_AUTO_REPLY, FALSE, "auto-reply");
  expect_headers("Subject: x\nAuto-Submitted: something-new\n", IG_AUTO_GENERATED,
                 FALSE, NULL);
}

static void test_bulk(void **state)
{
  expect_headers("Subject: x\nPrecedence: bulk\n", IG_AUTO_BULK, FALSE, "bulk");
  expect_headers("Subject: x\nPrecedence: junk\n", IG_AUTO_BULK, FALSE, "bulk");
  expect_headers("Subject: x\nPrecedence: list\n", IG_AUTO_BULK, FALSE, "bulk");
  expect_headers("Subject: x\nPrecedence: Bulk\n", IG_AUTO_BULK, FALSE, "bulk");
  expect_headers("Subject: x\nList-Id: Staff news <news.justice.gov.uk>\n", IG_AUTO_BULK,
                 FALSE, "bulk");
  /* Precedence values that are not bulk do not count. */
  expect_headers("Subject: x\nPrecedence: first-class\n", IG_AUTO_HUMAN, TRUE, NULL);
}

static void test_empty_return_path(void **state)
{
  g_autofree char *raw = message("Jane Smith <jane.smith@justice.gov.uk>",
                                 "Subject: x\nReturn-Path: <>\n");
  IgAutoVerdict v = classify_raw(raw);
  assert_false(v.may_reply);
  assert_non_null(v.reason);
  /* It is automatic mail, not a person to acknowledge. */
  assert_int_not_equal(v.cls, IG_AUTO_HUMAN);
}

static void test_daemons(void **state)
{
  expect_from("MAILER-DAEMON@mx.example.org", IG_AUTO_BOUNCE, FALSE, "bounce");
  expect_from("Mail Delivery System <mailer-daemon@mx.example.org>", IG_AUTO_BOUNCE,
              FALSE, "bounce");
  expect_from("postmaster@example.org", IG_AUTO_BOUNCE, FALSE, "bounce");
  expect_from("Postmaster@Example.ORG", IG_AUTO_BOUNCE, FALSE, "bounce");
  /* Only the whole local part counts. */
  expect_from("postmaster.jones@example.org", IG_AUTO_HUMAN, TRUE, NULL);
}

static void test_robots(void **state)
{
  static const char *const robots[] = {
    "no-reply@example.org", "noreply@example.org", "do-not-reply@example.org",
    "NoReply <NOREPLY@service.gov.uk>", "donotreply@example.org",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(robots); i++) {
    IgAutoVerdict v;
    g_autofree char *raw = message(robots[i], NULL);
    v = classify_raw(raw);
    if (v.may_reply)
      print_error("%s: may_reply TRUE\n", robots[i]);
    assert_false(v.may_reply);
    assert_non_null(v.reason);
  }
  expect_from("noreplyjones@example.org", IG_AUTO_HUMAN, TRUE, NULL);
}

static void test_our_own_address(void **state)
{
  expect_from("security@justice.gov.uk", IG_AUTO_LOOP, FALSE, "auto-reply");
  expect_from("IT Security <Security@Justice.GOV.UK>", IG_AUTO_LOOP, FALSE, "auto-reply");
  expect_headers("Subject: x\nX-Loop: security@justice.gov.uk\n", IG_AUTO_LOOP, FALSE,
                 "auto-reply");
  expect_headers("Subject: x\nX-Loop: other@example.org\nX-Loop: security@justice.gov.uk\n",
                 IG_AUTO_LOOP, FALSE, "auto-reply");
  /* Our address sending an auto-reply is still a loop. */
  g_autofree char *raw = message("security@justice.gov.uk",
                                 "Subject: x\nAuto-Submitted: auto-replied\n");
  expect(raw, IG_AUTO_LOOP, FALSE, "auto-reply");
}

/* Our address in X-Loop is ours in any case, as in From. */
static void test_x_loop_case(void **state)
{
  char *raw = message("Jane Smith <jane.smith@justice.gov.uk>",
                      "Subject: x\nX-Loop: Security@Justice.GOV.UK\n");
  IgAutoVerdict v = classify_raw(raw);
  g_free(raw); /* before asserting: a failed assertion skips cleanup */
  if (v.cls != IG_AUTO_LOOP)
    print_error("X-Loop case: got %s\n", class_name(v.cls));
  assert_int_equal(v.cls, IG_AUTO_LOOP);
  assert_false(v.may_reply);
}

/* Another address that merely contains ours is not our loop. */
static void test_x_loop_other_address(void **state)
{
  char *raw = message("Jane Smith <jane.smith@justice.gov.uk>",
                      "Subject: x\nX-Loop: xsecurity@justice.gov.uk\n");
  IgAutoVerdict v = classify_raw(raw);
  g_free(raw);
  assert_int_equal(v.cls, IG_AUTO_HUMAN);
  assert_true(v.may_reply);
}

static void test_out_of_office(void **state)
{
  expect_headers("Subject: x\nX-Autoreply: yes\n", IG_AUTO_REPLY, FALSE, "auto-reply");
  expect_headers("Subject: x\nX-Autorespond: yes\n", IG_AUTO_REPLY, FALSE, "auto-reply");
  expect_headers("Subject: Automatic reply: [INC-2026-000001] laptop\n", IG_AUTO_REPLY,
                 FALSE, "auto-reply");
  expect_headers("Subject: Out of Office: back on Monday\n", IG_AUTO_REPLY, FALSE,
                 "auto-reply");
  expect_headers("Subject: AUTOMATIC REPLY: away\n", IG_AUTO_REPLY, FALSE, "auto-reply");
  expect_headers("Subject: Auto-Reply: away\n", IG_AUTO_REPLY, FALSE, "auto-reply");
  /* The words inside a subject do not make it an auto-reply. */
  expect_headers("Subject: Phishing mail pretending to be an automatic reply\n",
                 IG_AUTO_HUMAN, TRUE, NULL);
}

static char *report(const char *report_type, const char *extra_headers)
{
  return g_strdup_printf(
      "From: Mail Delivery Subsystem <bounces@mx.example.org>\n"
      "To: security@justice.gov.uk\n%s"
      "Subject: Delivery Status Notification (Failure)\nMIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=%s; boundary=\"r\"\n\n"
      "--r\nContent-Type: text/plain\n\nYour message could not be delivered.\n"
      "--r\nContent-Type: message/%s\n\nReporting-MTA: dns; mx.example.org\n"
      "--r--\n",
      extra_headers, report_type, report_type);
}

static void test_reports(void **state)
{
  g_autofree char *dsn = report("delivery-status", "");
  expect(dsn, IG_AUTO_BOUNCE, FALSE, "bounce");
  g_autofree char *mdn = report("disposition-notification", "");
  expect(mdn, IG_AUTO_BOUNCE, FALSE, "bounce");
  /* The strongest evidence wins: a DSN is a bounce whatever else it says. */
  g_autofree char *both = report("delivery-status", "Auto-Submitted: auto-replied\n");
  expect(both, IG_AUTO_BOUNCE, FALSE, "bounce");
  g_autofree char *gen = report("delivery-status", "Auto-Submitted: auto-generated\n");
  expect(gen, IG_AUTO_BOUNCE, FALSE, "bounce");
  /* multipart/report of another type is not a bounce by itself. */
  g_autofree char *other = report("x-custom", "");
  expect(other, IG_AUTO_HUMAN, TRUE, NULL);
}

/* The reason is what `messages` and the audit show: it names what was seen. */
static void expect_reason(const char *raw, IgAutoClass cls, const char *reason)
{
  IgAutoVerdict v = classify_raw(raw);
  if (v.cls != cls || g_strcmp0(v.reason, reason) != 0)
    print_error("got %s (%s), want %s (%s)\n", class_name(v.cls),
                v.reason ? v.reason : "no reason", class_name(cls), reason);
  assert_int_equal(v.cls, cls);
  assert_string_equal(v.reason, reason);
}

static void test_reasons(void **state)
{
  g_autofree char *dsn = report("delivery-status", "");
  expect_reason(dsn, IG_AUTO_BOUNCE, "delivery status notification");
  g_autofree char *mdn = report("disposition-notification", "");
  expect_reason(mdn, IG_AUTO_BOUNCE, "read receipt (MDN)");
  g_autofree char *daemon = message("MAILER-DAEMON@mx.example.org", NULL);
  expect_reason(daemon, IG_AUTO_BOUNCE, "sent by a mailer daemon");
  /* X-Loop written as a mailbox: the address inside the brackets counts. */
  g_autofree char *named = message("Jane Smith <jane.smith@justice.gov.uk>",
                                   "Subject: x\nX-Loop: IT Security <security@justice.gov.uk>\n");
  expect_reason(named, IG_AUTO_LOOP, "carries our X-Loop header");
}

/* A gateway whose own address is postmaster@ sees its own mail as a loop,
 * not as a bounce from someone else's daemon. */
static void test_daemon_is_us(void **state)
{
  const char *raw = "From: postmaster@justice.gov.uk\nTo: postmaster@justice.gov.uk\n"
                    "Subject: x\n\nhello\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(IgMail) m = mail_parse(raw, strlen(raw), &error);
  assert_non_null(m);
  IgAutoVerdict v = autoreply_classify(m, "postmaster@justice.gov.uk");
  assert_int_equal(v.cls, IG_AUTO_LOOP);
  assert_string_equal(v.reason, "sent from our own address");
}

static void test_no_from(void **state)
{
  g_autofree char *raw = message(NULL, NULL);
  IgAutoVerdict v = classify_raw(raw);
  assert_false(v.may_reply);
  assert_non_null(v.reason);
  g_autofree char *group = message("undisclosed-recipients:;", NULL);
  v = classify_raw(group);
  assert_false(v.may_reply);
}

static void test_kinds(void **state)
{
  assert_null(autoreply_kind(IG_AUTO_HUMAN));
  assert_null(autoreply_kind(IG_AUTO_GENERATED));
  assert_string_equal(autoreply_kind(IG_AUTO_REPLY), "auto-reply");
  assert_string_equal(autoreply_kind(IG_AUTO_LOOP), "auto-reply");
  assert_string_equal(autoreply_kind(IG_AUTO_BOUNCE), "bounce");
  assert_string_equal(autoreply_kind(IG_AUTO_BULK), "bulk");
}

/* A multipart/report of report_type with part as its second part and the
 * original as message/rfc822. */
static char *report_of(const char *report_type, const char *part)
{
  return g_strdup_printf(
      "From: MAILER-DAEMON@mx.example.org\nTo: security@justice.gov.uk\n"
      "Subject: Delivery report\nMessage-ID: <r@mx.example.org>\nMIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=%s; boundary=\"b\"\n\n"
      "--b\nContent-Type: text/plain\n\nA report.\n--b\n%s\n"
      "--b\nContent-Type: message/rfc822\n\nFrom: security@justice.gov.uk\n"
      "Message-ID: <ours@justice.gov.uk>\nSubject: ack\n\nText.\n--b--\n",
      report_type, part);
}

static gboolean failed(const char *raw)
{
  g_autoptr(IgMail) m = mail_parse(raw, strlen(raw), NULL);
  assert_non_null(m);
  assert_string_equal(m->reported_message_id, "ours@justice.gov.uk");
  return autoreply_delivery_failed(m);
}

/* Only a DSN that says a recipient failed is a bounce: a delay warning, a
 * success notice or a read receipt is not. */
static void test_delivery_failed(void **state)
{
  static const char *const dsn_head =
      "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n";
  g_autofree char *fail = g_strdup_printf("%sFinal-Recipient: rfc822; a@example.org\n"
                                          "Action: failed\nStatus: 5.1.1\n", dsn_head);
  g_autofree char *delay = g_strdup_printf("%sFinal-Recipient: rfc822; a@example.org\n"
                                           "Action: delayed\nStatus: 4.4.7\n", dsn_head);
  g_autofree char *mixed = g_strdup_printf("%sFinal-Recipient: rfc822; a@example.org\n"
                                           "Action: delayed\n\nFinal-Recipient: rfc822; "
                                           "b@example.org\naction:  FAILED\n", dsn_head);
  /* The space after the colon is optional (RFC 5322 field syntax). */
  g_autofree char *tight = g_strdup_printf("%sFinal-Recipient: rfc822; a@example.org\n"
                                           "Action:failed\nStatus: 5.1.1\n", dsn_head);
  g_autofree char *success = g_strdup_printf("%sFinal-Recipient: rfc822; a@example.org\n"
                                             "Action: delivered\nStatus: 2.0.0\n", dsn_head);
  g_autofree char *r_fail = report_of("delivery-status", fail);
  g_autofree char *r_delay = report_of("delivery-status", delay);
  g_autofree char *r_mixed = report_of("delivery-status", mixed);
  g_autofree char *r_success = report_of("delivery-status", success);
  g_autofree char *r_tight = report_of("delivery-status", tight);
  g_autofree char *r_text = report_of("delivery-status", "Content-Type: text/plain\n\nNo fields.\n");
  g_autofree char *r_mdn = report_of("disposition-notification",
                                  "Content-Type: message/disposition-notification\n\n"
                                  "Disposition: manual-action/MDN-sent-manually; displayed\n");
  assert_true(failed(r_fail));
  assert_false(failed(r_delay));
  assert_true(failed(r_mixed));
  assert_false(failed(r_success));
  assert_true(failed(r_tight));
  assert_true(failed(r_text)); /* says nothing per recipient: a bounce */
  assert_false(failed(r_mdn));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_human),
    cmocka_unit_test(test_auto_submitted),
    cmocka_unit_test(test_bulk),
    cmocka_unit_test(test_empty_return_path),
    cmocka_unit_test(test_daemons),
    cmocka_unit_test(test_robots),
    cmocka_unit_test(test_our_own_address),
    cmocka_unit_test(test_x_loop_case),
    cmocka_unit_test(test_x_loop_other_address),
    cmocka_unit_test(test_out_of_office),
    cmocka_unit_test(test_reports),
    cmocka_unit_test(test_reasons),
    cmocka_unit_test(test_daemon_is_us),
    cmocka_unit_test(test_no_from),
    cmocka_unit_test(test_kinds),
    cmocka_unit_test(test_delivery_failed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

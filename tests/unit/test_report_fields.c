/* test_report_fields.c - unit tests for gateway/report.c: the fields of
 * a free-text report. The summary is the first line of the description
 * when the subject says nothing; impact and personal data as the words
 * state them; between a forwarder's note and the account it passes on,
 * which reading gives the time, the category and the rest; a near miss
 * only when said; the category of a mail reported with Outlook's Report
 * button; an information asset named in the text; the missing fields.
 * test_report.c covers the rest of report_build(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "tests/unit/report_fixture.h"

/* A mail from a bare address (no name) with no subject and this body. */
static Built unnamed(const char *body)
{
  g_autofree char *raw = g_strdup_printf("From: a@justice.gov.uk\nSubject: Re:\n\n%s", body);
  return build(raw);
}

static char *repeat(const char *s, int n)
{
  GString *out = g_string_new(NULL);
  for (int i = 0; i < n; i++)
    g_string_append(out, s);
  return g_string_free(out, FALSE);
}

/* With nothing but reply prefixes in the subject, the summary is the
 * description's first line, without the blank lines and spaces around
 * it; nothing when there is no description. */
static void test_summary_first_line(void **state)
{
  (void)state;
  Built b = unnamed("\n  \n   My laptop was stolen from my car.  \nIt held case files.\n");
  assert_string_equal(b.inc->summary, "My laptop was stolen from my car.");
  done(&b);
  Built one = unnamed("Lost my pass\n");
  assert_string_equal(one.inc->summary, "Lost my pass");
  done(&one);
  Built none = unnamed("\n\n");
  assert_null(none.inc->description);
  assert_null(none.inc->summary);
  done(&none);
}

/* Outlook's HTML mail writes an empty line as &nbsp;: a phish passed on
 * with only such lines above it has no description, which is then asked
 * for, as is a form's description of blanks; the summary of a mail
 * without a subject is its first line with words. */
static void test_blank_html_lines(void **state)
{
  (void)state;
  Built b = build("From: Jane Smith <jane.smith@justice.gov.uk>\n"
                  "Subject: FW: Your invoice is overdue\nMIME-Version: 1.0\n"
                  "Content-Type: text/html; charset=utf-8\n\n"
                  "<html><body><p>&nbsp;</p><p>&nbsp;</p>\n"
                  "<div><p><b>From:</b> Accounts &lt;accounts@invoices-online.example&gt;<br>"
                  "<b>Sent:</b> 23 November 2026 09:41<br><b>To:</b> Smith, Jane "
                  "&lt;Jane.Smith@justice.gov.uk&gt;<br><b>Subject:</b> Your invoice is "
                  "overdue</p></div>\n<p>Your account has been compromised.</p></body></html>\n");
  assert_int_equal(b.inc->evidence->len, 1);
  assert_null(b.inc->description);
  assert_true(g_strv_contains((const char *const *)b.inc->missing_fields, "description"));
  done(&b);
  b = build("From: a@justice.gov.uk\nMIME-Version: 1.0\n"
            "Content-Type: text/html; charset=utf-8\n\n"
            "<html><body><p>&nbsp;</p><p>&nbsp;&nbsp;My laptop was stolen.</p>"
            "<p>It held case files.</p></body></html>\n");
  assert_string_equal(b.inc->summary, "My laptop was stolen.");
  done(&b);
  /* an em space is no more a description than &nbsp; */
  b = build("From: a@justice.gov.uk\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n\n"
            "Reporter name: Ann Lee\nImpact: Low\nDescription: \u2003\n");
  assert_string_equal(b.inc->source, "form");
  assert_null(b.inc->description);
  assert_null(b.inc->summary);
  done(&b);
}

/* The summary keeps 100 characters (not bytes) of a longer line and says
 * it was cut; a line of exactly 100 is whole. */
static void test_summary_cut_at_100(void **state)
{
  (void)state;
  g_autofree char *line100 = repeat("\u00e9", 100);
  g_autofree char *line101 = repeat("\u00e9", 101);
  g_autofree char *line99 = repeat("\u00e9", 99);
  g_autofree char *body100 = g_strdup_printf("%s\n", line100);
  g_autofree char *body101 = g_strdup_printf("%s\n", line101);
  g_autofree char *body99 = g_strdup_printf("%s\n", line99);
  g_autofree char *cut = g_strdup_printf("%s...", line100);
  Built b = unnamed(body100);
  assert_string_equal(b.inc->summary, line100);
  done(&b);
  b = unnamed(body101);
  assert_string_equal(b.inc->summary, cut);
  done(&b);
  b = unnamed(body99);
  assert_string_equal(b.inc->summary, line99);
  done(&b);
}

/* An empty mail from a bare address lacks every field a complete report
 * needs, in SPEC order, the reporter's name first. */
static void test_missing_fields(void **state)
{
  (void)state;
  static const char *const all[] = { "reporter_name", "detected_at", "category", "impact",
                                     "personal_data", "description", NULL };
  Built b = unnamed("\n");
  assert_non_null(b.inc->missing_fields);
  for (gsize i = 0; all[i]; i++) {
    assert_non_null(b.inc->missing_fields[i]);
    assert_string_equal(b.inc->missing_fields[i], all[i]);
  }
  assert_null(b.inc->missing_fields[G_N_ELEMENTS(all) - 1]);
  done(&b);
}

static void test_impact_and_personal_data(void **state)
{
  (void)state;
  Built b = unnamed("My laptop was stolen from my car this morning. Impact: high, it held "
                    "prisoners' names and addresses.\n");
  assert_string_equal(b.inc->impact, "high");
  assert_string_equal(b.inc->personal_data, "yes");
  assert_true(has_decision(&b, "impact = high, from \"Impact: high\""));
  assert_true(has_decision(&b, "personal_data = yes, from \"names and addresses\""));
  done(&b);
}

/* A colleague's account (Meera's) passed on by the reporter, whose note
 * above it is read for what the account leaves out. */
static Built passed_on(const char *note, const char *account)
{
  g_autofree char *raw = g_strdup_printf(
      "From: Trevor Lang <trevor.lang@justice.gov.uk>\nSubject: FW: odd mail\n"
      "Date: Mon, 23 Nov 2026 10:00:00 +0000\n\n%s\n\n-----Original Message-----\n"
      "From: Shah, Meera <Meera.Shah@justice.gov.uk>\nSent: 23 November 2026 09:20\n"
      "To: Lang, Trevor\nSubject: odd mail\n\n%s\n", note, account);
  return build(raw);
}

/* The note's time of an event it tells of counts when the account tells
 * of the event without one. */
static void test_note_gives_the_time(void **state)
{
  (void)state;
  Built b = passed_on("I clicked the link in it too, at 09:40 this morning.",
                      "I clicked a link in an email and typed my password.");
  assert_string_equal(b.inc->detected_at, "2026-11-23T09:40:00Z");
  assert_int_equal(b.inc->minutes_to_report, 50);
  assert_true(has_decision(&b, "detected_at = 2026-11-23T09:40:00Z, from \"at 09:40 this "
                               "morning\""));
  done(&b);
}

/* The category is the more specific of the two readings; of two as
 * specific, the account's. */
static void test_more_specific_category_wins(void **state)
{
  (void)state;
  Built note = passed_on("Please treat this as a supply chain incident.",
                         "I received a phishing email asking for my password.");
  assert_string_equal(note.inc->category, "supply-chain");
  done(&note);
  Built account = passed_on("Looks like phishing to me.", "My laptop was stolen from my car.");
  assert_string_equal(account.inc->category, "lost-or-stolen-equipment");
  assert_true(has_decision(&account, "category = lost-or-stolen-equipment, from \"laptop was "
                                     "stolen\""));
  done(&account);
  Built tie = passed_on("Looks like phishing to me.",
                        "I clicked a link in an email and typed my password.");
  assert_string_equal(tie.inc->category, "phishing");
  assert_true(has_decision(&tie, "category = phishing, from \"clicked a link\""));
  done(&tie);
}

/* Impact and personal data come from the account when it states them,
 * else from the note. */
static void test_note_fills_impact(void **state)
{
  (void)state;
  Built note = passed_on("I would say the impact is high.", "My laptop was stolen from my car.");
  assert_string_equal(note.inc->impact, "high");
  assert_true(has_decision(&note, "impact = high, from \"impact is high\""));
  done(&note);
  Built account = passed_on("I would say the impact is high.",
                            "My laptop was stolen from my car, impact: low.");
  assert_string_equal(account.inc->impact, "low");
  assert_true(has_decision(&account, "impact = low, from \"impact: low\""));
  done(&account);
}

/* A near miss is one when said so, whatever else the text says, and only
 * then. */
static void test_near_miss_only_when_said(void **state)
{
  (void)state;
  Built said = unnamed("It was a near miss.\n");
  assert_true(said.inc->near_miss);
  assert_true(has_decision(&said, "near_miss = true, from \"near miss\""));
  done(&said);
  Built clicked = unnamed("I clicked a phishing link at 9.40.\n");
  assert_string_equal(clicked.inc->category, "phishing");
  assert_false(clicked.inc->near_miss);
  assert_false(has_decision(&clicked, "near_miss"));
  done(&clicked);
}

/* A mail reported with the Report button, attached under "verdict|subject",
 * with a subject that names no category. */
static Built reported(const char *verdict)
{
  g_autofree char *raw = g_strdup_printf(
      "From: Jane Smith <jane.smith@justice.gov.uk>\nSubject: %s|Team lunch on Friday\n"
      "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
      "--b\nContent-Type: text/plain\n\n\n--b\nContent-Type: message/rfc822\n\n"
      "From: Events <events@lunch.example>\nSubject: Team lunch on Friday\n\n"
      "Book your place.\n--b--\n", verdict);
  return build(raw);
}

/* The Report button's phishing is the category; its junk and not junk
 * give none. A suspicious mail passed on without a word of what it is
 * is phishing. */
static void test_phishing_verdict(void **state)
{
  (void)state;
  Built b = reported("3");
  assert_string_equal(b.inc->category, "phishing");
  assert_true(has_decision(&b, "category = phishing, from the Report button's \"phishing\""));
  done(&b);
  static const char *const other[] = { "1", "2" };
  for (gsize i = 0; i < G_N_ELEMENTS(other); i++) {
    b = reported(other[i]);
    assert_int_equal(b.inc->evidence->len, 1);
    assert_null(b.inc->category);
    assert_false(has_decision(&b, "category"));
    done(&b);
  }
  b = build("From: Jane Smith <jane.smith@justice.gov.uk>\nSubject: FW: Team lunch on Friday\n\n"
            "See below.\n\nFrom: Events <events@lunch.example>\nSent: 23 November 2026 09:41\n"
            "To: Smith, Jane <Jane.Smith@justice.gov.uk>\nSubject: Team lunch on Friday\n\n"
            "Book your place.\n");
  assert_string_equal(b.inc->category, "phishing");
  assert_true(has_decision(&b, "category = phishing, from a suspicious mail passed on without "
                               "naming what it is"));
  done(&b);
}

/* An information asset of the configuration named in the text is the
 * incident's, with its owner. */
static void test_asset_named_in_text(void **state)
{
  (void)state;
  Built b = unnamed("Someone logged into Prison NOMIS with my account this morning.\n");
  assert_string_equal(b.inc->information_asset, "Prison NOMIS");
  assert_string_equal(b.inc->asset_owner, "nomis.iao@justice.gov.uk");
  done(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_summary_first_line),
    cmocka_unit_test(test_summary_cut_at_100),
    cmocka_unit_test(test_blank_html_lines),
    cmocka_unit_test(test_missing_fields),
    cmocka_unit_test(test_impact_and_personal_data),
    cmocka_unit_test(test_note_gives_the_time),
    cmocka_unit_test(test_more_specific_category_wins),
    cmocka_unit_test(test_note_fills_impact),
    cmocka_unit_test(test_near_miss_only_when_said),
    cmocka_unit_test(test_phishing_verdict),
    cmocka_unit_test(test_asset_named_in_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_report_form.c - unit tests for gateway/report.c's form helpers:
 * each form field's label as notices name it, a subject cleaned of reply
 * and forward prefixes, the form read from a text attachment when the
 * body holds none (the first attachment that is a form, none read past
 * the last), a form's detection time, a form filled in for a colleague,
 * and the form lines of a reply. test_report.c covers the rest of
 * report_build(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "tests/unit/report_fixture.h"

/* Every field a complete report needs is named as the form names it; any
 * other name is its own label. */
static void test_field_labels(void **state)
{
  (void)state;
  const char *const pairs[][2] = {
    { "reporter_name", "Reporter name" },
    { "detected_at", "Date and time of detection" },
    { "category", "Incident category" },
    { "impact", "Impact" },
    { "personal_data", "Personal data involved" },
    { "description", "Description" },
    { "supplier", "supplier" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++)
    assert_string_equal(report_field_label(pairs[i][0]), pairs[i][1]);
}

/* Reply and forward prefixes of the languages Outlook writes go, however
 * many and in any case; a subject that is nothing else is none. */
static void test_clean_subject(void **state)
{
  (void)state;
  const char *const cases[][2] = {
    { "Re: Lost phone", "Lost phone" },
    { "RE: FW: Lost phone", "Lost phone" },
    { "  fwd:Lost phone ", "Lost phone" },
    { "AW: WG: TR: Lost phone", "Lost phone" },
    { "Lost phone: Re: train", "Lost phone: Re: train" },
    { "Re: ", NULL },
    { "   ", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *clean = report_clean_subject(cases[i][0]);
    if (g_strcmp0(clean, cases[i][1]) != 0)
      print_error("\"%s\": \"%s\"\n", cases[i][0], clean ? clean : "(none)");
    assert_true(g_strcmp0(clean, cases[i][1]) == 0);
  }
  assert_null(report_clean_subject(NULL));
}

/* The incident read from a mail whose body says little, with these text
 * attachments (NULL-terminated). */
static IgIncident *with_attachments(const char *const *attachments)
{
  g_autoptr(IgConfig) config = config_load_data(conf, strlen(conf), "t.conf", NULL);
  assert_non_null(config);
  GString *raw = g_string_new("From: Jane Smith <jane.smith@justice.gov.uk>\n"
                              "Subject: Incident\nMIME-Version: 1.0\n"
                              "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
                              "--m\nContent-Type: text/plain\n\nPlease see attached.\n");
  for (int i = 0; attachments[i]; i++)
    g_string_append_printf(raw, "--m\nContent-Type: text/plain\n"
                           "Content-Disposition: attachment; filename=\"part%d.txt\"\n\n%s", i,
                           attachments[i]);
  g_string_append(raw, "--m--\n");
  g_autoptr(IgMail) mail = mail_parse(raw->str, raw->len, NULL);
  g_string_free(raw, TRUE);
  assert_non_null(mail);
  g_autoptr(GDateTime) received = g_date_time_new_utc(2026, 11, 23, 10, 30, 0);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func(g_free);
  return report_build(config, mail, received, problems, decisions);
}

/* The first attached form is the report, even when a later one has more
 * fields; attachments that are no form leave the report free text. */
static void test_form_from_attachment(void **state)
{
  (void)state;
  const char *const two_forms[] = {
    "Reporter name: Jane Smith\nImpact: Low\nIncident category: Malware\n",
    "Reporter name: Jane Smith\nImpact: High\nIncident category: Phishing\n"
    "Personal data involved: Yes\nDescription: a second form\n",
    NULL,
  };
  IgIncident *inc = with_attachments(two_forms);
  assert_string_equal(inc->source, "form");
  assert_string_equal(inc->impact, "low");
  assert_string_equal(inc->category, "malware");
  incident_free(inc);

  const char *const notes[] = { "Some notes of mine, no form here.\n", NULL };
  inc = with_attachments(notes);
  assert_string_equal(inc->source, "free_text");
  assert_null(inc->impact);
  incident_free(inc);
}

/* A form detected at this time ("Detected at: when"), sent at 10:29. */
static Built detected(const char *when)
{
  g_autofree char *raw = g_strdup_printf(
      "From: Chloe Barker <chloe.barker@justice.gov.uk>\n"
      "Subject: Phishing form\nDate: Mon, 23 Nov 2026 10:29:00 +0000\n\n"
      "Reporter name: Chloe Barker\nDetected at: %s\n"
      "Incident category: Phishing\nImpact: Low\n", when);
  return build(raw);
}

/* A detection time the form gives whole is taken as written, not decided
 * by rule; one that no rule reads either stays a problem to ask about. */
static void test_form_detection(void **state)
{
  (void)state;
  Built whole = detected("23/11/2026 09:30");
  assert_string_equal(whole.inc->detected_at, "2026-11-23T09:30:00Z");
  assert_int_equal(whole.inc->minutes_to_report, 60);
  assert_int_equal(whole.problems->len, 0);
  assert_int_equal(whole.decisions->len, 0);
  done(&whole);
  Built vague = detected("sometime last week");
  assert_null(vague.inc->detected_at);
  assert_int_equal(vague.inc->minutes_to_report, -1);
  assert_true(has_problem(&vague, "Date and time of detection: could not read 'sometime last "
                                  "week' (need a date and a time)"));
  done(&vague);
}

/* A member of staff filling the form in for a colleague: the colleague is
 * the reporter, and nobody relayed it (only a help desk or supplier
 * does). */
static void test_form_for_a_colleague(void **state)
{
  (void)state;
  Built b = build("From: Chloe Barker <chloe.barker@justice.gov.uk>\n"
                  "Subject: Form for a colleague\n\nReporter name: Ann Lee\n"
                  "Reporter email: ann.lee@justice.gov.uk\nIncident category: Phishing\n"
                  "Impact: Low\n");
  assert_string_equal(b.inc->source, "form");
  assert_string_equal(b.inc->reporter_email, "ann.lee@justice.gov.uk");
  assert_string_equal(b.inc->via, "direct");
  assert_null(b.inc->forwarded_by);
  done(&b);
}

/* A reply's form lines: one line is enough, an information asset gets
 * its owner; a reply with none gives nothing. */
static void test_form_fields_of_a_reply(void **state)
{
  (void)state;
  g_autoptr(IgConfig) config = config_load_data(conf, strlen(conf), "t.conf", NULL);
  assert_non_null(config);
  g_autoptr(GDateTime) sent = g_date_time_new_utc(2026, 11, 23, 11, 0, 0);
  g_autoptr(GDateTime) received = g_date_time_new_utc(2026, 11, 23, 10, 30, 0);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  IgIncident *inc = report_form_fields(config, "Impact: high\n", sent, received, problems);
  assert_non_null(inc);
  assert_string_equal(inc->impact, "high");
  incident_free(inc);
  inc = report_form_fields(config, "Information asset: Prison NOMIS\nImpact: low\n", sent,
                           received, problems);
  assert_non_null(inc);
  assert_string_equal(inc->information_asset, "Prison NOMIS");
  assert_string_equal(inc->asset_owner, "nomis.iao@justice.gov.uk");
  incident_free(inc);
  assert_null(report_form_fields(config, "Thanks, nothing to add.\n", sent, received,
                                 problems));
  assert_int_equal(problems->len, 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_field_labels),
    cmocka_unit_test(test_clean_subject),
    cmocka_unit_test(test_form_from_attachment),
    cmocka_unit_test(test_form_detection),
    cmocka_unit_test(test_form_for_a_colleague),
    cmocka_unit_test(test_form_fields_of_a_reply),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

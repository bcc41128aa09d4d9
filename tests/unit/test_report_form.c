/* test_report_form.c - unit tests for gateway/report.c's form helpers:
 * each form field's label as notices name it, a subject cleaned of reply
 * and forward prefixes, and the form read from a text attachment when the
 * body holds none (the first attachment that is a form, none read past
 * the last). test_report.c covers the rest of report_build(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "gateway/config.h"
#include "gateway/report.h"
#include "parsers/mail.h"

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
static IgIncident *build(const char *const *attachments)
{
  static const char conf[] = "[gateway]\naddress = security@justice.gov.uk\n";
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
  IgIncident *inc = build(two_forms);
  assert_string_equal(inc->source, "form");
  assert_string_equal(inc->impact, "low");
  assert_string_equal(inc->category, "malware");
  incident_free(inc);

  const char *const notes[] = { "Some notes of mine, no form here.\n", NULL };
  inc = build(notes);
  assert_string_equal(inc->source, "free_text");
  assert_null(inc->impact);
  incident_free(inc);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_field_labels),
    cmocka_unit_test(test_clean_subject),
    cmocka_unit_test(test_form_from_attachment),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

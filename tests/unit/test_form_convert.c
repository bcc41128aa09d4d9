/* test_form_convert.c - unit tests for parsers/form_convert.c and
 * form_values.c, through form_parse(): what the values of a form become
 * (the category, impact and yes/no/unknown tables, the reporter's
 * address, a near miss left blank or unsure), and the problems reported
 * for values that cannot be read, a long one shortened. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/form.h"
#include "tests/unit/form_fixture.h"

typedef struct {
  const char *in, *out;
} Pair;

static void test_category_table(void **state)
{
  static const Pair pairs[] = {
    { "Phishing", "phishing" }, { "phishing", "phishing" },
    { "Phishing email", "phishing" }, { "Phishing e-mail", "phishing" },
    { "Spear-phishing", "phishing" },
    { "Malware", "malware" }, { "Virus", "malware" },
    { "Ransomware", "malware" },
    { "Unauthorised access", "unauthorised-access" },
    { "Unauthorised Access", "unauthorised-access" },
    { "Unauthorized access", "unauthorised-access" },
    { "unauthorised-access", "unauthorised-access" },
    { "UNAUTHORISED_ACCESS", "unauthorised-access" },
    { "Account compromise", "account-compromise" },
    { "Compromised account", "account-compromise" },
    { "account-compromise", "account-compromise" },
    { "Lost or stolen equipment", "lost-or-stolen-equipment" },
    { "Lost/stolen equipment", "lost-or-stolen-equipment" },
    { "Lost / stolen equipment", "lost-or-stolen-equipment" },
    { "lost-or-stolen-equipment", "lost-or-stolen-equipment" },
    { "Lost equipment", "lost-or-stolen-equipment" },
    { "Stolen laptop", "lost-or-stolen-equipment" },
    { "Theft", "lost-or-stolen-equipment" },
    { "Data breach", "data-breach" }, { "Data loss", "data-breach" },
    { "data-breach", "data-breach" },
    { "Denial of service", "denial-of-service" },
    { "Denial-of-service", "denial-of-service" },
    { "DoS", "denial-of-service" }, { "DDoS", "denial-of-service" },
    { "DDoS attack", "denial-of-service" },
    { "Policy breach", "policy-breach" },
    { "Breach of policy", "policy-breach" },
    { "Suspicious activity", "suspicious-activity" },
    { "suspicious-activity", "suspicious-activity" },
    { "Supply chain", "supply-chain" }, { "Supply-chain", "supply-chain" },
    { "Supplier incident", "supply-chain" },
    { "Physical security", "physical" }, { "Physical", "physical" },
    { "Other", "other" }, { "Other - see description", "other" },
    { "Phishing (email to 40 staff)", "phishing" },
    { "  malware.  ", "malware" },
    /* not guessed */
    { "Phishing/malware", NULL }, { "Hacking", NULL }, { "", NULL },
    { "Datas breach", NULL }, { "Phishingish", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++) {
    const char *got = form_normalize_category(pairs[i].in);
    if (g_strcmp0(got, pairs[i].out) != 0) {
      print_error("category '%s': got %s\n", pairs[i].in, got ? got : "NULL");
      fail();
    }
  }
  assert_null(form_normalize_category(NULL));
  for (gsize i = 0; form_categories[i]; i++)
    assert_string_equal(form_normalize_category(form_categories[i]),
                        form_categories[i]);
}

static void test_impact_and_yes_no_tables(void **state)
{
  static const Pair impacts[] = {
    { "Low", "low" }, { "LOW", "low" }, { "low impact", "low" },
    { "Med", "medium" }, { "Medium", "medium" }, { "med.", "medium" },
    { "High", "high" }, { "High - two prisons offline", "high" },
    { "high (service down)", "high" },
    { "Critical", NULL }, { "severe", NULL }, { "medium-high", NULL },
    { "highest", NULL },
  };
  static const Pair yes_no[] = {
    { "Yes", "yes" }, { "Y", "yes" }, { "y", "yes" },
    { "yes - names and addresses of 40 prisoners", "yes" },
    { "Yes, names", "yes" },
    { "No", "no" }, { "N", "no" }, { "None", "no" }, { "no.", "no" },
    { "Unknown", "unknown" }, { "Not sure", "unknown" },
    { "Don't know", "unknown" }, { "Don\xE2\x80\x99t know", "unknown" },
    { "Unsure", "unknown" }, { "TBC", "unknown" },
    { "Not known yet", "unknown" },
    { "Nope", "no" }, { "Yesterday", NULL }, { "Nothing", NULL },
    { "n/a", NULL }, { "maybe later", "unknown" }, { "perhaps", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(impacts); i++) {
    const char *got = form_normalize_impact(impacts[i].in);
    if (g_strcmp0(got, impacts[i].out) != 0) {
      print_error("impact '%s': got %s\n", impacts[i].in, got ? got : "NULL");
      fail();
    }
  }
  for (gsize i = 0; i < G_N_ELEMENTS(yes_no); i++) {
    const char *got = form_normalize_yes_no_unknown(yes_no[i].in);
    if (g_strcmp0(got, yes_no[i].out) != 0) {
      print_error("yes/no '%s': got %s\n", yes_no[i].in, got ? got : "NULL");
      fail();
    }
  }
  {
    static const char *const want[] = {
      "Impact: 'Critical' is not low, medium or high", NULL };
    g_autoptr(IgForm) f = parse("Impact: Critical\n");
    assert_null(f->impact);
    expect_problems(f, want);
  }
  expect_field("Near miss: yes\n", NEAR_MISS, "1");
  expect_field("Near-miss: N\n", NEAR_MISS, "0");
  expect_field("Near miss: not sure\n", NEAR_MISS, "-1");
  expect_field("Impact: x\n", NEAR_MISS, "0");
}

static void test_problems(void **state)
{
  const char *text =
      "Reporter email: jane at justice\n"
      "Date and time of detection: 22/11/2026\n"
      "Date/time of incident: last Tuesday\n"
      "Category: Hacking\n"
      "Severity: severe\n"
      "Personal data: perhaps\n"
      "Near miss: sort of\n";
  static const char *const want[] = {
    "Reporter email: 'jane at justice' is not an email address",
    "Date and time of detection: could not read '22/11/2026' (need a date "
    "and a time)",
    "Date and time of incident: could not read 'last Tuesday' (need a date "
    "and a time)",
    "Incident category: 'Hacking' is not one of phishing, malware, "
    "unauthorised-access, account-compromise, lost-or-stolen-equipment, "
    "data-breach, denial-of-service, policy-breach, suspicious-activity, "
    "supply-chain, physical, other",
    "Impact: 'severe' is not low, medium or high",
    "Personal data involved: 'perhaps' is not yes, no or unknown",
    "Near miss: 'sort of' is not yes or no",
    NULL,
  };
  g_autoptr(IgForm) f = parse(text);
  assert_null(f->reporter_email);
  assert_null(f->detected_at);
  assert_null(f->occurred_at);
  assert_null(f->category);
  assert_null(f->impact);
  assert_null(f->personal_data);
  assert_int_equal(f->near_miss, -1);
  assert_int_equal(f->labels_found, 7);
  expect_problems(f, want);
}

static void test_long_bad_value_is_shortened(void **state)
{
  g_autoptr(GString) s = g_string_new("Impact: ");
  for (int i = 0; i < 100; i++)
    g_string_append(s, "\xC3\xA9"); /* é: the cut must not split it */
  {
    g_autoptr(IgForm) f = parse(s->str);
    const char *p;
    assert_int_equal(f->problems->len, 1);
    p = f->problems->pdata[0];
    assert_true(g_utf8_validate(p, -1, NULL));
    assert_true(g_str_has_suffix(p, "...' is not low, medium or high"));
    assert_true(strlen(p) < 120);
  }
}

static void test_email_extraction(void **state)
{
  expect_field("Email: jane.smith@justice.gov.uk\n", EMAIL,
               "jane.smith@justice.gov.uk");
  expect_field("Email: Jane Smith <JANE.SMITH@JUSTICE.GOV.UK>\n", EMAIL,
               "jane.smith@justice.gov.uk");
  expect_field("Email: jane@justice.gov.uk (work)\n", EMAIL,
               "jane@justice.gov.uk");
  expect_field("Email: mailto:jane@justice.gov.uk\n", EMAIL,
               "jane@justice.gov.uk");
  expect_field("Email: jane@@justice.gov.uk\n", EMAIL, NULL);
  expect_field("Email: jane@localhost\n", EMAIL, NULL);
  expect_field("Email: <>\n", EMAIL, NULL);
}

/* Class: a near miss left blank or unsure is unknown (-1), not "no". */
static void test_near_miss_unknown(void **state)
{
  expect_field("Reporter name: A\nNear miss:\nImpact: Low\n", NEAR_MISS,
               "-1");
  expect_field("Reporter name: A\nNear miss:   \n\nImpact: Low\n",
               NEAR_MISS, "-1");
  expect_field("Reporter name: A\nNear miss: not sure\nImpact: Low\n",
               NEAR_MISS, "-1");
  expect_field("Reporter name: A\nNear miss: N/A\nImpact: Low\n", NEAR_MISS,
               "-1");
  expect_field("Reporter name: A\nImpact: Low\n", NEAR_MISS, "0");
  expect_field("Reporter name: A\nNear miss: No\nImpact: Low\n", NEAR_MISS,
               "0");
  expect_field("Reporter name: A\nNear miss | : | Yes\nImpact: Low\n",
               NEAR_MISS, "1");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_category_table),
    cmocka_unit_test(test_impact_and_yes_no_tables),
    cmocka_unit_test(test_problems),
    cmocka_unit_test(test_long_bad_value_is_shortened),
    cmocka_unit_test(test_email_extraction),
    cmocka_unit_test(test_near_miss_unknown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

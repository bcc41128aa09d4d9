/* test_form_convert.c - unit tests for parsers/form_convert.c and
 * form_values.c, through form_parse(): what the values of a form become
 * (the category, impact and yes/no/unknown tables, the reporter's
 * address among other words and at the edges of its rules and lengths, a
 * near miss left blank or unsure), and the problems reported for values
 * that cannot be read, a long one shortened to 60 bytes. */
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

/* A bad value is quoted whole up to 60 bytes; a longer one is cut to 60,
 * or less so as not to split a character. */
static void test_quote_length(void **state)
{
  static const char why[] = "' is not low, medium or high";
  g_autofree char *x60 = g_strnfill(60, 'x'), *x61 = g_strnfill(61, 'x');
  g_autoptr(GString) e = g_string_new("x");
  g_autoptr(GString) e29 = g_string_new("x");
  for (int i = 0; i < 40; i++)
    g_string_append(e, "\xC3\xA9"); /* byte 60 is inside an é */
  for (int i = 0; i < 29; i++)
    g_string_append(e29, "\xC3\xA9");
  {
    g_autofree char *text = g_strdup_printf("Impact: %s\n", x60);
    g_autofree char *want = g_strdup_printf("Impact: '%s%s", x60, why);
    const char *const wants[] = { want, NULL };
    g_autoptr(IgForm) f = parse(text);
    expect_problems(f, wants);
  }
  {
    g_autofree char *text = g_strdup_printf("Impact: %s\n", x61);
    g_autofree char *want = g_strdup_printf("Impact: '%s...%s", x60, why);
    const char *const wants[] = { want, NULL };
    g_autoptr(IgForm) f = parse(text);
    expect_problems(f, wants);
  }
  {
    g_autofree char *text = g_strdup_printf("Impact: %s\n", e->str);
    g_autofree char *want =
        g_strdup_printf("Impact: '%s...%s", e29->str, why);
    const char *const wants[] = { want, NULL };
    g_autoptr(IgForm) f = parse(text);
    expect_problems(f, wants);
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

/* The address among other words, and the edges of what is an address. */
static void test_email_edges(void **state)
{
  static const Pair pairs[] = {
    { "Jane <jane@justice.gov.uk", "jane@justice.gov.uk" },
    { "Jane Smith jane.smith@justice.gov.uk",
      "jane.smith@justice.gov.uk" },
    { "It is jane@justice.gov.uk.", "jane@justice.gov.uk" },
    { "j.smith@justice.gov.uk", "j.smith@justice.gov.uk" },
    { "smith.j@justice.gov.uk", "smith.j@justice.gov.uk" },
    { "@justice.gov.uk", NULL },
    { ".jane@justice.gov.uk", NULL },
    { "jane.@justice.gov.uk", NULL },
    { "jane..smith@justice.gov.uk", NULL },
    { "jane@.justice.gov.uk", NULL },
    { "jane@-justice.gov.uk", NULL },
    { "jane@justice.gov.uk-", NULL },
    { "<jane smith@justice.gov.uk>", NULL },
    { "jane@justice_gov.uk", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++) {
    g_autofree char *text = g_strdup_printf("Email: %s\n", pairs[i].in);
    expect_field(text, EMAIL, pairs[i].out);
  }
}

/* An address is at most 254 bytes, the part before the @ at most 64. */
static void test_email_length(void **state)
{
  g_autofree char *l64 = g_strnfill(64, 'a'), *l65 = g_strnfill(65, 'a');
  /* 64 + "@" + 185 + ".com" = 254 */
  g_autofree char *d185 = g_strnfill(185, 'b'), *d186 = g_strnfill(186, 'b');
  g_autofree char *a254 = g_strdup_printf("%s@%s.com", l64, d185);
  g_autofree char *a255 = g_strdup_printf("%s@%s.com", l64, d186);
  g_autofree char *local64 = g_strdup_printf("%s@justice.gov.uk", l64);
  g_autofree char *local65 = g_strdup_printf("%s@justice.gov.uk", l65);
  const char *const ok[] = { a254, local64 };
  const char *const bad[] = { a255, local65 };
  assert_int_equal(strlen(a254), 254);
  for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
    g_autofree char *text = g_strdup_printf("Email: %s\n", ok[i]);
    expect_field(text, EMAIL, ok[i]);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *text = g_strdup_printf("Email: %s\n", bad[i]);
    expect_field(text, EMAIL, NULL);
  }
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
    cmocka_unit_test(test_quote_length),
    cmocka_unit_test(test_email_extraction),
    cmocka_unit_test(test_email_edges),
    cmocka_unit_test(test_email_length),
    cmocka_unit_test(test_near_miss_unknown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

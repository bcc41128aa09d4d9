/* test_form.c - unit tests for parsers/form.c: label variants and their
 * decorations, where a value starts and stops (continuations, signatures,
 * quotes, forwards), first-wins duplicates, the enumeration tables, the
 * problems reported for unreadable values, and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/form.h"
#include "parsers/form_labels.h"

enum { NAME, EMAIL, PHONE, AREA, DETECTED, OCCURRED, CATEGORY, IMPACT,
       PERSONAL, NEAR_MISS, SYSTEMS, ASSET, SUPPLIER, DESCRIPTION, ACTIONS };

static IgForm *parse(const char *text)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/London");
  assert_non_null(tz); /* needs tzdata */
  return form_parse(text, tz);
}

static char *format_time(GDateTime *dt)
{
  return dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* Any field as text, so that one table can test every field. */
static char *field_text(const IgForm *f, int field)
{
  switch (field) {
  case NAME: return g_strdup(f->reporter_name);
  case EMAIL: return g_strdup(f->reporter_email);
  case PHONE: return g_strdup(f->reporter_phone);
  case AREA: return g_strdup(f->business_area);
  case DETECTED: return format_time(f->detected_at);
  case OCCURRED: return format_time(f->occurred_at);
  case CATEGORY: return g_strdup(f->category);
  case IMPACT: return g_strdup(f->impact);
  case PERSONAL: return g_strdup(f->personal_data);
  case NEAR_MISS: return g_strdup_printf("%d", f->near_miss);
  case SYSTEMS: return g_strdup(f->systems_affected);
  case ASSET: return g_strdup(f->information_asset);
  case SUPPLIER: return g_strdup(f->supplier);
  case DESCRIPTION: return g_strdup(f->description);
  case ACTIONS: return g_strdup(f->actions_taken);
  default: return NULL;
  }
}

static void expect_field(const char *text, int field, const char *want)
{
  g_autoptr(IgForm) f = parse(text);
  g_autofree char *got = field_text(f, field);
  if (g_strcmp0(got, want) != 0) {
    print_error("field %d of '%s': got '%s', want '%s'\n", field, text,
                got ? got : "NULL", want ? want : "NULL");
    fail();
  }
}

static void expect_problems(const IgForm *f, const char *const *want)
{
  gsize n = 0;
  while (want[n])
    n++;
  for (guint i = 0; i < f->problems->len; i++)
    print_message("problem: %s\n", (char *)f->problems->pdata[i]);
  assert_int_equal(f->problems->len, n);
  for (gsize i = 0; i < n; i++)
    assert_string_equal(f->problems->pdata[i], want[i]);
}

static const char *const no_problems[] = { NULL };

static void test_full_form(void **state)
{
  const char *text =
      "Reporter name: Jane Smith\n"
      "Reporter email: Jane.Smith@Justice.gov.uk\n"
      "Reporter phone: 020 7946 0000\n"
      "Business group: HMPPS\n"
      "Date and time of detection: 22/11/2026 14:05\n"
      "Date and time of incident: 2026-07-01 09:30\n"
      "Incident category: Phishing\n"
      "Impact: Medium\n"
      "Personal data involved: Yes\n"
      "Near miss: No\n"
      "Systems affected: Outlook\n"
      "Information asset: Prisoner records\n"
      "Supplier: Acme Ltd\n"
      "Description: A user clicked a link.\n"
      "Actions taken: Password reset.\n";
  g_autoptr(IgForm) f = parse(text);
  g_autofree char *det = format_time(f->detected_at);
  g_autofree char *occ = format_time(f->occurred_at);
  assert_string_equal(f->reporter_name, "Jane Smith");
  assert_string_equal(f->reporter_email, "jane.smith@justice.gov.uk");
  assert_string_equal(f->reporter_phone, "020 7946 0000");
  assert_string_equal(f->business_area, "HMPPS");
  assert_string_equal(det, "2026-11-22T14:05:00Z");
  assert_string_equal(occ, "2026-07-01T08:30:00Z"); /* BST */
  assert_string_equal(f->category, "phishing");
  assert_string_equal(f->impact, "medium");
  assert_string_equal(f->personal_data, "yes");
  assert_int_equal(f->near_miss, 0);
  assert_string_equal(f->systems_affected, "Outlook");
  assert_string_equal(f->information_asset, "Prisoner records");
  assert_string_equal(f->supplier, "Acme Ltd");
  assert_string_equal(f->description, "A user clicked a link.");
  assert_string_equal(f->actions_taken, "Password reset.");
  assert_int_equal(f->labels_found, 15);
  assert_true(form_is_form(f));
  expect_problems(f, no_problems);
}

typedef struct {
  const char *label;
  int field;
} Variant;

static const Variant variants[] = {
  { "Reporter name", NAME }, { "Reporter", NAME }, { "Name", NAME },
  { "Your name", NAME }, { "Reported by", NAME },
  { "Name of reporter", NAME }, { "Full name", NAME },
  { "Reporter email", EMAIL }, { "Email", EMAIL }, { "E-mail", EMAIL },
  { "Email address", EMAIL }, { "Reporter e-mail", EMAIL },
  { "Contact email", EMAIL },
  { "Reporter phone", PHONE }, { "Phone", PHONE }, { "Telephone", PHONE },
  { "Tel", PHONE }, { "Tel.", PHONE }, { "Phone number", PHONE },
  { "Contact number", PHONE }, { "Mobile", PHONE },
  { "Business group", AREA }, { "Business area", AREA },
  { "Business unit", AREA }, { "Directorate", AREA }, { "Department", AREA },
  { "Team", AREA },
  { "Date and time of detection", DETECTED },
  { "Date/time detected", DETECTED }, { "Date and time detected", DETECTED },
  { "Detected at", DETECTED }, { "Detected", DETECTED },
  { "Time detected", DETECTED }, { "When detected", DETECTED },
  { "Date of detection", DETECTED }, { "Detection date/time", DETECTED },
  { "Date/time of detection", DETECTED },
  { "Date / Time Detected", DETECTED },
  { "Date & time of detection", DETECTED },
  { "Date and time of detection (dd/mm/yyyy hh:mm)", DETECTED },
  { "Date and time of incident", OCCURRED },
  { "Date/time of incident", OCCURRED }, { "Incident date/time", OCCURRED },
  { "Occurred at", OCCURRED }, { "When did it happen", OCCURRED },
  { "When did it happen?", OCCURRED }, { "Date of incident", OCCURRED },
  { "Time of incident", OCCURRED },
  { "Incident category", CATEGORY }, { "Category", CATEGORY },
  { "Type of incident", CATEGORY }, { "Incident type", CATEGORY },
  { "Impact", IMPACT }, { "Impact level", IMPACT }, { "Severity", IMPACT },
  { "Personal data involved", PERSONAL }, { "Personal data", PERSONAL },
  { "Personal information involved", PERSONAL },
  { "Does it involve personal data", PERSONAL },
  { "Does it involve personal data?", PERSONAL },
  { "Personal data (yes/no/unknown)", PERSONAL },
  { "Near miss", NEAR_MISS }, { "Near-miss", NEAR_MISS },
  { "Was this a near miss", NEAR_MISS },
  { "Was this a near miss?", NEAR_MISS },
  { "Systems affected", SYSTEMS }, { "System(s) affected", SYSTEMS },
  { "Affected systems", SYSTEMS }, { "Systems", SYSTEMS },
  { "System affected", SYSTEMS },
  { "Information asset", ASSET }, { "Information asset affected", ASSET },
  { "Asset", ASSET },
  { "Supplier", SUPPLIER }, { "Supplier name", SUPPLIER },
  { "Third party", SUPPLIER }, { "Contractor", SUPPLIER },
  { "Description", DESCRIPTION }, { "Description of incident", DESCRIPTION },
  { "Incident description", DESCRIPTION },
  { "What happened", DESCRIPTION }, { "Details", DESCRIPTION },
  { "Summary of incident", DESCRIPTION },
  { "Actions taken", ACTIONS }, { "Action taken", ACTIONS },
  { "Actions taken so far", ACTIONS }, { "What have you done", ACTIONS },
  { "Immediate actions", ACTIONS },
};

/* A value each field accepts, and what it becomes. */
static const char *const sample_in[] = {
  "Jane Smith", "Jane Smith <Jane.Smith@Justice.GOV.uk>", "07700 900123",
  "HMPPS", "22/11/2026 14:05", "21 Nov 2026 9am", "Lost/stolen equipment",
  "HIGH", "Unknown", "Yes", "Outlook, SharePoint", "Payroll",
  "Acme Ltd", "Laptop left on a train.", "Reported to police.",
};
static const char *const sample_out[] = {
  "Jane Smith", "jane.smith@justice.gov.uk", "07700 900123",
  "HMPPS", "2026-11-22T14:05:00Z", "2026-11-21T09:00:00Z",
  "lost-or-stolen-equipment", "high", "unknown", "1", "Outlook, SharePoint",
  "Payroll", "Acme Ltd", "Laptop left on a train.", "Reported to police.",
};

static void test_every_label_variant(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(variants); i++) {
    const Variant *v = &variants[i];
    g_autofree char *text =
        g_strdup_printf("%s: %s\n", v->label, sample_in[v->field]);
    g_autofree char *upper = g_ascii_strup(text, -1);
    g_autoptr(IgForm) f = parse(text);
    expect_field(text, v->field, sample_out[v->field]);
    assert_int_equal(f->labels_found, 1);
    assert_false(form_is_form(f));
    /* labels are case-insensitive; the value is kept as typed */
    if (v->field == CATEGORY || v->field == IMPACT || v->field == PERSONAL ||
        v->field == NEAR_MISS || v->field == DETECTED || v->field == OCCURRED)
      expect_field(upper, v->field, sample_out[v->field]);
  }
}

/* The parser finds labels by bsearch() in the table of form_labels.h, so
 * the table must stay in strcmp() order; and every label in it must read
 * as its own field. */
static void test_label_table(void **state)
{
  G_STATIC_ASSERT((int)F_REPORTER_NAME == NAME &&
                  (int)F_ACTIONS_TAKEN == ACTIONS);
  for (gsize i = 0; i < G_N_ELEMENTS(label_table); i++) {
    const LabelEntry *e = &label_table[i];
    g_autofree char *text =
        g_strdup_printf("%s: %s\n", e->label, sample_in[e->field]);
    if (i > 0 && strcmp(label_table[i - 1].label, e->label) >= 0) {
      print_error("'%s' is out of order\n", e->label);
      fail();
    }
    expect_field(text, (int)e->field, sample_out[e->field]);
  }
}

static void test_label_decorations(void **state)
{
  static const char *const texts[] = {
    "Reporter name: Jane Smith",
    "reporter name: Jane Smith",
    "REPORTER NAME: Jane Smith",
    "Reporter   name  :   Jane Smith   ",
    "\tReporter name:\tJane Smith",
    "Reporter name*: Jane Smith",
    "Reporter name *: Jane Smith",
    "Reporter name (required): Jane Smith",
    "Reporter name (Required) : Jane Smith",
    "- Reporter name: Jane Smith",
    "* Reporter name: Jane Smith",
    "+ Reporter name: Jane Smith",
    "\xE2\x80\xA2 Reporter name: Jane Smith",
    "1. Reporter name: Jane Smith",
    "12) Reporter name: Jane Smith",
    "## Reporter name: Jane Smith",
    "**Reporter name:** Jane Smith",
    "**Reporter name**: Jane Smith",
    "__Reporter name:__ Jane Smith",
    "- **Reporter name:** Jane Smith",
    "Reporter name = Jane Smith",
    "Reporter name:Jane Smith",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    expect_field(texts[i], NAME, "Jane Smith");
  /* not labels: unknown words, too long, or the colon too far along */
  expect_field("Reporter nam: Jane", NAME, NULL);
  expect_field("The reporter name was: Jane", NAME, NULL);
  expect_field("-Reporter name: Jane", NAME, NULL);
}

static void test_form_after_greeting(void **state)
{
  const char *text =
      "Hi team,\n"
      "\n"
      "Please find my report below:\n"
      "\n"
      "Reporter name: Sam Jones\n"
      "Impact: low\n"
      "Description: Tailgating at the main entrance.\n";
  g_autoptr(IgForm) f = parse(text);
  assert_string_equal(f->reporter_name, "Sam Jones");
  assert_string_equal(f->impact, "low");
  assert_string_equal(f->description, "Tailgating at the main entrance.");
  assert_int_equal(f->labels_found, 3);
  assert_true(form_is_form(f));
}

static void test_multiline_description(void **state)
{
  /* unindented continuation, a "Note:" that is not a label, and blank
   * lines collapsed to one paragraph break */
  expect_field("Description: First line\n"
               "second line\n"
               "Note: the user was on leave\n"
               "\n\n\n"
               "Third paragraph.\n"
               "\n"
               "Impact: low\n",
               DESCRIPTION,
               "First line\nsecond line\nNote: the user was on leave\n\n"
               "Third paragraph.");
  /* the value may start on the next line; common indentation goes */
  expect_field("Description:\n"
               "    Laptop stolen\n"
               "      from car\n"
               "    overnight.\n"
               "\n"
               "Actions taken: None\n",
               DESCRIPTION, "Laptop stolen\n  from car\novernight.");
  /* indentation is only removed when every line shares it */
  expect_field("Description: A\n    B\nC\n", DESCRIPTION, "A\n    B\nC");
  expect_field("Actions taken: Reset password\n"
               "- Blocked sender\n"
               "- Reported to NCSC\n",
               ACTIONS,
               "Reset password\n- Blocked sender\n- Reported to NCSC");
  expect_field("Systems affected:\nOutlook\nSharePoint\n\n", SYSTEMS,
               "Outlook\nSharePoint");
}

static void test_single_line_fields(void **state)
{
  /* indented lines continue a single-line field, joined by a space */
  expect_field("Reporter name: Jane\n   Smith\nImpact: low\n", NAME,
               "Jane Smith");
  expect_field("Date and time of detection: 22/11/2026\n    14:05\n",
               DETECTED, "2026-11-22T14:05:00Z");
  /* an unindented line ends it and belongs to no field */
  expect_field("Reporter name: Jane\nSmith\n", NAME, "Jane");
  expect_field("Reporter name: Jane\n\n   Smith\n", NAME, "Jane");
  expect_field("Impact: low\nit was only one user\nDescription: x\n", IMPACT,
               "low");
  expect_field("Impact: low\nit was only one user\nDescription: x\n",
               DESCRIPTION, "x");
  expect_field("Supplier: Acme\nLtd\n", SUPPLIER, "Acme");
  /* a label left empty takes the one line right under it */
  expect_field("Reporter name:\nJane Smith\nSmithers\n", NAME, "Jane Smith");
  expect_field("Impact:\nHigh\nCategory:\nMalware\n", CATEGORY, "malware");
  expect_field("Reporter name:\n\nJane Smith\n", NAME, NULL);
  expect_field("Information asset: HR\n  records\n", ASSET, "HR records");
}

static void test_signature_stops(void **state)
{
  const char *text = "Reporter name: Jane Smith\n"
                     "Description: Phishing email received.\n"
                     "Clicked nothing.\n"
                     "-- \n"
                     "Jane Smith\n"
                     "Tel: 020 7946 0000\n"
                     "Team: Cyber\n";
  g_autoptr(IgForm) f = parse(text);
  assert_string_equal(f->description,
                      "Phishing email received.\nClicked nothing.");
  assert_null(f->reporter_phone);
  assert_null(f->business_area);
  assert_int_equal(f->labels_found, 2);
  expect_field("Description: x\n--\nJane\n", DESCRIPTION, "x");
  /* a sign-off after the form starts the signature too */
  expect_field("Description: x\n\nKind regards,\nJane\nMobile: 07700\n",
               DESCRIPTION, "x");
  expect_field("Description: x\n\nKind regards,\nJane\nMobile: 07700\n",
               PHONE, NULL);
  /* the reporter signing with their name alone is not part of a value */
  expect_field("Reporter name: David Okafor\n"
               "Actions taken: Reported it.\nPhoned the desk.\n\nDavid\n",
               ACTIONS, "Reported it.\nPhoned the desk.");
  expect_field("Reporter name: David Okafor\n"
               "Description: Lost it.\n\nDavid Okafor\n\n",
               DESCRIPTION, "Lost it.");
  expect_field("Reporter name: David Okafor\n"
               "Description: Lost it.\n\nDavid said so.\n",
               DESCRIPTION, "Lost it.\n\nDavid said so.");
  /* but a sign-off before any label is just text */
  expect_field("Thanks,\nImpact: low\n", IMPACT, "low");
}

static void test_quoted_text_stops(void **state)
{
  const char *text = "Description: It happened again.\n"
                     "> Description: old text\n"
                     "> Impact: high\n"
                     "Impact: low\n";
  g_autoptr(IgForm) f = parse(text);
  assert_string_equal(f->description, "It happened again.");
  assert_string_equal(f->impact, "low");
  assert_int_equal(f->labels_found, 2);
}

static void test_forward_markers_stop(void **state)
{
  static const char *const markers[] = {
    "-----Original Message-----",
    "---------- Forwarded message ---------",
    "-------- Original Message --------",
    "Begin forwarded message:",
    "From: Bob <bob@acme.example>\nSent: 22 November 2026 14:00",
    "From: Bob <bob@acme.example>\nDate: Sun, 22 Nov 2026 14:00",
    "**From:** Bob\n**Sent:** Sunday",
    "________________________________\nFrom: Bob\nSent: Sunday",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(markers); i++) {
    g_autofree char *text = g_strdup_printf(
        "Description: Forwarding the report below.\n%s\nTo: security\n\n"
        "Reporter name: Bob\nDescription: Their laptop was stolen.\n",
        markers[i]);
    g_autoptr(IgForm) f = parse(text);
    assert_string_equal(f->description, "Forwarding the report below.");
    /* the forwarded form is still read; earlier values win */
    assert_string_equal(f->reporter_name, "Bob");
  }
  /* a From: line alone is text */
  expect_field("Description: a\nFrom: the logs\nit was odd\n", DESCRIPTION,
               "a\nFrom: the logs\nit was odd");
}

static void test_duplicates_first_non_empty_wins(void **state)
{
  const char *text = "Impact: high\n"
                     "Reporter name:\n"
                     "Impact: low\n"
                     "Reporter name: Second\n"
                     "Reporter name: Third\n"
                     "Supplier: N/A\n"
                     "Supplier: Acme\n";
  g_autoptr(IgForm) f = parse(text);
  assert_string_equal(f->impact, "high");
  assert_string_equal(f->reporter_name, "Second");
  assert_string_equal(f->supplier, "Acme");
  assert_int_equal(f->labels_found, 3);
  expect_problems(f, no_problems);
}

static void test_empty_and_null_values(void **state)
{
  const char *text = "Reporter name:\n"
                     "Reporter phone: N/A\n"
                     "Business group: -\n"
                     "Supplier: None\n"
                     "Information asset: n/a\n"
                     "Impact: N/A\n"
                     "Actions taken: None\n"
                     "Date and time of incident:\n";
  g_autoptr(IgForm) f = parse(text);
  assert_null(f->reporter_name);
  assert_null(f->reporter_phone);
  assert_null(f->business_area);
  assert_null(f->supplier);
  assert_null(f->information_asset);
  assert_null(f->impact);
  assert_null(f->occurred_at);
  assert_string_equal(f->actions_taken, "None");
  assert_int_equal(f->labels_found, 8);
  expect_problems(f, no_problems);
}

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

static void test_crlf(void **state)
{
  const char *text = "Hello,\r\n\r\n"
                     "Reporter name: Jane Smith\r\n"
                     "Date and time of detection: 22/11/2026 14:05\r\n"
                     "Impact: High\r\n"
                     "Description: Line one\r\n"
                     "line two\r\n"
                     "\r\n"
                     "-- \r\n"
                     "Jane\r\n";
  g_autoptr(IgForm) f = parse(text);
  g_autofree char *det = format_time(f->detected_at);
  assert_string_equal(f->reporter_name, "Jane Smith");
  assert_string_equal(det, "2026-11-22T14:05:00Z");
  assert_string_equal(f->impact, "high");
  assert_string_equal(f->description, "Line one\nline two");
  expect_problems(f, no_problems);
}

static void test_no_break_spaces(void **state)
{
  /* HTML turned into text: &nbsp; where spaces were meant */
  const char *text = "Reporter\xC2\xA0name:\xC2\xA0Jane Smith\n"
                     "Impact:\xC2\xA0High\n"
                     "Detected at: 22/11/2026 2:05\xE2\x80\xAFpm\n";
  g_autoptr(IgForm) f = parse(text);
  g_autofree char *det = format_time(f->detected_at);
  assert_string_equal(f->reporter_name, "Jane Smith");
  assert_string_equal(f->impact, "high");
  assert_string_equal(det, "2026-11-22T14:05:00Z");
  expect_problems(f, no_problems);
}

static void test_empty_input(void **state)
{
  static const char *const texts[] = { "", "\n\n", "Hello, nothing here.",
                                       NULL };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
    g_autoptr(IgForm) f = form_parse(texts[i], NULL);
    assert_non_null(f);
    assert_non_null(f->problems);
    assert_int_equal(f->problems->len, 0);
    assert_int_equal(f->labels_found, 0);
    assert_int_equal(f->near_miss, 0);
    assert_null(f->reporter_name);
    assert_null(f->description);
    assert_false(form_is_form(f));
  }
  assert_false(form_is_form(NULL));
  form_free(NULL);
}


/* Class: a form pasted as a table whose cells came apart. */
static void test_table_cells_apart(void **state)
{
  static const char *const texts[] = {
    /* cells on one line, as html.c separates them */
    "Reporter name | : | Jo Bloggs\nIncident category | : | Malware\n"
    "Impact | : | High\nDate and time of detection | : | 22/11/2026 14:05\n",
    "Reporter name: | Jo Bloggs\nIncident category: | Malware\n"
    "Impact: | High\nDate and time of detection: | 22/11/2026 14:05\n",
    "Reporter name | Jo Bloggs\nIncident category | Malware\n"
    "Impact | High\nDate and time of detection | 22/11/2026 14:05\n",
    /* two fields to a row */
    "Reporter name: | Jo Bloggs | Impact: | High\n"
    "Incident category | : | Malware | Date and time of detection | : | "
    "22/11/2026 14:05\n",
    /* each cell on its own line, as OWA pastes it */
    "Reporter name\n:\nJo Bloggs\nIncident category\n:\nMalware\n"
    "Impact\n:\nHigh\nDate and time of detection\n:\n22/11/2026 14:05\n",
    "Reporter name\n\n:\n\nJo Bloggs\n\nIncident category\n\n:\n\nMalware\n"
    "\nImpact\n\n:\n\nHigh\n\nDate and time of detection\n\n:\n\n"
    "22/11/2026 14:05\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
    g_autoptr(IgForm) f = parse(texts[i]);
    g_autofree char *detected = format_time(f->detected_at);
    if (g_strcmp0(f->reporter_name, "Jo Bloggs") != 0 ||
        g_strcmp0(f->category, "malware") != 0 ||
        g_strcmp0(f->impact, "high") != 0 ||
        g_strcmp0(detected, "2026-11-22T14:05:00Z") != 0) {
      print_error("text %zu: name %s, category %s, impact %s, detected %s\n",
                  i, f->reporter_name ? f->reporter_name : "NULL",
                  f->category ? f->category : "NULL",
                  f->impact ? f->impact : "NULL", detected ? detected : "NULL");
      fail();
    }
    assert_int_equal(f->labels_found, 4);
  }
  /* a description spread over cells keeps its words; a row of cells that
   * are not labels is left alone */
  expect_field("Description | : | It was | all of it\nImpact | : | Low\n",
               DESCRIPTION, "It was all of it");
  expect_field("Jo Bloggs | HMCTS | 020 7946 0000\nDescription: x\n"
               "Impact: Low\n", DESCRIPTION, "x");
  {
    g_autoptr(IgForm) f = parse("Jo Bloggs | HMCTS | 0207\nTime | : | now\n");
    assert_int_equal(f->labels_found, 0);
  }
  /* a colon alone under a line that is no label stays text */
  expect_field("Description: the list\n:\nends here\nImpact: Low\n",
               DESCRIPTION, "the list\n:\nends here");
}

/* Class: numbered questions with a hint in brackets. */
static void test_numbered_questions_with_hints(void **state)
{
  static const char text[] =
      "1) Reporter name: Wei Li\n"
      "5) Date and time of detection (dd/mm/yyyy hh:mm): 25/11/2026 16:05\n"
      "7. Incident category: malware\n"
      "8. Impact (low/medium/high): low\n"
      "9) Personal data involved (yes/no/unknown): no\n"
      "10) Near miss (yes/no): yes\n"
      "14) Description: A stick was plugged in.\n";
  g_autoptr(IgForm) f = parse(text);
  g_autofree char *detected = format_time(f->detected_at);
  assert_string_equal(f->reporter_name, "Wei Li");
  assert_string_equal(detected, "2026-11-25T16:05:00Z");
  assert_string_equal(f->category, "malware");
  assert_string_equal(f->impact, "low");
  assert_string_equal(f->personal_data, "no");
  assert_int_equal(f->near_miss, 1);
  assert_string_equal(f->description, "A stick was plugged in.");
  assert_int_equal(f->problems->len, 0);
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

static void test_hostile_input(void **state)
{
  const gsize n = 1024 * 1024;
  g_autoptr(GString) s = g_string_sized_new(n + 64);
  /* one megabyte line of colons and letters */
  for (gsize i = 0; i < n / 2; i++)
    g_string_append(s, "a:");
  {
    g_autoptr(IgForm) f = parse(s->str);
    assert_int_equal(f->labels_found, 0);
  }
  /* a label whose value is a megabyte long */
  g_string_assign(s, "Description: ");
  for (gsize i = 0; i < n; i++)
    g_string_append_c(s, 'x');
  g_string_append(s, "\nImpact: ");
  for (gsize i = 0; i < n; i++)
    g_string_append_c(s, 'y');
  {
    g_autoptr(IgForm) f = parse(s->str);
    assert_int_equal(strlen(f->description), n);
    assert_int_equal(f->problems->len, 1);
  }
  /* many short lines */
  g_string_truncate(s, 0);
  for (gsize i = 0; i < n / 8; i++)
    g_string_append(s, "Name:x\n");
  {
    g_autoptr(IgForm) f = parse(s->str);
    assert_string_equal(f->reporter_name, "x");
  }
  /* a megabyte of cells, and of lines of colons */
  g_string_truncate(s, 0);
  for (gsize i = 0; i < n / 4; i++)
    g_string_append(s, "a | ");
  g_string_append(s, "\n");
  for (gsize i = 0; i < n / 2; i++)
    g_string_append(s, ":\n");
  {
    g_autoptr(IgForm) f = parse(s->str);
    assert_int_equal(f->labels_found, 0);
  }
  /* invalid UTF-8 comes out valid */
  {
    g_autoptr(IgForm) f = parse("Reporter name: Jo\xff\xfe\n");
    assert_non_null(f->reporter_name);
    assert_true(g_utf8_validate(f->reporter_name, -1, NULL));
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_full_form),
    cmocka_unit_test(test_every_label_variant),
    cmocka_unit_test(test_label_table),
    cmocka_unit_test(test_label_decorations),
    cmocka_unit_test(test_form_after_greeting),
    cmocka_unit_test(test_multiline_description),
    cmocka_unit_test(test_single_line_fields),
    cmocka_unit_test(test_signature_stops),
    cmocka_unit_test(test_quoted_text_stops),
    cmocka_unit_test(test_forward_markers_stop),
    cmocka_unit_test(test_duplicates_first_non_empty_wins),
    cmocka_unit_test(test_empty_and_null_values),
    cmocka_unit_test(test_category_table),
    cmocka_unit_test(test_impact_and_yes_no_tables),
    cmocka_unit_test(test_problems),
    cmocka_unit_test(test_long_bad_value_is_shortened),
    cmocka_unit_test(test_email_extraction),
    cmocka_unit_test(test_crlf),
    cmocka_unit_test(test_no_break_spaces),
    cmocka_unit_test(test_empty_input),
    cmocka_unit_test(test_table_cells_apart),
    cmocka_unit_test(test_numbered_questions_with_hints),
    cmocka_unit_test(test_near_miss_unknown),
    cmocka_unit_test(test_hostile_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

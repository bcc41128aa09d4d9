/* test_form.c - unit tests for parsers/form.c: label variants and their
 * decorations, where a value starts and stops (continuations, signatures,
 * quotes, forwards), first-wins duplicates, null values, tables whose
 * cells came apart, numbered questions, and hostile input. What values
 * become (enumerations, addresses, problems) is in test_form_convert.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/form.h"
#include "parsers/form_labels.h"
#include "tests/unit/form_fixture.h"

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
    cmocka_unit_test(test_crlf),
    cmocka_unit_test(test_no_break_spaces),
    cmocka_unit_test(test_empty_input),
    cmocka_unit_test(test_table_cells_apart),
    cmocka_unit_test(test_numbered_questions_with_hints),
    cmocka_unit_test(test_hostile_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

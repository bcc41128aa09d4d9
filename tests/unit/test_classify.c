/* test_classify.c - unit tests for parsers/classify.c and the table in
 * parsers/classify_rules.c: every phrase of every row fires its value,
 * each rule family on realistic wording, priorities between categories
 * and impacts, negations, the words quoted as written, patterns (NI
 * numbers, dates of birth), links that must not count, texts where
 * nothing may be decided, and hostile input. Incidents described without
 * their category's word are in test_classify_described.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/classify.h"
#include "parsers/classify_rules.h"
#include "tests/unit/classify_fixture.h"

/* A text that a phrase of the table must match: a word for each "*", a
 * sample for each pattern, the first or last of alternatives. */
static char *sample_of(const char *phrase, gboolean last)
{
  g_auto(GStrv) pieces = g_strsplit(phrase, " ", -1);
  GString *out = g_string_new(NULL);
  for (guint i = 0; pieces[i]; i++) {
    const char *p = pieces[i];
    if (out->len)
      g_string_append_c(out, ' ');
    if (strcmp(p, "*") == 0 || strcmp(p, "**") == 0)
      g_string_append(out, "the");
    else if (strcmp(p, "<time>") == 0)
      g_string_append(out, "08:32");
    else if (strcmp(p, "<date>") == 0)
      g_string_append(out, "01/02/1980");
    else if (strcmp(p, "<ni-number>") == 0)
      g_string_append(out, "QQ123456C");
    else if (strchr(p, '|')) {
      g_auto(GStrv) alts = g_strsplit(p, "|", -1);
      g_string_append(out, last ? alts[g_strv_length(alts) - 1] : alts[0]);
    } else
      g_string_append(out, p);
  }
  return g_string_free(out, FALSE);
}

/* Every row of the table, category and other fields alike. */
static GPtrArray *all_rules(void)
{
  GPtrArray *rules = g_ptr_array_new();
  for (guint t = 0; classify_tables[t]; t++)
    for (const IgClassifyRule *r = classify_tables[t]; r->field; r++)
      g_ptr_array_add(rules, (gpointer)r);
  return rules;
}

static void test_every_phrase_fires_its_row(void **state)
{
  g_autoptr(GPtrArray) rules = all_rules();
  guint rows = 0, phrases = 0;
  for (; rows < rules->len; rows++) {
    const IgClassifyRule *r = rules->pdata[rows];
    assert_non_null(r->value);
    assert_non_null(r->rule);
    assert_non_null(r->phrases[0]);
    for (guint p = 0; r->phrases[p]; p++, phrases++) {
      for (int last = 0; last < 2; last++) {
        g_autofree char *sample = sample_of(r->phrases[p], last);
        g_autoptr(GPtrArray) ds = NULL;
        const IgDecision *d;
        if (strcmp(r->field, "boilerplate") == 0) {
          /* it decides nothing, and hides its sentence from every row */
          g_autofree char *with = g_strconcat(sample, " personal data", NULL);
          g_autoptr(GPtrArray) hidden = classify_text(with);
          if (find(hidden, "personal_data")) {
            print_error("row %s phrase '%s' (text '%s'): not boilerplate\n",
                        r->rule, r->phrases[p], with);
            fail();
          }
          continue;
        }
        ds = classify_text(sample);
        d = find(ds, r->field);
        if (!d || strcmp(d->value, r->value) != 0) {
          print_error("row %s phrase '%s' (text '%s'): got %s\n", r->rule,
                      r->phrases[p], sample, d ? d->value : "NULL");
          fail();
        }
      }
    }
  }
  assert_true(rows >= 20);
  assert_true(phrases >= 300);
}

static void test_table_is_well_formed(void **state)
{
  static const char *const fields[] = { "category", "impact",
                                        "personal_data", "not_a_report",
                                        "event", "boilerplate", "near_miss",
                                        NULL };
  static const char *const categories[] = {
    "phishing", "malware", "unauthorised-access", "account-compromise",
    "lost-or-stolen-equipment", "data-breach", "denial-of-service",
    "policy-breach", "suspicious-activity", "supply-chain", "physical",
    NULL };
  g_autoptr(GPtrArray) rules = all_rules();
  /* every canonical category but "other" has a row; "other" has none */
  for (guint c = 0; categories[c]; c++) {
    gboolean found = FALSE;
    for (guint i = 0; i < rules->len; i++)
      found = found ||
              strcmp(((const IgClassifyRule *)rules->pdata[i])->value,
                     categories[c]) == 0;
    if (!found) {
      print_error("no row for category %s\n", categories[c]);
      fail();
    }
  }
  for (guint i = 0; i < rules->len; i++) {
    const IgClassifyRule *r = rules->pdata[i];
    assert_true(g_strv_contains(fields, r->field));
    assert_string_not_equal(r->value, "other");
    if (strcmp(r->field, "category") == 0)
      assert_true(g_strv_contains(categories, r->value));
    else if (strcmp(r->field, "impact") == 0)
      assert_true(g_strv_contains((const char *const[]){ "low", "medium",
                                                          "high", NULL },
                                  r->value));
    else if (strcmp(r->field, "personal_data") == 0)
      assert_true(g_strv_contains((const char *const[]){ "yes", "no",
                                                          "unknown", NULL },
                                  r->value));
    else
      assert_string_equal(r->value, "yes");
  }
}

static void test_categories_on_real_wording(void **state)
{
  expect_rule("My work laptop was stolen from my car last night.", "category",
              "lost-or-stolen-equipment", "equipment-stolen",
              "laptop was stolen");
  expect_rule("I think I left my laptop on the train home.", "category",
              "lost-or-stolen-equipment", "equipment-lost",
              "left my laptop on the train");
  expect("I have lost an encrypted USB stick somewhere in the office.",
         "category", "lost-or-stolen-equipment", "lost an encrypted USB");
  expect("My phone was stolen while I was in town", "category",
         "lost-or-stolen-equipment", "phone was stolen");
  expect_rule("I sent a spreadsheet to the wrong person by mistake",
              "category", "data-breach", "misdirected",
              "sent a spreadsheet to the wrong");
  expect_rule("A letter was sent to wrong address.", "category", "data-breach",
              "misdirected", "sent to wrong address");
  expect_rule("Case details were disclosed to a third person", "category",
              "data-breach", "data-exposed", "disclosed");
  expect_rule("I emailed the bank statements to the wrong firm of solicitors",
              "category", "data-breach", "misdirected",
              "to the wrong firm");
  expect_rule("It went to the person on probation instead of to the victim",
              "category", "data-breach", "misdirected",
              "went to the person on probation instead of");
  expect_rule("a court order meant for someone else", "category",
              "data-breach", "misdirected", "meant for someone else");
  expect_rule("the folder has an 'Anyone with the link' sharing link",
              "category", "data-breach", "data-exposed",
              "Anyone with the link");
  expect_rule("I've lost an encrypted MoJ USB stick", "category",
              "lost-or-stolen-equipment", "equipment-lost",
              "lost an encrypted MoJ USB");
  expect_rule("I'd left my work iPad in the hotel room", "category",
              "lost-or-stolen-equipment", "equipment-lost",
              "left my work iPad in the hotel");
  expect_rule("two laptops had been stolen from the cupboard", "category",
              "lost-or-stolen-equipment", "equipment-stolen",
              "laptops had been stolen");
  expect_rule("my bag gone. My work laptop was inside.", "category",
              "lost-or-stolen-equipment", "equipment-stolen",
              "laptop was inside");
  expect_rule("Now there is a rule in my mailbox forwarding everything",
              "category", "account-compromise", "account-compromised",
              "rule in my mailbox");
  expect_rule("I think someone has taken over my account", "category",
              "account-compromise", "account-compromised",
              "taken over my account");
  expect_rule("an email asking me to confirm my salary", "category",
              "phishing", "phishing-credentials", "asking me to confirm my");
  expect_rule("a man followed me through the secure door", "category",
              "physical", "physical-entry", "followed me through");
  expect_rule("This needs reporting as a physical security breach",
              "category", "physical", "physical-entry", "physical security");
  expect_rule("that's against the acceptable use policy", "category",
              "policy-breach", "policy-breach", "against the acceptable use "
              "policy");
  expect_rule("This seemed suspicious, so I'm reporting it", "category",
              "suspicious-activity", "suspicious-activity",
              "seemed suspicious");
  expect_rule("Please pass this to the MoJ as a supply chain incident. Our "
              "engineer's account had been compromised",
              "category", "supply-chain", "supply-chain-stated",
              "supply chain incident");
  expect_rule("I am getting MFA prompts I did not request", "category",
              "account-compromise", "sign-in-alerts",
              "MFA prompts I did not request");
  expect_rule("I think someone logged into my account from abroad",
              "category", "account-compromise", "account-compromised",
              "someone logged into my account");
  expect_rule("My Defender antivirus alert popped up", "category", "malware",
              "malware-detected", "Defender antivirus alert");
  expect_rule("Ransomware note on the shared drive", "category", "malware",
              "malware-named", "Ransomware");
  expect_rule("Our website is down due to a DDoS", "category",
              "denial-of-service", "denial-of-service", "DDoS");
  expect_rule("I received a suspicious email from 'HR'", "category",
              "phishing", "phishing-lure", "suspicious email");
  expect_rule("It asked me to enter my password on a fake login page",
              "category", "phishing", "phishing-credentials",
              "asked me to enter my password");
  expect_rule("A colleague accessed my files without permission",
              "category", "unauthorised-access", "unauthorised-access",
              "accessed my files without permission");
  expect_rule("Someone tailgated me through the secure door", "category",
              "physical", "physical-entry", "tailgated");
  expect_rule("I have lost my building pass", "category",
              "lost-or-stolen-equipment", "equipment-lost",
              "lost my building pass");
  expect_rule("A colleague shared their password with a contractor",
              "category", "policy-breach", "policy-breach",
              "shared their password");
  expect_rule("Official documents were forwarded to a personal email account",
              "category", "policy-breach", "policy-breach",
              "personal email account");
  expect_rule("I found an unlabelled USB stick in the car park", "category",
              "suspicious-activity", "suspicious-activity",
              "found an unlabelled USB stick");
  expect_rule("There is strange behaviour on my PC", "category",
              "suspicious-activity", "suspicious-activity",
              "strange behaviour");
  expect_rule("Our supplier has told us about an incident", "category",
              "supply-chain", "supplier-mentioned", "supplier");
}

static void test_category_priorities(void **state)
{
  /* the order documented in classify_rules.c */
  expect("I clicked a link in a phishing email and my laptop was stolen",
         "category", "lost-or-stolen-equipment", "laptop was stolen");
  expect("Our supplier sent the file to the wrong person", "category",
         "data-breach", "sent the file to the wrong");
  expect("After I clicked the link my account was compromised", "category",
         "account-compromise", "account was compromised");
  expect("I clicked the link and now there is a virus", "category",
         "malware", "virus");
  expect("Phishing email from a third party", "category", "phishing",
         "Phishing");
  expect("Unusual activity on a supplier portal, possibly hackers",
         "category", "unauthorised-access", "hackers");
  expect("Break-in at the office; suspicious activity since", "category",
         "physical", "Break-in at");
  expect("The contractor shared a password; suspicious behaviour",
         "category", "policy-breach", "shared a password");
  expect("Unusual activity reported by a supplier", "category",
         "suspicious-activity", "Unusual activity");
  /* equal priority: the first words in the text */
  expect("A stolen phone and a missing laptop", "category",
         "lost-or-stolen-equipment", "stolen phone");
}

static void test_impact(void **state)
{
  expect_rule("Impact: High", "impact", "high", "impact-stated-high",
              "Impact: High");
  expect_rule("I would say the impact is medium", "impact", "medium",
              "impact-stated-medium", "impact is medium");
  expect_rule("Impact \xE2\x80\x93 low", "impact", "low", "impact-stated-low",
              "Impact \xE2\x80\x93 low");
  expect_rule("low impact, only me", "impact", "low", "impact-stated-low",
              "low impact");
  expect_rule("The press are aware of the leak", "impact", "high",
              "impact-cue-high", "press are aware");
  expect_rule("Ransomware has encrypted the file server", "impact", "high",
              "impact-cue-high", "Ransomware has encrypted");
  expect_rule("thousands of records were exposed", "impact", "high",
              "impact-cue-high", "thousands of records");
  expect_rule("Several users were affected", "impact", "medium",
              "impact-cue-medium", "Several users were affected");
  expect_rule("I'd say this is high impact - the whole team can't work",
              "impact", "high", "impact-stated-high", "high impact");
  expect_rule("We assess the impact to the MoJ as high.", "impact", "high",
              "impact-stated-high", "impact to the MoJ as high");
  expect_rule("I'd put it at medium impact as families can still book",
              "impact", "medium", "impact-stated-medium", "medium impact");
  /* a stated impact beats any cue; among cues the worst wins */
  expect("Impact: low. Critical systems were fine", "impact", "low",
         "Impact: low");
  expect("Several users affected and the whole site is down", "impact",
         "high", "whole site is down");
  /* a near miss, nothing clicked, no data lost: no impact is stated */
  expect("It was a near miss: nothing was clicked", "impact", NULL, NULL);
  expect("No data lost.", "impact", NULL, NULL);
  expect("it was sent to a journalist by mistake", "impact", NULL, NULL);
  expect("she told the whole team her PIN", "impact", NULL, NULL);
  expect("a critical security update is needed", "impact", NULL, NULL);
  /* not on the scale: nothing */
  expect("It is not critical", "impact", NULL, NULL);
  expect("The impact is not high", "impact", NULL, NULL);
  expect("impact on the High Court", "impact", NULL, NULL);
  expect("National Insurance numbers", "impact", NULL, NULL);
}

static void test_personal_data(void **state)
{
  expect_rule("The spreadsheet held names and addresses", "personal_data",
              "yes", "identity-details", "names and addresses");
  expect("names & addresses of prisoners", "personal_data", "yes",
         "names & addresses");
  expect("It contained personal data", "personal_data", "yes",
         "personal data");
  expect("prisoner records and case notes", "personal_data", "yes",
         "prisoner records");
  expect("their National Insurance number", "personal_data", "yes",
         "National Insurance");
  expect("bank details of staff", "personal_data", "yes", "bank details");
  expect("medical records", "personal_data", "yes", "medical records");
  expect("NI numbers were in the list", "personal_data", "yes",
         "NI numbers");
  expect_rule("Ref QQ 12 34 56 C was on it", "personal_data", "yes",
              "identity-patterns", "QQ 12 34 56 C");
  expect("AB123456C", "personal_data", "yes", "AB123456C");
  expect("JK 123456 D", "personal_data", "yes", "JK 123456 D");
  expect("DOB: 01/02/1980", "personal_data", "yes", "DOB: 01/02/1980");
  expect("D.O.B. 1.2.1980", "personal_data", "yes", "D.O.B. 1.2.1980");
  expect("born 1 Feb 1980", "personal_data", "yes", "born 1 Feb 1980");
  expect("born on 1st February 1980", "personal_data", "yes",
         "born on 1st February 1980");
  /* not NI numbers: bad prefixes, lower case, wrong shapes */
  expect("DQ123456C", "personal_data", NULL, NULL);
  expect("AO123456C", "personal_data", NULL, NULL);
  expect("GB123456C", "personal_data", NULL, NULL);
  expect("AB123456E", "personal_data", NULL, NULL);
  expect("ab123456c", "personal_data", NULL, NULL);
  expect("meet at 123456 A", "personal_data", NULL, NULL);
  expect("AB1234567C", "personal_data", NULL, NULL);
  /* words read as something longer than they are written ("&" as "and",
   * "İ" lower-cased in three bytes), the text ending with them: the
   * number is read from what is written */
  expect("Ref GG &", "personal_data", NULL, NULL);
  expect("Ref GG \xC4\xB0\xC4\xB0", "personal_data", NULL, NULL);
  expect("Ref QQ 12 34 56 C &", "personal_data", "yes", "QQ 12 34 56 C");
  /* not dates of birth */
  expect("DOB: 31/02/1980", "personal_data", NULL, NULL);
  expect("born in 1980", "personal_data", NULL, NULL);
  expect("newborn 01/02/1980", "personal_data", NULL, NULL);
}

static void test_negations(void **state)
{
  /* a negated "yes" never fires; a stated absence gives "no" */
  expect_rule("No personal data was involved", "personal_data", "no",
              "personal-data-none", "No personal data");
  expect("The email did not contain personal data.", "personal_data", "no",
         "not contain personal data");
  expect("It doesn't contain any personal information", "personal_data",
         "no", "doesn't contain any personal information");
  expect("There was no personal information in it", "personal_data", "no",
         "no personal information");
  expect("Personal data: none", "personal_data", "no", "Personal data: none");
  expect("Personal data? No.", "personal_data", "no", "Personal data? No");
  expect("Personal data involved:\nNo", "personal_data", "no",
         "Personal data involved: No");
  expect("It didn't include any names and addresses", "personal_data", NULL,
         NULL);
  expect("There were no names or dates of birth", "personal_data", NULL,
         NULL);
  expect("I can't say there is no personal data", "personal_data", NULL,
         NULL);
  /* named personal data wins over a stated absence */
  expect("No personal data, only the names and addresses of staff",
         "personal_data", "yes", "names and addresses");
  /* a request for data is a lure, not data involved */
  expect("asking me to confirm my salary and bank details", "personal_data",
         NULL, NULL);
  expect("it asked for my date of birth", "personal_data", NULL, NULL);
  /* the negation must be near and in the same sentence */
  expect("No. It had personal data", "personal_data", "yes", "personal data");
  expect("The letter contained personal data. No one else saw it.",
         "personal_data", "yes", "personal data");
  expect("Not a phishing attempt, but it had personal data",
         "personal_data", "yes", "personal data");
  expect("No one opened it; personal data was on the stick",
         "personal_data", "yes", "personal data");
  /* categories are negated the same way; but "it was not stolen after
   * all" still reports the scare (SPEC 4: "also when found again") */
  expect("The laptop was not stolen, I found it at home", "category",
         "lost-or-stolen-equipment", "laptop was not stolen");
  expect("I haven't lost my laptop", "category", NULL, NULL);
  expect("This is not phishing", "category", NULL, NULL);
  expect("It is not phishing, but malware", "category", "malware", "malware");
  /* a "*" never skips a negation or a linking word */
  expect("we lost not a single laptop", "category", NULL, NULL);
  expect("I lost access to my laptop", "category", NULL, NULL);
  expect("I lost connection to the phone", "category", NULL, NULL);
  /* a phrase that is itself negative is read as written */
  expect("I get MFA prompts I did not request", "category",
         "account-compromise", "MFA prompts I did not request");
  expect("I get MFA prompts every morning", "category", NULL, NULL);
  expect("the Authenticator app showed two sign-in approvals I didn't make",
         "category", "account-compromise", "sign-in approvals I didn't");
}

static void test_words_as_written(void **state)
{
  expect("My LAPTOP  was\n  stolen", "category", "lost-or-stolen-equipment",
         "LAPTOP was stolen");
  expect("the sign in alerts kept coming", "category", "account-compromise",
         "sign in alerts");
  expect("the Sign-In Alerts kept coming", "category", "account-compromise",
         "Sign-In Alerts");
  expect("I was phished \xE2\x80\x94 I think", "category", "phishing",
         "phished");
  expect("I can\xE2\x80\x99t find my laptop", "category",
         "lost-or-stolen-equipment", "can\xE2\x80\x99t find my laptop");
}

static void test_words_across_sentences_do_not_match(void **state)
{
  expect("I left it on my laptop. Stolen goods were not involved", "category",
         NULL, NULL);
  expect("Is this suspicious? Email me back", "category", NULL, NULL);
  expect("The report is high. Impact unknown", "impact", NULL, NULL);
}

static void test_links_do_not_count(void **state)
{
  expect_nothing("Please forward it to phishing@justice.gov.uk");
  expect_nothing("see https://intranet.example/malware-guidance");
  expect_nothing("our contact is jane@example-supplier.co.uk");
  expect_nothing("visit www.virus-checker.example");
  /* e.g. and 9.30 are not links */
  expect("e.g. a virus", "category", "malware", "virus");
}

static void test_nothing_to_decide(void **state)
{
  static const char *const texts[] = {
    "",
    "Please can you reset my password?",
    "Hello, I would like some advice on encryption.",
    "The meeting has moved to 3pm on Thursday.",
    "My computer is slow and the printer is jammed.",
    "I'm writing to report an incident. Details to follow.",
    "Other",
    "I changed my password as advised.",
    "The file was encrypted before it was sent.",
    "impact",
    "personal",
    "data",
    "stolen",
    "laptop",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    expect_nothing(texts[i]);
  {
    g_autoptr(GPtrArray) ds = classify_text(NULL);
    assert_int_equal(ds->len, 0);
  }
}

static void test_one_decision_per_field(void **state)
{
  g_autoptr(GPtrArray) ds = classify_text(
      "Phishing, then a virus, then my laptop was stolen. High impact, "
      "low impact. Personal data, names and addresses.");
  assert_int_equal(ds->len, 4);
  expect("Phishing, then a virus, then my laptop was stolen.", "category",
         "lost-or-stolen-equipment", "laptop was stolen");
  assert_string_equal(((IgDecision *)ds->pdata[0])->field, "category");
  assert_string_equal(((IgDecision *)ds->pdata[1])->field, "impact");
  assert_string_equal(((IgDecision *)ds->pdata[1])->value, "high");
  assert_string_equal(((IgDecision *)ds->pdata[2])->field, "personal_data");
  assert_string_equal(((IgDecision *)ds->pdata[2])->words, "Personal data");
  assert_string_equal(((IgDecision *)ds->pdata[3])->field, "event");
  assert_string_equal(((IgDecision *)ds->pdata[3])->words,
                      "my laptop was stolen");
}

static void test_hostile_input(void **state)
{
  const gsize n = 2 * 1024 * 1024;
  g_autofree char *big = g_malloc(n + 1);
  /* many partial matches: every word starts phrases */
  for (gsize i = 0; i < n; i += 5)
    memcpy(big + i, i + 5 <= n ? "lost " : "     ", MIN(5, n - i));
  big[n] = '\0';
  {
    g_autoptr(GPtrArray) ds = classify_text(big);
    assert_int_equal(ds->len, 0);
  }
  /* long gaps ("**") tried at every word */
  for (gsize i = 0; i < n; i += 7)
    memcpy(big + i, i + 7 <= n ? "phone, " : "       ", MIN(7, n - i));
  {
    g_autoptr(GPtrArray) ds = classify_text(big);
    assert_int_equal(ds->len, 0);
  }
  /* one long word, one long link, one long run of punctuation */
  memset(big, 'a', n);
  {
    g_autoptr(GPtrArray) ds = classify_text(big);
    assert_int_equal(ds->len, 0);
  }
  memset(big, '.', n);
  memcpy(big, "virus", 5);
  {
    g_autoptr(GPtrArray) ds = classify_text(big);
    assert_int_equal(ds->len, 1);
  }
  for (gsize i = 0; i < n; i++)
    big[i] = "QQ 1 ."[i % 6];
  {
    g_autoptr(GPtrArray) ds = classify_text(big);
    assert_int_equal(ds->len, 0);
  }
  /* invalid UTF-8 and NUL-free binary noise */
  for (gsize i = 0; i < n; i++)
    big[i] = (char)(0x80 | (i * 7919 % 127));
  {
    g_autoptr(GPtrArray) ds = classify_text(big);
    assert_int_equal(ds->len, 0);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_every_phrase_fires_its_row),
    cmocka_unit_test(test_table_is_well_formed),
    cmocka_unit_test(test_categories_on_real_wording),
    cmocka_unit_test(test_category_priorities),
    cmocka_unit_test(test_impact),
    cmocka_unit_test(test_personal_data),
    cmocka_unit_test(test_negations),
    cmocka_unit_test(test_words_as_written),
    cmocka_unit_test(test_words_across_sentences_do_not_match),
    cmocka_unit_test(test_links_do_not_count),
    cmocka_unit_test(test_nothing_to_decide),
    cmocka_unit_test(test_one_decision_per_field),
    cmocka_unit_test(test_hostile_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

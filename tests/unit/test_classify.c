/* test_classify.c - unit tests for parsers/classify.c and the table in
 * parsers/classify_rules.c: every phrase of every row fires its value,
 * each rule family on realistic wording, priorities between categories
 * and impacts, negations, the words quoted as written, patterns (NI
 * numbers, dates of birth), links that must not count, texts where
 * nothing may be decided, and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/classify.h"
#include "parsers/classify_rules.h"

static const IgDecision *find(GPtrArray *ds, const char *field)
{
  for (guint i = 0; i < ds->len; i++) {
    const IgDecision *d = ds->pdata[i];
    if (strcmp(d->field, field) == 0)
      return d;
  }
  return NULL;
}

/* The decision for field: value, rule and words, or none (value NULL). */
static void expect_rule(const char *text, const char *field, const char *value,
                        const char *rule, const char *words)
{
  g_autoptr(GPtrArray) ds = classify_text(text);
  const IgDecision *d = find(ds, field);
  if (g_strcmp0(d ? d->value : NULL, value) != 0 ||
      (d && rule && strcmp(d->rule, rule) != 0) ||
      (d && words && strcmp(d->words, words) != 0)) {
    print_error("'%s' %s: got %s (%s, '%s'), want %s (%s, '%s')\n", text,
                field, d ? d->value : "NULL", d ? d->rule : "-",
                d ? d->words : "-", value ? value : "NULL",
                rule ? rule : "-", words ? words : "-");
    fail();
  }
}

static void expect(const char *text, const char *field, const char *value,
                   const char *words)
{
  expect_rule(text, field, value, NULL, words);
}

/* No decision about the incident (that something happened, "event", may
 * still be said). */
static void expect_nothing(const char *text)
{
  g_autoptr(GPtrArray) ds = classify_text(text);
  for (guint i = 0; i < ds->len; i++) {
    const IgDecision *d = ds->pdata[i];
    if (strcmp(d->field, "event") == 0)
      continue;
    print_error("'%s': want no decision, got %s=%s (%s, '%s')\n", text,
                d->field, d->value, d->rule, d->words);
    fail();
  }
}

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


/* Class: the category's own word is absent, the lure or the event is
 * described instead (SPEC 4's table). */
static void test_phishing_lures_described(void **state)
{
  static const char *const texts[] = {
    "Got an email saying my salary payment is on hold until I update my "
    "bank details through the link",
    "A message from 'Payroll Services' asked us all to confirm our bank "
    "account details",
    "Jo received a DocuSign notification to review a contract she knows "
    "nothing about",
    "\"Marcus has shared a document with you: Q3 salary review.xlsx\"",
    "The message says my mailbox is almost full and I must log in to get "
    "more space",
    "An email told me my password expires today unless I act",
    "I had a text from 'the Director' asking me to buy gift cards for a "
    "client and send her the numbers",
    "Email from the Head of Finance wanting an urgent payment made to a "
    "new account before 3pm",
    "An unexpected invoice arrived from a company we have never used",
    "Someone rang saying they were from the bank and asked me to read out "
    "the code they had just texted me",
    "A caller claiming to be from the IT service desk wanted my PIN",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    expect(texts[i], "category", "phishing", NULL);
}

static void test_account_compromise_described(void **state)
{
  static const char *const texts[] = {
    "I think someone has got into my email",
    "Microsoft says there was a sign-in to my account from Brazil at 3am",
    "I keep getting Authenticator approval requests that I didn't start",
    "There are rules in my Outlook that I never set up",
    "My contacts have been getting emails from me that I never sent",
    "Outlook showed a login from an unfamiliar location",
    "I typed my password into a page that turned out to be fake",
    "I put my username and password into the site before I realised",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    expect(texts[i], "category", "account-compromise", NULL);
  /* the password given away is more serious than the lure that took it */
  expect("I clicked a link in an email about a voicemail and typed my "
         "password into the page", "category", "account-compromise", NULL);
  expect("It opened a sign-in page which I filled in with my email and "
         "password", "category", "account-compromise", NULL);
  expect("It asked me to enter my password but I closed it", "category",
         "phishing", NULL);
}

static void test_malware_described(void **state)
{
  static const char *const texts[] = {
    "Every document in the team folder has been renamed with a .locked "
    "extension",
    "There is a note on the desktop saying we must pay a ransom",
    "Sophos popped up a warning about a file I downloaded",
    "I enabled the macros in the spreadsheet attachment",
    "There is a strange program running on my laptop",
    "Some software appeared on my PC that I never installed",
    "All my files have been encrypted and I cannot open them",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    expect(texts[i], "category", "malware", NULL);
  expect_nothing("The files were encrypted before they were sent");
  expect("It asked me to enable macros so I deleted it", "category", NULL,
         NULL);
}

static void test_lost_equipment_described(void **state)
{
  static const char *const texts[] = {
    "I left my laptop bag on the 17:12 from Waterloo",
    "We have a missing encrypted memory stick from the training room",
    "I can't find my building pass anywhere",
    "My phone was left behind in a taxi last night",
    "Update: the laptop I reported yesterday has been found in the office",
    "My iPad, which has my work email on it, is missing",
    "I'd lost my ID card but found it again later",
    "The phone was NOT stolen after all, I found it in my coat",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    expect(texts[i], "category", "lost-or-stolen-equipment", NULL);
  /* a laptop left where it belongs is no loss */
  expect("I left my laptop on my desk overnight", "category", NULL, NULL);
  expect("The laptop was taken to IT for repair", "category", NULL, NULL);
}

static void test_physical_and_data_breach_described(void **state)
{
  expect("A visitor walked in behind me through the secure door without "
         "swiping", "category", "physical", NULL);
  expect("The fire exit at the back was propped open with a chair",
         "category", "physical", NULL);
  expect("Someone broke into the court office overnight", "category",
         "physical", NULL);
  expect("The server room door was left unlocked all weekend", "category",
         "physical", NULL);
  expect("I sent the invitation to 200 people in the To field rather than "
         "BCC", "category", "data-breach", NULL);
  expect("I forgot to use BCC on the mailing", "category", "data-breach",
         NULL);
  expect("I attached the wrong spreadsheet to my reply to a claimant",
         "category", "data-breach", NULL);
  expect("The letter to Mr A included another family's details",
         "category", "data-breach", NULL);
  expect("The bundle went out unredacted", "category", "data-breach", NULL);
}

/* Class: what a reporter writes about a message passed on, and the
 * money lures inside it. */
static void test_phishing_doubted_and_money_lures(void **state)
{
  static const char *const texts[] = {
    "Is this legit? I wasn't expecting it.",
    "Looks dodgy to me, not opened it",
    "Not expecting any parcel, so I haven't clicked",
    "I don't recognise the sender and haven't opened the attachment",
    "Obviously fake, reporting as we're asked to",
    "It says I'm eligible for a tax refund of 200 pounds",
    "A reminder that invoice 4471 is unpaid and overdue",
    "There's a small redelivery fee to pay before the parcel is released",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    expect(texts[i], "category", "phishing", NULL);
  /* a fake pass is a way in; a visitor's word about themselves no lure */
  expect("A man with a fake pass followed me through the door", "category",
         "physical", NULL);
  expect("He said he was from facilities and followed me through the door",
         "category", "physical", NULL);
}

/* Class: paper lost or left behind is lost equipment (SPEC 4: "a
 * device, token, pass or paper file lost, left behind or stolen"); a
 * device not yet delivered is neither. */
static void test_paper_and_access(void **state)
{
  expect("A box of case files (about 30 folders) hasn't turned up after "
         "the office move", "category", "lost-or-stolen-equipment", NULL);
  expect("I've mislaid the paperwork for tomorrow's hearing", "category",
         "lost-or-stolen-equipment", NULL);
  expect("I left a paper bundle on the train", "category", "lost-or-stolen-equipment",
         NULL);
  expect("I left a paper court bundle for a family case on the train home", "category",
         "lost-or-stolen-equipment", NULL);
  expect("Her new laptop hasn't arrived yet, so she is using her own",
         "category", NULL, NULL);
  expect("A leaver's account was still logging in last week", "category",
         "unauthorised-access", NULL);
  expect("Someone who left in June still seems to have access to the "
         "shared drive", "category", "unauthorised-access", NULL);
  expect("Thirty pages of gibberish came off the printer overnight",
         "category", "suspicious-activity", NULL);
  expect("Probably nothing, but a folder appeared that none of us "
         "recognise", "category", "suspicious-activity", NULL);
  expect("Our letter went to number 12 instead of number 21", "category",
         "data-breach", NULL);
}

/* Class: the events that make a mail a report, and what is not one. */
static void test_events(void **state)
{
  expect("Thank you to whoever picked up the phishing email I sent in",
         "event", NULL, NULL);
  expect("Just wanted to say thank you for the call", "not_a_report", "yes",
         NULL);
  expect("If someone gets a phishing email do we just delete it?", "event",
         NULL, NULL);
  expect("I then accidentally opened the attachment", "event", "yes", NULL);
  expect("Spotted this in my junk folder", "event", "yes", NULL);
  expect("A member of the public told me the letter was not theirs",
         "event", "yes", NULL);
}

/* Class: a mail that reports nothing, and impact said in general. */
static void test_not_a_report(void **state)
{
  expect_rule("For information - no action needed. This month's bulletin "
              "covers phishing.", "not_a_report", "yes", "for-information",
              "no action needed");
  expect("Agenda for Tuesday's security group: 1. Review of last month's "
         "ransomware incident", "not_a_report", "yes", "Agenda");
  expect("How do I report a lost phone?", "not_a_report", "yes",
         "How do I report");
  expect("Thanks for sorting out my phishing report so quickly.",
         "not_a_report", "yes", "Thanks for");
  expect("Hi,\n\nMany thanks for your quick reply.", "not_a_report", "yes",
         "Many thanks for");
  /* ... and none of these report anything themselves */
  expect("How do I report a lost phone?", "event", NULL, NULL);
  expect("What should I do if I clicked a bad link?", "event", NULL, NULL);
  /* a bulletin or an agenda opens the mail; further down, it may be what
   * the report is about */
  expect("Hi all,\n\nThe agenda for the security group is below.",
         "not_a_report", "yes", NULL);
  expect("Hi,\n\nA file went to the wrong team this morning. It was the "
         "agenda for the board with names and addresses.", "not_a_report",
         NULL, NULL);
  /* thanks at the end of a report are only manners */
  expect("My laptop was stolen at the station.\n\nI have told the police."
         "\n\nThanks for your help.", "not_a_report", NULL, NULL);
  /* the writer tells of something that happened */
  expect("How do I report this? I clicked a link in a text from 'DVLA'",
         "event", "yes", "I clicked");
  expect("Yesterday we received a letter meant for someone else", "event",
         "yes", "we received");
  expect("My laptop has been stolen", "event", "yes",
         "My laptop has been stolen");
  expect("A colleague's laptop was stolen on a train", "event", NULL, NULL);
}

/* Categories told without their name: prompts refused, a leaver still
 * signing in, addresses shown to a whole list, a file put where all can
 * open it, a supplier's own breach, a machine account knocking on doors. */
static void test_categories_without_their_word(void **state)
{
  expect("My phone kept asking me to approve a login this afternoon and I "
         "tapped Deny on every one of them.", "category",
         "account-compromise", NULL);
  expect("Someone might know my password, I keep getting codes.",
         "category", "account-compromise", NULL);
  expect("I hadn't been trying to sign in at the time.", "category",
         "account-compromise", NULL);
  expect("A contractor who left in June still has an active login on the "
         "HR System.", "category", "unauthorised-access", NULL);
  expect("Nobody should still have that account, it belongs to a leaver.",
         "category", "unauthorised-access", NULL);
  expect("The mail-out went with every parent in CC, so all the addresses "
         "are visible to everyone.", "category", "data-breach", NULL);
  expect("The rota was saved to the wrong SharePoint site and anyone at the "
         "court could have viewed it.", "category", "data-breach", NULL);
  expect("I put the tracker on the public Teams channel instead of our "
         "private one.", "category", "data-breach", NULL);
  expect("Our payroll bureau told us there was an intrusion at their "
         "offices last week.", "category", "supply-chain", NULL);
  expect("The hosting company says attackers got into one of their "
         "servers.", "category", "supply-chain", NULL);
  expect("The firewall log shows hundreds of failed login attempts from "
         "svc_backup overnight.", "category", "suspicious-activity", NULL);
  expect("Something has been probing the finance share since Monday and no "
         "one in the office recognises the host.", "category",
         "suspicious-activity", NULL);
  /* a lower reading still gives way to a plainer one */
  expect("Hundreds of failed attempts, then my account was compromised.",
         "category", "account-compromise", NULL);
}

/* A mistake owned up to is something that happened, even in a mail about
 * a newsletter; a newsletter passed on as of interest, or an invitation
 * to talk a past incident over, reports nothing. */
static void test_newsletters_and_meetings(void **state)
{
  expect("Sent this week's staff newsletter by mistake to the external "
         "list. Sorry.", "event", "yes", "by mistake");
  expect("Our newsletter went out this morning and the recall failed.",
         "event", "yes", NULL);
  expect("Thought this might be of interest: the digest covers a new "
         "ransomware strain.", "not_a_report", "yes", NULL);
  expect("Hi team,\n\nI'd like to get everyone together on Friday to go "
         "over the malware incident of last month.", "not_a_report", "yes",
         NULL);
}

/* Bank details a lure wants changed belong to the supplier it pretends to
 * be, not to a person whose data is involved; records of people are. */
static void test_personal_data_of_whom(void **state)
{
  expect("They asked us to change the bank details on the vendor file.",
         "personal_data", NULL, NULL);
  expect("Please note our new bank details for future invoices.",
         "personal_data", NULL, NULL);
  expect("He opened the records of 30 offenders on Delius.",
         "personal_data", "yes", NULL);
  expect("The list showed their addresses and phone numbers.",
         "personal_data", "yes", NULL);
}

/* Whether the writer calls it a near miss: any negation before the words
 * takes it back, however it is spelt. */
static void test_near_miss_and_its_negations(void **state)
{
  expect("Nobody clicked, so I think this counts as a near miss.",
         "near_miss", "yes", "near miss");
  expect("Caught it before it was sent - a near-miss really.", "near_miss",
         "yes", "near-miss");
  expect("To be clear this wasn't a near miss, the letter was delivered.",
         "near_miss", NULL, NULL);
  expect("It was not a near miss: the file went out.", "near_miss", NULL,
         NULL);
  expect("This isn\u2019t a near-miss I'm afraid.", "near_miss", NULL, NULL);
  expect("I wouldn't call it a near miss.", "near_miss", NULL, NULL);
}

static void test_impact_in_general(void **state)
{
  expect("This quarter high impact incidents rose by a fifth", "impact",
         NULL, NULL);
  expect("Ransomware attacks can have a high impact on services", "impact",
         NULL, NULL);
  expect("Low impact scams are the most common", "impact", NULL, NULL);
  expect("I would rate this as high impact", "impact", "high", NULL);
  expect("Impact: medium", "impact", "medium", NULL);
}

/* Class: footers and hedges are not personal data. */
static void test_personal_data_unknown_and_footers(void **state)
{
  expect_rule("I'm not sure whether there was any personal data on the "
              "stick", "personal_data", "unknown", "personal-data-unknown",
              NULL);
  expect("We don't yet know whether the file contained personal "
         "information", "personal_data", "unknown", NULL);
  expect("It may have held personal details of staff", "personal_data",
         "unknown", NULL);
  expect("Personal data: not sure", "personal_data", "unknown", NULL);
  expect("Personal data involved: unknown", "personal_data", "unknown",
         NULL);
  expect("There was no personal data on it", "personal_data", "no", NULL);
  expect("There's nothing with personal data saved on the laptop",
         "personal_data", "no", NULL);
  expect("Everyone can now see everyone else's email address",
         "personal_data", "yes", NULL);
  expect("The list had their full names", "personal_data", "yes", NULL);
  expect("Low risk, nobody clicked", "impact", "low", NULL);
  /* named data still wins over a hedge */
  expect("Not sure if there was other personal data, but the list had "
         "names and addresses", "personal_data", "yes",
         "names and addresses");
  expect_nothing("This email may contain personal data. If you are not the "
                 "intended recipient please delete it.");
  expect_nothing("The contents of this message are confidential and may "
                 "contain personal data.");
  expect_nothing("Privacy notice: we process personal data in line with "
                 "the Data Protection Act.");
  /* a footer runs to the end of its paragraph, and no further */
  expect_nothing("This email is intended only for the addressee. It may "
                 "contain personal data. Contents may include malware.");
  expect("This email is intended only for the addressee. It may contain "
         "personal data.\n\nThe laptop held personal data.", "personal_data",
         "yes", "personal data");
  /* a footer hides only its own sentences */
  expect("The stolen bag held prisoner records.\n\nThis email and any "
         "attachments may contain personal data.", "personal_data", "yes",
         "prisoner records");
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
    cmocka_unit_test(test_phishing_lures_described),
    cmocka_unit_test(test_account_compromise_described),
    cmocka_unit_test(test_malware_described),
    cmocka_unit_test(test_lost_equipment_described),
    cmocka_unit_test(test_physical_and_data_breach_described),
    cmocka_unit_test(test_phishing_doubted_and_money_lures),
    cmocka_unit_test(test_paper_and_access),
    cmocka_unit_test(test_events),
    cmocka_unit_test(test_not_a_report),
    cmocka_unit_test(test_categories_without_their_word),
    cmocka_unit_test(test_newsletters_and_meetings),
    cmocka_unit_test(test_personal_data_of_whom),
    cmocka_unit_test(test_near_miss_and_its_negations),
    cmocka_unit_test(test_impact_in_general),
    cmocka_unit_test(test_personal_data_unknown_and_footers),
    cmocka_unit_test(test_words_as_written),
    cmocka_unit_test(test_words_across_sentences_do_not_match),
    cmocka_unit_test(test_links_do_not_count),
    cmocka_unit_test(test_nothing_to_decide),
    cmocka_unit_test(test_one_decision_per_field),
    cmocka_unit_test(test_hostile_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

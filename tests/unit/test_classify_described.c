/* test_classify_described.c - unit tests for parsers/classify.c on what
 * reporters write when they do not name the category: lures and events
 * described (phishing, account compromise, malware, lost equipment and
 * paper, physical, data breach), messages passed on in doubt, what makes
 * a mail a report and what does not (newsletters, meetings), whose
 * personal data is involved, footers and hedges, near misses taken back,
 * and impact said in general. The table and the rules' mechanics are
 * in test_classify.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/classify.h"
#include "tests/unit/classify_fixture.h"

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

int main(void)
{
  const struct CMUnitTest tests[] = {
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
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* classify_rules.c - the classification table: which words give a report
 * its category, impact and personal data flag.
 *
 * Each row: the field it sets, the value, the rule's name (quoted in the
 * record with the words that fired it), a priority, and its trigger
 * phrases. For each field the row with the highest priority that fires
 * wins; between rows of equal priority, the one whose words come first in
 * the text. Nothing fires, nothing is set: "other" is never given here.
 *
 * Category priorities, highest first (the more specific or more serious
 * reading wins when a report mentions several things):
 *   lost-or-stolen-equipment 100 > data-breach 90 > account-compromise 80 >
 *   malware 70 > denial-of-service 65 > phishing 60 >
 *   unauthorised-access 55 > physical 50 > policy-breach 40 >
 *   suspicious-activity 20 > supply-chain 10 (a supplier is often merely
 *   mentioned, so it only decides when nothing else does).
 * Impact: a stated impact ("impact: low", "high impact") 90-92 beats any
 * cue; among cues high 60 > medium 50 > low 40, so the worst one wins.
 * Personal data: one value, every row 50: the first words in the text.
 *
 * Phrase syntax (the matcher is in classify.c):
 *   - words are matched whole, ignoring case, within one sentence; white
 *     space and line breaks between them do not matter;
 *   - punctuation inside a word splits it as in the text, so "sign-in"
 *     matches "sign-in" and "sign in", and "&" in the text reads "and";
 *   - punctuation written in a phrase may appear there in the text, or
 *     not: "impact: high" matches "Impact: High" and "impact high";
 *   - "*" stands for up to two words, none of them a negation or one of
 *     classify_gap_stops ("lost * laptop": "lost my work laptop", but not
 *     "lost access to the laptop");
 *   - "word*" matches any word starting with "word";
 *   - "<date>" is a date with a year (01/02/1980, 1 Feb 1980);
 *     "<ni-number>" a National Insurance number (QQ 12 34 56 C,
 *     QQ123456C) with a valid prefix, written in capitals.
 * A phrase does not fire when a negation (below) comes within four words
 * before it in the same sentence ("no personal data", "did not contain
 * any personal data"), or when a bare "no"/"none" answers it ("Personal
 * data: none"). */
#include "parsers/classify_rules.h"

#define PHRASES(...) ((const char *const[]){ __VA_ARGS__, NULL })

const IgClassifyRule classify_rules[] = {
  /* ---- category ---- */
  { "category", "lost-or-stolen-equipment", "equipment-stolen", 100,
    PHRASES("laptop stolen", "stolen laptop", "laptop * stolen",
            "stolen * laptop", "stole * laptop", "theft of * laptop",
            "phone stolen", "stolen phone", "phone * stolen", "stole * phone",
            "stolen mobile", "mobile * stolen", "theft of * phone",
            "tablet * stolen", "ipad * stolen", "equipment * stolen",
            "theft of * equipment", "stolen * equipment") },
  { "category", "lost-or-stolen-equipment", "equipment-lost", 100,
    PHRASES("lost my laptop", "lost * laptop", "missing laptop",
            "laptop * gone missing", "laptop went missing",
            "laptop is missing", "laptop was missing", "mislaid * laptop", "lost my phone",
            "lost * phone", "lost * mobile", "phone * gone missing",
            "phone went missing", "phone is missing", "phone was missing",
            "mislaid * phone", "lost * tablet", "lost * ipad",
            "lost * encrypted usb", "lost * usb stick", "lost * usb drive",
            "lost * memory stick", "lost * hard drive", "lost * smartcard",
            "lost * security token", "can't find my laptop",
            "cannot find * laptop", "can't find * phone",
            "cannot find * phone", "left my laptop on the train",
            "left * laptop on * train", "left * laptop on * bus",
            "left * laptop in * taxi", "left * phone on * train",
            "left * phone on * bus", "left * phone in * taxi") },

  { "category", "data-breach", "misdirected", 90,
    PHRASES("sent to the wrong", "sent * to the wrong",
            "emailed to the wrong person", "emailed * to the wrong",
            "wrong recipient", "wrong recipients", "wrong email address",
            "letter sent to wrong address", "sent to wrong address",
            "posted to the wrong", "went to the wrong address",
            "sent in error", "emailed in error", "instead of bcc",
            "cc'd instead", "autocomplete", "auto-complete") },
  { "category", "data-breach", "data-disclosed", 90,
    PHRASES("data breach", "personal data breach", "data leak",
            "data leaked", "leaked", "disclosed", "unauthorised disclosure",
            "inappropriate disclosure", "shared with the wrong",
            "publicly available online") },

  { "category", "account-compromise", "account-compromised", 80,
    PHRASES("account compromised", "account * compromised",
            "compromised account", "compromised * account",
            "account * hacked", "hacked account", "hacked * account",
            "account takeover", "someone logged into my account",
            "someone * logged into my account",
            "someone * logged in to my account", "someone * accessed my account",
            "someone * using my account", "emails sent from my account",
            "password was changed", "password has been changed",
            "password had been changed") },
  { "category", "account-compromise", "sign-in-alerts", 80,
    PHRASES("sign-in alerts", "sign-in alert", "login alert",
            "login alerts", "unusual sign-in", "unusual sign-ins",
            "unusual login", "unusual logins", "suspicious sign-in",
            "suspicious login", "mfa prompts i did not request",
            "mfa prompts i didn't request", "mfa requests i did not",
            "mfa requests i didn't", "mfa prompts", "mfa requests",
            "mfa fatigue", "authenticator prompts",
            "authenticator requests", "authentication requests i did not") },

  { "category", "malware", "malware-named", 70,
    PHRASES("virus", "viruses", "malware", "ransomware", "trojan",
            "spyware", "keylogger", "rootkit", "botnet", "cryptolocker",
            "malicious software", "malicious file", "malicious attachment",
            "ransom note", "ransom demand") },
  { "category", "malware", "malware-detected", 70,
    PHRASES("infected", "antivirus alert", "anti-virus alert",
            "antivirus warning", "anti-virus warning", "antivirus flagged",
            "anti-virus flagged", "defender alert") },

  { "category", "denial-of-service", "denial-of-service", 65,
    PHRASES("ddos", "dos attack", "denial of service",
            "distributed denial", "website down due to traffic",
            "down due to * traffic", "flooded with traffic",
            "flood of traffic", "flooded with requests", "traffic spike",
            "overwhelmed with traffic", "overwhelmed by traffic",
            "email bombing") },

  { "category", "phishing", "phishing-named", 60,
    PHRASES("phishing", "phish", "phished", "spear-phishing", "smishing",
            "vishing") },
  { "category", "phishing", "phishing-lure", 60,
    PHRASES("suspicious email", "suspicious e-mail", "suspicious emails",
            "suspicious-looking email", "scam email", "scam text",
            "fake email", "fake login page", "fake log-in page",
            "fake sign-in page", "spoofed", "spoofing", "impersonating",
            "pretending to be from", "malicious link", "dodgy link",
            "dodgy email") },
  { "category", "phishing", "phishing-credentials", 60,
    PHRASES("asked me to enter my password", "asked me to enter my login",
            "asked for my password", "asked me for my password",
            "asked me to confirm my password",
            "asked me to verify my account", "entered my password on",
            "entered my credentials", "clicked the link",
            "clicked on the link", "clicked a link", "clicked on a link") },

  { "category", "unauthorised-access", "unauthorised-access", 55,
    PHRASES("unauthorised access", "unauthorized access",
            "accessed without permission", "accessed * without permission",
            "accessed without authorisation",
            "accessed * without authorisation",
            "accessed * without authorization", "not authorised to access",
            "no business need", "no business reason",
            "using someone else's login", "using someone else's account",
            "using * colleague's login", "shouldn't have access",
            "should not have access", "privilege escalation", "hacked",
            "hacker", "hackers", "intrusion", "brute force") },

  { "category", "physical", "physical-entry", 50,
    PHRASES("break-in at", "break-ins", "broken into", "burglary",
            "burgled", "door forced", "door * forced", "forced entry",
            "forced the door", "forced open", "propped open", "tailgating",
            "tailgated", "tailgate", "followed me through the door",
            "intruder", "trespasser", "unauthorised person") },
  { "category", "physical", "pass-lost", 50,
    PHRASES("lost building pass", "lost * building pass",
            "lost * security pass", "lost * id pass", "lost * id badge",
            "lost * access card", "lost * door pass", "pass * stolen",
            "badge * stolen") },

  { "category", "policy-breach", "policy-breach", 40,
    PHRASES("shared password", "shared * password", "password sharing",
            "sharing passwords", "told * my password", "breach of policy",
            "policy breach", "breach of the policy", "against policy",
            "against the policy", "against security policy",
            "personal email account", "personal email address",
            "personal email", "personal gmail", "usb not encrypted",
            "usb * not encrypted", "unencrypted usb",
            "unencrypted memory stick", "unencrypted laptop",
            "password written down", "written down * password",
            "left * screen unlocked", "left * laptop unlocked",
            "unlocked and unattended", "unattended and unlocked",
            "unapproved software", "unauthorised software") },

  { "category", "suspicious-activity", "suspicious-activity", 20,
    PHRASES("suspicious activity", "unusual activity", "strange activity",
            "strange behaviour", "strange behavior", "odd behaviour",
            "behaving strangely", "acting strangely", "acting oddly",
            "suspicious behaviour", "suspicious behavior",
            "suspicious phone call", "suspicious call", "suspicious caller",
            "suspicious person", "suspicious device", "unknown device",
            "unrecognised device", "found an unlabelled usb stick",
            "unlabelled usb", "found * usb stick", "found * memory stick",
            "unknown usb") },

  { "category", "supply-chain", "supplier-mentioned", 10,
    PHRASES("supplier", "suppliers", "third party", "third-party",
            "our contractor", "the contractor", "contractors", "vendor",
            "supply chain", "outsourced", "managed service provider") },

  /* ---- impact ---- */
  { "impact", "high", "impact-stated-high", 92,
    PHRASES("high impact", "impact: high", "impact * high",
            "high severity", "severity: high") },
  { "impact", "medium", "impact-stated-medium", 91,
    PHRASES("medium impact", "impact: medium", "impact * medium",
            "moderate impact", "medium severity", "severity: medium") },
  { "impact", "low", "impact-stated-low", 90,
    PHRASES("low impact", "impact: low", "impact * low", "minimal impact",
            "low severity", "severity: low") },
  { "impact", "high", "impact-cue-high", 60,
    PHRASES("critical", "all users affected", "all users are affected",
            "affecting all users", "all staff affected",
            "all staff are affected", "affecting all staff",
            "everyone is affected", "whole site down", "whole site is down",
            "entire site down", "entire site is down", "site-wide",
            "organisation-wide", "thousands of records",
            "thousands of people", "thousands of users",
            "national outage", "national impact", "nationally",
            "national press", "national news", "press are aware",
            "press is aware", "journalist", "journalists", "media interest",
            "ransomware has encrypted", "major incident", "serious incident",
            "severe") },
  { "impact", "medium", "impact-cue-medium", 50,
    PHRASES("several users", "several people", "several staff",
            "several colleagues", "several members of staff",
            "multiple users", "multiple staff", "a number of users",
            "a number of staff", "a number of records", "some records",
            "several records", "dozens of users", "dozens of people",
            "dozens of records", "a team affected",
            "affecting a team", "a whole team", "the whole team",
            "entire team", "several teams") },
  { "impact", "low", "impact-cue-low", 40,
    PHRASES("no data lost", "no data * lost", "no data * accessed",
            "only me", "only affected me", "only affects me",
            "only my account", "nothing was clicked", "nothing * clicked",
            "didn't click", "did not click", "didn't open", "did not open",
            "didn't enter", "did not enter", "near miss", "no harm done",
            "no damage") },

  /* ---- personal data ---- */
  { "personal_data", "yes", "personal-data-named", 50,
    PHRASES("personal data", "personal information", "personal details",
            "personally identifiable", "pii", "sensitive personal",
            "special category data", "data subject", "data subjects") },
  { "personal_data", "yes", "identity-details", 50,
    PHRASES("names and addresses", "name and address", "names, addresses",
            "dates of birth", "date of birth", "home addresses", "ni number",
            "ni numbers", "national insurance", "passport number",
            "passport details", "driving licence") },
  { "personal_data", "yes", "case-records", 50,
    PHRASES("prisoner records", "prisoner details", "prisoner data",
            "prisoner information", "offender records", "offender details",
            "offender data", "case notes", "case files", "criminal record",
            "criminal records", "victim details", "victims details",
            "witness details") },
  { "personal_data", "yes", "health-and-finance", 50,
    PHRASES("medical records", "medical information", "medical details",
            "health records", "health information", "bank details",
            "bank account details", "salary details", "payslip",
            "payslips") },
  { "personal_data", "yes", "identity-patterns", 50,
    PHRASES("<ni-number>", "dob: <date>", "d.o.b: <date>", "d.o.b. <date>",
            "born <date>",
            "born on <date>") },

  { NULL, NULL, NULL, 0, NULL } };

const char *const classify_negations[] = {
  "no", "not", "never", "without", "none", "nor", "neither", "nothing",
  "cannot", NULL }; /* and every word ending in n't: didn't, wasn't, ... */

const char *const classify_negation_stops[] = {
  "but", "however", "although", "though", "except", "whereas", NULL };

const char *const classify_gap_stops[] = {
  "to", "from", "with", "for", "into", "access", "about", "if", "whether",
  "than", "on", "in", "at", "of", NULL };

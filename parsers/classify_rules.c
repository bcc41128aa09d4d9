/* classify_rules.c - the classification table: which words give a report
 * its category, impact and personal data flag.
 *
 * Each row: the field it sets, the value, the rule's name (quoted in the
 * record with the words that fired it), a priority, its trigger phrases,
 * and optionally words that stop them ("unless", below). For each field
 * the row with the highest priority that fires wins; between rows of equal
 * priority, the one whose words come first in the text. Nothing fires,
 * nothing is set: "other" is never given here.
 *
 * Category priorities, highest first (the more specific or more serious
 * reading wins when a report mentions several things):
 *   supply-chain stated ("a supply chain incident") 110 >
 *   lost-or-stolen-equipment 100 > data-breach 90 > account-compromise 80 >
 *   malware 70 > denial-of-service 65 > phishing 60 >
 *   unauthorised-access 55 > physical 50 > policy-breach 40 >
 *   suspicious-activity 20 > supply-chain by mention 10 (a supplier is
 *   often merely mentioned, so that only decides when nothing else does).
 * Impact is what the reporter states ("impact: low", "I'd say high
 * impact"), 90-92; of cues only the plainest signs of a high or medium
 * impact count (60, 50). A near miss, or nothing clicked, says nothing
 * about impact: that is left to OST.
 * Personal data: "yes" rows 50, the first words in the text; a stated
 * absence ("no personal data") gives "no" at 40, so named personal data
 * elsewhere in the text wins.
 *
 * Phrase syntax (the matcher is in classify.c):
 *   - words are matched whole, ignoring case, within one sentence; white
 *     space and line breaks between them do not matter;
 *   - punctuation inside a word splits it as in the text, so "sign-in"
 *     matches "sign-in" and "sign in", and "&" in the text reads "and";
 *   - punctuation written in a phrase may appear there in the text, or
 *     not: "impact: high" matches "Impact: High" and "impact high";
 *   - "laptop|phone" is either word;
 *   - "*" stands for up to three words, none of them a negation or one of
 *     classify_gap_stops ("lost * laptop": "lost my work laptop", but not
 *     "lost access to the laptop");
 *   - "word*" matches any word starting with "word";
 *   - "<date>" is a date with a year (01/02/1980, 1 Feb 1980);
 *     "<ni-number>" a National Insurance number (QQ 12 34 56 C,
 *     QQ123456C) with a valid prefix, written in capitals.
 * Words in addresses and links (jane@supplier.co.uk) never match. A phrase
 * does not fire when a negation (below), or one of its row's "unless"
 * words, comes within four words before it in the same sentence ("no
 * personal data", "did not contain any personal data", "asking me to
 * confirm my bank details"), or when a bare "no"/"none" answers it
 * ("Personal data: none"). */
#include "parsers/classify_rules.h"

#define PHRASES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Requests are not disclosures: "asking me to confirm my bank details" is
 * a lure, not personal data involved. */
#define REQUESTS \
  PHRASES("asking", "asked", "asks", "confirm", "verify", "update", "enter")

const IgClassifyRule classify_rules[] = {
  /* ---- category ---- */
  { "category", "supply-chain", "supply-chain-stated", 110,
    PHRASES("supply chain incident", "supply-chain incident",
            "supplier incident",
            "incident at our supplier", "incident at a supplier"), NULL },

  { "category", "lost-or-stolen-equipment", "equipment-stolen", 100,
    PHRASES("laptop|laptops|phone|phones|ipad|tablet|equipment * stolen",
            "stolen * laptop|laptops|phone|phones|mobile|ipad|tablet",
            "stole * laptop|laptops|phone|ipad|tablet",
            "theft of * laptop|laptops|phone|phones|ipad|tablet|equipment",
            "laptop|laptops|phone|phones|ipad|tablet|pcs * taken",
            "laptop|phone|ipad|tablet has|had|was gone",
            "laptop|phone|ipad|tablet gone",
            "laptop|phone|ipad|tablet was inside",
            "laptop|phone|ipad|tablet was in it", "pickpocketed"), NULL },
  { "category", "lost-or-stolen-equipment", "equipment-lost", 100,
    PHRASES("lost * laptop|laptops|phone|ipad|tablet|usb|smartcard",
            "lost * mobile phone", "lost * memory stick", "lost * hard drive",
            "lost * security token", "missing laptop",
            "laptop|phone|ipad|tablet * gone missing",
            "laptop|phone|ipad|tablet went missing",
            "laptop|phone|ipad|tablet is|was missing",
            "mislaid * laptop|phone|ipad|tablet|usb",
            "can't find * laptop|phone|ipad|tablet|usb",
            "cannot find * laptop|phone|ipad|tablet|usb",
            "left * laptop|phone|ipad|tablet|usb on|in|at * "
            "train|bus|taxi|tube|hotel|cafe|café|pub|restaurant|airport|"
            "station|meeting"), NULL },

  { "category", "data-breach", "misdirected", 90,
    PHRASES("sent to the wrong", "sent * to the wrong",
            "emailed to the wrong person",
            "to the wrong * address|addresses|person|people|recipient|"
            "recipients|firm|solicitor|solicitors|deputy|claimant|applicant|"
            "team|organisation|company|email|inbox|mailbox|contact|"
            "individual|family|party|agency",
            "in the wrong * chat|channel|group",
            "to a different * person|recipient|claimant|applicant|address|"
            "family|deputy|solicitor|firm",
            "sent to a different", "instead of to", "meant for someone else",
            "received a letter|email addressed to", "old address on file",
            "intended for someone else", "another recipient's",
            "wrong recipient", "wrong recipients", "wrong email address",
            "sent to wrong address", "letter sent to wrong address",
            "posted to the wrong", "went to the wrong address",
            "sent in error", "emailed in error", "instead of bcc",
            "cc'd instead", "autocomplete", "auto-complete",
            "attached the wrong", "wrong attachment", "mis-collated",
            "misdirected"), NULL },
  { "category", "data-breach", "data-exposed", 90,
    PHRASES("data breach", "personal data breach", "data leak",
            "data leaked", "leaked", "disclosed", "unauthorised disclosure",
            "inappropriate disclosure", "shared with the wrong",
            "anyone with the link", "publicly readable",
            "publicly accessible", "publicly available online",
            "left on the * printer", "left at the printer", "left a paper"),
    NULL },

  { "category", "account-compromise", "account-compromised", 80,
    PHRASES("account compromised", "account * compromised",
            "compromised account", "compromised * account",
            "account * hacked", "hacked account", "hacked * account",
            "account takeover", "taken over my account",
            "took over my account", "someone logged into my account",
            "someone * logged into my account",
            "someone * logged in to my account",
            "someone * accessed my account", "someone * using my account",
            "emails sent from my account", "password was changed",
            "password has been changed", "password had been changed",
            "forwarding rule", "inbox rule", "mailbox rule",
            "rule in my mailbox", "forwarding everything to"), NULL },
  { "category", "account-compromise", "sign-in-alerts", 80,
    PHRASES("sign-in alerts", "sign-in alert", "login alert",
            "login alerts", "unusual sign-in", "unusual sign-ins",
            "unusual login", "unusual logins", "suspicious sign-in",
            "suspicious login", "mfa fatigue",
            "mfa|authenticator|authentication prompts|requests|approvals|"
            "notifications i didn't request|make|approve|initiate",
            "mfa|authenticator|authentication prompts|requests|approvals|"
            "notifications i did not request|make|approve|initiate",
            "sign-in approvals|requests|prompts i didn't",
            "sign-in approvals|requests|prompts i did not",
            "unexpected mfa|authenticator prompts|requests",
            "started getting mfa|authenticator prompts|requests",
            "repeated mfa|authenticator prompts|requests",
            "someone has|knows my password"), NULL },

  { "category", "malware", "malware-named", 70,
    PHRASES("virus", "viruses", "malware", "ransomware", "trojan",
            "spyware", "rootkit", "botnet", "cryptolocker",
            "malicious software", "malicious file", "malicious attachment",
            "ransom note", "ransom demand"), NULL },
  { "category", "malware", "malware-detected", 70,
    PHRASES("infected", "antivirus alert", "anti-virus alert",
            "antivirus warning", "anti-virus warning", "antivirus flagged",
            "anti-virus flagged", "defender alert"), NULL },

  { "category", "denial-of-service", "denial-of-service", 65,
    PHRASES("ddos", "dos attack", "denial of service",
            "distributed denial", "website down due to traffic",
            "down due to * traffic", "flooded with traffic",
            "flood of traffic", "flooded with requests", "traffic spike",
            "overwhelmed with traffic", "overwhelmed by traffic",
            "email bombing"), NULL },

  { "category", "phishing", "phishing-named", 60,
    PHRASES("phishing", "phish", "phished", "spear-phishing", "smishing",
            "vishing"), NULL },
  { "category", "phishing", "phishing-lure", 60,
    PHRASES("suspicious email", "suspicious e-mail", "suspicious emails",
            "suspicious-looking email", "scam email", "scam text",
            "fake email", "fake * page|website|site", "spoofed", "spoofing",
            "impersonating", "pretending to be from", "malicious link",
            "dodgy link", "dodgy email"), NULL },
  { "category", "phishing", "phishing-credentials", 60,
    PHRASES("asked me to enter my password", "asked me to enter my login",
            "asked for my password", "asked me for my password",
            "asked me to confirm my password",
            "asked me to verify my account",
            "asking me to confirm|enter|update|verify my",
            "asking me to log|sign in", "asked me to log|sign in",
            "log|sign in to view", "re-enter my password",
            "entered my password on", "entered my credentials",
            "clicked the link", "clicked on the link", "clicked a link",
            "clicked on a link"), NULL },

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
            "hacker", "hackers", "intrusion", "brute force"), NULL },

  { "category", "physical", "physical-entry", 50,
    PHRASES("physical security", "break-in at", "break-ins",
            "broken into", "burglary", "burgled", "door forced",
            "door * forced", "forced entry", "forced the door", "forced open",
            "propped open", "wedged open", "tailgating", "tailgated",
            "tailgate", "followed me through", "followed me in",
            "following staff through", "followed staff through",
            "without a pass", "intruder", "intruders", "trespasser",
            "unauthorised person"), NULL },
  { "category", "physical", "pass-lost", 50,
    PHRASES("lost building pass", "lost * building pass",
            "lost * security pass", "lost * id pass", "lost * id badge",
            "lost * access card", "lost * door pass", "pass * stolen",
            "badge * stolen"), NULL },

  { "category", "policy-breach", "policy-breach", 40,
    PHRASES("shared password", "shared * password", "password sharing",
            "sharing passwords", "told * my password", "breach of policy",
            "policy breach", "breach of * policy", "against policy",
            "against * policy", "acceptable use policy",
            "personal email account", "personal email address",
            "personal email", "personal gmail", "personal laptop",
            "personal device", "usb not encrypted", "usb * not encrypted",
            "unencrypted usb", "unencrypted memory stick",
            "unencrypted laptop", "password written down",
            "written down * password", "password is written",
            "same * login", "shared * login", "sharing * login",
            "left * screen unlocked", "left * laptop unlocked",
            "unlocked and unattended", "unattended and unlocked",
            "unapproved software", "unauthorised software"), NULL },

  { "category", "suspicious-activity", "suspicious-activity", 20,
    PHRASES("suspicious activity", "unusual activity", "strange activity",
            "strange behaviour", "strange behavior", "odd behaviour",
            "behaving strangely", "acting strangely", "acting oddly",
            "suspicious behaviour", "suspicious behavior",
            "suspicious phone call", "suspicious call", "suspicious caller",
            "suspicious person", "suspicious device", "unknown device",
            "unrecognised device", "device plugged in", "keylogger",
            "found an unlabelled usb stick", "unlabelled usb",
            "found * usb stick", "found * memory stick", "unknown usb",
            "seemed|seems|looked|looks suspicious",
            "seemed|seems|looked|looks very suspicious"), NULL },

  { "category", "supply-chain", "supplier-mentioned", 10,
    PHRASES("supplier", "suppliers", "third party", "third-party",
            "our contractor", "the contractor", "contractors", "vendor",
            "supply chain", "outsourced", "managed service provider"), NULL },

  /* ---- impact: as the reporter states it; only the plainest signs of a
   * high impact stand in for a statement ---- */
  { "impact", "high", "impact-stated-high", 92,
    PHRASES("high impact", "impact: high", "impact * high",
            "impact * as high", "impact to the moj as high",
            "high severity", "severity: high"), NULL },
  { "impact", "medium", "impact-stated-medium", 91,
    PHRASES("medium impact", "impact: medium", "impact * medium",
            "impact * as medium", "impact to the moj as medium",
            "moderate impact", "medium severity", "severity: medium"), NULL },
  { "impact", "low", "impact-stated-low", 90,
    PHRASES("low impact", "impact: low", "impact * low", "impact * as low",
            "impact to the moj as low", "minimal impact", "low severity",
            "severity: low"), NULL },
  { "impact", "high", "impact-cue-high", 60,
    PHRASES("critical incident", "critical impact", "business critical",
            "mission critical", "critical system|systems|service|services",
            "all users affected", "all users are affected",
            "affecting all users", "all staff affected",
            "all staff are affected", "affecting all staff",
            "everyone is affected", "whole site down", "whole site is down",
            "entire site down", "entire site is down",
            "thousands of records", "thousands of people",
            "thousands of users", "national outage", "national press",
            "national news", "press are aware", "press is aware",
            "ransomware has encrypted", "major incident"), NULL },
  { "impact", "medium", "impact-cue-medium", 50,
    PHRASES("several users affected", "several users were affected",
            "several staff affected", "several staff were affected",
            "multiple users affected", "a number of users affected",
            "affecting several users", "a team affected",
            "affecting a team", "several teams affected", "some records",
            "a number of records", "several records", "dozens of records"),
    NULL },

  /* ---- personal data ---- */
  { "personal_data", "yes", "personal-data-named", 50,
    PHRASES("personal data", "personal information", "personal details",
            "personally identifiable", "pii", "sensitive personal",
            "special category data", "data subject", "data subjects"),
    REQUESTS },
  { "personal_data", "yes", "identity-details", 50,
    PHRASES("names and addresses", "name and address", "name, address",
            "names, addresses", "names and * addresses", "dates of birth",
            "date of birth", "home addresses", "ni number", "ni numbers",
            "national insurance", "passport number", "passport details",
            "driving licence"), REQUESTS },
  { "personal_data", "yes", "case-records", 50,
    PHRASES("prisoner records", "prisoner details", "prisoner data",
            "prisoner information", "offender records", "offender details",
            "offender data", "case notes", "criminal record",
            "criminal records", "victim details", "victims details",
            "witness details"), REQUESTS },
  { "personal_data", "yes", "health-and-finance", 50,
    PHRASES("medical records", "medical information", "medical details",
            "health records", "health information", "bank details",
            "bank account details", "bank statements", "bank balances",
            "financial details", "salary details", "payslips"), REQUESTS },
  { "personal_data", "yes", "identity-patterns", 50,
    PHRASES("<ni-number>", "dob: <date>", "d.o.b: <date>", "d.o.b. <date>",
            "born <date>", "born on <date>"), NULL },
  /* stated absence: below every "yes" row, so that named personal data
   * wins over "no personal data" in the same text */
  { "personal_data", "no", "personal-data-none", 40,
    PHRASES("no personal data|information|details",
            "not contain * personal data|information",
            "didn't|doesn't|don't contain * personal data|information",
            "not include * personal data|information",
            "didn't|doesn't|don't include * personal data|information",
            "not hold * personal data|information",
            "personal data: no|none", "personal data involved: no|none",
            "personal information: no|none"), NULL },

  { NULL, NULL, NULL, 0, NULL, NULL } };

const char *const classify_negations[] = {
  "no", "not", "never", "without", "none", "nor", "neither", "nothing",
  "cannot", NULL }; /* and every word ending in n't: didn't, wasn't, ... */

const char *const classify_negation_stops[] = {
  "but", "however", "although", "though", "except", "whereas", NULL };

const char *const classify_gap_stops[] = {
  "to", "from", "with", "for", "into", "access", "about", "if", "whether",
  "than", "on", "in", "at", "of", "connection", "contact", "signal",
  "power", "sight", "track", NULL };

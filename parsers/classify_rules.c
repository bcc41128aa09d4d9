/* classify_rules.c - the classification table: which words give a report
 * its category, impact and personal data flag, and which say that a mail
 * reports nothing. The category's rows are here, the other fields' in
 * classify_rules_fields.c.
 *
 * Each row: the field it sets, the value, the rule's name (quoted in the
 * record with the words that fired it), a priority, its trigger phrases,
 * and optionally words that stop them ("unless" before, "unless_after"
 * right after, below) and whether it counts only in the mail's opening
 * sentences. For each field the row with the highest priority that fires
 * wins; between rows of equal priority, the one whose words come first in
 * the text. Nothing fires, nothing is set: "other" is never given here.
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
 * about impact: that is left to OST; nor does impact said of incidents in
 * general ("high impact incidents").
 * Personal data: "yes" rows 50, the first words in the text; "not sure
 * whether ..." gives "unknown" at 45 and a stated absence ("no personal
 * data") "no" at 40, so named personal data elsewhere in the text wins.
 * A mail reports nothing (SPEC 4) when a "not_a_report" row fires (a
 * bulletin, an agenda, a question about reporting, thanks) and no "event"
 * row does (the writer telling of something that happened: "I clicked",
 * "my laptop was stolen"); freetext.c then sets none of the fields.
 * "boilerplate" rows mark the sentences of legal footers, which no other
 * row reads.
 *
 * Phrase syntax (the matcher is in classify.c):
 *   - words are matched whole, ignoring case, within one sentence; white
 *     space and line breaks between them do not matter;
 *   - punctuation inside a word splits it as in the text, so "sign-in"
 *     matches "sign-in" and "sign in", and "&" in the text reads "and";
 *   - punctuation written in a phrase may appear there in the text, or
 *     not: "impact: high" matches "Impact: High" and "impact high";
 *   - "laptop|phone" is either word, "usb|memory-stick" either "usb" or
 *     "memory stick" (a hyphen joins the words of an alternative);
 *   - "*" stands for up to three words, none of them a negation or one of
 *     classify_gap_stops ("lost * laptop": "lost my work laptop", but not
 *     "lost access to the laptop");
 *   - "**" stands for up to twelve words of the same clause, commas
 *     included, none of them a negation ("phone ** was missing": "my
 *     phone, which has Outlook on it, was missing");
 *   - "word*" matches any word starting with "word";
 *   - "<date>" is a date with a year (01/02/1980, 1 Feb 1980); "<time>" a
 *     clock time (08:32, 17.45); "<ni-number>" a National Insurance
 *     number (QQ 12 34 56 C, QQ123456C) with a valid prefix, written in
 *     capitals.
 * Words in addresses and links (jane@supplier.co.uk) never match. A phrase
 * does not fire when a negation (below), or one of its row's "unless"
 * words, comes within four words before it in the same sentence ("no
 * personal data", "did not contain any personal data", "asking me to
 * confirm my bank details"), when one of its "unless_after" words follows
 * it, or when a bare "no"/"none"/"not sure" answers it ("Personal data:
 * none"). */
#include "parsers/classify_rules.h"

#define PHRASES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Things people lose or have stolen (SPEC 4: a device, token or pass). */
#define EQUIPMENT                                                           \
  "laptop|laptops|phone|phones|mobile|smartphone|iphone|ipad|tablet|usb|" \
  "smartcard|token|pass|badge|macbook|device|devices|dongle|fob|kit|"     \
  "equipment|memory-stick|hard-drive|security-token|id-card|access-card|"  \
  "warrant-card"
/* ... and what they are carried in: "my laptop bag", "the rucksack with
 * my work phone in it". */
#define CARRIED EQUIPMENT "|bag|handbag|rucksack|backpack|briefcase"
/* ... and paper: lost, missing or left behind, it is lost equipment
 * (SPEC 4: "a device, token, pass or paper file lost, left behind"). */
#define MISLAID CARRIED "|file|files|folder|folders|paperwork|papers|" \
  "documents|bundle|bundles|box|boxes|notebook|diary"
/* Where things are left behind. */
#define PLACES                                                              \
  "train|bus|taxi|cab|uber|tube|tram|coach|plane|flight|carriage|hotel|"  \
  "cafe|café|pub|restaurant|bar|airport|station|platform|meeting|shop|"   \
  "gym|park|bench|toilets|underground|overground"

const IgClassifyRule classify_category_rules[] = {
  /* ---- category ---- */
  { "category", "supply-chain", "supply-chain-stated", 110,
    PHRASES("supply chain incident", "supply-chain incident",
            "supplier incident",
            "incident at our supplier", "incident at a supplier"),
    NULL, NULL, FALSE },
  /* a supplier's own breach told by our staff: "they had a security
   * incident at their data centre" */
  { "category", "supply-chain", "supplier-breached", 56,
    PHRASES("incident|breach|attack|compromise|intrusion at|on their|its "
            "end|side|data-centre|data-center|site|premises|offices|"
            "servers|systems|network",
            "into * of their|its servers|systems|network|platform",
            "their|its servers|systems|network * breached|compromised|"
            "hacked|accessed"),
    NULL, NULL, FALSE },

  { "category", "lost-or-stolen-equipment", "equipment-stolen", 100,
    PHRASES(CARRIED " * stolen",
            "stolen * " EQUIPMENT, "stole * " EQUIPMENT,
            "theft of * " CARRIED,
            CARRIED " * taken", "snatched * " CARRIED,
            EQUIPMENT " has|had|was gone", EQUIPMENT " gone",
            EQUIPMENT " was|were inside", EQUIPMENT " was|were in it",
            "pickpocketed", "mugged"), NULL,
    /* "the laptop was taken to IT" */
    PHRASES("to", "offline", "off", "out", "apart", "back", "for", "into",
            "down"), FALSE },
  { "category", "lost-or-stolen-equipment", "equipment-lost", 100,
    PHRASES("lost * " MISLAID, "lost * mobile phone", "lost * memory stick",
            "lost * hard drive", "lost * security token",
            "missing * " EQUIPMENT,
            MISLAID " * gone missing", MISLAID " went missing",
            MISLAID " ** is|was|were|are missing",
            "mislaid|misplaced * " MISLAID,
            "can't|cannot|couldn't * find * " MISLAID,
            "can not find * " MISLAID, "could not find * " MISLAID,
            "unable to find|locate * " MISLAID,
            MISLAID " ** hasn't|haven't|has-not|have-not turned up",
            "left * " MISLAID " ** on|in|at * " PLACES,
            "left * " MISLAID " * on|in the <time>",
            "left * " CARRIED " * behind", CARRIED " * left behind"),
    NULL, NULL, FALSE },
  /* found again, or never stolen after all: still a report of the loss
   * (SPEC 4), and nothing more */
  { "category", "lost-or-stolen-equipment", "equipment-found", 100,
    PHRASES(EQUIPMENT " * not|never stolen|lost|missing",
            EQUIPMENT " wasn't|isn't|hasn't|weren't|haven't * stolen|lost",
            EQUIPMENT " ** has|have|had been found|recovered|returned",
            EQUIPMENT " * handed in", EQUIPMENT " * turned up",
            "found * " CARRIED " again|later|since",
            "got * " CARRIED " back", "recovered * " CARRIED),
    NULL, NULL, FALSE },

  { "category", "data-breach", "misdirected", 90,
    PHRASES("sent to the wrong", "sent * to the wrong",
            "emailed to the wrong person",
            "to the wrong * address|addresses|person|people|recipient|"
            "recipients|firm|solicitor|solicitors|deputy|claimant|applicant|"
            "team|organisation|company|email|inbox|mailbox|contact|"
            "individual|family|party|agency|site|sharepoint|folder|drive|"
            "channel|library|workspace",
            "in the wrong * chat|channel|group",
            "to a different * person|recipient|claimant|applicant|address|"
            "family|deputy|solicitor|firm",
            "sent to a different", "instead of to", "meant for someone else",
            "went|sent|delivered|posted|emailed|addressed|given|handed|taken "
            "to ** instead of",
            "wrong house|flat|property|door|household",
            "received a letter|email addressed to", "old address on file",
            "intended for someone else", "another recipient's",
            "wrong recipient", "wrong recipients", "wrong email address",
            "sent to wrong address", "letter sent to wrong address",
            "posted to the wrong", "went to the wrong address",
            "sent in error", "emailed in error", "instead of bcc",
            "cc'd instead", "autocomplete", "auto-complete",
            "attached the wrong", "wrong attachment", "mis-collated",
            "misdirected"), NULL, NULL, FALSE },
  { "category", "data-breach", "data-exposed", 90,
    PHRASES("data breach", "personal data breach", "data leak",
            "data leaked", "leaked", "disclosed", "unauthorised disclosure",
            "inappropriate disclosure", "shared with the wrong",
            "anyone with the link", "publicly readable",
            "publicly accessible", "publicly available online",
            "left on the * printer", "left at the printer",
            "anyone|everyone ** could|can * open|opened|see|seen|view|viewed|"
            "access|accessed|read",
            "visible to all|everyone|anyone|everybody",
            "uploaded|saved|posted|put|moved|copied|published|stored ** "
            "site|sharepoint|folder|drive|channel|library instead of"),
    NULL, NULL, FALSE },
  { "category", "data-breach", "wrong-copy", 90,
    PHRASES("rather than bcc", "instead of the bcc", "not bcc",
            "not in bcc", "forgot to * bcc", "forgotten to * bcc",
            "forgot * bcc", "should have * bcc", "didn't use bcc",
            "did not use bcc", "cc'd|ccd|cc * instead",
            "in the cc|to field|line|box instead", "cc rather than",
            "email addresses * visible", "addresses * visible to",
            "each other's * addresses|details",
            "attached|sent|included|enclosed|uploaded|shared * wrong "
            "file|files|document|documents|spreadsheet|version|letter|pdf|"
            "report|bundle|papers|paperwork|form",
            "someone else's * details|information|data|letter|documents|"
            "records|report|file|paperwork|address|name",
            "another person's|individual's|family's|client's|customer's|"
            "applicant's|prisoner's|offender's|claimant's|child's|user's * "
            "details|information|data|letter|documents|records|report|file|"
            "paperwork|address|name",
            "unredacted", "un-redacted", "not redacted", "wasn't redacted",
            "weren't redacted", "without redaction", "failed to redact",
            "forgot to redact", "addressed to someone else",

            "addressed to another", "addressed to a different",
            "wrong envelope"), NULL, NULL, FALSE },

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
            "rule in my mailbox", "forwarding everything to",
            "someone * into my * account|accounts|email|emails|mailbox|"
            "inbox|outlook|onedrive",
            "got into my account|email|emails|mailbox|inbox|outlook",
            "broken|hacked into my * account|email|mailbox|inbox",
            "someone * access to my * account|email|emails|mailbox|inbox",
            "someone else * using|accessing|accessed|in my * "
            "account|email|mailbox|inbox",
            "rule|rules ** i didn't|never create|created|set|make|made|add|"
            "added",
            "rule|rules ** i did|had not create|created|set|make|made|add|"
            "added",
            "rule|rules * forward|forwarding|forwards|move|moving|moves|"
            "delete|deleting|deletes|redirect|redirecting|redirects",
            "auto-forward", "auto-forwarding", "autoforward|autoforwarding",
            "emails|messages ** i didn't|never send|sent|write|wrote",
            "emails|messages ** i did not send|write",
            "contacts|colleagues|people * received|getting|got * from me|my"),
    NULL, NULL, FALSE },
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
            "someone has|knows my password",
            "someone|somebody * must|might|may * have|know my password",
            "pressed|tapped|clicked|hit|selected deny|denied|decline|declined|"
            "reject|rejected on|to all|each|every|them|both",
            "approve sign-in|login|log-in requests|prompts",
            "haven't|hadn't|wasn't been * trying|attempting to log|sign in",
            "mfa|2fa|authenticator|authentication|approval|verification|push "
            "prompt|prompts|request|requests|approvals|notification|"
            "notifications|code|codes|texts|alerts * i didn't|hadn't|"
            "wasn't|haven't request|make|approve|initiate|start|trigger|"
            "expect|expecting|ask|recognise|recognize",
            "mfa|2fa|authenticator|authentication|approval|verification|push "
            "prompt|prompts|request|requests|approvals|notification|"
            "notifications|code|codes|texts|alerts * i did|had|was|have not "
            "request|make|approve|initiate|start|trigger|expect|expecting|"
            "ask|recognise|recognize",
            "keep|kept|keeps getting|receiving * mfa|2fa|authenticator|"
            "approval|verification prompts|requests|codes|notifications",
            "bombarded with * mfa|2fa|authenticator|approval|verification",
            "unexpected|unfamiliar|unrecognised|unrecognized|strange|odd|"
            "unknown sign-in|sign-ins|login|logins|logon|log-in",
            "sign-in|sign-ins|login|logins|logon|log-in ** from ** abroad|"
            "overseas|country|location|locations|russia|china|nigeria|brazil|"
            "india|ukraine|romania|vietnam|usa|america",
            "signed|logged in ** from ** abroad|overseas|country|location|"
            "locations|russia|china|nigeria|brazil|india|ukraine|romania|"
            "vietnam|usa|america",
            "sign-in|sign-ins|login|logins|activity * i didn't|don't "
            "recognise|recognize|make|do",
            "sign-in|sign-ins|login|logins|activity * i did|do not "
            "recognise|recognize|make|do",
            "sign-in|sign-ins|login|logins ** wasn't|was-not me"),
    NULL, NULL, FALSE },
  /* a password given away on a page: the compromise it opens, more
   * serious than the lure that took it (SPEC 4) */
  { "category", "account-compromise", "password-given", 80,
    PHRASES("typed|entered|put|input|inputted|submitted * "
            "password|passwords|credentials|login|username|details "
            "into|on|in",
            "filled|filling in * with ** password|credentials",
            "turned out * fake"),
    NULL, NULL, FALSE },

  { "category", "malware", "malware-named", 70,
    PHRASES("virus", "viruses", "malware", "ransomware", "trojan",
            "spyware", "rootkit", "botnet", "cryptolocker",
            "malicious software", "malicious file", "malicious attachment",
            "ransom note", "ransom demand", "ransom", "cryptominer",
            "remote access trojan"), NULL, NULL, FALSE },
  { "category", "malware", "malware-detected", 70,
    PHRASES("infected", "antivirus alert", "anti-virus alert",
            "antivirus warning", "anti-virus warning", "antivirus flagged",
            "anti-virus flagged", "defender alert",
            "antivirus|anti-virus|defender|sophos|mcafee|symantec|"
            "crowdstrike|av|edr * alert|alerts|warning|warnings|flagged|"
            "detected|quarantined|blocked|popup|pop-up|notification",
            "threat|threats detected|found|quarantined",
            "detected a threat", "virus alert", "virus warning"),
    NULL, NULL, FALSE },
  { "category", "malware", "malware-effects", 70,
    PHRASES("files|file|documents|document ** renamed",
            "renamed * files|documents", "file extension|extensions",
            "new extension", "extension * changed|added", "decrypt",
            "decryption key", "decryptor",
            "enabled * macro|macros|content|editing", "enable content",
            "enable macros", "ran * macro|macros", "macro|macros ran",
            "strange|unknown|unfamiliar|unrecognised|unrecognized|"
            "suspicious|odd|weird program|programs|programme|programmes|"
            "software|application|applications|app|apps|process|processes|"
            "executable|icon|toolbar",
            "installed itself", "installed without my", "pop-ups saying",
            "popups saying",
            "program|programs|programme|software|app|application ** "
            "i didn't|never install|installed|download|downloaded",
            "program|programs|programme|software|app|application ** "
            "i did not|had not install|installed|download|downloaded"),
    /* "asked me to enable macros" is the lure, not the macro run */
    PHRASES("asked", "asking", "asks", "wanted", "told"),
    /* "renamed by my colleague" */
    PHRASES("by"), FALSE },
  { "category", "malware", "malware-encrypted", 70,
    PHRASES("files * encrypted"), NULL,
    /* "the files were encrypted before they were sent" */
    PHRASES("before", "using", "with", "for", "so", "as", "when", "by",
            "in"), FALSE },

  { "category", "denial-of-service", "denial-of-service", 65,
    PHRASES("ddos", "dos attack", "denial of service",
            "distributed denial", "website down due to traffic",
            "down due to * traffic", "flooded with traffic",
            "flood of traffic", "flooded with requests", "traffic spike",
            "overwhelmed with traffic", "overwhelmed by traffic",
            "email bombing"), NULL, NULL, FALSE },

  { "category", "phishing", "phishing-named", 60,
    PHRASES("phishing", "phish", "phished", "spear-phishing", "smishing",
            "vishing"), NULL, NULL, FALSE },
  { "category", "phishing", "phishing-lure", 60,
    PHRASES("suspicious email", "suspicious e-mail", "suspicious emails",
            "suspicious-looking email", "scam email", "scam text",
            "fake email", "fake * page|website|site", "spoofed", "spoofing",
            "impersonating", "pretending to be from", "malicious link",
            "dodgy link", "dodgy email",
            "fake|bogus|spoof|phoney|phony|fraudulent|scam|dodgy|unexpected|"
            "strange|odd email|e-mail|emails|message|messages|text|texts|sms|"
            "invoice|invoices|survey|link|links|login|page|website|site|"
            "voicemail|docusign|document|payroll|notification|parcel|"
            "delivery",
            "scam", "scammer", "scammers", "fraudster", "fraudsters",
            "impersonat*", "claiming|claimed|purporting|pretending to be from",
            "claiming|claimed|purporting|pretending to come from",
            "posing as", "supposedly from", "apparently from",
            "appeared to come|be from", "made to look like",
            "looked like it came|was from",
            "not genuine|legitimate", "wasn't|isn't genuine|legitimate",
            "unknown|unrecognised|unrecognized sender|number",
            "sender i didn't|don't recognise|recognize",
            "sender i did|do not recognise|recognize"), NULL, NULL, FALSE },
  /* lures described in words (SPEC 4), reported or forwarded */
  { "category", "phishing", "phishing-lure-described", 60,
    PHRASES("update|change|confirm|verify|re-enter|provide * bank details",
            "update|change|confirm|verify|provide * bank|payment|payroll|"
            "salary|account details",
            "bank details have|had changed", "changed * bank details",
            "new bank details", "sort code and account",
            "docusign", "adobe sign", "e-signature", "esignature",
            "shared a document|file|folder|spreadsheet with you",
            "has shared * with you", "shared * with you", "sent you a "
            "document|file|secure",
            "review and sign", "document * to sign|review",
            "password * expire|expires|expiring|expired|expiry",
            "mailbox|inbox * full|quota|storage|exceeded",
            "storage * full|quota|exceeded", "quota * exceeded|reached",
            "keep * same|current password",
            "account * will|would be suspended|deactivated|closed|deleted|"
            "terminated|disabled|locked|blocked",
            "verify|validate|confirm|update|reactivate|unlock your "
            "account|identity|details|mailbox|email|password|credentials|"
            "login",
            "click here", "click the link", "click on the link",
            "gift card|cards|voucher|vouchers", "itunes", "vouchers",
            "urgent * payment|payments|transfer|wire|favour|favor|request",
            "quick favour|favor", "are you at your desk",
            "pay * invoice|invoices", "bank transfer", "wire transfer",
            "asked|asking|asks|wanted * for ** "
            "code|codes|pin|passcode|otp|password",
            "asked|asking|asks|wanted * to read|give|tell|share|send|confirm ** "
            "code|codes|pin|passcode|otp|password",
            "missed delivery", "redelivery",
            "delivery|customs|parcel|shipping|postage|redelivery fee",
            "tax refund", "claim * refund", "eligible * refund",
            "unpaid|overdue * invoice|invoices|fee|payment|bill",
            "invoice|invoices|bill|fee|payment * unpaid|overdue",
            "remittance advice", "payment * on hold",
            "parcel * held|waiting|on hold",
            "suspension of * account|mailbox"),
    NULL, NULL, FALSE },
  /* the reporter's doubt about a message passed on: what SPEC 4 calls a
   * suspicious mail reported or forwarded */
  { "category", "phishing", "phishing-doubted", 60,
    PHRASES("is this|it legit|legitimate|genuine|real|safe|ok|okay",
            "is this|it a scam|phish|spam",
            "looks|looked|seems|seemed|looking dodgy|fake|fishy|phishy|dubious",
            "looks|looked|seems|seemed like a scam|phish|spam|fake",
            "looks|looked|seems|seemed like phishing|spam",
            "not expecting * parcel|invoice|payment|document|delivery|"
            "refund|email|anything|file|contract",
            "don't|didn't|dont|didnt recognise|recognize the|this sender|"
            "address|company",
            "do|did not recognise|recognize the|this sender|address|company",
            "haven't|didn't|havent|didnt click|clicked|open|opened|reply|"
            "replied * link|links|it|anything|attachment|document|this",
            "have|did not click|clicked|open|opened|reply|replied * "
            "link|links|it|anything|attachment|document|this",
            "not clicked|opened|replied * link|links|it|anything|attachment|"
            "document|this"),
    NULL, NULL, FALSE },
  { "category", "phishing", "phishing-fake", 60,
    PHRASES("fake", "bogus", "phoney", "phony", "fraudulent", "spoof"), NULL,
    /* a fake pass or ID is a way in, not a lure */
    PHRASES("pass", "id", "badge", "lanyard", "identity", "card",
            "uniform"), FALSE },
  { "category", "phishing", "phishing-credentials", 60,
    PHRASES("asked me to enter my password", "asked me to enter my login",
            "asked for my password", "asked me for my password",
            "asked me to confirm my password",
            "asked me to verify my account",
            "asking me to confirm|enter|update|verify my",
            "asking me to log|sign in", "asked me to log|sign in",
            "log|sign in to view", "re-enter my password",
            "clicked the link", "clicked on the link", "clicked a link",
            "clicked on a link"), NULL, NULL, FALSE },

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
            "hacker", "hackers", "intrusion", "brute force",
            "still * has|have access", "still seems|appears to have access",
            "still * accessing|logging", "leaver|leavers * access|accessing|"
            "account|accounts|login|logged",
            "someone else * using * his|her|their|my login|account|"
            "password|credentials",
            "after * left|leaving * still",
            "left ** still has|have|had * account|accounts|login|access",
            "still * active|live|working|enabled account|accounts|login|"
            "logins",
            "nobody|no-one should * have|know|use * login|account|password"),
    NULL, NULL, FALSE },

  { "category", "physical", "physical-entry", 50,
    PHRASES("physical security", "break-in at", "break-ins",
            "broken into", "burglary", "burgled", "door forced",
            "door * forced", "forced entry", "forced the door", "forced open",
            "propped open", "wedged open", "tailgating", "tailgated",
            "tailgate", "followed me through", "followed me in",
            "following staff through", "followed staff through",
            "without a pass", "intruder", "intruders", "trespasser",
            "unauthorised person",
            "break-in", "broke into", "broke in", "break into",
            "smashed * window|windows|door|glass|lock",
            "window|windows|door|glass|lock * smashed|broken|forced|damaged",
            "left * door|doors|gate|window * open|unlocked|unsecured",
            "door|doors|gate * left open|unlocked|ajar|unsecured",
            "door|doors * was|were open|unlocked",
            "room|office|cabinet|cupboard|safe|cabinets * left "
            "unlocked|open",
            "unlocked * room|cabinet|cupboard|safe|cabinets|drawer",
            "without * pass|badge|lanyard|id",
            "without swiping|showing", "held the door", "holding the door",
            "piggybacked", "piggybacking", "unescorted",
            "climbed|climbing over", "let * in without",
            "someone * into the building|office|site|premises"),
    NULL, NULL, FALSE },

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
            "unapproved software", "unauthorised software"),
    NULL, NULL, FALSE },

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
            "seemed|seems|looked|looks very suspicious",
            "could|might|may be nothing", "probably nothing",
            "worth a look", "better flag|report it", "just to flag",
            "random characters", "gibberish",
            "none of us|nobody|no-one ** recognise|recognize|recognises|"
            "recognizes|knows",
            "repeated|multiple|numerous|many|hundreds * failed|denied|"
            "access-denied|unsuccessful attempts|logins|log-ins|requests",
            "access-denied|failed|unsuccessful * attempts",
            "probing|probed|port-scan|port-scanning",
            "strange|odd|weird|unusual|unexplained printing|printouts|"
            "pages|files|folders|account|accounts|user|users|process|"
            "traffic|noises|calls|emails|logins|changes"), NULL, NULL, FALSE },

  { "category", "supply-chain", "supplier-mentioned", 10,
    PHRASES("supplier", "suppliers", "third party", "third-party",
            "our contractor", "the contractor", "contractors", "vendor",
            "supply chain", "outsourced", "managed service provider"),
    NULL, NULL, FALSE },

  { NULL, NULL, NULL, 0, NULL, NULL, NULL, FALSE } };

const IgClassifyRule *const classify_tables[] = { classify_category_rules,
                                                  classify_field_rules, NULL };

const char *const classify_negations[] = {
  "no", "not", "never", "without", "none", "nor", "neither", "nothing",
  "cannot", "dont", "didnt", "doesnt", "wasnt", "werent", "cant", "couldnt",
  "havent", "hasnt", "isnt", NULL }; /* and every word ending in n't:
                                       didn't, wasn't, ... */

const char *const classify_negation_stops[] = {
  "but", "however", "although", "though", "except", "whereas", NULL };

const char *const classify_gap_stops[] = {
  "to", "from", "with", "for", "into", "access", "about", "if", "whether",
  "than", "on", "in", "at", "of", "connection", "contact", "signal",
  "power", "sight", "track", NULL };

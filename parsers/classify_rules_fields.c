/* classify_rules_fields.c - the rows of the classification table for
 * every field but the category: impact, personal data, whether a mail
 * reports anything at all, whether the writer calls it a near miss, and
 * the legal boilerplate no row reads. The table's rules and phrase syntax
 * are described in classify_rules.c. */
#include "parsers/classify_rules.h"

#define PHRASES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Requests are not disclosures: "asking me to confirm my bank details",
 * "asking us to change the bank details we hold" are a lure, not personal
 * data involved; and "may contain", "not sure whether" are not "yes" (the
 * "unknown" rows read them). */
#define REQUESTS                                                            \
  PHRASES("asking", "asked", "asks", "confirm", "verify", "update", "enter", \
          "change", "changing", "new", "amend", \
          "whether", "if", "what", "may", "might", "could", "possibly",     \
          "potentially", "unsure", "unclear")

/* Impact said of incidents in general ("high impact incidents", "attacks
 * can have a high impact"), as awareness bulletins do, is no grading of
 * this one. */
#define GENERAL_IMPACT \
  PHRASES("can", "cause", "causes", "avoid", "prevent", "such")
#define GENERAL_NOUNS                                                       \
  PHRASES("incidents", "attacks", "threats", "events", "risks", "breaches", \
          "scams", "campaigns", "vulnerabilities", "cases", "issues")

/* Hypotheses and questions ("if I clicked", "what should I do when I
 * lose my laptop") tell of nothing that happened. */
#define HYPOTHESES                                                          \
  PHRASES("if", "whether", "should", "what", "how", "would", "could")

const IgClassifyRule classify_field_rules[] = {
  /* ---- impact: as the reporter states it; only the plainest signs of a
   * high impact stand in for a statement ---- */
  { "impact", "high", "impact-stated-high", 92,
    PHRASES("high impact", "impact: high", "impact * high",
            "impact * as high", "impact to the moj as high",
            "high severity", "severity: high"), GENERAL_IMPACT,
    GENERAL_NOUNS, FALSE },
  { "impact", "medium", "impact-stated-medium", 91,
    PHRASES("medium impact", "impact: medium", "impact * medium",
            "impact * as medium", "impact to the moj as medium",
            "moderate impact", "medium severity", "severity: medium"),
    GENERAL_IMPACT, GENERAL_NOUNS, FALSE },
  { "impact", "low", "impact-stated-low", 90,
    PHRASES("low impact", "impact: low", "impact * low", "impact * as low",
            "impact to the moj as low", "minimal impact", "low severity",
            "severity: low", "low risk"), GENERAL_IMPACT, GENERAL_NOUNS, FALSE },
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
            "ransomware has encrypted", "major incident"), NULL, NULL, FALSE },
  { "impact", "medium", "impact-cue-medium", 50,
    PHRASES("several users affected", "several users were affected",
            "several staff affected", "several staff were affected",
            "multiple users affected", "a number of users affected",
            "affecting several users", "a team affected",
            "affecting a team", "several teams affected", "some records",
            "a number of records", "several records", "dozens of records"),
    NULL, NULL, FALSE },

  /* ---- personal data ---- */
  { "personal_data", "yes", "personal-data-named", 50,
    PHRASES("personal data", "personal information", "personal details",
            "personally identifiable", "pii", "sensitive personal",
            "special category data", "data subject", "data subjects"),
    REQUESTS, NULL, FALSE },
  { "personal_data", "yes", "identity-details", 50,
    PHRASES("names and addresses", "name and address", "name, address",
            "names, addresses", "names and * addresses", "dates of birth",
            "date of birth", "home addresses", "ni number", "ni numbers",
            "national insurance", "passport number", "passport details",
            "driving licence", "full name|names",
            "names and email addresses",
            "everyone's|everyone-else's|each-other's * email address|"
            "addresses",
            "email|home|personal addresses * visible|exposed|shown|seen",
            "their|his|her addresses|address and|or"), REQUESTS, NULL, FALSE },
  { "personal_data", "yes", "case-records", 50,
    PHRASES("prisoner records", "prisoner details", "prisoner data",
            "prisoner information", "offender records", "offender details",
            "offender data", "case notes", "criminal record",
            "criminal records", "victim details", "victims details",
            "witness details", "offence details",
            "records of * prisoners|offenders|people|individuals|clients|"
            "children|victims|patients|staff|employees|customers|applicants|"
            "claimants|users"), REQUESTS, NULL, FALSE },
  { "personal_data", "yes", "health-and-finance", 50,
    PHRASES("medical records", "medical information", "medical details",
            "health records", "health information", "bank details",
            "bank account details", "bank statements", "bank balances",
            "financial details", "salary details", "payslips"), REQUESTS,
    NULL, FALSE },
  { "personal_data", "yes", "identity-patterns", 50,
    PHRASES("<ni-number>", "dob: <date>", "d.o.b: <date>", "d.o.b. <date>",
            "born <date>", "born on <date>"), NULL, NULL, FALSE },
  /* stated absence: below every "yes" row, so that named personal data
   * wins over "no personal data" in the same text */
  { "personal_data", "no", "personal-data-none", 40,
    PHRASES("no personal data|information|details",
            "not contain * personal data|information",
            "didn't|doesn't|don't contain * personal data|information",
            "not include * personal data|information",
            "didn't|doesn't|don't include * personal data|information",
            "not hold * personal data|information",
            "nothing|none ** personal data|information",
            "personal data: no|none", "personal data involved: no|none",
            "personal information: no|none"), NULL, NULL, FALSE },
  /* the report says it is not known (SPEC 2): between the two, so that
   * data named elsewhere still wins, and a hedge beats a denial */
  { "personal_data", "unknown", "personal-data-unknown", 45,
    PHRASES("not sure whether|if|about ** personal data|information|details",
            "unsure whether|if|about ** personal data|information|details",
            "unclear whether|if ** personal data|information|details",
            "uncertain whether|if ** personal data|information|details",
            "don't|didn't|dont * know whether|if|what ** personal "
            "data|information|details",
            "do|did not * know whether|if|what ** personal "
            "data|information|details",
            "not * known whether|if ** personal data|information|details",
            "no idea whether|if ** personal data|information|details",
            "can't|cannot|couldn't * say|tell|confirm whether|if ** personal "
            "data|information|details",
            "checking whether|if ** personal data|information|details",
            "may|might|could ** personal data|information|details",
            "possibly|potentially ** personal data|information|details",
            "personal data|information: unknown|unsure|tbc",
            "personal data|information: not sure|known",
            "personal data|information: don't|do not know",
            "personal data involved: unknown|unsure|tbc",
            "personal data involved: not sure|known"), NULL, NULL, FALSE },

  /* ---- mail that reports nothing (SPEC 4): news and bulletins passed
   * on, invitations and agendas, thanks, questions about reporting. They
   * clear category, impact and personal data unless an "event" row also
   * fires ---- */
  { "not_a_report", "yes", "for-information", 50,
    PHRASES("no action needed|required|necessary",
            "no action is needed|required|necessary",
            "no need to take any action", "no need for any action",
            "no further action is needed|required",
            "for information only", "for info only",
            "for your information only", "just for information",
            "thought this|it might|may|would be of interest",
            "might|may be of interest to"),
    NULL, NULL, FALSE },
  /* what a bulletin or an invitation opens with: further down the same
   * words may be the subject of a report ("the agenda was sent to the
   * wrong list") */
  { "not_a_report", "yes", "bulletin-or-meeting", 50,
    PHRASES("newsletter", "bulletin", "awareness campaign",
            "awareness week", "awareness month", "agenda",
            "meeting invitation", "meeting invite", "meeting request",
            "minutes of the",
            "lessons learned|learnt session|review|meeting|workshop",
            "post-incident review", "wash-up meeting",
            "get everyone|everybody|us|the-team together"),
    NULL, NULL, TRUE },
  /* ... and what an invitation ends with */
  { "not_a_report", "yes", "meeting-link", 50,
    PHRASES("join the meeting", "join teams meeting",
            "join microsoft teams meeting", "meeting id"), NULL, NULL,
    FALSE },
  { "not_a_report", "yes", "question", 50,
    PHRASES("how do|should|can|would i|we report",
            "where do|should|can i|we report",
            "who do|should i|we report",
            "what is the process for reporting", "how to report",
            "is there a form", "which form"), NULL, NULL, FALSE },
  /* thanks only as the mail's opening: a report often ends with them */
  { "not_a_report", "yes", "thanks", 50,
    PHRASES("thank-you|thanks|many-thanks for|to",
            "wanted to say thank-you|thanks",
            "thank-you|thanks so|very much"), NULL, NULL, TRUE },
  /* the writer tells of something that happened */
  { "event", "yes", "first-person-event", 50,
    PHRASES("i|we|i've|we've|i'd|we'd * clicked|opened|lost|left|"
            "received|noticed|found|entered|typed|downloaded|discovered|"
            "realised|realized|replied|mislaid|misplaced|spotted|saw|seen|"
            "got|enabled|approved|gave|given|put|dropped",
            "received|got|had a|an|this|the * email|e-mail|text|call|"
            "message|letter|voicemail",
            "spotted|saw|received|noticed|got|found|opened|clicked this|it",
            "told|rang|called|phoned|emailed|contacted|alerted|informed|"
            "showed|warned me|us",
            "i'm|i am reporting", "i|we want|wish|need to report",
            "i'd|i would like to report", "to report a|an",
            "this is to report", "someone has|had",
            "my|our * was|were stolen|taken|lost|hacked|compromised",
            "my|our * has|have|had been stolen|taken|lost|hacked|compromised",
            "i can't|cannot find", "i can not find", "happened to me",
            "by mistake", "my mistake", "in error", "recall didn't|failed",
            "tried to recall", "recalled the|it|my"),
    HYPOTHESES, NULL, FALSE },
  { "event", "yes", "first-person-sent", 50,
    PHRASES("i|we|i've|we've|i'd|we'd * sent"), HYPOTHESES,
    /* "the phishing email I sent in": a report made, not an event */
    PHRASES("in"), FALSE },

  /* ---- near miss: the writer calling it one; negations ("this wasn't
   * a near miss", "not a near-miss") stop it as they stop any row ---- */
  { "near_miss", "yes", "near-miss-stated", 50,
    PHRASES("near miss", "near-miss"), NULL, NULL, FALSE },
  /* ---- legal boilerplate: the sentences mail systems append, which say
   * nothing of the incident ("This email may contain personal data") ---- */
  { "boilerplate", "yes", "disclaimer", 50,
    PHRASES("intended recipient", "intended recipients",
            "intended solely|only for",
            "this e-mail|email|message|communication and any attachment|"
            "attachments|files",
            "this e-mail|email|message|communication * may contain "
            "confidential|privileged|personal|sensitive|protected|official",
            "received this e-mail|email|message|communication in error",
            "notify the sender", "privacy notice", "privacy policy",
            "how we use your personal", "how we handle your personal",
            "may be monitored|recorded|intercepted",
            "scanned for viruses", "virus checked",
            "contents of this e-mail|email|message|communication",
            "this e-mail|email|message|communication is|are confidential",
            "confidential and may contain",
            "personal data|information in this e-mail|email|message",
            "personal information charter"), NULL, NULL, FALSE },

  { NULL, NULL, NULL, 0, NULL, NULL, NULL, FALSE } };

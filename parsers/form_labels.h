/* form_labels.h - the words of the incident report form (SPEC section 4):
 * the fields and the labels that name them, the values of the enumerated
 * fields, and the lines that end a value. Included by form.c,
 * form_convert.c and the unit test only; every table is const, so the
 * parser stays pure and thread-safe. */
#ifndef IG_FORM_LABELS_H
#define IG_FORM_LABELS_H

typedef enum {
  F_REPORTER_NAME, F_REPORTER_EMAIL, F_REPORTER_PHONE, F_BUSINESS_AREA,
  F_DETECTED_AT, F_OCCURRED_AT, F_CATEGORY, F_IMPACT, F_PERSONAL_DATA,
  F_NEAR_MISS, F_SYSTEMS_AFFECTED, F_INFORMATION_ASSET, F_SUPPLIER,
  F_DESCRIPTION, F_ACTIONS_TAKEN, F_COUNT
} Field;

/* The labels of SPEC section 4, used in problems. */
static const char *const field_titles[F_COUNT] = {
  "Reporter name", "Reporter email", "Reporter phone", "Business group",
  "Date and time of detection", "Date and time of incident",
  "Incident category", "Impact", "Personal data involved", "Near miss",
  "Systems affected", "Information asset", "Supplier", "Description",
  "Actions taken",
};

typedef struct {
  const char *label; /* normalised as by normalize_label() */
  Field field;
} LabelEntry;

/* Every accepted label. Looked up with bsearch(), so the table MUST stay
 * in strcmp() order (byte order: ' ' < '\'' < '(' < '-' < '/' < 'a'); a
 * label out of place would never be found (test_form.c checks). */
static const LabelEntry label_table[] = {
  { "action taken", F_ACTIONS_TAKEN },
  { "actions taken", F_ACTIONS_TAKEN },
  { "actions taken so far", F_ACTIONS_TAKEN },
  { "affected systems", F_SYSTEMS_AFFECTED },
  { "asset", F_INFORMATION_ASSET },
  { "business area", F_BUSINESS_AREA },
  { "business group", F_BUSINESS_AREA },
  { "business unit", F_BUSINESS_AREA },
  { "category", F_CATEGORY },
  { "contact email", F_REPORTER_EMAIL },
  { "contact number", F_REPORTER_PHONE },
  { "contractor", F_SUPPLIER },
  { "date and time detected", F_DETECTED_AT },
  { "date and time of detection", F_DETECTED_AT },
  { "date and time of incident", F_OCCURRED_AT },
  { "date of detection", F_DETECTED_AT },
  { "date of incident", F_OCCURRED_AT },
  { "date/time detected", F_DETECTED_AT },
  { "date/time of detection", F_DETECTED_AT },
  { "date/time of incident", F_OCCURRED_AT },
  { "department", F_BUSINESS_AREA },
  { "description", F_DESCRIPTION },
  { "description of incident", F_DESCRIPTION },
  { "details", F_DESCRIPTION },
  { "detected", F_DETECTED_AT },
  { "detected at", F_DETECTED_AT },
  { "detection date/time", F_DETECTED_AT },
  { "directorate", F_BUSINESS_AREA },
  { "does it involve personal data", F_PERSONAL_DATA },
  { "e-mail", F_REPORTER_EMAIL },
  { "e-mail address", F_REPORTER_EMAIL },
  { "email", F_REPORTER_EMAIL },
  { "email address", F_REPORTER_EMAIL },
  { "full name", F_REPORTER_NAME },
  { "immediate actions", F_ACTIONS_TAKEN },
  { "immediate actions taken", F_ACTIONS_TAKEN },
  { "impact", F_IMPACT },
  { "impact level", F_IMPACT },
  { "incident category", F_CATEGORY },
  { "incident date/time", F_OCCURRED_AT },
  { "incident description", F_DESCRIPTION },
  { "incident type", F_CATEGORY },
  { "information asset", F_INFORMATION_ASSET },
  { "information asset affected", F_INFORMATION_ASSET },
  { "mobile", F_REPORTER_PHONE },
  { "mobile number", F_REPORTER_PHONE },
  { "name", F_REPORTER_NAME },
  { "name of reporter", F_REPORTER_NAME },
  { "near miss", F_NEAR_MISS },
  { "near-miss", F_NEAR_MISS },
  { "occurred at", F_OCCURRED_AT },
  { "personal data", F_PERSONAL_DATA },
  { "personal data (yes/no/unknown)", F_PERSONAL_DATA },
  { "personal data involved", F_PERSONAL_DATA },
  { "personal information involved", F_PERSONAL_DATA },
  { "phone", F_REPORTER_PHONE },
  { "phone number", F_REPORTER_PHONE },
  { "reported by", F_REPORTER_NAME },
  { "reporter", F_REPORTER_NAME },
  { "reporter e-mail", F_REPORTER_EMAIL },
  { "reporter email", F_REPORTER_EMAIL },
  { "reporter email address", F_REPORTER_EMAIL },
  { "reporter name", F_REPORTER_NAME },
  { "reporter phone", F_REPORTER_PHONE },
  { "reporter phone number", F_REPORTER_PHONE },
  { "reporter's name", F_REPORTER_NAME },
  { "severity", F_IMPACT },
  { "summary of incident", F_DESCRIPTION },
  { "supplier", F_SUPPLIER },
  { "supplier name", F_SUPPLIER },
  { "system affected", F_SYSTEMS_AFFECTED },
  { "system(s) affected", F_SYSTEMS_AFFECTED },
  { "systems", F_SYSTEMS_AFFECTED },
  { "systems affected", F_SYSTEMS_AFFECTED },
  { "team", F_BUSINESS_AREA },
  { "tel", F_REPORTER_PHONE },
  { "telephone", F_REPORTER_PHONE },
  { "telephone number", F_REPORTER_PHONE },
  { "third party", F_SUPPLIER },
  { "time detected", F_DETECTED_AT },
  { "time of incident", F_OCCURRED_AT },
  { "type of incident", F_CATEGORY },
  { "was this a near miss", F_NEAR_MISS },
  { "was this a near-miss", F_NEAR_MISS },
  { "what happened", F_DESCRIPTION },
  { "what have you done", F_ACTIONS_TAKEN },
  { "when detected", F_DETECTED_AT },
  { "when did it happen", F_OCCURRED_AT },
  { "your email", F_REPORTER_EMAIL },
  { "your name", F_REPORTER_NAME },
};

/* A NULL-terminated list of words, as a static array. */
#define WORDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* The word lists below are lower case and compared without regard to
 * ASCII case. */

/* Values that mean "nothing to say" in any text field. */
static const char *const null_markers[] = {
  "n/a", "na", "n.a.", "n.a", "n / a", "not applicable", "-", "--",
  "\xE2\x80\x93", "\xE2\x80\x94", NULL };
/* For a supplier, "none" means there is none, not a company called None. */
static const char *const no_supplier_markers[] = { "none", "no", "nil",
                                                   NULL };

static const char *const sign_offs[] = {
  "thanks", "thank you", "many thanks", "thanks again", "regards",
  "kind regards", "best regards", "warm regards", "best wishes", "best",
  "cheers", "yours sincerely", "yours faithfully", NULL };

#endif

/* classify.h - category, impact and personal data from wording, and
 * whether a mail reports anything, by one table of rules.
 *
 * The rules live in classify_rules.c and classify_rules_fields.c as data:
 * each row names the field, the value it gives, and the words or phrases
 * that trigger it, with a priority to settle conflicts. An operator reads
 * that table to see why an incident got its category and impact, and
 * edits it to change that. Every decision carries the rule and the words
 * of the text that fired it. Pure. */
#ifndef IG_CLASSIFY_H
#define IG_CLASSIFY_H

#include <glib.h>

#include "parsers/freetext_input.h"

typedef struct {
  const char *field;          /* "category" | "impact" | "personal_data" |
                                 "not_a_report" | "event" | "near_miss" */
  const char *value;          /* e.g. "lost-or-stolen-equipment", "high", "yes" */
  const char *rule;           /* the rule's name in the table */
  int priority;               /* the rule's priority: which of two texts'
                                 decisions for a field wins */
  char *words;                /* the text that matched, as written */
} IgDecision;

void decision_free(IgDecision *decision);

/* Decisions for text (its first FREETEXT_MAX bytes, freetext_input.h):
 * at most one per field. Caller unrefs. */
GPtrArray *classify_text(const char *text);
/* The same, of a text as freetext_input_new() reads it, so that a caller
 * reading it otherwise too lower-cases it once. */
GPtrArray *classify_input(const FtInput *in);

#endif

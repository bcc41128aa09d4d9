/* classify_rules.h - the shape of the classification table (private to
 * classify.c, classify_rules.c, classify_rules_fields.c and their tests).
 *
 * The table itself, and the syntax of its phrases, is documented at the
 * top of classify_rules.c, where an operator reads and edits it. */
#ifndef IG_CLASSIFY_RULES_H
#define IG_CLASSIFY_RULES_H

#include <glib.h>

typedef struct {
  const char *field;           /* "category" | "impact" | "personal_data" |
                                  "not_a_report" | "event" | "boilerplate" |
                                  "near_miss" */
  const char *value;           /* what the field becomes when a phrase fires */
  const char *rule;            /* the row's name, quoted in every decision */
  int priority;                /* higher wins within a field */
  const char *const *phrases;  /* NULL-terminated trigger phrases */
  const char *const *unless;   /* words that, just before a phrase, stop it
                                  firing as a negation does; or NULL */
  const char *const *unless_after; /* words that, right after a phrase, stop
                                      it ("high impact incidents"); or NULL */
  gboolean opening;            /* fires only in the text's first two
                                  sentences ("Thanks for ...") */
} IgClassifyRule;

/* The rows for the category (classify_rules.c) and for the other fields
 * (classify_rules_fields.c), each terminated by a row whose field is NULL;
 * classify_tables lists both, NULL-terminated. */
extern const IgClassifyRule classify_category_rules[];
extern const IgClassifyRule classify_field_rules[];
extern const IgClassifyRule *const classify_tables[];

/* A trigger preceded by one of these within NEGATION_WINDOW words of the
 * same sentence, or followed by a bare "no"/"none" answer, does not fire. */
extern const char *const classify_negations[];
/* Words that end a negation's reach ("not sure, but ...") */
extern const char *const classify_negation_stops[];
/* Words a "*" in a phrase may not skip. */
extern const char *const classify_gap_stops[];

#endif

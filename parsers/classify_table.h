/* classify_table.h - the classification table compiled (private to
 * classify.c and classify_table.c).
 *
 * The rows of classify_rules.c and classify_rules_fields.c, their phrases
 * cut into tokens the way a text is cut into words (classify_words.c),
 * once at first use, and indexed by the word each phrase starts with:
 * immutable afterwards, so shared by every call and thread. */
#ifndef IG_CLASSIFY_TABLE_H
#define IG_CLASSIFY_TABLE_H

#include <glib.h>

#include "parsers/classify_rules.h"
#include "parsers/classify_words.h"
#include "parsers/wordtab.h"

/* A token of a phrase (syntax in classify_rules.c): a word, "word*", a
 * list of alternatives, "*" and "**", <date>, <time> and <ni-number>. */
typedef enum {
  PT_WORD, PT_PREFIX, PT_ALT, PT_GAP, PT_LONG_GAP, PT_DATE, PT_TIME, PT_NI
} PTokKind;

/* The fields of classify_rules.c, in the order of field_names. */
#define N_FIELDS 7
/* Rows of this field mark sentences, and make no decision. */
#define FIELD_BOILERPLATE 5

/* What the table knows of a word (classify_words.h): its spelling, the
 * phrases that start with it, and whether it is a negation or a gap stop.
 * Every word of the table's phrases has one, so a word of a text without
 * one matches no word of a phrase, and one that has one matches a
 * phrase's word when they share it. The boilerplate phrases are in table
 * order; the others by field, the higher priority first (table order
 * among equals), so that a walk stops at the first that cannot beat the
 * field's best. */
enum { WALK_BOILERPLATE, WALK_FIELDS, WALKS };
struct ClassifyEntry {
  char *word;
  GPtrArray *boilerplate;       /* Phrase, or NULL */
  GPtrArray *fields[N_FIELDS];  /* Phrase, or NULL */
  guint field_set;              /* bit f set when fields[f] is not NULL */
  gboolean negation, gap_stop;
};
typedef ClassifyEntry Entry;

typedef struct {
  PTokKind kind;
  char *word;          /* PT_WORD, PT_PREFIX */
  const Entry *entry;  /* PT_WORD: the table's for word */
  GPtrArray *alts;     /* PT_ALT: "laptop|sign-in", one of these runs of
                          words (each a NULL-terminated array of Entry*:
                          "sign", "in") */
  GHashTable *by_first; /* PT_ALT: first Entry -> GPtrArray of the runs
                           that start with it, in order */
  guint8 allow;        /* the strongest punctuation allowed before it */
} PTok;

typedef struct {
  const IgClassifyRule *rule;
  int field;
  GArray *toks; /* PTok */
} Phrase;

/* The table: every phrase, indexed by its first word, so that each word
 * of a text is looked up once; phrases that start with a pattern or a
 * prefix are tried at every word that may begin them. */
typedef struct {
  GPtrArray *phrases;         /* Phrase */
  GPtrArray *anywhere[WALKS]; /* Phrase */
  /* the same, by the first byte of a word (as written) they may start
   * at: a date or time at a digit, a National Insurance number at a
   * capital, "word*" at its first letter; NULL for none */
  GPtrArray *anywhere_at[WALKS][256];
  WordTab words;              /* word -> Entry */
} Table;


/* The table, compiled at first use (safe from any thread). */
const Table *classify_table(void);

#endif

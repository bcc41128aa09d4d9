/* classify_words.h - text cut into words for the classification table
 * (private to classify.c and classify_words.c).
 *
 * Each word is a lower-cased copy with its place in the text, the
 * strength of the punctuation before it, and whether it stands in a link;
 * the phrases of the table are cut the same way, so that "sign-in" in a
 * phrase and "sign in" in a mail are the same two words. */
#ifndef IG_CLASSIFY_WORDS_H
#define IG_CLASSIFY_WORDS_H

#include <glib.h>

/* What the table of classify.c knows of a word (opaque here). */
typedef struct ClassifyEntry ClassifyEntry;

/* Strength of the punctuation between two words. */
enum { BRK_NONE, BRK_COMMA, BRK_CLAUSE, BRK_SENTENCE };

/* Offsets fit 32 bits: a text read is at most FREETEXT_MAX bytes. */
typedef struct {
  guint32 start, end; /* bytes of the word in the text */
  guint32 norm;       /* offset of its lower-cased copy in Scan.norm */
  guint32 len;
  const ClassifyEntry *entry; /* the table's, or NULL: set by classify.c */
  guint8 brk;         /* punctuation before it */
  guint nl : 1;       /* a line break before it */
  guint para : 1;     /* a blank line before it: a new paragraph */
  guint link : 1;     /* part of an address, domain or link */
  guint neg : 1;      /* a negation: no "*" or "**" stands for it */
  guint stop : 1;     /* a negation or gap stop: no "*" stands for it */
} Word;

typedef struct {
  const char *text;
  GArray *words; /* Word */
  GString *norm; /* the words, lower-cased, each NUL-terminated */
} Scan;

static inline const Word *word_at(const Scan *sc, guint i)
{
  return &g_array_index(sc->words, Word, i);
}

static inline const char *norm_at(const Scan *sc, guint i)
{
  return sc->norm->str + word_at(sc, i)->norm;
}

/* Appends the words of s[0..len) to words, their copies to norm taken
 * from low (s with ASCII letters lower-cased); returns the punctuation
 * left after the last one. */
guint8 words_scan(const char *s, const char *low, gsize len, GArray *words,
                  GString *norm);
/* Marks the words of text that stand in addresses, domains and links. */
void words_mark_links(const char *text, GArray *words);
gboolean words_in_list(const char *word, const char *const *list);
/* A word ending in n't, of len bytes: a negation, as are those of the
 * table. */
gboolean words_is_negation_suffix(const char *word, gsize len);
/* Patterns at word w: a date with a year, a clock time (08:32, 8.32), a
 * National Insurance number; *end is set past them. */
gboolean words_read_date(const Scan *sc, guint w, guint *end);
gboolean words_read_time(const Scan *sc, guint w, guint *end);
gboolean words_read_ni(const Scan *sc, guint w, guint *end);

#endif

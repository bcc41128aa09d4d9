/* freetext_words.h - the word lists of the time reader (private to
 * freetext_time.c, freetext_clock.c and freetext_words.c).
 *
 * Each list is a bit of every word token: the tokenizer looks a word up
 * once, in a table of every list's words built once, and a reader asking
 * whether a token is in a list tests that bit before comparing a word,
 * however many lists it asks about at each token. Pure. */
#ifndef IG_FREETEXT_WORDS_H
#define IG_FREETEXT_WORDS_H

#include <glib.h>

typedef enum {
  FT_MONTHS,       /* "jan", "january", ...: a month's is index / 2 */
  FT_WEEKDAYS,     /* "monday" first */
  FT_PARTS,        /* morning, afternoon, evening, night */
  FT_ORDINALS,     /* st, nd, rd, th */
  FT_MINUTE_UNITS, /* minute, mins */
  FT_HOUR_UNITS,   /* hour, hrs */
  FT_LEAD,         /* at, about, ... on: read before a time */
  FT_BOUND,        /* before, after, ...: a bound or a range */
  FT_FIRST_PERSON, /* i, we */
  FT_THIRD_PERSON, /* he, she, someone */
  FT_NOTICING,     /* noticed, received, clicked */
  FT_PERCEIVING,   /* noticed, spotted, saw */
  FT_BARE_AFTER,   /* what may follow an hour alone */
  FT_SMALL_NUMBERS,/* "one" to "nineteen": a number's is index + 1 */
  FT_TENS,         /* "twenty" to "sixty" */
  FT_ZONES,        /* z, utc, gmt, bst */
  FT_HOUR_WORDS,   /* h, hr, hrs, hours: a 24-hour clock */
  FT_NOON,         /* noon, midday */
  FT_STARTS,       /* the other words an expression may start with */
  FT_LISTS
} FtList;

/* The lists, each NULL-terminated and lower-case. */
extern const char *const *const freetext_lists[FT_LISTS];

/* Bit l set for each list l that holds the word low[0..len) (lower-case,
 * not NUL-terminated). */
guint32 freetext_word_lists(const char *low, gsize len);

#endif

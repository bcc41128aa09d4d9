/* freetext_words.c - the word lists of the time reader
 * (freetext_words.h). Pure. */
#include "parsers/freetext_words.h"

#include <string.h>

#include "parsers/wordtab.h"

#define WORDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

const char *const *const freetext_lists[FT_LISTS] = {
  [FT_MONTHS] = WORDS(
      "jan", "january", "feb", "february", "mar", "march", "apr", "april",
      "may", "may", "jun", "june", "jul", "july", "aug", "august",
      "sep", "september", "oct", "october", "nov", "november", "dec",
      "december"),
  [FT_WEEKDAYS] = WORDS("monday", "tuesday", "wednesday", "thursday",
                        "friday", "saturday", "sunday"),
  [FT_PARTS] = WORDS("morning", "afternoon", "evening", "night"),
  [FT_ORDINALS] = WORDS("st", "nd", "rd", "th"),
  [FT_MINUTE_UNITS] = WORDS("minute", "minutes", "min", "mins"),
  [FT_HOUR_UNITS] = WORDS("hour", "hours", "hr", "hrs"),
  /* Words before a time that say roughly when ("at", "about"), or that
   * only join ("on"). "Since 21:00" is when it started, which is when it
   * was noticed if nothing better is said. */
  [FT_LEAD] = WORDS("at", "about", "around", "approximately", "approx",
                    "roughly", "circa", "since", "on"),
  /* A time after one of these is a bound or a range, not when it
   * happened ("until" and "till" only unless denied: "I didn't see it
   * till 10.30"). */
  [FT_BOUND] = WORDS("before", "after", "until", "till", "by", "from",
                     "between", "and", "to", "every", "each"),
  /* Who a sentence is about: the writer, or someone else. */
  [FT_FIRST_PERSON] = WORDS("i", "we", "me", "my", "us", "our"),
  [FT_THIRD_PERSON] = WORDS("he", "she", "they", "someone", "somebody",
                            "man", "woman", "person", "visitor", "caller",
                            "men", "people"),
  /* A sentence with one of these is about noticing the incident. */
  [FT_NOTICING] = WORDS("noticed", "noticing", "realised", "realized",
                        "discovered", "detected", "found", "received",
                        "clicked", "spotted", "saw", "identified", "aware",
                        "alerted", "opened", "observed"),
  /* Words of seeing it, as against receiving or opening it. */
  [FT_PERCEIVING] = WORDS("noticed", "realised", "realized", "discovered",
                          "spotted", "saw", "seen", "identified", "observed",
                          "clocked"),
  /* What may follow an hour alone ("around 2, I", "at 3 when"): not a
   * noun it counts ("around 2 people", "at 3 sites"). */
  [FT_BARE_AFTER] = WORDS("this", "today", "yesterday", "tonight", "last",
                          "on", "in", "when", "and", "then", "i", "we", "he",
                          "she", "they", "it", "someone", "that", "as",
                          "while", "so", "but", "or", "the", "a", "my",
                          "our"),
  [FT_SMALL_NUMBERS] = WORDS("one", "two", "three", "four", "five", "six",
                             "seven", "eight", "nine", "ten", "eleven",
                             "twelve", "thirteen", "fourteen", "fifteen",
                             "sixteen", "seventeen", "eighteen", "nineteen"),
  [FT_TENS] = WORDS("twenty", "thirty", "forty", "fifty", "sixty"),
  [FT_ZONES] = WORDS("z", "utc", "gmt", "bst"),
  [FT_HOUR_WORDS] = WORDS("h", "hr", "hrs", "hours"),
  [FT_NOON] = WORDS("noon", "midday"),
  /* Besides numbers, fillers (FT_LEAD), days, months and numbers in
   * words, every word freetext_time.c and freetext_clock.c read first in
   * "an hour ago", a day or a clock time: a word left out here is never
   * read there. */
  [FT_STARTS] = WORDS("just", "a", "an", "moment", "moments", "half",
                      "quarter", "earlier", "today", "tonight", "this",
                      "tomorrow", "next", "yesterday", "last", "in",
                      "midnight"),
};

/* word -> the lists that hold it (a guint32 in the pointer), built once
 * and immutable afterwards. */
static const WordTab *lexicon(void)
{
  static gsize once = 0;
  static WordTab table;
  if (g_once_init_enter(&once)) {
    wordtab_init(&table, 0);
    for (int l = 0; l < FT_LISTS; l++)
      for (const char *const *w = freetext_lists[l]; *w; w++) {
        gpointer *lists = wordtab_slot(&table, *w, strlen(*w));
        *lists = GUINT_TO_POINTER(GPOINTER_TO_UINT(*lists) | 1u << l);
      }
    g_once_init_leave(&once, 1);
  }
  return &table;
}

guint32 freetext_word_lists(const char *low, gsize len)
{
  return GPOINTER_TO_UINT(
      wordtab_get(lexicon(), low, len, wordtab_hash(low, len)));
}

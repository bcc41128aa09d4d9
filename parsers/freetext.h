/* freetext.h - the report fields of a mail written in prose (SPEC 4).
 *
 * Rules, not guesses: a value is returned only when the text states it,
 * together with the words it was read from, so every decision can be
 * audited. Times ("at about 9.30 this morning", "yesterday at 16:00",
 * "22/11 at 14:05", "Sunday afternoon") are resolved against the
 * message's own Date in the configured zone, never against the clock;
 * with no Date, relative times are not resolved. Category and impact come
 * from the classification table (classify.h); the subject's words decide
 * the category when the text does not. A mail that reports nothing (a
 * bulletin, an agenda, thanks, a question about reporting, with no event
 * told) gets none of the incident's fields. Only the first FREETEXT_MAX
 * bytes of a text are read (freetext_input.h): reports state their facts
 * in their first lines, and a message of megabytes costs no more than
 * that. Pure. */
#ifndef IG_FREETEXT_H
#define IG_FREETEXT_H

#include <glib.h>

#include "parsers/freetext_input.h"

typedef struct {
  GDateTime *detected_at;     /* UTC, or NULL */
  char *detected_words;       /* the words it was read from */
  char *category;             /* canonical (form.h), or NULL */
  char *category_words;
  int category_priority;      /* of its rule in the table (classify.h); 0
                                 when read from the subject */
  gboolean category_from_subject; /* category_words are the subject's */
  char *impact;               /* low | medium | high, or NULL */
  char *impact_words;
  char *personal_data;        /* "yes" when the text shows personal data, "no"
                                 when it states there is none, "unknown" when
                                 it says that is not known, else NULL */
  char *personal_data_words;
  char *systems_affected;     /* named systems, ", "-joined, or NULL */
  char *information_asset;    /* one of the asset names given, or NULL */
  char *supplier;             /* one of the supplier names given, or NULL */
  char *near_miss_words;      /* the words calling this report a near miss,
                                 not denied ("this wasn't a near miss"): the
                                 table's near-miss row, whose negations are
                                 every row's; NULL when none */
  char *not_report_words;     /* the words saying the mail reports nothing
                                 ("no action needed"), when no event is told:
                                 then every field above is NULL; else NULL */
  gboolean event;             /* the text tells of something that happened
                                 ("I clicked", "my laptop was stolen") */
  gsize analysed;             /* bytes of the text read: all of it, or its
                                 first FREETEXT_MAX cut at a space */
} IgFreeText;

/* text: the report's own words (quoted replies and signatures removed).
 * subject: the mail's subject, or NULL. sent: the Date of the mail that
 * carries the text (UTC) or NULL. assets, suppliers: NULL-terminated names
 * to look for (may be NULL). Never NULL; caller frees. */
IgFreeText *freetext_extract(const char *text, const char *subject,
                             GDateTime *sent, GTimeZone *tz,
                             const char *const *assets,
                             const char *const *suppliers);
void freetext_free(IgFreeText *ft);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgFreeText, freetext_free)

#endif

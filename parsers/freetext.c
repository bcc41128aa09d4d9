/* freetext.c - the report fields of a mail written in prose (SPEC 4).
 *
 * Times: freetext_time_scan() reads what the text says about when; here
 * each expression becomes an instant. A date with its year goes to
 * ukdate_parse(), whose rules are the form's; the rest is resolved against
 * the mail's Date in the zone ("yesterday" is the day before the mail's
 * local date, "Sunday" the last Sunday on or before it), and not at all
 * without a Date. An instant after the mail was sent is not when the
 * incident was noticed, nor is a time on an earlier day in a sentence that
 * also names today without a time ("and this morning it was gone"). Of
 * those left, the first of the strongest wins: a time the writer only
 * noticed it at ("I didn't see it till 10.30"), then one in a sentence
 * about noticing ("I noticed", "received", "clicked"), then any other,
 * then one in a sentence about someone else ("at 14:30 he came out").
 *
 * Systems, assets and suppliers are freetext_names.c's; category, impact
 * and personal data come from the table (classify.c). Pure: no clock, no
 * I/O. */
#include "parsers/freetext.h"

#include <string.h>

#include "parsers/classify.h"
#include "parsers/freetext_input.h"
#include "parsers/freetext_names.h"
#include "parsers/freetext_time.h"
#include "parsers/ukdate.h"

/* ---- times ---- */

/* Applies the part of the day to a clock time on a 12-hour dial; FALSE
 * when they contradict ("this morning at 3pm"). *next_day: the small
 * hours of a night are the next day's. */
static gboolean apply_part(FtPart part, const FtClock *c, int *hour,
                           gboolean *next_day)
{
  int h = c->hour;
  *next_day = FALSE;
  if (c->midnight) {
    *hour = 0;
    *next_day = part == FT_PART_NIGHT;
    return part == FT_PART_NONE || part == FT_PART_NIGHT;
  }
  switch (part) {
  case FT_PART_NONE:
    break;
  case FT_PART_MORNING:
    if (h >= 12)
      return FALSE;
    break;
  case FT_PART_AFTERNOON:
  case FT_PART_EVENING:
    if (c->dial && h < 12)
      h += 12;
    if (h < (part == FT_PART_AFTERNOON ? 12 : 16) ||
        h > (part == FT_PART_AFTERNOON ? 19 : 23))
      return FALSE;
    break;
  case FT_PART_NIGHT:
    if (c->dial && h >= 6)
      h = h == 12 ? 0 : h + 12;
    if (h < 6)
      *next_day = TRUE;
    else if (h < 18)
      return FALSE;
    break;
  }
  *hour = h;
  return TRUE;
}

/* The instant of a day and clock time relative to sent, in tz; NULL when
 * it cannot be told or would be after sent. */
static GDateTime *resolve_one(const FtDay *d, const FtClock *c,
                              GDateTime *sent, GTimeZone *tz)
{
  g_autoptr(GDateTime) local = NULL, at = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  GDate date;
  int hour, year;
  gboolean next_day;

  /* "midnight on Sunday" may start or end it: only "at midnight" and
   * "last night at midnight" are clear */
  if (!sent || d->kind == FT_DAY_OTHER ||
      (c->midnight && d->kind != FT_DAY_NONE && d->part != FT_PART_NIGHT) ||
      !apply_part(d->part, c, &hour, &next_day))
    return NULL;
  local = g_date_time_to_timezone(sent, tz);
  zone = c->have_zone ? g_time_zone_new_offset(c->offset) : g_time_zone_ref(tz);
  year = g_date_time_get_year(local);
  g_date_clear(&date, 1);
  if (d->kind == FT_DAY_DM) {
    if (!g_date_valid_dmy((GDateDay)d->day, (GDateMonth)d->month,
                          (GDateYear)year))
      return NULL;
    g_date_set_dmy(&date, (GDateDay)d->day, (GDateMonth)d->month,
                   (GDateYear)year);
    /* "Sunday 22/11" must be a Sunday */
    if (d->weekday && (int)g_date_get_weekday(&date) != d->weekday)
      return NULL;
  } else {
    g_date_set_dmy(&date, (GDateDay)g_date_time_get_day_of_month(local),
                   (GDateMonth)g_date_time_get_month(local), (GDateYear)year);
  }
  if (d->kind == FT_DAY_YESTERDAY)
    g_date_subtract_days(&date, 1);
  if (d->kind == FT_DAY_WEEKDAY) {
    const guint back =
        ((guint)g_date_get_weekday(&date) + 7 - (guint)d->weekday) % 7;
    g_date_subtract_days(&date, back == 0 && d->last ? 7 : back);
    /* "Friday 20th" must be that Friday */
    if (d->day && (int)g_date_get_day(&date) != d->day)
      return NULL;
  }
  if (next_day)
    g_date_add_days(&date, 1);
  at = g_date_time_new(zone, g_date_get_year(&date), g_date_get_month(&date),
                       g_date_get_day(&date), hour, c->minute, c->second);
  /* a clock time alone still to come today was yesterday's; a day and
   * month still to come this year, last year's (but a time still to come
   * today is no time at all) */
  if (at && g_date_time_compare(at, sent) > 0 && d->kind == FT_DAY_NONE) {
    g_clear_pointer(&at, g_date_time_unref);
    g_date_subtract_days(&date, 1);
    at = g_date_time_new(zone, g_date_get_year(&date),
                         g_date_get_month(&date), g_date_get_day(&date), hour,
                         c->minute, c->second);
  } else if (at && g_date_time_compare(at, sent) > 0 && d->kind == FT_DAY_DM &&
             (d->month > g_date_time_get_month(local) ||
              (d->month == g_date_time_get_month(local) &&
               d->day > g_date_time_get_day_of_month(local))) &&
             g_date_valid_dmy((GDateDay)d->day, (GDateMonth)d->month,
                              (GDateYear)(year - 1)) && !d->weekday) {
    g_clear_pointer(&at, g_date_time_unref);
    at = g_date_time_new(zone, year - 1, d->month, d->day, hour, c->minute,
                         c->second);
  }
  if (!at || g_date_time_compare(at, sent) > 0)
    return NULL;
  return g_date_time_to_utc(at);
}

/* As resolve_one(); an hour on the dial with no am or pm and no part of
 * the day may be morning or evening. A clock time on the dial on an
 * earlier named day ("Friday at 4.30") is read as afternoon up to 6. An hour alone ("around 2") is read on
 * office hours, 8 to 11 in the morning and 1 to 6 in the afternoon, and
 * not at all at 7; so is a time in words on a named day ("yesterday at
 * half two"). A time in words with no day ("at a quarter to ten") is the
 * last time the clock showed it, as for any clock time alone. */
static GDateTime *resolve(const FtDay *d, const FtClock *c, GDateTime *sent,
                          GTimeZone *tz)
{
  FtClock am = *c, pm = *c;
  GDateTime *a, *b;
  if (d->part != FT_PART_NONE || c->hour >= 12)
    return resolve_one(d, c, sent, tz);
  am.words = pm.words = am.dial = pm.dial = FALSE;
  pm.hour += 12;
  /* "on Friday at about 4.30": a named day's time on the dial is read on
   * office hours too, the small hours being no time for a report */
  if (!c->words && !c->bare)
    return resolve_one(d, c->dial && d->kind != FT_DAY_NONE &&
                               d->kind != FT_DAY_TODAY && c->hour <= 6
                           ? &pm : c, sent, tz);
  if (c->bare || d->kind != FT_DAY_NONE) {
    if (c->hour == 7)
      return NULL;
    return resolve_one(d, c->hour <= 6 ? &pm : &am, sent, tz);
  }
  a = resolve_one(d, &am, sent, tz);
  b = resolve_one(d, &pm, sent, tz);
  if (a && b) {
    const gboolean later_b = g_date_time_compare(b, a) > 0;
    GDateTime *keep = later_b ? b : a;
    g_date_time_unref(keep == a ? b : a);
    return keep;
  }
  return a ? a : b;
}

static GDateTime *instant_of(const FtExpr *e, const char *text,
                             GDateTime *sent, GTimeZone *tz)
{
  g_autofree char *words = NULL;
  GDateTime *at = NULL;
  switch (e->kind) {
  case FT_EXPR_AGO:
    at = sent ? g_date_time_add_minutes(sent, -e->minutes_ago) : NULL;
    break;
  case FT_EXPR_ABSOLUTE:
    words = g_strndup(text + e->core, e->end - e->core);
    at = ukdate_parse(words, tz);
    break;
  case FT_EXPR_DAY_CLOCK:
    return resolve(&e->day, &e->clock, sent, tz);
  }
  if (at && sent && g_date_time_compare(at, sent) > 0)
    g_clear_pointer(&at, g_date_time_unref);
  return at;
}

/* s[0..len) with every run of white space shown as one space. */
static char *collapse_space(const char *s, gsize len)
{
  GString *out = g_string_sized_new(len);
  gboolean space = FALSE;
  for (gsize i = 0; i < len; i++) {
    if (g_ascii_isspace(s[i])) {
      space = TRUE;
      continue;
    }
    if (space && out->len > 0)
      g_string_append_c(out, ' ');
    space = FALSE;
    g_string_append_c(out, s[i]);
  }
  return g_string_free(out, FALSE);
}

/* How strongly an expression says when the incident was noticed: "I
 * didn't see it till 10.30" (4), right after the writer saw it ("I
 * spotted it about 11.30", 3), a sentence about noticing (2), any other
 * (1), when it began ("since 6") or a sentence about someone else ("at
 * 14:30 he came out") (0). */
static int rank_of(const FtExpr *e)
{
  return e->late ? 4 : e->since || e->narrative ? 0 : e->perceived ? 3 : e->noticing ? 2 : 1;
}

static void detect(IgFreeText *ft, const FtInput *in, GDateTime *sent,
                   GTimeZone *tz)
{
  const char *text = in->text;
  g_autoptr(GArray) exprs = freetext_time_scan(in);
  const FtExpr *chosen = NULL;
  for (guint i = 0; i < exprs->len; i++) {
    const FtExpr *e = &g_array_index(exprs, FtExpr, i);
    GDateTime *at;
    /* "I left it there yesterday at 15:00, and this morning it was gone":
     * it was noticed today, at a time not given */
    if (e->today_too && e->day.kind != FT_DAY_NONE &&
        e->day.kind != FT_DAY_TODAY && e->kind != FT_EXPR_AGO)
      continue;
    if (chosen && rank_of(e) <= rank_of(chosen))
      continue;
    if (!(at = instant_of(e, text, sent, tz)))
      continue;
    g_clear_pointer(&ft->detected_at, g_date_time_unref);
    ft->detected_at = at;
    chosen = e;
    if (rank_of(chosen) == 4)
      break;
  }
  if (chosen)
    ft->detected_words =
        collapse_space(text + chosen->start, chosen->end - chosen->start);
}

/* ---- the fields ---- */

static const IgDecision *decision_for(GPtrArray *decisions, const char *field)
{
  for (guint i = 0; decisions && i < decisions->len; i++) {
    const IgDecision *d = decisions->pdata[i];
    if (strcmp(d->field, field) == 0)
      return d;
  }
  return NULL;
}

static void take(char **value, char **words, const IgDecision *d)
{
  if (!d)
    return;
  *value = g_strdup(d->value);
  *words = g_strdup(d->words);
}

IgFreeText *freetext_extract(const char *text, const char *subject,
                             GDateTime *sent, GTimeZone *tz,
                             const char *const *assets,
                             const char *const *suppliers)
{
  IgFreeText *ft = g_new0(IgFreeText, 1);
  g_autoptr(FtInput) in = freetext_input_new(text);
  g_autoptr(GTimeZone) zone = tz ? g_time_zone_ref(tz) : g_time_zone_new_utc();
  g_autoptr(GPtrArray) decisions = classify_input(in);
  g_autoptr(GPtrArray) heading = subject ? classify_text(subject) : NULL;
  const IgDecision *nothing = decision_for(decisions, "not_a_report"), *d;
  FtNames names = { 0 };

  ft->analysed = in->len;
  if (!nothing)
    nothing = decision_for(heading, "not_a_report");
  ft->event = decision_for(decisions, "event") || decision_for(heading, "event");
  if (nothing && !ft->event) {
    ft->not_report_words = g_strdup(nothing->words);
    return ft;
  }
  detect(ft, in, sent, zone);
  if ((d = decision_for(decisions, "category"))) {
    take(&ft->category, &ft->category_words, d);
    ft->category_priority = d->priority;
  } else {
    take(&ft->category, &ft->category_words, decision_for(heading, "category"));
    ft->category_from_subject = ft->category != NULL;
  }
  take(&ft->impact, &ft->impact_words, decision_for(decisions, "impact"));
  take(&ft->personal_data, &ft->personal_data_words,
       decision_for(decisions, "personal_data"));
  if ((d = decision_for(decisions, "near_miss")))
    ft->near_miss_words = g_strdup(d->words);
  freetext_names(in, assets, suppliers, &names);
  ft->systems_affected = names.systems;
  ft->information_asset = names.asset;
  ft->supplier = names.supplier;
  return ft;
}

void freetext_free(IgFreeText *ft)
{
  if (!ft)
    return;
  g_clear_pointer(&ft->detected_at, g_date_time_unref);
  g_free(ft->detected_words);
  g_free(ft->category);
  g_free(ft->category_words);
  g_free(ft->impact);
  g_free(ft->impact_words);
  g_free(ft->personal_data);
  g_free(ft->personal_data_words);
  g_free(ft->systems_affected);
  g_free(ft->information_asset);
  g_free(ft->supplier);
  g_free(ft->near_miss_words);
  g_free(ft->not_report_words);
  g_free(ft);
}

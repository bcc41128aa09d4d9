/* freetext_time.c - reading time expressions in prose.
 *
 * The text is cut into tokens, and clock times are read from them, by
 * freetext_clock.c; here one walk reads at each token at most one
 * expression: a day and a clock time in either order ("at about 9.30
 * this morning", "yesterday at 16:00", "22/11 at 14:05", "Sunday ~3pm"),
 * "an hour ago" or "just now". A day without a clock time ("Sunday
 * afternoon") is no expression: a time is never invented. Bounds and
 * ranges ("after 9.30", "9-10am") are not times at all, but "since 9" is
 * when it began, and "I didn't see it till 10.30" when it was noticed. A
 * clock time alone is the day named last before it in its paragraph
 * ("yesterday evening. I noticed it at 17:45"), today's when no day has
 * been named, and none after a day named in an earlier paragraph. Each
 * expression knows whether its sentence is about noticing, or about
 * someone else. Every reader looks a few tokens ahead at most, so the walk
 * is linear; it calls them only at a token an expression may start at (a
 * number, a filler, a word of a day or a count: each token's lists were
 * looked up once, freetext_words.c). Meaning (which instant) is
 * freetext.c's. Pure. */
#include "parsers/freetext_time.h"

#include <string.h>

#include "parsers/freetext_clock.h"

/* ---- days ---- */

static FtPart read_part(const Toks *x, guint *pos)
{
  const int k = word_index(x, *pos, FT_PARTS);
  if (k < 0)
    return FT_PART_NONE;
  (*pos)++;
  return (FtPart)(k + 1);
}

/* "in the afternoon" after a time; FT_PART_NONE if not there. */
static FtPart read_in_the_part(const Toks *x, guint *pos)
{
  guint i = *pos + 2;
  FtPart part;
  if (!is_word(x, *pos, "in") || !is_word(x, *pos + 1, "the") ||
      !(part = read_part(x, &i)))
    return FT_PART_NONE;
  *pos = i;
  return part;
}

/* "22", "22nd" */
static gboolean read_day_number(const Toks *x, guint *pos, int *day)
{
  guint i = *pos;
  if (!is_num(x, i, 1, 2))
    return FALSE;
  *day = x->t[i].num;
  i++;
  if (is_glued(x, i) &&
      word_index(x, i, FT_ORDINALS) >= 0)
    i++;
  *pos = i;
  return TRUE;
}

/* A year after a month: 4 digits, or 2 after a comma-less day ("22 Nov
 * 26"), but not the hour of "22 Nov 14:05". */
static gboolean at_year(const Toks *x, guint i)
{
  return (is_num(x, i, 4, 4) || is_num(x, i, 2, 2)) &&
         !(is_punct(x, i + 1, ':', TRUE) || is_punct(x, i + 1, '.', TRUE)) &&
         !is_word(x, i + 1, "am") && !is_word(x, i + 1, "pm") &&
         !is_word(x, i + 1, "hrs");
}

/* Dates: 22/11/2026, 2026-11-22, 22 Nov 2026, November 22, 2026 (FT_DAY_ABS,
 * the year makes ukdate_parse() read them); 22/11, 22 Nov, 22nd of
 * November, November 22 (FT_DAY_DM). */
static gboolean read_date(const Toks *x, guint *pos, FtDay *d)
{
  guint i = *pos;
  int k;
  if (is_num(x, i, 1, 4) && i + 2 < x->n && x->t[i + 1].kind == TOK_PUNCT &&
      strchr("/-.", x->t[i + 1].num) && is_glued(x, i + 1) &&
      is_num(x, i + 2, 1, 2) && is_glued(x, i + 2)) {
    const char sep = (char)x->t[i + 1].num;
    if (is_punct(x, i + 3, sep, TRUE) && is_num(x, i + 4, 1, 4) &&
        is_glued(x, i + 4)) {
      d->kind = FT_DAY_ABS;
      i += 5;
      if (is_glued(x, i) && is_word(x, i, "t"))
        i++; /* ISO 8601 */
      *pos = i;
      return TRUE;
    }
    /* 22/11 without a year; 22.11 would be a time, 22-11 a range */
    if (sep != '/' || x->t[i].len > 2 || is_punct(x, i + 3, '/', TRUE))
      return FALSE;
    d->kind = FT_DAY_DM;
    d->day = x->t[i].num;
    d->month = x->t[i + 2].num;
    *pos = i + 3;
    return TRUE;
  }
  if (read_day_number(x, &i, &d->day)) {
    if (is_word(x, i, "of"))
      i++;
    if (!spaced(x, i) || (k = word_index(x, i, FT_MONTHS)) < 0)
      return FALSE;
    d->month = k / 2 + 1;
    i++;
    if (is_punct(x, i, ',', FALSE))
      i++;
    d->kind = at_year(x, i) ? FT_DAY_ABS : FT_DAY_DM;
    *pos = d->kind == FT_DAY_ABS ? i + 1 : i;
    return TRUE;
  }
  if ((k = word_index(x, i, FT_MONTHS)) >= 0 && is_num(x, i + 1, 1, 2)) {
    i++;
    read_day_number(x, &i, &d->day);
    d->month = k / 2 + 1;
    if (is_punct(x, i, ',', FALSE) && is_num(x, i + 1, 4, 4))
      i++;
    d->kind = is_num(x, i, 4, 4) && at_year(x, i) ? FT_DAY_ABS : FT_DAY_DM;
    *pos = d->kind == FT_DAY_ABS ? i + 1 : i;
    return TRUE;
  }
  return FALSE;
}

static gboolean read_day(const Toks *x, guint *pos, FtDay *d)
{
  guint i = *pos;
  int k;
  *d = (FtDay){ 0 };
  if (is_word(x, i, "earlier") && is_word(x, i + 1, "today"))
    i++;
  if (is_word(x, i, "today")) {
    d->kind = FT_DAY_TODAY;
    i++;
  } else if (is_word(x, i, "tonight")) {
    d->kind = FT_DAY_TODAY;
    d->part = FT_PART_NIGHT;
    i++;
  } else if (is_word(x, i, "this") && word_index(x, i + 1, FT_PARTS) >= 0) {
    i++;
    d->kind = FT_DAY_TODAY;
    d->part = read_part(x, &i);
  } else if (is_word(x, i, "tomorrow") ||
             (is_word(x, i, "next") &&
              word_index(x, i + 1, FT_WEEKDAYS) >= 0)) {
    /* read so that "tomorrow at 9am" is not "at 9am" today */
    d->kind = FT_DAY_OTHER;
    i += is_word(x, i, "next") ? 2 : 1;
    d->part = read_part(x, &i);
  } else if (is_word(x, i, "yesterday")) {
    d->kind = FT_DAY_YESTERDAY;
    i++;
    d->part = read_part(x, &i);
  } else if (is_word(x, i, "last") && is_word(x, i + 1, "night")) {
    d->kind = FT_DAY_YESTERDAY;
    d->part = FT_PART_NIGHT;
    i += 2;
  } else if (is_word(x, i, "in") && is_word(x, i + 1, "the") &&
             word_index(x, i + 2, FT_PARTS) >= 0) {
    /* "at 3 in the afternoon": a part of the day only */
    i += 2;
    d->kind = FT_DAY_NONE;
    d->part = read_part(x, &i);
  } else {
    if (is_word(x, i, "last") && word_index(x, i + 1, FT_WEEKDAYS) >= 0) {
      d->last = TRUE;
      i++;
    }
    if ((k = word_index(x, i, FT_WEEKDAYS)) >= 0) {
      d->weekday = k + 1; /* G_DATE_MONDAY is 1 */
      i++;
      if (is_punct(x, i, ',', FALSE))
        i++;
    }
    if (read_date(x, &i, d)) {
      if (d->last)
        return FALSE;
    } else if (d->weekday && is_num(x, i, 1, 2) && is_glued(x, i + 1) &&
               word_index(x, i + 1, FT_ORDINALS) >= 0) {
      /* "Friday 20th": the last Friday that was the 20th */
      d->kind = FT_DAY_WEEKDAY;
      d->day = x->t[i].num;
      i += 2;
      d->part = read_part(x, &i);
    } else if (d->weekday) {
      if (is_punct(x, i - 1, ',', FALSE))
        i--;
      d->kind = FT_DAY_WEEKDAY;
      d->part = read_part(x, &i);
    } else {
      return FALSE;
    }
  }
  *pos = i;
  return TRUE;
}

/* ---- "an hour ago" ---- */

/* Minutes before the mail was sent, or -1: "an hour ago", "30 minutes
 * ago", "half an hour ago", "an hour and a half ago". */
static int read_ago(const Toks *x, guint *pos)
{
  guint i = *pos;
  int n, minutes;
  /* "just now", "a moment ago": when the mail was written */
  if (is_word(x, i, "just") && is_word(x, i + 1, "now")) {
    *pos = i + 2;
    return 0;
  }
  if (is_word(x, i, "a") && is_word(x, i + 1, "moment"))
    i++;
  if ((is_word(x, i, "moment") || is_word(x, i, "moments")) &&
      is_word(x, i + 1, "ago")) {
    *pos = i + 2;
    return 0;
  }
  i = *pos;
  if (is_word(x, i, "half") && is_word(x, i + 1, "an") &&
      is_word(x, i + 2, "hour")) {
    minutes = 30;
    i += 3;
  } else if ((n = clock_read_count(x, &i)) < 0) {
    return -1;
  } else if (word_index(x, i, FT_MINUTE_UNITS) >= 0) {
    minutes = n;
    i++;
  } else if (word_index(x, i, FT_HOUR_UNITS) >= 0) {
    minutes = n * 60;
    i++;
    if (is_word(x, i, "and") && is_word(x, i + 1, "a") &&
        is_word(x, i + 2, "half")) {
      minutes += 30;
      i += 3;
    }
  } else {
    return -1;
  }
  if (!is_word(x, i, "ago"))
    return -1;
  *pos = i + 1;
  return minutes;
}

/* ---- expressions ---- */

/* How far back from a time its perceiving word may stand: "I only spotted
 * it at about 11.30" is five words. */
#define PERCEIVED_REACH 6

/* Fillers read before a time: "on Monday, at about 9" has three. The
 * walk reads from every token, so an unbounded run ("at at at ...") would
 * be read again from each of its words: the square of its length. */
#define MAX_FILLERS 4

/* Skips "at about", "on", and (between a day and a time) ", " and " - ";
 * sets *anchor when a word says "at this time". */
static guint skip_fillers(const Toks *x, guint i, gboolean between,
                          gboolean *anchor)
{
  for (guint n = 0;; n++) {
    const int k = word_index(x, i, FT_LEAD);
    guint after = i + 1;
    if (is_punct(x, after, '.', TRUE)) /* approx. */
      after++;
    if (n == MAX_FILLERS) {
      return i;
    } else if (k >= 0 && spaced(x, after)) {
      *anchor = *anchor || freetext_lists[FT_LEAD][k][0] != 'o';
      i = after;
    } else if (is_punct(x, i, '~', FALSE)) {
      *anchor = TRUE; /* "~6pm" */
      i++;
    } else if (between && (is_punct(x, i, ',', FALSE) ||
                           is_punct(x, i, '(', FALSE) ||
                           (is_punct(x, i, '-', FALSE) &&
                            !is_glued(x, i + 1)))) {
      i++; /* "this afternoon (16:20)" */
    } else {
      return i;
    }
  }
}

/* "didn't see it till": a negation before token i in its sentence, a
 * few words back at most. */
static gboolean denied_before(const Toks *x, guint i)
{
  for (guint back = 1; back <= 8 && back <= i; back++) {
    const guint j = i - back;
    if (x->t[j].sentence != x->t[i].sentence)
      return FALSE;
    if (is_word(x, j, "not") || is_word(x, j, "never") ||
        (is_word(x, j, "t") && is_punct(x, j - 1, '\'', TRUE) && j >= 1))
      return TRUE;
  }
  return FALSE;
}

/* What may follow an hour alone ("around 2, I", "at 3 when"): not a
 * noun it counts ("around 2 people", "at 3 sites"). */
static gboolean bare_may_end(const Toks *x, guint i)
{
  return i >= x->n || x->t[i].kind == TOK_PUNCT ||
         word_index(x, i, FT_BARE_AFTER) >= 0;
}

/* "9.30-10am", "14:00 to 15:00": a range follows at i. */
static gboolean range_follows(const Toks *x, guint i)
{
  Clock k;
  if (!is_punct(x, i, '-', FALSE) && !is_word(x, i, "to") &&
      !is_word(x, i, "until") && !is_word(x, i, "till") &&
      !is_word(x, i, "and"))
    return FALSE;
  i++;
  return clock_read(x, &i, &k);
}

/* TRUE when an expression may start at token i: a number, or a word or
 * "~" that read_expression() reads first (a filler, or the start of "an
 * hour ago", a day or a clock time). At any other token it reads nothing
 * and names no day, so the walk passes over it without a call: most
 * words of a text. Keep FT_STARTS in step with the readers. */
static gboolean may_start(const Toks *x, guint i)
{
  const guint32 starters = 1u << FT_LEAD | 1u << FT_STARTS | 1u << FT_WEEKDAYS |
                           1u << FT_MONTHS | 1u << FT_SMALL_NUMBERS |
                           1u << FT_TENS | 1u << FT_NOON;
  const Tok *t = &x->t[i];
  return t->kind == TOK_NUM || (t->lists & starters) ||
         is_punct(x, i, '~', FALSE);
}

/* Reads one expression starting at token i into e; *next is where to look
 * next (past a day that has no time, so that it is not read twice).
 * *named is set when a day was read, with a time or not (e->day). Only at
 * tokens may_start() admits. */
static gboolean read_expression(const Toks *x, guint i, FtExpr *e,
                                guint *next, gboolean *named,
                                gboolean *today_alone)
{
  gboolean anchor = FALSE, between = FALSE, have_day = FALSE;
  const guint j = skip_fillers(x, i, FALSE, &anchor);
  guint k = j, m, end;
  Clock clock = { 0 };
  int minutes;

  *e = (FtExpr){ 0 };
  *next = i + 1;
  if (!spaced(x, i))
    return FALSE;
  for (guint f = i; f < j; f++)
    e->since = e->since || is_word(x, f, "since");
  /* "I didn't read it till about 10.30": when it was noticed */
  e->late = i > 0 && (is_word(x, i - 1, "until") || is_word(x, i - 1, "till")) &&
            denied_before(x, i - 1);
  anchor = anchor || e->late;
  if ((minutes = read_ago(x, &k)) >= 0) {
    e->kind = FT_EXPR_AGO;
    e->minutes_ago = minutes;
    end = k;
  } else if (read_day(x, &k, &e->day)) {
    have_day = TRUE;
    *next = k;
    *named = e->day.kind != FT_DAY_NONE;
    m = skip_fillers(x, k, TRUE, &anchor);
    if (!spaced(x, m) || !clock_read(x, &m, &clock)) {
      *today_alone = e->day.kind == FT_DAY_TODAY;
      return FALSE; /* a day with no time: never guess one */
    }
    if (!e->day.part)
      e->day.part = read_in_the_part(x, &m);
    /* "this afternoon (16:20)": the bracket closes with the time */
    if (is_punct(x, m, ')', TRUE) && is_punct(x, k, '(', FALSE))
      m++;
    end = m;
  } else if (clock_read(x, &k, &clock)) {
    FtPart part = read_in_the_part(x, &k);
    end = k;
    /* "at" between a time and a day is no anchor for the time alone */
    m = skip_fillers(x, k, TRUE, &between);
    if (spaced(x, m) && !part && read_day(x, &m, &e->day)) {
      have_day = TRUE;
      *named = e->day.kind != FT_DAY_NONE;
      end = m;
    }
    if (!have_day)
      e->day.part = part; /* "at 3 in the afternoon" */
  } else {
    return FALSE;
  }
  *next = end;
  /* "1405yesterday", "9.30am2": glued to more than it can be */
  if (end < x->n && !spaced(x, end))
    return FALSE;
  if (e->kind != FT_EXPR_AGO) {
    /* 9.30 is a time only where a time is expected, 0930 only with a
     * day; "at 2" only with a part of the day; a time alone only after
     * "at" */
    if ((clock.weak && !have_day && !anchor) ||
        (clock.four && !have_day && !anchor) ||
        (clock.four && e->day.kind != FT_DAY_ABS && clock.c.hour >= 19 &&
         clock.c.hour <= 20) ||
        (clock.bare &&
         (!anchor || (e->day.part == FT_PART_NONE && !bare_may_end(x, end)))) ||
        (!have_day && !anchor))
      return FALSE;
    e->kind = e->day.kind == FT_DAY_ABS ? FT_EXPR_ABSOLUTE : FT_EXPR_DAY_CLOCK;
    e->clock = clock.c;
  }
  /* "and" and "to" bound a time only right before it ("9 and 10am"):
   * "I clicked it and at 9.30 noticed" is a time */
  if ((i > 0 && !e->late &&
       (is_punct(x, i - 1, '-', FALSE) ||
        (word_index(x, i - 1, FT_BOUND) >= 0 &&
         !(j > i && (is_word(x, i - 1, "and") || is_word(x, i - 1, "to")))))) ||
      (i > 1 && (is_word(x, i - 2, "every") || is_word(x, i - 2, "each"))) ||
      range_follows(x, end))
    return FALSE; /* ... and "every day at 9am" is a habit */
  e->start = x->t[i].start;
  e->core = x->t[j].start;
  e->end = x->t[end - 1].start + x->t[end - 1].len;
  return TRUE;
}

/* Per sentence: about noticing, naming today without a time, about the
 * writer, about someone else. */
typedef struct {
  gboolean noticing, today, first, third;
} SentenceFacts;

GArray *freetext_time_scan(const FtInput *in)
{
  g_autoptr(GArray) toks = clock_tokenize(in->text, in->low, in->len);
  g_autoptr(GArray) facts = g_array_new(FALSE, TRUE, sizeof(SentenceFacts));
  g_autoptr(GArray) sentence_of = g_array_new(FALSE, FALSE, sizeof(guint));
  GArray *out = g_array_new(FALSE, TRUE, sizeof(FtExpr));
  Toks x = { .text = in->text, .low = in->low,
             .t = (const Tok *)(void *)toks->data, .n = toks->len };
  FtDay carry = { 0 };        /* the last day named, with its paragraph */
  guint carry_paragraph = 0;
  gboolean have_carry = FALSE, other_day = FALSE;

  g_array_set_size(facts, x.n ? x.t[x.n - 1].sentence + 1 : 0);
  for (guint i = 0; i < x.n; i++) {
    SentenceFacts *f = &g_array_index(facts, SentenceFacts, x.t[i].sentence);
    f->noticing = f->noticing || word_index(&x, i, FT_NOTICING) >= 0;
    f->first = f->first || word_index(&x, i, FT_FIRST_PERSON) >= 0;
    f->third = f->third || word_index(&x, i, FT_THIRD_PERSON) >= 0;
  }
  for (guint i = 0; i < x.n;) {
    FtExpr e;
    guint next;
    gboolean named = FALSE, today_alone = FALSE, ok;
    if (!may_start(&x, i)) {
      i++;
      continue;
    }
    ok = read_expression(&x, i, &e, &next, &named, &today_alone);
    const guint paragraph = x.t[i].paragraph;
    SentenceFacts *f = &g_array_index(facts, SentenceFacts, x.t[i].sentence);
    if (today_alone)
      f->today = TRUE;
    if (ok && e.kind == FT_EXPR_DAY_CLOCK && e.day.kind == FT_DAY_NONE) {
      /* "Yesterday evening I left it. At 17:45 I noticed": a clock time
       * alone is the day last named in its paragraph; after a day named
       * in an earlier paragraph, it could be either, so it is none */
      if (have_carry && carry_paragraph == paragraph &&
          carry.kind != FT_DAY_ABS) {
        const FtPart own = e.day.part;
        e.day = carry;
        if (own)
          e.day.part = own;
      } else if (other_day) {
        i = MAX(next, i + 1);
        continue;
      }
    }
    if (ok) {
      e.noticing = f->noticing;
      for (guint back = 1; back <= PERCEIVED_REACH && back <= i && !e.perceived; back++)
        e.perceived = x.t[i - back].sentence == x.t[i].sentence &&
                      word_index(&x, i - back, FT_PERCEIVING) >= 0;
      e.narrative = f->third && !f->first;
      g_array_append_val(out, e);
      g_array_append_val(sentence_of, x.t[i].sentence);
    }
    if (named) {
      carry = e.day;
      carry_paragraph = paragraph;
      have_carry = TRUE;
      other_day = other_day || e.day.kind != FT_DAY_TODAY;
    }
    i = MAX(next, i + 1);
  }
  /* known only once the whole sentence is read */
  for (guint k = 0; k < out->len; k++)
    g_array_index(out, FtExpr, k).today_too =
        g_array_index(facts, SentenceFacts,
                      g_array_index(sentence_of, guint, k)).today;
  return out;
}

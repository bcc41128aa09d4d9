/* freetext_time.c - reading time expressions in prose.
 *
 * The text is cut into tokens (numbers, words, punctuation, each knowing
 * whether a space preceded it and which sentence it is in), and one walk
 * reads at each token at most one expression: a day and a clock time in
 * either order ("at about 9.30 this morning", "yesterday at 16:00",
 * "22/11 at 14:05", "Sunday at 3pm"), or "an hour ago". A day without a
 * clock time ("Sunday afternoon") is no expression: a time is never
 * invented. Bounds and ranges ("after 9.30", "9-10am") are not times at
 * all, and a clock time alone is only read as today's when no other day
 * has been named before it. Every reader looks a few tokens ahead at
 * most, so the walk is linear. Meaning (which instant) is freetext.c's.
 * Pure. */
#include "parsers/freetext_time.h"

#include <string.h>

typedef enum { TOK_NUM, TOK_WORD, TOK_PUNCT } TokKind;

typedef struct {
  TokKind kind;
  gboolean space_before;
  gsize start, len; /* bytes in the text */
  int num;          /* TOK_NUM (len <= 9), TOK_PUNCT: the character */
  guint sentence;
} Tok;

typedef struct {
  const char *text;
  const Tok *t;
  guint n;
} Toks;

/* A clock time as read, before the day decides what it means. */
typedef struct {
  FtClock c;
  char meridiem; /* 'a', 'p' or 0 */
  gboolean weak; /* 9.30: a time only after "at" or with a day */
  gboolean four; /* 1405: a time only after "at" or with a day, and never
                    1900-2099, which are years, unless a date holds one */
  gboolean bare; /* "at 2": only with a part of the day */
} Clock;

/* ---- tokens ---- */

static gboolean is_sentence_end(const char *text, gsize i, const GArray *out)
{
  const char c = text[i];
  const Tok *prev = out->len ? &g_array_index(out, Tok, out->len - 1) : NULL;
  if (!strchr(".!?;", c) || (text[i + 1] && !g_ascii_isspace(text[i + 1])))
    return FALSE;
  /* "a.m.", "approx." are not the end of a sentence */
  return !(c == '.' && prev && prev->kind == TOK_WORD &&
           (prev->len == 1 ||
            g_ascii_strncasecmp(text + prev->start, "approx", 6) == 0));
}

/* No-break spaces, curly apostrophes and dashes: the characters besides
 * ASCII that the tokenizer reads as spaces or punctuation. */
static gboolean special(const guchar *u)
{
  return (u[0] == 0xC2 && u[1] == 0xA0) ||
         (u[0] == 0xE2 && u[1] == 0x80 &&
          (u[2] == 0xAF || u[2] == 0x98 || u[2] == 0x99 || u[2] == 0x93 ||
           u[2] == 0x94));
}

static GArray *tokenize(const char *text)
{
  GArray *out = g_array_new(FALSE, TRUE, sizeof(Tok));
  gboolean space = TRUE, new_sentence = FALSE;
  guint sentence = 0, newlines = 0;
  gsize i = 0;
  while (text[i]) {
    const guchar c = (guchar)text[i];
    const guchar *u = (const guchar *)text + i;
    Tok t = { .start = i };
    if (g_ascii_isspace(c) || (c == 0xC2 && u[1] == 0xA0) ||
        (c == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)) {
      if (c == '\n' && ++newlines >= 2)
        new_sentence = TRUE;
      space = TRUE;
      i += c < 0x80 ? 1 : c == 0xC2 ? 2 : 3;
      continue;
    }
    if (g_ascii_isdigit(c)) {
      while (g_ascii_isdigit(text[i]))
        i++;
      t.kind = TOK_NUM;
    } else if (g_ascii_isalpha(c)) {
      while (g_ascii_isalpha(text[i]))
        i++;
      t.kind = TOK_WORD;
    } else if (c == 0xE2 && u[1] == 0x80 &&
               (u[2] == 0x98 || u[2] == 0x99 || u[2] == 0x93 || u[2] == 0x94)) {
      t.kind = TOK_PUNCT;
      t.num = u[2] >= 0x98 ? '\'' : '-';
      i += 3;
    } else if (c >= 0x80) {
      /* other letters and symbols: a word that matches nothing */
      while ((guchar)text[i] >= 0x80 && !special((const guchar *)text + i))
        i++;
      t.kind = TOK_WORD;
    } else {
      t.kind = TOK_PUNCT;
      t.num = c;
      i++;
    }
    t.len = i - t.start;
    if (t.kind == TOK_NUM)
      t.num = t.len <= 9 ? (int)g_ascii_strtoll(text + t.start, NULL, 10) : -1;
    if (new_sentence)
      sentence++;
    t.sentence = sentence;
    t.space_before = space;
    new_sentence = t.kind == TOK_PUNCT && is_sentence_end(text, t.start, out);
    g_array_append_val(out, t);
    space = FALSE;
    newlines = 0;
  }
  return out;
}

static const Tok *tok(const Toks *x, guint i)
{
  return i < x->n ? &x->t[i] : NULL;
}

static gboolean is_num(const Toks *x, guint i, gsize min, gsize max)
{
  const Tok *t = tok(x, i);
  return t && t->kind == TOK_NUM && t->len >= min && t->len <= max;
}

static gboolean is_punct(const Toks *x, guint i, char c, gboolean glued)
{
  const Tok *t = tok(x, i);
  return t && t->kind == TOK_PUNCT && t->num == c &&
         (!glued || !t->space_before);
}

static gboolean is_glued(const Toks *x, guint i)
{
  const Tok *t = tok(x, i);
  return t && !t->space_before;
}

/* Index of the token's word in a NULL-terminated lower-case list, or -1. */
static int word_index(const Toks *x, guint i, const char *const *list)
{
  const Tok *t = tok(x, i);
  if (!t || t->kind != TOK_WORD)
    return -1;
  for (int k = 0; list[k]; k++)
    if (strlen(list[k]) == t->len &&
        g_ascii_strncasecmp(list[k], x->text + t->start, t->len) == 0)
      return k;
  return -1;
}

static gboolean is_word(const Toks *x, guint i, const char *word)
{
  return word_index(x, i, (const char *const[]){ word, NULL }) == 0;
}

/* TRUE when token i stands apart from the one before ("at 9", not
 * "at9" or "about1405"): a space, punctuation, or the start. */
static gboolean spaced(const Toks *x, guint i)
{
  return i == 0 ||
         (i < x->n &&
          (x->t[i].space_before || x->t[i].kind == TOK_PUNCT ||
           x->t[i - 1].kind == TOK_PUNCT ||
           /* the T of ISO 8601: 2026-11-22T14:05 */
           (x->t[i - 1].len == 1 && is_word(x, i - 1, "t"))));
}

/* ---- clock times ---- */

static const char *const small_numbers[] = {
  "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
  "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
  "seventeen", "eighteen", "nineteen", NULL };
static const char *const tens[] = { "twenty", "thirty", "forty", "fifty",
                                    "sixty", NULL };

/* "ten", "forty-five", "45", "a": a count, or -1. */
static int read_count(const Toks *x, guint *pos)
{
  guint i = *pos;
  int k, n = -1;
  if (is_num(x, i, 1, 3)) {
    n = x->t[i].num;
    i++;
  } else if (is_word(x, i, "a") || is_word(x, i, "an")) {
    n = 1;
    i++;
  } else if ((k = word_index(x, i, small_numbers)) >= 0) {
    n = k + 1;
    i++;
  } else if ((k = word_index(x, i, tens)) >= 0) {
    n = 20 + 10 * k;
    i++;
    if (is_punct(x, i, '-', TRUE) && word_index(x, i + 1, small_numbers) >= 0 &&
        word_index(x, i + 1, small_numbers) < 9) {
      n += word_index(x, i + 1, small_numbers) + 1;
      i += 2;
    } else if ((k = word_index(x, i, small_numbers)) >= 0 && k < 9) {
      n += k + 1;
      i++;
    }
  }
  *pos = i;
  return n;
}


/* am, pm, a.m., p.m. */
static char read_meridiem(const Toks *x, guint *pos)
{
  guint i = *pos;
  char m;
  if (is_word(x, i, "am") || is_word(x, i, "pm")) {
    m = g_ascii_tolower(x->text[x->t[i].start]);
    i++;
  } else if ((is_word(x, i, "a") || is_word(x, i, "p")) &&
             is_punct(x, i + 1, '.', TRUE) && is_glued(x, i + 2) &&
             is_word(x, i + 2, "m")) {
    m = g_ascii_tolower(x->text[x->t[i].start]);
    i += 3;
  } else {
    return 0;
  }
  if (is_punct(x, i, '.', TRUE))
    i++;
  *pos = i;
  return m;
}

/* GMT, UTC, BST, Z, +01:00, +0100 after a time. */
static void read_zone(const Toks *x, guint *pos, Clock *k)
{
  static const char *const zones[] = { "z", "utc", "gmt", "bst", NULL };
  guint i = *pos;
  const int z = word_index(x, i, zones);
  if (z >= 0) {
    k->c.have_zone = TRUE;
    k->c.offset = z == 3 ? 3600 : 0;
    *pos = i + 1;
  } else if ((is_punct(x, i, '+', FALSE) || is_punct(x, i, '-', FALSE)) &&
             is_num(x, i + 1, 4, 4) && is_glued(x, i + 1) &&
             x->t[i + 1].num / 100 <= 14 && x->t[i + 1].num % 100 < 60) {
    k->c.have_zone = TRUE;
    k->c.offset = (x->t[i + 1].num / 100 * 3600 + x->t[i + 1].num % 100 * 60) *
                (x->t[i].num == '-' ? -1 : 1);
    *pos = i + 2;
  }
}

/* "half past eight", "quarter to ten", "ten past nine", "20 to 4": a
 * time on the dial, read only where a time is expected. */
static gboolean read_word_clock(const Toks *x, guint *pos, Clock *k)
{
  guint i = *pos;
  int minutes, hour;
  gboolean to;
  if (is_word(x, i, "a") && is_word(x, i + 1, "quarter"))
    i++;
  if (is_word(x, i, "half") || is_word(x, i, "quarter")) {
    minutes = is_word(x, i, "half") ? 30 : 15;
    i++;
  } else if ((minutes = read_count(x, &i)) < 1 || minutes > 59) {
    return FALSE;
  } else if (is_word(x, i, "minutes") || is_word(x, i, "mins")) {
    i++;
  }
  to = is_word(x, i, "to");
  if (!to && !is_word(x, i, "past"))
    return FALSE;
  i++;
  if (is_num(x, i, 1, 2))
    hour = x->t[i].num;
  else if (word_index(x, i, small_numbers) >= 0)
    hour = word_index(x, i, small_numbers) + 1;
  else
    return FALSE;
  if (hour < 1 || hour > 12 || (to && minutes == 30))
    return FALSE;
  k->c.hour = to ? (hour + 10) % 12 + 1 : hour;
  k->c.minute = to ? 60 - minutes : minutes;
  k->c.dial = TRUE;
  k->c.words = TRUE;
  k->weak = TRUE;
  *pos = i + 1;
  return TRUE;
}

static gboolean read_clock(const Toks *x, guint *pos, Clock *k)
{
  static const char *const hour_words[] = { "h", "hr", "hrs", "hours",
                                            NULL };
  guint i = *pos;
  gboolean dial = is_num(x, i, 1, 2) && x->text[x->t[i].start] != '0';
  *k = (Clock){ 0 };
  if (is_num(x, i, 1, 2) &&
      (is_punct(x, i + 1, ':', TRUE) || is_punct(x, i + 1, '.', TRUE)) &&
      is_num(x, i + 2, 2, 2) && is_glued(x, i + 2)) {
    k->weak = x->t[i + 1].num == '.'; /* 9.30 may be a number */
    k->c.hour = x->t[i].num;
    k->c.minute = x->t[i + 2].num;
    i += 3;
    if (is_punct(x, i, ':', TRUE) && is_num(x, i + 1, 2, 2) &&
        is_glued(x, i + 1)) {
      k->c.second = x->t[i + 1].num;
      i += 2;
    }
    k->meridiem = read_meridiem(x, &i);
    if (k->meridiem || word_index(x, i, hour_words) >= 0) {
      k->weak = FALSE;
      if (!k->meridiem) {
        dial = FALSE; /* 0930hrs, 9.30 hrs: a 24-hour clock */
        i++;
      }
    }
  } else if (read_word_clock(x, &i, k)) {
    /* half past eight, ten to nine */
  } else if (is_num(x, i, 3, 4) && word_index(x, i + 1, hour_words) >= 0) {
    k->c.hour = x->t[i].num / 100; /* 1405hrs */
    k->c.minute = x->t[i].num % 100;
    i += 2;
  } else if (is_num(x, i, 4, 4)) {
    k->c.hour = x->t[i].num / 100; /* 1405 yesterday */
    k->c.minute = x->t[i].num % 100;
    k->four = TRUE;
    i++;
  } else if (word_index(x, i, (const char *const[]){ "noon", "midday",
                                                     NULL }) >= 0) {
    k->c.hour = 12;
    i++;
  } else if (is_word(x, i, "midnight")) {
    k->c.midnight = TRUE;
    i++;
  } else if (is_num(x, i, 1, 2) ||
             (word_index(x, i, small_numbers) >= 0 &&
              word_index(x, i, small_numbers) < 12)) {
    /* 2pm, "at 2", "at nine", "nine o'clock" */
    k->c.words = !is_num(x, i, 1, 2);
    k->c.hour = is_num(x, i, 1, 2) ? x->t[i].num
                                   : word_index(x, i, small_numbers) + 1;
    dial = TRUE;
    i++;
    k->meridiem = read_meridiem(x, &i);
    if (!k->meridiem && (is_word(x, i, "noon") || is_word(x, i, "midday")) &&
        k->c.hour == 12) {
      i++;
    } else if (!k->meridiem) {
      k->bare = TRUE; /* "at 2", "3 o'clock" */
      if (is_word(x, i, "o") && is_punct(x, i + 1, '\'', TRUE) &&
          is_word(x, i + 2, "clock"))
        i += 3;
    }
  } else {
    return FALSE;
  }
  if (k->meridiem) {
    /* "14:05pm" is clear; "14:05am" and "0am" contradict themselves */
    if (k->c.hour < 1 || k->c.hour > 23 ||
        (k->c.hour > 12 && k->meridiem == 'a'))
      return FALSE;
    if (k->c.hour == 12)
      k->c.hour = k->meridiem == 'a' ? 0 : 12;
    else if (k->c.hour < 12 && k->meridiem == 'p')
      k->c.hour += 12;
  }
  if (k->c.hour > 23 || k->c.minute > 59 || k->c.second > 59 ||
      (k->bare && (k->c.hour < 1 || k->c.hour > 12)))
    return FALSE;
  k->c.dial = (dial || k->c.dial) && !k->meridiem && k->c.hour >= 1 &&
              k->c.hour <= 12;
  read_zone(x, &i, k);
  *pos = i;
  return TRUE;
}

/* ---- days ---- */

static const char *const month_names[] = {
  "jan", "january", "feb", "february", "mar", "march", "apr", "april",
  "may", "may", "jun", "june", "jul", "july", "aug", "august",
  "sep", "september", "oct", "october", "nov", "november", "dec", "december",
  NULL };
static const char *const weekday_names[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
  "sunday", NULL };
static const char *const part_names[] = { "morning", "afternoon", "evening",
                                          "night", NULL };

static FtPart read_part(const Toks *x, guint *pos)
{
  const int k = word_index(x, *pos, part_names);
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
      word_index(x, i, (const char *const[]){ "st", "nd", "rd", "th",
                                               NULL }) >= 0)
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
    if (!spaced(x, i) || (k = word_index(x, i, month_names)) < 0)
      return FALSE;
    d->month = k / 2 + 1;
    i++;
    if (is_punct(x, i, ',', FALSE))
      i++;
    d->kind = at_year(x, i) ? FT_DAY_ABS : FT_DAY_DM;
    *pos = d->kind == FT_DAY_ABS ? i + 1 : i;
    return TRUE;
  }
  if ((k = word_index(x, i, month_names)) >= 0 && is_num(x, i + 1, 1, 2)) {
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
  } else if (is_word(x, i, "this") && word_index(x, i + 1, part_names) >= 0) {
    i++;
    d->kind = FT_DAY_TODAY;
    d->part = read_part(x, &i);
  } else if (is_word(x, i, "tomorrow") ||
             (is_word(x, i, "next") &&
              word_index(x, i + 1, weekday_names) >= 0)) {
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
             word_index(x, i + 2, part_names) >= 0) {
    /* "at 3 in the afternoon": a part of the day only */
    i += 2;
    d->kind = FT_DAY_NONE;
    d->part = read_part(x, &i);
  } else {
    if (is_word(x, i, "last") && word_index(x, i + 1, weekday_names) >= 0) {
      d->last = TRUE;
      i++;
    }
    if ((k = word_index(x, i, weekday_names)) >= 0) {
      d->weekday = k + 1; /* G_DATE_MONDAY is 1 */
      i++;
      if (is_punct(x, i, ',', FALSE))
        i++;
    }
    if (read_date(x, &i, d)) {
      if (d->last)
        return FALSE;
    } else if (d->weekday && is_num(x, i, 1, 2) && is_glued(x, i + 1) &&
               word_index(x, i + 1, (const char *const[]){ "st", "nd", "rd",
                                                           "th", NULL }) >= 0) {
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
  static const char *const minute_words[] = { "minute", "minutes", "min",
                                              "mins", NULL };
  static const char *const hour_units[] = { "hour", "hours", "hr", "hrs",
                                            NULL };
  guint i = *pos;
  int n, minutes;
  if (is_word(x, i, "half") && is_word(x, i + 1, "an") &&
      is_word(x, i + 2, "hour")) {
    minutes = 30;
    i += 3;
  } else if ((n = read_count(x, &i)) < 0) {
    return -1;
  } else if (word_index(x, i, minute_words) >= 0) {
    minutes = n;
    i++;
  } else if (word_index(x, i, hour_units) >= 0) {
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

/* Words before a time that say roughly when ("at", "about"), or that
 * only join ("on"). */
static const char *const lead_words[] = { "at", "about", "around",
                                          "approximately", "approx",
                                          "roughly", "circa", "on", NULL };
/* A time after one of these is a bound or a range, not when it happened. */
static const char *const bound_words[] = {
  "before", "after", "until", "till", "by", "since", "from", "between",
  "and", "to", "every", "each", NULL };
/* A sentence with one of these is about noticing the incident. */
static const char *const noticing_words[] = {
  "noticed", "noticing", "realised", "realized", "discovered", "detected",
  "found", "received", "clicked", "spotted", "saw", "identified", "aware",
  "alerted", "opened", "observed", NULL };

/* Skips "at about", "on", and (between a day and a time) ", " and " - ";
 * sets *anchor when a word says "at this time". */
static guint skip_fillers(const Toks *x, guint i, gboolean between,
                          gboolean *anchor)
{
  for (;;) {
    const int k = word_index(x, i, lead_words);
    guint after = i + 1;
    if (is_punct(x, after, '.', TRUE)) /* approx. */
      after++;
    if (k >= 0 && spaced(x, after)) {
      *anchor = *anchor || lead_words[k][0] != 'o';
      i = after;
    } else if (between && (is_punct(x, i, ',', FALSE) ||
                           (is_punct(x, i, '-', FALSE) && !is_glued(x, i + 1)))) {
      i++;
    } else {
      return i;
    }
  }
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
  return read_clock(x, &i, &k);
}

/* Reads one expression starting at token i into e; *next is where to look
 * next (past a day that has no time, so that it is not read twice). */
static gboolean read_expression(const Toks *x, guint i, FtExpr *e,
                                guint *next, gboolean *other_day,
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
  if ((minutes = read_ago(x, &k)) >= 0) {
    e->kind = FT_EXPR_AGO;
    e->minutes_ago = minutes;
    end = k;
  } else if (read_day(x, &k, &e->day)) {
    have_day = TRUE;
    *next = k;
    *other_day = e->day.kind != FT_DAY_TODAY && e->day.kind != FT_DAY_NONE;
    m = skip_fillers(x, k, TRUE, &anchor);
    if (!spaced(x, m) || !read_clock(x, &m, &clock)) {
      *today_alone = e->day.kind == FT_DAY_TODAY;
      return FALSE; /* a day with no time: never guess one */
    }
    if (!e->day.part)
      e->day.part = read_in_the_part(x, &m);
    end = m;
  } else if (read_clock(x, &k, &clock)) {
    FtPart part = read_in_the_part(x, &k);
    end = k;
    /* "at" between a time and a day is no anchor for the time alone */
    m = skip_fillers(x, k, TRUE, &between);
    if (spaced(x, m) && !part && read_day(x, &m, &e->day)) {
      have_day = TRUE;
      *other_day = e->day.kind != FT_DAY_TODAY && e->day.kind != FT_DAY_NONE;
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
        (clock.bare && (!anchor || e->day.part == FT_PART_NONE)) ||
        (!have_day && !anchor))
      return FALSE;
    e->kind = e->day.kind == FT_DAY_ABS ? FT_EXPR_ABSOLUTE : FT_EXPR_DAY_CLOCK;
    e->clock = clock.c;
  }
  /* "and" and "to" bound a time only right before it ("9 and 10am"):
   * "I clicked it and at 9.30 noticed" is a time */
  if ((i > 0 && (is_punct(x, i - 1, '-', FALSE) ||
                 (word_index(x, i - 1, bound_words) >= 0 &&
                  !(j > i && (is_word(x, i - 1, "and") ||
                              is_word(x, i - 1, "to")))))) ||
      (i > 1 && (is_word(x, i - 2, "every") || is_word(x, i - 2, "each"))) ||
      range_follows(x, end))
    return FALSE; /* ... and "every day at 9am" is a habit */
  e->start = x->t[i].start;
  e->core = x->t[j].start;
  e->end = x->t[end - 1].start + x->t[end - 1].len;
  return TRUE;
}

GArray *freetext_time_scan(const char *text)
{
  g_autoptr(GArray) toks = tokenize(text ? text : "");
  g_autoptr(GArray) sentences = g_array_new(FALSE, TRUE, sizeof(gboolean));
  g_autoptr(GArray) today = g_array_new(FALSE, TRUE, sizeof(gboolean));
  g_autoptr(GArray) start_of = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) all = g_array_new(FALSE, TRUE, sizeof(FtExpr));
  GArray *out = g_array_new(FALSE, TRUE, sizeof(FtExpr));
  Toks x = { .text = text ? text : "", .t = (const Tok *)(void *)toks->data,
             .n = toks->len };
  guint other_day_at = G_MAXUINT;

  g_array_set_size(sentences, x.n ? x.t[x.n - 1].sentence + 1 : 0);
  g_array_set_size(today, sentences->len);
  for (guint i = 0; i < x.n; i++)
    if (word_index(&x, i, noticing_words) >= 0)
      g_array_index(sentences, gboolean, x.t[i].sentence) = TRUE;
  for (guint i = 0; i < x.n;) {
    FtExpr e;
    guint next;
    gboolean other_day = FALSE, today_alone = FALSE;
    const gboolean ok =
        read_expression(&x, i, &e, &next, &other_day, &today_alone);
    if (today_alone)
      g_array_index(today, gboolean, x.t[i].sentence) = TRUE;
    if (ok) {
      e.noticing = g_array_index(sentences, gboolean, x.t[i].sentence);
      g_array_append_val(all, e);
      g_array_append_val(start_of, i);
    }
    if (other_day)
      other_day_at = MIN(other_day_at, i);
    i = MAX(next, i + 1);
  }
  /* "Yesterday I ... at 14:05": once another day is named, a clock time
   * alone may be that day's, so it is not read as today's */
  for (guint i = 0; i < all->len; i++) {
    FtExpr *e = &g_array_index(all, FtExpr, i);
    const guint at = g_array_index(start_of, guint, i);
    e->today_too = g_array_index(today, gboolean, x.t[at].sentence);
    if (e->kind != FT_EXPR_DAY_CLOCK || e->day.kind != FT_DAY_NONE ||
        at < other_day_at)
      g_array_append_val(out, *e);
  }
  return out;
}

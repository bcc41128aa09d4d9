/* ukdate.c - reading the dates and times people type on UK forms.
 *
 * The text is cut into tokens (numbers, words, punctuation, each knowing
 * whether a space preceded it), then read as a sequence of parts in any
 * order: one date, one time, an optional weekday, an optional zone after the
 * time, and filler words ("at", "on", ","). Every token must belong to a
 * part, so stray text makes the whole value unreadable rather than guessed.
 * Numeric dates are always day-first; month-first is only read when the
 * month is a name. Pure: no clock, no I/O, no mutable state. */
#include "parsers/ukdate.h"

#include <string.h>

/* No date and time needs more than this; longer text is not a date, and the
 * limit keeps the work on hostile input small. */
#define UKDATE_MAX_LEN 200

typedef enum { TOK_NUM, TOK_WORD, TOK_PUNCT } TokKind;

typedef struct {
  TokKind kind;
  gboolean space_before; /* glued tokens (14:05, 22nd) read as one unit */
  const char *s;
  gsize len;
  int num; /* TOK_NUM: value (len <= 9); TOK_PUNCT: the character */
} Tok;

typedef struct {
  const Tok *toks;
  guint n;
  gboolean have_date, have_time, have_zone;
  int weekday; /* GDateWeekday, 0 when not given */
  int year, month, day, hour, minute, second;
  int offset; /* seconds east of UTC, when have_zone */
} Reading;

static const char *const month_names[] = {
  "jan", "january", "feb", "february", "mar", "march", "apr", "april",
  "may", "may", "jun", "june", "jul", "july", "aug", "august",
  "sep", "september", "oct", "october", "nov", "november", "dec", "december",
  NULL };
static const char *const weekday_names[] = {
  "mon", "monday", "tue", "tuesday", "wed", "wednesday", "thu", "thursday",
  "fri", "friday", "sat", "saturday", "sun", "sunday", NULL };
static const char *const ordinal_suffixes[] = { "st", "nd", "rd", "th", NULL };
static const char *const hour_words[] = { "h", "hr", "hrs", "hours", NULL };
static const char *const noon_words[] = { "noon", "midday", NULL };
static const char *const filler_words[] = {
  "at", "on", "the", "of", "approx", "approximately", "around", "about",
  "circa", "roughly", NULL };

static const Tok *tok_at(const Reading *r, guint i)
{
  return i < r->n ? &r->toks[i] : NULL;
}

static gboolean is_num(const Reading *r, guint i, gsize min_digits,
                       gsize max_digits)
{
  const Tok *t = tok_at(r, i);
  return t && t->kind == TOK_NUM && t->len >= min_digits &&
         t->len <= max_digits;
}

static gboolean is_punct(const Reading *r, guint i, char c, gboolean glued)
{
  const Tok *t = tok_at(r, i);
  return t && t->kind == TOK_PUNCT && t->num == c &&
         (!glued || !t->space_before);
}

static gboolean is_glued(const Reading *r, guint i)
{
  const Tok *t = tok_at(r, i);
  return t && !t->space_before;
}

/* Index of the token's word in list, or -1. */
static int word_index(const Reading *r, guint i, const char *const *list)
{
  const Tok *t = tok_at(r, i);
  if (!t || t->kind != TOK_WORD)
    return -1;
  for (int k = 0; list[k]; k++)
    if (strlen(list[k]) == t->len &&
        g_ascii_strncasecmp(list[k], t->s, t->len) == 0)
      return k;
  return -1;
}

static gboolean is_word(const Reading *r, guint i, const char *word)
{
  const char *const list[] = { word, NULL };
  return word_index(r, i, list) == 0;
}

/* Cuts text into tokens; FALSE on a character no date uses. */
static gboolean tokenize(const char *text, gsize len, GArray *out)
{
  gboolean space = TRUE;
  gsize i = 0;
  while (i < len) {
    const guchar c = (guchar)text[i];
    Tok t = { 0 };
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = TRUE;
      i++;
      continue;
    }
    /* Mail clients put no-break spaces (U+00A0, U+202F before AM/PM)
     * where people typed spaces. */
    if (c == 0xC2 && i + 1 < len && (guchar)text[i + 1] == 0xA0) {
      space = TRUE;
      i += 2;
      continue;
    }
    if (c == 0xE2 && i + 2 < len && (guchar)text[i + 1] == 0x80 &&
        (guchar)text[i + 2] == 0xAF) {
      space = TRUE;
      i += 3;
      continue;
    }
    t.space_before = space;
    t.s = text + i;
    if (g_ascii_isdigit(c)) {
      gsize j = i;
      while (j < len && g_ascii_isdigit(text[j]))
        j++;
      t.kind = TOK_NUM;
      t.len = j - i;
      t.num = t.len <= 9 ? (int)g_ascii_strtoll(text + i, NULL, 10) : -1;
    } else if (g_ascii_isalpha(c)) {
      gsize j = i;
      while (j < len && g_ascii_isalpha(text[j]))
        j++;
      t.kind = TOK_WORD;
      t.len = j - i;
    } else if (strchr("/-.:,+@()", c)) {
      t.kind = TOK_PUNCT;
      t.len = 1;
      t.num = c;
    } else if (c == 0xE2 && i + 2 < len && (guchar)text[i + 1] == 0x80 &&
               ((guchar)text[i + 2] == 0x93 || (guchar)text[i + 2] == 0x94)) {
      /* en or em dash, as in "22/11/2026 – 14:05" */
      t.kind = TOK_PUNCT;
      t.len = 3;
      t.num = '-';
    } else {
      return FALSE;
    }
    g_array_append_val(out, t);
    i += t.len;
    space = FALSE;
  }
  return TRUE;
}

/* A year: 4 digits, or 2 meaning 20YY. Not a number that starts a time
 * ("22 Nov 14:05" has no year). */
static gboolean read_year(Reading *r, guint *pos, gboolean allow_two_digits)
{
  const guint i = *pos;
  if (!is_num(r, i, allow_two_digits ? 2 : 4, 4) || r->toks[i].len == 3)
    return FALSE;
  if ((is_punct(r, i + 1, ':', TRUE) || is_punct(r, i + 1, '.', TRUE)) &&
      is_num(r, i + 2, 1, 2) && is_glued(r, i + 2))
    return FALSE;
  if (word_index(r, i + 1, hour_words) >= 0 || is_word(r, i + 1, "am") ||
      is_word(r, i + 1, "pm") || is_word(r, i + 1, "a") ||
      is_word(r, i + 1, "p") || word_index(r, i + 1, noon_words) >= 0)
    return FALSE;
  r->year = r->toks[i].len == 2 ? 2000 + r->toks[i].num : r->toks[i].num;
  *pos = i + 1;
  return TRUE;
}

/* "22", "22nd": a day of the month. */
static gboolean read_day(Reading *r, guint *pos)
{
  guint i = *pos;
  if (!is_num(r, i, 1, 2))
    return FALSE;
  r->day = r->toks[i].num;
  i++;
  if (is_glued(r, i) && word_index(r, i, ordinal_suffixes) >= 0)
    i++;
  *pos = i;
  return TRUE;
}

static gboolean read_month_name(Reading *r, guint *pos)
{
  guint i = *pos;
  const int k = word_index(r, i, month_names);
  if (k < 0)
    return FALSE;
  r->month = k / 2 + 1;
  i++;
  if (is_punct(r, i, '.', TRUE))
    i++;
  *pos = i;
  return TRUE;
}

/* Three numbers joined by one separator: 2026-11-22 (year first) or
 * 22/11/2026, 22-11-26, 22.11.2026 (day first, never month first). */
static gboolean read_numeric_date(Reading *r, guint *pos)
{
  const guint i = *pos;
  const Tok *sep = tok_at(r, i + 1);
  if (!sep || sep->kind != TOK_PUNCT || sep->space_before ||
      !strchr("/-.", sep->num) || !is_punct(r, i + 3, (char)sep->num, TRUE) ||
      !is_glued(r, i + 2) || !is_glued(r, i + 4))
    return FALSE;
  if (is_num(r, i, 4, 4) && is_num(r, i + 2, 1, 2) && is_num(r, i + 4, 1, 2)) {
    r->year = r->toks[i].num;
    r->month = r->toks[i + 2].num;
    r->day = r->toks[i + 4].num;
    *pos = i + 5;
    /* ISO 8601 joins date and time with T */
    if (is_glued(r, *pos) && is_word(r, *pos, "t"))
      (*pos)++;
    return TRUE;
  }
  if (is_num(r, i, 1, 2) && is_num(r, i + 2, 1, 2) &&
      (is_num(r, i + 4, 2, 2) || is_num(r, i + 4, 4, 4))) {
    r->day = r->toks[i].num;
    r->month = r->toks[i + 2].num;
    r->year = r->toks[i + 4].len == 2 ? 2000 + r->toks[i + 4].num
                                      : r->toks[i + 4].num;
    *pos = i + 5;
    return TRUE;
  }
  return FALSE;
}

static gboolean read_date(Reading *r, guint *pos)
{
  guint i = *pos;
  if (read_numeric_date(r, &i)) {
    *pos = i;
    return TRUE;
  }
  /* 22 Nov 2026, 22nd of November 2026 */
  i = *pos;
  if (read_day(r, &i)) {
    if (is_word(r, i, "of"))
      i++;
    if (read_month_name(r, &i)) {
      if (is_punct(r, i, ',', FALSE))
        i++;
      if (read_year(r, &i, TRUE)) {
        *pos = i;
        return TRUE;
      }
    }
  }
  /* November 22, 2026: a four-digit year only, so that "November 22 14:05"
   * is not read as 2014 */
  i = *pos;
  if (read_month_name(r, &i) && read_day(r, &i)) {
    if (is_punct(r, i, ',', FALSE))
      i++;
    if (read_year(r, &i, FALSE)) {
      *pos = i;
      return TRUE;
    }
  }
  return FALSE;
}

/* am, pm, a.m., p.m.; returns 'a', 'p' or 0. */
static char read_meridiem(const Reading *r, guint *pos)
{
  guint i = *pos;
  char m = 0;
  if (is_word(r, i, "am") || is_word(r, i, "pm")) {
    m = g_ascii_tolower(r->toks[i].s[0]);
    i++;
  } else if ((is_word(r, i, "a") || is_word(r, i, "p")) &&
             is_punct(r, i + 1, '.', TRUE) && is_glued(r, i + 2) &&
             is_word(r, i + 2, "m")) {
    m = g_ascii_tolower(r->toks[i].s[0]);
    i += 3;
  } else {
    return 0;
  }
  if (is_punct(r, i, '.', TRUE))
    i++;
  *pos = i;
  return m;
}

static gboolean read_time(Reading *r, guint *pos)
{
  guint i = *pos;
  int h = -1, m = 0, s = 0;
  char meridiem = 0;
  if (is_num(r, i, 1, 2) && (is_punct(r, i + 1, ':', TRUE) ||
                             is_punct(r, i + 1, '.', TRUE)) &&
      is_num(r, i + 2, 2, 2) && is_glued(r, i + 2)) {
    /* 14:05, 14.05, 2:05pm, 14:05:30, 14:05:30.123 */
    h = r->toks[i].num;
    m = r->toks[i + 2].num;
    i += 3;
    if (is_punct(r, i, ':', TRUE) && is_num(r, i + 1, 2, 2) &&
        is_glued(r, i + 1)) {
      s = r->toks[i + 1].num;
      i += 2;
      if (is_punct(r, i, '.', TRUE) && is_num(r, i + 1, 1, 9) &&
          is_glued(r, i + 1))
        i += 2;
    }
    meridiem = read_meridiem(r, &i);
    if (!meridiem && word_index(r, i, hour_words) >= 0)
      i++;
  } else if (is_num(r, i, 3, 4) && word_index(r, i + 1, hour_words) >= 0) {
    h = r->toks[i].num / 100; /* 1405hrs, 905 hrs */
    m = r->toks[i].num % 100;
    i += 2;
  } else if (is_num(r, i, 4, 4)) {
    h = r->toks[i].num / 100; /* 1405, as in "22/11/2026 1405" */
    m = r->toks[i].num % 100;
    i++;
  } else if (is_num(r, i, 1, 2) && r->toks[i].num == 12 &&
             word_index(r, i + 1, noon_words) >= 0) {
    h = 12;
    i += 2;
  } else if (word_index(r, i, noon_words) >= 0) {
    h = 12;
    i++;
  } else if (is_num(r, i, 1, 2)) {
    h = r->toks[i].num; /* 2pm: the hour alone needs am or pm */
    i++;
    meridiem = read_meridiem(r, &i);
    if (!meridiem)
      return FALSE;
  } else {
    return FALSE;
  }
  if (meridiem) {
    /* "14:05pm" is unambiguous; "14:05am" is a contradiction */
    if (h < 1 || h > 23 || (h > 12 && meridiem == 'a'))
      return FALSE;
    if (h == 12)
      h = meridiem == 'a' ? 0 : 12;
    else if (h < 12 && meridiem == 'p')
      h += 12;
  }
  if (h < 0 || h > 23 || m > 59 || s > 59)
    return FALSE;
  r->hour = h;
  r->minute = m;
  r->second = s;
  *pos = i;
  return TRUE;
}

/* +0100, +01:00, +01, -05 */
static gboolean read_offset(const Reading *r, guint *pos, int *seconds)
{
  guint i = *pos;
  int sign, hh, mm = 0;
  if (is_punct(r, i, '+', FALSE))
    sign = 1;
  else if (is_punct(r, i, '-', FALSE))
    sign = -1;
  else
    return FALSE;
  if (!is_glued(r, i + 1))
    return FALSE;
  if (is_num(r, i + 1, 4, 4)) {
    hh = r->toks[i + 1].num / 100;
    mm = r->toks[i + 1].num % 100;
    i += 2;
  } else if (is_num(r, i + 1, 1, 2)) {
    hh = r->toks[i + 1].num;
    i += 2;
    if (is_punct(r, i, ':', TRUE) && is_num(r, i + 1, 2, 2) &&
        is_glued(r, i + 1)) {
      mm = r->toks[i + 1].num;
      i += 2;
    }
  } else {
    return FALSE;
  }
  if (hh > 14 || mm > 59)
    return FALSE;
  *seconds = sign * (hh * 3600 + mm * 60);
  *pos = i;
  return TRUE;
}

static gboolean read_zone(Reading *r, guint *pos)
{
  static const char *const zone_words[] = { "z", "utc", "gmt", "ut", "bst",
                                            NULL };
  guint i = *pos;
  int extra = 0;
  const int k = word_index(r, i, zone_words);
  if (k >= 0) {
    r->offset = k == 4 ? 3600 : 0;
    i++;
    /* GMT+1, UTC+01:00 */
    if (is_glued(r, i) && read_offset(r, &i, &extra))
      r->offset += extra;
  } else if (!read_offset(r, &i, &r->offset)) {
    return FALSE;
  }
  *pos = i;
  return TRUE;
}

static gboolean read_weekday(Reading *r, guint *pos)
{
  const int k = word_index(r, *pos, weekday_names);
  if (k < 0)
    return FALSE;
  r->weekday = k / 2 + 1; /* G_DATE_MONDAY is 1 */
  (*pos)++;
  if (is_punct(r, *pos, '.', TRUE))
    (*pos)++;
  return TRUE;
}

static gboolean read_filler(const Reading *r, guint *pos)
{
  const guint i = *pos;
  const Tok *t = tok_at(r, i);
  gboolean ok = FALSE;
  if (word_index(r, i, filler_words) >= 0)
    ok = TRUE;
  else if (t->kind == TOK_PUNCT && strchr(",()@", t->num))
    ok = TRUE;
  else if (is_punct(r, i, '-', FALSE))
    ok = !is_glued(r, i + 1); /* a dash on its own: "22/11/2026 - 14:05" */
  else if (is_punct(r, i, '.', TRUE))
    ok = i > 0 && r->toks[i - 1].kind == TOK_WORD; /* "approx." */
  if (ok)
    *pos = i + 1;
  return ok;
}

/* Reads every token as part of the date; FALSE if any is left over or a
 * part is missing or contradictory. */
static gboolean read_all(Reading *r)
{
  guint i = 0;
  while (i < r->n) {
    if (!r->have_date && read_date(r, &i))
      r->have_date = TRUE;
    else if (!r->have_time && read_time(r, &i))
      r->have_time = TRUE;
    else if (r->have_time && !r->have_zone && read_zone(r, &i))
      r->have_zone = TRUE;
    else if (!r->weekday && read_weekday(r, &i))
      continue;
    else if (!read_filler(r, &i))
      return FALSE;
  }
  /* Incidents are recent: a year outside this range is a misreading,
   * such as "22 Nov 1405" where 1405 was a time. */
  if (!r->have_date || !r->have_time || r->year < 1970 || r->year > 2099 ||
      !g_date_valid_dmy((GDateDay)r->day, (GDateMonth)r->month,
                        (GDateYear)r->year))
    return FALSE;
  if (r->weekday) {
    /* A weekday that disagrees with the date means one of them is wrong,
     * and we cannot tell which. */
    GDate d;
    g_date_clear(&d, 1);
    g_date_set_dmy(&d, (GDateDay)r->day, (GDateMonth)r->month,
                   (GDateYear)r->year);
    if ((int)g_date_get_weekday(&d) != r->weekday)
      return FALSE;
  }
  return TRUE;
}

GDateTime *ukdate_parse(const char *text, GTimeZone *tz)
{
  g_autoptr(GArray) toks = g_array_new(FALSE, TRUE, sizeof(Tok));
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;
  Reading r = { 0 };
  const char *start = text, *end;

  if (!text)
    return NULL;
  while (g_ascii_isspace(*start))
    start++;
  /* strnlen: a megabyte of text must not cost a megabyte of scanning */
  end = start + strnlen(start, UKDATE_MAX_LEN + 1);
  if (end - start > UKDATE_MAX_LEN)
    return NULL;
  if (!tokenize(start, (gsize)(end - start), toks))
    return NULL;
  r.toks = (const Tok *)(void *)toks->data;
  r.n = toks->len;
  if (!read_all(&r))
    return NULL;

  if (r.have_zone)
    zone = g_time_zone_new_offset(r.offset);
  else
    zone = tz ? g_time_zone_ref(tz) : g_time_zone_new_utc();
  /* g_date_time_new resolves the zone's rules (GMT or BST) for that day */
  local = g_date_time_new(zone, r.year, r.month, r.day, r.hour, r.minute,
                          (gdouble)r.second);
  return local ? g_date_time_to_utc(local) : NULL;
}

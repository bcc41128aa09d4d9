/* freetext_clock.c - prose cut into tokens, and the clock times people
 * write: 14:05, 9.30, 2pm, 2.05 p.m., 1405hrs, noon, midnight, "half past
 * eight", "ten to nine", "at nine". A reader looks a few tokens ahead at
 * most. Whether a time counts (9.30 may be a version number) is for
 * freetext_time.c to say, from the words around it. Pure. */
#include "parsers/freetext_clock.h"

/* prev: the token before, or NULL. */
static gboolean is_sentence_end(const char *low, gsize i, const Tok *prev)
{
  const char c = low[i];
  if (!strchr(".!?;", c) || (low[i + 1] && !g_ascii_isspace(low[i + 1])))
    return FALSE;
  /* "a.m.", "approx." are not the end of a sentence */
  return !(c == '.' && prev && prev->kind == TOK_WORD &&
           (prev->len == 1 || strncmp(low + prev->start, "approx", 6) == 0));
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

GArray *clock_tokenize(const char *text, const char *low, gsize len)
{
  /* grown ahead by doubling (its length the room), not by a call per
   * token, from room for about a token in three bytes of prose; out[0..
   * used) are the tokens */
  GArray *out = g_array_sized_new(FALSE, FALSE, sizeof(Tok), len / 3 + 16);
  guint used = 0;
  gboolean space = TRUE, new_sentence = FALSE, new_paragraph = FALSE;
  guint sentence = 0, paragraph = 0, newlines = 0;
  gsize i = 0;
  while (text[i]) {
    const guchar c = (guchar)text[i];
    const guchar *u = (const guchar *)text + i;
    Tok t = { .start = i };
    const Tok *prev;
    if (g_ascii_isspace(c) || (c == 0xC2 && u[1] == 0xA0) ||
        (c == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)) {
      if (c == '\n' && ++newlines >= 2)
        new_sentence = new_paragraph = TRUE;
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
    if (t.kind == TOK_WORD)
      t.lists = freetext_word_lists(low + t.start, t.len);
    if (new_sentence)
      sentence++;
    if (new_paragraph)
      paragraph++;
    new_paragraph = FALSE;
    t.sentence = sentence;
    t.paragraph = paragraph;
    t.space_before = space;
    prev = used ? &g_array_index(out, Tok, used - 1) : NULL;
    new_sentence = t.kind == TOK_PUNCT && is_sentence_end(low, t.start, prev);
    if (used == out->len)
      g_array_set_size(out, MAX(16, out->len * 2));
    g_array_index(out, Tok, used++) = t;
    space = FALSE;
    newlines = 0;
  }
  g_array_set_size(out, used);
  return out;
}

/* "ten", "forty-five", "45", "a": a count, or -1. */
int clock_read_count(const Toks *x, guint *pos)
{
  guint i = *pos;
  int k, n = -1;
  if (is_num(x, i, 1, 3)) {
    n = x->t[i].num;
    i++;
  } else if (is_word(x, i, "a") || is_word(x, i, "an")) {
    n = 1;
    i++;
  } else if ((k = word_index(x, i, FT_SMALL_NUMBERS)) >= 0) {
    n = k + 1;
    i++;
  } else if ((k = word_index(x, i, FT_TENS)) >= 0) {
    n = 20 + 10 * k;
    i++;
    if (is_punct(x, i, '-', TRUE) &&
        word_index(x, i + 1, FT_SMALL_NUMBERS) >= 0 &&
        word_index(x, i + 1, FT_SMALL_NUMBERS) < 9) {
      n += word_index(x, i + 1, FT_SMALL_NUMBERS) + 1;
      i += 2;
    } else if ((k = word_index(x, i, FT_SMALL_NUMBERS)) >= 0 && k < 9) {
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
    m = x->low[x->t[i].start];
    i++;
  } else if ((is_word(x, i, "a") || is_word(x, i, "p")) &&
             is_punct(x, i + 1, '.', TRUE) && is_glued(x, i + 2) &&
             is_word(x, i + 2, "m")) {
    m = x->low[x->t[i].start];
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
  guint i = *pos;
  const int z = word_index(x, i, FT_ZONES);
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
  /* "half two", "half 2": half past, as said in Britain */
  if (is_word(x, i, "half") && spaced(x, i + 1) &&
      ((is_num(x, i + 1, 1, 2) && x->t[i + 1].num >= 1 &&
        x->t[i + 1].num <= 12 && !is_punct(x, i + 2, ':', TRUE) &&
        !is_punct(x, i + 2, '.', TRUE)) ||
       (word_index(x, i + 1, FT_SMALL_NUMBERS) >= 0 &&
        word_index(x, i + 1, FT_SMALL_NUMBERS) < 12))) {
    k->c.hour = is_num(x, i + 1, 1, 2)
                    ? x->t[i + 1].num
                    : word_index(x, i + 1, FT_SMALL_NUMBERS) + 1;
    k->c.minute = 30;
    k->c.dial = TRUE;
    k->c.words = TRUE;
    k->weak = TRUE;
    *pos = i + 2;
    return TRUE;
  }
  if (is_word(x, i, "half") || is_word(x, i, "quarter")) {
    minutes = is_word(x, i, "half") ? 30 : 15;
    i++;
  } else if ((minutes = clock_read_count(x, &i)) < 1 || minutes > 59) {
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
  else if (word_index(x, i, FT_SMALL_NUMBERS) >= 0)
    hour = word_index(x, i, FT_SMALL_NUMBERS) + 1;
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

gboolean clock_read(const Toks *x, guint *pos, Clock *k)
{
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
    if (k->meridiem || word_index(x, i, FT_HOUR_WORDS) >= 0) {
      k->weak = FALSE;
      if (!k->meridiem) {
        dial = FALSE; /* 0930hrs, 9.30 hrs: a 24-hour clock */
        i++;
      }
    }
  } else if (read_word_clock(x, &i, k)) {
    /* half past eight, ten to nine */
  } else if (is_num(x, i, 3, 4) && word_index(x, i + 1, FT_HOUR_WORDS) >= 0) {
    k->c.hour = x->t[i].num / 100; /* 1405hrs */
    k->c.minute = x->t[i].num % 100;
    i += 2;
  } else if (is_num(x, i, 4, 4)) {
    k->c.hour = x->t[i].num / 100; /* 1405 yesterday */
    k->c.minute = x->t[i].num % 100;
    k->four = TRUE;
    i++;
  } else if (word_index(x, i, FT_NOON) >= 0) {
    k->c.hour = 12;
    i++;
  } else if (is_word(x, i, "midnight")) {
    k->c.midnight = TRUE;
    i++;
  } else if (is_num(x, i, 1, 2) ||
             (word_index(x, i, FT_SMALL_NUMBERS) >= 0 &&
              word_index(x, i, FT_SMALL_NUMBERS) < 12)) {
    /* 2pm, "at 2", "at nine", "nine o'clock" */
    k->c.words = !is_num(x, i, 1, 2);
    k->c.hour = is_num(x, i, 1, 2) ? x->t[i].num
                                   : word_index(x, i, FT_SMALL_NUMBERS) + 1;
    dial = TRUE;
    i++;
    k->meridiem = read_meridiem(x, &i);
    if (!k->meridiem && (is_word(x, i, "noon") || is_word(x, i, "midday")) &&
        k->c.hour == 12) {
      i++;
    } else if (!k->meridiem) {
      k->bare = k->c.bare = TRUE; /* "at 2", "3 o'clock" */
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
  /* "9ish", "10.30ish": about then */
  if (is_glued(x, i) && is_word(x, i, "ish"))
    i++;
  k->c.dial = (dial || k->c.dial) && !k->meridiem && k->c.hour >= 1 &&
              k->c.hour <= 12;
  read_zone(x, &i, k);
  *pos = i;
  return TRUE;
}

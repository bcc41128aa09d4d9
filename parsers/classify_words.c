/* classify_words.c - text cut into words for the classification table,
 * and the patterns a phrase may hold (<date>, <ni-number>).
 *
 * One pass over the text: words are runs of letters and digits (and the
 * apostrophe inside "didn't"); between them only the strength of the
 * punctuation is kept. A second pass over the runs between spaces marks
 * the words of addresses and links, which name places, not incidents.
 * Pure; linear in the text. */
#include "parsers/classify_words.h"

#include <string.h>

#include "parsers/classify_rules.h"

static const char *const month_names[] = {
  "jan", "january", "feb", "february", "mar", "march", "apr", "april",
  "may", "may", "jun", "june", "jul", "july", "aug", "august",
  "sep", "september", "oct", "october", "nov", "november", "dec", "december",
  NULL };

/* ---- words ---- */

/* Length of a multi-byte character at s that reads as punctuation (kind
 * ' ' space, '\'' apostrophe, '-' dash, '.' ellipsis, '"' quote), or 0. */
static gsize special_at(const char *s, gsize left, char *kind)
{
  const guchar *u = (const guchar *)s;
  if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA0) {
    *kind = ' ';
    return 2;
  }
  if (left < 3 || u[0] != 0xE2 || u[1] != 0x80)
    return 0;
  switch (u[2]) {
  case 0xAF: *kind = ' '; return 3;
  case 0x98: case 0x99: *kind = '\''; return 3;
  case 0x93: case 0x94: *kind = '-'; return 3;
  case 0xA6: *kind = '.'; return 3;
  case 0x9C: case 0x9D: *kind = '"'; return 3;
  default: return 0;
  }
}

static gboolean word_byte(const char *s, gsize left)
{
  char kind;
  const guchar c = (guchar)*s;
  return g_ascii_isalnum(c) || (c >= 0x80 && special_at(s, left, &kind) == 0);
}

/* The words found so far: words[0..used), the array grown ahead (by
 * doubling, its length the room) rather than by a call per word. */
typedef struct {
  GArray *words;
  guint used;
} Found;

static void add_word(Found *f, gsize norm, gsize norm_len, gsize start,
                     gsize end, guint8 brk, guint newlines)
{
  if (f->used == f->words->len)
    g_array_set_size(f->words, MAX(16, f->words->len * 2));
  g_array_index(f->words, Word, f->used++) =
      (Word){ .start = start, .end = end, .norm = norm, .len = norm_len,
              .brk = brk, .nl = newlines > 0, .para = newlines >= 2 };
}

/* Cuts s into words; returns the punctuation left after the last one.
 * Their lower-cased copies are made in one copy of low (s lower-cased)
 * appended to norm: each word is cut off there by a NUL over the byte
 * after it (which is no word's), a curly apostrophe written as ' in its
 * place; "&" reads "and", appended after the copy. */
guint8 words_scan(const char *s, const char *low, gsize len, GArray *words,
                  GString *norm)
{
  const gsize base = norm->len;
  Found found = { words, words->len };
  guint8 brk = BRK_NONE;
  guint newlines = 0;
  gsize i = 0;

  g_string_append_len(norm, low, (gssize)len);
  g_string_append_c(norm, '\0');
  while (i < len) {
    const guchar c = (guchar)s[i];
    char kind = 0;
    gsize n;
    if (word_byte(s + i, len - i)) {
      const gsize start = i;
      gsize out = base + i; /* where the copy of the word ends so far */
      while (i < len) {
        if (word_byte(s + i, len - i)) {
          const gsize from = i;
          while (i < len && word_byte(s + i, len - i))
            i++;
          if (out != base + from)
            memmove(norm->str + out, low + from, i - from);
          out += i - from;
        } else if ((s[i] == '\'' || (special_at(s + i, len - i, &kind) &&
                                     kind == '\'')) &&
                   i + (s[i] == '\'' ? 1 : 3) < len &&
                   g_ascii_isalnum(s[i + (s[i] == '\'' ? 1 : 3)])) {
          /* didn't, someone's: one word, whichever apostrophe */
          norm->str[out++] = '\'';
          i += s[i] == '\'' ? 1 : 3;
        } else {
          break;
        }
      }
      norm->str[out] = '\0';
      add_word(&found, base + start, out - (base + start), start, i, brk,
               newlines);
      brk = BRK_NONE;
      newlines = 0;
      continue;
    }
    if ((n = special_at(s + i, len - i, &kind)) > 0) {
      if (kind == '-')
        brk = MAX(brk, BRK_CLAUSE);
      else if (kind == '.')
        brk = BRK_SENTENCE;
      i += n;
      continue;
    }
    if (c == '&') {
      /* "names & addresses" reads as "names and addresses" */
      add_word(&found, norm->len, 3, i, i + 1, brk, newlines);
      g_string_append_len(norm, "and", 4);
      brk = BRK_NONE;
      newlines = 0;
    } else if (c == '\n') {
      if (++newlines >= 2)
        brk = BRK_SENTENCE; /* a blank line ends a paragraph */
    } else if (c == ',') {
      brk = MAX(brk, BRK_COMMA);
    } else if (c == ':' || c == '?' || c == '|') {
      brk = MAX(brk, BRK_CLAUSE);
    } else if (c == '.' || c == '!' || c == ';') {
      brk = BRK_SENTENCE;
    } else if (c == '-') {
      /* "sign-in" joins two words; " - " separates like a colon */
      const gboolean joined = i > 0 && g_ascii_isalnum(s[i - 1]) &&
                              i + 1 < len && g_ascii_isalnum(s[i + 1]);
      if (!joined)
        brk = MAX(brk, BRK_CLAUSE);
    }
    i++;
  }
  g_array_set_size(words, found.used);
  return brk;
}

/* "jane@supplier.co.uk", "https://x.example/login", "supplier.co.uk": a
 * run of text without spaces that names a place, not the incident. */
static gboolean is_link(const char *s, gsize len)
{
  const char *dot;
  gsize tld = 0;
  while (len > 0 && strchr(".,;:!?)]>\"'", s[len - 1]))
    len--;
  if (g_strstr_len(s, (gssize)len, "://") || g_strstr_len(s, (gssize)len, "www."))
    return TRUE;
  for (gsize i = 1; i + 1 < len; i++)
    if (s[i] == '@' && g_ascii_isalnum(s[i - 1]) && g_ascii_isalnum(s[i + 1]))
      return TRUE;
  /* a domain ends in a label of two letters or more: not "e.g." or 9.30 */
  dot = len > 0 ? memrchr(s, '.', len) : NULL;
  if (!dot || dot == s || !g_ascii_isalnum(dot[-1]))
    return FALSE;
  for (const char *p = dot + 1; p < s + len; p++, tld++)
    if (!g_ascii_isalpha(*p))
      return FALSE;
  return tld >= 2;
}

/* Marks the words that stand in links (runs are found once, in order, so
 * the pass is linear). A run without '.', '@' or ':' is none. */
void words_mark_links(const char *text, GArray *words)
{
  enum { SPACE = 1, MARK = 2, END = 4 };
  static const guint8 kinds[256] = {
    ['\0'] = END, [' '] = SPACE, ['\t'] = SPACE, ['\n'] = SPACE,
    ['\v'] = SPACE, ['\f'] = SPACE, ['\r'] = SPACE,
    ['.'] = MARK, ['@'] = MARK, [':'] = MARK,
  };
  const guchar *u = (const guchar *)text;
  guint w = 0;
  gsize i = 0;
  while (u[i] && w < words->len) {
    gsize start;
    guint8 seen = 0;
    gboolean link;
    while (kinds[u[i]] & SPACE)
      i++;
    start = i;
    for (; !(kinds[u[i]] & (SPACE | END)); i++)
      seen |= kinds[u[i]];
    link = (seen & MARK) && is_link(text + start, i - start);
    for (; w < words->len && g_array_index(words, Word, w).start < i; w++)
      g_array_index(words, Word, w).link = link;
  }
}

gboolean words_in_list(const char *word, const char *const *list)
{
  for (; *list; list++)
    if ((*list)[0] == word[0] && strcmp(word, *list) == 0)
      return TRUE;
  return FALSE;
}

gboolean words_is_negation_suffix(const char *word, gsize len)
{
  return len > 3 && strcmp(word + len - 3, "n't") == 0;
}

static int number_at(const Scan *sc, guint i)
{
  return (int)g_ascii_strtoll(norm_at(sc, i), NULL, 10);
}

static gboolean all_digits(const char *s, gsize min, gsize max)
{
  const gsize n = strlen(s);
  if (n < min || n > max)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit(s[i]))
      return FALSE;
  return TRUE;
}

/* ---- patterns ---- */

/* 01/02/1980, 1-2-80, 1.2.1980, 1 Feb 1980, 1st of February 1980,
 * February 1, 1980: a real calendar date with a year. */
gboolean words_read_date(const Scan *sc, guint w, guint *end)
{
  const guint n = sc->words->len;
  int d = 0, m = 0, y = 0;
  guint i = w;
  if (w + 2 < n && all_digits(norm_at(sc, w), 1, 2) &&
      all_digits(norm_at(sc, w + 1), 1, 2) &&
      (all_digits(norm_at(sc, w + 2), 2, 2) ||
       all_digits(norm_at(sc, w + 2), 4, 4))) {
    const Word *a = word_at(sc, w), *b = word_at(sc, w + 1),
               *c = word_at(sc, w + 2);
    const char sep = sc->text[a->end];
    if (b->start == a->end + 1 && c->start == b->end + 1 && strchr("/-.", sep) &&
        sc->text[b->end] == sep) {
      d = number_at(sc, w);
      m = number_at(sc, w + 1);
      y = number_at(sc, w + 2);
      if (y < 100)
        y += y <= 30 ? 2000 : 1900;
      i = w + 3;
    }
  }
  if (!y) {
    const char *day = norm_at(sc, w);
    int k;
    char *rest;
    d = (int)g_ascii_strtoll(day, &rest, 10);
    if (rest != day && rest - day <= 2 &&
        (!*rest || words_in_list(rest, (const char *const[]){ "st", "nd", "rd",
                                                         "th", NULL }))) {
      i = w + 1;
      if (i < n && strcmp(norm_at(sc, i), "of") == 0)
        i++;
      for (k = 0; i < n && month_names[k]; k++)
        if (strcmp(norm_at(sc, i), month_names[k]) == 0)
          break;
      if (i + 1 < n && month_names[k] && all_digits(norm_at(sc, i + 1), 4, 4)) {
        m = k / 2 + 1;
        y = number_at(sc, i + 1);
        i += 2;
      }
    }
  }
  if (!y)
    return FALSE;
  if (y < 1900 || y > 2099 ||
      !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
    return FALSE;
  *end = i;
  return TRUE;
}

/* 08:32, 8.32, 17:45: hours and minutes joined by ':' or '.'. */
gboolean words_read_time(const Scan *sc, guint w, guint *end)
{
  const Word *a, *b;
  if (w + 1 >= sc->words->len || !all_digits(norm_at(sc, w), 1, 2) ||
      !all_digits(norm_at(sc, w + 1), 2, 2))
    return FALSE;
  a = word_at(sc, w);
  b = word_at(sc, w + 1);
  if (b->start != a->end + 1 || !strchr(":.", sc->text[a->end]) ||
      number_at(sc, w) > 23 || number_at(sc, w + 1) > 59)
    return FALSE;
  *end = w + 2;
  return TRUE;
}

/* A National Insurance number: two prefix letters, six digits, a suffix
 * letter A-D, spaced any way ("QQ 12 34 56 C", "QQ123456C"), in capitals
 * as written on every document, so that ordinary words and numbers ("at
 * 123456 a") do not read as one. Prefix rules as HMRC allocates them;
 * QQ, HMRC's specimen, is let through as the number people quote. */
gboolean words_read_ni(const Scan *sc, guint w, guint *end)
{
  char compact[10]; /* the nine characters of a number: no more is copied */
  gsize len = 0;
  guint i = w;
  const char *first = sc->text + word_at(sc, w)->start;
  if (!g_ascii_isupper(first[0]) || !g_ascii_isupper(first[1]))
    return FALSE;
  while (i < sc->words->len && len < 9) {
    const Word *x = word_at(sc, i);
    if (i > w) {
      /* only spaces between the parts */
      for (gsize b = word_at(sc, i - 1)->end; b < x->start; b++)
        if (sc->text[b] != ' ')
          return FALSE;
    }
    /* The word as written: its lower-cased copy (x->len) may be longer
     * ("İ" is two bytes, "i̇" three). */
    const gsize span = x->end - x->start;
    if (len + span > 9)
      return FALSE;
    for (gsize b = 0; b < span; b++) {
      const char c = sc->text[x->start + b];
      if (g_ascii_isalpha(c) && !g_ascii_isupper(c))
        return FALSE;
      compact[len++] = c;
    }
    i++;
  }
  compact[len] = '\0';
  if (len != 9 || !g_ascii_isalpha(compact[0]) || !g_ascii_isalpha(compact[1]))
    return FALSE;
  for (int k = 2; k < 8; k++)
    if (!g_ascii_isdigit(compact[k]))
      return FALSE;
  if (!strchr("ABCD", compact[8]))
    return FALSE;
  if (strncmp(compact, "QQ", 2) != 0 &&
      (strchr("DFIQUV", compact[0]) || strchr("DFIOQUV", compact[1]) ||
       words_in_list((char[]){ compact[0], compact[1], '\0' },
               (const char *const[]){ "BG", "GB", "KN", "NK", "NT", "TN",
                                      "ZZ", NULL })))
    return FALSE;
  *end = i;
  return TRUE;
}

/* classify.c - category, impact and personal data from wording, by the
 * table in classify_rules.c.
 *
 * The text is cut into words (lower-cased copies, each with its place in
 * the text and the strength of the punctuation before it: none, comma,
 * colon, sentence end); the table's phrases are cut the same way, so
 * "sign-in" in a phrase and "sign in" in a mail are the same two words.
 * Phrases are indexed by their first word, and one walk over the words of
 * the text tries only the phrases that can start at each word: the work is
 * linear in the text, whatever its size. A match preceded by a negation in
 * the same sentence, or answered by a bare "no", does not fire. Each
 * decision quotes the words of the text that fired it, as written (runs
 * of white space shown as one space). Pure. */
#include "parsers/classify.h"

#include <string.h>

#include "parsers/classify_rules.h"

/* How far back a negation reaches, in words ("did not contain any
 * personal data"), and how far ahead a bare answer ("data: none"). */
#define NEGATION_WINDOW 4
#define ANSWER_WINDOW 3
/* Words a "*" in a phrase may stand for. */
#define GAP_MAX 3
/* Up to this many words, only the phrases whose first word is in the text
 * are compiled. */
#define PRESENT_MAX 4096

/* Strength of the punctuation between two words. */
enum { BRK_NONE, BRK_COMMA, BRK_CLAUSE, BRK_SENTENCE };

typedef struct {
  gsize start, end; /* bytes of the word in the text */
  gsize norm;       /* offset of its lower-cased copy in Scan.norm */
  gsize len;
  guint8 brk;       /* punctuation before it */
  gboolean nl;      /* a line break before it */
  gboolean link;    /* part of an address, domain or link */
  gboolean stop;    /* a negation or gap stop: no "*" stands for it */
} Word;

typedef struct {
  const char *text;
  GArray *words; /* Word */
  GString *norm; /* the words, lower-cased, each NUL-terminated */
} Scan;

typedef enum { PT_WORD, PT_PREFIX, PT_ALT, PT_GAP, PT_DATE, PT_NI } PTokKind;

typedef struct {
  PTokKind kind;
  char *word;   /* PT_WORD, PT_PREFIX */
  char **alts;  /* PT_ALT: "laptop|phone", one of these words */
  guint8 allow; /* the strongest punctuation allowed before it */
} PTok;

typedef struct {
  const IgClassifyRule *rule;
  int field;
  GArray *toks; /* PTok */
} Phrase;

static const char *const field_names[] = { "category", "impact",
                                           "personal_data", NULL };
#define N_FIELDS 3

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

static void add_word(GArray *words, GString *norm, gsize start, gsize end,
                     const char *lower, gsize len, guint8 brk, gboolean nl)
{
  Word w = { .start = start, .end = end, .norm = norm->len, .len = len,
             .brk = brk, .nl = nl };
  g_string_append_len(norm, lower, (gssize)len);
  g_string_append_c(norm, '\0');
  g_array_append_val(words, w);
}

/* Cuts s into words; returns the punctuation left after the last one. */
static guint8 scan_words(const char *s, gsize len, GArray *words,
                         GString *norm)
{
  g_autoptr(GString) w = g_string_new(NULL);
  guint8 brk = BRK_NONE;
  gboolean nl = FALSE;
  guint newlines = 0;
  gsize i = 0;

  while (i < len) {
    const guchar c = (guchar)s[i];
    char kind = 0;
    gsize n;
    if (word_byte(s + i, len - i)) {
      const gsize start = i;
      g_string_truncate(w, 0);
      while (i < len) {
        if (word_byte(s + i, len - i)) {
          g_string_append_c(w, g_ascii_tolower(s[i]));
          i++;
        } else if ((s[i] == '\'' || (special_at(s + i, len - i, &kind) &&
                                     kind == '\'')) &&
                   i + (s[i] == '\'' ? 1 : 3) < len &&
                   g_ascii_isalnum(s[i + (s[i] == '\'' ? 1 : 3)])) {
          /* didn't, someone's: one word, whichever apostrophe */
          g_string_append_c(w, '\'');
          i += s[i] == '\'' ? 1 : 3;
        } else {
          break;
        }
      }
      add_word(words, norm, start, i, w->str, w->len, brk, nl);
      brk = BRK_NONE;
      nl = FALSE;
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
      add_word(words, norm, i, i + 1, "and", 3, brk, nl);
      brk = BRK_NONE;
      nl = FALSE;
      newlines = 0;
    } else if (c == '\n') {
      nl = TRUE;
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
 * the pass is linear). */
static void mark_links(const char *text, GArray *words)
{
  guint w = 0;
  gsize i = 0;
  while (text[i] && w < words->len) {
    gsize start;
    gboolean link;
    while (text[i] && g_ascii_isspace(text[i]))
      i++;
    start = i;
    while (text[i] && !g_ascii_isspace(text[i]))
      i++;
    link = i > start && is_link(text + start, i - start);
    for (; w < words->len && g_array_index(words, Word, w).start < i; w++)
      g_array_index(words, Word, w).link = link;
  }
}

static const Word *word_at(const Scan *sc, guint i)
{
  return &g_array_index(sc->words, Word, i);
}

static const char *norm_at(const Scan *sc, guint i)
{
  return sc->norm->str + word_at(sc, i)->norm;
}

static gboolean in_list(const char *word, const char *const *list)
{
  for (; *list; list++)
    if (strcmp(word, *list) == 0)
      return TRUE;
  return FALSE;
}

static gboolean is_negation(const char *word)
{
  const gsize n = strlen(word);
  return in_list(word, classify_negations) ||
         (n > 3 && strcmp(word + n - 3, "n't") == 0);
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
static gboolean read_date(const Scan *sc, guint w, guint *end)
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
        (!*rest || in_list(rest, (const char *const[]){ "st", "nd", "rd",
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

/* A National Insurance number: two prefix letters, six digits, a suffix
 * letter A-D, spaced any way ("QQ 12 34 56 C", "QQ123456C"), in capitals
 * as written on every document, so that ordinary words and numbers ("at
 * 123456 a") do not read as one. Prefix rules as HMRC allocates them;
 * QQ, HMRC's specimen, is let through as the number people quote. */
static gboolean read_ni(const Scan *sc, guint w, guint *end)
{
  char compact[10];
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
    if (len + x->len > 9)
      return FALSE;
    for (gsize b = 0; b < x->len; b++) {
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
       in_list((char[]){ compact[0], compact[1], '\0' },
               (const char *const[]){ "BG", "GB", "KN", "NK", "NT", "TN",
                                      "ZZ", NULL })))
    return FALSE;
  *end = i;
  return TRUE;
}

/* ---- phrases ---- */

static void ptok_clear(gpointer p)
{
  g_free(((PTok *)p)->word);
  g_strfreev(((PTok *)p)->alts);
}

/* "laptop|phone|iPad": the words, lower-cased, or NULL unless each is one
 * word. */
static char **compile_alternatives(const char *piece)
{
  g_auto(GStrv) parts = g_strsplit(piece, "|", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) words = g_array_new(FALSE, FALSE, sizeof(Word));
  g_autoptr(GString) norm = g_string_new(NULL);
  for (guint i = 0; parts[i]; i++) {
    g_array_set_size(words, 0);
    g_string_truncate(norm, 0);
    scan_words(parts[i], strlen(parts[i]), words, norm);
    if (words->len != 1)
      return NULL;
    g_ptr_array_add(out, g_strdup(norm->str));
  }
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
}

static void phrase_free(gpointer p)
{
  Phrase *ph = p;
  g_array_unref(ph->toks);
  g_free(ph);
}

/* Cuts a phrase of the table into tokens (syntax in classify_rules.c);
 * NULL for a phrase that could never match. */
static Phrase *phrase_compile(const IgClassifyRule *rule, int field,
                              const char *text)
{
  g_auto(GStrv) pieces = g_strsplit(text, " ", -1);
  g_autoptr(GArray) words = g_array_new(FALSE, FALSE, sizeof(Word));
  g_autoptr(GString) norm = g_string_new(NULL);
  Phrase *ph = g_new0(Phrase, 1);
  guint8 pending = BRK_NONE;
  gboolean bad = FALSE;

  ph->rule = rule;
  ph->field = field;
  ph->toks = g_array_new(FALSE, FALSE, sizeof(PTok));
  g_array_set_clear_func(ph->toks, ptok_clear);
  for (guint p = 0; pieces[p] && !bad; p++) {
    const char *piece = pieces[p];
    gsize len = strlen(piece);
    gboolean prefix = FALSE;
    PTok t = { .allow = pending };
    if (len == 0)
      continue;
    if (strcmp(piece, "*") == 0 || strcmp(piece, "<date>") == 0 ||
        strcmp(piece, "<ni-number>") == 0) {
      t.kind = piece[0] == '*' ? PT_GAP : piece[1] == 'd' ? PT_DATE : PT_NI;
      g_array_append_val(ph->toks, t);
      pending = BRK_NONE;
      continue;
    }
    if (strchr(piece, '|')) {
      t.kind = PT_ALT;
      t.alts = compile_alternatives(piece);
      bad = t.alts == NULL;
      if (!bad)
        g_array_append_val(ph->toks, t);
      pending = BRK_NONE;
      continue;
    }
    if (piece[len - 1] == '*') {
      prefix = TRUE;
      len--;
    }
    g_array_set_size(words, 0);
    g_string_truncate(norm, 0);
    pending = scan_words(piece, len, words, norm);
    for (guint k = 0; k < words->len; k++) {
      const Word *x = &g_array_index(words, Word, k);
      PTok wt = { .kind = prefix && k + 1 == words->len ? PT_PREFIX : PT_WORD,
                  .word = g_strdup(norm->str + x->norm),
                  .allow = k == 0 ? MAX(t.allow, x->brk) : x->brk };
      g_array_append_val(ph->toks, wt);
    }
  }
  if (bad || ph->toks->len == 0 ||
      g_array_index(ph->toks, PTok, 0).kind == PT_GAP) {
    phrase_free(ph);
    return NULL;
  }
  return ph;
}

/* TRUE when a phrase might match text whose words are in present: its
 * first word is there, or it starts with a pattern or a prefix. Saves
 * compiling the many phrases a short mail cannot match. */
static gboolean may_match(const char *phrase, GHashTable *present,
                          GString *buf)
{
  const char *p = phrase;
  g_string_truncate(buf, 0);
  for (; *p && (g_ascii_isalnum(*p) || (guchar)*p >= 0x80); p++)
    g_string_append_c(buf, g_ascii_tolower(*p));
  if (!present || *p == '*' || *p == '<' || *p == '\'' || *p == '|' ||
      buf->len == 0)
    return TRUE;
  return g_hash_table_contains(present, buf->str);
}

static gboolean gap_word_ok(const Scan *sc, guint i)
{
  return word_at(sc, i)->brk == BRK_NONE && !word_at(sc, i)->stop;
}

/* Matches tokens [k..) of the phrase at word w; sets *end past the match. */
static gboolean match_from(const Scan *sc, guint w, const PTok *pt, guint np,
                           guint k, guint *end)
{
  const guint n = sc->words->len;
  guint e;
  if (k == np) {
    *end = w;
    return TRUE;
  }
  if (w >= n || (k > 0 && word_at(sc, w)->brk > pt[k].allow))
    return FALSE;
  switch (pt[k].kind) {
  case PT_WORD:
    return !word_at(sc, w)->link && strcmp(norm_at(sc, w), pt[k].word) == 0 &&
           match_from(sc, w + 1, pt, np, k + 1, end);
  case PT_ALT:
    return !word_at(sc, w)->link &&
           g_strv_contains((const char *const *)pt[k].alts, norm_at(sc, w)) &&
           match_from(sc, w + 1, pt, np, k + 1, end);
  case PT_PREFIX:
    return !word_at(sc, w)->link && g_str_has_prefix(norm_at(sc, w), pt[k].word) &&
           match_from(sc, w + 1, pt, np, k + 1, end);
  case PT_GAP:
    for (guint g = 0; g <= GAP_MAX && w + g <= n; g++) {
      if (g > 0 && !gap_word_ok(sc, w + g - 1))
        return FALSE;
      if (match_from(sc, w + g, pt, np, k + 1, end))
        return TRUE;
    }
    return FALSE;
  case PT_DATE:
    return read_date(sc, w, &e) && match_from(sc, e, pt, np, k + 1, end);
  case PT_NI:
    return read_ni(sc, w, &e) && match_from(sc, e, pt, np, k + 1, end);
  default:
    return FALSE;
  }
}

static gboolean is_bare_no(const char *w)
{
  return strcmp(w, "no") == 0 || strcmp(w, "none") == 0 ||
         strcmp(w, "nil") == 0;
}

/* "no personal data", "did not contain any personal data", "Personal
 * data: none", and the row's own "unless" words ("asking me to confirm my
 * bank details"). A phrase that is itself negative ("did not click") is
 * read as written: only the words around it count. */
static gboolean negated(const Scan *sc, const IgClassifyRule *rule,
                        guint start, guint end)
{
  const guint n = sc->words->len;
  for (guint back = 1; back <= NEGATION_WINDOW && back <= start; back++) {
    const guint i = start - back;
    if (word_at(sc, i + 1)->brk >= BRK_CLAUSE ||
        in_list(norm_at(sc, i), classify_negation_stops))
      break;
    if (is_negation(norm_at(sc, i)) ||
        (rule->unless && in_list(norm_at(sc, i), rule->unless)))
      return TRUE;
  }
  for (guint i = end; i < n && i < end + ANSWER_WINDOW; i++) {
    /* the answer stands on the same line, or on the next after a colon
     * ("Personal data involved:\nNo") */
    if (word_at(sc, i)->brk >= BRK_SENTENCE ||
        (word_at(sc, i)->nl && word_at(sc, i)->brk < BRK_CLAUSE))
      break;
    if (is_bare_no(norm_at(sc, i)) &&
        (i + 1 == n || word_at(sc, i + 1)->brk >= BRK_CLAUSE ||
         word_at(sc, i + 1)->nl))
      return TRUE;
  }
  return FALSE;
}

/* The words of the text from word start to word end, as written, white
 * space shown as one space. */
static char *words_as_written(const Scan *sc, guint start, guint end)
{
  const char *s = sc->text + word_at(sc, start)->start;
  const char *e = sc->text + word_at(sc, end - 1)->end;
  GString *out = g_string_sized_new((gsize)(e - s));
  gboolean space = FALSE;
  for (; s < e; s++) {
    if (g_ascii_isspace(*s)) {
      space = TRUE;
      continue;
    }
    if (space)
      g_string_append_c(out, ' ');
    space = FALSE;
    g_string_append_c(out, *s);
  }
  return g_string_free(out, FALSE);
}

void decision_free(IgDecision *decision)
{
  if (!decision)
    return;
  g_free(decision->words);
  g_free(decision);
}

typedef struct {
  const IgClassifyRule *rule;
  guint start, end;
} Best;

GPtrArray *classify_text(const char *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)decision_free);
  g_autoptr(GPtrArray) phrases = g_ptr_array_new_with_free_func(phrase_free);
  g_autoptr(GPtrArray) anywhere = g_ptr_array_new();
  g_autoptr(GHashTable) present = g_hash_table_new(g_str_hash, g_str_equal);
  g_autoptr(GString) buf = g_string_new(NULL);
  g_autoptr(GHashTable) by_word = g_hash_table_new_full(
      g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  Scan sc = { .text = text ? text : "" };
  Best best[N_FIELDS] = { { 0 } };

  sc.words = g_array_new(FALSE, FALSE, sizeof(Word));
  sc.norm = g_string_new(NULL);
  scan_words(sc.text, strlen(sc.text), sc.words, sc.norm);
  mark_links(sc.text, sc.words);
  /* once per word, not once per "*" that might skip it */
  for (guint w = 0; w < sc.words->len; w++) {
    const char *word = norm_at(&sc, w);
    g_array_index(sc.words, Word, w).stop =
        is_negation(word) || in_list(word, classify_gap_stops);
  }

  /* a long text holds most first words anyway: compile all for it */
  for (guint w = 0; w < sc.words->len && sc.words->len <= PRESENT_MAX; w++)
    g_hash_table_add(present, (gpointer)norm_at(&sc, w));
  /* Index the table by first word; phrases that start with a pattern or a
   * prefix are tried at every word. */
  for (const IgClassifyRule *r = classify_rules; r->field; r++) {
    int field = -1;
    for (int f = 0; field_names[f]; f++)
      if (strcmp(r->field, field_names[f]) == 0)
        field = f;
    for (guint p = 0; field >= 0 && r->phrases[p]; p++) {
      Phrase *ph;
      const PTok *first;
      GPtrArray *list;
      if (!may_match(r->phrases[p],
                     sc.words->len <= PRESENT_MAX ? present : NULL, buf) ||
          !(ph = phrase_compile(r, field, r->phrases[p])))
        continue;
      g_ptr_array_add(phrases, ph);
      first = &g_array_index(ph->toks, PTok, 0);
      if (first->kind != PT_WORD && first->kind != PT_ALT) {
        g_ptr_array_add(anywhere, ph);
        continue;
      }
      for (guint a = 0; first->kind == PT_WORD ? a < 1 : first->alts[a] != NULL;
           a++) {
        char *key = first->kind == PT_WORD ? first->word : first->alts[a];
        list = g_hash_table_lookup(by_word, key);
        if (!list) {
          list = g_ptr_array_new();
          g_hash_table_insert(by_word, key, list);
        }
        g_ptr_array_add(list, ph);
      }
    }
  }

  for (guint w = 0; w < sc.words->len; w++) {
    GPtrArray *lists[2] = { g_hash_table_lookup(by_word, norm_at(&sc, w)),
                            anywhere };
    for (int l = 0; l < 2; l++) {
      for (guint p = 0; lists[l] && p < lists[l]->len; p++) {
        const Phrase *ph = lists[l]->pdata[p];
        Best *b = &best[ph->field];
        guint end;
        /* an earlier match of equal priority already wins */
        if (b->rule && b->rule->priority >= ph->rule->priority)
          continue;
        if (match_from(&sc, w, (const PTok *)(void *)ph->toks->data,
                       ph->toks->len, 0, &end) &&
            end > w && !negated(&sc, ph->rule, w, end))
          *b = (Best){ ph->rule, w, end };
      }
    }
  }

  for (int f = 0; f < N_FIELDS; f++) {
    IgDecision *d;
    if (!best[f].rule)
      continue;
    d = g_new0(IgDecision, 1);
    d->field = best[f].rule->field;
    d->value = best[f].rule->value;
    d->rule = best[f].rule->rule;
    d->words = words_as_written(&sc, best[f].start, best[f].end);
    g_ptr_array_add(out, d);
  }
  g_array_unref(sc.words);
  g_string_free(sc.norm, TRUE);
  return out;
}

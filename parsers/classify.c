/* classify.c - category, impact and personal data from wording, by the
 * table in classify_rules.c (compiled by classify_table.c).
 *
 * The text is cut into words the way the table's phrases are
 * (classify_words.c), so "sign-in" in a phrase and "sign in" in a mail
 * are the same two words, and each word is looked up once in the table:
 * its entry says which phrases start with it and matches it to their
 * words. One walk over the words of the text tries only the phrases that
 * can start at each word, and of each field only those that can beat the
 * field's best so far: the work is linear in the text, whatever its size.
 * A first walk finds the sentences of legal boilerplate ("If you are not
 * the intended recipient ..."); the second, for every other field, passes
 * over them and the rest of their paragraph. A match preceded by a
 * negation in the same sentence, or answered by a bare "no", does not
 * fire. Each decision quotes the words of the text that fired it, as
 * written (runs of white space shown as one space). Pure. */
#include "parsers/classify.h"

#include <string.h>

#include "parsers/classify_table.h"

/* How far back a negation reaches, in words ("did not contain any
 * personal data"), and how far ahead a bare answer ("data: none"). */
#define NEGATION_WINDOW 4
#define ANSWER_WINDOW 3
/* Words a "*" in a phrase may stand for, and a "**". */
#define GAP_MAX 3
#define LONG_GAP_MAX 12

/* ---- matching ---- */

/* Words of the text from w that are the run of an alternative (joined as
 * in "sign-in": no punctuation but a hyphen inside); the count, or 0. */
static guint match_run(const Scan *sc, guint w, const Entry *const *run)
{
  guint k = 0;
  for (; run[k]; k++) {
    const guint i = w + k;
    if (i >= sc->words->len || word_at(sc, i)->entry != run[k] ||
        word_at(sc, i)->link || (k > 0 && word_at(sc, i)->brk != BRK_NONE))
      return 0;
  }
  return k;
}

/* A "*" skips words of the same clause that are neither negations nor
 * gap stops; a "**" skips commas and gap stops too, never a negation. */
static gboolean gap_word_ok(const Scan *sc, guint i, gboolean long_gap)
{
  const Word *x = word_at(sc, i);
  if (long_gap)
    return x->brk <= BRK_COMMA && !x->neg;
  return x->brk == BRK_NONE && !x->stop;
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
  /* a gap checks each word it skips itself */
  if (pt[k].kind != PT_GAP && pt[k].kind != PT_LONG_GAP &&
      (w >= n || (k > 0 && word_at(sc, w)->brk > pt[k].allow)))
    return FALSE;
  switch (pt[k].kind) {
  case PT_WORD:
    return word_at(sc, w)->entry == pt[k].entry && !word_at(sc, w)->link &&
           match_from(sc, w + 1, pt, np, k + 1, end);
  case PT_ALT: {
    /* only the alternatives that start with this word can match here */
    const GPtrArray *runs = word_at(sc, w)->entry
        ? g_hash_table_lookup(pt[k].by_first, word_at(sc, w)->entry)
        : NULL;
    for (guint a = 0; runs && a < runs->len; a++) {
      const guint len = match_run(sc, w, runs->pdata[a]);
      if (len > 0 && match_from(sc, w + len, pt, np, k + 1, end))
        return TRUE;
    }
    return FALSE;
  }
  case PT_PREFIX:
    return !word_at(sc, w)->link && g_str_has_prefix(norm_at(sc, w), pt[k].word) &&
           match_from(sc, w + 1, pt, np, k + 1, end);
  case PT_GAP:
  case PT_LONG_GAP:
    for (guint g = 0;
         g <= (pt[k].kind == PT_GAP ? GAP_MAX : LONG_GAP_MAX) && w + g <= n;
         g++) {
      if (g > 0 && !gap_word_ok(sc, w + g - 1, pt[k].kind == PT_LONG_GAP))
        return FALSE;
      if (match_from(sc, w + g, pt, np, k + 1, end))
        return TRUE;
    }
    return FALSE;
  case PT_DATE:
    return words_read_date(sc, w, &e) && match_from(sc, e, pt, np, k + 1, end);
  case PT_TIME:
    return words_read_time(sc, w, &e) && match_from(sc, e, pt, np, k + 1, end);
  case PT_NI:
    return words_read_ni(sc, w, &e) && match_from(sc, e, pt, np, k + 1, end);
  default:
    return FALSE;
  }
}

/* A bare answer at word i that denies or leaves open what came before
 * ("Personal data: none", "Personal data: not sure"); its length in
 * words, or 0. */
static guint bare_answer(const Scan *sc, guint i)
{
  static const char *const one[] = { "no", "none", "nil", "unknown",
                                     "unsure", "tbc", "tbd", NULL };
  static const char *const two[] = { "sure", "known", "know", NULL };
  const guint n = sc->words->len;
  if (words_in_list(norm_at(sc, i), one))
    return 1;
  if ((strcmp(norm_at(sc, i), "not") == 0 ||
       strcmp(norm_at(sc, i), "don't") == 0) &&
      i + 1 < n && word_at(sc, i + 1)->brk == BRK_NONE &&
      words_in_list(norm_at(sc, i + 1), two))
    return 2;
  return 0;
}

/* "no personal data", "did not contain any personal data", "Personal
 * data: none", the row's own "unless" words ("asking me to confirm my
 * bank details") and "unless_after" words ("high impact incidents"). A
 * phrase that is itself negative ("did not click") is read as written:
 * only the words around it count. */
static gboolean negated(const Scan *sc, const IgClassifyRule *rule,
                        guint start, guint end)
{
  const guint n = sc->words->len;
  for (guint back = 1; back <= NEGATION_WINDOW && back <= start; back++) {
    const guint i = start - back;
    if (word_at(sc, i + 1)->brk >= BRK_CLAUSE ||
        words_in_list(norm_at(sc, i), classify_negation_stops))
      break;
    if (word_at(sc, i)->neg ||
        (rule->unless && words_in_list(norm_at(sc, i), rule->unless)))
      return TRUE;
  }
  if (rule->unless_after && end < n && word_at(sc, end)->brk < BRK_CLAUSE &&
      words_in_list(norm_at(sc, end), rule->unless_after))
    return TRUE;
  for (guint i = end; i < n && i < end + ANSWER_WINDOW; i++) {
    /* the answer stands on the same line, or on the next after a colon
     * ("Personal data involved:\nNo") */
    if (word_at(sc, i)->brk >= BRK_SENTENCE ||
        (word_at(sc, i)->nl && word_at(sc, i)->brk < BRK_CLAUSE))
      break;
    const guint len = bare_answer(sc, i);
    if (len > 0 &&
        (i + len == n || word_at(sc, i + len)->brk >= BRK_CLAUSE ||
         word_at(sc, i + len)->nl))
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

/* Tries at word w the phrases of list; ordered: the list is by priority,
 * higher first, and stops at the first that cannot beat the best. */
static void try_phrases(const Scan *sc, guint w, const GPtrArray *list,
                        gboolean ordered, const guint *sentence,
                        gboolean *skip, Best *best)
{
  for (guint p = 0; list && p < list->len; p++) {
    const Phrase *ph = list->pdata[p];
    Best *b = &best[ph->field];
    guint end;
    /* an earlier match of equal priority already wins; boilerplate is
     * wanted in every sentence */
    if (b->rule && b->rule->priority >= ph->rule->priority &&
        ph->field != FIELD_BOILERPLATE) {
      if (ordered)
        return;
      continue;
    }
    if (ph->rule->opening && sentence[w] > 1)
      continue;
    if (match_from(sc, w, (const PTok *)(void *)ph->toks->data,
                   ph->toks->len, 0, &end) &&
        end > w && !negated(sc, ph->rule, w, end)) {
      *b = (Best){ ph->rule, w, end };
      if (ph->field == FIELD_BOILERPLATE)
        skip[sentence[w]] = TRUE;
    }
  }
}

/* One walk over the words trying the phrases that can start at each,
 * except in sentences marked skip; the best match per field in best. A
 * boilerplate match marks its sentence in skip. Each field's best is the
 * first phrase of the highest priority that matches, the fields apart:
 * the order in which fields are tried does not matter. */
static void walk(const Scan *sc, const Table *tb, int which,
                 const guint *sentence, gboolean *skip, Best *best)
{
  for (guint w = 0; w < sc->words->len; w++) {
    const Entry *e = word_at(sc, w)->entry;
    if (skip[sentence[w]])
      continue;
    if (e && which == WALK_BOILERPLATE && e->boilerplate)
      try_phrases(sc, w, e->boilerplate, FALSE, sentence, skip, best);
    for (guint set = e && which == WALK_FIELDS ? e->field_set : 0; set;
         set &= set - 1)
      try_phrases(sc, w, e->fields[g_bit_nth_lsf(set, -1)], TRUE, sentence,
                  skip, best);
    const GPtrArray *anywhere =
        tb->anywhere_at[which][(guchar)sc->text[word_at(sc, w)->start]];
    if (anywhere)
      try_phrases(sc, w, anywhere, FALSE, sentence, skip, best);
  }
}

GPtrArray *classify_text(const char *text)
{
  g_autoptr(FtInput) in = freetext_input_new(text);
  return classify_input(in);
}

GPtrArray *classify_input(const FtInput *in)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)decision_free);
  const Table *tb = classify_table();
  Scan sc = { .text = in->text };
  Best best[N_FIELDS] = { { 0 } };
  g_autofree guint *sentence = NULL;
  g_autofree gboolean *boilerplate = NULL, *para_start = NULL;
  guint sentences = 0;

  /* about a word in five bytes of prose: few grow once */
  sc.words = g_array_sized_new(FALSE, FALSE, sizeof(Word), in->len / 5 + 8);
  sc.norm = g_string_sized_new(in->len + 16);
  words_scan(in->text, in->low, in->len, sc.words, sc.norm);
  words_mark_links(sc.text, sc.words);
  sentence = g_new(guint, sc.words->len + 1);
  /* each word looked up once, not once per walk, per phrase or per "*"
   * that might skip it */
  for (guint w = 0; w < sc.words->len; w++) {
    const char *word = norm_at(&sc, w);
    Word *x = &g_array_index(sc.words, Word, w);
    const Entry *e = x->entry =
        wordtab_get(&tb->words, word, x->len, wordtab_hash(word, x->len));
    x->neg = (e && e->negation) || words_is_negation_suffix(word, x->len);
    x->stop = x->neg || (e && e->gap_stop);
    if (w > 0 && word_at(&sc, w)->brk >= BRK_SENTENCE)
      sentences++;
    sentence[w] = sentences;
  }
  boilerplate = g_new0(gboolean, sentences + 1);
  para_start = g_new0(gboolean, sentences + 1);
  for (guint w = 0; w < sc.words->len; w++)
    if (w == 0 || word_at(&sc, w)->para)
      para_start[sentence[w]] = TRUE;

  walk(&sc, tb, WALK_BOILERPLATE, sentence, boilerplate, best);
  /* a footer runs to the end of its paragraph ("Any personal data in this
   * e-mail is handled ...") */
  for (guint s = 1; s <= sentences; s++)
    if (boilerplate[s - 1] && !para_start[s])
      boilerplate[s] = TRUE;
  walk(&sc, tb, WALK_FIELDS, sentence, boilerplate, best);

  for (int f = 0; f < N_FIELDS; f++) {
    IgDecision *d;
    if (!best[f].rule || f == FIELD_BOILERPLATE)
      continue;
    d = g_new0(IgDecision, 1);
    d->field = best[f].rule->field;
    d->value = best[f].rule->value;
    d->rule = best[f].rule->rule;
    d->priority = best[f].rule->priority;
    d->words = words_as_written(&sc, best[f].start, best[f].end);
    g_ptr_array_add(out, d);
  }
  g_array_unref(sc.words);
  g_string_free(sc.norm, TRUE);
  return out;
}

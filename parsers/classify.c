/* classify.c - category, impact and personal data from wording, by the
 * table in classify_rules.c.
 *
 * The text and the table's phrases are cut into words the same way
 * (classify_words.c), so "sign-in" in a phrase and "sign in" in a mail are
 * the same two words. Phrases are indexed by their first word (only those
 * a short text can match are compiled), and one walk over the words of
 * the text tries only the phrases that can start at each word: the work is
 * linear in the text, whatever its size. A first walk finds the sentences
 * of legal boilerplate ("If you are not the intended recipient ..."); the
 * second, for every other field, passes over them and the rest of their
 * paragraph. A match preceded by a negation in the same sentence, or
 * answered by a bare "no", does not fire. Each decision quotes the words
 * of the text that fired it, as written (runs of white space shown as one
 * space). Pure. */
#include "parsers/classify.h"

#include <string.h>

#include "parsers/classify_rules.h"
#include "parsers/classify_words.h"
#include "parsers/wordtab.h"

/* How far back a negation reaches, in words ("did not contain any
 * personal data"), and how far ahead a bare answer ("data: none"). */
#define NEGATION_WINDOW 4
#define ANSWER_WINDOW 3
/* Words a "*" in a phrase may stand for, and a "**". */
#define GAP_MAX 3
#define LONG_GAP_MAX 12

typedef enum {
  PT_WORD, PT_PREFIX, PT_ALT, PT_GAP, PT_LONG_GAP, PT_DATE, PT_TIME, PT_NI
} PTokKind;

static const char *const field_names[] = { "category", "impact",
                                           "personal_data", "not_a_report",
                                           "event", "boilerplate", "near_miss",
                                           NULL };
#define N_FIELDS 7
/* Rows of this field mark sentences, and make no decision. */
#define FIELD_BOILERPLATE 5

/* What the table knows of a word (classify_words.h): its spelling, the
 * phrases that start with it, and whether it is a negation or a gap stop.
 * Every word of the table's phrases has one, so a word of a text without
 * one matches no word of a phrase, and one that has one matches a
 * phrase's word when they share it. The boilerplate phrases are in table
 * order; the others by field, the higher priority first (table order
 * among equals), so that a walk stops at the first that cannot beat the
 * field's best. */
enum { WALK_BOILERPLATE, WALK_FIELDS, WALKS };
struct ClassifyEntry {
  char *word;
  GPtrArray *boilerplate;       /* Phrase, or NULL */
  GPtrArray *fields[N_FIELDS];  /* Phrase, or NULL */
  guint field_set;              /* bit f set when fields[f] is not NULL */
  gboolean negation, gap_stop;
};
typedef ClassifyEntry Entry;

typedef struct {
  PTokKind kind;
  char *word;          /* PT_WORD, PT_PREFIX */
  const Entry *entry;  /* PT_WORD: the table's for word */
  GPtrArray *alts;     /* PT_ALT: "laptop|sign-in", one of these runs of
                          words (each a NULL-terminated array of Entry*:
                          "sign", "in") */
  GHashTable *by_first; /* PT_ALT: first Entry -> GPtrArray of the runs
                           that start with it, in order */
  guint8 allow;        /* the strongest punctuation allowed before it */
} PTok;

typedef struct {
  const IgClassifyRule *rule;
  int field;
  GArray *toks; /* PTok */
} Phrase;

/* The table, compiled once (at first use) and immutable afterwards: every
 * phrase, indexed by its first word, so that each word of a text is
 * looked up once; phrases that start with a pattern or a prefix are tried
 * at every word that may begin them. */
typedef struct {
  GPtrArray *phrases;         /* Phrase */
  GPtrArray *anywhere[WALKS]; /* Phrase */
  /* the same, by the first byte of a word (as written) they may start
   * at: a date or time at a digit, a National Insurance number at a
   * capital, "word*" at its first letter; NULL for none */
  GPtrArray *anywhere_at[WALKS][256];
  WordTab words;              /* word -> Entry */
} Table;

static Entry *entry_of(Table *table, const char *word)
{
  const gsize len = strlen(word);
  Entry *e = wordtab_get(&table->words, word, len, wordtab_hash(word, len));
  if (!e) {
    e = g_new0(Entry, 1);
    e->word = g_strdup(word);
    *wordtab_slot(&table->words, e->word, len) = e;
  }
  return e;
}

/* ---- phrases ---- */

static void ptok_clear(gpointer p)
{
  g_free(((PTok *)p)->word);
  if (((PTok *)p)->alts)
    g_ptr_array_unref(((PTok *)p)->alts);
  if (((PTok *)p)->by_first)
    g_hash_table_unref(((PTok *)p)->by_first);
}

/* "laptop|sign-in|iPad": each alternative cut into words as the text is
 * ("sign-in" is "sign" "in"), lower-cased, and indexed by its first in
 * by_first; NULL if one is empty. *after: the punctuation written after
 * them ("data|information:"). */
static GPtrArray *compile_alternatives(Table *table, const char *piece,
                                       guint8 *after, GHashTable *by_first)
{
  g_auto(GStrv) parts = g_strsplit(piece, "|", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) words = g_array_new(FALSE, FALSE, sizeof(Word));
  g_autoptr(GString) norm = g_string_new(NULL);
  for (guint i = 0; parts[i]; i++) {
    g_autofree char *low = g_ascii_strdown(parts[i], -1);
    GPtrArray *same;
    const Entry **run;
    guint8 brk;
    g_array_set_size(words, 0);
    g_string_truncate(norm, 0);
    brk = words_scan(parts[i], low, strlen(parts[i]), words, norm);
    *after = MAX(*after, brk);
    if (words->len == 0)
      return NULL;
    run = g_new0(const Entry *, words->len + 1);
    for (guint k = 0; k < words->len; k++)
      run[k] = entry_of(table, norm->str + g_array_index(words, Word, k).norm);
    g_ptr_array_add(out, run);
    if (!(same = g_hash_table_lookup(by_first, run[0]))) {
      same = g_ptr_array_new();
      g_hash_table_insert(by_first, (gpointer)run[0], same);
    }
    g_ptr_array_add(same, run);
  }
  return g_steal_pointer(&out);
}

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

static void phrase_free(gpointer p)
{
  Phrase *ph = p;
  g_array_unref(ph->toks);
  g_free(ph);
}

/* Cuts a phrase of the table into tokens (syntax in classify_rules.c);
 * NULL for a phrase that could never match. */
static Phrase *phrase_compile(Table *table, const IgClassifyRule *rule,
                              int field, const char *text)
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
    char *low;
    PTok t = { .allow = pending };
    if (len == 0)
      continue;
    if (strcmp(piece, "*") == 0 || strcmp(piece, "**") == 0 ||
        strcmp(piece, "<date>") == 0 || strcmp(piece, "<time>") == 0 ||
        strcmp(piece, "<ni-number>") == 0) {
      t.kind = strcmp(piece, "*") == 0    ? PT_GAP
               : strcmp(piece, "**") == 0 ? PT_LONG_GAP
               : piece[1] == 'd'          ? PT_DATE
               : piece[1] == 't'          ? PT_TIME
                                          : PT_NI;
      g_array_append_val(ph->toks, t);
      /* what a "**" skips may end in a comma */
      pending = t.kind == PT_LONG_GAP ? BRK_COMMA : BRK_NONE;
      continue;
    }
    if (strchr(piece, '|')) {
      t.kind = PT_ALT;
      pending = BRK_NONE;
      t.by_first = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify)g_ptr_array_unref);
      t.alts = compile_alternatives(table, piece, &pending, t.by_first);
      bad = t.alts == NULL;
      if (bad)
        g_hash_table_unref(t.by_first);
      else
        g_array_append_val(ph->toks, t);
      continue;
    }
    if (piece[len - 1] == '*') {
      prefix = TRUE;
      len--;
    }
    g_array_set_size(words, 0);
    g_string_truncate(norm, 0);
    low = g_ascii_strdown(piece, (gssize)len);
    pending = words_scan(piece, low, len, words, norm);
    g_free(low);
    for (guint k = 0; k < words->len; k++) {
      const Word *x = &g_array_index(words, Word, k);
      PTok wt = { .kind = prefix && k + 1 == words->len ? PT_PREFIX : PT_WORD,
                  .word = g_strdup(norm->str + x->norm),
                  .allow = k == 0 ? MAX(t.allow, x->brk) : x->brk };
      if (wt.kind == PT_WORD)
        wt.entry = entry_of(table, wt.word);
      g_array_append_val(ph->toks, wt);
    }
  }
  if (bad || ph->toks->len == 0 ||
      g_array_index(ph->toks, PTok, 0).kind == PT_GAP ||
      g_array_index(ph->toks, PTok, 0).kind == PT_LONG_GAP) {
    phrase_free(ph);
    return NULL;
  }
  return ph;
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

static void index_add(Table *table, int walk, Phrase *ph)
{
  const PTok *first = &g_array_index(ph->toks, PTok, 0);
  if (first->kind != PT_WORD && first->kind != PT_ALT) {
    g_ptr_array_add(table->anywhere[walk], ph);
    return;
  }
  for (guint a = 0; first->kind == PT_WORD ? a < 1 : a < first->alts->len;
       a++) {
    Entry *e = (Entry *)(first->kind == PT_WORD
                             ? first->entry
                             : ((const Entry **)first->alts->pdata[a])[0]);
    GPtrArray **list = walk == WALK_BOILERPLATE ? &e->boilerplate
                                                : &e->fields[ph->field];
    if (!*list)
      *list = g_ptr_array_new();
    /* "sign-in|sign-ins": once under "sign" */
    if ((*list)->len == 0 || (*list)->pdata[(*list)->len - 1] != ph)
      g_ptr_array_add(*list, ph);
  }
}

/* Files ph (which starts with a pattern or a prefix) under every first
 * byte of a word it may start at. */
static void index_anywhere(Table *table, int walk, Phrase *ph)
{
  const PTok *first = &g_array_index(ph->toks, PTok, 0);
  for (guint c = 0; c < 256; c++) {
    gboolean may;
    switch (first->kind) {
    case PT_DATE:
    case PT_TIME:
      may = g_ascii_isdigit(c);
      break;
    case PT_NI:
      may = g_ascii_isupper(c);
      break;
    case PT_PREFIX:
      may = g_ascii_tolower(c) == first->word[0];
      break;
    default:
      may = TRUE;
    }
    if (!may)
      continue;
    if (!table->anywhere_at[walk][c])
      table->anywhere_at[walk][c] = g_ptr_array_new();
    g_ptr_array_add(table->anywhere_at[walk][c], ph);
  }
}

static int higher_first(gconstpointer a, gconstpointer b)
{
  const int pa = (*(const Phrase *const *)a)->rule->priority;
  const int pb = (*(const Phrase *const *)b)->rule->priority;
  return pa > pb ? -1 : pa < pb ? 1 : 0;
}

/* Each word's phrases of a field, the higher priority first; the sort is
 * stable, so table order stays among equals. */
static void order_fields(Table *table)
{
  for (guint i = 0; i <= table->words.mask; i++) {
    Entry *e = table->words.slots[i].value;
    for (int f = 0; e && f < N_FIELDS; f++)
      if (e->fields[f]) {
        g_ptr_array_sort(e->fields[f], higher_first);
        e->field_set |= 1u << f;
      }
  }
}

/* Compiles the phrases of a row into the table's indexes. */
static void table_add_rule(Table *table, const IgClassifyRule *r)
{
  int field = -1;
  for (int f = 0; field_names[f]; f++)
    if (strcmp(r->field, field_names[f]) == 0)
      field = f;
  for (guint p = 0; field >= 0 && r->phrases[p]; p++) {
    Phrase *ph = phrase_compile(table, r, field, r->phrases[p]);
    if (!ph)
      continue;
    g_ptr_array_add(table->phrases, ph);
    index_add(table, field == FIELD_BOILERPLATE ? WALK_BOILERPLATE : WALK_FIELDS,
              ph);
  }
}

static const Table *table_get(void)
{
  static gsize once = 0;
  static Table table;
  if (g_once_init_enter(&once)) {
    table.phrases = g_ptr_array_new_with_free_func(phrase_free);
    for (int k = 0; k < WALKS; k++)
      table.anywhere[k] = g_ptr_array_new();
    wordtab_init(&table.words, 0);
    for (guint t = 0; classify_tables[t]; t++)
      for (const IgClassifyRule *r = classify_tables[t]; r->field; r++)
        table_add_rule(&table, r);
    for (guint i = 0; classify_negations[i]; i++)
      entry_of(&table, classify_negations[i])->negation = TRUE;
    for (guint i = 0; classify_gap_stops[i]; i++)
      entry_of(&table, classify_gap_stops[i])->gap_stop = TRUE;
    order_fields(&table);
    for (int k = 0; k < WALKS; k++)
      for (guint i = 0; i < table.anywhere[k]->len; i++)
        index_anywhere(&table, k, table.anywhere[k]->pdata[i]);
    g_once_init_leave(&once, 1);
  }
  return &table;
}

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
  const Table *tb = table_get();
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

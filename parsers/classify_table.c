/* classify_table.c - the classification table compiled
 * (classify_table.h).
 *
 * Each phrase of a row is cut into tokens, each word of it given the
 * table's entry for that word (so that a text's words are matched by
 * entry, not by spelling), and filed under the entry of its first word:
 * boilerplate in table order, the other fields' by field, the higher
 * priority first. Alternatives are filed by their first word too, and
 * phrases that start with a pattern or a prefix by the first byte of a
 * word they may start at. Phrases that could never match are dropped.
 * Pure: built once, then only read. */
#include "parsers/classify_table.h"

#include <string.h>

static const char *const field_names[] = { "category", "impact",
                                           "personal_data", "not_a_report",
                                           "event", "boilerplate", "near_miss",
                                           NULL };

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

/* ---- indexes ---- */

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
    index_add(table,
              field == FIELD_BOILERPLATE ? WALK_BOILERPLATE : WALK_FIELDS, ph);
  }
}

const Table *classify_table(void)
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


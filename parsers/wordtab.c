/* wordtab.c - a table of words to values (wordtab.h). Pure. */
#include "parsers/wordtab.h"

#define FIRST_SLOTS 16

void wordtab_init(WordTab *t, guint expected)
{
  guint size = FIRST_SLOTS;
  while (size < 2 * expected + 2)
    size *= 2;
  t->slots = g_new0(WordSlot, size);
  t->mask = size - 1;
  t->count = 0;
}

void wordtab_clear(WordTab *t)
{
  g_clear_pointer(&t->slots, g_free);
  t->mask = 0;
  t->count = 0;
}

static WordSlot *find(WordSlot *slots, guint mask, const char *word,
                      gsize len, guint hash)
{
  for (guint i = hash & mask;; i = (i + 1) & mask) {
    WordSlot *s = &slots[i];
    if (!s->word ||
        (s->hash == hash && s->len == len && memcmp(s->word, word, len) == 0))
      return s;
  }
}

/* At most half full, so that a search meets a free slot soon. */
static void grow(WordTab *t)
{
  const guint size = (t->mask + 1) * 2;
  WordSlot *slots = g_new0(WordSlot, size);
  for (guint i = 0; i <= t->mask; i++)
    if (t->slots[i].word)
      *find(slots, size - 1, t->slots[i].word, t->slots[i].len,
            t->slots[i].hash) = t->slots[i];
  g_free(t->slots);
  t->slots = slots;
  t->mask = size - 1;
}

gpointer *wordtab_slot(WordTab *t, const char *word, gsize len)
{
  const guint hash = wordtab_hash(word, len);
  WordSlot *s;
  if ((t->count + 1) * 2 > t->mask + 1)
    grow(t);
  s = find(t->slots, t->mask, word, len, hash);
  if (!s->word) {
    *s = (WordSlot){ word, len, hash, NULL };
    t->count++;
  }
  return &s->value;
}

/* wordtab.h - a table of words to values for the free-text readers: the
 * tables of words they build once (and the names given to one call),
 * looked up by a word's bytes and length as a reader finds it in a text,
 * without copying it, and by a hash computed once for every table the
 * word is looked up in. Open addressing, grown as it is filled; only read
 * once built. Pure. */
#ifndef IG_WORDTAB_H
#define IG_WORDTAB_H

#include <glib.h>
#include <string.h>

typedef struct {
  const char *word; /* not owned: must outlive the table; NULL if free */
  gsize len;
  guint hash;
  gpointer value;
} WordSlot;

typedef struct {
  WordSlot *slots;
  guint mask;  /* the number of slots, a power of two, less one */
  guint count;
} WordTab;

/* Room for expected words without growing (0: a few). */
void wordtab_init(WordTab *t, guint expected);
/* Frees the slots, not the words or values. */
void wordtab_clear(WordTab *t);

/* FNV-1a of the word's bytes. */
static inline guint wordtab_hash(const char *word, gsize len)
{
  guint32 h = 2166136261u;
  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar)word[i]) * 16777619u;
  return h;
}

/* The value stored for word[0..len), whose hash is hash, or NULL. */
static inline gpointer wordtab_get(const WordTab *t, const char *word,
                                   gsize len, guint hash)
{
  for (guint i = hash & t->mask;; i = (i + 1) & t->mask) {
    const WordSlot *s = &t->slots[i];
    if (!s->word)
      return NULL;
    if (s->hash == hash && s->len == len && memcmp(s->word, word, len) == 0)
      return s->value;
  }
}

/* Where the value of word[0..len) is stored: NULL when the word is new. */
gpointer *wordtab_slot(WordTab *t, const char *word, gsize len);

#endif

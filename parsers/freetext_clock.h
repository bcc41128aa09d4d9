/* freetext_clock.h - prose cut into tokens, and clock times read from
 * them (private to freetext_time.c and freetext_clock.c). */
#ifndef IG_FREETEXT_CLOCK_H
#define IG_FREETEXT_CLOCK_H

#include <glib.h>
#include <string.h>

#include "parsers/freetext_time.h"
#include "parsers/freetext_words.h"

typedef enum { TOK_NUM, TOK_WORD, TOK_PUNCT } TokKind;

typedef struct {
  guint8 kind;      /* TokKind */
  guint8 space_before;
  guint32 start, len; /* bytes in the text (at most FREETEXT_MAX) */
  int num;          /* TOK_NUM (len <= 9), TOK_PUNCT: the character */
  guint32 lists;    /* TOK_WORD: bit l set when list l holds the word */
  guint sentence;
  guint paragraph;  /* blank lines between paragraphs */
} Tok;

typedef struct {
  const char *text;
  const char *low; /* text with ASCII letters lower-cased, same offsets */
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
  gboolean bare; /* "at 2": only where a time is expected, and read on
                    office hours when no part of the day is said */
} Clock;

/* Numbers, words and punctuation of text (len bytes), each knowing
 * whether a space preceded it and which sentence it is in; low is text
 * lower-cased. Caller unrefs. */
GArray *clock_tokenize(const char *text, const char *low, gsize len);
/* A clock time at *pos ("14:05", "9.30", "2pm", "half past eight");
 * moves *pos past it. */
gboolean clock_read(const Toks *x, guint *pos, Clock *k);
/* "ten", "forty-five", "45", "a": a count at *pos, or -1. */
int clock_read_count(const Toks *x, guint *pos);

static inline const Tok *tok(const Toks *x, guint i)
{
  return i < x->n ? &x->t[i] : NULL;
}

static inline gboolean is_num(const Toks *x, guint i, gsize min, gsize max)
{
  const Tok *t = tok(x, i);
  return t && t->kind == TOK_NUM && t->len >= min && t->len <= max;
}

static inline gboolean is_punct(const Toks *x, guint i, char c, gboolean glued)
{
  const Tok *t = tok(x, i);
  return t && t->kind == TOK_PUNCT && t->num == c &&
         (!glued || !t->space_before);
}

static inline gboolean is_glued(const Toks *x, guint i)
{
  const Tok *t = tok(x, i);
  return t && !t->space_before;
}

/* Index of the token's word in a list (freetext_words.h), or -1. Asked
 * many times a token: the token's bits answer most at once. */
static inline int word_index(const Toks *x, guint i, FtList list)
{
  const Tok *t = tok(x, i);
  const char *const *words = freetext_lists[list];
  if (!t || !(t->lists & 1u << list))
    return -1;
  for (int k = 0; words[k]; k++)
    if (strncmp(words[k], x->low + t->start, t->len) == 0 &&
        words[k][t->len] == '\0')
      return k;
  return -1;
}

/* TRUE when the token is the word, a lower-case literal. */
static inline gboolean is_word(const Toks *x, guint i, const char *word)
{
  const Tok *t = tok(x, i);
  return t && t->kind == TOK_WORD && strlen(word) == t->len &&
         x->low[t->start] == word[0] &&
         strncmp(x->low + t->start, word, t->len) == 0;
}

/* TRUE when token i stands apart from the one before ("at 9", not
 * "at9" or "about1405"): a space, punctuation, or the start. */
static inline gboolean spaced(const Toks *x, guint i)
{
  return i == 0 ||
         (i < x->n &&
          (x->t[i].space_before || x->t[i].kind == TOK_PUNCT ||
           x->t[i - 1].kind == TOK_PUNCT ||
           /* the T of ISO 8601: 2026-11-22T14:05 */
           (x->t[i - 1].len == 1 && is_word(x, i - 1, "t"))));
}

#endif

/* freetext_denials.c - the words that deny a name near them
 * (freetext_denials.h).
 *
 * Each phrase is a run of slots, each slot one of its alternatives; they
 * are tried in order and the first that lets the rest match wins, "" in a
 * slot standing for nothing: the reading of the regular expressions these
 * lists were first written as, which a search must keep ("no issues on"
 * is no denial of the name after it, but "no issue" is one of the name
 * before it). Phrases may start inside a word, as those expressions did.
 *
 * One pass over the text: three bytes that start no phrase (a table of
 * them, built once) are passed over at once; at the others only the
 * phrases they may start are tried, each a few bytes long. Pure. */
#include "parsers/freetext_denials.h"

#include <string.h>

#define ONE_OF(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define SLOTS_MAX 6

typedef struct {
  const char *const *slots[SLOTS_MAX]; /* up to the first NULL */
  const char *const *not_followed_by;  /* or NULL */
} Phrase;

#define ISSUES "impact", "effect", "issues", "issue", "problems", "problem"

/* "no impact on NOMIS", "neither was the intranet": the names after. */
static const Phrase denies_after[] = {
  { { ONE_OF("no", "little", "zero", "without any", "without"), ONE_OF(" "),
      ONE_OF(ISSUES, "disruption", "changes", "change"), ONE_OF(" "),
      ONE_OF("on", "to", "with", "for", "from") }, NULL },
  { { ONE_OF("did", "does", "do", "has", "have", "had", "will", "would",
             "could"),
      ONE_OF(" not", "n't", "n\xe2\x80\x99t", "nt"), ONE_OF(" "),
      ONE_OF("affect", "impact", "touch", "involve", "reach", "hit") }, NULL },
  { { ONE_OF("not "),
      ONE_OF("on", "in", "from", "via", "through", "held on", "stored on",
             "kept on") }, NULL },
  { { ONE_OF("other than", "apart from", "except for", "except",
             "besides") }, NULL },
  { { ONE_OF("neither", "nor"), ONE_OF(" "),
      ONE_OF("was", "were", "is", "are", "did", "has", "have", "had"),
      ONE_OF(" the", "") }, NULL },
  { { ONE_OF("un", "not ", "n't ", "nt "), ONE_OF("affected:") }, NULL },
  { { NULL }, NULL }
};

/* "Outlook was not affected", "NOMIS is fine": the names before. */
static const Phrase denies_before[] = {
  { { ONE_OF("not", "n't", "n\xe2\x80\x99t", "never"), ONE_OF(" "),
      ONE_OF("been ", ""),
      ONE_OF("affected", "impacted", "involved", "compromised", "touched",
             "hit", "breached") }, NULL },
  { { ONE_OF("unaffected") }, NULL },
  { { ONE_OF("was", "were", "is", "are", "seems", "seem", "seemed",
             "remains", "remain", "remained", "stayed", "still"),
      ONE_OF(" "),
      ONE_OF("fine", "ok", "okay", "available", "working normally",
             "working fine", "working as normal", "running normally") },
    NULL },
  /* "no impact on" is the other kind's */
  { { ONE_OF("no", "zero"), ONE_OF(" "), ONE_OF(ISSUES) },
    ONE_OF(" on", " to", " with", " for") },
  { { NULL }, NULL }
};

/* "it said it was from Example Supplier", "pretending to be Microsoft
 * 365": the name after is the one a lure used, not one involved. */
static const Phrase posed_as[] = {
  { { ONE_OF("said", "says", "saying", "claimed", "claiming", "claims"),
      ONE_OF(" "), ONE_OF("it", "they", "he", "she"), ONE_OF(" "),
      ONE_OF("was", "were", "is", "are", "came", "come", "comes"),
      ONE_OF(" from", "") }, NULL },
  { { ONE_OF("claiming", "claimed", "claims", "pretending", "pretended",
             "purporting", "purported"),
      ONE_OF(" to "), ONE_OF("be", "come"), ONE_OF(" from", "") }, NULL },
  { { ONE_OF("supposedly from", "apparently from", "posing as",
             "impersonating", "spoofing") }, NULL },
  { { ONE_OF("looked", "looks", "appeared", "appears", "made to look"),
      ONE_OF(" "),
      ONE_OF("like it came", "like it was", "to come", "to be", "like"),
      ONE_OF(" from", "") }, NULL },
  { { NULL }, NULL }
};

static const Phrase *const kinds[DENIAL_KINDS] = {
  [DENIES_AFTER] = denies_after,
  [DENIES_BEFORE] = denies_before,
  [POSED_AS] = posed_as,
};

/* The phrases that may match at three bytes: bit b of starts[key(s)] is
 * phrase b, counted across the kinds in order, when a match of it may
 * begin with three bytes of that key. Every match is three bytes or
 * more. */
#define KEYS 4096
typedef struct {
  guint16 starts[KEYS];
  const Phrase *phrase[16];
  int kind[16];
} Starts;

static guint key(const char *s)
{
  return ((guint)(guchar)s[0] * 961 + (guint)(guchar)s[1] * 31 +
          (guchar)s[2]) % KEYS;
}

/* Marks bit for every three bytes a match of ph may begin with: those of
 * head (n bytes so far), then of slots [k..). */
static void mark_starts(Starts *st, guint bit, const Phrase *ph, guint k,
                        char *head, gsize n)
{
  if (n >= 3) {
    st->starts[key(head)] |= (guint16)(1u << bit);
    return;
  }
  g_assert(k < SLOTS_MAX && ph->slots[k]); /* no match is shorter */
  for (const char *const *alt = ph->slots[k]; *alt; alt++) {
    char more[3];
    const gsize m = MIN(strlen(*alt), 3 - n);
    memcpy(more, head, n);
    memcpy(more + n, *alt, m);
    mark_starts(st, bit, ph, k + 1, more, n + m);
  }
}

static const Starts *starts(void)
{
  static gsize once = 0;
  static Starts st;
  if (g_once_init_enter(&once)) {
    guint bit = 0;
    char none[3] = { 0 };
    for (int k = 0; k < DENIAL_KINDS; k++)
      for (const Phrase *ph = kinds[k]; ph->slots[0]; ph++, bit++) {
        g_assert(bit < G_N_ELEMENTS(st.phrase));
        st.phrase[bit] = ph;
        st.kind[bit] = k;
        mark_starts(&st, bit, ph, 0, none, 0);
      }
    g_once_init_leave(&once, 1);
  }
  return &st;
}

/* Slots [k..) of ph at low + at, the first way that matches; *end is set
 * past it. */
static gboolean match_slots(const Phrase *ph, guint k, const char *low,
                            gsize at, gsize *end)
{
  if (k == SLOTS_MAX || !ph->slots[k]) {
    for (const char *const *nf = ph->not_followed_by; nf && *nf; nf++)
      if (strncmp(low + at, *nf, strlen(*nf)) == 0)
        return FALSE;
    *end = at;
    return TRUE;
  }
  for (const char *const *alt = ph->slots[k]; *alt; alt++) {
    gsize n = 0;
    if ((*alt)[0]) {
      if ((*alt)[0] != low[at])
        continue;
      n = strlen(*alt);
      if (strncmp(low + at, *alt, n) != 0)
        continue;
    }
    if (match_slots(ph, k + 1, low, at + n, end))
      return TRUE;
  }
  return FALSE;
}

void denials_scan(const char *low, gsize len, GArray *found[DENIAL_KINDS])
{
  const Starts *s = starts();
  gsize next[DENIAL_KINDS] = { 0 };
  for (gsize p = 0; p + 2 < len; p++) {
    guint may = s->starts[key(low + p)];
    gboolean matched[DENIAL_KINDS];
    if (!may)
      continue;
    memset(matched, 0, sizeof matched);
    /* phrases in order, each kind from the end of its last match */
    while (may) {
      const int bit = g_bit_nth_lsf(may, -1);
      const int k = s->kind[bit];
      DenialMatch m = { p, 0 };
      may &= may - 1;
      if (matched[k] || p < next[k] ||
          !match_slots(s->phrase[bit], 0, low, p, &m.end))
        continue;
      g_array_append_val(found[k], m);
      next[k] = m.end;
      matched[k] = TRUE;
    }
  }
}

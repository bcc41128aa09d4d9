/* form_values.c - the enumerated values of the form (form.h): a category,
 * an impact or a yes/no/unknown answer as people write them ("Med",
 * "Lost/stolen", "Yes - names of 40 prisoners") to the canonical value. */
#include "parsers/form.h"

#include <string.h>

/* A NULL-terminated list of words, as a static array. */
#define WORDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

typedef struct {
  const char *canonical;
  const char *const *variants; /* normalised as by normalize_value() */
} EnumValue;

static const EnumValue category_values[] = {
  { "phishing", WORDS("phishing", "phish", "spear phishing", "spearphishing",
                      "smishing", "vishing") },
  { "malware", WORDS("malware", "virus", "computer virus", "ransomware",
                     "trojan", "spyware", "worm", "malicious software") },
  { "unauthorised-access", WORDS("unauthorised access",
                                 "unauthorized access") },
  { "account-compromise",
    WORDS("account compromise", "compromised account", "account compromised",
          "compromised credentials", "credential compromise",
          "account takeover", "hacked account") },
  { "lost-or-stolen-equipment",
    WORDS("lost or stolen equipment", "lost stolen equipment",
          "lost or stolen", "lost stolen", "lost equipment",
          "stolen equipment", "lost laptop", "stolen laptop", "lost device",
          "stolen device", "lost phone", "stolen phone", "lost mobile",
          "stolen mobile", "theft", "theft of equipment",
          "loss of equipment") },
  { "data-breach", WORDS("data breach", "personal data breach", "data loss",
                         "loss of data", "data leak", "data leakage") },
  { "denial-of-service", WORDS("denial of service",
                               "distributed denial of service", "dos",
                               "ddos") },
  { "policy-breach", WORDS("policy breach", "breach of policy",
                           "security policy breach",
                           "breach of security policy", "policy violation") },
  { "suspicious-activity", WORDS("suspicious activity",
                                 "suspicious behaviour",
                                 "suspicious behavior") },
  { "supply-chain", WORDS("supply chain", "supplier incident", "supplier",
                          "third party incident") },
  { "physical", WORDS("physical security", "physical") },
  { "other", WORDS("other") },
  { NULL, NULL } };

/* Deliberately narrow: "critical" or "severe" is not on the scale and is
 * reported, not mapped. */
static const EnumValue impact_values[] = {
  { "low", WORDS("low") },
  { "medium", WORDS("medium", "med") },
  { "high", WORDS("high") },
  { NULL, NULL } };

static const EnumValue yes_no_values[] = {
  { "yes", WORDS("yes", "y", "yeah", "yep", "true") },
  { "no", WORDS("no", "n", "none", "nope", "false") },
  { "unknown",
    WORDS("unknown", "not known", "not yet known", "not sure", "unsure",
          "don't know", "don\xE2\x80\x99t know", "dont know", "do not know",
          "tbc", "to be confirmed", "tbd", "to be determined", "unclear",
          "not clear", "uncertain", "possibly", "maybe", "potentially",
          "under investigation") },
  { NULL, NULL } };

/* Lower case with separators folded: a run of spaces or punctuation is one
 * space; a hyphen or slash between two words is SOFT, which a space in a
 * variant matches but which does not end a match, so "Lost/stolen" finds
 * "lost stolen" while "medium-high" is not "medium". Only the first bytes
 * matter, since every variant is short. */
#define SOFT '\x01'
#define NORM_MAX 64
/* A step may write a separator and a byte, past NORM_MAX by one. */
#define NORM_BUF (NORM_MAX + 2)

/* Writes the normalised value into s, of NORM_BUF bytes. */
static void normalize_value(const char *value, char *s)
{
  gsize n = 0;
  gboolean sep = FALSE, hard = FALSE;
  for (const char *p = value; *p && n < NORM_MAX; p++) {
    const char c = *p;
    /* a letter or digit, the common case, needs no test for separators */
    if (g_ascii_isalnum(c)) {
    } else if (c == '-' || c == '/' || c == '_' || c == '\\') {
      sep = TRUE;
      continue;
    } else if (g_ascii_isspace(c) || strchr(",;:()[].!?\"", c)) {
      sep = hard = TRUE;
      continue;
    }
    if (sep && n)
      s[n++] = hard ? ' ' : SOFT;
    sep = hard = FALSE;
    s[n++] = g_ascii_tolower(c);
  }
  s[n] = '\0';
}

/* Length of the variant if it starts s and ends on a hard boundary. */
static gsize match_variant(const char *s, const char *variant, gsize len)
{
  gsize k = 0;
  for (; k < len; k++) {
    const gboolean ok = variant[k] == ' ' ? (s[k] == ' ' || s[k] == SOFT)
                                          : s[k] == variant[k];
    if (!ok)
      return 0;
  }
  return s[k] == '\0' || s[k] == ' ' ? k : 0;
}

/* The canonical value of the longest variant that starts value, so that
 * "High - two sites down" is high and "Yes - names of 40 prisoners" yes.
 * Only variants longer than the best so far and with the right first
 * letter (none starts with a space) are compared. */
static const char *normalize_enum(const char *value, const EnumValue *values)
{
  char s[NORM_BUF];
  const char *best = NULL;
  gsize best_len = 0;
  if (!value)
    return NULL;
  normalize_value(value, s);
  for (gsize k = 0; values[k].canonical; k++) {
    for (const char *const *v = values[k].variants; *v; v++) {
      gsize len, m;
      if ((*v)[0] != s[0])
        continue;
      len = strlen(*v);
      m = len > best_len ? match_variant(s, *v, len) : 0;
      if (m > best_len) {
        best_len = m;
        best = values[k].canonical;
      }
    }
  }
  return best;
}

const char *form_normalize_category(const char *value)
{
  return normalize_enum(value, category_values);
}

const char *form_normalize_impact(const char *value)
{
  return normalize_enum(value, impact_values);
}

const char *form_normalize_yes_no_unknown(const char *value)
{
  return normalize_enum(value, yes_no_values);
}

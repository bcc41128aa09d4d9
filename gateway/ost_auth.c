/* ost_auth.c - [ost] require_authentication for OST members' mail
 * (ost_auth.h): the header walk, the authentication-results and
 * exchange-internal modes; the dkim mode is ost_auth_dkim.c. */
#include "gateway/ost_auth.h"

#include <string.h>

#include "gateway/ost_auth_dkim.h"

/* One header field: its name as written, its value unfolded (the line
 * breaks of folding removed) and stripped. */
typedef struct {
  char *name;
  char *value;
} Field;

/* Relaxed alignment, the DMARC way but without a public suffix list: a
 * From domain aligns with its own signer and with any parent domain's.
 * A parent's key can only be published by whoever runs the parent's DNS,
 * so this trusts no one who could not already sign for the parent. */
gboolean ost_auth_aligned(const char *from_domain, const char *signer)
{
  gsize f = strlen(from_domain), s = strlen(signer);
  if (s == 0 || s > f)
    return FALSE;
  if (s == f)
    return g_ascii_strcasecmp(from_domain, signer) == 0;
  return from_domain[f - s - 1] == '.' && g_ascii_strcasecmp(from_domain + f - s, signer) == 0;
}

static void field_free(gpointer p)
{
  Field *f = p;
  g_free(f->name);
  g_free(f->value);
  g_free(f);
}

static void field_end(GPtrArray *fields, char *name, GString *value)
{
  Field *f = g_new(Field, 1);
  f->name = name;
  f->value = g_strstrip(g_string_free(value, FALSE));
  g_ptr_array_add(fields, f);
}

/* The header fields of raw, top to bottom, up to the first empty line.
 * A line that is neither a field nor a continuation becomes a field with
 * an empty name: it is nobody's trace header. An mbox "From " line at the
 * very top is skipped. One pass over the header. */
static GPtrArray *header_fields(const char *raw, gsize len)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func(field_free);
  char *name = NULL;
  GString *value = NULL;
  gsize pos = 0;

  if (len >= 5 && memcmp(raw, "From ", 5) == 0) {
    const char *nl = memchr(raw, '\n', len);
    pos = nl ? (gsize)(nl - raw) + 1 : len;
  }
  while (pos < len) {
    const char *line = raw + pos;
    const char *nl = memchr(line, '\n', len - pos);
    gsize n = nl ? (gsize)(nl - line) : len - pos;
    pos += n + (nl ? 1 : 0);
    if (n && line[n - 1] == '\r')
      n--;
    if (n == 0)
      break;
    if ((line[0] == ' ' || line[0] == '\t') && value) {
      g_string_append_len(value, line, n);
      continue;
    }
    if (value)
      field_end(fields, name, value);
    const char *colon = memchr(line, ':', n);
    gsize name_len = colon ? (gsize)(colon - line) : 0;
    while (name_len && (line[name_len - 1] == ' ' || line[name_len - 1] == '\t'))
      name_len--;
    gboolean good = name_len > 0;
    for (gsize i = 0; i < name_len && good; i++)
      good = line[i] > ' ' && line[i] < 127;
    name = good ? g_strndup(line, name_len) : g_strdup("");
    value = good ? g_string_new_len(colon + 1, line + n - colon - 1) : g_string_new("");
  }
  if (value)
    field_end(fields, name, value);
  return fields;
}

/* ---- exchange-internal ---- */

/* Exchange Online removes this header from mail entering the organisation
 * and sets it on mail sent within it. Two of them mean that one did not
 * come from Exchange: fail rather than guess which. */
static gboolean check_exchange(GPtrArray *fields, char **why)
{
  const char *value = NULL;
  guint count = 0;
  for (guint i = 0; i < fields->len; i++) {
    Field *f = g_ptr_array_index(fields, i);
    if (g_ascii_strcasecmp(f->name, "X-MS-Exchange-Organization-AuthAs") == 0) {
      value = f->value;
      count++;
    }
  }
  if (count == 1 && g_ascii_strcasecmp(value, "Internal") == 0)
    return TRUE;
  if (count > 1)
    *why = g_strdup_printf("%u X-MS-Exchange-Organization-AuthAs headers, expected one", count);
  else if (count == 1)
    *why = g_strdup_printf("not marked internal by Exchange (AuthAs: %s)", value);
  else
    *why = g_strdup("not marked internal by Exchange");
  return FALSE;
}

/* ---- authentication-results (RFC 8601) ---- */

typedef enum { T_WORD, T_SEMI, T_EQ, T_SLASH } TokKind;

typedef struct {
  TokKind kind;
  char *text; /* T_WORD only */
} Tok;

static void tok_free(gpointer p)
{
  Tok *t = p;
  g_free(t->text);
  g_free(t);
}

static void tok_add(GPtrArray *toks, TokKind kind, char *text)
{
  Tok *t = g_new(Tok, 1);
  t->kind = kind;
  t->text = text;
  g_ptr_array_add(toks, t);
}

/* The tokens of an Authentication-Results value: words (a quoted string
 * is one word, unquoted) and the punctuation ';', '=' and '/'. Comments,
 * nested or not, are dropped: "dkim=fail (dkim=pass)" must read as a
 * fail. One pass; an unterminated comment or string ends the value. */
static GPtrArray *ar_tokens(const char *s)
{
  GPtrArray *toks = g_ptr_array_new_with_free_func(tok_free);
  gsize i = 0;
  while (s[i]) {
    char c = s[i];
    if (g_ascii_isspace(c)) {
      i++;
    } else if (c == '(') {
      int depth = 1;
      for (i++; s[i] && depth; i++) {
        if (s[i] == '\\' && s[i + 1])
          i++;
        else if (s[i] == '(')
          depth++;
        else if (s[i] == ')')
          depth--;
      }
    } else if (c == '"') {
      GString *word = g_string_new(NULL);
      for (i++; s[i] && s[i] != '"'; i++) {
        if (s[i] == '\\' && s[i + 1])
          i++;
        g_string_append_c(word, s[i]);
      }
      if (s[i])
        i++;
      tok_add(toks, T_WORD, g_string_free(word, FALSE));
    } else if (c == ';' || c == '=' || c == '/') {
      tok_add(toks, c == ';' ? T_SEMI : c == '=' ? T_EQ : T_SLASH, NULL);
      i++;
    } else {
      /* A stray ')' is part of a word: every character must move i on. */
      gsize start = i;
      while (s[i] && !g_ascii_isspace(s[i]) && !strchr("(;=/\"", s[i]))
        i++;
      tok_add(toks, T_WORD, g_strndup(s + start, i - start));
    }
  }
  return toks;
}

static const char *word_at(GPtrArray *toks, guint i)
{
  if (i >= toks->len)
    return NULL;
  Tok *t = g_ptr_array_index(toks, i);
  return t->kind == T_WORD ? t->text : NULL;
}

static gboolean punct_at(GPtrArray *toks, guint i, TokKind kind)
{
  return i < toks->len && ((Tok *)g_ptr_array_index(toks, i))->kind == kind;
}

/* The authserv-id of an Authentication-Results value, or NULL. */
static const char *ar_authserv_id(GPtrArray *toks)
{
  return word_at(toks, 0);
}

/* The domain of a property value: what follows the last '@' of an
 * identity (header.i=@example.org), else the value itself. */
static const char *pvalue_domain(const char *v)
{
  const char *at = strrchr(v, '@');
  return at ? at + 1 : v;
}

/* One resinfo, "method[/version]=result prop.erty=value ...", from token
 * *i up to the next ';' (moving *i there). Returns TRUE when it
 * authenticates from_domain: dkim=pass with a header.d (or header.i
 * domain) aligned with it as in the dkim mode (ost_auth_aligned), or
 * dmarc=pass with header.from the From domain itself (DMARC has already
 * applied its alignment). Else sets *fault (once: the first one) to why a
 * dkim or dmarc result does not. */
static gboolean ar_resinfo(GPtrArray *toks, guint *i, const char *from_domain,
                           const char *authserv_id, char **fault)
{
  guint end = *i;
  while (end < toks->len && !punct_at(toks, end, T_SEMI))
    end++;
  guint j = *i;
  *i = end;

  const char *method = word_at(toks, j);
  if (!method)
    return FALSE;
  j++;
  if (punct_at(toks, j, T_SLASH))
    j += 2;
  const char *result = punct_at(toks, j, T_EQ) ? word_at(toks, j + 1) : NULL;
  if (!result)
    return FALSE;
  gboolean dkim = g_ascii_strcasecmp(method, "dkim") == 0;
  gboolean dmarc = g_ascii_strcasecmp(method, "dmarc") == 0;
  if (!dkim && !dmarc)
    return FALSE;
  if (g_ascii_strcasecmp(result, "pass") != 0) {
    if (!*fault)
      *fault = g_strdup_printf("%s=%s in Authentication-Results of %s", dkim ? "dkim" : "dmarc",
                               result, authserv_id);
    return FALSE;
  }

  const char *domain = NULL;
  for (j += 2; j < end; j++) {
    const char *prop = word_at(toks, j), *value = NULL;
    if (!prop || !punct_at(toks, j + 1, T_EQ) || !(value = word_at(toks, j + 2)))
      continue;
    j += 2;
    if (dkim && (g_ascii_strcasecmp(prop, "header.d") == 0 ||
                 (!domain && g_ascii_strcasecmp(prop, "header.i") == 0)))
      domain = pvalue_domain(value);
    else if (dmarc && g_ascii_strcasecmp(prop, "header.from") == 0)
      domain = value;
    else
      continue;
    if (dkim ? ost_auth_aligned(from_domain, domain)
             : g_ascii_strcasecmp(from_domain, domain) == 0)
      return TRUE;
  }
  if (!*fault)
    *fault = domain ? g_strdup_printf("%s=pass for %s in Authentication-Results of %s does not "
                                      "align with From domain %s", dkim ? "dkim" : "dmarc",
                                      domain, authserv_id, from_domain)
                    : g_strdup_printf("%s=pass in Authentication-Results of %s names no domain",
                                      dkim ? "dkim" : "dmarc", authserv_id);
  return FALSE;
}

/* Whether one Authentication-Results value (of the trusted authserv-id)
 * authenticates from_domain: any of its dkim or dmarc results may. */
static gboolean ar_passes(GPtrArray *toks, const char *from_domain, char **why)
{
  const char *authserv_id = ar_authserv_id(toks);
  char *fault = NULL;
  guint i = 1;
  /* Skip the authres-version after the authserv-id ("mx.example.org 1;"). */
  while (i < toks->len && !punct_at(toks, i, T_SEMI))
    i++;
  while (i < toks->len) {
    i++; /* the ';' */
    if (ar_resinfo(toks, &i, from_domain, authserv_id, &fault)) {
      g_free(fault);
      return TRUE;
    }
  }
  *why = fault ? fault
               : g_strdup_printf("no dkim or dmarc result in Authentication-Results of %s",
                                 authserv_id);
  return FALSE;
}

/* Fields the author of a message writes; every mail has some of them, and
 * no receiving server puts its trace fields below them. */
static gboolean is_author_field(const char *name)
{
  static const char *const author[] = {
    "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID",
    "In-Reply-To", "References", "MIME-Version", NULL,
  };
  for (int i = 0; author[i]; i++)
    if (g_ascii_strcasecmp(name, author[i]) == 0)
      return TRUE;
  return g_ascii_strncasecmp(name, "Content-", 8) == 0 || !*name;
}

/* Which Authentication-Results header counts: anyone can write one, in any
 * place, naming any authserv-id; a server prepends its own above what it
 * received. So, walking from the top:
 *   - only the trace block counts: the fields above the first field an
 *     author writes (From, To, Subject, Date, Message-ID, Content-*, ...,
 *     or a malformed line); the servers' Received, ARC-*, X-Spam-* and
 *     the like may sit anywhere in it, above or below the A-R;
 *   - in it, only the topmost A-R whose authserv-id is trusted_authserv_id
 *     (case-insensitive) counts; every A-R below it is ignored, whatever
 *     it says, for a sender can have put it there.
 * Our border MTA adds one A-R to every message (RFC 8601 section 5 also
 * has it delete incoming ones bearing its id), so the topmost one with its
 * id is its own; one forged lower in the headers can never be topmost. */
static gboolean check_results(GPtrArray *fields, const char *trusted, const char *from_domain,
                              char **why)
{
  for (guint i = 0; i < fields->len; i++) {
    Field *f = g_ptr_array_index(fields, i);
    if (is_author_field(f->name))
      break;
    if (g_ascii_strcasecmp(f->name, "Authentication-Results") != 0)
      continue;
    g_autoptr(GPtrArray) toks = ar_tokens(f->value);
    const char *id = ar_authserv_id(toks);
    if (id && g_ascii_strcasecmp(id, trusted) == 0)
      return ar_passes(toks, from_domain, why);
  }
  *why = g_strdup_printf("no Authentication-Results from %s", trusted);
  return FALSE;
}

gboolean ost_auth_check(const IgConfig *config, const char *raw, gsize len, const char *from_addr,
                        const IgOstAuthOptions *opts, char **why, GError **error)
{
  *why = NULL;
  if (config->require_authentication == IG_AUTH_NONE)
    return TRUE;

  const char *at = from_addr ? strrchr(from_addr, '@') : NULL;
  const char *from_domain = at && at[1] ? at + 1 : NULL;
  if (config->require_authentication == IG_AUTH_DKIM) {
    if (!from_domain) {
      *why = g_strdup("From address has no domain");
      return FALSE;
    }
    return ost_auth_dkim(raw, len, from_domain, opts ? opts->dkim_key_file : NULL, why, error);
  }

  g_autoptr(GPtrArray) fields = header_fields(raw, len);
  if (config->require_authentication == IG_AUTH_EXCHANGE_INTERNAL)
    return check_exchange(fields, why);
  if (!from_domain) {
    *why = g_strdup("From address has no domain");
    return FALSE;
  }
  return check_results(fields, config->trusted_authserv_id, from_domain, why);
}

/* form.c - the IT Security Incident Report Form (SPEC section 4).
 *
 * Two passes over the lines. The first classifies each line on its own
 * (label of a known field, quoted, signature separator, forward marker,
 * sign-off, blank, text); the second walks the lines, gives each label the
 * lines that continue it and keeps the first non-empty value per field.
 * Only then are values converted (dates, enumerations, address), so every
 * problem names the field as the form spells it. Labels are matched by
 * exact lookup after normalising, never by searching inside text, and only
 * a bounded prefix of a line is ever read as a label, so the work stays
 * linear in the size of the text. Pure: text in, struct out. */
#include "parsers/form.h"

#include <string.h>

#include "parsers/ukdate.h"

/* A label is at most this many characters once normalised; the separator
 * must come within LABEL_SCAN bytes (room for bullets and markdown). */
#define LABEL_MAX 60
#define LABEL_SCAN 80
/* Longest line that may be a forward marker or a sign-off. */
#define MARKER_MAX 100
/* How much of a bad value a problem quotes. */
#define QUOTE_MAX 60

typedef enum {
  F_REPORTER_NAME, F_REPORTER_EMAIL, F_REPORTER_PHONE, F_BUSINESS_AREA,
  F_DETECTED_AT, F_OCCURRED_AT, F_CATEGORY, F_IMPACT, F_PERSONAL_DATA,
  F_NEAR_MISS, F_SYSTEMS_AFFECTED, F_INFORMATION_ASSET, F_SUPPLIER,
  F_DESCRIPTION, F_ACTIONS_TAKEN, F_COUNT
} Field;

typedef struct {
  const char *title;  /* the label of SPEC section 4, used in problems */
  const char *labels; /* accepted labels, normalised, '|'-separated */
} FieldInfo;

static const FieldInfo fields[F_COUNT] = {
  { "Reporter name", "reporter name|reporter|name|your name|reported by|"
    "name of reporter|full name|reporter's name" },
  { "Reporter email", "reporter email|email|e-mail|email address|"
    "e-mail address|reporter e-mail|reporter email address|contact email|"
    "your email" },
  { "Reporter phone", "reporter phone|phone|telephone|tel|phone number|"
    "telephone number|contact number|mobile|mobile number|"
    "reporter phone number" },
  { "Business group", "business group|business area|business unit|"
    "directorate|department|team" },
  { "Date and time of detection", "date and time of detection|"
    "date/time detected|date and time detected|detected at|detected|"
    "time detected|when detected|date of detection|detection date/time|"
    "date/time of detection" },
  { "Date and time of incident", "date and time of incident|"
    "date/time of incident|incident date/time|occurred at|"
    "when did it happen|date of incident|time of incident" },
  { "Incident category", "incident category|category|type of incident|"
    "incident type" },
  { "Impact", "impact|impact level|severity" },
  { "Personal data involved", "personal data involved|personal data|"
    "personal information involved|does it involve personal data|"
    "personal data (yes/no/unknown)" },
  { "Near miss", "near miss|near-miss|was this a near miss|"
    "was this a near-miss" },
  { "Systems affected", "systems affected|system(s) affected|"
    "affected systems|systems|system affected" },
  { "Information asset", "information asset|information asset affected|"
    "asset" },
  { "Supplier", "supplier|supplier name|third party|contractor" },
  { "Description", "description|description of incident|"
    "incident description|what happened|details|summary of incident" },
  { "Actions taken", "actions taken|action taken|actions taken so far|"
    "what have you done|immediate actions|immediate actions taken" },
};

const char *const form_categories[] = {
  "phishing", "malware", "unauthorised-access", "account-compromise",
  "lost-or-stolen-equipment", "data-breach", "denial-of-service",
  "policy-breach", "suspicious-activity", "supply-chain", "physical",
  "other", NULL };

typedef struct {
  const char *canonical;
  const char *variants; /* normalised as by normalize_value(), '|'-separated */
} EnumValue;

static const EnumValue category_values[] = {
  { "phishing", "phishing|phish|spear phishing|spearphishing|smishing|"
    "vishing" },
  { "malware", "malware|virus|computer virus|ransomware|trojan|spyware|worm|"
    "malicious software" },
  { "unauthorised-access", "unauthorised access|unauthorized access" },
  { "account-compromise", "account compromise|compromised account|"
    "account compromised|compromised credentials|credential compromise|"
    "account takeover|hacked account" },
  { "lost-or-stolen-equipment", "lost or stolen equipment|"
    "lost stolen equipment|lost or stolen|lost stolen|lost equipment|"
    "stolen equipment|lost laptop|stolen laptop|lost device|stolen device|"
    "lost phone|stolen phone|lost mobile|stolen mobile|theft|"
    "theft of equipment|loss of equipment" },
  { "data-breach", "data breach|personal data breach|data loss|loss of data|"
    "data leak|data leakage" },
  { "denial-of-service", "denial of service|distributed denial of service|"
    "dos|ddos" },
  { "policy-breach", "policy breach|breach of policy|security policy breach|"
    "breach of security policy|policy violation" },
  { "suspicious-activity", "suspicious activity|suspicious behaviour|"
    "suspicious behavior" },
  { "supply-chain", "supply chain|supplier incident|supplier|"
    "third party incident" },
  { "physical", "physical security|physical" },
  { "other", "other" },
  { NULL, NULL } };

/* Deliberately narrow: "critical" or "severe" is not on the scale and is
 * reported, not mapped. */
static const EnumValue impact_values[] = {
  { "low", "low" }, { "medium", "medium|med" }, { "high", "high" },
  { NULL, NULL } };

static const EnumValue yes_no_values[] = {
  { "yes", "yes|y|yeah|yep|true" },
  { "no", "no|n|none|nope|false" },
  { "unknown", "unknown|not known|not yet known|not sure|unsure|don't know|"
    "don\xE2\x80\x99t know|dont know|do not know|tbc|to be confirmed|tbd|"
    "to be determined|unclear|not clear|uncertain|possibly|maybe|"
    "potentially|under investigation" },
  { NULL, NULL } };

/* Values that mean "nothing to say" in any text field. */
static const char null_markers[] = "n/a|na|n.a.|n.a|n / a|not applicable|-|"
                                   "--|\xE2\x80\x93|\xE2\x80\x94";
/* For a supplier, "none" means there is none, not a company called None. */
static const char no_supplier_markers[] = "none|no|nil";

static const char sign_offs[] = "thanks|thank you|many thanks|thanks again|"
    "regards|kind regards|best regards|warm regards|best wishes|best|cheers|"
    "yours sincerely|yours faithfully";

typedef enum {
  L_TEXT, L_BLANK, L_LABEL, L_QUOTE, L_SIGNATURE, L_SIGN_OFF, L_FORWARD
} LineKind;

/* One line of the text, read in place: nothing is kept per line, so
 * memory does not grow with the number of lines. */
typedef struct {
  const char *p;    /* not NUL-terminated at len */
  gsize len;        /* without the line ending */
  const char *next; /* the following line, NULL at the end */
  LineKind kind;
  Field field;      /* L_LABEL */
  gsize value_off;  /* L_LABEL: where the value starts */
  gboolean markup;  /* L_LABEL: label was wrapped in * or _ */
} Line;

static gboolean is_blank(const char *p, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace(p[i]))
      return FALSE;
  return TRUE;
}

static gsize indent_of(const char *p, gsize len)
{
  gsize i = 0;
  while (i < len && (p[i] == ' ' || p[i] == '\t'))
    i++;
  return i;
}

/* Steps through '|'-separated alternatives: sets *alt and *len to the
 * next one; FALSE at the end. */
static gboolean next_alternative(const char **list, const char **alt,
                                 gsize *len)
{
  if (!*list)
    return FALSE;
  *alt = *list;
  *len = strcspn(*list, "|");
  *list = (*list)[*len] ? *list + *len + 1 : NULL;
  return TRUE;
}

/* One pass over the list, since it runs for every line. */
static gboolean in_list(const char *s, const char *list)
{
  const char *a = list;
  while (*a) {
    const char *q = s;
    while (*a && *a != '|' && *a == *q) {
      a++;
      q++;
    }
    if ((*a == '|' || *a == '\0') && *q == '\0')
      return TRUE;
    while (*a && *a != '|')
      a++;
    if (*a)
      a++;
  }
  return FALSE;
}

/* Skips one leading bullet, number or heading mark ("- ", "* ", "• ",
 * "1. ", "2) ", "## ") and the spaces after it; 0 if there is none. A mark
 * must be followed by a space, so "**Name" and "1.5" are not bullets. */
static gsize skip_bullet(const char *p, gsize len)
{
  gsize i = 0;
  if (len > 0 && p[0] == '#') {
    while (i < len && p[i] == '#')
      i++;
  } else if (len > 0 && strchr("-*+", p[0])) {
    i = 1;
  } else if (len >= 3 && (guchar)p[0] == 0xE2 && (guchar)p[1] == 0x80 &&
             (guchar)p[2] == 0xA2) {
    i = 3; /* U+2022 BULLET */
  } else if (len >= 2 && (guchar)p[0] == 0xC2 && (guchar)p[1] == 0xB7) {
    i = 2; /* U+00B7 MIDDLE DOT */
  } else {
    while (i < len && i < 3 && g_ascii_isdigit(p[i]))
      i++;
    if (i == 0 || i >= len || (p[i] != '.' && p[i] != ')'))
      return 0;
    i++;
  }
  if (i >= len || (p[i] != ' ' && p[i] != '\t'))
    return 0;
  while (i < len && (p[i] == ' ' || p[i] == '\t'))
    i++;
  return i;
}

/* Normalises the text before a separator into table form: lower case,
 * markdown and required-markers gone, single spaces, "&" as "and", no
 * spaces around "/". NULL when it cannot be a label. */
static char *normalize_label(const char *p, gsize len, gboolean *markup)
{
  g_autoptr(GString) s = g_string_sized_new(len);
  gsize i = indent_of(p, len);
  gboolean space = FALSE;

  i += skip_bullet(p + i, len - i);
  for (; i < len; i++) {
    const char c = p[i];
    if (c == '*' || c == '_') {
      *markup = TRUE;
    } else if (g_ascii_isspace(c)) {
      space = s->len > 0;
    } else {
      if (space && c != '/' && s->str[s->len - 1] != '/')
        g_string_append_c(s, ' ');
      space = FALSE;
      if (c == '&')
        g_string_append(s, "and");
      else
        g_string_append_c(s, g_ascii_tolower(c));
    }
  }
  /* "Tel.", "Was this a near miss?" */
  while (s->len > 0 && strchr("?.", s->str[s->len - 1]))
    g_string_truncate(s, s->len - 1);
  if (s->len == 0)
    return NULL;
  return g_string_free(g_steal_pointer(&s), FALSE);
}

/* Finds the field a normalised label names. A trailing parenthesis such
 * as "(required)" or "(dd/mm/yyyy hh:mm)" is a hint to the reader, so it
 * is dropped when the whole label is not known. */
static gboolean find_label(char *label, Field *field)
{
  for (int pass = 0; pass < 2; pass++) {
    char *open = strrchr(label, '(');
    for (int f = 0; f < F_COUNT && strlen(label) <= LABEL_MAX; f++) {
      if (in_list(label, fields[f].labels)) {
        *field = (Field)f;
        return TRUE;
      }
    }
    if (!open || !g_str_has_suffix(label, ")"))
      return FALSE;
    *open = '\0';
    g_strchomp(label);
  }
  return FALSE;
}

/* Short lines that end a value: a forward marker ("-----Original
 * Message-----", "---------- Forwarded message ---------", "Begin forwarded
 * message:"), the rule of underscores Outlook puts above a quoted message,
 * or a sign-off ("Kind regards,"). L_TEXT for anything else. */
static LineKind marker_kind(const char *p, gsize len)
{
  g_autofree char *s = NULL;
  char *t;
  gsize n;
  if (len > MARKER_MAX)
    return L_TEXT;
  s = g_ascii_strdown(p, (gssize)len);
  t = g_strstrip(s);
  n = strspn(t, "-");
  if (strcmp(t, "begin forwarded message:") == 0 ||
      (strspn(t, "_") >= 10 && t[strspn(t, "_")] == '\0'))
    return L_FORWARD;
  if (n >= 2) {
    t += n;
    t[strcspn(t, "-")] = '\0';
    g_strstrip(t);
    return in_list(t, "original message|forwarded message") ? L_FORWARD
                                                            : L_TEXT;
  }
  for (n = strlen(t); n > 0 && strchr(",.!", t[n - 1]); n--)
    t[n - 1] = '\0';
  return in_list(t, sign_offs) ? L_SIGN_OFF : L_TEXT;
}

/* Position of the ':' or '=' ending a label, or len. One inside brackets
 * belongs to a hint: "Date and time of detection (dd/mm/yyyy hh:mm):". */
static gsize find_separator(const char *p, gsize len)
{
  int depth = 0;
  for (gsize i = 0; i < len; i++) {
    if (p[i] == '(')
      depth++;
    else if (p[i] == ')' && depth > 0)
      depth--;
    else if (depth == 0 && (p[i] == ':' || p[i] == '='))
      return i;
  }
  return len;
}

/* Finds the line starting at p; FALSE at the end of the text. */
static gboolean line_at(const char *p, Line *l)
{
  const char *nl;
  if (!p || !*p)
    return FALSE;
  nl = strchr(p, '\n');
  *l = (Line){ .p = p, .len = nl ? (gsize)(nl - p) : strlen(p),
               .next = nl ? nl + 1 : NULL };
  if (l->len > 0 && p[l->len - 1] == '\r')
    l->len--;
  return TRUE;
}

/* The normalised text before a line's separator, or NULL. */
static char *line_label(const Line *l, gsize *sep, gboolean *markup)
{
  const gsize scan = MIN(l->len, LABEL_SCAN);
  *sep = find_separator(l->p, scan);
  return *sep < scan ? normalize_label(l->p, *sep, markup) : NULL;
}

static void classify_line(Line *l)
{
  g_autofree char *label = NULL;
  gsize sep;
  Line next;

  if (is_blank(l->p, l->len)) {
    l->kind = L_BLANK;
    return;
  }
  if (l->p[0] == '>') {
    l->kind = L_QUOTE;
    return;
  }
  if (l->len >= 2 && l->p[0] == '-' && l->p[1] == '-' &&
      is_blank(l->p + 2, l->len - 2)) {
    l->kind = L_SIGNATURE;
    return;
  }
  l->kind = marker_kind(l->p, l->len);
  if (l->kind == L_FORWARD || !(label = line_label(l, &sep, &l->markup)))
    return;
  if (find_label(label, &l->field)) {
    l->kind = L_LABEL;
    l->value_off = sep + 1;
  } else if (strcmp(label, "from") == 0 && line_at(l->next, &next)) {
    /* Outlook starts a quoted message with a From: line then Sent: */
    gboolean unused;
    g_autofree char *next_label = line_label(&next, &sep, &unused);
    if (next_label && in_list(next_label, "sent|date"))
      l->kind = L_FORWARD;
  }
}

static gboolean is_multiline(Field f)
{
  return f == F_DESCRIPTION || f == F_ACTIONS_TAKEN || f == F_SYSTEMS_AFFECTED;
}

/* The value on the label line itself, without the markdown that closed
 * the label ("**Name:** Jane"). */
static char *label_line_value(const Line *l)
{
  g_autofree char *v = g_strndup(l->p + l->value_off, l->len - l->value_off);
  char *t = g_strstrip(v);
  if (l->markup) {
    gsize n;
    t += strspn(t, "*_");
    n = strlen(t);
    while (n > 0 && strchr("*_", t[n - 1]))
      t[--n] = '\0';
    t = g_strstrip(t);
  }
  return g_strdup(t);
}

/* Reads and classifies the line at *p, and moves *p past it. */
static gboolean next_line(const char **p, Line *l)
{
  if (!line_at(*p, l))
    return FALSE;
  classify_line(l);
  *p = l->next;
  return TRUE;
}

/* Collects the value of the field labelled on line *l, whose following
 * lines start at *p. Leaves in *l the first line not part of the value
 * (already read, *p after it); FALSE when the text ended instead. Two
 * passes over the continuation: one to find its extent and common
 * indentation, one to copy it. */
static gboolean collect_value(Line *l, const char **p, char **out)
{
  const gboolean multi = is_multiline(l->field);
  g_autoptr(GString) v = g_string_new(NULL);
  g_autofree char *first = label_line_value(l);
  const char *start = *p, *last_end = NULL;
  gsize common = G_MAXSIZE;
  gboolean pending_break = FALSE, more;
  Line c;

  while ((more = next_line(p, l))) {
    /* A single-line value continues on indented lines only, except that
     * a label left empty takes the line right under it, as forms pasted
     * from a table often look ("Reporter name:\nJane Smith"). */
    const gboolean under_empty = l->p == start && first[0] == '\0';
    if (l->kind != L_TEXT && l->kind != L_BLANK)
      break;
    if (!multi && (l->kind == L_BLANK ||
                   (indent_of(l->p, l->len) == 0 && !under_empty)))
      break;
    if (l->kind == L_TEXT) {
      last_end = l->p + l->len;
      common = MIN(common, indent_of(l->p, l->len));
    }
  }

  g_string_append(v, first);
  for (const char *q = start; last_end && line_at(q, &c) && c.p < last_end;
       q = c.next) {
    gsize len = c.len;
    if (is_blank(c.p, c.len)) {
      pending_break = v->len > 0;
      continue;
    }
    while (len > 0 && g_ascii_isspace(c.p[len - 1]))
      len--;
    if (!multi) {
      const gsize ind = indent_of(c.p, len);
      if (v->len > 0)
        g_string_append_c(v, ' ');
      g_string_append_len(v, c.p + ind, (gssize)(len - ind));
      continue;
    }
    /* Runs of blank lines become one paragraph break. */
    if (v->len > 0)
      g_string_append(v, pending_break ? "\n\n" : "\n");
    pending_break = FALSE;
    g_string_append_len(v, c.p + common, (gssize)(len - common));
  }
  g_strstrip(v->str);
  *out = g_strdup(v->str);
  return more;
}

static gboolean is_null_value(const char *value, Field f)
{
  g_autofree char *low = NULL;
  if (strlen(value) > 16)
    return FALSE;
  low = g_ascii_strdown(value, -1);
  return in_list(low, null_markers) ||
         (f == F_SUPPLIER && in_list(low, no_supplier_markers));
}

/* Quotes a value for a problem, shortened on a character boundary. */
static char *quote_value(const char *value)
{
  gsize len = strlen(value);
  if (len <= QUOTE_MAX)
    return g_strdup_printf("'%s'", value);
  len = QUOTE_MAX;
  while (len > 0 && ((guchar)value[len] & 0xC0) == 0x80)
    len--;
  return g_strdup_printf("'%.*s...'", (int)len, value);
}

/* "Jane <Jane@X.gov.uk>", "jane@x.gov.uk (work)", "mailto:jane@x.gov.uk"
 * -> the lower-case address, or NULL. Strict enough to catch "see above"
 * or "jane at justice"; acks go here, so the domain must be dotted. */
static char *extract_email(const char *value)
{
  static const char local_ok[] = "!#$%&'*+/=?^_`{|}~.-";
  const char *lt = strchr(value, '<'), *gt = lt ? strchr(lt, '>') : NULL;
  const char *start, *end, *at = strchr(value, '@');
  g_autofree char *addr = NULL;

  if (lt && gt) {
    start = lt + 1;
    end = gt;
  } else if (at) {
    /* the word around the @, without the punctuation of prose */
    for (start = at; start > value && !g_ascii_isspace(start[-1]) &&
                     !strchr("<([\"',;:", start[-1]); start--)
      ;
    for (end = at; *end && !g_ascii_isspace(*end) && !strchr(">)]\"',;", *end);
         end++)
      ;
    while (end > at && end[-1] == '.')
      end--;
  } else {
    return NULL;
  }
  if (end - start > 254)
    return NULL;
  addr = g_ascii_strdown(start, end - start);
  at = strchr(addr, '@');
  if (!at || at == addr || at - addr > 64 || strchr(at + 1, '@') ||
      addr[0] == '.' || at[-1] == '.' || strstr(addr, "..") ||
      !strchr(at, '.') || strchr(".-", at[1]) || strchr(".-", end[-1]))
    return NULL;
  for (const char *c = addr; *c; c++)
    if (!g_ascii_isalnum(*c) && !strchr(c < at ? local_ok : "@.-", *c))
      return NULL;
  return g_steal_pointer(&addr);
}

/* Lower case with separators folded: a run of spaces or punctuation is one
 * space; a hyphen or slash between two words is SOFT, which a space in a
 * variant matches but which does not end a match, so "Lost/stolen" finds
 * "lost stolen" while "medium-high" is not "medium". Only the first bytes
 * matter, since every variant is short. */
#define SOFT '\x01'
#define NORM_MAX 64

static char *normalize_value(const char *value)
{
  g_autoptr(GString) s = g_string_new(NULL);
  gboolean sep = FALSE, hard = FALSE;
  for (const char *p = value; *p && s->len < NORM_MAX; p++) {
    const guchar c = (guchar)*p;
    if (c == '-' || c == '/' || c == '_' || c == '\\') {
      sep = TRUE;
    } else if (g_ascii_isspace(c) || strchr(",;:()[].!?\"", c)) {
      sep = hard = TRUE;
    } else {
      if (sep && s->len)
        g_string_append_c(s, hard ? ' ' : SOFT);
      sep = hard = FALSE;
      g_string_append_c(s, g_ascii_tolower(c));
    }
  }
  return g_string_free(g_steal_pointer(&s), FALSE);
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
 * "High - two sites down" is high and "Yes - names of 40 prisoners" yes. */
static const char *normalize_enum(const char *value, const EnumValue *values)
{
  g_autofree char *s = NULL;
  const char *best = NULL, *list, *alt;
  gsize best_len = 0, len;
  if (!value)
    return NULL;
  s = normalize_value(value);
  for (gsize k = 0; values[k].canonical; k++) {
    list = values[k].variants;
    while (next_alternative(&list, &alt, &len)) {
      const gsize m = match_variant(s, alt, len);
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

static void add_problem(IgForm *form, Field f, const char *value,
                        const char *why)
{
  g_autofree char *q = quote_value(value);
  g_ptr_array_add(form->problems,
                  g_strdup_printf("%s: %s %s", fields[f].title, q, why));
}

static char *enum_value(IgForm *form, Field f, const char *value,
                        const char *canonical, const char *why)
{
  if (value && !canonical)
    add_problem(form, f, value, why);
  return g_strdup(canonical);
}

static GDateTime *date_value(IgForm *form, Field f, const char *value,
                             GTimeZone *tz)
{
  GDateTime *dt = NULL;
  if (!value)
    return NULL;
  dt = ukdate_parse(value, tz);
  if (!dt) {
    g_autofree char *q = quote_value(value);
    g_ptr_array_add(form->problems,
                    g_strdup_printf("%s: could not read %s (need a date and "
                                    "a time)", fields[f].title, q));
  }
  return dt;
}

/* A value that runs to the end of the mail often ends with the reporter
 * signing off by name ("...locked.\n\nDavid"); that line is not part of
 * it. Only the name as the form gives it, or its first word, is dropped. */
static void drop_signed_name(char *value, const char *name)
{
  g_autofree char *first_word = NULL;
  char *last;
  if (!value || !name || !(last = g_strrstr(value, "\n\n")) ||
      strchr(last + 2, '\n'))
    return;
  first_word = g_strndup(name, strcspn(name, " \t"));
  if (g_ascii_strcasecmp(last + 2, name) == 0 ||
      g_ascii_strcasecmp(last + 2, first_word) == 0)
    *last = '\0';
}

/* Turns the raw text of each field into the struct's typed values. */
static void convert(IgForm *form, char **raw, GTimeZone *tz)
{
  g_autofree char *all = g_strjoinv(", ", (char **)form_categories);
  g_autofree char *not_category = g_strdup_printf("is not one of %s", all);
  const char *yn;
  if (raw[F_REPORTER_EMAIL]) {
    form->reporter_email = extract_email(raw[F_REPORTER_EMAIL]);
    if (!form->reporter_email)
      add_problem(form, F_REPORTER_EMAIL, raw[F_REPORTER_EMAIL],
                  "is not an email address");
  }
  form->detected_at = date_value(form, F_DETECTED_AT, raw[F_DETECTED_AT], tz);
  form->occurred_at = date_value(form, F_OCCURRED_AT, raw[F_OCCURRED_AT], tz);
  form->category = enum_value(form, F_CATEGORY, raw[F_CATEGORY],
                              form_normalize_category(raw[F_CATEGORY]),
                              not_category);
  form->impact = enum_value(form, F_IMPACT, raw[F_IMPACT],
                            form_normalize_impact(raw[F_IMPACT]),
                            "is not low, medium or high");
  form->personal_data = enum_value(
      form, F_PERSONAL_DATA, raw[F_PERSONAL_DATA],
      form_normalize_yes_no_unknown(raw[F_PERSONAL_DATA]),
      "is not yes, no or unknown");
  yn = form_normalize_yes_no_unknown(raw[F_NEAR_MISS]);
  /* "not sure" is an honest answer, so not a problem: it stays -1 */
  if (yn && strcmp(yn, "unknown") != 0)
    form->near_miss = strcmp(yn, "yes") == 0;
  if (raw[F_NEAR_MISS] && !yn)
    add_problem(form, F_NEAR_MISS, raw[F_NEAR_MISS], "is not yes or no");
  drop_signed_name(raw[F_SYSTEMS_AFFECTED], raw[F_REPORTER_NAME]);
  drop_signed_name(raw[F_DESCRIPTION], raw[F_REPORTER_NAME]);
  drop_signed_name(raw[F_ACTIONS_TAKEN], raw[F_REPORTER_NAME]);
  /* the text fields take their value as written */
  form->reporter_name = g_steal_pointer(&raw[F_REPORTER_NAME]);
  form->reporter_phone = g_steal_pointer(&raw[F_REPORTER_PHONE]);
  form->business_area = g_steal_pointer(&raw[F_BUSINESS_AREA]);
  form->systems_affected = g_steal_pointer(&raw[F_SYSTEMS_AFFECTED]);
  form->information_asset = g_steal_pointer(&raw[F_INFORMATION_ASSET]);
  form->supplier = g_steal_pointer(&raw[F_SUPPLIER]);
  form->description = g_steal_pointer(&raw[F_DESCRIPTION]);
  form->actions_taken = g_steal_pointer(&raw[F_ACTIONS_TAKEN]);
}

/* Text converted from HTML is full of no-break spaces (U+00A0, U+202F)
 * where a plain space was meant; as spaces, labels and values read alike. */
static char *plain_spaces(const char *text)
{
  GString *s = g_string_sized_new(strlen(text));
  for (const char *p = text; *p; p++) {
    if ((guchar)p[0] == 0xC2 && (guchar)p[1] == 0xA0) {
      g_string_append_c(s, ' ');
      p += 1;
    } else if ((guchar)p[0] == 0xE2 && (guchar)p[1] == 0x80 &&
               (guchar)p[2] == 0xAF) {
      g_string_append_c(s, ' ');
      p += 2;
    } else {
      g_string_append_c(s, *p);
    }
  }
  return g_string_free(s, FALSE);
}

IgForm *form_parse(const char *text, GTimeZone *tz)
{
  IgForm *form = g_new0(IgForm, 1);
  g_autofree char *valid = NULL, *plain = NULL;
  char *raw[F_COUNT] = { 0 };
  gboolean seen[F_COUNT] = { 0 };
  gboolean in_signature = FALSE, any_label = FALSE, more;
  const char *p;
  Line l;

  form->near_miss = -1;
  form->problems = g_ptr_array_new_with_free_func(g_free);
  if (!text)
    return form;
  /* Values are copied out verbatim, so they must be valid UTF-8. */
  if (!g_utf8_validate(text, -1, NULL))
    text = valid = g_utf8_make_valid(text, -1);
  if (strstr(text, "\xC2\xA0") || strstr(text, "\xE2\x80\xAF"))
    text = plain = plain_spaces(text);
  p = text;
  more = next_line(&p, &l);
  while (more) {
    if (in_signature) {
      /* after a signature only a forwarded message can hold the form */
      in_signature = l.kind != L_FORWARD;
    } else if (l.kind == L_SIGNATURE || (l.kind == L_SIGN_OFF && any_label)) {
      in_signature = TRUE;
    } else if (l.kind == L_LABEL) {
      g_autofree char *value = NULL;
      const Field f = l.field;
      any_label = TRUE;
      if (!seen[f])
        form->labels_found++;
      seen[f] = TRUE;
      more = collect_value(&l, &p, &value);
      if (!raw[f] && value[0] && !is_null_value(value, f))
        raw[f] = g_steal_pointer(&value);
      continue; /* l is already the next line */
    }
    more = next_line(&p, &l);
  }

  convert(form, raw, tz);
  for (gsize k = 0; k < F_COUNT; k++)
    g_free(raw[k]);
  return form;
}

void form_free(IgForm *form)
{
  if (!form)
    return;
  g_free(form->reporter_name);
  g_free(form->reporter_email);
  g_free(form->reporter_phone);
  g_free(form->business_area);
  g_clear_pointer(&form->detected_at, g_date_time_unref);
  g_clear_pointer(&form->occurred_at, g_date_time_unref);
  g_free(form->category);
  g_free(form->impact);
  g_free(form->personal_data);
  g_free(form->systems_affected);
  g_free(form->information_asset);
  g_free(form->supplier);
  g_free(form->description);
  g_free(form->actions_taken);
  g_ptr_array_unref(form->problems);
  g_free(form);
}

gboolean form_is_form(const IgForm *form)
{
  return form && form->labels_found >= 2;
}

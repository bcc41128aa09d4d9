/* freetext_names.c - the systems, information assets and suppliers a
 * report names (freetext_names.h).
 *
 * The text is searched in a lower-cased copy with white space squashed (a
 * blank line kept as a line break, which ends a clause). Every mention of
 * a system (one pass of one regular expression, compiled once) and of an
 * asset (a search per name given) is listed; then denials are read by two
 * more passes of one expression each: "no impact on" denies the name after
 * it, "was not affected" the one before it, and each denies the names
 * listed with that one ("Outlook, Teams and email were not affected"). The
 * first mention of each name left counts. Every step looks a bounded
 * distance around a match, so the work stays linear in the text. Pure. */
#include "parsers/freetext_names.h"

#include <string.h>

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Systems named in reports, as they are written back (first) and the
 * lower-case words that name them. Bare words that also mean something
 * else ("teams", "desktop", "slack") are only read in company. */
static const struct {
  const char *name;
  const char *const *words;
} systems[] = {
  { "Outlook", NAMES("outlook") },
  { "email", NAMES("email", "e-mail", "emails", "e-mails", "mailbox") },
  { "Microsoft Teams", NAMES("microsoft teams", "ms teams", "teams meeting",
                             "teams call", "teams chat", "teams message") },
  { "SharePoint", NAMES("sharepoint", "share point") },
  { "OneDrive", NAMES("onedrive", "one drive") },
  { "Microsoft 365", NAMES("microsoft 365", "office 365", "m365", "o365") },
  { "Excel", NAMES("excel") },
  { "laptop", NAMES("laptop", "laptops") },
  { "desktop computer", NAMES("desktop computer", "desktop pc") },
  { "mobile phone", NAMES("mobile phone", "mobile phones", "work mobile",
                          "work phone", "smartphone", "iphone",
                          "android phone") },
  { "tablet", NAMES("tablet", "ipad") },
  { "USB stick", NAMES("usb stick", "usb drive", "memory stick",
                       "pen drive", "flash drive") },
  { "NOMIS", NAMES("nomis", "p-nomis", "pnomis") },
  { "Delius", NAMES("delius", "ndelius", "n-delius") },
  { "OASys", NAMES("oasys") },
  { "Libra", NAMES("libra") },
  { "Common Platform", NAMES("common platform") },
  { "XHIBIT", NAMES("xhibit") },
  { "DOM1", NAMES("dom1", "dom 1") },
  { "Citrix", NAMES("citrix") },
  { "Egress", NAMES("egress") },
  { "VPN", NAMES("vpn") },
  { "website", NAMES("website", "websites", "web site") },
  { "intranet", NAMES("intranet") },
  { "Wi-Fi", NAMES("wi-fi", "wifi", "wi fi", "wireless network") },
  { "network", NAMES("network") },
  { "server", NAMES("server", "servers") },
  { "shared drive", NAMES("shared drive", "shared drives", "network drive",
                          "file share") },
  { "Active Directory", NAMES("active directory") },
  { "firewall", NAMES("firewall") },
  { "printer", NAMES("printer", "printers", "multi-function device") },
  { "CCTV", NAMES("cctv") },
  { "payroll", NAMES("payroll") },
  { "HR system", NAMES("hr system", "hr systems") },
  { "case management system", NAMES("case management system") },
  { "ServiceNow", NAMES("servicenow") },
  { "Zoom", NAMES("zoom call", "zoom meeting") },
  { "WhatsApp", NAMES("whatsapp") },
  { "Google Drive", NAMES("google drive") },
  { "Dropbox", NAMES("dropbox") },
};

/* Words too common to stand for an asset or supplier on their own: the
 * last word of "Prison NOMIS" names it, that of "HR System" does not. */
static const char *const common_words[] = {
  "system", "systems", "database", "data", "records", "record", "files",
  "file", "drive", "share", "shared", "team", "teams", "service",
  "services", "portal", "platform", "application", "app", "apps",
  "network", "server", "site", "website", "online", "access", "case",
  "cases", "management", "information", "office", "email", "mail",
  "prison", "prisons", "court", "courts", "digital", "national", "public",
  "staff", "user", "users", "account", "accounts", "folder", "folders",
  "library", "directory", "register", "list", "tool", "tools", "store",
  "storage", "cloud", "mobile", "phone", "phones", "laptop", "laptops",
  "device", "devices", "finance", "group", "limited", "services", "www",
  "mail", "solutions", "consulting", "technology", "systems", NULL };

/* A denial reaches a name at most this many bytes away, through a list of
 * at most LIST_MAX names. */
#define DENIAL_REACH 40
#define LIST_MAX 20

/* Words that deny the names after them ("no impact on NOMIS", "neither
 * was the intranet"), and those before them ("Outlook was not affected",
 * "NOMIS is fine"), in the lower-cased text. */
static const char denied_after[] =
    "(?:no|little|zero|without any|without) (?:impact|effect|issues?|"
    "problems?|disruption|changes?) (?:on|to|with|for|from)"
    "|(?:did|does|do|has|have|had|will|would|could)"
    "(?: not|n't|n\xe2\x80\x99t|nt) (?:affect|impact|touch|involve|reach|hit)"
    "|not (?:on|in|from|via|through|held on|stored on|kept on)"
    "|other than|apart from|except(?: for)?|besides"
    "|(?:neither|nor) (?:was|were|is|are|did|has|have|had)(?: the)?"
    "|(?:un|not |n't |nt )affected:";
static const char denied_before[] =
    "(?:not|n't|n\xe2\x80\x99t|never) (?:been )?(?:affected|impacted|involved|"
    "compromised|touched|hit|breached)"
    "|unaffected"
    "|(?:was|were|is|are|seems?|seemed|remains?|remained|stayed|still) "
    "(?:fine|ok|okay|available|working (?:normally|fine|as normal)|"
    "running normally)"
    "|(?:no|zero) (?:impact|effect|issues?|problems?)(?! (?:on|to|with|for))";

/* Words after which a name is the one a lure used, not one involved ("it
 * said it was from Example Supplier", "pretending to be Microsoft 365"). */
static const char posed_as[] =
    "(?:said|says|saying|claimed|claiming|claims) (?:it|they|he|she) "
    "(?:was|were|is|are|came|come|comes)(?: from)?"
    "|(?:claiming|claimed|claims|pretending|pretended|purporting|purported)"
    " to (?:be|come)(?: from)?"
    "|supposedly from|apparently from|posing as|impersonating|spoofing"
    "|(?:looked|looks|appeared|appears|made to look) (?:like it came|like it"
    " was|to come|to be|like)(?: from)?";

/* A word byte on either side of a name joins it to more: "outlookish",
 * and ".x" or "-x" after it runs on ("supplier.co.uk.example.net"). */
#define NAME_BEFORE "(?<![A-Za-z0-9\\x80-\\xff])(?:"
#define NAME_AFTER ")(?![A-Za-z0-9\\x80-\\xff])(?![.-][A-Za-z0-9\\x80-\\xff])"

typedef struct {
  GRegex *systems;       /* every system's words, longer ones first */
  GHashTable *system_of; /* word -> its index in systems[] + 1 */
  GRegex *denied_after, *denied_before, *posed_as;
} Patterns;

static int longer_first(gconstpointer a, gconstpointer b)
{
  const gsize la = strlen(*(const char *const *)a);
  const gsize lb = strlen(*(const char *const *)b);
  return la < lb ? 1 : la > lb ? -1 : 0;
}

/* Compiled once; the patterns are constants, so a failure to compile is
 * a bug, which the unit tests would show as no system ever found. */
static const Patterns *patterns(void)
{
  static gsize once = 0;
  static Patterns p;
  if (g_once_init_enter(&once)) {
    g_autoptr(GPtrArray) words = g_ptr_array_new();
    g_autoptr(GString) pattern = g_string_new(NAME_BEFORE);
    p.system_of = g_hash_table_new(g_str_hash, g_str_equal);
    for (gsize s = 0; s < G_N_ELEMENTS(systems); s++)
      for (const char *const *w = systems[s].words; *w; w++) {
        g_ptr_array_add(words, (gpointer)*w);
        g_hash_table_insert(p.system_of, (gpointer)*w,
                            GSIZE_TO_POINTER(s + 1));
      }
    g_ptr_array_sort(words, longer_first);
    for (guint i = 0; i < words->len; i++) {
      g_autofree char *quoted = g_regex_escape_string(words->pdata[i], -1);
      g_string_append_printf(pattern, "%s%s", i ? "|" : "", quoted);
    }
    g_string_append(pattern, NAME_AFTER);
    p.systems = g_regex_new(pattern->str, G_REGEX_RAW | G_REGEX_OPTIMIZE, 0,
                            NULL);
    p.denied_after = g_regex_new(denied_after, G_REGEX_RAW | G_REGEX_OPTIMIZE,
                                 0, NULL);
    p.denied_before = g_regex_new(denied_before,
                                  G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, NULL);
    p.posed_as = g_regex_new(posed_as, G_REGEX_RAW | G_REGEX_OPTIMIZE, 0,
                             NULL);
    g_once_init_leave(&once, 1);
  }
  return &p;
}

/* ---- the text ---- */

/* Every run of white space (no-break spaces too) one space, or a line
 * break when it holds a blank line; none at either end; lower-cased if
 * lower. Offsets are the same whether lower or not. */
static char *squash_case(const char *s, gboolean lower)
{
  char *out = g_malloc(strlen(s) + 1);
  gsize n = 0;
  guint space = 0, newlines = 0;
  for (const guchar *u = (const guchar *)s; *u;) {
    if (g_ascii_isspace(*u) || (u[0] == 0xC2 && u[1] == 0xA0) ||
        (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)) {
      space = 1;
      newlines += *u == '\n';
      u += *u < 0x80 ? 1 : *u == 0xC2 ? 2 : 3;
      continue;
    }
    if (space && n > 0)
      out[n++] = newlines >= 2 ? '\n' : ' ';
    space = newlines = 0;
    out[n++] = lower ? g_ascii_tolower((char)*u) : (char)*u;
    u++;
  }
  out[n] = '\0';
  return out;
}

static char *squash(const char *s)
{
  return squash_case(s, TRUE);
}

static gboolean word_byte(char c)
{
  return g_ascii_isalnum(c) || (guchar)c >= 0x80;
}

/* The text searched: lower-cased, and as written (same offsets). */
typedef struct {
  const char *low, *orig;
} Hay;

/* Calls found(at) for each place where needle stands as whole words in
 * hay, while it returns TRUE; with capital, only where it starts with a
 * capital letter as written. */
static void find_words(const Hay *hay, const char *needle, gboolean capital,
                       gboolean (*found)(gsize at, gsize len, gpointer data),
                       gpointer data)
{
  const gsize n = strlen(needle);
  const char *low = hay->low;
  if (n == 0)
    return;
  for (const char *p = strstr(low, needle); p; p = strstr(p + 1, needle)) {
    const char after = p[n];
    if ((p > low && word_byte(p[-1])) || word_byte(after) ||
        ((after == '.' || after == '-') && word_byte(p[n + 1])) ||
        (capital && !g_ascii_isupper(hay->orig[p - low])))
      continue;
    if (!found((gsize)(p - low), n, data))
      return;
  }
}

/* TRUE when squash(s) would give s back: no capitals, no white space but
 * single spaces between words. */
static gboolean is_squashed(const char *s)
{
  const guchar *u = (const guchar *)s;
  if (*u == ' ')
    return FALSE;
  for (; *u; u++) {
    if (g_ascii_isupper(*u) || (g_ascii_isspace(*u) && *u != ' ') ||
        (*u == ' ' && (u[1] == ' ' || u[1] == '\0')) ||
        (u[0] == 0xC2 && u[1] == 0xA0) ||
        (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF))
      return FALSE;
  }
  return TRUE;
}

/* The last word of a name of several ("Prison NOMIS"), or the first label
 * of a domain ("acme-supplies.co.uk"), when distinctive enough to stand
 * for it; else NULL. */
static char *distinctive_word(const char *name)
{
  g_autofree char *low = squash(name);
  const char *space = strrchr(low, ' '), *dot = strchr(low, '.');
  g_autofree char *word = NULL;
  if (space)
    word = g_strdup(space + 1);
  else if (dot && !strchr(low, '@'))
    word = g_strndup(low, (gsize)(dot - low));
  if (!word || strlen(word) < 4 || g_strv_contains(common_words, word))
    return NULL;
  for (const char *p = word; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-')
      return NULL;
  return g_steal_pointer(&word);
}

/* ---- mentions and denials ---- */

typedef enum { M_SYSTEM, M_ASSET, M_SUPPLIER } MentionKind;

typedef struct {
  gsize start, end;
  MentionKind kind;
  guint id; /* index in systems[] or in the names given */
  gboolean denied;
} Mention;

typedef struct {
  GArray *mentions;
  MentionKind kind;
  guint id;
} Collect;

static gboolean add_mention(gsize at, gsize len, gpointer data)
{
  Collect *c = data;
  Mention m = { at, at + len, c->kind, c->id, FALSE };
  g_array_append_val(c->mentions, m);
  return TRUE;
}

static int by_start(gconstpointer a, gconstpointer b)
{
  const Mention *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start ? 1
         : x->end > y->end  ? -1 : x->end < y->end ? 1 : 0;
}

static void find_systems(const char *low, GArray *mentions)
{
  const Patterns *p = patterns();
  g_autoptr(GMatchInfo) match = NULL;
  g_regex_match(p->systems, low, 0, &match);
  for (; g_match_info_matches(match); g_match_info_next(match, NULL)) {
    int start, end;
    g_autofree char *word = NULL;
    gpointer index;
    g_match_info_fetch_pos(match, 0, &start, &end);
    word = g_strndup(low + start, (gsize)(end - start));
    index = g_hash_table_lookup(p->system_of, word);
    if (index) {
      Mention m = { (gsize)start, (gsize)end, M_SYSTEM,
                    GPOINTER_TO_UINT(index) - 1, FALSE };
      g_array_append_val(mentions, m);
    }
  }
}

/* Every way a name given is written: as given, and its distinctive word
 * with a capital, as names are written ("NOMIS" for "Prison NOMIS", not
 * "casework" for "Legal Aid Casework"). */
static void find_named(const Hay *hay, const char *const *names,
                       MentionKind kind, GArray *mentions)
{
  for (guint i = 0; names && names[i]; i++) {
    g_autofree char *copy = is_squashed(names[i]) ? NULL : squash(names[i]);
    g_autofree char *word = distinctive_word(names[i]);
    Collect c = { mentions, kind, i };
    find_words(hay, copy ? copy : names[i], FALSE, add_mention, &c);
    if (word) {
      find_words(hay, word, TRUE, add_mention, &c);
      g_strdelimit(word, "-", ' ');
      find_words(hay, word, TRUE, add_mention, &c);
    }
  }
}

/* TRUE when low[from..to) ends no clause: no stop, no line break, no
 * "but". Only short gaps are asked about. */
static gboolean same_clause(const char *low, gsize from, gsize to)
{
  static const char *const ends[] = { " but ", " however", " although ",
                                      " whereas ", " while ", NULL };
  g_autofree char *gap = NULL;
  if (to < from || to - from > DENIAL_REACH)
    return FALSE;
  for (gsize i = from; i < to; i++)
    if (strchr(".;!?\n", low[i]))
      return FALSE;
  gap = g_strndup(low + from, to - from);
  for (guint k = 0; ends[k]; k++)
    if (strstr(gap, ends[k]))
      return FALSE;
  return TRUE;
}

/* TRUE when low[from..to) only joins names in a list: commas, "/", "&"
 * and "and", "or", "nor", "the". */
static gboolean joins_list(const char *low, gsize from, gsize to)
{
  static const char *const words[] = { "and", "or", "nor", "the", "its",
                                       "our", "their", "either", NULL };
  g_autofree char *gap = NULL;
  g_auto(GStrv) parts = NULL;
  if (to < from || to - from > DENIAL_REACH)
    return FALSE;
  gap = g_strndup(low + from, to - from);
  g_strdelimit(gap, ",/&", ' ');
  parts = g_strsplit(gap, " ", -1);
  for (guint k = 0; parts[k]; k++)
    if (parts[k][0] && !g_strv_contains(words, parts[k]))
      return FALSE;
  return TRUE;
}

/* Denies mention m and the names listed with it, towards step (+1 after
 * it, -1 before it). */
static void deny_list(const char *low, GArray *mentions, guint m, int step)
{
  Mention *ms = (Mention *)(void *)mentions->data;
  ms[m].denied = TRUE;
  for (guint n = 0; n < LIST_MAX; n++) {
    guint next = m;
    /* the next mention that does not overlap this one */
    do
      next = step > 0 ? next + 1 : next - 1;
    while (next < mentions->len &&
           (step > 0 ? ms[next].start < ms[m].end : ms[next].end > ms[m].start));
    if (next >= mentions->len ||
        !(step > 0 ? joins_list(low, ms[m].end, ms[next].start)
                   : joins_list(low, ms[next].end, ms[m].start)))
      return;
    ms[next].denied = TRUE;
    m = next;
  }
}

/* Reads the denials of one expression; after: the names after each match
 * are denied, else those before it. Matches and mentions are both in
 * order, so one walk of each. */
static void deny(const char *low, GRegex *re, gboolean after,
                 GArray *mentions)
{
  const Mention *ms = (const Mention *)(void *)mentions->data;
  g_autoptr(GMatchInfo) match = NULL;
  guint m = 0;
  g_regex_match(re, low, 0, &match);
  for (; g_match_info_matches(match); g_match_info_next(match, NULL)) {
    int start, end;
    g_match_info_fetch_pos(match, 0, &start, &end);
    /* m: the first mention starting at or after the match's end */
    while (m < mentions->len && ms[m].start < (gsize)end)
      m++;
    if (after && m < mentions->len &&
        same_clause(low, (gsize)end, ms[m].start))
      deny_list(low, mentions, m, +1);
    if (!after) {
      /* the last mention ending at or before the match's start */
      guint b = m;
      while (b > 0 && ms[b - 1].end > (gsize)start)
        b--;
      if (b > 0 && same_clause(low, ms[b - 1].end, (gsize)start))
        deny_list(low, mentions, b - 1, -1);
    }
  }
}

/* A mention overlapping a denied one is denied too ("Prison NOMIS" and
 * the system NOMIS inside it). */
static void spread_denials(GArray *mentions)
{
  Mention *ms = (Mention *)(void *)mentions->data;
  for (guint i = 0; i + 1 < mentions->len; i++)
    for (guint j = i + 1; j < mentions->len && ms[j].start < ms[i].end; j++)
      if (ms[i].denied || ms[j].denied)
        ms[i].denied = ms[j].denied = TRUE;
}

static char *systems_named(const GArray *mentions)
{
  g_autoptr(GString) out = g_string_new(NULL);
  gboolean listed[G_N_ELEMENTS(systems)] = { FALSE };
  for (guint i = 0; i < mentions->len; i++) {
    const Mention *m = &g_array_index(mentions, Mention, i);
    if (m->kind != M_SYSTEM || m->denied || listed[m->id])
      continue;
    listed[m->id] = TRUE;
    g_string_append_printf(out, "%s%s", out->len ? ", " : "",
                           systems[m->id].name);
  }
  return out->len ? g_strdup(out->str) : NULL;
}

/* Of the names given, the first mentioned and not denied. */
static char *first_named(const GArray *mentions, MentionKind kind,
                         const char *const *names)
{
  for (guint i = 0; i < mentions->len; i++) {
    const Mention *m = &g_array_index(mentions, Mention, i);
    if (m->kind == kind && !m->denied)
      return g_strdup(names[m->id]);
  }
  return NULL;
}

void freetext_names(const char *text, const char *const *assets,
                    const char *const *suppliers, FtNames *out)
{
  const Patterns *p = patterns();
  g_autofree char *low = squash(text ? text : "");
  g_autofree char *orig = squash_case(text ? text : "", FALSE);
  const Hay hay = { low, orig };
  g_autoptr(GArray) mentions = g_array_new(FALSE, FALSE, sizeof(Mention));

  find_systems(low, mentions);
  find_named(&hay, assets, M_ASSET, mentions);
  find_named(&hay, suppliers, M_SUPPLIER, mentions);
  g_array_sort(mentions, by_start);
  deny(low, p->denied_after, TRUE, mentions);
  deny(low, p->denied_before, FALSE, mentions);
  deny(low, p->posed_as, TRUE, mentions);
  spread_denials(mentions);
  out->systems = systems_named(mentions);
  out->asset = first_named(mentions, M_ASSET, assets);
  out->supplier = first_named(mentions, M_SUPPLIER, suppliers);
}

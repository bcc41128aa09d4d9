/* freetext_names.c - the systems, information assets and suppliers a
 * report names (freetext_names.h).
 *
 * The text is searched in a lower-cased copy with white space squashed (a
 * blank line kept as a line break, which ends a clause). One pass over
 * its words lists every mention of a system and of an asset or supplier
 * given: each word is looked up once, in a table of the names that start
 * with it (the systems' built once, the names given built per call from
 * the names alone), and only those names are compared there. Then, if
 * anything was mentioned, the denials (freetext_denials.c, one more pass)
 * are read: "no impact on"
 * denies the name after it, "was not affected" the one before it, and
 * each denies the names listed with that one ("Outlook, Teams and email
 * were not affected"). The first mention of each name left counts. Every
 * step looks a bounded distance around a match, so the work stays linear
 * in the text. Pure. */
#include "parsers/freetext_names.h"

#include <string.h>

#include "parsers/freetext_denials.h"
#include "parsers/wordtab.h"

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

/* The systems' words by their first word: at a word of the text, the
 * words of systems that start with it, longer ones first (the longest
 * name written there wins). */
typedef struct {
  const char *word;
  gsize len;
  guint system; /* index in systems[] */
} SystemWord;

static gboolean word_byte(char c)
{
  return g_ascii_isalnum(c) || (guchar)c >= 0x80;
}

/* The length of the run of word bytes at s. */
static gsize run_length(const char *s)
{
  gsize n = 0;
  while (s[n] && word_byte(s[n]))
    n++;
  return n;
}

static int longer_first(gconstpointer a, gconstpointer b)
{
  const gsize la = ((const SystemWord *)a)->len;
  const gsize lb = ((const SystemWord *)b)->len;
  return la < lb ? 1 : la > lb ? -1 : 0;
}

/* Built once and immutable afterwards: first word -> GArray of SystemWord,
 * longer ones first, among equals in the order of systems[]. */
static const WordTab *system_words(void)
{
  static gsize once = 0;
  static WordTab by_first;
  if (g_once_init_enter(&once)) {
    g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(SystemWord));
    wordtab_init(&by_first, 0);
    for (gsize s = 0; s < G_N_ELEMENTS(systems); s++)
      for (const char *const *w = systems[s].words; *w; w++) {
        SystemWord sw = { *w, strlen(*w), (guint)s };
        g_array_append_val(all, sw);
      }
    g_array_sort(all, longer_first);
    for (guint i = 0; i < all->len; i++) {
      const SystemWord *sw = &g_array_index(all, SystemWord, i);
      gpointer *list = wordtab_slot(&by_first, sw->word, run_length(sw->word));
      if (!*list)
        *list = g_array_new(FALSE, FALSE, sizeof(SystemWord));
      g_array_append_val(*(GArray **)list, *sw);
    }
    g_once_init_leave(&once, 1);
  }
  return &by_first;
}

/* ---- the text ---- */

/* Every run of white space (no-break spaces too) in s one space, or a
 * line break when it holds a blank line; none at either end. Writes low
 * (s lower-cased, or s itself) so squashed into l, and s so squashed into
 * o unless NULL: the same offsets. l and o have room for s; returns the
 * length written, NUL aside. */
static gsize squash_into(const char *s, const char *low, char *l, char *o)
{
  gsize n = 0, i = 0;
  guint space = 0, newlines = 0;
  while (s[i]) {
    const guchar *u = (const guchar *)s + i;
    gsize run = 1;
    if (g_ascii_isspace(*u) || (u[0] == 0xC2 && u[1] == 0xA0) ||
        (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)) {
      space = 1;
      newlines += *u == '\n';
      i += *u < 0x80 ? 1 : *u == 0xC2 ? 2 : 3;
      continue;
    }
    if (space && n > 0) {
      l[n] = newlines >= 2 ? '\n' : ' ';
      if (o)
        o[n] = l[n];
      n++;
    }
    space = newlines = 0;
    /* the bytes up to the next that may start white space, at once */
    while (u[run] && !g_ascii_isspace(u[run]) && u[run] != 0xC2 &&
           u[run] != 0xE2)
      run++;
    memcpy(l + n, low + i, run);
    if (o)
      memcpy(o + n, s + i, run);
    n += run;
    i += run;
  }
  l[n] = '\0';
  if (o)
    o[n] = '\0';
  return n;
}

/* The text searched: lower-cased, and as written (same offsets). */
typedef struct {
  char *low, *orig;
  gsize len;
} Hay;

/* TRUE when word[0..len) is one of common_words (a set built once). */
static gboolean is_common(const char *word, gsize len)
{
  static gsize once = 0;
  static WordTab set;
  if (g_once_init_enter(&once)) {
    wordtab_init(&set, G_N_ELEMENTS(common_words));
    for (guint i = 0; common_words[i]; i++)
      *wordtab_slot(&set, common_words[i], strlen(common_words[i])) =
          GUINT_TO_POINTER(1);
    g_once_init_leave(&once, 1);
  }
  return wordtab_get(&set, word, len, wordtab_hash(word, len)) != NULL;
}

/* The last word of a name of several ("Prison NOMIS"), or the first label
 * of a domain ("acme-supplies.co.uk"), when distinctive enough to stand
 * for it: its length, from *start in low (the name squashed); else 0. */
static gsize distinctive_word(const char *low, gsize *start)
{
  const char *space = strrchr(low, ' '), *dot = strchr(low, '.');
  gsize len;
  if (space)
    *start = (gsize)(space + 1 - low);
  else if (dot && !strchr(low, '@'))
    *start = 0;
  else
    return 0;
  len = space ? strlen(space + 1) : (gsize)(dot - low);
  if (len < 4 || is_common(low + *start, len))
    return 0;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum(low[*start + i]) && low[*start + i] != '-')
      return 0;
  return len;
}

/* ---- mentions and denials ---- */

typedef enum { M_SYSTEM, M_ASSET, M_SUPPLIER } MentionKind;

typedef struct {
  gsize start, end;
  MentionKind kind;
  guint id; /* index in systems[] or in the names given */
  gboolean denied;
} Mention;

/* Ties (one place, one length) stay in the order the names are listed:
 * systems, then assets, then suppliers, each in the order given. */
static int by_start(gconstpointer a, gconstpointer b)
{
  const Mention *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start ? 1
         : x->end > y->end  ? -1 : x->end < y->end ? 1
         : x->kind < y->kind ? -1 : x->kind > y->kind ? 1
         : x->id < y->id ? -1 : x->id > y->id ? 1 : 0;
}

/* A way a name given is written, as searched for. */
typedef struct {
  const char *words; /* in Named.strings */
  gsize at, len;     /* where in Named.strings, and its length */
  MentionKind kind;
  guint id;          /* index in the names given */
  gboolean capital;  /* only where written with a capital */
  guint next;        /* the next with the same first word: index + 1, or 0 */
} Needle;

/* The names given, built per call from the names alone, in one buffer:
 * chained by first word, and apart those that start with no word byte
 * ("(Legacy) Records"), tried where any word may start. */
typedef struct {
  GArray *needles;  /* Needle */
  char *strings;    /* every needle's words, NUL-terminated */
  WordTab by_first; /* first word -> the first of its chain: index + 1 */
  guint odd;        /* the first of the others: index + 1, or 0 */
  gboolean odd_first[256];
} Named;

/* Appends a way of writing name id of kind: strings[at..at+len). */
static void add_needle(Named *nm, gsize at, gsize len, MentionKind kind,
                       guint id, gboolean capital)
{
  const Needle nd = { NULL, at, len, kind, id, capital, 0 };
  if (len > 0)
    g_array_append_val(nm->needles, nd);
}

/* Every way a name given is written: as given, and its distinctive word
 * with a capital, as names are written ("NOMIS" for "Prison NOMIS", not
 * "casework" for "Legal Aid Casework"), also with its hyphens as spaces. */
static void add_ways(Named *nm, GString *strings, const char *name,
                     MentionKind kind, guint id)
{
  const gsize at = strings->len;
  gsize n, start, len;
  g_string_set_size(strings, at + strlen(name) + 1);
  n = squash_into(name, name, strings->str + at, NULL);
  for (gsize i = at; i < at + n; i++)
    strings->str[i] = g_ascii_tolower(strings->str[i]);
  g_string_set_size(strings, at + n + 1);
  add_needle(nm, at, n, kind, id, FALSE);
  if (!(len = distinctive_word(strings->str + at, &start)))
    return;
  start += at;
  for (int hyphens = 0; hyphens < 2; hyphens++) {
    const gsize word = strings->len;
    g_string_append_len(strings, strings->str + start, (gssize)len);
    g_string_append_c(strings, '\0');
    for (gsize i = word; hyphens && i < word + len; i++)
      if (strings->str[i] == '-')
        strings->str[i] = ' ';
    add_needle(nm, word, len, kind, id, TRUE);
  }
}

static void named_init(Named *nm, const char *const *assets,
                       const char *const *suppliers)
{
  const char *const *lists[] = { assets, suppliers };
  const MentionKind kinds[] = { M_ASSET, M_SUPPLIER };
  gsize size = 0;
  guint count = 0;
  GString *strings;

  memset(nm, 0, sizeof *nm);
  for (int l = 0; l < 2; l++)
    for (guint i = 0; lists[l] && lists[l][i]; i++, count += 3)
      size += 3 * (strlen(lists[l][i]) + 1);
  strings = g_string_sized_new(size);
  nm->needles = g_array_sized_new(FALSE, FALSE, sizeof(Needle), count);
  for (int l = 0; l < 2; l++)
    for (guint i = 0; lists[l] && lists[l][i]; i++)
      add_ways(nm, strings, lists[l][i], kinds[l], i);
  nm->strings = g_string_free(strings, FALSE);
  /* chained once the buffer no longer moves */
  wordtab_init(&nm->by_first, nm->needles->len);
  for (guint k = 0; k < nm->needles->len; k++) {
    Needle *nd = &g_array_index(nm->needles, Needle, k);
    const gsize run = run_length((nd->words = nm->strings + nd->at));
    if (run == 0) {
      nm->odd_first[(guchar)nd->words[0]] = TRUE;
      nd->next = nm->odd;
      nm->odd = k + 1;
    } else {
      gpointer *head = wordtab_slot(&nm->by_first, nd->words, run);
      nd->next = GPOINTER_TO_UINT(*head);
      *head = GUINT_TO_POINTER(k + 1);
    }
  }
}

static void named_clear(Named *nm)
{
  wordtab_clear(&nm->by_first);
  g_array_unref(nm->needles);
  g_free(nm->strings);
}

/* TRUE when nothing joins the words at low[at] to more: no word byte
 * after them, nor ".x" or "-x" ("outlookish", "supplier.co.uk.example"). */
static gboolean ends_there(const char *low, gsize at)
{
  return !word_byte(low[at]) &&
         !((low[at] == '.' || low[at] == '-') && word_byte(low[at + 1]));
}

/* The names of the chain from head (index + 1) written at p. */
static void match_named(const Hay *hay, const Named *nm, guint head, gsize p,
                        GArray *mentions)
{
  for (guint i = head; i; i = g_array_index(nm->needles, Needle, i - 1).next) {
    const Needle *nd = &g_array_index(nm->needles, Needle, i - 1);
    if (strncmp(hay->low + p, nd->words, nd->len) != 0 ||
        !ends_there(hay->low, p + nd->len) ||
        (nd->capital && !g_ascii_isupper(hay->orig[p])))
      continue;
    Mention m = { p, p + nd->len, nd->kind, nd->id, FALSE };
    g_array_append_val(mentions, m);
  }
}

/* The system written at word p, the longest there; the end of its words,
 * or 0. */
static gsize match_system(const char *low, const GArray *list, gsize p,
                          GArray *mentions)
{
  for (guint i = 0; i < list->len; i++) {
    const SystemWord *sw = &g_array_index(list, SystemWord, i);
    if (strncmp(low + p, sw->word, sw->len) == 0 &&
        ends_there(low, p + sw->len)) {
      Mention m = { p, p + sw->len, M_SYSTEM, sw->system, FALSE };
      g_array_append_val(mentions, m);
      return p + sw->len;
    }
  }
  return 0;
}

/* One pass over the words of the text: each word looked up once among
 * the systems' first words and the names'. Systems do not overlap (the
 * next is sought after the end of the last, as a regular expression
 * would); names given may. */
static void find_mentions(const Hay *hay, const Named *nm, GArray *mentions)
{
  const WordTab *systems_by_first = system_words();
  const char *low = hay->low;
  gsize next_system = 0;
  for (gsize p = 0; p < hay->len;) {
    const GArray *list;
    gsize run, end;
    guint hash, head;
    if (!word_byte(low[p])) {
      if (nm->odd_first[(guchar)low[p]] && (p == 0 || !word_byte(low[p - 1])))
        match_named(hay, nm, nm->odd, p, mentions);
      p++;
      continue;
    }
    run = run_length(low + p);
    hash = wordtab_hash(low + p, run);
    if (p >= next_system &&
        (list = wordtab_get(systems_by_first, low + p, run, hash)) &&
        (end = match_system(low, list, p, mentions)))
      next_system = end;
    head = GPOINTER_TO_UINT(wordtab_get(&nm->by_first, low + p, run, hash));
    if (head)
      match_named(hay, nm, head, p, mentions);
    p += run;
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

/* Reads the denials of one kind; after: the names after each match are
 * denied, else those before it. Matches and mentions are both in order,
 * so one walk of each. */
static void deny(const char *low, const GArray *matches, gboolean after,
                 GArray *mentions)
{
  const Mention *ms = (const Mention *)(void *)mentions->data;
  guint m = 0;
  for (guint i = 0; i < matches->len; i++) {
    const DenialMatch *d = &g_array_index(matches, DenialMatch, i);
    /* m: the first mention starting at or after the match's end */
    while (m < mentions->len && ms[m].start < d->end)
      m++;
    if (after && m < mentions->len && same_clause(low, d->end, ms[m].start))
      deny_list(low, mentions, m, +1);
    if (!after) {
      /* the last mention ending at or before the match's start */
      guint b = m;
      while (b > 0 && ms[b - 1].end > d->start)
        b--;
      if (b > 0 && same_clause(low, ms[b - 1].end, d->start))
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

void freetext_names(const FtInput *in, const char *const *assets,
                    const char *const *suppliers, FtNames *out)
{
  g_autoptr(GArray) mentions = g_array_new(FALSE, FALSE, sizeof(Mention));
  GArray *denials[DENIAL_KINDS];
  Named named;
  Hay hay;

  hay.low = g_malloc(in->len + 1);
  hay.orig = g_malloc(in->len + 1);
  hay.len = squash_into(in->text, in->low, hay.low, hay.orig);
  named_init(&named, assets, suppliers);
  find_mentions(&hay, &named, mentions);
  named_clear(&named);
  g_array_sort(mentions, by_start);
  for (int k = 0; k < DENIAL_KINDS; k++)
    denials[k] = g_array_new(FALSE, FALSE, sizeof(DenialMatch));
  /* denials only deny what is mentioned */
  if (mentions->len > 0)
    denials_scan(hay.low, hay.len, denials);
  deny(hay.low, denials[DENIES_AFTER], TRUE, mentions);
  deny(hay.low, denials[DENIES_BEFORE], FALSE, mentions);
  deny(hay.low, denials[POSED_AS], TRUE, mentions);
  for (int k = 0; k < DENIAL_KINDS; k++)
    g_array_unref(denials[k]);
  spread_denials(mentions);
  out->systems = systems_named(mentions);
  out->asset = first_named(mentions, M_ASSET, assets);
  out->supplier = first_named(mentions, M_SUPPLIER, suppliers);
  g_free(hay.low);
  g_free(hay.orig);
}

/* observables.c - the indicators of a suspicious mail (observables.h).
 *
 * Each source is read once, left to right: text is scanned for URL starts
 * and jumps past each URL's run of characters, Received: values are split
 * into tokens once, the HTML tree is walked once (depth bounded), and a
 * hash of (type, value) makes every duplicate check constant. Sources are
 * read in order of worth, so the cap drops the least: addresses, files,
 * relays, link targets, then URLs in the text. */
#include "parsers/observables.h"

#include <gio/gio.h>
#include <libxml/HTMLparser.h>
#include <string.h>

#include "parsers/mail.h"

enum { T_EMAIL, T_DOMAIN, T_URL, T_IP, T_HOST, T_FILE, T_COUNT };
static const char *const type_names[T_COUNT] = {
  "email", "domain", "url", "ip", "host", "file",
};

/* RFC 5321: 64 bytes of local part, 254 of address, 253 of domain. */
#define LOCAL_MAX 64
#define ADDRESS_MAX 254
#define DOMAIN_MAX 253
#define LABEL_MAX 63
/* Longer than any IPv6 text form with an "IPv6:" prefix. */
#define IP_TEXT_MAX 64
/* File names: far beyond any file system's limit. */
#define FILE_NAME_MAX 1024
/* Markup nested deeper than any mail client writes is not searched. */
#define HTML_DEPTH_MAX 200

typedef struct {
  GPtrArray *by_type[T_COUNT];  /* IgObservable*, owned until the end */
  GHashTable *seen;             /* "type:value" */
  guint count;
  const char *const *own;
} Found;

static gboolean full(const Found *f)
{
  return f->count >= OBSERVABLES_MAX;
}

/* A value is kept only if it prints as it is: valid UTF-8, no control
 * character (C0, DEL, C1), not empty. */
static gboolean printable(const char *value)
{
  if (!value || !*value || !g_utf8_validate(value, -1, NULL))
    return FALSE;
  for (const char *p = value; *p; p = g_utf8_next_char(p))
    if (g_unichar_iscntrl(g_utf8_get_char(p)))
      return FALSE;
  return TRUE;
}

static void add(Found *f, int type, const char *value, const char *sha256)
{
  if (full(f) || !printable(value))
    return;
  char *key = g_strdup_printf("%d:%s", type, value);
  if (g_hash_table_contains(f->seen, key)) {
    g_free(key);
    return;
  }
  g_hash_table_add(f->seen, key);
  IgObservable *o = g_new0(IgObservable, 1);
  o->type = g_strdup(type_names[type]);
  o->value = g_strdup(value);
  o->defanged = observable_defang(o->type, value);
  o->sha256 = g_strdup(sha256);
  g_ptr_array_add(f->by_type[type], o);
  f->count++;
}

/* A DNS name of at least two labels (letters, digits, hyphens, or the
 * UTF-8 of an internationalised label), whose last label is not all
 * digits, so that neither "localhost" nor "203.0.113" is one. */
static gboolean is_dns_name(const char *name)
{
  gsize len = strlen(name), label = 0, labels = 1;
  gboolean digits = TRUE;
  if (len == 0 || len > DOMAIN_MAX)
    return FALSE;
  for (gsize i = 0; i <= len; i++) {
    guchar c = (guchar)name[i];
    if (c == '.' || c == '\0') {
      if (label == 0 || label > LABEL_MAX || name[i - 1] == '-')
        return FALSE;
      if (c == '.') {
        labels++;
        label = 0;
        digits = TRUE;
      }
      continue;
    }
    if (label == 0 && c == '-')
      return FALSE;
    if (!g_ascii_isalnum(c) && c != '-' && c < 0x80)
      return FALSE;
    digits = digits && g_ascii_isdigit(c);
    label++;
  }
  return labels >= 2 && !digits;
}

/* Whether domain (lower case) is one of ours or under one of ours. */
static gboolean is_own(const Found *f, const char *domain)
{
  gsize len = strlen(domain);
  for (int i = 0; f->own && f->own[i]; i++) {
    const char *own = f->own[i];
    gsize n = strlen(own);
    if (n == 0 || n > len)
      continue;
    if (g_ascii_strcasecmp(domain + len - n, own) == 0 &&
        (n == len || domain[len - n - 1] == '.'))
      return TRUE;
  }
  return FALSE;
}

/* name in lower case without one trailing dot, if it is a DNS name; NULL
 * otherwise. Caller frees. */
static char *dns_name(const char *name)
{
  if (!printable(name) || strlen(name) > DOMAIN_MAX + 1)
    return NULL;
  char *lower = g_utf8_strdown(name, -1);
  gsize len = strlen(lower);
  if (len > 1 && lower[len - 1] == '.')
    lower[len - 1] = '\0';
  if (!is_dns_name(lower)) {
    g_free(lower);
    return NULL;
  }
  return lower;
}

/* Adds name as a domain or host (type) unless it is ours; FALSE when it
 * is no DNS name. */
static gboolean add_name(Found *f, int type, const char *name)
{
  g_autofree char *lower = dns_name(name);
  if (!lower)
    return FALSE;
  if (!is_own(f, lower))
    add(f, type, lower, NULL);
  return TRUE;
}

/* Addresses that name someone outside: not private (RFC 1918, fc00::/7),
 * loopback, link-local, unspecified or multicast. An IPv4-mapped IPv6
 * address is judged as the IPv4 address it maps. */
static gboolean is_public(GInetAddress *a)
{
  if (g_inet_address_get_is_loopback(a) || g_inet_address_get_is_link_local(a) ||
      g_inet_address_get_is_any(a) || g_inet_address_get_is_multicast(a) ||
      g_inet_address_get_is_site_local(a))
    return FALSE;
  if (g_inet_address_get_family(a) != G_SOCKET_FAMILY_IPV6)
    return TRUE;
  const guint8 *b = g_inet_address_to_bytes(a);
  static const guint8 mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if ((b[0] & 0xfe) == 0xfc)
    return FALSE;
  if (memcmp(b, mapped, sizeof mapped) == 0) {
    g_autoptr(GInetAddress) v4 = g_inet_address_new_from_bytes(b + 12, G_SOCKET_FAMILY_IPV4);
    return is_public(v4);
  }
  return TRUE;
}

/* Adds text as an IP (canonical form) if it is a public one; FALSE when
 * text is no IP address at all. */
static gboolean add_ip(Found *f, const char *text)
{
  if (strlen(text) > IP_TEXT_MAX)
    return FALSE;
  g_autoptr(GInetAddress) a = g_inet_address_new_from_string(text);
  if (!a)
    return FALSE;
  if (is_public(a)) {
    g_autofree char *canonical = g_inet_address_to_string(a);
    add(f, T_IP, canonical, NULL);
  }
  return TRUE;
}

static void add_email(Found *f, const char *addr)
{
  if (!addr || !*addr || strlen(addr) > ADDRESS_MAX || !printable(addr))
    return;
  g_autofree char *lower = g_utf8_strdown(addr, -1);
  char *at = strchr(lower, '@');
  if (!at || at == lower || at - lower > LOCAL_MAX || strchr(at + 1, '@'))
    return;
  for (const char *p = lower; p < at; p++)
    if (g_ascii_isspace(*p) || strchr("<>()[]\\,;:\"", *p))
      return;
  g_autofree char *domain = dns_name(at + 1);
  if (!domain || is_own(f, domain))
    return;
  add(f, T_EMAIL, lower, NULL);
  add(f, T_DOMAIN, domain, NULL);
}

/* --- URLs --- */

static gboolean has_scheme(const char *url)
{
  return g_ascii_strncasecmp(url, "http://", 7) == 0 ||
         g_ascii_strncasecmp(url, "https://", 8) == 0;
}

/* The host of an http(s) or www. URL: a bracketed IPv6 address without
 * its brackets, else what lies between any user info and any port.
 * NULL when there is none. Caller frees. */
static char *url_host(const char *url, gboolean *bracketed)
{
  const char *p = has_scheme(url) ? strstr(url, "://") + 3 : url;
  gsize n = strcspn(p, "/?#\\");
  const char *at = g_strrstr_len(p, (gssize)n, "@");
  if (at) {
    n -= (gsize)(at + 1 - p);
    p = at + 1;
  }
  *bracketed = n > 0 && *p == '[';
  if (*bracketed) {
    const char *close = memchr(p, ']', n);
    if (!close || (close + 1 < p + n && close[1] != ':'))
      return NULL;
    return g_strndup(p + 1, (gsize)(close - p - 1));
  }
  const char *colon = memchr(p, ':', n);
  if (colon)
    n = (gsize)(colon - p);
  return n ? g_strndup(p, n) : NULL;
}

/* Adds an http(s) or www. URL and its host as a domain or IP; a URL
 * without a valid host, or on one of our domains, is none. */
static void add_url(Found *f, const char *url)
{
  gboolean bracketed = FALSE;
  if (strlen(url) > OBSERVABLES_URL_MAX || !printable(url))
    return;
  g_autofree char *host = url_host(url, &bracketed);
  if (!host || strlen(host) > DOMAIN_MAX + 1)
    return;
  g_autoptr(GInetAddress) ip = g_inet_address_new_from_string(host);
  if (bracketed && (!ip || g_inet_address_get_family(ip) != G_SOCKET_FAMILY_IPV6))
    return;
  if (ip) {
    add(f, T_URL, url, NULL);
    add_ip(f, host);
    return;
  }
  g_autofree char *domain = dns_name(host);
  if (!domain || is_own(f, domain))
    return;
  add(f, T_URL, url, NULL);
  add(f, T_DOMAIN, domain, NULL);
}

/* Whether a URL written in text starts at p: http://, https:// or www.
 * at the start of a word. */
static gboolean url_starts(const char *text, const char *p)
{
  if (p > text && (g_ascii_isalnum(p[-1]) || strchr(".-_@/", p[-1])))
    return FALSE;
  return has_scheme(p) || g_ascii_strncasecmp(p, "www.", 4) == 0;
}

/* Bytes from p to the end of a run of URL characters: up to white space,
 * a control character, invalid UTF-8 or one of <>"` that mail text puts
 * around a link. */
static gsize url_run(const char *p)
{
  const char *q = p;
  while (*q) {
    if ((guchar)*q < 0x80) {
      if ((guchar)*q <= ' ' || *q == 0x7f || strchr("<>\"`", *q))
        break;
      q++;
      continue;
    }
    gunichar c = g_utf8_get_char_validated(q, -1);
    if (c == (gunichar)-1 || c == (gunichar)-2 || g_unichar_isspace(c) || g_unichar_iscntrl(c))
      break;
    q = g_utf8_next_char(q);
  }
  return (gsize)(q - p);
}

/* The length of run once the punctuation that ends a sentence around a
 * URL is trimmed: .,;:!?'* and closing brackets without an opening one in
 * the URL ("(see https://x/a_(b))." keeps the ")" of a_(b)). */
static gsize trim_url(const char *run, gsize len)
{
  int round = 0, square = 0;
  for (gsize i = 0; i < len; i++) {
    round += (run[i] == '(') - (run[i] == ')');
    square += (run[i] == '[') - (run[i] == ']');
  }
  while (len > 0) {
    char c = run[len - 1];
    if (c == ')' && round < 0)
      round++;
    else if (c == ']' && square < 0)
      square++;
    else if (!strchr(".,;:!?'*", c))
      break;
    len--;
  }
  return len;
}

static void scan_text(Found *f, const char *text)
{
  const char *p = text;
  while (*p && !full(f)) {
    if (!url_starts(text, p)) {
      p++;
      continue;
    }
    gsize run = url_run(p);
    gsize len = trim_url(p, run);
    if (len <= OBSERVABLES_URL_MAX) {
      g_autofree char *url = g_strndup(p, len);
      add_url(f, url);
    }
    p += MAX(run, 1);
  }
}

/* --- HTML link targets --- */

/* A link target as a browser reads it (WHATWG URL): leading and trailing
 * spaces and controls dropped, tabs and newlines inside removed, which
 * phishing mail uses to hide a host from scanners. Caller frees. */
static char *link_target(const char *href)
{
  GString *out = g_string_new(NULL);
  const char *end = href + strlen(href);
  while (*href && (guchar)*href <= ' ')
    href++;
  while (end > href && (guchar)end[-1] <= ' ')
    end--;
  for (const char *p = href; p < end; p++)
    if (*p != '\t' && *p != '\n' && *p != '\r')
      g_string_append_c(out, *p);
  return g_string_free(out, FALSE);
}

/* mailto:a@x.example,b@y.example?subject=... gives each address. */
static void add_mailto(Found *f, const char *target)
{
  g_autofree char *list = g_strndup(target, strcspn(target, "?"));
  g_auto(GStrv) addrs = g_strsplit(list, ",", -1);
  for (int i = 0; addrs[i] && !full(f); i++) {
    g_autofree char *decoded = g_uri_unescape_string(addrs[i], NULL);
    add_email(f, g_strstrip(decoded ? decoded : addrs[i]));
  }
}

static void add_link(Found *f, const char *href)
{
  g_autofree char *target = link_target(href);
  if (g_ascii_strncasecmp(target, "mailto:", 7) == 0)
    add_mailto(f, target + 7);
  else if (has_scheme(target) || g_ascii_strncasecmp(target, "www.", 4) == 0)
    add_url(f, target);
}

static void walk(Found *f, xmlNode *node, int depth)
{
  if (depth > HTML_DEPTH_MAX)
    return;
  for (; node && !full(f); node = node->next) {
    if (node->type != XML_ELEMENT_NODE)
      continue;
    const char *name = (const char *)node->name;
    if (!g_ascii_strcasecmp(name, "a") || !g_ascii_strcasecmp(name, "area")) {
      xmlChar *href = xmlGetProp(node, (const xmlChar *)"href");
      if (href)
        add_link(f, (const char *)href);
      xmlFree(href);
    }
    walk(f, node->children, depth + 1);
  }
}

static void scan_html(Found *f, const char *html)
{
  gsize len = strlen(html);
  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  htmlDocPtr doc = NULL;
  if (!ctxt)
    return;
  doc = htmlCtxtReadMemory(ctxt, html, (int)MIN(len, (gsize)G_MAXINT), NULL, "UTF-8",
                           HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                           HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (doc) {
    walk(f, xmlDocGetRootElement(doc), 0);
    xmlFreeDoc(doc);
  }
  htmlFreeParserCtxt(ctxt);
}

/* --- Received: relays --- */

/* One token of a "from" clause: an IP ("[203.0.113.7]", "IPv6:2001:db8::7"
 * with its brackets already split off) or a host name; words such as
 * "unknown", "HELO" or "may be forged" are neither and are dropped. */
static void add_relay_token(Found *f, const char *token, gsize len)
{
  if (len > DOMAIN_MAX + 1)
    return;
  g_autofree char *copy = g_strndup(token, len);
  const char *t = copy;
  if (g_ascii_strncasecmp(t, "ipv6:", 5) == 0)
    t += 5;
  if (!add_ip(f, t))
    add_name(f, T_HOST, t);
}

static gboolean clause_ends(const char *token, gsize len)
{
  static const char *const words[] = {"by", "with", "id", "for", "via", NULL};
  for (int i = 0; words[i]; i++)
    if (len == strlen(words[i]) && g_ascii_strncasecmp(token, words[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* The "from" clause of a Received: value, the sender as the receiving relay
 * saw it: "from HELO (reverse-name [IP])", up to the "by" (or "with", "id",
 * "for", "via") outside its comments, or the ";" before the date. */
static void scan_received(Found *f, const char *value)
{
  static const char *const delimiters = " \t\r\n()[]=,;<>\"'";
  const char *p = value + strspn(value, " \t");
  int depth = 0;
  if (g_ascii_strncasecmp(p, "from", 4) != 0 || !g_ascii_isspace(p[4]))
    return;
  p += 4;
  while (*p && !full(f)) {
    if (strchr(delimiters, *p)) {
      if (*p == ';' && depth == 0)
        return;
      depth += (*p == '(') - (*p == ')' && depth > 0);
      p++;
      continue;
    }
    gsize len = strcspn(p, delimiters);
    if (depth == 0 && clause_ends(p, len))
      return;
    add_relay_token(f, p, len);
    p += len;
  }
}

/* --- files --- */

static gboolean is_sha256(const char *hex)
{
  if (!hex || strlen(hex) != 64)
    return FALSE;
  for (const char *p = hex; *p; p++)
    if (!g_ascii_isxdigit(*p) || g_ascii_isupper(*p))
      return FALSE;
  return TRUE;
}

static void add_files(Found *f, const GPtrArray *files)
{
  for (guint i = 0; files && i < files->len && !full(f); i++) {
    const IgFilePart *part = g_ptr_array_index(files, i);
    if (part && part->filename && strlen(part->filename) <= FILE_NAME_MAX)
      add(f, T_FILE, part->filename, is_sha256(part->sha256) ? part->sha256 : NULL);
  }
}

/* --- the public face --- */

GPtrArray *observables_extract(const IgSuspect *s)
{
  Found f = {.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
             .own = s->own_domains};
  GPtrArray *all = g_ptr_array_new_with_free_func(observable_free);
  for (int t = 0; t < T_COUNT; t++)
    f.by_type[t] = g_ptr_array_new();
  add_email(&f, s->from_addr);
  add_email(&f, s->reply_to);
  add_email(&f, s->return_path);
  add_files(&f, s->files);
  for (int i = 0; s->received && s->received[i] && i < MAIL_RECEIVED_MAX; i++)
    scan_received(&f, s->received[i]);
  if (s->html)
    scan_html(&f, s->html);
  if (s->text)
    scan_text(&f, s->text);
  for (int t = 0; t < T_COUNT; t++) {
    for (guint i = 0; i < f.by_type[t]->len; i++)
      g_ptr_array_add(all, g_ptr_array_index(f.by_type[t], i));
    g_ptr_array_free(f.by_type[t], TRUE);
  }
  g_hash_table_destroy(f.seen);
  return all;
}

char *observable_defang(const char *type, const char *value)
{
  if (!value)
    return NULL;
  GString *out = g_string_sized_new(strlen(value) + 16);
  const char *p = value;
  gboolean ipv6 = g_strcmp0(type, "ip") == 0 && strchr(value, ':');
  if (g_strcmp0(type, "url") == 0 && has_scheme(value)) {
    gboolean tls = g_ascii_tolower(value[4]) == 's';
    g_string_append(out, tls ? "hxxps" : "hxxp");
    p += tls ? 5 : 4;
  }
  for (; *p; p++) {
    if (*p == '.')
      g_string_append(out, "[.]");
    else if (ipv6 && *p == ':')
      g_string_append(out, "[:]");
    else
      g_string_append_c(out, *p);
  }
  return g_string_free(out, FALSE);
}

void observable_free(gpointer o)
{
  IgObservable *obs = o;
  if (!obs)
    return;
  g_free(obs->type);
  g_free(obs->value);
  g_free(obs->defanged);
  g_free(obs->sha256);
  g_free(obs->reference);
  g_free(obs->recorded_at);
  g_free(obs);
}

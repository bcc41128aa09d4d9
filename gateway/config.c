/* config.c - reads and validates the INI configuration (SPEC section 3):
 * the key table and loading (the lookups of config.h are in
 * config_lookup.c).
 *
 * The only reader of the config file. Text is first linted line by line
 * (so errors can name a line and operator-style ';' comments work), then
 * handed to GKeyFile. Every fixed key is described once in key_table: its
 * parser, where the result lives, how it is freed and its default as text,
 * so defaults pass the same validation as configured values. Errors are one
 * line: FILE: [section] key = "value": reason. The syntax of values and
 * the line lint are in config_syntax.c. */
#include "gateway/config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include "gateway/config_syntax.h"
#include "gateway/error.h"
#include "gateway/secret.h"

#ifndef IG_DATADIR
#define IG_DATADIR "share"
#endif
#ifndef IG_TEMPLATE_DIR
#define IG_TEMPLATE_DIR "templates"
#endif

#define ALL_EVENTS "created, status_changed, impact_changed, overdue, closed, updated"
#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

/* Validates text and stores the result in *field. Returns NULL, or the
 * reason it is wrong (caller frees). c is for keys that fill two fields. */
typedef char *(*ParseFn)(IgConfig *c, void *field, const char *text);

typedef enum { V_NUM, V_STR, V_LIST } Kind; /* how config_free releases it */

typedef struct {
  const char *section;
  const char *key;
  ParseFn parse;
  Kind kind;
  size_t offset;   /* into IgConfig, or IgWebhook for webhook_table */
  const char *def; /* NULL: no default, the field stays NULL */
} KeySpec;

/* ---- key parsers ---- */

static char *set_str(void *f, char *owned)
{
  *(char **)f = owned;
  return NULL;
}

static char *p_str(IgConfig *c, void *f, const char *text)
{
  return set_str(f, g_strdup(text));
}

static char *p_addr(IgConfig *c, void *f, const char *text)
{
  if (!syntax_is_email(text))
    return g_strdup("not an email address (use local@domain)");
  return set_str(f, g_ascii_strdown(text, -1));
}

static char *p_addr_list(IgConfig *c, void *f, const char *text)
{
  return syntax_parse_list(text, syntax_is_email, "an email address", f);
}

static char *p_domain_list(IgConfig *c, void *f, const char *text)
{
  return syntax_parse_list(text, syntax_is_domain, "a domain name", f);
}

static char *p_tz(IgConfig *c, void *f, const char *text)
{
  if (!(c->tz = g_time_zone_new_identifier(text)))
    return g_strdup("not a time zone (use an IANA name such as Europe/London)");
  return set_str(f, g_strdup(text));
}

static char *p_prefix(IgConfig *c, void *f, const char *text)
{
  size_t n = strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

  if (n == 0 || n > 10 || text[n] != '\0')
    return g_strdup("must be 1 to 10 characters A-Z or 0-9");
  return set_str(f, g_strdup(text));
}

static char *p_size(IgConfig *c, void *f, const char *text)
{
  if (!config_parse_size(text, f) || *(gint64 *)f <= 0)
    return g_strdup("not a size (use 25MB, 512KB, 1GB or a number of bytes)");
  return NULL;
}

static char *p_duration(IgConfig *c, void *f, const char *text)
{
  if (!config_parse_duration(text, f))
    return g_strdup("not a duration (use 90s, 60m, 2h or 10d)");
  return *(gint64 *)f > 0 ? NULL : g_strdup("must be greater than zero");
}

static char *p_count(IgConfig *c, void *f, const char *text)
{
  gint64 n;

  if (!g_ascii_string_to_signed(text, 10, 0, G_MAXINT, &n, NULL))
    return g_strdup("not a whole number of 0 or more");
  *(int *)f = (int)n;
  return NULL;
}

static char *p_tls(IgConfig *c, void *f, const char *text)
{
  static const char *const words[] = {"required", "starttls", "none", NULL};
  G_STATIC_ASSERT(IG_TLS_NONE == 2 && sizeof(IgTls) == sizeof(int));
  return syntax_one_of(text, words, f);
}

/* The require_authentication values, in IgAuthMode order. */
static const char *const auth_words[] = {"dkim", "authentication-results", "exchange-internal",
                                         "none", NULL};

static char *p_auth(IgConfig *c, void *f, const char *text)
{
  G_STATIC_ASSERT(IG_AUTH_NONE == 3 && sizeof(IgAuthMode) == sizeof(int));
  return syntax_one_of(text, auth_words, f);
}

const char *config_auth_mode_name(IgAuthMode mode)
{
  return auth_words[mode];
}

/* Stores a copy of the url text unless why says what is wrong with it,
 * its scheme in lower case: schemes are case-insensitive (RFC 3986), and
 * what picks a source or transport by its scheme compares them as such. */
static char *set_url(void *f, const char *text, char *why)
{
  if (why)
    return why;
  char *url = g_strdup(text);
  for (char *p = url; *p && *p != ':'; p++)
    *p = g_ascii_tolower(*p);
  return set_str(f, url);
}

static char *p_source_url(IgConfig *c, void *f, const char *text)
{
  static const char *const schemes[3] = {"maildir:", "imap://", "imaps://"};
  return set_url(f, text, syntax_check_url(text, schemes,
      "maildir:PATH, imaps://HOST/FOLDER or imap://HOST/FOLDER"));
}

static char *p_transport_url(IgConfig *c, void *f, const char *text)
{
  static const char *const schemes[3] = {"dir:", "smtp://", "smtps://"};
  return set_url(f, text, syntax_check_url(text, schemes,
      "dir:PATH, smtps://HOST:465 or smtp://HOST:587"));
}

static char *p_webhook_url(IgConfig *c, void *f, const char *text)
{
  return set_url(f, text, syntax_check_webhook_url(text));
}

static char *p_events(IgConfig *c, void *f, const char *text)
{
  static const char *const known[] = {"created", "status_changed", "impact_changed",
                                      "overdue", "closed", "updated", NULL};
  g_auto(GStrv) list = syntax_split_list(text);

  for (char **p = list; *p; p++)
    if (!g_strv_contains(known, *p))
      return g_strdup_printf("unknown event \"%s\" (use %s)", *p, ALL_EVENTS);
  if (!list[0])
    return g_strdup_printf("no events listed (use %s)", ALL_EVENTS);
  *(char ***)f = g_steal_pointer(&list);
  return NULL;
}

/* A secret must exist and be readable by its owner alone. */
static char *p_secret_file(IgConfig *c, void *f, const char *text)
{
  struct stat st;

  if (stat(text, &st) != 0)
    return g_strdup_printf("cannot read: %s", g_strerror(errno));
  if (!S_ISREG(st.st_mode))
    return g_strdup("not a regular file");
  if ((st.st_mode & 077) != 0)
    return g_strdup_printf("file has mode %04o, must be 0600 (chmod 600 %s)",
                           (unsigned)(st.st_mode & 07777), text);
  return set_str(f, g_strdup(text));
}

static char *p_file(IgConfig *c, void *f, const char *text)
{
  if (!g_file_test(text, G_FILE_TEST_IS_REGULAR))
    return g_strdup("no such file");
  return set_str(f, g_strdup(text));
}

/* "Name <addr>" or a bare addr; the address part is validated and lowered. */
static char *p_from(IgConfig *c, void *f, const char *text)
{
  char *from = syntax_from_address(text);

  if (!from)
    return g_strdup("not an address (use Name <local@domain> or local@domain)");
  return set_str(f, from);
}

static char *p_rate(IgConfig *c, void *f, const char *text)
{
  if (!syntax_parse_rate(text, f, &c->rate_limit_window))
    return g_strdup("not a rate (use COUNT/WINDOW such as 10/h, 5/m, 100/d or 20/30m)");
  return NULL;
}

static char *p_rate_total(IgConfig *c, void *f, const char *text)
{
  if (!syntax_parse_rate(text, f, &c->rate_limit_total_window))
    return g_strdup("not a rate (use COUNT/WINDOW such as 200/h, 5/m, 1000/d or 100/30m)");
  return NULL;
}

static char *p_daily_at(IgConfig *c, void *f, const char *text)
{
  if (!syntax_parse_time_of_day(text, f, &c->digest_minute))
    return g_strdup("not a time of day (use HH:MM, 00:00 to 23:59)");
  return NULL;
}

/* ---- the keys ---- */

#define K(sec, key, fn, kind, field, def) {sec, key, fn, kind, offsetof(IgConfig, field), def}
#define ENDPOINT(sec, ep)                                                      \
  K(sec, "user", p_str, V_STR, ep.user, NULL),                                 \
  K(sec, "password_file", p_secret_file, V_STR, ep.password_file, NULL),       \
  K(sec, "oauth2_token_command", p_str, V_STR, ep.oauth2_token_command, NULL), \
  K(sec, "tls", p_tls, V_NUM, ep.tls, "required"),                             \
  K(sec, "ca_file", p_file, V_STR, ep.ca_file, NULL)

static const KeySpec key_table[] = {
  K("gateway", "address", p_addr, V_STR, address, "security@justice.gov.uk"),
  K("gateway", "database", p_str, V_STR, database, CONFIG_DEFAULT_DATABASE),
  K("gateway", "timezone", p_tz, V_STR, timezone, "Europe/London"),
  K("gateway", "reference_prefix", p_prefix, V_STR, reference_prefix, "INC"),
  K("gateway", "max_message_size", p_size, V_NUM, max_message_size, "25MB"),
  K("gateway", "templates", p_str, V_STR, templates, NULL),
  K("source", "url", p_source_url, V_STR, source.url, "maildir:var/mail"),
  ENDPOINT("source", source),
  K("source", "processed_folder", p_str, V_STR, processed_folder, "Processed"),
  K("source", "quarantine_folder", p_str, V_STR, quarantine_folder, "Quarantine"),
  K("source", "poll_interval", p_duration, V_NUM, poll_interval, "60s"),
  K("transport", "url", p_transport_url, V_STR, transport.url, "dir:var/outbox"),
  ENDPOINT("transport", transport),
  K("transport", "from", p_from, V_STR, from, "IT Security Incidents <security@justice.gov.uk>"),
  K("transport", "rate_limit_per_sender", p_rate, V_NUM, rate_limit_count, "10/h"),
  K("transport", "rate_limit_total", p_rate_total, V_NUM, rate_limit_total_count, "200/h"),
  K("stakeholders", "ost", p_addr, V_STR, ost, NULL),
  K("stakeholders", "dacu", p_addr, V_STR, dacu, NULL),
  K("stakeholders", "siro", p_addr, V_STR, siro, NULL),
  K("stakeholders", "accreditor", p_addr, V_STR, accreditor, NULL),
  K("stakeholders", "managers", p_addr_list, V_LIST, managers, ""),
  K("stakeholders", "helpdesk_domains", p_domain_list, V_LIST, helpdesk_domains, ""),
  K("ost", "members", p_addr_list, V_LIST, ost_members, ""),
  K("ost", "require_authentication", p_auth, V_NUM, require_authentication, "dkim"),
  K("ost", "trusted_authserv_id", p_str, V_STR, trusted_authserv_id, NULL),
  K("deadlines", "report_within", p_duration, V_NUM, report_within, "60m"),
  K("deadlines", "form_reminder_after", p_duration, V_NUM, form_reminder_after, "2h"),
  K("deadlines", "form_reminder_repeat", p_duration, V_NUM, form_reminder_repeat, "24h"),
  K("deadlines", "form_reminder_max", p_count, V_NUM, form_reminder_max, "3"),
  K("deadlines", "triage_within_high", p_duration, V_NUM, triage_within_high, "1h"),
  K("deadlines", "triage_within_medium", p_duration, V_NUM, triage_within_medium, "4h"),
  K("deadlines", "triage_within_low", p_duration, V_NUM, triage_within_low, "24h"),
  K("deadlines", "management_report_within", p_duration, V_NUM, management_report_within,
    "10d"),
  K("digest", "daily_at", p_daily_at, V_NUM, digest_hour, "08:00"),
};

static const KeySpec webhook_table[] = {
  {NULL, "url", p_webhook_url, V_STR, offsetof(IgWebhook, url), NULL},
  {NULL, "secret_file", p_secret_file, V_STR, offsetof(IgWebhook, secret_file), NULL},
  {NULL, "events", p_events, V_LIST, offsetof(IgWebhook, events), ALL_EVENTS},
};

/* A NULL section or key matches any. */
static const KeySpec *find_key(const KeySpec *table, size_t n, const char *section,
                               const char *key)
{
  for (size_t i = 0; i < n; i++)
    if ((!section || strcmp(table[i].section, section) == 0) &&
        (!key || strcmp(table[i].key, key) == 0))
      return &table[i];
  return NULL;
}

/* Frees what a table's keys stored in base. */
static void free_keys(const KeySpec *table, size_t n, void *base)
{
  for (size_t i = 0; i < n; i++) {
    void *f = (char *)base + table[i].offset;
    if (table[i].kind == V_STR)
      g_free(*(char **)f);
    else if (table[i].kind == V_LIST)
      g_strfreev(*(char ***)f);
  }
}

/* ---- loading ---- */

static void value_error(GError **error, const IgConfig *c, const char *group,
                        const char *key, const char *value, const char *why)
{
  g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s: [%s] %s = \"%s\": %s", c->path, group,
              key, value ? value : "", why);
}

/* The value as written (GKeyFile escapes are not interpreted: what you see
 * is what you get), trimmed; NULL when absent or empty, both meaning
 * "use the default". */
static char *get_value(GKeyFile *kf, const char *group, const char *key)
{
  char *v = g_key_file_get_value(kf, group, key, NULL);

  if (v && *g_strstrip(v) == '\0')
    g_clear_pointer(&v, g_free);
  return v;
}

/* Where an installed gateway keeps its templates: share/incident-gateway
 * beside the bin/ directory it runs from; else (a build tree) those of the
 * source tree it was built from. */
static char *default_templates(void)
{
  g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
  g_autofree char *bin = exe ? g_path_get_dirname(exe) : NULL;
  char *installed = bin ? g_build_filename(bin, "..", IG_DATADIR, "incident-gateway",
                                           "templates", NULL) : NULL;
  if (installed && g_file_test(installed, G_FILE_TEST_IS_DIR))
    return installed;
  g_free(installed);
  return g_strdup(IG_TEMPLATE_DIR);
}

static gboolean apply_keys(GKeyFile *kf, IgConfig *c, void *base, const char *group,
                           const KeySpec *table, size_t n, GError **error)
{
  for (size_t i = 0; i < n; i++) {
    const char *sec = group ? group : table[i].section;
    g_autofree char *value = get_value(kf, sec, table[i].key);
    const char *text = value ? value : table[i].def;
    g_autofree char *why = text ? table[i].parse(c, (char *)base + table[i].offset, text) : NULL;

    if (why) {
      value_error(error, c, sec, table[i].key, text, why);
      return FALSE;
    }
  }
  return TRUE;
}
static void pair_free(gpointer p)
{
  IgPair *pair = p;

  g_free(pair->name);
  g_free(pair->address);
  g_free(pair);
}

static void webhook_free(gpointer p)
{
  IgWebhook *w = p;

  free_keys(webhook_table, G_N_ELEMENTS(webhook_table), w);
  g_free(w->name);
  g_free(w);
}

/* [suppliers] and [assets]: name = address. A later spelling of the same
 * name replaces an earlier one, as GKeyFile does for exact duplicates. */
static gboolean load_pairs(GKeyFile *kf, IgConfig *c, const char *group, GPtrArray *pairs,
                           GError **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
  gboolean suppliers = strcmp(group, "suppliers") == 0;

  for (char **k = keys; k && *k; k++) {
    g_autofree char *value = get_value(kf, group, *k);
    g_autofree char *name = suppliers ? g_ascii_strdown(*k, -1) : syntax_asset_norm(*k);
    IgPair *pair = NULL;

    if (suppliers && !syntax_is_domain(name)) {
      value_error(error, c, group, *k, value, "key is not a domain name");
      return FALSE;
    }
    if (!value || !syntax_is_email(value)) {
      value_error(error, c, group, *k, value, "not an email address (use local@domain)");
      return FALSE;
    }
    for (guint i = 0; i < pairs->len && !pair; i++) {
      IgPair *old = g_ptr_array_index(pairs, i);
      g_autofree char *old_name = syntax_asset_norm(old->name);
      if (g_ascii_strcasecmp(old_name, name) == 0)
        pair = old;
    }
    if (!pair)
      g_ptr_array_add(pairs, (pair = g_new0(IgPair, 1)));
    g_free(pair->name);
    g_free(pair->address);
    pair->name = suppliers ? g_steal_pointer(&name) : g_strdup(*k);
    pair->address = g_ascii_strdown(value, -1);
  }
  return TRUE;
}

static gboolean load_webhook(GKeyFile *kf, IgConfig *c, const char *group, GError **error)
{
  IgWebhook *w = g_new0(IgWebhook, 1);

  g_ptr_array_add(c->webhooks, w); /* from here on, freed with c */
  w->name = g_strdup(group + strlen("webhook."));
  if (!apply_keys(kf, c, w, group, webhook_table, G_N_ELEMENTS(webhook_table), error))
    return FALSE;
  if (!w->url) {
    value_error(error, c, group, "url", NULL, "missing: every webhook needs a url");
    return FALSE;
  }
  return TRUE;
}

/* Rejects unknown sections and keys before any value is looked at. */
static gboolean check_names(GKeyFile *kf, IgConfig *c, GError **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);

  for (char **g = groups; *g; g++) {
    gboolean hook = g_str_has_prefix(*g, "webhook.");
    const KeySpec *table = hook ? webhook_table : key_table;
    size_t n = hook ? G_N_ELEMENTS(webhook_table) : G_N_ELEMENTS(key_table);
    g_auto(GStrv) keys = NULL;

    if (strcmp(*g, "suppliers") == 0 || strcmp(*g, "assets") == 0)
      continue;
    if (hook && ((*g)[8] == '\0' || (*g)[8 + strspn(*g + 8, NAME_CHARS)] != '\0')) {
      g_set_error(error, IG_ERROR, IG_ERROR_CONFIG,
                  "%s: bad section [%s]: use [webhook.NAME], NAME of letters, digits, - and _",
                  c->path, *g);
      return FALSE;
    }
    if (!hook && !find_key(key_table, n, *g, NULL)) {
      g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s: unknown section [%s]", c->path, *g);
      return FALSE;
    }
    keys = g_key_file_get_keys(kf, *g, NULL, NULL);
    for (char **k = keys; k && *k; k++) {
      if (!find_key(table, n, hook ? NULL : *g, *k)) {
        g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s: unknown key [%s] %s", c->path, *g, *k);
        return FALSE;
      }
    }
  }
  return TRUE;
}

/* Rules that involve more than one key of an endpoint. */
static gboolean check_endpoint(IgConfig *c, const char *group, const IgEndpoint *ep,
                               GError **error)
{
  g_autofree char *host = syntax_url_host(ep->url);
  g_autofree char *why = NULL;

  /* maildir: and dir: have no host, hence no TLS to turn off. */
  if (strstr(ep->url, "://") && ep->tls == IG_TLS_NONE && !syntax_is_loopback(host)) {
    why = g_strdup_printf("only allowed when the url host is 127.0.0.1, ::1 or localhost, "
                          "not \"%s\"", host);
    value_error(error, c, group, "tls", "none", why);
    return FALSE;
  }
  if (ep->password_file && ep->oauth2_token_command) {
    /* The command's arguments may hold a client secret: not repeated. */
    g_autofree char *program = secret_command_program(ep->oauth2_token_command);
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG,
                "%s: [%s] password_file and oauth2_token_command (%s) are both set: "
                "set one, not both", c->path, group, program);
    return FALSE;
  }
  return TRUE;
}

IgConfig *config_load_data(const char *data, gsize len, const char *name, GError **error)
{
  g_autoptr(IgConfig) c = g_new0(IgConfig, 1);
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autoptr(GError) kf_error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) groups = NULL;
  IgConfig *result = NULL;

  c->path = g_strdup(name);
  c->suppliers = g_ptr_array_new_with_free_func(pair_free);
  c->assets = g_ptr_array_new_with_free_func(pair_free);
  c->webhooks = g_ptr_array_new_with_free_func(webhook_free);
  if (!(text = syntax_preprocess(data, len, name, error)))
    goto out;
  /* Lists are split by syntax_split_list(); set anyway so that any
   * GKeyFile list call agrees with it. */
  g_key_file_set_list_separator(kf, ',');
  if (!g_key_file_load_from_data(kf, text, -1, G_KEY_FILE_NONE, &kf_error)) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s: %s", name, kf_error->message);
    goto out;
  }
  if (!check_names(kf, c, error) ||
      !apply_keys(kf, c, c, NULL, key_table, G_N_ELEMENTS(key_table), error) ||
      !load_pairs(kf, c, "suppliers", c->suppliers, error) ||
      !load_pairs(kf, c, "assets", c->assets, error))
    goto out;
  if (!c->templates)
    c->templates = default_templates();
  groups = g_key_file_get_groups(kf, NULL);
  for (char **g = groups; *g; g++)
    if (g_str_has_prefix(*g, "webhook.") && !load_webhook(kf, c, *g, error))
      goto out;
  if (!check_endpoint(c, "source", &c->source, error) ||
      !check_endpoint(c, "transport", &c->transport, error))
    goto out;
  /* Anyone can write an Authentication-Results header; only the one our
   * own border MTA adds may be believed. */
  if (c->require_authentication == IG_AUTH_RESULTS && !c->trusted_authserv_id) {
    value_error(error, c, "ost", "trusted_authserv_id", NULL,
                "required when require_authentication = authentication-results");
    goto out;
  }
  /* Every incident must reach OST (policy 001): without its address the
   * gateway would record reports and tell no one, while telling reporters
   * that OST was told. */
  if (!c->ost) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s: [stakeholders] ost is missing: every"
                " incident must be sent to OST", c->path);
    goto out;
  }
  result = g_steal_pointer(&c);
out:
  return result;
}

IgConfig *config_load(const char *path, GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) read_error = NULL;
  const char *reason;
  gsize len = 0;

  if (!g_file_get_contents(path, &data, &len, &read_error)) {
    /* GLib says "Failed to open file “PATH”: REASON"; we name the file
     * ourselves, so keep only the reason. */
    reason = g_strrstr(read_error->message, ": ");
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s: cannot read: %s", path,
                reason ? reason + 2 : read_error->message);
    return NULL;
  }
  return config_load_data(data, len, path, error);
}

void config_free(IgConfig *c)
{
  if (!c)
    return;
  free_keys(key_table, G_N_ELEMENTS(key_table), c);
  g_free(c->path);
  g_clear_pointer(&c->tz, g_time_zone_unref);
  g_clear_pointer(&c->suppliers, g_ptr_array_unref);
  g_clear_pointer(&c->assets, g_ptr_array_unref);
  g_clear_pointer(&c->webhooks, g_ptr_array_unref);
  g_free(c);
}

gboolean config_database_dir_ok(const IgConfig *c, GError **error)
{
  g_autofree char *dir = g_path_get_dirname(c->database);
  if (strcmp(c->database, CONFIG_DEFAULT_DATABASE) == 0 || g_file_test(dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  value_error(error, c, "gateway", "database", c->database,
              "its directory does not exist (the gateway makes none: a mistyped path or a"
              " volume not mounted would otherwise get a new, empty store)");
  return FALSE;
}

const char *config_default_path(void)
{
  const char *env = g_getenv("INCIDENT_GATEWAY_CONFIG");

  return (env && *env) ? env : "config/gateway.conf";
}

/* config.h - the typed, validated configuration (SPEC section 3).
 *
 * config.c alone reads the INI file (GLib GKeyFile); everyone else receives
 * an IgConfig and treats it as immutable. Every key is validated on load:
 * an unknown section or key, or a bad value, fails with IG_ERROR_CONFIG and
 * a one-line message naming the file, the [section] key and the value. */
#ifndef IG_CONFIG_H
#define IG_CONFIG_H

#include <glib.h>

typedef enum { IG_TLS_REQUIRED, IG_TLS_STARTTLS, IG_TLS_NONE } IgTls;
/* [ost] require_authentication: how ost_auth.c checks an OST member's mail. */
typedef enum { IG_AUTH_DKIM, IG_AUTH_RESULTS, IG_AUTH_EXCHANGE_INTERNAL, IG_AUTH_NONE } IgAuthMode;

/* A mail server connection: [source] or [transport]. Strings may be NULL
 * when the key is absent or empty. */
typedef struct {
  char *url;                  /* maildir:PATH, dir:PATH, imap(s)://, smtp(s):// */
  char *user;
  char *password_file;        /* checked: exists and mode 0600 */
  char *oauth2_token_command;
  IgTls tls;
  char *ca_file;
} IgEndpoint;

/* A name = address pair from [suppliers] or [assets]. */
typedef struct {
  char *name;
  char *address;
} IgPair;

/* The names of pairs (IgPair*, may be NULL), NULL-terminated; the strings
 * are the pairs', the array the caller's to g_free(). */
char **config_pair_names(const GPtrArray *pairs);

typedef struct {
  char *name;        /* NAME of [webhook.NAME] */
  char *url;
  char *secret_file;
  char **events;     /* NULL-terminated: created, status_changed, overdue, ... */
} IgWebhook;

typedef struct {
  char *path;                     /* the file this was read from */

  /* [gateway] */
  char *address;                  /* our own address, lower case */
  char *database;
  char *timezone;
  GTimeZone *tz;
  char *reference_prefix;
  gint64 max_message_size;        /* bytes */
  char *templates;                /* directory of mail templates */

  /* [source] */
  IgEndpoint source;
  char *processed_folder;
  char *quarantine_folder;
  gint64 poll_interval;           /* seconds */

  /* [transport] */
  IgEndpoint transport;
  char *from;                     /* "Name <addr>" */
  int rate_limit_count;           /* acks per sender ... */
  gint64 rate_limit_window;       /* ... per this many seconds */
  int rate_limit_total_count;     /* acks to anyone ... */
  gint64 rate_limit_total_window; /* ... per this many seconds */

  /* [stakeholders]; lists are NULL-terminated, possibly empty */
  char *ost, *dacu, *siro, *accreditor;
  char **managers;
  char **helpdesk_domains;

  /* [ost] */
  char **ost_members;
  IgAuthMode require_authentication;
  char *trusted_authserv_id;

  GPtrArray *suppliers;           /* IgPair*: supplier domain -> contract owner */
  GPtrArray *assets;              /* IgPair*: information asset -> IAO */

  /* [deadlines]; durations in seconds */
  gint64 report_within;
  gint64 form_reminder_after;
  gint64 form_reminder_repeat;
  int form_reminder_max;
  gint64 triage_within_high, triage_within_medium, triage_within_low;
  gint64 management_report_within;

  /* [digest] */
  int digest_hour, digest_minute;

  GPtrArray *webhooks;            /* IgWebhook* */
} IgConfig;

/* Reads and validates the file at path. Caller frees with config_free(). */
IgConfig *config_load(const char *path, GError **error);

/* Same, from text in memory; name is used in error messages. */
IgConfig *config_load_data(const char *data, gsize len, const char *name,
                           GError **error);

void config_free(IgConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgConfig, config_free)

/* [gateway] database when not given, as in the embedded default
 * config/gateway.conf: the one store whose directory is made for it. */
#define CONFIG_DEFAULT_DATABASE "var/gateway.db"

/* Whether a SQLite store's directory is there (or is the default's, made
 * on first use); else FALSE with a configuration error naming it. */
gboolean config_database_dir_ok(const IgConfig *config, GError **error);

/* The path to use when no -c is given: $INCIDENT_GATEWAY_CONFIG, else
 * config/gateway.conf. Static string or environment; do not free. */
const char *config_default_path(void);

/* Lookups; return borrowed strings or NULL. Matching is case-insensitive;
 * a supplier domain also matches its subdomains. */
const char *config_supplier_owner(const IgConfig *config, const char *domain);
const char *config_asset_owner(const IgConfig *config, const char *asset);
gboolean config_is_helpdesk_domain(const IgConfig *config, const char *domain);
gboolean config_is_ost_member(const IgConfig *config, const char *address);

/* The require_authentication value that names mode ("dkim", ...); static. */
const char *config_auth_mode_name(IgAuthMode mode);

/* Parsers for value syntaxes, exposed for tests: "90s", "60m", "2h",
 * "10d" (a bare number is seconds); "25MB", "512KB", "1GB", bytes. */
gboolean config_parse_duration(const char *text, gint64 *seconds);
gboolean config_parse_size(const char *text, gint64 *bytes);

#endif

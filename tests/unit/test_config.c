/* test_config.c - unit tests for gateway/config.c: the shipped files load,
 * every value syntax is accepted and refused as documented, errors name
 * file, key and value on one line, and the lookups match as promised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "gateway/config.h"
#include "gateway/error.h"

/* As config.c sees it: CMake defines it for every target. */
#ifndef IG_TEMPLATE_DIR
#define IG_TEMPLATE_DIR "templates"
#endif

/* Loads text expecting success. The one key without which no config
 * loads, [stakeholders] ost, comes first, after a byte order mark if the
 * text starts with one (text may set it again). */
static IgConfig *load(const char *text)
{
  g_autoptr(GError) error = NULL;
  gsize bom = g_str_has_prefix(text, "\xEF\xBB\xBF") ? 3 : 0;
  g_autofree char *full = g_strdup_printf("%.*s[stakeholders]\nost = ost@justice.gov.uk\n%s",
                                          (int)bom, text, text + bom);
  IgConfig *c = config_load_data(full, strlen(full), "x.conf", &error);

  if (!c)
    print_error("unexpected error: %s\n", error->message);
  assert_non_null(c);
  assert_null(error);
  return c;
}

/* Loads text expecting failure; the message must be one line containing
 * every needle. */
static void expect_error(const char *text, ...)
{
  g_autoptr(GError) error = NULL;
  IgConfig *c = config_load_data(text, strlen(text), "x.conf", &error);
  va_list ap;

  assert_null(c);
  assert_non_null(error);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_CONFIG));
  assert_int_equal(ig_error_exit_code(error), 2);
  assert_null(strchr(error->message, '\n'));
  assert_true(g_str_has_prefix(error->message, "x.conf"));
  va_start(ap, text);
  for (const char *needle; (needle = va_arg(ap, const char *));) {
    if (!strstr(error->message, needle))
      print_error("\"%s\" not in \"%s\"\n", needle, error->message);
    assert_non_null(strstr(error->message, needle));
  }
  va_end(ap);
}

static char *source_path(const char *rel)
{
  const char *dir = g_getenv("IG_SOURCE_DIR");

  return g_build_filename(dir && *dir ? dir : ".", rel, NULL);
}

static void test_embedded_default(void **state)
{
  g_autofree char *path = source_path("config/gateway.conf");
  g_autoptr(GError) error = NULL;
  g_autoptr(IgConfig) c = config_load(path, &error);

  assert_null(error);
  assert_non_null(c);
  assert_string_equal(c->path, path);
  assert_string_equal(c->address, "security@justice.gov.uk");
  assert_string_equal(c->database, "var/gateway.db");
  assert_string_equal(c->timezone, "Europe/London");
  assert_non_null(c->tz);
  assert_string_equal(c->reference_prefix, "INC");
  assert_int_equal(c->max_message_size, 25 * 1024 * 1024);
  assert_string_equal(c->source.url, "maildir:var/mail");
  assert_null(c->source.password_file);
  assert_int_equal(c->source.tls, IG_TLS_REQUIRED);
  assert_string_equal(c->processed_folder, "Processed");
  assert_string_equal(c->quarantine_folder, "Quarantine");
  assert_int_equal(c->poll_interval, 60);
  assert_string_equal(c->transport.url, "dir:var/outbox");
  assert_string_equal(c->from, "IT Security Incidents <security@justice.gov.uk>");
  assert_int_equal(c->rate_limit_count, 10);
  assert_int_equal(c->rate_limit_window, 3600);
  assert_int_equal(c->rate_limit_total_count, 200);
  assert_int_equal(c->rate_limit_total_window, 3600);
  assert_string_equal(c->ost, "ost@justice.gov.uk");
  assert_string_equal(c->dacu, "data.compliance@justice.gov.uk");
  assert_string_equal(c->siro, "siro@justice.gov.uk");
  assert_string_equal(c->accreditor, "accreditation@justice.gov.uk");
  assert_int_equal(g_strv_length(c->managers), 2);
  assert_string_equal(c->managers[1], "b@justice.gov.uk");
  assert_true(config_is_helpdesk_domain(c, "servicedesk.justice.gov.uk"));
  assert_true(config_is_ost_member(c, "alice@justice.gov.uk"));
  assert_true(config_is_ost_member(c, "Bob@Justice.gov.uk"));
  assert_false(config_is_ost_member(c, "mallory@justice.gov.uk"));
  assert_int_equal(c->require_authentication, IG_AUTH_DKIM);
  assert_string_equal(c->trusted_authserv_id, "mx.justice.gov.uk");
  assert_string_equal(config_supplier_owner(c, "example-supplier.co.uk"),
                      "contracts@justice.gov.uk");
  assert_string_equal(config_asset_owner(c, "Prison NOMIS"), "nomis.iao@justice.gov.uk");
  assert_int_equal(c->report_within, 3600);
  assert_int_equal(c->form_reminder_after, 7200);
  assert_int_equal(c->form_reminder_repeat, 86400);
  assert_int_equal(c->form_reminder_max, 3);
  assert_int_equal(c->triage_within_high, 3600);
  assert_int_equal(c->triage_within_medium, 4 * 3600);
  assert_int_equal(c->triage_within_low, 24 * 3600);
  assert_int_equal(c->management_report_within, 10 * 86400);
  assert_int_equal(c->digest_hour, 8);
  assert_int_equal(c->digest_minute, 0);
  assert_int_equal(c->webhooks->len, 0);
}

static void test_example_loads(void **state)
{
  g_autofree char *path = source_path("config/gateway.conf.example");
  g_autoptr(GError) error = NULL;
  g_autoptr(IgConfig) c = config_load(path, &error);

  if (error)
    print_error("%s\n", error->message);
  assert_non_null(c);
  assert_null(c->source.ca_file); /* "ca_file =" is unset */
  assert_int_equal(c->webhooks->len, 0);
}

/* Nothing configured: every key takes its documented default. */
/* OST must hear of every incident: a configuration without its address
 * is refused, not run telling no one. */
static void test_ost_required(void **state)
{
  (void)state;
  expect_error("", "x.conf: [stakeholders] ost is missing: every incident must be sent to OST",
               NULL);
  expect_error("[stakeholders]\nost =\n", "[stakeholders] ost is missing", NULL);
  expect_error("[stakeholders]\ndacu = d@justice.gov.uk\n", "[stakeholders] ost is missing",
               NULL);
}

static void test_defaults(void **state)
{
  g_autoptr(IgConfig) c = load("");

  assert_string_equal(c->address, "security@justice.gov.uk");
  assert_string_equal(c->database, "var/gateway.db");
  assert_string_equal(c->timezone, "Europe/London");
  assert_string_equal(c->templates, IG_TEMPLATE_DIR);
  assert_string_equal(c->source.url, "maildir:var/mail");
  assert_string_equal(c->transport.url, "dir:var/outbox");
  assert_string_equal(c->from, "IT Security Incidents <security@justice.gov.uk>");
  assert_null(c->trusted_authserv_id);
  assert_non_null(c->managers);
  assert_null(c->managers[0]);
  assert_non_null(c->ost_members);
  assert_null(c->ost_members[0]);
  assert_non_null(c->helpdesk_domains);
  assert_int_equal(c->suppliers->len, 0);
  assert_null(config_supplier_owner(c, "example-supplier.co.uk"));
  assert_int_equal(c->poll_interval, 60);
  assert_int_equal(c->max_message_size, 25 * 1024 * 1024);
  assert_int_equal(c->digest_hour, 8);
}

static void test_parse_duration(void **state)
{
  static const struct { const char *text; gint64 secs; } good[] = {
    {"90s", 90}, {"60m", 3600}, {"2h", 7200}, {"10d", 864000}, {"45", 45},
    {"2H", 7200}, {"5 m", 300}, {"0s", 0},
  };
  static const char *const bad[] = {"", "sixty", "60x", "-5m", "1.5h", "m", "60mm",
                                     " 60m", "99999999999999999999s", "9223372036854775807d"};
  gint64 n;

  for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
    n = -1;
    assert_true(config_parse_duration(good[i].text, &n));
    assert_int_equal(n, good[i].secs);
  }
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
    assert_false(config_parse_duration(bad[i], &n));
  assert_false(config_parse_duration(NULL, &n));
}

static void test_parse_size(void **state)
{
  static const struct { const char *text; gint64 bytes; } good[] = {
    {"25MB", 25 << 20}, {"512KB", 512 << 10}, {"1GB", 1 << 30}, {"1000", 1000},
    {"1000b", 1000}, {"25mb", 25 << 20}, {"25M", 25 << 20}, {"4 KiB", 4096},
  };
  static const char *const bad[] = {"", "MB", "25TB", "25 MBs", "-1", "2.5MB", "x"};
  gint64 n;

  for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
    n = -1;
    assert_true(config_parse_size(good[i].text, &n));
    assert_int_equal(n, good[i].bytes);
  }
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
    assert_false(config_parse_size(bad[i], &n));
}

static void test_value_errors_name_file_key_value(void **state)
{
  g_autoptr(GError) error = NULL;
  const char *text = "[deadlines]\nreport_within = sixty\n";
  IgConfig *c = config_load_data(text, strlen(text), "config/gateway.conf", &error);

  assert_null(c);
  assert_string_equal(error->message,
                      "config/gateway.conf: [deadlines] report_within = \"sixty\": "
                      "not a duration (use 90s, 60m, 2h or 10d)");
  expect_error("[deadlines]\ntriage_within_high = 0\n", "triage_within_high", "\"0\"",
               "greater than zero", NULL);
  expect_error("[source]\npoll_interval = 0s\n", "poll_interval", NULL);
  expect_error("[deadlines]\nform_reminder_max = -1\n", "form_reminder_max", "\"-1\"", NULL);
  expect_error("[gateway]\nmax_message_size = 25TB\n", "max_message_size", "\"25TB\"",
               "not a size", NULL);
  expect_error("[gateway]\nmax_message_size = 0\n", "max_message_size", NULL);
  expect_error("[gateway]\ntimezone = Europe/Londn\n", "[gateway] timezone", "Europe/Londn",
               "not a time zone", NULL);
  expect_error("[gateway]\nreference_prefix = inc\n", "reference_prefix", "\"inc\"", NULL);
  expect_error("[gateway]\nreference_prefix = ABCDEFGHIJK\n", "reference_prefix", NULL);
  expect_error("[digest]\ndaily_at = 24:00\n", "[digest] daily_at", "\"24:00\"", NULL);
  expect_error("[digest]\ndaily_at = 08:60\n", "daily_at", NULL);
  expect_error("[digest]\ndaily_at = 8am\n", "daily_at", NULL);
  expect_error("[ost]\nrequire_authentication = spf\n", "require_authentication", "\"spf\"",
               "dkim, authentication-results, exchange-internal, none", NULL);
  expect_error("[ost]\nrequire_authentication = authentication-results\n",
               "trusted_authserv_id", "required", NULL);
}

static void test_good_values(void **state)
{
  g_autoptr(IgConfig) c = load("[gateway]\n"
                               "address = Security@Justice.GOV.UK\n"
                               "timezone = UTC\n"
                               "reference_prefix = SEC2\n"
                               "max_message_size = 512KB\n"
                               "[deadlines]\n"
                               "form_reminder_max = 0\n"
                               "report_within = 90\n"
                               "[digest]\n"
                               "daily_at = 7:05\n"
                               "[transport]\n"
                               "rate_limit_per_sender = 20/30m\n"
                               "from = alerts@Justice.gov.uk\n"
                               "[ost]\n"
                               "require_authentication = authentication-results\n"
                               "trusted_authserv_id = mx.justice.gov.uk\n");

  assert_string_equal(c->address, "security@justice.gov.uk");
  assert_string_equal(c->timezone, "UTC");
  assert_string_equal(c->reference_prefix, "SEC2");
  assert_int_equal(c->max_message_size, 512 * 1024);
  assert_int_equal(c->form_reminder_max, 0);
  assert_int_equal(c->report_within, 90);
  assert_int_equal(c->digest_hour, 7);
  assert_int_equal(c->digest_minute, 5);
  assert_int_equal(c->rate_limit_count, 20);
  assert_int_equal(c->rate_limit_window, 1800);
  assert_string_equal(c->from, "alerts@justice.gov.uk");
  assert_int_equal(c->require_authentication, IG_AUTH_RESULTS);

  g_autoptr(IgConfig) exchange = load("[ost]\nrequire_authentication = exchange-internal\n");
  assert_int_equal(exchange->require_authentication, IG_AUTH_EXCHANGE_INTERNAL);
}

static void test_rates(void **state)
{
  static const struct { const char *text; int count; gint64 window; } good[] = {
    {"10/h", 10, 3600}, {"5/m", 5, 60}, {"100/d", 100, 86400}, {"20/30m", 20, 1800},
    {"3 / 2h", 3, 7200},
  };
  static const char *const bad[] = {"10", "/h", "0/h", "ten/h", "10/x", "10/0m", "10/h/2"};

  for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
    g_autofree char *text = g_strdup_printf("[transport]\nrate_limit_per_sender = %s\n",
                                            good[i].text);
    g_autoptr(IgConfig) c = load(text);
    assert_int_equal(c->rate_limit_count, good[i].count);
    assert_int_equal(c->rate_limit_window, good[i].window);
    g_autofree char *total = g_strdup_printf("[transport]\nrate_limit_total = %s\n",
                                             good[i].text);
    g_autoptr(IgConfig) t = load(total);
    assert_int_equal(t->rate_limit_total_count, good[i].count);
    assert_int_equal(t->rate_limit_total_window, good[i].window);
    assert_int_equal(t->rate_limit_window, 3600);
  }
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *quoted = g_strdup_printf("\"%s\"", bad[i]);
    static const char *const keys[] = { "rate_limit_per_sender", "rate_limit_total" };
    for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
      g_autofree char *text = g_strdup_printf("[transport]\n%s = %s\n", keys[k], bad[i]);
      g_autofree char *where = g_strdup_printf("[transport] %s", keys[k]);
      expect_error(text, where, quoted, "not a rate", NULL);
    }
  }
}

static void test_tls_none_only_on_loopback(void **state)
{
  static const char *const loopback[] = {
    "[source]\nurl = imap://127.0.0.1:143/INBOX\ntls = none\n",
    "[source]\nurl = imap://user@localhost/INBOX\ntls = none\n",
    "[transport]\nurl = smtp://[::1]:25\ntls = none\n",
    "[transport]\nurl = dir:var/outbox\ntls = none\n", /* no network: tls ignored */
  };

  for (size_t i = 0; i < G_N_ELEMENTS(loopback); i++) {
    g_autoptr(IgConfig) c = load(loopback[i]);
    assert_true(c->source.tls == IG_TLS_NONE || c->transport.tls == IG_TLS_NONE);
  }
  expect_error("[source]\nurl = imaps://mail.justice.gov.uk/INBOX\ntls = none\n",
               "[source] tls = \"none\"", "mail.justice.gov.uk", NULL);
  expect_error("[transport]\nurl = smtp://127.0.0.2.evil.example:25\ntls = none\n",
               "[transport] tls", NULL);
  expect_error("[source]\ntls = maybe\n", "[source] tls = \"maybe\"",
               "required, starttls, none", NULL);
}

static void test_urls(void **state)
{
  g_autoptr(IgConfig) c = load("[source]\n"
                               "url = imap://mail.justice.gov.uk:143/INBOX;STARTTLS\n"
                               "tls = starttls\n"
                               "[transport]\n"
                               "url = smtps://smtp.justice.gov.uk:465\n");

  assert_string_equal(c->source.url, "imap://mail.justice.gov.uk:143/INBOX;STARTTLS");
  assert_int_equal(c->source.tls, IG_TLS_STARTTLS);
  expect_error("[source]\nurl = pop3://mail.justice.gov.uk\n", "[source] url",
               "pop3://mail.justice.gov.uk", NULL);
  expect_error("[source]\nurl = dir:var/outbox\n", "[source] url", NULL);
  expect_error("[source]\nurl = maildir:\n", "[source] url", "needs a path", NULL);
  expect_error("[source]\nurl = imaps:///INBOX\n", "[source] url", "no host", NULL);
  expect_error("[transport]\nurl = maildir:var/mail\n", "[transport] url", NULL);
  expect_error("[transport]\nurl = dir:\n", "[transport] url", NULL);
  expect_error("[source]\nca_file = /nonexistent/ca.pem\n", "[source] ca_file",
               "/nonexistent/ca.pem", NULL);

  /* Schemes are case-insensitive; they are kept in lower case, the rest
   * as written, so the source and transport they name are the ones used. */
  g_autoptr(IgConfig) upper = load("[source]\nurl = IMAPS://Mail.Justice.gov.uk/INBOX\n"
                                   "[transport]\nurl = Dir:var/Outbox\n"
                                   "[webhook.siem]\nurl = HTTPS://siem.example.com/Hook\n");
  assert_string_equal(upper->source.url, "imaps://Mail.Justice.gov.uk/INBOX");
  assert_string_equal(upper->transport.url, "dir:var/Outbox");
  assert_string_equal(((IgWebhook *)g_ptr_array_index(upper->webhooks, 0))->url,
                      "https://siem.example.com/Hook");
}

static void test_addresses(void **state)
{
  g_autoptr(IgConfig) c = load("[stakeholders]\n"
                               "ost = OST@Justice.gov.uk\n"
                               "managers = A@justice.gov.uk , b@justice.gov.uk,,\n"
                               "helpdesk_domains = ServiceDesk.justice.gov.uk\n"
                               "[transport]\n"
                               "from = \"Security, IT\" <Sec@Justice.gov.uk>\n"
                               "[gateway]\n"
                               "address = root@localhost\n");

  assert_string_equal(c->ost, "ost@justice.gov.uk");
  assert_int_equal(g_strv_length(c->managers), 2);
  assert_string_equal(c->managers[0], "a@justice.gov.uk");
  assert_string_equal(c->helpdesk_domains[0], "servicedesk.justice.gov.uk");
  assert_true(config_is_helpdesk_domain(c, "SERVICEDESK.justice.gov.uk"));
  assert_true(config_is_helpdesk_domain(c, "agent@servicedesk.justice.gov.uk"));
  assert_false(config_is_helpdesk_domain(c, "justice.gov.uk"));
  assert_string_equal(c->from, "\"Security, IT\" <sec@justice.gov.uk>");

  expect_error("[stakeholders]\nost = ost at justice.gov.uk\n",
               "[stakeholders] ost = \"ost at justice.gov.uk\"", "not an email address", NULL);
  expect_error("[stakeholders]\ndacu = dacu@justice\n", "dacu", NULL);
  expect_error("[stakeholders]\nsiro = a@b@justice.gov.uk\n", "siro", NULL);
  expect_error("[stakeholders]\naccreditor = @justice.gov.uk\n", "accreditor", NULL);
  expect_error("[stakeholders]\nmanagers = a@justice.gov.uk, bob\n", "[stakeholders] managers",
               "\"bob\" is not an email address", NULL);
  expect_error("[stakeholders]\nhelpdesk_domains = service desk\n", "helpdesk_domains",
               "not a domain", NULL);
  expect_error("[ost]\nmembers = alice@justice..gov.uk\n", "[ost] members", NULL);
  expect_error("[transport]\nfrom = IT Security <security@justice.gov.uk\n", "[transport] from",
               NULL);
  expect_error("[transport]\nfrom = IT Security <nobody>\n", "[transport] from", NULL);
}

static void test_unknown_names(void **state)
{
  g_autoptr(GError) error = NULL;
  const char *section = "[gatewy]\n", *key = "[gateway]\nadress = a@b.cc\n";
  IgConfig *c = config_load_data(section, strlen(section), "x.conf", &error);

  assert_null(c);
  assert_string_equal(error->message, "x.conf: unknown section [gatewy]");
  g_clear_error(&error);
  c = config_load_data(key, strlen(key), "x.conf", &error);
  assert_null(c);
  assert_string_equal(error->message, "x.conf: unknown key [gateway] adress");
  expect_error("[webhook]\nurl = https://a.example/\n", "unknown section [webhook]", NULL);
  expect_error("[webhook.]\nurl = https://a.example/\n", "[webhook.]", NULL);
  expect_error("[webhook.a b]\nurl = https://a.example/\n", "[webhook.a b]", NULL);
  expect_error("[webhook.siem]\nurl = https://a.example/\nsecret = x\n",
               "unknown key [webhook.siem] secret", NULL);
  expect_error("[source]\nfrom = a@b.cc\n", "unknown key [source] from", NULL);
  expect_error("[suppliers]\nnot_a_domain = a@justice.gov.uk\n", "[suppliers] not_a_domain",
               NULL);
  expect_error("[assets]\nNOMIS = nobody\n", "[assets] NOMIS = \"nobody\"", NULL);
  expect_error("[gateway]\naddress[en] = a@b.cc\n", "x.conf:2:", NULL);
}

static void test_webhooks(void **state)
{
  g_autoptr(IgConfig) c = load("[webhook.siem]\n"
                               "url = https://siem.example.com/hook\n"
                               "events = created, closed\n"
                               "[webhook.local-relay]\n"
                               "url = http://127.0.0.1:8080/hook\n");
  const IgWebhook *w;

  assert_int_equal(c->webhooks->len, 2);
  w = g_ptr_array_index(c->webhooks, 0);
  assert_string_equal(w->name, "siem");
  assert_int_equal(g_strv_length(w->events), 2);
  assert_string_equal(w->events[1], "closed");
  assert_null(w->secret_file);
  w = g_ptr_array_index(c->webhooks, 1);
  assert_string_equal(w->name, "local-relay");
  assert_int_equal(g_strv_length(w->events), 6); /* default: all */

  expect_error("[webhook.siem]\nurl = http://siem.example.com/hook\n",
               "[webhook.siem] url = \"http://siem.example.com/hook\"", "https", NULL);
  expect_error("[webhook.siem]\nurl = ftp://siem.example.com/\n", "[webhook.siem] url", NULL);
  expect_error("[webhook.siem]\nevents = created\n", "[webhook.siem] url", "missing", NULL);
  expect_error("[webhook.siem]\nurl = https://a.example/\nevents = created, deleted\n",
               "[webhook.siem] events", "\"deleted\"", NULL);
  expect_error("[webhook.siem]\nurl = https://a.example/\nsecret_file = /nonexistent/s\n",
               "secret_file", NULL);
}

static char *temp_file(int mode)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp("test_config-XXXXXX", &path, &error);

  assert_true(fd >= 0);
  assert_true(g_close(fd, NULL));
  assert_int_equal(g_chmod(path, mode), 0);
  return path;
}

static void test_password_file_mode(void **state)
{
  g_autofree char *loose = temp_file(0644);
  g_autofree char *tight = temp_file(0600);
  g_autofree char *bad = g_strdup_printf("[source]\nurl = imaps://mail.justice.gov.uk/INBOX\n"
                                         "password_file = %s\n", loose);
  g_autofree char *good = g_strdup_printf("[transport]\nurl = smtps://smtp.justice.gov.uk\n"
                                          "password_file = %s\n", tight);
  g_autofree char *both = g_strdup_printf("[transport]\npassword_file = %s\n"
                                          "oauth2_token_command = /opt/bin/tok --secret S3CR3T\n",
                                          tight);
  g_autofree char *hook = g_strdup_printf("[webhook.a]\nurl = https://a.example/\n"
                                          "secret_file = %s\n", loose);
  g_autoptr(IgConfig) c = load(good);

  assert_string_equal(c->transport.password_file, tight);
  expect_error(bad, "[source] password_file", loose, "0644", "0600", NULL);
  expect_error("[source]\npassword_file = /nonexistent/imap.pass\n", "password_file",
               "/nonexistent/imap.pass", "No such file", NULL);
  expect_error(both, "oauth2_token_command (tok)", "not both", NULL);
  /* the command's arguments may hold a client secret: never repeated */
  g_autoptr(GError) error = NULL;
  assert_null(config_load_data(both, strlen(both), "x.conf", &error));
  assert_null(strstr(error->message, "S3CR3T"));
  expect_error(hook, "[webhook.a] secret_file", "0644", NULL);
  assert_int_equal(g_unlink(loose), 0);
  assert_int_equal(g_unlink(tight), 0);
}

static void test_comments(void **state)
{
  g_autoptr(IgConfig) c = load("; a comment line\n"
                               "   ; an indented one\n"
                               "# a hash comment\n"
                               "[gateway]     ; our own\n"
                               "address = security@justice.gov.uk      ; our own address\n"
                               "reference_prefix = SEC\t; tab before\n"
                               "[source]\n"
                               "url = imap://127.0.0.1;STARTTLS   # note\n"
                               "ca_file =      ; extra CA bundle\n"
                               "user = sec;urity\n"
                               "processed_folder=Done#1\n"
                               "[stakeholders]\r\n"
                               "ost = ost@justice.gov.uk ;crlf\r\n");

  assert_string_equal(c->address, "security@justice.gov.uk");
  assert_string_equal(c->reference_prefix, "SEC");
  assert_string_equal(c->source.url, "imap://127.0.0.1;STARTTLS");
  assert_null(c->source.ca_file);
  assert_string_equal(c->source.user, "sec;urity");
  assert_string_equal(c->processed_folder, "Done#1");
  assert_string_equal(c->ost, "ost@justice.gov.uk");

  /* Lines are counted with comments, so line numbers match the file. */
  expect_error("; one\n; two\n[gateway]\nthis is not a setting\n", "x.conf:4:",
               "this is not a setting", NULL);
  expect_error("address = a@b.cc\n", "x.conf:1:", "[section]", NULL);
  expect_error("[gateway\n", "x.conf:1:", "section header", NULL);
  expect_error("[gateway] x\n", "x.conf:1:", NULL);
  expect_error("[gateway]\n = nokey\n", "x.conf:2:", NULL);
  expect_error("[gateway]\ndatabase = \xff\n", "x.conf:2:", "UTF-8", NULL);
  {
    g_autoptr(IgConfig) bom = load("\xEF\xBB\xBF[gateway]\ndatabase = bom.db\n");
    assert_string_equal(bom->database, "bom.db");
  }
}

static void test_lookups(void **state)
{
  g_autoptr(IgConfig) c = load("[suppliers]\n"
                               "Example-Supplier.co.uk = contracts@justice.gov.uk\n"
                               "eu.example-supplier.co.uk = eu.contracts@justice.gov.uk\n"
                               "other.com = other@justice.gov.uk\n"
                               "[assets]\n"
                               "Prison NOMIS = nomis.iao@justice.gov.uk\n"
                               "Court   Store = Court.IAO@justice.gov.uk\n");

  assert_string_equal(config_supplier_owner(c, "example-supplier.co.uk"),
                      "contracts@justice.gov.uk");
  assert_string_equal(config_supplier_owner(c, "mail.example-supplier.co.uk"),
                      "contracts@justice.gov.uk");
  assert_string_equal(config_supplier_owner(c, "MAIL.Example-Supplier.CO.UK"),
                      "contracts@justice.gov.uk");
  assert_string_equal(config_supplier_owner(c, "mx.eu.example-supplier.co.uk"),
                      "eu.contracts@justice.gov.uk");
  assert_string_equal(config_supplier_owner(c, "bob@other.com"), "other@justice.gov.uk");
  assert_null(config_supplier_owner(c, "evil-example-supplier.co.uk"));
  assert_null(config_supplier_owner(c, "co.uk"));
  assert_null(config_supplier_owner(c, NULL));
  assert_string_equal(config_asset_owner(c, "prison nomis"), "nomis.iao@justice.gov.uk");
  assert_string_equal(config_asset_owner(c, "  PRISON \t NOMIS "), "nomis.iao@justice.gov.uk");
  assert_string_equal(config_asset_owner(c, "court store"), "court.iao@justice.gov.uk");
  assert_null(config_asset_owner(c, "Prison"));
  assert_null(config_asset_owner(c, NULL));
  assert_false(config_is_ost_member(c, "alice@justice.gov.uk"));
}

static void test_duplicates_last_wins(void **state)
{
  g_autoptr(IgConfig) c = load("[gateway]\n"
                               "database = first.db\n"
                               "database = second.db\n"
                               "[assets]\n"
                               "Prison NOMIS = first@justice.gov.uk\n"
                               "prison nomis = second@justice.gov.uk\n");

  assert_string_equal(c->database, "second.db");
  assert_int_equal(c->assets->len, 1);
  assert_string_equal(config_asset_owner(c, "Prison NOMIS"), "second@justice.gov.uk");
}

static void test_load_file_errors(void **state)
{
  g_autoptr(GError) error = NULL;

  assert_null(config_load("config/x.conf-does-not-exist", &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_CONFIG));
  assert_string_equal(error->message,
                      "config/x.conf-does-not-exist: cannot read: No such file or directory");
}

static void test_default_path(void **state)
{
  g_autofree char *saved = g_strdup(g_getenv("INCIDENT_GATEWAY_CONFIG"));

  assert_true(g_setenv("INCIDENT_GATEWAY_CONFIG", "/etc/ig.conf", TRUE));
  assert_string_equal(config_default_path(), "/etc/ig.conf");
  assert_true(g_setenv("INCIDENT_GATEWAY_CONFIG", "", TRUE));
  assert_string_equal(config_default_path(), "config/gateway.conf");
  g_unsetenv("INCIDENT_GATEWAY_CONFIG");
  assert_string_equal(config_default_path(), "config/gateway.conf");
  if (saved)
    g_setenv("INCIDENT_GATEWAY_CONFIG", saved, TRUE);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_embedded_default),
    cmocka_unit_test(test_example_loads),
    cmocka_unit_test(test_ost_required),
    cmocka_unit_test(test_defaults),
    cmocka_unit_test(test_parse_duration),
    cmocka_unit_test(test_parse_size),
    cmocka_unit_test(test_value_errors_name_file_key_value),
    cmocka_unit_test(test_good_values),
    cmocka_unit_test(test_rates),
    cmocka_unit_test(test_tls_none_only_on_loopback),
    cmocka_unit_test(test_urls),
    cmocka_unit_test(test_addresses),
    cmocka_unit_test(test_unknown_names),
    cmocka_unit_test(test_webhooks),
    cmocka_unit_test(test_password_file_mode),
    cmocka_unit_test(test_comments),
    cmocka_unit_test(test_lookups),
    cmocka_unit_test(test_duplicates_last_wins),
    cmocka_unit_test(test_load_file_errors),
    cmocka_unit_test(test_default_path),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}

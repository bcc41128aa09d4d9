/* commands.c - what each subcommand does, on top of service and store. */
#include "gateway/commands.h"
#include "gateway/commands_shared.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gateway/case_record.h"
#include "gateway/config.h"
#include "gateway/digest.h"
#include "gateway/error.h"
#include "gateway/export.h"
#include "parsers/hash.h"
#include "gateway/listing.h"
#include "gateway/log.h"
#include "gateway/records.h"
#include "gateway/render_json.h"
#include "gateway/render_observables.h"
#include "gateway/render_text.h"
#include "gateway/service.h"
#include "gateway/status.h"
#include "gateway/source.h"
#include "gateway/store.h"
#include "gateway/template.h"

/* The line between the text and the HTML part of `digest --print`. */
#define DIGEST_HTML_LINE "-----8<----- text/html -----8<-----"

IgConfig *cli_load_config(const IgCli *cli, GError **error)
{
  return config_load(cli->config_path, error);
}

/* --now, when given: ISO-8601; without a zone it is local time in the
 * configured zone. */
static GDateTime *parse_now(const IgCli *cli, const IgConfig *config, GError **error)
{
  GDateTime *t = g_date_time_new_from_iso8601(cli->now, config->tz);
  if (!t)
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
                "--now \"%s\": not an ISO-8601 time (e.g. 2026-11-22T14:40:00Z)", cli->now);
  return t;
}

/* Takes config, and frees it on failure. */
IgService *cli_open_config(const IgCli *cli, IgConfig *config, IgServiceOpen open,
                           GError **error)
{
  g_autoptr(GDateTime) now = NULL;
  if (cli->now && !(now = parse_now(cli, config, error))) {
    config_free(config);
    return NULL;
  }
  return service_new(config, now, open, error);
}

static IgService *open_service(const IgCli *cli, IgServiceOpen open, GError **error)
{
  IgConfig *config = cli_load_config(cli, error);
  return config ? cli_open_config(cli, config, open, error) : NULL;
}

static IgService *open_records(const IgCli *cli, GError **error)
{
  return open_service(cli, IG_OPEN_RECORDS, error);
}

static gboolean no_args(const IgCli *cli, const char *command, GError **error)
{
  if (cli->args && cli->args[0]) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "%s: unexpected argument \"%s\"", command,
                cli->args[0]);
    return FALSE;
  }
  return TRUE;
}

static gboolean cmd_check_config(const IgCli *cli, GError **error)
{
  if (!no_args(cli, "check-config", error))
    return FALSE;
  g_autoptr(IgConfig) config = cli_load_config(cli, error);
  if (!config)
    return FALSE;
  g_autoptr(IgTemplates) templates = templates_new(config->templates);
  if ((!store_database_is_pg(config->database) && !config_database_dir_ok(config, error)) ||
      !templates_check(templates, error))
    return FALSE;
  if (cli->connect) {
    g_autofree char *path = g_strdup(config->path);
    IgConfig *owned = g_steal_pointer(&config);
    g_autoptr(IgService) service = service_new(owned, NULL, IG_OPEN_SOURCE, error);
    if (!service || !service_check_connections(service, error))
      return FALSE;
    printf("%s: OK, source and transport reachable and logged in\n", path);
    return TRUE;
  }
  printf("%s: OK\n", config->path);
  return TRUE;
}

/* Messages are read, recorded and freed a batch at a time, so memory
 * stays flat however many files are given. */
#define INGEST_BATCH 64

/* One input of ingest: a file, or stdin for "-"; bounded (source.h). */
static GBytes *read_input(const char *name, gint64 max_size, gint64 *size, GError **error)
{
  gboolean is_stdin = strcmp(name, "-") == 0;
  int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "%s", g_strerror(errno));
    return NULL;
  }
  GBytes *raw = source_read_message(fd, max_size, size, error);
  if (!is_stdin)
    close(fd);
  return raw;
}

/* Prints what became of each item and frees it; counts the failures. */
static void report_items(IgIntakeItem *items, gsize m, gboolean ok, guint *failed)
{
  for (gsize i = 0; i < m; i++) {
    IgIntakeItem *it = &items[i];
    if (ok && it->outcome == IG_INTAKE_FAILED) {
      fprintf(stderr, "%s: not recorded: %s\n", it->name, it->error);
      (*failed)++;
    } else if (ok) {
      printf("%s: %s%s%s%s%s\n", it->name, intake_outcome_name(it->outcome),
             it->reference ? " " : "", it->reference ? it->reference : "",
             it->kind ? " " : "", it->kind ? it->kind : "");
    }
    g_bytes_unref(it->raw);
    intake_item_clear(it);
  }
}

/* Exit 75 when the store failed in a way that may pass: the MTA keeps the
 * mail and tries again. */
static gboolean tempfail(GError **error)
{
  if (error && g_error_matches(*error, IG_ERROR, IG_ERROR_TRANSIENT))
    (*error)->code = IG_ERROR_TEMPFAIL;
  return FALSE;
}

static gboolean cmd_ingest(const IgCli *cli, GError **error)
{
  g_autoptr(IgService) service = open_service(cli, IG_OPEN_SEND, error);
  if (!service)
    return tempfail(error);
  gint64 max_size = service_config(service)->max_message_size;
  gboolean from_stdin = !cli->args || !cli->args[0];
  gsize n = from_stdin ? 1 : g_strv_length(cli->args);
  IgIntakeItem items[INGEST_BATCH];
  guint unreadable = 0, failed = 0;
  gboolean ok = TRUE;
  for (gsize i = 0; ok && i < n;) {
    gsize m = 0, bytes = 0;
    for (; i < n && m < INGEST_BATCH && bytes < SOURCE_BATCH_BYTES; i++) {
      const char *name = from_stdin ? "-" : cli->args[i];
      g_autoptr(GError) io = NULL;
      gint64 size = 0;
      GBytes *raw = read_input(name, max_size, &size, &io);
      if (!raw) {
        fprintf(stderr, "%s: %s\n", name, io->message);
        unreadable++;
        continue;
      }
      items[m] = (IgIntakeItem){ .name = strcmp(name, "-") == 0 ? "stdin" : name, .raw = raw,
                                 .size = size };
      bytes += g_bytes_get_size(raw);
      m++;
    }
    ok = service_ingest(service, items, m, error);
    report_items(items, m, ok, &failed);
  }
  if (!ok)
    return tempfail(error);
  if (unreadable || failed) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "%u of %" G_GSIZE_FORMAT
                " messages were not recorded", unreadable + failed, n);
    return FALSE;
  }
  return TRUE;
}

static gboolean cmd_poll(const IgCli *cli, GError **error)
{
  if (!no_args(cli, "poll", error))
    return FALSE;
  if (!cli->once) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
                "poll: give --once (to keep watching the source, use run)");
    return FALSE;
  }
  g_autoptr(IgService) service = open_service(cli, IG_OPEN_SOURCE, error);
  if (!service)
    return FALSE;
  guint processed = 0;
  if (!service_poll_once(service, &processed, error))
    return FALSE;
  printf("%u message%s processed\n", processed, processed == 1 ? "" : "s");
  return TRUE;
}

static gboolean cmd_run(const IgCli *cli, GError **error)
{
  if (!no_args(cli, "run", error))
    return FALSE;
  IgService *service = open_service(cli, IG_OPEN_SOURCE, error);
  if (!service)
    return FALSE;
  if (cli->syslog)
    log_use_syslog("incident-gateway");
  gboolean ok = service_run(&service, cli->config_path, error);
  service_free(service);
  return ok;
}

gboolean cli_check_choice(const char *option, const char *value,
                          const char *const *choices, GError **error)
{
  if (!value || g_strv_contains(choices, value))
    return TRUE;
  g_autofree char *all = g_strjoinv(", ", (char **)choices);
  g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "%s \"%s\": use one of %s", option, value, all);
  return FALSE;
}

/* --limit N: a whole number, 1 or more; 0 (all) when not given. */
static gboolean parse_limit(const char *text, guint *limit, GError **error)
{
  guint64 n = 0;
  *limit = 0;
  if (!text)
    return TRUE;
  if (!g_ascii_string_to_unsigned(text, 10, 1, G_MAXUINT, &n, NULL)) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
                "--limit \"%s\": give a whole number of incidents, 1 or more", text);
    return FALSE;
  }
  *limit = (guint)n;
  return TRUE;
}

/* --search TEXT matches words: TEXT must hold one (letters or digits). */
static gboolean check_search(const char *text, GError **error)
{
  for (const char *c = text; c && *c; c = g_utf8_next_char(c))
    if (g_unichar_isalnum(g_utf8_get_char(c)))
      return TRUE;
  if (!text)
    return TRUE;
  g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
              "--search \"%s\": no word in it to search for (letters or digits)", text);
  return FALSE;
}

static gboolean cmd_list(const IgCli *cli, GError **error)
{
  static const char *const statuses[] = { "new", "triaged", "investigating", "contained",
                                          "resolved", "closed", "rejected", NULL };
  static const char *const impacts[] = { "low", "medium", "high", NULL };
  guint limit = 0;
  if (!no_args(cli, "list", error) || !cli_check_choice("--status", cli->status, statuses, error) ||
      !cli_check_choice("--impact", cli->impact, impacts, error) ||
      !parse_limit(cli->limit, &limit, error) || !check_search(cli->search, error))
    return FALSE;
  g_autoptr(IgService) service = open_records(cli, error);
  if (!service)
    return FALSE;
  g_autoptr(GDateTime) now = service_now(service);
  g_autofree char *now_iso = iso_utc(now);
  IgIncidentFilter filter = { cli->status, cli->impact, cli->open_only, cli->overdue, now_iso,
                              cli->search, limit };
  return listing_print(service_store(service), &filter, cli->json,
                       service_config(service)->tz, error);
}

/* A REF argument that cannot be a reference is a mistake in the command
 * line (exit 2), not an incident that was not found (exit 1). */
static gboolean check_reference(const char *command, const char *ref, GError **error)
{
  if (reference_shape_ok(ref))
    return TRUE;
  g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
              "%s: \"%.64s\" is not a reference like INC-2026-000042", command, ref);
  return FALSE;
}

static gboolean cmd_show(const IgCli *cli, GError **error)
{
  if (!cli->args || !cli->args[0] || cli->args[1]) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "show: give one reference, e.g. show INC-2026-000042");
    return FALSE;
  }
  if (!check_reference("show", cli->args[0], error))
    return FALSE;
  g_autoptr(IgService) service = open_records(cli, error);
  if (!service)
    return FALSE;
  g_autoptr(IgCaseRecord) r = case_record_load(service_store(service), cli->args[0], error);
  if (!r) {
    g_prefix_error(error, "show: ");
    return FALSE;
  }
  if (!cli->json) {
    text_incident(r->incident, r->deadlines, r->messages, r->events,
                  service_config(service)->tz);
    return TRUE;
  }
  json_t *record = case_record_json(r);
  gboolean ok = json_print(record);
  json_decref(record);
  if (!ok)
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "stdout: write error");
  return ok;
}

static gboolean print_rows(GPtrArray *rows, json_t *(*one)(gconstpointer), GError **error)
{
  json_t *array = json_array();
  for (guint i = 0; i < rows->len; i++)
    json_array_append_new(array, one(g_ptr_array_index(rows, i)));
  gboolean ok = json_print(array);
  json_decref(array);
  if (!ok)
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "stdout: write error");
  return ok;
}

static gboolean cmd_outbox(const IgCli *cli, GError **error)
{
  if (!no_args(cli, "outbox", error))
    return FALSE;
  g_autoptr(IgService) service = open_records(cli, error);
  if (!service)
    return FALSE;
  g_autoptr(GPtrArray) rows = store_list_outbox(service_store(service), cli->pending, error);
  if (!rows)
    return FALSE;
  if (cli->json)
    return print_rows(rows, (json_t *(*)(gconstpointer))json_outbox, error);
  text_outbox(rows, service_config(service)->tz);
  return TRUE;
}

static gboolean cmd_messages(const IgCli *cli, GError **error)
{
  if (!no_args(cli, "messages", error))
    return FALSE;
  g_autoptr(IgService) service = open_records(cli, error);
  if (!service)
    return FALSE;
  g_autoptr(GPtrArray) rows = store_list_messages(service_store(service), cli->unmatched, error);
  if (!rows)
    return FALSE;
  if (cli->json)
    return print_rows(rows, (json_t *(*)(gconstpointer))json_message, error);
  text_messages(rows, service_config(service)->tz);
  return TRUE;
}

/* --since: an ISO-8601 time, or a date (midnight in the configured
 * zone); NULL when not given. */
gboolean cli_parse_since(const IgCli *cli, const IgConfig *config, char **since,
                         GError **error)
{
  *since = NULL;
  if (!cli->since)
    return TRUE;
  g_autoptr(GDateTime) t = g_date_time_new_from_iso8601(cli->since, config->tz);
  if (!t) {
    g_autofree char *midnight = g_strconcat(cli->since, "T00:00:00", NULL);
    t = g_date_time_new_from_iso8601(midnight, config->tz);
  }
  if (!t) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
                "--since \"%s\": not a date or ISO-8601 time (e.g. 2026-11-01)", cli->since);
    return FALSE;
  }
  *since = iso_utc(t);
  return TRUE;
}

static gboolean cmd_observables(const IgCli *cli, GError **error)
{
  static const char *const formats[] = { "text", "json", "csv", "stix", NULL };
  const char *reference = cli->args && cli->args[0] ? cli->args[0] : NULL;
  if (reference && cli->args[1]) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
                "observables: give at most one reference, e.g. observables INC-2026-000042");
    return FALSE;
  }
  if (reference && !check_reference("observables", reference, error))
    return FALSE;
  if (!cli_check_choice("--format", cli->format, formats, error))
    return FALSE;
  g_autoptr(IgService) service = open_records(cli, error);
  if (!service)
    return FALSE;
  IgStore *store = service_store(service);
  g_autofree char *since = NULL;
  if (!cli_parse_since(cli, service_config(service), &since, error))
    return FALSE;
  if (reference && !store_incident_id(store, reference, error)) {
    if (!*error)
      g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "observables: no incident %s", reference);
    return FALSE;
  }
  g_autoptr(GPtrArray) rows = store_observables(store, reference, since, error);
  if (!rows)
    return FALSE;
  g_autoptr(GDateTime) now = service_now(service);
  return observables_print(rows, cli->format, now, error);
}

static gboolean cmd_verify(const IgCli *cli, GError **error)
{
  if (!no_args(cli, "verify", error))
    return FALSE;
  if (cli->anchor && !hash_is_sha256_hex(cli->anchor)) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "verify: --anchor \"%s\": not a SHA-256"
                " (64 hex digits, as the digest prints the chain head)", cli->anchor);
    return FALSE;
  }
  g_autoptr(IgService) service = open_records(cli, error);
  if (!service)
    return FALSE;
  IgVerifyCounts n;
  if (!store_verify(service_store(service), &n, error))
    return FALSE;
  gint64 at = 0;
  if (cli->anchor && !store_verify_anchor(service_store(service), cli->anchor, &at, error))
    return FALSE;
  printf("OK: %" G_GINT64_FORMAT " audit events chained, %" G_GINT64_FORMAT
         " stored messages match their SHA-256 and their events, %" G_GINT64_FORMAT
         " incidents as their newest events left them\n", n.events, n.messages, n.incidents);
  if (cli->anchor)
    printf("OK: the anchor is event %" G_GINT64_FORMAT " of the chain\n", at);
  return TRUE;
}

/* As monitoring plugins do: the level is the exit status (0 OK, 1
 * WARNING, 2 CRITICAL), the report on stdout either way. */
static gboolean cmd_status(const IgCli *cli, GError **error)
{
  if (!no_args(cli, "status", error))
    return FALSE;
  g_autoptr(IgService) service = open_records(cli, error);
  if (!service)
    return FALSE;
  g_autoptr(GDateTime) now = service_now(service);
  g_autofree char *at = iso_utc(now);
  IgHealth health;
  if (!store_health(service_store(service), at, &health, error))
    return FALSE;
  g_autofree char *report = NULL;
  IgStatusLevel level = status_judge(&health, now, service_config(service)->tz,
                                     cli->prometheus, &report);
  health_clear(&health);
  fputs(report, stdout);
  *cli->exit_status = (int)level;
  return TRUE;
}

/* The copy is checked as `verify` checks the store, read-only: a copy
 * that does not verify is kept (it is what the store held) and says so. */
static gboolean cmd_backup(const IgCli *cli, GError **error)
{
  if (!cli->args || !cli->args[0] || cli->args[1]) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
                "backup: give the file to write, e.g. backup /var/backups/gateway.db");
    return FALSE;
  }
  g_autoptr(IgService) service = open_records(cli, error);
  if (!service || !store_backup(service_store(service), cli->args[0], error))
    return FALSE;
  g_autoptr(IgStore) copy = store_open_copy(cli->args[0], error);
  IgVerifyCounts n;
  if (!copy || !store_verify(copy, &n, error)) {
    g_prefix_error(error, "backup written to %s, but the copy does not verify: ", cli->args[0]);
    return FALSE;
  }
  printf("%s: backup verified: %" G_GINT64_FORMAT " audit events, %" G_GINT64_FORMAT
         " stored messages, %" G_GINT64_FORMAT " incidents\n", cli->args[0], n.events,
         n.messages, n.incidents);
  return TRUE;
}

/* --print writes the text part, then the HTML part after a line of its
 * own, as the managers get them; --send queues the mail and sends it. */
static gboolean cmd_digest(const IgCli *cli, GError **error)
{
  if (!no_args(cli, "digest", error))
    return FALSE;
  g_autoptr(IgService) service = cli->send ? open_service(cli, IG_OPEN_SEND, error)
                                            : open_records(cli, error);
  if (!service)
    return FALSE;
  const IgConfig *config = service_config(service);
  if (cli->print || !cli->send) {
    g_autoptr(GDateTime) now = service_now(service);
    g_autoptr(IgDigest) d = digest_build(service_store(service), config->tz, now, error);
    g_autofree char *subject = NULL, *text = NULL, *html = NULL;
    if (!d || !digest_render(d, service_templates(service), config->tz, &subject, &text,
                             &html, error))
      return FALSE;
    printf("Subject: %s\n\n%s%s" DIGEST_HTML_LINE "\n%s", subject, text,
           g_str_has_suffix(text, "\n") ? "" : "\n", html);
  }
  if (!cli->send)
    return TRUE;
  if (!service_send_digest(service, error))
    return FALSE;
  g_autofree char *to = g_strjoinv(", ", config->managers);
  fprintf(cli->print ? stderr : stdout, "digest queued for %s; due mail sent\n", to);
  return TRUE;
}

static gboolean cmd_export(const IgCli *cli, GError **error)
{
  if (!cli->args || !cli->args[0] || !cli->args[1] || cli->args[2]) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
                "export: give a reference and a directory, e.g. export INC-2026-000042 bundle");
    return FALSE;
  }
  if (!check_reference("export", cli->args[0], error))
    return FALSE;
  g_autoptr(IgService) service = open_records(cli, error);
  if (!service)
    return FALSE;
  guint files = 0;
  if (!export_incident(service_store(service), cli->args[0], cli->args[1], &files, error))
    return FALSE;
  printf("%s: %u files and SHA256SUMS written to %s\n", cli->args[0], files, cli->args[1]);
  return TRUE;
}

const IgCommand commands[] = {
  { "run", "[--syslog]", "syslog", cmd_run },
  { "poll", "--once", "once", cmd_poll },
  { "ingest", "[FILE...]", "", cmd_ingest },
  { "list", "[--status S] [--impact I] [--open] [--overdue] [--search TEXT] [--limit N]"
    " [--json]", "status impact open overdue search limit json", cmd_list },
  { "show", "REF [--json]", "json", cmd_show },
  { "observables", "[REF] [--since DATE] [--format json|csv|stix]", "since format",
    cmd_observables },
  { "outbox", "[--pending] [--json]", "pending json", cmd_outbox },
  { "messages", "[--unmatched] [--json]", "unmatched json", cmd_messages },
  { "report", "quarterly YYYYQN [--format csv|json] | system NAME [--since DATE]"
    " [--format csv|json]", "format since", cmd_report },
  { "export", "REF DIR", "", cmd_export },
  { "digest", "[--send] [--print]", "send print", cmd_digest },
  { "verify", "[--anchor HASH]", "anchor", cmd_verify },
  { "backup", "FILE", "", cmd_backup },
  { "status", "[--prometheus]", "prometheus", cmd_status },
  { "check-config", "[--connect]", "connect", cmd_check_config },
  { NULL, NULL, NULL, NULL },
};

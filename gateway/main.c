/* main.c - incident-gateway: parse the command line, run one command, map
 * its error to one stderr line and the exit status (0, 1 runtime, 2 usage
 * or configuration). Options may stand before or after the command. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "gateway/commands.h"
#include "gateway/config.h"
#include "gateway/error.h"
#include "gateway/log.h"

static IgCli cli;
static gboolean want_help, want_version, verbose, quiet;

static GOptionEntry entries[] = {
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &cli.config_path,
    "configuration file (default: $INCIDENT_GATEWAY_CONFIG, else config/gateway.conf)", "FILE" },
  { "now", 0, 0, G_OPTION_ARG_STRING, &cli.now, "act as if the clock read this time", "ISO-8601" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &cli.json, "JSON output (list, show, outbox, messages)", NULL },
  { "status", 0, 0, G_OPTION_ARG_STRING, &cli.status, "list: only this status", "S" },
  { "impact", 0, 0, G_OPTION_ARG_STRING, &cli.impact, "list: only this impact", "I" },
  { "open", 0, 0, G_OPTION_ARG_NONE, &cli.open_only, "list: only open incidents", NULL },
  { "overdue", 0, 0, G_OPTION_ARG_NONE, &cli.overdue, "list: only with an overdue deadline", NULL },
  { "search", 0, 0, G_OPTION_ARG_STRING, &cli.search,
    "list: only those with all these words in summary, description, reporter or notes", "TEXT" },
  { "limit", 0, 0, G_OPTION_ARG_STRING, &cli.limit, "list: at most N, the newest", "N" },
  { "pending", 0, 0, G_OPTION_ARG_NONE, &cli.pending, "outbox: only pending rows", NULL },
  { "unmatched", 0, 0, G_OPTION_ARG_NONE, &cli.unmatched, "messages: only unmatched", NULL },
  { "once", 0, 0, G_OPTION_ARG_NONE, &cli.once, "poll: process what is waiting, then exit", NULL },
  { "syslog", 0, 0, G_OPTION_ARG_NONE, &cli.syslog, "run: log to syslog (facility mail)", NULL },
  { "connect", 0, 0, G_OPTION_ARG_NONE, &cli.connect,
    "check-config: also log in to the source and the transport", NULL },
  { "since", 0, 0, G_OPTION_ARG_STRING, &cli.since,
    "observables: only those recorded since this date or time; report system: received since", "DATE" },
  { "format", 0, 0, G_OPTION_ARG_STRING, &cli.format, "observables: json, csv or stix; report: csv or json", "F" },
  { "anchor", 0, 0, G_OPTION_ARG_STRING, &cli.anchor,
    "verify: a chain head published earlier (the digest's) must still be in the chain", "HASH" },
  { "send", 0, 0, G_OPTION_ARG_NONE, &cli.send, "digest: send it to the managers now", NULL },
  { "print", 0, 0, G_OPTION_ARG_NONE, &cli.print, "digest: write it to stdout (the default)",
    NULL },
  { "help", 'h', 0, G_OPTION_ARG_NONE, &want_help, "this help; after a command, that command's",
    NULL },
  { "prometheus", 0, 0, G_OPTION_ARG_NONE, &cli.prometheus,
    "status: Prometheus text metrics", NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &want_version, "print the version", NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "log debug lines too", NULL },
  { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "log only warnings and errors", NULL },
  { NULL, 0, 0, 0, NULL, NULL, NULL },
};

/* The options every command takes. */
static const char *const common[] = { "config", "now", "verbose", "quiet", "help", NULL };

/* COMMAND --help: its usage line, then only the options it takes. */
static void command_help(const IgCommand *cmd)
{
  g_auto(GStrv) own = g_strsplit(cmd->options, " ", -1);
  GArray *chosen = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));
  for (const GOptionEntry *e = entries; e->long_name; e++)
    if (g_strv_contains(common, e->long_name) ||
        g_strv_contains((const char *const *)own, e->long_name))
      g_array_append_val(chosen, *e);
  g_autofree char *usage = g_strdup_printf("%s %s", cmd->name, cmd->usage);
  GOptionContext *ctx = g_option_context_new(usage);
  g_option_context_set_help_enabled(ctx, FALSE);
  g_option_context_add_main_entries(ctx, (GOptionEntry *)chosen->data, NULL);
  g_autofree char *text = g_option_context_get_help(ctx, TRUE, NULL);
  fputs(text, stdout);
  g_option_context_free(ctx);
  g_array_unref(chosen);
}

/* A command-specific option given to a command that does not take it. */
static const char *stray_option(const IgCommand *cmd)
{
  const struct {
    const char *name;
    gboolean set;
  } used[] = {
    { "json", cli.json }, { "status", cli.status != NULL }, { "impact", cli.impact != NULL },
    { "open", cli.open_only }, { "overdue", cli.overdue }, { "search", cli.search != NULL },
    { "limit", cli.limit != NULL }, { "pending", cli.pending },
    { "unmatched", cli.unmatched }, { "once", cli.once }, { "syslog", cli.syslog },
    { "connect", cli.connect }, { "since", cli.since != NULL },
    { "format", cli.format != NULL }, { "anchor", cli.anchor != NULL },
    { "send", cli.send }, { "print", cli.print }, { "prometheus", cli.prometheus },
  };
  g_auto(GStrv) allowed = g_strsplit(cmd->options, " ", -1);
  for (gsize i = 0; i < G_N_ELEMENTS(used); i++)
    if (used[i].set && !g_strv_contains((const char *const *)allowed, used[i].name))
      return used[i].name;
  return NULL;
}

static char *summary_text(void)
{
  GString *s = g_string_new("Commands:\n");
  for (const IgCommand *c = commands; c->name; c++)
    g_string_append_printf(s, "  %-13s %s\n", c->name, c->usage);
  return g_string_free(s, FALSE);
}

static void dispatch(GOptionContext *ctx, char ***args, GError **error)
{
  GError *parse_error = NULL;
  if (!g_option_context_parse_strv(ctx, args, &parse_error)) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "%s", parse_error->message);
    g_error_free(parse_error);
    return;
  }
  char **argv = *args;
  if (want_version) {
    printf("incident-gateway %s\n", IG_VERSION);
    return;
  }
  if (want_help && !argv[1]) {
    g_autofree char *text = g_option_context_get_help(ctx, TRUE, NULL);
    fputs(text, stdout);
    return;
  }
  if (verbose && quiet) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "give --verbose or --quiet, not both");
    return;
  }
  log_set_level(verbose ? IG_LOG_DEBUG : quiet ? IG_LOG_WARN : IG_LOG_INFO);
  if (!argv[1]) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "no command given (try --help)");
    return;
  }
  const IgCommand *cmd = commands;
  while (cmd->name && strcmp(cmd->name, argv[1]) != 0)
    cmd++;
  if (!cmd->name) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "unknown command \"%s\" (try --help)", argv[1]);
    return;
  }
  if (want_help) {
    command_help(cmd);
    return;
  }
  const char *stray = stray_option(cmd);
  if (stray) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "%s does not take --%s", cmd->name, stray);
    return;
  }
  if (!cli.config_path)
    cli.config_path = config_default_path();
  cli.args = argv + 2;
  if (!cmd->run(&cli, error) && !*error)
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s failed", cmd->name);
}

int main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  log_detect_journal();
  g_autoptr(GError) error = NULL;
  int status = 0;
  cli.exit_status = &status;
  g_autoptr(GOptionContext) ctx = g_option_context_new("COMMAND [ARGS...]");
  g_autofree char *summary = summary_text();
  g_option_context_set_summary(ctx, "Incident Gateway: email-driven security incident intake.");
  g_option_context_set_description(ctx, summary);
  g_option_context_set_help_enabled(ctx, FALSE);
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_auto(GStrv) args = g_strdupv(argv);
  dispatch(ctx, &args, &error);
  /* Text goes out through stdout's buffer: a full disk shows only here,
   * and output cut short must not pass for the whole of it. */
  if (!error && fflush(stdout) != 0)
    g_set_error(&error, IG_ERROR, IG_ERROR_RUNTIME, "stdout: write error");
  if (!error)
    return status;
  log_failure(error->message);
  return ig_error_exit_code(error);
}

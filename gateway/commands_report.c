/* commands_report.c - `report quarterly` and `report system` (SPEC
 * section 2): the returns made from the records. */
#include "gateway/commands_shared.h"

#include <stdio.h>
#include <string.h>

#include "gateway/error.h"
#include "gateway/quarterly.h"
#include "gateway/render_json.h"
#include "gateway/store.h"
#include "gateway/system_report.h"

/* Prints a return: doc as JSON when given (taken), else text (taken). */
static gboolean print_return(json_t *doc, char *text, GError **error)
{
  gboolean ok = doc ? json_print(doc) : fputs(text, stdout) != EOF;
  json_decref(doc);
  g_free(text);
  if (!ok)
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "stdout: write error");
  return ok;
}

/* Arguments are checked before the store is opened: a mistyped quarter
 * must not make a database where there was none. */
static gboolean report_quarterly(const IgCli *cli, GError **error)
{
  static const char *const formats[] = { "csv", "json", NULL };
  const char *name = cli->args[1];
  if (!name) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
                "report quarterly: give a quarter, e.g. report quarterly 2026Q4");
    return FALSE;
  }
  if (cli->args[2]) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "report quarterly: unexpected argument \"%s\"",
                cli->args[2]);
    return FALSE;
  }
  if (cli->since) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
                "report quarterly does not take --since (the quarter is the period)");
    return FALSE;
  }
  if (!cli_check_choice("--format", cli->format, formats, error))
    return FALSE;
  IgConfig *config = cli_load_config(cli, error);
  if (!config)
    return FALSE;
  g_auto(IgQuarter) quarter = { NULL, NULL, NULL };
  if (!quarter_parse(name, config->tz, &quarter, error)) {
    config_free(config);
    g_prefix_error(error, "report quarterly ");
    return FALSE;
  }
  g_autoptr(IgService) service = cli_open_config(cli, config, IG_OPEN_RECORDS, error);
  if (!service)
    return FALSE;
  g_autoptr(GPtrArray) incidents =
      store_incidents_received(service_store(service), quarter.from, quarter.to, error);
  if (!incidents)
    return FALSE;
  if (g_strcmp0(cli->format, "json") == 0)
    return print_return(quarterly_json(&quarter, incidents), NULL, error);
  return print_return(NULL, quarterly_csv(incidents), error);
}

/* Like report quarterly, every argument is checked before the store is
 * opened. */
static gboolean report_system(const IgCli *cli, GError **error)
{
  static const char *const formats[] = { "csv", "json", NULL };
  const char *name = cli->args[1];
  g_autofree char *norm = name ? system_name_norm(name) : NULL;
  if (!name || !*norm) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "report system: give the name of an IT system"
                " (letters or digits), e.g. report system NOMIS");
    return FALSE;
  }
  if (cli->args[2]) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "report system: unexpected argument \"%s\""
                " (quote a name of several words)", cli->args[2]);
    return FALSE;
  }
  if (!cli_check_choice("--format", cli->format, formats, error))
    return FALSE;
  IgConfig *config = cli_load_config(cli, error);
  if (!config)
    return FALSE;
  g_autofree char *since = NULL;
  if (!cli_parse_since(cli, config, &since, error)) {
    config_free(config);
    return FALSE;
  }
  g_autoptr(IgService) service = cli_open_config(cli, config, IG_OPEN_RECORDS, error);
  if (!service)
    return FALSE;
  g_autoptr(GPtrArray) candidates = store_system_candidates(service_store(service), since, error);
  if (!candidates)
    return FALSE;
  const IgConfig *c = service_config(service);
  g_autoptr(IgSystemReport) report = system_report_new(name, since, c->assets, candidates);
  if (g_strcmp0(cli->format, "json") == 0)
    return print_return(system_report_json(report), NULL, error);
  return print_return(NULL, cli->format ? system_report_csv(report)
                                        : system_report_text(report, c->tz), error);
}

/* report KIND ...: the returns made from the records (SPEC 2). */
gboolean cmd_report(const IgCli *cli, GError **error)
{
  const char *kind = cli->args ? cli->args[0] : NULL;
  if (!kind) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
                "report: give a kind, e.g. report quarterly 2026Q4");
    return FALSE;
  }
  if (strcmp(kind, "quarterly") == 0)
    return report_quarterly(cli, error);
  if (strcmp(kind, "system") == 0)
    return report_system(cli, error);
  g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "report: unknown kind \"%s\""
              " (use report quarterly YYYYQN or report system NAME)", kind);
  return FALSE;
}

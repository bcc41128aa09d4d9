/* commands_shared.h - inside the command line only: what commands.c and
 * commands_report.c share (reading the options, opening the store) and
 * the commands commands_report.c defines for the table in commands.c. */
#ifndef IG_COMMANDS_SHARED_H
#define IG_COMMANDS_SHARED_H

#include <glib.h>

#include "gateway/commands.h"
#include "gateway/config.h"
#include "gateway/service.h"

/* The configuration -c names; caller frees. */
IgConfig *cli_load_config(const IgCli *cli, GError **error);

/* The service on config (taken, and freed on failure) with --now applied;
 * open says what besides the store (service.h). Caller frees. */
IgService *cli_open_config(const IgCli *cli, IgConfig *config, IgServiceOpen open,
                           GError **error);

/* TRUE when value is NULL or one of choices, else a usage error naming
 * option and the choices. */
gboolean cli_check_choice(const char *option, const char *value,
                          const char *const *choices, GError **error);

/* --since as a UTC ISO time in *since (caller frees), NULL when not
 * given; a usage error when it is neither a date nor a time. */
gboolean cli_parse_since(const IgCli *cli, const IgConfig *config, char **since,
                         GError **error);

/* report quarterly | system (commands_report.c). */
gboolean cmd_report(const IgCli *cli, GError **error);

#endif

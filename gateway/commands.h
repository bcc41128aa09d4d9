/* commands.h - the subcommands of incident-gateway (SPEC section 2).
 * main.c parses the command line into IgCli; each command returns FALSE
 * with an IG_ERROR whose code decides the exit status. */
#ifndef IG_COMMANDS_H
#define IG_COMMANDS_H

#include <glib.h>

typedef struct {
  const char *config_path;  /* -c, else config_default_path() */
  const char *now;          /* --now, or NULL */
  gboolean json;
  const char *status;       /* list --status */
  const char *impact;       /* list --impact */
  gboolean open_only;       /* list --open */
  gboolean overdue;         /* list --overdue */
  const char *search;       /* list --search */
  const char *limit;        /* list --limit, as given */
  gboolean pending;         /* outbox --pending */
  gboolean unmatched;       /* messages --unmatched */
  gboolean once;            /* poll --once */
  gboolean syslog;          /* run --syslog */
  gboolean connect;         /* check-config --connect */
  const char *since;        /* observables --since */
  const char *format;       /* observables --format */
  const char *anchor;       /* verify --anchor */
  gboolean send;            /* digest --send */
  gboolean print;           /* digest --print */
  char **args;              /* positional arguments after the command */
  gboolean prometheus;      /* status --prometheus */
  int *exit_status;         /* set by a command whose success has degrees (status) */
} IgCli;

typedef gboolean (*IgCommandFn)(const IgCli *cli, GError **error);

typedef struct {
  const char *name;
  const char *usage;        /* arguments and options, for --help */
  const char *options;      /* long options it accepts, space-separated */
  IgCommandFn run;
} IgCommand;

/* The command table, terminated by a zeroed entry. */
extern const IgCommand commands[];

#endif

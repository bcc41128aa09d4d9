/* secret.h - the credentials of [source] and [transport]: a password file
 * (refused unless mode 0600) or an OAuth2 bearer token printed by
 * oauth2_token_command (the Microsoft 365 / Google way). Secrets are never
 * logged; error messages name the file, or the program a command runs
 * (never its arguments, which may hold a client secret), never the content. */
#ifndef IG_SECRET_H
#define IG_SECRET_H

#include <glib.h>

/* The password in path, without a trailing newline. Caller frees with
 * secret_free(). IG_ERROR_CONFIG when the mode is not 0600. */
char *secret_read_file(const char *path, GError **error);

/* How long a token command may take (Azure CLI and the like need a few
 * seconds); one that hangs must not hold the service. */
#define SECRET_TOKEN_TIMEOUT_S 30

/* Runs command through /bin/sh and returns its first output line, the
 * access token. Caller frees with secret_free(). IG_ERROR_RUNTIME when the
 * command fails, prints nothing, or has not exited after timeout_s
 * (SECRET_TOKEN_TIMEOUT_S; then it and every process it started in its
 * process group are killed). */
char *secret_oauth2_token(const char *command, int timeout_s, GError **error);

/* The program a command line runs, without its arguments (which often
 * carry a client secret): all that a message may say of the command.
 * Caller frees. */
char *secret_command_program(const char *command);

/* Overwrites and frees a secret. */
void secret_free(char *secret);

#endif

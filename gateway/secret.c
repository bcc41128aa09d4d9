/* secret.c - reading passwords and fetching OAuth2 tokens (secret.h). */
#include "gateway/secret.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "gateway/error.h"

/* A token command that hangs must not stop the service. */
#define TOKEN_COMMAND_TIMEOUT_S 30

void secret_free(char *secret)
{
  if (!secret)
    return;
  explicit_bzero(secret, strlen(secret));
  g_free(secret);
}

char *secret_read_file(const char *path, GError **error)
{
  struct stat st;
  if (stat(path, &st) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "password file %s: %s", path,
                g_strerror(errno));
    return NULL;
  }
  if ((st.st_mode & 077) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG,
                "password file %s has mode %04o: it must be readable by its owner only (0600)",
                path, (unsigned)(st.st_mode & 07777));
    return NULL;
  }
  char *data = NULL;
  gsize len = 0;
  g_autoptr(GError) io = NULL;
  if (!g_file_get_contents(path, &data, &len, &io)) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "password file %s: %s", path, io->message);
    return NULL;
  }
  while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
    data[--len] = '\0';
  if (len == 0 || strlen(data) != len) {
    secret_free(data);
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "password file %s is empty or not text",
                path);
    return NULL;
  }
  return data;
}

/* The program a command line runs, without its arguments: what an error
 * may name, since the arguments often carry a client secret. Caller frees. */
static char *command_program(const char *command)
{
  g_auto(GStrv) argv = NULL;
  if (!g_shell_parse_argv(command, NULL, &argv, NULL) || !argv[0])
    return g_strdup("the command");
  return g_path_get_basename(argv[0]);
}

/* "exited with status 3", "was killed by signal 9", "timed out after 30 s". */
static char *describe_wait_status(int status)
{
  if (WIFEXITED(status)) {
    /* timeout(1) exits 124 when it had to stop the command, and 128 + N
     * when the command died of signal N. */
    int code = WEXITSTATUS(status);
    if (code == 124)
      return g_strdup_printf("timed out after %d s", TOKEN_COMMAND_TIMEOUT_S);
    if (code > 128)
      return g_strdup_printf("was killed by signal %d", code - 128);
    return g_strdup_printf("exited with status %d", code);
  }
  if (WIFSIGNALED(status))
    return g_strdup_printf("was killed by signal %d", WTERMSIG(status));
  return g_strdup("stopped abnormally");
}

char *secret_oauth2_token(const char *command, GError **error)
{
  g_autofree char *limit = g_strdup_printf("%d", TOKEN_COMMAND_TIMEOUT_S);
  const char *argv[] = { "timeout", limit, "/bin/sh", "-c", command, NULL };
  char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr(GError) spawn = NULL;
  if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                    &status, &spawn)) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "oauth2_token_command: %s", spawn->message);
    return NULL;
  }
  g_autofree char *program = command_program(command);
  if (!g_spawn_check_wait_status(status, NULL)) {
    secret_free(out);
    g_autofree char *how = describe_wait_status(status);
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "oauth2_token_command (%s) %s; run it by hand to see why", program, how);
    return NULL;
  }
  char *nl = strpbrk(out, "\r\n");
  if (nl)
    *nl = '\0';
  g_strstrip(out);
  if (!*out) {
    secret_free(out);
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "oauth2_token_command (%s) printed no token",
                program);
    return NULL;
  }
  return out;
}

/* secret.c - reading passwords and fetching OAuth2 tokens (secret.h). */
#include "gateway/secret.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

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

char *secret_oauth2_token(const char *command, GError **error)
{
  g_autofree char *quoted = g_shell_quote(command);
  g_autofree char *wrapped = g_strdup_printf("timeout %d /bin/sh -c %s",
                                             TOKEN_COMMAND_TIMEOUT_S, quoted);
  const char *argv[] = { "/bin/sh", "-c", wrapped, NULL };
  char *out = NULL, *err = NULL;
  int status = 0;
  g_autoptr(GError) spawn = NULL;
  if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                    &status, &spawn)) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "oauth2_token_command: %s", spawn->message);
    return NULL;
  }
  g_free(err);
  if (!g_spawn_check_wait_status(status, NULL)) {
    secret_free(out);
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "oauth2_token_command failed (exit status %d): %s", status, command);
    return NULL;
  }
  char *nl = strpbrk(out, "\r\n");
  if (nl)
    *nl = '\0';
  g_strstrip(out);
  if (!*out) {
    secret_free(out);
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "oauth2_token_command printed no token: %s",
                command);
    return NULL;
  }
  return out;
}

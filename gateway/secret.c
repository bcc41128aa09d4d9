/* secret.c - reading passwords and fetching OAuth2 tokens (secret.h).
 *
 * The token command runs in a process group of its own, read until it
 * exits or its time is up; then the whole group is killed, so neither a
 * command that ignores SIGTERM nor a child it left behind holding its
 * output can hold the service. */
#include "gateway/secret.h"

#include <errno.h>
#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gateway/error.h"

/* A token is a few KiB; more output than this is not read. */
#define TOKEN_OUTPUT_MAX (64 * 1024)

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

char *secret_command_program(const char *command)
{
  g_auto(GStrv) argv = NULL;
  if (!g_shell_parse_argv(command, NULL, &argv, NULL) || !argv[0])
    return g_strdup("the command");
  return g_path_get_basename(argv[0]);
}

/* "exited with status 3", "was killed by signal 9", "was not found". */
static char *describe_wait_status(int status)
{
  if (WIFSIGNALED(status))
    return g_strdup_printf("was killed by signal %d", WTERMSIG(status));
  if (!WIFEXITED(status))
    return g_strdup("stopped abnormally");
  /* what sh says when its program died of signal N, or when it cannot
   * find or run it */
  if (WEXITSTATUS(status) > 128)
    return g_strdup_printf("was killed by signal %d", WEXITSTATUS(status) - 128);
  if (WEXITSTATUS(status) == 127)
    return g_strdup("was not found (exit status 127)");
  if (WEXITSTATUS(status) == 126)
    return g_strdup("could not be run (exit status 126)");
  return g_strdup_printf("exited with status %d", WEXITSTATUS(status));
}

/* In the child before exec: a process group of its own, for the kill at
 * the deadline, and none of the signals the service blocks. */
static void child_setup(gpointer unused)
{
  sigset_t none;
  (void)unused;
  setpgid(0, 0);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Reads what is there to read from fd into out (up to the cap); FALSE at
 * end of file. */
static gboolean drain(int fd, GString *out)
{
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      if (out->len < TOKEN_OUTPUT_MAX)
        g_string_append_len(out, buf, MIN((gsize)n, TOKEN_OUTPUT_MAX - out->len));
      explicit_bzero(buf, sizeof buf);
      continue;
    }
    return n < 0 && (errno == EAGAIN || errno == EINTR);
  }
}

/* Runs command through /bin/sh, its output in out, until it exits (*status
 * set, TRUE) or timeout_s pass (its process group killed, FALSE). What
 * children it leaves behind write later is not waited for. */
static gboolean run_command(const char *command, int timeout_s, GString *out, int *status,
                            GError **error)
{
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  GPid pid = 0;
  int fd = -1;
  if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                                child_setup, NULL, &pid, NULL, &fd, NULL, error))
    return FALSE;
  g_unix_set_fd_nonblocking(fd, TRUE, NULL);
  const gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s * G_TIME_SPAN_SECOND;
  gboolean open = TRUE, exited = FALSE;
  while (!exited) {
    if (open)
      open = drain(fd, out);
    const pid_t r = waitpid(pid, status, WNOHANG);
    /* ECHILD: reaped by someone else (SIGCHLD ignored), status unknown */
    exited = r == pid || (r < 0 && errno == ECHILD);
    const gint64 left_ms = (deadline - g_get_monotonic_time()) / 1000;
    if (exited || left_ms <= 0)
      break;
    /* Output and end of file wake the poll; while children it left
     * behind hold its output open, its exit is seen within a second. */
    struct pollfd p = { fd, POLLIN, 0 };
    poll(&p, open ? 1 : 0, (int)MIN(left_ms, open ? 1000 : 20));
  }
  if (exited)
    drain(fd, out);
  close(fd);
  if (!exited) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
      ;
  }
  g_spawn_close_pid(pid);
  return exited;
}

char *secret_oauth2_token(const char *command, int timeout_s, GError **error)
{
  g_autoptr(GError) spawn = NULL;
  g_autofree char *program = secret_command_program(command);
  GString *out = g_string_sized_new(8192); /* grown rarely: fewer stale copies */
  int status = 0;
  char *token = NULL;
  if (!run_command(command, timeout_s, out, &status, &spawn)) {
    if (spawn)
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "oauth2_token_command (%s): %s", program,
                  spawn->message);
    else
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                  "oauth2_token_command (%s) timed out after %d s; run it by hand to see why",
                  program, timeout_s);
    goto out;
  }
  if (!g_spawn_check_wait_status(status, NULL)) {
    g_autofree char *how = describe_wait_status(status);
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "oauth2_token_command (%s) %s; run it by hand to see why", program, how);
    goto out;
  }
  token = g_strstrip(g_strndup(out->str, strcspn(out->str, "\r\n")));
  if (!*token) {
    g_clear_pointer(&token, g_free);
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "oauth2_token_command (%s) printed no token",
                program);
  }
out:
  explicit_bzero(out->str, out->len);
  g_string_free(out, TRUE);
  return token;
}

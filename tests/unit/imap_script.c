/* imap_script.c - the scripted IMAP server of imap_script.h: one thread,
 * one connection at a time, every step in the order the script gives. */
#include "tests/unit/imap_script.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Only a safety net: a client that stops talking fails the test, it does
 * not hang it. */
#define SAFETY_TIMEOUT_MS 5000

struct ImapScript {
  const char *const *steps;
  int listen_fd;
  int fd;                   /* the connection, -1 between connections */
  guint16 port;
  GString *in;              /* received, not yet taken as a line */
  char *tag;                /* of the last tagged command */
  GString *log;
  GThread *thread;
};

static gboolean take_connection(ImapScript *s)
{
  struct pollfd p = { s->listen_fd, POLLIN, 0 };
  if (poll(&p, 1, SAFETY_TIMEOUT_MS) != 1 || (s->fd = accept(s->listen_fd, NULL, NULL)) < 0) {
    g_string_append(s->log, "no connection\n");
    return FALSE;
  }
  g_string_truncate(s->in, 0);
  return TRUE;
}

static void drop_connection(ImapScript *s)
{
  if (s->fd >= 0)
    close(s->fd);
  s->fd = -1;
}

/* The next line without its CRLF, or NULL when the client has gone. */
static char *read_line(ImapScript *s)
{
  char *eol;
  while (s->fd >= 0 && !(eol = strchr(s->in->str, '\n'))) {
    char buf[4096];
    struct pollfd p = { s->fd, POLLIN, 0 };
    ssize_t n = poll(&p, 1, SAFETY_TIMEOUT_MS) == 1 ? recv(s->fd, buf, sizeof buf, 0) : -1;
    if (n <= 0)
      return NULL;
    g_string_append_len(s->in, buf, n);
  }
  if (s->fd < 0)
    return NULL;
  gsize len = (gsize)(eol - s->in->str);
  char *line = g_strndup(s->in->str, len > 0 && eol[-1] == '\r' ? len - 1 : len);
  g_string_erase(s->in, 0, (gssize)len + 1);
  return line;
}

static void send_text(ImapScript *s, const char *text)
{
  g_autoptr(GString) out = g_string_new(NULL);
  for (const char *p = text; *p; p++) {
    if (*p == '$' && (p == text || p[-1] == '\n'))
      g_string_append(out, s->tag ? s->tag : "*");
    else if (*p == '\n')
      g_string_append(out, "\r\n");
    else
      g_string_append_c(out, *p);
  }
  g_string_append(out, "\r\n");
  for (gsize done = 0; s->fd >= 0 && done < out->len;) {
    ssize_t n = send(s->fd, out->str + done, out->len - done, MSG_NOSIGNAL);
    if (n <= 0)
      return;
    done += (gsize)n;
  }
}

/* Reads a command, logs it without its tag, and tells whether it starts
 * with verb (NULL: whatever it is). NULL *rest when the client has gone. */
static gboolean read_command(ImapScript *s, const char *verb, char **rest)
{
  g_autofree char *line = read_line(s);
  *rest = NULL;
  if (!line)
    return FALSE;
  const char *space = strchr(line, ' ');
  if (g_str_equal(line, "DONE") || !space) {
    *rest = g_strdup(line);
  } else {
    g_free(s->tag);
    s->tag = g_strndup(line, (gsize)(space - line));
    *rest = g_strdup(space + 1);
  }
  g_string_append_printf(s->log, "%s\n", *rest);
  return !verb || g_str_has_prefix(*rest, verb);
}

static gpointer serve(gpointer data)
{
  ImapScript *s = data;
  if (!take_connection(s))
    return NULL;
  for (const char *const *step = s->steps; *step; step++) {
    g_autofree char *rest = NULL;
    if (g_str_has_prefix(*step, "S: ")) {
      send_text(s, *step + 3);
    } else if (g_str_has_prefix(*step, "C: ")) {
      if (!read_command(s, *step + 3, &rest)) {
        g_string_append_printf(s->log, "unexpected: %s instead of %s\n",
                               rest ? rest : "the end", *step + 3);
        drop_connection(s);
        return NULL;
      }
    } else if (g_str_equal(*step, "CLOSE")) {
      drop_connection(s);
    } else if (g_str_equal(*step, "ACCEPT")) {
      drop_connection(s);
      if (!take_connection(s))
        return NULL;
    } else {
      g_error("imap_script: bad step \"%s\"", *step);
    }
  }
  for (;;) {
    g_autofree char *rest = NULL;
    if (!read_command(s, "LOGOUT", &rest)) {
      if (rest)
        g_string_append_printf(s->log, "unscripted: %s\n", rest);
      break;
    }
    send_text(s, "* BYE\n$ OK LOGOUT completed");
  }
  drop_connection(s);
  return NULL;
}

ImapScript *imap_script_start(const char *const *steps)
{
  ImapScript *s = g_new0(ImapScript, 1);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  s->steps = steps;
  s->fd = -1;
  s->in = g_string_new(NULL);
  s->log = g_string_new(NULL);
  s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
      listen(s->listen_fd, 4) != 0 ||
      getsockname(s->listen_fd, (struct sockaddr *)&addr, &len) != 0)
    g_error("imap_script: cannot listen on 127.0.0.1: %s", g_strerror(errno));
  s->port = ntohs(addr.sin_port);
  s->thread = g_thread_new("imap-script", serve, s);
  return s;
}

guint16 imap_script_port(const ImapScript *script)
{
  return script->port;
}

char *imap_script_finish(ImapScript *s)
{
  /* A connection the script still waits for is not coming. */
  shutdown(s->listen_fd, SHUT_RDWR);
  g_thread_join(s->thread);
  close(s->listen_fd);
  g_string_free(s->in, TRUE);
  g_free(s->tag);
  char *log = g_string_free(s->log, FALSE);
  g_free(s);
  return log;
}

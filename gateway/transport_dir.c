/* transport_dir.c - the dir: transport (transport.h). */
#include "gateway/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gateway/error.h"

typedef struct {
  IgTransport base;
  char *dir;
} DirTransport;

static gboolean write_all(int fd, const char *data, gsize len)
{
  while (len) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    data += n;
    len -= (gsize)n;
  }
  return TRUE;
}

/* TRUE when path holds exactly data: the same mail delivered before a
 * crash kept the row from being marked sent. */
static gboolean same_content(const char *path, const char *data, gsize len)
{
  g_autofree char *old = NULL;
  gsize old_len = 0;
  return g_file_get_contents(path, &old, &old_len, NULL) && old_len == len &&
         memcmp(old, data, len) == 0;
}

/* Written under a temporary name, synced, then linked to its name: link()
 * fails where a file exists, so no earlier mail is ever overwritten. */
static gboolean dir_send(IgTransport *self, const IgOutboxRec *row, GError **error)
{
  DirTransport *t = (DirTransport *)self;
  g_autofree char *name = g_strdup_printf("%08" G_GINT64_FORMAT "-%s.eml", row->id,
                                          row->reference ? row->reference : "gateway");
  g_autofree char *tmp_name = g_strdup_printf(".%s.XXXXXX", name);
  g_autofree char *path = g_build_filename(t->dir, name, NULL);
  g_autofree char *tmp = g_build_filename(t->dir, tmp_name, NULL);
  gsize len = 0;
  const char *data = row->body ? g_bytes_get_data(row->body, &len) : "";
  gboolean ok = FALSE;
  int err = 0;

  int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0640);
  if (fd < 0) {
    err = errno;
    goto out;
  }
  if (!write_all(fd, data, len) || fsync(fd) != 0) {
    err = errno;
    close(fd);
    goto out;
  }
  if (close(fd) != 0 || link(tmp, path) != 0) {
    err = errno;
    goto out;
  }
  ok = TRUE;
out:
  if (fd >= 0)
    unlink(tmp);
  if (err == EEXIST && same_content(path, data, len))
    return TRUE;
  if (err == EEXIST)
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "%s: a different file already has this name; not overwritten", path);
  else if (!ok)
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s", path, g_strerror(err));
  return ok;
}

static gboolean dir_check(IgTransport *self, GError **error)
{
  DirTransport *t = (DirTransport *)self;
  if (access(t->dir, W_OK) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "transport dir:%s: %s", t->dir,
                g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

static void dir_free(IgTransport *self)
{
  DirTransport *t = (DirTransport *)self;
  g_free(t->dir);
  g_free(t);
}

IgTransport *transport_dir_new(const char *dir, GError **error)
{
  if (g_mkdir_with_parents(dir, 0750) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "transport dir:%s: %s", dir,
                g_strerror(errno));
    return NULL;
  }
  DirTransport *t = g_new0(DirTransport, 1);
  t->base.send = dir_send;
  t->base.check = dir_check;
  t->base.free = dir_free;
  t->dir = g_strdup(dir);
  return &t->base;
}

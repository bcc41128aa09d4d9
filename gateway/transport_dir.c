/* transport_dir.c - the dir: transport (transport.h).
 *
 * Mails are written in groups: each to a temporary name with its writeback
 * started at once, then at flush every one is synced, renamed to its name
 * (never over an existing file) and the directory synced once. Syncing a
 * file whose writeback is already under way costs little, so a group of
 * mails costs about what one did; no temporary file is ever unlinked on
 * the way, which keeps the file system from searching its freed inodes. */
#include "gateway/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gateway/error.h"

/* A mail written under its temporary name, waiting for the flush. */
typedef struct {
  int fd;
  char *tmp;
  char *path;
} Staged;

typedef struct {
  IgTransport base;
  char *dir;
  GArray *staged;   /* Staged */
} DirTransport;

static void staged_clear(Staged *s)
{
  if (s->fd >= 0) {
    close(s->fd);
    unlink(s->tmp);
  }
  g_free(s->tmp);
  g_free(s->path);
}

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

/* Writes the mail under a temporary name and starts its writeback; the
 * flush makes it durable and gives it its name. A mail already delivered
 * with the same bytes is not written again. */
static gboolean dir_send(IgTransport *self, const IgOutboxRec *row, GError **error)
{
  DirTransport *t = (DirTransport *)self;
  g_autofree char *name = g_strdup_printf("%08" G_GINT64_FORMAT "-%s.eml", row->id,
                                          row->reference ? row->reference : "gateway");
  g_autofree char *tmp_name = g_strdup_printf(".%s.XXXXXX", name);
  Staged s = { -1, g_build_filename(t->dir, tmp_name, NULL),
               g_build_filename(t->dir, name, NULL) };
  gsize len = 0;
  const char *data = row->body ? g_bytes_get_data(row->body, &len) : "";

  if (access(s.path, F_OK) == 0) {
    gboolean delivered = same_content(s.path, data, len);
    if (!delivered)
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                  "%s: a different file already has this name; not overwritten", s.path);
    staged_clear(&s);
    return delivered;
  }
  s.fd = g_mkstemp_full(s.tmp, O_WRONLY | O_CLOEXEC, 0640);
  if (s.fd < 0 || !write_all(s.fd, data, len)) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s", s.path, g_strerror(errno));
    staged_clear(&s);
    return FALSE;
  }
  /* Only a hint to start writing: the flush's fdatasync is the guarantee. */
  sync_file_range(s.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  g_array_append_val(t->staged, s);
  return TRUE;
}

/* rename() that never replaces: renameat2's RENAME_NOREPLACE, or link()
 * and unlink() where the file system lacks it. */
static int rename_noreplace(const char *from, const char *to)
{
  if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS)
    return -1;
  if (link(from, to) != 0)
    return -1;
  unlink(from);
  return 0;
}

/* Every staged mail synced, then named, then the directory synced: a mail
 * has its name only once all its bytes are on disk. On any failure the
 * rest is removed and all of them are retried (those already named are
 * found delivered). */
static gboolean dir_flush(IgTransport *self, GError **error)
{
  DirTransport *t = (DirTransport *)self;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < t->staged->len; i++) {
    Staged *s = &g_array_index(t->staged, Staged, i);
    if (fdatasync(s->fd) != 0 || close(s->fd) != 0) {
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s", s->path, g_strerror(errno));
      ok = FALSE;
    }
    s->fd = -1;
  }
  for (guint i = 0; ok && i < t->staged->len; i++) {
    Staged *s = &g_array_index(t->staged, Staged, i);
    if (rename_noreplace(s->tmp, s->path) == 0)
      continue;
    int err = errno;
    unlink(s->tmp);
    if (err == EEXIST)
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                  "%s: a different file already has this name; not overwritten", s->path);
    else
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s", s->path, g_strerror(err));
    ok = FALSE;
  }
  if (!ok)
    for (guint i = 0; i < t->staged->len; i++)
      unlink(g_array_index(t->staged, Staged, i).tmp);
  gboolean named = ok && t->staged->len > 0;
  g_array_set_size(t->staged, 0);
  if (!named)
    return ok;
  int dfd = open(t->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0 || fsync(dfd) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s", t->dir, g_strerror(errno));
    ok = FALSE;
  }
  if (dfd >= 0)
    close(dfd);
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
  g_array_unref(t->staged);
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
  t->base.flush = dir_flush;
  t->base.check = dir_check;
  t->base.free = dir_free;
  t->dir = g_strdup(dir);
  t->staged = g_array_new(FALSE, FALSE, sizeof(Staged));
  g_array_set_clear_func(t->staged, (GDestroyNotify)staged_clear);
  return &t->base;
}

/* source_maildir.c - the maildir: source (source.h).
 *
 * Waiting mail is every file in new/ and cur/ of the Maildir, oldest
 * first. A recorded message moves to the Maildir++ folder named by
 * processed_folder (".Processed/cur/") or quarantine_folder. inotify on
 * new/ and cur/ wakes the service the moment a delivery is renamed in. */
#include "gateway/source.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/error.h"

typedef struct {
  IgSource base;
  char *path;
  char *processed;          /* path of the processed folder */
  char *quarantine;
  gint64 max_size;
  int watch_fd;             /* inotify, or -1: then wait is a plain sleep */
} Maildir;

static gboolean make_maildir(const char *path, GError **error)
{
  static const char *const subdirs[] = { "cur", "new", "tmp" };
  for (gsize i = 0; i < G_N_ELEMENTS(subdirs); i++) {
    g_autofree char *dir = g_build_filename(path, subdirs[i], NULL);
    if (g_mkdir_with_parents(dir, 0750) != 0) {
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "maildir %s: %s", dir,
                  g_strerror(errno));
      return FALSE;
    }
  }
  return TRUE;
}

typedef struct {
  char *path;
  gint64 mtime;
} Entry;

static gint by_age(gconstpointer a, gconstpointer b)
{
  const Entry *x = *(Entry *const *)a, *y = *(Entry *const *)b;
  if (x->mtime != y->mtime)
    return x->mtime < y->mtime ? -1 : 1;
  return strcmp(x->path, y->path);
}

static void entry_free(gpointer p)
{
  Entry *e = p;
  g_free(e->path);
  g_free(e);
}

static gboolean scan_dir(const char *dir, GPtrArray *entries, GError **error)
{
  g_autoptr(GError) io = NULL;
  g_autoptr(GDir) d = g_dir_open(dir, 0, &io);
  if (!d) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "maildir %s: %s", dir, io->message);
    return FALSE;
  }
  const char *name;
  while ((name = g_dir_read_name(d))) {
    if (name[0] == '.')
      continue;
    g_autofree char *path = g_build_filename(dir, name, NULL);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
      continue;
    Entry *e = g_new0(Entry, 1);
    e->path = g_steal_pointer(&path);
    e->mtime = (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    g_ptr_array_add(entries, e);
  }
  return TRUE;
}

/* The message at path, or only its header when oversized (see source.h). */
static GBytes *read_message(const char *path, gint64 max_size, gint64 *size)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  GBytes *raw = source_read_message(fd, max_size, size, NULL);
  close(fd);
  return raw;
}

static GPtrArray *md_fetch(IgSource *self, guint max, GError **error)
{
  Maildir *md = (Maildir *)self;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(entry_free);
  g_autofree char *new_dir = g_build_filename(md->path, "new", NULL);
  g_autofree char *cur_dir = g_build_filename(md->path, "cur", NULL);
  if (!scan_dir(new_dir, entries, error) || !scan_dir(cur_dir, entries, error))
    return NULL;
  g_ptr_array_sort(entries, by_age);
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)source_message_free);
  gsize bytes = 0;
  for (guint i = 0; i < entries->len && out->len < max && bytes < SOURCE_BATCH_BYTES; i++) {
    Entry *e = g_ptr_array_index(entries, i);
    /* A file that vanished was taken by another instance; skip it. */
    gint64 size = 0;
    GBytes *raw = read_message(e->path, md->max_size, &size);
    if (!raw)
      continue;
    IgSourceMessage *m = g_new0(IgSourceMessage, 1);
    m->name = g_steal_pointer(&e->path);
    m->raw = raw;
    m->size = size;
    bytes += g_bytes_get_size(raw);
    g_ptr_array_add(out, m);
  }
  return out;
}

static gboolean md_finish(IgSource *self, GPtrArray *messages, GError **error)
{
  Maildir *md = (Maildir *)self;
  for (guint i = 0; i < messages->len; i++) {
    IgSourceMessage *m = g_ptr_array_index(messages, i);
    if (!m->recorded)
      continue;
    g_autofree char *base = g_path_get_basename(m->name);
    /* Maildir info ":2,S" marks it seen for any mail client reading the folder. */
    g_autofree char *name = strchr(base, ':') ? g_strdup(base) : g_strdup_printf("%s:2,S", base);
    g_autofree char *target = g_build_filename(m->quarantine ? md->quarantine : md->processed,
                                               "cur", name, NULL);
    if (rename(m->name, target) != 0) {
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "cannot move %s to %s: %s", m->name,
                  target, g_strerror(errno));
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean md_wait(IgSource *self, int wake_fd, int timeout_ms, GError **error)
{
  Maildir *md = (Maildir *)self;
  struct pollfd fds[2] = { { wake_fd, POLLIN, 0 }, { md->watch_fd, POLLIN, 0 } };
  int rc = poll(fds, md->watch_fd >= 0 ? 2 : 1, timeout_ms);
  if (rc < 0 && errno != EINTR) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "poll: %s", g_strerror(errno));
    return FALSE;
  }
  if (md->watch_fd >= 0 && (fds[1].revents & POLLIN)) {
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    while (read(md->watch_fd, buf, sizeof buf) > 0)
      ;
  }
  return TRUE;
}

static void md_free(IgSource *self)
{
  Maildir *md = (Maildir *)self;
  if (md->watch_fd >= 0)
    close(md->watch_fd);
  g_free(md->path);
  g_free(md->processed);
  g_free(md->quarantine);
  g_free(md);
}

IgSource *source_maildir_new(const IgConfig *config, GError **error)
{
  Maildir *md = g_new0(Maildir, 1);
  md->base = (IgSource){ md_fetch, md_finish, md_wait, md_free };
  md->path = g_strdup(config->source.url + strlen("maildir:"));
  g_autofree char *p = g_strdup_printf(".%s", config->processed_folder);
  g_autofree char *q = g_strdup_printf(".%s", config->quarantine_folder);
  md->processed = g_build_filename(md->path, p, NULL);
  md->quarantine = g_build_filename(md->path, q, NULL);
  md->max_size = config->max_message_size;
  md->watch_fd = -1;
  if (!make_maildir(md->path, error) || !make_maildir(md->processed, error) ||
      !make_maildir(md->quarantine, error)) {
    md_free(&md->base);
    return NULL;
  }
  md->watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (md->watch_fd >= 0) {
    g_autofree char *new_dir = g_build_filename(md->path, "new", NULL);
    g_autofree char *cur_dir = g_build_filename(md->path, "cur", NULL);
    if (inotify_add_watch(md->watch_fd, new_dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0 ||
        inotify_add_watch(md->watch_fd, cur_dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
      close(md->watch_fd);
      md->watch_fd = -1;
    }
  }
  return &md->base;
}

/* source_maildir.c - reading and moving mail in a Maildir (see header). */
#include "gateway/source_maildir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/error.h"

struct IgMaildir {
  char *path;
  char *processed;          /* path of the processed folder */
  char *quarantine;
  int watch_fd;
};

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

IgMaildir *maildir_open(const char *path, const char *processed_folder,
                        const char *quarantine_folder, GError **error)
{
  IgMaildir *md = g_new0(IgMaildir, 1);
  md->path = g_strdup(path);
  g_autofree char *p = g_strdup_printf(".%s", processed_folder);
  g_autofree char *q = g_strdup_printf(".%s", quarantine_folder);
  md->processed = g_build_filename(path, p, NULL);
  md->quarantine = g_build_filename(path, q, NULL);
  md->watch_fd = -1;
  if (!make_maildir(md->path, error) || !make_maildir(md->processed, error) ||
      !make_maildir(md->quarantine, error)) {
    maildir_close(md);
    return NULL;
  }
  md->watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (md->watch_fd >= 0) {
    g_autofree char *new_dir = g_build_filename(path, "new", NULL);
    g_autofree char *cur_dir = g_build_filename(path, "cur", NULL);
    if (inotify_add_watch(md->watch_fd, new_dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0 ||
        inotify_add_watch(md->watch_fd, cur_dir, IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
      close(md->watch_fd);
      md->watch_fd = -1;
    }
  }
  return md;
}

void maildir_close(IgMaildir *md)
{
  if (!md)
    return;
  if (md->watch_fd >= 0)
    close(md->watch_fd);
  g_free(md->path);
  g_free(md->processed);
  g_free(md->quarantine);
  g_free(md);
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

GPtrArray *maildir_scan(IgMaildir *md, GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func(entry_free);
  g_autofree char *new_dir = g_build_filename(md->path, "new", NULL);
  g_autofree char *cur_dir = g_build_filename(md->path, "cur", NULL);
  if (!scan_dir(new_dir, entries, error) || !scan_dir(cur_dir, entries, error))
    return NULL;
  g_ptr_array_sort(entries, by_age);
  GPtrArray *paths = g_ptr_array_new_full(entries->len, g_free);
  for (guint i = 0; i < entries->len; i++) {
    Entry *e = g_ptr_array_index(entries, i);
    g_ptr_array_add(paths, g_steal_pointer(&e->path));
  }
  return paths;
}

gboolean maildir_move(IgMaildir *md, const char *path, gboolean quarantine, GError **error)
{
  g_autofree char *base = g_path_get_basename(path);
  /* Maildir info ":2,S" marks it seen for any mail client reading the folder. */
  g_autofree char *name = strchr(base, ':') ? g_strdup(base) : g_strdup_printf("%s:2,S", base);
  g_autofree char *target = g_build_filename(quarantine ? md->quarantine : md->processed,
                                             "cur", name, NULL);
  if (rename(path, target) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "cannot move %s to %s: %s", path, target,
                g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

int maildir_watch_fd(IgMaildir *md)
{
  return md->watch_fd;
}

void maildir_watch_drain(IgMaildir *md)
{
  char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  while (md->watch_fd >= 0 && read(md->watch_fd, buf, sizeof buf) > 0)
    ;
}

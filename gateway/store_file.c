/* store_file.c - the SQLite store as a file: what it must look like
 * before SQLite is let near it, and the lock that keeps a second `run` off
 * it. Part of the SQLite implementation of store.h.
 *
 * SQLite takes an empty file for a new database and a short one for
 * whatever its header promises, so a store wiped or cut short by a full
 * disk, a bad restore or an operator's mistake would be silently replaced
 * or corrupted further. The header is read by hand first and such a file
 * is refused, left exactly as it is. */
#include "gateway/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/error.h"
#include "gateway/store_db.h"

#define HEADER_SIZE 100
#define MAGIC "SQLite format 3"

static guint32 be32(const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

/* A write-ahead log with content: then pages may live only there, and the
 * main file's size says nothing yet. */
static gboolean wal_has_content(const char *path)
{
  g_autofree char *wal = g_strconcat(path, "-wal", NULL);
  struct stat st;
  return stat(wal, &st) == 0 && st.st_size > 0;
}

static gboolean refuse(GError **error, const char *path, const char *why)
{
  g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
              "%s: %s; refusing to use it as the store (restore it from a backup, or move it"
              " away to start a new store)", path, why);
  return FALSE;
}

gboolean sq_check_file(const char *path, GError **error)
{
  guint8 h[HEADER_SIZE];
  struct stat st;
  gboolean ok = FALSE;
  ssize_t n;
  gint64 page_size, pages;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s", path, g_strerror(errno));
    goto out;
  }
  if (!S_ISREG(st.st_mode)) {
    refuse(error, path, "not a regular file");
    goto out;
  }
  if (st.st_size == 0) {
    refuse(error, path, "the file is empty (0 bytes)");
    goto out;
  }
  n = pread(fd, h, sizeof h, 0);
  if (n < 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s", path, g_strerror(errno));
    goto out;
  }
  if (n < HEADER_SIZE || memcmp(h, MAGIC, sizeof MAGIC) != 0) {
    refuse(error, path, "not an SQLite database");
    goto out;
  }
  /* The page count in the header is valid when the change counter matches
   * the version-valid-for number (always, for SQLite 3.7.0 and later). */
  page_size = h[16] << 8 | h[17];
  if (page_size == 1)
    page_size = 65536;
  pages = be32(h + 28);
  if (pages && be32(h + 24) == be32(h + 92) && !wal_has_content(path) &&
      (st.st_size < pages * page_size || st.st_size % page_size != 0)) {
    g_autofree char *why = g_strdup_printf("the file is truncated (%" G_GINT64_FORMAT
                                           " bytes, its header says %" G_GINT64_FORMAT ")",
                                           (gint64)st.st_size, pages * page_size);
    refuse(error, path, why);
    goto out;
  }
  ok = TRUE;
out:
  if (fd >= 0)
    close(fd);
  return ok;
}

gboolean sq_refuse_foreign(IgStore *store, const char *why, GError **error)
{
  return refuse(error, store->path, why);
}

/* The PID in a lock file another process holds; 0 while it is still
 * writing it. */
static long lock_holder(int fd)
{
  char buf[32];
  for (int tries = 0; tries < 20; tries++) {
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n > 0) {
      buf[n] = '\0';
      long pid = strtol(buf, NULL, 10);
      if (pid > 0)
        return pid;
    }
    g_usleep(10000);
  }
  return 0;
}

IgStoreLock *store_lock_service(const char *database, GError **error)
{
  if (store_database_is_pg(database)) {
    const IgPgOps *ops = pgmod_ops(error);
    if (!ops)
      return NULL;
    IgStoreLock *lock = g_new0(IgStoreLock, 1);
    lock->fd = -1;
    lock->uri = g_strdup(database);
    lock->ops = ops;
    return lock;
  }
  g_autofree char *path = g_strconcat(database, ".lock", NULL);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s", path, g_strerror(errno));
    return NULL;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    long pid = err == EWOULDBLOCK ? lock_holder(fd) : 0;
    if (pid)
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                  "%s: another incident-gateway run (PID %ld) is using this store; stop it"
                  " first", database, pid);
    else
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: cannot lock: %s", path,
                  err == EWOULDBLOCK ? "another incident-gateway run holds it"
                                     : g_strerror(err));
    close(fd);
    return NULL;
  }
  g_autofree char *pid = g_strdup_printf("%ld\n", (long)getpid());
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid)) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s", path, g_strerror(errno));
    close(fd);
    return NULL;
  }
  IgStoreLock *lock = g_new0(IgStoreLock, 1);
  lock->fd = fd;
  return lock;
}

gboolean store_lead(IgStoreLock *lock, gboolean *leading, GError **error)
{
  if (lock->uri)
    return pg_lead(lock, leading, error);
  *leading = TRUE;
  return TRUE;
}

gboolean store_lead_shared(const IgStoreLock *lock)
{
  return lock->uri != NULL;
}

void store_unlock_service(IgStoreLock *lock)
{
  if (!lock)
    return;
  if (lock->uri)
    pg_lead_end(lock);
  else
    close(lock->fd);
  g_free(lock->uri);
  g_free(lock);
}

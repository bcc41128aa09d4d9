/* store_backup.c - a copy of the store while it is in use (store.h):
 * SQLite's online backup into a new file, and a read-only open of such a
 * copy to verify it. Part of the SQLite implementation of store.h. */
#include "gateway/store.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "gateway/error.h"
#include "gateway/store_db.h"

static gboolean copy_error(GError **error, const char *path, const char *what, sqlite3 *db)
{
  g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s: %s", path, what,
              db ? sqlite3_errmsg(db) : g_strerror(errno));
  return FALSE;
}

static gboolean sync_path(const char *path, int flags)
{
  int fd = open(path, flags | O_CLOEXEC);
  gboolean ok = fd >= 0 && fsync(fd) == 0;
  if (fd >= 0)
    close(fd);
  return ok;
}

/* All pages in one step: one read transaction, one snapshot, however
 * much the service commits meanwhile (it writes to the log, which the
 * snapshot does not see). The copy leaves WAL mode, so it stands alone. */
static gboolean copy_into(IgStore *store, const char *tmp, GError **error)
{
  sqlite3 *dst = NULL;
  sqlite3_backup *backup = NULL;
  gboolean ok = FALSE;
  if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
    copy_error(error, tmp, "open", dst);
    goto out;
  }
  sqlite3_busy_timeout(dst, 10000);
  backup = sqlite3_backup_init(dst, "main", store->db, "main");
  if (!backup) {
    copy_error(error, tmp, "backup", dst);
    goto out;
  }
  int rc;
  while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
    sqlite3_sleep(50);
  rc = sqlite3_backup_finish(backup);
  if (rc != SQLITE_OK) {
    /* SQLite reports on the copy's connection what failed either side:
     * named as the copy, as in every other step here. */
    copy_error(error, tmp, "backup", dst);
    goto out;
  }
  if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
    copy_error(error, tmp, "leave WAL mode", dst);
    goto out;
  }
  ok = TRUE;
out:
  if (dst && sqlite3_close(dst) != SQLITE_OK && ok)
    ok = copy_error(error, tmp, "close", NULL);
  return ok;
}

gboolean store_backup(IgStore *store, const char *path, GError **error)
{
  if (sq_is_pg(store))
    return pg_store_backup(store, error);
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *base = g_path_get_basename(path);
  g_autofree char *tmp_name = g_strdup_printf(".%s.backup-XXXXXX", base);
  g_autofree char *tmp = g_build_filename(dir, tmp_name, NULL);
  if (g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE, "%s exists; a backup never overwrites a file",
                path);
    return FALSE;
  }
  /* The copy holds what the store holds: the reports' personal data. */
  int fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return copy_error(error, dir, "cannot create the copy", NULL);
  close(fd);
  gboolean ok = copy_into(store, tmp, error);
  if (ok && !sync_path(tmp, O_RDONLY))
    ok = copy_error(error, tmp, "sync", NULL);
  if (ok && link(tmp, path) != 0)
    ok = copy_error(error, path, "cannot create", NULL);
  g_unlink(tmp);
  g_autofree char *journal = g_strconcat(tmp, "-journal", NULL);
  g_unlink(journal);
  if (ok && !sync_path(dir, O_RDONLY | O_DIRECTORY))
    ok = copy_error(error, dir, "sync", NULL);
  return ok;
}

IgStore *store_open_copy(const char *path, GError **error)
{
  IgStore *store = sq_store_new(path);
  sqlite3_stmt *st = NULL;
  int app_id = 0, version = -1;
  if (sqlite3_open_v2(path, &store->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(store->db, "SELECT (SELECT application_id FROM pragma_application_id),"
                         " (SELECT user_version FROM pragma_user_version)", -1, &st,
                         NULL) != SQLITE_OK ||
      sqlite3_step(st) != SQLITE_ROW) {
    sq_fail(store, error, "open the copy");
    goto fail;
  }
  app_id = sqlite3_column_int(st, 0);
  version = sqlite3_column_int(st, 1);
  if (app_id != SQ_APPLICATION_ID || version != sq_schema_version()) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: not a store of this version of the"
                " gateway (schema %d, this one writes %d)", path, version,
                sq_schema_version());
    goto fail;
  }
  sqlite3_finalize(st);
  sqlite3_busy_timeout(store->db, 10000);
  sqlite3_extended_result_codes(store->db, 1);
  return store;
fail:
  sqlite3_finalize(st);
  store_close(store);
  return NULL;
}

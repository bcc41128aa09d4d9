/* export.c - an incident's evidence bundle (export.h). */
#include "gateway/export.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gateway/case_record.h"
#include "gateway/error.h"
#include "parsers/hash.h"

typedef struct {
  const char *dir;
  GString *sums;            /* SHA256SUMS as it grows */
  guint files;
} Bundle;

/* Creates dir/name (never over an existing file) with data, and notes
 * its SHA-256. */
static gboolean put(Bundle *b, const char *name, const void *data, gsize len, GError **error)
{
  g_autofree char *path = g_build_filename(b->dir, name, NULL);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  gboolean ok = fd >= 0;
  const char *p = data;
  for (gsize left = len; ok && left > 0;) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    ok = n > 0;
    p += ok ? n : 0;
    left -= ok ? (gsize)n : 0;
  }
  int saved = errno;
  if (ok && fsync(fd) != 0) {
    saved = errno;
    ok = FALSE;
  }
  if (fd >= 0 && close(fd) != 0 && ok) {
    saved = errno;
    ok = FALSE;
  }
  if (!ok) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: %s", path, g_strerror(saved));
    return FALSE;
  }
  if (strcmp(name, "SHA256SUMS") != 0) {
    g_autofree char *sum = hash_sha256_hex(data, len);
    g_string_append_printf(b->sums, "%s  %s\n", sum, name);
    b->files++;
  }
  return TRUE;
}

static gboolean put_json(Bundle *b, const char *name, json_t *value, GError **error)
{
  g_autofree char *text = json_dumps(value, JSON_INDENT(2) | JSON_ENSURE_ASCII);
  json_decref(value);
  if (!text) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "%s: cannot write JSON", name);
    return FALSE;
  }
  g_autofree char *line = g_strconcat(text, "\n", NULL);
  return put(b, name, line, strlen(line), error);
}

static json_t *str(const char *s)
{
  return s ? json_string(s) : json_null();
}

/* Every field the event's hash covers (store_audit.c), so that the chain
 * through this incident can be checked from the bundle alone. */
static json_t *events_json(GPtrArray *events, gint64 incident_id)
{
  json_t *array = json_array();
  for (guint i = 0; i < events->len; i++) {
    const IgEventRec *e = g_ptr_array_index(events, i);
    json_array_append_new(array, json_pack(
        "{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)e->id,
        "incident_id", (json_int_t)incident_id, "at", str(e->at), "actor", str(e->actor),
        "type", str(e->type), "detail", str(e->detail), "prev_hash", str(e->prev_hash),
        "hash", str(e->hash),
        "message_row", e->message_row ? json_integer(e->message_row) : json_null(),
        "message_sha256", str(e->message_sha256), "state", str(e->state)));
  }
  return array;
}

/* DIR made if missing; refused unless empty, so that a bundle is never
 * mixed with other files. */
static gboolean prepare(const char *dir, GError **error)
{
  if (g_mkdir_with_parents(dir, 0750) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "export: %s: %s", dir, g_strerror(errno));
    return FALSE;
  }
  g_autoptr(GError) io = NULL;
  g_autoptr(GDir) d = g_dir_open(dir, 0, &io);
  if (!d) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "export: %s", io->message);
    return FALSE;
  }
  if (g_dir_read_name(d)) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "export: %s is not empty; give a new or"
                " empty directory", dir);
    return FALSE;
  }
  return TRUE;
}

static gboolean put_messages(Bundle *b, IgStore *store, GPtrArray *messages, GError **error)
{
  guint in = 0, out = 0;
  for (guint i = 0; i < messages->len; i++) {
    const IgMessageRec *m = g_ptr_array_index(messages, i);
    gboolean incoming = strcmp(m->direction, "in") == 0;
    g_autoptr(GBytes) raw = incoming ? store_message_raw(store, m->id, error)
                                     : store_outbox_body(store, m->id, error);
    if (!raw)
      return FALSE;
    g_autofree char *name = g_strdup_printf("%s/%03u.eml", incoming ? "in" : "out",
                                            incoming ? ++in : ++out);
    gsize len = 0;
    const void *data = g_bytes_get_data(raw, &len);
    if (!put(b, name, data ? data : "", len, error))
      return FALSE;
  }
  return TRUE;
}

gboolean export_incident(IgStore *store, const char *reference, const char *dir,
                         guint *files, GError **error)
{
  *files = 0;
  g_autoptr(IgCaseRecord) r = case_record_load(store, reference, error);
  if (!r) {
    g_prefix_error(error, "export: ");
    return FALSE;
  }
  if (!prepare(dir, error))
    return FALSE;
  g_autofree char *in = g_build_filename(dir, "in", NULL);
  g_autofree char *out = g_build_filename(dir, "out", NULL);
  if (g_mkdir(in, 0750) != 0 || g_mkdir(out, 0750) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "export: %s: %s", dir, g_strerror(errno));
    return FALSE;
  }
  g_autoptr(GString) sums = g_string_new(NULL);
  Bundle b = { dir, sums, 0 };
  if (!put_messages(&b, store, r->messages, error) ||
      !put_json(&b, "record.json", case_record_json(r), error) ||
      !put_json(&b, "events.json", events_json(r->events, r->incident->id), error) ||
      !put(&b, "SHA256SUMS", sums->str, sums->len, error))
    return FALSE;
  *files = b.files;
  return TRUE;
}

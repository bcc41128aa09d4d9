/* source.c - picks the source named by [source] url, and reads one message
 * within max_message_size for the sources and ingest (source.h). */
#include "gateway/source.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/error.h"
#include "parsers/mail.h"

#define CHUNK (64 * 1024)

void source_message_free(IgSourceMessage *m)
{
  if (!m)
    return;
  g_free(m->name);
  if (m->raw)
    g_bytes_unref(m->raw);
  if (m->arrived)
    g_date_time_unref(m->arrived);
  g_free(m);
}

static gssize read_retry(int fd, void *p, gsize len)
{
  gssize n;
  do
    n = read(fd, p, len);
  while (n < 0 && errno == EINTR);
  return n;
}

GBytes *source_read_message(int fd, gint64 max_size, gint64 *size, GError **error)
{
  struct stat st;
  GByteArray *buf = g_byte_array_new();
  gint64 total = 0;
  gssize n = 1;
  gboolean regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  gboolean oversized = regular && st.st_size > max_size;
  /* Of an oversized file only the start is read; of a pipe one byte past
   * the limit, to know. */
  gint64 keep = oversized ? MAIL_HEADER_MAX : max_size + 1;
  while (total < keep && n > 0) {
    gsize want = (gsize)MIN(CHUNK, keep - total);
    g_byte_array_set_size(buf, (guint)(total + (gint64)want));
    n = read_retry(fd, buf->data + total, want);
    total += MAX(n, 0);
    g_byte_array_set_size(buf, (guint)total);
  }
  if (n > 0 && total > max_size) {
    /* The rest of a pipe is counted, not kept: its size has no bound. */
    oversized = TRUE;
    g_autofree guint8 *skip = g_malloc(CHUNK);
    while ((n = read_retry(fd, skip, CHUNK)) > 0)
      total += n;
  }
  if (n < 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "read error: %s", g_strerror(errno));
    g_byte_array_unref(buf);
    return NULL;
  }
  if (oversized) {
    /* Its header block, else (no blank line within the limit) all that was kept. */
    gsize header = mail_header_length((const char *)buf->data, buf->len);
    g_byte_array_set_size(buf, (guint)(header ? header : MIN(buf->len, MAIL_HEADER_MAX)));
    total = regular ? MAX(total, (gint64)st.st_size) : total;
  }
  *size = total;
  /* The array grew by doubling: a 26 MB message sat in 32 MB. Given back
   * (for a buffer this size realloc moves no bytes: it remaps them). */
  gsize len = 0;
  guint8 *data = g_byte_array_steal(buf, &len);
  g_byte_array_unref(buf);
  return g_bytes_new_take(g_realloc(data, MAX(len, 1)), len);
}

IgSource *source_open(const IgConfig *config, GError **error)
{
  /* config.c lets only maildir:, imap:// and imaps:// through, in lower case. */
  if (g_str_has_prefix(config->source.url, "maildir:"))
    return source_maildir_new(config, error);
  return source_imap_new(config, error);
}

void source_free(IgSource *source)
{
  if (source)
    source->free(source);
}

/* hash_stream.c - GMimeStream subclass over hash_sha256_update(). GLib's
 * own SHA-256 (GMime's checksum filter) runs at about a seventh of
 * OpenSSL's speed here, which uses the CPU's SHA instructions. */
#include "parsers/hash_stream.h"

#include "parsers/hash.h"

typedef struct {
  GMimeStream parent;
  IgSha256 *sha;            /* NULL once finished */
  gint64 written;
} IgHashStream;

typedef struct {
  GMimeStreamClass parent_class;
} IgHashStreamClass;

GType ig_hash_stream_get_type(void);
G_DEFINE_TYPE(IgHashStream, ig_hash_stream, GMIME_TYPE_STREAM)

static ssize_t hs_write(GMimeStream *stream, const char *buf, size_t len)
{
  IgHashStream *hs = (IgHashStream *)stream;
  if (!hs->sha)
    return -1;
  hash_sha256_update(hs->sha, buf, len);
  hs->written += (gint64)len;
  return (ssize_t)len;
}

static void hs_finalize(GObject *object)
{
  IgHashStream *hs = (IgHashStream *)object;
  if (hs->sha)
    g_free(hash_sha256_finish(hs->sha));
  G_OBJECT_CLASS(ig_hash_stream_parent_class)->finalize(object);
}

static void ig_hash_stream_class_init(IgHashStreamClass *klass)
{
  GMimeStreamClass *stream_class = GMIME_STREAM_CLASS(klass);
  G_OBJECT_CLASS(klass)->finalize = hs_finalize;
  /* GMimeStream's own flush (nothing to do) and end of stream (always,
   * unbounded) are this stream's too. */
  stream_class->write = hs_write;
}

static void ig_hash_stream_init(IgHashStream *hs)
{
  hs->sha = hash_sha256_new();
}

GMimeStream *hash_stream_new(void)
{
  GMimeStream *stream = g_object_new(ig_hash_stream_get_type(), NULL);
  g_mime_stream_construct(stream, 0, -1);
  return stream;
}

char *hash_stream_finish(GMimeStream *stream)
{
  IgHashStream *hs = (IgHashStream *)stream;
  char *hex = hash_sha256_finish(hs->sha);
  hs->sha = NULL;
  return hex;
}

gint64 hash_stream_length(GMimeStream *stream)
{
  return ((IgHashStream *)stream)->written;
}

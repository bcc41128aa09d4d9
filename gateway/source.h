/* source.h - where incoming mail waits: a Maildir or an IMAP mailbox.
 *
 * The service asks a source for a batch of waiting messages, records
 * them, and only after the commit tells the source what became of each,
 * so it can move them to the processed or quarantine folder. A crash in
 * between leaves them waiting; dedupe makes the second pass harmless. */
#ifndef IG_SOURCE_H
#define IG_SOURCE_H

#include <glib.h>
#include "gateway/config.h"

typedef struct {
  char *name;               /* file path or "imap:UID", for logs */
  GBytes *raw;              /* the message, or only its header when oversized */
  gint64 size;              /* the full size in bytes */
  guint32 uid;              /* IMAP UID; 0 for Maildir */
  GDateTime *arrived;       /* IMAP INTERNALDATE; NULL when the source has none */
  gboolean quarantine;      /* filled in after recording: move it aside */
  gboolean recorded;        /* filled in after recording: it may leave */
} IgSourceMessage;

void source_message_free(IgSourceMessage *message);

/* Bytes of messages held in memory for one batch, whatever the source (a
 * single larger message still goes alone): memory stays flat however
 * large the backlog. */
#define SOURCE_BATCH_BYTES (32 * 1024 * 1024)

/* Reads one message from fd (a file or a pipe such as stdin): all of it
 * when it has at most max_size bytes, else only its header block (at most
 * 256 KB). Memory stays bounded by max_size: the rest of an oversized
 * message is read and counted, never kept. *size is its full size in
 * bytes. Caller unrefs; NULL with error on a read error. */
GBytes *source_read_message(int fd, gint64 max_size, gint64 *size, GError **error);

typedef struct IgSource IgSource;
struct IgSource {
  /* Up to max waiting messages (IgSourceMessage*), oldest first. */
  GPtrArray *(*fetch)(IgSource *self, guint max, GError **error);
  /* Moves the recorded messages out of the inbox; the rest stay. */
  gboolean (*finish)(IgSource *self, GPtrArray *messages, GError **error);
  /* Blocks until mail may have arrived, wake_fd is readable, or
   * timeout_ms passes. */
  gboolean (*wait)(IgSource *self, int wake_fd, int timeout_ms, GError **error);
  void (*free)(IgSource *self);
};

/* Opens the source named by [source] url. Network sources connect lazily
 * on the first fetch, and reconnect with capped exponential backoff. */
IgSource *source_open(const IgConfig *config, GError **error);
void source_free(IgSource *source);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgSource, source_free)

IgSource *source_maildir_new(const IgConfig *config, GError **error);
IgSource *source_imap_new(const IgConfig *config, GError **error);

#endif

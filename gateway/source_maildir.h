/* source_maildir.h - the maildir: source.
 *
 * Waiting mail is every file in new/ and cur/ of the Maildir. After its
 * record is committed a message moves to the Maildir++ folder named by
 * processed_folder (".Processed/cur/") or quarantine_folder; a crash in
 * between leaves it in place and the dedupe of the next pass moves it. */
#ifndef IG_SOURCE_MAILDIR_H
#define IG_SOURCE_MAILDIR_H

#include <glib.h>

typedef struct IgMaildir IgMaildir;

/* Creates the Maildir and both folders when missing. */
IgMaildir *maildir_open(const char *path, const char *processed_folder,
                        const char *quarantine_folder, GError **error);
void maildir_close(IgMaildir *maildir);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgMaildir, maildir_close)

/* Paths (char*) of waiting messages, oldest first. */
GPtrArray *maildir_scan(IgMaildir *maildir, GError **error);

/* Moves a message (a path from maildir_scan) out of the inbox. */
gboolean maildir_move(IgMaildir *maildir, const char *path, gboolean quarantine,
                      GError **error);

/* An inotify descriptor that becomes readable when mail arrives; -1 when
 * the kernel offers none (then poll). Owned by the maildir. */
int maildir_watch_fd(IgMaildir *maildir);

/* Empties the pending inotify events after a wake-up. */
void maildir_watch_drain(IgMaildir *maildir);

#endif

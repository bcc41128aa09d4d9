/* export.h - `export REF DIR`: an incident's evidence bundle (SPEC 2).
 *
 * DIR (made if missing, refused unless empty) receives the raw messages
 * as received (in/NNN.eml) and as sent (out/NNN.eml), the record as
 * `show --json` prints it (record.json), its audit events with the chain
 * fields each hash covers (events.json), and SHA256SUMS: the SHA-256 of
 * every other file, in the format `sha256sum -c` checks. No file is ever
 * overwritten. */
#ifndef IG_EXPORT_H
#define IG_EXPORT_H

#include <glib.h>
#include "gateway/store.h"

/* Writes the bundle; *files counts what was written, SHA256SUMS apart.
 * IG_ERROR_INPUT when there is no such incident or DIR is not empty,
 * IG_ERROR_RUNTIME on a write error (what was written stays). */
gboolean export_incident(IgStore *store, const char *reference, const char *dir,
                         guint *files, GError **error);

#endif

/* log.h - structured log lines, on stderr:
 *   2026-11-22T14:40:12Z info INC-2026-000042 <message-id> recorded report
 * or, when stderr is systemd's journal stream, the same line without the
 * timestamp and with the line's priority as a "<6>" prefix, or to syslog
 * (facility mail, the line without the timestamp, which syslog adds).
 * Reference and Message-ID are "-" when not known. Never pass secrets. */
#ifndef IG_LOG_H
#define IG_LOG_H

#include <glib.h>

typedef enum { IG_LOG_DEBUG, IG_LOG_INFO, IG_LOG_WARN, IG_LOG_ERROR } IgLogLevel;

/* Lines below level are dropped; default IG_LOG_INFO. */
void log_set_level(IgLogLevel level);

/* Looks whether stderr is the journal stream systemd named in
 * JOURNAL_STREAM; call once at start, before any line. */
void log_detect_journal(void);

/* From now on, lines go to syslog as ident instead of stderr. */
void log_use_syslog(const char *ident);

/* The one line a command ends with when it fails, "incident-gateway:
 * TEXT" on stderr (at error priority in the journal). */
void log_failure(const char *text);

void log_msg(IgLogLevel level, const char *reference, const char *message_id,
             const char *fmt, ...) G_GNUC_PRINTF(4, 5);

#endif

/* log.h - structured log lines, on stderr:
 *   2026-11-22T14:40:12Z info INC-2026-000042 <message-id> recorded report
 * or to syslog (facility mail, the same line without the timestamp, which
 * syslog adds). Reference and Message-ID are "-" when not known. Never
 * pass secrets. */
#ifndef IG_LOG_H
#define IG_LOG_H

#include <glib.h>

typedef enum { IG_LOG_DEBUG, IG_LOG_INFO, IG_LOG_WARN, IG_LOG_ERROR } IgLogLevel;

/* Lines below level are dropped; default IG_LOG_INFO. */
void log_set_level(IgLogLevel level);

/* From now on, lines go to syslog as ident instead of stderr. */
void log_use_syslog(const char *ident);

void log_msg(IgLogLevel level, const char *reference, const char *message_id,
             const char *fmt, ...) G_GNUC_PRINTF(4, 5);

#endif

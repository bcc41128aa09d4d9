/* log.c - one line per event, timestamped in UTC, to stderr or syslog. */
#include "gateway/log.h"

#include <stdio.h>
#include <syslog.h>

static IgLogLevel threshold = IG_LOG_INFO;
static gboolean to_syslog = FALSE;

void log_use_syslog(const char *ident)
{
  openlog(ident, LOG_PID, LOG_MAIL);
  to_syslog = TRUE;
}

void log_set_level(IgLogLevel level)
{
  threshold = level;
}

void log_msg(IgLogLevel level, const char *reference, const char *message_id,
             const char *fmt, ...)
{
  static const char *const names[] = { "debug", "info", "warn", "error" };
  if (level < threshold)
    return;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *text = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  static const int priorities[] = { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR };
  g_strdelimit(text, "\r\n", ' ');
  if (to_syslog) {
    syslog(priorities[level], "%s %s <%s> %s", names[level], reference ? reference : "-",
           message_id ? message_id : "-", text);
    return;
  }
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *at = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
  fprintf(stderr, "%s %s %s <%s> %s\n", at, names[level], reference ? reference : "-",
          message_id ? message_id : "-", text);
}

/* log.c - one line per event, timestamped in UTC, to stderr, the journal
 * or syslog. */
#include "gateway/log.h"

#include <stdio.h>
#include <sys/stat.h>
#include <syslog.h>

static IgLogLevel threshold = IG_LOG_INFO;
static gboolean to_syslog = FALSE;
static gboolean to_journal = FALSE;

/* systemd names the stream it connected in JOURNAL_STREAM as "DEV:INODE";
 * stderr is that stream only when both match (not when a child of the
 * service sends stderr elsewhere). */
void log_detect_journal(void)
{
  const char *stream = g_getenv("JOURNAL_STREAM");
  struct stat st;
  unsigned long long dev = 0, ino = 0;
  to_journal = stream && sscanf(stream, "%llu:%llu", &dev, &ino) == 2 &&
               fstat(fileno(stderr), &st) == 0 && (unsigned long long)st.st_dev == dev &&
               (unsigned long long)st.st_ino == ino;
}

void log_use_syslog(const char *ident)
{
  openlog(ident, LOG_PID, LOG_MAIL);
  to_syslog = TRUE;
}

void log_set_level(IgLogLevel level)
{
  threshold = level;
}

void log_failure(const char *text)
{
  fprintf(stderr, "%sincident-gateway: %s\n", to_journal ? "<3>" : "", text);
}

void log_msg(IgLogLevel level, const char *reference, const char *message_id,
             const char *fmt, ...)
{
  static const char *const names[] = { "debug", "info", "warn", "error" };
  static const int priorities[] = { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR };
  if (level < threshold)
    return;
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *text = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_strdelimit(text, "\r\n", ' ');
  const char *ref = reference ? reference : "-", *id = message_id ? message_id : "-";
  if (to_syslog) {
    syslog(priorities[level], "%s %s <%s> %s", names[level], ref, id, text);
    return;
  }
  /* The journal stamps each line itself and reads its priority from a
   * "<N>" prefix. */
  if (to_journal) {
    fprintf(stderr, "<%d>%s %s <%s> %s\n", priorities[level], names[level], ref, id, text);
    return;
  }
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *at = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
  fprintf(stderr, "%s %s %s <%s> %s\n", at, names[level], ref, id, text);
}

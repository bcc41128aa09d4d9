/* service.c - wiring and main loops (service.h).
 *
 * Messages are recorded in batches: one fsync'd commit covers up to
 * BATCH_SIZE messages, and only then are they moved out of the source or
 * their mail sent. The run loop sleeps in poll(2) on a signalfd and the
 * source's inotify descriptor, so new mail is picked up at once and a
 * signal is only acted on between batches. */
#include "gateway/service.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "gateway/error.h"
#include "gateway/log.h"
#include "gateway/outbox.h"
#include "gateway/source_maildir.h"
#include "gateway/template.h"
#include "gateway/transport.h"

#define BATCH_SIZE 64

struct IgService {
  IgConfig *config;
  IgStore *store;
  IgTemplates *templates;
  IgTransport *transport;
  IgMaildir *maildir;       /* NULL unless the source is maildir: */
  GTimeSpan clock_offset;   /* --now minus the real time at start */
};

IgService *service_new(IgConfig *config, GDateTime *now_override, gboolean store_only,
                       GError **error)
{
  IgService *s = g_new0(IgService, 1);
  s->config = config;
  if (now_override) {
    g_autoptr(GDateTime) real = g_date_time_new_now_utc();
    s->clock_offset = g_date_time_difference(now_override, real);
  }
  s->templates = templates_new(config->templates);
  s->store = store_open(config->database, error);
  if (!s->store)
    goto fail;
  if (store_only)
    return s;
  s->transport = transport_open(config, error);
  if (!s->transport)
    goto fail;
  if (g_str_has_prefix(config->source.url, "maildir:")) {
    s->maildir = maildir_open(config->source.url + 8, config->processed_folder,
                              config->quarantine_folder, error);
    if (!s->maildir)
      goto fail;
  }
  return s;
fail:
  service_free(s);
  return NULL;
}

void service_free(IgService *s)
{
  if (!s)
    return;
  maildir_close(s->maildir);
  transport_free(s->transport);
  store_close(s->store);
  templates_free(s->templates);
  config_free(s->config);
  g_free(s);
}

IgStore *service_store(IgService *s)
{
  return s->store;
}

const IgConfig *service_config(IgService *s)
{
  return s->config;
}

GDateTime *service_now(IgService *s)
{
  g_autoptr(GDateTime) real = g_date_time_new_now_utc();
  return g_date_time_add(real, s->clock_offset);
}

gboolean service_deliver(IgService *s, GError **error)
{
  g_autoptr(GDateTime) now = service_now(s);
  guint sent = 0, failed = 0;
  return outbox_deliver(s->store, s->config, s->transport, now, &sent, &failed, error);
}

gboolean service_ingest(IgService *s, IgIntakeItem *items, gsize n, GError **error)
{
  for (gsize start = 0; start < n; start += BATCH_SIZE) {
    g_autoptr(GDateTime) now = service_now(s);
    IgIntake ctx = { s->config, s->store, s->templates, now };
    if (!intake_batch(&ctx, items + start, MIN(BATCH_SIZE, n - start), error))
      return FALSE;
  }
  return service_deliver(s, error);
}

gboolean service_poll_once(IgService *s, guint *processed, GError **error)
{
  *processed = 0;
  if (!s->maildir) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG,
                "%s: [source] url = \"%s\": this build reads only maildir: sources",
                s->config->path, s->config->source.url);
    return FALSE;
  }
  g_autoptr(GPtrArray) paths = maildir_scan(s->maildir, error);
  if (!paths)
    return FALSE;
  for (guint start = 0; start < paths->len; start += BATCH_SIZE) {
    gsize n = MIN(BATCH_SIZE, paths->len - start);
    g_autofree IgIntakeItem *ready = g_new0(IgIntakeItem, n);
    gsize m = 0;
    for (gsize i = 0; i < n; i++) {
      const char *path = g_ptr_array_index(paths, start + i);
      char *data = NULL;
      gsize len = 0;
      g_autoptr(GError) io = NULL;
      /* A file that vanished was taken by another instance; skip it. */
      if (!g_file_get_contents(path, &data, &len, &io)) {
        log_msg(IG_LOG_WARN, NULL, NULL, "%s", io->message);
        continue;
      }
      ready[m].name = path;
      ready[m++].raw = g_bytes_new_take(data, len);
    }
    g_autoptr(GDateTime) now = service_now(s);
    IgIntake ctx = { s->config, s->store, s->templates, now };
    gboolean ok = intake_batch(&ctx, ready, m, error);
    for (gsize i = 0; ok && i < m; i++) {
      IgIntakeOutcome o = ready[i].outcome;
      g_autoptr(GError) move_error = NULL;
      if (o != IG_INTAKE_FAILED &&
          !maildir_move(s->maildir, ready[i].name, o == IG_INTAKE_QUARANTINED, &move_error))
        log_msg(IG_LOG_ERROR, ready[i].reference, ready[i].message_id, "%s",
                move_error->message);
      else if (o != IG_INTAKE_FAILED)
        (*processed)++;
    }
    for (gsize i = 0; i < m; i++) {
      g_bytes_unref(ready[i].raw);
      intake_item_clear(&ready[i]);
    }
    if (!ok)
      return FALSE;
  }
  return service_deliver(s, error);
}

static int signal_fd(sigset_t *mask)
{
  sigemptyset(mask);
  sigaddset(mask, SIGTERM);
  sigaddset(mask, SIGINT);
  sigaddset(mask, SIGHUP);
  if (sigprocmask(SIG_BLOCK, mask, NULL) != 0)
    return -1;
  return signalfd(-1, mask, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void reload(IgService **service, const char *config_path)
{
  g_autoptr(GError) error = NULL;
  IgConfig *config = config_load(config_path, &error);
  IgService *fresh = NULL;
  if (config) {
    g_autoptr(GDateTime) now = service_now(*service);
    fresh = service_new(config, (*service)->clock_offset ? now : NULL, FALSE, &error);
  }
  if (!fresh) {
    log_msg(IG_LOG_ERROR, NULL, NULL, "reload refused, keeping the running configuration: %s",
            error->message);
    return;
  }
  service_free(*service);
  *service = fresh;
  log_msg(IG_LOG_INFO, NULL, NULL, "configuration reloaded from %s", config_path);
}

gboolean service_run(IgService **service, const char *config_path, GError **error)
{
  sigset_t mask;
  if (!(*service)->maildir) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG,
                "%s: [source] url = \"%s\": this build reads only maildir: sources",
                (*service)->config->path, (*service)->config->source.url);
    return FALSE;
  }
  int sfd = signal_fd(&mask);
  if (sfd < 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "signalfd: %s", g_strerror(errno));
    return FALSE;
  }
  log_msg(IG_LOG_INFO, NULL, NULL, "watching %s", (*service)->config->source.url);
  gboolean ok = TRUE, running = TRUE;
  while (running) {
    guint processed = 0;
    g_autoptr(GError) cycle_error = NULL;
    if (!service_poll_once(*service, &processed, &cycle_error)) {
      /* A failing store or source is retried on the next cycle: the
       * service keeps running and says why. */
      log_msg(IG_LOG_ERROR, NULL, NULL, "%s", cycle_error->message);
    }
    int watch = (*service)->maildir ? maildir_watch_fd((*service)->maildir) : -1;
    struct pollfd fds[2] = { { sfd, POLLIN, 0 }, { watch, POLLIN, 0 } };
    /* Wake at least every minute so outbox retries fall due on time. */
    gint64 wait = MIN((*service)->config->poll_interval, 60) * 1000;
    int rc = poll(fds, watch >= 0 ? 2 : 1, (int)wait);
    if (rc < 0 && errno != EINTR) {
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "poll: %s", g_strerror(errno));
      ok = FALSE;
      break;
    }
    if (watch >= 0 && (fds[1].revents & POLLIN))
      maildir_watch_drain((*service)->maildir);
    struct signalfd_siginfo info;
    while (read(sfd, &info, sizeof info) == (ssize_t)sizeof info) {
      if (info.ssi_signo == SIGHUP) {
        reload(service, config_path);
      } else {
        log_msg(IG_LOG_INFO, NULL, NULL, "signal %u: stopping", info.ssi_signo);
        running = FALSE;
      }
    }
  }
  close(sfd);
  sigprocmask(SIG_UNBLOCK, &mask, NULL);
  return ok;
}

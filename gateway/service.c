/* service.c - wiring and main loops (service.h).
 *
 * Messages are recorded in batches: one fsync'd commit covers up to
 * BATCH_SIZE messages, and only then are they moved out of the source or
 * their mail sent. The run loop sleeps in the source's wait (inotify for
 * a Maildir, IDLE for IMAP) with a signalfd beside it, so new mail is
 * picked up at once and a signal is only acted on between batches. */
#include "gateway/service.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "gateway/digest.h"
#include "gateway/error.h"
#include "gateway/log.h"
#include "gateway/notify.h"
#include "gateway/outbox.h"
#include "gateway/scheduler.h"
#include "gateway/source.h"
#include "gateway/template.h"
#include "gateway/transport.h"

#define BATCH_SIZE 64

struct IgService {
  IgConfig *config;
  IgStore *store;
  IgTemplates *templates;
  IgTransport *transport;
  IgSource *source;
  GTimeSpan clock_offset;   /* --now minus the real time at start */
};

/* Each look at the source is noted in the store for `status`: the last
 * good one, or the last failure and why. A note that cannot be written
 * is logged; the mail matters more. */
static void note_source(IgService *s, const GError *failed)
{
  g_autoptr(GDateTime) now = service_now(s);
  g_autofree char *at = iso_utc(now);
  g_autoptr(GError) error = NULL;
  if (!store_health_note(s->store, failed ? "source_error" : "source_ok", at,
                         failed ? failed->message : NULL, &error))
    log_msg(IG_LOG_WARN, NULL, NULL, "could not note the source's health: %s", error->message);
}

IgService *service_new(IgConfig *config, GDateTime *now_override, IgServiceOpen open,
                       GError **error)
{
  IgService *s = g_new0(IgService, 1);
  s->config = config;
  if (now_override) {
    g_autoptr(GDateTime) real = g_date_time_new_now_utc();
    s->clock_offset = g_date_time_difference(now_override, real);
  }
  s->templates = templates_new(config->templates);
  /* The embedded default's var/ alone is made: see store_open(). */
  if (strcmp(config->database, CONFIG_DEFAULT_DATABASE) == 0 &&
      g_mkdir_with_parents("var", 0750) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "var: cannot create directory: %s",
                g_strerror(errno));
    goto fail;
  }
  s->store = store_open(config->database, error);
  if (!s->store)
    goto fail;
  if (open == IG_OPEN_RECORDS)
    return s;
  /* Read now, so that a broken template stops the start (or a reload)
   * instead of failing every message that needs it. */
  if (!templates_check(s->templates, error))
    goto fail;
  s->transport = transport_open(config, error);
  if (!s->transport)
    goto fail;
  if (open == IG_OPEN_SEND)
    return s;
  s->source = source_open(config, error);
  if (!s->source) {
    if (error && *error)
      note_source(s, *error);
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
  source_free(s->source);
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

IgTemplates *service_templates(IgService *s)
{
  return s->templates;
}

GDateTime *service_now(IgService *s)
{
  g_autoptr(GDateTime) real = g_date_time_new_now_utc();
  return g_date_time_add(real, s->clock_offset);
}

gboolean service_check_connections(IgService *s, GError **error)
{
  /* A fetch of nothing still connects, logs in and reads the mailbox. */
  g_autoptr(GPtrArray) none = s->source->fetch(s->source, 0, error);
  return none && s->transport->check(s->transport, error);
}

gboolean service_deliver(IgService *s, GError **error)
{
  g_autoptr(GDateTime) now = service_now(s);
  IgIntake ctx = { s->config, s->store, s->templates, now, NULL };
  guint due = 0, sent = 0, failed = 0;
  return scheduler_run_due(&ctx, &due, error) &&
         outbox_deliver(s->store, s->config, s->transport, now, &sent, &failed, error);
}

gboolean service_send(IgService *s, GError **error)
{
  g_autoptr(GDateTime) now = service_now(s);
  guint sent = 0, failed = 0;
  return outbox_deliver(s->store, s->config, s->transport, now, &sent, &failed, error);
}

gboolean service_send_digest(IgService *s, GError **error)
{
  g_autoptr(GDateTime) now = service_now(s);
  IgIntake ctx = { s->config, s->store, s->templates, now, NULL };
  if (!store_begin(s->store, error))
    return FALSE;
  if (!digest_send(&ctx, error) || !store_commit(s->store, error)) {
    store_rollback(s->store);
    return FALSE;
  }
  return service_deliver(s, error);
}

gboolean service_ingest(IgService *s, IgIntakeItem *items, gsize n, GError **error)
{
  for (gsize start = 0; start < n; start += BATCH_SIZE) {
    g_autoptr(GDateTime) now = service_now(s);
    IgIntake ctx = { s->config, s->store, s->templates, now, NULL };
    if (!intake_batch(&ctx, items + start, MIN(BATCH_SIZE, n - start), error))
      return FALSE;
  }
  return service_deliver(s, error);
}

/* Records one batch from the source and lets the recorded ones leave it.
 * *fetched counts what the source handed over. */
static gboolean poll_batch(IgService *s, guint *fetched, guint *processed, GError **error)
{
  g_autoptr(GPtrArray) batch = s->source->fetch(s->source, BATCH_SIZE, error);
  note_source(s, batch || !error ? NULL : *error);
  if (!batch)
    return FALSE;
  *fetched = batch->len;
  if (!batch->len)
    return TRUE;
  g_autofree IgIntakeItem *items = g_new0(IgIntakeItem, batch->len);
  for (guint i = 0; i < batch->len; i++) {
    IgSourceMessage *m = g_ptr_array_index(batch, i);
    items[i].name = m->name;
    items[i].raw = m->raw;
    items[i].size = m->size;
    items[i].arrived = m->arrived;
  }
  g_autoptr(GDateTime) now = service_now(s);
  IgIntake ctx = { s->config, s->store, s->templates, now, NULL };
  log_msg(IG_LOG_DEBUG, NULL, NULL, "%u message(s) from %s to record", batch->len,
          s->config->source.url);
  gboolean ok = intake_batch(&ctx, items, batch->len, error);
  for (guint i = 0; i < batch->len; i++) {
    IgSourceMessage *m = g_ptr_array_index(batch, i);
    m->recorded = ok && items[i].outcome != IG_INTAKE_FAILED;
    m->quarantine = items[i].outcome == IG_INTAKE_QUARANTINED;
    *processed += m->recorded;
    intake_item_clear(&items[i]);
  }
  return ok && s->source->finish(s->source, batch, error);
}

gboolean service_poll_once(IgService *s, guint *processed, GError **error)
{
  *processed = 0;
  guint fetched = 1, before = 0;
  /* Batches are cut by count and by bytes, so only an empty one says the
   * source is drained; a batch that recorded nothing (all failing, to be
   * retried later) ends the pass too. */
  while (fetched > 0) {
    before = *processed;
    if (!poll_batch(s, &fetched, processed, error))
      return FALSE;
    if (*processed == before)
      break;
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

/* A reload onto another database takes that store's lock before it lets
 * go of the old one. */
static void reload(IgService **service, IgStoreLock **lock, const char *config_path)
{
  g_autoptr(GError) error = NULL;
  IgConfig *config = config_load(config_path, &error);
  IgService *fresh = NULL;
  IgStoreLock *fresh_lock = NULL;
  gboolean moved = config && strcmp(config->database, (*service)->config->database) != 0;
  if (moved && !(fresh_lock = store_lock_service(config->database, &error)))
    g_clear_pointer(&config, config_free);
  if (config) {
    g_autoptr(GDateTime) now = service_now(*service);
    fresh = service_new(config, (*service)->clock_offset ? now : NULL, IG_OPEN_SOURCE, &error);
  }
  if (fresh && moved) {
    store_unlock_service(*lock);
    *lock = fresh_lock;
  } else {
    store_unlock_service(fresh_lock);
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

/* How often a standby on a shared store asks for the lead: a leader that
 * died is followed within this and the time its session takes to end
 * (at once for a killed process, some 11 s of keepalives for a lost
 * network; store_pg.c), well within the 30 s SPEC 9 allows. */
#define STANDBY_WAIT_MS 5000
#define LEADER_WAIT_MS 15000

/* One cycle's work: the leader watches the source and runs the
 * scheduler; every run sends the outbox. */
static gboolean cycle(IgService *s, IgStoreLock *lock, gboolean *leading)
{
  g_autoptr(GError) error = NULL;
  gboolean was = *leading;
  const char *url = s->config->source.url;
  if (!store_lead(lock, leading, &error)) {
    log_msg(IG_LOG_ERROR, NULL, NULL, "%s", error->message);
    g_clear_error(&error);
  }
  if (*leading != was && store_lead_shared(lock))
    log_msg(IG_LOG_INFO, NULL, NULL, *leading ? "leading: watching %s"
            : "standing by: another gateway leads the store; sending its outbox only", url);
  guint processed = 0;
  /* A failing store or source is retried on the next cycle: the
   * service keeps running and says why. */
  gboolean ok = *leading ? service_poll_once(s, &processed, &error) : service_send(s, &error);
  if (!ok)
    log_msg(IG_LOG_ERROR, NULL, NULL, "%s", error->message);
  return ok;
}

/* Waits up to ms for a signal on sfd. */
static gboolean wait_signal(int sfd, gint64 ms, GError **error)
{
  struct pollfd pfd = { .fd = sfd, .events = POLLIN };
  if (poll(&pfd, 1, (int)ms) < 0 && errno != EINTR) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "poll: %s", g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

gboolean service_run(IgService **service, const char *config_path, GError **error)
{
  sigset_t mask;
  IgStoreLock *lock = store_lock_service((*service)->config->database, error);
  if (!lock)
    return FALSE;
  int sfd = signal_fd(&mask);
  if (sfd < 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "signalfd: %s", g_strerror(errno));
    store_unlock_service(lock);
    return FALSE;
  }
  if (!store_lead_shared(lock))
    log_msg(IG_LOG_INFO, NULL, NULL, "watching %s", (*service)->config->source.url);
  else
    log_msg(IG_LOG_INFO, NULL, NULL, "standing by: asking for the lead of the store");
  notify_systemd("READY=1");
  gboolean ok = TRUE, running = TRUE, leading = FALSE;
  gint64 backoff = 0;
  while (running && ok) {
    /* A cycle that failed (the store or the source unreachable) is tried
     * again after 1, 2, 4 ... up to 30 s, not at once: mail waiting in
     * the source would otherwise wake the loop in a spin of errors. */
    backoff = cycle(*service, lock, &leading) ? 0 : CLAMP(backoff * 2, 1000, 30000);
    /* Wake at least every minute so outbox retries fall due on time. */
    gint64 wait = MIN((*service)->config->poll_interval, 60) * 1000;
    /* A leader of a shared store looks at its lead at least every 15 s:
     * one whose session ended (another may lead already) learns it so. */
    if (leading && store_lead_shared(lock))
      wait = MIN(wait, LEADER_WAIT_MS);
    IgSource *source = (*service)->source;
    if (backoff)
      ok = wait_signal(sfd, MIN(wait, backoff), error);
    else if (leading)
      ok = source->wait(source, sfd, (int)wait, error);
    else
      ok = wait_signal(sfd, MIN(wait, STANDBY_WAIT_MS), error);
    if (!ok)
      break;
    struct signalfd_siginfo info;
    while (read(sfd, &info, sizeof info) == (ssize_t)sizeof info) {
      if (info.ssi_signo == SIGHUP) {
        notify_systemd("RELOADING=1");
        reload(service, &lock, config_path);
        notify_systemd("READY=1");
      } else {
        log_msg(IG_LOG_INFO, NULL, NULL, "signal %u: stopping", info.ssi_signo);
        notify_systemd("STOPPING=1");
        running = FALSE;
      }
    }
  }
  close(sfd);
  sigprocmask(SIG_UNBLOCK, &mask, NULL);
  store_unlock_service(lock);
  return ok;
}

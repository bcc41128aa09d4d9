/* source_imap.c - the imap:// and imaps:// source (source.h), libetpan.
 *
 * imaps:// is TLS from the first byte; imap:// upgrades with STARTTLS
 * unless tls = none (which the configuration allows on loopback only).
 * libetpan verifies nothing, so the certificate chain and host name are
 * checked here (tls_verify.c) before a password or token is sent. Login is
 * a password file or XOAUTH2 with a token from oauth2_token_command.
 * Messages are fetched in batches bounded by count and bytes; oversized
 * ones by their header only. After their records are committed they are
 * moved (MOVE, else COPY + \Deleted + UID EXPUNGE) to processed_folder or
 * quarantine_folder. Waiting uses IDLE when offered, else the poll
 * interval. Any failure drops the connection; the next attempt waits
 * with exponential backoff, capped, reset once a poll cycle goes through
 * (an empty fetch or a finish). */
#include "gateway/source.h"

#include <errno.h>
#include <libetpan/libetpan.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "gateway/error.h"
#include "gateway/log.h"
#include "gateway/net_ops.h"
#include "gateway/secret.h"
#include "gateway/tls_verify.h"

#define NETWORK_TIMEOUT_S 60
#define BACKOFF_FIRST_S 1
#define BACKOFF_MAX_S 300

typedef struct {
  IgSource base;
  const IgConfig *config;   /* borrowed: lives as long as the service */
  char *host;
  guint16 port;
  gboolean implicit_tls;
  char *mailbox;
  mailimap *imap;           /* NULL while disconnected */
  /* The connection's stream driver as libetpan made it, and the copy the
   * stream runs on (guard_stream). */
  const mailstream_low_driver *libetpan_driver;
  mailstream_low_driver driver;
  guint32 uidvalidity;
  guint32 exists_after_finish;
  gint64 retry_at;          /* monotonic µs: no connection attempt before */
  gint64 backoff_s;
} Imap;

typedef struct {
  guint32 uid;
  guint32 size;
} UidSize;

static gboolean imap_ok(int r)
{
  return r == MAILIMAP_NO_ERROR || r == MAILIMAP_NO_ERROR_AUTHENTICATED ||
         r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED;
}

static void fail(Imap *s, GError **error, const char *what, int r)
{
  const char *server = s->imap && s->imap->imap_response ? s->imap->imap_response : NULL;
  g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "IMAP %s:%u: %s failed (libetpan error %d)%s%s",
              s->host, s->port, what, r, server ? ": " : "", server ? server : "");
}

static void disconnect(Imap *s)
{
  if (!s->imap)
    return;
  mailimap_free(s->imap);
  s->imap = NULL;
}

/* After any failure: a server that keeps refusing a command (or a MOVE,
 * or IDLE) after a good login is not hammered with reconnections and
 * refetched batches; the wait grows until a poll cycle goes through. */
static void drop(Imap *s)
{
  disconnect(s);
  s->backoff_s = s->backoff_s ? MIN(s->backoff_s * 2, BACKOFF_MAX_S) : BACKOFF_FIRST_S;
  s->retry_at = g_get_monotonic_time() + s->backoff_s * G_TIME_SPAN_SECOND;
}

/* The stream runs on a copy of the driver libetpan gave it (kept in Imap,
 * found from the stream by its address) that makes up for two faults of
 * libetpan 1.9.4 when the server goes away. */
static const Imap *imap_of(const mailstream_low *low)
{
  return (const Imap *)((const char *)low->driver - G_STRUCT_OFFSET(Imap, driver));
}

/* libetpan reads a literal in a loop that takes the 0 of a read at the
 * end of the stream for "nothing yet": a server gone in the middle of a
 * message would have the service spin at full CPU for ever, past any
 * timeout. The end of the stream is made an error. */
static ssize_t read_or_fail_at_end(mailstream_low *low, void *buf, size_t count)
{
  ssize_t n = imap_of(low)->libetpan_driver->mailstream_read(low, buf, count);
  return n == 0 && count > 0 ? -1 : n;
}

/* libetpan writes with send(2) without MSG_NOSIGNAL: a server gone away
 * would kill the service with SIGPIPE at the next command, or at the
 * LOGOUT that mailimap_free() sends. The write runs with SIGPIPE blocked,
 * and a SIGPIPE it raised is taken back before the mask is restored. */
static ssize_t write_without_sigpipe(mailstream_low *low, const void *buf, size_t count)
{
  sigset_t pipe_only, pending, old;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  sigpending(&pending);
  gboolean pending_before = sigismember(&pending, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  ssize_t n = imap_of(low)->libetpan_driver->mailstream_write(low, buf, count);
  int saved_errno = errno;
  if (n < 0 && saved_errno == EPIPE && !pending_before) {
    const struct timespec now = { 0, 0 };
    sigtimedwait(&pipe_only, NULL, &now);
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  errno = saved_errno;
  return n;
}

/* After each change of the stream's driver (connect, STARTTLS). */
static void guard_stream(Imap *s)
{
  mailstream_low *low = mailstream_get_low(s->imap->imap_stream);
  s->libetpan_driver = low->driver;
  s->driver = *low->driver;
  s->driver.mailstream_read = read_or_fail_at_end;
  s->driver.mailstream_write = write_without_sigpipe;
  low->driver = &s->driver;
}

static void set_sni(struct mailstream_ssl_context *ctx, void *host)
{
  mailstream_ssl_set_server_name(ctx, host);
}

static gboolean verify_peer(Imap *s, GError **error)
{
  carray *chain = mailstream_get_certificate_chain(s->imap->imap_stream);
  g_autoptr(GPtrArray) der = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
  for (unsigned i = 0; chain && i < carray_count(chain); i++) {
    MMAPString *cert = carray_get(chain, i);
    g_ptr_array_add(der, g_bytes_new(cert->str, cert->len));
  }
  if (chain)
    mailstream_certificate_chain_free(chain);
  return tls_verify_chain(der, s->host, s->config->source.ca_file, error);
}

static gboolean login(Imap *s, GError **error)
{
  const IgEndpoint *ep = &s->config->source;
  int r;
  if (ep->oauth2_token_command) {
    char *token = secret_oauth2_token(ep->oauth2_token_command, SECRET_TOKEN_TIMEOUT_S, error);
    if (!token) {
      g_prefix_error(error, "IMAP %s:%u: [source] ", s->host, s->port);
      return FALSE;
    }
    r = mailimap_oauth2_authenticate(s->imap, ep->user, token);
    secret_free(token);
    if (!imap_ok(r)) {
      fail(s, error, "XOAUTH2 login", r);
      return FALSE;
    }
    return TRUE;
  }
  char *password = ep->password_file ? secret_read_file(ep->password_file, error) : NULL;
  if (!password) {
    if (!ep->password_file)
      g_set_error(error, IG_ERROR, IG_ERROR_CONFIG,
                  "%s: [source] needs password_file or oauth2_token_command", s->config->path);
    return FALSE;
  }
  r = mailimap_login(s->imap, ep->user, password);
  secret_free(password);
  if (!imap_ok(r)) {
    fail(s, error, "login", r);
    return FALSE;
  }
  return TRUE;
}

static gboolean connect_and_select(Imap *s, GError **error)
{
  const IgEndpoint *ep = &s->config->source;
  gboolean tls = s->implicit_tls || ep->tls != IG_TLS_NONE;
  struct mailimap_capability_data *caps = NULL;
  int r;

  s->imap = mailimap_new(0, NULL);
  mailimap_set_timeout(s->imap, NETWORK_TIMEOUT_S);
  if (s->implicit_tls)
    r = mailimap_ssl_connect_with_callback(s->imap, s->host, s->port, set_sni, s->host);
  else
    r = mailimap_socket_connect(s->imap, s->host, s->port);
  if (!imap_ok(r)) {
    fail(s, error, s->implicit_tls ? "TLS connection" : "connection", r);
    return FALSE;
  }
  guard_stream(s);
  if (!s->implicit_tls && tls) {
    r = mailimap_socket_starttls_with_callback(s->imap, set_sni, s->host);
    if (!imap_ok(r)) {
      fail(s, error, "STARTTLS", r);
      return FALSE;
    }
    guard_stream(s);
  }
  if (tls && !verify_peer(s, error))
    return FALSE;
  if (!login(s, error))
    return FALSE;
  /* Servers announce more capabilities (MOVE, IDLE, UIDPLUS) after login. */
  r = mailimap_capability(s->imap, &caps);
  if (caps)
    mailimap_capability_data_free(caps);
  if (!imap_ok(r)) {
    fail(s, error, "CAPABILITY", r);
    return FALSE;
  }
  r = mailimap_select(s->imap, s->mailbox);
  if (!imap_ok(r)) {
    fail(s, error, "SELECT", r);
    return FALSE;
  }
  guint32 validity = s->imap->imap_selection_info->sel_uidvalidity;
  if (s->uidvalidity && validity != s->uidvalidity)
    log_msg(IG_LOG_WARN, NULL, NULL,
            "IMAP %s: UIDVALIDITY changed from %u to %u: UIDs are read afresh",
            s->mailbox, s->uidvalidity, validity);
  s->uidvalidity = validity;
  s->exists_after_finish = s->imap->imap_selection_info->sel_exists;
  log_msg(IG_LOG_INFO, NULL, NULL, "IMAP %s:%u/%s connected (%s%s%s)", s->host, s->port,
          s->mailbox, tls ? "TLS verified" : "plain text on loopback",
          mailimap_has_idle(s->imap) ? ", IDLE" : "",
          mailimap_has_extension(s->imap, "MOVE") ? ", MOVE" : "");
  return TRUE;
}

/* Connected and selected, or FALSE: *error set on a failed attempt, not
 * set while the backoff after an earlier failure still runs. */
static gboolean ensure_connected(Imap *s, GError **error)
{
  if (s->imap)
    return TRUE;
  if (g_get_monotonic_time() < s->retry_at)
    return FALSE;
  if (connect_and_select(s, error))
    return TRUE;
  drop(s);
  return FALSE;
}

static struct mailimap_set *uid_set(const UidSize *uids, guint n)
{
  struct mailimap_set *set = mailimap_set_new_empty();
  for (guint i = 0; set && i < n; i++)
    mailimap_set_add_single(set, uids[i].uid);
  return set;
}

/* UIDs and sizes of every message in the mailbox, ascending. */
static GArray *list_messages(Imap *s, GError **error)
{
  clist *found = NULL, *fetched = NULL;
  GArray *out = NULL;
  struct mailimap_set *set = NULL;
  struct mailimap_fetch_type *type = NULL;
  struct mailimap_search_key *all = mailimap_search_key_new_all();
  int r = mailimap_uid_search(s->imap, NULL, all, &found);
  mailimap_search_key_free(all);
  if (!imap_ok(r)) {
    fail(s, error, "UID SEARCH", r);
    /* A refusal after "* SEARCH" lines still hands them over. */
    if (found)
      mailimap_search_result_free(found);
    return NULL;
  }
  out = g_array_new(FALSE, FALSE, sizeof(UidSize));
  if (clist_isempty(found))
    goto out;
  set = mailimap_set_new_empty();
  for (clistiter *it = clist_begin(found); it; it = clist_next(it))
    mailimap_set_add_single(set, *(uint32_t *)clist_content(it));
  type = mailimap_fetch_type_new_fetch_att_list_empty();
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_rfc822_size());
  r = mailimap_uid_fetch(s->imap, set, type, &fetched);
  mailimap_fetch_type_free(type);
  mailimap_set_free(set);
  if (!imap_ok(r)) {
    fail(s, error, "UID FETCH RFC822.SIZE", r);
    /* libetpan has freed the list on a refusal but left the pointer. */
    fetched = NULL;
    g_clear_pointer(&out, g_array_unref);
    goto out;
  }
  for (clistiter *it = clist_begin(fetched); it; it = clist_next(it)) {
    struct mailimap_msg_att *att = clist_content(it);
    UidSize u = { 0, 0 };
    for (clistiter *a = clist_begin(att->att_list); a; a = clist_next(a)) {
      struct mailimap_msg_att_item *item = clist_content(a);
      if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
        continue;
      if (item->att_data.att_static->att_type == MAILIMAP_MSG_ATT_UID)
        u.uid = item->att_data.att_static->att_data.att_uid;
      else if (item->att_data.att_static->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
        u.size = item->att_data.att_static->att_data.att_rfc822_size;
    }
    if (u.uid)
      g_array_append_val(out, u);
  }
out:
  if (found)
    mailimap_search_result_free(found);
  if (fetched)
    mailimap_fetch_list_free(fetched);
  return out;
}

static gint by_uid(gconstpointer a, gconstpointer b)
{
  guint32 x = ((const UidSize *)a)->uid, y = ((const UidSize *)b)->uid;
  return x < y ? -1 : x > y;
}

/* An IMAP date-time ("23-Nov-2026 09:02:11 +0000") as UTC; NULL if it is
 * not a real time. Caller unrefs. */
static GDateTime *imap_time(const struct mailimap_date_time *t)
{
  if (!t)
    return NULL;
  int sign = t->dt_zone < 0 ? -1 : 1;
  int zone = sign * t->dt_zone;
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset(sign * ((zone / 100) * 3600 + (zone % 100) * 60));
  g_autoptr(GDateTime) local = g_date_time_new(tz, t->dt_year, t->dt_month, t->dt_day,
                                               t->dt_hour, t->dt_min, t->dt_sec);
  return local ? g_date_time_to_utc(local) : NULL;
}

/* Fetches the given messages whole, or only their header when header_only,
 * with their INTERNALDATE (when the server took them in), appending
 * IgSourceMessage* to out. */
static gboolean fetch_bodies(Imap *s, const UidSize *uids, guint n, gboolean header_only,
                             GPtrArray *out, GError **error)
{
  if (n == 0)
    return TRUE;
  clist *fetched = NULL;
  struct mailimap_set *set = uid_set(uids, n);
  struct mailimap_fetch_type *type = mailimap_fetch_type_new_fetch_att_list_empty();
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_internaldate());
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_body_peek_section(
      header_only ? mailimap_section_new_header() : mailimap_section_new(NULL)));
  int r = mailimap_uid_fetch(s->imap, set, type, &fetched);
  mailimap_fetch_type_free(type);
  mailimap_set_free(set);
  if (!imap_ok(r)) {
    fail(s, error, "UID FETCH BODY.PEEK[]", r);
    return FALSE;
  }
  for (clistiter *it = clist_begin(fetched); it; it = clist_next(it)) {
    struct mailimap_msg_att *att = clist_content(it);
    guint32 uid = 0;
    struct mailimap_msg_att_body_section *body = NULL;
    const struct mailimap_date_time *internal = NULL;
    for (clistiter *a = clist_begin(att->att_list); a; a = clist_next(a)) {
      struct mailimap_msg_att_item *item = clist_content(a);
      if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
        continue;
      struct mailimap_msg_att_static *st = item->att_data.att_static;
      if (st->att_type == MAILIMAP_MSG_ATT_UID)
        uid = st->att_data.att_uid;
      else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION)
        body = st->att_data.att_body_section;
      else if (st->att_type == MAILIMAP_MSG_ATT_INTERNALDATE)
        internal = st->att_data.att_internal_date;
    }
    if (!uid || !body)
      continue;
    IgSourceMessage *m = g_new0(IgSourceMessage, 1);
    m->uid = uid;
    m->name = g_strdup_printf("imap:%s/%u", s->mailbox, uid);
    m->arrived = imap_time(internal);
    m->raw = g_bytes_new(body->sec_body_part ? body->sec_body_part : "", body->sec_length);
    for (guint i = 0; i < n; i++)
      if (uids[i].uid == uid)
        m->size = uids[i].size;
    g_ptr_array_add(out, m);
  }
  mailimap_fetch_list_free(fetched);
  return TRUE;
}

/* Splits the waiting messages, oldest first, into those fetched whole
 * (at most max in all, SOURCE_BATCH_BYTES together) and the oversized ones, of
 * which only the header is fetched. */
static void choose_batch(Imap *s, GArray *all, guint max, GArray *whole, GArray *heads)
{
  gint64 bytes = 0;
  g_array_sort(all, by_uid);
  for (guint i = 0; i < all->len && whole->len + heads->len < max; i++) {
    UidSize u = g_array_index(all, UidSize, i);
    if ((gint64)u.size > s->config->max_message_size) {
      g_array_append_val(heads, u);
      continue;
    }
    if (whole->len && bytes + u.size > SOURCE_BATCH_BYTES)
      break;
    bytes += u.size;
    g_array_append_val(whole, u);
  }
}

static GPtrArray *imap_fetch(IgSource *self, guint max, GError **error)
{
  Imap *s = (Imap *)self;
  GError *connect_error = NULL;
  if (!ensure_connected(s, &connect_error)) {
    if (!connect_error)
      return g_ptr_array_new_with_free_func((GDestroyNotify)source_message_free);
    g_propagate_error(error, connect_error);
    return NULL;
  }
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)source_message_free);
  GArray *whole = g_array_new(FALSE, FALSE, sizeof(UidSize));
  GArray *heads = g_array_new(FALSE, FALSE, sizeof(UidSize));
  GArray *all = list_messages(s, error);
  gboolean ok = all != NULL;
  if (ok) {
    choose_batch(s, all, max, whole, heads);
    ok = fetch_bodies(s, (UidSize *)whole->data, whole->len, FALSE, out, error) &&
         fetch_bodies(s, (UidSize *)heads->data, heads->len, TRUE, out, error);
  }
  if (all)
    g_array_unref(all);
  g_array_unref(whole);
  g_array_unref(heads);
  if (!ok) {
    drop(s);
    g_clear_pointer(&out, g_ptr_array_unref);
  } else if (!out->len) {
    s->backoff_s = 0;
  }
  return out;
}

static gboolean move_uids(Imap *s, GArray *uids, const char *folder, GError **error)
{
  if (!uids->len)
    return TRUE;
  struct mailimap_set *set = uid_set((UidSize *)uids->data, uids->len);
  int r;
  if (mailimap_has_extension(s->imap, "MOVE")) {
    r = mailimap_uid_move(s->imap, set, folder);
    if (!imap_ok(r))
      fail(s, error, "UID MOVE", r);
  } else {
    struct mailimap_flag_list *flags = mailimap_flag_list_new_empty();
    mailimap_flag_list_add(flags, mailimap_flag_new_deleted());
    struct mailimap_store_att_flags *deleted = mailimap_store_att_flags_new_add_flags(flags);
    r = mailimap_uid_copy(s->imap, set, folder);
    if (!imap_ok(r))
      fail(s, error, "UID COPY", r);
    else if (!imap_ok(r = mailimap_uid_store(s->imap, set, deleted)))
      fail(s, error, "UID STORE \\Deleted", r);
    else if (!imap_ok(r = mailimap_has_uidplus(s->imap) ? mailimap_uid_expunge(s->imap, set)
                                                        : mailimap_expunge(s->imap)))
      fail(s, error, "EXPUNGE", r);
    mailimap_store_att_flags_free(deleted);
  }
  mailimap_set_free(set);
  return imap_ok(r);
}

static gboolean imap_finish(IgSource *self, GPtrArray *messages, GError **error)
{
  Imap *s = (Imap *)self;
  g_autoptr(GArray) processed = g_array_new(FALSE, FALSE, sizeof(UidSize));
  g_autoptr(GArray) quarantine = g_array_new(FALSE, FALSE, sizeof(UidSize));
  for (guint i = 0; i < messages->len; i++) {
    IgSourceMessage *m = g_ptr_array_index(messages, i);
    UidSize u = { m->uid, 0 };
    if (m->recorded)
      g_array_append_val(m->quarantine ? quarantine : processed, u);
  }
  if (!processed->len && !quarantine->len)
    return TRUE;
  if (!s->imap) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME,
                "IMAP %s:%u: connection lost before recorded mail could be moved",
                s->host, s->port);
    return FALSE;
  }
  if (!move_uids(s, processed, s->config->processed_folder, error) ||
      !move_uids(s, quarantine, s->config->quarantine_folder, error)) {
    drop(s);
    return FALSE;
  }
  s->exists_after_finish = s->imap->imap_selection_info->sel_exists;
  s->backoff_s = 0;
  return TRUE;
}

static int poll_fds(int wake_fd, int other_fd, int timeout_ms)
{
  struct pollfd fds[2] = { { wake_fd, POLLIN, 0 }, { other_fd, POLLIN, 0 } };
  return poll(fds, other_fd >= 0 ? 2 : 1, timeout_ms);
}

static gboolean imap_wait(IgSource *self, int wake_fd, int timeout_ms, GError **error)
{
  Imap *s = (Imap *)self;
  if (!s->imap) {
    /* Rounded up: a wait that ended a moment early would find the next
     * fetch still in the backoff. */
    gint64 until_retry = (s->retry_at - g_get_monotonic_time() + 999) / 1000;
    poll_fds(wake_fd, -1, (int)CLAMP(until_retry, 0, timeout_ms));
    return TRUE;
  }
  if (!mailimap_has_idle(s->imap)) {
    poll_fds(wake_fd, -1, timeout_ms);
    return TRUE;
  }
  int r = mailimap_idle(s->imap);
  if (!imap_ok(r)) {
    log_msg(IG_LOG_WARN, NULL, NULL, "IMAP %s:%u: IDLE failed (%d), reconnecting", s->host,
            s->port, r);
    drop(s);
    return TRUE;
  }
  /* Mail that came in since the last command is announced as IDLE starts,
   * and the announcement may already sit in libetpan's read buffer, where
   * poll(2) cannot see it. */
  if (s->imap->imap_selection_info->sel_exists <= s->exists_after_finish &&
      s->imap->imap_stream->read_buffer_len == 0)
    poll_fds(wake_fd, mailimap_idle_get_fd(s->imap), timeout_ms);
  r = mailimap_idle_done(s->imap);
  if (!imap_ok(r)) {
    log_msg(IG_LOG_WARN, NULL, NULL, "IMAP %s:%u: IDLE ended badly (%d), reconnecting",
            s->host, s->port, r);
    drop(s);
  }
  return TRUE;
}

static void imap_free(IgSource *self)
{
  Imap *s = (Imap *)self;
  if (s->imap)
    mailimap_logout(s->imap);
  disconnect(s);
  g_free(s->host);
  g_free(s->mailbox);
  g_free(s);
}

IgSource *net_imap_new(const IgConfig *config, GError **error)
{
  const char *url = config->source.url;
  g_autoptr(GError) parse = NULL;
  /* ";STARTTLS" and the like are URL options, after the mailbox or right
   * after the host ("imap://127.0.0.1;STARTTLS"): neither is part of them. */
  g_autofree char *bare = g_strndup(url, strcspn(url, ";"));
  g_autoptr(GUri) uri = g_uri_parse(bare, G_URI_FLAGS_NONE, &parse);
  if (!uri || !g_uri_get_host(uri)) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s: [source] url = \"%s\": %s",
                config->path, url, parse ? parse->message : "no host");
    return NULL;
  }
  Imap *s = g_new0(Imap, 1);
  s->base = (IgSource){ imap_fetch, imap_finish, imap_wait, imap_free };
  s->config = config;
  s->implicit_tls = g_str_equal(g_uri_get_scheme(uri), "imaps");
  s->host = g_strdup(g_uri_get_host(uri));
  s->port = g_uri_get_port(uri) > 0 ? (guint16)g_uri_get_port(uri) : (s->implicit_tls ? 993 : 143);
  const char *path = g_uri_get_path(uri);
  s->mailbox = g_strdup(path && path[0] == '/' && path[1] ? path + 1 : "INBOX");
  return &s->base;
}

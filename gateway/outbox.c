/* outbox.c - queueing and delivering outgoing mail (outbox.h). */
#include "gateway/outbox.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "gateway/address.h"
#include "gateway/compose.h"
#include "gateway/error.h"
#include "gateway/log.h"
#include "gateway/loopmark.h"
#include "gateway/webhook.h"

/* Backoff doubles from one minute up to six hours; after this many
 * attempts (about four days) the row is marked failed for an operator. */
#define RETRY_FIRST_SECONDS 60
#define RETRY_MAX_SECONDS (6 * 3600)
#define RETRY_GIVE_UP_ATTEMPTS 24

/* A row is claimed before it is sent; a claim lapses after this long,
 * well beyond the longest send (SMTP gives up after 135 s). */
#define CLAIM_SECONDS (10 * 60)

/* Rows claimed, sent and (with a flushing transport) synced and marked
 * together: as many as a batch of incoming mail gives about. */
#define DELIVER_GROUP 64

/* The HTML part carries the mark too: a reply may quote that part alone. */
static char *html_with_mark(const char *html, const char *mark)
{
  g_autofree char *escaped = g_markup_escape_text(mark, -1);
  const char *end = g_strrstr(html, "</body>");
  GString *out = g_string_new_len(html, end ? end - html : (gssize)strlen(html));
  g_string_append_printf(out, "<p style=\"color:#888888;font-size:11px\">-- <br>%s</p>\n%s",
                         escaped, end ? end : "");
  return g_string_free(out, FALSE);
}

gboolean outbox_queue_mail(IgStore *store, const IgConfig *config,
                           IgTemplates *templates, GDateTime *now,
                           const IgMailRequest *req, GError **error)
{
  g_autofree char *subject = NULL, *text = NULL;
  g_autoptr(GPtrArray) to_list = g_ptr_array_new_with_free_func(g_free);
  for (const char *const *t = req->to; t && *t; t++) {
    g_autoptr(GError) why = NULL;
    char *addr = address_canonical(*t, &why);
    if (!addr) {
      g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "%s mail: recipient %s", req->template_name,
                  why->message);
      return FALSE;
    }
    g_ptr_array_add(to_list, addr);
  }
  g_ptr_array_add(to_list, NULL);
  if (!templates_render(templates, req->template_name, req->vars, &subject, &text, error))
    return FALSE;
  /* After the template, so that no edit of it can drop the mark. */
  g_autofree char *mark = loopmark_line(req->reference, config->address);
  g_autofree char *marked = g_strdup_printf("%s%s-- \n%s\n", text,
                                            g_str_has_suffix(text, "\n") ? "" : "\n", mark);
  g_autofree char *html = req->html ? html_with_mark(req->html, mark) : NULL;
  g_autofree char *message_id = compose_message_id(req->reference, req->template_name,
                                                   config->address);
  IgOutMail out = {
    .from = config->from,
    .to = (const char *const *)to_list->pdata,
    .subject = subject,
    .text = marked,
    .html = html,
    .message_id = message_id,
    .in_reply_to = req->in_reply_to,
    .references = req->references,
    .auto_replied = req->auto_replied,
    .loop_address = config->address,
    .date = now,
  };
  g_autoptr(GBytes) body = compose_mail(&out);
  g_autofree char *to = g_strjoinv(", ", (char **)to_list->pdata);
  g_autofree char *at = iso_utc(now);
  IgOutboxIn row = {
    .incident_id = req->incident_id,
    .kind = "mail",
    .template_name = req->template_name,
    .to = to,
    .subject = subject,
    .message_id = message_id,
    .body = body,
    .created_at = at,
  };
  return store_outbox_add(store, &row, error) != 0;
}

/* "HOST PID": whoever reads a claim on this host can tell whether its
 * owner still lives. */
static char *claim_owner(void)
{
  return g_strdup_printf("%s %ld", g_get_host_name(), (long)getpid());
}

/* A claim left by a process of this host that has died (kill -9, power
 * cut) is released at once rather than after CLAIM_SECONDS, so its mail
 * goes out when the service is restarted. So is one of this process's
 * own: passes never overlap, so it was left by a pass the store failed
 * (a database restarting) before its rows could be marked. */
static gboolean release_dead_claims(IgStore *store, GError **error)
{
  g_autoptr(GPtrArray) owners = store_outbox_claimers(store, error);
  if (!owners)
    return FALSE;
  g_autofree char *local = g_strdup_printf("%s ", g_get_host_name());
  for (guint i = 0; i < owners->len; i++) {
    const char *owner = g_ptr_array_index(owners, i);
    if (!g_str_has_prefix(owner, local))
      continue;
    gint64 pid = g_ascii_strtoll(owner + strlen(local), NULL, 10);
    gboolean dead = pid > 0 && pid <= G_MAXINT && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
    if ((dead || pid == getpid()) && !store_outbox_release(store, owner, error))
      return FALSE;
  }
  return TRUE;
}

/* Counts a failed attempt of row: retried later with backoff, or handed
 * to an operator when no retry can mend it. */
static gboolean note_failure(IgStore *store, const IgOutboxRec *row, GDateTime *now,
                             const GError *why, GError **error)
{
  gint64 delay = RETRY_FIRST_SECONDS << MIN(row->attempts, 20);
  delay = MIN(delay, RETRY_MAX_SECONDS);
  g_autoptr(GDateTime) next = g_date_time_add_seconds(now, (gdouble)delay);
  g_autofree char *next_at = iso_utc(next);
  /* A row no retry can mend (an invalid recipient) goes to an operator now. */
  gboolean give_up = row->attempts + 1 >= RETRY_GIVE_UP_ATTEMPTS ||
                     g_error_matches(why, IG_ERROR, IG_ERROR_INPUT);
  if (!store_outbox_retry(store, row->id, next_at, give_up, why->message, error))
    return FALSE;
  log_msg(IG_LOG_WARN, row->reference, row->message_id, "%s to %s: %s",
          give_up ? "gave up sending" : "will retry sending", row->to, why->message);
  return TRUE;
}

/* Marks the rows sent together, then logs them. */
static gboolean mark_sent(IgStore *store, GPtrArray *rows, const char *at, GError **error)
{
  g_autofree gint64 *ids = g_new(gint64, rows->len + 1);
  for (guint i = 0; i < rows->len; i++)
    ids[i] = ((IgOutboxRec *)g_ptr_array_index(rows, i))->id;
  if (!store_outbox_sent_many(store, ids, rows->len, at, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++) {
    const IgOutboxRec *row = g_ptr_array_index(rows, i);
    log_msg(IG_LOG_INFO, row->reference, row->message_id, "sent to %s", row->to);
  }
  return TRUE;
}

/* Sends one claimed group. A transport that flushes gets the group's
 * mails, then one flush, then one mark of them all; webhooks and other
 * transports (SMTP: the server's reply is its durability) are marked one
 * by one as they go, so a crash repeats at most one of them. */
static gboolean deliver_group(IgStore *store, const IgConfig *config, IgTransport *transport,
                              GDateTime *now, const char *at, GPtrArray *rows, guint *sent,
                              guint *failed, GError **error)
{
  g_autoptr(GPtrArray) accepted = g_ptr_array_new();
  for (guint i = 0; i < rows->len; i++) {
    IgOutboxRec *row = g_ptr_array_index(rows, i);
    gboolean mail = g_strcmp0(row->kind, "webhook") != 0;
    g_autoptr(GError) send_error = NULL;
    gboolean ok = mail ? transport->send(transport, row, &send_error)
                       : webhook_post(config, row, &send_error);
    if (!ok) {
      if (!note_failure(store, row, now, send_error, error))
        return FALSE;
      (*failed)++;
      continue;
    }
    if (mail && transport->flush) {
      g_ptr_array_add(accepted, row);
      continue;
    }
    g_autoptr(GPtrArray) one = g_ptr_array_new();
    g_ptr_array_add(one, row);
    if (!mark_sent(store, one, at, error))
      return FALSE;
    (*sent)++;
  }
  if (!accepted->len)
    return TRUE;
  log_msg(IG_LOG_DEBUG, NULL, NULL, "%u mail(s) written; syncing them together",
          accepted->len);
  g_autoptr(GError) flush_error = NULL;
  if (!transport->flush(transport, &flush_error)) {
    for (guint i = 0; i < accepted->len; i++)
      if (!note_failure(store, g_ptr_array_index(accepted, i), now, flush_error, error))
        return FALSE;
    *failed += accepted->len;
    return TRUE;
  }
  if (!mark_sent(store, accepted, at, error))
    return FALSE;
  *sent += accepted->len;
  return TRUE;
}

gboolean outbox_deliver(IgStore *store, const IgConfig *config, IgTransport *transport,
                        GDateTime *now, guint *sent, guint *failed, GError **error)
{
  *sent = *failed = 0;
  g_autofree char *at = iso_utc(now);
  g_autoptr(GDateTime) lease_end = g_date_time_add_seconds(now, CLAIM_SECONDS);
  g_autofree char *until = iso_utc(lease_end);
  g_autofree char *owner = claim_owner();
  if (!release_dead_claims(store, error))
    return FALSE;
  for (;;) {
    g_autoptr(GPtrArray) rows = store_outbox_claim_many(store, at, owner, until,
                                                        DELIVER_GROUP, error);
    if (!rows)
      return FALSE;
    if (!rows->len)
      return TRUE;
    if (!deliver_group(store, config, transport, now, at, rows, sent, failed, error))
      return FALSE;
  }
}

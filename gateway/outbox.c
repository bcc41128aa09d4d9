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
 * goes out when the service is restarted. */
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
    if (pid > 0 && pid <= G_MAXINT && kill((pid_t)pid, 0) != 0 && errno == ESRCH &&
        !store_outbox_release(store, owner, error))
      return FALSE;
  }
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
    g_autoptr(GError) claim_error = NULL;
    g_autoptr(IgOutboxRec) row = store_outbox_claim(store, at, owner, until, &claim_error);
    if (!row) {
      if (!claim_error)
        return TRUE;
      g_propagate_error(error, g_steal_pointer(&claim_error));
      return FALSE;
    }
    g_autoptr(GError) send_error = NULL;
    gboolean ok = g_strcmp0(row->kind, "webhook") == 0
                      ? webhook_post(config, row, &send_error)
                      : transport->send(transport, row, &send_error);
    if (ok) {
      if (!store_outbox_sent(store, row->id, at, error))
        return FALSE;
      (*sent)++;
      log_msg(IG_LOG_INFO, row->reference, row->message_id, "sent to %s", row->to);
      continue;
    }
    gint64 delay = RETRY_FIRST_SECONDS << MIN(row->attempts, 20);
    delay = MIN(delay, RETRY_MAX_SECONDS);
    g_autoptr(GDateTime) next = g_date_time_add_seconds(now, (gdouble)delay);
    g_autofree char *next_at = iso_utc(next);
    /* A row no retry can mend (an invalid recipient) goes to an operator now. */
    gboolean give_up = row->attempts + 1 >= RETRY_GIVE_UP_ATTEMPTS ||
                       g_error_matches(send_error, IG_ERROR, IG_ERROR_INPUT);
    if (!store_outbox_retry(store, row->id, next_at, give_up, send_error->message, error))
      return FALSE;
    (*failed)++;
    log_msg(IG_LOG_WARN, row->reference, row->message_id, "%s to %s: %s",
            give_up ? "gave up sending" : "will retry sending", row->to,
            send_error->message);
  }
}

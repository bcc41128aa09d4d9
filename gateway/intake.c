/* intake.c - recording a batch of messages (intake.h).
 *
 * For each message: dedupe (SHA-256 of the raw bytes, then Message-ID),
 * bound its size, parse it, decide what it is (automatic or human, part
 * of a known incident or new) and hand it to the case logic (cases.c),
 * all inside one transaction per batch with a savepoint per message. */
#include "gateway/intake.h"

#include <string.h>

#include "gateway/error.h"
#include "parsers/hash.h"
#include "gateway/log.h"
#include "gateway/loopmark.h"
#include "gateway/cases.h"

#define FAILURES_BEFORE_QUARANTINE 3

const char *intake_outcome_name(IgIntakeOutcome outcome)
{
  static const char *const names[] = { "failed", "new", "attached", "unmatched",
                                       "duplicate", "quarantined" };
  return names[outcome];
}

void intake_item_clear(IgIntakeItem *item)
{
  g_clear_pointer(&item->reference, g_free);
  g_clear_pointer(&item->message_id, g_free);
  g_clear_pointer(&item->error, g_free);
}

/* The header block of an oversized message, so that `messages` can still
 * say whom it came from; the body is never parsed. */
static IgMail *parse_header_only(const char *raw, gsize len)
{
  gsize header = mail_header_length(raw, len);
  return header ? mail_parse(raw, header, NULL) : NULL;
}

static gboolean process_one(IgIntake *ctx, IgIntakeItem *item, const char *sha256,
                            const char *at, GError **error)
{
  IgCaseMsg m = { .ctx = ctx, .item = item, .sha256 = sha256, .at = at };
  g_autoptr(GError) parse_error = NULL;
  gboolean seen = FALSE, ok = FALSE;
  IgAutoVerdict verdict;
  gint64 incident_id = 0;
  m.raw = g_bytes_get_data(item->raw, &m.len);
  if (!m.raw)
    m.raw = "";

  if (!store_message_seen(ctx->store, m.sha256, NULL, &seen, error))
    goto out;
  if (seen) {
    item->outcome = IG_INTAKE_DUPLICATE;
    ok = TRUE;
    goto out;
  }
  if (MAX(item->size, (gint64)m.len) > ctx->config->max_message_size) {
    m.mail = parse_header_only(m.raw, m.len);
    g_autofree char *reason = g_strdup_printf("larger than max_message_size (%" G_GINT64_FORMAT
        " > %" G_GINT64_FORMAT " bytes)", MAX(item->size, (gint64)m.len),
        ctx->config->max_message_size);
    ok = case_quarantine(&m, reason, error);
    goto out;
  }
  m.mail = mail_parse(m.raw, m.len, &parse_error);
  if (!m.mail) {
    ok = case_quarantine(&m, parse_error->message, error);
    goto out;
  }
  item->message_id = g_strdup(m.mail->message_id);
  if (m.mail->message_id &&
      !store_message_seen(ctx->store, m.sha256, m.mail->message_id, &seen, error))
    goto out;
  if (seen) {
    item->outcome = IG_INTAKE_DUPLICATE;
    ok = TRUE;
    goto out;
  }

  verdict = autoreply_classify(m.mail, ctx->config->address);
  if (verdict.cls == IG_AUTO_BOUNCE && m.mail->reported_message_id &&
      !case_note_bounce(&m, &incident_id, error))
    goto out;
  if (!incident_id)
    incident_id = case_thread_of(&m, error);
  if (error && *error)
    goto out;
  /* Quoting a gateway's automatic mail without being a reply to one of our
   * incidents: what a robot between two gateways sends back. Answering
   * it, or opening an incident whose notices it would send back again, is
   * a mail loop (loopmark.h). */
  if (!incident_id && !autoreply_kind(verdict.cls) &&
      loopmark_find(m.mail->body, ctx->config->address, NULL))
    verdict = (IgAutoVerdict){ IG_AUTO_REPLY, FALSE,
                               "quotes automatic mail of an incident gateway" };
  if (incident_id || autoreply_kind(verdict.cls))
    ok = case_attach(&m, &verdict, incident_id, error);
  else
    ok = case_new_report(&m, &verdict, error);
out:
  if (ok)
    log_msg(IG_LOG_INFO, item->reference, item->message_id, "%s: %s %s", item->name,
            intake_outcome_name(item->outcome), item->kind ? item->kind : "");
  mail_free(m.mail);
  return ok;
}

/* Counts a failure of item; at the third it is quarantined so the rest go
 * on. Savepoints nest: a failed quarantine keeps the count. */
static void handle_failure(IgIntake *ctx, IgIntakeItem *item, const char *sha256,
                           const char *at, const char *why)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *raw = g_bytes_get_data(item->raw, &len);
  int count = -1;
  item->outcome = IG_INTAKE_FAILED;
  item->error = g_strdup(why);

  if (!store_savepoint(ctx->store, &error))
    goto out;
  count = store_note_failure(ctx->store, sha256, why, at, &error);
  if (count >= FAILURES_BEFORE_QUARANTINE && store_savepoint(ctx->store, &error)) {
    g_autofree char *reason = g_strdup_printf("failed %d times: %s", count, why);
    IgCaseMsg m = { .ctx = ctx, .item = item, .raw = raw ? raw : "", .len = len,
                    .sha256 = sha256, .at = at };
    if (case_quarantine(&m, reason, &error))
      store_release(ctx->store, &error);
    else
      store_rollback_to(ctx->store);
  }
  if (count < 0)
    store_rollback_to(ctx->store);
  else
    store_release(ctx->store, &error);
out:
  if (error)
    log_msg(IG_LOG_ERROR, NULL, NULL, "%s: could not record the failure: %s", item->name,
            error->message);
  log_msg(IG_LOG_WARN, NULL, item->message_id, "%s: %s (%s)", item->name,
          intake_outcome_name(item->outcome), why);
}

/* Records items in one transaction, a savepoint each; the in-flight
 * marks of all of them go with the commit. */
static gboolean record(IgIntake *ctx, IgIntakeItem *items, gsize n, char **shas,
                       const char *at, GError **error)
{
  if (!store_begin(ctx->store, error))
    return FALSE;
  for (gsize i = 0; i < n; i++) {
    IgIntakeItem *item = &items[i];
    g_autoptr(GError) item_error = NULL;
    if (store_savepoint(ctx->store, &item_error)) {
      if (process_one(ctx, item, shas[i], at, &item_error) &&
          store_release(ctx->store, &item_error))
        continue;
      store_rollback_to(ctx->store);
    }
    intake_item_clear(item);
    handle_failure(ctx, item, shas[i], at, item_error ? item_error->message : "unknown error");
  }
  for (gsize i = 0; i < n; i++)
    if (!store_in_flight_clear(ctx->store, shas[i], error))
      goto fail;
  if (store_commit(ctx->store, error))
    return TRUE;
fail:
  store_rollback(ctx->store);
  for (gsize i = 0; i < n; i++) {
    intake_item_clear(&items[i]);
    items[i].outcome = IG_INTAKE_FAILED;
    items[i].error = g_strdup((*error)->message);
  }
  return FALSE;
}

/* A message marked alone and still marked was being recorded when the
 * process died: it is the likely cause, and it counts as a failure. */
static gboolean record_alone(IgIntake *ctx, IgIntakeItem *item, char *sha, const char *at,
                             int mark_state, GError **error)
{
  int count = 0;
  if (mark_state == 1) {
    if (!store_begin(ctx->store, error))
      return FALSE;
    count = store_note_failure(ctx->store, sha, "the gateway stopped while recording it", at,
                               error);
    if (count < 0 || !store_commit(ctx->store, error)) {
      store_rollback(ctx->store);
      return FALSE;
    }
  }
  if (count < FAILURES_BEFORE_QUARANTINE)
    return store_in_flight_mark(ctx->store, &sha, 1, TRUE, error) &&
           record(ctx, item, 1, &sha, at, error);

  /* Quarantined unparsed: parsing it is what stopped the gateway. */
  gsize len = 0;
  const char *raw = g_bytes_get_data(item->raw, &len);
  g_autofree char *reason = g_strdup_printf("the gateway stopped %d times while recording it",
                                            count);
  IgCaseMsg m = { .ctx = ctx, .item = item, .raw = raw ? raw : "", .len = len, .sha256 = sha,
                  .at = at };
  if (!store_begin(ctx->store, error))
    return FALSE;
  if (!case_quarantine(&m, reason, error) || !store_in_flight_clear(ctx->store, sha, error) ||
      !store_commit(ctx->store, error)) {
    store_rollback(ctx->store);
    intake_item_clear(item);
    item->outcome = IG_INTAKE_FAILED;
    return FALSE;
  }
  log_msg(IG_LOG_WARN, NULL, NULL, "%s: quarantined (%s)", item->name, reason);
  return TRUE;
}

gboolean intake_batch(IgIntake *ctx, IgIntakeItem *items, gsize n, GError **error)
{
  g_autofree char *at = iso_utc(ctx->now);
  char **shas = g_new0(char *, n + 1);
  gboolean suspects = FALSE, ok = TRUE;
  g_autofree int *marks = g_new0(int, n);
  for (gsize i = 0; i < n; i++) {
    gsize len = 0;
    const char *raw = g_bytes_get_data(items[i].raw, &len);
    shas[i] = hash_sha256_hex(raw ? raw : "", len);
    intake_item_clear(&items[i]);
    items[i].outcome = IG_INTAKE_FAILED;
    items[i].kind = NULL;
    marks[i] = store_in_flight_get(ctx->store, shas[i], error);
    if (marks[i] == -2) {
      ok = FALSE;
      goto out;
    }
    suspects |= marks[i] >= 0;
  }
  /* After a crash the messages it interrupted are recorded one by one,
   * so a message that kills the process is found and put aside. */
  if (!suspects) {
    ok = store_in_flight_mark(ctx->store, shas, n, FALSE, error) &&
         record(ctx, items, n, shas, at, error);
    goto out;
  }
  for (gsize i = 0; ok && i < n; i++)
    ok = record_alone(ctx, &items[i], shas[i], at, marks[i], error);
out:
  g_strfreev(shas);
  return ok;
}

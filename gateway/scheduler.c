/* scheduler.c - due work (scheduler.h): each due deadline handed to the
 * case logic that owns it, in one transaction with the rest, so that a
 * crash half way repeats nothing that was committed. */
#include "gateway/scheduler.h"

#include "gateway/cases.h"
#include "gateway/digest.h"

gboolean scheduler_run_due(IgIntake *ctx, guint *done, GError **error)
{
  *done = 0;
  g_autofree char *now = iso_utc(ctx->now);
  if (!store_begin(ctx->store, error))
    return FALSE;
  g_autoptr(GArray) held = store_due_deadlines(ctx->store, "correspondence_notice", now, error);
  gboolean ok = held != NULL;
  for (guint i = 0; ok && i < held->len; i++)
    ok = case_send_held(ctx, g_array_index(held, gint64, i), error);
  guint digests = 0;
  ok = ok && digest_run_due(ctx, &digests, error);
  if (ok && store_commit(ctx->store, error)) {
    *done = held->len + digests;
    return TRUE;
  }
  store_rollback(ctx->store);
  return FALSE;
}

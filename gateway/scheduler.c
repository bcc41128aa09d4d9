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
  g_autoptr(GPtrArray) due = store_due_deadlines(ctx->store, now, error);
  gboolean ok = due != NULL;
  for (guint i = 0; ok && i < due->len; i++)
    ok = case_deadline_due(ctx, g_ptr_array_index(due, i), error);
  guint digests = 0;
  ok = ok && digest_run_due(ctx, &digests, error);
  if (ok && store_commit(ctx->store, error)) {
    *done = due->len + digests;
    return TRUE;
  }
  store_rollback(ctx->store);
  return FALSE;
}

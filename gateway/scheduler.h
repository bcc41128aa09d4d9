/* scheduler.h - the work that falls due with time rather than with mail
 * (SPEC 8): what `poll` and `run` do on every pass before sending the
 * outbox. Each due deadline acts once a pass: reminders, escalations and
 * correspondence held back from OST for an hour. */
#ifndef IG_SCHEDULER_H
#define IG_SCHEDULER_H

#include <glib.h>
#include "gateway/intake.h"

/* Does everything due at ctx->now in one transaction; *done counts it.
 * FALSE (nothing done) when the store fails. */
gboolean scheduler_run_due(IgIntake *ctx, guint *done, GError **error);

#endif

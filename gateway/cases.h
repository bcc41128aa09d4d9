/* cases.h - case logic: what a recorded message does to the case store.
 *
 * intake.c decides what a message is; these functions record it: a new
 * incident with its routing, acknowledgement and deadlines; mail that
 * joins an incident; a quarantined message; a bounce of our own mail.
 * Everything happens inside the caller's transaction. Internal to the
 * intake: the caller owns every field of IgCaseMsg. */
#ifndef IG_CASES_H
#define IG_CASES_H

#include <glib.h>
#include "gateway/intake.h"
#include "parsers/autoreply.h"
#include "parsers/mail.h"

/* One message while it is being recorded. */
typedef struct {
  IgIntake *ctx;
  IgIntakeItem *item;       /* outcome, kind and reference are set here */
  const char *raw;
  gsize len;
  const char *sha256;
  const char *at;           /* ctx->now as ISO */
  IgMail *mail;             /* NULL when unreadable */
} IgCaseMsg;

/* The incident a message belongs to: a reference in its subject, else a
 * Message-ID it answers; 0 when none (check *error). */
gint64 case_thread_of(IgCaseMsg *m, GError **error);

/* A DSN or MDN about one of our mails: marks its outbox row bounced when
 * it says the mail could not be delivered (autoreply_delivery_failed()),
 * and sets *incident_id to that mail's incident (0 when unknown). */
gboolean case_note_bounce(IgCaseMsg *m, gint64 *incident_id, GError **error);

/* Opens an incident from a report: routing, acknowledgement, deadlines. */
gboolean case_new_report(IgCaseMsg *m, const IgAutoVerdict *verdict, GError **error);

/* Stores mail that never opens an incident: automatic mail (attached to
 * incident_id, which may be 0), or a person's reply to incident_id
 * (case_reply()). */
gboolean case_attach(IgCaseMsg *m, const IgAutoVerdict *verdict, gint64 incident_id,
                     GError **error);

/* A person's mail to incident_id (case_reply.c): an OST member's
 * commands, applied when the mail passes [ost] require_authentication
 * and reported to OST as a security event when it does not; anyone
 * else's correspondence, the reporter's filling in missing fields. */
gboolean case_reply(IgCaseMsg *m, gint64 incident_id, GError **error);

/* The correspondence held back from OST for incident_id (at most one
 * notice an hour, case_reply()) passed on now that its
 * correspondence_notice deadline is due. */
gboolean case_send_held(IgIntake *ctx, gint64 incident_id, GError **error);

/* Acts on a deadline fallen due at ctx->now (SPEC 8): a reminder or an
 * escalation queued, the deadline moved on or ended, audited; a deadline
 * whose wait is over (triaged, form complete, report in) just ends. In
 * the caller's transaction. */
gboolean case_deadline_due(IgIntake *ctx, const IgDeadlineRec *deadline, GError **error);

/* Stores the message as quarantined with reason and tells OST. */
gboolean case_quarantine(IgCaseMsg *m, const char *reason, GError **error);

#endif

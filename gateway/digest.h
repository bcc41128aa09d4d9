/* digest.h - the manager digest (SPEC 8): what happened since the last
 * one, what is open and overdue, the quarter so far by category, and the
 * head of the audit hash chain, so that a copy of it lives outside the
 * gateway (`verify --anchor HASH`).
 *
 * It goes to [stakeholders] managers as one multipart/alternative mail
 * (templates/digest.txt and templates/digest.html) through the outbox:
 * daily at [digest] daily_at, local time in [gateway] timezone, from the
 * scheduler, and on demand (`digest --send`). A daily digest goes out at
 * most once per local date, from whichever process gets there first; one
 * missed while the service was down goes out at the first pass later the
 * same day, and a day missed whole is not sent late. `digest --print`
 * builds it and records nothing. */
#ifndef IG_DIGEST_H
#define IG_DIGEST_H

#include <glib.h>
#include "gateway/intake.h"
#include "gateway/store.h"
#include "gateway/template.h"

/* The figures of one digest; every list and count is the store's at now. */
typedef struct {
  GDateTime *now;            /* when it was built */
  char *since;               /* the last digest sent (ISO UTC), NULL when none */
  GPtrArray *new_incidents;  /* IgDigestItem*: recorded since, oldest first */
  GPtrArray *late;           /* IgDigestItem*: those of them reported late */
  GPtrArray *overdue;        /* IgDigestItem*: pending deadlines past due */
  GPtrArray *open_by_status; /* IgCountRow*: new ... resolved, zeros included */
  GPtrArray *open_by_impact; /* IgCountRow*: high, medium, low, zeros included,
                                then NULL (not stated) when some have none */
  gint64 open_total;
  char *quarter;             /* "2026 Q4", the local quarter of now */
  GDateTime *quarter_start;  /* its first local midnight */
  GPtrArray *by_category;    /* IgCountRow*: each category, zeros included,
                                then NULL (none) when some have none */
  gint64 quarter_total;
  char *head_hash;           /* the audit chain's head */
  char *head_at;             /* its newest event's time (ISO UTC), NULL when none */
} IgDigest;

/* Gathers the digest at now (time zone tz) from store. Caller frees. */
IgDigest *digest_build(IgStore *store, GTimeZone *tz, GDateTime *now, GError **error);
void digest_free(IgDigest *digest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgDigest, digest_free)

/* The template values of digest (digest_render.c): plain text for
 * digest.txt, and tables of HTML, every value in them escaped, for
 * digest.html's {{&name}} tags. Caller unrefs. */
GHashTable *digest_vars(const IgDigest *digest, GTimeZone *tz);

/* Renders the digest's subject, text and HTML parts (caller frees each). */
gboolean digest_render(const IgDigest *digest, IgTemplates *templates, GTimeZone *tz,
                       char **subject, char **text, char **html, GError **error);

/* Queues the digest at ctx->now to the managers and records it sent, in
 * the caller's transaction. IG_ERROR_CONFIG naming [stakeholders]
 * managers when there are none. */
gboolean digest_send(IgIntake *ctx, GError **error);

/* The daily digest, in the caller's transaction: queued and recorded when
 * the local time has reached daily_at and none was sent for this local
 * date; *done is 1 then, else 0. Nothing is due without managers. */
gboolean digest_run_due(IgIntake *ctx, guint *done, GError **error);

#endif

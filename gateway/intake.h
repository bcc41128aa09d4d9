/* intake.h - one raw message through store, parse and case logic.
 *
 * The caller owns the transaction: intake_batch() records a batch of
 * messages in one commit (a savepoint per message, so one failure rolls
 * back that message alone), and only after the commit may the caller take
 * them out of the source. A message that fails three times, an oversized
 * or unreadable one, is stored as quarantined and OST is told. */
#ifndef IG_INTAKE_H
#define IG_INTAKE_H

#include <glib.h>
#include "gateway/config.h"
#include "gateway/ost_auth.h"
#include "gateway/store.h"
#include "gateway/template.h"

typedef struct {
  const IgConfig *config;
  IgStore *store;
  IgTemplates *templates;
  GDateTime *now;           /* the clock (--now); drives every timestamp */
  const IgOstAuthOptions *auth; /* tests only (a DKIM key file); NULL */
} IgIntake;

typedef enum {
  IG_INTAKE_FAILED,         /* not recorded: leave it in the source, retry */
  IG_INTAKE_NEW,            /* opened an incident */
  IG_INTAKE_ATTACHED,       /* joined an existing incident */
  IG_INTAKE_UNMATCHED,      /* stored, belongs to no incident */
  IG_INTAKE_DUPLICATE,      /* already stored: same bytes or Message-ID */
  IG_INTAKE_QUARANTINED,    /* stored as quarantined */
} IgIntakeOutcome;

typedef struct {
  const char *name;         /* file name or label for messages; borrowed */
  GBytes *raw;              /* borrowed: the message, or its header alone when oversized */
  gint64 size;              /* the message's full size; 0 = the size of raw */
  GDateTime *arrived;       /* borrowed: when the source says it arrived, or NULL */
  /* filled by intake_batch(): */
  IgIntakeOutcome outcome;
  const char *kind;         /* static: report, correspondence, bulk, ... */
  char *reference;          /* owned; NULL when none */
  char *message_id;         /* owned; NULL when none */
  char *error;              /* owned; why it failed */
} IgIntakeItem;

void intake_item_clear(IgIntakeItem *item);

/* Records items[0..n) in one transaction. FALSE (nothing recorded) only
 * when the transaction itself cannot begin or commit; per-message trouble
 * is reported in each item's outcome. */
gboolean intake_batch(IgIntake *ctx, IgIntakeItem *items, gsize n, GError **error);

/* Human-readable outcome ("new", "duplicate", ...); static. */
const char *intake_outcome_name(IgIntakeOutcome outcome);

#endif

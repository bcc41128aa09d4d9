/* case_command.h - an authenticated OST member's commands applied to an
 * incident (SPEC 7): all of one mail's commands, or none.
 *
 * Internal to the case logic (case_reply.c); runs inside the caller's
 * transaction. */
#ifndef IG_CASE_COMMAND_H
#define IG_CASE_COMMAND_H

#include <glib.h>
#include "gateway/cases.h"
#include "gateway/records.h"
#include "parsers/ost_command.h"

/* Checks cmds against inc as it stands; when any is refused, applies
 * nothing, appends why (char*, one line each) to refused and audits the
 * refusal. Otherwise writes every change to inc and the store, audited
 * with actor, before and after, appends what was done to applied, fires
 * the policy rules the new state calls for and settles the deadlines;
 * *status_changed says whether the status moved. FALSE only on a store
 * error. */
gboolean case_commands_apply(IgCaseMsg *m, IgIncident *inc, const IgOstCommands *cmds,
                             const char *actor, GPtrArray *applied, GPtrArray *refused,
                             gboolean *status_changed, GError **error);

#endif

/* cases_shared.h - what the case logic files (cases.c, case_reply.c,
 * case_command.c, case_outcome.c) share: template variables, audit events, stored
 * messages, mail to OST and the policy rules. Internal to the case logic;
 * everything happens inside the caller's transaction. */
#ifndef IG_CASES_SHARED_H
#define IG_CASES_SHARED_H

#include <glib.h>
#include "gateway/cases.h"
#include "gateway/records.h"

/* Template variables: char* name (static) -> char* value (owned). */
GHashTable *case_vars_new(void);
/* Sets name to a copy of value ("" for NULL). */
void case_var(GHashTable *vars, const char *name, const char *value);
/* As case_var(), cut at max characters, saying so when it is. */
void case_var_capped(GHashTable *vars, const char *name, const char *value, glong max);

/* What a mail said, passed on to OST and stakeholders: enough to act on,
 * never so much that one report makes every notification huge. The
 * stored raw message keeps it all. */
#define NOTICE_FIELD_MAX 1000
#define NOTICE_TEXT_MAX (16 * 1024)

/* The variables of an incident's notices (reference, summary, ...). */
GHashTable *case_incident_vars(const IgConfig *config, const IgIncident *inc);

/* The same variables as a mail to a reporter may echo them: each on one
 * line, cut at a couple of hundred characters. Caller unrefs. */
GHashTable *case_echo_vars(GHashTable *vars);

/* Adds an audit event at m's time. */
gboolean case_event(IgCaseMsg *m, gint64 incident_id, const char *actor, const char *type,
                    const char *detail, GError **error);

/* Stores m as kind (for incident_id, 0 = none); the row id, 0 on error. */
gint64 case_add_message(IgCaseMsg *m, const char *kind, gint64 incident_id, const char *note,
                        GError **error);

/* Queues template_name to OST, threaded under m; audited when OST has no
 * address. */
gboolean case_notify_ost(IgCaseMsg *m, gint64 incident_id, const char *reference,
                         const char *template_name, GHashTable *vars, GError **error);

/* Fires the SPEC 5 rules that apply to inc as it stands and have not
 * fired yet: each audited, one mail per recipient. */
gboolean case_fire_routes(IgCaseMsg *m, IgIncident *inc, GHashTable *vars, GError **error);

/* Medium or high: policy 001's management report is due. */
gboolean case_serious(const char *impact);

/* Once inc is resolved or closed (the first time of either), tells
 * whoever a SPEC 5 rule notified of it its outcome (case_outcome.c):
 * reason is the one given with the status, or NULL. */
gboolean case_share_outcome(IgCaseMsg *m, const IgIncident *inc, const char *reason,
                            GError **error);

/* Ends inc's pending deadline of kind with state, audited; nothing when
 * none is pending. */
gboolean case_end_deadline(IgCaseMsg *m, const IgIncident *inc, const char *kind,
                           const char *state, GError **error);

/* Seconds OST has to triage an incident of impact (NULL: not assessed). */
gint64 case_triage_within(const IgConfig *config, const char *impact);

/* Sets (or moves) inc's deadline of kind to seconds from now, audited. */
gboolean case_add_deadline(IgCaseMsg *m, const IgIncident *inc, const char *kind,
                           gint64 seconds, GError **error);

#endif

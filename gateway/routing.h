/* routing.h - who must be told of an incident (SPEC 5, policy 001).
 *
 * The rules are a table in routing.c; routing_decide() says which apply to
 * an incident as it stands now. Firing each rule once, auditing it and
 * sending the mail is the caller's job, so impact or personal data raised
 * later fires only the rules not yet fired. Pure. */
#ifndef IG_ROUTING_H
#define IG_ROUTING_H

#include <glib.h>
#include "gateway/config.h"
#include "gateway/records.h"

typedef struct {
  const char *rule;     /* stable name, e.g. "personal_data_siro" */
  const char *role;     /* "OST", "DACU", "SIRO", "IAO", "Accreditor", ... */
  char *address;        /* NULL when the configuration names nobody */
  char *reason;         /* why, for the audit log and the mail */
} IgRoute;

/* Frees route; NULL is ignored, like g_free. */
void route_free(IgRoute *route);

/* IgRoute* in table order. Caller unrefs. */
GPtrArray *routing_decide(const IgConfig *config, const IgIncident *incident);

#endif

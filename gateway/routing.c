/* routing.c - the default routing rules of policy 001 as one table.
 *
 * Each row: a rule name, who it notifies, and a predicate over the
 * incident. Changing routing means changing this table, nothing else. */
#include "gateway/routing.h"

#include <string.h>

typedef struct {
  const char *rule;
  const char *role;
  /* Returns the reason when the rule applies, else NULL; *address is set
   * to the recipient (may stay NULL when the configuration has none). */
  char *(*applies)(const IgConfig *c, const IgIncident *i, const char **address);
} Rule;

static gboolean is(const char *a, const char *b)
{
  return a && g_ascii_strcasecmp(a, b) == 0;
}

static char *every_incident(const IgConfig *c, const IgIncident *i, const char **to)
{
  *to = c->ost;
  if (i->reported_late == 1)
    return g_strdup_printf("new incident, reported late (%" G_GINT64_FORMAT
                           " minutes after detection)", i->minutes_to_report);
  return g_strdup("new incident");
}

static char *personal_data_dacu(const IgConfig *c, const IgIncident *i, const char **to)
{
  *to = c->dacu;
  return is(i->personal_data, "yes") ? g_strdup("personal data involved") : NULL;
}

static char *personal_data_siro(const IgConfig *c, const IgIncident *i, const char **to)
{
  *to = c->siro;
  return is(i->personal_data, "yes") ? g_strdup("personal data involved") : NULL;
}

static char *high_impact_siro(const IgConfig *c, const IgIncident *i, const char **to)
{
  *to = c->siro;
  return is(i->impact, "high") ? g_strdup("high impact") : NULL;
}

static char *asset_owner(const IgConfig *c, const IgIncident *i, const char **to)
{
  *to = i->asset_owner;
  if (i->information_asset)
    return g_strdup_printf("information asset named: %s", i->information_asset);
  if (is(i->category, "lost-or-stolen-equipment"))
    return g_strdup("lost or stolen equipment");
  return NULL;
}

static char *accreditor(const IgConfig *c, const IgIncident *i, const char **to)
{
  *to = c->accreditor;
  if (is(i->impact, "medium") || is(i->impact, "high"))
    return g_strdup_printf("%s impact: system risk assessment to be reviewed", i->impact);
  return NULL;
}

static char *supplier_owner(const IgConfig *c, const IgIncident *i, const char **to)
{
  if (!i->supplier)
    return NULL;
  *to = config_supplier_owner(c, i->supplier);
  return g_strdup_printf("supplier incident: %s", i->supplier);
}

static const Rule rules[] = {
  { "ost", "OST", every_incident },
  { "personal_data_dacu", "DACU", personal_data_dacu },
  { "personal_data_siro", "SIRO", personal_data_siro },
  { "high_impact_siro", "SIRO", high_impact_siro },
  { "information_asset_iao", "IAO", asset_owner },
  { "accreditor", "Accreditor", accreditor },
  { "supplier_contract_owner", "Supplier contract owner", supplier_owner },
};

void route_free(IgRoute *route)
{
  if (!route)
    return;
  g_free(route->address);
  g_free(route->reason);
  g_free(route);
}

GPtrArray *routing_decide(const IgConfig *config, const IgIncident *incident)
{
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)route_free);
  for (gsize r = 0; r < G_N_ELEMENTS(rules); r++) {
    const char *to = NULL;
    char *reason = rules[r].applies(config, incident, &to);
    if (!reason)
      continue;
    IgRoute *route = g_new0(IgRoute, 1);
    route->rule = rules[r].rule;
    route->role = rules[r].role;
    route->address = to && *to ? g_strdup(to) : NULL;
    route->reason = reason;
    g_ptr_array_add(out, route);
  }
  return out;
}

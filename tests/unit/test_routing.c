/* test_routing.c - unit tests for gateway/routing.c: which stakeholders
 * each rule of policy 001 tells (SPEC 5). The impact x personal data
 * table is walked in full, so a rule that loses a level or gains a value
 * fails here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "gateway/routing.h"

/* A configuration naming every stakeholder, built by hand: routing reads
 * only these fields. */
static IgConfig *stakeholders(void)
{
  IgConfig *c = g_new0(IgConfig, 1);
  c->ost = "ost@x.gov.uk";
  c->dacu = "dacu@x.gov.uk";
  c->siro = "siro@x.gov.uk";
  c->accreditor = "accreditor@x.gov.uk";
  c->suppliers = g_ptr_array_new();
  return c;
}

static void stakeholders_free(IgConfig *c)
{
  g_ptr_array_unref(c->suppliers);
  g_free(c);
}

/* The rules that fire, as "rule=address" joined by spaces, in table order. */
static char *fired(const IgConfig *c, const IgIncident *i)
{
  g_autoptr(GPtrArray) routes = routing_decide(c, i);
  GString *s = g_string_new(NULL);
  for (guint r = 0; r < routes->len; r++) {
    const IgRoute *route = g_ptr_array_index(routes, r);
    assert_non_null(route->reason);
    g_string_append_printf(s, "%s%s=%s", r ? " " : "", route->rule,
                           route->address ? route->address : "-");
  }
  return g_string_free(s, FALSE);
}

static void test_impact_by_personal_data(void **state)
{
  (void)state;
  static const char *impacts[] = { NULL, "low", "medium", "high" };
  static const char *personal[] = { NULL, "unknown", "no", "yes" };
  IgConfig *c = stakeholders();
  for (gsize a = 0; a < G_N_ELEMENTS(impacts); a++) {
    for (gsize p = 0; p < G_N_ELEMENTS(personal); p++) {
      IgIncident i = { .impact = (char *)impacts[a],
                       .personal_data = (char *)personal[p],
                       .reported_late = 0, .minutes_to_report = 5 };
      gboolean pd = personal[p] && strcmp(personal[p], "yes") == 0;
      gboolean high = impacts[a] && strcmp(impacts[a], "high") == 0;
      gboolean reviewed = high || (impacts[a] && strcmp(impacts[a], "medium") == 0);
      g_autofree char *want = g_strdup_printf(
          "ost=ost@x.gov.uk%s%s%s",
          pd ? " personal_data_dacu=dacu@x.gov.uk personal_data_siro=siro@x.gov.uk" : "",
          high ? " high_impact_siro=siro@x.gov.uk" : "",
          reviewed ? " accreditor=accreditor@x.gov.uk" : "");
      g_autofree char *got = fired(c, &i);
      if (strcmp(got, want) != 0)
        print_error("impact %s, personal data %s\n", impacts[a] ? impacts[a] : "NULL",
                    personal[p] ? personal[p] : "NULL");
      assert_string_equal(got, want);
    }
  }
  stakeholders_free(c);
}

/* The values are compared without regard to case. */
static void test_values_any_case(void **state)
{
  (void)state;
  IgConfig *c = stakeholders();
  IgIncident i = { .impact = "High", .personal_data = "YES" };
  g_autofree char *got = fired(c, &i);
  assert_string_equal(got, "ost=ost@x.gov.uk personal_data_dacu=dacu@x.gov.uk "
                           "personal_data_siro=siro@x.gov.uk high_impact_siro=siro@x.gov.uk "
                           "accreditor=accreditor@x.gov.uk");
  stakeholders_free(c);
}

/* OST is told every time; being late is said in its reason. */
static void test_ost_reason_says_late(void **state)
{
  (void)state;
  IgConfig *c = stakeholders();
  IgIncident i = { .reported_late = 1, .minutes_to_report = 95 };
  g_autoptr(GPtrArray) routes = routing_decide(c, &i);
  assert_int_equal(routes->len, 1);
  const IgRoute *ost = g_ptr_array_index(routes, 0);
  assert_string_equal(ost->role, "OST");
  assert_string_equal(ost->reason, "new incident, reported late (95 minutes after detection)");
  i.reported_late = -1;
  g_autoptr(GPtrArray) unknown = routing_decide(c, &i);
  assert_string_equal(((IgRoute *)g_ptr_array_index(unknown, 0))->reason, "new incident");
  stakeholders_free(c);
}

/* A stakeholder the configuration leaves out still fires its rule, with
 * no address, so the gap is audited rather than silent. */
/* The IAO of a named information asset is told whatever the category,
 * and of lost or stolen equipment when no asset is named, each with its
 * reason. */
static void test_asset_owner(void **state)
{
  (void)state;
  IgConfig *c = stakeholders();
  static const char *categories[] = { "phishing", "lost-or-stolen-equipment", NULL };
  for (gsize k = 0; k < G_N_ELEMENTS(categories); k++) {
    IgIncident i = { .category = (char *)categories[k], .information_asset = "Prison NOMIS",
                     .asset_owner = "nomis.iao@x.gov.uk", .reported_late = 0 };
    g_autoptr(GPtrArray) routes = routing_decide(c, &i);
    gboolean told = FALSE;
    for (guint r = 0; r < routes->len; r++) {
      const IgRoute *route = g_ptr_array_index(routes, r);
      if (strcmp(route->rule, "information_asset_iao") != 0)
        continue;
      told = TRUE;
      assert_string_equal(route->address, "nomis.iao@x.gov.uk");
      assert_string_equal(route->reason, "information asset named: Prison NOMIS");
    }
    assert_true(told);
  }
  IgIncident lost = { .category = "lost-or-stolen-equipment", .reported_late = 0 };
  g_autoptr(GPtrArray) routes = routing_decide(c, &lost);
  gboolean told = FALSE;
  for (guint r = 0; r < routes->len; r++) {
    const IgRoute *route = g_ptr_array_index(routes, r);
    if (strcmp(route->rule, "information_asset_iao") == 0)
      told = strcmp(route->reason, "lost or stolen equipment") == 0;
  }
  assert_true(told);
  stakeholders_free(c);
}

static void test_unconfigured_stakeholder(void **state)
{
  (void)state;
  IgConfig *c = stakeholders();
  c->dacu = NULL;
  c->accreditor = "";
  IgIncident i = { .impact = "medium", .personal_data = "yes" };
  g_autofree char *got = fired(c, &i);
  assert_string_equal(got, "ost=ost@x.gov.uk personal_data_dacu=- "
                           "personal_data_siro=siro@x.gov.uk accreditor=-");
  stakeholders_free(c);
}

/* route_free is a GDestroyNotify and takes NULL like g_free. */
static void test_route_free_null(void **state)
{
  (void)state;
  route_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_impact_by_personal_data),
    cmocka_unit_test(test_values_any_case),
    cmocka_unit_test(test_ost_reason_says_late),
    cmocka_unit_test(test_asset_owner),
    cmocka_unit_test(test_unconfigured_stakeholder),
    cmocka_unit_test(test_route_free_null),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

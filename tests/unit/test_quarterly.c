/* test_quarterly.c - unit tests for the quarterly return (gateway/
 * quarterly.c) and the store query behind it: quarters in Europe/London
 * across summer time, names that are not a quarter, the incidents of a
 * quarter oldest first, CSV quoting and formula guarding, totals that add
 * up, and the JSON shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gateway/quarterly.h"
#include "tests/unit/store_fixture.h"

#define HEADER "reference,received_at,detected_at,minutes_to_report,reported_late," \
               "category,impact,personal_data,near_miss,status,via,supplier\r\n"

static GTimeZone *london(void)
{
  GTimeZone *tz = g_time_zone_new_identifier("Europe/London");
  assert_non_null(tz);
  return tz;
}

static void expect_quarter(const char *text, const char *name, const char *from, const char *to)
{
  g_autoptr(GTimeZone) tz = london();
  g_autoptr(GError) error = NULL;
  g_auto(IgQuarter) q = { NULL, NULL, NULL };
  check(quarter_parse(text, tz, &q, &error), error);
  assert_string_equal(q.name, name);
  assert_string_equal(q.from, from);
  assert_string_equal(q.to, to);
}

/* Q4 starts at midnight BST on 1 October (23:00 UTC the day before) and
 * ends at midnight GMT on 1 January; Q2 and Q3 both start in summer
 * time. */
static void test_bounds_in_london(void **state)
{
  expect_quarter("2026Q4", "2026Q4", "2026-09-30T23:00:00Z", "2027-01-01T00:00:00Z");
  expect_quarter("2026Q1", "2026Q1", "2026-01-01T00:00:00Z", "2026-03-31T23:00:00Z");
  expect_quarter("2026Q2", "2026Q2", "2026-03-31T23:00:00Z", "2026-06-30T23:00:00Z");
  expect_quarter("2026Q3", "2026Q3", "2026-06-30T23:00:00Z", "2026-09-30T23:00:00Z");
  expect_quarter("2027q1", "2027Q1", "2027-01-01T00:00:00Z", "2027-03-31T23:00:00Z");
}

static void test_bounds_in_utc(void **state)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
  g_autoptr(GError) error = NULL;
  g_auto(IgQuarter) q = { NULL, NULL, NULL };
  check(quarter_parse("2026Q4", utc, &q, &error), error);
  assert_string_equal(q.from, "2026-10-01T00:00:00Z");
  assert_string_equal(q.to, "2027-01-01T00:00:00Z");
}

static void test_not_a_quarter(void **state)
{
  const char *bad[] = { "2026Q5", "2026Q0", "26Q1", "2026-Q4", "2026Q41", "Q42026",
                        "", "2026", "２026Q1", "0000Q1", "9999Q4" };
  g_autoptr(GTimeZone) tz = london();
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_auto(IgQuarter) q = { NULL, NULL, NULL };
    assert_false(quarter_parse(bad[i], tz, &q, &error));
    assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_USAGE));
    g_autofree char *want = g_strdup_printf(
        "\"%s\": not a quarter (use YYYYQN, N from 1 to 4, e.g. 2026Q4)", bad[i]);
    assert_string_equal(error->message, want);
    assert_null(q.name);
    assert_null(q.from);
  }
  g_auto(IgQuarter) q = { NULL, NULL, NULL };
  assert_true(quarter_parse("9999Q3", tz, &q, NULL));
}

/* The store returns the incidents of [from, to), oldest first: 00:30 BST
 * on 1 October is Q4, the last second of the year too, midnight GMT on
 * 1 January is not, nor is 23:59:59 BST on 30 September. */
static void test_store_quarter(void **state)
{
  Fixture *f = *state;
  add_incident(f, "INC-2027-000001", "new", NULL, "2027-01-01T00:00:00Z");
  add_incident(f, "INC-2026-000003", "new", NULL, "2026-12-31T23:59:59Z");
  add_incident(f, "INC-2026-000002", "new", NULL, "2026-09-30T23:30:00Z");
  add_incident(f, "INC-2026-000001", "new", NULL, "2026-09-30T22:59:59Z");
  g_autoptr(GTimeZone) tz = london();
  g_autoptr(GError) error = NULL;
  g_auto(IgQuarter) q = { NULL, NULL, NULL };
  check(quarter_parse("2026Q4", tz, &q, &error), error);
  g_autoptr(GPtrArray) rows = store_incidents_received(f->store, q.from, q.to, &error);
  check(rows != NULL, error);
  assert_int_equal(rows->len, 2);
  assert_string_equal(((IgIncident *)rows->pdata[0])->reference, "INC-2026-000002");
  assert_string_equal(((IgIncident *)rows->pdata[1])->reference, "INC-2026-000003");

  g_autoptr(GPtrArray) q3 = store_incidents_received(f->store, "2026-06-30T23:00:00Z",
                                                     q.from, &error);
  check(q3 != NULL, error);
  assert_int_equal(q3->len, 1);
  assert_string_equal(((IgIncident *)q3->pdata[0])->reference, "INC-2026-000001");
}

/* --- rendering, without a store --- */

static IgIncident *incident(GPtrArray *list, const char *ref, const char *received_at,
                            const char *category, const char *impact)
{
  IgIncident *inc = minimal_incident(ref, received_at);
  set(&inc->category, category);
  set(&inc->impact, impact);
  g_ptr_array_add(list, inc);
  return inc;
}

static GPtrArray *new_list(void)
{
  return g_ptr_array_new_with_free_func((GDestroyNotify)incident_free);
}

static void test_csv_values(void **state)
{
  g_autoptr(GPtrArray) list = new_list();
  IgIncident *a = incident(list, "INC-2026-000007", "2026-11-22T14:40:12Z", "phishing", "medium");
  set(&a->detected_at, "2026-11-22T14:05:00Z");
  a->minutes_to_report = 35;
  a->reported_late = 0;
  a->near_miss = 0;
  set(&a->personal_data, "yes");
  set(&a->status, "triaged");
  IgIncident *b = incident(list, "INC-2026-000008", "2026-11-23T09:00:00Z", NULL, NULL);
  b->near_miss = -1;
  g_autofree char *csv = quarterly_csv(list);
  assert_string_equal(csv,
      HEADER
      "INC-2026-000007,2026-11-22T14:40:12Z,2026-11-22T14:05:00Z,35,false,phishing,medium,"
      "yes,false,triaged,direct,\r\n"
      "INC-2026-000008,2026-11-23T09:00:00Z,,,,,,,,new,direct,\r\n"
      "\r\n"
      "total,incidents,2\r\n"
      "total,category:not categorised,1\r\n"
      "total,category:phishing,1\r\n"
      "total,impact:low,0\r\n"
      "total,impact:medium,1\r\n"
      "total,impact:high,0\r\n"
      "total,impact:not assessed,1\r\n"
      "total,reported_late,0\r\n"
      "total,near_misses,0\r\n"
      "total,personal_data,1\r\n");
}

/* A comma, a quote or a line break quotes the cell (quotes doubled); a
 * cell a spreadsheet would run as a formula gets a leading apostrophe. */
static void test_csv_quoting(void **state)
{
  g_autoptr(GPtrArray) list = new_list();
  IgIncident *a = incident(list, "INC-2026-000001", "2026-10-01T09:00:00Z", "odd, one", "low");
  set(&a->supplier, "Acme \"Big\" Ltd\r\nLondon");
  IgIncident *b = incident(list, "INC-2026-000002", "2026-10-02T09:00:00Z", "@x", "low");
  set(&b->supplier, "=HYPERLINK(\"http://evil.example\",\"a,b\")");
  IgIncident *c = incident(list, "INC-2026-000003", "2026-10-03T09:00:00Z", "+1", "low");
  set(&c->supplier, "-2+3");
  g_autofree char *csv = quarterly_csv(list);
  g_auto(GStrv) lines = g_strsplit(csv, "\r\n", -1);
  assert_string_equal(lines[1],
      "INC-2026-000001,2026-10-01T09:00:00Z,,,,\"odd, one\",low,,false,new,direct,"
      "\"Acme \"\"Big\"\" Ltd");
  assert_string_equal(lines[2], "London\"");
  assert_string_equal(lines[3],
      "INC-2026-000002,2026-10-02T09:00:00Z,,,,'@x,low,,false,new,direct,"
      "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"a,b\"\")\"");
  assert_string_equal(lines[4],
      "INC-2026-000003,2026-10-03T09:00:00Z,,,,'+1,low,,false,new,direct,'-2+3");
  assert_string_equal(lines[5], "");
  assert_non_null(strstr(csv, "\r\ntotal,\"category:odd, one\",1\r\n"));
  assert_non_null(strstr(csv, "\r\ntotal,category:@x,1\r\n"));
}

/* Every incident is counted once in each breakdown. */
static void test_totals_add_up(void **state)
{
  g_autoptr(GPtrArray) list = new_list();
  const char *cats[] = { "phishing", "malware", "phishing", NULL, "data-breach", "phishing" };
  const char *imps[] = { "low", "high", NULL, NULL, "medium", "low" };
  for (gsize i = 0; i < G_N_ELEMENTS(cats); i++) {
    g_autofree char *ref = g_strdup_printf("INC-2026-%06zu", i + 1);
    IgIncident *inc = incident(list, ref, "2026-10-05T10:00:00Z", cats[i], imps[i]);
    inc->reported_late = i < 2 ? 1 : (i == 2 ? -1 : 0);
    inc->near_miss = i == 3 ? 1 : (i == 4 ? -1 : 0);
    set(&inc->personal_data, i == 0 ? "yes" : (i == 1 ? "unknown" : (i == 2 ? "no" : NULL)));
  }
  g_auto(IgQuarter) q = { g_strdup("2026Q4"), g_strdup("2026-09-30T23:00:00Z"),
                          g_strdup("2027-01-01T00:00:00Z") };
  json_t *doc = quarterly_json(&q, list);
  json_t *t = json_object_get(doc, "totals");
  assert_int_equal(json_integer_value(json_object_get(t, "incidents")), 6);
  json_int_t sum = 0;
  const char *key;
  json_t *v;
  json_object_foreach(json_object_get(t, "by_category"), key, v)
    sum += json_integer_value(v);
  assert_int_equal(sum, 6);
  sum = 0;
  json_object_foreach(json_object_get(t, "by_impact"), key, v)
    sum += json_integer_value(v);
  assert_int_equal(sum, 6);
  g_autofree char *by_category = json_dumps(json_object_get(t, "by_category"), JSON_COMPACT);
  assert_string_equal(by_category, "{\"data-breach\":1,\"malware\":1,\"not categorised\":1,"
                                   "\"phishing\":3}");
  g_autofree char *by_impact = json_dumps(json_object_get(t, "by_impact"), JSON_COMPACT);
  assert_string_equal(by_impact, "{\"low\":2,\"medium\":1,\"high\":1,\"not assessed\":2}");
  assert_int_equal(json_integer_value(json_object_get(t, "reported_late")), 2);
  assert_int_equal(json_integer_value(json_object_get(t, "near_misses")), 1);
  assert_int_equal(json_integer_value(json_object_get(t, "personal_data")), 1);
  json_decref(doc);

  g_autofree char *csv = quarterly_csv(list);
  assert_non_null(strstr(csv, "\r\n\r\ntotal,incidents,6\r\ntotal,category:data-breach,1\r\n"
                              "total,category:malware,1\r\ntotal,category:not categorised,1\r\n"
                              "total,category:phishing,3\r\ntotal,impact:low,2\r\n"
                              "total,impact:medium,1\r\ntotal,impact:high,1\r\n"
                              "total,impact:not assessed,2\r\ntotal,reported_late,2\r\n"
                              "total,near_misses,1\r\ntotal,personal_data,1\r\n"));
}

/* The document's keys in order, each row the CSV's columns with the
 * values and types of `show --json`: unknown is null. */
static void test_json_shape(void **state)
{
  g_autoptr(GPtrArray) list = new_list();
  IgIncident *a = incident(list, "INC-2026-000001", "2026-10-01T09:00:00Z", "malware", "high");
  set(&a->detected_at, "2026-10-01T07:00:00Z");
  a->minutes_to_report = 120;
  a->reported_late = 1;
  a->near_miss = 1;
  set(&a->personal_data, "no");
  set(&a->via, "supplier");
  set(&a->supplier, "example-supplier.co.uk");
  IgIncident *b = incident(list, "INC-2026-000002", "2026-10-02T09:00:00Z", NULL, NULL);
  b->near_miss = -1;
  g_auto(IgQuarter) q = { g_strdup("2026Q4"), g_strdup("2026-09-30T23:00:00Z"),
                          g_strdup("2027-01-01T00:00:00Z") };
  json_t *doc = quarterly_json(&q, list);
  g_autofree char *text = json_dumps(doc, JSON_COMPACT);
  assert_string_equal(text,
      "{\"quarter\":\"2026Q4\",\"from\":\"2026-09-30T23:00:00Z\",\"to\":\"2027-01-01T00:00:00Z\","
      "\"incidents\":["
      "{\"reference\":\"INC-2026-000001\",\"received_at\":\"2026-10-01T09:00:00Z\","
      "\"detected_at\":\"2026-10-01T07:00:00Z\",\"minutes_to_report\":120,"
      "\"reported_late\":true,\"category\":\"malware\",\"impact\":\"high\","
      "\"personal_data\":\"no\",\"near_miss\":true,\"status\":\"new\",\"via\":\"supplier\","
      "\"supplier\":\"example-supplier.co.uk\"},"
      "{\"reference\":\"INC-2026-000002\",\"received_at\":\"2026-10-02T09:00:00Z\","
      "\"detected_at\":null,\"minutes_to_report\":null,\"reported_late\":null,"
      "\"category\":null,\"impact\":null,\"personal_data\":null,\"near_miss\":null,"
      "\"status\":\"new\",\"via\":\"direct\",\"supplier\":null}],"
      "\"totals\":{\"incidents\":2,\"by_category\":{\"malware\":1,\"not categorised\":1},"
      "\"by_impact\":{\"low\":0,\"medium\":0,\"high\":1,\"not assessed\":1},"
      "\"reported_late\":1,\"near_misses\":1,\"personal_data\":0}}");
  json_decref(doc);
}

/* A quarter without incidents: the header, and totals of zero. */
static void test_empty_quarter(void **state)
{
  g_autoptr(GPtrArray) list = new_list();
  g_autofree char *csv = quarterly_csv(list);
  assert_string_equal(csv, HEADER "\r\ntotal,incidents,0\r\ntotal,impact:low,0\r\n"
                           "total,impact:medium,0\r\ntotal,impact:high,0\r\n"
                           "total,impact:not assessed,0\r\ntotal,reported_late,0\r\n"
                           "total,near_misses,0\r\ntotal,personal_data,0\r\n");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_bounds_in_london),
    cmocka_unit_test(test_bounds_in_utc),
    cmocka_unit_test(test_not_a_quarter),
    cmocka_unit_test_setup_teardown(test_store_quarter, setup, teardown),
    cmocka_unit_test(test_csv_values),
    cmocka_unit_test(test_csv_quoting),
    cmocka_unit_test(test_totals_add_up),
    cmocka_unit_test(test_json_shape),
    cmocka_unit_test(test_empty_quarter),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

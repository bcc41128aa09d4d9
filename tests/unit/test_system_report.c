/* test_system_report.c - unit tests for `report system NAME` (gateway/
 * system_report.c) and the store query behind it: the normalised whole-
 * word match across spellings, other systems' incidents left out, the
 * configured assets a name is part of, the outcome chosen and bounded,
 * and the report as CSV, JSON and text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gateway/system_report.h"
#include "tests/unit/store_fixture.h"

#define HEADER "reference,received_at,detected_at,category,impact,status,systems_affected," \
               "information_asset,outcome,management_report\r\n"

static void expect_norm(const char *text, const char *want)
{
  g_autofree char *got = system_name_norm(text);
  assert_string_equal(got, want);
}

static void test_norm(void **state)
{
  expect_norm("NOMIS", "nomis");
  expect_norm("  Prison-NOMIS (case notes) ", "prison nomis case notes");
  expect_norm("Prison\t\r\nNOMIS", "prison nomis");
  expect_norm("ÉLAN/Ünit_2", "élan ünit 2");
  expect_norm("-- / --", "");
  expect_norm("", "");
  expect_norm("bad\xff" "byte", "bad byte");
}

/* A candidate row: an incident with these systems affected and
 * information asset (either may be NULL). */
static IgSystemRow *row(GPtrArray *rows, const char *ref, const char *systems, const char *asset)
{
  IgSystemRow *r = g_new0(IgSystemRow, 1);
  r->incident = minimal_incident(ref, "2026-10-01T09:00:00Z");
  set(&r->incident->systems_affected, systems);
  set(&r->incident->information_asset, asset);
  g_ptr_array_add(rows, r);
  return r;
}

static GPtrArray *new_rows(void)
{
  return g_ptr_array_new_with_free_func(system_row_free);
}

static GPtrArray *config_assets(void)
{
  GPtrArray *assets = g_ptr_array_new();
  static IgPair nomis = { "Prison NOMIS", "nomis.iao@justice.gov.uk" };
  static IgPair cms = { "Case Management System", "cms.iao@justice.gov.uk" };
  g_ptr_array_add(assets, &nomis);
  g_ptr_array_add(assets, &cms);
  return assets;
}

/* The references of the report's rows, joined by spaces. */
static char *refs(const IgSystemReport *r)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < r->rows->len; i++) {
    const IgSystemRow *row = g_ptr_array_index(r->rows, i);
    g_string_append_printf(s, "%s%s", i ? " " : "", row->incident->reference);
  }
  return g_string_free(s, FALSE);
}

static void expect_refs(const char *name, GPtrArray *rows, const char *want)
{
  g_autoptr(GPtrArray) assets = config_assets();
  g_autoptr(IgSystemReport) r = system_report_new(name, NULL, assets, rows);
  g_autofree char *got = refs(r);
  assert_string_equal(got, want);
}

static GPtrArray *spellings(void)
{
  GPtrArray *rows = new_rows();
  row(rows, "INC-1", "NOMIS", NULL);
  row(rows, "INC-2", "the nomis terminal in C wing", NULL);
  row(rows, "INC-3", "Prison-NOMIS", NULL);
  row(rows, "INC-4", "prison nomis (case notes)", NULL);
  row(rows, "INC-5", "laptop", "Prison NOMIS");
  row(rows, "INC-6", "Delius", NULL);
  row(rows, "INC-7", "NOMISx and NOMIS2", "nomi s");
  row(rows, "INC-8", NULL, NULL);
  row(rows, "INC-9", "Delius, NOMIS", "Case Management System");
  return rows;
}

/* Every spelling of the name as whole words, in either field; a longer
 * word, a split one or another system's name does not match. */
static void test_spellings(void **state)
{
  g_autoptr(GPtrArray) rows = spellings();
  const char *names[] = { "NOMIS", "nomis", " Nomis ", "(NOMIS)" };
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    expect_refs(names[i], rows, "INC-1 INC-2 INC-3 INC-4 INC-5 INC-9");
  expect_refs("Delius", rows, "INC-6 INC-9");
  expect_refs("prison nomis", rows, "INC-3 INC-4 INC-5");
  expect_refs("Prison_NOMIS", rows, "INC-3 INC-4 INC-5");
  expect_refs("NOMIS (case notes)", rows, "INC-4");
  expect_refs("case notes", rows, "INC-4");
  expect_refs("prison case notes", rows, "");
  expect_refs("NOM", rows, "");
  expect_refs("OASys", rows, "");
}

/* A name that is a configured asset, or whole words of one, names the
 * asset; the incidents whose information asset it is match. */
static void test_asset_parts(void **state)
{
  g_autoptr(GPtrArray) rows = spellings();
  g_autoptr(GPtrArray) assets = config_assets();
  struct {
    const char *name;
    const char *assets;
    const char *refs;
  } cases[] = {
    { "NOMIS", "Prison NOMIS", "INC-1 INC-2 INC-3 INC-4 INC-5 INC-9" },
    { "prison-nomis", "Prison NOMIS", "INC-3 INC-4 INC-5" },
    { "Prison", "Prison NOMIS", "INC-3 INC-4 INC-5" },
    { "management system", "Case Management System", "INC-9" },
    { "case management system", "Case Management System", "INC-9" },
    { "Delius", "", "INC-6 INC-9" },
    { "Case System", "", "" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(IgSystemReport) r = system_report_new(cases[i].name, NULL, assets, rows);
    GString *names = g_string_new(NULL);
    for (guint a = 0; a < r->assets->len; a++)
      g_string_append(names, ((const IgPair *)g_ptr_array_index(r->assets, a))->name);
    g_autofree char *got_assets = g_string_free(names, FALSE);
    g_autofree char *got_refs = refs(r);
    assert_string_equal(got_assets, cases[i].assets);
    assert_string_equal(got_refs, cases[i].refs);
  }
  /* the words of an asset in a note field: "case notes" is no asset */
  assert_false(system_words_in("notes", NULL));
  assert_true(system_words_in("case notes", "Prison NOMIS (case-notes)"));
}

static void test_outcome(void **state)
{
  IgSystemRow r = { 0 };
  assert_null(system_report_outcome(&r));
  r.last_note = "Asked the wing for the terminal's log";
  g_autofree char *note = system_report_outcome(&r);
  assert_string_equal(note, "Asked the wing for the terminal's log");
  r.closing_reason = "reason for closed: password reset, no data lost";
  g_autofree char *closed = system_report_outcome(&r);
  assert_string_equal(closed, "closed: password reset, no data lost");

  GString *long_note = g_string_new("reason for resolved: ");
  for (int i = 0; i < SYSTEM_OUTCOME_MAX + 10; i++)
    g_string_append(long_note, "é");
  r.closing_reason = long_note->str;
  g_autofree char *cut = system_report_outcome(&r);
  assert_int_equal(g_utf8_strlen(cut, -1), SYSTEM_OUTCOME_MAX + 3);
  assert_true(g_str_has_prefix(cut, "resolved: éé"));
  assert_true(g_str_has_suffix(cut, "é..."));
  g_string_free(long_note, TRUE);
}

/* Two matching rows of three: one closed with a reason and a report, one
 * open with a formula for a system name. */
static GPtrArray *report_rows(void)
{
  GPtrArray *rows = new_rows();
  IgSystemRow *a = row(rows, "INC-2026-000001", "NOMIS, \"case notes\"", "Prison NOMIS");
  set(&a->incident->received_at, "2026-10-01T09:00:00Z");
  set(&a->incident->detected_at, "2026-10-01T08:30:00Z");
  set(&a->incident->category, "phishing");
  set(&a->incident->impact, "medium");
  set(&a->incident->status, "closed");
  a->closing_reason = g_strdup("reason for closed: password reset");
  a->last_note = g_strdup("reason for closed: password reset");
  a->management_report = g_strdup("Phish reached 3 users.\nOne password reset.");
  row(rows, "INC-2026-000002", "Delius", NULL);
  IgSystemRow *c = row(rows, "INC-2026-000003", "=NOMIS()", NULL);
  set(&c->incident->received_at, "2026-12-01T10:15:00Z");
  c->last_note = g_strdup("-waiting for the supplier");
  return rows;
}

static void test_csv(void **state)
{
  g_autoptr(GPtrArray) rows = report_rows();
  g_autoptr(GPtrArray) assets = config_assets();
  g_autoptr(IgSystemReport) r = system_report_new("NOMIS", NULL, assets, rows);
  g_autofree char *csv = system_report_csv(r);
  assert_string_equal(csv,
      HEADER
      "INC-2026-000001,2026-10-01T09:00:00Z,2026-10-01T08:30:00Z,phishing,medium,closed,"
      "\"NOMIS, \"\"case notes\"\"\",Prison NOMIS,closed: password reset,yes\r\n"
      "INC-2026-000003,2026-12-01T10:15:00Z,,,,new,'=NOMIS(),,'-waiting for the supplier,no\r\n");
  g_autoptr(IgSystemReport) none = system_report_new("OASys", NULL, assets, rows);
  g_autofree char *empty = system_report_csv(none);
  assert_string_equal(empty, HEADER);
}

static void test_json(void **state)
{
  g_autoptr(GPtrArray) rows = report_rows();
  g_autoptr(GPtrArray) assets = config_assets();
  g_autoptr(IgSystemReport) r = system_report_new("nomis", "2026-09-30T23:00:00Z", assets, rows);
  json_t *doc = system_report_json(r);
  g_autofree char *text = json_dumps(doc, JSON_COMPACT);
  json_decref(doc);
  assert_string_equal(text,
      "{\"system\":\"nomis\",\"since\":\"2026-09-30T23:00:00Z\","
      "\"assets\":[{\"name\":\"Prison NOMIS\",\"iao\":\"nomis.iao@justice.gov.uk\"}],"
      "\"count\":2,\"incidents\":["
      "{\"reference\":\"INC-2026-000001\",\"received_at\":\"2026-10-01T09:00:00Z\","
      "\"detected_at\":\"2026-10-01T08:30:00Z\",\"category\":\"phishing\",\"impact\":\"medium\","
      "\"status\":\"closed\",\"systems_affected\":\"NOMIS, \\\"case notes\\\"\","
      "\"information_asset\":\"Prison NOMIS\",\"outcome\":\"closed: password reset\","
      "\"management_report\":\"yes\","
      "\"management_report_text\":\"Phish reached 3 users.\\nOne password reset.\"},"
      "{\"reference\":\"INC-2026-000003\",\"received_at\":\"2026-12-01T10:15:00Z\","
      "\"detected_at\":null,\"category\":null,\"impact\":null,\"status\":\"new\","
      "\"systems_affected\":\"=NOMIS()\",\"information_asset\":null,"
      "\"outcome\":\"-waiting for the supplier\",\"management_report\":\"no\","
      "\"management_report_text\":null}]}");
  g_autoptr(IgSystemReport) all = system_report_new("Delius", NULL, assets, rows);
  json_t *d2 = system_report_json(all);
  assert_true(json_is_null(json_object_get(d2, "since")));
  assert_int_equal(json_array_size(json_object_get(d2, "assets")), 0);
  assert_int_equal(json_integer_value(json_object_get(d2, "count")), 1);
  json_decref(d2);
}

static void test_text(void **state)
{
  g_autoptr(GPtrArray) rows = report_rows();
  g_autoptr(GPtrArray) assets = config_assets();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/London");
  g_autoptr(IgSystemReport) r = system_report_new("NOMIS", "2026-09-30T23:00:00Z", assets, rows);
  g_autofree char *text = system_report_text(r, tz);
  assert_string_equal(text,
      "IT security incidents naming the system \"NOMIS\" (for its Accreditor)\n"
      "Information asset: Prison NOMIS (IAO nomis.iao@justice.gov.uk)\n"
      "Period: received since 2026-10-01 00:00 BST\n"
      "Incidents: 2\n"
      "\n"
      "INC-2026-000001\n"
      "  Received:          2026-10-01 10:00 BST\n"
      "  Detected:          2026-10-01 09:30 BST\n"
      "  Category:          phishing\n"
      "  Impact:            medium\n"
      "  Status:            closed\n"
      "  Systems affected:  NOMIS, \"case notes\"\n"
      "  Information asset: Prison NOMIS\n"
      "  Outcome:           closed: password reset\n"
      "  Management report:\n"
      "    Phish reached 3 users.\n"
      "    One password reset.\n"
      "\n"
      "INC-2026-000003\n"
      "  Received:          2026-12-01 10:15 GMT\n"
      "  Detected:          not recorded\n"
      "  Category:          not recorded\n"
      "  Impact:            not recorded\n"
      "  Status:            new\n"
      "  Systems affected:  =NOMIS()\n"
      "  Information asset: not recorded\n"
      "  Outcome:           -waiting for the supplier\n"
      "  Management report: none\n");
  g_autoptr(IgSystemReport) none = system_report_new("OASys", NULL, assets, rows);
  g_autofree char *empty = system_report_text(none, tz);
  assert_string_equal(empty,
      "IT security incidents naming the system \"OASys\" (for its Accreditor)\n"
      "Period: every incident recorded\n"
      "Incidents: 0\n");
}

/* The store's candidates: received at or after since, with a system or
 * an asset, oldest first, each with its last closing reason, last note and
 * newest management report. */
static void test_store_candidates(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 late = add_incident(f, "INC-2026-000003", "closed", "high", "2026-11-02T09:00:00Z");
  gint64 early = add_incident(f, "INC-2026-000002", "investigating", "low", "2026-10-02T09:00:00Z");
  add_incident(f, "INC-2026-000004", "new", NULL, "2026-11-03T09:00:00Z");
  gint64 before = add_incident(f, "INC-2026-000001", "new", NULL, "2026-09-01T09:00:00Z");
  g_autoptr(IgIncident) a = store_get_incident(f->store, "INC-2026-000003", &error);
  set(&a->systems_affected, "NOMIS");
  check(store_update_incident(f->store, a, &error), error);
  g_autoptr(IgIncident) b = store_get_incident(f->store, "INC-2026-000002", &error);
  set(&b->information_asset, "Prison NOMIS");
  check(store_update_incident(f->store, b, &error), error);
  g_autoptr(IgIncident) c = store_get_incident(f->store, "INC-2026-000001", &error);
  set(&c->systems_affected, "NOMIS");
  check(store_update_incident(f->store, c, &error), error);
  const char *at = "2026-11-05T09:00:00Z", *who = "bob@justice.gov.uk";
  check(store_add_event(f->store, late, at, who, "note", "reason for resolved: first", &error),
        error);
  check(store_add_event(f->store, late, at, who, "note", "reason for closed: second", &error),
        error);
  check(store_add_event(f->store, late, at, who, "note", "a later note", &error), error);
  check(store_add_event(f->store, late, at, who, "changed", "reason for closed: not a note",
                        &error), error);
  check(store_add_management_report(f->store, late, at, who, "old report", &error), error);
  check(store_add_management_report(f->store, late, at, who, "new report", &error), error);
  check(store_add_event(f->store, early, at, who, "note", "reason for contained: isolated",
                        &error), error);
  check(store_add_event(f->store, before, at, who, "note", "too early", &error), error);

  g_autoptr(GPtrArray) rows = store_system_candidates(f->store, "2026-10-01T00:00:00Z", &error);
  check(rows != NULL, error);
  assert_int_equal(rows->len, 2);
  const IgSystemRow *r0 = g_ptr_array_index(rows, 0), *r1 = g_ptr_array_index(rows, 1);
  assert_string_equal(r0->incident->reference, "INC-2026-000002");
  assert_string_equal(r0->incident->information_asset, "Prison NOMIS");
  assert_null(r0->closing_reason);
  assert_string_equal(r0->last_note, "reason for contained: isolated");
  assert_null(r0->management_report);
  assert_string_equal(r1->incident->reference, "INC-2026-000003");
  assert_string_equal(r1->closing_reason, "reason for closed: second");
  assert_string_equal(r1->last_note, "a later note");
  assert_string_equal(r1->management_report, "new report");

  g_autoptr(GPtrArray) all = store_system_candidates(f->store, NULL, &error);
  check(all != NULL, error);
  assert_int_equal(all->len, 3);
  assert_string_equal(((IgSystemRow *)all->pdata[0])->incident->reference, "INC-2026-000001");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_norm),
    cmocka_unit_test(test_spellings),
    cmocka_unit_test(test_asset_parts),
    cmocka_unit_test(test_outcome),
    cmocka_unit_test(test_csv),
    cmocka_unit_test(test_json),
    cmocka_unit_test(test_text),
    cmocka_unit_test_setup_teardown(test_store_candidates, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

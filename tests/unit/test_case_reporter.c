/* test_case_reporter.c - unit tests for gateway/case_reply.c: who the
 * reporter is and what they hear. The address the form named is the
 * reporter's even when the acknowledgement went elsewhere; the reporter's
 * reply fills any field the record lacks (the first of them too), its
 * audit cut at 300 characters, and touches nothing when it adds nothing;
 * a new status is told to whoever was acknowledged, in words, unless
 * that is the member who set it or nobody was acknowledged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/unit/intake_fixture.h"

static int setup(void **state)
{
  *state = intake_fixture_new_with("", "[ost]\nmembers = alice@x.gov.uk\n"
                                   "require_authentication = none\n");
  return 0;
}

static int teardown(void **state)
{
  intake_fixture_free(*state);
  return 0;
}

/* A report from `from` with these lines; its reference, the outbox sent. */
static char *report(Fixture *f, const char *from, const char *headers, const char *lines)
{
  g_autofree char *raw = g_strdup_printf("From: %s\nSubject: Lost laptop\nMessage-ID: <r%d@x>\n"
                                         "%s\n%sDescription: I left my laptop on the train.\n",
                                         from, f->sent++, headers, lines);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_free(drain_outbox(f, NULL, NULL));
  return ref;
}

/* from's reply to ref; the kind it was filed as. */
static char *reply(Fixture *f, const char *from, const char *ref, const char *body)
{
  g_autofree char *raw = g_strdup_printf("From: %s\nSubject: RE: [%s] Lost laptop\n"
                                         "Message-ID: <m%d@x>\n\n%s", from, ref, f->sent++,
                                         body);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  char *kind = g_strdup(item.kind);
  intake_item_clear(&item);
  return kind;
}

static void set_now(Fixture *f, const char *iso)
{
  g_date_time_unref(f->now);
  f->now = iso_parse(iso);
  f->ctx.now = f->now;
}

/* The form names boss as the reporter and jane sent it: boss's reply is
 * the reporter's, and fills the form, as jane's would. */
static void test_reporter_named_by_form(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = report(f, "jane@x.gov.uk", "", "Reporter email: boss@x.gov.uk\n"
                                "Impact: low\n");
  g_autofree char *kind = reply(f, "boss@x.gov.uk", ref, "Personal data involved: no\n");
  assert_string_equal(kind, "reply");
  g_autoptr(IgIncident) inc = store_get_incident(f->store, ref, NULL);
  assert_string_equal(inc->personal_data, "no");
  g_autofree char *filled = events_of(f, ref, "field_filled", FALSE);
  assert_string_equal(filled, "personal_data: (none) -> no (the reporter's reply)\n");
}

/* The reporter's reply fills the reporter's name, the first field of
 * the form, when the report lacked it. */
static void test_reporter_fills_name(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = report(f, "jane@x.gov.uk", "", "Impact: low\n");
  g_autoptr(IgIncident) before = store_get_incident(f->store, ref, NULL);
  assert_null(before->reporter_name);
  g_free(reply(f, "jane@x.gov.uk", ref, "Reporter name: Jane Smith\n"));
  g_autoptr(IgIncident) after = store_get_incident(f->store, ref, NULL);
  assert_string_equal(after->reporter_name, "Jane Smith");
}

/* The detection time given by a reply makes the report late or timely as
 * it would have in the report: counted to the report's arrival, not to
 * the reply's. */
static void test_detection_time_by_reply_sets_lateness(void **state)
{
  Fixture *f = *state;
  const struct {
    const char *detected;
    gint64 minutes;
    int late;
  } cases[] = {
    { "23/11/2026 08:00", 120, 1 },
    { "23/11/2026 09:30", 30, 0 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    set_now(f, "2026-11-23T10:00:00Z");
    g_autofree char *ref = report(f, "jane@x.gov.uk", "", "Impact: low\n");
    g_autoptr(IgIncident) before = store_get_incident(f->store, ref, NULL);
    assert_int_equal(before->reported_late, -1);
    assert_int_equal(before->minutes_to_report, -1);
    set_now(f, "2026-11-23T12:00:00Z");
    g_autofree char *line = g_strdup_printf("Date and time of detection: %s\n",
                                            cases[i].detected);
    g_free(reply(f, "jane@x.gov.uk", ref, line));
    g_autoptr(IgIncident) after = store_get_incident(f->store, ref, NULL);
    assert_non_null(after->detected_at);
    assert_int_equal(after->minutes_to_report, cases[i].minutes);
    assert_int_equal(after->reported_late, cases[i].late);
  }
}

/* A value filled in is audited whole up to 300 characters, and cut there
 * with an ellipsis. */
static void test_filled_value_audit_cut(void **state)
{
  Fixture *f = *state;
  for (int over = 0; over <= 1; over++) {
    g_autofree char *ref = report(f, "jane@x.gov.uk", "", "Impact: low\n");
    g_autofree char *systems = g_strnfill(300 + over, 's');
    systems[0] = 'S';
    g_autofree char *line = g_strdup_printf("Systems affected: %s\n", systems);
    g_free(reply(f, "jane@x.gov.uk", ref, line));
    g_autoptr(IgIncident) inc = store_get_incident(f->store, ref, NULL);
    assert_string_equal(inc->systems_affected, systems);
    g_autofree char *filled = events_of(f, ref, "field_filled", FALSE);
    g_autofree char *want = g_strdup_printf("systems_affected: (none) -> %.300s%s (the reporter's"
                                            " reply)\n", systems, over ? "\u2026" : "");
    assert_string_equal(filled, want);
  }
}

/* The reporter's reply repeating what the record holds changes nothing:
 * the record is not written, nothing is audited as filled. */
static void test_reply_adding_nothing(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = report(f, "jane@x.gov.uk", "", "Impact: low\n");
  g_autoptr(IgIncident) before = store_get_incident(f->store, ref, NULL);
  set_now(f, "2026-11-23T11:00:00Z");
  g_free(reply(f, "jane@x.gov.uk", ref, "Impact: low\n"));
  g_autoptr(IgIncident) after = store_get_incident(f->store, ref, NULL);
  assert_string_equal(after->updated_at, before->updated_at);
  g_autofree char *filled = events_of(f, ref, "field_filled", FALSE);
  assert_string_equal(filled, "");
}

/* A member's new status is told to the reporter in words, "new" too when
 * a case goes back to it. */
static void test_status_back_to_new_told(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = report(f, "jane@x.gov.uk", "", "Impact: low\n");
  g_free(reply(f, "alice@x.gov.uk", ref, "Status: triaged\n"));
  g_free(drain_outbox(f, NULL, NULL));
  g_free(reply(f, "alice@x.gov.uk", ref, "Status: new\n"));
  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *mails = drain_outbox(f, "status_changed", body);
  expect_contains(mails, "status_changed>jane@x.gov.uk\n");
  expect_contains(body->str, "waiting for the Operational Security Team to look at it");
}

/* A member who reported the incident, and was acknowledged for it, is
 * not told of the status they set themselves; nor is anybody when no
 * acknowledgement went out (an automatic alert). */
static void test_status_told_to_nobody(void **state)
{
  Fixture *f = *state;
  g_autofree char *own = report(f, "alice@x.gov.uk", "", "Impact: low\n");
  g_free(reply(f, "alice@x.gov.uk", own, "Status: triaged\n"));
  g_autofree char *mails = drain_outbox(f, NULL, NULL);
  assert_string_equal(mails, "confirmation>alice@x.gov.uk\n");
  g_autofree char *told = events_of(f, own, "reporter_told", FALSE);
  assert_string_equal(told, "");

  g_autofree char *alert = report(f, "alerts@x.gov.uk", "Auto-Submitted: auto-generated\n",
                                  "Impact: low\n");
  g_free(reply(f, "alice@x.gov.uk", alert, "Status: investigating\n"));
  g_autofree char *only = drain_outbox(f, NULL, NULL);
  assert_string_equal(only, "confirmation>alice@x.gov.uk\n");
  g_autoptr(IgIncident) inc = store_get_incident(f->store, alert, NULL);
  assert_string_equal(inc->status, "investigating");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_reporter_named_by_form, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reporter_fills_name, setup, teardown),
    cmocka_unit_test_setup_teardown(test_detection_time_by_reply_sets_lateness, setup, teardown),
    cmocka_unit_test_setup_teardown(test_filled_value_audit_cut, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reply_adding_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_status_back_to_new_told, setup, teardown),
    cmocka_unit_test_setup_teardown(test_status_told_to_nobody, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

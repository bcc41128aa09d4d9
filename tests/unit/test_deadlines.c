/* test_deadlines.c - unit tests for gateway/case_deadline.c through the
 * scheduler: each deadline kind acts exactly when SPEC 8 says and once
 * (triage: OST reminded at the deadline, the SIRO told at twice it; the
 * form: the reporter reminded form_reminder_max times, form_reminder_repeat
 * apart, then OST told; the management report: its owner, else OST,
 * reminded when due, the SIRO told a day later), stops when what it waits
 * for happens, says its times in local words across the change of clocks,
 * threads each mail under the incident's, and tells the webhooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>

#include "gateway/scheduler.h"
#include "tests/unit/intake_fixture.h"

#define SECTIONS "siro = siro@x.gov.uk\naccreditor = acc@x.gov.uk\n" \
                 "[ost]\nmembers = alice@x.gov.uk\nrequire_authentication = none\n" \
                 "[webhook.siem]\nurl = http://127.0.0.1:9/hook\nevents = overdue\n"

static int setup(void **state)
{
  *state = intake_fixture_new_with("", SECTIONS);
  return 0;
}

/* Times in words: near days by name, others by date (the year when not
 * now's), in English whatever the locale, in local time. */
static void test_time_words(void **state)
{
  (void)state;
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier("Europe/London");
  assert_non_null(london);
  g_autoptr(GDateTime) now = iso_parse("2026-11-23T23:10:00Z");
  const char *const cases[][2] = {
    { "2026-11-23T23:30:00Z", "23:30 today" },
    { "2026-11-24T00:30:00Z", "00:30 tomorrow" },
    { "2026-11-22T08:00:00Z", "08:00 yesterday" },
    { "2026-11-21T09:05:00Z", "Sat 21 Nov 09:05" },
    { "2026-07-01T12:00:00Z", "Wed 1 Jul 13:00" },
    { "2025-12-31T23:30:00Z", "Wed 31 Dec 2025 23:30" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *got = time_words(cases[i][0], now, london);
    assert_string_equal(got, cases[i][1]);
  }
  assert_null(time_words("not a time", now, london));
}

/* Other deadlines, to see them said in words. */
static int setup_minutes(void **state)
{
  *state = intake_fixture_new_with("", SECTIONS "[deadlines]\ntriage_within_medium = 90m\n"
                                   "triage_within_high = 2h\n");
  return 0;
}

/* A webhook subscribed to every event (the default). */
static int setup_all_events(void **state)
{
  *state = intake_fixture_new_with("", "siro = siro@x.gov.uk\n[ost]\nmembers = alice@x.gov.uk\n"
                                   "require_authentication = none\n"
                                   "[webhook.all]\nurl = http://127.0.0.1:9/all\n");
  return 0;
}

static int teardown(void **state)
{
  intake_fixture_free(*state);
  return 0;
}

static void set_now(Fixture *f, const char *iso)
{
  g_date_time_unref(f->now);
  f->now = iso_parse(iso);
  assert_non_null(f->now);
  f->ctx.now = f->now;
}

/* Runs the scheduler at iso; what it queued, as drain_outbox() gives it
 * (mail of template into *body when both are given). */
static char *step(Fixture *f, const char *iso, const char *template, GString *body)
{
  set_now(f, iso);
  guint done = 0;
  g_autoptr(GError) error = NULL;
  if (!scheduler_run_due(&f->ctx, &done, &error))
    fail_msg("scheduler at %s: %s", iso, error->message);
  return drain_outbox(f, template, body);
}

static void expect_step(Fixture *f, const char *iso, const char *want)
{
  g_autofree char *got = step(f, iso, NULL, NULL);
  if (strcmp(got, want) != 0)
    fail_msg("at %s: queued\n%s\nnot\n%s", iso, got, want);
}

/* A report from jane at iso, every field the form asks for given unless
 * not complete (personal data is then left out); its reference. */
static char *report(Fixture *f, const char *iso, const char *impact, gboolean complete)
{
  set_now(f, iso);
  g_autofree char *raw = g_strdup_printf(
      "From: Jane Smith <jane@x.gov.uk>\nSubject: Lost laptop\nMessage-ID: <r%d@x>\n\n"
      "Reporter name: Jane Smith\nDate and time of detection: %s\n"
      "Incident category: lost-or-stolen-equipment\nImpact: %s\n%s"
      "Description: I left my laptop on the train.\n", f->sent++, "23/11/2026 09:30", impact,
      complete ? "Personal data involved: no\n" : "");
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_free(drain_outbox(f, NULL, NULL));
  return ref;
}

/* OST member alice replies to ref with body. */
static void member_mail(Fixture *f, const char *ref, const char *body)
{
  g_autofree char *raw = g_strdup_printf("From: alice@x.gov.uk\nSubject: RE: [%s] Lost laptop\n"
                                         "Message-ID: <m%d@x>\n\n%s", ref, f->sent++, body);
  IgIntakeItem item = ingest_one(f, raw);
  intake_item_clear(&item);
}

/* The same, and what it queued sent. */
static void member_says(Fixture *f, const char *ref, const char *body)
{
  member_mail(f, ref, body);
  g_free(drain_outbox(f, NULL, NULL));
}

static const IgDeadlineRec *deadline(GPtrArray *rows, const char *kind)
{
  for (guint i = 0; i < rows->len; i++) {
    const IgDeadlineRec *d = g_ptr_array_index(rows, i);
    if (strcmp(d->kind, kind) == 0)
      return d;
  }
  fail_msg("no %s deadline", kind);
  return NULL;
}

static void expect_deadline(Fixture *f, const char *ref, const char *kind, const char *state,
                            int reminders)
{
  gint64 id = store_incident_id(f->store, ref, NULL);
  g_autoptr(GPtrArray) rows = store_incident_deadlines(f->store, id, NULL);
  const IgDeadlineRec *d = deadline(rows, kind);
  if (strcmp(d->state, state) != 0 || d->reminders != reminders)
    fail_msg("%s: %s with %d reminders, not %s with %d", kind, d->state, d->reminders, state,
             reminders);
}

/* High impact: triage within the hour. OST is reminded at 11:00, the
 * SIRO told at 12:00, each once; the webhook hears of both. */
static void test_triage_reminded_then_escalated(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = report(f, "2026-11-23T10:00:00Z", "high", TRUE);
  expect_step(f, "2026-11-23T10:59:59Z", "");
  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *at_due = step(f, "2026-11-23T11:00:00Z", "triage_reminder", body);
  assert_string_equal(at_due, "triage_reminder>ost@x.gov.uk\nsiem>http://127.0.0.1:9/hook\n");
  expect_contains(body->str, "it was due 11:00 today");
  expect_contains(body->str, "within 1 hour;");
  expect_contains(body->str, "If it is still new at 12:00 today, the SIRO will be told.");
  expect_contains(body->str, "In-Reply-To: <INC-2026-000001.notify_ost.");
  expect_deadline(f, ref, "triage", "pending", 1);
  expect_step(f, "2026-11-23T11:59:59Z", "");
  g_autoptr(GString) up = g_string_new(NULL);
  g_autofree char *escalated = step(f, "2026-11-23T12:00:00Z", "triage_escalation", up);
  assert_string_equal(escalated, "triage_escalation>siro@x.gov.uk\nsiem>http://127.0.0.1:9/hook\n");
  expect_contains(up->str, "Subject: [INC-2026-000001] Not triaged: ");
  expect_contains(up->str, "it was due 11:00 today, and OST was reminded then.");
  expect_deadline(f, ref, "triage", "escalated", 2);
  expect_step(f, "2026-11-30T12:00:00Z", "");
}

/* Triaged in time, nothing is sent; looked at after the reminder, the
 * SIRO is not told. */
static void test_triage_stops_when_triaged(void **state)
{
  Fixture *f = *state;
  g_autofree char *first = report(f, "2026-11-23T10:00:00Z", "medium", TRUE);
  member_says(f, first, "Status: triaged\n");
  expect_deadline(f, first, "triage", "done", 0);
  expect_step(f, "2026-11-23T14:00:00Z", "");

  g_autofree char *second = report(f, "2026-11-23T15:00:00Z", "low", TRUE);
  expect_step(f, "2026-11-24T15:00:00Z",
              "triage_reminder>ost@x.gov.uk\nsiem>http://127.0.0.1:9/hook\n");
  member_says(f, second, "Status: investigating\n");
  expect_deadline(f, second, "triage", "done", 1);
  expect_step(f, "2026-11-25T15:00:00Z", "");
}

/* The form: reminders to the reporter 2 h after the report and every
 * 24 h, three at most, each threaded under the acknowledgement; then OST
 * is told once. */
static void test_form_reminders_then_ost(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = report(f, "2026-11-23T10:00:00Z", "low", FALSE);
  member_says(f, ref, "Status: investigating\n");
  expect_step(f, "2026-11-23T11:59:59Z", "");
  const char *const at[] = { "2026-11-23T12:00:00Z", "2026-11-24T12:00:00Z",
                             "2026-11-25T12:00:00Z" };
  for (gsize i = 0; i < G_N_ELEMENTS(at); i++) {
    g_autoptr(GString) body = g_string_new(NULL);
    g_autofree char *sent = step(f, at[i], "form_reminder", body);
    assert_string_equal(sent, "form_reminder>jane@x.gov.uk\n");
    g_autofree char *nth = g_strdup_printf("This is reminder %zu of 3.", i + 1);
    expect_contains(body->str, nth);
    /* The last one says what comes next. */
    assert_int_equal(strstr(body->str, "After it, the Operational Security") != NULL, i == 2);
    expect_contains(body->str, "In-Reply-To: <INC-2026-000001.ack.");
    expect_contains(body->str, "\n  Personal data involved:\n");
    expect_deadline(f, ref, "form_reminder", "pending", (int)i + 1);
    g_autofree char *before_next = g_strdup_printf("2026-11-%02zuT11:59:59Z", 24 + i);
    expect_step(f, before_next, "");
  }
  g_autoptr(GString) told = g_string_new(NULL);
  g_autofree char *ost = step(f, "2026-11-26T12:00:00Z", "form_escalation", told);
  assert_string_equal(ost, "form_escalation>ost@x.gov.uk\nsiem>http://127.0.0.1:9/hook\n");
  expect_contains(told->str, "was reminded 3 times");
  expect_deadline(f, ref, "form_reminder", "escalated", 4);
  expect_step(f, "2026-12-10T12:00:00Z", "");
}

/* The reporter's reply completing the form ends the reminders. */
static void test_form_complete_stops_reminders(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = report(f, "2026-11-23T10:00:00Z", "low", FALSE);
  member_says(f, ref, "Status: investigating\n");
  expect_step(f, "2026-11-23T12:00:00Z", "form_reminder>jane@x.gov.uk\n");
  set_now(f, "2026-11-23T13:00:00Z");
  g_autofree char *raw = g_strdup_printf(
      "From: Jane Smith <jane@x.gov.uk>\nSubject: RE: [%s] Lost laptop\nMessage-ID: <j@x>\n\n"
      "  Personal data involved: no\n", ref);
  IgIntakeItem item = ingest_one(f, raw);
  intake_item_clear(&item);
  g_free(drain_outbox(f, NULL, NULL));
  expect_deadline(f, ref, "form_reminder", "done", 1);
  expect_step(f, "2026-11-30T13:00:00Z", "");
}

/* Management report: due 10 days after a medium report; OST reminded
 * then (no owner), the SIRO told a day later; with an owner, the owner
 * is reminded; a report in time ends it. */
static void test_management_report(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = report(f, "2026-11-23T10:00:00Z", "medium", TRUE);
  member_says(f, ref, "Status: investigating\n");
  expect_step(f, "2026-12-03T09:59:59Z", "");
  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *due = step(f, "2026-12-03T10:00:00Z", "report_reminder", body);
  assert_string_equal(due, "report_reminder>ost@x.gov.uk\nsiem>http://127.0.0.1:9/hook\n");
  expect_contains(body->str, "was due 10:00 today");
  expect_contains(body->str, "within 10 days");
  expect_contains(body->str, "If it has not arrived by 10:00 tomorrow, the SIRO will be told.");
  expect_step(f, "2026-12-04T09:59:59Z", "");
  g_autoptr(GString) up = g_string_new(NULL);
  g_autofree char *late = step(f, "2026-12-04T10:00:00Z", "report_escalation", up);
  assert_string_equal(late, "report_escalation>siro@x.gov.uk\nsiem>http://127.0.0.1:9/hook\n");
  expect_contains(up->str, "was due 10:00 yesterday\nand has not arrived; OST was reminded then.");
  expect_deadline(f, ref, "management_report", "escalated", 2);

  g_autofree char *owned = report(f, "2026-12-05T10:00:00Z", "high", TRUE);
  member_says(f, owned, "Status: investigating\nOwner: bob@x.gov.uk\n");
  expect_step(f, "2026-12-15T10:00:00Z",
              "report_reminder>bob@x.gov.uk\nsiem>http://127.0.0.1:9/hook\n");
  member_says(f, owned, "Report: Laptop wiped remotely; encryption confirmed.\n");
  expect_deadline(f, owned, "management_report", "done", 1);
  expect_step(f, "2026-12-20T10:00:00Z", "");
}

/* Times in the mail are local: across the end of summer time (25 Oct
 * 2026) a day's deadline set at 11:00 BST falls at 10:00 GMT; across its
 * start (28 Mar 2027) one set at 10:00 GMT falls at 11:00 BST. */
static void test_local_words_across_clock_change(void **state)
{
  Fixture *f = *state;
  g_free(report(f, "2026-10-24T10:00:00Z", "low", TRUE));
  g_autoptr(GString) autumn = g_string_new(NULL);
  g_free(step(f, "2026-10-25T10:00:00Z", "triage_reminder", autumn));
  expect_contains(autumn->str, "it was due 10:00 today");
  expect_contains(autumn->str, "still new at 10:00 tomorrow");

  g_free(report(f, "2027-03-27T10:00:00Z", "low", TRUE));
  g_autoptr(GString) spring = g_string_new(NULL);
  g_free(step(f, "2027-03-28T10:00:00Z", "triage_reminder", spring));
  expect_contains(spring->str, "it was due 11:00 today");
}

/* The webhook events queued since the last call, "event:detail" a line;
 * every row is marked sent. */
static char *webhook_events(Fixture *f)
{
  GString *s = g_string_new(NULL);
  IgOutboxRec *r;
  while ((r = store_outbox_claim(f->store, "2100-01-01T00:00:00Z", "test",
                                 "2100-01-01T00:10:00Z", NULL))) {
    if (strcmp(r->kind, "webhook") == 0) {
      gsize len = 0;
      const char *data = g_bytes_get_data(r->body, &len);
      json_t *body = json_loadb(data, len, 0, NULL);
      assert_non_null(body);
      const char *detail = json_string_value(json_object_get(body, "detail"));
      g_string_append_printf(s, "%s:%s\n", json_string_value(json_object_get(body, "event")),
                             detail ? detail : "");
      json_decref(body);
    }
    assert_true(store_outbox_sent(f->store, r->id, "2026-11-23T10:00:00Z", NULL));
    outbox_rec_free(r);
  }
  return g_string_free(s, FALSE);
}

static void expect_events(Fixture *f, const char *want)
{
  g_autofree char *got = webhook_events(f);
  if (strcmp(got, want) != 0)
    fail_msg("webhook events:\n%s\nnot\n%s", got, want);
}

/* Each event the example configuration names reaches a webhook that
 * wants them all, once, when it happens. */
static void test_webhook_events(void **state)
{
  Fixture *f = *state;
  set_now(f, "2026-11-23T10:00:00Z");
  IgIntakeItem item = ingest_one(f, "From: Jane Smith <jane@x.gov.uk>\nSubject: Lost laptop\n"
                                    "Message-ID: <r@x>\n\nImpact: medium\n"
                                    "Description: I left my laptop on the train.\n");
  g_autofree char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  expect_events(f, "created:\n");
  member_mail(f, ref, "Impact: high\n");
  expect_events(f, "impact_changed:impact: medium -> high\n");
  member_mail(f, ref, "Status: investigating\nOwner: bob@x.gov.uk\n");
  expect_events(f, "status_changed:investigating\nupdated:\n");
  member_mail(f, ref, "Note: wiped remotely\n");
  expect_events(f, "updated:\n");
  g_autofree char *fill = g_strdup_printf("From: jane@x.gov.uk\nSubject: RE: [%s] Lost laptop\n"
                                          "Message-ID: <j@x>\n\nPersonal data involved: no\n",
                                          ref);
  item = ingest_one(f, fill);
  intake_item_clear(&item);
  expect_events(f, "updated:fields filled by the reporter\n");
  set_now(f, "2026-12-03T10:00:00Z");
  guint done = 0;
  assert_true(scheduler_run_due(&f->ctx, &done, NULL));
  expect_events(f, "overdue:management report reminder to its owner; next due "
                   "2026-12-04T10:00:00Z\n");
  member_mail(f, ref, "Status: closed\nReport: wiped; staff reminded of the policy.\n");
  expect_events(f, "status_changed:closed\nclosed:closed\nupdated:\n");
}

/* Each triage time in words, as policy states it. */
static void test_triage_time_words(void **state)
{
  Fixture *f = *state;
  const char *const impacts[][2] = { { "medium", "within 90 minutes;" },
                                     { "high", "within 2 hours;" },
                                     { "low", "within 1 day;" } };
  for (gsize i = 0; i < G_N_ELEMENTS(impacts); i++) {
    g_autofree char *at = g_strdup_printf("2026-11-%02zuT10:00:00Z", 23 + 2 * i);
    g_autofree char *ref = report(f, at, impacts[i][0], TRUE);
    g_autofree char *later = g_strdup_printf("2026-11-%02zuT10:00:00Z", 24 + 2 * i);
    g_autoptr(GString) body = g_string_new(NULL);
    g_free(step(f, later, "triage_reminder", body));
    expect_contains(body->str, impacts[i][1]);
  }
}

/* Impact raised on a case already ended sets a report deadline that ends
 * unsent: nobody is reminded of a closed or rejected case. */
static void test_ended_case_not_chased(void **state)
{
  Fixture *f = *state;
  const char *const endings[] = { "Status: closed\n", "Status: rejected - a drill\n" };
  for (gsize i = 0; i < G_N_ELEMENTS(endings); i++) {
    g_autofree char *at = g_strdup_printf("2026-11-%02zuT10:00:00Z", 2 + 12 * i);
    g_autofree char *ref = report(f, at, "low", FALSE);
    member_says(f, ref, endings[i]);
    member_says(f, ref, "Impact: medium\n");
    expect_deadline(f, ref, "management_report", "pending", 0);
    g_autofree char *due = g_strdup_printf("2026-11-%02zuT10:00:00Z", 12 + 12 * i);
    expect_step(f, due, "");
    expect_deadline(f, ref, "management_report", "cancelled", 0);
    expect_deadline(f, ref, "form_reminder", "cancelled", 0);
  }
}

/* A report recorded while the impact was low answers the deadline the
 * raised impact sets: it ends done, nobody reminded. */
static void test_report_already_in(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = report(f, "2026-11-23T10:00:00Z", "low", TRUE);
  member_says(f, ref, "Status: investigating\nReport: Wiped remotely; nothing lost.\n");
  member_says(f, ref, "Impact: medium\n");
  expect_deadline(f, ref, "management_report", "pending", 0);
  expect_step(f, "2026-12-03T10:00:00Z", "");
  expect_deadline(f, ref, "management_report", "done", 0);
}

/* OST records the one field the form lacked: the reporter is not
 * reminded of it, and the form reminders end. */
static void test_form_completed_by_ost(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = report(f, "2026-11-23T10:00:00Z", "low", FALSE);
  member_says(f, ref, "Status: investigating\nPersonal-data: no\n");
  g_autoptr(IgIncident) inc = store_get_incident(f->store, ref, NULL);
  assert_string_equal(inc->personal_data, "no");
  expect_step(f, "2026-11-23T12:00:00Z", "");
  expect_deadline(f, ref, "form_reminder", "done", 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_time_words),
    cmocka_unit_test_setup_teardown(test_triage_reminded_then_escalated, setup, teardown),
    cmocka_unit_test_setup_teardown(test_triage_stops_when_triaged, setup, teardown),
    cmocka_unit_test_setup_teardown(test_form_reminders_then_ost, setup, teardown),
    cmocka_unit_test_setup_teardown(test_form_complete_stops_reminders, setup, teardown),
    cmocka_unit_test_setup_teardown(test_management_report, setup, teardown),
    cmocka_unit_test_setup_teardown(test_local_words_across_clock_change, setup, teardown),
    cmocka_unit_test_setup_teardown(test_webhook_events, setup_all_events, teardown),
    cmocka_unit_test_setup_teardown(test_triage_time_words, setup_minutes, teardown),
    cmocka_unit_test_setup_teardown(test_ended_case_not_chased, setup, teardown),
    cmocka_unit_test_setup_teardown(test_report_already_in, setup, teardown),
    cmocka_unit_test_setup_teardown(test_form_completed_by_ost, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

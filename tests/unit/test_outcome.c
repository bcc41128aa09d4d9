/* test_outcome.c - unit tests for gateway/case_outcome.c: when a case is
 * first resolved or closed, every stakeholder a SPEC 5 rule told of it
 * (DACU, SIRO, IAO, Accreditor, contract owner) gets one outcome mail,
 * threaded under our notice to them, with the reason given with the
 * status, OST's notes and the management report (capped); a medium
 * incident resolved before its report waits for its closing; a
 * stakeholder told twice hears once; OST and the reporter get none;
 * closing again after a reopen sends nothing more; a rejected incident
 * tells nobody. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/unit/intake_fixture.h"

#define STAKEHOLDERS "siro = siro@x.gov.uk\ndacu = dacu@x.gov.uk\n" \
                     "accreditor = acc@x.gov.uk\n"
#define ASSETS "[assets]\nPayroll = iao@x.gov.uk\n[suppliers]\nacme.example = owner@x.gov.uk\n"
#define MEMBERS "[ost]\nmembers = alice@x.gov.uk\nrequire_authentication = none\n"

/* Who the report of open_report() tells under SPEC 5, in outbox order. */
static const char *const told[] = { "dacu@x.gov.uk", "siro@x.gov.uk", "iao@x.gov.uk",
                                    "acc@x.gov.uk", "owner@x.gov.uk" };

static int setup(void **state)
{
  *state = intake_fixture_new_with("", STAKEHOLDERS ASSETS MEMBERS);
  return 0;
}

static int teardown(void **state)
{
  intake_fixture_free(*state);
  return 0;
}

/* A medium report with personal data, the Payroll asset and supplier
 * acme.example: every stakeholder is told at once (checked). */
static char *open_report(Fixture *f)
{
  g_autofree char *raw = g_strdup_printf(
      "From: Jane Smith <jane@x.gov.uk>\nSubject: Lost laptop\nMessage-ID: <r%d@x>\n\n"
      "Reporter name: Jane Smith\nDate and time of detection: 23/11/2026 09:30\n"
      "Incident category: lost-or-stolen-equipment\nImpact: medium\n"
      "Personal data involved: yes\nInformation asset: Payroll\nSupplier: acme.example\n"
      "Description: I left my laptop on the train.\n", f->sent++);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_autofree char *mails = drain_outbox(f, NULL, NULL);
  assert_string_equal(mails, "notify_ost>ost@x.gov.uk\nnotify>dacu@x.gov.uk\n"
                             "notify>siro@x.gov.uk\nnotify>iao@x.gov.uk\nnotify>acc@x.gov.uk\n"
                             "notify>owner@x.gov.uk\nack>jane@x.gov.uk\n");
  return ref;
}

/* alice's reply to ref with body; the mail it queued, as drain_outbox()
 * lists it, the outcome mails read back into outcome (may be NULL). */
static char *reply(Fixture *f, const char *ref, const char *body, GString *outcome)
{
  g_autofree char *raw = g_strdup_printf("From: alice@x.gov.uk\nSubject: RE: [%s] Lost laptop\n"
                                         "Message-ID: <m%d@x>\n\n%s", ref, f->sent++, body);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  intake_item_clear(&item);
  return drain_outbox(f, "outcome", outcome);
}

static guint count(const char *haystack, const char *needle)
{
  guint n = 0;
  for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
    n++;
  return n;
}

/* The outcome mails expected besides the confirmation and the reporter's
 * status mail. */
static char *with_outcome(gboolean outcome)
{
  GString *s = g_string_new(NULL);
  for (gsize i = 0; outcome && i < G_N_ELEMENTS(told); i++)
    g_string_append_printf(s, "outcome>%s\n", told[i]);
  g_string_append(s, "confirmation>alice@x.gov.uk\nstatus_changed>jane@x.gov.uk\n");
  return g_string_free(s, FALSE);
}

/* Closed with a report: each stakeholder once, threaded under our notice
 * to them, with the reason, the notes and the report; nothing before;
 * nothing again when the case is reopened and closed again. */
static void test_closed_tells_stakeholders(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  g_autofree char *investigating = reply(f, ref, "Status: investigating\n"
                                         "Note: asked the train company\n", NULL);
  g_autofree char *plain = with_outcome(FALSE);
  assert_string_equal(investigating, plain);

  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *closed = reply(f, ref, "Status: closed - laptop recovered from lost"
                                  " property\nReport: Laptop left on a train; it was"
                                  " encrypted.\nActions: staff reminded (owner Bob).\n", body);
  g_autofree char *all = with_outcome(TRUE);
  assert_string_equal(closed, all);
  g_autofree char *subject = g_strdup_printf("Subject: [%s] Outcome of security incident:"
                                             " Lost laptop\n", ref);
  assert_int_equal(count(body->str, subject), G_N_ELEMENTS(told));
  assert_int_equal(count(body->str, "Status: closed - laptop recovered from lost property\n"),
                   G_N_ELEMENTS(told));
  assert_int_equal(count(body->str, "alice@x.gov.uk: asked the train company\n"),
                   G_N_ELEMENTS(told));
  assert_int_equal(count(body->str, "Management report:\nLaptop left on a train; it was"
                                    " encrypted.\nActions: staff reminded (owner Bob).\n"),
                   G_N_ELEMENTS(told));
  assert_null(strstr(body->str, "not yet recorded"));
  expect_contains(body->str, "is closed as of Mon 23 Nov 10:00.");

  /* Each under our notice to that stakeholder. */
  gint64 id = store_incident_id(f->store, ref, NULL);
  g_autoptr(GPtrArray) notices = store_outbox_of(f->store, id, "notify", NULL);
  g_autoptr(GPtrArray) outcomes = store_outbox_of(f->store, id, "outcome", NULL);
  assert_int_equal(notices->len, G_N_ELEMENTS(told));
  assert_int_equal(outcomes->len, G_N_ELEMENTS(told));
  for (guint i = 0; i < outcomes->len; i++) {
    const IgOutboxRec *n = g_ptr_array_index(notices, i);
    const IgOutboxRec *o = g_ptr_array_index(outcomes, i);
    assert_string_equal(o->to, n->to);
    g_autoptr(GBytes) raw = store_outbox_body(f->store, o->id, NULL);
    gsize len = 0;
    const char *data = g_bytes_get_data(raw, &len);
    g_autoptr(IgMail) mail = mail_parse(data, len, NULL);
    assert_non_null(mail);
    assert_string_equal(mail->in_reply_to, n->message_id);
    assert_string_equal(mail->references[0], n->message_id);
  }
  g_autofree char *shared = events_of(f, ref, "outcome_shared", FALSE);
  assert_int_equal(count(shared, "outcome (closed) to "), G_N_ELEMENTS(told));
  expect_contains(shared, "to iao@x.gov.uk, with the management report\n");

  g_autofree char *reopened = reply(f, ref, "Status: investigating\n", NULL);
  assert_string_equal(reopened, plain);
  g_autofree char *again = reply(f, ref, "Status: closed - for good\n", NULL);
  assert_string_equal(again, plain);
  expect_verifies(f);
}

/* A medium incident resolved before its report: nobody hears yet;
 * closed with the report, each stakeholder hears once, of both. */
static void test_resolved_waits_for_report(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  g_autofree char *resolved = reply(f, ref, "Status: resolved - laptop handed in\n"
                                    "Note: collected by Bob\nfrom Paddington\n", NULL);
  g_autofree char *plain = with_outcome(FALSE);
  assert_string_equal(resolved, plain);

  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *closed = reply(f, ref, "Status: closed\nReport: Found; no data lost.\n",
                                  body);
  g_autofree char *all = with_outcome(TRUE);
  assert_string_equal(closed, all);
  assert_int_equal(count(body->str, "alice@x.gov.uk: reason for resolved: laptop handed in\n"),
                   G_N_ELEMENTS(told));
  assert_int_equal(count(body->str, "alice@x.gov.uk: collected by Bob\n    from Paddington\n"),
                   G_N_ELEMENTS(told));
  assert_int_equal(count(body->str, "Management report:\nFound; no data lost.\n"),
                   G_N_ELEMENTS(told));
  assert_null(strstr(body->str, "not yet recorded"));
  g_autofree char *shared = events_of(f, ref, "outcome_shared", FALSE);
  assert_int_equal(count(shared, "outcome (closed) to "), G_N_ELEMENTS(told));
  assert_int_equal(count(shared, "outcome (resolved)"), 0);
  expect_verifies(f);
}

/* The SIRO, told again when the impact rose to high, hears the outcome
 * once, under the newer notice. */
static void test_told_twice_hears_once(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  g_autofree char *raised = reply(f, ref, "Impact: high\n", NULL);
  assert_string_equal(raised, "notify>siro@x.gov.uk\nconfirmation>alice@x.gov.uk\n");
  g_autofree char *resolved = reply(f, ref, "Status: resolved\nReport: Recovered.\n", NULL);
  g_autofree char *all = with_outcome(TRUE);
  assert_string_equal(resolved, all);
  gint64 id = store_incident_id(f->store, ref, NULL);
  g_autoptr(GPtrArray) notices = store_outbox_of(f->store, id, "notify", NULL);
  assert_int_equal(notices->len, G_N_ELEMENTS(told) + 1);
  const IgOutboxRec *newer = g_ptr_array_index(notices, notices->len - 1);
  assert_string_equal(newer->to, "siro@x.gov.uk");
  g_autoptr(GPtrArray) outcomes = store_outbox_of(f->store, id, "outcome", NULL);
  const IgOutboxRec *siro = g_ptr_array_index(outcomes, 1);
  assert_string_equal(siro->to, "siro@x.gov.uk");
  g_autoptr(GBytes) raw = store_outbox_body(f->store, siro->id, NULL);
  gsize len = 0;
  const char *data = g_bytes_get_data(raw, &len);
  g_autoptr(IgMail) mail = mail_parse(data, len, NULL);
  assert_non_null(mail);
  assert_string_equal(mail->in_reply_to, newer->message_id);
  expect_contains(mail->body, "Status: resolved (no reason was given with the status)");
  expect_verifies(f);
}

/* Not an incident: nobody told of an outcome. */
static void test_rejected_tells_nobody(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  g_autofree char *rejected = reply(f, ref, "Status: rejected - a training exercise\n", NULL);
  g_autofree char *plain = with_outcome(FALSE);
  assert_string_equal(rejected, plain);
  g_autofree char *shared = events_of(f, ref, "outcome_shared", FALSE);
  assert_string_equal(shared, "");
}

/* A report longer than NOTICE_TEXT_MAX is cut, saying where the rest is. */
static void test_long_report_capped(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  GString *long_report = g_string_new("Status: closed - done\nReport: start\n");
  for (int i = 0; i < 400; i++)
    g_string_append(long_report, "The investigation found nothing further to add here.\n");
  g_string_append(long_report, "THE END\n");
  g_autofree char *text = g_string_free(long_report, FALSE);
  g_autoptr(GString) body = g_string_new(NULL);
  g_free(reply(f, ref, text, body));
  assert_int_equal(count(body->str, "[cut here: the rest of the report is in the incident"
                                    " record]"), G_N_ELEMENTS(told));
  assert_null(strstr(body->str, "THE END"));
  assert_true(body->len < G_N_ELEMENTS(told) * 20 * 1024);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_closed_tells_stakeholders, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolved_waits_for_report, setup, teardown),
    cmocka_unit_test_setup_teardown(test_told_twice_hears_once, setup, teardown),
    cmocka_unit_test_setup_teardown(test_rejected_tells_nobody, setup, teardown),
    cmocka_unit_test_setup_teardown(test_long_report_capped, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

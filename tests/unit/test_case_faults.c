/* test_case_faults.c - unit tests for the case logic (gateway/cases.c,
 * case_deadline.c) when the store refuses one write or one read as mail
 * arrives or a deadline falls due: a new report, a bounce, a quarantine,
 * an automatic reply, a forged member, webhooks, counting
 * acknowledgements, the scheduler's run. Each refusal fails the message
 * (or the run) with the store's error, and nothing of it is kept: the same
 * mail once the store accepts again is recorded as if it were new. The
 * replies to a case: test_case_faults_replies.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/unit/case_faults_fixture.h"

/* A new report refused at each of its writes. */
static void test_new_report_refused(void **state)
{
  (void)state;
  const Refusal refusals[] = {
    { "INSERT", "ref_seq", "true" },
    { "INSERT", "incidents", "true" },
    { "INSERT", "messages", "NEW.kind = 'report'" },
    { "INSERT", "events", "NEW.type = 'received'" },
    { "INSERT", "events", "NEW.type = 'created'" },
    { "INSERT", "events", "NEW.type = 'unreadable_value'" },
    { "INSERT", "events", "NEW.type = 'reported_late'" },
    { "INSERT", "events", "NEW.type = 'rule_fired'" },
    { "INSERT", "rules_fired", "true" },
    { "INSERT", "outbox", "NEW.template = 'notify_ost'" },
    { "INSERT", "outbox", "NEW.template = 'notify'" },
    { "INSERT", "outbox", "NEW.template = 'ack'" },
    { "INSERT", "events", "NEW.type = 'ack_queued'" },
    { "INSERT", "deadlines", "NEW.kind = 'triage'" },
    { "INSERT", "deadlines", "NEW.kind = 'form_reminder'" },
    { "INSERT", "deadlines", "NEW.kind = 'management_report'" },
    { "INSERT", "events", "NEW.type = 'deadline_set'" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(refusals); i++) {
    Fixture *f = fixture("none");
    refuse(f, refusals[i].op, refusals[i].table, refusals[i].when);
    g_autofree char *what = g_strdup_printf("%s %s %s", refusals[i].op, refusals[i].table,
                                            refusals[i].when);
    expect_refused_then(f, "From: Jane Smith <jane@x.gov.uk>\nSubject: Lost laptop\n"
                           "Message-ID: <r@x>\n\nReporter name: Jane Smith\n"
                           "Date and time of detection: 23/11/2026 07:30\n"
                           "Impact: high\nPersonal data involved: perhaps\n"
                           "Description: I left my laptop on the train.\n",
                        IG_INTAKE_NEW, what);
    intake_fixture_free(f);
  }
}

/* 500 levels of MIME nesting: a report the parser could not read in full. */
static char *deep_report(void)
{
  GString *s = g_string_new("From: jane@x.gov.uk\nSubject: nested\nMessage-ID: <deep@x>\n"
                            "MIME-Version: 1.0\n");
  for (int i = 0; i < 500; i++)
    g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n",
                           i, i);
  g_string_append(s, "Content-Type: text/plain\n\nMy laptop was stolen.\n");
  for (int i = 499; i >= 0; i--)
    g_string_append_printf(s, "--b%d--\n", i);
  return g_string_free(s, FALSE);
}

/* Reports of other shapes refused at the writes only they make: a
 * forwarded phishing mail (evidence, classification), one not read in
 * full, an encrypted one, an automatic alert (not acknowledged). */
static void test_other_reports_refused(void **state)
{
  (void)state;
  g_autofree char *deep = deep_report();
  const char *phish = "From: Bob Kay <bob@x.gov.uk>\nSubject: FW: Mailbox quota\n"
                      "Message-ID: <p@x>\n\nThis looks like phishing, I did not click.\n\n"
                      "-----Original Message-----\nFrom: IT Support <support@quota.example>\n"
                      "Sent: 23 November 2026 09:20\nTo: bob@x.gov.uk\n"
                      "Subject: Mailbox quota\n\nClick http://quota.example/login now.\n";
  const char *sealed = "From: enc@x.gov.uk\nMessage-ID: <enc@x>\nSubject: incident\n"
                       "MIME-Version: 1.0\nContent-Type: application/pkcs7-mime;"
                       " smime-type=enveloped-data; name=smime.p7m\n"
                       "Content-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\n";
  const char *alert = "From: alerts@x.gov.uk\nSubject: Lost phone\n"
                      "Auto-Submitted: auto-generated\nMessage-ID: <a@x>\n\n"
                      "A work phone was reported lost on the train.\n";
  const struct {
    const char *raw;
    Refusal r;
  } cases[] = {
    { phish, { "INSERT", "evidence", "true" } },
    { phish, { "INSERT", "events", "NEW.type = 'evidence'" } },
    { phish, { "INSERT", "events", "NEW.type = 'classified'" } },
    { deep, { "INSERT", "events", "NEW.type = 'truncated'" } },
    { sealed, { "INSERT", "events", "NEW.type = 'encrypted'" } },
    { alert, { "INSERT", "events", "NEW.type = 'ack_suppressed'" } },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    Fixture *f = fixture("none");
    refuse(f, cases[i].r.op, cases[i].r.table, cases[i].r.when);
    expect_refused_then(f, cases[i].raw, IG_INTAKE_NEW, cases[i].r.when);
    intake_fixture_free(f);
  }
}

/* A delivery failure of our acknowledgement refused at each write. */
static void test_bounce_refused(void **state)
{
  (void)state;
  const Refusal refusals[] = {
    { "UPDATE", "outbox", "NEW.state = 'bounced'" },
    { "INSERT", "events", "NEW.type = 'bounced'" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(refusals); i++) {
    Fixture *f = fixture("none");
    g_free(open_report(f, "low", TRUE));
    g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, NULL);
    const char *ack = NULL;
    for (guint j = 0; j < rows->len; j++) {
      const IgOutboxRec *row = g_ptr_array_index(rows, j);
      if (strcmp(row->template_name, "ack") == 0)
        ack = row->message_id;
    }
    assert_non_null(ack);
    g_autofree char *raw = g_strdup_printf(
        "From: Mail Delivery System <mailer-daemon@mx.x.gov.uk>\n"
        "Subject: Undelivered Mail Returned to Sender\nMessage-ID: <b@x>\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\nMailbox full.\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n"
        "Final-Recipient: rfc822; jane@x.gov.uk\nAction: failed\nStatus: 5.2.2\n"
        "--b\nContent-Type: message/rfc822\n\nFrom: security@x.gov.uk\n"
        "Message-ID: <%s>\nSubject: ack\n\nThank you.\n--b--\n", ack);
    refuse(f, refusals[i].op, refusals[i].table, refusals[i].when);
    expect_refused_then(f, raw, IG_INTAKE_ATTACHED, refusals[i].when);
    intake_fixture_free(f);
  }
}

/* Each webhook event refused where it is queued: a new report, commands,
 * the reporter's reply, a deadline overdue. */
static void test_webhooks_refused(void **state)
{
  (void)state;
  const struct {
    const char *event, *impact, *from, *body, *at;
  } cases[] = {
    { "created", NULL, NULL, NULL, NULL },
    { "status_changed", "medium", "alice@x.gov.uk", "Status: investigating\n", NULL },
    { "closed", "low", "alice@x.gov.uk", "Status: closed\n", NULL },
    { "impact_changed", "low", "alice@x.gov.uk", "Impact: medium\n", NULL },
    { "updated", "low", "alice@x.gov.uk", "Owner: bob@x.gov.uk\n", NULL },
    { "updated", "low", "jane@x.gov.uk", "Personal data involved: no\n", NULL },
    { "overdue", "high", NULL, NULL, "2026-11-23T11:00:00Z" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    Fixture *f = fixture_with("none", "[webhook.all]\nurl = http://127.0.0.1:9/all\n");
    g_autofree char *when = g_strdup_printf("NEW.kind = 'webhook' AND NEW.subject = '%s'",
                                            cases[i].event);
    if (!cases[i].impact) {
      refuse(f, "INSERT", "outbox", when);
      expect_refused_then(f, "From: jane@x.gov.uk\nSubject: Lost laptop\nMessage-ID: <r@x>\n\n"
                             "I left my laptop on the train.\n", IG_INTAKE_NEW, when);
      intake_fixture_free(f);
      continue;
    }
    g_autofree char *ref = open_report(f, cases[i].impact, cases[i].at != NULL);
    refuse(f, "INSERT", "outbox", when);
    if (cases[i].at) {
      expect_run_refused_then(f, cases[i].at, when);
    } else {
      g_autofree char *raw = mail_to(f, cases[i].from, ref, cases[i].body);
      expect_refused_then(f, raw, IG_INTAKE_ATTACHED, when);
    }
    intake_fixture_free(f);
  }
}

/* A mail too large to read, quarantined, refused at each write. */
static void test_quarantine_refused(void **state)
{
  (void)state;
  const Refusal refusals[] = {
    { "INSERT", "messages", "NEW.kind = 'quarantined'" },
    { "INSERT", "events", "NEW.type = 'quarantined'" },
    { "INSERT", "outbox", "NEW.template = 'quarantine'" },
  };
  g_autofree char *big = g_strnfill(1200, 'a');
  g_autofree char *raw = g_strdup_printf("From: jane@x.gov.uk\nSubject: Big\nMessage-ID: <b@x>\n"
                                         "\n%s\n", big);
  for (gsize i = 0; i < G_N_ELEMENTS(refusals); i++) {
    Fixture *f = fixture_with("none", "[gateway]\nmax_message_size = 1000\n");
    refuse(f, refusals[i].op, refusals[i].table, refusals[i].when);
    expect_refused_then(f, raw, IG_INTAKE_QUARANTINED, refusals[i].when);
    intake_fixture_free(f);
  }
}

/* A report opened (*ref its reference) and an automatic reply to it. */
static char *auto_reply(Fixture *f, char **ref)
{
  *ref = open_report(f, "low", TRUE);
  return g_strdup_printf("From: jane@x.gov.uk\nSubject: Automatic reply: [%s] Lost laptop\n"
                         "Auto-Submitted: auto-replied\nMessage-ID: <auto@x>\n\n"
                         "I am out of the office.\n", *ref);
}

/* An automatic reply to an incident, refused at each write. */
static void test_automatic_reply_refused(void **state)
{
  (void)state;
  const Refusal refusals[] = {
    { "INSERT", "messages", "NEW.kind = 'auto-reply'" },
    { "INSERT", "events", "NEW.type = 'auto-reply'" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(refusals); i++) {
    Fixture *f = fixture("none");
    g_autofree char *ref = NULL;
    g_autofree char *raw = auto_reply(f, &ref);
    refuse(f, refusals[i].op, refusals[i].table, refusals[i].when);
    expect_refused_then(f, raw, IG_INTAKE_ATTACHED, refusals[i].when);
    intake_fixture_free(f);
  }
}

/* An automatic reply unable to read the incident's reference (the third
 * statement to: after the threading and the seal of the stored mail). */
static void test_automatic_reply_lookup_refused(void **state)
{
  (void)state;
  /* PostgreSQL's privileges cannot refuse one statement of several. */
  if (test_on_pg())
    skip();
  Fixture *f = fixture("none");
  g_autofree char *ref = NULL;
  g_autofree char *raw = auto_reply(f, &ref);
  Hidden reference = { "incidents", "reference", 3, 0 };
  hide(f, &reference);
  expect_refused_then(f, raw, IG_INTAKE_ATTACHED, "reference hidden");
  intake_fixture_free(f);
}

/* A member's mail that fails authentication, refused at each write. */
static void test_forged_refused(void **state)
{
  (void)state;
  const Refusal refusals[] = {
    { "INSERT", "messages", "NEW.kind = 'command'" },
    { "INSERT", "events", "NEW.type = 'security'" },
    { "INSERT", "outbox", "NEW.template = 'security_alert'" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(refusals); i++) {
    Fixture *f = fixture("exchange-internal");
    g_autofree char *ref = open_report(f, "low", FALSE);
    refuse(f, refusals[i].op, refusals[i].table, refusals[i].when);
    g_autofree char *raw = mail_to(f, "alice@x.gov.uk", ref, "Status: closed\n");
    expect_refused_then(f, raw, IG_INTAKE_ATTACHED, refusals[i].when);
    intake_fixture_free(f);
  }
}

/* A new report whose sender's acknowledgements cannot be counted (the
 * outbox's recipients hidden). */
static void test_ack_count_refused(void **state)
{
  (void)state;
  Fixture *f = fixture("none");
  Hidden outbox = { "outbox", "to_addr", 0, 0 };
  hide(f, &outbox);
  expect_refused_then(f, "From: jane@x.gov.uk\nSubject: Lost laptop\nMessage-ID: <r@x>\n\n"
                         "I left my laptop on the train.\n", IG_INTAKE_NEW, "outbox hidden");
  intake_fixture_free(f);
}

/* Each kind of deadline refused at the writes of its first act, the
 * reminder. */
static void test_deadlines_refused(void **state)
{
  (void)state;
  const struct {
    const char *impact;
    gboolean complete;
    const char *at;
    Refusal r;
  } cases[] = {
    { "high", TRUE, "2026-11-23T11:00:00Z",
      { "INSERT", "outbox", "NEW.template = 'triage_reminder'" } },
    { "high", TRUE, "2026-11-23T11:00:00Z",
      { "UPDATE", "deadlines", "NEW.kind = 'triage'" } },
    { "high", TRUE, "2026-11-23T11:00:00Z",
      { "INSERT", "events", "NEW.type = 'reminder'" } },
    { "low", FALSE, "2026-11-23T12:00:00Z",
      { "INSERT", "outbox", "NEW.template = 'form_reminder'" } },
    { "low", FALSE, "2026-11-23T12:00:00Z",
      { "UPDATE", "deadlines", "NEW.kind = 'form_reminder'" } },
    { "medium", TRUE, "2026-12-03T10:00:00Z",
      { "INSERT", "outbox", "NEW.template = 'report_reminder'" } },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    Fixture *f = fixture("none");
    g_autofree char *ref = open_report(f, cases[i].impact, cases[i].complete);
    if (strcmp(cases[i].impact, "medium") == 0) {
      g_autofree char *raw = mail_to(f, "alice@x.gov.uk", ref, "Status: investigating\n");
      IgIntakeItem item = ingest(f, raw);
      intake_item_clear(&item);
    }
    refuse(f, cases[i].r.op, cases[i].r.table, cases[i].r.when);
    expect_run_refused_then(f, cases[i].at, cases[i].r.when);
    intake_fixture_free(f);
  }
}

/* Deadlines that cannot read what they need: the incident, our last mail
 * of the case (to thread under, or to find the reporter), the held
 * correspondence, the management report. */
static void test_deadline_reads_refused(void **state)
{
  (void)state;
  Hidden incident = { "incidents", "missing_fields", 0, 0 };
  Hidden outbox = { "outbox", "to_addr", 0, 0 };
  Hidden messages = { "messages", "subject", 0, 0 };
  Hidden report = { "management_reports", "text", 0, 0 };
  const struct {
    const char *impact;
    gboolean complete, held;
    const char *at;
    Hidden *hidden;
  } cases[] = {
    { "low", TRUE, TRUE, "2026-11-23T11:30:00Z", &incident },
    { "low", TRUE, TRUE, "2026-11-23T11:30:00Z", &outbox },
    { "low", TRUE, TRUE, "2026-11-23T11:30:00Z", &messages },
    { "high", TRUE, FALSE, "2026-11-23T11:00:00Z", &incident },
    { "high", TRUE, FALSE, "2026-11-23T11:00:00Z", &outbox },
    { "low", FALSE, FALSE, "2026-11-23T12:00:00Z", &outbox },
    { "medium", TRUE, FALSE, "2026-12-03T10:00:00Z", &report },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    Fixture *f = fixture("none");
    g_autofree char *ref = open_report(f, cases[i].impact, cases[i].complete);
    /* Triaged, so that only the deadline under test falls due. */
    if (strcmp(cases[i].impact, "high") != 0) {
      g_autofree char *triaged = mail_to(f, "alice@x.gov.uk", ref, "Status: investigating\n");
      IgIntakeItem item = ingest(f, triaged);
      intake_item_clear(&item);
    }
    for (int n = 0; cases[i].held && n < 2; n++) {
      set_now(f, n ? "2026-11-23T10:20:00Z" : "2026-11-23T10:10:00Z");
      g_autofree char *from = g_strdup_printf("s%d@example.org", n);
      g_autofree char *raw = mail_to(f, from, ref, "Is this about me?\n");
      IgIntakeItem item = ingest(f, raw);
      assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
      intake_item_clear(&item);
    }
    g_autofree char *what = g_strdup_printf("%s hidden at %s", cases[i].hidden->table,
                                            cases[i].at);
    hide(f, cases[i].hidden);
    expect_run_refused_then(f, cases[i].at, what);
    intake_fixture_free(f);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_new_report_refused),
    cmocka_unit_test(test_other_reports_refused),
    cmocka_unit_test(test_bounce_refused),
    cmocka_unit_test(test_webhooks_refused),
    cmocka_unit_test(test_quarantine_refused),
    cmocka_unit_test(test_automatic_reply_refused),
    cmocka_unit_test(test_automatic_reply_lookup_refused),
    cmocka_unit_test(test_forged_refused),
    cmocka_unit_test(test_ack_count_refused),
    cmocka_unit_test(test_deadlines_refused),
    cmocka_unit_test(test_deadline_reads_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

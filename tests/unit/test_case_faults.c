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

/* The case's mail as it is (c->raw). */
static char *mail_given(Fixture *f, const FaultCase *c, char **ref)
{
  return g_strdup(c->raw);
}

static const char form_report[] =
    "From: Jane Smith <jane@x.gov.uk>\nSubject: Lost laptop\n"
    "Message-ID: <r@x>\n\nReporter name: Jane Smith\n"
    "Date and time of detection: 23/11/2026 07:30\n"
    "Impact: high\nPersonal data involved: perhaps\n"
    "Description: I left my laptop on the train.\n";
static const char short_report[] =
    "From: jane@x.gov.uk\nSubject: Lost laptop\nMessage-ID: <r@x>\n\n"
    "I left my laptop on the train.\n";

/* A new report refused at each of its writes; and unable to count its
 * sender's acknowledgements (the outbox's recipients hidden). */
#define NEW_REPORT .setup = mail_given, .raw = form_report, .want = IG_INTAKE_NEW
static const struct CMUnitTest new_report[] = {
  REFUSED_CASE("INSERT", "ref_seq", "true", NEW_REPORT),
  REFUSED_CASE("INSERT", "incidents", "true", NEW_REPORT),
  REFUSED_CASE("INSERT", "messages", "NEW.kind = 'report'", NEW_REPORT),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'received'", NEW_REPORT),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'created'", NEW_REPORT),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'unreadable_value'", NEW_REPORT),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'reported_late'", NEW_REPORT),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'rule_fired'", NEW_REPORT),
  REFUSED_CASE("INSERT", "rules_fired", "true", NEW_REPORT),
  REFUSED_CASE("INSERT", "outbox", "NEW.template = 'notify_ost'", NEW_REPORT),
  REFUSED_CASE("INSERT", "outbox", "NEW.template = 'notify'", NEW_REPORT),
  REFUSED_CASE("INSERT", "outbox", "NEW.template = 'ack'", NEW_REPORT),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'ack_queued'", NEW_REPORT),
  REFUSED_CASE("INSERT", "deadlines", "NEW.kind = 'triage'", NEW_REPORT),
  REFUSED_CASE("INSERT", "deadlines", "NEW.kind = 'form_reminder'", NEW_REPORT),
  REFUSED_CASE("INSERT", "deadlines", "NEW.kind = 'management_report'", NEW_REPORT),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'deadline_set'", NEW_REPORT),
  HIDDEN_CASE("acknowledgements counted", "outbox", "to_addr", 0, .setup = mail_given,
              .raw = short_report, .want = IG_INTAKE_NEW),
};

/* 500 levels of MIME nesting: a report the parser could not read in full. */
static char *deep_report(Fixture *f, const FaultCase *c, char **ref)
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

static const char phish[] =
    "From: Bob Kay <bob@x.gov.uk>\nSubject: FW: Mailbox quota\n"
    "Message-ID: <p@x>\n\nThis looks like phishing, I did not click.\n\n"
    "-----Original Message-----\nFrom: IT Support <support@quota.example>\n"
    "Sent: 23 November 2026 09:20\nTo: bob@x.gov.uk\n"
    "Subject: Mailbox quota\n\nClick http://quota.example/login now.\n";
static const char sealed[] =
    "From: enc@x.gov.uk\nMessage-ID: <enc@x>\nSubject: incident\n"
    "MIME-Version: 1.0\nContent-Type: application/pkcs7-mime;"
    " smime-type=enveloped-data; name=smime.p7m\n"
    "Content-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\n";
static const char alert[] =
    "From: alerts@x.gov.uk\nSubject: Lost phone\n"
    "Auto-Submitted: auto-generated\nMessage-ID: <a@x>\n\n"
    "A work phone was reported lost on the train.\n";

/* Reports of other shapes refused at the writes only they make: a
 * forwarded phishing mail (evidence, classification), one not read in
 * full, an encrypted one, an automatic alert (not acknowledged). */
#define PHISH .setup = mail_given, .raw = phish, .want = IG_INTAKE_NEW
static const struct CMUnitTest other_reports[] = {
  REFUSED_CASE("INSERT", "evidence", "true", PHISH),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'evidence'", PHISH),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'classified'", PHISH),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'truncated'", .setup = deep_report,
               .want = IG_INTAKE_NEW),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'encrypted'", .setup = mail_given, .raw = sealed,
               .want = IG_INTAKE_NEW),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'ack_suppressed'", .setup = mail_given,
               .raw = alert, .want = IG_INTAKE_NEW),
};

/* A report opened and a delivery failure of its acknowledgement. */
static char *ack_bounce(Fixture *f, const FaultCase *c, char **ref)
{
  *ref = open_report(f, "low", TRUE);
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, NULL);
  const char *ack = NULL;
  for (guint j = 0; j < rows->len; j++) {
    const IgOutboxRec *row = g_ptr_array_index(rows, j);
    if (strcmp(row->template_name, "ack") == 0)
      ack = row->message_id;
  }
  assert_non_null(ack);
  return g_strdup_printf(
      "From: Mail Delivery System <mailer-daemon@mx.x.gov.uk>\n"
      "Subject: Undelivered Mail Returned to Sender\nMessage-ID: <b@x>\nMIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
      "--b\nContent-Type: text/plain\n\nMailbox full.\n"
      "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n"
      "Final-Recipient: rfc822; jane@x.gov.uk\nAction: failed\nStatus: 5.2.2\n"
      "--b\nContent-Type: message/rfc822\n\nFrom: security@x.gov.uk\n"
      "Message-ID: <%s>\nSubject: ack\n\nThank you.\n--b--\n", ack);
}

/* A delivery failure of our acknowledgement refused at each write. */
#define BOUNCE .setup = ack_bounce, .want = IG_INTAKE_ATTACHED
static const struct CMUnitTest bounce[] = {
  REFUSED_CASE("UPDATE", "outbox", "NEW.state = 'bounced'", BOUNCE),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'bounced'", BOUNCE),
};

/* A report opened (c->impact, c->complete), triaged if c->triaged, with
 * c->outsiders outsiders' mails; the scheduler runs at c->at. */
static char *deadline_due(Fixture *f, const FaultCase *c, char **ref)
{
  *ref = open_report(f, c->impact, c->complete);
  if (c->triaged) {
    g_autofree char *raw = mail_to(f, "alice@x.gov.uk", *ref, "Status: investigating\n");
    IgIntakeItem item = ingest(f, raw);
    intake_item_clear(&item);
  }
  outsiders_before(f, *ref, c->outsiders);
  return NULL;
}

/* The deadlines: the triage of a high-impact report, due at 11:00; the
 * form reminder of one whose personal data is not stated, at 12:00; the
 * management report of a medium-impact one (triaged, so that only it
 * falls due), on 3 December. */
#define TRIAGE .setup = deadline_due, .impact = "high", .complete = TRUE, \
               .at = "2026-11-23T11:00:00Z"
#define FORM_REMINDER .setup = deadline_due, .impact = "low", .at = "2026-11-23T12:00:00Z"
#define MANAGEMENT_REPORT .setup = deadline_due, .impact = "medium", .complete = TRUE, \
                          .triaged = TRUE, .at = "2026-12-03T10:00:00Z"
/* The held correspondence of a low-impact report (triaged) passed on at
 * 11:30. */
#define HELD .setup = deadline_due, .impact = "low", .complete = TRUE, .triaged = TRUE, \
             .outsiders = 2, .at = "2026-11-23T11:30:00Z"

/* Each webhook event refused where it is queued: a new report, commands,
 * the reporter's reply, a deadline overdue. */
#define WEBHOOK(name, event, ...) \
  FAULT_CASE(name, .extra = "[webhook.all]\nurl = http://127.0.0.1:9/all\n", \
             .refuse = { "INSERT", "outbox", \
                         "NEW.kind = 'webhook' AND NEW.subject = '" event "'" }, __VA_ARGS__)
#define MAIL(impact_, from_, body_) .setup = reply_to_report, .impact = impact_, \
                                    .from = from_, .body = body_, .want = IG_INTAKE_ATTACHED
static const struct CMUnitTest webhooks[] = {
  WEBHOOK("created", "created", .setup = mail_given, .raw = short_report,
          .want = IG_INTAKE_NEW),
  WEBHOOK("status_changed", "status_changed",
          MAIL("medium", "alice@x.gov.uk", "Status: investigating\n")),
  WEBHOOK("closed", "closed", MAIL("low", "alice@x.gov.uk", "Status: closed\n")),
  WEBHOOK("impact_changed", "impact_changed", MAIL("low", "alice@x.gov.uk", "Impact: medium\n")),
  WEBHOOK("updated by a member", "updated",
          MAIL("low", "alice@x.gov.uk", "Owner: bob@x.gov.uk\n")),
  WEBHOOK("updated by the reporter", "updated",
          MAIL("low", "jane@x.gov.uk", "Personal data involved: no\n")),
  WEBHOOK("overdue", "overdue", TRIAGE),
};

/* 1200 bytes of body: too large for max_message_size 1000. */
static char *oversized(Fixture *f, const FaultCase *c, char **ref)
{
  g_autofree char *big = g_strnfill(1200, 'a');
  return g_strdup_printf("From: jane@x.gov.uk\nSubject: Big\nMessage-ID: <b@x>\n\n%s\n", big);
}

/* A mail too large to read, quarantined, refused at each write. */
#define QUARANTINE .setup = oversized, .extra = "[gateway]\nmax_message_size = 1000\n", \
                   .want = IG_INTAKE_QUARANTINED
static const struct CMUnitTest quarantine[] = {
  REFUSED_CASE("INSERT", "messages", "NEW.kind = 'quarantined'", QUARANTINE),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'quarantined'", QUARANTINE),
  REFUSED_CASE("INSERT", "outbox", "NEW.template = 'quarantine'", QUARANTINE),
};

/* A report opened and an automatic reply to it. */
static char *auto_reply(Fixture *f, const FaultCase *c, char **ref)
{
  *ref = open_report(f, "low", TRUE);
  return g_strdup_printf("From: jane@x.gov.uk\nSubject: Automatic reply: [%s] Lost laptop\n"
                         "Auto-Submitted: auto-replied\nMessage-ID: <auto@x>\n\n"
                         "I am out of the office.\n", *ref);
}

/* An automatic reply to an incident, refused at each write; and unable to
 * read the incident's reference (the third statement to: after the
 * threading and the seal of the stored mail). */
#define AUTO_REPLY .setup = auto_reply, .want = IG_INTAKE_ATTACHED
static const struct CMUnitTest automatic_reply[] = {
  REFUSED_CASE("INSERT", "messages", "NEW.kind = 'auto-reply'", AUTO_REPLY),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'auto-reply'", AUTO_REPLY),
  HIDDEN_CASE("look-up", "incidents", "reference", 3, AUTO_REPLY),
};

/* A member's mail that fails authentication, refused at each write. */
#define FORGED .auth = "exchange-internal", MAIL("low", "alice@x.gov.uk", "Status: closed\n")
static const struct CMUnitTest forged[] = {
  REFUSED_CASE("INSERT", "messages", "NEW.kind = 'command'", FORGED),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'security'", FORGED),
  REFUSED_CASE("INSERT", "outbox", "NEW.template = 'security_alert'", FORGED),
};

/* Each kind of deadline refused at the writes of its first act, the
 * reminder. */
static const struct CMUnitTest deadlines[] = {
  REFUSED_CASE("INSERT", "outbox", "NEW.template = 'triage_reminder'", TRIAGE),
  REFUSED_CASE("UPDATE", "deadlines", "NEW.kind = 'triage'", TRIAGE),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'reminder'", TRIAGE),
  REFUSED_CASE("INSERT", "outbox", "NEW.template = 'form_reminder'", FORM_REMINDER),
  REFUSED_CASE("UPDATE", "deadlines", "NEW.kind = 'form_reminder'", FORM_REMINDER),
  REFUSED_CASE("INSERT", "outbox", "NEW.template = 'report_reminder'", MANAGEMENT_REPORT),
};

/* Deadlines that cannot read what they need: the incident, our last mail
 * of the case (to thread under, or to find the reporter), the held
 * correspondence, the management report. The form reminder's report is
 * triaged, so that only the deadline under test falls due. */
static const struct CMUnitTest deadline_reads[] = {
  HIDDEN_CASE("held", "incidents", "missing_fields", 0, HELD),
  HIDDEN_CASE("held", "outbox", "to_addr", 0, HELD),
  HIDDEN_CASE("held", "messages", "subject", 0, HELD),
  HIDDEN_CASE("triage", "incidents", "missing_fields", 0, TRIAGE),
  HIDDEN_CASE("triage", "outbox", "to_addr", 0, TRIAGE),
  HIDDEN_CASE("form reminder", "outbox", "to_addr", 0, FORM_REMINDER, .triaged = TRUE),
  HIDDEN_CASE("management report", "management_reports", "text", 0, MANAGEMENT_REPORT),
};

int main(void)
{
  int failed = cmocka_run_group_tests(new_report, NULL, NULL);
  failed += cmocka_run_group_tests(other_reports, NULL, NULL);
  failed += cmocka_run_group_tests(bounce, NULL, NULL);
  failed += cmocka_run_group_tests(webhooks, NULL, NULL);
  failed += cmocka_run_group_tests(quarantine, NULL, NULL);
  failed += cmocka_run_group_tests(automatic_reply, NULL, NULL);
  failed += cmocka_run_group_tests(forged, NULL, NULL);
  failed += cmocka_run_group_tests(deadlines, NULL, NULL);
  failed += cmocka_run_group_tests(deadline_reads, NULL, NULL);
  return failed;
}

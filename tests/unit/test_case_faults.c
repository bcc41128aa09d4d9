/* test_case_faults.c - unit tests for the case logic (gateway/cases.c,
 * case_reply.c, case_command.c, case_deadline.c) when the store refuses
 * one write or one read: a new report, an OST member's commands, a
 * forged member, an outsider's correspondence, the reporter's reply, a
 * deadline falling due. Each refusal fails the message (or the scheduler's run) with the
 * store's error, and nothing of it is kept: the same mail once the store
 * accepts again is recorded as if it were new. A temporary trigger on
 * the store's connection, or an SQLite authorizer hiding a column, stands
 * in for the fault (no mocks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "gateway/scheduler.h"
#include "gateway/store_sqlite.h"
#include "tests/unit/intake_fixture.h"

#define SECTIONS "siro = siro@x.gov.uk\ndacu = dacu@x.gov.uk\n" \
                 "[ost]\nmembers = alice@x.gov.uk\n"
#define REFUSED "refused by the test"

/* extra: more configuration after [ost], or "". */
static Fixture *fixture_with(const char *auth, const char *extra)
{
  g_autofree char *sections = g_strdup_printf(SECTIONS "require_authentication = %s\n%s", auth,
                                              extra);
  return intake_fixture_new_with("", sections);
}

static Fixture *fixture(const char *auth)
{
  return fixture_with(auth, "");
}

/* Writes of op ("INSERT" or "UPDATE") on table where the SQL condition
 * `when` holds (of NEW) fail until allow(). */
static void refuse(Fixture *f, const char *op, const char *table, const char *when)
{
  g_autofree char *sql = g_strdup_printf("CREATE TEMP TRIGGER refuse BEFORE %s ON main.%s"
                                         " WHEN %s BEGIN SELECT RAISE(ABORT, '" REFUSED "');"
                                         " END", op, table, when);
  char *why = NULL;
  if (sqlite3_exec(f->store->db, sql, NULL, NULL, &why) != SQLITE_OK)
    fail_msg("%s: %s", sql, why);
}

/* A table's column that the nth statement prepared to read it may not
 * read (nth 0: no statement may). */
typedef struct {
  const char *table, *column;
  int nth, seen;
} Hidden;

static int authorize(void *data, int action, const char *a, const char *b, const char *db,
                     const char *trigger)
{
  Hidden *h = data;
  if (action != SQLITE_READ || g_strcmp0(a, h->table) != 0 || g_strcmp0(b, h->column) != 0)
    return SQLITE_OK;
  return !h->nth || ++h->seen == h->nth ? SQLITE_DENY : SQLITE_OK;
}

/* Statements reading the column fail (as "prohibited") until allow();
 * setting an authorizer makes SQLite prepare the cached ones again. */
static void hide(Fixture *f, Hidden *h)
{
  h->seen = 0;
  sqlite3_set_authorizer(f->store->db, authorize, h);
}

static void allow(Fixture *f)
{
  sqlite3_set_authorizer(f->store->db, NULL, NULL);
  assert_int_equal(sqlite3_exec(f->store->db, "DROP TRIGGER IF EXISTS temp.refuse", NULL, NULL,
                                NULL), SQLITE_OK);
}

static IgIntakeItem ingest(Fixture *f, const char *raw)
{
  g_autoptr(GBytes) bytes = g_bytes_new(raw, strlen(raw));
  IgIntakeItem item = { .name = "test", .raw = bytes };
  assert_true(intake_batch(&f->ctx, &item, 1, NULL));
  return item;
}

static void set_now(Fixture *f, const char *iso)
{
  g_date_time_unref(f->now);
  f->now = iso_parse(iso);
  f->ctx.now = f->now;
}

/* raw fails while the store refuses, and is then recorded with the
 * outcome want: the failed attempt kept nothing. */
static void expect_refused_then(Fixture *f, const char *raw, IgIntakeOutcome want,
                                const char *what)
{
  IgIntakeItem item = ingest(f, raw);
  if (item.outcome != IG_INTAKE_FAILED || !item.error ||
      !(strstr(item.error, REFUSED) || strstr(item.error, "prohibited")))
    fail_msg("%s: outcome %s (%s), not failed by the refusal", what,
             intake_outcome_name(item.outcome), item.error ? item.error : "no error");
  intake_item_clear(&item);
  allow(f);
  item = ingest(f, raw);
  if (item.outcome != want)
    fail_msg("%s: then %s, not %s", what, intake_outcome_name(item.outcome),
             intake_outcome_name(want));
  intake_item_clear(&item);
  expect_verifies(f);
}

/* The scheduler at iso fails with the refusal, then succeeds, acting on
 * the same deadlines. */
static void expect_run_refused_then(Fixture *f, const char *iso, const char *what)
{
  set_now(f, iso);
  guint done = 0;
  g_autoptr(GError) error = NULL;
  if (scheduler_run_due(&f->ctx, &done, &error))
    fail_msg("%s: the scheduler ran at %s", what, iso);
  if (!error || !(strstr(error->message, REFUSED) || strstr(error->message, "prohibited")))
    fail_msg("%s: %s", what, error ? error->message : "no error");
  allow(f);
  g_clear_error(&error);
  if (!scheduler_run_due(&f->ctx, &done, &error))
    fail_msg("%s: then %s", what, error->message);
  assert_true(done > 0);
  expect_verifies(f);
}

/* A report from jane at 10:00 (a form, its impact as given, personal data
 * left out unless complete); its reference. */
static char *open_report(Fixture *f, const char *impact, gboolean complete)
{
  set_now(f, "2026-11-23T10:00:00Z");
  g_autofree char *raw = g_strdup_printf(
      "From: Jane Smith <jane@x.gov.uk>\nSubject: Lost laptop\nMessage-ID: <r%d@x>\n\n"
      "Reporter name: Jane Smith\nDate and time of detection: 23/11/2026 09:30\n"
      "Incident category: lost-or-stolen-equipment\nImpact: %s\n%s"
      "Description: I left my laptop on the train.\n", f->sent++, impact,
      complete ? "Personal data involved: no\n" : "");
  IgIntakeItem item = ingest(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  return ref;
}

static char *mail_to(Fixture *f, const char *from, const char *ref, const char *body)
{
  return g_strdup_printf("From: %s\nSubject: RE: [%s] Lost laptop\nMessage-ID: <m%d@x>\n\n%s",
                         from, ref, f->sent++, body);
}

typedef struct {
  const char *op, *table, *when;
} Refusal;

/* A new report refused at each of its writes. */
static void test_new_report_refused(void **state)
{
  (void)state;
  const Refusal refusals[] = {
    { "INSERT", "ref_seq", "1" },
    { "INSERT", "incidents", "1" },
    { "INSERT", "messages", "NEW.kind = 'report'" },
    { "INSERT", "events", "NEW.type = 'received'" },
    { "INSERT", "events", "NEW.type = 'created'" },
    { "INSERT", "events", "NEW.type = 'unreadable_value'" },
    { "INSERT", "events", "NEW.type = 'reported_late'" },
    { "INSERT", "events", "NEW.type = 'rule_fired'" },
    { "INSERT", "rules_fired", "1" },
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
    { phish, { "INSERT", "evidence", "1" } },
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

/* An OST member's commands refused at each of their writes. */
static void test_commands_refused(void **state)
{
  (void)state;
  const Refusal refusals[] = {
    { "INSERT", "messages", "NEW.kind = 'command'" },
    { "UPDATE", "incidents", "1" },
    { "INSERT", "events", "NEW.type = 'status_changed'" },
    { "INSERT", "events", "NEW.type = 'changed'" },
    { "INSERT", "events", "NEW.type = 'note'" },
    { "INSERT", "management_reports", "1" },
    { "INSERT", "events", "NEW.type = 'management_report'" },
    { "UPDATE", "deadlines", "NEW.kind = 'triage'" },
    { "UPDATE", "deadlines", "NEW.kind = 'management_report'" },
    { "UPDATE", "deadlines", "NEW.kind = 'form_reminder'" },
    { "INSERT", "events", "NEW.type = 'deadline_ended'" },
    { "INSERT", "outbox", "NEW.template = 'confirmation'" },
    { "INSERT", "outbox", "NEW.template = 'status_changed'" },
    { "INSERT", "events", "NEW.type = 'reporter_told'" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(refusals); i++) {
    Fixture *f = fixture("none");
    g_autofree char *ref = open_report(f, "medium", FALSE);
    refuse(f, refusals[i].op, refusals[i].table, refusals[i].when);
    g_autofree char *what = g_strdup_printf("%s %s %s", refusals[i].op, refusals[i].table,
                                            refusals[i].when);
    g_autofree char *raw = mail_to(f, "alice@x.gov.uk", ref,
                                   "Status: closed - wiped remotely\nCategory: phishing\n"
                                   "Report: Laptop wiped remotely; nothing lost.\n");
    expect_refused_then(f, raw, IG_INTAKE_ATTACHED, what);
    intake_fixture_free(f);
  }
}

/* Commands that cannot apply: the refusal's own event refused. A member's
 * mail with no commands: its event refused. */
static void test_refusal_and_reply_refused(void **state)
{
  (void)state;
  const struct {
    const char *body, *when;
  } cases[] = {
    { "Status: rejected\n", "NEW.type = 'commands_refused'" },
    { "Thanks, looking now.\n", "NEW.type = 'reply'" },
    { "Owner: bob@x.gov.uk\nNote: phoned jane\n", "NEW.type = 'note'" },
    { "Impact: high\n", "NEW.type = 'deadline_set'" },
    { "Impact: high\n", "NEW.type = 'rule_fired'" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    Fixture *f = fixture("none");
    g_autofree char *ref = open_report(f, "low", FALSE);
    refuse(f, "INSERT", "events", cases[i].when);
    g_autofree char *raw = mail_to(f, "alice@x.gov.uk", ref, cases[i].body);
    expect_refused_then(f, raw, IG_INTAKE_ATTACHED, cases[i].when);
    intake_fixture_free(f);
  }
}

/* Duplicate-of refused at its own event. */
static void test_duplicate_refused(void **state)
{
  (void)state;
  Fixture *f = fixture("none");
  g_autofree char *first = open_report(f, "low", TRUE);
  g_autofree char *second = open_report(f, "low", TRUE);
  refuse(f, "INSERT", "events", "NEW.type = 'duplicate'");
  g_autofree char *body = g_strdup_printf("Duplicate-of: %s\n", first);
  g_autofree char *raw = mail_to(f, "alice@x.gov.uk", second, body);
  expect_refused_then(f, raw, IG_INTAKE_ATTACHED, "duplicate");
  g_autoptr(IgIncident) inc = store_get_incident(f->store, second, NULL);
  assert_string_equal(inc->status, "rejected");
  intake_fixture_free(f);
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

/* An automatic reply to an incident, refused at each write, and unable
 * to read the incident's reference (the third statement to: after the
 * threading and the seal of the stored mail). */
static void test_automatic_reply_refused(void **state)
{
  (void)state;
  const Refusal refusals[] = {
    { "INSERT", "messages", "NEW.kind = 'auto-reply'" },
    { "INSERT", "events", "NEW.type = 'auto-reply'" },
  };
  Hidden reference = { "incidents", "reference", 3, 0 };
  for (gsize i = 0; i <= G_N_ELEMENTS(refusals); i++) {
    Fixture *f = fixture("none");
    g_autofree char *ref = open_report(f, "low", TRUE);
    g_autofree char *raw = g_strdup_printf("From: jane@x.gov.uk\nSubject: Automatic reply: [%s]"
                                           " Lost laptop\nAuto-Submitted: auto-replied\n"
                                           "Message-ID: <auto@x>\n\nI am out of the office.\n",
                                           ref);
    if (i < G_N_ELEMENTS(refusals))
      refuse(f, refusals[i].op, refusals[i].table, refusals[i].when);
    else
      hide(f, &reference);
    expect_refused_then(f, raw, IG_INTAKE_ATTACHED, i < G_N_ELEMENTS(refusals)
                                                    ? refusals[i].when : "reference hidden");
    intake_fixture_free(f);
  }
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

/* Correspondence refused at each write: the first mail (OST told at
 * once), a second within the hour (held), a third after it (the held
 * mail passed on). */
static void test_correspondence_refused(void **state)
{
  (void)state;
  const struct {
    int nth; /* which mail of the three is refused */
    Refusal r;
  } cases[] = {
    { 0, { "INSERT", "messages", "NEW.kind = 'correspondence'" } },
    { 0, { "INSERT", "events", "NEW.type = 'correspondence'" } },
    { 0, { "INSERT", "outbox", "NEW.template = 'correspondence'" } },
    { 1, { "INSERT", "deadlines", "NEW.kind = 'correspondence_notice'" } },
    { 1, { "INSERT", "events", "NEW.type = 'correspondence_held'" } },
    { 2, { "INSERT", "outbox", "NEW.template = 'correspondence'" } },
    { 2, { "UPDATE", "deadlines", "NEW.kind = 'correspondence_notice'" } },
    { 2, { "INSERT", "events", "NEW.type = 'correspondence_sent'" } },
  };
  const char *const at[] = { "2026-11-23T10:10:00Z", "2026-11-23T10:20:00Z",
                             "2026-11-23T11:30:00Z" };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    Fixture *f = fixture("none");
    g_autofree char *ref = open_report(f, "low", TRUE);
    for (int n = 0; n <= cases[i].nth; n++) {
      set_now(f, at[n]);
      g_autofree char *from = g_strdup_printf("s%d@example.org", n);
      g_autofree char *raw = mail_to(f, from, ref, "Is this about me?\n");
      if (n < cases[i].nth) {
        IgIntakeItem item = ingest(f, raw);
        assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
        intake_item_clear(&item);
        continue;
      }
      refuse(f, cases[i].r.op, cases[i].r.table, cases[i].r.when);
      expect_refused_then(f, raw, IG_INTAKE_ATTACHED, cases[i].r.when);
    }
    intake_fixture_free(f);
  }
}

/* The reporter's reply filling the form, refused at each write. */
static void test_reporter_reply_refused(void **state)
{
  (void)state;
  const Refusal refusals[] = {
    { "INSERT", "messages", "NEW.kind = 'reply'" },
    { "INSERT", "events", "NEW.type = 'reply'" },
    { "INSERT", "events", "NEW.type = 'unreadable_value'" },
    { "UPDATE", "incidents", "1" },
    { "INSERT", "events", "NEW.type = 'field_filled'" },
    { "UPDATE", "deadlines", "NEW.kind = 'form_reminder'" },
    { "INSERT", "events", "NEW.type = 'deadline_ended'" },
    { "INSERT", "outbox", "NEW.template = 'notify'" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(refusals); i++) {
    Fixture *f = fixture("none");
    g_autofree char *ref = open_report(f, "low", FALSE);
    refuse(f, refusals[i].op, refusals[i].table, refusals[i].when);
    g_autofree char *raw = mail_to(f, "jane@x.gov.uk", ref, "Personal data involved: yes\n"
                                   "Impact: severe\n");
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

/* Closing a medium incident without a Report line, when the management
 * report on record cannot be read (the second statement reading it: the
 * first seals the stored mail). */
static void test_close_check_refused(void **state)
{
  (void)state;
  Fixture *f = fixture("none");
  g_autofree char *ref = open_report(f, "medium", TRUE);
  Hidden report = { "management_reports", "text", 2, 0 };
  hide(f, &report);
  g_autofree char *raw = mail_to(f, "alice@x.gov.uk", ref, "Status: closed\n");
  expect_refused_then(f, raw, IG_INTAKE_ATTACHED, "management report hidden");
  g_autoptr(IgIncident) inc = store_get_incident(f->store, ref, NULL);
  assert_string_equal(inc->status, "new");
  intake_fixture_free(f);
}

/* Duplicate-of when no incident can be looked up by reference: a reply
 * found by its References (not by a reference in its subject), so that
 * the fifth statement reading incidents.reference is that look-up (the
 * seal of the stored mail, then loading the incident, come first). */
static void test_duplicate_lookup_refused(void **state)
{
  (void)state;
  Fixture *f = fixture("none");
  g_autofree char *first = open_report(f, "low", TRUE);
  g_autofree char *second = open_report(f, "low", TRUE);
  Hidden reference = { "incidents", "reference", 5, 0 };
  hide(f, &reference);
  g_autofree char *raw = g_strdup_printf("From: alice@x.gov.uk\nSubject: RE: Lost laptop\n"
                                         "Message-ID: <d@x>\nReferences: <r1@x>\n\n"
                                         "Duplicate-of: %s\n", first);
  expect_refused_then(f, raw, IG_INTAKE_ATTACHED, "reference hidden");
  g_autoptr(IgIncident) inc = store_get_incident(f->store, second, NULL);
  assert_string_equal(inc->status, "rejected");
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

/* A reply that cannot read what it needs: the incident (hidden: its
 * missing fields; for a member's mail, from the second statement on, the
 * first sealing the stored mail), who was acknowledged or told (the
 * outbox's recipients), the correspondence held (the messages'
 * subjects). */
static void test_reply_reads_refused(void **state)
{
  (void)state;
  Hidden incident = { "incidents", "missing_fields", 0, 0 };
  Hidden filed = { "incidents", "missing_fields", 2, 0 };
  Hidden outbox = { "outbox", "to_addr", 0, 0 };
  Hidden messages = { "messages", "subject", 0, 0 };
  const struct {
    const char *auth, *from, *body;
    Hidden *hidden;
  } cases[] = {
    { "none", "alice@x.gov.uk", "Status: investigating\n", &filed },
    { "none", "alice@x.gov.uk", "Status: investigating\n", &outbox },
    { "exchange-internal", "alice@x.gov.uk", "Status: investigating\n", &filed },
    { "none", "s@example.org", "Is this about me?\n", &incident },
    { "none", "s@example.org", "Is this about me?\n", &outbox },
    { "none", "s@example.org", "Is this about me?\n", &messages },
    { "none", "jane@x.gov.uk", "Thanks.\n", &outbox },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    Fixture *f = fixture(cases[i].auth);
    g_autofree char *ref = open_report(f, "low", TRUE);
    g_autofree char *raw = mail_to(f, cases[i].from, ref, cases[i].body);
    g_autofree char *what = g_strdup_printf("%s hidden from %s's mail", cases[i].hidden->table,
                                            cases[i].from);
    hide(f, cases[i].hidden);
    expect_refused_then(f, raw, IG_INTAKE_ATTACHED, what);
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
    cmocka_unit_test(test_commands_refused),
    cmocka_unit_test(test_refusal_and_reply_refused),
    cmocka_unit_test(test_duplicate_refused),
    cmocka_unit_test(test_webhooks_refused),
    cmocka_unit_test(test_quarantine_refused),
    cmocka_unit_test(test_automatic_reply_refused),
    cmocka_unit_test(test_forged_refused),
    cmocka_unit_test(test_correspondence_refused),
    cmocka_unit_test(test_reporter_reply_refused),
    cmocka_unit_test(test_deadlines_refused),
    cmocka_unit_test(test_ack_count_refused),
    cmocka_unit_test(test_close_check_refused),
    cmocka_unit_test(test_duplicate_lookup_refused),
    cmocka_unit_test(test_reply_reads_refused),
    cmocka_unit_test(test_deadline_reads_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

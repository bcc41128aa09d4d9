/* test_case_reply.c - unit tests for gateway/case_reply.c and
 * case_command.c: an OST member takes an incident from new to closed by
 * replying, each step applied, audited with before and after, and
 * confirmed; a mail's commands apply all or none (closing a medium
 * incident without a management report, rejecting without a reason, a
 * Duplicate-of naming nothing); raising impact fires the rules not yet
 * fired; the reporter hears of each new status; quoted commands are never
 * obeyed; a member's mail that fails authentication changes nothing,
 * alerts OST and is not answered; the reporter's reply fills what the
 * form lacked (never what it held) and ends the form reminders; and OST
 * hears of outsiders' correspondence at most once an hour per incident,
 * later mail gathered into the next notice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "gateway/outbox.h"
#include "gateway/scheduler.h"
#include "parsers/mail.h"
#include "tests/unit/intake_fixture.h"

#define STAKEHOLDERS "siro = siro@x.gov.uk\ndacu = dacu@x.gov.uk\n" \
                     "accreditor = acc@x.gov.uk\n"
#define MEMBERS "[ost]\nmembers = alice@x.gov.uk, bob@x.gov.uk\n"

static int setup(void **state)
{
  *state = intake_fixture_new_with("", STAKEHOLDERS MEMBERS "require_authentication = none\n");
  return 0;
}

static int setup_exchange(void **state)
{
  *state = intake_fixture_new_with("", STAKEHOLDERS MEMBERS
                                   "require_authentication = exchange-internal\n");
  return 0;
}

static int teardown(void **state)
{
  intake_fixture_free(*state);
  return 0;
}

/* What open_report() leaves out for the form to ask: with it, no form
 * reminder falls due among the scheduler's work a test counts. */
#define COMPLETE "Personal data involved: no\n"

/* A report from jane (acknowledged), medium impact unless impact says. */
static char *open_report(Fixture *f, const char *impact, const char *extra)
{
  g_autofree char *raw = g_strdup_printf(
      "From: Jane Smith <jane@x.gov.uk>\nSubject: Lost laptop\nMessage-ID: <r%d@x>\n\n"
      "Reporter name: Jane Smith\nDate and time of detection: 23/11/2026 09:30\n"
      "Incident category: lost-or-stolen-equipment\nImpact: %s\n%s"
      "Description: I left my laptop on the train.\n", f->sent++, impact, extra);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_free(drain_outbox(f, NULL, NULL));
  return ref;
}

/* A reply from `from` to ref with body (headers may add lines). */
static IgIntakeItem reply(Fixture *f, const char *from, const char *ref, const char *headers,
                          const char *body)
{
  g_autofree char *raw = g_strdup_printf("From: %s\nSubject: RE: [%s] Lost laptop\n"
                                         "Message-ID: <m%d@x>\n%s\n%s", from, ref, f->sent++,
                                         headers, body);
  return ingest_one(f, raw);
}

static IgIncident *get(Fixture *f, const char *ref)
{
  IgIncident *inc = store_get_incident(f->store, ref, NULL);
  assert_non_null(inc);
  return inc;
}

static char *deadline_state(Fixture *f, const char *ref, const char *kind)
{
  gint64 id = store_incident_id(f->store, ref, NULL);
  g_autoptr(GPtrArray) rows = store_incident_deadlines(f->store, id, NULL);
  for (guint i = 0; i < rows->len; i++) {
    const IgDeadlineRec *d = g_ptr_array_index(rows, i);
    if (strcmp(d->kind, kind) == 0)
      return g_strdup(d->state);
  }
  return NULL;
}

/* New to closed by replying alone: every step applied, confirmed to the
 * member, audited with before and after, and the reporter told. */
static void test_new_to_closed_by_reply(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f, "medium", "");
  IgIntakeItem item = reply(f, "Alice <alice@x.gov.uk>", ref, "",
                            "Status: triaged\nOwner: bob@x.gov.uk\n\nTaking this one.\n");
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  assert_string_equal(item.kind, "command");
  intake_item_clear(&item);
  g_autoptr(GString) confirm = g_string_new(NULL);
  g_autofree char *mails = drain_outbox(f, "confirmation", confirm);
  assert_string_equal(mails, "confirmation>alice@x.gov.uk\nstatus_changed>jane@x.gov.uk\n");
  expect_contains(confirm->str, "status: new -> triaged");
  expect_contains(confirm->str, "owner: (none) -> bob@x.gov.uk");
  expect_contains(confirm->str, "Taking this one.");
  g_autoptr(IgIncident) triaged = get(f, ref);
  assert_string_equal(triaged->status, "triaged");
  assert_string_equal(triaged->owner, "bob@x.gov.uk");
  g_autofree char *changes = events_of(f, ref, "status_changed", TRUE);
  assert_string_equal(changes, "alice@x.gov.uk: status: new -> triaged\n");
  g_autofree char *triage = deadline_state(f, ref, "triage");
  assert_string_equal(triage, "done");

  item = reply(f, "alice@x.gov.uk", ref, "", "Status: investigating\n");
  intake_item_clear(&item);
  g_autoptr(GString) told = g_string_new(NULL);
  g_free(drain_outbox(f, "status_changed", told));
  expect_contains(told->str, "Subject: [INC-2026-000001] Your security incident report is"
                             " investigating\n");
  expect_contains(told->str, "is now being investigated");

  item = reply(f, "bob@x.gov.uk", ref, "",
               "Status: closed\nReport: Laptop was encrypted; wiped remotely.\n"
               "Actions: staff reminded. Owner: Bob.\n");
  intake_item_clear(&item);
  g_autoptr(GString) closed = g_string_new(NULL);
  g_free(drain_outbox(f, "confirmation", closed));
  expect_contains(closed->str, "management report recorded");
  g_autoptr(IgIncident) done = get(f, ref);
  assert_string_equal(done->status, "closed");
  g_autofree char *report = store_management_report(f->store, done->id, NULL);
  assert_string_equal(report, "Laptop was encrypted; wiped remotely.\n"
                              "Actions: staff reminded. Owner: Bob.");
  g_autofree char *due = deadline_state(f, ref, "management_report");
  assert_string_equal(due, "done");
  expect_verifies(f);
}

/* One refused command refuses the mail: nothing applied, the member told
 * why, the refusal audited. */
static void test_all_or_nothing(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f, "low", "");
  const struct {
    const char *body, *why;
  } cases[] = {
    { "Impact: medium\nStatus: closed\n", "a medium impact incident needs a management report" },
    { "Owner: carol@x.gov.uk\nStatus: rejected\n", "Status: rejected needs a reason" },
    { "Duplicate-of: INC-2026-000777\n", "Duplicate-of: INC-2026-000777: no such incident" },
    { "Category: phishing\nImpact: severe\n", "Impact" },
  };
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    IgIntakeItem item = reply(f, "alice@x.gov.uk", ref, "", cases[c].body);
    intake_item_clear(&item);
    g_autoptr(GString) body = g_string_new(NULL);
    g_autofree char *mails = drain_outbox(f, "confirmation", body);
    assert_string_equal(mails, "confirmation>alice@x.gov.uk\n");
    expect_contains(body->str, "Nothing in your mail was applied");
    expect_contains(body->str, cases[c].why);
    g_autoptr(IgIncident) inc = get(f, ref);
    assert_string_equal(inc->status, "new");
    assert_string_equal(inc->impact, "low");
    assert_string_equal(inc->category, "lost-or-stolen-equipment");
    assert_null(inc->owner);
  }
  g_autofree char *refused = events_of(f, ref, "commands_refused", TRUE);
  gsize lines = 0;
  for (const char *c = refused; *c; c++)
    lines += *c == '\n';
  assert_int_equal(lines, G_N_ELEMENTS(cases));
  expect_verifies(f);
}

/* A reason makes rejected acceptable; Duplicate-of an existing incident
 * rejects this one as its duplicate. */
static void test_rejected_and_duplicate(void **state)
{
  Fixture *f = *state;
  g_autofree char *first = open_report(f, "low", "");
  g_autofree char *second = open_report(f, "low", "");
  g_autofree char *third = open_report(f, "low", "");
  IgIntakeItem item = reply(f, "alice@x.gov.uk", second, "",
                            "Status: rejected - a test mail, not an incident\n");
  intake_item_clear(&item);
  g_autoptr(IgIncident) rejected = get(f, second);
  assert_string_equal(rejected->status, "rejected");
  g_autofree char *notes = events_of(f, second, "note", TRUE);
  expect_contains(notes, "a test mail, not an incident");

  g_autofree char *lower = g_ascii_strdown(first, -1);
  g_autofree char *dup = g_strdup_printf("Duplicate-of: %s\n", lower);
  item = reply(f, "alice@x.gov.uk", third, "", dup);
  intake_item_clear(&item);
  g_autoptr(IgIncident) duplicate = get(f, third);
  assert_string_equal(duplicate->status, "rejected");
  g_autofree char *dups = events_of(f, third, "duplicate", TRUE);
  g_autofree char *want = g_strdup_printf("alice@x.gov.uk: duplicate of %s\n", first);
  assert_string_equal(dups, want);

  /* Duplicate-of closes as rejected: another status contradicts it,
   * closed agrees (and needs no management report). */
  g_autofree char *fourth = open_report(f, "medium", "");
  g_autofree char *contra = g_strdup_printf("Duplicate-of: %s\nStatus: investigating\n", first);
  item = reply(f, "alice@x.gov.uk", fourth, "", contra);
  intake_item_clear(&item);
  g_autoptr(IgIncident) still = get(f, fourth);
  assert_string_equal(still->status, "new");
  g_autofree char *refusal = events_of(f, fourth, "commands_refused", TRUE);
  expect_contains(refusal, "Duplicate-of closes the incident as rejected;"
                           " Status: investigating says otherwise");
  g_autofree char *agree = g_strdup_printf("Duplicate-of: %s\nStatus: closed\n", first);
  item = reply(f, "alice@x.gov.uk", fourth, "", agree);
  intake_item_clear(&item);
  g_autoptr(IgIncident) closed = get(f, fourth);
  assert_string_equal(closed->status, "closed");

  g_autofree char *self = g_strdup_printf("Duplicate-of: %s\n", first);
  item = reply(f, "alice@x.gov.uk", first, "", self);
  intake_item_clear(&item);
  g_autoptr(IgIncident) kept = get(f, first);
  assert_string_equal(kept->status, "new");
}

/* Category, Near-miss and Note in one mail, keys in any case, values as
 * people write them: each applied and audited; a Note is a note event;
 * a reason in a Note makes rejected acceptable. */
static void test_category_near_miss_note(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f, "low", "");
  IgIntakeItem item = reply(f, "alice@x.gov.uk", ref, "",
                            "CATEGORY: Phishing\nnear miss: yes\n"
                            "note: user clicked nothing; mail purged.\n");
  intake_item_clear(&item);
  g_autoptr(IgIncident) inc = get(f, ref);
  assert_string_equal(inc->category, "phishing");
  assert_int_equal(inc->near_miss, 1);
  g_autofree char *changed = events_of(f, ref, "changed", TRUE);
  assert_string_equal(changed, "alice@x.gov.uk: category: lost-or-stolen-equipment -> phishing\n"
                               "alice@x.gov.uk: near miss: no -> yes\n");
  g_autofree char *notes = events_of(f, ref, "note", TRUE);
  assert_string_equal(notes, "alice@x.gov.uk: user clicked nothing; mail purged.\n");

  /* A value the incident already has is confirmed as unchanged, and no
   * change is audited. */
  item = reply(f, "alice@x.gov.uk", ref, "", "Impact: low\nNear-miss: yes\n");
  intake_item_clear(&item);
  g_autoptr(GString) same = g_string_new(NULL);
  g_free(drain_outbox(f, "confirmation", same));
  expect_contains(same->str, "impact: low (unchanged)");
  expect_contains(same->str, "near miss: yes (unchanged)");
  g_autofree char *still = events_of(f, ref, "changed", TRUE);
  assert_string_equal(still, changed);

  item = reply(f, "alice@x.gov.uk", ref, "", "Status: rejected\nNote: a simulation.\n");
  intake_item_clear(&item);
  g_autoptr(IgIncident) rejected = get(f, ref);
  assert_string_equal(rejected->status, "rejected");
  g_autofree char *mails = drain_outbox(f, NULL, NULL);
  assert_string_equal(mails, "confirmation>alice@x.gov.uk\nstatus_changed>jane@x.gov.uk\n");
  expect_verifies(f);
}

/* The status settles the deadlines: looked at, triage is done; closed,
 * the form reminders stop; while open they stay. An hour to the second
 * after OST's last notice, correspondence is passed on at once. */
static void test_status_settles_deadlines(void **state)
{
  Fixture *f = *state;
  IgIntakeItem item = ingest_one(f, "From: jane@x.gov.uk\nSubject: Odd mail\nMessage-ID: <o@x>\n\n"
                                    "Impact: low\nDescription: an odd mail.\n");
  g_autofree char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_free(drain_outbox(f, NULL, NULL));
  item = reply(f, "alice@x.gov.uk", ref, "", "Status: investigating\n");
  intake_item_clear(&item);
  g_autofree char *triage = deadline_state(f, ref, "triage");
  g_autofree char *open = deadline_state(f, ref, "form_reminder");
  assert_string_equal(triage, "done");
  assert_string_equal(open, "pending");
  item = reply(f, "alice@x.gov.uk", ref, "", "Status: closed\n");
  intake_item_clear(&item);
  g_autofree char *closed = deadline_state(f, ref, "form_reminder");
  assert_string_equal(closed, "cancelled");
  g_autofree char *ended = events_of(f, ref, "deadline_ended", TRUE);
  assert_string_equal(ended, "gateway: triage done: status investigating\n"
                             "gateway: form_reminder cancelled: status closed\n");

  g_free(drain_outbox(f, NULL, NULL));
  item = reply(f, "a@example.org", ref, "", "First.\n");
  intake_item_clear(&item);
  const int seconds[] = { 59 * 60 + 59, 60 * 60 };
  const char *const want[] = { "correspondence>ost@x.gov.uk\n",
                               "correspondence>ost@x.gov.uk\ncorrespondence>ost@x.gov.uk\n" };
  for (gsize i = 0; i < G_N_ELEMENTS(seconds); i++) {
    g_autoptr(GDateTime) ten = g_date_time_new_utc(2026, 11, 23, 10, 0, 0);
    g_date_time_unref(f->now);
    f->now = g_date_time_add_seconds(ten, seconds[i]);
    f->ctx.now = f->now;
    g_autofree char *from = g_strdup_printf("b%zu@example.org", i);
    item = reply(f, from, ref, "", "Later.\n");
    intake_item_clear(&item);
    GString *got = g_string_new(NULL);
    g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, NULL);
    for (guint j = rows->len; j-- > 0;) {
      const IgOutboxRec *r = g_ptr_array_index(rows, j);
      if (strcmp(r->template_name, "correspondence") == 0)
        g_string_append_printf(got, "%s>%s\n", r->template_name, r->to);
    }
    g_autofree char *sent = g_string_free(got, FALSE);
    assert_string_equal(sent, want[i]);
  }
  expect_verifies(f);
}

/* OST's notice of correspondence reads as one more mail of the case: its
 * subject names the reference once, and it answers OST's first notice of
 * the incident, so mail clients keep it in that thread. */
static void test_correspondence_in_the_case_thread(void **state)
{
  Fixture *f = *state;
  IgIntakeItem item = ingest_one(f, "From: jane@x.gov.uk\nSubject: Odd mail\nMessage-ID: <o@x>\n\n"
                                    "Impact: low\nDescription: an odd mail.\n");
  g_autofree char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  item = reply(f, "a@example.org", ref, "", "Is anyone looking at this?\n");
  intake_item_clear(&item);
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, NULL);
  const IgOutboxRec *notice = NULL, *corr = NULL;
  for (guint i = 0; i < rows->len; i++) {
    const IgOutboxRec *r = g_ptr_array_index(rows, i);
    if (strcmp(r->template_name, "notify_ost") == 0)
      notice = r;
    else if (strcmp(r->template_name, "correspondence") == 0)
      corr = r;
  }
  assert_non_null(notice);
  assert_non_null(corr);
  g_autofree char *subject = g_strdup_printf("[%s] New correspondence from a@example.org: RE:"
                                             " Lost laptop", ref);
  assert_string_equal(corr->subject, subject);
  g_autoptr(GBytes) body = store_outbox_body(f->store, corr->id, NULL);
  g_autofree char *text = g_strndup(g_bytes_get_data(body, NULL), g_bytes_get_size(body));
  g_autofree char *answers = g_strdup_printf("In-Reply-To: <%s>", notice->message_id);
  if (!strstr(text, answers))
    print_error("%s not in\n%s\n", answers, text);
  assert_non_null(strstr(text, answers));
}

/* Raised impact and personal data fire the rules not yet fired, once;
 * a management report falls due. */
static void test_raised_impact_fires_rules(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f, "low", "Personal data involved: no\n");
  IgIntakeItem item = reply(f, "alice@x.gov.uk", ref, "",
                            "Impact: high\nPersonal-data: yes\n");
  intake_item_clear(&item);
  g_autofree char *mails = drain_outbox(f, NULL, NULL);
  expect_contains(mails, "notify>siro@x.gov.uk\n");
  expect_contains(mails, "notify>dacu@x.gov.uk\n");
  expect_contains(mails, "notify>acc@x.gov.uk\n");
  expect_contains(mails, "confirmation>alice@x.gov.uk\n");
  g_autofree char *due = deadline_state(f, ref, "management_report");
  assert_string_equal(due, "pending");

  item = reply(f, "alice@x.gov.uk", ref, "", "Impact: medium\n");
  intake_item_clear(&item);
  item = reply(f, "alice@x.gov.uk", ref, "", "Impact: high\n");
  intake_item_clear(&item);
  g_autofree char *again = drain_outbox(f, NULL, NULL);
  assert_string_equal(again, "confirmation>alice@x.gov.uk\nconfirmation>alice@x.gov.uk\n");
}

/* Only the member's own lines count: a quoted "Status: closed" is the
 * original, and lines that are no command are prose, listed, not
 * refused. */
static void test_quoted_commands_ignored(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f, "low", "");
  IgIntakeItem item = reply(f, "alice@x.gov.uk", ref, "",
                            "Thanks, looking now.\n\nOn Mon, 23 Nov 2026 at 10:00, Gateway"
                            " <security@x.gov.uk> wrote:\n> Status: closed\n> Impact: high\n");
  assert_string_equal(item.kind, "reply");
  intake_item_clear(&item);
  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *mails = drain_outbox(f, "confirmation", body);
  assert_string_equal(mails, "confirmation>alice@x.gov.uk\n");
  expect_contains(body->str, "Your mail had no commands");
  expect_contains(body->str, "Thanks, looking now.");
  g_autoptr(IgIncident) inc = get(f, ref);
  assert_string_equal(inc->status, "new");
  assert_string_equal(inc->impact, "low");
}

/* A member's address without the mark Exchange gives mail from inside
 * the tenant: nothing applied, a security event, OST alerted, the sender
 * not answered. With the mark, the same commands apply. */
static void test_failed_authentication(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f, "low", "");
  IgIntakeItem item = reply(f, "alice@x.gov.uk", ref, "", "Status: closed\nImpact: low\n");
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  assert_string_equal(item.kind, "command");
  intake_item_clear(&item);
  g_autoptr(GString) alert = g_string_new(NULL);
  g_autofree char *mails = drain_outbox(f, "security_alert", alert);
  assert_string_equal(mails, "security_alert>ost@x.gov.uk\n");
  expect_contains(alert->str, "alice@x.gov.uk");
  expect_contains(alert->str, "exchange-internal");
  g_autoptr(IgIncident) inc = get(f, ref);
  assert_string_equal(inc->status, "new");
  g_autofree char *security = events_of(f, ref, "security", TRUE);
  expect_contains(security, "alice@x.gov.uk: mail from alice@x.gov.uk claims OST membership");

  item = reply(f, "alice@x.gov.uk", ref, "X-MS-Exchange-Organization-AuthAs: Internal\n",
               "Status: triaged\n");
  intake_item_clear(&item);
  g_autofree char *applied = drain_outbox(f, NULL, NULL);
  expect_contains(applied, "confirmation>alice@x.gov.uk\n");
  g_autoptr(IgIncident) triaged = get(f, ref);
  assert_string_equal(triaged->status, "triaged");
}

/* Someone outside OST writing command lines changes nothing. */
static void test_outsider_cannot_command(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f, "low", "");
  IgIntakeItem item = reply(f, "mallory@evil.example", ref, "", "Status: closed\n");
  assert_string_equal(item.kind, "correspondence");
  intake_item_clear(&item);
  g_autofree char *mails = drain_outbox(f, NULL, NULL);
  assert_string_equal(mails, "correspondence>ost@x.gov.uk\n");
  g_autoptr(IgIncident) inc = get(f, ref);
  assert_string_equal(inc->status, "new");
}

/* The reporter answers the acknowledgement with the missing lines, as it
 * shows them (indented): they fill the record, each audited; what the
 * record held stays; complete, the form reminders end and the rules the
 * new values call for fire. */
static void test_reporter_completes_report(void **state)
{
  Fixture *f = *state;
  IgIntakeItem item = ingest_one(f, "From: Jane Smith <jane@x.gov.uk>\nSubject: Lost laptop\n"
                                "Message-ID: <r@x>\n\n"
                                "Reporter name: Jane Smith\nIncident category: "
                                "lost-or-stolen-equipment\nDescription: left on the train.\n");
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  g_autofree char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_free(drain_outbox(f, NULL, NULL));
  g_autofree char *pending = deadline_state(f, ref, "form_reminder");
  assert_string_equal(pending, "pending");

  item = reply(f, "jane@x.gov.uk", ref, "", "  Impact: high\n  Incident category: phishing\n"
               "\n> Some details are still missing.\n");
  assert_string_equal(item.kind, "reply");
  intake_item_clear(&item);
  g_autoptr(IgIncident) part = get(f, ref);
  assert_string_equal(part->impact, "high");
  assert_string_equal(part->category, "lost-or-stolen-equipment");
  g_autofree char *still = deadline_state(f, ref, "form_reminder");
  assert_string_equal(still, "pending");
  g_autofree char *first = drain_outbox(f, NULL, NULL);
  expect_contains(first, "notify>siro@x.gov.uk\n");

  item = reply(f, "jane@x.gov.uk", ref, "",
               "Date and time of detection: 23/11/2026 08:15\n"
               "Personal data involved: yes\n");
  intake_item_clear(&item);
  g_autoptr(IgIncident) full = get(f, ref);
  assert_null(full->missing_fields[0]);
  assert_string_equal(full->detected_at, "2026-11-23T08:15:00Z");
  assert_true(full->minutes_to_report > 60);
  g_autofree char *done = deadline_state(f, ref, "form_reminder");
  assert_string_equal(done, "done");
  g_autofree char *filled = events_of(f, ref, "field_filled", TRUE);
  assert_string_equal(filled,
                      "jane@x.gov.uk: impact: (none) -> high (the reporter's reply)\n"
                      "jane@x.gov.uk: detected_at: (none) -> 2026-11-23T08:15:00Z (the reporter's"
                      " reply)\n"
                      "jane@x.gov.uk: personal_data: (none) -> yes (the reporter's reply)\n");
  g_autofree char *second = drain_outbox(f, NULL, NULL);
  expect_contains(second, "notify>dacu@x.gov.uk\n");
  expect_verifies(f);
}

/* Thirty strangers guessing a reference in one hour: OST hears once; the
 * next mail after the hour brings a notice listing what was held, and
 * with no next mail the scheduler sends it when the hour is up. */
static void test_correspondence_gathered_hourly(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f, "low", COMPLETE);
  for (int i = 0; i < 30; i++) {
    g_autofree char *from = g_strdup_printf("stranger%d@example.org", i);
    IgIntakeItem item = reply(f, from, ref, "", "Is this about me?\n");
    intake_item_clear(&item);
  }
  g_autofree char *mails = drain_outbox(f, NULL, NULL);
  assert_string_equal(mails, "correspondence>ost@x.gov.uk\n");
  g_autofree char *held = deadline_state(f, ref, "correspondence_notice");
  assert_string_equal(held, "pending");

  g_date_time_unref(f->now);
  f->now = g_date_time_new_utc(2026, 11, 23, 11, 0, 1);
  f->ctx.now = f->now;
  IgIntakeItem item = reply(f, "late@example.org", ref, "", "One more.\n");
  intake_item_clear(&item);
  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *later = drain_outbox(f, "correspondence", body);
  assert_string_equal(later, "correspondence>ost@x.gov.uk\n");
  expect_contains(body->str, "stranger29@example.org");
  expect_contains(body->str, "One more.");
  g_autofree char *sent = deadline_state(f, ref, "correspondence_notice");
  assert_string_equal(sent, "done");

  for (int i = 0; i < 3; i++) {
    g_autofree char *from = g_strdup_printf("again%d@example.org", i);
    item = reply(f, from, ref, "", "Any news?\n");
    intake_item_clear(&item);
  }
  g_autofree char *quiet = drain_outbox(f, NULL, NULL);
  assert_string_equal(quiet, "");
  guint done = 0;
  assert_true(scheduler_run_due(&f->ctx, &done, NULL));
  assert_int_equal(done, 0); /* not yet due */
  g_date_time_unref(f->now);
  f->now = g_date_time_new_utc(2026, 11, 23, 12, 0, 1);
  f->ctx.now = f->now;
  assert_true(scheduler_run_due(&f->ctx, &done, NULL));
  assert_int_equal(done, 1);
  g_autoptr(GString) notice = g_string_new(NULL);
  g_autofree char *flushed = drain_outbox(f, "correspondence", notice);
  assert_string_equal(flushed, "correspondence>ost@x.gov.uk\n");
  expect_contains(notice->str, "Correspondence of the last hour");
  expect_contains(notice->str, "again0@example.org");
  expect_contains(notice->str, "again2@example.org");
  assert_null(strstr(notice->str, "stranger29@example.org"));
  assert_true(scheduler_run_due(&f->ctx, &done, NULL));
  assert_int_equal(done, 0); /* sent once */
  expect_verifies(f);
}

/* Rejected, a medium incident owes no management report: every deadline
 * still open ends. */
static void test_rejected_ends_report_deadline(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f, "medium", "");
  g_autofree char *due = deadline_state(f, ref, "management_report");
  assert_string_equal(due, "pending");
  IgIntakeItem item = reply(f, "alice@x.gov.uk", ref, "",
                            "Status: rejected - a drill, announced last week\n");
  intake_item_clear(&item);
  g_autofree char *ended = deadline_state(f, ref, "management_report");
  assert_string_equal(ended, "cancelled");
  g_autofree char *events = events_of(f, ref, "deadline_ended", TRUE);
  expect_contains(events, "management_report cancelled: status rejected");
  expect_verifies(f);
}

/* A confirmation is not threaded under a Message-ID too long to be real
 * (over 200 characters); one of 200 is. */
static void test_confirmation_thread_bounded(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f, "low", "");
  const gsize lengths[] = { 201, 200 };
  for (gsize i = 0; i < G_N_ELEMENTS(lengths); i++) {
    g_autofree char *local = g_strnfill(lengths[i] - strlen("@x"), 'i');
    g_autofree char *raw = g_strdup_printf(
        "From: alice@x.gov.uk\nSubject: RE: [%s] Lost laptop\nMessage-ID: <%s@x>\n\n"
        "Status: %s\n", ref, local, i ? "contained" : "investigating");
    IgIntakeItem item = ingest_one(f, raw);
    intake_item_clear(&item);
    g_autoptr(GString) body = g_string_new(NULL);
    g_free(drain_outbox(f, "confirmation", body));
    g_autofree char *threaded = g_strdup_printf("In-Reply-To: <%s@x>\n", local);
    expect_contains(body->str, i ? threaded : "In-Reply-To: <none>\nReferences:\n");
  }
}

static void set_now(Fixture *f, int hour, int minute)
{
  g_date_time_unref(f->now);
  f->now = g_date_time_new_utc(2026, 11, 23, hour, minute, 0);
  f->ctx.now = f->now;
}

/* OST's hourly notice of correspondence lists each mail on one line, cut
 * at 300 characters, whatever the length of its subject. */
static void test_correspondence_line_bounded(void **state)
{
  Fixture *f = *state;
  const gsize lengths[] = { 300, 301 };
  for (gsize i = 0; i < G_N_ELEMENTS(lengths); i++) {
    set_now(f, 10 + 2 * (int)i, 0);
    g_autofree char *ref = open_report(f, "low", COMPLETE);
    IgIntakeItem item = reply(f, "s@example.org", ref, "", "Who is this?\n");
    intake_item_clear(&item);
    set_now(f, 10 + 2 * (int)i, 5);
    g_autofree char *head = g_strdup_printf("%s, s@example.org: RE: [%s] ",
                                            i ? "2026-11-23T12:05:00Z" : "2026-11-23T10:05:00Z",
                                            ref);
    g_autofree char *tail = g_strnfill(lengths[i] - strlen(head), 'y');
    g_autofree char *raw = g_strdup_printf("From: s@example.org\nSubject: RE: [%s] %s\n"
                                           "Message-ID: <s%zu@example.org>\n\nHello?\n",
                                           ref, tail, i);
    item = ingest_one(f, raw);
    intake_item_clear(&item);
    g_free(drain_outbox(f, NULL, NULL));
    set_now(f, 11 + 2 * (int)i, 1);
    guint done = 0;
    assert_true(scheduler_run_due(&f->ctx, &done, NULL));
    assert_int_equal(done, 1);
    g_autoptr(GString) body = g_string_new(NULL);
    g_free(drain_outbox(f, "correspondence", body));
    g_autofree char *line = g_strdup_printf("%s%s", head, tail);
    line[MIN(strlen(line), 300)] = '\0';
    g_autofree char *want = g_strdup_printf("  - %s%s\n", line, i ? "\u2026" : "");
    expect_contains(body->str, want);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_new_to_closed_by_reply, setup, teardown),
    cmocka_unit_test_setup_teardown(test_all_or_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_rejected_and_duplicate, setup, teardown),
    cmocka_unit_test_setup_teardown(test_category_near_miss_note, setup, teardown),
    cmocka_unit_test_setup_teardown(test_status_settles_deadlines, setup, teardown),
    cmocka_unit_test_setup_teardown(test_correspondence_in_the_case_thread, setup, teardown),
    cmocka_unit_test_setup_teardown(test_raised_impact_fires_rules, setup, teardown),
    cmocka_unit_test_setup_teardown(test_quoted_commands_ignored, setup, teardown),
    cmocka_unit_test_setup_teardown(test_failed_authentication, setup_exchange, teardown),
    cmocka_unit_test_setup_teardown(test_outsider_cannot_command, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reporter_completes_report, setup, teardown),
    cmocka_unit_test_setup_teardown(test_correspondence_gathered_hourly, setup, teardown),
    cmocka_unit_test_setup_teardown(test_rejected_ends_report_deadline, setup, teardown),
    cmocka_unit_test_setup_teardown(test_confirmation_thread_bounded, setup, teardown),
    cmocka_unit_test_setup_teardown(test_correspondence_line_bounded, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

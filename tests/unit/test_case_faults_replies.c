/* test_case_faults_replies.c - unit tests for the case logic of replies
 * (gateway/case_reply.c, case_command.c) when the store refuses one write
 * or one read: an OST member's commands, a refusal and its answer,
 * Duplicate-of, an outsider's correspondence, the reporter's reply, the
 * check before closing. Each refusal fails the message with the store's
 * error and keeps nothing of it; the same mail is then applied as if new. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/unit/case_faults_fixture.h"

/* An OST member's commands refused at each of their writes. */
static void test_commands_refused(void **state)
{
  (void)state;
  const Refusal refusals[] = {
    { "INSERT", "messages", "NEW.kind = 'command'" },
    { "UPDATE", "incidents", "true" },
    { "INSERT", "events", "NEW.type = 'status_changed'" },
    { "INSERT", "events", "NEW.type = 'changed'" },
    { "INSERT", "events", "NEW.type = 'note'" },
    { "INSERT", "management_reports", "true" },
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
    { "UPDATE", "incidents", "true" },
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

/* Closing a medium incident without a Report line, when the management
 * report on record cannot be read (the second statement reading it: the
 * first seals the stored mail). */
static void test_close_check_refused(void **state)
{
  (void)state;
  /* PostgreSQL's privileges cannot refuse one statement of several. */
  if (test_on_pg())
    skip();
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
  /* PostgreSQL's privileges cannot refuse one statement of several. */
  if (test_on_pg())
    skip();
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

/* A reply that cannot read what it needs: the incident (hidden: its
 * missing fields), who was acknowledged or told (the outbox's
 * recipients), the correspondence held (the messages' subjects). */
static void test_reply_reads_refused(void **state)
{
  (void)state;
  Hidden incident = { "incidents", "missing_fields", 0, 0 };
  Hidden outbox = { "outbox", "to_addr", 0, 0 };
  Hidden messages = { "messages", "subject", 0, 0 };
  const struct {
    const char *auth, *from, *body;
    Hidden *hidden;
  } cases[] = {
    { "none", "alice@x.gov.uk", "Status: investigating\n", &outbox },
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

/* A member's commands that cannot read the incident (its missing fields,
 * from the second statement on: the first seals the stored mail), with
 * and without authentication. */
static void test_member_reads_refused(void **state)
{
  (void)state;
  /* PostgreSQL's privileges cannot refuse one statement of several. */
  if (test_on_pg())
    skip();
  const char *const auth[] = { "none", "exchange-internal" };
  for (gsize i = 0; i < G_N_ELEMENTS(auth); i++) {
    Fixture *f = fixture(auth[i]);
    g_autofree char *ref = open_report(f, "low", TRUE);
    g_autofree char *raw = mail_to(f, "alice@x.gov.uk", ref, "Status: investigating\n");
    Hidden filed = { "incidents", "missing_fields", 2, 0 };
    hide(f, &filed);
    expect_refused_then(f, raw, IG_INTAKE_ATTACHED, auth[i]);
    intake_fixture_free(f);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_commands_refused),
    cmocka_unit_test(test_refusal_and_reply_refused),
    cmocka_unit_test(test_duplicate_refused),
    cmocka_unit_test(test_correspondence_refused),
    cmocka_unit_test(test_reporter_reply_refused),
    cmocka_unit_test(test_close_check_refused),
    cmocka_unit_test(test_duplicate_lookup_refused),
    cmocka_unit_test(test_reply_reads_refused),
    cmocka_unit_test(test_member_reads_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_case_replies.c - unit tests for gateway/case_reply.c and
 * case_command.c at their edges: what a confirmation says when commands
 * were applied; a member whose own address cannot be written to is
 * obeyed but not answered; the reporter is whoever was acknowledged, even
 * when the form named another address, and a mail with no sender is
 * nobody's; a mail with no subject still reaches OST; Duplicate-of with a
 * status that agrees; the hourly notice lists the correspondence held,
 * even held in the same second as the last; a member's mail with no
 * Message-ID is confirmed unthreaded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "gateway/scheduler.h"
#include "tests/unit/intake_fixture.h"

#define MEMBERS "[ost]\nmembers = alice@x.gov.uk\nrequire_authentication = none\n"

/* A member's address the configuration accepts but no mail may go to:
 * its local part is longer than 64 characters. */
#define LONG_LOCAL "a234567890123456789012345678901234567890123456789012345678901234z"

static int setup(void **state)
{
  *state = intake_fixture_new_with("", MEMBERS);
  return 0;
}

static int setup_long_member(void **state)
{
  *state = intake_fixture_new_with("", "[ost]\nmembers = " LONG_LOCAL "@x.gov.uk\n"
                                   "require_authentication = none\n");
  return 0;
}

static int teardown(void **state)
{
  intake_fixture_free(*state);
  return 0;
}

/* A low impact report from jane, acknowledged; its reference. */
static char *open_report(Fixture *f)
{
  g_autofree char *raw = g_strdup_printf("From: Jane Smith <jane@x.gov.uk>\nSubject: Lost laptop\n"
                                         "Message-ID: <r%d@x>\n\nImpact: low\n"
                                         "Description: I left my laptop on the train.\n",
                                         f->sent++);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_free(drain_outbox(f, NULL, NULL));
  return ref;
}

static void reply(Fixture *f, const char *from, const char *ref, const char *body)
{
  g_autofree char *raw = g_strdup_printf("From: %s\nSubject: RE: [%s] Lost laptop\n"
                                         "Message-ID: <m%d@x>\n\n%s", from, ref, f->sent++,
                                         body);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  intake_item_clear(&item);
}

static void expect_lacks(const char *haystack, const char *needle)
{
  if (strstr(haystack, needle))
    fail_msg("\"%s\" in:\n%s", needle, haystack);
}

/* Commands applied: the confirmation lists them and does not call the
 * mail one without commands. */
static void test_confirmation_of_commands(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  reply(f, "alice@x.gov.uk", ref, "Owner: bob@x.gov.uk\n");
  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *mails = drain_outbox(f, "confirmation", body);
  assert_string_equal(mails, "confirmation>alice@x.gov.uk\n");
  expect_contains(body->str, "Done: your reply about");
  expect_contains(body->str, "  - owner: (none) -> bob@x.gov.uk\n");
  expect_lacks(body->str, "had no commands");
}

/* A member whose address cannot be written to: the commands apply, no
 * confirmation goes out, and why is audited. */
static void test_member_not_answerable(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  reply(f, LONG_LOCAL "@x.gov.uk", ref, "Status: investigating\n");
  g_autofree char *mails = drain_outbox(f, NULL, NULL);
  assert_string_equal(mails, "status_changed>jane@x.gov.uk\n");
  g_autoptr(IgIncident) inc = store_get_incident(f->store, ref, NULL);
  assert_string_equal(inc->status, "investigating");
  g_autofree char *why = events_of(f, ref, "confirmation_suppressed", TRUE);
  assert_string_equal(why, "gateway: not a usable address: local part longer than 64"
                           " characters\n");
  expect_verifies(f);
}

/* The form names someone else as the reporter: the sender, who was
 * acknowledged, is the reporter too, and their reply fills the form. */
static void test_reporter_by_acknowledgement(void **state)
{
  Fixture *f = *state;
  IgIntakeItem item = ingest_one(f, "From: Jane Smith <jane@x.gov.uk>\nSubject: Lost laptop\n"
                                    "Message-ID: <r@x>\n\nReporter email: boss@x.gov.uk\n"
                                    "Impact: low\nDescription: I left my laptop on the train.\n");
  g_autofree char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_autofree char *acked = drain_outbox(f, NULL, NULL);
  expect_contains(acked, "ack>jane@x.gov.uk\n");
  g_autoptr(IgIncident) before = store_get_incident(f->store, ref, NULL);
  assert_string_equal(before->reporter_email, "boss@x.gov.uk");
  assert_null(before->personal_data);

  reply(f, "jane@x.gov.uk", ref, "Personal data involved: no\n");
  g_autofree char *replies = events_of(f, ref, "reply", TRUE);
  expect_contains(replies, "jane@x.gov.uk: reply from jane@x.gov.uk: RE: [");
  g_autoptr(IgIncident) after = store_get_incident(f->store, ref, NULL);
  assert_string_equal(after->personal_data, "no");
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

/* The reporter's reply fills one of two missing fields: the form is still
 * incomplete, so its reminders go on; the next fills the last and ends
 * them, audited. */
static void test_form_reminders_end_when_complete(void **state)
{
  Fixture *f = *state;
  IgIntakeItem item = ingest_one(f, "From: Jane Smith <jane@x.gov.uk>\nSubject: Odd mail\n"
                                    "Message-ID: <r@x>\n\nReporter name: Jane Smith\n"
                                    "Date and time of detection: 23/11/2026 09:30\n"
                                    "Incident category: phishing\n"
                                    "Description: an odd mail asking for my password.\n");
  g_autofree char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_free(drain_outbox(f, NULL, NULL));
  g_autoptr(IgIncident) before = store_get_incident(f->store, ref, NULL);
  g_autofree char *missing = g_strjoinv(" ", before->missing_fields);
  assert_string_equal(missing, "impact personal_data");

  reply(f, "jane@x.gov.uk", ref, "Impact: low\n");
  g_autoptr(IgIncident) after = store_get_incident(f->store, ref, NULL);
  g_autofree char *left = g_strjoinv(" ", after->missing_fields);
  assert_string_equal(left, "personal_data");
  g_autofree char *state_now = deadline_state(f, ref, "form_reminder");
  assert_string_equal(state_now, "pending");
  g_autofree char *ended = events_of(f, ref, "deadline_ended", TRUE);
  assert_string_equal(ended, "");

  reply(f, "jane@x.gov.uk", ref, "Personal data involved: no\n");
  g_autofree char *done = deadline_state(f, ref, "form_reminder");
  assert_string_equal(done, "done");
  g_autofree char *now_ended = events_of(f, ref, "deadline_ended", TRUE);
  assert_string_equal(now_ended, "gateway: form_reminder done: the form is complete\n");
  expect_verifies(f);
}

static void set_now(Fixture *f, const char *iso)
{
  g_date_time_unref(f->now);
  f->now = iso_parse(iso);
  f->ctx.now = f->now;
}

/* The hourly notice of correspondence lists what OST has not seen: the
 * reporter's reply and an outsider's mail, not a member's commands. */
static void test_held_notice_lists_correspondence(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  set_now(f, "2026-11-23T10:05:00Z");
  reply(f, "first@example.org", ref, "Is this about me?\n");
  set_now(f, "2026-11-23T10:10:00Z");
  reply(f, "jane@x.gov.uk", ref, "It was the 08:05 from Leeds.\n");
  set_now(f, "2026-11-23T10:15:00Z");
  reply(f, "alice@x.gov.uk", ref, "Owner: bob@x.gov.uk\n");
  set_now(f, "2026-11-23T10:20:00Z");
  reply(f, "second@example.org", ref, "Any news?\n");
  g_autofree char *so_far = drain_outbox(f, NULL, NULL);
  assert_string_equal(so_far, "correspondence>ost@x.gov.uk\nconfirmation>alice@x.gov.uk\n");

  set_now(f, "2026-11-23T11:06:00Z");
  guint done = 0;
  assert_true(scheduler_run_due(&f->ctx, &done, NULL));
  assert_int_equal(done, 1);
  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *notice = drain_outbox(f, "correspondence", body);
  assert_string_equal(notice, "correspondence>ost@x.gov.uk\n");
  expect_contains(body->str, "2026-11-23T10:10:00Z, jane@x.gov.uk: RE: [");
  expect_contains(body->str, "2026-11-23T10:20:00Z, second@example.org: RE: [");
  expect_lacks(body->str, "alice@x.gov.uk");
  /* Mail received only: not OST's own notice of 10:05, which we sent. */
  expect_lacks(body->str, "New correspondence from");
}

/* A reply with no sender is nobody's: correspondence, passed on to OST,
 * never taken for the reporter's. */
static void test_reply_without_sender(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  g_autofree char *raw = g_strdup_printf("Subject: RE: [%s] Lost laptop\nMessage-ID: <n@x>\n\n"
                                         "Personal data involved: yes\n", ref);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  assert_string_equal(item.kind, "correspondence");
  intake_item_clear(&item);
  g_autofree char *events = events_of(f, ref, "correspondence", TRUE);
  g_autofree char *want = g_strdup_printf("unknown: correspondence from (no sender): RE: [%s]"
                                          " Lost laptop\n", ref);
  assert_string_equal(events, want);
  g_autoptr(IgIncident) inc = store_get_incident(f->store, ref, NULL);
  assert_null(inc->personal_data);
  g_autofree char *mails = drain_outbox(f, NULL, NULL);
  assert_string_equal(mails, "correspondence>ost@x.gov.uk\n");
}

/* An outsider's answer to our mail with no subject at all, threaded by
 * its References: correspondence, OST told "(no subject)". */
static void test_reply_without_subject(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, NULL);
  const char *ack = NULL;
  for (guint i = 0; i < rows->len; i++) {
    const IgOutboxRec *r = g_ptr_array_index(rows, i);
    if (strcmp(r->template_name, "ack") == 0)
      ack = r->message_id;
  }
  assert_non_null(ack);
  g_autofree char *raw = g_strdup_printf("From: s@example.org\nMessage-ID: <q@x>\n"
                                         "References: <%s>\n\nWho is this?\n", ack);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  assert_string_equal(item.kind, "correspondence");
  intake_item_clear(&item);
  g_autofree char *events = events_of(f, ref, "correspondence", TRUE);
  assert_string_equal(events, "s@example.org: correspondence from s@example.org: (no subject)\n");
  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *mails = drain_outbox(f, "correspondence", body);
  assert_string_equal(mails, "correspondence>ost@x.gov.uk\n");
  expect_contains(body->str, "Who is this?");
}

/* Duplicate-of with a status that agrees (rejected or closed) applies:
 * the status is changed once, to the one written. */
static void test_duplicate_with_status(void **state)
{
  Fixture *f = *state;
  g_autofree char *first = open_report(f);
  const char *const statuses[] = { "rejected", "closed" };
  for (gsize i = 0; i < G_N_ELEMENTS(statuses); i++) {
    g_autofree char *ref = open_report(f);
    g_autofree char *body = g_strdup_printf("Duplicate-of: %s\nStatus: %s\n", first,
                                            statuses[i]);
    reply(f, "alice@x.gov.uk", ref, body);
    g_autoptr(IgIncident) inc = store_get_incident(f->store, ref, NULL);
    assert_string_equal(inc->status, statuses[i]);
    g_autofree char *changes = events_of(f, ref, "status_changed", TRUE);
    g_autofree char *want = g_strdup_printf("alice@x.gov.uk: status: new -> %s\n", statuses[i]);
    assert_string_equal(changes, want);
    g_autofree char *refused = events_of(f, ref, "commands_refused", TRUE);
    assert_string_equal(refused, "");
  }
}

/* A mail held in the same second as OST's last notice (times are kept to
 * the second) is still passed on in the next. */
static void test_held_in_the_same_second(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  set_now(f, "2026-11-23T10:05:00Z");
  reply(f, "first@example.org", ref, "Is this about me?\n");
  reply(f, "second@example.org", ref, "And me?\n");
  g_autofree char *so_far = drain_outbox(f, NULL, NULL);
  assert_string_equal(so_far, "correspondence>ost@x.gov.uk\n");
  set_now(f, "2026-11-23T11:06:00Z");
  guint done = 0;
  assert_true(scheduler_run_due(&f->ctx, &done, NULL));
  assert_int_equal(done, 1);
  g_autoptr(GString) body = g_string_new(NULL);
  g_free(drain_outbox(f, "correspondence", body));
  expect_contains(body->str, "2026-11-23T10:05:00Z, second@example.org: RE: [");
}

/* A member's mail with no Message-ID is confirmed, not threaded. */
static void test_confirmation_without_message_id(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  g_autofree char *raw = g_strdup_printf("From: alice@x.gov.uk\nSubject: RE: [%s] Lost laptop\n"
                                         "\nStatus: triaged\n", ref);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  intake_item_clear(&item);
  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *mails = drain_outbox(f, "confirmation", body);
  expect_contains(mails, "confirmation>alice@x.gov.uk\n");
  expect_contains(body->str, "In-Reply-To: <none>\nReferences:\n");
}

/* A confirmation carries the member's Message-ID in References as well
 * as In-Reply-To, as written on the wire: clients that thread by
 * References alone (the parser reads In-Reply-To into its list too, so
 * the raw header is what shows it). */
static void test_confirmation_references(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_report(f);
  g_autofree char *raw = g_strdup_printf("From: alice@x.gov.uk\nSubject: RE: [%s] Lost laptop\n"
                                         "Message-ID: <cmd-1@x.gov.uk>\n\nStatus: triaged\n", ref);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  intake_item_clear(&item);
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, NULL);
  g_autoptr(GBytes) mail = NULL;
  for (guint i = 0; i < rows->len && !mail; i++) {
    const IgOutboxRec *r = g_ptr_array_index(rows, i);
    if (strcmp(r->template_name, "confirmation") == 0)
      mail = store_outbox_body(f->store, r->id, NULL);
  }
  assert_non_null(mail);
  g_autofree char *text = g_strndup(g_bytes_get_data(mail, NULL), g_bytes_get_size(mail));
  expect_contains(text, "\r\nIn-Reply-To: <cmd-1@x.gov.uk>\r\n");
  expect_contains(text, "\r\nReferences: <cmd-1@x.gov.uk>\r\n");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_confirmation_of_commands, setup, teardown),
    cmocka_unit_test_setup_teardown(test_member_not_answerable, setup_long_member, teardown),
    cmocka_unit_test_setup_teardown(test_reporter_by_acknowledgement, setup, teardown),
    cmocka_unit_test_setup_teardown(test_form_reminders_end_when_complete, setup, teardown),
    cmocka_unit_test_setup_teardown(test_held_notice_lists_correspondence, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reply_without_sender, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reply_without_subject, setup, teardown),
    cmocka_unit_test_setup_teardown(test_duplicate_with_status, setup, teardown),
    cmocka_unit_test_setup_teardown(test_held_in_the_same_second, setup, teardown),
    cmocka_unit_test_setup_teardown(test_confirmation_without_message_id, setup, teardown),
    cmocka_unit_test_setup_teardown(test_confirmation_references, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_bounce.c - unit tests for gateway/cases.c's delivery reports
 * through intake: a failure of our mail joins its incident, marks the row
 * bounced and says so in the audit; a delay warning joins it and leaves
 * the row as it is; a report on a mail we never sent (backscatter), or on
 * one that belongs to no incident, is filed on none and audited nowhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "gateway/intake.h"
#include "gateway/store.h"
#include "tests/unit/intake_fixture.h"

static int setup(void **state)
{
  *state = intake_fixture_new("");
  return 0;
}

static int teardown(void **state)
{
  intake_fixture_free(*state);
  return 0;
}

/* Sends every pending mail; the Message-ID of the one of template. */
static char *send_all(Fixture *f, const char *template)
{
  char *id = NULL;
  IgOutboxRec *r;
  while ((r = store_outbox_claim(f->store, "2100-01-01T00:00:00Z", "test",
                                 "2100-01-01T00:10:00Z", NULL))) {
    if (!id && strcmp(r->template_name, template) == 0)
      id = g_strdup(r->message_id);
    assert_true(store_outbox_sent(f->store, r->id, "2026-11-23T10:00:00Z", NULL));
    outbox_rec_free(r);
  }
  assert_non_null(id);
  return id;
}

/* A report that opens an incident; the Message-ID of its acknowledgement,
 * sent. */
static char *report_acked(Fixture *f)
{
  IgIntakeItem item = ingest_one(f, "From: ann.lee@justice.gov.uk\nSubject: Lost phone\n"
                                "Message-ID: <r1@x>\n\n"
                                "I lost my work phone on the train this morning.\n");
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  assert_string_equal(item.reference, "INC-2026-000001");
  intake_item_clear(&item);
  return send_all(f, "ack");
}

/* A delivery status notification with this Action: about our mail id. */
static char *dsn(const char *action, const char *id)
{
  return g_strdup_printf(
      "From: Mail Delivery System <mailer-daemon@mx.justice.gov.uk>\n"
      "Subject: Undelivered Mail Returned to Sender\nMessage-ID: <b-%s>\nMIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
      "--b\nContent-Type: text/plain\n\nMailbox full.\n"
      "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n"
      "Final-Recipient: rfc822; ann.lee@justice.gov.uk\nAction: %s\nStatus: 5.2.2\n"
      "--b\nContent-Type: message/rfc822\n\nFrom: security@justice.gov.uk\n"
      "Message-ID: <%s>\nSubject: ack\n\nThank you.\n--b--\n", id, action, id);
}

static char *outbox_state(Fixture *f, const char *message_id)
{
  g_autofree char *sql = g_strdup_printf("SELECT state FROM outbox WHERE message_id = '%s'",
                                         message_id);
  return query_text(f, sql);
}

/* The details of every "bounced" event, one a line. */
static char *bounced_events(Fixture *f)
{
  char *details = query_text(f, "SELECT detail FROM events WHERE type = 'bounced' ORDER BY id");
  return details ? details : g_strdup("");
}

/* A delivery failure of our acknowledgement joins its incident: the row
 * is marked bounced, the audit says which mail and why. */
static void test_bounce_recorded(void **state)
{
  Fixture *f = *state;
  g_autofree char *ack_id = report_acked(f);
  g_autofree char *raw = dsn("failed", ack_id);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  assert_string_equal(item.kind, "bounce");
  assert_string_equal(item.reference, "INC-2026-000001");
  intake_item_clear(&item);
  g_autofree char *state_now = outbox_state(f, ack_id);
  assert_string_equal(state_now, "bounced");
  g_autofree char *bounced = bounced_events(f);
  g_autofree char *want = g_strdup_printf("our mail <%s> bounced (delivery-status: "
                                          "Undelivered Mail Returned to Sender)", ack_id);
  assert_string_equal(bounced, want);
}

/* A delay warning: our mail may still arrive, so its row stays sent and
 * nothing bounced is audited; the warning joins the incident. */
static void test_delay_joins_incident(void **state)
{
  Fixture *f = *state;
  g_autofree char *ack_id = report_acked(f);
  g_autofree char *raw = dsn("delayed", ack_id);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  assert_string_equal(item.reference, "INC-2026-000001");
  intake_item_clear(&item);
  g_autofree char *state_now = outbox_state(f, ack_id);
  assert_string_equal(state_now, "sent");
  g_autofree char *bounced = bounced_events(f);
  assert_string_equal(bounced, "");
}

/* Backscatter: a failure report on a mail we never sent is filed on no
 * incident and audited nowhere. */
static void test_backscatter_files_nothing(void **state)
{
  Fixture *f = *state;
  g_free(report_acked(f));
  g_autofree char *raw = dsn("failed", "forged@elsewhere.example");
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_UNMATCHED);
  intake_item_clear(&item);
  g_autofree char *bounced = bounced_events(f);
  assert_string_equal(bounced, "");
}

/* The quarantine notice to OST belongs to no incident: its failure marks
 * the row bounced and is filed on none. */
static void test_bounce_of_mail_without_incident(void **state)
{
  (void)state;
  Fixture *f = intake_fixture_new("\n[gateway]\nmax_message_size = 1000\n");
  g_autofree char *big = g_strnfill(1200, 'a');
  g_autofree char *raw = g_strdup_printf("From: carl@justice.gov.uk\nSubject: Big\n\n%s\n", big);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_QUARANTINED);
  intake_item_clear(&item);
  g_autofree char *notice_id = send_all(f, "quarantine");
  g_autofree char *bounce = dsn("failed", notice_id);
  IgIntakeItem dsn_item = ingest_one(f, bounce);
  assert_int_equal(dsn_item.outcome, IG_INTAKE_UNMATCHED);
  intake_item_clear(&dsn_item);
  g_autofree char *state_now = outbox_state(f, notice_id);
  assert_string_equal(state_now, "bounced");
  g_autofree char *bounced = bounced_events(f);
  assert_string_equal(bounced, "");
  intake_fixture_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_bounce_recorded, setup, teardown),
    cmocka_unit_test_setup_teardown(test_delay_joins_incident, setup, teardown),
    cmocka_unit_test_setup_teardown(test_backscatter_files_nothing, setup, teardown),
    cmocka_unit_test(test_bounce_of_mail_without_incident),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

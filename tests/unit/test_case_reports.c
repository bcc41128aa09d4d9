/* test_case_reports.c - unit tests for gateway/cases.c at its edges: a
 * reply found only by the mark our mail carries; the total limit on
 * acknowledgements; a quarantined mail filed on no incident while
 * incidents exist; a category in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

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

static IgIntakeItem report_from(Fixture *f, const char *from)
{
  g_autofree char *raw = g_strdup_printf("From: %s\nSubject: Lost phone\nMessage-ID: <r%d@x>\n\n"
                                         "I lost my work phone on the train.\n", from, f->sent++);
  return ingest_one(f, raw);
}

/* A reply with neither the reference in its subject nor our Message-IDs
 * in its headers, quoting our mail's mark: it joins that incident. */
static void test_thread_by_quoted_mark(void **state)
{
  Fixture *f = *state;
  IgIntakeItem item = report_from(f, "ann.lee@justice.gov.uk");
  g_autofree char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_autofree char *raw = g_strdup_printf(
      "From: ann.lee@justice.gov.uk\nSubject: Re: your mail\nMessage-ID: <q@x>\n\n"
      "It was a Pixel 7.\n\n> Thank you.\n> -- \n> Incident-Gateway: %s security@justice.gov.uk\n",
      ref);
  item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  assert_string_equal(item.reference, ref);
  intake_item_clear(&item);
}

/* With rate_limit_total = 2/h, the second report of the hour is still
 * acknowledged and the third, from yet another sender, is not. */
static void test_total_ack_limit(void **state)
{
  (void)state;
  Fixture *f = intake_fixture_new("rate_limit_total = 2/h");
  const char *const senders[] = { "a@justice.gov.uk", "b@justice.gov.uk", "c@justice.gov.uk" };
  for (gsize i = 0; i < G_N_ELEMENTS(senders); i++) {
    IgIntakeItem item = report_from(f, senders[i]);
    assert_int_equal(item.outcome, IG_INTAKE_NEW);
    g_autofree char *queued = events_of(f, item.reference, "ack_queued", FALSE);
    g_autofree char *suppressed = events_of(f, item.reference, "ack_suppressed", FALSE);
    g_autofree char *want = g_strdup_printf("acknowledgement to %s\n", senders[i]);
    assert_string_equal(queued, i < 2 ? want : "");
    assert_string_equal(suppressed, i < 2 ? "" : "no acknowledgement: rate_limit_total reached\n");
    intake_item_clear(&item);
  }
  g_autofree char *mails = drain_outbox(f, "ack", NULL);
  assert_null(strstr(mails, "ack>c@justice.gov.uk"));
  intake_fixture_free(f);
}

/* A mail too large to read is quarantined on its own: not on the
 * incident already recorded, whose audit does not mention it, and OST's
 * notice of it is about no incident. */
static void test_quarantine_on_no_incident(void **state)
{
  (void)state;
  Fixture *f = intake_fixture_new("\n[gateway]\nmax_message_size = 1000\n");
  IgIntakeItem item = report_from(f, "ann.lee@justice.gov.uk");
  g_autofree char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_free(drain_outbox(f, NULL, NULL));
  g_autofree char *big = g_strnfill(1200, 'a');
  g_autofree char *raw = g_strdup_printf("From: ann.lee@justice.gov.uk\nSubject: Big\n"
                                         "Message-ID: <big@x>\n\n%s\n", big);
  item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_QUARANTINED);
  assert_null(item.reference);
  intake_item_clear(&item);
  g_autofree char *audit = events_of(f, ref, "quarantined", FALSE);
  assert_string_equal(audit, "");
  g_autoptr(GPtrArray) messages = store_incident_messages(f->store,
                                                          store_incident_id(f->store, ref, NULL),
                                                          NULL);
  for (guint i = 0; i < messages->len; i++)
    assert_string_not_equal(((IgMessageRec *)g_ptr_array_index(messages, i))->kind,
                            "quarantined");
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, TRUE, NULL);
  assert_int_equal(rows->len, 1);
  const IgOutboxRec *notice = g_ptr_array_index(rows, 0);
  assert_string_equal(notice->template_name, "quarantine");
  assert_null(notice->reference);
  intake_fixture_free(f);
}

/* A category as people read it, in OST's notice and the acknowledgement;
 * "not stated" when the report gave none. */
static void test_category_in_words(void **state)
{
  Fixture *f = *state;
  IgIntakeItem item = ingest_one(f, "From: ann.lee@justice.gov.uk\nSubject: Report\n"
                                    "Message-ID: <c1@x>\n\nFull name: Ann Lee\n"
                                    "Incident category: lost-or-stolen-equipment\n"
                                    "Description: my laptop was taken from the car.\n");
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  intake_item_clear(&item);
  g_autoptr(GString) notice = g_string_new(NULL);
  g_free(drain_outbox(f, "notify_ost", notice));
  if (!strstr(notice->str, "\nCategory:          Lost or stolen equipment\n"))
    fail_msg("%s", notice->str);

  item = ingest_one(f, "From: ann.lee@justice.gov.uk\nSubject: Report\nMessage-ID: <c2@x>\n\n"
                       "Full name: Ann Lee\nDescription: something odd.\n");
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  intake_item_clear(&item);
  g_autoptr(GString) none = g_string_new(NULL);
  g_free(drain_outbox(f, "notify_ost", none));
  if (!strstr(none->str, "\nCategory:          not stated\n"))
    fail_msg("%s", none->str);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_thread_by_quoted_mark, setup, teardown),
    cmocka_unit_test_setup_teardown(test_category_in_words, setup, teardown),
    cmocka_unit_test(test_total_ack_limit),
    cmocka_unit_test(test_quarantine_on_no_incident),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_cases.c - unit tests for gateway/cases.c through intake: a reply
 * from a person joins its incident and is passed on to OST; only a
 * reference of exactly the right shape threads; a reporter who cannot be
 * written to is never chased for the missing fields of the form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "gateway/config.h"
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

/* Records raw alone; the item is the caller's to clear. */
static IgIntakeItem ingest(Fixture *f, const char *raw)
{
  g_autoptr(GBytes) bytes = g_bytes_new(raw, strlen(raw));
  IgIntakeItem item = { .name = "test", .raw = bytes };
  assert_true(intake_batch(&f->ctx, &item, 1, NULL));
  return item;
}

/* A report that opens an incident, whose reference is returned. */
static char *open_incident(Fixture *f, const char *from, const char *message_id)
{
  g_autofree char *raw = g_strdup_printf(
      "From: %s\nSubject: Lost phone\nMessage-ID: <%s>\n\n"
      "I lost my work phone on the train this morning.\n", from, message_id);
  IgIntakeItem item = ingest(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  char *reference = g_strdup(item.reference);
  intake_item_clear(&item);
  return reference;
}

/* Every pending mail as "template>to" lines; bodies of the template
 * wanted are appended to *body. Each is marked sent on the way. */
static char *drain_outbox(Fixture *f, const char *template, GString *body)
{
  GString *s = g_string_new(NULL);
  IgOutboxRec *r;
  while ((r = store_outbox_claim(f->store, "2100-01-01T00:00:00Z", "test",
                                 "2100-01-01T00:10:00Z", NULL))) {
    g_string_append_printf(s, "%s>%s\n", r->template_name, r->to);
    if (body && template && strcmp(r->template_name, template) == 0 && r->body)
      g_string_append_len(body, g_bytes_get_data(r->body, NULL), g_bytes_get_size(r->body));
    assert_true(store_outbox_sent(f->store, r->id, "2026-11-23T10:00:00Z", NULL));
    outbox_rec_free(r);
  }
  return g_string_free(s, FALSE);
}

static gboolean has_event(Fixture *f, const char *reference, const char *type)
{
  gint64 id = store_incident_id(f->store, reference, NULL);
  assert_true(id > 0);
  g_autoptr(GPtrArray) events = store_incident_events(f->store, id, NULL);
  for (guint i = 0; i < events->len; i++)
    if (strcmp(((IgEventRec *)g_ptr_array_index(events, i))->type, type) == 0)
      return TRUE;
  return FALSE;
}

static int compare_strings(const void *a, const void *b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* The kinds of the incident's deadlines, sorted, space separated. */
static char *deadline_kinds(Fixture *f, const char *reference)
{
  gint64 id = store_incident_id(f->store, reference, NULL);
  assert_true(id > 0);
  g_autoptr(GPtrArray) deadlines = store_incident_deadlines(f->store, id, NULL);
  assert_non_null(deadlines);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new();
  for (guint i = 0; i < deadlines->len; i++)
    g_ptr_array_add(kinds, ((IgDeadlineRec *)g_ptr_array_index(deadlines, i))->kind);
  g_ptr_array_sort(kinds, compare_strings);
  g_ptr_array_add(kinds, NULL);
  return g_strjoinv(" ", (char **)kinds->pdata);
}

/* A person's reply to an incident joins it as correspondence and is
 * passed on to OST with what they wrote; it is not acknowledged. */
static void test_reply_passed_to_ost(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_incident(f, "Ann Lee <ann.lee@justice.gov.uk>", "r1@x");
  assert_string_equal(ref, "INC-2026-000001");
  g_autofree char *first = drain_outbox(f, NULL, NULL);
  assert_non_null(strstr(first, "ack>ann.lee@justice.gov.uk\n"));

  IgIntakeItem item = ingest(f, "From: Ann Lee <ann.lee@justice.gov.uk>\n"
                                "Subject: Re: [INC-2026-000001] Lost phone\n"
                                "Message-ID: <r2@x>\n\n"
                                "Found the case but not the phone: it was a Pixel 7.\n");
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  assert_string_equal(item.kind, "correspondence");
  assert_string_equal(item.reference, "INC-2026-000001");
  intake_item_clear(&item);
  assert_true(has_event(f, ref, "correspondence"));

  g_autoptr(GString) body = g_string_new(NULL);
  g_autofree char *mails = drain_outbox(f, "correspondence", body);
  assert_string_equal(mails, "correspondence>ost@x.gov.uk\n");
  assert_non_null(strstr(body->str, "[INC-2026-000001] New correspondence from "
                                    "ann.lee@justice.gov.uk"));
  assert_non_null(strstr(body->str, "it was a Pixel 7."));

  g_autoptr(GPtrArray) messages = store_list_messages(f->store, FALSE, NULL);
  assert_int_equal(messages->len, 2);
}

/* An automatic reply to an incident joins it but is not passed on. */
static void test_auto_reply_not_passed_on(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_incident(f, "ann.lee@justice.gov.uk", "r1@x");
  g_free(drain_outbox(f, NULL, NULL));
  IgIntakeItem item = ingest(f, "From: ann.lee@justice.gov.uk\n"
                                "Subject: Automatic reply: [INC-2026-000001] Lost phone\n"
                                "Auto-Submitted: auto-replied\nMessage-ID: <r2@x>\n\n"
                                "I am out of the office.\n");
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  assert_string_equal(item.kind, "auto-reply");
  intake_item_clear(&item);
  g_autofree char *mails = drain_outbox(f, NULL, NULL);
  assert_string_equal(mails, "");
}

/* Only INC-YYYY-NNNNNN threads: a seventh digit makes another reference,
 * and a shorter one is none; a good one later in the subject still
 * counts. */
static void test_reference_shape(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_incident(f, "ann.lee@justice.gov.uk", "r1@x");
  const struct {
    const char *subject;
    IgIntakeOutcome outcome;
  } cases[] = {
    { "Re: [INC-2026-0000012] Lost phone", IG_INTAKE_NEW },
    { "Re: [INC-2026-00001] Lost phone", IG_INTAKE_NEW },
    /* Cut short at the end of the subject: nothing read past it. */
    { "Re: INC-2", IG_INTAKE_NEW },
    { "Re: INC-2026-0000012 and INC-2026-000001", IG_INTAKE_ATTACHED },
    { "Re: [INC-2026-000001] Lost phone", IG_INTAKE_ATTACHED },
  };
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    g_autofree char *raw = g_strdup_printf(
        "From: bob.kay@justice.gov.uk\nSubject: %s\nMessage-ID: <c%zu@x>\n\n"
        "My laptop was stolen from my car (%zu).\n", cases[c].subject, c, c);
    IgIntakeItem item = ingest(f, raw);
    if (item.outcome != cases[c].outcome)
      print_error("subject \"%s\": outcome %s\n", cases[c].subject,
                  intake_outcome_name(item.outcome));
    assert_int_equal(item.outcome, cases[c].outcome);
    if (item.outcome == IG_INTAKE_ATTACHED)
      assert_string_equal(item.reference, ref);
    else
      assert_string_not_equal(item.reference, ref);
    intake_item_clear(&item);
  }
}

/* A report missing fields sets a form reminder only when the reporter was
 * acknowledged: automatic mail, or a sender past the rate limit, is
 * never chased. */
static void test_form_reminder_only_when_acked(void **state)
{
  Fixture *f = *state;
  g_autofree char *asked = open_incident(f, "ann.lee@justice.gov.uk", "r1@x");
  g_autofree char *with = deadline_kinds(f, asked);
  assert_string_equal(with, "form_reminder triage");

  IgIntakeItem item = ingest(f, "From: alerts@justice.gov.uk\nSubject: Lost phone\n"
                                "Auto-Submitted: auto-generated\nMessage-ID: <a1@x>\n\n"
                                "A work phone was reported lost on the train.\n");
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  assert_true(has_event(f, item.reference, "ack_suppressed"));
  g_autofree char *without = deadline_kinds(f, item.reference);
  assert_string_equal(without, "triage");
  intake_item_clear(&item);
}

static void test_no_form_reminder_past_rate_limit(void **state)
{
  (void)state;
  Fixture *f = intake_fixture_new("rate_limit_per_sender = 1/h");
  g_autofree char *first = open_incident(f, "ann.lee@justice.gov.uk", "r1@x");
  g_autofree char *second = open_incident(f, "ann.lee@justice.gov.uk", "r2@x");
  assert_false(has_event(f, first, "ack_suppressed"));
  assert_true(has_event(f, second, "ack_suppressed"));
  g_autofree char *asked = deadline_kinds(f, first);
  g_autofree char *unasked = deadline_kinds(f, second);
  assert_string_equal(asked, "form_reminder triage");
  assert_string_equal(unasked, "triage");
  intake_fixture_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_reply_passed_to_ost, setup, teardown),
    cmocka_unit_test_setup_teardown(test_auto_reply_not_passed_on, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reference_shape, setup, teardown),
    cmocka_unit_test_setup_teardown(test_form_reminder_only_when_acked, setup, teardown),
    cmocka_unit_test(test_no_form_reminder_past_rate_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

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
#include "parsers/mail.h"
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

/* A report that opens an incident, whose reference is returned. */
static char *open_incident(Fixture *f, const char *from, const char *message_id)
{
  g_autofree char *raw = g_strdup_printf(
      "From: %s\nSubject: Lost phone\nMessage-ID: <%s>\n\n"
      "I lost my work phone on the train this morning.\n", from, message_id);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  char *reference = g_strdup(item.reference);
  intake_item_clear(&item);
  return reference;
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

/* The reporter's reply to an incident joins it and is passed on to OST
 * with what they wrote; it is not acknowledged. */
static void test_reply_passed_to_ost(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_incident(f, "Ann Lee <ann.lee@justice.gov.uk>", "r1@x");
  assert_string_equal(ref, "INC-2026-000001");
  g_autofree char *first = drain_outbox(f, NULL, NULL);
  assert_non_null(strstr(first, "ack>ann.lee@justice.gov.uk\n"));

  IgIntakeItem item = ingest_one(f, "From: Ann Lee <ann.lee@justice.gov.uk>\n"
                                "Subject: Re: [INC-2026-000001] Lost phone\n"
                                "Message-ID: <r2@x>\n\n"
                                "Found the case but not the phone: it was a Pixel 7.\n");
  assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
  assert_string_equal(item.kind, "reply");
  assert_string_equal(item.reference, "INC-2026-000001");
  intake_item_clear(&item);
  assert_true(has_event(f, ref, "reply"));

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
  IgIntakeItem item = ingest_one(f, "From: ann.lee@justice.gov.uk\n"
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
    { "Re: INC-", IG_INTAKE_NEW },
    { "Re: INC-2026-00001", IG_INTAKE_NEW },
    { "Re: INC-2026-0000012 and INC-2026-000001", IG_INTAKE_ATTACHED },
    /* A well-made reference we do not know does not hide a later one. */
    { "Re: INC-2026-000099 and INC-2026-000001", IG_INTAKE_ATTACHED },
    { "Re: [INC-2026-000001] Lost phone", IG_INTAKE_ATTACHED },
    /* Retyped or rewritten by a mail client: any case, any prefixes. */
    { "RE: AW: SV: Fwd: [inc-2026-000001] Lost phone", IG_INTAKE_ATTACHED },
    { "Re: Inc-2026-000001", IG_INTAKE_ATTACHED },
    { "Re: inc-2026-0000012", IG_INTAKE_NEW },
  };
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    g_autofree char *raw = g_strdup_printf(
        "From: bob.kay@justice.gov.uk\nSubject: %s\nMessage-ID: <c%zu@x>\n\n"
        "My laptop was stolen from my car (%zu).\n", cases[c].subject, c, c);
    IgIntakeItem item = ingest_one(f, raw);
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
 * never chased. OST's notice says which. */
static void test_form_reminder_only_when_acked(void **state)
{
  Fixture *f = *state;
  g_autofree char *asked = open_incident(f, "ann.lee@justice.gov.uk", "r1@x");
  g_autofree char *with = deadline_kinds(f, asked);
  assert_string_equal(with, "form_reminder triage");
  g_autoptr(GString) told = g_string_new(NULL);
  g_free(drain_outbox(f, "notify_ost", told));
  assert_non_null(strstr(told->str, "\nMissing from the form (the reporter has been asked):"));

  IgIntakeItem item = ingest_one(f, "From: alerts@justice.gov.uk\nSubject: Lost phone\n"
                                "Auto-Submitted: auto-generated\nMessage-ID: <a1@x>\n\n"
                                "A work phone was reported lost on the train.\n");
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  assert_true(has_event(f, item.reference, "ack_suppressed"));
  g_autofree char *without = deadline_kinds(f, item.reference);
  assert_string_equal(without, "triage");
  g_autoptr(GString) alert = g_string_new(NULL);
  g_free(drain_outbox(f, "notify_ost", alert));
  assert_non_null(strstr(alert->str, "\nMissing from the form (the reporter has not been asked):"));
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

/* A form report with these extra lines, from Ann; its reference. */
static char *form_report(Fixture *f, const char *lines)
{
  g_autofree char *raw = g_strdup_printf(
      "From: Ann Lee <ann.lee@justice.gov.uk>\nSubject: Security incident report\n"
      "Message-ID: <form%d@x>\n\nFull name: Ann Lee\n%s"
      "Description: my work laptop was stolen from the car.\n", ++f->sent, lines);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  char *reference = g_strdup(item.reference);
  intake_item_clear(&item);
  return reference;
}

/* The incident's deadlines as "kind=due" lines, sorted. */
static char *deadline_dues(Fixture *f, const char *reference)
{
  gint64 id = store_incident_id(f->store, reference, NULL);
  g_autoptr(GPtrArray) deadlines = store_incident_deadlines(f->store, id, NULL);
  assert_non_null(deadlines);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < deadlines->len; i++) {
    IgDeadlineRec *d = g_ptr_array_index(deadlines, i);
    g_ptr_array_add(lines, g_strdup_printf("%s=%s", d->kind, d->due_at));
  }
  g_ptr_array_sort(lines, compare_strings);
  g_ptr_array_add(lines, NULL);
  return g_strjoinv(" ", (char **)lines->pdata);
}

/* Triage is due by impact (SPEC 8 defaults: 1h, 4h, 24h; unassessed is
 * chased as medium); a management report only for medium and high. The
 * clock stands at 10:00. */
static void test_deadlines_by_impact(void **state)
{
  Fixture *f = *state;
  const struct {
    const char *lines, *dues;
  } cases[] = {
    { "Impact: high\n", "form_reminder=2026-11-23T12:00:00Z "
      "management_report=2026-12-03T10:00:00Z triage=2026-11-23T11:00:00Z" },
    { "Impact: medium\n", "form_reminder=2026-11-23T12:00:00Z "
      "management_report=2026-12-03T10:00:00Z triage=2026-11-23T14:00:00Z" },
    { "Impact: low\n", "form_reminder=2026-11-23T12:00:00Z triage=2026-11-24T10:00:00Z" },
    { "", "form_reminder=2026-11-23T12:00:00Z triage=2026-11-23T14:00:00Z" },
  };
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    g_autofree char *ref = form_report(f, cases[c].lines);
    g_autofree char *dues = deadline_dues(f, ref);
    assert_string_equal(dues, cases[c].dues);
  }
}

/* The details of the incident's events of type, one a line. */
static char *event_details(Fixture *f, const char *reference, const char *type)
{
  gint64 id = store_incident_id(f->store, reference, NULL);
  g_autoptr(GPtrArray) events = store_incident_events(f->store, id, NULL);
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < events->len; i++) {
    IgEventRec *e = g_ptr_array_index(events, i);
    if (strcmp(e->type, type) == 0)
      g_string_append_printf(out, "%s\n", e->detail);
  }
  return g_string_free(out, FALSE);
}

/* OST's notice of a late report says so, with the minutes and the policy;
 * a near miss says so; neither line appears otherwise. */
static void test_notice_late_near_miss(void **state)
{
  Fixture *f = *state;
  g_free(form_report(f, "Date and time of detection: 23/11/2026 08:00\nNear miss: yes\n"));
  g_autoptr(GString) late = g_string_new(NULL);
  g_free(drain_outbox(f, "notify_ost", late));
  assert_non_null(strstr(late->str, "(REPORTED LATE)"));
  assert_non_null(strstr(late->str, "REPORTED LATE: 120 minutes after detection "
                                    "(policy: 60 minutes)."));
  assert_non_null(strstr(late->str, "\nNear miss:         yes\n"));
  g_autofree char *late_event = event_details(f, "INC-2026-000001", "reported_late");
  assert_string_equal(late_event, "reported 120 minutes after detection (policy: 60)\n");

  g_free(form_report(f, "Date and time of detection: 23/11/2026 09:30\nNear miss: no\n"));
  g_autoptr(GString) timely = g_string_new(NULL);
  g_free(drain_outbox(f, "notify_ost", timely));
  assert_non_null(strstr(timely->str, "Detected:          23/11/2026 09:30 GMT"));
  assert_null(strstr(timely->str, "LATE"));
  assert_null(strstr(timely->str, "Near miss"));
  g_autofree char *no_event = event_details(f, "INC-2026-000002", "reported_late");
  assert_string_equal(no_event, "");
}

/* n characters of text in lines of 64: the first starts "BEGIN", the last
 * ends "END" without a line break, so the parser keeps every character. */
static char *long_text(gsize n)
{
  GString *s = g_string_new("BEGIN");
  while (s->len < n)
    g_string_append_c(s, s->len % 64 == 63 ? '\n' : 'a');
  g_string_overwrite(s, n - 3, "END");
  return g_string_free(s, FALSE);
}

/* What a mail says is passed on to OST whole up to 16 KB of text and 1,000
 * characters a field, and cut there, from its start, saying so. */
static void test_notice_caps(void **state)
{
  Fixture *f = *state;
  for (int over = 0; over <= 1; over++) {
    /* One incident each: OST hears of one incident's mail once an hour. */
    g_autofree char *id = g_strdup_printf("r%d@x", over);
    g_autofree char *ref = open_incident(f, "ann.lee@justice.gov.uk", id);
    g_free(drain_outbox(f, NULL, NULL));
    g_autofree char *text = long_text(16 * 1024 + over);
    g_autofree char *raw = g_strdup_printf(
        "From: ann.lee@justice.gov.uk\nSubject: Re: [%s] Lost phone\n"
        "Message-ID: <cap%d@x>\n\n%s", ref, over, text);
    IgIntakeItem item = ingest_one(f, raw);
    assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
    intake_item_clear(&item);
    g_autoptr(GString) body = g_string_new(NULL);
    g_free(drain_outbox(f, "correspondence", body));
    assert_non_null(strstr(body->str, "\n\nBEGINaaa"));
    assert_true((strstr(body->str, "END") != NULL) == !over);
    assert_true((strstr(body->str, "[cut here: the rest is in the stored message]") != NULL)
                == over);
  }
  for (int over = 0; over <= 1; over++) {
    g_autofree char *area = g_strnfill(1000 + over, 'b');
    area[0] = 'B';
    g_autofree char *line = g_strdup_printf("Business area: %s\n", area);
    g_free(form_report(f, line));
    g_autoptr(GString) body = g_string_new(NULL);
    g_free(drain_outbox(f, "notify_ost", body));
    g_autofree char *kept = g_strdup_printf("Business group:    B%.*s%s\n", 999, area + 1,
                                            over ? "\u2026" : "");
    if (!strstr(body->str, kept))
      print_error("%s", body->str);
    assert_non_null(strstr(body->str, kept));
  }
}

/* The acknowledgement echoes each value on one line, whole up to 200
 * characters and cut there with an ellipsis. */
static void test_ack_echo_cap(void **state)
{
  Fixture *f = *state;
  for (int over = 0; over <= 1; over++) {
    g_autofree char *systems = g_strnfill(200 + over, 'c');
    systems[0] = 'S';
    g_autofree char *line = g_strdup_printf("Systems affected: %s\n", systems);
    g_free(form_report(f, line));
    g_autoptr(GString) body = g_string_new(NULL);
    g_free(drain_outbox(f, "ack", body));
    g_autofree char *echo = g_strdup_printf("  Systems affected: S%.*s\n", over ? 198 : 199,
                                            systems + 1);
    g_autofree char *cut = g_strdup_printf("  Systems affected: S%.*s\u2026\n", 198,
                                           systems + 1);
    if (!strstr(body->str, over ? cut : echo))
      print_error("%s", body->str);
    assert_non_null(strstr(body->str, over ? cut : echo));
  }
}

/* A reply found by In-Reply-To or References alone joins its incident:
 * naming the report or our own mail about it (the acknowledgement). A
 * reference in the subject that names no incident does not stop it. */
static void test_thread_by_message_id(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_incident(f, "ann.lee@justice.gov.uk", "r1@x");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) out = store_list_outbox(f->store, FALSE, &error);
  assert_non_null(out);
  const char *ours = ((IgOutboxRec *)g_ptr_array_index(out, 0))->message_id;
  g_autofree char *to_ours = g_strdup_printf("In-Reply-To: <%s>", ours);
  const char *headers[] = { "In-Reply-To: <r1@x>", "References: <other@x> <r1@x>", to_ours };
  const char *subjects[] = { "Re: Lost phone", "Re: [INC-2026-000777] Lost phone" };
  for (gsize i = 0; i < G_N_ELEMENTS(headers) * G_N_ELEMENTS(subjects); i++) {
    g_autofree char *raw = g_strdup_printf(
        "From: ann.lee@justice.gov.uk\nSubject: %s\nMessage-ID: <t%zu@x>\n%s\n\n"
        "It was a Pixel 7.\n", subjects[i % 2], i, headers[i / 2]);
    IgIntakeItem item = ingest_one(f, raw);
    assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
    assert_string_equal(item.reference, ref);
    intake_item_clear(&item);
  }
}

/* Our mail answers the mail it is about, so mail clients thread it:
 * In-Reply-To and References name the report; OST's notice of a reply
 * answers OST's first notice of the case, so it joins that thread. */
static void test_notices_threaded(void **state)
{
  Fixture *f = *state;
  g_autofree char *ref = open_incident(f, "ann.lee@justice.gov.uk", "r1@x");
  g_autoptr(GString) first = g_string_new(NULL);
  g_free(drain_outbox(f, "notify_ost", first));
  assert_non_null(strstr(first->str, "\nIn-Reply-To: <r1@x>"));
  assert_non_null(strstr(first->str, "\nReferences: <r1@x> <r1@x>\n"));
  IgIntakeItem item = ingest_one(f, "From: ann.lee@justice.gov.uk\n"
                                "Subject: Re: [INC-2026-000001] Lost phone\n"
                                "Message-ID: <r2@x>\n\nIt was a Pixel 7.\n");
  intake_item_clear(&item);
  g_autoptr(GString) reply = g_string_new(NULL);
  g_free(drain_outbox(f, "correspondence", reply));
  /* The acknowledgement answers the report; an absurdly long Message-ID
   * (over 200 characters) is not echoed back. */
  for (int over = 0; over <= 1; over++) {
    g_autofree char *id = g_strnfill(200 + over - strlen("@x"), 'i');
    g_autofree char *raw = g_strdup_printf(
        "From: bob.kay@justice.gov.uk\nSubject: Lost badge\nMessage-ID: <%s@x>\n\n"
        "I lost my building pass this morning.\n", id);
    IgIntakeItem lost = ingest_one(f, raw);
    assert_int_equal(lost.outcome, IG_INTAKE_NEW);
    intake_item_clear(&lost);
    g_autoptr(GString) ack = g_string_new(NULL);
    g_free(drain_outbox(f, "ack", ack));
    g_autofree char *threaded = g_strdup_printf("\nIn-Reply-To: <%s@x>\nReferences: <%s@x> "
                                                "<%s@x>\n", id, id, id);
    if (over)
      assert_non_null(strstr(ack->str, "\nIn-Reply-To: <none>\nReferences:\n"));
    else
      assert_non_null(strstr(ack->str, threaded));
  }
  g_autofree char *to = NULL, *at = NULL, *notice = NULL;
  assert_true(store_outbox_last(f->store, store_incident_id(f->store, ref, NULL), "notify_ost",
                                &to, &at, &notice, NULL));
  g_autofree char *answers = g_strdup_printf("\nIn-Reply-To: <%s>\nReferences: <%s> <%s>\n",
                                             notice, notice, notice);
  assert_non_null(strstr(reply->str, answers));
  assert_null(strstr(reply->str, "<r2@x>"));
}

/* Mailing-list mail is never filed on an incident, even when its subject
 * names one. */
static void test_bulk_not_attached(void **state)
{
  Fixture *f = *state;
  g_free(open_incident(f, "ann.lee@justice.gov.uk", "r1@x"));
  IgIntakeItem item = ingest_one(f, "From: list@lists.example.org\n"
                                "Subject: Re: [INC-2026-000001] Lost phone\n"
                                "List-Id: <security.lists.example.org>\n"
                                "Message-ID: <l1@x>\n\nDigest of today's posts.\n");
  assert_int_equal(item.outcome, IG_INTAKE_UNMATCHED);
  assert_string_equal(item.kind, "bulk");
  intake_item_clear(&item);
  assert_false(has_event(f, "INC-2026-000001", "bulk"));
}

/* The detail of the incident's first event of type; caller frees. */
static char *event_detail(Fixture *f, const char *reference, const char *type)
{
  gint64 id = store_incident_id(f->store, reference, NULL);
  g_autoptr(GPtrArray) events = store_incident_events(f->store, id, NULL);
  for (guint i = 0; i < events->len; i++) {
    IgEventRec *e = g_ptr_array_index(events, i);
    if (strcmp(e->type, type) == 0)
      return g_strdup(e->detail);
  }
  return NULL;
}

/* An acknowledgement not sent says why: a sender address we cannot write
 * to is named as such, whatever the rate limits say. */
static void test_ack_suppressed_reason(void **state)
{
  (void)state;
  Fixture *f = intake_fixture_new("rate_limit_per_sender = 1/h");
  g_free(open_incident(f, "ann.lee@justice.gov.uk", "r1@x"));
  g_autofree char *bad = open_incident(f, "\"ann lee\"@justice.gov.uk", "r2@x");
  g_autofree char *detail = event_detail(f, bad, "ack_suppressed");
  assert_non_null(detail);
  if (!g_str_has_prefix(detail, "no acknowledgement: sender "))
    print_error("%s\n", detail);
  assert_true(g_str_has_prefix(detail, "no acknowledgement: sender "));
  g_autofree char *again = open_incident(f, "ann.lee@justice.gov.uk", "r3@x");
  g_autofree char *limited = event_detail(f, again, "ack_suppressed");
  assert_string_equal(limited, "no acknowledgement: rate_limit_per_sender reached");
  intake_fixture_free(f);
}

/* The audit of a new report keeps why: each value that could not be read,
 * each decision, each piece of evidence with its subject cut at 200
 * characters from its start. */
static void test_report_events(void **state)
{
  Fixture *f = *state;
  g_autofree char *form = form_report(f, "Impact: severe\nPersonal data involved: perhaps\n");
  g_autofree char *problems = event_details(f, form, "unreadable_value");
  if (!strstr(problems, "Impact: ") || !strstr(problems, "Personal data involved: "))
    print_error("%s", problems);
  assert_non_null(strstr(problems, "Impact: "));
  assert_non_null(strstr(problems, "Personal data involved: "));

  g_autofree char *lure = g_strnfill(201, 'u');
  lure[0] = 'L';
  g_autofree char *raw = g_strdup_printf(
      "From: Bob Kay <bob.kay@justice.gov.uk>\nSubject: FW: %s\nMessage-ID: <p1@x>\n\n"
      "This looks like phishing, I did not click.\n\n"
      "-----Original Message-----\nFrom: IT Support <support@mailbox-quota.example>\n"
      "Sent: 23 November 2026 09:20\nTo: bob.kay@justice.gov.uk\nSubject: %s\n\n"
      "Click http://mailbox-quota.example/login to keep your mail.\n", lure, lure);
  IgIntakeItem item = ingest_one(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  g_autofree char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  g_autofree char *classified = event_details(f, ref, "classified");
  assert_true(g_str_has_prefix(classified, "forwarded by bob.kay@justice.gov.uk: the mail "
                                           "from support@mailbox-quota.example is evidence"));
  g_autofree char *evidence = event_details(f, ref, "evidence");
  g_autofree char *want = g_strdup_printf("suspicious mail from support@mailbox-quota.example,"
                                          " subject \"%.200s\", sha256 ", lure);
  if (!g_str_has_prefix(evidence, want))
    print_error("%s", evidence);
  assert_true(g_str_has_prefix(evidence, want));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_reply_passed_to_ost, setup, teardown),
    cmocka_unit_test_setup_teardown(test_auto_reply_not_passed_on, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reference_shape, setup, teardown),
    cmocka_unit_test_setup_teardown(test_form_reminder_only_when_acked, setup, teardown),
    cmocka_unit_test(test_no_form_reminder_past_rate_limit),
    cmocka_unit_test(test_ack_suppressed_reason),
    cmocka_unit_test_setup_teardown(test_report_events, setup, teardown),
    cmocka_unit_test_setup_teardown(test_deadlines_by_impact, setup, teardown),
    cmocka_unit_test_setup_teardown(test_notice_late_near_miss, setup, teardown),
    cmocka_unit_test_setup_teardown(test_notice_caps, setup, teardown),
    cmocka_unit_test_setup_teardown(test_ack_echo_cap, setup, teardown),
    cmocka_unit_test_setup_teardown(test_thread_by_message_id, setup, teardown),
    cmocka_unit_test_setup_teardown(test_notices_threaded, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bulk_not_attached, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

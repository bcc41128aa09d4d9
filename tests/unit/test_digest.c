/* test_digest.c - unit tests for the manager digest (gateway/digest.c,
 * digest_render.c, store_digest.c): the figures it gathers, values
 * escaped in its HTML, the mail it queues, and the daily rule (once per
 * local date at daily_at, across processes and clock changes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gateway/digest.h"
#include "gateway/error.h"
#include "intake_fixture.h"

#define MANAGERS "managers = m1@x.gov.uk, m2@x.gov.uk\n"
#define DANGER "<script>alert(1)</script> & \"friends\" "
#define LONG_SUMMARY DANGER "and a long tail 0123456789" \
  "01234567890123456789012345678901234567890123456789012345678901234567890123456789" \
  "END-NOT-SHOWN"

static void ok_or_fail(gboolean ok, GError *error)
{
  if (!ok)
    fail_msg("%s", error ? error->message : "(no error set)");
}

/* An incident recorded when it was received. */
static gint64 add(Fixture *f, const char *ref, const char *at, const char *status,
                  const char *impact, const char *category, int late, const char *summary)
{
  g_autoptr(IgIncident) inc = incident_new();
  inc->reference = g_strdup(ref);
  inc->status = g_strdup(status);
  inc->impact = g_strdup(impact);
  inc->category = g_strdup(category);
  inc->via = g_strdup("direct");
  inc->source = g_strdup("form");
  inc->received_at = g_strdup(at);
  inc->created_at = g_strdup(at);
  inc->updated_at = g_strdup(at);
  inc->reported_late = late;
  inc->summary = g_strdup(summary);
  g_autoptr(GError) error = NULL;
  ok_or_fail(store_add_incident(f->store, inc, &error), error);
  return inc->id;
}

static void deadline(Fixture *f, gint64 id, const char *kind, const char *due, gboolean done)
{
  g_autoptr(GError) error = NULL;
  ok_or_fail(store_add_deadline(f->store, id, kind, due, &error), error);
  gboolean changed = FALSE;
  if (done)
    ok_or_fail(store_set_deadline_state(f->store, id, kind, "done", &changed, &error), error);
}

static gint64 count_of(GPtrArray *rows, const char *key)
{
  for (guint i = 0; i < rows->len; i++) {
    const IgCountRow *r = g_ptr_array_index(rows, i);
    if (g_strcmp0(r->key, key) == 0)
      return r->count;
  }
  fail_msg("no row for %s", key ? key : "(not stated)");
  return -1;
}

static const char *ref_at(GPtrArray *items, guint i)
{
  return ((const IgDigestItem *)g_ptr_array_index(items, i))->reference;
}

/* Fills the store as seen at 2026-11-23 10:00 UTC, the last digest sent
 * at 08:00 on the 22nd. Returns the fixture. */
static Fixture *filled(const char *sections)
{
  Fixture *f = intake_fixture_new_with("", sections);
  g_autoptr(GError) error = NULL;
  ok_or_fail(store_begin(f->store, &error), error);
  /* 23:30 BST on 30 September: the third quarter in London */
  gint64 a = add(f, "INC-2026-000001", "2026-09-30T22:30:00Z", "new", "high", "phishing", 0,
                 "old phish");
  /* 00:30 BST on 1 October: the fourth quarter, though still September in UTC */
  gint64 b = add(f, "INC-2026-000002", "2026-09-30T23:30:00Z", "triaged", "medium", "malware",
                 0, "macro");
  add(f, "INC-2026-000003", "2026-11-20T09:00:00Z", "closed", "low", "phishing", 0, "done");
  gint64 d = add(f, "INC-2026-000004", "2026-11-23T08:00:00Z", "investigating", NULL, NULL, 1,
                 "no category yet");
  gint64 e = add(f, "INC-2026-000005", "2026-11-23T09:00:00Z", "rejected", "high",
                 "data-breach", 1, LONG_SUMMARY);
  /* after now (a back-fill's --now): in no figure */
  gint64 later = add(f, "INC-2026-000006", "2026-11-23T11:00:00Z", "new", "low", "malware", 1,
                     "later");
  deadline(f, a, "triage", "2026-11-23T09:00:00Z", FALSE);
  deadline(f, b, "management_report", "2026-12-01T09:00:00Z", FALSE);
  deadline(f, d, "correspondence_notice", "2026-11-23T09:30:00Z", FALSE);
  deadline(f, e, "triage", "2026-11-23T08:00:00Z", TRUE);
  deadline(f, later, "triage", "2026-11-23T09:59:00Z", FALSE);
  gboolean recorded = FALSE;
  ok_or_fail(store_digest_record(f->store, "2026-11-22T08:00:00Z", "2026-11-22", "h",
                                 &recorded, &error), error);
  assert_true(recorded);
  ok_or_fail(store_add_event(f->store, a, "2026-11-23T09:15:00Z", "gateway", "note", "x",
                             &error), error);
  ok_or_fail(store_commit(f->store, &error), error);
  return f;
}

static void test_numbers(void **state)
{
  Fixture *f = filled("");
  g_autoptr(GError) error = NULL;
  g_autoptr(IgDigest) d = digest_build(f->store, f->config->tz, f->now, &error);
  ok_or_fail(d != NULL, error);
  assert_string_equal(d->since, "2026-11-22T08:00:00Z");
  assert_int_equal(d->new_incidents->len, 2);
  assert_string_equal(ref_at(d->new_incidents, 0), "INC-2026-000004");
  assert_string_equal(ref_at(d->new_incidents, 1), "INC-2026-000005");
  assert_int_equal(d->late->len, 2);
  assert_string_equal(ref_at(d->late, 1), "INC-2026-000005");

  /* open: closed and rejected are not; zeros shown */
  assert_int_equal(d->open_total, 3);
  assert_int_equal(count_of(d->open_by_status, "new"), 1);
  assert_int_equal(count_of(d->open_by_status, "triaged"), 1);
  assert_int_equal(count_of(d->open_by_status, "investigating"), 1);
  assert_int_equal(count_of(d->open_by_status, "contained"), 0);
  assert_int_equal(count_of(d->open_by_status, "resolved"), 0);
  assert_int_equal(d->open_by_status->len, 5);
  assert_int_equal(count_of(d->open_by_impact, "high"), 1);
  assert_int_equal(count_of(d->open_by_impact, "medium"), 1);
  assert_int_equal(count_of(d->open_by_impact, "low"), 0);
  assert_int_equal(count_of(d->open_by_impact, NULL), 1);

  /* overdue: pending and past due; done, future and held correspondence are not */
  assert_int_equal(d->overdue->len, 1);
  const IgDigestItem *o = g_ptr_array_index(d->overdue, 0);
  assert_string_equal(o->reference, "INC-2026-000001");
  assert_string_equal(o->kind, "triage");
  assert_string_equal(o->at, "2026-11-23T09:00:00Z");

  /* the quarter begins at local midnight on 1 October */
  assert_string_equal(d->quarter, "2026 Q4");
  assert_int_equal(d->quarter_total, 4);
  assert_int_equal(count_of(d->by_category, "phishing"), 1);
  assert_int_equal(count_of(d->by_category, "malware"), 1);
  assert_int_equal(count_of(d->by_category, "data-breach"), 1);
  assert_int_equal(count_of(d->by_category, "physical"), 0);
  assert_int_equal(count_of(d->by_category, NULL), 1);
  assert_int_equal(d->by_category->len, 13);

  /* the chain head is the newest event's */
  g_autoptr(GPtrArray) events = store_incident_events(f->store, 1, &error);
  const IgEventRec *last = g_ptr_array_index(events, events->len - 1);
  assert_string_equal(d->head_hash, last->hash);
  assert_string_equal(d->head_at, "2026-11-23T09:15:00Z");
  gint64 event_id = 0;
  ok_or_fail(store_verify_anchor(f->store, d->head_hash, &event_id, &error), error);

  /* with no digest before: everything recorded so far is new */
  intake_fixture_free(f);
  f = intake_fixture_new("");
  g_autoptr(IgDigest) empty = digest_build(f->store, f->config->tz, f->now, &error);
  ok_or_fail(empty != NULL, error);
  assert_null(empty->since);
  assert_int_equal(empty->new_incidents->len + empty->open_total + empty->quarter_total, 0);
  assert_null(empty->head_at);
  intake_fixture_free(f);
}

static void test_render_escapes(void **state)
{
  Fixture *f = filled("");
  g_autoptr(GError) error = NULL;
  g_autoptr(IgDigest) d = digest_build(f->store, f->config->tz, f->now, &error);
  ok_or_fail(d != NULL, error);
  g_autofree char *subject = NULL, *text = NULL, *html = NULL;
  ok_or_fail(digest_render(d, f->templates, f->config->tz, &subject, &text, &html, &error),
             error);
  assert_string_equal(subject, "Security incidents digest: Mon 23 Nov 2026");
  /* the text as written, the HTML escaped: no markup from a report */
  assert_non_null(strstr(text, "<script>alert(1)</script> & \"friends\""));
  assert_null(strstr(html, "<script"));
  assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;"));
  /* a summary is cut to one line of 120 characters */
  g_autofree char *first = g_utf8_substring(LONG_SUMMARY, 0, 120);
  g_autofree char *cut = g_strconcat("    ", first, "\u2026\n", NULL);
  assert_non_null(strstr(text, cut));
  assert_null(strstr(text, "END-NOT-SHOWN"));
  /* times in words in the configured zone, never raw */
  assert_non_null(strstr(text, "received Mon 23 Nov 08:00"));
  assert_non_null(strstr(text, "INC-2026-000001  triage  due Mon 23 Nov 09:00"));
  assert_non_null(strstr(text, "the last digest (Sun 22 Nov 08:00)"));
  assert_null(strstr(text, "2026-11-"));
  assert_null(strstr(html, "2026-11-"));
  /* bars: table cells with a colour and a width */
  assert_non_null(strstr(html, "bgcolor=\"#1d70b8\" width=\"360\""));
  assert_non_null(strstr(html, "verify --anchor "));
  assert_non_null(strstr(html, d->head_hash));
  assert_non_null(strstr(text, d->head_hash));
  intake_fixture_free(f);
}

/* Runs the daily rule at when in a transaction of its own; returns how
 * many digests it queued. */
static guint run_at(Fixture *f, IgStore *store, const char *when)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601(when, NULL);
  IgIntake ctx = { f->config, store, f->templates, now, NULL };
  g_autoptr(GError) error = NULL;
  guint done = 0;
  ok_or_fail(store_begin(store, &error), error);
  ok_or_fail(digest_run_due(&ctx, &done, &error), error);
  ok_or_fail(store_commit(store, &error), error);
  return done;
}

static void test_daily_rule(void **state)
{
  Fixture *f = intake_fixture_new_with("", MANAGERS);
  assert_int_equal(run_at(f, f->store, "2026-12-01T07:59:59Z"), 0);
  assert_int_equal(run_at(f, f->store, "2026-12-01T08:00:00Z"), 1);
  assert_int_equal(run_at(f, f->store, "2026-12-01T08:00:30Z"), 0);
  assert_int_equal(run_at(f, f->store, "2026-12-01T23:59:00Z"), 0);
  /* another process on the same store finds the day done */
  g_autoptr(GError) error = NULL;
  IgStore *other = store_open(f->config->database, &error);
  ok_or_fail(other != NULL, error);
  assert_int_equal(run_at(f, other, "2026-12-01T09:00:00Z"), 0);
  /* the next day once, from whichever process comes first */
  assert_int_equal(run_at(f, other, "2026-12-02T08:00:00Z"), 1);
  assert_int_equal(run_at(f, f->store, "2026-12-02T08:01:00Z"), 0);
  store_close(other);
  /* down all of the 3rd: not sent late; the 4th's at its first pass (noon) */
  assert_int_equal(run_at(f, f->store, "2026-12-04T12:00:00Z"), 1);
  assert_int_equal(run_at(f, f->store, "2026-12-04T12:05:00Z"), 0);
  /* summer time: 08:00 in London is 07:00 UTC */
  assert_int_equal(run_at(f, f->store, "2026-07-01T06:59:00Z"), 0);
  assert_int_equal(run_at(f, f->store, "2026-07-01T07:00:00Z"), 1);
  /* the day the clocks go forward (29 March 2026), and back (25 October) */
  assert_int_equal(run_at(f, f->store, "2026-03-29T06:59:00Z"), 0);
  assert_int_equal(run_at(f, f->store, "2026-03-29T07:00:00Z"), 1);
  assert_int_equal(run_at(f, f->store, "2026-10-25T07:59:00Z"), 0);
  assert_int_equal(run_at(f, f->store, "2026-10-25T08:00:00Z"), 1);

  g_autoptr(GString) bodies = g_string_new(NULL);
  g_autofree char *rows = drain_outbox(f, "digest", bodies);
  assert_string_equal(rows, "digest>m1@x.gov.uk, m2@x.gov.uk\n"
                            "digest>m1@x.gov.uk, m2@x.gov.uk\n"
                            "digest>m1@x.gov.uk, m2@x.gov.uk\n"
                            "digest>m1@x.gov.uk, m2@x.gov.uk\n"
                            "digest>m1@x.gov.uk, m2@x.gov.uk\n"
                            "digest>m1@x.gov.uk, m2@x.gov.uk\n");
  assert_non_null(strstr(bodies->str, "Subject: Security incidents digest: Tue 1 Dec 2026"));
  intake_fixture_free(f);
}

/* The mail: multipart/alternative, no incident, automatic, and the next
 * digest starts where it was sent. */
static void test_send(void **state)
{
  Fixture *f = filled(MANAGERS);
  g_autoptr(GError) error = NULL;
  ok_or_fail(store_begin(f->store, &error), error);
  ok_or_fail(digest_send(&f->ctx, &error), error);
  ok_or_fail(store_commit(f->store, &error), error);
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, TRUE, &error);
  assert_int_equal(rows->len, 1);
  const IgOutboxRec *r = g_ptr_array_index(rows, 0);
  assert_null(r->reference);
  g_autoptr(GBytes) body = store_outbox_body(f->store, r->id, &error);
  g_autofree char *raw = g_strndup(g_bytes_get_data(body, NULL), g_bytes_get_size(body));
  assert_non_null(strstr(raw, "Content-Type: multipart/alternative"));
  assert_non_null(strstr(raw, "Content-Type: text/plain"));
  assert_non_null(strstr(raw, "Content-Type: text/html"));
  assert_non_null(strstr(raw, "Auto-Submitted: auto-generated"));
  g_autofree char *mid = g_strdup_printf("Message-ID: <%s>", r->message_id);
  assert_non_null(strstr(raw, mid));

  g_autoptr(IgDigest) next = digest_build(f->store, f->config->tz, f->now, &error);
  ok_or_fail(next != NULL, error);
  assert_string_equal(next->since, "2026-11-23T10:00:00Z");
  assert_int_equal(next->new_incidents->len, 0);
  assert_int_equal(next->late->len, 0);
  assert_int_equal(next->open_total, 3);
  /* sent on demand, it leaves the day's daily digest to go */
  assert_int_equal(run_at(f, f->store, "2026-11-23T10:00:00Z"), 1);
  intake_fixture_free(f);
}

static void test_no_managers(void **state)
{
  Fixture *f = filled("");
  g_autoptr(GError) error = NULL;
  ok_or_fail(store_begin(f->store, &error), error);
  assert_false(digest_send(&f->ctx, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_CONFIG));
  assert_non_null(strstr(error->message, "[stakeholders] managers"));
  store_rollback(f->store);
  assert_int_equal(run_at(f, f->store, "2026-11-23T10:00:00Z"), 0);
  g_autoptr(GError) list_error = NULL;
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, &list_error);
  assert_int_equal(rows->len, 0);
  intake_fixture_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_numbers),
    cmocka_unit_test(test_render_escapes),
    cmocka_unit_test(test_daily_rule),
    cmocka_unit_test(test_send),
    cmocka_unit_test(test_no_managers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

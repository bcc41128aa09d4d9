/* test_atomic.c - filing a message is all or nothing (SPEC section 9:
 * nothing is lost, nothing is half-recorded). For each kind of mail (a new
 * report that tells stakeholders and has a value that cannot be read, a
 * reported phish with evidence, a reply, an OST member's commands applied,
 * refused, forged, rejecting a duplicate, and raising impact, a bounce of
 * our acknowledgement, an oversized message) a first run logs every write
 * intake makes to the store. Then, for each of those writes in turn, a
 * fresh store refuses that one write (a trigger stands in for the fault,
 * no mocks); and likewise each statement prepared, and each statement run
 * (on PostgreSQL, which can refuse neither a statement as it is prepared
 * nor a read, each write run): the message must fail with the store's
 * error, leave every table as it was, and when offered again be recorded
 * exactly as in the first run.
 * A step whose failure is ignored, or that writes outside the message's
 * savepoint, fails this test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include <sqlite3.h>

#include "gateway/scheduler.h"
#include "gateway/store_db.h"
#include "tests/unit/atomic_fixture.h"

/* Stakeholders for the routing rules, and a size limit for quarantine. */
#define EXTRA "\n[stakeholders]\ndacu = dacu@x.gov.uk\nsiro = siro@x.gov.uk\n" \
              "accreditor = accreditor@x.gov.uk\n[gateway]\nmax_message_size = 8KB\n" \
              "[ost]\nmembers = carl@justice.gov.uk\n" \
              "require_authentication = exchange-internal\n"

/* A reply of OST member Carl to the report's incident: body, and whether
 * Exchange marked it as from inside the organisation. */
#define OST_REPLY(internal, id, body) OST_REPLY_TO("000001", internal, id, body)
#define OST_REPLY_TO(ref, internal, id, body) \
  "From: Carl Ode <carl@justice.gov.uk>\nTo: security@justice.gov.uk\n" \
  "Subject: RE: [INC-2026-" ref "] Laptop stolen with case files\n" \
  "Message-ID: <" id "@justice.gov.uk>\n" \
  internal "\n" body

#define REPORT \
  "From: Ann Lee <ann.lee@justice.gov.uk>\nTo: security@justice.gov.uk\n" \
  "Subject: Laptop stolen with case files\nMessage-ID: <r1@justice.gov.uk>\n" \
  "Date: Mon, 23 Nov 2026 09:30:00 +0000\n\n" \
  "Full name: Ann Lee\nDate and time of detection: 23/11/2026 08:10\n" \
  "Impact: high\nPersonal data involved: yes\nCategory: lost-or-stolen-equipment\n" \
  "Date and time of incident: last week sometime\n" \
  "Description: my laptop with case files on 40 people was stolen from my car.\n"

#define SECOND \
  "From: Dan Ray <dan.ray@justice.gov.uk>\nTo: security@justice.gov.uk\n" \
  "Subject: Laptop stolen with case files\nMessage-ID: <s1@justice.gov.uk>\n\n" \
  "Impact: low\nDescription: the same theft, reported by a colleague.\n"

static const char *const scenarios[][2] = {
  { "new report", REPORT },
  { "reported phish",
    "From: Bob Kay <bob.kay@justice.gov.uk>\nTo: security@justice.gov.uk\n"
    "Subject: FW: Your mailbox is full\nMessage-ID: <p1@justice.gov.uk>\n"
    "Date: Mon, 23 Nov 2026 09:40:00 +0000\n\n"
    "This looks like phishing, I did not click.\n\n"
    "-----Original Message-----\nFrom: IT Support <support@mailbox-quota.example>\n"
    "Sent: 23 November 2026 09:20\nTo: bob.kay@justice.gov.uk\n"
    "Subject: Your mailbox is full\n\n"
    "Click http://mailbox-quota.example/login to keep your mail.\n" },
  { "reply",
    "From: Ann Lee <ann.lee@justice.gov.uk>\nTo: security@justice.gov.uk\n"
    "Subject: Re: [INC-2026-000001] Laptop stolen with case files\n"
    "Message-ID: <r2@justice.gov.uk>\nIn-Reply-To: <r1@justice.gov.uk>\n\n"
    "The police crime number is 4411.\n" },
  { "command", OST_REPLY("X-MS-Exchange-Organization-AuthAs: Internal\n", "c1",
                         "Status: closed\nImpact: medium\nOwner: carl@justice.gov.uk\n"
                         "Category: data-breach\nNear-miss: no\nNote: wiped remotely.\n"
                         "Report: The laptop was wiped remotely; staff reminded.\n") },
  { "refused command", OST_REPLY("X-MS-Exchange-Organization-AuthAs: Internal\n", "c2",
                                 "Status: closed\nOwner: nobody at all\n"
                                 "Duplicate-of: INC-2026-000099\n") },
  { "forged command", OST_REPLY("", "c3", "Status: closed\n") },
  { "closed without report", OST_REPLY("X-MS-Exchange-Organization-AuthAs: Internal\n", "c6",
                                       "Status: closed\n") },
  /* These two are about a second, low impact incident (SECOND). */
  { "duplicate command", OST_REPLY_TO("000002", "X-MS-Exchange-Organization-AuthAs: Internal\n",
                                      "c4", "Status: rejected - reported twice\n"
                                      "Duplicate-of: INC-2026-000001\n") },
  { "raised impact", OST_REPLY_TO("000002", "X-MS-Exchange-Organization-AuthAs: Internal\n",
                                  "c5", "Impact: medium\n") },
  { "bounce", NULL },   /* made from the acknowledgement's Message-ID */
  { "oversized", NULL },
  { "truncated", NULL },   /* more attached messages than are read */
  { "encrypted",
    "From: Eve Ward <eve.ward@justice.gov.uk>\nTo: security@justice.gov.uk\n"
    "Subject: Incident report\nMessage-ID: <e1@justice.gov.uk>\nMIME-Version: 1.0\n"
    "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n"
    "Content-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggE=\n" },
};

/* The outcome of filing raw; *error_out (caller frees) is the message's
 * error, or the batch's when the whole batch failed. */
static IgIntakeOutcome ingest(Fixture *f, const char *raw, char **error_out)
{
  g_autoptr(GBytes) bytes = g_bytes_new(raw, strlen(raw));
  g_autoptr(GError) error = NULL;
  IgIntakeItem item = { .name = "test", .raw = bytes };
  intake_batch(&f->ctx, &item, 1, &error);
  IgIntakeOutcome outcome = item.outcome;
  if (error_out)
    *error_out = g_strdup(item.error ? item.error : error ? error->message : NULL);
  intake_item_clear(&item);
  return outcome;
}

/* Mail all sent, so the store is as a running service leaves it. */
static void drain(Fixture *f)
{
  IgOutboxRec *r;
  while ((r = store_outbox_claim(f->store, "2100-01-01T00:00:00Z", "test",
                                 "2100-01-01T00:10:00Z", NULL))) {
    assert_true(store_outbox_sent(f->store, r->id, "2026-11-23T10:00:00Z", NULL));
    outbox_rec_free(r);
  }
}

/* A store in which the report of the first scenario has been filed (the
 * reply and the bounce need its incident), and the raw mail of scenario s. */
static Fixture *prepare(gsize s, char **raw)
{
  Fixture *f = intake_fixture_new(EXTRA);
  /* About a hundred stores are made: durability is not what is tested. */
  exec(f, test_on_pg() ? "SET synchronous_commit = off" : "PRAGMA synchronous = OFF");
  if (s == 0) {
    *raw = g_strdup(REPORT);
    return f;
  }
  assert_int_equal(ingest(f, REPORT, NULL), IG_INTAKE_NEW);
  g_autofree char *ack = query_text(f, "SELECT message_id FROM outbox WHERE template = 'ack'");
  if (strstr(scenarios[s][1] ? scenarios[s][1] : "", "[INC-2026-000002]"))
    assert_int_equal(ingest(f, SECOND, NULL), IG_INTAKE_NEW);
  drain(f);
  if (scenarios[s][1]) {
    *raw = g_strdup(scenarios[s][1]);
  } else if (strcmp(scenarios[s][0], "bounce") == 0) {
    *raw = g_strdup_printf(
        "From: Mail Delivery System <mailer-daemon@mx.justice.gov.uk>\n"
        "To: security@justice.gov.uk\nSubject: Undelivered Mail Returned to Sender\n"
        "Message-ID: <b1@mx.justice.gov.uk>\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
        "--b\nContent-Type: text/plain\n\nMailbox full.\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n"
        "Final-Recipient: rfc822; ann.lee@justice.gov.uk\nAction: failed\nStatus: 5.2.2\n"
        "--b\nContent-Type: message/rfc822\n\nFrom: security@justice.gov.uk\n"
        "Message-ID: <%s>\nSubject: ack\n\nThank you.\n--b--\n", ack);
  } else if (strcmp(scenarios[s][0], "truncated") == 0) {
    GString *mail = g_string_new("From: dan@justice.gov.uk\nSubject: Phishing mails\n"
                                 "Message-ID: <t1@justice.gov.uk>\nMIME-Version: 1.0\n"
                                 "Content-Type: multipart/mixed; boundary=\"m\"\n\n--m\n"
                                 "Content-Type: text/plain\n\nTwelve phishing mails today.\n");
    for (int i = 0; i < 12; i++)
      g_string_append_printf(mail, "--m\nContent-Type: message/rfc822\n\n"
                             "From: x%d@lure.example\nSubject: Invoice %d\n\nPay now.\n", i, i);
    g_string_append(mail, "--m--\n");
    *raw = g_string_free(mail, FALSE);
  } else {
    GString *big = g_string_new("From: carl@justice.gov.uk\nSubject: Big\n"
                                "Message-ID: <o1@justice.gov.uk>\n\n");
    while (big->len < 9000)
      g_string_append(big, "My phone was stolen on the bus this morning.\n");
    *raw = g_string_free(big, FALSE);
  }
  return f;
}

/* A message's first run: its raw mail, the store it started from, the
 * store before and after it, and its outcome. */
typedef struct {
  const char *scenario;
  const char *raw;
  const Saved *start;
  const char *before, *whole;
  IgIntakeOutcome want;
} FirstRun;

/* A try with one step refused (what, for the message) that came out got,
 * error: the message failed with the store's error, naming cause, and left
 * the store as it was; offered again, the refusal lifted, it is recorded
 * as in the first run. */
static void assert_refused_cleanly(Fixture *f, const FirstRun *run, const char *what,
                                   IgIntakeOutcome got, const char *error, const char *cause)
{
  g_autofree char *after = snapshot(f);
  if (got != IG_INTAKE_FAILED)
    print_error("%s, %s: outcome %s (%s)\n", run->scenario, what, intake_outcome_name(got),
                error ? error : "no error");
  assert_int_equal(got, IG_INTAKE_FAILED);
  if (!strstr(error, cause))
    fail_msg("%s, %s: \"%s\" is not the store's error (%s)", run->scenario, what, error, cause);
  assert_same_store(after, run->before, "after the refusal");
  give_back_ids(f, run->start);
  g_autofree char *why = NULL;
  IgIntakeOutcome second = ingest(f, run->raw, &why);
  if (second != run->want)
    fail_msg("%s, %s: offered again: %s (%s), not %s", run->scenario, what,
             intake_outcome_name(second), why ? why : "no error", intake_outcome_name(run->want));
  g_autofree char *again = snapshot(f);
  assert_same_store(again, run->whole, "offered again");
}

static void test_each_write_all_or_nothing(void **state)
{
  (void)state;
  for (gsize s = 0; s < G_N_ELEMENTS(scenarios); s++) {
    g_autofree char *raw = NULL;
    Fixture *f = prepare(s, &raw);
    Saved start = save(f);
    g_autofree char *before = snapshot(f);
    log_writes(f);
    g_autofree char *why = NULL;
    IgIntakeOutcome want = ingest(f, raw, &why);
    if (want == IG_INTAKE_FAILED)
      fail_msg("%s: %s", scenarios[s][0], why);
    g_autofree char *writes = rows(f, "SELECT tbl, op, what FROM writes ORDER BY tbl, op, what");
    g_autofree char *whole = snapshot(f);
    drop_log(f);
    g_auto(GStrv) lines = g_strsplit(writes, "\n", -1);
    assert_true(g_strv_length(lines) > 1);
    /* Each scenario does what it is named for. */
    static const char *const marks[][2] = {
      { "new report", "|unreadable_value|" }, { "command", "|status_changed|" },
      { "refused command", "|commands_refused|" }, { "forged command", "|security|" },
      { "closed without report", "|commands_refused|" },
      { "duplicate command", "|duplicate|" }, { "raised impact", "|management_report|" },
    };
    for (gsize m = 0; m < G_N_ELEMENTS(marks); m++)
      if (strcmp(scenarios[s][0], marks[m][0]) == 0 && !strstr(writes, marks[m][1]))
        fail_msg("%s: no %s among the writes:\n%s", marks[m][0], marks[m][1], writes);
    FirstRun run = { scenarios[s][0], raw, &start, before, whole, want };

    const int stride = fault_stride();
    for (char **l = lines; **l; l++) {
      if ((l - lines) % stride != (long)s % stride)
        continue;
      g_auto(GStrv) col = g_strsplit(*l, "|", -1);
      const char *t = col[0], *op = col[1], *what = col[2];
      restore(f, &start);
      const char *d = discriminator(t);
      g_autofree char *when = d ? g_strdup_printf("NEW.%s = '%s'", d, what) : NULL;
      test_store_refuse(f->store, op, t, when, REFUSED);
      g_autofree char *error = NULL;
      IgIntakeOutcome got = ingest(f, raw, &error);
      test_store_allow(f->store);
      g_autofree char *refused = g_strdup_printf("refused %s %s %s", op, t, what);
      assert_refused_cleanly(f, &run, refused, got, error, REFUSED);
    }
    saved_free(&start);
    intake_fixture_free(f);
  }
}

/* The same for every statement, reads included: the n-th statement that
 * filing the message prepares fails, for each n. A read whose failure is
 * taken for "not found" or "none" fails this test. */
static void test_each_statement_all_or_nothing(void **state)
{
  (void)state;
  /* PostgreSQL has no authorizer to refuse a statement as it is prepared
   * (test_each_run_all_or_nothing() refuses each write there). */
  if (test_on_pg())
    skip();
  for (gsize s = 0; s < G_N_ELEMENTS(scenarios); s++) {
    g_autofree char *raw = NULL;
    Fixture *f = prepare(s, &raw);
    Saved start = save(f);
    g_autofree char *before = snapshot(f);
    IgIntakeOutcome want = ingest(f, raw, NULL);
    g_autofree char *whole = snapshot(f);
    FirstRun run = { scenarios[s][0], raw, &start, before, whole, want };

    /* Each try starts from the same store, so it prepares the same
     * statements in the same order up to the refused one; the first try
     * that prepares fewer than n has refused them all. */
    const int stride = fault_stride();
    int n = 1 + (int)s % stride;
    for (;; n += stride) {
      restore(f, &start);
      Statements deny = { 0, n };
      sqlite3_set_authorizer(f->store->db, authorize, &deny);
      g_autofree char *error = NULL;
      IgIntakeOutcome got = ingest(f, raw, &error);
      sqlite3_set_authorizer(f->store->db, NULL, NULL);
      if (deny.seen < n) {
        assert_int_equal(got, want);
        break;
      }
      g_autofree char *refused = g_strdup_printf("statement %d refused", n);
      /* A statement the search index prepares for itself fails with its
       * error code's words. */
      assert_refused_cleanly(f, &run, refused, got, error,
                             error && strstr(error, "authorization denied")
                             ? "authorization denied" : "not authorized");
    }
    assert_true(n > 4);   /* the loop ran through several statements */
    saved_free(&start);
    intake_fixture_free(f);
  }
}

/* The same for every statement run: a lookup made first for one purpose
 * and again, from the cache, for another fails at each of its uses. */
static void test_each_run_all_or_nothing(void **state)
{
  (void)state;
  const int stride = fault_stride();
  for (gsize s = 0; s < G_N_ELEMENTS(scenarios); s++) {
    g_autofree char *raw = NULL;
    Fixture *f = prepare(s, &raw);
    Saved start = save(f);
    count_writes(f);
    g_autofree char *before = snapshot(f);
    IgIntakeOutcome want = ingest(f, raw, NULL);
    g_autofree char *whole = snapshot(f);
    FirstRun run = { scenarios[s][0], raw, &start, before, whole, want };
    int n = 1 + (int)s % stride, landed = 0, tried = 0;
    for (;; n += stride, tried++) {
      restore(f, &start);
      Runs runs;
      fail_run(f, &runs, n);
      g_autofree char *error = NULL;
      IgIntakeOutcome got = ingest(f, raw, &error);
      fail_run_end(f, &runs);
      if (runs.seen < n) {
        assert_int_equal(got, want);
        break;
      }
      if (!runs.interrupted) {
        restore(f, &start);
        continue;
      }
      landed++;
      g_autofree char *refused = g_strdup_printf("run %d interrupted", n);
      assert_refused_cleanly(f, &run, refused, got, error, run_cause(error));
    }
    if (landed * stride < FEWEST_RUNS || landed * 2 < tried)
      fail_msg("%s: %d of %d runs interrupted", scenarios[s][0], landed, tried);
    saved_free(&start);
    intake_fixture_free(f);
  }
}

/* One scheduler pass at iso; its error (caller frees) when it failed. */
static char *schedule(Fixture *f, const char *iso)
{
  g_date_time_unref(f->now);
  f->now = iso_parse(iso);
  f->ctx.now = f->now;
  guint done = 0;
  g_autoptr(GError) error = NULL;
  if (scheduler_run_due(&f->ctx, &done, &error))
    return NULL;
  return g_strdup(error->message);
}

/* The scheduler's pass is all or nothing too: with each statement run in
 * turn interrupted, a pass that reminds, escalates and tells OST of an
 * incomplete form fails with the store's error and leaves the store as
 * it was, and done again acts as the pass that was never interrupted. */
static void test_scheduler_all_or_nothing(void **state)
{
  (void)state;
  g_autofree char *raw = NULL;
  Fixture *f = prepare(2, &raw);   /* the report's incident, acknowledged */
  assert_int_equal(ingest(f, SECOND, NULL), IG_INTAKE_NEW);
  drain(f);
  g_free(schedule(f, "2026-11-23T11:00:00Z"));  /* triage reminded: next, escalation */
  drain(f);
  Saved start = save(f);
  count_writes(f);
  g_autofree char *before = snapshot(f);
  const char *later = "2026-11-26T12:00:00Z";
  g_autofree char *clean = schedule(f, later);
  assert_null(clean);
  g_autofree char *whole = snapshot(f);
  assert_string_not_equal(whole, before);
  const int stride = fault_stride();
  int n = 1, landed = 0;
  for (;; n += stride) {
    restore(f, &start);
    Runs runs;
    fail_run(f, &runs, n);
    g_autofree char *error = schedule(f, later);
    fail_run_end(f, &runs);
    if (runs.seen < n) {
      assert_null(error);
      break;
    }
    if (!runs.interrupted)
      continue;
    landed++;
    if (!error || !strstr(error, run_cause(error)))
      fail_msg("run %d interrupted: the pass %s", n, error ? error : "succeeded");
    g_autofree char *after = snapshot(f);
    assert_same_store(after, before, "after the interrupted pass");
    give_back_ids(f, &start);
    g_autofree char *again = schedule(f, later);
    assert_null(again);
    g_autofree char *redone = snapshot(f);
    assert_same_store(redone, whole, "the pass done again");
  }
  if (landed * stride < FEWEST_RUNS)
    fail_msg("%d of %d runs interrupted", landed, n);
  saved_free(&start);
  intake_fixture_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_each_write_all_or_nothing),
    cmocka_unit_test(test_each_statement_all_or_nothing),
    cmocka_unit_test(test_each_run_all_or_nothing),
    cmocka_unit_test(test_scheduler_all_or_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

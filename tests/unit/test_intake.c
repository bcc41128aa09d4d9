/* test_intake.c - unit tests for gateway/intake.c: batches are recorded in
 * one transaction and leave no in-flight marks; after a crash, the
 * messages it interrupted are recorded one at a time, and a message that
 * was alone in the gateway's hands when it died three times is
 * quarantined unparsed while the rest go on; what the parser's limits
 * left unread is recorded and told to OST; a message over
 * max_message_size, and not one at it, is quarantined; each outcome is
 * logged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gateway/config.h"
#include "gateway/error.h"
#include "parsers/hash.h"
#include "gateway/intake.h"
#include "gateway/log.h"
#include "gateway/store.h"
#include "gateway/store_db.h"
#include "gateway/template.h"
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

static GBytes *report(int n)
{
  char *text = g_strdup_printf("From: r%d@justice.gov.uk\nSubject: report %d\n"
                               "Message-ID: <r%d@x>\n\nSomething odd happened (%d).\n",
                               n, n, n, n);
  return g_bytes_new_take(text, strlen(text));
}

static char *sha_of(GBytes *b)
{
  gsize len = 0;
  const char *data = g_bytes_get_data(b, &len);
  return hash_sha256_hex(data, len);
}

static void run_batch(Fixture *f, IgIntakeItem *items, GBytes **raws, gsize n)
{
  for (gsize i = 0; i < n; i++) {
    memset(&items[i], 0, sizeof items[i]);
    items[i].name = "test";
    items[i].raw = raws[i];
  }
  assert_true(intake_batch(&f->ctx, items, n, NULL));
}

static void test_batch_clears_marks(void **state)
{
  Fixture *f = *state;
  GBytes *raws[3] = { report(1), report(2), report(3) };
  IgIntakeItem items[3];
  run_batch(f, items, raws, 3);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(items[i].outcome, IG_INTAKE_NEW);
    g_autofree char *sha = sha_of(raws[i]);
    assert_int_equal(store_in_flight_get(f->store, sha, NULL), -1);
    intake_item_clear(&items[i]);
    g_bytes_unref(raws[i]);
  }
}

/* Marks left by a batch that died: recorded again, nothing counted. */
static void test_batch_marks_after_crash(void **state)
{
  Fixture *f = *state;
  GBytes *raws[3] = { report(1), report(2), report(3) };
  for (int round = 0; round < 4; round++)
    for (int i = 0; i < 3; i++) {
      g_autofree char *sha = sha_of(raws[i]);
      assert_true(store_in_flight_set(f->store, sha, FALSE, NULL));
    }
  IgIntakeItem items[3];
  run_batch(f, items, raws, 3);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(items[i].outcome, IG_INTAKE_NEW);
    intake_item_clear(&items[i]);
    g_bytes_unref(raws[i]);
  }
}

/* A message left marked alone was in the gateway's hands when it died:
 * it is recorded, and the death counts as one failure of it. */
static void test_alone_mark_counts_a_failure(void **state)
{
  Fixture *f = *state;
  GBytes *raws[1] = { report(1) };
  g_autofree char *sha = sha_of(raws[0]);
  assert_true(store_in_flight_set(f->store, sha, TRUE, NULL));
  IgIntakeItem items[1];
  run_batch(f, items, raws, 1);
  assert_int_equal(items[0].outcome, IG_INTAKE_NEW);
  assert_int_equal(store_note_failure(f->store, sha, "probe", "2026-11-23T10:00:00Z", NULL), 2);
  intake_item_clear(&items[0]);
  g_bytes_unref(raws[0]);
}

/* At the third such death it is quarantined unparsed; the rest go on. */
static void test_poison_quarantined_third_time(void **state)
{
  Fixture *f = *state;
  GBytes *raws[2] = { report(1), report(2) };
  g_autofree char *poison = sha_of(raws[0]);
  for (int i = 0; i < 2; i++)
    assert_int_equal(store_note_failure(f->store, poison, "the gateway stopped",
                                        "2026-11-23T09:00:00Z", NULL), i + 1);
  assert_true(store_in_flight_set(f->store, poison, TRUE, NULL));
  IgIntakeItem items[2];
  run_batch(f, items, raws, 2);
  assert_int_equal(items[0].outcome, IG_INTAKE_QUARANTINED);
  assert_int_equal(items[1].outcome, IG_INTAKE_NEW);
  g_autoptr(GPtrArray) messages = store_list_messages(f->store, TRUE, NULL);
  assert_int_equal(messages->len, 1);
  IgMessageRec *m = g_ptr_array_index(messages, 0);
  assert_string_equal(m->kind, "quarantined");
  assert_string_equal(m->sha256, poison);
  assert_null(m->subject); /* never parsed */
  assert_int_equal(store_in_flight_get(f->store, poison, NULL), -1);
  for (int i = 0; i < 2; i++) {
    intake_item_clear(&items[i]);
    g_bytes_unref(raws[i]);
  }
}

/* A message the store refuses to record (a trigger stands in for the
 * fault) fails in three batches; at the third it is quarantined. Each
 * time the rest of its batch is recorded. */
static void test_failing_message_quarantined_third_time(void **state)
{
  Fixture *f = *state;
  GBytes *poison = report(99);
  g_autofree char *sha = sha_of(poison);
  g_autofree char *when = g_strdup_printf("NEW.sha256 = '%s' AND NEW.kind <> 'quarantined'",
                                          sha);
  test_store_refuse(f->store, "INSERT", "messages", when, "refused by the test");

  int next = 1;
  for (int batch = 1; batch <= 3; batch++) {
    GBytes *raws[3] = { report(next++), poison, report(next++) };
    IgIntakeItem items[3];
    run_batch(f, items, raws, 3);
    assert_int_equal(items[0].outcome, IG_INTAKE_NEW);
    assert_int_equal(items[2].outcome, IG_INTAKE_NEW);
    if (batch < 3) {
      assert_int_equal(items[1].outcome, IG_INTAKE_FAILED);
      assert_non_null(strstr(items[1].error, "refused by the test"));
    } else {
      assert_int_equal(items[1].outcome, IG_INTAKE_QUARANTINED);
    }
    g_autofree char *count = query_text(f, "SELECT count(*) FROM messages");
    g_autofree char *want = g_strdup_printf("%d", 2 * batch + (batch == 3));
    assert_string_equal(count, want);
    g_autofree char *quarantined = query_text(f, "SELECT note FROM messages"
                                                 " WHERE kind = 'quarantined'");
    if (batch < 3)
      assert_null(quarantined);
    else
      assert_non_null(strstr(quarantined, "failed 3 times: "));
    assert_int_equal(store_in_flight_get(f->store, sha, NULL), -1);
    for (int i = 0; i < 3; i++)
      intake_item_clear(&items[i]);
    g_bytes_unref(raws[0]);
    g_bytes_unref(raws[2]);
  }
  g_autofree char *stored = query_text(f, "SELECT sha256 FROM messages"
                                          " WHERE kind = 'quarantined'");
  assert_string_equal(stored, sha);
  g_bytes_unref(poison);
}

static gboolean has_event(GPtrArray *events, const char *type, const char *detail)
{
  for (guint i = 0; i < events->len; i++) {
    IgEventRec *e = g_ptr_array_index(events, i);
    if (strcmp(e->type, type) == 0 && strstr(e->detail, detail))
      return TRUE;
  }
  return FALSE;
}

/* The body of the pending mail rendered from template, or NULL. Every
 * pending row is marked sent on the way, so that the next mail's rows are
 * the only ones due. */
static char *outbox_body_then_send(Fixture *f, const char *template)
{
  char *body = NULL;
  IgOutboxRec *r;
  while ((r = store_outbox_claim(f->store, "2100-01-01T00:00:00Z", "test",
                                 "2100-01-01T00:10:00Z", NULL))) {
    if (!body && strcmp(r->template_name, template) == 0 && r->body) {
      gsize len = 0;
      const char *data = g_bytes_get_data(r->body, &len);
      body = g_strndup(data, len);
    }
    assert_true(store_outbox_sent(f->store, r->id, "2026-11-23T10:00:00Z", NULL));
    outbox_rec_free(r);
  }
  return body;
}

/* 500 levels of MIME nesting: the incident is opened from what could be
 * read, the part left unread is an audit event, and OST is told. */
static void test_deep_nesting_recorded_and_told(void **state)
{
  Fixture *f = *state;
  GString *s = g_string_new("From: r1@justice.gov.uk\nSubject: nested\nMessage-ID: <deep@x>\n"
                            "MIME-Version: 1.0\n");
  for (int i = 0; i < 500; i++)
    g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n",
                           i, i);
  g_string_append(s, "Content-Type: text/plain\n\nMy laptop was stolen.\n");
  for (int i = 499; i >= 0; i--)
    g_string_append_printf(s, "--b%d--\n", i);
  gsize len = s->len;
  GBytes *raws[2] = { g_bytes_new_take(g_string_free(s, FALSE), len), report(2) };
  for (int k = 0; k < 2; k++) {
    IgIntakeItem items[1];
    run_batch(f, items, &raws[k], 1);
    assert_int_equal(items[0].outcome, IG_INTAKE_NEW);
    g_autoptr(GPtrArray) messages = store_list_messages(f->store, FALSE, NULL);
    const IgMessageRec *rec = g_ptr_array_index(messages, 0);
    gint64 id = store_incident_id(f->store, rec->reference, NULL);
    g_autoptr(GPtrArray) events = store_incident_events(f->store, id, NULL);
    g_autofree char *body = outbox_body_then_send(f, "notify_ost");
    assert_non_null(body);
    const gboolean deep = k == 0;
    assert_int_equal(has_event(events, "truncated", "nested more than 16 levels deep"), deep);
    assert_int_equal(strstr(body, "NOT READ IN FULL") != NULL, deep);
    assert_int_equal(strstr(body, "  - 1 MIME part nested more than 16 levels deep") != NULL,
                     deep);
    intake_item_clear(&items[0]);
    g_bytes_unref(raws[k]);
  }
}

/* received_at is when the mail arrived (SPEC 2): the source's own time,
 * else the newest Received: date, else Date, never after recording;
 * lateness counts from it, recorded_at is the recording. */
static void test_arrival_time(void **state)
{
  Fixture *f = *state;
  static const char *const mails[] = {
    /* the source knows: 09:10 (set below) */
    "From: a@justice.gov.uk\nMessage-ID: <t1@x>\nDate: Mon, 23 Nov 2026 06:00:00 +0000\n"
    "Received: by mx; Mon, 23 Nov 2026 07:00:00 +0000\n\n"
    "Date and time of detection: 23/11/2026 08:50\nDescription: odd mail\n",
    /* the last relay: 09:30 */
    "From: b@justice.gov.uk\nMessage-ID: <t2@x>\nDate: Mon, 23 Nov 2026 06:00:00 +0000\n"
    "Received: by mx; Mon, 23 Nov 2026 09:30:00 +0000\n\n"
    "Date and time of detection: 23/11/2026 08:50\nDescription: odd mail\n",
    /* only Date: 09:00 */
    "From: c@justice.gov.uk\nMessage-ID: <t3@x>\nDate: Mon, 23 Nov 2026 09:00:00 +0000\n\n"
    "Date and time of detection: 23/11/2026 08:50\nDescription: odd mail\n",
    /* a Date after the recording: the recording */
    "From: d@justice.gov.uk\nMessage-ID: <t4@x>\nDate: Mon, 30 Nov 2026 09:00:00 +0000\n\n"
    "Date and time of detection: 23/11/2026 08:50\nDescription: odd mail\n",
  };
  static const struct { const char *received; gint64 minutes; } want[] = {
    { "2026-11-23T09:10:00Z", 20 }, { "2026-11-23T09:30:00Z", 40 },
    { "2026-11-23T09:00:00Z", 10 }, { "2026-11-23T10:00:00Z", 70 },
  };
  g_autoptr(GDateTime) imap = g_date_time_new_utc(2026, 11, 23, 9, 10, 0);
  for (gsize k = 0; k < G_N_ELEMENTS(mails); k++) {
    GBytes *raw = g_bytes_new_static(mails[k], strlen(mails[k]));
    IgIntakeItem item = { .name = "t", .raw = raw, .arrived = k == 0 ? imap : NULL };
    assert_true(intake_batch(&f->ctx, &item, 1, NULL));
    assert_int_equal(item.outcome, IG_INTAKE_NEW);
    g_autoptr(IgIncident) inc = store_get_incident(f->store, item.reference, NULL);
    assert_non_null(inc);
    assert_string_equal(inc->received_at, want[k].received);
    assert_string_equal(inc->created_at, "2026-11-23T10:00:00Z");
    assert_int_equal(inc->minutes_to_report, want[k].minutes);
    assert_int_equal(inc->reported_late, want[k].minutes > 60);
    intake_item_clear(&item);
    g_bytes_unref(raw);
  }
}

/* The body of the pending mail of template to address, or NULL. Every
 * due row is claimed to read it, then released: all stay pending. */
static char *pending_mail(Fixture *f, const char *template, const char *to)
{
  char *body = NULL;
  IgOutboxRec *r;
  while ((r = store_outbox_claim(f->store, "2100-01-01T00:00:00Z", "test-read",
                                 "2100-01-01T00:10:00Z", NULL))) {
    if (!body && g_strcmp0(r->template_name, template) == 0 && g_strcmp0(r->to, to) == 0)
      body = g_strndup(g_bytes_get_data(r->body, NULL), g_bytes_get_size(r->body));
    outbox_rec_free(r);
  }
  assert_true(store_outbox_release(f->store, "test-read", NULL));
  return body;
}

/* An encrypted report: recorded, OST told it is encrypted, the reporter
 * never asked to re-type what encryption hid (no list of missing fields,
 * no form reminder). */
static void test_encrypted_report(void **state)
{
  Fixture *f = *state;
  static const char raw[] =
      "From: enc@justice.gov.uk\nMessage-ID: <enc@x>\nSubject: incident\nMIME-Version: 1.0\n"
      "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n"
      "Content-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\n";
  GBytes *bytes = g_bytes_new_static(raw, sizeof raw - 1);
  IgIntakeItem item = { .name = "enc", .raw = bytes };
  assert_true(intake_batch(&f->ctx, &item, 1, NULL));
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  gint64 id = store_incident_id(f->store, item.reference, NULL);
  g_autoptr(GPtrArray) events = store_incident_events(f->store, id, NULL);
  assert_true(has_event(events, "encrypted", "S/MIME encrypted"));
  g_autoptr(GPtrArray) deadlines = store_incident_deadlines(f->store, id, NULL);
  for (guint i = 0; i < deadlines->len; i++)
    assert_string_not_equal(((IgDeadlineRec *)g_ptr_array_index(deadlines, i))->kind,
                            "form_reminder");
  g_autofree char *ack = pending_mail(f, "ack", "enc@justice.gov.uk");
  assert_non_null(ack);
  assert_null(strstr(ack, "Please reply to this email with the lines below"));
  assert_non_null(strstr(ack, "You do not need to"));
  g_autofree char *ost = pending_mail(f, "notify_ost", "ost@x.gov.uk");
  assert_non_null(ost);
  assert_non_null(strstr(ost, "ENCRYPTED: the report is S/MIME encrypted"));
  intake_item_clear(&item);
  g_bytes_unref(bytes);
}

/* When the disk fills in the middle of a batch, the database rolls the
 * whole transaction back: the error says so and names the cause, not what
 * failed after it ("cannot commit - no transaction is active"). A store
 * capped at a few pages more than it holds stands in for the full disk. */
static void test_disk_full_names_the_cause(void **state)
{
  Fixture *f = *state;
  /* SQLite's full disk (max_page_count): PostgreSQL has no cap to make one. */
  if (test_on_pg())
    skip();
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(f->store->db, "PRAGMA page_count", -1, &st, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  g_autofree char *cap = g_strdup_printf("PRAGMA max_page_count = %d",
                                         sqlite3_column_int(st, 0) + 8);
  sqlite3_finalize(st);
  assert_int_equal(sqlite3_exec(f->store->db, cap, NULL, NULL, NULL), SQLITE_OK);

  GString *big = g_string_new("From: r9@justice.gov.uk\nSubject: big\nMessage-ID: <big@x>\n\n");
  for (int i = 0; i < 20000; i++)
    g_string_append(big, "A line of a long report that will not fit.\n");
  gsize len = big->len;
  GBytes *raws[3] = { report(1), g_bytes_new_take(g_string_free(big, FALSE), len), report(2) };
  IgIntakeItem items[3] = { { .name = "one", .raw = raws[0] }, { .name = "big", .raw = raws[1] },
                            { .name = "two", .raw = raws[2] } };
  g_autoptr(GError) error = NULL;
  assert_false(intake_batch(&f->ctx, items, 3, &error));
  assert_non_null(error);
  if (!strstr(error->message, "database or disk is full"))
    print_error("error: %s\n", error->message);
  assert_non_null(strstr(error->message, "database or disk is full"));
  assert_null(strstr(error->message, "no transaction"));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_TRANSIENT)); /* ingest exits 75 */
  for (int i = 0; i < 3; i++) {
    assert_int_equal(items[i].outcome, IG_INTAKE_FAILED);
    intake_item_clear(&items[i]);
    g_bytes_unref(raws[i]);
  }
}

/* A message of no bytes at all (an empty file, an empty pipe) is stored
 * and accounted for like any other, never dropped. */
static void test_empty_message_recorded(void **state)
{
  Fixture *f = *state;
  GBytes *raws[1] = { g_bytes_new(NULL, 0) };
  IgIntakeItem items[1];
  run_batch(f, items, raws, 1);
  assert_int_not_equal(items[0].outcome, IG_INTAKE_FAILED);
  g_autofree char *empty = hash_sha256_hex("", 0);
  g_autofree char *stored = query_text(f, "SELECT sha256 || ' ' || size FROM messages");
  g_autofree char *want = g_strdup_printf("%s 0", empty);
  assert_string_equal(stored, want);
  intake_item_clear(&items[0]);
  g_bytes_unref(raws[0]);
}

/* Another process holds the write lock (the 10 s wait cut short) */
static sqlite3 *lock_store(Fixture *f)
{
  sqlite3_busy_timeout(f->store->db, 0);
  sqlite3 *other = NULL;
  assert_int_equal(sqlite3_open(f->config->database, &other), SQLITE_OK);
  assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  return other;
}

static void unlock_store(Fixture *f, sqlite3 *other)
{
  sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(other);
  sqlite3_busy_timeout(f->store->db, 10000);
}

/* After a crash, a store busy with another process's write: nothing is
 * recorded and the error is transient (ingest exits 75, the MTA retries);
 * the death is not counted against the message, whose mark stays. */
static void test_crash_recovery_on_busy_store(void **state)
{
  Fixture *f = *state;
  /* PostgreSQL waits 10 s for the writers' lock (lock_timeout): that
   * wait is test_postgresql_open_waits_10s_for_writers's, and the marks'
   * transient failure test_intake_faults'. */
  if (test_on_pg())
    skip();
  GBytes *raw = report(1);
  g_autofree char *sha = sha_of(raw);
  assert_true(store_in_flight_set(f->store, sha, TRUE, NULL));
  sqlite3 *other = lock_store(f);
  IgIntakeItem item = { .name = "one", .raw = raw };
  g_autoptr(GError) error = NULL;
  assert_false(intake_batch(&f->ctx, &item, 1, &error));
  unlock_store(f, other);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_TRANSIENT));
  assert_non_null(strstr(error->message, "database is locked"));
  assert_int_equal(item.outcome, IG_INTAKE_FAILED);
  assert_int_equal(store_in_flight_get(f->store, sha, NULL), 1);
  g_autofree char *failures = query_text(f, "SELECT count(*) FROM failures");
  assert_string_equal(failures, "0");
  g_autofree char *messages = query_text(f, "SELECT count(*) FROM messages");
  assert_string_equal(messages, "0");
  intake_item_clear(&item);
  g_bytes_unref(raw);
}

/* Caps the store a few pages above what it holds (or lifts the cap). */
static void cap_store(Fixture *f, gboolean full)
{
  g_autofree char *pages = query_text(f, "PRAGMA page_count");
  g_autofree char *cap = g_strdup_printf("PRAGMA max_page_count = %d",
                                         full ? atoi(pages) + 2 : 1000000);
  assert_int_equal(sqlite3_exec(f->store->db, cap, NULL, NULL, NULL), SQLITE_OK);
}

static GBytes *big_report(void)
{
  GString *big = g_string_new("From: r9@justice.gov.uk\nSubject: big\nMessage-ID: <big@x>\n\n");
  for (int i = 0; i < 5000; i++)
    g_string_append(big, "A line of a long report that will not fit.\n");
  gsize len = big->len;
  return g_bytes_new_take(g_string_free(big, FALSE), len);
}

/* A message that killed the gateway three times cannot be quarantined
 * because the disk is full: it is not lost, its mark stays, and once
 * there is room again it is quarantined unparsed. */
static void test_poison_kept_when_disk_full(void **state)
{
  Fixture *f = *state;
  /* SQLite's full disk (max_page_count): PostgreSQL has no cap to make one. */
  if (test_on_pg())
    skip();
  GBytes *raw = big_report();
  g_autofree char *sha = sha_of(raw);
  for (int i = 0; i < 2; i++)
    store_note_failure(f->store, sha, "the gateway stopped", "2026-11-23T09:00:00Z", NULL);
  assert_true(store_in_flight_set(f->store, sha, TRUE, NULL));
  cap_store(f, TRUE);
  IgIntakeItem item = { .name = "poison", .raw = raw };
  g_autoptr(GError) error = NULL;
  assert_false(intake_batch(&f->ctx, &item, 1, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_TRANSIENT));
  assert_non_null(strstr(error->message, "database or disk is full"));
  assert_int_equal(item.outcome, IG_INTAKE_FAILED);
  assert_null(item.reference);
  g_autofree char *none = query_text(f, "SELECT count(*) FROM messages");
  assert_string_equal(none, "0");
  assert_int_equal(store_in_flight_get(f->store, sha, NULL), 1);

  cap_store(f, FALSE);
  IgIntakeItem again = { .name = "poison", .raw = raw };
  assert_true(intake_batch(&f->ctx, &again, 1, NULL));
  assert_int_equal(again.outcome, IG_INTAKE_QUARANTINED);
  g_autofree char *note = query_text(f, "SELECT note FROM messages WHERE kind = 'quarantined'");
  assert_non_null(strstr(note, "the gateway stopped 4 times while recording it"));
  intake_item_clear(&item);
  intake_item_clear(&again);
  g_bytes_unref(raw);
}

/* A message of exactly max_message_size is recorded; a byte more and it
 * is quarantined unparsed. */
static void test_size_limit_boundary(void **state)
{
  (void)state;
  Fixture *f = intake_fixture_new("\n[gateway]\nmax_message_size = 2000\n");
  for (int over = 0; over <= 1; over++) {
    GString *s = g_string_new(NULL);
    g_string_printf(s, "From: r1@justice.gov.uk\nSubject: big\nMessage-ID: <size%d@x>\n\n",
                    over);
    while (s->len < 2000 + (gsize)over - 1)
      g_string_append_c(s, s->len % 64 == 63 ? '\n' : 'a');
    g_string_append_c(s, '\n');
    gsize len = s->len;
    assert_int_equal(len, 2000 + over);
    GBytes *raws[1] = { g_bytes_new_take(g_string_free(s, FALSE), len) };
    IgIntakeItem items[1];
    run_batch(f, items, raws, 1);
    assert_int_equal(items[0].outcome, over ? IG_INTAKE_QUARANTINED : IG_INTAKE_NEW);
    intake_item_clear(&items[0]);
    g_bytes_unref(raws[0]);
  }
  intake_fixture_free(f);
}

/* Each message recorded leaves a log line naming it and its outcome. */
static void test_outcome_logged(void **state)
{
  Fixture *f = *state;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp("ig-log-XXXXXX", &path, NULL);
  assert_true(fd >= 0);
  fflush(stderr);
  int saved = dup(STDERR_FILENO);
  assert_true(saved >= 0 && dup2(fd, STDERR_FILENO) >= 0);
  close(fd);
  log_set_level(IG_LOG_INFO);
  GBytes *raws[1] = { report(1) };
  IgIntakeItem items[1];
  run_batch(f, items, raws, 1);
  log_set_level(IG_LOG_ERROR);
  fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  g_autofree char *logged = NULL;
  assert_true(g_file_get_contents(path, &logged, NULL, NULL));
  g_unlink(path);
  if (!strstr(logged, " info INC-2026-000001 <r1@x> test: new report\n"))
    print_error("%s", logged);
  assert_non_null(strstr(logged, " info INC-2026-000001 <r1@x> test: new report\n"));
  intake_item_clear(&items[0]);
  g_bytes_unref(raws[0]);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_batch_clears_marks, setup, teardown),
    cmocka_unit_test_setup_teardown(test_batch_marks_after_crash, setup, teardown),
    cmocka_unit_test_setup_teardown(test_alone_mark_counts_a_failure, setup, teardown),
    cmocka_unit_test_setup_teardown(test_poison_quarantined_third_time, setup, teardown),
    cmocka_unit_test_setup_teardown(test_failing_message_quarantined_third_time, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_deep_nesting_recorded_and_told, setup, teardown),
    cmocka_unit_test_setup_teardown(test_disk_full_names_the_cause, setup, teardown),
    cmocka_unit_test_setup_teardown(test_arrival_time, setup, teardown),
    cmocka_unit_test_setup_teardown(test_encrypted_report, setup, teardown),
    cmocka_unit_test_setup_teardown(test_empty_message_recorded, setup, teardown),
    cmocka_unit_test_setup_teardown(test_crash_recovery_on_busy_store, setup, teardown),
    cmocka_unit_test_setup_teardown(test_poison_kept_when_disk_full, setup, teardown),
    cmocka_unit_test(test_size_limit_boundary),
    cmocka_unit_test_setup_teardown(test_outcome_logged, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

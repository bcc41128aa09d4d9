/* test_outbox.c - unit tests for gateway/outbox.c and webhook.c: a row
 * that fails is retried after 1, 2, 4 ... minutes up to six hours and
 * marked failed after 24 attempts, or at once when no retry can mend it;
 * claims left by dead processes of this host are released, those of
 * other hosts kept until they lapse; a busy store stops delivery with
 * its cause; a recipient that is no address is refused when queued; a
 * mail with an HTML part is multipart/alternative, marked in both; a
 * webhook row goes only to the hooks subscribed to its event, an event
 * that cannot be queued fails with its cause, and a row whose hook or
 * secret has gone fails naming it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gateway/config.h"
#include "gateway/error.h"
#include "gateway/log.h"
#include "gateway/outbox.h"
#include "gateway/records.h"
#include "gateway/store.h"
#include "gateway/store_db.h"
#include "gateway/template.h"
#include "gateway/transport.h"
#include "gateway/webhook.h"
#include "test_database.h"

#define T0 "2026-11-23T10:00:00Z"
#define MAIL "Subject: x\r\n\r\nbody\r\n"

/* A transport that fails with error_code (0: succeeds) and counts; as a
 * flushing one (base.flush set) its flush fails with flush_code, and it
 * notes how many rows were still pending in the store at each flush. */
typedef struct {
  IgTransport base;
  int error_code;
  int calls;
  int flush_code;
  int flushes;
  IgStore *store;
  GArray *pending_at_flush;   /* guint */
} FakeTransport;

static gboolean fake_flush(IgTransport *self, GError **error)
{
  FakeTransport *t = (FakeTransport *)self;
  t->flushes++;
  g_autoptr(GPtrArray) pending = store_list_outbox(t->store, TRUE, NULL);
  assert_non_null(pending);
  g_array_append_val(t->pending_at_flush, pending->len);
  if (!t->flush_code)
    return TRUE;
  g_set_error(error, IG_ERROR, t->flush_code, "disk gone");
  return FALSE;
}

static gboolean fake_send(IgTransport *self, const IgOutboxRec *row, GError **error)
{
  FakeTransport *t = (FakeTransport *)self;
  t->calls++;
  if (!t->error_code)
    return TRUE;
  g_set_error(error, IG_ERROR, t->error_code, "connection refused");
  return FALSE;
}

typedef struct {
  char *dir;
  IgConfig *config;
  char *schema;             /* on PostgreSQL, the test's schema */
  char *database;
  IgStore *store;
  FakeTransport transport;
} Fixture;

static int setup(void **state)
{
  Fixture *f = g_new0(Fixture, 1);
  f->dir = g_dir_make_tmp("ig-outbox-XXXXXX", NULL);
  g_autofree char *secret = g_build_filename(f->dir, "siem.secret", NULL);
  assert_true(g_file_set_contents(secret, "hook-key\n", -1, NULL));
  assert_int_equal(g_chmod(secret, 0600), 0);
  f->database = test_database_new(f->dir, "g.db", &f->schema);
  g_autofree char *text = g_strdup_printf(
      "[gateway]\ndatabase = %s\n[stakeholders]\nost = ost@justice.gov.uk\n"
      "[transport]\nurl = dir:%s/out\n"
      "[webhook.siem]\nurl = http://127.0.0.1:9/siem\nsecret_file = %s\nevents = created\n"
      "[webhook.pager]\nurl = http://127.0.0.1:9/pager\nevents = overdue, created\n"
      "[webhook.audit]\nurl = http://127.0.0.1:9/audit\nevents = status_changed\n",
      f->database, f->dir, secret);
  g_autoptr(GError) error = NULL;
  f->config = config_load_data(text, strlen(text), "test.conf", &error);
  if (!f->config)
    fail_msg("config: %s", error->message);
  f->store = store_open(f->config->database, &error);
  assert_non_null(f->store);
  f->transport.base.send = fake_send;
  f->transport.store = f->store;
  f->transport.pending_at_flush = g_array_new(FALSE, FALSE, sizeof(guint));
  log_set_level(IG_LOG_ERROR);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  Fixture *f = *state;
  g_array_unref(f->transport.pending_at_flush);
  store_close(f->store);
  test_database_free(f->schema);
  g_free(f->schema);
  g_free(f->database);
  config_free(f->config);
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);
  assert_int_equal(system(cmd), 0);
  g_free(f->dir);
  g_free(f);
  return 0;
}

static gint64 queue_row(Fixture *f, const char *kind, const char *name, const char *to)
{
  g_autoptr(GBytes) body = g_bytes_new_static(MAIL, strlen(MAIL));
  IgOutboxIn in = { .kind = kind, .template_name = name, .to = to, .subject = "created",
                    .message_id = "m1@gw", .body = body, .created_at = T0 };
  g_autoptr(GError) error = NULL;
  gint64 id = store_outbox_add(f->store, &in, &error);
  assert_true(id > 0);
  return id;
}

/* Delivers what is due at the ISO time at; returns how many failed. */
static guint deliver_at(Fixture *f, const char *at)
{
  g_autoptr(GDateTime) now = iso_parse(at);
  g_autoptr(GError) error = NULL;
  guint sent = 0, failed = 0;
  if (!outbox_deliver(f->store, f->config, &f->transport.base, now, &sent, &failed, &error))
    fail_msg("deliver: %s", error->message);
  return failed;
}

static IgOutboxRec *only_row(Fixture *f)
{
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, NULL);
  assert_non_null(rows);
  assert_int_equal(rows->len, 1);
  return g_ptr_array_steal_index(rows, 0);
}

/* --- retries --- */

/* Each failure waits twice as long as the one before, from one minute up
 * to six hours; nothing is tried before its time; the 24th failure (about
 * four days on) hands the row to an operator as failed. */
static void test_backoff_then_give_up(void **state)
{
  Fixture *f = *state;
  queue_row(f, "mail", "ack", "jane@x.gov.uk");
  f->transport.error_code = IG_ERROR_RUNTIME;
  g_autoptr(GDateTime) now = iso_parse(T0);
  for (int attempt = 1; attempt <= 24; attempt++) {
    g_autofree char *at = iso_utc(now);
    assert_int_equal(deliver_at(f, at), 1);
    assert_int_equal(f->transport.calls, attempt);
    g_autoptr(IgOutboxRec) r = only_row(f);
    assert_int_equal(r->attempts, attempt);
    assert_string_equal(r->last_error, "connection refused");
    gint64 delay = MIN((gint64)60 << (attempt - 1), 6 * 3600);
    g_autoptr(GDateTime) next = g_date_time_add_seconds(now, (gdouble)delay);
    g_autofree char *want = iso_utc(next);
    assert_string_equal(r->next_attempt_at, want);
    assert_string_equal(r->state, attempt < 24 ? "pending" : "failed");
    /* a second before it is due: not tried */
    g_autoptr(GDateTime) early = g_date_time_add_seconds(next, -1);
    g_autofree char *early_at = iso_utc(early);
    assert_int_equal(deliver_at(f, early_at), 0);
    assert_int_equal(f->transport.calls, attempt);
    g_date_time_unref(now);
    now = g_date_time_ref(next);
  }
  assert_int_equal(deliver_at(f, "2027-01-01T00:00:00Z"), 0); /* failed rows rest */
  assert_int_equal(f->transport.calls, 24);
}

/* A retry that then succeeds leaves the row sent, its error cleared. */
static void test_retry_then_sent(void **state)
{
  Fixture *f = *state;
  queue_row(f, "mail", "ack", "jane@x.gov.uk");
  f->transport.error_code = IG_ERROR_RUNTIME;
  assert_int_equal(deliver_at(f, T0), 1);
  f->transport.error_code = 0;
  assert_int_equal(deliver_at(f, "2026-11-23T10:01:00Z"), 0);
  g_autoptr(IgOutboxRec) r = only_row(f);
  assert_string_equal(r->state, "sent");
  assert_int_equal(r->attempts, 2);
  assert_null(r->last_error);
}

/* An error no retry can mend (an invalid recipient) fails the row at the
 * first attempt. */
static void test_input_error_gives_up_at_once(void **state)
{
  Fixture *f = *state;
  queue_row(f, "mail", "ack", "jane@x.gov.uk");
  f->transport.error_code = IG_ERROR_INPUT;
  assert_int_equal(deliver_at(f, T0), 1);
  g_autoptr(IgOutboxRec) r = only_row(f);
  assert_string_equal(r->state, "failed");
  assert_int_equal(r->attempts, 1);
}

/* --- groups --- */

/* A flushing transport gets the due rows in groups of 64: each group
 * sent, flushed once, and only then marked sent, all at once. */
static void test_groups_marked_after_their_flush(void **state)
{
  Fixture *f = *state;
  f->transport.base.flush = fake_flush;
  for (int i = 0; i < 70; i++)
    queue_row(f, "mail", "ack", "jane@x.gov.uk");
  assert_int_equal(deliver_at(f, T0), 0);
  assert_int_equal(f->transport.calls, 70);
  assert_int_equal(f->transport.flushes, 2);
  assert_int_equal(g_array_index(f->transport.pending_at_flush, guint, 0), 70);
  assert_int_equal(g_array_index(f->transport.pending_at_flush, guint, 1), 6);
  g_autoptr(GPtrArray) pending = store_list_outbox(f->store, TRUE, NULL);
  assert_int_equal(pending->len, 0);
}

/* A failed flush: none of its group counts as sent; each row is retried
 * with its backoff and the flush's error, and goes at the retry. */
static void test_failed_flush_retries_the_group(void **state)
{
  Fixture *f = *state;
  f->transport.base.flush = fake_flush;
  f->transport.flush_code = IG_ERROR_RUNTIME;
  for (int i = 0; i < 3; i++)
    queue_row(f, "mail", "ack", "jane@x.gov.uk");
  assert_int_equal(deliver_at(f, T0), 3);
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, TRUE, NULL);
  assert_int_equal(rows->len, 3);
  for (guint i = 0; i < rows->len; i++) {
    IgOutboxRec *r = g_ptr_array_index(rows, i);
    assert_int_equal(r->attempts, 1);
    assert_string_equal(r->next_attempt_at, "2026-11-23T10:01:00Z");
    assert_string_equal(r->last_error, "disk gone");
  }
  f->transport.flush_code = 0;
  assert_int_equal(deliver_at(f, "2026-11-23T10:00:59Z"), 0);
  assert_int_equal(f->transport.flushes, 1);
  assert_int_equal(deliver_at(f, "2026-11-23T10:01:00Z"), 0);
  g_autoptr(GPtrArray) left = store_list_outbox(f->store, TRUE, NULL);
  assert_int_equal(left->len, 0);
}

/* --- claims --- */

/* A PID no process can have: the kernel hands out PIDs below pid_max. */
static long dead_pid(void)
{
  g_autofree char *text = NULL;
  assert_true(g_file_get_contents("/proc/sys/kernel/pid_max", &text, NULL, NULL));
  return atol(text);
}

static void claim_as(Fixture *f, const char *owner)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IgOutboxRec) r = store_outbox_claim(f->store, T0, owner, "2026-11-23T10:10:00Z",
                                                &error);
  assert_non_null(r);
}

/* A claim of a dead process on this host is released at once and its
 * mail sent; a claim of a live one, or from another host (whose
 * processes cannot be looked at), is kept until it lapses. */
static void test_claims_of_dead_and_remote_processes(void **state)
{
  Fixture *f = *state;
  queue_row(f, "mail", "ack", "a@x.gov.uk");
  queue_row(f, "mail", "ack", "b@x.gov.uk");
  queue_row(f, "mail", "ack", "c@x.gov.uk");
  const char *host = g_get_host_name();
  long pid = dead_pid();
  g_autofree char *dead = g_strdup_printf("%s %ld", host, pid);
  /* The same PID on another host (a name as long as ours): it means
   * nothing here. */
  g_autofree char *other_host = g_strnfill(strlen(host), host[0] == 'z' ? 'y' : 'z');
  g_autofree char *remote = g_strdup_printf("%s %ld", other_host, pid);
  g_autofree char *live = g_strdup_printf("%s %ld", host, (long)getppid());
  claim_as(f, dead);
  claim_as(f, remote);
  claim_as(f, live);
  assert_int_equal(deliver_at(f, "2026-11-23T10:05:00Z"), 0);
  assert_int_equal(f->transport.calls, 1);
  g_autoptr(GPtrArray) pending = store_list_outbox(f->store, TRUE, NULL);
  assert_int_equal(pending->len, 2); /* newest first */
  assert_string_equal(((IgOutboxRec *)g_ptr_array_index(pending, 0))->to, "c@x.gov.uk");
  assert_string_equal(((IgOutboxRec *)g_ptr_array_index(pending, 1))->to, "b@x.gov.uk");

  assert_int_equal(deliver_at(f, "2026-11-23T10:10:01Z"), 0); /* lapsed */
  assert_int_equal(f->transport.calls, 3);
}

/* A claim of this very process is left by an earlier pass that the store
 * failed before its rows were marked (a database restarting under it):
 * released at the next pass, not held until it lapses. */
static void test_own_claim_released_at_next_pass(void **state)
{
  Fixture *f = *state;
  queue_row(f, "mail", "ack", "a@x.gov.uk");
  g_autofree char *own = g_strdup_printf("%s %ld", g_get_host_name(), (long)getpid());
  claim_as(f, own);
  assert_int_equal(deliver_at(f, "2026-11-23T10:05:00Z"), 0);
  assert_int_equal(f->transport.calls, 1);
  g_autoptr(GPtrArray) pending = store_list_outbox(f->store, TRUE, NULL);
  assert_int_equal(pending->len, 0);
}

/* Another process holds the store's write lock: delivery stops with the
 * cause (transient), and nothing is sent meanwhile. */
static void test_busy_store_stops_delivery(void **state)
{
  Fixture *f = *state;
  /* On PostgreSQL a claim waits for no lock: rows another process is
   * claiming are passed over (test_outbox_claims of test_store). */
  if (test_on_pg())
    skip();
  queue_row(f, "mail", "ack", "a@x.gov.uk");
  sqlite3_busy_timeout(f->store->db, 0);
  sqlite3 *other = NULL;
  assert_int_equal(sqlite3_open(f->config->database, &other), SQLITE_OK);
  assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  g_autoptr(GDateTime) now = iso_parse(T0);
  g_autoptr(GError) error = NULL;
  guint sent = 9, failed = 9;
  assert_false(outbox_deliver(f->store, f->config, &f->transport.base, now, &sent, &failed,
                              &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_TRANSIENT));
  assert_non_null(strstr(error->message, "database is locked"));
  assert_int_equal(sent + failed, 0);
  assert_int_equal(f->transport.calls, 0);
  sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(other);
}

/* --- queueing --- */

/* A recipient that is not an address is refused when the mail is queued,
 * naming the template, and nothing is queued. */
static void test_queue_refuses_bad_recipient(void **state)
{
  Fixture *f = *state;
  const char *src = g_getenv("IG_SOURCE_DIR");
  g_autofree char *dir = g_build_filename(src ? src : ".", "templates", NULL);
  g_autoptr(IgTemplates) templates = templates_new(dir);
  g_autoptr(GDateTime) now = iso_parse(T0);
  const char *to[] = { "ost@x.gov.uk", "two words", NULL };
  IgMailRequest req = { .template_name = "notify_ost", .to = to };
  g_autoptr(GError) error = NULL;
  assert_false(outbox_queue_mail(f->store, f->config, templates, now, &req, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_INPUT));
  assert_true(g_str_has_prefix(error->message, "notify_ost mail: recipient "));
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, NULL);
  assert_int_equal(rows->len, 0);
}

/* A mail with an HTML part goes as multipart/alternative, the loop mark
 * in both parts (a reply may quote either), the same Message-ID at every
 * retry: the row holds the composed message. */
static void test_queue_html_alternative(void **state)
{
  Fixture *f = *state;
  const char *src = g_getenv("IG_SOURCE_DIR");
  g_autofree char *dir = g_build_filename(src ? src : ".", "templates", NULL);
  g_autoptr(IgTemplates) templates = templates_new(dir);
  g_autoptr(GDateTime) now = iso_parse(T0);
  const char *to[] = { "m1@x.gov.uk", "m2@x.gov.uk", NULL };
  g_autoptr(GHashTable) vars = g_hash_table_new(g_str_hash, g_str_equal);
  IgMailRequest req = { .template_name = "notify_ost", .vars = vars, .to = to,
                        .html = "<html><body><p>Hello</p></body></html>" };
  g_autoptr(GError) error = NULL;
  assert_true(outbox_queue_mail(f->store, f->config, templates, now, &req, &error));
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, &error);
  assert_int_equal(rows->len, 1);
  const IgOutboxRec *r = g_ptr_array_index(rows, 0);
  assert_string_equal(r->to, "m1@x.gov.uk, m2@x.gov.uk");
  g_autoptr(GBytes) body = store_outbox_body(f->store, r->id, &error);
  g_autofree char *raw = g_strndup(g_bytes_get_data(body, NULL), g_bytes_get_size(body));
  const char *alt = strstr(raw, "Content-Type: multipart/alternative");
  const char *plain = strstr(raw, "Content-Type: text/plain");
  const char *html = strstr(raw, "Content-Type: text/html");
  assert_true(alt && plain && html && alt < plain && plain < html);
  assert_non_null(strstr(plain, "Incident-Gateway: security@justice.gov.uk\r\n"));
  assert_non_null(strstr(html, "<p>Hello</p><p style=\"color:#888888;font-size:11px\">-- <br>"
                               "Incident-Gateway: security@justice.gov.uk</p>\r\n</body></html>"));
}

/* --- webhooks --- */

/* An event queues one row per hook subscribed to it, none for others. */
static void test_webhook_queued_for_subscribers(void **state)
{
  Fixture *f = *state;
  g_autoptr(IgIncident) inc = incident_new();
  inc->reference = g_strdup("INC-2026-000001");
  inc->status = g_strdup("new");
  g_autoptr(GDateTime) now = iso_parse(T0);
  g_autoptr(GError) error = NULL;
  assert_true(webhook_queue(f->store, f->config, now, "created", inc, NULL, &error));
  assert_true(webhook_queue(f->store, f->config, now, "closed", inc, NULL, &error));
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, &error);
  assert_int_equal(rows->len, 2);
  g_autoptr(GString) names = g_string_new(NULL);
  for (guint i = 0; i < rows->len; i++) {
    IgOutboxRec *r = g_ptr_array_index(rows, i);
    assert_string_equal(r->kind, "webhook");
    assert_string_equal(r->subject, "created");
    g_string_append_printf(names, "%s=%s ", r->template_name, r->to);
  }
  assert_string_equal(names->str, "pager=http://127.0.0.1:9/pager siem=http://127.0.0.1:9/siem ");
}

static int deny_insert(void *data, int action, const char *table, const char *b,
                       const char *db, const char *trigger)
{
  return action == SQLITE_INSERT && g_strcmp0(table, "outbox") == 0 ? SQLITE_DENY : SQLITE_OK;
}

/* An event that cannot be queued, because the store refuses the row (an
 * authorizer stands in for the fault) or because its detail is not UTF-8
 * and so no JSON: an error naming the cause, and nothing queued. */
static void test_webhook_not_queued(void **state)
{
  Fixture *f = *state;
  g_autoptr(IgIncident) inc = incident_new();
  inc->reference = g_strdup("INC-2026-000001");
  inc->status = g_strdup("new");
  g_autoptr(GDateTime) now = iso_parse(T0);

  /* The insert refused: by an authorizer on SQLite, a trigger on
   * PostgreSQL. */
  if (test_on_pg())
    test_pg_exec(f->database, "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
                 " $$BEGIN RAISE EXCEPTION 'not authorized'; END$$;"
                 " CREATE TRIGGER refuse BEFORE INSERT ON outbox"
                 " FOR EACH ROW EXECUTE FUNCTION refuse()");
  else
    sqlite3_set_authorizer(f->store->db, deny_insert, NULL);
  g_autoptr(GError) refused = NULL;
  gboolean queued = webhook_queue(f->store, f->config, now, "created", inc, NULL, &refused);
  if (test_on_pg())
    test_pg_exec(f->database, "DROP TRIGGER refuse ON outbox");
  else
    sqlite3_set_authorizer(f->store->db, NULL, NULL);
  assert_false(queued);
  assert_true(g_error_matches(refused, IG_ERROR, IG_ERROR_RUNTIME));
  assert_non_null(strstr(refused->message, "not authorized"));

  g_autoptr(GError) encoding = NULL;
  assert_false(webhook_queue(f->store, f->config, now, "created", inc, "impact: \xff", &encoding));
  assert_true(g_error_matches(encoding, IG_ERROR, IG_ERROR_RUNTIME));
  assert_string_equal(encoding->message, "webhook siem: cannot encode JSON");

  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = store_list_outbox(f->store, FALSE, &error);
  assert_int_equal(rows->len, 0);
}

/* A row for a hook removed from the configuration, or whose secret file
 * has gone, fails naming it, before anything is posted. */
static void test_webhook_gone_or_secret_gone(void **state)
{
  Fixture *f = *state;
  g_autoptr(IgOutboxRec) r = g_new0(IgOutboxRec, 1);
  r->kind = g_strdup("webhook");
  r->template_name = g_strdup("old-siem");
  r->to = g_strdup("http://127.0.0.1:9/old");
  r->body = g_bytes_new_static("{}", 2);
  g_autoptr(GError) error = NULL;
  assert_false(webhook_post(f->config, r, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_CONFIG));
  assert_string_equal(error->message, "webhook old-siem is no longer configured");

  g_autofree char *secret = g_build_filename(f->dir, "siem.secret", NULL);
  assert_int_equal(g_unlink(secret), 0);
  g_free(r->template_name);
  r->template_name = g_strdup("siem");
  g_autoptr(GError) error2 = NULL;
  assert_false(webhook_post(f->config, r, &error2));
  assert_non_null(strstr(error2->message, secret));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_backoff_then_give_up),
    T(test_retry_then_sent),
    T(test_input_error_gives_up_at_once),
    T(test_groups_marked_after_their_flush),
    T(test_failed_flush_retries_the_group),
    T(test_claims_of_dead_and_remote_processes),
    T(test_own_claim_released_at_next_pass),
    T(test_busy_store_stops_delivery),
    T(test_queue_refuses_bad_recipient),
    T(test_queue_html_alternative),
    T(test_webhook_queued_for_subscribers),
    T(test_webhook_not_queued),
    T(test_webhook_gone_or_secret_gone),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

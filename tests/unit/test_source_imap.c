/* test_source_imap.c - unit tests for gateway/source_imap.c against the
 * scripted server of imap_script.h (the real-Dovecot runs are in
 * tests/integration/). A batch is the oldest waiting messages, whole or,
 * when oversized, their header, bounded by count and bytes; only recorded
 * mail is moved (MOVE, else COPY + \Deleted + EXPUNGE). When the server
 * fails any step after a good start the source says which step and what
 * the server said, reports nothing it did not do, leaves the mail where
 * it was (no MOVE, STORE or EXPUNGE after the failure) and drops the
 * connection, retried after a backoff; a failed IDLE reconnects at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "gateway/config.h"
#include "gateway/error.h"
#include "gateway/source.h"
#include "tests/unit/imap_script.h"

static char *dir;

static int make_dir(void **state)
{
  dir = g_dir_make_tmp("ig-imap-XXXXXX", NULL);
  g_autofree char *pass = g_build_filename(dir, "pass", NULL);
  return dir && g_file_set_contents(pass, "secret\n", -1, NULL) && chmod(pass, 0600) == 0 ? 0 : -1;
}

static int remove_dir(void **state)
{
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  g_clear_pointer(&dir, g_free);
  return 0;
}

/* A configuration for the scripted server on port: url scheme, then the
 * extra [source] lines, then the password file unless extra names a way
 * to log in ("oauth2_token_command" or "# no login"). */
static IgConfig *config_for(const char *scheme, guint16 port, const char *extra)
{
  gboolean password = !strstr(extra, "oauth2") && !strstr(extra, "no login");
  g_autofree char *text = g_strdup_printf(
      "[gateway]\ndatabase = %s/g.db\nmax_message_size = 1KB\n"
      "[stakeholders]\nost = ost@justice.gov.uk\n[source]\n"
      "url = %s://127.0.0.1:%u/INBOX\nuser = gw\n%s%s%s%s", dir, scheme, port, extra,
      password ? "password_file = " : "", password ? dir : "", password ? "/pass\n" : "");
  g_autoptr(GError) error = NULL;
  IgConfig *config = config_load_data(text, strlen(text), "test.conf", &error);
  if (!config)
    fail_msg("config: %s", error->message);
  return config;
}

static void expect_message(const GError *error, const char *want)
{
  assert_non_null(error);
  if (!strstr(error->message, want))
    print_error("\"%s\" not in \"%s\"\n", want, error->message);
  assert_non_null(strstr(error->message, want));
}

static void expect_in(const char *log, const char *want)
{
  if (!strstr(log, want))
    print_error("\"%s\" not in the server's log:\n%s", want, log);
  assert_non_null(strstr(log, want));
}

static void expect_not_in(const char *log, const char *unwanted)
{
  if (strstr(log, unwanted))
    print_error("\"%s\" in the server's log:\n%s", unwanted, log);
  assert_null(strstr(log, unwanted));
}

static guint count_in(const char *log, const char *what)
{
  guint n = 0;
  for (const char *p = log; (p = strstr(p, what)); p += strlen(what))
    n++;
  return n;
}

#define GREETING "S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] scripted server ready"
#define LOGIN_OK "C: LOGIN", "S: $ OK logged in"
#define CAPS(c) "C: CAPABILITY", "S: * CAPABILITY IMAP4rev1 " c "\n$ OK done"
#define SELECT_OK(validity) \
  "C: SELECT INBOX", "S: * 2 EXISTS\n* OK [UIDVALIDITY " validity "] ok\n$ OK [READ-WRITE] selected"
#define CONNECT(c) GREETING, LOGIN_OK, CAPS(c), SELECT_OK("7")
#define EMPTY "C: UID SEARCH ALL", "S: * SEARCH\n$ OK searched"
/* Two waiting messages of 19 bytes, fetched whole. */
#define TWO_WAITING                                                                 \
  "C: UID SEARCH ALL", "S: * SEARCH 1 2\n$ OK searched",                            \
  "C: UID FETCH 1,2 (UID RFC822.SIZE)",                                             \
  "S: * 1 FETCH (UID 1 RFC822.SIZE 19)\n* 2 FETCH (UID 2 RFC822.SIZE 19)\n$ OK fetched",    \
  "C: UID FETCH 1,2 (UID INTERNALDATE BODY.PEEK[])",                                \
  "S: * 1 FETCH (UID 1 BODY[] {19}\nSubject: one\n\n1\n)\n"                         \
  "* 2 FETCH (UID 2 BODY[] {19}\nSubject: two\n\n2\n)\n$ OK fetched"

typedef struct {
  ImapScript *server;
  IgConfig *config;
  IgSource *source;
} Run;

static Run run_start(const char *const *steps, const char *scheme, const char *extra)
{
  Run r = { imap_script_start(steps), NULL, NULL };
  r.config = config_for(scheme, imap_script_port(r.server), extra);
  g_autoptr(GError) error = NULL;
  r.source = source_open(r.config, &error);
  if (!r.source)
    fail_msg("source: %s", error->message);
  return r;
}

/* Closes the source, then the server; returns what the server received. */
static char *run_end(Run *r)
{
  source_free(r->source);
  char *log = imap_script_finish(r->server);
  config_free(r->config);
  return log;
}

static IgSourceMessage *nth(GPtrArray *messages, guint i)
{
  return g_ptr_array_index(messages, i);
}

/* Oldest first, at most max, whole with INTERNALDATE, the oversized one
 * by its header; FETCH answers without a UID or a body are no message.
 * Only the recorded messages leave, each to its folder. */
static void test_batch_and_move(void **state)
{
  static const char *const steps[] = {
    CONNECT("MOVE IDLE UIDPLUS"),
    "C: UID SEARCH ALL", "S: * SEARCH 4 3 1 2\n$ OK searched",
    "C: UID FETCH",
    "S: * 1 FETCH (UID 1 RFC822.SIZE 19)\n* 2 FETCH (UID 2 RFC822.SIZE 19)\n"
    "* 3 FETCH (UID 3 RFC822.SIZE 5000)\n* 4 FETCH (UID 4 RFC822.SIZE 19)\n"
    "* 9 FETCH (FLAGS (\\Seen))\n$ OK fetched",
    "C: UID FETCH 1,2 (UID INTERNALDATE BODY.PEEK[])",
    "S: * 1 FETCH (UID 1 INTERNALDATE \"23-Nov-2026 09:02:11 +0130\" BODY[] {19}\n"
    "Subject: one\n\n1\n)\n* 2 FETCH (FLAGS (\\Seen) UID 2 BODY[] {19}\nSubject: two\n\n2\n)\n"
    "* 7 FETCH (UID 7 FLAGS ())\n$ OK fetched",
    "C: UID FETCH 3 (UID INTERNALDATE BODY.PEEK[HEADER])",
    "S: * 3 FETCH (UID 3 INTERNALDATE \"31-Feb-2026 09:02:11 -0800\" BODY[HEADER] {16}\n"
    "Subject: three\n)\n$ OK fetched",
    "C: UID MOVE 1 Processed", "S: * 1 EXPUNGE\n$ OK moved",
    "C: UID MOVE 3 Quarantine", "S: * 2 EXPUNGE\n$ OK moved",
    NULL
  };
  Run r = run_start(steps, "imap", "tls = none\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = r.source->fetch(r.source, 3, &error);
  assert_non_null(batch);
  assert_null(error);
  assert_int_equal(batch->len, 3);
  assert_int_equal(nth(batch, 0)->uid, 1);
  assert_string_equal(nth(batch, 0)->name, "imap:INBOX/1");
  assert_int_equal(nth(batch, 0)->size, 19);
  assert_int_equal(g_bytes_get_size(nth(batch, 0)->raw), 19);
  assert_memory_equal(g_bytes_get_data(nth(batch, 0)->raw, NULL), "Subject: one\r\n\r\n1\r\n", 19);
  g_autofree char *arrived = g_date_time_format_iso8601(nth(batch, 0)->arrived);
  assert_string_equal(arrived, "2026-11-23T07:32:11Z");
  assert_int_equal(nth(batch, 1)->uid, 2);
  assert_null(nth(batch, 1)->arrived);
  assert_int_equal(nth(batch, 2)->uid, 3);
  assert_int_equal(nth(batch, 2)->size, 5000);
  assert_int_equal(g_bytes_get_size(nth(batch, 2)->raw), 16);
  assert_null(nth(batch, 2)->arrived);

  nth(batch, 0)->recorded = TRUE;
  nth(batch, 2)->recorded = nth(batch, 2)->quarantine = TRUE;
  assert_true(r.source->finish(r.source, batch, &error));
  g_autofree char *log = run_end(&r);
  assert_string_equal(log, "LOGIN gw secret\nCAPABILITY\nSELECT INBOX\nUID SEARCH ALL\n"
                           "UID FETCH 4,3,1,2 (UID RFC822.SIZE)\n"
                           "UID FETCH 1,2 (UID INTERNALDATE BODY.PEEK[])\n"
                           "UID FETCH 3 (UID INTERNALDATE BODY.PEEK[HEADER])\n"
                           "UID MOVE 1 Processed\nUID MOVE 3 Quarantine\nLOGOUT\n");
}

/* Scripts of a server that fails one step after a good start. */
#define ONE_WAITING(size)                                                    \
  "C: UID SEARCH ALL", "S: * SEARCH 1\n$ OK searched",                       \
  "C: UID FETCH 1 (UID RFC822.SIZE)", "S: * 1 FETCH (UID 1 RFC822.SIZE " size ")\n$ OK fetched"
/* A reconnection the source must not make yet: it would meet a BYE. */
#define NO_RETRY "ACCEPT", "S: * BYE not again"
static const char *const login_no[] = {
  GREETING, "C: LOGIN", "S: $ NO [AUTHENTICATIONFAILED] Invalid credentials (scripted)",
  NO_RETRY, NULL };
static const char *const capability_bad[] = {
  GREETING, LOGIN_OK, "C: CAPABILITY", "S: $ BAD capability not today", NO_RETRY, NULL };
static const char *const select_no[] = {
  GREETING, LOGIN_OK, CAPS("MOVE"), "C: SELECT INBOX", "S: $ NO Mailbox doesn't exist: INBOX",
  NO_RETRY, NULL };
static const char *const search_bad[] = {
  CONNECT("MOVE"), "C: UID SEARCH ALL", "S: $ BAD Error in IMAP command UID", NO_RETRY, NULL };
static const char *const search_no[] = {
  CONNECT("MOVE"), "C: UID SEARCH ALL", "S: * SEARCH 1 2\n$ NO [SERVERBUG] Internal error", NO_RETRY, NULL };
static const char *const sizes_no[] = {
  CONNECT("MOVE"), "C: UID SEARCH ALL", "S: * SEARCH 1\n$ OK searched",
  "C: UID FETCH 1 (UID RFC822.SIZE)", "S: $ NO [UNAVAILABLE] sizes unknown", NO_RETRY, NULL };
static const char *const bodies_no[] = {
  CONNECT("MOVE"), ONE_WAITING("19"), "C: UID FETCH 1 (UID INTERNALDATE BODY.PEEK[])",
  "S: $ NO [UNAVAILABLE] message unreadable", NO_RETRY, NULL };
static const char *const bodies_cut[] = {
  CONNECT("MOVE"), ONE_WAITING("19"), "C: UID FETCH 1 (UID INTERNALDATE BODY.PEEK[])",
  "S: * 1 FETCH (UID 1 BODY[] {19}\nSubject: o", "CLOSE", NO_RETRY, NULL };
static const char *const header_no[] = {
  CONNECT("MOVE"), ONE_WAITING("5000"), "C: UID FETCH 1 (UID INTERNALDATE BODY.PEEK[HEADER])",
  "S: $ NO [UNAVAILABLE] header unreadable", NO_RETRY, NULL };
static const char *const tls_cut[] = { "CLOSE", NO_RETRY, NULL };
static const char *const starttls_no[] = {
  GREETING, "C: STARTTLS", "S: $ NO [UNAVAILABLE] no TLS here", NO_RETRY, NULL };
static const char *const xoauth2_no[] = {
  GREETING, "C: AUTHENTICATE XOAUTH2", "S: $ NO [AUTHENTICATIONFAILED] token expired",
  NO_RETRY, NULL };
static const char *const greeting_only[] = { GREETING, NO_RETRY, NULL };

typedef struct {
  const char *const *steps;
  const char *scheme, *extra;
  const char *step;         /* the error names it */
  const char *server_said;  /* and quotes the server, when it said something */
} Failure;

static const Failure failures[] = {
  { login_no, "imap", "tls = none\n", "login failed", "Invalid credentials (scripted)" },
  { capability_bad, "imap", "tls = none\n", "CAPABILITY failed", "capability not today" },
  { select_no, "imap", "tls = none\n", "SELECT failed", "Mailbox doesn't exist: INBOX" },
  { search_bad, "imap", "tls = none\n", "UID SEARCH failed", "Error in IMAP command UID" },
  { search_no, "imap", "tls = none\n", "UID SEARCH failed", "Internal error" },
  { sizes_no, "imap", "tls = none\n", "UID FETCH RFC822.SIZE failed", "sizes unknown" },
  { bodies_no, "imap", "tls = none\n", "UID FETCH BODY.PEEK[] failed", "message unreadable" },
  { bodies_cut, "imap", "tls = none\n", "UID FETCH BODY.PEEK[] failed", NULL },
  { header_no, "imap", "tls = none\n", "UID FETCH BODY.PEEK[] failed", "header unreadable" },
  { tls_cut, "imaps", "", "TLS connection failed", NULL },
  { starttls_no, "imap", "", "STARTTLS failed", "no TLS here" },
  { xoauth2_no, "imap", "tls = none\noauth2_token_command = echo t0ken\n", "XOAUTH2 login failed",
    "token expired" },
  { greeting_only, "imap", "tls = none\noauth2_token_command = false\n", "[source]", NULL },
  { greeting_only, "imap", "tls = none\n# no login\n",
    "test.conf: [source] needs password_file or oauth2_token_command", NULL },
};

/* Each failure is an error naming the host, the step and what the server
 * said; the connection is dropped and not retried before the backoff; the
 * mail stays (no MOVE, STORE or EXPUNGE); nothing can be finished. */
static void test_fetch_failures(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(failures); i++) {
    const Failure *f = &failures[i];
    Run r = run_start(f->steps, f->scheme, f->extra);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) batch = r.source->fetch(r.source, 10, &error);
    assert_null(batch);
    expect_message(error, f->step);
    g_autofree char *where = g_strdup_printf("IMAP 127.0.0.1:%u: ", imap_script_port(r.server));
    if (!strstr(f->step, "test.conf"))
      expect_message(error, where);
    if (f->server_said)
      expect_message(error, f->server_said);
    g_clear_error(&error);

    g_autoptr(GPtrArray) later = r.source->fetch(r.source, 10, &error);
    assert_non_null(later);
    assert_null(error);
    assert_int_equal(later->len, 0);
    assert_true(r.source->wait(r.source, -1, 0, &error));
    assert_true(r.source->finish(r.source, later, &error));
    IgSourceMessage *m = g_new0(IgSourceMessage, 1);
    m->uid = 1;
    m->recorded = TRUE;
    g_ptr_array_add(later, m);
    assert_false(r.source->finish(r.source, later, &error));
    expect_message(error, "connection lost before recorded mail could be moved");

    g_autofree char *log = run_end(&r);
    expect_not_in(log, "MOVE");
    expect_not_in(log, "STORE");
    expect_not_in(log, "EXPUNGE");
    expect_not_in(log, "unexpected");
    assert_true(g_str_has_suffix(log, "no connection\n"));
  }
}

/* The connection cannot be made at all. */
static void test_connection_refused(void **state)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
  assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
  close(fd);
  g_autoptr(IgConfig) config = config_for("imap", ntohs(addr.sin_port), "tls = none\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(IgSource) source = source_open(config, &error);
  assert_non_null(source);
  assert_null(source->fetch(source, 1, &error));
  expect_message(error, "connection failed");
}

/* Two recorded messages: 1 for Processed, 2 for Quarantine. */
static const char *const move_no[] = {
  CONNECT("MOVE"), TWO_WAITING,
  "C: UID MOVE 1 Processed", "S: $ NO [TRYCREATE] Mailbox doesn't exist: Processed", NO_RETRY,
  NULL };
static const char *const move_second_no[] = {
  CONNECT("MOVE"), TWO_WAITING, "C: UID MOVE 1 Processed", "S: * 1 EXPUNGE\n$ OK moved",
  "C: UID MOVE 2 Quarantine", "S: $ NO [OVERQUOTA] Quota exceeded", NO_RETRY, NULL };
static const char *const copy_no[] = {
  CONNECT("UIDPLUS"), TWO_WAITING,
  "C: UID COPY 1 Processed", "S: $ NO [TRYCREATE] Mailbox doesn't exist: Processed", NO_RETRY,
  NULL };
static const char *const copy_cut[] = {
  CONNECT("UIDPLUS"), TWO_WAITING, "C: UID COPY 1 Processed", "CLOSE", NO_RETRY, NULL };
static const char *const store_no[] = {
  CONNECT("UIDPLUS"), TWO_WAITING, "C: UID COPY 1 Processed", "S: $ OK copied",
  "C: UID STORE 1 +FLAGS (\\Deleted)", "S: $ NO [CANNOT] read-only mailbox", NO_RETRY, NULL };
static const char *const uid_expunge_no[] = {
  CONNECT("UIDPLUS"), TWO_WAITING, "C: UID COPY 1 Processed", "S: $ OK copied",
  "C: UID STORE 1 +FLAGS (\\Deleted)", "S: * 1 FETCH (FLAGS (\\Deleted))\n$ OK stored",
  "C: UID EXPUNGE 1", "S: $ NO [EXPUNGEISSUED] expunge refused", NO_RETRY, NULL };
static const char *const expunge_no[] = {
  CONNECT(""), TWO_WAITING, "C: UID COPY 1 Processed", "S: $ OK copied",
  "C: UID STORE 1 +FLAGS (\\Deleted)", "S: $ OK stored",
  "C: EXPUNGE", "S: $ NO expunge refused", NO_RETRY, NULL };
static const char *const fallback_uidplus[] = {
  CONNECT("UIDPLUS"), TWO_WAITING,
  "C: UID COPY 1 Processed", "S: $ OK copied", "C: UID STORE 1 +FLAGS (\\Deleted)", "S: $ OK stored",
  "C: UID EXPUNGE 1", "S: * 1 EXPUNGE\n$ OK expunged",
  "C: UID COPY 2 Quarantine", "S: $ OK copied", "C: UID STORE 2 +FLAGS (\\Deleted)", "S: $ OK stored",
  "C: UID EXPUNGE 2", "S: * 1 EXPUNGE\n$ OK expunged", NULL };
static const char *const fallback_plain[] = {
  CONNECT(""), TWO_WAITING,
  "C: UID COPY 1 Processed", "S: $ OK copied", "C: UID STORE 1 +FLAGS (\\Deleted)", "S: $ OK stored",
  "C: EXPUNGE", "S: * 1 EXPUNGE\n$ OK expunged",
  "C: UID COPY 2 Quarantine", "S: $ OK copied", "C: UID STORE 2 +FLAGS (\\Deleted)", "S: $ OK stored",
  "C: EXPUNGE", "S: * 1 EXPUNGE\n$ OK expunged", NULL };

typedef struct {
  const char *const *steps;
  const char *step;         /* in the error; NULL: both moved */
  const char *server_said;
  const char *not_sent;     /* what must not follow the failure */
} MoveCase;

static const MoveCase moves[] = {
  { move_no, "UID MOVE failed", "Mailbox doesn't exist: Processed", "UID MOVE 2" },
  { move_second_no, "UID MOVE failed", "Quota exceeded", "EXPUNGE\n" },
  { copy_no, "UID COPY failed", "Mailbox doesn't exist: Processed", "STORE" },
  { copy_cut, "UID COPY failed", NULL, "STORE" },
  { store_no, "UID STORE \\Deleted failed", "read-only mailbox", "EXPUNGE" },
  { uid_expunge_no, "EXPUNGE failed", "expunge refused", "UID COPY 2" },
  { expunge_no, "EXPUNGE failed", "expunge refused", "UID COPY 2" },
  { fallback_uidplus, NULL, NULL, "UID MOVE" },
  { fallback_plain, NULL, NULL, "UID EXPUNGE" },
};

/* The recorded mail leaves by MOVE, else COPY + \Deleted + EXPUNGE; a step
 * the server refuses is an error naming it, and nothing after it is sent. */
static void test_moves(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(moves); i++) {
    const MoveCase *c = &moves[i];
    Run r = run_start(c->steps, "imap", "tls = none\n");
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) batch = r.source->fetch(r.source, 10, &error);
    assert_non_null(batch);
    assert_int_equal(batch->len, 2);
    nth(batch, 0)->recorded = TRUE;
    nth(batch, 1)->recorded = nth(batch, 1)->quarantine = TRUE;
    gboolean ok = r.source->finish(r.source, batch, &error);
    if (c->step) {
      assert_false(ok);
      expect_message(error, c->step);
      if (c->server_said)
        expect_message(error, c->server_said);
      g_clear_error(&error);
      g_autoptr(GPtrArray) later = r.source->fetch(r.source, 10, &error);
      assert_non_null(later);
      assert_int_equal(later->len, 0);
    } else {
      assert_true(ok);
    }
    assert_null(error);
    g_autofree char *log = run_end(&r);
    expect_not_in(log, c->not_sent);
    expect_not_in(log, "unexpected");
    expect_not_in(log, "unscripted");
    if (c->step)
      assert_true(g_str_has_suffix(log, "no connection\n"));
    else
      assert_true(g_str_has_suffix(log, "LOGOUT\n"));
  }
}

/* Waiting: IDLE until the server announces mail or wake_fd is readable;
 * a refused or broken IDLE drops the connection, retried after the
 * backoff; without IDLE only wake_fd or the timeout end the wait. */
static const char *const idle_announced[] = {
  CONNECT("IDLE"), EMPTY, "C: IDLE", "S: + idling\n* 3 EXISTS",
  "C: DONE", "S: $ OK idle done", EMPTY, NULL };
static const char *const idle_woken[] = {
  CONNECT("IDLE"), EMPTY, "C: IDLE", "S: + idling", "C: DONE", "S: $ OK idle done", EMPTY, NULL };
static const char *const idle_refused[] = {
  CONNECT("IDLE"), EMPTY, "C: IDLE", "S: $ NO [LIMIT] too many IDLE sessions", NO_RETRY, NULL };
static const char *const idle_cut[] = {
  CONNECT("IDLE"), EMPTY, "C: IDLE", "S: + idling", "CLOSE", NO_RETRY, NULL };
static const char *const idle_done_bad[] = {
  CONNECT("IDLE"), EMPTY, "C: IDLE", "S: + idling\n* 3 EXISTS", "C: DONE",
  "S: $ BAD DONE expected", NO_RETRY, NULL };
static const char *const no_idle[] = { CONNECT(""), EMPTY, EMPTY, NULL };

typedef struct {
  const char *const *steps;
  gboolean wake;            /* wake_fd is readable when the wait starts */
  gboolean stays;           /* the connection outlives the wait */
} WaitCase;

static const WaitCase waits[] = {
  { idle_announced, FALSE, TRUE },
  { idle_woken, TRUE, TRUE },
  { idle_refused, FALSE, FALSE },
  { idle_cut, FALSE, FALSE },
  { idle_done_bad, FALSE, FALSE },
  { no_idle, TRUE, TRUE },
};

static void test_wait(void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS(waits); i++) {
    const WaitCase *c = &waits[i];
    Run r = run_start(c->steps, "imap", "tls = none\n");
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) first = r.source->fetch(r.source, 10, &error);
    assert_non_null(first);
    int wake[2];
    assert_int_equal(pipe(wake), 0);
    if (c->wake)
      assert_int_equal(write(wake[1], "x", 1), 1);
    /* Far longer than the test may take: only what the case says ends it. */
    assert_true(r.source->wait(r.source, wake[0], 600 * 1000, &error));
    assert_null(error);
    close(wake[0]);
    close(wake[1]);
    g_autoptr(GPtrArray) second = r.source->fetch(r.source, 10, &error);
    assert_non_null(second);
    assert_null(error);
    assert_int_equal(second->len, 0);
    g_autofree char *log = run_end(&r);
    expect_not_in(log, "unexpected");
    expect_not_in(log, "unscripted");
    assert_int_equal(count_in(log, "LOGIN"), 1);
    assert_int_equal(count_in(log, "UID SEARCH"), c->stays ? 2 : 1);
    assert_true(g_str_has_suffix(log, c->stays ? "LOGOUT\n" : "no connection\n"));
    assert_int_equal(count_in(log, "IDLE"), c->steps == no_idle ? 0 : 1);
  }
}

/* A backoff that runs out lets the next fetch reconnect (to a mailbox
 * whose UIDVALIDITY changed meanwhile: its UIDs are simply read afresh). */
static void test_backoff_ends(void **state)
{
  static const char *const steps[] = {
    CONNECT(""), "C: UID SEARCH ALL", "S: $ NO [UNAVAILABLE] try later", "ACCEPT",
    GREETING, LOGIN_OK, CAPS(""), SELECT_OK("8"), EMPTY, NULL };
  Run r = run_start(steps, "imap", "tls = none\n");
  g_autoptr(GError) error = NULL;
  assert_null(r.source->fetch(r.source, 10, &error));
  expect_message(error, "try later");
  g_clear_error(&error);
  /* The first backoff is a second: the wait ends then, not at its timeout. */
  gint64 start = g_get_monotonic_time();
  assert_true(r.source->wait(r.source, -1, 600 * 1000, &error));
  gint64 waited_ms = (g_get_monotonic_time() - start) / 1000;
  assert_in_range(waited_ms, 900, 5000);
  g_autoptr(GPtrArray) batch = r.source->fetch(r.source, 10, &error);
  assert_non_null(batch);
  assert_null(error);
  g_autofree char *log = run_end(&r);
  assert_int_equal(count_in(log, "LOGIN"), 2);
  assert_true(g_str_has_suffix(log, "UID SEARCH ALL\nLOGOUT\n"));
}

/* XOAUTH2 with the token the command prints, then the same as a login. */
static void test_xoauth2(void **state)
{
  static const char *const steps[] = {
    GREETING, "C: AUTHENTICATE XOAUTH2", "S: $ OK authenticated", CAPS(""), SELECT_OK("7"), EMPTY,
    NULL };
  Run r = run_start(steps, "imap", "tls = none\noauth2_token_command = echo t0ken\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = r.source->fetch(r.source, 10, &error);
  assert_non_null(batch);
  g_autofree char *log = run_end(&r);
  static const char xoauth2[] = "user=gw\001auth=Bearer t0ken\001\001";
  g_autofree char *sasl = g_base64_encode((const guchar *)xoauth2, strlen(xoauth2));
  expect_in(log, sasl);
  expect_not_in(log, "LOGIN");
}

/* A batch stops at SOURCE_BATCH_BYTES (sizes as the server states them);
 * a single recorded message leaves alone. */
static void test_batch_bytes(void **state)
{
  static const char *const steps[] = {
    CONNECT("MOVE"), "C: UID SEARCH ALL", "S: * SEARCH 1 2\n$ OK searched",
    "C: UID FETCH 1,2 (UID RFC822.SIZE)",
    "S: * 1 FETCH (UID 1 RFC822.SIZE 20000000)\n* 2 FETCH (UID 2 RFC822.SIZE 20000000)\n$ OK done",
    "C: UID FETCH 1 (UID INTERNALDATE BODY.PEEK[])",
    "S: * 1 FETCH (UID 1 BODY[] {19}\nSubject: one\n\n1\n)\n$ OK fetched",
    "C: UID MOVE 1 Processed", "S: * 1 EXPUNGE\n$ OK moved", NULL };
  Run r = run_start(steps, "imap", "tls = none\n");
  r.config->max_message_size = 25 * 1024 * 1024;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = r.source->fetch(r.source, 10, &error);
  assert_non_null(batch);
  assert_int_equal(batch->len, 1);
  assert_int_equal(nth(batch, 0)->size, 20000000);
  nth(batch, 0)->recorded = TRUE;
  assert_true(r.source->finish(r.source, batch, &error));
  g_autofree char *log = run_end(&r);
  expect_not_in(log, "unexpected");
  expect_not_in(log, "Quarantine");
}

/* URL options right after the host are no part of it; a URL the source
 * cannot parse is a config error naming it. */
static void test_url(void **state)
{
  static const char *const steps[] = { CONNECT(""), EMPTY, NULL };
  ImapScript *server = imap_script_start(steps);
  g_autofree char *port = g_strdup_printf("%u;STARTTLS", imap_script_port(server));
  g_autoptr(IgConfig) config = config_for("imap", 0, "tls = none\n");
  g_free(config->source.url);
  config->source.url = g_strdup_printf("imap://127.0.0.1:%s", port);
  g_autoptr(GError) error = NULL;
  IgSource *source = source_open(config, &error);
  assert_non_null(source);
  g_autoptr(GPtrArray) batch = source->fetch(source, 10, &error);
  assert_non_null(batch);
  source_free(source);
  g_autofree char *log = imap_script_finish(server);
  expect_in(log, "SELECT INBOX\n");

  g_free(config->source.url);
  config->source.url = g_strdup("imap://127.0.0.1:99999/INBOX");
  assert_null(source_open(config, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_CONFIG));
  expect_message(error, "test.conf: [source] url = \"imap://127.0.0.1:99999/INBOX\"");
}

int main(void)
{
  /* Only a safety net: a source that hangs or spins fails the run. */
  alarm(60);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_batch_and_move),
    cmocka_unit_test(test_fetch_failures),
    cmocka_unit_test(test_connection_refused),
    cmocka_unit_test(test_moves),
    cmocka_unit_test(test_wait),
    cmocka_unit_test(test_backoff_ends),
    cmocka_unit_test(test_xoauth2),
    cmocka_unit_test(test_batch_bytes),
    cmocka_unit_test(test_url),
  };
  return cmocka_run_group_tests(tests, make_dir, remove_dir);
}

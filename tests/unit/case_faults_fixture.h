/* case_faults_fixture.h - the store refusing one write or one read, for
 * the case-logic fault tests (test_case_faults.c, test_case_faults_replies.c):
 * a trigger refusing a write, or a column the store may not read, stands
 * in for the fault on either backend (test_database.h; no mocks). Each
 * case is a row of a table (FaultCase), a cmocka test of its own run by
 * run_fault_case(): the message or the scheduler's run fails with the
 * store's error, and the same work succeeds, keeping what it should, once
 * the store accepts again. Include after cmocka.h. */
#ifndef IG_TEST_CASE_FAULTS_FIXTURE_H
#define IG_TEST_CASE_FAULTS_FIXTURE_H

#include "gateway/scheduler.h"
#include "gateway/store_db.h"
#include "tests/unit/intake_fixture.h"

#define SECTIONS "siro = siro@x.gov.uk\ndacu = dacu@x.gov.uk\n" \
                 "[ost]\nmembers = alice@x.gov.uk\n"
#define REFUSED "refused by the test"

/* extra: more configuration after [ost], or "". */
G_GNUC_UNUSED static Fixture *fixture_with(const char *auth, const char *extra)
{
  g_autofree char *sections = g_strdup_printf(SECTIONS "require_authentication = %s\n%s", auth,
                                              extra);
  return intake_fixture_new_with("", sections);
}

/* Writes of op ("INSERT" or "UPDATE") on table where the SQL condition
 * `when` holds (of NEW; "true": every write) fail until allow(). */
G_GNUC_UNUSED static void refuse(Fixture *f, const char *op, const char *table, const char *when)
{
  test_store_refuse(f->store, op, table, when, REFUSED);
}

/* Statements reading the column fail until allow() (test_store_hide()). */
G_GNUC_UNUSED static void hide(Fixture *f, Hidden *h)
{
  test_store_hide(f->store, h);
}

G_GNUC_UNUSED static void allow(Fixture *f)
{
  test_store_allow(f->store);
}

/* The error, NULL or not, is the store's for the refusal or the hidden
 * column. */
G_GNUC_UNUSED static gboolean refused(Fixture *f, const char *error)
{
  g_autofree char *hidden = test_hidden_reason(f->store, NULL);
  return error && (strstr(error, REFUSED) || strstr(error, hidden));
}

G_GNUC_UNUSED static IgIntakeItem ingest(Fixture *f, const char *raw)
{
  g_autoptr(GBytes) bytes = g_bytes_new(raw, strlen(raw));
  IgIntakeItem item = { .name = "test", .raw = bytes };
  assert_true(intake_batch(&f->ctx, &item, 1, NULL));
  return item;
}

G_GNUC_UNUSED static void set_now(Fixture *f, const char *iso)
{
  g_date_time_unref(f->now);
  f->now = iso_parse(iso);
  f->ctx.now = f->now;
}

/* raw fails while the store refuses, and is then recorded with the
 * outcome want: the failed attempt kept nothing. */
G_GNUC_UNUSED static void expect_refused_then(Fixture *f, const char *raw, IgIntakeOutcome want,
                                const char *what)
{
  IgIntakeItem item = ingest(f, raw);
  if (item.outcome != IG_INTAKE_FAILED || !refused(f, item.error))
    fail_msg("%s: outcome %s (%s), not failed by the refusal", what,
             intake_outcome_name(item.outcome), item.error ? item.error : "no error");
  intake_item_clear(&item);
  allow(f);
  item = ingest(f, raw);
  if (item.outcome != want)
    fail_msg("%s: then %s, not %s", what, intake_outcome_name(item.outcome),
             intake_outcome_name(want));
  intake_item_clear(&item);
  expect_verifies(f);
}

/* The scheduler at iso fails with the refusal, then succeeds, acting on
 * the same deadlines. */
G_GNUC_UNUSED static void expect_run_refused_then(Fixture *f, const char *iso, const char *what)
{
  set_now(f, iso);
  guint done = 0;
  g_autoptr(GError) error = NULL;
  if (scheduler_run_due(&f->ctx, &done, &error))
    fail_msg("%s: the scheduler ran at %s", what, iso);
  if (!refused(f, error ? error->message : NULL))
    fail_msg("%s: %s", what, error ? error->message : "no error");
  allow(f);
  g_clear_error(&error);
  if (!scheduler_run_due(&f->ctx, &done, &error))
    fail_msg("%s: then %s", what, error->message);
  assert_true(done > 0);
  expect_verifies(f);
}

/* A report from jane at 10:00 (a form, its impact as given, personal data
 * left out unless complete); its reference. */
G_GNUC_UNUSED static char *open_report(Fixture *f, const char *impact, gboolean complete)
{
  set_now(f, "2026-11-23T10:00:00Z");
  g_autofree char *raw = g_strdup_printf(
      "From: Jane Smith <jane@x.gov.uk>\nSubject: Lost laptop\nMessage-ID: <r%d@x>\n\n"
      "Reporter name: Jane Smith\nDate and time of detection: 23/11/2026 09:30\n"
      "Incident category: lost-or-stolen-equipment\nImpact: %s\n%s"
      "Description: I left my laptop on the train.\n", f->sent++, impact,
      complete ? "Personal data involved: no\n" : "");
  IgIntakeItem item = ingest(f, raw);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  char *ref = g_strdup(item.reference);
  intake_item_clear(&item);
  return ref;
}

G_GNUC_UNUSED static char *mail_to(Fixture *f, const char *from, const char *ref, const char *body)
{
  return g_strdup_printf("From: %s\nSubject: RE: [%s] Lost laptop\nMessage-ID: <m%d@x>\n\n%s",
                         from, ref, f->sent++, body);
}

/* Outsider n's mail (from sN@example.org) to ref, at 10:10, 10:20 or
 * 11:30 (n 0 to 2): the first is told to the OST at once, the second
 * held, the third comes after the hour. */
G_GNUC_UNUSED static char *outsider_mail(Fixture *f, const char *ref, int n)
{
  static const char *const at[] = { "2026-11-23T10:10:00Z", "2026-11-23T10:20:00Z",
                                    "2026-11-23T11:30:00Z" };
  set_now(f, at[n]);
  g_autofree char *from = g_strdup_printf("s%d@example.org", n);
  return mail_to(f, from, ref, "Is this about me?\n");
}

/* The first n outsiders' mails to ref, each attached. */
G_GNUC_UNUSED static void outsiders_before(Fixture *f, const char *ref, int n)
{
  for (int i = 0; i < n; i++) {
    g_autofree char *raw = outsider_mail(f, ref, i);
    IgIntakeItem item = ingest(f, raw);
    assert_int_equal(item.outcome, IG_INTAKE_ATTACHED);
    intake_item_clear(&item);
  }
}

typedef struct {
  const char *op, *table, *when;
} Refusal;

typedef struct FaultCase FaultCase;

/* Brings the store to the moment of the fault: returns the mail under
 * test, or NULL when what fails is the scheduler's run at c->at; sets
 * *ref to the reference of the incident the case is about, if any. */
typedef char *(*FaultSetup)(Fixture *f, const FaultCase *c, char **ref);

/* One case: a write refused (refuse.op set) or a column hidden, the work
 * failing with it, then done once the store accepts. */
struct FaultCase {
  const char *name;         /* cmocka's, and the failure messages' */
  const char *auth, *extra; /* fixture_with()'s; NULL: "none", "" */
  Refusal refuse;
  Hidden hide;              /* nth set: skipped on PostgreSQL */
  FaultSetup setup;
  IgIntakeOutcome want;     /* the mail's outcome once accepted */
  const char *status;       /* then the incident's status, if set */
  /* What the setups take. */
  const char *raw;          /* a mail as it is */
  const char *impact;       /* the report open_report() opens */
  gboolean complete;
  gboolean triaged;         /* by a member's Status: investigating */
  int outsiders;            /* how many outsiders' mails come first */
  const char *from, *body;  /* a mail_to() the report */
  const char *at;           /* when the scheduler runs */
};

/* A cmocka test named name_ running the case of the fields given. */
#define FAULT_CASE(name_, ...) \
  { name_, run_fault_case, NULL, NULL, &(FaultCase){ .name = name_, __VA_ARGS__ } }
/* A case whose fault is a write refused, named by it. */
#define REFUSED_CASE(op_, table_, when_, ...) \
  FAULT_CASE(op_ " " table_ " " when_, .refuse = { op_, table_, when_ }, __VA_ARGS__)
/* A case whose fault is a column hidden (test_store_hide()), named by
 * what and the column. */
#define HIDDEN_CASE(what, table_, column_, nth_, ...) \
  FAULT_CASE(what ": " table_ "." column_ " hidden", .hide = { table_, column_, nth_, 0 }, \
             __VA_ARGS__)

/* A report opened (c->impact, c->complete) and c->from's mail to it. */
G_GNUC_UNUSED static char *reply_to_report(Fixture *f, const FaultCase *c, char **ref)
{
  *ref = open_report(f, c->impact, c->complete);
  return mail_to(f, c->from, *ref, c->body);
}

G_GNUC_UNUSED static void run_fault_case(void **state)
{
  FaultCase *c = *state;
  /* PostgreSQL's privileges cannot refuse one statement of several. */
  if (c->hide.nth && test_on_pg())
    skip();
  /* A sample of the cases when IG_FAULT_STRIDE asks for one. */
  static int seen;
  if (seen++ % fault_stride() != 0)
    skip();
  Fixture *f = fixture_with(c->auth ? c->auth : "none", c->extra ? c->extra : "");
  g_autofree char *ref = NULL;
  g_autofree char *raw = c->setup(f, c, &ref);
  if (c->refuse.op)
    refuse(f, c->refuse.op, c->refuse.table, c->refuse.when);
  else
    hide(f, &c->hide);
  if (raw)
    expect_refused_then(f, raw, c->want, c->name);
  else
    expect_run_refused_then(f, c->at, c->name);
  if (c->status) {
    g_autoptr(IgIncident) inc = store_get_incident(f->store, ref, NULL);
    assert_string_equal(inc->status, c->status);
  }
  intake_fixture_free(f);
}

#endif

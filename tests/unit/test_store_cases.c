/* test_store_cases.c - unit tests for what the store keeps of a case as
 * OST runs it: an incident's fields written back (and refused for an
 * incident that is not there), a pending deadline ended once, management
 * reports (the newest counts), and the newest mail of a template about an
 * incident; each change is covered by the audit chain once its event is
 * added, and not before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "tests/unit/store_fixture.h"

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

static void expect_verified(Fixture *f, gboolean want)
{
  g_autoptr(GError) error = NULL;
  IgVerifyCounts n;
  gboolean ok = store_verify(f->store, &n, &error);
  if (ok != want)
    print_error("verify: %s\n", error ? error->message : "passed");
  assert_int_equal(ok, want);
}

static void test_update_incident(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 id = add_incident(f, "INC-2026-000001", "new", "low", T0);
  add_incident(f, "INC-2026-000002", "new", "low", T0);
  add_event(f, id, "created", "x");
  add_event(f, id + 1, "created", "y");
  g_autoptr(IgIncident) inc = store_get_incident(f->store, "INC-2026-000001", &error);
  check(inc != NULL, error);
  set(&inc->status, "triaged");
  set(&inc->impact, "high");
  set(&inc->owner, "bob@justice.gov.uk");
  inc->near_miss = 1;
  g_strfreev(inc->missing_fields);
  inc->missing_fields = g_strsplit("description,impact", ",", -1);
  check(store_update_incident(f->store, inc, &error), error);
  expect_verified(f, FALSE); /* changed, and no event says so yet */
  add_event(f, id, "status_changed", "new -> triaged");
  expect_verified(f, TRUE);

  g_autoptr(IgIncident) back = store_get_incident(f->store, "INC-2026-000001", &error);
  check(back != NULL, error);
  assert_int_equal(back->id, id);
  assert_string_equal(back->status, "triaged");
  assert_string_equal(back->impact, "high");
  assert_string_equal(back->owner, "bob@justice.gov.uk");
  assert_int_equal(back->near_miss, 1);
  assert_string_equal(back->missing_fields[1], "impact");
  assert_null(back->missing_fields[2]);
  g_autoptr(IgIncident) other = store_get_incident(f->store, "INC-2026-000002", &error);
  assert_string_equal(other->status, "new"); /* only the one named by its id */

  inc->id = 999;
  assert_false(store_update_incident(f->store, inc, &error));
  assert_non_null(strstr(error->message, "no incident INC-2026-000001"));
}

static void test_deadline_state(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 id = add_incident(f, "INC-2026-000001", "new", "low", T0);
  check(store_add_deadline(f->store, id, "form_reminder", T0, &error), error);
  check(store_add_deadline(f->store, id, "triage", T0, &error), error);
  gboolean changed = FALSE;
  check(store_set_deadline_state(f->store, id, "form_reminder", "done", &changed, &error),
        error);
  assert_true(changed);
  check(store_set_deadline_state(f->store, id, "form_reminder", "cancelled", &changed,
                                 &error), error);
  assert_false(changed); /* no longer pending: left as it ended */
  check(store_set_deadline_state(f->store, id + 1, "triage", "done", &changed, &error), error);
  assert_false(changed);
  g_autoptr(GPtrArray) rows = store_incident_deadlines(f->store, id, &error);
  check(rows != NULL, error);
  g_autofree char *states = sql_joined(f, "kind || '=' || state", " ", "deadlines", "kind");
  assert_string_equal(states, "form_reminder=done triage=pending");

  /* Set again, an ended deadline is pending again, at its new time. */
  check(store_add_deadline(f->store, id, "form_reminder", "2026-01-02T10:00:00Z", &error),
        error);
  g_autofree char *again = sql(f, "SELECT state || ' ' || due_at FROM deadlines"
                                  " WHERE kind = 'form_reminder'");
  assert_string_equal(again, "pending 2026-01-02T10:00:00Z");
  /* Due: every kind pending at or before the time, the earliest first. */
  g_autoptr(GPtrArray) due = store_due_deadlines(f->store, "2026-01-02T09:59:59Z", &error);
  check(due != NULL, error);
  assert_int_equal(due->len, 1);
  assert_string_equal(((const IgDeadlineRec *)g_ptr_array_index(due, 0))->kind, "triage");
  g_autoptr(GPtrArray) now_due = store_due_deadlines(f->store, "2026-01-02T10:00:00Z", &error);
  check(now_due != NULL, error);
  assert_int_equal(now_due->len, 2);
  const IgDeadlineRec *d = g_ptr_array_index(now_due, 1);
  assert_int_equal(d->incident_id, id);
  assert_string_equal(d->kind, "form_reminder");
  assert_int_equal(d->reminders, 0);
}

/* A reminder moves a deadline on and counts; an escalation ends it; a
 * deadline set again starts its count afresh. */
static void test_deadline_advance(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 id = add_incident(f, "INC-2026-000001", "new", "low", T0);
  check(store_add_deadline(f->store, id, "triage", "2026-01-01T10:00:00Z", &error), error);
  gboolean changed = FALSE;
  check(store_advance_deadline(f->store, id, "triage", "2026-01-01T11:00:00Z", "escalated",
                               &changed, &error), error);
  assert_true(changed);
  g_autofree char *moved = sql(f, "SELECT due_at || ' ' || next_at || ' ' || state || ' ' ||"
                                  " reminders_sent FROM deadlines");
  assert_string_equal(moved, "2026-01-01T10:00:00Z 2026-01-01T11:00:00Z pending 1");
  /* Read back as show --json prints it: due, next reminder, count. */
  g_autoptr(GPtrArray) advanced = store_incident_deadlines(f->store, id, &error);
  check(advanced != NULL, error);
  const IgDeadlineRec *a = g_ptr_array_index(advanced, 0);
  assert_string_equal(a->due_at, "2026-01-01T10:00:00Z");
  assert_string_equal(a->next_at, "2026-01-01T11:00:00Z");
  assert_int_equal(a->reminders, 1);
  check(store_advance_deadline(f->store, id, "triage", NULL, "escalated", &changed, &error),
        error);
  assert_true(changed);
  g_autofree char *ended = sql(f, "SELECT due_at || ' ' || next_at || ' ' || state || ' ' ||"
                                  " reminders_sent FROM deadlines");
  assert_string_equal(ended, "2026-01-01T10:00:00Z 2026-01-01T11:00:00Z escalated 2");
  check(store_advance_deadline(f->store, id, "triage", NULL, "escalated", &changed, &error),
        error);
  assert_false(changed); /* ended: another process got there first */
  /* Escalated, it still waits: what it waited for ends it. */
  check(store_set_deadline_state(f->store, id, "triage", "done", &changed, &error), error);
  assert_true(changed);
  check(store_add_deadline(f->store, id, "triage", "2026-01-03T10:00:00Z", &error), error);
  g_autoptr(GPtrArray) rows = store_incident_deadlines(f->store, id, &error);
  check(rows != NULL, error);
  const IgDeadlineRec *d = g_ptr_array_index(rows, 0);
  assert_string_equal(d->state, "pending");
  assert_int_equal(d->reminders, 0);
}

static void test_management_reports(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 id = add_incident(f, "INC-2026-000001", "new", "medium", T0);
  add_event(f, id, "created", "x");
  g_autofree char *none = store_management_report(f->store, id, &error);
  assert_null(none);
  assert_null(error);
  check(store_add_management_report(f->store, id, T0, "bob@justice.gov.uk", "first", &error),
        error);
  check(store_add_management_report(f->store, id, T0, "bob@justice.gov.uk", "second", &error),
        error);
  add_event(f, id, "management_report", "two");
  g_autofree char *text = store_management_report(f->store, id, &error);
  assert_string_equal(text, "second");
  expect_verified(f, TRUE);
  g_free(sql(f, "UPDATE management_reports SET text = 'rewritten' WHERE id = 1"));
  expect_verified(f, FALSE);
}

static void test_outbox_last(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 id = add_incident(f, "INC-2026-000001", "new", "low", T0);
  g_autofree char *to = NULL, *at = NULL;
  check(store_outbox_last(f->store, id, "ack", &to, &at, NULL, &error), error);
  assert_null(to);
  assert_null(at);
  add_outbox(f, id, "ack", "jane@example.org", "a1@gw", T0);
  add_outbox(f, id, "notify_ost", "ost@example.org", "a2@gw", "2026-01-01T11:00:00Z");
  add_outbox(f, id, "ack", "john@example.org", "a3@gw", "2026-01-01T12:00:00Z");
  add_outbox(f, 0, "ack", "other@example.org", "a4@gw", "2026-01-01T13:00:00Z");
  check(store_outbox_last(f->store, id, "ack", &to, &at, NULL, &error), error);
  assert_string_equal(to, "john@example.org");
  assert_string_equal(at, "2026-01-01T12:00:00Z");
}

/* Mail sent in a batch: the rows named are marked sent, those queued
 * beside them stay pending; a body asked for a row that is not there is
 * an error naming it, never an empty mail. */
static void test_outbox_sent_many_and_body(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 ids[3] = {
    add_outbox(f, 0, "ack", "a@example.org", "o1@gw", T0),
    add_outbox(f, 0, "ack", "b@example.org", "o2@gw", T0),
    add_outbox(f, 0, "ack", "c@example.org", "o3@gw", T0),
  };
  check(store_outbox_sent_many(f->store, ids, 2, "2026-01-01T10:01:00Z", &error), error);
  g_autoptr(GPtrArray) pending = store_list_outbox(f->store, TRUE, &error);
  check(pending != NULL, error);
  assert_int_equal(pending->len, 1);
  assert_int_equal(((IgOutboxRec *)g_ptr_array_index(pending, 0))->id, ids[2]);

  g_autoptr(GBytes) body = store_outbox_body(f->store, ids[2], &error);
  check(body != NULL, error);
  assert_int_equal(g_bytes_get_size(body), strlen(BODY));
  assert_null(store_outbox_body(f->store, 99, &error));
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_RUNTIME));
  assert_string_equal(error->message, "no outbox row 99");
}

/* The tables a case's deadlines and reports live in, damaged by hand
 * (columns renamed): every call fails with the database's reason, never
 * reads as nothing due or no report, never as a change made. */
static void test_damaged_case_tables(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  check(store_add_deadline(f->store, inc, "triage", T0, &error), error);
  g_clear_pointer(&f->store, store_close);
  g_free(sql(f, "ALTER TABLE deadlines RENAME COLUMN kind TO kept_kind"));
  g_free(sql(f, "ALTER TABLE management_reports RENAME COLUMN text TO kept_text"));
  f->store = open_store(f->path); /* nothing prepared before is cached */
  gboolean changed = -1;
  expect_missing_insert_column(!store_add_deadline(f->store, inc, "triage", T0, &error), &error,
                               "deadlines", "kind");
  expect_missing_column(!store_set_deadline_state(f->store, inc, "triage", "done", &changed,
                                                  &error), &error, "kind");
  expect_missing_column(!store_advance_deadline(f->store, inc, "triage", NULL, "escalated",
                                                &changed, &error), &error, "kind");
  assert_int_equal(changed, -1);
  expect_missing_column(store_due_deadlines(f->store, "2027-01-01T00:00:00Z", &error) == NULL,
                        &error, "kind");
  expect_missing_column(store_incident_deadlines(f->store, inc, &error) == NULL, &error,
                        "kind");
  expect_missing_insert_column(!store_add_management_report(f->store, inc, T0, "ost", "r",
                                                            &error), &error,
                               "management_reports", "text");
  expect_missing_column(store_management_report(f->store, inc, &error) == NULL, &error,
                        "text");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_update_incident),
    T(test_deadline_state),
    T(test_deadline_advance),
    T(test_management_reports),
    T(test_outbox_last),
    T(test_outbox_sent_many_and_body),
    T(test_damaged_case_tables),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

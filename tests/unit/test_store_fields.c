/* test_store_fields.c - unit tests for the case store's readers
 * (gateway/store_*.c): each kind of record written through store.h and
 * read back with every field checked, so that no field comes back empty,
 * stale or from the wrong column. Every test runs on a fresh store in a
 * temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "gateway/store_sqlite.h"
#include "tests/unit/store_fixture.h"

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/* --- audit events --- */

#define MAIL "Subject: event round trip\n\nA report.\n"

/* The three events test_events_round_trip writes, as they must read back:
 * a note, the recording of a message, a note. */
static void expect_events(Fixture *f, GPtrArray *events, gint64 inc, gint64 msg)
{
  g_autoptr(GError) error = NULL;
  assert_int_equal(events->len, 3);
  static const char *const at[] = { "2026-01-01T10:00:01Z", "2026-01-01T10:00:02Z",
                                    "2026-01-01T10:00:03Z" };
  static const char *const actor[] = { "alice", "gateway", "bob" };
  static const char *const type[] = { "created", "stored", "note" };
  g_autofree char *sha = hash_sha256_hex(MAIL, strlen(MAIL));
  for (guint i = 0; i < events->len; i++) {
    const IgEventRec *e = g_ptr_array_index(events, i);
    assert_int_equal(e->id, i + 1);
    assert_string_equal(e->at, at[i]);
    assert_string_equal(e->actor, actor[i]);
    assert_string_equal(e->type, type[i]);
    assert_int_equal(strlen(e->hash), 64);
    assert_int_equal(strlen(e->state), 64);
    if (i == 0) {
      assert_string_equal(e->prev_hash, GENESIS_HASH);
    } else {
      const IgEventRec *before = g_ptr_array_index(events, i - 1);
      assert_string_equal(e->prev_hash, before->hash);
    }
  }
  const IgEventRec *created = g_ptr_array_index(events, 0);
  const IgEventRec *stored = g_ptr_array_index(events, 1);
  const IgEventRec *note = g_ptr_array_index(events, 2);
  assert_string_equal(created->detail, "from the form");
  assert_int_equal(created->message_row, 0);
  assert_null(created->message_sha256);
  g_autofree char *detail = g_strdup_printf("message %" G_GINT64_FORMAT " stored: report, %zu"
                                            " bytes", msg, strlen(MAIL));
  assert_string_equal(stored->detail, detail);
  assert_int_equal(stored->message_row, msg);
  assert_string_equal(stored->message_sha256, sha);
  assert_string_not_equal(stored->state, created->state); /* it holds the message now */
  assert_string_equal(note->detail, "called back");
  assert_int_equal(note->message_row, 0);
  assert_null(note->message_sha256);

  g_autofree char *head = NULL, *head_at = NULL;
  check(store_audit_head(f->store, &head, &head_at, &error), error);
  assert_string_equal(note->hash, head);
  assert_string_equal(head_at, at[2]);
  g_autofree char *now = sq_incident_state(f->store, inc, &error);
  check(now != NULL, error);
  assert_string_equal(note->state, now);
  assert_string_equal(stored->state, now); /* a note changes nothing */
}

static gboolean keep_events(const IgListedIncident *row, gpointer data, GError **error)
{
  GPtrArray *events = data;
  for (guint i = 0; i < row->events->len; i++) {
    const IgEventRec *e = g_ptr_array_index(row->events, i);
    IgEventRec *copy = g_new0(IgEventRec, 1);
    *copy = (IgEventRec){ e->id, g_strdup(e->at), g_strdup(e->actor), g_strdup(e->type),
                          g_strdup(e->detail), g_strdup(e->prev_hash), g_strdup(e->hash),
                          e->message_row, g_strdup(e->message_sha256), g_strdup(e->state) };
    g_ptr_array_add(events, copy);
  }
  return TRUE;
}

/* An incident's history as a case officer or an export reads it: who did
 * what when, the message each event recorded, and the chain fields an
 * auditor checks by hand (each event's link to the one before, the head,
 * the incident's state after it), alike from both ways of reading it. */
static void test_events_round_trip(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  gint64 inc = add_incident(f, "INC-2026-000001", "new", "low", T0);
  check(store_add_event(f->store, inc, "2026-01-01T10:00:01Z", "alice", "created",
                        "from the form", &error), error);
  g_autofree char *sha = hash_sha256_hex(MAIL, strlen(MAIL));
  IgMessageIn in = {
    .message_id = "m1@example.org", .sha256 = sha, .raw = MAIL, .raw_len = strlen(MAIL),
    .from_addr = "jane@example.org", .subject = "s", .received_at = T0, .kind = "report",
    .incident_id = inc, .recorded_at = "2026-01-01T10:00:02Z",
  };
  gint64 msg = store_add_message(f->store, &in, &error);
  check(msg > 0, error);
  check(store_add_event(f->store, inc, "2026-01-01T10:00:03Z", "bob", "note", "called back",
                        &error), error);

  g_autoptr(GPtrArray) events = store_incident_events(f->store, inc, &error);
  check(events != NULL, error);
  expect_events(f, events, inc, msg);

  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func((GDestroyNotify)event_rec_free);
  check(store_each_incident(f->store, NULL, TRUE, keep_events, listed, &error), error);
  expect_events(f, listed, inc, msg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_events_round_trip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

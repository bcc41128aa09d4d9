/* test_store_search.c - unit tests for listing incidents (store_list.c):
 * --search matches whole words of the summary, description, reporter and
 * OST's notes, kept in step as notes are added and records change, and
 * never reads the user's text as query syntax; --limit keeps the
 * newest; the details of each incident come with it, page after page,
 * from one snapshot, read through indexes; a store of the schema before
 * the search index gets it, filled. On SQLite or PostgreSQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "gateway/case_record.h"
#include "gateway/store_db.h"
#include "tests/unit/store_fixture.h"

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

static gboolean add_reference(const IgListedIncident *row, gpointer data, GError **error)
{
  GString *got = data;
  g_string_append_printf(got, "%s%s", got->len ? " " : "", row->incident->reference);
  return TRUE;
}

/* The references the filter lists, space separated. */
static char *listed(Fixture *f, const IgIncidentFilter *filter)
{
  g_autoptr(GError) error = NULL;
  GString *got = g_string_new(NULL);
  check(store_each_incident(f->store, filter, FALSE, add_reference, got, &error), error);
  return g_string_free(got, FALSE);
}

static void expect_search(Fixture *f, const char *text, const char *want)
{
  g_autofree char *got = listed(f, &(IgIncidentFilter){ .search = text });
  if (strcmp(got, want) != 0)
    print_error("search \"%s\": got \"%s\", want \"%s\"\n", text, got, want);
  assert_string_equal(got, want);
}

/* An incident with these words, received at received_at. */
static gint64 add_report(Fixture *f, const char *ref, const char *received_at,
                         const char *summary, const char *description, const char *name,
                         const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IgIncident) inc = minimal_incident(ref, received_at);
  set(&inc->summary, summary);
  set(&inc->description, description);
  set(&inc->reporter_name, name);
  set(&inc->reporter_email, email);
  check(store_add_incident(f->store, inc, &error), error);
  return inc->id;
}

static void add_reports(Fixture *f)
{
  add_report(f, "INC-A", "2026-01-01T10:00:00Z", "Laptop stolen from car",
             "Taken from the boot in the station car park.", "Jane Smith",
             "jane.smith@justice.gov.uk");
  add_report(f, "INC-B", "2026-01-02T10:00:00Z", "Phishing mail",
             "A mail asked for bank details; it was left near the printer or the door.",
             "Seán O'Brien", "sean.obrien@justice.gov.uk");
  add_report(f, "INC-C", "2026-01-03T10:00:00Z", "Tailgating at the side entrance", NULL,
             NULL, NULL);
}

static void test_search_matches_words(void **state)
{
  Fixture *f = *state;
  add_reports(f);
  expect_search(f, "laptop", "INC-A");
  expect_search(f, "LAPTOP", "INC-A");           /* case aside */
  expect_search(f, "park", "INC-A");             /* the description */
  expect_search(f, "smith", "INC-A");            /* the reporter's name */
  expect_search(f, "jane.smith@justice.gov.uk", "INC-A"); /* the address */
  expect_search(f, "sean", "INC-B");             /* accents aside */
  expect_search(f, "O'Brien", "INC-B");
  expect_search(f, "stolen car", "INC-A");       /* every word, anywhere */
  expect_search(f, "  stolen \t car ", "INC-A");
  expect_search(f, "justice", "INC-B INC-A");    /* newest first */
  expect_search(f, "lap", "");                   /* whole words only */
  expect_search(f, "stolen bicycle", "");
  expect_search(f, "nothing", "");
  expect_search(f, "", "");
}

/* What FTS5 would read as syntax is text: quotes, a prefix star, the
 * operators and NEAR, a column filter, the start-of-column caret. Each
 * is searched for as words, or matches nothing, never an error. */
static void test_search_text_is_never_syntax(void **state)
{
  Fixture *f = *state;
  add_reports(f);
  expect_search(f, "OR", "INC-B");               /* the word "or" of INC-B */
  expect_search(f, "laptop OR phishing", "");    /* three words, not a choice */
  expect_search(f, "NEAR(", "INC-B");            /* the word "near" */
  expect_search(f, "NEAR(laptop stolen)", "");
  expect_search(f, "laptop NOT car", "");
  expect_search(f, "laptop AND", "");
  expect_search(f, "\"laptop\"", "INC-A");       /* quotes are just characters */
  expect_search(f, "\"laptop", "INC-A");
  expect_search(f, "lap\"top", "");
  expect_search(f, "lap*", "");                  /* no prefix search */
  expect_search(f, "*", "");
  expect_search(f, "\"", "");
  expect_search(f, "summary:laptop", "");        /* no column filter */
  expect_search(f, "{summary}: laptop", "");
  expect_search(f, "^laptop", "INC-A");          /* no "first word" */
  expect_search(f, "(laptop)", "INC-A");
  expect_search(f, "laptop + stolen", "INC-A");
}

static void test_search_finds_notes_as_they_are_added(void **state)
{
  Fixture *f = *state;
  add_reports(f);
  gint64 c = store_incident_id(f->store, "INC-C", NULL);
  expect_search(f, "ladder", "");
  add_event(f, c, "note", "found a ladder by the fence");
  expect_search(f, "ladder", "INC-C");
  add_event(f, c, "note", "the contractor has the key");
  expect_search(f, "ladder contractor", "INC-C"); /* both notes */
  add_event(f, c, "changed", "owner: kettle@justice.gov.uk");
  expect_search(f, "kettle", "");                /* only notes, not every event */
}

static void test_search_follows_changed_records(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  add_reports(f);
  g_autoptr(IgIncident) inc = store_get_incident(f->store, "INC-C", &error);
  check(inc != NULL, error);
  set(&inc->status, "triaged");
  check(store_update_incident(f->store, inc, &error), error);
  expect_search(f, "tailgating", "INC-C");       /* other fields: the words stay */
  set(&inc->description, "The visitor had no pass."); /* as a reporter's reply fills it */
  check(store_update_incident(f->store, inc, &error), error);
  expect_search(f, "visitor pass", "INC-C");
  set(&inc->reporter_name, "Ann Lee");
  check(store_update_incident(f->store, inc, &error), error);
  expect_search(f, "ann lee", "INC-C");
  set(&inc->reporter_email, "ann.lee@justice.gov.uk");
  check(store_update_incident(f->store, inc, &error), error);
  expect_search(f, "ann.lee@justice.gov.uk", "INC-C");
  set(&inc->summary, "Door held open for a visitor");
  check(store_update_incident(f->store, inc, &error), error);
  expect_search(f, "tailgating", "");
  expect_search(f, "door visitor pass ann", "INC-C");
}

static void test_limit_keeps_the_newest(void **state)
{
  Fixture *f = *state;
  add_reports(f);
  add_report(f, "INC-D", "2025-12-31T10:00:00Z", "Laptop left on a train", NULL, NULL, NULL);
  g_autofree char *two = listed(f, &(IgIncidentFilter){ .limit = 2 });
  assert_string_equal(two, "INC-C INC-B");
  g_autofree char *all = listed(f, &(IgIncidentFilter){ .limit = 100 });
  assert_string_equal(all, "INC-C INC-B INC-A INC-D");
  g_autofree char *unlimited = listed(f, &(IgIncidentFilter){ .limit = 0 });
  assert_string_equal(unlimited, all);
  g_autofree char *searched = listed(f, &(IgIncidentFilter){ .search = "laptop", .limit = 1 });
  assert_string_equal(searched, "INC-A");
  g_autofree char *with_status = listed(f, &(IgIncidentFilter){ .search = "laptop",
                                                                .status = "closed" });
  assert_string_equal(with_status, "");
}

/* A search many incidents match walks them newest first, one few match
 * reads them by id: the same rows either way, limited alike. */
static void test_search_many_matches(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  check(store_begin(f->store, &error), error);
  for (int i = 0; i < 600; i++) {
    g_autofree char *ref = g_strdup_printf("INC-%03d", i);
    g_autofree char *at = g_strdup_printf("2026-01-01T%02d:%02d:00Z", (i * 7) % 24, i % 60);
    add_report(f, ref, at, i % 2 ? "Laptop lost" : "Laptop stolen", NULL, NULL, NULL);
  }
  check(store_commit(f->store, &error), error);
  g_autofree char *many = listed(f, &(IgIncidentFilter){ .search = "laptop", .limit = 3 });
  g_autofree char *newest = listed(f, &(IgIncidentFilter){ .limit = 3 });
  assert_string_equal(many, newest);
  g_autofree char *all = listed(f, &(IgIncidentFilter){ .search = "laptop" });
  assert_int_equal(strlen(all), 600 * 8 - 1);
  g_autofree char *stolen = listed(f, &(IgIncidentFilter){ .search = "stolen" });
  assert_int_equal(strlen(stolen), 300 * 8 - 1);
}

typedef struct {
  Fixture *f;
  guint rows;
  guint stop_at;            /* 0: never */
} Details;

/* Each incident's details as the single-incident reads give them. */
static gboolean check_details(const IgListedIncident *row, gpointer data, GError **error)
{
  Details *d = data;
  g_autoptr(GError) e = NULL;
  gint64 id = row->incident->id;
  g_autoptr(GPtrArray) deadlines = store_incident_deadlines(d->f->store, id, &e);
  g_autoptr(GPtrArray) messages = store_incident_messages(d->f->store, id, &e);
  g_autoptr(GPtrArray) events = store_incident_events(d->f->store, id, &e);
  check(deadlines && messages && events, e);
  assert_int_equal(row->deadlines->len, deadlines->len);
  assert_int_equal(row->messages->len, messages->len);
  assert_int_equal(row->events->len, events->len);
  assert_true(row->events->len > (guint)(id % 3));
  for (guint i = 0; i < events->len; i++) {
    const IgEventRec *a = g_ptr_array_index(row->events, i), *b = g_ptr_array_index(events, i);
    assert_int_equal(a->id, b->id);
    assert_string_equal(a->detail, b->detail);
  }
  for (guint i = 0; i < deadlines->len; i++)
    assert_int_equal(((IgDeadlineRec *)g_ptr_array_index(row->deadlines, i))->incident_id, id);
  for (guint i = 0; i < messages->len; i++)
    assert_string_equal(((IgMessageRec *)g_ptr_array_index(row->messages, i))->reference,
                        row->incident->reference);
  if (++d->rows == d->stop_at) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "enough");
    return FALSE;
  }
  return TRUE;
}

/* More incidents than a page: each comes with its own details, and a
 * callback's error stops the listing and leaves the store usable. */
static void test_details_page_by_page(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  check(store_begin(f->store, &error), error);
  for (int i = 0; i < 600; i++) {
    g_autofree char *ref = g_strdup_printf("INC-%03d", i);
    g_autofree char *at = g_strdup_printf("2026-01-%02dT10:%02d:00Z", 1 + i % 28, i % 60);
    gint64 id = add_incident(f, ref, "new", NULL, at);
    for (int k = 0; k <= id % 3; k++) {
      g_autofree char *detail = g_strdup_printf("event %d of %s", k, ref);
      add_event(f, id, "note", detail);
    }
    check(store_add_deadline(f->store, id, "triage", at, &error), error);
    if (i % 5 == 0) {
      g_autofree char *raw = g_strdup_printf("Subject: %s\n\nbody\n", ref);
      put_message(f, NULL, raw, id, TRUE);
      g_autofree char *mid = g_strdup_printf("out-%s@gw", ref);
      add_outbox(f, id, "ack", "jane@example.org", mid, at);
    }
  }
  check(store_commit(f->store, &error), error);
  Details d = { f, 0, 0 };
  check(store_each_incident(f->store, NULL, TRUE, check_details, &d, &error), error);
  assert_int_equal(d.rows, 600);

  Details stop = { f, 0, 300 };
  assert_false(store_each_incident(f->store, NULL, TRUE, check_details, &stop, &error));
  assert_int_equal(stop.rows, 300);
  assert_string_equal(error->message, "enough");
  g_clear_error(&error);
  check(store_begin(f->store, &error), error); /* the listing's reading has ended */
  check(store_commit(f->store, &error), error);
  g_free(sql(f, "UPDATE incidents SET status = 'closed' WHERE reference = 'INC-000'"));
  g_autoptr(IgIncident) changed = store_get_incident(f->store, "INC-000", &error);
  check(changed != NULL, error);
  assert_string_equal(changed->status, "closed"); /* no old snapshot is held */
}

typedef struct {
  Fixture *f;
  guint rows;
  gboolean oldest_seen;
} Snapshot;

/* At the first incident handed over, another process closes the oldest,
 * which comes on a later page, removes its deadline and adds it an
 * event; the oldest must come as it was when the listing began. */
static gboolean change_the_oldest(const IgListedIncident *row, gpointer data, GError **error)
{
  Snapshot *s = data;
  if (s->rows++ == 0) {
    g_free(sql(s->f, "UPDATE incidents SET status = 'closed' WHERE reference = 'INC-000'"));
    g_free(sql(s->f, "DELETE FROM deadlines WHERE incident_id ="
                     " (SELECT id FROM incidents WHERE reference = 'INC-000')"));
    g_free(sql(s->f, "INSERT INTO events(id, incident_id, at, actor, type, detail, prev_hash,"
                     " hash) SELECT 100000, id, '" T0 "', 'other', 'note', 'behind', 'x', 'x'"
                     " FROM incidents WHERE reference = 'INC-000'"));
  }
  if (strcmp(row->incident->reference, "INC-000") == 0) {
    assert_string_equal(row->incident->status, "new");
    assert_int_equal(row->deadlines->len, 1);
    assert_int_equal(row->events->len, 1);
    s->oldest_seen = TRUE;
  }
  return TRUE;
}

/* A listing reads one state of the store, page after page, whatever
 * other processes commit meanwhile: no incident comes with details newer
 * than itself or than the incidents before it. */
static void test_listing_sees_one_snapshot(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  check(store_begin(f->store, &error), error);
  for (int i = 0; i < 300; i++) {
    g_autofree char *ref = g_strdup_printf("INC-%03d", i);
    g_autofree char *at = g_strdup_printf("2026-01-%02dT%02d:00:00Z", 1 + i / 24, i % 24);
    gint64 id = add_incident(f, ref, "new", NULL, at);
    add_event(f, id, "note", "looked at it");
    check(store_add_deadline(f->store, id, "triage", at, &error), error);
  }
  check(store_commit(f->store, &error), error);
  Snapshot s = { f, 0, FALSE };
  check(store_each_incident(f->store, NULL, TRUE, change_the_oldest, &s, &error), error);
  assert_int_equal(s.rows, 300);
  assert_true(s.oldest_seen);
  g_autoptr(IgIncident) after = store_get_incident(f->store, "INC-000", &error);
  check(after != NULL, error);
  assert_string_equal(after->status, "closed");
}

/* Steps the store's statements took through whole tables or indexes
 * since the last call (SQLite's full-scan counter), which it resets. */
static int full_scan_steps(Fixture *f)
{
  int steps = 0;
  GHashTableIter it;
  DbStmt *st;
  g_hash_table_iter_init(&it, f->store->stmts);
  while (g_hash_table_iter_next(&it, NULL, (gpointer *)&st))
    steps += sqlite3_stmt_status(st->sq, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
  return steps;
}

static gboolean keep_going(const IgListedIncident *row, gpointer data, GError **error)
{
  (*(guint *)data)++;
  return TRUE;
}

/* show and a page of list read each incident's deadlines, messages,
 * outbox mail, events, evidence and observables through their indexes:
 * no table of them is walked, however many rows it holds. The page
 * walks the incidents newest first as far as it needs. */
static void test_reads_walk_no_table(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* counts SQLite's full-scan steps of each statement */
  g_autoptr(GError) error = NULL;
  check(store_begin(f->store, &error), error);
  for (int i = 0; i < 200; i++) {
    g_autofree char *ref = g_strdup_printf("INC-%03d", i);
    g_autofree char *at = g_strdup_printf("2026-01-%02dT10:%02d:00Z", 1 + i % 28, i % 60);
    g_autoptr(IgIncident) inc = minimal_incident(ref, at);
    check(store_add_incident(f->store, inc, &error), error);
    IgObservable *o = g_new0(IgObservable, 1);
    o->type = g_strdup("domain");
    o->value = g_strdup("evil.example");
    o->defanged = g_strdup("evil[.]example");
    g_ptr_array_add(inc->observables, o);
    check(store_add_evidence(f->store, inc, &error), error);
    add_event(f, inc->id, "note", "looked at it");
    check(store_add_deadline(f->store, inc->id, "triage", at, &error), error);
    g_autofree char *raw = g_strdup_printf("Subject: %s\n\nbody\n", ref);
    put_message(f, NULL, raw, inc->id, TRUE);
    g_autofree char *mid = g_strdup_printf("out-%s@gw", ref);
    add_outbox(f, inc->id, "ack", "jane@example.org", mid, at);
  }
  check(store_commit(f->store, &error), error);
  full_scan_steps(f);

  g_autoptr(IgCaseRecord) r = case_record_load(f->store, "INC-100", &error);
  check(r != NULL, error);
  assert_int_equal(r->incident->observables->len, 1);
  assert_int_equal(r->messages->len, 2);
  assert_int_equal(full_scan_steps(f), 0);

  guint rows = 0;
  check(store_each_incident(f->store, &(IgIncidentFilter){ .limit = 5 }, TRUE, keep_going,
                            &rows, &error), error);
  assert_int_equal(rows, 5);
  assert_true(full_scan_steps(f) <= 5);
  check(store_each_incident(f->store, &(IgIncidentFilter){ .search = "looked", .limit = 5 },
                            TRUE, keep_going, &rows, &error), error);
  assert_true(full_scan_steps(f) <= 5);
}

/* Sorts the store's statements made since the last call; resets them. */
static int sorts(Fixture *f)
{
  int n = 0;
  GHashTableIter it;
  DbStmt *st;
  g_hash_table_iter_init(&it, f->store->stmts);
  while (g_hash_table_iter_next(&it, NULL, (gpointer *)&st))
    n += sqlite3_stmt_status(st->sq, SQLITE_STMTSTATUS_SORT, 1);
  return n;
}

/* The cost of a search follows the number of matches: the newest few of
 * a word hundreds of reports use are found by walking newest first
 * without sorting them all, and a word few reports use is read from the
 * index without walking every incident. */
static void test_search_cost_follows_matches(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* counts SQLite's sorts and full-scan steps of each statement */
  g_autoptr(GError) error = NULL;
  check(store_begin(f->store, &error), error);
  for (int i = 0; i < 600; i++) {
    g_autofree char *ref = g_strdup_printf("INC-%03d", i);
    g_autofree char *at = g_strdup_printf("2026-01-%02dT10:%02d:00Z", 1 + i % 28, i % 60);
    add_report(f, ref, at, i % 100 ? "Laptop lost" : "Tablet lost", NULL, NULL, NULL);
  }
  check(store_commit(f->store, &error), error);
  full_scan_steps(f);
  sorts(f);
  g_autofree char *many = listed(f, &(IgIncidentFilter){ .search = "laptop", .limit = 3 });
  assert_int_equal(strlen(many), 3 * 8 - 1);
  assert_int_equal(sorts(f), 0);
  full_scan_steps(f);
  g_autofree char *few = listed(f, &(IgIncidentFilter){ .search = "tablet" });
  assert_int_equal(strlen(few), 6 * 8 - 1);
  assert_true(full_scan_steps(f) < 100);
}

static gboolean refuse_first(const IgListedIncident *row, gpointer data, GError **error)
{
  (*(guint *)data)++;
  g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "no more");
  return FALSE;
}

/* A listing stops at the first error: its callback's, without details
 * too; a detail table's or the search index's, damaged by hand, before
 * any incident is handed over without what it should carry. */
static void test_listing_stops_at_an_error(void **state)
{
  Fixture *f = *state;
  g_autoptr(GError) error = NULL;
  add_report(f, "INC-A", "2026-01-01T10:00:00Z", "Laptop lost", NULL, NULL, NULL);
  add_report(f, "INC-B", "2026-01-02T10:00:00Z", "Laptop stolen", NULL, NULL, NULL);
  guint calls = 0;
  expect_reason(!store_each_incident(f->store, NULL, FALSE, refuse_first, &calls, &error),
                &error, "no more");
  assert_int_equal(calls, 1);

  g_clear_pointer(&f->store, store_close);
  g_free(sql(f, "ALTER TABLE deadlines RENAME COLUMN reminders_sent TO kept"));
  f->store = open_store(f->path); /* nothing prepared before is cached */
  calls = 0;
  expect_missing_column(!store_each_incident(f->store, NULL, TRUE, refuse_first, &calls,
                                             &error), &error, "reminders_sent");
  g_clear_pointer(&f->store, store_close);
  g_free(sql(f, "DROP TABLE incident_search"));
  f->store = open_store(f->path);
  expect_missing_table(!store_each_incident(f->store, &(IgIncidentFilter){ .search = "laptop" },
                                            FALSE, refuse_first, &calls, &error),
                       &error, "incident_search");
  assert_int_equal(calls, 0);
}

/* A new store's index merges its segments 16 at a level (store_schema.c:
 * recording stays near its rate as the store grows). */
static void test_index_merges_sixteen_segments(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* FTS5's own setting; PostgreSQL's index is a GIN index of tsvectors */
  g_autofree char *automerge = sql(f, "SELECT v FROM incident_search_config"
                                      " WHERE k = 'automerge'");
  assert_string_equal(automerge, "16");
}

/* A store made before the search index (schema 9) gets it on opening,
 * filled with what it holds, notes included, and kept in step after. */
static void test_older_store_gets_the_index(void **state)
{
  Fixture *f = *state;
  if (test_on_pg())
    skip(); /* SQLite's migration 9; PostgreSQL's schema began with the index */
  add_reports(f);
  gint64 c = store_incident_id(f->store, "INC-C", NULL);
  add_event(f, c, "note", "found a ladder by the fence");
  g_clear_pointer(&f->store, store_close);
  g_free(sql(f, "DROP TRIGGER incident_search_add"));
  g_free(sql(f, "DROP TRIGGER incident_search_change"));
  g_free(sql(f, "DROP TRIGGER incident_search_note"));
  g_free(sql(f, "DROP TABLE incident_search"));
  undo_to_version_10(f);
  g_free(sql(f, "PRAGMA user_version = 9"));
  f->store = open_store(f->path);
  g_autofree char *version = sql(f, "PRAGMA user_version");
  g_autofree char *latest = g_strdup_printf("%d", sq_schema_version());
  assert_string_equal(version, latest);
  g_autofree char *automerge = sql(f, "SELECT v FROM incident_search_config"
                                      " WHERE k = 'automerge'");
  assert_string_equal(automerge, "16");
  expect_search(f, "laptop", "INC-A");
  expect_search(f, "sean", "INC-B");
  expect_search(f, "ladder", "INC-C");
  add_event(f, c, "note", "the contractor has the key");
  expect_search(f, "contractor ladder", "INC-C");
  add_report(f, "INC-E", "2026-01-04T10:00:00Z", "Ladder left out", NULL, NULL, NULL);
  expect_search(f, "ladder", "INC-E INC-C");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    T(test_search_matches_words),
    T(test_search_text_is_never_syntax),
    T(test_search_finds_notes_as_they_are_added),
    T(test_search_follows_changed_records),
    T(test_limit_keeps_the_newest),
    T(test_search_many_matches),
    T(test_search_cost_follows_matches),
    T(test_listing_stops_at_an_error),
    T(test_details_page_by_page),
    T(test_listing_sees_one_snapshot),
    T(test_reads_walk_no_table),
    T(test_index_merges_sixteen_segments),
    T(test_older_store_gets_the_index),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_json.c - unit tests for gateway/render_json.c: the JSON shapes of
 * SPEC section 2 (`show --json`/`list --json`, `messages --json`,
 * `outbox --json`). Every key the spec names must be present with the
 * right JSON type and value; unknown values are null, empty lists are [].
 * The spec lets keys be added, so extra keys are tolerated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "gateway/render_json.h"

/* --- helpers --- */

#define NEW_LIST(free_fn) g_ptr_array_new_with_free_func((GDestroyNotify)(free_fn))

static json_t *member(json_t *obj, const char *key)
{
  assert_true(json_is_object(obj));
  json_t *v = json_object_get(obj, key);
  if (!v)
    print_error("key \"%s\" missing\n", key);
  assert_non_null(v);
  return v;
}

static void expect_str(json_t *obj, const char *key, const char *want)
{
  json_t *v = member(obj, key);
  if (!json_is_string(v))
    print_error("key \"%s\" is not a string\n", key);
  assert_true(json_is_string(v));
  assert_string_equal(json_string_value(v), want);
}

static void expect_null(json_t *obj, const char *key)
{
  json_t *v = member(obj, key);
  if (!json_is_null(v))
    print_error("key \"%s\" is not null\n", key);
  assert_true(json_is_null(v));
}

static void expect_int(json_t *obj, const char *key, json_int_t want)
{
  json_t *v = member(obj, key);
  assert_true(json_is_integer(v));
  assert_int_equal(json_integer_value(v), want);
}

static void expect_bool(json_t *obj, const char *key, gboolean want)
{
  json_t *v = member(obj, key);
  assert_true(json_is_boolean(v));
  assert_int_equal(json_is_true(v), want);
}

static json_t *expect_array(json_t *obj, const char *key, size_t len)
{
  json_t *v = member(obj, key);
  assert_true(json_is_array(v));
  assert_int_equal(json_array_size(v), len);
  return v;
}

/* The JSON text parses back to an equal value (valid UTF-8 JSON). */
static void expect_round_trip(json_t *value)
{
  g_autofree char *text = json_dumps(value, JSON_COMPACT);
  assert_non_null(text);
  json_error_t err;
  json_t *back = json_loads(text, 0, &err);
  assert_non_null(back);
  assert_true(json_equal(value, back));
  json_decref(back);
}

static IgIncident *full_incident(void)
{
  IgIncident *inc = incident_new();
  inc->id = 42;
  inc->reference = g_strdup("INC-2026-000042");
  inc->status = g_strdup("new");
  inc->impact = g_strdup("medium");
  inc->category = g_strdup("phishing");
  inc->near_miss = TRUE;
  inc->personal_data = g_strdup("yes");
  inc->reporter_name = g_strdup("Jane Smith");
  inc->reporter_email = g_strdup("jane.smith@justice.gov.uk");
  inc->reporter_phone = g_strdup("020 7946 0000");
  inc->supplier = g_strdup("Example Supplier Ltd");
  inc->via = g_strdup("supplier");
  inc->source = g_strdup("forward");
  inc->forwarded_by = g_strdup("helpdesk@example-supplier.co.uk");
  inc->detected_at = g_strdup("2026-11-22T14:05:00Z");
  inc->received_at = g_strdup("2026-11-22T14:40:12Z");
  inc->reported_late = 0;
  inc->minutes_to_report = 35;
  inc->systems_affected = g_strdup("Outlook");
  inc->information_asset = g_strdup("Prison NOMIS");
  inc->asset_owner = g_strdup("nomis.iao@justice.gov.uk");
  inc->summary = g_strdup("Phishing \"invoice\" mail");
  inc->description = g_strdup("Line one\nLine two – café");
  inc->actions_taken = g_strdup("Deleted it");
  g_strfreev(inc->missing_fields);
  inc->missing_fields = g_strsplit("systems_affected,business_area", ",", -1);
  inc->owner = g_strdup("alice@justice.gov.uk");
  inc->created_at = g_strdup("2026-11-22T14:40:12Z");
  inc->updated_at = g_strdup("2026-11-22T15:00:00Z");
  return inc;
}

static IgDeadlineRec *deadline(const char *kind, const char *due_at, const char *st)
{
  IgDeadlineRec *d = g_new0(IgDeadlineRec, 1);
  d->kind = g_strdup(kind);
  d->due_at = g_strdup(due_at);
  d->state = g_strdup(st);
  return d;
}

static IgMessageRec *message(const char *message_id, const char *direction, const char *kind,
                             const char *sha256, const char *reference)
{
  IgMessageRec *m = g_new0(IgMessageRec, 1);
  m->id = 7;
  m->message_id = g_strdup(message_id);
  m->direction = g_strdup(direction);
  m->from_addr = g_strdup("jane.smith@justice.gov.uk");
  m->subject = g_strdup("Vol de données");
  m->received_at = g_strdup("2026-11-22T14:40:12Z");
  m->kind = g_strdup(kind);
  m->reference = g_strdup(reference);
  m->sha256 = g_strdup(sha256);
  return m;
}

static IgEventRec *event(const char *type, const char *detail)
{
  IgEventRec *e = g_new0(IgEventRec, 1);
  e->id = 1;
  e->at = g_strdup("2026-11-22T14:40:13Z");
  e->actor = g_strdup("gateway");
  e->type = g_strdup(type);
  e->detail = g_strdup(detail);
  return e;
}

/* Every nullable string key of the incident shape. */
static const char *const nullable_keys[] = {
  "impact", "category", "personal_data", "supplier", "forwarded_by", "detected_at",
  "systems_affected", "information_asset", "asset_owner", "summary", "description",
  "actions_taken", "owner",
};

/* --- tests --- */

static void test_full_incident(void **state)
{
  g_autoptr(IgIncident) inc = full_incident();
  g_autoptr(GPtrArray) deadlines = NEW_LIST(deadline_rec_free);
  g_ptr_array_add(deadlines, deadline("triage", "2026-11-22T18:40:12Z", "pending"));
  g_ptr_array_add(deadlines, deadline("management_report", "2026-12-02T14:40:12Z", "done"));
  g_autoptr(GPtrArray) messages = NEW_LIST(message_rec_free);
  g_ptr_array_add(messages, message("m1@example.org", "in", "report", "ab12", "INC-2026-000042"));
  g_autoptr(GPtrArray) events = NEW_LIST(event_rec_free);
  g_ptr_array_add(events, event("created", "from the form"));
  g_ptr_array_add(events, event("notified", "ost@justice.gov.uk"));

  json_t *o = json_incident(inc, deadlines, messages, events);
  assert_non_null(o);
  expect_str(o, "reference", "INC-2026-000042");
  expect_str(o, "status", "new");
  expect_str(o, "impact", "medium");
  expect_str(o, "category", "phishing");
  expect_bool(o, "near_miss", TRUE);
  expect_str(o, "personal_data", "yes");
  json_t *reporter = member(o, "reporter");
  expect_str(reporter, "name", "Jane Smith");
  expect_str(reporter, "email", "jane.smith@justice.gov.uk");
  expect_str(o, "supplier", "Example Supplier Ltd");
  expect_str(o, "via", "supplier");
  expect_str(o, "source", "forward");
  expect_str(o, "forwarded_by", "helpdesk@example-supplier.co.uk");
  expect_str(o, "detected_at", "2026-11-22T14:05:00Z");
  expect_str(o, "received_at", "2026-11-22T14:40:12Z");
  expect_bool(o, "reported_late", FALSE);
  expect_int(o, "minutes_to_report", 35);
  expect_str(o, "systems_affected", "Outlook");
  expect_str(o, "information_asset", "Prison NOMIS");
  expect_str(o, "asset_owner", "nomis.iao@justice.gov.uk");
  expect_str(o, "summary", "Phishing \"invoice\" mail");
  expect_str(o, "description", "Line one\nLine two – café");
  expect_str(o, "actions_taken", "Deleted it");
  expect_str(o, "owner", "alice@justice.gov.uk");

  json_t *missing = expect_array(o, "missing_fields", 2);
  assert_string_equal(json_string_value(json_array_get(missing, 0)), "systems_affected");
  assert_string_equal(json_string_value(json_array_get(missing, 1)), "business_area");

  json_t *dl = expect_array(o, "deadlines", 2);
  expect_str(json_array_get(dl, 0), "kind", "triage");
  expect_str(json_array_get(dl, 0), "due_at", "2026-11-22T18:40:12Z");
  expect_str(json_array_get(dl, 0), "state", "pending");
  expect_str(json_array_get(dl, 1), "kind", "management_report");
  expect_str(json_array_get(dl, 1), "state", "done");

  json_t *ms = expect_array(o, "messages", 1);
  json_t *m = json_array_get(ms, 0);
  expect_str(m, "message_id", "m1@example.org");
  expect_str(m, "direction", "in");
  expect_str(m, "kind", "report");
  expect_str(m, "sha256", "ab12");

  json_t *ev = expect_array(o, "events", 2);
  expect_str(json_array_get(ev, 0), "at", "2026-11-22T14:40:13Z");
  expect_str(json_array_get(ev, 0), "actor", "gateway");
  expect_str(json_array_get(ev, 0), "type", "created");
  expect_str(json_array_get(ev, 0), "detail", "from the form");
  expect_str(json_array_get(ev, 1), "type", "notified");

  /* 26 keys of SPEC section 2 at the top level. */
  static const char *const spec_keys[] = {
    "reference", "status", "impact", "category", "near_miss", "personal_data", "reporter",
    "supplier", "via", "source", "forwarded_by", "detected_at", "received_at",
    "reported_late", "minutes_to_report", "systems_affected", "information_asset",
    "asset_owner", "summary", "description", "actions_taken", "missing_fields", "owner",
    "deadlines", "messages", "events",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(spec_keys); i++)
    member(o, spec_keys[i]);
  assert_true(json_object_size(o) >= G_N_ELEMENTS(spec_keys));
  expect_round_trip(o);
  json_decref(o);
}

static void test_late_report(void **state)
{
  g_autoptr(IgIncident) inc = full_incident();
  inc->reported_late = 1;
  inc->minutes_to_report = 0;
  inc->near_miss = FALSE;
  json_t *o = json_incident(inc, NULL, NULL, NULL);
  expect_bool(o, "reported_late", TRUE);
  expect_int(o, "minutes_to_report", 0);
  expect_bool(o, "near_miss", FALSE);
  json_decref(o);

  inc->minutes_to_report = 1500;
  o = json_incident(inc, NULL, NULL, NULL);
  expect_int(o, "minutes_to_report", 1500);
  json_decref(o);
}

static void test_unknowns_are_null(void **state)
{
  g_autoptr(IgIncident) inc = incident_new();
  inc->reference = g_strdup("INC-2026-000043");
  inc->status = g_strdup("new");
  inc->via = g_strdup("direct");
  inc->source = g_strdup("free_text");
  inc->received_at = g_strdup("2026-11-22T14:40:12Z");

  json_t *o = json_incident(inc, NULL, NULL, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(nullable_keys); i++)
    expect_null(o, nullable_keys[i]);
  expect_null(o, "reported_late");
  expect_null(o, "minutes_to_report");
  expect_bool(o, "near_miss", FALSE);
  json_t *reporter = member(o, "reporter");
  assert_true(json_is_object(reporter));
  expect_null(reporter, "name");
  expect_null(reporter, "email");
  expect_array(o, "missing_fields", 0);
  expect_array(o, "deadlines", 0);
  expect_array(o, "messages", 0);
  expect_array(o, "events", 0);
  expect_str(o, "received_at", "2026-11-22T14:40:12Z");
  expect_round_trip(o);
  json_decref(o);

  /* Empty arrays given explicitly are [] as well. */
  g_autoptr(GPtrArray) none = g_ptr_array_new();
  o = json_incident(inc, none, none, none);
  expect_array(o, "deadlines", 0);
  expect_array(o, "messages", 0);
  expect_array(o, "events", 0);
  json_decref(o);
}

static void test_message(void **state)
{
  IgMessageRec *m = message("m1@example.org", "in", "report", "ab12", "INC-2026-000042");
  json_t *o = json_message(m);
  expect_str(o, "message_id", "m1@example.org");
  expect_str(o, "from", "jane.smith@justice.gov.uk");
  expect_str(o, "subject", "Vol de données");
  expect_str(o, "received_at", "2026-11-22T14:40:12Z");
  expect_str(o, "kind", "report");
  expect_str(o, "reference", "INC-2026-000042");
  expect_str(o, "sha256", "ab12");
  expect_round_trip(o);
  json_decref(o);
  message_rec_free(m);

  /* Unmatched, and stored without a Message-ID header. */
  m = message(NULL, "in", "bounce", "cd34", NULL);
  g_clear_pointer(&m->subject, g_free);
  o = json_message(m);
  expect_null(o, "message_id");
  expect_null(o, "reference");
  expect_null(o, "subject");
  expect_str(o, "kind", "bounce");
  expect_str(o, "sha256", "cd34");
  json_decref(o);
  message_rec_free(m);
}

static void test_outbox(void **state)
{
  g_autoptr(IgOutboxRec) r = g_new0(IgOutboxRec, 1);
  r->id = 12;
  r->kind = g_strdup("mail");
  r->to = g_strdup("jane.smith@justice.gov.uk");
  r->subject = g_strdup("[INC-2026-000042] Received");
  r->message_id = g_strdup("ig.12@justice.gov.uk");
  r->reference = g_strdup("INC-2026-000042");
  r->state = g_strdup("pending");
  r->attempts = 3;
  r->next_attempt_at = g_strdup("2026-11-22T15:00:00Z");
  r->last_error = g_strdup("421 try later");
  r->created_at = g_strdup("2026-11-22T14:40:12Z");
  json_t *o = json_outbox(r);
  expect_int(o, "id", 12);
  expect_str(o, "kind", "mail");
  expect_str(o, "to", "jane.smith@justice.gov.uk");
  expect_str(o, "subject", "[INC-2026-000042] Received");
  expect_str(o, "message_id", "ig.12@justice.gov.uk");
  expect_str(o, "reference", "INC-2026-000042");
  expect_str(o, "state", "pending");
  expect_int(o, "attempts", 3);
  expect_str(o, "next_attempt_at", "2026-11-22T15:00:00Z");
  expect_str(o, "last_error", "421 try later");
  expect_round_trip(o);
  json_decref(o);

  /* A webhook without incident, never tried. */
  g_autoptr(IgOutboxRec) w = g_new0(IgOutboxRec, 1);
  w->id = 13;
  w->kind = g_strdup("webhook");
  w->to = g_strdup("https://hooks.example.org/ig");
  w->state = g_strdup("sent");
  w->next_attempt_at = g_strdup("2026-11-22T15:00:00Z");
  o = json_outbox(w);
  expect_int(o, "id", 13);
  expect_str(o, "kind", "webhook");
  expect_null(o, "subject");
  expect_null(o, "message_id");
  expect_null(o, "reference");
  expect_str(o, "state", "sent");
  expect_int(o, "attempts", 0);
  expect_null(o, "last_error");
  json_decref(o);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_full_incident),
    cmocka_unit_test(test_late_report),
    cmocka_unit_test(test_unknowns_are_null),
    cmocka_unit_test(test_message),
    cmocka_unit_test(test_outbox),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_stix.c - unit tests for gateway/stix.c: the STIX 2.1 properties a
 * bundle, an indicator and a report must have (types, spec_version, ids
 * of the form type--UUIDv5, millisecond UTC timestamps, pattern_type,
 * valid_from, published, object_refs), the pattern of every observable
 * type with quotes and backslashes escaped, one indicator per pattern
 * named by each incident's report, and ids that do not change when the
 * same observables are exported again. No STIX validator is packaged for
 * Debian, so the spec's rules are asserted here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "gateway/stix.h"
#include "parsers/observables.h"

#define SHA "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

static void add(GPtrArray *obs, const char *type, const char *value, const char *sha256,
                const char *reference)
{
  IgObservable *o = g_new0(IgObservable, 1);
  o->type = g_strdup(type);
  o->value = g_strdup(value);
  o->defanged = observable_defang(type, value);
  o->sha256 = g_strdup(sha256);
  o->reference = g_strdup(reference);
  g_ptr_array_add(obs, o);
}

static GPtrArray *sample(void)
{
  GPtrArray *obs = g_ptr_array_new_with_free_func(observable_free);
  add(obs, "email", "accounts@invoices.example", NULL, "INC-2026-0001");
  add(obs, "domain", "evil.example", NULL, "INC-2026-0001");
  add(obs, "url", "https://evil.example/it's\\here", NULL, "INC-2026-0001");
  add(obs, "ip", "203.0.113.7", NULL, "INC-2026-0001");
  add(obs, "ip", "2001:db8::7", NULL, "INC-2026-0001");
  add(obs, "file", "o'brien.pdf.exe", SHA, "INC-2026-0001");
  add(obs, "file", "nohash.zip", NULL, "INC-2026-0001");
  add(obs, "host", "evil.example", NULL, "INC-2026-0002");
  add(obs, "domain", "evil.example", NULL, "INC-2026-0002");
  add(obs, "phone", "+44 20 7946 0000", NULL, "INC-2026-0002");
  add(obs, "domain", "orphan.example", NULL, NULL);
  return obs;
}

/* 2026-11-23 10:00:00.123456 at +01:00, to see the UTC conversion */
static GDateTime *at(int hour)
{
  g_autoptr(GTimeZone) plus_one = g_time_zone_new_offset(3600);
  return g_date_time_new(plus_one, 2026, 11, 23, hour, 0, 0.123456);
}

static gboolean matches(const char *pattern, const char *text)
{
  return text && g_regex_match_simple(pattern, text, 0, 0);
}

#define UUID5 "[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
#define TIMESTAMP "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"

static const char *get(json_t *o, const char *key)
{
  return json_string_value(json_object_get(o, key));
}

static void assert_id(json_t *o, const char *type)
{
  g_autofree char *pattern = g_strdup_printf("^%s--" UUID5 "$", type);
  if (!matches(pattern, get(o, "id"))) {
    print_error("bad id %s for %s\n", get(o, "id"), type);
    fail();
  }
}

/* The properties every STIX 2.1 domain object must have. */
static void assert_sdo(json_t *o, const char *type, const char *ts)
{
  assert_string_equal(get(o, "type"), type);
  assert_string_equal(get(o, "spec_version"), "2.1");
  assert_id(o, type);
  assert_true(matches(TIMESTAMP, get(o, "created")));
  assert_string_equal(get(o, "created"), ts);
  assert_string_equal(get(o, "modified"), ts);
}

static json_t *find_by(json_t *objects, const char *key, const char *value)
{
  size_t i;
  json_t *o;
  json_array_foreach(objects, i, o) if (!g_strcmp0(get(o, key), value)) return o;
  return NULL;
}

static void test_structure(void **state)
{
  g_autoptr(GPtrArray) obs = sample();
  g_autoptr(GDateTime) now = at(11);
  json_t *bundle = stix_bundle(obs, now);
  const char *ts = "2026-11-23T10:00:00.123Z";
  assert_non_null(bundle);
  assert_string_equal(get(bundle, "type"), "bundle");
  assert_id(bundle, "bundle");
  /* 2.1 bundles carry no spec_version (2.0's did) */
  assert_null(json_object_get(bundle, "spec_version"));
  json_t *objects = json_object_get(bundle, "objects");
  assert_true(json_is_array(objects));

  /* eight distinct patterns (host and domain evil.example are one, the
   * phone number has none), then a report per incident */
  assert_int_equal(json_array_size(objects), 10);
  for (size_t i = 0; i < 8; i++) {
    json_t *ind = json_array_get(objects, i);
    assert_sdo(ind, "indicator", ts);
    assert_string_equal(get(ind, "pattern_type"), "stix");
    assert_string_equal(get(ind, "valid_from"), ts);
    assert_true(g_str_has_prefix(get(ind, "pattern"), "["));
    assert_string_equal(json_string_value(json_array_get(json_object_get(ind, "indicator_types"), 0)),
                        "anomalous-activity");
  }
  json_t *first = json_array_get(objects, 8), *second = json_array_get(objects, 9);
  assert_sdo(first, "report", ts);
  assert_sdo(second, "report", ts);
  assert_string_equal(get(first, "published"), ts);
  assert_string_equal(get(first, "name"), "INC-2026-0001: reported suspicious mail");
  assert_string_equal(get(second, "name"), "INC-2026-0002: reported suspicious mail");

  /* each report names its incident's indicators, in order, once */
  json_t *refs = json_object_get(first, "object_refs");
  assert_int_equal(json_array_size(refs), 7);
  for (size_t i = 0; i < 7; i++)
    assert_string_equal(json_string_value(json_array_get(refs, i)),
                        get(json_array_get(objects, i), "id"));
  refs = json_object_get(second, "object_refs");
  assert_int_equal(json_array_size(refs), 1);
  json_t *evil = find_by(objects, "pattern", "[domain-name:value = 'evil.example']");
  assert_non_null(evil);
  assert_string_equal(json_string_value(json_array_get(refs, 0)), get(evil, "id"));
  assert_non_null(find_by(objects, "pattern", "[domain-name:value = 'orphan.example']"));
  json_t *ext = json_array_get(json_object_get(second, "external_references"), 0);
  assert_string_equal(get(ext, "external_id"), "INC-2026-0002");
  json_decref(bundle);
}

static void test_patterns_escaped(void **state)
{
  g_autoptr(GPtrArray) obs = sample();
  g_autoptr(GDateTime) now = at(11);
  json_t *bundle = stix_bundle(obs, now);
  json_t *objects = json_object_get(bundle, "objects");
  static const char *const want[][2] = {
    {"accounts@invoices.example", "[email-addr:value = 'accounts@invoices.example']"},
    {"evil.example", "[domain-name:value = 'evil.example']"},
    {"https://evil.example/it's\\here", "[url:value = 'https://evil.example/it\\'s\\\\here']"},
    {"203.0.113.7", "[ipv4-addr:value = '203.0.113.7']"},
    {"2001:db8::7", "[ipv6-addr:value = '2001:db8::7']"},
    {"o'brien.pdf.exe",
     "[file:hashes.'SHA-256' = '" SHA "' AND file:name = 'o\\'brien.pdf.exe']"},
    {"nohash.zip", "[file:name = 'nohash.zip']"},
    {"orphan.example", "[domain-name:value = 'orphan.example']"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(want); i++) {
    json_t *ind = find_by(objects, "name", want[i][0]);
    assert_non_null(ind);
    assert_string_equal(get(ind, "pattern"), want[i][1]);
  }
  json_decref(bundle);
}

static void test_ids_deterministic(void **state)
{
  g_autoptr(GPtrArray) obs = sample();
  g_autoptr(GDateTime) now = at(11);
  g_autoptr(GDateTime) later = at(15);
  json_t *one = stix_bundle(obs, now);
  json_t *again = stix_bundle(obs, now);
  json_t *next = stix_bundle(obs, later);
  assert_true(json_equal(one, again));

  /* exported later: the same objects with the same ids, new times */
  json_t *a = json_object_get(one, "objects"), *b = json_object_get(next, "objects");
  assert_int_equal(json_array_size(a), json_array_size(b));
  for (size_t i = 0; i < json_array_size(a); i++) {
    assert_string_equal(get(json_array_get(a, i), "id"), get(json_array_get(b, i), "id"));
    assert_string_equal(get(json_array_get(b, i), "created"), "2026-11-23T14:00:00.123Z");
  }
  assert_string_not_equal(get(one, "id"), get(next, "id"));

  /* UUIDv5 (RFC 4122) of the pattern and of the reference in the
   * project's namespace, as Python's uuid.uuid5 computes them */
  assert_string_equal(get(find_by(a, "name", "evil.example"), "id"),
                      "indicator--dbe61604-ec17-5244-9e4b-439c549943dc");
  assert_string_equal(get(find_by(a, "type", "report"), "id"),
                      "report--8bdcb82f-7b0c-570f-a241-4433ff322183");

  /* an incident's observables alone give its indicators the same ids */
  g_autoptr(GPtrArray) alone = g_ptr_array_new_with_free_func(observable_free);
  add(alone, "host", "evil.example", NULL, "INC-2026-0002");
  json_t *single = stix_bundle(alone, now);
  json_t *s = json_object_get(single, "objects");
  assert_int_equal(json_array_size(s), 2);
  assert_string_equal(get(json_array_get(s, 0), "id"),
                      "indicator--dbe61604-ec17-5244-9e4b-439c549943dc");
  json_decref(single);
  json_decref(one);
  json_decref(again);
  json_decref(next);
}

static void test_empty_and_unusable(void **state)
{
  g_autoptr(GDateTime) now = at(11);
  g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func(observable_free);
  json_t *empty = stix_bundle(none, now);
  assert_string_equal(get(empty, "type"), "bundle");
  assert_id(empty, "bundle");
  /* "one or more" objects, so none is no objects property */
  assert_null(json_object_get(empty, "objects"));
  json_decref(empty);

  /* a value JSON cannot hold is left out, the rest exported */
  add(none, "domain", "bad\xff.example", NULL, "INC-2026-0003");
  add(none, "domain", "good.example", NULL, "INC-2026-0003");
  json_t *bundle = stix_bundle(none, now);
  json_t *objects = json_object_get(bundle, "objects");
  assert_int_equal(json_array_size(objects), 2);
  assert_string_equal(get(json_array_get(objects, 0), "name"), "good.example");
  json_decref(bundle);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_structure),
    cmocka_unit_test(test_patterns_escaped),
    cmocka_unit_test(test_ids_deterministic),
    cmocka_unit_test(test_empty_and_unusable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* stix.c - observables as a STIX 2.1 bundle (stix.h).
 *
 * Built in one pass over the observables: a hash of patterns keeps one
 * indicator per pattern, a hash per reference the report's object_refs,
 * each in the order first seen, so the same observables give the same
 * bundle. */
#include "gateway/stix.h"

#include <string.h>

#include "parsers/observables.h"

/* This project's UUIDv5 namespace, a random UUID drawn once
 * (31d50f58-ed53-4088-a3d5-b23921dc4fdf). Changing it changes every id
 * ever exported, and importers would take everything again as new. */
static const guint8 NAMESPACE[16] = {
  0x31, 0xd5, 0x0f, 0x58, 0xed, 0x53, 0x40, 0x88,
  0xa3, 0xd5, 0xb2, 0x39, 0x21, 0xdc, 0x4f, 0xdf,
};

/* "type--UUIDv5(name)" (RFC 4122 section 4.3: SHA-1 of namespace and
 * name, version 5, variant 10). Caller frees. */
static char *stix_id(const char *type, const char *name)
{
  guint8 d[20];
  gsize len = sizeof d;
  GChecksum *sha1 = g_checksum_new(G_CHECKSUM_SHA1);
  g_checksum_update(sha1, NAMESPACE, sizeof NAMESPACE);
  g_checksum_update(sha1, (const guchar *)name, (gssize)strlen(name));
  g_checksum_get_digest(sha1, d, &len);
  g_checksum_free(sha1);
  d[6] = (guint8)((d[6] & 0x0f) | 0x50);
  d[8] = (guint8)((d[8] & 0x3f) | 0x80);
  return g_strdup_printf("%s--%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                         "%02x%02x%02x%02x%02x%02x",
                         type, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9],
                         d[10], d[11], d[12], d[13], d[14], d[15]);
}

/* STIX timestamps: UTC, millisecond precision, "Z". */
static char *timestamp(GDateTime *now)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc(now);
  g_autofree char *seconds = g_date_time_format(utc, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf("%s.%03dZ", seconds, g_date_time_get_microsecond(utc) / 1000);
}

/* The STIX timestamp of an observable's recording, else fallback. */
static char *recorded(const IgObservable *o, const char *fallback)
{
  g_autoptr(GDateTime) t = o->recorded_at ? g_date_time_new_from_iso8601(o->recorded_at, NULL)
                                          : NULL;
  return t ? timestamp(t) : g_strdup(fallback);
}

/* A string literal of the patterning grammar: in single quotes, with the
 * quote and the backslash escaped. */
static void append_literal(GString *out, const char *value)
{
  g_string_append_c(out, '\'');
  for (const char *p = value; *p; p++) {
    if (*p == '\'' || *p == '\\')
      g_string_append_c(out, '\\');
    g_string_append_c(out, *p);
  }
  g_string_append_c(out, '\'');
}

/* The STIX object path an observable type is compared on; NULL for a
 * type STIX has no pattern for here. */
static const char *object_path(const IgObservable *o)
{
  static const char *const paths[][2] = {
    {"email", "email-addr:value"}, {"domain", "domain-name:value"},
    {"host", "domain-name:value"}, {"url", "url:value"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(paths); i++)
    if (!strcmp(o->type, paths[i][0]))
      return paths[i][1];
  if (!strcmp(o->type, "ip"))
    return strchr(o->value, ':') ? "ipv6-addr:value" : "ipv4-addr:value";
  return NULL;
}

/* The pattern matching o's exact value; NULL for an unknown type. Caller
 * frees. */
static char *pattern(const IgObservable *o)
{
  GString *p = g_string_new("[");
  if (!strcmp(o->type, "file")) {
    if (o->sha256) {
      g_string_append(p, "file:hashes.'SHA-256' = ");
      append_literal(p, o->sha256);
      g_string_append(p, " AND ");
    }
    g_string_append(p, "file:name = ");
  } else if (object_path(o)) {
    g_string_append_printf(p, "%s = ", object_path(o));
  } else {
    g_string_free(p, TRUE);
    return NULL;
  }
  append_literal(p, o->value);
  g_string_append_c(p, ']');
  return g_string_free(p, FALSE);
}

static const char *description(const char *type)
{
  if (!strcmp(type, "email"))
    return "Sender, reply-to or return-path address, or mailto link, of reported suspicious mail";
  if (!strcmp(type, "domain"))
    return "Domain of an address or URL in reported suspicious mail";
  if (!strcmp(type, "url"))
    return "URL in the text or a link target of reported suspicious mail";
  if (!strcmp(type, "ip"))
    return "IP address of a relay or URL host of reported suspicious mail";
  if (!strcmp(type, "host"))
    return "Relay host name in the Received: headers of reported suspicious mail";
  return "Attachment of reported suspicious mail";
}

/* Indicators are of what staff reported as suspicious, not yet judged:
 * "anomalous-activity" of STIX's indicator-type vocabulary says so. */
static json_t *indicator(const IgObservable *o, const char *id, const char *pat, const char *ts)
{
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:s, s:s, s:s}",
                   "type", "indicator", "spec_version", "2.1", "id", id, "created", ts,
                   "modified", ts, "name", o->value, "description", description(o->type),
                   "indicator_types", "anomalous-activity", "pattern", pat,
                   "pattern_type", "stix", "pattern_version", "2.1", "valid_from", ts);
}

static json_t *report(const char *reference, json_t *refs, const char *ts)
{
  g_autofree char *id = stix_id("report", reference);
  g_autofree char *name = g_strdup_printf("%s: reported suspicious mail", reference);
  return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:O, s:[{s:s, s:s}]}",
                   "type", "report", "spec_version", "2.1", "id", id, "created", ts,
                   "modified", ts, "name", name, "report_types", "indicator",
                   "published", ts, "object_refs", refs, "external_references",
                   "source_name", "incident-gateway", "external_id", reference);
}

json_t *stix_bundle(const GPtrArray *observables, GDateTime *now)
{
  g_autofree char *ts = timestamp(now);
  g_autoptr(GHashTable) ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) refs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                     (GDestroyNotify)json_decref);
  g_autoptr(GHashTable) linked = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) first = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) references = g_ptr_array_new();
  GString *seed = g_string_new("bundle ");
  json_t *objects = json_array(), *bundle = NULL;
  char *bundle_id = NULL;
  g_string_append(seed, ts);
  if (!objects)
    goto out;
  for (guint i = 0; observables && i < observables->len; i++) {
    const IgObservable *o = g_ptr_array_index(observables, i);
    g_autofree char *pat = o && o->type && o->value ? pattern(o) : NULL;
    if (!pat)
      continue;
    const char *id = g_hash_table_lookup(ids, pat);
    if (!id) {
      char *new_id = stix_id("indicator", pat);
      g_autofree char *created = recorded(o, ts);
      json_t *ind = indicator(o, new_id, pat, created);
      if (!ind || json_array_append_new(objects, ind) != 0) {
        g_free(new_id);
        continue;
      }
      g_string_append_printf(seed, " %s", new_id);
      g_hash_table_insert(ids, g_strdup(pat), new_id);
      id = new_id;
    }
    if (!o->reference)
      continue;
    json_t *list = g_hash_table_lookup(refs, o->reference);
    if (!list) {
      char *key = g_strdup(o->reference);
      list = json_array();
      if (!list) {
        g_free(key);
        goto out;
      }
      g_hash_table_insert(refs, key, list);
      g_ptr_array_add(references, key);
      g_hash_table_insert(first, g_strdup(key), recorded(o, ts));
    }
    if (g_hash_table_add(linked, g_strconcat(o->reference, "\n", id, NULL)) &&
        json_array_append_new(list, json_string(id)) != 0)
      goto out;
  }
  for (guint i = 0; i < references->len; i++) {
    const char *reference = g_ptr_array_index(references, i);
    json_t *rep = report(reference, g_hash_table_lookup(refs, reference),
                         g_hash_table_lookup(first, reference));
    if (rep) {
      g_string_append_printf(seed, " %s", json_string_value(json_object_get(rep, "id")));
      json_array_append_new(objects, rep);
    }
  }
  /* STIX 2.1 gives a bundle one or more objects, or none at all */
  bundle_id = stix_id("bundle", seed->str);
  bundle = json_array_size(objects)
               ? json_pack("{s:s, s:s, s:O}", "type", "bundle", "id", bundle_id, "objects", objects)
               : json_pack("{s:s, s:s}", "type", "bundle", "id", bundle_id);
out:
  g_free(bundle_id);
  json_decref(objects);
  g_string_free(seed, TRUE);
  return bundle;
}

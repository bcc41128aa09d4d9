/* quarterly.c - the quarterly return to the Cabinet Office: the quarter's
 * bounds, its rows and totals as CSV or JSON (quarterly.h). */
#include "gateway/quarterly.h"

#include <string.h>

#include "gateway/csv.h"
#include "gateway/error.h"
#include "gateway/render_json.h"

/* The return's columns, in order; each is a key of `show --json`. */
static const char *const columns[] = {
  "reference", "received_at", "detected_at", "minutes_to_report", "reported_late",
  "category", "impact", "personal_data", "near_miss", "status", "via", "supplier",
};

/* Totals' names for an incident without a category or an impact. */
#define NO_CATEGORY "not categorised"
#define NO_IMPACT "not assessed"

gboolean quarter_parse(const char *text, GTimeZone *tz, IgQuarter *quarter, GError **error)
{
  *quarter = (IgQuarter){ NULL, NULL, NULL };
  gboolean shape = strlen(text) == 6 && g_ascii_isdigit(text[0]) && g_ascii_isdigit(text[1]) &&
                   g_ascii_isdigit(text[2]) && g_ascii_isdigit(text[3]) &&
                   g_ascii_toupper(text[4]) == 'Q' && text[5] >= '1' && text[5] <= '4';
  g_autoptr(GDateTime) from = NULL, to = NULL;
  if (shape) {
    int year = (int)g_ascii_strtoll(text, NULL, 10);
    int month = (text[5] - '1') * 3 + 1;
    /* GDateTime knows years 1 to 9999: 0000Q1 and 9999Q4 have no bounds. */
    from = g_date_time_new(tz, year, month, 1, 0, 0, 0);
    to = month == 10 ? g_date_time_new(tz, year + 1, 1, 1, 0, 0, 0)
                     : g_date_time_new(tz, year, month + 3, 1, 0, 0, 0);
  }
  if (!from || !to) {
    g_set_error(error, IG_ERROR, IG_ERROR_USAGE,
                "\"%s\": not a quarter (use YYYYQN, N from 1 to 4, e.g. 2026Q4)", text);
    return FALSE;
  }
  quarter->name = g_strdup_printf("%.4sQ%c", text, text[5]);
  quarter->from = iso_utc(from);
  quarter->to = iso_utc(to);
  return TRUE;
}

void quarter_clear(IgQuarter *quarter)
{
  g_clear_pointer(&quarter->name, g_free);
  g_clear_pointer(&quarter->from, g_free);
  g_clear_pointer(&quarter->to, g_free);
}

/* --- totals --- */

typedef struct {
  char *key;
  gint64 n;
} Count;

/* Counts per value, in the order of first sight (or of the seed). */
typedef struct {
  GPtrArray *order;         /* Count*, owned */
  GHashTable *index;        /* key -> Count* in order */
} Tally;

static void count_free(gpointer p)
{
  Count *c = p;
  g_free(c->key);
  g_free(c);
}

static Count *tally_find(Tally *t, const char *key)
{
  Count *c = g_hash_table_lookup(t->index, key);
  if (!c) {
    c = g_new0(Count, 1);
    c->key = g_strdup(key);
    g_ptr_array_add(t->order, c);
    g_hash_table_insert(t->index, c->key, c);
  }
  return c;
}

/* seed: keys listed, with 0, even when nothing has them. */
static void tally_init(Tally *t, const char *const *seed)
{
  t->order = g_ptr_array_new_with_free_func(count_free);
  t->index = g_hash_table_new(g_str_hash, g_str_equal);
  for (; seed && *seed; seed++)
    tally_find(t, *seed);
}

static void tally_clear(Tally *t)
{
  g_hash_table_destroy(t->index);
  g_ptr_array_unref(t->order);
}

static int count_cmp(gconstpointer a, gconstpointer b)
{
  const Count *x = *(Count *const *)a, *y = *(Count *const *)b;
  return strcmp(x->key, y->key);
}

typedef struct {
  gint64 incidents;
  Tally by_category;        /* alphabetical */
  Tally by_impact;          /* low, medium, high, not assessed, then any other */
  gint64 reported_late;
  gint64 near_misses;
  gint64 personal_data;     /* personal_data yes */
} Totals;

static void totals_count(Totals *t, GPtrArray *incidents)
{
  static const char *const impacts[] = { "low", "medium", "high", NO_IMPACT, NULL };
  *t = (Totals){ 0 };
  tally_init(&t->by_category, NULL);
  tally_init(&t->by_impact, impacts);
  for (guint i = 0; i < incidents->len; i++) {
    const IgIncident *inc = g_ptr_array_index(incidents, i);
    t->incidents++;
    tally_find(&t->by_category, inc->category ? inc->category : NO_CATEGORY)->n++;
    tally_find(&t->by_impact, inc->impact ? inc->impact : NO_IMPACT)->n++;
    t->reported_late += inc->reported_late == 1;
    t->near_misses += inc->near_miss == 1;
    t->personal_data += g_strcmp0(inc->personal_data, "yes") == 0;
  }
  g_ptr_array_sort(t->by_category.order, count_cmp);
}

static void totals_clear(Totals *t)
{
  tally_clear(&t->by_category);
  tally_clear(&t->by_impact);
}

/* --- rows --- */

/* One incident's row: the columns of its `show --json` record, so that
 * both formats give each value exactly as show does. */
static json_t *row(const IgIncident *inc)
{
  json_t *record = json_incident(inc, NULL, NULL, NULL);
  json_t *o = json_object();
  for (gsize i = 0; i < G_N_ELEMENTS(columns); i++)
    json_object_set(o, columns[i], json_object_get(record, columns[i]));
  json_decref(record);
  return o;
}

/* --- CSV --- */

static void csv_total(GString *out, const char *group, const char *key, gint64 n)
{
  g_autofree char *name = group ? g_strconcat(group, ":", key, NULL) : g_strdup(key);
  g_string_append(out, "total,");
  csv_text(out, name);
  g_string_append_printf(out, ",%" G_GINT64_FORMAT "\r\n", n);
}

static void csv_tally(GString *out, const char *group, const Tally *t)
{
  for (guint i = 0; i < t->order->len; i++) {
    const Count *c = g_ptr_array_index(t->order, i);
    csv_total(out, group, c->key, c->n);
  }
}

char *quarterly_csv(GPtrArray *incidents)
{
  GString *out = g_string_new(NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(columns); i++)
    g_string_append_printf(out, "%s%s", i ? "," : "", columns[i]);
  g_string_append(out, "\r\n");
  for (guint i = 0; i < incidents->len; i++) {
    json_t *o = row(g_ptr_array_index(incidents, i));
    for (gsize c = 0; c < G_N_ELEMENTS(columns); c++) {
      if (c)
        g_string_append_c(out, ',');
      csv_cell(out, json_object_get(o, columns[c]));
    }
    g_string_append(out, "\r\n");
    json_decref(o);
  }
  Totals t;
  totals_count(&t, incidents);
  g_string_append(out, "\r\n");
  csv_total(out, NULL, "incidents", t.incidents);
  csv_tally(out, "category", &t.by_category);
  csv_tally(out, "impact", &t.by_impact);
  csv_total(out, NULL, "reported_late", t.reported_late);
  csv_total(out, NULL, "near_misses", t.near_misses);
  csv_total(out, NULL, "personal_data", t.personal_data);
  totals_clear(&t);
  return g_string_free(out, FALSE);
}

/* --- JSON --- */

static json_t *json_tally(const Tally *t)
{
  json_t *o = json_object();
  for (guint i = 0; i < t->order->len; i++) {
    const Count *c = g_ptr_array_index(t->order, i);
    json_object_set_new(o, c->key, json_integer(c->n));
  }
  return o;
}

json_t *quarterly_json(const IgQuarter *quarter, GPtrArray *incidents)
{
  json_t *rows = json_array();
  for (guint i = 0; i < incidents->len; i++)
    json_array_append_new(rows, row(g_ptr_array_index(incidents, i)));
  Totals t;
  totals_count(&t, incidents);
  json_t *totals = json_pack("{s:I, s:o, s:o, s:I, s:I, s:I}",
                             "incidents", (json_int_t)t.incidents,
                             "by_category", json_tally(&t.by_category),
                             "by_impact", json_tally(&t.by_impact),
                             "reported_late", (json_int_t)t.reported_late,
                             "near_misses", (json_int_t)t.near_misses,
                             "personal_data", (json_int_t)t.personal_data);
  totals_clear(&t);
  return json_pack("{s:s, s:s, s:s, s:o, s:o}", "quarter", quarter->name, "from", quarter->from,
                   "to", quarter->to, "incidents", rows, "totals", totals);
}

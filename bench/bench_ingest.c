/* bench_ingest.c - durable ingest rate and memory over many messages.
 *
 * Records N distinct reports (the examples with fresh Message-IDs) through
 * intake_batch() exactly as `ingest` and `poll` do: SQLite in WAL mode with
 * synchronous=FULL, one commit per batch, raw message, incident, audit
 * events, deadlines and rendered outbox mail all durable at the commit.
 * The baseline, run side by side on the same disk, is the floor of any
 * durable store: the same raw bytes inserted into a bare SQLite table with
 * the same batching and fsync policy. Prints both rates, their ratio, and
 * the resident set size along the way (it should stay flat). */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gateway/config.h"
#include "gateway/intake.h"
#include "gateway/log.h"
#include "gateway/store.h"
#include "gateway/template.h"

#define BATCH 64

/* The seed without its Message-ID and From header lines. */
static char *strip_identity(const char *seed)
{
  GString *out = g_string_new(NULL);
  g_auto(GStrv) lines = g_strsplit(seed, "\n", -1);
  gboolean in_header = TRUE;
  for (int i = 0; lines[i]; i++) {
    if (in_header && !*lines[i])
      in_header = FALSE;
    if (in_header && (g_str_has_prefix(lines[i], "Message-ID:") ||
                      g_str_has_prefix(lines[i], "From:")))
      continue;
    g_string_append(out, lines[i]);
    if (lines[i + 1])
      g_string_append_c(out, '\n');
  }
  return g_string_free(out, FALSE);
}

static GPtrArray *make_corpus(const char *dir, guint n)
{
  g_autoptr(GPtrArray) seeds = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *data = NULL;
    /* Automatic mail (out-of-office) would not open an incident. */
    if (g_str_has_suffix(name, ".eml") && g_file_get_contents(path, &data, NULL, NULL) &&
        !strstr(data, "Auto-Submitted:"))
      g_ptr_array_add(seeds, strip_identity(data));
  }
  GPtrArray *corpus = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
  for (guint i = 0; seeds->len && i < n; i++) {
    const char *seed = g_ptr_array_index(seeds, i % seeds->len);
    /* A new Message-ID and sender per copy: distinct reports, and the
     * acknowledgement rate limit never applies. */
    char *text = g_strdup_printf("Message-ID: <bench-%u@bench.invalid>\n"
                                 "From: Reporter %u <r%u@justice.gov.uk>\n%s", i, i, i, seed);
    g_ptr_array_add(corpus, g_bytes_new_take(text, strlen(text)));
  }
  return corpus;
}

static long rss_kb(void)
{
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
      resident = 0;
    fclose(f);
  }
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static double baseline(const char *path, GPtrArray *corpus)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  sqlite3_open(path, &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                   "CREATE TABLE m(id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE, raw BLOB)",
               NULL, NULL, NULL);
  sqlite3_prepare_v2(db, "INSERT INTO m(sha256, raw) VALUES(?, ?)", -1, &st, NULL);
  gint64 t0 = g_get_monotonic_time();
  for (guint i = 0; i < corpus->len; i++) {
    if (i % BATCH == 0)
      sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    gsize len = 0;
    const char *raw = g_bytes_get_data(g_ptr_array_index(corpus, i), &len);
    g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)raw, len);
    sqlite3_bind_text(st, 1, sum, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, raw, (int)len, SQLITE_STATIC);
    sqlite3_step(st);
    sqlite3_reset(st);
    if (i % BATCH == BATCH - 1 || i + 1 == corpus->len)
      sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  }
  gint64 t1 = g_get_monotonic_time();
  sqlite3_finalize(st);
  sqlite3_close(db);
  return corpus->len / ((t1 - t0) / 1e6);
}

int main(int argc, char **argv)
{
  const char *examples = argc > 1 ? argv[1] : "examples";
  log_set_level(IG_LOG_WARN);
  guint n = argc > 2 ? (guint)atoi(argv[2]) : 10000;
  g_autofree char *dir = g_dir_make_tmp("ig-bench-XXXXXX", NULL);
  g_autofree char *conf = g_strdup_printf(
      "[gateway]\ndatabase = %s/gateway.db\n[transport]\nurl = dir:%s/outbox\n"
      "rate_limit_total = 1000000/h\n"
      "[stakeholders]\nost = ost@justice.gov.uk\ndacu = dacu@justice.gov.uk\n"
      "siro = siro@justice.gov.uk\naccreditor = acc@justice.gov.uk\n"
      "[assets]\nProbation Delius = delius.iao@justice.gov.uk\n", dir, dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(IgConfig) config = config_load_data(conf, strlen(conf), "bench.conf", &error);
  if (!config) {
    fprintf(stderr, "%s\n", error->message);
    return 1;
  }
  g_autoptr(GPtrArray) corpus = make_corpus(examples, n);
  if (!corpus->len) {
    fprintf(stderr, "no .eml files in %s\n", examples);
    return 1;
  }
  g_autofree char *base_db = g_build_filename(dir, "baseline.db", NULL);
  double base_rate = baseline(base_db, corpus);

  g_autoptr(IgStore) store = store_open(config->database, &error);
  g_autoptr(IgTemplates) templates = templates_new(config->templates);
  if (!store) {
    fprintf(stderr, "%s\n", error->message);
    return 1;
  }
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  IgIntake ctx = { config, store, templates, now, NULL };
  IgIntakeItem items[BATCH];
  long rss_first = 0;
  gint64 t0 = g_get_monotonic_time();
  for (guint start = 0; start < corpus->len; start += BATCH) {
    guint m = MIN(BATCH, corpus->len - start);
    memset(items, 0, sizeof items);
    for (guint i = 0; i < m; i++) {
      items[i].name = "bench";
      items[i].raw = g_ptr_array_index(corpus, start + i);
    }
    if (!intake_batch(&ctx, items, m, &error)) {
      fprintf(stderr, "%s\n", error->message);
      return 1;
    }
    for (guint i = 0; i < m; i++) {
      if (items[i].outcome != IG_INTAKE_NEW)
        fprintf(stderr, "message %u: %s\n", start + i, intake_outcome_name(items[i].outcome));
      intake_item_clear(&items[i]);
    }
    if (!rss_first && start + m >= 1000)
      rss_first = rss_kb();
  }
  gint64 t1 = g_get_monotonic_time();
  double rate = corpus->len / ((t1 - t0) / 1e6);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("ingest: %u messages, batches of %d, synchronous=FULL\n", corpus->len, BATCH);
  printf("ingest: baseline bare SQLite insert   %8.0f msg/s\n", base_rate);
  printf("ingest: gateway durable ingest        %8.0f msg/s (target >= 1500)\n", rate);
  printf("ingest: ratio %.2f of the bare-insert floor\n", rate / base_rate);
  printf("ingest: RSS after 1000 messages %ld KB, after %u %ld KB, peak %ld KB (target < 40 MB)\n",
         rss_first, corpus->len, rss_kb(), ru.ru_maxrss);
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : 1;
}

/* bench_freetext.c - free-text analysis throughput against GMime decoding.
 *
 * The analysis is freetext_extract(), as gateway/report.c calls it on a
 * report's own words (the classification table, the time expressions,
 * the systems, assets and suppliers named). Its inputs, timed apart:
 *   (a) the reports: every .eml under the directories given (the examples
 *       and the test fixtures), each read once beforehand into its own
 *       words, subject and Date as the gateway reads them;
 *   (b) prose: those words repeated into a 4 MB body, analysed in 64 KiB
 *       pieces (throughput over text the analysis reads whole) and as one
 *       body (what one huge message costs).
 * The baseline decodes the same bytes with GMime: each text written as a
 * quoted-printable UTF-8 part beforehand, then parsed and decoded back to
 * a string, as every text of a mail is. Both sides run interleaved in the
 * same process, best of several rounds, timed in CPU time of this thread
 * (the machine is shared: wall time counts the others' work); the ratio
 * is what counts.
 * IG_BENCH_ROUNDS=1 makes one short round, for profiling. */
#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/config.h"
#include "parsers/freetext.h"
#include "parsers/mail.h"
#include "parsers/textparts.h"

#define PROSE_SIZE (4u << 20)
#define PIECE_SIZE (64u << 10)

typedef struct {
  char *text;       /* the words analysed */
  char *subject;
  GDateTime *sent;
  char *encoded;    /* the text as a quoted-printable MIME part */
  gsize encoded_len;
} Sample;

typedef struct {
  const IgConfig *config;
  char **assets, **suppliers;
} Ctx;

static void sample_free(gpointer p)
{
  Sample *s = p;
  g_free(s->text);
  g_free(s->subject);
  if (s->sent)
    g_date_time_unref(s->sent);
  g_free(s->encoded);
  g_free(s);
}

static Sample *sample_new(const char *text, const char *subject, GDateTime *sent)
{
  Sample *s = g_new0(Sample, 1);
  s->text = g_strdup(text);
  s->subject = g_strdup(subject);
  s->sent = sent ? g_date_time_ref(sent) : NULL;
  GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");
  g_mime_text_part_set_text(part, text);
  g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  s->encoded = g_mime_object_to_string(GMIME_OBJECT(part), NULL);
  s->encoded_len = strlen(s->encoded);
  g_object_unref(part);
  return s;
}

static void load_dir(const char *dir, GPtrArray *samples)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
      load_dir(path, samples);
      continue;
    }
    if (!g_str_has_suffix(name, ".eml") || !g_file_get_contents(path, &data, &len, NULL))
      continue;
    g_autoptr(IgMail) mail = mail_parse(data, len, NULL);
    if (!mail)
      continue;
    g_autoptr(IgTextParts) parts = textparts_split(mail->body);
    if (*parts->own)
      g_ptr_array_add(samples, sample_new(parts->own, mail->subject, mail->date));
  }
}

static void analyse(const Ctx *c, const Sample *s)
{
  g_autoptr(IgFreeText) ft =
      freetext_extract(s->text, s->subject, s->sent, c->config->tz,
                       (const char *const *)c->assets, (const char *const *)c->suppliers);
}

static void decode(const Sample *s)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer(s->encoded, s->encoded_len);
  GMimeParser *parser = g_mime_parser_new_with_stream(stream);
  GMimeObject *part = g_mime_parser_construct_part(parser, NULL);
  if (GMIME_IS_TEXT_PART(part))
    g_free(g_mime_text_part_get_text(GMIME_TEXT_PART(part)));
  if (part)
    g_object_unref(part);
  g_object_unref(parser);
  g_object_unref(stream);
}

/* CPU time of this thread, in microseconds. */
static gint64 cpu_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gint64 run_once(const Ctx *c, GPtrArray *samples, guint reps, gboolean ours)
{
  gint64 t0 = cpu_now();
  for (guint k = 0; k < reps; k++)
    for (guint i = 0; i < samples->len; i++) {
      if (ours)
        analyse(c, samples->pdata[i]);
      else
        decode(samples->pdata[i]);
    }
  return MAX(1, cpu_now() - t0);
}

/* Best time of each side over rounds, in microseconds, interleaved and
 * alternating which goes first; reps chosen for about 0.3 s a side. */
static void measure(const Ctx *c, GPtrArray *samples, int rounds, guint *reps,
                    gint64 *best_ours, gint64 *best_base)
{
  const gint64 once = run_once(c, samples, 1, TRUE);
  *reps = rounds > 1 ? (guint)CLAMP(300000 / once, 1, 100000) : 1;
  *best_ours = *best_base = G_MAXINT64;
  for (int r = 0; r < rounds; r++)
    for (int side = 0; side < 2; side++) {
      const gboolean ours = (side + r) % 2 == 1;
      const gint64 spent = run_once(c, samples, *reps, ours);
      gint64 *best = ours ? best_ours : best_base;
      *best = MIN(*best, spent);
    }
}

static void report(const char *what, const Ctx *c, GPtrArray *samples, int rounds)
{
  gsize bytes = 0;
  guint reps;
  gint64 ours, base;
  for (guint i = 0; i < samples->len; i++)
    bytes += strlen(((Sample *)samples->pdata[i])->text);
  measure(c, samples, rounds, &reps, &ours, &base);
  const double mb = (double)bytes * reps / 1e6;
  const double our_rate = mb / (ours / 1e6), base_rate = mb / (base / 1e6);
  printf("freetext: %s: %u texts, %" G_GSIZE_FORMAT " bytes, %u repetitions, best of %d\n",
         what, samples->len, bytes, reps, rounds);
  printf("freetext:   baseline GMime QP decode to UTF-8  %8.1f MB/s\n", base_rate);
  printf("freetext:   free-text analysis                 %8.1f MB/s\n", our_rate);
  printf("freetext:   ratio %.3f\n", our_rate / base_rate);
}

/* The reports' words, one after another, blank lines between, to size. */
static char *prose(GPtrArray *samples, gsize size)
{
  GString *out = g_string_sized_new(size + 1);
  for (guint i = 0; out->len < size; i = (i + 1) % samples->len) {
    g_string_append(out, ((Sample *)samples->pdata[i])->text);
    g_string_append(out, "\n\n");
  }
  g_string_truncate(out, size);
  return g_string_free(out, FALSE);
}

/* Cuts text into pieces of at most size bytes, each ending at a line. */
static void cut(const char *text, gsize size, GDateTime *sent, GPtrArray *pieces)
{
  const char *p = text;
  while (*p) {
    gsize len = strnlen(p, size);
    const char *nl = p[len] ? g_strrstr_len(p, (gssize)len, "\n") : NULL;
    if (nl)
      len = (gsize)(nl - p) + 1;
    g_autofree char *piece = g_strndup(p, len);
    g_ptr_array_add(pieces, sample_new(piece, "Incident", sent));
    p += len;
  }
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR... (directories of .eml files)\n", argv[0]);
    return 2;
  }
  mail_library_init();
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func(sample_free);
  for (int i = 1; i < argc; i++)
    load_dir(argv[i], samples);
  if (!samples->len) {
    fprintf(stderr, "no .eml files with text found\n");
    return 1;
  }
  static const char conf[] = "[gateway]\ntimezone = Europe/London\n"
                             "[stakeholders]\nost = ost@justice.gov.uk\n"
                             "[assets]\nPrison NOMIS = a@justice.gov.uk\n"
                             "Probation Delius = b@justice.gov.uk\n"
                             "Court Store = c@justice.gov.uk\n"
                             "HR Records = d@justice.gov.uk\n"
                             "Legal Aid Casework = e@justice.gov.uk\n"
                             "[suppliers]\nexample-supplier.co.uk = f@justice.gov.uk\n"
                             "securehost-solutions.co.uk = g@justice.gov.uk\n"
                             "printworks-uk.com = h@justice.gov.uk\n";
  g_autoptr(IgConfig) config = config_load_data(conf, sizeof conf - 1, "bench.conf", NULL);
  if (!config) {
    fprintf(stderr, "bench configuration rejected\n");
    return 1;
  }
  g_autofree char **assets = config_pair_names(config->assets);
  g_autofree char **suppliers = config_pair_names(config->suppliers);
  const Ctx ctx = { config, assets, suppliers };
  const char *env = g_getenv("IG_BENCH_ROUNDS");
  const int rounds = env ? MAX(1, atoi(env)) : 5;

  report("(a) reports", &ctx, samples, rounds);

  g_autoptr(GDateTime) sent = g_date_time_new_utc(2026, 11, 23, 17, 0, 0);
  g_autofree char *body = prose(samples, PROSE_SIZE);
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func(sample_free);
  cut(body, PIECE_SIZE, sent, pieces);
  report("(b) 4 MB of prose in 64 KiB pieces", &ctx, pieces, rounds);

  g_autoptr(GPtrArray) whole = g_ptr_array_new_with_free_func(sample_free);
  g_ptr_array_add(whole, sample_new(body, "Incident", sent));
  report("(b) 4 MB of prose as one body", &ctx, whole, MIN(rounds, 3));
  gint64 best = G_MAXINT64;
  for (int r = 0; r < MIN(rounds, 3); r++)
    best = MIN(best, run_once(&ctx, whole, 1, TRUE));
  g_autoptr(IgFreeText) ft = freetext_extract(body, "Incident", sent, config->tz, NULL, NULL);
  printf("freetext:   one 4 MB body analysed in %.1f ms (%" G_GSIZE_FORMAT
         " bytes of it read)\n", best / 1e3, ft->analysed);
  return 0;
}

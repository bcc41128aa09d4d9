/* bench_parse.c - parse + extract throughput against bare GMime.
 *
 * The corpus is every .eml under the directories given (the examples and
 * the test fixtures). The baseline parses each message with GMime and
 * walks every part, decoding text to a null stream: the least any MIME
 * reader must do. Ours runs the gateway's pure pipeline on the same bytes:
 * mail_parse (decode to UTF-8, HTML to text), the form parser and the loop
 * verdict. Both run interleaved in the same process so machine noise hits
 * both alike; the ratio is what counts (target: at least 0.75). */
#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>

#include "gateway/config.h"
#include "gateway/report.h"
#include "parsers/autoreply.h"
#include "parsers/mail.h"

static void load_dir(const char *dir, GPtrArray *corpus)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
      load_dir(path, corpus);
      continue;
    }
    char *data = NULL;
    gsize len = 0;
    if (g_str_has_suffix(name, ".eml") && g_file_get_contents(path, &data, &len, NULL))
      g_ptr_array_add(corpus, g_bytes_new_take(data, len));
  }
}

static void walk_part(GMimeObject *parent, GMimeObject *part, gpointer null_stream)
{
  if (GMIME_IS_PART(part) && !GMIME_IS_MULTIPART(part)) {
    GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(part));
    if (content)
      g_mime_data_wrapper_write_to_stream(content, null_stream);
  }
}

static void baseline(GBytes *raw, GMimeStream *null_stream)
{
  gsize len = 0;
  const char *data = g_bytes_get_data(raw, &len);
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer(data, len);
  GMimeParser *parser = g_mime_parser_new_with_stream(stream);
  GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
  if (msg) {
    (void)g_mime_message_get_subject(msg);
    (void)g_mime_message_get_from(msg);
    g_mime_message_foreach(msg, walk_part, null_stream);
    g_object_unref(msg);
  }
  g_object_unref(parser);
  g_object_unref(stream);
}

static void ours(GBytes *raw, const IgConfig *config, GDateTime *now)
{
  gsize len = 0;
  const char *data = g_bytes_get_data(raw, &len);
  g_autoptr(IgMail) mail = mail_parse(data, len, NULL);
  if (!mail)
    return;
  IgAutoVerdict v = autoreply_classify(mail, config->address);
  (void)v;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(IgIncident) inc = report_build(config, mail, now, problems, decisions);
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR... (directories of .eml files)\n", argv[0]);
    return 2;
  }
  mail_library_init();
  g_autoptr(GPtrArray) corpus = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
  for (int i = 1; i < argc; i++)
    load_dir(argv[i], corpus);
  if (!corpus->len) {
    fprintf(stderr, "no .eml files found\n");
    return 1;
  }
  static const char conf[] = "[stakeholders]\nost = ost@justice.gov.uk\n"
                             "[assets]\nPrison NOMIS = nomis.iao@justice.gov.uk\n"
                             "[suppliers]\nexample-supplier.co.uk = c@justice.gov.uk\n";
  g_autoptr(IgConfig) config = config_load_data(conf, sizeof conf - 1, "bench.conf", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  GMimeStream *null_stream = g_mime_stream_null_new();
  gsize bytes = 0;
  for (guint i = 0; i < corpus->len; i++)
    bytes += g_bytes_get_size(g_ptr_array_index(corpus, i));

  /* About a second of work a side per round, interleaved; IG_BENCH_MESSAGES
   * makes one short round for profiling under callgrind. */
  const char *env = g_getenv("IG_BENCH_MESSAGES");
  guint target = env ? (guint)g_ascii_strtoull(env, NULL, 10) : 20000;
  const int rounds = env ? 1 : 7;
  guint reps = MAX(1, target / corpus->len);
  gint64 best_base = G_MAXINT64, best_ours = G_MAXINT64;
  for (int r = 0; r < rounds; r++) {
    /* Alternate which side goes first, so neither always runs warm. */
    for (int side = 0; side < 2; side++) {
      gboolean run_ours = (side + r) % 2 == 1;
      gint64 t0 = g_get_monotonic_time();
      for (guint k = 0; k < reps; k++)
        for (guint i = 0; i < corpus->len; i++) {
          if (run_ours)
            ours(g_ptr_array_index(corpus, i), config, now);
          else
            baseline(g_ptr_array_index(corpus, i), null_stream);
        }
      gint64 spent = g_get_monotonic_time() - t0;
      if (run_ours)
        best_ours = MIN(best_ours, spent);
      else
        best_base = MIN(best_base, spent);
    }
  }
  double n = (double)reps * corpus->len;
  double base_rate = n / (best_base / 1e6), our_rate = n / (best_ours / 1e6);
  printf("parse: corpus %u messages (%" G_GSIZE_FORMAT " bytes), %u repetitions, best of %d\n",
         corpus->len, bytes, reps, rounds);
  printf("parse: baseline bare GMime parse+walk  %10.0f msg/s\n", base_rate);
  printf("parse: gateway parse+extract           %10.0f msg/s\n", our_rate);
  printf("parse: ratio %.2f (target >= 0.75)\n", our_rate / base_rate);
  g_object_unref(null_stream);
  return 0;
}

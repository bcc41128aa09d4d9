/* fuzz_linear.c - time per byte: a parse whose cost grows faster than its
 * input fails the run.
 *
 * The first byte picks a path, the rest is a unit; the unit is repeated to
 * SMALL and to LARGE bytes (8 times as many) and the path's CPU time on
 * both is compared. Linear work takes about 8 times as long on the large
 * input, n log n about 10 times, quadratic 64 times. A ratio above LIMIT
 * fails the run, unless the large input took less than FLOOR (tiny times
 * are all noise). The shared machine is noisy, so times are CPU time of
 * this process, and a ratio over the limit is measured again, up to
 * RETRIES more times, keeping the least time of each size, before it
 * counts. A path slower still hits libFuzzer's -timeout. With
 * FUZZ_LINEAR_VERBOSE set, every unit's times are printed. */
#include "tests/fuzz/fuzz_pipeline.h"

#include <string.h>
#include <time.h>

#include "parsers/classify.h"
#include "parsers/form.h"
#include "parsers/freetext.h"
#include "parsers/html.h"
#include "parsers/rtf.h"
#include "parsers/textparts.h"

#define SMALL (32 * 1024)
#define LARGE (256 * 1024)
#define LIMIT 24.0
#define FLOOR 0.15 /* seconds */
#define RETRIES 3

typedef enum {
  PATH_MAIL_TEXT,  /* a text/plain body: the whole report pipeline */
  PATH_MAIL_HTML,  /* a text/html body: the whole report pipeline */
  PATH_HEADER,     /* the unit repeated in the header block */
  PATH_MULTIPART,  /* the unit repeated as the body of a multipart */
  PATH_TEXT,       /* each text parser on its own */
  PATH_HTML,       /* html_to_text on its own */
  PATH_RTF,        /* rtf_to_text on its own */
  PATH_COUNT
} Path;

static const char *const heads[PATH_COUNT] = {
  [PATH_MAIL_TEXT] = "From: Jane Doe <jane@example.org>\r\nTo: security@example.gov.uk\r\n"
                     "Subject: Report\r\nDate: Sun, 22 Nov 2026 09:30:00 +0000\r\n"
                     "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
  [PATH_MAIL_HTML] = "From: Jane Doe <jane@example.org>\r\nTo: security@example.gov.uk\r\n"
                     "Subject: Report\r\nDate: Sun, 22 Nov 2026 09:30:00 +0000\r\n"
                     "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n",
  [PATH_HEADER] = "From: Jane Doe <jane@example.org>\r\n",
  [PATH_MULTIPART] = "From: Jane Doe <jane@example.org>\r\nSubject: Report\r\n"
                     "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n",
  [PATH_RTF] = "{\\rtf1\\ansi ",
};
static const char *const tails[PATH_COUNT] = {
  [PATH_HEADER] = "\r\n\r\nA phishing mail arrived at 09:00 today.\r\n",
  [PATH_MULTIPART] = "\r\n--b--\r\n",
  [PATH_RTF] = "}",
};

/* ASan's strstr() wrapper measures the whole haystack on every call, so a
 * loop of strstr() that reads a text once (g_strsplit) costs quadratic time
 * under ASan alone; without the wrapper the times are the code's own. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
  return "intercept_strstr=0";
}

static double cpu_seconds(void)
{
  struct timespec ts;
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    abort();
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The unit repeated to exactly n bytes between the path's head and tail. */
static GString *build(Path path, const uint8_t *unit, size_t unit_len, size_t n)
{
  GString *s = g_string_sized_new(n + 512);
  g_string_append(s, heads[path] ? heads[path] : "");
  const gsize start = s->len;
  while (s->len - start < n)
    g_string_append_len(s, (const char *)unit, (gssize)MIN(unit_len, n - (s->len - start)));
  g_string_append(s, tails[path] ? tails[path] : "");
  return s;
}

static void run_text(const char *raw, gsize len, GTimeZone *tz)
{
  g_autofree char *text = mail_to_utf8(raw, len, "utf-8");
  g_autoptr(GDateTime) sent = g_date_time_new_utc(2026, 11, 22, 9, 30, 0);
  g_autoptr(IgTextParts) parts = textparts_split(text);
  g_autoptr(IgForm) form = form_parse(text, tz);
  g_autoptr(IgFreeText) ft = freetext_extract(text, text, sent, tz, NULL, NULL);
  g_autoptr(GPtrArray) decisions = classify_text(text);
  if (!parts || !form || !ft || !decisions)
    abort();
}

static double run(Path path, const GString *input, GTimeZone *tz)
{
  const double t0 = cpu_seconds();
  switch (path) {
  case PATH_TEXT:
    run_text(input->str, input->len, tz);
    break;
  case PATH_HTML:
    g_free(html_to_text(input->str, input->len));
    break;
  case PATH_RTF:
    g_free(rtf_to_text(input->str, input->len, 0));
    break;
  default:
    fuzz_whole_message(input->str, input->len);
    break;
  }
  return cpu_seconds() - t0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  GTimeZone *tz = fuzz_init();
  if (size < 2)
    return 0;
  const Path path = (Path)(data[0] % PATH_COUNT);
  g_autoptr(GString) small = build(path, data + 1, size - 1, SMALL);
  g_autoptr(GString) large = build(path, data + 1, size - 1, LARGE);
  double ts = run(path, small, tz), tl = run(path, large, tz);
  for (int i = 0; i < RETRIES && tl > FLOOR && tl > LIMIT * ts; i++) {
    ts = MIN(ts, run(path, small, tz));
    tl = MIN(tl, run(path, large, tz));
  }
  if (g_getenv("FUZZ_LINEAR_VERBOSE"))
    fprintf(stderr, "path %d: %.4f s, %.4f s (%.1fx)\n", (int)path, ts, tl, tl / ts);
  if (tl > FLOOR && tl > LIMIT * ts) {
    fprintf(stderr, "superlinear: path %d, %d bytes in %.3f s, %d bytes in %.3f s (%.0fx)\n",
            (int)path, SMALL, ts, LARGE, tl, tl / ts);
    abort();
  }
  return 0;
}

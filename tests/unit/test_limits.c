/* test_limits.c - hostile shapes cost bounded work (SPEC section 9).
 *
 * Each case is a shape that once made a parser's work grow with the
 * square of its size (or worse): HTML cells without a row, runs of words
 * that lead a time, a form label repeated, attached messages nested in
 * each other. Each is asserted on what the work produces where that can
 * show it (how many messages were read), else on a CPU time budget that
 * linear code meets many times over and the old code missed by minutes.
 * Then the limits themselves: what they leave out is noted, never
 * dropped in silence, and an empty part reads cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>
#include <valgrind/valgrind.h>

#include "parsers/form.h"
#include "parsers/freetext.h"
#include "parsers/html.h"
#include "parsers/mail.h"

/* Generous: linear code does each case in a small fraction of this, the
 * old code took minutes. Unoptimised and sanitized builds (make sanitize)
 * run several times slower, and get ten times as long. */
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
#define BUDGET_US (2 * G_USEC_PER_SEC)
#else
#define BUDGET_US (20 * G_USEC_PER_SEC)
#endif

static char *repeat(const char *head, const char *unit, gsize bytes)
{
  GString *s = g_string_new(head);
  while (s->len < bytes)
    g_string_append(s, unit);
  return g_string_free(s, FALSE);
}

/* CPU time of this thread in microseconds: other work on a shared
 * machine does not count against the budget, as wall time would. */
static gint64 cpu_now(void)
{
  struct timespec ts;
  assert_int_equal(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts), 0);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Under valgrind (make test's memory pass) code runs some fifty times
 * slower; the budget grows with it. */
static void assert_within_budget(gint64 start, const char *what)
{
  const gint64 spent = cpu_now() - start;
  const gint64 budget = RUNNING_ON_VALGRIND ? 50 * BUDGET_US : BUDGET_US;
  if (spent > budget)
    print_error("%s took %.1f s\n", what, spent / 1e6);
  assert_true(spent <= budget);
}

static gboolean has_note(const IgMail *m, const char *words)
{
  for (guint i = 0; i < m->skipped->len; i++)
    if (strstr(g_ptr_array_index(m->skipped, i), words))
      return TRUE;
  return FALSE;
}

static char *html_mail(const char *html)
{
  return g_strconcat("From: a@example.org\nSubject: html\nMIME-Version: 1.0\n"
                     "Content-Type: text/html; charset=utf-8\n\n", html, "\n", NULL);
}

/* --- linear parsers --- */

/* Thousands of cells with no table or row around them: one row to the
 * converter, whose cells were each counted among all their siblings. */
static void test_html_cells_without_row(void **state)
{
  g_autofree char *html = repeat("<html><body>", "<td>x</td>", 2 << 20);
  gint64 start = cpu_now();
  g_autofree char *text = html_to_text(html, strlen(html));
  assert_within_budget(start, "2 MB of <td>");
  assert_true(g_str_has_prefix(text, "x | x | x"));

  /* the same as a 400 KB mail, the size of the attack */
  g_autofree char *body = repeat("<html><body>", "<td>x</td>", 400 << 10);
  g_autofree char *raw = html_mail(body);
  start = cpu_now();
  g_autoptr(IgMail) m = mail_parse(raw, strlen(raw), NULL);
  assert_within_budget(start, "a 400 KB mail of <td>");
  assert_non_null(m);
  assert_true(m->body_from_html);
  assert_int_equal(m->skipped->len, 0);
}

/* "at at at ... at": the time reader skipped the whole run of leading
 * words from each of them. */
static void test_freetext_filler_run(void **state)
{
  g_autofree char *text = repeat("It happened ", "at about ", 1 << 20);
  g_autoptr(GDateTime) sent = g_date_time_new_utc(2026, 11, 23, 10, 0, 0);
  const gint64 start = cpu_now();
  g_autoptr(IgFreeText) ft = freetext_extract(text, NULL, sent, NULL, NULL, NULL);
  assert_within_budget(start, "1 MB of \"at about\"");
  assert_null(ft->detected_at);

  /* fillers as people write them still lead a time */
  g_autoptr(IgFreeText) ok =
      freetext_extract("Yesterday, at about 9.30 I noticed it.", NULL, sent, NULL, NULL, NULL);
  assert_non_null(ok->detected_at);
  assert_int_equal(g_date_time_get_hour(ok->detected_at), 9);
}

/* A date label repeated: its value was joined to every repeat, and the
 * whole value copied again each time. Date and time in two lines still
 * make one value; a third line adds nothing. */
static void test_form_date_label_repeated(void **state)
{
  g_autofree char *text = repeat("Reporter name: Jane\n", "Date of detection: 21/11/2026\n",
                                 1 << 20);
  g_autoptr(IgForm) form = form_parse(text, NULL);
  assert_non_null(form->detected_text);
  assert_string_equal(form->detected_text, "21/11/2026 21/11/2026");

  g_autoptr(IgForm) split = form_parse("Reporter name: Jane\nDate of detection: 21/11/2026\n"
                                       "Time detected: 19:45\nDate detected: 22/11/2026\n",
                                       NULL);
  assert_string_equal(split->detected_text, "21/11/2026 19:45");
}

/* message/rfc822 inside message/rfc822, 16 deep: every level read every
 * level below it as a message of its own, so a 100 KB mail made
 * thousands of them and took a minute. */
static guint messages_read(const IgMail *m)
{
  guint n = 1;
  for (guint i = 0; i < m->embedded->len; i++)
    n += messages_read(g_ptr_array_index(m->embedded, i));
  return n;
}

static void test_attached_messages_nested(void **state)
{
  GString *s = g_string_new("From: jane@example.org\nSubject: Fw: look\nMIME-Version: 1.0\n");
  for (int i = 0; i < 16; i++)
    g_string_append_printf(s, "Content-Type: message/rfc822\n\n"
                              "From: x%d@evil.example\nSubject: level %d\nMIME-Version: 1.0\n",
                           i, i);
  g_string_append(s, "Content-Type: text/plain\n\n");
  for (int i = 0; i < 2000; i++)
    g_string_append(s, "innermost text of fifty bytes, give or take a few\n");
  g_autofree char *raw = g_string_free(s, FALSE);
  const gint64 start = cpu_now();
  g_autoptr(IgMail) m = mail_parse(raw, strlen(raw), NULL);
  assert_within_budget(start, "16 nested attached messages");
  assert_non_null(m);
  /* each level holds the next, and eight are read as messages in all */
  assert_int_equal(m->embedded->len, 1);
  assert_int_equal(messages_read(m), 1 + 8);
  const IgMail *first = g_ptr_array_index(m->embedded, 0);
  assert_string_equal(first->from_addr, "x0@evil.example");
  assert_true(has_note(m, "attached message"));
}

/* A Subject of encoded words never closed: GMime's lenient decoder looked
 * ahead from each one to the end of the field (1 MB took minutes). An
 * ordinary mail keeps lenient decoding of a word glued to text. */
static void test_header_encoded_words_unclosed(void **state)
{
  g_autofree char *head = repeat("From: a@example.org\nSubject: ", "=?utf-8?q?Caf=C3 ", 1 << 20);
  g_autofree char *raw = g_strconcat(head, "\n\nbody\n", NULL);
  gint64 start = cpu_now();
  g_autoptr(IgMail) m = mail_parse(raw, strlen(raw), NULL);
  assert_within_budget(start, "a 1 MB Subject of unclosed encoded words");
  assert_non_null(m);

  /* the same field folded into short lines is as long once unfolded */
  g_autofree char *folded_head =
      repeat("From: a@example.org\nSubject: ", "=?utf-8?q?Caf=C3\n ", 512 << 10);
  g_autofree char *folded = g_strconcat(folded_head, "\n\nbody\n", NULL);
  start = cpu_now();
  g_autoptr(IgMail) f = mail_parse(folded, strlen(folded), NULL);
  assert_within_budget(start, "a 512 KB folded Subject of unclosed encoded words");
  assert_non_null(f);

  const char *glued = "From: a@example.org\nSubject: Re:=?utf-8?q?Caf=C3=A9?=\n\nbody\n";
  g_autoptr(IgMail) g = mail_parse(glued, strlen(glued), NULL);
  assert_non_null(g);
  assert_string_equal(g->subject, "Re:Caf\xc3\xa9");
}

/* --- limits, noted --- */

/* 500 levels of multipart: the parts below 16 are not read, and the mail
 * says so. */
static void test_deep_nesting_noted(void **state)
{
  GString *s = g_string_new("From: a@example.org\nSubject: deep\nMIME-Version: 1.0\n");
  for (int i = 0; i < 500; i++)
    g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n",
                           i, i);
  g_string_append(s, "Content-Type: text/plain\n\ndeep text\n");
  for (int i = 499; i >= 0; i--)
    g_string_append_printf(s, "--b%d--\n", i);
  g_autofree char *raw = g_string_free(s, FALSE);
  g_autoptr(IgMail) m = mail_parse(raw, strlen(raw), NULL);
  assert_non_null(m);
  assert_string_equal(m->body, "");
  assert_int_equal(m->skipped->len, 1);
  assert_string_equal(g_ptr_array_index(m->skipped, 0),
                      "1 MIME part nested more than 16 levels deep not read, "
                      "with everything inside");
}

/* A text longer than the rules read is cut on a character boundary. */
static void test_long_text_cut_and_noted(void **state)
{
  g_autofree char *body = repeat("", "caf\xc3\xa9 ", 600 << 10);
  g_autofree char *raw = g_strconcat("From: a@example.org\nSubject: long\nMIME-Version: 1.0\n"
                                     "Content-Type: text/plain; charset=utf-8\n\n", body,
                                     NULL);
  g_autoptr(IgMail) m = mail_parse(raw, strlen(raw), NULL);
  assert_non_null(m);
  assert_true(strlen(m->body) <= 256 << 10);
  assert_true(strlen(m->body) > 255 << 10);
  assert_true(g_utf8_validate(m->body, -1, NULL));
  assert_int_equal(m->skipped->len, 1);
  assert_true(has_note(m, "1 text cut to the first 256"));

  g_autofree char *small = g_strdup("From: a@example.org\nSubject: short\n\nshort\n");
  g_autoptr(IgMail) s = mail_parse(small, strlen(small), NULL);
  assert_int_equal(s->skipped->len, 0);
}

/* An HTML part beyond 1 MiB of markup is converted from its first MiB,
 * and the mail says how long it was. */
static void test_long_html_cut_and_noted(void **state)
{
  g_autofree char *html = repeat("<html><body><p>start</p>",
                                 "<div><span class=\"c\"><b>caf\xc3\xa9</b></span></div>", 1536 << 10);
  g_autofree char *raw = html_mail(html);
  g_autoptr(IgMail) m = mail_parse(raw, strlen(raw), NULL);
  assert_non_null(m);
  assert_true(m->body_from_html);
  assert_true(g_str_has_prefix(m->body, "start"));
  assert_true(g_utf8_validate(m->body, -1, NULL));
  assert_int_equal(m->skipped->len, 1);
  g_autofree char *max = g_format_size_full(1 << 20, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *longest = g_format_size_full(strlen(html) + 1, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *want = g_strdup_printf("1 HTML part cut to the first %s of markup"
                                          " (longest %s)", max, longest);
  assert_string_equal(g_ptr_array_index(m->skipped, 0), want);
}

/* Text attachments beyond the 4 MiB one message may use are not read,
 * and counted: the body and the first attachments are. */
static void test_text_budget_spent_noted(void **state)
{
  GString *s = g_string_new("From: a@example.org\nSubject: many\nMIME-Version: 1.0\n"
                            "Content-Type: multipart/mixed; boundary=\"t\"\n\n"
                            "--t\nContent-Type: text/plain\n\nthe report\n");
  g_autofree char *chunk = repeat("", "log line of a text attachment\n", 200 << 10);
  for (int i = 0; i < 24; i++)
    g_string_append_printf(s, "--t\nContent-Type: text/plain\nContent-Disposition: attachment;"
                              " filename=log%d.txt\n\n%s", i, chunk);
  g_string_append(s, "--t--\n");
  g_autofree char *raw = g_string_free(s, FALSE);
  g_autoptr(IgMail) m = mail_parse(raw, strlen(raw), NULL);
  assert_non_null(m);
  assert_string_equal(m->body, "the report");
  /* 4 MiB in parts of 200 KiB: 21 read (the one that crosses the line
   * whole), 3 not */
  assert_int_equal(m->attachments->len, 21);
  assert_int_equal(m->skipped->len, 1);
  g_autofree char *max = g_format_size_full(4 << 20, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *want = g_strdup_printf("3 text parts not read: the first %s of text was"
                                          " all one message may use", max);
  assert_string_equal(g_ptr_array_index(m->skipped, 0), want);
}

/* libxml2 stops at 256 levels and drops the rest of the document. */
static void test_html_too_deep_noted(void **state)
{
  g_autofree char *html = repeat("<html><body><p>start</p>", "<div>x", 300 * 6);
  g_autofree char *full = g_strconcat(html, "<p>TAIL</p>", NULL);
  gboolean cut = FALSE;
  g_autofree char *text = html_to_text_cut(full, strlen(full), &cut);
  assert_true(cut);
  assert_true(g_str_has_prefix(text, "start"));

  g_autofree char *flat = html_to_text_cut("<p>a</p><div>b</div>", 20, &cut);
  assert_false(cut);

  g_autofree char *raw = html_mail(full);
  g_autoptr(IgMail) m = mail_parse(raw, strlen(raw), NULL);
  assert_true(has_note(m, "HTML part nested too deep"));
}

/* An empty body, and an empty text attachment, read as "". */
static void test_empty_parts(void **state)
{
  static const char empty_body[] = "From: a@example.org\nSubject: nothing\n\n";
  g_autoptr(IgMail) m = mail_parse(empty_body, strlen(empty_body), NULL);
  assert_non_null(m);
  assert_string_equal(m->body, "");

  static const char empty_part[] =
      "From: a@example.org\nSubject: parts\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"e\"\n\n"
      "--e\nContent-Type: text/plain\n\n--e\n"
      "Content-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\n\n"
      "--e--\n";
  g_autoptr(IgMail) p = mail_parse(empty_part, strlen(empty_part), NULL);
  assert_non_null(p);
  assert_string_equal(p->body, "");
  assert_int_equal(p->attachments->len, 1);
  assert_string_equal(((IgTextPart *)g_ptr_array_index(p->attachments, 0))->text, "");
  g_autofree char *none = mail_to_utf8(NULL, 0, "utf-8");
  assert_string_equal(none, "");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_html_cells_without_row),
    cmocka_unit_test(test_freetext_filler_run),
    cmocka_unit_test(test_form_date_label_repeated),
    cmocka_unit_test(test_attached_messages_nested),
    cmocka_unit_test(test_header_encoded_words_unclosed),
    cmocka_unit_test(test_deep_nesting_noted),
    cmocka_unit_test(test_long_text_cut_and_noted),
    cmocka_unit_test(test_long_html_cut_and_noted),
    cmocka_unit_test(test_text_budget_spent_noted),
    cmocka_unit_test(test_html_too_deep_noted),
    cmocka_unit_test(test_empty_parts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_template.c - unit tests for gateway/template.c: rendering, hidden
 * sections skipped by it but read by the check, and the errors that name
 * the file and line of a broken template. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "gateway/error.h"
#include "gateway/template.h"

/* A directory with a well-formed template for each mail the gateway sends. */
static char *fixture_dir(void)
{
  char *dir = g_dir_make_tmp("test_template_XXXXXX", NULL);
  assert_non_null(dir);
  for (const char *const *n = templates_required(); *n; n++) {
    g_autofree char *file = g_strdup_printf("%s/%s.txt", dir, *n);
    assert_true(g_file_set_contents(file, "Subject: [{{reference}}] hello\n\nBody\n", -1, NULL));
  }
  g_autofree char *html = g_strdup_printf("%s/digest.html", dir);
  assert_true(g_file_set_contents(html, "<p>{{reference}}</p>\n", -1, NULL));
  return dir;
}

static void put(const char *dir, const char *name, const char *text)
{
  g_autofree char *file = g_strdup_printf("%s/%s", dir, name);
  assert_true(g_file_set_contents(file, text, -1, NULL));
}

static void remove_dir(char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *f;
  while (d && (f = g_dir_read_name(d))) {
    g_autofree char *path = g_build_filename(dir, f, NULL);
    if (g_remove(path) != 0)
      assert_int_equal(g_rmdir(path), 0);
  }
  assert_int_equal(g_rmdir(dir), 0);
  g_free(dir);
}

/* templates_check() on dir fails with a config error containing want. */
static void check_fails(const char *dir, const char *want)
{
  g_autoptr(IgTemplates) t = templates_new(dir);
  g_autoptr(GError) error = NULL;
  assert_false(templates_check(t, &error));
  assert_non_null(error);
  assert_int_equal(error->code, IG_ERROR_CONFIG);
  if (!strstr(error->message, want))
    fail_msg("error \"%s\" lacks \"%s\"", error->message, want);
}

static void test_render(void **state)
{
  char *dir = fixture_dir();
  put(dir, "ack.txt",
      "Subject: [{{reference}}] {{#late}}LATE {{/late}}recorded\n\n"
      "Hello {{ name }},{{unknown}}\n{{#missing}}\nMissing: {{missing}}\n{{/missing}}\n"
      "{{^missing}}\nNothing missing.\n{{/missing}}\nBye\n");
  g_autoptr(IgTemplates) t = templates_new(dir);
  g_autoptr(GHashTable) vars = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(vars, "reference", "INC-2026-000001");
  g_hash_table_insert(vars, "name", "Jane");
  g_autofree char *subject = NULL, *body = NULL;
  g_autoptr(GError) error = NULL;
  assert_true(templates_render(t, "ack", vars, &subject, &body, &error));
  assert_string_equal(subject, "[INC-2026-000001] recorded");
  /* an unknown variable is empty (template.h); a tag alone on its line
   * leaves no blank line */
  assert_string_equal(body, "Hello Jane,\nNothing missing.\nBye\n");

  g_hash_table_insert(vars, "late", "yes");
  g_hash_table_insert(vars, "missing", "Impact");
  g_autoptr(IgTemplates) t2 = templates_new(dir);
  g_clear_pointer(&subject, g_free);
  g_clear_pointer(&body, g_free);
  assert_true(templates_render(t2, "ack", vars, &subject, &body, &error));
  assert_string_equal(subject, "[INC-2026-000001] LATE recorded");
  assert_string_equal(body, "Hello Jane,\nMissing: Impact\nBye\n");
  remove_dir(dir);
}

/* In an .html template every value is escaped, but {{&name}}: markup
 * the caller built (and escaped) itself. */
static void test_render_html(void **state)
{
  char *dir = fixture_dir();
  put(dir, "page.html", "<p title=\"{{v}}\">{{v}}</p>{{&table}}{{#v}}<b>{{ v }}</b>{{/v}}"
                        "{{&missing}}\n");
  g_autoptr(IgTemplates) t = templates_new(dir);
  g_autoptr(GHashTable) vars = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(vars, "v", "<script>O'Neil & \"co\"</script>");
  g_hash_table_insert(vars, "table", "<table><tr><td>1</td></tr></table>");
  g_autoptr(GError) error = NULL;
  g_autofree char *html = templates_render_html(t, "page", vars, &error);
  assert_non_null(html);
  assert_string_equal(html,
      "<p title=\"&lt;script&gt;O&#39;Neil &amp; &quot;co&quot;&lt;/script&gt;\">"
      "&lt;script&gt;O&#39;Neil &amp; &quot;co&quot;&lt;/script&gt;</p>"
      "<table><tr><td>1</td></tr></table>"
      "<b>&lt;script&gt;O&#39;Neil &amp; &quot;co&quot;&lt;/script&gt;</b>\n");
  /* the text templates insert values as they are */
  put(dir, "notify.txt", "Subject: {{v}}\n\n{{v}} {{&v}}\n");
  g_autofree char *subject = NULL, *body = NULL;
  assert_true(templates_render(t, "notify", vars, &subject, &body, &error));
  assert_string_equal(body, "<script>O'Neil & \"co\"</script> <script>O'Neil & \"co\"</script>\n");
  /* a missing .html template is named; a broken one is found by the check */
  assert_null(templates_render_html(t, "absent", vars, &error));
  assert_non_null(strstr(error->message, "absent.html is missing"));
  put(dir, "page.html", "<p>{{v</p>\n");
  check_fails(dir, "page.html: line 1: {{ without }}");
  remove_dir(dir);
}

/* A section the values hide is not read when rendering (every mail would
 * pay for it), but templates_check() reads it to find its mistakes. */
static void test_hidden_sections(void **state)
{
  char *dir = fixture_dir();
  put(dir, "notify.txt",
      "Subject: x\n\nBefore\n{{#late}}\nLate by {{minutes\n{{/late}}\nAfter\n");
  g_autoptr(IgTemplates) t = templates_new(dir);
  g_autoptr(GHashTable) vars = g_hash_table_new(g_str_hash, g_str_equal);
  g_autofree char *subject = NULL, *body = NULL;
  g_autoptr(GError) error = NULL;
  assert_true(templates_render(t, "notify", vars, &subject, &body, &error));
  assert_string_equal(body, "Before\nAfter\n");
  check_fails(dir, "notify.txt: line 5: {{ without }}");

  /* shown, the same section is read, mistake and all */
  g_hash_table_insert(vars, "late", "yes");
  assert_false(templates_render(t, "notify", vars, &subject, &body, &error));
  assert_non_null(strstr(error->message, "notify.txt: line 5: {{ without }}"));
  remove_dir(dir);
}

static void test_well_formed_directory(void **state)
{
  char *dir = fixture_dir();
  g_autoptr(IgTemplates) t = templates_new(dir);
  g_autoptr(GError) error = NULL;
  assert_true(templates_check(t, &error));
  remove_dir(dir);

  const char *src = g_getenv("IG_SOURCE_DIR");
  g_autofree char *shipped = g_build_filename(src ? src : ".", "templates", NULL);
  g_autoptr(IgTemplates) real = templates_new(shipped);
  assert_true(templates_check(real, &error));
}

static void test_missing_and_unreadable(void **state)
{
  char *dir = fixture_dir();
  g_autofree char *ack = g_build_filename(dir, "ack.txt", NULL);
  assert_int_equal(g_remove(ack), 0);
  g_autofree char *want = g_strdup_printf("template %s is missing: the gateway renders its "
                                          "ack mail from it", ack);
  check_fails(dir, want);
  /* a directory where the file should be: unreadable even for root */
  assert_int_equal(g_mkdir(ack, 0755), 0);
  g_autofree char *named = g_strdup_printf("template %s: ", ack);
  check_fails(dir, named);
  remove_dir(dir);

  g_autoptr(IgTemplates) t = templates_new("/nonexistent/templates");
  g_autoptr(GError) error = NULL;
  assert_false(templates_check(t, &error));
  assert_non_null(strstr(error->message, "/nonexistent/templates"));
}

static void test_syntax_errors(void **state)
{
  static const struct {
    const char *text, *want;
  } cases[] = {
    { "Subject: x\n\nline 3\n{{reference\n", "notify.txt: line 4: {{ without }}" },
    /* "{{name" running on into the next tag would swallow it */
    { "Subject: x\n\n{{reference {{#late}}late{{/late}}\n", "notify.txt: line 3: {{ without }}" },
    { "Subject: x\n\n{{reference\n{{#late}}late{{/late}}\n", "notify.txt: line 3: {{ without }}" },
    { "Subject: x\n\nok\n{{/late}}\n", "notify.txt: line 4: {{/late}} without {{#late}}" },
    { "Subject: x\n\n{{#late}}\nlate\n", "notify.txt: line 3: section {{#late}} has no {{/late}}" },
    /* inside a section the check's empty values hide: found all the same */
    { "Subject: x\n\n{{#late}}\n{{^sealed}}\n{{/late}}\n",
      "notify.txt: line 4: section {{^sealed}} has no {{/sealed}}" },
    { "Subject: x\n\n{{#a}}{{#b}}{{#c}}{{#d}}{{#e}}{{#f}}{{#g}}{{#h}}{{#i}}x"
      "{{/i}}{{/h}}{{/g}}{{/f}}{{/e}}{{/d}}{{/c}}{{/b}}{{/a}}\n",
      "notify.txt: line 3: section {{#i}} is nested more than 8 deep" },
    { "Hello\n\nbody\n", "notify.txt: must start with a Subject: line and a blank line" },
    { "Subject: {{#x}}\n\n{{/x}}body\n", "notify.txt: rendered text lost its Subject: line" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *dir = fixture_dir();
    put(dir, "notify.txt", cases[i].text);
    check_fails(dir, cases[i].want);
    remove_dir(dir);
  }
  /* any other *.txt in the directory is checked too */
  char *dir = fixture_dir();
  put(dir, "digest.txt", "Subject: x\n\n{{oops\n");
  check_fails(dir, "digest.txt: line 3: {{ without }}");
  remove_dir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_render),
    cmocka_unit_test(test_render_html),
    cmocka_unit_test(test_hidden_sections),
    cmocka_unit_test(test_well_formed_directory),
    cmocka_unit_test(test_missing_and_unreadable),
    cmocka_unit_test(test_syntax_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

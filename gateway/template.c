/* template.c - loading and rendering mail templates (template.h). */
#include "gateway/template.h"

#include <string.h>

#include "gateway/error.h"

struct IgTemplates {
  char *dir;
  GHashTable *cache;        /* file name (ack.txt, digest.html) -> file text */
};

/* The mails the gateway sends (cases.c): a directory without one of them
 * would fail every message that needs it, so templates_check() refuses. */
static const char *const required[] = { "ack", "notify", "notify_ost", "correspondence",
                                        "quarantine", "confirmation", "status_changed",
                                        "security_alert", "triage_reminder",
                                        "triage_escalation", "form_reminder",
                                        "form_escalation", "report_reminder",
                                        "report_escalation", "outcome", "digest",
                                        NULL };
/* Mails with an HTML alternative (the digest, digest.c). */
static const char *const required_html[] = { "digest", NULL };

const char *const *templates_required(void)
{
  return required;
}

/* Sections nest at most this deep. */
#define MAX_DEPTH 8

IgTemplates *templates_new(const char *dir)
{
  IgTemplates *t = g_new0(IgTemplates, 1);
  t->dir = g_strdup(dir);
  t->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return t;
}

void templates_free(IgTemplates *t)
{
  if (!t)
    return;
  g_hash_table_destroy(t->cache);
  g_free(t->dir);
  g_free(t);
}

/* The text of templates/file; a .txt must open with its Subject line. */
static const char *load(IgTemplates *t, const char *file, GError **error)
{
  const char *text = g_hash_table_lookup(t->cache, file);
  if (text)
    return text;
  g_autofree char *path = g_build_filename(t->dir, file, NULL);
  g_autofree char *name = g_strndup(file, strcspn(file, "."));
  char *contents = NULL;
  g_autoptr(GError) io = NULL;
  if (!g_file_get_contents(path, &contents, NULL, &io)) {
    if (g_error_matches(io, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      g_set_error(error, IG_ERROR, IG_ERROR_CONFIG,
                  "template %s is missing: the gateway renders its %s mail from it", path, name);
    else
      g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "template %s: %s", path, io->message);
    return NULL;
  }
  if (g_str_has_suffix(file, ".txt") &&
      (!g_str_has_prefix(contents, "Subject:") || !strstr(contents, "\n\n"))) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG,
                "template %s: must start with a Subject: line and a blank line", path);
    g_free(contents);
    return NULL;
  }
  g_hash_table_insert(t->cache, g_strdup(file), contents);
  return contents;
}

char *templates_escape_html(const char *text)
{
  g_autofree char *escaped = g_markup_escape_text(text, -1);
  if (!strstr(escaped, "&apos;"))
    return g_steal_pointer(&escaped);
  g_auto(GStrv) pieces = g_strsplit(escaped, "&apos;", -1);
  return g_strjoinv("&#39;", pieces);
}

static gboolean is_empty(GHashTable *vars, const char *name)
{
  const char *v = g_hash_table_lookup(vars, name);
  return !v || !*v;
}

/* The line of the file (which starts at file) that p is on, from 1. */
static guint line_of(const char *file, const char *p)
{
  guint line = 1;
  for (const char *c = file; c < p; c++)
    line += *c == '\n';
  return line;
}

/* One rendering of a template file. */
typedef struct {
  const char *file;         /* the whole file, for line numbers */
  GHashTable *vars;
  gboolean check;           /* read hidden sections too (templates_check) */
  gboolean html;            /* values are HTML-escaped, but {{&name}} */
} Render;

/* Renders text[0..len), a piece of the template file, into out; returns
 * FALSE on a malformed tag. A hidden section is skipped, as every mail
 * would otherwise pay for reading it; only a check renders it aside, so
 * that a mistake in it is found whatever the values. */
static gboolean render(const Render *r, const char *text, gsize len, GString *out, int depth,
                       GError **error)
{
  const char *p = text, *end = text + len;
  while (p < end) {
    const char *open = g_strstr_len(p, end - p, "{{");
    if (!open) {
      g_string_append_len(out, p, end - p);
      break;
    }
    g_string_append_len(out, p, open - p);
    const char *close = g_strstr_len(open, end - open, "}}");
    /* A tag is one name on one line: "{{name" that runs on into the next
     * tag would silently swallow it. */
    if (!close || memchr(open + 2, '\n', close - open - 2) ||
        g_strstr_len(open + 2, close - open - 2, "{{")) {
      g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "line %u: {{ without }}",
                  line_of(r->file, open));
      return FALSE;
    }
    g_autofree char *tag = g_strstrip(g_strndup(open + 2, close - open - 2));
    p = close + 2;
    if (tag[0] == '/') {
      g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "line %u: {{%s}} without {{#%s}}",
                  line_of(r->file, open), tag, tag + 1);
      return FALSE;
    }
    if (tag[0] == '&') {
      /* Markup the caller built and escaped itself (digest tables). */
      const char *v = g_hash_table_lookup(r->vars, g_strstrip(tag + 1));
      if (v)
        g_string_append(out, v);
      continue;
    }
    if (tag[0] != '#' && tag[0] != '^') {
      const char *v = g_hash_table_lookup(r->vars, tag);
      g_autofree char *escaped = v && r->html ? templates_escape_html(v) : NULL;
      if (v)
        g_string_append(out, escaped ? escaped : v);
      continue;
    }
    g_autofree char *end_tag = g_strdup_printf("{{/%s}}", tag + 1);
    const char *section_end = g_strstr_len(p, end - p, end_tag);
    if (!section_end) {
      g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "line %u: section {{%s}} has no %s",
                  line_of(r->file, open), tag, end_tag);
      return FALSE;
    }
    if (depth >= MAX_DEPTH) {
      g_set_error(error, IG_ERROR, IG_ERROR_CONFIG,
                  "line %u: section {{%s}} is nested more than %d deep", line_of(r->file, open),
                  tag, MAX_DEPTH);
      return FALSE;
    }
    gboolean show = (tag[0] == '#') != is_empty(r->vars, tag + 1);
    const char *content = p;
    /* A section tag alone on its line should not leave a blank line. */
    if (*content == '\n' && (out->len == 0 || out->str[out->len - 1] == '\n'))
      content++;
    if (show || r->check) {
      g_autoptr(GString) hidden = show ? NULL : g_string_new(NULL);
      if (content < section_end &&
          !render(r, content, section_end - content, show ? out : hidden, depth + 1, error))
        return FALSE;
    }
    p = section_end + strlen(end_tag);
    if (p < end && *p == '\n' && (out->len == 0 || out->str[out->len - 1] == '\n'))
      p++;
  }
  return TRUE;
}

/* Renders templates/file into out (caller unrefs), reading hidden
 * sections too when check. */
static GString *render_file(IgTemplates *t, const char *file, GHashTable *vars, gboolean check,
                            GError **error)
{
  const char *text = load(t, file, error);
  if (!text)
    return NULL;
  const Render r = { text, vars, check, g_str_has_suffix(file, ".html") };
  GString *out = g_string_new(NULL);
  g_autoptr(GError) err = NULL;
  if (!render(&r, text, strlen(text), out, 0, &err)) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "template %s/%s: %s", t->dir, file,
                err->message);
    g_string_free(out, TRUE);
    return NULL;
  }
  return out;
}

/* templates_render() of name.txt, reading hidden sections too when check. */
static gboolean render_text(IgTemplates *t, const char *name, GHashTable *vars, gboolean check,
                            char **subject, char **body, GError **error)
{
  g_autofree char *file = g_strdup_printf("%s.txt", name);
  g_autoptr(GString) out = render_file(t, file, vars, check, error);
  if (!out)
    return FALSE;
  char *split = strstr(out->str, "\n\n");
  if (!g_str_has_prefix(out->str, "Subject:") || !split) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG,
                "template %s/%s: rendered text lost its Subject: line", t->dir, file);
    return FALSE;
  }
  g_autofree char *subj = g_strndup(out->str + strlen("Subject:"),
                                    split - out->str - strlen("Subject:"));
  *subject = g_strstrip(g_strdelimit(g_steal_pointer(&subj), "\r\n", ' '));
  *body = g_strdup(split + 2);
  return TRUE;
}

gboolean templates_render(IgTemplates *t, const char *name, GHashTable *vars,
                          char **subject, char **body, GError **error)
{
  return render_text(t, name, vars, FALSE, subject, body, error);
}

char *templates_render_html(IgTemplates *t, const char *name, GHashTable *vars, GError **error)
{
  g_autofree char *file = g_strdup_printf("%s.html", name);
  GString *out = render_file(t, file, vars, FALSE, error);
  return out ? g_string_free(out, FALSE) : NULL;
}

gboolean templates_check(IgTemplates *t, GError **error)
{
  g_autoptr(GError) io = NULL;
  g_autoptr(GDir) dir = g_dir_open(t->dir, 0, &io);
  if (!dir) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "templates: %s", io->message);
    return FALSE;
  }
  g_autoptr(GHashTable) none = g_hash_table_new(g_str_hash, g_str_equal);
  for (const char *const *name = required; *name; name++) {
    g_autofree char *subject = NULL, *body = NULL;
    if (!render_text(t, *name, none, TRUE, &subject, &body, error))
      return FALSE;
  }
  for (const char *const *name = required_html; *name; name++) {
    g_autofree char *file = g_strdup_printf("%s.html", *name);
    g_autoptr(GString) out = render_file(t, file, none, TRUE, error);
    if (!out)
      return FALSE;
  }
  const char *file;
  while ((file = g_dir_read_name(dir))) {
    if (g_str_has_suffix(file, ".html")) {
      g_autoptr(GString) out = render_file(t, file, none, TRUE, error);
      if (!out)
        return FALSE;
      continue;
    }
    if (!g_str_has_suffix(file, ".txt"))
      continue;
    g_autofree char *name = g_strndup(file, strlen(file) - 4);
    g_autofree char *subject = NULL, *body = NULL;
    if (!render_text(t, name, none, TRUE, &subject, &body, error))
      return FALSE;
  }
  return TRUE;
}

/* intake_fixture.h - test fixture for the tests that run mail through
 * intake: a configuration with a store and a dir: outbox in a fresh
 * temporary directory (removed afterwards), the templates of the source
 * tree, and the clock at 2026-11-23 10:00 UTC; and mail recorded one at
 * a time and the outbox read back. Include after cmocka.h. */
#ifndef IG_TEST_INTAKE_FIXTURE_H
#define IG_TEST_INTAKE_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "gateway/config.h"
#include "gateway/intake.h"
#include "gateway/log.h"
#include "gateway/store.h"
#include "gateway/template.h"
#include "parsers/mail.h"
#include "test_database.h"

typedef struct {
  char *dir;
  char *schema;             /* on PostgreSQL, the test's schema */
  IgConfig *config;
  IgStore *store;
  IgTemplates *templates;
  GDateTime *now;
  IgIntake ctx;
  int sent;                 /* for tests that number the mail they make */
} Fixture;

/* transport_extra: lines added to [transport] (rate limits), or "";
 * sections: more configuration after [stakeholders] ("[ost]\n..."), or "". */
G_GNUC_UNUSED static Fixture *intake_fixture_new_with(const char *transport_extra,
                                                      const char *sections)
{
  Fixture *f = g_new0(Fixture, 1);
  f->dir = g_dir_make_tmp("ig-intake-XXXXXX", NULL);
  assert_non_null(f->dir);
  g_autofree char *database = test_database_new(f->dir, "g.db", &f->schema);
  g_autofree char *conf = g_strdup_printf(
      "[gateway]\ndatabase = %s\n[transport]\nurl = dir:%s/out\n%s\n"
      "[stakeholders]\nost = ost@x.gov.uk\n%s", database, f->dir, transport_extra, sections);
  g_autoptr(GError) error = NULL;
  f->config = config_load_data(conf, strlen(conf), "test.conf", &error);
  if (!f->config)
    fail_msg("config: %s", error->message);
  f->store = store_open(f->config->database, NULL);
  assert_non_null(f->store);
  const char *src = g_getenv("IG_SOURCE_DIR");
  g_autofree char *templates = g_build_filename(src ? src : ".", "templates", NULL);
  f->templates = templates_new(templates);
  f->now = g_date_time_new_utc(2026, 11, 23, 10, 0, 0);
  f->ctx = (IgIntake){ f->config, f->store, f->templates, f->now, NULL };
  log_set_level(IG_LOG_ERROR);
  return f;
}

G_GNUC_UNUSED static Fixture *intake_fixture_new(const char *transport_extra)
{
  return intake_fixture_new_with(transport_extra, "");
}

static void intake_fixture_free(Fixture *f)
{
  store_close(f->store);
  test_database_free(f->schema);
  g_free(f->schema);
  templates_free(f->templates);
  config_free(f->config);
  g_date_time_unref(f->now);
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);
  assert_int_equal(system(cmd), 0);
  g_free(f->dir);
  g_free(f);
}

/* The store passes `verify`, or the test fails naming why. */
G_GNUC_UNUSED static void expect_verifies(Fixture *f)
{
  g_autoptr(GError) error = NULL;
  IgVerifyCounts n;
  if (!store_verify(f->store, &n, &error))
    fail_msg("verify: %s", error->message);
}

typedef struct {
  GString *text;
  int rows;
} Lines;

static void add_first_column(int n, const char *const *values, gpointer data)
{
  Lines *lines = data;
  if (lines->rows++)
    g_string_append_c(lines->text, '\n');
  g_string_append(lines->text, n && values[0] ? values[0] : "");
}

/* The first column of each row of sql, run on the store's own connection
 * (test_store_rows()), one a line with no newline after the last, a NULL
 * as ""; NULL when there is no row. */
G_GNUC_UNUSED static char *query_text(Fixture *f, const char *sql)
{
  Lines lines = { g_string_new(NULL), 0 };
  test_store_rows(f->store, sql, add_first_column, &lines);
  return g_string_free(lines.text, lines.rows == 0);
}

/* Records raw alone; the item is the caller's to clear. */
G_GNUC_UNUSED static IgIntakeItem ingest_one(Fixture *f, const char *raw)
{
  g_autoptr(GBytes) bytes = g_bytes_new(raw, strlen(raw));
  IgIntakeItem item = { .name = "test", .raw = bytes };
  assert_true(intake_batch(&f->ctx, &item, 1, NULL));
  return item;
}

/* Fails, showing haystack, unless it holds needle. */
G_GNUC_UNUSED static void expect_contains(const char *haystack, const char *needle)
{
  if (!strstr(haystack, needle))
    fail_msg("\"%s\" not in:\n%s", needle, haystack);
}

/* The incident's events of type, one a line: "actor: detail", or the
 * detail alone without with_actor. Caller frees. */
G_GNUC_UNUSED static char *events_of(Fixture *f, const char *ref, const char *type,
                                     gboolean with_actor)
{
  gint64 id = store_incident_id(f->store, ref, NULL);
  g_autoptr(GPtrArray) events = store_incident_events(f->store, id, NULL);
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < events->len; i++) {
    const IgEventRec *e = g_ptr_array_index(events, i);
    if (strcmp(e->type, type) != 0)
      continue;
    if (with_actor)
      g_string_append_printf(s, "%s: ", e->actor);
    g_string_append_printf(s, "%s\n", e->detail);
  }
  return g_string_free(s, FALSE);
}

/* Every pending mail as "template>to" lines; mails of the template wanted
 * are appended to *body as read back: Subject, In-Reply-To, References
 * and the decoded text. Each is marked sent on the way. */
G_GNUC_UNUSED static char *drain_outbox(Fixture *f, const char *template, GString *body)
{
  GString *s = g_string_new(NULL);
  IgOutboxRec *r;
  while ((r = store_outbox_claim(f->store, "2100-01-01T00:00:00Z", "test",
                                 "2100-01-01T00:10:00Z", NULL))) {
    g_string_append_printf(s, "%s>%s\n", r->template_name, r->to);
    if (body && template && strcmp(r->template_name, template) == 0 && r->body) {
      gsize len = 0;
      const char *data = g_bytes_get_data(r->body, &len);
      g_autoptr(IgMail) mail = mail_parse(data, len, NULL);
      assert_non_null(mail);
      g_string_append_printf(body, "Subject: %s\nIn-Reply-To: <%s>\nReferences:",
                             mail->subject, mail->in_reply_to ? mail->in_reply_to : "none");
      for (char **id = mail->references; id && *id; id++)   /* In-Reply-To's too */
        g_string_append_printf(body, " <%s>", *id);
      g_string_append(body, "\n\n");
      for (const char *c = mail->body; *c; c++)   /* lines end CR LF on the wire */
        if (*c != '\r')
          g_string_append_c(body, *c);
    }
    assert_true(store_outbox_sent(f->store, r->id, "2026-11-23T10:00:00Z", NULL));
    outbox_rec_free(r);
  }
  return g_string_free(s, FALSE);
}

#endif

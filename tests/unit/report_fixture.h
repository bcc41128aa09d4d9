/* report_fixture.h - what the tests of report_build() share: a
 * configuration with a help desk domain, a supplier and an information
 * asset; a raw mail built into an incident received at 2026-11-23 10:30
 * UTC, with its problems and decisions; and looking those up. Include
 * after cmocka.h. */
#ifndef IG_TEST_REPORT_FIXTURE_H
#define IG_TEST_REPORT_FIXTURE_H

#include <string.h>

#include "gateway/config.h"
#include "gateway/report.h"
#include "parsers/mail.h"

static const char conf[] =
    "[gateway]\naddress = security@justice.gov.uk\n"
    "[stakeholders]\nost = ost@justice.gov.uk\nhelpdesk_domains = servicedesk.justice.gov.uk\n"
    "[suppliers]\nexample-supplier.co.uk = contracts@justice.gov.uk\n"
    "[assets]\nPrison NOMIS = nomis.iao@justice.gov.uk\n";

typedef struct {
  IgConfig *config;
  GPtrArray *problems;
  GPtrArray *decisions;
  IgIncident *inc;
} Built;

G_GNUC_UNUSED static Built build(const char *raw)
{
  Built b = { config_load_data(conf, strlen(conf), "t.conf", NULL),
              g_ptr_array_new_with_free_func(g_free), g_ptr_array_new_with_free_func(g_free),
              NULL };
  assert_non_null(b.config);
  g_autoptr(IgMail) mail = mail_parse(raw, strlen(raw), NULL);
  assert_non_null(mail);
  g_autoptr(GDateTime) received = g_date_time_new_utc(2026, 11, 23, 10, 30, 0);
  b.inc = report_build(b.config, mail, received, b.problems, b.decisions);
  return b;
}

G_GNUC_UNUSED static void done(Built *b)
{
  incident_free(b->inc);
  g_ptr_array_unref(b->problems);
  g_ptr_array_unref(b->decisions);
  config_free(b->config);
}

G_GNUC_UNUSED static gboolean has_decision(const Built *b, const char *prefix)
{
  for (guint i = 0; i < b->decisions->len; i++)
    if (g_str_has_prefix(g_ptr_array_index(b->decisions, i), prefix))
      return TRUE;
  return FALSE;
}

G_GNUC_UNUSED static gboolean has_problem(const Built *b, const char *text)
{
  for (guint i = 0; i < b->problems->len; i++)
    if (strcmp(g_ptr_array_index(b->problems, i), text) == 0)
      return TRUE;
  return FALSE;
}

#endif

/* fuzz_pipeline.h - the whole work on one new report, for fuzz_report and
 * fuzz_linear: mail_parse, the automatic-mail verdict and report_build
 * under a small configuration that names suppliers, assets and a help
 * desk, so the forward, routing and asset paths are all reachable. */
#ifndef IG_FUZZ_PIPELINE_H
#define IG_FUZZ_PIPELINE_H

#include "tests/fuzz/fuzz.h"

#include "gateway/config.h"
#include "gateway/report.h"
#include "parsers/autoreply.h"

static const char fuzz_conf[] =
    "[gateway]\naddress = security@example.gov.uk\n"
    "[stakeholders]\nost = ost@example.gov.uk\nhelpdesk_domains = servicedesk.example.gov.uk\n"
    "[suppliers]\nexample-supplier.co.uk = contracts@example.gov.uk\n"
    "[assets]\nPrison NOMIS = nomis.iao@example.gov.uk\nHR Records = hr.iao@example.gov.uk\n";

static inline void fuzz_whole_message(const char *raw, gsize len)
{
  static IgConfig *config;
  if (!config && !(config = config_load_data(fuzz_conf, sizeof fuzz_conf - 1, "fuzz.conf", NULL)))
    abort();
  g_autoptr(IgMail) mail = mail_parse(raw, len, NULL);
  if (!mail)
    return;
  (void)autoreply_classify(mail, config->address);
  g_autoptr(GDateTime) received = g_date_time_new_utc(2026, 11, 22, 10, 0, 0);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(IgIncident) inc = report_build(config, mail, received, problems, decisions);
  if (!inc)
    abort();
  fuzz_check_utf8("summary", inc->summary);
  fuzz_check_utf8("description", inc->description);
  for (guint i = 0; i < problems->len; i++)
    fuzz_check_utf8("problem", g_ptr_array_index(problems, i));
}

#endif

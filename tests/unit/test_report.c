/* test_report.c - unit tests for gateway/report.c: a parsed mail becomes
 * incident fields: the form, free text by rule with each decision
 * recorded, forwards unwrapped with the forwarder's domain deciding the
 * route, reporter names as people say them, missing fields listed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "gateway/config.h"
#include "gateway/report.h"
#include "parsers/mail.h"

static const char conf[] =
    "[stakeholders]\nhelpdesk_domains = servicedesk.justice.gov.uk\n"
    "[suppliers]\nexample-supplier.co.uk = contracts@justice.gov.uk\n"
    "[assets]\nPrison NOMIS = nomis.iao@justice.gov.uk\n";

typedef struct {
  IgConfig *config;
  GPtrArray *problems;
  GPtrArray *decisions;
  IgIncident *inc;
} Built;

static Built build(const char *raw)
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

static void done(Built *b)
{
  incident_free(b->inc);
  g_ptr_array_unref(b->problems);
  g_ptr_array_unref(b->decisions);
  config_free(b->config);
}

static gboolean has_decision(const Built *b, const char *prefix)
{
  for (guint i = 0; i < b->decisions->len; i++)
    if (g_str_has_prefix(g_ptr_array_index(b->decisions, i), prefix))
      return TRUE;
  return FALSE;
}

static void test_person_name(void **state)
{
  const char *cases[][2] = {
    { "Okafor, David", "David Okafor" }, { "Dr Helen Morrow", "Helen Morrow" },
    { "Ó Floinn, Seán", "Seán Ó Floinn" }, { "Jane Smith", "Jane Smith" },
    { "  ", NULL }, { "Mrs. Ann Lee", "Ann Lee" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *got = report_person_name(cases[i][0]);
    assert_string_equal(got ? got : "(null)", cases[i][1] ? cases[i][1] : "(null)");
  }
  assert_null(report_person_name(NULL));
}

static void test_free_text_decisions(void **state)
{
  Built b = build("From: \"Patel, Priya\" <priya.patel@justice.gov.uk>\n"
                  "Subject: Stolen laptop\nDate: Mon, 23 Nov 2026 10:15:00 +0000\n\n"
                  "My laptop was stolen from my car at about 9.30 this morning.\n\n"
                  "Kind regards,\nPriya\n");
  assert_string_equal(b.inc->source, "free_text");
  assert_string_equal(b.inc->reporter_name, "Priya Patel");
  assert_string_equal(b.inc->category, "lost-or-stolen-equipment");
  assert_string_equal(b.inc->detected_at, "2026-11-23T09:30:00Z");
  assert_int_equal(b.inc->minutes_to_report, 60);
  assert_true(has_decision(&b, "category = lost-or-stolen-equipment, from \""));
  assert_true(has_decision(&b, "detected_at = 2026-11-23T09:30:00Z"));
  assert_null(strstr(b.inc->description, "Kind regards"));
  assert_non_null(b.inc->missing_fields[0]);
  done(&b);
}

static void test_supplier_forward(void **state)
{
  Built b = build("From: Service Desk <desk@example-supplier.co.uk>\n"
                  "Subject: FW: Phishing email received\nDate: Mon, 23 Nov 2026 10:20:00 +0000\n\n"
                  "Forwarding as required by the contract.\n\n"
                  "---------- Forwarded message ---------\n"
                  "From: Tom Harris <tom.harris@example-supplier.co.uk>\n"
                  "Date: Mon, 23 Nov 2026 at 09:50\n"
                  "Subject: Phishing email received\n"
                  "To: Service Desk <desk@example-supplier.co.uk>\n\n"
                  "I received a phishing email asking for my password at 09:40.\n");
  assert_string_equal(b.inc->source, "forward");
  assert_string_equal(b.inc->via, "supplier");
  assert_string_equal(b.inc->supplier, "example-supplier.co.uk");
  assert_string_equal(b.inc->forwarded_by, "desk@example-supplier.co.uk");
  assert_string_equal(b.inc->reporter_email, "tom.harris@example-supplier.co.uk");
  assert_string_equal(b.inc->reporter_name, "Tom Harris");
  assert_string_equal(b.inc->summary, "Phishing email received");
  assert_true(has_decision(&b, "forward unwrapped (1 level): original from tom.harris@"));
  done(&b);
}

static void test_helpdesk_forward_of_form(void **state)
{
  Built b = build("From: IT Service Desk <desk@servicedesk.justice.gov.uk>\n"
                  "Subject: FW: Incident report\n\n"
                  "-----Original Message-----\n"
                  "From: Jane Smith <jane.smith@justice.gov.uk>\n"
                  "Sent: 23 November 2026 09:14\n"
                  "To: IT Service Desk\n"
                  "Subject: Incident report\n\n"
                  "Reporter name: Jane Smith\nIncident category: Malware\nImpact: Low\n"
                  "Information asset: Prison NOMIS\n");
  assert_string_equal(b.inc->source, "forward");
  assert_string_equal(b.inc->via, "helpdesk");
  assert_null(b.inc->supplier);
  assert_string_equal(b.inc->category, "malware");
  assert_string_equal(b.inc->asset_owner, "nomis.iao@justice.gov.uk");
  assert_string_equal(b.inc->forwarded_by, "desk@servicedesk.justice.gov.uk");
  done(&b);
}

static void test_form_relative_detection(void **state)
{
  Built b = build("From: Chloe Barker <chloe.barker@justice.gov.uk>\n"
                  "Subject: Phishing form\nDate: Mon, 23 Nov 2026 09:20:00 +0000\n\n"
                  "Reporter name: Chloe Barker\nDetected at: today, 08:50\n"
                  "Incident category: Phishing\nImpact: Low\n");
  assert_string_equal(b.inc->source, "form");
  assert_string_equal(b.inc->detected_at, "2026-11-23T08:50:00Z");
  assert_int_equal(b.problems->len, 0);
  assert_true(has_decision(&b, "detected_at = 2026-11-23T08:50:00Z, from \"today, 08:50\""));
  done(&b);
  Built split = build("From: a@justice.gov.uk\nSubject: x\n\nReporter name: A B\n"
                      "Date of detection: 21/11/2026\nTime detected: 19:45\nImpact: Low\n");
  assert_string_equal(split.inc->detected_at, "2026-11-21T19:45:00Z");
  done(&split);
}

static void test_near_miss_words(void **state)
{
  Built b = build("From: a@justice.gov.uk\nSubject: x\n\n"
                  "A near miss: I nearly clicked a phishing link but stopped.\n");
  assert_true(b.inc->near_miss);
  assert_true(has_decision(&b, "near_miss = true"));
  done(&b);
  Built not = build("From: a@justice.gov.uk\nSubject: x\n\nThis was not a near miss, I clicked.\n");
  assert_false(not.inc->near_miss);
  done(&not);
}

static void test_forwarder_note_fills_gaps(void **state)
{
  Built b = build("From: Desk <desk@example-supplier.co.uk>\nSubject: FW: bucket\n\n"
                  "Please treat this as a supply chain incident.\n\n"
                  "---------- Forwarded message ---------\n"
                  "From: Femi <femi@example-supplier.co.uk>\n"
                  "Date: Mon, 23 Nov 2026 at 09:50\nSubject: bucket\n\n"
                  "A storage bucket was left open.\n");
  assert_string_equal(b.inc->category, "supply-chain");
  assert_true(has_decision(&b, "category = supply-chain, from \"supply chain incident\""));
  done(&b);
}

/* A phishing mail attached as evidence: the reporter is the sender. */
static void test_attached_evidence_not_a_forward(void **state)
{
  Built b = build("From: Jane Smith <jane.smith@justice.gov.uk>\nSubject: Suspicious email\n"
                  "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
                  "--b\nContent-Type: text/plain\n\nI think the attached is phishing.\n"
                  "--b\nContent-Type: message/rfc822\n\n"
                  "From: Payroll <payroll@evil.example>\nSubject: Update your bank details\n\n"
                  "Click here.\n--b--\n");
  assert_string_equal(b.inc->source, "free_text");
  assert_string_equal(b.inc->reporter_email, "jane.smith@justice.gov.uk");
  assert_null(b.inc->forwarded_by);
  done(&b);
}


/* The subject names the category when the words of the mail do not. */
static void test_subject_decides_category(void **state)
{
  Built b = build("From: a@justice.gov.uk\nSubject: Lost laptop\n"
                  "Date: Mon, 23 Nov 2026 10:15:00 +0000\n\n"
                  "Left it on the 08:32 from Leeds this morning. It is encrypted.\n");
  assert_string_equal(b.inc->category, "lost-or-stolen-equipment");
  assert_true(has_decision(&b, "category = lost-or-stolen-equipment, from the subject's "
                               "\"Lost laptop\""));
  done(&b);
}

/* A bulletin passed on "for information" reports nothing, whatever its
 * text tells of; a forward that tells of an event is a report. */
static void test_forwarded_bulletin_reports_nothing(void **state)
{
  Built b = build("From: Jo Bloggs <jo.bloggs@justice.gov.uk>\nSubject: FW: Cyber update\n"
                  "Date: Mon, 23 Nov 2026 10:15:00 +0000\n\n"
                  "For information, no action needed.\n\n"
                  "---------- Forwarded message ---------\n"
                  "From: Comms <comms@justice.gov.uk>\n"
                  "Date: Fri, 20 Nov 2026 at 09:00\nSubject: Cyber update\n\n"
                  "Phishing is rising: a colleague's laptop was stolen at 14:00 on a train, "
                  "and high impact incidents involving personal data doubled.\n");
  assert_null(b.inc->category);
  assert_null(b.inc->impact);
  assert_null(b.inc->personal_data);
  assert_null(b.inc->detected_at);
  assert_false(b.inc->near_miss);
  assert_true(has_decision(&b, "no incident fields: the mail reports nothing, from "
                               "\"no action needed\""));
  done(&b);
  Built r = build("From: Jo Bloggs <jo.bloggs@justice.gov.uk>\nSubject: FW: bag\n"
                  "Date: Mon, 23 Nov 2026 10:15:00 +0000\n\n"
                  "For information only - she asked me to pass it on.\n\n"
                  "---------- Forwarded message ---------\n"
                  "From: Ann Lee <ann.lee@justice.gov.uk>\n"
                  "Date: Mon, 23 Nov 2026 at 09:00\nSubject: bag\n\n"
                  "I left my laptop bag on the bus this morning.\n");
  assert_string_equal(r.inc->category, "lost-or-stolen-equipment");
  done(&r);
}

/* A staff member's note above a forwarded lure: read without its footer,
 * it gives the category when more specific and the time it tells of. */
static void test_note_above_a_lure(void **state)
{
  Built b = build("From: Sam Lee <sam.lee@justice.gov.uk>\nSubject: FW: Invoice 4471\n"
                  "Date: Mon, 23 Nov 2026 10:15:00 +0000\n\n"
                  "Is this legit? I spotted it at 9.40 this morning and haven't opened "
                  "the link.\n\nSam\n\nThis e-mail and any attachments are intended only "
                  "for the named recipient. Any personal data in this e-mail is handled in "
                  "line with our Personal Information Charter.\n\n"
                  "---------- Forwarded message ---------\n"
                  "From: Accounts <accounts@invoices.example>\n"
                  "Date: Mon, 23 Nov 2026 at 08:02\nSubject: Invoice 4471\n\n"
                  "Please find your invoice attached. Please update your supplier "
                  "records.\n");
  assert_string_equal(b.inc->category, "phishing");
  assert_null(b.inc->personal_data);
  assert_string_equal(b.inc->detected_at, "2026-11-23T09:40:00Z");
  done(&b);
}

/* A supplier named in a report of a lure is the one it pretended to be. */
static void test_phishing_names_no_supplier(void **state)
{
  Built b = build("From: a@justice.gov.uk\nSubject: odd invoice\n\n"
                  "Fake invoice I think - we do use Example-Supplier but never by "
                  "email.\n");
  assert_string_equal(b.inc->category, "phishing");
  assert_null(b.inc->supplier);
  done(&b);
  Built r = build("From: a@justice.gov.uk\nSubject: files\n\n"
                  "Example-Supplier sent our case files to the wrong council.\n");
  assert_string_equal(r.inc->category, "data-breach");
  assert_string_equal(r.inc->supplier, "example-supplier.co.uk");
  done(&r);
}

static void test_nothing_invented(void **state)
{
  Built b = build("From: a@justice.gov.uk\nSubject: question\n\nWho do I ask about this?\n");
  assert_null(b.inc->category);
  assert_null(b.inc->impact);
  assert_null(b.inc->personal_data);
  assert_null(b.inc->detected_at);
  assert_int_equal(b.inc->reported_late, -1);
  assert_string_equal(b.inc->via, "direct");
  assert_int_equal(b.decisions->len, 0);
  done(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_person_name),
    cmocka_unit_test(test_free_text_decisions),
    cmocka_unit_test(test_supplier_forward),
    cmocka_unit_test(test_helpdesk_forward_of_form),
    cmocka_unit_test(test_form_relative_detection),
    cmocka_unit_test(test_near_miss_words),
    cmocka_unit_test(test_forwarder_note_fills_gaps),
    cmocka_unit_test(test_attached_evidence_not_a_forward),
    cmocka_unit_test(test_subject_decides_category),
    cmocka_unit_test(test_forwarded_bulletin_reports_nothing),
    cmocka_unit_test(test_note_above_a_lure),
    cmocka_unit_test(test_phishing_names_no_supplier),
    cmocka_unit_test(test_nothing_invented),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

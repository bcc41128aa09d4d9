/* test_report.c - unit tests for gateway/report.c: a parsed mail becomes
 * incident fields: the form, free text by rule with each decision
 * recorded, forwards unwrapped with the forwarder's domain deciding the
 * route, reporter names as people say them, missing fields listed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "tests/unit/msg_writer.h"
#include "tests/unit/report_fixture.h"

/* "Surname, Forename" is one comma with a name either side; a department
 * is in brackets after some of the name. Anything else stays as written. */
static void test_person_name(void **state)
{
  const char *cases[][2] = {
    { "Okafor, David", "David Okafor" }, { "Dr Helen Morrow", "Helen Morrow" },
    { "Ó Floinn, Seán", "Seán Ó Floinn" }, { "Jane Smith", "Jane Smith" },
    { "  ", NULL }, { "Mrs. Ann Lee", "Ann Lee" }, { "Okafor,David", "David Okafor" },
    { "Sharma, Priya (HMPPS)", "Priya Sharma" }, { "Ann Lee (OPG)", "Ann Lee" },
    { "Sharma (HMPPS), Priya", "Priya Sharma" }, { "Ann Lee (OPG", "Ann Lee (OPG" },
    { "(Ann Lee)", "(Ann Lee)" }, { "Smith, Jane, HMPPS", "Smith, Jane, HMPPS" },
    { "Lee,, Ann", "Lee,, Ann" }, { "Lee,", "Lee," }, { ", Ann", ", Ann" },
    { "Ann (OPG) Lee", "Ann Lee" },
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
  assert_true(has_decision(&b, "relayed by desk@example-supplier.co.uk: the report of "
                               "tom.harris@example-supplier.co.uk"));
  assert_int_equal(b.inc->evidence->len, 0);
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

/* A form detected at this time, received at 10:30 with report_within the
 * default 60 minutes. */
static Built detected_at(const char *when)
{
  g_autofree char *raw = g_strdup_printf(
      "From: Chloe Barker <chloe.barker@justice.gov.uk>\n"
      "Subject: Phishing form\nDate: Mon, 23 Nov 2026 10:29:00 +0000\n\n"
      "Reporter name: Chloe Barker\nDetected at: %s\n"
      "Incident category: Phishing\nImpact: Low\n", when);
  return build(raw);
}

/* Exactly report_within after detection is on time; a minute more is late. */
static void test_reported_late_boundary(void **state)
{
  const struct {
    const char *detected;
    gint64 minutes;
    int late;
  } cases[] = {
    { "23/11/2026 09:31", 59, 0 },
    { "23/11/2026 09:30", 60, 0 },
    { "23/11/2026 09:29", 61, 1 },
    { "22/11/2026 10:30", 1440, 1 },
  };
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    Built b = detected_at(cases[c].detected);
    assert_int_equal(b.problems->len, 0);
    assert_int_equal(b.inc->minutes_to_report, cases[c].minutes);
    if (b.inc->reported_late != cases[c].late)
      print_error("detected %s\n", cases[c].detected);
    assert_int_equal(b.inc->reported_late, cases[c].late);
    done(&b);
  }
}

/* A detection time up to five minutes after arrival is clock skew: taken
 * as reported at once. Beyond that it is wrong, said as a problem, and
 * lateness stays unknown. */
static void test_detection_after_arrival(void **state)
{
  const char *skewed[] = { "23/11/2026 10:31", "23/11/2026 10:35" };
  for (gsize c = 0; c < G_N_ELEMENTS(skewed); c++) {
    Built b = detected_at(skewed[c]);
    assert_int_equal(b.problems->len, 0);
    assert_int_equal(b.inc->minutes_to_report, 0);
    assert_int_equal(b.inc->reported_late, 0);
    done(&b);
  }
  Built wrong = detected_at("23/11/2026 10:36");
  assert_true(has_problem(&wrong, "detection time is after the report arrived"));
  assert_string_equal(wrong.inc->detected_at, "2026-11-23T10:36:00Z");
  assert_int_equal(wrong.inc->minutes_to_report, -1);
  assert_int_equal(wrong.inc->reported_late, -1);
  done(&wrong);
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

static const IgEvidence *evidence(const Built *b)
{
  assert_int_equal(b->inc->evidence->len, 1);
  return g_ptr_array_index(b->inc->evidence, 0);
}

/* A phishing mail attached by staff: the sender is the reporter, their
 * words the description, the attached mail evidence. */
static void test_attached_phish_is_evidence(void **state)
{
  Built b = build("From: Jane Smith <jane.smith@justice.gov.uk>\nSubject: Suspicious email\n"
                  "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
                  "--b\nContent-Type: text/plain\n\nI think the attached is phishing.\n"
                  "--b\nContent-Type: message/rfc822\n\n"
                  "Received: from mx.evil.example ([203.0.113.9]) by mx.justice.gov.uk;"
                  " Mon, 23 Nov 2026 09:00:00 +0000\n"
                  "Return-Path: <bounce@evil.example>\n"
                  "From: Payroll <payroll@evil.example>\nReply-To: pay@collect.example\n"
                  "Subject: Update your bank details\nDate: Mon, 23 Nov 2026 09:00:00 +0000\n\n"
                  "Click here.\n--b--\n");
  assert_string_equal(b.inc->source, "forward");
  assert_string_equal(b.inc->reporter_email, "jane.smith@justice.gov.uk");
  assert_string_equal(b.inc->reporter_name, "Jane Smith");
  assert_null(b.inc->forwarded_by);
  assert_string_equal(b.inc->via, "direct");
  assert_string_equal(b.inc->description, "I think the attached is phishing.");
  assert_string_equal(b.inc->category, "phishing");
  const IgEvidence *e = evidence(&b);
  assert_string_equal(e->from_addr, "payroll@evil.example");
  assert_string_equal(e->reply_to, "pay@collect.example");
  assert_string_equal(e->return_path, "bounce@evil.example");
  assert_string_equal(e->subject, "Update your bank details");
  assert_string_equal(e->date, "2026-11-23T09:00:00Z");
  assert_int_equal(strlen(e->sha256), 64);
  assert_int_equal(g_strv_length(e->relays), 1);
  done(&b);
}

/* An inline Outlook forward of a phish: "Dear Accounts" never. The
 * attacker's "account suspended" is bait, not a fact of the incident. */
static void test_inline_phish_forward(void **state)
{
  Built b = build("From: Jane Smith <jane.smith@justice.gov.uk>\nSubject: FW: Your invoice is overdue\n"
                  "Date: Mon, 23 Nov 2026 10:02:00 +0000\n\n"
                  "Got this at 09:50, looks dodgy.\n\n"
                  "From: Accounts <accounts@invoices-online.example>\n"
                  "Sent: 23 November 2026 09:41\n"
                  "To: Smith, Jane <Jane.Smith@justice.gov.uk>\n"
                  "Subject: Your invoice is overdue\n\n"
                  "Your account has been compromised, high priority: personal data at risk.\n");
  assert_string_equal(b.inc->source, "forward");
  assert_string_equal(b.inc->reporter_email, "jane.smith@justice.gov.uk");
  assert_null(b.inc->forwarded_by);
  assert_string_equal(b.inc->description, "Got this at 09:50, looks dodgy.");
  assert_string_equal(b.inc->detected_at, "2026-11-23T09:50:00Z");
  assert_string_equal(b.inc->summary, "Your invoice is overdue");
  assert_null(b.inc->impact);
  assert_null(b.inc->personal_data);
  assert_true(b.inc->category == NULL || strcmp(b.inc->category, "account-compromise") != 0);
  const IgEvidence *e = evidence(&b);
  assert_string_equal(e->from_addr, "accounts@invoices-online.example");
  assert_string_equal(e->date, "2026-11-23T09:41:00Z");
  assert_null(e->return_path);
  assert_int_equal(g_strv_length(e->relays), 0);
  assert_true(has_decision(&b, "forwarded by jane.smith@justice.gov.uk: the mail from "
                               "accounts@invoices-online.example is evidence"));
  done(&b);
}

/* The reporter's words above a phish they pass on are read once, for
 * whether they report anything and for the fields: the asset they name
 * is the incident's. */
static void test_phish_forward_names_asset(void **state)
{
  Built b = build("From: Jane Smith <jane.smith@justice.gov.uk>\nSubject: FW: Your invoice is overdue\n"
                  "Date: Mon, 23 Nov 2026 10:02:00 +0000\n\n"
                  "This asked for my Prison NOMIS password, looks dodgy.\n\n"
                  "From: Accounts <accounts@invoices-online.example>\n"
                  "Sent: 23 November 2026 09:41\n"
                  "To: Smith, Jane <Jane.Smith@justice.gov.uk>\n"
                  "Subject: Your invoice is overdue\n\n"
                  "Please confirm your password.\n");
  assert_string_equal(b.inc->source, "forward");
  assert_non_null(evidence(&b));
  assert_string_equal(b.inc->information_asset, "Prison NOMIS");
  assert_string_equal(b.inc->asset_owner, "nomis.iao@justice.gov.uk");
  done(&b);
}

/* A colleague's account passed on by a manager: the manager reported it
 * (SPEC: only a help desk or supplier relays), the facts are read from
 * the colleague's words, nothing is evidence. Outlook names a colleague
 * from the directory without an address. */
static void test_colleague_forward(void **state)
{
  static const char *const froms[] = { "Shah, Meera <Meera.Shah@justice.gov.uk>", "Shah, Meera" };
  for (gsize i = 0; i < G_N_ELEMENTS(froms); i++) {
    g_autofree char *raw = g_strdup_printf(
        "From: Trevor Lang <trevor.lang@justice.gov.uk>\nSubject: FW: wrong address\n"
        "Date: Mon, 23 Nov 2026 10:00:00 +0000\n\n"
        "Meera sent me this.\n\n-----Original Message-----\nFrom: %s\n"
        "Sent: 23 November 2026 09:20\nTo: Lang, Trevor\nSubject: wrong address\n\n"
        "At 09:10 I emailed a client's address and bank details to the wrong person.\n",
        froms[i]);
    Built b = build(raw);
    assert_string_equal(b.inc->reporter_email, "trevor.lang@justice.gov.uk");
    assert_null(b.inc->forwarded_by);
    assert_string_equal(b.inc->detected_at, "2026-11-23T09:10:00Z");
    assert_string_equal(b.inc->category, "data-breach");
    assert_int_equal(b.inc->evidence->len, 0);
    done(&b);
  }
}

/* A colleague got a phish and forwarded it to the reporter, who passes it
 * on: the reporter reports, the colleague's words tell what happened, the
 * phish is evidence. */
static void test_colleague_passed_phish(void **state)
{
  Built b = build("From: Tom Reed <tom.reed@justice.gov.uk>\nSubject: FW: FW: Shared document\n"
                  "Date: Mon, 23 Nov 2026 10:20:00 +0000\n\nSee below from Ann.\n\n"
                  "-----Original Message-----\nFrom: Ann Lee <ann.lee@justice.gov.uk>\n"
                  "Sent: 23 November 2026 10:00\nTo: Reed, Tom\nSubject: FW: Shared document\n\n"
                  "Tom, I opened this at 09:55 and it asked for my password, I didn't give it.\n\n"
                  "---------- Forwarded message ---------\n"
                  "From: Docs <no-reply@shared-docs.example>\nDate: Mon, 23 Nov 2026 at 09:50\n"
                  "Subject: Shared document\n\nOpen the document.\n");
  assert_string_equal(b.inc->reporter_email, "tom.reed@justice.gov.uk");
  assert_null(b.inc->forwarded_by);
  assert_string_equal(evidence(&b)->from_addr, "no-reply@shared-docs.example");
  assert_non_null(strstr(b.inc->description, "I opened this at 09:55"));
  done(&b);
}

/* The subject is read with the note of whoever sent the mail on, not
 * with the colleague's words below it: a note that says it is for
 * information only takes the subject's "phishing" with it, and the
 * category is the one of any suspicious mail passed on. */
static void test_colleague_passed_phish_subject_with_note(void **state)
{
  Built b = build("From: Tom Reed <tom.reed@justice.gov.uk>\n"
                  "Subject: FW: FW: For information only: phishing email\n"
                  "Date: Mon, 23 Nov 2026 10:20:00 +0000\n\nSee below from Ann.\n\n"
                  "-----Original Message-----\nFrom: Ann Lee <ann.lee@justice.gov.uk>\n"
                  "Sent: 23 November 2026 10:00\nTo: Reed, Tom\nSubject: FW: Shared document\n\n"
                  "Tom, I opened this at 09:55.\n\n"
                  "---------- Forwarded message ---------\n"
                  "From: Docs <no-reply@shared-docs.example>\nDate: Mon, 23 Nov 2026 at 09:50\n"
                  "Subject: Shared document\n\nOpen the document.\n");
  assert_string_equal(b.inc->category, "phishing");
  assert_true(has_decision(&b, "category = phishing, from a suspicious mail passed on without "
                               "naming what it is"));
  assert_false(has_decision(&b, "category = phishing, from the subject's"));
  done(&b);
}

/* A help desk passes on a member of staff's forward of a phish: the
 * member of staff is the reporter, the phish evidence. */
static void test_helpdesk_relays_phish_forward(void **state)
{
  Built b = build("From: Service Desk <desk@servicedesk.justice.gov.uk>\n"
                  "Subject: FW: FW: Update your bank details\n\nPassing this on.\n\n"
                  "-----Original Message-----\nFrom: Jane Smith <jane.smith@justice.gov.uk>\n"
                  "Sent: 23 November 2026 09:30\nTo: Service Desk\n"
                  "Subject: FW: Update your bank details\n\nIs this real?\n\n"
                  "---------- Forwarded message ---------\n"
                  "From: Payroll <payroll@evil.example>\nDate: Mon, 23 Nov 2026 at 09:00\n"
                  "Subject: Update your bank details\n\nConfirm your bank details here.\n");
  assert_string_equal(b.inc->reporter_email, "jane.smith@justice.gov.uk");
  assert_string_equal(b.inc->forwarded_by, "desk@servicedesk.justice.gov.uk");
  assert_string_equal(b.inc->via, "helpdesk");
  assert_string_equal(b.inc->description, "Is this real?");
  assert_string_equal(evidence(&b)->from_addr, "payroll@evil.example");
  done(&b);
}

/* A help desk filling in the form for a caller relays the caller's
 * report; a supplier's own engineer who forwarded a phish to their
 * security team is the reporter when that team passes it on. */
static void test_relays_on_behalf(void **state)
{
  Built form = build("From: Service Desk <desk@servicedesk.justice.gov.uk>\n"
                     "Subject: Form logged for a caller\n\n"
                     "Reporter name: Fatima Begum\nReporter email: fatima.begum@justice.gov.uk\n"
                     "Incident category: account-compromise\nImpact: medium\n");
  assert_string_equal(form.inc->source, "form");
  assert_string_equal(form.inc->forwarded_by, "desk@servicedesk.justice.gov.uk");
  assert_string_equal(form.inc->via, "helpdesk");
  done(&form);
  Built fwd = build("From: Infosec <infosec@example-supplier.co.uk>\n"
                    "Subject: FW: FW: Court form\n\nOne of ours got this.\n\n"
                    "---------- Forwarded message ---------\n"
                    "From: Ben Carter <ben.carter@example-supplier.co.uk>\n"
                    "Date: Mon, 23 Nov 2026 at 09:50\nSubject: FW: Court form\n\n"
                    "Spotted this at 09:40, not clicked.\n\n"
                    "---------- Forwarded message ---------\n"
                    "From: Court Forms <forms@justice-gov-uk-forms.example>\n"
                    "Date: Mon, 23 Nov 2026 at 09:30\nSubject: Court form\n\nSign here.\n");
  assert_string_equal(fwd.inc->reporter_email, "ben.carter@example-supplier.co.uk");
  assert_string_equal(fwd.inc->forwarded_by, "infosec@example-supplier.co.uk");
  assert_string_equal(fwd.inc->detected_at, "2026-11-23T09:40:00Z");
  assert_string_equal(evidence(&fwd)->from_addr, "forms@justice-gov-uk-forms.example");
  done(&fwd);
  /* a help desk forwarding a phish sent to the help desk reports it */
  Built own = build("From: Service Desk <desk@servicedesk.justice.gov.uk>\n"
                    "Subject: FW: Court form\n\nThis came to our mailbox.\n\n"
                    "---------- Forwarded message ---------\n"
                    "From: Court Forms <forms@justice-gov-uk-forms.example>\n"
                    "Date: Mon, 23 Nov 2026 at 09:30\nSubject: Court form\n\nSign here.\n");
  assert_string_equal(own.inc->reporter_email, "desk@servicedesk.justice.gov.uk");
  assert_null(own.inc->forwarded_by);
  assert_string_equal(evidence(&own)->from_addr, "forms@justice-gov-uk-forms.example");
  done(&own);
}

static gboolean has_observable(const Built *b, const char *type, const char *value)
{
  for (guint i = 0; i < b->inc->observables->len; i++) {
    const IgObservable *o = g_ptr_array_index(b->inc->observables, i);
    if (strcmp(o->type, type) == 0 && strcmp(o->value, value) == 0)
      return TRUE;
  }
  return FALSE;
}

/* A phish attached as an Outlook item: the same as an attached message. */
static void test_outlook_item_is_evidence(void **state)
{
  const MsgWriterItem item = {
    .subject = "Invoice overdue", .sender_name = "Accounts",
    .sender_address = "accounts@evil.example", .reply_to_address = "pay@collect.example",
    .submit_time = 1795424400, .body = "Pay at https://evil.example/pay now.",
  };
  g_autoptr(GBytes) msg = msg_writer_write(&item);
  g_autofree char *b64 = g_base64_encode(g_bytes_get_data(msg, NULL), g_bytes_get_size(msg));
  g_autofree char *raw = g_strdup_printf(
      "From: Jane Smith <jane.smith@justice.gov.uk>\nSubject: dodgy invoice\n"
      "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"m\"\n\n"
      "--m\nContent-Type: text/plain\n\nThis came in at 09:12, looks fake.\n"
      "--m\nContent-Type: application/vnd.ms-outlook\n"
      "Content-Disposition: attachment; filename=\"Invoice overdue.msg\"\n"
      "Content-Transfer-Encoding: base64\n\n%s\n--m--\n", b64);
  Built b = build(raw);
  assert_string_equal(b.inc->reporter_email, "jane.smith@justice.gov.uk");
  assert_null(b.inc->forwarded_by);
  assert_string_equal(b.inc->description, "This came in at 09:12, looks fake.");
  const IgEvidence *e = evidence(&b);
  assert_string_equal(e->from_addr, "accounts@evil.example");
  assert_string_equal(e->reply_to, "pay@collect.example");
  g_autofree char *hash = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, msg);
  assert_string_equal(e->sha256, hash);
  assert_true(has_observable(&b, "url", "https://evil.example/pay"));
  assert_true(has_observable(&b, "email", "pay@collect.example"));
  assert_false(has_observable(&b, "domain", "justice.gov.uk"));
  done(&b);
}

/* Outlook's Report button: "3|subject" with the reported mail attached. */
static void test_report_button(void **state)
{
  Built b = build("From: Jane Smith <jane.smith@justice.gov.uk>\n"
                  "Subject: 3|Update your bank details\n"
                  "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
                  "--b\nContent-Type: text/plain\n\n\n"
                  "--b\nContent-Type: message/rfc822\n\n"
                  "From: Payroll <payroll@evil.example>\nSubject: Update your bank details\n\n"
                  "Hello.\n--b--\n");
  assert_string_equal(b.inc->reporter_email, "jane.smith@justice.gov.uk");
  assert_string_equal(b.inc->category, "phishing");
  assert_string_equal(b.inc->summary, "Update your bank details");
  assert_string_equal(evidence(&b)->from_addr, "payroll@evil.example");
  assert_true(has_decision(&b, "reported with the Report button by jane.smith@"));
  done(&b);
  /* The button says what the mail is: words of the reporter's that would
   * make a forward a bulletin passed on do not unmake the report. */
  Built fyi = build("From: Jane Smith <jane.smith@justice.gov.uk>\n"
                    "Subject: 3|Update your bank details\n"
                    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n"
                    "--b\nContent-Type: text/plain\n\nFor information, no action needed.\n\n"
                    "--b\nContent-Type: message/rfc822\n\n"
                    "From: Payroll <payroll@evil.example>\nSubject: Update your bank details\n\n"
                    "Hello.\n--b--\n");
  assert_string_equal(fyi.inc->category, "phishing");
  assert_string_equal(evidence(&fyi)->from_addr, "payroll@evil.example");
  done(&fyi);
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
  /* SPEC 2: the form's Supplier value, else the relaying supplier's
   * domain; a supplier named by a member of staff is neither */
  assert_null(r.inc->supplier);
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
    cmocka_unit_test(test_reported_late_boundary),
    cmocka_unit_test(test_detection_after_arrival),
    cmocka_unit_test(test_near_miss_words),
    cmocka_unit_test(test_forwarder_note_fills_gaps),
    cmocka_unit_test(test_attached_phish_is_evidence),
    cmocka_unit_test(test_inline_phish_forward),
    cmocka_unit_test(test_phish_forward_names_asset),
    cmocka_unit_test(test_colleague_forward),
    cmocka_unit_test(test_colleague_passed_phish),
    cmocka_unit_test(test_colleague_passed_phish_subject_with_note),
    cmocka_unit_test(test_helpdesk_relays_phish_forward),
    cmocka_unit_test(test_report_button),
    cmocka_unit_test(test_outlook_item_is_evidence),
    cmocka_unit_test(test_relays_on_behalf),
    cmocka_unit_test(test_subject_decides_category),
    cmocka_unit_test(test_forwarded_bulletin_reports_nothing),
    cmocka_unit_test(test_note_above_a_lure),
    cmocka_unit_test(test_phishing_names_no_supplier),
    cmocka_unit_test(test_nothing_invented),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

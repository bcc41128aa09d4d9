/* test_case_faults_replies.c - unit tests for the case logic of replies
 * (gateway/case_reply.c, case_command.c) when the store refuses one write
 * or one read: an OST member's commands, a refusal and its answer,
 * Duplicate-of, an outsider's correspondence, the reporter's reply, the
 * check before closing. Each refusal fails the message with the store's
 * error and keeps nothing of it; the same mail is then applied as if new. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "tests/unit/case_faults_fixture.h"

/* A member's mail to a report (its impact, personal data stated or not). */
#define MEMBER(impact_, complete_, body_) \
  .setup = reply_to_report, .impact = impact_, .complete = complete_, .from = "alice@x.gov.uk", \
  .body = body_, .want = IG_INTAKE_ATTACHED

/* An OST member's commands refused at each of their writes. */
#define COMMANDS MEMBER("medium", FALSE, "Status: closed - wiped remotely\nCategory: phishing\n" \
                                         "Report: Laptop wiped remotely; nothing lost.\n")
static const struct CMUnitTest commands[] = {
  REFUSED_CASE("INSERT", "messages", "NEW.kind = 'command'", COMMANDS),
  REFUSED_CASE("UPDATE", "incidents", "true", COMMANDS),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'status_changed'", COMMANDS),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'changed'", COMMANDS),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'note'", COMMANDS),
  REFUSED_CASE("INSERT", "management_reports", "true", COMMANDS),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'management_report'", COMMANDS),
  REFUSED_CASE("UPDATE", "deadlines", "NEW.kind = 'triage'", COMMANDS),
  REFUSED_CASE("UPDATE", "deadlines", "NEW.kind = 'management_report'", COMMANDS),
  REFUSED_CASE("UPDATE", "deadlines", "NEW.kind = 'form_reminder'", COMMANDS),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'deadline_ended'", COMMANDS),
  REFUSED_CASE("INSERT", "outbox", "NEW.template = 'confirmation'", COMMANDS),
  REFUSED_CASE("INSERT", "outbox", "NEW.template = 'status_changed'", COMMANDS),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'reporter_told'", COMMANDS),
};

/* Commands that cannot apply: the refusal's own event refused. A member's
 * mail with no commands: its event refused. */
static const struct CMUnitTest refusal_and_reply[] = {
  REFUSED_CASE("INSERT", "events", "NEW.type = 'commands_refused'",
               MEMBER("low", FALSE, "Status: rejected\n")),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'reply'",
               MEMBER("low", FALSE, "Thanks, looking now.\n")),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'note'",
               MEMBER("low", FALSE, "Owner: bob@x.gov.uk\nNote: phoned jane\n")),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'deadline_set'",
               MEMBER("low", FALSE, "Impact: high\n")),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'rule_fired'",
               MEMBER("low", FALSE, "Impact: high\n")),
};

/* Two reports opened; the member's mail to the second says it is a
 * duplicate of the first. */
static char *duplicate_of(Fixture *f, const FaultCase *c, char **ref)
{
  g_autofree char *first = open_report(f, "low", TRUE);
  *ref = open_report(f, "low", TRUE);
  g_autofree char *body = g_strdup_printf("Duplicate-of: %s\n", first);
  return mail_to(f, "alice@x.gov.uk", *ref, body);
}

/* The same, the mail found by its References (not by a reference in its
 * subject), so that the fifth statement reading incidents.reference is
 * the look-up of the first (the seal of the stored mail, then loading the
 * incident, come first). */
static char *duplicate_by_references(Fixture *f, const FaultCase *c, char **ref)
{
  g_autofree char *first = open_report(f, "low", TRUE);
  *ref = open_report(f, "low", TRUE);
  return g_strdup_printf("From: alice@x.gov.uk\nSubject: RE: Lost laptop\n"
                         "Message-ID: <d@x>\nReferences: <r1@x>\n\n"
                         "Duplicate-of: %s\n", first);
}

/* Duplicate-of refused at its own event, and when no incident can be
 * looked up by reference: the second is rejected all the same. */
static const struct CMUnitTest duplicate[] = {
  REFUSED_CASE("INSERT", "events", "NEW.type = 'duplicate'", .setup = duplicate_of,
               .want = IG_INTAKE_ATTACHED, .status = "rejected"),
  HIDDEN_CASE("look-up", "incidents", "reference", 5, .setup = duplicate_by_references,
              .want = IG_INTAKE_ATTACHED, .status = "rejected"),
};

/* A report opened and c->outsiders outsiders' mails to it; the next one's. */
static char *correspondence(Fixture *f, const FaultCase *c, char **ref)
{
  *ref = open_report(f, "low", TRUE);
  outsiders_before(f, *ref, c->outsiders);
  return outsider_mail(f, *ref, c->outsiders);
}

/* Correspondence refused at each write: the first mail (OST told at
 * once), a second within the hour (held), a third after it (the held
 * mail passed on). */
#define MAIL_N(nth, op, table, when) \
  FAULT_CASE("mail " #nth ": " op " " table " " when, .refuse = { op, table, when }, \
             .setup = correspondence, .outsiders = nth, .want = IG_INTAKE_ATTACHED)
static const struct CMUnitTest correspondence_refused[] = {
  MAIL_N(0, "INSERT", "messages", "NEW.kind = 'correspondence'"),
  MAIL_N(0, "INSERT", "events", "NEW.type = 'correspondence'"),
  MAIL_N(0, "INSERT", "outbox", "NEW.template = 'correspondence'"),
  MAIL_N(1, "INSERT", "deadlines", "NEW.kind = 'correspondence_notice'"),
  MAIL_N(1, "INSERT", "events", "NEW.type = 'correspondence_held'"),
  MAIL_N(2, "INSERT", "outbox", "NEW.template = 'correspondence'"),
  MAIL_N(2, "UPDATE", "deadlines", "NEW.kind = 'correspondence_notice'"),
  MAIL_N(2, "INSERT", "events", "NEW.type = 'correspondence_sent'"),
};

/* The reporter's reply filling the form, refused at each write. */
#define REPORTER_REPLY .setup = reply_to_report, .impact = "low", .from = "jane@x.gov.uk", \
                       .body = "Personal data involved: yes\nImpact: severe\n", \
                       .want = IG_INTAKE_ATTACHED
static const struct CMUnitTest reporter_reply[] = {
  REFUSED_CASE("INSERT", "messages", "NEW.kind = 'reply'", REPORTER_REPLY),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'reply'", REPORTER_REPLY),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'unreadable_value'", REPORTER_REPLY),
  REFUSED_CASE("UPDATE", "incidents", "true", REPORTER_REPLY),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'field_filled'", REPORTER_REPLY),
  REFUSED_CASE("UPDATE", "deadlines", "NEW.kind = 'form_reminder'", REPORTER_REPLY),
  REFUSED_CASE("INSERT", "events", "NEW.type = 'deadline_ended'", REPORTER_REPLY),
  REFUSED_CASE("INSERT", "outbox", "NEW.template = 'notify'", REPORTER_REPLY),
};

/* A reply that cannot read what it needs: the incident (hidden: its
 * missing fields), who was acknowledged or told (the outbox's
 * recipients), the correspondence held (the messages' subjects). A
 * member's commands that cannot read the incident from the second
 * statement on (the first seals the stored mail), with and without
 * authentication. Closing a medium incident without a Report line, when
 * the management report on record cannot be read (the second statement
 * reading it): the incident stays open. */
#define OUTSIDER .setup = reply_to_report, .impact = "low", .complete = TRUE, \
                 .from = "s@example.org", .body = "Is this about me?\n", \
                 .want = IG_INTAKE_ATTACHED
static const struct CMUnitTest reply_reads[] = {
  HIDDEN_CASE("member", "outbox", "to_addr", 0, MEMBER("low", TRUE, "Status: investigating\n")),
  HIDDEN_CASE("outsider", "incidents", "missing_fields", 0, OUTSIDER),
  HIDDEN_CASE("outsider", "outbox", "to_addr", 0, OUTSIDER),
  HIDDEN_CASE("outsider", "messages", "subject", 0, OUTSIDER),
  HIDDEN_CASE("reporter", "outbox", "to_addr", 0, .setup = reply_to_report, .impact = "low",
              .complete = TRUE, .from = "jane@x.gov.uk", .body = "Thanks.\n",
              .want = IG_INTAKE_ATTACHED),
  HIDDEN_CASE("member's commands", "incidents", "missing_fields", 2,
              MEMBER("low", TRUE, "Status: investigating\n")),
  HIDDEN_CASE("authenticated member's commands", "incidents", "missing_fields", 2,
              .auth = "exchange-internal", MEMBER("low", TRUE, "Status: investigating\n")),
  HIDDEN_CASE("close check", "management_reports", "text", 2,
              MEMBER("medium", TRUE, "Status: closed\n"), .status = "new"),
};

int main(void)
{
  int failed = cmocka_run_group_tests(commands, NULL, NULL);
  failed += cmocka_run_group_tests(refusal_and_reply, NULL, NULL);
  failed += cmocka_run_group_tests(duplicate, NULL, NULL);
  failed += cmocka_run_group_tests(correspondence_refused, NULL, NULL);
  failed += cmocka_run_group_tests(reporter_reply, NULL, NULL);
  failed += cmocka_run_group_tests(reply_reads, NULL, NULL);
  return failed;
}

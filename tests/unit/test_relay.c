/* test_relay.c - unit tests for gateway/relay.c: who is a colleague (our
 * domain and its subdomains, the reporter's, an Outlook directory name),
 * the Report button's subject forms, a forward's own subject prefixes,
 * a help desk's chain read to its end, a forward from a mail without a
 * sender, and links taken from the message that holds the suspect. Levels
 * are built by hand, as forward_find() would leave them, so each rule is
 * tried alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "gateway/config.h"
#include "gateway/relay.h"

static IgConfig *config(void)
{
  static const char conf[] =
      "[gateway]\naddress = security@justice.gov.uk\n"
      "[stakeholders]\nost = ost@justice.gov.uk\nhelpdesk_domains = servicedesk.example.net\n";
  g_autoptr(GError) error = NULL;
  IgConfig *c = config_load_data(conf, strlen(conf), "test.conf", &error);
  if (!c)
    fail_msg("config: %s", error->message);
  return c;
}

/* A level of a forward: from addr (and name), its words. */
static IgForward level(const char *name, const char *addr, gboolean attached)
{
  return (IgForward){ .from_name = (char *)name, .from_addr = (char *)addr,
                      .subject = "Your mailbox is full", .body = "the level's text",
                      .note = "the forwarder's words", .depth = 1, .attached = attached };
}

/* Reads a mail from sender with subject, around the innermost level. */
static IgRelay read_one(const char *sender, const char *subject, const IgForward *innermost)
{
  IgConfig *c = config();
  IgMail mail = { .from_addr = (char *)sender, .subject = (char *)subject,
                  .body = "what the sender wrote" };
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func(g_free);
  IgRelay r;
  relay_read(&r, c, &mail, innermost, decisions);
  config_free(c);
  return r;   /* mail's strings are literals, so r's pointers outlive it */
}

/* Forwarded inline by a member of staff: a colleague's mail is read for its
 * facts, anyone else's is evidence. */
static gboolean read_as_colleague(const char *name, const char *addr)
{
  IgForward f = level(name, addr, FALSE);
  IgRelay r = read_one("ann.lee@justice.gov.uk", "FW: Your mailbox is full", &f);
  return r.suspect == NULL;
}

static void test_colleague_domains(void **state)
{
  (void)state;
  assert_true(read_as_colleague(NULL, "bob.kay@justice.gov.uk"));
  assert_true(read_as_colleague(NULL, "bob.kay@JUSTICE.gov.uk"));
  assert_true(read_as_colleague(NULL, "bob.kay@digital.justice.gov.uk"));
  /* A domain that merely ends with ours is someone else's. */
  assert_false(read_as_colleague(NULL, "bob.kay@notjustice.gov.uk"));
  assert_false(read_as_colleague(NULL, "bob.kay@gov.uk"));
  assert_false(read_as_colleague(NULL, "it-support@mailbox-quota.example"));
  /* A help desk passes reports on: its mail is a colleague's too. */
  assert_true(read_as_colleague(NULL, "agent@servicedesk.example.net"));
}

/* Outlook names a sender of its own directory without an address; an
 * attached mail so named is not a colleague's. */
static void test_colleague_by_directory_name(void **state)
{
  (void)state;
  assert_true(read_as_colleague("Kowalski, Anna", NULL));
  IgForward attached = level("Kowalski, Anna", NULL, TRUE);
  IgRelay r = read_one("ann.lee@justice.gov.uk", "FW: Your mailbox is full", &attached);
  assert_ptr_equal(r.suspect, &attached);
}

/* The Report button: the verdict by subject form, any case, after spaces;
 * only for a mail attached to the reporter's own. */
static void test_report_button(void **state)
{
  (void)state;
  const struct {
    const char *subject, *verdict;
  } cases[] = {
    { "1|Cheap watches", "junk" },
    { "2|Team lunch", "not junk" },
    { "3|Your mailbox is full", "phishing" },
    { "  Phishing | Your mailbox is full", "phishing" },
    { "PHISH | Your mailbox is full", "phishing" },
    { "Junk | Cheap watches", "junk" },
    { "not junk | Team lunch", "not junk" },
    { "4|Your mailbox is full", NULL },
    { "FW: 3|Your mailbox is full", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    IgForward f = level(NULL, "it-support@mailbox-quota.example", TRUE);
    IgRelay r = read_one("ann.lee@justice.gov.uk", cases[i].subject, &f);
    if (g_strcmp0(r.verdict, cases[i].verdict) != 0)
      print_error("\"%s\": verdict %s\n", cases[i].subject, r.verdict ? r.verdict : "none");
    assert_string_equal(r.verdict ? r.verdict : "none",
                        cases[i].verdict ? cases[i].verdict : "none");
    assert_ptr_equal(r.suspect, &f);
  }
  /* Typed as an inline forward's subject, it is a person's forward. */
  IgForward inline_fwd = level(NULL, "it-support@mailbox-quota.example", FALSE);
  IgRelay r = read_one("ann.lee@justice.gov.uk", "Phish | Your mailbox is full", &inline_fwd);
  assert_null(r.verdict);
  assert_ptr_equal(r.suspect, &inline_fwd);
}

/* A colleague's mail attached to a report of one's own is not passed on:
 * the report is the sender's words. With a forward's prefix, in any of the
 * languages Outlook writes, it is passed on and read for its facts. */
static void test_attached_colleague_mail(void **state)
{
  (void)state;
  IgForward f = level(NULL, "bob.kay@justice.gov.uk", TRUE);
  IgRelay own = read_one("ann.lee@justice.gov.uk", "Laptop stolen", &f);
  assert_false(own.forward);
  assert_string_equal(own.text, "what the sender wrote");
  const char *prefixes[] = { "FW: x", "Fwd: x", "  fw: x", "TR: x", "WG: x" };
  for (gsize i = 0; i < G_N_ELEMENTS(prefixes); i++) {
    IgRelay passed = read_one("ann.lee@justice.gov.uk", prefixes[i], &f);
    if (!passed.forward)
      print_error("\"%s\" not read as a forward\n", prefixes[i]);
    assert_true(passed.forward);
    assert_string_equal(passed.text, "the level's text");
  }
}

/* A help desk relaying a colleague's account, every level a colleague's:
 * the reporter is the last sender and the account is their own text. */
static void test_helpdesk_chain_to_its_end(void **state)
{
  (void)state;
  IgForward f = level("Bob Kay", "bob.kay@justice.gov.uk", FALSE);
  f.body = "Bob's own account";
  IgRelay r = read_one("agent@servicedesk.example.net", "FW: laptop", &f);
  assert_string_equal(r.from_addr, "bob.kay@justice.gov.uk");
  assert_string_equal(r.forwarded_by, "agent@servicedesk.example.net");
  assert_string_equal(r.text, "Bob's own account");
  assert_null(r.suspect);
}

/* An inline forward's evidence is identified by the SHA-256 of its text;
 * a mail with no suspicious part has no observables. */
static void test_evidence_and_no_observables(void **state)
{
  (void)state;
  IgConfig *c = config();
  IgForward f = level(NULL, "it-support@mailbox-quota.example", FALSE);
  IgMail mail = { .from_addr = "ann.lee@justice.gov.uk", .subject = "FW: x", .body = "x" };
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func(g_free);
  IgRelay r;
  relay_read(&r, c, &mail, &f, decisions);
  IgEvidence *e = relay_evidence(&r);
  g_autofree char *want = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
                                                        "the level's text", -1);
  assert_string_equal(e->sha256, want);
  evidence_free(e);

  IgForward colleague = level(NULL, "bob.kay@justice.gov.uk", FALSE);
  relay_read(&r, c, &mail, &colleague, decisions);
  assert_null(relay_evidence(&r));
  g_autoptr(GPtrArray) none = relay_observables(&r, c, &mail);
  assert_int_equal(none->len, 0);
  config_free(c);
}

/* A forward whose mail has no From: has no reporter's domain to compare:
 * a mail from outside is evidence, our own domain's a colleague's. */
static void test_forward_without_sender(void **state)
{
  (void)state;
  IgForward outside = level(NULL, "it-support@mailbox-quota.example", FALSE);
  IgRelay r = read_one(NULL, "FW: Your mailbox is full", &outside);
  assert_ptr_equal(r.suspect, &outside);
  IgForward colleague = level(NULL, "bob.kay@justice.gov.uk", FALSE);
  r = read_one(NULL, "FW: Your mailbox is full", &colleague);
  assert_null(r.suspect);
}

/* The observables as "type=value" lines. */
static char *observables_of(const IgForward *innermost, const IgMail *mail)
{
  IgConfig *c = config();
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func(g_free);
  IgRelay r;
  relay_read(&r, c, mail, innermost, decisions);
  g_autoptr(GPtrArray) found = relay_observables(&r, c, mail);
  config_free(c);
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < found->len; i++) {
    const IgObservable *o = g_ptr_array_index(found, i);
    g_string_append_printf(out, "%s=%s\n", o->type, o->value);
  }
  return g_string_free(out, FALSE);
}

/* A suspicious mail's links are in the message that holds it: an inline
 * forward's in the mail forwarding it, an attached mail's in itself. */
static void test_links_from_the_holder(void **state)
{
  (void)state;
  IgMail mail = { .from_addr = "ann.lee@justice.gov.uk", .subject = "FW: x", .body = "x",
                  .html = "<a href=\"http://outer.example/login\">log in</a>" };
  IgForward inline_fwd = level(NULL, "it-support@mailbox-quota.example", FALSE);
  g_autofree char *from_inline = observables_of(&inline_fwd, &mail);
  if (!strstr(from_inline, "url=http://outer.example/login\n"))
    print_error("%s", from_inline);
  assert_non_null(strstr(from_inline, "url=http://outer.example/login\n"));

  IgMail lure = { .from_addr = "it-support@mailbox-quota.example", .body = "the level's text",
                  .html = "<a href=\"http://inner.example/login\">log in</a>" };
  IgForward attached = level(NULL, "it-support@mailbox-quota.example", TRUE);
  attached.mail = &lure;
  g_autofree char *from_attached = observables_of(&attached, &mail);
  if (!strstr(from_attached, "url=http://inner.example/login\n"))
    print_error("%s", from_attached);
  assert_non_null(strstr(from_attached, "url=http://inner.example/login\n"));
  assert_null(strstr(from_attached, "outer.example"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_colleague_domains),
    cmocka_unit_test(test_colleague_by_directory_name),
    cmocka_unit_test(test_report_button),
    cmocka_unit_test(test_attached_colleague_mail),
    cmocka_unit_test(test_helpdesk_chain_to_its_end),
    cmocka_unit_test(test_evidence_and_no_observables),
    cmocka_unit_test(test_forward_without_sender),
    cmocka_unit_test(test_links_from_the_holder),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

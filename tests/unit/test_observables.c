/* test_observables.c - unit tests for parsers/observables.c: a realistic
 * phishing mail's indicators in their order, HTML link targets that
 * differ from their text, mailto targets, the defanged form of every
 * type, duplicates, our own domains, private relay IPs, IPv6, and hostile
 * input (long, garbage, many) bounded in count and time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <valgrind/valgrind.h>

#include "parsers/mail.h"
#include "parsers/observables.h"

static const char *const own[] = {"ourorg.gov.uk", NULL};

#define SHA_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA_B "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"

/* "type value" of each observable, one a line, to compare in one go. */
static char *listing(const GPtrArray *obs)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < obs->len; i++) {
    const IgObservable *o = g_ptr_array_index(obs, i);
    g_string_append_printf(s, "%s %s\n", o->type, o->value);
  }
  return g_string_free(s, FALSE);
}

static void expect_listing(const GPtrArray *obs, const char *want)
{
  g_autofree char *got = listing(obs);
  if (strcmp(got, want) != 0) {
    print_error("got:\n%s\nwant:\n%s\n", got, want);
    fail();
  }
}

static const IgObservable *find(const GPtrArray *obs, const char *type, const char *value)
{
  for (guint i = 0; i < obs->len; i++) {
    const IgObservable *o = g_ptr_array_index(obs, i);
    if (!strcmp(o->type, type) && !strcmp(o->value, value))
      return o;
  }
  return NULL;
}

static GPtrArray *from_text(const char *text)
{
  IgSuspect s = {.text = text, .own_domains = own};
  return observables_extract(&s);
}

static GPtrArray *from_html(const char *html)
{
  IgSuspect s = {.html = html, .own_domains = own};
  return observables_extract(&s);
}

static GPtrArray *from_received(const char *value)
{
  const char *const received[] = {value, NULL};
  IgSuspect s = {.received = received, .own_domains = own};
  return observables_extract(&s);
}

static IgFilePart *file_part(const char *name, const char *sha256)
{
  IgFilePart *part = g_new0(IgFilePart, 1);
  part->filename = g_strdup(name);
  part->content_type = g_strdup("application/octet-stream");
  part->sha256 = g_strdup(sha256);
  return part;
}

/* --- a whole mail --- */

static void test_phishing_mail(void **state)
{
  const char *const received[] = {
    "from mx1.ourorg.gov.uk (mx1.ourorg.gov.uk [10.1.2.3]) by mail.ourorg.gov.uk "
    "(Postfix) with ESMTPS id 4ABC for <jane@ourorg.gov.uk>; Mon, 23 Nov 2026 09:58:01 +0000",
    "from mail.invoices.example (mail.invoices.example [203.0.113.7]) by "
    "mx1.ourorg.gov.uk (Postfix) with ESMTP id 4XYZ; Mon, 23 Nov 2026 09:58:00 +0000",
    "from [192.168.1.20] (helo=LAPTOP-1) by mail.invoices.example with esmtpsa "
    "(Exim 4.96) (envelope-from <bounce@mailer.example>) id 1abc-000; Mon, 23 Nov 2026",
    NULL,
  };
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(mail_file_part_free);
  g_ptr_array_add(files, file_part("Invoice 42.pdf.exe", SHA_A));
  g_ptr_array_add(files, file_part(NULL, SHA_B));
  IgSuspect s = {
    .from_addr = "accounts@invoices.example",
    .reply_to = "Payments@Collect.Example",
    .return_path = "bounce@mailer.example",
    .received = received,
    .text = "Dear customer,\n\nYour invoice is overdue. Pay at "
            "https://invoices.example/pay?id=42. Questions: see www.collect.example/help.\n"
            "\n-- \nOur Org, https://www.ourorg.gov.uk/privacy\n",
    .html = "<html><body><p>Your invoice is overdue. Pay at "
            "<a href=\"https://evil.example/login.php?u=jane\">https://invoices.example/pay</a>"
            "</p></body></html>",
    .files = files,
    .own_domains = own,
  };
  g_autoptr(GPtrArray) obs = observables_extract(&s);
  expect_listing(obs,
                 "email accounts@invoices.example\n"
                 "email payments@collect.example\n"
                 "email bounce@mailer.example\n"
                 "domain invoices.example\n"
                 "domain collect.example\n"
                 "domain mailer.example\n"
                 "domain evil.example\n"
                 "domain www.collect.example\n"
                 "url https://evil.example/login.php?u=jane\n"
                 "url https://invoices.example/pay?id=42\n"
                 "url www.collect.example/help\n"
                 "ip 203.0.113.7\n"
                 "host mail.invoices.example\n"
                 "file Invoice 42.pdf.exe\n");
  const IgObservable *file = find(obs, "file", "Invoice 42.pdf.exe");
  assert_string_equal(file->sha256, SHA_A);
  assert_string_equal(file->defanged, "Invoice 42[.]pdf[.]exe");
  for (guint i = 0; i < obs->len; i++) {
    const IgObservable *o = g_ptr_array_index(obs, i);
    assert_null(o->reference);
    if (strcmp(o->type, "file") != 0)
      assert_null(o->sha256);
  }
  assert_string_equal(find(obs, "url", "https://evil.example/login.php?u=jane")->defanged,
                      "hxxps://evil[.]example/login[.]php?u=jane");
}

static void test_nothing_known(void **state)
{
  IgSuspect s = {0};
  g_autoptr(GPtrArray) obs = observables_extract(&s);
  assert_int_equal(obs->len, 0);
  IgSuspect empty = {.from_addr = "", .reply_to = "", .return_path = "", .text = "",
                     .html = ""};
  g_autoptr(GPtrArray) none = observables_extract(&empty);
  assert_int_equal(none->len, 0);
}

/* --- HTML --- */

static void test_link_target_not_text(void **state)
{
  g_autoptr(GPtrArray) obs = from_html(
      "<p>Log in at <a href=\"https://evil.example/x\">https://bank.example/login</a>"
      " or <a href=\"www.other.example/y\">here</a></p>"
      "<map><area shape=rect coords=0,0,1,1 href=\"http://203.0.113.50/img\"></map>"
      "<a href=\"/relative/path\">relative</a><a href=\"javascript:alert(1)\">js</a>"
      "<a name=\"anchor\">no target</a><a href=\"#top\">top</a>");
  expect_listing(obs,
                 "domain evil.example\n"
                 "domain www.other.example\n"
                 "url https://evil.example/x\n"
                 "url www.other.example/y\n"
                 "url http://203.0.113.50/img\n"
                 "ip 203.0.113.50\n");
}

static void test_link_target_as_a_browser_reads_it(void **state)
{
  /* entities decoded; spaces around and tabs/newlines inside dropped */
  g_autoptr(GPtrArray) obs = from_html(
      "<a href=\"  https://ev\n\til.example/a?b=1&amp;c=2 \">x</a>"
      "<A HREF='HTTPS://Upper.Example/Path'>y</A>");
  expect_listing(obs,
                 "domain evil.example\n"
                 "domain upper.example\n"
                 "url https://evil.example/a?b=1&c=2\n"
                 "url HTTPS://Upper.Example/Path\n");
}

static void test_mailto_targets(void **state)
{
  g_autoptr(GPtrArray) obs = from_html(
      "<a href=\"mailto:Claims@Refund.Example?subject=Refund\">claim</a>"
      "<a href=\"MAILTO:a%40b@x.example,second@two.example\">two</a>"
      "<a href=\"mailto:staff@ourorg.gov.uk\">us</a><a href=\"mailto:\">empty</a>");
  expect_listing(obs,
                 "email claims@refund.example\n"
                 "email second@two.example\n"
                 "domain refund.example\n"
                 "domain two.example\n");
}

/* --- defanging --- */

static void check_defang(const char *type, const char *value, const char *want)
{
  g_autofree char *got = observable_defang(type, value);
  if (g_strcmp0(got, want) != 0) {
    print_error("defang %s '%s': got '%s', want '%s'\n", type, value, got, want);
    fail();
  }
}

static void test_defang_every_type(void **state)
{
  check_defang("url", "https://evil.example/pay", "hxxps://evil[.]example/pay");
  check_defang("url", "http://evil.example", "hxxp://evil[.]example");
  check_defang("url", "HTTPS://Evil.Example/a.b", "hxxps://Evil[.]Example/a[.]b");
  check_defang("url", "www.evil.example/x", "www[.]evil[.]example/x");
  check_defang("url", "http://[2001:db8::1]:8080/", "hxxp://[2001:db8::1]:8080/");
  check_defang("email", "accounts@invoices.example", "accounts@invoices[.]example");
  check_defang("email", "john.smith@mail.evil.example", "john[.]smith@mail[.]evil[.]example");
  check_defang("domain", "evil.example", "evil[.]example");
  check_defang("host", "mail.evil.example", "mail[.]evil[.]example");
  check_defang("ip", "203.0.113.7", "203[.]0[.]113[.]7");
  check_defang("ip", "2001:db8::7", "2001[:]db8[:][:]7");
  check_defang("file", "invoice.zip", "invoice[.]zip");
  check_defang("file", "README", "README");
  check_defang("url", NULL, NULL);

  /* the parser fills defanged with the same form */
  g_autoptr(GPtrArray) obs = from_text("see http://203.0.113.9/a.html");
  assert_string_equal(find(obs, "url", "http://203.0.113.9/a.html")->defanged,
                      "hxxp://203[.]0[.]113[.]9/a[.]html");
  assert_string_equal(find(obs, "ip", "203.0.113.9")->defanged, "203[.]0[.]113[.]9");
}

/* --- text URLs --- */

static void test_text_urls_trimmed(void **state)
{
  g_autoptr(GPtrArray) obs = from_text(
      "Go to https://a.example/x. Or (https://b.example/y), or "
      "\"http://c.example/z\"; or <https://d.example/w>! Also "
      "https://e.example/wiki/A_(b) and [https://f.example/q]. "
      "www.g.example? xwww.h.example no, user@www.i.example no; "
      "https://j.example:8443/p?q=1#frag and https://user:pw@k.example/ and "
      "https://l.example/ünï and https:// and http://nohost and http://bad_host.example/");
  expect_listing(obs,
                 "domain a.example\n"
                 "domain b.example\n"
                 "domain c.example\n"
                 "domain d.example\n"
                 "domain e.example\n"
                 "domain f.example\n"
                 "domain www.g.example\n"
                 "domain j.example\n"
                 "domain k.example\n"
                 "domain l.example\n"
                 "url https://a.example/x\n"
                 "url https://b.example/y\n"
                 "url http://c.example/z\n"
                 "url https://d.example/w\n"
                 "url https://e.example/wiki/A_(b)\n"
                 "url https://f.example/q\n"
                 "url www.g.example\n"
                 "url https://j.example:8443/p?q=1#frag\n"
                 "url https://user:pw@k.example/\n"
                 "url https://l.example/ünï\n");
}

/* --- duplicates and our own domains --- */

static void test_duplicates_kept_once(void **state)
{
  const char *const received[] = {
    "from mail.evil.example (mail.evil.example [203.0.113.7]) by mx.ourorg.gov.uk",
    "from MAIL.EVIL.EXAMPLE. (mail.evil.example [203.0.113.7]) by relay.evil.example",
    NULL,
  };
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(mail_file_part_free);
  g_ptr_array_add(files, file_part("a.pdf", SHA_A));
  g_ptr_array_add(files, file_part("a.pdf", SHA_B));
  IgSuspect s = {
    .from_addr = "Boss@Evil.Example",
    .reply_to = "boss@evil.example",
    .return_path = "boss@evil.example",
    .received = received,
    .text = "https://evil.example/a https://evil.example/a https://evil.example/a.",
    .html = "<a href=\"https://evil.example/a\">x</a>",
    .files = files,
  };
  g_autoptr(GPtrArray) obs = observables_extract(&s);
  expect_listing(obs,
                 "email boss@evil.example\n"
                 "domain evil.example\n"
                 "url https://evil.example/a\n"
                 "ip 203.0.113.7\n"
                 "host mail.evil.example\n"
                 "file a.pdf\n");
  assert_string_equal(find(obs, "file", "a.pdf")->sha256, SHA_A);
}

static void test_own_domains_excluded(void **state)
{
  static const char *const ours[] = {"OurOrg.gov.uk", "partner.example", NULL};
  const char *const received[] = {
    "from mx.ourorg.gov.uk (mx.ourorg.gov.uk [198.51.100.2]) by gw.ourorg.gov.uk",
    NULL,
  };
  IgSuspect s = {
    .from_addr = "ceo@ourorg.gov.uk",
    .reply_to = "ceo@mail.partner.example",
    .return_path = "bounce@notourorg.gov.uk",
    .received = received,
    .text = "https://intranet.ourorg.gov.uk/x https://OURORG.GOV.UK/y "
            "https://ourorg.gov.uk.evil.example/z",
    .own_domains = ours,
  };
  g_autoptr(GPtrArray) obs = observables_extract(&s);
  expect_listing(obs,
                 "email bounce@notourorg.gov.uk\n"
                 "domain notourorg.gov.uk\n"
                 "domain ourorg.gov.uk.evil.example\n"
                 "url https://ourorg.gov.uk.evil.example/z\n"
                 "ip 198.51.100.2\n");
}

/* --- relays --- */

static void test_relay_formats(void **state)
{
  const char *const received[] = {
    /* Postfix, with an unresolved sender */
    "from helo.evil.example (unknown [203.0.113.10]) by mx.ourorg.gov.uk (Postfix) "
    "with ESMTP id 1; Mon, 23 Nov 2026 09:00:00 +0000",
    /* Exim */
    "from [203.0.113.11] (port=4711 helo=exim.evil.example) by x.ourorg.gov.uk",
    /* qmail */
    "from unknown (HELO qmail.evil.example) (203.0.113.12) by x.ourorg.gov.uk",
    /* Sendmail */
    "from sm.evil.example (rdns.evil.example [203.0.113.13] (may be forged)) by x",
    /* Microsoft 365, IPv6 */
    "from AM0PR01MB1234.eurprd01.prod.example.net (2603:10a6:208:12::34) by "
    "AM0PR01MB5678.eurprd01.prod.example.net with HTTPS; Mon, 23 Nov 2026",
    /* no "from" clause: nothing */
    "by mx.evil.example with LMTP id 7 for <jane@ourorg.gov.uk>; Mon, 23 Nov 2026",
    "(qmail 1234 invoked by uid 89); 23 Nov 2026 09:00:00 -0000",
    /* the "for" recipient and the date are not relays */
    "from 203.0.113.14 with SMTP for <x@y.example>; Mon, 23 Nov 2026 09:00:00 +0000",
    NULL,
  };
  IgSuspect s = {.received = received, .own_domains = own};
  g_autoptr(GPtrArray) obs = observables_extract(&s);
  expect_listing(obs,
                 "ip 203.0.113.10\n"
                 "ip 203.0.113.11\n"
                 "ip 203.0.113.12\n"
                 "ip 203.0.113.13\n"
                 "ip 2603:10a6:208:12::34\n"
                 "ip 203.0.113.14\n"
                 "host helo.evil.example\n"
                 "host exim.evil.example\n"
                 "host qmail.evil.example\n"
                 "host sm.evil.example\n"
                 "host rdns.evil.example\n"
                 "host am0pr01mb1234.eurprd01.prod.example.net\n");
}

static void test_private_relay_ips_skipped(void **state)
{
  g_autoptr(GPtrArray) obs = from_received(
      "from a.example (a.example [10.0.0.1]) (b [172.16.5.4]) (c [172.31.255.255]) "
      "(d [192.168.0.1]) (e [127.0.0.1]) (f [169.254.1.1]) (g [IPv6:fe80::1]) "
      "(h [IPv6:fd12:3456::1]) (i [IPv6:fc00::1]) (j [IPv6:::1]) (k [::ffff:10.0.0.9]) "
      "(l [0.0.0.0]) (m [224.0.0.1]) (n [::]) "
      "(kept [172.32.0.1]) (kept [203.0.113.99]) (kept [IPv6:2001:DB8:0:0::25]) "
      "(kept [::ffff:203.0.113.98]) by mx.ourorg.gov.uk");
  expect_listing(obs,
                 "ip 172.32.0.1\n"
                 "ip 203.0.113.99\n"
                 "ip 2001:db8::25\n"
                 "ip ::ffff:203.0.113.98\n"
                 "host a.example\n");
}

static void test_ipv6(void **state)
{
  g_autoptr(GPtrArray) obs = from_text(
      "http://[2001:db8::1]:8080/x and http://[2001:DB8::2]/ and http://[203.0.113.1]/ "
      "and http://[fd00::1]/ and http://[2001:db8::3/ and http://[zz::1]/");
  expect_listing(obs,
                 "url http://[2001:db8::1]:8080/x\n"
                 "url http://[2001:DB8::2]/\n"
                 "url http://[fd00::1]/\n"
                 "ip 2001:db8::1\n"
                 "ip 2001:db8::2\n");
  assert_string_equal(find(obs, "ip", "2001:db8::1")->defanged, "2001[:]db8[:][:]1");
}

/* --- hostile input --- */

#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
#define BUDGET_US (2 * G_USEC_PER_SEC)
#else
#define BUDGET_US (20 * G_USEC_PER_SEC)
#endif

static void assert_within_budget(gint64 start, const char *what)
{
  const gint64 spent = g_get_monotonic_time() - start;
  const gint64 budget = RUNNING_ON_VALGRIND ? 50 * BUDGET_US : BUDGET_US;
  if (spent > budget)
    print_error("%s took %.1f s\n", what, spent / 1e6);
  assert_true(spent <= budget);
}

static char *repeat(const char *unit, gsize bytes)
{
  GString *s = g_string_new(NULL);
  while (s->len < bytes)
    g_string_append(s, unit);
  return g_string_free(s, FALSE);
}

static void test_many_capped_in_order_of_worth(void **state)
{
  GString *text = g_string_new(NULL);
  GString *html = g_string_new(NULL);
  for (int i = 0; i < 5000; i++) {
    g_string_append_printf(text, "https://t%d.example/ ", i);
    g_string_append_printf(html, "<a href=\"https://h%d.example/\">x</a>", i);
  }
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(mail_file_part_free);
  g_ptr_array_add(files, file_part("payload.js", SHA_A));
  const char *const received[] = {"from r.example ([203.0.113.5]) by x", NULL};
  IgSuspect s = {.from_addr = "a@evil.example", .received = received, .text = text->str,
                 .html = html->str, .files = files};
  gint64 start = g_get_monotonic_time();
  g_autoptr(GPtrArray) obs = observables_extract(&s);
  assert_within_budget(start, "5000 links and 5000 URLs");
  assert_int_equal(obs->len, OBSERVABLES_MAX);
  assert_non_null(find(obs, "email", "a@evil.example"));
  assert_non_null(find(obs, "file", "payload.js"));
  assert_non_null(find(obs, "ip", "203.0.113.5"));
  assert_non_null(find(obs, "host", "r.example"));
  assert_non_null(find(obs, "url", "https://h0.example/"));
  assert_null(find(obs, "url", "https://t0.example/"));
  g_string_free(text, TRUE);
  g_string_free(html, TRUE);
}

static void test_long_and_garbage_bounded(void **state)
{
  /* a URL at the limit is kept, one byte longer is not */
  g_autofree char *path = repeat("a", OBSERVABLES_URL_MAX - strlen("https://long.example/"));
  g_autofree char *at_limit = g_strconcat("https://long.example/", path, NULL);
  g_autofree char *over = g_strconcat("https://over.example/", path, "b", NULL);
  g_autofree char *text = g_strconcat(at_limit, " ", over, NULL);
  g_autoptr(GPtrArray) obs = from_text(text);
  assert_int_equal(strlen(at_limit), OBSERVABLES_URL_MAX);
  assert_non_null(find(obs, "url", at_limit));
  assert_null(find(obs, "domain", "over.example"));
  assert_int_equal(obs->len, 2);

  /* control characters and oversized parts are no values */
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(mail_file_part_free);
  g_ptr_array_add(files, file_part("bell\a.exe", SHA_A));
  g_ptr_array_add(files, file_part("ok.exe", "NOT-A-HASH"));
  g_autofree char *local = repeat("x", 65);
  g_autofree char *long_local = g_strconcat(local, "@evil.example", NULL);
  IgSuspect s = {.from_addr = "a\x01" "b@evil.example", .reply_to = long_local,
                 .return_path = "two@at@evil.example", .files = files,
                 .text = "http://evil.example/\x7f" "x https://\xff\xfe.example/ "
                         "http://a..example/ http://-a.example/ http://a-.example/ "
                         "http://1.2.3/ http://example/"};
  g_autoptr(GPtrArray) bad = observables_extract(&s);
  expect_listing(bad,
                 "domain evil.example\n"
                 "url http://evil.example/\n"
                 "file ok.exe\n");
  assert_null(find(bad, "file", "ok.exe")->sha256);

  /* runs that keep looking like a URL start, and deep markup, in bounded time */
  g_autofree char *starts = repeat("http://", 4 << 20);
  g_autofree char *www = repeat("www.", 4 << 20);
  g_autofree char *dots = repeat("https://a.", 4 << 20);
  g_autofree char *deep = repeat("<a href=\"https://x.example/\"><div>", 1 << 20);
  g_autofree char *tokens = repeat("from [203.0.113.1] ((((x ", 1 << 20);
  const char *const received[] = {tokens, NULL};
  IgSuspect hostile[] = {
    {.text = starts}, {.text = www}, {.text = dots}, {.html = deep}, {.received = received},
  };
  gint64 start = g_get_monotonic_time();
  for (gsize i = 0; i < G_N_ELEMENTS(hostile); i++) {
    g_autoptr(GPtrArray) some = observables_extract(&hostile[i]);
    assert_true(some->len <= OBSERVABLES_MAX);
  }
  assert_within_budget(start, "4 MB hostile texts, 1 MB of nested links and tokens");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_phishing_mail),
    cmocka_unit_test(test_nothing_known),
    cmocka_unit_test(test_link_target_not_text),
    cmocka_unit_test(test_link_target_as_a_browser_reads_it),
    cmocka_unit_test(test_mailto_targets),
    cmocka_unit_test(test_defang_every_type),
    cmocka_unit_test(test_text_urls_trimmed),
    cmocka_unit_test(test_duplicates_kept_once),
    cmocka_unit_test(test_own_domains_excluded),
    cmocka_unit_test(test_relay_formats),
    cmocka_unit_test(test_private_relay_ips_skipped),
    cmocka_unit_test(test_ipv6),
    cmocka_unit_test(test_many_capped_in_order_of_worth),
    cmocka_unit_test(test_long_and_garbage_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

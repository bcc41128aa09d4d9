/* test_evidence_notice.c - unit tests for gateway/evidence_notice.c, the
 * reported mail and its indicators in OST's notification: addresses and
 * a display name that looks like a domain are defanged, a header value
 * is one line of at most 200 characters whatever the attacker sent, an
 * empty return path is left out, and the indicators listed are bounded,
 * the rest counted with the command that shows them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "gateway/evidence_notice.h"
#include "gateway/records.h"
#include "parsers/observables.h"

static IgIncident *incident(void)
{
  IgIncident *inc = incident_new();
  inc->reference = g_strdup("INC-2026-000042");
  return inc;
}

/* The lines of text, each without its indentation and label. */
static char *field(const char *text, const char *label)
{
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    const char *s = *l + strspn(*l, " ");
    if (g_str_has_prefix(s, label))
      return g_strdup(g_strchug((char *)s + strlen(label)));
  }
  return NULL;
}

static void test_evidence_in_one_line_each(void **state)
{
  g_autoptr(IgIncident) inc = incident();
  IgEvidence *e = g_new0(IgEvidence, 1);
  e->from_addr = g_strdup("billing@pay-pal.example");
  e->from_name = g_strdup("PayPal.com Billing");
  e->return_path = g_strdup("");
  e->relays = g_new0(char *, 1);
  GString *subject = g_string_new("Your account\r\nBcc: victim@justice.gov.uk\tis locked ");
  while (g_utf8_strlen(subject->str, -1) < 300)
    g_string_append(subject, "\xc3\xa9");
  e->subject = g_string_free(subject, FALSE);
  g_ptr_array_add(inc->evidence, e);
  IgEvidence *anonymous = g_new0(IgEvidence, 1);
  anonymous->relays = g_new0(char *, 1);
  g_ptr_array_add(inc->evidence, anonymous);

  g_autofree char *text = evidence_notice(inc);
  g_autofree char *from = field(text, "From:");
  assert_string_equal(from, "PayPal[.]com Billing <billing@pay-pal[.]example>");
  assert_null(strstr(text, "Return-Path:")); /* <> says nothing to block */
  assert_null(strstr(text, "\r"));
  g_autofree char *shown = field(text, "Subject:");
  assert_true(g_str_has_prefix(shown, "Your account  Bcc: victim@justice.gov.uk is locked "));
  assert_int_equal(g_utf8_strlen(shown, -1), 201);
  assert_true(g_str_has_suffix(shown, "\xc3\xa9\xe2\x80\xa6")); /* cut on a character, then … */
  assert_non_null(strstr(text, "From:        <unknown>\n")); /* the second: nothing known */
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  assert_int_equal(g_strv_length(lines), 4); /* From, Subject; From; and the end */
}

static void add_observable(IgIncident *inc, const char *type, const char *value)
{
  IgObservable *o = g_new0(IgObservable, 1);
  o->type = g_strdup(type);
  o->value = g_strdup(value);
  o->defanged = observable_defang(type, value);
  g_ptr_array_add(inc->observables, o);
}

static void test_observables_bounded(void **state)
{
  g_autoptr(IgIncident) none = incident();
  g_autofree char *empty = evidence_notice_observables(none);
  assert_string_equal(empty, "");

  g_autoptr(IgIncident) inc = incident();
  for (int i = 0; i < EVIDENCE_NOTICE_MAX + 5; i++) {
    g_autofree char *url = g_strdup_printf("https://evil%d.example/login", i);
    add_observable(inc, "url", url);
  }
  g_autofree char *text = evidence_notice_observables(inc);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  assert_int_equal(g_strv_length(lines), EVIDENCE_NOTICE_MAX + 2);
  assert_string_equal(lines[0], "  url     hxxps://evil0[.]example/login");
  assert_string_equal(lines[EVIDENCE_NOTICE_MAX],
                      "  ... and 5 more: incident-gateway observables INC-2026-000042");
  assert_null(strstr(text, "https://"));

  g_autoptr(IgIncident) exact = incident();
  for (int i = 0; i < EVIDENCE_NOTICE_MAX; i++)
    add_observable(exact, "domain", "evil.example");
  g_autofree char *all = evidence_notice_observables(exact);
  assert_null(strstr(all, "more"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_evidence_in_one_line_each),
    cmocka_unit_test(test_observables_bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

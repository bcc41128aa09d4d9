/* test_mailout.c - mail goes only where it should (SPEC 9): envelope
 * addresses are validated, never split; acknowledgements go to the
 * sender's parsed address alone, echo only short values and are capped per
 * sender (one spelling per mailbox) and in total; mail quoting a gateway's
 * automatic mail is never answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "gateway/address.h"
#include "gateway/config.h"
#include "gateway/intake.h"
#include "gateway/log.h"
#include "gateway/loopmark.h"
#include "gateway/store.h"
#include "gateway/template.h"
#include "tests/unit/intake_fixture.h"

/* Records one message with this From, Subject and Message-ID (NULL: a
 * fresh one) and body. */
static IgIntakeItem ingest_id(Fixture *f, const char *from_header, const char *subject,
                              const char *message_id, const char *body)
{
  f->sent++;
  g_autofree char *fresh = g_strdup_printf("m%d@sender.example", f->sent);
  char *raw = g_strdup_printf("From: %s\r\nTo: security@justice.gov.uk\r\nSubject: %s\r\n"
                              "Message-ID: <%s>\r\n\r\n%s\r\n", from_header, subject,
                              message_id ? message_id : fresh, body);
  g_autoptr(GBytes) bytes = g_bytes_new_take(raw, strlen(raw));
  IgIntakeItem item = { .name = "test", .raw = bytes };
  assert_true(intake_batch(&f->ctx, &item, 1, NULL));
  return item;
}

static IgIntakeItem ingest(Fixture *f, const char *from_header, const char *subject,
                           const char *body)
{
  return ingest_id(f, from_header, subject, NULL, body);
}

/* The mails in the outbox rendered from template (NULL: all), oldest
 * first, with their bodies. Every due row is claimed to read it, then
 * released: all stay pending. */
static GPtrArray *mails(Fixture *f, const char *template)
{
  g_autofree char *at = iso_utc(f->now);
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)outbox_rec_free);
  IgOutboxRec *r;
  while ((r = store_outbox_claim(f->store, at, "test-mails", "2100-01-01T00:00:00Z", NULL))) {
    if (!template || g_strcmp0(r->template_name, template) == 0)
      g_ptr_array_add(out, r);
    else
      outbox_rec_free(r);
  }
  assert_true(store_outbox_release(f->store, "test-mails", NULL));
  return out;
}

static GPtrArray *acks(Fixture *f)
{
  return mails(f, "ack");
}

/* The detail of the incident's ack_suppressed or ack_queued event. */
static char *ack_event(Fixture *f, const char *reference)
{
  gint64 id = store_incident_id(f->store, reference, NULL);
  assert_true(id > 0);
  g_autoptr(GPtrArray) events = store_incident_events(f->store, id, NULL);
  for (guint i = 0; i < events->len; i++) {
    IgEventRec *e = g_ptr_array_index(events, i);
    if (g_str_has_prefix(e->type, "ack_"))
      return g_strdup_printf("%s: %s", e->type, e->detail);
  }
  return NULL;
}

static void test_address_canonical(void **state)
{
  static const char *const good[][2] = {
    { "jane.smith@justice.gov.uk", "jane.smith@justice.gov.uk" },
    { "Jane.Smith@Justice.GOV.uk", "jane.smith@justice.gov.uk" },
    { "o'brien+ir@x.example", "o'brien+ir@x.example" },
    { "jane@b\xc3\x9c" "cher.example", "jane@xn--bcher-kva.example" },
    { "jane@b\xc3\xbc" "cher.example", "jane@xn--bcher-kva.example" },
  };
  static const char *const bad[] = {
    "\"a,victim@x.example,b\"@attacker.example",
    "\"a\r\n b\"@attacker.example",
    "a\r\nRCPT TO:<v@x.example>@attacker.example",
    "\"jane\"@x.example",
    "a b@x.example",
    "a,b@x.example",
    "a@b@x.example",
    "jane@x.example\r\n",
    ".jane@x.example",
    "ja..ne@x.example",
    "jane@[192.0.2.1]",
    "jane@-x.example",
    "jane@x",
    "j\xc3\xa4ne@x.example",
    "jane@",
    "@x.example",
    "",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
    g_autofree char *c = address_canonical(good[i][0], NULL);
    assert_string_equal(c, good[i][1]);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *c = address_canonical(bad[i], &error);
    if (c)
      fail_msg("accepted \"%s\" as %s", bad[i], c);
    assert_non_null(error);
  }
  g_autofree char *local65 = g_strnfill(65, 'a');
  g_autofree char *long_local = g_strdup_printf("%s@x.example", local65);
  assert_null(address_canonical(long_local, NULL));
  g_autofree char *label = g_strnfill(60, 'd');
  g_autofree char *long_addr = g_strdup_printf("jane@%s.%s.%s.%s.example", label, label, label,
                                               label);
  assert_null(address_canonical(long_addr, NULL));
}

static void test_address_list(void **state)
{
  g_auto(GStrv) two = address_list_parse("a@x.example, b@y.example", NULL);
  assert_non_null(two);
  assert_int_equal(g_strv_length(two), 2);
  assert_string_equal(two[1], "b@y.example");
  /* What older versions stored for a comma-quoted From: one address, and
   * not a usable one, never three. */
  g_autoptr(GError) error = NULL;
  assert_null(address_list_parse("\"a,victim@x.example,b\"@attacker.example", &error));
  assert_non_null(error);
  assert_null(address_list_parse("", NULL));
}

/* Finding 2: the comma in a quoted local part must not reach anyone. */
static void test_ack_comma_quoted_local_part(void **state)
{
  Fixture *f = intake_fixture_new("");
  IgIntakeItem item = ingest(f, "\"a,victim@x.example,b\"@attacker.example", "Phishing",
                             "I got a phishing mail.");
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  g_autoptr(GPtrArray) sent = acks(f);
  assert_int_equal(sent->len, 0);
  g_autofree char *why = ack_event(f, item.reference);
  assert_non_null(strstr(why, "ack_suppressed: no acknowledgement: sender not a usable address"));
  g_autoptr(GPtrArray) all = store_list_outbox(f->store, FALSE, NULL);
  for (guint i = 0; i < all->len; i++)
    assert_null(strstr(((IgOutboxRec *)g_ptr_array_index(all, i))->to, "victim"));
  intake_item_clear(&item);
  intake_fixture_free(f);
}

/* Finding 2: a folded quoted local part carries CR LF into the address. */
static void test_ack_folded_local_part(void **state)
{
  Fixture *f = intake_fixture_new("");
  IgIntakeItem item = ingest(f, "\"x\r\n RCPT TO:<v@x.example>\"@attacker.example", "Phishing",
                             "I got a phishing mail.");
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  g_autoptr(GPtrArray) sent = acks(f);
  assert_int_equal(sent->len, 0);
  g_autoptr(GPtrArray) all = store_list_outbox(f->store, FALSE, NULL);
  assert_true(all->len > 0);
  for (guint i = 0; i < all->len; i++) {
    const IgOutboxRec *r = g_ptr_array_index(all, i);
    assert_null(strpbrk(r->to, "\r\n\""));
  }
  intake_item_clear(&item);
  intake_fixture_free(f);
}

/* One mailbox, many spellings: one count. */
static void test_rate_limit_per_sender_spellings(void **state)
{
  Fixture *f = intake_fixture_new("rate_limit_per_sender = 2/h\nrate_limit_total = 1000/h");
  static const char *const froms[] = {
    "Jane <jane@x.example>", "JANE@X.EXAMPLE", "jane@x.example (Jane)", "\"jane\"@x.example",
    "\"jane,1\"@x.example", "\"jane,2\"@x.example", "Jane <Jane@X.Example>",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(froms); i++) {
    g_autofree char *subject = g_strdup_printf("Report %zu", i);
    IgIntakeItem item = ingest(f, froms[i], subject, "Something odd happened.");
    assert_int_equal(item.outcome, IG_INTAKE_NEW);
    intake_item_clear(&item);
  }
  /* An international domain in two cases is one mailbox too. */
  IgIntakeItem a = ingest(f, "=?utf-8?q?J?= <jane@b\xc3\x9c" "cher.example>", "IDN 1", "Odd.");
  IgIntakeItem b = ingest(f, "jane@b\xc3\xbc" "cher.example", "IDN 2", "Odd.");
  IgIntakeItem c = ingest(f, "jane@xn--bcher-kva.example", "IDN 3", "Odd.");
  intake_item_clear(&a);
  intake_item_clear(&b);
  intake_item_clear(&c);
  g_autoptr(GPtrArray) sent = acks(f);
  int to_jane = 0, to_idn = 0;
  for (guint i = 0; i < sent->len; i++) {
    const IgOutboxRec *r = g_ptr_array_index(sent, i);
    if (strcmp(r->to, "jane@x.example") == 0)
      to_jane++;
    else if (strcmp(r->to, "jane@xn--bcher-kva.example") == 0)
      to_idn++;
    else
      fail_msg("acknowledgement to %s", r->to);
  }
  assert_int_equal(to_jane, 2);
  assert_int_equal(to_idn, 2);
  intake_fixture_free(f);
}

static void test_rate_limit_total(void **state)
{
  Fixture *f = intake_fixture_new("rate_limit_per_sender = 10/h\nrate_limit_total = 3/h");
  char *refs[5] = { 0 };
  for (int i = 0; i < 5; i++) {
    g_autofree char *from = g_strdup_printf("sender%d@x.example", i);
    g_autofree char *subject = g_strdup_printf("Report %d", i);
    IgIntakeItem item = ingest(f, from, subject, "Something odd happened.");
    refs[i] = g_steal_pointer(&item.reference);
    intake_item_clear(&item);
  }
  g_autoptr(GPtrArray) sent = acks(f);
  assert_int_equal(sent->len, 3);
  g_autofree char *why = ack_event(f, refs[4]);
  assert_string_equal(why, "ack_suppressed: no acknowledgement: rate_limit_total reached");
  for (int i = 0; i < 5; i++)
    g_free(refs[i]);
  intake_fixture_free(f);
}

/* Finding 3: a 200 KB "Reporter name" (or subject, or Message-ID) must
 * not come back in the ack. */
static void test_ack_size_bounded(void **state)
{
  Fixture *f = intake_fixture_new("");
  g_autofree char *huge = g_strnfill(200 * 1024, 'N');
  g_autofree char *body = g_strdup_printf("Reporter name: %s\r\nIncident category: phishing\r\n"
                                          "Systems affected: %s\r\nDescription: %s\r\n",
                                          huge, huge, huge);
  g_autofree char *id = g_strdup_printf("%s@x.example", huge);
  IgIntakeItem item = ingest_id(f, "jane@x.example", huge, id, body);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  g_autoptr(GPtrArray) sent = acks(f);
  assert_int_equal(sent->len, 1);
  const IgOutboxRec *ack = g_ptr_array_index(sent, 0);
  gsize len = g_bytes_get_size(ack->body);
  if (len > 8 * 1024)
    fail_msg("acknowledgement of %zu bytes", len);
  g_autofree char *text = g_strndup(g_bytes_get_data(ack->body, NULL), len);
  assert_non_null(strstr(text, "NNN\xe2\x80\xa6") ?: strstr(text, "NNN=E2=80=A6"));
  intake_item_clear(&item);
  intake_fixture_free(f);
}

/* Nothing sent out echoes unbounded input: the notifications to OST and
 * the other stakeholders carry a long description cut, saying so. */
static void test_notifications_size_bounded(void **state)
{
  Fixture *f = intake_fixture_new("");
  g_autofree char *huge = g_strnfill(200 * 1024, 'N');
  g_autofree char *body = g_strdup_printf("Reporter name: %s\r\nIncident category: phishing\r\n"
                                          "Impact: high\r\nPersonal data involved: yes\r\n"
                                          "Systems affected: %s\r\nDescription: %s\r\n"
                                          "Actions taken: %s\r\n", huge, huge, huge, huge);
  IgIntakeItem item = ingest_id(f, "jane@x.example", huge, NULL, body);
  assert_int_equal(item.outcome, IG_INTAKE_NEW);
  g_autoptr(GPtrArray) sent = mails(f, NULL);
  assert_true(sent->len >= 2); /* the acknowledgement and OST's notice */
  for (guint i = 0; i < sent->len; i++) {
    const IgOutboxRec *r = g_ptr_array_index(sent, i);
    gsize len = g_bytes_get_size(r->body);
    if (len > 64 * 1024)
      fail_msg("%s mail of %zu bytes", r->template_name, len);
  }
  g_autoptr(GPtrArray) ost = mails(f, "notify_ost");
  assert_int_equal(ost->len, 1);
  const IgOutboxRec *n = g_ptr_array_index(ost, 0);
  g_autofree char *text = g_strndup(g_bytes_get_data(n->body, NULL), g_bytes_get_size(n->body));
  assert_non_null(strstr(text, "the rest is in the stored message"));
  intake_item_clear(&item);
  intake_fixture_free(f);
}

/* Every mail carries the mark; mail quoting another gateway's mark is an
 * automatic reply, and mail quoting ours is a reply to that incident. */
static void test_loopmark(void **state)
{
  Fixture *f = intake_fixture_new("");
  IgIntakeItem first = ingest(f, "jane@x.example", "Phishing", "I got a phishing mail.");
  g_autoptr(GPtrArray) sent = acks(f);
  assert_int_equal(sent->len, 1);
  const IgOutboxRec *ack = g_ptr_array_index(sent, 0);
  g_autofree char *text = g_strndup(g_bytes_get_data(ack->body, NULL),
                                    g_bytes_get_size(ack->body));
  g_autofree char *mark = g_strdup_printf("Incident-Gateway: %s security@justice.gov.uk",
                                          first.reference);
  assert_non_null(strstr(text, mark));

  g_autofree char *quoting_ours = g_strdup_printf("Thanks!\r\n\r\n> %s\r\n", mark);
  IgIntakeItem reply = ingest(f, "robot@x.example", "Re: your mail", quoting_ours);
  assert_int_equal(reply.outcome, IG_INTAKE_ATTACHED);
  assert_string_equal(reply.reference, first.reference);
  assert_string_equal(reply.kind, "correspondence");

  IgIntakeItem other = ingest(f, "robot@x.example", "Re: [SEC-2026-000001] recorded",
                              "We got it.\r\n> Incident-Gateway: SEC-2026-000001 sec@y.example\r\n");
  assert_int_equal(other.outcome, IG_INTAKE_UNMATCHED);
  assert_string_equal(other.kind, "auto-reply");
  g_autoptr(GPtrArray) after = acks(f);
  assert_int_equal(after->len, 1);

  char *found = NULL;
  assert_false(loopmark_find("no mark here", "a@x.example", &found));
  assert_null(found);
  intake_item_clear(&first);
  intake_item_clear(&reply);
  intake_item_clear(&other);
  intake_fixture_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_address_canonical),
    cmocka_unit_test(test_address_list),
    cmocka_unit_test(test_ack_comma_quoted_local_part),
    cmocka_unit_test(test_ack_folded_local_part),
    cmocka_unit_test(test_rate_limit_per_sender_spellings),
    cmocka_unit_test(test_rate_limit_total),
    cmocka_unit_test(test_ack_size_bounded),
    cmocka_unit_test(test_notifications_size_bounded),
    cmocka_unit_test(test_loopmark),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

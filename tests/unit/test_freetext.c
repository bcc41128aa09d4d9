/* test_freetext.c - unit tests for parsers/freetext.c and
 * freetext_names.c: systems, assets and suppliers named in the text (and
 * those named only to say they were not involved), the classification
 * passed through, the subject deciding the category, texts where nothing
 * may be extracted, hostile input, and the prefix of a text that is read.
 * The detection time is in test_freetext_time.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/classify.h"
#include "parsers/freetext.h"
#include "tests/unit/freetext_fixture.h"

static void test_systems(void **state)
{
  g_autoptr(IgFreeText) a = extract_at(
      "Outlook and Microsoft Teams on my laptop, also NOMIS and Outlook "
      "again",
      NULL);
  g_autoptr(IgFreeText) b =
      extract_at("The wifi and the VPN dropped; P-NOMIS and an e-mail", NULL);
  g_autoptr(IgFreeText) c = extract_at(
      "Teams of people, an outlookish mood and notebooks", NULL);
  g_autoptr(IgFreeText) d = extract_at(
      "A letter from the HR system was printed on the printer; CCTV and "
      "payroll; the case management system and SharePoint, OneDrive, DOM1, "
      "Delius, the website",
      NULL);
  assert_string_equal(a->systems_affected,
                      "Outlook, Microsoft Teams, laptop, NOMIS");
  assert_string_equal(b->systems_affected, "Wi-Fi, VPN, NOMIS, email");
  assert_null(c->systems_affected);
  assert_string_equal(d->systems_affected,
                      "HR system, printer, CCTV, payroll, "
                      "case management system, SharePoint, OneDrive, DOM1, "
                      "Delius, website");
}

/* Class: a system or asset named only to say it was not involved. */
static void test_names_denied(void **state)
{
  static const struct {
    const char *text, *systems, *asset;
  } cases[] = {
    { "Outlook was not affected, but NOMIS has been down since 9", "NOMIS",
      "Prison NOMIS" },
    { "No impact on NOMIS or Delius; the printer is broken", "printer",
      NULL },
    { "Outlook, Teams chat and email were not affected. Citrix went down.",
      "Citrix", NULL },
    { "NOMIS was down and Outlook was not affected", "NOMIS",
      "Prison NOMIS" },
    { "Internal systems are fine - Outlook was not affected and neither was "
      "the intranet or Court Store.", NULL, NULL },
    { "Court Store was unaffected; Prison NOMIS was exposed", "NOMIS",
      "Prison NOMIS" },
    { "NOMIS - no impact so far", NULL, NULL },
    { "The VPN is fine.\n\nLater the VPN dropped for everyone", "VPN",
      NULL },
    /* not being able to use a system is being affected */
    { "I could not log in to NOMIS and Outlook kept crashing",
      "NOMIS, Outlook", "Prison NOMIS" },
    { "The HR system didn't load", "HR system", "HR System" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(IgFreeText) ft = extract_at(cases[i].text, NULL);
    if (g_strcmp0(ft->systems_affected, cases[i].systems) != 0 ||
        g_strcmp0(ft->information_asset, cases[i].asset) != 0) {
      print_error("'%s': got systems %s, asset %s\n", cases[i].text,
                  ft->systems_affected ? ft->systems_affected : "NULL",
                  ft->information_asset ? ft->information_asset : "NULL");
      fail();
    }
  }
}

static void test_assets_and_suppliers(void **state)
{
  g_autoptr(IgFreeText) a =
      extract_at("NOMIS was down, then the HR system", NULL);
  g_autoptr(IgFreeText) b =
      extract_at("The hr   system and prison\nnomis", NULL);
  g_autoptr(IgFreeText) c =
      extract_at("The court store and the system", NULL);
  g_autoptr(IgFreeText) d = extract_at(
      "Mail from jane@example-supplier.co.uk about Acme Secure Shredding",
      NULL);
  g_autoptr(IgFreeText) e =
      extract_at("Acme Secure Shredding told Example Supplier", NULL);
  g_autoptr(IgFreeText) f = extract_at(
      "a system, a store, example-supplier.co.uk.evil.example", NULL);
  assert_string_equal(a->information_asset, "Prison NOMIS");
  assert_string_equal(b->information_asset, "HR System");
  assert_string_equal(c->information_asset, "Court Store");
  assert_string_equal(d->supplier, "example-supplier.co.uk");
  assert_string_equal(e->supplier, "Acme Secure Shredding");
  assert_null(f->information_asset);
  assert_null(f->supplier);
  /* a name a lure used is none involved */
  {
    g_autoptr(IgFreeText) g = extract_at(
        "The email said it was from Acme Secure Shredding and pretended to "
        "be from Microsoft 365, but NOMIS was then slow", NULL);
    assert_null(g->supplier);
    assert_string_equal(g->systems_affected, "email, NOMIS");
  }
  /* a distinctive word alone only as a name, with its capital */
  {
    static const char *const more[] = { "Legal Aid Casework", NULL };
    g_autoptr(GTimeZone) tz = g_time_zone_new_utc();
    g_autoptr(IgFreeText) g = freetext_extract(
        "she is doing her casework at home; nomis was slow", NULL, NULL, tz,
        more, NULL);
    g_autoptr(IgFreeText) h =
        freetext_extract("Casework was down", NULL, NULL, tz, more, NULL);
    g_autoptr(IgFreeText) i = extract_at("nomis was slow", NULL);
    assert_null(g->information_asset);
    assert_string_equal(h->information_asset, "Legal Aid Casework");
    assert_null(i->information_asset);
  }
  /* no lists: nothing to find */
  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_utc();
    g_autoptr(IgFreeText) g =
        freetext_extract("Prison NOMIS and Acme", NULL, NULL, tz, NULL, NULL);
    assert_null(g->information_asset);
    assert_null(g->supplier);
  }
}

static void test_classification_passed_through(void **state)
{
  g_autoptr(IgFreeText) ft = extract_at(
      "I left my laptop on the train at about 9.30 this morning. It had "
      "prisoner records on it. Low impact as it is encrypted.",
      MONDAY);
  assert_string_equal(ft->category, "lost-or-stolen-equipment");
  assert_string_equal(ft->category_words, "left my laptop on the train");
  assert_string_equal(ft->impact, "low");
  assert_string_equal(ft->impact_words, "Low impact");
  assert_string_equal(ft->personal_data, "yes");
  assert_string_equal(ft->personal_data_words, "prisoner records");
  assert_string_equal(ft->systems_affected, "laptop");
  assert_string_equal(ft->detected_words, "at about 9.30 this morning");
}

/* Class: the near-miss row's words come with the rest, and not when denied. */
static void test_near_miss_passed_through(void **state)
{
  g_autoptr(IgFreeText) ft =
      extract_at("A near miss: I nearly clicked a phishing link but stopped.", MONDAY);
  assert_string_equal(ft->near_miss_words, "near miss");
  g_autoptr(IgFreeText) denied = extract_at("This was not a near miss, I clicked.", MONDAY);
  assert_null(denied->near_miss_words);
}

static IgFreeText *extract_with_subject(const char *text, const char *subject)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/London");
  g_autoptr(GDateTime) sent = g_date_time_new_from_iso8601(MONDAY, NULL);
  return freetext_extract(text, subject, sent, tz, assets, suppliers);
}

/* Class: the subject's words decide the category when the text does not. */
static void test_subject_decides_category(void **state)
{
  static const struct {
    const char *subject, *text, *category, *words;
    gboolean from_subject;
  } cases[] = {
    { "Phishing email - fake HR survey",
      "Please see below, sent to the whole team.", "phishing", "Phishing",
      TRUE },
    { "Lost laptop", "Left on the train this morning; it is encrypted.",
      "lost-or-stolen-equipment", "Lost laptop", TRUE },
    { "FW: Your mailbox is full", "Please have a look.", "phishing",
      "mailbox is full", TRUE },
    /* the text decides when it can */
    { "Phishing?", "My work phone was stolen on the bus.",
      "lost-or-stolen-equipment", "phone was stolen", FALSE },
    { "Question", "Nothing much to say.", NULL, NULL, FALSE },
    { NULL, "Nothing much to say.", NULL, NULL, FALSE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(IgFreeText) ft =
        extract_with_subject(cases[i].text, cases[i].subject);
    if (g_strcmp0(ft->category, cases[i].category) != 0 ||
        g_strcmp0(ft->category_words, cases[i].words) != 0 ||
        ft->category_from_subject != cases[i].from_subject) {
      print_error("'%s' / '%s': got %s ('%s', subject %d)\n",
                  cases[i].subject ? cases[i].subject : "-", cases[i].text,
                  ft->category ? ft->category : "NULL",
                  ft->category_words ? ft->category_words : "-",
                  ft->category_from_subject);
      fail();
    }
  }
}

/* Class: a mail that reports nothing gets no incident fields at all. */
static void test_reports_nothing(void **state)
{
  static const struct {
    const char *subject, *text;
  } cases[] = {
    { "FW: Cyber news", "For information, no action needed.\n\nThis month: "
      "phishing emails pretending to be from HMRC at 09:00 each day; a "
      "laptop was left on a train; high impact incidents fell; personal "
      "data of staff is at risk from Outlook scams." },
    { "Security working group", "Agenda\n1. Minutes of the last meeting\n"
      "2. Lessons learned from the ransomware incident on Friday at 14:00 "
      "on NOMIS" },
    { "Question", "Hi, how do I report a phishing email? Thanks" },
    { "Re: INC-2026-000123", "Thanks for sorting out the phishing email so "
      "quickly yesterday at 16:00." },
    { "Security bulletin - November", "Please read: malware is spreading "
      "through fake invoices." },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(IgFreeText) ft =
        extract_with_subject(cases[i].text, cases[i].subject);
    if (!ft->not_report_words || ft->event || ft->category || ft->impact ||
        ft->personal_data || ft->detected_at || ft->systems_affected ||
        ft->information_asset) {
      print_error("'%s': want nothing but 'reports nothing', got %s %s %s "
                  "(%s)\n", cases[i].text,
                  ft->category ? ft->category : "-",
                  ft->impact ? ft->impact : "-",
                  ft->personal_data ? ft->personal_data : "-",
                  ft->not_report_words ? ft->not_report_words : "NULL");
      fail();
    }
  }
  /* a question that also tells of an event is a report */
  {
    g_autoptr(IgFreeText) ft = extract_with_subject(
        "How do I report this? I left my laptop on the train at 9.30 this "
        "morning.", "Question");
    assert_null(ft->not_report_words);
    assert_true(ft->event);
    assert_string_equal(ft->category, "lost-or-stolen-equipment");
    assert_non_null(ft->detected_at);
  }
  /* found again: still the category, and nothing more invented */
  {
    g_autoptr(IgFreeText) ft = extract_with_subject(
        "The laptop was NOT stolen, I found it under my desk.", NULL);
    assert_string_equal(ft->category, "lost-or-stolen-equipment");
    assert_null(ft->impact);
    assert_null(ft->personal_data);
    assert_null(ft->detected_at);
  }
}

static void test_nothing_invented(void **state)
{
  static const char *const texts[] = {
    "",
    "Hello, please call me back.",
    "Something happened on Sunday afternoon, I'm not sure what.",
    "Please can you reset my password? Thanks",
    "I have a question about the policy.",
    "See attached.",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
    g_autoptr(IgFreeText) ft = extract_at(texts[i], MONDAY);
    if (ft->detected_at || ft->detected_words || ft->category ||
        ft->category_words || ft->impact || ft->impact_words ||
        ft->personal_data || ft->personal_data_words ||
        ft->systems_affected || ft->information_asset || ft->supplier) {
      print_error("'%s': something was extracted\n", texts[i]);
      fail();
    }
  }
  {
    g_autoptr(IgFreeText) ft = freetext_extract(NULL, NULL, NULL, NULL, NULL, NULL);
    assert_null(ft->detected_at);
    assert_null(ft->category);
  }
  freetext_free(NULL);
}

static void test_hostile_input(void **state)
{
  static const char *const patterns[] = {
    "at 9.30 ", "yesterday at ", "22/11/2026 14:05 ", "an hour ", "1/",
    "laptop outlook ", "no impact on NOMIS, Outlook and ",
    "Outlook and NOMIS were not affected ", "around 2 since 9ish ",
    "yesterday evening. ", "said it was from Acme Secure Shredding " };
  const gsize n = 1024 * 1024;
  g_autofree char *big = g_malloc(n + 1);
  for (gsize p = 0; p < G_N_ELEMENTS(patterns); p++) {
    const gsize len = strlen(patterns[p]);
    for (gsize i = 0; i < n; i++)
      big[i] = patterns[p][i % len];
    big[n] = '\0';
    {
      g_autoptr(IgFreeText) ft = extract_at(big, MONDAY);
      assert_non_null(ft);
    }
  }
  for (gsize i = 0; i < n; i++)
    big[i] = (char)(0x80 | (i * 7919 % 127));
  {
    g_autoptr(IgFreeText) ft = extract_at(big, MONDAY);
    assert_null(ft->detected_at);
    assert_null(ft->systems_affected);
  }
}

/* s, then filler repeated to size bytes in all. */
static char *padded(const char *s, const char *filler, gsize size)
{
  GString *out = g_string_sized_new(size + 1);
  g_string_append(out, s);
  while (out->len < size)
    g_string_append(out, filler);
  g_string_truncate(out, size);
  return g_string_free(out, FALSE);
}

/* Only the first FREETEXT_MAX bytes are read: the facts of the first
 * lines still are, whatever follows, and what stands past the prefix is
 * not. The work is bounded by what is read, asserted on its length. */
static void test_bounded_prefix(void **state)
{
  static const char facts[] =
      "At about 9.30 this morning my laptop was stolen from the train. "
      "NOMIS was open on it.\n\n";
  static const char filler[] = "The weather was grey and the coffee was cold. ";
  g_autofree char *big = padded(facts, filler, 8 * 1024 * 1024);
  g_autoptr(IgFreeText) ft = extract_at(big, MONDAY);
  g_autofree char *at = g_date_time_format_iso8601(ft->detected_at);
  assert_true(ft->analysed <= FREETEXT_MAX);
  assert_true(ft->analysed > FREETEXT_MAX - sizeof filler);
  assert_true(g_ascii_isspace(big[ft->analysed - 1]));
  assert_string_equal(at, "2026-11-23T09:30:00Z");
  assert_string_equal(ft->category, "lost-or-stolen-equipment");
  assert_string_equal(ft->information_asset, "Prison NOMIS");

  /* the same facts past the prefix are not read, nor by classify_text */
  g_autofree char *late = padded("", filler, FREETEXT_MAX + 1024);
  g_autofree char *both = g_strconcat(late, facts, NULL);
  g_autoptr(IgFreeText) nothing = extract_at(both, MONDAY);
  g_autoptr(GPtrArray) decisions = classify_text(both);
  assert_true(nothing->analysed <= FREETEXT_MAX);
  assert_null(nothing->detected_at);
  assert_null(nothing->category);
  assert_null(nothing->information_asset);
  assert_int_equal(decisions->len, 0);

  /* a text short of the limit is read whole */
  g_autoptr(IgFreeText) small = extract_at(facts, MONDAY);
  assert_int_equal(small->analysed, strlen(facts));
}

/* Cut at white space, no word is split ("laptop" across the limit is not
 * read as "lap"); without white space, no character is. */
static void test_prefix_cut(void **state)
{
  g_autofree char *words = padded("", "a", FREETEXT_MAX - 3);
  g_autofree char *text = g_strconcat(words, " laptop stolen", NULL);
  g_autoptr(IgFreeText) ft = extract_at(text, MONDAY);
  assert_int_equal(ft->analysed, FREETEXT_MAX - 2);
  g_autofree char *wide = padded("", "\xc3\xa9", FREETEXT_MAX + 1);
  g_autoptr(IgFreeText) w = extract_at(wide, MONDAY);
  assert_int_equal(w->analysed, FREETEXT_MAX);
  g_autofree char *odd = padded("x", "\xc3\xa9", FREETEXT_MAX + 1);
  g_autoptr(IgFreeText) o = extract_at(odd, MONDAY);
  assert_int_equal(o->analysed, FREETEXT_MAX - 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_systems),
    cmocka_unit_test(test_names_denied),
    cmocka_unit_test(test_assets_and_suppliers),
    cmocka_unit_test(test_classification_passed_through),
    cmocka_unit_test(test_near_miss_passed_through),
    cmocka_unit_test(test_subject_decides_category),
    cmocka_unit_test(test_reports_nothing),
    cmocka_unit_test(test_nothing_invented),
    cmocka_unit_test(test_hostile_input),
    cmocka_unit_test(test_bounded_prefix),
    cmocka_unit_test(test_prefix_cut),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

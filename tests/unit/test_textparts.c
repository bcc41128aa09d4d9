/* test_textparts.c - unit tests for parsers/textparts.c: signatures ("-- ",
 * sign-offs with a short block, mobile footers), quoted text ("> " lines,
 * "On ... wrote:" on one or two lines, "-----Original Message-----", an
 * Outlook From:/Sent: block, a rule of underscores, forwards), interleaved
 * and bottom-posted replies, sign-off words inside a message that are not
 * signatures, line endings, and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/textparts.h"

static void check(const char *body, const char *own, const char *signature,
                  const char *quoted)
{
  g_autoptr(IgTextParts) p = textparts_split(body);
  assert_non_null(p->own);
  if (strcmp(p->own, own) != 0 || g_strcmp0(p->signature, signature) != 0 ||
      g_strcmp0(p->quoted, quoted) != 0) {
    print_error("body:\n%s\n--\nown: [%s] want [%s]\nsignature: [%s] want "
                "[%s]\nquoted: [%s] want [%s]\n",
                body, p->own, own, p->signature ? p->signature : "NULL",
                signature ? signature : "NULL",
                p->quoted ? p->quoted : "NULL", quoted ? quoted : "NULL");
    fail();
  }
}

static void test_plain(void **state)
{
  check("My laptop was stolen.", "My laptop was stolen.", NULL, NULL);
  check("\n\n  Indented first line\nsecond line\n\n\n",
        "  Indented first line\nsecond line", NULL, NULL);
  check("One\n\n\nTwo  \n", "One\n\n\nTwo", NULL, NULL);
  check("", "", NULL, NULL);
  check("\n \n\t\n", "", NULL, NULL);
  {
    g_autoptr(IgTextParts) p = textparts_split(NULL);
    assert_string_equal(p->own, "");
    assert_null(p->signature);
    assert_null(p->quoted);
  }
}

static void test_signature_separator(void **state)
{
  check("Something odd happened.\n-- \nJane Smith\n07700 900000\n",
        "Something odd happened.", "Jane Smith\n07700 900000", NULL);
  check("Report\n--\nJane\n", "Report", "Jane", NULL);
  /* anything may follow a "-- " line, however long */
  check("Report\n-- \nJane Smith\nSenior Officer, Ministry of Justice, 102 "
        "Petty France, London SW1H 9AJ, United Kingdom of Great Britain\n",
        "Report", "Jane Smith\nSenior Officer, Ministry of Justice, 102 Petty "
        "France, London SW1H 9AJ, United Kingdom of Great Britain", NULL);
  /* "---" and "-- text" are not separators */
  check("Report\n---\nmore", "Report\n---\nmore", NULL, NULL);
  check("Report\n-- see below\nmore", "Report\n-- see below\nmore", NULL,
        NULL);
}

static void test_sign_offs(void **state)
{
  static const char *const sign_offs[] = {
    "Kind regards,", "Regards", "Thanks,", "Thanks!", "Many thanks",
    "Best wishes,", "Cheers,", "Thank you.", "Best regards,",
    "Yours sincerely,", "Thanks, Jane", "Many thanks Jane Smith",
    "kind regards", "Regards, J",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(sign_offs); i++) {
    g_autofree char *body =
        g_strdup_printf("Hi,\n\nI clicked a link.\n\n%s\nJane\nHMPPS\n",
                        sign_offs[i]);
    g_autofree char *sig = g_strdup_printf("%s\nJane\nHMPPS", sign_offs[i]);
    check(body, "Hi,\n\nI clicked a link.", sig, NULL);
  }
  /* a sign-off with a short block of up to eight lines */
  check("Report\nKind regards\n1\n2\n3\n4\n5\n6\n7\n8\n", "Report",
        "Kind regards\n1\n2\n3\n4\n5\n6\n7\n8", NULL);
  check("Report\nKind regards\n1\n2\n3\n4\n5\n6\n7\n8\n9\n",
        "Report\nKind regards\n1\n2\n3\n4\n5\n6\n7\n8\n9", NULL, NULL);
  /* the first that qualifies starts the signature */
  check("Report\nThanks\nJane\n-- \nJane Smith\nMoJ\n", "Report",
        "Thanks\nJane\nJane Smith\nMoJ", NULL);
}

static void test_sign_off_words_that_are_not_signatures(void **state)
{
  /* followed by the message itself: a long line */
  check("Thanks,\nI found a USB stick in the car park this morning and plugged "
        "it into my laptop before I realised it might be dangerous.\n",
        "Thanks,\nI found a USB stick in the car park this morning and "
        "plugged it into my laptop before I realised it might be dangerous.",
        NULL, NULL);
  /* nothing of the sender's before it */
  check("Thanks,\nJane\n", "Thanks,\nJane", NULL, NULL);
  /* not a sign-off on its own line */
  check("Report text\nThanks for your help with this\nMore text\n",
        "Report text\nThanks for your help with this\nMore text", NULL, NULL);
  check("Report\nBest practice was not followed\n",
        "Report\nBest practice was not followed", NULL, NULL);
  check("Report\nregards the laptop\n", "Report\nregards the laptop", NULL,
        NULL);
}

static void test_legal_footers(void **state)
{
  static const char footer[] =
      "This e-mail and any attachments is intended only for the attention "
      "of the addressee(s). Its unauthorised use, disclosure, storage or "
      "copying is not permitted.\nThis email has been scanned for viruses.";
  g_autofree char *after_sign_off = g_strdup_printf(
      "I clicked a link.\n\nKind regards,\nJane Smith\n\n%s\n", footer);
  g_autofree char *alone =
      g_strdup_printf("I clicked a link.\n\n%s\n", footer);
  g_autofree char *sig = g_strdup_printf("Kind regards,\nJane Smith\n\n%s",
                                         footer);
  check(after_sign_off, "I clicked a link.", sig, NULL);
  check(alone, "I clicked a link.", footer, NULL);
  /* footers that name personal data, or a privacy notice */
  check("My bag was taken.\n\nThis email may contain personal data. If you "
        "received it in error, tell the sender.",
        "My bag was taken.", "This email may contain personal data. If you "
        "received it in error, tell the sender.", NULL);
  check("My bag was taken.\n\nPrivacy notice: we process personal data as "
        "described on our website.",
        "My bag was taken.", "Privacy notice: we process personal data as "
        "described on our website.", NULL);
  /* words of a footer in the sender's own sentence are just words */
  check("The phishing email said it was for the intended recipient only",
        "The phishing email said it was for the intended recipient only", NULL,
        NULL);
  check("It said:\nIf you are not the intended recipient, call us.\nOdd.",
        "It said:\nIf you are not the intended recipient, call us.\nOdd.",
        NULL, NULL);
}

static void test_mobile_footers(void **state)
{
  check("Quick note\n\nSent from my iPhone\n", "Quick note",
        "Sent from my iPhone", NULL);
  check("Sent from my iPhone", "", "Sent from my iPhone", NULL);
  check("Laptop gone\n\nGet Outlook for Android\n", "Laptop gone",
        "Get Outlook for Android", NULL);
}

static void test_quoted_lines(void **state)
{
  /* bottom-posted reply: quoted lines above the sender's text */
  check("> earlier\n> text\n\nmy bottom reply\n\nCheers,\nBob\n",
        "my bottom reply", "Cheers,\nBob", "> earlier\n> text");
  /* interleaved */
  check("> Which laptop?\nThe grey one.\n> When?\nYesterday.\n",
        "The grey one.\nYesterday.", NULL, "> Which laptop?\n> When?");
  check("  > indented quote\nmine", "mine", NULL, "  > indented quote");
}

static void test_attribution(void **state)
{
  check("Reply here\n\nOn Mon, 23 Nov 2026 at 10:30, Bob <b@example.org> "
        "wrote:\n> quoted\n> more\n",
        "Reply here", NULL,
        "On Mon, 23 Nov 2026 at 10:30, Bob <b@example.org> wrote:\n> "
        "quoted\n> more");
  /* wrapped over two lines */
  check("Reply\n\nOn Mon, 23 Nov 2026 at 10:30, Bob Smith <\nb@example.org> "
        "wrote:\n\n> quoted\n",
        "Reply", NULL,
        "On Mon, 23 Nov 2026 at 10:30, Bob Smith <\nb@example.org> "
        "wrote:\n\n> quoted");
  /* followed by text that is not quoted: all of it is the earlier mail */
  check("Reply\nOn 23/11/2026 10:30, Bob wrote:\nold text\nmore old text\n",
        "Reply", NULL,
        "On 23/11/2026 10:30, Bob wrote:\nold text\nmore old text");
  /* bottom-posted after an attribution */
  check("On Mon, 23 Nov 2026 at 10:30, Bob <\nb@example.org> wrote:\n> q\n\n"
        "Bottom reply\n",
        "Bottom reply", NULL,
        "On Mon, 23 Nov 2026 at 10:30, Bob <\nb@example.org> wrote:\n> q");
  /* "On" that starts an ordinary sentence */
  check("On Monday my laptop was stolen.\nI wrote:\n",
        "On Monday my laptop was stolen.\nI wrote:", NULL, NULL);
}

static void test_earlier_messages(void **state)
{
  check("Hello\n\n-----Original Message-----\nFrom: a\nold\n", "Hello", NULL,
        "-----Original Message-----\nFrom: a\nold");
  check("See below\n________________________________\nFrom: x\nold\n",
        "See below", NULL, "________________________________\nFrom: x\nold");
  check("Top text\n\nThanks\nJane\n\nFrom: Bob Smith\nSent: 23 November 2026 "
        "10:00\nTo: x\nSubject: y\n\nold text\n",
        "Top text", "Thanks\nJane",
        "From: Bob Smith\nSent: 23 November 2026 10:00\nTo: x\nSubject: "
        "y\n\nold text");
  check("FYI\n*From:* Bob\n*Sent:* Monday\nold\n", "FYI", NULL,
        "*From:* Bob\n*Sent:* Monday\nold");
  check("FYI\n---------- Forwarded message ---------\nFrom: a\nold\n", "FYI",
        NULL, "---------- Forwarded message ---------\nFrom: a\nold");
  check("FYI\n\nBegin forwarded message:\n\nFrom: a\nold\n", "FYI", NULL,
        "Begin forwarded message:\n\nFrom: a\nold");
  check("Ewan\n\n----- Forwarded message from Isaac <i@example.org> -----\n"
        "\nold\n----- End forwarded message -----\n",
        "Ewan", NULL,
        "----- Forwarded message from Isaac <i@example.org> -----\n\nold\n"
        "----- End forwarded message -----");
  /* a From: line alone, or a short rule, is the sender's own */
  check("From: the service desk\nthey said hello\n",
        "From: the service desk\nthey said hello", NULL, NULL);
  check("Notes\n_____\nmore", "Notes\n_____\nmore", NULL, NULL);
  /* a signature before the earlier message ends there */
  check("Lost phone\n-- \nJane\n\nOn Sun, Bob wrote:\nold\n", "Lost phone",
        "Jane", "On Sun, Bob wrote:\nold");
}

static void test_line_endings(void **state)
{
  check("Report\r\n\r\nRegards\r\nBob\r\n", "Report", "Regards\nBob", NULL);
  check("A\r\n> q\r\nB\r\n", "A\nB", NULL, "> q");
}

static void test_hostile_input(void **state)
{
  const gsize lines = 600000, n = lines * 7;
  g_autofree char *big = g_malloc(n + 1);
  /* six hundred thousand sign-offs: only the last nine are a signature */
  for (gsize i = 0; i < n; i += 7)
    memcpy(big + i, "Thanks\n", 7);
  big[n] = '\0';
  {
    g_autoptr(IgTextParts) p = textparts_split(big);
    assert_int_equal(strlen(p->own), (lines - 9) * 7 - 1);
    assert_string_equal(p->signature, "Thanks\nThanks\nThanks\nThanks\n"
                                      "Thanks\nThanks\nThanks\nThanks\n"
                                      "Thanks");
    assert_null(p->quoted);
  }
  /* two million quote marks */
  for (gsize i = 0; i + 1 < n; i += 2)
    memcpy(big + i, ">\n", 2);
  {
    g_autoptr(IgTextParts) p = textparts_split(big);
    assert_string_equal(p->own, "");
    assert_non_null(p->quoted);
  }
  /* one enormous line */
  memset(big, 'x', n);
  {
    g_autoptr(IgTextParts) p = textparts_split(big);
    assert_int_equal(strlen(p->own), n);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_plain),
    cmocka_unit_test(test_signature_separator),
    cmocka_unit_test(test_sign_offs),
    cmocka_unit_test(test_sign_off_words_that_are_not_signatures),
    cmocka_unit_test(test_legal_footers),
    cmocka_unit_test(test_mobile_footers),
    cmocka_unit_test(test_quoted_lines),
    cmocka_unit_test(test_attribution),
    cmocka_unit_test(test_earlier_messages),
    cmocka_unit_test(test_line_endings),
    cmocka_unit_test(test_hostile_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

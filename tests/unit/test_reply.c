/* test_reply.c - unit tests for parsers/reply.c and parsers/ost_command.c.
 *
 * Every reply of tests/fixtures/replies/ (one per mail client's layout)
 * goes through mail_parse, reply_own_text and ost_commands_parse and must
 * give exactly the commands, prose and errors of its .expected file: the
 * command-like lines of the quoted notification never count. Then each
 * rule on its own: quote styles and attributions, earlier-message header
 * blocks (and a lone "From:" in prose), signatures, HTML replies, the
 * keys and values of commands, keys given twice, Report and Note over
 * several lines, the limits, and bodies of a megabyte that must parse in
 * linear time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>
#include <valgrind/valgrind.h>

#include "parsers/mail.h"
#include "parsers/ost_command.h"
#include "parsers/reply.h"

/* --- the fixtures --- */

static void append_escaped(GString *out, const char *name, const char *value)
{
  g_string_append_printf(out, "%s=", name);
  for (const char *p = value; *p; p++) {
    if (*p == '\n')
      g_string_append(out, "\\n");
    else
      g_string_append_c(out, *p);
  }
  g_string_append_c(out, '\n');
}

/* The parse as the .expected files write it: "key=value" per command
 * ("status.reason=" after a Status with a reason), then "prose=" and
 * "error=" lines; newlines in values as "\n". */
static char *listing(const IgOstCommands *c)
{
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < c->commands->len; i++) {
    const IgOstCommand *cmd = g_ptr_array_index(c->commands, i);
    g_autofree char *key = g_ascii_strdown(ost_command_key_name(cmd->key), -1);
    append_escaped(out, key, cmd->value);
    if (cmd->reason) {
      g_autofree char *name = g_strconcat(key, ".reason", NULL);
      append_escaped(out, name, cmd->reason);
    }
  }
  for (guint i = 0; i < c->prose->len; i++)
    append_escaped(out, "prose", g_ptr_array_index(c->prose, i));
  for (guint i = 0; i < c->errors->len; i++)
    append_escaped(out, "error", g_ptr_array_index(c->errors, i));
  return g_string_free(out, FALSE);
}

static IgOstCommands *parse_mail(const char *raw, gsize len, char **own)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IgMail) mail = mail_parse(raw, len, &error);
  assert_non_null(mail);
  *own = reply_own_text(mail->body);
  return ost_commands_parse(*own, "INC");
}

static void test_fixtures(void **state)
{
  const char *src = g_getenv("IG_SOURCE_DIR");
  assert_non_null(src);
  g_autofree char *dir = g_build_filename(src, "tests", "fixtures", "replies", NULL);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *name;
  guint failed = 0;
  assert_non_null(d);
  while ((name = g_dir_read_name(d)))
    if (g_str_has_suffix(name, ".eml"))
      g_ptr_array_add(names, g_strndup(name, strlen(name) - 4));
  assert_true(names->len >= 15);
  for (guint i = 0; i < names->len; i++) {
    const char *base = g_ptr_array_index(names, i);
    g_autofree char *eml = g_strdup_printf("%s/%s.eml", dir, base);
    g_autofree char *exp = g_strdup_printf("%s/%s.expected", dir, base);
    g_autofree char *raw = NULL, *want = NULL, *own = NULL, *got = NULL;
    gsize len;
    assert_true(g_file_get_contents(eml, &raw, &len, NULL));
    assert_true(g_file_get_contents(exp, &want, NULL, NULL));
    g_autoptr(IgOstCommands) c = parse_mail(raw, len, &own);
    got = listing(c);
    if (strcmp(got, want) != 0) {
      print_error("%s:\n--- own text\n%s\n--- got\n%s--- want\n%s", base, own, got, want);
      failed++;
    }
  }
  assert_int_equal(failed, 0);
}

/* --- reply_own_text --- */

static void own_is(const char *body, const char *want)
{
  g_autofree char *got = reply_own_text(body);
  if (strcmp(got, want) != 0) {
    print_error("body:\n%s\n--- got\n[%s]\n--- want\n[%s]\n", body, got, want);
    fail();
  }
}

static void test_quote_styles(void **state)
{
  own_is("Status: closed\n> Status: new\n>> Impact: low\n> > Owner: x@example.org\n"
         "   > indented quote\n>\n>No space after the mark\n",
         "Status: closed");
  own_is("> Status: new\n> Impact: low\n", "");
  /* interleaved: own lines between quoted blocks are kept in order */
  own_is("> Impact: low\nImpact: high\n> Status: new\n\n\n\nStatus: triaged\n",
         "Impact: high\n\nStatus: triaged");
  own_is(NULL, "");
  own_is("", "");
  own_is("\r\nOne  \r\n\r\n\r\nTwo\r\n", "One\n\nTwo");
  /* no-break spaces of HTML paragraphs are blank lines */
  own_is("One\n\xC2\xA0\nTwo\xC2\xA0\n", "One\n\nTwo");
  /* indentation is the sender's */
  own_is("  Status: closed\n", "  Status: closed");
}

static void test_attributions(void **state)
{
  static const char *const lines[] = {
    "On Mon, 23 Nov 2026 at 10:02, IT Security <security@example.gov.uk> wrote:",
    "On 23 Nov 2026, at 10:02, IT Security <security@example.gov.uk> wrote:",
    "On Mon, 23 Nov 2026, 10:02 IT Security, <security@example.gov.uk> wrote:",
    "On 23/11/2026 10:02, IT Security wrote:",
    "Am 23.11.2026 um 10:02 schrieb IT Security <security@example.gov.uk>:",
    "Am Mo., 23. Nov. 2026 um 10:02 Uhr schrieb IT Security <security@example.gov.uk>:",
    "Le lun. 23 nov. 2026 à 10:02, IT Security <security@example.gov.uk> a écrit :",
    "El lun, 23 nov 2026 a las 10:02, IT Security (<security@example.gov.uk>) escribió:",
    "IT Security <security@example.gov.uk> wrote:",
    NULL };
  for (int i = 0; lines[i]; i++) {
    /* above a quote: the sender may write on below it */
    g_autofree char *above = g_strdup_printf("Status: closed\n\n%s\n\n> Status: new\n\n"
                                             "Impact: low\n", lines[i]);
    own_is(above, "Status: closed\n\nImpact: low");
    /* with no quote under it (HTML without <blockquote>): all of the
     * rest is the earlier message */
    g_autofree char *bare = g_strdup_printf("Status: closed\n%s\nStatus: new\nImpact: low\n",
                                            lines[i]);
    own_is(bare, "Status: closed");
  }
  /* wrapped over two lines, as Gmail and Android write it */
  own_is("Status: closed\nOn Mon, 23 Nov 2026 at 10:02, IT Security <\n"
         "security@example.gov.uk> wrote:\nStatus: new\n",
         "Status: closed");
  own_is("Status: closed\nOn Mon, 23 Nov 2026, 10:02 IT Security, <security@example.gov.uk>\n"
         "wrote:\n\n> Status: new\nImpact: low\n",
         "Status: closed\nImpact: low");
  /* a sentence that starts with "On" and a colon that ends a line are prose */
  own_is("On Monday the user wrote:\nImpact: low\n",
         "On Monday the user wrote:\nImpact: low");
  own_is("On reflection.\nShe wrote:\nImpact: low\n",
         "On reflection.\nShe wrote:\nImpact: low");
  own_is("Jane (jane@example.org) wrote to us twice about it:\nImpact: low\n",
         "Jane (jane@example.org) wrote to us twice about it:\nImpact: low");
}

static void test_header_blocks(void **state)
{
  own_is("Status: closed\n\nFrom: IT Security <security@example.gov.uk>\n"
         "Sent: Monday, November 23, 2026 10:02 AM\nTo: OST\nSubject: x\n\nStatus: new\n",
         "Status: closed");
  own_is("Status: closed\n________________________________\n"
         "From: IT Security <security@example.gov.uk>\nSent: 23 November 2026 10:02\n"
         "Status: new\n",
         "Status: closed");
  own_is("Status: closed\n*From:* IT Security\n*Sent:* 23 November 2026 10:02\nStatus: new\n",
         "Status: closed");
  own_is("Status: closed\nDe : IT Security\nEnvoyé : lundi 23 novembre 2026 10:02\n"
         "À : OST\nObjet : x\nStatus: new\n",
         "Status: closed");
  own_is("Status: closed\nVon: IT Security\nGesendet: Montag, 23. November 2026 10:02\n"
         "An: OST\nBetreff: x\nStatus: new\n",
         "Status: closed");
  /* "Date:" a few lines down (Lotus Notes, Outlook for Mac) */
  own_is("Status: closed\nFrom:\tIT Security\nTo:\tOST\nCc:\tSIRO\nDate:\t23/11/2026 10:02\n"
         "Status: new\n",
         "Status: closed");
  /* a lone "From:" line is the sender's prose */
  own_is("From: the user's manager, not the user.\nStatus: triaged\nImpact: low\n",
         "From: the user's manager, not the user.\nStatus: triaged\nImpact: low");
  own_is("From: a\nb\nc\nd\ne\nDate: later\n", "From: a\nb\nc\nd\ne\nDate: later");
  /* a rule of underscores alone is prose too */
  own_is("One\n____________\nTwo\n", "One\n____________\nTwo");
  static const char *const markers[] = {
    "-----Original Message-----", "----- Original Message -----",
    "-------- Original Message --------", "---------- Forwarded message ---------",
    "-------- Message d'origine --------", "-----Ursprüngliche Nachricht-----",
    "----- Forwarded message from IT Security <security@example.gov.uk> -----",
    "-----IT Security/EXAMPLE wrote: -----", "Begin forwarded message:", NULL };
  for (int i = 0; markers[i]; i++) {
    g_autofree char *body = g_strdup_printf("Status: closed\n%s\nStatus: new\n", markers[i]);
    own_is(body, "Status: closed");
  }
  /* dashes around other words are the sender's */
  own_is("Status: closed\n----- see below -----\nImpact: low\n",
         "Status: closed\n----- see below -----\nImpact: low");
}

static void test_signatures(void **state)
{
  own_is("Status: closed\n-- \nJane Smith\nStatus: on leave\n", "Status: closed");
  own_is("Status: closed\n--\nJane\n\n> Status: new\nImpact: low\n", "Status: closed");
  static const char *const footers[] = {
    "Sent from my iPhone", "Sent from my Android", "Get Outlook for iOS",
    "Get Outlook for Android<https://aka.ms/ghei36>", "Sent from Outlook",
    "Envoyé de mon iPhone", "Von meinem iPhone gesendet", NULL };
  for (int i = 0; footers[i]; i++) {
    g_autofree char *body = g_strdup_printf("Status: closed\n\n%s\nNote: x\n", footers[i]);
    own_is(body, "Status: closed");
  }
  static const char *const sign_offs[] = {
    "Thanks,", "Thanks", "Regards,", "Kind regards,", "Best,", "Cheers,",
    "Many thanks!", "Thanks, Jane", "Mit freundlichen Grüßen", "Cordialement,", NULL };
  for (int i = 0; sign_offs[i]; i++) {
    g_autofree char *end = g_strdup_printf("Status: closed\n\n%s\nJane Smith\n"
                                           "Senior Analyst | OST\n07700 900000\n",
                                           sign_offs[i]);
    own_is(end, "Status: closed");
    g_autofree char *quote = g_strdup_printf("Status: closed\n%s\nJane\n> Status: new\n",
                                             sign_offs[i]);
    own_is(quote, "Status: closed");
  }
  /* a sign-off before a quote ends that block only: what follows the
   * quote is the sender's again */
  own_is("> Impact: low\nImpact: high\nThanks,\nJane\n> Status: new\nStatus: triaged\n",
         "Impact: high\nStatus: triaged");
  /* more lines, or longer ones, after "Thanks," and it was the message */
  own_is("Status: closed\nThanks,\na\nb\nc\nd\ne\nf\ng\n",
         "Status: closed\nThanks,\na\nb\nc\nd\ne\nf\ng");
  own_is("Status: closed\nThanks,\nThe mail logs show the message reached forty "
         "mailboxes across three sites before it was pulled.\n",
         "Status: closed\nThanks,\nThe mail logs show the message reached forty "
         "mailboxes across three sites before it was pulled.");
  /* with nothing of the sender's above it, "Thanks!" opens the message */
  own_is("Thanks!\nStatus: closed\n", "Thanks!\nStatus: closed");
  /* and with a command below it, it is a greeting, not a signature */
  own_is("Hi all,\nThanks!\nStatus: closed\n", "Hi all,\nThanks!\nStatus: closed");
  own_is("Hi,\nThanks, Jane\n*Impact:* high\n> Status: new\n",
         "Hi,\nThanks, Jane\n*Impact:* high");
  /* sign-off words that are part of a sentence */
  own_is("Status: closed\nThanks for the quick report.\nJane\n",
         "Status: closed\nThanks for the quick report.\nJane");
  own_is("Status: closed\nBest regards to the team for the quick work\n",
         "Status: closed\nBest regards to the team for the quick work");
}

static char *html_message(const char *html)
{
  return g_strconcat("From: a@example.org\nSubject: Re: [INC-2026-000042] x\n"
                     "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n",
                     html, "\n", NULL);
}

static void own_of_html(const char *html, const char *want)
{
  g_autofree char *raw = html_message(html);
  g_autoptr(IgMail) mail = mail_parse(raw, strlen(raw), NULL);
  assert_non_null(mail);
  assert_true(mail->body_from_html);
  own_is(mail->body, want);
}

static void test_html_replies(void **state)
{
  /* Gmail: the attribution above a <blockquote> */
  own_of_html("<div>Status: closed</div><div class=\"gmail_quote\"><div class=\"gmail_attr\">"
              "On Mon, 23 Nov 2026 at 10:02, IT &lt;security@example.gov.uk&gt; wrote:<br></div>"
              "<blockquote class=\"gmail_quote\">Status: new<br>Impact: low</blockquote></div>",
              "Status: closed");
  /* Apple Mail and iPhone: the attribution inside the blockquote */
  own_of_html("<div>Impact: high</div><div>Sent from my iPhone</div><blockquote type=\"cite\">"
              "On 23 Nov 2026, at 10:02, IT &lt;security@example.gov.uk&gt; wrote:<br><br>"
              "</blockquote><blockquote type=\"cite\"><div>Status: new</div></blockquote>",
              "Impact: high");
  /* bottom-posted under a blockquote */
  own_of_html("<blockquote>Status: new<br>Impact: low</blockquote><p>Impact: medium</p>",
              "Impact: medium");
  /* Outlook on the web: a rule and the header block, nothing quoted */
  own_of_html("<div>Status: triaged</div><hr style=\"display:inline-block;width:98%\">"
              "<div id=\"divRplyFwdMsg\"><b>From:</b> IT Security<br><b>Sent:</b> Monday, "
              "November 23, 2026 10:02<br><b>To:</b> OST</div><div>Status: new</div>",
              "Status: triaged");
  /* Outlook desktop: "&nbsp;" paragraphs and the bordered header block */
  own_of_html("<p class=MsoNormal>Status: triaged<o:p></o:p></p><p class=MsoNormal>"
              "<o:p>&nbsp;</o:p></p><div style=\"border-top:solid #E1E1E1 1.0pt\">"
              "<p class=MsoNormal><b>From:</b> IT Security<br><b>Sent:</b> 23 November "
              "2026 10:02</p></div><p>Status: new</p>",
              "Status: triaged");
}

/* --- ost_commands_parse --- */

static IgOstCommands *commands(const char *text)
{
  return ost_commands_parse(text, "INC");
}

static void parsed_is(const char *text, const char *want)
{
  g_autoptr(IgOstCommands) c = commands(text);
  g_autofree char *got = listing(c);
  if (strcmp(got, want) != 0) {
    print_error("text:\n%s\n--- got\n%s--- want\n%s", text, got, want);
    fail();
  }
}

static void test_keys(void **state)
{
  parsed_is("status: closed\nIMPACT: low\n", "status=closed\nimpact=low\n");
  parsed_is("Near miss: yes\n", "near-miss=yes\n");
  parsed_is("Near-miss: no\n", "near-miss=no\n");
  parsed_is("near_miss: no\n", "near-miss=no\n");
  parsed_is("NEAR - MISS: no\n", "near-miss=no\n");
  parsed_is("Personal data: yes\n", "personal-data=yes\n");
  parsed_is("Personal-data: no\n", "personal-data=no\n");
  parsed_is("Personal data involved: unknown\n", "personal-data=unknown\n");
  parsed_is("Duplicate of: INC-2026-000001\n", "duplicate-of=INC-2026-000001\n");
  parsed_is("duplicate-of: INC-2026-000001\n", "duplicate-of=INC-2026-000001\n");
  parsed_is("  Status :   closed  \n", "status=closed\n");
  /* bold markers as HTML and Markdown write them, and list bullets */
  parsed_is("*Status:* closed\n", "status=closed\n");
  parsed_is("**Impact**: high\n", "impact=high\n");
  parsed_is("*Category: malware*\n", "category=malware\n");
  parsed_is("- Owner: a@example.org\n", "owner=a@example.org\n");
  parsed_is("\xE2\x80\xA2 Near miss: yes\n", "near-miss=yes\n");
  parsed_is("Status:\xC2\xA0" "closed\xC2\xA0\n", "status=closed\n");
  /* other "Key: value" lines are prose, never errors */
  parsed_is("Hi team:\nSubject: x\nStatuses: closed\nStatus update follows\n"
            "Hi team, about yesterday's status: closed\n",
            "prose=Hi team:\nprose=Subject: x\nprose=Statuses: closed\n"
            "prose=Status update follows\nprose=Hi team, about yesterday's status: closed\n");
  parsed_is("", "");
  parsed_is("\n \n\t\n", "");
  {
    g_autoptr(IgOstCommands) c = ost_commands_parse(NULL, NULL);
    assert_int_equal(c->commands->len + c->prose->len + c->errors->len, 0);
  }
  assert_string_equal(ost_command_key_name(IG_CMD_DUPLICATE_OF), "Duplicate-of");
  assert_string_equal(ost_command_key_name(IG_CMD_PERSONAL_DATA), "Personal-data");
}

static void test_values(void **state)
{
  static const char *const statuses[] = {
    "new", "triaged", "investigating", "contained", "resolved", "closed", "rejected", NULL };
  for (int i = 0; statuses[i]; i++) {
    g_autofree char *line = g_strdup_printf("Status: %s\n", statuses[i]);
    g_autoptr(IgOstCommands) c = commands(line);
    assert_int_equal(c->commands->len, 1);
    IgOstCommand *cmd = g_ptr_array_index(c->commands, 0);
    assert_int_equal(cmd->key, IG_CMD_STATUS);
    assert_string_equal(cmd->value, statuses[i]);
    assert_null(cmd->reason);
    assert_string_equal(cmd->line, g_strstrip(line));
  }
  parsed_is("Status: Rejected - not ours\n", "status=rejected\nstatus.reason=not ours\n");
  parsed_is("Status: rejected \xE2\x80\x94 not ours\n",
            "status=rejected\nstatus.reason=not ours\n");
  parsed_is("Status: closed (false positive)\n",
            "status=closed\nstatus.reason=false positive\n");
  parsed_is("Status: closed.\n", "status=closed\n");
  parsed_is("Status: closedown\n",
            "error=Status: closedown: not one of new, triaged, investigating, contained, "
            "resolved, closed, rejected\n");
  parsed_is("Status: in progress\n",
            "error=Status: in progress: not one of new, triaged, investigating, contained, "
            "resolved, closed, rejected\n");
  parsed_is("Status:\n", "error=Status: no value given (one of new, triaged, investigating, "
                         "contained, resolved, closed, rejected)\n");
  parsed_is("Impact: Med\nCategory: Lost/stolen\nPersonal data: Yes - 40 names\n",
            "impact=medium\ncategory=lost-or-stolen-equipment\npersonal-data=yes\n");
  parsed_is("Impact: severe\n", "error=Impact: severe: not one of low, medium, high\n");
  parsed_is("Impact: medium-high\n",
            "error=Impact: medium-high: not one of low, medium, high\n");
  parsed_is("Category: rubbish\n",
            "error=Category: rubbish: not one of phishing, malware, unauthorised-access, "
            "account-compromise, lost-or-stolen-equipment, data-breach, denial-of-service, "
            "policy-breach, suspicious-activity, supply-chain, physical, other\n");
  parsed_is("Near miss: unknown\n", "error=Near-miss: unknown: not yes or no\n");
  parsed_is("Personal data: perhaps so\n",
            "error=Personal-data: perhaps so: not one of yes, no, unknown\n");
  /* owners: one address, lower case; a display name or Outlook's mailto
   * around it is dropped */
  parsed_is("Owner: Sam.Patel@Example.GOV.uk\n", "owner=sam.patel@example.gov.uk\n");
  parsed_is("Owner: \"Patel, Sam\" <sam.patel@example.gov.uk>\n",
            "owner=sam.patel@example.gov.uk\n");
  parsed_is("Owner: sam.patel@example.gov.uk<mailto:sam.patel@example.gov.uk>\n",
            "owner=sam.patel@example.gov.uk\n");
  static const char *const bad_owners[] = {
    "Sam Patel", "sam patel@example.gov.uk", "a@example.org, b@example.org",
    "a@b@example.org", "@example.org", "sam@", "sam@localhost", "sam@example..org",
    "sam@example.org.", "<sam@example.org", "sam;x@example.org", "sam@.example.org", NULL };
  for (int i = 0; bad_owners[i]; i++) {
    g_autofree char *line = g_strdup_printf("Owner: %s", bad_owners[i]);
    g_autofree char *want = g_strdup_printf("error=Owner: %s: not an email address\n",
                                            bad_owners[i]);
    parsed_is(line, want);
  }
  /* references: the configured prefix, four digits, exactly six */
  parsed_is("Duplicate-of: inc-2026-000041\n", "duplicate-of=INC-2026-000041\n");
  parsed_is("Duplicate-of: [INC-2026-000041]\n", "duplicate-of=INC-2026-000041\n");
  parsed_is("Duplicate-of: INC-2026-000041.\n", "duplicate-of=INC-2026-000041\n");
  static const char *const bad_refs[] = {
    "INC-2026-00041", "INC-2026-0000410", "INC-26-000041", "SEC-2026-000041",
    "INC 2026 000041", "INC-2026-000041 and INC-2026-000040", "INC-2O26-000041", NULL };
  for (int i = 0; bad_refs[i]; i++) {
    g_autofree char *line = g_strdup_printf("Duplicate-of: %s", bad_refs[i]);
    g_autofree char *want = g_strdup_printf(
        "error=Duplicate-of: %s: not a reference such as INC-2026-000042\n", bad_refs[i]);
    parsed_is(line, want);
  }
  {
    g_autoptr(IgOstCommands) c = ost_commands_parse("Duplicate of: sec-2026-000041", "SEC");
    assert_int_equal(c->commands->len, 1);
    assert_string_equal(((IgOstCommand *)g_ptr_array_index(c->commands, 0))->value,
                        "SEC-2026-000041");
  }
}

static void test_twice(void **state)
{
  parsed_is("Impact: low\nStatus: triaged\nImpact: high\n",
            "impact=low\nstatus=triaged\nerror=Impact given twice\n");
  /* given twice even when the first was refused */
  parsed_is("Impact: severe\nImpact: high\n",
            "error=Impact: severe: not one of low, medium, high\nerror=Impact given twice\n");
  parsed_is("Note: one\nNote: two\n", "note=one\nerror=Note given twice\n");
  parsed_is("Near miss: yes\nnear_miss: yes\n", "near-miss=yes\nerror=Near-miss given twice\n");
}

static void test_report_and_note(void **state)
{
  parsed_is("Hi all,\nReport: Investigation found one click.\n  Password reset at 11:40.\n\n"
            "Actions: domain blocked (owner: Sam).\nStatus: resolved\nThanks again\n",
            "report=Investigation found one click.\\n  Password reset at 11:40.\\n\\n"
            "Actions: domain blocked (owner: Sam).\n"
            "status=resolved\nprose=Hi all,\nprose=Thanks again\n");
  /* the text may start on the next line; blank lines at either end go */
  parsed_is("Report:\n\n\nLine one\nLine two\n\n\nImpact: low\n",
            "report=Line one\\nLine two\nimpact=low\n");
  parsed_is("Note: called the reporter\nImpact: low\n",
            "note=called the reporter\nimpact=low\n");
  parsed_is("Report:\n\nStatus: closed\n", "status=closed\nerror=Report: no text given\n");
  parsed_is("Note:   \n", "error=Note: no text given\n");
  {
    g_autoptr(IgOstCommands) c = commands("Report: a\r\nb  \r\nStatus: closed\r\n");
    assert_int_equal(c->commands->len, 2);
    IgOstCommand *r = g_ptr_array_index(c->commands, 0);
    assert_string_equal(r->value, "a\nb");
    assert_string_equal(r->line, "Report: a");
  }
}

static void test_limits(void **state)
{
  /* lines kept for the confirmation are cut to 200 characters, reasons
   * to 500, prose to 50 lines */
  GString *s = g_string_new("Status: rejected - ");
  for (int i = 0; i < 600; i++)
    g_string_append(s, "é");
  g_string_append(s, "\n");
  for (int i = 0; i < 80; i++)
    g_string_append_printf(s, "prose line %d\n", i);
  {
    g_autoptr(IgOstCommands) c = commands(s->str);
    IgOstCommand *cmd = g_ptr_array_index(c->commands, 0);
    assert_int_equal(g_utf8_strlen(cmd->line, -1), OST_COMMAND_LINE_MAX);
    assert_true(g_utf8_validate(cmd->line, -1, NULL));
    assert_int_equal(g_utf8_strlen(cmd->reason, -1), OST_REASON_MAX);
    assert_int_equal(c->prose->len, OST_PROSE_MAX);
    assert_string_equal(g_ptr_array_index(c->prose, 49), "prose line 49");
  }
  g_string_free(s, TRUE);

  /* past OST_COMMANDS_MAX command lines, one error and nothing more */
  s = g_string_new(NULL);
  for (int i = 0; i < 200; i++)
    g_string_append(s, "Impact: low\n");
  {
    g_autoptr(IgOstCommands) c = commands(s->str);
    assert_int_equal(c->commands->len, 1);
    assert_int_equal(c->errors->len, OST_COMMANDS_MAX);
    assert_string_equal(g_ptr_array_index(c->errors, OST_COMMANDS_MAX - 1),
                        "more than 50 commands: the rest were not read");
    assert_string_equal(g_ptr_array_index(c->errors, OST_COMMANDS_MAX - 2),
                        "Impact given twice");
  }
  g_string_free(s, TRUE);

  /* a report beyond 64 KiB is cut, and says so */
  s = g_string_new("Report: start\n");
  while (s->len < 200 * 1024)
    g_string_append(s, "a line of the management report\n");
  g_string_append(s, "Status: closed\n");
  {
    g_autoptr(IgOstCommands) c = commands(s->str);
    assert_int_equal(c->commands->len, 2);
    IgOstCommand *r = g_ptr_array_index(c->commands, 0);
    assert_true(strlen(r->value) <= OST_TEXT_MAX + 100);
    assert_true(strlen(r->value) > OST_TEXT_MAX - 100);
    assert_true(g_str_has_suffix(r->value, "beyond 64 KiB, was left out]"));
    assert_int_equal(((IgOstCommand *)g_ptr_array_index(c->commands, 1))->key, IG_CMD_STATUS);
    assert_int_equal(c->errors->len, 0);
  }
  g_string_free(s, TRUE);

  /* so is a report whose first line alone is beyond it */
  s = g_string_new("Report: ");
  while (s->len < 100 * 1024)
    g_string_append(s, "word ");
  g_string_append(s, "\nStatus: closed\n");
  {
    g_autoptr(IgOstCommands) c = commands(s->str);
    assert_int_equal(c->commands->len, 2);
    assert_string_equal(((IgOstCommand *)g_ptr_array_index(c->commands, 0))->value,
                        "[this text, beyond 64 KiB, was left out]");
  }
  g_string_free(s, TRUE);
}

/* --- linear time --- */

#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
#define BUDGET_US (2 * G_USEC_PER_SEC)
#else
#define BUDGET_US (20 * G_USEC_PER_SEC)
#endif

static gint64 cpu_now(void)
{
  struct timespec ts;
  assert_int_equal(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts), 0);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* A megabyte of one line shape, through both parsers, within a budget
 * linear code meets many times over. */
static void parse_within_budget(const char *unit)
{
  GString *s = g_string_new(NULL);
  while (s->len < 1024 * 1024)
    g_string_append(s, unit);
  const gint64 start = cpu_now();
  g_autofree char *own = reply_own_text(s->str);
  g_autoptr(IgOstCommands) c = commands(own);
  const gint64 spent = cpu_now() - start;
  const gint64 budget = RUNNING_ON_VALGRIND ? 50 * BUDGET_US : BUDGET_US;
  if (spent > budget)
    print_error("%.20s... took %.1f s\n", unit, spent / 1e6);
  assert_true(spent <= budget);
  g_string_free(s, TRUE);
}

static void test_linear(void **state)
{
  static const char *const units[] = {
    "> Status: new\n", "Status: new\n", "Report: x\n", "Report: x\nline\n", "x", "\n",
    "From: a\n", "From: a\nTo: b\n", "On 1 Nov wrote:\n", "On 1 Nov\n", "Thanks,\n",
    "Thanks,\n> q\n", "Thanks,\nJane\n", "________________\n", "-- \n", "*", "Status:",
    "Owner: <<<<\n", "-----x-----\n", "\xC2\xA0", NULL };
  for (int i = 0; units[i]; i++)
    parse_within_budget(units[i]);
  /* the first "Thanks," has nothing above it and opens the message; the
   * second signs it off */
  g_autofree char *own = reply_own_text("Thanks,\nThanks,\nThanks,\n");
  assert_string_equal(own, "Thanks,");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_fixtures),
    cmocka_unit_test(test_quote_styles),
    cmocka_unit_test(test_attributions),
    cmocka_unit_test(test_header_blocks),
    cmocka_unit_test(test_signatures),
    cmocka_unit_test(test_html_replies),
    cmocka_unit_test(test_keys),
    cmocka_unit_test(test_values),
    cmocka_unit_test(test_twice),
    cmocka_unit_test(test_report_and_note),
    cmocka_unit_test(test_limits),
    cmocka_unit_test(test_linear),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_mail_parts.c - unit tests for parsers/mail.c and parsers/html.c
 * on a message's structure: body selection (text/plain over HTML, HTML
 * turned into text), text attachments, attached messages and their
 * evidence fields, Outlook items, and hostile input (no header, deep
 * nesting, many parts, huge headers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "gateway/error.h"
#include "parsers/html.h"
#include "parsers/mail.h"
#include "tests/unit/mail_fixture.h"
#include "tests/unit/msg_writer.h"

static void test_alternative_prefers_plain(void **state)
{
  g_autoptr(IgMail) m = parse(
      "From: a@example.org\nMIME-Version: 1.0\n"
      "Content-Type: multipart/alternative; boundary=\"alt\"\n\n"
      "--alt\nContent-Type: text/html; charset=utf-8\n\n<p>HTML <b>version</b></p>\n"
      "--alt\nContent-Type: text/plain; charset=utf-8\n\nPlain version\n"
      "--alt--\n");
  assert_string_equal(m->content_type, "multipart/alternative");
  assert_trimmed(m->body, "Plain version");
  assert_false(m->body_from_html);
  assert_int_equal(m->attachments->len, 0);
}

/* The markup kept as evidence is valid UTF-8 however the part lies
 * about its charset, and stays so when cut to its limit (1 MiB) in the
 * middle of a character. */
static void test_html_markup_valid(void **state)
{
  g_autoptr(IgMail) m = parse(
      "From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\nPay now.\n"
      "--b\nContent-Type: text/html; charset=utf-8\n\n<p>Caf\xe9 \xff\x80 pay</p>\n--b--\n");
  assert_true(g_utf8_validate(m->html, -1, NULL));
  assert_non_null(strstr(m->html, "Caf\xc3\xa9"));

  GString *big = g_string_new("From: a@example.org\nMIME-Version: 1.0\n"
                              "Content-Type: multipart/alternative; boundary=b\n\n"
                              "--b\nContent-Type: text/plain\n\nPay now.\n"
                              "--b\nContent-Type: text/html; charset=utf-8\n\n<p>xy");
  while (big->len < (1u << 20) + 4096)
    g_string_append(big, "\xe2\x82\xac");
  g_string_append(big, "</p>\n--b--\n");
  g_autoptr(IgMail) cut = mail_parse(big->str, big->len, NULL);
  g_string_free(big, TRUE);
  assert_true(strlen(cut->html) <= (1u << 20));
  assert_true(g_utf8_validate(cut->html, -1, NULL));
}

static void test_html_only(void **state)
{
  g_autoptr(IgMail) m = parse(
      "From: a@example.org\nMIME-Version: 1.0\n"
      "Content-Type: text/html; charset=utf-8\n\n"
      "<html><head><title>Title</title><style>p { color: red; }</style>"
      "<script>alert('head');</script></head>\n<body>"
      "<p>First paragraph.</p><p>Second\n   paragraph.</p>"
      "<ul><li>one</li><li>two</li></ul>"
      "<script>var secret = 1;</script>"
      "<p>See <a href=\"https://example.org/x\">the page</a>.</p>"
      "</body></html>\n");
  assert_true(m->body_from_html);
  assert_null(strstr(m->body, "alert"));
  assert_null(strstr(m->body, "secret"));
  assert_null(strstr(m->body, "color"));
  assert_null(strstr(m->body, "Title"));
  assert_null(strstr(m->body, "<p>"));
  assert_trimmed(m->body,
                 "First paragraph.\n\nSecond paragraph.\n\n- one\n- two\n"
                 "See the page <https://example.org/x>.");
}

static void test_html_to_text(void **state)
{
  static const char html[] =
      "<div>Line one<br>Line two</div><!-- hidden comment -->"
      "<table><tr><td>Name</td><td>Jane</td></tr><tr><th>Phone</th><td>0123</td></tr></table>"
      "<p><a href=\"mailto:ost@justice.gov.uk\">ost@justice.gov.uk</a> or "
      "<a href=\"https://example.org/\">https://example.org/</a> or "
      "<a href=\"mailto:ost@justice.gov.uk\">OST</a></p>"
      "<p>caf&eacute; &amp; &lt;tag&gt;</p>";
  g_autofree char *t = html_to_text(html, sizeof html - 1);
  assert_string_equal(t, "Line one\nLine two\nName: Jane\nPhone: 0123\n"
                         "ost@justice.gov.uk or https://example.org/ or OST "
                         "<ost@justice.gov.uk>\n\ncafé & <tag>");
  /* The text is already UTF-8: a stale <meta charset> must not re-decode it. */
  static const char meta[] = "<html><head><meta http-equiv=\"Content-Type\" "
                             "content=\"text/html; charset=iso-8859-1\"></head>"
                             "<body><p>caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d</p></body></html>";
  g_autofree char *m = html_to_text(meta, sizeof meta - 1);
  assert_string_equal(m, "café “q”");
  g_autofree char *empty = html_to_text("", 0);
  assert_string_equal(empty, "");
  /* Wider tables keep their cells apart; a label cell ending in ':' gets
   * no second colon; <pre> keeps its lines. */
  static const char wide[] = "<table><tr><td>a</td><td>b</td><td>c</td></tr></table>"
                             "<table><tr><td>Impact:</td><td>High</td></tr></table>"
                             "<pre>Impact: low\nNear miss: no</pre>";
  g_autofree char *w = html_to_text(wide, sizeof wide - 1);
  assert_string_equal(w, "a | b | c\nImpact: High\nImpact: low\nNear miss: no");
  g_autofree char *only_script = html_to_text("<script>x()</script>", 20);
  assert_string_equal(only_script, "");
}

/* A reply's quoted message in <blockquote> keeps its quoting as "> "
 * lines, nested ones and list items and <pre> lines included; the reply's
 * own lines around it get no mark. */
static void test_html_blockquote(void **state)
{
  static const char html[] =
      "<div>Status: resolved</div><div>On Mon, 23 Nov 2026, Sec &lt;s@x.uk&gt; wrote:</div>"
      "<blockquote><div>Status: new<br>Impact:   low</div><ul><li>item</li></ul>"
      "<blockquote>inner<p>para</p></blockquote><pre>one\ntwo</pre>after</blockquote>"
      "<p>Thanks</p>";
  g_autofree char *t = html_to_text(html, sizeof html - 1);
  assert_string_equal(t, "Status: resolved\nOn Mon, 23 Nov 2026, Sec <s@x.uk> wrote:\n"
                         "> Status: new\n> Impact: low\n> - item\n> inner\n> para\n\n"
                         "> one\n> two\n> after\nThanks");
}

static void test_text_attachment(void **state)
{
  g_autoptr(IgMail) m = parse(
      "From: a@example.org\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"mix\"\n\n"
      "--mix\nContent-Type: text/plain; charset=utf-8\n\nSee attached.\n"
      "--mix\nContent-Type: text/plain; charset=iso-8859-1\n"
      "Content-Disposition: attachment; filename=form.txt\n"
      "Content-Transfer-Encoding: quoted-printable\n\n"
      "Reporter name: Ren=E9e Smith\n"
      "--mix\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=x.pdf\n"
      "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
      "--mix--\n");
  assert_string_equal(m->content_type, "multipart/mixed");
  assert_trimmed(m->body, "See attached.");
  assert_int_equal(m->attachments->len, 1);
  IgTextPart *a = g_ptr_array_index(m->attachments, 0);
  assert_string_equal(a->filename, "form.txt");
  assert_string_equal(a->content_type, "text/plain");
  assert_trimmed(a->text, "Reporter name: Renée Smith");
}

static void test_attached_message(void **state)
{
  g_autoptr(IgMail) m = parse(
      "From: supplier@example-supplier.co.uk\nSubject: Fwd: incident\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"fwd\"\n\n"
      "--fwd\nContent-Type: text/plain\n\nPlease see the forwarded report.\n"
      "--fwd\nContent-Type: message/rfc822\n\n"
      "From: Original Sender <orig@example-supplier.co.uk>\nSubject: Phishing\n"
      "Content-Type: text/plain; charset=utf-8\n\nOriginal report text.\n"
      "--fwd--\n");
  assert_trimmed(m->body, "Please see the forwarded report.");
  assert_string_equal(m->subject, "Fwd: incident");
  assert_int_equal(m->attachments->len, 1);
  IgTextPart *a = g_ptr_array_index(m->attachments, 0);
  assert_null(a->filename);
  assert_string_equal(a->content_type, "text/plain");
  assert_trimmed(a->text, "Original report text.");

  /* An HTML cover note: the attached message's plain text stays an
   * attachment and does not displace the sender's own (HTML) body. */
  g_autoptr(IgMail) h = parse(
      "From: supplier@example-supplier.co.uk\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"fwd\"\n\n"
      "--fwd\nContent-Type: text/html\n\n<p>See the <b>attached</b> report.</p>\n"
      "--fwd\nContent-Type: message/rfc822\n\n"
      "From: orig@example-supplier.co.uk\nSubject: Phishing\n\nOriginal report text.\n"
      "--fwd--\n");
  assert_true(h->body_from_html);
  assert_trimmed(h->body, "See the attached report.");
  assert_int_equal(h->attachments->len, 1);
  assert_trimmed(((IgTextPart *)g_ptr_array_index(h->attachments, 0))->text,
                 "Original report text.");
}

/* What a reported suspicious mail carries as evidence: its Reply-To,
 * every relay, its HTML markup (for link targets) and each attachment's
 * name and SHA-256, the attached message's kept apart from the cover
 * mail's. */
static void test_evidence_fields(void **state)
{
  g_autoptr(IgMail) m = parse(
      "Received: from mx.justice.gov.uk by store.justice.gov.uk; Mon, 23 Nov 2026 09:02:11 +0000\n"
      "Received: from mail.evil.example (mail.evil.example [203.0.113.7])\n"
      "\tby mx.justice.gov.uk; Mon, 23 Nov 2026 09:02:10 +0000\n"
      "From: Accounts <accounts@invoices.example>\nReply-To: \"Pay\" <Pay@Collect.Example>\n"
      "Subject: Invoice overdue\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
      "--m\nContent-Type: multipart/alternative; boundary=\"a\"\n\n"
      "--a\nContent-Type: text/plain\n\nPay now.\n"
      "--a\nContent-Type: text/html\n\n<a href=\"https://evil.example/pay\">Pay now</a>\n"
      "--a--\n"
      "--m\nContent-Type: application/pdf; name=\"invoice.pdf\"\n"
      "Content-Disposition: attachment; filename=\"invoice.pdf\"\n"
      "Content-Transfer-Encoding: base64\n\naGVsbG8=\n"
      "--m\nContent-Type: message/rfc822\n\n"
      "From: inner@example.org\nSubject: inner\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"i\"\n\n"
      "--i\nContent-Type: text/plain\n\ninner text\n"
      "--i\nContent-Type: application/octet-stream\n"
      "Content-Disposition: attachment; filename=\"x.bin\"\n\nabc\n"
      "--i--\n"
      "--m--\n");
  assert_string_equal(m->reply_to, "pay@collect.example");
  assert_int_equal(g_strv_length(m->received), 2);
  assert_string_equal(m->received[0],
                      "from mx.justice.gov.uk by store.justice.gov.uk; Mon, 23 Nov 2026 09:02:11 +0000");
  assert_non_null(strstr(m->received[1], "[203.0.113.7]"));
  assert_non_null(strstr(m->received[1], "by mx.justice.gov.uk"));
  assert_null(strpbrk(m->received[1], "\r\n\t"));
  assert_non_null(strstr(m->html, "href=\"https://evil.example/pay\""));
  assert_trimmed(m->body, "Pay now.");
  assert_int_equal(m->files->len, 1);
  IgFilePart *f = g_ptr_array_index(m->files, 0);
  assert_string_equal(f->filename, "invoice.pdf");
  assert_string_equal(f->content_type, "application/pdf");
  assert_int_equal(f->size, 5);
  assert_string_equal(f->sha256,
                      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  assert_int_equal(m->embedded->len, 1);
  IgMail *inner = g_ptr_array_index(m->embedded, 0);
  assert_null(m->sha256);
  assert_non_null(inner->sha256);
  assert_int_equal(strlen(inner->sha256), 64);
  assert_int_equal(inner->files->len, 1);
  assert_string_equal(((IgFilePart *)g_ptr_array_index(inner->files, 0))->filename, "x.bin");
  assert_null(inner->reply_to);
  assert_int_equal(g_strv_length(inner->received), 0);
  assert_null(inner->html);
}

/* The raw mail of a staff member attaching an Outlook item (base64). */
static char *with_outlook_item(GBytes *item)
{
  g_autofree char *b64 = g_base64_encode(g_bytes_get_data(item, NULL), g_bytes_get_size(item));
  return g_strdup_printf(
      "From: jane.smith@justice.gov.uk\nSubject: Suspicious\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
      "--m\nContent-Type: text/plain\n\nSee the attached item.\n"
      "--m\nContent-Type: application/vnd.ms-outlook; name=\"Invoice overdue.msg\"\n"
      "Content-Disposition: attachment; filename=\"Invoice overdue.msg\"\n"
      "Content-Transfer-Encoding: base64\n\n%s\n--m--\n", b64);
}

/* An Outlook item attached is read as an attached message: its sender,
 * Reply-To, relays, links and files, its SHA-256 that of the item. */
static void test_outlook_item(void **state)
{
  static const char payload[] = "MZ fake";
  const MsgWriterAttachment files[] = {
    { .filename = "payslip.pdf.exe", .mime_type = "application/octet-stream",
      .data = payload, .len = sizeof(payload) - 1 },
  };
  const MsgWriterItem item = {
    .subject = "Invoice overdue",
    .transport_headers =
        "Received: from mail.evil.example ([203.0.113.9]) by mx.justice.gov.uk;"
        " Mon, 23 Nov 2026 09:00:00 +0000\r\n"
        "From: Accounts <accounts@evil.example>\r\nReply-To: pay@collect.example\r\n"
        "Subject: Invoice overdue\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\n",
    .body = "Pay now.",
    .html = "<a href=\"https://evil.example/pay\">Pay now</a>",
    .attachments = files,
    .n_attachments = 1,
  };
  g_autoptr(GBytes) msg = msg_writer_write(&item);
  g_autofree char *raw = with_outlook_item(msg);
  g_autoptr(IgMail) m = parse(raw);
  assert_trimmed(m->body, "See the attached item.");
  assert_int_equal(m->embedded->len, 1);
  IgMail *inner = g_ptr_array_index(m->embedded, 0);
  assert_string_equal(inner->from_addr, "accounts@evil.example");
  assert_string_equal(inner->reply_to, "pay@collect.example");
  assert_string_equal(inner->subject, "Invoice overdue");
  assert_int_equal(g_strv_length(inner->received), 1);
  assert_non_null(strstr(inner->html, "https://evil.example/pay"));
  assert_int_equal(inner->files->len, 1);
  assert_string_equal(((IgFilePart *)g_ptr_array_index(inner->files, 0))->filename,
                      "payslip.pdf.exe");
  g_autofree char *hash = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, msg);
  assert_string_equal(inner->sha256, hash);
  assert_int_equal(m->skipped->len, 0);

  /* what the conversion left out is noted for OST */
  static const char rtf[] = "compressed RTF stand-in";
  const MsgWriterItem rtf_only = { .subject = "rtf", .sender_address = "x@evil.example",
                                   .rtf = rtf, .rtf_len = sizeof(rtf) - 1 };
  g_autoptr(GBytes) rtf_msg = msg_writer_write(&rtf_only);
  g_autofree char *rtf_raw = with_outlook_item(rtf_msg);
  g_autoptr(IgMail) r = parse(rtf_raw);
  assert_int_equal(r->embedded->len, 1);
  assert_int_equal(r->skipped->len, 1);
  assert_true(g_str_has_prefix(g_ptr_array_index(r->skipped, 0), "Outlook item: "));

  /* an item that is not one: noted, the rest read */
  GBytes *junk = g_bytes_new_static("not an OLE2 file at all", 23);
  g_autofree char *bad = with_outlook_item(junk);
  g_bytes_unref(junk);
  g_autoptr(IgMail) b = parse(bad);
  assert_int_equal(b->embedded->len, 0);
  assert_int_equal(b->skipped->len, 1);
  assert_non_null(strstr(g_ptr_array_index(b->skipped, 0), "1 Outlook item (.msg) could not be read"));
  assert_trimmed(b->body, "See the attached item.");
}

/* --- hostile input --- */

static void test_not_a_message(void **state)
{
  g_autoptr(GError) error = NULL;
  IgMail *m = mail_parse("", 0, &error);
  assert_null(m);
  assert_non_null(error);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_INPUT));
  /* Also safe without a GError. */
  assert_null(mail_parse("", 0, NULL));
}

static void test_deep_nesting(void **state)
{
  g_autofree char *shallow = nested_message(5);
  g_autoptr(IgMail) ok = parse(shallow);
  assert_trimmed(ok->body, "deep text");
  assert_int_equal(ok->parts_skipped, 0);

  g_autofree char *deep = nested_message(200);
  g_autoptr(IgMail) m = parse(deep);
  assert_true(m->parts_skipped > 0);
  assert_string_equal(m->content_type, "multipart/mixed");
  assert_string_equal(m->body, "");
}

static void test_many_parts(void **state)
{
  GString *s = g_string_new("From: a@example.org\nMIME-Version: 1.0\n"
                            "Content-Type: multipart/mixed; boundary=\"p\"\n\n");
  for (int i = 0; i < 300; i++)
    g_string_append_printf(s, "--p\nContent-Type: text/plain\n"
                              "Content-Disposition: attachment; filename=f%d.txt\n\n%d\n", i, i);
  g_string_append(s, "--p--\n");
  g_autofree char *raw = g_string_free(s, FALSE);
  g_autoptr(IgMail) m = parse(raw);
  assert_true(m->parts_skipped > 0);
  assert_true(m->attachments->len < 300);
  /* Every part is either read or counted as skipped. */
  assert_int_equal(m->attachments->len + m->parts_skipped, 300);
  IgTextPart *first = g_ptr_array_index(m->attachments, 0);
  assert_string_equal(first->filename, "f0.txt");
}

static void test_huge_header_line(void **state)
{
  const gsize n = 2 * 1024 * 1024;
  GString *s = g_string_new("From: a@example.org\nX-Junk: ");
  for (gsize i = 0; i < n; i++)
    g_string_append_c(s, 'a');
  g_string_append(s, "\nSubject: after the junk\n\nstill read\n");
  g_autoptr(IgMail) m = parse_len(s->str, s->len);
  g_string_free(s, TRUE);
  assert_string_equal(m->from_addr, "a@example.org");
  assert_string_equal(m->subject, "after the junk");
  assert_trimmed(m->body, "still read");

  /* A 2 MB subject: kept, one line. */
  GString *t = g_string_new("From: a@example.org\nSubject: ");
  for (gsize i = 0; i < n; i++)
    g_string_append_c(t, i % 80 == 79 ? ' ' : 'b');
  g_string_append(t, "\n\nx\n");
  g_autoptr(IgMail) big = parse_len(t->str, t->len);
  g_string_free(t, TRUE);
  assert_non_null(big->subject);
  assert_true(strlen(big->subject) > n / 2);
  assert_null(strchr(big->subject, '\n'));
}

/* An attachment far larger than GMime's buffers reaches the hash in many
 * pieces, decoded: its SHA-256 and size are those of the whole file. The
 * attached message's hash is of its bytes as they stand in the mail (the
 * line break before a boundary is the boundary's). */
static void test_large_attachment_hashed_whole(void **state)
{
  (void)state;
  const gsize n = 300 * 1024 + 7;
  g_autofree guchar *file = g_malloc(n);
  for (gsize i = 0; i < n; i++)
    file[i] = (guchar)(i * 131 + i / 977);
  g_autofree char *b64 = g_base64_encode(file, n);
  GString *lines = g_string_new(NULL);
  const gsize b64_len = strlen(b64);
  for (gsize i = 0; i < b64_len; i += 76)
    g_string_append_printf(lines, "%.76s\n", b64 + i);
  const char *inner = "From: inner@example.org\nSubject: inner\n\ninner text\n";
  g_autofree char *raw = g_strdup_printf(
      "From: a@example.org\nSubject: s\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
      "--m\nContent-Type: text/plain\n\nSee attached.\n"
      "--m\nContent-Type: application/pdf\n"
      "Content-Disposition: attachment; filename=\"big.pdf\"\n"
      "Content-Transfer-Encoding: base64\n\n%s"
      "--m\nContent-Type: message/rfc822\n\n%s"
      "--m--\n", lines->str, inner);
  g_string_free(lines, TRUE);
  g_autoptr(IgMail) m = parse(raw);
  assert_int_equal(m->files->len, 1);
  IgFilePart *f = g_ptr_array_index(m->files, 0);
  assert_int_equal(f->size, n);
  g_autofree char *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, file, n);
  assert_string_equal(f->sha256, want);
  assert_int_equal(m->embedded->len, 1);
  g_autofree char *inner_want = g_compute_checksum_for_string(G_CHECKSUM_SHA256, inner,
                                                              (gssize)strlen(inner) - 1);
  assert_string_equal(((IgMail *)g_ptr_array_index(m->embedded, 0))->sha256, inner_want);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_alternative_prefers_plain),
    cmocka_unit_test(test_html_only),
    cmocka_unit_test(test_html_markup_valid),
    cmocka_unit_test(test_html_to_text),
    cmocka_unit_test(test_html_blockquote),
    cmocka_unit_test(test_text_attachment),
    cmocka_unit_test(test_attached_message),
    cmocka_unit_test(test_not_a_message),
    cmocka_unit_test(test_evidence_fields),
    cmocka_unit_test(test_large_attachment_hashed_whole),
    cmocka_unit_test(test_outlook_item),
    cmocka_unit_test(test_deep_nesting),
    cmocka_unit_test(test_many_parts),
    cmocka_unit_test(test_huge_header_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_tnef.c - unit tests for parsers/tnef.c and parsers/rtf.c.
 *
 * No Debian tool writes TNEF, so each winmail.dat is built here from the
 * documented format (MS-OXTNEF): the signature 0x223E9F78 and a two-byte
 * key, then attributes, each a level byte (1 message, 2 attachment), a
 * 32-bit id (type << 16 | number), a 32-bit length, the data and a 16-bit
 * checksum (the sum of the data bytes). A MAPI property block (attMAPIProps,
 * attAttachment) is a 32-bit count, then per property a 32-bit tag (type |
 * id << 16) and its value; strings and binaries as a count of 1, a size and
 * the bytes padded to 4. Everything is little-endian. Compressed RTF is
 * built with the MS-OXRTFCP layout: sizes, "LZFu", CRC, then tokens under
 * control bytes. Tests cover the plain, HTML and RTF bodies, text and
 * binary attachments, code pages, the limits libytnef would trip over,
 * and damaged input (no crash, no leak, nothing printed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "parsers/rtf.h"
#include "parsers/tnef.h"

/* attribute ids */
#define ATT_SUBJECT 0x00018004u        /* atpString, 0x8004 */
#define ATT_MESSAGE_CLASS 0x00078008u  /* atpWord, 0x8008 */
#define ATT_BODY 0x0002800Cu           /* atpText, 0x800C */
#define ATT_ATTACH_DATA 0x0006800Fu    /* atpByte, 0x800F */
#define ATT_ATTACH_TITLE 0x00018010u   /* atpString, 0x8010 */
#define ATT_REND_DATA 0x00069002u      /* atpByte, 0x9002: starts an attachment */
#define ATT_MAPI_PROPS 0x00069003u     /* atpByte, 0x9003 */
#define ATT_ATTACHMENT 0x00069005u     /* atpByte, 0x9005: attachment MAPI */
#define ATT_TNEF_VERSION 0x00089006u   /* atpDword, 0x9006 */
#define ATT_OEM_CODEPAGE 0x00069007u   /* atpByte, 0x9007 */

/* MAPI property types and ids */
#define PT_LONG 0x0003u
#define PT_STRING8 0x001Eu
#define PT_UNICODE 0x001Fu
#define PT_BINARY 0x0102u
#define PR_SUBJECT 0x0037u
#define PR_RTF_COMPRESSED 0x1009u
#define PR_BODY_HTML 0x1013u
#define PR_ATTACH_LONG_FILENAME 0x3707u
#define PR_ATTACH_MIME_TAG 0x370Eu
#define PR_INTERNET_CPID 0x3FDEu

/* --- building streams --- */

static void put16(GByteArray *b, guint16 v)
{
  const guint8 x[2] = { (guint8)v, (guint8)(v >> 8) };
  g_byte_array_append(b, x, 2);
}

static void put32(GByteArray *b, guint32 v)
{
  put16(b, (guint16)v);
  put16(b, (guint16)(v >> 16));
}

static GByteArray *tnef_new(void)
{
  GByteArray *b = g_byte_array_new();
  put32(b, 0x223E9F78u);
  put16(b, 0x0001); /* key: any value, only used for OLE attachments */
  return b;
}

static void attr(GByteArray *b, guint8 level, guint32 id, const void *data, gsize len)
{
  guint16 sum = 0;
  for (gsize i = 0; i < len; i++)
    sum = (guint16)(sum + ((const guint8 *)data)[i]);
  g_byte_array_append(b, &level, 1);
  put32(b, id);
  put32(b, (guint32)len);
  g_byte_array_append(b, data, (guint)len);
  put16(b, sum);
}

static void attr_str(GByteArray *b, guint8 level, guint32 id, const char *s)
{
  attr(b, level, id, s, strlen(s) + 1);
}

/* What Outlook writes before the body: version, code page, class. */
static void preamble(GByteArray *b)
{
  static const guint8 version[] = { 0x00, 0x00, 0x01, 0x00 };
  static const guint8 codepage[] = { 0xE4, 0x04, 0, 0, 0, 0, 0, 0 }; /* 1252 */
  attr(b, 1, ATT_TNEF_VERSION, version, sizeof(version));
  attr(b, 1, ATT_OEM_CODEPAGE, codepage, sizeof(codepage));
  attr_str(b, 1, ATT_MESSAGE_CLASS, "IPM.Microsoft Mail.Note");
}

/* The attRenddata that opens an attachment: type 1 (file), no position. */
static void attachment_start(GByteArray *b)
{
  static const guint8 rend[14] = { 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF };
  attr(b, 2, ATT_REND_DATA, rend, sizeof(rend));
}

static void mapi_bytes(GByteArray *m, guint32 type, guint32 id, const void *data, gsize len)
{
  static const guint8 zero[3] = { 0 };
  put32(m, type | id << 16);
  put32(m, 1); /* one value */
  put32(m, (guint32)len);
  g_byte_array_append(m, data, (guint)len);
  g_byte_array_append(m, zero, (guint)((4 - len % 4) % 4));
}

static void mapi_unicode(GByteArray *m, guint32 id, const char *utf8)
{
  glong n = 0;
  g_autofree gunichar2 *u = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);
  mapi_bytes(m, PT_UNICODE, id, u, (gsize)(n + 1) * 2); /* with the NUL */
}

static void mapi_long(GByteArray *m, guint32 id, guint32 v)
{
  put32(m, PT_LONG | id << 16);
  put32(m, v);
}

/* A MAPI block: the count first, then the properties built by fill. */
static void attr_mapi(GByteArray *b, guint8 level, guint32 id, guint32 count, GByteArray *props)
{
  g_autoptr(GByteArray) m = g_byte_array_new();
  put32(m, count);
  g_byte_array_append(m, props->data, props->len);
  attr(b, level, id, m->data, m->len);
}

static GPtrArray *parts_of(GByteArray *b)
{
  GPtrArray *parts = tnef_text_parts(b->data, b->len, NULL);
  assert_non_null(parts);
  for (guint i = 0; i < parts->len; i++) {
    const IgTextPart *t = g_ptr_array_index(parts, i);
    assert_non_null(t->content_type);
    assert_non_null(t->text);
    assert_true(g_utf8_validate(t->text, -1, NULL));
  }
  return parts;
}

static const IgTextPart *part(GPtrArray *parts, guint i)
{
  assert_true(i < parts->len);
  return g_ptr_array_index(parts, i);
}

/* --- bodies and attachments --- */

static void test_plain_body_and_attachments(void **state)
{
  g_autoptr(GByteArray) b = tnef_new();
  g_autoptr(GByteArray) props = g_byte_array_new();
  preamble(b);
  attr_str(b, 1, ATT_SUBJECT, "Phishing");
  /* the body in the OEM code page, 1252: 0xA3 is the pound sign */
  attr_str(b, 1, ATT_BODY, "Reporter name: Jane Doe\r\nLoss: \xA3" "100\r\n");

  attachment_start(b);
  attr_str(b, 2, ATT_ATTACH_TITLE, "REPORT~1.TXT");
  attr_str(b, 2, ATT_ATTACH_DATA, "Date and time of detection: 22/11/2026 14:05\r\n");
  mapi_unicode(props, PR_ATTACH_LONG_FILENAME, "incident report.txt");
  mapi_bytes(props, PT_STRING8, PR_ATTACH_MIME_TAG, "text/plain", 11);
  attr_mapi(b, 2, ATT_ATTACHMENT, 2, props);

  /* a picture: not text, left out */
  attachment_start(b);
  attr_str(b, 2, ATT_ATTACH_TITLE, "photo.jpg");
  attr(b, 2, ATT_ATTACH_DATA, "\xFF\xD8\xFF\xE0", 4);

  /* a short name only (no MAPI block) still makes it text */
  attachment_start(b);
  attr_str(b, 2, ATT_ATTACH_TITLE, "notes.csv");
  attr(b, 2, ATT_ATTACH_DATA, "a,b\n1,2\n", 8);

  g_autoptr(GPtrArray) parts = parts_of(b);
  assert_int_equal(parts->len, 3);
  assert_null(part(parts, 0)->filename);
  assert_string_equal(part(parts, 0)->content_type, "text/plain");
  assert_string_equal(part(parts, 0)->text, "Reporter name: Jane Doe\r\nLoss: £100");
  assert_string_equal(part(parts, 1)->filename, "incident report.txt");
  assert_string_equal(part(parts, 1)->content_type, "text/plain");
  assert_string_equal(part(parts, 1)->text, "Date and time of detection: 22/11/2026 14:05\r\n");
  assert_string_equal(part(parts, 2)->filename, "notes.csv");
  assert_string_equal(part(parts, 2)->content_type, "text/csv");
  assert_string_equal(part(parts, 2)->text, "a,b\n1,2\n");
}

/* Every attachment with data is listed as a file, binary ones too: the
 * evidence a phish hid in winmail.dat. */
static void test_attachments_as_files(void **state)
{
  g_autoptr(GByteArray) b = tnef_new();
  g_autoptr(GByteArray) props = g_byte_array_new();
  preamble(b);
  attr_str(b, 1, ATT_BODY, "See the invoice.");
  attachment_start(b);
  attr_str(b, 2, ATT_ATTACH_TITLE, "INVOIC~1.EXE");
  attr(b, 2, ATT_ATTACH_DATA, "MZ\x90\x00", 4);
  mapi_unicode(props, PR_ATTACH_LONG_FILENAME, "invoice.pdf.exe");
  attr_mapi(b, 2, ATT_ATTACHMENT, 1, props);
  attachment_start(b);
  attr_str(b, 2, ATT_ATTACH_TITLE, "notes.csv");
  attr(b, 2, ATT_ATTACH_DATA, "a,b\n", 4);
  attachment_start(b); /* no data: nothing to name */
  attr_str(b, 2, ATT_ATTACH_TITLE, "empty.bin");

  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(mail_file_part_free);
  g_autoptr(GPtrArray) parts = tnef_text_parts(b->data, b->len, files);
  assert_int_equal(parts->len, 2); /* the body and notes.csv */
  assert_int_equal(files->len, 2);
  const IgFilePart *exe = g_ptr_array_index(files, 0), *csv = g_ptr_array_index(files, 1);
  assert_string_equal(exe->filename, "invoice.pdf.exe");
  assert_string_equal(exe->content_type, "application/octet-stream");
  assert_int_equal(exe->size, 4);
  g_autofree char *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
                                                      (const guchar *)"MZ\x90\x00", 4);
  assert_string_equal(exe->sha256, want);
  assert_string_equal(csv->filename, "notes.csv");
  assert_string_equal(csv->content_type, "text/csv");
  assert_int_equal(csv->size, 4);

  g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func(mail_file_part_free);
  g_autoptr(GPtrArray) nothing = tnef_text_parts("not a tnef stream at all", 24, none);
  assert_int_equal(none->len, 0);
}

static void test_html_body(void **state)
{
  static const char html[] =
      "<html><body><p>Laptop <b>stolen</b> from car</p><p>Caf\xC3\xA9 car park</p></body></html>";
  g_autoptr(GByteArray) b = tnef_new();
  g_autoptr(GByteArray) props = g_byte_array_new();
  preamble(b);
  mapi_long(props, PR_INTERNET_CPID, 65001);
  mapi_bytes(props, PT_BINARY, PR_BODY_HTML, html, strlen(html));
  attr_mapi(b, 1, ATT_MAPI_PROPS, 2, props);
  g_autoptr(GPtrArray) parts = parts_of(b);
  assert_int_equal(parts->len, 1);
  assert_null(part(parts, 0)->filename);
  assert_string_equal(part(parts, 0)->content_type, "text/html");
  assert_non_null(strstr(part(parts, 0)->text, "Laptop stolen from car"));
  assert_non_null(strstr(part(parts, 0)->text, "Café car park"));
  assert_null(strstr(part(parts, 0)->text, "<"));
}

/* Compressed RTF by hand: the first token refers to the first 11 bytes of
 * the dictionary's preset text ("{\rtf1\ansi"), the rest are literals; a
 * reference to the write position ends the stream. Control bytes carry
 * one bit per token, lowest first, 1 for a reference. */
static GByteArray *lzfu(const char *literals)
{
  g_autoptr(GByteArray) tokens = g_byte_array_new();
  GByteArray *out = g_byte_array_new();
  const gsize n = strlen(literals);
  const guint end_pos = (guint)((207 + 11 + n) % 4096);
  gsize t = 0; /* tokens: ref, literals..., end ref */
  guint8 control = 0;
  gsize control_at = 0;
  for (gsize i = 0; i < n + 2; i++, t++) {
    if (t % 8 == 0) {
      control_at = tokens->len;
      control = 0;
      g_byte_array_append(tokens, &control, 1);
    }
    if (i == 0 || i == n + 1) {
      const guint16 ref = i == 0 ? (guint16)(0 << 4 | (11 - 2)) : (guint16)(end_pos << 4);
      const guint8 be[2] = { (guint8)(ref >> 8), (guint8)ref };
      control |= (guint8)(1u << (t % 8));
      g_byte_array_append(tokens, be, 2);
    } else {
      g_byte_array_append(tokens, (const guint8 *)literals + i - 1, 1);
    }
    tokens->data[control_at] = control;
  }
  put32(out, tokens->len + 12); /* size after this field */
  put32(out, (guint32)(11 + n)); /* raw size */
  put32(out, 0x75465A4Cu);       /* "LZFu" */
  put32(out, 0);                 /* CRC, not checked */
  g_byte_array_append(out, tokens->data, tokens->len);
  return out;
}

static void test_compressed_rtf_body(void **state)
{
  g_autoptr(GByteArray) rtf = lzfu(
      "\\ansicpg1252{\\fonttbl{\\f0\\fswiss Arial;}}{\\colortbl;\\red0\\green0\\blue0;}"
      "{\\*\\generator Riched20 10.0;}\\pard\\f0 Reporter name: Jane Doe\\par "
      "Loss: \\'a3100 at the caf\\'e9\\par Impact: \\u8220?high\\u8221?\\par }");
  g_autoptr(GByteArray) b = tnef_new();
  g_autoptr(GByteArray) props = g_byte_array_new();
  preamble(b);
  /* a long Unicode subject: libytnef alone would fail the stream */
  mapi_unicode(props, PR_SUBJECT,
               "A subject long enough to be more than one hundred bytes in UTF-16, "
               "which is only fifty characters");
  mapi_bytes(props, PT_BINARY, PR_RTF_COMPRESSED, rtf->data, rtf->len);
  attr_mapi(b, 1, ATT_MAPI_PROPS, 2, props);
  g_autoptr(GPtrArray) parts = parts_of(b);
  assert_int_equal(parts->len, 1);
  assert_string_equal(part(parts, 0)->content_type, "text/rtf");
  assert_string_equal(part(parts, 0)->text,
                      "Reporter name: Jane Doe\nLoss: £100 at the café\nImpact: “high”");
}

/* --- rtf.c directly --- */

static void check_rtf(const char *rtf, const char *want)
{
  g_autofree char *got = rtf_to_text(rtf, strlen(rtf), 0);
  if (strcmp(got, want) != 0)
    print_error("rtf_to_text: got \"%s\", want \"%s\"\n", got, want);
  assert_string_equal(got, want);
}

static void test_rtf_to_text(void **state)
{
  check_rtf("{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\pard Lost \\b laptop\\b0\\par\\tab Next "
            "{\\field{\\*\\fldinst HYPERLINK \"http://x\"}{\\fldrslt link}}\\par}",
            "Lost laptop\n\tNext link");
  /* \uc0: no fallback; a surrogate pair; \bin data skipped; escapes */
  check_rtf("{\\rtf1\\uc0\\u55357\\u56833 ok \\{x\\} \\\\ {\\bin3 a}b}c}",
            "\xF0\x9F\x98\x81ok {x} \\ c");
  /* code page from \ansicpg: 0xE9 in 1251 is Cyrillic */
  check_rtf("{\\rtf1\\ansi\\ansicpg1251 \\'e9}", "й");
  /* HTML encapsulated in RTF: only the HTML original is read */
  check_rtf("{\\rtf1\\ansi\\fromhtml1 {\\fonttbl{\\f0 Arial;}}{\\*\\htmltag19 <html>}"
            "{\\*\\htmltag64 <p>}\\htmlrtf {\\htmlrtf0 Laptop stolen}\\htmlrtf0 "
            "{\\*\\htmltag72 </p>}\\htmlrtf \\par \\htmlrtf0 {\\*\\htmltag64 <p>}Second "
            "&amp; last{\\*\\htmltag72 </p>}{\\*\\htmltag27 </html>}}",
            "Laptop stolen\n\nSecond & last");
  check_rtf("", "");
  check_rtf("{{{{{{", "");
  check_rtf("\\", "");
  check_rtf("{\\u", "");
}

static void test_rtf_decompress(void **state)
{
  g_autoptr(GByteArray) c = lzfu("\\par hi}");
  g_autoptr(GByteArray) d = rtf_decompress(c->data, c->len);
  assert_non_null(d);
  assert_int_equal(d->len, 19);
  assert_memory_equal(d->data, "{\\rtf1\\ansi\\par hi}", 19);
  /* stored, not compressed ("MELA") */
  g_autoptr(GByteArray) m = g_byte_array_new();
  put32(m, 12 + 5);
  put32(m, 5);
  put32(m, 0x414C454Du);
  put32(m, 0);
  g_byte_array_append(m, (const guint8 *)"{x}ab", 5);
  g_autoptr(GByteArray) s = rtf_decompress(m->data, m->len);
  assert_non_null(s);
  assert_memory_equal(s->data, "{x}ab", 5);
  assert_null(rtf_decompress("short", 5));
  assert_null(rtf_decompress("0123456789ABCDEFGHIJ", 20)); /* unknown magic */
  /* a raw size far beyond the data: output stops with the input */
  c->data[4] = c->data[5] = c->data[6] = 0xFF;
  g_autoptr(GByteArray) big = rtf_decompress(c->data, c->len);
  assert_non_null(big);
  assert_int_equal(big->len, 19);
}

/* --- limits libytnef would trip over --- */

static void test_ytnef_limits(void **state)
{
  g_autoptr(GByteArray) b = tnef_new();
  g_autoptr(GByteArray) props = g_byte_array_new();
  GString *body = g_string_new(NULL);
  preamble(b);
  /* libytnef refuses bodies over 100 000 bytes */
  while (body->len < 150000)
    g_string_append(body, "Description: long text. ");
  attr_str(b, 1, ATT_BODY, body->str);
  /* a repeated body is ignored, not leaked */
  attr_str(b, 1, ATT_BODY, "second body");
  attachment_start(b);
  /* libytnef refuses titles over 100 bytes: the MAPI name is used */
  g_autofree char *title = g_strnfill(150, 'x');
  attr_str(b, 2, ATT_ATTACH_TITLE, title);
  attr(b, 2, ATT_ATTACH_DATA, "\xFF\xFEh\0i\0", 6);
  attr_str(b, 2, ATT_ATTACH_DATA, "again");
  mapi_unicode(props, PR_ATTACH_LONG_FILENAME, "unicode.txt");
  attr_mapi(b, 2, ATT_ATTACHMENT, 1, props);
  g_autoptr(GPtrArray) parts = parts_of(b);
  assert_int_equal(parts->len, 2);
  assert_int_equal(strlen(part(parts, 0)->text), body->len - 1); /* stripped */
  assert_string_equal(part(parts, 1)->filename, "unicode.txt");
  assert_string_equal(part(parts, 1)->text, "hi"); /* UTF-16 with BOM */
  g_string_free(body, TRUE);
}

/* --- damaged input --- */

static GByteArray *sample(void)
{
  g_autoptr(GByteArray) props = g_byte_array_new();
  g_autoptr(GByteArray) rtf = lzfu("\\pard text\\par }");
  GByteArray *b = tnef_new();
  preamble(b);
  attr_str(b, 1, ATT_BODY, "Body text");
  mapi_bytes(props, PT_BINARY, PR_RTF_COMPRESSED, rtf->data, rtf->len);
  mapi_long(props, PR_INTERNET_CPID, 1252);
  attr_mapi(b, 1, ATT_MAPI_PROPS, 2, props);
  attachment_start(b);
  attr_str(b, 2, ATT_ATTACH_TITLE, "a.txt");
  attr_str(b, 2, ATT_ATTACH_DATA, "attached");
  g_byte_array_set_size(props, 0);
  mapi_bytes(props, PT_STRING8, PR_ATTACH_MIME_TAG, "text/plain", 11);
  attr_mapi(b, 2, ATT_ATTACHMENT, 1, props);
  return b;
}

/* Recomputes every checksum, so that damage inside an attribute reaches
 * the MAPI and RTF readers instead of ending the stream. */
static void refit_checksums(GByteArray *b)
{
  gsize pos = 6;
  while (b->len - pos >= 9) {
    const guint8 *p = b->data + pos;
    const guint32 len = (guint32)p[5] | (guint32)p[6] << 8 | (guint32)p[7] << 16 |
                        (guint32)p[8] << 24;
    guint16 sum = 0;
    if (b->len - pos < 11 || len > b->len - pos - 11)
      break;
    for (guint32 i = 0; i < len; i++)
      sum = (guint16)(sum + p[9 + i]);
    b->data[pos + 9 + len] = (guint8)sum;
    b->data[pos + 10 + len] = (guint8)(sum >> 8);
    pos += 11 + (gsize)len;
  }
}

static void run_quietly(GByteArray *b, guint *parts_seen)
{
  g_autoptr(GPtrArray) parts = parts_of(b);
  *parts_seen += parts->len;
}

static void test_damaged(void **state)
{
  g_autoptr(GByteArray) b = sample();
  g_autoptr(GPtrArray) whole = parts_of(b);
  assert_int_equal(whole->len, 2);
  g_autoptr(GPtrArray) none = tnef_text_parts(NULL, 0, NULL);
  assert_int_equal(none->len, 0);
  g_autoptr(GPtrArray) text = tnef_text_parts("not a tnef stream at all", 24, NULL);
  assert_int_equal(text->len, 0);

  /* libytnef prints to stdout on bad input; none of that may get through */
  char path[] = "/tmp/test_tnef_stdout_XXXXXX";
  const int fd = mkstemp(path);
  assert_true(fd >= 0);
  fflush(stdout);
  const int saved = dup(STDOUT_FILENO);
  assert_true(saved >= 0);
  assert_true(dup2(fd, STDOUT_FILENO) >= 0);

  guint seen = 0;
  GRand *rand = g_rand_new_with_seed(20261123);
  for (guint cut = 0; cut <= b->len; cut++) {
    g_autoptr(GByteArray) t = g_byte_array_new();
    g_byte_array_append(t, b->data, cut);
    run_quietly(t, &seen);
  }
  for (guint round = 0; round < 3000; round++) {
    g_autoptr(GByteArray) t = g_byte_array_new();
    g_byte_array_append(t, b->data, b->len);
    for (guint k = g_rand_int_range(rand, 1, 6); k > 0; k--)
      t->data[g_rand_int_range(rand, 6, (gint32)t->len)] = (guint8)g_rand_int_range(rand, 0, 256);
    if (round % 2)
      refit_checksums(t);
    run_quietly(t, &seen);
  }
  g_rand_free(rand);

  fflush(stdout);
  assert_true(dup2(saved, STDOUT_FILENO) >= 0);
  close(saved);
  const off_t printed = lseek(fd, 0, SEEK_END);
  close(fd);
  unlink(path);
  assert_int_equal(printed, 0);
  assert_true(seen > 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_plain_body_and_attachments),
    cmocka_unit_test(test_attachments_as_files),
    cmocka_unit_test(test_html_body),
    cmocka_unit_test(test_compressed_rtf_body),
    cmocka_unit_test(test_rtf_to_text),
    cmocka_unit_test(test_rtf_decompress),
    cmocka_unit_test(test_ytnef_limits),
    cmocka_unit_test(test_damaged),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

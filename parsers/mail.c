/* mail.c - GMime-based reduction of a raw message to an IgMail (mail.h).
 *
 * The walk prefers text/plain for the body and falls back to HTML turned
 * into text; text parts marked as attachments (or inside an attached
 * message) are kept separately so the form parser can look there too.
 * Every limit below bounds what hostile mail can cost, and every part or
 * text a limit leaves unread is noted in IgMail.skipped, never dropped in
 * silence. An attached message is read as a message (IgMail.embedded) by
 * the walk of the message nearest around it only, and only MAX_EMBEDDED
 * of them in all: each walk reads the parts below it again, so letting
 * every level read every level below would cost exponential work. */
#include "parsers/mail.h"
#include "parsers/mail_headers.h"

#include <gmime/gmime.h>
#include <string.h>

#include "gateway/error.h"
#include "parsers/hash.h"
#include "parsers/hash_stream.h"
#include "parsers/html.h"
#include "parsers/msg.h"
#include "parsers/tnef.h"

/* Nesting of multiparts and attached messages: real mail nests a few
 * levels; a forward of a forward of a report is six. */
#define MAX_DEPTH 16
/* Parts walked for one message (and again for each attached message). */
#define MAX_PARTS 256
/* Attached messages read as messages, in all. */
#define MAX_EMBEDDED 8
/* Bytes of one text kept for the rules: reports are a few KB; the rules
 * read this much in well under a second. */
#define MAX_TEXT (256u << 10)
/* Bytes of one HTML part turned into text: markup is ten times its text. */
#define MAX_HTML (1u << 20)
/* Bytes of text kept from one message in all, attachments included. */
#define MAX_TEXT_TOTAL (4u << 20)

/* What one mail_parse() may still spend, and what the limits left out.
 * Shared by the walks of the message and of its attached messages; only
 * the walk of the message itself counts the parts and texts left out,
 * since the others walk the same parts again. */
typedef struct {
  guint embedded;           /* attached messages read as messages */
  gsize text;               /* bytes of text kept */
  guint too_deep;           /* parts (with all inside) beyond MAX_DEPTH */
  guint too_many;           /* parts beyond MAX_PARTS */
  guint not_embedded;       /* attached messages beyond MAX_EMBEDDED */
  guint texts_cut;          /* texts longer than MAX_TEXT */
  gsize longest_text;       /* bytes of the longest of them */
  guint html_cut;           /* HTML longer than MAX_HTML */
  gsize longest_html;
  guint html_deep;          /* HTML nested deeper than html.c reads */
  guint texts_unread;       /* texts after MAX_TEXT_TOTAL */
  guint items_unread;       /* Outlook items msg_to_mime() refused */
  char *item_error;         /* why the first of them was refused */
  GPtrArray *item_notes;    /* what msg_to_mime() left out, in its words */
} Budget;

typedef struct {
  IgMail *mail;
  Budget *budget;
  gboolean counts;          /* this walk notes what the limits leave out */
  char *plain;              /* first inline text/plain */
  char *html;               /* first inline text/html (raw UTF-8 HTML) */
  char *tnef_body;          /* body of the first winmail.dat: the last resort */
  guint parts;
} Walk;

static gpointer init_gmime(gpointer unused)
{
  /* Raw 8-bit header bytes (no RFC 2047) are tried as UTF-8, then as
   * Windows-1252, the same fallback the bodies get. */
  static const char *fallback[] = { "utf-8", "windows-1252", NULL };
  g_mime_init();
  g_mime_parser_options_set_fallback_charsets(g_mime_parser_options_get_default(), fallback);
  return NULL;
}

static char *part_text(GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content(part);
  if (!content)
    return g_strdup("");
  GMimeStream *out = g_mime_stream_mem_new();
  g_mime_data_wrapper_write_to_stream(content, out);
  GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
  const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  char *text = mail_to_utf8((const char *)bytes->data, bytes->len, charset);
  g_object_unref(out);
  return text;
}

/* Cuts text (HTML markup if html) to its limit on a character boundary,
 * counting the cut when w counts. */
static void cut_text(Walk *w, char *text, gboolean html)
{
  const gsize len = strlen(text), max = html ? MAX_HTML : MAX_TEXT;
  gsize n = max;
  if (len <= max)
    return;
  while (n > 0 && ((guchar)text[n] & 0xC0) == 0x80)
    n--;
  text[n] = '\0';
  if (!w->counts)
    return;
  if (html) {
    w->budget->html_cut++;
    w->budget->longest_html = MAX(w->budget->longest_html, len);
  } else {
    w->budget->texts_cut++;
    w->budget->longest_text = MAX(w->budget->longest_text, len);
  }
}

/* The text of a part within the limits, or NULL once the message's text
 * budget is spent. HTML is kept as markup. */
static char *read_text(Walk *w, GMimePart *part, gboolean is_html)
{
  if (w->budget->text >= MAX_TEXT_TOTAL) {
    w->budget->texts_unread += w->counts;
    return NULL;
  }
  char *text = part_text(part);
  cut_text(w, text, is_html);
  w->budget->text += strlen(text);
  return text;
}

/* HTML to text within the limits, noting what they left out. */
static char *html_text(Walk *w, const char *html)
{
  gboolean deep = FALSE;
  char *text = html_to_text_cut(html, strlen(html), &deep);
  cut_text(w, text, FALSE);
  w->budget->html_deep += w->counts && deep;
  return text;
}

void mail_text_part_free(gpointer p)
{
  IgTextPart *t = p;
  g_free(t->filename);
  g_free(t->content_type);
  g_free(t->text);
  g_free(t);
}

static char *mime_type_of(GMimeObject *obj)
{
  GMimeContentType *ct = g_mime_object_get_content_type(obj);
  g_autofree char *type = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
  return g_ascii_strdown(type ? type : "text/plain", -1);
}

void mail_file_part_free(gpointer p)
{
  IgFilePart *f = p;
  g_free(f->filename);
  g_free(f->content_type);
  g_free(f->sha256);
  g_free(f);
}

/* Name, type, size and SHA-256 of an attachment of the message itself
 * (one inside an attached message is that message's). */
static void note_file(Walk *w, GMimeObject *obj)
{
  if (w->mail->files->len >= MAIL_FILES_MAX)
    return;
  /* Decoded into a hash: an attachment of any size costs no memory of
   * its size. */
  GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(obj));
  GMimeStream *sum = hash_stream_new();
  if (content)
    g_mime_data_wrapper_write_to_stream(content, sum);
  IgFilePart *f = g_new0(IgFilePart, 1);
  const char *name = g_mime_part_get_filename(GMIME_PART(obj));
  f->filename = name && *name ? g_strdup(name) : NULL;
  f->content_type = mime_type_of(obj);
  f->size = hash_stream_length(sum);
  f->sha256 = hash_stream_finish(sum);
  g_ptr_array_add(w->mail->files, f);
  g_object_unref(sum);
}

static void walk(Walk *w, GMimeObject *obj, int depth, gboolean attached);
static IgMail *mail_from_message(GMimeMessage *msg, int depth, Budget *budget,
                                 gboolean counts);

/* The Message-ID in the returned header block of a DSN or MDN
 * (text/rfc822-headers): which of our mails it reports on. */
static void read_reported_id(IgMail *mail, GMimePart *part)
{
  if (mail->reported_message_id)
    return;
  g_autofree char *text = part_text(part);
  g_autofree char *headers = g_strconcat(text, "\n\n", NULL);
  const gsize len = strlen(headers);
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer(headers, len);
  GMimeParser *parser = g_mime_parser_new_with_stream(stream);
  GMimeParserOptions *options = mail_parser_options(headers, len);
  GMimeMessage *msg = g_mime_parser_construct_message(parser, options);
  const char *id = msg ? g_mime_message_get_message_id(msg) : NULL;
  if (id && *id)
    mail->reported_message_id = g_strdup(id);
  if (msg)
    g_object_unref(msg);
  if (options)
    g_mime_parser_options_free(options);
  g_object_unref(parser);
  g_object_unref(stream);
}

static gboolean is_tnef(GMimePart *part, GMimeContentType *ct)
{
  const char *filename = g_mime_part_get_filename(part);
  return (ct && (g_mime_content_type_is_type(ct, "application", "ms-tnef") ||
                 g_mime_content_type_is_type(ct, "application", "vnd.ms-tnef"))) ||
         (filename && g_ascii_strcasecmp(filename, "winmail.dat") == 0);
}

/* Outlook's winmail.dat: its body and text attachments, unpacked, and
 * its attachments listed beside the message's own (unless the walk is
 * inside an attached message, which lists its own). */
static void read_tnef(Walk *w, GMimePart *part, gboolean attached)
{
  GMimeDataWrapper *content = g_mime_part_get_content(part);
  GMimeStream *out = g_mime_stream_mem_new();
  if (content)
    g_mime_data_wrapper_write_to_stream(content, out);
  GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
  GPtrArray *files = attached ? NULL : g_ptr_array_new_with_free_func(mail_file_part_free);
  GPtrArray *parts = tnef_text_parts(bytes->data, bytes->len, files);
  if (files) {
    g_ptr_array_extend_and_steal(w->mail->files, files);
    if (w->mail->files->len > MAIL_FILES_MAX)
      g_ptr_array_set_size(w->mail->files, MAIL_FILES_MAX);
  }
  Budget *b = w->budget;
  for (guint i = 0; i < parts->len; i++) {
    IgTextPart *t = g_ptr_array_index(parts, i);
    if (b->text >= MAX_TEXT_TOTAL) {
      b->texts_unread += w->counts ? parts->len - i : 0;
      g_ptr_array_set_size(parts, i);
      break;
    }
    cut_text(w, t->text, FALSE);
    b->text += strlen(t->text);
  }
  IgTextPart *first = parts->len > 0 ? g_ptr_array_index(parts, 0) : NULL;
  if (first && !first->filename && !w->tnef_body)
    w->tnef_body = g_strdup(first->text);
  g_ptr_array_extend_and_steal(w->mail->attachments, parts);
  g_object_unref(out);
}

static gboolean is_outlook_item(GMimePart *part, GMimeContentType *ct)
{
  const char *filename = g_mime_part_get_filename(part);
  return (ct && g_mime_content_type_is_type(ct, "application", "vnd.ms-outlook")) ||
         (filename && g_str_has_suffix(filename, ".msg")) ||
         (filename && g_str_has_suffix(filename, ".MSG"));
}

/* The X-Outlook-Item-Note fields msg.c writes for what it did not convert. */
static void note_item_gaps(Budget *b, GMimeMessage *inner)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(inner));
  int n = g_mime_header_list_get_count(headers);
  for (int i = 0; i < n; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
    const char *v = g_mime_header_get_value(h);
    if (g_ascii_strcasecmp(g_mime_header_get_name(h), "X-Outlook-Item-Note") != 0 || !v)
      continue;
    if (!b->item_notes)
      b->item_notes = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(b->item_notes, g_strdup_printf("Outlook item: %s", v));
  }
}

/* An attached message as an Outlook item (.msg): converted to MIME by
 * msg.c and then read as any attached message/rfc822, its SHA-256 that of
 * the item as attached. */
static void read_outlook_item(Walk *w, GMimePart *part, int depth)
{
  g_autoptr(GError) error = NULL;
  GMimeDataWrapper *content = g_mime_part_get_content(part);
  GMimeStream *out = g_mime_stream_mem_new();
  if (content)
    g_mime_data_wrapper_write_to_stream(content, out);
  GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
  g_autoptr(GBytes) mime = msg_to_mime(bytes->data, bytes->len, &error);
  GMimeMessage *inner = NULL;
  if (mime) {
    gsize len = 0;
    const char *data = g_bytes_get_data(mime, &len);
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(data, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    inner = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
  }
  if (!inner) {
    w->budget->items_unread++;
    if (!w->budget->item_error)
      w->budget->item_error = g_strdup(error ? error->message : "not a message");
  } else if (depth + 1 <= MAX_DEPTH && w->budget->embedded < MAX_EMBEDDED) {
    note_item_gaps(w->budget, inner);
    w->budget->embedded++;
    IgMail *read = mail_from_message(inner, depth + 1, w->budget, FALSE);
    read->sha256 = hash_sha256_hex(bytes->data, bytes->len);
    g_ptr_array_add(w->mail->embedded, read);
    walk(w, g_mime_message_get_mime_part(inner), depth + 1, TRUE);
  } else {
    w->budget->not_embedded++;
  }
  if (inner)
    g_object_unref(inner);
  g_object_unref(out);
}

static void walk_leaf(Walk *w, GMimeObject *obj, int depth, gboolean attached)
{
  GMimePart *part = GMIME_PART(obj);
  GMimeContentType *ct = g_mime_object_get_content_type(obj);
  if (!attached && (g_mime_part_is_attachment(part) || g_mime_part_get_filename(part)))
    note_file(w, obj);
  if (is_outlook_item(part, ct)) {
    if (!attached)
      read_outlook_item(w, part, depth);
    return;
  }
  if (is_tnef(part, ct)) {
    read_tnef(w, part, attached);
    return;
  }
  if (ct && (g_mime_content_type_is_type(ct, "text", "rfc822-headers") ||
             g_mime_content_type_is_type(ct, "message", "rfc822-headers"))) {
    read_reported_id(w->mail, part);
    return;
  }
  if (ct && (g_mime_content_type_is_type(ct, "message", "delivery-status") ||
             g_mime_content_type_is_type(ct, "message", "global-delivery-status"))) {
    if (!w->mail->delivery_status)
      w->mail->delivery_status = part_text(part);
    return;
  }
  if (!ct || g_ascii_strcasecmp(g_mime_content_type_get_media_type(ct) ?: "", "text") != 0)
    return;
  const char *filename = g_mime_part_get_filename(part);
  gboolean is_attachment = attached || g_mime_part_is_attachment(part) || filename;
  gboolean is_html = g_mime_content_type_is_type(ct, "text", "html");

  char **slot = is_html ? &w->html : &w->plain;
  if (!is_attachment && !*slot) {
    *slot = read_text(w, part, is_html);
    return;
  }
  g_autofree char *text = read_text(w, part, is_html);
  if (!text)
    return;
  IgTextPart *t = g_new0(IgTextPart, 1);
  t->filename = filename ? g_strdup(filename) : NULL;
  t->content_type = mime_type_of(obj);
  t->text = is_html ? html_text(w, text) : g_steal_pointer(&text);
  g_ptr_array_add(w->mail->attachments, t);
}

/* What an encrypted or opaquely signed part is, in words; NULL for a part
 * that can be read. multipart/signed is readable: its first part is the
 * content, the second the signature. */
static const char *sealed_kind(GMimeObject *obj)
{
  GMimeContentType *ct = g_mime_object_get_content_type(obj);
  if (!ct)
    return NULL;
  if (g_mime_content_type_is_type(ct, "multipart", "encrypted")) {
    const char *protocol = g_mime_content_type_get_parameter(ct, "protocol");
    return protocol && g_ascii_strcasecmp(protocol, "application/pgp-encrypted") == 0
               ? "PGP/MIME encrypted" : "encrypted (multipart/encrypted)";
  }
  if (g_mime_content_type_is_type(ct, "application", "pkcs7-mime") ||
      g_mime_content_type_is_type(ct, "application", "x-pkcs7-mime")) {
    const char *type = g_mime_content_type_get_parameter(ct, "smime-type");
    return type && g_ascii_strcasecmp(type, "signed-data") == 0 ? "S/MIME signed (opaque)"
                                                               : "S/MIME encrypted";
  }
  return NULL;
}

/* The hash of an attached message: what identifies it as evidence. */
static char *message_sha256(GMimeMessage *msg)
{
  GMimeStream *sum = hash_stream_new();
  g_mime_object_write_to_stream(GMIME_OBJECT(msg), NULL, sum);
  char *hex = hash_stream_finish(sum);
  g_object_unref(sum);
  return hex;
}

static void walk(Walk *w, GMimeObject *obj, int depth, gboolean attached)
{
  if (!obj)
    return;
  const char *sealed = attached ? NULL : sealed_kind(obj);
  if (sealed) {
    if (!w->mail->sealed)
      w->mail->sealed = g_strdup(sealed);
    return;
  }
  if (depth > MAX_DEPTH || ++w->parts > MAX_PARTS) {
    w->mail->parts_skipped++;
    if (w->counts && depth > MAX_DEPTH)
      w->budget->too_deep++;
    else if (w->counts)
      w->budget->too_many++;
    return;
  }
  if (GMIME_IS_MULTIPART(obj)) {
    GMimeMultipart *mp = GMIME_MULTIPART(obj);
    int n = g_mime_multipart_get_count(mp);
    for (int i = 0; i < n; i++)
      walk(w, g_mime_multipart_get_part(mp, i), depth + 1, attached);
  } else if (GMIME_IS_MESSAGE_PART(obj)) {
    GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
    const char *id = inner ? g_mime_message_get_message_id(inner) : NULL;
    if (w->mail->report_type && !w->mail->reported_message_id && id && *id)
      w->mail->reported_message_id = g_strdup(id);
    /* A message inside an attached one is that one's to read: so each
     * is considered once, by one walk, which counts it if left out. */
    if (inner && !attached && depth + 1 <= MAX_DEPTH) {
      if (w->budget->embedded < MAX_EMBEDDED) {
        w->budget->embedded++;
        IgMail *read = mail_from_message(inner, depth + 1, w->budget, FALSE);
        read->sha256 = message_sha256(inner);
        g_ptr_array_add(w->mail->embedded, read);
      } else {
        w->budget->not_embedded++;
      }
    }
    if (inner)
      walk(w, g_mime_message_get_mime_part(inner), depth + 1, TRUE);
  } else if (GMIME_IS_PART(obj)) {
    walk_leaf(w, obj, depth, attached);
  }
}

void mail_library_init(void)
{
  static GOnce once = G_ONCE_INIT;
  g_once(&once, init_gmime, NULL);
}

static IgMail *mail_from_message(GMimeMessage *msg, int depth, Budget *budget,
                                 gboolean counts)
{
  IgMail *mail = g_new0(IgMail, 1);
  mail->attachments = g_ptr_array_new_with_free_func(mail_text_part_free);
  mail->embedded = g_ptr_array_new_with_free_func((GDestroyNotify)mail_free);
  mail->files = g_ptr_array_new_with_free_func(mail_file_part_free);
  mail->skipped = g_ptr_array_new_with_free_func(g_free);
  mail_read_headers(mail, msg);

  GMimeObject *body = g_mime_message_get_mime_part(msg);
  mail->content_type = body ? mime_type_of(body) : g_strdup("text/plain");
  if (body && GMIME_IS_MULTIPART(body)) {
    const char *rt = g_mime_object_get_content_type_parameter(body, "report-type");
    if (rt)
      mail->report_type = g_ascii_strdown(rt, -1);
  }

  Walk w = { .mail = mail, .budget = budget, .counts = counts };
  walk(&w, body, depth, FALSE);
  if (w.plain) {
    mail->body = g_steal_pointer(&w.plain);
  } else if (w.html) {
    mail->body = html_text(&w, w.html);
    mail->body_from_html = TRUE;
  } else if (w.tnef_body) {
    mail->body = g_steal_pointer(&w.tnef_body);
  } else {
    mail->body = g_strdup("");
  }
  /* PGP pasted into the body is as unreadable as PGP/MIME. */
  if (!mail->sealed && strstr(mail->body, "-----BEGIN PGP MESSAGE-----"))
    mail->sealed = g_strdup("inline PGP encrypted");
  mail->html = g_steal_pointer(&w.html);
  g_free(w.plain);
  g_free(w.tnef_body);

  mail_make_valid(mail);
  return mail;
}

static char *size_text(gsize bytes)
{
  return g_format_size_full(bytes, G_FORMAT_SIZE_IEC_UNITS);
}

/* The limits' tally in words for OST: what was not read, and how much. */
static void note_skipped(IgMail *mail, const Budget *b)
{
  GPtrArray *n = mail->skipped;
  if (b->too_deep)
    g_ptr_array_add(n, g_strdup_printf("%u MIME part%s nested more than %d levels deep not "
                                       "read, with everything inside", b->too_deep,
                                       b->too_deep == 1 ? "" : "s", MAX_DEPTH));
  if (b->too_many)
    g_ptr_array_add(n, g_strdup_printf("%u MIME part%s after the first %d not read",
                                       b->too_many, b->too_many == 1 ? "" : "s", MAX_PARTS));
  if (b->not_embedded)
    g_ptr_array_add(n, g_strdup_printf("%u attached message%s after the first %d read as "
                                       "text only", b->not_embedded,
                                       b->not_embedded == 1 ? "" : "s", MAX_EMBEDDED));
  /* Sizes are put in words only for a note written: nearly every mail
   * has none, and formatting them is most of what this costs. */
  if (b->texts_cut) {
    g_autofree char *text_max = size_text(MAX_TEXT);
    g_autofree char *longest_text = size_text(b->longest_text);
    g_ptr_array_add(n, g_strdup_printf("%u text%s cut to the first %s (longest %s)",
                                       b->texts_cut, b->texts_cut == 1 ? "" : "s", text_max,
                                       longest_text));
  }
  if (b->html_cut) {
    g_autofree char *html_max = size_text(MAX_HTML);
    g_autofree char *longest_html = size_text(b->longest_html);
    g_ptr_array_add(n, g_strdup_printf("%u HTML part%s cut to the first %s of markup "
                                       "(longest %s)", b->html_cut,
                                       b->html_cut == 1 ? "" : "s", html_max, longest_html));
  }
  if (b->html_deep)
    g_ptr_array_add(n, g_strdup_printf("%u HTML part%s nested too deep to read to the end",
                                       b->html_deep, b->html_deep == 1 ? "" : "s"));
  if (b->items_unread)
    g_ptr_array_add(n, g_strdup_printf("%u Outlook item%s (.msg) could not be read (%s)",
                                       b->items_unread, b->items_unread == 1 ? "" : "s",
                                       b->item_error));
  for (guint i = 0; b->item_notes && i < b->item_notes->len; i++)
    g_ptr_array_add(n, g_strdup(g_ptr_array_index(b->item_notes, i)));
  if (b->texts_unread) {
    g_autofree char *total_max = size_text(MAX_TEXT_TOTAL);
    g_ptr_array_add(n, g_strdup_printf("%u text part%s not read: the first %s of text "
                                       "was all one message may use", b->texts_unread,
                                       b->texts_unread == 1 ? "" : "s", total_max));
  }
}

IgMail *mail_parse(const char *raw, gsize len, GError **error)
{
  mail_library_init();
  IgMail *mail = NULL;
  if (len > G_MAXUINT) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "message of %" G_GSIZE_FORMAT " bytes is too large to read", len);
    return NULL;
  }
  /* GMime's memory stream over an array that borrows raw: with_buffer()
   * would copy it, a second 25 MB for a 25 MB message. The parser only
   * reads, and every object made from the stream is gone before return,
   * when the array gives the bytes back unfreed. */
  GByteArray *view = g_byte_array_new_take((guint8 *)raw, len);
  GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(view);
  g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
  GMimeParser *parser = g_mime_parser_new_with_stream(stream);
  GMimeParserOptions *options = mail_parser_options(raw, len);
  GMimeMessage *msg = g_mime_parser_construct_message(parser, options);
  GMimeHeaderList *headers = msg ? g_mime_object_get_header_list(GMIME_OBJECT(msg)) : NULL;
  Budget budget = { 0 };
  if (headers && g_mime_header_list_get_count(headers) > 0) {
    mail = mail_from_message(msg, 0, &budget, TRUE);
    note_skipped(mail, &budget);
    g_free(budget.item_error);
    if (budget.item_notes)
      g_ptr_array_unref(budget.item_notes);
  } else
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "not an RFC 5322 message (no header)");
  if (msg)
    g_object_unref(msg);
  if (options)
    g_mime_parser_options_free(options);
  g_object_unref(parser);
  g_object_unref(stream);
  (void)g_byte_array_steal(view, NULL);
  g_byte_array_unref(view);
  return mail;
}

void mail_free(IgMail *mail)
{
  if (!mail)
    return;
  g_free(mail->message_id);
  g_free(mail->sha256);
  g_free(mail->from_name);
  g_free(mail->from_addr);
  g_free(mail->subject);
  g_free(mail->sealed);
  if (mail->date)
    g_date_time_unref(mail->date);
  if (mail->received_date)
    g_date_time_unref(mail->received_date);
  g_free(mail->in_reply_to);
  g_strfreev(mail->references);
  g_free(mail->return_path);
  g_free(mail->reply_to);
  g_strfreev(mail->received);
  g_free(mail->html);
  g_free(mail->auto_submitted);
  g_free(mail->precedence);
  g_free(mail->list_id);
  g_strfreev(mail->x_loop);
  g_free(mail->content_type);
  g_free(mail->report_type);
  g_free(mail->reported_message_id);
  g_free(mail->delivery_status);
  g_free(mail->body);
  g_ptr_array_unref(mail->attachments);
  g_ptr_array_unref(mail->files);
  g_ptr_array_unref(mail->embedded);
  g_ptr_array_unref(mail->skipped);
  g_free(mail);
}

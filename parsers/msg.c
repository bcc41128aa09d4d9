/* msg.c - an Outlook item as a MIME message (msg.h).
 *
 * msg_cfb.c first checks the compound file, so that libgsf (GsfInfileMSOle
 * over GsfInputMemory) can read it safely; msg_props.c reads the MAPI
 * properties of each storage within the item's budget; GMime builds the
 * message. The budget is shared by the message and everything in it, so
 * nested items cannot multiply what one item may cost. A body held only
 * as compressed RTF (PR_RTF_COMPRESSED) is noted and left out: turning it
 * into text would be a guess at what Outlook showed, and the report must
 * not say what the phishing mail did not. */
#include "parsers/msg.h"

#include <gmime/gmime.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-utils.h>
#include <string.h>

#include "gateway/error.h"
#include "parsers/mail.h"
#include "parsers/msg_cfb.h"
#include "parsers/msg_props.h"
#include "parsers/rtf.h"

/* property ids (MS-OXPROPS) */
#define PR_SUBJECT 0x0037u
#define PR_CLIENT_SUBMIT_TIME 0x0039u
#define PR_SENT_REPRESENTING_NAME 0x0042u
#define PR_REPLY_RECIPIENT_ENTRIES 0x004Fu
#define PR_TRANSPORT_MESSAGE_HEADERS 0x007Du
#define PR_SENDER_NAME 0x0C1Au
#define PR_SENDER_ADDRTYPE 0x0C1Eu
#define PR_SENDER_EMAIL_ADDRESS 0x0C1Fu
#define PR_MESSAGE_DELIVERY_TIME 0x0E06u
#define PR_BODY 0x1000u
#define PR_RTF_COMPRESSED 0x1009u
#define PR_HTML 0x1013u
#define PR_INTERNET_MESSAGE_ID 0x1035u
#define PR_DISPLAY_NAME 0x3001u
#define PR_ATTACH_DATA 0x3701u
#define PR_ATTACH_FILENAME 0x3704u
#define PR_ATTACH_METHOD 0x3705u
#define PR_ATTACH_LONG_FILENAME 0x3707u
#define PR_ATTACH_MIME_TAG 0x370Eu
#define PR_ATTACH_CONTENT_ID 0x3712u
#define PR_INTERNET_CPID 0x3FDEu
#define PR_SENDER_SMTP_ADDRESS 0x5D01u

/* PR_ATTACH_METHOD values (MS-OXCMSG 2.2.2.9) */
#define ATTACH_BY_VALUE 1
#define ATTACH_EMBEDDED_MSG 5
#define ATTACH_OLE 6

/* A value made into a header field: subjects, names, addresses, ids. */
#define MAX_FIELD (16u << 10)
/* Transport headers: the header block of the result stays well within
 * what mail.c looks for. */
#define MAX_HEADERS (MAIL_HEADER_MAX / 2)
/* Addresses read from PR_REPLY_RECIPIENT_ENTRIES. */
#define MAX_REPLY_TO 16
/* Code page of PT_STRING8 values when the item names none. */
#define DEFAULT_CODEPAGE 1252

#define ATTACH_PREFIX "__attach_version1.0_#"
#define FILETIME_UNIX_EPOCH G_GINT64_CONSTANT(11644473600)
#define LAST_UNIX_TIME G_GINT64_CONSTANT(253402300799) /* 9999-12-31 23:59:59 */

/* What converting one item may still spend, and what it left out. */
typedef struct {
  gsize spent;          /* bytes of streams read */
  guint attachments;    /* attachment storages taken */
  guint over_count;     /* attachments beyond MSG_MAX_ATTACHMENTS */
  guint too_deep;       /* items nested beyond MSG_MAX_DEPTH */
  guint rtf_only;       /* messages whose only body is compressed RTF */
  guint ole;            /* OLE object attachments */
  guint no_data;        /* attachments without data (by reference) */
} Budget;

static GMimeMessage *convert_message(GsfInfile *dir, gsize header, guint32 codepage,
                                     guint depth, Budget *b, GError **error);

static gpointer init_gsf(gpointer unused)
{
  gsf_init();
  return NULL;
}

static guint32 le32(const guint8 *p)
{
  return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* An address or id as it may stand in a header field: printable ASCII
 * without the characters that end or split one; else NULL. */
static const char *header_token(char *s)
{
  if (!s)
    return NULL;
  g_strstrip(s);
  if (*s == '<' && s[strlen(s) - 1] == '>') {
    s[strlen(s) - 1] = '\0';
    s++;
  }
  if (!*s)
    return NULL;
  for (const char *c = s; *c; c++)
    if (*c <= ' ' || *c > '~' || strchr("<>,;\"()\\", *c))
      return NULL;
  return s;
}

static GMimePart *leaf_part(const char *type, const char *subtype, const void *data, gsize len,
                            GMimeContentEncoding encoding)
{
  GMimePart *part = g_mime_part_new_with_type(type, subtype);
  GMimeStream *stream = g_mime_stream_mem_new(); /* data is NULL when len is 0 */
  if (len > 0)
    g_mime_stream_write(stream, data, len);
  g_mime_stream_reset(stream);
  GMimeDataWrapper *content = g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content(part, content);
  g_mime_part_set_content_encoding(part, encoding);
  g_object_unref(content);
  g_object_unref(stream);
  return part;
}

static GMimeObject *text_part(const char *subtype, const char *text)
{
  GMimePart *part = leaf_part("text", subtype, text, strlen(text),
                              GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
  return GMIME_OBJECT(part);
}

/* --- header fields --- */

/* The transport headers as the message's header, without the fields that
 * describe a structure it no longer has; NULL when they hold no field. */
static GMimeMessage *from_transport(const char *text)
{
  g_autofree char *block = g_strconcat(text, "\n\n", NULL);
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer(block, strlen(block));
  GMimeParser *parser = g_mime_parser_new_with_stream(stream);
  /* only the raw values are kept; the strict decoder is linear in them */
  GMimeParserOptions *options = g_mime_parser_options_clone(g_mime_parser_options_get_default());
  g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_STRICT);
  GMimeMessage *message = g_mime_parser_construct_message(parser, options);
  g_mime_parser_options_free(options);
  g_object_unref(parser);
  g_object_unref(stream);
  if (!message)
    return NULL;
  GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
  for (int i = g_mime_header_list_get_count(headers) - 1; i >= 0; i--) {
    g_autofree char *name = g_strstrip(g_strdup(g_mime_header_get_name(
        g_mime_header_list_get_header_at(headers, i))));
    if (!g_ascii_strncasecmp(name, "Content-", 8) || !g_ascii_strcasecmp(name, "MIME-Version"))
      g_mime_header_list_remove_at(headers, i);
  }
  if (g_mime_header_list_get_count(headers) == 0)
    g_clear_object(&message);
  return message;
}

/* A NUL-terminated string of an entry ID from *pos on, in UTF-16LE or the
 * code page; NULL when it runs past the end. */
static char *entry_string(const guint8 *p, gsize len, gsize *pos, gboolean unicode,
                          guint32 codepage)
{
  const gsize start = *pos, unit = unicode ? 2 : 1;
  for (gsize i = start; len >= unit && i <= len - unit; i += unit) {
    if (p[i] == 0 && (!unicode || p[i + 1] == 0)) {
      *pos = i + unit;
      return unicode ? msg_utf16_to_utf8(p + start, i - start)
                     : codepage_to_utf8(p + start, i - start, codepage);
    }
  }
  *pos = len;
  return NULL;
}

/* PR_REPLY_RECIPIENT_ENTRIES, a FlatEntryList (MS-OXCDATA): a count and a
 * size, then per entry its size, the entry ID and padding to 4 bytes.
 * Only a One-Off EntryID holds an address: flags, the
 * one-off provider, version and flags (0x8000: Unicode), then display
 * name, address type and address, each NUL-terminated. */
static void add_reply_to(GMimeMessage *m, GBytes *entries, guint32 codepage)
{
  static const guint8 one_off[16] = { 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
                                      0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02 };
  gsize len = 0;
  const guint8 *p = g_bytes_get_data(entries, &len);
  if (len < 8)
    return;
  const guint32 count = le32(p);
  gsize off = 8;
  for (guint32 i = 0; i < count && i < MAX_REPLY_TO && len - off >= 4; i++) {
    const guint32 size = le32(p + off);
    off += 4;
    if (size > len - off)
      return;
    const guint8 *e = p + off;
    off += MIN(len - off, (gsize)size + (4 - size % 4) % 4);
    if (size < 24 || memcmp(e + 4, one_off, sizeof one_off) != 0)
      continue;
    const gboolean unicode = (e[22] | e[23] << 8) & 0x8000;
    gsize pos = 24;
    g_autofree char *name = entry_string(e, size, &pos, unicode, codepage);
    g_autofree char *type = entry_string(e, size, &pos, unicode, codepage);
    g_autofree char *addr = entry_string(e, size, &pos, unicode, codepage);
    const char *mailbox = header_token(addr);
    if (type && !g_ascii_strcasecmp(type, "SMTP") && mailbox)
      g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_REPLY_TO, name && *name ? name : NULL,
                                 mailbox);
  }
}

/* A FILETIME (100 ns since 1601) from year 1601 to 9999, else NULL. */
static GDateTime *filetime_to_date(guint64 filetime)
{
  const gint64 unix_time = (gint64)(filetime / 10000000u) - FILETIME_UNIX_EPOCH;
  if (filetime == 0 || unix_time > LAST_UNIX_TIME)
    return NULL;
  return g_date_time_new_from_unix_utc(unix_time);
}

/* The first of the string properties ids (n of them) that the storage
 * has and is not empty; *out NULL when none is. */
static gboolean first_string(const MsgStore *s, const guint16 *ids, guint n, const char *what,
                             char **out, GError **error)
{
  *out = NULL;
  for (guint i = 0; i < n && !*out; i++) {
    if (!msg_store_string(s, ids[i], MAX_FIELD, what, out, error))
      return FALSE;
    if (*out && !**out)
      g_clear_pointer(out, g_free);
  }
  return TRUE;
}

/* From, Reply-To, Subject, Date and Message-ID from the properties. */
static GMimeMessage *synthesize(const MsgStore *s, GError **error)
{
  static const guint16 names[] = { PR_SENDER_NAME, PR_SENT_REPRESENTING_NAME };
  GMimeMessage *m = g_mime_message_new(FALSE);
  g_autofree char *name = NULL, *smtp = NULL, *addrtype = NULL, *address = NULL;
  g_autofree char *subject = NULL, *id = NULL;
  g_autoptr(GBytes) reply = NULL;
  if (!first_string(s, names, G_N_ELEMENTS(names), "sender name", &name, error) ||
      !msg_store_string(s, PR_SENDER_SMTP_ADDRESS, MAX_FIELD, "sender address", &smtp, error) ||
      !msg_store_string(s, PR_SENDER_ADDRTYPE, MAX_FIELD, "sender address type", &addrtype,
                        error) ||
      !msg_store_string(s, PR_SENDER_EMAIL_ADDRESS, MAX_FIELD, "sender address", &address,
                        error) ||
      !msg_store_bytes(s, MSG_TAG(PR_REPLY_RECIPIENT_ENTRIES, PT_BINARY), MAX_FIELD,
                       "reply-to list", &reply, error) ||
      !msg_store_string(s, PR_SUBJECT, MAX_FIELD, "subject", &subject, error) ||
      !msg_store_string(s, PR_INTERNET_MESSAGE_ID, MAX_FIELD, "message id", &id, error)) {
    g_object_unref(m);
    return NULL;
  }
  const char *from = header_token(smtp);
  if (!from && addrtype && !g_ascii_strcasecmp(g_strstrip(addrtype), "SMTP"))
    from = header_token(address);
  if (name || from)
    g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, name, from ? from : "");
  if (reply)
    add_reply_to(m, reply, s->codepage);
  if (subject)
    g_mime_message_set_subject(m, subject, "utf-8");
  guint64 filetime = 0;
  if (msg_store_fixed(s, MSG_TAG(PR_CLIENT_SUBMIT_TIME, PT_SYSTIME), &filetime) ||
      msg_store_fixed(s, MSG_TAG(PR_MESSAGE_DELIVERY_TIME, PT_SYSTIME), &filetime)) {
    GDateTime *date = filetime_to_date(filetime);
    if (date) {
      g_mime_message_set_date(m, date);
      g_date_time_unref(date);
    }
  }
  const char *message_id = header_token(id);
  if (message_id)
    g_mime_message_set_message_id(m, message_id);
  return m;
}

static GMimeMessage *make_header(const MsgStore *s, GError **error)
{
  g_autofree char *transport = NULL;
  if (!msg_store_string(s, PR_TRANSPORT_MESSAGE_HEADERS, MAX_HEADERS, "transport headers",
                        &transport, error))
    return NULL;
  GMimeMessage *m = transport ? from_transport(transport) : NULL;
  return m ? m : synthesize(s, error);
}

/* --- bodies --- */

/* PR_HTML: binary in the body's code page, or a string. */
static gboolean read_html(const MsgStore *s, char **html, GError **error)
{
  g_autoptr(GBytes) raw = NULL;
  *html = NULL;
  if (!msg_store_bytes(s, MSG_TAG(PR_HTML, PT_BINARY), MSG_MAX_BODY, "HTML body", &raw, error))
    return FALSE;
  if (!raw)
    return msg_store_string(s, PR_HTML, MSG_MAX_BODY, "HTML body", html, error);
  gsize len = 0;
  const guint8 *p = g_bytes_get_data(raw, &len);
  *html = codepage_to_utf8(p, len, s->codepage);
  return TRUE;
}

/* The body part, NULL when the message has none; text/plain and text/html
 * as alternatives when it has both. */
static gboolean make_body(const MsgStore *s, Budget *b, GMimeObject **body, GError **error)
{
  g_autofree char *plain = NULL, *html = NULL;
  guint64 cpid = 0;
  /* The bodies are in the Internet code page, the other strings in the
   * message code page (MS-OXCMSG: PidTagInternetCodepage,
   * PidTagMessageCodepage). */
  MsgStore bs = *s;
  if (msg_store_fixed(s, MSG_TAG(PR_INTERNET_CPID, PT_LONG), &cpid))
    bs.codepage = (guint32)cpid;
  *body = NULL;
  if (!msg_store_string(&bs, PR_BODY, MSG_MAX_BODY, "body", &plain, error) ||
      !read_html(&bs, &html, error))
    return FALSE;
  if (plain && !*plain)
    g_clear_pointer(&plain, g_free);
  if (html && !*html)
    g_clear_pointer(&html, g_free);
  if (!plain && !html) {
    char name[32];
    g_snprintf(name, sizeof name, "__substg1.0_%08X", MSG_TAG(PR_RTF_COMPRESSED, PT_BINARY));
    GsfInput *rtf = msg_child(s->dir, name, FALSE);
    if (rtf) {
      b->rtf_only++;
      g_object_unref(rtf);
    }
    return TRUE;
  }
  if (!plain || !html) {
    *body = text_part(plain ? "plain" : "html", plain ? plain : html);
    return TRUE;
  }
  GMimeMultipart *alternative = g_mime_multipart_new_with_subtype("alternative");
  GMimeObject *part = text_part("plain", plain);
  g_mime_multipart_add(alternative, part);
  g_object_unref(part);
  part = text_part("html", html);
  g_mime_multipart_add(alternative, part);
  g_object_unref(part);
  *body = GMIME_OBJECT(alternative);
  return TRUE;
}

/* --- attachments --- */

/* An attachment's data with its name and MIME tag; a tag naming a
 * multipart or message type would make the data read as structure. */
static GMimeObject *data_part(GBytes *data, const char *mime_tag, const char *filename,
                              const char *content_id)
{
  GMimeContentType *type = g_mime_content_type_parse(NULL, mime_tag ? mime_tag : "");
  const char *media = g_mime_content_type_get_media_type(type);
  gboolean opaque = !g_ascii_strcasecmp(media, "multipart") ||
                    !g_ascii_strcasecmp(media, "message");
  gsize len = 0;
  const void *p = g_bytes_get_data(data, &len);
  GMimePart *part = leaf_part(opaque ? "application" : media,
                              opaque ? "octet-stream" : g_mime_content_type_get_media_subtype(type),
                              p, len, GMIME_CONTENT_ENCODING_BASE64);
  g_object_unref(type);
  g_mime_object_set_disposition(GMIME_OBJECT(part), "attachment");
  if (filename)
    g_mime_part_set_filename(part, filename);
  if (content_id)
    g_mime_part_set_content_id(part, content_id);
  return GMIME_OBJECT(part);
}

/* An attached Outlook item as message/rfc822, unless nested too deep. */
static gboolean embedded_part(GsfInfile *dir, const MsgStore *s, const char *filename, guint depth,
                              Budget *b, GMimeObject **part, GError **error)
{
  if (depth >= MSG_MAX_DEPTH) {
    b->too_deep++;
    return TRUE;
  }
  GMimeMessage *inner = convert_message(dir, MSG_HEADER_EMBEDDED, s->codepage, depth + 1, b, error);
  if (!inner)
    return FALSE;
  *part = GMIME_OBJECT(g_mime_message_part_new_with_message("rfc822", inner));
  g_object_unref(inner);
  g_mime_object_set_disposition(*part, "attachment");
  if (filename)
    g_mime_object_set_content_disposition_parameter(*part, "filename", filename);
  return TRUE;
}

/* One attachment storage as a part; *part NULL when it is not converted
 * (and counted in the budget's notes). */
static gboolean convert_attachment(GsfInfile *dir, guint32 codepage, guint depth, Budget *b,
                                   GMimeObject **part, GError **error)
{
  static const guint16 names[] = { PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME, PR_DISPLAY_NAME };
  MsgStore s;
  g_autofree char *filename = NULL, *mime_tag = NULL, *content_id = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GsfInput) object = NULL;
  guint64 method = ATTACH_BY_VALUE;
  gboolean ok = FALSE;
  *part = NULL;
  if (!msg_store_open(&s, dir, MSG_HEADER_ATTACHMENT, codepage, &b->spent, error) ||
      !first_string(&s, names, G_N_ELEMENTS(names), "attachment name", &filename, error) ||
      !msg_store_string(&s, PR_ATTACH_MIME_TAG, MAX_FIELD, "attachment MIME type", &mime_tag,
                        error) ||
      !msg_store_string(&s, PR_ATTACH_CONTENT_ID, MAX_FIELD, "attachment content id",
                        &content_id, error))
    goto out;
  msg_store_fixed(&s, MSG_TAG(PR_ATTACH_METHOD, PT_LONG), &method);
  char name[32];
  g_snprintf(name, sizeof name, "__substg1.0_%08X", MSG_TAG(PR_ATTACH_DATA, PT_OBJECT));
  object = msg_child(dir, name, TRUE);
  if (object && (guint32)method == ATTACH_EMBEDDED_MSG) {
    ok = embedded_part(GSF_INFILE(object), &s, filename, depth, b, part, error);
    goto out;
  }
  if (object || (guint32)method == ATTACH_OLE) {
    b->ole++;
    ok = TRUE;
    goto out;
  }
  if (!msg_store_bytes(&s, MSG_TAG(PR_ATTACH_DATA, PT_BINARY), MSG_MAX_CONTENT, "attachment",
                       &data, error))
    goto out;
  if (data)
    *part = data_part(data, mime_tag, filename, header_token(content_id));
  else
    b->no_data++;
  ok = TRUE;
out:
  msg_store_clear(&s);
  return ok;
}

static gboolean add_attachments(const MsgStore *s, guint depth, Budget *b, GMimeMultipart *mixed,
                                GError **error)
{
  /* libgsf 1.14 keeps a storage's entries in a linked list, so entry i
   * costs i steps: quadratic in the entries of one storage, which
   * msg_cfb.c bounds. */
  const int n = gsf_infile_num_children(s->dir);
  for (int i = 0; i < n; i++) {
    const char *name = gsf_infile_name_by_index(s->dir, i);
    if (!name || !g_str_has_prefix(name, ATTACH_PREFIX))
      continue;
    if (b->attachments >= MSG_MAX_ATTACHMENTS) {
      b->over_count++;
      continue;
    }
    b->attachments++;
    g_autoptr(GsfInput) dir = gsf_infile_child_by_index(s->dir, i);
    if (!dir || gsf_infile_num_children(GSF_INFILE(dir)) < 0)
      continue;
    GMimeObject *part = NULL;
    if (!convert_attachment(GSF_INFILE(dir), s->codepage, depth, b, &part, error))
      return FALSE;
    if (part) {
      g_mime_multipart_add(mixed, part);
      g_object_unref(part);
    }
  }
  return TRUE;
}

/* --- messages --- */

static GMimeMessage *convert_message(GsfInfile *dir, gsize header, guint32 codepage,
                                     guint depth, Budget *b, GError **error)
{
  MsgStore s;
  GMimeMessage *message = NULL;
  GMimeMultipart *mixed = NULL;
  GMimeObject *body = NULL;
  if (!msg_store_open(&s, dir, header, codepage, &b->spent, error))
    goto out;
  if (!s.props) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT,
                "not an Outlook item: no MAPI properties (another kind of compound file?)");
    goto out;
  }
  message = make_header(&s, error);
  if (!message)
    goto out;
  mixed = g_mime_multipart_new_with_subtype("mixed");
  if (!make_body(&s, b, &body, error)) {
    g_clear_object(&message);
    goto out;
  }
  if (body)
    g_mime_multipart_add(mixed, body);
  if (!add_attachments(&s, depth, b, mixed, error)) {
    g_clear_object(&message);
    goto out;
  }
  g_mime_message_set_mime_part(message, GMIME_OBJECT(mixed));
out:
  if (body)
    g_object_unref(body);
  if (mixed)
    g_object_unref(mixed);
  msg_store_clear(&s);
  return message;
}

static void note(GMimeMessage *m, guint count, const char *one, const char *many)
{
  if (count == 0)
    return;
  g_autofree char *text = g_strdup_printf("%u %s", count, count == 1 ? one : many);
  g_mime_object_append_header(GMIME_OBJECT(m), "X-Outlook-Item-Note", text, "utf-8");
}

static void add_notes(GMimeMessage *m, const Budget *b)
{
  note(m, b->rtf_only, "message with its body only in compressed RTF: body not converted",
       "messages with their body only in compressed RTF: bodies not converted");
  note(m, b->over_count, "attachment beyond the first " G_STRINGIFY(MSG_MAX_ATTACHMENTS)
       " not converted", "attachments beyond the first " G_STRINGIFY(MSG_MAX_ATTACHMENTS)
       " not converted");
  note(m, b->too_deep, "Outlook item nested more than " G_STRINGIFY(MSG_MAX_DEPTH)
       " deep not converted", "Outlook items nested more than " G_STRINGIFY(MSG_MAX_DEPTH)
       " deep not converted");
  note(m, b->ole, "attached OLE object not converted", "attached OLE objects not converted");
  note(m, b->no_data, "attachment without data (by reference) not converted",
       "attachments without data (by reference) not converted");
}

GBytes *msg_to_mime(const guint8 *data, gsize len, GError **error)
{
  static GOnce gsf_once = G_ONCE_INIT;
  GsfInput *input = NULL;
  GsfInfile *root = NULL;
  GMimeMessage *message = NULL;
  GMimeStream *stream = NULL;
  GBytes *result = NULL;
  GError *gsf_error = NULL;
  Budget budget = { 0 };
  if (len > MSG_MAX_INPUT) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "Outlook item too large: %" G_GSIZE_FORMAT
                " bytes (limit %u MiB)", len, MSG_MAX_INPUT >> 20);
    return NULL;
  }
  if (!msg_cfb_check(data, len, error))
    return NULL;
  g_once(&gsf_once, init_gsf, NULL);
  mail_library_init();
  input = gsf_input_memory_new(data, (gsf_off_t)len, FALSE);
  root = gsf_infile_msole_new(input, &gsf_error);
  if (!root) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "not an Outlook item: %s",
                gsf_error ? gsf_error->message : "unreadable compound file");
    goto out;
  }
  message = convert_message(root, MSG_HEADER_TOP, DEFAULT_CODEPAGE, 0, &budget, error);
  if (!message)
    goto out;
  add_notes(message, &budget);
  stream = g_mime_stream_mem_new();
  g_mime_object_write_to_stream(GMIME_OBJECT(message), NULL, stream);
  g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
  result = g_byte_array_free_to_bytes(g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream)));
out:
  if (stream)
    g_object_unref(stream);
  g_clear_error(&gsf_error);
  if (message)
    g_object_unref(message);
  if (root)
    g_object_unref(root);
  if (input)
    g_object_unref(input);
  return result;
}

/* msg_writer.c - Outlook items written for the tests (msg_writer.h).
 *
 * Each storage gets its streams, then its property stream: a header (32
 * bytes for the message: reserved, next recipient and attachment ids,
 * recipient and attachment counts, reserved; 24 for an attached message;
 * 8 for a recipient or attachment), then 16 bytes per property: tag,
 * flags, and the value itself (fixed-size types) or the size of its
 * stream (strings count their terminating NUL, which the stream does not
 * hold) and 4 reserved bytes (MS-OXMSG 2.4). Test-only. */
#include "tests/unit/msg_writer.h"

#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-utils.h>
#include <string.h>

#define PT_LONG 0x0003u
#define PT_OBJECT 0x000Du
#define PT_STRING8 0x001Eu
#define PT_UNICODE 0x001Fu
#define PT_SYSTIME 0x0040u
#define PT_BINARY 0x0102u

#define FILETIME_UNIX_EPOCH G_GINT64_CONSTANT(11644473600)
#define PROPATTR_READABLE_WRITABLE 6u

/* A storage being written: the outfile and its property entries. */
typedef struct {
  GsfOutfile *dir;
  GByteArray *props;
  guint32 codepage;
} Store;

static void put32(GByteArray *b, guint32 v)
{
  const guint8 x[4] = { (guint8)v, (guint8)(v >> 8), (guint8)(v >> 16), (guint8)(v >> 24) };
  g_byte_array_append(b, x, 4);
}

static void put64(GByteArray *b, guint64 v)
{
  put32(b, (guint32)v);
  put32(b, (guint32)(v >> 32));
}

static void must(gboolean ok, const char *what)
{
  if (!ok)
    g_error("msg_writer: %s failed", what);
}

static void write_stream(GsfOutfile *dir, const char *name, const void *data, gsize len)
{
  GsfOutput *out = gsf_outfile_new_child(dir, name, FALSE);
  must(out != NULL, name);
  if (len > 0)
    must(gsf_output_write(out, len, data), name);
  must(gsf_output_close(out), name);
  g_object_unref(out);
}

static void entry(Store *s, guint16 id, guint16 type, guint64 value)
{
  put32(s->props, (guint32)id << 16 | type);
  put32(s->props, PROPATTR_READABLE_WRITABLE);
  put64(s->props, value);
}

static void prop_bytes(Store *s, guint16 id, guint16 type, const void *data, gsize len,
                       gsize counted)
{
  char name[32];
  g_snprintf(name, sizeof name, "__substg1.0_%04X%04X", id, type);
  write_stream(s->dir, name, data, len);
  entry(s, id, type, counted);
}

static void prop_long(Store *s, guint16 id, guint32 value)
{
  entry(s, id, PT_LONG, value);
}

static void prop_time(Store *s, guint16 id, gint64 unix_time)
{
  if (unix_time)
    entry(s, id, PT_SYSTIME, (guint64)(unix_time + FILETIME_UNIX_EPOCH) * 10000000u);
}

/* text in the store's code page (NULL-terminated copy), or UTF-16LE */
static guint8 *encode(const Store *s, const char *text, gsize *len)
{
  if (s->codepage) {
    g_autofree char *charset = g_strdup_printf("CP%u", s->codepage);
    char *out = g_convert(text, -1, charset, "UTF-8", NULL, len, NULL);
    must(out != NULL, "conversion to the code page");
    return (guint8 *)out;
  }
  glong n = 0;
  gunichar2 *u = g_utf8_to_utf16(text, -1, NULL, &n, NULL);
  must(u != NULL, "conversion to UTF-16");
  guint8 *out = g_malloc((gsize)n * 2 + 2);
  for (glong i = 0; i <= n; i++) {
    out[2 * i] = (guint8)u[i];
    out[2 * i + 1] = (guint8)(u[i] >> 8);
  }
  g_free(u);
  *len = (gsize)n * 2;
  return out;
}

static void prop_string(Store *s, guint16 id, const char *text)
{
  if (!text)
    return;
  gsize len = 0;
  g_autofree guint8 *bytes = encode(s, text, &len);
  prop_bytes(s, id, s->codepage ? PT_STRING8 : PT_UNICODE, bytes, len,
             len + (s->codepage ? 1 : 2));
}

static void store_begin(Store *s, GsfOutfile *dir, guint32 codepage)
{
  s->dir = dir;
  s->props = g_byte_array_new();
  s->codepage = codepage;
}

/* Writes the property stream after header and closes the storage. */
static void store_end(Store *s, GByteArray *header)
{
  g_byte_array_prepend(s->props, header->data, header->len);
  write_stream(s->dir, "__properties_version1.0", s->props->data, s->props->len);
  g_byte_array_unref(s->props);
  g_byte_array_unref(header);
  must(gsf_output_close(GSF_OUTPUT(s->dir)), "closing a storage");
}

static GsfOutfile *new_storage(GsfOutfile *parent, const char *name)
{
  GsfOutput *dir = gsf_outfile_new_child(parent, name, TRUE);
  must(dir != NULL, name);
  return GSF_OUTFILE(dir);
}

static GByteArray *zeros(guint n)
{
  GByteArray *b = g_byte_array_new();
  g_byte_array_set_size(b, n);
  memset(b->data, 0, n);
  return b;
}

/* A FlatEntryList of one One-Off EntryID (MS-OXCDATA). */
static GByteArray *reply_entries(const Store *s, const char *name, const char *address)
{
  static const guint8 one_off[16] = { 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
                                      0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02 };
  const char *parts[3] = { name ? name : "", "SMTP", address };
  g_autoptr(GByteArray) id = g_byte_array_new();
  put32(id, 0);
  g_byte_array_append(id, one_off, sizeof one_off);
  const guint16 flags = s->codepage ? 0x0001 : 0x8001; /* no rich info, Unicode */
  const guint8 version_flags[4] = { 0, 0, (guint8)flags, (guint8)(flags >> 8) };
  g_byte_array_append(id, version_flags, 4);
  for (guint i = 0; i < 3; i++) {
    gsize len = 0;
    g_autofree guint8 *bytes = encode(s, parts[i], &len);
    g_byte_array_append(id, bytes, (guint)(len + (s->codepage ? 1 : 2)));
  }
  GByteArray *list = g_byte_array_new();
  put32(list, 1);
  put32(list, id->len + 4 + (4 - id->len % 4) % 4);
  put32(list, id->len);
  g_byte_array_append(list, id->data, id->len);
  const guint8 pad[3] = { 0 };
  g_byte_array_append(list, pad, (4 - id->len % 4) % 4);
  return list;
}

static void write_recipient(GsfOutfile *parent, const MsgWriterItem *item, guint32 codepage)
{
  Store s;
  store_begin(&s, new_storage(parent, "__recip_version1.0_#00000000"), codepage);
  prop_long(&s, 0x3000, 0);          /* PR_ROWID */
  prop_long(&s, 0x0C15, 1);          /* PR_RECIPIENT_TYPE: To */
  prop_string(&s, 0x3001, item->to_name ? item->to_name : item->to_address);
  prop_string(&s, 0x3002, "SMTP");   /* PR_ADDRTYPE */
  prop_string(&s, 0x3003, item->to_address);
  prop_string(&s, 0x39FE, item->to_address); /* PR_SMTP_ADDRESS */
  store_end(&s, zeros(8));
  g_object_unref(s.dir);
}

static void write_message(GsfOutfile *dir, const MsgWriterItem *item, gboolean top);

static void write_attachment(GsfOutfile *parent, guint n, const MsgWriterAttachment *a,
                             guint32 codepage)
{
  char name[40];
  g_snprintf(name, sizeof name, "__attach_version1.0_#%08X", n);
  Store s;
  store_begin(&s, new_storage(parent, name), codepage);
  prop_long(&s, 0x0E21, n);                          /* PR_ATTACH_NUM */
  prop_long(&s, 0x3705, a->embedded ? 5 : 1);        /* PR_ATTACH_METHOD */
  prop_string(&s, 0x3707, a->filename);
  prop_string(&s, 0x3704, a->short_filename);
  prop_string(&s, 0x370E, a->mime_type);
  if (a->embedded) {
    GsfOutfile *inner = new_storage(s.dir, "__substg1.0_3701000D");
    write_message(inner, a->embedded, FALSE);
    g_object_unref(inner);
    entry(&s, 0x3701, PT_OBJECT, 0xFFFFFFFFu);
  } else {
    prop_bytes(&s, 0x3701, PT_BINARY, a->data, a->len, a->len);
  }
  store_end(&s, zeros(8));
  g_object_unref(s.dir);
}

static void write_nameid(GsfOutfile *parent)
{
  GsfOutfile *dir = new_storage(parent, "__nameid_version1.0");
  write_stream(dir, "__substg1.0_00020102", NULL, 0); /* GUIDs */
  write_stream(dir, "__substg1.0_00030102", NULL, 0); /* entries */
  write_stream(dir, "__substg1.0_00040102", NULL, 0); /* names */
  must(gsf_output_close(GSF_OUTPUT(dir)), "closing __nameid_version1.0");
  g_object_unref(dir);
}

static void write_message(GsfOutfile *dir, const MsgWriterItem *item, gboolean top)
{
  Store s;
  const guint recipients = item->to_address ? 1 : 0;
  store_begin(&s, dir, item->codepage);
  if (top)
    write_nameid(dir);
  if (recipients)
    write_recipient(dir, item, item->codepage);
  for (guint i = 0; i < item->n_attachments; i++)
    write_attachment(dir, i, &item->attachments[i], item->codepage);
  prop_string(&s, 0x001A, "IPM.Note");               /* PR_MESSAGE_CLASS */
  prop_string(&s, 0x0037, item->subject);
  prop_string(&s, 0x0C1A, item->sender_name);
  if (item->sender_address) {
    prop_string(&s, 0x0C1E, "SMTP");                 /* PR_SENDER_ADDRTYPE */
    prop_string(&s, 0x0C1F, item->sender_address);
    prop_string(&s, 0x5D01, item->sender_address);
  }
  prop_string(&s, 0x0042, item->sender_name);        /* PR_SENT_REPRESENTING_NAME */
  if (item->reply_to_address) {
    g_autoptr(GByteArray) list = reply_entries(&s, item->reply_to_name, item->reply_to_address);
    prop_bytes(&s, 0x004F, PT_BINARY, list->data, list->len, list->len);
    prop_string(&s, 0x0050, item->reply_to_name);    /* PR_REPLY_RECIPIENT_NAMES */
  }
  prop_string(&s, 0x007D, item->transport_headers);
  prop_string(&s, 0x1035, item->message_id);
  prop_time(&s, 0x0039, item->submit_time);
  prop_time(&s, 0x0E06, item->delivery_time);
  prop_string(&s, 0x1000, item->body);
  if (item->html) {
    gsize len = strlen(item->html);
    g_autofree guint8 *html = s.codepage ? encode(&s, item->html, &len)
                                         : (guint8 *)g_strdup(item->html);
    prop_bytes(&s, 0x1013, PT_BINARY, html, len, len);
  }
  if (item->rtf)
    prop_bytes(&s, 0x1009, PT_BINARY, item->rtf, item->rtf_len, item->rtf_len);
  prop_long(&s, 0x3FDE, s.codepage ? s.codepage : 65001); /* PR_INTERNET_CPID */
  if (s.codepage)
    prop_long(&s, 0x3FFD, s.codepage);               /* PR_MESSAGE_CODEPAGE */
  else
    prop_long(&s, 0x340D, 0x00040000);               /* PR_STORE_SUPPORT_MASK: Unicode */
  GByteArray *header = zeros(8);
  put32(header, recipients);                         /* next recipient id */
  put32(header, item->n_attachments);                /* next attachment id */
  put32(header, recipients);
  put32(header, item->n_attachments);
  if (top)
    put64(header, 0);
  store_end(&s, header);
}

GBytes *msg_writer_write(const MsgWriterItem *item)
{
  /* CLSID_MailMessage {00020D0B-0000-0000-C000-000000000046} */
  static const guint8 clsid[16] = { 0x0B, 0x0D, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                    0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
  gsf_init();
  GsfOutput *sink = gsf_output_memory_new();
  GsfOutfile *root = item->large_sectors ? gsf_outfile_msole_new_full(sink, 4096, 64)
                                          : gsf_outfile_msole_new(sink);
  must(root != NULL, "gsf_outfile_msole_new");
  must(gsf_outfile_msole_set_class_id(GSF_OUTFILE_MSOLE(root), clsid), "setting the class id");
  write_message(root, item, TRUE); /* closing the root writes the file */
  GBytes *bytes = g_bytes_new(gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(sink)),
                              (gsize)gsf_output_size(sink));
  g_object_unref(root);
  g_object_unref(sink);
  return bytes;
}

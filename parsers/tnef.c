/* tnef.c - the text inside a winmail.dat (tnef.h), read with libytnef.
 *
 * libytnef 2.0 was written for trusted files: it printf()s to stdout on
 * malformed input, fails a whole stream over one long subject, leaks on
 * repeated attributes, and its RTF decompressor reads out of bounds. So
 * the stream is walked here first (framing, checksums, and every MAPI
 * block checked the way libytnef will read it) and re-framed with only the
 * attributes needed, each in the shape libytnef accepts: what libytnef
 * then sees parses without a message or a leak. The plain body (attBody)
 * is taken during the walk, since libytnef refuses bodies over 100 000
 * bytes. Compressed RTF is unpacked by rtf.c rather than by libytnef's
 * DecompressRTF, which over-reads its input. Pure: bytes in, parts out. */
#include "parsers/tnef.h"

#include <stdio.h> /* libytnef's headers use FILE */
#include <string.h>
#include <ytnef.h>

#include "parsers/hash.h"
#include "parsers/html.h"
#include "parsers/rtf.h"

/* Larger streams are not read at all: mail of that size is not a report. */
#define MAX_TNEF_LEN (32u << 20)
/* Attachments read from one stream. */
#define MAX_ATTACHMENTS 64
/* libytnef's own limits (ytnef.c 2.0), checked before it sees a value. */
#define YT_MAX_TITLE 100
#define YT_MAX_PROPS 1000
#define YT_MAX_VALUE 524288
#define YT_MAX_NAME 100

typedef struct {
  const guchar *p;
  gsize len, pos;
} Reader;

/* What the walk keeps: a stream for libytnef and the plain body. */
typedef struct {
  GByteArray *clean;
  const guchar *body;
  gsize body_len;
  guint32 codepage;
} Walk;

static void add_part(GPtrArray *out, const char *filename, const char *type, char *text)
{
  IgTextPart *t = g_new0(IgTextPart, 1);
  t->filename = g_strdup(filename);
  t->content_type = g_strdup(type);
  t->text = text;
  g_ptr_array_add(out, t);
}

/* --- reading bytes --- */

static gboolean take32(Reader *r, guint32 *v)
{
  if (r->len - r->pos < 4)
    return FALSE;
  *v = (guint32)r->p[r->pos] | (guint32)r->p[r->pos + 1] << 8 |
       (guint32)r->p[r->pos + 2] << 16 | (guint32)r->p[r->pos + 3] << 24;
  r->pos += 4;
  return TRUE;
}

static gboolean skip(Reader *r, gsize n)
{
  if (r->len - r->pos < n)
    return FALSE;
  r->pos += n;
  return TRUE;
}

static gsize pad4(gsize n)
{
  return n + (4 - n % 4) % 4;
}

/* --- checking a MAPI property block as libytnef's TNEFFillMapi reads it --- */

static gboolean mapi_value_ok(Reader *r, guint32 type, gboolean multi)
{
  guint32 n, size;
  switch (type) {
  case PT_BINARY: case PT_OBJECT: case PT_STRING8: case PT_UNICODE:
    /* a single value carries a count of 1 before its size */
    if ((!multi && !take32(r, &n)) || !take32(r, &size))
      return FALSE;
    return size <= YT_MAX_VALUE && size <= r->len - r->pos && skip(r, pad4(size));
  case PT_I2: case PT_BOOLEAN: case PT_LONG: case PT_R4: case PT_CURRENCY:
  case PT_APPTIME: case PT_ERROR:
    return skip(r, 4); /* libytnef reads 4 bytes even for PT_CURRENCY */
  case PT_DOUBLE: case PT_I8: case PT_SYSTIME:
    return skip(r, 8);
  case PT_CLSID:
    return skip(r, 16);
  default:
    return FALSE; /* libytnef prints "Bad file" */
  }
}

static gboolean mapi_ok(const guchar *p, gsize len)
{
  Reader r = { p, len, 0 };
  guint32 count, tag, names, size, values;
  if (!take32(&r, &count) || count == 0 || count > YT_MAX_PROPS)
    return FALSE;
  for (guint32 i = 0; i < count; i++) {
    if (!take32(&r, &tag))
      return FALSE;
    if (PROP_ID(tag) >= 0x8000) {
      /* named property: a GUID, then names or a numeric id */
      if (!skip(&r, 16) || !take32(&r, &names) || names > YT_MAX_PROPS)
        return FALSE;
      for (guint32 k = 0; k < names; k++)
        if (!take32(&r, &size) || size == 0 || size > YT_MAX_NAME ||
            size > r.len - r.pos || !skip(&r, pad4(size)))
          return FALSE;
      if (names == 0 && !take32(&r, &size))
        return FALSE;
    }
    const gboolean multi = (PROP_TYPE(tag) & MV_FLAG) != 0;
    values = 1;
    if (multi && (!take32(&r, &values) || values == 0 || values > YT_MAX_PROPS))
      return FALSE;
    for (guint32 v = 0; v < values; v++)
      if (!mapi_value_ok(&r, PROP_TYPE(tag) & ~(guint32)MV_FLAG, multi))
        return FALSE;
  }
  return r.pos == len; /* libytnef rejects a block with bytes left over */
}

/* --- walking and re-framing the stream --- */

static void put_attribute(GByteArray *out, guint8 level, guint32 id, const guchar *data,
                          guint32 size)
{
  guint8 head[9] = { level };
  guint16 sum = 0;
  for (guint32 i = 0; i < size; i++)
    sum = (guint16)(sum + data[i]);
  for (int k = 0; k < 4; k++) {
    head[1 + k] = (guint8)(id >> (8 * k));
    head[5 + k] = (guint8)(size >> (8 * k));
  }
  const guint8 tail[2] = { (guint8)sum, (guint8)(sum >> 8) };
  g_byte_array_append(out, head, sizeof(head));
  g_byte_array_append(out, data, size);
  g_byte_array_append(out, tail, sizeof(tail));
}

/* Reads the attributes up to the end or the first damaged one, keeping
 * what libytnef should see. Message level: attMAPIProps (the HTML and RTF
 * bodies); attBody and attOemCodepage are read here. Attachment level: an
 * attachment starts at attAttachRenddata; its title, data and MAPI block
 * are kept once each. FALSE if this is not TNEF at all. */
static gboolean walk_stream(const guchar *p, gsize len, Walk *w)
{
  static const guchar subject[] = "-";
  Reader r = { p, len, 6 };
  guint32 sig = 0, id, size;
  guint attachments = 0;
  gboolean mapi = FALSE, title = FALSE, data = FALSE, amapi = FALSE, full = FALSE;
  Reader head = { p, len, 0 };
  if (len < 6 || len > MAX_TNEF_LEN || !take32(&head, &sig) || sig != 0x223E9F78u)
    return FALSE;
  g_byte_array_append(w->clean, p, 6); /* signature and key */
  /* libytnef checks a MAPI subject against its 100-byte limit only while
   * it has no subject: one byte here keeps long subjects from failing the
   * stream */
  put_attribute(w->clean, LVL_MESSAGE, attSubject, subject, 1);
  while (len - r.pos >= 9) {
    const guint8 level = p[r.pos];
    r.pos++;
    take32(&r, &id);
    take32(&r, &size);
    if (size == 0 || size > len - r.pos || len - r.pos - size < 2)
      break;
    const guchar *d = p + r.pos;
    guint16 sum = 0;
    for (guint32 i = 0; i < size; i++)
      sum = (guint16)(sum + d[i]);
    if (sum != (guint16)(d[size] | d[size + 1] << 8))
      break;
    r.pos += (gsize)size + 2;
    if (level == LVL_MESSAGE && id == attBody && !w->body) {
      w->body = d;
      w->body_len = size;
    } else if (level == LVL_MESSAGE && id == attOemCodepage && size >= 4 && !w->codepage) {
      w->codepage = (guint32)d[0] | (guint32)d[1] << 8 | (guint32)d[2] << 16 |
                    (guint32)d[3] << 24;
    } else if (level == LVL_MESSAGE && id == attMAPIProps && !mapi && mapi_ok(d, size)) {
      mapi = TRUE;
      put_attribute(w->clean, level, id, d, size);
    } else if (level == LVL_ATTACHMENT && id == attAttachRenddata) {
      full = attachments == MAX_ATTACHMENTS;
      if (!full) {
        attachments++;
        title = data = amapi = FALSE;
        put_attribute(w->clean, level, id, d, size);
      }
    } else if (level == LVL_ATTACHMENT && attachments > 0 && !full) {
      /* libytnef hangs attachment attributes on the last attachment
       * started, and leaks one it is given twice */
      if (id == attAttachTitle && !title && size <= YT_MAX_TITLE)
        title = TRUE, put_attribute(w->clean, level, id, d, size);
      else if (id == attAttachData && !data)
        data = TRUE, put_attribute(w->clean, level, id, d, size);
      else if (id == attAttachment && !amapi && mapi_ok(d, size))
        amapi = TRUE, put_attribute(w->clean, level, id, d, size);
    }
  }
  return TRUE;
}

/* --- reading what libytnef found --- */

static variableLength *find_prop(MAPIProps *props, guint32 type, guint32 id)
{
  variableLength *v = MAPIFindProperty(props, PROP_TAG(type, id));
  return v == MAPI_UNDEFINED || !v || !v->data || v->size <= 0 ? NULL : v;
}

/* A string property: PT_UNICODE arrives as UTF-8 from libytnef (its
 * size still the UTF-16 one, and surrogates left unpaired), PT_STRING8 in
 * the message's code page. NULL if absent. */
static char *string_prop(MAPIProps *props, guint32 id, guint32 cp)
{
  variableLength *v = find_prop(props, PT_UNICODE, id);
  if (v)
    return g_utf8_make_valid((const char *)v->data,
                             (gssize)strnlen((const char *)v->data, (gsize)v->size * 3 / 2));
  v = find_prop(props, PT_STRING8, id);
  if (v)
    return codepage_to_utf8(v->data, strnlen((const char *)v->data, (gsize)v->size), cp);
  return NULL;
}

static gboolean blank(const char *s)
{
  while (*s && g_ascii_isspace(*s))
    s++;
  return *s == '\0';
}

static void add_body(GPtrArray *out, MAPIProps *props, const Walk *w)
{
  variableLength *v = NULL;
  guint32 cp = w->codepage;
  char *text = NULL;
  const char *type = "text/plain";
  if (props && (v = find_prop(props, PT_LONG, PR_INTERNET_CPID)) && v->size >= 4)
    memcpy(&cp, v->data, sizeof(cp)); /* libytnef stores it in host order */
  if (w->body)
    text = g_strstrip(codepage_to_utf8(w->body, w->body_len, w->codepage));
  if ((!text || blank(text)) && props) {
    g_free(text);
    text = string_prop(props, PR_BODY, cp);
  }
  if ((!text || blank(text)) && props) {
    g_autofree char *html = string_prop(props, PR_BODY_HTML, cp);
    if (!html && (v = find_prop(props, PT_BINARY, PR_BODY_HTML)))
      html = codepage_to_utf8(v->data, (gsize)v->size, cp);
    g_free(text);
    text = html ? html_to_text(html, strlen(html)) : NULL;
    type = "text/html";
  }
  if ((!text || blank(text)) && props && (v = find_prop(props, PT_BINARY, PR_RTF_COMPRESSED))) {
    GByteArray *rtf = rtf_decompress(v->data, (gsize)v->size);
    g_free(text);
    text = rtf ? rtf_to_text(rtf->data, rtf->len, cp) : NULL;
    type = "text/rtf";
    if (rtf)
      g_byte_array_unref(rtf);
  }
  if (text && !blank(text))
    add_part(out, NULL, type, g_strstrip(text));
  else
    g_free(text);
}

/* The text type of an attachment by MIME tag or name, or NULL. */
static const char *text_type(const char *mime, const char *name)
{
  static const char *const ext[][2] = {
    { ".txt", "text/plain" }, { ".text", "text/plain" }, { ".log", "text/plain" },
    { ".md", "text/plain" }, { ".csv", "text/csv" }, { ".htm", "text/html" },
    { ".html", "text/html" }, { ".rtf", "text/rtf" }, { ".xml", "text/xml" },
    { ".json", "application/json" } };
  const char *dot = name ? strrchr(name, '.') : NULL;
  if (mime && g_str_has_prefix(mime, "text/"))
    return mime;
  for (gsize i = 0; dot && i < G_N_ELEMENTS(ext); i++)
    if (g_ascii_strcasecmp(dot, ext[i][0]) == 0)
      return ext[i][1];
  return NULL;
}

static void add_file(GPtrArray *files, const char *name, const char *type, const guchar *data,
                     gsize size)
{
  IgFilePart *f = g_new0(IgFilePart, 1);
  f->filename = name && *name ? g_strdup(name) : NULL;
  f->content_type = g_strdup(type ? type : "application/octet-stream");
  f->size = size;
  f->sha256 = hash_sha256_hex(data, size);
  g_ptr_array_add(files, f);
}

static void add_attachment(GPtrArray *out, GPtrArray *files, Attachment *a, guint32 cp)
{
  g_autofree char *name = string_prop(&a->MAPI, PR_ATTACH_LONG_FILENAME, cp);
  g_autofree char *mime_raw = string_prop(&a->MAPI, PR_ATTACH_MIME_TAG, cp);
  g_autofree char *mime = mime_raw ? g_ascii_strdown(g_strstrip(mime_raw), -1) : NULL;
  const guchar *data = a->FileData.data;
  gsize size = a->FileData.size > 0 ? (gsize)a->FileData.size : 0;
  variableLength *obj = find_prop(&a->MAPI, PT_BINARY, PR_ATTACH_DATA_OBJ);
  if (!name && a->Title.size > 0)
    name = codepage_to_utf8(a->Title.data, strnlen((const char *)a->Title.data, (gsize)a->Title.size), cp);
  if (!name)
    name = string_prop(&a->MAPI, PR_ATTACH_FILENAME, cp);
  if ((!data || size == 0) && obj)
    data = obj->data, size = (gsize)obj->size;
  const char *type = text_type(mime, name);
  if (files && data && size > 0)
    add_file(files, name, mime && *mime ? mime : type, data, size);
  if (!data || size == 0 || !type)
    return;
  char *text;
  if (g_str_has_suffix(type, "/html")) {
    g_autofree char *html = codepage_to_utf8(data, size, 0);
    text = html_to_text(html, strlen(html));
  } else if (g_str_has_suffix(type, "/rtf")) {
    text = rtf_to_text(data, size, cp);
  } else {
    text = codepage_to_utf8(data, size, 0);
  }
  add_part(out, name && *name ? name : "attachment", type, text);
}

GPtrArray *tnef_text_parts(const void *data, gsize len, GPtrArray *files)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(mail_text_part_free);
  Walk w = { .clean = g_byte_array_new() };
  TNEFStruct tnef;
  TNEFInitialize(&tnef);
  tnef.Debug = 0;
  if (data && walk_stream(data, len, &w)) {
    const gboolean parsed = TNEFParseMemory(w.clean->data, (long)w.clean->len, &tnef) == 0;
    add_body(out, parsed ? &tnef.MapiProperties : NULL, &w);
    for (Attachment *a = parsed ? tnef.starting_attach.next : NULL; a; a = a->next)
      add_attachment(out, files, a, w.codepage);
  }
  TNEFFree(&tnef);
  g_byte_array_unref(w.clean);
  return out;
}

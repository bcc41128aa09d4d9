/* msg_props.c - the MAPI properties of one storage of an Outlook item
 * (msg_props.h): the property stream for fixed-size values, a stream per
 * variable-size value, strings as UTF-8. Every stream is measured before
 * it is read and counted against the item's budget. */
#include "parsers/msg_props.h"

#include "gateway/error.h"
#include "parsers/msg.h"
#include "parsers/rtf.h"

/* A property stream: 16 bytes a property, thousands at most. */
#define MAX_PROPS (1u << 20)

#define PR_INTERNET_CPID 0x3FDEu
#define PR_MESSAGE_CODEPAGE 0x3FFDu
#define PROPERTIES "__properties_version1.0"

GsfInput *msg_child(GsfInfile *dir, const char *name, gboolean storage)
{
  GsfInput *child = gsf_infile_child_by_name(dir, name);
  /* every child of a compound file is a GsfInfile; only storages count
   * their children */
  if (child && (gsf_infile_num_children(GSF_INFILE(child)) >= 0) != storage)
    g_clear_object(&child);
  return child;
}

/* Reads a stream of dir whole, within limit and the item's budget. */
static gboolean read_stream(GsfInfile *dir, const char *name, gsize limit, const char *what,
                            gsize *spent, GBytes **out, GError **error)
{
  *out = NULL;
  g_autoptr(GsfInput) in = msg_child(dir, name, FALSE);
  if (!in)
    return TRUE;
  const gsf_off_t size = gsf_input_size(in);
  if (size < 0 || (guint64)size > limit) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT,
                "Outlook item too large: %s of %" G_GINT64_FORMAT " bytes (limit %" G_GSIZE_FORMAT ")",
                what, (gint64)size, limit);
    return FALSE;
  }
  if ((guint64)size > MSG_MAX_CONTENT - *spent) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT,
                "Outlook item too large: more than %u MiB of content", MSG_MAX_CONTENT >> 20);
    return FALSE;
  }
  *spent += (gsize)size;
  if (size == 0) {
    *out = g_bytes_new(NULL, 0);
    return TRUE;
  }
  const guint8 *p = gsf_input_read(in, (size_t)size, NULL);
  if (!p) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "not an Outlook item: %s unreadable", what);
    return FALSE;
  }
  *out = g_bytes_new(p, (gsize)size);
  return TRUE;
}

gboolean msg_store_open(MsgStore *s, GsfInfile *dir, gsize header, guint32 codepage,
                        gsize *spent, GError **error)
{
  *s = (MsgStore){ .dir = dir, .spent = spent, .header = header, .codepage = codepage };
  if (!read_stream(dir, PROPERTIES, MAX_PROPS, "property stream", spent, &s->props, error))
    return FALSE;
  guint64 cp = 0;
  if (msg_store_fixed(s, MSG_TAG(PR_MESSAGE_CODEPAGE, PT_LONG), &cp) ||
      msg_store_fixed(s, MSG_TAG(PR_INTERNET_CPID, PT_LONG), &cp))
    s->codepage = (guint32)cp;
  return TRUE;
}

void msg_store_clear(MsgStore *s)
{
  g_clear_pointer(&s->props, g_bytes_unref);
}

gboolean msg_store_fixed(const MsgStore *s, guint32 tag, guint64 *value)
{
  if (!s->props)
    return FALSE;
  gsize len = 0;
  const guint8 *p = g_bytes_get_data(s->props, &len);
  for (gsize off = s->header; len >= 16 && off <= len - 16; off += 16) {
    const guint32 t = (guint32)p[off] | (guint32)p[off + 1] << 8 |
                      (guint32)p[off + 2] << 16 | (guint32)p[off + 3] << 24;
    if (t != tag)
      continue;
    *value = 0;
    for (guint i = 0; i < 8; i++)
      *value |= (guint64)p[off + 8 + i] << (8 * i);
    return TRUE;
  }
  return FALSE;
}

gboolean msg_store_bytes(const MsgStore *s, guint32 tag, gsize limit, const char *what,
                         GBytes **out, GError **error)
{
  char name[32];
  g_snprintf(name, sizeof name, "__substg1.0_%08X", tag);
  return read_stream(s->dir, name, limit, what, s->spent, out, error);
}

char *msg_utf16_to_utf8(const guint8 *p, gsize len)
{
  GString *out = g_string_sized_new(len / 2 + 1);
  for (gsize i = 0; i + 1 < len; i += 2) {
    gunichar c = (gunichar)(p[i] | p[i + 1] << 8);
    if (c >= 0xD800 && c < 0xDC00 && i + 3 < len) {
      const gunichar low = (gunichar)(p[i + 2] | p[i + 3] << 8);
      if (low >= 0xDC00 && low < 0xE000) {
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    if (c >= 0xD800 && c < 0xE000)
      c = 0xFFFD;
    if (c != 0)
      g_string_append_unichar(out, c);
  }
  return g_string_free(out, FALSE);
}

gboolean msg_store_string(const MsgStore *s, guint16 id, gsize limit, const char *what,
                          char **out, GError **error)
{
  g_autoptr(GBytes) b = NULL;
  *out = NULL;
  if (!msg_store_bytes(s, MSG_TAG(id, PT_UNICODE), limit, what, &b, error))
    return FALSE;
  if (b) {
    gsize len = 0;
    const guint8 *p = g_bytes_get_data(b, &len);
    *out = msg_utf16_to_utf8(p, len);
    return TRUE;
  }
  if (!msg_store_bytes(s, MSG_TAG(id, PT_STRING8), limit, what, &b, error))
    return FALSE;
  if (b) {
    gsize len = 0;
    const guint8 *p = g_bytes_get_data(b, &len);
    *out = codepage_to_utf8(p, len, s->codepage);
  }
  return TRUE;
}

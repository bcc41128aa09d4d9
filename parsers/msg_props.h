/* msg_props.h - the MAPI properties of one storage of an Outlook item
 * (MS-OXMSG 2.1, 2.4), read through libgsf within the budget of msg.h.
 * Used by msg.c only.
 *
 * A storage (the message, an attachment, an attached message) holds a
 * property stream "__properties_version1.0": a header, then 16 bytes per
 * property, the value itself for fixed-size types. Each variable-size
 * value is a stream of its own named "__substg1.0_" and the tag in hex. */
#ifndef IG_MSG_PROPS_H
#define IG_MSG_PROPS_H

#include <glib.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input.h>

/* libgsf 1.14 declares no cleanup functions of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GsfInput, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GsfInfile, g_object_unref)

/* property types */
#define PT_LONG 0x0003u
#define PT_OBJECT 0x000Du
#define PT_STRING8 0x001Eu
#define PT_UNICODE 0x001Fu
#define PT_SYSTIME 0x0040u
#define PT_BINARY 0x0102u

#define MSG_TAG(id, type) ((guint32)(id) << 16 | (type))

/* Bytes before the first property entry of each kind of storage. */
#define MSG_HEADER_TOP 32
#define MSG_HEADER_EMBEDDED 24
#define MSG_HEADER_ATTACHMENT 8

typedef struct {
  GsfInfile *dir;     /* the storage; not owned */
  gsize *spent;       /* bytes read from the whole item so far; shared */
  GBytes *props;      /* the property stream, NULL if it has none */
  gsize header;       /* one of MSG_HEADER_... */
  guint32 codepage;   /* of its PT_STRING8 values */
} MsgStore;

/* Opens dir's properties. Its PT_STRING8 values are in its
 * PR_MESSAGE_CODEPAGE, else its PR_INTERNET_CPID, else codepage. FALSE
 * with error when the property stream is over the limits or unreadable.
 * Clear with msg_store_clear() either way. */
gboolean msg_store_open(MsgStore *s, GsfInfile *dir, gsize header, guint32 codepage,
                        gsize *spent, GError **error);
void msg_store_clear(MsgStore *s);

/* The value of a fixed-size property (tag as MSG_TAG), little-endian in
 * its 8 bytes; FALSE if the storage has none. */
gboolean msg_store_fixed(const MsgStore *s, guint32 tag, guint64 *value);

/* The stream of a variable-size property into *out, or NULL when there is
 * none. FALSE with error when it is larger than limit (what names it in
 * the message) or than what is left of MSG_MAX_CONTENT, or unreadable.
 * Caller unrefs *out. */
gboolean msg_store_bytes(const MsgStore *s, guint32 tag, gsize limit, const char *what,
                         GBytes **out, GError **error);

/* A string property, PT_UNICODE or else PT_STRING8, as valid UTF-8 with
 * NUL characters dropped; *out NULL when there is none. Errors as
 * msg_store_bytes(). Caller frees *out. */
gboolean msg_store_string(const MsgStore *s, guint16 id, gsize limit, const char *what,
                          char **out, GError **error);

/* UTF-16LE as valid UTF-8: unpaired surrogates become U+FFFD, NUL
 * characters and an odd last byte are dropped. Caller frees. */
char *msg_utf16_to_utf8(const guint8 *p, gsize len);

/* A storage or stream below dir by name, or NULL; caller unrefs. */
GsfInput *msg_child(GsfInfile *dir, const char *name, gboolean storage);

#endif

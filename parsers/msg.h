/* msg.h - an Outlook item (.msg, application/vnd.ms-outlook) as a MIME
 * message.
 *
 * Staff report a phishing mail by attaching it as an Outlook item: an
 * OLE2 compound file of MAPI properties (MS-CFB, MS-OXMSG), opaque to a
 * MIME parser. msg_to_mime() rebuilds the mail from it so that the rest of
 * the gateway reads it as any attached message/rfc822. Pure: bytes in,
 * bytes out, no I/O.
 *
 * The result (RFC 5322, LF line ends) is multipart/mixed: first the body,
 * a multipart/alternative of text/plain and text/html when the item has
 * both, else the one it has, both UTF-8; then each attachment, base64,
 * with its filename and MIME type (application/octet-stream when it
 * names none); an attached Outlook item becomes a message/rfc822 part,
 * converted the same way. Header fields are the item's own transport
 * headers (PR_TRANSPORT_MESSAGE_HEADERS) as received, but for Content-*
 * and MIME-Version, which describe the structure built here; an item
 * without them (a draft, a sent item) gets From, Reply-To, Subject, Date
 * and Message-ID made from its properties, encoded by GMime.
 *
 * What was not converted is said in X-Outlook-Item-Note fields of the
 * outermost message, one per kind, in words: a body held only as
 * compressed RTF (kept out rather than guessed at), attachments beyond
 * MSG_MAX_ATTACHMENTS, items nested deeper than MSG_MAX_DEPTH, attached
 * OLE objects and attachments by reference. */
#ifndef IG_MSG_H
#define IG_MSG_H

#include <glib.h>

/* Larger input is refused without being read. */
#define MSG_MAX_INPUT (32u << 20)
/* Bytes of streams read from one item in all (attachments included). */
#define MSG_MAX_CONTENT (25u << 20)
/* Bytes of one body (PR_BODY, PR_HTML). */
#define MSG_MAX_BODY (4u << 20)
/* Attachments converted from one item, nested items' included. */
#define MSG_MAX_ATTACHMENTS 64
/* Outlook items inside Outlook items converted. */
#define MSG_MAX_DEPTH 4

/* The message in the Outlook item data, or NULL with error (IG_ERROR,
 * IG_ERROR_INPUT): "not an Outlook item: ..." when data is not an OLE2
 * compound file holding a message, or a damaged one; "Outlook item too
 * large: ..." when it is beyond the limits above or those of the file's
 * directory (see msg_cfb.c). Caller unrefs the result. */
GBytes *msg_to_mime(const guint8 *data, gsize len, GError **error);

#endif

/* tnef.h - the text inside a winmail.dat (application/ms-tnef) part.
 *
 * Outlook wraps a message's body and attachments in TNEF when it sends
 * "Rich Text"; without unpacking, the report inside is invisible. libytnef
 * reads the stream after tnef.c has checked and re-framed it; the body is
 * the plain text body, else the HTML body as text, else the compressed RTF
 * body decompressed and turned into text. Pure: bytes in, parts out. */
#ifndef IG_TNEF_H
#define IG_TNEF_H

#include <glib.h>
#include "parsers/mail.h"

/* The message body, if any, first, with filename NULL and content_type
 * naming its source ("text/plain", "text/html" or "text/rtf"); then each
 * text attachment (text/... MIME tag, or a .txt .csv .log .htm .html .rtf
 * .md .xml .json name), filename never NULL, text as UTF-8 (HTML and RTF
 * converted). Empty array for anything that is not a readable TNEF stream
 * (or is over 32 MiB); never NULL. Caller frees the array, which owns its
 * parts (each freed with its filename, content_type and text).
 * When files is not NULL, every attachment that carries data, text or not,
 * is also appended to it as an IgFilePart* (name or NULL, MIME tag else a
 * type by name else application/octet-stream, size, SHA-256 of the data):
 * the attachments Outlook hid in winmail.dat, named as evidence. The
 * caller owns files and gives it a free function (mail_file_part_free). */
GPtrArray *tnef_text_parts(const void *data, gsize len, GPtrArray *files);

#endif

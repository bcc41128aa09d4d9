/* rtf.h - Outlook's RTF bodies as plain text.
 *
 * A TNEF (winmail.dat) body is often only PR_RTF_COMPRESSED: RTF packed by
 * the MS-OXRTFCP algorithm. These functions unpack it and read RTF as
 * text, including RTF that encapsulates an HTML original (\fromhtml1,
 * MS-OXRTFEX), which is rebuilt and passed through html_to_text. Output
 * and work are bounded for hostile input. Pure. */
#ifndef IG_RTF_H
#define IG_RTF_H

#include <glib.h>

/* The RTF inside a compressed-RTF stream (LZFu, or MELA stored), or NULL
 * if data is not one. The CRC is not checked: damage shows as odd text.
 * Caller unrefs. */
GByteArray *rtf_decompress(const void *data, gsize len);

/* RTF as UTF-8 text, stripped; never NULL. codepage is the Windows code
 * page for \'hh bytes when the RTF names none (\ansicpg); 0 = 1252. */
char *rtf_to_text(const void *rtf, gsize len, guint32 codepage);

/* Bytes in a Windows code page (0 = unknown) as valid UTF-8, with a UTF-8
 * or UTF-16 byte order mark honoured. Never NULL. */
char *codepage_to_utf8(const void *data, gsize len, guint32 codepage);

#endif

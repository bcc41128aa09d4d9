/* msg_cfb.h - the check an OLE2 compound file passes before libgsf reads
 * it (see msg_cfb.c for what libgsf would trip over). Used by msg.c only. */
#ifndef IG_MSG_CFB_H
#define IG_MSG_CFB_H

#include <glib.h>

/* TRUE when data is a compound file (MS-CFB) that libgsf reads without a
 * g_critical, in bounded stack and linear time. Else FALSE with error
 * (IG_ERROR_INPUT): "not an Outlook item: ..." for anything that is not a
 * sound compound file, "Outlook item too large: ..." for one whose
 * directory is beyond the limits of msg_cfb.c. */
gboolean msg_cfb_check(const guint8 *data, gsize len, GError **error);

#endif

/* msg_writer.h - Outlook items (.msg) written for the tests. Test-only:
 * not part of the product.
 *
 * The tests need .msg files and may not copy them from anywhere, so this
 * writes them from a description, with libgsf's GsfOutfileMSOle, in the
 * layout of MS-OXMSG: a property stream "__properties_version1.0" with
 * its header in each storage, a "__substg1.0_<tag>" stream per
 * variable-size property, "__recip_version1.0_#<n>" and
 * "__attach_version1.0_#<n>" storages, the "__nameid_version1.0" storage
 * and, for an attached item, a "__substg1.0_3701000D" storage holding it.
 * Strings are given as UTF-8 and written as PT_UNICODE, or as PT_STRING8
 * in a code page. */
#ifndef IG_MSG_WRITER_H
#define IG_MSG_WRITER_H

#include <glib.h>

typedef struct MsgWriterItem MsgWriterItem;

typedef struct {
  const char *filename;          /* PR_ATTACH_LONG_FILENAME, or NULL */
  const char *short_filename;    /* PR_ATTACH_FILENAME, or NULL */
  const char *mime_type;         /* PR_ATTACH_MIME_TAG, or NULL */
  const void *data;              /* PR_ATTACH_DATA_BIN (by value) */
  gsize len;
  const MsgWriterItem *embedded; /* instead of data: an attached item */
} MsgWriterAttachment;

struct MsgWriterItem {
  guint32 codepage;              /* 0: strings PT_UNICODE and HTML UTF-8
                                    (PR_INTERNET_CPID 65001); else strings
                                    PT_STRING8 and HTML in this code page,
                                    named by PR_MESSAGE_CODEPAGE and
                                    PR_INTERNET_CPID */
  const char *subject;
  const char *sender_name;       /* PR_SENDER_NAME */
  const char *sender_address;    /* SMTP: PR_SENDER_SMTP_ADDRESS and
                                    PR_SENDER_EMAIL_ADDRESS */
  const char *reply_to_name;     /* a one-off entry of
                                    PR_REPLY_RECIPIENT_ENTRIES */
  const char *reply_to_address;
  const char *to_name;           /* one recipient storage */
  const char *to_address;
  const char *transport_headers; /* PR_TRANSPORT_MESSAGE_HEADERS */
  const char *message_id;        /* PR_INTERNET_MESSAGE_ID */
  gint64 submit_time;            /* PR_CLIENT_SUBMIT_TIME, Unix time; 0 none */
  gint64 delivery_time;          /* PR_MESSAGE_DELIVERY_TIME */
  const char *body;              /* PR_BODY */
  const char *html;              /* PR_HTML, binary */
  const void *rtf;               /* PR_RTF_COMPRESSED, as given */
  gsize rtf_len;
  const MsgWriterAttachment *attachments;
  guint n_attachments;
  gboolean large_sectors;        /* 4096-byte sectors (a version 4 file)
                                    rather than 512; outermost item only */
};

/* The item as the bytes of a .msg file. Aborts on a libgsf error (a test
 * cannot go on without its file). Caller unrefs. */
GBytes *msg_writer_write(const MsgWriterItem *item);

#endif

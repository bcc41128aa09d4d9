/* msg_seeds.c - writes the seed corpus of fuzz_msg: msg_seeds DIR.
 *
 * Outlook items made by tests/unit/msg_writer.c, one per way in: transport
 * headers, headers from properties with Unicode and code-page strings,
 * both bodies, attachments large and small, an attached item, a body only
 * in compressed RTF, 4096-byte sectors. Run by seeds.py. */
#include <stdio.h>

#include "tests/unit/msg_writer.h"

static int save(const char *dir, const char *name, const MsgWriterItem *item)
{
  g_autoptr(GBytes) bytes = msg_writer_write(item);
  g_autofree char *path = g_build_filename(dir, name, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_file_set_contents(path, g_bytes_get_data(bytes, NULL), (gssize)g_bytes_get_size(bytes),
                           &error)) {
    fprintf(stderr, "msg_seeds: %s\n", error->message);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv)
{
  static const guint8 rtf[] = { 0x2d, 0, 0, 0, 0x2b, 0, 0, 0, 'L', 'Z', 'F', 'u', 1, 2, 3, 4,
                                0, '{', '\\', 'r', 't', 'f', '1', ' ', 'x', '}' };
  static const char headers[] =
      "Received: from mx.example.net by mail.example.gov.uk; Tue, 14 Nov 2023 22:13:25 +0000\r\n"
      "From: =?utf-8?q?Banque_S=C3=A9curit=C3=A9?= <alerts@example.net>\r\n"
      "To: staff@example.gov.uk\r\nSubject: Verify your account\r\n"
      "Message-ID: <phish-1@example.net>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n";
  g_autofree guint8 *large = g_malloc(6000);
  for (guint i = 0; i < 6000; i++)
    large[i] = (guint8)(i * 7919u >> 3);
  const MsgWriterAttachment attachments[] = {
    { .filename = "Facture été.pdf", .short_filename = "FACTUR~1.PDF",
      .mime_type = "application/pdf", .data = "%PDF-1.4\n", .len = 9 },
    { .short_filename = "DATA.BIN", .data = large, .len = 6000 },
  };
  const MsgWriterItem inner = { .subject = "Inner", .sender_name = "Bob",
                                .sender_address = "bob@example.org", .body = "inner body",
                                .attachments = attachments, .n_attachments = 1 };
  const MsgWriterAttachment forwarded = { .filename = "fwd.msg", .embedded = &inner };
  const MsgWriterItem items[] = {
    { .transport_headers = headers, .subject = "Verify", .body = "Click here.",
      .html = "<p>Click <a href=\"https://x.example\">here</a>.</p>" },
    { .subject = "Réunion – facture", .sender_name = "Jané Doe",
      .sender_address = "jane@example.org", .reply_to_name = "Collect",
      .reply_to_address = "collect@example.net", .to_name = "Staff",
      .to_address = "staff@example.gov.uk", .message_id = "<m1@example.org>",
      .submit_time = 1700000000, .body = "Bonjour ☃", .html = "<b>Bonjour</b>",
      .attachments = attachments, .n_attachments = 2 },
    { .codepage = 1252, .subject = "Café £5", .sender_name = "Société",
      .sender_address = "info@example.fr", .delivery_time = 1700000000,
      .body = "Payez 5 € maintenant", .html = "<p>5 €</p>" },
    { .subject = "FW: look", .body = "see attached", .attachments = &forwarded,
      .n_attachments = 1 },
    { .subject = "RTF only", .rtf = rtf, .rtf_len = sizeof rtf },
    { .subject = "Large sectors", .body = "body", .attachments = attachments,
      .n_attachments = 1, .large_sectors = TRUE },
  };
  if (argc != 2) {
    fprintf(stderr, "usage: msg_seeds DIR\n");
    return 2;
  }
  if (g_mkdir_with_parents(argv[1], 0755) != 0) {
    perror(argv[1]);
    return 1;
  }
  int failed = 0;
  for (guint i = 0; i < G_N_ELEMENTS(items); i++) {
    char name[32];
    g_snprintf(name, sizeof name, "item-%u.msg", i);
    failed |= save(argv[1], name, &items[i]);
  }
  return failed;
}

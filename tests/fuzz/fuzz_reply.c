/* fuzz_reply.c - a reply's own text and its commands (reply_own_text,
 * ost_commands_parse), on the input as a whole message and as a body. */
#include "tests/fuzz/fuzz.h"

#include <string.h>

#include "parsers/ost_command.h"
#include "parsers/reply.h"

/* What the case logic relies on, whatever the text. */
static void check(const char *body)
{
  g_autofree char *own = reply_own_text(body);
  if (!own || strlen(own) > strlen(body))
    abort();
  fuzz_check_utf8("own text", own);
  g_autoptr(IgOstCommands) c = ost_commands_parse(own, "INC");
  gboolean seen[IG_CMD_COUNT] = { FALSE };
  if (c->prose->len > OST_PROSE_MAX || c->errors->len > OST_COMMANDS_MAX + 1)
    abort();
  for (guint i = 0; i < c->commands->len; i++) {
    const IgOstCommand *cmd = g_ptr_array_index(c->commands, i);
    if (cmd->key >= IG_CMD_COUNT || seen[cmd->key] || !cmd->value || !cmd->line ||
        g_utf8_strlen(cmd->line, -1) > OST_COMMAND_LINE_MAX ||
        (cmd->reason && cmd->key != IG_CMD_STATUS) ||
        strlen(cmd->value) > OST_TEXT_MAX + 64)
      abort();
    seen[cmd->key] = TRUE;
    fuzz_check_utf8("value", cmd->value);
    fuzz_check_utf8("reason", cmd->reason);
    fuzz_check_utf8("line", cmd->line);
  }
  for (guint i = 0; i < c->prose->len; i++)
    fuzz_check_utf8("prose", g_ptr_array_index(c->prose, i));
  for (guint i = 0; i < c->errors->len; i++)
    fuzz_check_utf8("error", g_ptr_array_index(c->errors, i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  g_autofree char *text = fuzz_text(data, size);
  check(text);
  g_autoptr(IgMail) mail = mail_parse((const char *)data, size, NULL);
  if (mail)
    check(mail->body);
  return 0;
}

/* ost_command.h - the commands of an OST reply (SPEC section 7).
 *
 * Reads the reply's own text (reply.h) line by line: "Key: value" lines
 * whose key is a command (case-insensitive; "Near miss", "Near-miss" and
 * "near_miss" alike; bold markers "*Status:*" and a leading "- " bullet
 * allowed) are commands, every other non-blank line is prose, "Hi team:"
 * and "Subject: x" included. Values are checked and normalised here; a
 * command whose value is not allowed, or whose key was already given, is
 * refused with a line in errors and is not in commands. "Report:" and
 * "Note:" take the rest of their line and every following line up to the
 * next command line. Pure; linear in the text. */
#ifndef IG_OST_COMMAND_H
#define IG_OST_COMMAND_H

#include <glib.h>

typedef enum {
  IG_CMD_STATUS, IG_CMD_IMPACT, IG_CMD_CATEGORY, IG_CMD_OWNER, IG_CMD_NEAR_MISS,
  IG_CMD_PERSONAL_DATA, IG_CMD_DUPLICATE_OF, IG_CMD_REPORT, IG_CMD_NOTE,
  IG_CMD_COUNT
} IgOstCommandKey;

typedef struct {
  IgOstCommandKey key;
  char *value;   /* normalised: status, impact, category, personal data:
                    the canonical lower-case word ("investigating",
                    "medium", "data-breach", "unknown"); near miss "yes" or
                    "no"; owner a lower-case address; duplicate-of an
                    upper-case reference ("INC-2026-000041"); report and
                    note the text, multi-line, trimmed */
  char *reason;  /* Status only: what follows the status word ("Status:
                    rejected - not ours" gives "not ours"), else NULL */
  char *line;    /* the line as written, trimmed, cut to
                    OST_COMMAND_LINE_MAX characters */
} IgOstCommand;

typedef struct {
  GPtrArray *commands; /* IgOstCommand*, in the order given; each key once */
  GPtrArray *prose;    /* char*: the other non-blank lines, trimmed, each cut
                          to OST_COMMAND_LINE_MAX characters, at most
                          OST_PROSE_MAX of them */
  GPtrArray *errors;   /* char*: one line per refused command, for the
                          sender ("Impact: severe: not one of low, medium,
                          high", "Impact given twice") */
} IgOstCommands;

/* Lines kept for the confirmation are cut to this many characters. */
#define OST_COMMAND_LINE_MAX 200
/* Prose lines kept. */
#define OST_PROSE_MAX 50
/* Command lines read; past them one error says the rest was not read. */
#define OST_COMMANDS_MAX 50
/* Bytes of a Report or Note text kept; a longer one is cut and ends with
 * a line saying so. */
#define OST_TEXT_MAX (64 * 1024)
/* A Status reason is cut to this many characters. */
#define OST_REASON_MAX 500

/* own_text: the reply's own text (NULL taken as ""). reference_prefix:
 * the gateway's reference prefix, which a Duplicate-of reference must
 * carry (NULL taken as "INC", the default of the configuration). Never NULL; caller frees with ost_commands_free(). */
IgOstCommands *ost_commands_parse(const char *own_text, const char *reference_prefix);
void ost_commands_free(IgOstCommands *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgOstCommands, ost_commands_free)

/* TRUE when the len bytes at line are a command line ("Status: closed",
 * "*Impact:* high"), whatever its value. */
gboolean ost_command_line(const char *line, gsize len);

/* The key as the confirmation names it: "Status", "Near-miss",
 * "Personal-data", "Duplicate-of", ... Static. */
const char *ost_command_key_name(IgOstCommandKey key);

#endif

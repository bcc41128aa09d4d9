/* imap_script.h - a scripted, misbehaving IMAP server for unit tests.
 *
 * Plain TCP on 127.0.0.1, an ephemeral port, served by a thread of the
 * test. It follows a script of steps, in order:
 *   "C: VERB"  read one command line; it must start with VERB (after the
 *              tag: "UID MOVE", "LOGIN"; "DONE" ends an IDLE and has none)
 *   "S: text"  send text; "\n" becomes CRLF and a "$" that starts a line
 *              becomes the tag of the last command (so "$ NO [..] refused")
 *   "CLOSE"    drop the connection, in the middle of anything
 *   "ACCEPT"   take the next connection (the first is taken unasked)
 * Literal sizes ({N}) in "S:" text count each line end as two bytes. Once
 * the script is done it answers LOGOUT and closes on anything else. A
 * command that does not match ends the run, and the log says so. */
#ifndef IG_TEST_IMAP_SCRIPT_H
#define IG_TEST_IMAP_SCRIPT_H

#include <glib.h>

typedef struct ImapScript ImapScript;

/* Starts serving steps (NULL-terminated; borrowed until finish). */
ImapScript *imap_script_start(const char *const *steps);

guint16 imap_script_port(const ImapScript *script);

/* Ends the run once the client has gone (it gives up after a few seconds
 * in case it never does) and returns what the server received: each
 * command line without its tag, one a line, and a line "unexpected: ..."
 * or "unscripted: ..." where the client left the script. Frees script;
 * caller frees the log. */
char *imap_script_finish(ImapScript *script);

#endif

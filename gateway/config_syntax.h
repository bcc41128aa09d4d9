/* config_syntax.h - internal to config.c: the syntax of configuration
 * values and lines. Everyone else includes config.h only.
 *
 * Pure text in, values out: no IgConfig, no files. Functions returning
 * char * give NULL when the text is good, else the reason (caller frees),
 * worded to follow "[section] key = "value": ". config_parse_duration()
 * and config_parse_size(), public in config.h, live here too. */
#ifndef IG_CONFIG_SYNTAX_H
#define IG_CONFIG_SYNTAX_H

#include <glib.h>

/* COUNT/WINDOW such as 10/h or 20/30m: count >= 1, window in seconds. */
gboolean syntax_parse_rate(const char *text, int *count, gint64 *window);

/* HH:MM, 00:00 to 23:59. */
gboolean syntax_parse_time_of_day(const char *text, int *hour, int *minute);

/* A DNS host name of two or more labels. */
gboolean syntax_is_domain(const char *s);

/* local@domain (or local@localhost), nothing fancier. */
gboolean syntax_is_email(const char *s);

/* "Name <addr>" or addr, the address lowered; NULL when neither.
 * Caller frees. */
char *syntax_from_address(const char *text);

/* Runs of white space made one space, the form asset names compare in
 * (case-insensitively). Caller frees. */
char *syntax_asset_norm(const char *s);

/* 127.0.0.1, ::1 or localhost. */
gboolean syntax_is_loopback(const char *host);

/* Host of scheme://[user@]host[:port][/path][;opts]; "" if none. Caller
 * frees. */
char *syntax_url_host(const char *url);

/* text starts with schemes[0] and a PATH, or with schemes[1] or [2] and a
 * host; hint names the forms in the reason. */
char *syntax_check_url(const char *text, const char *const schemes[3], const char *hint);

/* https://HOST, or http:// to a loopback host. */
char *syntax_check_webhook_url(const char *text);

/* Comma separated, trimmed, empty items dropped; NULL-terminated. */
char **syntax_split_list(const char *text);

/* A comma list whose every item passes ok(), lowered, into *list_out (caller
 * frees); the reason calls a bad item not `what`. */
char *syntax_parse_list(const char *text, gboolean (*ok)(const char *), const char *what,
                        char ***list_out);

/* The index of text in the NULL-terminated words into *index. */
char *syntax_one_of(const char *text, const char *const *words, int *index);

/* The INI text made acceptable to GKeyFile, line for line: ';' and '#'
 * comments blanked or cut, a UTF-8 BOM dropped. Shapes GKeyFile would
 * reject without a line number fail here with IG_ERROR_CONFIG naming
 * name:LINE. Caller frees. */
char *syntax_preprocess(const char *data, gsize len, const char *name, GError **error);

#endif

/* html.h - HTML to readable plain text with libxml2's HTML parser.
 *
 * Block elements become line breaks, list items get "- ", table cells are
 * separated by " | ", links keep their target ("text <url>"); scripts,
 * styles and comments are dropped. Pure. */
#ifndef IG_HTML_H
#define IG_HTML_H

#include <glib.h>

/* html is UTF-8; returns UTF-8 text, never NULL. Caller frees. */
char *html_to_text(const char *html, gsize len);

#endif

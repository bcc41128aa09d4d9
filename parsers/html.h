/* html.h - HTML to readable plain text with libxml2's HTML parser.
 *
 * Block elements become line breaks, list items get "- ", table cells are
 * separated by " | ", links keep their target ("text <url>"), lines inside
 * a <blockquote> (the quoted message of a reply) start with "> "; scripts,
 * styles and comments are dropped. Linear in the markup. Pure. */
#ifndef IG_HTML_H
#define IG_HTML_H

#include <glib.h>

/* html is UTF-8; returns UTF-8 text, never NULL. Caller frees. */
char *html_to_text(const char *html, gsize len);

/* As html_to_text(); *cut (may be NULL) is set when markup nested deeper
 * than the converter reads was left out, with whatever followed it. */
char *html_to_text_cut(const char *html, gsize len, gboolean *cut);

#endif

/* module.h - loading the gateway's own modules (ig-net.so, netmod.h;
 * ig-pg.so, pgmod.h): what needs a heavy library is loaded only by the
 * processes that use it. */
#ifndef IG_MODULE_H
#define IG_MODULE_H

#include <glib.h>

/* The table named symbol in the module file, found beside the executable
 * (a build tree), else in LIBDIR/incident-gateway of the prefix it is
 * installed under; the module stays loaded for the life of the process.
 * NULL with an error naming what (e.g. "the network module") when it
 * cannot be loaded. */
gpointer module_table(const char *file, const char *symbol, const char *what, GError **error);

#endif

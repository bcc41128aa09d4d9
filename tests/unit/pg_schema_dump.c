/* pg_schema_dump.c - prints the store's schema migrations for
 * pg_schema_check.sh, which runs them with psql and sqlite3:
 *
 *   pg_schema_dump --version  the version PostgreSQL's reach
 *   pg_schema_dump N          PostgreSQL's migration from version N
 *   pg_schema_dump --sqlite   SQLite's, all in order, to compare with
 */
#include <stdio.h>
#include <string.h>

#include "gateway/store_pg_schema.h"
#include "gateway/store_db.h"

int main(int argc, char **argv)
{
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    printf("%d\n", pg_schema_version());
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "--sqlite") == 0) {
    for (int v = 0; v < sq_schema_version(); v++)
      printf("%s\n", sq_migration(v));
    return 0;
  }
  gint64 from = -1;
  if (argc != 2 || !g_ascii_string_to_signed(argv[1], 10, 0, pg_schema_version() - 1, &from,
                                             NULL)) {
    fprintf(stderr, "usage: %s --version | N (0 <= N < %d) | --sqlite\n", argv[0],
            pg_schema_version());
    return 2;
  }
  printf("%s\n", pg_migration((int)from));
  return 0;
}

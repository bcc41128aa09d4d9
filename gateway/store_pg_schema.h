/* store_pg_schema.h - the case store's schema on PostgreSQL, as the
 * migrations that build it one version after another (store_pg_schema.c).
 * Internal to the store; the PostgreSQL counterpart of sq_schema_version()
 * and sq_migration() (store_db.h). */
#ifndef IG_STORE_PG_SCHEMA_H
#define IG_STORE_PG_SCHEMA_H

/* The schema version this program writes on PostgreSQL, and the SQL that
 * brings it from from_version to the next, 0 <= from_version <
 * pg_schema_version(). Each migration records the version it reaches in
 * the table schema_version (one row), so the whole list run in one
 * transaction, under a lock that keeps a second process out, leaves the
 * schema and its version in step. */
int pg_schema_version(void);
const char *pg_migration(int from_version);

#endif

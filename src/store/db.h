/* db.h: the SQLite backend's connection and schema. Internal to src/store/.
 *
 * Schema (version WK_DB_SCHEMA in PRAGMA user_version, WK_DB_APP_ID in
 * PRAGMA application_id):
 *   docs(key, id, hash, name, path, title, npages, nunits, tokens, added, bytes, json,
 *        pack, ix)                        pack: the document (stored.c), ix: its sampler
 *                                          index; json: the document as schema 1 wrote it
 *   units(doc, idx, type, page, tokens)    one row per unit: counts and integrity checks
 *   pages(key, doc, page)                   one row per page + page 0 (the document head)
 *   page_fts(body)                          FTS5 over pages, rowid = pages.key
 *   vectors(doc, model, dim, vec)           unit vectors of one embedding model (schema 3)
 * A document is written in one transaction, so a crash leaves it whole or absent. */
#ifndef WK_STORE_DB_H
#define WK_STORE_DB_H

#include "store.h"

#include <sqlite3.h>

#define WK_DB_APP_ID 0x574b4c42 /* "WKLB" */
#define WK_DB_SCHEMA 3

typedef struct wk_sqlite {
	wk_store base;
	sqlite3 *db;
	char *path;
	int format;   /* the document JSON format this version reads; 0 until needed */
} wk_sqlite;

/* Opens the connection, sets WAL, busy timeout and foreign keys, creates or migrates the
 * schema; a newer or foreign database gives WK_EVERSION. */
int wk_db_open(const char *path, sqlite3 **out, wk_error *err);

/* Fills err with WK_EDB, the database path and SQLite's message; returns WK_EDB. */
int wk_db_error(sqlite3 *db, wk_error *err, const char *what);

/* Prepares `sql`; on failure fills err and returns NULL. */
sqlite3_stmt *wk_db_prepare(sqlite3 *db, const char *sql, wk_error *err);

/* Runs statements without results; fills err on failure. */
int wk_db_exec(sqlite3 *db, const char *sql, wk_error *err);

#endif /* WK_STORE_DB_H */

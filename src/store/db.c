/* db.c: opening the library database: pragmas, version checks, table-driven migrations. */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* migrations[v] brings a database from schema v to v + 1; v = 0 is a new database. */
static const char *const migrations[] = {
	"CREATE TABLE docs("
	"  key INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL UNIQUE,"
	"  hash TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  npages INTEGER NOT NULL,"
	"  nunits INTEGER NOT NULL,"
	"  tokens INTEGER NOT NULL,"
	"  added INTEGER NOT NULL,"
	"  bytes INTEGER NOT NULL,"
	"  json BLOB NOT NULL);"
	"CREATE INDEX docs_path ON docs(path);"
	"CREATE INDEX docs_name ON docs(name);"
	"CREATE TABLE units("
	"  doc INTEGER NOT NULL REFERENCES docs(key) ON DELETE CASCADE,"
	"  idx INTEGER NOT NULL,"
	"  type INTEGER NOT NULL,"
	"  page INTEGER NOT NULL,"
	"  tokens INTEGER NOT NULL,"
	"  PRIMARY KEY(doc, idx)) WITHOUT ROWID;"
	"CREATE TABLE pages("
	"  key INTEGER PRIMARY KEY,"
	"  doc INTEGER NOT NULL REFERENCES docs(key) ON DELETE CASCADE,"
	"  page INTEGER NOT NULL);"
	"CREATE INDEX pages_doc ON pages(doc);"
	"CREATE VIRTUAL TABLE page_fts USING fts5(body,"
	"  tokenize = 'porter unicode61 remove_diacritics 2');",
	/* 2: documents stored as packs (stored.c) with their sampler index; json stays for
	 * the documents written before, and is empty in new rows. */
	"ALTER TABLE docs ADD COLUMN pack BLOB;"
	"ALTER TABLE docs ADD COLUMN ix BLOB;",
	/* 3: unit vectors of an embedding model (vectors.c), one row per document and model:
	 * a document's units together, as they are read together. */
	"CREATE TABLE vectors("
	"  doc INTEGER NOT NULL REFERENCES docs(key) ON DELETE CASCADE,"
	"  model TEXT NOT NULL,"
	"  dim INTEGER NOT NULL,"
	"  vec BLOB NOT NULL,"
	"  PRIMARY KEY(doc, model));",
};
_Static_assert(WK_ARRAY_LEN(migrations) == WK_DB_SCHEMA, "one migration per schema version");

int wk_db_error(sqlite3 *db, wk_error *err, const char *what)
{
	const char *file = db ? sqlite3_db_filename(db, "main") : NULL;
	return wk_set_error(err, WK_EDB, "%s: %s: %s", file && *file ? file : "library", what,
	                    db ? sqlite3_errmsg(db) : "out of memory");
}

sqlite3_stmt *wk_db_prepare(sqlite3 *db, const char *sql, wk_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		wk_db_error(db, err, "preparing a query");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int wk_db_exec(sqlite3 *db, const char *sql, wk_error *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return wk_db_error(db, err, "writing");
	return WK_OK;
}

static int pragma_int(sqlite3 *db, const char *sql, int *value, wk_error *err)
{
	sqlite3_stmt *st = wk_db_prepare(db, sql, err);
	if (!st)
		return WK_EDB;
	int rc = sqlite3_step(st);
	*value = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? WK_OK : wk_db_error(db, err, "reading");
}

/* A database that is not ours: another program's, or not a database at all. */
static int foreign(const char *path, wk_error *err, const char *why)
{
	return wk_set_error(err, WK_EVERSION, "%s: not a wukong library (%s)", path, why);
}

static int check_version(sqlite3 *db, const char *path, int *version, wk_error *err)
{
	int app = 0, tables = 0;
	if (sqlite3_exec(db, "SELECT 1 FROM sqlite_master LIMIT 1", NULL, NULL, NULL) ==
	    SQLITE_NOTADB)
		return foreign(path, err, "not an SQLite database");
	/* The three in one read transaction: another process may be creating the library
	 * right now, and its tables without its application id would look foreign. */
	int rc = wk_db_exec(db, "BEGIN", err);
	if (!rc)
		rc = pragma_int(db, "PRAGMA application_id", &app, err) ||
		     pragma_int(db, "PRAGMA user_version", version, err) ||
		     pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables, err);
	int code = sqlite3_errcode(db);
	sqlite3_exec(db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	if (rc)
		return code == SQLITE_NOTADB ? foreign(path, err, "not an SQLite database") : WK_EDB;
	if (app == 0 && *version == 0 && tables == 0)
		return WK_OK; /* new and empty: ours to set up */
	if ((uint32_t)app != WK_DB_APP_ID) {
		char why[64];
		snprintf(why, sizeof why, "application id 0x%08x", (unsigned)app);
		return foreign(path, err, why);
	}
	if (*version > WK_DB_SCHEMA)
		return wk_set_error(err, WK_EVERSION,
		                    "%s: library schema %d is newer than this wukong reads (%d); "
		                    "upgrade wukong",
		                    path, *version, WK_DB_SCHEMA);
	return WK_OK;
}

/* Runs the missing migrations in one transaction, re-reading the version under the write
 * lock because another process may have migrated meanwhile. */
static int migrate(sqlite3 *db, wk_error *err)
{
	int version = 0;
	if (wk_db_exec(db, "BEGIN IMMEDIATE", err))
		return WK_EDB;
	int rc = pragma_int(db, "PRAGMA user_version", &version, err);
	for (int v = version; !rc && v < WK_DB_SCHEMA; v++)
		rc = wk_db_exec(db, migrations[v], err);
	if (!rc && version < WK_DB_SCHEMA) {
		char tail[96];
		snprintf(tail, sizeof tail, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
		         (int)WK_DB_APP_ID, WK_DB_SCHEMA);
		rc = wk_db_exec(db, tail, err);
	}
	if (!rc)
		rc = wk_db_exec(db, "COMMIT", err);
	if (rc)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

enum { BUSY_WAIT_MS = 10000 }; /* how long a writer waits for another one */

/* WAL: readers (ls, ask) go on while add writes. Switching a new database to WAL takes an
 * exclusive lock without calling the busy handler, so two processes creating the same
 * library at once would see "database is locked" at once: the switch is retried here for
 * as long as the busy timeout would have waited. The mode is persistent, so only the
 * first opening of a library ever waits. */
static int set_wal(sqlite3 *db, wk_error *err)
{
	double until = wk_now_ms() + BUSY_WAIT_MS;
	for (;;) {
		int rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return WK_OK;
		if ((rc & 0xff) != SQLITE_BUSY || wk_now_ms() > until)
			return wk_db_error(db, err, "setting up");
		wk_sleep_ms(5);
	}
}

static int setup(sqlite3 *db, const char *path, wk_error *err)
{
	sqlite3_busy_timeout(db, BUSY_WAIT_MS);
	int version = 0;
	int rc = check_version(db, path, &version, err);
	if (rc)
		return rc;
	/* NORMAL sync is crash-safe in WAL. */
	if (set_wal(db, err) ||
	    wk_db_exec(db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", err))
		return WK_EDB;
	return version < WK_DB_SCHEMA ? migrate(db, err) : WK_OK;
}

int wk_db_open(const char *path, sqlite3 **out, wk_error *err)
{
	*out = NULL;
	char *dir = wk_xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = WK_OK;
	if (slash && slash != dir) {
		*slash = '\0';
		rc = wk_mkdirs(dir, err);
	}
	free(dir);
	if (rc)
		return rc;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                                   SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		rc = wk_set_error(err, WK_EDB, "%s: cannot open the library: %s", path,
		                  db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return rc;
	}
	rc = setup(db, path, err);
	if (rc) {
		sqlite3_close(db);
		return rc;
	}
	*out = db;
	return WK_OK;
}

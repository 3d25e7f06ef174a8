/* pg_db.c: connecting to a PostgreSQL library: the URI, messages without the password,
 * reconnection, version checks and table-driven migrations (as db.c for SQLite). */
#include "db.h"
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONNECT_TIMEOUT "10" /* seconds, unless the URI says otherwise */

/* migrations[v] brings a library from schema v to v + 1; v = 0 is a new one. */
static const char *const migrations[] = {
	"CREATE TABLE wk_meta(name text PRIMARY KEY, value bigint NOT NULL);"
	"CREATE TABLE docs("
	"  key bigserial PRIMARY KEY,"
	"  id text NOT NULL UNIQUE,"
	"  hash text NOT NULL UNIQUE,"
	"  name text NOT NULL,"
	"  path text NOT NULL,"
	"  title text NOT NULL,"
	"  npages integer NOT NULL,"
	"  nunits integer NOT NULL,"
	"  tokens integer NOT NULL,"
	"  added bigint NOT NULL,"
	"  bytes bigint NOT NULL,"
	"  pack bytea NOT NULL,"
	"  ix bytea NOT NULL,"
	"  spages integer NOT NULL,"
	"  stokens bigint NOT NULL);"
	"CREATE INDEX docs_path ON docs(path);"
	"CREATE INDEX docs_name ON docs(name);"
	"CREATE TABLE postings("
	"  term text NOT NULL,"
	"  doc bigint NOT NULL REFERENCES docs(key) ON DELETE CASCADE,"
	"  page integer NOT NULL,"
	"  tf integer NOT NULL,"
	"  len integer NOT NULL,"
	"  PRIMARY KEY(term, doc, page));"
	"CREATE INDEX postings_doc ON postings(doc);"
	"CREATE TABLE files("
	"  hash text PRIMARY KEY REFERENCES docs(hash) ON DELETE CASCADE,"
	"  data bytea NOT NULL);",
	/* 2: a term's postings read from the index alone: its rows lie all over the table (a
	 * document's rows go in together), so fetching each from the heap was one page read
	 * per posting (bench/library, 30k pages: 580 ms for two terms, 24 ms from the index;
	 * index-only needs the visibility map, which autovacuum keeps). */
	"ALTER TABLE postings DROP CONSTRAINT postings_pkey,"
	"  ADD PRIMARY KEY(term, doc, page) INCLUDE (tf, len);",
	/* 3: one postings row per term of a document (up to WK_PG_PART pages each) instead of
	 * per term of a page, and no foreign key (deletes take the postings along, pg_store.c):
	 * a 30-page document writes about a fifth as many rows, without a key check per row
	 * (bench/library: 19 -> see docs/library.md pages/s). term in the "C" collation: the
	 * key compares bytes whatever the database's locale. The packs are deflated already:
	 * stored without pglz trying again. */
	"CREATE TABLE postings3("
	"  term text COLLATE \"C\" NOT NULL,"
	"  doc bigint NOT NULL,"
	"  part integer NOT NULL,"
	"  n integer NOT NULL,"
	"  pl bytea NOT NULL);"
	"INSERT INTO postings3 SELECT term, doc, (r - 1) / 64, count(*),"
	"  string_agg(int4send(page) || int4send(tf) || int4send(len), ''::bytea ORDER BY page)"
	"  FROM (SELECT *, row_number() OVER (PARTITION BY term, doc ORDER BY page) AS r"
	"        FROM postings) s GROUP BY term, doc, (r - 1) / 64;"
	"DROP TABLE postings;"
	"ALTER TABLE postings3 RENAME TO postings;"
	"ALTER TABLE postings ADD PRIMARY KEY(term, doc, part) INCLUDE (n, pl);"
	"CREATE INDEX postings_doc ON postings(doc);"
	"ALTER TABLE docs ALTER pack SET STORAGE EXTERNAL, ALTER ix SET STORAGE EXTERNAL;",
	/* 4: unit vectors of an embedding model (pg_vectors.c), as in SQLite; float32s do
	 * not compress, so they are stored out of line without trying. */
	"CREATE TABLE vectors("
	"  doc bigint NOT NULL REFERENCES docs(key) ON DELETE CASCADE,"
	"  model text NOT NULL,"
	"  dim integer NOT NULL,"
	"  vec bytea NOT NULL,"
	"  PRIMARY KEY(doc, model));"
	"ALTER TABLE vectors ALTER COLUMN vec SET STORAGE EXTERNAL;",
};
_Static_assert(WK_PG_PART == 64, "migration 3 cuts postings rows at 64 pages");
_Static_assert(WK_ARRAY_LEN(migrations) == WK_PG_SCHEMA, "one migration per schema version");

/* The library's write lock: one per schema, so that libraries side by side in one
 * database do not wait for each other. */
#define WRITE_LOCK "SELECT pg_advisory_xact_lock(hashtextextended('wukong:' || current_schema(), 0))"

int wk_pg_is_uri(const char *path)
{
	const char *colon = path ? strstr(path, "://") : NULL;
	if (!colon || colon == path)
		return 0;
	for (const char *p = path; p < colon; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '+'))
			return 0;
	return 1;
}

/* postgresql://user@host:port/db (the parts the URI gives), without the password. */
static char *display_name(const char *uri)
{
	PQconninfoOption *opts = PQconninfoParse(uri, NULL);
	const char *user = NULL, *host = NULL, *port = NULL, *db = NULL;
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (!strcmp(o->keyword, "user"))
			user = o->val;
		else if (!strcmp(o->keyword, "host"))
			host = o->val;
		else if (!strcmp(o->keyword, "port"))
			port = o->val;
		else if (!strcmp(o->keyword, "dbname"))
			db = o->val;
	}
	wk_buf b;
	wk_buf_init(&b, 4096);
	wk_buf_printf(&b, "postgresql://%s%s%s%s%s/%s", user ? user : "", user ? "@" : "",
	              host && host[0] != '/' ? host : "", port ? ":" : "", port ? port : "",
	              db ? db : "");
	if (host && host[0] == '/')
		wk_buf_printf(&b, "?host=%s", host);
	PQconninfoFree(opts);
	return wk_buf_steal(&b);
}

/* The first line of a libpq message, without its "ERROR:" or "FATAL:" prefix. */
static void first_line(const char *msg, char *out, size_t size)
{
	msg = msg ? msg : "";
	while (*msg == ' ')
		msg++;
	size_t n = strcspn(msg, "\n");
	snprintf(out, size, "%.*s", (int)n, msg);
}

int wk_pg_error(wk_pg *s, wk_error *err, const char *what, const PGresult *res)
{
	char line[400];
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	first_line(primary ? primary : PQerrorMessage(s->conn), line, sizeof line);
	if (PQstatus(s->conn) != CONNECTION_OK)
		return wk_set_error(err, WK_EDB, "%s: the database is unreachable (%s): %s", s->display,
		                    what, line);
	return wk_set_error(err, WK_EDB, "%s: %s: %s", s->display, what, line);
}

static void quiet_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* NOTICEs are PostgreSQL's chatter, not our messages */
}

static PGconn *connect_to(const char *uri)
{
	const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
	const char *const values[] = {CONNECT_TIMEOUT, "wukong", uri, NULL};
	PGconn *conn = PQconnectdbParams(keys, values, 1);
	if (conn)
		PQsetNoticeProcessor(conn, quiet_notices, NULL);
	return conn;
}

void wk_pg_forget_prepared(wk_pg *s)
{
	for (int i = 0; i < s->nprepared; i++)
		free(s->prepared[i]);
	s->nprepared = 0;
}

int wk_pg_alive(wk_pg *s, wk_error *err)
{
	if (PQstatus(s->conn) == CONNECTION_OK)
		return WK_OK;
	wk_pg_forget_prepared(s); /* a new session has none */
	PQreset(s->conn);
	if (PQstatus(s->conn) == CONNECTION_OK)
		return WK_OK;
	return wk_pg_error(s, err, "connecting", NULL);
}

static int result_ok(const PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);
	return st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
}

/* Planning was a good part of a short query's time: each statement is planned once per
 * connection. */
int wk_pg_prepared(wk_pg *s, const char *sql, int n, char name[16])
{
	int i = 0;
	while (i < s->nprepared && strcmp(s->prepared[i], sql))
		i++;
	snprintf(name, 16, "wk%d", i);
	if (i < s->nprepared)
		return 1;
	if (i >= WK_PG_PREPARED)
		return 0;
	PGresult *res = PQprepare(s->conn, name, sql, n, NULL);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (ok)
		s->prepared[s->nprepared++] = wk_xstrdup(sql);
	return ok;
}

/* Statements without parameters may be several (migrations): the simple protocol. */
static PGresult *run(wk_pg *s, const char *sql, int n, const char *const *params, int binary)
{
	if (n == 0 && !binary)
		return PQexec(s->conn, sql);
	char name[16];
	if (wk_pg_prepared(s, sql, n, name))
		return PQexecPrepared(s->conn, name, n, params, NULL, NULL, binary);
	return PQexecParams(s->conn, sql, n, NULL, params, NULL, NULL, binary);
}

PGresult *wk_pg_query(wk_pg *s, const char *sql, int n, const char *const *params, int binary,
                      wk_error *err)
{
	if (wk_pg_alive(s, err))
		return NULL;
	int idle = PQtransactionStatus(s->conn) == PQTRANS_IDLE;
	PGresult *res = run(s, sql, n, params, binary);
	/* The server went away between two statements (restarted): outside a transaction the
	 * statement is simply run again on a new connection. */
	if (!result_ok(res) && idle && PQstatus(s->conn) == CONNECTION_BAD) {
		PQclear(res);
		res = NULL;
		wk_pg_forget_prepared(s);
		if (wk_pg_alive(s, err))
			return NULL;
		res = run(s, sql, n, params, binary);
	}
	if (!result_ok(res)) {
		wk_pg_error(s, err, "querying", res);
		PQclear(res);
		return NULL;
	}
	return res;
}

int wk_pg_exec(wk_pg *s, const char *sql, wk_error *err)
{
	PGresult *res = wk_pg_query(s, sql, 0, NULL, 0, err);
	PQclear(res);
	return res ? WK_OK : WK_EDB;
}

int wk_pg_begin_write(wk_pg *s, wk_error *err)
{
	if (wk_pg_exec(s, "BEGIN", err))
		return WK_EDB;
	if (wk_pg_exec(s, WRITE_LOCK, err)) {
		PQclear(PQexec(s->conn, "ROLLBACK"));
		return WK_EDB;
	}
	return WK_OK;
}

int wk_pg_end(wk_pg *s, int rc, wk_error *err)
{
	if (!rc)
		return wk_pg_exec(s, "COMMIT", err);
	if (PQstatus(s->conn) == CONNECTION_OK)
		PQclear(PQexec(s->conn, "ROLLBACK"));
	return rc;
}

/* One bigint of wk_meta, or -1. */
static int meta_value(wk_pg *s, const char *name, int64_t *value, wk_error *err)
{
	PGresult *res = wk_pg_query(s, "SELECT value FROM wk_meta WHERE name = $1", 1,
	                            (const char *const[]){name}, 0, err);
	if (!res)
		return WK_EDB;
	*value = PQntuples(res) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : -1;
	PQclear(res);
	return WK_OK;
}

/* *version = 0 for a new library (an empty schema), else its schema version. */
static int check_version(wk_pg *s, int64_t *version, wk_error *err)
{
	PGresult *res = wk_pg_query(s,
	                            "SELECT current_schema() IS NULL, to_regclass('wk_meta') IS NULL, "
	                            "(SELECT count(*) FROM pg_tables WHERE schemaname = "
	                            "current_schema())",
	                            0, NULL, 0, err);
	if (!res)
		return WK_EDB;
	int noschema = *PQgetvalue(res, 0, 0) == 't', nometa = *PQgetvalue(res, 0, 1) == 't';
	long tables = strtol(PQgetvalue(res, 0, 2), NULL, 10);
	PQclear(res);
	*version = 0;
	if (noschema)
		return wk_set_error(err, WK_EINVAL, "%s: no schema to keep the library in (search_path)",
		                    s->display);
	if (nometa)
		return tables ? wk_set_error(err, WK_EVERSION, "%s: not a wukong library (other tables)",
		                             s->display)
		              : WK_OK;
	int64_t app = -1;
	if (meta_value(s, "app", &app, err) || meta_value(s, "schema", version, err))
		return WK_EDB;
	if (app != WK_DB_APP_ID)
		return wk_set_error(err, WK_EVERSION, "%s: not a wukong library (application id)",
		                    s->display);
	if (*version > WK_PG_SCHEMA)
		return wk_set_error(err, WK_EVERSION,
		                    "%s: library schema %lld is newer than this wukong reads (%d); "
		                    "upgrade wukong",
		                    s->display, (long long)*version, WK_PG_SCHEMA);
	return WK_OK;
}

/* Runs the missing migrations under the write lock, in one transaction; the version is
 * read again under the lock because another process may have migrated meanwhile. */
static int migrate(wk_pg *s, wk_error *err)
{
	int rc = wk_pg_begin_write(s, err);
	if (rc)
		return rc;
	int64_t version = 0;
	rc = check_version(s, &version, err);
	for (int64_t v = version; !rc && v < WK_PG_SCHEMA; v++)
		rc = wk_pg_exec(s, migrations[v], err);
	if (!rc && version < WK_PG_SCHEMA) {
		char meta[200];
		snprintf(meta, sizeof meta,
		         "INSERT INTO wk_meta VALUES('app', %d), ('schema', %d) ON CONFLICT(name) DO "
		         "UPDATE SET value = excluded.value",
		         (int)WK_DB_APP_ID, WK_PG_SCHEMA);
		rc = wk_pg_exec(s, meta, err);
	}
	return wk_pg_end(s, rc, err);
}

static int setup(wk_pg *s, wk_error *err)
{
	if (PQstatus(s->conn) != CONNECTION_OK)
		return wk_pg_error(s, err, "connecting", NULL);
	int64_t version = 0;
	int rc = check_version(s, &version, err);
	if (!rc && version < WK_PG_SCHEMA)
		rc = migrate(s, err);
	if (!rc)
		rc = wk_pg_terms_open(s, err);
	return rc;
}

int wk_pg_connect(const char *uri, wk_pg *s, wk_error *err)
{
	if (wk_pq_load(err) != WK_OK)
		return WK_EDB;
	s->uri = wk_xstrdup(uri);
	s->display = display_name(uri);
	PQconninfoOption *check = PQconninfoParse(uri, NULL);
	if (!check)
		return wk_set_error(err, WK_EINVAL, "%s: not a valid PostgreSQL URI", s->display);
	PQconninfoFree(check);
	s->conn = connect_to(uri);
	if (!s->conn)
		return wk_set_error(err, WK_ENOMEM, "%s: out of memory", s->display);
	return setup(s, err);
}

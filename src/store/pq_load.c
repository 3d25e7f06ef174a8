/* pq_load.c: libpq, loaded the first time a PostgreSQL library is opened.
 *
 * Linked at build time, libpq made every command load 22 more shared libraries (OpenSSL,
 * Kerberos, LDAP, GnuTLS and theirs) and bind some 7,600 symbols before main: start-up
 * went from about 20 to 40 ms of CPU (`perf stat wukong --version`, bench/startup.sh),
 * paid by each `wukong parse` although only a postgresql:// library needs it. So the
 * functions of libpq the store calls are defined here, each passing the call on to the
 * library opened with dlopen() on first use. The PostgreSQL code keeps calling PQexec()
 * and the rest as documented by libpq-fe.h.
 *
 * The library is "libpq.so.5" (Debian's libpq5), or the file WK_LIBPQ names. When it
 * cannot be loaded, wk_pq_load fails with WK_EDB and a one-line message saying what to
 * install; the entry points (connecting, parsing a URI) then return NULL, and the
 * functions a caller applies to such a NULL answer as libpq does for one (a bad
 * connection, a failed result, no rows). */
#include "pg.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define PQ_FUNCTIONS(X) \
	X(PQbackendPID) X(PQclear) X(PQcmdTuples) X(PQconnectdb) X(PQconnectdbParams) \
	X(PQconninfoFree) X(PQconninfoParse) X(PQerrorMessage) X(PQexec) X(PQexecParams) \
	X(PQexecPrepared) X(PQfinish) X(PQgetResult) X(PQgetlength) X(PQgetvalue) \
	X(PQntuples) X(PQprepare) X(PQputCopyData) X(PQputCopyEnd) X(PQreset) \
	X(PQresultErrorField) X(PQresultStatus) X(PQsetNoticeProcessor) X(PQstatus) \
	X(PQtransactionStatus)

#define PQ_FIELD(name) __typeof__(name) *name;
static struct {
	PQ_FUNCTIONS(PQ_FIELD)
} pq;

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static char pq_problem[400]; /* why loading failed; "" when it worked */

static void load_once(void)
{
	const char *file = getenv("WK_LIBPQ");
	file = file && *file ? file : "libpq.so.5";
	void *lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		const char *why = dlerror();
		snprintf(pq_problem, sizeof pq_problem, "cannot load %s (%s)", file, why ? why : "not found");
		return;
	}
	const char *missing = NULL;
#define PQ_LOAD(name) \
	if (!(pq.name = (__typeof__(name) *)dlsym(lib, #name)) && !missing) \
		missing = #name;
	PQ_FUNCTIONS(PQ_LOAD)
#undef PQ_LOAD
	if (missing) {
		snprintf(pq_problem, sizeof pq_problem, "%s lacks %s (too old a libpq)", file, missing);
		pq.PQconnectdb = NULL; /* the marker of a loaded library */
	}
}

int wk_pq_load(wk_error *err)
{
	pthread_once(&pq_once, load_once);
	if (pq.PQconnectdb)
		return WK_OK;
	return wk_set_error(err, WK_EDB, "the PostgreSQL client library is needed for a postgresql:// "
	                    "library: %s; install libpq5", pq_problem);
}

static bool loaded(void)
{
	return wk_pq_load(NULL) == WK_OK;
}

/* The entry points: NULL when libpq is absent. */
PGconn *PQconnectdb(const char *conninfo)
{
	return loaded() ? pq.PQconnectdb(conninfo) : NULL;
}

PGconn *PQconnectdbParams(const char *const *keywords, const char *const *values, int expand)
{
	return loaded() ? pq.PQconnectdbParams(keywords, values, expand) : NULL;
}

PQconninfoOption *PQconninfoParse(const char *conninfo, char **errmsg)
{
	if (errmsg)
		*errmsg = NULL;
	return loaded() ? pq.PQconninfoParse(conninfo, errmsg) : NULL;
}

/* Those that free: a no-op on NULL, as libpq's own. */
void PQconninfoFree(PQconninfoOption *options)
{
	if (options)
		pq.PQconninfoFree(options);
}

void PQclear(PGresult *res)
{
	if (res)
		pq.PQclear(res);
}

void PQfinish(PGconn *conn)
{
	if (conn)
		pq.PQfinish(conn);
}

/* The rest take a connection or a result, which only a loaded libpq hands out. */
int PQbackendPID(const PGconn *conn)
{
	return pq.PQbackendPID(conn);
}

char *PQcmdTuples(PGresult *res)
{
	return pq.PQcmdTuples(res);
}

char *PQerrorMessage(const PGconn *conn)
{
	return pq.PQerrorMessage ? pq.PQerrorMessage(conn) : pq_problem;
}

PGresult *PQexec(PGconn *conn, const char *query)
{
	return pq.PQexec(conn, query);
}

PGresult *PQexecParams(PGconn *conn, const char *command, int n, const Oid *types,
                       const char *const *values, const int *lengths, const int *formats,
                       int result_format)
{
	return pq.PQexecParams(conn, command, n, types, values, lengths, formats, result_format);
}

PGresult *PQexecPrepared(PGconn *conn, const char *name, int n, const char *const *values,
                         const int *lengths, const int *formats, int result_format)
{
	return pq.PQexecPrepared(conn, name, n, values, lengths, formats, result_format);
}

PGresult *PQgetResult(PGconn *conn)
{
	return pq.PQgetResult(conn);
}

int PQgetlength(const PGresult *res, int row, int column)
{
	return pq.PQgetlength(res, row, column);
}

char *PQgetvalue(const PGresult *res, int row, int column)
{
	return pq.PQgetvalue(res, row, column);
}

int PQntuples(const PGresult *res)
{
	return res ? pq.PQntuples(res) : 0;
}

PGresult *PQprepare(PGconn *conn, const char *name, const char *query, int n, const Oid *types)
{
	return pq.PQprepare(conn, name, query, n, types);
}

int PQputCopyData(PGconn *conn, const char *buffer, int nbytes)
{
	return pq.PQputCopyData(conn, buffer, nbytes);
}

int PQputCopyEnd(PGconn *conn, const char *errormsg)
{
	return pq.PQputCopyEnd(conn, errormsg);
}

void PQreset(PGconn *conn)
{
	pq.PQreset(conn);
}

char *PQresultErrorField(const PGresult *res, int field)
{
	return pq.PQresultErrorField(res, field);
}

ExecStatusType PQresultStatus(const PGresult *res)
{
	return res ? pq.PQresultStatus(res) : PGRES_FATAL_ERROR;
}

PQnoticeProcessor PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor proc, void *arg)
{
	return pq.PQsetNoticeProcessor(conn, proc, arg);
}

ConnStatusType PQstatus(const PGconn *conn)
{
	return conn ? pq.PQstatus(conn) : CONNECTION_BAD;
}

PGTransactionStatusType PQtransactionStatus(const PGconn *conn)
{
	return pq.PQtransactionStatus(conn);
}

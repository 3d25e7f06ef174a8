/* pq_load.c: libpq, loaded the first time a PostgreSQL library is opened.
 *
 * Linked at build time, libpq made every command load 22 more shared libraries (OpenSSL,
 * Kerberos, LDAP, GnuTLS and theirs) and bind some 7,600 symbols before main: start-up
 * went from about 20 to 40 ms of CPU (`perf stat wukong --version`, bench/startup.sh),
 * paid by each `wukong parse` although only a postgresql:// library needs it. So the
 * functions of libpq the store calls are defined here, each passing the call on to the
 * library opened on first use (src/util/dl.c). The PostgreSQL code keeps calling PQexec()
 * and the rest as documented by libpq-fe.h.
 *
 * The library is "libpq.so.5" (Debian's libpq5), or the file WK_LIBPQ names. When it
 * cannot be loaded, wk_pq_load fails with WK_EDB and a one-line message saying what to
 * install (wk_dl_load's); the entry points (connecting, parsing a URI) then return NULL, and the
 * functions a caller applies to such a NULL answer as libpq does for one (a bad
 * connection, a failed result, no rows). */
#include "pg.h"

#define PQ_FUNCTIONS(X) \
	X(PQbackendPID) X(PQclear) X(PQcmdTuples) X(PQconnectdb) X(PQconnectdbParams) \
	X(PQconninfoFree) X(PQconninfoParse) X(PQerrorMessage) X(PQexec) X(PQexecParams) \
	X(PQexecPrepared) X(PQfinish) X(PQgetResult) X(PQgetlength) X(PQgetvalue) \
	X(PQntuples) X(PQprepare) X(PQputCopyData) X(PQputCopyEnd) X(PQreset) \
	X(PQresultErrorField) X(PQresultStatus) X(PQsetNoticeProcessor) X(PQstatus) \
	X(PQtransactionStatus)

enum { PQ_FUNCTIONS(WK_DL_INDEX) PQ_NFUNCTIONS };
static const char *const names[] = {PQ_FUNCTIONS(WK_DL_NAME) NULL};
static const char *const files[] = {"libpq.so.5", NULL};
static void *slots[PQ_NFUNCTIONS];
static wk_dl_lib pq = {.what = "the PostgreSQL client library", .package = "libpq5",
                       .env = "WK_LIBPQ", .files = files, .names = names, .slots = slots};

#define REAL(name) WK_DL_REAL(slots, name)

int wk_pq_load(wk_error *err)
{
	return wk_dl_load(&pq, WK_EDB, "a postgresql:// library", err);
}

static bool loaded(void)
{
	return wk_dl_loaded(&pq);
}

/* The entry points: NULL when libpq is absent. */
PGconn *PQconnectdb(const char *conninfo)
{
	return loaded() ? REAL(PQconnectdb)(conninfo) : NULL;
}

PGconn *PQconnectdbParams(const char *const *keywords, const char *const *values, int expand)
{
	return loaded() ? REAL(PQconnectdbParams)(keywords, values, expand) : NULL;
}

PQconninfoOption *PQconninfoParse(const char *conninfo, char **errmsg)
{
	if (errmsg)
		*errmsg = NULL;
	return loaded() ? REAL(PQconninfoParse)(conninfo, errmsg) : NULL;
}

/* Those that free: a no-op on NULL, as libpq's own. */
void PQconninfoFree(PQconninfoOption *options)
{
	if (options)
		REAL(PQconninfoFree)(options);
}

void PQclear(PGresult *res)
{
	if (res)
		REAL(PQclear)(res);
}

void PQfinish(PGconn *conn)
{
	if (conn)
		REAL(PQfinish)(conn);
}

/* The rest take a connection or a result, which only a loaded libpq hands out. */
int PQbackendPID(const PGconn *conn)
{
	return REAL(PQbackendPID)(conn);
}

char *PQcmdTuples(PGresult *res)
{
	return REAL(PQcmdTuples)(res);
}

char *PQerrorMessage(const PGconn *conn)
{
	return loaded() ? REAL(PQerrorMessage)(conn) : pq.problem;
}

PGresult *PQexec(PGconn *conn, const char *query)
{
	return REAL(PQexec)(conn, query);
}

PGresult *PQexecParams(PGconn *conn, const char *command, int n, const Oid *types,
                       const char *const *values, const int *lengths, const int *formats,
                       int result_format)
{
	return REAL(PQexecParams)(conn, command, n, types, values, lengths, formats, result_format);
}

PGresult *PQexecPrepared(PGconn *conn, const char *name, int n, const char *const *values,
                         const int *lengths, const int *formats, int result_format)
{
	return REAL(PQexecPrepared)(conn, name, n, values, lengths, formats, result_format);
}

PGresult *PQgetResult(PGconn *conn)
{
	return REAL(PQgetResult)(conn);
}

int PQgetlength(const PGresult *res, int row, int column)
{
	return REAL(PQgetlength)(res, row, column);
}

char *PQgetvalue(const PGresult *res, int row, int column)
{
	return REAL(PQgetvalue)(res, row, column);
}

int PQntuples(const PGresult *res)
{
	return res ? REAL(PQntuples)(res) : 0;
}

PGresult *PQprepare(PGconn *conn, const char *name, const char *query, int n, const Oid *types)
{
	return REAL(PQprepare)(conn, name, query, n, types);
}

int PQputCopyData(PGconn *conn, const char *buffer, int nbytes)
{
	return REAL(PQputCopyData)(conn, buffer, nbytes);
}

int PQputCopyEnd(PGconn *conn, const char *errormsg)
{
	return REAL(PQputCopyEnd)(conn, errormsg);
}

void PQreset(PGconn *conn)
{
	REAL(PQreset)(conn);
}

char *PQresultErrorField(const PGresult *res, int field)
{
	return REAL(PQresultErrorField)(res, field);
}

ExecStatusType PQresultStatus(const PGresult *res)
{
	return res ? REAL(PQresultStatus)(res) : PGRES_FATAL_ERROR;
}

PQnoticeProcessor PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor proc, void *arg)
{
	return REAL(PQsetNoticeProcessor)(conn, proc, arg);
}

ConnStatusType PQstatus(const PGconn *conn)
{
	return conn ? REAL(PQstatus)(conn) : CONNECTION_BAD;
}

PGTransactionStatusType PQtransactionStatus(const PGconn *conn)
{
	return REAL(PQtransactionStatus)(conn);
}

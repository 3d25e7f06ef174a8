/* pg_vectors.c: the PostgreSQL store's unit vectors (wk_vector_ops in store.h), as in
 * SQLite: one row per document and embedding model, the units' float32s in one bytea. */
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int get(wk_store *store, const char *id, const char *model, char **vec, size_t *len,
               int *dim, wk_error *err)
{
	*vec = NULL;
	*len = 0;
	*dim = 0;
	const char *params[] = {id, model};
	/* Binary results: dim comes as a 4-byte big-endian integer. */
	PGresult *res = wk_pg_query((wk_pg *)store, "SELECT v.dim, v.vec FROM vectors v JOIN docs d "
	                                            "ON d.key = v.doc WHERE d.id = $1 AND v.model = $2",
	                            2, params, 1, err);
	if (!res)
		return WK_EDB;
	int rc = WK_OK;
	if (PQntuples(res) == 0) {
		rc = wk_set_error(err, WK_ENOTFOUND, "no vectors of model %s for document %s", model, id);
	} else {
		const unsigned char *d = (const unsigned char *)PQgetvalue(res, 0, 0);
		*dim = (int)((uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3]);
		*len = (size_t)PQgetlength(res, 0, 1);
		*vec = wk_xmalloc(*len + 1);
		memcpy(*vec, PQgetvalue(res, 0, 1), *len);
	}
	PQclear(res);
	return rc;
}

static int put(wk_store *store, const char *id, const char *model, int dim, const void *vec,
               size_t len, wk_error *err)
{
	wk_pg *s = (wk_pg *)store;
	if (len > (size_t)INT32_MAX)
		return wk_set_error(err, WK_ELIMIT, "vectors of document %s are too large", id);
	int rc = wk_pg_begin_write(s, err);
	if (rc)
		return rc;
	char d[16];
	snprintf(d, sizeof d, "%d", dim);
	const char *values[] = {id, model, d, vec};
	int lengths[] = {0, 0, 0, (int)len};
	int binary[] = {0, 0, 0, 1};
	PGresult *res = PQexecParams(s->conn,
	                             "INSERT INTO vectors(doc, model, dim, vec) SELECT key, $2, $3, $4 "
	                             "FROM docs WHERE id = $1 ON CONFLICT(doc, model) DO UPDATE SET "
	                             "dim = excluded.dim, vec = excluded.vec",
	                             4, NULL, values, lengths, binary, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = wk_pg_error(s, err, "writing vectors", res);
	else if (!strcmp(PQcmdTuples(res), "0")) /* removed meanwhile */
		rc = wk_set_error(err, WK_ENOTFOUND, "no library document %s", id);
	PQclear(res);
	return wk_pg_end(s, rc, err);
}

/* Calls each(user, name, dim, vec, len) for every row of `sql` (name, dim as text, vec)
 * with $1 = key: the documents of a model, or the models of a document. */
typedef void each_fn(void *user, const char *name, int dim, const void *vec, size_t len);

static int rows(wk_store *store, const char *sql, const char *key, each_fn *each, void *user,
                wk_error *err)
{
	PGresult *res = wk_pg_query((wk_pg *)store, sql, 1, &key, 1, err);
	if (!res)
		return WK_EDB;
	for (int i = 0; i < PQntuples(res); i++) {
		size_t nlen = (size_t)PQgetlength(res, i, 0);
		char *name = wk_xmalloc(nlen + 1), dim[16];
		memcpy(name, PQgetvalue(res, i, 0), nlen);
		name[nlen] = 0;
		snprintf(dim, sizeof dim, "%.*s", PQgetlength(res, i, 1), PQgetvalue(res, i, 1));
		each(user, name, atoi(dim), PQgetvalue(res, i, 2), (size_t)PQgetlength(res, i, 2));
		free(name);
	}
	PQclear(res);
	return WK_OK;
}

static int scan(wk_store *store, const char *model, each_fn *each, void *user, wk_error *err)
{
	return rows(store, "SELECT d.id, v.dim::text, v.vec FROM vectors v JOIN docs d ON d.key = "
	                   "v.doc WHERE v.model = $1",
	            model, each, user, err);
}

static int of_doc(wk_store *store, const char *id, each_fn *each, void *user, wk_error *err)
{
	return rows(store, "SELECT v.model, v.dim::text, v.vec FROM vectors v JOIN docs d ON d.key "
	                   "= v.doc WHERE d.id = $1",
	            id, each, user, err);
}

const wk_vector_ops wk_pg_vectors = {get, put, scan, of_doc};

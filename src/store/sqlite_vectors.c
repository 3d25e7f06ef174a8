/* sqlite_vectors.c: the SQLite store's unit vectors (wk_vector_ops in store.h): one row
 * per document and embedding model, the units' float32s in one blob. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static int get(wk_store *store, const char *id, const char *model, char **vec, size_t *len,
               int *dim, wk_error *err)
{
	wk_sqlite *s = (wk_sqlite *)store;
	*vec = NULL;
	*len = 0;
	*dim = 0;
	sqlite3_stmt *st = wk_db_prepare(s->db, "SELECT v.dim, v.vec FROM vectors v JOIN docs d ON "
	                                        "d.key = v.doc WHERE d.id = ?1 AND v.model = ?2",
	                                 err);
	if (!st)
		return WK_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*dim = sqlite3_column_int(st, 0);
		*len = (size_t)sqlite3_column_bytes(st, 1);
		*vec = wk_xmalloc(*len + 1);
		if (*len)
			memcpy(*vec, sqlite3_column_blob(st, 1), *len);
		rc = WK_OK;
	} else if (rc == SQLITE_DONE) {
		rc = wk_set_error(err, WK_ENOTFOUND, "no vectors of model %s for document %s", model, id);
	} else {
		rc = wk_db_error(s->db, err, "reading vectors");
	}
	sqlite3_finalize(st);
	return rc;
}

static int put(wk_store *store, const char *id, const char *model, int dim, const void *vec,
               size_t len, wk_error *err)
{
	wk_sqlite *s = (wk_sqlite *)store;
	sqlite3_stmt *st = wk_db_prepare(s->db, "INSERT OR REPLACE INTO vectors(doc, model, dim, vec) "
	                                        "SELECT key, ?2, ?3, ?4 FROM docs WHERE id = ?1",
	                                 err);
	if (!st)
		return WK_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, model, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, dim);
	sqlite3_bind_blob64(st, 4, vec, len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		rc = wk_db_error(s->db, err, "writing vectors");
	else if (sqlite3_changes(s->db) == 0) /* removed meanwhile */
		rc = wk_set_error(err, WK_ENOTFOUND, "no library document %s", id);
	else
		rc = WK_OK;
	sqlite3_finalize(st);
	return rc;
}

/* Calls each(user, name, dim, vec, len) for every row of `sql` (name, dim, vec) with ?1 =
 * key: the documents of a model, or the models of a document. */
typedef void each_fn(void *user, const char *name, int dim, const void *vec, size_t len);

static int rows(wk_store *store, const char *sql, const char *key, each_fn *each, void *user,
                wk_error *err)
{
	wk_sqlite *s = (wk_sqlite *)store;
	sqlite3_stmt *st = wk_db_prepare(s->db, sql, err);
	if (!st)
		return WK_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		each(user, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1),
		     sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WK_OK : wk_db_error(s->db, err, "reading vectors");
}

static int scan(wk_store *store, const char *model, each_fn *each, void *user, wk_error *err)
{
	return rows(store, "SELECT d.id, v.dim, v.vec FROM vectors v JOIN docs d ON d.key = v.doc "
	                   "WHERE v.model = ?1",
	            model, each, user, err);
}

static int of_doc(wk_store *store, const char *id, each_fn *each, void *user, wk_error *err)
{
	return rows(store, "SELECT v.model, v.dim, v.vec FROM vectors v JOIN docs d ON d.key = "
	                   "v.doc WHERE d.id = ?1",
	            id, each, user, err);
}

const wk_vector_ops wk_sqlite_vectors = {get, put, scan, of_doc};

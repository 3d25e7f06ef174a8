/* pg_store.c: the PostgreSQL store: reading records (find, list, load), writing a
 * document in one transaction, removing, the kept PDFs of uploads, opening. Stage-1
 * search is in pg_rank.c, the term statistics it reads in pg_terms.c. */
#include "pg.h"

#include "../doc/doc.h"
#include "../sample/sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The columns info_of reads, in its order. */
#define INFO_COLUMNS "key, id, hash, name, path, title, npages, nunits, added, bytes"

static void info_of(const PGresult *res, int row, wk_doc_info *info)
{
	memset(info, 0, sizeof *info);
	snprintf(info->id, sizeof info->id, "%s", PQgetvalue(res, row, 1));
	snprintf(info->hash, sizeof info->hash, "%s", PQgetvalue(res, row, 2));
	info->name = wk_xstrdup(PQgetvalue(res, row, 3));
	info->path = wk_xstrdup(PQgetvalue(res, row, 4));
	info->title = wk_xstrdup(PQgetvalue(res, row, 5));
	info->npages = atoi(PQgetvalue(res, row, 6));
	info->nunits = atoi(PQgetvalue(res, row, 7));
	info->added = strtoll(PQgetvalue(res, row, 8), NULL, 10);
	info->bytes = strtoll(PQgetvalue(res, row, 9), NULL, 10);
}

/* A query of INFO_COLUMNS with one parameter: *found (and *ambiguous, may be NULL). */
static int one(wk_store *store, const char *sql, const char *arg, wk_doc_info *info,
               int *found, int *ambiguous, wk_error *err)
{
	wk_pg *s = (wk_pg *)store;
	*found = 0;
	PGresult *res = wk_pg_query(s, sql, 1, &arg, 0, err);
	if (!res)
		return WK_EDB;
	if (PQntuples(res) > 0) {
		info_of(res, 0, info);
		*found = 1;
	}
	if (ambiguous)
		*ambiguous = PQntuples(res) > 1;
	PQclear(res);
	return WK_OK;
}

int wk_pg_by_hash(wk_store *store, const char *hash, wk_doc_info *info, wk_error *err)
{
	int found = 0;
	int rc = one(store, "SELECT " INFO_COLUMNS " FROM docs WHERE hash = $1", hash, info,
	             &found, NULL, err);
	if (!rc && !found)
		return wk_set_error(err, WK_ENOTFOUND, "no document with hash %.16s", hash);
	return rc;
}

static int find(wk_store *store, const char *key, wk_doc_info *info, wk_error *err)
{
	static const char *const queries[] = {
		"SELECT " INFO_COLUMNS " FROM docs WHERE id = $1",
		"SELECT " INFO_COLUMNS " FROM docs WHERE length($1) >= 4 AND length($1) < 16 AND "
		"starts_with(id, lower($1)) LIMIT 2",
		"SELECT " INFO_COLUMNS " FROM docs WHERE name = $1 LIMIT 2",
		"SELECT " INFO_COLUMNS " FROM docs WHERE path = $1 LIMIT 2",
	};
	return wk_store_find(store, queries, (int)WK_ARRAY_LEN(queries), one, key, info, err);
}

static int list(wk_store *store, wk_doc_info **out, int *n, wk_error *err)
{
	*out = NULL;
	*n = 0;
	/* COLLATE "C": the order SQLite's binary collation gives, whatever the database's. */
	PGresult *res = wk_pg_query((wk_pg *)store, "SELECT " INFO_COLUMNS " FROM docs ORDER BY "
	                                            "name COLLATE \"C\", id",
	                            0, NULL, 0, err);
	if (!res)
		return WK_EDB;
	int count = PQntuples(res);
	wk_doc_info *infos = wk_xcalloc((size_t)count + 1, sizeof *infos);
	for (int i = 0; i < count; i++)
		info_of(res, i, &infos[i]);
	PQclear(res);
	*out = infos;
	*n = count;
	return WK_OK;
}

/* The row of one document id, binary columns. */
static PGresult *select_doc(wk_pg *s, const char *sql, const char *id, wk_error *err)
{
	PGresult *res = wk_pg_query(s, sql, 1, &id, 1, err);
	if (res && PQntuples(res) == 0) {
		PQclear(res);
		wk_set_error(err, WK_ENOTFOUND, "no library document %s", id);
		return NULL;
	}
	return res;
}

/* The document of a row of (pack, path). */
static int row_doc(const PGresult *res, const char *id, wk_doc **out, wk_error *err)
{
	wk_error why;
	int rc = wk_stored_read_doc(PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0), out,
	                            &why);
	if (rc)
		return wk_set_error(err, rc, "library document %s: %s; add its file again", id,
		                    why.message);
	(*out)->path = wk_doc_str(*out, PQgetvalue(res, 0, 1)); /* it may have moved */
	return WK_OK;
}

static int load(wk_store *store, const char *id, wk_doc **out, wk_error *err)
{
	*out = NULL;
	PGresult *res = select_doc((wk_pg *)store, "SELECT pack, path FROM docs WHERE id = $1", id,
	                           err);
	if (!res)
		return err ? err->code : WK_EDB;
	int rc = row_doc(res, id, out, err);
	PQclear(res);
	return rc;
}

static int load_indexed(wk_store *store, const char *id, wk_doc **doc, wk_index **ix,
                        wk_error *err)
{
	*doc = NULL;
	*ix = NULL;
	PGresult *res = select_doc((wk_pg *)store, "SELECT pack, path, ix FROM docs WHERE id = $1",
	                           id, err);
	if (!res)
		return err ? err->code : WK_EDB;
	int rc = row_doc(res, id, doc, err);
	/* An index of another version is built again: slower, same. */
	if (!rc && wk_stored_read_index(*doc, PQgetvalue(res, 0, 2), (size_t)PQgetlength(res, 0, 2),
	                                ix, NULL) != WK_OK)
		rc = wk_index_new(*doc, ix, err);
	PQclear(res);
	if (rc) {
		wk_doc_free(*doc);
		*doc = NULL;
	}
	return rc;
}

/* Only the packs' headers travel: whether they are of this version. */
static int state(wk_store *store, const char *id, int *readable, int *current, wk_error *err)
{
	*readable = 1;
	*current = 0;
	PGresult *res = select_doc((wk_pg *)store, "SELECT substring(pack FROM 1 FOR 8), "
	                                           "substring(ix FROM 1 FOR 8) FROM docs WHERE id = $1",
	                           id, err);
	if (!res)
		return err ? err->code : WK_EDB;
	*readable = wk_stored_current(PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0),
	                              WK_DOC_PACK_VERSION, 0);
	*current = *readable && wk_stored_current(PQgetvalue(res, 0, 1),
	                                          (size_t)PQgetlength(res, 0, 1),
	                                          WK_INDEX_PACK_VERSION, wk_stored_index_key());
	PQclear(res);
	return WK_OK;
}

/* Runs `sql` with parameters of which those marked in `binary` are bytea. */
static PGresult *write_params(wk_pg *s, const char *sql, int n, const char *const *values,
                              const int *lengths, const int *binary, wk_error *err)
{
	char name[16];
	PGresult *res = wk_pg_prepared(s, sql, n, name)
	                    ? PQexecPrepared(s->conn, name, n, values, lengths, binary, 0)
	                    : PQexecParams(s->conn, sql, n, NULL, values, lengths, binary, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		wk_pg_error(s, err, "writing a document", res);
		PQclear(res);
		return NULL;
	}
	return res;
}

static int repack(wk_store *store, const char *id, const wk_stored *stored, wk_error *err)
{
	wk_pg *s = (wk_pg *)store;
	int rc = wk_pg_begin_write(s, err);
	if (rc)
		return rc;
	const char *values[] = {(const char *)stored->doc, (const char *)stored->index, id};
	int lengths[] = {(int)stored->doc_len, (int)stored->index_len, 0};
	int binary[] = {1, 1, 0};
	PGresult *res = write_params(s, "UPDATE docs SET pack = $1, ix = $2 WHERE id = $3", 3, values,
	                             lengths, binary, err);
	PQclear(res);
	return wk_pg_end(s, res ? WK_OK : WK_EDB, err);
}

/* Deleting documents: their postings with them (no foreign key: checking one per posting
 * row made writing slow), their kept PDF and vectors by cascade. */
#define DELETE_DOCS(where)                                                                   \
	"WITH gone AS (DELETE FROM docs WHERE " where " RETURNING key), "                         \
	"p AS (DELETE FROM postings WHERE doc IN (SELECT key FROM gone)) SELECT count(*) FROM gone"
#define DELETE_BY_ID DELETE_DOCS("id = $1")
#define DELETE_BY_PATH DELETE_DOCS("path = $1")
#define DELETE_BY_HASH DELETE_DOCS("hash = $1")

/* Runs one of the DELETE_BY statements; *gone: the documents deleted. */
static int delete_docs(wk_pg *s, const char *sql, const char *arg, int *gone, wk_error *err)
{
	PGresult *res = wk_pg_query(s, sql, 1, &arg, 0, err);
	if (!res)
		return WK_EDB;
	*gone = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return WK_OK;
}

static int remove_doc(wk_store *store, const char *id, wk_error *err)
{
	wk_pg *s = (wk_pg *)store;
	int rc = wk_pg_begin_write(s, err);
	if (rc)
		return rc;
	int gone = 0;
	rc = delete_docs(s, DELETE_BY_ID, id, &gone, err);
	if (!rc && !gone)
		rc = wk_set_error(err, WK_ENOTFOUND, "no library document %s", id);
	return wk_pg_end(s, rc, err);
}

static int file(wk_store *store, const char *hash, char **data, size_t *len, wk_error *err)
{
	*data = NULL;
	*len = 0;
	PGresult *res = wk_pg_query((wk_pg *)store, "SELECT data FROM files WHERE hash = $1", 1,
	                            &hash, 1, err);
	if (!res)
		return WK_EDB;
	int rc = WK_OK;
	if (PQntuples(res) == 0) {
		rc = wk_set_error(err, WK_ENOTFOUND, "no PDF kept for document %.16s", hash);
	} else {
		*len = (size_t)PQgetlength(res, 0, 0);
		*data = wk_xmalloc(*len + 1);
		memcpy(*data, PQgetvalue(res, 0, 0), *len);
	}
	PQclear(res);
	return rc;
}

static void close_store(wk_store *store)
{
	wk_pg *s = (wk_pg *)store;
	if (!s)
		return;
	wk_pg_terms_close(s);
	wk_pg_forget_prepared(s);
	PQfinish(s->conn);
	free(s->uri);
	free(s->display);
	free(s);
}

static int clone_store(wk_store *store, wk_store **out, wk_error *err)
{
	return wk_pg_store_open(((wk_pg *)store)->uri, out, err);
}

/* ---- writing a document ---- */

static int insert_doc(wk_pg *s, const wk_store_put *put, const wk_stored *blobs,
                      const wk_pg_terms *terms, int64_t *key, wk_error *err)
{
	const char *name = wk_base_name(put->path);
	const char *title = put->doc->title && *put->doc->title ? put->doc->title : name;
	char id[17], npages[16], nunits[16], tokens[16], added[24], bytes[24], spages[16],
		stokens[24];
	int sp = 0;
	int64_t st = 0;
	wk_pg_terms_sums(terms, &sp, &st);
	snprintf(id, sizeof id, "%.16s", put->hash);
	snprintf(npages, sizeof npages, "%d", put->doc->npages);
	snprintf(nunits, sizeof nunits, "%d", put->doc->nunits);
	snprintf(tokens, sizeof tokens, "%d", wk_doc_tokens(put->doc));
	snprintf(added, sizeof added, "%lld", (long long)time(NULL));
	snprintf(bytes, sizeof bytes, "%lld", (long long)put->bytes);
	snprintf(spages, sizeof spages, "%d", sp);
	snprintf(stokens, sizeof stokens, "%lld", (long long)st);
	const char *values[] = {id,     put->hash, name,  put->path, title, npages, nunits,
	                        tokens, added,     bytes, (const char *)blobs->doc,
	                        (const char *)blobs->index, spages, stokens};
	int lengths[14] = {[10] = (int)blobs->doc_len, [11] = (int)blobs->index_len};
	int binary[14] = {[10] = 1, [11] = 1};
	PGresult *res = write_params(
		s,
		"INSERT INTO docs(id, hash, name, path, title, npages, nunits, tokens, added, bytes, "
		"pack, ix, spages, stokens) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
		"$13, $14) RETURNING key",
		14, values, lengths, binary, err);
	if (!res)
		return WK_EDB;
	*key = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return WK_OK;
}

/* The record with its search pages' sums, then the postings. */
static int insert_all(wk_pg *s, const wk_store_put *put, const wk_stored *blobs,
                      wk_pg_terms *terms, wk_error *err)
{
	int64_t key = -1;
	int rc = insert_doc(s, put, blobs, terms, &key, err);
	return rc ? rc : wk_pg_terms_write(s, key, terms, err);
}

/* What a new document needs written, made before its transaction so that the library's
 * lock is held only while writing. */
typedef struct prepared_put {
	const wk_stored *blobs;
	wk_stored made;
	wk_pg_terms *terms;
} prepared_put;

static int write_new(wk_pg *s, const wk_store_put *put, prepared_put *pp, int *status,
                     wk_error *err)
{
	*status = WK_ADD_NEW;
	if (put->replace_path) {
		int gone = 0;
		if (delete_docs(s, DELETE_BY_PATH, put->path, &gone, err))
			return WK_EDB;
		if (gone)
			*status = WK_ADD_UPDATED;
	}
	return insert_all(s, put, pp->blobs, pp->terms, err);
}

/* Same content already stored: nothing to write, or only its new path. */
static int keep_existing(wk_pg *s, const wk_store_put *put, const wk_doc_info *found,
                         int *status, wk_error *err)
{
	*status = WK_ADD_UNCHANGED;
	if (!strcmp(found->path, put->path))
		return WK_OK;
	*status = WK_ADD_MOVED;
	PGresult *res = wk_pg_query(s, "UPDATE docs SET path = $1, name = $2 WHERE id = $3", 3,
	                            (const char *const[]){put->path, wk_base_name(put->path),
	                                                  found->id},
	                            0, err);
	PQclear(res);
	return res ? WK_OK : WK_EDB;
}

/* An upload's bytes, kept once per content (the same content again keeps the first). */
static int keep_file(wk_pg *s, const wk_store_put *put, wk_error *err)
{
	if (!put->file)
		return WK_OK;
	const char *values[] = {put->hash, put->file};
	int lengths[] = {0, (int)put->file_len};
	int binary[] = {0, 1};
	PGresult *res = write_params(s, "INSERT INTO files(hash, data) VALUES($1, $2) ON CONFLICT "
	                                "DO NOTHING",
	                             2, values, lengths, binary, err);
	PQclear(res);
	return res ? WK_OK : WK_EDB;
}

static int put_locked(wk_pg *s, const wk_store_put *put, prepared_put *pp, int *status,
                      wk_error *err)
{
	wk_doc_info found;
	int exists = 0;
	int rc = one(&s->base, "SELECT " INFO_COLUMNS " FROM docs WHERE hash = $1", put->hash, &found,
	             &exists, NULL, err);
	if (!rc && exists && put->replace_hash && put->doc) {
		/* Stored by a version that wrote another document format: written anew. */
		int gone = 0;
		rc = delete_docs(s, DELETE_BY_HASH, put->hash, &gone, err);
		rc = rc ? rc : write_new(s, put, pp, status, err);
		*status = WK_ADD_UPDATED;
	} else if (!rc && exists) {
		rc = keep_existing(s, put, &found, status, err);
	} else if (!rc && !put->doc) {
		rc = wk_set_error(err, WK_ENOTFOUND, "%s: removed while it was added; add it again",
		                  put->path);
	} else if (!rc) {
		rc = write_new(s, put, pp, status, err);
	}
	if (exists)
		wk_info_clear(&found);
	if (!rc)
		rc = keep_file(s, put, err);
	return rc;
}

static int prepare_put(wk_pg *s, const wk_store_put *put, prepared_put *pp, wk_error *err)
{
	memset(pp, 0, sizeof *pp);
	if (!put->doc)
		return WK_OK;
	pp->blobs = put->stored;
	int rc = pp->blobs ? WK_OK : wk_stored_make(put->doc, &pp->made, err);
	if (!pp->blobs)
		pp->blobs = &pp->made;
	return rc ? rc : wk_pg_terms_count(s, put, &pp->terms, err);
}

int wk_pg_put(wk_store *store, const wk_store_put *put, wk_doc_info *info, int *status,
              wk_error *err)
{
	wk_pg *s = (wk_pg *)store;
	if ((size_t)put->bytes > (size_t)1 << 30 || put->file_len > (size_t)1 << 30)
		return wk_set_error(err, WK_ELIMIT, "%s: too large for a PostgreSQL value", put->path);
	prepared_put pp;
	int rc = prepare_put(s, put, &pp, err);
	if (!rc)
		rc = wk_pg_begin_write(s, err);
	if (!rc)
		rc = wk_pg_end(s, put_locked(s, put, &pp, status, err), err);
	wk_stored_clear(&pp.made);
	wk_pg_terms_free(pp.terms);
	if (!rc && info)
		rc = wk_pg_by_hash(store, put->hash, info, err);
	return rc;
}

static const wk_store_ops pg_ops = {
	.name = "postgresql",
	.close = close_store,
	.clone = clone_store,
	.by_hash = wk_pg_by_hash,
	.find = find,
	.list = list,
	.put = wk_pg_put,
	.load = load,
	.load_indexed = load_indexed,
	.state = state,
	.repack = repack,
	.remove = remove_doc,
	.rank = wk_pg_rank,
	.file = file,
	.vectors = &wk_pg_vectors,
};

int wk_pg_store_open(const char *uri, wk_store **out, wk_error *err)
{
	*out = NULL;
	wk_pg *s = wk_xcalloc(1, sizeof *s);
	s->base.ops = &pg_ops;
	int rc = wk_pg_connect(uri, s, err);
	if (rc) {
		close_store(&s->base);
		return rc;
	}
	*out = &s->base;
	return WK_OK;
}

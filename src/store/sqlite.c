/* sqlite.c: the SQLite store: reading records (find, list, load), removing, opening.
 * Writing a document is in put.c, stage-1 search in rank.c. */
#include "db.h"
#include "internal.h"

#include "../doc/doc.h"
#include "../sample/sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wk_sqlite_info(sqlite3_stmt *st, wk_doc_info *info)
{
	memset(info, 0, sizeof *info);
	const char *id = (const char *)sqlite3_column_text(st, 1);
	const char *hash = (const char *)sqlite3_column_text(st, 2);
	snprintf(info->id, sizeof info->id, "%s", id ? id : "");
	snprintf(info->hash, sizeof info->hash, "%s", hash ? hash : "");
	info->name = wk_xstrdup((const char *)sqlite3_column_text(st, 3));
	info->path = wk_xstrdup((const char *)sqlite3_column_text(st, 4));
	info->title = wk_xstrdup((const char *)sqlite3_column_text(st, 5));
	info->npages = sqlite3_column_int(st, 6);
	info->nunits = sqlite3_column_int(st, 7);
	info->added = sqlite3_column_int64(st, 8);
	info->bytes = sqlite3_column_int64(st, 9);
}

/* Runs a query of INFO_COLUMNS with one text parameter; *found says whether it gave a
 * row, and `ambiguous` (may be NULL) whether it gave more than one. */
int wk_sqlite_one(wk_sqlite *s, const char *sql, const char *arg, wk_doc_info *info,
                  int *found, int *ambiguous, wk_error *err)
{
	*found = 0;
	sqlite3_stmt *st = wk_db_prepare(s->db, sql, err);
	if (!st)
		return WK_EDB;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		wk_sqlite_info(st, info);
		*found = 1;
		rc = sqlite3_step(st);
		if (ambiguous)
			*ambiguous = rc == SQLITE_ROW;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		if (*found)
			wk_info_clear(info);
		*found = 0;
		rc = wk_db_error(s->db, err, "reading");
	} else {
		rc = WK_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int by_hash(wk_store *store, const char *hash, wk_doc_info *info, wk_error *err)
{
	int found = 0;
	int rc = wk_sqlite_one((wk_sqlite *)store, "SELECT " INFO_COLUMNS " FROM docs WHERE hash = ?1",
	                       hash, info, &found, NULL, err);
	if (!rc && !found)
		return wk_set_error(err, WK_ENOTFOUND, "no document with hash %.16s", hash);
	return rc;
}

static int find_query(wk_store *store, const char *sql, const char *arg, wk_doc_info *info,
                      int *found, int *ambiguous, wk_error *err)
{
	return wk_sqlite_one((wk_sqlite *)store, sql, arg, info, found, ambiguous, err);
}

static int find(wk_store *store, const char *key, wk_doc_info *info, wk_error *err)
{
	static const char *const queries[] = {
		"SELECT " INFO_COLUMNS " FROM docs WHERE id = ?1",
		"SELECT " INFO_COLUMNS " FROM docs WHERE length(?1) >= 4 AND length(?1) < 16 AND "
		"substr(id, 1, length(?1)) = lower(?1) LIMIT 2",
		"SELECT " INFO_COLUMNS " FROM docs WHERE name = ?1 LIMIT 2",
		"SELECT " INFO_COLUMNS " FROM docs WHERE path = ?1 LIMIT 2",
	};
	return wk_store_find(store, queries, (int)WK_ARRAY_LEN(queries), find_query, key, info, err);
}

static int list(wk_store *store, wk_doc_info **out, int *n, wk_error *err)
{
	wk_sqlite *s = (wk_sqlite *)store;
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = wk_db_prepare(s->db, "SELECT " INFO_COLUMNS " FROM docs ORDER BY name, id",
	                                 err);
	if (!st)
		return WK_EDB;
	wk_doc_info *infos = NULL;
	int count = 0, cap = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		infos = wk_grow(infos, &cap, count + 1, sizeof *infos);
		wk_sqlite_info(st, &infos[count++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		wk_doc_infos_free(infos, count);
		return wk_db_error(s->db, err, "listing documents");
	}
	*out = infos;
	*n = count;
	return WK_OK;
}

/* The document of a row of (pack, json, path): from its pack, or from the JSON of a row
 * written by schema 1. */
static int row_doc(sqlite3_stmt *st, const char *id, wk_doc **out, wk_error *err)
{
	const void *pack = sqlite3_column_blob(st, 0);
	size_t pack_len = (size_t)sqlite3_column_bytes(st, 0);
	wk_error why;
	int rc;
	if (pack) {
		rc = wk_stored_read_doc(pack, pack_len, out, &why);
	} else {
		const char *json = sqlite3_column_blob(st, 1);
		rc = wk_doc_from_json(json ? json : "", (size_t)sqlite3_column_bytes(st, 1), out, &why);
	}
	if (rc)
		return wk_set_error(err, rc, "library document %s: %s; add its file again", id,
		                    why.message);
	/* The document may have moved since it was parsed. */
	(*out)->path = wk_doc_str(*out, (const char *)sqlite3_column_text(st, 2));
	return WK_OK;
}

/* Runs `sql` for one document id: *out is the statement on its row. */
static int select_doc(wk_sqlite *s, const char *sql, const char *id, sqlite3_stmt **out,
                      wk_error *err)
{
	*out = NULL;
	sqlite3_stmt *st = wk_db_prepare(s->db, sql, err);
	if (!st)
		return WK_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = st;
		return WK_OK;
	}
	rc = rc == SQLITE_DONE ? wk_set_error(err, WK_ENOTFOUND, "no library document %s", id)
	                       : wk_db_error(s->db, err, "loading a document");
	sqlite3_finalize(st);
	return rc;
}

static int load(wk_store *store, const char *id, wk_doc **out, wk_error *err)
{
	*out = NULL;
	sqlite3_stmt *st;
	int rc = select_doc((wk_sqlite *)store, "SELECT pack, json, path FROM docs WHERE id = ?1",
	                    id, &st, err);
	if (rc)
		return rc;
	rc = row_doc(st, id, out, err);
	sqlite3_finalize(st);
	return rc;
}

/* A stored index of another version (or none: schema 1) is built again: slower, same. */
static int load_indexed(wk_store *store, const char *id, wk_doc **doc, wk_index **ix,
                        wk_error *err)
{
	*doc = NULL;
	*ix = NULL;
	sqlite3_stmt *st;
	int rc = select_doc((wk_sqlite *)store, "SELECT pack, json, path, ix FROM docs WHERE id = ?1",
	                    id, &st, err);
	if (rc)
		return rc;
	rc = row_doc(st, id, doc, err);
	const void *blob = sqlite3_column_blob(st, 3);
	if (!rc && (!blob || wk_stored_read_index(*doc, blob, (size_t)sqlite3_column_bytes(st, 3),
	                                          ix, NULL) != WK_OK))
		rc = wk_index_new(*doc, ix, err);
	sqlite3_finalize(st);
	if (rc) {
		wk_doc_free(*doc);
		*doc = NULL;
	}
	return rc;
}

int wk_sqlite_delete(wk_sqlite *s, int64_t key, wk_error *err)
{
	static const char *const sql[] = {
		"DELETE FROM page_fts WHERE rowid IN (SELECT key FROM pages WHERE doc = ?1)",
		"DELETE FROM docs WHERE key = ?1", /* units and pages follow by cascade */
	};
	for (size_t i = 0; i < WK_ARRAY_LEN(sql); i++) {
		sqlite3_stmt *st = wk_db_prepare(s->db, sql[i], err);
		if (!st)
			return WK_EDB;
		sqlite3_bind_int64(st, 1, key);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return wk_db_error(s->db, err, "deleting a document");
	}
	return WK_OK;
}

int wk_sqlite_key(wk_sqlite *s, const char *sql, const char *arg, int64_t *key,
                  wk_error *err)
{
	*key = -1;
	sqlite3_stmt *st = wk_db_prepare(s->db, sql, err);
	if (!st)
		return WK_EDB;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*key = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? WK_OK : wk_db_error(s->db, err, "reading");
}

static int remove_doc(wk_store *store, const char *id, wk_error *err)
{
	wk_sqlite *s = (wk_sqlite *)store;
	if (wk_db_exec(s->db, "BEGIN IMMEDIATE", err))
		return WK_EDB;
	int64_t key;
	int rc = wk_sqlite_key(s, "SELECT key FROM docs WHERE id = ?1", id, &key, err);
	if (!rc && key < 0)
		rc = wk_set_error(err, WK_ENOTFOUND, "no library document %s", id);
	if (!rc)
		rc = wk_sqlite_delete(s, key, err);
	if (!rc)
		rc = wk_db_exec(s->db, "COMMIT", err);
	if (rc)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* The "format" this version writes into a document's JSON, read from an empty one. */
static int current_format(void)
{
	wk_doc *doc = wk_doc_new();
	wk_doc_finish(doc);
	char *json = NULL;
	int format = -1;
	if (wk_doc_to_json(doc, &json, NULL, NULL) == WK_OK) {
		const char *f = strstr(json, "\"format\":");
		format = f ? atoi(f + 9) : -1;
	}
	wk_free(json);
	wk_doc_free(doc);
	return format;
}

/* Readable: a pack of this version, or (written by schema 1) JSON of this format.
 * Current: both packs of this version, the index made by this build's tokenizer. One
 * look at the packs' headers, without inflating them. */
static int state(wk_store *store, const char *id, int *readable, int *current, wk_error *err)
{
	wk_sqlite *s = (wk_sqlite *)store;
	*readable = 1;
	*current = 0;
	sqlite3_stmt *st;
	int rc = select_doc(s, "SELECT substr(pack, 1, 8), substr(ix, 1, 8), CASE WHEN pack IS NULL "
	                    "THEN json_extract(json, '$.format') END FROM docs WHERE id = ?1", id, &st,
	                    err);
	if (rc)
		return rc;
	const void *doc = sqlite3_column_blob(st, 0);
	size_t doc_len = (size_t)sqlite3_column_bytes(st, 0);
	const void *ix = sqlite3_column_blob(st, 1);
	size_t ix_len = (size_t)sqlite3_column_bytes(st, 1);
	if (doc) {
		*readable = wk_stored_current(doc, doc_len, WK_DOC_PACK_VERSION, 0);
	} else {
		if (!s->format)
			s->format = current_format();
		*readable = sqlite3_column_int(st, 2) == s->format;
	}
	*current = doc && ix && *readable &&
	           wk_stored_current(ix, ix_len, WK_INDEX_PACK_VERSION, wk_stored_index_key());
	sqlite3_finalize(st);
	return WK_OK;
}

/* New packs for a stored document; the JSON of schema 1 goes (the pack holds it all). */
static int repack(wk_store *store, const char *id, const wk_stored *stored, wk_error *err)
{
	wk_sqlite *s = (wk_sqlite *)store;
	sqlite3_stmt *st = wk_db_prepare(s->db, "UPDATE docs SET pack = ?1, ix = ?2, json = X'' "
	                                        "WHERE id = ?3", err);
	if (!st)
		return WK_EDB;
	sqlite3_bind_blob64(st, 1, stored->doc, stored->doc_len, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 2, stored->index, stored->index_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? WK_OK : wk_db_error(s->db, err, "writing");
	sqlite3_finalize(st);
	return rc;
}

static void close_store(wk_store *store)
{
	wk_sqlite *s = (wk_sqlite *)store;
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static int clone_store(wk_store *store, wk_store **out, wk_error *err)
{
	return wk_sqlite_store_open(((wk_sqlite *)store)->path, out, err);
}

static const wk_store_ops sqlite_ops = {
	.name = "sqlite",
	.close = close_store,
	.clone = clone_store,
	.by_hash = by_hash,
	.find = find,
	.list = list,
	.put = wk_sqlite_put,
	.load = load,
	.load_indexed = load_indexed,
	.state = state,
	.repack = repack,
	.remove = remove_doc,
	.rank = wk_sqlite_rank,
	.vectors = &wk_sqlite_vectors,
};

int wk_sqlite_store_open(const char *path, wk_store **out, wk_error *err)
{
	*out = NULL;
	sqlite3 *db = NULL;
	int rc = wk_db_open(path, &db, err);
	if (rc)
		return rc;
	wk_sqlite *s = wk_xcalloc(1, sizeof *s);
	s->base.ops = &sqlite_ops;
	s->db = db;
	s->path = wk_xstrdup(path);
	*out = &s->base;
	return WK_OK;
}

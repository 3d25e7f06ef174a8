/* put.c: writing one document into the SQLite store, in one transaction: its record, its
 * stored packs (stored.c), one row per unit, one search row per page. A crash at any point leaves the
 * document whole or absent. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int step_done(wk_sqlite *s, sqlite3_stmt *st, wk_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? WK_OK : wk_db_error(s->db, err, "writing a document");
}

static int insert_doc(wk_sqlite *s, const wk_store_put *put, int64_t *key, wk_error *err)
{
	wk_stored made = {0};
	const wk_stored *st_blobs = put->stored;
	if (!st_blobs) {
		int rc = wk_stored_make(put->doc, &made, err);
		if (rc)
			return rc;
		st_blobs = &made;
	}
	sqlite3_stmt *st = wk_db_prepare(
		s->db,
		"INSERT INTO docs(id, hash, name, path, title, npages, nunits, tokens, added, bytes, "
		"json, pack, ix) VALUES(substr(?1, 1, 16), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, X'', "
		"?10, ?11)",
		err);
	if (!st) {
		wk_stored_clear(&made);
		return WK_EDB;
	}
	const char *name = wk_base_name(put->path);
	const char *title = put->doc->title && *put->doc->title ? put->doc->title : name;
	sqlite3_bind_text(st, 1, put->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, put->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, title, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, put->doc->npages);
	sqlite3_bind_int(st, 6, put->doc->nunits);
	sqlite3_bind_int(st, 7, wk_doc_tokens(put->doc));
	sqlite3_bind_int64(st, 8, (int64_t)time(NULL));
	sqlite3_bind_int64(st, 9, put->bytes);
	sqlite3_bind_blob64(st, 10, st_blobs->doc, st_blobs->doc_len, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 11, st_blobs->index, st_blobs->index_len, SQLITE_STATIC);
	int rc = step_done(s, st, err);
	sqlite3_finalize(st);
	wk_stored_clear(&made);
	*key = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int insert_units(wk_sqlite *s, int64_t key, const wk_doc *doc, wk_error *err)
{
	sqlite3_stmt *st = wk_db_prepare(
		s->db, "INSERT INTO units(doc, idx, type, page, tokens) VALUES(?1, ?2, ?3, ?4, ?5)", err);
	if (!st)
		return WK_EDB;
	int rc = WK_OK;
	for (int i = 0; i < doc->nunits && !rc; i++) {
		const wk_unit *u = &doc->units[i];
		sqlite3_bind_int64(st, 1, key);
		sqlite3_bind_int(st, 2, u->idx);
		sqlite3_bind_int(st, 3, (int)u->type);
		sqlite3_bind_int(st, 4, u->page);
		sqlite3_bind_int(st, 5, wk_tokens_count(u->text) + wk_tokens_count(u->figure_text));
		rc = step_done(s, st, err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* One search row per page, and page 0 for the document's head. */
static int insert_pages(wk_sqlite *s, int64_t key, const wk_store_put *put, wk_error *err)
{
	sqlite3_stmt *page = wk_db_prepare(s->db, "INSERT INTO pages(doc, page) VALUES(?1, ?2)", err);
	sqlite3_stmt *fts = page ? wk_db_prepare(s->db, "INSERT INTO page_fts(rowid, body) "
	                                                "VALUES(last_insert_rowid(), ?1)",
	                                         err)
	                         : NULL;
	int rc = fts ? WK_OK : WK_EDB;
	for (int p = 0; p <= put->doc->npages && !rc; p++) {
		sqlite3_bind_int64(page, 1, key);
		sqlite3_bind_int(page, 2, p);
		rc = step_done(s, page, err);
		if (rc)
			break;
		if (put->page_text)
			sqlite3_bind_text(fts, 1, put->page_text[p], -1, SQLITE_STATIC);
		else
			sqlite3_bind_text(fts, 1, wk_page_search_text(put->doc, p, wk_base_name(put->path)),
			                  -1, free);
		rc = step_done(s, fts, err);
	}
	sqlite3_finalize(page);
	sqlite3_finalize(fts);
	return rc;
}

/* Same content already stored: nothing to write, or only its new path. */
static int keep_existing(wk_sqlite *s, const wk_store_put *put, wk_doc_info *found,
                         int *status, wk_error *err)
{
	if (!strcmp(found->path, put->path)) {
		*status = WK_ADD_UNCHANGED;
		return WK_OK;
	}
	sqlite3_stmt *st = wk_db_prepare(s->db, "UPDATE docs SET path = ?1, name = ?2 WHERE id = ?3",
	                                 err);
	if (!st)
		return WK_EDB;
	sqlite3_bind_text(st, 1, put->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, wk_base_name(put->path), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, found->id, -1, SQLITE_STATIC);
	int rc = step_done(s, st, err);
	sqlite3_finalize(st);
	*status = WK_ADD_MOVED;
	return rc;
}

static int write_new(wk_sqlite *s, const wk_store_put *put, int *status, wk_error *err)
{
	*status = WK_ADD_NEW;
	int64_t key = -1;
	int rc = WK_OK;
	while (put->replace_path && !rc) {
		rc = wk_sqlite_key(s, "SELECT key FROM docs WHERE path = ?1", put->path, &key, err);
		if (rc || key < 0)
			break;
		rc = wk_sqlite_delete(s, key, err);
		*status = WK_ADD_UPDATED;
	}
	if (!rc)
		rc = insert_doc(s, put, &key, err);
	if (!rc)
		rc = insert_units(s, key, put->doc, err);
	if (!rc)
		rc = insert_pages(s, key, put, err);
	return rc;
}

int wk_sqlite_put(wk_store *store, const wk_store_put *put, wk_doc_info *info, int *status,
                  wk_error *err)
{
	wk_sqlite *s = (wk_sqlite *)store;
	static const char by_hash[] = "SELECT " INFO_COLUMNS " FROM docs WHERE hash = ?1";
	if (wk_db_exec(s->db, "BEGIN IMMEDIATE", err))
		return WK_EDB;
	wk_doc_info found;
	int exists = 0;
	int rc = wk_sqlite_one(s, by_hash, put->hash, &found, &exists, NULL, err);
	if (!rc && exists && put->replace_hash && put->doc) {
		/* Stored by a version that wrote another document format: written anew. */
		int64_t key;
		rc = wk_sqlite_key(s, "SELECT key FROM docs WHERE hash = ?1", put->hash, &key, err);
		if (!rc && key >= 0)
			rc = wk_sqlite_delete(s, key, err);
		wk_info_clear(&found);
		exists = 0;
		if (!rc)
			rc = write_new(s, put, status, err);
		if (!rc)
			*status = WK_ADD_UPDATED;
	} else if (!rc && exists)
		rc = keep_existing(s, put, &found, status, err);
	else if (!rc)
		rc = write_new(s, put, status, err);
	if (exists)
		wk_info_clear(&found);
	/* The record is read in the transaction that wrote it: read after COMMIT, a DELETE
	 * of the same content in between would leave it empty. */
	int read = 0;
	if (!rc && info) {
		rc = wk_sqlite_one(s, by_hash, put->hash, info, &read, NULL, err);
		if (!rc && !read)
			rc = wk_set_error(err, WK_EINTERNAL, "the stored document cannot be read back");
	}
	if (!rc)
		rc = wk_db_exec(s->db, "COMMIT", err);
	if (rc) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		if (read)
			wk_info_clear(info);
	}
	return rc;
}

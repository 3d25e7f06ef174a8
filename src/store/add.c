/* add.c: adding one PDF: hash, compare with what the library holds, parse, write.
 *
 * A document is its content: the SHA-256 of its bytes. The same bytes again are a no-op
 * (or, from a path where the old file is gone, a move that keeps the id); other bytes
 * from a path the library knows replace that document. Parsing happens before the write
 * transaction, so the database is locked only for the write itself. */
#include "add.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILE ((size_t)2 << 30) /* PDFs larger than 2 GiB are refused */

/* 1 when a regular file of `bytes` bytes is still at `path`: the content is a copy. */
static int still_there(const char *path, int64_t bytes)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == bytes;
}

int wk_add_decide(wk_store *store, wk_add_job *job, wk_error *err)
{
	wk_doc_info found;
	int rc = store->ops->by_hash(store, job->hash, &found, err);
	if (rc == WK_ENOTFOUND) {
		wk_clear_error(err);
		job->decision = WK_DECIDE_PARSE;
		return WK_OK;
	}
	if (rc)
		return rc;
	int ok = 1, current = 1;
	rc = store->ops->state(store, found.id, &ok, &current, err);
	if (rc == WK_ENOTFOUND) { /* deleted since by_hash (a racing DELETE): new again */
		wk_clear_error(err);
		rc = WK_OK;
		ok = 0;
	}
	if (rc || !ok) {
		wk_info_clear(&found);
		job->stale = !ok;
		job->decision = WK_DECIDE_PARSE;
		return rc;
	}
	if (!strcmp(found.path, job->path) || !job->replace_path ||
	    still_there(found.path, found.bytes)) {
		job->decision = current ? WK_DECIDE_KNOWN : WK_DECIDE_REPACK;
		wk_info_clear(&job->info);
		job->info = found;
		return WK_OK;
	}
	wk_info_clear(&found);
	job->decision = WK_DECIDE_MOVE;
	return WK_OK;
}

/* Reads and hashes the file when the job has no bytes yet. */
static int load_bytes(wk_add_job *job, wk_error *err)
{
	if (job->data)
		return WK_OK;
	size_t len = 0;
	int rc = wk_read_file(job->path, MAX_FILE, &job->owned, &len, err);
	if (rc)
		return rc;
	job->data = job->owned;
	job->len = len;
	return WK_OK;
}

/* The pages' search text, made here in the parse thread. */
static void search_text(wk_add_job *job)
{
	job->page_text = wk_xcalloc((size_t)job->doc->npages + 1, sizeof *job->page_text);
	for (int p = 0; p <= job->doc->npages; p++)
		job->page_text[p] = wk_page_search_text(job->doc, p, wk_base_name(job->path));
}

int wk_add_prepare(wk_store *store, wk_add_job *job, const wk_parse_opts *opts, wk_error *err)
{
	int rc = load_bytes(job, err);
	if (rc)
		return rc;
	job->bytes = (int64_t)job->len;
	wk_sha256_hex(job->data, job->len, job->hash);
	rc = wk_add_decide(store, job, err);
	if (!rc && job->decision == WK_DECIDE_PARSE)
		rc = wk_parse_memory(job->data, job->len, job->path, opts, &job->doc, err);
	if (!rc && job->decision == WK_DECIDE_PARSE)
		search_text(job);
	if (!rc && job->decision == WK_DECIDE_REPACK) /* the stored document, not the file */
		rc = store->ops->load(store, job->info.id, &job->doc, err);
	free(job->owned);
	job->owned = NULL;
	job->data = NULL;
	return rc;
}

/* Same content, packs of an older version (or none, from schema 1): made anew from the
 * stored document, without parsing the file again. The file is reported unchanged. */
static int repack(wk_store *store, wk_add_job *job, wk_error *err)
{
	int rc = job->doc ? WK_OK : store->ops->load(store, job->info.id, &job->doc, err);
	if (!rc && !job->stored.doc)
		rc = wk_stored_make(job->doc, &job->stored, err);
	if (!rc)
		rc = store->ops->repack(store, job->info.id, &job->stored, err);
	job->status = WK_ADD_UNCHANGED;
	return rc;
}

/* Known content uploaded again: only its bytes are kept, when the store had none (the
 * document was added from a file). The record stays as it is. */
static int keep_file(wk_store *store, wk_add_job *job, wk_error *err)
{
	wk_doc_info known = job->info;
	memset(&job->info, 0, sizeof job->info);
	wk_store_put put = {.hash = job->hash, .path = known.path, .bytes = job->bytes,
	                    .file = job->file, .file_len = job->file_len};
	int rc = store->ops->put(store, &put, &job->info, &job->status, err);
	wk_info_clear(&known);
	return rc;
}

int wk_add_commit(wk_store *store, wk_add_job *job, wk_error *err)
{
	/* Decided again under this handle: another job or process may have written since. */
	int rc = wk_add_decide(store, job, err);
	if (rc)
		return rc;
	if (job->decision == WK_DECIDE_KNOWN && job->file)
		return keep_file(store, job, err);
	if (job->decision == WK_DECIDE_KNOWN) {
		job->status = WK_ADD_UNCHANGED;
		return WK_OK;
	}
	if (job->decision == WK_DECIDE_REPACK)
		return repack(store, job, err);
	if (job->decision == WK_DECIDE_PARSE && !job->doc)
		return wk_set_error(err, WK_EINTERNAL, "%s: changed while it was added; add it again",
		                    job->path);
	/* The packs are made by the writer, before its transaction: the parse threads then do
	 * no more than parsing, and with one parse thread `add` keeps up with `parse`. */
	if (job->doc && !job->stored.doc && (rc = wk_stored_make(job->doc, &job->stored, err)))
		return rc;
	wk_store_put put = {.doc = job->doc, .hash = job->hash, .path = job->path,
	                    .bytes = job->bytes, .replace_path = job->replace_path,
	                    .replace_hash = job->stale,
	                    .stored = &job->stored,
	                    .page_text = job->page_text,
	                    .file = job->file, .file_len = job->file_len};
	wk_info_clear(&job->info);
	rc = store->ops->put(store, &put, &job->info, &job->status, err);
	if (!rc && job->doc) /* partly damaged files must not be indexed silently */
		job->info.ndamaged = wk_doc_damaged_pages(job->doc, job->info.damaged,
		                                          sizeof job->info.damaged);
	return rc;
}

void wk_add_job_clear(wk_add_job *job)
{
	for (int p = 0; job->page_text && job->doc && p <= job->doc->npages; p++)
		free(job->page_text[p]);
	free(job->page_text);
	wk_stored_clear(&job->stored);
	free(job->vec);
	wk_doc_free(job->doc);
	free(job->owned);
	wk_info_clear(&job->info);
	memset(job, 0, sizeof *job);
}

static int add_one(wk_library *lib, wk_add_job *job, const wk_parse_opts *opts,
                   wk_doc_info *info, int *status, wk_error *err)
{
	if (status)
		*status = WK_ADD_NEW;
	const void *data = job->data;
	size_t len = job->len;
	int rc = wk_add_prepare(lib->store, job, opts, err);
	if (!rc)
		rc = wk_add_commit(lib->store, job, err);
	if (rc == WK_EINTERNAL && job->decision == WK_DECIDE_PARSE && !job->doc) {
		/* The content was there when prepared, gone when committed (a DELETE of the same
		 * content in between): once more, parsing it now. */
		wk_clear_error(err);
		job->data = data;
		job->len = len;
		rc = wk_add_prepare(lib->store, job, opts, err);
		if (!rc)
			rc = wk_add_commit(lib->store, job, err);
	}
	if (!rc) {
		if (status)
			*status = job->status;
		wk_library_lend(lib, &job->info, info);
		memset(&job->info, 0, sizeof job->info);
	}
	wk_add_job_clear(job);
	return rc;
}

int wk_library_add(wk_library *lib, const char *path, const wk_parse_opts *opts,
                   wk_doc_info *info, int *status, wk_error *err)
{
	if (!lib || !path || !*path)
		return wk_set_error(err, WK_EINVAL, "no library or no file to add");
	wk_add_job job = {.path = path, .replace_path = 1};
	return add_one(lib, &job, opts, info, status, err);
}

int wk_library_add_memory(wk_library *lib, const void *data, size_t len, const char *name,
                          const wk_parse_opts *opts, wk_doc_info *info, int *status,
                          wk_error *err)
{
	if (!lib || !data || !name || !*name)
		return wk_set_error(err, WK_EINVAL, "no library, no data or no name to add");
	/* Uploads named alike are different documents: only identical bytes are merged. */
	wk_add_job job = {.path = name, .data = data, .len = len, .replace_path = 0};
	if (lib->store->ops->file) { /* kept with the document, in its transaction */
		job.file = data;
		job.file_len = len;
	}
	return add_one(lib, &job, opts, info, status, err);
}

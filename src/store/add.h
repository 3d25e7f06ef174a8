/* add.h: one file's way into the library, in two halves so that several threads can
 * parse while one writes. Internal to src/store/.
 *
 *   wk_add_prepare  (any thread, its own store handle) read, hash, look up, parse
 *   wk_add_commit   (the writer) look up again, pack, write in one transaction */
#ifndef WK_STORE_ADD_H
#define WK_STORE_ADD_H

#include "store.h"

enum {
	WK_DECIDE_PARSE = 0, /* new content: parse and write */
	WK_DECIDE_KNOWN,     /* the content is there: nothing to do */
	WK_DECIDE_MOVE,      /* the content is there under a path that is gone: repoint it */
	WK_DECIDE_REPACK     /* the content is there, its packs are outdated: make them anew */
};

typedef struct wk_add_job {
	const char *path;    /* borrowed */
	const void *data;    /* the bytes: borrowed, or `owned` once read */
	size_t len;
	char *owned;
	int replace_path;    /* a file: its path identifies what it replaces */
	int stale;           /* the content is there, in a format this version cannot read */
	const void *file;    /* bytes the store keeps with the document (uploads), borrowed */
	size_t file_len;
	char hash[65];
	int64_t bytes;
	int decision;        /* WK_DECIDE_* */
	wk_doc *doc;         /* parsed, when it is to be written */
	char **page_text;    /* its pages' search text (the parse thread's), npages + 1 */
	wk_stored stored;    /* its packs (the writer's, before its transaction) */
	float *vec;          /* its unit vectors (add --embed), nunits x dim, malloc'd; NULL */
	int dim, nvec;       /* ... their dimension and count */
	int embed_rc;        /* the embedding's outcome */
	wk_error embed_err;
	int status;          /* WK_ADD_* after the commit */
	wk_doc_info info;    /* the record after the commit (malloc'd strings) */
} wk_add_job;

/* Looks the job's hash up and sets job->decision (and job->info when known). */
int wk_add_decide(wk_store *store, wk_add_job *job, wk_error *err);

int wk_add_prepare(wk_store *store, wk_add_job *job, const wk_parse_opts *opts, wk_error *err);
int wk_add_commit(wk_store *store, wk_add_job *job, wk_error *err);

/* The unit vectors of the job's document for opts' model (parse threads): none when the
 * library has them; otherwise embedded, from the parsed document or the stored one.
 * Fills job->vec, or job->embed_rc and embed_err. */
void wk_add_embed(wk_store *store, wk_add_job *job, const wk_llm_opts *opts);
/* Stores them under the committed document (the writer), replacing that model's. */
int wk_add_store_vectors(wk_store *store, wk_add_job *job, const wk_llm_opts *opts,
                         wk_error *err);

/* Frees what the job holds (document, bytes, record) and zeroes it; path stays borrowed. */
void wk_add_job_clear(wk_add_job *job);

#endif /* WK_STORE_ADD_H */

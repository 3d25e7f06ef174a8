/* copy.c: copying a library into another (`wukong add --from`): between SQLite and
 * PostgreSQL in either direction, without parsing.
 *
 * Each stored document is loaded, packed again (the index is built from the document, not
 * from the PDF) and written in its own transaction, as an add writes it; content already
 * in the target is left as it is, so a copy that was stopped is simply run again. An
 * uploaded PDF goes with its document: from the source's database or uploads folder to
 * the target's, and so do its unit vectors of every embedding model (ids are the content's,
 * the same in both libraries). */
#include "store.h"

#include "../doc/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_UPLOAD ((size_t)2 << 30)

char *wk_library_uploads_dir(const char *db_path)
{
	const char *named = db_path ? db_path : getenv("WUKONG_DB");
	const char *cache = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	wk_buf b;
	wk_buf_init(&b, 0);
	if (named && *named && strstr(named, "://")) { /* the library keeps them: a cache */
		if (cache && *cache)
			wk_buf_printf(&b, "%s/wukong/pdfs", cache);
		else
			wk_buf_printf(&b, "%s/.cache/wukong/pdfs", home ? home : ".");
		return wk_buf_steal(&b);
	}
	char *path = named && *named ? wk_xstrdup(named) : wk_library_default_path();
	wk_buf_printf(&b, "%s.pdfs", path ? path : "./library.db");
	free(path);
	return wk_buf_steal(&b);
}

typedef struct copy_ctx {
	wk_store *src, *dst;
	char *src_uploads; /* NULL: the source keeps uploads itself */
	char *dst_uploads; /* NULL: the target keeps uploads itself */
} copy_ctx;

/* The upload of `hash` in the source, when it has one (*data malloc'd, else NULL). */
static int read_upload(copy_ctx *c, const char *hash, char **data, size_t *len, wk_error *err)
{
	*data = NULL;
	*len = 0;
	if (!c->src_uploads) {
		int rc = c->src->ops->file(c->src, hash, data, len, err);
		if (rc == WK_ENOTFOUND)
			wk_clear_error(err);
		return rc == WK_ENOTFOUND ? WK_OK : rc;
	}
	char path[4200];
	snprintf(path, sizeof path, "%s/%s.pdf", c->src_uploads, hash);
	return access(path, R_OK) ? WK_OK : wk_read_file(path, MAX_UPLOAD, data, len, err);
}

/* A target that keeps no uploads has them in its folder, where its server looks. */
static int write_upload(copy_ctx *c, const char *hash, const char *data, size_t len,
                        wk_error *err)
{
	if (!data || !c->dst_uploads)
		return WK_OK;
	char path[4200];
	snprintf(path, sizeof path, "%s/%s.pdf", c->dst_uploads, hash);
	int rc = wk_mkdirs(c->dst_uploads, err);
	return rc ? rc : wk_write_file_atomic(path, data, len, err);
}

typedef struct vec_copy {
	copy_ctx *c;
	const char *id;
	int rc;
	wk_error *err;
} vec_copy;

static void copy_model(void *user, const char *model, int dim, const void *vec, size_t len)
{
	vec_copy *v = user;
	if (v->rc == WK_OK)
		v->rc = v->c->dst->ops->vectors->put(v->c->dst, v->id, model, dim, vec, len, v->err);
}

/* The document's vectors of every model, when both libraries keep vectors. */
static int copy_vectors(copy_ctx *c, const char *id, wk_error *err)
{
	const wk_vector_ops *from = c->src->ops->vectors, *to = c->dst->ops->vectors;
	if (!from || !to)
		return WK_OK;
	vec_copy v = {.c = c, .id = id, .err = err};
	int rc = from->of_doc(c->src, id, copy_model, &v, err);
	return rc ? rc : v.rc;
}

static int copy_one(copy_ctx *c, const wk_doc_info *info, int *status, wk_error *err)
{
	wk_doc_info there;
	int rc = c->dst->ops->by_hash(c->dst, info->hash, &there, err);
	if (rc != WK_ENOTFOUND) {
		if (!rc)
			wk_info_clear(&there);
		*status = WK_ADD_UNCHANGED;
		return rc ? rc : copy_vectors(c, info->id, err); /* a copy stopped before them */
	}
	wk_clear_error(err);
	wk_doc *doc = NULL;
	wk_stored stored = {0};
	char *file = NULL;
	size_t file_len = 0;
	rc = c->src->ops->load(c->src, info->id, &doc, err);
	if (!rc)
		rc = wk_stored_make(doc, &stored, err);
	if (!rc)
		rc = read_upload(c, info->hash, &file, &file_len, err);
	if (!rc) {
		wk_store_put put = {.doc = doc, .hash = info->hash, .path = info->path,
		                    .bytes = info->bytes, .stored = &stored,
		                    .file = c->dst->ops->file ? file : NULL, .file_len = file_len};
		rc = c->dst->ops->put(c->dst, &put, NULL, status, err);
	}
	if (!rc)
		rc = write_upload(c, info->hash, c->dst->ops->file ? NULL : file, file_len, err);
	if (!rc)
		rc = copy_vectors(c, info->id, err);
	free(file);
	wk_stored_clear(&stored);
	wk_doc_free(doc);
	return rc;
}

static int open_source(const char *source, wk_store **out, wk_error *err)
{
	*out = NULL;
	if (!strstr(source, "://") && access(source, R_OK) != 0) /* never created by a copy */
		return wk_set_error(err, WK_ENOENT, "%s: no such library", source);
	return wk_store_open(source, out, err);
}

static void report(const wk_add_opts *opts, const wk_doc_info *info, int rc, int status,
                   const wk_error *err)
{
	if (opts && opts->on_file)
		opts->on_file(opts->user, info->path, rc, status, info, err);
}

int wk_library_add_from(wk_library *lib, const char *source, const char *lib_path,
                        const wk_add_opts *opts, int *failed, wk_error *err)
{
	if (failed)
		*failed = 0;
	if (!lib || !source)
		return wk_set_error(err, WK_EINVAL, "no library or no source library");
	copy_ctx c = {.dst = lib->store};
	int rc = open_source(source, &c.src, err);
	wk_doc_info *infos = NULL;
	int n = 0;
	if (!rc)
		rc = c.src->ops->list(c.src, &infos, &n, err);
	c.src_uploads = !rc && !c.src->ops->file ? wk_library_uploads_dir(source) : NULL;
	c.dst_uploads = !c.dst->ops->file ? wk_library_uploads_dir(lib_path) : NULL;
	for (int i = 0; !rc && i < n; i++) {
		wk_error one = {0};
		int status = WK_ADD_NEW;
		int r = copy_one(&c, &infos[i], &status, &one);
		report(opts, &infos[i], r, status, &one);
		if (r == WK_EDB || r == WK_EIO || r == WK_ENOMEM) { /* the libraries, not the doc */
			if (err)
				*err = one;
			rc = r;
		} else if (r && failed) {
			(*failed)++;
		}
	}
	wk_doc_infos_free(infos, n);
	free(c.src_uploads);
	free(c.dst_uploads);
	if (c.src)
		c.src->ops->close(c.src);
	return rc;
}

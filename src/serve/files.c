/* files.c: the kept copies of uploaded PDFs (<db>.pdfs/<sha256>.pdf), from which pages
 * are rendered long after the upload. A copy exists only while its document's row does:
 * writing a copy (after its row was committed) and removing a row with its copy happen
 * under one lock, so an upload racing a DELETE of the same content leaves either both or
 * neither; copies left by a crash are swept at start-up. */
#include "serve.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void wk_files_path(const wk_serve_ctx *ctx, const char *hash, char *path, size_t size)
{
	snprintf(path, size, "%s/%s.pdf", ctx->pdf_dir, hash);
}

/* The document whose content hash is `hash`: WK_ENOTFOUND when there is none. */
static int find_hash(wk_library *lib, const char *hash, wk_doc_info *info, wk_error *err)
{
	char id[17];
	snprintf(id, sizeof id, "%s", hash);
	int rc = wk_library_find(lib, id, info, err);
	if (rc == WK_OK && strcmp(info->hash, hash) != 0)
		rc = wk_set_error(err, WK_ENOTFOUND, "no document %s", id);
	return rc;
}

int wk_files_keep(const wk_serve_ctx *ctx, wk_library *lib, const char *hash, const void *pdf,
                  size_t len, wk_doc_info *info, wk_error *err)
{
	char kept[4096], key[65];
	snprintf(key, sizeof key, "%s", hash);
	wk_files_path(ctx, key, kept, sizeof kept);
	pthread_mutex_lock(ctx->files);
	int rc = find_hash(lib, key, info, err);
	if (rc == WK_ENOTFOUND)
		wk_set_error(err, WK_ENOTFOUND, "the document was deleted while it was being uploaded");
	else if (rc == WK_OK && access(kept, R_OK) != 0)
		rc = wk_write_file_atomic(kept, pdf, len, err);
	pthread_mutex_unlock(ctx->files);
	return rc;
}

int wk_files_remove(const wk_serve_ctx *ctx, wk_library *lib, const char *id, const char *hash,
                    wk_error *err)
{
	char kept[4096];
	wk_files_path(ctx, hash, kept, sizeof kept);
	pthread_mutex_lock(ctx->files);
	int rc = wk_library_remove(lib, id, err);
	if (rc == WK_OK)
		unlink(kept);
	pthread_mutex_unlock(ctx->files);
	return rc;
}

/* "<64 hex>.pdf", or the same followed by ".tmp.<pid>" (a write a crash cut short). */
static int kept_name(const char *name, char *hash)
{
	size_t n = strspn(name, "0123456789abcdef");
	if (n != 64 || strncmp(name + 64, ".pdf", 4))
		return 0;
	if (name[68] && strncmp(name + 68, ".tmp.", 5))
		return 0;
	memcpy(hash, name, 64);
	hash[64] = '\0';
	return name[68] ? 2 : 1;
}

int wk_files_sweep(const wk_serve_ctx *ctx, wk_library *lib)
{
	DIR *dir = opendir(ctx->pdf_dir);
	if (!dir)
		return 0;
	int removed = 0;
	char hash[65], path[4096];
	struct dirent *e;
	while ((e = readdir(dir))) {
		int kind = kept_name(e->d_name, hash);
		if (!kind)
			continue; /* not ours: left alone */
		wk_doc_info info;
		wk_error err;
		int rc = kind == 2 ? WK_ENOTFOUND : find_hash(lib, hash, &info, &err);
		if (rc != WK_ENOTFOUND)
			continue;
		snprintf(path, sizeof path, "%s/%s", ctx->pdf_dir, e->d_name);
		removed += unlink(path) == 0;
	}
	closedir(dir);
	return removed;
}

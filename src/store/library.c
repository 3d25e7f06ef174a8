/* library.c: the public wk_library_* calls over a store, and the helpers they share. */
#include "pg.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A long-lived handle (the server's) keeps this many documents loaded for questions. */
#define CACHE_DOCS 16
#define CACHE_BYTES ((size_t)256 << 20)

char *wk_library_default_path(void)
{
	const char *named = getenv("WUKONG_DB");
	if (named && *named)
		return wk_xstrdup(named);
	const char *data = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	wk_buf b;
	wk_buf_init(&b, 0);
	if (data && *data)
		wk_buf_printf(&b, "%s/wukong/library.db", data);
	else if (home && *home)
		wk_buf_printf(&b, "%s/.local/share/wukong/library.db", home);
	else
		return NULL;
	return wk_buf_steal(&b);
}

void wk_info_clear(wk_doc_info *info)
{
	if (!info)
		return;
	free((char *)info->name);
	free((char *)info->path);
	free((char *)info->title);
	memset(info, 0, sizeof *info);
}

void wk_doc_infos_free(wk_doc_info *infos, int n)
{
	for (int i = 0; infos && i < n; i++)
		wk_info_clear(&infos[i]);
	free(infos);
}

/* Keeps the strings of `got` in lib until its next call and copies the record out. */
void wk_library_lend(wk_library *lib, wk_doc_info *got, wk_doc_info *out)
{
	wk_info_clear(&lib->held);
	lib->held = *got;
	if (out)
		*out = *got;
}

int wk_store_find(wk_store *s, const char *const *queries, int n, wk_find_query query,
                  const char *key, wk_doc_info *info, wk_error *err)
{
	for (int i = 0; i < n; i++) {
		int found = 0, ambiguous = 0;
		int rc = query(s, queries[i], key, info, &found, &ambiguous, err);
		if (rc)
			return rc;
		if (found && ambiguous) {
			wk_info_clear(info);
			return wk_set_error(err, WK_EINVAL,
			                    "'%s' matches several library documents: give its id", key);
		}
		if (found)
			return WK_OK;
	}
	return wk_set_error(err, WK_ENOTFOUND, "no library document '%s' (see `wukong ls`)", key);
}

int wk_store_open(const char *path, wk_store **out, wk_error *err)
{
	if (!strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11))
		return wk_pg_store_open(path, out, err);
	/* Any other URI is a mistake, not a folder to create an SQLite file in. */
	if (wk_pg_is_uri(path))
		return wk_set_error(err, WK_EINVAL, "%.*s: not a library URI (postgresql://... or a "
		                                    "file)", (int)(strstr(path, "://") - path + 3),
		                    path);
	return wk_sqlite_store_open(path, out, err);
}

int wk_library_open(const char *path, wk_library **out, wk_error *err)
{
	*out = NULL;
	char *fallback = path ? NULL : wk_library_default_path();
	if (!path && !fallback)
		return wk_set_error(err, WK_EINVAL, "no library path: set WUKONG_DB, XDG_DATA_HOME or "
		                                    "HOME, or give --db FILE");
	wk_store *store = NULL;
	int rc = wk_store_open(path ? path : fallback, &store, err);
	free(fallback);
	if (rc)
		return rc;
	wk_library *lib = wk_xcalloc(1, sizeof *lib);
	lib->store = store;
	wk_cache_init(&lib->cache, CACHE_DOCS, CACHE_BYTES);
	*out = lib;
	return WK_OK;
}

void wk_library_close(wk_library *lib)
{
	if (!lib)
		return;
	wk_info_clear(&lib->held);
	wk_cache_clear(&lib->cache);
	lib->store->ops->close(lib->store);
	free(lib);
}

int wk_library_list(wk_library *lib, wk_doc_info **infos, int *n, wk_error *err)
{
	*infos = NULL;
	*n = 0;
	if (!lib)
		return wk_set_error(err, WK_EINVAL, "no library");
	return lib->store->ops->list(lib->store, infos, n, err);
}

int wk_library_find(wk_library *lib, const char *id_or_name, wk_doc_info *info, wk_error *err)
{
	if (!lib || !id_or_name || !*id_or_name)
		return wk_set_error(err, WK_EINVAL, "no library or no document name");
	wk_doc_info got;
	int rc = lib->store->ops->find(lib->store, id_or_name, &got, err);
	if (!rc)
		wk_library_lend(lib, &got, info);
	return rc;
}

int wk_library_load(wk_library *lib, const char *id, wk_doc **doc, wk_error *err)
{
	*doc = NULL;
	if (!lib || !id)
		return wk_set_error(err, WK_EINVAL, "no library or no document id");
	return lib->store->ops->load(lib->store, id, doc, err);
}

int wk_library_remove(wk_library *lib, const char *id, wk_error *err)
{
	if (!lib || !id)
		return wk_set_error(err, WK_EINVAL, "no library or no document id");
	wk_cache_clear(&lib->cache); /* nothing removed may be answered from memory */
	return lib->store->ops->remove(lib->store, id, err);
}

int wk_library_file(wk_library *lib, const char *hash, char **data, size_t *len,
                    wk_error *err)
{
	*data = NULL;
	*len = 0;
	if (!lib || !hash)
		return wk_set_error(err, WK_EINVAL, "no library or no document hash");
	if (!lib->store->ops->file)
		return wk_set_error(err, WK_ENOTFOUND, "this library keeps no PDFs");
	return lib->store->ops->file(lib->store, hash, data, len, err);
}

int wk_library_keeps_files(const wk_library *lib)
{
	return lib && lib->store->ops->file != NULL;
}

void wk_docs_free(wk_doc **docs, int n)
{
	for (int i = 0; docs && i < n; i++)
		wk_doc_free(docs[i]);
	free(docs);
}

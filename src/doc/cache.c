/* cache.c: wk_parse_cached: a document's parse kept as its JSON under
 * $XDG_CACHE_HOME/wukong (default ~/.cache/wukong), never beside the user's files.
 *
 * The key is the SHA-256 of the file's bytes plus the options that change the result and
 * the versions of the program and of the document JSON, so a new parser or other
 * options simply miss. A cache entry that cannot be read is ignored and rewritten;
 * a cache that cannot be written is not an error (the parse is still returned). */
#include "doc.h"
#include "../pdf/pdf.h" /* WK_PARSER_VERSION: a new parser makes old entries miss */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_FORMAT "1" /* bump when what a cache entry means changes */

char *wk_cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	wk_buf b;
	wk_buf_init(&b, 4096);
	if (xdg && *xdg == '/')
		wk_buf_printf(&b, "%s/wukong", xdg);
	else if (home && *home)
		wk_buf_printf(&b, "%s/.cache/wukong", home);
	if (b.full || b.len == 0) {
		wk_buf_free(&b);
		return NULL;
	}
	return wk_buf_steal(&b);
}

/* The options that change the parse, as a short hex digest. */
static void options_key(const wk_parse_opts *o, char out[17])
{
	wk_buf b;
	wk_buf_init(&b, 8192);
	wk_buf_printf(&b, "%s|%s|%d|%d|%d|%s|%s|%d", WK_VERSION, CACHE_FORMAT,
	              o ? o->first_page : 0, o ? o->last_page : 0, o ? o->ocr : WK_OCR_AUTO,
	              o && o->ocr_lang ? o->ocr_lang : "eng",
	              o && o->figures_dir ? o->figures_dir : "", o && o->figures_dir ? o->dpi : 0);
#ifdef WK_PARSER_VERSION
	wk_buf_printf(&b, "|%s", WK_PARSER_VERSION);
#endif
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < b.len; i++)
		h = (h ^ (unsigned char)b.data[i]) * 1099511628211ull;
	wk_buf_free(&b);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static wk_doc *cache_load(const char *file, const char *path)
{
	char *json = NULL;
	size_t len = 0;
	if (wk_read_file(file, 0, &json, &len, NULL) != WK_OK)
		return NULL;
	wk_doc *doc = NULL;
	int rc = wk_doc_from_json(json, len, &doc, NULL);
	free(json);
	if (rc != WK_OK)
		return NULL;
	doc->path = wk_doc_str(doc, path); /* the file may have moved since */
	return doc;
}

static void cache_store(const char *dir, const char *file, const wk_doc *doc)
{
	char *json = NULL;
	size_t len = 0;
	if (wk_mkdirs(dir, NULL) != WK_OK || wk_doc_to_json(doc, &json, &len, NULL) != WK_OK)
		return;
	wk_write_file_atomic(file, json, len, NULL);
	wk_free(json);
}

int wk_parse_cached(const char *path, const wk_parse_opts *opts, wk_doc **out, int *cached,
                    wk_error *err)
{
	*out = NULL;
	if (cached)
		*cached = 0;
	if (!path)
		return wk_set_error(err, WK_EINVAL, "no file to parse");
	char hex[65], key[17];
	int rc = wk_sha256_file(path, hex, err);
	if (rc != WK_OK)
		return rc;
	options_key(opts, key);
	char *dir = wk_cache_dir();
	wk_buf file;
	wk_buf_init(&file, 0);
	if (dir)
		wk_buf_printf(&file, "%s/%s-%s.json", dir, hex, key);
	wk_doc *doc = dir ? cache_load(wk_buf_cstr(&file), path) : NULL;
	if (doc && strcmp(doc->hash, hex) != 0) {
		wk_doc_free(doc); /* a foreign or corrupt entry: parse again and overwrite */
		doc = NULL;
	}
	if (doc) {
		if (cached)
			*cached = 1;
	} else {
		rc = wk_parse_file(path, opts, &doc, err);
		if (rc == WK_OK && dir)
			cache_store(dir, wk_buf_cstr(&file), doc);
	}
	wk_buf_free(&file);
	free(dir);
	*out = rc == WK_OK ? doc : NULL;
	return rc;
}

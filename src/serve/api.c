/* api.c: the document endpoints (list, get, upload, delete), health, and the dispatch of
 * every routed request. Uploaded PDFs are kept as <pdf_dir>/<sha256>.pdf because pages
 * and crops are rendered from the file long after the upload. */
#include "serve.h"

#include "../answer/llm.h" /* wk_llm_reachable, wk_llm_public_url */

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *info_json(const wk_doc_info *info)
{
	return json_pack("{s:s, s:s, s:s?, s:s?, s:i, s:i, s:I, s:I}", "id", info->id, "hash",
	                 info->hash, "name", info->name, "title", info->title, "pages",
	                 info->npages, "units", info->nunits, "added", (json_int_t)info->added,
	                 "bytes", (json_int_t)info->bytes);
}

/* "damaged_pages": the pages that could not be read, from "3, 7, ..." (the rest cut). */
static void set_damaged(json_t *rec, const char *list)
{
	json_t *pages = json_array();
	for (const char *p = list; p && *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		json_array_append_new(pages, json_integer(v));
		p = end + strspn(end, ", ");
	}
	json_object_set_new(rec, "damaged_pages", pages);
}

static void reply_record(wk_http_reply *reply, int status, json_t *record)
{
	if (!record) {
		wk_reply_error(reply, 500, "a document record is not valid UTF-8");
		return;
	}
	wk_reply_json(reply, status, record);
}

int wk_api_find(wk_library *lib, const char *id, wk_doc_info *info, wk_http_reply *reply)
{
	char key[17];
	/* The library knows ids (16 digits) and their prefixes; a whole hash is checked below. */
	snprintf(key, sizeof key, "%s", id);
	wk_error err;
	int rc = wk_library_find(lib, key, info, &err);
	if (rc == WK_OK && strncmp(info->hash, id, strlen(id)) != 0)
		rc = wk_set_error(&err, WK_ENOTFOUND, "no document %s", id);
	if (rc == WK_ENOTFOUND)
		wk_reply_error(reply, 404, "no document %s", id);
	else if (rc)
		wk_reply_wk_error(reply, &err);
	return rc;
}

/* A library that keeps uploads itself (PostgreSQL, shared by servers that may share no
 * disk) is where they are; the folder holds this server's copies, made on first use. */
static int fetch_kept(wk_library *lib, const char *hash, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	if (!wk_library_keeps_files(lib) || wk_library_file(lib, hash, &data, &len, NULL))
		return 0;
	int ok = wk_write_file_atomic(path, data, len, NULL) == WK_OK;
	free(data);
	return ok;
}

int wk_api_pdf_path(const wk_serve_ctx *ctx, wk_library *lib, const wk_doc_info *info,
                    char *path, size_t size, wk_http_reply *reply)
{
	wk_files_path(ctx, info->hash, path, size);
	if (access(path, R_OK) == 0 || fetch_kept(lib, info->hash, path))
		return 1;
	/* Only an absolute path: an upload's path is its bare name, which must not be looked
	 * up in the server's working folder. */
	if (info->path && info->path[0] == '/' && access(info->path, R_OK) == 0) {
		snprintf(path, size, "%s", info->path);
		return 1;
	}
	wk_reply_error(reply, 404, "the PDF of document %s is no longer where it was added from",
	               info->id);
	return 0;
}

static void handle_list(wk_library *lib, wk_http_reply *reply)
{
	wk_doc_info *infos = NULL;
	int n = 0;
	wk_error err;
	if (wk_library_list(lib, &infos, &n, &err)) {
		wk_reply_wk_error(reply, &err);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		json_t *rec = info_json(&infos[i]);
		if (rec)
			json_array_append_new(arr, rec);
	}
	wk_doc_infos_free(infos, n);
	wk_reply_json(
	    reply, 200,
	    json_pack("{s:o, s:i}", "documents", arr, "count", (int)json_array_size(arr)));
}

/* The record plus page sizes in points, which the page needs to place boxes on images. */
static void handle_get(wk_library *lib, const char *id, wk_http_reply *reply)
{
	wk_doc_info info;
	if (wk_api_find(lib, id, &info, reply))
		return;
	json_t *rec = info_json(&info);
	wk_doc *doc = NULL;
	wk_error err;
	if (rec && wk_library_load(lib, info.id, &doc, &err) == WK_OK) {
		json_t *sizes = json_array();
		for (int i = 0; i < doc->npages; i++)
			json_array_append_new(sizes,
			                      json_pack("[f, f]", (double)doc->pages[i].width,
			                                (double)doc->pages[i].height));
		json_object_set_new(rec, "page_sizes", sizes);
		char damaged[96];
		wk_doc_damaged_pages(doc, damaged, sizeof damaged);
		set_damaged(rec, damaged);
		wk_doc_free(doc);
	}
	reply_record(reply, 200, rec);
}

static void handle_delete(const wk_serve_ctx *ctx, wk_library *lib, const char *id,
                          wk_http_reply *reply)
{
	wk_doc_info info;
	if (wk_api_find(lib, id, &info, reply))
		return;
	char hash[65], did[17];
	snprintf(hash, sizeof hash, "%s", info.hash);
	snprintf(did, sizeof did, "%s", info.id);
	wk_error err;
	if (wk_files_remove(ctx, lib, did, hash, &err)) {
		wk_reply_wk_error(reply, &err);
		return;
	}
	wk_reply_json(reply, 200, json_pack("{s:s}", "deleted", did));
}

/* A file name we can store and show: no folders, no control bytes, UTF-8, bounded. */
static void upload_name(const char *given, char *out, size_t size)
{
	const char *base = given ? strrchr(given, '/') : NULL;
	base = base ? base + 1 : given;
	const char *back = base ? strrchr(base, '\\') : NULL;
	base = back ? back + 1 : base;
	size_t n = 0;
	for (const char *p = base; p && *p && n + 1 < size; p++)
		if ((unsigned char)*p >= 0x20 && *p != 0x7f)
			out[n++] = *p;
	out[n] = '\0';
	while (n > 0 && !wk_utf8_valid(out, n))
		out[--n] = '\0'; /* a cut in the middle of a character */
	if (n == 0 || !strcmp(out, ".") || !strcmp(out, ".."))
		snprintf(out, size, "upload.pdf");
}

static int parse_failure(int code)
{
	return code != WK_EDB && code != WK_EIO && code != WK_ENOMEM && code != WK_EINTERNAL &&
	       code != WK_EVERSION;
}

static const char *add_status_name(int status)
{
	switch (status) {
	case WK_ADD_UNCHANGED:
		return "unchanged";
	case WK_ADD_UPDATED:
		return "updated";
	case WK_ADD_MOVED:
		return "moved";
	default:
		return "new";
	}
}

/* An encrypted upload sent with its password is kept, and parsed, decrypted: its pages
 * render later with no password anywhere (the password is neither stored nor logged).
 * *plain stays NULL when there is no password, or the PDF is not encrypted. */
static int unlock(const wk_http_req *req, const char *name, char **plain, size_t *len,
                  wk_error *err)
{
	*plain = NULL;
	if (!req->password || !*req->password)
		return WK_OK;
	int rc = wk_pdf_decrypt(req->body, req->body_len, name, req->password, plain, len, err);
	if (rc == WK_EINVAL || rc == WK_EDAMAGED) { /* not encrypted, or for the parse to say */
		*len = req->body_len;
		return WK_OK;
	}
	return rc;
}

/* 422 with "password": "needed" or "wrong", which the page reads to ask for it. */
static void reply_password(wk_http_reply *reply, const char *name, const char *password)
{
	int given = password && *password;
	char msg[400];
	snprintf(msg, sizeof msg, "%s: %s", name,
	         given ? "wrong password" : "encrypted: a password is needed");
	wk_reply_json(reply, 422, json_pack("{s:s, s:s}", "error", msg, "password",
	                                    given ? "wrong" : "needed"));
}

static void handle_upload(const wk_serve_ctx *ctx, wk_library *lib, const wk_http_req *req,
                          wk_http_reply *reply)
{
	if (!req->body || req->body_len == 0) {
		wk_reply_error(reply, 400,
		               "empty upload: send the PDF as the request body "
		               "or as the file of a multipart/form-data form");
		return;
	}
	char name[256];
	upload_name(req->filename, name, sizeof name);
	wk_parse_opts opts;
	wk_parse_opts_init(&opts);
	opts.timeout = ctx->timeout;
	opts.ocr = ctx->ocr;
	opts.ocr_page_timeout = ctx->ocr_timeout;
	opts.max_memory = ctx->max_memory;
	opts.shared = ctx->budget;
	opts.cancel = req->cancel;
	struct wk_progress_slot *progress = wk_progress_begin(ctx->progress, req->upload_id);
	if (progress) {
		opts.on_page = wk_progress_on_page;
		opts.user = progress;
	}
	wk_doc_info info;
	int status = WK_ADD_NEW;
	wk_error err;
	const char *pdf = req->body;
	size_t pdf_len = req->body_len;
	char *plain = NULL;
	int rc = unlock(req, name, &plain, &pdf_len, &err);
	if (rc == WK_OK && plain)
		pdf = plain;
	if (rc == WK_OK)
		rc = wk_library_add_memory(lib, pdf, pdf_len, name, &opts, &info, &status, &err);
	wk_progress_end(ctx->progress, progress);
	if (rc == WK_EPASSWORD) {
		reply_password(reply, name, req->password);
		free(plain);
		return;
	}
	if (rc)
		free(plain);
	if (rc && parse_failure(rc)) {
		wk_reply_error(reply, 422, "%s", err.message[0] ? err.message : wk_strerror(rc));
		return;
	}
	if (rc) {
		wk_reply_wk_error(reply, &err);
		return;
	}
	char hash[65], did[17], damaged[sizeof info.damaged];
	snprintf(hash, sizeof hash, "%s", info.hash);
	snprintf(damaged, sizeof damaged, "%s", info.damaged);
	snprintf(did, sizeof did, "%.16s", info.hash); /* an id is the hash's first 16 digits */
	rc = wk_files_keep(ctx, lib, hash, pdf, pdf_len, &info, &err);
	free(plain);
	if (rc == WK_ENOTFOUND) {
		wk_reply_error(reply, 409, "%s", err.message);
		return;
	}
	if (rc) {
		wk_files_remove(ctx, lib, did, hash, NULL); /* a document we could never render */
		wk_reply_wk_error(reply, &err);
		return;
	}
	json_t *rec = info_json(&info);
	if (rec) {
		json_object_set_new(rec, "status", json_string(add_status_name(status)));
		set_damaged(rec, damaged);
	}
	reply_record(reply, status == WK_ADD_NEW ? 201 : 200, rec);
}

static void handle_library(const wk_serve_ctx *ctx, const wk_route *route, const wk_http_req *req,
                           wk_http_reply *reply)
{
	wk_library *lib;
	wk_error err;
	if (wk_pool_get(ctx->pool, &lib, &err)) {
		wk_reply_wk_error(reply, &err);
		return;
	}
	int post = !strcmp(req->method, "POST"), del = !strcmp(req->method, "DELETE");
	if (route->kind == WK_ROUTE_DOCS && post)
		handle_upload(ctx, lib, req, reply);
	else if (route->kind == WK_ROUTE_DOCS)
		handle_list(lib, reply);
	else if (del)
		handle_delete(ctx, lib, route->id, reply);
	else
		handle_get(lib, route->id, reply);
	wk_pool_put(ctx->pool, lib);
}

/* One model backend for /healthz: its URL without credentials, its model, and whether a
 * server answers there now (within 2 s: a monitor must not hang on a stalled backend).
 * Never the key. */
static json_t *backend(const char *url, const char *model)
{
	if (!url || !*url)
		return json_pack("{s:b}", "configured", 0);
	char *shown = wk_llm_public_url(url);
	json_t *j = json_pack("{s:b, s:s, s:s, s:b}", "configured", 1, "url", shown, "model",
	                      model ? model : "default", "reachable", wk_llm_reachable(url, 2000));
	free(shown);
	return j;
}

static json_t *backends(const wk_serve_ctx *ctx)
{
	const wk_llm_opts *l = ctx->llm, *e = ctx->embed;
	return json_pack("{s:o, s:o, s:s}", "chat", backend(l ? l->url : NULL, l ? l->model : NULL),
	                 "embeddings", backend(e ? e->embed_url : NULL, e ? e->embed_model : NULL),
	                 "scorer", e ? "hybrid" : "lexical");
}

void wk_api_handle(const wk_serve_ctx *ctx, const wk_route *route, const wk_http_req *req,
                   wk_http_reply *reply)
{
	switch (route->kind) {
	case WK_ROUTE_PAGE_HTML:
		reply->status = 200;
		reply->content_type = "text/html; charset=utf-8";
		reply->body_static = wk_page_html(&reply->len);
		return;
	case WK_ROUTE_FAVICON:
		reply->status = 200;
		reply->content_type = "image/x-icon";
		reply->body_static = wk_page_favicon(&reply->len);
		reply->cache = 1;
		return;
	case WK_ROUTE_HEALTH:
		wk_reply_json(reply, 200,
		              json_pack("{s:s, s:s, s:b, s:o}", "status", "ok", "version", WK_VERSION,
		                        "llm", ctx->llm != NULL, "backends", backends(ctx)));
		return;
	case WK_ROUTE_DOCS:
	case WK_ROUTE_DOC:
		handle_library(ctx, route, req, reply);
		return;
	case WK_ROUTE_DOC_PAGE:
	case WK_ROUTE_DOC_UNIT:
		wk_api_render(ctx, route, req, reply);
		return;
	case WK_ROUTE_ASK:
		wk_api_ask(ctx, req, reply);
		return;
	case WK_ROUTE_UPLOAD:
		wk_api_upload_progress(ctx->progress, route->id, reply);
		return;
	case WK_ROUTE_BAD:
		wk_reply_error(reply, 400, "%s", route->why ? route->why : "bad path");
		return;
	default:
		wk_reply_error(reply, 404, "no such resource: %s", req->path);
		return;
	}
}

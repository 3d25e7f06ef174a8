/* render.c: page images and unit crops as PNG. The library handle is given back before
 * rendering, which is the slow part and needs only the file. */
#include "serve.h"

#include <stdio.h>
#include <string.h>

#define DPI_DEFAULT 96
#define DPI_MIN 18
#define DPI_MAX 300
/* A hostile page size must not become a gigapixel image. */
#define MAX_SIDE 5000

/* ?dpi=N: absent means the default; anything but a bounded integer is a 400. */
static int parse_dpi(const char *s, wk_http_reply *reply)
{
	if (!s)
		return DPI_DEFAULT;
	long v = 0;
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 4) {
			v = -1;
			break;
		}
		v = v * 10 + (s[i] - '0');
	}
	if (n == 0 || v < DPI_MIN || v > DPI_MAX) {
		wk_reply_error(reply, 400, "dpi must be an integer from %d to %d", DPI_MIN,
		               DPI_MAX);
		return -1;
	}
	return (int)v;
}

/* The box to crop for unit `idx`: its first box (a unit spanning pages crops its start). */
static int unit_box(wk_library *lib, const wk_doc_info *info, long idx, wk_box *box,
                    wk_http_reply *reply)
{
	wk_doc *doc = NULL;
	wk_error err;
	if (wk_library_load(lib, info->id, &doc, &err)) {
		wk_reply_wk_error(reply, &err);
		return 0;
	}
	int ok = idx >= 0 && idx < doc->nunits && doc->units[idx].nboxes > 0;
	if (ok)
		*box = doc->units[idx].boxes[0];
	else if (idx >= doc->nunits)
		wk_reply_error(reply, 404, "document %s has %d units (0 to %d)", info->id,
		               doc->nunits, doc->nunits - 1);
	else
		wk_reply_error(reply, 404, "unit %ld of document %s has no place on a page", idx,
		               info->id);
	wk_doc_free(doc);
	return ok;
}

/* Resolves document, page or unit and file; 0 with the reply filled when one is missing. */
static int locate(const wk_serve_ctx *ctx, const wk_route *route, char *path, size_t size,
                  wk_box *box, wk_http_reply *reply)
{
	wk_library *lib;
	wk_error err;
	if (wk_pool_get(ctx->pool, &lib, &err)) {
		wk_reply_wk_error(reply, &err);
		return 0;
	}
	wk_doc_info info;
	int ok = wk_api_find(lib, route->id, &info, reply) == WK_OK;
	if (ok && route->kind == WK_ROUTE_DOC_PAGE && route->num > info.npages) {
		wk_reply_error(reply, 404, "document %s has %d pages", info.id, info.npages);
		ok = 0;
	}
	if (ok && route->kind == WK_ROUTE_DOC_UNIT)
		ok = unit_box(lib, &info, route->num, box, reply);
	ok = ok && wk_api_pdf_path(ctx, lib, &info, path, size, reply);
	wk_pool_put(ctx->pool, lib);
	return ok;
}

void wk_api_render(const wk_serve_ctx *ctx, const wk_route *route, const wk_http_req *req,
                   wk_http_reply *reply)
{
	int dpi = parse_dpi(req->dpi, reply);
	if (dpi < 0)
		return;
	char path[4096];
	wk_box box = {0};
	if (!locate(ctx, route, path, sizeof path, &box, reply))
		return;
	unsigned char *png = NULL;
	size_t len = 0;
	wk_error err;
	int rc = route->kind == WK_ROUTE_DOC_PAGE
	             ? wk_render_page(path, NULL, (int)route->num, dpi, MAX_SIDE, &png, &len, &err)
	             : wk_render_box(path, NULL, &box, dpi, MAX_SIDE, &png, &len, &err);
	if (rc) {
		wk_reply_wk_error(reply, &err);
		return;
	}
	reply->status = 200;
	reply->content_type = "image/png";
	reply->body = (char *)png; /* wk_free is free(), which wk_reply_free calls */
	reply->len = len;
	reply->cache = 1;
}

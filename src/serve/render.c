/* render.c: page images and unit crops as PNG. The library handle is given back before
 * rendering, which is the slow part and needs only the file. Each render runs under its
 * own budget (src/pdf/render.c: memory cap, 10 s deadline, the content cap), and its
 * result, image or error, is kept in a small in-memory cache: the web page asks for the
 * same pages again and again, and a page that is costly to draw costs it once. */
#include "serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CACHE_ENTRIES = 128, CACHE_BYTES = 64 << 20 };

typedef struct png_entry {
	char key[112];      /* "<hash> p|u <num> <dpi>"; "" = free */
	unsigned char *png; /* NULL for a cached error */
	size_t len;
	wk_error err;
} png_entry;

struct wk_png_cache {
	pthread_mutex_t lock;
	png_entry entries[CACHE_ENTRIES];
	int next;     /* the slot to reuse next: oldest first */
	size_t bytes; /* sum of len */
};

struct wk_png_cache *wk_png_cache_new(void)
{
	struct wk_png_cache *c = wk_xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void wk_png_cache_free(struct wk_png_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < CACHE_ENTRIES; i++)
		free(c->entries[i].png);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* A copy of the cached result into the reply; 0 when there is none. */
static int cache_get(struct wk_png_cache *c, const char *key, wk_http_reply *reply)
{
	int hit = 0;
	pthread_mutex_lock(&c->lock);
	for (int i = 0; i < CACHE_ENTRIES && !hit; i++) {
		png_entry *e = &c->entries[i];
		if (strcmp(e->key, key))
			continue;
		hit = 1;
		if (!e->png) {
			wk_reply_wk_error(reply, &e->err);
			continue;
		}
		reply->body = wk_xmalloc(e->len);
		memcpy(reply->body, e->png, e->len);
		reply->len = e->len;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

static void drop_entry(struct wk_png_cache *c, png_entry *e)
{
	c->bytes -= e->len;
	free(e->png);
	memset(e, 0, sizeof *e);
}

static void cache_put(struct wk_png_cache *c, const char *key, const unsigned char *png, size_t len,
                      const wk_error *err)
{
	if (len > CACHE_BYTES / 4)
		return;
	pthread_mutex_lock(&c->lock);
	drop_entry(c, &c->entries[c->next]);
	for (int i = 0; c->bytes + len > CACHE_BYTES && i < CACHE_ENTRIES; i++)
		drop_entry(c, &c->entries[i]);
	png_entry *e = &c->entries[c->next];
	c->next = (c->next + 1) % CACHE_ENTRIES;
	snprintf(e->key, sizeof e->key, "%s", key);
	if (png) {
		e->png = wk_xmalloc(len ? len : 1);
		memcpy(e->png, png, len);
		e->len = len;
		c->bytes += len;
	} else {
		e->err = *err;
	}
	pthread_mutex_unlock(&c->lock);
}

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
                  wk_box *box, char *hash, wk_http_reply *reply)
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
	if (ok)
		snprintf(hash, 65, "%s", info.hash);
	wk_pool_put(ctx->pool, lib);
	return ok;
}

void wk_api_render(const wk_serve_ctx *ctx, const wk_route *route, const wk_http_req *req,
                   wk_http_reply *reply)
{
	int dpi = parse_dpi(req->dpi, reply);
	if (dpi < 0)
		return;
	char path[4096], hash[65], key[112];
	wk_box box = {0};
	if (!locate(ctx, route, path, sizeof path, &box, hash, reply))
		return;
	snprintf(key, sizeof key, "%s %c %ld %d", hash, route->kind == WK_ROUTE_DOC_PAGE ? 'p' : 'u',
	         route->num, dpi);
	if (!cache_get(ctx->pngs, key, reply)) {
		unsigned char *png = NULL;
		size_t len = 0;
		wk_error err;
		int rc = route->kind == WK_ROUTE_DOC_PAGE
		             ? wk_render_page(path, NULL, (int)route->num, dpi, MAX_SIDE, &png, &len, &err)
		             : wk_render_box(path, NULL, &box, dpi, MAX_SIDE, &png, &len, &err);
		/* Errors of the file are kept too; a full disk or memory may pass. */
		if (rc == WK_OK || rc == WK_EDAMAGED || rc == WK_ELIMIT || rc == WK_ETIMEOUT)
			cache_put(ctx->pngs, key, png, len, &err);
		if (rc) {
			wk_reply_wk_error(reply, &err);
			return;
		}
		reply->body = (char *)png; /* wk_free is free(), which wk_reply_free calls */
		reply->len = len;
	}
	if (!reply->body) /* a cached error */
		return;
	reply->status = 200;
	reply->content_type = "image/png";
	reply->cache = 1;
}

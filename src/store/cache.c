/* cache.c: the documents a library handle has loaded for questions, with their indexes.
 *
 * Loading a document and its index costs more than the rest of a library question, and a
 * long-lived handle (the server's) asks about the same documents again and again. The
 * cache keeps the last documents used, bounded in count and bytes; the caller of
 * wk_library_ask gets copies it owns, so the cache never lends what it may evict. */
#include "store.h"

#include "../doc/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wk_cache_init(wk_doc_cache *c, int max_docs, size_t max_bytes)
{
	memset(c, 0, sizeof *c);
	c->max_docs = WK_MIN(max_docs, WK_CACHE_SLOTS);
	c->max_bytes = max_bytes;
}

static void drop(wk_doc_cache *c, int i)
{
	wk_index_free(c->entries[i].index);
	free(c->entries[i].model);
	wk_doc_free(c->entries[i].doc);
	c->bytes -= c->entries[i].bytes;
	c->entries[i] = c->entries[--c->n];
}

void wk_library_cache_limit(wk_library *lib, int max_docs, size_t max_bytes)
{
	lib->cache.max_docs = WK_MAX(0, WK_MIN(max_docs, WK_CACHE_SLOTS));
	lib->cache.max_bytes = max_bytes;
	wk_cache_trim(&lib->cache);
}

void wk_cache_clear(wk_doc_cache *c)
{
	while (c->n)
		drop(c, c->n - 1);
}

/* Drops the least recently used entries until the bounds hold. */
void wk_cache_trim(wk_doc_cache *c)
{
	while (c->n && (c->n > c->max_docs || c->bytes > c->max_bytes)) {
		int lru = 0;
		for (int i = 1; i < c->n; i++)
			if (c->entries[i].used < c->entries[lru].used)
				lru = i;
		drop(c, lru);
	}
}

int wk_cache_get(wk_library *lib, const char *id, const wk_doc **doc, const wk_index **index,
                 wk_error *err)
{
	wk_doc_cache *c = &lib->cache;
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->entries[i].id, id)) {
			c->entries[i].used = c->clock;
			*doc = c->entries[i].doc;
			*index = c->entries[i].index;
			return WK_OK;
		}
	if (c->n == WK_CACHE_SLOTS)
		return wk_set_error(err, WK_ELIMIT, "too many documents for one question");
	wk_doc *d = NULL;
	wk_index *ix = NULL;
	int rc = lib->store->ops->load_indexed(lib->store, id, &d, &ix, err);
	if (rc)
		return rc;
	struct wk_doc_cache_entry *e = &c->entries[c->n++];
	snprintf(e->id, sizeof e->id, "%s", id);
	e->doc = d;
	e->index = ix;
	e->used = c->clock;
	e->bytes = wk_arena_used(d->arena) * 2; /* the index is about as large as the document */
	c->bytes += e->bytes;
	*doc = d;
	*index = ix;
	return WK_OK;
}

static void copy_unit(wk_doc *d, const wk_unit *u)
{
	wk_unit *n = wk_doc_add_unit(d, u->type);
	n->level = u->level;
	n->text = wk_doc_str(d, u->text);
	n->label = wk_doc_str(d, u->label);
	n->caption = wk_doc_str(d, u->caption);
	n->figure_text = wk_doc_str(d, u->figure_text);
	n->image = wk_doc_str(d, u->image);
	n->ocr = u->ocr;
	for (int b = 0; b < u->nboxes; b++)
		wk_doc_add_box(d, n, u->boxes[b]);
	n->page = u->page;
	if (u->nrefs)
		wk_doc_set_refs(d, n, u->refs, u->nrefs);
}

/* The sections as the source has them (not rebuilt): idx and paths stay identical. */
static void copy_sections(wk_doc *d, const wk_doc *src)
{
	d->nsections = src->nsections;
	d->sections = wk_arena_alloc(d->arena, sizeof *d->sections * (size_t)WK_MAX(src->nsections, 1));
	for (int i = 0; i < src->nsections; i++) {
		d->sections[i] = src->sections[i];
		d->sections[i].title = wk_doc_str(d, src->sections[i].title);
		d->sections[i].path = wk_doc_str(d, src->sections[i].path);
	}
	for (int i = 0; i < src->nunits && i < d->nunits; i++)
		d->units[i].section = src->units[i].section;
}

wk_doc *wk_doc_copy(const wk_doc *src)
{
	wk_doc *d = wk_doc_new();
	d->path = wk_doc_str(d, src->path);
	d->title = wk_doc_str(d, src->title);
	memcpy(d->hash, src->hash, sizeof d->hash);
	wk_doc_set_pages(d, src->npages);
	if (src->npages)
		memcpy(d->pages, src->pages, sizeof *d->pages * (size_t)src->npages);
	for (int i = 0; i < src->nunits; i++)
		copy_unit(d, &src->units[i]);
	for (int i = 0; i < src->noutline; i++)
		wk_doc_add_outline(d, src->outline[i].level, src->outline[i].page,
		                   src->outline[i].title);
	wk_doc_finish(d);
	copy_sections(d, src);
	return d;
}

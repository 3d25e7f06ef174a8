/* pack.c: a document in binary, as the library stores it: every field of wk_doc but the
 * section tree, which wk_doc_finish rebuilds from the headings (as from lean JSON).
 *
 * Loading JSON was a third of a library question; a pack loads in a fraction of that.
 * Layout: "WKDP", version, then the fields in the order written below. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#define MAGIC 0x50444b57u /* "WKDP" */

static void put_table(wk_buf *b, const wk_table *t)
{
	wk_put_i32(b, t != NULL);
	if (!t)
		return;
	int32_t head[] = {t->nrows, t->ncols, t->header_rows, t->stub_cols, t->continues};
	wk_put_i32s(b, head, 5);
	wk_put_str(b, t->scale);
	wk_put_i32(b, t->ncells);
	for (int i = 0; i < t->ncells; i++) {
		const wk_cell *c = &t->cells[i];
		int32_t pos[] = {c->row, c->col, c->rowspan, c->colspan, c->kind, c->indent, c->box.page};
		wk_put_i32s(b, pos, 7);
		wk_put_f32(b, c->box.x0);
		wk_put_f32(b, c->box.y0);
		wk_put_f32(b, c->box.x1);
		wk_put_f32(b, c->box.y1);
		wk_put_str(b, c->text);
	}
}

static void put_unit(wk_buf *b, const wk_unit *u)
{
	wk_put_i32(b, (int32_t)u->type);
	wk_put_i32(b, u->level);
	wk_put_i32(b, u->page);
	wk_put_i32(b, u->ocr);
	wk_put_str(b, u->text);
	wk_put_str(b, u->label);
	wk_put_str(b, u->caption);
	wk_put_str(b, u->figure_text);
	wk_put_str(b, u->image);
	wk_put_i32(b, u->nboxes);
	for (int i = 0; i < u->nboxes; i++) {
		wk_put_i32(b, u->boxes[i].page);
		wk_put_f32(b, u->boxes[i].x0);
		wk_put_f32(b, u->boxes[i].y0);
		wk_put_f32(b, u->boxes[i].x1);
		wk_put_f32(b, u->boxes[i].y1);
	}
	wk_put_i32(b, u->nrefs);
	wk_put_i32s(b, u->refs, (size_t)u->nrefs);
	put_table(b, u->table);
}

int wk_doc_pack(const wk_doc *doc, wk_buf *out, wk_error *err)
{
	wk_put_u32(out, MAGIC);
	wk_put_u32(out, WK_DOC_PACK_VERSION);
	wk_put_str(out, doc->path);
	wk_put_str(out, doc->title);
	wk_put_str(out, doc->hash);
	wk_put_i32(out, doc->npages);
	for (int p = 0; p < doc->npages; p++) {
		wk_put_f32(out, doc->pages[p].width);
		wk_put_f32(out, doc->pages[p].height);
		wk_put_i32(out, doc->pages[p].status);
		wk_put_i32(out, doc->pages[p].ocr);
		wk_put_str(out, doc->pages[p].label);
	}
	wk_put_i32(out, doc->noutline);
	for (int i = 0; i < doc->noutline; i++) {
		wk_put_i32(out, doc->outline[i].level);
		wk_put_i32(out, doc->outline[i].page);
		wk_put_str(out, doc->outline[i].title);
	}
	wk_put_i32(out, doc->nunits);
	for (int i = 0; i < doc->nunits; i++)
		put_unit(out, &doc->units[i]);
	if (out->full)
		return wk_set_error(err, WK_ELIMIT, "%s: document too large to store",
		                    doc->path ? doc->path : "document");
	return WK_OK;
}

static const char *get_str(wk_wire *w, wk_doc *doc)
{
	size_t n;
	const char *s = wk_wire_str(w, &n);
	return s ? wk_doc_strn(doc, s, n) : NULL;
}

static void get_boxes(wk_wire *w, wk_doc *doc, wk_unit *u)
{
	int n = wk_wire_count(w, 20);
	for (int i = 0; i < n && !w->bad; i++) {
		wk_box box;
		box.page = wk_wire_i32(w);
		box.x0 = wk_wire_f32(w);
		box.y0 = wk_wire_f32(w);
		box.x1 = wk_wire_f32(w);
		box.y1 = wk_wire_f32(w);
		if (box.page < 1 || box.page > doc->npages)
			w->bad = true;
		else
			wk_doc_add_box(doc, u, box);
	}
}

static void get_refs(wk_wire *w, wk_doc *doc, wk_unit *u, int nunits)
{
	int n = wk_wire_count(w, 4);
	if (n == 0 || w->bad)
		return;
	int *refs = wk_xmalloc(sizeof(int) * (size_t)n);
	wk_wire_i32s(w, refs, (size_t)n);
	for (int i = 0; i < n && !w->bad; i++)
		w->bad = refs[i] < 0 || refs[i] >= nunits;
	if (!w->bad)
		wk_doc_set_refs(doc, u, refs, n);
	free(refs);
}

/* A cell is 12 words: what wk_wire_count checks the cell count against. The grid is read
 * straight into the arena (the strings are copied once) and then goes through
 * wk_table_valid, as one read from JSON does. */
static void get_table(wk_wire *w, wk_doc *doc, wk_unit *u)
{
	if (wk_wire_i32(w) == 0 || w->bad)
		return;
	wk_table *t = wk_arena_alloc(doc->arena, sizeof *t);
	int32_t head[5] = {0};
	wk_wire_i32s(w, head, 5);
	t->nrows = head[0], t->ncols = head[1], t->header_rows = head[2], t->stub_cols = head[3];
	t->continues = head[4];
	t->scale = get_str(w, doc);
	t->ncells = wk_wire_count(w, 48);
	if (w->bad)
		return;
	t->cells = wk_arena_alloc(doc->arena, sizeof(wk_cell) * (size_t)WK_MAX(t->ncells, 1));
	for (int i = 0; i < t->ncells && !w->bad; i++) {
		wk_cell *c = &t->cells[i];
		int32_t pos[7] = {0};
		wk_wire_i32s(w, pos, 7);
		c->row = pos[0], c->col = pos[1], c->rowspan = pos[2], c->colspan = pos[3];
		c->kind = pos[4], c->indent = pos[5], c->box.page = pos[6];
		c->box.x0 = wk_wire_f32(w);
		c->box.y0 = wk_wire_f32(w);
		c->box.x1 = wk_wire_f32(w);
		c->box.y1 = wk_wire_f32(w);
		c->text = get_str(w, doc);
	}
	if (!w->bad && wk_table_valid(t, u->idx))
		u->table = t;
	else
		w->bad = true;
}

/* The fixed part of a unit is 12 words: what wk_wire_count checks the unit count against. */
static void get_unit(wk_wire *w, wk_doc *doc, int nunits)
{
	int type = wk_wire_i32(w);
	if (type < WK_UNIT_TEXT || type > WK_UNIT_TABLE) {
		w->bad = true;
		return;
	}
	wk_unit *u = wk_doc_add_unit(doc, (wk_unit_type)type);
	u->level = wk_wire_i32(w);
	int page = wk_wire_i32(w);
	u->ocr = wk_wire_i32(w) != 0;
	u->text = get_str(w, doc);
	if (!u->text)
		u->text = wk_doc_str(doc, "");
	u->label = get_str(w, doc);
	u->caption = get_str(w, doc);
	u->figure_text = get_str(w, doc);
	u->image = get_str(w, doc);
	get_boxes(w, doc, u);
	u->page = page;
	get_refs(w, doc, u, nunits);
	get_table(w, doc, u);
}

static void get_head(wk_wire *w, wk_doc *doc)
{
	if (wk_wire_u32(w) != MAGIC || wk_wire_u32(w) != WK_DOC_PACK_VERSION) {
		w->bad = true;
		return;
	}
	doc->path = get_str(w, doc);
	doc->title = get_str(w, doc);
	size_t n;
	const char *hash = wk_wire_str(w, &n);
	if (hash && n < sizeof doc->hash) {
		memcpy(doc->hash, hash, n);
		doc->hash[n] = '\0';
	}
	wk_doc_set_pages(doc, wk_wire_count(w, 20));
	for (int p = 0; p < doc->npages && !w->bad; p++) {
		doc->pages[p].width = wk_wire_f32(w);
		doc->pages[p].height = wk_wire_f32(w);
		doc->pages[p].status = wk_wire_i32(w);
		doc->pages[p].ocr = wk_wire_i32(w) != 0;
		const char *label = get_str(w, doc);
		doc->pages[p].label = label ? label : "";
	}
	int noutline = wk_wire_count(w, 12);
	for (int i = 0; i < noutline && !w->bad; i++) {
		int level = wk_wire_i32(w), page = wk_wire_i32(w);
		wk_doc_add_outline(doc, level, page, get_str(w, doc));
	}
}

int wk_doc_unpack(const void *data, size_t len, wk_doc **out, wk_error *err)
{
	*out = NULL;
	wk_wire w;
	wk_wire_init(&w, data, len);
	wk_doc *doc = wk_doc_new();
	get_head(&w, doc);
	int nunits = wk_wire_count(&w, 48);
	for (int i = 0; i < nunits && !w.bad; i++)
		get_unit(&w, doc, nunits);
	if (w.bad || wk_wire_left(&w) != 0) {
		wk_doc_free(doc);
		return wk_set_error(err, WK_EPROTO, "document pack: damaged or of another version");
	}
	wk_doc_finish(doc);
	*out = doc;
	return WK_OK;
}

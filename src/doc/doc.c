/* doc.c: the document builder and the section tree. */
#include "doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Capacities of the growable arrays live beside the doc, not in the public struct. */
typedef struct doc_build {
	int unit_cap, outline_cap;
} doc_build;

typedef struct doc_full {
	wk_doc doc;     /* must stay first: a wk_doc * is a doc_full * */
	doc_build build;
} doc_full;

wk_doc *wk_doc_new(void)
{
	doc_full *full = wk_xcalloc(1, sizeof *full);
	full->doc.arena = wk_arena_new();
	return &full->doc;
}

static doc_build *build_of(wk_doc *doc)
{
	return &((doc_full *)doc)->build;
}

void wk_doc_free(wk_doc *doc)
{
	if (!doc)
		return;
	for (int i = 0; i < doc->nunits; i++)
		free(doc->units[i].boxes);
	free(doc->units);
	free(doc->outline);
	wk_arena_free(doc->arena);
	free(doc);
}

const char *wk_doc_str(wk_doc *doc, const char *s)
{
	return wk_arena_strdup(doc->arena, s);
}

const char *wk_doc_strn(wk_doc *doc, const char *s, size_t n)
{
	return wk_arena_strndup(doc->arena, s, n);
}

void wk_doc_set_pages(wk_doc *doc, int npages)
{
	doc->npages = npages;
	doc->pages = wk_arena_alloc(doc->arena, sizeof(wk_page_info) * (size_t)WK_MAX(npages, 1));
	for (int i = 0; i < npages; i++)
		doc->pages[i].label = "";
}

wk_unit *wk_doc_add_unit(wk_doc *doc, wk_unit_type type)
{
	doc_build *b = build_of(doc);
	doc->units = wk_grow(doc->units, &b->unit_cap, doc->nunits + 1, sizeof(wk_unit));
	wk_unit *u = &doc->units[doc->nunits];
	memset(u, 0, sizeof *u);
	u->idx = doc->nunits++;
	u->type = type;
	u->section = -1;
	u->text = "";
	return u;
}

void wk_doc_add_box(wk_doc *doc, wk_unit *unit, wk_box box)
{
	(void)doc;
	/* Boxes are few per unit (one per page spanned): plain realloc by one. */
	unit->boxes = wk_xrealloc(unit->boxes, sizeof(wk_box) * (size_t)(unit->nboxes + 1));
	unit->boxes[unit->nboxes++] = box;
	if (unit->nboxes == 1)
		unit->page = box.page;
}

void wk_doc_set_refs(wk_doc *doc, wk_unit *unit, const int *refs, int n)
{
	unit->nrefs = n;
	unit->refs = NULL;
	if (n > 0) {
		unit->refs = wk_arena_alloc(doc->arena, sizeof(int) * (size_t)n);
		memcpy(unit->refs, refs, sizeof(int) * (size_t)n);
	}
}

void wk_doc_set_table(wk_doc *doc, wk_unit *unit, const wk_table *table)
{
	if (!table) {
		unit->table = NULL;
		return;
	}
	wk_table *t = wk_arena_alloc(doc->arena, sizeof *t);
	*t = *table;
	t->scale = table->scale ? wk_doc_str(doc, table->scale) : NULL;
	t->cells = NULL;
	if (table->ncells > 0) {
		t->cells = wk_arena_alloc(doc->arena, sizeof(wk_cell) * (size_t)table->ncells);
		for (int i = 0; i < table->ncells; i++) {
			t->cells[i] = table->cells[i];
			t->cells[i].text = wk_doc_str(doc, table->cells[i].text ? table->cells[i].text : "");
		}
	}
	unit->table = t;
}

void wk_doc_set_continues(wk_doc *doc, wk_unit *unit, int continues)
{
	(void)doc;
	/* The grid is the document's own (wk_doc_set_table copied it into the arena); it is
	 * const only to the document's readers. */
	if (unit->table)
		((wk_table *)unit->table)->continues = continues;
}

/* Ceiling on a grid read from outside: the largest statements are far below it. */
#define TABLE_MAX_DIM 10000

static bool cell_valid(const wk_table *t, const wk_cell *c)
{
	return c->row >= 0 && c->col >= 0 && c->rowspan >= 1 && c->colspan >= 1 &&
	       c->rowspan <= t->nrows - c->row && c->colspan <= t->ncols - c->col &&
	       c->kind >= WK_CELL_BODY && c->kind <= WK_CELL_STUB && c->indent >= 0 && c->text;
}

bool wk_table_valid(const wk_table *table, int idx)
{
	const wk_table *t = table;
	if (t->nrows < 0 || t->ncols < 0 || t->nrows > TABLE_MAX_DIM || t->ncols > TABLE_MAX_DIM ||
	    t->header_rows < 0 || t->header_rows > t->nrows || t->stub_cols < 0 ||
	    t->stub_cols > t->ncols || t->ncells < 0 || t->continues < -1 || t->continues >= idx)
		return false;
	for (int i = 0; i < t->ncells; i++)
		if (!cell_valid(t, &t->cells[i]))
			return false;
	return true;
}

const wk_cell *wk_table_cell(const wk_table *table, int row, int col)
{
	if (!table)
		return NULL;
	/* Tables are small (tens of cells): a scan beats keeping an index in the arena. */
	for (int i = 0; i < table->ncells; i++) {
		const wk_cell *c = &table->cells[i];
		int rs = c->rowspan > 0 ? c->rowspan : 1, cs = c->colspan > 0 ? c->colspan : 1;
		if (row >= c->row && row < c->row + rs && col >= c->col && col < c->col + cs)
			return c;
	}
	return NULL;
}

const wk_cell *wk_table_row_label(const wk_table *table, int row)
{
	for (int col = table ? table->stub_cols - 1 : -1; col >= 0; col--) {
		const wk_cell *c = wk_table_cell(table, row, col);
		if (c && c->text && *c->text)
			return c;
	}
	return NULL;
}

size_t wk_table_col_header(const wk_table *table, int col, char *out, size_t cap)
{
	size_t len = 0;
	if (cap == 0)
		return 0;
	out[0] = '\0';
	for (int row = 0; table && row < table->header_rows; row++) {
		const wk_cell *c = wk_table_cell(table, row, col);
		if (!c || !c->text || !*c->text || c->row != row)
			continue; /* a header spanning rows is said once */
		int n = snprintf(out + len, cap - len, "%s%s", len ? " " : "", c->text);
		if (n < 0 || (size_t)n >= cap - len) {
			len = cap - 1;
			while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80)
				len--; /* cut before a continuation byte: whole characters only */
			out[len] = '\0';
			return len;
		}
		len += (size_t)n;
	}
	return len;
}

void wk_doc_add_outline(wk_doc *doc, int level, int page, const char *title)
{
	doc_build *b = build_of(doc);
	doc->outline = wk_grow(doc->outline, &b->outline_cap, doc->noutline + 1,
	                       sizeof(wk_outline_item));
	wk_outline_item *o = &doc->outline[doc->noutline++];
	o->level = level;
	o->page = page;
	o->title = wk_doc_str(doc, title ? title : "");
}

/* The path of a new section: the parent's path, " > ", the title. */
static const char *section_path(wk_doc *doc, const wk_section *parent, const char *title)
{
	if (!parent)
		return title;
	wk_buf b;
	wk_buf_init(&b, 0);
	wk_buf_printf(&b, "%s > %s", parent->path, title);
	const char *p = wk_doc_str(doc, wk_buf_cstr(&b));
	wk_buf_free(&b);
	return p;
}

void wk_doc_finish(wk_doc *doc)
{
	int nheads = 0;
	for (int i = 0; i < doc->nunits; i++)
		nheads += doc->units[i].type == WK_UNIT_HEADING;
	doc->sections = wk_arena_alloc(doc->arena, sizeof(wk_section) * (size_t)WK_MAX(nheads, 1));
	doc->nsections = 0;

	/* A stack of open sections, deepest last. */
	int *stack = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(nheads, 1));
	int depth = 0;
	for (int i = 0; i < doc->nunits; i++) {
		wk_unit *u = &doc->units[i];
		if (u->type == WK_UNIT_HEADING) {
			if (u->level < 1)
				u->level = 1;
			while (depth > 0 && doc->sections[stack[depth - 1]].level >= u->level)
				doc->sections[stack[--depth]].last = i - 1;
			int id = doc->nsections++;
			wk_section *s = &doc->sections[id];
			const wk_section *parent = depth ? &doc->sections[stack[depth - 1]] : NULL;
			s->parent = depth ? stack[depth - 1] : -1;
			s->level = u->level;
			s->heading = i;
			s->first = i;
			s->last = i;
			s->title = u->text;
			s->path = section_path(doc, parent, u->text);
			stack[depth++] = id;
		}
		u->section = depth ? stack[depth - 1] : -1;
	}
	while (depth > 0)
		doc->sections[stack[--depth]].last = doc->nunits - 1;
	free(stack);
}

const char *wk_unit_section(const wk_doc *doc, const wk_unit *unit)
{
	if (!doc || !unit || unit->section < 0 || unit->section >= doc->nsections)
		return "";
	return doc->sections[unit->section].path;
}

const char *wk_unit_type_name(wk_unit_type type)
{
	switch (type) {
	case WK_UNIT_TEXT: return "text";
	case WK_UNIT_HEADING: return "heading";
	case WK_UNIT_FIGURE: return "figure";
	case WK_UNIT_TABLE: return "table";
	}
	return "text";
}

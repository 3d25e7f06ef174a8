/* json.c: wk_doc <-> the JSON of docs/units.md (jansson). */
#include "doc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define DOC_FORMAT 1 /* bump when the JSON changes incompatibly: caches are then rebuilt */

static json_t *box_json(const wk_box *b)
{
	return json_pack("{s:i,s:[f,f,f,f]}", "page", b->page, "rect", (double)b->x0,
	                 (double)b->y0, (double)b->x1, (double)b->y1);
}

static void set_str(json_t *o, const char *key, const char *s)
{
	if (s)
		json_object_set_new(o, key, json_string(s));
}

static const char *const cell_kinds[] = {"body", "header", "stub"};

static json_t *cell_json(const wk_cell *c)
{
	json_t *o = json_pack("{s:i,s:i,s:i,s:i,s:s,s:s}", "row", c->row, "col", c->col, "rowspan",
	                      c->rowspan, "colspan", c->colspan, "kind", cell_kinds[c->kind], "text",
	                      c->text ? c->text : "");
	if (c->indent > 0)
		json_object_set_new(o, "indent", json_integer(c->indent));
	json_object_set_new(o, "bbox", box_json(&c->box));
	return o;
}

static json_t *table_json(const wk_table *t)
{
	json_t *cells = json_array();
	for (int i = 0; i < t->ncells; i++)
		json_array_append_new(cells, cell_json(&t->cells[i]));
	json_t *o = json_pack("{s:i,s:i,s:i,s:i,s:i,s:o}", "rows", t->nrows, "cols", t->ncols,
	                      "header_rows", t->header_rows, "stub_cols", t->stub_cols, "continues",
	                      t->continues, "cells", cells);
	set_str(o, "scale", t->scale);
	return o;
}

static json_t *unit_json(const wk_doc *doc, const wk_unit *u)
{
	json_t *o = json_object();
	json_object_set_new(o, "idx", json_integer(u->idx));
	json_object_set_new(o, "type", json_string(wk_unit_type_name(u->type)));
	json_object_set_new(o, "page", json_integer(u->page));
	json_t *boxes = json_array();
	for (int i = 0; i < u->nboxes; i++)
		json_array_append_new(boxes, box_json(&u->boxes[i]));
	json_object_set_new(o, "bbox", boxes);
	json_object_set_new(o, "section", json_string(wk_unit_section(doc, u)));
	json_object_set_new(o, "section_id", json_integer(u->section));
	if (u->type == WK_UNIT_HEADING)
		json_object_set_new(o, "level", json_integer(u->level));
	json_object_set_new(o, "text", json_string(u->text ? u->text : ""));
	if (u->type == WK_UNIT_FIGURE || u->type == WK_UNIT_TABLE) {
		set_str(o, "label", u->label ? u->label : "");
		set_str(o, "caption", u->caption ? u->caption : "");
		set_str(o, "figure_text", u->figure_text ? u->figure_text : "");
		if (u->image)
			set_str(o, "image", u->image);
		json_t *refs = json_array();
		for (int i = 0; i < u->nrefs; i++)
			json_array_append_new(refs, json_integer(u->refs[i]));
		json_object_set_new(o, "refs", refs);
		if (u->table)
			json_object_set_new(o, "table", table_json(u->table));
	}
	if (u->ocr)
		json_object_set_new(o, "ocr", json_true());
	return o;
}

static json_t *doc_json(const wk_doc *doc)
{
	json_t *pages = json_array(), *skipped = json_array(), *ocr = json_array();
	json_t *labels = json_array();
	for (int i = 0; i < doc->npages; i++) {
		const wk_page_info *p = &doc->pages[i];
		json_array_append_new(pages, json_pack("[f,f]", (double)p->width, (double)p->height));
		json_array_append_new(labels, json_string(p->label ? p->label : ""));
		if (p->status != WK_OK)
			json_array_append_new(skipped, json_pack("{s:i,s:s}", "page", i + 1, "error",
			                                          wk_strerror(p->status)));
		if (p->ocr)
			json_array_append_new(ocr, json_integer(i + 1));
	}
	json_t *outline = json_array();
	for (int i = 0; i < doc->noutline; i++)
		json_array_append_new(outline, json_pack("{s:i,s:s,s:i}", "level", doc->outline[i].level,
		                                         "title", doc->outline[i].title, "page",
		                                         doc->outline[i].page));
	json_t *sections = json_array();
	for (int i = 0; i < doc->nsections; i++) {
		const wk_section *s = &doc->sections[i];
		json_array_append_new(sections,
		                      json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:s,s:s}", "id", i, "parent",
		                                s->parent, "level", s->level, "heading", s->heading,
		                                "first", s->first, "last", s->last, "title", s->title,
		                                "path", s->path));
	}
	json_t *units = json_array();
	for (int i = 0; i < doc->nunits; i++)
		json_array_append_new(units, unit_json(doc, &doc->units[i]));
	json_t *root = json_pack("{s:s,s:i,s:s,s:s,s:s,s:i,s:o,s:o,s:o,s:o,s:o,s:o}", "wukong", WK_VERSION,
	                 "format", DOC_FORMAT, "path", doc->path ? doc->path : "", "title",
	                 doc->title ? doc->title : "", "hash", doc->hash, "pages", doc->npages,
	                 "page_sizes", pages, "skipped_pages", skipped, "ocr_pages", ocr, "outline",
	                 outline, "sections", sections, "units", units);
	json_object_set_new(root, "page_labels", labels);
	return root;
}

int wk_doc_to_json(const wk_doc *doc, char **out, size_t *len, wk_error *err)
{
	*out = NULL;
	if (len)
		*len = 0;
	if (!doc)
		return wk_set_error(err, WK_EINVAL, "no document");
	json_t *root = doc_json(doc);
	if (!root)
		return wk_set_error(err, WK_EINTERNAL, "cannot build the document's JSON");
	char *s = wk_json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!s)
		return wk_set_error(err, WK_ENOMEM, "cannot serialise the document");
	*out = s;
	if (len)
		*len = strlen(s);
	return WK_OK;
}

/* ---- reading ---- */

static const char *get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int get_int(json_t *o, const char *key, int dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}

static int type_from_name(const char *s)
{
	static const char *const names[] = {"text", "heading", "figure", "table"};
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static int kind_from_name(const char *s)
{
	for (int i = 0; s && i < 3; i++)
		if (strcmp(s, cell_kinds[i]) == 0)
			return i;
	return -1;
}

static int read_cell(json_t *o, wk_cell *c)
{
	double r[4];
	const char *kind = NULL;
	if (json_unpack(o, "{s:i,s:i,s:i,s:i,s:s,s:s,s:{s:i,s:[FFFF]}}", "row", &c->row, "col",
	                &c->col, "rowspan", &c->rowspan, "colspan", &c->colspan, "kind", &kind, "text",
	                &c->text, "bbox", "page", &c->box.page, "rect", &r[0], &r[1], &r[2],
	                &r[3]) != 0)
		return -1;
	c->kind = kind_from_name(kind);
	c->indent = get_int(o, "indent", 0);
	c->box.x0 = (float)r[0], c->box.y0 = (float)r[1], c->box.x1 = (float)r[2];
	c->box.y1 = (float)r[3];
	return c->kind < 0 ? -1 : 0;
}

/* The unit's "table", when present, through the same checks as a pack's. */
static int read_table(wk_doc *doc, wk_unit *u, json_t *o)
{
	if (!o)
		return 0;
	wk_table t = {0};
	json_t *cells = json_object_get(o, "cells");
	if (json_unpack(o, "{s:i,s:i,s:i,s:i,s:i}", "rows", &t.nrows, "cols", &t.ncols,
	                "header_rows", &t.header_rows, "stub_cols", &t.stub_cols, "continues",
	                &t.continues) != 0 ||
	    !json_is_array(cells))
		return -1;
	t.scale = get_str(o, "scale");
	t.ncells = (int)json_array_size(cells);
	t.cells = wk_xcalloc((size_t)WK_MAX(t.ncells, 1), sizeof(wk_cell));
	int rc = 0;
	for (int i = 0; i < t.ncells && rc == 0; i++)
		rc = read_cell(json_array_get(cells, (size_t)i), &t.cells[i]);
	if (rc == 0 && wk_table_valid(&t, u->idx))
		wk_doc_set_table(doc, u, &t);
	else
		rc = -1;
	free(t.cells);
	return rc;
}

static int read_unit(wk_doc *doc, json_t *o, int want_idx)
{
	int type = type_from_name(get_str(o, "type"));
	if (!json_is_object(o) || type < 0 || get_int(o, "idx", -1) != want_idx)
		return -1;
	wk_unit *u = wk_doc_add_unit(doc, (wk_unit_type)type);
	u->level = get_int(o, "level", 0);
	u->text = wk_doc_str(doc, get_str(o, "text") ? get_str(o, "text") : "");
	u->label = wk_doc_str(doc, get_str(o, "label"));
	u->caption = wk_doc_str(doc, get_str(o, "caption"));
	u->figure_text = wk_doc_str(doc, get_str(o, "figure_text"));
	u->image = wk_doc_str(doc, get_str(o, "image"));
	u->ocr = json_is_true(json_object_get(o, "ocr"));
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(o, "bbox"), i, v)
	{
		double r[4];
		int page = 0;
		if (json_unpack(v, "{s:i,s:[FFFF]}", "page", &page, "rect", &r[0], &r[1], &r[2],
		                &r[3]) != 0)
			return -1;
		wk_doc_add_box(doc, u, (wk_box){page, (float)r[0], (float)r[1], (float)r[2], (float)r[3]});
	}
	if (u->nboxes == 0)
		u->page = get_int(o, "page", 0);
	json_t *refs = json_object_get(o, "refs");
	int n = (int)json_array_size(refs);
	if (n > 0) {
		int *tmp = wk_xmalloc(sizeof(int) * (size_t)n);
		json_array_foreach(refs, i, v) tmp[i] = (int)json_integer_value(v);
		wk_doc_set_refs(doc, u, tmp, n);
		free(tmp);
	}
	return read_table(doc, u, json_object_get(o, "table"));
}

static void read_pages(wk_doc *doc, json_t *root)
{
	json_t *sizes = json_object_get(root, "page_sizes");
	size_t i;
	json_t *v;
	json_array_foreach(sizes, i, v)
	{
		if ((int)i >= doc->npages)
			break;
		doc->pages[i].width = (float)json_number_value(json_array_get(v, 0));
		doc->pages[i].height = (float)json_number_value(json_array_get(v, 1));
	}
	json_array_foreach(json_object_get(root, "skipped_pages"), i, v)
	{
		int p = get_int(v, "page", 0);
		if (p >= 1 && p <= doc->npages)
			doc->pages[p - 1].status = WK_EDAMAGED;
	}
	json_array_foreach(json_object_get(root, "ocr_pages"), i, v)
	{
		int p = (int)json_integer_value(v);
		if (p >= 1 && p <= doc->npages)
			doc->pages[p - 1].ocr = 1;
	}
	json_array_foreach(json_object_get(root, "page_labels"), i, v)
	{
		if ((int)i >= doc->npages)
			break;
		if (json_is_string(v))
			doc->pages[i].label = wk_doc_str(doc, json_string_value(v));
	}
}

static int read_doc(wk_doc *doc, json_t *root, wk_error *err)
{
	if (get_int(root, "format", -1) != DOC_FORMAT)
		return wk_set_error(err, WK_EVERSION, "document JSON of another format");
	doc->path = wk_doc_str(doc, get_str(root, "path"));
	doc->title = wk_doc_str(doc, get_str(root, "title"));
	const char *hash = get_str(root, "hash");
	if (hash && strlen(hash) < sizeof doc->hash)
		strcpy(doc->hash, hash);
	int npages = get_int(root, "pages", -1);
	if (npages < 0 || npages > 10000000)
		return wk_set_error(err, WK_EPROTO, "document JSON: bad page count");
	wk_doc_set_pages(doc, npages);
	read_pages(doc, root);
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(root, "outline"), i, v)
		wk_doc_add_outline(doc, get_int(v, "level", 1), get_int(v, "page", 0), get_str(v, "title"));
	json_array_foreach(json_object_get(root, "units"), i, v)
	{
		if (read_unit(doc, v, (int)i) != 0)
			return wk_set_error(err, WK_EPROTO, "document JSON: bad unit %zu", i);
	}
	wk_doc_finish(doc);
	return WK_OK;
}

int wk_doc_from_json(const char *text, size_t len, wk_doc **out, wk_error *err)
{
	*out = NULL;
	json_error_t jerr;
	json_t *root = json_loadb(text, len, 0, &jerr);
	if (!root)
		return wk_set_error(err, WK_EPROTO, "document JSON: %s (line %d)", jerr.text, jerr.line);
	wk_doc *doc = wk_doc_new();
	int rc = json_is_object(root) ? read_doc(doc, root, err)
	                              : wk_set_error(err, WK_EPROTO, "document JSON: not an object");
	json_decref(root);
	if (rc != WK_OK) {
		wk_doc_free(doc);
		return rc;
	}
	*out = doc;
	return WK_OK;
}

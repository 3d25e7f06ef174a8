/* index.c: per-document term statistics, built once and shared by every question:
 * field-wise postings of units, pages and sections (the parser's section tree plus the
 * PDF outline's page ranges), each unit's model text, its cost and its MinHash. */
#include "sample.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TRIPLES 50000000 /* ~600 MB: a ceiling for hostile documents */
#define STATEMENT_TITLE_UNITS 4 /* a statement's title is among its page's first units */

/* ---- term table ---- */

static uint32_t hash_str(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

int wk_index_term(const wk_index *ix, const char *term, size_t len)
{
	if (ix->hcap == 0)
		return -1;
	uint32_t mask = ix->hcap - 1;
	for (uint32_t i = hash_str(term, len) & mask;; i = (i + 1) & mask) {
		uint32_t v = ix->hslot[i];
		if (v == 0)
			return -1;
		const char *t = ix->terms[v - 1];
		if (strncmp(t, term, len) == 0 && t[len] == '\0')
			return (int)v - 1;
	}
}

static void table_build(wk_index *ix, uint32_t cap)
{
	uint32_t *slots = wk_xcalloc(cap, sizeof *slots);
	for (int id = 0; id < ix->nterms; id++) {
		const char *t = ix->terms[id];
		uint32_t i = hash_str(t, strlen(t)) & (cap - 1);
		while (slots[i])
			i = (i + 1) & (cap - 1);
		slots[i] = (uint32_t)id + 1;
	}
	free(ix->hslot);
	ix->hslot = slots;
	ix->hcap = cap;
}

static void table_grow(wk_index *ix)
{
	table_build(ix, ix->hcap ? ix->hcap * 2 : 4096);
}

void wk_index_hash_terms(wk_index *ix)
{
	uint32_t cap = 4096;
	while (cap < (uint32_t)ix->nterms * 2 + 2)
		cap *= 2;
	table_build(ix, cap);
}

static int term_intern(wk_index *ix, const char *term, size_t len, int *cap)
{
	int id = wk_index_term(ix, term, len);
	if (id >= 0)
		return id;
	if ((uint32_t)(ix->nterms + 1) * 2 > ix->hcap)
		table_grow(ix);
	ix->terms = wk_grow(ix->terms, cap, ix->nterms + 1, sizeof(char *));
	id = ix->nterms++;
	ix->terms[id] = wk_arena_strndup(ix->arena, term, len);
	uint32_t mask = ix->hcap - 1;
	uint32_t i = hash_str(term, len) & mask;
	while (ix->hslot[i])
		i = (i + 1) & mask;
	ix->hslot[i] = (uint32_t)id + 1;
	return id;
}

/* ---- collection builder: (term, doc, field) triples, then CSR by term ---- */

typedef struct triple {
	int term, doc;
	int field;
} triple;

typedef struct coll_builder {
	triple *t;
	int n, cap;
	int ndocs;
	float *len; /* ndocs x WK_NFIELDS */
	bool full;
} coll_builder;

typedef struct build_ctx {
	wk_index *ix;
	int term_cap;
	coll_builder *cb;
	int doc, field;
	/* when set, terms also go to these extra (builder, doc) targets */
	int *terms_out, nterms_out, terms_out_cap;
	int **unit_ids, *unit_nids; /* per unit: its term ids, for pages and sections */
	int **path_ids, *path_nids; /* per section: the heading path's term ids */
} build_ctx;

static void add_triple(coll_builder *cb, int term, int doc, int field)
{
	if (cb->n >= MAX_TRIPLES) {
		cb->full = true;
		return;
	}
	cb->t = wk_grow(cb->t, &cb->cap, cb->n + 1, sizeof(triple));
	cb->t[cb->n++] = (triple){term, doc, field};
	cb->len[(size_t)doc * WK_NFIELDS + (size_t)field] += 1;
}

static void on_term(void *user, const char *term, size_t len)
{
	build_ctx *c = user;
	int id = term_intern(c->ix, term, len, &c->term_cap);
	add_triple(c->cb, id, c->doc, c->field);
	c->terms_out = wk_grow(c->terms_out, &c->terms_out_cap, c->nterms_out + 1, sizeof(int));
	c->terms_out[c->nterms_out++] = id;
}

static void add_text(build_ctx *c, coll_builder *cb, int doc, int field, const char *text)
{
	if (!text || !*text)
		return;
	c->cb = cb;
	c->doc = doc;
	c->field = field;
	wk_tokenize(c->ix->tk, text, on_term, c);
}

/* Adds already-tokenized term ids (no second tokenization for pages and sections). */
static void add_ids(coll_builder *cb, int doc, int field, const int *ids, int n)
{
	for (int i = 0; i < n; i++)
		add_triple(cb, ids[i], doc, field);
}

static void builder_init(coll_builder *cb, int ndocs)
{
	memset(cb, 0, sizeof *cb);
	cb->ndocs = ndocs;
	cb->len = wk_xcalloc((size_t)WK_MAX(ndocs, 1) * WK_NFIELDS, sizeof(float));
}

/* Counting sort by term keeps the docs of one term in insertion (ascending) order. */
static void builder_finish(coll_builder *cb, int nterms, wk_coll *out)
{
	memset(out, 0, sizeof *out);
	out->ndocs = cb->ndocs;
	out->len = cb->len;
	int *count = wk_xcalloc((size_t)nterms + 1, sizeof(int));
	for (int i = 0; i < cb->n; i++)
		count[cb->t[i].term + 1]++;
	for (int i = 0; i < nterms; i++)
		count[i + 1] += count[i];
	triple *sorted = wk_xmalloc(sizeof(triple) * (size_t)WK_MAX(cb->n, 1));
	int *fill = wk_xmalloc(sizeof(int) * ((size_t)nterms + 1));
	memcpy(fill, count, sizeof(int) * ((size_t)nterms + 1));
	for (int i = 0; i < cb->n; i++)
		sorted[fill[cb->t[i].term]++] = cb->t[i];
	free(fill);
	out->start = wk_xcalloc((size_t)nterms + 1, sizeof(int));
	out->post = wk_xmalloc(sizeof(wk_posting) * (size_t)WK_MAX(cb->n, 1));
	int np = 0;
	for (int t = 0; t < nterms; t++) {
		out->start[t] = np;
		for (int i = count[t]; i < count[t + 1]; i++) {
			if (np == out->start[t] || out->post[np - 1].doc != sorted[i].doc)
				out->post[np++] = (wk_posting){.doc = sorted[i].doc};
			uint16_t *tf = &out->post[np - 1].tf[sorted[i].field];
			if (*tf < UINT16_MAX)
				(*tf)++;
		}
	}
	out->start[nterms] = np;
	free(count);
	free(sorted);
	free(cb->t);
	/* A field's average length over the units that have it: most units have no caption
	 * or figure text, and counting them would make every table look enormous. */
	for (int f = 0; f < WK_NFIELDS; f++) {
		double sum = 0;
		int with = 0;
		for (int d = 0; d < cb->ndocs; d++) {
			sum += cb->len[(size_t)d * WK_NFIELDS + (size_t)f];
			with += cb->len[(size_t)d * WK_NFIELDS + (size_t)f] > 0;
		}
		out->avg[f] = with ? (float)(sum / with) : 0;
		if (out->avg[f] < 1)
			out->avg[f] = 1;
	}
}

static void coll_free(wk_coll *c)
{
	free(c->start);
	free(c->post);
	free(c->len);
}

/* ---- per-unit text and signature ---- */

/* What a model is given: for figures and tables the label (when the caption lacks it),
 * the caption and the text inside. */
static const char *title_above(const wk_doc *doc, int i);

char *wk_unit_model_text(const wk_doc *doc, const wk_unit *u)
{
	if (u->type != WK_UNIT_FIGURE && u->type != WK_UNIT_TABLE)
		return wk_xstrdup(u->text ? u->text : "");
	const char *cap = u->caption && *u->caption ? u->caption : (u->text ? u->text : "");
	if (!*cap && !(u->label && *u->label) && title_above(doc, u->idx))
		cap = title_above(doc, u->idx); /* a table without a caption: its title */
	wk_buf b;
	wk_buf_init(&b, 0);
	if (u->label && *u->label && strncmp(cap, u->label, strlen(u->label)) != 0)
		wk_buf_printf(&b, "%s: ", u->label);
	wk_buf_puts(&b, cap);
	if (u->table && u->table->ncells > 0) { /* rows that keep their headers */
		if (b.len)
			wk_buf_putc(&b, '\n');
		wk_table_text(doc, u, &b);
	} else if (u->figure_text && *u->figure_text) {
		wk_buf_printf(&b, "%s%s", b.len ? "\n" : "", u->figure_text);
	}
	char *s = wk_buf_steal(&b);
	return s ? s : wk_xstrdup("");
}

static uint32_t mix(uint32_t h, uint32_t seed)
{
	h ^= seed;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/* MinHash over shingles of three consecutive term ids; a unit of fewer terms is one
 * shingle of all of them (else every unit starting with the same word would look alike). */
void wk_unit_minhash(const int *ids, int n, uint32_t *mh)
{
	for (int k = 0; k < WK_MINHASH; k++)
		mh[k] = UINT32_MAX;
	int nsh = n >= 3 ? n - 2 : (n > 0 ? 1 : 0);
	for (int i = 0; i < nsh; i++) {
		uint32_t h = 2166136261u;
		for (int j = i; j < WK_MIN(i + 3, n); j++)
			h = (h ^ (uint32_t)ids[j]) * 16777619u;
		for (int k = 0; k < WK_MINHASH; k++) {
			uint32_t v = mix(h, 0x9e3779b9u * (uint32_t)(k + 1));
			if (v < mh[k])
				mh[k] = v;
		}
	}
}

/* ---- building ---- */

/* A table without a caption is named by the heading just above it on its page
 * ("CONSOLIDATED BALANCE SHEETS"). */
static const char *title_above(const wk_doc *doc, int i)
{
	for (int k = i - 1; k >= 0 && k >= i - 3; k--) {
		const wk_unit *h = &doc->units[k];
		if (h->page != doc->units[i].page)
			break;
		if (h->type == WK_UNIT_HEADING)
			return h->text;
	}
	return NULL;
}

static void index_unit(build_ctx *c, coll_builder *units, int i)
{
	const wk_doc *doc = c->ix->doc;
	const wk_unit *u = &doc->units[i];
	wk_unit_info *info = &c->ix->info[i];
	info->text = wk_unit_model_text(doc, u);
	info->tokens = wk_tokens_count(info->text);
	c->ix->doc_tokens += info->tokens;
	wk_label_parse(u->label, &info->label_kind, &info->label_num);
	info->ref_by_first = u->nrefs > 0 ? u->refs[0] : -1;
	c->nterms_out = 0;
	if (u->type == WK_UNIT_FIGURE || u->type == WK_UNIT_TABLE) {
		const char *cap = u->caption && *u->caption ? u->caption : u->text;
		add_text(c, units, i, WK_F_CAPTION, cap && *cap ? cap : title_above(doc, i));
		add_text(c, units, i, WK_F_FIGTEXT, u->figure_text);
		add_text(c, units, i, WK_F_LABEL, u->label);
	} else {
		add_text(c, units, i, WK_F_BODY, u->text);
	}
	wk_unit_minhash(c->terms_out, c->nterms_out, info->mh);
	c->unit_nids[i] = c->nterms_out;
	c->unit_ids[i] = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(c->nterms_out, 1));
	if (c->nterms_out) /* terms_out is NULL until a first term */
		memcpy(c->unit_ids[i], c->terms_out, sizeof(int) * (size_t)c->nterms_out);
	if (u->section >= 0 && u->section < doc->nsections)
		add_ids(units, i, WK_F_HEAD, c->path_ids[u->section], c->path_nids[u->section]);
}

/* The heading path of every section, tokenized once. */
static void index_paths(build_ctx *c)
{
	const wk_doc *doc = c->ix->doc;
	coll_builder scratch;
	builder_init(&scratch, 1);
	c->path_ids = wk_xcalloc((size_t)WK_MAX(doc->nsections, 1), sizeof(int *));
	c->path_nids = wk_xcalloc((size_t)WK_MAX(doc->nsections, 1), sizeof(int));
	for (int s = 0; s < doc->nsections; s++) {
		c->nterms_out = 0;
		add_text(c, &scratch, 0, 0, doc->sections[s].path);
		c->path_nids[s] = c->nterms_out;
		c->path_ids[s] = wk_xmalloc(sizeof(int) * (size_t)WK_MAX(c->nterms_out, 1));
		if (c->nterms_out) /* terms_out is NULL until a first term */
			memcpy(c->path_ids[s], c->terms_out, sizeof(int) * (size_t)c->nterms_out);
		scratch.n = 0;
	}
	free(scratch.t);
	free(scratch.len);
}

static void ctx_free(build_ctx *c, int nunits, int nsections)
{
	for (int i = 0; c->unit_ids && i < nunits; i++)
		free(c->unit_ids[i]);
	for (int s = 0; c->path_ids && s < nsections; s++)
		free(c->path_ids[s]);
	free(c->unit_ids);
	free(c->unit_nids);
	free(c->path_ids);
	free(c->path_nids);
	free(c->terms_out);
}

/* Section ranges: the parser's sections, then one per outline item (its pages up to the
 * next item of the same or a higher level). */
static void build_ranges(wk_index *ix)
{
	const wk_doc *doc = ix->doc;
	ix->nranges = doc->nsections + doc->noutline;
	ix->ranges = wk_xcalloc((size_t)WK_MAX(ix->nranges, 1), sizeof(wk_range));
	for (int s = 0; s < doc->nsections; s++)
		ix->ranges[s] = (wk_range){doc->sections[s].first, doc->sections[s].last,
		                           doc->sections[s].title, doc->sections[s].level};
	for (int o = 0; o < doc->noutline; o++) {
		const wk_outline_item *it = &doc->outline[o];
		int p0 = it->page, p1 = doc->npages + 1;
		for (int k = o + 1; k < doc->noutline; k++)
			if (doc->outline[k].level <= it->level && doc->outline[k].page > 0) {
				p1 = WK_MAX(doc->outline[k].page, p0 + 1);
				break;
			}
		wk_range *r = &ix->ranges[doc->nsections + o];
		r->title = it->title;
		r->level = it->level;
		r->first = 0;
		r->last = -1; /* empty unless pages found */
		if (p0 <= 0)
			continue;
		int first = -1, last = -1;
		for (int i = 0; i < doc->nunits; i++)
			if (doc->units[i].page >= p0 && doc->units[i].page < p1) {
				if (first < 0)
					first = i;
				last = i;
			}
		if (first >= 0) {
			r->first = first;
			r->last = last;
		}
	}
}

/* Pages and sections reuse each unit's terms (all fields but the heading path). */
static void index_groups(build_ctx *c, coll_builder *pages, coll_builder *secs)
{
	wk_index *ix = c->ix;
	const wk_doc *doc = ix->doc;
	for (int r = 0; r < ix->nranges; r++)
		add_text(c, secs, r, WK_F_HEAD, ix->ranges[r].title);
	/* unit -> the ranges that contain it, by a sweep over range starts */
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		const int *ids = c->unit_ids[i];
		int n = c->unit_nids[i];
		if (u->page >= 1 && u->page <= doc->npages)
			add_ids(pages, u->page - 1, WK_F_BODY, ids, n);
		for (int s = u->section; s >= 0 && s < doc->nsections; s = doc->sections[s].parent)
			add_ids(secs, s, WK_F_BODY, ids, n);
		for (int r = doc->nsections; r < ix->nranges; r++)
			if (i >= ix->ranges[r].first && i <= ix->ranges[r].last)
				add_ids(secs, r, WK_F_BODY, ids, n);
	}
}

/* Each unit's terms in order, for phrase matching. */
static void keep_sequences(wk_index *ix, const build_ctx *c)
{
	int n = ix->doc->nunits;
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += (size_t)c->unit_nids[i];
	ix->seq_start = wk_xmalloc(sizeof(size_t) * ((size_t)n + 1));
	ix->seq = wk_xmalloc(sizeof(int) * WK_MAX(total, 1));
	size_t at = 0;
	for (int i = 0; i < n; i++) {
		ix->seq_start[i] = at;
		memcpy(ix->seq + at, c->unit_ids[i], sizeof(int) * (size_t)c->unit_nids[i]);
		at += (size_t)c->unit_nids[i];
	}
	ix->seq_start[n] = at;
}

/* The kind of primary financial statement a title names, 0 for none. */
static int statement_kind(const char *title)
{
	static const struct {
		const char *words;
		int kind;
	} titles[] = {
		{"statements of operations", WK_STMT_INCOME}, {"statement of operations", WK_STMT_INCOME},
		{"statements of income", WK_STMT_INCOME},     {"statement of income", WK_STMT_INCOME},
		{"statements of earnings", WK_STMT_INCOME},   {"statement of earnings", WK_STMT_INCOME},
		{"balance sheets", WK_STMT_BALANCE},          {"consolidated balance sheet", WK_STMT_BALANCE},
		{"statement of financial position", WK_STMT_BALANCE},
		{"statements of financial position", WK_STMT_BALANCE},
		{"statements of cash flow", WK_STMT_CASH},    {"statement of cash flow", WK_STMT_CASH},
		{"consolidated statement", WK_STMT_OTHER},
	};
	size_t n = strlen(title);
	while (n > 0 && (title[n - 1] == ' ' || title[n - 1] == '\n'))
		n--;
	if (n > 0 && title[n - 1] == ':') /* "Balance Sheet Data:" heads rows quoted from it */
		return 0;
	for (size_t k = 0; k < WK_ARRAY_LEN(titles); k++)
		if (strcasestr(title, titles[k].words))
			return titles[k].kind;
	return 0;
}

/* Pages titled as a primary financial statement: where a filing's figures live. A
 * statement's title opens its page; the same words further down ("Consolidated Balance
 * Sheets:" over a few rows of a summary table) only quote it. */
static void find_statements(wk_index *ix)
{
	const wk_doc *doc = ix->doc;
	ix->statement_page = wk_xcalloc((size_t)doc->npages + 1, 1);
	int on_page = 0;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		on_page = i > 0 && doc->units[i - 1].page == u->page ? on_page + 1 : 0;
		if (u->page < 1 || u->page > doc->npages || on_page >= STATEMENT_TITLE_UNITS ||
		    wk_tokens_count(u->text) > 30)
			continue;
		ix->statement_page[u->page] |= (unsigned char)statement_kind(u->text);
	}
}

/* Printed page numbers that survived as units of their own ("41" on PDF page 43): when
 * enough of them agree on one offset, "page 41" in a question may mean PDF page 43. */
static void find_page_offset(wk_index *ix)
{
	const wk_doc *doc = ix->doc;
	enum { SPAN = 64 };
	int votes[2 * SPAN + 1] = {0}, total = 0;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		const char *t = u->text;
		char *end;
		long v = strtol(t, &end, 10);
		if (u->type != WK_UNIT_TEXT || end == t || *end || v < 1 || v > doc->npages + SPAN)
			continue;
		long off = u->page - v;
		if (off >= -SPAN && off <= SPAN) {
			votes[off + SPAN]++;
			total++;
		}
	}
	int best = SPAN;
	for (int k = 0; k <= 2 * SPAN; k++)
		if (votes[k] > votes[best])
			best = k;
	if (best != SPAN && votes[best] >= 3 && votes[best] * 4 >= doc->npages &&
	    votes[best] * 2 > total)
		ix->page_offset = best - SPAN;
}

void wk_index_page_units(wk_index *ix)
{
	const wk_doc *doc = ix->doc;
	ix->page_units = wk_xcalloc((size_t)doc->npages + 2, sizeof(int));
	for (int i = 0; i < doc->nunits; i++) {
		int p = doc->units[i].page;
		if (p >= 1 && p <= doc->npages)
			ix->page_units[p]++;
	}
}

int wk_index_new(const wk_doc *doc, wk_index **out, wk_error *err)
{
	*out = NULL;
	if (!doc)
		return wk_set_error(err, WK_EINVAL, "no document to index");
	wk_index *ix = wk_xcalloc(1, sizeof *ix);
	ix->doc = doc;
	ix->arena = wk_arena_new();
	ix->tk = wk_tokenizer_new();
	if (!ix->tk) {
		wk_index_free(ix);
		return wk_tokenizer_error(err);
	}
	ix->info = wk_xcalloc((size_t)WK_MAX(doc->nunits, 1), sizeof(wk_unit_info));
	build_ranges(ix);
	build_ctx c = {.ix = ix};
	c.unit_ids = wk_xcalloc((size_t)WK_MAX(doc->nunits, 1), sizeof(int *));
	c.unit_nids = wk_xcalloc((size_t)WK_MAX(doc->nunits, 1), sizeof(int));
	coll_builder units, pages, secs;
	builder_init(&units, doc->nunits);
	builder_init(&pages, doc->npages);
	builder_init(&secs, ix->nranges);
	index_paths(&c);
	for (int i = 0; i < doc->nunits; i++)
		index_unit(&c, &units, i);
	index_groups(&c, &pages, &secs);
	bool full = units.full || pages.full || secs.full;
	builder_finish(&units, ix->nterms, &ix->units);
	builder_finish(&pages, ix->nterms, &ix->pages);
	builder_finish(&secs, ix->nterms, &ix->sections);
	keep_sequences(ix, &c);
	ctx_free(&c, doc->nunits, doc->nsections);
	wk_index_page_units(ix);
	find_statements(ix);
	find_page_offset(ix);
	if (full) {
		wk_index_free(ix);
		return wk_set_error(err, WK_ELIMIT, "%s: too much text to index",
		                    doc->path ? doc->path : "document");
	}
	*out = ix;
	return WK_OK;
}

void wk_index_free(wk_index *ix)
{
	if (!ix)
		return;
	for (int i = 0; ix->info && i < ix->doc->nunits; i++)
		free(ix->info[i].text);
	free(ix->info);
	coll_free(&ix->units);
	coll_free(&ix->pages);
	coll_free(&ix->sections);
	free(ix->terms);
	free(ix->hslot);
	free(ix->ranges);
	free(ix->page_units);
	free(ix->seq);
	free(ix->statement_page);
	free(ix->vec);
	free(ix->seq_start);
	wk_tokenizer_free(ix->tk);
	wk_arena_free(ix->arena);
	free(ix);
}

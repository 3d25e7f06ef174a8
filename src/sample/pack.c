/* pack.c: a sampler index in binary, so that a library question loads term statistics
 * instead of tokenizing and counting a document again (that was half its time).
 *
 * An index is only as good as the tokenizer that made it: a pack carries a fingerprint of
 * this build's tokenizer (its output on a probe text: stemmer, stop words, folding,
 * numbers) besides WK_INDEX_PACK_VERSION, and is refused when either differs; the caller
 * then builds the index from the document as before. Layout: "WKIX", version,
 * fingerprint, then the fields in the order written below. */
#include "sample.h"

#include "../doc/doc.h"

#include <stdlib.h>
#include <string.h>

#define MAGIC 0x58494b57u /* "WKIX" */
/* tokens, label kind and number, first reference; the MinHash is made again from the
 * term sequence: it is random bits, which would not compress. */
#define INFO_WORDS 4
#define POSTING_BYTES (4 + 2 * WK_NFIELDS)
#define MAX_COUNT (1 << 28) /* token counts and page offsets beyond this are damage */

/* Covers what changes term ids: stemming, stop words, case and accent folding, numbers,
 * hyphens, apostrophes. */
static const char probe[] =
	"The Running runners ran; their studies' relational databases (\xC3\x89tudes na\xC3\xAFve) "
	"cost $1,234.50 or 45% in FY2023 - state-of-the-art e-mail U.S. don't x86_64 3.5 "
	"organizations organised ARGUED argues \xEF\xAC\x81nancial";

static void hash_term(void *user, const char *term, size_t len)
{
	uint32_t *h = user;
	for (size_t i = 0; i < len; i++)
		*h = (*h ^ (unsigned char)term[i]) * 16777619u;
	*h = (*h ^ 0xffu) * 16777619u; /* a term boundary */
}

uint32_t wk_tokenizer_fingerprint(wk_tokenizer *tk)
{
	uint32_t h = 2166136261u;
	wk_tokenize(tk, probe, hash_term, &h);
	return h;
}

/* ---- writing ---- */

static void put_coll(wk_buf *b, const wk_coll *c, int nterms)
{
	int npost = c->start[nterms];
	wk_put_i32(b, c->ndocs);
	wk_put_i32(b, npost);
	wk_put_i32s(b, c->start, (size_t)nterms + 1);
	for (int i = 0; i < npost; i++) {
		wk_put_i32(b, c->post[i].doc);
		for (int f = 0; f < WK_NFIELDS; f++) {
			unsigned char tf[2] = {(unsigned char)c->post[i].tf[f],
			                       (unsigned char)(c->post[i].tf[f] >> 8)};
			wk_buf_append(b, (const char *)tf, 2);
		}
	}
	for (size_t i = 0; i < (size_t)c->ndocs * WK_NFIELDS; i++)
		wk_put_f32(b, c->len[i]);
	for (int f = 0; f < WK_NFIELDS; f++)
		wk_put_f32(b, c->avg[f]);
}

static void put_units(wk_buf *b, const wk_index *ix)
{
	int n = ix->doc->nunits;
	for (int i = 0; i < n; i++) {
		const wk_unit_info *u = &ix->info[i];
		int32_t w[INFO_WORDS] = {u->tokens, u->label_kind, u->label_num, u->ref_by_first};
		wk_put_i32s(b, w, INFO_WORDS);
	}
	for (int i = 0; i < n; i++)
		wk_put_i32(b, (int32_t)(ix->seq_start[i + 1] - ix->seq_start[i]));
	wk_put_i32s(b, ix->seq, ix->seq_start[n]);
}

int wk_index_pack(const wk_index *ix, wk_buf *out, wk_error *err)
{
	wk_tokenizer *tk = wk_tokenizer_new();
	if (!tk)
		return wk_tokenizer_error(err);
	wk_put_u32(out, MAGIC);
	wk_put_u32(out, WK_INDEX_PACK_VERSION);
	wk_put_u32(out, wk_tokenizer_fingerprint(tk));
	wk_tokenizer_free(tk);
	const wk_doc *doc = ix->doc;
	wk_put_i32(out, doc->nunits);
	wk_put_i32(out, doc->npages);
	wk_put_i32(out, ix->nranges);
	wk_put_i32(out, ix->nterms);
	for (int t = 0; t < ix->nterms; t++)
		wk_put_str(out, ix->terms[t]);
	put_coll(out, &ix->units, ix->nterms);
	put_coll(out, &ix->pages, ix->nterms);
	put_coll(out, &ix->sections, ix->nterms);
	put_units(out, ix);
	for (int r = 0; r < ix->nranges; r++) {
		wk_put_i32(out, ix->ranges[r].first);
		wk_put_i32(out, ix->ranges[r].last);
	}
	wk_put_i32(out, ix->doc_tokens);
	wk_put_i32(out, ix->page_offset);
	wk_buf_append(out, (const char *)ix->statement_page, (size_t)doc->npages + 1);
	if (out->full)
		return wk_set_error(err, WK_ELIMIT, "%s: index too large to store",
		                    doc->path ? doc->path : "document");
	return WK_OK;
}

/* ---- reading: every id and offset is checked, as a damaged pack may say anything ---- */

static void get_terms(wk_wire *w, wk_index *ix, int nterms, int *cap)
{
	ix->terms = wk_grow(ix->terms, cap, WK_MAX(nterms, 1), sizeof(char *));
	for (int t = 0; t < nterms && !w->bad; t++) {
		size_t n;
		const char *s = wk_wire_str(w, &n);
		if (!s || memchr(s, '\0', n))
			w->bad = true;
		else
			ix->terms[ix->nterms++] = wk_arena_strndup(ix->arena, s, n);
	}
}

/* Offsets ascend from 0 to npost and every document is in range. (Within a term the
 * documents need not ascend: a section collects its subsections' terms after them.) */
static bool coll_valid(const wk_coll *c, int nterms, int npost)
{
	if (c->start[0] != 0 || c->start[nterms] != npost)
		return false;
	for (int t = 0; t < nterms; t++)
		if (c->start[t + 1] < c->start[t])
			return false;
	for (int i = 0; i < npost; i++)
		if (c->post[i].doc < 0 || c->post[i].doc >= c->ndocs)
			return false;
	return true;
}

static void get_postings(wk_wire *w, wk_coll *c, int npost)
{
	const unsigned char *p = wk_wire_bytes(w, (size_t)npost * POSTING_BYTES);
	for (int i = 0; p && i < npost; i++, p += POSTING_BYTES) {
		c->post[i].doc = (int)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		                       (uint32_t)p[3] << 24);
		for (int f = 0; f < WK_NFIELDS; f++)
			c->post[i].tf[f] = (uint16_t)(p[4 + 2 * f] | p[5 + 2 * f] << 8);
	}
}

static void get_coll(wk_wire *w, wk_coll *c, int nterms, int ndocs)
{
	c->ndocs = wk_wire_i32(w);
	int npost = wk_wire_count(w, POSTING_BYTES);
	if (c->ndocs != ndocs)
		w->bad = true;
	c->start = wk_xcalloc((size_t)nterms + 1, sizeof(int));
	c->post = wk_xmalloc(sizeof(wk_posting) * (size_t)WK_MAX(npost, 1));
	c->len = wk_xcalloc((size_t)WK_MAX(ndocs, 1) * WK_NFIELDS, sizeof(float));
	if (w->bad)
		return;
	wk_wire_i32s(w, c->start, (size_t)nterms + 1);
	get_postings(w, c, npost);
	for (size_t i = 0; i < (size_t)ndocs * WK_NFIELDS && !w->bad; i++)
		c->len[i] = wk_wire_f32(w);
	for (int f = 0; f < WK_NFIELDS; f++)
		c->avg[f] = wk_wire_f32(w);
	if (!w->bad && !coll_valid(c, nterms, npost))
		w->bad = true;
}

static void get_info(wk_wire *w, wk_index *ix)
{
	const wk_doc *doc = ix->doc;
	int32_t v[INFO_WORDS];
	for (int i = 0; i < doc->nunits && wk_wire_i32s(w, v, INFO_WORDS); i++) {
		wk_unit_info *u = &ix->info[i];
		u->tokens = v[0];
		u->label_kind = v[1];
		u->label_num = v[2];
		u->ref_by_first = v[3];
		if (u->tokens < 0 || u->tokens > MAX_COUNT || u->ref_by_first < -1 ||
		    u->ref_by_first >= doc->nunits)
			w->bad = true;
	}
}

static void get_sequences(wk_wire *w, wk_index *ix)
{
	int n = ix->doc->nunits;
	ix->seq_start = wk_xcalloc((size_t)n + 1, sizeof(size_t));
	for (int i = 0; i < n && !w->bad; i++) {
		int len = wk_wire_i32(w);
		if (len < 0)
			w->bad = true;
		ix->seq_start[i + 1] = ix->seq_start[i] + (size_t)WK_MAX(len, 0);
	}
	size_t total = ix->seq_start[n];
	if (w->bad || total > wk_wire_left(w) / 4) {
		w->bad = true;
		return;
	}
	ix->seq = wk_xmalloc(sizeof(int) * WK_MAX(total, 1));
	wk_wire_i32s(w, ix->seq, total);
	for (size_t i = 0; i < total && !w->bad; i++)
		w->bad = ix->seq[i] < 0 || ix->seq[i] >= ix->nterms;
	for (int i = 0; i < n && !w->bad; i++)
		wk_unit_minhash(ix->seq + ix->seq_start[i], (int)(ix->seq_start[i + 1] - ix->seq_start[i]),
		                ix->info[i].mh);
}

/* The parser's sections, then the outline items, as wk_index_new orders them. */
static void get_ranges(wk_wire *w, wk_index *ix)
{
	const wk_doc *doc = ix->doc;
	ix->ranges = wk_xcalloc((size_t)WK_MAX(ix->nranges, 1), sizeof(wk_range));
	for (int r = 0; r < ix->nranges && !w->bad; r++) {
		wk_range *g = &ix->ranges[r];
		g->first = wk_wire_i32(w);
		g->last = wk_wire_i32(w);
		bool sec = r < doc->nsections;
		g->title = sec ? doc->sections[r].title : doc->outline[r - doc->nsections].title;
		g->level = sec ? doc->sections[r].level : doc->outline[r - doc->nsections].level;
		if (g->last >= g->first && (g->first < 0 || g->last >= doc->nunits))
			w->bad = true;
	}
}

static void get_body(wk_wire *w, wk_index *ix, int nterms)
{
	const wk_doc *doc = ix->doc;
	int cap = 0;
	get_terms(w, ix, nterms, &cap);
	get_coll(w, &ix->units, nterms, doc->nunits);
	get_coll(w, &ix->pages, nterms, doc->npages);
	get_coll(w, &ix->sections, nterms, ix->nranges);
	if (w->bad)
		return;
	get_info(w, ix);
	get_sequences(w, ix);
	get_ranges(w, ix);
	ix->doc_tokens = wk_wire_i32(w);
	ix->page_offset = wk_wire_i32(w);
	if (ix->doc_tokens < 0 || ix->doc_tokens > MAX_COUNT || ix->page_offset < -MAX_COUNT ||
	    ix->page_offset > MAX_COUNT)
		w->bad = true; /* sums and page arithmetic must not overflow */
	const void *pages = wk_wire_bytes(w, (size_t)doc->npages + 1);
	ix->statement_page = wk_xcalloc((size_t)doc->npages + 1, 1);
	if (pages)
		memcpy(ix->statement_page, pages, (size_t)doc->npages + 1);
}

/* The header: magic, version, this build's tokenizer, and the document's shape. */
static int get_head(wk_wire *w, const wk_doc *doc, int *nterms)
{
	if (wk_wire_u32(w) != MAGIC || wk_wire_u32(w) != WK_INDEX_PACK_VERSION)
		return WK_EVERSION;
	uint32_t print = wk_wire_u32(w);
	wk_tokenizer *tk = wk_tokenizer_new();
	if (!tk)
		return WK_ENOMEM;
	uint32_t ours = wk_tokenizer_fingerprint(tk);
	wk_tokenizer_free(tk);
	if (print != ours)
		return WK_EVERSION;
	int nunits = wk_wire_i32(w), npages = wk_wire_i32(w), nranges = wk_wire_i32(w);
	*nterms = wk_wire_count(w, 4);
	if (w->bad || nunits != doc->nunits || npages != doc->npages ||
	    nranges != doc->nsections + doc->noutline)
		return WK_EPROTO;
	return WK_OK;
}

int wk_index_unpack(const wk_doc *doc, const void *data, size_t len, wk_index **out,
                    wk_error *err)
{
	*out = NULL;
	if (!doc)
		return wk_set_error(err, WK_EINVAL, "no document for the index");
	wk_wire w;
	wk_wire_init(&w, data, len);
	int nterms = 0;
	int rc = get_head(&w, doc, &nterms);
	if (rc == WK_EVERSION)
		return wk_set_error(err, rc, "index pack: made by another version or tokenizer");
	if (rc)
		return wk_set_error(err, rc, "index pack: damaged or not of this document");
	wk_index *ix = wk_xcalloc(1, sizeof *ix);
	ix->doc = doc;
	ix->arena = wk_arena_new();
	ix->nranges = doc->nsections + doc->noutline;
	ix->info = wk_xcalloc((size_t)WK_MAX(doc->nunits, 1), sizeof(wk_unit_info));
	get_body(&w, ix, nterms);
	if (w.bad || wk_wire_left(&w) != 0) {
		wk_index_free(ix);
		return wk_set_error(err, WK_EPROTO, "index pack: damaged or not of this document");
	}
	for (int i = 0; i < doc->nunits; i++)
		ix->info[i].text = wk_unit_model_text(doc, &doc->units[i]);
	wk_index_hash_terms(ix);
	wk_index_page_units(ix);
	*out = ix;
	return WK_OK;
}

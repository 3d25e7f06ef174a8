/* baselines.c: the two naive stand-ins of issue 3, implemented for real, and wukong,
 * scored by the same page-recall code (src/eval) on the same questions in one run:
 *   pages       BM25 over whole pages (pdftotext), pages taken by score until the budget
 *               is full; the page that does not fit is cut to fit, last
 *   paragraphs  BM25 over pdftotext's blank-line paragraphs, packed into the budget by
 *               score (a paragraph that does not fit is skipped, smaller ones still go in)
 *   wukong      wk_parse_cached + wk_index_new + wk_sample
 * All three use the sampler's tokenizer (stemming, stop words, numbers kept whole).
 *
 * usage: baselines [--data DIR] [--budget N] [--limit N] [--details FILE]
 * (--details: one JSON line per question with each system's recall)
 * DIR defaults to ../shared/data/mmlongbench (questions.jsonl + documents/); when it is
 * absent the program says so and exits 0. */
#include "../src/eval/eval.h"
#include "../src/sample/sample.h"
#include "pdftotext.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TEXT (256u << 20)
#define K1 1.2
#define B 0.75

enum { S_PAGES = 0, S_PARAS, S_WUKONG, NSYS };
static const char *const sys_name[NSYS] = {
    "BM25 over whole pages, filling the budget",
    "BM25 over pdftotext paragraphs, packing",
    "wukong",
};

/* ---- pdftotext ---- */


/* ---- BM25 collections ---- */

typedef struct unit {
	char *text;
	int page, tokens, nterms, len;
	int *term; /* sorted term ids */
	int *tf;
} unit;

typedef struct coll {
	int n, cap;
	unit *u;
	double avglen;
	int *df; /* per term id */
} coll;

typedef struct vocab {
	int n, cap;
	char **terms; /* linear table by hash, size cap (power of 2) */
	int *ids;
} vocab;

static uint32_t hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The id of a term, added when `add`, else -1 when unknown. */
static int vocab_id(vocab *v, const char *s, size_t len, bool add)
{
	if (add && v->n * 2 >= v->cap) {
		vocab old = *v;
		v->cap = v->cap ? v->cap * 2 : 1024;
		v->terms = wk_xcalloc((size_t)v->cap, sizeof *v->terms);
		v->ids = wk_xcalloc((size_t)v->cap, sizeof *v->ids);
		for (int i = 0; i < old.cap; i++)
			if (old.terms[i]) {
				uint32_t h = hash(old.terms[i], strlen(old.terms[i])) &
				             (uint32_t)(v->cap - 1);
				while (v->terms[h])
					h = (h + 1) & (uint32_t)(v->cap - 1);
				v->terms[h] = old.terms[i];
				v->ids[h] = old.ids[i];
			}
		free(old.terms);
		free(old.ids);
	}
	if (v->cap == 0)
		return -1;
	uint32_t h = hash(s, len) & (uint32_t)(v->cap - 1);
	while (v->terms[h]) {
		if (strlen(v->terms[h]) == len && !memcmp(v->terms[h], s, len))
			return v->ids[h];
		h = (h + 1) & (uint32_t)(v->cap - 1);
	}
	if (!add)
		return -1;
	v->terms[h] = wk_xstrndup(s, len);
	v->ids[h] = v->n;
	return v->n++;
}

static void vocab_free(vocab *v)
{
	for (int i = 0; i < v->cap; i++)
		free(v->terms[i]);
	free(v->terms);
	free(v->ids);
}

typedef struct term_list {
	vocab *v;
	bool add;
	int n, cap;
	int *ids;
} term_list;

static void on_term(void *user, const char *term, size_t len)
{
	term_list *t = user;
	int id = vocab_id(t->v, term, len, t->add);
	if (id < 0)
		return;
	t->ids = wk_grow(t->ids, &t->cap, t->n + 1, sizeof *t->ids);
	t->ids[t->n++] = id;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void unit_add(coll *c, vocab *v, wk_tokenizer *tk, const char *text, size_t len, int page)
{
	char *s = wk_xstrndup(text, len);
	term_list t = {.v = v, .add = true};
	wk_tokenize(tk, s, on_term, &t);
	if (t.n == 0) {
		free(s);
		free(t.ids);
		return;
	}
	qsort(t.ids, (size_t)t.n, sizeof *t.ids, cmp_int);
	c->u = wk_grow(c->u, &c->cap, c->n + 1, sizeof *c->u);
	unit *u = &c->u[c->n++];
	*u = (unit){.text = s, .page = page, .tokens = wk_tokens_count(s), .len = t.n};
	u->term = wk_xmalloc((size_t)t.n * sizeof *u->term);
	u->tf = wk_xmalloc((size_t)t.n * sizeof *u->tf);
	for (int i = 0; i < t.n; i++) {
		if (u->nterms > 0 && u->term[u->nterms - 1] == t.ids[i]) {
			u->tf[u->nterms - 1]++;
			continue;
		}
		u->term[u->nterms] = t.ids[i];
		u->tf[u->nterms++] = 1;
	}
	free(t.ids);
}

static void coll_finish(coll *c, const vocab *v)
{
	c->df = wk_xcalloc((size_t)v->n + 1, sizeof *c->df);
	double total = 0;
	for (int i = 0; i < c->n; i++) {
		total += c->u[i].len;
		for (int k = 0; k < c->u[i].nterms; k++)
			c->df[c->u[i].term[k]]++;
	}
	c->avglen = c->n ? total / c->n : 1;
}

static void coll_free(coll *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->u[i].text);
		free(c->u[i].term);
		free(c->u[i].tf);
	}
	free(c->u);
	free(c->df);
}

static double bm25(const coll *c, const unit *u, const int *q, int nq)
{
	double s = 0;
	for (int i = 0; i < nq; i++) {
		int *hit = bsearch(&q[i], u->term, (size_t)u->nterms, sizeof *u->term, cmp_int);
		if (!hit)
			continue;
		double tf = u->tf[hit - u->term], df = c->df[q[i]];
		double idf = log(1 + (c->n - df + 0.5) / (df + 0.5));
		s += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * u->len / c->avglen));
	}
	return s;
}

/* ---- one document ---- */

typedef struct doc_text {
	vocab v;
	coll pages, paras;
	int npages;
} doc_text;

static bool load_text(const char *path, wk_tokenizer *tk, doc_text *d)
{
	char *text = run_pdftotext(path, false, true, MAX_TEXT);
	if (!text)
		return false;
	int page = 1;
	for (char *p = text; *p; page++) {
		char *ff = strchr(p, '\f'), *end = ff ? ff : p + strlen(p);
		unit_add(&d->pages, &d->v, tk, p, (size_t)(end - p), page);
		for (char *q = p; q < end;) {
			char *gap = strstr(q, "\n\n");
			char *stop = gap && gap < end ? gap : end;
			unit_add(&d->paras, &d->v, tk, q, (size_t)(stop - q), page);
			q = stop;
			while (q < end && *q == '\n')
				q++;
		}
		d->npages = page;
		if (!ff)
			break;
		p = ff + 1;
	}
	free(text);
	coll_finish(&d->pages, &d->v);
	coll_finish(&d->paras, &d->v);
	return d->pages.n > 0;
}

/* ---- measuring ---- */

typedef struct sums {
	int n;
	double r5, rb, units, pages, tokens;
} sums;

/* The gold pages of a question that lie inside its document (as `wukong eval` counts). */
typedef struct gold {
	int n;
	int pages[64];
	double r5[NSYS], rb[NSYS]; /* this question's recall by system, for --details */
} gold;

static void add_measure(sums *s, const wk_eval_pick *picks, int npicks, int units, int tokens,
                        gold *g, int sys)
{
	s->n++;
	g->r5[sys] = wk_eval_recall_at(picks, npicks, g->pages, g->n, 5);
	g->rb[sys] = wk_eval_recall_all(picks, npicks, g->pages, g->n);
	s->r5 += g->r5[sys];
	s->rb += g->rb[sys];
	s->units += units;
	s->pages += wk_eval_distinct_pages(picks, npicks);
	s->tokens += tokens;
}

typedef struct ranked {
	int i;
	double s;
} ranked;

static int by_score(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->s != y->s)
		return x->s < y->s ? 1 : -1;
	return x->i - y->i;
}

/* Ranks the units of c by BM25 and selects under the budget: `cut` = fill in rank order
 * and cut the first unit that does not fit; else pack (skip what does not fit). */
static void run_baseline(const coll *c, const int *q, int nq, int budget, bool cut, gold *g,
                         sums *s)
{
	ranked *r = wk_xmalloc(((size_t)c->n + 1) * sizeof *r);
	int nr = 0;
	for (int i = 0; i < c->n; i++) {
		double sc = bm25(c, &c->u[i], q, nq);
		if (sc > 0)
			r[nr++] = (ranked){i, sc};
	}
	qsort(r, (size_t)nr, sizeof *r, by_score);
	wk_eval_pick *picks = wk_xmalloc(((size_t)nr + 1) * sizeof *picks);
	int np = 0, used = 0;
	for (int k = 0; k < nr && used < budget; k++) {
		const unit *u = &c->u[r[k].i];
		int tokens = u->tokens;
		if (used + tokens > budget) {
			if (!cut)
				continue;
			tokens = budget - used; /* the page cut to what is left */
		}
		used += tokens;
		picks[np] = (wk_eval_pick){.page = u->page, .score = r[k].s, .unit = np};
		np++;
		if (cut && used >= budget)
			break;
	}
	add_measure(s, picks, np, np, used, g, cut ? S_PAGES : S_PARAS);
	free(picks);
	free(r);
}

static void run_wukong(const wk_doc *doc, const wk_index *index, int budget, const wk_eval_item *it,
                       gold *g, sums *s, double *ms)
{
	wk_ask_opts o;
	wk_ask_opts_init(&o);
	o.budget = budget;
	wk_selection *sel = NULL;
	double t0 = wk_now_ms();
	if (wk_sample(index, it->question, &o, &sel, NULL) != WK_OK) {
		add_measure(s, NULL, 0, 0, 0, g, S_WUKONG);
		return;
	}
	*ms = wk_now_ms() - t0;
	wk_eval_pick *picks;
	int np = wk_eval_picks(doc, sel, &picks);
	add_measure(s, picks, np, sel->n, sel->tokens, g, S_WUKONG);
	free(picks);
	wk_selection_free(sel);
}

/* ---- main ---- */

typedef struct run {
	const char *data;
	int budget, limit;
	wk_eval_set *set;
	wk_tokenizer *tk;
	sums sys[NSYS];
	int ndocs, nimage, nfailed, nbeyond;
	double *ms;
	int nms;
	FILE *details; /* --details: one JSON line per question, NULL = none */
} run;

static void write_details(run *r, const wk_eval_item *it, const gold *g)
{
	if (!r->details)
		return;
	json_t *pages = json_array();
	for (int i = 0; i < g->n; i++)
		json_array_append_new(pages, json_integer(g->pages[i]));
	json_t *o = json_pack("{s:i,s:s,s:s,s:o}", "line", it->line, "doc_id", it->doc_id,
	                      "question", it->question, "gold_pages", pages);
	const char *key[NSYS] = {"pages", "paragraphs", "wukong"};
	for (int k = 0; k < NSYS; k++)
		json_object_set_new(
		    o, key[k], json_pack("{s:f,s:f}", "at_5", g->r5[k], "at_budget", g->rb[k]));
	char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	fprintf(r->details, "%s\n", line ? line : "{}");
	free(line);
	json_decref(o);
}

/* Gold pages past the document's end are benchmark slips: left out and counted. */
static bool gold_of(run *r, const wk_eval_item *it, int npages, gold *g)
{
	g->n = 0;
	for (int i = 0; i < it->npages && g->n < (int)WK_ARRAY_LEN(g->pages); i++) {
		if (it->pages[i] <= npages)
			g->pages[g->n++] = it->pages[i];
		else
			r->nbeyond++;
	}
	return g->n > 0;
}

static bool measured(const wk_eval_set *set, const wk_eval_item *it)
{
	return wk_eval_answerable(set, it) && it->npages > 0;
}

static void question_terms(run *r, doc_text *d, const char *q, term_list *t)
{
	*t = (term_list){.v = &d->v, .add = false};
	wk_tokenize(r->tk, q, on_term, t);
}

static void run_doc(run *r, const char *doc_id, const int *items, int n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/documents/%s", r->data, doc_id);
	doc_text d = {0};
	wk_doc *doc = NULL;
	wk_index *index = NULL;
	wk_parse_opts po;
	wk_parse_opts_init(&po);
	po.ocr = WK_OCR_NEVER;
	r->ndocs++;
	bool text = load_text(path, r->tk, &d);
	int rc = text ? wk_parse_cached(path, &po, &doc, NULL, NULL) : WK_ENOTEXT;
	if (rc == WK_OK)
		rc = wk_index_new(doc, &index, NULL);
	if (rc != WK_OK) {
		r->nimage += rc == WK_ENOTEXT;
		r->nfailed += rc != WK_ENOTEXT;
		fprintf(stderr, "baselines: %s: %s, skipped\n", doc_id, wk_strerror(rc));
	}
	for (int k = 0; k < n && rc == WK_OK; k++) {
		const wk_eval_item *it = &r->set->items[items[k]];
		gold g;
		if (!gold_of(r, it, doc->npages, &g))
			continue;
		term_list t;
		question_terms(r, &d, it->question, &t);
		run_baseline(&d.pages, t.ids, t.n, r->budget, true, &g, &r->sys[S_PAGES]);
		run_baseline(&d.paras, t.ids, t.n, r->budget, false, &g, &r->sys[S_PARAS]);
		run_wukong(doc, index, r->budget, it, &g, &r->sys[S_WUKONG], &r->ms[r->nms++]);
		write_details(r, it, &g);
		free(t.ids);
	}
	wk_index_free(index);
	wk_doc_free(doc);
	coll_free(&d.pages);
	coll_free(&d.paras);
	vocab_free(&d.v);
}

static void run_all(run *r)
{
	int count = r->limit > 0 ? WK_MIN(r->limit, r->set->n) : r->set->n;
	bool *done = wk_xcalloc((size_t)count + 1, sizeof *done);
	int *items = wk_xmalloc(((size_t)count + 1) * sizeof *items);
	r->ms = wk_xcalloc((size_t)count + 1, sizeof *r->ms);
	for (int i = 0; i < count; i++) {
		if (done[i] || !measured(r->set, &r->set->items[i]))
			continue;
		int n = 0;
		for (int j = i; j < count; j++)
			if (!done[j] && measured(r->set, &r->set->items[j]) &&
			    !strcmp(r->set->items[j].doc_id, r->set->items[i].doc_id)) {
				done[j] = true;
				items[n++] = j;
			}
		run_doc(r, r->set->items[i].doc_id, items, n);
	}
	free(items);
	free(done);
}

static void print_table(run *r)
{
	printf("page recall on %s, %d text-layer questions (answerable, with evidence pages), "
	       "budget %d tokens;\n%d documents, %d image-only and %d failed left out; %d gold "
	       "pages beyond their document left out\n\n",
	       r->data, r->sys[S_WUKONG].n, r->budget, r->ndocs, r->nimage, r->nfailed, r->nbeyond);
	printf("| %-42s | %6s | %9s | %7s | %7s | %7s |\n", "stand-in", "R@5", "R@budget",
	       "units/q", "pages/q", "tokens");
	printf("|%.44s|%.8s|%.11s|%.9s|%.9s|%.9s|\n",
	       "--------------------------------------------", "--------", "-----------",
	       "---------", "---------", "---------");
	for (int s = 0; s < NSYS; s++) {
		const sums *m = &r->sys[s];
		double n = m->n ? m->n : 1;
		printf("| %-42s | %6.3f | %9.3f | %7.1f | %7.1f | %7.0f |\n", sys_name[s],
		       m->r5 / n, m->rb / n, m->units / n, m->pages / n, m->tokens / n);
	}
	printf("\nwukong sample latency (parsed document): p50 %.2f ms, p95 %.2f ms\n",
	       wk_eval_percentile(r->ms, r->nms, 50), wk_eval_percentile(r->ms, r->nms, 95));
}

int main(int argc, char **argv)
{
	run r = {.data = "../shared/data/mmlongbench", .budget = 2048};
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--data"))
			r.data = argv[i + 1];
		else if (!strcmp(argv[i], "--budget"))
			r.budget = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--limit"))
			r.limit = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--details") && !(r.details = fopen(argv[i + 1], "w"))) {
			fprintf(stderr, "baselines: %s: cannot write\n", argv[i + 1]);
			return 2;
		}
	}
	char qpath[4096];
	snprintf(qpath, sizeof qpath, "%s/questions.jsonl", r.data);
	if (access(qpath, R_OK) != 0) {
		printf("baselines: %s not found: no MMLongBench-Doc data here, nothing measured\n",
		       qpath);
		return 0;
	}
	wk_error err = {0};
	if (r.budget < 16 || wk_eval_load(qpath, WK_EVAL_MMLONGBENCH, &r.set, &err)) {
		fprintf(stderr, "baselines: %s\n", r.budget < 16 ? "budget below 16" : err.message);
		return 2;
	}
	r.tk = wk_tokenizer_new();
	run_all(&r);
	print_table(&r);
	free(r.ms);
	wk_tokenizer_free(r.tk);
	wk_eval_set_free(r.set);
	if (r.details)
		fclose(r.details);
	return 0;
}

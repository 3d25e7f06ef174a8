/* select.c: budgeted selection: greedy by marginal gain (score, lowered for pages already
 * covered and for near-duplicates of chosen units), long units trimmed to their best
 * passage, neighbours pulled in when a paragraph stops mid-sentence, and a final fill. */
#include "sample.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CANDS 800
#define DUP_SIMILARITY 0.6   /* MinHash agreement above which a unit is a near-duplicate */
#define PAGE_SPREAD 0.7      /* score lost per unit already taken on the same page */
#define NEIGHBOUR_SHARE 0.9  /* the continuation of a chosen paragraph */
#define MIN_PASSAGE 24       /* tokens: smaller leftovers are not worth a passage */

/* ---- a max-heap of candidate positions keyed by their last known gain ---- */

typedef struct heap_item {
	double key;
	int i;
} heap_item;

typedef struct heap {
	heap_item *v;
	int n, cap;
} heap;

static void heap_push(heap *h, double key, int i)
{
	h->v = wk_grow(h->v, &h->cap, h->n + 1, sizeof(heap_item));
	int k = h->n++;
	while (k > 0 && h->v[(k - 1) / 2].key < key) {
		h->v[k] = h->v[(k - 1) / 2];
		k = (k - 1) / 2;
	}
	h->v[k] = (heap_item){key, i};
}

static heap_item heap_pop(heap *h)
{
	heap_item top = h->v[0], last = h->v[--h->n];
	int k = 0;
	for (;;) {
		int c = 2 * k + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1].key > h->v[c].key)
			c++;
		if (h->v[c].key <= last.key)
			break;
		h->v[k] = h->v[c];
		k = c;
	}
	if (h->n > 0)
		h->v[k] = last;
	return top;
}

typedef struct sel_state {
	const wk_index *const *ix;
	const wk_query *const *q;
	wk_tokenizer *tk;
	wk_cand *c;
	int n, cap;
	char *state;          /* per candidate: 0 open, 1 taken, 2 dropped */
	wk_pick *picks;
	int npicks, pick_cap;
	int remaining, max_unit;
	heap *heap;
} sel_state;

static int by_score_desc(const void *a, const void *b)
{
	const wk_cand *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	if (x->doc != y->doc)
		return x->doc - y->doc;
	return x->idx - y->idx;
}

static int by_position(const void *a, const void *b)
{
	const wk_pick *x = a, *y = b;
	return x->doc != y->doc ? x->doc - y->doc : x->idx - y->idx;
}

static double similarity(const wk_unit_info *a, const wk_unit_info *b)
{
	int same = 0;
	for (int k = 0; k < WK_MINHASH; k++)
		same += a->mh[k] == b->mh[k] && a->mh[k] != UINT32_MAX;
	return (double)same / WK_MINHASH;
}

/* The candidate's score after the page-spread penalty; 0 for a near-duplicate. */
static double gain(const sel_state *st, const wk_cand *c)
{
	const wk_doc *doc = st->ix[c->doc]->doc;
	const wk_unit_info *info = &st->ix[c->doc]->info[c->idx];
	int on_page = 0;
	for (int i = 0; i < st->npicks; i++) {
		const wk_pick *p = &st->picks[i];
		if (p->doc != c->doc)
			continue;
		if (similarity(info, &st->ix[p->doc]->info[p->idx]) >= DUP_SIMILARITY)
			return 0;
		on_page += doc->units[p->idx].page == doc->units[c->idx].page;
	}
	return c->score / (1.0 + PAGE_SPREAD * on_page);
}

static int find_cand(const sel_state *st, int doc, int idx)
{
	for (int i = 0; i < st->n; i++)
		if (st->c[i].doc == doc && st->c[i].idx == idx)
			return i;
	return -1;
}

/* Raises (or adds) the candidate for unit idx to at least `score`. */
static void pull_in(sel_state *st, int doc, int idx, double score)
{
	if (idx < 0 || idx >= st->ix[doc]->doc->nunits)
		return;
	int i = find_cand(st, doc, idx);
	if (i < 0 && st->n < st->cap) {
		i = st->n++;
		st->c[i] = (wk_cand){doc, idx, 0};
		st->state[i] = 0;
	}
	if (i >= 0 && st->c[i].score < score && st->state[i] == 0) {
		st->c[i].score = score;
		heap_push(st->heap, score, i);
	}
}

static int ends_mid_sentence(const char *t)
{
	size_t n = strlen(t);
	while (n > 0 && isspace((unsigned char)t[n - 1]))
		n--;
	return n > 0 && !strchr(".!?:;\"')]", t[n - 1]);
}

/* A paragraph cut by a page or column break continues in the next unit. */
static void pull_neighbours(sel_state *st, const wk_cand *c)
{
	const wk_doc *doc = st->ix[c->doc]->doc;
	const wk_unit *u = &doc->units[c->idx];
	if (u->type != WK_UNIT_TEXT)
		return;
	const wk_unit *next = c->idx + 1 < doc->nunits ? u + 1 : NULL;
	if (next && next->type == WK_UNIT_TEXT && ends_mid_sentence(u->text))
		pull_in(st, c->doc, c->idx + 1, NEIGHBOUR_SHARE * c->score);
	if (c->idx > 0 && islower((unsigned char)u->text[0]) && u[-1].type == WK_UNIT_TEXT)
		pull_in(st, c->doc, c->idx - 1, NEIGHBOUR_SHARE * c->score);
}

/* The text to give for a candidate within `room` tokens, NULL when it does not fit. */
static char *pick_text(sel_state *st, const wk_cand *c, int room)
{
	const wk_index *ix = st->ix[c->doc];
	const wk_unit *u = &ix->doc->units[c->idx];
	const wk_unit_info *info = &ix->info[c->idx];
	const wk_query *q = st->q[c->doc];
	int fig = u->type == WK_UNIT_FIGURE || u->type == WK_UNIT_TABLE;
	/* To count figures or tables, their captions are what matters. */
	if (fig && (q->kind == WK_Q_COUNT_FIGURES || q->kind == WK_Q_COUNT_TABLES) &&
	    info->tokens > 64 && u->caption && *u->caption && wk_tokens_count(u->caption) <= room)
		return wk_xstrdup(u->caption);
	if (info->tokens <= room)
		return wk_xstrdup(info->text);
	if (room < MIN_PASSAGE)
		return NULL;
	return wk_best_passage(ix, st->tk, q, info->text, room, fig);
}

static void take(sel_state *st, int i)
{
	wk_cand *c = &st->c[i];
	int room = WK_MIN(st->remaining, st->max_unit);
	char *text = pick_text(st, c, room);
	if (!text) {
		st->state[i] = 2;
		return;
	}
	int tokens = wk_tokens_count(text);
	if (tokens == 0 || tokens > st->remaining) {
		free(text);
		st->state[i] = 2;
		return;
	}
	st->state[i] = 1;
	st->picks = wk_grow(st->picks, &st->pick_cap, st->npicks + 1, sizeof(wk_pick));
	st->picks[st->npicks++] = (wk_pick){c->doc, c->idx, c->score, text, tokens};
	st->remaining -= tokens;
	pull_neighbours(st, c);
}

/* Lazy greedy: gains only fall as units are taken, so a candidate whose fresh gain still
 * beats every stale key is the best. A candidate raised by pull_in is pushed again. */
static int best_open(sel_state *st, heap *h)
{
	while (h->n > 0) {
		heap_item top = heap_pop(h);
		if (st->state[top.i] != 0)
			continue;
		double g = gain(st, &st->c[top.i]);
		if (g <= 0) {
			st->state[top.i] = 2;
			continue;
		}
		if (h->n == 0 || g >= h->v[0].key - 1e-12)
			return top.i;
		heap_push(h, g, top.i);
	}
	return -1;
}

int wk_select_run(const wk_index *const *indexes, const wk_query *const *queries,
                  wk_tokenizer *tk, wk_cand *cands, int ncands, int budget, wk_pick **picks,
                  int *npicks)
{
	qsort(cands, (size_t)ncands, sizeof *cands, by_score_desc);
	while (ncands > 0 && cands[ncands - 1].score <= 0)
		ncands--;
	sel_state st = {.ix = indexes, .q = queries, .tk = tk, .remaining = budget};
	st.max_unit = WK_MAX(budget / 4, MIN_PASSAGE * 2);
	st.n = WK_MIN(ncands, MAX_CANDS);
	st.cap = st.n + 64;
	st.c = wk_xmalloc(sizeof(wk_cand) * (size_t)st.cap);
	memcpy(st.c, cands, sizeof(wk_cand) * (size_t)st.n);
	st.state = wk_xcalloc((size_t)st.cap, 1);
	heap h = {0};
	st.heap = &h;
	for (int i = 0; i < st.n; i++)
		heap_push(&h, st.c[i].score, i);
	while (st.remaining > 0) {
		int i = best_open(&st, &h);
		if (i < 0)
			break;
		take(&st, i);
	}
	free(h.v);
	free(st.c);
	free(st.state);
	qsort(st.picks, (size_t)st.npicks, sizeof(wk_pick), by_position);
	*picks = st.picks;
	*npicks = st.npicks;
	return WK_OK;
}

/* select.c: budgeted selection: greedy by marginal gain (score, lowered for pages already
 * covered and for near-duplicates of chosen units) while the gain stays above half the
 * best score; then one unit from each page not covered yet (the best candidate there,
 * else the page's longest unit); then greedy again until the budget is full. Headings are
 * never evidence on their own (their words count through the section signals); text
 * fragments (table rows, chart labels, a paragraph cut by a column break) are joined
 * with their neighbours on the page into one passage; long units are trimmed to their
 * best passage of whole sentences. */
#include "sample.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CANDS 800
#define DUP_SIMILARITY 0.6   /* MinHash agreement above which a unit may be a near-duplicate */
#define DUP_MAX_TERMS 512    /* longer units are compared by MinHash alone */
#define PAGE_SPREAD 0.7      /* score lost per unit already taken on the same page */
#define JOIN_TOKENS 160      /* a passage of joined fragments stops growing here */
#define FRAGMENT_TOKENS 16   /* a text unit this short is a fragment, sentence or not */
#define MIN_PASSAGE 24       /* tokens: smaller leftovers are not worth a passage */
#define FILL_RATIO 0.5       /* below this share of the best score, uncovered pages first */

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
	const double *const *scores; /* per document, per unit */
	wk_tokenizer *tk;
	wk_cand *c;
	int n;
	char *state;          /* per candidate: 0 open, 1 taken, 2 dropped */
	unsigned char **used; /* per document, per unit: inside a pick already */
	int ndocs;
	wk_pick *picks;
	int npicks, pick_cap;
	int remaining, max_unit;
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

/* Does unit a hold a word unit b does not? Slides repeat a sentence with one word changed
 * ("Having lots of reports / dashboards / alerts does not make you data-driven"), each
 * on its own page and each evidence; MinHash takes such pairs for near-duplicates (they
 * share most of their 3-word shingles), a repeated paragraph adds no word. */
static bool adds_a_word(const wk_index *ix, int a, int b)
{
	size_t a0 = ix->seq_start[a], a1 = ix->seq_start[a + 1];
	size_t b0 = ix->seq_start[b], b1 = ix->seq_start[b + 1];
	if (a1 - a0 > DUP_MAX_TERMS || b1 - b0 > DUP_MAX_TERMS)
		return false;
	for (size_t i = a0; i < a1; i++) {
		size_t j = b0;
		while (j < b1 && ix->seq[j] != ix->seq[i])
			j++;
		if (j == b1)
			return true;
	}
	return false;
}

/* The candidate's score after the page-spread penalty; 0 for a near-duplicate or a unit
 * already inside a pick. */
static double gain(const sel_state *st, const wk_cand *c)
{
	const wk_doc *doc = st->ix[c->doc]->doc;
	const wk_unit_info *info = &st->ix[c->doc]->info[c->idx];
	if (st->used[c->doc][c->idx])
		return 0;
	int on_page = 0;
	for (int i = 0; i < st->npicks; i++) {
		const wk_pick *p = &st->picks[i];
		if (p->doc != c->doc)
			continue;
		if (similarity(info, &st->ix[p->doc]->info[p->idx]) >= DUP_SIMILARITY &&
		    !adds_a_word(st->ix[c->doc], c->idx, p->idx))
			return 0;
		on_page += doc->units[p->idx].page == doc->units[c->idx].page;
	}
	return c->score / (1.0 + PAGE_SPREAD * on_page);
}

static int ends_mid_sentence(const char *t)
{
	size_t n = strlen(t);
	while (n > 0 && isspace((unsigned char)t[n - 1]))
		n--;
	return n > 0 && !strchr(".!?:;\"')]", t[n - 1]);
}

static int is_fragment(const wk_index *ix, int i)
{
	const wk_unit *u = &ix->doc->units[i];
	int tokens = ix->info[i].tokens;
	return u->type == WK_UNIT_TEXT &&
	       (tokens < FRAGMENT_TOKENS || (tokens < 2 * FRAGMENT_TOKENS && ends_mid_sentence(u->text)));
}

/* May text units a and a + 1 be read as one passage? */
static int joinable(const sel_state *st, int doc, int a)
{
	const wk_index *ix = st->ix[doc];
	const wk_unit *u = &ix->doc->units[a];
	if (a < 0 || a + 1 >= ix->doc->nunits || u[0].type != WK_UNIT_TEXT ||
	    u[1].type != WK_UNIT_TEXT || st->used[doc][a] || st->used[doc][a + 1])
		return 0;
	if (u[0].page != u[1].page)
		return ends_mid_sentence(u[0].text) && islower((unsigned char)u[1].text[0]);
	int frag = is_fragment(ix, a);
	if (frag && is_fragment(ix, a + 1))
		return 1;
	/* a paragraph cut mid-sentence; a table row's missing full stop is no such cut */
	return ends_mid_sentence(u[0].text) && (!frag || islower((unsigned char)u[1].text[0]));
}

/* Grows [*a, *b] around a unit over joinable neighbours, the better-scoring side first,
 * up to JOIN_TOKENS. */
static void extend(const sel_state *st, int doc, int *a, int *b)
{
	const wk_index *ix = st->ix[doc];
	const double *sc = st->scores[doc];
	int tokens = ix->info[*a].tokens;
	for (;;) {
		int left = joinable(st, doc, *a - 1) ? *a - 1 : -1;
		int right = joinable(st, doc, *b) ? *b + 1 : -1;
		if (left >= 0 && tokens + ix->info[left].tokens > JOIN_TOKENS)
			left = -1;
		if (right >= 0 && tokens + ix->info[right].tokens > JOIN_TOKENS)
			right = -1;
		if (left < 0 && right < 0)
			return;
		int take_left = left >= 0 && (right < 0 || sc[left] >= sc[right]);
		if (take_left)
			*a = left;
		else
			*b = right;
		tokens += ix->info[take_left ? left : right].tokens;
	}
}

/* The text of units a..b: a continued sentence joins with a space, the rest by lines. */
static char *joined_text(const wk_index *ix, int a, int b)
{
	if (a == b)
		return wk_xstrdup(ix->info[a].text);
	wk_buf buf;
	wk_buf_init(&buf, 0);
	for (int i = a; i <= b; i++) {
		const char *t = ix->info[i].text;
		if (i > a)
			wk_buf_putc(&buf, ends_mid_sentence(ix->info[i - 1].text) &&
			                          islower((unsigned char)t[0]) ? ' ' : '\n');
		wk_buf_puts(&buf, t);
	}
	char *s = wk_buf_steal(&buf);
	return s ? s : wk_xstrdup("");
}

/* The text to give for units a..b within `room` tokens, NULL when it does not fit. */
static char *pick_text(sel_state *st, int doc, int idx, int a, int b, int room)
{
	const wk_index *ix = st->ix[doc];
	const wk_unit *u = &ix->doc->units[idx];
	const wk_unit_info *info = &ix->info[idx];
	const wk_query *q = st->q[doc];
	int fig = u->type == WK_UNIT_FIGURE || u->type == WK_UNIT_TABLE;
	/* To count figures or tables, their captions are what matters. */
	if (fig && (q->kind == WK_Q_COUNT_FIGURES || q->kind == WK_Q_COUNT_TABLES) &&
	    info->tokens > 64 && u->caption && *u->caption && wk_tokens_count(u->caption) <= room)
		return wk_xstrdup(u->caption);
	char *text = joined_text(ix, a, b);
	if (wk_tokens_count(text) <= room)
		return text;
	char *cut = room >= MIN_PASSAGE ? wk_best_passage(ix, st->tk, q, text, room, fig || a < b)
	                                : NULL;
	free(text);
	return cut;
}

/* Adds unit idx of doc (with its joinable neighbours) as a pick; false when it does not
 * fit the budget. */
static bool take_unit(sel_state *st, int doc, int idx, double score)
{
	int a = idx, b = idx;
	if (st->ix[doc]->doc->units[idx].type == WK_UNIT_TEXT)
		extend(st, doc, &a, &b);
	int room = WK_MIN(st->remaining, st->max_unit);
	char *text = pick_text(st, doc, idx, a, b, room);
	int tokens = text ? wk_tokens_count(text) : 0;
	if (!text || tokens == 0 || tokens > st->remaining) {
		free(text);
		return false;
	}
	for (int k = a; k <= b; k++)
		st->used[doc][k] = 1;
	st->picks = wk_grow(st->picks, &st->pick_cap, st->npicks + 1, sizeof(wk_pick));
	st->picks[st->npicks++] = (wk_pick){doc, a, b - a + 1, score, text, tokens};
	st->remaining -= tokens;
	return true;
}

static void take(sel_state *st, int i)
{
	st->state[i] = take_unit(st, st->c[i].doc, st->c[i].idx, st->c[i].score) ? 1 : 2;
}

/* Lazy greedy: gains only fall as units are taken, so a candidate whose fresh gain still
 * beats every stale key is the best. */
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

/* Takes the best open candidates while their gain stays above `floor`. */
static void greedy(sel_state *st, heap *h, double floor)
{
	while (st->remaining > 0) {
		int i = best_open(st, h);
		if (i < 0)
			return;
		if (gain(st, &st->c[i]) < floor) {
			heap_push(h, gain(st, &st->c[i]), i);
			return;
		}
		take(st, i);
	}
}

static bool page_covered(const sel_state *st, int doc, int page)
{
	const wk_doc *d = st->ix[doc]->doc;
	for (int i = 0; i < st->npicks; i++) {
		const wk_pick *p = &st->picks[i];
		for (int k = p->idx; p->doc == doc && k < p->idx + p->span; k++)
			if (d->units[k].page == page)
				return true;
	}
	return false;
}

/* Once the clearly best units are in, the best unit of each page not covered yet, by
 * score: evidence spread over pages finds the page a question meant more often than more
 * units from the pages already read (measured on the development set, docs/eval.md). */
static void fill_uncovered(sel_state *st)
{
	for (int i = 0; i < st->n && st->remaining > 0; i++) {
		const wk_cand *c = &st->c[i];
		if (st->state[i] != 0 || st->used[c->doc][c->idx] ||
		    page_covered(st, c->doc, st->ix[c->doc]->doc->units[c->idx].page))
			continue;
		if (gain(st, c) > 0)
			take(st, i);
	}
	/* Pages no candidate is on (the question's words are not there): their longest unit
	 * under the per-unit cap, in page order, while the budget lasts; only in documents
	 * the selection reads already (of several, the others did not match). */
	for (int d = 0; d < st->ndocs; d++) {
		const wk_doc *doc = st->ix[d]->doc;
		bool read = false;
		for (int i = 0; i < st->npicks && !read; i++)
			read = st->picks[i].doc == d;
		if (!read)
			continue;
		for (int p = 1; p <= doc->npages && st->remaining > 0; p++) {
			if (page_covered(st, d, p))
				continue;
			int best = -1;
			for (int i = 0; i < doc->nunits; i++)
				if (doc->units[i].page == p && doc->units[i].type != WK_UNIT_HEADING &&
				    !st->used[d][i] && st->ix[d]->info[i].tokens <= st->max_unit &&
				    (best < 0 || st->ix[d]->info[i].tokens > st->ix[d]->info[best].tokens))
					best = i;
			if (best >= 0)
				take_unit(st, d, best, 0);
		}
	}
}

/* Candidates worth considering: scored, not headings, the best MAX_CANDS. */
static int keep_candidates(const wk_index *const *ix, wk_cand *c, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		if (c[i].score > 0 && ix[c[i].doc]->doc->units[c[i].idx].type != WK_UNIT_HEADING)
			c[k++] = c[i];
	if (k > 0)
		qsort(c, (size_t)k, sizeof *c, by_score_desc);
	return WK_MIN(k, MAX_CANDS);
}

int wk_select_run(const wk_index *const *indexes, const wk_query *const *queries,
                  const double *const *scores, int ndocs, wk_tokenizer *tk, wk_cand *cands,
                  int ncands, int budget, wk_pick **picks, int *npicks)
{
	sel_state st = {.ix = indexes, .q = queries, .scores = scores, .tk = tk,
	                .remaining = budget, .ndocs = ndocs, .c = cands};
	st.max_unit = WK_MAX(budget / 8, MIN_PASSAGE * 2);
	st.n = keep_candidates(indexes, cands, ncands);
	st.state = wk_xcalloc((size_t)WK_MAX(st.n, 1), 1);
	st.used = wk_xcalloc((size_t)WK_MAX(ndocs, 1), sizeof *st.used);
	for (int d = 0; d < ndocs; d++)
		st.used[d] = wk_xcalloc((size_t)WK_MAX(indexes[d]->doc->nunits, 1), 1);
	heap h = {0};
	for (int i = 0; i < st.n; i++)
		heap_push(&h, st.c[i].score, i);
	double fill_below = st.n ? FILL_RATIO * st.c[0].score : 0;
	greedy(&st, &h, fill_below);
	fill_uncovered(&st);
	greedy(&st, &h, 0);
	free(h.v);
	for (int d = 0; d < ndocs; d++)
		free(st.used[d]);
	free(st.used);
	free(st.state);
	if (st.npicks > 0)
		qsort(st.picks, (size_t)st.npicks, sizeof(wk_pick), by_position);
	*picks = st.picks;
	*npicks = st.npicks;
	return WK_OK;
}

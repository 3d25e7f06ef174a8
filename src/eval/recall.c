/* recall.c: how much of the gold evidence a selection holds: page recall and QASPER
 * bigram coverage. */
#include "../sample/sample.h"
#include "eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool in_list(const int *v, int n, int x)
{
	for (int i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* Gold pages without duplicates (the readers already sort them; callers may not). */
static int gold_hits(const int *gold, int ngold, const int *pages, int npages)
{
	int hits = 0;
	for (int i = 0; i < ngold; i++)
		if (!in_list(gold, i, gold[i]) && in_list(pages, npages, gold[i]))
			hits++;
	return hits;
}

static int distinct_gold(const int *gold, int ngold)
{
	int n = 0;
	for (int i = 0; i < ngold; i++)
		if (!in_list(gold, i, gold[i]))
			n++;
	return n;
}

static int by_score(const void *a, const void *b)
{
	const wk_eval_pick *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	return x->page < y->page ? -1 : x->page > y->page;
}

double wk_eval_recall_at(const wk_eval_pick *picks, int n, const int *gold, int ngold, int k)
{
	int ng = distinct_gold(gold, ngold);
	if (ng == 0 || n <= 0 || k <= 0)
		return 0.0;
	wk_eval_pick *sorted = wk_xmalloc((size_t)n * sizeof *sorted);
	memcpy(sorted, picks, (size_t)n * sizeof *sorted);
	qsort(sorted, (size_t)n, sizeof *sorted, by_score);
	int *top = wk_xmalloc((size_t)k * sizeof *top), ntop = 0;
	for (int i = 0; i < n && ntop < k; i++)
		if (!in_list(top, ntop, sorted[i].page))
			top[ntop++] = sorted[i].page;
	double r = (double)gold_hits(gold, ngold, top, ntop) / ng;
	free(top);
	free(sorted);
	return r;
}

double wk_eval_recall_all(const wk_eval_pick *picks, int n, const int *gold, int ngold)
{
	int ng = distinct_gold(gold, ngold);
	if (ng == 0)
		return 0.0;
	int hits = 0;
	for (int i = 0; i < ngold; i++) {
		if (in_list(gold, i, gold[i]))
			continue;
		for (int j = 0; j < n; j++)
			if (picks[j].page == gold[i]) {
				hits++;
				break;
			}
	}
	return (double)hits / ng;
}

int wk_eval_distinct_pages(const wk_eval_pick *picks, int n)
{
	int count = 0;
	for (int i = 0; i < n; i++) {
		bool seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = picks[j].page == picks[i].page;
		count += !seen;
	}
	return count;
}

/* Appends a pick for each page of u that is not yet among this item's picks. */
static int add_unit_pages(const wk_unit *u, double score, int item, wk_eval_pick **picks, int n,
                          int *cap)
{
	int nb = u->nboxes > 0 ? u->nboxes : 1;
	for (int b = 0; b < nb; b++) {
		int page = u->nboxes > 0 ? u->boxes[b].page : u->page;
		bool seen = false;
		for (int j = n - 1; j >= 0 && (*picks)[j].unit == item && !seen; j--)
			seen = (*picks)[j].page == page;
		if (seen)
			continue;
		*picks = wk_grow(*picks, cap, n + 1, sizeof **picks);
		(*picks)[n++] = (wk_eval_pick){.page = page, .score = score, .unit = item};
	}
	return n;
}

int wk_eval_picks(const wk_doc *doc, const wk_selection *sel, wk_eval_pick **picks)
{
	int n = 0, cap = 0;
	*picks = NULL;
	for (int i = 0; sel && i < sel->n; i++) {
		const wk_evidence *ev = &sel->items[i];
		/* An item may join consecutive units (span > 1): it lies on all their pages. */
		int span = ev->span > 1 ? ev->span : 1;
		for (int k = ev->idx; doc && k >= 0 && k < doc->nunits && k < ev->idx + span; k++)
			n = add_unit_pages(&doc->units[k], ev->score, i, picks, n, &cap);
	}
	return n;
}

/* ---- bigram coverage ---- */

typedef struct bigrams {
	int n, cap;
	char **v;
} bigrams;

static void add_bigrams(bigrams *bg, const char *text)
{
	wk_eval_words words = {0};
	wk_eval_words_split(text, &words);
	const char *prev = NULL;
	for (int i = 0; i < words.n; i++) {
		const char *w = words.w[i];
		if (wk_is_stop_word(w, strlen(w)))
			continue;
		if (prev) {
			size_t len = strlen(prev) + strlen(w) + 2;
			char *s = wk_xmalloc(len);
			snprintf(s, len, "%s %s", prev, w);
			bg->v = wk_grow(bg->v, &bg->cap, bg->n + 1, sizeof *bg->v);
			bg->v[bg->n++] = s;
		}
		prev = w;
	}
	wk_eval_words_free(&words);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void unique(bigrams *bg)
{
	if (bg->n < 2)
		return;
	qsort(bg->v, (size_t)bg->n, sizeof *bg->v, cmp_str);
	int m = 0;
	for (int i = 0; i < bg->n; i++) {
		if (m > 0 && !strcmp(bg->v[m - 1], bg->v[i]))
			free(bg->v[i]);
		else
			bg->v[m++] = bg->v[i];
	}
	bg->n = m;
}

static void bigrams_free(bigrams *bg)
{
	wk_eval_strings_free(bg->v, bg->n);
}

double wk_eval_bigram_coverage(const char *selected, const char *const *gold, int ngold)
{
	bigrams g = {0}, s = {0};
	for (int i = 0; i < ngold; i++)
		add_bigrams(&g, gold[i]);
	add_bigrams(&s, selected);
	unique(&g);
	unique(&s);
	double r = -1.0;
	if (g.n > 0) {
		int hits = 0;
		for (int i = 0; i < g.n && s.n > 0; i++)
			hits += bsearch(&g.v[i], s.v, (size_t)s.n, sizeof *s.v, cmp_str) != NULL;
		r = (double)hits / g.n;
	}
	bigrams_free(&g);
	bigrams_free(&s);
	return r;
}

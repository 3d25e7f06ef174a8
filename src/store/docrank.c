/* docrank.c: stage 1's policy: the terms worth searching and documents from pages.
 *
 * A document's score is its best page plus a decaying share of its next ones, so that a
 * document with one strongly matching page beats one that mentions the words everywhere
 * in passing, while a second good page still counts. */
#include "docrank.h"

#include <stdlib.h>
#include <string.h>

#define PAGES_PER_DOC 3 /* pages that count towards a document's score */
/* A term on more pages than this share ranks little, costs much: on bench/library, 0.08 ->
 * 0.12 took top-1 document from 0.689 to 0.706 for about 1 ms more; every term kept, 0.715
 * for 12 ms more. */
#define COMMON_SHARE 0.12
#define MIN_TERMS 2 /* the rarest terms kept even when all are common */

int64_t wk_rank_common(double pages)
{
	return (int64_t)(COMMON_SHARE * pages);
}

int wk_rank_too_few(const double *df, int n, int64_t common)
{
	int rare = 0;
	for (int i = 0; i < n; i++)
		rare += df[i] > 0 && df[i] <= common;
	return rare < MIN_TERMS;
}

static int by_df(const void *a, const void *b)
{
	double x = ((const wk_term_df *)a)->df, y = ((const wk_term_df *)b)->df;
	return (x > y) - (x < y);
}

/* BM25 gives a term on most pages almost no weight, yet scoring every page it is on is
 * most of a search's time. The rarest MIN_TERMS stay. */
int wk_rank_keep(wk_term_df *t, int n, int64_t common)
{
	qsort(t, (size_t)n, sizeof *t, by_df);
	int kept = 0;
	for (int i = 0; i < n; i++)
		if (t[i].df > 0 && (t[i].df <= common || kept < MIN_TERMS))
			t[kept++] = t[i];
	return kept;
}

void wk_rank_add_page(wk_doc_acc *acc, int *nacc, int64_t key, double score)
{
	static const double weight[PAGES_PER_DOC] = {1.0, 0.35, 0.15};
	for (int i = 0; i < *nacc; i++) {
		if (acc[i].key != key)
			continue;
		if (acc[i].pages < PAGES_PER_DOC)
			acc[i].score += weight[acc[i].pages++] * score;
		return;
	}
	if (*nacc >= WK_RANK_PAGES)
		return;
	wk_doc_acc *a = &acc[(*nacc)++];
	memset(a, 0, sizeof *a);
	a->key = key;
	a->score = score;
	a->pages = 1;
}

static int by_score(const void *a, const void *b)
{
	double x = ((const wk_doc_acc *)a)->score, y = ((const wk_doc_acc *)b)->score;
	return (x < y) - (x > y);
}

void wk_rank_sort(wk_doc_acc *acc, int n)
{
	qsort(acc, (size_t)n, sizeof *acc, by_score);
}

int wk_rank_hits(const wk_doc_acc *acc, int nacc, wk_doc_hit *hits, int cap)
{
	int n = 0;
	for (int i = 0; i < nacc && n < cap; i++) {
		if (!acc[i].id[0])
			continue; /* removed since it was searched */
		wk_doc_hit *h = &hits[n++];
		h->key = acc[i].key;
		memcpy(h->id, acc[i].id, sizeof h->id);
		h->score = acc[i].score;
		h->nunits = acc[i].nunits;
	}
	return n;
}

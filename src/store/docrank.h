/* docrank.h: stage 1's policy, shared by the backends: which of a question's terms are
 * searched, and how the best pages fold into documents. Internal to src/store/.
 *
 * A backend counts the pages each term is on and scores pages with BM25 (bm25.c, or the
 * same formula in PostgreSQL); what it keeps and how pages make a document's score is
 * decided here, so that the same library ranks the same on every backend. */
#ifndef WK_STORE_DOCRANK_H
#define WK_STORE_DOCRANK_H

#include "store.h"

#define WK_RANK_PAGES 400 /* pages read from the search before folding them into documents */

typedef struct wk_term_df {
	const char *term;
	double df; /* pages holding it; more than the common bound means only "common" */
} wk_term_df;

/* The page count above which a term is common, in a library of `pages` search pages. */
int64_t wk_rank_common(double pages);
/* 1 when counting up to the common bound left fewer rare terms than are kept anyway:
 * then the terms are counted to the end, to keep the rarest of the common ones. */
int wk_rank_too_few(const double *df, int n, int64_t common);
/* Sorts t by count and keeps the terms worth searching, rarest first; returns how many. */
int wk_rank_keep(wk_term_df *t, int n, int64_t common);

typedef struct wk_doc_acc {
	int64_t key;
	char id[17];
	double score;
	int pages;
	int nunits;
} wk_doc_acc;

/* Folds a page (best pages first) into its document's score. acc holds WK_RANK_PAGES. */
void wk_rank_add_page(wk_doc_acc *acc, int *nacc, int64_t doc, double score);
/* Best document first. */
void wk_rank_sort(wk_doc_acc *acc, int n);
/* Copies the described documents (id set) to hits, at most cap; returns how many. */
int wk_rank_hits(const wk_doc_acc *acc, int nacc, wk_doc_hit *hits, int cap);

#endif /* WK_STORE_DOCRANK_H */

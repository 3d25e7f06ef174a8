/* bm25.c: BM25 over a query's phrases, as fts5_aux.c computes it (k1 1.2, b 0.75, the one
 * column at weight 1), so that a page scores the same as with bm25(). */
#include "bm25.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define K1 WK_BM25_K1
#define B WK_BM25_B
#define POINTER_TYPE "wk_bm25"

void wk_bm25_init(wk_bm25 *b, int nphrase, int cap)
{
	memset(b, 0, sizeof *b);
	b->nphrase = nphrase;
	b->df = wk_xcalloc((size_t)nphrase * 3 + 1, sizeof *b->df);
	b->idf = b->df + nphrase;
	b->tf = b->idf + nphrase;
	b->cap = cap;
	b->best = wk_xcalloc((size_t)cap + 1, sizeof *b->best);
}

void wk_bm25_clear(wk_bm25 *b)
{
	if (!b)
		return;
	free(b->df);
	free(b->best);
	memset(b, 0, sizeof *b);
}

/* The table's row count and mean length, read once per query (two cached records). */
static int set_stats(const Fts5ExtensionApi *api, Fts5Context *fts, wk_bm25 *b)
{
	sqlite3_int64 rows = 0, tokens = 0;
	int rc = api->xRowCount(fts, &rows);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &tokens);
	if (rc != SQLITE_OK)
		return rc;
	b->avgdl = rows > 0 && tokens > 0 ? (double)tokens / (double)rows : 1;
	for (int i = 0; i < b->nphrase; i++)
		b->idf[i] = wk_bm25_idf((double)rows, b->df[i]);
	b->ready = 1;
	return SQLITE_OK;
}

double wk_bm25_idf(double rows, double df)
{
	double idf = log((rows - df + 0.5) / (df + 0.5));
	return idf > 0 ? idf : 1e-6;
}

double wk_bm25_term(double idf, double tf, double len, double avgdl)
{
	return tf > 0 ? idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len / avgdl)) : 0;
}

static double term_score(const wk_bm25 *b, int i, double len)
{
	return wk_bm25_term(b->idf[i], b->tf[i], len, b->avgdl);
}

/* wk_bm25(page_fts, state): the page's score, higher is better, or NULL when even its
 * shortest possible length could not bring it among the best pages kept so far. */
static void page_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                      int nval, sqlite3_value **val)
{
	wk_bm25 *b = nval == 1 ? sqlite3_value_pointer(val[0], POINTER_TYPE) : NULL;
	if (!b || api->xPhraseCount(fts) != b->nphrase) {
		sqlite3_result_error(ctx, "wk_bm25: expects the query's scoring state", -1);
		return;
	}
	int rc = b->ready ? SQLITE_OK : set_stats(api, fts, b);
	double bound = 0, score = 0;
	for (int i = 0; rc == SQLITE_OK && i < b->nphrase; i++) {
		Fts5PhraseIter it;
		int col = -1, off = 0, n = 0;
		rc = api->xPhraseFirst(fts, i, &it, &col, &off);
		for (; rc == SQLITE_OK && col >= 0; api->xPhraseNext(fts, &it, &col, &off))
			n++;
		b->tf[i] = n;
		bound += term_score(b, i, 0);
	}
	int len = 0;
	if (rc == SQLITE_OK && b->nbest == b->cap && bound < b->best[0].score) {
		sqlite3_result_null(ctx);
		return;
	}
	if (rc == SQLITE_OK)
		rc = api->xColumnSize(fts, -1, &len);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	for (int i = 0; i < b->nphrase; i++)
		score += term_score(b, i, len);
	sqlite3_result_double(ctx, score);
}

int wk_fts5_function(sqlite3 *db, const char *name, void *user, fts5_extension_function fn,
                     void (*destroy)(void *), wk_error *err)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = wk_db_prepare(db, "SELECT fts5(?1)", err);
	if (!st) {
		if (destroy)
			destroy(user);
		return WK_EDB;
	}
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api || api->iVersion < 2 ||
	    api->xCreateFunction(api, name, user, fn, destroy) != SQLITE_OK) {
		if (destroy)
			destroy(user);
		return wk_set_error(err, WK_EDB, "%s: cannot register %s with FTS5",
		                    sqlite3_db_filename(db, "main"), name);
	}
	return WK_OK;
}

sqlite3_stmt *wk_fts5_prepare(sqlite3 *db, const char *sql,
                              int (*add)(sqlite3 *db, wk_error *err), wk_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK)
		return st;
	sqlite3_finalize(st);
	/* Most likely not registered on this connection yet; any other error recurs below. */
	if (add(db, err))
		return NULL;
	return wk_db_prepare(db, sql, err);
}

static int add_scorer(sqlite3 *db, wk_error *err)
{
	return wk_fts5_function(db, "wk_bm25", NULL, page_bm25, NULL, err);
}

sqlite3_stmt *wk_bm25_prepare(sqlite3 *db, const char *sql, wk_error *err)
{
	return wk_fts5_prepare(db, sql, add_scorer, err);
}

int wk_bm25_bind(sqlite3_stmt *st, int i, wk_bm25 *b)
{
	return sqlite3_bind_pointer(st, i, b, POINTER_TYPE, NULL);
}

static void swap(wk_page_score *a, wk_page_score *b)
{
	wk_page_score t = *a;
	*a = *b;
	*b = t;
}

void wk_bm25_offer(wk_bm25 *b, int64_t page, double score)
{
	wk_page_score *h = b->best;
	if (b->nbest < b->cap) {
		int i = b->nbest++;
		h[i] = (wk_page_score){page, score};
		for (; i > 0 && h[(i - 1) / 2].score > h[i].score; i = (i - 1) / 2)
			swap(&h[i], &h[(i - 1) / 2]);
		return;
	}
	if (b->cap <= 0 || score <= h[0].score)
		return;
	h[0] = (wk_page_score){page, score};
	for (int i = 0;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < b->nbest && h[l].score < h[m].score)
			m = l;
		if (r < b->nbest && h[r].score < h[m].score)
			m = r;
		if (m == i)
			break;
		swap(&h[i], &h[m]);
		i = m;
	}
}

static int by_score_desc(const void *a, const void *b)
{
	double x = ((const wk_page_score *)a)->score, y = ((const wk_page_score *)b)->score;
	return (x < y) - (x > y);
}

void wk_bm25_sort(wk_bm25 *b)
{
	qsort(b->best, (size_t)b->nbest, sizeof *b->best, by_score_desc);
}

/* bm25.h: stage 1's page scorer, an FTS5 auxiliary function. Internal to src/store/.
 *
 * It gives the scores FTS5's bm25() gives, at a fraction of the cost: the terms' page
 * counts come from the caller, who counted them already (bm25() counts them again on
 * every query), and a page whose best possible score cannot enter the best `cap` pages
 * found so far is passed over before its length is read (a table lookup per page). */
#ifndef WK_STORE_BM25_H
#define WK_STORE_BM25_H

#include "db.h"

/* BM25's parameters (as FTS5's bm25()). */
#define WK_BM25_K1 1.2
#define WK_BM25_B 0.75

/* A term's weight in a search of `rows` pages, `df` of which hold it. */
double wk_bm25_idf(double rows, double df);
/* A term's share of a page's score (`tf` times on a page of `len` tokens, the mean length
 * `avgdl`): falls as the page grows longer than the mean. A page's score is the sum of its
 * terms' shares in the query's order (the PostgreSQL backend sums them the same way). */
double wk_bm25_term(double idf, double tf, double len, double avgdl);

typedef struct wk_page_score {
	int64_t page;  /* pages.key, the search row's rowid */
	double score;  /* higher is better */
} wk_page_score;

/* One query's state, bound to the statement as a pointer. */
typedef struct wk_bm25 {
	double *df;     /* pages holding each phrase of the query, in the query's order */
	double *idf;    /* from df and the table's statistics, on the first row */
	double *tf;     /* the current page's instances of each phrase */
	int nphrase;
	int ready;      /* idf and avgdl are set */
	double avgdl;   /* mean page length in tokens */
	wk_page_score *best; /* min-heap of the best pages so far */
	int nbest, cap;
} wk_bm25;

/* A state for a query of `nphrase` phrases keeping the best `cap` pages; the caller
 * fills b->df. */
void wk_bm25_init(wk_bm25 *b, int nphrase, int cap);
/* Frees what init allocated. NULL-safe. */
void wk_bm25_clear(wk_bm25 *b);

/* Registers an FTS5 auxiliary function on the connection; destroy(user) runs when the
 * connection closes, or at once when registering fails. */
int wk_fts5_function(sqlite3 *db, const char *name, void *user, fts5_extension_function fn,
                     void (*destroy)(void *), wk_error *err);

/* Prepares `sql`; when that fails, runs add (which registers the functions sql calls)
 * and tries once more. */
sqlite3_stmt *wk_fts5_prepare(sqlite3 *db, const char *sql,
                              int (*add)(sqlite3 *db, wk_error *err), wk_error *err);

/* Prepares `sql`, which may call wk_bm25(page_fts, ?) with a wk_bm25 bound by
 * wk_bm25_bind; registers the function on the connection the first time. */
sqlite3_stmt *wk_bm25_prepare(sqlite3 *db, const char *sql, wk_error *err);

/* Binds b (which must outlive the statement's steps) to parameter i. */
int wk_bm25_bind(sqlite3_stmt *st, int i, wk_bm25 *b);

/* Keeps the page when it is among the best `cap` so far. */
void wk_bm25_offer(wk_bm25 *b, int64_t page, double score);

/* Orders b->best best first (the heap is gone after). */
void wk_bm25_sort(wk_bm25 *b);

#endif /* WK_STORE_BM25_H */

/* pg_rank.c: stage 1 of a library question on PostgreSQL.
 *
 * The same ranking as SQLite's (rank.c): the terms stemmed as FTS5 stems them
 * (pg_terms.c); their postings read in one query from the primary key (a common term's
 * only up to the common bound), counted and kept by docrank.c's policy; pages scored here
 * by bm25.c's formula, term by term in the same order, so that a page's score is the same
 * double; the best WK_RANK_PAGES folded into documents by docrank.c. All in one read-only
 * snapshot: every query sees the same library. */
#include "bm25.h"
#include "docrank.h"
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* (page, term) pairs a question scores at most: every page of a 10-million-page library
 * for a few terms (16 bytes each in the sums). */
#define MAX_SCORED ((int64_t)1 << 26)

char *wk_pg_text_array(const wk_term_df *t, int n)
{
	wk_buf b;
	wk_buf_init(&b, 1 << 20);
	wk_buf_putc(&b, '{');
	for (int i = 0; i < n; i++) {
		wk_buf_puts(&b, i ? ",\"" : "\"");
		for (const char *p = t[i].term; *p; p++) {
			if (*p == '"' || *p == '\\')
				wk_buf_putc(&b, '\\');
			wk_buf_putc(&b, *p);
		}
		wk_buf_putc(&b, '"');
	}
	wk_buf_putc(&b, '}');
	return wk_buf_steal(&b);
}

/* Each term's postings rows, read from the primary key alone: at most `limit` rows per
 * term (< 0: all; a row holds at least one page, so limit = common + 1 tells a common term
 * from a rare one). Columns, binary: the term's place in t, doc, n, pl. */
static PGresult *fetch_postings(wk_pg *s, const wk_term_df *t, int n, int64_t limit,
                                wk_error *err)
{
	char lim[24];
	snprintf(lim, sizeof lim, "%lld", (long long)limit);
	char *terms = wk_pg_text_array(t, n);
	PGresult *res = wk_pg_query(s, WK_PG_POSTINGS_SQL, 2,
	                            (const char *const[]){terms, limit < 0 ? NULL : lim}, 1, err);
	free(terms);
	return res;
}

static uint32_t be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static int64_t be64(const char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* The term (its place in t) of row r; -1 when the row is not whole. */
static int row_term(const PGresult *res, int r, int n)
{
	int term = (int)be32(PQgetvalue(res, r, 0));
	int64_t entries = (int32_t)be32(PQgetvalue(res, r, 2));
	if (term < 0 || term >= n || entries < 1 ||
	    PQgetlength(res, r, 3) != entries * WK_PG_ENTRY_INTS * 4)
		return -1;
	return term;
}

/* df of each term: its rows' page counts summed; *entries: all of them. */
static int count_terms(const PGresult *res, wk_term_df *t, int n, int64_t *entries,
                       wk_error *err)
{
	for (int i = 0; i < n; i++)
		t[i].df = 0;
	*entries = 0;
	for (int r = 0; r < PQntuples(res); r++) {
		int term = row_term(res, r, n);
		if (term < 0)
			return wk_set_error(err, WK_EDB, "the library's search terms are damaged");
		int pages = (int32_t)be32(PQgetvalue(res, r, 2));
		t[term].df += pages;
		*entries += pages;
	}
	return WK_OK;
}

/* The library's search pages and their tokens: BM25's row count and mean length. */
static int library_size(wk_pg *s, double *rows, double *tokens, wk_error *err)
{
	PGresult *res = wk_pg_query(s, "SELECT coalesce(sum(spages), 0), coalesce(sum(stokens), 0) "
	                               "FROM docs",
	                            0, NULL, 0, err);
	if (!res)
		return WK_EDB;
	*rows = strtod(PQgetvalue(res, 0, 0), NULL);
	*tokens = strtod(PQgetvalue(res, 0, 1), NULL);
	PQclear(res);
	return WK_OK;
}

/* The terms worth searching, rarest first (t reordered), and their postings in *res;
 * -1 on error. */
static int rare_terms(wk_pg *s, wk_term_df *t, int n, double rows, PGresult **res,
                      int64_t *entries, wk_error *err)
{
	int64_t common = wk_rank_common(rows);
	*res = fetch_postings(s, t, n, common + 1, err);
	if (!*res || count_terms(*res, t, n, entries, err))
		return -1;
	double *df = wk_xcalloc((size_t)n + 1, sizeof *df);
	for (int i = 0; i < n; i++)
		df[i] = t[i].df;
	int all = wk_rank_too_few(df, n, common);
	free(df);
	if (all) {
		PQclear(*res);
		*res = fetch_postings(s, t, n, -1, err);
		if (!*res || count_terms(*res, t, n, entries, err))
			return -1;
	}
	return wk_rank_keep(t, n, common);
}

/* A page's score being summed, by (doc, page): open addressing. */
typedef struct page_sum {
	int64_t doc;
	int32_t page;
	int32_t used;
	double score;
} page_sum;

typedef struct page_sums {
	page_sum *slot;
	uint32_t mask;
} page_sums;

static page_sum *sum_of(page_sums *p, int64_t doc, int32_t page)
{
	uint64_t h = ((uint64_t)doc * 0x9e3779b97f4a7c15u) ^ (uint32_t)page * 0x85ebca6bu;
	for (uint32_t i = (uint32_t)(h >> 20) & p->mask;; i = (i + 1) & p->mask) {
		page_sum *e = &p->slot[i];
		if (!e->used) {
			*e = (page_sum){doc, page, 1, 0};
			return e;
		}
		if (e->doc == doc && e->page == page)
			return e;
	}
}

/* Adds term k's share to the pages of its rows (those of original place `place`). */
static void add_term(page_sums *p, const PGresult *res, int place, double idf, double avgdl)
{
	for (int r = 0; r < PQntuples(res); r++) {
		if ((int)be32(PQgetvalue(res, r, 0)) != place)
			continue;
		int64_t doc = be64(PQgetvalue(res, r, 1));
		int entries = (int32_t)be32(PQgetvalue(res, r, 2));
		const char *e = PQgetvalue(res, r, 3);
		for (int j = 0; j < entries; j++, e += WK_PG_ENTRY_INTS * 4) {
			page_sum *ps = sum_of(p, doc, (int32_t)be32(e));
			ps->score += wk_bm25_term(idf, (int32_t)be32(e + 4), (int32_t)be32(e + 8), avgdl);
		}
	}
}

/* Pages scored as bm25.c scores them: each page's terms summed in the kept order (so a
 * page's score is the same double as on SQLite); the best WK_RANK_PAGES folded into
 * documents. `place[k]`: kept term k's place in the rows. */
static int score_pages(const PGresult *res, const wk_term_df *t, const int *place, int n,
                       int64_t entries, double rows, double tokens, wk_doc_acc *acc, int *nacc,
                       wk_error *err)
{
	if (entries > MAX_SCORED)
		return wk_set_error(err, WK_ELIMIT, "the question's words are on too many pages");
	uint32_t cap = 64;
	while (cap < 2 * (uint64_t)entries)
		cap *= 2;
	page_sums p = {wk_xcalloc(cap, sizeof *p.slot), cap - 1};
	double avgdl = rows > 0 && tokens > 0 ? tokens / rows : 1;
	for (int k = 0; k < n; k++)
		add_term(&p, res, place[k], wk_bm25_idf(rows, t[k].df), avgdl);
	wk_bm25 best;
	wk_bm25_init(&best, 0, WK_RANK_PAGES);
	for (uint32_t i = 0; i < cap; i++)
		if (p.slot[i].used)
			wk_bm25_offer(&best, i, p.slot[i].score);
	wk_bm25_sort(&best);
	for (int i = 0; i < best.nbest; i++)
		wk_rank_add_page(acc, nacc, p.slot[best.best[i].page].doc, best.best[i].score);
	wk_bm25_clear(&best);
	free(p.slot);
	return WK_OK;
}

/* The id and size of the documents that are returned (one query for all). */
static int describe_docs(wk_pg *s, wk_doc_acc *acc, int n, wk_error *err)
{
	wk_buf keys;
	wk_buf_init(&keys, 0);
	wk_buf_putc(&keys, '{');
	for (int i = 0; i < n; i++)
		wk_buf_printf(&keys, "%s%lld", i ? "," : "", (long long)acc[i].key);
	wk_buf_putc(&keys, '}');
	char *arr = wk_buf_steal(&keys);
	PGresult *res = wk_pg_query(s, "SELECT key, id, nunits FROM docs WHERE key = ANY($1::bigint[])",
	                            1, (const char *const[]){arr}, 0, err);
	free(arr);
	if (!res)
		return WK_EDB;
	for (int r = 0; r < PQntuples(res); r++) {
		int64_t key = strtoll(PQgetvalue(res, r, 0), NULL, 10);
		for (int i = 0; i < n; i++)
			if (acc[i].key == key) {
				snprintf(acc[i].id, sizeof acc[i].id, "%s", PQgetvalue(res, r, 1));
				acc[i].nunits = atoi(PQgetvalue(res, r, 2));
			}
	}
	PQclear(res);
	return WK_OK;
}

/* The question's terms stemmed; those that are not one token are left out. */
static int stem_terms(wk_pg *s, const char *const *terms, int nterms, wk_term_df *t)
{
	int n = 0;
	for (int i = 0; i < nterms; i++) {
		char *stem = wk_pg_stem(s, terms[i]);
		if (stem)
			t[n++] = (wk_term_df){stem, 0};
	}
	return n;
}

static int rank_in_snapshot(wk_pg *s, wk_term_df *t, int n, wk_doc_acc *acc, int *nacc,
                            int cap, wk_error *err)
{
	double rows = 0, tokens = 0;
	PGresult *res = NULL;
	int64_t entries = 0;
	const char **term = wk_xcalloc((size_t)n + 1, sizeof *term);
	for (int i = 0; i < n; i++)
		term[i] = t[i].term; /* the rows name terms by their place before wk_rank_keep */
	int rc = library_size(s, &rows, &tokens, err);
	int kept = rc ? -1 : rare_terms(s, t, n, rows, &res, &entries, err);
	int *place = wk_xcalloc((size_t)n + 1, sizeof *place);
	for (int k = 0; k < kept; k++)
		for (int i = 0; i < n; i++)
			if (term[i] == t[k].term)
				place[k] = i;
	rc = kept < 0 ? WK_EDB : WK_OK;
	if (kept > 0)
		rc = score_pages(res, t, place, kept, entries, rows, tokens, acc, nacc, err);
	PQclear(res);
	free(place);
	free(term);
	if (!rc)
		wk_rank_sort(acc, *nacc);
	if (!rc)
		rc = describe_docs(s, acc, WK_MIN(*nacc, cap), err);
	return rc;
}

int wk_pg_rank(wk_store *store, const char *const *terms, int nterms, wk_doc_hit *hits, int cap,
               int *n, wk_error *err)
{
	wk_pg *s = (wk_pg *)store;
	*n = 0;
	if (nterms <= 0 || cap <= 0)
		return WK_OK;
	wk_term_df *t = wk_xcalloc((size_t)nterms, sizeof *t);
	int nt = stem_terms(s, terms, nterms, t);
	const char **owned = wk_xcalloc((size_t)nt + 1, sizeof *owned);
	for (int i = 0; i < nt; i++)
		owned[i] = t[i].term; /* rank_in_snapshot reorders t */
	wk_doc_acc *acc = wk_xcalloc(WK_RANK_PAGES, sizeof *acc);
	int nacc = 0;
	int rc = nt ? wk_pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) : WK_OK;
	if (nt && !rc) {
		rc = rank_in_snapshot(s, t, nt, acc, &nacc, cap, err);
		wk_pg_end(s, WK_EDB, NULL); /* a read: rolled back, nothing to lose */
	}
	if (!rc)
		*n = wk_rank_hits(acc, nacc, hits, cap);
	for (int i = 0; i < nt; i++)
		free((char *)owned[i]);
	free(owned);
	free(acc);
	free(t);
	return rc;
}

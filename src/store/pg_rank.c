/* pg_rank.c: stage 1 of a library question inside PostgreSQL.
 *
 * The same ranking as SQLite's (rank.c): the terms stemmed as FTS5 stems them
 * (pg_terms.c), counted over the postings up to the common bound, kept by docrank.c's
 * policy; pages scored by bm25.c's formula in SQL, term by term in the same order, so
 * that a page's score is the same double; the best WK_RANK_PAGES folded into documents
 * by docrank.c. All in one read-only snapshot: every query sees the same library. */
#include "bm25.h"
#include "docrank.h"
#include "pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A text[] literal of the terms: each quoted, quotes and backslashes escaped. */
static char *text_array(const wk_term_df *t, int n)
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

/* df of each term, counted up to `limit` (< 0: all). */
static int count_terms(wk_pg *s, wk_term_df *t, int n, int64_t limit, wk_error *err)
{
	char lim[24];
	snprintf(lim, sizeof lim, "%lld", (long long)limit);
	char *terms = text_array(t, n);
	PGresult *res = wk_pg_query(
		s,
		"SELECT (SELECT count(*) FROM (SELECT 1 FROM postings WHERE term = u.t LIMIT $2) c) "
		"FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i) ORDER BY u.i",
		2, (const char *const[]){terms, limit < 0 ? NULL : lim}, 0, err);
	free(terms);
	if (!res)
		return WK_EDB;
	for (int i = 0; i < n && i < PQntuples(res); i++)
		t[i].df = strtod(PQgetvalue(res, i, 0), NULL);
	PQclear(res);
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

/* The terms worth searching, rarest first; -1 on error. */
static int rare_terms(wk_pg *s, wk_term_df *t, int n, double rows, wk_error *err)
{
	int64_t common = wk_rank_common(rows);
	if (count_terms(s, t, n, common + 1, err))
		return -1;
	double *df = wk_xcalloc((size_t)n + 1, sizeof *df);
	for (int i = 0; i < n; i++)
		df[i] = t[i].df;
	int all = wk_rank_too_few(df, n, common);
	free(df);
	if (all && count_terms(s, t, n, -1, err))
		return -1;
	return wk_rank_keep(t, n, common);
}

/* The best pages, scored as bm25.c scores them, folded into documents. */
static int score_pages(wk_pg *s, const wk_term_df *t, int n, double rows, double tokens,
                       wk_doc_acc *acc, int *nacc, wk_error *err)
{
	wk_buf idf;
	wk_buf_init(&idf, 0);
	wk_buf_putc(&idf, '{');
	for (int i = 0; i < n; i++)
		wk_buf_printf(&idf, "%s%.17g", i ? "," : "", wk_bm25_idf(rows, t[i].df));
	wk_buf_putc(&idf, '}');
	char avgdl[40], k1[40], b[40], cap[16];
	snprintf(avgdl, sizeof avgdl, "%.17g", rows > 0 && tokens > 0 ? tokens / rows : 1);
	snprintf(k1, sizeof k1, "%.17g", WK_BM25_K1);
	snprintf(b, sizeof b, "%.17g", WK_BM25_B);
	snprintf(cap, sizeof cap, "%d", WK_RANK_PAGES);
	char *terms = text_array(t, n);
	char *idfs = wk_buf_steal(&idf);
	/* The score's operations in bm25.c's order (term_score), summed in the terms' order. */
	PGresult *res = wk_pg_query(
		s,
		"SELECT p.doc, sum(q.idf * p.tf * ($4::float8 + 1) / (p.tf + $4::float8 * "
		"(1 - $5::float8 + $5::float8 * p.len / $3::float8)) ORDER BY q.i) AS score "
		"FROM unnest($1::text[], $2::float8[]) WITH ORDINALITY AS q(term, idf, i) "
		"JOIN postings p ON p.term = q.term GROUP BY p.doc, p.page "
		"ORDER BY score DESC, p.doc, p.page LIMIT $6",
		6, (const char *const[]){terms, idfs, avgdl, k1, b, cap}, 0, err);
	free(terms);
	free(idfs);
	if (!res)
		return WK_EDB;
	for (int i = 0; i < PQntuples(res); i++)
		wk_rank_add_page(acc, nacc, strtoll(PQgetvalue(res, i, 0), NULL, 10),
		                 strtod(PQgetvalue(res, i, 1), NULL));
	PQclear(res);
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
	int rc = library_size(s, &rows, &tokens, err);
	int kept = rc ? -1 : rare_terms(s, t, n, rows, err);
	if (kept < 0)
		return WK_EDB;
	if (kept > 0)
		rc = score_pages(s, t, kept, rows, tokens, acc, nacc, err);
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
		owned[i] = t[i].term; /* wk_rank_keep reorders t */
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

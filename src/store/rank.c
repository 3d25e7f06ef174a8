/* rank.c: stage 1 of a library question on SQLite: documents ranked by their best
 * matching pages. Pages are scored with BM25 (bm25.c); which terms are searched and how
 * pages make documents is docrank.c's policy, shared with the PostgreSQL backend.
 *
 * The time goes into walking the pages each term is on, so a term is walked only as far
 * as needed: to its end when it is rare enough to search (its count is BM25's input), up
 * to the common bound otherwise (it is dropped), and not at all when the connection
 * counted it for an earlier question (df.c); the search itself counts no term again and
 * reads the length only of the pages that can still make the best ones (bm25.c). */
#include "bm25.h"
#include "df.h"
#include "docrank.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double count_of(sqlite3_stmt *st)
{
	double n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

/* Counts every term up to the common bound; when too few are under it, the common ones
 * are counted to the end, to keep the rarest of them. */
static int count_terms(wk_sqlite *s, wk_term_df *t, int n, int64_t common, wk_error *err)
{
	const char **terms = wk_xcalloc((size_t)n, sizeof *terms);
	double *df = wk_xcalloc((size_t)n, sizeof *df);
	for (int i = 0; i < n; i++)
		terms[i] = t[i].term;
	int rc = wk_df_count(s->db, terms, n, common + 1, df, err);
	if (!rc && wk_rank_too_few(df, n, common))
		rc = wk_df_count(s->db, terms, n, -1, df, err);
	for (int i = 0; i < n; i++)
		t[i].df = df[i];
	free(terms);
	free(df);
	return rc;
}

/* The terms worth searching, rarest first (docrank.c). Returns how many of t are kept,
 * -1 on error. */
static int rare_terms(wk_sqlite *s, const char *const *terms, int n, wk_term_df *t,
                      wk_error *err)
{
	/* pages has a row per search row: the count of an index, unlike summing docs. */
	sqlite3_stmt *all = wk_db_prepare(s->db, "SELECT count(*) FROM pages", err);
	if (!all)
		return -1;
	int64_t common = wk_rank_common(count_of(all));
	sqlite3_finalize(all);
	for (int i = 0; i < n; i++)
		t[i] = (wk_term_df){terms[i], 0};
	if (count_terms(s, t, n, common, err))
		return -1;
	return wk_rank_keep(t, n, common);
}

/* Scores the pages holding any of the terms; b keeps the best RANK_PAGES. */
static int score_pages(wk_sqlite *s, const wk_term_df *t, int n, wk_bm25 *b, wk_error *err)
{
	sqlite3_stmt *st = wk_bm25_prepare(s->db, "SELECT rowid, wk_bm25(page_fts, ?2) FROM "
	                                          "page_fts WHERE page_fts MATCH ?1", err);
	if (!st)
		return WK_EDB;
	const char **terms = wk_xcalloc((size_t)n, sizeof *terms);
	for (int i = 0; i < n; i++) {
		terms[i] = t[i].term;
		b->df[i] = t[i].df;
	}
	sqlite3_bind_text(st, 1, wk_fts5_or(terms, n), -1, free);
	free(terms);
	wk_bm25_bind(st, 2, b);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (sqlite3_column_type(st, 1) != SQLITE_NULL) /* NULL: cannot make the best */
			wk_bm25_offer(b, sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return wk_db_error(s->db, err, "searching the library");
	wk_bm25_sort(b);
	return WK_OK;
}

/* The document of each of the best pages, in their order (one query for all). */
static int page_docs(wk_sqlite *s, const wk_bm25 *b, int64_t *doc, wk_error *err)
{
	sqlite3_stmt *st = wk_db_prepare(s->db, "SELECT j.key, p.doc FROM json_each(?1) AS j "
	                                        "JOIN pages p ON p.key = j.value", err);
	if (!st)
		return WK_EDB;
	wk_buf keys;
	wk_buf_init(&keys, (size_t)b->nbest * 24 + 8); /* 20 digits, a comma */
	wk_buf_putc(&keys, '[');
	for (int i = 0; i < b->nbest; i++) {
		wk_buf_printf(&keys, "%s%lld", i ? "," : "", (long long)b->best[i].page);
		doc[i] = -1;
	}
	wk_buf_putc(&keys, ']');
	sqlite3_bind_text(st, 1, wk_buf_steal(&keys), -1, free);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int i = sqlite3_column_int(st, 0);
		if (i >= 0 && i < b->nbest)
			doc[i] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WK_OK : wk_db_error(s->db, err, "searching the library");
}

/* Folds the best pages, best first, into their documents. */
static int fold_pages(wk_sqlite *s, const wk_bm25 *b, wk_doc_acc *acc, int *nacc, wk_error *err)
{
	int64_t *doc = wk_xcalloc((size_t)b->nbest + 1, sizeof *doc);
	int rc = page_docs(s, b, doc, err);
	for (int i = 0; !rc && i < b->nbest; i++)
		if (doc[i] >= 0) /* a search row without its page row is passed over */
			wk_rank_add_page(acc, nacc, doc[i], b->best[i].score);
	free(doc);
	return rc;
}

/* The id and size of the documents that are returned. */
static int describe_docs(wk_sqlite *s, wk_doc_acc *acc, int n, wk_error *err)
{
	sqlite3_stmt *st = wk_db_prepare(s->db, "SELECT id, nunits FROM docs WHERE key = ?1", err);
	if (!st)
		return WK_EDB;
	int rc = SQLITE_DONE;
	for (int i = 0; i < n && rc == SQLITE_DONE; i++) {
		sqlite3_bind_int64(st, 1, acc[i].key);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			snprintf(acc[i].id, sizeof acc[i].id, "%s", (const char *)sqlite3_column_text(st, 0));
			acc[i].nunits = sqlite3_column_int(st, 1);
			rc = SQLITE_DONE;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? WK_OK : wk_db_error(s->db, err, "searching the library");
}

/* The best pages of the question's rare terms, folded into documents, best first. */
static int rank_docs(wk_sqlite *s, const char *const *terms, int nterms, wk_doc_acc *acc,
                     int *nacc, wk_error *err)
{
	wk_term_df *t = wk_xcalloc((size_t)nterms, sizeof *t);
	int n = rare_terms(s, terms, nterms, t, err);
	int rc = n < 0 ? WK_EDB : WK_OK;
	if (n > 0) {
		wk_bm25 b;
		wk_bm25_init(&b, n, WK_RANK_PAGES);
		rc = score_pages(s, t, n, &b, err);
		if (!rc)
			rc = fold_pages(s, &b, acc, nacc, err);
		wk_bm25_clear(&b);
	}
	free(t);
	if (!rc)
		wk_rank_sort(acc, *nacc);
	return rc;
}

int wk_sqlite_rank(wk_store *store, const char *const *terms, int nterms, wk_doc_hit *hits,
                   int cap, int *n, wk_error *err)
{
	wk_sqlite *s = (wk_sqlite *)store;
	*n = 0;
	if (nterms <= 0 || cap <= 0)
		return WK_OK;
	/* One read transaction: every query sees the same library (a document removed
	 * meanwhile would be counted yet missing), and takes the read lock once. */
	int own = sqlite3_get_autocommit(s->db);
	if (own && wk_db_exec(s->db, "BEGIN", err))
		return WK_EDB;
	wk_doc_acc *acc = wk_xcalloc(WK_RANK_PAGES, sizeof *acc);
	int nacc = 0;
	int rc = rank_docs(s, terms, nterms, acc, &nacc, err);
	if (!rc)
		rc = describe_docs(s, acc, WK_MIN(nacc, cap), err);
	if (!rc)
		*n = wk_rank_hits(acc, nacc, hits, cap);
	free(acc);
	if (own)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL); /* a read: nothing to lose */
	return rc;
}

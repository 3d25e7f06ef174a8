/* rank.c: stage 1 of a library question: documents ranked by their best matching pages.
 *
 * FTS5 scores pages with BM25; a document's score is its best page plus a decaying share
 * of its next ones, so that a document with one strongly matching page beats one that
 * mentions the words everywhere in passing, while a second good page still counts. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANK_PAGES 400  /* pages read from the search before folding them into documents */
#define PAGES_PER_DOC 3 /* pages that count towards a document's score */
#define COMMON_SHARE 0.08 /* a term on more pages than this share ranks little, costs much */
#define MIN_TERMS 2       /* the rarest terms kept even when all are common */

/* The FTS5 query: every term quoted (so that none is read as an operator), OR'ed. */
static char *match_expr(const char *const *terms, int n)
{
	wk_buf b;
	wk_buf_init(&b, 64 * 1024);
	for (int i = 0; i < n; i++) {
		if (i)
			wk_buf_puts(&b, " OR ");
		wk_buf_putc(&b, '"');
		for (const char *p = terms[i]; *p; p++)
			wk_buf_append(&b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
		wk_buf_putc(&b, '"');
	}
	return wk_buf_steal(&b);
}

static double count_of(sqlite3_stmt *st)
{
	double n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

typedef struct term_df {
	const char *term;
	double df;
} term_df;

static int by_df(const void *a, const void *b)
{
	double x = ((const term_df *)a)->df, y = ((const term_df *)b)->df;
	return (x > y) - (x < y);
}

/* The terms worth searching: BM25 gives a term on most pages almost no weight, yet
 * scoring every page it is on is most of a search's time. The rarest MIN_TERMS stay. */
static int rare_terms(wk_sqlite *s, const char *const *terms, int n, const char **out,
                      wk_error *err)
{
	sqlite3_stmt *df = wk_db_prepare(s->db, "SELECT count(*) FROM page_fts WHERE page_fts "
	                                        "MATCH ?1", err);
	sqlite3_stmt *all = df ? wk_db_prepare(s->db, "SELECT total(npages + 1) FROM docs", err)
	                       : NULL;
	if (!all) {
		sqlite3_finalize(df);
		return -1;
	}
	double pages = count_of(all);
	term_df *t = wk_xcalloc((size_t)n, sizeof *t);
	for (int i = 0; i < n; i++) {
		char *q = match_expr(&terms[i], 1);
		sqlite3_bind_text(df, 1, q, -1, free);
		t[i] = (term_df){terms[i], count_of(df)};
	}
	sqlite3_finalize(df);
	sqlite3_finalize(all);
	qsort(t, (size_t)n, sizeof *t, by_df);
	int kept = 0;
	for (int i = 0; i < n; i++)
		if (t[i].df > 0 && (t[i].df <= COMMON_SHARE * pages || kept < MIN_TERMS))
			out[kept++] = t[i].term;
	free(t);
	return kept;
}

typedef struct doc_acc {
	int64_t key;
	char id[17];
	double score;
	int pages;
	int nunits;
} doc_acc;

static void add_page(doc_acc *acc, int *nacc, int64_t key, const char *id, double score,
                     int nunits)
{
	static const double weight[PAGES_PER_DOC] = {1.0, 0.35, 0.15};
	for (int i = 0; i < *nacc; i++) {
		if (acc[i].key != key)
			continue;
		if (acc[i].pages < PAGES_PER_DOC)
			acc[i].score += weight[acc[i].pages++] * score;
		return;
	}
	doc_acc *a = &acc[(*nacc)++];
	a->key = key;
	snprintf(a->id, sizeof a->id, "%s", id ? id : "");
	a->score = score;
	a->pages = 1;
	a->nunits = nunits;
}

static int by_score(const void *a, const void *b)
{
	double x = ((const doc_acc *)a)->score, y = ((const doc_acc *)b)->score;
	return (x < y) - (x > y);
}

int wk_sqlite_rank(wk_store *store, const char *const *terms, int nterms, wk_doc_hit *hits,
                   int cap, int *n, wk_error *err)
{
	wk_sqlite *s = (wk_sqlite *)store;
	*n = 0;
	if (nterms <= 0 || cap <= 0)
		return WK_OK;
	sqlite3_stmt *st = wk_db_prepare(
		s->db,
		"SELECT p.doc, d.id, f.score, d.nunits FROM (SELECT rowid, rank AS score FROM page_fts "
		"WHERE page_fts MATCH ?1 ORDER BY rank LIMIT ?2) AS f "
		"JOIN pages p ON p.key = f.rowid JOIN docs d ON d.key = p.doc ORDER BY f.score",
		err);
	if (!st)
		return WK_EDB;
	const char **rare = wk_xcalloc((size_t)nterms, sizeof *rare);
	int nrare = rare_terms(s, terms, nterms, rare, err);
	if (nrare <= 0) {
		free(rare);
		sqlite3_finalize(st);
		return nrare < 0 ? WK_EDB : WK_OK;
	}
	sqlite3_bind_text(st, 1, match_expr(rare, nrare), -1, free);
	free(rare);
	sqlite3_bind_int(st, 2, RANK_PAGES);
	doc_acc *acc = wk_xcalloc(RANK_PAGES, sizeof *acc);
	int nacc = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && nacc < RANK_PAGES)
		add_page(acc, &nacc, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		         -sqlite3_column_double(st, 2), /* bm25() is lower for better matches */
		         sqlite3_column_int(st, 3));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(acc);
		return wk_db_error(s->db, err, "searching the library");
	}
	qsort(acc, (size_t)nacc, sizeof *acc, by_score);
	for (int i = 0; i < nacc && i < cap; i++) {
		hits[i].key = acc[i].key;
		memcpy(hits[i].id, acc[i].id, sizeof hits[i].id);
		hits[i].score = acc[i].score;
		hits[i].nunits = acc[i].nunits;
		*n = i + 1;
	}
	free(acc);
	return WK_OK;
}

/* sample.c: wk_sample and wk_sample_many: score, reshape by structure, select. */
#include "sample.h"
#include "../answer/llm.h" /* wk_rerank_rate */

#include <stdlib.h>
#include <string.h>

#define MAX_DOCS_KEPT 8       /* documents that share the budget in wk_sample_many */
#define DOC_KEEP_RATIO 0.35   /* ... when their evidence is at least this good */

void wk_ask_opts_init(wk_ask_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->budget = 2048;
}

void wk_selection_free(wk_selection *sel)
{
	if (!sel)
		return;
	for (int i = 0; i < sel->n; i++)
		free(sel->items[i].text);
	free(sel->items);
	free(sel);
}

/* Final unit scores of one document for a question; *raw_top is the best raw lexical
 * unit score (comparable across documents, unlike the normalised final scores). */
static double *score_doc(const wk_index *ix, const wk_scorer *sc, const wk_query *q,
                         const float *qvec, int dense_only, double *raw_top)
{
	const wk_doc *doc = ix->doc;
	double *units = wk_xcalloc((size_t)WK_MAX(doc->nunits, 1), sizeof(double));
	double *pages = wk_xcalloc((size_t)WK_MAX(doc->npages, 1), sizeof(double));
	double *secs = wk_xcalloc((size_t)WK_MAX(ix->nranges, 1), sizeof(double));
	sc->score_units(ix, q, units);
	sc->score_pages(ix, q, pages);
	sc->score_sections(ix, q, secs);
	if (qvec)
		wk_dense_fuse(ix, qvec, dense_only, units, pages, secs);
	double top = 0;
	for (int i = 0; i < doc->npages; i++)
		if (pages[i] > top)
			top = pages[i];
	*raw_top = top;
	wk_structure_apply(ix, q, units, pages, secs);
	free(pages);
	free(secs);
	return units;
}

static int check_args(const wk_index *const *indexes, int n, const char *question,
                      const wk_ask_opts *opts, const wk_scorer **sc, wk_error *err)
{
	if (!indexes || n <= 0)
		return wk_set_error(err, WK_EINVAL, "no document to ask");
	for (int i = 0; i < n; i++)
		if (!indexes[i])
			return wk_set_error(err, WK_EINVAL, "document %d has no index", i);
	if (opts && opts->budget < 16)
		return wk_set_error(err, WK_EINVAL, "budget of %d tokens is below the minimum of 16",
		                    opts->budget);
	*sc = wk_scorer_find(opts ? opts->scorer : NULL);
	if (!*sc)
		return wk_set_error(err, WK_EINVAL, "unknown scorer '%s' (known: lexical, hybrid, "
		                    "dense)", opts->scorer);
	if (*sc == &wk_scorer_embedded) {
		if (!opts->embed)
			return wk_set_error(err, WK_EINVAL, "the %s scorer needs an embedding server "
			                    "(--embed URL)", opts->scorer);
		/* hybrid scores a document without vectors lexically (a library keeps none yet);
		 * dense has nothing to score it with */
		int with = 0;
		for (int i = 0; i < n; i++)
			with += indexes[i]->vec != NULL || indexes[i]->doc->nunits == 0;
		if (with == 0 || (with < n && strcmp(opts->scorer, "dense") == 0))
			return wk_set_error(err, WK_EINVAL, "the %s scorer needs the documents' "
			                    "embeddings (wk_index_embed)", opts->scorer);
	}
	return wk_question_check(question, err);
}

/* The question's embedding for the hybrid and dense scorers, checked against the
 * documents' dimension; NULL (and WK_OK) for the lexical scorer. */
static int question_vector(const wk_index *const *indexes, int n, const char *question,
                           const wk_ask_opts *opts, const wk_scorer *sc, float **out,
                           wk_error *err)
{
	*out = NULL;
	if (sc != &wk_scorer_embedded)
		return WK_OK;
	int dim = 0, rc = WK_OK;
	if (opts->question_vec && opts->question_dim > 0) { /* embedded by the caller */
		dim = opts->question_dim;
		*out = wk_xmalloc(sizeof(float) * (size_t)dim);
		memcpy(*out, opts->question_vec, sizeof(float) * (size_t)dim);
	} else {
		rc = wk_embed_texts(opts->embed, &question, 1, out, &dim, err);
	}
	for (int i = 0; rc == WK_OK && i < n; i++)
		if (indexes[i]->vec && indexes[i]->dim != dim)
			rc = wk_set_error(err, WK_EPROTO, "the embedding server gave the question %d values "
			                  "and the documents %d: was the model changed?", dim,
			                  indexes[i]->dim);
	if (rc != WK_OK) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

static wk_selection *selection_from(const wk_index *const *indexes, int n, wk_pick *picks,
                                    int npicks)
{
	wk_selection *sel = wk_xcalloc(1, sizeof *sel);
	sel->n = npicks;
	sel->items = wk_xcalloc((size_t)WK_MAX(npicks, 1), sizeof(wk_evidence));
	for (int i = 0; i < npicks; i++) {
		sel->items[i] = (wk_evidence){picks[i].doc, picks[i].idx, picks[i].score,
		                              picks[i].tokens, picks[i].text, picks[i].span};
		sel->tokens += picks[i].tokens;
	}
	for (int d = 0; d < n; d++)
		sel->doc_tokens += indexes[d]->doc_tokens;
	return sel;
}

/* Candidates of the documents worth reading: a document whose best page scores far
 * below the best document's is left out; the others' scores are scaled by it. */
static int gather(const wk_index *const *ix, int n, double **scores, const double *top,
                  wk_cand **out)
{
	double best = 0;
	int total = 0;
	for (int d = 0; d < n; d++)
		best = WK_MAX(best, top[d]);
	for (int d = 0; d < n; d++)
		total += ix[d]->doc->nunits;
	wk_cand *c = wk_xmalloc(sizeof(wk_cand) * (size_t)WK_MAX(total, 1));
	int k = 0;
	for (int d = 0; d < n; d++) {
		double scale = n == 1 ? 1.0 : (best > 0 ? top[d] / best : 0);
		if (n > 1 && scale < DOC_KEEP_RATIO)
			continue;
		for (int i = 0; i < ix[d]->doc->nunits; i++)
			if (scores[d][i] > 0)
				c[k++] = (wk_cand){d, i, scores[d][i] * scale};
	}
	*out = c;
	return k;
}

static int cmp_cand_desc(const void *a, const void *b)
{
	double x = ((const wk_cand *)a)->score, y = ((const wk_cand *)b)->score;
	return (x < y) - (x > y);
}

/* The chat model's rating of the best candidates, averaged into their scores (scaled to
 * the best score, so that a passage rated 10 stands level with the best); the candidates
 * it did not see count as rated 0, and one it skipped keeps its score. */
static int rerank(const wk_index *const *ix, double **scores, wk_cand *c, int nc,
                  const char *question, const wk_ask_opts *opts, wk_error *err)
{
	qsort(c, (size_t)nc, sizeof *c, cmp_cand_desc);
	int k = WK_MIN(WK_MIN(opts->rerank_top > 0 ? opts->rerank_top : 20, WK_RERANK_MAX), nc);
	const char **texts = wk_xmalloc(sizeof(char *) * (size_t)WK_MAX(k, 1));
	double *rating = wk_xmalloc(sizeof(double) * (size_t)WK_MAX(k, 1));
	for (int i = 0; i < k; i++)
		texts[i] = ix[c[i].doc]->info[c[i].idx].text;
	int rc = wk_rerank_rate(opts->rerank, question, texts, k, rating, err);
	double top = nc ? c[0].score : 0;
	for (int i = 0; rc == WK_OK && i < nc; i++) {
		if (i < k && rating[i] < 0)
			continue;
		double r = i < k ? rating[i] / 10 : 0;
		c[i].score = 0.5 * c[i].score + 0.5 * top * r;
		scores[c[i].doc][c[i].idx] = c[i].score;
	}
	free(texts);
	free(rating);
	return rc;
}

/* Keeps the MAX_DOCS_KEPT best documents: zeroes the others' top scores. */
static void keep_best_docs(double *top, int n)
{
	for (int d = 0; d < n; d++) {
		int better = 0;
		for (int e = 0; e < n; e++)
			better += top[e] > top[d] || (top[e] == top[d] && e < d);
		if (better >= MAX_DOCS_KEPT)
			top[d] = 0;
	}
}

int wk_sample_many(const wk_index *const *indexes, int n, const char *question,
                   const wk_ask_opts *opts, wk_selection **out, wk_error *err)
{
	*out = NULL;
	const wk_scorer *sc = NULL;
	int rc = check_args(indexes, n, question, opts, &sc, err);
	if (rc != WK_OK)
		return rc;
	float *qvec = NULL;
	rc = question_vector(indexes, n, question, opts, sc, &qvec, err);
	if (rc != WK_OK)
		return rc;
	int dense_only = qvec && strcmp(opts->scorer, "dense") == 0;
	wk_tokenizer *tk = wk_tokenizer_new();
	if (!tk) {
		free(qvec);
		return wk_tokenizer_error(err);
	}
	wk_query **qs = wk_xcalloc((size_t)n, sizeof *qs);
	double **scores = wk_xcalloc((size_t)n, sizeof *scores);
	double *top = wk_xcalloc((size_t)n, sizeof *top);
	for (int d = 0; d < n && rc == WK_OK; d++) {
		rc = wk_query_new(indexes[d], tk, question, &qs[d], err);
		if (rc == WK_OK)
			scores[d] = score_doc(indexes[d], sc, qs[d], indexes[d]->vec ? qvec : NULL,
			                      dense_only, &top[d]);
	}
	if (rc == WK_OK) {
		keep_best_docs(top, n);
		wk_cand *cands = NULL;
		int nc = gather(indexes, n, scores, top, &cands);
		if (opts && opts->rerank)
			rc = rerank(indexes, scores, cands, nc, question, opts, err);
		if (rc == WK_OK) {
			wk_pick *picks = NULL;
			int np = 0;
			wk_select_run(indexes, (const wk_query *const *)qs, (const double *const *)scores,
			              n, tk, cands, nc, opts ? opts->budget : 2048, &picks, &np);
			*out = selection_from(indexes, n, picks, np);
			free(picks);
		}
		free(cands);
	}
	for (int d = 0; d < n; d++) {
		wk_query_free(qs[d]);
		free(scores[d]);
	}
	free(qs);
	free(scores);
	free(top);
	free(qvec);
	wk_tokenizer_free(tk);
	return rc;
}

int wk_sample(const wk_index *index, const char *question, const wk_ask_opts *opts,
              wk_selection **out, wk_error *err)
{
	const wk_index *one[1] = {index};
	return wk_sample_many(one, 1, question, opts, out, err);
}

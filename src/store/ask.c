/* ask.c: questions to the library: two-stage sparse sampling.
 *
 * Stage 1 ranks documents in the database (full-text search over pages) without loading
 * any; stage 2 loads only the best few and lets the sampler choose units across them
 * under the one token budget. A question thus costs a few document loads however large
 * the library is. */
#include "store.h"

#include "../sample/sample.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TERMS 48
#define RANKED 16     /* documents stage 1 returns */
#define STAGE2_DOCS 3 /* documents stage 2 loads at most */
#define KEEP_RATIO 0.6 /* a document joins stage 2 when its score is this share of the best */
#define STAGE2_UNITS 2500 /* ...and the units loaded so far leave room for it */
/* The weight of the cosine in stage 1's fused score, as in the sampler (dense.c): not
 * tuned, because no learned encoder could be run where wukong is developed. */
#define DENSE_WEIGHT 0.5

/* 1 when the question is scored with embeddings ("hybrid", "dense"). */
static int embedded(const wk_ask_opts *opts)
{
	return opts && opts->embed && opts->scorer && strcmp(opts->scorer, "lexical");
}

/* Gives a cached document the unit vectors of the question's model (the cache owns the
 * index; this handle is one thread's). */
static int cached_vectors(wk_library *lib, const char *id, const wk_index *ix,
                          const wk_llm_opts *embed, wk_error *err)
{
	char model[512];
	wk_vectors_model(embed, model, sizeof model);
	struct wk_doc_cache_entry *e = NULL;
	for (int i = 0; i < lib->cache.n && !e; i++)
		if (!strcmp(lib->cache.entries[i].id, id))
			e = &lib->cache.entries[i];
	wk_index *w = (wk_index *)ix;
	if (e && e->model && !strcmp(e->model, model))
		return WK_OK;
	free(w->vec);
	w->vec = NULL;
	w->dim = 0;
	int rc = wk_vectors_attach(lib->store, id, w, embed, NULL, err);
	if (e) {
		free(e->model);
		e->model = rc == WK_OK ? wk_xstrdup(model) : NULL;
	}
	return rc;
}

static wk_selection *empty_selection(void)
{
	return wk_xcalloc(1, sizeof(wk_selection));
}

/* Samples across the documents (loaded or taken from the handle's cache); on success
 * *docs holds copies the caller owns. */
static int sample_docs(wk_library *lib, char ids[][17], int n, const char *question,
                       const wk_ask_opts *opts, wk_selection **sel, wk_doc ***docs,
                       wk_error *err)
{
	const wk_doc *loaded[STAGE2_DOCS];
	const wk_index *ix[STAGE2_DOCS];
	int rc = WK_OK;
	lib->cache.clock++;
	for (int i = 0; i < n && !rc; i++) {
		rc = wk_cache_get(lib, ids[i], &loaded[i], &ix[i], err);
		if (!rc && embedded(opts))
			rc = cached_vectors(lib, ids[i], ix[i], opts->embed, err);
	}
	if (!rc)
		rc = wk_sample_many(ix, n, question, opts, sel, err);
	if (!rc) {
		*docs = wk_xcalloc((size_t)n, sizeof **docs);
		for (int i = 0; i < n; i++)
			(*docs)[i] = wk_doc_copy(loaded[i]);
	}
	wk_cache_trim(&lib->cache);
	return rc;
}

/* The lexical ranking fused with the cosine of every stored unit vector of the
 * question's model (brute force: see docs/llm.md for where that stops scaling). */
static int rank_dense(wk_library *lib, const wk_ask_opts *opts, wk_doc_hit *hits, int *nhits,
                      wk_error *err)
{
	char model[512];
	wk_vectors_model(opts->embed, model, sizeof model);
	wk_doc_hit *dense = NULL;
	int nd = 0;
	int rc = wk_vectors_rank(lib->store, model, opts->question_vec, opts->question_dim, &dense,
	                         &nd, err);
	if (!rc) {
		wk_doc_hit lex[RANKED];
		if (*nhits > 0)
			memcpy(lex, hits, sizeof *hits * (size_t)*nhits);
		double w = !strcmp(opts->scorer, "dense") ? 1.0 : DENSE_WEIGHT;
		*nhits = wk_vectors_fuse(lex, *nhits, dense, nd, w, hits, RANKED);
	}
	free(dense);
	return rc;
}

/* Stage 1: the ids of the documents worth loading, best first. */
static int rank_docs(wk_library *lib, const char *question, const wk_ask_opts *opts,
                     char ids[][17], int *n, wk_error *err)
{
	char *terms[MAX_TERMS];
	int nterms = wk_search_terms(question, terms, MAX_TERMS);
	wk_doc_hit hits[RANKED];
	int nhits = 0;
	int rc = lib->store->ops->rank(lib->store, (const char *const *)terms, nterms, hits, RANKED,
	                               &nhits, err);
	wk_terms_free(terms, nterms);
	if (!rc && embedded(opts) && opts->question_vec)
		rc = rank_dense(lib, opts, hits, &nhits, err);
	*n = 0;
	/* Loading and indexing cost in proportion to units: the best document always comes,
	 * the next ones when they score close to it and fit the units left. */
	int units = 0;
	for (int i = 0; !rc && i < nhits && *n < STAGE2_DOCS; i++) {
		if (i > 0 && (hits[i].score < KEEP_RATIO * hits[0].score ||
		              units + hits[i].nunits > STAGE2_UNITS))
			continue;
		units += hits[i].nunits;
		memcpy(ids[(*n)++], hits[i].id, 17);
	}
	return rc;
}

int wk_library_ask(wk_library *lib, const char *doc_id, const char *question,
                   const wk_ask_opts *opts, wk_selection **sel, wk_doc ***docs, int *ndocs,
                   wk_error *err)
{
	*sel = NULL;
	*docs = NULL;
	*ndocs = 0;
	if (!lib)
		return wk_set_error(err, WK_EINVAL, "no library");
	int rc = wk_question_check(question, err);
	if (rc)
		return rc;
	char ids[STAGE2_DOCS][17];
	int n = 0;
	/* The question is embedded once, for both stages. */
	wk_ask_opts with_vec;
	float *qvec = NULL;
	if (embedded(opts) && !opts->question_vec && !doc_id) {
		with_vec = *opts;
		rc = wk_embed_texts(opts->embed, &question, 1, &qvec, &with_vec.question_dim, err);
		if (rc)
			return rc;
		with_vec.question_vec = qvec;
		opts = &with_vec;
	}
	if (doc_id) {
		wk_doc_info info = {0};
		rc = lib->store->ops->find(lib->store, doc_id, &info, err);
		if (!rc)
			memcpy(ids[n++], info.id, 17);
		wk_info_clear(&info);
	} else {
		rc = rank_docs(lib, question, opts, ids, &n, err);
	}
	if (!rc && n == 0) /* nothing in the library shares a word with the question */
		*sel = empty_selection();
	else if (!rc)
		rc = sample_docs(lib, ids, n, question, opts, sel, docs, err);
	if (!rc)
		*ndocs = n;
	free(qvec);
	return rc;
}

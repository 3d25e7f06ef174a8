/* vectors.c: unit vectors in the library, whatever the backend: the name they are kept
 * under, their stored form, giving a loaded document its vectors (stage 2), and the
 * brute-force cosine over all of them that ranks documents (stage 1).
 *
 * A document's vectors are one record per embedding model: nunits x dim float32s (4
 * bytes a value: 1,536 bytes a unit at dim 384), little-endian whatever the machine, so
 * that a PostgreSQL library serves machines of any byte order. */
#include "add.h"

#include "../answer/llm.h"
#include "../sample/sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIM 16384

void wk_vectors_model(const wk_llm_opts *opts, char *out, size_t cap)
{
	const char *m = opts->embed_model;
	/* A server that serves one model answers to any name: its URL names the model. */
	if (!m || !*m || !strcmp(m, "default"))
		snprintf(out, cap, "default@%s", opts->embed_url ? opts->embed_url : "");
	else
		snprintf(out, cap, "%s", m);
}

static int little_endian(void)
{
	const uint16_t one = 1;
	return *(const unsigned char *)&one == 1;
}

/* Reverses the bytes of every 4-byte value: float32s between this machine and storage. */
static void swap32(unsigned char *p, size_t count)
{
	for (size_t i = 0; i < count; i++, p += 4) {
		unsigned char a = p[0], b = p[1];
		p[0] = p[3], p[1] = p[2], p[2] = b, p[3] = a;
	}
}

char *wk_vectors_pack(const float *vec, size_t count, size_t *len)
{
	*len = count * sizeof(float);
	char *out = wk_xmalloc(*len + 1);
	memcpy(out, vec, *len);
	if (!little_endian())
		swap32((unsigned char *)out, count);
	return out;
}

void wk_vectors_unpack(const void *blob, size_t count, float *out)
{
	memcpy(out, blob, count * sizeof(float)); /* blob may be unaligned */
	if (!little_endian())
		swap32((unsigned char *)out, count);
}

/* ---- stage 2: a loaded document's vectors ---- */

/* The stored vectors of `id` for `model` into ix, when they fit its units: 1, else 0. */
static int from_library(wk_store *s, const char *id, const char *model, wk_index *ix,
                        wk_error *err, int *rc)
{
	char *blob = NULL;
	size_t len = 0;
	int dim = 0;
	*rc = s->ops->vectors->get(s, id, model, &blob, &len, &dim, err);
	if (*rc == WK_ENOTFOUND)
		*rc = WK_OK;
	size_t n = (size_t)ix->doc->nunits;
	int ok = !*rc && blob && dim > 0 && dim <= MAX_DIM && len == n * (size_t)dim * sizeof(float);
	if (ok) {
		ix->vec = wk_xmalloc(len + 1);
		ix->dim = dim;
		wk_vectors_unpack(blob, n * (size_t)dim, ix->vec);
	}
	free(blob);
	return ok;
}

int wk_vectors_attach(wk_store *s, const char *id, wk_index *ix, const wk_llm_opts *opts,
                      int *sent, wk_error *err)
{
	if (sent)
		*sent = 0;
	if (!s->ops->vectors)
		return wk_index_embed(ix, opts, sent, err);
	char model[512];
	wk_vectors_model(opts, model, sizeof model);
	int rc = WK_OK;
	if (from_library(s, id, model, ix, err, &rc) || rc)
		return rc;
	rc = wk_index_embed(ix, opts, sent, err);
	if (rc || !ix->vec)
		return rc;
	size_t len = 0;
	char *blob = wk_vectors_pack(ix->vec, (size_t)ix->doc->nunits * (size_t)ix->dim, &len);
	/* Kept for the next question; a library that cannot be written (read-only, or the
	 * document removed meanwhile) only costs the next question the same work. */
	s->ops->vectors->put(s, id, model, ix->dim, blob, len, NULL);
	free(blob);
	return WK_OK;
}

/* ---- stage 1: documents by the cosine of their best unit ---- */

typedef struct scan_state {
	const float *q;
	int dim;
	float *buf;       /* one stored vector, aligned */
	wk_doc_hit *hits; /* every document with vectors of the question's dimension */
	int n, cap;
	int other_dim;    /* documents of another dimension: a model changed under its name */
} scan_state;

static void each_doc(void *user, const char *id, int dim, const void *vec, size_t len)
{
	scan_state *st = user;
	size_t per = (size_t)st->dim * sizeof(float);
	if (dim != st->dim || len % per) {
		st->other_dim++;
		return;
	}
	double best = -2;
	size_t units = len / per;
	for (size_t u = 0; u < units; u++) {
		wk_vectors_unpack((const char *)vec + u * per, (size_t)st->dim, st->buf);
		float dot = 0;
		for (int j = 0; j < st->dim; j++)
			dot += st->buf[j] * st->q[j];
		best = WK_MAX(best, (double)dot);
	}
	if (units == 0)
		return;
	st->hits = wk_grow(st->hits, &st->cap, st->n + 1, sizeof *st->hits);
	wk_doc_hit *h = &st->hits[st->n++];
	memset(h, 0, sizeof *h);
	snprintf(h->id, sizeof h->id, "%s", id);
	h->score = best;
	h->nunits = (int)units;
}

static int by_score_desc(const void *a, const void *b)
{
	double x = ((const wk_doc_hit *)a)->score, y = ((const wk_doc_hit *)b)->score;
	return (x < y) - (x > y);
}

int wk_vectors_rank(wk_store *s, const char *model, const float *q, int dim, wk_doc_hit **hits,
                    int *n, wk_error *err)
{
	*hits = NULL;
	*n = 0;
	if (!s->ops->vectors)
		return WK_OK;
	scan_state st = {.q = q, .dim = dim, .buf = wk_xmalloc(sizeof(float) * (size_t)dim)};
	int rc = s->ops->vectors->scan(s, model, each_doc, &st, err);
	free(st.buf);
	if (!rc && st.other_dim && !st.n)
		rc = wk_set_error(err, WK_EPROTO, "the embedding server gave the question %d values and "
		                  "the library's vectors of model %s another count: was the model "
		                  "changed? Add the documents again with --embed", dim, model);
	if (rc) {
		free(st.hits);
		return rc;
	}
	if (st.n > 1)
		qsort(st.hits, (size_t)st.n, sizeof *st.hits, by_score_desc);
	*hits = st.hits;
	*n = st.n;
	return WK_OK;
}

/* Each document's best cosine scaled from the median of all documents (0) to the best
 * (1): absolute cosines differ by model, their spread across documents does not. With
 * one document, or all alike, a positive cosine counts fully. */
static void scale_dense(wk_doc_hit *d, int nd)
{
	if (nd == 0)
		return;
	double top = d[0].score, med = d[nd / 2].score; /* sorted best first */
	for (int i = 0; i < nd; i++) {
		if (top > med)
			d[i].score = d[i].score > med ? (d[i].score - med) / (top - med) : 0;
		else
			d[i].score = d[i].score > 0 ? 1 : 0;
	}
}

int wk_vectors_fuse(const wk_doc_hit *lex, int nlex, wk_doc_hit *dense, int ndense, double w,
                    wk_doc_hit *out, int cap)
{
	scale_dense(dense, ndense);
	double lmax = 0;
	for (int i = 0; i < nlex; i++)
		lmax = WK_MAX(lmax, lex[i].score);
	int n = 0;
	wk_doc_hit *all = wk_xcalloc((size_t)(nlex + ndense) + 1, sizeof *all);
	for (int i = 0; i < nlex; i++) { /* a document without vectors is ranked lexically */
		all[n] = lex[i];
		all[n++].score = lmax > 0 ? lex[i].score / lmax : 0;
	}
	for (int i = 0; i < ndense; i++) {
		int k = 0;
		while (k < n && strcmp(all[k].id, dense[i].id))
			k++;
		if (k == n) { /* a document no question word is on */
			all[n] = dense[i];
			all[n++].score = 0;
		}
		all[k].score = (1 - w) * all[k].score + w * dense[i].score;
	}
	if (n > 1)
		qsort(all, (size_t)n, sizeof *all, by_score_desc);
	int kept = 0;
	for (int i = 0; i < n && kept < cap; i++)
		if (all[i].score > 0)
			out[kept++] = all[i];
	free(all);
	return kept;
}

/* ---- add --embed ---- */

/* 1 when the library has vectors of `model` for document `id`. */
static int has_vectors(wk_store *s, const char *id, const char *model)
{
	char *blob = NULL;
	size_t len = 0;
	int dim = 0;
	int rc = s->ops->vectors->get(s, id, model, &blob, &len, &dim, NULL);
	free(blob);
	return rc == WK_OK;
}

void wk_add_embed(wk_store *store, wk_add_job *job, const wk_llm_opts *opts)
{
	if (!store->ops->vectors) {
		job->embed_rc = wk_set_error(&job->embed_err, WK_EINVAL, "this library keeps "
		                             "no vectors");
		return;
	}
	char model[512];
	wk_vectors_model(opts, model, sizeof model);
	wk_doc *stored = NULL;
	const wk_doc *doc = job->doc;
	if (!doc) { /* known content: embedded only when its vectors of this model are missing */
		if (!job->info.id[0] || has_vectors(store, job->info.id, model))
			return;
		job->embed_rc = store->ops->load(store, job->info.id, &stored, &job->embed_err);
		doc = stored;
	}
	if (!job->embed_rc) {
		job->embed_rc = wk_doc_embed(doc, opts, &job->vec, &job->dim, &job->embed_err);
		job->nvec = doc->nunits;
	}
	wk_doc_free(stored);
}

int wk_add_store_vectors(wk_store *store, wk_add_job *job, const wk_llm_opts *opts,
                         wk_error *err)
{
	if (!job->vec || !job->info.id[0])
		return WK_OK;
	if (job->nvec != job->info.nunits) /* the content changed between the two halves */
		return wk_set_error(err, WK_EINTERNAL, "%s changed while it was embedded; add it again",
		                    job->path);
	char model[512];
	wk_vectors_model(opts, model, sizeof model);
	size_t len = 0;
	char *blob = wk_vectors_pack(job->vec, (size_t)job->nvec * (size_t)job->dim, &len);
	int rc = store->ops->vectors->put(store, job->info.id, model, job->dim, blob, len, err);
	free(blob);
	return rc;
}

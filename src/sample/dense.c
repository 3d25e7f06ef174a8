/* dense.c: learned encoders beside the lexical scorer: unit embeddings kept per document
 * (wk_index_embed) and their cosine with the question fused into the scores.
 *
 * Fusion is a normalised sum, not reciprocal rank fusion: the structure signals and the
 * cross-document ranking downstream read score magnitudes (how much better the best page
 * is than the rest), which ranks alone would throw away. The cosine is scaled within the
 * document from its median (0) to its best unit (1): absolute cosines differ by model
 * (some never go below 0.5), the spread within one document does not. */
#include "sample.h"
#include "../doc/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EMB_MAGIC "wkemb1\n"
#define MAX_CACHE_BYTES (512u << 20)

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Every unit's cosine with qvec, scaled to [0, 1] from the median to the best. */
static double *scaled_cosines(const wk_index *ix, const float *qvec)
{
	int n = ix->doc->nunits;
	double *cos = wk_xcalloc((size_t)WK_MAX(n, 1), sizeof(double));
	double *sorted = wk_xmalloc(sizeof(double) * (size_t)WK_MAX(n, 1));
	for (int i = 0; i < n; i++) {
		const float *v = ix->vec + (size_t)i * (size_t)ix->dim;
		double dot = 0;
		for (int j = 0; j < ix->dim; j++)
			dot += (double)v[j] * qvec[j];
		cos[i] = sorted[i] = dot;
	}
	qsort(sorted, (size_t)n, sizeof(double), cmp_double);
	double med = n ? sorted[n / 2] : 0, top = n ? sorted[n - 1] : 0;
	free(sorted);
	/* All alike (one unit, say): no spread to scale by, so a positive cosine counts fully. */
	for (int i = 0; i < n; i++)
		if (top > med)
			cos[i] = cos[i] > med ? (cos[i] - med) / (top - med) : 0;
		else
			cos[i] = cos[i] > 0 ? 1 : 0;
	return cos;
}

static double max_of(const double *x, int n)
{
	double m = 0;
	for (int i = 0; i < n; i++)
		m = WK_MAX(m, x[i]);
	return m;
}

/* out = (1 - w) * out + w * scale * dense, where scale keeps the lexical magnitude (1
 * when the lexical scores are all zero: a question that shares no word with the text). */
static void mix(double *out, const double *dense, int n, double w)
{
	double scale = max_of(out, n);
	if (scale <= 0)
		scale = 1;
	for (int i = 0; i < n; i++)
		out[i] = (1 - w) * out[i] + w * scale * dense[i];
}

void wk_dense_fuse(const wk_index *ix, const float *qvec, int dense_only, double *units,
                   double *pages, double *secs)
{
	const wk_doc *doc = ix->doc;
	double *du = scaled_cosines(ix, qvec);
	double *dp = wk_xcalloc((size_t)WK_MAX(doc->npages, 1), sizeof(double));
	double *ds = wk_xcalloc((size_t)WK_MAX(ix->nranges, 1), sizeof(double));
	/* A page or a section is as close to the question as its closest unit. */
	for (int i = 0; i < doc->nunits; i++) {
		int p = doc->units[i].page - 1;
		if (p >= 0 && p < doc->npages)
			dp[p] = WK_MAX(dp[p], du[i]);
	}
	for (int r = 0; r < ix->nranges; r++)
		for (int i = ix->ranges[r].first; i <= ix->ranges[r].last && i < doc->nunits; i++)
			ds[r] = WK_MAX(ds[r], du[i]);
	double w = dense_only ? 1.0 : 0.5;
	mix(units, du, doc->nunits, w);
	mix(pages, dp, doc->npages, w);
	mix(secs, ds, ix->nranges, w);
	free(du);
	free(dp);
	free(ds);
}

/* ---- the cache of unit vectors ---- */

/* The cache key: server, model and every text embedded, so that another parser, model or
 * server simply misses. */
static void vectors_key(const wk_index *ix, const wk_llm_opts *opts, char out[65])
{
	wk_buf b;
	wk_buf_init(&b, 0);
	wk_buf_printf(&b, "%s\n%s\n", opts->embed_url, opts->embed_model ? opts->embed_model : "");
	for (int i = 0; i < ix->doc->nunits; i++) {
		const char *t = ix->info[i].text ? ix->info[i].text : "";
		wk_buf_append(&b, t, strlen(t) + 1); /* the NUL keeps "ab","c" apart from "a","bc" */
	}
	wk_sha256_hex(b.data ? b.data : "", b.len, out);
	wk_buf_free(&b);
}

static char *cache_file(const char *key)
{
	char *dir = wk_cache_dir();
	if (!dir)
		return NULL;
	size_t n = strlen(dir) + 100;
	char *f = wk_xmalloc(n);
	snprintf(f, n, "%s/emb-%s.bin", dir, key);
	free(dir);
	return f;
}

/* A cache entry: magic, then nunits and dim as text, then the floats. */
static int cache_read(wk_index *ix, const char *file)
{
	char *data = NULL;
	size_t len = 0;
	if (wk_read_file(file, MAX_CACHE_BYTES, &data, &len, NULL) != WK_OK)
		return 0;
	int n = 0, dim = 0, used = 0;
	size_t m = strlen(EMB_MAGIC);
	int ok = len > m && !memcmp(data, EMB_MAGIC, m) &&
	         sscanf(data + m, "%d %d\n%n", &n, &dim, &used) == 2 && used > 0 &&
	         n == ix->doc->nunits && dim > 0 &&
	         len == m + (size_t)used + sizeof(float) * (size_t)n * (size_t)dim;
	if (ok) {
		ix->vec = wk_xmalloc(sizeof(float) * (size_t)n * (size_t)dim);
		memcpy(ix->vec, data + m + used, sizeof(float) * (size_t)n * (size_t)dim);
		ix->dim = dim;
	}
	free(data);
	return ok;
}

static void cache_write(const wk_index *ix, const char *file)
{
	wk_buf b;
	wk_buf_init(&b, 0);
	wk_buf_printf(&b, "%s%d %d\n", EMB_MAGIC, ix->doc->nunits, ix->dim);
	wk_buf_append(&b, (const char *)ix->vec, sizeof(float) * (size_t)ix->doc->nunits * (size_t)ix->dim);
	char *dir = wk_cache_dir();
	if (dir && wk_mkdirs(dir, NULL) == WK_OK)
		wk_write_file_atomic(file, b.data, b.len, NULL); /* a cache that fails is no error */
	free(dir);
	wk_buf_free(&b);
}

int wk_index_embed(wk_index *ix, const wk_llm_opts *opts, int *sent, wk_error *err)
{
	if (sent)
		*sent = 0;
	if (!ix || !opts || !opts->embed_url || !*opts->embed_url)
		return wk_set_error(err, WK_EINVAL, "embeddings: no server URL (give --embed URL or set "
		                    "WUKONG_EMBED_URL)");
	if (ix->vec)
		return WK_OK;
	int n = ix->doc->nunits;
	if (n == 0)
		return WK_OK;
	char key[65];
	vectors_key(ix, opts, key);
	char *file = cache_file(key);
	if (file && cache_read(ix, file)) {
		free(file);
		return WK_OK;
	}
	const char **texts = wk_xmalloc(sizeof(char *) * (size_t)n);
	for (int i = 0; i < n; i++)
		texts[i] = ix->info[i].text ? ix->info[i].text : "";
	int rc = wk_embed_texts(opts, texts, n, &ix->vec, &ix->dim, err);
	free(texts);
	if (rc == WK_OK) {
		if (sent)
			*sent = n;
		if (file)
			cache_write(ix, file);
	}
	free(file);
	return rc;
}

int wk_doc_embed(const wk_doc *doc, const wk_llm_opts *opts, float **vec, int *dim,
                 wk_error *err)
{
	*vec = NULL;
	*dim = 0;
	int n = doc->nunits;
	if (n == 0)
		return WK_OK;
	char **texts = wk_xmalloc(sizeof(char *) * (size_t)n);
	for (int i = 0; i < n; i++)
		texts[i] = wk_unit_model_text(doc, &doc->units[i]);
	int rc = wk_embed_texts(opts, (const char *const *)texts, n, vec, dim, err);
	for (int i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	return rc;
}

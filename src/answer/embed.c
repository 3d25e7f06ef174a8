/* embed.c: unit and question embeddings from an OpenAI-compatible POST /embeddings
 * (llama.cpp's llama-server --embedding, Ollama, vLLM, text-embeddings-inference, hosted
 * APIs), through the chat backend's transport: the same timeouts, retries and messages.
 *
 * A reply is checked before it is believed: one vector per input, in the order of their
 * "index", all of one dimension, every value finite. Vectors are scaled to unit length
 * here, once, so that the sampler's cosine is a dot product. */
#include "llm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Inputs per request: servers batch internally, but llama-server rejects a request whose
 * inputs together exceed its batch size, so requests stay modest. */
#define EMBED_BATCH 32
/* Bytes of one input: embedding models read 512 tokens or fewer; more is wasted upload. */
#define EMBED_MAX_INPUT 2000
#define EMBED_MAX_DIM 16384

/* The first `max` bytes of s, not cutting a UTF-8 sequence. */
static json_t *input_of(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return json_stringn(n ? s : " ", n ? n : 1); /* some servers refuse an empty input */
}

static char *request_body(const wk_llm_opts *opts, const char *const *texts, int n)
{
	json_t *inputs = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(inputs, input_of(texts[i] ? texts[i] : "", EMBED_MAX_INPUT));
	json_t *req = json_pack("{s:s, s:o, s:s}", "model",
	                        opts->embed_model ? opts->embed_model : "default", "input", inputs,
	                        "encoding_format", "float");
	char *body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	return body;
}

/* One vector of the reply into out (dim floats), scaled to unit length. */
static int take_vector(json_t *emb, float *out, int dim)
{
	double norm = 0;
	for (int j = 0; j < dim; j++) {
		json_t *v = json_array_get(emb, (size_t)j);
		if (!json_is_number(v))
			return 0;
		double x = json_number_value(v);
		if (!isfinite(x))
			return 0;
		out[j] = (float)x;
		norm += x * x;
	}
	if (!isfinite(norm))
		return 0;
	if (norm > 0) {
		float inv = (float)(1.0 / sqrt(norm));
		for (int j = 0; j < dim; j++)
			out[j] *= inv;
	}
	return 1;
}

/* Reads one batch's reply into vec + first * dim; *dim is set by the first batch and
 * checked against every later vector. */
static int read_batch(json_t *root, int first, int n, float **vec, int *dim, int total,
                      const char *url, wk_error *err)
{
	json_t *data = json_object_get(root, "data");
	if (!json_is_array(data) || json_array_size(data) != (size_t)n)
		return wk_set_error(err, WK_EPROTO, "embedding server %s sent %zu vectors for %d inputs",
		                    url, json_is_array(data) ? json_array_size(data) : 0, n);
	for (int k = 0; k < n; k++) {
		json_t *item = json_array_get(data, (size_t)k);
		json_t *emb = json_object_get(item, "embedding");
		json_t *ix = json_object_get(item, "index");
		int at = json_is_integer(ix) ? (int)json_integer_value(ix) : k;
		if (!json_is_array(emb) || at < 0 || at >= n)
			return wk_set_error(err, WK_EPROTO, "embedding server %s: item %d of the reply has "
			                    "no embedding or a bad index", url, k);
		int d = (int)json_array_size(emb);
		if (*dim == 0) {
			if (d < 1 || d > EMBED_MAX_DIM)
				return wk_set_error(err, WK_EPROTO, "embedding server %s sent a vector of %d "
				                    "values", url, d);
			*dim = d;
			*vec = wk_xcalloc((size_t)total * (size_t)d, sizeof(float));
		} else if (d != *dim) {
			return wk_set_error(err, WK_EPROTO, "embedding server %s sent vectors of %d and %d "
			                    "values", url, *dim, d);
		}
		if (!take_vector(emb, *vec + (size_t)(first + at) * (size_t)d, d))
			return wk_set_error(err, WK_EPROTO, "embedding server %s sent a value that is not a "
			                    "finite number", url);
	}
	return WK_OK;
}

int wk_embed_texts(const wk_llm_opts *opts, const char *const *texts, int n, float **vectors,
                   int *dim, wk_error *err)
{
	*vectors = NULL;
	*dim = 0;
	if (!opts || !opts->embed_url || !*opts->embed_url)
		return wk_set_error(err, WK_EINVAL, "embeddings: no server URL (give --embed URL or set "
		                    "WUKONG_EMBED_URL)");
	if (n <= 0 || !texts)
		return wk_set_error(err, WK_EINVAL, "embeddings: nothing to embed");
	wk_llm_opts o = *opts;
	o.url = opts->embed_url;
	float *vec = NULL;
	int rc = WK_OK;
	for (int first = 0; first < n && rc == WK_OK; first += EMBED_BATCH) {
		int k = WK_MIN(EMBED_BATCH, n - first);
		char *body = request_body(opts, texts + first, k);
		json_t *root = NULL;
		rc = wk_llm_post_json(&o, "/embeddings", "embeddings", body, &root, err);
		free(body);
		if (rc == WK_OK)
			rc = read_batch(root, first, k, &vec, dim, n, o.url, err);
		json_decref(root);
	}
	if (rc != WK_OK) {
		free(vec);
		*dim = 0;
		return rc;
	}
	*vectors = vec;
	return WK_OK;
}

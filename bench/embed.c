/* bench/embed.c: the cost of the hybrid scorer once unit embeddings are kept. For each
 * document it embeds the units once (through the fake model server's /v1/embeddings, a
 * real HTTP server on loopback), then asks every question of that document with the
 * lexical and the hybrid scorer in alternation and reports p50/p95 of each: the hybrid
 * figure includes the question's round trip to the server. Last, brute-force cosine over
 * synthetic stored vectors, to say where it stops scaling.
 *
 *   build/bench/embed [DOCS_DIR [QUESTIONS.jsonl]]   (needs `make tests` for fake_llm)
 *
 * Defaults to ../shared/data/mmlongbench: its documents of 100 pages or more and their
 * questions. Without ../shared it says so and measures only the scaling part. The fake
 * encoder is a hashed bag of words: its vectors cost what real ones of its dimension
 * cost, its answers say nothing of a learned encoder's quality. */
#include "wukong.h"

#include "../src/util/util.h" /* wk_now_ms */
#include "../tests/support/mkfake.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_Q 400
#define MAX_TIMES 20000

static double lex[MAX_TIMES], hyb[MAX_TIMES], lex_cpu[MAX_TIMES], hyb_cpu[MAX_TIMES];

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, double *ms, int n)
{
	qsort(ms, (size_t)n, sizeof(double), cmp_double);
	printf("  %-34s p50 %6.2f ms  p95 %6.2f ms  (n=%d)\n", what, ms[n / 2], ms[n * 95 / 100], n);
}

/* The questions of doc_id `name`. */
static int questions_of(const char *qpath, const char *name, char **qs)
{
	FILE *f = fopen(qpath, "r");
	char line[65536];
	int n = 0;
	while (f && n < MAX_Q && fgets(line, sizeof line, f)) {
		json_t *o = json_loads(line, 0, NULL);
		const char *id = json_string_value(json_object_get(o, "doc_id"));
		const char *q = json_string_value(json_object_get(o, "question"));
		if (id && q && !strcmp(id, name) && wk_question_check(q, NULL) == WK_OK)
			qs[n++] = strdup(q);
		json_decref(o);
	}
	if (f)
		fclose(f);
	return n;
}

/* This process's CPU time in ms (the fake server's is its own process's). */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Wall ms of one question; *cpu receives its CPU ms. */
static double sample_ms(const wk_index *ix, const char *q, const wk_ask_opts *o, double *cpu)
{
	double t = wk_now_ms(), c = cpu_ms();
	wk_selection *sel = NULL;
	wk_error err;
	if (wk_sample(ix, q, o, &sel, &err) != WK_OK)
		fprintf(stderr, "bench/embed: %s\n", err.message);
	wk_selection_free(sel);
	*cpu = cpu_ms() - c;
	return wk_now_ms() - t;
}

/* Asks every question of one document with both scorers; appends the times. */
static void one_document(const char *path, const char *qpath, const wk_llm_opts *emb, int *n)
{
	const char *slash = strrchr(path, '/');
	char *qs[MAX_Q];
	int nq = questions_of(qpath, slash ? slash + 1 : path, qs);
	wk_parse_opts po;
	wk_parse_opts_init(&po);
	po.ocr = WK_OCR_NEVER;
	wk_doc *doc = NULL;
	wk_index *ix = NULL;
	wk_error err;
	if (nq == 0 || wk_parse_cached(path, &po, &doc, NULL, &err) != WK_OK || doc->npages < 100 ||
	    wk_index_new(doc, &ix, &err) != WK_OK) {
		for (int i = 0; i < nq; i++)
			free(qs[i]);
		wk_doc_free(doc);
		return;
	}
	int sent = 0;
	double t = wk_now_ms();
	if (wk_index_embed(ix, emb, &sent, &err) != WK_OK) {
		fprintf(stderr, "bench/embed: %s\n", err.message);
		exit(1);
	}
	printf("%s: %d pages, %d units, %d embedded in %.0f ms (%s)\n", slash ? slash + 1 : path,
	       doc->npages, doc->nunits, sent, wk_now_ms() - t, sent ? "sent" : "from the cache");
	wk_ask_opts lo, ho;
	wk_ask_opts_init(&lo);
	wk_ask_opts_init(&ho);
	ho.scorer = "hybrid";
	ho.embed = emb;
	for (int i = 0; i < nq; i++) {
		lex[*n] = sample_ms(ix, qs[i], &lo, &lex_cpu[*n]);
		hyb[*n] = sample_ms(ix, qs[i], &ho, &hyb_cpu[*n]);
		(*n)++;
		free(qs[i]);
	}
	wk_index_free(ix);
	wk_doc_free(doc);
}

/* Brute-force cosine over `n` stored vectors of `dim` floats: ms per question. */
static double brute_force_ms(long n, int dim)
{
	float *v = malloc(sizeof(float) * (size_t)n * (size_t)dim), q[1024];
	if (!v)
		return -1;
	unsigned seed = 7;
	for (size_t i = 0; i < (size_t)n * (size_t)dim; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = (float)((seed >> 9) & 1023) / 1024.0f - 0.5f;
	}
	for (int j = 0; j < dim; j++)
		q[j] = v[j];
	double best = 1e18;
	for (int round = 0; round < 3; round++) {
		double t = wk_now_ms(), top = -2;
		for (long i = 0; i < n; i++) {
			float dot = 0;
			const float *x = v + (size_t)i * (size_t)dim;
			for (int j = 0; j < dim; j++)
				dot += x[j] * q[j];
			top = dot > top ? dot : top;
		}
		double ms = wk_now_ms() - t;
		best = ms < best ? ms : best;
		if (top < -1)
			puts("");
	}
	free(v);
	return best;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../shared/data/mmlongbench/documents";
	const char *qpath = argc > 2 ? argv[2] : "../shared/data/mmlongbench/questions.jsonl";
	int n = 0;
	mk_fake fake;
	if (mk_fake_start(&fake, NULL) != 0) {
		fprintf(stderr, "bench/embed: cannot start build/tests/tools/fake_llm (make tests)\n");
		return 1;
	}
	wk_llm_opts emb;
	wk_llm_opts_init(&emb);
	emb.embed_url = fake.url;
	emb.embed_model = "dim-384"; /* the size of small sentence encoders (MiniLM, bge-small) */
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "ls '%s'/*.pdf 2>/dev/null", dir);
	FILE *ls = popen(cmd, "r");
	char path[4096];
	while (ls && fgets(path, sizeof path, ls)) {
		path[strcspn(path, "\n")] = '\0';
		if (n < 19000)
			one_document(path, qpath, &emb, &n);
	}
	if (ls)
		pclose(ls);
	if (n > 0) {
		printf("sampling on documents of 100+ pages, embeddings kept (dim 384, %zu bytes a "
		       "vector):\n", sizeof(float) * 384);
		report("lexical (wk_sample)", lex, n);
		report("hybrid (question round trip incl.)", hyb, n);
		report("lexical, CPU of this process", lex_cpu, n);
		report("hybrid, CPU of this process", hyb_cpu, n);
		printf("  target: hybrid p95 <= 10 ms: %s\n", hyb[n * 95 / 100] <= 10 ? "met" : "NOT met");
	} else {
		printf("%s: not found (no ../shared): scaling part only\n", dir);
	}
	mk_fake_stop(&fake);
	printf("brute-force cosine, one question, best of 3 (dim 384):\n");
	for (long k = 1000; k <= 1000000; k *= 10)
		printf("  %8ld vectors (%6.1f MB): %8.2f ms\n", k, (double)k * 384 * 4 / 1e6,
		       brute_force_ms(k, 384));
	return 0;
}

/* cli_llm.c: the language model options and question of `wukong ask` and `wukong eval`
 * (see cli_llm.h). */
#include "cli_llm.h"
#include "library_cli.h" /* wk_cli_now */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* After this many failures without a single success the server is taken for down and
 * the remaining questions fail at once, instead of each waiting through its retries. */
#define GIVE_UP_AFTER 3

void cli_llm_init(cli_llm *l)
{
	memset(l, 0, sizeof *l);
	wk_llm_opts_init(&l->opts);
	l->jobs = 1;
	l->state = &l->storage;
	pthread_mutex_init(&l->state->lock, NULL);
}

void cli_llm_free(cli_llm *l)
{
	if (l)
		wk_llm_opts_release(&l->opts);
}

int cli_llm_failures(const cli_llm *l)
{
	pthread_mutex_lock(&l->state->lock);
	int n = l->state->failures;
	pthread_mutex_unlock(&l->state->lock);
	return n;
}

int cli_llm_all_failed(const cli_llm *l, wk_error *first)
{
	pthread_mutex_lock(&l->state->lock);
	int all = l->on && l->state->successes == 0 && l->state->failures > 0;
	if (all && first)
		*first = l->state->first;
	pthread_mutex_unlock(&l->state->lock);
	return all;
}

/* 1 (with err filled) when the server has failed every question so far, often enough. */
static int server_down(const cli_llm *l, wk_error *err)
{
	pthread_mutex_lock(&l->state->lock);
	int down = l->state->successes == 0 && l->state->failures >= GIVE_UP_AFTER;
	if (down && err)
		*err = l->state->first;
	pthread_mutex_unlock(&l->state->lock);
	return down;
}

static void count(const cli_llm *l, int ok, const wk_error *err)
{
	pthread_mutex_lock(&l->state->lock);
	if (ok)
		l->state->successes++;
	else if (l->state->failures++ == 0 && err)
		l->state->first = *err;
	pthread_mutex_unlock(&l->state->lock);
}

const char *cli_llm_set_url(void *url, const char *value)
{
	if (strncmp(value, "http://", 7) && strncmp(value, "https://", 8))
		return "wants an http:// or https:// URL";
	*(const char **)url = value;
	return NULL;
}

const char *cli_llm_set_fallback(void *fallback, const char *value)
{
	if (strcmp(value, "extractive"))
		return "knows only 'extractive'";
	*(int *)fallback = 1;
	return NULL;
}

static void to_stdout(void *user, const char *piece, size_t len)
{
	struct cli_llm_state *st = user;
	fwrite(piece, 1, len, stdout);
	fflush(stdout);
	st->streamed += len;
}

int cli_llm_setup(cli_llm *l, const char *cmd, int json)
{
	wk_error err = {0};
	if (wk_llm_opts_load(&l->opts, NULL, &err) != WK_OK) {
		cli_llm_free(l);
		return cli_usage_error(cmd, "%s", err.message);
	}
	if (l->url)
		l->opts.url = l->url;
	if (l->model)
		l->opts.model = l->model;
	if (l->vision)
		l->opts.vision = 1;
	l->on = !l->off && l->opts.url && *l->opts.url;
	if (!l->on)
		cli_llm_free(l); /* nothing loaded is needed: commands need not free it */
	if (!l->on && !l->off && (l->model || l->vision))
		return cli_usage_error(cmd, "--model and --vision need a model server: give --llm URL "
		                            "or set WUKONG_LLM_URL");
	l->stream = l->on && !json && l->jobs == 1 && isatty(STDOUT_FILENO);
	if (l->stream) {
		l->opts.on_text = to_stdout;
		l->opts.user = l->state;
	}
	return -1;
}

static int is_backend_error(int code)
{
	return code == WK_ENET || code == WK_EHTTP || code == WK_ETIMEOUT || code == WK_EPROTO ||
	       code == WK_ELIMIT;
}

/* After the model was asked: counts the outcome, and says whether to answer
 * extractively instead (1, after a warning) or to return rc as it is (0; *backend = 1
 * when rc is the model server's failure). */
static int settle(const cli_llm *l, int rc, int *backend, const wk_error *err)
{
	if (rc != WK_OK && l->stream && l->state->streamed)
		fputc('\n', stdout); /* end the partial answer's line before the message */
	if (rc == WK_OK || !is_backend_error(rc)) {
		if (rc == WK_OK)
			count(l, 1, NULL);
		return 0;
	}
	count(l, 0, err);
	if (!l->fallback) {
		if (backend)
			*backend = 1;
		return 0;
	}
	fprintf(stderr, "wukong: %s; answering extractively (--fallback extractive)\n",
	        err->message);
	return 1;
}

/* The extractive answer, after the model failed: a fresh selection at the full budget. */
static int fall_back(const wk_index *index, const wk_doc *doc, const char *question,
                     const wk_ask_opts *ask, wk_selection **sel, wk_answer **ans,
                     wk_timing *ms, wk_error *err)
{
	double t0 = wk_cli_now();
	int rc = wk_sample(index, question, ask, sel, err);
	double t1 = wk_cli_now();
	const wk_doc *docs[1] = {doc};
	if (rc == WK_OK)
		rc = wk_answer_extractive(docs, *sel, question, ans, err);
	if (rc == WK_OK)
		(*ans)->mode = "extractive-fallback";
	if (ms) {
		ms->sample += t1 - t0;
		ms->answer += wk_cli_now() - t1;
	}
	return rc;
}

int cli_llm_ask(const cli_llm *l, const wk_index *index, const wk_doc *doc, const char *question,
                const wk_ask_opts *ask, wk_selection **sel, wk_answer **ans, wk_timing *ms,
                int *backend, wk_error *err)
{
	const wk_doc *docs[1] = {doc};
	if (backend)
		*backend = 0;
	if (!l->on) {
		double t0 = wk_cli_now();
		int rc = wk_sample(index, question, ask, sel, err);
		double t1 = wk_cli_now();
		if (rc == WK_OK)
			rc = wk_answer_extractive(docs, *sel, question, ans, err);
		if (ms) {
			ms->sample = t1 - t0;
			ms->answer = wk_cli_now() - t1;
		}
		return rc;
	}
	l->state->streamed = 0;
	wk_error local = {0};
	err = err ? err : &local;
	int rc = server_down(l, err) ? err->code
	       : wk_ask_llm(&l->opts, &index, docs, 1, question, ask, sel, ans, ms, err);
	if (!settle(l, rc, backend, err))
		return rc;
	return fall_back(index, doc, question, ask, sel, ans, ms, err);
}

/* The best-scored items of `sel` within half its tokens (at least one), in document
 * order; items are borrowed. *map[k] is the index in sel of item k. */
static wk_selection *half_selection(const wk_selection *sel, int **map)
{
	wk_selection *h = calloc(1, sizeof *h);
	int *order = calloc((size_t)sel->n + 1, sizeof *order);
	char *keep = calloc((size_t)sel->n + 1, 1);
	h->items = calloc((size_t)sel->n + 1, sizeof *h->items);
	*map = calloc((size_t)sel->n + 1, sizeof **map);
	if (!h || !order || !keep || !h->items || !*map) {
		fprintf(stderr, "wukong: out of memory\n");
		exit(EXIT_ENV);
	}
	for (int i = 0; i < sel->n; i++)
		order[i] = i;
	for (int i = 1; i < sel->n; i++) /* insertion sort by score, best first: n is small */
		for (int j = i; j > 0 && sel->items[order[j]].score > sel->items[order[j - 1]].score; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	int tokens = 0;
	for (int k = 0; k < sel->n; k++) {
		const wk_evidence *e = &sel->items[order[k]];
		if (k > 0 && tokens + e->tokens > sel->tokens / 2)
			continue;
		keep[order[k]] = 1;
		tokens += e->tokens;
	}
	for (int i = 0; i < sel->n; i++)
		if (keep[i]) {
			(*map)[h->n] = i;
			h->items[h->n++] = sel->items[i];
		}
	h->tokens = tokens;
	h->doc_tokens = sel->doc_tokens;
	free(order);
	free(keep);
	return h;
}

/* wk_answer_llm on a given selection; a context-length error gets one more try with
 * the better half of it, and the citations are mapped back to `sel`. */
static int answer_sel(const cli_llm *l, const wk_doc *const *docs, const wk_selection *sel,
                      const char *question, wk_answer **out, wk_error *err)
{
	int rc = wk_answer_llm(&l->opts, docs, sel, question, out, err);
	if (rc != WK_ELIMIT || sel->n == 0)
		return rc;
	int *map;
	wk_selection *half = half_selection(sel, &map);
	rc = wk_answer_llm(&l->opts, docs, half, question, out, err);
	for (int i = 0; rc == WK_OK && i < (*out)->ncited; i++)
		(*out)->cited[i] = map[(*out)->cited[i]];
	free(map);
	free(half->items);
	free(half);
	return rc;
}

int cli_llm_answer(const cli_llm *l, const wk_doc *const *docs, const wk_selection *sel,
                   const char *question, wk_answer **out, int *backend, wk_error *err)
{
	if (backend)
		*backend = 0;
	if (!l->on)
		return wk_answer_extractive(docs, sel, question, out, err);
	wk_error local = {0};
	err = err ? err : &local;
	l->state->streamed = 0;
	int rc = server_down(l, err) ? err->code : answer_sel(l, docs, sel, question, out, err);
	if (!settle(l, rc, backend, err))
		return rc;
	rc = wk_answer_extractive(docs, sel, question, out, err);
	if (rc == WK_OK)
		(*out)->mode = "extractive-fallback";
	return rc;
}

int cli_llm_streamed(const cli_llm *l, const wk_answer *ans)
{
	return l && l->stream && ans && ans->mode && !strcmp(ans->mode, "llm");
}

int cli_llm_fail(const wk_error *err, int backend)
{
	if (!backend)
		return cli_fail(err);
	fprintf(stderr, "wukong: %s\n", err && err->message[0] ? err->message :
	        "the language model failed");
	return EXIT_LLM;
}

/* ---- an ordered pool: workers take the next index, the caller reports in order ---- */

typedef struct pool {
	int n, next;
	char *finished;
	void (*work)(void *ctx, int i);
	void *ctx;
	pthread_mutex_t lock;
	pthread_cond_t changed;
} pool;

static void *pool_worker(void *arg)
{
	pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		int i = p->next < p->n ? p->next++ : -1;
		pthread_mutex_unlock(&p->lock);
		if (i < 0)
			return NULL;
		p->work(p->ctx, i);
		pthread_mutex_lock(&p->lock);
		p->finished[i] = 1;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
}

void cli_run_ordered(int n, int jobs, void (*work)(void *ctx, int i),
                     void (*done)(void *ctx, int i), void *ctx)
{
	if (jobs <= 1 || n <= 1) {
		for (int i = 0; i < n; i++) {
			work(ctx, i);
			done(ctx, i);
		}
		return;
	}
	pool p = {.n = n, .finished = calloc((size_t)n, 1), .work = work, .ctx = ctx};
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.changed, NULL);
	int nthreads = jobs < n ? jobs : n;
	pthread_t *threads = calloc((size_t)nthreads, sizeof *threads);
	if (!p.finished || !threads) {
		fprintf(stderr, "wukong: out of memory\n");
		exit(EXIT_ENV);
	}
	int started = 0;
	while (started < nthreads && pthread_create(&threads[started], NULL, pool_worker, &p) == 0)
		started++; /* fewer workers than asked: the others take the share */
	if (started == 0)
		pool_worker(&p);
	for (int i = 0; i < n; i++) {
		pthread_mutex_lock(&p.lock);
		while (!p.finished[i])
			pthread_cond_wait(&p.changed, &p.lock);
		pthread_mutex_unlock(&p.lock);
		done(ctx, i);
	}
	for (int t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(threads);
	free(p.finished);
	pthread_mutex_destroy(&p.lock);
	pthread_cond_destroy(&p.changed);
}

/* batch.c: wk_ask_batch: many questions about one source, `jobs` at once, reported in
 * order. Workers take the next question; the calling thread reports each as soon as it
 * and all before it are done. */
#include "../util/util.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct batch {
	wk_asker *asker;
	const wk_ask_source *src;
	const char *const *questions;
	int n, next;
	int *rc;
	wk_ask_result **results;
	wk_error *errs;
	char *finished;
	pthread_mutex_t lock;
	pthread_cond_t changed;
} batch;

static void ask_one(batch *b, int i)
{
	b->rc[i] = wk_ask(b->asker, b->src, b->questions[i], NULL, &b->results[i], &b->errs[i]);
}

static void *worker(void *arg)
{
	batch *b = arg;
	for (;;) {
		pthread_mutex_lock(&b->lock);
		int i = b->next < b->n ? b->next++ : -1;
		pthread_mutex_unlock(&b->lock);
		if (i < 0)
			return NULL;
		ask_one(b, i);
		pthread_mutex_lock(&b->lock);
		b->finished[i] = 1;
		pthread_cond_broadcast(&b->changed);
		pthread_mutex_unlock(&b->lock);
	}
}

static void report(batch *b, int i, wk_ask_done_fn done, void *user)
{
	done(user, i, b->rc[i], b->results[i], &b->errs[i]);
	wk_ask_result_free(b->results[i]);
	b->results[i] = NULL;
}

/* Starts up to jobs workers; returns how many started (0: the caller works alone). */
static int start(batch *b, pthread_t *threads, int jobs)
{
	int started = 0;
	while (started < jobs && pthread_create(&threads[started], NULL, worker, b) == 0)
		started++;
	return started;
}

void wk_ask_batch(wk_asker *asker, const wk_ask_source *src, const char *const *questions,
                  int n, int jobs, wk_ask_done_fn done, void *user)
{
	if (n <= 0)
		return;
	batch b = {.asker = asker, .src = src, .questions = questions, .n = n};
	b.rc = wk_xcalloc((size_t)n, sizeof *b.rc);
	b.results = wk_xcalloc((size_t)n, sizeof *b.results);
	b.errs = wk_xcalloc((size_t)n, sizeof *b.errs);
	b.finished = wk_xcalloc((size_t)n, 1);
	pthread_mutex_init(&b.lock, NULL);
	pthread_cond_init(&b.changed, NULL);
	jobs = jobs < 1 ? 1 : jobs > n ? n : jobs;
	pthread_t *threads = wk_xcalloc((size_t)jobs, sizeof *threads);
	int started = jobs > 1 ? start(&b, threads, jobs) : 0;
	for (int i = 0; i < n; i++) {
		if (!started) { /* one job (or no thread could start): in this thread, in order */
			ask_one(&b, i);
			report(&b, i, done, user);
			continue;
		}
		pthread_mutex_lock(&b.lock);
		while (!b.finished[i])
			pthread_cond_wait(&b.changed, &b.lock);
		pthread_mutex_unlock(&b.lock);
		report(&b, i, done, user);
	}
	for (int t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(threads);
	free(b.rc);
	free(b.results);
	free(b.errs);
	free(b.finished);
	pthread_mutex_destroy(&b.lock);
	pthread_cond_destroy(&b.changed);
}

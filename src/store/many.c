/* many.c: adding many files: parse threads, each with its own store handle (SQLite
 * connections belong to one thread), and one writer, the calling thread.
 *
 * Workers take files in order and hand back parsed jobs; the writer commits them as they
 * come. At most WINDOW x jobs files are in flight, so memory stays bounded however many
 * files there are. */
#include "add.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WINDOW 2
#define TICK_MS 200

typedef struct slot {
	wk_add_job job;
	int rc;
	wk_error err;
	long last_page; /* pages of this file counted so far */
} slot;

typedef struct pool {
	const char *const *paths;
	int n;
	slot *slots;
	const wk_add_opts *opts;
	wk_parse_opts parse;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int next;       /* next file to take */
	int committed;  /* files written (or failed) */
	int *ready;     /* finished files waiting for the writer, FIFO */
	int head, tail;
	int window;
	int stop;       /* the library failed: take no more files */
	int embed_ok, embed_failed; /* documents embedded, and failed (add --embed) */
	wk_error embed_first;       /* the first failure, given to the rest once down */
	atomic_long pages;
} pool;

typedef struct worker {
	pool *pool;
	wk_store *store;
	pthread_t thread;
	int current;
} worker;

static void on_page(void *user, int done, int total)
{
	(void)total;
	worker *w = user;
	slot *s = &w->pool->slots[w->current];
	atomic_fetch_add(&w->pool->pages, (long)done - s->last_page);
	s->last_page = done;
}

static int take(pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (!p->stop && p->next < p->n && p->next - p->committed >= p->window)
		pthread_cond_wait(&p->cv, &p->mu);
	int i = p->stop || p->next >= p->n ? -1 : p->next++;
	pthread_mutex_unlock(&p->mu);
	return i;
}

/* The job's unit vectors, unless the embedding server is taken for down: 3 failures
 * without a success (the ask service's rule), then every other file gets the first
 * failure at once instead of waiting through its own retries. */
static void embed(pool *p, wk_store *store, slot *s)
{
	pthread_mutex_lock(&p->mu);
	int down = p->embed_ok == 0 && p->embed_failed >= 3;
	pthread_mutex_unlock(&p->mu);
	if (down) {
		s->job.embed_rc = p->embed_first.code;
		s->job.embed_err = p->embed_first;
		return;
	}
	wk_add_embed(store, &s->job, p->opts->embed);
	pthread_mutex_lock(&p->mu);
	if (s->job.embed_rc && p->embed_failed++ == 0)
		p->embed_first = s->job.embed_err;
	else if (!s->job.embed_rc && s->job.vec)
		p->embed_ok++;
	pthread_mutex_unlock(&p->mu);
}

static void *work(void *arg)
{
	worker *w = arg;
	pool *p = w->pool;
	wk_parse_opts opts = p->parse;
	opts.on_page = on_page;
	opts.user = w;
	for (int i; (i = take(p)) >= 0;) {
		slot *s = &p->slots[i];
		w->current = i;
		s->job.path = p->paths[i];
		s->job.replace_path = 1;
		s->rc = wk_add_prepare(w->store, &s->job, &opts, &s->err);
		if (!s->rc && p->opts->embed)
			embed(p, w->store, s);
		pthread_mutex_lock(&p->mu);
		p->ready[p->tail++] = i;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/* Waits for the next parsed file, calling on_tick while waiting; -1 when all are done. */
static int next_ready(pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->head == p->tail && p->committed + (p->tail - p->head) < p->n) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += TICK_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		if (pthread_cond_timedwait(&p->cv, &p->mu, &until) && p->opts->on_tick) {
			int done = p->committed;
			pthread_mutex_unlock(&p->mu);
			p->opts->on_tick(p->opts->user, done, atomic_load(&p->pages));
			pthread_mutex_lock(&p->mu);
		}
		if (p->stop && p->head == p->tail && p->next <= p->committed)
			break;
	}
	int i = p->head < p->tail ? p->ready[p->head++] : -1;
	pthread_mutex_unlock(&p->mu);
	return i;
}

/* The vectors embedded for a committed file, stored under its document, and reported. */
static void store_vectors(pool *p, wk_store *store, slot *s)
{
	int rc = s->job.embed_rc;
	wk_error err = s->job.embed_err;
	if (!rc)
		rc = wk_add_store_vectors(store, &s->job, p->opts->embed, &err);
	if (p->opts->on_embed)
		p->opts->on_embed(p->opts->user, p->paths[s - p->slots], rc ? 0 : s->job.vec ? s->job.nvec : 0,
		                  rc, &err);
}

/* Writes one parsed file and reports it; returns the library's error, if it failed. */
static int commit(pool *p, wk_store *store, int i, int *failed, wk_error *err)
{
	slot *s = &p->slots[i];
	int fatal = WK_OK;
	if (!s->rc) {
		s->rc = wk_add_commit(store, &s->job, &s->err);
		if (s->rc == WK_EDB || s->rc == WK_EIO)
			fatal = s->rc;
	}
	if (s->rc)
		(*failed)++;
	else if (p->opts->embed)
		store_vectors(p, store, s);
	if (p->opts->on_file)
		p->opts->on_file(p->opts->user, p->paths[i], s->rc, s->job.status, &s->job.info,
		                 &s->err);
	if (fatal && err)
		*err = s->err;
	wk_add_job_clear(&s->job);
	pthread_mutex_lock(&p->mu);
	p->committed++;
	p->stop |= fatal != WK_OK;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return fatal;
}

static int start_workers(wk_library *lib, pool *p, worker *w, int jobs, wk_error *err)
{
	for (int t = 0; t < jobs; t++) {
		w[t].pool = p;
		int rc = lib->store->ops->clone(lib->store, &w[t].store, err);
		if (!rc && pthread_create(&w[t].thread, NULL, work, &w[t]))
			rc = wk_set_error(err, WK_EINTERNAL, "cannot start a parse thread");
		if (rc) {
			if (w[t].store)
				w[t].store->ops->close(w[t].store);
			w[t].store = NULL;
			return t ? WK_OK : rc; /* fewer workers is slower, not wrong */
		}
	}
	return WK_OK;
}

static void run(wk_library *lib, pool *p, int *failed, int *fatal, wk_error *err)
{
	for (int i; (i = next_ready(p)) >= 0;) {
		int rc = commit(p, lib->store, i, failed, err);
		if (rc && !*fatal)
			*fatal = rc;
	}
}

int wk_library_add_many(wk_library *lib, const char *const *paths, int n,
                        const wk_add_opts *opts, int *failed, wk_error *err)
{
	int nfailed = 0, fatal = WK_OK;
	if (failed)
		*failed = 0;
	if (!lib || !opts || n < 0 || (n && !paths))
		return wk_set_error(err, WK_EINVAL, "no library, options or files to add");
	int jobs = opts->jobs > 0 ? WK_MIN(opts->jobs, 64) : 1;
	pool p = {.paths = paths, .n = n, .opts = opts, .window = WINDOW * jobs};
	if (opts->parse)
		p.parse = *opts->parse;
	else
		wk_parse_opts_init(&p.parse);
	p.slots = wk_xcalloc((size_t)n + 1, sizeof *p.slots);
	p.ready = wk_xcalloc((size_t)n + 1, sizeof *p.ready);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	worker *w = wk_xcalloc((size_t)jobs, sizeof *w);
	int rc = start_workers(lib, &p, w, jobs, err);
	if (!rc)
		run(lib, &p, &nfailed, &fatal, err);
	for (int t = 0; t < jobs; t++) {
		if (!w[t].store)
			continue;
		pthread_join(w[t].thread, NULL);
		w[t].store->ops->close(w[t].store);
	}
	for (int i = 0; i < n; i++) /* files parsed but never written after a fatal error */
		wk_add_job_clear(&p.slots[i].job);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	free(w);
	free(p.slots);
	free(p.ready);
	if (failed)
		*failed = nfailed;
	return rc ? rc : fatal;
}

/* pool.c: library handles for concurrent requests. A wk_library (one SQLite connection
 * and whatever it caches) belongs to one thread at a time, so each request borrows one;
 * SQLite in WAL mode lets the handles read side by side while one writes. */
#include "serve.h"

#include <stdlib.h>

struct wk_lib_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	char *db_path;
	int max, opened, nfree;
	wk_library **free_list; /* max entries */
};

int wk_pool_new(const char *db_path, int max_handles, wk_lib_pool **out, wk_error *err)
{
	*out = NULL;
	wk_library *first;
	int rc = wk_library_open(db_path, &first, err);
	if (rc)
		return rc;
	wk_lib_pool *pool = wk_xcalloc(1, sizeof *pool);
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->freed, NULL);
	pool->db_path = db_path ? wk_xstrdup(db_path) : NULL;
	pool->max = max_handles > 0 ? max_handles : 1;
	pool->free_list = wk_xcalloc((size_t)pool->max, sizeof *pool->free_list);
	pool->free_list[pool->nfree++] = first;
	pool->opened = 1;
	*out = pool;
	return WK_OK;
}

void wk_pool_free(wk_lib_pool *pool)
{
	if (!pool)
		return;
	for (int i = 0; i < pool->nfree; i++)
		wk_library_close(pool->free_list[i]);
	pthread_mutex_destroy(&pool->lock);
	pthread_cond_destroy(&pool->freed);
	free(pool->free_list);
	free(pool->db_path);
	free(pool);
}

int wk_pool_get(wk_lib_pool *pool, wk_library **lib, wk_error *err)
{
	*lib = NULL;
	pthread_mutex_lock(&pool->lock);
	while (pool->nfree == 0 && pool->opened >= pool->max)
		pthread_cond_wait(&pool->freed, &pool->lock);
	if (pool->nfree > 0) {
		*lib = pool->free_list[--pool->nfree];
		pthread_mutex_unlock(&pool->lock);
		return WK_OK;
	}
	pool->opened++; /* reserve the slot, open outside the lock */
	pthread_mutex_unlock(&pool->lock);
	int rc = wk_library_open(pool->db_path, lib, err);
	if (rc) {
		pthread_mutex_lock(&pool->lock);
		pool->opened--;
		pthread_cond_signal(&pool->freed);
		pthread_mutex_unlock(&pool->lock);
	}
	return rc;
}

void wk_pool_put(wk_lib_pool *pool, wk_library *lib)
{
	if (!lib)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->free_list[pool->nfree++] = lib;
	pthread_cond_signal(&pool->freed);
	pthread_mutex_unlock(&pool->lock);
}

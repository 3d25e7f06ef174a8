/* context.c: a MuPDF base context with pthread locks and an allocator that counts the
 * bytes in use and refuses allocations past a cap, so that MuPDF throws instead of the
 * process growing without bound. */
#include "context.h"

#include <stdlib.h>
#include <string.h>

/* Every block carries its size in front, 16 bytes to keep malloc's alignment. */
enum { HEADER = 16 };

static bool reserve(wk_mupdf *m, size_t n)
{
	size_t now = atomic_fetch_add(&m->used, n) + n;
	if (m->cap && now > m->cap) {
		atomic_fetch_sub(&m->used, n);
		atomic_store(&m->cap_hit, 1);
		return false;
	}
	size_t peak = atomic_load(&m->peak);
	while (now > peak && !atomic_compare_exchange_weak(&m->peak, &peak, now))
		;
	return true;
}

static void *cap_malloc(void *user, size_t size)
{
	wk_mupdf *m = user;
	if (size > SIZE_MAX - HEADER || !reserve(m, size + HEADER))
		return NULL;
	unsigned char *p = malloc(size + HEADER);
	if (!p) {
		atomic_fetch_sub(&m->used, size + HEADER);
		return NULL;
	}
	memcpy(p, &size, sizeof size);
	return p + HEADER;
}

static void cap_free(void *user, void *ptr)
{
	wk_mupdf *m = user;
	if (!ptr)
		return;
	unsigned char *p = (unsigned char *)ptr - HEADER;
	size_t size;
	memcpy(&size, p, sizeof size);
	atomic_fetch_sub(&m->used, size + HEADER);
	free(p);
}

static void *cap_realloc(void *user, void *ptr, size_t size)
{
	wk_mupdf *m = user;
	if (!ptr)
		return cap_malloc(user, size);
	if (size == 0) {
		cap_free(user, ptr);
		return NULL;
	}
	unsigned char *p = (unsigned char *)ptr - HEADER;
	size_t old;
	memcpy(&old, p, sizeof old);
	if (size > SIZE_MAX - HEADER)
		return NULL;
	if (size > old && !reserve(m, size - old))
		return NULL;
	unsigned char *q = realloc(p, size + HEADER);
	if (!q) {
		if (size > old)
			atomic_fetch_sub(&m->used, size - old);
		return NULL;
	}
	if (size < old)
		atomic_fetch_sub(&m->used, old - size);
	memcpy(q, &size, sizeof size);
	return q + HEADER;
}

static void lock(void *user, int n)
{
	pthread_mutex_lock(&((wk_mupdf *)user)->locks[n]);
}

static void unlock(void *user, int n)
{
	pthread_mutex_unlock(&((wk_mupdf *)user)->locks[n]);
}

/* MuPDF's warnings about repaired files would clutter our one-line errors. */
static void quiet(void *user, const char *message)
{
	(void)user;
	(void)message;
}

void wk_mupdf_quiet(fz_context *ctx)
{
	fz_set_warning_callback(ctx, quiet, NULL);
	fz_set_error_callback(ctx, quiet, NULL);
}

int wk_mupdf_init(wk_mupdf *m, size_t cap, size_t store)
{
	memset(m, 0, sizeof *m);
	atomic_init(&m->used, 0);
	atomic_init(&m->peak, 0);
	atomic_init(&m->cap_hit, 0);
	m->cap = cap;
	for (int i = 0; i < FZ_LOCK_MAX; i++)
		pthread_mutex_init(&m->locks[i], NULL);
	m->alloc = (fz_alloc_context){m, cap_malloc, cap_realloc, cap_free};
	m->lock_ctx = (fz_locks_context){m, lock, unlock};
	m->ctx = fz_new_context(&m->alloc, &m->lock_ctx, store);
	if (!m->ctx) {
		for (int i = 0; i < FZ_LOCK_MAX; i++)
			pthread_mutex_destroy(&m->locks[i]);
		return WK_ENOMEM;
	}
	wk_mupdf_quiet(m->ctx);
	fz_try(m->ctx) fz_register_document_handlers(m->ctx);
	fz_catch(m->ctx)
	{
		wk_mupdf_drop(m);
		return WK_ENOMEM;
	}
	return WK_OK;
}

void wk_mupdf_drop(wk_mupdf *m)
{
	if (!m || !m->ctx)
		return;
	fz_drop_context(m->ctx);
	m->ctx = NULL;
	for (int i = 0; i < FZ_LOCK_MAX; i++)
		pthread_mutex_destroy(&m->locks[i]);
}

/* context.c: a MuPDF base context with pthread locks and an allocator that counts the
 * bytes in use and refuses allocations past a cap (the document's and a shared one),
 * past a deadline or after a cancel, so that MuPDF throws instead of the process
 * growing or working without bound; and the inflate() guard (see context.h). */
#include "context.h"

#include <dlfcn.h>
#include <mupdf/pdf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <zlib.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1; glibc 2.36's headers lack it */
#endif

enum {
	/* Every block carries its size in front, 16 bytes to keep malloc's alignment. */
	HEADER = 16,
	/* A page's decoded content: a few hundred bytes of nested Flate inflate to gigabytes
	 * that MuPDF's lexer would chew through without looking at the cookie. Real pages
	 * stay under a few MB (a dense scanned-text page with inline images: ~10 MB). */
	CONTENT_MAX = 64 << 20
};

/* The budget of the MuPDF work this thread is doing: set by each allocation (a thread
 * works for one document at a time, and every MuPDF stream is allocated before it is
 * read), cleared when that document's context is dropped. inflate() has no context
 * argument, so this is how a decompression finds its budget. */
static _Thread_local wk_mupdf *current;

wk_budget *wk_budget_new(size_t bytes)
{
	wk_budget *b = wk_xcalloc(1, sizeof *b);
	b->cap = bytes;
	atomic_init(&b->used, 0);
	atomic_init(&b->peak, 0);
	return b;
}

void wk_budget_free(wk_budget *b)
{
	free(b);
}

size_t wk_budget_peak(const wk_budget *b)
{
	return b ? atomic_load(&b->peak) : 0;
}

/* Adds n to a counter under cap (0 = none) and raises its peak; false past the cap. */
static bool charge(atomic_size_t *used, atomic_size_t *peak, size_t cap, size_t n)
{
	size_t now = atomic_fetch_add(used, n) + n;
	if (cap && now > cap) {
		atomic_fetch_sub(used, n);
		return false;
	}
	size_t old = atomic_load(peak);
	while (now > old && !atomic_compare_exchange_weak(peak, &old, now))
		;
	return true;
}

int wk_mupdf_check(wk_mupdf *m)
{
	int stopped = atomic_load(&m->stopped);
	if (stopped != WK_OK)
		return stopped;
	if (m->cancel && __atomic_load_n(m->cancel, __ATOMIC_RELAXED))
		stopped = WK_ECANCELED;
	else if (m->deadline > 0 && wk_now_ms() > wk_mupdf_deadline(m))
		stopped = WK_ETIMEOUT;
	if (stopped != WK_OK)
		atomic_store(&m->stopped, stopped);
	return stopped;
}

static void release(wk_mupdf *m, size_t n)
{
	atomic_fetch_sub(&m->used, n);
	if (m->shared)
		atomic_fetch_sub(&m->shared->used, n);
}

/* The clock and the cancel flag are read once every CHECK_EVERY allocations of a thread
 * (MuPDF allocates some thousands of times per millisecond, so a deadline is still met
 * within a fraction of a millisecond): reading the clock at each allocation cost 4% of
 * a parse (perf, bench/parse.sh). A refusal already recorded is seen at once. */
enum { CHECK_EVERY = 64 };
static _Thread_local unsigned allocations;

static bool reserve(wk_mupdf *m, size_t n)
{
	current = m;
	if (atomic_load_explicit(&m->stopped, memory_order_relaxed) != WK_OK ||
	    (++allocations % CHECK_EVERY == 0 && wk_mupdf_check(m) != WK_OK))
		return false;
	if (!charge(&m->used, &m->peak, m->cap, n)) {
		atomic_store(&m->cap_hit, 1);
		return false;
	}
	if (m->shared && !charge(&m->shared->used, &m->shared->peak, m->shared->cap, n)) {
		atomic_fetch_sub(&m->used, n);
		atomic_store(&m->cap_hit, 1);
		return false;
	}
	return true;
}

static void *cap_malloc(void *user, size_t size)
{
	wk_mupdf *m = user;
	if (size > SIZE_MAX - HEADER || !reserve(m, size + HEADER))
		return NULL;
	unsigned char *p = malloc(size + HEADER);
	if (!p) {
		release(m, size + HEADER);
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
	release(m, size + HEADER);
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
			release(m, size - old);
		return NULL;
	}
	if (size < old)
		release(m, old - size);
	memcpy(q, &size, sizeof size);
	return q + HEADER;
}

/* MuPDF's JPEG 2000 decoder hands OpenJPEG its context through a process-wide variable
 * that only FZ_LOCK_FREETYPE guards ("any fz_lock/fz_unlock handlers must be shared
 * between all the fz_contexts in use at a time", load-jpx.c); two workers decoding at
 * once with locks of their own crashed (a mmlongbench brochure, --threads 2). A lock
 * shared by the whole process, though, was taken twice per glyph by every worker (glyph
 * bounds and advances), and two workers on two cores spent more time passing it back
 * and forth than the second one saved. So each context family keeps its FreeType lock
 * (each has its own FreeType library) and every JPEG 2000 decode in the process is
 * serialised here instead: the link wraps MuPDF's two entries into its decoder
 * (Makefile: -Wl,--wrap), the only code that reaches OpenJPEG. fz_load_jpx_info is not
 * in MuPDF's headers: its signature is 1.21's (load-jpx.c). */
static pthread_mutex_t jpx_lock = PTHREAD_MUTEX_INITIALIZER;

fz_pixmap *__real_fz_load_jpx(fz_context *ctx, const unsigned char *data, size_t size, fz_colorspace *cs);
fz_pixmap *__wrap_fz_load_jpx(fz_context *ctx, const unsigned char *data, size_t size, fz_colorspace *cs);
void __real_fz_load_jpx_info(fz_context *ctx, const unsigned char *data, size_t size, int *w, int *h,
                             int *xres, int *yres, fz_colorspace **cs);
void __wrap_fz_load_jpx_info(fz_context *ctx, const unsigned char *data, size_t size, int *w, int *h,
                             int *xres, int *yres, fz_colorspace **cs);

fz_pixmap *__wrap_fz_load_jpx(fz_context *ctx, const unsigned char *data, size_t size, fz_colorspace *cs)
{
	fz_pixmap *pix = NULL;
	fz_var(pix);
	pthread_mutex_lock(&jpx_lock);
	fz_try(ctx) pix = __real_fz_load_jpx(ctx, data, size, cs);
	fz_always(ctx) pthread_mutex_unlock(&jpx_lock);
	fz_catch(ctx) fz_rethrow(ctx);
	return pix;
}

void __wrap_fz_load_jpx_info(fz_context *ctx, const unsigned char *data, size_t size, int *w, int *h,
                             int *xres, int *yres, fz_colorspace **cs)
{
	pthread_mutex_lock(&jpx_lock);
	fz_try(ctx) __real_fz_load_jpx_info(ctx, data, size, w, h, xres, yres, cs);
	fz_always(ctx) pthread_mutex_unlock(&jpx_lock);
	fz_catch(ctx) fz_rethrow(ctx);
}

/* MuPDF takes a lock around every allocation, free, reference count and glyph: with one
 * worker alone on the context family (worker.c) that was 7% of a parse for nothing. */
static void lock(void *user, int n)
{
	wk_mupdf *m = user;
	if (!m->solo)
		pthread_mutex_lock(&m->locks[n]);
}

static void unlock(void *user, int n)
{
	wk_mupdf *m = user;
	if (!m->solo)
		pthread_mutex_unlock(&m->locks[n]);
}

/* A worker's own context (worker.c) shares no store, glyph cache or FreeType library
 * with any other, and only its worker's thread uses it: nothing to lock or unlock. */
static void own_lock(void *user, int n)
{
	(void)user;
	(void)n;
}

fz_context *wk_mupdf_new_own(wk_mupdf *m, size_t store)
{
	fz_context *ctx = fz_new_context(&m->alloc, &m->own_locks, store);
	if (!ctx)
		return NULL;
	wk_mupdf_quiet(ctx);
	fz_try(ctx) fz_register_document_handlers(ctx);
	fz_catch(ctx)
	{
		fz_drop_context(ctx);
		return NULL;
	}
	return ctx;
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
	atomic_init(&m->stopped, WK_OK);
	m->cap = cap;
	for (int i = 0; i < FZ_LOCK_MAX; i++)
		pthread_mutex_init(&m->locks[i], NULL);
	m->alloc = (fz_alloc_context){m, cap_malloc, cap_realloc, cap_free};
	m->lock_ctx = (fz_locks_context){m, lock, unlock};
	m->own_locks = (fz_locks_context){m, own_lock, own_lock};
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

void wk_mupdf_limit(wk_mupdf *m, double deadline, const volatile int *cancel,
                    wk_budget *shared)
{
	m->deadline = deadline;
	m->cancel = cancel;
	/* What the context already holds is charged too, so that drop balances. */
	if (shared) {
		size_t held = atomic_load(&m->used);
		atomic_fetch_add(&shared->used, held);
		m->shared = shared;
	}
}

int wk_mupdf_left_ms(int fallback)
{
	wk_mupdf *m = current;
	if (!m)
		return fallback;
	if (wk_mupdf_check(m) != WK_OK)
		return 0;
	if (m->deadline <= 0)
		return fallback;
	double left = wk_mupdf_deadline(m) - wk_now_ms();
	return left < fallback ? (int)left : fallback;
}

void wk_mupdf_grant(wk_mupdf *m, double seconds)
{
	long long ms = (long long)(seconds * 1000), old = atomic_load(&m->granted_ms);
	if (m->deadline <= 0 || ms <= 0)
		return;
	while (old < MUPDF_GRANT_MAX_S * 1000LL &&
	       !atomic_compare_exchange_weak(&m->granted_ms, &old,
	                                     WK_MIN(old + ms, MUPDF_GRANT_MAX_S * 1000LL)))
		;
}

double wk_mupdf_deadline(wk_mupdf *m)
{
	return m->deadline > 0 ? m->deadline + (double)atomic_load(&m->granted_ms) : 0;
}

int wk_mupdf_budget_error(wk_mupdf *m, const char *name, double timeout, wk_error *err)
{
	int stopped = atomic_load(&m->stopped);
	long long granted = atomic_load(&m->granted_ms);
	if (stopped == WK_ETIMEOUT && granted > 0)
		return wk_set_error(err, WK_ETIMEOUT, "%s: timed out after %g s (%g s, and %g s for "
		                    "its pages needing OCR)", name, timeout + (double)granted / 1000,
		                    timeout, (double)granted / 1000);
	if (stopped == WK_ETIMEOUT)
		return wk_set_error(err, WK_ETIMEOUT, "%s: timed out after %g s", name, timeout);
	if (stopped == WK_ECANCELED)
		return wk_set_error(err, WK_ECANCELED, "%s: canceled", name);
	/* The cap is a limit the input hit (exit 2, HTTP 422), not a failure of the machine. */
	if (atomic_load(&m->cap_hit)) {
		if (m->shared && m->shared->cap && (!m->cap || m->shared->cap <= m->cap))
			return wk_set_error(err, WK_ELIMIT, "%s: memory budget of %zu MB reached (raise --max-memory)",
			                    name, m->shared->cap >> 20);
		return wk_set_error(err, WK_ELIMIT, "%s: memory cap of %zu MB reached (raise --max-memory)",
		                    name, m->cap >> 20);
	}
	return WK_OK;
}

/* Decompression inside a budget is checked before each call: MuPDF's Flate filter asks
 * for at most 4 KB of output per call and throws on Z_MEM_ERROR. Outside a budget (other
 * threads, other libraries) this is zlib's inflate unchanged. */
typedef int (*inflate_fn)(z_streamp, int);
static inflate_fn real_inflate;
static pthread_once_t inflate_once = PTHREAD_ONCE_INIT;

static void find_inflate(void)
{
	real_inflate = (inflate_fn)dlsym(RTLD_NEXT, "inflate");
}

int inflate(z_streamp strm, int flush)
{
	pthread_once(&inflate_once, find_inflate);
	if (!real_inflate)
		return Z_STREAM_ERROR;
	wk_mupdf *m = current;
	if (m && wk_mupdf_check(m) != WK_OK) {
		strm->msg = (char *)"stopped: the document's time budget is spent";
		return Z_MEM_ERROR;
	}
	return real_inflate(strm, flush);
}

void wk_page_check(fz_context *ctx, wk_mupdf *m, fz_page *fzpage, bool *limit_hit)
{
	pdf_page *pp = pdf_page_from_fz_page(ctx, fzpage);
	if (!pp)
		return;
	if (!pdf_is_dict(ctx, pp->obj))
		fz_throw(ctx, FZ_ERROR_GENERIC, "page object missing or damaged");
	fz_stream *stm = pdf_open_contents_stream(ctx, pp->doc, pdf_page_contents(ctx, pp));
	size_t total = 0, n;
	unsigned char buf[65536];
	fz_try(ctx)
	{
		while (total <= CONTENT_MAX && (n = fz_read(ctx, stm, buf, sizeof buf)) > 0) {
			total += n;
			if (wk_mupdf_check(m) != WK_OK)
				fz_throw(ctx, FZ_ERROR_ABORT, "aborted");
		}
	}
	fz_always(ctx) fz_drop_stream(ctx, stm);
	fz_catch(ctx) fz_rethrow(ctx);
	if (total > CONTENT_MAX) {
		*limit_hit = true;
		fz_throw(ctx, FZ_ERROR_GENERIC, "content stream larger than %d MB", CONTENT_MAX >> 20);
	}
}

void wk_mupdf_drop(wk_mupdf *m)
{
	if (!m || !m->ctx)
		return;
	fz_drop_context(m->ctx);
	m->ctx = NULL;
	if (current == m)
		current = NULL;
	if (m->shared) /* blocks MuPDF never gave back (none unless it leaks) */
		atomic_fetch_sub(&m->shared->used, atomic_load(&m->used));
	for (int i = 0; i < FZ_LOCK_MAX; i++)
		pthread_mutex_destroy(&m->locks[i]);
}

void *wk_mupdf_take_buffer(fz_context *ctx, fz_buffer *buf, size_t *len)
{
	unsigned char *data;
	size_t n = fz_buffer_storage(ctx, buf, &data);
	void *copy = malloc(n ? n : 1);
	if (copy) {
		memcpy(copy, data, n);
		*len = n;
	}
	return copy;
}

/* A parse touches a few MB of fresh heap per document (MuPDF's text pages, our arenas),
 * and each 4 KB page of it costs a page fault: on this machine's virtual CPUs ~12 us
 * each, 40% of all faults of a parse. Transparent huge pages (the kernel's "madvise"
 * mode, Debian's default) fault 2 MB at a time: glibc does this under the tunable
 * glibc.malloc.hugetlb=1, which a program cannot set for itself, hence this. The heap is
 * found in /proc/self/maps as the mapping holding a fresh allocation, with the reserved
 * (PROT_NONE) rest that follows it, into which the heap grows: glibc's thread heaps are
 * 64 MB reservations aligned to 64 MB, so whole huge pages fit. */
void wk_heap_prefer_huge_pages(void)
{
	void *probe = malloc(64);
	FILE *maps = probe ? fopen("/proc/self/maps", "re") : NULL;
	uintptr_t p = (uintptr_t)probe, start = 0, used_end = 0, end = 0;
	char line[4096];
	while (maps && fgets(line, sizeof line, maps)) {
		unsigned long a, b;
		char perms[8];
		if (sscanf(line, "%lx-%lx %7s", &a, &b, perms) != 3)
			continue;
		if (end) { /* the line after the heap's */
			if (a == end && strcmp(perms, "---p") == 0)
				end = b;
			break;
		}
		if (p >= a && p < b)
			start = a, used_end = end = b;
	}
	if (maps)
		fclose(maps);
	free(probe);
	if (end <= start)
		return;
	madvise((void *)start, end - start, MADV_HUGEPAGE);
	/* The heap's first 2 MB already has small pages (the allocations so far), which the
	 * advice does not change: MADV_COLLAPSE (Linux 6.1) makes them one huge page now. */
	uintptr_t huge = (uintptr_t)2 << 20, block = (start + huge - 1) & ~(huge - 1);
	if (block + huge <= used_end)
		madvise((void *)block, huge, MADV_COLLAPSE);
}

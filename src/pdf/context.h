/* context.h: MuPDF contexts for the parser: thread-safe (pthread locks, one clone per
 * worker) and with a cap on the memory MuPDF may hold. Internal to src/pdf/. */
#ifndef WK_PDF_CONTEXT_H
#define WK_PDF_CONTEXT_H

#include <mupdf/fitz.h>
#include <pthread.h>
#include <stdatomic.h>

#include "../util/util.h"

/* The base context and what it needs to live: its allocator's counters and its locks.
 * Must not move in memory after wk_mupdf_init (MuPDF keeps pointers to it). */
typedef struct wk_mupdf {
	fz_context *ctx;
	size_t cap;               /* bytes; 0 = no cap */
	atomic_size_t used, peak; /* bytes MuPDF holds now, and at most */
	atomic_int cap_hit;       /* an allocation was refused because of the cap */
	pthread_mutex_t locks[FZ_LOCK_MAX];
	fz_alloc_context alloc;
	fz_locks_context lock_ctx;
} wk_mupdf;

/* Creates the base context, quiet, with document handlers registered; `store` is the
 * size of MuPDF's cache of fonts and images. Returns WK_OK or WK_ENOMEM. */
int wk_mupdf_init(wk_mupdf *m, size_t cap, size_t store);
/* Drops the base context (its clones must be dropped first). NULL-safe. */
void wk_mupdf_drop(wk_mupdf *m);
/* Silences MuPDF's warnings and error prints on a context (clones too need it). */
void wk_mupdf_quiet(fz_context *ctx);

#endif

/* context.h: MuPDF contexts for the parser and the renderer: thread-safe (pthread locks,
 * one clone per worker) and held to one budget per document: a cap on the memory MuPDF
 * may hold (also charged to a budget shared with other documents, a server's), a
 * deadline and a cancel flag. Internal to src/pdf/.
 *
 * Where the budget is enforced, so that no work escapes it:
 * - every MuPDF allocation (objects, object streams, fonts, CMaps, images, display
 *   lists, text pages) goes through our allocator, which refuses it past the cap, past
 *   the deadline or after a cancel; MuPDF then throws;
 * - every call to zlib's inflate() made while a budget is current on the thread is
 *   checked first (inflate is interposed below): decompression that never allocates,
 *   such as lexing a gigabyte of blanks from an object stream or a nested Flate bomb,
 *   is stopped within one 4 KB output buffer of the deadline;
 * - our own loops over content (the content cap in worker.c) call wk_mupdf_check;
 * - pages run with a cookie that the watching thread aborts. */
#ifndef WK_PDF_CONTEXT_H
#define WK_PDF_CONTEXT_H

#include <mupdf/fitz.h>
#include <pthread.h>
#include <stdatomic.h>

#include "../util/util.h"

/* Time granted to one document for its OCR pages, in all (wk_mupdf_grant): a ceiling,
 * so that ten thousand noise images cannot hold a server's upload slot for days. */
enum { MUPDF_GRANT_MAX_S = 3600 };

/* A memory budget shared by several documents (wukong.h: wk_budget_new). */
struct wk_budget {
	size_t cap;               /* bytes; 0 = no cap */
	atomic_size_t used, peak; /* bytes held now by all its documents, and at most */
};

/* The base context and what it needs to live: its allocator's counters and its locks.
 * Must not move in memory after wk_mupdf_init (MuPDF keeps pointers to it). */
typedef struct wk_mupdf {
	fz_context *ctx;
	size_t cap;               /* bytes; 0 = no cap */
	atomic_size_t used, peak; /* bytes MuPDF holds now, and at most */
	atomic_int cap_hit;       /* an allocation was refused because of a cap */
	wk_budget *shared;        /* also charged; NULL = none */
	double deadline;          /* wk_now_ms() past which everything is refused; 0 = none */
	atomic_llong granted_ms;  /* added to the deadline since, for pages needing OCR */
	const volatile int *cancel; /* everything is refused once *cancel != 0; may be NULL */
	atomic_int stopped;       /* WK_OK, or WK_ETIMEOUT / WK_ECANCELED once refused */
	bool solo;                /* one thread alone runs this context and its clones (set
	                           * between pthread_create and join only): no locking */
	pthread_mutex_t locks[FZ_LOCK_MAX];
	fz_alloc_context alloc;
	fz_locks_context lock_ctx;
	fz_locks_context own_locks; /* of contexts made by wk_mupdf_new_own */
} wk_mupdf;

/* A malloc'd copy of buf's bytes, their count in *len (the caller frees it with wk_free):
 * MuPDF's buffer lives in the document's budget, the copy outlives the context. NULL when
 * malloc fails. */
void *wk_mupdf_take_buffer(fz_context *ctx, fz_buffer *buf, size_t *len);

/* Creates the base context, quiet, with document handlers registered; `store` is the
 * size of MuPDF's cache of fonts and images. Returns WK_OK or WK_ENOMEM. */
int wk_mupdf_init(wk_mupdf *m, size_t cap, size_t store);
/* A context of its own on m's allocator and budget (a worker that opens the document
 * again): it shares no store or cache with m's, so it takes no lock but the one MuPDF
 * needs across the whole process. Quiet, handlers registered; NULL when out of memory. */
fz_context *wk_mupdf_new_own(wk_mupdf *m, size_t store);
/* Sets the deadline (0 = none), the cancel flag and the shared budget (NULL = none)
 * before any work starts. */
void wk_mupdf_limit(wk_mupdf *m, double deadline, const volatile int *cancel,
                    wk_budget *shared);
/* Moves the deadline (if any) `seconds` later, up to MUPDF_GRANT_MAX_S in all: a page that
 * needs OCR costs a hundred times a text page, so a timeout sized for text would refuse
 * every scan. Any thread may call it. */
void wk_mupdf_grant(wk_mupdf *m, double seconds);
/* The deadline now (wk_now_ms() scale, grants included); 0 = none. */
double wk_mupdf_deadline(wk_mupdf *m);
/* WK_OK while the work may go on, else WK_ETIMEOUT or WK_ECANCELED (and from then on). */
int wk_mupdf_check(wk_mupdf *m);
/* Milliseconds left of the budget of the document this thread works for (the thread's
 * last MuPDF allocation tells which), for work outside MuPDF such as Tesseract's;
 * `fallback` when there is no deadline. 0 when it is spent or canceled. */
int wk_mupdf_left_ms(int fallback);
/* The error for work that failed while the budget was spent (deadline, cancel or cap),
 * with `timeout` for the message; WK_OK when the budget is not the cause. */
int wk_mupdf_budget_error(wk_mupdf *m, const char *name, double timeout, wk_error *err);
/* Refuses a page whose object is gone (MuPDF would give an empty page) or whose content
 * decodes past 64 MB (then *limit_hit is set); decodes the content once, within the
 * budget, before anything interprets it. May throw. */
void wk_page_check(fz_context *ctx, wk_mupdf *m, fz_page *fzpage, bool *limit_hit);
/* Drops the base context (its clones must be dropped first). NULL-safe. */
void wk_mupdf_drop(wk_mupdf *m);
/* Silences MuPDF's warnings and error prints on a context (clones too need it). */
void wk_mupdf_quiet(fz_context *ctx);
/* Asks the kernel for huge pages behind the calling thread's malloc heap (the memory
 * mapping that holds its allocations, and the reserved rest of it that follows). Does
 * nothing where that cannot be found or the kernel declines. */
void wk_heap_prefer_huge_pages(void);

#endif

/* worker.h: parsing a document's pages in parallel, one MuPDF context clone and one
 * open document per worker, results kept per page so the output does not depend on the
 * number of threads. Internal to src/pdf/. */
#ifndef WK_PDF_WORKER_H
#define WK_PDF_WORKER_H

#include "context.h"
#include "pdf.h"

typedef struct wk_parse_job {
	const char *name;            /* the file, for messages */
	const unsigned char *data;   /* the PDF's bytes (borrowed) */
	size_t len;
	const wk_parse_opts *opts;
	wk_mupdf *mupdf;
	fz_document *doc0;           /* opened with mupdf->ctx; lent to the first worker */
	int first, last;             /* page range, 0-based, inclusive */
	wk_page_out *pages;          /* one per page of the file; the range gets filled */
	const char *stem;            /* file name without folder and ".pdf", for crops */
	double deadline;             /* wk_now_ms() after which the parse fails; 0 = none */
} wk_parse_job;

/* Parses pages first..last. Calls opts->on_page and opts->on_warning from the calling
 * thread, in page order. Returns WK_OK (pages that failed have their status set), or
 * WK_ETIMEOUT / WK_ENOMEM when the whole document must fail. */
int wk_run_pages(wk_parse_job *job, wk_error *err);

/* Releases a page's result. NULL-safe. */
void wk_page_out_clear(wk_page_out *out);

#endif

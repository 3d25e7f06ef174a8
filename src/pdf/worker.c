/* worker.c: the per-page work and the threads that run it.
 *
 * A page: load, structured text (no dehyphenation: MuPDF 1.21 leaks a font reference per
 * hyphen), lines, graphics, OCR when there is no text, figures, layout, crops; then
 * everything but the small wk_page_out is released, so memory stays bounded by the
 * pages in flight. Pages are handed out in order; the calling thread waits, reports
 * progress in page order and enforces the deadline through each worker's cookie.
 *
 * Each worker reads whole pages from a document and a MuPDF context of its own, so that
 * workers share no lock (context.c): MuPDF's interpretation and structured text are
 * three quarters of a page's work, and any split of a page between threads leaves
 * both taking MuPDF's locks (one per allocation, reference and glyph), which cost more
 * than the second thread gave. A second worker loads the fonts again (about a tenth of
 * a paper's page work); that is what two threads pay. */
#include "worker.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mupdf/pdf.h>

#include "graphics.h"
#include "ocr.h"
#include "tee.h"

enum {
	MAX_THREADS = 64,
	/* Fonts and images each extra worker keeps in its own cache. */
	WORKER_STORE = 32 << 20
};

typedef struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int next;     /* next page to hand out */
	bool *done;   /* per page of the file */
	bool stop;
} pool;

typedef struct worker {
	wk_parse_job *job;
	pool *pool;
	fz_context *ctx;
	fz_document *doc;
	fz_cookie cookie;
	wk_ocr *ocr;         /* made on the first page that needs it */
	wk_scratch scratch;  /* lent to each page in turn */
	bool limit_hit;      /* the page failed on a limit of ours, not on damage */
	pthread_t thread;
	bool started;
} worker;

void wk_page_out_clear(wk_page_out *out)
{
	if (!out)
		return;
	wk_arena_free(out->arena);
	memset(out, 0, sizeof *out);
}

void *wk_scratch_zeroed(wk_scratch *s, size_t bytes)
{
	if (!s)
		return wk_xcalloc(1, bytes);
	if (bytes > s->cap) {
		free(s->data);
		s->data = wk_xmalloc(bytes);
		s->cap = bytes;
	}
	memset(s->data, 0, bytes);
	return s->data;
}

void wk_scratch_release(const wk_scratch *s, void *p)
{
	if (!s)
		free(p);
}

static char *copy_str(wk_arena *a, const char *s)
{
	return wk_arena_strdup(a, s);
}

/* Keeps what the document pass needs from a page; the page itself is then freed. */
static void keep_figures(const wk_page *page, wk_page_out *out)
{
	out->nfigures = page->nfigures;
	out->figures = wk_arena_alloc(out->arena, sizeof(wk_figure) * (size_t)WK_MAX(page->nfigures, 1));
	for (int i = 0; i < page->nfigures; i++) {
		const wk_figure *f = &page->figures[i];
		wk_figure *g = &out->figures[i];
		*g = *f;
		g->label = copy_str(out->arena, f->label);
		g->caption = copy_str(out->arena, f->caption);
		g->figure_text = copy_str(out->arena, f->figure_text);
		g->image = copy_str(out->arena, f->image);
		g->table = wk_table_copy(out->arena, f->table);
	}
}

/* Usable text: some letters or digits outside rotated margins. */
static bool page_has_text(const wk_page *page)
{
	int alnum = 0;
	for (int i = 0; i < page->nlines && alnum < 8; i++) {
		if (page->lines[i].flags & WK_LINE_FURNITURE)
			continue;
		for (const unsigned char *p = (const unsigned char *)page->lines[i].text; *p; p++)
			alnum += isalnum(*p) || *p >= 0x80;
	}
	return alnum >= 8 || (alnum > 0 && page->nimages == 0);
}

/* Text and graphics from one interpretation of the page's contents: a tee feeds the
 * structured-text device and the graphics collector; annotations and widgets then go to
 * the text device alone (the collector never looked at them). May throw. */
static void extract_text_and_graphics(fz_context *ctx, fz_page *fzpage, wk_page *page,
                                      fz_cookie *cookie)
{
	fz_stext_page *stext = NULL;
	fz_device *text = NULL, *gfx = NULL, *tee = NULL;
	fz_var(stext);
	fz_var(text);
	fz_var(gfx);
	fz_var(tee);
	fz_try(ctx)
	{
		fz_rect bounds = fz_bound_page(ctx, fzpage);
		stext = fz_new_stext_page(ctx, bounds);
		fz_stext_options so = {FZ_STEXT_MEDIABOX_CLIP, 1};
		text = fz_new_stext_device(ctx, stext, &so);
		gfx = wk_graphics_device_new(ctx, bounds);
		tee = wk_new_tee_device(ctx, text, gfx);
		fz_run_page_contents(ctx, fzpage, tee, fz_identity, cookie);
		fz_run_page_annots(ctx, fzpage, text, fz_identity, cookie);
		fz_run_page_widgets(ctx, fzpage, text, fz_identity, cookie);
		fz_close_device(ctx, tee);
		fz_close_device(ctx, text);
		fz_close_device(ctx, gfx);
		if (cookie->abort)
			fz_throw(ctx, FZ_ERROR_ABORT, "aborted");
		wk_extract_lines(ctx, stext, page);
		wk_graphics_device_finish(ctx, gfx, page);
	}
	fz_always(ctx)
	{
		fz_drop_device(ctx, tee);
		fz_drop_device(ctx, gfx);
		fz_drop_device(ctx, text);
		fz_drop_stext_page(ctx, stext);
	}
	fz_catch(ctx) fz_rethrow(ctx);
}

/* MuPDF's part of a page: text, graphics, OCR. May throw. */
static void read_page(worker *w, fz_page *fzpage, wk_page *page, wk_page_out *out)
{
	fz_context *ctx = w->ctx;
	const wk_parse_opts *opts = w->job->opts;
	wk_page_check(ctx, w->job->mupdf, fzpage, &w->limit_hit);
	fz_rect bounds = fz_bound_page(ctx, fzpage);
	page->width = out->width = bounds.x1 - bounds.x0;
	page->height = out->height = bounds.y1 - bounds.y0;
	if (opts->ocr != WK_OCR_ALWAYS)
		extract_text_and_graphics(ctx, fzpage, page, &w->cookie);
	else
		wk_collect_graphics(ctx, fzpage, page, &w->cookie);
	if (w->cookie.abort)
		fz_throw(ctx, FZ_ERROR_ABORT, "aborted");
	if (!page_has_text(page) && opts->ocr != WK_OCR_NEVER) {
		page->nlines = 0;
		wk_error oerr;
		if (!w->ocr)
			w->ocr = wk_ocr_new();
		wk_mupdf_grant(w->job->mupdf, opts->ocr_page_timeout);
		if (wk_ocr_page(w->ocr, ctx, fzpage, page, opts->ocr_lang ? opts->ocr_lang : "eng", &oerr) == WK_OK)
			page->ocr = true;
	}
	out->ocr = page->ocr;
	out->has_text = page_has_text(page);
	out->unread = !out->has_text && opts->ocr == WK_OCR_NEVER && page->nimages > 0;
}

/* Everything between the loaded page and its blocks. May throw. */
static void analyse_page(worker *w, fz_page *fzpage, wk_page *page, wk_page_out *out)
{
	const wk_parse_opts *opts = w->job->opts;
	read_page(w, fzpage, page, out);
	wk_page_find_figures(page);
	if (opts->figures_dir && page->nfigures > 0)
		wk_write_figure_crops(w->ctx, fzpage, page, opts->figures_dir, w->job->stem, opts->dpi);
	keep_figures(page, out);
	wk_layout_page(page, out);
}

static int error_code(fz_context *ctx, const worker *w)
{
	int code = fz_caught(ctx);
	if (atomic_load(&w->job->mupdf->stopped) == WK_OK &&
	    (code == FZ_ERROR_MEMORY || atomic_load(&w->job->mupdf->cap_hit)))
		return WK_ENOMEM;
	int stopped = atomic_load(&w->job->mupdf->stopped);
	if (stopped != WK_OK)
		return stopped;
	if (code == FZ_ERROR_ABORT || w->cookie.abort)
		return WK_ETIMEOUT;
	return w->limit_hit ? WK_ELIMIT : WK_EDAMAGED;
}

static void mark_done(pool *p, int index)
{
	pthread_mutex_lock(&p->mu);
	p->done[index] = true;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void free_page(wk_page *page)
{
	wk_arena_free(page->arena);
	free(page);
}

/* Reads page `index`, analyses it and marks it done. */
static void process_page(worker *w, int index)
{
	fz_context *ctx = w->ctx;
	wk_page_out *out = &w->job->pages[index];
	out->number = index + 1;
	out->arena = wk_arena_new();
	wk_page *page = wk_xcalloc(1, sizeof *page);
	*page = (wk_page){.number = index + 1, .arena = wk_arena_new(), .scratch = &w->scratch};
	fz_page *fzpage = NULL;
	fz_var(fzpage);
	w->limit_hit = false;
	fz_try(ctx)
	{
		fzpage = fz_load_page(ctx, w->doc, index);
		analyse_page(w, fzpage, page, out);
	}
	fz_always(ctx) fz_drop_page(ctx, fzpage);
	fz_catch(ctx)
	{
		out->status = error_code(ctx, w);
		char msg[400];
		snprintf(msg, sizeof msg, "%s: page %d: %s", w->job->name, index + 1, fz_caught_message(ctx));
		out->message = copy_str(out->arena, msg);
		out->nblocks = out->nfigures = 0;
	}
	free_page(page);
	mark_done(w->pool, index);
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	pool *p = w->pool;
	wk_heap_prefer_huge_pages();
	for (;;) {
		pthread_mutex_lock(&p->mu);
		int index = p->stop || p->next > w->job->last ? -1 : p->next++;
		pthread_mutex_unlock(&p->mu);
		if (index < 0)
			break;
		process_page(w, index);
	}
	return NULL;
}

/* Each extra worker opens the document again: MuPDF documents are not shared between
 * threads without holding a lock around every call. */
static fz_document *open_again(fz_context *ctx, const wk_parse_job *job)
{
	fz_document *doc = NULL;
	fz_stream *stm = NULL;
	fz_var(doc);
	fz_var(stm);
	fz_try(ctx)
	{
		stm = fz_open_memory(ctx, job->data, job->len);
		doc = fz_open_document_with_stream(ctx, "application/pdf", stm);
		if (fz_needs_password(ctx, doc))
			fz_authenticate_password(ctx, doc, job->opts->password ? job->opts->password : "");
	}
	fz_always(ctx) fz_drop_stream(ctx, stm);
	fz_catch(ctx)
	{
		fz_drop_document(ctx, doc);
		doc = NULL;
	}
	return doc;
}

/* The first worker uses a clone of the base context (it reads doc0, which belongs to the
 * base context's cache). The others open the document again anyway, so they get contexts
 * of their own: clones share the locks that MuPDF takes around every allocation,
 * reference count and glyph, and with two workers on two cores those locks made two
 * threads slower than one (bench/parse.sh). Own contexts share nothing but the allocator,
 * whose counters are atomic (context.c). False when out of memory or the document cannot
 * be opened again. */
static bool open_worker(worker *w, int i)
{
	w->ctx = i == 0 ? fz_clone_context(w->job->mupdf->ctx) : wk_mupdf_new_own(w->job->mupdf, WORKER_STORE);
	if (!w->ctx)
		return false;
	wk_mupdf_quiet(w->ctx);
	w->doc = i == 0 ? w->job->doc0 : open_again(w->ctx, w->job);
	if (w->doc)
		return true;
	fz_drop_context(w->ctx);
	w->ctx = NULL;
	return false;
}

static int start_workers(wk_parse_job *job, pool *p, worker *ws, int n)
{
	int started = 0;
	for (int i = 0; i < n; i++) {
		worker *w = &ws[i];
		*w = (worker){.job = job, .pool = p};
		if (!open_worker(w, i))
			continue;
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			if (i > 0 && w->ctx)
				fz_drop_document(w->ctx, w->doc);
			if (w->ctx)
				fz_drop_context(w->ctx);
			w->ctx = NULL;
			continue;
		}
		w->started = true;
		started++;
	}
	return started;
}

static void stop_workers(worker *ws, int n)
{
	for (int i = 0; i < n; i++) {
		if (!ws[i].started)
			continue;
		pthread_join(ws[i].thread, NULL);
		if (i > 0 && ws[i].ctx)
			fz_drop_document(ws[i].ctx, ws[i].doc);
		if (ws[i].ctx)
			fz_drop_context(ws[i].ctx);
		wk_ocr_drop(ws[i].ocr);
		free(ws[i].scratch.data);
	}
}

static void abort_all(pool *p, worker *ws, int n)
{
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < n; i++)
		ws[i].cookie.abort = 1;
}

static void report(wk_parse_job *job, int index)
{
	const wk_parse_opts *o = job->opts;
	const wk_page_out *out = &job->pages[index];
	if (out->status != WK_OK && out->status != WK_ETIMEOUT && o->on_warning)
		o->on_warning(o->user, out->message ? out->message : "page failed");
	if (o->on_page)
		o->on_page(o->user, index - job->first + 1, job->last - job->first + 1);
}

/* The calling thread: waits for pages in order, reports them, watches the clock. */
static int watch(wk_parse_job *job, pool *p, worker *ws, int n)
{
	int next = job->first, code = WK_OK;
	while (next <= job->last) {
		double deadline = wk_mupdf_deadline(job->mupdf); /* OCR pages move it */
		if ((deadline && wk_now_ms() > deadline) || wk_mupdf_check(job->mupdf) != WK_OK) {
			code = job->mupdf->cancel && *job->mupdf->cancel ? WK_ECANCELED : WK_ETIMEOUT;
			atomic_store(&job->mupdf->stopped, code);
			abort_all(p, ws, n);
			break;
		}
		pthread_mutex_lock(&p->mu);
		if (!p->done[next]) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 20 * 1000000L;
			if (ts.tv_nsec >= 1000000000L)
				ts.tv_sec++, ts.tv_nsec -= 1000000000L;
			pthread_cond_timedwait(&p->cv, &p->mu, &ts);
		}
		bool ready = p->done[next];
		pthread_mutex_unlock(&p->mu);
		if (ready)
			report(job, next++);
	}
	return code;
}

/* With OCR off, scanned pages of a document that has text elsewhere are left empty:
 * one notice says which, so that nobody mistakes them for blank pages. (A document with
 * no text at all fails with its own message.) */
static void notice_unread(const wk_parse_job *job)
{
	const wk_parse_opts *o = job->opts;
	int unread = 0, text = 0;
	char list[160] = "";
	size_t len = 0;
	for (int i = job->first; i <= job->last; i++) {
		const wk_page_out *out = &job->pages[i];
		text += out->status == WK_OK && out->has_text;
		if (out->status != WK_OK || !out->unread)
			continue;
		if (len + 16 < sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", unread ? ", " : "", i + 1);
		else if (len + 5 < sizeof list && list[len - 1] != '.')
			len += (size_t)snprintf(list + len, sizeof list - len, ", ...");
		unread++;
	}
	if (!unread || !text || !o->on_warning)
		return;
	char msg[400];
	snprintf(msg, sizeof msg, "%s: %d page%s without a text layer not read, OCR is off "
	         "(--ocr never): %s", job->name, unread, unread > 1 ? "s" : "", list);
	o->on_warning(o->user, msg);
}

int wk_run_pages(wk_parse_job *job, wk_error *err)
{
	int count = job->last - job->first + 1;
	int n = job->opts->threads < 1 ? 1 : WK_MIN(job->opts->threads, MAX_THREADS);
	n = WK_MIN(n, count);
	pool p = {.next = job->first};
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	p.done = wk_xcalloc((size_t)job->last + 1, sizeof(bool));
	worker *ws = wk_xcalloc((size_t)n, sizeof(worker));
	int code = WK_OK;
	wk_heap_prefer_huge_pages(); /* the document pass and the JSON allocate here */
	/* Only the first worker uses the base context and its clone (the others have their
	 * own, the watcher never calls MuPDF): that family needs no locks. */
	job->mupdf->solo = true;
	if (start_workers(job, &p, ws, n) == 0)
		code = wk_set_error(err, WK_ENOMEM, "%s: cannot start the parser", job->name);
	else
		code = watch(job, &p, ws, n);
	stop_workers(ws, n);
	job->mupdf->solo = false;
	if (code == WK_OK)
		notice_unread(job);
	for (int i = job->first; code == WK_OK && i <= job->last; i++)
		if (job->pages[i].status == WK_ENOMEM || job->pages[i].status == WK_ETIMEOUT ||
		    job->pages[i].status == WK_ECANCELED)
			code = job->pages[i].status;
	int stopped_code = code;
	if (code != WK_OK)
		code = wk_mupdf_budget_error(job->mupdf, job->name, job->opts->timeout, err);
	if (code == WK_OK && stopped_code != WK_OK) /* MuPDF's own malloc failed, no cap */
		code = wk_set_error(err, stopped_code, "%s: %s", job->name, wk_strerror(stopped_code));
	free(ws);
	free(p.done);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return code;
}

/* open.c: wk_parse_file and wk_parse_memory: checks, limits, the MuPDF document, the
 * metadata and outline, then the pages (worker.c) and the document pass (assemble.c). */
#include "ocr.h"
#include "worker.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { STORE_BYTES = 64 << 20, TITLE_MAX = 512, OUTLINE_MAX = 10000, OUTLINE_DEPTH = 32 };

void wk_parse_opts_init(wk_parse_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->threads = 1;
	opts->dpi = 150;
	opts->max_pages = 10000;
	opts->timeout = 600;
	opts->ocr_page_timeout = 30;
	opts->max_memory = (size_t)1 << 30;
	opts->ocr = WK_OCR_AUTO;
	opts->ocr_lang = "eng";
}

static bool looks_like_pdf(const unsigned char *data, size_t len)
{
	size_t n = WK_MIN(len, (size_t)1024);
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(data + i, "%PDF", 4) == 0)
			return true;
	return false;
}

/* Opens the document with the base context: damaged, encrypted, page count. */
static int open_document(wk_parse_job *job, fz_document **out, int *npages, wk_error *err)
{
	fz_context *ctx = job->mupdf->ctx;
	fz_document *doc = NULL;
	fz_stream *stm = NULL;
	int code = WK_OK;
	fz_var(doc);
	fz_var(stm);
	fz_var(code);
	fz_try(ctx)
	{
		stm = fz_open_memory(ctx, job->data, job->len);
		doc = fz_open_document_with_stream(ctx, "application/pdf", stm);
		if (fz_needs_password(ctx, doc) &&
		    !fz_authenticate_password(ctx, doc, job->opts->password ? job->opts->password : ""))
			code = wk_set_error(err, WK_EPASSWORD, "%s: %s", job->name,
			                    job->opts->password ? "wrong password" : "encrypted: a password is needed");
		else
			*npages = fz_count_pages(ctx, doc);
	}
	fz_always(ctx) fz_drop_stream(ctx, stm);
	fz_catch(ctx)
	{
		code = wk_mupdf_budget_error(job->mupdf, job->name, job->opts->timeout, err);
		if (code == WK_OK)
			code = wk_set_error(err, WK_EDAMAGED, "%s: damaged PDF (%s)", job->name,
			                    fz_caught_message(ctx));
	}
	/* MuPDF repairs a file whose reading failed: an allocation refused because the clock
	 * ran out (checked every few allocations) can look like a file without pages. */
	if (code == WK_OK && *npages <= 0 && wk_mupdf_check(job->mupdf) != WK_OK)
		code = wk_mupdf_budget_error(job->mupdf, job->name, job->opts->timeout, err);
	if (code == WK_OK && *npages <= 0)
		code = wk_set_error(err, WK_EDAMAGED, "%s: damaged PDF (no pages)", job->name);
	if (code != WK_OK) {
		fz_drop_document(ctx, doc);
		return code;
	}
	*out = doc;
	return WK_OK;
}

static void read_title(fz_context *ctx, fz_document *fzdoc, wk_doc *doc)
{
	char buf[TITLE_MAX];
	volatile int n = -1;
	fz_try(ctx) n = fz_lookup_metadata(ctx, fzdoc, FZ_META_INFO_TITLE, buf, sizeof buf);
	fz_catch(ctx) n = -1;
	if (n <= 0 || !wk_utf8_valid(buf, strlen(buf)))
		return;
	/* Producers often leave a file name or a placeholder as the title. */
	static const char *const junk[] = {".doc", ".tex", ".dvi", ".pdf", "untitled", "microsoft word", "title", ".indd", ".qxd"};
	for (size_t i = 0; i < WK_ARRAY_LEN(junk); i++)
		if (strcasestr(buf, junk[i]) && (strlen(buf) < 12 || i < 4 || i == 5))
			return;
	char *nfc = wk_utf8_nfc(buf);
	size_t words = 0;
	for (char *p = nfc; p && *p; p++)
		words += *p == ' ';
	if (nfc && strlen(nfc) >= 4 && words >= 1)
		doc->title = wk_doc_str(doc, nfc);
	free(nfc);
}

static void add_outline(fz_context *ctx, fz_document *fzdoc, wk_doc *doc, fz_outline *o, int level)
{
	for (; o && doc->noutline < OUTLINE_MAX && level <= OUTLINE_DEPTH; o = o->next) {
		int page = 0;
		if (o->page.page >= 0)
			page = fz_page_number_from_location(ctx, fzdoc, o->page) + 1;
		char *nfc = o->title ? wk_utf8_nfc(o->title) : NULL;
		wk_doc_add_outline(doc, level, page, nfc ? nfc : "");
		free(nfc);
		add_outline(ctx, fzdoc, doc, o->down, level + 1);
	}
}

static void read_outline(fz_context *ctx, fz_document *fzdoc, wk_doc *doc)
{
	fz_outline *outline = NULL;
	fz_var(outline);
	fz_try(ctx)
	{
		outline = fz_load_outline(ctx, fzdoc);
		add_outline(ctx, fzdoc, doc, outline, 1);
	}
	fz_always(ctx) fz_drop_outline(ctx, outline);
	fz_catch(ctx) { /* an unreadable outline is no reason to fail */ }
}

static int page_range(wk_parse_job *job, int npages, wk_error *err)
{
	const wk_parse_opts *o = job->opts;
	if (npages > o->max_pages && o->max_pages > 0)
		return wk_set_error(err, WK_ELIMIT, "%s: %d pages, more than the limit of %d", job->name,
		                    npages, o->max_pages);
	int first = o->first_page > 0 ? o->first_page : 1;
	int last = o->last_page > 0 ? WK_MIN(o->last_page, npages) : npages;
	if (first > npages || first > last)
		return wk_set_error(err, WK_EINVAL, "%s: page range %d-%d outside 1-%d", job->name,
		                    first, o->last_page > 0 ? o->last_page : npages, npages);
	job->first = first - 1;
	job->last = last - 1;
	return WK_OK;
}

/* The document from the pages' results, or the error that fails it. */
static int finish(wk_parse_job *job, wk_doc *doc, wk_error *err)
{
	int ok = 0, text = 0, first_error = -1;
	for (int i = job->first; i <= job->last; i++) {
		wk_page_out *p = &job->pages[i];
		doc->pages[i].width = p->width;
		doc->pages[i].height = p->height;
		doc->pages[i].status = p->status;
		doc->pages[i].ocr = p->ocr;
		ok += p->status == WK_OK;
		text += p->status == WK_OK && p->has_text;
		if (p->status != WK_OK && first_error < 0)
			first_error = i;
	}
	if (ok == 0) {
		const wk_page_out *p = &job->pages[first_error];
		const char *why = p->message ? p->message : "";
		/* The page message starts with the file name already. */
		if (!strncmp(why, job->name, strlen(job->name)) && why[strlen(job->name)] == ':')
			why += strlen(job->name) + 2;
		return wk_set_error(err, p->status == WK_ELIMIT ? WK_ELIMIT : WK_EDAMAGED,
		                    "%s: no page can be read (%s)", job->name, why);
	}
	/* Pages left unread because Tesseract is not installed: the environment, not the file. */
	if (text == 0 && job->opts->ocr != WK_OCR_NEVER && wk_tess_load(WK_EIO, err) != WK_OK)
		return WK_EIO;
	if (text == 0)
		return wk_set_error(err, WK_ENOTEXT, "%s: no text layer%s", job->name,
		                    job->opts->ocr == WK_OCR_NEVER
		                        ? ", and OCR is off (--ocr never): nothing read; try --ocr auto"
		                        : "");
	wk_assemble(doc, job->pages + job->first, job->last - job->first + 1);
	if (wk_mupdf_check(job->mupdf) != WK_OK)
		return wk_mupdf_budget_error(job->mupdf, job->name, job->opts->timeout, err);
	return WK_OK;
}

static void set_stem(const char *name, char *stem, size_t size)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	snprintf(stem, size, "%s", base);
	size_t n = strlen(stem);
	if (n > 4 && strcasecmp(stem + n - 4, ".pdf") == 0)
		stem[n - 4] = '\0';
	if (!stem[0])
		snprintf(stem, size, "document");
}

static int parse_with(wk_parse_job *job, wk_doc *doc, wk_error *err)
{
	fz_document *fzdoc = NULL;
	int npages = 0;
	int code = open_document(job, &fzdoc, &npages, err);
	if (code != WK_OK)
		return code;
	code = page_range(job, npages, err);
	if (code == WK_OK) {
		wk_doc_set_pages(doc, npages);
		read_title(job->mupdf->ctx, fzdoc, doc);
		read_outline(job->mupdf->ctx, fzdoc, doc);
		wk_read_page_labels(job->mupdf->ctx, fzdoc, doc);
		job->pages = wk_xcalloc((size_t)npages, sizeof(wk_page_out));
		job->doc0 = fzdoc;
		code = wk_run_pages(job, err);
		if (code == WK_OK)
			code = finish(job, doc, err);
		for (int i = 0; i < npages; i++)
			wk_page_out_clear(&job->pages[i]);
		free(job->pages);
	}
	fz_drop_document(job->mupdf->ctx, fzdoc);
	return code;
}

int wk_parse_memory(const void *data, size_t len, const char *name, const wk_parse_opts *opts,
                    wk_doc **out, wk_error *err)
{
	*out = NULL;
	wk_clear_error(err);
	wk_parse_opts defaults;
	if (!opts) {
		wk_parse_opts_init(&defaults);
		opts = &defaults;
	}
	name = name ? name : "document";
	if (!data || len == 0 || !looks_like_pdf(data, len))
		return wk_set_error(err, WK_ENOTPDF, "%s: not a PDF%s", name, len == 0 ? " (empty file)" : "");
	wk_mupdf *m = wk_xcalloc(1, sizeof *m);
	if (wk_mupdf_init(m, opts->max_memory, STORE_BYTES) != WK_OK) {
		free(m);
		return wk_set_error(err, WK_ELIMIT, "%s: memory cap of %zu MB reached (raise --max-memory)", name,
		                    opts->max_memory >> 20);
	}
	char stem[256];
	set_stem(name, stem, sizeof stem);
	wk_parse_job job = {.name = name, .data = data, .len = len, .opts = opts, .mupdf = m, .stem = stem};
	if (opts->timeout > 0)
		job.deadline = wk_now_ms() + opts->timeout * 1000;
	wk_mupdf_limit(m, job.deadline, opts->cancel, opts->shared);
	wk_doc *doc = wk_doc_new();
	doc->path = wk_doc_str(doc, name);
	wk_sha256_hex(data, len, doc->hash);
	int code = parse_with(&job, doc, err);
	wk_mupdf_drop(m);
	free(m);
	if (code != WK_OK) {
		wk_doc_free(doc);
		return code;
	}
	if (!doc->title || !doc->title[0])
		doc->title = wk_doc_str(doc, stem);
	*out = doc;
	return WK_OK;
}

int wk_parse_file(const char *path, const wk_parse_opts *opts, wk_doc **out, wk_error *err)
{
	*out = NULL;
	if (!path || !*path)
		return wk_set_error(err, WK_EINVAL, "no file given");
	/* A FIFO or a device would block or never end: only regular files are read. */
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return wk_set_error(err, WK_EINVAL, "%s: not a regular file", path);
	char *data = NULL;
	size_t len = 0;
	int code = wk_read_file(path, 0, &data, &len, err);
	if (code != WK_OK)
		return code;
	code = wk_parse_memory(data, len, path, opts, out, err);
	free(data);
	return code;
}

int wk_doc_damaged_pages(const wk_doc *doc, char *out, size_t size)
{
	int n = 0;
	size_t len = 0;
	if (size)
		out[0] = '\0';
	for (int i = 0; doc && i < doc->npages; i++) {
		if (doc->pages[i].status == WK_OK)
			continue;
		n++;
		char item[16];
		int k = snprintf(item, sizeof item, "%s%d", len ? ", " : "", i + 1);
		if (len + (size_t)k + 6 < size) {
			memcpy(out + len, item, (size_t)k + 1);
			len += (size_t)k;
		} else if (len + 6 <= size && !strstr(out, "...")) {
			memcpy(out + len, ", ...", 6);
			len += 5;
		}
	}
	return n;
}

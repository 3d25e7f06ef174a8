/* ocr.c: text for pages without a text layer, recognised with Tesseract's C API.
 *
 * The page is rendered grey at twice the resolution of its scan, between 150 and 300 dpi
 * (less for huge pages, so the pixmap stays under a ceiling): Tesseract's layout analysis
 * costs in proportion to the pixels, and a 96-ppi slide rendered at 300 dpi gave it ten
 * times the pixels for no more detail. The image goes to the calling thread's engine
 * (wk_ocr: Tesseract instances are not shareable between threads, and loading the model
 * again for every page cost as much as reading a short slide), and the recognised text lines come back as wk_line
 * values in points, top-left origin. Lines that no confidently read word vouches for are
 * dropped: they are what Tesseract reads in photos.
 * Tesseract has no font information for the LSTM engine, so the font size is estimated
 * from the line geometry and made uniform within each Tesseract paragraph: the layout
 * analysis splits paragraphs on size changes, and per-line estimates jitter. */
#include "ocr.h"
#include "context.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <pthread.h>
#include <tesseract/capi.h>

enum {
	OCR_DPI = 300,
	OCR_MIN_RENDER_DPI = 150,  /* a coarse scan is still enlarged to this */
	OCR_UPSAMPLE = 2,
	OCR_MIN_DPI = 50,          /* below this Tesseract reads nothing useful */
	OCR_MAX_SIDE = 8000,       /* pixels, per side */
	OCR_MAX_PIXELS = 48000000, /* 48 MB grey: the render and Tesseract's copies stay bounded */
	OCR_MAX_LINES = 4000,      /* a 300-dpi page holds a few hundred lines at most */
	OCR_MAX_LINE_BYTES = 4096,
	OCR_DEADLINE_MS = 120000,  /* one page; a crafted image must not stall the document */
	OCR_MIN_CONFIDENCE = 45,   /* below it a word is mostly noise read from a picture */
	OCR_SURE_CONFIDENCE = 80,  /* a word without letters or digits needs this much */
	OCR_LINE_CONFIDENCE = 70,  /* a line needs one word this sure with two letters or digits */
	OCR_RETRY_SCORE = 300,     /* a reading worth fewer characters may be tried again */
	OCR_RETRY_NOISE = 15,      /* ... when it left out this many per 100 characters kept */
	OCR_INK_DELTA = 48,        /* grey levels from the background that count as ink */
	OCR_MIN_INK_PER_MILLE = 1, /* less ink than this (per 2000 pixels) is a blank page */
	OCR_MAX_PICTURES = 16,     /* picture blocks kept per page */
};

/* A picture block smaller than this share of the page (per thousand) is an icon, a
 * bullet or a speck; one larger than this is the page's background, not a picture on
 * it. Read off the image blocks of the three image-only decks of the development set
 * (docs/ocr.md). */
enum { PICTURE_MIN_PER_MILLE = 15, PICTURE_MAX_PER_MILLE = 900 };

/* Where distributions put the traineddata files; TESSDATA_PREFIX comes first. */
static const char *const tessdata_dirs[] = {
	"/usr/share/tesseract-ocr/5/tessdata",
	"/usr/share/tesseract-ocr/4.00/tessdata",
	"/usr/share/tessdata",
	"/usr/local/share/tessdata",
};

/* One recognised line before it joins the page. */
typedef struct ocr_line {
	wk_rect box;
	char *text; /* malloc'd, NFC */
	float size; /* points */
	int para;   /* Tesseract paragraph number on the page */
} ocr_line;

typedef struct ocr_lines {
	ocr_line *items;
	int n, cap;
	float score;   /* characters kept, each weighted by its word's confidence */
	float dropped; /* characters of the words and lines left out as noise */
	wk_rect pictures[OCR_MAX_PICTURES]; /* points, top-left origin */
	int npictures;
} ocr_lines;

struct wk_ocr {
	TessBaseAPI *api; /* NULL until the first page */
	char lang[65];    /* the language api was loaded with */
};

/* Language codes are names of files we open: letters, digits, '_' and '+' only. */
static bool lang_valid(const char *lang)
{
	if (!*lang || strlen(lang) > 64)
		return false;
	for (const char *s = lang; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '+')
			return false;
	return lang[0] != '+';
}

static bool dir_has_langs(const char *dir, const char *lang)
{
	char path[512];
	const char *s = lang;
	while (*s) {
		size_t n = strcspn(s, "+");
		snprintf(path, sizeof path, "%s/%.*s.traineddata", dir, (int)n, s);
		if (n && access(path, R_OK) != 0)
			return false;
		s += n + (s[n] == '+');
	}
	return true;
}

/* Finds a folder holding every traineddata file `lang` needs; NULL when none does. */
static const char *find_tessdata(const char *lang)
{
	const char *env = getenv("TESSDATA_PREFIX");
	if (env && *env && dir_has_langs(env, lang))
		return env;
	for (size_t i = 0; i < WK_ARRAY_LEN(tessdata_dirs); i++)
		if (dir_has_langs(tessdata_dirs[i], lang))
			return tessdata_dirs[i];
	return NULL;
}

/* A device that only looks at the raster images a page draws, to learn the resolution
 * of the largest: rendering a scan finer than it was scanned adds pixels, not detail. */
typedef struct ppi_device {
	fz_device super;
	float area; /* of the largest image seen, square points */
	float ppi;  /* its pixels per inch along its longer side */
} ppi_device;

static void ppi_record(ppi_device *dev, int w, int h, fz_matrix ctm)
{
	fz_rect r = fz_transform_rect(fz_unit_rect, ctm);
	float dx = r.x1 - r.x0, dy = r.y1 - r.y0;
	if (w <= 0 || h <= 0 || dx <= 0 || dy <= 0 || dx * dy <= dev->area)
		return;
	dev->area = dx * dy;
	/* The image's own axes may be rotated on the page: compare longer with longer. */
	dev->ppi = (float)WK_MAX(w, h) / (fmaxf(dx, dy) / 72);
}

static void ppi_fill_image(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm,
                           float alpha, fz_color_params cp)
{
	(void)ctx, (void)alpha, (void)cp;
	ppi_record((ppi_device *)dev, img->w, img->h, ctm);
}

static void ppi_fill_image_mask(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm,
                                fz_colorspace *cs, const float *color, float alpha,
                                fz_color_params cp)
{
	(void)ctx, (void)cs, (void)color, (void)alpha, (void)cp;
	ppi_record((ppi_device *)dev, img->w, img->h, ctm);
}

/* The resolution of the page's largest image, 0 when it draws none. May throw. */
static float native_ppi(fz_context *ctx, fz_page *fzpage)
{
	ppi_device *dev = fz_new_derived_device(ctx, ppi_device);
	dev->super.fill_image = ppi_fill_image;
	dev->super.fill_image_mask = ppi_fill_image_mask;
	float ppi = 0;
	fz_try(ctx)
	{
		fz_run_page_contents(ctx, fzpage, &dev->super, fz_identity, NULL);
		fz_close_device(ctx, &dev->super);
		ppi = dev->ppi;
	}
	fz_always(ctx) fz_drop_device(ctx, &dev->super);
	fz_catch(ctx) fz_rethrow(ctx);
	return ppi;
}

/* The resolution to render at: twice the scan's own (Tesseract finds thin strokes better
 * on a smoothly enlarged image than on the scan's pixels), between OCR_MIN_RENDER_DPI and
 * OCR_DPI, then lowered if the page would exceed the pixel ceilings. */
static float ocr_scale(fz_rect bounds, float ppi)
{
	float w = bounds.x1 - bounds.x0, h = bounds.y1 - bounds.y0;
	float dpi = ppi > 0 ? fminf(fmaxf(ppi * OCR_UPSAMPLE, OCR_MIN_RENDER_DPI), OCR_DPI) : OCR_DPI;
	float s = dpi / 72.0f;
	if (w <= 0 || h <= 0)
		return 0;
	s = fminf(s, OCR_MAX_SIDE / fmaxf(w, h));
	s = fminf(s, sqrtf(OCR_MAX_PIXELS / (w * h)));
	return s;
}

static fz_pixmap *render_grey(fz_context *ctx, fz_page *fzpage, float *scale, wk_page *page,
                              wk_error *err)
{
	fz_pixmap *pix = NULL;
	fz_var(pix);
	fz_try(ctx)
	{
		*scale = ocr_scale(fz_bound_page(ctx, fzpage), native_ppi(ctx, fzpage));
		if (*scale * 72 >= OCR_MIN_DPI)
			pix = fz_new_pixmap_from_page(ctx, fzpage, fz_scale(*scale, *scale),
			                              fz_device_gray(ctx), 0);
	}
	fz_catch(ctx)
	{
		fz_drop_pixmap(ctx, pix);
		wk_set_error(err, WK_ENOTEXT, "page %d: cannot render for OCR: %s", page->number,
		             fz_caught_message(ctx));
		return NULL;
	}
	if (!pix)
		wk_set_error(err, WK_ENOTEXT, "page %d: too large or empty to OCR", page->number);
	return pix;
}

/* A page with (almost) no pixel away from its dominant grey has nothing to read: blank
 * pages and plain backgrounds skip Tesseract, which would spend a second on them. */
static bool pixmap_blank(fz_context *ctx, fz_pixmap *pix)
{
	size_t hist[256] = {0}, ink = 0, total = 0;
	int w = fz_pixmap_width(ctx, pix), h = fz_pixmap_height(ctx, pix);
	ptrdiff_t stride = fz_pixmap_stride(ctx, pix);
	const unsigned char *rows = fz_pixmap_samples(ctx, pix);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			hist[rows[y * stride + x]]++;
	int mode = 0;
	for (int v = 0; v < 256; v++) {
		mode = hist[v] > hist[mode] ? v : mode;
		total += hist[v];
	}
	for (int v = 0; v < 256; v++)
		if (abs(v - mode) > OCR_INK_DELTA)
			ink += hist[v];
	return ink * 2000 < total * OCR_MIN_INK_PER_MILLE;
}

/* The folder holding `lang`'s traineddata, or NULL with err set. */
static const char *tess_data_dir(const char *lang, int page_number, wk_error *err)
{
	if (!lang_valid(lang)) {
		wk_set_error(err, WK_EINVAL, "page %d: bad OCR language '%.64s'", page_number, lang);
		return NULL;
	}
	const char *dir = find_tessdata(lang);
	if (!dir)
		wk_set_error(err, WK_ENOTEXT,
		             "page %d: OCR language '%s' is not installed (no traineddata found; "
		             "set TESSDATA_PREFIX)", page_number, lang);
	return dir;
}

/* Leptonica prints its errors ("Error in pixScanForForeground: invalid box") to stderr
 * when Tesseract meets odd regions; they would interleave with our one-line messages.
 * Its severity is a process-wide setting: set once, when Tesseract is first loaded
 * (tess_load.c: a parse without OCR never loads it). */
static void leptonica_quiet(void)
{
	setMsgSeverity(L_SEVERITY_NONE);
}

static TessBaseAPI *tess_new(const char *dir, const char *lang, int page_number, wk_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	if (wk_tess_load(WK_ENOTEXT, err) != WK_OK)
		return NULL;
	pthread_once(&once, leptonica_quiet);
	TessBaseAPI *api = TessBaseAPICreate();
	if (!api || TessBaseAPIInit3(api, dir, lang) != 0) {
		if (api)
			TessBaseAPIDelete(api);
		wk_set_error(err, WK_ENOTEXT, "page %d: Tesseract cannot load '%s' from %s",
		             page_number, lang, dir);
		return NULL;
	}
	/* Tesseract's diagnostics would interleave with our one-line messages. */
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	/* The API defaults to one uniform block; pages have columns, captions, slides. */
	TessBaseAPISetPageSegMode(api, PSM_AUTO);
	return api;
}

static void lines_free(ocr_lines *lines)
{
	for (int i = 0; i < lines->n; i++)
		free(lines->items[i].text);
	free(lines->items);
	lines->items = NULL;
	lines->n = lines->cap = 0;
	lines->score = 0;
	lines->npictures = 0;
}

/* A word worth keeping was read with some confidence and is not a stray mark. */
static bool word_useful(const char *text, float confidence)
{
	if (confidence < OCR_MIN_CONFIDENCE)
		return false;
	for (const unsigned char *s = (const unsigned char *)text; *s; s++)
		if (isalnum(*s) || *s >= 0x80)
			return true;
	return confidence >= OCR_SURE_CONFIDENCE;
}

/* A word that vouches for its line: two letters or digits, read with confidence. Lines
 * without one are what Tesseract reads in photos and textures ("a % Pa", "ee |"): on the
 * slide decks of the development set every such line was noise. */
static bool word_vouches(const char *text, float confidence)
{
	int alnum = 0;
	for (const unsigned char *s = (const unsigned char *)text; *s; s++)
		alnum += isalnum(*s) || *s >= 0xc0; /* a non-ASCII character counts once */
	return alnum >= 2 && confidence >= OCR_LINE_CONFIDENCE;
}

/* The line's text, trimmed, NFC, at most OCR_MAX_LINE_BYTES; NULL when empty or invalid. */
static char *clean_text(const char *raw)
{
	size_t n = strlen(raw);
	while (n && isspace((unsigned char)raw[n - 1]))
		n--;
	while (n && isspace((unsigned char)*raw))
		raw++, n--;
	if (!n || n > OCR_MAX_LINE_BYTES)
		return NULL;
	char *copy = wk_xstrndup(raw, n);
	char *nfc = wk_utf8_valid(copy, n) ? wk_utf8_nfc(copy) : NULL;
	free(copy);
	return nfc;
}

/* Font size from the ascent (top of the box to the baseline: about 0.72 em for capitals
 * and ascenders), clamped by the full box height (0.9 em with descenders). */
static float size_estimate(const TessPageIterator *it, int top, int bottom, float scale)
{
	int x1, y1, x2, y2;
	float height = (float)(bottom - top);
	float size = height / 0.9f;
	if (TessPageIteratorBaseline(it, RIL_TEXTLINE, &x1, &y1, &x2, &y2)) {
		float ascent = (y1 + y2) / 2.0f - top;
		if (ascent > 0)
			size = fminf(fmaxf(ascent / 0.72f, height * 0.8f), height * 1.6f);
	}
	return size / scale;
}

/* A line being built from the words Tesseract read with enough confidence. */
typedef struct line_builder {
	wk_buf text;
	int l, t, r, b; /* union of the kept words' boxes, pixels */
	int words;
	bool vouched;   /* a kept word vouches for the line (word_vouches) */
	float score;    /* what the line adds to ocr_lines.score if kept */
	float dropped;  /* characters of its words left out */
	float size;     /* points, from the whole line's geometry */
	int para;
} line_builder;

static void builder_start(line_builder *lb, const TessPageIterator *it, float scale, int para)
{
	int l, t, r, b;
	wk_buf_init(&lb->text, OCR_MAX_LINE_BYTES + 1);
	lb->words = 0;
	lb->vouched = false;
	lb->score = 0;
	lb->dropped = 0;
	lb->para = para;
	lb->size = TessPageIteratorBoundingBox(it, RIL_TEXTLINE, &l, &t, &r, &b)
	                   ? size_estimate(it, t, b, scale)
	                   : 0;
}

static void builder_word(line_builder *lb, const TessResultIterator *ri)
{
	const TessPageIterator *it = TessResultIteratorGetPageIteratorConst(ri);
	int l, t, r, b;
	char *word = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
	float conf = TessResultIteratorConfidence(ri, RIL_WORD);
	if (word && word_useful(word, conf) && TessPageIteratorBoundingBox(it, RIL_WORD, &l, &t, &r, &b)) {
		if (lb->words++ == 0) {
			lb->l = l, lb->t = t, lb->r = r, lb->b = b;
		} else {
			wk_buf_putc(&lb->text, ' ');
			lb->l = WK_MIN(lb->l, l), lb->t = WK_MIN(lb->t, t);
			lb->r = WK_MAX(lb->r, r), lb->b = WK_MAX(lb->b, b);
		}
		wk_buf_puts(&lb->text, word);
		lb->score += conf / 100 * (float)strlen(word);
		lb->vouched |= word_vouches(word, conf);
	} else if (word)
		lb->dropped += (float)strlen(word);
	TessDeleteText(word);
}

static void builder_finish(line_builder *lb, ocr_lines *lines, fz_pixmap *pix, float scale)
{
	char *text = lb->words && lb->vouched && !lb->text.full && lines->n < OCR_MAX_LINES
	                     ? clean_text(wk_buf_cstr(&lb->text))
	                     : NULL;
	wk_buf_free(&lb->text);
	lb->words = 0;
	lines->dropped += lb->dropped + (text ? 0 : lb->score);
	if (!text)
		return;
	lines->items = wk_grow(lines->items, &lines->cap, lines->n + 1, sizeof *lines->items);
	ocr_line *line = &lines->items[lines->n++];
	lines->score += lb->score;
	line->box = (wk_rect){(lb->l + pix->x) / scale, (lb->t + pix->y) / scale,
	                      (lb->r + pix->x) / scale, (lb->b + pix->y) / scale};
	line->text = text;
	line->size = lb->size > 0 ? lb->size : (lb->b - lb->t) / 0.9f / scale;
	line->para = lb->para;
}

/* Walks the result word by word, building lines from the words worth keeping. */
static void collect_lines(TessBaseAPI *api, fz_pixmap *pix, float scale, ocr_lines *lines)
{
	TessResultIterator *ri = TessBaseAPIGetIterator(api);
	if (!ri)
		return;
	line_builder lb = {0};
	int para = -1;
	bool open = false;
	do {
		const TessPageIterator *it = TessResultIteratorGetPageIteratorConst(ri);
		if (TessPageIteratorIsAtBeginningOf(it, RIL_PARA))
			para++;
		if (TessPageIteratorIsAtBeginningOf(it, RIL_TEXTLINE)) {
			if (open)
				builder_finish(&lb, lines, pix, scale);
			builder_start(&lb, it, scale, WK_MAX(para, 0));
			open = true;
		}
		if (open)
			builder_word(&lb, ri);
	} while (TessResultIteratorNext(ri, RIL_WORD));
	if (open)
		builder_finish(&lb, lines, pix, scale);
	TessResultIteratorDelete(ri);
}

static bool picture_block(TessPolyBlockType type)
{
	return type == PT_FLOWING_IMAGE || type == PT_HEADING_IMAGE || type == PT_PULLOUT_IMAGE;
}

/* A band across the whole width at the top or bottom edge of the page is the colour
 * behind a slide's title or footer, not a picture: on the development decks every such
 * block held the title's text and nothing else. */
static bool edge_band(int l, int t, int r, int b, int w, int h)
{
	int margin = w / 100 + 1;
	bool across = l <= margin && r >= w - margin;
	bool at_edge = t <= h / 100 + 1 || b >= h - h / 100 - 1;
	return across && at_edge && (b - t) * 3 < h;
}

/* The blocks Tesseract's layout analysis took for pictures (photos, drawings, charts),
 * which it reads no text from: a question about what the page shows needs to know that
 * they are there. Sizes between the PICTURE_ bounds only. */
static void collect_pictures(TessBaseAPI *api, fz_pixmap *pix, float scale, ocr_lines *lines)
{
	TessResultIterator *ri = TessBaseAPIGetIterator(api);
	if (!ri)
		return;
	TessPageIterator *it = TessResultIteratorGetPageIterator(ri);
	float page_area = (float)pix->w * (float)pix->h;
	do {
		int l, t, r, b;
		if (!picture_block(TessPageIteratorBlockType(it)) ||
		    !TessPageIteratorBoundingBox(it, RIL_BLOCK, &l, &t, &r, &b))
			continue;
		float share = (float)(r - l) * (float)(b - t) / page_area * 1000;
		if (share < PICTURE_MIN_PER_MILLE || share > PICTURE_MAX_PER_MILLE ||
		    edge_band(l, t, r, b, pix->w, pix->h) || lines->npictures == OCR_MAX_PICTURES)
			continue;
		lines->pictures[lines->npictures++] =
		        (wk_rect){(l + pix->x) / scale, (t + pix->y) / scale, (r + pix->x) / scale,
		                  (b + pix->y) / scale};
	} while (TessPageIteratorNext(it, RIL_BLOCK));
	TessResultIteratorDelete(ri);
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* Gives every line of a paragraph the paragraph's median size, rounded to 0.5 pt. */
static void even_sizes(ocr_lines *lines)
{
	float *sizes = wk_xmalloc(sizeof *sizes * (size_t)WK_MAX(lines->n, 1));
	for (int i = 0; i < lines->n;) {
		int j = i;
		while (j < lines->n && lines->items[j].para == lines->items[i].para)
			sizes[j - i] = lines->items[j].size, j++;
		qsort(sizes, (size_t)(j - i), sizeof *sizes, cmp_float);
		float median = roundf(sizes[(j - i) / 2] * 2) / 2;
		for (int k = i; k < j; k++)
			lines->items[k].size = median;
		i = j;
	}
	free(sizes);
}

/* Index of the pseudo-font OCR lines use, added to the page's font table. */
static int ocr_font(wk_page *page)
{
	wk_font_info *fonts = wk_arena_alloc(page->arena, sizeof *fonts * (size_t)(page->nfonts + 1));
	if (page->nfonts)
		memcpy(fonts, page->fonts, sizeof *fonts * (size_t)page->nfonts);
	fonts[page->nfonts] = (wk_font_info){.name = wk_arena_strdup(page->arena, "OCR")};
	page->fonts = fonts;
	return page->nfonts++;
}

/* Appends the recognised lines to page->lines (in the page's arena). */
static void page_append(wk_page *page, const ocr_lines *lines)
{
	int font = ocr_font(page);
	int base_block = 0;
	for (int i = 0; i < page->nlines; i++)
		base_block = WK_MAX(base_block, page->lines[i].block + 1);
	wk_line *all = wk_arena_alloc(page->arena, sizeof *all * (size_t)(page->nlines + lines->n));
	if (page->nlines)
		memcpy(all, page->lines, sizeof *all * (size_t)page->nlines);
	for (int i = 0; i < lines->n; i++) {
		const ocr_line *src = &lines->items[i];
		all[page->nlines + i] = (wk_line){
			.box = src->box,
			.text = wk_arena_strdup(page->arena, src->text),
			.size = src->size,
			.font = font,
			.block = base_block + src->para,
		};
	}
	page->lines = all;
	page->nlines += lines->n;
	page->ocr = true;
}

/* Gives the page the pictures found, even when no text was: a page that is one
 * drawing is still a figure. */
static void pictures_append(wk_page *page, const ocr_lines *lines)
{
	if (lines->npictures == 0)
		return;
	size_t bytes = sizeof *page->pictures * (size_t)lines->npictures;
	page->pictures = wk_arena_alloc(page->arena, bytes);
	memcpy(page->pictures, lines->pictures, bytes);
	page->npictures = lines->npictures;
	page->ocr = true;
}

/* Debian's Tesseract computes the LSTM's gates in OpenMP regions that ask for 4 threads
 * (a num_threads clause, which omp_set_num_threads alone cannot lower), one region per
 * time step, and its threads spin at each region's barrier. Beside a second page being
 * read, or any other busy process, those threads wait for cores that are not theirs:
 * two pages read at once took 2.0x the CPU per page, and one page with two OpenMP threads
 * on a busy machine 8x the CPU and 2.9x the time of one thread (bench/ocr.sh,
 * docs/robustness.md). libgomp lowers a region's threads only under dynamic adjustment,
 * and then to the smaller of the calling thread's nthreads setting and the cores minus the
 * 15-minute load average, which lags a burst of work by minutes. So every page is read on
 * one thread (both settings belong to the calling thread, set before each recognition),
 * and the cores go to pages read in parallel (--threads), which scale without spinning.
 * The program is not built with OpenMP, so libgomp's functions are declared here; they
 * are found in the libgomp that Tesseract loads (tess_load.c). */
void omp_set_dynamic(int dynamic);
void omp_set_num_threads(int threads);

/* One recognition of the page with the given binarisation (Tesseract's
 * thresholding_method: 0 global Otsu, 1 adaptive Otsu). */
static int recognise(TessBaseAPI *api, fz_context *ctx, fz_pixmap *pix, float scale,
                     const char *threshold, ocr_lines *lines)
{
	TessBaseAPISetVariable(api, "thresholding_method", threshold);
	TessBaseAPISetImage(api, fz_pixmap_samples(ctx, pix), fz_pixmap_width(ctx, pix),
	                    fz_pixmap_height(ctx, pix), 1, fz_pixmap_stride(ctx, pix));
	TessBaseAPISetSourceResolution(api, (int)lroundf(scale * 72));
	omp_set_dynamic(1);
	omp_set_num_threads(1);
	ETEXT_DESC *monitor = TessMonitorCreate();
	/* Tesseract works outside MuPDF's budget: it gets what is left of the document's time. */
	TessMonitorSetDeadlineMSecs(monitor, WK_MAX(1, wk_mupdf_left_ms(OCR_DEADLINE_MS)));
	int rc = TessBaseAPIRecognize(api, monitor);
	TessMonitorDelete(monitor);
	if (rc == 0) {
		collect_lines(api, pix, scale, lines);
		collect_pictures(api, pix, scale, lines);
	}
	return rc;
}

/* Global binarisation reads clean pages best; light text on photos and dark slide
 * backgrounds needs the adaptive one, so a page that gave little, and left out noise
 * while giving it, is read again that way and the better reading (more confidently read
 * characters) is kept. A slide with a few clean words gives little too, but the second
 * reading never did better there: on the 25 slides of a development deck 22 were read
 * twice, and every one read cleanly the first time (nothing left out) kept its first
 * reading; the retry doubled their cost. */
static int recognise_best(TessBaseAPI *api, fz_context *ctx, fz_pixmap *pix, float scale,
                          ocr_lines *lines)
{
	int rc = recognise(api, ctx, pix, scale, "0", lines);
	if (lines->score >= OCR_RETRY_SCORE || lines->dropped * 100 < lines->score * OCR_RETRY_NOISE)
		return rc;
	ocr_lines second = {0};
	int rc2 = recognise(api, ctx, pix, scale, "1", &second);
	if (rc2 == 0 && second.score > lines->score) {
		lines_free(lines);
		*lines = second;
		return rc2;
	}
	lines_free(&second);
	return rc;
}

wk_ocr *wk_ocr_new(void)
{
	return wk_xcalloc(1, sizeof(wk_ocr));
}

void wk_ocr_drop(wk_ocr *ocr)
{
	if (!ocr)
		return;
	if (ocr->api) {
		TessBaseAPIEnd(ocr->api);
		TessBaseAPIDelete(ocr->api);
	}
	free(ocr);
}

/* The engine's Tesseract instance for `lang`, loaded when missing or of another
 * language; NULL with err set when it cannot load. */
static TessBaseAPI *engine_api(wk_ocr *ocr, const char *dir, const char *lang, int page_number,
                               wk_error *err)
{
	if (ocr->api && !strcmp(ocr->lang, lang))
		return ocr->api;
	if (ocr->api) {
		TessBaseAPIEnd(ocr->api);
		TessBaseAPIDelete(ocr->api);
	}
	ocr->api = tess_new(dir, lang, page_number, err);
	snprintf(ocr->lang, sizeof ocr->lang, "%s", ocr->api ? lang : "");
	return ocr->api;
}

/* Recognises the rendered page into `lines`: WK_OK or WK_ENOTEXT with err set. */
static int read_pixmap(wk_ocr *ocr, fz_context *ctx, fz_pixmap *pix, float scale,
                       const char *dir, const char *lang, int page_number, ocr_lines *lines,
                       wk_error *err)
{
	if (pixmap_blank(ctx, pix))
		return wk_set_error(err, WK_ENOTEXT, "page %d: blank, nothing to read", page_number);
	TessBaseAPI *api = engine_api(ocr, dir, lang, page_number, err);
	if (!api)
		return err->code;
	int rc = recognise_best(api, ctx, pix, scale, lines);
	/* The engine outlives the page: let go of its image and results now. */
	TessBaseAPIClear(api);
	if (rc != 0 || lines->n == 0)
		return wk_set_error(err, WK_ENOTEXT, "page %d: %s", page_number,
		                    rc != 0 ? "OCR failed or ran out of time" : "OCR found no text");
	return WK_OK;
}

static int ocr_with(wk_ocr *ocr, fz_context *ctx, fz_page *fzpage, wk_page *page,
                    const char *lang, wk_error *err)
{
	const char *dir = tess_data_dir(lang, page->number, err);
	if (!dir)
		return err->code;
	float scale = 0;
	fz_pixmap *pix = render_grey(ctx, fzpage, &scale, page, err);
	if (!pix)
		return err->code;
	ocr_lines lines = {0};
	int rc = read_pixmap(ocr, ctx, pix, scale, dir, lang, page->number, &lines, err);
	fz_drop_pixmap(ctx, pix);
	if (rc == WK_OK) {
		even_sizes(&lines);
		page_append(page, &lines);
	}
	pictures_append(page, &lines);
	lines_free(&lines);
	return rc;
}

int wk_ocr_page(wk_ocr *ocr, fz_context *ctx, fz_page *fzpage, wk_page *page, const char *lang,
                wk_error *err)
{
	wk_error local;
	if (!err)
		err = &local;
	if (!ctx || !fzpage || !page)
		return wk_set_error(err, WK_EINVAL, "OCR: no page");
	wk_ocr *own = ocr ? NULL : wk_ocr_new();
	int rc = ocr_with(ocr ? ocr : own, ctx, fzpage, page, lang ? lang : "eng", err);
	wk_ocr_drop(own);
	return rc;
}

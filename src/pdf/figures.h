/* figures.h: the parts of the figure and table finder shared by its files (figures.c,
 * regions.c) and the tests. Pure geometry and text, no MuPDF. Internal to src/pdf/. */
#ifndef WK_PDF_FIGURES_H
#define WK_PDF_FIGURES_H

#include "captions.h"

enum { WK_FIG_MAX_CAPTION_LINES = 40 };

/* What the finder knows about the page before it looks for regions. */
typedef struct wk_fig_page {
	wk_page *page;
	float body_size;     /* the dominant font size */
	float col_width;     /* a typical full line of body text */
	float left, right;   /* where body text starts and ends */
	float mid;           /* the middle of the page */
	float gutter0, gutter1; /* where the left column ends and the right one starts */
	bool two_col;
	unsigned char *body; /* per line: non-zero when it is body text (a stopper for regions):
	                        1 a long line, 2 a paragraph's end, 3 a heading, 4 a piece of a
	                        line split at its word gaps */
	unsigned char *framed; /* per line: inside a drawn frame or on an image */
} wk_fig_page;

/* A caption found on the page. */
typedef struct wk_fig_caption {
	wk_caption_label label;
	int lines[WK_FIG_MAX_CAPTION_LINES]; /* indices into page->lines, top down */
	int nlines;
	wk_rect box;
	float xa, xb;        /* the horizontal span its region is looked for in */
	bool beside;         /* shares its row with another caption: the span is its own */
} wk_fig_caption;

/* Words (runs of non-blanks) in s. */
int wk_fig_word_count(const char *s);

/* Images cover over half the page: a scanned page under its text layer (often in
 * strips), or a page laid over photos. Its images are the page, not figures on it. */
bool wk_fig_image_page(const wk_page *page);

/* Page statistics and body-text lines. Allocates in page->arena. */
void wk_fig_page_init(wk_fig_page *fp, wk_page *page);

/* Finds the caption lines of the page (caption starts that begin a block, plus the lines
 * that continue them). Writes at most `cap`; returns how many. */
int wk_fig_find_captions(const wk_fig_page *fp, wk_fig_caption *out, int cap);

/* A table without a caption: a grid of short cells holding numbers. */
typedef struct wk_fig_grid {
	int *lines;          /* its lines (page->arena), top down */
	int nlines;
	int title;           /* the title line above it ("... by segment:"), -1 if none */
	wk_rect region;
} wk_fig_grid;

/* Finds tables without a caption among the lines not `taken` (per line, non-zero when
 * a figure, table or caption already has it). Writes at most `cap`; returns how many. */
int wk_fig_find_grids(const wk_fig_page *fp, const unsigned char *taken, wk_fig_grid *out,
                      int cap);

/* Figures without a caption (charts, photos): clusters of free graphics with their
 * labels, titled by the lines above them (charts.c). Flags the lines it takes. Writes at
 * most `cap` figures to `out`; returns how many. Reads page->figures[0..nfigures). */
int wk_fig_find_charts(const wk_fig_page *fp, wk_figure *out, int cap);

/* Text of lines in reading order: rows joined by newlines, cells of a row by `sep`;
 * sorts idx. Allocated in page->arena. */
char *wk_fig_join_lines(wk_page *page, int *idx, int n, const char *sep);

/* A caption's lines joined by spaces (a hyphen at a line end joins the word). */
char *wk_fig_caption_join(wk_page *page, const int *lines, int n);

#endif

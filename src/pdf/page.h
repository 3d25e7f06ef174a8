/* page.h: the page model shared by the MuPDF adapter, the layout analysis, the figure
 * and table finder and OCR. Internal to src/pdf/.
 *
 * Flow for one page (any thread; one fz_context clone per thread):
 *   adapter (mupdf.c)   loads the page; fills lines (from structured text, or from OCR
 *                       when the page has no text layer), images and paths
 *   figures (figures.c) finds captions, builds figure/table regions, marks the lines
 *                       inside them WK_LINE_FIGURE so that layout leaves them out
 *   layout  (layout.c)  columns, reading order, paragraphs, headings for the rest
 * Then, once per document and in page order, the assembler joins paragraphs across
 * columns and pages, drops running headers and footers, builds sections and refs.
 *
 * All memory of a wk_page lives in its arena: wk_page_free releases everything. */
#ifndef WK_PDF_PAGE_H
#define WK_PDF_PAGE_H

#include "../util/util.h"

typedef struct wk_rect {
	float x0, y0, x1, y1; /* points, top-left origin */
} wk_rect;

enum {
	WK_LINE_FIGURE = 1 << 0,  /* inside a figure or table region: not body text */
	WK_LINE_CAPTION = 1 << 1, /* part of a figure or table caption */
	WK_LINE_FURNITURE = 1 << 2, /* running header, footer, page or line number */
	WK_LINE_MARK_END = 1 << 3,  /* ends with a raised note mark ("Salem¹", "Lo1,2") */
};

/* One line of text as printed: words in order, one style summary. */
typedef struct wk_line {
	wk_rect box;
	char *text;      /* UTF-8, NFC, ligatures expanded, no trailing newline */
	float size;      /* dominant font size in points */
	int font;        /* index of the dominant font in the page's font table */
	bool bold, italic, mono;
	int block;       /* index of the MuPDF block the line came from */
	unsigned flags;  /* WK_LINE_* */
	float baseline;  /* y of the baseline of its dominant style; 0 when unknown (then
	                    box.y1 stands in): glyph boxes of math fonts are much taller */
} wk_line;

typedef struct wk_font_info {
	char *name;      /* e.g. "NimbusRomNo9L-Medi" (subset prefix removed) */
	bool bold, italic, mono;
} wk_font_info;

/* A figure or a table found on a page. */
typedef struct wk_figure {
	wk_unit_type type;   /* WK_UNIT_FIGURE or WK_UNIT_TABLE */
	char *label;         /* "Figure 3", "Table II" */
	char *caption;       /* caption text, label included */
	char *figure_text;   /* text inside the region, in reading order */
	wk_rect region;      /* the figure or table itself, caption excluded */
	wk_rect caption_box;
	wk_rect box;         /* region and caption together: the unit's bbox and the crop */
	char *image;         /* path of the PNG crop, when crops were asked for */
	wk_table *table;     /* tables: the grid of its cells (tables.c), NULL when none */
} wk_figure;

/* Memory a worker lends to each of its pages in turn: the chart finder's page-sized
 * grid, allocated and freed per page, cost 5% of a parse in page faults (perf). */
typedef struct wk_scratch {
	void *data;
	size_t cap;          /* bytes at data */
} wk_scratch;

/* `bytes` of zeroed memory from s (grown when needed; the worker frees s->data);
 * from the heap when s is NULL. Valid until the next call on s. */
void *wk_scratch_zeroed(wk_scratch *s, size_t bytes);
/* Frees what wk_scratch_zeroed allocated when s was NULL; nothing otherwise. */
void wk_scratch_release(const wk_scratch *s, void *p);

typedef struct wk_page {
	int number;          /* 1-based */
	float width, height;
	wk_line *lines;
	int nlines;
	wk_font_info *fonts;
	int nfonts;
	wk_rect *images;     /* where raster images are drawn */
	int nimages;
	wk_rect *paths;      /* bounding boxes of filled and stroked vector paths */
	int npaths;
	wk_figure *figures;
	int nfigures;
	bool ocr;            /* the lines came from OCR */
	wk_rect *pictures;   /* OCR: regions its layout analysis took for pictures (ocr.c) */
	int npictures;
	wk_arena *arena;
	wk_scratch *scratch; /* the worker's; NULL = none */
} wk_page;

/* Finds the figures and tables of a page: fills page->figures and flags the lines they
 * use (WK_LINE_FIGURE, WK_LINE_CAPTION). Pure geometry and text: no MuPDF calls. */
void wk_page_find_figures(wk_page *page);

/* Figures for the pictures OCR found (page->pictures, pictures.c): each becomes a figure
 * unless a figure already covers it, with a copy of the OCR lines inside it as its text.
 * Called by wk_page_find_figures. */
void wk_page_add_pictures(wk_page *page);

/* Gives every table of the page whose lines form a grid its cells (fig->table, in
 * page->arena): rows, columns, header and stub cells, the scale line (tables.c). Call
 * after the figures are found. */
void wk_page_build_tables(wk_page *page);

/* The grid of the lines `lines` (indices into page->lines) of one table region, in
 * page->arena; NULL when they hold no grid of two columns or more. */
wk_table *wk_table_from_lines(wk_page *page, const int *lines, int n);

/* Links the parts of tables continued on the next page (tables.c): a table unit whose
 * previous table is the last thing on the page before (nothing but short notes between),
 * with as many columns of figures, under the same title, none, or one saying "continued",
 * gets table->continues. A table over three pages is a chain: each part names the one
 * before. Call after all units are in the document. */
void wk_doc_link_tables(struct wk_doc *doc);

/* A deep copy of a grid into `arena`; NULL stays NULL. */
wk_table *wk_table_copy(wk_arena *arena, const wk_table *t);

/* Links figures and tables to the paragraphs that mention them ("Fig. 3", "Table II"):
 * fills every figure and table unit's refs. Call after all units are in the document. */
struct wk_doc;
void wk_doc_link_refs(struct wk_doc *doc);

#endif /* WK_PDF_PAGE_H */

/* pdf.h: the parser's internal interfaces: text extraction, page layout and document
 * assembly. Internal to src/pdf/.
 *
 * A page goes: MuPDF structured text -> wk_line (extract.c) -> figures (figures.c) ->
 * wk_block paragraph candidates in reading order (layout.c), kept in a small wk_page_out
 * while the wk_page and its MuPDF objects are released. The document pass (assemble.c)
 * then turns the pages' blocks, in page order, into the units of a wk_doc. */
#ifndef WK_PDF_PDF_H
#define WK_PDF_PDF_H

#include <mupdf/fitz.h>

#include "../doc/doc.h"
#include "page.h"

/* Bumped whenever the units the parser produces change, so that parse caches keyed on
 * it are rebuilt. */
#define WK_PARSER_VERSION "24"

enum { WK_BLOCK_TEXT = 0, WK_BLOCK_FIGURE };

enum {
	WK_BF_INDENT = 1 << 0,    /* first line indented against its column */
	WK_BF_LIST = 1 << 1,      /* starts with a bullet or an item number */
	WK_BF_COL_TOP = 1 << 2,   /* first text block of its run (set by the assembler) */
	WK_BF_COL_END = 1 << 3,   /* last text block of its run (set by the assembler) */
	WK_BF_SHORT_END = 1 << 4, /* its last line stops well before the column's right edge */
	WK_BF_FURNITURE = 1 << 5, /* header, footer, page or line number: never a unit */
	WK_BF_TOP = 1 << 6,       /* inside the page's top margin band */
	WK_BF_BOTTOM = 1 << 7,    /* inside the page's bottom margin band */
	WK_BF_HEADLIKE = 1 << 8,  /* set apart from the text by style or numbering */
	WK_BF_AUTHOR = 1 << 9,    /* an author's name (layout.c, while it decides) */
	WK_BF_SLIDE = 1 << 10,    /* on a slide (a landscape page): read on its own page */
	WK_BF_TITLE = 1 << 11,    /* a slide's title: a heading whatever the document's sizes */
};

/* A paragraph candidate or a figure slot on one page, in reading order. */
typedef struct wk_block {
	int kind;        /* WK_BLOCK_TEXT or WK_BLOCK_FIGURE */
	wk_rect box;
	char *text;      /* lines joined with '\n'; the assembler joins them (hyphens) */
	float size;      /* dominant font size of the block */
	float bold;      /* share of its lines set in a bold face, 0..1 */
	bool italic, mono;
	int nlines;
	int numbering;   /* components of a leading section number ("2.1" -> 2), else 0 */
	int column;      /* column index on the page, -1 when it spans the columns */
	int run;         /* blocks of one column of one band share a run number */
	unsigned flags;  /* WK_BF_* */
	int figure;      /* WK_BLOCK_FIGURE: index into the page's figures */
} wk_block;

/* What a page leaves behind for the document pass. Everything lives in `arena`. */
typedef struct wk_page_out {
	int number;      /* 1-based */
	float width, height;
	int status;      /* WK_OK, or the error that made the page be skipped */
	bool ocr;
	bool has_text;   /* at least one usable character */
	bool unread;     /* no text layer but images, and OCR was off (WK_OCR_NEVER) */
	char *message;   /* why the page failed, when it did */
	wk_block *blocks;
	int nblocks;
	wk_figure *figures;
	int nfigures;
	char printed[16]; /* the page number printed on the page ("17", "xii"), "" when none
	                     was seen (set by the assembler) */
	bool printed_right; /* it stands in the right half of the page (a two-page spread
	                       prints the right-hand page's number there) */
	wk_arena *arena;
} wk_page_out;

/* A histogram of font sizes (rounded to half points) weighted by characters: the mode
 * is the body text size. */
typedef struct wk_size_hist {
	float size[64];
	double weight[64];
	int n;
} wk_size_hist;

void wk_size_hist_add(wk_size_hist *h, float size, double weight);
float wk_size_hist_mode(const wk_size_hist *h, float dflt);

/* Fills page->lines and page->fonts from a structured text page: lines split at wide
 * gaps (columns, table cells), text NFC with ligatures expanded, style summarised.
 * Lines that are not horizontal are kept flagged WK_LINE_FURNITURE. */
void wk_extract_lines(fz_context *ctx, fz_stext_page *stext, wk_page *page);

/* Decides whether a font name looks bold / italic / monospaced (MuPDF's flags miss
 * names like NimbusRomNo9L-Medi or CMBX10). */
bool wk_font_name_bold(const char *name);
bool wk_font_name_italic(const char *name);
bool wk_font_name_mono(const char *name);

/* Columns, reading order and paragraph candidates of a page whose figures were found:
 * fills out->blocks (in out->arena) from the lines not flagged figure or caption, with
 * one WK_BLOCK_FIGURE slot per figure at its place in the reading order. */
void wk_layout_page(const wk_page *page, wk_page_out *out);

/* Builds the document's units from its pages' blocks, in page order: drops running
 * headers, footers and page numbers, joins paragraphs across columns and pages and
 * hyphenated line breaks, decides headings and levels, adds figures and tables, then
 * builds sections and refs. */
void wk_assemble(wk_doc *doc, wk_page_out *pages, int npages);

/* Reads the PDF's /PageLabels into doc->pages[].label (left "" when it has none). */
void wk_read_page_labels(fz_context *ctx, fz_document *fzdoc, wk_doc *doc);

/* Leading section number of a heading text: "2.1 Sampler" -> 2, "IV. RESULTS" -> 1,
 * "A. Setup" -> 2 (lettered subsections), 0 when there is none. */
int wk_heading_numbering(const char *text);

/* Words of a text, separated by spaces or newlines. */
int wk_count_words(const char *s);

/* Renders each figure of `page` (its box) at `dpi` into `dir` as
 * <stem>-p<page>-<label>.png and sets the figure's image path. A crop that cannot be
 * written is left out (image stays NULL). */
void wk_write_figure_crops(fz_context *ctx, fz_page *fzpage, wk_page *page, const char *dir,
                           const char *stem, int dpi);

#endif /* WK_PDF_PDF_H */

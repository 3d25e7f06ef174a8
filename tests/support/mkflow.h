/* mkflow.h: a tiny typesetter on top of mkpdf for test documents that look like papers:
 * one or two justified columns, headings, paragraphs with first-line indents and
 * hyphenated line breaks, reserved space for figures and tables, a running header and
 * page numbers on every page. The tests know exactly what they typeset (ground truth).
 *
 * In paragraph text a '|' marks a point where a word may be hyphenated at a line end
 * ("evi|dence"); it is never printed otherwise. mk_flow_plain() gives the text as a
 * reader should get it back. */
#ifndef WK_MKFLOW_H
#define WK_MKFLOW_H

#include "mkpdf.h"

typedef struct mk_flow {
	mk_pdf *pdf;
	float width, height;          /* page size, points */
	float left, right, top, bottom; /* margins */
	int ncols;
	float gutter;
	int col;                      /* current column, 0-based */
	float col_top;                /* where the columns start on this page */
	float y;                      /* top of the next line */
	int page;                     /* pages started so far */
	const char *header;           /* running header (NULL: none) */
	int page_numbers;             /* print the page number at the bottom */
	const char *font;             /* body font */
	float size, leading;          /* body size and baseline distance */
	int hyphens;                  /* hyphenated line breaks typeset so far */
} mk_flow;

/* US Letter, 54 pt margins, 10/12 Times, 18 pt gutter. Starts the first page. */
void mk_flow_init(mk_flow *f, mk_pdf *pdf, int ncols, const char *header);
void mk_flow_new_page(mk_flow *f);
float mk_flow_col_x(const mk_flow *f);
float mk_flow_col_w(const mk_flow *f);

/* Full-width centred lines at the top of the current page (title, authors); the columns
 * then start below them. */
void mk_flow_banner(mk_flow *f, const char *font, float size, const char *text);
/* A full-width justified paragraph (an abstract) above the columns. */
void mk_flow_wide_para(mk_flow *f, const char *text);
/* Ends the full-width part: the columns start `gap` points lower. */
void mk_flow_start_columns(mk_flow *f, float gap);

void mk_flow_heading(mk_flow *f, const char *font, float size, const char *text);
/* A justified paragraph; `indent` gives its first line a 1 em indent. */
void mk_flow_para(mk_flow *f, const char *text, int indent);
/* Reserves `h` points of the current column (moving on when it does not fit) and returns
 * the top of the space. */
float mk_flow_reserve(mk_flow *f, float h);
void mk_flow_skip(mk_flow *f, float h);

/* `text` without its '|' marks, in a static buffer. */
const char *mk_flow_plain(const char *text);

#endif

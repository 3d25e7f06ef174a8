/* table_text.c: the evidence text of a table with a grid: one line per row that carries
 * its own column headers, so that a passage trimmed to a few rows, or to one, still says
 * which year (or segment) each value is for.
 *
 *   (in thousands, except per share data)
 *   Year ended December 31,
 *   Revenues | 2015: $ 6,779,511 | 2014: $ 5,504,656 | 2013: $ 4,374,562
 *   Earnings per share: Basic | 2015: $ 0.29 | 2014: $ 0.63 | 2013: $ 0.28
 *
 * A header that spans every column of figures is said once, above the rows; the others
 * are said in every row, before each value. A row of a label alone ("Earnings per
 * share:") is said in the rows indented under it. A part continued from an earlier page
 * without headers of its own takes those of the part it continues. */
#include "sample.h"

#include <string.h>

enum { MAX_HEADER = 256, MAX_CHAIN = 64 };

/* The part whose headers stand for t's: t, or the earlier part it continues. */
static const wk_table *headed_part(const wk_doc *doc, const wk_table *t)
{
	for (int hops = 0; t->header_rows == 0 && t->continues >= 0 && hops < MAX_CHAIN; hops++) {
		const wk_table *prev = doc->units[t->continues].table;
		if (!prev)
			break;
		t = prev;
	}
	return t;
}

/* Whether header cell c spans every column of figures: said once, above the rows. */
static bool spans_all(const wk_table *t, const wk_cell *c)
{
	return c->col <= t->stub_cols && c->col + c->colspan >= t->ncols;
}

/* The headers of column col that are not said once above the rows. */
static void column_key(const wk_table *h, int col, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (int row = 0; row < h->header_rows && len + 1 < cap; row++) {
		const wk_cell *c = wk_table_cell(h, row, col);
		if (!c || c->row != row || !*c->text || spans_all(h, c))
			continue;
		size_t n = strlen(c->text);
		if (len + n + 2 > cap)
			break;
		if (len)
			out[len++] = ' ';
		memcpy(out + len, c->text, n + 1);
		len += n;
	}
}

static void put_common_headers(const wk_table *h, wk_buf *b)
{
	size_t start = b->len;
	for (int i = 0; i < h->ncells; i++) {
		const wk_cell *c = &h->cells[i];
		if (c->kind == WK_CELL_HEADER && c->col >= h->stub_cols && spans_all(h, c))
			wk_buf_printf(b, "%s%s", b->len > start ? " " : "", c->text);
	}
	if (b->len > start)
		wk_buf_putc(b, '\n');
}

/* The label-only row above `row` that heads it: the nearest row above with a smaller
 * indent, when that row holds no figures. */
static const wk_cell *parent_label(const wk_table *t, int row, int indent)
{
	for (int r = row - 1; r >= t->header_rows && indent > 0; r--) {
		const wk_cell *l = wk_table_row_label(t, r);
		if (!l || l->indent >= indent)
			continue;
		for (int c = t->stub_cols; c < t->ncols; c++)
			if (wk_table_cell(t, r, c))
				return NULL;
		return l;
	}
	return NULL;
}

/* One row: its label (under its heading row) and each value after its column's key. */
static void put_row(const wk_table *t, const wk_table *h, int row, wk_buf *b)
{
	const wk_cell *label = wk_table_row_label(t, row);
	bool any = false;
	for (int col = t->stub_cols; col < t->ncols; col++) {
		const wk_cell *c = wk_table_cell(t, row, col);
		if (!c || c->col != col || !*c->text)
			continue;
		if (!any) {
			const wk_cell *parent = label ? parent_label(t, row, label->indent) : NULL;
			if (parent)
				wk_buf_printf(b, "%s ", parent->text);
			wk_buf_puts(b, label ? label->text : "");
			any = true;
		}
		char key[MAX_HEADER];
		column_key(h, col - t->stub_cols + h->stub_cols, key, sizeof key);
		wk_buf_printf(b, " | %s%s%s", key, *key ? ": " : "", c->text);
	}
	if (any)
		wk_buf_putc(b, '\n');
}

void wk_table_text(const wk_doc *doc, const wk_unit *u, wk_buf *b)
{
	const wk_table *t = u->table, *h = headed_part(doc, t);
	if (t->scale)
		wk_buf_printf(b, "%s\n", t->scale);
	put_common_headers(h, b);
	for (int row = t->header_rows; row < t->nrows; row++)
		put_row(t, h, row, b);
	if (b->len > 0 && b->data[b->len - 1] == '\n')
		b->data[--b->len] = '\0';
}

static wk_box box_union(wk_box a, wk_box b)
{
	return (wk_box){a.page, WK_MIN(a.x0, b.x0), WK_MIN(a.y0, b.y0), WK_MAX(a.x1, b.x1),
	                WK_MAX(a.y1, b.y1)};
}

/* Adds the cells of `row` to *box (*any says whether it holds one yet). */
static void add_row_cells(const wk_table *t, int row, wk_box *box, bool *any)
{
	for (int i = 0; i < t->ncells; i++) {
		const wk_cell *c = &t->cells[i];
		if (c->row > row || c->row + c->rowspan <= row || !*c->text)
			continue;
		*box = *any ? box_union(*box, c->box) : c->box;
		*any = true;
	}
}

int wk_table_rows_box(const wk_doc *doc, const wk_unit *u, const char *text, wk_box *box)
{
	const wk_table *t = u ? u->table : NULL;
	if (!t || t->ncells == 0 || !text)
		return 0;
	const wk_table *h = headed_part(doc, t);
	wk_buf line;
	wk_buf_init(&line, 0);
	int rows = 0, found = 0;
	wk_box acc = {0};
	bool any = false;
	for (int row = t->header_rows; row < t->nrows; row++) {
		line.len = 0;
		put_row(t, h, row, &line);
		if (line.len == 0)
			continue;
		line.data[--line.len] = '\0'; /* the newline */
		rows++;
		if (!strstr(text, line.data))
			continue;
		found++;
		add_row_cells(t, row, &acc, &any);
	}
	wk_buf_free(&line);
	if (found > 0 && found < rows && any)
		*box = acc;
	return found;
}

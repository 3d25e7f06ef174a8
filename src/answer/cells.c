/* cells.c: answers from tables: the cell at the row the question names (its label holds
 * the question's words) and the column it names (a year it asks about, or a header that
 * holds its words). Two sources of the same grid: the table text of the evidence (rows
 * of " | "-separated cells, one line each, headers above) and a recognised wk_table. */
#include "reader.h"

#include <ctype.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_COLUMN_FIT 0.7 /* no column named by the question: the latest year's, or
                                  the first value column (tables print the latest period
                                  first) */
#define OTHER_COLUMN_FIT 0.35  /* a value column the question does not name */

#define MAX_CELLS RD_MAX_CELLS
typedef rd_cells cells;

void rd_split_cells(const char *s, const char *e, rd_cells *c)
{
	c->n = 0;
	const char *b = s;
	for (const char *p = s; p <= e && c->n < MAX_CELLS; p++) {
		if (p < e && !(p + 3 <= e && !strncmp(p, " | ", 3)))
			continue;
		const char *cs = b, *ce = p;
		while (cs < ce && isspace((unsigned char)*cs))
			cs++;
		while (ce > cs && isspace((unsigned char)ce[-1]))
			ce--;
		c->s[c->n] = cs;
		c->e[c->n++] = ce;
		b = p + 3;
		p += 2;
	}
}

int rd_cell_year(const char *s, const char *e)
{
	for (const char *p = s; p + 4 <= e; p++) {
		if (!isdigit((unsigned char)*p) || (p > s && isdigit((unsigned char)p[-1])))
			continue;
		if (p + 4 < e && isdigit((unsigned char)p[4]))
			continue;
		int v = atoi(p);
		if (v >= 1900 && v <= 2099)
			return v;
	}
	return 0;
}

int rd_value_cell(const char *s, const char *e, double *v, int *pct)
{
	int money = 0;
	if (s < e && *s == '$')
		s++, money = 1;
	while (s < e && *s == ' ')
		s++;
	const char *q = rd_number(s, e, v);
	if (!q)
		return 0;
	while (q < e && *q == ' ')
		q++;
	*pct = q < e && *q == '%';
	if (*pct)
		q++;
	(void)money;
	while (q < e && *q == ' ')
		q++;
	if (q < e && *q == '$' && q + 1 == e)
		q++; /* "14,794 $": the next column's currency sign glued to this cell */
	/* "73.2% (1.9%)", "72.3(1.4)": a spread printed after the value */
	if (q < e && *q == '(' && e[-1] == ')' && memchr(q, ')', (size_t)(e - q)) == e - 1)
		q = e;
	return q == e;
}

int rd_year_header(const rd_cells *c, int *years)
{
	int n = 0;
	for (int i = 0; i < c->n; i++) {
		if (c->e[i] == c->s[i])
			continue;
		int y = rd_cell_year(c->s[i], c->e[i]);
		if (!y || c->e[i] - c->s[i] > 16)
			return 0;
		years[n++] = y;
	}
	return n;
}

typedef struct grid_ctx {
	const rd_match *m;
	int item;
	rd_cands *out;
	int years[MAX_CELLS], nyears; /* the year header in force */
	cells head;                   /* the last text header line, n = 0 when none */
} grid_ctx;

/* How well a value column fits the question: its year, or its header's words. */
static double column_fit(const grid_ctx *g, int col, int ncols)
{
	const rd_question *q = g->m->q;
	if (g->nyears > 0 && q->nyears > 0) {
		/* Values align with the year columns from the left. */
		if (col >= g->nyears)
			return 0;
		for (int i = 0; i < q->nyears; i++)
			if (g->years[col] == q->years[i])
				return ncols == g->nyears ? 1.0 : 0.8;
		return 0;
	}
	if (g->nyears > 0 && q->nyears == 0 && ncols == g->nyears) {
		/* no year asked: the latest period, wherever the table prints it */
		int latest = 0;
		for (int i = 1; i < g->nyears; i++)
			if (g->years[i] > g->years[latest])
				latest = i;
		return col == latest ? DEFAULT_COLUMN_FIT : OTHER_COLUMN_FIT;
	}
	if (g->head.n > 0) {
		int h = g->head.n - ncols + col; /* text headers align from the right */
		if (h >= 0 && rd_cover(g->m, g->head.s[h], g->head.e[h]) > 0)
			return 1.0;
	}
	return col == 0 ? DEFAULT_COLUMN_FIT : OTHER_COLUMN_FIT;
}

/* How well a value cell of `kind` (count: a whole number, ratio: a fraction, percent)
 * fits the question's type. */
static double cell_fit(const rd_question *q, rd_type kind)
{
	static const double by_type[RD_RATIO + 1][2] = {
	    /* plain number, percentage */
	    [RD_COUNT] = {1.0, 0.2}, [RD_QUANTITY] = {0.9, 0.9}, [RD_MONEY] = {1.0, 0.2},
	    [RD_PERCENT] = {0.6, 1.0}, [RD_RATIO] = {0.8, 0.7}};
	if (!q->numeric)
		return 0;
	double f = by_type[q->type][kind == RD_PERCENT];
	if ((kind == RD_RATIO && q->type == RD_COUNT) || (kind == RD_COUNT && q->type == RD_RATIO))
		f *= 0.3; /* counts are whole, ratios are not */
	return f;
}

static void row_cands(grid_ctx *g, const char *ls, const char *le, const cells *c)
{
	int label = 0;
	while (label < c->n) {
		double v;
		int pct;
		if (rd_value_cell(c->s[label], c->e[label], &v, &pct) ||
		    (c->e[label] - c->s[label] == 1 && c->s[label][0] == '$'))
			break;
		label++;
	}
	if (label == 0 || label == c->n)
		return;
	double cover = rd_label_cover(g->m, c->s[0], c->e[label - 1]);
	if (cover <= 0)
		return;
	const char *vs[MAX_CELLS], *ve[MAX_CELLS];
	double vv[MAX_CELLS];
	int vp[MAX_CELLS], nv = 0;
	for (int i = label; i < c->n; i++) {
		int pct;
		if (rd_value_cell(c->s[i], c->e[i], &vv[nv], &pct)) {
			vs[nv] = c->s[i];
			ve[nv] = c->e[i];
			/* "22.4 | %": the sign printed in its own cell still makes a percentage */
			vp[nv++] = pct || (i + 1 < c->n && c->e[i + 1] - c->s[i + 1] == 1 &&
			                   c->s[i + 1][0] == '%');
		}
	}
	for (int k = 0; k < nv; k++) {
		double col = column_fit(g, k, nv);
		rd_type kind = vp[k] ? RD_PERCENT : vv[k] != floor(vv[k]) ? RD_RATIO : RD_COUNT;
		double f = cell_fit(g->m->q, kind);
		if (col <= 0 || f <= 0)
			continue;
		rd_cand x = {.type = kind, .item = g->item, .s = vs[k], .e = ve[k], .qs = ls,
		             .qe = le, .value = vv[k], .has_value = 1, .fit = f, .near = col,
		             .cover = cover};
		rd_cands_add(g->out, &x);
	}
}

void rd_table_lines(const rd_match *m, int item, const char *text, rd_cands *out)
{
	if (!m->q->numeric || !text || !strstr(text, " | "))
		return;
	grid_ctx g = {.m = m, .item = item, .out = out};
	cells c;
	for (const char *ls = text; *ls;) {
		const char *le = strchr(ls, '\n');
		if (!le)
			le = ls + strlen(ls);
		rd_split_cells(ls, le, &c);
		int years[MAX_CELLS], ny = rd_year_header(&c, years);
		if (ny > 0) {
			memcpy(g.years, years, sizeof(int) * (size_t)ny);
			g.nyears = ny;
		} else {
			double v;
			int pct, numbers = 0;
			for (int i = 0; i < c.n; i++)
				numbers += rd_value_cell(c.s[i], c.e[i], &v, &pct);
			if (numbers == 0 && c.n >= 2)
				g.head = c;
			else if (numbers > 0)
				row_cands(&g, ls, le, &c);
		}
		ls = *le ? le + 1 : le;
	}
}

/* ---- a recognised grid ---- */

/* The stub text of row r and the header text of column c, joined into buf. */
static void grid_text(const wk_table *t, int r, int c, int header, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	int lim = header ? t->header_rows : t->stub_cols;
	for (int k = 0; k < lim; k++) {
		const wk_cell *x = header ? wk_table_cell(t, k, c) : wk_table_cell(t, r, k);
		if (!x || !x->text[0] || n + strlen(x->text) + 2 >= cap)
			continue;
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? " " : "", x->text);
	}
}

/* The row as "label | v1 | v2": the quote of a grid cell. malloc'd. */
static char *grid_row(const wk_table *t, int r)
{
	wk_buf b;
	wk_buf_init(&b, 4096);
	for (int c = 0; c < t->ncols; c++) {
		const wk_cell *x = wk_table_cell(t, r, c);
		if (x && x->row == r && x->col == c)
			wk_buf_printf(&b, "%s%s", b.len ? " | " : "", x->text);
	}
	return wk_buf_steal(&b);
}

#define MAX_HEAD_COLS 64 /* columns whose header cover is kept; later ones count as 0 */

/* The share of the question's words each column header holds, and the best of them:
 * "MMLU Physics" beats "MMLU Chemistry" for "the score in MMLU Physics". */
static double header_covers(const rd_match *m, const wk_table *t, double *hc)
{
	char head[512];
	double best = 0;
	for (int c = 0; c < t->ncols && c < MAX_HEAD_COLS; c++) {
		grid_text(t, 0, c, 1, head, sizeof head);
		hc[c] = rd_cover(m, head, head + strlen(head));
		best = hc[c] > best ? hc[c] : best;
	}
	return best;
}

/* "73.2% | (1.9%)" under one header: the parenthesised value is the spread printed
 * beside the value, not a second value of the column. */
static int spread_cell(const wk_table *t, int r, int c, const wk_cell *x)
{
	if (x->text[0] != '(' || c == 0)
		return 0;
	char head[512], left[512];
	grid_text(t, r, c, 1, head, sizeof head);
	grid_text(t, r, c - 1, 1, left, sizeof left);
	return head[0] && !strcmp(head, left);
}

void rd_table_grid(const rd_match *m, int item, const wk_table *t, rd_cands *out)
{
	if (!m->q->numeric || !t)
		return;
	char label[512], head[512];
	double hc[MAX_HEAD_COLS];
	double best_hc = header_covers(m, t, hc);
	for (int r = t->header_rows; r < t->nrows; r++) {
		grid_text(t, r, 0, 0, label, sizeof label);
		double cover = rd_label_cover(m, label, label + strlen(label));
		if (cover <= 0)
			continue;
		int first_value = 1;
		for (int c = t->stub_cols; c < t->ncols; c++) {
			const wk_cell *x = wk_table_cell(t, r, c);
			double v;
			int pct;
			if (!x || x->row != r || x->col != c ||
			    !rd_value_cell(x->text, x->text + strlen(x->text), &v, &pct))
				continue;
			grid_text(t, r, c, 1, head, sizeof head);
			int year = rd_cell_year(head, head + strlen(head)), named = 0;
			for (int i = 0; i < m->q->nyears; i++)
				named |= year == m->q->years[i];
			double own = c < MAX_HEAD_COLS ? hc[c] : 0;
			double col = named ? 1.0
			             : m->q->nyears && year ? 0
			             : own > 0 ? 0.6 + 0.4 * own / best_hc
			             : first_value ? DEFAULT_COLUMN_FIT : OTHER_COLUMN_FIT;
			first_value = 0;
			if (col <= 0)
				continue;
			rd_cand y = {.type = pct ? RD_PERCENT : RD_COUNT, .item = item, .s = x->text,
			             .e = x->text + strlen(x->text), .value = v, .has_value = 1,
			             .fit = cell_fit(m->q, pct ? RD_PERCENT : v != floor(v) ? RD_RATIO : RD_COUNT) *
			                    (spread_cell(t, r, c, x) ? 0.5 : 1.0),
			             .near = col,
			             .cover = cover, .quote = grid_row(t, r)};
			rd_cands_add(out, &y);
		}
	}
}

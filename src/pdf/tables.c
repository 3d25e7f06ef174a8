/* tables.c: tables without a caption (financial statements, reports): text grids.
 *
 * A grid row is a row of lines (extract.c splits a printed row at its wide gaps, so one
 * cell = one line) holding several numbers ("7,990", "22.4 %", "(762)", "—"). Three or
 * more grid rows close to each other make a table; label rows between them ("Adjustment
 * for TCJA"), header rows right above, and a title line ending in ':' above that join
 * it. Prose lines (body text) are never cells. */
#include "../doc/doc.h"
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_PENDING = 4, MIN_GRID_ROWS = 3, MAX_HEADER_ROWS = 6 };

typedef struct row {
	int first, n;     /* range in the sorted candidate lines */
	int ncells;       /* lines that are not a lone currency sign */
	int nnum;         /* numeric cells */
	bool prose;       /* holds a line of body text (a long row label, or a paragraph) */
	float y0, y1, size;
	float x0, x1;
} row;

/* A number as a cell: digits with money, percent, sign and grouping marks and no
 * letters, or a lone dash standing for zero. */
static bool numeric_cell(const char *t)
{
	while (*t == ' ' || *t == '$')
		t++;
	if (strcmp(t, "-") == 0 || strcmp(t, "\xe2\x80\x94") == 0 || strcmp(t, "\xe2\x80\x93") == 0)
		return true;
	int digits = 0;
	for (const unsigned char *s = (const unsigned char *)t; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" $%().,+-", *s) && *s < 0x80)
			return false; /* letters, '=', '#': code or prose, not a figure */
		else if ((*s == '-' || *s == '+') && digits > 0)
			return false; /* "30-49", "65+": a range label, not a figure */
	}
	return digits > 0;
}

/* "$" printed apart from its number: neither a label nor a number. */
static bool currency_only(const char *t)
{
	while (*t == ' ' || *t == '$')
		t++;
	return *t == '\0' || strcmp(t, "\xe2\x82\xac") == 0 || strcmp(t, "\xc2\xa3") == 0;
}

static bool has_letter(const char *t)
{
	for (; *t; t++)
		if ((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z'))
			return true;
	return false;
}

/* A line of prose (or of four words or more) is a row label only when the next thing
 * on its row is a number: text beside a chart has the chart's own labels between it and
 * the numbers. */
static bool labels_numbers(const wk_page *page, int i)
{
	const wk_line *l = &page->lines[i];
	int best = -1;
	for (int j = 0; j < page->nlines; j++) {
		const wk_line *r = &page->lines[j];
		float dy = fabsf((r->box.y0 + r->box.y1) / 2 - (l->box.y0 + l->box.y1) / 2);
		if (j != i && dy < 0.45f * l->size && r->box.x0 >= l->box.x1 - 1 &&
		    (best < 0 || r->box.x0 < page->lines[best].box.x0))
			best = j;
	}
	return best >= 0 && (numeric_cell(page->lines[best].text) ||
	                     currency_only(page->lines[best].text));
}

static bool ends_with_colon(const char *t)
{
	size_t n = strlen(t);
	while (n > 0 && t[n - 1] == ' ')
		n--;
	return n > 0 && t[n - 1] == ':';
}

static int cmp_center(const void *a, const void *b, void *arg)
{
	const wk_line *lines = arg;
	const wk_line *x = &lines[*(const int *)a], *y = &lines[*(const int *)b];
	float cx = x->box.y0 + x->box.y1, cy = y->box.y0 + y->box.y1;
	if (fabsf(cx - cy) > 0.01f)
		return (cx > cy) - (cx < cy);
	return (x->box.x0 > y->box.x0) - (x->box.x0 < y->box.x0);
}

/* Lines that may be cells, sorted top down. Body text is kept: a long row label
 * ("Adjustments to reconcile net income including noncontrolling") reads as prose, and
 * only its row's numbers tell it is a cell. */
static int candidate_lines(const wk_fig_page *fp, const unsigned char *taken, int *out)
{
	const wk_page *page = fp->page;
	int n = 0;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		if (!taken[i] && l->text && *l->text &&
		    !(l->flags & (WK_LINE_FURNITURE | WK_LINE_FIGURE | WK_LINE_CAPTION)) &&
		    (!(fp->body[i] || wk_fig_word_count(l->text) >= 4) || labels_numbers(page, i) ||
		     (!fp->body[i] && ends_with_colon(l->text))))
			out[n++] = i;
	}
	qsort_r(out, (size_t)n, sizeof(int), cmp_center, page->lines);
	return n;
}

/* Groups the sorted lines into rows by vertical centre. */
static int group_rows(const wk_fig_page *fp, const int *idx, int n, row *rows)
{
	const wk_page *page = fp->page;
	int nrows = 0;
	for (int k = 0; k < n;) {
		const wk_line *l = &page->lines[idx[k]];
		float center = (l->box.y0 + l->box.y1) / 2;
		row *r = &rows[nrows++];
		memset(r, 0, sizeof *r);
		r->first = k;
		r->y0 = l->box.y0;
		r->y1 = l->box.y1;
		r->x0 = l->box.x0;
		r->x1 = l->box.x1;
		r->size = l->size;
		for (; k < n; k++) {
			const wk_line *c = &page->lines[idx[k]];
			if (fabsf((c->box.y0 + c->box.y1) / 2 - center) > 0.45f * l->size)
				break;
			r->n++;
			r->ncells += !currency_only(c->text);
			r->nnum += numeric_cell(c->text);
			r->prose |= fp->body[idx[k]] != 0;
			r->y0 = WK_MIN(r->y0, c->box.y0);
			r->y1 = WK_MAX(r->y1, c->box.y1);
			r->x0 = WK_MIN(r->x0, c->box.x0);
			r->x1 = WK_MAX(r->x1, c->box.x1);
		}
	}
	return nrows;
}

static bool grid_row(const row *r)
{
	return r->nnum >= 2 && 2 * r->nnum >= r->ncells;
}

/* The last row of the run of grid rows starting at `start` (label rows in between
 * allowed), and how many grid rows it holds. */
static int run_end(const row *rows, int nrows, int start, int *ngrid)
{
	int last = start, pending = 0;
	*ngrid = 1;
	for (int r = start + 1; r < nrows; r++) {
		float gap = rows[r].y0 - rows[r - 1].y1;
		if (gap > 2.5f * rows[last].size || pending > MAX_PENDING)
			break;
		if (grid_row(&rows[r])) {
			last = r;
			pending = 0;
			(*ngrid)++;
		} else {
			/* A paragraph after the table is several prose rows: it ends the run. */
			pending += rows[r].prose ? 2 : 1;
		}
	}
	return last;
}

/* A row of one cell ending in ':' is a title ("... by segment:") unless it is the first
 * row label under the column headers ("Net revenues by distribution channel:"): then the
 * row right above it is close and starts right of it, over the columns. */
static bool label_under_headers(const row *rows, int r, int floor)
{
	return r - 1 >= floor && rows[r].y0 - rows[r - 1].y1 <= 1.6f * rows[r - 1].size &&
	       !rows[r - 1].prose && rows[r - 1].x0 > rows[r].x1;
}

/* Header rows right above the first grid row, inside the grid's width, up to a title
 * ("... by segment:"). */
static int header_start(const wk_page *page, const int *idx, const row *rows, int start,
                        int floor)
{
	int first = start;
	for (int r = start - 1; r >= floor && start - r <= MAX_HEADER_ROWS; r--) {
		float gap = rows[r + 1].y0 - rows[r].y1;
		if (gap > 1.6f * rows[r].size || rows[r].x0 < rows[start].x0 - 2 * rows[r].size)
			break;
		if (rows[r].prose || (rows[r].ncells == 1 &&
		                      ends_with_colon(page->lines[idx[rows[r].first]].text) &&
		                      !label_under_headers(rows, r, floor)))
			break;
		first = r;
	}
	return first;
}

static wk_rect rect_add(wk_rect a, wk_rect b)
{
	return (wk_rect){WK_MIN(a.x0, b.x0), WK_MIN(a.y0, b.y0), WK_MAX(a.x1, b.x1),
	                 WK_MAX(a.y1, b.y1)};
}

/* A title right above the table: a line ending in ':' or set in bold, close above. */
static int find_title(const wk_fig_page *fp, const unsigned char *taken, wk_rect region)
{
	const wk_page *page = fp->page;
	int best = -1;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		float gap = region.y0 - l->box.y1;
		float cy = (l->box.y0 + l->box.y1) / 2;
		if (cy > region.y0)
			continue; /* a header cell of the table itself */
		if (taken[i] || !l->text || gap < -0.2f * l->size || gap > 2.0f * l->size ||
		    l->box.x1 < region.x0 || l->box.x0 > region.x1 ||
		    (l->flags & (WK_LINE_FURNITURE | WK_LINE_FIGURE | WK_LINE_CAPTION)))
			continue;
		bool titled = (ends_with_colon(l->text) || l->bold) && has_letter(l->text);
		if (titled && (best < 0 || l->box.y1 > page->lines[best].box.y1))
			best = i;
	}
	return best;
}

/* Rules and shading of the table: paths mostly inside its box (grown a little). */
static wk_rect add_paths(const wk_page *page, wk_rect region)
{
	wk_rect grown = {region.x0 - 6, region.y0 - 6, region.x1 + 6, region.y1 + 6};
	wk_rect out = region;
	for (int k = 0; k < page->npaths; k++) {
		const wk_rect *p = &page->paths[k];
		if (p->x0 >= grown.x0 && p->x1 <= grown.x1 && p->y0 >= grown.y0 && p->y1 <= grown.y1)
			out = rect_add(out, *p);
	}
	return out;
}

static const char *scale_in(const char *t);

/* Whether line i, over the columns (right of x0), shares its row with another line over
 * the columns that it does not overlap: a row of column headers ("52 Weeks Ended" three
 * times, bold like the table's title beside them), not a title nor a heading. */
static bool in_header_row(const wk_fig_page *fp, const unsigned char *taken, float x0, int i)
{
	const wk_page *page = fp->page;
	const wk_line *l = &page->lines[i];
	float cy = (l->box.y0 + l->box.y1) / 2;
	if (l->box.x0 < x0 || ends_with_colon(l->text))
		return false;
	for (int j = 0; j < page->nlines; j++) {
		const wk_line *o = &page->lines[j];
		if (j != i && !taken[j] && !fp->body[j] && o->box.x0 >= x0 && *o->text &&
		    fabsf((o->box.y0 + o->box.y1) / 2 - cy) < 0.45f * l->size &&
		    (o->box.x0 >= l->box.x1 || o->box.x1 <= l->box.x0) &&
		    !(o->flags & (WK_LINE_FURNITURE | WK_LINE_FIGURE | WK_LINE_CAPTION)))
			return true;
	}
	return false;
}

/* Whether line i sits right on a line in the grid's box (a header cell of it), centred
 * on it, at line spacing: the upper line of a header printed over several ("Active" over
 * "panelists" over "remaining"), bold like the rest of its header row. */
static bool stacked_on_grid(const wk_fig_page *fp, const wk_fig_grid *g, int i)
{
	const wk_page *page = fp->page;
	const wk_line *l = &page->lines[i];
	float mid = (l->box.x0 + l->box.x1) / 2;
	for (int j = 0; j < page->nlines; j++) {
		const wk_line *o = &page->lines[j];
		float gap = o->box.y0 - l->box.y1, cy = (o->box.y0 + o->box.y1) / 2;
		if (j != i && !fp->body[j] && cy >= g->region.y0 && cy <= g->region.y1 &&
		    gap >= -0.2f * l->size && gap <= 0.6f * l->size &&
		    fabsf((o->box.x0 + o->box.x1) / 2 - mid) <= l->size &&
		    !(o->flags & (WK_LINE_FURNITURE | WK_LINE_FIGURE | WK_LINE_CAPTION)))
			return true;
	}
	return false;
}

/* A header spanning columns ("Year ended December 31,") has the words of a short
 * sentence, so it is no candidate line; right above the header rows, over the columns
 * (right of where the row labels start, a quarter of the table's width in), not body text
 * nor a title ending in ':', it is the table's top header. A bold line is the table's
 * title unless it is one of a row of headers or a header's upper line. The scale line
 * ends the climb: above it is the statement's title. Returns how many were added. */
static int add_spanning_headers(const wk_fig_page *fp, const unsigned char *taken, wk_fig_grid *g)
{
	const wk_page *page = fp->page;
	int added = 0;
	for (bool grew = true; grew && added < MAX_HEADER_ROWS;) {
		grew = false;
		float columns_x0 = g->region.x0 + 0.25f * (g->region.x1 - g->region.x0);
		for (int i = 0; i < page->nlines; i++) {
			const wk_line *l = &page->lines[i];
			float gap = g->region.y0 - l->box.y1;
			if (taken[i] || fp->body[i] || gap < -0.2f * l->size || gap > 1.6f * l->size ||
			    l->box.x0 < columns_x0 || l->box.x1 > g->region.x1 + l->size ||
			    (l->flags & (WK_LINE_FURNITURE | WK_LINE_FIGURE | WK_LINE_CAPTION)) ||
			    ends_with_colon(l->text) ||
			    (l->bold && !in_header_row(fp, taken, columns_x0, i) &&
			     !stacked_on_grid(fp, g, i)))
				continue;
			if (scale_in(l->text))
				return added;
			g->lines[g->nlines++] = i;
			g->region = rect_add(g->region, l->box);
			added++;
			grew = true;
			break;
		}
	}
	return added;
}

/* Header lines of four words or more ("Common Stock and Additional", bold, over two
 * columns) are no candidate lines; among the header rows, between the top of the region
 * and the first grid row, over the columns, they are headers. Returns how many were
 * added (at most MAX_BAND). */
static int add_band_headers(const wk_fig_page *fp, const unsigned char *taken, float grid_y0,
                            wk_fig_grid *g)
{
	enum { MAX_BAND = 8 };
	const wk_page *page = fp->page;
	float columns_x0 = g->region.x0 + 0.25f * (g->region.x1 - g->region.x0);
	int added = 0;
	for (int i = 0; i < page->nlines && added < MAX_BAND; i++) {
		const wk_line *l = &page->lines[i];
		float cy = (l->box.y0 + l->box.y1) / 2;
		if (taken[i] || fp->body[i] || cy <= g->region.y0 || cy >= grid_y0 ||
		    l->box.x0 < columns_x0 || l->box.x1 > g->region.x1 + l->size ||
		    (l->flags & (WK_LINE_FURNITURE | WK_LINE_FIGURE | WK_LINE_CAPTION)) ||
		    scale_in(l->text))
			continue;
		bool known = false;
		for (int k = 0; k < g->nlines && !known; k++)
			known = g->lines[k] == i;
		if (!known)
			g->lines[g->nlines++] = i, added++;
	}
	return added;
}

/* Lines inside the grid's box that no rule above took (a section row "CASH FLOWS FROM
 * OPERATING ACTIVITIES", the first line of a row label wrapped over two lines, two
 * headers printed as one line) are the table's too: left out, they would read as
 * headings between its rows. Body text and paragraphs (a column of prose beside the
 * table that the box reaches over) and sentences (four words or more ending in '.': a note between two
 * tables merged into one region) stay text. g->lines has room for every line of the
 * page. Returns how many were added. */
/* Whether line i has a line of the same left edge right above or below it that is not
 * the grid's: then it is a line of a paragraph (a narrow text column the grid's box
 * reaches over), not a row of the table. */
static bool in_paragraph(const wk_page *page, const wk_fig_grid *g, int i)
{
	const wk_line *l = &page->lines[i];
	for (int j = 0; j < page->nlines; j++) {
		const wk_line *o = &page->lines[j];
		float gap = fmaxf(o->box.y0 - l->box.y1, l->box.y0 - o->box.y1);
		if (j == i || fabsf(o->box.x0 - l->box.x0) > 0.5f * l->size || gap < 0 ||
		    gap > 0.8f * l->size || !o->text[0] || (o->flags & WK_LINE_FURNITURE))
			continue;
		bool grid = false;
		for (int k = 0; k < g->nlines && !grid; k++)
			grid = g->lines[k] == j;
		if (!grid)
			return true;
	}
	return false;
}

static int add_inner_lines(const wk_fig_page *fp, const unsigned char *taken, wk_fig_grid *g)
{
	const wk_page *page = fp->page;
	int added = 0;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		float cx = (l->box.x0 + l->box.x1) / 2, cy = (l->box.y0 + l->box.y1) / 2;
		size_t len = strlen(l->text);
		bool sentence = len > 0 && l->text[len - 1] == '.' && wk_fig_word_count(l->text) >= 4;
		if (taken[i] || len == 0 || sentence || fp->body[i] || cx < g->region.x0 || cx > g->region.x1 ||
		    cy < g->region.y0 || cy > g->region.y1 ||
		    (l->flags & (WK_LINE_FURNITURE | WK_LINE_FIGURE | WK_LINE_CAPTION)))
			continue;
		bool known = false;
		for (int k = 0; k < g->nlines && !known; k++)
			known = g->lines[k] == i;
		if (!known && !in_paragraph(page, g, i))
			g->lines[g->nlines++] = i, added++;
	}
	if (added)
		qsort_r(g->lines, (size_t)g->nlines, sizeof(int), cmp_center, page->lines);
	return added;
}

static void fill_grid(const wk_fig_page *fp, const unsigned char *taken, const int *idx,
                      const row *rows, int first, int start, int last, wk_fig_grid *g)
{
	wk_page *page = fp->page;
	int from = rows[first].first, to = rows[last].first + rows[last].n;
	g->lines = wk_arena_alloc(page->arena, sizeof(int) * (size_t)(page->nlines + 1));
	g->nlines = 0;
	g->region = page->lines[idx[from]].box;
	for (int k = from; k < to; k++) {
		g->lines[g->nlines++] = idx[k];
		g->region = rect_add(g->region, page->lines[idx[k]].box);
	}
	if (first < start)
		add_band_headers(fp, taken, rows[start].y0, g);
	add_spanning_headers(fp, taken, g);
	add_inner_lines(fp, taken, g);
	g->region = add_paths(page, g->region);
	g->title = find_title(fp, taken, g->region);
}

/* Numbers in a table line up: count the numeric cells' right edges (or centres, or
 * left edges) that
 * recur, within 3 pt, in at least MIN_GRID_ROWS grid rows of the run. A table has two
 * such columns or more; stacked axis ticks of plots rarely do. */
static int aligned_columns(const wk_page *page, const int *idx, const row *rows, int first,
                           int last)
{
	enum { MAX_EDGES = 512 };
	float edges[MAX_EDGES][3];
	int n = 0, columns = 0;
	for (int r = first; r <= last; r++) {
		if (!grid_row(&rows[r]))
			continue;
		for (int k = rows[r].first; k < rows[r].first + rows[r].n && n < MAX_EDGES; k++) {
			const wk_line *l = &page->lines[idx[k]];
			if (numeric_cell(l->text)) {
				edges[n][0] = l->box.x1;
				edges[n][1] = (l->box.x0 + l->box.x1) / 2;
				edges[n++][2] = l->box.x0;
			}
		}
	}
	for (int i = 0; i < n; i++) {
		int count[3] = {0}, earlier = 0;
		for (int j = 0; j < n; j++) {
			bool same = false;
			for (int e = 0; e < 3; e++) {
				bool near = fabsf(edges[j][e] - edges[i][e]) < 3;
				count[e] += near;
				same |= near;
			}
			earlier += same && j < i;
		}
		/* Count each column once, at its first cell. */
		if (earlier == 0 && (count[0] >= MIN_GRID_ROWS || count[1] >= MIN_GRID_ROWS ||
		                     count[2] >= MIN_GRID_ROWS))
			columns++;
	}
	return columns;
}

/* A year as a column header ("2015", "2015 vs. 2014" is text): four digits 1900-2099. */
static bool year_like(const char *t)
{
	return strlen(t) == 4 && (t[0] == '1' || t[0] == '2') && (t[1] == '9' || t[1] == '0') &&
	       t[2] >= '0' && t[2] <= '9' && t[3] >= '0' && t[3] <= '9';
}

/* Whether every numeric cell of a row is a year: a header row ("2015 2014 2013"). */
static bool years_row(const wk_page *page, const int *idx, const row *r)
{
	for (int k = r->first; k < r->first + r->n; k++) {
		const char *t = page->lines[idx[k]].text;
		if (numeric_cell(t) && !year_like(t))
			return false;
	}
	return true;
}

/* A table of one or two rows of figures ("Interest expense", "As a percentage of
 * revenues") is too short for the alignment count; its header rows say it is a table:
 * in its first row of figures that are not years, three figures or more, and at least
 * MIN_HEADED of them with a header cell above (overlapping it, or within an em). Without
 * that, the years and "Change" over it would read as headings. */
static bool headed_run(const wk_page *page, const int *idx, const row *rows, int first, int r,
                       int last)
{
	enum { MIN_HEADED = 3 };
	while (r <= last && years_row(page, idx, &rows[r]))
		r++;
	if (r > last || first >= r || rows[r].nnum < MIN_HEADED)
		return false;
	int headed = 0;
	for (int k = rows[r].first; k < rows[r].first + rows[r].n; k++) {
		const wk_line *l = &page->lines[idx[k]];
		bool over = false;
		if (!numeric_cell(l->text))
			continue;
		for (int h = rows[first].first; h < rows[r].first && !over; h++) {
			const wk_line *t = &page->lines[idx[h]];
			over = t->box.x0 < l->box.x1 + l->size && l->box.x0 < t->box.x1 + l->size;
		}
		headed += over;
	}
	return headed >= MIN_HEADED;
}

/* Whether box b's centre lies inside one of the fills. */
static bool centre_on(const wk_rect *fills, int n, wk_rect b)
{
	float cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
	for (int k = 0; k < n; k++)
		if (cx >= fills[k].x0 && cx <= fills[k].x1 && cy >= fills[k].y0 && cy <= fills[k].y1)
			return true;
	return false;
}

/* Whether box b lies on one of the fills: its centre inside, or touching an end of it
 * on its height (a value printed just past its bar). */
static bool on_fill(const wk_rect *fills, int n, wk_rect b, float size)
{
	float cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
	for (int k = 0; k < n; k++) {
		const wk_rect *f = &fills[k];
		bool rows = cy >= f->y0 && cy <= f->y1;
		bool inside = cx >= f->x0 && cx <= f->x1;
		bool beside = b.x1 >= f->x0 - size && b.x0 <= f->x1 + size;
		if (rows && (inside || beside))
			return true;
	}
	return false;
}

/* A bar chart whose labels and values line up in rows reads as a grid: fills (bars, or
 * one fill per series holding all its bars) lie behind or right beside most of its
 * figures, while its row labels stand clear of them. A table's shading is behind its
 * labels too (a shaded row, a panel). Then it is no table: the chart finder takes it. */
static bool bars_behind(const wk_page *page, const wk_fig_grid *g)
{
	enum { MAX_FILLS = 256 };
	wk_rect fills[MAX_FILLS];
	int nf = 0;
	wk_rect r = g->region;
	for (int k = 0; k < page->npaths && nf < MAX_FILLS; k++) {
		wk_rect f = page->paths[k];
		float cx = (f.x0 + f.x1) / 2, cy = (f.y0 + f.y1) / 2;
		if (f.x1 - f.x0 >= 3 && f.y1 - f.y0 >= 3 && cx >= r.x0 && cx <= r.x1 && cy >= r.y0 &&
		    cy <= r.y1 && f.x1 - f.x0 < 0.9f * (r.x1 - r.x0))
			fills[nf++] = f;
	}
	if (nf == 0)
		return false;
	int numbers = 0, on_bars = 0, labels = 0, labels_on = 0;
	for (int k = 0; k < g->nlines; k++) {
		const wk_line *l = &page->lines[g->lines[k]];
		bool on = on_fill(fills, nf, l->box, l->size);
		if (numeric_cell(l->text)) {
			numbers++;
			on_bars += on;
		} else if (has_letter(l->text) && l->box.x0 < r.x0 + 0.25f * (r.x1 - r.x0)) {
			labels++;
			labels_on += on && centre_on(fills, nf, l->box);
		}
	}
	return numbers >= 3 && 10 * on_bars >= 6 * numbers && 5 * labels_on <= labels;
}

int wk_fig_find_grids(const wk_fig_page *fp, const unsigned char *taken, wk_fig_grid *out,
                      int cap)
{
	wk_page *page = fp->page;
	int *idx = wk_arena_alloc(page->arena, sizeof(int) * (size_t)(page->nlines + 1));
	row *rows = wk_arena_alloc(page->arena, sizeof(row) * (size_t)(page->nlines + 1));
	int n = candidate_lines(fp, taken, idx);
	int nrows = group_rows(fp, idx, n, rows), found = 0, floor = 0;
	for (int r = 0; r < nrows && found < cap;) {
		int ngrid;
		if (!grid_row(&rows[r])) {
			r++;
			continue;
		}
		int last = run_end(rows, nrows, r, &ngrid);
		int first = header_start(page, idx, rows, r, floor);
		if ((ngrid >= MIN_GRID_ROWS && aligned_columns(page, idx, rows, r, last) >= 2) ||
		    headed_run(page, idx, rows, first, r, last)) {
			fill_grid(fp, taken, idx, rows, first, r, last, &out[found]);
			found += !bars_behind(page, &out[found]);
		}
		r = last + 1;
		floor = r;
	}
	return found;
}

/* ---- the grid of a table region: rows, columns, header and stub cells ----
 *
 * Lines become pieces (a line of numbers set close together, "5,504,656 $", is split at
 * its spaces, the "$" going to the number it precedes). Pieces group into rows by their
 * vertical centre. Columns come from the numbers: numbers of one column overlap
 * horizontally whatever their width (right-aligned, centred or left-aligned), numbers of
 * two columns never do, so the union of overlapping number intervals is the column set.
 * Rows above the first row of figures are headers; a header cell spans the columns it
 * covers. The leftmost piece of a row, when it is text left of the columns, is the row's
 * stub label; its indentation level is the rank of its left edge among the stub edges. */

enum { MAX_GRID_PIECES = 4096, MAX_GRID_COLS = 64, MAX_INDENT = 6 };

typedef struct piece {
	wk_rect box;
	const char *text;
	float size;
	int row, col, colspan; /* grid position; col -1 until placed */
	bool num, stub;
} piece;

typedef struct grid_build {
	wk_page *page;
	piece *p;
	int n, cap;
	float cols[MAX_GRID_COLS][2]; /* x0, x1 of each column, left to right */
	int ncols;
	float labels_x0, labels_end;  /* left and right edges of the row labels */
	const char *scale;
} grid_build;

/* "(in thousands, except per share data)", "in millions", "(Millions)": the unit the
 * figures are given in. Returns where it starts in t (its parenthesis, or t), NULL when
 * t holds none: "in" before the unit, or the unit alone in parentheses. Only the words
 * every statement uses are looked for. */
static const char *scale_in(const char *t)
{
	static const char *const units[] = {"thousands", "millions", "billions"};
	for (size_t k = 0; k < sizeof units / sizeof *units; k++) {
		const char *u = strcasestr(t, units[k]);
		if (!u)
			continue;
		const char *open = u;
		while (open > t && *open != '(')
			open--;
		bool after_in = u - t >= 3 && strncasecmp(u - 3, "in ", 3) == 0;
		bool alone = *open == '(' && u - open <= 3 && u[strlen(units[k])] == ')';
		if (after_in || alone)
			return *open == '(' ? open : t;
	}
	return NULL;
}

static void add_piece(grid_build *g, const wk_line *l, wk_rect box, const char *text)
{
	if (g->n >= g->cap || !*text)
		return;
	piece *p = &g->p[g->n++];
	memset(p, 0, sizeof *p);
	p->box = box;
	p->text = text;
	p->size = l->size;
	p->num = numeric_cell(text);
	p->col = -1;
}

/* A line of figures only ("5,504,656 $", "8.15 $ 8.20"): split at its spaces, each word
 * given its share of the line's width by its length. Other lines stay whole, a trailing
 * "$" (the next cell's) split off. */
static void split_line(grid_build *g, const wk_line *l)
{
	const char *t = l->text;
	int words = 0, nums = 0, signs = 0;
	char buf[64];
	for (const char *s = t; *s;) {
		size_t n = strcspn(s, " ");
		if (n > 0 && n < sizeof buf) {
			memcpy(buf, s, n);
			buf[n] = '\0';
			nums += numeric_cell(buf) && !currency_only(buf);
			signs += currency_only(buf) || strcmp(buf, "%") == 0;
			words++;
		}
		s += n + (s[n] == ' ');
	}
	size_t len = strlen(t);
	bool figures = words >= 2 && nums + signs == words && nums >= 1;
	size_t tail = len >= 2 && strcmp(t + len - 2, " $") == 0 ? len - 2 : len;
	if (!figures && tail == len) {
		add_piece(g, l, l->box, t);
		return;
	}
	float per = (l->box.x1 - l->box.x0) / (float)WK_MAX(len, 1);
	for (size_t at = 0; at < len;) {
		size_t n = figures ? strcspn(t + at, " ") : (at == 0 ? tail : len - at);
		char *w = wk_arena_strndup(g->page->arena, t + at, n);
		wk_rect box = l->box;
		box.x0 = l->box.x0 + per * (float)at;
		box.x1 = l->box.x0 + per * (float)(at + n);
		add_piece(g, l, box, w);
		at += n;
		while (at < len && t[at] == ' ')
			at++;
	}
}

static int cmp_piece(const void *a, const void *b)
{
	const piece *x = a, *y = b;
	if (x->row != y->row)
		return x->row - y->row;
	return (x->box.x0 > y->box.x0) - (x->box.x0 < y->box.x0);
}

/* Rows by vertical centre (pieces sorted by centre first), then left to right. */
static int assign_rows(grid_build *g)
{
	for (int i = 0; i < g->n; i++)
		g->p[i].row = (int)lrintf((g->p[i].box.y0 + g->p[i].box.y1) * 4);
	qsort(g->p, (size_t)g->n, sizeof *g->p, cmp_piece);
	int nrows = 0;
	float center = 0, tol = 0;
	for (int i = 0; i < g->n; i++) {
		piece *p = &g->p[i];
		float c = (p->box.y0 + p->box.y1) / 2;
		if (i == 0 || c - center > tol) {
			nrows++;
			center = c;
			tol = 0.45f * p->size;
		}
		p->row = nrows - 1;
	}
	qsort(g->p, (size_t)g->n, sizeof *g->p, cmp_piece);
	return nrows;
}

/* "$" alone goes to the piece right of it, "%" alone to the piece left of it. A "$"
 * with no figure right of it on its row (its figure was printed into the next column's
 * label, "— Cash and cash equivalents") is dropped: alone it would make a column of its
 * own between the table's columns. */
static void attach_signs(grid_build *g)
{
	for (int i = 0; i < g->n; i++) {
		piece *p = &g->p[i];
		bool dollar = currency_only(p->text), pct = strcmp(p->text, "%") == 0;
		piece *to = dollar && i + 1 < g->n ? &g->p[i + 1] : pct && i > 0 ? &g->p[i - 1] : NULL;
		bool orphan = dollar && *p->text && (!to || to->row != p->row);
		if (orphan)
			p->text = "";
		if (!to || to->row != p->row || !*to->text || currency_only(to->text))
			continue;
		size_t n = strlen(p->text) + strlen(to->text) + 2;
		char *s = wk_arena_alloc(g->page->arena, n);
		snprintf(s, n, "%s %s", dollar ? p->text : to->text, dollar ? to->text : p->text);
		to->text = s; /* the box stays the number's: columns are found from numbers */
		p->text = "";
	}
}

/* The leftmost piece of a row is its label when it holds letters and figures follow it
 * on the row, or when nothing follows (a label row: "Earnings per share:"). */
static void mark_stubs(grid_build *g)
{
	for (int i = 0; i < g->n; i++) {
		piece *p = &g->p[i];
		bool first = i == 0 || g->p[i - 1].row != p->row;
		p->stub = first && *p->text && has_letter(p->text) && !p->num;
	}
}

static bool overlaps(float a0, float a1, float b0, float b1)
{
	return a0 < b1 - 0.5f && b0 < a1 - 0.5f;
}

/* Adds [x0, x1] to the column set, merging every column it overlaps. */
static void add_interval(grid_build *g, float x0, float x1)
{
	for (int c = 0; c < g->ncols;) {
		if (overlaps(x0, x1, g->cols[c][0], g->cols[c][1])) {
			x0 = WK_MIN(x0, g->cols[c][0]);
			x1 = WK_MAX(x1, g->cols[c][1]);
			g->cols[c][0] = g->cols[--g->ncols][0];
			g->cols[c][1] = g->cols[g->ncols][1];
			c = 0;
		} else {
			c++;
		}
	}
	if (g->ncols < MAX_GRID_COLS) {
		g->cols[g->ncols][0] = x0;
		g->cols[g->ncols++][1] = x1;
	}
}

static int cmp_col(const void *a, const void *b)
{
	const float *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* A row of figures: a number that is not a year, or a number beside a row label. A row
 * of years alone ("2015 2014 2013") is a header. */
static bool figures_row(const grid_build *g, int first, int end)
{
	bool label = false, figure = false;
	for (int i = first; i < end; i++) {
		label |= g->p[i].stub;
		figure |= g->p[i].num && !currency_only(g->p[i].text) && !year_like(g->p[i].text);
	}
	for (int i = first; i < end && label; i++)
		figure |= g->p[i].num && !g->p[i].stub && !year_like(g->p[i].text);
	return figure;
}

/* Columns from the numbers of the rows of figures; then text cells of those rows that
 * fall between columns ("n/m", "N/A") add theirs. Returns the first row of figures. */
static int find_columns(grid_build *g, int nrows)
{
	int first_fig = -1;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0, start = 0; i < g->n; i = start) {
			int end = i;
			while (end < g->n && g->p[end].row == g->p[i].row)
				end++;
			start = end;
			if (!figures_row(g, i, end))
				continue;
			if (first_fig < 0)
				first_fig = g->p[i].row;
			for (int k = i; k < end; k++) {
				const piece *p = &g->p[k];
				bool fits = true;
				for (int c = 0; pass == 1 && c < g->ncols; c++)
					fits &= !overlaps(p->box.x0, p->box.x1, g->cols[c][0], g->cols[c][1]);
				if (!p->stub && *p->text && (pass == 0 ? p->num : fits))
					add_interval(g, p->box.x0, p->box.x1);
			}
		}
	qsort(g->cols, (size_t)g->ncols, sizeof g->cols[0], cmp_col);
	(void)nrows;
	return first_fig;
}

/* The columns a piece covers: those it overlaps, or, for a header, those whose middle
 * it spans; at least the nearest one. */
static void place_piece(const grid_build *g, piece *p, bool header)
{
	int lo = -1, hi = -1, near = 0;
	float best = 1e9f, mid = (p->box.x0 + p->box.x1) / 2;
	for (int c = 0; c < g->ncols; c++) {
		float c0 = g->cols[c][0], c1 = g->cols[c][1], cm = (c0 + c1) / 2;
		bool in = overlaps(p->box.x0, p->box.x1, c0, c1) ||
		          (header && cm >= p->box.x0 && cm <= p->box.x1);
		if (in && !header) { /* a body cell belongs to one column: the most overlapped */
			float ov = WK_MIN(p->box.x1, c1) - WK_MAX(p->box.x0, c0);
			if (lo < 0 || ov > best) {
				lo = hi = c;
				best = ov;
			}
			continue;
		}
		if (in) {
			lo = lo < 0 ? c : lo;
			hi = c;
		}
		if (fabsf(cm - mid) < fabsf((g->cols[near][0] + g->cols[near][1]) / 2 - mid))
			near = c;
	}
	if (lo < 0)
		lo = hi = near;
	p->col = lo;
	p->colspan = hi - lo + 1;
}

/* Whether another piece of p's row overlaps column c (then c is not p's to span). */
static bool claimed(const grid_build *g, const piece *p, int c)
{
	for (int i = 0; i < g->n; i++) {
		const piece *o = &g->p[i];
		if (o != p && o->row == p->row && *o->text &&
		    overlaps(o->box.x0, o->box.x1, g->cols[c][0], g->cols[c][1]))
			return true;
	}
	return false;
}

/* A header spans the columns it is centred over: of the runs of columns around the one
 * it covers that no other header of its row overlaps, the widest whose middle is within
 * a font size (or a quarter of its width) of the header's middle. "Year ended December 31,"
 * spans its years, "Change" the two columns of changes beside them. */
static void span_header(const grid_build *g, piece *p)
{
	float mid = (p->box.x0 + p->box.x1) / 2;
	float tol = WK_MAX(p->size, (p->box.x1 - p->box.x0) / 4);
	int lo = p->col, hi = p->col;
	while (lo > 0 && !claimed(g, p, lo - 1))
		lo--;
	while (hi + 1 < g->ncols && !claimed(g, p, hi + 1))
		hi++;
	int best_lo = p->col, best_hi = p->col + p->colspan - 1;
	for (int a = lo; a <= p->col; a++)
		for (int b = p->col + p->colspan - 1; b <= hi; b++) {
			float m = (g->cols[a][0] + g->cols[b][1]) / 2;
			if (fabsf(m - mid) <= tol && b - a > best_hi - best_lo)
				best_lo = a, best_hi = b;
		}
	p->col = best_lo;
	p->colspan = best_hi - best_lo + 1;
}

/* Indentation levels: the distinct left edges of the stub labels (within 2 pt), ranked. */
static int indent_of(const grid_build *g, float x0)
{
	float edges[MAX_INDENT + 1];
	int n = 0;
	for (int i = 0; i < g->n; i++) {
		const piece *p = &g->p[i];
		bool known = false;
		for (int k = 0; k < n; k++)
			known |= fabsf(edges[k] - p->box.x0) < 2;
		if (p->stub && !known && n < MAX_INDENT + 1)
			edges[n++] = p->box.x0;
	}
	int level = 0;
	for (int k = 0; k < n; k++)
		level += edges[k] < x0 - 2;
	return WK_MIN(level, MAX_INDENT);
}

/* A header line that runs from the stub to past the row labels ("(Millions) 2018") is
 * two cells: its last word, a number, goes to the first column. */
static void split_stub_headers(grid_build *g, int first_fig)
{
	g->labels_x0 = 1e9f;
	for (int i = 0; i < g->n; i++)
		if (g->p[i].stub && g->p[i].row >= first_fig) {
			g->labels_end = WK_MAX(g->labels_end, g->p[i].box.x1);
			g->labels_x0 = WK_MIN(g->labels_x0, g->p[i].box.x0);
		}
	int n = g->n;
	for (int i = 0; i < n && g->n < g->cap; i++) {
		piece *p = &g->p[i];
		const char *last = strrchr(p->text, ' ');
		/* The gap inside such a line is wide: the words' places are estimated from the
		 * ends, at about half an em per character. */
		float em = 0.55f * p->size;
		size_t at = last ? (size_t)(last - p->text) : 0;
		float word_x0 = last ? p->box.x1 - em * (float)strlen(last + 1) : 0;
		if (p->row >= first_fig || !last || !numeric_cell(last + 1) ||
		    p->box.x0 > g->cols[0][0] - p->size || word_x0 < g->labels_end)
			continue;
		piece *q = &g->p[g->n++];
		*q = *p;
		q->text = last + 1;
		q->num = true;
		q->box.x0 = word_x0;
		p->text = wk_arena_strndup(g->page->arena, p->text, at);
		p->box.x1 = WK_MIN(p->box.x0 + em * (float)at, word_x0);
		p->num = false;
	}
	qsort(g->p, (size_t)g->n, sizeof *g->p, cmp_piece);
}

/* A row label alone ending in ':' right above the first row of figures ("Net revenues
 * by segment:") heads the rows under it, not the columns: the rows of figures start
 * there. */
static int label_row_above(const grid_build *g, int first_fig)
{
	int n = 0;
	const piece *only = NULL;
	for (int i = 0; i < g->n; i++)
		if (g->p[i].row == first_fig - 1 && *g->p[i].text)
			n++, only = &g->p[i];
	return n == 1 && only->stub && ends_with_colon(only->text) ? first_fig - 1 : first_fig;
}

/* Places every piece: header rows above the first row of figures, the stub column when
 * rows have labels, the scale line set aside. Returns the number of header rows. */
static int place_all(grid_build *g, int first_fig, bool *has_stub)
{
	*has_stub = false;
	for (int i = 0; i < g->n; i++) {
		piece *p = &g->p[i];
		p->stub &= p->box.x1 <= g->cols[0][0] + p->size;
		if (!*p->text)
			continue;
		if (p->row < first_fig && scale_in(p->text) && !g->scale) {
			g->scale = scale_in(p->text);
			p->text = "";
			continue;
		}
		*has_stub |= p->stub && p->row >= first_fig;
		place_piece(g, p, p->row < first_fig);
		if (p->row < first_fig)
			span_header(g, p);
	}
	for (int i = 0; i < g->n; i++) {
		piece *p = &g->p[i];
		/* A header over the stub column starts about where the labels start; another
		 * header, leftmost on its row, heads the first column ("August 29," over
		 * "$ 192,052"). */
		bool left = p->box.x0 < g->labels_x0 + 3 * p->size && p->box.x1 <= g->cols[0][0] + 1;
		if (*has_stub) {
			p->col = p->row < first_fig ? (left ? 0 : p->col + 1) : p->stub ? 0 : p->col + 1;
			p->colspan = p->col == 0 ? 1 : p->colspan;
		}
	}
	return first_fig;
}

/* Whether header pieces p (above) and q (below) are lines of one header: words under
 * words, centred on each other (or on one left edge), of widths alike. A year under a
 * header ("Year ended December 31," over "2014") is another level, and so is a header
 * much wider than the one below it. */
static bool same_header(const piece *p, const piece *q)
{
	float wp = p->box.x1 - p->box.x0, wq = q->box.x1 - q->box.x0;
	float mp = (p->box.x0 + p->box.x1) / 2, mq = (q->box.x0 + q->box.x1) / 2;
	bool aligned = fabsf(mp - mq) <= p->size || fabsf(p->box.x0 - q->box.x0) <= 2;
	return !p->num && !q->num && has_letter(q->text) && aligned &&
	       WK_MIN(wp, wq) >= 0.3f * WK_MAX(wp, wq) && fabsf(q->size - p->size) <= 0.6f;
}

/* Whether p reaches over another header of q's row than q: then p spans them ("Balances
 * as of December 31," over "Accumulated other" and its neighbours), it does not wrap. */
static bool over_neighbours(const grid_build *g, const piece *p, const piece *q)
{
	for (int k = 0; k < g->n; k++) {
		const piece *o = &g->p[k];
		if (o != q && o->row == q->row && *o->text && p->box.x0 < o->box.x1 &&
		    o->box.x0 < p->box.x1)
			return true;
	}
	return false;
}

/* The header piece right below p, set close under it as the next line of one header
 * ("Accumulated other" over "comprehensive loss"), or NULL. */
static piece *wrapped_below(grid_build *g, int i, int first_fig)
{
	const piece *p = &g->p[i];
	piece *best = NULL;
	for (int k = i + 1; k < g->n && g->p[k].row < first_fig; k++) {
		piece *q = &g->p[k];
		float gap = q->box.y0 - p->box.y1;
		if (q->row == p->row || !*q->text || gap > 0.6f * p->size || gap < -0.5f * p->size ||
		    !same_header(p, q))
			continue;
		if (!best || q->box.y0 < best->box.y0)
			best = q;
	}
	return best && !over_neighbours(g, p, best) ? best : NULL;
}

/* Words of one header printed as pieces of their own ("August" and "29,", close on one
 * row) are one header: left apart, "29," reads as a figure and "August" as a row label.
 * Pieces of a header row closer than a word space and a half are joined. */
static void join_header_words(grid_build *g, int first_fig)
{
	for (int i = 0; i + 1 < g->n && g->p[i + 1].row < first_fig; i++) {
		piece *p = &g->p[i], *q = &g->p[i + 1];
		float gap = q->box.x0 - p->box.x1;
		if (q->row != p->row || !*p->text || !*q->text || gap > 0.4f * p->size ||
		    gap < -0.5f * p->size)
			continue;
		size_t n = strlen(p->text) + strlen(q->text) + 2;
		char *s = wk_arena_alloc(g->page->arena, n);
		snprintf(s, n, "%s %s", p->text, q->text);
		q->text = s;
		q->box = (wk_rect){p->box.x0, WK_MIN(p->box.y0, q->box.y0), q->box.x1,
		                   WK_MAX(p->box.y1, q->box.y1)};
		q->num = numeric_cell(s);
		q->stub = p->stub;
		p->text = "";
	}
}

/* A header printed over two lines or more is one header: its lines are joined, top down,
 * into the lowest, and the upper ones emptied (a row left empty is dropped). Done before
 * the columns are given out, so that the whole header is placed and spanned as one.
 * Header pieces are few (the rows above the first row of figures). */
static void join_wrapped_headers(grid_build *g, int first_fig)
{
	for (int i = 0; i < g->n && g->p[i].row < first_fig; i++) {
		piece *p = &g->p[i];
		piece *q = *p->text && !scale_in(p->text) ? wrapped_below(g, i, first_fig) : NULL;
		if (!q)
			continue;
		size_t n = strlen(p->text) + strlen(q->text) + 2;
		char *s = wk_arena_alloc(g->page->arena, n);
		snprintf(s, n, "%s %s", p->text, q->text);
		q->text = s;
		q->box.x0 = WK_MIN(q->box.x0, p->box.x0);
		q->box.x1 = WK_MAX(q->box.x1, p->box.x1);
		q->box.y0 = p->box.y0;
		q->stub |= p->stub;
		p->text = "";
	}
}

/* Cells from the placed pieces, rows without text dropped; two pieces in one cell are
 * joined by a space, and the cell spans the columns of both. */
static wk_table *emit_table(grid_build *g, int header_rows, bool has_stub)
{
	wk_arena *a = g->page->arena;
	wk_table *t = wk_arena_alloc(a, sizeof *t);
	t->cells = wk_arena_alloc(a, sizeof(wk_cell) * (size_t)(g->n + 1));
	t->ncols = g->ncols + has_stub;
	t->stub_cols = has_stub;
	t->continues = -1;
	t->scale = g->scale ? wk_arena_strdup(a, g->scale) : NULL;
	int row = -1, last_src = -1;
	for (int i = 0; i < g->n; i++) {
		const piece *p = &g->p[i];
		if (!*p->text)
			continue;
		if (p->row != last_src) {
			row++;
			last_src = p->row;
			t->header_rows += p->row < header_rows;
		}
		wk_cell *prev = t->ncells > 0 ? &t->cells[t->ncells - 1] : NULL;
		if (prev && prev->row == row && p->col < prev->col + prev->colspan) {
			size_t n = strlen(prev->text) + strlen(p->text) + 2;
			char *s = wk_arena_alloc(a, n);
			snprintf(s, n, "%s %s", prev->text, p->text);
			prev->text = s;
			prev->box.x1 = WK_MAX(prev->box.x1, p->box.x1);
			/* the cell covers the columns of both */
			prev->colspan = WK_MAX(prev->col + prev->colspan, p->col + p->colspan) - prev->col;
			continue;
		}
		wk_cell *c = &t->cells[t->ncells++];
		int kind = p->row < header_rows ? WK_CELL_HEADER
		           : p->col < t->stub_cols ? WK_CELL_STUB : WK_CELL_BODY;
		*c = (wk_cell){row, p->col, 1, p->colspan, kind, 0, p->text,
		               {g->page->number, p->box.x0, p->box.y0, p->box.x1, p->box.y1}};
		if (kind == WK_CELL_STUB)
			c->indent = indent_of(g, p->box.x0);
	}
	t->nrows = row + 1;
	return t;
}

wk_table *wk_table_from_lines(wk_page *page, const int *lines, int n)
{
	grid_build g = {.page = page};
	for (int k = 0; k < n && g.cap < MAX_GRID_PIECES; k++)
		g.cap += wk_fig_word_count(page->lines[lines[k]].text);
	g.cap = WK_MIN(g.cap, MAX_GRID_PIECES);
	g.p = wk_arena_alloc(page->arena, sizeof(piece) * (size_t)(g.cap + 1));
	for (int k = 0; k < n; k++)
		split_line(&g, &page->lines[lines[k]]);
	int nrows = assign_rows(&g);
	attach_signs(&g);
	mark_stubs(&g);
	int first_fig = find_columns(&g, nrows);
	if (first_fig < 0 || g.ncols < 1)
		return NULL;
	first_fig = label_row_above(&g, first_fig);
	bool has_stub;
	split_stub_headers(&g, first_fig);
	join_header_words(&g, first_fig);
	join_wrapped_headers(&g, first_fig);
	int header_rows = place_all(&g, first_fig, &has_stub);
	wk_table *t = emit_table(&g, header_rows, has_stub);
	return t->ncols >= 2 && t->nrows > t->header_rows ? t : NULL;
}

wk_table *wk_table_copy(wk_arena *arena, const wk_table *t)
{
	if (!t)
		return NULL;
	wk_table *c = wk_arena_alloc(arena, sizeof *c);
	*c = *t;
	c->scale = wk_arena_strdup(arena, t->scale);
	c->cells = wk_arena_alloc(arena, sizeof(wk_cell) * (size_t)(t->ncells + 1));
	for (int i = 0; i < t->ncells; i++) {
		c->cells[i] = t->cells[i];
		c->cells[i].text = wk_arena_strdup(arena, t->cells[i].text);
	}
	return c;
}

/* The scale line of a table: inside its rows (the builder finds it), else a line above
 * it or between its rows (left out of the grid for its length), over its width, within a
 * few lines ("CONSOLIDATED STATEMENTS OF OPERATIONS" then
 * "(in thousands, except per share data)" then the year header). A line that says only
 * the scale leaves the text flow (the table keeps it); a title holding one stays. */
static const char *scale_above(wk_page *page, const wk_figure *fig)
{
	int best = -1;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		float gap = fig->box.y0 - l->box.y1;
		if (l->flags & (WK_LINE_FIGURE | WK_LINE_FURNITURE) || gap > 6 * l->size ||
		    l->box.y0 > fig->region.y1 ||
		    l->box.x1 < fig->region.x0 || l->box.x0 > fig->region.x1 || !scale_in(l->text))
			continue;
		if (best < 0 || l->box.y1 > page->lines[best].box.y1)
			best = i;
	}
	if (best < 0)
		return NULL;
	wk_line *l = &page->lines[best];
	const char *s = scale_in(l->text);
	if (s == l->text && !(l->flags & WK_LINE_CAPTION))
		l->flags |= WK_LINE_CAPTION;
	return s;
}

/* The lines of a table's grid: those of its region, and the title of a table without a
 * caption label when it stands over the columns ("Year ended December 31,"): there it is
 * the top header, spanning its years. */
static int region_lines(const wk_page *page, const wk_figure *fig, int *idx)
{
	int n = 0;
	bool title_over = !(fig->label && *fig->label) &&
	                  fig->caption_box.x0 > fig->region.x0 + 0.25f * (fig->region.x1 - fig->region.x0);
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		float cx = (l->box.x0 + l->box.x1) / 2, cy = (l->box.y0 + l->box.y1) / 2;
		bool in = cx >= fig->region.x0 && cx <= fig->region.x1 && cy >= fig->region.y0 &&
		          cy <= fig->region.y1;
		bool title = title_over && (l->flags & WK_LINE_CAPTION) && cy < fig->region.y0 &&
		             cx >= fig->caption_box.x0 && cx <= fig->caption_box.x1 &&
		             cy >= fig->caption_box.y0 && cy <= fig->caption_box.y1;
		if ((in && (l->flags & WK_LINE_FIGURE) && !(l->flags & WK_LINE_CAPTION)) || title)
			idx[n++] = i;
	}
	return n;
}

void wk_page_build_tables(wk_page *page)
{
	int *idx = wk_arena_alloc(page->arena, sizeof(int) * (size_t)(page->nlines + 1));
	for (int f = 0; f < page->nfigures; f++) {
		wk_figure *fig = &page->figures[f];
		if (fig->type != WK_UNIT_TABLE)
			continue;
		fig->table = wk_table_from_lines(page, idx, region_lines(page, fig, idx));
		if (fig->table && !fig->table->scale) {
			const char *s = scale_above(page, fig);
			fig->table->scale = s ? wk_arena_strdup(page->arena, s) : NULL;
		}
	}
}

/* ---- tables continued on the next page ---- */

static int body_cols(const wk_table *t)
{
	return t->ncols - t->stub_cols;
}

/* Whether the units between an earlier table and this one are only what sits between two
 * pages of one table: short notes and a title marked "(continued)". A heading that is not
 * so marked starts another table (statement after statement, each on its page), and so
 * does a lead-in ending in ':' ("... were as follows:"). */
static bool only_furniture_between(const wk_doc *doc, int from, int to)
{
	enum { MAX_BETWEEN = 6, PARAGRAPH_WORDS = 25 };
	if (to - from - 1 > MAX_BETWEEN)
		return false;
	for (int i = from + 1; i < to; i++) {
		const wk_unit *u = &doc->units[i];
		bool marked = strcasestr(u->text, "continued") != NULL;
		if (u->type == WK_UNIT_FIGURE || u->type == WK_UNIT_TABLE ||
		    (u->type == WK_UNIT_HEADING && !marked) || ends_with_colon(u->text) ||
		    (u->type == WK_UNIT_TEXT && wk_fig_word_count(u->text) > PARAGRAPH_WORDS))
			return false;
	}
	return true;
}

/* A part goes on under the title of the part before, repeated or left out, or under a
 * title that says so; another title is another table ("As of December 31, 2014" after
 * "As of December 31, 2015"). */
static bool same_title(const wk_unit *prev, const wk_unit *u)
{
	const char *a = prev->caption ? prev->caption : "", *b = u->caption ? u->caption : "";
	return !*b || strcmp(a, b) == 0 || strcasestr(b, "continued");
}

/* A part repeats the headers of the part before or has none; other headers ("December
 * 31, 2017" after "December 31, 2016") are another table. */
static bool same_headers(const wk_table *a, const wk_table *b)
{
	if (b->header_rows == 0)
		return true;
	int i = 0, j = 0;
	for (;; i++, j++) {
		while (i < a->ncells && a->cells[i].kind != WK_CELL_HEADER)
			i++;
		while (j < b->ncells && b->cells[j].kind != WK_CELL_HEADER)
			j++;
		if (i >= a->ncells || j >= b->ncells)
			return i >= a->ncells && j >= b->ncells;
		if (strcmp(a->cells[i].text, b->cells[j].text) != 0)
			return false;
	}
}

/* The right edge of column col's figures, the rightmost body cell's (figures are set
 * flush right); -1 when the column has none. */
static float column_right(const wk_table *t, int col)
{
	float x1 = -1;
	for (int i = 0; i < t->ncells; i++)
		if (t->cells[i].kind == WK_CELL_BODY && t->cells[i].col == col && *t->cells[i].text)
			x1 = WK_MAX(x1, t->cells[i].box.x1);
	return x1;
}

/* Whether a part without headers sets its figures where the part before does: every
 * column of figures ends within a few points of the other's. Such a part is the same
 * statement going on whatever its first line says ("Cash flows from investing
 * activities:" read as its title). */
static bool same_columns(const wk_table *a, const wk_table *b)
{
	enum { TOLERANCE = 4 };
	if (b->header_rows > 0)
		return false;
	for (int c = 0; c < body_cols(a); c++) {
		float xa = column_right(a, a->stub_cols + c), xb = column_right(b, b->stub_cols + c);
		if (xa < 0 || xb < 0 || fabsf(xa - xb) > TOLERANCE)
			return false;
	}
	return true;
}

static int continued_from(const wk_doc *doc, const wk_unit *u)
{
	for (int i = u->idx - 1; i >= 0; i--) {
		const wk_unit *prev = &doc->units[i];
		if (prev->page < u->page - 1)
			return -1;
		if (prev->type != WK_UNIT_TABLE)
			continue;
		if (!prev->table || prev->page != u->page - 1 ||
		    body_cols(prev->table) != body_cols(u->table) ||
		    !(same_title(prev, u) || same_columns(prev->table, u->table)) ||
		    !same_headers(prev->table, u->table) ||
		    !only_furniture_between(doc, i, u->idx))
			return -1;
		return prev->idx;
	}
	return -1;
}

void wk_doc_link_tables(wk_doc *doc)
{
	for (int i = 0; i < doc->nunits; i++)
		if (doc->units[i].table)
			wk_doc_set_continues(doc, &doc->units[i], continued_from(doc, &doc->units[i]));
}


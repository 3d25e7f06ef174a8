/* tables.c: tables without a caption (financial statements, reports): text grids.
 *
 * A grid row is a row of lines (extract.c splits a printed row at its wide gaps, so one
 * cell = one line) holding several numbers ("7,990", "22.4 %", "(762)", "—"). Three or
 * more grid rows close to each other make a table; label rows between them ("Adjustment
 * for TCJA"), header rows right above, and a title line ending in ':' above that join
 * it. Prose lines (body text) are never cells. */
#include "figures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
		    (!(fp->body[i] || wk_fig_word_count(l->text) >= 4) || labels_numbers(page, i)))
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

static bool ends_with_colon(const char *t)
{
	size_t n = strlen(t);
	while (n > 0 && t[n - 1] == ' ')
		n--;
	return n > 0 && t[n - 1] == ':';
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
		if ((rows[r].ncells == 1 && ends_with_colon(page->lines[idx[rows[r].first]].text)) ||
		    rows[r].prose)
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

static void fill_grid(const wk_fig_page *fp, const unsigned char *taken, const int *idx,
                      const row *rows, int first, int last, wk_fig_grid *g)
{
	wk_page *page = fp->page;
	int from = rows[first].first, to = rows[last].first + rows[last].n;
	g->lines = wk_arena_alloc(page->arena, sizeof(int) * (size_t)(to - from + 1));
	g->nlines = 0;
	g->region = page->lines[idx[from]].box;
	for (int k = from; k < to; k++) {
		g->lines[g->nlines++] = idx[k];
		g->region = rect_add(g->region, page->lines[idx[k]].box);
	}
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
		if (ngrid >= MIN_GRID_ROWS && aligned_columns(page, idx, rows, r, last) >= 2)
			fill_grid(fp, taken, idx, rows, header_start(page, idx, rows, r, floor), last, &out[found++]);
		r = last + 1;
		floor = r;
	}
	return found;
}

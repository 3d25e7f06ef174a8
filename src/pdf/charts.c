/* charts.c: figures without a caption (the charts of reports, the photos of brochures).
 *
 * A chart is a cluster of graphics (bars, lines, markers, images) with its labels
 * (values, category names, legend, axis ticks) around it. The graphics and the free
 * lines that are not body text are painted, grown a little, on a coarse grid of the page;
 * the connected parts of the grid are the clusters. A cluster is a figure when it holds
 * marks (graphics with an area, not only rules) of some size and is not mostly prose
 * (a framed text box is read as text). Its title is the run of wordy lines at its top or
 * right above it (the bold "Unfavorable views of China ..." with its italic subtitle);
 * the small notes right below it ("Note: ...", "Source: ...") are figure text.
 *
 * The thresholds were chosen on the Pew reports, brochures and papers of the development
 * data (docs/figures.md says how): the growth joins a value label to its bar and a title
 * to its subtitle, but not a section heading to the rule under it. */
#include "figures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CELL = 3 /* points per grid cell */, MAX_MEMBERS = 30000 };

typedef struct member {
	wk_rect r;
	int line;  /* index into page->lines, -1 for a graphic */
	bool mark; /* a graphic with an area (bar, plot line, marker, image) */
	bool image;
	int comp;  /* connected part of the grid, -1 when none */
} member;

typedef struct cgrid {
	int w, h;
	int *cells; /* coverage counts, then component ids (+1), 0 = empty */
} cgrid;

typedef struct cluster {
	wk_rect box;      /* all members */
	wk_rect graphics; /* the graphics only */
	wk_rect marks_box; /* the marks only: a chart's title sits above them */
	bool big_mark;     /* a mark of a chart's size: a plot line, a bar, an image */
	int big_marks;     /* how many */
	int marks, images, lines;
	int values;        /* lines that are mostly digits: a chart's values and ticks */
	size_t chars, prose_chars;
	size_t bold_prose_chars; /* of prose_chars, in bold lines: a chart's panel titles */
	size_t body_chars; /* in body-size lines of two words or more */
	int chart;        /* the chart it was merged into, -1 when none; itself for a seed */
} cluster;

static wk_rect rect_union(wk_rect a, wk_rect b)
{
	if (a.x1 < a.x0)
		return b;
	return (wk_rect){WK_MIN(a.x0, b.x0), WK_MIN(a.y0, b.y0), WK_MAX(a.x1, b.x1),
	                 WK_MAX(a.y1, b.y1)};
}

static const wk_rect no_rect = {1, 1, 0, 0};

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static bool centre_in(wk_rect r, wk_rect box)
{
	float cx = (r.x0 + r.x1) / 2, cy = (r.y0 + r.y1) / 2;
	return cx >= box.x0 && cx <= box.x1 && cy >= box.y0 && cy <= box.y1;
}

/* A line that may be a chart label: not body text, not taken by a captioned figure or
 * table, not a running header or footer. */
static bool free_line(const wk_fig_page *fp, int i)
{
	const wk_line *l = &fp->page->lines[i];
	float h = fp->page->height;
	return !fp->body[i] && l->text && l->text[0] &&
	       !(l->flags & (WK_LINE_FIGURE | WK_LINE_CAPTION | WK_LINE_FURNITURE)) &&
	       l->box.y1 >= 0.06f * h && l->box.y0 <= 0.95f * h;
}

/* Share of the non-blank characters that are digits, in tenths. */
static int digit_tenths(const char *t)
{
	int digits = 0, all = 0;
	for (const char *s = t; *s; s++)
		if (*s != ' ')
			all++, digits += *s >= '0' && *s <= '9';
	return all ? digits * 10 / all : 0;
}

/* Prose: a wordy line of letters (six words, few digits). */
static bool prose(const char *t)
{
	return wk_fig_word_count(t) >= 6 && digit_tenths(t) < 3;
}

/* A line that may label a chart: free, and not a line of a narrow text column beside
 * it (body-size words; chart labels are smaller or short). */
static bool label_line(const wk_fig_page *fp, int i)
{
	const wk_line *l = &fp->page->lines[i];
	bool wordy = wk_fig_word_count(l->text) >= 4 && digit_tenths(l->text) < 3;
	return free_line(fp, i) && !(wordy && fabsf(l->size - fp->body_size) <= 0.8f);
}

/* A big graphic under lines of words is a text panel, a page background or a scanned
 * page under its text layer: not a chart's mark. Only big graphics are looked at, so a
 * page of many small paths costs no pass over its lines. */
static bool under_text(const wk_page *page, wk_rect r)
{
	enum { MAX_WORDY = 6 };
	if ((r.x1 - r.x0) * (r.y1 - r.y0) < 0.05f * page->width * page->height)
		return false;
	int wordy = 0;
	for (int i = 0; i < page->nlines && wordy < MAX_WORDY; i++)
		wordy += centre_in(page->lines[i].box, r) && page->lines[i].text &&
		         wk_fig_word_count(page->lines[i].text) >= 4;
	return wordy >= MAX_WORDY;
}

/* Graphics not inside a unit found already, out of the header and footer bands, and
 * not a panel behind text. */
static bool free_graphic(const wk_page *page, wk_rect r, int nfig)
{
	float w = r.x1 - r.x0, h = r.y1 - r.y0;
	if (r.y1 < 0.06f * page->height || r.y0 > 0.95f * page->height ||
	    w * h > 0.6f * page->width * page->height || under_text(page, r))
		return false;
	for (int f = 0; f < nfig; f++)
		if (centre_in(r, page->figures[f].box))
			return false;
	return true;
}

/* Lines by band of BAND points of height, so that a graphic looks only at the lines
 * beside it. */
enum { BAND = 16 };
typedef struct bands {
	int n;
	int *start; /* lines of band b: idx[start[b] .. start[b + 1]) */
	int *idx;
} bands;

static void bands_init(const wk_page *page, bands *b)
{
	b->n = (int)(page->height / BAND) + 2;
	b->start = wk_arena_alloc(page->arena, sizeof(int) * (size_t)(b->n + 1));
	b->idx = wk_arena_alloc(page->arena, sizeof(int) * (size_t)(page->nlines + 1));
	int *fill = wk_arena_alloc(page->arena, sizeof(int) * (size_t)(b->n + 1));
	for (int i = 0; i < page->nlines; i++)
		b->start[clampi((int)(page->lines[i].box.y0 / BAND), 0, b->n - 1) + 1]++;
	for (int k = 0; k < b->n; k++)
		b->start[k + 1] += b->start[k];
	for (int i = 0; i < page->nlines; i++) {
		int k = clampi((int)(page->lines[i].box.y0 / BAND), 0, b->n - 1);
		b->idx[b->start[k] + fill[k]++] = i;
	}
}

/* A fill behind words (a shaded table row, a banner, a text box) is a background, not a
 * mark; a bar may hold its value ("64%"), and a big area of an area chart its series'
 * name: words covering under a tenth of a fill taller than three lines are a label on it
 * (a text box is mostly words). */
static bool behind_words(const wk_page *page, const bands *b, wk_rect r)
{
	int k0 = clampi((int)(r.y0 / BAND) - 1, 0, b->n - 1), k1 = clampi((int)(r.y1 / BAND), 0, b->n - 1);
	float words = 0, size = 0;
	for (int k = k0; k <= k1; k++)
		for (int j = b->start[k]; j < b->start[k + 1]; j++) {
			const wk_line *l = &page->lines[b->idx[j]];
			if (centre_in(l->box, r) && l->text && wk_fig_word_count(l->text) >= 2 &&
			    digit_tenths(l->text) < 3) {
				words += (l->box.x1 - l->box.x0) * (l->box.y1 - l->box.y0);
				size = WK_MAX(size, l->size);
			}
		}
	float area = (r.x1 - r.x0) * (r.y1 - r.y0);
	return words > 0 && (r.y1 - r.y0 <= 3.6f * size || words >= 0.1f * area);
}

static int cmp_row(const void *a, const void *b)
{
	const member *x = a, *y = b;
	if (fabsf(x->r.y0 - y->r.y0) >= 1)
		return (x->r.y0 > y->r.y0) - (x->r.y0 < y->r.y0);
	return (x->r.x0 > y->r.x0) - (x->r.x0 < y->r.x0);
}

/* A shaded table row is drawn as several fills side by side, one behind each cell:
 * when one of them is behind words, the whole run is shading. Sorts the graphics. */
static void unshade_runs(member *m, int n)
{
	qsort(m, (size_t)n, sizeof(member), cmp_row);
	for (int a = 0; a < n;) {
		int b = a + 1;
		bool shade = !m[a].mark && !m[a].image && m[a].r.y1 - m[a].r.y0 >= 3;
		while (b < n && fabsf(m[b].r.y0 - m[a].r.y0) < 1 && fabsf(m[b].r.y1 - m[a].r.y1) < 1 &&
		       m[b].r.x0 <= m[b - 1].r.x1 + 2) {
			shade |= !m[b].mark && !m[b].image && m[b].r.y1 - m[b].r.y0 >= 3;
			b++;
		}
		for (int k = a; k < b && shade && b - a > 1; k++)
			m[k].mark = false;
		a = b;
	}
}

static int collect(const wk_fig_page *fp, int nfig, member *m, int cap)
{
	const wk_page *page = fp->page;
	bands b;
	bands_init(page, &b);
	int n = 0;
	float page_area = page->width * page->height;
	for (int k = 0; k < page->nimages + page->npaths && n < cap; k++) {
		bool image = k < page->nimages;
		wk_rect r = image ? page->images[k] : page->paths[k - page->nimages];
		float w = r.x1 - r.x0, h = r.y1 - r.y0;
		/* A photo over a quarter of the page is a page's decoration with text on it. */
		if (!free_graphic(page, r, nfig) || (image && w * h > 0.25f * page_area))
			continue;
		bool mark = image || (w >= 3 && h >= 3 && !behind_words(page, &b, r));
		m[n++] = (member){r, -1, mark, image, -1};
	}
	unshade_runs(m, n);
	for (int i = 0; i < page->nlines && n < cap; i++)
		if (label_line(fp, i))
			m[n++] = (member){page->lines[i].box, i, false, false, -1};
	return n;
}

/* How far a member reaches on the grid: graphics half a body size each way, text a
 * little sideways (a value beside its marker) but only a third of it up and down
 * (a title joins its subtitle, a section heading stays off the chart's top rule). */
static void reach(const wk_fig_page *fp, const member *m, float *dx, float *dy)
{
	if (m->line < 0) {
		*dx = *dy = 0.5f * fp->body_size;
		return;
	}
	float size = fp->page->lines[m->line].size;
	*dx = 0.6f * size;
	*dy = 0.35f * size;
}

/* Paints the grown members on the grid (a 2-D difference array, then prefix sums:
 * each member costs O(1) whatever its size). */
static void paint(const wk_fig_page *fp, const member *m, int n, cgrid *g)
{
	int w = g->w, h = g->h;
	int *d = g->cells;
	for (int k = 0; k < n; k++) {
		float dx, dy;
		reach(fp, &m[k], &dx, &dy);
		int x0 = clampi((int)floorf((m[k].r.x0 - dx) / CELL), 0, w - 1);
		int x1 = clampi((int)floorf((m[k].r.x1 + dx) / CELL), 0, w - 1);
		int y0 = clampi((int)floorf((m[k].r.y0 - dy) / CELL), 0, h - 1);
		int y1 = clampi((int)floorf((m[k].r.y1 + dy) / CELL), 0, h - 1);
		d[y0 * (w + 1) + x0]++;
		d[y0 * (w + 1) + x1 + 1]--;
		d[(y1 + 1) * (w + 1) + x0]--;
		d[(y1 + 1) * (w + 1) + x1 + 1]++;
	}
	for (int y = 0; y <= h; y++)
		for (int x = 0; x <= w; x++) {
			int v = d[y * (w + 1) + x];
			if (x > 0)
				v += d[y * (w + 1) + x - 1];
			if (y > 0)
				v += d[(y - 1) * (w + 1) + x];
			if (x > 0 && y > 0)
				v -= d[(y - 1) * (w + 1) + x - 1];
			d[y * (w + 1) + x] = v;
		}
}

/* Labels the covered cells by connected part (4-neighbours); cells become -(id + 1)
 * so that coverage counts and labels cannot be confused. Returns the number of parts. */
static int label_parts(cgrid *g, int *queue)
{
	int w = g->w, stride = w + 1, parts = 0;
	for (int start = 0; start < g->h * stride; start++) {
		if (start % stride == w || g->cells[start] <= 0)
			continue;
		int head = 0, tail = 0;
		queue[tail++] = start;
		g->cells[start] = -(parts + 1);
		while (head < tail) {
			int c = queue[head++], x = c % stride, y = c / stride;
			int next[4] = {x > 0 ? c - 1 : -1, x < w - 1 ? c + 1 : -1, y > 0 ? c - stride : -1,
			               y < g->h - 1 ? c + stride : -1};
			for (int k = 0; k < 4; k++)
				if (next[k] >= 0 && g->cells[next[k]] > 0) {
					g->cells[next[k]] = -(parts + 1);
					queue[tail++] = next[k];
				}
		}
		parts++;
	}
	return parts;
}

static int part_of(const cgrid *g, wk_rect r)
{
	int x = clampi((int)floorf((r.x0 + r.x1) / 2 / CELL), 0, g->w - 1);
	int y = clampi((int)floorf((r.y0 + r.y1) / 2 / CELL), 0, g->h - 1);
	int v = g->cells[y * (g->w + 1) + x];
	return v < 0 ? -v - 1 : -1;
}


static void measure(const wk_page *page, float body_size, const member *m, int n, cluster *cl,
                    int nparts)
{
	for (int p = 0; p < nparts; p++)
		cl[p] = (cluster){no_rect, no_rect, no_rect, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1};
	for (int k = 0; k < n; k++) {
		if (m[k].comp < 0)
			continue;
		cluster *c = &cl[m[k].comp];
		c->box = rect_union(c->box, m[k].r);
		if (m[k].line < 0) {
			c->graphics = rect_union(c->graphics, m[k].r);
			if (m[k].mark)
				c->marks_box = rect_union(c->marks_box, m[k].r);
			/* A bar is long, a plot line wide; a formula's glyphs are small. */
			bool big = m[k].mark && WK_MAX(m[k].r.x1 - m[k].r.x0, m[k].r.y1 - m[k].r.y0) >=
			                            3.0f * body_size;
			c->big_mark |= big;
			c->big_marks += big;
			c->marks += m[k].mark;
			c->images += m[k].image;
			continue;
		}
		const char *t = page->lines[m[k].line].text;
		size_t len = strlen(t);
		const wk_line *l = &page->lines[m[k].line];
		c->lines++;
		c->values += digit_tenths(t) >= 5;
		c->chars += len;
		/* A bold line is a title or a panel's question over its bars, not running text
		 * (a seed may hold some); a part holding one joins no chart (a heading beside). */
		c->prose_chars += prose(t) ? len : 0;
		c->bold_prose_chars += prose(t) && l->bold ? len : 0;
		c->body_chars += fabsf(l->size - body_size) <= 0.8f && wk_fig_word_count(t) >= 2 &&
		                 digit_tenths(t) < 3 ? len : 0;
	}
}

/* A seed of a chart: marks of a chart's size (or a photo's) and text that labels them
 * rather than prose. */
static bool is_seed(const wk_fig_page *fp, const cluster *c)
{
	float size = fp->body_size;
	float w = c->graphics.x1 - c->graphics.x0, h = c->graphics.y1 - c->graphics.y0;
	/* Glyphs of a formula drawn as paths are small marks. Two big ones with values around
	 * them are two series of an area or bar chart. */
	bool two_series = c->big_marks >= 2 && c->values >= 3;
	if ((c->marks < (c->images > 0 ? 1 : 3) && !two_series) || !c->big_mark || w < 5 * size ||
	    h < 3 * size)
		return false;
	/* Words of body size around graphics are text with inline math or a text box. */
	if ((c->prose_chars - c->bold_prose_chars + c->body_chars) * 10 > c->chars * 4)
		return false;
	return c->images > 0 || c->lines >= 2;
}

/* A drawn rule across `box` between heights y0 and y1 (a chart's top rule separates it
 * from the heading above). */
static bool rule_between(const wk_page *page, wk_rect box, float y0, float y1)
{
	for (int k = 0; k < page->npaths; k++) {
		const wk_rect *r = &page->paths[k];
		if (r->y1 - r->y0 < 2 && r->y0 >= y0 - 1 && r->y1 <= y1 + 1 &&
		    r->x1 - r->x0 >= 0.5f * (box.x1 - box.x0) && r->x0 < box.x1 && r->x1 > box.x0)
			return true;
	}
	return false;
}

/* Whether part q lies next to chart c: an axis below the plot, a category name
 * beside its bar, a legend. Not across a rule, not prose. */
static bool neighbours(const wk_fig_page *fp, const cluster *c, const cluster *q)
{
	float size = fp->body_size;
	if (q->prose_chars + q->body_chars > 0)
		return false;
	float dx = WK_MAX(q->box.x0 - c->box.x1, c->box.x0 - q->box.x1);
	float dy = WK_MAX(q->box.y0 - c->box.y1, c->box.y0 - q->box.y1);
	/* Plot lines over one x range are one chart however far apart their values lie. */
	bool graphics = q->graphics.x1 >= q->graphics.x0;
	float shared = WK_MIN(q->graphics.x1, c->graphics.x1) - WK_MAX(q->graphics.x0, c->graphics.x0);
	bool same_axis = graphics && shared >= 0.8f * (q->graphics.x1 - q->graphics.x0) &&
	                 shared >= 0.8f * (c->graphics.x1 - c->graphics.x0);
	float reach = same_axis ? 4.0f : graphics ? 2.5f : 1.5f;
	if (dx > 2.5f * size || dy > reach * size)
		return false;
	if (dy > 0) { /* above or below: within the chart's width, no rule between */
		float over = WK_MIN(q->box.x1, c->box.x1) - WK_MAX(q->box.x0, c->box.x0);
		bool below = q->box.y0 > c->box.y1;
		return over >= 0.5f * (q->box.x1 - q->box.x0) &&
		       !rule_between(fp->page, c->box, below ? c->box.y1 : q->box.y1,
		                     below ? q->box.y0 : c->box.y0);
	}
	return dx > 0 || dy <= 0;
}

/* Seeds take their neighbouring parts, a few rounds (a label beside an axis beside
 * the plot). A part joins one chart only; seeds do not join each other. */
static void absorb(cluster *c, const cluster *q)
{
	c->box = rect_union(c->box, q->box);
	c->graphics = rect_union(c->graphics, q->graphics);
	c->marks_box = rect_union(c->marks_box, q->marks_box);
	c->big_mark |= q->big_mark;
	c->big_marks += q->big_marks, c->values += q->values;
	c->marks += q->marks, c->images += q->images, c->lines += q->lines;
	c->chars += q->chars, c->prose_chars += q->prose_chars, c->body_chars += q->body_chars;
	c->bold_prose_chars += q->bold_prose_chars;
}

/* Bars drawn apart (one per category) are one chart: parts with marks stacked in a
 * column or standing in a row, a small gap apart, are grouped before seeds are looked
 * for. group[q] is the part that holds q's group. */
static void group_marks(const wk_fig_page *fp, cluster *cl, int nparts, int *group)
{
	float gap = 2.0f * fp->body_size;
	long budget = 4000000; /* pairs looked at: a page of scattered markers stays cheap */
	for (int p = 0; p < nparts; p++)
		group[p] = p;
	for (int p = 0; p < nparts && budget > 0; p++) {
		if (cl[p].marks == 0 || group[p] != p)
			continue;
		for (int q = p + 1; q < nparts && --budget > 0; q++) {
			const wk_rect *a = &cl[p].marks_box, *b = &cl[q].marks_box;
			if (cl[q].marks == 0 || group[q] != q)
				continue;
			float dx = WK_MAX(b->x0 - a->x1, a->x0 - b->x1);
			float dy = WK_MAX(b->y0 - a->y1, a->y0 - b->y1);
			if ((dx <= 0 && dy <= gap) || (dy <= 0 && dx <= gap)) {
				absorb(&cl[p], &cl[q]);
				group[q] = p;
				q = p; /* the group grew: look again */
			}
		}
	}
}

static void merge_parts(const wk_fig_page *fp, cluster *cl, int nparts, int cap, int *group)
{
	group_marks(fp, cl, nparts, group);
	for (int p = 0; p < nparts; p++)
		if (group[p] != p)
			cl[p].chart = -2; /* inside another part's group */
	int seeds = 0;
	for (int p = 0; p < nparts && seeds < cap; p++)
		if (cl[p].chart == -1 && is_seed(fp, &cl[p]))
			cl[p].chart = p, seeds++;
	for (int round = 0; round < 4; round++) {
		bool grew = false;
		for (int s = 0; s < nparts; s++) {
			if (cl[s].chart != s)
				continue;
			for (int q = 0; q < nparts; q++) {
				if (cl[q].chart != -1 || !neighbours(fp, &cl[s], &cl[q]))
					continue;
				cl[q].chart = s;
				cl[s].box = rect_union(cl[s].box, cl[q].box);
				cl[s].chars += cl[q].chars;
				grew = true;
			}
		}
		if (!grew)
			break;
	}
}

/* The free line right above (up) or below the box, within `gap`, in its span. */
static int next_line(const wk_fig_page *fp, const unsigned char *used, wk_rect box, bool up,
                     float gap)
{
	const wk_page *page = fp->page;
	int best = -1;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		float d = up ? box.y0 - l->box.y1 : l->box.y0 - box.y1;
		/* A title or a note may start left of the plot, at the axis labels. */
		if (used[i] || d < -0.3f * l->size || d > gap || l->box.x1 < box.x0 ||
		    l->box.x0 > box.x1 || l->box.x0 < box.x0 - 4 * l->size)
			continue;
		if (best < 0 || (up ? l->box.y1 > page->lines[best].box.y1
		                    : l->box.y0 < page->lines[best].box.y0))
			best = i;
	}
	return best;
}

/* A title line: wordy, not a number row, not much larger than body text or the
 * chart's labels (a slide's title or a section heading is bigger), alone on its row
 * within the chart. */
static bool title_like(const wk_fig_page *fp, wk_rect box, float label_size, int line)
{
	const wk_page *page = fp->page;
	const wk_line *l = &page->lines[line];
	if (wk_fig_word_count(l->text) < 2 || digit_tenths(l->text) >= 3 ||
	    l->size > WK_MAX(1.3f * fp->body_size, 1.6f * label_size))
		return false;
	for (int j = 0; j < page->nlines; j++) {
		const wk_line *o = &page->lines[j];
		if (j != line && !fp->body[j] && o->box.x0 < box.x1 && o->box.x1 > box.x0 &&
		    o->box.y0 < l->box.y1 - 0.3f * l->size && l->box.y0 < o->box.y1 - 0.3f * l->size)
			return false;
	}
	return true;
}

static int cmp_top(const void *a, const void *b, void *arg)
{
	const wk_line *lines = arg;
	float x = lines[*(const int *)a].box.y0, y = lines[*(const int *)b].box.y0;
	return (x > y) - (x < y);
}

/* The lines stacked right above the chart (labels, its subtitle and title) up to a
 * rule, body text or a gap; then its own lines above its marks. Writes them top down;
 * returns how many. */
static int top_lines(const wk_fig_page *fp, const member *m, int n, int chart,
                     const cluster *c, float label_size, const unsigned char *used, int *out,
                     int cap)
{
	const wk_page *page = fp->page;
	int got = 0;
	wk_rect box = c->box;
	/* The top tick ("100%") may stand far above the data; a title may not. */
	int i = next_line(fp, used, box, true, 6.0f * fp->body_size);
	if (i >= 0 && box.y0 - page->lines[i].box.y1 > 2.5f * fp->body_size &&
	    (title_like(fp, box, label_size, i) || wk_fig_word_count(page->lines[i].text) > 2))
		i = -1;
	for (; i >= 0 && got < cap; i = next_line(fp, used, box, true, 1.5f * page->lines[i].size)) {
		const wk_line *l = &page->lines[i];
		if (!label_line(fp, i) || rule_between(page, c->box, l->box.y1, box.y0))
			break;
		out[got++] = i;
		box.y0 = WK_MIN(box.y0, l->box.y0);
	}
	for (int a = 0, b = got - 1; a < b; a++, b--) {
		int t = out[a];
		out[a] = out[b], out[b] = t;
	}
	int first = got;
	for (int k = 0; k < n && got < cap; k++)
		if (m[k].comp == chart && m[k].line >= 0 && m[k].r.y1 <= c->marks_box.y0 + 1)
			out[got++] = m[k].line;
	qsort_r(out + first, (size_t)(got - first), sizeof(int), cmp_top, page->lines);
	return got;
}

/* The notes under a chart ("Note: ...", "Source: ..."): smaller than its labels,
 * stacked right below it (a chart's labels below it belong to the next chart). Writes
 * line indices; returns how many. */
static int find_notes(const wk_fig_page *fp, wk_rect box, float label_size, unsigned char *used,
                      int *out, int cap)
{
	const wk_page *page = fp->page;
	int got = 0;
	for (int i = next_line(fp, used, box, false, 2.0f * fp->body_size); i >= 0 && got < cap;
	     i = next_line(fp, used, box, false, 1.2f * page->lines[i].size)) {
		const wk_line *l = &page->lines[i];
		if (!free_line(fp, i) || l->size > label_size - 0.3f)
			break;
		out[got++] = i;
		used[i] = 1;
		box.y1 = l->box.y1;
	}
	return got;
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* The typical size of a chart's labels (body size when it has none). */
static float median_size(const wk_page *page, const member *m, int n, int chart)
{
	float *sizes = wk_arena_alloc(page->arena, sizeof(float) * (size_t)(n + 1));
	int ns = 0;
	for (int k = 0; k < n; k++)
		if (m[k].comp == chart && m[k].line >= 0)
			sizes[ns++] = page->lines[m[k].line].size;
	if (ns == 0)
		return 0;
	qsort(sizes, (size_t)ns, sizeof(float), cmp_float);
	return sizes[ns / 2];
}

/* Fills one figure from chart `chart`: its title is the caption, its other lines and
 * notes are figure text. */
static void emit_chart(const wk_fig_page *fp, const member *m, int n, int chart,
                       const cluster *c, unsigned char *used, wk_figure *out)
{
	enum { MAX_TOP = 24, MAX_TITLE = 8, MAX_NOTES = 12 };
	wk_page *page = fp->page;
	int top[MAX_TOP], notes[MAX_NOTES], ntitle = 0;
	float label_size = median_size(page, m, n, chart);
	int ntop = top_lines(fp, m, n, chart, c, label_size, used, top, MAX_TOP);
	while (ntitle < ntop && ntitle < MAX_TITLE && title_like(fp, c->box, label_size, top[ntitle]))
		used[top[ntitle++]] = 1;
	int *idx = wk_arena_alloc(page->arena, sizeof(int) * (size_t)(n + MAX_TOP + MAX_NOTES + 1));
	int ni = 0;
	wk_rect region = c->graphics;
	for (int k = ntitle; k < ntop; k++)
		if (!used[top[k]]) {
			used[top[k]] = 1;
			idx[ni++] = top[k];
			region = rect_union(region, page->lines[top[k]].box);
		}
	for (int k = 0; k < n; k++)
		if (m[k].comp == chart && m[k].line >= 0 && !used[m[k].line]) {
			used[m[k].line] = 1;
			idx[ni++] = m[k].line;
			region = rect_union(region, m[k].r);
		}
	int nn = find_notes(fp, rect_union(region, c->box), label_size, used, notes, MAX_NOTES);
	for (int k = 0; k < nn; k++) {
		idx[ni++] = notes[k];
		region = rect_union(region, page->lines[notes[k]].box);
	}
	for (int k = 0; k < ni; k++)
		page->lines[idx[k]].flags |= WK_LINE_FIGURE;
	memset(out, 0, sizeof *out);
	out->type = WK_UNIT_FIGURE;
	out->label = "";
	out->figure_text = wk_fig_join_lines(page, idx, ni, " ");
	out->region = region;
	out->caption = wk_fig_caption_join(page, top, ntitle);
	out->caption_box = ntitle ? no_rect : region;
	for (int k = 0; k < ntitle; k++) {
		page->lines[top[k]].flags |= WK_LINE_CAPTION;
		out->caption_box = rect_union(out->caption_box, page->lines[top[k]].box);
	}
	out->box = rect_union(region, out->caption_box);
}

/* Whether the members could hold a seed at all (is_seed): an image, or two marks of
 * which one has a chart's size. */
static bool seed_possible(const wk_fig_page *fp, const member *m, int n)
{
	int marks = 0;
	bool image = false, big = false;
	for (int k = 0; k < n; k++) {
		if (!m[k].mark)
			continue;
		marks++;
		image |= m[k].image;
		big |= WK_MAX(m[k].r.x1 - m[k].r.x0, m[k].r.y1 - m[k].r.y0) >= 3.0f * fp->body_size;
	}
	return big && (image || marks >= 2);
}

int wk_fig_find_charts(const wk_fig_page *fp, wk_figure *out, int cap)
{
	wk_page *page = fp->page;
	if (page->npaths + page->nimages == 0 || cap <= 0 || wk_fig_image_page(page))
		return 0;
	int nmax = WK_MIN(page->npaths + page->nimages + page->nlines, MAX_MEMBERS);
	member *m = wk_xmalloc(sizeof(member) * (size_t)(nmax + 1));
	int n = collect(fp, page->nfigures, m, nmax);
	if (!seed_possible(fp, m, n)) { /* most pages of text: no grid to paint */
		free(m);
		return 0;
	}
	cgrid g = {(int)(page->width / CELL) + 1, (int)(page->height / CELL) + 1, NULL};
	size_t cells = (size_t)(g.w + 1) * (size_t)(g.h + 1);
	/* The grid and the queue in one zeroed block, the worker's when it lends one. */
	g.cells = wk_scratch_zeroed(page->scratch, 2 * cells * sizeof(int));
	int *queue = g.cells + cells;
	paint(fp, m, n, &g);
	int nparts = label_parts(&g, queue);
	for (int k = 0; k < n; k++)
		m[k].comp = part_of(&g, m[k].r);
	cluster *cl = wk_xmalloc(sizeof(cluster) * (size_t)(nparts + 1));
	measure(page, fp->body_size, m, n, cl, nparts);
	int *group = wk_xmalloc(sizeof(int) * (size_t)(nparts + 1));
	merge_parts(fp, cl, nparts, cap, group);
	for (int p = 0; p < nparts; p++)
		if (group[p] != p)
			cl[p].chart = cl[group[p]].chart;
	for (int k = 0; k < n; k++)
		if (m[k].comp >= 0)
			m[k].comp = cl[m[k].comp].chart;
	free(group);
	unsigned char *used = wk_arena_alloc(page->arena, (size_t)page->nlines + 1);
	int found = 0;
	for (int p = 0; p < nparts && found < cap; p++)
		if (cl[p].chart == p && (cl[p].prose_chars - cl[p].bold_prose_chars) * 10 <= cl[p].chars * 4)
			emit_chart(fp, m, n, p, &cl[p], used, &out[found++]);
	free(cl);
	wk_scratch_release(page->scratch, g.cells);
	free(m);
	return found;
}

/* regions.c: grows figure and table regions from their captions; wk_page_find_figures.
 *
 * Elements are the page's path and image boxes and its lines that are neither body text
 * nor captions. From the caption, the region takes the nearest elements in the caption's
 * span, one after the other while the gap to the region stays small, up to the first
 * stopper: body text, another caption, the page's top or bottom band. Figures look above
 * their caption first, tables below; the other side is tried when the first is empty or
 * clearly farther. Figures go first; what they take, tables cannot take again. */
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EL_PATH, EL_IMAGE, EL_LINE };
enum { MAX_CAPTIONS = 64, MAX_ELEMENTS = 30000, MAX_LINES = 8000 };

typedef struct element {
	wk_rect r;
	int kind;  /* EL_* */
	int index; /* into page->paths, ->images or ->lines */
	int owner; /* caption index that took it, -1 when free */
} element;

typedef struct finder {
	wk_fig_page fp;
	wk_fig_caption caps[MAX_CAPTIONS];
	int ncaps;
	unsigned char *is_caption; /* per line */
	element *els;
	int nels;
	int *pick;                 /* scratch: candidate element indices */
	unsigned char *taken;      /* scratch: per pick, taken into the region */
	bool scanned;              /* wk_fig_image_page: images are the page, not elements */
} finder;

typedef struct grown {
	wk_rect region;
	int n;     /* candidates looked at, up to the last one taken */
	int taken; /* elements taken; 0 = nothing found */
	float gap; /* distance from the caption to the nearest element taken */
} grown;

static bool rect_empty(wk_rect r)
{
	return r.x1 < r.x0 || r.y1 < r.y0;
}

static wk_rect rect_union(wk_rect a, wk_rect b)
{
	if (rect_empty(a))
		return b;
	return (wk_rect){WK_MIN(a.x0, b.x0), WK_MIN(a.y0, b.y0), WK_MAX(a.x1, b.x1),
	                 WK_MAX(a.y1, b.y1)};
}

static const wk_rect no_rect = {1, 1, 0, 0};

/* Lines outside the text's horizontal extent that are only digits: line numbers. */
static bool margin_number(const wk_fig_page *fp, const wk_line *l)
{
	if (l->box.x1 > fp->left - 2 && l->box.x0 < fp->right + 2)
		return false;
	for (const char *s = l->text; *s; s++)
		if (!(*s >= '0' && *s <= '9') && *s != ' ')
			return false;
	return true;
}

static void add_element(finder *f, wk_rect r, int kind, int index)
{
	const wk_page *page = f->fp.page;
	if (f->nels >= MAX_ELEMENTS)
		return;
	/* The top and bottom bands hold running headers, footers and their rules; text
	 * there (a header line) is left out in a wider band than graphics. */
	float top = kind == EL_LINE ? 0.09f : 0.06f, bottom = kind == EL_LINE ? 0.93f : 0.95f;
	if (r.y1 < top * page->height || r.y0 > bottom * page->height)
		return;
	f->els[f->nels++] = (element){r, kind, index, -1};
}

static void collect_elements(finder *f)
{
	wk_page *page = f->fp.page;
	size_t cap = (size_t)WK_MIN(page->npaths + page->nimages + page->nlines, MAX_ELEMENTS);
	f->els = wk_arena_alloc(page->arena, sizeof(element) * (cap + 1));
	f->pick = wk_arena_alloc(page->arena, sizeof(int) * (cap + 1));
	f->taken = wk_arena_alloc(page->arena, cap + 1);
	f->scanned = wk_fig_image_page(page);
	for (int i = 0; i < page->nimages && !f->scanned; i++)
		add_element(f, page->images[i], EL_IMAGE, i);
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		if (f->fp.body[i] || f->is_caption[i] || !l->text || margin_number(&f->fp, l))
			continue;
		/* Furniture lines (rotated text) count only inside the text's extent: axis
		 * titles, not the arXiv stamp in the margin. */
		if ((l->flags & WK_LINE_FURNITURE) &&
		    (l->box.x0 < f->fp.left - 6 || l->box.x1 > f->fp.right + 6))
			continue;
		add_element(f, l->box, EL_LINE, i);
	}
	for (int i = 0; i < page->npaths; i++)
		add_element(f, page->paths[i], EL_PATH, i);
}

/* How much of an element lies in the span [xa, xb]: text by its centre, graphics when
 * at least half of it (or of the span) is inside. */
static bool in_span(const element *e, float xa, float xb, bool strict)
{
	if (e->kind == EL_LINE) {
		float cx = (e->r.x0 + e->r.x1) / 2;
		return cx >= xa && cx <= xb;
	}
	float overlap = WK_MIN(e->r.x1, xb) - WK_MAX(e->r.x0, xa);
	if (strict) /* side by side: only what is mostly on this caption's side */
		return overlap > 0 && overlap >= 0.75f * (e->r.x1 - e->r.x0);
	float w = WK_MIN(e->r.x1 - e->r.x0, xb - xa);
	return overlap > 0 && overlap >= 0.5f * w;
}

/* The nearest stopper from the caption in direction `up`: body text or another caption
 * in the span; returns its edge facing the caption, or the page's edge when there is
 * none (elements wholly in the header and footer bands are already left out, but a
 * figure's frame may reach into them). */
static float stopper(const finder *f, int ci, bool up, float xa, float xb)
{
	const wk_page *page = f->fp.page;
	const wk_fig_caption *c = &f->caps[ci];
	float edge = up ? 0 : page->height;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		float cx = (l->box.x0 + l->box.x1) / 2;
		bool other_caption = f->is_caption[i] && f->is_caption[i] != ci + 1;
		if (!(f->fp.body[i] || other_caption) || cx < xa || cx > xb)
			continue;
		if (up && l->box.y1 <= c->box.y0 + 1)
			edge = WK_MAX(edge, l->box.y1);
		else if (!up && l->box.y0 >= c->box.y1 - 1)
			edge = WK_MIN(edge, l->box.y0);
	}
	return edge;
}

static int cmp_up(const void *a, const void *b, void *arg)
{
	const element *els = arg;
	float x = els[*(const int *)a].r.y1, y = els[*(const int *)b].r.y1;
	return (x < y) - (x > y);
}

static int cmp_down(const void *a, const void *b, void *arg)
{
	const element *els = arg;
	float x = els[*(const int *)a].r.y0, y = els[*(const int *)b].r.y0;
	return (x > y) - (x < y);
}

/* Candidate elements between the caption and the stopper, nearest first. */
static int candidates(finder *f, int ci, bool up, float xa, float xb)
{
	const wk_fig_caption *c = &f->caps[ci];
	float edge = stopper(f, ci, up, xa, xb), tol = 0.3f * f->fp.body_size;
	int n = 0;
	for (int i = 0; i < f->nels; i++) {
		const element *e = &f->els[i];
		if (e->owner >= 0 || !in_span(e, xa, xb, c->beside))
			continue;
		bool inside = up ? e->r.y0 >= edge - tol && e->r.y1 <= c->box.y0 + tol
		                 : e->r.y0 >= c->box.y1 - tol && e->r.y1 <= edge + tol;
		if (inside)
			f->pick[n++] = i;
	}
	qsort_r(f->pick, (size_t)n, sizeof(int), up ? cmp_up : cmp_down, f->els);
	return n;
}

/* How far an element may sit from the region and still join it: graphics may be
 * apart (subfigures), text only close (axis labels, cells, in-figure titles), and the
 * first element may be farther from the caption than the next ones from each other. */
static float allowed_gap(const finder *f, const element *e, bool first)
{
	float size = f->fp.body_size;
	/* On a scanned page the drawing is in the picture and only its labels are text,
	 * far apart: everything up to the body text is the figure. */
	if (f->scanned)
		return f->fp.page->height;
	if (e->kind == EL_LINE)
		return (first ? 2.5f : 2.0f) * size;
	return (first ? 4.0f : 2.5f) * size;
}

/* Takes candidates while the gap to the region stays small; text too far away is
 * passed over, graphics too far away end the region. Marks nothing: the elements of the
 * region are the first g.n of f->pick with taken[k] set. */
static grown grow(finder *f, int ci, bool up, float xa, float xb)
{
	const wk_fig_caption *c = &f->caps[ci];
	float front = up ? c->box.y0 : c->box.y1;
	grown g = {no_rect, 0, 0, 0};
	int n = candidates(f, ci, up, xa, xb);
	for (int k = 0; k < n; k++) {
		const element *e = &f->els[f->pick[k]];
		float gap = up ? front - e->r.y1 : e->r.y0 - front;
		f->taken[k] = 0;
		if (gap > allowed_gap(f, e, g.taken == 0)) {
			if (e->kind == EL_LINE)
				continue;
			break;
		}
		if (g.taken == 0)
			g.gap = WK_MAX(gap, 0);
		g.region = rect_union(g.region, e->r);
		front = up ? WK_MIN(front, e->r.y0) : WK_MAX(front, e->r.y1);
		f->taken[k] = 1;
		g.taken++;
		g.n = k + 1;
	}
	return g;
}

/* Graphics that run out of the caption's column make the figure full width. */
static bool spills_over(const finder *f, const grown *g, float xa, float xb)
{
	const wk_fig_page *fp = &f->fp;
	return fp->two_col && g->n > 0 && xb - xa < 0.75f * (fp->right - fp->left) &&
	       (g->region.x0 < xa - 20 || g->region.x1 > xb + 20);
}

/* Grows in one direction, widening to the full text width when the graphics ask. */
static grown grow_dir(finder *f, int ci, bool up, float *xa, float *xb)
{
	grown g = grow(f, ci, up, *xa, *xb);
	if (!f->caps[ci].beside && spills_over(f, &g, *xa, *xb)) {
		float wa = WK_MIN(f->fp.left, f->caps[ci].box.x0) - 4;
		float wb = WK_MAX(f->fp.right, f->caps[ci].box.x1) + 4;
		grown wide = grow(f, ci, up, wa, wb);
		if (wide.taken > 0) {
			*xa = wa;
			*xb = wb;
			return wide;
		}
	}
	return g;
}

/* Free text lines whose centre lies inside the region belong to it too (a label the
 * gap rule passed over). */
static void take_inside(finder *f, int ci, wk_rect region)
{
	for (int i = 0; i < f->nels; i++) {
		element *e = &f->els[i];
		float cx = (e->r.x0 + e->r.x1) / 2, cy = (e->r.y0 + e->r.y1) / 2;
		if (e->owner < 0 && e->kind == EL_LINE && cx >= region.x0 && cx <= region.x1 &&
		    cy >= region.y0 && cy <= region.y1)
			e->owner = ci;
	}
}

/* A side caption (a narrow caption set beside its figure on a one-column page): the
 * free elements on the wider side of the caption, between the body text above and below
 * it. Returns the number of elements; *region their union. Marks nothing. */
static int beside_search(finder *f, int ci, wk_rect *region)
{
	const wk_fig_page *fp = &f->fp;
	const wk_page *page = fp->page;
	const wk_fig_caption *c = &f->caps[ci];
	bool left = c->box.x0 - fp->left > fp->right - c->box.x1;
	float xa = left ? fp->left - 4 : c->box.x1 + 1, xb = left ? c->box.x0 - 1 : fp->right + 4;
	float top = 0, bottom = page->height;
	for (int i = 0; i < page->nlines; i++) {
		const wk_line *l = &page->lines[i];
		if (!fp->body[i] || l->box.x1 < xa || l->box.x0 > xb)
			continue;
		if (l->box.y1 <= c->box.y0)
			top = WK_MAX(top, l->box.y1);
		else if (l->box.y0 >= c->box.y1)
			bottom = WK_MIN(bottom, l->box.y0);
	}
	/* Side captions stacked on a page share the height between them. */
	for (int k = 0; k < f->ncaps; k++) {
		const wk_rect *o = &f->caps[k].box;
		if (k != ci && o->y0 >= c->box.y1)
			bottom = WK_MIN(bottom, (c->box.y1 + o->y0) / 2);
		else if (k != ci && o->y1 <= c->box.y0)
			top = WK_MAX(top, (o->y1 + c->box.y0) / 2);
	}
	int n = 0;
	*region = no_rect;
	for (int i = 0; i < f->nels; i++) {
		const element *e = &f->els[i];
		if (e->owner < 0 && e->r.x0 >= xa && e->r.x1 <= xb && e->r.y0 >= top - 1 &&
		    e->r.y1 <= bottom + 1) {
			*region = rect_union(*region, e->r);
			f->pick[n++] = i;
		}
	}
	bool level = n > 0 && region->y0 < c->box.y1 && c->box.y0 < region->y1;
	return level ? n : 0;
}

static float area_of(wk_rect r)
{
	return rect_empty(r) ? 0 : (r.x1 - r.x0) * (r.y1 - r.y0);
}

/* Takes the side region when the caption is narrow and beside a much bigger one. */
static bool place_beside(finder *f, int ci, const grown *vertical, wk_rect *out)
{
	const wk_fig_caption *c = &f->caps[ci];
	if (f->fp.two_col || c->beside || c->label.type != WK_UNIT_FIGURE ||
	    c->box.x1 - c->box.x0 > 0.45f * (f->fp.right - f->fp.left))
		return false;
	wk_rect side;
	int n = beside_search(f, ci, &side);
	float have = vertical->taken ? area_of(vertical->region) : 0;
	float size = f->fp.body_size;
	if (n == 0 || area_of(side) < 4 * have + 1 || side.y1 - side.y0 < 3 * size ||
	    side.x1 - side.x0 < 6 * size)
		return false;
	for (int k = 0; k < n; k++)
		f->els[f->pick[k]].owner = ci;
	*out = side;
	return true;
}

/* Chooses the side, then marks the elements taken. Returns the region. */
static wk_rect place(finder *f, int ci)
{
	wk_fig_caption *c = &f->caps[ci];
	bool prefer_up = c->label.type == WK_UNIT_FIGURE;
	float xa1 = c->xa, xb1 = c->xb, xa2 = c->xa, xb2 = c->xb;
	grown a = grow_dir(f, ci, prefer_up, &xa1, &xb1);
	grown b = grow_dir(f, ci, !prefer_up, &xa2, &xb2);
	bool use_b = b.taken > 0 && (a.taken == 0 || b.gap + 0.5f * f->fp.body_size < a.gap);
	bool up = use_b ? !prefer_up : prefer_up;
	wk_rect side;
	if (place_beside(f, ci, use_b ? &b : &a, &side))
		return side;
	if ((use_b ? b.taken : a.taken) == 0)
		return c->box;
	/* Redo the search to have f->pick and f->taken for the chosen side, then mark. */
	grown g = grow(f, ci, up, use_b ? xa2 : xa1, use_b ? xb2 : xb1);
	for (int k = 0; k < g.n; k++)
		if (f->taken[k])
			f->els[f->pick[k]].owner = ci;
	take_inside(f, ci, g.region);
	return g.region;
}

static int cmp_reading(const void *a, const void *b, void *arg)
{
	const wk_line *lines = arg;
	const wk_line *x = &lines[*(const int *)a], *y = &lines[*(const int *)b];
	float cy = (x->box.y0 + x->box.y1) / 2, dy = (y->box.y0 + y->box.y1) / 2;
	float tol = 0.5f * WK_MIN(x->size, y->size);
	if (fabsf(cy - dy) > tol)
		return (cy > dy) - (cy < dy);
	return (x->box.x0 > y->box.x0) - (x->box.x0 < y->box.x0);
}

/* Length of the plot-marker glyph at s ("•", "◦", "▪", "●", "○", "■", "□", "▲", "△",
 * "◆", "◇", "♦"), 0 when s starts with something else. */
static size_t marker_len(const char *s)
{
	static const char *const markers[] = {
		"\xe2\x80\xa2", "\xe2\x97\xa6", "\xe2\x96\xaa", "\xe2\x97\x8f",
		"\xe2\x97\x8b", "\xe2\x96\xa0", "\xe2\x96\xa1", "\xe2\x96\xb2",
		"\xe2\x96\xb3", "\xe2\x97\x86", "\xe2\x97\x87", "\xe2\x99\xa6",
	};
	for (size_t k = 0; k < sizeof markers / sizeof markers[0]; k++)
		if (strncmp(s, markers[k], 3) == 0)
			return 3;
	return 0;
}

/* Appends text without its words made only of plot-marker glyphs: a scatter plot's
 * points read as "•••••" are hundreds of tokens that say nothing. Returns whether
 * anything was written. */
static bool put_without_markers(wk_buf *b, const char *text)
{
	bool wrote = false;
	for (const char *s = text; *s;) {
		while (*s == ' ')
			s++;
		size_t len = strcspn(s, " "), k = 0;
		while (k < len && marker_len(s + k))
			k += 3;
		if (len > 0 && k < len) {
			if (wrote)
				wk_buf_putc(b, ' ');
			wk_buf_append(b, s, len);
			wrote = true;
		}
		s += len;
	}
	return wrote;
}

static int cmp_x0(const void *a, const void *b, void *arg)
{
	const wk_line *lines = arg;
	float x = lines[*(const int *)a].box.x0, y = lines[*(const int *)b].box.x0;
	return (x > y) - (x < y);
}

/* Where boxes of prose stand side by side in a figure (a summary in two columns of
 * framed panels): the widest vertical gap no line crosses, with lines of several words
 * on both sides (a chart's labels beside its values must stay in rows). Returns the
 * number of lines left of it once idx is sorted by left edge, 0 when there is none. */
static int side_by_side(const wk_page *page, int *idx, int n)
{
	enum { MIN_WORDY = 3 };
	qsort_r(idx, (size_t)n, sizeof(int), cmp_x0, (void *)page->lines);
	float reach = -1e9f, best_gap = 0;
	int split = 0;
	for (int k = 0; k < n; k++) {
		const wk_line *l = &page->lines[idx[k]];
		float gap = l->box.x0 - reach;
		if (k > 0 && gap > best_gap && gap >= l->size)
			best_gap = gap, split = k;
		reach = WK_MAX(reach, l->box.x1);
	}
	int wordy[2] = {0, 0};
	for (int k = 0; k < n && split > 0; k++)
		wordy[k >= split] += wk_fig_word_count(page->lines[idx[k]].text) >= 4;
	return wordy[0] >= MIN_WORDY && wordy[1] >= MIN_WORDY ? split : 0;
}

/* Sorts lines in reading order; a figure's side-by-side boxes are read box by box. */
static void reading_order(wk_page *page, int *idx, int n, bool boxes, int depth)
{
	int split = boxes && depth < 3 ? side_by_side(page, idx, n) : 0;
	if (split == 0) {
		qsort_r(idx, (size_t)n, sizeof(int), cmp_reading, page->lines);
		return;
	}
	reading_order(page, idx, split, boxes, depth + 1);
	reading_order(page, idx + split, n - split, boxes, depth + 1);
}

char *wk_fig_join_lines(wk_page *page, int *idx, int n, const char *sep)
{
	reading_order(page, idx, n, strcmp(sep, " ") == 0, 0);
	wk_buf b, line;
	wk_buf_init(&b, 1 << 20);
	wk_buf_init(&line, 1 << 16);
	const wk_line *prev = NULL;
	for (int k = 0; k < n; k++) {
		const wk_line *l = &page->lines[idx[k]];
		line.len = 0;
		if (!put_without_markers(&line, l->text))
			continue;
		if (prev) {
			bool same_row = fabsf((prev->box.y0 + prev->box.y1) / 2 - (l->box.y0 + l->box.y1) / 2) <=
			                0.5f * WK_MIN(prev->size, l->size);
			wk_buf_puts(&b, same_row ? sep : "\n");
		}
		wk_buf_puts(&b, wk_buf_cstr(&line));
		prev = l;
	}
	char *s = wk_arena_strdup(page->arena, wk_buf_cstr(&b));
	wk_buf_free(&line);
	wk_buf_free(&b);
	return s;
}

char *wk_fig_caption_join(wk_page *page, const int *lines, int n)
{
	wk_buf b;
	wk_buf_init(&b, 1 << 20);
	for (int k = 0; k < n; k++) {
		const char *t = page->lines[lines[k]].text;
		size_t len = b.len;
		/* A hyphen at a line end joins the word ("detec-\ntion"). */
		if (k > 0 && len > 1 && b.data[len - 1] == '-' && b.data[len - 2] != ' ')
			b.len--, b.data[b.len] = '\0';
		else if (k > 0)
			wk_buf_putc(&b, ' ');
		wk_buf_puts(&b, t);
	}
	char *s = wk_arena_strdup(page->arena, wk_buf_cstr(&b));
	wk_buf_free(&b);
	return s;
}

/* Fills one wk_figure from caption ci and the elements it took; flags its lines. */
static void emit(finder *f, int ci, wk_rect region, wk_figure *out)
{
	wk_page *page = f->fp.page;
	wk_fig_caption *c = &f->caps[ci];
	char label[48];
	wk_caption_label_format(&c->label, label, sizeof label);
	int *idx = wk_arena_alloc(page->arena, sizeof(int) * (size_t)(page->nlines + 1));
	int n = 0;
	for (int i = 0; i < f->nels; i++)
		if (f->els[i].owner == ci && f->els[i].kind == EL_LINE) {
			idx[n++] = f->els[i].index;
			page->lines[f->els[i].index].flags |= WK_LINE_FIGURE;
		}
	for (int k = 0; k < c->nlines; k++)
		page->lines[c->lines[k]].flags |= WK_LINE_CAPTION;
	out->type = c->label.type;
	out->label = wk_arena_strdup(page->arena, label);
	out->caption = wk_fig_caption_join(page, c->lines, c->nlines);
	out->figure_text = wk_fig_join_lines(page, idx, n, c->label.type == WK_UNIT_TABLE ? " | " : " ");
	out->region = region;
	out->caption_box = c->box;
	out->box = rect_union(region, c->box);
	out->image = NULL;
}

static void mark_captions(finder *f)
{
	f->is_caption = wk_arena_alloc(f->fp.page->arena, (size_t)f->fp.page->nlines + 1);
	for (int i = 0; i < f->ncaps; i++)
		for (int k = 0; k < f->caps[i].nlines; k++)
			f->is_caption[f->caps[i].lines[k]] = (unsigned char)WK_MIN(i + 1, 255);
}

static bool rects_meet(wk_rect a, wk_rect b)
{
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* A table without a caption; a grid that overlaps a figure or table already found is
 * the rest of it (rows the growth missed) and joins it instead. */
static void emit_grid(wk_page *page, const wk_fig_grid *g, int nfig)
{
	for (int k = 0; k < g->nlines; k++)
		page->lines[g->lines[k]].flags |= WK_LINE_FIGURE;
	char *text = wk_fig_join_lines(page, g->lines, g->nlines, " | ");
	for (int i = 0; i < nfig; i++) {
		wk_figure *f = &page->figures[i];
		if (!rects_meet(f->box, g->region))
			continue;
		size_t len = strlen(f->figure_text) + strlen(text) + 2;
		char *joined = wk_arena_alloc(page->arena, len);
		snprintf(joined, len, "%s%s%s", f->figure_text, *f->figure_text ? "\n" : "", text);
		f->figure_text = joined;
		f->region = rect_union(f->region, g->region);
		f->box = rect_union(f->box, g->region);
		return;
	}
	wk_figure *out = &page->figures[page->nfigures++];
	memset(out, 0, sizeof *out);
	out->type = WK_UNIT_TABLE;
	out->label = "";
	out->figure_text = text;
	out->region = g->region;
	out->caption = "";
	out->caption_box = g->region;
	if (g->title >= 0) {
		wk_line *t = &page->lines[g->title];
		t->flags |= WK_LINE_CAPTION;
		out->caption = t->text;
		out->caption_box = t->box;
	}
	out->box = rect_union(out->region, out->caption_box);
}

/* Captioned figures and tables first, then charts and grids without a caption. */
static void find_all(finder *f, wk_page *page)
{
	enum { MAX_GRIDS = 16, MAX_CHARTS = 16 };
	wk_rect regions[MAX_CAPTIONS];
	f->ncaps = wk_fig_find_captions(&f->fp, f->caps, MAX_CAPTIONS);
	page->figures = wk_arena_alloc(page->arena, sizeof(wk_figure) *
	                                                (size_t)(f->ncaps + MAX_CHARTS + MAX_GRIDS));
	if (f->ncaps > 0) {
		mark_captions(f);
		collect_elements(f);
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < f->ncaps; i++)
				if ((f->caps[i].label.type == WK_UNIT_FIGURE) == (pass == 0))
					regions[i] = place(f, i);
		for (int i = 0; i < f->ncaps; i++)
			emit(f, i, regions[i], &page->figures[i]);
		page->nfigures = f->ncaps;
	}
	wk_fig_grid grids[MAX_GRIDS];
	unsigned char *taken = wk_arena_alloc(page->arena, (size_t)page->nlines + 1);
	int ngrids = wk_fig_find_grids(&f->fp, taken, grids, MAX_GRIDS);
	int ncaptioned = page->nfigures;
	for (int g = 0; g < ngrids; g++)
		emit_grid(page, &grids[g], ncaptioned);
	/* Charts last: a table's rules and shading are not a chart. */
	page->nfigures += wk_fig_find_charts(&f->fp, page->figures + page->nfigures, MAX_CHARTS);
	wk_page_build_tables(page);
}

void wk_page_find_figures(wk_page *page)
{
	if (!page)
		return;
	page->nfigures = 0;
	page->figures = NULL;
	/* The heuristics compare lines pairwise: a page of more lines than any real one
	 * (hostile input) is left without figures rather than made slow. */
	if (page->nlines == 0 || page->nlines > MAX_LINES) {
		wk_page_add_pictures(page);
		return;
	}
	for (int i = 0; i < page->nlines; i++)
		if (!page->lines[i].text)
			page->lines[i].text = wk_arena_strdup(page->arena, "");
	finder *f = wk_xcalloc(1, sizeof *f);
	wk_fig_page_init(&f->fp, page);
	find_all(f, page);
	free(f);
	wk_page_add_pictures(page);
}

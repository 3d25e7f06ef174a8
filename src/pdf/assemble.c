/* assemble.c: the document pass: page blocks -> units, in page order.
 *
 * Running headers and footers are blocks in the top or bottom band whose text, with
 * digits blanked, repeats on several pages; page numbers are recognised by their form.
 * A paragraph that ends a column without a full stop and is followed by a column top
 * that reads as its continuation becomes one unit with one box per page. Headings are
 * decided with the document's body size, and levels come from numbering, then size. */
#include "hyphen.h"
#include "pdf.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { KEY_MAX = 96, UNIT_TEXT_MAX = 1 << 20 };

typedef struct margin_key {
	char key[KEY_MAX];
	int pages;
	int last_page;
} margin_key;

/* A paragraph unit whose text is still growing. */
typedef struct para_slot {
	wk_buf text;          /* its lines so far, '\n'-separated */
	int unit;             /* its idx, -1 when the slot is empty */
	const wk_block *last; /* its last block */
	int page;             /* the page of that block */
} para_slot;

typedef struct assembler {
	wk_doc *doc;
	wk_page_out *pages;
	int npages;
	float body;          /* the document's body text size */
	float level_size[7]; /* size of numbered headings by depth, 0 when none seen */
	wk_vocab *vocab;
	para_slot open;      /* the paragraph being built */
	para_slot parked;    /* a paragraph cut mid-sentence by a side box, a chart or a pull
	                        quote: a later column top may still continue it */
	int at_page, at_block; /* where the block being added sits */
	const wk_block *above; /* the text block added just before it on its page, or NULL */
	int above_unit;        /* the unit that block went into */
} assembler;

/* ---- numbering ---- */

static int roman_value(const char *s, size_t n)
{
	static const char *const romans[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII",
	                                     "IX", "X", "XI", "XII", "XIII", "XIV", "XV"};
	for (size_t i = 0; i < WK_ARRAY_LEN(romans); i++)
		if (strlen(romans[i]) == n && strncmp(s, romans[i], n) == 0)
			return (int)i + 1;
	return 0;
}

int wk_heading_numbering(const char *text)
{
	const char *p = text;
	int parts = 0;
	if (isupper((unsigned char)p[0]) && p[1] == '.' && isdigit((unsigned char)p[2]))
		p += 2, parts = 1; /* appendix "A.1" */
	else if (isupper((unsigned char)p[0]) && p[1] == '.' && p[2] == ' ' && p[0] <= 'H')
		return isupper((unsigned char)p[3]) ? 2 : 0; /* IEEE "A. Setup" */
	else {
		size_t n = strspn(p, "IVX");
		if (n > 0 && p[n] == '.' && p[n + 1] == ' ' && roman_value(p, n))
			return isupper((unsigned char)p[n + 2]) ? 1 : 0;
	}
	for (;;) {
		if (*p == '.' && parts > 0)
			p++;
		size_t n = strspn(p, "0123456789");
		if (n == 0 || n > 2)
			break;
		p += n;
		parts++;
		if (*p != '.' || !isdigit((unsigned char)p[1]))
			break;
	}
	if (parts == 0)
		return 0;
	if (*p == '.')
		p++;
	if (*p != ' ' || !(isupper((unsigned char)p[1]) || (unsigned char)p[1] >= 0x80))
		return 0;
	return WK_MIN(parts, 6);
}

/* ---- running headers and footers ---- */

static void margin_key_of(const char *text, char *key)
{
	size_t k = 0;
	for (const char *p = text; *p && k + 1 < KEY_MAX; p++) {
		unsigned char c = (unsigned char)*p;
		if (isdigit(c)) {
			if (k == 0 || key[k - 1] != '#')
				key[k++] = '#';
		} else if (c == ' ' || c == '\n') {
			if (k > 0 && key[k - 1] != ' ')
				key[k++] = ' ';
		} else
			key[k++] = (char)tolower(c);
	}
	while (k > 0 && key[k - 1] == ' ')
		k--;
	key[k] = '\0';
}

/* "12", "- 12 -", "Page 12", "12 of 40", "xii". */
static bool page_number_like(const char *key, const char *text)
{
	static const char *const forms[] = {"#", "- # -", "page #", "page # of #", "# of #",
	                                    "# / #", "[#]", "(#)", "p. #", "-#-", "– # –"};
	for (size_t i = 0; i < WK_ARRAY_LEN(forms); i++)
		if (strcmp(key, forms[i]) == 0)
			return true;
	size_t n = strspn(text, "ivxlcIVXLC");
	return n > 0 && n <= 6 && text[n] == '\0';
}

#define MARGIN_BAND 0.12f

/* Running headers and footers live in the top and bottom bands of the page: a page
 * template (forms, slides) repeats its body lines too, and those must stay. */
static bool in_margin_band(const wk_page_out *po, const wk_block *b)
{
	return (b->flags & (WK_BF_TOP | WK_BF_BOTTOM)) && po->height > 0 &&
	       (b->box.y1 <= MARGIN_BAND * po->height || b->box.y0 >= (1 - MARGIN_BAND) * po->height);
}

/* Short one-line blocks whose exact text recurs on a quarter of the pages (a publisher's
 * name under every chart, a document code) are furniture wherever they sit. */
static void count_repeats(assembler *a, margin_key **keys, int *nkeys, int *cap)
{
	int base = *nkeys;
	for (int p = 0; p < a->npages; p++)
		for (int i = 0; i < a->pages[p].nblocks; i++) {
			wk_block *b = &a->pages[p].blocks[i];
			if (b->kind != WK_BLOCK_TEXT || b->nlines > 1 || wk_count_words(b->text) > 8 ||
			    in_margin_band(&a->pages[p], b) || strlen(b->text) >= KEY_MAX)
				continue;
			int k = base;
			while (k < *nkeys && strcmp((*keys)[k].key, b->text) != 0)
				k++;
			if (k == *nkeys) {
				*keys = wk_grow(*keys, cap, *nkeys + 1, sizeof **keys);
				(*keys)[(*nkeys)++] = (margin_key){.pages = 0, .last_page = -1};
				strcpy((*keys)[k].key, b->text);
			}
			if ((*keys)[k].last_page != p)
				(*keys)[k].pages++, (*keys)[k].last_page = p;
		}
	for (int p = 0; p < a->npages; p++)
		for (int i = 0; i < a->pages[p].nblocks; i++) {
			wk_block *b = &a->pages[p].blocks[i];
			if (b->kind != WK_BLOCK_TEXT || b->nlines > 1 || in_margin_band(&a->pages[p], b))
				continue;
			for (int k = base; k < *nkeys; k++)
				if ((*keys)[k].pages >= 4 && (*keys)[k].pages * 4 >= a->npages &&
				    strcmp((*keys)[k].key, b->text) == 0)
					b->flags |= WK_BF_FURNITURE;
		}
}

/* A page number is furniture, and the page's printed number: its first number or
 * roman numeral ("Page 12 of 40" -> "12"). */
static void note_printed(wk_page_out *po, const wk_block *b, const char *s)
{
	if (po->printed[0])
		return;
	while (*s && !isdigit((unsigned char)*s) && !strchr("ivxlcIVXLC", *s))
		s++;
	size_t n = isdigit((unsigned char)*s) ? strspn(s, "0123456789") : strspn(s, "ivxlcIVXLC");
	if (n > 0 && n < sizeof po->printed) {
		snprintf(po->printed, sizeof po->printed, "%.*s", (int)n, s);
		po->printed_right = b->box.x0 + b->box.x1 > po->width;
	}
}

static void mark_page_number(wk_page_out *po, wk_block *b)
{
	b->flags |= WK_BF_FURNITURE;
	note_printed(po, b, b->text);
}

/* "8 9" on one line of a landscape page's foot: the numbers of a spread's two pages; the
 * right-hand one is the page's printed number. */
static bool spread_numbers(wk_page_out *po, const wk_block *b, const char *key)
{
	if (strcmp(key, "# #") != 0 || po->width <= po->height || po->printed[0])
		return false;
	char *end;
	long left = strtol(b->text, &end, 10), right = strtol(end, NULL, 10);
	if (right != left + 1 || right >= 100000)
		return false;
	snprintf(po->printed, sizeof po->printed, "%d", (int)right);
	po->printed_right = true;
	return true;
}

/* A running footer that carries the page number at one end ("18 Graduate Studies",
 * "Annual Report | 7"): the number at its start, else at its end, is the page's. A
 * number that does not change (a year) makes no agreeing offset (label_printed_pages). */
static void note_footer_number(wk_page_out *po, const wk_block *b, const char *key)
{
	size_t n = strlen(key);
	bool first = !strncmp(key, "# ", 2), last = !first && n > 2 && !strcmp(key + n - 2, " #");
	if (po->printed[0] || b->nlines > 1 || (!first && !last))
		return;
	const char *t = b->text;
	if (last) { /* back over trailing spaces, then over the number */
		for (t += strlen(t); t > b->text && !isdigit((unsigned char)t[-1]);)
			t--;
		while (t > b->text && isdigit((unsigned char)t[-1]))
			t--;
	}
	note_printed(po, b, t);
}

/* A page number set just above the running header ("3" over "PEW RESEARCH CENTER") is
 * the edge line of a block of two: the line nearest the page's edge is read alone. The
 * block stays: the repeat count judges the header. */
static void note_edge_number(wk_page_out *po, const wk_block *b)
{
	if (b->nlines < 2 || po->printed[0])
		return;
	bool top = b->box.y1 <= MARGIN_BAND * po->height;
	const char *nl = strrchr(b->text, '\n');
	if (!nl)
		return;
	const char *line = top ? b->text : nl + 1;
	size_t len = top ? strcspn(b->text, "\n") : strlen(line);
	char text[KEY_MAX], key[KEY_MAX];
	if (len == 0 || len >= sizeof text)
		return;
	memcpy(text, line, len);
	text[len] = '\0';
	margin_key_of(text, key);
	if (page_number_like(key, text))
		note_printed(po, b, text);
}

/* A bare page number may sit anywhere below the text (reports with short pages): the
 * last or first text block of a page that reads as one is furniture. */
static void drop_page_numbers(wk_page_out *po)
{
	int first = -1, last = -1;
	for (int i = 0; i < po->nblocks; i++) {
		const wk_block *b = &po->blocks[i];
		if (b->kind != WK_BLOCK_TEXT || (b->flags & WK_BF_FURNITURE))
			continue;
		if (first < 0 || b->box.y0 < po->blocks[first].box.y0)
			first = i;
		if (last < 0 || b->box.y1 > po->blocks[last].box.y1)
			last = i;
	}
	int ends[2] = {first, last};
	for (int k = 0; k < 2; k++) {
		if (ends[k] < 0 || po->blocks[ends[k]].nlines > 1)
			continue;
		char key[KEY_MAX];
		margin_key_of(po->blocks[ends[k]].text, key);
		if (page_number_like(key, po->blocks[ends[k]].text))
			mark_page_number(po, &po->blocks[ends[k]]);
	}
}

/* Furniture removal must not empty a page: when nothing else is left (no text, no
 * figure), its lines of a few words come back (one repeated template line is content). */
static void keep_some_text(wk_page_out *po)
{
	for (int i = 0; i < po->nblocks; i++) {
		const wk_block *b = &po->blocks[i];
		if (b->kind == WK_BLOCK_FIGURE || (b->text[0] && !(b->flags & WK_BF_FURNITURE)))
			return;
	}
	for (int i = 0; i < po->nblocks; i++)
		if (po->blocks[i].kind == WK_BLOCK_TEXT && wk_count_words(po->blocks[i].text) >= 4)
			po->blocks[i].flags &= ~WK_BF_FURNITURE;
}

static void drop_furniture(assembler *a)
{
	for (int p = 0; p < a->npages; p++)
		drop_page_numbers(&a->pages[p]);
	int nkeys = 0, cap = 0;
	margin_key *keys = NULL;
	for (int p = 0; p < a->npages; p++)
		for (int i = 0; i < a->pages[p].nblocks; i++) {
			wk_block *b = &a->pages[p].blocks[i];
			if (!in_margin_band(&a->pages[p], b))
				continue;
			char key[KEY_MAX];
			margin_key_of(b->text, key);
			if (page_number_like(key, b->text) || spread_numbers(&a->pages[p], b, key)) {
				mark_page_number(&a->pages[p], b);
				continue;
			}
			note_edge_number(&a->pages[p], b);
			int k = 0;
			while (k < nkeys && strcmp(keys[k].key, key) != 0)
				k++;
			if (k == nkeys) {
				keys = wk_grow(keys, &cap, nkeys + 1, sizeof *keys);
				keys[nkeys++] = (margin_key){.pages = 0, .last_page = -1};
				strcpy(keys[k].key, key);
			}
			if (keys[k].last_page != p)
				keys[k].pages++, keys[k].last_page = p;
		}
	count_repeats(a, &keys, &nkeys, &cap);
	int need = a->npages <= 4 ? 2 : 3;
	for (int p = 0; p < a->npages; p++)
		for (int i = 0; i < a->pages[p].nblocks; i++) {
			wk_block *b = &a->pages[p].blocks[i];
			if (!in_margin_band(&a->pages[p], b) || (b->flags & WK_BF_FURNITURE))
				continue;
			char key[KEY_MAX];
			margin_key_of(b->text, key);
			for (int k = 0; k < nkeys; k++)
				if (strcmp(keys[k].key, key) == 0 && keys[k].pages >= need) {
					b->flags |= WK_BF_FURNITURE;
					note_footer_number(&a->pages[p], b, key);
				}
		}
	free(keys);
	for (int p = 0; p < a->npages; p++)
		keep_some_text(&a->pages[p]);
}

/* ---- headings ---- */

static float doc_body_size(const assembler *a)
{
	wk_size_hist h = {.n = 0};
	for (int p = 0; p < a->npages; p++)
		for (int i = 0; i < a->pages[p].nblocks; i++) {
			const wk_block *b = &a->pages[p].blocks[i];
			if (b->kind == WK_BLOCK_TEXT)
				wk_size_hist_add(&h, b->size, (double)strlen(b->text));
		}
	return wk_size_hist_mode(&h, 10);
}

/* A heading set smaller than this share of the body size is a label: a pin
 * name in a drawing, a chart's tick, a form's field caption, fine print. On the shared
 * documents every heading below 0.75 x body was one of those (a datasheet's drawings at
 * 0.6-0.73, chart labels at 0.64-0.7, prompt listings at 0.64) but for a front-matter box
 * title at 0.73 ("RECOMMENDED CITATION"); the smallest real section headings, journals'
 * small caps ("I. INTRODUCTION"), stand at 0.8. */
#define LABEL_SIZE_RATIO 0.75f

static bool is_heading(const assembler *a, const wk_block *b)
{
	if (b->kind != WK_BLOCK_TEXT || !(b->flags & WK_BF_HEADLIKE) || b->nlines > 3 ||
	    strlen(b->text) > 200 || (b->flags & WK_BF_FURNITURE))
		return false;
	if (b->flags & WK_BF_TITLE) /* layout.c found it the slide's title */
		return true;
	unsigned char c = (unsigned char)b->text[0];
	if (islower(c) || (b->size >= 2 && b->size < a->body * LABEL_SIZE_RATIO))
		return false; /* under 2 points the size is a broken font matrix, not a size */
	if (b->size >= a->body * (b->bold >= 0.99f || b->numbering > 0 ? 1.12f : 1.3f))
		return true;
	return b->bold >= 0.99f || b->numbering > 0;
}

static void learn_levels(assembler *a)
{
	int count[7] = {0};
	float sum[7] = {0};
	for (int p = 0; p < a->npages; p++)
		for (int i = 0; i < a->pages[p].nblocks; i++) {
			const wk_block *b = &a->pages[p].blocks[i];
			if (b->numbering > 0 && is_heading(a, b))
				count[b->numbering]++, sum[b->numbering] += b->size;
		}
	for (int d = 1; d <= 6; d++)
		a->level_size[d] = count[d] ? sum[d] / (float)count[d] : 0;
}

static int heading_level(const assembler *a, const wk_block *b)
{
	if (b->numbering > 0)
		return b->numbering;
	int deepest = 0;
	for (int d = 1; d <= 6; d++) {
		if (a->level_size[d] <= 0)
			continue;
		deepest = d;
		if (b->size >= a->level_size[d] - 0.3f)
			return d;
	}
	if (deepest)
		return WK_MIN(deepest + 1, 6);
	/* No numbered headings: bigger is higher. */
	if (b->size >= a->body * 1.6f)
		return 1;
	if (b->size >= a->body * 1.25f)
		return 2;
	return b->size >= a->body * 1.1f ? 3 : 4;
}

/* ---- units ---- */

static wk_box box_of(const wk_block *b, int page)
{
	return (wk_box){page, b->box.x0, b->box.y0, b->box.x1, b->box.y1};
}

static void close_slot(assembler *a, para_slot *slot)
{
	if (slot->unit < 0)
		return;
	wk_buf joined;
	wk_buf_init(&joined, UNIT_TEXT_MAX);
	wk_join_lines(a->vocab, wk_buf_cstr(&slot->text), &joined);
	a->doc->units[slot->unit].text = wk_doc_str(a->doc, wk_buf_cstr(&joined));
	wk_buf_free(&joined);
	slot->text.len = 0;
	slot->text.full = false;
	slot->unit = -1;
	slot->last = NULL;
}

/* The text of a paragraph ends its sentence. */
static bool para_complete(const para_slot *slot)
{
	const char *s = wk_buf_cstr((wk_buf *)&slot->text);
	size_t n = strlen(s);
	while (n > 0 && strchr(")]\"'", s[n - 1]))
		n--;
	if (n == 0)
		return true;
	return strchr(".!?:", s[n - 1]) != NULL;
}

/* The paragraph ended its column mid-sentence: what comes next may be a side box. */
static bool cut_mid_sentence(const para_slot *slot)
{
	return slot->unit >= 0 && (slot->last->flags & WK_BF_COL_END) && !para_complete(slot);
}

static bool continues(const assembler *a, const para_slot *slot, const wk_block *b)
{
	if (!cut_mid_sentence(slot) || !(b->flags & WK_BF_COL_TOP))
		return false;
	/* Each slide is read on its own: a unit per slide, so pages can be ranked. */
	if ((b->flags & WK_BF_SLIDE) && slot->page != a->pages[a->at_page].number)
		return false;
	if ((b->flags & WK_BF_LIST) || is_heading(a, b))
		return false;
	if (fabsf(b->size - slot->last->size) > 0.6f || fabsf(b->bold - slot->last->bold) > 0.5f)
		return false;
	return islower((unsigned char)b->text[0]) || !(b->flags & WK_BF_INDENT);
}

/* Unit u takes block b: its box on b's page grows over b, or b's box is its next. */
static void add_block_box(assembler *a, wk_unit *u, const wk_block *b, int page)
{
	wk_box box = box_of(b, page);
	wk_box *last = &u->boxes[u->nboxes - 1];
	if (last->page == page) {
		last->x0 = fminf(last->x0, box.x0), last->y0 = fminf(last->y0, box.y0);
		last->x1 = fmaxf(last->x1, box.x1), last->y1 = fmaxf(last->y1, box.y1);
	} else
		wk_doc_add_box(a->doc, u, box);
}

static void add_to_slot(assembler *a, para_slot *slot, const wk_block *b, int page)
{
	add_block_box(a, &a->doc->units[slot->unit], b, page);
	wk_buf_putc(&slot->text, '\n');
	wk_buf_puts(&slot->text, b->text);
	slot->last = b;
	slot->page = page;
}

/* Takes the parked paragraph back when b continues it: the text between (a side box, a
 * chart's labels) stays a unit of its own, after the paragraph. Only a lower-case start
 * is trusted here, and only on the same or the next page. */
static bool resume_parked(assembler *a, const wk_block *b, int page)
{
	if (a->parked.unit >= 0 && page > a->parked.page + 1)
		close_slot(a, &a->parked);
	if (a->parked.unit < 0 || !islower((unsigned char)b->text[0]) || !continues(a, &a->parked, b))
		return false;
	close_slot(a, &a->open);
	para_slot t = a->open;
	a->open = a->parked;
	a->parked = t;
	add_to_slot(a, &a->open, b, page);
	return true;
}

static bool leads_text(const assembler *a, const wk_block *b, int p, int i, int depth);

/* Text inside a figure's or table's region that the figure left out (a chart's legend or
 * panel label, a table's section row) is part of it, never a heading of the document.
 * Not the caption's band as well: a label there (a header beside a table's title) made a
 * small text unit the sampler ranks, and page recall @5 dropped (docs/figures.md). */
static bool inside_figure(const wk_page_out *po, const wk_block *b)
{
	float cx = (b->box.x0 + b->box.x1) / 2, cy = (b->box.y0 + b->box.y1) / 2;
	for (int f = 0; f < po->nfigures; f++) {
		const wk_rect *r = &po->figures[f].region;
		if (cx >= r->x0 && cx <= r->x1 && cy >= r->y0 && cy <= r->y1)
			return true;
	}
	return false;
}

/* A heading is set apart from what precedes it. A heading-like block right under a
 * block in its own size, weight and slant, at a line's spacing (under half its size
 * between them; paragraphs and headings keep more) and overlapping it, is that block's
 * next line, which the layout cut off at a change of look: "Year 3" under "Mechanical
 * Engineering," (a quote's attribution), a title's dateline "AS OF DECEMBER 31, 2018",
 * a bold list item's second line. A numbered heading or a list item starts anew. */
static bool next_line_of_above(const assembler *a, const wk_block *b)
{
	const wk_block *up = a->above;
	if (!up || b->numbering > 0 || (b->flags & (WK_BF_LIST | WK_BF_TITLE)) ||
	    fabsf(up->size - b->size) > 0.5f || fabsf(up->bold - b->bold) > 0.5f ||
	    up->italic != b->italic)
		return false;
	float gap = b->box.y0 - up->box.y1;
	return gap > -0.3f * b->size && gap < 0.5f * b->size && b->box.x0 < up->box.x1 &&
	       up->box.x0 < b->box.x1;
}

/* Appends b's text to the heading unit u (a heading printed over two blocks). */
static void extend_heading(assembler *a, wk_unit *u, const wk_block *b, int page)
{
	wk_buf tmp;
	wk_buf_init(&tmp, UNIT_TEXT_MAX);
	wk_buf_puts(&tmp, u->text);
	wk_buf_putc(&tmp, '\n');
	wk_buf_puts(&tmp, b->text);
	wk_buf joined;
	wk_buf_init(&joined, UNIT_TEXT_MAX);
	wk_join_lines(a->vocab, wk_buf_cstr(&tmp), &joined);
	u->text = wk_doc_str(a->doc, wk_buf_cstr(&joined));
	wk_buf_free(&joined);
	wk_buf_free(&tmp);
	add_block_box(a, u, b, page);
}

/* Whether b, heading-like, is the next line of the block above (next_line_of_above) and
 * went into it: a heading grows, an open paragraph takes it. */
static bool joins_above(assembler *a, const wk_block *b, int page)
{
	if (!is_heading(a, b) || !next_line_of_above(a, b))
		return false;
	wk_unit *u = &a->doc->units[a->above_unit];
	if (u->type == WK_UNIT_HEADING && u->nboxes > 0) {
		extend_heading(a, u, b, page);
		return true;
	}
	/* A finished sentence or a lead-in above ("Teams you could join:") is followed by a
	 * heading of its look as often as by its continuation. */
	size_t n = strlen(a->above->text);
	if (a->open.unit != a->above_unit || (n > 0 && strchr(".!?:", a->above->text[n - 1])))
		return false;
	add_to_slot(a, &a->open, b, page);
	return true;
}

/* Adds text block b; returns the unit it went into. */
static int add_text(assembler *a, const wk_block *b, int page, bool ocr)
{
	if (continues(a, &a->open, b)) {
		add_to_slot(a, &a->open, b, page);
		return a->open.unit;
	}
	if (joins_above(a, b, page))
		return a->above_unit;
	if (resume_parked(a, b, page))
		return a->open.unit;
	bool heading = is_heading(a, b) && !inside_figure(&a->pages[a->at_page], b) &&
	               leads_text(a, b, a->at_page, a->at_block, 0);
	if (cut_mid_sentence(&a->open)) { /* a side box's title may be a heading */
		close_slot(a, &a->parked);
		para_slot t = a->parked;
		a->parked = a->open;
		a->open = t;
	} else
		close_slot(a, &a->open);
	wk_unit *u = wk_doc_add_unit(a->doc, heading ? WK_UNIT_HEADING : WK_UNIT_TEXT);
	u->ocr = ocr;
	wk_doc_add_box(a->doc, u, box_of(b, page));
	if (heading) {
		u->level = heading_level(a, b);
		wk_buf tmp;
		wk_buf_init(&tmp, UNIT_TEXT_MAX);
		wk_join_lines(a->vocab, b->text, &tmp);
		u->text = wk_doc_str(a->doc, wk_buf_cstr(&tmp));
		wk_buf_free(&tmp);
		return u->idx;
	}
	a->open.unit = u->idx;
	a->open.last = b;
	a->open.page = page;
	wk_buf_puts(&a->open.text, b->text);
	return u->idx;
}

/* The caption; for a table without one (financial statements), its first row, so that
 * the unit has words of its own to be found by. `row` holds that row. */
static const char *figure_unit_text(const wk_figure *f, char *row, size_t cap)
{
	if ((f->caption && f->caption[0]) || !f->figure_text)
		return f->caption ? f->caption : "";
	size_t n = strcspn(f->figure_text, "\n");
	if (n >= cap) /* cut at a character boundary */
		for (n = cap - 1; n > 0 && ((unsigned char)f->figure_text[n] & 0xC0) == 0x80; n--)
			;
	memcpy(row, f->figure_text, n);
	row[n] = '\0';
	return row;
}

static void add_figure(assembler *a, const wk_page_out *po, const wk_block *b, int page)
{
	if (b->figure < 0 || b->figure >= po->nfigures)
		return;
	const wk_figure *f = &po->figures[b->figure];
	wk_unit *u = wk_doc_add_unit(a->doc, f->type == WK_UNIT_TABLE ? WK_UNIT_TABLE : WK_UNIT_FIGURE);
	char row[256];
	u->text = wk_doc_str(a->doc, figure_unit_text(f, row, sizeof row));
	u->label = wk_doc_str(a->doc, f->label ? f->label : "");
	u->caption = wk_doc_str(a->doc, f->caption ? f->caption : "");
	u->figure_text = wk_doc_str(a->doc, f->figure_text ? f->figure_text : "");
	u->image = wk_doc_str(a->doc, f->image);
	u->ocr = po->ocr;
	wk_doc_add_box(a->doc, u, (wk_box){page, f->box.x0, f->box.y0, f->box.x1, f->box.y1});
	if (u->type == WK_UNIT_TABLE)
		wk_doc_set_table(a->doc, u, f->table);
}

/* The first and last text blocks of each run, furniture left out: where a paragraph
 * may continue from one column or page to the next. */
static void mark_run_ends(wk_page_out *po)
{
	int last = -1;
	for (int i = 0; i < po->nblocks; i++) {
		wk_block *b = &po->blocks[i];
		if (b->kind != WK_BLOCK_TEXT || (b->flags & WK_BF_FURNITURE))
			continue;
		if (last < 0 || po->blocks[last].run != b->run) {
			b->flags |= WK_BF_COL_TOP;
			if (last >= 0)
				po->blocks[last].flags |= WK_BF_COL_END;
		}
		last = i;
	}
	if (last >= 0)
		po->blocks[last].flags |= WK_BF_COL_END;
}

static bool skipped_block(const wk_block *b)
{
	return (b->flags & WK_BF_FURNITURE) || (b->kind == WK_BLOCK_TEXT && !b->text[0]);
}

/* The block after block *i of page *p that becomes a unit (moving *p, *i to it),
 * NULL at the end. */
static const wk_block *next_block(const assembler *a, int *p, int *i)
{
	for (int k = *i + 1; *p < a->npages; (*p)++, k = 0)
		for (; k < a->pages[*p].nblocks; k++)
			if (!skipped_block(&a->pages[*p].blocks[k])) {
				*i = k;
				return &a->pages[*p].blocks[k];
			}
	return NULL;
}

/* A row of figures and nothing else: "2018 2017 2016", "43 40 14". */
static bool figures_only(const char *t)
{
	int numbers = 0;
	for (const char *s = t; *s;) {
		size_t w = strcspn(s, " \n");
		bool digits = false;
		for (size_t k = 0; k < w; k++) {
			if (isalpha((unsigned char)s[k]))
				return false;
			digits |= isdigit((unsigned char)s[k]) != 0;
		}
		numbers += digits;
		s += w + (s[w] != '\0');
	}
	return numbers >= 2;
}

/* An unnumbered heading of body size leads something: a paragraph, a table or figure,
 * or a heading (two at most) that does. Chart labels ("Better off", "General public")
 * are followed by more labels or numbers. */
static bool leads_text(const assembler *a, const wk_block *b, int p, int i, int depth)
{
	if (depth == 0 && (b->numbering > 0 || b->size >= a->body * 1.3f || (b->flags & WK_BF_TITLE)))
		return true;
	const wk_block *n = next_block(a, &p, &i);
	if (!n || n->kind != WK_BLOCK_TEXT)
		return n != NULL; /* a table or figure under its title */
	if (figures_only(n->text))
		return false; /* a column header over its years, a chart label over its values */
	if (strlen(n->text) >= 60 || n->nlines >= 2 || (n->flags & WK_BF_LIST) || n->text[0] == '[')
		return true;
	/* A sub-heading or a lead-in ("Acquisitions:", "To the Board:") may come first. */
	return depth < 2 && n->nlines == 1 && leads_text(a, n, p, i, depth + 1);
}

static void build_units(assembler *a)
{
	for (int p = 0; p < a->npages; p++) {
		const wk_page_out *po = &a->pages[p];
		for (int i = 0; i < po->nblocks; i++) {
			const wk_block *b = &po->blocks[i];
			if (skipped_block(b))
				continue;
			a->at_page = p, a->at_block = i;
			if (b->kind == WK_BLOCK_FIGURE) {
				add_figure(a, po, b, po->number);
				a->above = NULL;
			} else {
				a->above_unit = add_text(a, b, po->number, po->ocr);
				a->above = b;
			}
		}
		a->above = NULL;
	}
	close_slot(a, &a->open);
	close_slot(a, &a->parked);
}

/* A section heading is not a document's title: "1 Introduction", "II. Method", "Abstract".
 * Without a better candidate the caller falls back to the file name. */
static bool section_like(const char *text)
{
	static const char *const generic[] = {"abstract", "introduction", "contents",
	                                      "table of contents", "preface", "summary"};
	const char *p = text;
	while (*p == ' ')
		p++;
	size_t n = strspn(p, "0123456789.");
	if (strspn(p, "0123456789") > 2) /* "2024 Annual Report" is a title */
		n = 0;
	else if (n == 0)
		n = strspn(p, "IVX") > 0 && p[strspn(p, "IVX")] == '.' ? strspn(p, "IVX") + 1 : 0;
	if (n > 0 && (p[n] == ' ' || p[n] == '\0'))
		return true;
	for (size_t i = 0; i < WK_ARRAY_LEN(generic); i++)
		if (!strcasecmp(p, generic[i]))
			return true;
	return false;
}

/* The title when the metadata has none: the biggest text near the top of page 1. */
static const char *guess_title(const assembler *a, wk_buf *out)
{
	const wk_block *best = NULL;
	for (int p = 0; p < a->npages && !best; p++) {
		const wk_page_out *po = &a->pages[p];
		for (int i = 0; i < po->nblocks; i++) {
			const wk_block *b = &po->blocks[i];
			if (b->kind != WK_BLOCK_TEXT || (b->flags & WK_BF_FURNITURE) ||
			    b->box.y0 > 0.5f * po->height || b->nlines > 4)
				continue;
			if (b->size >= a->body * 1.2f && (!best || b->size > best->size) &&
			    !section_like(b->text))
				best = b;
		}
		if (po->nblocks)
			break;
	}
	if (!best)
		return NULL;
	wk_join_lines(a->vocab, best->text, out);
	return wk_buf_cstr(out);
}

/* The offset from page index to printed number most pages agree on, in *best (votes
 * counted; 0 when too few agree); `spread`: the pages are two-page spreads, and the vote
 * is on the right-hand page's number less twice the index (a spread "4 | 5" is the
 * third PDF page when the cover stands alone). */
enum { LABEL_SPAN = 256 };

static int printed_offset(const assembler *a, bool spread, int *best)
{
	int votes[2 * LABEL_SPAN + 1] = {0}, total = 0;
	*best = LABEL_SPAN;
	for (int p = 0; p < a->npages; p++) {
		const wk_page_out *po = &a->pages[p];
		if (!isdigit((unsigned char)po->printed[0]) || (spread && po->width <= po->height))
			continue;
		int v = atoi(po->printed);
		int off = spread ? v + !po->printed_right - 2 * po->number : po->number - v;
		total++;
		if (off >= -LABEL_SPAN && off <= LABEL_SPAN && ++votes[off + LABEL_SPAN] > votes[*best])
			*best = off + LABEL_SPAN;
	}
	bool agree = votes[*best] >= 2 && votes[*best] * 2 > total && votes[*best] * 4 >= a->npages;
	return agree ? votes[*best] : 0;
}

/* Labels from the printed page numbers, for a PDF without /PageLabels: when most printed
 * arabic numbers sit at one offset from the page index, every page gets its number on
 * that count (pages without a printed number too: chapter openings often have none);
 * pages before page 1 keep a printed roman numeral. Votes: at least two, more than half
 * of the printed numbers, and one per four pages (a stray "3" of a chart is no count).
 * Landscape pages whose numbers climb two a page are spreads: labelled "4-5". */
static void label_printed_pages(assembler *a)
{
	wk_doc *doc = a->doc;
	for (int p = 0; p < doc->npages; p++)
		if (doc->pages[p].label && doc->pages[p].label[0])
			return;
	int best, best_spread;
	int plain = printed_offset(a, false, &best), spread = printed_offset(a, true, &best_spread);
	bool spreads = spread > plain;
	if (!spreads && plain == 0)
		return;
	int off = (spreads ? best_spread : best) - LABEL_SPAN;
	for (int p = 0; p < a->npages; p++) {
		int number = a->pages[p].number, v = spreads ? 2 * number + off : number - off;
		char label[32];
		if (spreads && (v < 1 || a->pages[p].width <= a->pages[p].height))
			continue;
		if (spreads && v > 1)
			snprintf(label, sizeof label, "%d-%d", v - 1, v);
		else if (v >= 1)
			snprintf(label, sizeof label, "%d", v);
		else if (isalpha((unsigned char)a->pages[p].printed[0]))
			snprintf(label, sizeof label, "%s", a->pages[p].printed);
		else
			continue;
		if (number >= 1 && number <= doc->npages)
			doc->pages[number - 1].label = wk_doc_str(doc, label);
	}
}

void wk_assemble(wk_doc *doc, wk_page_out *pages, int npages)
{
	assembler a = {.doc = doc, .pages = pages, .npages = npages};
	a.open.unit = a.parked.unit = -1;
	wk_buf_init(&a.open.text, UNIT_TEXT_MAX);
	wk_buf_init(&a.parked.text, UNIT_TEXT_MAX);
	a.vocab = wk_vocab_new();
	for (int p = 0; p < npages; p++)
		for (int i = 0; i < pages[p].nblocks; i++)
			wk_vocab_add_text(a.vocab, pages[p].blocks[i].text);
	a.body = doc_body_size(&a);
	drop_furniture(&a);
	for (int p = 0; p < npages; p++)
		mark_run_ends(&pages[p]);
	learn_levels(&a);
	build_units(&a);
	label_printed_pages(&a);
	if (!doc->title || !doc->title[0]) {
		wk_buf t;
		wk_buf_init(&t, 1024);
		doc->title = wk_doc_str(doc, guess_title(&a, &t));
		wk_buf_free(&t);
	}
	wk_buf_free(&a.open.text);
	wk_buf_free(&a.parked.text);
	wk_vocab_free(a.vocab);
	wk_doc_finish(doc);
	wk_doc_link_refs(doc);
	wk_doc_link_tables(doc);
}

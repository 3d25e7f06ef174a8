/* headings.h: which headings of a parsed document are table headers or chart labels
 * (issue 12: they should be none), for the benchmarks that count them (corpus, tables).
 * Header-only: each C file in bench/ is a program of its own.
 *
 * A heading is counted when
 * - its box's centre lies inside a figure or table unit's box on its page (a label or
 *   cell the parser kept and still made a heading), or
 * - it has a table header's shape: section number aside ("12.", "Item 7A."), two numbers
 *   or more that make a third of its words or more ("Change 2015 vs. 2014 2014 vs. 2013",
 *   "+50 BPS +100 BPS"), or one number and a table follows on its page with at most one
 *   unit between, or
 * - it has a chart label's shape: it ends with a bare value of one to three digits, or a
 *   percentage ("Rep/Lean Rep 72", "Reagan 67", "Total 41%").
 * By shape, so that a chart the parser missed still counts; a section heading that ends
 * with a small number ("Appendix 2") counts too, which the figures printed with the
 * count let one check. */
#ifndef WK_BENCH_HEADINGS_H
#define WK_BENCH_HEADINGS_H

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "wukong.h"

/* The text after a leading section number: "12. Segment ...", "Item 7A. ...", "NOTE 6. ...". */
static const char *after_section_number(const char *t)
{
	const char *s = t + strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
	s = s > t && *s == ' ' ? s + 1 : t;
	size_t num = strspn(s, "0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	return num > 0 && s[num - 1] == '.' ? s + num : t;
}

/* Numbers in a heading after its section number ("2015", "(24)%", "+50"), and its words. */
static int numbers_in(const char *t, int *words)
{
	int n = 0;
	*words = 0;
	for (const char *s = after_section_number(t); *s;) {
		size_t w = strcspn(s, " ");
		bool digits = false, letters = false;
		*words += w > 0;
		for (size_t k = 0; k < w; k++) {
			digits |= isdigit((unsigned char)s[k]) != 0;
			letters |= isalpha((unsigned char)s[k]) != 0;
		}
		n += digits && !letters;
		s += w + (s[w] == ' ');
	}
	return n;
}

static bool header_shaped(const wk_doc *doc, int i)
{
	const wk_unit *u = &doc->units[i];
	int words, n = numbers_in(u->text, &words);
	if (u->type != WK_UNIT_HEADING || n == 0)
		return false;
	if (n >= 2 && 3 * n >= words)
		return true;
	for (int k = i + 1; k <= i + 2 && k < doc->nunits; k++)
		if (doc->units[k].type == WK_UNIT_TABLE && doc->units[k].page == u->page)
			return true;
	return false;
}

/* The last word is a value: 1-3 digits, maybe with '%'. */
static bool ends_with_value(const char *t)
{
	const char *w = strrchr(t, ' ');
	if (!w)
		return false;
	w++;
	size_t n = strspn(w, "0123456789");
	return n >= 1 && n <= 3 && (w[n] == '\0' || (w[n] == '%' && w[n + 1] == '\0'));
}

/* Whether the heading's box lies in a figure or table box of its page. */
static bool heading_inside_figure(const wk_doc *doc, const wk_box *h)
{
	float cx = (h->x0 + h->x1) / 2, cy = (h->y0 + h->y1) / 2;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->type != WK_UNIT_FIGURE && u->type != WK_UNIT_TABLE)
			continue;
		for (int b = 0; b < u->nboxes; b++)
			if (u->boxes[b].page == h->page && cx >= u->boxes[b].x0 && cx <= u->boxes[b].x1 &&
			    cy >= u->boxes[b].y0 && cy <= u->boxes[b].y1)
				return true;
	}
	return false;
}

/* Why unit i is a heading that is a table header or a chart label (see above): "inside"
 * a figure or table, "header" shaped, ending with a "value"; NULL when it is none. */
static const char *label_heading_kind(const wk_doc *doc, int i)
{
	const wk_unit *u = &doc->units[i];
	if (u->type != WK_UNIT_HEADING)
		return NULL;
	if (u->nboxes > 0 && heading_inside_figure(doc, &u->boxes[0]))
		return "inside";
	if (header_shaped(doc, i))
		return "header";
	return ends_with_value(u->text) ? "value" : NULL;
}

static inline bool label_heading(const wk_doc *doc, int i)
{
	return label_heading_kind(doc, i) != NULL;
}

#endif

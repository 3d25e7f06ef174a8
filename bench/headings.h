/* headings.h: which headings of a parsed document are table headers or chart labels
 * (issue 12: they should be none), for the benchmarks that count them (corpus, tables).
 * Header-only: each C file in bench/ is a program of its own.
 *
 * A heading is counted when
 * - its box's centre lies inside a figure or table unit's box on its page (a label or
 *   cell the parser kept and still made a heading), or, unless it is a numbered section
 *   heading (below),
 * - it has a table header's shape: two numbers or more that make a third of its words or
 *   more ("Change 2015 vs. 2014 2014 vs. 2013", "+50 BPS +100 BPS") and no paragraph of
 *   prose follows it (a section titled "Comparison of 2018 to 2017" over the sentence
 *   "For the comparison of 2018 to 2017, refer to ..." was counted before: plainly a
 *   section heading), or one number and a table follows on its page with at most one
 *   unit between, or
 * - it has a chart label's shape: it ends with a bare value of one to three digits, or a
 *   percentage ("Rep/Lean Rep 72", "Reagan 67", "Total 41%").
 * By shape, so that a chart the parser missed still counts.
 *
 * A numbered section heading starts with its number, and what follows the number is not
 * itself header-shaped (fewer than two numbers, or under a third of its words):
 * - a number of one or two digits per dotted part, or a roman numeral or a letter with a
 *   dot, then a word of letters: "5.1 Study 1 Results", "4.1.1 IO Threads (Scheduler 3)",
 *   "II. RELATED WORK" (a column header starts with a year or a value, "2015 2014",
 *   "1 Year 3 Years 5 Years" has too many numbers after its first);
 * - or a capitalised word, a number ("7A", "#2", "12.1", "II", "A") and ':', '.' or a
 *   dash: "Note 9— Taxes", "SEMESTER 1: QUARTER 1", "Item 7A.", "Quiz #2: ...";
 * - or a word that names a part of a document (section_words: Chapter, Article, Exhibit,
 *   ...) and a number, alone or before a title: "ARTICLE 1", "Exhibit 12.1 Ratio of ...".
 *   "Year" is not such a word: "Year 3" is a column header or a photo caption's tail as
 *   often as a part, so it stays counted.
 * Checked by reading `build/bench/corpus --no-ocr --headings` on the shared documents:
 * of the 73 it counted before this rule, the 32 it stops counting are 26 real section
 * headings, 5 table-of-contents lines quoting one ("Chapter 2: Survey Results 23") and a
 * numbered list item set in bold ("YEAR 2 – Integrated science ..."). */
#ifndef WK_BENCH_HEADINGS_H
#define WK_BENCH_HEADINGS_H

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "wukong.h"

/* Words that name a part of a document and take a number: "Article 1", "Exhibit 12.1". */
static const char *const section_words[] = {
	"Annex",  "Appendix", "Article", "Chapter", "Exhibit", "Item", "Lecture", "Lesson",
	"Module", "Note",     "Part",    "Schedule", "Section", "Step", "Unit",   "Week",
};

/* Length of an arabic section number at s: parts of 1 to max_digits digits joined by
 * dots ("4.1.1"); with `decorated`, also "#2" and a letter suffix ("7A"). 0 when none. */
static size_t arabic_number_len(const char *s, size_t max_digits, bool decorated)
{
	size_t n = decorated && *s == '#';
	for (;;) {
		size_t d = strspn(s + n, "0123456789");
		if (d == 0 || d > max_digits)
			return 0;
		n += d;
		if (s[n] != '.' || !isdigit((unsigned char)s[n + 1]))
			break;
		n++;
	}
	if (decorated && isupper((unsigned char)s[n]) && !isalpha((unsigned char)s[n + 1]))
		n++;
	return isalnum((unsigned char)s[n]) ? 0 : n;
}

/* Length of a roman numeral ("II", "IV") or of one capital letter ("A") at s; 0 when none. */
static size_t letter_number_len(const char *s)
{
	size_t n = strspn(s, "IVXLC");
	if (n == 0 && isupper((unsigned char)*s))
		n = 1;
	return n > 0 && n <= 6 && !isalpha((unsigned char)s[n]) ? n : 0;
}

/* Whether s starts with a word of two letters or more. */
static bool starts_with_word(const char *s)
{
	return isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]);
}

/* After a number: ':' or '.' or a dash (ASCII, en, em; a space before it allowed). */
static bool separator_follows(const char *s)
{
	s += *s == ' ';
	return *s == ':' || *s == '.' || *s == '-' || strncmp(s, "\u2013", 3) == 0 ||
	       strncmp(s, "\u2014", 3) == 0;
}

static bool is_section_word(const char *t, size_t len)
{
	for (size_t k = 0; k < sizeof section_words / sizeof *section_words; k++)
		if (strlen(section_words[k]) == len && strncasecmp(t, section_words[k], len) == 0)
			return true;
	return false;
}

/* The text after the leading number of a numbered section heading (see above), or NULL
 * when t does not start like one. */
static const char *after_section_number(const char *t)
{
	size_t n = arabic_number_len(t, 2, false);
	if (n == 0 && (n = letter_number_len(t)) > 0 && t[n] != '.')
		n = 0;
	if (n > 0) {
		n += t[n] == '.';
		return t[n] == ' ' && starts_with_word(t + n + 1) ? t + n + 1 : NULL;
	}
	size_t w = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
	if (w < 2 || !isupper((unsigned char)*t) || t[w] != ' ')
		return NULL;
	const char *num = t + w + 1;
	if ((n = arabic_number_len(num, 3, true)) == 0 && (n = letter_number_len(num)) == 0)
		return NULL;
	if (separator_follows(num + n))
		return num + n;
	bool title = num[n] == ' ' && isalpha((unsigned char)num[n + 1]);
	if (is_section_word(t, w) && (num[n] == '\0' || title))
		return num + n;
	return NULL;
}

/* Numbers in s ("2015", "(24)%", "+50"), and its words. */
static int numbers_in(const char *s, int *words)
{
	int n = 0;
	*words = 0;
	while (*s) {
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

/* Whether t is a numbered section heading: its leading number, then text that is not
 * itself header-shaped. */
static bool section_numbered(const char *t)
{
	const char *rest = after_section_number(t);
	int words, n = rest ? numbers_in(rest, &words) : 0;
	return rest && (n < 2 || 3 * n < words);
}

/* Unit i is followed on its page by a paragraph of prose: twelve words or more, under a
 * third of them numbers, ending with a full stop. A column header heads figures, never
 * sentences. */
static bool leads_prose(const wk_doc *doc, int i)
{
	if (i + 1 >= doc->nunits)
		return false;
	const wk_unit *u = &doc->units[i + 1];
	int words, n = numbers_in(u->text, &words);
	size_t len = strlen(u->text);
	for (;;) { /* closing quotes and brackets after the stop */
		if (len > 0 && strchr(")]\"'", u->text[len - 1]))
			len--;
		else if (len >= 3 && (strncmp(u->text + len - 3, "\u201d", 3) == 0 ||
		                      strncmp(u->text + len - 3, "\u2019", 3) == 0))
			len -= 3;
		else
			break;
	}
	return u->type == WK_UNIT_TEXT && u->page == doc->units[i].page && words >= 12 &&
	       3 * n < words && len > 0 && u->text[len - 1] == '.';
}

static bool header_shaped(const wk_doc *doc, int i)
{
	const wk_unit *u = &doc->units[i];
	int words, n = numbers_in(u->text, &words);
	if (n == 0)
		return false;
	if (n >= 2 && 3 * n >= words)
		return !leads_prose(doc, i);
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
	if (section_numbered(u->text))
		return NULL;
	if (header_shaped(doc, i))
		return "header";
	return ends_with_value(u->text) ? "value" : NULL;
}

static inline bool label_heading(const wk_doc *doc, int i)
{
	return label_heading_kind(doc, i) != NULL;
}

#endif

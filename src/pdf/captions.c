/* captions.c: figure and table labels: caption starts and mentions in running text.
 *
 * Hand parsing rather than a regular expression: the grammar is small, and the number
 * rules (roman numerals, "A.1", "3a", ranges) read better as code. */
#include "captions.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct keyword {
	const char *word;
	wk_unit_type type;
	bool upper;
	bool plural;
} keyword;

/* Caption keywords, case-sensitive: "figure 3" in lowercase is never a caption start. */
static const keyword caption_words[] = {
	{"Figure", WK_UNIT_FIGURE, false, false}, {"FIGURE", WK_UNIT_FIGURE, true, false},
	{"Fig.", WK_UNIT_FIGURE, false, false},   {"FIG.", WK_UNIT_FIGURE, true, false},
	{"Fig", WK_UNIT_FIGURE, false, false},    {"FIG", WK_UNIT_FIGURE, true, false},
	{"Table", WK_UNIT_TABLE, false, false},   {"TABLE", WK_UNIT_TABLE, true, false},
	{"Tab.", WK_UNIT_TABLE, false, false},    {"TAB.", WK_UNIT_TABLE, true, false},
};

/* Mention keywords, matched case-insensitively, longest first. */
static const keyword mention_words[] = {
	{"figures", WK_UNIT_FIGURE, false, true}, {"figure", WK_UNIT_FIGURE, false, false},
	{"figs.", WK_UNIT_FIGURE, false, true},   {"figs", WK_UNIT_FIGURE, false, true},
	{"fig.", WK_UNIT_FIGURE, false, false},   {"fig", WK_UNIT_FIGURE, false, false},
	{"tables", WK_UNIT_TABLE, false, true},   {"table", WK_UNIT_TABLE, false, false},
	{"tabs.", WK_UNIT_TABLE, false, true},    {"tab.", WK_UNIT_TABLE, false, false},
};

/* Skips spaces, tabs and the Unicode spaces LaTeX puts after "Fig." (U+00A0, U+2009,
 * U+202F). */
static const char *skip_space(const char *s)
{
	for (;;) {
		if (*s == ' ' || *s == '\t')
			s++;
		else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
			s += 2;
		else if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
		         ((unsigned char)s[2] == 0x89 || (unsigned char)s[2] == 0xAF))
			s += 3;
		else
			return s;
	}
}

static bool is_roman(char c)
{
	return c == 'I' || c == 'V' || c == 'X' || c == 'L' || c == 'C';
}

static size_t roman_len(const char *s)
{
	size_t n = 0;
	while (is_roman(s[n]))
		n++;
	return (n > 0 && n <= 7 && !isalnum((unsigned char)s[n])) ? n : 0;
}

/* Arabic: an optional capital prefix ("S2", "A.1"), digits and ".digits" parts, an
 * optional lowercase subfigure letter (kept only when `keep_letter`). */
static size_t arabic_len(const char *s, bool keep_letter, size_t *keep)
{
	size_t n = 0;
	if (isupper((unsigned char)s[0]) && (isdigit((unsigned char)s[1]) ||
	                                     (s[1] == '.' && isdigit((unsigned char)s[2]))))
		n = s[1] == '.' ? 2 : 1;
	if (!isdigit((unsigned char)s[n]))
		return 0;
	while (isdigit((unsigned char)s[n]) ||
	       (s[n] == '.' && isdigit((unsigned char)s[n + 1])))
		n++;
	*keep = n;
	if (islower((unsigned char)s[n]) && !isalpha((unsigned char)s[n + 1])) {
		n++;
		if (keep_letter)
			*keep = n;
	}
	if (isalpha((unsigned char)s[n]))
		return 0; /* "3D", "2nd": not a label number */
	return n;
}

/* Parses a label number at s into num; returns the bytes consumed, 0 when none. */
static size_t parse_number(const char *s, char *num, size_t cap, bool keep_letter)
{
	size_t keep = 0, n = roman_len(s);
	if (n > 0)
		keep = n;
	else
		n = arabic_len(s, keep_letter, &keep);
	if (n == 0 || keep >= cap)
		return 0;
	memcpy(num, s, keep);
	num[keep] = '\0';
	return n;
}

static bool has_prefix(const char *s, const char *prefix, bool fold)
{
	size_t n = strlen(prefix);
	return fold ? strncasecmp(s, prefix, n) == 0 : strncmp(s, prefix, n) == 0;
}

/* What follows the number tells a caption ("Figure 3: ...") from a mention. */
static int caption_strength(const char *s)
{
	s = skip_space(s);
	unsigned char c = (unsigned char)*s;
	if (c == '\0' || c == '.' || c == '-')
		return WK_CAP_ALONE;
	if (c == ':' || c == '|')
		return WK_CAP_COLON;
	if (c == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94))
		return WK_CAP_ALONE; /* en or em dash */
	if (isupper(c) || c == '"' || c == '(')
		return c == '(' ? WK_CAP_NONE : WK_CAP_WORD;
	return WK_CAP_NONE;
}

bool wk_caption_parse(const char *text, wk_caption_label *out)
{
	if (!text || !out)
		return false;
	const char *s = skip_space(text);
	for (size_t i = 0; i < WK_ARRAY_LEN(caption_words); i++) {
		const keyword *k = &caption_words[i];
		if (!has_prefix(s, k->word, false))
			continue;
		const char *p = s + strlen(k->word);
		const char *q = skip_space(p);
		bool dotted = p[-1] == '.';
		if (q == p && !dotted)
			continue; /* "Figures", "Tableau" */
		size_t n = parse_number(q, out->num, sizeof out->num, true);
		if (n == 0)
			continue;
		out->type = k->type;
		out->upper = k->upper;
		out->strength = caption_strength(q + n);
		return out->strength != WK_CAP_NONE;
	}
	return false;
}

void wk_caption_label_format(const wk_caption_label *label, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s", label->type == WK_UNIT_TABLE ? "Table" : "Figure",
	         label->num);
}

/* The keyword of a mention starting at s, or NULL. */
static const keyword *mention_keyword(const char *text, const char *s)
{
	if (s > text && (isalnum((unsigned char)s[-1]) || s[-1] == '-'))
		return NULL;
	int first = tolower((unsigned char)*s); /* the words are lower case: a cheap test first */
	for (size_t i = 0; i < WK_ARRAY_LEN(mention_words); i++)
		if (mention_words[i].word[0] == first && has_prefix(s, mention_words[i].word, true))
			return &mention_words[i];
	return NULL;
}

static int add_mention(wk_mention *out, int n, int cap, const keyword *k, const char *num,
                       int offset)
{
	if (n >= cap)
		return n;
	out[n].type = k->type;
	snprintf(out[n].num, sizeof out[n].num, "%s", num);
	out[n].offset = offset;
	return n + 1;
}

/* A separator between listed numbers: returns its length and whether it is a range. */
static size_t list_separator(const char *s, bool *range)
{
	*range = false;
	if (*s == ',' || *s == '&')
		return 1;
	if (has_prefix(s, "and ", false) || has_prefix(s, "or ", false))
		return s[0] == 'a' ? 3 : 2;
	*range = true;
	if (*s == '-')
		return 1;
	if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94))
		return 3;
	if (has_prefix(s, "to ", false))
		return 2;
	*range = false;
	return 0;
}

/* Expands "2-5" into 3, 4, 5 (2 is already listed); only plain integers, at most 50. */
static int add_range(wk_mention *out, int n, int cap, const keyword *k, const char *from,
                     const char *to, int offset)
{
	char *end1, *end2;
	long a = strtol(from, &end1, 10), b = strtol(to, &end2, 10);
	if (*end1 || *end2 || b <= a || b - a > 50 || b > 999999)
		return add_mention(out, n, cap, k, to, offset);
	for (long v = a + 1; v <= b; v++) {
		char num[16];
		snprintf(num, sizeof num, "%d", (int)v);
		n = add_mention(out, n, cap, k, num, offset);
	}
	return n;
}

/* Parses the number list after a keyword; returns the new count, *end past the list. */
static int parse_list(const char *text, const char *s, const keyword *k, wk_mention *out,
                      int n, int cap, const char **end)
{
	char num[16], prev[16];
	int offset = (int)(s - text);
	const char *p = skip_space(s + strlen(k->word));
	size_t len = parse_number(p, num, sizeof num, false);
	*end = s + strlen(k->word);
	if (len == 0)
		return n;
	n = add_mention(out, n, cap, k, num, offset);
	p += len;
	*end = p;
	for (int guard = 0; guard < 64; guard++) {
		bool range;
		const char *q = skip_space(p);
		size_t sep = list_separator(q, &range);
		if (sep == 0)
			break;
		q = skip_space(q + sep);
		if (!range && has_prefix(q, "and ", false))
			q = skip_space(q + 4);
		snprintf(prev, sizeof prev, "%s", num);
		len = parse_number(q, num, sizeof num, false);
		if (len == 0)
			break;
		n = range ? add_range(out, n, cap, k, prev, num, offset)
		          : add_mention(out, n, cap, k, num, offset);
		p = q + len;
		*end = p;
	}
	return n;
}

int wk_mentions_find(const char *text, wk_mention *out, int cap)
{
	int n = 0;
	if (!text || !out || cap <= 0)
		return 0;
	for (const char *s = text; *s && n < cap;) {
		const keyword *k = mention_keyword(text, s);
		if (!k) {
			s++;
			continue;
		}
		const char *end;
		n = parse_list(text, s, k, out, n, cap, &end);
		s = end > s ? end : s + 1;
	}
	return n;
}

/* spans.c: typed spans of one sentence: numbers with their unit or currency, ranges,
 * percentages, years and dates, e-mail and web addresses, "Expanded Name (ACRONYM)",
 * and the enumeration a list question asks for. Each span is a byte range of the
 * sentence as printed; how well it fits the question is scored here too. */
#include "reader.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


void rd_cands_add(rd_cands *c, const rd_cand *x)
{
	if (c->n >= RD_MAX_CANDS) {
		free(x->text);
		free(x->quote);
		return;
	}
	c->v = wk_grow(c->v, &c->cap, c->n + 1, sizeof *c->v);
	c->v[c->n++] = *x;
}

void rd_cands_free(rd_cands *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->v[i].text);
		free(c->v[i].quote);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

char *rd_clean(const char *s, const char *e)
{
	char *out = wk_xmalloc((size_t)(e - s) + 1);
	size_t n = 0;
	int space = 0;
	for (const char *p = s; p < e; p++) {
		if (isspace((unsigned char)*p)) {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = 0;
		out[n++] = *p;
	}
	out[n] = '\0';
	return out;
}

const char *rd_number(const char *p, const char *end, double *value)
{
	const char *q = p;
	int neg = q < end && *q == '(';
	if (neg)
		q++;
	if (q >= end || !isdigit((unsigned char)*q))
		return NULL;
	char tmp[64];
	size_t n = 0;
	while (q < end && n + 1 < sizeof tmp &&
	       (isdigit((unsigned char)*q) ||
	        ((*q == ',' || *q == '.') && q + 1 < end && isdigit((unsigned char)q[1])))) {
		if (*q != ',')
			tmp[n++] = *q;
		q++;
	}
	tmp[n] = '\0';
	if (neg) {
		if (q >= end || *q != ')')
			return NULL;
		q++;
	}
	*value = strtod(tmp, NULL) * (neg ? -1 : 1);
	return q;
}

/* ---- term hits per word, for closeness ---- */

typedef rd_words words;

typedef struct hit_sink {
	const rd_question *q;
	int hit;
} hit_sink;

static void on_word_term(void *user, const char *term, size_t len)
{
	hit_sink *h = user;
	(void)len;
	for (int i = 0; i < h->q->nterms && !h->hit; i++)
		h->hit = rd_term_is(h->q->terms[i], term);
}

void rd_split_words(const rd_match *m, const char *s, const char *e, rd_words *w)
{
	w->n = 0;
	char tmp[RD_TERM_LEN * 2];
	for (const char *p = s; p < e && w->n < RD_MAX_WORDS;) {
		while (p < e && (isspace((unsigned char)*p) || *p == '|'))
			p++;
		const char *b = p;
		while (p < e && !isspace((unsigned char)*p) && *p != '|')
			p++;
		if (p == b)
			break;
		size_t n = WK_MIN((size_t)(p - b), sizeof tmp - 1);
		memcpy(tmp, b, n);
		tmp[n] = '\0';
		hit_sink h = {m->q, 0};
		wk_tokenize(m->tk, tmp, on_word_term, &h);
		w->s[w->n] = b;
		w->e[w->n] = p;
		w->hit[w->n++] = h.hit;
	}
}

rd_sentence *rd_sentence_new(const rd_match *m, int item, const char *s, const char *e,
                             double cover, rd_cands *out)
{
	rd_sentence *c = wk_xmalloc(sizeof *c);
	*c = (rd_sentence){.m = m, .item = item, .s = s, .e = e, .cover = cover, .out = out};
	rd_split_words(m, s, e, &c->w);
	return c;
}

/* 1 / (1 + d / 4) for the distance d in words from [s, e) to the nearest question word
 * outside it; 0 when the sentence holds none. */
static double closeness(const words *w, const char *s, const char *e)
{
	int first = -1, last = -1;
	for (int i = 0; i < w->n; i++)
		if (w->e[i] > s && w->s[i] < e) {
			if (first < 0)
				first = i;
			last = i;
		}
	if (first < 0)
		return 0;
	int best = -1;
	for (int i = 0; i < w->n; i++) {
		if (!w->hit[i] || (i >= first && i <= last))
			continue;
		int d = i < first ? first - i - 1 : i - last - 1;
		if (best < 0 || d < best)
			best = d;
	}
	return best < 0 ? 0 : 1.0 / (1.0 + best / 4.0);
}

/* ---- fit of a span's kind to the question's type ---- */

/* 1 when the unit word printed after a number is the noun counted (its stem a prefix
 * of the word: "token" of "tokens"). */
static int same_noun(const char *unit, size_t ulen, const char *stem)
{
	size_t n = strlen(stem);
	return n >= 3 && ulen >= n && !strncmp(unit, stem, n);
}

static double fit(const rd_question *q, rd_type kind, const char *unit, size_t ulen)
{
	static const double table[RD_RATIO + 2][RD_PERIOD + 1] = {
	    /* span:       text count quant money pct  ratio date year period */
	    [RD_COUNT] = {0, 1.0, 0.8, 0.3, 0.2, 0.3, 0, 0.1, 0.3},
	    [RD_QUANTITY] = {0, 0.7, 1.0, 0.7, 0.9, 0.7, 0, 0.1, 1.0},
	    [RD_MONEY] = {0, 0.7, 0.7, 1.0, 0.2, 0.6, 0, 0.05, 0.1},
	    [RD_PERCENT] = {0, 0.4, 0.3, 0.1, 1.0, 0.5, 0, 0.05, 0.1},
	    [RD_RATIO] = {0, 0.15, 0.3, 0.1, 0.7, 1.0, 0, 0.05, 0.1},
	};
	if (q->type == RD_YEAR)
		return kind == RD_YEAR ? 1.0 : kind == RD_DATE ? 0.6 : 0;
	if (q->type == RD_DATE)
		return kind == RD_DATE ? 1.0 : kind == RD_YEAR ? 0.6 : 0;
	if (q->type == RD_PERIOD)
		return kind == RD_PERIOD ? 1.0 : kind == RD_QUANTITY ? 0.5 : 0;
	if (q->type > RD_RATIO || q->type == RD_TEXT || kind > RD_PERIOD)
		return 0;
	double f = table[q->type][kind];
	if (q->type == RD_COUNT && q->counted[0]) {
		/* "how many tokens": a number followed by the noun counted is the answer. */
		int same = ulen > 0 && (same_noun(unit, ulen, q->counted) ||
		                        same_noun(unit, ulen, q->counted2));
		f = same ? 1.0 : ulen > 0 ? f * 0.5 : f * 0.8;
	}
	return f;
}

/* ---- numbers ---- */

static const char *skip_currency(const char *p, const char *end, int *money)
{
	if (p < end && *p == '$') {
		*money = 1;
		return p + 1;
	}
	/* UTF-8 euro and pound signs */
	if (end - p >= 3 && !memcmp(p, "\xe2\x82\xac", 3)) {
		*money = 1;
		return p + 3;
	}
	if (end - p >= 2 && !memcmp(p, "\xc2\xa3", 2)) {
		*money = 1;
		return p + 2;
	}
	return p;
}

/* A range connector after a number: "-", "–", " to ". Returns where the second number
 * may start, or NULL. */
static const char *range_dash(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && *q == ' ')
		q++;
	if (q < end && *q == '-')
		q++;
	else if (end - q >= 3 && !memcmp(q, "\xe2\x80\x93", 3))
		q += 3;
	else if (end - q >= 3 && !memcmp(q, "to ", 3))
		q += 3;
	else
		return NULL;
	while (q < end && *q == ' ')
		q++;
	return q;
}

static int time_unit(const char *u, size_t n)
{
	static const char *const units[] = {"ms", "s", "sec", "secs", "second", "seconds",
	                                    "minute", "minutes", "min", "mins", "hour", "hours",
	                                    "day", "days", "week", "weeks", "month", "months",
	                                    "year", "years", "milliseconds", "microseconds", "us"};
	for (size_t k = 0; k < WK_ARRAY_LEN(units); k++)
		if (strlen(units[k]) == n && !strncmp(units[k], u, n))
			return 1;
	return 0;
}

/* The unit word after a number ("ms", "tokens", "million", "percent"): lowercase letters,
 * not a stop word. Sets *us, *ue; returns its end or p when none. */
static const char *unit_after(const char *p, const char *end, const char **us, size_t *ulen)
{
	const char *q = p;
	if (q < end && *q == ' ')
		q++;
	const char *b = q;
	while (q < end && q - b < 16 && (islower((unsigned char)*q) || *q == '-'))
		q++;
	*us = b;
	*ulen = 0;
	if (q == b || (q < end && isalnum((unsigned char)*q)) || wk_is_stop_word(b, (size_t)(q - b)))
		return p;
	*ulen = (size_t)(q - b);
	return q;
}

static void emit(rd_sentence *c, rd_type kind, const char *s, const char *e, double value,
                 int has_value, double f)
{
	if (f <= 0)
		return;
	rd_cand x = {.type = kind, .item = c->item, .s = s, .e = e, .value = value,
	             .has_value = has_value, .fit = f, .cover = c->cover};
	x.near = closeness(&c->w, s, e);
	x.qs = c->s;
	x.qe = c->e;
	rd_cands_add(c->out, &x);
}

static int is_year_value(double v, const char *s, const char *e)
{
	return e - s == 4 && v >= 1900 && v <= 2099 && v == floor(v);
}

/* 1 when the number at p follows a label word ("Figure", "Table", "Section", "page"). */
static int label_number(const char *s, const char *p)
{
	static const char *const labels[] = {"figure", "fig.", "table", "section", "page",
	                                     "chapter", "eq.", "equation", "step", "item", "no."};
	const char *b = p;
	while (b > s && b[-1] == ' ')
		b--;
	const char *w = b;
	while (w > s && !isspace((unsigned char)w[-1]))
		w--;
	for (size_t k = 0; k < WK_ARRAY_LEN(labels); k++)
		if ((size_t)(b - w) == strlen(labels[k]) && !strncasecmp(w, labels[k], (size_t)(b - w)))
			return 1;
	return 0;
}

static int month_at(const char *p, const char *end);

/* 1 when the number [p, q) of value v is the day after a month's name ("December 31"). */
static int day_number(const char *s, const char *p, const char *q, double v)
{
	if (q - p > 2 || v < 1 || v > 31 || p - s < 4 || p[-1] != ' ')
		return 0;
	const char *w = p - 1;
	while (w > s && isalpha((unsigned char)w[-1]))
		w--;
	return month_at(w, p - 1) > 0;
}

/* 1 when the text from p to the end of its table cell (" | ") holds ": ": the number
 * is in the header key of a cell printed "Header: value". */
static int cell_key(const char *p, const char *end)
{
	for (; p + 1 < end; p++) {
		if (p + 3 <= end && !memcmp(p, " | ", 3))
			return 0;
		if (p[0] == ':' && p[1] == ' ')
			return 1;
	}
	return 0;
}

/* One number span at p; returns where scanning goes on. */
static const char *number_span(rd_sentence *c, const char *p)
{
	const char *end = c->e, *start = p;
	int money = 0, percent = 0;
	p = skip_currency(p, end, &money);
	if (money && p < end && *p == ' ')
		p++;
	double v, v2;
	const char *q = rd_number(p, end, &v);
	if (!q)
		return start + 1;
	if (label_number(c->s, start))
		return q; /* "Figure 15", "Section 5.2": a reference, not a quantity */
	if (day_number(c->s, start, q, v) && c->m->q->type != RD_COUNT)
		return q; /* "December 31, 2017": the day of a date, not a value */
	if (cell_key(q, end))
		return q; /* "TACREV 50-shot: 72.3": a table cell's header, not its value */
	if ((start - c->s >= 2 && start[-1] == '-' && isalpha((unsigned char)start[-2])) ||
	    (q < end && isupper((unsigned char)*q)))
		return q; /* "GPT-4", "PaLM-2L", "3D": part of a name */
	const char *num_end = q;
	const char *us;
	size_t ulen;
	/* "150-300ms", "0.5ms to 20ms", "$5 to $10": a range, the unit on either side */
	const char *r = range_dash(unit_after(q, end, &us, &ulen), end), *q2;
	int range = 0;
	if (r && (q2 = rd_number(skip_currency(r, end, &money), end, &v2)) && v2 > v) {
		q = q2;
		range = 1;
	}
	if (q < end && *q == '%') {
		percent = 1;
		q++;
	}
	const char *after = percent ? q : unit_after(q, end, &us, &ulen);
	if (percent)
		ulen = 0, us = q;
	if (!percent && ulen && (!strncmp(us, "percent", 7) || !strncmp(us, "per cent", 8)))
		percent = 1;
	rd_type kind = percent ? RD_PERCENT : money ? RD_MONEY : RD_COUNT;
	if (kind == RD_COUNT) {
		if (ulen && time_unit(us, ulen))
			kind = RD_PERIOD;
		else if (ulen)
			kind = RD_QUANTITY;
		else if (!range && is_year_value(v, p, num_end))
			kind = RD_YEAR;
		else if (v != floor(v))
			kind = RD_RATIO;
	}
	/* A number the question itself states (its year, "all 12 references") is given,
	 * not the answer. */
	for (int i = 0; i < c->m->q->nnumbers; i++)
		if (!range && v == c->m->q->numbers[i])
			return q;
	double f = fit(c->m->q, kind, us, ulen);
	if (range && c->m->q->type == RD_QUANTITY)
		f = WK_MIN(1.0, f + 0.2);
	emit(c, kind, start, after, v, !range, f);
	return after > start ? after : start + 1;
}

/* ---- dates ---- */

static int month_at(const char *p, const char *end)
{
	static const char *const months[] = {"January", "February", "March",     "April",
	                                     "May",     "June",     "July",      "August",
	                                     "September", "October", "November", "December"};
	for (int k = 0; k < 12; k++) {
		size_t n = strlen(months[k]);
		if ((size_t)(end - p) >= n && !strncmp(p, months[k], n) &&
		    (p + n == end || !isalpha((unsigned char)p[n])))
			return (int)n;
	}
	return 0;
}

char *rd_date_numeric(const char *s, const char *e, int parts)
{
	int month = 0, day = 0, year = 0;
	for (const char *p = s; p < e; p++) {
		int ml = !month && (p == s || !isalpha((unsigned char)p[-1])) ? month_at(p, e) : 0;
		if (ml) {
			static const char *const first[] = {"Ja", "F", "Mar", "Ap", "May", "Jun",
			                                    "Jul", "Au", "S", "O", "N", "D"};
			for (int k = 0; k < 12 && !month; k++)
				month = !strncmp(p, first[k], strlen(first[k])) ? k + 1 : 0;
			p += ml - 1;
		} else if (isdigit((unsigned char)*p) && (p == s || !isdigit((unsigned char)p[-1]))) {
			int v = atoi(p), n = (int)strspn(p, "0123456789");
			if (n == 4)
				year = v;
			else if (n <= 2 && v >= 1 && v <= 31)
				day = v;
		}
	}
	if (!month || !year || (parts == 3 && !day))
		return NULL;
	char tmp[32];
	if (parts == 3)
		snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", year, month, day);
	else
		snprintf(tmp, sizeof tmp, "%04d-%02d", year, month);
	return wk_xstrdup(tmp);
}

/* "March 5, 2021", "March 2021", "March 5". */
static const char *date_span(rd_sentence *c, const char *p, int mlen)
{
	const char *q = p + mlen, *end = c->e, *best = NULL;
	if (q < end && *q == ' ' && q + 1 < end && isdigit((unsigned char)q[1])) {
		const char *d = q + 1;
		int n = 0;
		while (d + n < end && isdigit((unsigned char)d[n]))
			n++;
		if (n <= 2) {
			best = d + n;
			if (best + 2 < end && best[0] == ',' && best[1] == ' ' &&
			    isdigit((unsigned char)best[2]) && end - best >= 6)
				best += 6;
		} else if (n == 4) {
			best = d + 4;
		}
	}
	if (best)
		emit(c, RD_DATE, p, best, 0, 0, fit(c->m->q, RD_DATE, NULL, 0));
	return best ? best : q;
}

/* ---- addresses, acronyms, lists, sentences ---- */

/* 1 when the user part of an address [s, at) holds a name the question asks about
 * ("lnahmiash@" for "the e-mail of Laurent Nahmiash"): addresses are made of names, and
 * a block of several addresses lists them in no fixed order relative to the names. */
static int own_address(const rd_question *q, const char *s, const char *at)
{
	for (int i = 0; i < q->nterms; i++) {
		size_t n = strlen(q->terms[i]);
		if (n < 4)
			continue;
		for (const char *p = s; p + n <= at; p++)
			if (!strncasecmp(p, q->terms[i], n))
				return 1;
	}
	return 0;
}

static const char *address_span(rd_sentence *c, const char *p)
{
	const char *q = p;
	while (q < c->e && !isspace((unsigned char)*q))
		q++;
	const char *e = q;
	while (e > p && strchr(".,;:)]\"'", e[-1]))
		e--;
	const char *at = memchr(p, '@', (size_t)(e - p));
	int web = !strncmp(p, "http", 4) || !strncmp(p, "www.", 4);
	if (c->m->q->type == RD_EMAIL && at && memchr(at, '.', (size_t)(e - at)))
		emit(c, RD_EMAIL, p, e, 0, 0, own_address(c->m->q, p, at) ? 1.0 : 0.85);
	else if (c->m->q->type == RD_URL && web)
		emit(c, RD_URL, p, e, 0, 0, 1.0);
	return q;
}

static int initial_matches(const char *w, char letter)
{
	return toupper((unsigned char)*w) == letter;
}

/* "Retrieval-Augmented Generation (RAG)": the words before the parenthesis whose
 * initials spell the acronym. */
static void acronym_span(rd_sentence *c, const char *open)
{
	const char *acr = c->m->q->acronym;
	size_t n = strlen(acr);
	if (!n || (size_t)(c->e - open) < n + 2 || strncmp(open + 1, acr, n) || open[n + 1] != ')')
		return;
	/* Walk back over words, matching initials right to left (hyphenated parts count). */
	const char *p = open;
	while (p > c->s && p[-1] == ' ')
		p--;
	const char *end = p;
	int need = (int)n - 1;
	while (p > c->s && need >= 0) {
		const char *b = p;
		while (b > c->s && !isspace((unsigned char)b[-1]) && b[-1] != '-' && b[-1] != '(')
			b--;
		if (initial_matches(b, acr[need]))
			need--;
		else if (!wk_is_stop_word(b, (size_t)(p - b)))
			return;
		p = b;
		while (p > c->s && (p[-1] == ' ' || p[-1] == '-'))
			p--;
		if (need >= 0 && p == c->s)
			return;
	}
	if (need < 0) {
		while (p < end && (*p == ' ' || *p == '-'))
			p++;
		emit(c, RD_ACRONYM, p, end, 0, 0, 1.0);
	}
}

/* An enumeration: what follows the first colon or "include(s)", "such as", "consist(s)
 * of", "are" when it holds a comma or "and". */
static void list_span(rd_sentence *c)
{
	static const char *const cues[] = {": ", " include ", " includes ", " including ",
	                                   " such as ", " consists of ", " consist of ", " are "};
	for (const char *p = c->s; p < c->e; p++) {
		for (size_t k = 0; k < WK_ARRAY_LEN(cues); k++) {
			size_t n = strlen(cues[k]);
			if (p + n > c->e || strncmp(p, cues[k], n))
				continue;
			const char *b = p + n, *e = c->e;
			while (e > b && strchr(" .;", e[-1]))
				e--;
			int commas = 0;
			for (const char *r = b; r < e; r++)
				commas += *r == ',' || (*r == ' ' && e - r > 5 && !strncmp(r, " and ", 5));
			if (commas >= 1 && e - b > 3) {
				emit(c, RD_LIST, b, e, 0, 0, 1.0);
				return;
			}
		}
	}
}

/* "During 2021 and 2020, we repurchased 1,358,000 and 643,000 shares": when a sentence
 * lists as many years as values, the value in the place of the year asked for is the
 * answer and the others are not. Candidates first .. out->n are the sentence's. */
static void respectively(rd_sentence *c, int first)
{
	const rd_question *q = c->m->q;
	int ny = 0, asked = -1;
	for (const char *p = c->s; p + 4 <= c->e && ny < 8; p++) {
		if (!isdigit((unsigned char)*p) || (p > c->s && isalnum((unsigned char)p[-1])) ||
		    (p + 4 < c->e && isalnum((unsigned char)p[4])))
			continue;
		int v = atoi(p);
		if (v < 1900 || v > 2099)
			continue;
		for (int i = 0; i < q->nyears; i++)
			if (v == q->years[i] && asked < 0)
				asked = ny;
		ny++;
		p += 3;
	}
	int values = 0;
	for (int k = first; k < c->out->n; k++)
		values += c->out->v[k].type != RD_YEAR;
	if (ny < 2 || asked < 0 || values == 0 || values % ny != 0)
		return;
	/* "$4.9 billion, $6.4 billion and $8.8 billion, which includes $2.7 billion, $3.8
	 * billion and $5.4 billion, for 2015, 2016 and 2017": groups of as many values as
	 * years, each in the years' order; the first group is what the sentence is about */
	for (int k = first, i = 0; k < c->out->n; k++) {
		rd_cand *x = &c->out->v[k];
		if (x->type == RD_YEAR)
			continue;
		if (i % ny != asked)
			x->fit *= 0.3;
		else if (i < ny)
			x->near = 1.0;
		i++;
	}
}

void rd_spans(const rd_match *m, int item, const char *s, const char *e, double cover,
              rd_cands *out)
{
	int first = out->n;
	rd_sentence *c = rd_sentence_new(m, item, s, e, cover, out);
	rd_type t = m->q->type;
	for (const char *p = s; p < e;) {
		int word_start = p == s || !isalnum((unsigned char)p[-1]);
		int ml;
		if (word_start && (m->q->numeric || t == RD_PERIOD || t == RD_YEAR || t == RD_DATE) &&
		    (isdigit((unsigned char)*p) || *p == '$' || (unsigned char)*p >= 0xc2) &&
		    (p == s || (p[-1] != '.' && p[-1] != ','))) {
			const char *q = number_span(c, p);
			p = q > p ? q : p + 1;
		} else if (word_start && (t == RD_DATE || t == RD_YEAR) && (ml = month_at(p, e))) {
			p = date_span(c, p, ml);
		} else if (word_start && (t == RD_EMAIL || t == RD_URL) && !isspace((unsigned char)*p)) {
			p = address_span(c, p);
		} else if (*p == '(' && t == RD_ACRONYM) {
			acronym_span(c, p);
			p++;
		} else {
			p++;
		}
	}
	if (t == RD_LIST)
		list_span(c);
	if (m->q->nyears)
		respectively(c, first);
	free(c);
}

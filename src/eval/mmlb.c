/* mmlb.c: MMLongBench-Doc's scoring of short answers by answer_format (its eval_score:
 * Int exact, Float within 1% or equal when rounded, Str and None by ANLS unless the gold
 * must match exactly, List element by element, order-insensitive). docs/eval.md. */
#include "eval.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- cleaning ---- */

static bool strip_suffix(char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	if (n < k || strcmp(s + n - k, suffix))
		return false;
	s[n - k] = '\0';
	wk_eval_trim(s);
	return true;
}

/* Removes "(...)" groups with the blanks before them. */
static void drop_parentheses(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		char *close = *r == '(' ? strchr(r, ')') : NULL;
		if (close) {
			while (w > s && isspace((unsigned char)w[-1]))
				w--;
			r = close;
			continue;
		}
		*w++ = *r;
	}
	*w = '\0';
}

/* Lowercase, trimmed, without a unit word (mile(s), million), parentheses, surrounding
 * quotes, a leading $ or a trailing %. malloc'd. */
static char *clean(const char *in)
{
	char *s = wk_utf8_fold(in ? in : "");
	if (!s)
		s = wk_xstrdup(in ? in : "");
	wk_eval_trim(s);
	if (!strip_suffix(s, "miles") && !strip_suffix(s, "mile"))
		strip_suffix(s, "million");
	drop_parentheses(s);
	wk_eval_trim(s);
	size_t n = strlen(s);
	if (n > 0 && (s[n - 1] == '\'' || s[n - 1] == '"'))
		s[--n] = '\0';
	if (s[0] == '\'' || s[0] == '"')
		memmove(s, s + 1, n--);
	wk_eval_trim(s);
	if (s[0] == '$') {
		memmove(s, s + 1, strlen(s));
		wk_eval_trim(s);
	}
	strip_suffix(s, "%");
	return s;
}

/* ---- the exact-match kinds: URLs, code files, pages, numbers, times, dates, e-mail ---- */

static bool digits(const char **p, int min, int max)
{
	int n = 0;
	while (isdigit((unsigned char)**p) && (max == 0 || n < max))
		(*p)++, n++;
	return n >= min;
}

/* \d+([-\s]\d+)? for numbers and phone numbers; \d{4}[-\s]\d{2}([-\s]\d{2})? for dates. */
static bool number_like(const char *s)
{
	const char *p = s;
	if (!digits(&p, 1, 0))
		return false;
	if (*p == '-' || isspace((unsigned char)*p)) {
		p++;
		if (!digits(&p, 1, 0))
			return false;
	}
	return *p == '\0';
}

static bool date_like(const char *s)
{
	const char *p = s;
	if (!digits(&p, 4, 4) || !(*p == '-' || isspace((unsigned char)*p)))
		return false;
	p++;
	if (!digits(&p, 2, 2))
		return false;
	if (*p == '\0')
		return true;
	if (!(*p == '-' || isspace((unsigned char)*p)))
		return false;
	p++;
	return digits(&p, 2, 2) && *p == '\0';
}

static bool email_like(const char *s)
{
	const char *at = strchr(s, '@'), *dot = strrchr(s, '.');
	if (!at || at == s || !dot || dot <= at + 1 || strlen(dot + 1) < 2)
		return false;
	for (const char *p = s; p < at; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._%+-", *p))
			return false;
	for (const char *p = at + 1; p < dot; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-", *p))
			return false;
	for (const char *p = dot + 1; *p; p++)
		if (!isalpha((unsigned char)*p))
			return false;
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

static bool exact_kind(const char *s)
{
	return strstr(s, "https://") || ends_with(s, ".py") || ends_with(s, "ipynb") ||
	       !strncmp(s, "page", 4) || number_like(s) || strstr(s, "a.m.") || strstr(s, "p.m.") ||
	       date_like(s) || email_like(s);
}

/* ---- numbers ---- */

static bool parse_double(const char *s, double *v)
{
	char *end;
	if (!s || !*s)
		return false;
	*v = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	return end != s && *end == '\0' && isfinite(*v);
}

/* Digits after the point in the shortest representation, as Python's str(float) gives
 * it: 1 for whole numbers ("19.0"), 3 in exponent notation without a point. */
static int decimals(double v)
{
	char tmp[64];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	const char *dot = strchr(tmp, '.');
	if (!dot)
		return strchr(tmp, 'e') ? 3 : 1;
	return (int)strlen(dot + 1);
}

static bool float_equal(double gold, double pred)
{
	const double candidates[3] = {gold / 100, gold, gold * 100};
	for (int i = 0; i < 3; i++) {
		double g = candidates[i];
		if (fabs(g - pred) <= 0.01 * fmax(fabs(g), fabs(pred)))
			return true;
		int prec = WK_MAX(WK_MIN(decimals(pred), decimals(g)), 2);
		double scale = pow(10, prec);
		if (round(pred * scale) == round(g * scale))
			return true;
	}
	return false;
}

static double score_int(const char *gold, const char *pred)
{
	char *endg;
	char *g = clean(gold), *p = clean(pred);
	long gv = strtol(g, &endg, 10);
	double pv;
	bool ok = endg != g && *endg == '\0' && parse_double(p, &pv) && fabs(pv) < 1e15;
	double score = ok && (long)pv == gv;
	free(g);
	free(p);
	return score;
}

static double score_float(const char *gold, const char *pred)
{
	char *g = clean(gold), *p = clean(pred);
	double gv, pv;
	double score = parse_double(g, &gv) && parse_double(p, &pv) && float_equal(gv, pv);
	free(g);
	free(p);
	return score;
}

/* ANLS of cleaned strings, or equality when the gold is of an exact kind. */
static double score_str_clean(const char *g, const char *p)
{
	if (exact_kind(g))
		return !strcmp(g, p);
	const char *gold[1] = {g};
	return wk_eval_anls(p, gold, 1);
}

static double score_str(const char *gold, const char *pred)
{
	char *g = clean(gold), *p = clean(pred);
	double score = score_str_clean(g, p);
	free(g);
	free(p);
	return score;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A list literal, or the whole string as a one-item list; items cleaned and sorted. */
static int clean_list(const char *s, char ***out)
{
	int n = wk_eval_split_list(s, out);
	if (n < 0) {
		*out = wk_xmalloc(sizeof **out);
		(*out)[0] = wk_xstrdup(s ? s : "");
		n = 1;
	}
	for (int i = 0; i < n; i++) {
		char *c = clean((*out)[i]);
		free((*out)[i]);
		(*out)[i] = c;
	}
	if (n > 1)
		qsort(*out, (size_t)n, sizeof **out, cmp_str);
	return n;
}

static double score_list(const char *gold, const char *pred)
{
	char **g, **p;
	int ng = clean_list(gold, &g), np = clean_list(pred, &p);
	double score = 0.0, v;
	if (ng == np && ng == 0) {
		score = 1.0;
	} else if (ng == np) {
		bool exact = parse_double(g[0], &v) || exact_kind(g[0]);
		score = 1.0;
		for (int i = 0; i < ng; i++)
			score =
			    fmin(score, exact ? !strcmp(g[i], p[i]) : score_str_clean(g[i], p[i]));
	}
	wk_eval_strings_free(g, ng);
	wk_eval_strings_free(p, np);
	return score;
}

double wk_eval_mmlb_score(const char *gold, const char *pred, const char *format)
{
	if (!gold || !pred)
		return 0.0;
	if (format && !strcmp(format, "Int"))
		return score_int(gold, pred);
	if (format && !strcmp(format, "Float"))
		return score_float(gold, pred);
	if (format && !strcmp(format, "List"))
		return score_list(gold, pred);
	return score_str(gold, pred);
}

/* The first number of `s` ("1,234.5" -> "1234.5", "45%" -> "45%"), or NULL. */
static char *first_number(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			continue;
		wk_buf b;
		wk_buf_init(&b, 64);
		if (p > s && p[-1] == '-')
			wk_buf_putc(&b, '-');
		for (; isdigit((unsigned char)*p) ||
		       ((*p == ',' || *p == '.') && isdigit((unsigned char)p[1]));
		     p++)
			if (*p != ',')
				wk_buf_putc(&b, *p);
		if (*p == '%')
			wk_buf_putc(&b, '%');
		char *out = wk_buf_steal(&b);
		return out;
	}
	return NULL;
}

/* Appends [s, e) trimmed, without a leading "and " / "or ", as a quoted list item. */
static void put_item(wk_buf *b, const char *s, const char *e)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	if (e - s > 4 && (!strncmp(s, "and ", 4) || !strncmp(s, "or ", 3)))
		s += *s == 'a' ? 4 : 3;
	while (e > s && (isspace((unsigned char)e[-1]) || e[-1] == '.'))
		e--;
	if (e == s)
		return;
	wk_buf_puts(b, b->len > 1 ? ", \"" : "\"");
	for (const char *p = s; p < e; p++) {
		if (*p == '"' || *p == '\\')
			wk_buf_putc(b, '\\');
		wk_buf_putc(b, *p);
	}
	wk_buf_putc(b, '"');
}

/* An enumeration as a reader writes it ("A; B; and C", "A, B and C") as the list literal
 * MMLongBench-Doc's answer extraction makes of it: split on semicolons when there are
 * any (items may hold "and"), else on commas and the last item on " and " unless a
 * serial comma stood there. */
static char *as_list(const char *answer)
{
	char sep = strchr(answer, ';') ? ';' : ',';
	wk_buf b;
	wk_buf_init(&b, strlen(answer) * 2 + 16);
	wk_buf_putc(&b, '[');
	const char *s = answer, *comma;
	while ((comma = strchr(s, sep))) {
		put_item(&b, s, comma);
		s = comma + 1;
	}
	while (isspace((unsigned char)*s))
		s++;
	const char *and = strstr(s, " and ");
	if (sep == ',' && strncmp(s, "and ", 4) && and) {
		put_item(&b, s, and);
		s = and + 5;
	}
	put_item(&b, s, s + strlen(s));
	wk_buf_putc(&b, ']');
	return wk_buf_steal(&b);
}

char *wk_eval_short_answer(const char *answer, int found, const char *format)
{
	if (!found || !answer || !*answer)
		return wk_xstrdup("Not answerable");
	if (format && (!strcmp(format, "Int") || !strcmp(format, "Float"))) {
		char *num = first_number(answer);
		if (num)
			return num;
	}
	if (format && !strcmp(format, "List") && answer[0] != '[')
		return as_list(answer);
	return wk_xstrdup(answer);
}

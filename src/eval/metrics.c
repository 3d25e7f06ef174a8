/* metrics.c: answer metrics: ANLS, SQuAD token F1, ROUGE-L, and MMLongBench-Doc's scoring
 * rules by answer format. Definitions: docs/eval.md. */
#include "eval.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_CODEPOINTS 4096 /* longer strings are compared on their first 4096 code points */
#define MAX_TOKENS 2048

/* ---- ANLS ---- */

static int decode(const char *s, utf8proc_int32_t *out, int cap)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	int n = 0;
	while (*p && n < cap) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
		if (k <= 0)
			k = 1, cp = 0xfffd;
		out[n++] = cp;
		p += k;
	}
	return n;
}

static int levenshtein_cps(const utf8proc_int32_t *a, int na, const utf8proc_int32_t *b, int nb)
{
	int *row = wk_xmalloc(((size_t)nb + 1) * sizeof *row);
	for (int j = 0; j <= nb; j++)
		row[j] = j;
	for (int i = 1; i <= na; i++) {
		int diag = row[0];
		row[0] = i;
		for (int j = 1; j <= nb; j++) {
			int up = row[j];
			int best = diag + (a[i - 1] != b[j - 1]);
			best = WK_MIN(best, up + 1);
			best = WK_MIN(best, row[j - 1] + 1);
			row[j] = best;
			diag = up;
		}
	}
	int d = row[nb];
	free(row);
	return d;
}

int wk_eval_levenshtein(const char *a, const char *b)
{
	utf8proc_int32_t *ca = wk_xmalloc(MAX_CODEPOINTS * sizeof *ca);
	utf8proc_int32_t *cb = wk_xmalloc(MAX_CODEPOINTS * sizeof *cb);
	int d = levenshtein_cps(ca, decode(a ? a : "", ca, MAX_CODEPOINTS), cb,
	                        decode(b ? b : "", cb, MAX_CODEPOINTS));
	free(ca);
	free(cb);
	return d;
}

/* Case-folded with the blanks at both ends removed. malloc'd. */
static char *fold_strip(const char *s)
{
	char *f = wk_utf8_fold(s ? s : "");
	if (!f)
		f = wk_xstrdup(s ? s : "");
	wk_eval_trim(f);
	return f;
}

static int cp_count(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return WK_MIN(n, MAX_CODEPOINTS);
}

/* ANLS of two already normalised strings. */
static double anls_one(const char *gold, const char *pred)
{
	int len = WK_MAX(cp_count(gold), cp_count(pred));
	if (len == 0)
		return 1.0;
	double nl = (double)wk_eval_levenshtein(gold, pred) / len;
	return nl < 0.5 ? 1.0 - nl : 0.0;
}

double wk_eval_anls(const char *pred, const char *const *gold, int ngold)
{
	char *p = fold_strip(pred);
	double best = 0.0;
	for (int i = 0; i < ngold; i++) {
		char *g = fold_strip(gold[i]);
		best = fmax(best, anls_one(g, p));
		free(g);
	}
	free(p);
	return best;
}

/* ---- SQuAD tokens, F1, ROUGE-L ---- */

/* lower, remove ASCII punctuation, split on blanks, drop the articles a, an, the. */
static void squad_tokens(const char *s, wk_eval_words *out)
{
	char *f = fold_strip(s);
	char *w = f;
	for (char *r = f; *r; r++)
		if (!ispunct((unsigned char)*r))
			*w++ = *r;
	*w = '\0';
	char *save = NULL;
	for (char *t = strtok_r(f, " \t\n\r\f\v", &save); t && out->n < MAX_TOKENS;
	     t = strtok_r(NULL, " \t\n\r\f\v", &save)) {
		if (!strcmp(t, "a") || !strcmp(t, "an") || !strcmp(t, "the"))
			continue;
		out->w = wk_grow(out->w, &out->cap, out->n + 1, sizeof *out->w);
		out->w[out->n++] = wk_xstrdup(t);
	}
	free(f);
}

/* Size of the multiset intersection of two token lists. */
static int common_tokens(const wk_eval_words *a, const wk_eval_words *b)
{
	bool *used = wk_xcalloc((size_t)b->n + 1, sizeof *used);
	int same = 0;
	for (int i = 0; i < a->n; i++)
		for (int j = 0; j < b->n; j++)
			if (!used[j] && !strcmp(a->w[i], b->w[j])) {
				used[j] = true;
				same++;
				break;
			}
	free(used);
	return same;
}

static int lcs(const wk_eval_words *a, const wk_eval_words *b)
{
	int *prev = wk_xcalloc((size_t)b->n + 1, sizeof *prev);
	int *cur = wk_xcalloc((size_t)b->n + 1, sizeof *cur);
	for (int i = 1; i <= a->n; i++) {
		for (int j = 1; j <= b->n; j++)
			cur[j] = !strcmp(a->w[i - 1], b->w[j - 1]) ? prev[j - 1] + 1
			                                           : WK_MAX(prev[j], cur[j - 1]);
		int *t = prev;
		prev = cur;
		cur = t;
	}
	int r = prev[b->n];
	free(prev);
	free(cur);
	return r;
}

static double f_measure(int same, int npred, int ngold)
{
	if (npred == 0 || ngold == 0)
		return npred == ngold ? 1.0 : 0.0;
	if (same == 0)
		return 0.0;
	double p = (double)same / npred, r = (double)same / ngold;
	return 2 * p * r / (p + r);
}

static double token_metric(const char *pred, const char *const *gold, int ngold, bool rouge)
{
	wk_eval_words p = {0};
	squad_tokens(pred, &p);
	double best = 0.0;
	for (int i = 0; i < ngold; i++) {
		wk_eval_words g = {0};
		squad_tokens(gold[i], &g);
		int same = rouge ? lcs(&p, &g) : common_tokens(&p, &g);
		best = fmax(best, f_measure(same, p.n, g.n));
		wk_eval_words_free(&g);
	}
	wk_eval_words_free(&p);
	return best;
}

double wk_eval_f1(const char *pred, const char *const *gold, int ngold)
{
	return token_metric(pred, gold, ngold, false);
}

double wk_eval_rouge_l(const char *pred, const char *const *gold, int ngold)
{
	return token_metric(pred, gold, ngold, true);
}

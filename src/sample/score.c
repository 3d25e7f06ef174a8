/* score.c: the lexical scorer: BM25F over units (field-weighted), pages and sections.
 * Scorers sit behind wk_scorer so that a learned encoder can be added beside it. */
#include "sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define K1 1.2
#define W_PHRASE 0.6 /* of the pair's mean idf, per distinct pair found */
#define W_QUOTE 0.5  /* of the idf of a quoted phrase's words found in a row (docs/sampling.md) */

/* Length normalisation per field: captions and labels are short by nature. */
static const double field_b[WK_NFIELDS] = {0.75, 0.3, 0.5, 0.5, 0.0};

/* Body text is the reference; a caption says what a figure or table is about, so its
 * words count double; the heading path is shared by a whole section, so it counts
 * little per unit (sections are scored as wholes too). */
static const float unit_weights[WK_NFIELDS] = {1.0f, 0.35f, 2.0f, 1.0f, 1.0f};
static const float page_weights[WK_NFIELDS] = {1.0f, 0, 0, 0, 0};
static const float section_weights[WK_NFIELDS] = {1.0f, 4.0f, 0, 0, 0};

double wk_idf(const wk_coll *coll, int term)
{
	double df = coll->start[term + 1] - coll->start[term];
	double n = coll->ndocs;
	return log(1.0 + (n - df + 0.5) / (df + 0.5));
}

void wk_bm25f(const wk_index *index, const wk_coll *coll, const float *w, const wk_query *q,
              double *out)
{
	(void)index;
	memset(out, 0, sizeof(double) * (size_t)coll->ndocs);
	for (int k = 0; k < q->nterms; k++) {
		int t = q->terms[k].id;
		double idf = wk_idf(coll, t) * q->terms[k].weight;
		for (int i = coll->start[t]; i < coll->start[t + 1]; i++) {
			const wk_posting *p = &coll->post[i];
			const float *len = &coll->len[(size_t)p->doc * WK_NFIELDS];
			double tf = 0;
			for (int f = 0; f < WK_NFIELDS; f++)
				if (p->tf[f] && w[f] > 0)
					tf += w[f] * p->tf[f] /
					      (1.0 - field_b[f] + field_b[f] * len[f] / coll->avg[f]);
			out[p->doc] += idf * tf / (K1 + tf);
		}
	}
}

/* Phrases: a unit holding two question words side by side (stop words aside: "cash
 * flow", "return on assets") is about the question's thing, not only its words. */
static void phrase_bonus(const wk_index *ix, const wk_query *q, double *out)
{
	if (q->npairs == 0)
		return;
	unsigned char *first = wk_xcalloc((size_t)WK_MAX(ix->nterms, 1), 1);
	for (int k = 0; k < q->npairs; k++)
		first[q->pairs[k][0]] = 1;
	for (int i = 0; i < ix->doc->nunits; i++) {
		if (out[i] <= 0)
			continue;
		uint64_t seen = 0;
		double bonus = 0;
		for (size_t p = ix->seq_start[i]; p + 1 < ix->seq_start[i + 1]; p++) {
			if (!first[ix->seq[p]])
				continue;
			for (int k = 0; k < q->npairs && k < 64; k++)
				if (q->pairs[k][0] == ix->seq[p] && q->pairs[k][1] == ix->seq[p + 1] &&
				    !(seen & (1ull << k))) {
					seen |= 1ull << k;
					bonus += 0.5 * (wk_idf(&ix->units, q->pairs[k][0]) +
					                wk_idf(&ix->units, q->pairs[k][1]));
				}
		}
		out[i] += W_PHRASE * bonus;
	}
	free(first);
}

/* The idf of the longest run of the quote's words that the unit holds in a row (at
 * least two words and half the quote): 0 when it holds no such run. */
static double quote_run(const wk_index *ix, const int *quote, int m, const int *seq, size_t n)
{
	int prev[WK_QUOTE_TERMS + 1] = {0}, cur[WK_QUOTE_TERMS + 1] = {0};
	int best = 0, best_end = 0;
	for (size_t p = 0; p < n; p++) {
		for (int k = 1; k <= m; k++) {
			cur[k] = quote[k - 1] >= 0 && quote[k - 1] == seq[p] ? prev[k - 1] + 1 : 0;
			if (cur[k] > best)
				best = cur[k], best_end = k;
		}
		memcpy(prev, cur, sizeof prev);
	}
	if (best < 2 || 2 * best < m)
		return 0;
	double idf = 0;
	for (int k = best_end - best; k < best_end; k++)
		idf += wk_idf(&ix->units, quote[k]);
	return idf;
}

/* A question that quotes a phrase ("the chart \"Levels of Analytics\"", "what does not
 * make you data-driven") points at the units that hold it word for word: slide titles,
 * labels, a sentence the slides repeat. */
static void quote_bonus(const wk_index *ix, const wk_query *q, double *out)
{
	for (int k = 0; k < q->nquotes; k++)
		for (int i = 0; i < ix->doc->nunits; i++) {
			size_t a = ix->seq_start[i], b = ix->seq_start[i + 1];
			if (out[i] > 0)
				out[i] += W_QUOTE * quote_run(ix, q->quote[k], q->quote_len[k], ix->seq + a,
				                              b - a);
		}
}

static void lexical_units(const wk_index *ix, const wk_query *q, double *out)
{
	wk_bm25f(ix, &ix->units, unit_weights, q, out);
	phrase_bonus(ix, q, out);
	quote_bonus(ix, q, out);
}

static void lexical_pages(const wk_index *ix, const wk_query *q, double *out)
{
	wk_bm25f(ix, &ix->pages, page_weights, q, out);
}

static void lexical_sections(const wk_index *ix, const wk_query *q, double *out)
{
	wk_bm25f(ix, &ix->sections, section_weights, q, out);
}

static const wk_scorer scorers[] = {
	{"lexical", lexical_units, lexical_pages, lexical_sections},
};

/* "hybrid" and "dense" start from the lexical scores; dense.c mixes the cosines in. */
const wk_scorer wk_scorer_embedded = {"embedded", lexical_units, lexical_pages,
                                      lexical_sections};

const wk_scorer *wk_scorer_find(const char *name)
{
	if (!name || !*name)
		return &scorers[0];
	if (!strcmp(name, "hybrid") || !strcmp(name, "dense"))
		return &wk_scorer_embedded;
	for (size_t i = 0; i < WK_ARRAY_LEN(scorers); i++)
		if (strcmp(scorers[i].name, name) == 0)
			return &scorers[i];
	return NULL;
}

/* extractive.c: the answer without a model. The question's type and constraints
 * (question.c) pick typed candidates from the selected evidence (spans.c, cells.c,
 * counts.c); each is scored by how well its kind fits, how much of the question its
 * sentence or row holds, how close it sits to the question's words, the relevance of
 * its unit and how many units agree; below the thresholds the reader abstains.
 * Never invented text: the answer is a span of the cited evidence or a count whose
 * computation the quote shows.
 *
 * Thresholds (MIN_*) were chosen on the development set (docs/ask.md, "How the reader
 * answers"): tuned on the questions of the odd-numbered documents of the shared
 * MMLongBench-Doc set, checked on the even-numbered ones. */
#include "reader.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_SENT 4000
#define MAX_SPAN_SENTENCES 40 /* best sentences searched for typed spans */
#define MIN_TYPED_SCORE 0.50  /* a typed candidate's score to be answered */
#define MIN_TYPED_COVER 0.34  /* share of the question's term weight its sentence or row
                                 holds */
#define MIN_TEXT_COVER 0.60   /* a sentence answered as a whole (no short form) */
#define MIN_YESNO_COVER 0.60  /* a sentence read for a yes or a no */
#define NOT_FOUND "The document does not seem to answer this."

typedef struct sentence {
	int item;
	const char *s, *e;
	unsigned long long mask; /* question terms held (first 64) */
	double cover;
} sentence;

typedef struct ex_state {
	rd_question q;
	rd_match m;
	int df[RD_MAX_TERMS];  /* sentences holding each term */
	int hit[RD_MAX_TERMS]; /* scratch */
	sentence *v;
	int n, cap, item;
} ex_state;

/* ---- term matching ---- */

typedef struct match_sink {
	const rd_question *q;
	int *hit;
	int terms, matched; /* terms of the text, and those that are question terms */
} match_sink;

static void on_term(void *user, const char *term, size_t len)
{
	match_sink *k = user;
	(void)len;
	k->terms++;
	int found = -1;
	for (int i = 0; i < k->q->nterms && found < 0; i++)
		if (!strcmp(k->q->terms[i], term))
			found = i;
	for (int i = 0; i < k->q->nterms && found < 0; i++)
		if (rd_term_is(k->q->terms[i], term))
			found = i; /* a misspelling, only when no question word is the same */
	if (found >= 0) {
		k->hit[found] = 1;
		k->matched++;
	}
}

/* Marks the question terms [s, e) holds; returns the share of its terms that are. */
static double match_terms(wk_tokenizer *tk, const rd_question *q, const char *s, const char *e,
                          int *hit)
{
	memset(hit, 0, sizeof(int) * RD_MAX_TERMS);
	char *tmp = wk_xstrndup(s, (size_t)(e - s));
	match_sink k = {q, hit, 0, 0};
	wk_tokenize(tk, tmp, on_term, &k);
	free(tmp);
	return k.terms ? (double)k.matched / k.terms : 0;
}

static int year_term(const rd_question *q, int i)
{
	const char *t = q->terms[i];
	size_t n = strlen(t);
	if (q->nyears && (!strcmp(t, "fy") || !strcmp(t, "f")))
		return 1; /* "FY 2015": the year's prefix printed apart */
	if (n >= 4 && n <= 6) /* "2015", "fy2015", "f2015" */
		for (int k = 0; k < q->nyears; k++)
			if (atoi(t + n - 4) == q->years[k] && strspn(t + n - 4, "0123456789") == 4)
				return 1;
	return 0;
}

/* Years are constraints on columns, not words a row label must hold. */
static double cover_of(const rd_match *m, const char *s, const char *e, double *precision)
{
	int hit[RD_MAX_TERMS];
	*precision = match_terms(m->tk, m->q, s, e, hit);
	double got = 0, total = 0;
	for (int i = 0; i < m->q->nterms; i++) {
		if (year_term(m->q, i))
			continue;
		total += m->w[i];
		got += hit[i] ? m->w[i] : 0;
	}
	return total > 0 ? got / total : 0;
}

double rd_cover(const rd_match *m, const char *s, const char *e)
{
	double precision;
	return cover_of(m, s, e, &precision);
}

double rd_label_cover(const rd_match *m, const char *s, const char *e)
{
	double precision, recall = cover_of(m, s, e, &precision);
	return sqrt(recall * precision);
}

static void on_sentence(void *user, const char *s, const char *e)
{
	ex_state *st = user;
	if (st->n >= MAX_SENT)
		return;
	match_terms(st->m.tk, &st->q, s, e, st->hit);
	sentence x = {st->item, s, e, 0, 0};
	for (int i = 0; i < st->q.nterms; i++)
		if (st->hit[i]) {
			x.mask |= i < 64 ? 1ull << i : 0;
			st->df[i]++;
		}
	st->v = wk_grow(st->v, &st->cap, st->n + 1, sizeof(sentence));
	st->v[st->n++] = x;
}

/* Rarer question words (within the selection) weigh more. */
static void weigh_terms(ex_state *st)
{
	st->m.total = 0;
	for (int i = 0; i < st->q.nterms; i++) {
		st->m.w[i] = st->m.own[i] == 1 && st->df[i] == 0
		                 ? 0
		                 : log(1.0 + (double)(st->n + 1) / (st->df[i] + 1));
		st->m.total += st->m.w[i];
	}
	/* Years are constraints on columns and places in a sentence, as in cover_of. */
	double total = 0;
	for (int i = 0; i < st->q.nterms; i++)
		total += year_term(&st->q, i) ? 0 : st->m.w[i];
	for (int k = 0; k < st->n; k++) {
		double got = 0;
		for (int i = 0; i < st->q.nterms && i < 64; i++)
			if ((st->v[k].mask & (1ull << i)) && !year_term(&st->q, i))
				got += st->m.w[i];
		st->v[k].cover = total > 0 ? got / total : 0;
	}
}

/* ---- the document's own name ---- */

#define COVER_UNITS 40 /* units of the first page read for the document's name */

typedef struct name_sink {
	const rd_question *q;
	int *own;
	int title; /* reading the title: every question term names the document */
} name_sink;

static void on_name_term(void *user, const char *term, size_t len)
{
	name_sink *k = user;
	(void)len;
	for (int i = 0; i < k->q->nterms; i++)
		if (!k->own[i] && rd_term_is(k->q->terms[i], term))
			k->own[i] = k->title || k->q->entity[i] ? 1 : 2;
}

/* "for Acme", "Initech's": a word of the question that the document's title
 * holds, or a name its cover page prints, names the document itself (m.own). Body text
 * seldom repeats it: when the selection never prints it, it is no topic word a sentence
 * must hold (weigh_terms gives it no weight) nor a missing entity. */
static void own_name(ex_state *st, const wk_doc *doc)
{
	if (!doc)
		return;
	name_sink k = {&st->q, st->m.own, 1};
	if (doc->title)
		wk_tokenize(st->m.tk, doc->title, on_name_term, &k);
	k.title = 0;
	for (int i = 0; i < doc->nunits && i < COVER_UNITS && doc->units[i].page <= 1; i++)
		if (doc->units[i].text)
			wk_tokenize(st->m.tk, doc->units[i].text, on_name_term, &k);
}

/* A word that names something specific and is nowhere in the evidence: the evidence is
 * about something else ("the 2024 survey" when only 2018 is there). */
static int missing_entity(const ex_state *st)
{
	for (int i = 0; i < st->q.nterms; i++)
		if (st->q.entity[i] && st->df[i] == 0 && st->m.own[i] != 1)
			return 1;
	return 0;
}

/* ---- candidates ---- */

static int by_cover(const void *a, const void *b)
{
	double x = (*(const sentence *const *)a)->cover, y = (*(const sentence *const *)b)->cover;
	return (x < y) - (x > y);
}

/* The question terms that the heading of the section holding evidence item `item`
 * prints (first 64): a listing under "Geographic Market Name Code" continues past the
 * part of it that the item quotes. */
static unsigned long long heading_mask(ex_state *st, const wk_doc *doc, const wk_selection *sel,
                                       int item)
{
	const wk_evidence *e = &sel->items[item];
	if (!doc || e->doc != 0 || e->idx < 0 || e->idx >= doc->nunits)
		return 0;
	int sec = doc->units[e->idx].section;
	if (sec < 0 || sec >= doc->nsections || !doc->sections[sec].title)
		return 0;
	const char *t = doc->sections[sec].title;
	match_terms(st->m.tk, &st->q, t, t + strlen(t), st->hit);
	unsigned long long mask = 0;
	for (int i = 0; i < st->q.nterms && i < 64; i++)
		mask |= st->hit[i] ? 1ull << i : 0;
	return mask;
}

/* Share of the question's term weight that the whole item holds (its sentences' terms
 * together, and its section's heading): a name ("SUPERIOR COURT") is a line of a block
 * that the rest of the block places. */
static double item_cover(ex_state *st, const wk_doc *doc, const wk_selection *sel, int item)
{
	unsigned long long mask = heading_mask(st, doc, sel, item);
	for (int k = 0; k < st->n; k++)
		if (st->v[k].item == item)
			mask |= st->v[k].mask;
	double got = 0, total = 0;
	for (int i = 0; i < st->q.nterms && i < 64; i++) {
		if (year_term(&st->q, i))
			continue;
		total += st->m.w[i];
		got += (mask & (1ull << i)) ? st->m.w[i] : 0;
	}
	return total > 0 ? got / total : 0;
}

/* 1 when [s, e) is a row of a recognised grid's text ("Step | Physics: 73.2%"): the
 * table path reads its cells by row label and column header, which the words around a
 * number in the row's text do not tell. */
static int grid_row(const wk_doc *const *docs, const wk_selection *sel, int item,
                    const char *s, const char *e)
{
	const wk_evidence *x = &sel->items[item];
	const wk_doc *doc = docs ? docs[x->doc] : NULL;
	return doc && x->idx >= 0 && x->idx < doc->nunits && doc->units[x->idx].table &&
	       memmem(s, (size_t)(e - s), " | ", 3);
}

static void sentence_cands(ex_state *st, const wk_doc *const *docs, const wk_selection *sel,
                           rd_cands *c)
{
	int typed = !(st->q.type == RD_TEXT || st->q.type == RD_YESNO ||
	              st->q.type == RD_REFERENCE || st->q.type == RD_PERSON ||
	              st->q.type == RD_ORG || st->q.type == RD_PHONE);
	if (!typed && !st->q.phrase)
		return;
	sentence **order = wk_xmalloc(sizeof *order * (size_t)WK_MAX(st->n, 1));
	for (int k = 0; k < st->n; k++)
		order[k] = &st->v[k];
	if (st->n > 0)
		qsort(order, (size_t)st->n, sizeof *order, by_cover);
	for (int k = 0; k < st->n && k < MAX_SPAN_SENTENCES && order[k]->cover > 0; k++) {
		/* a grid row's text is read by the table path only, for typed answers */
		if (typed && !grid_row(docs, sel, order[k]->item, order[k]->s, order[k]->e)) {
			rd_spans(&st->m, order[k]->item, order[k]->s, order[k]->e, order[k]->cover, c);
			rd_range_count(&st->m, order[k]->item, order[k]->s, order[k]->e, c);
		}
		/* a kind's name and a listing's entry sit under the words that say what they
		 * are (a heading, a column header): their item holds the question */
		if (st->q.phrase == RD_PHRASE_KIND || st->q.phrase == RD_PHRASE_CODE)
			rd_phrases(&st->m, order[k]->item, order[k]->s, order[k]->e,
			           WK_MAX(order[k]->cover,
			                  item_cover(st, docs ? docs[0] : NULL, sel, order[k]->item)),
			           c);
		else if (st->q.phrase)
			rd_phrases(&st->m, order[k]->item, order[k]->s, order[k]->e, order[k]->cover, c);
	}
	free(order);
}

static void table_cands(ex_state *st, const wk_doc *const *docs, const wk_selection *sel,
                        rd_cands *c)
{
	for (int i = 0; i < sel->n; i++) {
		const wk_evidence *e = &sel->items[i];
		const wk_doc *doc = docs ? docs[e->doc] : NULL;
		const wk_unit *u = doc && e->idx >= 0 && e->idx < doc->nunits ? &doc->units[e->idx] : NULL;
		if (u && u->table)
			rd_table_grid(&st->m, i, u->table, c);
		else
			rd_table_lines(&st->m, i, e->text, c);
	}
}

/* "the date mentioned on page 14": when a date question names its page, the page is
 * the constraint that picks the date; the page's sentences need not repeat the
 * question's other words, so they count as fully covering it. */
static int on_asked_page(const ex_state *st, const wk_doc *const *docs, const wk_selection *sel,
                         int item)
{
	if (st->q.type != RD_DATE || !st->q.page_first || !docs || item < 0)
		return 0;
	const wk_evidence *e = &sel->items[item];
	const wk_doc *doc = docs[e->doc];
	int page = doc && e->idx >= 0 && e->idx < doc->nunits ? doc->units[e->idx].page : 0;
	return page >= st->q.page_first && page <= st->q.page_last;
}

static void page_dates(ex_state *st, const wk_doc *const *docs, const wk_selection *sel,
                       rd_cands *c)
{
	for (int k = 0; k < st->n; k++)
		if (on_asked_page(st, docs, sel, st->v[k].item))
			st->v[k].cover = 1.0;
	for (int i = c->n; i-- > 0;)
		if (c->v[i].type == RD_DATE && on_asked_page(st, docs, sel, c->v[i].item))
			c->v[i].near = WK_MAX(c->v[i].near, 0.5);
}

/* Other units of the selection that print the same answer (a span of at least
 * MIN_AGREE bytes, so that "3" is not found everywhere). */
#define MIN_AGREE 4
#define AGREE_TOP 32 /* only the best candidates are looked for elsewhere */
static int agreement(const rd_cand *x, const wk_selection *sel)
{
	int support = 1;
	size_t n = x->s ? (size_t)(x->e - x->s) : 0;
	for (int k = 0; k < sel->n && n >= MIN_AGREE; k++) {
		const char *t = sel->items[k].text;
		if (k != x->item && t && memmem(t, strlen(t), x->s, n))
			support++;
	}
	return support;
}

static int by_score(const void *a, const void *b)
{
	double x = ((const rd_cand *)a)->score, y = ((const rd_cand *)b)->score;
	return (x < y) - (x > y);
}

/* Sorts c best first. */
static void score_cands(rd_cands *c, const wk_selection *sel)
{
	if (c->n == 0)
		return; /* qsort takes no NULL array */
	for (int i = 0; i < c->n; i++) {
		rd_cand *x = &c->v[i];
		double rel = x->item >= 0 ? sel->items[x->item].score : 1.0;
		x->score = x->fit * x->cover * (0.4 + 0.6 * x->near) * (1.0 + 0.1 * WK_MIN(rel, 3.0));
	}
	qsort(c->v, (size_t)c->n, sizeof *c->v, by_score);
	for (int i = 0; i < c->n && i < AGREE_TOP; i++) {
		c->v[i].support = agreement(&c->v[i], sel);
		c->v[i].score *= 1.0 + 0.15 * WK_MIN(c->v[i].support - 1, 3);
	}
	qsort(c->v, (size_t)WK_MIN(c->n, AGREE_TOP), sizeof *c->v, by_score);
}

/* ---- the answer ---- */

static wk_answer *new_answer(const rd_question *q)
{
	wk_answer *a = wk_xcalloc(1, sizeof *a);
	a->mode = "extractive";
	a->answer_type = rd_type_name(q->type);
	return a;
}

static void cite(wk_answer *a, int item, const wk_doc *const *docs, const wk_selection *sel)
{
	if (item < 0)
		return;
	a->ncited = 1;
	a->cited = wk_xmalloc(sizeof(int));
	a->cited[0] = item;
	const wk_evidence *e = &sel->items[item];
	const wk_doc *doc = docs ? docs[e->doc] : NULL;
	if (doc && e->idx >= 0 && e->idx < doc->nunits)
		a->quote_page = doc->units[e->idx].page;
}

static wk_answer *from_cand(const rd_question *q, const rd_cand *x, const wk_doc *const *docs,
                            const wk_selection *sel)
{
	wk_answer *a = new_answer(q);
	a->text = x->text ? wk_xstrdup(x->text) : NULL;
	if (!a->text && q->date_parts && x->type == RD_DATE)
		a->text = rd_date_numeric(x->s, x->e, q->date_parts);
	if (!a->text)
		a->text = rd_clean(x->s, x->e);
	a->quote = x->quote ? wk_xstrdup(x->quote) : rd_clean(x->qs, x->qe);
	a->found = 1;
	cite(a, x->item, docs, sel);
	if (x->page)
		a->quote_page = x->page;
	return a;
}

/* The sentence holding most of the question's weight, when no short form is asked for
 * or found; earlier-ranked items win ties, a run-on block reads badly as an answer. */
static const sentence *best_sentence(const ex_state *st, const wk_selection *sel)
{
	const sentence *best = NULL;
	double best_score = 0;
	for (int k = 0; k < st->n; k++) {
		const sentence *x = &st->v[k];
		double s = x->cover * (1.0 + 0.1 * sel->items[x->item].score);
		if (x->e - x->s > 600)
			s *= 0.8;
		if (s > best_score) {
			best_score = s;
			best = x;
		}
	}
	return best;
}

/* 1 when [s, e) denies what it states: "not", "no", "never", "none", "n't", "neither",
 * "without" as words. */
static int negated(const char *s, const char *e)
{
	static const char *const neg[] = {"not", "no", "never", "none", "neither", "nor",
	                                  "without", "cannot"};
	for (const char *p = s; p < e; p++) {
		if (p > s && isalpha((unsigned char)p[-1]))
			continue;
		size_t n = 0;
		while (p + n < e && isalpha((unsigned char)p[n]))
			n++;
		if (n >= 3 && !strncmp(p + n - 3, "n't", 3))
			return 1;
		for (size_t k = 0; k < WK_ARRAY_LEN(neg); k++)
			if (n == strlen(neg[k]) && !strncasecmp(p, neg[k], n))
				return 1;
		if (p + n + 2 < e && p[n] == '\'' && p[n + 1] == 't' && n > 0 && p[n - 1] == 'n')
			return 1; /* "doesn't" split at the apostrophe */
	}
	return 0;
}

/* Yes or no: the sentence that holds most of the question, read for its polarity. */
static wk_answer *yes_no(const ex_state *st, const sentence *s, const wk_doc *const *docs,
                         const wk_selection *sel)
{
	wk_answer *a = new_answer(&st->q);
	a->text = wk_xstrdup(negated(s->s, s->e) ? "No" : "Yes");
	a->quote = rd_clean(s->s, s->e);
	a->found = 1;
	cite(a, s->item, docs, sel);
	return a;
}

static wk_answer *not_found(const rd_question *q)
{
	wk_answer *a = new_answer(q);
	a->text = wk_xstrdup(NOT_FOUND);
	return a;
}

static wk_answer *decide(ex_state *st, const wk_doc *const *docs, const wk_selection *sel,
                         rd_cands *c)
{
	score_cands(c, sel);
	const rd_cand *best = c->n ? &c->v[0] : NULL;
	/* a computed answer reads the whole document, not only the selection */
	if (missing_entity(st) && !(best && best->computed))
		return not_found(&st->q);
	if (best && best->score >= MIN_TYPED_SCORE && best->cover >= MIN_TYPED_COVER)
		return from_cand(&st->q, best, docs, sel);
	rd_type t = st->q.type;
	if (st->q.numeric || t == RD_DATE || t == RD_YEAR || t == RD_ACRONYM || t == RD_EMAIL ||
	    t == RD_URL || t == RD_PHONE)
		return not_found(&st->q); /* a short form was asked for and none was found */
	const sentence *s = best_sentence(st, sel);
	if (t == RD_YESNO && s && s->cover >= MIN_YESNO_COVER)
		return yes_no(st, s, docs, sel);
	if (!s || s->cover < MIN_TEXT_COVER)
		return not_found(&st->q);
	rd_cand x = {.item = s->item, .s = s->s, .e = s->e, .qs = s->s, .qe = s->e};
	return from_cand(&st->q, &x, docs, sel);
}

int wk_answer_extractive(const wk_doc *const *docs, const wk_selection *sel,
                         const char *question, wk_answer **out, wk_error *err)
{
	*out = NULL;
	if (!sel || !question)
		return wk_set_error(err, WK_EINVAL, "no evidence or question to answer from");
	ex_state *st = wk_xcalloc(1, sizeof *st);
	st->m.tk = wk_tokenizer_new();
	if (!st->m.tk) {
		free(st);
		return wk_set_error(err, WK_ENOMEM, "cannot create the English stemmer");
	}
	rd_question_parse(st->m.tk, question, &st->q);
	st->m.q = &st->q;
	for (int i = 0; i < sel->n; i++) {
		st->item = i;
		wk_sentences(sel->items[i].text, 1, on_sentence, st);
	}
	own_name(st, docs ? docs[0] : NULL);
	weigh_terms(st);
	rd_cands c = {0};
	rd_structure(&st->q, docs ? docs[0] : NULL, sel, &c);
	rd_list_count(&st->m, docs ? docs[0] : NULL, sel, &c);
	page_dates(st, docs, sel, &c);
	if (rd_calc(&st->m, question, docs, sel, &c) && !st->q.numeric) {
		st->q.type = RD_RATIO; /* "return on assets" names a ratio without the word */
		st->q.numeric = 1;
	}
	sentence_cands(st, docs, sel, &c);
	table_cands(st, docs, sel, &c);
	page_dates(st, docs, sel, &c);
	*out = decide(st, docs, sel, &c);
	rd_cands_free(&c);
	free(st->v);
	wk_tokenizer_free(st->m.tk);
	free(st);
	return WK_OK;
}

void wk_answer_free(wk_answer *answer)
{
	if (!answer)
		return;
	free(answer->text);
	free(answer->quote);
	free(answer->cited);
	free(answer);
}

/* extractive.c: the answer without a model: the sentence of the selected evidence that
 * best matches the question, quoted as printed, with its citation. Never invented text. */
#include "../sample/sample.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QT 64
#define MAX_TERM 64
#define MAX_SENT 4000
#define MIN_COVER 0.25 /* share of the question's weight a sentence must hold */
#define NOT_FOUND "The document does not seem to answer this."

typedef struct qterms {
	char t[MAX_QT][MAX_TERM];
	int n;
	int df[MAX_QT];       /* sentences holding the term */
	int hit[MAX_QT];      /* scratch: the sentence being tokenized holds it */
} qterms;

typedef struct sentence {
	int item;
	const char *s, *e;
	unsigned long long mask; /* question terms held (first 64) */
	int has_number;
} sentence;

typedef struct ex_state {
	qterms q;
	sentence *v;
	int n, cap, item;
	wk_tokenizer *tk;
} ex_state;

static void on_question_term(void *user, const char *term, size_t len)
{
	qterms *q = user;
	if (len >= MAX_TERM || q->n >= MAX_QT)
		return;
	for (int i = 0; i < q->n; i++)
		if (strcmp(q->t[i], term) == 0)
			return;
	memcpy(q->t[q->n], term, len + 1);
	q->n++;
}

static void on_sentence_term(void *user, const char *term, size_t len)
{
	qterms *q = user;
	(void)len;
	for (int i = 0; i < q->n; i++)
		if (strcmp(q->t[i], term) == 0)
			q->hit[i] = 1;
}

static void on_sentence(void *user, const char *s, const char *e)
{
	ex_state *st = user;
	if (st->n >= MAX_SENT)
		return;
	memset(st->q.hit, 0, sizeof st->q.hit);
	char *tmp = wk_xstrndup(s, (size_t)(e - s));
	wk_tokenize(st->tk, tmp, on_sentence_term, &st->q);
	int num = 0;
	for (const char *p = tmp; *p && !num; p++)
		num = isdigit((unsigned char)*p);
	free(tmp);
	sentence x = {st->item, s, e, 0, num};
	for (int i = 0; i < st->q.n; i++)
		if (st->q.hit[i]) {
			x.mask |= 1ull << i;
			st->q.df[i]++;
		}
	st->v = wk_grow(st->v, &st->cap, st->n + 1, sizeof(sentence));
	st->v[st->n++] = x;
}

static int wants_number(const char *question)
{
	static const char *const cues[] = {"how many", "how much", "what percentage", "what percent",
	                                   "what is the number", "what year", "when", "how long",
	                                   "how old", "what proportion", "what share", "ratio"};
	char low[160];
	size_t n = 0;
	for (; question[n] && n + 1 < sizeof low; n++)
		low[n] = (char)tolower((unsigned char)question[n]);
	low[n] = '\0';
	for (size_t k = 0; k < WK_ARRAY_LEN(cues); k++)
		if (strstr(low, cues[k]))
			return 1;
	return 0;
}

/* Rarer question words (within the selection) weigh more; earlier-ranked items win ties. */
static int best_sentence(const ex_state *st, const wk_selection *sel, int number,
                         double *cover)
{
	double w[MAX_QT], total = 0;
	for (int i = 0; i < st->q.n; i++) {
		w[i] = log(1.0 + (double)(st->n + 1) / (st->q.df[i] + 1));
		total += w[i];
	}
	int best = -1;
	double best_score = 0;
	*cover = 0;
	for (int k = 0; k < st->n; k++) {
		const sentence *x = &st->v[k];
		double got = 0;
		for (int i = 0; i < st->q.n; i++)
			if (x->mask & (1ull << i))
				got += w[i];
		if (got <= 0)
			continue;
		double s = got * (1.0 + 0.1 * sel->items[x->item].score);
		if (number && x->has_number)
			s *= 1.25;
		if (x->e - x->s > 600) /* a run-on block reads badly as an answer */
			s *= 0.8;
		if (s > best_score) {
			best_score = s;
			best = k;
			*cover = total > 0 ? got / total : 0;
		}
	}
	return best;
}

/* The sentence with its white space collapsed to single spaces. */
static char *clean_span(const char *s, const char *e)
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

static wk_answer *not_found(void)
{
	wk_answer *a = wk_xcalloc(1, sizeof *a);
	a->text = wk_xstrdup(NOT_FOUND);
	a->mode = "extractive";
	return a;
}

int wk_answer_extractive(const wk_doc *const *docs, const wk_selection *sel,
                         const char *question, wk_answer **out, wk_error *err)
{
	(void)docs;
	*out = NULL;
	if (!sel || !question)
		return wk_set_error(err, WK_EINVAL, "no evidence or question to answer from");
	ex_state st = {.tk = wk_tokenizer_new()};
	if (!st.tk)
		return wk_set_error(err, WK_ENOMEM, "cannot create the English stemmer");
	wk_tokenize(st.tk, question, on_question_term, &st.q);
	for (int i = 0; i < sel->n; i++) {
		st.item = i;
		wk_sentences(sel->items[i].text, 1, on_sentence, &st);
	}
	double cover = 0;
	int best = best_sentence(&st, sel, wants_number(question), &cover);
	wk_answer *a;
	if (best < 0 || cover < MIN_COVER) {
		a = not_found();
	} else {
		a = wk_xcalloc(1, sizeof *a);
		a->text = clean_span(st.v[best].s, st.v[best].e);
		a->found = 1;
		a->mode = "extractive";
		a->ncited = 1;
		a->cited = wk_xmalloc(sizeof(int));
		a->cited[0] = st.v[best].item;
	}
	free(st.v);
	wk_tokenizer_free(st.tk);
	*out = a;
	return WK_OK;
}

void wk_answer_free(wk_answer *answer)
{
	if (!answer)
		return;
	free(answer->text);
	free(answer->cited);
	free(answer);
}

/* query.c: a question -> weighted index terms, its kind (counting, "which page"), and the
 * explicit references it makes ("Figure 3", "Table II", "Section 4.2", "page 5", "the
 * last page", "appendix"). */
#include "sample.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QTERMS 256

/* Stems of words that frame a question rather than say what it is about: the request
 * ("according to", "please", "how many") and the document itself ("this report", "the
 * paper"), which every page of it is. */
static const char *const framing[] = {"accord", "mention", "pleas", "answer", "document",
                                      "mani", "much", "report", "paper"};

/* Financial filings state a concept through the line items it is computed from, in the
 * primary statements that hold them: a question about "capex" or "working capital" must
 * find the statement with those lines. Matched on the lowered question; the expansion's
 * terms join at EXPANSION_WEIGHT, and the statements named (I income statement, B
 * balance sheet, C cash flows) gain weight in structure.c. General accounting knowledge:
 * a ratio's parts are where any filing states them. */
#define EXPANSION_WEIGHT 0.5f
#define NUMBER_PART_WEIGHT 0.3f
#define I WK_STMT_INCOME
#define B WK_STMT_BALANCE
#define C WK_STMT_CASH
static const struct expansion {
	const char *cue, *terms;
	int statements;
} expansions[] = {
	{"capex", "capital expenditures purchases property equipment investing activities", C},
	{"capital expenditure", "purchases property equipment investing activities", C},
	{"ebitda", "operating income depreciation amortization", I | C},
	{"working capital", "total current assets total current liabilities", B},
	{"current ratio", "total current assets total current liabilities", B},
	{"quick ratio", "cash equivalents receivables total current liabilities", B},
	{"return on asset", "net income total assets", I | B},
	{"roa ", "net income total assets", I | B},
	{"return on equity", "net income total stockholders equity", I | B},
	{"roe ", "net income total stockholders equity", I | B},
	{"fixed asset", "property equipment net", B},
	{"asset turnover", "revenues net sales total assets", I | B},
	{"inventory turnover", "cost of sales inventories", I | B},
	{"interest coverage", "operating income interest expense", I},
	{"debt", "long-term debt notes borrowings", B},
	{"margin", "revenues gross profit operating income net income", I},
	{"sales", "revenues net sales", I},
	{"revenue", "net sales revenues", I},
	{"effective tax", "provision for income taxes income before income taxes", I},
	{"tax rate", "provision for income taxes income before income taxes", I},
	{"dividend", "dividends declared per share", 0},
	{"eps", "earnings per share diluted", I},
	{"free cash flow", "net cash provided by operating activities purchases property equipment", C},
	{"income statement", "consolidated statements of operations income earnings", I},
	{"balance sheet", "consolidated balance sheets total assets liabilities", B},
	{"cash flow statement", "consolidated statements of cash flows", C},
	{"statement of cash flow", "consolidated statements of cash flows", C},
	{"advertising", "advertising expense marketing", 0},
	{"r&d", "research and development technology expense", I},
	{"equity", "total stockholders shareholders equity", B},
	{"gross profit", "revenues cost of revenues sales", I},
	{"leverage", "total liabilities total assets debt equity", B},
	{"net profit", "net income", I},
	{"cogs", "cost of sales cost of revenues", I},
	{"payable", "accounts payable cost of sales", B | I},
	{"receivable", "accounts receivable net sales", B | I},
	{"inventor", "", B},
	{"liabilit", "", B},
	{"total asset", "", B},
	{"net income", "", I},
	{"operating income", "", I},
	{"operating profit", "operating income", I},
	{"interest expense", "", I},
	{"depreciation", "", C},
};
#undef I
#undef B
#undef C

typedef struct qbuild {
	const wk_index *ix;
	wk_qterm terms[MAX_QTERMS];
	int n;
	int pairs[MAX_QTERMS][2];
	int npairs;
	int last;            /* previous term id, -1 after an unknown or framing word */
	int financial;       /* a financial concept was recognised */
	int statements;      /* WK_STMT_* kinds its line items are stated in */
} qbuild;

static void add_pair(qbuild *b, int id)
{
	int prev = b->last;
	b->last = id;
	if (prev < 0 || id < 0 || prev == id || b->npairs >= MAX_QTERMS)
		return;
	for (int i = 0; i < b->npairs; i++)
		if (b->pairs[i][0] == prev && b->pairs[i][1] == id)
			return;
	b->pairs[b->npairs][0] = prev;
	b->pairs[b->npairs++][1] = id;
}

/* "FY2018", "Q3": the year or number inside also counts, weakly (tables say "2018"). */
static void number_part(qbuild *b, const char *term, size_t len)
{
	size_t i = 0;
	while (i < len && !(term[i] >= '0' && term[i] <= '9'))
		i++;
	if (i == 0 || i == len || i > 3)
		return;
	for (size_t k = i; k < len; k++)
		if (term[k] < '0' || term[k] > '9')
			return;
	int id = wk_index_term(b->ix, term + i, len - i);
	for (int k = 0; id >= 0 && k < b->n; k++)
		if (b->terms[k].id == id)
			return;
	if (id >= 0 && b->n < MAX_QTERMS)
		b->terms[b->n++] = (wk_qterm){id, NUMBER_PART_WEIGHT};
}

int wk_question_framing(const char *term)
{
	for (size_t i = 0; i < WK_ARRAY_LEN(framing); i++)
		if (strcmp(term, framing[i]) == 0)
			return 1;
	return 0;
}

static void on_qterm(void *user, const char *term, size_t len)
{
	qbuild *b = user;
	if (wk_question_framing(term)) {
		b->last = -1;
		return;
	}
	int id = wk_index_term(b->ix, term, len);
	add_pair(b, id);
	number_part(b, term, len);
	if (id < 0)
		return;
	for (int i = 0; i < b->n; i++)
		if (b->terms[i].id == id) {
			b->terms[i].weight += 0.5f; /* repeated words matter, but sub-linearly */
			return;
		}
	if (b->n < MAX_QTERMS)
		b->terms[b->n++] = (wk_qterm){id, 1.0f};
}

static void on_expansion_term(void *user, const char *term, size_t len)
{
	qbuild *b = user;
	int id = wk_index_term(b->ix, term, len);
	if (id < 0)
		return;
	for (int i = 0; i < b->n; i++)
		if (b->terms[i].id == id)
			return;
	if (b->n < MAX_QTERMS)
		b->terms[b->n++] = (wk_qterm){id, EXPANSION_WEIGHT};
}

static void expand(qbuild *b, wk_tokenizer *tk, const char *question)
{
	size_t n = strlen(question);
	char *low = wk_xmalloc(n + 2);
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)question[i]);
	low[n] = ' '; /* so that "roa " matches at the end */
	low[n + 1] = '\0';
	for (size_t k = 0; k < WK_ARRAY_LEN(expansions); k++) {
		const char *at = strstr(low, expansions[k].cue);
		if (at && (at == low || !isalnum((unsigned char)at[-1]))) {
			wk_tokenize(tk, expansions[k].terms, on_expansion_term, b);
			b->financial = 1;
			b->statements |= expansions[k].statements;
		}
	}
	free(low);
}

static int roman_value(const char *s, int *used)
{
	static const char *const romans[] = {"i",   "ii",   "iii", "iv", "v",   "vi",  "vii",
	                                     "viii", "ix",  "x",  "xi", "xii", "xiii", "xiv",
	                                     "xv",  "xvi", "xvii", "xviii", "xix", "xx"};
	size_t n = 0;
	while (s[n] == 'i' || s[n] == 'v' || s[n] == 'x')
		n++;
	if (n == 0 || isalnum((unsigned char)s[n]))
		return 0;
	for (size_t k = 0; k < WK_ARRAY_LEN(romans); k++)
		if (strlen(romans[k]) == n && strncmp(romans[k], s, n) == 0) {
			*used = (int)n;
			return (int)k + 1;
		}
	return 0;
}

/* A number (arabic, or roman when allowed) at s, after optional spaces; 0 when none. */
static int number_at(const char *s, int roman, int *used)
{
	int i = 0;
	while (s[i] == ' ' || s[i] == '.')
		i++;
	if (isdigit((unsigned char)s[i])) {
		long v = strtol(s + i, NULL, 10);
		while (isdigit((unsigned char)s[i]))
			i++;
		*used = i;
		return v > 0 && v < 100000 ? (int)v : 0;
	}
	int n = 0, v = roman ? roman_value(s + i, &n) : 0;
	*used = i + n;
	return v;
}

void wk_label_parse(const char *label, int *kind, int *num)
{
	*kind = 0;
	*num = 0;
	if (!label)
		return;
	char low[32];
	size_t n = 0;
	for (; label[n] && n + 1 < sizeof low; n++)
		low[n] = (char)tolower((unsigned char)label[n]);
	low[n] = '\0';
	int used = 0;
	if (strncmp(low, "fig", 3) == 0 || strncmp(low, "chart", 5) == 0 ||
	    strncmp(low, "exhibit", 7) == 0) {
		*kind = 'F';
	} else if (strncmp(low, "table", 5) == 0 || strncmp(low, "tab.", 4) == 0) {
		*kind = 'T';
	} else {
		return;
	}
	const char *p = low;
	while (*p && !isspace((unsigned char)*p) && *p != '.')
		p++;
	*num = number_at(p, 1, &used);
}

static void add_ref(int *arr, int *n, int v)
{
	if (v != 0 && *n < 8)
		arr[(*n)++] = v;
}

static const char *word_after(const char *p, const char *word)
{
	size_t n = strlen(word);
	return strncmp(p, word, n) == 0 ? p + n : NULL;
}

/* "the second page" -> 2, "the last page" -> -1, "the second last page" -> -2. */
static void ordinal_pages(wk_query *q, const char *low)
{
	static const char *const ordinals[] = {"first", "second", "third", "fourth", "fifth",
	                                       "sixth", "seventh", "eighth", "ninth", "tenth"};
	if (strstr(low, "cover page") || strstr(low, "front cover"))
		add_ref(q->page_ref, &q->npage_ref, 1);
	if (strstr(low, "back cover"))
		add_ref(q->page_ref, &q->npage_ref, -1);
	for (const char *p = strstr(low, "page"); p; p = strstr(p + 4, "page")) {
		/* the words before "page": "[the] <ordinal> [last|to last|final] page" */
		const char *w = p;
		int from_end = 0;
		const char *tails[] = {"to last ", "to the last ", "last ", "final "};
		for (size_t k = 0; k < WK_ARRAY_LEN(tails); k++) {
			size_t n = strlen(tails[k]);
			if ((size_t)(w - low) >= n && strncmp(w - n, tails[k], n) == 0) {
				w -= n;
				from_end = 1;
				break;
			}
		}
		int nth = from_end ? 1 : 0;
		for (size_t k = 0; k < WK_ARRAY_LEN(ordinals); k++) {
			size_t n = strlen(ordinals[k]);
			if ((size_t)(w - low) >= n + 1 && strncmp(w - n - 1, ordinals[k], n) == 0 &&
			    w[-1] == ' ' && ((size_t)(w - low) == n + 1 || !isalpha((unsigned char)w[-n - 2]))) {
				nth = (int)k + 1;
				break;
			}
		}
		if (nth > 0)
			add_ref(q->page_ref, &q->npage_ref, from_end ? -nth : nth);
	}
}

/* "pages 51-53", "pages 3 to 5": every page of the range (at most 8). */
static void page_range(wk_query *q, const char *r)
{
	int used = 0;
	int a = number_at(r, 0, &used);
	if (!a)
		return;
	const char *p = r + used;
	while (*p == ' ')
		p++;
	int b = 0;
	if (*p == '-' || *p == ',')
		b = number_at(p + 1, 0, &used);
	else if (strncmp(p, "to ", 3) == 0 || strncmp(p, "and ", 4) == 0)
		b = number_at(p + (p[0] == 't' ? 2 : 3), 0, &used);
	add_ref(q->page_ref, &q->npage_ref, a);
	for (int v = a + 1; b > a && v <= b && v < a + 8; v++)
		add_ref(q->page_ref, &q->npage_ref, v);
}

/* References at position p of the lowered question (p starts a word). */
static void scan_refs(wk_query *q, const char *p)
{
	const char *r;
	int used = 0, v;
	if ((r = word_after(p, "figure")) || (r = word_after(p, "fig")) ||
	    (r = word_after(p, "chart")) || (r = word_after(p, "exhibit"))) {
		if (*r == 's')
			r++;
		if ((v = number_at(r, 0, &used)))
			add_ref(q->fig_ref, &q->nfig_ref, v);
	} else if ((r = word_after(p, "table"))) {
		if (*r == 's')
			r++;
		if ((v = number_at(r, 1, &used)))
			add_ref(q->tab_ref, &q->ntab_ref, v);
	} else if ((r = word_after(p, "section")) || (r = word_after(p, "chapter")) ||
	           (r = word_after(p, "sec."))) {
		while (*r == ' ')
			r++;
		size_t n = 0;
		while ((isdigit((unsigned char)r[n]) || (r[n] == '.' && isdigit((unsigned char)r[n + 1]))) &&
		       n < 15)
			n++;
		if (n > 0 && q->nsec_ref < 8) {
			memcpy(q->sec_ref[q->nsec_ref], r, n);
			q->sec_ref[q->nsec_ref++][n] = '\0';
		}
	} else if ((r = word_after(p, "page"))) {
		if (*r == 's')
			r++;
		page_range(q, r);
	} else if (word_after(p, "appendi")) {
		q->appendix = 1;
	}
}

static void analyse(wk_query *q, const char *question)
{
	size_t n = strlen(question);
	char *low = wk_xmalloc(n + 1);
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)question[i]);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || !isalnum((unsigned char)low[i - 1]))
			scan_refs(q, low + i);
	ordinal_pages(q, low);
	const char *many = strstr(low, "how many");
	if (many) {
		static const char *const figs[] = {"figure", "chart", "image", "picture", "photo",
		                                   "graph", "diagram", "plot", "illustration", "icon"};
		for (size_t k = 0; k < WK_ARRAY_LEN(figs); k++)
			if (strstr(many, figs[k]))
				q->kind = WK_Q_COUNT_FIGURES;
		if (strstr(many, "table"))
			q->kind = WK_Q_COUNT_TABLES;
	}
	q->wants_email = strstr(low, "email") || strstr(low, "e-mail");
	q->wants_url = strstr(low, "website") || strstr(low, "web site") || strstr(low, "web link") ||
	               strstr(low, "url") || strstr(low, "web address") || strstr(low, "link to");
	if (strstr(low, "which page") || strstr(low, "what page") || strstr(low, "page number"))
		q->kind = WK_Q_WHICH_PAGE;
	if (strstr(low, "compar") || strstr(low, "differ") || strstr(low, " vs") ||
	    strstr(low, "versus") || strstr(low, "higher") || strstr(low, "lower"))
		q->compare = 1;
	free(low);
}

/* A sentence after the question itself that names the answer's form ("Give me an
 * appropriate integer.", "Return me a rounded integer.") is an instruction too, however
 * it is phrased. `low` is `s` lowered. */
static void blank_form_sentences(char *s, const char *low)
{
	static const char *const forms[] = {"integer", " int ", "float", "decimal", "rounded"};
	const char *start = strpbrk(low, "?");
	while (start && *start) {
		start++;
		size_t n = strcspn(start, "?!.");
		for (size_t k = 0; k < WK_ARRAY_LEN(forms); k++) {
			const char *at = strstr(start, forms[k]);
			if (at && at < start + n) {
				memset(s + (start - low), ' ', n);
				break;
			}
		}
		start += n;
	}
}

/* Instructions about the answer's form ("Round your answer to three decimal places",
 * "Write the answer in list format, e.g. [...]") say nothing about where the answer is:
 * from such a cue to the end of its sentence, the question is blanked for term matching. */
char *wk_question_topic(const char *question)
{
	static const char *const cues[] = {"round your answer", "round the answer", "answer in ",
	                                   "anwser in ", "write the answer", "write down the answer",
	                                   "write your answer", "in list format", "in float format",
	                                   "in int format", "in integer format", "in the format",
	                                   "e.g.", "for example", "give me an integer",
	                                   "directly answer", "please write", "round to "};
	char *s = wk_xstrdup(question);
	size_t n = strlen(s);
	char *low = wk_xstrdup(question);
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)low[i]);
	for (size_t k = 0; k < WK_ARRAY_LEN(cues); k++)
		for (char *at = strstr(low, cues[k]); at; at = strstr(at + 1, cues[k])) {
			size_t i = (size_t)(at - low);
			while (i < n && !strchr("?!", low[i]) && !(low[i] == '.' && (i + 1 >= n || low[i + 1] == ' ') &&
			                                            (i < 2 || low[i - 2] != '.')))
				s[i++] = ' ';
		}
	blank_form_sentences(s, low);
	free(low);
	return s;
}

int wk_query_new(const wk_index *index, wk_tokenizer *tk, const char *question,
                 wk_query **out, wk_error *err)
{
	*out = NULL;
	int rc = wk_question_check(question, err);
	if (rc != WK_OK)
		return rc;
	qbuild *b = wk_xcalloc(1, sizeof *b);
	b->ix = index;
	b->last = -1;
	char *topic = wk_question_topic(question);
	wk_tokenize(tk, topic, on_qterm, b);
	free(topic);
	expand(b, tk, question);
	wk_query *q = wk_xcalloc(1, sizeof *q);
	q->nterms = b->n;
	q->terms = wk_xmalloc(sizeof(wk_qterm) * (size_t)WK_MAX(b->n, 1));
	memcpy(q->terms, b->terms, sizeof(wk_qterm) * (size_t)b->n);
	q->financial = b->financial;
	q->statements = b->statements;
	q->npairs = b->npairs;
	q->pairs = wk_xmalloc(sizeof(int[2]) * (size_t)WK_MAX(b->npairs, 1));
	memcpy(q->pairs, b->pairs, sizeof(int[2]) * (size_t)b->npairs);
	free(b);
	analyse(q, question);
	*out = q;
	return WK_OK;
}

void wk_query_free(wk_query *q)
{
	if (!q)
		return;
	free(q->terms);
	free(q->pairs);
	free(q);
}

int wk_question_check(const char *question, wk_error *err)
{
	if (!question)
		return wk_set_error(err, WK_EINVAL, "no question");
	size_t n = strlen(question);
	if (n > 4096)
		return wk_set_error(err, WK_EINVAL, "question too long: %zu bytes (at most 4096)", n);
	if (!wk_utf8_valid(question, n))
		return wk_set_error(err, WK_EINVAL, "question is not valid UTF-8");
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)question[i]))
			return WK_OK;
	return wk_set_error(err, WK_EINVAL, "empty question");
}

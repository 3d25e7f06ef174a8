/* question.c: what a question asks for (the answer's type) and what picks among the
 * candidates (years, the scale asked for, the words that must be found). Cues are the
 * English words questions ask with, never words of one document. */
#include "reader.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const type_names[RD_NTYPES] = {
    "text", "count", "quantity", "money", "percent", "ratio", "date", "year", "period",
    "person", "organisation", "acronym", "list", "yes/no", "reference", "email", "url",
    "phone"};

const char *rd_type_name(rd_type type)
{
	return type >= 0 && type < RD_NTYPES ? type_names[type] : "text";
}

static int has_any(const char *low, const char *const *cues, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (strstr(low, cues[k]))
			return 1;
	return 0;
}

#define HAS(low, ...)                                                                     \
	has_any(low, (const char *const[]){__VA_ARGS__},                                  \
	        sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/* A word at the start of the question (after "according to ...,"-style openings). */
static int starts_with_word(const char *low, const char *word)
{
	size_t n = strlen(word);
	return strncmp(low, word, n) == 0 && !isalpha((unsigned char)low[n]);
}

/* The document's parts a count may be about: figures, tables, pages, sections. */
static int structure_kind(const char *noun)
{
	static const struct {
		const char *stem;
		int kind;
	} parts[] = {{"figure", 'F'}, {"chart", 'F'},   {"graph", 'F'},   {"image", 'F'},
	             {"picture", 'F'}, {"diagram", 'F'}, {"plot", 'F'},   {"photo", 'F'},
	             {"table", 'T'},  {"page", 'P'},    {"section", 'S'}, {"chapter", 'S'}};
	for (size_t k = 0; k < WK_ARRAY_LEN(parts); k++)
		if (strncmp(noun, parts[k].stem, strlen(parts[k].stem)) == 0)
			return parts[k].kind;
	return 0;
}

/* Keeps the first stem a word gives (the counted noun, as evidence words are stemmed). */
static void first_term(void *user, const char *term, size_t len)
{
	char *dst = user;
	if (!dst[0] && len < RD_TERM_LEN)
		memcpy(dst, term, len + 1);
}

/* "how many X ...": the noun counted is the first word after the cue that is not an
 * adjective-like modifier we know ("more", "different", "distinct", "total"). */
static void counted_noun(wk_tokenizer *tk, const char *after, rd_question *q)
{
	static const char *const skip[] = {"more", "different", "distinct", "total", "of", "the",
	                                   "in", "separate", "unique"};
	const char *p = after;
	for (int words = 0; *p && words < 4; words++) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ?,.;:");
		int skipped = 0;
		for (size_t k = 0; k < WK_ARRAY_LEN(skip) && !skipped; k++)
			skipped = strlen(skip[k]) == n && strncmp(p, skip[k], n) == 0;
		if (!skipped && n > 0 && n < RD_TERM_LEN) {
			char word[RD_TERM_LEN];
			memcpy(word, p, n);
			word[n] = '\0';
			q->structure = structure_kind(word);
			wk_tokenize(tk, word, first_term, q->counted);
			const char *next = p + n;
			while (*next == ' ')
				next++;
			size_t m = strcspn(next, " ?,.;:");
			if (m > 0 && m < RD_TERM_LEN) {
				memcpy(word, next, m);
				word[m] = '\0';
				wk_tokenize(tk, word, first_term, q->counted2);
				/* "connection graphs", "pie charts", "summary tables": figures or
				 * tables, of the kind the first word says */
				int kind = structure_kind(word);
				if (!q->structure && (kind == 'F' || kind == 'T')) {
					q->structure = kind;
					memcpy(q->qualifier, q->counted, sizeof q->qualifier);
				}
			}
			return;
		}
		p += n;
	}
}

/* `scaled`: the question asks for a scale ("answer in millions"), which only money and
 * counts of things have. */
static rd_type numeric_type(const char *low, int scaled)
{
	if (HAS(low, "percent", "proportion", "share of", "%", " rate", "margin"))
		return RD_PERCENT;
	if (HAS(low, "ratio", "turnover"))
		return RD_RATIO;
	if (HAS(low, "how much did", "spend", "spent", "cost of", "costs", "price", "paid",
	        "usd", "dollar", "revenue", "sales", "income", "expense", "liabilit", "assets",
	        "debt", "cash", "equity", "ebitda", "capex", "capital expenditure", "profit",
	        "earnings", "working capital", "amount", "lease", "obligation", "fair value",
	        "goodwill", "inventor", "receivable", "payable", "dividend", "tax") ||
	    scaled)
		return RD_MONEY;
	if (HAS(low, "score", "accuracy", "performance", "value of", "number of", "average",
	        "median", "total", "how much", "size of", "population"))
		return RD_QUANTITY;
	return RD_TEXT;
}

/* A whole word `word` inside low, or NULL. */
static const char *word_in(const char *low, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(low, word); p; p = strstr(p + 1, word))
		if ((p == low || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[n]))
			return p;
	return NULL;
}

/* "the fax number", "telephone", "phone no.": a number written with dashes or spaces
 * ("514-312-0292"), which is neither a count nor a quantity. */
static const char *phone_cue(const char *low)
{
	if (word_in(low, "fax"))
		return "fax";
	if (word_in(low, "telephone") || HAS(low, "phone number", "phone no", "tel no", "tel."))
		return "phone";
	return NULL;
}

/* "how do / does / is ... ?": the answer is a manner ("on a straight-line basis"). */
static int manner_question(const char *low)
{
	static const char *const aux[] = {"do", "does", "did", "is", "are", "was", "were",
	                                  "can", "should"};
	if (!starts_with_word(low, "how"))
		return 0;
	const char *v = low + 3;
	while (*v == ' ')
		v++;
	for (size_t k = 0; k < WK_ARRAY_LEN(aux); k++)
		if (starts_with_word(v, aux[k]))
			return 1;
	return 0;
}

static rd_type question_type(wk_tokenizer *tk, const char *low, rd_question *q)
{
	const char *many = strstr(low, "how many");
	if (HAS(low, "e-mail", "email"))
		return RD_EMAIL;
	if (HAS(low, "web link", "website", "url", "web address", "link to"))
		return RD_URL;
	if (phone_cue(low))
		return RD_PHONE;
	if (HAS(low, "stand for", "stands for", "acronym", "abbreviation", "short for",
	        "full name of", "full form"))
		return RD_ACRONYM;
	if (HAS(low, "which page", "what page", "page number", "which figure", "which table",
	        "which section", "what section"))
		return RD_REFERENCE;
	if (many && HAS(many, "how many percent", "how many %"))
		return RD_PERCENT;
	if (many) {
		counted_noun(tk, many + 8, q);
		return RD_COUNT;
	}
	if (HAS(low, "number of "))
		return RD_COUNT;
	if (HAS(low, "what year", "which year", "in what year"))
		return RD_YEAR;
	if (HAS(low, "how long", "duration", "how old", "timeout", "latency", "range"))
		return RD_QUANTITY;
	if (HAS(low, "what date", "which date", "on what date", "what day") ||
	    starts_with_word(low, "when"))
		return RD_DATE;
	/* "the people who ..." is a clause about a number; "who is ..." asks for a name */
	if (HAS(low, "author", "name of the person", "who wrote", "who signed") ||
	    starts_with_word(low, "who") || starts_with_word(low, "whom") ||
	    starts_with_word(low, "whose"))
		return RD_PERSON;
	if (HAS(low, "which company", "which organi", "which university", "which institution",
	        "which agency", "what company", "what organi"))
		return RD_ORG;
	/* "which group has the highest share": the answer names the group */
	if (starts_with_word(low, "which") && !strstr(low, "which year"))
		return RD_TEXT;
	/* "how do we recognise lease costs?" asks for a manner, whatever its topic */
	if (manner_question(low))
		return RD_TEXT;
	/* "what are the components of cost of sales": the words of a list beat the
	 * financial words of its topic */
	if (HAS(low, "components of", "what kinds", "what types", "list the", "list all",
	        "enumerate"))
		return RD_LIST;
	rd_type t = numeric_type(low, q->scale > 0);
	if (t != RD_TEXT)
		return t;
	if (HAS(low, "what are the", "which are the", "list the", "list all", "enumerate",
	        "what kinds", "what types", "name the"))
		return RD_LIST;
	if (HAS(low, "yes or no", "'yes' or 'no'") || starts_with_word(low, "is") ||
	    starts_with_word(low, "are") || starts_with_word(low, "does") ||
	    starts_with_word(low, "do") || starts_with_word(low, "can") ||
	    starts_with_word(low, "did") || starts_with_word(low, "was") ||
	    starts_with_word(low, "were") || starts_with_word(low, "has") ||
	    starts_with_word(low, "have"))
		return RD_YESNO;
	return RD_TEXT;
}

/* The stem of the word at p (letters only), into dst (RD_TERM_LEN); "" when none. */
static void stem_at(wk_tokenizer *tk, const char *p, char *dst)
{
	char word[RD_TERM_LEN];
	size_t n = 0;
	while (isalpha((unsigned char)p[n]) && n + 1 < sizeof word)
		n++;
	memcpy(word, p, n);
	word[n] = '\0';
	dst[0] = '\0';
	if (n > 0 && !wk_is_stop_word(word, n))
		wk_tokenize(tk, word, first_term, dst);
}

/* "what (X) does ...", "which X did ...": the byte after the auxiliary's blank when it
 * is one of the first four words after "what" or "which", else NULL. */
static const char *auxiliary_after_wh(const char *low)
{
	if (!starts_with_word(low, "what") && !starts_with_word(low, "which"))
		return NULL;
	const char *p = low + strcspn(low, " ");
	for (int k = 0; k < 4 && *p == ' '; k++) {
		p++;
		if (starts_with_word(p, "does") || starts_with_word(p, "do") ||
		    starts_with_word(p, "did"))
			return p + strcspn(p, " ");
		p += strcspn(p, " ");
	}
	return NULL;
}

/* Short text answers read beside the question's words, for questions with no typed
 * answer (see reader.h, RD_PHRASE_*). `low` is the lowercase topic. */
static void find_phrase(wk_tokenizer *tk, const char *low, rd_question *q)
{
	const char *p;
	if (q->type == RD_PHONE) {
		q->phrase = RD_PHRASE_PHONE;
		snprintf(q->head, sizeof q->head, "%s", phone_cue(low));
		return;
	}
	if (q->type != RD_TEXT)
		return;
	static const char *const kinds[] = {"what type of ", "what kind of ", "what sort of ",
	                                    "which type of ", "which kind of "};
	for (size_t k = 0; k < WK_ARRAY_LEN(kinds); k++)
		if ((p = strstr(low, kinds[k]))) {
			p += strlen(kinds[k]);
			if (!strncmp(p, "the ", 4))
				p += 4;
			stem_at(tk, p, q->head);
			q->phrase = q->head[0] ? RD_PHRASE_KIND : 0;
			return;
		}
	if (HAS(low, "title of", "name of", "topic of", "subject of", "heading of",
	        "titled", "called")) {
		q->phrase = RD_PHRASE_TITLE;
		return;
	}
	if (starts_with_word(low, "what if") ||
	    HAS(low, "what happens if", "what will happen if", "what would happen if",
	        "what happens when")) {
		q->phrase = RD_PHRASE_CONSEQUENCE;
		return;
	}
	if (manner_question(low)) {
		q->phrase = RD_PHRASE_MANNER;
		return;
	}
	/* "what does a point mutation of the codon TTT define?", "what accuracy does the
	 * system achieve?": the last word is the verb whose object the evidence states
	 * ("... that defines phenylalanine") */
	if (!(p = auxiliary_after_wh(low)))
		return;
	const char *e = low + strlen(low);
	while (e > low && !isalpha((unsigned char)e[-1]))
		e--;
	const char *b = e;
	while (b > low && isalpha((unsigned char)b[-1]))
		b--;
	if (b > p && (size_t)(e - b) < RD_TERM_LEN) {
		stem_at(tk, b, q->head);
		q->phrase = q->head[0] ? RD_PHRASE_OBJECT : 0;
	}
}

/* Years named in the question: "2015", "FY2021", "FY 2019", "F2019". */
static void find_years(const char *low, rd_question *q)
{
	for (const char *p = low; *p && q->nyears < RD_MAX_YEARS; p++) {
		if (!isdigit((unsigned char)*p) || (p > low && isdigit((unsigned char)p[-1])))
			continue;
		int n = 0;
		while (isdigit((unsigned char)p[n]))
			n++;
		int v = atoi(p);
		int left_ok = p == low || !isalpha((unsigned char)p[-1]) || p[-1] == 'y' || p[-1] == 'f';
		if (n == 4 && v >= 1900 && v <= 2099 && left_ok)
			q->years[q->nyears++] = v;
	}
}

/* Every plain number of the question (years included). */
static void find_numbers(const char *low, rd_question *q)
{
	for (const char *p = low; *p && q->nnumbers < 8; p++) {
		if (!isdigit((unsigned char)*p) || (p > low && (isalnum((unsigned char)p[-1]) ||
		                                                p[-1] == '.' || p[-1] == ',')))
			continue;
		double v;
		const char *e = rd_number(p, p + strlen(p), &v);
		if (e) {
			q->numbers[q->nnumbers++] = v;
			p = e - 1;
		}
	}
}

/* "page 5", "pages 51-53", "pages 51 to 53". */
static void find_pages(const char *low, rd_question *q)
{
	const char *p = strstr(low, "page");
	if (!p)
		return;
	p += 4;
	if (*p == 's')
		p++;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return;
	char *end;
	q->page_first = q->page_last = (int)strtol(p, &end, 10);
	while (*end == ' ')
		end++;
	if (*end == '-' || !strncmp(end, "to ", 3)) {
		end += *end == '-' ? 1 : 3;
		while (*end == ' ')
			end++;
		if (isdigit((unsigned char)*end))
			q->page_last = (int)strtol(end, NULL, 10);
	}
	if (q->page_last < q->page_first)
		q->page_last = q->page_first;
}

static double asked_scale(const char *low)
{
	if (HAS(low, "in billion", "usd billion", "in usd billion", "in $ billion"))
		return 1e9;
	if (HAS(low, "in million", "usd million", "in usd million", "in $ million"))
		return 1e6;
	if (HAS(low, "in thousand", "usd thousand"))
		return 1e3;
	return 0;
}

/* Stems that name the form of the answer rather than its topic ("the timeout range",
 * "what percentage"): evidence states the value, not these words. */
static int answer_form(const char *term)
{
	static const char *const forms[] = {"rang", "percentag", "percent", "stand", "abbrevi",
	                                   "acronym", "expand", "kind", "titl", "topic"};
	return RD_LISTED(term, forms);
}

/* Words that ask for a web address ("the web link to ..."): the form of the answer, which
 * an address never prints beside it. */
static int link_form(const char *term)
{
	static const char *const forms[] = {"web", "link", "url", "websit", "address"};
	return RD_LISTED(term, forms);
}

typedef struct term_sink {
	rd_question *q;
	int entity;
} term_sink;

static void on_term(void *user, const char *term, size_t len)
{
	term_sink *t = user;
	rd_question *q = t->q;
	if (len >= RD_TERM_LEN || q->nterms >= RD_MAX_TERMS || wk_question_framing(term) ||
	    answer_form(term) || (q->type == RD_URL && link_form(term)))
		return;
	for (int i = 0; i < q->nterms; i++)
		if (strcmp(q->terms[i], term) == 0) {
			q->entity[i] |= t->entity;
			return;
		}
	memcpy(q->terms[q->nterms], term, len + 1);
	q->entity[q->nterms++] = t->entity;
}

/* The digits of w make a year (1900-2099): "FY2019", "2020Q1". */
static int year_digits(const char *w, size_t n)
{
	int v = 0, k = 0;
	for (size_t i = 0; i < n; i++)
		if (isdigit((unsigned char)w[i]))
			v = v * 10 + (w[i] - '0'), k++;
	return k == 4 && v >= 1900 && v <= 2099;
}

/* A code ("AR03", "TX-16", "P1.1"): capitalised, letters with two digits or more, not
 * a fiscal year ("FY2019") nor a quarter ("Q3"). It names one row of a listing. */
static int is_code(const char *w, size_t n)
{
	int digits = 0, alpha = 0;
	for (size_t i = 0; i < n; i++) {
		digits += isdigit((unsigned char)w[i]) != 0;
		alpha += isalpha((unsigned char)w[i]) != 0;
	}
	return digits >= 2 && alpha && isupper((unsigned char)w[0]) && !year_digits(w, n);
}

/* A word names something specific when it is capitalised inside the question (not its
 * first word, not all of a shouted question) or is a plain number: such words must be
 * in the evidence for the question to be answerable from it. */
static int entity_word(const char *w, size_t n, int first, int shouting)
{
	int digits = 0, alpha = 0;
	for (size_t i = 0; i < n; i++) {
		digits += isdigit((unsigned char)w[i]) != 0;
		alpha += isalpha((unsigned char)w[i]) != 0;
	}
	if (digits && !alpha)
		return 1;
	/* a code ("AR03", "TX-16", "P1.1") names one row of a listing; not a fiscal year
	 * ("FY2019") nor a quarter ("Q3") */
	if (is_code(w, n))
		return 1;
	/* two-letter abbreviations ("FY", "Q3") qualify a number rather than name a thing */
	return !first && !shouting && isupper((unsigned char)w[0]) && alpha > 2 && !digits;
}

static void collect_terms(wk_tokenizer *tk, const char *topic, rd_question *q)
{
	int upper = 0, lower = 0;
	for (const char *p = topic; *p; p++) {
		upper += isupper((unsigned char)*p) != 0;
		lower += islower((unsigned char)*p) != 0;
	}
	int shouting = upper > lower;
	term_sink sink = {q, 0};
	int after_how = 0;
	const char *p = topic;
	for (int first = 1; *p;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		size_t n = strcspn(p, " \t\n");
		if (n == 0)
			break;
		char *word = wk_xstrndup(p, n);
		size_t core = n;
		while (core > 0 && strchr("?,.;:'\"’)", word[core - 1]))
			core--;
		sink.entity = entity_word(word, core, first, shouting);
		if (!q->code[0] && core < RD_TERM_LEN && is_code(word, core))
			memcpy(q->code, word, core), q->code[core] = '\0';
		/* "how long", "how far", "how old": the word after "how" asks for the form */
		if (!after_how)
			wk_tokenize(tk, word, on_term, &sink);
		after_how = core == 3 && !strncasecmp(word, "how", 3);
		/* a word that starts a sentence ("... county? Give me ...") is capitalised as
		 * such, not as a name */
		first = strchr("?.!", word[n - 1]) != NULL;
		free(word);
		p += n;
	}
}

/* Edit distance of a and b (letters only, both shorter than RD_TERM_LEN) with a
 * transposition counting as one edit; stops early past `limit`. */
static int edits(const char *a, size_t na, const char *b, size_t nb, int limit)
{
	int prev2[RD_TERM_LEN + 1], prev[RD_TERM_LEN + 1], cur[RD_TERM_LEN + 1];
	for (size_t j = 0; j <= nb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = (int)i;
		int row_min = cur[0];
		for (size_t j = 1; j <= nb; j++) {
			int d = prev[j - 1] + (a[i - 1] != b[j - 1]);
			d = WK_MIN(d, WK_MIN(prev[j], cur[j - 1]) + 1);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
				d = WK_MIN(d, prev2[j - 2] + 1);
			cur[j] = d;
			row_min = WK_MIN(row_min, d);
		}
		if (row_min > limit)
			return limit + 1;
		memcpy(prev2, prev, sizeof(int) * (nb + 1));
		memcpy(prev, cur, sizeof(int) * (nb + 1));
	}
	return prev[nb];
}

static int all_letters(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalpha((unsigned char)s[i]))
			return 0;
	return 1;
}

int rd_term_listed(const char *term, const char *const *list, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(term, list[k]))
			return 1;
	return 0;
}

int rd_term_is(const char *qterm, const char *term)
{
	if (!strcmp(qterm, term))
		return 1;
	/* Misspelt question words ("Neflix", "advertsing"): one edit from a word of five
	 * letters or more, two from one of nine or more; same first letter, since typing
	 * slips rarely hit it, and never numbers, where one digit is another value. */
	size_t na = strlen(qterm), nb = strlen(term);
	int limit = WK_MIN(na, nb) >= 9 ? 2 : WK_MIN(na, nb) >= 5 ? 1 : 0;
	if (!limit || qterm[0] != term[0] || (na > nb ? na - nb : nb - na) > (size_t)limit ||
	    na >= RD_TERM_LEN || nb >= RD_TERM_LEN || !all_letters(qterm, na) ||
	    !all_letters(term, nb))
		return 0;
	return edits(qterm, na, term, nb, limit) <= limit;
}

void rd_question_parse(wk_tokenizer *tk, const char *question, rd_question *q)
{
	memset(q, 0, sizeof *q);
	size_t n = strlen(question);
	char *low = wk_xmalloc(n + 1);
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)question[i]);
	char *topic = wk_question_topic(question);
	char *tlow = wk_xstrdup(topic);
	for (char *p = tlow; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	q->scale = asked_scale(low);
	q->type = question_type(tk, tlow, q);
	/* the instruction "answer 'yes' or 'no'" is left out of the topic but decides */
	if (HAS(low, "'yes' or 'no'", "yes or no", "\"yes\" or \"no\""))
		q->type = RD_YESNO;
	/* "Format the date mentioned on page 14 as YYYY-MM-DD": the form is the instruction
	 * the topic leaves out */
	if (strstr(low, "date") && strstr(low, "yyyy-mm")) {
		q->type = RD_DATE;
		q->date_parts = strstr(low, "yyyy-mm-dd") ? 3 : 2;
	}
	q->numeric = q->type >= RD_COUNT && q->type <= RD_RATIO;
	find_phrase(tk, tlow, q);
	find_years(tlow, q);
	find_pages(tlow, q);
	find_numbers(tlow, q);
	if (q->type == RD_ACRONYM)
		for (const char *p = topic; *p; p++) {
			size_t k = 0;
			while (isupper((unsigned char)p[k]) || (k > 0 && isdigit((unsigned char)p[k])))
				k++;
			if (k >= 2 && k < sizeof q->acronym && (p == topic || !isalnum((unsigned char)p[-1])) &&
			    !isalnum((unsigned char)p[k])) {
				memcpy(q->acronym, p, k);
				q->acronym[k] = '\0';
				break;
			}
			if (k)
				p += k - 1;
		}
	collect_terms(tk, topic, q);
	/* a code names the listing row more surely than any phrase cue of the question */
	if (q->code[0] && q->type == RD_TEXT)
		q->phrase = RD_PHRASE_CODE;
	/* "format ... as YYYY-MM-DD" says how to write the date, not what it is about */
	for (int i = 0; i < q->nterms && q->date_parts; i++)
		if (!strcmp(q->terms[i], "format") || !strncmp(q->terms[i], "yyy", 3) ||
		    !strcmp(q->terms[i], "mm") || !strcmp(q->terms[i], "dd")) {
			memmove(q->terms + i, q->terms + i + 1, sizeof q->terms[0] * (size_t)(q->nterms - i - 1));
			memmove(q->entity + i, q->entity + i + 1, sizeof q->entity[0] * (size_t)(q->nterms - i - 1));
			q->nterms--;
			i--;
		}
	/* "on page 14" says where to look: the page's text need not print 14 (nor "Pages") */
	for (int i = 0; i < q->nterms && q->page_first; i++) {
		if (!strcmp(q->terms[i], "page"))
			q->entity[i] = 0;
		int v = atoi(q->terms[i]);
		if (q->terms[i][strspn(q->terms[i], "0123456789")] == '\0' && v >= q->page_first &&
		    v <= q->page_last)
			q->entity[i] = 0;
	}
	free(tlow);
	free(topic);
	free(low);
}

/* dataset.c: readers for MMLongBench-Doc and QASPER question files (JSON lines). */
#include "eval.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_LINE (1 << 20)    /* a question line longer than this is malformed */
#define MAX_FILE (512u << 20) /* a questions file larger than this is refused */
#define MAX_ITEMS 1000000
#define MAX_LIST 10000

void wk_eval_strings_free(char **items, int n)
{
	for (int i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

/* One item of a list literal starting at *p (after blanks): quoted or bare up to , or ]. */
static char *list_item(const char **p)
{
	const char *s = *p;
	wk_buf b;
	wk_buf_init(&b, MAX_LINE);
	if (*s == '\'' || *s == '"') {
		char q = *s++;
		for (; *s && *s != q; s++) {
			if (*s == '\\' && s[1])
				s++;
			wk_buf_putc(&b, *s);
		}
		if (*s == q)
			s++;
		while (*s && *s != ',' && *s != ']')
			s++;
	} else {
		const char *start = s;
		while (*s && *s != ',' && *s != ']')
			s++;
		const char *end = s;
		while (end > start && isspace((unsigned char)end[-1]))
			end--;
		wk_buf_append(&b, start, (size_t)(end - start));
	}
	*p = s;
	char *out = wk_buf_steal(&b);
	return out ? out : wk_xstrdup("");
}

int wk_eval_split_list(const char *s, char ***items)
{
	*items = NULL;
	while (s && isspace((unsigned char)*s))
		s++;
	if (!s || *s != '[')
		return -1;
	s++;
	int n = 0, cap = 0;
	char **v = NULL;
	for (;;) {
		while (isspace((unsigned char)*s) || *s == ',')
			s++;
		if (!*s || *s == ']' || n >= MAX_LIST)
			break;
		v = wk_grow(v, &cap, n + 1, sizeof *v);
		v[n++] = list_item(&s);
	}
	*items = v;
	return n;
}

static char *dup_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? wk_xstrdup(s) : NULL;
}

/* A string or number value as text (answers such as 8 or 0.5 are sometimes numbers). */
static char *value_text(json_t *v)
{
	char tmp[64];
	if (json_is_string(v))
		return wk_xstrdup(json_string_value(v));
	if (json_is_integer(v))
		snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(tmp, sizeof tmp, "%g", json_real_value(v));
	else
		return NULL;
	return wk_xstrdup(tmp);
}

/* A list given as a JSON array or as a string holding a list literal. */
static int list_field(json_t *v, char ***out)
{
	*out = NULL;
	if (json_is_string(v))
		return wk_eval_split_list(json_string_value(v), out);
	if (!json_is_array(v))
		return v ? -1 : 0;
	int n = 0, cap = 0;
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
	{
		char *s = value_text(e);
		if (!s)
			continue;
		*out = wk_grow(*out, &cap, n + 1, sizeof **out);
		(*out)[n++] = s;
	}
	return n;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Gold pages: positive integers, sorted, duplicates removed. */
static int pages_field(json_t *v, wk_eval_item *it)
{
	char **s;
	int n = list_field(v, &s);
	if (n < 0)
		return -1;
	it->pages = wk_xcalloc((size_t)n + 1, sizeof *it->pages);
	for (int i = 0; i < n; i++) {
		char *end;
		long p = strtol(s[i], &end, 10);
		if (end != s[i] && p > 0 && p < 1000000)
			it->pages[it->npages++] = (int)p;
	}
	wk_eval_strings_free(s, n);
	qsort(it->pages, (size_t)it->npages, sizeof *it->pages, cmp_int);
	int m = 0;
	for (int i = 0; i < it->npages; i++)
		if (m == 0 || it->pages[m - 1] != it->pages[i])
			it->pages[m++] = it->pages[i];
	it->npages = m;
	return 0;
}

static int read_mmlb(json_t *o, wk_eval_item *it)
{
	json_t *answer = json_object_get(o, "answer");
	char *a = value_text(answer);
	if (!a)
		return -1;
	it->answers = wk_xmalloc(sizeof *it->answers);
	it->answers[0] = a;
	it->nanswers = 1;
	it->format = dup_str(o, "answer_format");
	if (!it->format)
		it->format = wk_xstrdup("Str");
	if (pages_field(json_object_get(o, "evidence_pages"), it) < 0)
		return -1;
	it->nsources = list_field(json_object_get(o, "evidence_sources"), &it->sources);
	if (it->nsources < 0)
		it->nsources = 0;
	return 0;
}

/* QASPER: answers[] of {answer, type}, evidence[] of {raw_evidence, highlighted_evidence}
 * (one per annotator). raw_evidence holds whole paragraphs; highlighted_evidence is used
 * when an annotator gave no paragraph. */
static int read_qasper(json_t *o, wk_eval_item *it)
{
	json_t *answers = json_object_get(o, "answers"), *ev = json_object_get(o, "evidence");
	size_t i;
	json_t *e;
	int cap = 0;
	json_array_foreach(answers, i, e)
	{
		char *s =
		    json_is_object(e) ? value_text(json_object_get(e, "answer")) : value_text(e);
		if (!s)
			continue;
		it->answers = wk_grow(it->answers, &cap, it->nanswers + 1, sizeof *it->answers);
		it->answers[it->nanswers++] = s;
	}
	it->format = wk_xstrdup("Str");
	/* The kind of evidence ("text", "table") stands in for MMLongBench's sources. */
	char *kind = dup_str(o, "kind");
	if (kind) {
		it->sources = wk_xmalloc(sizeof *it->sources);
		it->sources[it->nsources++] = kind;
	}
	it->annots = wk_xcalloc(json_array_size(ev) + 1, sizeof *it->annots);
	json_array_foreach(ev, i, e)
	{
		wk_eval_annot *an = &it->annots[it->nannots];
		an->n = list_field(json_object_get(e, "raw_evidence"), &an->paras);
		if (an->n <= 0) {
			free(an->paras);
			an->n = list_field(json_object_get(e, "highlighted_evidence"), &an->paras);
		}
		if (an->n < 0)
			an->n = 0;
		it->nannots++;
	}
	return 0;
}

static void item_free(wk_eval_item *it)
{
	free(it->doc_id);
	free(it->question);
	wk_eval_strings_free(it->answers, it->nanswers);
	free(it->format);
	free(it->doc_type);
	free(it->pages);
	wk_eval_strings_free(it->sources, it->nsources);
	for (int i = 0; i < it->nannots; i++)
		wk_eval_strings_free(it->annots[i].paras, it->annots[i].n);
	free(it->annots);
}

/* Parses one line into *it; returns a static reason when the line is malformed. */
static const char *read_item(const char *line, size_t len, int format, wk_eval_item *it)
{
	json_error_t jerr;
	json_t *o = json_loadb(line, len, 0, &jerr);
	const char *why = NULL;
	if (!json_is_object(o))
		why = "not a JSON object";
	else if (!(it->question = dup_str(o, "question")))
		why = "no \"question\" string";
	else if (!(it->doc_id = dup_str(o, "doc_id")))
		why = "no \"doc_id\" string";
	else if ((format == WK_EVAL_QASPER ? read_qasper(o, it) : read_mmlb(o, it)) < 0)
		why = "a malformed answer, evidence_pages or evidence_sources";
	if (!why && !(it->doc_type = dup_str(o, "doc_type")))
		it->doc_type = wk_xstrdup(format == WK_EVAL_QASPER ? "Academic paper" : "");
	json_decref(o);
	return why;
}

static void add_line(wk_eval_set *set, int *cap, const char *line, size_t len, int lineno,
                     const char *name)
{
	wk_eval_item it = {.line = lineno};
	const char *why =
	    len > MAX_LINE ? "a line longer than 1 MiB" : read_item(line, len, set->format, &it);
	if (why) {
		if (set->nbad++ == 0)
			snprintf(set->bad, sizeof set->bad, "%s:%d: %s", name, lineno, why);
		item_free(&it);
		return;
	}
	set->items = wk_grow(set->items, cap, set->n + 1, sizeof *set->items);
	set->items[set->n++] = it;
}

int wk_eval_load_text(const char *text, size_t len, const char *name, int format, wk_eval_set **out,
                      wk_error *err)
{
	*out = NULL;
	wk_eval_set *set = wk_xcalloc(1, sizeof *set);
	set->format = format;
	int cap = 0, lineno = 0;
	const char *p = text, *end = text + len;
	while (p < end && set->n < MAX_ITEMS) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		lineno++;
		const char *q = p;
		while (q < stop && isspace((unsigned char)*q))
			q++;
		if (q < stop)
			add_line(set, &cap, p, (size_t)(stop - p), lineno, name);
		p = stop + 1;
	}
	if (set->n == 0) {
		int code = wk_set_error(err, WK_EINVAL, "%s: no valid question line%s%s", name,
		                        set->nbad ? "; first problem: " : "", set->bad);
		wk_eval_set_free(set);
		return code;
	}
	*out = set;
	return WK_OK;
}

int wk_eval_load(const char *path, int format, wk_eval_set **out, wk_error *err)
{
	char *data;
	size_t len;
	*out = NULL;
	int rc = wk_read_file(path, MAX_FILE, &data, &len, err);
	if (rc)
		return rc;
	rc = wk_eval_load_text(data, len, path, format, out, err);
	free(data);
	return rc;
}

void wk_eval_set_free(wk_eval_set *set)
{
	if (!set)
		return;
	for (int i = 0; i < set->n; i++)
		item_free(&set->items[i]);
	free(set->items);
	free(set);
}

bool wk_eval_answerable(const wk_eval_set *set, const wk_eval_item *item)
{
	if (set->format == WK_EVAL_QASPER) {
		for (int i = 0; i < item->nannots; i++)
			if (item->annots[i].n > 0)
				return true;
		return false;
	}
	if (!strcmp(item->format, "None"))
		return false;
	return item->nanswers > 0 && strcasecmp(item->answers[0], "Not answerable") != 0;
}

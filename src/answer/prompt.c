/* prompt.c: the PDF-WuKong answering prompt as a chat completions request: the system
 * instruction, the sampled evidence as numbered blocks with page and section, figure and
 * table crops as images when the model can see, and the question. Also reads the model's
 * citations back. */
#include "llm.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char wk_llm_system_prompt[] =
	"You answer questions about a document using only the evidence given: numbered "
	"passages, figures and tables taken from it, each introduced by its id in square "
	"brackets, its page and its section.\n"
	"Rules:\n"
	"- Use only the evidence. Do not use outside knowledge or guess.\n"
	"- Cite the evidence you used by its id in square brackets, like [12], right after "
	"the statement it supports.\n"
	"- If the evidence does not contain the answer, reply \"Not answerable\" and say in "
	"one sentence what is missing.\n"
	"- Answer concisely: a number, a name or a short sentence when that is enough.";

/* Positions, not unit indices: small numbers are easier for a small model to copy, they
 * do not collide across documents, and `wukong ask` lists the evidence by them. */
int wk_llm_evidence_id(const wk_selection *sel, int i)
{
	if (!sel || i < 0 || i >= sel->n)
		return -1;
	return i + 1;
}

char *wk_base64(const unsigned char *data, size_t len)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = wk_xmalloc((len + 2) / 3 * 4 + 1);
	char *o = out;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		*o++ = abc[(v >> 18) & 63];
		*o++ = abc[(v >> 12) & 63];
		*o++ = i + 1 < len ? abc[(v >> 6) & 63] : '=';
		*o++ = i + 2 < len ? abc[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static const wk_unit *evidence_unit(const wk_doc *const *docs, const wk_evidence *ev)
{
	const wk_doc *doc = docs ? docs[ev->doc] : NULL;
	if (!doc || ev->idx < 0 || ev->idx >= doc->nunits)
		return NULL;
	return &doc->units[ev->idx];
}

/* "[12] (page 3, section 2 Method, table)" and, across documents, the document first. */
static void block_header(wk_buf *b, const wk_doc *const *docs, const wk_selection *sel, int i,
                         int multi)
{
	const wk_evidence *ev = &sel->items[i];
	const wk_unit *u = evidence_unit(docs, ev);
	wk_buf_printf(b, "[%d] (", wk_llm_evidence_id(sel, i));
	if (multi && u)
		wk_buf_printf(b, "document \"%s\", ", docs[ev->doc]->title ? docs[ev->doc]->title : "");
	if (!u) {
		wk_buf_puts(b, "unit unknown)\n");
		return;
	}
	int first = u->page, last = u->page;
	const wk_doc *doc = docs[ev->doc];
	for (int k = ev->idx; k < WK_MIN(doc->nunits, ev->idx + WK_MAX(ev->span, 1)); k++)
		for (int j = 0; j < doc->units[k].nboxes; j++)
			last = WK_MAX(last, doc->units[k].boxes[j].page);
	if (last > first)
		wk_buf_printf(b, "pages %d-%d", first, last);
	else
		wk_buf_printf(b, "page %d", first);
	const char *section = wk_unit_section(docs[ev->doc], u);
	if (section && *section)
		wk_buf_printf(b, ", section %s", section);
	if (u->type == WK_UNIT_FIGURE || u->type == WK_UNIT_TABLE || u->type == WK_UNIT_HEADING)
		wk_buf_printf(b, ", %s", wk_unit_type_name(u->type));
	wk_buf_puts(b, ")\n");
}

static void add_text_part(json_t *parts, wk_buf *b)
{
	if (b->len == 0)
		return;
	json_array_append_new(parts, json_pack("{s:s, s:s}", "type", "text", "text",
	                                       wk_buf_cstr(b)));
	b->len = 0;
	b->data[0] = '\0';
}

/* The crop of a figure or table as an image_url part, or NULL when it cannot be had
 * (no file, a library document whose file moved): the model still gets its text. */
static json_t *image_part(const wk_llm_opts *opts, const wk_doc *doc, const wk_unit *u)
{
	if (!doc->path || u->nboxes < 1)
		return NULL;
	unsigned char *png = NULL;
	size_t len = 0;
	if (wk_render_box(doc->path, NULL, &u->boxes[0], opts->image_dpi, opts->max_image_side,
	                  &png, &len, NULL) != WK_OK)
		return NULL;
	char *b64 = wk_base64(png, len);
	wk_free(png);
	size_t n = strlen(b64) + 32;
	char *url = wk_xmalloc(n);
	snprintf(url, n, "data:image/png;base64,%s", b64);
	free(b64);
	json_t *part = json_pack("{s:s, s:{s:s}}", "type", "image_url", "image_url", "url", url);
	free(url);
	return part;
}

static int wants_image(const wk_llm_opts *opts, const wk_unit *u, int nimages)
{
	return opts->vision && u && (u->type == WK_UNIT_FIGURE || u->type == WK_UNIT_TABLE) &&
	       nimages < WK_LLM_MAX_IMAGES;
}

/* The user message: evidence blocks then the question. Text only, it is a string;
 * with images, an array of text and image_url parts in evidence order. */
static json_t *user_content(const wk_llm_opts *opts, const wk_doc *const *docs,
                            const wk_selection *sel, const char *question, int *nimages)
{
	json_t *parts = json_array();
	wk_buf b;
	wk_buf_init(&b, 0);
	int multi = 0;
	for (int i = 1; i < sel->n && !multi; i++)
		multi = sel->items[i].doc != sel->items[0].doc;
	wk_buf_puts(&b, sel->n ? "Evidence:\n\n" : "Evidence: none was found.\n\n");
	for (int i = 0; i < sel->n; i++) {
		const wk_evidence *ev = &sel->items[i];
		const wk_unit *u = evidence_unit(docs, ev);
		block_header(&b, docs, sel, i, multi);
		wk_buf_puts(&b, ev->text ? ev->text : "");
		wk_buf_puts(&b, "\n\n");
		json_t *img = wants_image(opts, u, *nimages) ? image_part(opts, docs[ev->doc], u) : NULL;
		if (img) {
			add_text_part(parts, &b);
			json_array_append_new(parts, img);
			(*nimages)++;
		}
	}
	wk_buf_printf(&b, "Question: %s\nAnswer (cite evidence ids like [%d]):", question,
	              sel->n ? wk_llm_evidence_id(sel, 0) : 1);
	json_t *content;
	if (*nimages == 0) {
		content = json_string(wk_buf_cstr(&b));
		json_decref(parts);
	} else {
		add_text_part(parts, &b);
		content = parts;
	}
	wk_buf_free(&b);
	return content;
}

int wk_llm_request(const wk_llm_opts *opts, const wk_doc *const *docs,
                   const wk_selection *sel, const char *question, json_t **body,
                   int *nimages, wk_error *err)
{
	*body = NULL;
	if (!opts || !sel || !question)
		return wk_set_error(err, WK_EINVAL, "language model: no options, evidence or question");
	int images = 0;
	json_t *content = user_content(opts, docs, sel, question, &images);
	if (!content)
		return wk_set_error(err, WK_EPROTO, "language model: evidence text is not valid UTF-8");
	json_t *req = json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:o}], s:i, s:f, s:b}",
	                        "model", opts->model ? opts->model : "default",
	                        "messages", "role", "system", "content", wk_llm_system_prompt,
	                        "role", "user", "content", content,
	                        "max_tokens", opts->max_tokens, "temperature", opts->temperature,
	                        "stream", opts->stream);
	if (!req)
		return wk_set_error(err, WK_EPROTO, "language model: cannot build the request");
	if (opts->stream)
		json_object_set_new(req, "stream_options", json_pack("{s:b}", "include_usage", 1));
	if (nimages)
		*nimages = images;
	*body = req;
	return WK_OK;
}

/* Reads one "[12]" or "[3, 7]" group at p (just after '['); returns the end or NULL. */
static const char *cite_group(const char *p, const wk_selection *sel, int *cited, int *n)
{
	const char *q = p;
	int ids[16], nid = 0;
	for (;;) {
		while (*q == ' ')
			q++;
		if (!isdigit((unsigned char)*q))
			return NULL;
		long v = strtol(q, (char **)&q, 10);
		if (nid < (int)WK_ARRAY_LEN(ids))
			ids[nid++] = v > 1000000000 ? -1 : (int)v;
		while (*q == ' ')
			q++;
		if (*q == ']')
			break;
		if (*q != ',' && *q != ';')
			return NULL;
		q++;
	}
	for (int k = 0; k < nid; k++)
		for (int i = 0; i < sel->n; i++) {
			if (wk_llm_evidence_id(sel, i) != ids[k])
				continue;
			int seen = 0;
			for (int j = 0; j < *n; j++)
				seen |= cited[j] == i;
			if (!seen)
				cited[(*n)++] = i;
		}
	return q + 1;
}

int wk_llm_cited(const wk_selection *sel, const char *text, int **cited)
{
	*cited = NULL;
	if (!sel || sel->n == 0 || !text)
		return 0;
	int *out = wk_xmalloc(sizeof *out * (size_t)sel->n);
	int n = 0;
	for (const char *p = strchr(text, '['); p; p = strchr(p, '[')) {
		const char *end = cite_group(p + 1, sel, out, &n);
		p = end ? end : p + 1;
	}
	if (n == 0) {
		free(out);
		return 0;
	}
	*cited = out;
	return n;
}

int wk_llm_says_unanswerable(const char *text)
{
	static const char *const marks[] = {
		"not answerable", "unanswerable", "does not contain the answer",
		"do not contain the answer", "doesn't contain the answer", "cannot be answered",
		"can't be answered", "does not provide", "do not provide", "no information about",
		"not mentioned in the evidence", "not enough information",
	};
	char *folded = text ? wk_utf8_fold(text) : NULL;
	if (!folded)
		return 0;
	/* Only the start counts: an answer that goes on after "not mentioned" may still
	 * answer; a refusal says so first, as the instruction asks. */
	size_t head = WK_MIN(strlen(folded), (size_t)160);
	folded[head] = '\0';
	int hit = 0;
	for (size_t i = 0; i < WK_ARRAY_LEN(marks) && !hit; i++)
		hit = strstr(folded, marks[i]) != NULL;
	free(folded);
	return hit;
}

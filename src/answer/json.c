/* json.c: the JSON of one asked question (docs/ask.md). */
#include "../util/util.h"

#include <jansson.h>
#include <string.h>

static json_t *box_json(const wk_box *b)
{
	return json_pack("{s:i,s:[f,f,f,f]}", "page", b->page, "rect", (double)b->x0,
	                 (double)b->y0, (double)b->x1, (double)b->y1);
}

/* The boxes of every unit the item spans (joined fragments have one box each); a table
 * trimmed to some of its rows has the box of those rows. */
static json_t *bbox_json(const wk_doc *doc, const wk_evidence *e)
{
	json_t *boxes = json_array();
	wk_box rows = {0};
	if (e->span <= 1 && e->idx >= 0 && e->idx < doc->nunits &&
	    wk_table_rows_box(doc, &doc->units[e->idx], e->text, &rows) > 0 && rows.page > 0) {
		json_array_append_new(boxes, box_json(&rows));
		return boxes;
	}
	int last = e->idx + (e->span > 1 ? e->span : 1) - 1;
	for (int k = e->idx; k <= last && k < doc->nunits; k++) {
		const wk_unit *u = &doc->units[k];
		for (int i = 0; i < u->nboxes; i++)
			json_array_append_new(boxes, box_json(&u->boxes[i]));
	}
	return boxes;
}

static json_t *doc_ref_json(const wk_doc *doc)
{
	char id[17];
	memcpy(id, doc->hash, 16);
	id[16] = '\0';
	return json_pack("{s:s,s:s,s:s}", "path", doc->path ? doc->path : "", "title",
	                 doc->title ? doc->title : "", "id", id);
}

static json_t *evidence_json(const wk_doc *const *docs, const wk_evidence *e)
{
	const wk_doc *doc = docs ? docs[e->doc] : NULL;
	const wk_unit *u = doc && e->idx >= 0 && e->idx < doc->nunits ? &doc->units[e->idx] : NULL;
	json_t *o = json_object();
	json_object_set_new(o, "idx", json_integer(e->idx));
	if (e->span > 1)
		json_object_set_new(o, "span", json_integer(e->span));
	if (u) {
		json_object_set_new(o, "type", json_string(wk_unit_type_name(u->type)));
		json_object_set_new(o, "page", json_integer(u->page));
		json_object_set_new(o, "bbox", bbox_json(doc, e));
		json_object_set_new(o, "section", json_string(wk_unit_section(doc, u)));
	}
	json_object_set_new(o, "text", json_string(e->text ? e->text : ""));
	if (u && (u->type == WK_UNIT_FIGURE || u->type == WK_UNIT_TABLE))
		json_object_set_new(o, "caption", json_string(u->caption ? u->caption : ""));
	else
		json_object_set_new(o, "caption", json_null());
	json_object_set_new(o, "score", json_real(e->score));
	json_object_set_new(o, "tokens", json_integer(e->tokens));
	if (doc) /* one shape everywhere: every item names its document */
		json_object_set_new(o, "doc", doc_ref_json(doc));
	return o;
}

static void add_answer(json_t *root, const wk_answer *a)
{
	if (!a) {
		json_object_set_new(root, "answer", json_null());
		return;
	}
	json_object_set_new(root, "answer", json_string(a->text ? a->text : ""));
	json_object_set_new(root, "found", json_boolean(a->found));
	json_object_set_new(root, "quote", a->quote ? json_string(a->quote) : json_null());
	json_object_set_new(root, "quote_page", json_integer(a->quote_page));
	json_object_set_new(root, "answer_type",
	                    a->answer_type ? json_string(a->answer_type) : json_null());
	json_t *cited = json_array();
	for (int i = 0; i < a->ncited; i++)
		json_array_append_new(cited, json_integer(a->cited[i]));
	json_object_set_new(root, "cited", cited);
	json_object_set_new(root, "mode", json_string(a->mode ? a->mode : "extractive"));
	json_object_set_new(root, "usage", json_pack("{s:i,s:i}", "prompt_tokens", a->prompt_tokens,
	                                            "completion_tokens", a->completion_tokens));
}

/* The ask JSON as a value; NULL without a question or selection. */
static json_t *ask_json(const char *question, const wk_doc *const *docs, const wk_selection *sel,
                        const wk_answer *answer, const wk_timing *ms)
{
	if (!question || !sel)
		return NULL;
	json_t *root = json_object();
	json_object_set_new(root, "question", json_string(question));
	add_answer(root, answer);
	json_t *ev = json_array();
	for (int i = 0; i < sel->n; i++)
		json_array_append_new(ev, evidence_json(docs, &sel->items[i]));
	json_object_set_new(root, "evidence", ev);
	json_object_set_new(root, "tokens", json_integer(sel->tokens));
	json_object_set_new(root, "doc_tokens", json_integer(sel->doc_tokens));
	if (ms)
		json_object_set_new(root, "ms", json_pack("{s:f,s:f,s:f}", "parse", ms->parse,
		                                          "sample", ms->sample, "answer", ms->answer));
	return root;
}

static int dump(json_t *root, char **out, size_t *len, wk_error *err)
{
	char *s = wk_json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!s)
		return wk_set_error(err, WK_ENOMEM, "cannot serialise the answer");
	*out = s;
	if (len)
		*len = strlen(s);
	return WK_OK;
}

int wk_ask_to_json(const char *question, const wk_doc *const *docs, const wk_selection *sel,
                   const wk_answer *answer, const wk_timing *ms, char **out, size_t *len,
                   wk_error *err)
{
	*out = NULL;
	if (len)
		*len = 0;
	json_t *root = ask_json(question, docs, sel, answer, ms);
	if (!root)
		return wk_set_error(err, WK_EINVAL, "ask JSON: no question or selection");
	return dump(root, out, len, err);
}

int wk_ask_result_to_json(const wk_ask_result *r, char **out, size_t *len, wk_error *err)
{
	*out = NULL;
	if (len)
		*len = 0;
	json_t *root = r ? ask_json(r->question, r->docs, r->sel, r->answer, &r->ms) : NULL;
	if (!root)
		return wk_set_error(err, WK_EINVAL, "ask JSON: no result");
	if (!r->answer) /* the model failed and there was no fallback */
		json_object_set_new(root, "mode", json_string(wk_ask_mode_name(r->mode)));
	if (r->model_error.code)
		json_object_set_new(root, "llm_error", json_string(r->model_error.message));
	if (r->embed_error.code)
		json_object_set_new(root, "embed_error", json_string(r->embed_error.message));
	return dump(root, out, len, err);
}

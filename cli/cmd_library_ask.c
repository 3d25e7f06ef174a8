/* cmd_library_ask.c: `wukong ask --library "Q"` and `wukong ask DOC "Q"` for a library
 * document: two-stage sampling in the library, an extractive answer, every evidence unit
 * named with its document. cmd_ask.c parses the options and calls wk_cli_ask_library. */
#include "cli.h"
#include "library_cli.h"
#include "cli_llm.h" /* llm: answers from the language model */

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_CHARS 400

/* The document of every evidence unit, even when they all come from one. */
static json_t *doc_ref(const wk_doc *doc)
{
	char id[17];
	snprintf(id, sizeof id, "%.16s", doc->hash);
	return json_pack("{s:s,s:s,s:s}", "path", doc->path ? doc->path : "", "title",
	                 doc->title ? doc->title : "", "id", id);
}

static int print_json(const char *question, wk_doc **docs, const wk_selection *sel,
                      const wk_answer *ans, const wk_timing *ms, wk_error *err)
{
	char *text = NULL;
	int rc = wk_ask_to_json(question, (const wk_doc *const *)docs, sel, ans, ms, &text, NULL,
	                        err);
	if (rc)
		return rc;
	json_t *root = json_loads(text, 0, NULL);
	wk_free(text);
	json_t *ev = json_object_get(root, "evidence");
	for (size_t i = 0; i < json_array_size(ev) && (int)i < sel->n; i++) {
		json_t *item = json_array_get(ev, i);
		if (!json_object_get(item, "doc"))
			json_object_set_new(item, "doc", doc_ref(docs[sel->items[i].doc]));
	}
	char *out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(root);
	if (!out) {
		err->code = WK_ENOMEM;
		snprintf(err->message, sizeof err->message, "cannot write the answer's JSON");
		return WK_ENOMEM;
	}
	printf("%s\n", out);
	free(out);
	return WK_OK;
}

static const char *doc_name(const wk_doc *doc)
{
	const char *slash = doc->path ? strrchr(doc->path, '/') : NULL;
	return slash ? slash + 1 : doc->path ? doc->path : "?";
}

static void print_plain(wk_doc **docs, const wk_selection *sel, const wk_answer *ans,
                        int streamed)
{
	if (ans->mode && !strcmp(ans->mode, "extractive-fallback")) /* llm */
		printf("(extractive answer: the language model failed)\n");
	if (!streamed) /* llm: the model's answer was shown as it arrived */
		printf("%s", ans->text);
	for (int i = 0; i < ans->ncited; i++) {
		const wk_evidence *e = &sel->items[ans->cited[i]];
		printf(" [%d, %s p.%d]", ans->cited[i] + 1, doc_name(docs[e->doc]),
		       docs[e->doc]->units[e->idx].page);
	}
	printf("\n\nEvidence: %d units, %d tokens\n", sel->n, sel->tokens);
	for (int i = 0; i < sel->n; i++) {
		const wk_evidence *e = &sel->items[i];
		const wk_doc *d = docs[e->doc];
		const wk_unit *u = &d->units[e->idx];
		const char *section = wk_unit_section(d, u);
		printf("\n[%d] %s, page %d, %s%s%s, score %.2f, %d tokens\n", i + 1, doc_name(d),
		       u->page, wk_unit_type_name(u->type), *section ? ", " : "", section, e->score,
		       e->tokens);
		int n = (int)strlen(e->text);
		int cut = n > SHOW_CHARS ? SHOW_CHARS : n;
		while (cut > 0 && cut < n && ((unsigned char)e->text[cut] & 0xC0) == 0x80)
			cut--; /* not inside a UTF-8 sequence */
		printf("    %.*s%s\n", cut, e->text, cut < n ? " ..." : "");
	}
}

static int answer(const char *question, wk_doc **docs, int ndocs, const wk_selection *sel,
                  int json, wk_timing *ms, const cli_llm *llm, int *backend, wk_error *err)
{
	wk_answer *ans = NULL;
	double t0 = wk_cli_now();
	/* llm: the language model when one is on, else extractive */
	const wk_doc *const *cdocs = (const wk_doc *const *)docs;
	int rc = !ndocs ? WK_OK
	         : llm  ? cli_llm_answer(llm, cdocs, sel, question, &ans, backend, err)
	                : wk_answer_extractive(cdocs, sel, question, &ans, err);
	ms->answer = wk_cli_now() - t0;
	if (!rc && json)
		rc = print_json(question, docs, sel, ans, ms, err);
	else if (!rc && !ndocs)
		printf("No document in the library shares a word with the question.\n");
	else if (!rc)
		print_plain(docs, sel, ans, cli_llm_streamed(llm, ans));
	wk_answer_free(ans);
	return rc;
}

int wk_cli_ask_library(const char *db, const char *doc, const char *question, int budget,
                       int json, const struct cli_llm *llm)
{
	int backend = 0; /* llm */
	wk_error err = {0};
	if (wk_question_check(question, &err))
		return cli_usage_error("ask", "%s", err.message);
	wk_library *lib = NULL;
	if (wk_library_open(db, &lib, &err))
		return cli_fail(&err);
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	if (budget > 0)
		opts.budget = budget;
	wk_selection *sel = NULL;
	wk_doc **docs = NULL;
	int ndocs = 0;
	wk_timing ms = {0};
	double t0 = wk_cli_now();
	int rc = wk_library_ask(lib, doc, question, &opts, &sel, &docs, &ndocs, &err);
	ms.sample = wk_cli_now() - t0;
	if (!rc)
		rc = answer(question, docs, ndocs, sel, json, &ms, llm, &backend, &err);
	fflush(stdout);
	wk_selection_free(sel);
	wk_docs_free(docs, ndocs);
	wk_library_close(lib);
	if (rc == WK_ENOTFOUND && doc) {
		fprintf(stderr, "wukong ask: %s: no such file, nor a library document by that name "
		                "(see `wukong ls`)\n", doc);
		return EXIT_INPUT;
	}
	return rc ? cli_llm_fail(&err, backend) : 0; /* llm: exit 3 for the model */
}

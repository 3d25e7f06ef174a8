/* minimal.c: the smallest wukong program: parse a PDF, sample evidence, answer.
 * Build against an installed wukong: cc minimal.c $(pkg-config --cflags --libs wukong) */
#include <stdio.h>
#include <wukong.h>

int main(int argc, char **argv)
{
	wk_parse_opts po;
	wk_ask_opts ao;
	wk_error err;
	wk_doc *doc = NULL;
	wk_index *ix = NULL;
	wk_selection *sel = NULL;
	wk_answer *ans = NULL;
	if (argc < 3) return 2;
	wk_parse_opts_init(&po);
	wk_ask_opts_init(&ao);
	if (wk_parse_file(argv[1], &po, &doc, &err) || wk_index_new(doc, &ix, &err) ||
	    wk_sample(ix, argv[2], &ao, &sel, &err) ||
	    wk_answer_extractive((const wk_doc *const *)&doc, sel, argv[2], &ans, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return 2;
	}
	printf("%s\n", ans->text);
	wk_answer_free(ans);
	wk_selection_free(sel);
	wk_index_free(ix);
	wk_doc_free(doc);
	return 0;
}

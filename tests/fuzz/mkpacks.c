/* mkpacks.c: the pack fuzzer's seeds: the document pack and the index pack of the fixed
 * document (tests/support/mkdoc.c), and of an empty one.
 * usage: mkpacks DIR */
#include <stdio.h>

#include "../../src/doc/doc.h"
#include "../../src/sample/sample.h"
#include "../support/mkdoc.h"

static int write_packs(const char *dir, const char *name, wk_doc *doc)
{
	wk_index *ix = NULL;
	wk_buf dp, ip;
	wk_buf_init(&dp, 0);
	wk_buf_init(&ip, 0);
	int rc = wk_doc_pack(doc, &dp, NULL);
	if (!rc)
		rc = wk_index_new(doc, &ix, NULL);
	if (!rc)
		rc = wk_index_pack(ix, &ip, NULL);
	char path[4200];
	snprintf(path, sizeof path, "%s/%s.doc", dir, name);
	if (!rc)
		rc = wk_write_file_atomic(path, dp.data, dp.len, NULL);
	snprintf(path, sizeof path, "%s/%s.ix", dir, name);
	if (!rc)
		rc = wk_write_file_atomic(path, ip.data, ip.len, NULL);
	wk_index_free(ix);
	wk_buf_free(&dp);
	wk_buf_free(&ip);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkpacks DIR\n");
		return 2;
	}
	wk_doc *rich = mk_rich_doc(), *empty = wk_doc_new();
	wk_doc_finish(empty);
	int rc = write_packs(argv[1], "rich", rich) || write_packs(argv[1], "empty", empty);
	wk_doc_free(rich);
	wk_doc_free(empty);
	if (rc)
		fprintf(stderr, "mkpacks: cannot write the seeds in %s\n", argv[1]);
	return rc ? 1 : 0;
}

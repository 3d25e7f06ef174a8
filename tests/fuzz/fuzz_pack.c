/* fuzz_pack.c: libFuzzer harness for what the library reads back from its database: any
 * bytes as a document pack, and as an index pack of a fixed document (tests/support/
 * mkdoc.c). A database file can be damaged or made by someone else; reading it must
 * refuse or succeed, never crash. A pack that reads must pack and read again the same,
 * and an index that reads must sample. Seeds: tests/fuzz/mkpacks.c.
 * Built and run by tests/fuzz/Makefile (`make fuzz-pack FUZZ_SECONDS=60`). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../src/doc/doc.h"
#include "../../src/sample/sample.h"
#include "../support/mkdoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void doc_round_trip(const wk_doc *doc)
{
	wk_buf b;
	wk_buf_init(&b, 0);
	wk_doc *back = NULL;
	if (wk_doc_pack(doc, &b, NULL) != WK_OK || wk_doc_unpack(b.data, b.len, &back, NULL) != WK_OK ||
	    back->nunits != doc->nunits || back->npages != doc->npages)
		abort(); /* what reads once must read again */
	wk_doc_free(back);
	wk_buf_free(&b);
}

static void sample(const wk_index *ix)
{
	static const char *const questions[] = {"How much did revenue grow in Figure 1?",
	                                        "Which region leads Table 2 on page 2?",
	                                        "What is in section 1.1?"};
	for (size_t i = 0; i < sizeof questions / sizeof *questions; i++) {
		wk_selection *sel = NULL;
		if (wk_sample(ix, questions[i], NULL, &sel, NULL) == WK_OK)
			wk_selection_free(sel);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static wk_doc *fixed; /* the document the index seeds were made for */
	if (!fixed)
		fixed = mk_rich_doc();
	wk_doc *doc = NULL;
	if (wk_doc_unpack(data, size, &doc, NULL) == WK_OK) {
		doc_round_trip(doc);
		wk_index *ix = NULL;
		if (wk_index_new(doc, &ix, NULL) == WK_OK)
			sample(ix);
		wk_index_free(ix);
		wk_doc_free(doc);
	}
	wk_index *ix = NULL;
	if (wk_index_unpack(fixed, data, size, &ix, NULL) == WK_OK)
		sample(ix);
	wk_index_free(ix);
	return 0;
}

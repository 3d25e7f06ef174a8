/* fuzz_parse.c: libFuzzer harness for the parser: any bytes through wk_parse_memory and,
 * when a document comes out, through its JSON and back. Limits are small so that an
 * input that hits them costs milliseconds, not the fuzzer's time budget; OCR is off
 * (Tesseract is not what we fuzz and takes a second per page).
 * Built and run by tests/fuzz/Makefile (`make fuzz FUZZ_SECONDS=60`). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "wukong.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const wk_doc *doc)
{
	char *json = NULL;
	size_t len = 0;
	if (wk_doc_to_json(doc, &json, &len, NULL) == WK_OK) {
		wk_doc *back = NULL;
		if (wk_doc_from_json(json, len, &back, NULL) == WK_OK && back->nunits != doc->nunits)
			abort(); /* the JSON lost units: a bug worth a crash report */
		wk_doc_free(back);
	}
	wk_free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wk_parse_opts opts;
	wk_parse_opts_init(&opts);
	opts.threads = 1;
	opts.max_pages = 16;
	opts.timeout = 5;
	opts.max_memory = (size_t)128 << 20;
	opts.ocr = WK_OCR_NEVER;
	wk_doc *doc = NULL;
	wk_error err;
	if (wk_parse_memory(data, size, "fuzz.pdf", &opts, &doc, &err) == WK_OK)
		round_trip(doc);
	wk_doc_free(doc);
	return 0;
}

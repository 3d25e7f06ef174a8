/* fuzz_budget.c: libFuzzer harness for the budgets (issue 17): any bytes through
 * wk_parse_memory under a server's kind of budget (a memory budget shared as between
 * upload slots, a deadline), scaled down so that each input costs at most seconds:
 * 256 MB and 2 s. An input that makes the parse overrun its budget is a finding (abort):
 * - it spends more than 1 s of CPU past its deadline (work that no budget check reaches;
 *   CPU rather than wall time, so that a busy machine does not make findings);
 * - MuPDF held more than the budget at once (the allocator let it through);
 * - the process grew by more than the budget + 200 MB (memory outside MuPDF's allocator
 *   that grows with the input: our own copies).
 * Built and run by tests/fuzz/Makefile (`make fuzz-budget FUZZ_SECONDS=600`). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wukong.h"

enum { BUDGET_MB = 256, SLACK_MB = 200 };
static const double DEADLINE_S = 2.0, LATE_S = 1.0;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_mb(void)
{
	char line[256];
	long kb = 0;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb >> 10;
}

static void finding(const char *what, double value, double bound)
{
	fprintf(stderr, "budget overrun: %s: %.1f, more than %.1f\n", what, value, bound);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static wk_budget *shared;
	if (!shared)
		shared = wk_budget_new((size_t)BUDGET_MB << 20);
	wk_parse_opts opts;
	wk_parse_opts_init(&opts);
	opts.threads = 1;
	opts.max_pages = 16;
	opts.timeout = DEADLINE_S;
	opts.max_memory = (size_t)BUDGET_MB << 20;
	opts.shared = shared;
	opts.ocr = WK_OCR_NEVER;
	long rss0 = rss_mb();
	double t0 = cpu_s();
	wk_doc *doc = NULL;
	wk_error err;
	wk_parse_memory(data, size, "fuzz.pdf", &opts, &doc, &err);
	double took = cpu_s() - t0;
	long grown = rss_mb() - rss0;
	wk_doc_free(doc);
	if (took > DEADLINE_S + LATE_S)
		finding("CPU seconds", took, DEADLINE_S + LATE_S);
	if (wk_budget_peak(shared) > ((size_t)BUDGET_MB << 20))
		finding("MB held by MuPDF", (double)(wk_budget_peak(shared) >> 20), BUDGET_MB);
	if (grown > BUDGET_MB + SLACK_MB)
		finding("MB of process growth", (double)grown, BUDGET_MB + SLACK_MB);
	return 0;
}

/* mklibrary.c: writes N varied PDFs into a folder (for the library tests and bench):
 * mklibrary DIR N PAGES [FIRST_SEED] */
#include "../support/mklib.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: mklibrary DIR N PAGES [FIRST_SEED]\n");
		return 2;
	}
	int n = atoi(argv[2]), pages = atoi(argv[3]);
	unsigned first = argc > 4 ? (unsigned)atoi(argv[4]) : 0;
	char path[4096];
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/doc%04d.pdf", argv[1], i);
		mk_library_pdf(path, first + (unsigned)i, pages);
	}
	return 0;
}

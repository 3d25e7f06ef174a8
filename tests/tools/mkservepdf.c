/* mkservepdf.c: writes the zebra survey PDF of tests/support/mkserve.h to argv[1], for
 * the browser test and the load benchmark. */
#include "../support/mkserve.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkservepdf OUT.pdf\n");
		return 2;
	}
	mk_serve_zebra_pdf(argv[1]);
	return 0;
}

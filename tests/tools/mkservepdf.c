/* mkservepdf.c: writes the zebra survey PDF of tests/support/mkserve.h to OUT.pdf, for
 * the browser test and the load benchmark; with --locked PASSWORD, a two-page PDF
 * encrypted with that password instead (the browser test's password prompt). */
#include "../support/mkhostile.h"
#include "../support/mkserve.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--locked")) {
		mkh_valid(argv[3], 2, argv[2]);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-') { /* "--help" is no file name to write to */
		fprintf(stderr, "usage: mkservepdf OUT.pdf\n       mkservepdf --locked PASSWORD OUT.pdf\n");
		return 2;
	}
	mk_serve_zebra_pdf(argv[1]);
	return 0;
}

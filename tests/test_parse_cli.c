/* test_parse_cli.c: `wukong parse` as a user runs it ($WK_BIN): output, exit statuses and
 * one-line errors that name the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "support/mkflow.h"
#include "support/mkrun.h"

static char paper[512];

/* Runs `wukong parse ARGS`, returns the exit status; stdout and stderr go to files. */
static int run(const char *args, char *out, size_t outlen, char *errtxt, size_t errlen)
{
	const char *bin = getenv("WK_BIN");
	if (!bin)
		fail_msg("WK_BIN is not set");
	char outp[600], errp[600], cmd[4096];
	snprintf(outp, sizeof outp, "%s", mk_tmp_path("-out.txt"));
	snprintf(errp, sizeof errp, "%s", mk_tmp_path("-err.txt"));
	snprintf(cmd, sizeof cmd, "'%s' parse %s >'%s' 2>'%s'", bin, args, outp, errp);
	int st = system(cmd);
	const char *paths[2] = {outp, errp};
	char *bufs[2] = {out, errtxt};
	size_t lens[2] = {outlen, errlen};
	for (int i = 0; i < 2; i++) {
		if (!bufs[i])
			continue;
		FILE *fp = fopen(paths[i], "rb");
		size_t n = fp ? fread(bufs[i], 1, lens[i] - 1, fp) : 0;
		bufs[i][n] = '\0';
		if (fp)
			fclose(fp);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int setup(void **state)
{
	(void)state;
	snprintf(paper, sizeof paper, "%s", mk_tmp_path("-cli.pdf"));
	mk_pdf *pdf = mk_new();
	mk_flow f;
	mk_flow_init(&f, pdf, 2, "Proceedings of Tests");
	mk_flow_banner(&f, "Times-Bold", 16, "A Small Paper");
	mk_flow_start_columns(&f, 12);
	mk_flow_heading(&f, "Times-Bold", 12, "1 Introduction");
	mk_flow_para(&f, "This short paper has one section and one paragraph of text, which is "
	                 "enough to check the command line.", 0);
	mk_flow_reserve(&f, 40);
	mk_rect(pdf, 60, 200, 100, 30, 0);
	mk_text(pdf, "Times-Roman", 9, 60, 245, "Figure 1: A box.");
	mk_save(pdf, paper, NULL);
	return 0;
}

static void test_plain_text_lists_units_with_type_page_and_section(void **state)
{
	(void)state;
	static char out[65536], err[4096];
	char args[700];
	snprintf(args, sizeof args, "'%s'", paper);
	assert_int_equal(run(args, out, sizeof out, err, sizeof err), 0);
	assert_non_null(strstr(out, "heading p1: 1 Introduction"));
	assert_non_null(strstr(out, "text p1 {1 Introduction}: This short paper has one section"));
	assert_string_equal(err, "");
}

static void test_json_output_has_units_and_metadata(void **state)
{
	(void)state;
	static char out[65536];
	char args[700];
	snprintf(args, sizeof args, "--json --threads 2 '%s'", paper);
	assert_int_equal(run(args, out, sizeof out, NULL, 0), 0);
	assert_non_null(strstr(out, "\"units\":["));
	assert_non_null(strstr(out, "\"title\":\"A Small Paper\""));
	assert_non_null(strstr(out, "\"type\":\"heading\""));
	assert_int_equal(mk_lines(out), 1);
}

static void test_figures_option_writes_png_crops(void **state)
{
	(void)state;
	static char out[65536];
	char dir[600], args[1400], png[1400];
	snprintf(dir, sizeof dir, "%s", mk_tmp_path("-crops/sub"));
	snprintf(args, sizeof args, "--json --figures '%s' --dpi 72 '%s'", dir, paper);
	assert_int_equal(run(args, out, sizeof out, NULL, 0), 0);
	const char *stem = strrchr(paper, '/') + 1;
	snprintf(png, sizeof png, "%s/%.*s-p1-figure-1.png", dir, (int)(strlen(stem) - 4), stem);
	FILE *fp = fopen(png, "rb");
	if (!fp)
		fail_msg("no crop %s; output %s", png, out);
	unsigned char sig[8] = {0};
	assert_int_equal(fread(sig, 1, 8, fp), 8);
	fclose(fp);
	assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
	assert_non_null(strstr(out, "\"image\":"));
}

/* Bad input: exit 2 and one line on stderr that names the file. */
static void expect_refusal(const char *args, const char *file, const char *reason)
{
	static char err[4096];
	assert_int_equal(run(args, NULL, 0, err, sizeof err), 2);
	assert_int_equal(mk_lines(err), 1);
	assert_non_null(strstr(err, file));
	assert_non_null(strstr(err, reason));
	assert_int_equal(strncmp(err, "wukong", 6), 0);
}

static void test_bad_files_exit_2_with_one_line_naming_the_file(void **state)
{
	(void)state;
	expect_refusal("/no/such/paper.pdf", "/no/such/paper.pdf", "No such file");
	char txt[600], args[700];
	snprintf(txt, sizeof txt, "%s", mk_tmp_path("-text.pdf"));
	FILE *fp = fopen(txt, "w");
	fputs("hello\n", fp);
	fclose(fp);
	snprintf(args, sizeof args, "'%s'", txt);
	expect_refusal(args, txt, "not a PDF");
	char secret[600];
	snprintf(secret, sizeof secret, "%s", mk_tmp_path("-secret.pdf"));
	mk_pdf *pdf = mk_new();
	mk_page(pdf, 300, 300);
	mk_text(pdf, "Times-Roman", 12, 30, 60, "Secret text.");
	mk_save(pdf, secret, "pw");
	snprintf(args, sizeof args, "'%s'", secret);
	expect_refusal(args, secret, "password");
	snprintf(args, sizeof args, "--password pw '%s'", secret);
	assert_int_equal(run(args, NULL, 0, NULL, 0), 0);
	char scan[600];
	snprintf(scan, sizeof scan, "%s", mk_tmp_path("-scan.pdf"));
	pdf = mk_new();
	mk_page(pdf, 300, 300);
	mk_image(pdf, 10, 10, 280, 280, 16, 16);
	mk_save(pdf, scan, NULL);
	snprintf(args, sizeof args, "--ocr never '%s'", scan);
	expect_refusal(args, scan, "no text layer");
}

static void test_bad_options_exit_2(void **state)
{
	(void)state;
	char args[700];
	snprintf(args, sizeof args, "--pages 5-2 '%s'", paper);
	assert_int_equal(run(args, NULL, 0, NULL, 0), 2);
	snprintf(args, sizeof args, "--dpi 0 '%s'", paper);
	assert_int_equal(run(args, NULL, 0, NULL, 0), 2);
	snprintf(args, sizeof args, "--ocr sometimes '%s'", paper);
	assert_int_equal(run(args, NULL, 0, NULL, 0), 2);
	assert_int_equal(run("", NULL, 0, NULL, 0), 2);
	snprintf(args, sizeof args, "--pages 9 '%s'", paper);
	expect_refusal(args, paper, "page range");
	snprintf(args, sizeof args, "--max-pages 1 --pages 1 '%s'", paper);
	assert_int_equal(run(args, NULL, 0, NULL, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_lists_units_with_type_page_and_section),
		cmocka_unit_test(test_json_output_has_units_and_metadata),
		cmocka_unit_test(test_figures_option_writes_png_crops),
		cmocka_unit_test(test_bad_files_exit_2_with_one_line_naming_the_file),
		cmocka_unit_test(test_bad_options_exit_2),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

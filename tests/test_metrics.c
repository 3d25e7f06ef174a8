/* test_metrics.c: answer metrics (ANLS, token F1, ROUGE-L, MMLongBench-Doc's scoring) and
 * percentiles, against values computed by hand (the arithmetic is in the comments). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../src/eval/eval.h"

#define EPS 1e-6

static double anls1(const char *pred, const char *gold)
{
	const char *g[1] = {gold};
	return wk_eval_anls(pred, g, 1);
}

static void test_levenshtein_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(wk_eval_levenshtein("kitten", "sitting"), 3);
	assert_int_equal(wk_eval_levenshtein("", "abc"), 3);
	assert_int_equal(wk_eval_levenshtein("caf\xc3\xa9", "cafe"), 1); /* one code point */
	assert_int_equal(wk_eval_levenshtein("same", "same"), 0);
}

static void test_anls_is_one_minus_normalised_distance_below_threshold(void **state)
{
	(void)state;
	assert_float_equal(anls1("  Paris ", "paris"), 1.0, EPS);
	assert_float_equal(anls1("kitten", "sitting"), 1.0 - 3.0 / 7.0, EPS); /* 3 edits / 7 */
	assert_float_equal(anls1("ab", "ac"), 0.0, EPS); /* NL = 0.5 is not below 0.5 */
	assert_float_equal(anls1("abc", "xyz"), 0.0, EPS);
	assert_float_equal(anls1("caf\xc3\xa9", "cafe"), 0.75, EPS); /* 1 edit / 4 */
	const char *gold[2] = {"dog", "cats"};
	assert_float_equal(wk_eval_anls("cat", gold, 2), 0.75, EPS); /* max: 1 - 1/4 */
	assert_float_equal(wk_eval_anls("cat", gold, 0), 0.0, EPS);
}

static void test_token_f1_follows_squad_normalisation(void **state)
{
	(void)state;
	const char *g1[1] = {"a cat on a mat"};
	/* pred {cat, sat, on, mat}, gold {cat, on, mat}: P 3/4, R 1, F 2*.75/1.75 */
	assert_float_equal(wk_eval_f1("The cat sat on the mat", g1, 1), 1.5 / 1.75, EPS);
	const char *g2[1] = {"hello world"};
	assert_float_equal(wk_eval_f1("Hello, world!", g2, 1), 1.0, EPS);
	const char *g3[1] = {"x y y"};
	/* common multiset {x, y}: P 2/3, R 2/3 */
	assert_float_equal(wk_eval_f1("x x y", g3, 1), 2.0 / 3.0, EPS);
	const char *g4[1] = {"a"};
	assert_float_equal(wk_eval_f1("the", g4, 1), 1.0, EPS); /* both empty after articles */
	const char *g5[2] = {"nothing here", "cat"};
	assert_float_equal(wk_eval_f1("dog", g5, 2), 0.0, EPS);
	assert_float_equal(wk_eval_f1("cat", g5, 2), 1.0, EPS); /* max over gold answers */
}

static void test_rouge_l_uses_the_longest_common_subsequence(void **state)
{
	(void)state;
	const char *g1[1] = {"police kill the gunman"};
	/* [police killed gunman] vs [police kill gunman]: LCS 2, P = R = 2/3 */
	assert_float_equal(wk_eval_rouge_l("police killed the gunman", g1, 1), 2.0 / 3.0, EPS);
	const char *g2[1] = {"police killed gunman"};
	/* order matters: LCS of [gunman police killed] and [police killed gunman] is 2 */
	assert_float_equal(wk_eval_rouge_l("gunman police killed", g2, 1), 2.0 / 3.0, EPS);
	assert_float_equal(wk_eval_f1("gunman police killed", g2, 1), 1.0, EPS);
	const char *g3[1] = {"x z"};
	/* LCS 2: P 2/4, R 1, F 2 * .5 / 1.5 */
	assert_float_equal(wk_eval_rouge_l("w x y z", g3, 1), 2.0 / 3.0, EPS);
}

static void test_mmlongbench_int_is_exact(void **state)
{
	(void)state;
	assert_float_equal(wk_eval_mmlb_score("8", "8", "Int"), 1.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("8", "8.0", "Int"), 1.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("8", "9", "Int"), 0.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("8", "eight", "Int"), 0.0, EPS);
}

static void test_mmlongbench_float_allows_one_percent_and_percent_scaling(void **state)
{
	(void)state;
	assert_float_equal(wk_eval_mmlb_score("18.29%", "18.29", "Float"), 1.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("18.29%", "0.1829", "Float"), 1.0, EPS);
	/* |18.4 - 18.29| = 0.11 <= 1% of 18.4 */
	assert_float_equal(wk_eval_mmlb_score("18.29%", "18.4", "Float"), 1.0, EPS);
	/* 0.71 > 1%; rounded to 2 places 19.00 != 18.29 */
	assert_float_equal(wk_eval_mmlb_score("18.29%", "19", "Float"), 0.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("0.45", "45%", "Float"), 1.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("$466.43", "466.43", "Float"), 1.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("7.0", "n/a", "Float"), 0.0, EPS);
}

static void test_mmlongbench_str_uses_anls_unless_exact_kind(void **state)
{
	(void)state;
	/* one substitution in 13 code points */
	assert_float_equal(wk_eval_mmlb_score("Less well-off", "less well off", "Str"),
	                   1.0 - 1.0 / 13.0, EPS);
	/* dates must match exactly, though ANLS would give 0.9 */
	assert_float_equal(wk_eval_mmlb_score("2019-01-17", "2019-01-18", "Str"), 0.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("300 million", "300", "Str"), 1.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("Not answerable", "not answerable", "None"), 1.0,
	                   EPS);
	assert_float_equal(wk_eval_mmlb_score("Not answerable", "Paris", "None"), 0.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("john@example.com", "john@example.org", "Str"), 0.0,
	                   EPS);
}

static void test_mmlongbench_list_ignores_order(void **state)
{
	(void)state;
	assert_float_equal(wk_eval_mmlb_score("['White', '10%']", "['10%', 'white']", "List"), 1.0,
	                   EPS);
	assert_float_equal(wk_eval_mmlb_score("['White', '10%']", "['white']", "List"), 0.0, EPS);
	/* min ANLS of the sorted pairs: "the economist" vs "the economist." = 1 - 1/14 */
	assert_float_equal(
	    wk_eval_mmlb_score("['The Economist', 'TIME']", "['Time', 'The Economist.']", "List"),
	    1.0 - 1.0 / 14.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("[16, 19, 25]", "[25, 16, 19]", "List"), 1.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("[16, 19, 25]", "[25, 16, 18]", "List"), 0.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("[]", "[]", "List"), 1.0, EPS);
	assert_float_equal(wk_eval_mmlb_score("['a']", "[]", "List"), 0.0, EPS);
}

static void test_short_answer_takes_the_first_number_or_not_answerable(void **state)
{
	(void)state;
	char *s = wk_eval_short_answer("There were 1,234 cases in 2019.", 1, "Int");
	assert_string_equal(s, "1234");
	free(s);
	s = wk_eval_short_answer("About 45% of them, and -3.5 points.", 1, "Float");
	assert_string_equal(s, "45%");
	free(s);
	s = wk_eval_short_answer("The blue one.", 1, "Str");
	assert_string_equal(s, "The blue one.");
	free(s);
	s = wk_eval_short_answer("anything", 0, "Int");
	assert_string_equal(s, "Not answerable");
	free(s);
}

static void test_short_answer_makes_an_enumeration_a_list_for_list_questions(void **state)
{
	(void)state;
	char *s = wk_eval_short_answer("Industrial; Safety and Graphics; and Consumer.", 1, "List");
	assert_string_equal(s, "[\"Industrial\", \"Safety and Graphics\", \"Consumer\"]");
	free(s);
	s = wk_eval_short_answer("red, green and 5\" wide", 1, "List");
	assert_string_equal(s, "[\"red\", \"green\", \"5\\\" wide\"]");
	free(s);
	s = wk_eval_short_answer("packaging, and shipping and handling", 1, "List");
	assert_string_equal(s, "[\"packaging\", \"shipping and handling\"]");
	free(s);
	assert_float_equal(wk_eval_mmlb_score("['green', 'red']", "red and green", "List"), 0.0, EPS);
	s = wk_eval_short_answer("red and green", 1, "List");
	assert_float_equal(wk_eval_mmlb_score("['green', 'red']", s, "List"), 1.0, EPS);
	free(s);
}

static void test_percentile_interpolates_between_ranks(void **state)
{
	(void)state;
	double v[4] = {4, 1, 3, 2};
	assert_float_equal(wk_eval_percentile(v, 4, 50), 2.5, EPS);  /* rank 1.5 */
	assert_float_equal(wk_eval_percentile(v, 4, 95), 3.85, EPS); /* rank 2.85 */
	assert_float_equal(wk_eval_percentile(v, 4, 0), 1.0, EPS);
	double one[1] = {5};
	assert_float_equal(wk_eval_percentile(one, 1, 95), 5.0, EPS);
	assert_float_equal(wk_eval_percentile(NULL, 0, 50), 0.0, EPS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_levenshtein_counts_code_points),
	    cmocka_unit_test(test_anls_is_one_minus_normalised_distance_below_threshold),
	    cmocka_unit_test(test_token_f1_follows_squad_normalisation),
	    cmocka_unit_test(test_rouge_l_uses_the_longest_common_subsequence),
	    cmocka_unit_test(test_mmlongbench_int_is_exact),
	    cmocka_unit_test(test_mmlongbench_float_allows_one_percent_and_percent_scaling),
	    cmocka_unit_test(test_mmlongbench_str_uses_anls_unless_exact_kind),
	    cmocka_unit_test(test_mmlongbench_list_ignores_order),
	    cmocka_unit_test(test_short_answer_takes_the_first_number_or_not_answerable),
	    cmocka_unit_test(test_short_answer_makes_an_enumeration_a_list_for_list_questions),
	    cmocka_unit_test(test_percentile_interpolates_between_ranks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

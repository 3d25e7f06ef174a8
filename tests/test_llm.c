/* test_llm.c: the language model backend against a real HTTP server on loopback
 * ($WK_TOOLS/fake_llm), which records every request: what wukong sends (system prompt,
 * evidence ids and texts, images only with vision, the budget), what it reads back
 * (answer, citations, usage, streamed pieces), and how each failure ends (code, one line,
 * retries with backoff, bounded time). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../src/answer/llm.h"
#include "../src/doc/doc.h"
#include "support/mkfake.h"
#include "support/mkpdf.h"

typedef struct fake {
	mk_fake srv;  /* the fake model server (tests/support/mkfake.h) */
	wk_doc *doc;  /* a small paper whose figure is drawn in pdf */
	char pdf[512];
} fake;

/* The figure is a raster image drawn at (72, 300)-(372, 500) on page 2. */
static wk_doc *small_paper(const char *pdf)
{
	mk_pdf *p = mk_new();
	mk_page(p, 612, 792);
	mk_text(p, "Times-Bold", 14, 72, 80, "1 Introduction");
	mk_text(p, "Times-Roman", 10, 72, 110, "Mercury is the smallest planet.");
	mk_page(p, 612, 792);
	mk_image(p, 72, 300, 300, 200, 64, 48);
	mk_text(p, "Times-Roman", 10, 72, 520, "Figure 1: Orbits of the inner planets.");
	mk_save(p, pdf, NULL);

	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, 2);
	d->path = wk_doc_str(d, pdf);
	d->title = wk_doc_str(d, "Planets");
	const struct { wk_unit_type t; int page, level; const char *text; } spec[] = {
		{WK_UNIT_HEADING, 1, 1, "1 Introduction"},
		{WK_UNIT_TEXT, 1, 0, "Mercury is the smallest planet of the solar system."},
		{WK_UNIT_TEXT, 1, 0, "Venus has a thick atmosphere of carbon dioxide."},
		{WK_UNIT_HEADING, 2, 1, "2 Orbits"},
		{WK_UNIT_FIGURE, 2, 0, "Figure 1: Orbits of the inner planets."},
		{WK_UNIT_TEXT, 2, 0, "The secret unselected paragraph about Jupiter."},
	};
	for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++) {
		wk_unit *u = wk_doc_add_unit(d, spec[i].t);
		u->level = spec[i].level;
		u->text = wk_doc_str(d, spec[i].text);
		wk_box box = {spec[i].page, 72, 100 + 20 * (float)i, 500, 115 + 20 * (float)i};
		if (spec[i].t == WK_UNIT_FIGURE) {
			box = (wk_box){2, 72, 300, 372, 500};
			u->label = wk_doc_str(d, "Figure 1");
			u->caption = u->text;
		}
		wk_doc_add_box(d, u, box);
	}
	wk_doc_finish(d);
	return d;
}

static int setup(void **state)
{
	signal(SIGPIPE, SIG_IGN);
	fake *f = calloc(1, sizeof *f);
	if (mk_fake_start(&f->srv, "sk-test") != 0)
		return -1;
	snprintf(f->pdf, sizeof f->pdf, "%s", mk_tmp_path("planets.pdf"));
	f->doc = small_paper(f->pdf);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fake *f = *state;
	mk_fake_stop(&f->srv);
	wk_doc_free(f->doc);
	free(f);
	return 0;
}

/* ---- what the server saw ---- */

static json_t *log_lines(const fake *f)
{
	return mk_fake_requests(&f->srv);
}

static int log_count(const fake *f)
{
	json_t *all = log_lines(f);
	int n = (int)json_array_size(all);
	json_decref(all);
	return n;
}

/* Requests that named `model`. */
static int requests_for(const fake *f, const char *model)
{
	json_t *all = log_lines(f), *line;
	size_t i;
	int n = 0;
	json_array_foreach(all, i, line) {
		const char *m = json_string_value(json_object_get(json_object_get(line, "body"), "model"));
		n += m && !strcmp(m, model);
	}
	json_decref(all);
	return n;
}

/* The last request (a new reference). */
static json_t *last_request(const fake *f)
{
	json_t *all = log_lines(f);
	json_t *last = json_incref(json_array_get(all, json_array_size(all) - 1));
	json_decref(all);
	return last;
}

static const char *user_text(json_t *req)
{
	json_t *msgs = json_object_get(json_object_get(req, "body"), "messages");
	return json_string_value(json_object_get(json_array_get(msgs, 1), "content"));
}

/* ---- helpers ---- */

static wk_selection *select_units(const wk_doc *d, const int *idx, int n)
{
	wk_selection *s = calloc(1, sizeof *s);
	s->items = calloc((size_t)n, sizeof *s->items);
	s->n = n;
	for (int i = 0; i < n; i++) {
		s->items[i].idx = idx[i];
		s->items[i].text = strdup(d->units[idx[i]].text);
		s->items[i].tokens = wk_tokens_count(s->items[i].text);
		s->tokens += s->items[i].tokens;
	}
	return s;
}

static void opts_for(wk_llm_opts *o, const fake *f, const char *model)
{
	wk_llm_opts_init(o);
	o->url = f->srv.url;
	o->model = model;
	o->api_key = "sk-test";
	o->backoff_ms = 50;
	o->connect_timeout_ms = 3000;
	o->timeout_ms = 20000;
	o->stall_ms = 1000;
}

static int ask(const fake *f, const wk_llm_opts *o, wk_answer **a, wk_error *err)
{
	const int idx[] = {1, 2, 4};
	wk_selection *s = select_units(f->doc, idx, 3);
	const wk_doc *docs[] = {f->doc};
	int rc = wk_answer_llm(o, docs, s, "Which planet is the smallest?", a, err);
	wk_selection_free(s);
	return rc;
}

static void assert_one_line(const wk_error *err, const char *needle)
{
	assert_true(strlen(err->message) > 10);
	assert_null(strchr(err->message, '\n'));
	if (!strstr(err->message, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err->message, needle);
}

/* ---- tests: what is sent ---- */

static void test_request_holds_system_prompt_evidence_blocks_and_question(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "fake");
	wk_answer *a = NULL;
	wk_error err;
	assert_int_equal(ask(f, &o, &a, &err), WK_OK);
	json_t *req = last_request(f);
	json_t *msgs = json_object_get(json_object_get(req, "body"), "messages");
	assert_string_equal(json_string_value(json_object_get(json_array_get(msgs, 0), "role")),
	                    "system");
	const char *sys = json_string_value(json_object_get(json_array_get(msgs, 0), "content"));
	assert_string_equal(sys, wk_llm_system_prompt);
	assert_non_null(strstr(sys, "[12]"));
	assert_non_null(strstr(sys, "Not answerable"));
	const char *user = user_text(req);
	assert_non_null(user);
	assert_non_null(strstr(user, "[1] (page 1, section 1 Introduction)\nMercury is the smallest "
	                             "planet of the solar system.\n"));
	assert_non_null(strstr(user, "[2] (page 1, section 1 Introduction)\nVenus has a thick "));
	assert_non_null(strstr(user, "[3] (page 2, section 2 Orbits, figure)\nFigure 1: Orbits"));
	assert_null(strstr(user, "Jupiter"));
	assert_null(strstr(user, "[0]"));
	assert_non_null(strstr(user, "Question: Which planet is the smallest?"));
	assert_string_equal(json_string_value(json_object_get(req, "auth")), "Bearer sk-test");
	json_decref(req);
	wk_answer_free(a);
}

static void test_text_mode_sends_figures_as_text_and_vision_as_png_images(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "fake");
	wk_answer *a = NULL;
	assert_int_equal(ask(f, &o, &a, NULL), WK_OK);
	json_t *req = last_request(f);
	assert_non_null(user_text(req)); /* a plain string: no image parts */
	char *dump = json_dumps(req, 0);
	assert_null(strstr(dump, "image_url"));
	free(dump);
	json_decref(req);
	wk_answer_free(a);

	o.vision = 1;
	o.max_image_side = 200;
	assert_int_equal(ask(f, &o, &a, NULL), WK_OK);
	req = last_request(f);
	json_t *msgs = json_object_get(json_object_get(req, "body"), "messages");
	json_t *parts = json_object_get(json_array_get(msgs, 1), "content");
	assert_true(json_is_array(parts));
	int images = 0, figure_text_before = 0;
	size_t i;
	json_t *part;
	json_array_foreach(parts, i, part) {
		const char *type = json_string_value(json_object_get(part, "type"));
		if (!strcmp(type, "image_url")) {
			const char *url = json_string_value(
				json_object_get(json_object_get(part, "image_url"), "url"));
			/* "iVBORw0KGgo" is the base64 of the PNG signature. */
			assert_int_equal(strncmp(url, "data:image/png;base64,iVBORw0KGgo", 33), 0);
			images++;
		} else if (strstr(json_string_value(json_object_get(part, "text")), "[3] (page 2")) {
			figure_text_before = images == 0;
		}
	}
	assert_int_equal(images, 1);
	assert_true(figure_text_before);
	json_decref(req);
	wk_answer_free(a);
}

static void test_base64_matches_rfc4648_vectors(void **state)
{
	(void)state;
	const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	for (int i = 0; i < 7; i++) {
		char *b = wk_base64((const unsigned char *)in[i], strlen(in[i]));
		assert_string_equal(b, out[i]);
		free(b);
	}
}

static void test_bare_base_url_gets_the_v1_path(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "fake");
	char url[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", f->srv.port);
	o.url = url;
	wk_answer *a = NULL;
	assert_int_equal(ask(f, &o, &a, NULL), WK_OK);
	wk_answer_free(a);
	json_t *req = last_request(f);
	assert_string_equal(json_string_value(json_object_get(req, "path")), "/v1/chat/completions");
	json_decref(req);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/chat/completions/", f->srv.port);
	assert_int_equal(ask(f, &o, &a, NULL), WK_OK);
	wk_answer_free(a);
}

/* ---- tests: what is read back ---- */

static void test_cited_ids_are_validated_and_invented_ids_dropped(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "fake");
	wk_answer *a = NULL;
	assert_int_equal(ask(f, &o, &a, NULL), WK_OK);
	/* The fake cites [1], [2] and the invented [987654]. */
	assert_non_null(strstr(a->text, "[987654]"));
	assert_int_equal(a->ncited, 2);
	assert_int_equal(a->cited[0], 0);
	assert_int_equal(a->cited[1], 1);
	assert_string_equal(a->mode, "llm");
	assert_int_equal(a->found, 1);
	wk_answer_free(a);

	const int idx[] = {1, 4};
	wk_selection *s = select_units(f->doc, idx, 2);
	int *cited = NULL;
	assert_int_equal(wk_llm_cited(s, "x [2, 1] y [1][99] [x] [ 2 ] [3]", &cited), 2);
	assert_int_equal(cited[0], 1);
	assert_int_equal(cited[1], 0);
	free(cited);
	wk_selection_free(s);
}

static void test_usage_is_read_from_plain_and_streamed_replies(void **state)
{
	fake *f = *state;
	for (int stream = 0; stream < 2; stream++) {
		wk_llm_opts o;
		opts_for(&o, f, "fake");
		o.stream = stream;
		wk_answer *a = NULL;
		assert_int_equal(ask(f, &o, &a, NULL), WK_OK);
		json_t *req = last_request(f);
		/* The fake counts the words of every message text. */
		char *both = NULL;
		assert_true(asprintf(&both, "%s\n%s", wk_llm_system_prompt, user_text(req)) > 0);
		int words = 0, in = 0;
		for (char *p = both; *p; p++) {
			int sp = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
			words += !sp && !in;
			in = !sp;
		}
		assert_int_equal(a->prompt_tokens, words);
		assert_int_equal(a->completion_tokens, 12);
		assert_int_equal(json_is_true(json_object_get(json_object_get(req, "body"), "stream")),
		                 stream);
		free(both);
		json_decref(req);
		wk_answer_free(a);
	}
}

typedef struct pieces {
	char text[1024];
	int n;
} pieces;

static void collect(void *user, const char *piece, size_t len)
{
	pieces *p = user;
	p->n++;
	strncat(p->text, piece, len);
}

static void test_streamed_pieces_arrive_in_order(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "fake");
	pieces got = {.n = 0};
	o.on_text = collect;
	o.user = &got;
	wk_answer *a = NULL;
	assert_int_equal(ask(f, &o, &a, NULL), WK_OK);
	assert_int_equal(got.n, 12); /* the fake sends one event per word */
	assert_string_equal(got.text, a->text);
	assert_string_equal(got.text, "The answer is in the evidence [1] and [2]; see also [987654].");
	wk_answer_free(a);
}

static void test_reasoning_before_the_answer_is_neither_shown_nor_cited(void **state)
{
	fake *f = *state;
	for (int stream = 0; stream < 2; stream++) {
		wk_llm_opts o;
		opts_for(&o, f, "think");
		o.stream = stream;
		pieces got = {.n = 0};
		o.on_text = collect;
		o.user = &got;
		wk_answer *a = NULL;
		assert_int_equal(ask(f, &o, &a, NULL), WK_OK);
		assert_string_equal(a->text, "Mercury [1].");
		assert_int_equal(a->ncited, 1);
		assert_int_equal(a->cited[0], 0);
		if (stream)
			assert_string_equal(got.text, "Mercury [1].");
		wk_answer_free(a);
	}
}

static void test_a_last_event_without_newline_still_counts(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "tight");
	wk_answer *a = NULL;
	wk_error err;
	assert_int_equal(ask(f, &o, &a, &err), WK_OK);
	assert_int_equal(a->ncited, 2);
	wk_answer_free(a);
}

static void test_refusal_is_marked_not_found(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "refuse");
	wk_answer *a = NULL;
	assert_int_equal(ask(f, &o, &a, NULL), WK_OK);
	assert_int_equal(a->found, 0);
	assert_int_equal(a->ncited, 0);
	wk_answer_free(a);
	assert_int_equal(wk_llm_says_unanswerable("Mercury [1]."), 0);
}

/* ---- tests: failures ---- */

static void test_each_server_failure_gives_its_code_and_one_line(void **state)
{
	fake *f = *state;
	/* tries: a stream cut before any of the answer was shown is tried again */
	const struct { const char *model; int stream, code; const char *needle; int tries; } cases[] = {
		{"unknown-model-x", 1, WK_EHTTP, "does not know model 'unknown-model-x'", 1},
		{"fail-401", 1, WK_EHTTP, "401", 1},
		{"fail-403", 0, WK_EHTTP, "403", 1},
		{"garbage", 0, WK_EPROTO, "not JSON", 1},
		{"garbage", 1, WK_EPROTO, "not JSON", 1},
		{"cut", 1, WK_EPROTO, "cut the stream short", 4},
		{"cut-clean", 1, WK_EPROTO, "cut the stream short", 4},
		{"stream-error", 1, WK_EHTTP, "model crashed while generating", 1},
		{"ctx-10", 1, WK_ELIMIT, "context", 1},
		{"ctxllama-10", 0, WK_ELIMIT, "context", 1},
		{"huge-body", 0, WK_EPROTO, "ceiling", 1},
		{"huge-line", 1, WK_EPROTO, "ceiling", 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		wk_llm_opts o;
		opts_for(&o, f, cases[i].model);
		o.stream = cases[i].stream;
		wk_answer *a = (wk_answer *)1;
		wk_error err;
		int before = log_count(f);
		assert_int_equal(ask(f, &o, &a, &err), cases[i].code);
		assert_null(a);
		assert_one_line(&err, cases[i].needle);
		assert_non_null(strstr(err.message, f->srv.url));
		assert_int_equal(log_count(f), before + cases[i].tries);
	}
}

static void count_shown(void *user, const char *piece, size_t len)
{
	(void)piece;
	*(size_t *)user += len;
}

/* A stream cut early is tried again while nothing was shown; once part of the answer was
 * shown it is not (it would be shown twice). */
static void test_a_cut_stream_is_retried_only_while_nothing_was_shown(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "flaky-cut-1a");
	wk_answer *a = NULL;
	wk_error err;
	int before = log_count(f);
	assert_int_equal(ask(f, &o, &a, &err), WK_OK);
	assert_int_equal(log_count(f), before + 2);
	assert_true(strlen(a->text) > 0);
	wk_answer_free(a);
	opts_for(&o, f, "cut");
	size_t shown = 0;
	o.on_text = count_shown;
	o.user = &shown;
	before = log_count(f);
	assert_int_equal(ask(f, &o, &a, &err), WK_EPROTO);
	assert_true(shown > 0);
	assert_int_equal(log_count(f), before + 1);
}

static void test_wrong_key_and_wrong_path_are_told_apart(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "fake");
	o.api_key = "sk-wrong";
	wk_answer *a = NULL;
	wk_error err;
	assert_int_equal(ask(f, &o, &a, &err), WK_EHTTP);
	assert_one_line(&err, "WUKONG_API_KEY");
	opts_for(&o, f, "fake");
	char url[128];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api", f->srv.port);
	o.url = url;
	assert_int_equal(ask(f, &o, &a, &err), WK_EHTTP);
	assert_one_line(&err, "no chat completions endpoint");
}

static void test_network_failures_are_one_line_enet(void **state)
{
	fake *f = *state;
	/* A port nobody listens on: bind one, then close it. */
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof sa;
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	getsockname(s, (struct sockaddr *)&sa, &sl);
	close(s);
	char url[128];
	wk_llm_opts o;
	opts_for(&o, f, "fake");
	o.url = url;
	wk_answer *a = NULL;
	wk_error err;
	snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", ntohs(sa.sin_port));
	assert_int_equal(ask(f, &o, &a, &err), WK_ENET);
	assert_one_line(&err, "cannot connect");
	snprintf(url, sizeof url, "http://no-such-host.invalid:8080/v1");
	int rc = ask(f, &o, &a, &err);
	assert_true(rc == WK_ENET || rc == WK_ETIMEOUT); /* a resolver without network may time out */
	if (rc == WK_ENET)
		assert_one_line(&err, "DNS");
	snprintf(url, sizeof url, "https://127.0.0.1:%d/v1", f->srv.port);
	assert_int_equal(ask(f, &o, &a, &err), WK_ENET);
	assert_one_line(&err, "TLS");
	o.url = NULL;
	assert_int_equal(ask(f, &o, &a, &err), WK_EINVAL);
	assert_one_line(&err, "WUKONG_LLM_URL");
}

static void test_5xx_is_retried_with_backoff_until_it_succeeds(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "flaky-503-2-a");
	o.backoff_ms = 100;
	wk_answer *a = NULL;
	double t0 = wk_now_ms();
	assert_int_equal(ask(f, &o, &a, NULL), WK_OK);
	double ms = wk_now_ms() - t0;
	assert_int_equal(requests_for(f, "flaky-503-2-a"), 3);
	/* Equal jitter: at least half of 100, then half of 200. */
	assert_true(ms >= 150);
	assert_true(ms < 15000);
	wk_answer_free(a);
}

static void test_429_honours_retry_after(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "flaky-429-1-b");
	o.backoff_ms = 10;
	wk_answer *a = NULL;
	double t0 = wk_now_ms();
	assert_int_equal(ask(f, &o, &a, NULL), WK_OK);
	assert_true(wk_now_ms() - t0 >= 1000); /* Retry-After: 1 */
	assert_int_equal(requests_for(f, "flaky-429-1-b"), 2);
	wk_answer_free(a);

	/* A Retry-After longer than the longest wait allowed fails at once. */
	opts_for(&o, f, "fail-429");
	o.max_wait_ms = 500;
	wk_error err;
	int before = requests_for(f, "fail-429");
	assert_int_equal(ask(f, &o, &a, &err), WK_EHTTP);
	assert_one_line(&err, "429");
	assert_int_equal(requests_for(f, "fail-429"), before + 1);
}

static void test_retries_are_bounded(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "fail-500");
	o.max_attempts = 3;
	o.backoff_ms = 10;
	wk_answer *a = NULL;
	wk_error err;
	int before = requests_for(f, "fail-500");
	assert_int_equal(ask(f, &o, &a, &err), WK_EHTTP);
	assert_one_line(&err, "gave up after 3 attempts");
	assert_int_equal(requests_for(f, "fail-500"), before + 3);
}

static void test_stall_and_silence_end_within_their_timeouts(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "stall");
	wk_answer *a = NULL;
	wk_error err;
	double t0 = wk_now_ms();
	assert_int_equal(ask(f, &o, &a, &err), WK_ETIMEOUT);
	assert_one_line(&err, "stalled");
	assert_true(wk_now_ms() - t0 < 15000); /* the fake stalls for 30 s */

	opts_for(&o, f, "stall-head");
	o.stream = 0;
	o.timeout_ms = 1500;
	t0 = wk_now_ms();
	assert_int_equal(ask(f, &o, &a, &err), WK_ETIMEOUT);
	assert_one_line(&err, "no complete reply within");
	assert_true(wk_now_ms() - t0 < 15000); /* the fake stalls for 30 s */
}

/* A caller that stops waiting (the server's client went away) stops the request at the
 * next progress poll, long before the model would time out. */
static int cancel_after_300_ms(void *user)
{
	return wk_now_ms() - *(double *)user > 300;
}

static void test_a_cancel_hook_stops_the_request_at_once(void **state)
{
	fake *f = *state;
	wk_llm_opts o;
	opts_for(&o, f, "stall"); /* one event, then 30 s of silence */
	o.stall_ms = 60000;
	double t0 = wk_now_ms();
	o.cancel = cancel_after_300_ms;
	o.user = &t0;
	wk_answer *a = NULL;
	wk_error err;
	assert_int_equal(ask(f, &o, &a, &err), WK_ECANCELED);
	assert_null(a);
	assert_one_line(&err, "canceled");
	assert_true(wk_now_ms() - t0 < 5000);
	assert_string_equal(wk_strerror(WK_ECANCELED), "canceled");
	opts_for(&o, f, "normal"); /* a hook that never fires changes nothing */
	o.cancel = cancel_after_300_ms;
	t0 = wk_now_ms() + 1e9;
	o.user = &t0;
	assert_int_equal(ask(f, &o, &a, &err), WK_OK);
	wk_answer_free(a);
}

/* ---- tests: sampling, budget, context-length retry ---- */

static wk_doc *long_doc(void)
{
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, 10);
	d->path = wk_doc_str(d, "long.pdf");
	char text[512];
	for (int i = 0; i < 60; i++) {
		snprintf(text, sizeof text, "Paragraph %d says the comet orbit period measured by "
		         "station %d was %d days, with comet dust and orbit drift noted again.", i, i,
		         100 + i);
		wk_unit *u = wk_doc_add_unit(d, WK_UNIT_TEXT);
		u->text = wk_doc_str(d, text);
		wk_doc_add_box(d, u, (wk_box){1 + i / 6, 72, 100, 500, 120});
	}
	wk_doc_finish(d);
	return d;
}

static void test_evidence_sent_is_the_selection_within_budget(void **state)
{
	fake *f = *state;
	wk_doc *d = long_doc();
	wk_index *ix = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	wk_llm_opts o;
	opts_for(&o, f, "fake");
	wk_ask_opts ask_opts;
	wk_ask_opts_init(&ask_opts);
	ask_opts.budget = 100;
	wk_selection *sel = NULL;
	wk_answer *a = NULL;
	const wk_index *ixs[] = {ix};
	const wk_doc *docs[] = {d};
	assert_int_equal(wk_ask_llm(&o, ixs, docs, 1, "What was the comet orbit period?", &ask_opts,
	                            &sel, &a, NULL, NULL), WK_OK);
	assert_true(sel->n > 0);
	assert_true(sel->tokens <= 100);
	json_t *req = last_request(f);
	const char *user = user_text(req);
	int blocks = 0;
	for (const char *p = strstr(user, "] (page "); p; p = strstr(p + 1, "] (page "))
		blocks++;
	assert_int_equal(blocks, sel->n);
	for (int i = 0; i < sel->n; i++) {
		char head[64];
		snprintf(head, sizeof head, "[%d] (page ", i + 1);
		assert_non_null(strstr(user, head));
		assert_non_null(strstr(user, sel->items[i].text));
	}
	json_decref(req);
	wk_answer_free(a);
	wk_selection_free(sel);
	wk_index_free(ix);
	wk_doc_free(d);
}

static void test_context_length_error_retries_once_with_half_the_budget(void **state)
{
	fake *f = *state;
	wk_doc *d = long_doc();
	wk_index *ix = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	const wk_index *ixs[] = {ix};
	const wk_doc *docs[] = {d};
	const char *q = "What was the comet orbit period?";
	wk_ask_opts ask_opts;
	wk_ask_opts_init(&ask_opts);
	ask_opts.budget = 400;
	/* Measure the request at the full budget, then allow one byte less. */
	wk_llm_opts o;
	opts_for(&o, f, "fake");
	wk_answer *a = NULL;
	wk_selection *sel = NULL;
	assert_int_equal(wk_ask_llm(&o, ixs, docs, 1, q, &ask_opts, &sel, &a, NULL, NULL), WK_OK);
	json_t *req = last_request(f);
	long full = (long)json_integer_value(json_object_get(req, "bytes"));
	int full_tokens = sel->tokens;
	json_decref(req);
	wk_answer_free(a);
	wk_selection_free(sel);

	char model[64];
	snprintf(model, sizeof model, "ctx-%ld", full - 1);
	opts_for(&o, f, model);
	assert_int_equal(wk_ask_llm(&o, ixs, docs, 1, q, &ask_opts, &sel, &a, NULL, NULL), WK_OK);
	assert_int_equal(requests_for(f, model), 2);
	assert_true(sel->tokens <= 200);
	assert_true(sel->tokens < full_tokens);
	wk_answer_free(a);
	wk_selection_free(sel);

	/* Still too long at half the budget: one retry only, then WK_ELIMIT. */
	opts_for(&o, f, "ctx-100");
	wk_error err;
	assert_int_equal(wk_ask_llm(&o, ixs, docs, 1, q, &ask_opts, &sel, &a, NULL, &err), WK_ELIMIT);
	assert_null(sel);
	assert_int_equal(requests_for(f, "ctx-100"), 2);
	wk_index_free(ix);
	wk_doc_free(d);
}

/* ---- tests: the ask service (wk_ask) ---- */

static void test_ask_service_removes_citations_of_ids_not_sent_also_as_it_streams(void **state)
{
	fake *f = *state;
	wk_doc *d = long_doc();
	wk_index *ix = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	wk_llm_opts o;
	opts_for(&o, f, "fake"); /* its answer cites [1], [2] and [987654] */
	wk_ask_policy policy;
	wk_ask_policy_init(&policy);
	policy.llm = &o;
	wk_asker *asker = NULL;
	assert_int_equal(wk_asker_new(&policy, &asker, NULL), WK_OK);
	const wk_doc *docs[] = {d};
	const wk_index *ixs[] = {ix};
	wk_ask_source src = {.docs = docs, .indexes = ixs, .n = 1};
	pieces streamed = {.n = 0};
	wk_ask_calls calls = {.on_text = collect, .user = &streamed};
	wk_ask_result *r = NULL;
	assert_int_equal(wk_ask(asker, &src, "What was the comet orbit period?", &calls, &r, NULL),
	                 WK_OK);
	assert_int_equal(r->mode, WK_MODE_LLM);
	assert_null(strstr(r->answer->text, "987654"));
	assert_non_null(strstr(r->answer->text, "[1]"));
	assert_string_equal(streamed.text, r->answer->text); /* the pieces make the answer */
	for (int i = 0; i < r->answer->ncited; i++)
		assert_true(r->answer->cited[i] < r->sel->n);
	wk_ask_result_free(r);
	wk_asker_free(asker);
	wk_index_free(ix);
	wk_doc_free(d);
}

static void test_ask_service_falls_back_or_fails_as_its_policy_says(void **state)
{
	fake *f = *state;
	wk_doc *d = long_doc();
	wk_index *ix = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	wk_llm_opts o;
	opts_for(&o, f, "fail-401");
	wk_ask_policy policy;
	wk_ask_policy_init(&policy);
	policy.llm = &o;
	const wk_doc *docs[] = {d};
	const wk_index *ixs[] = {ix};
	wk_ask_source src = {.docs = docs, .indexes = ixs, .n = 1};
	for (int fallback = 0; fallback < 2; fallback++) {
		policy.fallback = fallback;
		wk_asker *asker = NULL;
		assert_int_equal(wk_asker_new(&policy, &asker, NULL), WK_OK);
		wk_ask_result *r = NULL;
		int rc = wk_ask(asker, &src, "What was the comet orbit period?", NULL, &r, NULL);
		assert_non_null(r); /* the evidence is there either way */
		assert_true(r->sel->n > 0);
		assert_int_equal(r->model_error.code, WK_EHTTP);
		assert_int_equal(rc, fallback ? WK_OK : WK_EHTTP);
		assert_int_equal(r->mode, fallback ? WK_MODE_FALLBACK : WK_MODE_MODEL_FAILED);
		assert_true(fallback ? r->answer != NULL : r->answer == NULL);
		wk_ask_result_free(r);
		wk_asker_free(asker);
	}
	wk_index_free(ix);
	wk_doc_free(d);
}

typedef struct job {
	const fake *f;
	int rc;
} job;

static void *run_job(void *arg)
{
	job *j = arg;
	wk_llm_opts o;
	opts_for(&o, j->f, "fake");
	wk_answer *a = NULL;
	j->rc = ask(j->f, &o, &a, NULL);
	if (a && a->ncited != 2)
		j->rc = -1;
	wk_answer_free(a);
	return NULL;
}

static void test_requests_in_flight_at_once_do_not_disturb_each_other(void **state)
{
	fake *f = *state;
	pthread_t t[6];
	job jobs[6];
	int before = log_count(f);
	for (int i = 0; i < 6; i++) {
		jobs[i] = (job){f, -1};
		pthread_create(&t[i], NULL, run_job, &jobs[i]);
	}
	for (int i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].rc, WK_OK);
	}
	assert_int_equal(log_count(f), before + 6);
}

/* ---- tests: settings ---- */

static void write_config(const char *text)
{
	char dir[512], path[600];
	snprintf(dir, sizeof dir, "%s/wukong", getenv("XDG_CONFIG_HOME"));
	wk_mkdirs(dir, NULL);
	snprintf(path, sizeof path, "%s/config", dir);
	FILE *out = fopen(path, "w");
	fputs(text, out);
	fclose(out);
}

static void test_settings_come_from_command_line_then_env_then_file(void **state)
{
	(void)state;
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s/cfg", getenv("WK_TMP") ? getenv("WK_TMP") : "/tmp");
	setenv("XDG_CONFIG_HOME", tmp, 1);
	write_config("# wukong\nurl = http://file:1/v1\nmodel = \"file-model\"\nvision = yes\n"
	             "timeout = 2.5\napi_key=sk-file\n");
	unsetenv("WUKONG_LLM_URL");
	unsetenv("WUKONG_API_KEY");
	setenv("WUKONG_MODEL", "env-model", 1);
	wk_llm_opts o;
	wk_llm_opts_init(&o);
	assert_int_equal(wk_llm_opts_load(&o, NULL, NULL), WK_OK);
	assert_string_equal(o.url, "http://file:1/v1");
	assert_string_equal(o.model, "env-model");
	assert_string_equal(o.api_key, "sk-file");
	assert_int_equal(o.vision, 1);
	assert_int_equal(o.timeout_ms, 2500);
	o.model = "cli-model"; /* the command line is applied last */
	assert_string_equal(o.model, "cli-model");
	wk_llm_opts_release(&o);
	wk_llm_opts_release(&o);

	write_config("url = http://x/v1\n\nvision = maybe\n");
	wk_error err;
	wk_llm_opts_init(&o);
	assert_int_equal(wk_llm_opts_load(&o, NULL, &err), WK_EINVAL);
	assert_non_null(strstr(err.message, "config:3"));
	wk_llm_opts_release(&o);
	write_config("colour = red\n");
	wk_llm_opts_init(&o);
	assert_int_equal(wk_llm_opts_load(&o, NULL, &err), WK_EINVAL);
	assert_non_null(strstr(err.message, "unknown key 'colour'"));
	wk_llm_opts_release(&o);
	unsetenv("WUKONG_MODEL");
	write_config("");
}

/* ---- tests: the command line ---- */

/* Runs `wukong ask PDF ARGS`, stdout and stderr to files under $WK_TMP; the exit status. */
static int run_ask(const fake *f, const char *args, char *out, char *errs)
{
	const char *tmp = getenv("WK_TMP") ? getenv("WK_TMP") : "/tmp";
	const char *bin = getenv("WK_BIN") ? getenv("WK_BIN") : "build/wukong";
	sprintf(out, "%s/ask.out", tmp);
	sprintf(errs, "%s/ask.err", tmp);
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "WUKONG_API_KEY=sk-test %s ask %s %s >%s 2>%s </dev/null", bin,
	         f->pdf, args, out, errs);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path)
{
	char *data = NULL;
	size_t len = 0;
	if (wk_read_file(path, 0, &data, &len, NULL) != WK_OK)
		fail_msg("cannot read %s", path);
	return data;
}

static void test_cli_json_has_the_models_answer_citations_and_usage(void **state)
{
	fake *f = *state;
	char args[512], out[600], errs[600];
	snprintf(args, sizeof args, "'Which planet is the smallest?' --llm %s --model fake --json",
	         f->srv.url);
	assert_int_equal(run_ask(f, args, out, errs), 0);
	char *text = slurp(out);
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "mode")), "llm");
	assert_non_null(strstr(json_string_value(json_object_get(j, "answer")), "[1]"));
	json_t *cited = json_object_get(j, "cited");
	size_t nev = json_array_size(json_object_get(j, "evidence"));
	assert_true(json_array_size(cited) >= 1);
	for (size_t i = 0; i < json_array_size(cited); i++)
		assert_true((size_t)json_integer_value(json_array_get(cited, i)) < nev);
	json_t *usage = json_object_get(j, "usage");
	assert_true(json_integer_value(json_object_get(usage, "prompt_tokens")) > 0);
	assert_int_equal(json_integer_value(json_object_get(usage, "completion_tokens")), 12);
	json_decref(j);
	free(text);
}

static void test_cli_model_failure_exits_3_with_one_line_or_falls_back(void **state)
{
	fake *f = *state;
	char args[512], out[600], errs[600];
	snprintf(args, sizeof args, "'Which planet is the smallest?' --llm %s --model fail-401", f->srv.url);
	assert_int_equal(run_ask(f, args, out, errs), 3);
	char *e = slurp(errs);
	assert_non_null(strstr(e, "401"));
	int lines = 0;
	for (const char *p = e; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 1);
	free(e);

	snprintf(args, sizeof args, "'Which planet is the smallest?' --llm %s --model fail-401 "
	         "--fallback extractive --json", f->srv.url);
	assert_int_equal(run_ask(f, args, out, errs), 0);
	char *text = slurp(out);
	json_t *j = json_loads(text, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "mode")), "extractive-fallback");
	assert_true(strlen(json_string_value(json_object_get(j, "answer"))) > 0);
	json_decref(j);
	free(text);
	e = slurp(errs);
	assert_non_null(strstr(e, "extractive"));
	free(e);
}

static void test_cli_batch_with_jobs_answers_in_order(void **state)
{
	fake *f = *state;
	const char *tmp = getenv("WK_TMP") ? getenv("WK_TMP") : "/tmp";
	char qpath[512];
	snprintf(qpath, sizeof qpath, "%s/questions.jsonl", tmp);
	FILE *q = fopen(qpath, "w");
	for (int i = 0; i < 7; i++)
		fprintf(q, "{\"question\": \"What is planet question %d about?\"}\n", i);
	fclose(q);
	char args[1024], out[600], errs[600];
	snprintf(args, sizeof args, "--questions %s --llm %s --model jobs-batch --jobs 3 --json",
	         qpath, f->srv.url);
	assert_int_equal(run_ask(f, args, out, errs), 0);
	assert_int_equal(requests_for(f, "jobs-batch"), 7);
	FILE *in = fopen(out, "r");
	char *line = NULL;
	size_t cap = 0;
	int n = 0;
	while (getline(&line, &cap, in) > 0) {
		json_t *j = json_loads(line, 0, NULL);
		char want[64];
		snprintf(want, sizeof want, "What is planet question %d about?", n++);
		assert_string_equal(json_string_value(json_object_get(j, "question")), want);
		assert_string_equal(json_string_value(json_object_get(j, "mode")), "llm");
		json_decref(j);
	}
	free(line);
	fclose(in);
	assert_int_equal(n, 7);

	/* Every question failing at the model is the backend's failure: exit 3. */
	snprintf(args, sizeof args, "--questions %s --llm %s --model fail-403 --jobs 2", qpath,
	         f->srv.url);
	assert_int_equal(run_ask(f, args, out, errs), 3);
}

static void test_cli_takes_the_url_from_the_config_file_and_no_llm_turns_it_off(void **state)
{
	fake *f = *state;
	char tmp[512], cfg[700];
	snprintf(tmp, sizeof tmp, "%s/cfg", getenv("WK_TMP") ? getenv("WK_TMP") : "/tmp");
	setenv("XDG_CONFIG_HOME", tmp, 1);
	snprintf(cfg, sizeof cfg, "url = %s\nmodel = from-config\n", f->srv.url);
	write_config(cfg);
	char out[600], errs[600];
	assert_int_equal(run_ask(f, "'Which planet is the smallest?' --json", out, errs), 0);
	assert_int_equal(requests_for(f, "from-config"), 1);
	char *text = slurp(out);
	assert_non_null(strstr(text, "\"mode\":\"llm\""));
	free(text);
	assert_int_equal(run_ask(f, "'Which planet is the smallest?' --json --no-llm", out, errs), 0);
	assert_int_equal(requests_for(f, "from-config"), 1);
	text = slurp(out);
	assert_non_null(strstr(text, "\"mode\":\"extractive\""));
	free(text);
	write_config("");
	/* --model without any URL is a mistake worth saying, not a silent extractive answer. */
	assert_int_equal(run_ask(f, "'Which planet is the smallest?' --model x", out, errs), 2);
	char *e = slurp(errs);
	assert_non_null(strstr(e, "--llm URL"));
	free(e);
}

/* Writes an MMLongBench-style benchmark of nq questions over the planets PDF; its path. */
static const char *write_bench(const fake *f, int nq)
{
	static char qpath[600];
	const char *tmp = getenv("WK_TMP") ? getenv("WK_TMP") : "/tmp";
	char dir[512];
	snprintf(dir, sizeof dir, "%s/bench", tmp);
	wk_mkdirs(dir, NULL);
	snprintf(qpath, sizeof qpath, "%s/questions.jsonl", dir);
	FILE *q = fopen(qpath, "w");
	const char *base = strrchr(f->pdf, '/') + 1;
	for (int i = 0; i < nq; i++)
		fprintf(q, "{\"doc_id\": \"%s\", \"question\": \"Which planet is the smallest (%d)?\", "
		        "\"answer\": \"Mercury\", \"evidence_pages\": \"[1]\", \"evidence_sources\": "
		        "\"['Pure-text (Plain-text)']\", \"answer_format\": \"Str\", \"doc_type\": "
		        "\"Academic paper\"}\n", base, i);
	fclose(q);
	return qpath;
}

static int run_eval(const fake *f, const char *qpath, const char *args, char *out)
{
	const char *tmp = getenv("WK_TMP") ? getenv("WK_TMP") : "/tmp";
	const char *bin = getenv("WK_BIN") ? getenv("WK_BIN") : "build/wukong";
	char dir[512];
	snprintf(dir, sizeof dir, "%s", f->pdf);
	*strrchr(dir, '/') = '\0';
	sprintf(out, "%s/eval.out", tmp);
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "WUKONG_API_KEY=sk-test %s eval %s --docs %s --quiet --json %s "
	         ">%s 2>%s/eval.err </dev/null", bin, qpath, dir, args, out, tmp);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli_eval_scores_the_models_answers_and_reports_prompt_tokens(void **state)
{
	fake *f = *state;
	const char *qpath = write_bench(f, 3);
	char args[512], out[600];
	snprintf(args, sizeof args, "--llm %s --model eval-model", f->srv.url);
	assert_int_equal(run_eval(f, qpath, args, out), 0);
	assert_int_equal(requests_for(f, "eval-model"), 3);
	char *text = slurp(out);
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	assert_true(json_number_value(json_object_get(j, "prompt_tokens_per_question")) > 50);
	json_decref(j);
	free(text);
}

static void test_cli_eval_gives_up_on_a_dead_server_and_exits_3(void **state)
{
	fake *f = *state;
	const char *qpath = write_bench(f, 6);
	char args[512], out[600];
	snprintf(args, sizeof args, "--llm %s --model fail-403", f->srv.url);
	int before = requests_for(f, "fail-403");
	assert_int_equal(run_eval(f, qpath, args, out), 3);
	/* Three failures without a success: the other questions are not sent. */
	assert_int_equal(requests_for(f, "fail-403"), before + 3);
}

static void test_cli_library_questions_go_to_the_model_too(void **state)
{
	fake *f = *state;
	const char *bin = getenv("WK_BIN") ? getenv("WK_BIN") : "build/wukong";
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "%s add %s >/dev/null 2>&1", bin, f->pdf);
	assert_int_equal(system(cmd), 0);
	const char *tmp = getenv("WK_TMP") ? getenv("WK_TMP") : "/tmp";
	snprintf(cmd, sizeof cmd, "WUKONG_API_KEY=sk-test %s ask --library 'Which planet is the "
	         "smallest?' --llm %s --model library-model --json >%s/lib.out 2>&1", bin, f->srv.url,
	         tmp);
	int st = system(cmd);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(requests_for(f, "library-model"), 1);
	char out[600];
	snprintf(out, sizeof out, "%s/lib.out", tmp);
	char *text = slurp(out);
	assert_non_null(strstr(text, "\"mode\":\"llm\""));
	free(text);
	snprintf(cmd, sizeof cmd, "%s ask --library 'Which planet is the smallest?' --llm %s "
	         "--model fail-403 >/dev/null 2>&1", bin, f->srv.url);
	st = system(cmd);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 3);
}

int main(void)
{
	alarm(240); /* whatever happens, this program does not hang */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_holds_system_prompt_evidence_blocks_and_question),
		cmocka_unit_test(test_text_mode_sends_figures_as_text_and_vision_as_png_images),
		cmocka_unit_test(test_base64_matches_rfc4648_vectors),
		cmocka_unit_test(test_bare_base_url_gets_the_v1_path),
		cmocka_unit_test(test_cited_ids_are_validated_and_invented_ids_dropped),
		cmocka_unit_test(test_usage_is_read_from_plain_and_streamed_replies),
		cmocka_unit_test(test_streamed_pieces_arrive_in_order),
		cmocka_unit_test(test_reasoning_before_the_answer_is_neither_shown_nor_cited),
		cmocka_unit_test(test_a_last_event_without_newline_still_counts),
		cmocka_unit_test(test_refusal_is_marked_not_found),
		cmocka_unit_test(test_each_server_failure_gives_its_code_and_one_line),
		cmocka_unit_test(test_wrong_key_and_wrong_path_are_told_apart),
		cmocka_unit_test(test_network_failures_are_one_line_enet),
		cmocka_unit_test(test_5xx_is_retried_with_backoff_until_it_succeeds),
		cmocka_unit_test(test_429_honours_retry_after),
		cmocka_unit_test(test_retries_are_bounded),
		cmocka_unit_test(test_stall_and_silence_end_within_their_timeouts),
		cmocka_unit_test(test_a_cancel_hook_stops_the_request_at_once),
		cmocka_unit_test(test_a_cut_stream_is_retried_only_while_nothing_was_shown),
		cmocka_unit_test(test_evidence_sent_is_the_selection_within_budget),
		cmocka_unit_test(test_context_length_error_retries_once_with_half_the_budget),
		cmocka_unit_test(test_requests_in_flight_at_once_do_not_disturb_each_other),
		cmocka_unit_test(test_settings_come_from_command_line_then_env_then_file),
		cmocka_unit_test(test_ask_service_removes_citations_of_ids_not_sent_also_as_it_streams),
		cmocka_unit_test(test_ask_service_falls_back_or_fails_as_its_policy_says),
		cmocka_unit_test(test_cli_json_has_the_models_answer_citations_and_usage),
		cmocka_unit_test(test_cli_model_failure_exits_3_with_one_line_or_falls_back),
		cmocka_unit_test(test_cli_batch_with_jobs_answers_in_order),
		cmocka_unit_test(test_cli_takes_the_url_from_the_config_file_and_no_llm_turns_it_off),
		cmocka_unit_test(test_cli_eval_scores_the_models_answers_and_reports_prompt_tokens),
		cmocka_unit_test(test_cli_eval_gives_up_on_a_dead_server_and_exits_3),
		cmocka_unit_test(test_cli_library_questions_go_to_the_model_too),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_serve.c: the HTTP API against a real `wukong serve` process on a free loopback
 * port with a temporary library, driven with libcurl: uploads of generated PDFs, list,
 * get, ask (answer and evidence with boxes), page and unit PNGs, delete, and every error
 * status: 400, 401, 404, 405, 413, 422, 503, and paths that try to escape.
 *
 * Everything runs twice: on SQLite libraries, then on PostgreSQL ones when $WK_TEST_PG
 * names a database (pgtest.h), with two servers sharing one library and a database that
 * goes away under a running server and comes back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four above first */
#include <cmocka.h>

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../src/util/util.h"
#include "support/mkhttp.h"
#include "support/mkpdf.h"
#include "support/mkrun.h"
#include "support/mkserve.h"
#include "support/pgtest.h"

/* ---- servers (tests/support/mkhttp) ---- */

typedef mk_server server;
typedef mk_reply reply;
typedef mk_request request;

static char g_dir[400];
static char g_pdf_a[600], g_pdf_b[600], g_notpdf[600];
static int g_pg; /* 1: the servers' libraries are PostgreSQL schemas */

/* `wukong serve --db DB --listen 127.0.0.1:0 ARGS...`; its log is <name>.log. */
static void server_start_on(server *s, const char *name, const char *db,
                            const char *const *args)
{
	const char *argv[32] = {"--db", db};
	int n = 2;
	for (int i = 0; args && args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	char log[700];
	snprintf(log, sizeof log, "%s/%s.log", g_dir, name);
	mk_server_startv(s, log, argv);
}

/* A server on a library of its own: <name>.db, or a PostgreSQL schema in the second pass. */
static void server_start(server *s, const char *name, const char *const *args)
{
	char db[2048];
	snprintf(db, sizeof db, "%s/%s.db", g_dir, name);
	if (g_pg)
		snprintf(db, sizeof db, "%s", pg_test_library(db));
	server_start_on(s, name, db, args);
}

/* A request that must be answered: no reply at all fails the test. */
static reply http(const server *s, request rq)
{
	reply r = mk_send(s, rq);
	if (!r.status)
		fail_msg("%s %s: no reply", rq.method ? rq.method : "GET", rq.path);
	return r;
}

static reply get(const server *s, const char *path)
{
	return http(s, (request){.path = path});
}

static json_t *json_of(const reply *r)
{
	json_t *j = json_loadb(r->body ? r->body : "", r->len, 0, NULL);
	if (!j)
		fail_msg("not JSON (status %ld): %.200s", r->status, r->body ? r->body : "");
	return j;
}

/* Every error is JSON {"error": "..."} with a non-empty message. */
static void assert_error(reply *r, long status)
{
	if (r->status != status)
		fail_msg("expected %ld, got %ld: %.300s", status, r->status,
		         r->body ? r->body : "");
	json_t *j = json_of(r);
	const char *msg = json_string_value(json_object_get(j, "error"));
	assert_non_null(msg);
	assert_true(strlen(msg) > 3);
	json_decref(j);
	free(r->body);
}

/* Uploads a file as the raw body; returns the parsed reply (caller decrefs). */
static json_t *upload_raw(const server *s, const char *file, const char *name, long *status)
{
	size_t len;
	char *data = mk_read_file(file, &len);
	char path[300];
	snprintf(path, sizeof path, "/v1/documents?name=%s", name);
	reply r = http(s, (request){.method = "POST", .path = path, .body = data, .len = len});
	free(data);
	*status = r.status;
	json_t *j = json_of(&r);
	free(r.body);
	return j;
}

/* ---- fixtures ---- */

static void make_pdf_b(const char *path)
{
	mk_pdf *p = mk_new();
	mk_page(p, 595, 842);
	mk_text(p, "Helvetica-Bold", 16, 72, 90, "Bridge inspection report");
	mk_text(p, "Times-Roman", 11, 72, 130,
	        "The steel girders of the old bridge showed "
	        "corrosion on the eastern span.");
	mk_save(p, path, NULL);
}

static server g_main, g_tiny, g_token, g_idle, g_llm, g_stall;
static pid_t g_fake_llm;
static int g_fake_llm_stdin = -1;

/* Starts tests/tools/fake_llm (an OpenAI-compatible server) and returns its port. */
static int start_fake_llm(void)
{
	char bin[700];
	snprintf(bin, sizeof bin, "%s/fake_llm", getenv("WK_TOOLS") ? getenv("WK_TOOLS") : ".");
	int in[2], out[2];
	if (pipe(in) || pipe(out))
		return 0;
	g_fake_llm = fork();
	if (g_fake_llm == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(bin, bin, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	g_fake_llm_stdin = in[1]; /* it serves until this closes */
	char line[64] = "";
	struct pollfd pfd = {.fd = out[0], .events = POLLIN};
	ssize_t n = poll(&pfd, 1, 20000) > 0 ? read(out[0], line, sizeof line - 1) : 0;
	line[n > 0 ? n : 0] = '\0';
	close(out[0]);
	return atoi(line);
}

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("WK_TMP");
	snprintf(g_dir, sizeof g_dir, "%s/serve-%d%s", tmp ? tmp : "/tmp", (int)getpid(),
	         g_pg ? "-pg" : "");
	char cmd[700];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s'", g_dir);
	if (system(cmd) != 0)
		return -1;
	snprintf(g_pdf_a, sizeof g_pdf_a, "%s/zebra.pdf", g_dir);
	snprintf(g_pdf_b, sizeof g_pdf_b, "%s/bridge.pdf", g_dir);
	snprintf(g_notpdf, sizeof g_notpdf, "%s/notes.pdf", g_dir);
	mk_serve_zebra_pdf(g_pdf_a);
	make_pdf_b(g_pdf_b);
	FILE *f = fopen(g_notpdf, "w");
	fputs("this is plain text pretending to be a PDF\n", f);
	fclose(f);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	server_start(&g_main, "main", NULL);
	server_start(&g_tiny, "tiny",
	             (const char *const[]){"--max-clients", "1", "--max-upload", "1000", NULL});
	server_start(&g_token, "token", (const char *const[]){"--token", "s3cret-t0ken", NULL});
	server_start(&g_idle, "idle", (const char *const[]){"--timeout", "1", NULL});
	int llm_port = start_fake_llm();
	if (llm_port <= 0)
		return -1;
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", llm_port);
	setenv("WUKONG_LLM_URL", url, 1); /* the server reads it at start */
	server_start(&g_llm, "llm", NULL);
	setenv("WUKONG_MODEL", "stall", 1); /* the fake streams one event, then is silent */
	server_start(&g_stall, "stall", NULL);
	unsetenv("WUKONG_MODEL");
	unsetenv("WUKONG_LLM_URL");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	int a = mk_server_stop(&g_main), b = mk_server_stop(&g_tiny), c = mk_server_stop(&g_token);
	int d = mk_server_stop(&g_idle), e = mk_server_stop(&g_llm);
	if (g_stall.pid > 0)
		e |= mk_server_stop(&g_stall);
	close(g_fake_llm_stdin);
	waitpid(g_fake_llm, NULL, 0);
	curl_global_cleanup();
	if (a || b || c || d || e) {
		fprintf(stderr, "servers exited with %d %d %d %d %d\n", a, b, c, d, e);
		return -1;
	}
	return 0;
}

/* ---- tests ---- */

static void test_health_answers_ok_with_json(void **state)
{
	(void)state;
	reply r = get(&g_main, "/healthz");
	assert_int_equal(r.status, 200);
	assert_string_equal(r.ctype, "application/json");
	json_t *j = json_of(&r);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
	assert_true(json_is_false(json_object_get(j, "llm"))); /* no model configured */
	json_decref(j);
	free(r.body);
}

static void test_page_is_served_at_root_without_external_resources(void **state)
{
	(void)state;
	reply r = get(&g_main, "/");
	assert_int_equal(r.status, 200);
	assert_true(!strncmp(r.ctype, "text/html", 9));
	assert_non_null(strstr(r.body, "<html"));
	assert_non_null(strstr(r.body, "/v1/ask"));
	assert_null(strstr(r.body, "http://"));
	assert_null(strstr(r.body, "https://"));
	/* it names its uploads and polls their progress, and asks for a PDF's password */
	assert_non_null(strstr(r.body, "X-Upload-Id"));
	assert_non_null(strstr(r.body, "\"/v1/uploads/\""));
	assert_non_null(strstr(r.body, "fd.append(\"password\""));
	free(r.body);
}

/* Browsers ask for /favicon.ico whatever the page says: an icon, not a 404 in their
 * console; like the page, it needs no token. */
static void test_the_icon_is_served_without_a_token(void **state)
{
	(void)state;
	const server *servers[] = {&g_main, &g_token};
	for (int i = 0; i < 2; i++) {
		reply r = get(servers[i], "/favicon.ico");
		assert_int_equal(r.status, 200);
		assert_string_equal(r.ctype, "image/x-icon");
		assert_true(r.len > 22 && !memcmp(r.body, "\0\0\1\0", 4)); /* an ICO header */
		assert_memory_equal(r.body + 22, "\x89PNG", 4);       /* its one PNG image */
		free(r.body);
	}
	reply page = get(&g_main, "/");
	assert_non_null(strstr(page.body, "rel=\"icon\" href=\"/favicon.ico\""));
	free(page.body);
}

/* Uploads both fixtures (raw and multipart) and returns the id of the first. */
static void upload_fixtures(char *id_a, char *id_b)
{
	long status;
	json_t *a = upload_raw(&g_main, g_pdf_a, "zebra.pdf", &status);
	assert_true(status == 201 || status == 200);
	snprintf(id_a, 17, "%s", json_string_value(json_object_get(a, "id")));
	json_decref(a);
	reply r =
	    http(&g_main, (request){.method = "POST", .path = "/v1/documents", .file = g_pdf_b});
	assert_true(r.status == 201 || r.status == 200);
	json_t *b = json_of(&r);
	snprintf(id_b, 17, "%s", json_string_value(json_object_get(b, "id")));
	assert_string_equal(json_string_value(json_object_get(b, "name")), "bridge.pdf");
	json_decref(b);
	free(r.body);
}

static void test_upload_raw_and_multipart_give_document_records(void **state)
{
	(void)state;
	long status;
	json_t *a = upload_raw(&g_main, g_pdf_a, "zebra.pdf", &status);
	assert_int_equal(status, 201);
	const char *id = json_string_value(json_object_get(a, "id"));
	assert_non_null(id);
	assert_int_equal(strlen(id), 16);
	assert_int_equal(strspn(id, "0123456789abcdef"), 16);
	assert_int_equal(json_integer_value(json_object_get(a, "pages")), 2);
	assert_true(json_integer_value(json_object_get(a, "units")) >= 3);
	assert_string_equal(json_string_value(json_object_get(a, "name")), "zebra.pdf");
	assert_string_equal(json_string_value(json_object_get(a, "status")), "new");
	json_decref(a);
	/* The same bytes again: nothing new. */
	json_t *again = upload_raw(&g_main, g_pdf_a, "zebra.pdf", &status);
	assert_int_equal(status, 200);
	assert_string_equal(json_string_value(json_object_get(again, "status")), "unchanged");
	json_decref(again);
	reply r =
	    http(&g_main, (request){.method = "POST", .path = "/v1/documents", .file = g_pdf_b});
	assert_int_equal(r.status, 201);
	json_t *b = json_of(&r);
	assert_int_equal(json_integer_value(json_object_get(b, "pages")), 1);
	json_decref(b);
	free(r.body);
}

static void test_list_and_get_show_uploaded_documents(void **state)
{
	(void)state;
	char id_a[17], id_b[17], path[128];
	upload_fixtures(id_a, id_b);
	reply r = get(&g_main, "/v1/documents");
	assert_int_equal(r.status, 200);
	json_t *j = json_of(&r);
	json_t *docs = json_object_get(j, "documents");
	assert_true(json_array_size(docs) >= 2);
	int seen = 0;
	for (size_t i = 0; i < json_array_size(docs); i++) {
		const char *id = json_string_value(json_object_get(json_array_get(docs, i), "id"));
		seen += !strcmp(id, id_a) + !strcmp(id, id_b);
	}
	assert_int_equal(seen, 2);
	json_decref(j);
	free(r.body);
	snprintf(path, sizeof path, "/v1/documents/%s", id_a);
	r = get(&g_main, path);
	assert_int_equal(r.status, 200);
	j = json_of(&r);
	assert_string_equal(json_string_value(json_object_get(j, "id")), id_a);
	json_t *sizes = json_object_get(j, "page_sizes");
	assert_int_equal(json_array_size(sizes), 2);
	assert_true(fabs(json_number_value(json_array_get(json_array_get(sizes, 0), 0)) - 612) < 1);
	assert_true(fabs(json_number_value(json_array_get(json_array_get(sizes, 0), 1)) - 792) < 1);
	json_decref(j);
	free(r.body);
	/* A unique prefix finds it too. */
	snprintf(path, sizeof path, "/v1/documents/%.8s", id_a);
	r = get(&g_main, path);
	assert_int_equal(r.status, 200);
	free(r.body);
}

/* The box must lie on its page and contain the words it claims. */
static void check_bbox(json_t *item)
{
	json_t *bbox = json_object_get(item, "bbox");
	assert_true(json_is_array(bbox));
	assert_true(json_array_size(bbox) >= 1);
	json_t *b = json_array_get(bbox, 0);
	int page = (int)json_integer_value(json_object_get(b, "page"));
	assert_true(page >= 1 && page <= 2);
	json_t *rect = json_object_get(b, "rect");
	assert_int_equal(json_array_size(rect), 4);
	double x0 = json_number_value(json_array_get(rect, 0)),
	       y0 = json_number_value(json_array_get(rect, 1));
	double x1 = json_number_value(json_array_get(rect, 2)),
	       y1 = json_number_value(json_array_get(rect, 3));
	assert_true(x0 >= 0 && x0 < x1 && x1 <= 612);
	assert_true(y0 >= 0 && y0 < y1 && y1 <= 792);
}

static void test_ask_returns_answer_and_evidence_with_boxes(void **state)
{
	(void)state;
	char id_a[17], id_b[17], body[256];
	upload_fixtures(id_a, id_b);
	snprintf(body, sizeof body,
	         "{\"question\": \"How many zebra animals did the population "
	         "grow to in 2019?\", \"doc_id\": \"%s\", \"budget\": 256}",
	         id_a);
	reply r = http(&g_main, (request){.method = "POST",
	                                  .path = "/v1/ask",
	                                  .body = body,
	                                  .len = strlen(body),
	                                  .ctype = "application/json"});
	assert_int_equal(r.status, 200);
	json_t *j = json_of(&r);
	assert_non_null(json_object_get(j, "answer"));
	assert_non_null(strstr(r.body, "4213"));
	json_t *ev = json_object_get(j, "evidence");
	assert_true(json_array_size(ev) >= 1);
	int found = 0;
	for (size_t i = 0; i < json_array_size(ev); i++) {
		json_t *item = json_array_get(ev, i);
		check_bbox(item);
		json_t *doc = json_object_get(item, "doc"); /* one shape: docs/api.md */
		assert_string_equal(json_string_value(json_object_get(doc, "id")), id_a);
		const char *text = json_string_value(json_object_get(item, "text"));
		found |= text && strstr(text, "4213") != NULL;
	}
	assert_true(found);
	json_decref(j);
	free(r.body);
	/* Across the library the bridge question finds the bridge document. */
	const char *q = "{\"question\": \"Where did the bridge girders show corrosion?\"}";
	r = http(&g_main, (request){.method = "POST",
	                            .path = "/v1/ask",
	                            .body = q,
	                            .len = strlen(q),
	                            .ctype = "application/json"});
	assert_int_equal(r.status, 200);
	j = json_of(&r);
	ev = json_object_get(j, "evidence");
	assert_true(json_array_size(ev) >= 1);
	assert_non_null(strstr(r.body, id_b));
	json_decref(j);
	free(r.body);
}

/* Width and height from a PNG's IHDR, after checking the signature. */
static void png_size(const reply *r, unsigned *w, unsigned *h)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	assert_true(r->len > 24);
	assert_memory_equal(r->body, sig, 8);
	const unsigned char *p = (const unsigned char *)r->body + 16;
	*w = (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
	*h = (unsigned)p[4] << 24 | (unsigned)p[5] << 16 | (unsigned)p[6] << 8 | p[7];
}

static void test_page_png_has_the_size_of_its_dpi(void **state)
{
	(void)state;
	char id_a[17], id_b[17], path[160];
	upload_fixtures(id_a, id_b);
	const int dpis[] = {72, 144};
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "/v1/documents/%s/pages/2.png?dpi=%d", id_a, dpis[i]);
		reply r = get(&g_main, path);
		assert_int_equal(r.status, 200);
		assert_string_equal(r.ctype, "image/png");
		unsigned w, h;
		png_size(&r, &w, &h);
		assert_true(abs((int)w - 612 * dpis[i] / 72) <= 1);
		assert_true(abs((int)h - 792 * dpis[i] / 72) <= 1);
		free(r.body);
	}
	snprintf(path, sizeof path, "/v1/documents/%s/pages/1.png?dpi=9999", id_a);
	reply r = get(&g_main, path);
	assert_error(&r, 400);
	snprintf(path, sizeof path, "/v1/documents/%s/pages/1.png?dpi=abc", id_a);
	r = get(&g_main, path);
	assert_error(&r, 400);
}

static void test_unit_png_is_a_crop_of_its_box(void **state)
{
	(void)state;
	char id_a[17], id_b[17], path[160];
	upload_fixtures(id_a, id_b);
	snprintf(path, sizeof path, "/v1/documents/%s/units/0.png?dpi=72", id_a);
	reply r = get(&g_main, path);
	assert_int_equal(r.status, 200);
	unsigned w, h;
	png_size(&r, &w, &h);
	assert_true(w >= 1 && w < 612 && h >= 1 && h < 792); /* a part of the page */
	free(r.body);
}

static void test_unknown_document_page_and_unit_give_404(void **state)
{
	(void)state;
	char id_a[17], id_b[17], path[160];
	upload_fixtures(id_a, id_b);
	reply r = get(&g_main, "/v1/documents/0123456789abcdef");
	assert_error(&r, 404);
	snprintf(path, sizeof path, "/v1/documents/%s/pages/3.png", id_a);
	r = get(&g_main, path);
	assert_error(&r, 404);
	snprintf(path, sizeof path, "/v1/documents/%s/units/99999.png", id_a);
	r = get(&g_main, path);
	assert_error(&r, 404);
	r = get(&g_main, "/v1/nothing");
	assert_error(&r, 404);
	const char *q = "{\"question\": \"zebra?\", \"doc_id\": \"0123456789abcdef\"}";
	r = http(&g_main, (request){.method = "POST",
	                            .path = "/v1/ask",
	                            .body = q,
	                            .len = strlen(q),
	                            .ctype = "application/json"});
	assert_error(&r, 404);
}

static void test_bad_ids_and_traversal_are_refused(void **state)
{
	(void)state;
	const char *bad[] = {
	    "/v1/documents/../../../etc/passwd",
	    "/v1/documents/%2e%2e/%2e%2e/etc/passwd",
	    "/v1/documents/..%2f..%2fetc%2fpasswd",
	    "/v1/documents/ABCDEF12",
	    "/v1/documents/abc",
	    "/v1/documents/abcd'%20OR%201=1--",
	    "/v1/documents/abcd/pages/-1.png",
	    "/v1/documents/abcd/pages/0.png",
	    "/v1/documents/abcd/pages/1e3.png",
	    "/v1/documents/abcd/units/x.png",
	    "/../../etc/passwd",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		reply r = get(&g_main, bad[i]);
		if (r.status != 400 && r.status != 404)
			fail_msg("%s gave %ld", bad[i], r.status);
		assert_null(strstr(r.body ? r.body : "", "root:"));
		assert_error(&r, r.status);
	}
}

static void test_wrong_method_gives_405_with_allow(void **state)
{
	(void)state;
	reply r = http(&g_main, (request){.method = "PUT", .path = "/v1/documents"});
	assert_string_equal(r.allow, "GET, HEAD, POST");
	assert_error(&r, 405);
	r = get(&g_main, "/v1/ask");
	assert_string_equal(r.allow, "POST");
	assert_error(&r, 405);
	r = http(&g_main, (request){.method = "DELETE", .path = "/v1/documents"});
	assert_error(&r, 405);
}

static void post_ask(const char *body, long status)
{
	reply r = http(&g_main, (request){.method = "POST",
	                                  .path = "/v1/ask",
	                                  .body = body,
	                                  .len = strlen(body),
	                                  .ctype = "application/json"});
	assert_error(&r, status);
}

static void test_malformed_json_and_missing_fields_give_400(void **state)
{
	(void)state;
	post_ask("{\"question\": ", 400);
	post_ask("[1, 2]", 400);
	post_ask("{}", 400);
	post_ask("{\"question\": 42}", 400);
	post_ask("{\"question\": \"   \"}", 400);
	post_ask("{\"question\": \"zebra?\", \"budget\": \"many\"}", 400);
	post_ask("{\"question\": \"zebra?\", \"budget\": 3}", 400);
	post_ask("{\"question\": \"zebra?\", \"doc_id\": \"../x\"}", 400);
	post_ask("{\"question\": \"zebra?\", \"llm\": \"yes\"}", 400);
	reply r = http(&g_main,
	               (request){.method = "POST", .path = "/v1/documents", .body = "", .len = 0});
	assert_error(&r, 400);
}

static int count_documents(const server *s)
{
	reply r = get(s, "/v1/documents");
	assert_int_equal(r.status, 200);
	json_t *j = json_of(&r);
	int n = (int)json_array_size(json_object_get(j, "documents"));
	json_decref(j);
	free(r.body);
	return n;
}

static void test_non_pdf_upload_gives_422_and_is_not_kept(void **state)
{
	(void)state;
	int before = count_documents(&g_main);
	size_t len;
	char *data = mk_read_file(g_notpdf, &len);
	reply r = http(&g_main, (request){.method = "POST",
	                                  .path = "/v1/documents?name=notes.pdf",
	                                  .body = data,
	                                  .len = len});
	free(data);
	assert_error(&r, 422);
	r = http(&g_main, (request){.method = "POST", .path = "/v1/documents", .file = g_notpdf});
	assert_error(&r, 422);
	assert_int_equal(count_documents(&g_main), before);
}

static void test_upload_over_the_limit_gives_413(void **state)
{
	(void)state;
	size_t len;
	char *data = mk_read_file(g_pdf_a, &len);
	assert_true(len > 1000);
	reply r =
	    http(&g_tiny,
	         (request){.method = "POST", .path = "/v1/documents", .body = data, .len = len});
	assert_error(&r, 413);
	r = http(&g_tiny, (request){.method = "POST", .path = "/v1/documents", .file = g_pdf_a});
	assert_error(&r, 413);
	free(data);
	assert_int_equal(count_documents(&g_tiny), 0);
}

static void test_token_is_required_when_set(void **state)
{
	(void)state;
	reply r = get(&g_token, "/v1/documents");
	assert_error(&r, 401);
	r = http(&g_token, (request){.path = "/v1/documents", .auth = "Bearer wrong-token"});
	assert_error(&r, 401);
	r = http(&g_token, (request){.path = "/v1/documents", .auth = "Bearer s3cret-t0ke"});
	assert_error(&r, 401);
	r = http(&g_token, (request){.path = "/v1/documents", .auth = "Basic s3cret-t0ken"});
	assert_error(&r, 401);
	r = http(&g_token, (request){.path = "/v1/documents", .auth = "Bearer s3cret-t0ken"});
	assert_int_equal(r.status, 200);
	free(r.body);
	r = get(&g_token, "/healthz"); /* health and the page stay open for monitors */
	assert_int_equal(r.status, 200);
	free(r.body);
}

/* Holds one request open: the headers of an upload and part of its body. */
static int hold_request(const server *s)
{
	int fd = mk_dial(s);
	const char *head = "POST /v1/documents HTTP/1.1\r\nHost: localhost\r\nContent-Length: 900\r\n"
	                   "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n";
	assert_int_equal(write(fd, head, strlen(head)), (ssize_t)strlen(head));
	return fd;
}

/* A held request can itself be refused with 503 when it arrives while an earlier
 * request's slot is still being given back; then it holds nothing, so hold another. */
static void rehold_if_answered(const server *s, int *fd)
{
	struct pollfd p = {.fd = *fd, .events = POLLIN};
	if (poll(&p, 1, 0) == 1) {
		close(*fd);
		*fd = hold_request(s);
	}
}

static void test_requests_past_max_clients_get_503(void **state)
{
	(void)state;
	int fd = hold_request(&g_tiny);
	reply r = {0};
	for (int i = 0; i < 500; i++) { /* until the server has read the held request's headers */
		free(r.body);
		rehold_if_answered(&g_tiny, &fd);
		r = get(&g_tiny, "/v1/documents");
		if (r.status == 503)
			break;
		usleep(20000);
	}
	assert_error(&r, 503);
	r = get(&g_tiny, "/healthz"); /* health is never refused */
	assert_int_equal(r.status, 200);
	free(r.body);
	close(fd);
	for (int i = 0; i < 50; i++) {
		r = get(&g_tiny, "/v1/documents");
		if (r.status == 200)
			break;
		free(r.body);
		r.body = NULL;
		usleep(20000);
	}
	assert_int_equal(r.status, 200);
	free(r.body);
}

static void test_uploads_past_four_at_once_get_503(void **state)
{
	(void)state;
	int held[4];
	for (int i = 0; i < 4; i++)
		held[i] = hold_request(&g_main);
	reply r = {0};
	for (int i = 0; i < 500; i++) { /* until the server has read the held headers */
		free(r.body);
		for (int k = 0; k < 4; k++)
			rehold_if_answered(&g_main, &held[k]);
		r = http(&g_main,
		         (request){.method = "POST", .path = "/v1/documents", .file = g_pdf_b});
		if (r.status == 503)
			break;
		usleep(20000);
	}
	assert_error(&r, 503);
	r = get(&g_main, "/v1/documents"); /* other requests go on */
	assert_int_equal(r.status, 200);
	free(r.body);
	for (int i = 0; i < 4; i++)
		close(held[i]);
	for (int i = 0; i < 100; i++) { /* the slots come back once the server sees the hangups */
		r = http(&g_main,
		         (request){.method = "POST", .path = "/v1/documents", .file = g_pdf_b});
		free(r.body);
		if (r.status != 503)
			break;
		usleep(20000);
	}
	assert_true(r.status == 200 || r.status == 201);
}

/* The page names its upload (X-Upload-Id) and polls /v1/uploads/ID while the server
 * parses it: pages done of total, never more done than total, then "done" with all of
 * them; an id nobody used is a 404, a malformed one a 400. */
static void test_an_upload_reports_its_pages_done_while_it_is_parsed(void **state)
{
	(void)state;
	char pdf[700];
	snprintf(pdf, sizeof pdf, "%s/long.pdf", g_dir);
	mk_pdf *p = mk_new();
	for (int i = 0; i < 40; i++) {
		mk_page(p, 595, 842);
		mk_text(p, "Times-Roman", 11, 72, 90, "A page of the long report on river levels.");
	}
	mk_save(p, pdf, NULL);
	const char *id = "5eed0f00d";
	reply r = http(&g_main, (request){.method = "POST", .path = "/v1/documents", .file = pdf,
	                                  .header = "X-Upload-Id: 5eed0f00d"});
	assert_int_equal(r.status, 201);
	free(r.body);
	char path[128];
	snprintf(path, sizeof path, "/v1/uploads/%s", id);
	r = get(&g_main, path);
	assert_int_equal(r.status, 200);
	json_t *j = json_of(&r);
	assert_string_equal(json_string_value(json_object_get(j, "stage")), "done");
	assert_int_equal(json_integer_value(json_object_get(j, "pages_done")), 40);
	assert_int_equal(json_integer_value(json_object_get(j, "pages_total")), 40);
	json_decref(j);
	free(r.body);
	r = get(&g_main, "/v1/uploads/abcdef12");
	assert_error(&r, 404);
	r = get(&g_main, "/v1/uploads/NOT-HEX");
	assert_error(&r, 400);
	r = get(&g_token, path); /* like the rest of /v1/, behind the token */
	assert_error(&r, 401);
}

static void test_delete_removes_the_document(void **state)
{
	(void)state;
	char id_a[17], id_b[17], path[128];
	upload_fixtures(id_a, id_b);
	snprintf(path, sizeof path, "/v1/documents/%s", id_b);
	reply r = http(&g_main, (request){.method = "DELETE", .path = path});
	assert_int_equal(r.status, 200);
	free(r.body);
	r = get(&g_main, path);
	assert_error(&r, 404);
	r = http(&g_main, (request){.method = "DELETE", .path = path});
	assert_error(&r, 404);
	snprintf(path, sizeof path, "/v1/documents/%s/pages/1.png", id_b);
	r = get(&g_main, path);
	assert_error(&r, 404);
}

static void test_each_request_is_logged(void **state)
{
	(void)state;
	reply r = get(&g_main, "/healthz?probe=log");
	free(r.body);
	size_t len;
	char *log = NULL;
	for (int i = 0; i < 20 && !(log && strstr(log, "GET /healthz 200 ")); i++) {
		free(log);
		usleep(50000);
		log = mk_read_file(g_main.log, &len);
	}
	assert_non_null(strstr(log, "GET /healthz 200 "));
	assert_non_null(strstr(log, "ms\n"));
	free(log);
}

static void test_public_address_without_token_is_refused(void **state)
{
	(void)state;
	char db[600];
	snprintf(db, sizeof db, "%s/public.db", g_dir);
	char *argv[] = {getenv("WK_BIN"), "serve", "--db", db, "--listen", "0.0.0.0:0", NULL};
	mk_limits lim = {.wall_seconds = 20};
	mk_result res;
	mk_run(argv, &lim, &res);
	assert_int_equal(res.status, 2);
	assert_non_null(strstr(res.err, "--token"));
	mk_result_free(&res);
}

/* libmicrohttpd's own "Failed to bind to port 0" came before our line: one line now,
 * naming the address asked for and the cause. */
static void test_a_port_in_use_is_one_error_line(void **state)
{
	(void)state;
	char db[600], listen[64];
	snprintf(db, sizeof db, "%s/taken.db", g_dir);
	snprintf(listen, sizeof listen, "127.0.0.1:%d", g_main.port);
	char *argv[] = {getenv("WK_BIN"), "serve", "--db", db, "--listen", listen, NULL};
	mk_limits lim = {.wall_seconds = 20};
	mk_result res;
	mk_run(argv, &lim, &res);
	assert_int_equal(res.status, 4);
	assert_int_equal(mk_lines(res.err), 1);
	assert_non_null(strstr(res.err, listen));
	assert_non_null(strstr(res.err, "in use"));
	assert_null(strstr(res.err, "port 0"));
	mk_result_free(&res);
}

static json_t *ask_json(const server *s, const char *body)
{
	reply r = http(s, (request){.method = "POST",
	                            .path = "/v1/ask",
	                            .body = body,
	                            .len = strlen(body),
	                            .ctype = "application/json"});
	assert_int_equal(r.status, 200);
	json_t *j = json_of(&r);
	free(r.body);
	return j;
}

static void test_llm_answers_through_the_model_or_falls_back(void **state)
{
	(void)state;
	long status;
	json_decref(upload_raw(&g_llm, g_pdf_a, "zebra.pdf", &status));
	assert_true(status == 201 || status == 200);
	const char *q =
	    "{\"question\": \"How many zebra animals were there in 2019?\", \"llm\": true}";
	reply h = get(&g_llm, "/healthz");
	assert_non_null(strstr(h.body, "\"llm\":true"));
	free(h.body);
	json_t *j = ask_json(&g_llm, q);
	assert_string_equal(json_string_value(json_object_get(j, "mode")), "llm");
	assert_true(strlen(json_string_value(json_object_get(j, "answer"))) > 0);
	size_t nev = json_array_size(json_object_get(j, "evidence"));
	json_t *cited = json_object_get(j, "cited");
	assert_true(json_array_size(cited) >= 1);
	for (size_t i = 0; i < json_array_size(cited); i++)
		assert_true((size_t)json_integer_value(json_array_get(cited, i)) < nev);
	json_decref(j);
	/* The main server has no model: extractive, said so. */
	char id_a[17], id_b[17];
	upload_fixtures(id_a, id_b);
	j = ask_json(&g_main, q);
	assert_string_equal(json_string_value(json_object_get(j, "mode")), "extractive-fallback");
	assert_non_null(json_string_value(json_object_get(j, "llm_error")));
	assert_non_null(strstr(json_string_value(json_object_get(j, "answer")), "4213"));
	json_decref(j);
}

/* ---- streamed answers ---- */

typedef struct sse {
	char kind[8][16]; /* the first 8 event names, in order */
	char last[16];    /* the last event's name */
	int n;            /* events in all */
	int tokens;
	char text[4096];  /* the token pieces joined */
	json_t *evidence, *done;
} sse;

static void sse_parse(const char *body, sse *out)
{
	memset(out, 0, sizeof *out);
	for (const char *p = body; p && *p;) {
		const char *end = strstr(p, "\n\n");
		assert_non_null(end); /* every event ends with a blank line */
		if (*p == ':') {      /* a comment: the keep-alive of a silent model */
			p = end + 2;
			continue;
		}
		char ev[16] = "";
		const char *data = strstr(p, "\ndata: ");
		assert_true(sscanf(p, "event: %15s", ev) == 1);
		assert_true(data && data < end);
		json_t *j = json_loadb(data + 7, (size_t)(end - data - 7), 0, NULL);
		assert_non_null(j);
		if (out->n < 8)
			snprintf(out->kind[out->n], sizeof out->kind[0], "%s", ev);
		snprintf(out->last, sizeof out->last, "%s", ev);
		out->n++;
		if (!strcmp(ev, "token")) {
			out->tokens++;
			strncat(out->text, json_string_value(json_object_get(j, "text")),
			        sizeof out->text - strlen(out->text) - 1);
		}
		if (!strcmp(ev, "evidence") && !out->evidence)
			out->evidence = json_incref(j);
		if (!strcmp(ev, "done"))
			out->done = json_incref(j);
		json_decref(j);
		p = end + 2;
	}
}

static void sse_ask(const server *s, const char *body, sse *out)
{
	reply r = http(s, (request){.method = "POST", .path = "/v1/ask", .body = body,
	                            .len = strlen(body), .ctype = "application/json"});
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.ctype, "text/event-stream"));
	sse_parse(r.body, out);
	free(r.body);
}

static void test_a_streamed_answer_sends_evidence_tokens_then_the_answer(void **state)
{
	(void)state;
	long status;
	json_decref(upload_raw(&g_llm, g_pdf_a, "zebra.pdf", &status));
	sse ev;
	sse_ask(&g_llm, "{\"question\": \"How many zebra animals were there in 2019?\", "
	                "\"llm\": true, \"stream\": true}", &ev);
	assert_string_equal(ev.kind[0], "evidence");
	assert_true(ev.tokens >= 2);
	assert_string_equal(ev.last, "done");
	assert_non_null(ev.done);
	const char *final = json_string_value(json_object_get(ev.done, "answer"));
	assert_string_equal(ev.text, final); /* the pieces make the answer */
	assert_string_equal(json_string_value(json_object_get(ev.done, "mode")), "llm");
	assert_string_equal(json_string_value(json_object_get(ev.evidence, "mode")), "extractive");
	assert_true(json_array_size(json_object_get(ev.evidence, "evidence")) ==
	            json_array_size(json_object_get(ev.done, "evidence")));
	json_decref(ev.evidence);
	json_decref(ev.done);

	/* No model on the main server: evidence, then the extractive answer, said so. */
	char id_a[17], id_b[17];
	upload_fixtures(id_a, id_b);
	sse_ask(&g_main, "{\"question\": \"How many zebra animals were there in 2019?\", "
	                 "\"llm\": true, \"stream\": true}", &ev);
	assert_int_equal(ev.n, 2);
	assert_string_equal(ev.kind[0], "evidence");
	assert_string_equal(ev.kind[1], "done");
	assert_int_equal(ev.tokens, 0);
	assert_string_equal(json_string_value(json_object_get(ev.done, "mode")),
	                    "extractive-fallback");
	assert_non_null(json_string_value(json_object_get(ev.done, "llm_error")));
	json_decref(ev.evidence);
	json_decref(ev.done);
	post_ask("{\"question\": \"zebra?\", \"stream\": 1}", 400);
}

/* A client that leaves while the model is silent: keep-alive comments find out that it
 * left, the model's request is canceled and the server stops at once, not after the
 * model's 30 s of silence. */
static void test_a_streamed_answer_whose_client_leaves_is_canceled(void **state)
{
	(void)state;
	long status;
	json_decref(upload_raw(&g_stall, g_pdf_a, "zebra.pdf", &status));
	const char *body = "{\"question\": \"How many zebra animals were there in 2019?\", "
	                   "\"llm\": true, \"stream\": true}";
	reply r = mk_send(&g_stall, (request){.method = "POST", .path = "/v1/ask", .body = body,
	                                      .len = strlen(body), .ctype = "application/json",
	                                      .timeout_ms = 2500}); /* then the client leaves */
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.body, "event: evidence"));
	assert_non_null(strstr(r.body, ": keep-alive"));
	assert_null(strstr(r.body, "event: done"));
	free(r.body);
	double t0 = wk_now_ms();
	assert_int_equal(mk_server_stop(&g_stall), 0);
	g_stall.pid = 0;
	assert_true(wk_now_ms() - t0 < 10000); /* not the fake's 30 s */
}

static void test_idle_connections_are_closed_after_the_timeout(void **state)
{
	(void)state;
	int fd = mk_dial(&g_idle);
	const char *partial = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n"; /* never finished */
	assert_int_equal(write(fd, partial, strlen(partial)), (ssize_t)strlen(partial));
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	assert_int_equal(poll(&pfd, 1, 15000), 1); /* the server hangs up well before 15 s */
	char buf[256];
	assert_true(read(fd, buf, sizeof buf) <= 0 || 1);
	close(fd);
	reply r = get(&g_idle, "/healthz"); /* and still serves */
	assert_int_equal(r.status, 200);
	free(r.body);
}

/* ---- PostgreSQL: servers sharing one library, a database that goes away ---- */

static int list_status(server *s)
{
	reply r = get(s, "/v1/documents");
	free(r.body);
	return (int)r.status;
}

/* An upload through one server is listed, answered from and rendered by the other,
 * which keeps no copy of the file: the PDF comes from the database. */
static void test_two_servers_on_one_library_serve_each_others_uploads(void **state)
{
	(void)state;
	char db[2048], path[160], cache[700];
	snprintf(db, sizeof db, "%s", pg_test_library("shared-by-two"));
	server one = {0}, two = {0};
	server_start_on(&one, "one", db, NULL);
	snprintf(cache, sizeof cache, "%s/two-cache", g_dir);
	char *saved = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME")) : NULL;
	setenv("XDG_CACHE_HOME", cache, 1); /* the second server's disk shares nothing */
	server_start_on(&two, "two", db, NULL);
	if (saved)
		setenv("XDG_CACHE_HOME", saved, 1);
	free(saved);
	long status;
	json_t *a = upload_raw(&one, g_pdf_a, "zebra.pdf", &status);
	assert_int_equal(status, 201);
	snprintf(path, sizeof path, "/v1/documents/%s/pages/1.png",
	         json_string_value(json_object_get(a, "id")));
	json_decref(a);
	assert_int_equal(count_documents(&two), 1);
	reply r = get(&two, path);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 8 && !memcmp(r.body, "\x89PNG", 4));
	free(r.body);
	r = http(&two, (request){.method = "POST",
	                         .path = "/v1/ask",
	                         .ctype = "application/json",
	                         .body = "{\"question\": \"What do zebras eat?\"}",
	                         .len = 35});
	assert_int_equal(r.status, 200);
	free(r.body);
	a = upload_raw(&two, g_pdf_a, "zebra.pdf", &status); /* the same content: no duplicate */
	assert_int_equal(status, 200);
	json_decref(a);
	assert_int_equal(count_documents(&one), 1);
	assert_int_equal(mk_server_stop(&one), 0);
	assert_int_equal(mk_server_stop(&two), 0);
}

static void test_a_server_answers_503_while_postgresql_is_away_then_recovers(void **state)
{
	(void)state;
	char uri[2048];
	pg_proxy *proxy = pg_proxy_start("away-and-back", uri, sizeof uri);
	assert_non_null(proxy);
	server s = {0};
	server_start_on(&s, "away", uri, NULL);
	long status;
	json_decref(upload_raw(&s, g_pdf_a, "zebra.pdf", &status));
	assert_int_equal(status, 201);
	assert_int_equal(list_status(&s), 200);
	pg_proxy_down(proxy); /* the server's connections drop; new ones are refused */
	assert_int_equal(list_status(&s), 503);
	reply r = http(&s, (request){.method = "POST",
	                             .path = "/v1/ask",
	                             .ctype = "application/json",
	                             .body = "{\"question\": \"What do zebras eat?\"}",
	                             .len = 35});
	assert_int_equal(r.status, 503);
	free(r.body);
	pg_proxy_up(proxy); /* back: the next request reconnects by itself */
	assert_int_equal(list_status(&s), 200);
	assert_int_equal(count_documents(&s), 1);
	assert_int_equal(mk_server_stop(&s), 0);
	pg_proxy_stop(proxy);
}

static int setup_pg(void **state)
{
	g_pg = 1;
	return setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_health_answers_ok_with_json),
	    cmocka_unit_test(test_page_is_served_at_root_without_external_resources),
	    cmocka_unit_test(test_the_icon_is_served_without_a_token),
	    cmocka_unit_test(test_upload_raw_and_multipart_give_document_records),
	    cmocka_unit_test(test_list_and_get_show_uploaded_documents),
	    cmocka_unit_test(test_ask_returns_answer_and_evidence_with_boxes),
	    cmocka_unit_test(test_page_png_has_the_size_of_its_dpi),
	    cmocka_unit_test(test_unit_png_is_a_crop_of_its_box),
	    cmocka_unit_test(test_unknown_document_page_and_unit_give_404),
	    cmocka_unit_test(test_bad_ids_and_traversal_are_refused),
	    cmocka_unit_test(test_wrong_method_gives_405_with_allow),
	    cmocka_unit_test(test_malformed_json_and_missing_fields_give_400),
	    cmocka_unit_test(test_non_pdf_upload_gives_422_and_is_not_kept),
	    cmocka_unit_test(test_upload_over_the_limit_gives_413),
	    cmocka_unit_test(test_token_is_required_when_set),
	    cmocka_unit_test(test_requests_past_max_clients_get_503),
	    cmocka_unit_test(test_uploads_past_four_at_once_get_503),
	    cmocka_unit_test(test_an_upload_reports_its_pages_done_while_it_is_parsed),
	    cmocka_unit_test(test_delete_removes_the_document),
	    cmocka_unit_test(test_each_request_is_logged),
	    cmocka_unit_test(test_public_address_without_token_is_refused),
	    cmocka_unit_test(test_a_port_in_use_is_one_error_line),
	    cmocka_unit_test(test_llm_answers_through_the_model_or_falls_back),
	    cmocka_unit_test(test_a_streamed_answer_sends_evidence_tokens_then_the_answer),
	    cmocka_unit_test(test_a_streamed_answer_whose_client_leaves_is_canceled),
	    cmocka_unit_test(test_idle_connections_are_closed_after_the_timeout),
	};
	const struct CMUnitTest pg_only[] = {
	    cmocka_unit_test(test_two_servers_on_one_library_serve_each_others_uploads),
	    cmocka_unit_test(test_a_server_answers_503_while_postgresql_is_away_then_recovers),
	};
	int failed = cmocka_run_group_tests_name("serve on SQLite", tests, setup, teardown);
	if (!pg_test_uri())
		return failed;
	failed += cmocka_run_group_tests_name("serve on PostgreSQL", tests, setup_pg, teardown);
	return failed + cmocka_run_group_tests_name("PostgreSQL shared", pg_only, NULL, NULL);
}

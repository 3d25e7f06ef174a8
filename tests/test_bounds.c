/* test_bounds.c: the hard bounds of issue 17 against real `wukong serve` processes and
 * the CLI, on inputs generated here (tests/support/mkhostile.h): the memory budget that
 * concurrent uploads share, Host and Origin checks, content types, the token from a
 * file, the request deadline against trickling bodies, 413 for chunked bodies, NUL in
 * paths, the upload/delete race and orphan files, damaged pages, cancellation on hangup
 * and on SIGTERM, the render deadline. HTTP is spoken over raw sockets so that every
 * header (Host, Origin, Transfer-Encoding) is exactly what the test says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four above first */
#include <cmocka.h>

#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wukong.h"
#include "support/mkhostile.h"
#include "support/mkhttp.h"
#include "support/mkrun.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1 /* memory figures mean nothing under ASan, and all is slower */
#else
#define SANITIZED 0
#endif

static char g_dir[400];
static char g_valid[600], g_damaged[600], g_laughs[4][600], g_small_laughs[600];

/* ---- a server process ---- */

typedef struct server {
	mk_server srv; /* its pid and port (tests/support/mkhttp) */
	char db[600];
} server;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* `wukong serve --db DIR/NAME.db --listen 127.0.0.1:0 --quiet ARGS...`. */
static void start(server *s, const char *name, const char *const *args)
{
	snprintf(s->db, sizeof s->db, "%s/%s.db", g_dir, name);
	const char *argv[24] = {"--db", s->db, "--quiet"};
	int n = 3;
	for (int i = 0; args && args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	mk_server_startv(&s->srv, NULL, argv);
}

/* SIGTERM, then the seconds until it exited (SIGKILL and -1 after 20 s). */
static double stop(server *s)
{
	double t0 = now_s();
	kill(s->srv.pid, SIGTERM);
	for (int i = 0; i < 2000; i++) {
		if (waitpid(s->srv.pid, NULL, WNOHANG) == s->srv.pid)
			return now_s() - t0;
		usleep(10000);
	}
	kill(s->srv.pid, SIGKILL);
	waitpid(s->srv.pid, NULL, 0);
	return -1;
}

static long status_kb(pid_t pid, const char *field)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, field, strlen(field)))
			kb = atol(line + strlen(field) + 1);
	if (f)
		fclose(f);
	return kb;
}

/* User + system CPU seconds of a process so far. */
static double cpu_seconds(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	unsigned long ut = 0, st = 0;
	if (p)
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* ---- raw HTTP ---- */

static int dial(const server *s)
{
	return mk_dial(&s->srv);
}

static void send_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			return; /* the server may hang up on a body it refuses */
		p += n, len -= (size_t)n;
	}
}

/* The reply's status (0 when the server closed without one); its body into `body`. */
static int read_reply(int fd, char *body, size_t size)
{
	char buf[65536];
	size_t len = 0;
	ssize_t n;
	while (len + 1 < sizeof buf && (n = recv(fd, buf + len, sizeof buf - 1 - len, 0)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	int status = 0;
	sscanf(buf, "HTTP/1.%*d %d", &status);
	const char *b = strstr(buf, "\r\n\r\n");
	if (body)
		snprintf(body, size, "%s", b ? b + 4 : "");
	return status;
}

/* One request, "Connection: close": `head` holds the request line and any headers. */
static int request(const server *s, const char *head, const void *data, size_t len, char *body,
                   size_t size)
{
	int fd = dial(s);
	char text[2048];
	int n = snprintf(text, sizeof text, "%s", head);
	if (data)
		n += snprintf(text + n, sizeof text - (size_t)n, "Content-Length: %zu\r\n", len);
	snprintf(text + n, sizeof text - (size_t)n, "Connection: close\r\n\r\n");
	send_all(fd, text, strlen(text));
	if (data)
		send_all(fd, data, len);
	int status = read_reply(fd, body, size);
	close(fd);
	return status;
}

static int upload(const server *s, const char *file, const char *name, char *body, size_t size)
{
	size_t len;
	char *data = mk_read_file(file, &len), head[256];
	snprintf(head, sizeof head,
	         "POST /v1/documents?name=%s HTTP/1.1\r\nHost: localhost\r\n"
	         "Content-Type: application/pdf\r\n",
	         name);
	int status = request(s, head, data, len, body, size);
	free(data);
	return status;
}

/* The value of "key":"..." in a flat JSON reply ("" when absent). */
static void json_field(const char *json, const char *key, char *out, size_t size)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":\"", key);
	const char *p = strstr(json, pat);
	out[0] = '\0';
	if (p)
		snprintf(out, size, "%.*s", (int)strcspn(p + strlen(pat), "\""), p + strlen(pat));
}

static server g_main, g_tight, g_budget, g_token;

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("WK_TMP");
	snprintf(g_dir, sizeof g_dir, "%s/bounds-%d", tmp ? tmp : "/tmp", (int)getpid());
	mkdir(g_dir, 0755);
	snprintf(g_valid, sizeof g_valid, "%s/valid.pdf", g_dir);
	mkh_valid(g_valid, 2, NULL);
	snprintf(g_damaged, sizeof g_damaged, "%s/damaged.pdf", g_dir);
	mkh_damaged_pages(g_damaged, 5, 3);
	snprintf(g_small_laughs, sizeof g_small_laughs, "%s/small-laughs.pdf", g_dir);
	mkh_form_laughs(g_small_laughs, 300, 3, "slow");
	for (int i = 0; i < 4; i++) {
		char comment[32];
		snprintf(g_laughs[i], sizeof g_laughs[i], "%s/laughs-%d.pdf", g_dir, i);
		snprintf(comment, sizeof comment, "copy %d", i);
		mkh_form_laughs(g_laughs[i], 300, 3, comment);
	}
	char token[700];
	snprintf(token, sizeof token, "%s/token", g_dir);
	FILE *f = fopen(token, "w");
	fputs("t0ken-fr0m-a-file\n", f);
	fclose(f);
	start(&g_main, "main", (const char *const[]){"--allow-host", "wukong.example", NULL});
	start(&g_tight, "tight",
	      (const char *const[]){"--max-clients", "2", "--timeout", "3", "--max-upload", "1000",
	                            NULL});
	start(&g_budget, "budget",
	      (const char *const[]){"--max-memory", "256", "--timeout", "60", NULL});
	start(&g_token, "token", (const char *const[]){"--token-file", token, NULL});
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	double a = stop(&g_main), b = stop(&g_tight), c = stop(&g_budget), d = stop(&g_token);
	return a < 0 || b < 0 || c < 0 || d < 0;
}

/* ---- Host, Origin, content types, token ---- */

static void test_a_foreign_host_header_is_refused_and_loopback_names_pass(void **state)
{
	(void)state;
	const char *refused[] = {"attacker.example:8080", "attacker.example", "10.0.0.1",
	                         "localhost.attacker.example"};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		char head[256];
		snprintf(head, sizeof head, "GET /v1/documents HTTP/1.1\r\nHost: %s\r\n", refused[i]);
		assert_int_equal(request(&g_main, head, NULL, 0, NULL, 0), 403);
	}
	const char *passed[] = {"localhost", "127.0.0.1:8080", "[::1]:8080", "wukong.example"};
	for (size_t i = 0; i < sizeof passed / sizeof *passed; i++) {
		char head[256];
		snprintf(head, sizeof head, "GET /v1/documents HTTP/1.1\r\nHost: %s\r\n", passed[i]);
		assert_int_equal(request(&g_main, head, NULL, 0, NULL, 0), 200);
	}
}

static void test_a_state_changing_request_from_another_origin_is_refused(void **state)
{
	(void)state;
	static const char q[] = "{\"question\": \"what was tested?\"}";
	char head[300];
	snprintf(head, sizeof head,
	         "POST /v1/ask HTTP/1.1\r\nHost: localhost\r\nOrigin: http://attacker.example\r\n"
	         "Content-Type: application/json\r\n");
	assert_int_equal(request(&g_main, head, q, strlen(q), NULL, 0), 403);
	snprintf(head, sizeof head,
	         "POST /v1/ask HTTP/1.1\r\nHost: localhost\r\nOrigin: null\r\n"
	         "Content-Type: application/json\r\n");
	assert_int_equal(request(&g_main, head, q, strlen(q), NULL, 0), 403);
	snprintf(head, sizeof head,
	         "DELETE /v1/documents/abcdef HTTP/1.1\r\nHost: localhost\r\n"
	         "Origin: https://attacker.example\r\n");
	assert_int_equal(request(&g_main, head, NULL, 0, NULL, 0), 403);
	/* The page itself, and clients that send no Origin, go on. */
	snprintf(head, sizeof head,
	         "POST /v1/ask HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost:%d\r\n"
	         "Content-Type: application/json\r\n",
	         g_main.srv.port);
	assert_int_not_equal(request(&g_main, head, q, strlen(q), NULL, 0), 403);
}

static void test_uploads_and_questions_need_their_content_types(void **state)
{
	(void)state;
	size_t len;
	char *pdf = mk_read_file(g_valid, &len);
	const char *upload_head = "POST /v1/documents HTTP/1.1\r\nHost: localhost\r\n"
	                          "Content-Type: text/plain\r\n";
	assert_int_equal(request(&g_main, upload_head, pdf, len, NULL, 0), 415);
	assert_int_equal(request(&g_main, "POST /v1/documents HTTP/1.1\r\nHost: localhost\r\n", pdf,
	                         len, NULL, 0),
	                 415);
	free(pdf);
	static const char q[] = "{\"question\": \"what was tested?\"}";
	const char *ask_head = "POST /v1/ask HTTP/1.1\r\nHost: localhost\r\n"
	                       "Content-Type: application/x-www-form-urlencoded\r\n";
	assert_int_equal(request(&g_main, ask_head, q, strlen(q), NULL, 0), 415);
}

static void test_a_token_from_a_file_guards_everything_under_v1(void **state)
{
	(void)state;
	const char *paths[] = {"/v1/documents", "/v1/documents/abcdef", "/v1/nothing-here"};
	for (size_t i = 0; i < 3; i++) {
		char head[256];
		snprintf(head, sizeof head, "GET %s HTTP/1.1\r\nHost: localhost\r\n", paths[i]);
		assert_int_equal(request(&g_token, head, NULL, 0, NULL, 0), 401);
	}
	assert_int_equal(request(&g_token,
	                         "GET /v1/documents HTTP/1.1\r\nHost: localhost\r\n"
	                         "Authorization: Bearer t0ken-fr0m-a-file\r\n",
	                         NULL, 0, NULL, 0),
	                 200);
}

/* ---- bodies and paths ---- */

/* Two clients that send a byte every second held both slots for as long as they went on;
 * now each is dropped when its request has not arrived within --timeout (3 s). */
static void test_a_trickling_body_is_dropped_at_the_request_deadline(void **state)
{
	(void)state;
	int fd[2];
	for (int i = 0; i < 2; i++) {
		fd[i] = dial(&g_tight);
		const char *head = "POST /v1/documents HTTP/1.1\r\nHost: localhost\r\n"
		                   "Content-Type: application/pdf\r\nContent-Length: 900\r\n\r\n%PDF";
		send_all(fd[i], head, strlen(head));
	}
	double t0 = now_s();
	int ok_after = 0;
	while (now_s() - t0 < 12 * (SANITIZED ? 2 : 1)) {
		for (int i = 0; i < 2; i++)
			send_all(fd[i], " ", 1);
		sleep(1);
		int st = request(&g_tight, "GET /v1/documents HTTP/1.1\r\nHost: localhost\r\n", NULL,
		                 0, NULL, 0);
		if (st == 200) {
			ok_after = 1;
			break;
		}
	}
	double waited = now_s() - t0;
	close(fd[0]);
	close(fd[1]);
	assert_true(ok_after);
	assert_true(waited < 3 + 3 * (SANITIZED ? 2 : 1)); /* the deadline, then slack */
}

static void test_a_chunked_body_over_the_limit_gets_413(void **state)
{
	(void)state;
	int fd = dial(&g_tight);
	const char *head = "POST /v1/documents HTTP/1.1\r\nHost: localhost\r\n"
	                   "Content-Type: application/pdf\r\nTransfer-Encoding: chunked\r\n"
	                   "Connection: close\r\n\r\n";
	send_all(fd, head, strlen(head));
	static char chunk[4096 + 16];
	int n = snprintf(chunk, sizeof chunk, "1000\r\n");
	memset(chunk + n, 'x', 4096);
	memcpy(chunk + n + 4096, "\r\n", 2);
	for (int i = 0; i < 3000; i++) /* 12 MB, far over the 1000 bytes allowed */
		send_all(fd, chunk, (size_t)n + 4098);
	send_all(fd, "0\r\n\r\n", 5);
	char body[512];
	assert_int_equal(read_reply(fd, body, sizeof body), 413);
	assert_non_null(strstr(body, "1000 bytes"));
	close(fd);
}

static void test_a_nul_in_the_path_is_refused(void **state)
{
	(void)state;
	char body[512];
	assert_int_equal(upload(&g_main, g_valid, "nul.pdf", body, sizeof body) / 100, 2);
	char id[32], head[256];
	json_field(body, "id", id, sizeof id);
	snprintf(head, sizeof head, "GET /v1/documents/%s%%00/pages/1.png HTTP/1.1\r\nHost: localhost\r\n",
	         id);
	assert_int_equal(request(&g_main, head, NULL, 0, NULL, 0), 400);
}

/* ---- the shared memory budget ---- */

typedef struct upload_job {
	const server *s;
	const char *file;
	char name[32];
	int status;
	char body[512];
} upload_job;

static void *upload_main(void *arg)
{
	upload_job *j = arg;
	j->status = upload(j->s, j->file, j->name, j->body, sizeof j->body);
	return NULL;
}

/* Four 8 KB uploads that each draw 27 million forms took a server to 8 GB; under a
 * 256 MB budget shared by all its parses, its high-water mark stays within 256 + 200 MB
 * (the rest of the process: code, SQLite, our copies of the text). */
static void test_four_form_laughs_uploads_stay_within_the_shared_budget(void **state)
{
	(void)state;
	upload_job jobs[4];
	pthread_t threads[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (upload_job){.s = &g_budget, .file = g_laughs[i]};
		snprintf(jobs[i].name, sizeof jobs[i].name, "laughs-%d.pdf", i);
		assert_int_equal(pthread_create(&threads[i], NULL, upload_main, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	long hwm = status_kb(g_budget.srv.pid, "VmHWM");
	print_message("server VmHWM after four form-laughs uploads: %ld MB\n", hwm >> 10);
	for (int i = 0; i < 4; i++) {
		if (jobs[i].status != 422)
			print_message("upload %d: %d %s\n", i, jobs[i].status, jobs[i].body);
		assert_int_equal(jobs[i].status, 422);
		assert_true(strstr(jobs[i].body, "memory budget of 256 MB") ||
		            strstr(jobs[i].body, "timed out"));
	}
	if (!SANITIZED)
		assert_true(hwm > 0 && hwm <= (256 + 200) * 1024L);
	/* The budget is given back: a normal upload goes through afterwards. */
	assert_int_equal(upload(&g_budget, g_valid, "after.pdf", NULL, 0) / 100, 2);
}

/* ---- the upload/delete race and orphan files ---- */

typedef struct delete_job {
	const server *s;
	char id[32];
} delete_job;

static void *delete_main(void *arg)
{
	delete_job *j = arg;
	char head[256];
	for (int i = 0; i < 50; i++) {
		snprintf(head, sizeof head, "DELETE /v1/documents/%s HTTP/1.1\r\nHost: localhost\r\n",
		         j->id);
		request(j->s, head, NULL, 0, NULL, 0);
	}
	return NULL;
}

static int kept_files(const server *s, int *empty_named)
{
	char dir[700];
	snprintf(dir, sizeof dir, "%s.pdfs", s->db);
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".pdf"))
			continue;
		*empty_named += !strcmp(e->d_name, ".pdf");
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

static void test_an_upload_racing_a_delete_leaves_no_empty_record_or_orphan_file(void **state)
{
	(void)state;
	server s;
	start(&s, "race", NULL);
	char body[512], id[32];
	for (int round = 0; round < 30; round++) {
		assert_int_equal(upload(&s, g_valid, "race.pdf", body, sizeof body) / 100, 2);
		delete_job d = {.s = &s};
		json_field(body, "id", d.id, sizeof d.id);
		pthread_t t;
		assert_int_equal(pthread_create(&t, NULL, delete_main, &d), 0);
		int st = upload(&s, g_valid, "race.pdf", body, sizeof body);
		pthread_join(t, NULL);
		json_field(body, "id", id, sizeof id);
		if (st != 200 && st != 201 && st != 409)
			print_message("round %d: %d %s\n", round, st, body);
		assert_true(st == 200 || st == 201 || st == 409);
		if (st / 100 == 2)
			assert_int_equal(strlen(id), 16);
		/* Files and rows agree: the document is there with its file, or neither is. */
		int empty = 0, files = kept_files(&s, &empty);
		char head[256];
		snprintf(head, sizeof head, "GET /v1/documents/%s HTTP/1.1\r\nHost: localhost\r\n", d.id);
		int there = request(&s, head, NULL, 0, NULL, 0) == 200;
		assert_int_equal(empty, 0);
		assert_int_equal(files, there);
	}
	stop(&s);
}

static void test_kept_pdfs_without_a_row_are_swept_at_start(void **state)
{
	(void)state;
	server s;
	start(&s, "sweep", NULL);
	assert_int_equal(upload(&s, g_valid, "kept.pdf", NULL, 0) / 100, 2);
	stop(&s);
	char orphan[800], tmp[800], other[800];
	snprintf(orphan, sizeof orphan, "%s.pdfs/%064d.pdf", s.db, 7);
	snprintf(tmp, sizeof tmp, "%s.pdfs/%064d.pdf.tmp.123", s.db, 8);
	snprintf(other, sizeof other, "%s.pdfs/notes.txt", s.db);
	const char *made[] = {orphan, tmp, other};
	for (int i = 0; i < 3; i++) {
		FILE *f = fopen(made[i], "w");
		assert_non_null(f);
		fclose(f);
	}
	start(&s, "sweep", NULL);
	assert_int_not_equal(access(orphan, F_OK), 0);
	assert_int_not_equal(access(tmp, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0); /* not ours: left alone */
	int empty = 0;
	assert_int_equal(kept_files(&s, &empty), 2); /* the kept upload and notes.txt */
	stop(&s);
}

/* ---- damaged pages ---- */

static void test_a_partly_damaged_upload_reports_its_damaged_pages(void **state)
{
	(void)state;
	char body[1024], id[32], head[256];
	assert_int_equal(upload(&g_main, g_damaged, "damaged.pdf", body, sizeof body), 201);
	assert_non_null(strstr(body, "\"damaged_pages\":[3]"));
	json_field(body, "id", id, sizeof id);
	snprintf(head, sizeof head, "GET /v1/documents/%s HTTP/1.1\r\nHost: localhost\r\n", id);
	assert_int_equal(request(&g_main, head, NULL, 0, body, sizeof body), 200);
	assert_non_null(strstr(body, "\"damaged_pages\":[3]"));
}

static void test_add_names_the_pages_it_could_not_read_and_exits_1(void **state)
{
	(void)state;
	char db[700];
	snprintf(db, sizeof db, "%s/add.db", g_dir);
	const char *bin = getenv("WK_BIN");
	char *argv[] = {(char *)bin, "add", "--db", db, g_damaged, NULL};
	mk_limits lim = {.wall_seconds = 60};
	mk_result r;
	mk_run(argv, &lim, &r);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "1 of 5 pages could not be read (3)"));
	assert_non_null(strstr(r.out, "5 pages"));
	mk_result_free(&r);
	char *show[] = {(char *)bin, "show", "--db", db, "--json", "damaged.pdf", NULL};
	mk_run(show, &lim, &r);
	assert_int_equal(r.status, 0);
	const char *d = strstr(r.out, "\"damaged_pages\"");
	assert_non_null(d);
	assert_int_equal(strtol(d + strcspn(d, "0123456789"), NULL, 10), 3);
	mk_result_free(&r);
}

static void test_parse_refuses_a_fifo_at_once(void **state)
{
	(void)state;
	char fifo[700];
	snprintf(fifo, sizeof fifo, "%s/fifo.pdf", g_dir);
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	mk_limits lim = {.wall_seconds = 10};
	mk_result r;
	mk_run_parse(&lim, &r, fifo, NULL);
	assert_false(r.timed_out);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "not a regular file"));
	mk_result_free(&r);
}

/* ---- cancellation ---- */

/* A client that gives up on a slow upload stops its parse: the server's CPU time stops
 * growing within a second or two instead of running on to the 60 s deadline. */
static void test_a_parse_whose_client_hangs_up_stops(void **state)
{
	(void)state;
	size_t len;
	char *pdf = mk_read_file(g_small_laughs, &len), text[512];
	int fd = dial(&g_budget);
	int n = snprintf(text, sizeof text,
	                 "POST /v1/documents?name=gone.pdf HTTP/1.1\r\nHost: localhost\r\n"
	                 "Content-Type: application/pdf\r\nContent-Length: %zu\r\n\r\n",
	                 len);
	send_all(fd, text, (size_t)n);
	send_all(fd, pdf, len);
	free(pdf);
	sleep(1); /* it parses */
	close(fd);
	sleep(2 * (SANITIZED ? 2 : 1)); /* the watcher sees the hangup within 0.1 s */
	double a = cpu_seconds(g_budget.srv.pid);
	sleep(2);
	double b = cpu_seconds(g_budget.srv.pid);
	print_message("server CPU after the client left: %.2f s in 2 s\n", b - a);
	assert_true(b - a < (SANITIZED ? 1.0 : 0.5));
}

static void test_sigterm_stops_a_server_in_the_middle_of_a_parse_within_seconds(void **state)
{
	(void)state;
	server s;
	start(&s, "term", (const char *const[]){"--timeout", "120", NULL});
	upload_job j = {.s = &s, .file = g_small_laughs, .name = "term.pdf"};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, upload_main, &j), 0);
	sleep(2); /* the upload is in, its parse runs */
	double took = stop(&s);
	pthread_join(t, NULL);
	print_message("SIGTERM during a parse: the server exited after %.2f s\n", took);
	assert_true(took >= 0 && took < 5);
}

/* ---- rendering ---- */

static void test_a_page_render_stops_at_its_deadline(void **state)
{
	(void)state;
	unsigned char *png = NULL;
	size_t len = 0;
	wk_error err;
	double t0 = now_s();
	int rc = wk_render_page(g_laughs[0], NULL, 1, 18, 0, &png, &len, &err);
	double took = now_s() - t0;
	print_message("render of 27 million forms: %s after %.1f s\n", err.message, took);
	assert_true(rc == WK_ETIMEOUT || rc == WK_ELIMIT);
	assert_null(png);
	assert_true(took < 10 + 5 * (SANITIZED ? 4 : 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_foreign_host_header_is_refused_and_loopback_names_pass),
	    cmocka_unit_test(test_a_state_changing_request_from_another_origin_is_refused),
	    cmocka_unit_test(test_uploads_and_questions_need_their_content_types),
	    cmocka_unit_test(test_a_token_from_a_file_guards_everything_under_v1),
	    cmocka_unit_test(test_a_trickling_body_is_dropped_at_the_request_deadline),
	    cmocka_unit_test(test_a_chunked_body_over_the_limit_gets_413),
	    cmocka_unit_test(test_a_nul_in_the_path_is_refused),
	    cmocka_unit_test(test_four_form_laughs_uploads_stay_within_the_shared_budget),
	    cmocka_unit_test(test_an_upload_racing_a_delete_leaves_no_empty_record_or_orphan_file),
	    cmocka_unit_test(test_kept_pdfs_without_a_row_are_swept_at_start),
	    cmocka_unit_test(test_a_partly_damaged_upload_reports_its_damaged_pages),
	    cmocka_unit_test(test_add_names_the_pages_it_could_not_read_and_exits_1),
	    cmocka_unit_test(test_parse_refuses_a_fifo_at_once),
	    cmocka_unit_test(test_a_parse_whose_client_hangs_up_stops),
	    cmocka_unit_test(test_sigterm_stops_a_server_in_the_middle_of_a_parse_within_seconds),
	    cmocka_unit_test(test_a_page_render_stops_at_its_deadline),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* mkrun.c: a bounded child process with captured output (see mkrun.h). */
#include "mkrun.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define MK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MK_ASAN 1
#endif
#endif

static void die(const char *what)
{
	fprintf(stderr, "mkrun: %s: %s\n", what, strerror(errno));
	abort();
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *slurp(FILE *f)
{
	long n;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		die("capture");
	rewind(f);
	char *s = malloc((size_t)n + 1);
	if (!s)
		die("out of memory");
	s[fread(s, 1, (size_t)n, f)] = 0;
	return s;
}

static void child(char *const argv[], const mk_limits *limits, FILE *out, FILE *err)
{
	dup2(fileno(out), 1);
	dup2(fileno(err), 2);
	if (limits->cpu_seconds > 0) {
		struct rlimit rl = {(rlim_t)limits->cpu_seconds, (rlim_t)limits->cpu_seconds + 1};
		setrlimit(RLIMIT_CPU, &rl);
	}
#ifndef MK_ASAN
	if (limits->mem_bytes > 0) {
		struct rlimit rl = {limits->mem_bytes, limits->mem_bytes};
		setrlimit(RLIMIT_AS, &rl);
	}
#endif
	/* Tesseract's OpenMP threads would oversubscribe the shared cores. */
	setenv("OMP_THREAD_LIMIT", "1", 0);
	execv(argv[0], argv);
	fprintf(stderr, "mkrun: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void wait_bounded(pid_t pid, double wall, mk_result *r)
{
	double start = now_seconds();
	int status = 0;
	struct rusage ru = {0};
	for (;;) {
		pid_t got = wait4(pid, &status, WNOHANG, &ru);
		if (got == pid)
			break;
		if (got < 0 && errno != EINTR)
			die("wait");
		if (!r->timed_out && now_seconds() - start > wall) {
			kill(pid, SIGKILL);
			r->timed_out = 1;
		}
		usleep(5000);
	}
	r->seconds = now_seconds() - start;
	r->max_rss_kb = ru.ru_maxrss;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

void mk_run(char *const argv[], const mk_limits *limits, mk_result *r)
{
	mk_limits none = {0};
	if (!limits)
		limits = &none;
	memset(r, 0, sizeof *r);
	FILE *out = tmpfile(), *err = tmpfile();
	if (!out || !err)
		die("tmpfile");
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		child(argv, limits, out, err);
	wait_bounded(pid, limits->wall_seconds > 0 ? limits->wall_seconds : 120, r);
	r->out = slurp(out);
	r->err = slurp(err);
	fclose(out);
	fclose(err);
}

void mk_result_free(mk_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

/* `$WK_BIN` (build/wukong without it), then `first` and the arguments in ap. */
static void run_wukong(const mk_limits *limits, mk_result *r, const char *first, va_list ap)
{
	char *argv[64];
	int n = 0;
	const char *bin = getenv("WK_BIN");
	argv[n++] = (char *)(bin ? bin : "build/wukong");
	argv[n++] = (char *)first;
	for (char *a; first && n < 63 && (a = va_arg(ap, char *));)
		argv[n++] = a;
	argv[n] = NULL;
	mk_run(argv, limits, r);
}

void mk_run_parse(const mk_limits *limits, mk_result *r, ...)
{
	va_list ap;
	va_start(ap, r);
	run_wukong(limits, r, "parse", ap);
	va_end(ap);
}

void mk_run_wukong(const mk_limits *limits, mk_result *r, ...)
{
	va_list ap;
	va_start(ap, r);
	const char *first = va_arg(ap, const char *);
	run_wukong(limits, r, first, ap);
	va_end(ap);
}

int mk_lines(const char *s)
{
	int n = 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

/* pdftotext.h: the text of a PDF as poppler's pdftotext prints it, for the benchmarks
 * that compare wukong with it (baselines, corpus). Header-only: each C file in bench/ is
 * a program of its own. Needs poppler-utils. */
#ifndef WK_BENCH_PDFTOTEXT_H
#define WK_BENCH_PDFTOTEXT_H

#include <errno.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../src/util/util.h"

/* The output of `pdftotext [-layout] PATH -` (pages end with a form feed), at most
 * `max` bytes, malloc'd; NULL when pdftotext cannot run, or, with `strict`, when it
 * fails (without it, whatever it printed before failing is kept). */
static char *run_pdftotext(const char *path, bool layout, bool strict, size_t max)
{
	int fd[2];
	if (pipe(fd) != 0)
		return NULL;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		if (layout)
			execlp("pdftotext", "pdftotext", "-q", "-layout", "-enc", "UTF-8", path, "-",
			       (char *)NULL);
		else
			execlp("pdftotext", "pdftotext", "-q", "-enc", "UTF-8", path, "-", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	wk_buf b;
	wk_buf_init(&b, max);
	char tmp[65536];
	ssize_t n;
	while ((n = read(fd[0], tmp, sizeof tmp)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			wk_buf_append(&b, tmp, (size_t)n);
	close(fd[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	if (strict && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		wk_buf_free(&b);
		return NULL;
	}
	return wk_buf_steal(&b);
}

#endif

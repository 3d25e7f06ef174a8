/* mkfake.c: see mkfake.h. */
#include "mkfake.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int read_port(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char buf[32] = "";
	size_t n = 0;
	while (n < sizeof buf - 1 && poll(&p, 1, 10000) > 0) {
		ssize_t r = read(fd, buf + n, 1);
		if (r <= 0 || buf[n] == '\n')
			break;
		n++;
	}
	return atoi(buf);
}

int mk_fake_start(mk_fake *f, const char *key)
{
	static int seq;
	const char *tools = getenv("WK_TOOLS");
	const char *tmp = getenv("WK_TMP") ? getenv("WK_TMP") : "/tmp";
	char exe[512];
	snprintf(exe, sizeof exe, "%s/fake_llm", tools ? tools : "build/tests/tools");
	snprintf(f->log, sizeof f->log, "%s/fake.%d.%d.log", tmp, (int)getpid(), ++seq);
	unlink(f->log);
	int in[2], out[2];
	if (pipe(in) || pipe(out))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	f->pid = fork();
	if (f->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		if (key)
			execl(exe, exe, "--log", f->log, "--key", key, (char *)NULL);
		else
			execl(exe, exe, "--log", f->log, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f->stdin_fd = in[1];
	f->port = read_port(out[0]);
	close(out[0]);
	snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d/v1", f->port);
	return f->port > 0 ? 0 : -1;
}

void mk_fake_stop(mk_fake *f)
{
	close(f->stdin_fd);
	kill(f->pid, SIGTERM);
	waitpid(f->pid, NULL, 0);
	unlink(f->log);
}

json_t *mk_fake_requests(const mk_fake *f)
{
	json_t *all = json_array();
	FILE *in = fopen(f->log, "r");
	char *line = NULL;
	size_t cap = 0;
	while (in && getline(&line, &cap, in) > 0)
		json_array_append_new(all, json_loads(line, 0, NULL));
	free(line);
	if (in)
		fclose(in);
	return all;
}

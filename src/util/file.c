/* file.c: whole-file reads with a ceiling, atomic writes, mkdir -p. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int wk_read_file(const char *path, size_t limit, char **data, size_t *len, wk_error *err)
{
	*data = NULL;
	*len = 0;
	if (!limit)
		limit = (size_t)1 << 30;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wk_set_error(err, WK_ENOENT, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return wk_set_error(err, WK_ENOENT, "%s: not a regular file", path);
	}
	if ((size_t)st.st_size > limit) {
		close(fd);
		return wk_set_error(err, WK_ELIMIT, "%s: larger than %zu bytes", path, limit);
	}
	char *buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return wk_set_error(err, WK_ENOMEM, "%s: out of memory", path);
	}
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return WK_OK;
}

int wk_write_file_atomic(const char *path, const void *data, size_t len, wk_error *err)
{
	size_t plen = strlen(path);
	char *tmp = wk_xmalloc(plen + 32);
	snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		wk_set_error(err, WK_EIO, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return WK_EIO;
	}
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		p += n;
		left -= (size_t)n;
	}
	int bad = left != 0 || fsync(fd) != 0;
	bad |= close(fd) != 0;
	if (bad || rename(tmp, path) != 0) {
		wk_set_error(err, WK_EIO, "%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return WK_EIO;
	}
	free(tmp);
	return WK_OK;
}

int wk_mkdirs(const char *path, wk_error *err)
{
	char *p = wk_xstrdup(path);
	for (char *s = p + 1;; s++) {
		char c = *s;
		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			wk_set_error(err, WK_EIO, "%s: %s", p, strerror(errno));
			free(p);
			return WK_EIO;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return WK_OK;
}

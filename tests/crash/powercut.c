/*
 * powercut.c: an LD_PRELOAD shim that keeps, beside a database directory,
 * the copy of its files that a power cut would leave: what was last made
 * durable by fsync, and nothing written since.
 *
 * Environment:
 *   PNYX_POWERCUT_DIR     the directory watched (the database's); regular
 *                         files directly in it are tracked
 *   PNYX_POWERCUT_SHADOW  where the durable copy is kept; the caller fills it
 *                         with the files as they are when the watched program
 *                         starts (they are taken to be on disk already)
 *
 * The model, kept deliberately pessimistic:
 *   - fsync(fd) or fdatasync(fd) of a tracked file copies the file's whole
 *     current content into SHADOW (through a temporary file and rename, so
 *     a kill during the copy leaves the previous durable copy whole). On
 *     Linux, fsync makes durable every write to the inode, whichever
 *     descriptor made it, which the whole-file copy reproduces.
 *   - a file that was not in SHADOW when first synced was created since the
 *     start: its copy waits in SHADOW/.unlinked until the directory itself
 *     is fsynced (the directory entry is not durable before that).
 *   - a write never synced never reaches SHADOW; neither does a file never
 *     synced (SQLite's -shm, which SQLite rebuilds from the WAL).
 * Not modelled: writes that reach the disk without fsync (a real power cut
 * may keep some, torn or reordered; SQLite's WAL checksums are for that),
 * unlink and rename of tracked files (not done by SQLite in WAL mode while
 * the server runs), and disks that acknowledge a flush they did not make.
 *
 * Built by the Makefile as build/VARIANT/tests/powercut.so; used by
 * tests/crash/crashtest. Test code: it prints to stderr and gives up
 * (abort) when it cannot keep its copy, since a silent gap would make the
 * test prove nothing.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

static void die(const char *what, const char *path)
{
	fprintf(stderr, "powercut: %s %s: %s\n", what, path, strerror(errno));
	abort();
}

/* A path of at most size bytes, or give up: a cut path would copy the
 * wrong file. */
#define PATHF(buf, ...)                                                      \
	do {                                                                 \
		int n_ = snprintf(buf, sizeof(buf), __VA_ARGS__);            \
		if (n_ < 0 || (size_t)n_ >= sizeof(buf))                     \
			die("path too long", buf);                           \
	} while (0)

static void resolve(void)
{
	/* POSIX's way from dlsym's object pointer to a function pointer */
	void *f;
	if (!real_fsync) {
		f = dlsym(RTLD_NEXT, "fsync");
		memcpy(&real_fsync, &f, sizeof(f));
	}
	if (!real_fdatasync) {
		f = dlsym(RTLD_NEXT, "fdatasync");
		memcpy(&real_fdatasync, &f, sizeof(f));
	}
}

/* Copy the open file fd into dst (via dst.tmp and rename). */
static void copy_fd(int fd, const char *dst)
{
	char tmp[PATH_MAX + 8];
	char buf[1 << 16];
	PATHF(tmp, "%s.tmp", dst);
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		die("cannot create", tmp);
	off_t off = 0;
	for (;;) {
		ssize_t n = pread(fd, buf, sizeof(buf), off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("cannot read for", dst);
		if (n == 0)
			break;
		for (ssize_t w = 0; w < n;) {
			ssize_t k = write(out, buf + w, (size_t)(n - w));
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				die("cannot write", tmp);
			w += k;
		}
		off += n;
	}
	if (close(out))
		die("cannot close", tmp);
	if (rename(tmp, dst))
		die("cannot rename to", dst);
}

/* Every file waiting in SHADOW/.unlinked becomes durable by name. */
static void link_pending(const char *shadow)
{
	char pend[PATH_MAX], from[PATH_MAX * 2], to[PATH_MAX * 2];
	PATHF(pend, "%s/.unlinked", shadow);
	DIR *d = opendir(pend);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || (l > 4 && !strcmp(e->d_name + l - 4, ".tmp")))
			continue;
		PATHF(from, "%s/%s", pend, e->d_name);
		PATHF(to, "%s/%s", shadow, e->d_name);
		if (rename(from, to))
			die("cannot rename to", to);
	}
	closedir(d);
}

static void on_sync(int fd)
{
	const char *dir = getenv("PNYX_POWERCUT_DIR");
	const char *shadow = getenv("PNYX_POWERCUT_SHADOW");
	char link[64], path[PATH_MAX], dst[PATH_MAX * 2];
	struct stat st;
	if (!dir || !shadow)
		return;
	PATHF(link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n < 0 || fstat(fd, &st))
		return;
	path[n] = '\0';
	size_t dl = strlen(dir);
	pthread_mutex_lock(&lock);
	if (S_ISDIR(st.st_mode)) {
		if (!strcmp(path, dir))
			link_pending(shadow);
	} else if (S_ISREG(st.st_mode) && !strncmp(path, dir, dl) &&
		   path[dl] == '/' && !strchr(path + dl + 1, '/')) {
		const char *name = path + dl + 1;
		PATHF(dst, "%s/%s", shadow, name);
		if (access(dst, F_OK)) {
			char pend[PATH_MAX + 16];
			PATHF(pend, "%s/.unlinked", shadow);
			if (mkdir(pend, 0700) && errno != EEXIST)
				die("cannot create", pend);
			PATHF(dst, "%s/.unlinked/%s", shadow, name);
		}
		copy_fd(fd, dst);
	}
	pthread_mutex_unlock(&lock);
}

int fsync(int fd)
{
	resolve();
	int rc = real_fsync(fd);
	if (rc == 0)
		on_sync(fd);
	return rc;
}

int fdatasync(int fd)
{
	resolve();
	int rc = real_fdatasync(fd);
	if (rc == 0)
		on_sync(fd);
	return rc;
}

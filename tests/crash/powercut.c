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
 *   - every write (pwrite, pwrite64, write) to a tracked file is also
 *     appended to SHADOW/.log/NAME as a record: offset and length (two
 *     native int64) and the bytes; a sync appends a record of offset -1
 *     before it copies. The records after the last sync are the writes a
 *     power cut may have kept in part, in any order, torn at any sector:
 *     tests/crash/crashtest applies a random subset of their sectors in
 *     its "torn" runs.
 * Not modelled: unlink and rename of tracked files (not done by SQLite in
 * WAL mode while the server runs), truncation before a sync, sectors torn
 * inside (a 512-byte sector is taken to be written whole or not at all),
 * and disks that acknowledge a flush they did not make.
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);

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

/* POSIX's way from dlsym's object pointer to a function pointer */
#define RESOLVE(fn)                                                          \
	do {                                                                 \
		if (!real_##fn) {                                            \
			void *f_ = dlsym(RTLD_NEXT, #fn);                    \
			memcpy(&real_##fn, &f_, sizeof(f_));                 \
		}                                                            \
	} while (0)

static void resolve(void)
{
	RESOLVE(fsync);
	RESOLVE(fdatasync);
	RESOLVE(write);
	RESOLVE(pwrite);
	RESOLVE(pwrite64);
}

static void write_all(int fd, const void *buf, size_t n, const char *what)
{
	const char *p = buf;
	while (n) {
		ssize_t k = real_write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			die("cannot write", what);
		p += k;
		n -= (size_t)k;
	}
}

/* The name of fd inside the watched directory when it is a regular file
 * directly in it, else NULL. path receives the full path. */
static const char *tracked(int fd, char *path, size_t size, int *is_dir)
{
	const char *dir = getenv("PNYX_POWERCUT_DIR");
	char link[64];
	struct stat st;
	*is_dir = 0;
	if (!dir || !getenv("PNYX_POWERCUT_SHADOW"))
		return NULL;
	if (fstat(fd, &st) || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
		return NULL;
	PATHF(link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, size - 1);
	if (n < 0)
		return NULL;
	path[n] = '\0';
	size_t dl = strlen(dir);
	if (S_ISDIR(st.st_mode)) {
		*is_dir = !strcmp(path, dir);
		return NULL;
	}
	if (strncmp(path, dir, dl) || path[dl] != '/' || strchr(path + dl + 1, '/'))
		return NULL;
	return path + dl + 1;
}

/* Append one record to SHADOW/.log/NAME (the caller holds the lock). */
static void log_record(const char *name, int64_t off, const void *buf, size_t n)
{
	const char *shadow = getenv("PNYX_POWERCUT_SHADOW");
	char logdir[PATH_MAX], logf[PATH_MAX * 2];
	PATHF(logdir, "%s/.log", shadow);
	if (mkdir(logdir, 0700) && errno != EEXIST)
		die("cannot create", logdir);
	PATHF(logf, "%s/%s", logdir, name);
	int fd = open(logf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		die("cannot open", logf);
	int64_t head[2] = { off, (int64_t)n };
	write_all(fd, head, sizeof(head), logf);
	if (n)
		write_all(fd, buf, n, logf);
	if (close(fd))
		die("cannot close", logf);
}

static ssize_t logged_write(int fd, const void *buf, size_t n, off_t off,
			    int positioned)
{
	char path[PATH_MAX];
	int is_dir;
	resolve();
	const char *name = tracked(fd, path, sizeof(path), &is_dir);
	if (!name)
		return positioned ? real_pwrite(fd, buf, n, off)
				  : real_write(fd, buf, n);
	pthread_mutex_lock(&lock);
	if (!positioned)
		off = lseek(fd, 0, SEEK_CUR);
	ssize_t k = positioned ? real_pwrite(fd, buf, n, off)
			       : real_write(fd, buf, n);
	if (k > 0 && off >= 0)
		log_record(name, (int64_t)off, buf, (size_t)k);
	pthread_mutex_unlock(&lock);
	return k;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return logged_write(fd, buf, n, 0, 0);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return logged_write(fd, buf, n, off, 1);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	return logged_write(fd, buf, n, (off_t)off, 1);
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
		write_all(out, buf, (size_t)n, tmp);
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
	const char *shadow = getenv("PNYX_POWERCUT_SHADOW");
	char path[PATH_MAX], dst[PATH_MAX * 2];
	int is_dir;
	const char *name = tracked(fd, path, sizeof(path), &is_dir);
	pthread_mutex_lock(&lock);
	if (is_dir) {
		link_pending(shadow);
	} else if (name) {
		/* first the mark, then the copy: a kill between them loses
		 * writes whose sync never returned, which a power cut may */
		log_record(name, -1, NULL, 0);
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

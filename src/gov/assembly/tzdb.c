/*
 * tzdb.c: loading zones from the system tz database, with a process-wide
 * cache. This is the I/O edge of src/core/tzif.c, which only parses bytes.
 *
 * Invariants: a name is validated before it is joined to the directory;
 * a cached zone is immutable and lives until tzdb_clear(); the cache list
 * is only read or changed under `lock`. Parsing happens outside the lock,
 * so a slow first load does not block lookups of other zones; when two
 * threads load the same zone at once, the first to insert wins and the
 * other frees its copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "core/strbuf.h"
#include "core/tzif.h"
#include "gov/assembly/assembly.h"
#include "banned.h"

/* The largest zone file in tzdata 2025 is under 4 KiB; anything far
 * bigger is not a zone. */
#define TZDB_FILE_MAX (256 * 1024)

struct tzdb_entry {
	struct tzdb_entry *next;
	struct tz_zone *zone;
	char name[TZDB_NAME_MAX + 1];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct tzdb_entry *cache;

int tzdb_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > TZDB_NAME_MAX || name[0] == '/' || name[n - 1] == '/')
		return 0;
	if (strstr(name, "..") || strstr(name, "//"))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '/' || c == '_' ||
		      c == '+' || c == '-'))
			return 0;
	}
	return 1;
}

static int read_file(const char *path, unsigned char **data, size_t *len,
		     struct px_error *err, const char *name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* never wait on a FIFO */
	struct stat st;
	unsigned char *buf = NULL;
	int rc = 0;

	if (fd < 0)
		return px_fail(err, errno == ENOENT || errno == ENOTDIR ?
			       PX_E_UNKNOWN_ZONE : PX_E_IO, "time_zone",
			       "unknown time zone '%s'", name);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > TZDB_FILE_MAX) {
		rc = px_fail(err, PX_E_UNKNOWN_ZONE, "time_zone",
			     "unknown time zone '%s'", name);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = px_fail(err, PX_E_IO, "time_zone",
				     "cannot read time zone '%s'", name);
			goto out;
		}
		got += (size_t)r;
	}
	*data = buf;
	*len = got;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return rc;
}

int tzdb_load(const char *dir, const char *name, struct tz_zone **out,
	      struct px_error *err)
{
	char path[512];
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (!tzdb_name_ok(name))
		return px_fail(err, PX_E_UNKNOWN_ZONE, "time_zone",
			       "not a time zone name: use an IANA name such as Europe/Berlin");
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return px_fail(err, PX_E_UNKNOWN_ZONE, "time_zone", "name too long");
	rc = read_file(path, &data, &len, err, name);
	if (rc)
		goto out;
	rc = tz_parse(data, len, out, err);
	if (rc == PX_E_BAD_TZIF) {
		/* The name chose a file that is no usable zone (a table such as
		 * "leapseconds", or a leap-second "right/" zone): the caller's
		 * mistake, not a broken server. */
		char why[sizeof(err->detail)];
		snprintf(why, sizeof(why), "%s", err ? err->detail : "");
		rc = px_fail(err, PX_E_UNKNOWN_ZONE, "time_zone",
			     "'%s' is not a usable time zone (%s)", name, why);
	}
out:
	free(data);
	return rc;
}

static const struct tz_zone *find(const char *name)
{
	for (const struct tzdb_entry *e = cache; e; e = e->next)
		if (!strcmp(e->name, name))
			return e->zone;
	return NULL;
}

int tzdb_get(const char *name, const struct tz_zone **out,
	     struct px_error *err)
{
	struct tz_zone *zone = NULL;
	struct tzdb_entry *e = NULL;
	int rc;

	*out = NULL;
	if (!tzdb_name_ok(name))
		return px_fail(err, PX_E_UNKNOWN_ZONE, "time_zone",
			       "not a time zone name: use an IANA name such as Europe/Berlin");
	pthread_mutex_lock(&lock);
	*out = find(name);
	pthread_mutex_unlock(&lock);
	if (*out)
		return 0;

	rc = tzdb_load(TZDB_DIR, name, &zone, err);
	if (rc)
		return rc;
	e = calloc(1, sizeof(*e));
	if (!e) {
		tz_free(zone);
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	}
	memcpy(e->name, name, strlen(name) + 1);
	e->zone = zone;

	pthread_mutex_lock(&lock);
	*out = find(name);
	if (!*out) {
		e->next = cache;
		cache = e;
		*out = zone;
		e = NULL;
	}
	pthread_mutex_unlock(&lock);
	if (e) { /* another thread inserted it first */
		tz_free(e->zone);
		free(e);
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * zone1970.tab: comment lines start with '#'; others are
 * "codes<TAB>coordinates<TAB>name[<TAB>comments]". Names are checked with
 * tzdb_name_ok() like any other input before they are offered.
 */
int tzdb_names(struct strbuf *out, struct px_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0, n = 0, cap = 0;
	char **names = NULL;
	int rc = read_file(TZDB_DIR "/zone1970.tab", &data, &len, err, "zone1970.tab");
	if (rc)
		return rc == PX_E_UNKNOWN_ZONE ? px_fail(err, PX_E_IO, NULL,
			"the tz database has no zone1970.tab") : rc;
	data[len] = '\0';
	char *line = (char *)data;
	while (line && *line) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *tab1 = strchr(line, '\t');
		char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		if (line[0] != '#' && tab2) {
			char *name = tab2 + 1, *end = strchr(name, '\t');
			if (end)
				*end = '\0';
			if (tzdb_name_ok(name)) {
				char **grown = px_grow(names, &cap, n, sizeof(*names));
				if (!grown) {
					rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
					goto out;
				}
				names = grown;
				names[n++] = name;
			}
		}
		line = next;
	}
	if (n + 1 > cap) {
		char **grown = px_reallocarray(names, n + 1, sizeof(*names));
		if (!grown) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		names = grown;
	}
	names[n++] = (char *)"UTC";
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && !rc; i++)
		if (i == 0 || strcmp(names[i], names[i - 1])) {
			rc = sb_adds(out, names[i]);
			if (!rc)
				rc = sb_addc(out, '\n');
		}
	if (rc)
		rc = px_fail(err, rc, NULL, NULL);
out:
	free(names);
	free(data);
	return rc;
}

void tzdb_clear(void)
{
	pthread_mutex_lock(&lock);
	struct tzdb_entry *e = cache;
	cache = NULL;
	pthread_mutex_unlock(&lock);
	while (e) {
		struct tzdb_entry *next = e->next;
		tz_free(e->zone);
		free(e);
		e = next;
	}
}

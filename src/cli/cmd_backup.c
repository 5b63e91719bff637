/*
 * cmd_backup.c: `pnyx backup OUT` copies the live database with SQLite's
 * online backup, so it is consistent even while the server writes, then
 * verifies the copy's journal. `pnyx backup --rotate DIR --keep N` names
 * the copy by the time in DIR and removes the oldest beyond N (the daily
 * timer of the Debian package runs it).
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/errors.h"
#include "store/journal.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_backup_usage[] = N_(
	"usage: pnyx backup [--db PATH] [--wait SECONDS] OUT\n"
	"       pnyx backup [--db PATH] [--wait SECONDS] --rotate DIR [--keep N]\n\n"
	"Write a consistent copy of the database to OUT (which must not exist),\n"
	"safely while the server is running, then verify the copy's journal\n"
	"(its hashes and signature): a copy that does not verify is kept, named\n"
	"with .unverified, and the exit status is 1. The signing key (PATH.key)\n"
	"is not part of the database: copy it separately, and keep it secret.\n\n"
	"  --rotate DIR    write the copy into DIR as pnyx-YYYYMMDDTHHMMSSZ.db\n"
	"                  (UTC), and after it verified remove the oldest such\n"
	"                  copies beyond --keep\n"
	"  --keep N        how many copies --rotate keeps (default 14, 1 to 10000)\n"
	"  --wait SECONDS  while another program holds the database busy, keep\n"
	"                  trying this long, then give up (default 60, 1 to 3600)\n\n"
	"pnyx restore puts a copy back (see pnyx help restore).\n");

static int verify_read(struct store *s, void *r)
{
	return journal_verify(s, r);
}

/* The copy at path verifies: 0 and *ok set (r says what), or an error. */
static int verify_copy(const char *path, struct journal_report *r, struct px_error *err)
{
	struct store *c = NULL;
	memset(r, 0, sizeof(*r));
	int rc = store_open(path, STORE_READONLY, &c, err);
	if (!rc && (rc = store_read(c, verify_read, r)))
		px_fail(err, rc, NULL, "cannot read the copy's journal");
	store_close(c);
	return rc;
}

/* A rotated copy's name: pnyx-YYYYMMDDTHHMMSSZ.db or with -K before .db. */
static int rotated_name(const char *name)
{
	size_t n = strlen(name);
	if (n < 24 || strncmp(name, "pnyx-", 5) || strcmp(name + n - 3, ".db"))
		return 0;
	for (size_t i = 5; i < 20; i++) {
		char c = name[i];
		if (i == 13 ? c != 'T' : (c < '0' || c > '9'))
			return 0;
	}
	if (name[20] != 'Z')
		return 0;
	for (size_t i = 21; i < n - 3; i++)
		if (!(i == 21 ? name[i] == '-' : (name[i] >= '0' && name[i] <= '9')))
			return 0;
	return 1;
}

/* The K of pnyx-...Z-K.db, 1 for pnyx-...Z.db. */
static long suffix(const char *name)
{
	return name[21] == '-' ? strtol(name + 22, NULL, 10) : 1;
}

/* Oldest first: by the time in the name, then by K within one second. */
static int by_time(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int c = strncmp(x, y, 21);
	if (c)
		return c;
	long kx = suffix(x), ky = suffix(y);
	return (kx > ky) - (kx < ky);
}

/* Remove the oldest rotated copies in dir beyond keep. Says what it
 * removed. */
static int prune(const char *dir, int64_t keep)
{
	DIR *d = opendir(dir);
	if (!d)
		return cli_errorf("backup", CLI_FAIL, "%s: %s", dir, strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = CLI_OK;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!rotated_name(e->d_name))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			char **more = realloc(names, ncap * sizeof(*names));
			if (!more) {
				rc = cli_errorf("backup", CLI_FAIL, "out of memory");
				goto out;
			}
			names = more;
			cap = ncap;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = cli_errorf("backup", CLI_FAIL, "out of memory");
			goto out;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), by_time);
	for (size_t i = 0; i + (size_t)keep < n; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (unlink(path) != 0) {
			rc = cli_errorf("backup", CLI_FAIL, "cannot remove %s: %s", path,
					strerror(errno));
			goto out;
		}
		printf(_("removed the old copy %s\n"), path);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

/* DIR/pnyx-YYYYMMDDTHHMMSSZ.db, or with -K (K one more than any copy of
 * this second in DIR: a copy removed meanwhile never makes a newer copy
 * take an older one's place in the order). */
static int rotated_path(const char *dir, char *out, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];
	if (!gmtime_r(&now, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
		return -1;
	long k = 0;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	while ((e = readdir(d)))
		if (rotated_name(e->d_name) && !strncmp(e->d_name + 5, stamp, 16) &&
		    suffix(e->d_name) > k)
			k = suffix(e->d_name);
	closedir(d);
	int w = k == 0 ? snprintf(out, size, "%s/pnyx-%s.db", dir, stamp)
		       : snprintf(out, size, "%s/pnyx-%s-%ld.db", dir, stamp, k + 1);
	return w < 0 || (size_t)w >= size ? -1 : 0;
}

int cmd_backup(int argc, char **argv)
{
	const char *db = NULL, *pos[1], *rotate = NULL;
	int64_t wait = 60, keep = 14;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "wait", OPT_INT, &wait, 1, 3600 },
		{ "rotate", OPT_STRING, &rotate, 0, 0 },
		{ "keep", OPT_INT, &keep, 1, 10000 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("backup"), opts, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (rotate && npos)
		return cli_errorf("backup", CLI_USAGE, "give either OUT or --rotate DIR, not both");
	if (!rotate && npos != 1)
		return cli_errorf("backup", CLI_USAGE, "name the output file: pnyx backup OUT"
				  " (or --rotate DIR)");
	char out[4096];
	if (rotate) {
		struct stat st;
		if (stat(rotate, &st) != 0 || !S_ISDIR(st.st_mode))
			return cli_errorf("backup", CLI_USAGE, "--rotate: %s is not a directory",
					  rotate);
		if (rotated_path(rotate, out, sizeof(out)))
			return cli_errorf("backup", CLI_USAGE, "--rotate: %s: path too long", rotate);
	} else {
		snprintf(out, sizeof(out), "%s", pos[0]);
	}

	struct px_error err = { 0 };
	struct store *s = NULL;
	if (store_open(cli_db_path(db), 0, &s, &err))
		return cli_report("backup", &err);
	rc = store_backup(s, out, (int)wait * 1000, &err);
	if (rc)
		rc = cli_report_store("backup", &err, s);
	store_close(s);
	if (rc)
		return rc;

	struct journal_report r;
	if (verify_copy(out, &r, &err)) {
		rc = cli_report("backup", &err);
		return rc == CLI_OK ? CLI_FAIL : rc;
	}
	if (!r.ok) {
		char bad[4200];
		snprintf(bad, sizeof(bad), "%s.unverified", out);
		if (rename(out, bad) != 0)
			snprintf(bad, sizeof(bad), "%s", out);
		return cli_errorf("backup", CLI_FAIL, "the copy's journal does not verify"
				  " (entry %lld: %s); it was kept as %s, and no older copy"
				  " was removed", (long long)r.broken_seq, r.reason, bad);
	}
	printf(trn(cli_lang(), "backed up %s to %s: %lld journal entry, verified\n",
		   "backed up %s to %s: %lld journal entries, verified\n", (uint64_t)r.entries),
	       cli_db_path(db), out, (long long)r.entries);
	if (rotate)
		return prune(rotate, keep);
	return CLI_OK;
}

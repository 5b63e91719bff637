/*
 * cmd_restore.c: `pnyx restore BACKUP` puts a copy written by pnyx backup
 * back in place of the node's database, after checking everything that
 * could make that a loss the operator did not mean:
 *
 *   1. the copy's journal verifies (hashes and signature);
 *   2. it is this node's: signed by the same key as the database it
 *      replaces, and its journal is the beginning of that database's journal
 *      (the same entry at the copy's last sequence number);
 *   3. no server is running on the database (pnyx serve holds a shared
 *      flock(2) on the database file; restore needs it exclusively);
 *   4. it says exactly which entries the restore loses: those written after
 *      the copy, each with its number, time, action and actor.
 *
 * The database it replaces is kept, never deleted: PATH.before-restore-
 * YYYYMMDDTHHMMSSZ (checkpointed first, so the file alone holds it). With
 * --dry-run it stops after step 4.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/errors.h"
#include "store/journal.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_restore_usage[] = N_(
	"usage: pnyx restore [--db PATH] [--dry-run] BACKUP\n\n"
	"Put BACKUP (a copy written by pnyx backup) back as the database PATH.\n"
	"Refused, with nothing changed, when the copy's journal does not verify,\n"
	"when it is not this node's (another signing key, or a journal that is\n"
	"not the beginning of this database's), or while a server runs on PATH\n"
	"(stop it first: systemctl stop pnyx).\n\n"
	"Lists the journal entries the restore loses: those written after the\n"
	"copy. The database it replaces is kept as PATH.before-restore-TIME.\n\n"
	"  --dry-run   check and list what would be lost; change nothing\n");

#define LOST_SHOWN 50

static int verify_read(struct store *s, void *r)
{
	return journal_verify(s, r);
}

static int last_read(struct store *s, void *seq)
{
	return journal_last_seq(s, seq);
}

struct one {
	int64_t seq;
	int found;
	unsigned char hash[JOURNAL_HASH_LEN];
};

static int keep_one(const struct journal_entry *e, void *arg)
{
	struct one *o = arg;
	o->found = e->seq == o->seq;
	memcpy(o->hash, e->hash, sizeof(o->hash));
	return 0;
}

static int one_read(struct store *s, void *arg)
{
	struct one *o = arg;
	o->found = 0;
	return journal_each(s, o->seq - 1, 1, keep_one, o);
}

struct lost {
	int64_t n;
};

static int show_lost(const struct journal_entry *e, void *arg)
{
	struct lost *l = arg;
	if (l->n++ < LOST_SHOWN) {
		char when[64];
		cli_when(e->at, when);
		int more = e->payload_len > 100;
		/* TRANSLATORS: a journal entry: its number, time, action, who
		 * wrote it and the start of its data, as recorded */
		printf(_("  #%lld  %s  %.*s  by %.*s  %.*s%s\n"), (long long)e->seq, when,
		       (int)e->action_len, e->action, (int)e->actor_len, e->actor,
		       more ? 100 : (int)e->payload_len, e->payload, more ? "..." : "");
	}
	return 0;
}

struct lost_read {
	int64_t after;
	struct lost l;
};

static int lost_read(struct store *s, void *arg)
{
	struct lost_read *r = arg;
	r->l.n = 0;
	return journal_each(s, r->after, -1, show_lost, &r->l);
}

/* The database file, locked exclusively (no server on it), or -1 after
 * saying why. */
static int lock_db(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_errorf("restore", CLI_FAIL, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			cli_errorf("restore", CLI_FAIL, "a server is running on %s: stop it"
				   " first (systemctl stop pnyx); nothing was changed", path);
		else
			cli_errorf("restore", CLI_FAIL, "cannot lock %s: %s", path,
				   strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Copy src to dst (which must not exist), flushed to the disk. */
static int copy_file(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return -1;
	}
	char buf[1 << 16];
	ssize_t n;
	int bad = 0;
	while (!bad && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			bad = 1;
			break;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				bad = 1;
				break;
			}
			off += w;
		}
	}
	if (fsync(out) != 0)
		bad = 1;
	if (close(out) != 0)
		bad = 1;
	close(in);
	if (bad)
		unlink(dst);
	return bad ? -1 : 0;
}

int cmd_restore(int argc, char **argv)
{
	const char *db = NULL, *pos[1];
	int dry = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "dry-run", OPT_FLAG, &dry, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("restore"), opts, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1)
		return cli_errorf("restore", CLI_USAGE, "name the backup: pnyx restore BACKUP");
	const char *path = cli_db_path(db), *backup = pos[0];
	struct stat st;
	if (stat(backup, &st) != 0 || !S_ISREG(st.st_mode))
		return cli_errorf("restore", CLI_USAGE, "%s: %s", backup,
				  errno ? strerror(errno) : "not a file");
	if (stat(path, &st) != 0)
		return cli_errorf("restore", CLI_USAGE, "%s does not exist: to move a node to"
				  " a new machine, copy the backup there as the database,"
				  " with its key (docs/operations.md)", path);

	struct px_error err = { 0 };
	struct store *b = NULL, *s = NULL;
	struct journal_report rb, rs;
	int64_t blast = 0, slast = 0;
	int fd = -1;
	memset(&rb, 0, sizeof(rb));
	memset(&rs, 0, sizeof(rs));

	/* 1. the copy verifies */
	if (store_open(backup, STORE_READONLY, &b, &err)) {
		rc = cli_report("restore", &err);
		goto out;
	}
	if ((rc = store_read(b, verify_read, &rb)) || (rc = store_read(b, last_read, &blast))) {
		rc = cli_errorf("restore", CLI_FAIL, "%s: cannot read its journal", backup);
		goto out;
	}
	if (!rb.ok) {
		rc = cli_errorf("restore", CLI_FAIL, "%s does not verify (entry %lld: %s);"
				" nothing was changed", backup, (long long)rb.broken_seq, rb.reason);
		goto out;
	}
	/* 3. nobody serves it (before opening it for writing: that could
	 * upgrade it) */
	if ((fd = lock_db(path)) < 0) {
		rc = CLI_FAIL;
		goto out;
	}
	/* 2. this node's copy */
	if (store_open(path, 0, &s, &err)) {
		rc = cli_report("restore", &err);
		goto out;
	}
	if ((rc = store_read(s, verify_read, &rs)) || (rc = store_read(s, last_read, &slast))) {
		rc = cli_errorf("restore", CLI_FAIL, "%s: cannot read its journal", path);
		goto out;
	}
	if (memcmp(rb.public_key, store_public_key(s), sizeof(rb.public_key))) {
		rc = cli_errorf("restore", CLI_FAIL, "%s was signed by another node's key;"
				" nothing was changed", backup);
		goto out;
	}
	struct one mine = { .seq = blast };
	if (blast > 0 && blast <= slast) {
		struct one theirs = { .seq = blast };
		if ((rc = store_read(s, one_read, &mine)) || (rc = store_read(b, one_read, &theirs))) {
			rc = cli_errorf("restore", CLI_FAIL, "cannot read the journals");
			goto out;
		}
		if (!mine.found || !theirs.found || memcmp(mine.hash, theirs.hash, sizeof(mine.hash))) {
			rc = cli_errorf("restore", CLI_FAIL, "the journal of %s is not the"
					" beginning of this node's (entry %lld differs);"
					" nothing was changed", backup, (long long)blast);
			goto out;
		}
	}
	/* 4. what is lost */
	struct lost_read lr = { .after = blast };
	if (slast > blast) {
		uint64_t n = (uint64_t)(slast - blast);
		printf(dry ? trn(cli_lang(), "restoring would lose %lld journal entry written"
				 " after the copy (#%lld to #%lld):\n", "restoring would lose %lld"
				 " journal entries written after the copy (#%lld to #%lld):\n", n)
		       : trn(cli_lang(), "restoring loses %lld journal entry written after the"
			     " copy (#%lld to #%lld):\n", "restoring loses %lld journal entries"
			     " written after the copy (#%lld to #%lld):\n", n),
		       (long long)(slast - blast), (long long)blast + 1, (long long)slast);
		if ((rc = store_read(s, lost_read, &lr))) {
			rc = cli_errorf("restore", CLI_FAIL, "cannot read the journal of %s", path);
			goto out;
		}
		if (lr.l.n > LOST_SHOWN)
			printf(_("  ... and %lld more (pnyx journal show --db %s)\n"),
			       (long long)(lr.l.n - LOST_SHOWN), path);
	} else {
		printf(_("nothing is lost: the database has no entry after the copy's last"
			 " (#%lld)\n"),
		       (long long)blast);
	}
	if (dry) {
		printf("%s", _("dry run: nothing was changed\n"));
		rc = CLI_OK;
		goto out;
	}
	/* the database as it is, kept: the file alone holds it */
	if (store_checkpoint(s, &err)) {
		rc = cli_report("restore", &err);
		goto out;
	}
	store_close(s);
	s = NULL;
	store_close(b);
	b = NULL;
	char kept[4200], tmp[4200], wal[4200];
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32] = "unknown";
	if (gmtime_r(&now, &tm))
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(kept, sizeof(kept), "%s.before-restore-%s", path, stamp);
	snprintf(tmp, sizeof(tmp), "%s.restore-%ld", path, (long)getpid());
	unlink(tmp);
	if (copy_file(backup, tmp) != 0) {
		rc = cli_errorf("restore", CLI_FAIL, "cannot copy %s next to %s: %s; nothing"
				" was changed", backup, path, strerror(errno));
		goto out;
	}
	if (link(path, kept) != 0) {
		unlink(tmp);
		rc = cli_errorf("restore", CLI_FAIL, "cannot keep the database as %s: %s;"
				" nothing was changed", kept, strerror(errno));
		goto out;
	}
	/* the log was emptied by the checkpoint; what is left of it belongs to
	 * the old file, not to the copy */
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		rc = cli_errorf("restore", CLI_FAIL, "cannot put the copy in place: %s;"
				" the database is unchanged", strerror(errno));
		goto out;
	}
	/* opened as the server will open it: upgraded if the copy is older */
	if (store_open(path, 0, &s, &err)) {
		rc = cli_report("restore", &err);
		goto out;
	}
	if ((rc = store_read(s, verify_read, &rs)) || !rs.ok) {
		rc = cli_errorf("restore", CLI_FAIL, "the restored database does not verify;"
				" the one it replaced is %s", kept);
		goto out;
	}
	printf(trn(cli_lang(), "restored %s from %s: %lld journal entry, verified; the"
		   " database it replaced is %s\n", "restored %s from %s: %lld journal entries,"
		   " verified; the database it replaced is %s\n", (uint64_t)rs.entries),
	       path, backup, (long long)rs.entries, kept);
	rc = CLI_OK;
out:
	if (fd >= 0)
		close(fd);
	store_close(s);
	store_close(b);
	return rc;
}

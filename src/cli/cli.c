/*
 * cli.c: option parsing, database path, error reporting and progress for
 * every command. Commands describe their options as a table and never
 * walk argv themselves.
 */
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/errors.h"
#include "core/civil.h"
#include "core/num.h"
#include "core/tzif.h"
#include "gov/assembly/assembly.h"
#include "store/store.h"
#include "cli.h"
#include "banned.h"

const char *cli_lang(void)
{
	/* LANGUAGE is a list, "es:fr"; it counts only beside a locale other
	 * than C, as in gettext, unless it is all that is set */
	const char *list = getenv("LANGUAGE");
	const char *all = getenv("LC_ALL"), *msgs = getenv("LC_MESSAGES"),
		   *lang = getenv("LANG");
	const char *locale = all && *all ? all : msgs && *msgs ? msgs : lang;
	if (list && *list && (!locale || !*locale || (strcmp(locale, "C") &&
							 strcmp(locale, "POSIX")))) {
		for (const char *p = list; *p; p += strcspn(p, ":"), p += *p == ':') {
			char one[32];
			size_t l = strcspn(p, ":");
			if (l && l < sizeof(one)) {
				memcpy(one, p, l);
				one[l] = 0;
				const char *got = i18n_lang(one);
				if (got)
					return got;
			}
		}
	}
	const char *got = i18n_lang(locale);
	return got ? got : I18N_DEFAULT;
}

const struct cli_cmd *cli_find(const char *name)
{
	for (const struct cli_cmd *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int cli_errorf(const char *cmd, int status, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "pnyx %s: ", cmd);
	va_start(ap, fmt);
	/* fmt is English, marked by the cli_errorf keyword of xgettext;
	 * msgfmt --check made sure its translation takes the same arguments */
	vfprintf(stderr, _(fmt), ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

static const struct cli_opt *find_opt(const struct cli_opt *opts,
				      const char *name, size_t len)
{
	for (const struct cli_opt *o = opts; o && o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, name, len))
			return o;
	return NULL;
}

static int set_opt(const struct cli_cmd *cmd, const struct cli_opt *o,
		   const char *val)
{
	switch (o->kind) {
	case OPT_FLAG:
		*(int *)o->dest = 1;
		return 0;
	case OPT_STRING:
		*(const char **)o->dest = val;
		return 0;
	case OPT_INT: {
		int64_t v;
		int rc = num_parse_i64(val, o->min, o->max, (int64_t *)&v);
		if (rc == PX_E_OUT_OF_RANGE)
			return cli_errorf(cmd->name, CLI_USAGE,
					  "--%s must be between %lld and %lld",
					  o->name, (long long)o->min,
					  (long long)o->max);
		if (rc)
			return cli_errorf(cmd->name, CLI_USAGE,
					  "--%s takes a whole number, not '%s'",
					  o->name, val);
		*(int64_t *)o->dest = v;
		return 0;
	}
	case OPT_LIST: {
		struct cli_list *l = o->dest;
		if (l->n == CLI_LIST_MAX)
			return cli_errorf(cmd->name, CLI_USAGE,
					  "--%s given too many times", o->name);
		l->items[l->n++] = val;
		return 0;
	}
	}
	return CLI_USAGE;
}

int cli_parse(const struct cli_cmd *cmd, const struct cli_opt *opts,
	      int argc, char **argv, const char **pos, size_t max_pos,
	      size_t *npos)
{
	int only_pos = 0;
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only_pos && !strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!only_pos && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
			fputs(_(cmd->usage), stdout);
			return -1;
		}
		if (!only_pos && a[0] == '-' && a[1] == '-' && a[2]) {
			const char *name = a + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const struct cli_opt *o = find_opt(opts, name, len);
			if (!o)
				return cli_errorf(cmd->name, CLI_USAGE,
						  "unknown option '%s' (see pnyx help %s)",
						  a, cmd->name);
			const char *val = NULL;
			if (o->kind != OPT_FLAG) {
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return cli_errorf(cmd->name, CLI_USAGE,
							  "--%s needs a value",
							  o->name);
			} else if (eq) {
				return cli_errorf(cmd->name, CLI_USAGE,
						  "--%s takes no value", o->name);
			}
			int rc = set_opt(cmd, o, val);
			if (rc)
				return rc;
			continue;
		}
		if (*npos == max_pos)
			return cli_errorf(cmd->name, CLI_USAGE,
					  "unexpected argument '%s' (see pnyx help %s)",
					  a, cmd->name);
		pos[(*npos)++] = a;
	}
	return 0;
}

/* One line of a configuration file, as set_opt but with messages that name
 * the file and the line. */
static int config_set(const struct cli_cmd *cmd, const struct cli_opt *o,
		      const char *where, int line, char *val)
{
	switch (o->kind) {
	case OPT_FLAG:
		if (!strcmp(val, "true") || !strcmp(val, "yes") || !strcmp(val, "1")) {
			*(int *)o->dest = 1;
			return 0;
		}
		if (!strcmp(val, "false") || !strcmp(val, "no") || !strcmp(val, "0")) {
			*(int *)o->dest = 0;
			return 0;
		}
		return cli_errorf(cmd->name, CLI_USAGE, "%s:%d: %s is true or false, not '%s'",
				  where, line, o->name, val);
	case OPT_INT: {
		int64_t v;
		int rc = num_parse_i64(val, o->min, o->max, &v);
		if (rc == PX_E_OUT_OF_RANGE)
			return cli_errorf(cmd->name, CLI_USAGE,
					  "%s:%d: %s must be between %lld and %lld", where,
					  line, o->name, (long long)o->min, (long long)o->max);
		if (rc)
			return cli_errorf(cmd->name, CLI_USAGE,
					  "%s:%d: %s takes a whole number, not '%s'", where,
					  line, o->name, val);
		*(int64_t *)o->dest = v;
		return 0;
	}
	case OPT_STRING:
	case OPT_LIST:
		if (!*val)
			return cli_errorf(cmd->name, CLI_USAGE, "%s:%d: %s has no value",
					  where, line, o->name);
		return set_opt(cmd, o, val);
	}
	return CLI_USAGE;
}

static char *trim(char *a, char *end)
{
	while (a < end && (*a == ' ' || *a == '\t'))
		a++;
	while (end > a && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*end = '\0';
	return a;
}

int cli_config(const struct cli_cmd *cmd, const struct cli_opt *opts,
	       const char *path, char **text)
{
	enum { CONFIG_MAX = 64 * 1024 };
	*text = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return cli_errorf(cmd->name, CLI_USAGE, "--config: %s: %s", path,
				  strerror(errno));
	char *buf = malloc(CONFIG_MAX + 1);
	size_t n = buf ? fread(buf, 1, CONFIG_MAX + 1, f) : 0;
	int bad = !buf || ferror(f);
	fclose(f);
	if (bad || n > CONFIG_MAX) {
		free(buf);
		return cli_errorf(cmd->name, CLI_USAGE, "--config: %s: %s", path,
				  bad ? "cannot read it" : "larger than 64 KiB");
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		free(buf);
		return cli_errorf(cmd->name, CLI_USAGE, "--config: %s: not a text file", path);
	}
	*text = buf; /* the values point into it: the caller frees it last */
	int line = 0;
	for (char *p = buf; *p;) {
		char *eol = strchr(p, '\n');
		char *next = eol ? eol + 1 : p + strlen(p);
		char *end = eol ? eol : next;
		line++;
		char *l = trim(p, end);
		p = next;
		if (!*l || *l == '#' || *l == ';')
			continue;
		char *eq = strchr(l, '=');
		if (!eq)
			return cli_errorf(cmd->name, CLI_USAGE, "%s:%d: expected 'key = value',"
					  " not '%s'", path, line, l);
		char *key = trim(l, eq);
		char *val = trim(eq + 1, eq + 1 + strlen(eq + 1));
		const struct cli_opt *o = find_opt(opts, key, strlen(key));
		if (!*key || !o || !strcmp(key, "config"))
			return cli_errorf(cmd->name, CLI_USAGE, "%s:%d: unknown key '%s' (the"
					  " keys are the long options of pnyx %s, without"
					  " their dashes)", path, line, key, cmd->name);
		int rc = config_set(cmd, o, path, line, val);
		if (rc)
			return rc;
	}
	return 0;
}

const char *cli_db_path(const char *opt)
{
	if (opt && *opt)
		return opt;
	const char *env = getenv("PNYX_DB");
	if (env && *env)
		return env;
	return "./pnyx.db";
}

int cli_report(const char *cmd, const struct px_error *err)
{
	int status = px_code_status(err->code);
	char buf[512];
	const char *msg = px_error_message_in(err, cli_lang(), buf, sizeof(buf));
	if (err->field)
		fprintf(stderr, "pnyx %s: %s: %s\n", cmd, err->field, msg);
	else
		fprintf(stderr, "pnyx %s: %s\n", cmd, msg);
	return status >= 400 && status < 500 ? CLI_USAGE : CLI_FAIL;
}

int cli_report_store(const char *cmd, const struct px_error *err,
		     const struct store *s)
{
	int status = cli_report(cmd, err);
	const char *why = store_errmsg(s);
	if (px_code_status(err->code) >= 500 && *why)
		fprintf(stderr, _("pnyx %s: the database said: %s\n"), cmd, why);
	return status;
}

int cli_read(struct store *s, int (*fn)(struct store *s, void *arg), void *arg,
	     struct px_error *err)
{
	int rc = store_read(s, fn, arg);
	if (rc && err && !err->code)
		px_fail(err, rc, NULL, NULL);
	return rc;
}

void cli_progress(const char *what, size_t done, size_t total)
{
	static int tty = -1;
	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	if (!tty)
		return;
	if (total)
		fprintf(stderr, "\r%s: %zu/%zu (%zu%%)", what, done, total,
			done * 100 / total);
	else
		fprintf(stderr, "\r%s: %zu", what, done);
	if (total && done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* The words of a state's code, from a table of {code, words} pairs ended
 * by {NULL}: the code itself when the table lacks it. */
static const char *words_of(const char *const (*table)[2], const char *code)
{
	for (size_t i = 0; code && table[i][0]; i++)
		if (!strcmp(table[i][0], code))
			return _(table[i][1]);
	return code ? code : "";
}

const char *cli_motion_status(const char *status)
{
	static const char *const words[][2] = {
		{ "submitted", N_("submitted") }, { "voting", N_("voting") },
		{ "adopted", N_("adopted") }, { "rejected", N_("rejected") },
		{ "no_quorum", N_("no quorum") }, { "withdrawn", N_("withdrawn") },
		{ "void", N_("void") }, { NULL, NULL },
	};
	return words_of(words, status);
}

const char *cli_meeting_state(const char *state)
{
	static const char *const words[][2] = {
		{ "scheduled", N_("not begun") }, { "open", N_("in session") },
		{ "closed", N_("closed") }, { "lapsed", N_("lapsed") }, { NULL, NULL },
	};
	return words_of(words, state);
}

const char *cli_meeting_kind(const char *kind)
{
	static const char *const words[][2] = {
		{ "regular", N_("regular") }, { "extra", N_("extra") }, { NULL, NULL },
	};
	return words_of(words, kind);
}

const char *cli_when(int64_t t, char buf[64])
{
	char d[56];
	if (i18n_date_time(cli_lang(), t, d, sizeof(d)))
		buf[0] = 0;
	else
		snprintf(buf, 64, "%s UTC", d);
	return buf;
}

const char *cli_day(int64_t t, char buf[64])
{
	if (i18n_date(cli_lang(), t, buf, 64))
		buf[0] = 0;
	return buf;
}

const char *cli_when_in(int64_t t, const char *zone, char buf[96])
{
	/* the local time from the same time zone database the schedules are
	 * expanded with (Debian's tzdata, docs/schedule.md), not ICU's older
	 * copy: the command line shows the hour the meeting is at; ICU only
	 * writes it in the reader's words */
	struct px_error err = { 0 };
	const struct tz_zone *z = NULL;
	struct tz_local l;
	char d[56];
	if (!zone || !*zone || !strcmp(zone, "UTC") || tzdb_get(zone, &z, &err) ||
	    tz_to_local(z, t, &l) || i18n_date_time(cli_lang(), civil_to_seconds(&l.time),
						     d, sizeof(d)))
		return cli_when(t, buf);
	snprintf(buf, 96, "%s %s", d, zone);
	return buf;
}

const char *cli_decimal(const char *dec, char buf[64])
{
	/* -1 leaves dec as given (C's digits), which every reader can read */
	(void)i18n_decimal(cli_lang(), dec, buf, 64);
	return buf;
}

int cli_pad(const char *s, int cols)
{
	if (!s)
		return cols;
	long extra = (long)strlen(s) - i18n_width(s);
	return extra > 0 && extra < 4096 ? cols + (int)extra : cols;
}

const char *cli_number(int64_t n, char buf[32])
{
	/* -1 leaves n in C's digits, which every reader can read */
	(void)i18n_number(cli_lang(), n, buf, 32);
	return buf;
}

/*
 * cmd_serve.c: `pnyx serve`, the HTTP server.
 *
 * Signals: SIGINT and SIGTERM are blocked in every thread (the mask is set
 * before the server's threads start, and they inherit it) and taken with
 * sigwait() here, in the main thread, so shutdown runs as ordinary code
 * rather than in a signal handler: stop accepting, let requests in flight
 * finish, stop the threads, close the database.
 *
 * The same wait is the server's clock: at start and then every --tick
 * seconds (an hour by default) the main thread makes the rows of regular
 * meetings a year ahead (gov_meetings_materialise), on its own connection,
 * so that no request ever has to: reads never write.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "core/errors.h"
#include "core/text.h"
#include "gov/cases/cases.h"
#include "gov/lot/lot.h"
#include "gov/nodes/nodes.h"
#include "gov/procedure/procedure.h"
#include "gov/notice/notice.h"
#include "gov/sharing/sharing.h"
#include "http/deliver.h"
#include "http/http.h"
#include "http/notifier.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

/* How long requests in flight get to finish after SIGINT/SIGTERM. */
#define SHUTDOWN_GRACE_MS 10000
/* Descriptors serve needs besides its connections: the database and its
 * journal files per thread, the listening socket, the key, pipes. */
#define FD_RESERVE(threads) (64 + 4 * (rlim_t)(threads))

/* Raise the open-file limit so that max connections fit; when the hard
 * limit is too low, say so and serve as many as fit. Returns the number
 * of connections to allow. */
static int64_t fit_fd_limit(int64_t max, int64_t threads)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)max + FD_RESERVE(threads);
	if (getrlimit(RLIMIT_NOFILE, &rl)) {
		perror("pnyx serve: getrlimit");
		return max;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rlim_t to = want;
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
			to = rl.rlim_max;
		struct rlimit raised = { to, rl.rlim_max };
		if (!setrlimit(RLIMIT_NOFILE, &raised))
			rl.rlim_cur = to;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return max;
	int64_t fit = rl.rlim_cur > FD_RESERVE(threads)
			      ? (int64_t)(rl.rlim_cur - FD_RESERVE(threads)) : 1;
	fprintf(stderr, _("pnyx serve: the open-file limit is %llu (hard limit "
		"%llu): serving at most %lld connections, not %lld; raise "
		"the hard limit (ulimit -Hn, LimitNOFILE=) for more\n"),
		(unsigned long long)rl.rlim_cur,
		(unsigned long long)rl.rlim_max, (long long)fit,
		(long long)max);
	return fit;
}

const char cmd_serve_usage[] = N_(
	"usage: pnyx serve [--config FILE] [--listen ADDR:PORT] [--db PATH] [--web-dir DIR]\n"
	"                  [--threads N] [--secure-cookies] [--tick SECONDS]\n"
	"                  [--max-connections N] [--max-per-address N]\n"
	"                  [--signups-per-hour N] [--tally-work N]\n"
	"                  [--public-url URL] [--peer-addresses public|any]\n"
	"                  [--authorized-fetch]\n"
	"                  [--smtp URL --smtp-from ADDRESS [--smtp-user USER]]\n"
	"                  [--mail-batch SECONDS] [--mail-retry SECONDS]\n"
	"                  [--mail-attempts N] [--smtp-timeout SECONDS]\n"
	"                  [--keep-read DAYS] [--keep-mail DAYS] [--insurance-file PATH]\n"
	"                  [--trusted-proxy ADDR] [--log-level error|info]\n"
	"                  [--password-cost interactive|moderate|minimum]\n"
	"\n"
	"Serve the JSON API under /api/v1/ and the browser interface at /.\n"
	"\n"
	"  --config FILE       options from FILE first, 'key = value' lines\n"
	"                      (man pnyx); the command line overrides them\n"	"  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080);\n"
	"                      [::1]:8080 for IPv6, port 0 for any free port\n"
	"  --db PATH           the database (default $PNYX_DB, else ./pnyx.db);\n"
	"                      create it first with pnyx init\n"
	"  --web-dir DIR       serve the browser interface from DIR instead of\n"
	"                      the copy built into the binary (for development)\n"
	"  --threads N         worker threads and database connections\n"
	"                      (default 4)\n"
	"  --secure-cookies    mark the session cookie Secure (behind TLS)\n"
	"  --trusted-proxy ADDR  the reverse proxy: its requests count as from\n"
	"                      the last X-Forwarded-For address\n"
	"  --log-level L       error (default) or info: a line per request\n"
	"  --password-cost C   interactive (default), moderate or minimum (for\n"
	"                      tests: cheap to guess): argon2id's limits (man pnyx)\n"
	"  --tick SECONDS      how often regular meetings are made a year ahead\n"
	"                      from the schedules (default 3600; also at start)\n"
	"  --max-connections N\n"
	"                      connections open at once (default 10000; the\n"
	"                      open-file limit is raised to fit)\n"
	"  --max-per-address N\n"
	"                      connections open at once from one address, an\n"
	"                      IPv6 /64 (default 1000)\n"
	"  --signups-per-hour N\n"
	"                      accounts created from one address per hour\n"
	"                      (default 20)\n"
	"  --tally-work N      the most work one anonymous count may do (default\n"
	"                      100000000, about a second of CPU)\n"
	"  --public-url URL    the address people reach this server at, for the\n"
	"                      links in mail (default: the address it serves at)\n"
	"  --peer-addresses public|any\n"
	"                      public (default): fetch from and deliver to other\n"
	"                      nodes never at this machine's or network's addresses\n"
	"  --authorized-fetch  answer actor documents to signed requests only\n"
	"  --smtp URL          mail notifications to who asks, through\n"
	"                      smtp://HOST:PORT (STARTTLS) or smtps://HOST:PORT;\n"
	"                      the password in PNYX_SMTP_PASSWORD (man pnyx)\n"
	"  --smtp-from ADDRESS the sender's address (required with --smtp)\n"
	"  --smtp-user USER    the SMTP user name\n"
	"  --mail-batch SECONDS\n"
	"                      how long a notification waits for others to go\n"
	"                      in its mail (default 60)\n"
	"  --mail-retry SECONDS\n"
	"                      the first wait to retry a failed mail, then\n"
	"                      doubled up to 6 hours (default 60)\n"
	"  --mail-attempts N   give a mail up after N failed attempts (default 10)\n"
	"  --smtp-timeout SECONDS\n"
	"                      the longest one mail may take to send (default 30)\n"
	"  --keep-read DAYS    keep a notification read (default 90; 0: always)\n"
	"  --keep-mail DAYS    keep a mail sent or given up (default 30; 0: always)\n"
	"\n"
	"Mail waits in a queue in the database (GET /api/v1/health shows it).\n"
	"Prints the URL it serves at. SIGINT or SIGTERM stops it gracefully\n"
	"(exit 0). See man pnyx, docs/api.md, docs/security.md.\n");

#define INSURANCE_MAX 8000

/* The text of --insurance-file (malloc'd), or NULL after saying why. */
static char *read_insurance(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	if (!f) {
		fprintf(stderr, _("pnyx serve: --insurance-file: %s: %s\n"), path, strerror(errno));
		return NULL;
	}
	buf = malloc(INSURANCE_MAX + 2);
	size_t n = buf ? fread(buf, 1, INSURANCE_MAX + 1, f) : 0;
	int bad = !buf || ferror(f);
	fclose(f);
	if (!bad) {
		buf[n] = '\0';
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
			buf[--n] = '\0';
	}
	if (bad || n == 0 || n > INSURANCE_MAX || text_check_block(buf, 1, INSURANCE_MAX)) {
		fprintf(stderr, _("pnyx serve: --insurance-file: %s: %s\n"), path,
			bad ? "cannot read it" : "not 1 to 8,000 bytes of UTF-8 text");
		free(buf);
		return NULL;
	}
	return buf;
}

/* Make every body's regular meetings a year ahead. A failure is reported
 * and the server goes on: the rows already there cover a year. */
static void materialise(struct store *s)
{
	struct px_error err = { 0 };
	/* the server's time: the wall's, or a controlled clock's */
	struct gov_ctx ctx = { .db = s, .now = lot_clock_now(s, (int64_t)time(NULL)),
			       .operator = 1 };
	int64_t made = 0;
	if (gov_meetings_materialise(&ctx, &made, &err))
		fprintf(stderr, _("pnyx serve: making the meetings of the schedules: %s\n"),
			px_error_message(&err));
	/* the renewals of the polities' cohorts, on the server's time (a
	 * controlled clock's in a simulation): commitments, terms, deadlines */
	px_error_clear(&err);
	if (gov_lot_clock(&ctx, &made, &err))
		fprintf(stderr, _("pnyx serve: running the renewals of the polities: %s\n"),
			px_error_message(&err));
	/* holds on lent items not collected by their date pass to the next */
	px_error_clear(&err);
	if (gov_sharing_clock(&ctx, &made, &err))
		fprintf(stderr, _("pnyx serve: expiring the holds on lent items: %s\n"),
			px_error_message(&err));
	/* the reviews of remedies whose date has come: nobody skips one */
	px_error_clear(&err);
	if (gov_cases_clock(&ctx, &made, &err))
		fprintf(stderr, _("pnyx serve: opening the reviews of remedies: %s\n"),
			px_error_message(&err));
}

/* --config FILE or --config=FILE in argv, or NULL. */
static const char *config_arg(int argc, char **argv)
{
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			path = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			path = argv[i] + 9;
	}
	return path;
}

static int serve(int argc, char **argv, char **config_text)
{
	const char *listen = "127.0.0.1:8080", *db = NULL, *web_dir = NULL;
	int64_t threads = 4;
	int64_t max_conns = HTTP_MAX_CONNECTIONS_DEFAULT;
	int64_t per_address = HTTP_MAX_PER_ADDRESS_DEFAULT;
	int64_t signups = HTTP_SIGNUPS_PER_HOUR_DEFAULT;
	int64_t tick = 3600;
	int64_t tally_work = HTTP_TALLY_WORK_DEFAULT;
	int secure = 0, authorized_fetch = 0;
	const char *public_url = NULL, *smtp = NULL, *smtp_from = NULL;
	const char *smtp_user = NULL;
	int64_t mail_batch = NOTIFIER_BATCH_DEFAULT;
	int64_t mail_retry = NOTIFIER_RETRY_DEFAULT;
	int64_t mail_attempts = NOTIFIER_ATTEMPTS_DEFAULT;
	int64_t smtp_timeout = NOTIFIER_TIMEOUT_DEFAULT;
	int64_t keep_read = NOTIFIER_KEEP_READ_DAYS;
	int64_t keep_mail = NOTIFIER_KEEP_MAIL_DAYS;
	const char *insurance_file = NULL, *config = NULL, *trusted_proxy = NULL;
	const char *log_level = "error";
	const char *password_cost = "interactive";
	const char *peer_addresses = "public";
	char *insurance = NULL;
	const struct cli_opt opts[] = {
		{ "config", OPT_STRING, &config, 0, 0 },
		{ "listen", OPT_STRING, &listen, 0, 0 },
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "web-dir", OPT_STRING, &web_dir, 0, 0 },
		{ "threads", OPT_INT, &threads, 1, 64 },
		{ "secure-cookies", OPT_FLAG, &secure, 0, 0 },
		{ "max-connections", OPT_INT, &max_conns, 1, 1000000 },
		{ "max-per-address", OPT_INT, &per_address, 1, 1000000 },
		{ "signups-per-hour", OPT_INT, &signups, 1, 1000000 },
		{ "tick", OPT_INT, &tick, 1, 86400 },
		{ "tally-work", OPT_INT, &tally_work, 1000, 1000000000000LL },
		{ "public-url", OPT_STRING, &public_url, 0, 0 },
		{ "peer-addresses", OPT_STRING, &peer_addresses, 0, 0 },
		{ "authorized-fetch", OPT_FLAG, &authorized_fetch, 0, 0 },
		{ "smtp", OPT_STRING, &smtp, 0, 0 },
		{ "smtp-from", OPT_STRING, &smtp_from, 0, 0 },
		{ "smtp-user", OPT_STRING, &smtp_user, 0, 0 },
		{ "mail-batch", OPT_INT, &mail_batch, 0, 86400 },
		{ "mail-retry", OPT_INT, &mail_retry, 1, 86400 },
		{ "mail-attempts", OPT_INT, &mail_attempts, 1, 100 },
		{ "smtp-timeout", OPT_INT, &smtp_timeout, 1, 600 },
		{ "keep-read", OPT_INT, &keep_read, 0, 36500 },
		{ "keep-mail", OPT_INT, &keep_mail, 0, 36500 },
		{ "insurance-file", OPT_STRING, &insurance_file, 0, 0 },
		{ "trusted-proxy", OPT_STRING, &trusted_proxy, 0, 0 },
		{ "log-level", OPT_STRING, &log_level, 0, 0 },
		{ "password-cost", OPT_STRING, &password_cost, 0, 0 },
		{ NULL, OPT_FLAG, NULL, 0, 0 },
	};
	const struct cli_cmd *self = cli_find("serve");
	size_t npos;
	int rc;
	/* the file first, so that the command line overrides it */
	if ((config = config_arg(argc, argv)) &&
	    (rc = cli_config(self, opts, config, config_text)))
		return rc;
	rc = cli_parse(self, opts, argc, argv, NULL, 0, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;

	if (smtp && !notifier_url_ok(smtp)) {
		fprintf(stderr, _("pnyx serve: --smtp: not an SMTP URL (smtp://HOST:PORT "
			"or smtps://HOST:PORT): %s\n"), smtp);
		return CLI_USAGE;
	}
	if (smtp && (!smtp_from || !notice_email_ok(smtp_from))) {
		fprintf(stderr, _("pnyx serve: --smtp-from: %s\n"), smtp_from
			? "not an e-mail address" : "required with --smtp (the sender's address)");
		return CLI_USAGE;
	}
	if (!smtp && (smtp_from || smtp_user)) {
		fprintf(stderr, _("pnyx serve: --smtp-from and --smtp-user need --smtp\n"));
		return CLI_USAGE;
	}
	if (public_url && strncmp(public_url, "http://", 7)
	    && strncmp(public_url, "https://", 8)) {
		fprintf(stderr, _("pnyx serve: --public-url: an http:// or https:// address\n"));
		return CLI_USAGE;
	}

	if (strcmp(peer_addresses, "public") && strcmp(peer_addresses, "any")) {
		fprintf(stderr, _("pnyx serve: --peer-addresses: public (other servers on"
			" the Internet only) or any (also this machine's and network's),"
			" not '%s'\n"), peer_addresses);
		return CLI_USAGE;
	}
	int public_only = !strcmp(peer_addresses, "public");
	if (strcmp(log_level, "error") && strcmp(log_level, "info")) {
		fprintf(stderr, _("pnyx serve: --log-level: error (failures only) or info"
			" (every request too), not '%s'\n"), log_level);
		return CLI_USAGE;
	}
	int cost = gov_password_cost(password_cost);
	if (cost < 0) {
		fprintf(stderr, _("pnyx serve: --password-cost: interactive, moderate or"
			" minimum, not '%s'\n"), password_cost);
		return CLI_USAGE;
	}
	if (cost == GOV_PASSWORD_MINIMUM)
		fprintf(stderr, _("pnyx serve: --password-cost minimum: passwords set"
			" now are cheap to guess from a copy of the database; this is"
			" for test suites, never for people\n"));
	unsigned char ip[16];
	if (trusted_proxy && inet_pton(AF_INET, trusted_proxy, ip) != 1 &&
	    inet_pton(AF_INET6, trusted_proxy, ip) != 1) {
		fprintf(stderr, _("pnyx serve: --trusted-proxy: an IPv4 or IPv6 address"
			" (the reverse proxy's, e.g. 127.0.0.1), not '%s'\n"), trusted_proxy);
		return CLI_USAGE;
	}
	if (insurance_file && !(insurance = read_insurance(insurance_file)))
		return CLI_USAGE;

	max_conns = fit_fd_limit(max_conns, threads);

	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	/* Before any thread exists, so that all of them inherit it. */
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	struct http_options o = {
		.listen = listen,
		.db_path = cli_db_path(db),
		.web_dir = web_dir,
		.threads = (unsigned)threads,
		.secure_cookies = secure,
		.trusted_proxy = trusted_proxy,
		.log_requests = !strcmp(log_level, "info"),
		.password_cost = cost,
		.public_url = public_url,
		.peer_public_only = public_only,
		.authorized_fetch = authorized_fetch,
		.max_connections = (unsigned)max_conns,
		.max_per_address = (unsigned)per_address,
		.signups_per_hour = (unsigned)signups,
		.tally_work = tally_work,
		.mail = smtp != NULL,
		.insurance = insurance,
	};
	struct px_error err;
	px_error_clear(&err);
	/* Upgrade first, alone, so that the operator is told where the copy
	 * from before the upgrade is (and a refusal comes before anything
	 * else starts). */
	struct store *first = NULL;
	if (store_open(o.db_path, 0, &first, &err)) {
		free(insurance);
		return cli_report("serve", &err);
	}
	/* held until the process ends: pnyx restore needs the database file
	 * exclusively, so it never replaces a database a server is using */
	int lock = open(o.db_path, O_RDONLY | O_CLOEXEC);
	if (lock < 0 || flock(lock, LOCK_SH | LOCK_NB) != 0) {
		fprintf(stderr, _("pnyx serve: %s: %s\n"), o.db_path, lock < 0 ? strerror(errno)
			: "pnyx restore is replacing it; start again when it is done");
		store_close(first);
		free(insurance);
		return CLI_FAIL;
	}
	if (store_upgrade_backup(first))
		fprintf(stderr, _("pnyx serve: the database was upgraded to schema step %d;"
			" a copy from before is %s\n"), store_schema_version(first),
			store_upgrade_backup(first));
	store_close(first);
	struct http_server *srv;
	rc = http_server_start(&o, &srv, &err);
	free(insurance); /* the server keeps its own copy */
	if (rc)
		return cli_report("serve", &err);
	struct store *clock_db = NULL;
	if (store_open(o.db_path, 0, &clock_db, &err)) {
		http_server_stop(srv, 0);
		return cli_report("serve", &err);
	}
	materialise(clock_db);

	/* links in mail: the public address, without its trailing '/' */
	char base[512];
	snprintf(base, sizeof base, "%s", public_url ? public_url : http_server_url(srv));
	size_t blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		base[--blen] = '\0';
	struct notifier_options no = {
		.db_path = o.db_path,
		.smtp_url = smtp,
		.smtp_user = smtp_user,
		.smtp_password = smtp ? getenv("PNYX_SMTP_PASSWORD") : NULL,
		.from = smtp_from,
		.base_url = base,
		.batch_window = mail_batch,
		.retry_base = mail_retry,
		.max_attempts = mail_attempts,
		.smtp_timeout = smtp_timeout,
		.keep_read = keep_read * 86400,
		.keep_mail = keep_mail * 86400,
	};
	struct notifier *notes = NULL;
	if (notifier_start(&no, &notes, &err)) {
		store_close(clock_db);
		http_server_stop(srv, 0);
		return cli_report("serve", &err);
	}
	/* messages to other nodes: they name this node by its address */
	struct deliver *deliveries = NULL;
	struct deliver_options dopt = { .db_path = o.db_path, .public_only = public_only };
	deliver_defaults(&dopt);
	if (nodes_set_base(clock_db, base, &err) || deliver_start(&dopt, &deliveries, &err)) {
		store_close(clock_db);
		notifier_stop(notes);
		http_server_stop(srv, 0);
		return cli_report("serve", &err);
	}
	/* a line scripts read: the same in every language */
	printf("pnyx: serving %s\n", http_server_url(srv));
	fflush(stdout);
	/* under systemd (Type=notify): ready now, not when the process began;
	 * outside it NOTIFY_SOCKET is unset and this does nothing */
	sd_notifyf(0, "READY=1\nSTATUS=serving %s", http_server_url(srv));

	int sig = 0;
	struct timespec every = { (time_t)tick, 0 };
	for (;;) {
		sig = sigtimedwait(&stop, NULL, &every);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		if (sig < 0 && errno == EAGAIN)
			materialise(clock_db);
	}
	sd_notify(0, "STOPPING=1\nSTATUS=finishing requests in flight");
	store_close(clock_db);
	deliver_stop(deliveries);
	notifier_stop(notes);
	fprintf(stderr, _("pnyx serve: %s: finishing requests in flight\n"),
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	long left = http_server_stop(srv, SHUTDOWN_GRACE_MS);
	if (left > 0) {
		fprintf(stderr, _("pnyx serve: %ld request(s) cut off after "
			"%d seconds\n"), left, SHUTDOWN_GRACE_MS / 1000);
		return CLI_FAIL;
	}
	fprintf(stderr, _("pnyx serve: stopped\n"));
	return CLI_OK;
}

int cmd_serve(int argc, char **argv)
{
	char *config_text = NULL;
	int rc = serve(argc, argv, &config_text);
	free(config_text);
	return rc;
}

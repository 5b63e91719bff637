/*
 * cmd_node.c: `pnyx node rotate-key`: the operator's act on the node's
 * own key (src/gov/nodes/keys.c, docs/nodes.md, "Key rotation"). Never
 * under a running server: the server signs with the key it read at its
 * start, so the command takes the database's lock as `pnyx restore` does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "core/errors.h"
#include "gov/gov.h"
#include "gov/nodes/nodes.h"
#include "store/store.h"
#include "cli.h"
#include "commands.h"
#include "banned.h"

const char cmd_node_usage[] = N_(
	"usage: pnyx node rotate-key [--db PATH] [--json]\n\n"
	"Make a new signing key for this node and put it in use. Every node an\n"
	"assembly here has a relationship with is told, in an activity signed\n"
	"with the old key, and refuses the old key from then on; what waits in\n"
	"the outbox is signed again with the new. The rotation is journalled.\n"
	"Stop the server first, and copy the new key (DB.key) somewhere safe\n"
	"(docs/nodes.md, \"Key rotation\").\n");

int cmd_node(int argc, char **argv)
{
	const char *db = NULL, *pos[1];
	int json = 0;
	const struct cli_opt opts[] = {
		{ "db", OPT_STRING, &db, 0, 0 },
		{ "json", OPT_FLAG, &json, 0, 0 },
		{ NULL, 0, NULL, 0, 0 },
	};
	size_t npos;
	int rc = cli_parse(cli_find("node"), opts, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? CLI_OK : rc;
	if (npos != 1 || strcmp(pos[0], "rotate-key"))
		return cli_errorf("node", CLI_USAGE, "what to do: rotate-key");
	const char *path = cli_db_path(db);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cli_errorf("node", CLI_FAIL, "%s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int busy = errno == EWOULDBLOCK;
		close(fd);
		return busy ? cli_errorf("node", CLI_FAIL, "a server is running on %s: stop it"
					 " first (systemctl stop pnyx); nothing was changed", path)
			    : cli_errorf("node", CLI_FAIL, "cannot lock %s: %s", path,
					 strerror(errno));
	}
	struct px_error err = { 0 };
	struct store *s = NULL;
	json_t *out = NULL;
	if (store_open(path, 0, &s, &err)) {
		close(fd);
		return cli_report("node", &err);
	}
	struct gov_ctx ctx = { .db = s, .now = (int64_t)time(NULL) };
	if (nodes_rotate_key(&ctx, &out, &err)) {
		rc = cli_report_store("node", &err, s);
		goto out;
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
	} else {
		const char *k = json_string_value(json_object_get(out, "new_key"));
		printf(_("The node's new key: %s\n"), k ? k : "");
		printf(_("Nodes told: %zu; activities waiting signed again: %lld.\n"),
		       json_array_size(json_object_get(out, "told")),
		       (long long)json_integer_value(json_object_get(out, "resigned")));
		printf(_("Copy %s.key somewhere safe: it replaced the old one.\n"), path);
	}
	rc = CLI_OK;
out:
	store_close(s);
	close(fd);
	json_decref(out);
	return rc;
}

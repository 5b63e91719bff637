/*
 * fuzz_pool.c: libFuzzer target for the reader of a sortition pool
 * (sio_load_pool in src/cli/sortition_io.c: the CSV, the id and salt
 * columns, the UTF-8 check, the duplicate check) and the committed pool
 * it builds (src/core/pool.c), as `pnyx commit`, `draw` and `verify` read
 * a pool file.
 *
 * Input: the first byte picks the id column (none: "id" or the first;
 * or a column named "name"), the rest is the file, handed over through
 * a memory file. Checks, beyond the sanitizers': a pool loaded has one
 * person per record, its leaves strictly ascending, each the leaf of its
 * person's id and salt, and the commitment of those leaves.
 *
 * Refusals are printed on stderr (as the command line does): run with
 * -close_fd_mask=2 to keep libFuzzer's output readable. Seeds:
 * tests/fuzz/corpus_pool.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/sortition_io.h"
#include "core/pool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	int fd = memfd_create("pool.csv", 0);
	if (fd < 0)
		return 0;
	for (size_t off = 1; off < size;) {
		ssize_t n = write(fd, data + off, size - off);
		if (n <= 0) {
			close(fd);
			return 0;
		}
		off += (size_t)n;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	struct sio_pool sp;
	if (sio_load_pool("fuzz", path, data[0] & 1 ? "name" : NULL, &sp) == 0) {
		if (sp.pool.n != sp.table.nrows - 1)
			abort();
		for (size_t i = 0; i < sp.pool.n; i++) {
			unsigned char leaf[PX_HASH_BYTES];
			px_leaf(sp.pool.people[i].id, sp.pool.people[i].salt, leaf);
			if (memcmp(leaf, sp.pool.leaves[i], PX_HASH_BYTES))
				abort();
			if (i && memcmp(sp.pool.leaves[i - 1], sp.pool.leaves[i],
					PX_HASH_BYTES) >= 0)
				abort();
		}
		unsigned char c[PX_HASH_BYTES];
		px_commit_leaves((const unsigned char (*)[PX_HASH_BYTES])sp.pool.leaves,
				 sp.pool.n, c);
		if (memcmp(c, sp.pool.commitment, PX_HASH_BYTES))
			abort();
	}
	sio_pool_release(&sp);
	close(fd);
	return 0;
}

/*
 * replay.c: a main() for the libFuzzer targets of tests/fuzz without
 * libFuzzer, so that `make test` runs every kept input through every
 * target with the compiler and sanitizers of each variant (gcc, ASan and
 * UBSan in build/san). Linked with one fuzz_NAME.c into
 * build/VARIANT/fuzz/fuzz_NAME.
 *
 * Usage: fuzz_NAME FILE|DIR...  Each file (each regular file directly in a
 * directory) is one input. Exit 0 after the last; a failed check inside
 * the target aborts, a sanitizer report ends the process; an unreadable
 * file is an error (exit 1).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return 1;
	}
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			uint8_t *p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return 1;
			}
			buf = p;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (!bad) {
		/* an exact-size copy, so ASan sees a read past the input */
		uint8_t *exact = malloc(n ? n : 1);
		if (exact) {
			memcpy(exact, buf, n);
			LLVMFuzzerTestOneInput(exact, n);
			free(exact);
		}
	}
	free(buf);
	return bad;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int rc = 0;
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: no %s\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			rc |= replay_file(argv[i]);
			count++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		if (!d)
			return 1;
		struct dirent *e;
		while ((e = readdir(d))) {
			char path[4096];
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			if (stat(path, &st) || !S_ISREG(st.st_mode))
				continue;
			rc |= replay_file(path);
			count++;
		}
		closedir(d);
	}
	printf("replayed %zu inputs\n", count);
	return rc;
}

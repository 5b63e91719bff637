/*
 * rsakey.c: the node's RSA key file (rsakey.h). The store owns the node's
 * key files; core/rsa.c does the arithmetic.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/rsa.h"
#include "core/strbuf.h"
#include "store/rsakey.h"
#include "store/store.h"
#include "banned.h"

/* A PEM of an RSA-2048 private key is about 1.7 kB. */
#define RSA_FILE_MAX 16384

static int rsa_path(const char *db_path, struct strbuf *out)
{
	sb_init(out, 4096);
	int rc = sb_adds(out, db_path);
	return rc ? rc : sb_adds(out, ".rsa");
}

int store_rsa_ensure(const char *db_path, struct px_error *err)
{
	struct strbuf path, tmp;
	EVP_PKEY *k = NULL;
	BIO *b = NULL;
	char *pem = NULL;
	int rc = rsa_path(db_path, &path), fd = -1;
	sb_init(&tmp, 4096);
	/* a name of its own for each maker, thread or process */
	if (rc || (rc = sb_addf(&tmp, "%s.%ld.%08x.tmp", path.buf, (long)getpid(),
				(unsigned)randombytes_random())))
		goto out;
	if (!access(path.buf, F_OK))
		goto out; /* made before */
	k = EVP_RSA_gen(2048);
	b = k ? BIO_new(BIO_s_mem()) : NULL;
	long n = 0;
	if (!b || PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) != 1 ||
	    (n = BIO_get_mem_data(b, &pem)) <= 0) {
		rc = px_fail(err, PX_E_INTERNAL, NULL, NULL);
		goto out;
	}
	/* written whole under another name, then linked: a thread or process
	 * making it at the same moment finds either nothing or all of it */
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		rc = px_fail(err, PX_E_IO, NULL, NULL);
		goto out;
	}
	int bad = write(fd, pem, (size_t)n) != (ssize_t)n || fsync(fd);
	if (close(fd) || bad || (link(tmp.buf, path.buf) && errno != EEXIST))
		rc = px_fail(err, PX_E_IO, NULL, NULL);
	unlink(tmp.buf);
out:
	BIO_free(b);
	EVP_PKEY_free(k);
	sb_release(&path);
	sb_release(&tmp);
	return rc;
}

int store_rsa_private(const struct store *s, struct strbuf *out, int *found)
{
	struct strbuf path;
	*found = 0;
	int rc = rsa_path(store_path(s), &path);
	if (rc)
		goto out;
	if (!store_has_key(s))
		goto out; /* a replayed database speaks to nobody */
	FILE *f = fopen(path.buf, "r");
	if (!f && errno == ENOENT) {
		/* made at the first need: the first actor document served */
		struct px_error err = { 0 };
		if ((rc = store_rsa_ensure(store_path(s), &err)))
			goto out;
		f = fopen(path.buf, "r");
	}
	if (!f) {
		rc = PX_E_IO;
		goto out;
	}
	char buf[RSA_FILE_MAX];
	size_t n = fread(buf, 1, sizeof(buf), f);
	int bad = ferror(f) || n == sizeof(buf);
	fclose(f);
	if (bad) {
		rc = PX_E_IO;
		goto out;
	}
	if (!(rc = sb_add(out, buf, n)))
		*found = 1;
	sodium_memzero(buf, sizeof(buf));
out:
	sb_release(&path);
	return rc;
}

int store_rsa_public(const struct store *s, struct strbuf *out, int *found)
{
	struct strbuf priv;
	sb_init(&priv, RSA_FILE_MAX);
	int rc = store_rsa_private(s, &priv, found);
	if (!rc && *found)
		rc = rsa_public_pem(priv.buf, out);
	sb_release(&priv);
	return rc;
}

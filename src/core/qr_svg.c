/*
 * qr_svg.c: text to a QR code drawn as SVG (see qr_svg.h).
 *
 * Invariants: the image is (width + 8) modules square, module (x, y) of
 * the symbol is drawn at (x + 4, y + 4); each horizontal run of dark
 * modules is one subpath "M x y h n v 1 h -n z", so the path stays small
 * (a 33-module symbol is a few kilobytes) and renders crisply with
 * shape-rendering="crispEdges". Only the label is text from outside, and
 * it is HTML-escaped.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <qrencode.h>

#include "qr_svg.h"
#include "banned.h"

#define QUIET 4

static int draw(const QRcode *q, const char *label, struct strbuf *out)
{
	int size = q->width + 2 * QUIET, rc;
	rc = sb_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		     "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" "
		     "role=\"img\">", size, size);
	if (!rc && label) {
		rc = sb_adds(out, "<title>");
		if (!rc)
			rc = sb_add_html(out, label);
		if (!rc)
			rc = sb_adds(out, "</title>");
	}
	if (!rc)
		rc = sb_addf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
			     "<path fill=\"#000\" d=\"", size, size);
	for (int y = 0; !rc && y < q->width; y++) {
		const unsigned char *row = q->data + (size_t)y * (size_t)q->width;
		for (int x = 0; !rc && x < q->width;) {
			int run = 0;
			/* Bit 0 of each byte is the module's colour (1: dark). */
			while (x + run < q->width && (row[x + run] & 1))
				run++;
			if (run) {
				rc = sb_addf(out, "M%d %dh%dv1h-%dz", x + QUIET,
					     y + QUIET, run, run);
				x += run;
			} else {
				x++;
			}
		}
	}
	if (!rc)
		rc = sb_adds(out, "\"/></svg>\n");
	return rc;
}

int qr_svg(const char *text, const char *label, struct strbuf *out,
	   struct px_error *err)
{
	QRcode *q;
	size_t mark = out->len;
	int rc;

	if (!text || !*text)
		return px_fail(err, PX_E_BAD_INPUT, "text", "nothing to encode");
	if (strlen(text) > QR_SVG_TEXT_MAX)
		return px_fail(err, PX_E_OUT_OF_RANGE, "text",
			       "at most %d bytes fit in a QR code here",
			       QR_SVG_TEXT_MAX);
	errno = 0;
	q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!q) {
		if (errno == ENOMEM)
			return px_fail(err, PX_E_NOMEM, NULL, NULL);
		return px_fail(err, PX_E_OUT_OF_RANGE, "text",
			       "the text is too long for a QR code");
	}
	rc = draw(q, label, out);
	QRcode_free(q);
	if (rc) {
		/* Leave out as it was: no half-drawn image. */
		if (out->len != mark) {
			out->len = mark;
			out->buf[mark] = '\0';
		}
		return px_fail(err, rc, NULL, NULL);
	}
	return 0;
}

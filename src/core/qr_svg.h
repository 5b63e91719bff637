/*
 * qr_svg.h: a QR code as an SVG image, for the room code shown on the
 * projector (the meeting page's address with the code filled in).
 *
 * Pure: text in, SVG text out. The symbol is encoded by libqrencode in
 * 8-bit mode at error-correction level M, the smallest version that fits,
 * and drawn as one <path> of dark modules on a light background with the
 * four-module quiet zone the standard asks for, in a viewBox of module
 * units so it scales to any size without blurring.
 *
 * Ownership: qr_svg() appends to a strbuf the caller owns.
 */
#ifndef PNYX_QR_SVG_H
#define PNYX_QR_SVG_H

#include "errors.h"
#include "strbuf.h"

/* Longest text accepted (bytes); QR version 40-M holds 2331 bytes. */
#define QR_SVG_TEXT_MAX 2048

/* Append the SVG of text's QR code to out. label, when not NULL, becomes
 * the image's <title> (escaped). Returns 0, PX_E_BAD_INPUT (empty text),
 * PX_E_OUT_OF_RANGE (too long to encode), PX_E_NOMEM or PX_E_TOO_LARGE
 * (out's limit). */
int qr_svg(const char *text, const char *label, struct strbuf *out,
	   struct px_error *err) PX_MUST_CHECK;

#endif

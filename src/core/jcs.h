/*
 * jcs.h: the JSON Canonicalization Scheme (RFC 8785) of a jansson value:
 * the one byte string every party derives from the same JSON data, so
 * that a signature over it survives relaying, reformatting and key
 * reordering (an activity between nodes is signed over its canonical
 * form: docs/nodes.md).
 *
 * Objects' members are sorted by their names compared as UTF-16 code
 * units; no whitespace; strings escaped as ECMAScript's JSON.stringify
 * does (only '"', '\\' and the controls below U+0020, with the short forms
 * \b \t \n \f \r and otherwise \u00xx in lower case); literals as they
 * are. Numbers: integers (jansson's json_integer, at most 2^53 in
 * magnitude) are written in decimal, as ECMAScript writes them; a real
 * number is refused (PX_E_BAD_INPUT): nothing pnyx signs carries one, and
 * refusing is safer than a serialisation that could disagree with
 * another implementation's.
 */
#ifndef PNYX_CORE_JCS_H
#define PNYX_CORE_JCS_H

#include <jansson.h>

#include "core/errors.h"

struct strbuf;

/* Append the canonical form of v to out. 0; PX_E_BAD_INPUT for a real
 * number, an integer beyond 2^53 or a string that is not UTF-8 (jansson
 * keeps only UTF-8); PX_E_TOO_LARGE when out's maximum is reached. */
int jcs_append(const json_t *v, struct strbuf *out) PX_MUST_CHECK;

#endif

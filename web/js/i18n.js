// i18n.js: the language of the page and its words (docs/translating.md).
//
// Every string a page shows is written in English in the code, wrapped in
// t() (tn() for a count), and looked up in the catalogue of the reader's
// language: /i18n/LANG.json, made at build time from po/LANG.po, the same
// file the server's C code reads its words from. Missing words read in
// English.
//
// The language: the assembly's, on a page for its meeting room (the
// projector); else the signed-in person's setting (PUT /api/v1/me/language),
// else the one chosen on this browser while signed out, else the first of
// the browser's languages (its Accept-Language) that pnyx speaks, else
// English. This module waits for the catalogue before any page code runs
// (a top-level await: every page imports it through dom.js), then
// translates the static text of the page (text nodes and the attributes
// people read), so pages need no markup for it.
//
// Placeholders are named: t('Signed in as {name}', { name }). Dates and
// numbers are written by Intl for the language (locale below).

import { pluralIndex, pluralText } from './plural.js';

const spoken = fetch('/i18n/languages.json')
	.then((r) => (r.ok ? r.json() : ['en']))
	.catch(() => ['en']);

// The signed-in account, asked once per page load (api.js me() reads it).
export const account = fetch('/api/v1/me', {
	credentials: 'same-origin', headers: { Accept: 'application/json' },
}).then(async (r) => ({ status: r.status, data: await r.json().catch(() => null) }))
	.catch(() => ({ status: 0, data: null }));

// The languages this server speaks, "en" first (made at build time).
export const languages = await spoken;

const STORED = 'pnyx.language';

function speaks(tag) {
	if (!tag)
		return null;
	const primary = String(tag).toLowerCase().split(/[-_]/)[0];
	return languages.includes(primary) ? primary : null;
}

function stored() {
	try {
		return localStorage.getItem(STORED);
	} catch (e) {
		return null;
	}
}

// A page for a room rather than a person (the projector: <meta
// name="pnyx-language" content="meeting">) speaks the language of the
// assembly whose meeting it shows (?id=), as the minutes do.
async function assemblyLanguage() {
	const meta = document.querySelector('meta[name="pnyx-language"]');
	const id = new URLSearchParams(location.search).get('id');
	if (!meta || meta.content !== 'meeting' || !/^\d+$/.test(id || ''))
		return null;
	try {
		const m = await fetch('/api/v1/meetings/' + id).then((r) => (r.ok ? r.json() : null));
		// the language the assembly had when the meeting began (a change
		// decided during it counts from the next meeting)
		if (m && speaks(m.language))
			return speaks(m.language);
		const b = m && await fetch('/api/v1/bodies/' + encodeURIComponent(m.body))
			.then((r) => (r.ok ? r.json() : null));
		return b ? speaks(b.language) : null;
	} catch (e) {
		return null; // the page says what failed; its words are the reader's
	}
}

async function choose() {
	const room = await assemblyLanguage();
	if (room)
		return room;
	const a = await account;
	const mine = a.status === 200 && a.data ? speaks(a.data.language) : null;
	if (mine)
		return mine;
	const here = speaks(stored());
	if (here)
		return here;
	for (const l of navigator.languages || [navigator.language])
		if (speaks(l))
			return speaks(l);
	return 'en';
}

// The page's language ("es") and the locale that Intl writes dates and
// numbers in: the browser's own when it is of the same language (es-MX
// keeps its ways), else the language.
export const lang = await choose();
export const locale = (navigator.languages || []).find((l) => speaks(l) === lang) || lang;

const catalogue = lang === 'en' ? {} : await fetch('/i18n/' + lang + '.json')
	.then((r) => (r.ok ? r.json() : {}))
	.catch(() => ({}));

function fill(text, args) {
	if (!args)
		return text;
	return text.replace(/\{(\w+)\}/g, (m, k) => (k in args ? String(args[k]) : m));
}

// msgid in the page's language, its {placeholders} filled from args.
export function t(msgid, args) {
	const s = catalogue[msgid];
	return fill(typeof s === 'string' && s ? s : msgid, args);
}

// msgid in a context (gettext's pgettext()): the same English word with
// two meanings, "third" of a month and "third" of a fraction, each its own
// entry; in the catalogue under "CONTEXT\u0004msgid".
export function pt(context, msgid, args) {
	const s = catalogue[context + '\u0004' + msgid];
	return fill(typeof s === 'string' && s ? s : msgid, args);
}

// msgid in the page's language as a list of strings and nodes, for
// h() and fill(): each {name} replaced by parts[name], which may be an
// element (a link inside a sentence stays one sentence to translate).
export function tx(msgid, parts) {
	const s = catalogue[msgid];
	const text = typeof s === 'string' && s ? s : msgid;
	return text.split(/(\{\w+\})/).filter((x) => x !== '').map((x) => {
		const k = /^\{(\w+)\}$/.exec(x);
		return k && parts && k[1] in parts ? parts[k[1]] : x;
	});
}

const pluralOf = pluralIndex(catalogue);

// one or many by n, in the page's language; {n} is n written for the
// locale. The form is the one the catalogue's Plural-Forms rule names
// (plural.js), as gettext's ngettext() does: two for English and Spanish,
// three for Polish or Russian.
export function tn(one, many, n, args) {
	return fill(pluralText(catalogue, pluralOf, one, many, n),
		Object.assign({ n: number(n) }, args));
}

const numberFmt = new Intl.NumberFormat(locale);
export function number(n) {
	return numberFmt.format(n);
}

// The name of a language in itself ("español"), for the chooser.
export function languageName(l) {
	try {
		const name = new Intl.DisplayNames([l], { type: 'language' }).of(l);
		return name.charAt(0).toLocaleUpperCase(l) + name.slice(1);
	} catch (e) {
		return l;
	}
}

// Keep the language for this browser (signed out, or until the account's
// setting is read).
export function remember(l) {
	try {
		localStorage.setItem(STORED, l);
	} catch (e) {
		// private browsing: the choice lasts this page only
	}
}

// The static text of the page, translated in place: each text node and
// attribute whose text (whitespace collapsed) the catalogue has.
const ATTRS = ['placeholder', 'aria-label', 'title', 'alt'];
function translateStatic() {
	document.documentElement.lang = lang;
	if (lang === 'en')
		return;
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const p = n.parentNode && n.parentNode.nodeName;
		if (p === 'SCRIPT' || p === 'STYLE')
			continue;
		const key = n.nodeValue.replace(/\s+/g, ' ').trim();
		if (key && typeof catalogue[key] === 'string') {
			const lead = /^\s/.test(n.nodeValue) ? ' ' : '';
			const tail = /\s$/.test(n.nodeValue) ? ' ' : '';
			n.nodeValue = lead + catalogue[key] + tail;
		}
	}
	for (const a of ATTRS)
		for (const el of document.querySelectorAll('[' + a + ']')) {
			const key = el.getAttribute(a).replace(/\s+/g, ' ').trim();
			if (typeof catalogue[key] === 'string')
				el.setAttribute(a, catalogue[key]);
		}
	const title = document.title.replace(/\s+/g, ' ').trim();
	if (typeof catalogue[title] === 'string')
		document.title = catalogue[title];
}

translateStatic();

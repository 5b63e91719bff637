// dom.js: building the page from data without ever parsing data as HTML.
//
// h(tag, attrs, ...children) makes an element; strings among the children
// become text nodes, so whatever a person typed (a name, a statement, a
// place) is shown as text and can never become markup or script. Nothing
// in web/ assigns innerHTML.

import { locale, tn } from './i18n.js';

export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	if (attrs) {
		for (const [k, v] of Object.entries(attrs)) {
			if (v === undefined || v === null || v === false)
				continue;
			if (k === 'class')
				el.className = v;
			else if (k === 'text')
				el.textContent = v;
			else if (k.startsWith('on') && typeof v === 'function')
				el.addEventListener(k.slice(2), v);
			else if (v === true)
				el.setAttribute(k, '');
			else
				el.setAttribute(k, String(v));
		}
	}
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children) {
		if (c === undefined || c === null || c === false)
			continue;
		if (Array.isArray(c))
			append(el, c);
		else if (c instanceof Node)
			el.appendChild(c);
		else
			el.appendChild(document.createTextNode(String(c)));
	}
}

// Replace the children of el.
export function fill(el, ...children) {
	el.replaceChildren();
	append(el, children);
	return el;
}

export function $(sel, root) {
	return (root || document).querySelector(sel);
}

// A query-string parameter of this page's address.
export function param(name) {
	return new URLSearchParams(location.search).get(name);
}

// Links to the pages, with their parameters encoded.
export const link = {
	home: () => '/',
	community: (slug) => '/community.html?slug=' + encodeURIComponent(slug),
	assembly: (slug) => '/assembly.html?slug=' + encodeURIComponent(slug),
	found: (community) => '/found.html' +
		(community ? '?community=' + encodeURIComponent(community) : ''),
	signin: (next) => '/signin.html' +
		(next ? '?next=' + encodeURIComponent(next) : ''),
	signup: (next) => '/signup.html' +
		(next ? '?next=' + encodeURIComponent(next) : ''),
	journal: (after) => '/journal.html' + (after ? '?after=' + after : ''),
	meeting: (id, code) => '/meeting.html?id=' + encodeURIComponent(id) +
		(code ? '&code=' + encodeURIComponent(code) : ''),
	projector: (id) => '/projector.html?id=' + encodeURIComponent(id),
	motion: (id) => '/motion.html?id=' + encodeURIComponent(id),
	laws: (slug) => '/laws.html?slug=' + encodeURIComponent(slug),
	law: (slug, n) => '/laws.html?slug=' + encodeURIComponent(slug) +
		'&law=' + encodeURIComponent(n),
	tally: () => '/tally.html',
	enterprise: (slug) => '/enterprise.html?slug=' + encodeURIComponent(slug),
	foundEnterprise: (community) => '/enterprise.html?community=' +
		encodeURIComponent(community),
	polity: (slug) => '/polity.html' + (slug ? '?slug=' + encodeURIComponent(slug) : ''),
	citizenship: () => '/citizenship.html',
	militia: (slug) => '/militia.html' + (slug ? '?slug=' + encodeURIComponent(slug) : ''),
	item: (id) => '/item.html?id=' + encodeURIComponent(id),
	proposal: (id, v) => '/proposal.html?id=' + encodeURIComponent(id) +
		(v ? '&version=' + encodeURIComponent(v) : ''),
};

// Only a path on this site may be a place to go back to after signing in.
export function safeNext(next) {
	if (typeof next === 'string' && next.startsWith('/') &&
	    !next.startsWith('//') && !next.includes('\\'))
		return next;
	return '/';
}

export function here() {
	return location.pathname + location.search;
}

const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
const timeFmt = new Intl.DateTimeFormat(locale,
	{ dateStyle: 'medium', timeStyle: 'short' });

// Seconds since 1970 to a readable date, in a <time> element.
export function date(seconds, withTime) {
	const d = new Date(seconds * 1000);
	return h('time', { datetime: d.toISOString() },
		(withTime ? timeFmt : dateFmt).format(d));
}

// A meeting's time as the assembly says it: in its own time zone (tz, an
// IANA name), e.g. "Tuesday 8 December 2026, 19:00", in a <time> element.
// Without a zone (or one the browser does not know), the reader's own.
export function meetingTime(seconds, tz) {
	const d = new Date(seconds * 1000);
	let fmt;
	try {
		fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short',
			timeZone: tz || undefined });
	} catch (e) {
		fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' });
	}
	return h('time', { datetime: d.toISOString() }, fmt.format(d));
}

// Call fn when the soonest of meetings (each {state, starts_at}) that has
// not begun begins (a second after, by this computer's clock), if that is
// within a day: meetings open by themselves, with nothing written, and a
// page listing them shows it then.
export function atNextStart(meetings, fn) {
	const now = Date.now() / 1000;
	const next = Math.min(...(meetings || []).filter((m) => m.state === 'scheduled')
		.map((m) => m.starts_at));
	if (Number.isFinite(next) && next - now < 86400)
		setTimeout(fn, Math.max(0, next - now + 1) * 1000);
}

export function plural(n, one, many) {
	return n + ' ' + (n === 1 ? one : many);
}

// Who sits in an assembly, in the words of its kind: a local assembly's
// members, a delegate assembly's delegates (body: GET /bodies/S, may be
// null). seatWord(body) is the singular, people(body, n) counts them.
export function seatWord(body) {
	return body && body.kind === 'delegate' ? 'delegate' : 'member';
}

export function people(body, n) {
	return seatWord(body) === 'delegate' ? tn('{n} delegate', '{n} delegates', n)
		: tn('{n} member', '{n} members', n);
}

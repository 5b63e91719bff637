// text.js: turning stored data into words people read: decision rules,
// meeting schedules (RFC 5545 recurrence rules) and statements written in
// Markdown. The wording of rules follows rule_describe() in
// src/core/rule.c, so the page says what the server would.
//
// Markdown is rendered by building elements whose text is set as text:
// paragraphs, headings, lists, emphasis and code. Raw HTML in the source
// is shown as the characters typed, never interpreted; a link shows its
// words followed by its address.

import { api } from './api.js';
import { h } from './dom.js';
import { lang, locale, number, pt, t, tn } from './i18n.js';

// TRANSLATORS: the numerator of a fraction in words: "two" thirds
const ONES = [null, null, t('two'), t('three'), t('four'), t('five'), t('six'),
	t('seven'), t('eight'), t('nine'), t('ten')];
// A fraction in words by its denominator: one form for a numerator of
// one, the other for more ({count} the numerator in words).
const PARTS = [null, null, null,
	(n, a) => tn('one third', '{count} thirds', n, a),
	(n, a) => tn('one quarter', '{count} quarters', n, a),
	(n, a) => tn('one fifth', '{count} fifths', n, a),
	(n, a) => tn('one sixth', '{count} sixths', n, a),
	(n, a) => tn('one seventh', '{count} sevenths', n, a),
	(n, a) => tn('one eighth', '{count} eighths', n, a),
	(n, a) => tn('one ninth', '{count} ninths', n, a),
	(n, a) => tn('one tenth', '{count} tenths', n, a)];

function gcd(a, b) {
	while (b) [a, b] = [b, a % b];
	return a;
}

// "2/3" -> "two thirds"; "1" -> "all".
// A room code as people read it aloud: "1234 5678".
export function roomCodeText(code) {
	const d = String(code || '').replace(/\D/g, '');
	return d.length > 4 ? d.slice(0, 4) + ' ' + d.slice(4) : d;
}

export function fractionWords(f) {
	const m = /^(\d+)(?:\/(\d+))?$/.exec(String(f));
	if (!m)
		return String(f);
	let n = Number(m[1]), d = m[2] ? Number(m[2]) : 1;
	const g = gcd(n, d) || 1;
	n /= g; d /= g;
	if (n === d)
		return t('all');
	if (n === 1 && d === 2)
		return t('one half');
	if (d >= 3 && d <= 10 && n >= 1 && n <= 10)
		return PARTS[d](n, { count: ONES[n] });
	return n + '/' + d;
}

// The bases of a fraction, for those who sit in the assembly (w: its
// "member", or "delegate" in a delegate assembly).
const BASE = {
	cast: () => t('votes cast'),
	present: (w) => (w === 'delegate' ? t('delegates present') : t('members present')),
	members: (w) => (w === 'delegate' ? t('all delegates') : t('all members')),
};

function superText(r, w) {
	const all = String(r.fraction) === '1' || fractionWords(r.fraction) === t('all');
	const args = { fraction: fractionWords(r.fraction),
		base: BASE[r.base] ? BASE[r.base](w) : r.base };
	return all ? t('{fraction} of {base} in favour', args)
		: t('at least {fraction} of {base} in favour', args);
}

function quorumText(q, w) {
	const d = w === 'delegate';
	if (q && q.count)
		return d ? tn(', with a quorum of {n} delegate', ', with a quorum of {n} delegates', q.count)
			: tn(', with a quorum of {n} member', ', with a quorum of {n} members', q.count);
	if (q && q.fraction && q.fraction !== '0')
		return d ? t(', with a quorum of {fraction} of all delegates',
			{ fraction: fractionWords(q.fraction) })
			: t(', with a quorum of {fraction} of all members',
				{ fraction: fractionWords(q.fraction) });
	return t(', with no quorum');
}

export const RULE_KINDS = {
	simple_majority: t('Simple majority'),
	absolute_majority: t('Absolute majority'),
	supermajority: t('Supermajority'),
	consensus: t('Consensus'),
	consent: t('Consent'),
	unanimity: t('Unanimity'),
	hybrid: t('Consensus, then a supermajority'),
};

// One rule in words; who: "member" (the default) or, in a delegate
// assembly, "delegate" (dom.js seatWord).
export function ruleText(r, who) {
	const w = who || 'member';
	const d = w === 'delegate';
	if (!r || typeof r !== 'object')
		return t('no rule');
	let words;
	switch (r.kind) {
	case 'simple_majority':
		words = t('a simple majority: more yes than no votes (abstentions not counted)');
		break;
	case 'absolute_majority':
		words = d ? t('an absolute majority: yes from more than half of all delegates')
			: t('an absolute majority: yes from more than half of all members');
		break;
	case 'supermajority':
		words = superText(r, w);
		break;
	case 'consensus':
		words = t('consensus: no block and at least one yes (stand-asides allowed)');
		break;
	case 'consent':
		words = t('consent: no objection');
		break;
	case 'unanimity':
		words = d ? t('unanimity: every delegate present votes yes')
			: t('unanimity: every member present votes yes');
		break;
	case 'hybrid':
		words = tn('consensus sought for {n} round, then {rule}',
			'consensus sought for {n} rounds, then {rule}', r.rounds,
			{ rule: superText(r, w) });
		break;
	default:
		words = String(r.kind);
	}
	return words + quorumText(r.quorum, w);
}

// The rule a decision was taken by, in words: the page's own for the
// kinds it knows, else the server's words (rule_text, in English).
export function decidedRuleText(result, fallback, who) {
	const r = (result && result.rule) || fallback;
	if (r && RULE_KINDS[r.kind])
		return ruleText(r, who);
	return (result && result.rule_text) || ruleText(r, who);
}

// A vote's result in words, as rule_result_describe() in src/core/rule.c
// writes it ("adopted: 14 yes of 20, at least 11 needed; 20 present,
// quorum 10"), from the numbers the result keeps; the server's own
// words (its "text", in English) when they are missing.
const OUTCOME = { adopted: t('adopted'), rejected: t('rejected'), no_quorum: t('no quorum'),
	next_round: t('next round') };
// A ranked election's result in words, from the numbers it recorded (the
// server's "text" is the English the journal keeps); the count itself is
// stv.js's.
function rankedResultText(r) {
	const a = { outcome: OUTCOME[r.outcome], present: number(r.present),
		quorum: number(r.quorum), seats: number(r.seats) };
	if (r.outcome === 'no_quorum')
		return t('{outcome}: {present} present, quorum {quorum}', a);
	if (r.outcome === 'rejected')
		return tn('{outcome}: {n} ballot for {seats} seats, at least one ballot per ' +
			'seat is needed', '{outcome}: {n} ballots for {seats} seats, at least one ' +
			'ballot per seat is needed', r.ballots, a);
	return tn('counted by STV: {n} ballot for {seats} seats; {present} present, ' +
		'quorum {quorum}', 'counted by STV: {n} ballots for {seats} seats; {present} ' +
		'present, quorum {quorum}', r.ballots, a);
}

export function resultText(r) {
	// a rule's result has the rule it applied; a ranked election's is
	// counted otherwise
	if (r && r.ranked && ['no_quorum', 'rejected', 'adopted'].includes(r.outcome) &&
	    [r.ballots, r.seats, r.present, r.quorum].every(Number.isInteger))
		return rankedResultText(r);
	if (!r || r.ranked || r.count || !OUTCOME[r.outcome] || !r.applied ||
	    r.present === undefined ||
	    r.quorum === undefined || r.yes === undefined)
		return r ? r.text || '' : '';
	const n = (x) => number(x || 0);
	const a = { outcome: OUTCOME[r.outcome], yes: n(r.yes), base: n(r.base),
		threshold: n(r.threshold), present: n(r.present), quorum: n(r.quorum) };
	if (r.outcome === 'no_quorum')
		return t('{outcome}: {present} present, quorum {quorum}', a);
	if (r.applied === 'consensus')
		return tn('{outcome}: {yes} yes, {n} block; {present} present, quorum {quorum}',
			'{outcome}: {yes} yes, {n} blocks; {present} present, quorum {quorum}',
			r.vetoes || 0, a);
	if (r.applied === 'consent')
		return tn('{outcome}: {n} objection; {present} present, quorum {quorum}',
			'{outcome}: {n} objections; {present} present, quorum {quorum}', r.vetoes || 0, a);
	return t('{outcome}: {yes} yes of {base}, at least {threshold} needed; {present} ' +
		'present, quorum {quorum}', a);
}

// What each kind of journal entry records, in words (the journal page).
// Every kind the journal can hold (kinds[] in src/gov/replay/replay.c,
// which refuses any other) has its words here:
// tests/cli/test_journal_words.py fails on a kind without them.
export const JOURNAL_ACTIONS = {
	'account.create': t('Account created'),
	'community.add': t('Community added'),
	'body.found': t('Assembly founded'),
	'member.join': t('Member joined'),
	'member.leave': t('Member left'),
	'meeting.checkin': t('Checked in at a meeting'),
	'meeting.close': t('Meeting closed'),
	'meeting.depart': t('Presence at a meeting ended'),
	'motion.submit': t('Motion submitted'),
	'motion.withdraw': t('Motion withdrawn'),
	'motion.advise': t('Advice given on a motion'),
	'comment.add': t('Comment posted'),
	'comment.withdraw': t('Comment withdrawn'),
	'agenda.reorder': t('Agenda reordered'),
	'vote.open': t('Vote opened'),
	'vote.cast': t('Ballot cast'),
	'vote.change': t('Vote changed'),
	'vote.hands': t('Show of hands recorded'),
	'vote.round': t('Round of voting counted'),
	'motion.decide': t('Motion decided'),
	'federation.found': t('Federation founded'),
	'law.from_proposal': t('Law made from a proposal'),
	'region.add': t('Region added'),
	'polity.add': t('Polity registered, with its assembly'),
	'citizen.residence': t('Residence stated'),
	'citizen.consent': t('Consent to citizenship given'),
	'citizen.profile': t('Profile for the quotas declared'),
	'renewal.commit': t('Pool of a renewal committed'),
	'renewal.witness': t('Seed of a draw entered by a witness'),
	'renewal.draw': t('Renewal drawn by lot'),
	'renewal.term': t('Term of a cohort ended'),
	'summons.answer': t('Summons answered'),
	'summons.excuse': t('Excuse decided by the clerk'),
	'summons.lapse': t('Summons reached its deadline'),
	'seat.resign': t('Seat resigned'),
	'civil_servant.add': t('Civil servant registered for a polity'),
	'case.petition': t('Case petitioned: does a law allow harm?'),
	'case.recommend': t('Remedy recommended by the civil service'),
	'case.report': t('Report on a remedy under review'),
	'case.review_open': t('Review of a remedy opened on its date'),
	'case.evidence': t('Evidence submitted to a case'),
	'case.testimony': t('Testimony recorded by the clerk at a meeting'),
	'enterprise.found': t('Enterprise founded'),
	'delivery.record': t('Delivery recorded by an enterprise'),
	'delivery.correct': t('Delivery recorded by mistake, corrected'),
	'appreciation.add': t('Appreciation of a delivery'),
	'standing.basis': t('Basis for contributing reasonably recorded'),
	'good.offer': t('Good offered to the sharing economy'),
	'good.stock': t('Stock of a good updated by its enterprise'),
	'good.take': t('Taken freely from the sharing economy'),
	'good.return': t('Item returned to the sharing economy'),
	'good.renew': t('Loan of an item renewed'),
	'good.collect': t('Lent item collected by whoever it waited for'),
	'good.hold_expire': t('Hold on a lent item expired: passed to the next by lot'),
	'sharing.opt': t('Opted out of the sharing economy, or back in'),
	'round.request': t('Requested in a round of a scarce good'),
	'round.close': t('Round of a scarce good closed, its commitment published'),
	'round.draw': t('Round of a scarce good allocated by lot'),
	'round.review': t('Evidence of need reviewed by a committee'),
	'household.declare': t('Household declared'),
	'household.invite': t('Invited to a household'),
	'household.join': t('Household joined'),
	'household.leave': t('Household left, or its invitation declined'),
	'barter.record': t('Barter recorded'),
	'barter.confirm': t('Barter confirmed by the other side'),
	'barter.withdraw': t('Barter withdrawn by the side that recorded it'),
	'barter.decline': t('Barter declined by the other side'),
	'community.choose': t('New community chosen after a division'),
	'node.receive': t('Message from another node received'),
	'node.refuse': t('Message from another node refused'),
	'node.rotate_key': t('Signing key of this node renewed'),
};
export function journalActionText(a) {
	return Object.hasOwn(JOURNAL_ACTIONS, a) ? JOURNAL_ACTIONS[a]
		: t('An entry of a kind this page does not know');
}

// A summons that reached its deadline: what it became (the entry's
// "outcome"; entries from before there was a choice vacated the seat).
// `pnyx journal show` says the same (src/cli/cmd_journal.c), and
// tests/cli/test_journal_words.py checks both.
export const LAPSE_OUTCOMES = {
	'no_answer': t('Summons unanswered by its deadline: the seat goes to the next alternate'),
	'deferred': t('Summons unanswered by its deadline: deferred to the next renewal'),
	'excused': t('Excuse undecided by the deadline: granted, the seat goes to the next alternate'),
};

// A law from a proposal whose rationing policy could not apply there:
// why, by the code the entry keeps (src/gov/sharing/scarcity_fed.c).
// `pnyx journal show` says the same (not_applied_words in
// src/cli/cmd_journal.c); tests/cli/test_journal_words.py checks both.
export const NOT_APPLIED = {
	'scarce_already': t('Law made from a proposal; its rationing policy not applied: the good was scarce already'),
	'withdrawn': t('Law made from a proposal; its rationing policy not applied: the good was no longer offered'),
	'not_scarce': t('Law made from a proposal; its lifting not applied: the good was not scarce'),
	'refused': t('Law made from a proposal; its rationing policy not applied: the rules refused it'),
};

// The words of one entry: its kind's, for a summons that reached its
// deadline what became of it, for a law whose policy did not apply why.
export function journalEntryText(e) {
	if (e.action === 'law.from_proposal') {
		const c = e.payload && e.payload.scarcity && e.payload.scarcity.not_applied;
		if (c && Object.hasOwn(NOT_APPLIED, c))
			return NOT_APPLIED[c];
	}
	if (e.action === 'summons.lapse') {
		const o = (e.payload && e.payload.outcome) || 'no_answer';
		if (Object.hasOwn(LAPSE_OUTCOMES, o))
			return LAPSE_OUTCOMES[o];
	}
	return journalActionText(e.action);
}

// "change_rules" -> "Changing the rules"; other kinds in plain words.
const MOTION_KINDS = {
	change_rules: t('Changing the rules'),
	change_schedule: t('Changing the meeting schedule'),
	exclude: t('Excluding a member'),
	law: t('Making a law'),
	adjourn: t('Motion to adjourn'),
	decide_standing: t('Deciding a standing in the sharing economy'),
	standing_cycle: t('Setting the cycle of standing reviews'),
	state_commitment: t('Stating a commitment'),
};
// The kinds' labels as the server's table gives them (GET
// /api/v1/motion-kinds), fetched once by a page that names kinds
// (loadKindLabels()); each is translated by the catalogue, where the
// table's words are (marked N_() in src/gov).
const kindLabels = {};
const tables = new Map();
// The table of kinds (of those the assembly slug may decide, when given),
// read once per page: the motion form and the kinds' names share it.
export function kindsTable(slug) {
	const url = '/api/v1/motion-kinds' + (slug ? '?body=' + encodeURIComponent(slug) : '');
	if (!tables.has(url))
		tables.set(url, api('GET', url.slice('/api/v1'.length)));
	return tables.get(url);
}
export function loadKindLabels(slug) {
	return kindsTable(slug).then((j) => {
		for (const k of j.kinds || [])
			kindLabels[k.name] = k.label;
	}).catch(() => {}); // the kinds' names then read as their short names
}

// A kind of motion in words: the page's own, else the table's label (the
// one given, or the one loaded), translated.
export function motionKindText(k, label) {
	if (MOTION_KINDS[k])
		return MOTION_KINDS[k];
	if (label || kindLabels[k])
		return t(label || kindLabels[k]);
	const s = String(k).replace(/_/g, ' ');
	return s.charAt(0).toUpperCase() + s.slice(1);
}

// A motion's status in a word or two, as its badge says it.
const MOTION_STATUS = {
	submitted: t('submitted'), voting: t('voting'), adopted: t('adopted'),
	rejected: t('rejected'), no_quorum: t('no quorum'), withdrawn: t('withdrawn'),
	lapsed: t('lapsed'), superseded: t('superseded'), void: t('void'),
};
export function motionStatusText(st) {
	return MOTION_STATUS[st] || String(st || '').replace(/_/g, ' ');
}

// A rule set as [[label, text], ...]: the default first.
export function ruleSetText(set, who) {
	if (!set)
		return [];
	const def = set.default || set;
	const rows = [[t('Every decision'), ruleText(def, who)]];
	const by = set.by_kind || {};
	for (const k of Object.keys(by).sort())
		rows.push([motionKindText(k), ruleText(by[k], who)]);
	return rows;
}

// ---- schedules -------------------------------------------------------

// The days' names as the page's language writes them (Intl): 1 January
// 2024 was a Monday.
const dayFmt = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'].map((code, i) =>
	[code, dayFmt.format(new Date(Date.UTC(2024, 0, 1 + i)))]);
const DAY = Object.fromEntries(WEEKDAYS);
// TRANSLATORS: which weekday of the month: "the first Tuesday of every month"
export const ORDINALS = [['1', pt('weekday', 'first')], ['2', pt('weekday', 'second')],
	['3', pt('weekday', 'third')], ['4', pt('weekday', 'fourth')],
	['-1', pt('weekday', 'last')]];
const ORD = Object.fromEntries(ORDINALS);

export function parseRrule(s) {
	const out = {};
	for (const part of String(s || '').split(';')) {
		const i = part.indexOf('=');
		if (i > 0)
			out[part.slice(0, i).toUpperCase()] = part.slice(i + 1);
	}
	return out;
}

function pad2(n) {
	return String(n).padStart(2, '0');
}

// "Monday, Wednesday and Friday", as the page's language joins a list
// (English without the serial comma, as pnyx has always written it).
const listFmt = new Intl.ListFormat(lang === 'en' ? 'en-GB' : locale,
	{ style: 'long', type: 'conjunction' });
export function listWords(words) {
	return listFmt.format(words.map(String));
}

// "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0" -> "Every Tuesday at 19:00".
// Returns null for a rule it cannot put in words.
export function rruleText(s) {
	const r = parseRrule(s);
	const interval = r.INTERVAL ? Number(r.INTERVAL) : 1;
	const days = (r.BYDAY || '').split(',').filter(Boolean);
	let when = null;
	const EVERY = {
		week: [t('every week'), t('every other week'), t('every {n} weeks')],
		month: [t('every month'), t('every other month'), t('every {n} months')],
		day: [t('every day'), t('every other day'), t('every {n} days')],
	};
	const every = (unit) => (interval === 1 ? EVERY[unit][0]
		: interval === 2 ? EVERY[unit][1]
		: EVERY[unit][2].replace('{n}', interval));
	if (r.FREQ === 'WEEKLY') {
		const names = days.map((d) => DAY[d]);
		if (names.some((n) => !n))
			return null;
		if (!names.length)
			when = every('week');
		else if (interval === 1)
			when = t('every {days}', { days: listWords(names) });
		else if (interval === 2 && names.length === 1)
			when = t('every other {day}', { day: names[0] });
		else
			when = t('{every} on {days}', { every: every('week'), days: listWords(names) });
	} else if (r.FREQ === 'MONTHLY') {
		const ords = [];
		for (const d of days) {
			const m = /^([+-]?\d+)([A-Z]{2})$/.exec(d);
			if (!m || !DAY[m[2]])
				return null;
			const o = ORD[String(Number(m[1]))] ||
				t('{n}th', { n: Number(m[1]) });
			ords.push(t('the {ordinal} {day}', { ordinal: o, day: DAY[m[2]] }));
		}
		if (r.BYMONTHDAY)
			ords.push(t('day {days}', { days: r.BYMONTHDAY.split(',').join(', ') }));
		if (!ords.length)
			return null;
		when = t('{days} of {every}', { days: listWords(ords), every: every('month') });
	} else if (r.FREQ === 'DAILY') {
		when = every('day');
	} else {
		return null;
	}
	if (r.BYHOUR !== undefined) {
		const hours = r.BYHOUR.split(',');
		const min = pad2(r.BYMINUTE !== undefined ? r.BYMINUTE : 0);
		when = t('{when} at {times}', { when,
			times: listWords(hours.map((x) => pad2(x) + ':' + min)) });
	}
	return when.charAt(0).toUpperCase() + when.slice(1);
}

// ---- statements (Markdown, rendered as text) --------------------------

// Inline: **strong**, *em* or _em_, `code`, [words](address).
function inline(text) {
	const out = [];
	const re = /(\*\*([^*]+)\*\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*([^*\s][^*]*)\*|\b_([^_]+)_\b)/g;
	let last = 0, m;
	while ((m = re.exec(text))) {
		if (m.index > last)
			out.push(text.slice(last, m.index));
		if (m[2] !== undefined)
			out.push(h('strong', null, m[2]));
		else if (m[3] !== undefined)
			out.push(h('code', null, m[3]));
		else if (m[4] !== undefined)
			out.push(m[4] + ' (' + m[5] + ')');
		else
			out.push(h('em', null, m[6] !== undefined ? m[6] : m[7]));
		last = re.lastIndex;
	}
	if (last < text.length)
		out.push(text.slice(last));
	return out;
}

// Markdown source -> a DocumentFragment of safe elements.
export function markdown(src) {
	const frag = document.createDocumentFragment();
	const lines = String(src || '').replace(/\r\n?/g, '\n').split('\n');
	let para = [], list = null, item = null;
	const flushPara = () => {
		if (para.length)
			frag.appendChild(h('p', null, inline(para.join(' '))));
		para = [];
	};
	const flushList = () => {
		if (item)
			list.el.appendChild(h('li', null, inline(item.join(' '))));
		if (list)
			frag.appendChild(list.el);
		list = null;
		item = null;
	};
	for (const raw of lines) {
		const line = raw.replace(/\s+$/, '');
		let m;
		if (!line.trim()) {
			flushPara();
			flushList();
		} else if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) {
			flushPara();
			flushList();
			// Headings inside a statement sit below the page's own.
			const level = Math.min(6, m[1].length + 2);
			frag.appendChild(h('h' + level, null, inline(m[2])));
		} else if ((m = /^\s{0,3}([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line))) {
			flushPara();
			const ordered = /\d/.test(m[1]);
			if (!list || list.ordered !== ordered) {
				flushList();
				list = { ordered, el: h(ordered ? 'ol' : 'ul') };
			} else if (item) {
				list.el.appendChild(h('li', null, inline(item.join(' '))));
			}
			item = [m[2]];
		} else if (item && /^\s+/.test(line)) {
			item.push(line.trim());
		} else {
			flushList();
			para.push(line.trim());
		}
	}
	flushPara();
	flushList();
	return frag;
}

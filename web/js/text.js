// text.js: turning stored data into words people read: decision rules,
// meeting schedules (RFC 5545 recurrence rules) and statements written in
// Markdown. The wording of rules follows rule_describe() in
// src/core/rule.c, so the page says what the server would.
//
// Markdown is rendered by building elements whose text is set as text:
// paragraphs, headings, lists, emphasis and code. Raw HTML in the source
// is shown as the characters typed, never interpreted; a link shows its
// words followed by its address.

import { h } from './dom.js';

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven',
	'eight', 'nine', 'ten'];
const NTHS = [null, null, ['half', 'halves'], ['third', 'thirds'],
	['quarter', 'quarters'], ['fifth', 'fifths'], ['sixth', 'sixths'],
	['seventh', 'sevenths'], ['eighth', 'eighths'], ['ninth', 'ninths'],
	['tenth', 'tenths']];

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
		return 'all';
	if (d >= 2 && d <= 10 && n >= 1 && n <= 10)
		return ONES[n] + ' ' + NTHS[d][n > 1 ? 1 : 0];
	return n + '/' + d;
}

// The bases of a fraction, for those who sit in the assembly (w: its
// "member", or "delegate" in a delegate assembly).
const BASE = { cast: () => 'votes cast', present: (w) => w + 's present',
	members: (w) => 'all ' + w + 's' };

function superText(r, w) {
	const all = fractionWords(r.fraction) === 'all';
	return (all ? '' : 'at least ') + fractionWords(r.fraction) + ' of ' +
		(BASE[r.base] ? BASE[r.base](w) : r.base) + ' in favour';
}

function quorumText(q, w) {
	if (q && q.count)
		return ', with a quorum of ' + q.count + ' ' + w +
			(q.count === 1 ? '' : 's');
	if (q && q.fraction && q.fraction !== '0')
		return ', with a quorum of ' + fractionWords(q.fraction) +
			' of all ' + w + 's';
	return ', with no quorum';
}

export const RULE_KINDS = {
	simple_majority: 'Simple majority',
	absolute_majority: 'Absolute majority',
	supermajority: 'Supermajority',
	consensus: 'Consensus',
	consent: 'Consent',
	unanimity: 'Unanimity',
	hybrid: 'Consensus, then a supermajority',
};

// One rule in words; who: "member" (the default) or, in a delegate
// assembly, "delegate" (dom.js seatWord).
export function ruleText(r, who) {
	const w = who || 'member';
	if (!r || typeof r !== 'object')
		return 'no rule';
	let t;
	switch (r.kind) {
	case 'simple_majority':
		t = 'a simple majority: more yes than no votes (abstentions not counted)';
		break;
	case 'absolute_majority':
		t = 'an absolute majority: yes from more than half of all ' + w + 's';
		break;
	case 'supermajority':
		t = superText(r, w);
		break;
	case 'consensus':
		t = 'consensus: no block and at least one yes (stand-asides allowed)';
		break;
	case 'consent':
		t = 'consent: no objection';
		break;
	case 'unanimity':
		t = 'unanimity: every ' + w + ' present votes yes';
		break;
	case 'hybrid':
		t = 'consensus sought for ' + r.rounds + ' round' +
			(r.rounds === 1 ? '' : 's') + ', then ' + superText(r, w);
		break;
	default:
		t = String(r.kind);
	}
	return t + quorumText(r.quorum, w);
}

// What each kind of journal entry records, in words (the journal page).
// Every kind the journal can hold (kinds[] in src/gov/replay/replay.c,
// which refuses any other) has its words here:
// tests/cli/test_journal_words.py fails on a kind without them.
export const JOURNAL_ACTIONS = {
	'account.create': 'Account created',
	'community.add': 'Community added',
	'body.found': 'Assembly founded',
	'member.join': 'Member joined',
	'member.leave': 'Member left',
	'meeting.checkin': 'Checked in at a meeting',
	'meeting.close': 'Meeting closed',
	'meeting.depart': 'Presence at a meeting ended',
	'motion.submit': 'Motion submitted',
	'motion.withdraw': 'Motion withdrawn',
	'motion.advise': 'Advice given on a motion',
	'comment.add': 'Comment posted',
	'comment.withdraw': 'Comment withdrawn',
	'agenda.reorder': 'Agenda reordered',
	'vote.open': 'Vote opened',
	'vote.cast': 'Ballot cast',
	'vote.change': 'Vote changed',
	'vote.hands': 'Show of hands recorded',
	'vote.round': 'Round of voting counted',
	'motion.decide': 'Motion decided',
	'federation.found': 'Federation founded',
	'law.from_proposal': 'Law made from a proposal',
	'region.add': 'Region added',
	'polity.add': 'Polity registered, with its assembly',
	'citizen.residence': 'Residence stated',
	'citizen.consent': 'Consent to citizenship given',
	'citizen.profile': 'Profile for the quotas declared',
	'renewal.commit': 'Pool of a renewal committed',
	'renewal.witness': 'Seed of a draw entered by a witness',
	'renewal.draw': 'Renewal drawn by lot',
	'renewal.term': 'Term of a cohort ended',
	'summons.answer': 'Summons answered',
	'summons.excuse': 'Excuse decided by the clerk',
	'summons.lapse': 'Summons reached its deadline',
	'seat.resign': 'Seat resigned',
	'civil_servant.add': 'Civil servant registered for a polity',
	'case.petition': 'Case petitioned: does a law allow harm?',
	'case.recommend': 'Remedy recommended by the civil service',
	'case.report': 'Report on a remedy under review',
	'case.review_open': 'Review of a remedy opened on its date',
	'enterprise.found': 'Enterprise founded',
	'delivery.record': 'Delivery recorded by an enterprise',
	'delivery.correct': 'Delivery recorded by mistake, corrected',
	'appreciation.add': 'Appreciation of a delivery',
	'standing.basis': 'Basis for contributing reasonably recorded',
	'community.choose': 'New community chosen after a division',
	'node.receive': 'Message from another node received',
	'node.refuse': 'Message from another node refused',
};
export function journalActionText(a) {
	return Object.hasOwn(JOURNAL_ACTIONS, a) ? JOURNAL_ACTIONS[a]
		: 'An entry of a kind this page does not know';
}

// A summons that reached its deadline: what it became (the entry's
// "outcome"; entries from before there was a choice vacated the seat).
// `pnyx journal show` says the same (src/cli/cmd_journal.c), and
// tests/cli/test_journal_words.py checks both.
export const LAPSE_OUTCOMES = {
	'no_answer': 'Summons unanswered by its deadline: the seat goes to the next alternate',
	'deferred': 'Summons unanswered by its deadline: deferred to the next renewal',
	'excused': 'Excuse undecided by the deadline: granted, the seat goes to the next alternate',
};

// The words of one entry: its kind's, or for a summons that reached its
// deadline, what became of it.
export function journalEntryText(e) {
	if (e.action === 'summons.lapse') {
		const o = (e.payload && e.payload.outcome) || 'no_answer';
		if (Object.hasOwn(LAPSE_OUTCOMES, o))
			return LAPSE_OUTCOMES[o];
	}
	return journalActionText(e.action);
}

// "change_rules" -> "Changing the rules"; other kinds in plain words.
const MOTION_KINDS = {
	change_rules: 'Changing the rules',
	change_schedule: 'Changing the meeting schedule',
	exclude: 'Excluding a member',
	law: 'Making a law',
	adjourn: 'Motion to adjourn',
	decide_standing: 'Deciding a standing in the sharing economy',
	standing_cycle: 'Setting the cycle of standing reviews',
	state_commitment: 'Stating a commitment',
};
export function motionKindText(k) {
	if (MOTION_KINDS[k])
		return MOTION_KINDS[k];
	const s = String(k).replace(/_/g, ' ');
	return s.charAt(0).toUpperCase() + s.slice(1);
}

// A rule set as [[label, text], ...]: the default first.
export function ruleSetText(set, who) {
	if (!set)
		return [];
	const def = set.default || set;
	const rows = [['Every decision', ruleText(def, who)]];
	const by = set.by_kind || {};
	for (const k of Object.keys(by).sort())
		rows.push([motionKindText(k), ruleText(by[k], who)]);
	return rows;
}

// ---- schedules -------------------------------------------------------

export const WEEKDAYS = [
	['MO', 'Monday'], ['TU', 'Tuesday'], ['WE', 'Wednesday'],
	['TH', 'Thursday'], ['FR', 'Friday'], ['SA', 'Saturday'], ['SU', 'Sunday'],
];
const DAY = Object.fromEntries(WEEKDAYS);
export const ORDINALS = [['1', 'first'], ['2', 'second'], ['3', 'third'],
	['4', 'fourth'], ['-1', 'last']];
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

function listWords(words) {
	if (words.length <= 1)
		return words.join('');
	return words.slice(0, -1).join(', ') + ' and ' + words[words.length - 1];
}

// "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0" -> "Every Tuesday at 19:00".
// Returns null for a rule it cannot put in words.
export function rruleText(s) {
	const r = parseRrule(s);
	const interval = r.INTERVAL ? Number(r.INTERVAL) : 1;
	const days = (r.BYDAY || '').split(',').filter(Boolean);
	let when = null;
	const every = (unit) => interval === 1 ? 'every ' + unit
		: interval === 2 ? 'every other ' + unit
		: 'every ' + interval + ' ' + unit + 's';
	if (r.FREQ === 'WEEKLY') {
		const names = days.map((d) => DAY[d]);
		if (names.some((n) => !n))
			return null;
		if (!names.length)
			when = every('week');
		else if (interval === 1)
			when = 'every ' + listWords(names);
		else if (interval === 2 && names.length === 1)
			when = 'every other ' + names[0];
		else
			when = every('week') + ' on ' + listWords(names);
	} else if (r.FREQ === 'MONTHLY') {
		const ords = [];
		for (const d of days) {
			const m = /^([+-]?\d+)([A-Z]{2})$/.exec(d);
			if (!m || !DAY[m[2]])
				return null;
			const o = ORD[String(Number(m[1]))] ||
				(Number(m[1]) + 'th');
			ords.push('the ' + o + ' ' + DAY[m[2]]);
		}
		if (r.BYMONTHDAY)
			ords.push('day ' + r.BYMONTHDAY.split(',').join(', '));
		if (!ords.length)
			return null;
		when = listWords(ords) + ' of ' + every('month');
	} else if (r.FREQ === 'DAILY') {
		when = every('day');
	} else {
		return null;
	}
	if (r.BYHOUR !== undefined) {
		const hours = r.BYHOUR.split(',');
		const min = pad2(r.BYMINUTE !== undefined ? r.BYMINUTE : 0);
		when += ' at ' + hours.map((x) => pad2(x) + ':' + min).join(' and ');
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

// economy.js: contributions, reputation and standing in words and drawings
// (docs/economy.md), shared by the enterprise page and the assembly's
// standing review: commitments against deliveries month by month (an SVG
// chart and the same numbers as a table), what an enterprise took, the
// appreciations of those who took its work, and the history of its
// standing. No prices, no scores: the words people wrote, and counts.
import { date, h, link } from './dom.js';
import { locale, number, t, tn, tx } from './i18n.js';
import { markdown } from './text.js';

export const STANDING_TEXT = {
	good: t('In good standing'),
	probation: t('On probation'),
	outside: t('Not a member of the sharing economy'),
};
export const ACTION_TEXT = {
	deliverService: t('Service given'),
	produce: t('Goods made'),
	transfer: t('Goods handed over'),
};
export const PERIOD_TEXT = { week: t('a week'), month: t('a month'),
	quarter: t('a quarter'), year: t('a year') };
export const BASIS_TEXT = {
	child: t('a child'), retired: t('retired'), carer: t('a carer'), student: t('a student'),
	unable_to_work: t('unable to work'),
};

export function standingText(s) {
	return s ? STANDING_TEXT[s] || t('Decided') : t('Not decided yet');
}

const monthFmt = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric',
	timeZone: 'UTC' });
function monthName(start) {
	return monthFmt.format(new Date(start * 1000));
}

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...kids) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		el.setAttribute(k, String(v));
	for (const k of kids)
		el.append(k);
	return el;
}

// One commitment, month by month: what it asked for (an outlined bar) and
// what was delivered against it (a filled bar), drawn one unit a pixel.
function commitmentChart(k, months) {
	const rows = months.map((m) => {
		const c = m.commitments.find((x) => x.id === k.id) || { committed: 0, delivered: 0 };
		return { label: monthName(m.start), asked: c.committed, got: c.delivered,
			jan: new Date(m.start * 1000).getUTCMonth() === 0 };
	});
	const max = Math.max(1, ...rows.map((r) => Math.max(r.asked, r.got)));
	const colW = 56, plotH = 120, top = 16, bottom = 34, left = 8;
	const W = left + rows.length * colW + 8, H = top + plotH + bottom;
	const words = rows.map((r) => t('{month}: {got} of {asked}', { month: r.label,
		got: number(r.got), asked: number(r.asked) })).join('; ');
	const svg = s('svg', { role: 'img', class: 'record', viewBox: `0 0 ${W} ${H}`,
		width: W, height: H },
	s('title', null, t('{what}, {unit} delivered against those committed, by month: {words}',
		{ what: k.what, unit: k.unit, words })));
	rows.forEach((r, i) => {
		const x = left + i * colW;
		const ha = Math.round(plotH * r.asked / max), hg = Math.round(plotH * r.got / max);
		svg.append(
			s('rect', { x: x + 6, y: top + plotH - ha, width: 20, height: ha,
				class: 'asked' }),
			s('rect', { x: x + 28, y: top + plotH - hg, width: 20, height: hg,
				class: 'delivered' }),
			s('text', { x: x + 28, y: top + plotH - hg - 3, 'text-anchor': 'middle',
				class: 'num' }, number(r.got)),
			s('text', { x: x + colW / 2, y: top + plotH + 16, 'text-anchor': 'middle' },
				r.label.split(' ')[0]),
			i === 0 || r.jan ? s('text', { x: x + colW / 2,
				y: top + plotH + 30, 'text-anchor': 'middle', class: 'year' },
			r.label.split(' ').slice(1).join(' ')) : '');
	});
	svg.append(s('line', { x1: left, x2: W - 8, y1: top + plotH, y2: top + plotH,
		class: 'axis' }));
	return h('figure', { class: 'chart record-chart' }, svg,
		h('figcaption', null, h('span', { class: 'swatch asked-key' }), ' ' + t('committed') + ' ',
			h('span', { class: 'swatch delivered-key' }), ' ' + t('delivered')));
}

function commitmentTable(k, months) {
	return h('div', { class: 'table-wrap' }, h('table', null,
		h('caption', null, t('{what}, in {unit}', { what: k.what, unit: k.unit })),
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('Month')),
			h('th', { scope: 'col' }, t('Committed')), h('th', { scope: 'col' }, t('Delivered')))),
		h('tbody', null, months.map((m) => {
			const c = m.commitments.find((x) => x.id === k.id) ||
				{ committed: 0, delivered: 0 };
			return h('tr', null, h('th', { scope: 'row' }, monthName(m.start)),
				h('td', null, number(c.committed)), h('td', null, number(c.delivered)));
		}))));
}

// The record of a window (GET .../contributions' record, or a review's):
// each commitment against deliveries, as a chart and a table.
export function recordSection(record, heading) {
	const ks = record.commitments || [];
	const months = record.months || [];
	return h('section', { class: 'record', 'aria-label': heading },
		h('h3', null, heading),
		ks.length ? ks.map((k) => h('div', { class: 'commitment-record' },
			h('p', null, h('strong', null, k.what), ': ' + t('{quantity} {unit} {period} ' +
				'committed; {delivered} delivered of {committed} over this time.', {
				quantity: number(k.quantity), unit: k.unit, period: PERIOD_TEXT[k.period],
				delivered: number(k.delivered), committed: number(k.committed) })),
			commitmentChart(k, months), commitmentTable(k, months)))
			: h('p', { class: 'muted' }, t('No commitment in force over this time.')),
		h('p', null, tn('{n} delivery besides its commitments.',
			'{n} deliveries besides its commitments.', record.other_deliveries) + ' ' +
			t('Appreciations: {met}, {not}.', {
				met: tn('{n} need met', '{n} needs met', record.appreciations.met_need),
				not: tn('{n} need not met', '{n} needs not met',
					record.appreciations.did_not) })),
		tookList(record.took));
}

function tookList(took) {
	if (!took || !took.length)
		return h('p', { class: 'muted took' }, t('It took nothing recorded from other ' +
			'enterprises over this time.'));
	return h('div', { class: 'took' }, h('p', null, t('What it took:')),
		h('ul', null, took.map((x) => h('li', null, tn('{quantity} {unit} of {what} from ' +
			'{from} ({n} delivery)', '{quantity} {unit} of {what} from {from} ({n} deliveries)',
		x.times, { quantity: number(x.quantity), unit: x.unit, what: x.what })
			.split(/(\{from\})/).map((part) => (part === '{from}'
				? h('a', { href: link.enterprise(x.from) }, x.from_name) : part))))));
}

function toWhom(d) {
	if (d.to_enterprise)
		return h('a', { href: link.enterprise(d.to_enterprise) }, d.to_enterprise_name);
	return d.to_name || t('nobody named');
}

// Deliveries as a table: when, what, how much, to whom.
// A record corrected, or a correction: never silently, so the words say
// who corrected it, when and why.
function correctionWords(d) {
	const k = d.corrected;
	if (k)
		return h('div', { class: 'hint correction' }, k.replacement
			? tx('Corrected by {who} on {when}: {reason} (the correction is listed)',
				{ who: k.by_name || k.by, when: date(k.at), reason: k.reason })
			: tx('Did not happen, said {who} on {when}: {reason}',
				{ who: k.by_name || k.by, when: date(k.at), reason: k.reason }));
	if (d.corrects)
		return h('div', { class: 'hint correction' }, t('A correction of an earlier ' +
			'record: {reason}', { reason: d.corrects.reason }));
	return '';
}

export function deliveriesTable(list, caption, from, id) {
	if (!list.length)
		return h('p', { class: 'muted', id }, t('None recorded yet.'));
	return h('div', { class: 'table-wrap', id }, h('table', null,
		h('caption', null, caption),
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('When')),
			h('th', { scope: 'col' }, t('What')), h('th', { scope: 'col' }, t('How much')),
			h('th', { scope: 'col' }, from ? t('From') : t('To')))),
		h('tbody', null, list.map((d) => h('tr', { id: id + '-' + d.id,
			class: d.corrected ? 'corrected' : null },
			h('td', null, date(d.at)),
			h('td', null, h('span', null, d.what + ' (' +
				ACTION_TEXT[d.action].toLowerCase() + ')'),
				d.note ? h('div', { class: 'hint' }, d.note) : '',
				correctionWords(d)),
			h('td', null, number(d.quantity) + ' ' + d.unit),
			h('td', null, from ? h('a', { href: link.enterprise(d.enterprise) },
				d.enterprise_name) : toWhom(d)))))));
}

// Appreciations: the words of those who took the work, and whether it
// met their need. No stars, no average.
export function appreciationsList(list) {
	if (!list.length)
		return h('p', { class: 'muted' }, t('No appreciation yet.'));
	return h('ul', { class: 'appreciations' }, list.map((a) => h('li', null,
		h('blockquote', null, a.text),
		h('p', { class: 'hint' }, (a.met_need ? t('Met the need') : t('Did not meet the need')) +
			' — ' + (a.by_name || a.by) +
			(a.on_behalf_name ? t(', for {name}', { name: a.on_behalf_name }) : '') +
			(a.what ? t(', of {what}', { what: a.what }) : '') + ', ', date(a.at)))));
}

// The decisions of standing, newest first, each with its reasons.
export function historyList(history) {
	if (!history.length)
		return h('p', { class: 'muted' }, t('The local assembly has not decided yet.'));
	return h('ol', { class: 'standing-history' }, history.map((d) => h('li', null,
		h('strong', null, standingText(d.standing)), ', ',
		tx('decided by {assembly} on {when} ({motion})', { assembly: d.assembly_name,
			when: date(d.decided_at),
			motion: h('a', { href: link.motion(d.motion) }, d.title) }),
		d.must_change ? h('p', null, tx('What must change, by {when}: {change}',
			{ when: date(d.review_by), change: d.must_change })) : '',
		d.reasons ? h('div', { class: 'prose' }, markdown(d.reasons)) : '')));
}

// When the next review is due, in words.
export function reviewWords(st) {
	if (st.review_open)
		return h('p', { class: 'review-open' }, tx('A review of its standing is open: it ' +
			'was due on {when}. The assembly decides at its meeting.', { when: date(st.due_at) }));
	if (st.due_at)
		return h('p', null, tx('Its next review is due on {when}.', { when: date(st.due_at) }));
	return h('p', { class: 'muted' }, t('The local assembly has set no cycle of reviews.'));
}

// votes.js: what a vote offers and how its count is shown, shared by the
// meeting page, the projector view and the motion page.
//
// positionsFor() mirrors rule_positions() in src/core/rule.c: majority
// kinds offer yes/no/abstain, consensus yes/stand aside/block, consent
// yes/abstain/objection; a hybrid rule offers the consensus positions for
// its rounds of consensus, then the majority ones. The server checks
// again (400 rule_position), so a stale page cannot cast a wrong one.
//
// barChart() draws the counts as an SVG made with DOM calls (no markup
// parsed), with role="img", a title, and a text alternative beside it
// that says the same in words, so the chart is never the only way to
// read a count.
import { h } from './dom.js';
import { number, t, tn } from './i18n.js';

const MAJORITY = ['yes', 'no', 'abstain'];
const CONSENSUS = ['yes', 'stand_aside', 'block'];
const CONSENT = ['yes', 'abstain', 'objection'];

export const POSITION_TEXT = {
	yes: t('Yes'), no: t('No'), abstain: t('Abstain'), block: t('Block'),
	stand_aside: t('Stand aside'), objection: t('Objection'),
};

export function positionsFor(rule, round) {
	if (!rule)
		return MAJORITY;
	switch (rule.kind) {
	case 'consensus':
		return CONSENSUS;
	case 'consent':
		return CONSENT;
	case 'hybrid':
		return (round || 1) > (rule.rounds || 0) ? MAJORITY : CONSENSUS;
	default:
		return MAJORITY;
	}
}

// The positions to show for counts: those offered, then any others the
// counts hold (a hybrid rule's earlier round, a show of hands).
function orderedPositions(counts, offered) {
	const list = [...(offered || MAJORITY)];
	// a delegate assembly's counts say "weighted": true beside the
	// positions: a mark, not a position
	for (const k of Object.keys(counts || {}))
		if (!list.includes(k) && typeof counts[k] === 'number')
			list.push(k);
	return list;
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

let chartSeq = 0;

// counts: {"yes": 2, ...} or null (a secret ballot still running).
// opts: { offered, voted, present, big, caption }
export function barChart(counts, opts) {
	const o = opts || {};
	const id = 'chart-' + (++chartSeq);
	const wrap = h('figure', { class: 'chart' + (o.big ? ' big' : '') });
	if (!counts) {
		wrap.append(h('p', { class: 'count-secret' },
			o.present ? t('Secret ballot: {voted} voted of {present} present. The counts ' +
				'show when the vote closes.', { voted: number(o.voted || 0),
				present: number(o.present) })
				: t('Secret ballot: {voted} voted. The counts show when the vote closes.',
					{ voted: number(o.voted || 0) })));
		return wrap;
	}
	const keys = orderedPositions(counts, o.offered);
	const max = Math.max(1, ...keys.map((k) => counts[k] || 0));
	const rowH = 28, labelW = 110, numW = 40;
	const height = keys.length * rowH + 4;
	const title = o.caption || t('Votes by position');
	const words = keys.map((k) => (POSITION_TEXT[k] || k) + ': ' + number(counts[k] || 0))
		.join(', ');
	const svg = s('svg', { role: 'img', 'aria-labelledby': id + '-t', class: 'bars',
		preserveAspectRatio: 'xMinYMin meet' });
	// One unit of the drawing is one pixel of the page, whatever room the
	// chart has (a phone, a card in the agenda): only the bars' length
	// changes, so the labels stay at their size (CSS) and never shrink.
	const draw = (W) => {
		const barW = Math.max(40, W - labelW - numW);
		svg.setAttribute('viewBox', `0 0 ${labelW + barW + numW} ${height}`);
		svg.replaceChildren(s('title', { id: id + '-t' }, title + ': ' + words));
		keys.forEach((k, i) => {
			const n = counts[k] || 0;
			const y = i * rowH + 2;
			const w = Math.round(barW * n / max);
			svg.append(
				s('text', { x: labelW - 8, y: y + rowH * 0.65, 'text-anchor': 'end',
					class: 'bar-label' }, POSITION_TEXT[k] || k),
				s('rect', { x: labelW, y: y + 4, width: Math.max(w, n ? 2 : 0),
					height: rowH - 8, class: 'bar bar-' + k }),
				s('text', { x: labelW + w + 6, y: y + rowH * 0.65, class: 'bar-num' },
					number(n)));
		});
	};
	let drawn = 410;
	draw(drawn);
	if (window.ResizeObserver) {
		new ResizeObserver(() => {
			const w = Math.round(svg.getBoundingClientRect().width);
			if (w > 0 && Math.abs(w - drawn) > 1) {
				drawn = w;
				draw(w);
			}
		}).observe(svg);
	}
	wrap.append(svg, h('figcaption', { class: 'count-words' }, words +
		(o.voted === undefined ? '' : o.present
			? ' ' + t('({voted} voted, {present} present)',
				{ voted: number(o.voted), present: number(o.present) })
			: ' ' + t('({voted} voted)', { voted: number(o.voted) }))));
	return wrap;
}

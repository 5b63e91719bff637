// economy.js: one local assembly's economy at a glance (docs/sharing.md
// "The economy dashboard"; GET /api/v1/bodies/{slug}/economy): the goods
// it declared scarce and the policy of each, each good's latest rounds
// (what there was, what was asked, what was shared) and the need left
// unmet, by category of need. Every chart is drawn here as SVG, with the
// same figures in words beside it for those who do not see it.
import { api } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
import { number, t, tn } from '../i18n.js';
import { failed, header, title } from '../layout.js';

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...kids) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		el.setAttribute(k, String(v));
	for (const k of kids)
		el.append(k);
	return el;
}

// "1 loaf", "12 loaves": the good's own words for one and several.
function amount(n, g) {
	return number(n) + ' ' + (n === 1 ? g.unit : g.units);
}

function policyWords(g) {
	const cats = g.categories.map((c) => c.share
		? t('{category} ({share}% reserved)', { category: c.name, share: c.share })
		: c.name).join(', ');
	const parts = [t('By need, in this order: {categories}.', { categories: cats })];
	if (g.cap)
		parts.push(t('At most {amount} a person each round.', { amount: amount(g.cap, g) }));
	parts.push(tn('Each round collects requests for {n} day.',
		'Each round collects requests for {n} days.', g.round_days));
	return parts.join(' ');
}

// A good's latest rounds as columns: for each round, what was asked
// (outlined), what there was (grey) and what was shared (filled).
function roundsChart(g) {
	const rs = g.rounds;
	const max = Math.max(1, ...rs.map((r) => Math.max(r.requested, r.supply, r.shared)));
	const colW = 16, gap = 14, groupW = 3 * colW + gap, plotH = 120, top = 8, left = 8;
	const W = left + rs.length * groupW + 8, H = top + plotH + 24;
	const words = rs.map((r) => t('round closed {date}: to share, {supply}; asked, {asked}; ' +
		'shared, {shared}', { date: date(r.closed_at).textContent,
		supply: amount(r.supply, g), asked: amount(r.requested, g),
		shared: amount(r.shared, g) })).join('; ');
	const chart = svg('svg', { role: 'img', class: 'economy-chart', viewBox: `0 0 ${W} ${H}`,
		width: W, height: H }, svg('title', null, words));
	rs.forEach((r, i) => {
		const x = left + i * groupW;
		const bar = (v, k, cls) => {
			const hgt = Math.max(v ? 1 : 0, Math.round(plotH * v / max));
			return svg('rect', { x: x + k * colW, y: top + plotH - hgt, width: colW - 2,
				height: hgt, class: cls });
		};
		chart.append(bar(r.requested, 0, 'asked'), bar(r.supply, 1, 'supply'),
			bar(r.shared, 2, 'got'),
			svg('text', { x: x, y: top + plotH + 16, class: 'label' },
				date(r.closed_at).textContent.replace(/,? \d{4}$/, '')));
	});
	chart.append(svg('line', { x1: 0, x2: W, y1: top + plotH + 0.5, y2: top + plotH + 0.5,
		class: 'axis' }));
	return h('figure', { class: 'economy-figure' }, chart,
		h('figcaption', { class: 'hint' },
			h('span', { class: 'key asked' }), ' ', t('asked'), ' ',
			h('span', { class: 'key supply' }), ' ', t('there was'), ' ',
			h('span', { class: 'key got' }), ' ', t('shared')));
}

function goodCard(g, economy) {
	const last = g.rounds[g.rounds.length - 1];
	return h('li', { class: 'card economy-good', id: 'good-' + g.id },
		h('h3', null, economy ? h('a', { href: '/sharing.html?economy=' +
			encodeURIComponent(economy) + '#good-' + g.id }, g.name) : g.name,
			' ', h('span', { class: 'muted' }, t('from {enterprise}', {
				enterprise: g.enterprise_name }))),
		h('p', null, g.scarce ? policyWords(g) : t('No longer scarce: the assembly ' +
			'lifted its rationing, and it is taken freely again.')),
		last ? h('p', { class: 'round-words' }, t('Last round: to share, {supply}; ' +
			'asked, {asked} by {requests}; shared, {shared}.', {
			supply: amount(last.supply, g), asked: amount(last.requested, g),
			requests: tn('{n} person', '{n} people', last.requests),
			shared: amount(last.shared, g) })) : h('p', { class: 'muted' },
			t('No round has been shared yet.')),
		g.rounds.length ? roundsChart(g) : null);
}

// Unmet need by category: one bar per category of need, split into the
// requests that received all they asked, part of it, or nothing.
function unmetChart(unmet) {
	const max = Math.max(1, ...unmet.map((u) => u.requests));
	const labelW = 170, barW = 260, rowH = 32, W = labelW + barW + 110,
		H = unmet.length * rowH + 8;
	const words = unmet.map((u) => t('{category}: {met} of {requests} received all ' +
		'they asked, {partly} part of it, {none} nothing', { category: u.category,
		met: number(u.met), requests: number(u.requests), partly: number(u.partly),
		none: number(u.none) })).join('; ');
	const chart = svg('svg', { role: 'img', class: 'economy-chart', viewBox: `0 0 ${W} ${H}`,
		width: W, height: H }, svg('title', null, words));
	unmet.forEach((u, i) => {
		const y = 4 + i * rowH;
		let x = labelW;
		chart.append(svg('text', { x: 0, y: y + 18, class: 'label' }, u.category.length > 24
			? u.category.slice(0, 23) + '…' : u.category));
		for (const [v, cls] of [[u.met, 'got'], [u.partly, 'partly'], [u.none, 'none']]) {
			const w = Math.round(barW * v / max);
			if (w)
				chart.append(svg('rect', { x, y: y + 4, width: w, height: 20, class: cls }));
			x += w;
		}
		chart.append(svg('text', { x: x + 6, y: y + 18, class: 'num' }, u.short
			? t('{n} of {total} short', { n: number(u.short), total: number(u.requests) })
			: t('all {total} met', { total: number(u.requests) })));
	});
	return h('figure', { class: 'economy-figure' }, chart,
		h('figcaption', { class: 'hint' },
			h('span', { class: 'key got' }), ' ', t('received all they asked'), ' ',
			h('span', { class: 'key partly' }), ' ', t('part of it'), ' ',
			h('span', { class: 'key none' }), ' ', t('nothing')));
}

async function main() {
	await header();
	const main = $('#main');
	const slug = param('assembly');
	let d;
	try {
		if (!slug)
			throw new Error(t('Which assembly? Open this page from an assembly\'s page.'));
		d = await api('GET', '/bodies/' + encodeURIComponent(slug) + '/economy');
	} catch (err) {
		failed(t('The economy'), err);
		return;
	}
	const asked = d.unmet.reduce((s, u) => s + u.requests, 0);
	const met = d.unmet.reduce((s, u) => s + u.met, 0);
	const none = d.unmet.reduce((s, u) => s + u.none, 0);
	title(t('The economy of {assembly}', { assembly: d.assembly_name }));
	fill(main,
		h('h1', null, t('The economy of {assembly}', { assembly: d.assembly_name })),
		h('p', { class: 'lede', id: 'economy-summary' },
			d.economy ? t('{assembly} shares in {economy}. {goods} Over {rounds}, ' +
				'{requests} were made: {met} received all they asked, {none} nothing.', {
				assembly: d.assembly_name, economy: d.economy_name,
				goods: tn('It has declared {n} good scarce.',
					'It has declared {n} goods scarce.', d.scarce_goods),
				rounds: tn('{n} round', '{n} rounds', d.rounds_allocated),
				requests: tn('{n} request', '{n} requests', asked),
				met: number(met), none: number(none) })
				: t('{assembly} has not joined a sharing economy: its members decide ' +
					'that by a motion.', { assembly: d.assembly_name })),
		h('p', null, h('a', { href: link.assembly(d.assembly) }, t('The assembly')),
			d.economy ? [' · ', h('a', { href: '/sharing.html?economy=' +
				encodeURIComponent(d.economy) }, t('What is offered'))] : null),
		h('section', { 'aria-labelledby': 'unmet-h' },
			h('h2', { id: 'unmet-h' }, t('Need left unmet')),
			d.unmet.length ? [h('p', { class: 'hint' }, t('Every request made in a ' +
				'round that has been shared, by the category of need it showed.')),
			unmetChart(d.unmet)] : h('p', { class: 'muted', id: 'unmet-none' },
				t('No round has been shared yet.'))),
		h('section', { 'aria-labelledby': 'scarce-h' },
			h('h2', { id: 'scarce-h' }, t('What is scarce, and how it is shared')),
			d.goods.length ? h('ul', { id: 'scarce-goods', class: 'economy-goods' },
				d.goods.map((g) => goodCard(g, d.economy))) : h('p', { class: 'muted', id: 'scarce-goods' },
				t('Nothing is scarce here: everything offered is taken freely. The ' +
					'assembly declares a good scarce by a decision.'))));
	main.removeAttribute('aria-busy');
}

main();

// allotments.js: the land and means of production a local assembly
// allotted by its decisions (allot_means, revoke_allotment) to households
// outside the sharing economy and to workshops, and its terms of barter
// (set_barter_terms): a section of the assembly's page and of a
// household's page. The decisions do it; these lists only show them
// (docs/sharing.md "Households, allotments and barter").
import { date, h, link } from './dom.js';
import { number, t, tx } from './i18n.js';

// One allotment: what, to whom, for what, why them, by which decision,
// until when, and whether it was revoked.
export function allotmentItem(a, showTo) {
	const to = a.household
		? h('a', { href: '/household.html?h=' + encodeURIComponent(a.household) },
			a.household_name)
		: h('a', { href: link.enterprise(a.workshop) }, a.workshop_name);
	const what = a.quantity ? t('{what} ({amount} {unit})', { what: a.what,
		amount: number(a.quantity), unit: a.unit }) : a.what;
	const now = Date.now() / 1000;
	return h('li', { class: 'allotment', 'data-allotment': a.id },
		h('p', null, h('strong', null, what),
			showTo ? [' ', tx('to {whom}', { whom: to })] : null,
			' ', tx('for {purpose}', { purpose: a.purpose }), '. ',
			tx('Allotted {date} by the decision {decision}.', { date: date(a.at),
				decision: h('a', { href: link.motion(a.decision) }, a.decision_title) }),
			a.revoked_at ? [' ', h('span', { class: 'badge' },
				tx('Revoked {date} by {decision}.', { date: date(a.revoked_at),
					decision: h('a', { href: link.motion(a.revoked_by) },
						t('decision {n}', { n: a.revoked_by })) }))]
				: a.until ? [' ', a.until < now
					? tx('Its term ended {date}.', { date: date(a.until) })
					: tx('Until {date}.', { date: date(a.until) })] : null),
		h('p', { class: 'hint' }, t('Why them: {priority}', { priority: a.priority })));
}

function termsText(terms) {
	if (!terms)
		return h('p', { class: 'muted', id: 'barter-terms' }, t('No terms of barter ' +
			'yet: members barter with households outside the economy as they agree.'));
	const goods = terms.taken_goods_refused
		? t('Members do not barter what they took from the sharing economy.')
		: t('Members may barter what they took from the sharing economy.');
	return h('p', { id: 'barter-terms' }, goods, ' ',
		terms.classes.length ? t('Nor do they barter: {classes}.', {
			classes: terms.classes.join(', ') }) : null, ' ',
		tx('(decision {decision})', { decision: h('a', { href: link.motion(terms.decision) },
			String(terms.decision)) }));
}

// The assembly's section: its allotments, newest first, and its terms.
export function allotmentsSection(data) {
	if (!data || (!data.allotments.length && !data.barter_terms))
		return null;
	return h('section', { 'aria-labelledby': 'allotments-h', id: 'allotments' },
		h('h2', { id: 'allotments-h' }, t('Land and means allotted')),
		h('p', { class: 'hint' }, t('By its decisions, the assembly allots land or ' +
			'means of production to households outside the sharing economy and to ' +
			'workshops, according to what is available and with priority to those who ' +
			'contribute.')),
		data.allotments.length ? h('ul', { class: 'plain', id: 'allotment-list' },
			data.allotments.map((a) => allotmentItem(a, true)))
			: h('p', { class: 'muted' }, t('Nothing allotted yet.')),
		h('h3', null, t('Terms of barter')),
		termsText(data.barter_terms));
}

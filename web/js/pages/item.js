// item.js: a unique item of a sharing economy and its loan history
// (docs/sharing.md "An item's loan history"), with ?id=N: who held it
// from when to when, how it came to them (taken, won in a round,
// collected from a hold), its renewals, whether it came back late, the
// note on its condition each holder left when returning it, and its
// holds. Public, like the register: it is the record assemblies read.
import { api } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
import { t, tn, tx } from '../i18n.js';
import { failed, header, title } from '../layout.js';

const HOW = {
	take: () => t('taken'),
	round: (x) => t('won in round {n}', { n: x.round }),
	hold: (x) => t('collected after winning round {n}', { n: x.round }),
};

const HOLD_STATE = {
	waiting: t('waiting to be collected'),
	collected: t('collected'),
	expired: t('expired: passed to the next by lot'),
};

function loanRow(x) {
	const until = x.returned_at ? date(x.returned_at)
		: x.due_at ? tx('holds it, due back {date}', { date: date(x.due_at) })
		: t('holds it');
	return h('tr', { 'data-loan': x.id, class: x.open ? 'open' : null },
		h('td', null, h('strong', null, x.holder_name), ' ',
			h('span', { class: 'muted', translate: 'no' }, '@' + x.holder)),
		h('td', null, HOW[x.how] ? HOW[x.how](x) : x.how),
		h('td', null, date(x.from)),
		h('td', null, until,
			x.renewals ? [' ', h('span', { class: 'muted' }, tn('(renewed once)',
				'(renewed {n} times)', x.renewals))] : null,
			x.late ? [' ', h('strong', { class: 'late' }, t('late'))] : null),
		h('td', null, x.condition_note || h('span', { class: 'muted' }, '—')));
}

function loansTable(loans) {
	if (!loans.length)
		return h('p', { id: 'loans', class: 'muted' }, t('Nobody has held it yet.'));
	return h('table', { id: 'loans' },
		h('caption', null, t('Each time someone held it, the latest first.')),
		h('thead', null, h('tr', null,
			h('th', { scope: 'col' }, t('Who')),
			h('th', { scope: 'col' }, t('How')),
			h('th', { scope: 'col' }, t('From')),
			h('th', { scope: 'col' }, t('Returned')),
			h('th', { scope: 'col' }, t('Condition when returned')))),
		h('tbody', null, loans.map(loanRow)));
}

function holdsList(holds) {
	if (!holds.length)
		return null;
	return h('section', { 'aria-labelledby': 'holds-h' },
		h('h2', { id: 'holds-h' }, t('Holds')),
		h('p', { class: 'hint' }, t('A person who wins the item in a round has a hold ' +
			'on it: they collect it before the hold expires, or it passes to the next ' +
			'by the round\'s lottery order.')),
		h('ul', { id: 'holds' }, holds.map((x) => h('li', { 'data-hold': x.id },
			tx('{who}, from {date} (round {n}): {state}', {
				who: h('strong', null, x.for_name), date: date(x.since), n: x.round,
				state: HOLD_STATE[x.state] || x.state })))));
}

async function main() {
	await header();
	const main = $('#main');
	const id = param('id');
	let o;
	try {
		o = await api('GET', '/goods/' + encodeURIComponent(id || '0') + '/loans');
	} catch (err) {
		failed('This item', err);
		return;
	}
	title(o.name);
	fill(main,
		h('h1', null, o.name),
		h('p', { class: 'lede' }, tx('A unique item offered by {enterprise} to {economy}.', {
			enterprise: h('a', { href: link.enterprise(o.enterprise) }, o.enterprise_name),
			economy: h('a', { href: '/sharing.html?economy=' + encodeURIComponent(o.economy) +
				'#good-' + o.good }, o.economy_name) })),
		h('p', { id: 'item-now' }, o.holder
			? (o.due_at ? tx('Held now by @{who}, due back {date}.', { who: o.holder,
				date: date(o.due_at) }) : t('Held now by @{who}.', { who: o.holder }))
			: t('Nobody holds it now.')),
		o.condition || o.location ? h('p', { class: 'muted' },
			[o.condition ? t('Condition when offered: {c}', { c: o.condition }) : '',
				o.location ? t('Where: {w}', { w: o.location }) : '']
				.filter(Boolean).join(' · ')) : null,
		h('section', { 'aria-labelledby': 'loans-h' },
			h('h2', { id: 'loans-h' }, t('Its loans')),
			loansTable(o.loans)),
		holdsList(o.holds),
		h('p', null, t('The same from the command line:'), ' ',
			h('code', { translate: 'no' }, 'pnyx economy loans ' + o.good)));
	main.removeAttribute('aria-busy');
}

main();

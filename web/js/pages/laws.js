// laws.js: an assembly's law register: every law (in force first), and
// for one law (?law=N) its versions with the decision that made each, its
// current text, and a readable diff between any two versions (from GET
// /laws/N/diff: removed lines struck through in <del>, added ones in
// <ins>, each also marked in words for screen readers and for print).
// The whole register is one Markdown document at laws.md.
import { api } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
import { t, tn, tx } from '../i18n.js';
import { failed, header, title } from '../layout.js';
import { markdown } from '../text.js';

const slug = param('slug');
const lawNo = param('law');
const bpath = '/bodies/' + encodeURIComponent(slug || '');
const CHANGE = { enact: t('Enacted'), amend: t('Amended'), repeal: t('Repealed') };
const STATUS = { in_force: t('in force'), repealed: t('repealed') };

function list(laws) {
	if (!laws.length)
		return h('p', null, t('No laws yet. A law is made by adopting an ' +
			'“enact a law” motion at a meeting.'));
	return h('div', { class: 'table-wrap' }, h('table', { id: 'law-list' },
		h('caption', null, t('Laws')),
		h('thead', null, h('tr', null,
			h('th', { scope: 'col', class: 'num' }, t('No.')),
			h('th', { scope: 'col' }, t('Title')),
			h('th', { scope: 'col' }, t('Status')),
			h('th', { scope: 'col', class: 'num' }, t('Version')),
			h('th', { scope: 'col' }, t('Last changed')))),
		h('tbody', null, laws.map((l) => h('tr', null,
			h('td', { class: 'num' }, String(l.number)),
			h('th', { scope: 'row' }, h('a', { href: link.law(slug, l.number) }, l.title)),
			h('td', null, STATUS[l.status] || l.status),
			h('td', { class: 'num' }, String(l.version)),
			h('td', null, date(l.updated_at)))))));
}

function diffView(d) {
	return h('div', { class: 'diff', id: 'diff', role: 'group',
		'aria-label': t('Changes from version {from} to version {to}',
			{ from: d.from, to: d.to }) },
	d.lines.map((l) => {
		if (l.op === 'add')
			return h('div', { class: 'add' }, h('ins', null,
				h('span', { class: 'sign', 'aria-hidden': 'true' }, '+'),
				h('span', { class: 'visually-hidden' }, t('Added:') + ' '), l.text || ' '));
		if (l.op === 'del')
			return h('div', { class: 'del' }, h('del', null,
				h('span', { class: 'sign', 'aria-hidden': 'true' }, '−'),
				h('span', { class: 'visually-hidden' }, t('Removed:') + ' '), l.text || ' '));
		return h('div', { class: 'same' }, h('span', { class: 'sign',
			'aria-hidden': 'true' }, ' '), l.text || ' ');
	}));
}

async function showDiff(n, from, to) {
	const box = $('#diff-box');
	try {
		const d = await api('GET', bpath + '/laws/' + n + '/diff?from=' + from + '&to=' + to);
		fill(box, h('p', { id: 'diff-summary' }, tn('{n} line added, {deleted} removed.',
			'{n} lines added, {deleted} removed.', d.added, { deleted: d.deleted })),
		diffView(d));
	} catch (e) {
		fill(box, h('p', { role: 'alert', class: 'field-error' }, e.message));
	}
}

function versionSelect(idName, label, versions, value, withEmpty) {
	return h('div', { class: 'field' },
		h('label', { for: idName }, label),
		h('select', { id: idName, name: idName },
			withEmpty ? h('option', { value: 0 }, t('nothing (before the law)')) : null,
			versions.map((v) => h('option', { value: v.version,
				selected: v.version === value }, t('version {n}', { n: v.version }) + ' · ' +
				(CHANGE[v.change] || v.change)))));
}

async function lawView(law) {
	const vs = law.versions;
	const last = vs[vs.length - 1];
	const form = h('form', { id: 'diff-form', class: 'row' },
		versionSelect('from', t('Compare'), vs, vs.length > 1 ? last.version - 1 : 0, true),
		versionSelect('to', t('with'), vs, last.version, false),
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Show the changes'))));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		showDiff(law.number, form.elements.from.value, form.elements.to.value);
	});
	if (vs.length === 1)
		form.elements.from.value = '0';
	fill($('#law'),
		h('h2', { id: 'law-h' }, t('Law {n}: {title}', { n: law.number, title: last.title })),
		h('p', null, law.status === 'repealed'
			? h('strong', null, t('Repealed. It stays here for the record.'))
			: tx('In force since {date}.', { date: date(vs[0].at) })),
		h('div', { class: 'statement', id: 'law-text' }, markdown(last.text || '')),
		h('h3', null, t('Versions')),
		h('ol', { id: 'versions' }, vs.map((v) => h('li', null,
			tx('{change} {date} by the decision {motion}', {
				change: CHANGE[v.change] || v.change, date: date(v.at),
				motion: h('a', { href: link.motion(v.motion) },
					t('motion {n}', { n: v.motion })) }),
			v.title !== last.title ? ' ' + t('(titled “{title}”)', { title: v.title }) : ''))),
		h('h3', null, t('What changed')),
		form,
		h('div', { id: 'diff-box', 'aria-live': 'polite' }));
	await showDiff(law.number, form.elements.from.value, form.elements.to.value);
}

// A law the register does not have (GET /laws/N answered 404): said in
// the heading, as a page about something missing is, with the register's
// own laws to choose from.
function missingLaw(body, laws) {
	const head = t('Law not found');
	title(head);
	fill($('#main'),
		h('h1', null, head),
		h('p', { role: 'alert' }, t('Law {n} of {assembly} does not exist.',
			{ n: lawNo, assembly: body.name }) + ' ' +
			t('The address may have been mistyped, or the link that led here is out of date.')),
		h('h2', null, tx('The laws of {assembly}',
			{ assembly: h('a', { href: link.laws(slug) }, body.name) })),
		list(laws));
	$('#main').removeAttribute('aria-busy');
}

async function main() {
	header();
	let body, laws, law = null, lawError = null;
	try {
		if (!slug)
			throw Object.assign(new Error(t('no assembly named')), { status: 404 });
		[body, laws] = await Promise.all([api('GET', bpath), api('GET', bpath + '/laws')]);
	} catch (e) {
		failed('This law register', e);
		return;
	}
	if (lawNo) {
		try {
			law = await api('GET', bpath + '/laws/' + encodeURIComponent(lawNo));
		} catch (e) {
			lawError = e;
		}
	}
	if (lawError && lawError.status === 404) {
		missingLaw(body, laws.laws);
		return;
	}
	title(t('Laws of {assembly}', { assembly: body.name }));
	fill($('#main'),
		h('h1', null, tx('Laws of {assembly}',
			{ assembly: h('a', { href: link.assembly(slug) }, body.name) })),
		h('p', null, t('Every law the assembly made, with each version and the ' +
			'decision that made it.'), ' ',
		h('a', { href: '/api/v1' + bpath + '/laws.md', id: 'laws-md',
			download: slug + '-laws.md' }, t('The whole register as one Markdown file')),
		'.'),
		list(laws.laws),
		h('section', { id: 'law', 'aria-labelledby': 'law-h' }));
	$('#main').removeAttribute('aria-busy');
	if (law)
		await lawView(law);
	else if (lawError)
		fill($('#law'), h('h2', { id: 'law-h' }, t('Law {n}', { n: lawNo })),
			h('p', { role: 'alert' }, t('It could not be loaded: {why}',
				{ why: lawError.message })));
}

main();

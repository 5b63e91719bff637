// laws.js: an assembly's law register: every law (in force first), and
// for one law (?law=N) its versions with the decision that made each, its
// current text, and a readable diff between any two versions (from GET
// /laws/N/diff: removed lines struck through in <del>, added ones in
// <ins>, each also marked in words for screen readers and for print).
// The whole register is one Markdown document at laws.md.
import { api } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
import { failed, header, title } from '../layout.js';
import { markdown } from '../text.js';

const slug = param('slug');
const lawNo = param('law');
const bpath = '/bodies/' + encodeURIComponent(slug || '');
const CHANGE = { enact: 'Enacted', amend: 'Amended', repeal: 'Repealed' };
const STATUS = { in_force: 'in force', repealed: 'repealed' };

function list(laws) {
	if (!laws.length)
		return h('p', null, 'No laws yet. A law is made by adopting an ' +
			'“enact a law” motion at a meeting.');
	return h('div', { class: 'table-wrap' }, h('table', { id: 'law-list' },
		h('caption', null, 'Laws'),
		h('thead', null, h('tr', null,
			h('th', { scope: 'col', class: 'num' }, 'No.'),
			h('th', { scope: 'col' }, 'Title'),
			h('th', { scope: 'col' }, 'Status'),
			h('th', { scope: 'col', class: 'num' }, 'Version'),
			h('th', { scope: 'col' }, 'Last changed'))),
		h('tbody', null, laws.map((l) => h('tr', null,
			h('td', { class: 'num' }, String(l.number)),
			h('th', { scope: 'row' }, h('a', { href: link.law(slug, l.number) }, l.title)),
			h('td', null, STATUS[l.status] || l.status),
			h('td', { class: 'num' }, String(l.version)),
			h('td', null, date(l.updated_at)))))));
}

function diffView(d) {
	return h('div', { class: 'diff', id: 'diff', role: 'group',
		'aria-label': 'Changes from version ' + d.from + ' to version ' + d.to },
	d.lines.map((l) => {
		if (l.op === 'add')
			return h('div', { class: 'add' }, h('ins', null,
				h('span', { class: 'sign', 'aria-hidden': 'true' }, '+'),
				h('span', { class: 'visually-hidden' }, 'Added: '), l.text || ' '));
		if (l.op === 'del')
			return h('div', { class: 'del' }, h('del', null,
				h('span', { class: 'sign', 'aria-hidden': 'true' }, '−'),
				h('span', { class: 'visually-hidden' }, 'Removed: '), l.text || ' '));
		return h('div', { class: 'same' }, h('span', { class: 'sign',
			'aria-hidden': 'true' }, ' '), l.text || ' ');
	}));
}

async function showDiff(n, from, to) {
	const box = $('#diff-box');
	try {
		const d = await api('GET', bpath + '/laws/' + n + '/diff?from=' + from + '&to=' + to);
		fill(box, h('p', { id: 'diff-summary' }, d.added + ' line' +
			(d.added === 1 ? '' : 's') + ' added, ' + d.deleted + ' removed.'), diffView(d));
	} catch (e) {
		fill(box, h('p', { role: 'alert', class: 'field-error' }, e.message));
	}
}

function versionSelect(idName, label, versions, value, withEmpty) {
	return h('div', { class: 'field' },
		h('label', { for: idName }, label),
		h('select', { id: idName, name: idName },
			withEmpty ? h('option', { value: 0 }, 'nothing (before the law)') : null,
			versions.map((v) => h('option', { value: v.version,
				selected: v.version === value }, 'version ' + v.version + ' · ' +
				(CHANGE[v.change] || v.change)))));
}

async function lawView(law) {
	const vs = law.versions;
	const last = vs[vs.length - 1];
	const form = h('form', { id: 'diff-form', class: 'row' },
		versionSelect('from', 'Compare', vs, vs.length > 1 ? last.version - 1 : 0, true),
		versionSelect('to', 'with', vs, last.version, false),
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show the changes')));
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		showDiff(law.number, form.elements.from.value, form.elements.to.value);
	});
	if (vs.length === 1)
		form.elements.from.value = '0';
	fill($('#law'),
		h('h2', { id: 'law-h' }, 'Law ' + law.number + ': ' + last.title),
		h('p', null, law.status === 'repealed'
			? h('strong', null, 'Repealed. It stays here for the record.')
			: 'In force since ', law.status === 'repealed' ? null : date(vs[0].at), '.'),
		h('div', { class: 'statement', id: 'law-text' }, markdown(last.text || '')),
		h('h3', null, 'Versions'),
		h('ol', { id: 'versions' }, vs.map((v) => h('li', null,
			(CHANGE[v.change] || v.change), ' ', date(v.at), ' by the decision ',
			h('a', { href: link.motion(v.motion) }, 'motion ' + v.motion),
			v.title !== last.title ? ' (titled “' + v.title + '”)' : ''))),
		h('h3', null, 'What changed'),
		form,
		h('div', { id: 'diff-box', 'aria-live': 'polite' }));
	await showDiff(law.number, form.elements.from.value, form.elements.to.value);
}

// A law the register does not have (GET /laws/N answered 404): said in
// the heading, as a page about something missing is, with the register's
// own laws to choose from.
function missingLaw(body, laws) {
	const head = 'Law not found';
	title(head);
	fill($('#main'),
		h('h1', null, head),
		h('p', { role: 'alert' }, 'Law ' + lawNo + ' of ' + body.name + ' does not ' +
			'exist. The address may have been mistyped, or the link that led here ' +
			'is out of date.'),
		h('h2', null, 'The laws of ', h('a', { href: link.laws(slug) }, body.name)),
		list(laws));
	$('#main').removeAttribute('aria-busy');
}

async function main() {
	header();
	let body, laws, law = null, lawError = null;
	try {
		if (!slug)
			throw Object.assign(new Error('no assembly named'), { status: 404 });
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
	title('Laws of ' + body.name);
	fill($('#main'),
		h('h1', null, 'Laws of ', h('a', { href: link.assembly(slug) }, body.name)),
		h('p', null, 'Every law the assembly made, with each version and the ' +
			'decision that made it. ',
		h('a', { href: '/api/v1' + bpath + '/laws.md', id: 'laws-md',
			download: slug + '-laws.md' }, 'The whole register as one Markdown file'),
		'.'),
		list(laws.laws),
		h('section', { id: 'law', 'aria-labelledby': 'law-h' }));
	$('#main').removeAttribute('aria-busy');
	if (law)
		await lawView(law);
	else if (lawError)
		fill($('#law'), h('h2', { id: 'law-h' }, 'Law ' + lawNo),
			h('p', { role: 'alert' }, 'It could not be loaded: ' + lawError.message));
}

main();

// journal.js: browse the journal a page at a time and check its chain.
// Entries are numbered from 1 without gaps, so a page is "the entries
// after N" and the previous page starts PAGE earlier.
import { api } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
import { t, tn, tx } from '../i18n.js';
import { header } from '../layout.js';
import { journalEntryText } from '../text.js';

const PAGE = 25;

// "name: Harbour · population: 18400"; nested values as compact JSON.
function payloadText(p) {
	let s;
	if (p && typeof p === 'object' && !Array.isArray(p))
		s = Object.entries(p).map(([k, v]) => k + ': ' +
			(typeof v === 'string' ? v : JSON.stringify(v))).join(' · ');
	else
		s = typeof p === 'string' ? p : JSON.stringify(p);
	return s.length > 240 ? s.slice(0, 240) + '…' : s;
}

// One entry per list item: reads well at any width, unlike a wide table.
function list(entries) {
	return h('ol', { class: 'journal', id: 'journal-list',
		'aria-label': t('Entries {first} to {last}', { first: entries[0].seq,
			last: entries[entries.length - 1].seq }) }, entries.map((e) =>
		h('li', { id: 'seq-' + e.seq },
			h('p', { class: 'entry-head' },
				h('strong', null, '#' + e.seq), ' ',
				h('span', { class: 'action', 'data-action': e.action },
					journalEntryText(e)), ' ',
				e.body ? tx('by {actor} in {assembly}', { actor: e.actor,
					assembly: h('a', { href: link.assembly(e.body), translate: 'no' }, e.body) })
					: t('by {actor}', { actor: e.actor }),
				' · ', date(e.at, true)),
			// the record as it was signed, quoted: its keys are the
			// journal's, not words of the page's language
			h('p', { class: 'payload', translate: 'no' }, payloadText(e.payload)),
			h('p', { class: 'hash' }, tx('hash {hash}', { hash: h('code', { title: e.hash,
				translate: 'no' },
				e.hash.slice(0, 16) + '…') })))));
}

async function page(after, total) {
	const { entries } = await api('GET', '/journal?after=' + after + '&limit=' + PAGE);
	fill($('#entries'), entries.length ? list(entries)
		: h('p', null, after ? t('No entries after #{n}.', { n: after })
			: t('The journal is empty.')));
	const nav = [];
	if (after > 0)
		nav.push(h('a', { href: link.journal(0), rel: 'first' }, t('First')),
			h('a', { href: link.journal(Math.max(0, after - PAGE)), rel: 'prev' },
				t('Previous')));
	const lastSeq = entries.length ? entries[entries.length - 1].seq : after;
	if (total > lastSeq) {
		nav.push(h('a', { href: link.journal(lastSeq), rel: 'next' }, t('Next')));
		nav.push(h('a', { href: link.journal(Math.max(0, total - PAGE)), rel: 'last' },
			t('Latest')));
	}
	nav.push(h('span', { class: 'muted' }, tn('{n} entry in all', '{n} entries in all',
		total)));
	fill($('#pager'), nav);
}

async function verify() {
	const out = $('#verify-result');
	const btn = $('#verify');
	btn.disabled = true;
	fill(out, h('p', null, t('Checking…')));
	try {
		const r = await api('GET', '/journal/verify');
		if (r.ok) {
			fill(out, h('p', { class: 'status ok', id: 'verify-ok' },
				tn('Intact: the {n} entry chains correctly and the signature on it is valid.',
					'Intact: all {n} entries chain correctly and the signature on the ' +
					'latest one is valid.', r.entries)),
			h('dl', { class: 'facts' },
				h('dt', null, t('Latest hash')), h('dd', null, h('code', null, r.head_hash || '')),
				h('dt', null, t('Signing key')),
				h('dd', null, h('code', null, r.public_key || ''))));
		} else {
			fill(out, h('p', { class: 'status bad', id: 'verify-broken' },
				t('Broken at entry #{n}: {why}. Every entry from there on cannot be trusted.',
					{ n: r.broken_seq, why: r.reason || t('it does not match') }), ' ',
				h('a', { href: link.journal(Math.max(0, r.broken_seq - 1)) + '#seq-' + r.broken_seq },
					t('Show entry #{n}', { n: r.broken_seq }))));
		}
	} catch (e) {
		fill(out, h('p', { class: 'status bad', role: 'alert' },
			t('The check could not run: {why}', { why: e.message })));
	} finally {
		btn.disabled = false;
	}
}

async function main() {
	header();
	$('#verify').addEventListener('click', verify);
	try {
		const health = await api('GET', '/health');
		const total = health.journal ? health.journal.entries : 0;
		// Without ?after= the latest entries are shown: what people look
		// for first is what happened last.
		const after = param('after') !== null
			? Math.max(0, parseInt(param('after'), 10) || 0)
			: Math.max(0, total - PAGE);
		await page(after, total);
		// An entry named in the address (#seq-N), e.g. the broken one.
		const target = location.hash && document.getElementById(location.hash.slice(1));
		if (target) {
			target.tabIndex = -1;
			target.scrollIntoView({ block: 'center' });
			target.focus();
		}
	} catch (e) {
		fill($('#entries'), h('p', { role: 'alert' },
			t('The journal could not be loaded: {why}', { why: e.message })));
	}
}

main();

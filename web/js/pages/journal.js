// journal.js: browse the journal a page at a time and check its chain.
// Entries are numbered from 1 without gaps, so a page is "the entries
// after N" and the previous page starts PAGE earlier.
import { api } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
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
		'aria-label': 'Entries ' + entries[0].seq + ' to ' +
			entries[entries.length - 1].seq }, entries.map((e) =>
		h('li', { id: 'seq-' + e.seq },
			h('p', { class: 'entry-head' },
				h('strong', null, '#' + e.seq), ' ',
				h('span', { class: 'action', 'data-action': e.action },
					journalEntryText(e)), ' by ', e.actor,
				e.body ? [' in ', h('a', { href: link.assembly(e.body) }, e.body)] : null,
				' · ', date(e.at, true)),
			h('p', { class: 'payload' }, payloadText(e.payload)),
			h('p', { class: 'hash' }, 'hash ', h('code', { title: e.hash },
				e.hash.slice(0, 16) + '…')))));
}

async function page(after, total) {
	const { entries } = await api('GET', '/journal?after=' + after + '&limit=' + PAGE);
	fill($('#entries'), entries.length ? list(entries)
		: h('p', null, after ? 'No entries after #' + after + '.' : 'The journal is empty.'));
	const nav = [];
	if (after > 0)
		nav.push(h('a', { href: link.journal(0), rel: 'first' }, 'First'),
			h('a', { href: link.journal(Math.max(0, after - PAGE)), rel: 'prev' },
				'Previous'));
	const lastSeq = entries.length ? entries[entries.length - 1].seq : after;
	if (total > lastSeq) {
		nav.push(h('a', { href: link.journal(lastSeq), rel: 'next' }, 'Next'));
		nav.push(h('a', { href: link.journal(Math.max(0, total - PAGE)), rel: 'last' },
			'Latest'));
	}
	nav.push(h('span', { class: 'muted' }, total + ' entries in all'));
	fill($('#pager'), nav);
}

async function verify() {
	const out = $('#verify-result');
	const btn = $('#verify');
	btn.disabled = true;
	fill(out, h('p', null, 'Checking…'));
	try {
		const r = await api('GET', '/journal/verify');
		if (r.ok) {
			fill(out, h('p', { class: 'status ok', id: 'verify-ok' },
				'Intact: all ' + r.entries + ' entries chain correctly and the ' +
				'signature on the latest one is valid.'),
			h('dl', { class: 'facts' },
				h('dt', null, 'Latest hash'), h('dd', null, h('code', null, r.head_hash || '')),
				h('dt', null, 'Signing key'), h('dd', null, h('code', null, r.public_key || ''))));
		} else {
			fill(out, h('p', { class: 'status bad', id: 'verify-broken' },
				'Broken at entry #' + r.broken_seq + ': ' + (r.reason || 'it does not match') +
				'. Every entry from there on cannot be trusted. ',
				h('a', { href: link.journal(Math.max(0, r.broken_seq - 1)) + '#seq-' + r.broken_seq },
					'Show entry #' + r.broken_seq)));
		}
	} catch (e) {
		fill(out, h('p', { class: 'status bad', role: 'alert' },
			'The check could not run: ' + e.message));
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
			'The journal could not be loaded: ' + e.message));
	}
}

main();

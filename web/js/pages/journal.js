// journal.js: browse the journal a page at a time and check its chain.
// Entries are numbered from 1 without gaps, so a page is "the entries
// after N" and the previous page starts PAGE earlier.
import { api } from '../api.js';
import { $, fill, h, link, param } from '../dom.js';
import { header } from '../layout.js';

const PAGE = 25;

function payloadText(p) {
	const s = typeof p === 'string' ? p : JSON.stringify(p);
	return s.length > 240 ? s.slice(0, 240) + '…' : s;
}

function table(entries) {
	return h('div', { class: 'table-wrap' }, h('table', { id: 'journal-table' },
		h('caption', null, 'Entries ' + entries[0].seq + ' to ' +
			entries[entries.length - 1].seq),
		h('thead', null, h('tr', null,
			h('th', { scope: 'col', class: 'num' }, '#'),
			h('th', { scope: 'col' }, 'Time (UTC)'),
			h('th', { scope: 'col' }, 'By'),
			h('th', { scope: 'col' }, 'Assembly'),
			h('th', { scope: 'col' }, 'Action'),
			h('th', { scope: 'col' }, 'Details'),
			h('th', { scope: 'col' }, 'Hash'))),
		h('tbody', null, entries.map((e) => h('tr', { id: 'seq-' + e.seq },
			h('td', { class: 'num' }, String(e.seq)),
			h('td', null, h('time', { datetime: e.time }, e.time.replace('T', ' ').replace('Z', ''))),
			h('td', null, e.actor),
			h('td', null, e.body ? h('a', { href: link.assembly(e.body) }, e.body) : '—'),
			h('td', null, h('code', null, e.action)),
			h('td', { class: 'payload' }, h('code', null, payloadText(e.payload))),
			h('td', null, h('code', { title: e.hash }, e.hash.slice(0, 12) + '…')))))));
}

async function page(after, total) {
	const { entries } = await api('GET', '/journal?after=' + after + '&limit=' + PAGE);
	fill($('#entries'), entries.length ? table(entries)
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
	const after = Math.max(0, parseInt(param('after') || '0', 10) || 0);
	try {
		const health = await api('GET', '/health');
		await page(after, health.journal ? health.journal.entries : 0);
	} catch (e) {
		fill($('#entries'), h('p', { role: 'alert' },
			'The journal could not be loaded: ' + e.message));
	}
}

main();

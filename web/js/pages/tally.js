// tally.js: count a ballot file in the browser's company: choose a file
// (PrefLib .soc/.soi/.toc/.toi, BLT, or a Debian tally sheet) or paste
// its text, a method and the seats; the server counts it with the tally
// library (POST /api/v1/tally, which stores nothing) and the page shows
// the result, every stage as a table, and a chart of each candidate's
// votes at each stage. The table is the chart's text alternative.
//
// Counts are exact decimals from the server; the chart turns them into
// numbers only to place its lines.
import { api } from '../api.js';
import { $, fill, h } from '../dom.js';
import { onSubmit } from '../forms.js';
import { number, pt, t, tn } from '../i18n.js';
import { header, status, title } from '../layout.js';

const METHODS = [
	['stv-scottish', t('STV, Scottish rules (2007)'), true],
	['stv-wigm', t('STV, weighted inclusive Gregory'), true],
	['stv-meek', t('STV, Meek'), true],
	['schulze', t('Schulze (Condorcet)'), false],
	['plurality', t('Plurality (first preferences)'), true],
	['approval', t('Approval'), true],
	['borda', t('Borda count'), true],
	['debian', t('Debian constitution (A.6)'), false],
];
const BODY_LIMIT = 120 * 1024;
// a candidate's outcome at the end of the count
const OUTCOME = { elected: pt('candidate', 'elected'), excluded: pt('candidate', 'excluded'),
	hopeful: pt('candidate', 'not elected'), withdrawn: pt('candidate', 'withdrawn') };

const SVGNS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...kids) {
	const el = document.createElementNS(SVGNS, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		el.setAttribute(k, String(v));
	el.append(...kids);
	return el;
}

const num = (v) => (typeof v === 'number' ? v : parseFloat(v)) || 0;

// A stage's or a note's words in the page's language, from the code and
// values the count keeps beside its English record (src/core/tally_words.c
// has the same table for the command line); the record's English for a
// code this page does not know.
const int = (v) => number(Number(v));
const WHY = { 'last seat': () => t('last seat'), defeat: () => t('defeat'),
	'order of election': () => t('order of election'),
	'order of surpluses': () => t('order of surpluses'), exclusion: () => t('exclusion') };
const why = (w) => (WHY[w] ? WHY[w]() : w);
const vacancies = (v) => tn('{n} vacancy', '{n} vacancies', Number(v));
const WORDS = {
	first_preferences: () => t('first preferences'),
	approvals: () => t('approvals'),
	borda_points: () => t('Borda points'),
	wins: () => t('wins over other candidates'),
	quorum: (a) => t('quorum {q}: votes preferring each option to the default', { q: a[0] }),
	majority_test: () => t('options left after the majority test'),
	schwartz_final: () => t('Schwartz set without defeats'),
	schwartz_drop: (a) => t('Schwartz set of {n}; weakest defeats ({won} to {lost}) dropped',
		{ n: int(a[0]), won: int(a[1]), lost: int(a[2]) }),
	meek_elected: (a) => t('round {n} ({k} iterations): elected {names}',
		{ n: int(a[0]), k: int(a[1]), names: a[2] }),
	meek_defeated: (a) => t('round {n} ({k} iterations): defeated {name}',
		{ n: int(a[0]), k: int(a[1]), name: a[2] }),
	stv_first: (a) => t('stage {n}: first preferences', { n: int(a[0]) }),
	stv_surplus: (a) => t('stage {n}: surplus of {name}', { n: int(a[0]), name: a[1] }),
	stv_exclusion: (a) => t('stage {n}: exclusion of {name}', { n: int(a[0]), name: a[1] }),
	tie_order: (a) => t("{why}: tie between {names} broken by the file's [tie] order: {name}",
		{ why: why(a[0]), names: a[1], name: a[2] }),
	tie_lot: (a) => t('{why}: tie between {names} broken by lot (seed "{seed}", draw {n}): {name}',
		{ why: why(a[0]), names: a[1], seed: a[2], n: int(a[3]), name: a[4] }),
	split_first: (a) => tn('{n} ballot ranks several candidates first and counts for none',
		'{n} ballots rank several candidates first and count for none', Number(a[0])),
	path_tie: (a) => t('{a} and {b} are tied: neither has a stronger path to the other',
		{ a: a[0], b: a[1] }),
	debian_v1_0: () => t('this vote was held under constitution v1.0; it is counted here' +
		' under A.6 as amended (v1.1+)'),
	debian_default: (a) => t('default option: {name}; majority test of constitution {test}',
		{ name: a[0], test: a[1] }),
	quorum_drop: (a) => t('{name} dropped: {n} votes prefer it to the default option, fewer' +
		' than the quorum {q}', { name: a[0], n: int(a[1]), q: a[2] }),
	majority_drop: (a) => t('{name} dropped: it does not defeat the default option by {r}:1' +
		' ({won} to {lost})', { name: a[0], r: int(a[1]), won: int(a[2]), lost: int(a[3]) }),
	weakest_drop: (a) => t('weakest defeat dropped: {a} over {b} ({won} to {lost})',
		{ a: a[0], b: a[1], won: int(a[2]), lost: int(a[3]) }),
	casting_vote: (a) => t('the Schwartz set has {n} options and no defeats: the casting vote' +
		' of the chair decides (A.6(8))', { n: int(a[0]) }),
	meek_stopped: (a) => t('round {n} stopped after {k} iterations',
		{ n: int(a[0]), k: int(a[1]) }),
	look_back: (a) => t('{why}: tie resolved by looking back to stage {n}',
		{ why: why(a[0]), n: int(a[1]) }),
	deemed_elected: (a) => tn('{n} continuing candidate for {vacancies}: deemed elected{rule}',
		'{n} continuing candidates for {vacancies}: deemed elected{rule}', Number(a[0]),
		{ vacancies: vacancies(a[1]), rule: a[2] }),
};
const words = (code, args, english) =>
	(WORDS[code] && Array.isArray(args) ? WORDS[code](args) : english);

function roundsTable(r) {
	const rounds = r.rounds || [];
	const withVotes = rounds.some((x) => x.votes);
	if (!rounds.length)
		return null;
	const last = rounds[rounds.length - 1];
	const cell = (x, c) => {
		if (x.votes)
			return String(x.votes[c]);
		return x.state && x.state[c] === 'excluded' ? 'out' : 'in';
	};
	return h('div', { class: 'table-wrap' }, h('table', { id: 'rounds' },
		h('caption', null, withVotes ? t('Stages of the count: votes')
			: t('Stages of the count')),
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('Candidate')),
			rounds.map((x, i) => h('th', { scope: 'col', class: 'num',
				title: words(x.code, x.args, x.label) },
				t('Stage {n}', { n: i + 1 }))),
			last.state && withVotes ? h('th', { scope: 'col' }, t('Outcome')) : null)),
		h('tbody', null,
			r.candidates.map((c) => h('tr', null, h('th', { scope: 'row' }, c),
				rounds.map((x) => h('td', { class: 'num' }, cell(x, c))),
				last.state && withVotes ? h('td', null, OUTCOME[last.state[c]] ||
					last.state[c]) : null)),
			rounds[0].non_transferable !== undefined ? h('tr', null,
				h('th', { scope: 'row' }, t('Non-transferable')),
				rounds.map((x) => h('td', { class: 'num' }, String(x.non_transferable)))) : null,
			rounds[0].quota !== undefined ? h('tr', null, h('th', { scope: 'row' }, t('Quota')),
				rounds.map((x) => h('td', { class: 'num' }, String(x.quota)))) : null)),
	h('ol', { class: 'stage-labels' },
		rounds.map((x) => h('li', null, words(x.code, x.args, x.label)))));
}

function stagesChart(r) {
	const rounds = (r.rounds || []).filter((x) => x.votes);
	if (!rounds.length)
		return null;
	// As wide as the page has room for, so that one unit of the drawing is
	// about one pixel and its 14px labels stay readable on a phone.
	const room = ($('#main') && $('#main').clientWidth) || 640;
	const W = Math.max(300, Math.min(640, room - 8)), H = 300, L = 50, B = 30, T = 10, R = 10;
	const cands = r.candidates;
	let max = 1;
	for (const x of rounds) {
		for (const c of cands)
			max = Math.max(max, num(x.votes[c]));
		if (x.quota !== undefined)
			max = Math.max(max, num(x.quota));
	}
	const n = rounds.length;
	const X = (i) => L + (n === 1 ? (W - L - R) / 2 : i * (W - L - R) / (n - 1));
	const Y = (v) => T + (H - T - B) * (1 - v / max);
	const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'stages', role: 'img',
		'aria-labelledby': 'stages-title' },
	s('title', { id: 'stages-title' }, tn('Votes of each candidate at the {n} stage; the ' +
		'table above gives the same numbers.', 'Votes of each candidate at each of the {n} ' +
		'stages; the table above gives the same numbers.', n)),
	s('line', { x1: L, y1: Y(0), x2: W - R, y2: Y(0), class: 'axis' }),
	s('line', { x1: L, y1: T, x2: L, y2: Y(0), class: 'axis' }),
	s('text', { x: L - 6, y: Y(max) + 4, 'text-anchor': 'end' }, String(Math.round(max))),
	s('text', { x: L - 6, y: Y(0) + 4, 'text-anchor': 'end' }, '0'));
	rounds.forEach((x, i) => svg.append(s('text', { x: X(i), y: H - 10,
		'text-anchor': 'middle' }, String(i + 1))));
	if (rounds[0].quota !== undefined) {
		svg.append(s('polyline', { points: rounds.map((x, i) => X(i) + ',' +
			Y(num(x.quota))).join(' '), fill: 'none', class: 'axis',
		'stroke-dasharray': '6 4', 'stroke-width': 2 }));
	}
	cands.forEach((c, k) => {
		const cls = 'stage-c' + (k % 8);
		const pts = rounds.map((x, i) => X(i) + ',' + Y(num(x.votes[c]))).join(' ');
		svg.append(s('polyline', { points: pts, fill: 'none', class: cls + '-line',
			'stroke-width': 3 }));
		rounds.forEach((x, i) => svg.append(s('circle', { cx: X(i), cy: Y(num(x.votes[c])),
			r: 3.5, class: cls })));
	});
	return h('figure', { class: 'chart stages-chart' }, svg,
		h('figcaption', null, h('ul', { class: 'legend' },
			cands.map((c, k) => h('li', null, h('span', { class: 'swatch stage-c' + (k % 8),
				'aria-hidden': 'true' }), c)),
			rounds[0].quota !== undefined ? h('li', null, '- - - ' + t('quota')) : null),
		h('p', { class: 'hint' }, t('Horizontal: the stage; vertical: votes.'))));
}

function showResult(r) {
	const ranking = (r.ranking || []).map((lvl) => lvl.join(' = '));
	fill($('#result'),
		h('h2', { id: 'result-h', tabindex: '-1' }, t('Result')),
		h('dl', { class: 'facts' },
			h('dt', null, t('Method')), h('dd', null, r.method),
			h('dt', null, t('Ballots')), h('dd', null, number(r.ballots)),
			h('dt', null, t('Seats')), h('dd', null, number(r.seats)),
			r.quota !== null && r.quota !== undefined
				? [h('dt', null, t('Quota')), h('dd', null, String(r.quota))] : null,
			h('dt', null, t('Elected')),
			h('dd', { id: 'elected' }, r.elected.length ? r.elected.join('; ') : t('none')),
			h('dt', null, t('Ranking')),
			h('dd', null, h('ol', null, ranking.map((x) => h('li', null, x)))),
			h('dt', null, t('Seed of the lot')),
			h('dd', null, h('code', null, r.seed), ' ' + tn('({n} lot drawn)',
				'({n} lots drawn)', r.lots))),
		r.notes && r.notes.length ? [h('h3', null, t('Notes')),
			h('ul', null, r.notes.map((n, i) => h('li', null,
				words((r.note_codes || [])[i] && r.note_codes[i].code,
					(r.note_codes || [])[i] && r.note_codes[i].args, n))))] : null,
		roundsTable(r),
		stagesChart(r));
	$('#result').hidden = false;
	$('#result-h').focus();
}

async function main() {
	header();
	title(t('Tally'));
	const form = h('form', { id: 'tally-form' },
		h('fieldset', { 'data-field': 'ballots' },
			h('legend', null, t('The ballots')),
			h('div', { class: 'field' },
				h('label', { for: 'file' }, t('A ballot file')),
				h('input', { type: 'file', id: 'file', name: 'file',
					accept: '.soc,.soi,.toc,.toi,.blt,.txt,text/plain',
					'aria-describedby': 'file-hint' }),
				h('p', { class: 'hint', id: 'file-hint' }, t('PrefLib (.soc, .soi, ' +
					'.toc, .toi), BLT (.blt) or a Debian tally sheet; up to 120 KB.'))),
			h('div', { class: 'field' },
				h('label', { for: 'text' }, t('Or paste its text')),
				h('textarea', { id: 'text', name: 'text', rows: 6, class: 'short mono' }))),
		h('div', { class: 'row' },
			h('div', { class: 'field' },
				h('label', { for: 'method' }, t('Method')),
				h('select', { id: 'method', name: 'method', 'data-field': 'method' },
					METHODS.map(([v, label]) => h('option', { value: v }, label)))),
			h('div', { class: 'field' },
				h('label', { for: 'seats' }, t('Seats')),
				h('input', { type: 'number', id: 'seats', name: 'seats', min: 1,
					'data-field': 'seats', 'aria-describedby': 'seats-hint' }),
				h('p', { class: 'hint', id: 'seats-hint' }, t('Empty: the file\'s number.'))),
			h('div', { class: 'field' },
				h('label', { for: 'format' }, t('Format')),
				h('select', { id: 'format', name: 'format', 'data-field': 'format' },
					h('option', { value: '' }, t('from the file name')),
					['soc', 'soi', 'toc', 'toi', 'blt', 'debian'].map((f) =>
						h('option', { value: f, translate: 'no' }, f))))),
		h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'count' }, t('Count'))));
	onSubmit(form, async (data) => {
		const file = data.get('file');
		let ballots = String(data.get('text') || '');
		let name;
		if (file && file.size) {
			if (file.size > BODY_LIMIT)
				throw Object.assign(new Error(t('The file is over 120 KB; count it with ' +
					'pnyx tally on the command line.')), { field: 'ballots' });
			ballots = await file.text();
			name = file.name;
		}
		if (!ballots.trim())
			throw Object.assign(new Error(t('Choose a ballot file or paste one.')),
				{ field: 'ballots' });
		const body = { method: data.get('method'), ballots };
		if (name)
			body.name = name;
		if (data.get('format'))
			body.format = data.get('format');
		const seats = String(data.get('seats') || '').trim();
		if (seats) {
			if (!/^\d+$/.test(seats))
				throw Object.assign(new Error(t('Seats must be a whole number.')),
					{ field: 'seats' });
			body.seats = Number(seats);
		}
		status('');
		showResult(await api('POST', '/tally', body));
	});
	fill($('#main'),
		h('h1', null, t('Tally')),
		h('p', { class: 'lead' }, t('Count a ballot file by a method of your choice ' +
			'and see every stage. Nothing is stored.')),
		h('p', { id: 'status', class: 'status', role: 'status', hidden: true }),
		form,
		h('section', { id: 'result', 'aria-labelledby': 'result-h', hidden: true }));
	$('#main').removeAttribute('aria-busy');
}

main();

// polity.js: the polities (without ?slug), or one polity: its domain, its
// region and communities, its assembly's seats by cohort (a hemicycle
// drawn in SVG, with the same facts in a table), how many residents and
// citizens it has (never who), and its law register.
import { api, me } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
import { onSubmit } from '../forms.js';
import { locale, t, tn, tx } from '../i18n.js';
import { failed, header, title } from '../layout.js';
import { ruleText } from '../text.js';
import { caseLink, caseState } from '../cases.js';
import { excuseReason, happened, now as clockNow, regionGroups, regionTreemap, renewalKind, renewalLink,
	renewalStatus, timeline, when } from '../lot.js';

const fmt = new Intl.NumberFormat(locale);
// Okabe and Ito's palette: told apart with every common colour blindness
const COHORT_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#CC79A7', '#0072B2', '#D55E00'];
const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...kids) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		if (v !== null && v !== undefined)
			el.setAttribute(k, String(v));
	for (const k of kids)
		el.append(k);
	return el;
}

// Where each of n seats sits in a hemicycle: rows of arcs, as many seats
// in a row as its length allows, from left to right.
function hemicycle(n) {
	const rows = Math.max(1, Math.round(Math.sqrt(n / 3.5)));
	const inner = rows === 1 ? 1 : 0.45;
	const radii = [];
	for (let k = 0; k < rows; k++)
		radii.push(rows === 1 ? 1 : inner + (1 - inner) * k / (rows - 1));
	const total = radii.reduce((a, b) => a + b, 0);
	const per = radii.map((r) => Math.max(1, Math.round(n * r / total)));
	let diff = n - per.reduce((a, b) => a + b, 0);
	for (let k = rows - 1; diff !== 0; k = (k + rows - 1) % rows) {
		if (diff > 0) {
			per[k]++;
			diff--;
		} else if (per[k] > 1) {
			per[k]--;
			diff++;
		}
	}
	const spots = [];
	radii.forEach((r, k) => {
		for (let j = 0; j < per[k]; j++) {
			const a = per[k] === 1 ? Math.PI / 2 : Math.PI * (1 - j / (per[k] - 1));
			spots.push({ a, x: r * Math.cos(a), y: r * Math.sin(a) });
		}
	});
	// left to right, so that each cohort gets a wedge of its own
	return { spots: spots.sort((p, q) => q.a - p.a || p.y - q.y), rows, per };
}

// The seats a cohort gains at its next renewal (the assembly decided more
// seats): drawn as seats to come.
function seatsToCome(p) {
	const more = [];
	for (const c of p.cohort_list)
		for (let k = c.seats; k < (c.next_seats ?? c.seats); k++)
			more.push({ seat: null, cohort: c.cohort, held: false, closing: false,
				opens: c.term_ends });
	return more;
}

function seatChart(p) {
	const seats = [...p.seat_list, ...seatsToCome(p)].sort((a, b) => a.cohort - b.cohort ||
		(a.seat ?? 1e9) - (b.seat ?? 1e9));
	const ends = Object.fromEntries(p.cohort_list.map((c) => [c.cohort, c.term_ends]));
	const { spots, rows } = hemicycle(seats.length);
	const W = 400, R = 180, cx = 200, cy = 195;
	const dot = Math.max(3, Math.min(14, 0.42 * R * (rows === 1 ? 0.9 : 0.55 / rows) *
		Math.min(1, 12 / Math.sqrt(seats.length)) * 2));
	const held = seats.filter((x) => x.held).length;
	const now = p.seat_list.length;
	const closing = seats.filter((x) => x.closing).length;
	const coming = seats.filter((x) => x.seat === null).length;
	// one sentence built of counted parts, each translated whole
	const parts = [tn('The {n} seat of the assembly in {cohorts}',
		'The {n} seats of the assembly in {cohorts}', now,
		{ cohorts: tn('{n} cohort', '{n} cohorts', p.cohorts) }),
	held ? tn('{n} held', '{n} held', held) : t('all empty')];
	if (closing)
		parts.push(tn('{n} closing at its cohort\'s next renewal',
			'{n} closing at their cohort\'s next renewal', closing));
	if (coming)
		parts.push(tn('and {n} seat to come at its cohort\'s next renewal',
			'and {n} seats to come at their cohort\'s next renewal', coming));
	const label = t('{seats}. The table below gives each cohort.',
		{ seats: parts.join(', ') });
	const svg = s('svg', { viewBox: `0 0 ${W} 210`, class: 'hemicycle', role: 'img',
		'aria-label': label });
	seats.forEach((seat, i) => {
		const c = COHORT_COLOURS[(seat.cohort - 1) % COHORT_COLOURS.length];
		const at = spots[i];
		const kind = seat.seat === null ? 'coming' : seat.closing ? 'closing' : '';
		const words = seat.seat === null
			? t('A seat to come in cohort {cohort}, from its renewal on {date}',
				{ cohort: seat.cohort, date: date(seat.opens).textContent })
			: (seat.held ? t('Seat {seat}, cohort {cohort}: held', seat)
				: t('Seat {seat}, cohort {cohort}: empty', seat)) +
				(seat.closing ? t('; it closes at the cohort\'s renewal on {date}',
					{ date: date(ends[seat.cohort]).textContent }) : '');
		svg.append(s('circle', { cx: (cx + at.x * R).toFixed(1),
			cy: (cy - at.y * R).toFixed(1), r: (dot / 2).toFixed(1),
			fill: seat.held ? c : 'none', stroke: c, 'stroke-width': 2,
			'stroke-dasharray': kind === 'closing' ? '3 2' : kind === 'coming' ? '1 2' : null,
			opacity: kind === 'coming' ? 0.7 : null,
			class: ['seat', seat.held ? 'held' : 'empty', kind].filter(Boolean).join(' ') },
		s('title', null, words)));
	});
	return h('figure', { class: 'chart seats-chart' }, svg,
		h('figcaption', { class: 'muted' }, t('Each circle is a seat, coloured by cohort; ' +
			'a filled circle is held, an outlined one is empty') +
			(closing ? t('; a dashed one closes at its cohort\'s next renewal') : '') +
			(coming ? t('; a dotted one is a seat to come at its cohort\'s next renewal') : '') +
			'.'));
}

function cohortTable(p) {
	return h('div', { class: 'table-wrap' }, h('table', { id: 'cohorts' },
		h('caption', null, t('Seats by cohort')),
		h('thead', null, h('tr', null,
			h('th', { scope: 'col' }, t('Cohort')),
			h('th', { scope: 'col', class: 'num' }, t('Seats')),
			h('th', { scope: 'col', class: 'num' }, t('Held')),
			h('th', { scope: 'col' }, t('Current term ends')),
			h('th', { scope: 'col', class: 'num' }, t('Seats from then')))),
		h('tbody', null, p.cohort_list.map((c) => h('tr', null,
			h('th', { scope: 'row' }, h('span', { class: 'swatch', 'aria-hidden': 'true' },
				s('svg', { viewBox: '0 0 10 10', width: 12, height: 12 },
					s('circle', { cx: 5, cy: 5, r: 4,
						fill: COHORT_COLOURS[(c.cohort - 1) % COHORT_COLOURS.length] }))),
			' ', String(c.cohort)),
			h('td', { class: 'num' }, fmt.format(c.seats)),
			h('td', { class: 'num' }, fmt.format(c.held)),
			h('td', null, date(c.term_ends)),
			h('td', { class: 'num' + ((c.next_seats ?? c.seats) !== c.seats ? ' changed' : '') },
				fmt.format(c.next_seats ?? c.seats)))))));
}

// The region's communities as a map-like treemap, grouped by the regions
// it is built from (lot.js), and the same facts in a table.
function regionSection(r, parts) {
	const grouped = regionGroups(r, parts);
	return h('section', { 'aria-labelledby': 'region-h' },
		h('h2', { id: 'region-h' }, t('Region: {name}', { name: r.name })),
		h('p', null, tn('{n} community, with a population of {people}.',
			'{n} communities, with a population of {people}.', r.communities.length,
			{ people: fmt.format(r.population) }),
		parts.length ? ' ' + (r.named.length
			? t('Built from {regions} and the communities it names itself.',
				{ regions: parts.map((x) => x.name).join(', ') })
			: t('Built from {regions}.', { regions: parts.map((x) => x.name).join(', ') })) : ''),
		regionTreemap(r, grouped, link.community),
		h('div', { class: 'table-wrap' }, h('table', { id: 'communities' },
			h('caption', null, t('The communities of {region}', { region: r.name })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col' }, t('Community')),
				h('th', { scope: 'col', class: 'num' }, t('Population')),
				parts.length ? h('th', { scope: 'col' }, t('In')) : null)),
			h('tbody', null, [...r.communities].sort((a, b) => b.population - a.population ||
				a.name.localeCompare(b.name)).map((c) => h('tr', null,
				h('th', { scope: 'row' }, h('a', { href: link.community(c.slug) }, c.name)),
				h('td', { class: 'num' }, fmt.format(c.population)),
				parts.length ? h('td', null, [...(grouped.inParts.get(c.slug) || []),
					...(r.named.includes(c.slug) ? [r.name] : [])].join(', ')) : null))))));
}

// The parts a region is built from, each with its communities.
async function regionParts(r) {
	return Promise.all((r.regions || []).map((slug) =>
		api('GET', '/regions/' + encodeURIComponent(slug))));
}

const SETTING_DEFAULTS = { commit_days: 14, answer_days: 21, witnesses: 2 };

function setting(p, k) {
	const v = p.settings ? p.settings[k] : undefined;
	return v === undefined || v === null ? SETTING_DEFAULTS[k] : v;
}

// The next renewal with its timetable: the pool committed, the seed
// entered by witnesses on the draw date, the answers due.
function nextRenewal(p, renewals) {
	const cohortNext = [...p.cohort_list].sort((a, b) => a.term_ends - b.term_ends)[0];
	const n = p.next_renewal || (cohortNext
		? { cohort: cohortNext.cohort, draw_at: cohortNext.term_ends,
			commit_at: cohortNext.term_ends - setting(p, 'commit_days') * 86400 }
		: null);
	if (!n)
		return null;
	const cohort = p.cohort_list.find((c) => c.cohort === n.cohort);
	const answers = n.draw_at + setting(p, 'answer_days') * 86400;
	// what happened already: now is no earlier (a simulation's clock)
	for (const x of renewals)
		if (x.status === 'committed' || x.status === 'drawn')
			happened(x.status === 'drawn' ? x.draw_at : x.commit_at);
	const now = clockNow();
	// a renewal already under way (committed, not yet drawn) comes first
	const current = renewals.find((x) => x.status === 'committed');
	return h('section', { 'aria-labelledby': 'renewal-h' },
		h('h2', { id: 'renewal-h' }, t('Next renewal')),
		current ? h('p', { class: 'status', id: 'current-renewal' },
			tx('A renewal is under way: {renewal}, drawn on {date}.', {
				renewal: h('a', { href: renewalLink(current.id) },
					tn('cohort {cohort}, {n} citizen in its pool',
						'cohort {cohort}, {n} citizens in its pool', current.pool_size,
						{ cohort: current.cohort })),
				date: when(current.draw_at) })) : null,
		h('p', { id: 'next-renewal-text' }, cohort
			? tx(tn('Cohort {cohort} ({n} seat) is renewed on {date}, the day its term ends.',
				'Cohort {cohort} ({n} seats) is renewed on {date}, the day its term ends.',
				cohort.next_seats ?? cohort.seats, { cohort: n.cohort, date: '{date}' }),
			{ date: when(n.draw_at) })
			: tx(t('Cohort {cohort} is renewed on {date}, the day its term ends.',
				{ cohort: n.cohort, date: '{date}' }), { date: when(n.draw_at) }),
		' ', t('Nobody calls it and nobody can skip it: the server\'s clock runs it.')),
		timeline([
			{ label: t('Pool committed'), at: n.commit_at, done: now >= n.commit_at },
			{ label: tn('Seed entered by {n} witness', 'Seed entered by {n} witnesses',
				setting(p, 'witnesses')), at: n.draw_at, done: now >= n.draw_at },
			{ label: t('Answers due'), at: answers, done: now >= answers },
		]),
		h('p', { class: 'muted' }, p.settings && p.settings.seed_source
			? tx('The seed comes from a public source named in advance: {source}.',
				{ source: h('q', { id: 'seed-source' }, p.settings.seed_source) })
			: t('The seed comes from a public source named in advance: the one the polity ' +
				'states.')));
}

const EXCUSE_RULES = {
	grant: t('granted while nobody holds the office of clerk'),
	refuse: t('refused while nobody holds the office of clerk'),
};
const NO_ANSWER = {
	vacate: t('the seat goes to the next alternate'),
	defer: t('the summons is deferred to the next renewal of the same cohort (once; a ' +
		'second time, the seat goes to the next alternate)'),
};

// a list in the page's language ("a, b y c")
const listFmt = new Intl.ListFormat(locale, { type: 'conjunction' });
function andList(items) {
	return listFmt.format(items);
}

// "gender: women 2, men 2" in words: "women: 2 seats, men: 2 seats; ..."
function quotaWords(quotas) {
	const cats = [];
	for (const q of quotas) {
		let c = cats.find((x) => x.name === q.category);
		if (!c)
			cats.push(c = { name: q.category, parts: [] });
		c.parts.push(q.value + ': ' + (q.min === q.max ? tn('{n} seat', '{n} seats', q.min)
			: t('{min} to {max} seats', { min: fmt.format(q.min), max: fmt.format(q.max) })));
	}
	return cats.map((c) => c.name + ' (' + c.parts.join(', ') + ')').join('; ');
}

// The polity's rules of service, in words: they change only by a decision
// of its assembly.
function serviceRules(p) {
	const st = p.settings;
	if (!st)
		return null;
	const reasons = (st.excuse_reasons || []).map(excuseReason);
	return h('section', { 'aria-labelledby': 'service-h' },
		h('h2', { id: 'service-h' }, t('Rules of service')),
		h('dl', { class: 'facts', id: 'service' },
			h('dt', null, t('Pool committed')),
			h('dd', null, tn('{n} day before the draw date', '{n} days before the draw date',
				st.commit_days)),
			h('dt', null, t('Seed')),
			h('dd', null, tx(tn('{source}, entered by {n} witness agreeing on the same text',
				'{source}, entered by {n} witnesses agreeing on the same text', st.witnesses,
				{ source: '{source}' }), { source: h('q', null, st.seed_source) })),
			h('dt', null, t('Alternates')),
			h('dd', null, st.alternates_default || !st.alternates
				? t('as many as the seats drawn, at least 5')
				: t('{n} ranked after the seats drawn', { n: fmt.format(st.alternates) })),
			h('dt', null, t('Time to answer')),
			h('dd', null, tn('{n} day from the summons, with a reminder a week before the ' +
				'deadline; without an answer, {then}', '{n} days from the summons, with a ' +
				'reminder a week before the deadline; without an answer, {then}',
			st.answer_days, { then: NO_ANSWER[st.no_answer] || st.no_answer })),
			h('dt', null, t('Reasons to be excused')),
			h('dd', null, t('{reasons}; decided by the assembly\'s clerk, {rule}',
				{ reasons: reasons.join(', '), rule: EXCUSE_RULES[st.excuse_rule] ||
					st.excuse_rule })),
			h('dt', null, t('Deferring')),
			h('dd', null, t('once, to the next renewal of the same cohort')),
			h('dt', null, t('Quotas')),
			h('dd', { id: 'quotas-setting' }, st.quotas && st.quotas.length
				? t('{quotas} in each cohort\'s draw, from what people say of themselves; ' +
					'those who do not say may be drawn where a quota leaves room',
				{ quotas: quotaWords(st.quotas) })
				: t('none: everyone in the pool has the same chance'))),
		h('p', { class: 'muted' }, t('These change only by a decision of the assembly of ' +
			'{polity}; the operator cannot change them.', { polity: p.name })));
}

function renewalList(p, renewals) {
	const done = renewals.filter((x) => x.id !== null && x.id !== undefined);
	return h('section', { 'aria-labelledby': 'renewals-h' },
		h('h2', { id: 'renewals-h' }, t('Renewals')),
		done.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'renewals' },
			h('caption', null, t('Every renewal of {polity}, newest first', { polity: p.name })),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col' }, t('Renewal')),
				h('th', { scope: 'col' }, t('Drawn on')),
				h('th', { scope: 'col', class: 'num' }, t('Seats')),
				h('th', { scope: 'col', class: 'num' }, t('Pool')),
				h('th', { scope: 'col' }, t('State')))),
			h('tbody', null, [...done].sort((a, b) => b.draw_at - a.draw_at || b.id - a.id)
				.map((x) => h('tr', null,
					h('th', { scope: 'row' }, h('a', { href: renewalLink(x.id) },
						t('{kind}, cohort {cohort}', { kind: renewalKind(x.kind),
							cohort: x.cohort }))),
					h('td', null, date(x.draw_at)),
					h('td', { class: 'num' }, fmt.format(x.seats)),
					h('td', { class: 'num' }, x.pool_size === null || x.pool_size === undefined
						? '—' : fmt.format(x.pool_size)),
					h('td', null, renewalStatus(x.status)))))))
			: h('p', { id: 'renewals' }, t('No renewal has begun yet. Each is listed here ' +
				'from the day its pool is committed, with its public record.')));
}

async function renewalsOf(p) {
	try {
		return (await api('GET', '/polities/' + encodeURIComponent(p.slug) +
			'/renewals')).renewals || [];
	} catch (e) {
		if (e.status === 404)
			return p.renewals || [];
		throw e;
	}
}

function lawSection(p) {
	return h('section', { 'aria-labelledby': 'laws-h' },
		h('h2', { id: 'laws-h' }, t('Law register')),
		p.laws.length
			? h('ol', { class: 'plain', id: 'law-list' }, p.laws.map((l) => h('li', null,
				h('a', { href: link.law(p.assembly, l.number) }, t('Law {n}: {title}',
					{ n: l.number, title: l.title })),
				l.status === 'repealed' ? ' ' + t('(repealed)') : '')))
			: h('p', { id: 'law-list' }, t('No laws yet. The register of {polity} changes ' +
				'only by the remedies its assembly approves when it finds that a law allows ' +
				'harm.', { polity: p.name })));
}

// The polity's cases (docs/cases.md): remedies in force, reviews due and
// recommendations overdue first, then every case with a filter by state,
// its civil service, and for its citizens the petition's form.
async function casesSection(p, account) {
	const base = '/polities/' + encodeURIComponent(p.slug) + '/cases';
	let all = await api('GET', base);
	const box = h('section', { 'aria-labelledby': 'cases-h', id: 'cases' });
	let shown = '';
	const item = (c) => h('li', null, h('a', { href: caseLink(c.id) }, c.title), ' · ',
		caseState(c.state), c.overdue ? h('strong', { class: 'overdue' },
			' · ' + t('recommendation overdue')) : null,
		c.brief_overdue ? h('strong', { class: 'overdue' },
			' · ' + t('evidence brief overdue')) : null,
		c.review_due ? h('strong', null, ' · ' + t('review due')) : null);
	const caseList = (cases, id, none) => cases.length
		? h('ul', { class: 'plain', id }, cases.map(item)) : h('p', { id }, none);
	const d = () => all.dashboard;
	const citizen = account && (account.citizenship?.polities || []).some((x) =>
		x.slug === p.slug) && account.citizenship.status === 'citizen';
	const render = (message) => {
		const filter = h('select', { id: 'case-filter', 'aria-label': t('Show') },
			h('option', { value: '' }, t('Every case')),
			all.states.map((st) => h('option', { value: st, selected: st === shown ? true
				: null }, caseState(st))));
		filter.addEventListener('change', () => {
			shown = filter.value;
			render();
		});
		const cases = all.cases.filter((c) => !shown || c.state === shown);
		fill(box,
			h('h2', { id: 'cases-h' }, t('Cases: does the law allow harm?')),
			h('p', null, t('A citizen asks the assembly whether a law of this polity (or its ' +
				'silence on something) allows harm. If the assembly finds harm, the civil ' +
				'service recommends a remedy; the law changes only when the assembly finds ' +
				'that, so changed, it no longer allows harm. Every remedy is reviewed.')),
			message ? h('p', { class: 'status ok', role: 'status' }, message) : null,
			h('div', { class: 'dashboard', id: 'case-dashboard' },
				h('h3', null, t('Remedies in force')),
				caseList(d().in_force, 'remedies', t('None yet.')),
				h('h3', null, t('Reviews due')),
				caseList(d().reviews_due, 'reviews-due', t('None.')),
				h('h3', null, t('Overdue from the civil service')),
				caseList(d().overdue, 'overdue', t('None.'))),
			h('h3', null, t('Every case')),
			h('div', { class: 'row' }, filter),
			caseList(cases, 'case-list', shown ? t('No case is in that state.')
				: t('No case yet.')),
			h('p', { id: 'civil-service' }, all.civil_service.length
				? t('Its civil service: {names}. They write the remedies the assembly asks ' +
					'for; they never vote.', { names: andList(all.civil_service.map((x) =>
					x.name)) })
				: t('It has no civil service yet: the operator registers it.')),
			h('p', null, tx('{calendar} as a calendar to subscribe to.', {
				calendar: h('a', { href: '/api/v1/polities/' + encodeURIComponent(p.slug) +
					'/cases.ics', id: 'cases-calendar' }, t('Hearings, reviews and deadlines')) })),
			citizen ? petitionForm(p, async (c) => {
				all = await api('GET', base);
				render(t('Your petition is case {id}: the assembly decides whether to take ' +
					'it up.', { id: c.id }));
			}) : h('p', { class: 'muted' }, t('Any citizen of this polity may petition.')));
	};
	render();
	return box;
}

function petitionForm(p, done) {
	const form = h('form', { id: 'petition-form' },
		h('h3', null, t('Petition the assembly')),
		h('div', { class: 'field' }, h('label', { for: 'petition-title' }, t('Title')),
			h('input', { id: 'petition-title', name: 'title', 'data-field': 'title',
				required: true, maxlength: 200 })),
		h('div', { class: 'field' }, h('label', { for: 'petition-law' }, t('Which law?')),
			h('select', { id: 'petition-law', name: 'law', 'data-field': 'law' },
				h('option', { value: '' }, t('None: the harm comes from what no law says')),
				p.laws.filter((l) => l.status !== 'repealed').map((l) => h('option',
					{ value: String(l.number) }, t('Law {n}: {title}',
						{ n: l.number, title: l.title }))))),
		h('div', { class: 'field' }, h('label', { for: 'petition-absence' },
			t('What does the law say nothing about? (when no law is chosen)')),
		h('input', { id: 'petition-absence', name: 'absence', 'data-field': 'absence',
			maxlength: 500 })),
		h('div', { class: 'field' }, h('label', { for: 'petition-statement' },
			t('Who is harmed, and how')),
		h('textarea', { id: 'petition-statement', name: 'statement',
			'data-field': 'statement', required: true, rows: 5, maxlength: 50000 })),
		h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'petition' },
			t('Petition'))));
	onSubmit(form, async (data) => {
		const body = { title: data.get('title'), statement: data.get('statement') };
		if (data.get('law'))
			body.law = Number(data.get('law'));
		else
			body.absence = data.get('absence');
		const c = await api('POST', '/polities/' + encodeURIComponent(p.slug) + '/cases', body);
		await done(c);
	});
	return form;
}

// When the assembly decided another number of seats than it has now.
function seatsDecided(p) {
	if (p.seats === p.seat_list.length && p.cohort_list.every((c) =>
		(c.next_seats ?? c.seats) === c.seats))
		return null;
	return h('p', { id: 'seats-decided', class: 'status' },
		tn('The assembly decided to have {n} seat (it has {now} now).',
			'The assembly decided to have {n} seats (it has {now} now).', p.seats,
			{ now: fmt.format(p.seat_list.length) }), ' ',
		t('Each cohort takes its share at its next renewal, so that no member\'s term is ' +
			'cut short: the table says how many seats each cohort has from then.'));
}

// The excuses waiting for the clerk of the assembly: shown to the clerk
// (who decides each, with a reason), and while nobody holds the office to
// the members (the polity's rule decides). Nothing for anyone else.
async function excusesSection(p) {
	let ex;
	try {
		if (!await me())
			return null;
		ex = await api('GET', '/polities/' + encodeURIComponent(p.slug) + '/excuses');
	} catch (e) {
		return null;
	}
	const box = h('section', { 'aria-labelledby': 'excuses-h', id: 'excuses' });
	const render = () => fill(box,
		h('h2', { id: 'excuses-h' }, t('Excuses to decide')),
		ex.clerk_office_held ? null : h('p', null, ex.excuse_rule === 'grant'
			? t('Nobody holds the office of clerk: each request is granted by the polity\'s ' +
				'rule as it is made.')
			: t('Nobody holds the office of clerk: each request is refused by the polity\'s ' +
				'rule as it is made.')),
		ex.requests.length ? h('ul', { class: 'plain', id: 'excuse-list' },
			ex.requests.map((q) => excuseCard(p, ex, q, async (msg) => {
				ex = await api('GET', '/polities/' + encodeURIComponent(p.slug) + '/excuses');
				render();
				box.append(h('p', { class: 'status', role: 'status' }, msg));
			})))
			: h('p', { id: 'excuse-list' }, t('No request to be excused is waiting.')));
	render();
	return box;
}

function excuseCard(p, ex, q, done) {
	const id = 'excuse-' + q.summons;
	const reason = excuseReason(q.reason);
	const parts = [h('p', null, tx('{name} asks to be excused from cohort {cohort}: ' +
		'{reason}. Their answer is due {deadline}; an excuse undecided by then is granted.', {
		name: h('strong', null, q.name), cohort: String(q.cohort),
		reason: h('q', null, reason), deadline: when(q.deadline, true) }))];
	if (ex.clerk_office_held) {
		const form = h('form', { id: id + '-form', class: 'answer-form' },
			h('div', { class: 'field' },
				h('label', { for: id + '-why' }, t('Your reason (it is kept with the decision)')),
				h('textarea', { id: id + '-why', name: 'reason', 'data-field': 'reason',
					required: true, rows: 2, maxlength: 1000 })),
			h('div', { class: 'actions' },
				h('button', { type: 'submit', name: 'grant', value: 'yes', id: id + '-grant' },
					t('Grant the excuse')),
				h('button', { type: 'submit', name: 'grant', value: 'no', class: 'secondary',
					id: id + '-refuse' }, t('Refuse it'))));
		let grant = true;
		form.addEventListener('click', (ev) => {
			if (ev.target.name === 'grant')
				grant = ev.target.value === 'yes';
		});
		onSubmit(form, async (data) => {
			await api('POST', '/summons/' + q.summons + '/excuse',
				{ grant, reason: data.get('reason') });
			await done(grant ? t('Granted: {name} is excused; the next alternate is ' +
				'summoned.', { name: q.name }) : t('Refused: {name} is summoned again, to ' +
				'answer by the same deadline.', { name: q.name }));
		});
		parts.push(form);
	}
	return h('li', null, h('div', { class: 'card', id }, parts));
}

async function you(p) {
	let account = null;
	try {
		account = await me();
	} catch (e) {
		account = null;
	}
	if (!account)
		return h('p', null, tx('{signin} to see whether you belong to this polity.', {
			signin: h('a', { href: link.signin(location.pathname + location.search) },
				t('Sign in')) }));
	const c = account.citizenship || {};
	const mine = (c.polities || []).some((x) => x.slug === p.slug);
	if (!mine)
		return h('p', { id: 'you' }, t('You do not belong to this polity: your community is ' +
			'not in its region.'), ' ', h('a', { href: link.citizenship() },
			t('Your citizenship')), '.');
	return h('p', { id: 'you' }, c.status === 'citizen'
		? tx('You belong to this polity as a citizen, until {date}.',
			{ date: date(c.expires_at) })
		: t('You live in its region, but you are not a citizen: you are never drawn.'), ' ',
	h('a', { href: link.citizenship() }, c.status === 'citizen'
		? t('Your citizenship') : t('Become a citizen')), '.');
}

async function one(slug) {
	const p = await api('GET', '/polities/' + encodeURIComponent(slug));
	title(p.name);
	const [parts, renewals] = await Promise.all([regionParts(p.region), renewalsOf(p)]);
	// the cohort whose term ends first is the next to be renewed
	const next = [...p.cohort_list].sort((a, b) => a.term_ends - b.term_ends)[0];
	fill($('#main'),
		h('h1', null, p.name),
		p.widest ? h('p', { class: 'badge' }, t('The widest polity: questions of human rights'))
			: null,
		h('p', { class: 'lead' }, p.description),
		await you(p),
		h('dl', { class: 'facts' },
			h('dt', null, t('Residents')),
			h('dd', { id: 'residents' }, fmt.format(p.residents)),
			h('dt', null, t('Citizens')),
			h('dd', { id: 'citizens' }, fmt.format(p.citizens)),
			h('dt', null, t('Assembly')),
			h('dd', null, h('a', { href: link.assembly(p.assembly) }, t('The assembly of ' +
				'{polity}', { polity: p.name })), ': ' + tn('{n} seat in {cohorts}, drawn ' +
				'by lot from its citizens', '{n} seats in {cohorts}, drawn by lot from its ' +
				'citizens', p.seats, { cohorts: tn('{n} cohort', '{n} cohorts', p.cohorts) })),
			h('dt', null, t('Next renewal')),
			h('dd', { id: 'next-renewal' }, next ? [tn('cohort {cohort} ({n} seat)',
				'cohort {cohort} ({n} seats)', next.next_seats ?? next.seats,
				{ cohort: next.cohort }) + ', ', date(next.term_ends)] : '—'),
			h('dt', null, t('Registered')),
			h('dd', null, date(p.registered_at))),
		h('p', { class: 'muted' }, t('Counts only: who lives here and who consented is ' +
			'known to each person alone.')),
		h('section', { 'aria-labelledby': 'seats-h' },
			h('h2', { id: 'seats-h' }, t('Seats')),
			h('p', null, t('Terms are six years. At the start each cohort\'s first term is ' +
				'shorter, so that part of the assembly is renewed at a time. The seats ' +
				'are filled by lot from the citizens, like jury duty.')),
			seatsDecided(p), seatChart(p), cohortTable(p),
			p.rule ? h('p', { id: 'rule' }, t('It decides by {rule}; the quorum counts ' +
				'seats, held or not, so empty seats never make it easier to decide.',
			{ rule: ruleText(p.rule.default, 'member') })) : null),
		await excusesSection(p),
		await casesSection(p, await me().catch(() => null)),
		lawSection(p),
		nextRenewal(p, renewals),
		renewalList(p, renewals),
		serviceRules(p),
		regionSection(p.region, parts));
}

async function list() {
	const { polities } = await api('GET', '/polities');
	title(t('Polities'));
	fill($('#main'),
		h('h1', null, t('Polities')),
		h('p', { class: 'lead' }, t('A polity is a domain of questions over a region: ' +
			'everyone whose community is in the region belongs to it. Each has an ' +
			'assembly of at most 150 citizens drawn by lot.')),
		polities.length
			? h('ul', { class: 'plain', id: 'polities' }, polities.map((p) => h('li', null,
				h('a', { href: link.polity(p.slug) }, p.name),
				p.widest ? ' ' + t('(the widest polity)') : '',
				' · ' + tn('{n} seat', '{n} seats', p.seats) + ' · ' +
				tn('{n} resident', '{n} residents', p.residents) + ', ' +
				tn('{n} citizen', '{n} citizens', p.citizens))))
			: h('p', { id: 'polities' }, t('No polity has been registered yet.')));
}

async function main() {
	header();
	const slug = param('slug');
	try {
		await (slug ? one(slug) : list());
	} catch (e) {
		failed(slug ? 'This polity' : 'The list of polities', e);
		return;
	}
	$('#main').removeAttribute('aria-busy');
}

main();

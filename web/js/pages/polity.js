// polity.js: the polities (without ?slug), or one polity: its domain, its
// region and communities, its assembly's seats by cohort (a hemicycle
// drawn in SVG, with the same facts in a table), how many residents and
// citizens it has (never who), and its law register.
import { api, me } from '../api.js';
import { $, date, fill, h, link, param, plural } from '../dom.js';
import { onSubmit } from '../forms.js';
import { locale } from '../i18n.js';
import { failed, header, title } from '../layout.js';
import { ruleText } from '../text.js';
import { caseLink, caseState } from '../cases.js';
import { happened, now as clockNow, regionGroups, regionTreemap, renewalKind, renewalLink,
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
	const label = 'The ' + plural(now, 'seat', 'seats') + ' of the assembly in ' +
		plural(p.cohorts, 'cohort', 'cohorts') + ', ' + (held ? held + ' held' : 'all empty') +
		(closing ? ', ' + closing + ' closing at their cohort\'s next renewal' : '') +
		(coming ? ', and ' + plural(coming, 'seat', 'seats') + ' to come at their cohort\'s ' +
			'next renewal' : '') + '. The table below gives each cohort.';
	const svg = s('svg', { viewBox: `0 0 ${W} 210`, class: 'hemicycle', role: 'img',
		'aria-label': label });
	seats.forEach((seat, i) => {
		const c = COHORT_COLOURS[(seat.cohort - 1) % COHORT_COLOURS.length];
		const at = spots[i];
		const kind = seat.seat === null ? 'coming' : seat.closing ? 'closing' : '';
		const words = seat.seat === null
			? `A seat to come in cohort ${seat.cohort}, from its renewal on ` +
				date(seat.opens).textContent
			: `Seat ${seat.seat}, cohort ${seat.cohort}: ` + (seat.held ? 'held' : 'empty') +
				(seat.closing ? '; it closes at the cohort\'s renewal on ' +
					date(ends[seat.cohort]).textContent : '');
		svg.append(s('circle', { cx: (cx + at.x * R).toFixed(1),
			cy: (cy - at.y * R).toFixed(1), r: (dot / 2).toFixed(1),
			fill: seat.held ? c : 'none', stroke: c, 'stroke-width': 2,
			'stroke-dasharray': kind === 'closing' ? '3 2' : kind === 'coming' ? '1 2' : null,
			opacity: kind === 'coming' ? 0.7 : null,
			class: ['seat', seat.held ? 'held' : 'empty', kind].filter(Boolean).join(' ') },
		s('title', null, words)));
	});
	return h('figure', { class: 'chart seats-chart' }, svg,
		h('figcaption', { class: 'muted' }, 'Each circle is a seat, coloured by cohort; ' +
			'a filled circle is held, an outlined one is empty' +
			(closing ? '; a dashed one closes at its cohort\'s next renewal' : '') +
			(coming ? '; a dotted one is a seat to come at its cohort\'s next renewal' : '') +
			'.'));
}

function cohortTable(p) {
	return h('div', { class: 'table-wrap' }, h('table', { id: 'cohorts' },
		h('caption', null, 'Seats by cohort'),
		h('thead', null, h('tr', null,
			h('th', { scope: 'col' }, 'Cohort'),
			h('th', { scope: 'col', class: 'num' }, 'Seats'),
			h('th', { scope: 'col', class: 'num' }, 'Held'),
			h('th', { scope: 'col' }, 'Current term ends'),
			h('th', { scope: 'col', class: 'num' }, 'Seats from then'))),
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
		h('h2', { id: 'region-h' }, 'Region: ' + r.name),
		h('p', null, plural(r.communities.length, 'community', 'communities') +
			', with a population of ' + fmt.format(r.population) + '.',
			parts.length ? ' Built from ' + parts.map((x) => x.name).join(', ') +
				(r.named.length ? ' and the communities it names itself.' : '.') : ''),
		regionTreemap(r, grouped, link.community),
		h('div', { class: 'table-wrap' }, h('table', { id: 'communities' },
			h('caption', null, 'The communities of ' + r.name),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col' }, 'Community'),
				h('th', { scope: 'col', class: 'num' }, 'Population'),
				parts.length ? h('th', { scope: 'col' }, 'In') : null)),
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
		h('h2', { id: 'renewal-h' }, 'Next renewal'),
		current ? h('p', { class: 'status', id: 'current-renewal' }, 'A renewal is under way: ',
			h('a', { href: renewalLink(current.id) }, 'cohort ' + current.cohort + ', ' +
				plural(current.pool_size, 'citizen', 'citizens') + ' in its pool'),
			', drawn on ', when(current.draw_at), '.') : null,
		h('p', { id: 'next-renewal-text' }, 'Cohort ' + n.cohort +
			(cohort ? ' (' + plural(cohort.next_seats ?? cohort.seats, 'seat', 'seats') + ')'
				: '') +
			' is renewed on ', when(n.draw_at), ', the day its term ends. Nobody calls it ' +
			'and nobody can skip it: the server\'s clock runs it.'),
		timeline([
			{ label: 'Pool committed', at: n.commit_at, done: now >= n.commit_at },
			{ label: 'Seed entered by ' + plural(setting(p, 'witnesses'), 'witness',
				'witnesses'), at: n.draw_at, done: now >= n.draw_at },
			{ label: 'Answers due', at: answers, done: now >= answers },
		]),
		h('p', { class: 'muted' }, 'The seed comes from a public source named in advance: ',
			p.settings && p.settings.seed_source ? h('q', { id: 'seed-source' },
				p.settings.seed_source) : 'the one the polity states', '.'));
}

const EXCUSE_RULES = {
	grant: 'granted while nobody holds the office of clerk',
	refuse: 'refused while nobody holds the office of clerk',
};
const NO_ANSWER = {
	vacate: 'the seat goes to the next alternate',
	defer: 'the summons is deferred to the next renewal of the same cohort (once; a ' +
		'second time, the seat goes to the next alternate)',
};

// "gender: women 2, men 2" in words: "women: 2 seats, men: 2 seats; ..."
function quotaWords(quotas) {
	const cats = [];
	for (const q of quotas) {
		let c = cats.find((x) => x.name === q.category);
		if (!c)
			cats.push(c = { name: q.category, parts: [] });
		c.parts.push(q.value + ': ' + (q.min === q.max ? plural(q.min, 'seat', 'seats')
			: q.min + ' to ' + q.max + ' seats'));
	}
	return cats.map((c) => c.name + ' (' + c.parts.join(', ') + ')').join('; ');
}

// The polity's rules of service, in words: they change only by a decision
// of its assembly.
function serviceRules(p) {
	const st = p.settings;
	if (!st)
		return null;
	const reasons = (st.excuse_reasons || []).map((r) => r.charAt(0).toUpperCase() + r.slice(1));
	return h('section', { 'aria-labelledby': 'service-h' },
		h('h2', { id: 'service-h' }, 'Rules of service'),
		h('dl', { class: 'facts', id: 'service' },
			h('dt', null, 'Pool committed'),
			h('dd', null, plural(st.commit_days, 'day', 'days') + ' before the draw date'),
			h('dt', null, 'Seed'),
			h('dd', null, h('q', null, st.seed_source), ', entered by ' +
				plural(st.witnesses, 'witness', 'witnesses') + ' agreeing on the same text'),
			h('dt', null, 'Alternates'),
			h('dd', null, st.alternates_default || !st.alternates
				? 'as many as the seats drawn, at least 5'
				: fmt.format(st.alternates) + ' ranked after the seats drawn'),
			h('dt', null, 'Time to answer'),
			h('dd', null, plural(st.answer_days, 'day', 'days') + ' from the summons, ' +
				'with a reminder a week before the deadline; without an answer, ' +
				(NO_ANSWER[st.no_answer] || st.no_answer)),
			h('dt', null, 'Reasons to be excused'),
			h('dd', null, reasons.join(', ') + '; decided by the assembly\'s clerk, ' +
				(EXCUSE_RULES[st.excuse_rule] || st.excuse_rule)),
			h('dt', null, 'Deferring'),
			h('dd', null, 'once, to the next renewal of the same cohort'),
			h('dt', null, 'Quotas'),
			h('dd', { id: 'quotas-setting' }, st.quotas && st.quotas.length
				? quotaWords(st.quotas) + ' in each cohort\'s draw, from what people ' +
					'say of themselves; those who do not say may be drawn where a ' +
					'quota leaves room'
				: 'none: everyone in the pool has the same chance')),
		h('p', { class: 'muted' }, 'These change only by a decision of the assembly of ' +
			p.name + '; the operator cannot change them.'));
}

function renewalList(p, renewals) {
	const done = renewals.filter((x) => x.id !== null && x.id !== undefined);
	return h('section', { 'aria-labelledby': 'renewals-h' },
		h('h2', { id: 'renewals-h' }, 'Renewals'),
		done.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'renewals' },
			h('caption', null, 'Every renewal of ' + p.name + ', newest first'),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col' }, 'Renewal'),
				h('th', { scope: 'col' }, 'Drawn on'),
				h('th', { scope: 'col', class: 'num' }, 'Seats'),
				h('th', { scope: 'col', class: 'num' }, 'Pool'),
				h('th', { scope: 'col' }, 'State'))),
			h('tbody', null, [...done].sort((a, b) => b.draw_at - a.draw_at || b.id - a.id)
				.map((x) => h('tr', null,
					h('th', { scope: 'row' }, h('a', { href: renewalLink(x.id) },
						renewalKind(x.kind) + ', cohort ' + x.cohort)),
					h('td', null, date(x.draw_at)),
					h('td', { class: 'num' }, fmt.format(x.seats)),
					h('td', { class: 'num' }, x.pool_size === null || x.pool_size === undefined
						? '—' : fmt.format(x.pool_size)),
					h('td', null, renewalStatus(x.status)))))))
			: h('p', { id: 'renewals' }, 'No renewal has begun yet. Each is listed here ' +
				'from the day its pool is committed, with its public record.'));
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
		h('h2', { id: 'laws-h' }, 'Law register'),
		p.laws.length
			? h('ol', { class: 'plain', id: 'law-list' }, p.laws.map((l) => h('li', null,
				h('a', { href: link.law(p.assembly, l.number) }, 'Law ' + l.number + ': ' +
					l.title), l.status === 'repealed' ? ' (repealed)' : '')))
			: h('p', { id: 'law-list' }, 'No laws yet. The register of ' + p.name +
				' changes only by the remedies its assembly approves when it finds' +
				' that a law allows harm.'));
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
			' · recommendation overdue') : null,
		c.brief_overdue ? h('strong', { class: 'overdue' }, ' · evidence brief overdue') : null,
		c.review_due ? h('strong', null, ' · review due') : null);
	const list = (cases, id, none) => cases.length
		? h('ul', { class: 'plain', id }, cases.map(item)) : h('p', { id }, none);
	const d = () => all.dashboard;
	const citizen = account && (account.citizenship?.polities || []).some((x) =>
		x.slug === p.slug) && account.citizenship.status === 'citizen';
	const render = (message) => {
		const filter = h('select', { id: 'case-filter', 'aria-label': 'Show' },
			h('option', { value: '' }, 'Every case'),
			all.states.map((st) => h('option', { value: st, selected: st === shown ? true
				: null }, caseState(st))));
		filter.addEventListener('change', () => {
			shown = filter.value;
			render();
		});
		const cases = all.cases.filter((c) => !shown || c.state === shown);
		fill(box,
			h('h2', { id: 'cases-h' }, 'Cases: does the law allow harm?'),
			h('p', null, 'A citizen asks the assembly whether a law of this polity (or its ' +
				'silence on something) allows harm. If the assembly finds harm, the civil ' +
				'service recommends a remedy; the law changes only when the assembly finds ' +
				'that, so changed, it no longer allows harm. Every remedy is reviewed.'),
			message ? h('p', { class: 'status ok', role: 'status' }, message) : null,
			h('div', { class: 'dashboard', id: 'case-dashboard' },
				h('h3', null, 'Remedies in force'),
				list(d().in_force, 'remedies', 'None yet.'),
				h('h3', null, 'Reviews due'),
				list(d().reviews_due, 'reviews-due', 'None.'),
				h('h3', null, 'Overdue from the civil service'),
				list(d().overdue, 'overdue', 'None.')),
			h('h3', null, 'Every case'),
			h('div', { class: 'row' }, filter),
			list(cases, 'case-list', shown ? 'No case is in that state.' : 'No case yet.'),
			h('p', { id: 'civil-service' }, all.civil_service.length
				? 'Its civil service: ' + all.civil_service.map((x) => x.name).join(', ') +
					'. They write the remedies the assembly asks for; they never vote.'
				: 'It has no civil service yet: the operator registers it.'),
			h('p', null, h('a', { href: '/api/v1/polities/' + encodeURIComponent(p.slug) +
				'/cases.ics', id: 'cases-calendar' }, 'Hearings, reviews and deadlines'),
			' as a calendar to subscribe to.'),
			citizen ? petitionForm(p, async (c) => {
				all = await api('GET', base);
				render('Your petition is case ' + c.id + ': the assembly decides whether ' +
					'to take it up.');
			}) : h('p', { class: 'muted' }, 'Any citizen of this polity may petition.'));
	};
	render();
	return box;
}

function petitionForm(p, done) {
	const form = h('form', { id: 'petition-form' },
		h('h3', null, 'Petition the assembly'),
		h('div', { class: 'field' }, h('label', { for: 'petition-title' }, 'Title'),
			h('input', { id: 'petition-title', name: 'title', 'data-field': 'title',
				required: true, maxlength: 200 })),
		h('div', { class: 'field' }, h('label', { for: 'petition-law' }, 'Which law?'),
			h('select', { id: 'petition-law', name: 'law', 'data-field': 'law' },
				h('option', { value: '' }, 'None: the harm comes from what no law says'),
				p.laws.filter((l) => l.status !== 'repealed').map((l) => h('option',
					{ value: String(l.number) }, 'Law ' + l.number + ': ' + l.title)))),
		h('div', { class: 'field' }, h('label', { for: 'petition-absence' },
			'What does the law say nothing about? (when no law is chosen)'),
		h('input', { id: 'petition-absence', name: 'absence', 'data-field': 'absence',
			maxlength: 500 })),
		h('div', { class: 'field' }, h('label', { for: 'petition-statement' },
			'Who is harmed, and how'),
		h('textarea', { id: 'petition-statement', name: 'statement',
			'data-field': 'statement', required: true, rows: 5, maxlength: 50000 })),
		h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'petition' },
			'Petition')));
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
	return h('p', { id: 'seats-decided', class: 'status' }, 'The assembly decided to have ' +
		plural(p.seats, 'seat', 'seats') + ' (it has ' + p.seat_list.length + ' now). ' +
		'Each cohort takes its share at its next renewal, so that no member\'s term is ' +
		'cut short: the table says how many seats each cohort has from then.');
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
		h('h2', { id: 'excuses-h' }, 'Excuses to decide'),
		ex.clerk_office_held ? null : h('p', null, 'Nobody holds the office of clerk: ' +
			'each request is ' + (ex.excuse_rule === 'grant' ? 'granted' : 'refused') +
			' by the polity\'s rule as it is made.'),
		ex.requests.length ? h('ul', { class: 'plain', id: 'excuse-list' },
			ex.requests.map((q) => excuseCard(p, ex, q, async (msg) => {
				ex = await api('GET', '/polities/' + encodeURIComponent(p.slug) + '/excuses');
				render();
				box.append(h('p', { class: 'status', role: 'status' }, msg));
			})))
			: h('p', { id: 'excuse-list' }, 'No request to be excused is waiting.'));
	render();
	return box;
}

function excuseCard(p, ex, q, done) {
	const id = 'excuse-' + q.summons;
	const reason = q.reason ? q.reason.charAt(0).toUpperCase() + q.reason.slice(1) : '';
	const parts = [h('p', null, h('strong', null, q.name), ' asks to be excused from ' +
		'cohort ' + q.cohort + ': ', h('q', null, reason), '. Their answer is due ',
	when(q.deadline, true), '; an excuse undecided by then is granted.')];
	if (ex.clerk_office_held) {
		const form = h('form', { id: id + '-form', class: 'answer-form' },
			h('div', { class: 'field' },
				h('label', { for: id + '-why' }, 'Your reason (it is kept with the decision)'),
				h('textarea', { id: id + '-why', name: 'reason', 'data-field': 'reason',
					required: true, rows: 2, maxlength: 1000 })),
			h('div', { class: 'actions' },
				h('button', { type: 'submit', name: 'grant', value: 'yes', id: id + '-grant' },
					'Grant the excuse'),
				h('button', { type: 'submit', name: 'grant', value: 'no', class: 'secondary',
					id: id + '-refuse' }, 'Refuse it')));
		let grant = true;
		form.addEventListener('click', (ev) => {
			if (ev.target.name === 'grant')
				grant = ev.target.value === 'yes';
		});
		onSubmit(form, async (data) => {
			await api('POST', '/summons/' + q.summons + '/excuse',
				{ grant, reason: data.get('reason') });
			await done(grant ? 'Granted: ' + q.name + ' is excused; the next alternate is ' +
				'summoned.' : 'Refused: ' + q.name + ' is summoned again, to answer by the ' +
				'same deadline.');
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
		return h('p', null, h('a', { href: link.signin(location.pathname + location.search) },
			'Sign in'), ' to see whether you belong to this polity.');
	const c = account.citizenship || {};
	const mine = (c.polities || []).some((x) => x.slug === p.slug);
	if (!mine)
		return h('p', { id: 'you' }, 'You do not belong to this polity: your community is ' +
			'not in its region. ', h('a', { href: link.citizenship() }, 'Your citizenship'), '.');
	return h('p', { id: 'you' }, c.status === 'citizen'
		? 'You belong to this polity as a citizen, until '
		: 'You live in its region, but you are not a citizen: you are never drawn. ',
	c.status === 'citizen' ? [date(c.expires_at), '. '] : null,
	h('a', { href: link.citizenship() }, c.status === 'citizen'
		? 'Your citizenship' : 'Become a citizen'), '.');
}

async function one(slug) {
	const p = await api('GET', '/polities/' + encodeURIComponent(slug));
	title(p.name);
	const [parts, renewals] = await Promise.all([regionParts(p.region), renewalsOf(p)]);
	// the cohort whose term ends first is the next to be renewed
	const next = [...p.cohort_list].sort((a, b) => a.term_ends - b.term_ends)[0];
	fill($('#main'),
		h('h1', null, p.name),
		p.widest ? h('p', { class: 'badge' }, 'The widest polity: questions of human rights')
			: null,
		h('p', { class: 'lead' }, p.description),
		await you(p),
		h('dl', { class: 'facts' },
			h('dt', null, 'Residents'),
			h('dd', { id: 'residents' }, fmt.format(p.residents)),
			h('dt', null, 'Citizens'),
			h('dd', { id: 'citizens' }, fmt.format(p.citizens)),
			h('dt', null, 'Assembly'),
			h('dd', null, h('a', { href: link.assembly(p.assembly) }, 'The assembly of ' +
				p.name), ': ' + plural(p.seats, 'seat', 'seats') + ' in ' +
				plural(p.cohorts, 'cohort', 'cohorts') + ', drawn by lot from its citizens'),
			h('dt', null, 'Next renewal'),
			h('dd', { id: 'next-renewal' }, next ? ['cohort ' + next.cohort + ' (' +
				plural(next.next_seats ?? next.seats, 'seat', 'seats') + '), ',
			date(next.term_ends)] : '—'),
			h('dt', null, 'Registered'),
			h('dd', null, date(p.registered_at))),
		h('p', { class: 'muted' }, 'Counts only: who lives here and who consented is ' +
			'known to each person alone.'),
		h('section', { 'aria-labelledby': 'seats-h' },
			h('h2', { id: 'seats-h' }, 'Seats'),
			h('p', null, 'Terms are six years. At the start each cohort\'s first term is ' +
				'shorter, so that part of the assembly is renewed at a time. The seats ' +
				'are filled by lot from the citizens, like jury duty.'),
			seatsDecided(p), seatChart(p), cohortTable(p),
			p.rule ? h('p', { id: 'rule' }, 'It decides by ' +
				ruleText(p.rule.default, 'member') + '; the quorum counts seats, ' +
				'held or not, so empty seats never make it easier to decide.') : null),
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
	title('Polities');
	fill($('#main'),
		h('h1', null, 'Polities'),
		h('p', { class: 'lead' }, 'A polity is a domain of questions over a region: ' +
			'everyone whose community is in the region belongs to it. Each has an ' +
			'assembly of at most 150 citizens drawn by lot.'),
		polities.length
			? h('ul', { class: 'plain', id: 'polities' }, polities.map((p) => h('li', null,
				h('a', { href: link.polity(p.slug) }, p.name),
				p.widest ? ' (the widest polity)' : '',
				' · ' + plural(p.seats, 'seat', 'seats') + ' · ' +
				plural(p.residents, 'resident', 'residents') + ', ' +
				plural(p.citizens, 'citizen', 'citizens'))))
			: h('p', { id: 'polities' }, 'No polity has been registered yet.'));
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

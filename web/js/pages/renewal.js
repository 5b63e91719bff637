// renewal.js: the public record of one renewal of a polity's assembly
// (renewal.html?id=N): its procedure as a timeline, the pool's commitment
// and the seed's source named in advance, the witnesses and the texts
// they entered, the seed, the leaves drawn and the ranked alternates with
// the state of each summons (a name only once seated), the command that
// verifies the draw, and the record and result to download. A witness
// enters the seed here; the server decides who may (docs/polities.md).
import { api, me } from '../api.js';
import { $, fill, h, link, param } from '../dom.js';
import { pt, t, tn, tx } from '../i18n.js';
import { failed, header, status, title } from '../layout.js';
import { onSubmit } from '../forms.js';
import { copyable, numberFormat as fmt, happened, now as clockNow, quotaChart,
	renewalStatus, summonsState, timeline, when } from '../lot.js';

const DAY = 86400;

function leaf(hex) {
	return h('span', { class: 'leaf', title: hex }, hex.slice(0, 16) + '…');
}

function witnessSection(r) {
	const texts = new Map();
	for (const w of r.witnesses || [])
		texts.set(w.text, (texts.get(w.text) || 0) + 1);
	return h('section', { 'aria-labelledby': 'witnesses-h' },
		h('h2', { id: 'witnesses-h' }, t('Witnesses and the seed')),
		h('p', null, t('The seed comes from a public source the polity named before the ' +
			'pool was committed:')),
		h('blockquote', { id: 'seed-source' }, h('p', null, r.seed_source)),
		h('p', null, tn('From the draw date, citizens of the polity and members of its ' +
			'assembly enter the text the source gave, each once. The draw happens when {n} ' +
			'witness has entered the same text, to the byte. Every text entered is kept and ' +
			'shown.', 'From the draw date, citizens of the polity and members of its ' +
			'assembly enter the text the source gave, each once. The draw happens when {n} ' +
			'witnesses have entered the same text, to the byte. Every text entered is kept ' +
			'and shown.', r.witnesses_needed || 2)),
		(r.witnesses || []).length
			? h('ol', { id: 'witness-list' }, r.witnesses.map((w) => h('li', null,
				tx('{name} entered {text} on {date}', { name: h('strong', null, w.name),
					text: h('q', { translate: 'no' }, w.text), date: when(w.at, true) }),
				texts.size > 1 ? ' ' + (texts.get(w.text) > 1 ? t('(agreed by {n})',
					{ n: fmt.format(texts.get(w.text)) }) : t('(differs from the others)'))
					: '')))
			: h('p', { id: 'witness-list' }, r.status === 'drawn' ? '' :
				t('No witness has entered the seed yet.')),
		r.seed_text !== null && r.seed_text !== undefined
			? h('dl', { class: 'facts', id: 'seed' },
				h('dt', null, t('Seed text')),
				h('dd', null, h('q', { id: 'seed-text', translate: 'no' }, r.seed_text)),
				h('dt', null, t('Seed (its hash)')), h('dd', null, h('span', { class: 'leaf' },
					r.seed)))
			: null);
}

function seedForm(r, account, reload) {
	if (r.status !== 'committed')
		return null;
	const intro = h('p', { id: 'seed-when' }, tx('Witnesses enter the seed from {date}, ' +
		'the day of the event it comes from; the server refuses it before then.',
	{ date: when(r.draw_at) }));
	if (!account)
		return h('div', null, intro, h('p', null, tx('{signin} to enter the seed as a ' +
			'witness.', { signin: h('a', { href: link.signin(
			location.pathname + location.search) }, t('Sign in')) })));
	const form = h('form', { id: 'seed-form', class: 'card' },
		h('h3', null, t('Enter the seed as a witness')), intro,
		h('p', null, t('Type the text exactly as the source gave it. You may do this once; ' +
			'if you are not a witness of this polity the server says so.')),
		h('div', { class: 'field' },
			h('label', { for: 'seed-input' }, t('The text of the source')),
			h('textarea', { id: 'seed-input', name: 'text', 'data-field': 'text',
				required: true, class: 'short' })),
		h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'enter-seed' },
			t('Enter the seed'))));
	onSubmit(form, async (data) => {
		const out = await api('POST', '/renewals/' + r.id + '/seed', { text: data.get('text') });
		await reload(out.status === 'drawn' ? t('The seed is entered, and the draw is made.')
			: t('Your text is entered. The draw waits for another witness to enter the same.'));
	});
	return form;
}

// The quotas of a stratified renewal: how the seats were drawn, and each
// group's seats against its quota.
function quotasSection(r) {
	if (!r.stratified)
		return null;
	const lot = r.lottery;
	return h('section', { 'aria-labelledby': 'quotas-h', id: 'quotas' },
		h('h2', { id: 'quotas-h' }, t('Quotas')),
		r.quotas_unmet
			? [h('p', { id: 'quotas-unmet' }, t('The polity asks for so many seats for each ' +
				'group, but no choice of people from this pool meets every quota:')),
			h('ul', null, r.quotas_unmet.map((why) => h('li', null, why))),
			h('p', null, t('By the polity\'s rule the seats are then drawn as if there were ' +
				'no quotas: everyone in the pool has the same chance.'))]
			: h('p', { id: 'quotas-how' }, tn('The polity asks for so many seats for each ' +
				'group of its people. Before the seed existed, the server computed the ' +
				'fairest way to meet every quota (each person\'s chance as high as the ' +
				'quotas allow, the least likely first) and turned it into a lottery of ' +
				'{tickets} tickets over {n} possible assembly, each meeting every quota. Its ' +
				'commitment was published with the pool; the seed picks one ticket.',
			'The polity asks for so many seats for each group of its people. Before the ' +
				'seed existed, the server computed the fairest way to meet every quota (each ' +
				'person\'s chance as high as the quotas allow, the least likely first) and ' +
				'turned it into a lottery of {tickets} tickets over {n} possible assemblies, ' +
				'each meeting every quota. Its commitment was published with the pool; the ' +
				'seed picks one ticket.', lot.panels, { tickets: fmt.format(lot.tickets) })),
		lot ? h('p', { class: 'leaf', id: 'lottery-commitment' }, lot.commitment) : null,
		r.status === 'drawn'
			? [h('p', { id: 'quotas-met' }, r.quotas_met
				? t('Every quota holds on the seats drawn, held or awaited now.')
				: t('Not every quota holds on the seats held or awaited now.')),
			quotaChart(r.quotas, r.seats)]
			: h('p', null, t('Once drawn, the seats of each group show here against its ' +
				'quota.')));
}

function drawnSection(r) {
	if (r.status !== 'drawn')
		return h('section', { 'aria-labelledby': 'drawn-h' },
			h('h2', { id: 'drawn-h' }, pt('the people drawn', 'Drawn')),
			h('p', { id: 'drawn' }, t('Nobody is drawn yet: the draw happens when the seed ' +
				'is entered. Until then nobody, the server included, can know who will be.')));
	const seats = (r.drawn || []).length;
	return h('section', { 'aria-labelledby': 'drawn-h' },
		h('h2', { id: 'drawn-h' }, pt('the people drawn', 'Drawn')),
		h('p', null, r.lottery
			? tn('The {n} seat went to the people of the ticket the seed picked; the ' +
				'alternates are the rest of the pool in the order the seed ranks them, and a ' +
				'vacancy goes to the first whose group keeps every quota.', 'The {n} seats ' +
				'went to the people of the ticket the seed picked; the alternates are the ' +
				'rest of the pool in the order the seed ranks them, and a vacancy goes to the ' +
				'first whose group keeps every quota.', seats)
			: tn('The {n} seat went to the first leaves the seed ranks.',
				'The {n} seats went to the first leaves the seed ranks.', seats),
		' ', t('A leaf stands for a person without naming them; each person ' +
			'knows their own from their receipt. A name shows once its person is seated.')),
		h('div', { class: 'table-wrap' }, h('table', { id: 'drawn' },
			h('caption', null, t('Drawn, in the order of the draw')),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col', class: 'num' }, t('Rank')),
				h('th', { scope: 'col' }, t('Leaf')),
				h('th', { scope: 'col' }, t('Person')),
				h('th', { scope: 'col' }, t('Summons')))),
			h('tbody', null, (r.drawn || []).map((d) => h('tr', null,
				h('td', { class: 'num' }, String(d.rank)),
				h('td', null, leaf(d.leaf)),
				h('td', null, d.name || h('span', { class: 'muted' }, t('not seated'))),
				h('td', null, summonsState(d.state))))))),
		h('div', { class: 'table-wrap' }, h('table', { id: 'alternates' },
			h('caption', null, t('Alternates, called in this order when a seat falls vacant')),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col', class: 'num' }, t('Rank')),
				h('th', { scope: 'col' }, t('Leaf')),
				h('th', { scope: 'col' }, t('State')))),
			h('tbody', null, (r.alternate_list || []).map((d) => h('tr', null,
				h('td', { class: 'num' }, String(d.rank)),
				h('td', null, leaf(d.leaf)),
				h('td', null, summonsState(d.state))))))));
}

function verifySection(r) {
	const base = '/api/v1/renewals/' + encodeURIComponent(r.id);
	return h('section', { 'aria-labelledby': 'verify-h' },
		h('h2', { id: 'verify-h' }, t('Verify this draw')),
		h('p', null, t('Anyone can recompute this renewal from what is published here: the ' +
			'record of the pool (its salted leaves, in order, and the commitment they hash ' +
			'to) and the seed text. The command fetches both and checks every leaf drawn, ' +
			'rank by rank.')),
		copyable(r.verify.replace(/--server URL$/, '--server ' + location.origin),
			t('Copy the command')),
		h('ul', { class: 'plain', id: 'downloads' },
			h('li', null, h('a', { href: base + '/record', download: 'renewal-' + r.id +
				'-record.txt' }, t('Download the record')), ' ' + tn('(the committed pool: ' +
				'{n} leaf)', '(the committed pool: {n} leaves)', r.pool_size || 0)),
			r.status === 'drawn' ? h('li', null, h('a', { href: base + '/result',
				download: 'renewal-' + r.id + '-result.json' }, t('Download the result')),
			' ' + t('(the leaves drawn and the alternates, for pnyx verify --record)')) : null,
			r.stratified ? h('li', null, h('a', { href: base + '/lottery',
				download: 'renewal-' + r.id + '-lottery.json' }, t('Download the quotas ' +
				'and the lottery')), ' ' + t('(each leaf\'s group, the fair chances and the ' +
				'possible assemblies)')) : null),
		h('p', null, tx('Were you in the pool? {receipts} show your leaf and how to check it.',
			{ receipts: h('a', { href: link.citizenship() + '#receipts' },
				t('Your receipts')) })));
}

// "5 seats drawn by lot from 40 citizens, with 5 alternates ranked after them."
function leadWords(r, drawn) {
	const n = (r.drawn || []).length;
	const pool = r.pool_size || 0;
	const seats = drawn && n < r.seats
		? tn('{n} of its {seats} seat (the whole pool; the other seats wait for another ' +
			'renewal)', '{n} of its {seats} seats (the whole pool; the other seats wait for ' +
			'another renewal)', r.seats, { n: fmt.format(n), seats: fmt.format(r.seats) })
		: tn('{n} seat', '{n} seats', r.seats);
	const from = tn('{n} citizen', '{n} citizens', pool);
	if (drawn)
		return t('{seats} drawn by lot from {pool}, with {alternates} ranked after them.', {
			seats, pool: from, alternates: tn('{n} alternate', '{n} alternates',
				(r.alternate_list || []).length) });
	return t('{seats} to be drawn by lot from {pool}, with up to {alternates} ranked after ' +
		'them.', { seats, pool: from, alternates: tn('{n} alternate', '{n} alternates',
		r.alternates || 0) });
}

async function render(id, message) {
	const r = await api('GET', '/renewals/' + encodeURIComponent(id));
	lastSeen = JSON.stringify([r.status, r.witnesses, r.drawn, r.alternate_list]);
	let p = null, account = null;
	[p, account] = await Promise.all([
		api('GET', '/polities/' + encodeURIComponent(r.polity.slug)).catch(() => null),
		me().catch(() => null)]);
	const settings = (p && p.settings) || {};
	r.witnesses_needed = settings.witnesses || 2;
	const answerDays = settings.answer_days || 21;
	const name = r.kind === 'supplementary'
		? t('Supplementary renewal of cohort {cohort}', { cohort: r.cohort })
		: t('Yearly renewal of cohort {cohort}', { cohort: r.cohort });
	title(name + ' · ' + r.polity.name);
	// what happened already: now is no earlier (a simulation's clock)
	happened(r.committed_at);
	for (const w of r.witnesses || [])
		happened(w.at);
	if (r.status === 'drawn')
		happened(r.draw_at);
	const now = clockNow();
	const drawn = r.status === 'drawn';
	const deadline = r.draw_at + answerDays * DAY;
	const lastWitness = (r.witnesses || []).reduce((a, w) => Math.max(a, w.at), 0);
	const reload = async (msg) => {
		await render(id, msg);
		$('#status').focus();
	};
	fill($('#main'),
		h('h1', null, name),
		h('p', { class: 'lead' }, tx('The assembly of {polity}: {what}', {
			polity: h('a', { href: link.polity(r.polity.slug) }, r.polity.name),
			what: leadWords(r, drawn) })),
		h('p', { id: 'status', class: 'status' + (message ? ' ok' : ''), role: 'status',
			tabindex: '-1', hidden: !message }, message || ''),
		h('p', { id: 'renewal-status' }, h('strong', null, renewalStatus(r.status)), '.'),
		h('section', { 'aria-labelledby': 'timetable-h' },
			h('h2', { id: 'timetable-h' }, t('The procedure')),
			timeline([
				{ label: t('Pool committed'), at: r.committed_at || r.commit_at,
					done: !!r.committed_at },
				{ label: t('Seed event'), at: r.draw_at, done: now >= r.draw_at },
				{ label: t('Draw'), at: drawn ? Math.max(lastWitness, r.draw_at) : null,
					done: drawn, pending: t('when the witnesses agree') },
				{ label: t('Answers due'), at: deadline, done: now >= deadline },
			])),
		h('section', { 'aria-labelledby': 'commit-h' },
			h('h2', { id: 'commit-h' }, t('The pool\'s commitment')),
			h('p', null, tx(tn('Published on {date}, before the seed existed: {n} citizen, ' +
				'each a salted leaf, hashed together to', 'Published on {date}, before the ' +
				'seed existed: {n} citizens, each a salted leaf, hashed together to',
			r.pool_size || 0, { date: '{date}' }),
			{ date: when(r.committed_at || r.commit_at, true) })),
			h('p', { class: 'leaf', id: 'commitment' }, r.commitment || '—')),
		witnessSection(r),
		seedForm(r, account, reload),
		quotasSection(r),
		drawnSection(r),
		r.commitment ? verifySection(r) : null);
	if (message)
		status(message, 'ok');
	$('#main').removeAttribute('aria-busy');
}

// While a renewal waits for its seed, witnesses enter it elsewhere: the
// page looks again every 10 seconds and redraws when something changed,
// unless the reader is typing the seed.
let lastSeen = '';
function follow(id) {
	setInterval(async () => {
		const input = $('#seed-input');
		if (input && (input.value || document.activeElement === input))
			return;
		try {
			const r = await api('GET', '/renewals/' + encodeURIComponent(id));
			const seen = JSON.stringify([r.status, r.witnesses, r.drawn, r.alternate_list]);
			if (seen !== lastSeen && r.status !== 'scheduled')
				await render(id, null);
		} catch (e) {
			// the next look may work; the page keeps what it shows
		}
	}, 10000);
}

async function main() {
	await header();
	const id = param('id');
	try {
		if (!id || !/^[0-9]+$/.test(id))
			throw Object.assign(new Error('no renewal'), { status: 404 });
		await render(id, null);
		follow(id);
	} catch (e) {
		failed('This renewal', e);
	}
}

main();

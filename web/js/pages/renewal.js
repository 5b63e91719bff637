// renewal.js: the public record of one renewal of a polity's assembly
// (renewal.html?id=N): its procedure as a timeline, the pool's commitment
// and the seed's source named in advance, the witnesses and the texts
// they entered, the seed, the leaves drawn and the ranked alternates with
// the state of each summons (a name only once seated), the command that
// verifies the draw, and the record and result to download. A witness
// enters the seed here; the server decides who may (docs/polities.md).
import { api, me } from '../api.js';
import { $, fill, h, link, param, plural } from '../dom.js';
import { failed, header, status, title } from '../layout.js';
import { onSubmit } from '../forms.js';
import { copyable, numberFormat as fmt, happened, now as clockNow, quotaChart, renewalKind,
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
		h('h2', { id: 'witnesses-h' }, 'Witnesses and the seed'),
		h('p', null, 'The seed comes from a public source the polity named before the ' +
			'pool was committed:'),
		h('blockquote', { id: 'seed-source' }, h('p', null, r.seed_source)),
		h('p', null, 'From the draw date, citizens of the polity and members of its ' +
			'assembly enter the text the source gave, each once. The draw happens when ' +
			plural(r.witnesses_needed || 2, 'witness has', 'witnesses have') +
			' entered the same text, to the byte. Every text entered is kept and shown.'),
		(r.witnesses || []).length
			? h('ol', { id: 'witness-list' }, r.witnesses.map((w) => h('li', null,
				h('strong', null, w.name), ' entered ', h('q', null, w.text), ' on ',
				when(w.at, true),
				texts.size > 1 ? (texts.get(w.text) > 1 ? ' (agreed by ' +
					texts.get(w.text) + ')' : ' (differs from the others)') : '')))
			: h('p', { id: 'witness-list' }, r.status === 'drawn' ? '' :
				'No witness has entered the seed yet.'),
		r.seed_text !== null && r.seed_text !== undefined
			? h('dl', { class: 'facts', id: 'seed' },
				h('dt', null, 'Seed text'), h('dd', null, h('q', { id: 'seed-text' }, r.seed_text)),
				h('dt', null, 'Seed (its hash)'), h('dd', null, h('span', { class: 'leaf' },
					r.seed)))
			: null);
}

function seedForm(r, account, reload) {
	if (r.status !== 'committed')
		return null;
	const intro = h('p', { id: 'seed-when' }, 'Witnesses enter the seed from ',
		when(r.draw_at), ', the day of the event it comes from; the server refuses it ' +
		'before then.');
	if (!account)
		return h('div', null, intro, h('p', null, h('a', { href: link.signin(
			location.pathname + location.search) }, 'Sign in'),
		' to enter the seed as a witness.'));
	const form = h('form', { id: 'seed-form', class: 'card' },
		h('h3', null, 'Enter the seed as a witness'), intro,
		h('p', null, 'Type the text exactly as the source gave it. You may do this once; ' +
			'if you are not a witness of this polity the server says so.'),
		h('div', { class: 'field' },
			h('label', { for: 'seed-input' }, 'The text of the source'),
			h('textarea', { id: 'seed-input', name: 'text', 'data-field': 'text',
				required: true, class: 'short' })),
		h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'enter-seed' },
			'Enter the seed')));
	onSubmit(form, async (data) => {
		const out = await api('POST', '/renewals/' + r.id + '/seed', { text: data.get('text') });
		await reload(out.status === 'drawn' ? 'The seed is entered, and the draw is made.'
			: 'Your text is entered. The draw waits for another witness to enter the same.');
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
		h('h2', { id: 'quotas-h' }, 'Quotas'),
		r.quotas_unmet
			? [h('p', { id: 'quotas-unmet' }, 'The polity asks for so many seats for each ' +
				'group, but no choice of people from this pool meets every quota:'),
			h('ul', null, r.quotas_unmet.map((why) => h('li', null, why))),
			h('p', null, 'By the polity\'s rule the seats are then drawn as if there were ' +
				'no quotas: everyone in the pool has the same chance.')]
			: h('p', { id: 'quotas-how' }, 'The polity asks for so many seats for each ' +
				'group of its people. Before the seed existed, the server computed the ' +
				'fairest way to meet every quota (each person\'s chance as high as the ' +
				'quotas allow, the least likely first) and turned it into a lottery of ' +
				fmt.format(lot.tickets) + ' tickets over ' + plural(lot.panels,
				'possible assembly', 'possible assemblies') + ', each meeting every ' +
				'quota. Its commitment was published with the pool; the seed picks one ' +
				'ticket.'),
		lot ? h('p', { class: 'leaf', id: 'lottery-commitment' }, lot.commitment) : null,
		r.status === 'drawn'
			? [h('p', { id: 'quotas-met' }, r.quotas_met
				? 'Every quota holds on the seats drawn, held or awaited now.'
				: 'Not every quota holds on the seats held or awaited now.'),
			quotaChart(r.quotas, r.seats)]
			: h('p', null, 'Once drawn, the seats of each group show here against its ' +
				'quota.'));
}

function drawnSection(r) {
	if (r.status !== 'drawn')
		return h('section', { 'aria-labelledby': 'drawn-h' },
			h('h2', { id: 'drawn-h' }, 'Drawn'),
			h('p', { id: 'drawn' }, 'Nobody is drawn yet: the draw happens when the seed ' +
				'is entered. Until then nobody, the server included, can know who will be.'));
	return h('section', { 'aria-labelledby': 'drawn-h' },
		h('h2', { id: 'drawn-h' }, 'Drawn'),
		h('p', null, 'The ' + plural((r.drawn || []).length, 'seat', 'seats') +
			(r.lottery ? ' went to the people of the ticket the seed picked; the ' +
				'alternates are the rest of the pool in the order the seed ranks them, ' +
				'and a vacancy goes to the first whose group keeps every quota. '
				: ' went to the first leaves the seed ranks. ') +
			'A leaf stands for a person without naming them; each person ' +
			'knows their own from their receipt. A name shows once its person is seated.'),
		h('div', { class: 'table-wrap' }, h('table', { id: 'drawn' },
			h('caption', null, 'Drawn, in the order of the draw'),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col', class: 'num' }, 'Rank'),
				h('th', { scope: 'col' }, 'Leaf'),
				h('th', { scope: 'col' }, 'Person'),
				h('th', { scope: 'col' }, 'Summons'))),
			h('tbody', null, (r.drawn || []).map((d) => h('tr', null,
				h('td', { class: 'num' }, String(d.rank)),
				h('td', null, leaf(d.leaf)),
				h('td', null, d.name || h('span', { class: 'muted' }, 'not seated')),
				h('td', null, summonsState(d.state))))))),
		h('div', { class: 'table-wrap' }, h('table', { id: 'alternates' },
			h('caption', null, 'Alternates, called in this order when a seat falls vacant'),
			h('thead', null, h('tr', null,
				h('th', { scope: 'col', class: 'num' }, 'Rank'),
				h('th', { scope: 'col' }, 'Leaf'),
				h('th', { scope: 'col' }, 'State'))),
			h('tbody', null, (r.alternate_list || []).map((d) => h('tr', null,
				h('td', { class: 'num' }, String(d.rank)),
				h('td', null, leaf(d.leaf)),
				h('td', null, summonsState(d.state))))))));
}

function verifySection(r) {
	const base = '/api/v1/renewals/' + encodeURIComponent(r.id);
	return h('section', { 'aria-labelledby': 'verify-h' },
		h('h2', { id: 'verify-h' }, 'Verify this draw'),
		h('p', null, 'Anyone can recompute this renewal from what is published here: the ' +
			'record of the pool (its salted leaves, in order, and the commitment they hash ' +
			'to) and the seed text. The command fetches both and checks every leaf drawn, ' +
			'rank by rank.'),
		copyable(r.verify.replace(/--server URL$/, '--server ' + location.origin),
			'Copy the command'),
		h('ul', { class: 'plain', id: 'downloads' },
			h('li', null, h('a', { href: base + '/record', download: 'renewal-' + r.id +
				'-record.txt' }, 'Download the record'), ' (the committed pool: ' +
				plural(r.pool_size || 0, 'leaf', 'leaves') + ')'),
			r.status === 'drawn' ? h('li', null, h('a', { href: base + '/result',
				download: 'renewal-' + r.id + '-result.json' }, 'Download the result'),
			' (the leaves drawn and the alternates, for pnyx verify --record)') : null,
			r.stratified ? h('li', null, h('a', { href: base + '/lottery',
				download: 'renewal-' + r.id + '-lottery.json' }, 'Download the quotas ' +
				'and the lottery'), ' (each leaf\'s group, the fair chances and the ' +
				'possible assemblies)') : null),
		h('p', null, 'Were you in the pool? ', h('a', { href: link.citizenship() + '#receipts' },
			'Your receipts'), ' show your leaf and how to check it.'));
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
	const name = renewalKind(r.kind) + ' of cohort ' + r.cohort;
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
		h('p', { class: 'lead' }, 'The assembly of ',
			h('a', { href: link.polity(r.polity.slug) }, r.polity.name), ': ' +
			(drawn && (r.drawn || []).length < r.seats
				? (r.drawn || []).length + ' of its ' + plural(r.seats, 'seat', 'seats') +
					' (the whole pool; the other seats wait for another renewal)'
				: plural(r.seats, 'seat', 'seats')) +
			(drawn ? ' drawn by lot from ' : ' to be drawn by lot from ') +
			plural(r.pool_size || 0, 'citizen', 'citizens') + ', with ' +
			(drawn ? plural((r.alternate_list || []).length, 'alternate', 'alternates')
				: 'up to ' + plural(r.alternates || 0, 'alternate', 'alternates')) +
			' ranked after them.'),
		h('p', { id: 'status', class: 'status' + (message ? ' ok' : ''), role: 'status',
			tabindex: '-1', hidden: !message }, message || ''),
		h('p', { id: 'renewal-status' }, h('strong', null, renewalStatus(r.status)), '.'),
		h('section', { 'aria-labelledby': 'timetable-h' },
			h('h2', { id: 'timetable-h' }, 'The procedure'),
			timeline([
				{ label: 'Pool committed', at: r.committed_at || r.commit_at,
					done: !!r.committed_at },
				{ label: 'Seed event', at: r.draw_at, done: now >= r.draw_at },
				{ label: 'Draw', at: drawn ? Math.max(lastWitness, r.draw_at) : null,
					done: drawn, pending: 'when the witnesses agree' },
				{ label: 'Answers due', at: deadline, done: now >= deadline },
			])),
		h('section', { 'aria-labelledby': 'commit-h' },
			h('h2', { id: 'commit-h' }, 'The pool\'s commitment'),
			h('p', null, 'Published on ', when(r.committed_at || r.commit_at, true), ', ' +
				'before the seed existed: ' + plural(r.pool_size || 0, 'citizen', 'citizens') +
				', each a salted leaf, hashed together to'),
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

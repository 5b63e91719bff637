// citizenship.js: my citizenship. Where I live (changeable), my consent
// for a year and its renewal, whether I am a citizen now and until when,
// the polities I belong to, and the social insurance this deployment
// lists for its citizens. Every act is the signed-in person's own.
import { api } from '../api.js';
import { $, date, fill, h, here, link } from '../dom.js';
import { failed, header, title } from '../layout.js';
import { onSubmit } from '../forms.js';
import { commitmentOf, leafOf } from '../blake2b.js';
import { copyable, excuseReason, numberFormat, renewalLink, summonsState, when } from '../lot.js';
import { BASIS_TEXT, standingText } from '../economy.js';
import { locale, t, tx } from '../i18n.js';

const DAY = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });

function statusBox(message, kind) {
	return h('p', { id: 'status', class: 'status' + (kind ? ' ' + kind : ''),
		role: 'status', tabindex: '-1' }, message);
}

function standing(c) {
	const now = Date.now() / 1000;
	if (c.status === 'citizen')
		return h('p', { class: 'lead', id: 'standing' }, tx('You are a citizen until ' +
			'{date}. Renew your consent before then to stay one.',
		{ date: date(c.expires_at, true) }));
	if (c.status === 'resident')
		return h('p', { class: 'lead', id: 'standing' }, c.expires_at && c.expires_at <= now
			? tx('You live in {community}. Your citizenship lapsed on {date}: you are not ' +
				'drawn for service until you consent again.', {
				community: h('a', { href: link.community(c.residence.community) },
					c.residence.name), date: date(c.expires_at, true) })
			: tx('You live in {community}. You are not a citizen: residents who do not ' +
				'consent are never drawn.', {
				community: h('a', { href: link.community(c.residence.community) },
					c.residence.name) }));
	return h('p', { class: 'lead', id: 'standing' }, t('You have not said where you live ' +
		'yet. Your community decides the polities you belong to.'));
}

function residenceForm(c, communities, done) {
	const current = c.residence ? c.residence.community : '';
	const form = h('form', { id: 'residence-form' },
		h('div', { class: 'field' },
			h('label', { for: 'community' }, t('The community where you live')),
			h('select', { id: 'community', name: 'community', 'data-field': 'community',
				required: true },
			current ? null : h('option', { value: '' }, t('Choose your community')),
			communities.map((x) => h('option', { value: x.slug,
				selected: x.slug === current }, x.name)))),
		h('div', { class: 'actions' },
			h('button', { type: 'submit', id: 'save-residence' },
				current ? t('I moved here') : t('This is where I live'))));
	onSubmit(form, async (data) => {
		const out = await api('PUT', '/me/residence', { community: data.get('community') });
		await done(t('You live in {community} now.', { community: out.residence.name }));
	});
	return h('section', { class: 'card', 'aria-labelledby': 'residence-h' },
		h('h2', { id: 'residence-h' }, t('Where you live')), form);
}

function consentForm(c, done) {
	const renew = c.status === 'citizen';
	const form = h('form', { id: 'consent-form' },
		h('p', null, t('Citizenship is an explicit act, for one year from the day you give ' +
			'it. As a citizen you have the social insurance below and owe service: ' +
			'you may be drawn by lot for a seat in the assembly of a polity you belong ' +
			'to, like jury duty. Renewing is the same act, for a year from the day ' +
			'you renew. Without renewal, citizenship lapses by itself.')),
		h('div', { class: 'check' },
			h('input', { type: 'checkbox', id: 'affirm', name: 'affirm',
				'data-field': 'affirm', required: true }),
			h('label', { for: 'affirm' }, t('I consent to be a citizen for one year'))),
		h('div', { class: 'actions' },
			h('button', { type: 'submit', id: 'consent' },
				renew ? t('Renew for a year') : t('Become a citizen'))));
	onSubmit(form, async (data) => {
		const out = await api('POST', '/me/consent', { affirm: data.get('affirm') === 'on' });
		const until = DAY.format(new Date(out.expires_at * 1000));
		await done(renew ? t('Renewed: you are a citizen until {date}.', { date: until })
			: t('Welcome: you are a citizen until {date}.', { date: until }));
	});
	return h('section', { class: 'card', 'aria-labelledby': 'consent-h' },
		h('h2', { id: 'consent-h' }, renew ? t('Renew your citizenship') : t('Become a citizen')),
		c.residence ? form : h('p', null, t('Say where you live first: citizenship is ' +
			'of the polities over your community.')));
}

// The profile the polities' quotas use: one choice per category, shown to
// the person alone. Leaving a category undeclared is a choice too.
function profileForm(c, done) {
	const cats = c.profile_categories || [];
	if (!cats.length)
		return null;
	const mine = c.profile || {};
	const form = h('form', { id: 'profile-form' },
		h('p', null, t('The polities you belong to draw their assemblies so that they ' +
			'look like the people: so many seats for each group. Say which group you ' +
			'belong to, for each question below. Only you see your answers; a draw ' +
			'publishes them with your receipt\'s leaf, never with your name. ' +
			'Someone who does not say is in the pool as \u201cnot said\u201d, which ' +
			'may have fewer seats.')),
		cats.map((cat, i) => h('div', { class: 'field' },
			h('label', { for: 'profile-' + i }, cat.category),
			h('select', { id: 'profile-' + i, name: cat.category,
				'data-field': 'profile', 'data-category': cat.category },
			h('option', { value: '' }, t('I would rather not say')),
			cat.values.map((v) => h('option', { value: v,
				selected: mine[cat.category] === v }, v))))),
		h('div', { class: 'actions' },
			h('button', { type: 'submit', id: 'save-profile' }, t('Save my answers'))));
	onSubmit(form, async (data) => {
		const profile = {};
		for (const cat of cats) {
			const v = data.get(cat.category);
			if (v)
				profile[cat.category] = v;
		}
		await api('PUT', '/me/profile', { profile });
		await done(t('Your answers are saved. They count from the next draw.'));
	});
	return h('section', { class: 'card', 'aria-labelledby': 'profile-h' },
		h('h2', { id: 'profile-h' }, t('Who you are, for fair draws')), form);
}

function polities(c) {
	return h('section', { 'aria-labelledby': 'polities-h' },
		h('h2', { id: 'polities-h' }, t('Your polities')),
		c.polities.length
			? h('ul', { class: 'plain', id: 'my-polities' }, c.polities.map((p) =>
				h('li', null, h('a', { href: link.polity(p.slug) }, p.name))))
			: h('p', { id: 'my-polities' }, c.residence
				? t('No polity is over your community yet.')
				: t('Once you say where you live, the polities over your community show here.')),
		h('p', null, h('a', { href: link.polity() }, t('Every polity')), '.'));
}

function insurance(c) {
	return h('section', { 'aria-labelledby': 'insurance-h' },
		h('h2', { id: 'insurance-h' }, t('Social insurance')),
		c.insurance
			? [h('p', null, t('What this deployment gives its citizens:')),
				h('blockquote', { id: 'insurance' }, c.insurance.split(/\n\n+/).map((para) =>
					h('p', null, para)))]
			: h('p', { id: 'insurance' }, t('This deployment has not listed its social ' +
				'insurance yet.')));
}

const reasonText = excuseReason;

// the polities named so far (slug to name), for a receipt that gives a slug
const polityNames = new Map();

function polityOf(x) {
	if (typeof x === 'object' && x)
		return x;
	return { slug: x, name: polityNames.get(x) || x };
}

// One summons: what it is, its state in words, its deadline, and the
// answers it still allows (the server says which: "can").
function summonsCard(sm, done) {
	const p = polityOf(sm.polity);
	const can = sm.can || [];
	const answers = can.filter((a) => a !== 'resign');
	const id = 'summons-' + sm.id;
	const parts = [
		h('h3', null, tx('The assembly of {polity}', {
			polity: h('a', { href: link.polity(p.slug) }, p.name) })),
		h('p', { class: 'summons-state' }, h('strong', null, summonsState(sm.state)), '. ',
			tx(sm.seat ? t('Cohort {cohort}, seat {seat}; the term runs from {from} to {to}.',
				{ cohort: sm.cohort, seat: sm.seat, from: '{from}', to: '{to}' })
				: t('Cohort {cohort}; the term runs from {from} to {to}.',
					{ cohort: sm.cohort, from: '{from}', to: '{to}' }), {
				from: sm.term_starts ? date(sm.term_starts) : '—',
				to: sm.term_ends ? date(sm.term_ends) : '—' }), ' ',
			sm.renewal ? h('a', { href: renewalLink(sm.renewal) }, t('The draw')) : null,
			sm.renewal ? '.' : null),
	];
	// an excuse: the reason the person gave, and the clerk's decision on
	// it with the clerk's own reason, each kept
	const dec = sm.excuse_decision;
	if (sm.reason && (dec || ['excuse_requested', 'excused'].includes(sm.state)))
		parts.push(h('p', { class: 'excuse-asked' }, tx('You asked to be excused: {reason}.',
			{ reason: h('q', null, reasonText(sm.reason)) })));
	if (dec) {
		const granted = dec.decision === 'granted';
		const why = { reason: h('q', null, dec.reason) };
		parts.push(h('p', { class: 'excuse-decision' }, dec.reason
			? tx(granted ? t('The clerk granted your excuse, for this reason: {reason}.')
				: t('The clerk refused your excuse, for this reason: {reason}.'), why)
			: granted ? t('The clerk granted your excuse.') : t('The clerk refused your excuse.')));
	}
	const deferred = sm.no_answer === 'defer';
	if (sm.deadline && answers.length)
		parts.push(h('p', { class: 'deadline' }, tx(deferred
			? t('Answer by {deadline}. Without an answer by then, the seat goes to the next ' +
				'alternate, and you are summoned again at the next renewal of this cohort.')
			: t('Answer by {deadline}. Without an answer by then, the seat goes to the next ' +
				'alternate.'), { deadline: when(sm.deadline, true) })));
	if (answers.length) {
		const form = h('form', { id: id + '-form', class: 'answer-form' },
			h('fieldset', { 'data-field': 'answer' },
				h('legend', null, t('Your answer')),
				answers.includes('accept') ? h('div', { class: 'check' },
					h('input', { type: 'radio', name: 'answer', value: 'accept',
						id: id + '-accept', required: true }),
					h('label', { for: id + '-accept' }, t('I accept the seat'))) : null,
				answers.includes('excuse') ? h('div', { class: 'check' },
					h('input', { type: 'radio', name: 'answer', value: 'excuse',
						id: id + '-excuse' }),
					h('label', { for: id + '-excuse' }, t('I ask to be excused, for a reason ' +
						'from the polity\'s list'))) : null,
				answers.includes('defer') ? h('div', { class: 'check' },
					h('input', { type: 'radio', name: 'answer', value: 'defer',
						id: id + '-defer' }),
					h('label', { for: id + '-defer' }, t('I defer, once: I am summoned again ' +
						'at the next renewal of this cohort'))) : null),
			answers.includes('excuse') ? h('div', { class: 'field' },
				h('label', { for: id + '-reason' }, t('Reason, if you ask to be excused')),
				h('select', { id: id + '-reason', name: 'reason', 'data-field': 'reason' },
					h('option', { value: '' }, t('Choose a reason')),
					(sm.reasons || []).map((r) => h('option', { value: r }, reasonText(r)))))
				: null,
			h('div', { class: 'actions' }, h('button', { type: 'submit', id: id + '-send' },
				t('Send my answer'))));
		onSubmit(form, async (data) => {
			const answer = data.get('answer');
			const body = { answer };
			if (answer === 'excuse')
				body.reason = data.get('reason');
			const out = await api('POST', '/summons/' + sm.id + '/answer', body);
			await done(answer === 'accept' ? t('You accepted: you hold a seat in the ' +
				'assembly of {polity}.', { polity: p.name }) : answer === 'defer'
				? t('Deferred: you will be summoned again at the next renewal of this cohort.')
				: out.state === 'excused' ? t('Your request to be excused is granted.')
					: t('Your request to be excused is sent to the clerk.'));
		});
		parts.push(form);
	}
	if (can.includes('resign')) {
		const form = h('form', { id: id + '-resign', class: 'inline-form' },
			h('div', { class: 'check' },
				h('input', { type: 'checkbox', id: id + '-sure', name: 'sure',
					'data-field': 'sure', required: true }),
				h('label', { for: id + '-sure' }, t('I want to leave my seat; the next ' +
					'alternate takes it, and I cannot take it back'))),
			h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger',
				id: id + '-resign-send' }, t('Resign my seat'))));
		onSubmit(form, async () => {
			await api('POST', '/me/seat/resign', { polity: p.slug });
			await done(t('You resigned your seat in the assembly of {polity}.',
				{ polity: p.name }));
		});
		parts.push(form);
	}
	return h('li', null, h('div', { class: 'card', id }, parts));
}

function summonsSection(list, done) {
	return h('section', { 'aria-labelledby': 'summons-h', id: 'summons' },
		h('h2', { id: 'summons-h' }, t('My summons')),
		list.length
			? h('ul', { class: 'plain', id: 'summons-list' }, list.map((sm) =>
				summonsCard(sm, done)))
			: h('p', { id: 'summons-list' }, t('You have not been drawn. As a citizen you may ' +
				'be, like jury duty: a summons shows here, with the time you have to answer.')));
}

// Check in the page, with nothing asked of the server but the public
// record: my leaf from my handle and salt, that it is among the record's
// leaves, and that the leaves hash to the commitment the renewal published.
async function checkReceipt(handle, rc, out) {
	out.textContent = t('Checking…');
	try {
		const mine = leafOf(handle, rc.salt);
		if (mine !== rc.leaf)
			throw new Error(t('your handle and salt give the leaf {leaf}…, not the one this ' +
				'receipt states', { leaf: mine.slice(0, 16) }));
		const [text, r] = await Promise.all([
			fetch('/api/v1/renewals/' + encodeURIComponent(rc.renewal) + '/record')
				.then((x) => {
					if (!x.ok)
						throw new Error(t('the record could not be read ({status})',
							{ status: x.status }));
					return x.text();
				}),
			api('GET', '/renewals/' + encodeURIComponent(rc.renewal))]);
		const leaves = [];
		let stated = null;
		for (const line of text.split('\n')) {
			const l = line.trim();
			if (!l || l.startsWith('#'))
				continue;
			if (l.startsWith('commitment '))
				stated = l.slice(11);
			else
				leaves.push(l);
		}
		if (!leaves.includes(mine))
			throw new Error(t('your leaf is not in the record'));
		const got = commitmentOf(leaves);
		if (got !== stated || got !== r.commitment)
			throw new Error(t('the record does not hash to the commitment the renewal ' +
				'published'));
		out.className = 'status ok';
		out.textContent = t('Checked in this page: your leaf is one of the {n} leaves of the ' +
			'record, and the record hashes to the commitment published before the draw.',
		{ n: numberFormat.format(leaves.length) });
	} catch (e) {
		out.className = 'status bad';
		out.textContent = t('Not confirmed: {reason}.', { reason: e.message });
	}
}

function receiptsSection(handle, receipts) {
	return h('section', { 'aria-labelledby': 'receipts-h', id: 'receipts' },
		h('h2', { id: 'receipts-h' }, t('My receipts')),
		h('p', null, t('Each renewal whose pool held you gives you a receipt: your salt, kept ' +
			'for you alone, and the leaf it makes with your handle. Only your leaf is ' +
			'published; with your receipt you can check that you were in the pool, and ' +
			'whether your leaf was drawn.')),
		receipts.length
			? h('ul', { class: 'plain', id: 'receipt-list' }, receipts.map((rc) => {
				const p = polityOf(rc.polity);
				const out = h('p', { class: 'status', role: 'status', hidden: true });
				const button = h('button', { type: 'button', class: 'secondary',
					id: 'check-' + rc.renewal }, t('Check it in this page'));
				button.addEventListener('click', () => {
					out.hidden = false;
					checkReceipt(handle, rc, out);
				});
				return h('li', null, h('div', { class: 'card', id: 'receipt-' + rc.renewal },
					h('h3', null, h('a', { href: renewalLink(rc.renewal) },
						t('The renewal of {polity}', { polity: p.name }))),
					h('dl', { class: 'facts' },
						h('dt', null, t('Your leaf')), h('dd', { class: 'leaf' }, rc.leaf),
						h('dt', null, t('Your salt')), h('dd', { class: 'leaf' }, rc.salt)),
					h('p', null, t('Check it on your own computer, from the published record:')),
					copyable('pnyx polity verify ' + p.slug + ' --renewal ' + rc.renewal +
						' --server ' + location.origin + ' --receipt ' + handle + ' --salt ' +
						rc.salt, t('Copy the command')),
					h('p', { class: 'muted' }, tx('Or with the record downloaded from the ' +
						'renewal\'s page: {command}', { command: h('code', { translate: 'no' },
						'pnyx verify --record renewal-' + rc.renewal + '-record.txt --receipt ' +
						handle + ' --salt ' + rc.salt) })),
					h('div', { class: 'actions' }, button), out));
			}))
			: h('p', { id: 'receipt-list' }, t('No pool has held you yet.')));
}

// My standing in the sharing economy (docs/economy.md): where it comes
// from, and the basis on which I count as contributing reasonably, which
// I record myself and the local assembly may review.
function economySection(st, done) {
	const now = st.standing;
	const from = now.source === 'by_name' ? t('as your local assembly decided by name.')
		: now.source === 'basis' ? t('on the basis you recorded: {basis}.',
			{ basis: BASIS_TEXT[st.basis.basis] })
			: now.source === 'enterprise' ? t('as the enterprise you work in.')
				: t('no local assembly has decided it, and you recorded no basis.');
	const form = h('form', { id: 'basis-form' },
		h('div', { class: 'field' },
			h('label', { for: 'basis' }, t('I contribute reasonably as')),
			h('select', { id: 'basis', name: 'basis', 'data-field': 'basis' },
				h('option', { value: 'none', selected: !st.basis }, t('None of these')),
				Object.entries(BASIS_TEXT).map(([v, words]) => h('option', { value: v,
					selected: st.basis && st.basis.basis === v }, words)))),
		h('div', { class: 'field' },
			h('label', { for: 'basis-note' }, t('A note (optional)')),
			h('textarea', { id: 'basis-note', name: 'note', 'data-field': 'note',
				class: 'short', maxlength: 1000 }, st.basis ? st.basis.note : '')),
		h('p', { class: 'hint' }, t('Children, retired people, carers, students and ' +
			'people unable to work count as contributing reasonably. What you record ' +
			'is public, like every record here, and open to your assembly\'s review: ' +
			'write no more than you want everyone to read.')),
		h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'save-basis' },
			t('Save'))));
	onSubmit(form, async (data) => {
		await api('PUT', '/me/standing-basis', { basis: data.get('basis'),
			note: String(data.get('note') || '').trim() });
		await done(t('Your basis is saved.'));
	});
	return h('section', { class: 'card', id: 'economy-standing',
		'aria-labelledby': 'economy-h' },
	h('h2', { id: 'economy-h' }, t('Your standing in the sharing economy')),
	h('p', null, h('strong', null, standingText(now.standing)), ', ' + from),
	form);
}

async function mySummons() {
	try {
		return await api('GET', '/me/summons');
	} catch (e) {
		if (e.status === 404) // a server without the draws
			return { summons: [], receipts: [] };
		throw e;
	}
}

async function render(message) {
	const [account, { communities }, mine] = await Promise.all([
		api('GET', '/me'), api('GET', '/communities'), mySummons()]);
	const economy = await api('GET', '/people/' + encodeURIComponent(account.handle) +
		'/standing');
	const c = account.citizenship;
	for (const p of c.polities || [])
		polityNames.set(p.slug, p.name);
	for (const sm of mine.summons || [])
		if (sm.polity && typeof sm.polity === 'object')
			polityNames.set(sm.polity.slug, sm.polity.name);
	const summoned = (mine.summons || []).length > 0;
	const done = async (msg) => {
		await render(msg);
		$('#status').focus();
	};
	fill($('#main'),
		h('h1', null, t('My citizenship')),
		message ? statusBox(message, 'ok') : null,
		standing(c),
		// a summons to answer comes first; else where one lives does
		summoned ? summonsSection(mine.summons, done) : null,
		residenceForm(c, communities, done),
		consentForm(c, done),
		profileForm(c, done),
		summoned ? null : summonsSection([], done),
		receiptsSection(account.handle, mine.receipts || []),
		polities(c),
		insurance(c),
		economySection(economy, done));
	$('#main').removeAttribute('aria-busy');
}

async function main() {
	const account = await header();
	title(t('My citizenship'));
	if (!account) {
		fill($('#main'), h('h1', null, t('My citizenship')),
			h('p', null, tx('{signin} or {signup} to say where you live and to become a ' +
				'citizen.', { signin: h('a', { href: link.signin(here()) }, t('Sign in')),
				signup: h('a', { href: link.signup(here()) }, t('sign up')) })));
		$('#main').removeAttribute('aria-busy');
		return;
	}
	try {
		await render(null);
	} catch (e) {
		failed('Your citizenship', e);
	}
}

main();

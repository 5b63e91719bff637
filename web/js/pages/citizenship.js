// citizenship.js: my citizenship. Where I live (changeable), my consent
// for a year and its renewal, whether I am a citizen now and until when,
// the polities I belong to, and the social insurance this deployment
// lists for its citizens. Every act is the signed-in person's own.
import { api } from '../api.js';
import { $, date, fill, h, here, link } from '../dom.js';
import { failed, header, title } from '../layout.js';
import { onSubmit } from '../forms.js';

const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function statusBox(message, kind) {
	return h('p', { id: 'status', class: 'status' + (kind ? ' ' + kind : ''),
		role: 'status', tabindex: '-1' }, message);
}

function standing(c) {
	const now = Date.now() / 1000;
	if (c.status === 'citizen')
		return h('p', { class: 'lead', id: 'standing' }, 'You are a citizen until ',
			date(c.expires_at, true), '. Renew your consent before then to stay one.');
	if (c.status === 'resident')
		return h('p', { class: 'lead', id: 'standing' }, 'You live in ',
			h('a', { href: link.community(c.residence.community) }, c.residence.name),
			c.expires_at && c.expires_at <= now
				? ['. Your citizenship lapsed on ', date(c.expires_at, true),
					': you are not drawn for service until you consent again.']
				: '. You are not a citizen: residents who do not consent are never drawn.');
	return h('p', { class: 'lead', id: 'standing' }, 'You have not said where you live ' +
		'yet. Your community decides the polities you belong to.');
}

function residenceForm(c, communities, done) {
	const current = c.residence ? c.residence.community : '';
	const form = h('form', { id: 'residence-form' },
		h('div', { class: 'field' },
			h('label', { for: 'community' }, 'The community where you live'),
			h('select', { id: 'community', name: 'community', 'data-field': 'community',
				required: true },
			current ? null : h('option', { value: '' }, 'Choose your community'),
			communities.map((x) => h('option', { value: x.slug,
				selected: x.slug === current }, x.name)))),
		h('div', { class: 'actions' },
			h('button', { type: 'submit', id: 'save-residence' },
				current ? 'I moved here' : 'This is where I live')));
	onSubmit(form, async (data) => {
		const out = await api('PUT', '/me/residence', { community: data.get('community') });
		await done('You live in ' + out.residence.name + ' now.');
	});
	return h('section', { class: 'card', 'aria-labelledby': 'residence-h' },
		h('h2', { id: 'residence-h' }, 'Where you live'), form);
}

function consentForm(c, done) {
	const renew = c.status === 'citizen';
	const form = h('form', { id: 'consent-form' },
		h('p', null, 'Citizenship is an explicit act, for one year from the day you give ' +
			'it. As a citizen you have the social insurance below and owe service: ' +
			'you may be drawn by lot for a seat in the assembly of a polity you belong ' +
			'to, like jury duty. Renewing is the same act, for a year from the day ' +
			'you renew. Without renewal, citizenship lapses by itself.'),
		h('div', { class: 'check' },
			h('input', { type: 'checkbox', id: 'affirm', name: 'affirm',
				'data-field': 'affirm', required: true }),
			h('label', { for: 'affirm' }, 'I consent to be a citizen for one year')),
		h('div', { class: 'actions' },
			h('button', { type: 'submit', id: 'consent' },
				renew ? 'Renew for a year' : 'Become a citizen')));
	onSubmit(form, async (data) => {
		const out = await api('POST', '/me/consent', { affirm: data.get('affirm') === 'on' });
		await done((renew ? 'Renewed: you are a citizen until ' : 'Welcome: you are a ' +
			'citizen until ') + DAY.format(new Date(out.expires_at * 1000)) + '.');
	});
	return h('section', { class: 'card', 'aria-labelledby': 'consent-h' },
		h('h2', { id: 'consent-h' }, renew ? 'Renew your citizenship' : 'Become a citizen'),
		c.residence ? form : h('p', null, 'Say where you live first: citizenship is ' +
			'of the polities over your community.'));
}

function polities(c) {
	return h('section', { 'aria-labelledby': 'polities-h' },
		h('h2', { id: 'polities-h' }, 'Your polities'),
		c.polities.length
			? h('ul', { class: 'plain', id: 'my-polities' }, c.polities.map((p) =>
				h('li', null, h('a', { href: link.polity(p.slug) }, p.name))))
			: h('p', { id: 'my-polities' }, c.residence
				? 'No polity is over your community yet.'
				: 'Once you say where you live, the polities over your community show here.'),
		h('p', null, h('a', { href: link.polity() }, 'Every polity'), '.'));
}

function insurance(c) {
	return h('section', { 'aria-labelledby': 'insurance-h' },
		h('h2', { id: 'insurance-h' }, 'Social insurance'),
		c.insurance
			? [h('p', null, 'What this deployment gives its citizens:'),
				h('blockquote', { id: 'insurance' }, c.insurance.split(/\n\n+/).map((para) =>
					h('p', null, para)))]
			: h('p', { id: 'insurance' }, 'This deployment has not listed its social ' +
				'insurance yet.'));
}

async function render(message) {
	const [account, { communities }] = await Promise.all([
		api('GET', '/me'), api('GET', '/communities')]);
	const c = account.citizenship;
	const done = async (msg) => {
		await render(msg);
		$('#status').focus();
	};
	fill($('#main'),
		h('h1', null, 'My citizenship'),
		message ? statusBox(message, 'ok') : null,
		standing(c),
		residenceForm(c, communities, done),
		consentForm(c, done),
		polities(c),
		insurance(c));
	$('#main').removeAttribute('aria-busy');
}

async function main() {
	const account = await header();
	title('My citizenship');
	if (!account) {
		fill($('#main'), h('h1', null, 'My citizenship'),
			h('p', null, h('a', { href: link.signin(here()) }, 'Sign in'), ' or ',
				h('a', { href: link.signup(here()) }, 'sign up'),
				' to say where you live and to become a citizen.'));
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

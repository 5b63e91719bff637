// layout.js: what every page shares: the account area of the header
// (sign in and sign up links, or who is signed in, their notifications
// with the number unread, and a sign-out button), the status line, and a
// way to report a failure to load.

import { api, me } from './api.js';
import { $, fill, h, here, link } from './dom.js';
import { clearErrors } from './forms.js';
import { lang, languageName, languages, remember, t, tn } from './i18n.js';

// The header's choice of language: the person's setting when signed in
// (PUT /me/language), this browser's choice otherwise. The page reloads
// in the language chosen.
function languageChooser(account) {
	if (languages.length < 2)
		return null;
	const select = h('select', { id: 'page-language', 'aria-label': t('Language') },
		languages.map((l) => h('option', { value: l, lang: l, selected: l === lang },
			languageName(l))));
	select.addEventListener('change', async () => {
		select.disabled = true;
		try {
			if (account)
				await api('PUT', '/me/language', { language: select.value });
			remember(select.value);
			location.reload();
		} catch (e) {
			select.disabled = false;
			status(e.message, 'bad');
		}
	});
	return select;
}

// Fill the header's account area; resolves to the account or null.
export async function header() {
	const area = $('#account');
	let account = null;
	try {
		account = await me();
	} catch (e) {
		account = null;
	}
	if (!area)
		return account;
	if (!account) {
		const next = location.pathname === '/signin.html' ||
			location.pathname === '/signup.html' ? null : here();
		fill(area,
			h('a', { href: link.signin(next) }, t('Sign in')),
			h('a', { href: link.signup(next), class: 'button' }, t('Sign up')),
			languageChooser(null));
		return null;
	}
	const out = h('button', { type: 'button', class: 'link-button',
		id: 'sign-out' }, t('Sign out'));
	out.addEventListener('click', async () => {
		out.disabled = true;
		try {
			await api('DELETE', '/sessions/current');
		} catch (e) {
			// Already signed out elsewhere: nothing left to end.
		}
		location.assign('/');
	});
	const bell = h('a', { href: '/notifications.html', id: 'notices-link',
		class: 'notices-link' }, t('Notifications'));
	if (location.pathname === '/notifications.html')
		bell.setAttribute('aria-current', 'page');
	// residence and citizenship by yearly consent (docs/polities.md)
	const citizen = h('a', { href: link.citizenship(), id: 'citizenship-link' },
		t('My citizenship'));
	if (location.pathname === '/citizenship.html')
		citizen.setAttribute('aria-current', 'page');
	fill(area,
		h('span', { class: 'who' }, t('Signed in as'), ' ',
			h('strong', null, account.display_name),
			h('span', { class: 'handle' }, ' @' + account.handle)),
		citizen, bell, out, languageChooser(account));
	unread();
	// what concerns the person arrives while the page is open too
	setInterval(unread, 60000);
	return account;
}

// Show the number of unread notifications in the header's link (nothing
// when there are none); resolves to the number. Pages that mark some
// read call it again.
export async function unread() {
	const bell = $('#notices-link');
	if (!bell)
		return 0;
	let n = 0;
	try {
		n = (await api('GET', '/me/notifications/count')).unread;
	} catch (e) {
		return 0; // the header is not the place to report it
	}
	fill(bell, t('Notifications'), n ? h('span', { class: 'notice-count',
		id: 'notice-count' }, String(n)) : null);
	bell.setAttribute('aria-label', n ? tn('Notifications, {n} unread',
		'Notifications, {n} unread', n) : t('Notifications'));
	return n;
}

// Announce a short message in the page's status line (aria-live). A
// success makes every refusal still shown on the page stale: they go.
export function status(message, kind) {
	const el = $('#status');
	if (kind === 'ok')
		clearAllErrors();
	if (!el)
		return;
	el.className = 'status' + (kind ? ' ' + kind : '');
	el.textContent = message;
	el.hidden = !message;
	el.dataset.shownAt = String(Date.now());
}

// The errors shown in every form of the page go.
export function clearAllErrors() {
	for (const f of document.querySelectorAll('form'))
		clearErrors(f);
}

// The page changed state by someone else's doing (a live event): what an
// earlier action said, and the refusals shown, are stale. A message shown
// in the last moment (olderThan ms) stays: it is about this very change;
// so does a form's refusal shown in that moment (the news of a change the
// page made itself may come after the page went on to the next action).
export function clearStale(olderThan = 2000) {
	const el = $('#status');
	if (el && !el.hidden && Date.now() - Number(el.dataset.shownAt || 0) < olderThan)
		return;
	if (el)
		el.hidden = true;
	const fresh = (e) => Date.now() - Number(e.dataset.shownAt || 0) < olderThan;
	for (const f of document.querySelectorAll('form'))
		if (![...f.querySelectorAll('.field-error, .form-error')].some(fresh))
			clearErrors(f);
}

// Replace the main content with a message about what could not load
// (where: "This meeting"). Something that does not exist gets a page
// that says so ("Meeting not found"; the server answered the page itself
// with status 404); a failure to load says what failed. where is English,
// as the callers write it; the sentences are whole msgids per thing, for
// languages whose words agree with the thing (found in WHERE below).
const WHERE = {
	'This assembly': [N_('Assembly not found'), N_('Could not load assembly'),
		N_('This assembly does not exist.'), N_('This assembly could not be loaded: {why}')],
	'This meeting': [N_('Meeting not found'), N_('Could not load meeting'),
		N_('This meeting does not exist.'), N_('This meeting could not be loaded: {why}')],
	'This motion': [N_('Motion not found'), N_('Could not load motion'),
		N_('This motion does not exist.'), N_('This motion could not be loaded: {why}')],
	'This law register': [N_('Law register not found'), N_('Could not load law register'),
		N_('This law register does not exist.'),
		N_('This law register could not be loaded: {why}')],
	'This community': [N_('Community not found'), N_('Could not load community'),
		N_('This community does not exist.'), N_('This community could not be loaded: {why}')],
	'This enterprise': [N_('Enterprise not found'), N_('Could not load enterprise'),
		N_('This enterprise does not exist.'),
		N_('This enterprise could not be loaded: {why}')],
	'This militia': [N_('Militia not found'), N_('Could not load militia'),
		N_('This militia does not exist.'), N_('This militia could not be loaded: {why}')],
	'Militias': [N_('Militias not found'), N_('Could not load the militias'),
		N_('These militias do not exist.'), N_('The militias could not be loaded: {why}')],
	'This proposal': [N_('Proposal not found'), N_('Could not load proposal'),
		N_('This proposal does not exist.'), N_('This proposal could not be loaded: {why}')],
	'This renewal': [N_('Renewal not found'), N_('Could not load renewal'),
		N_('This renewal does not exist.'), N_('This renewal could not be loaded: {why}')],
	'This standing review': [N_('Standing review not found'),
		N_('Could not load standing review'), N_('This standing review does not exist.'),
		N_('This standing review could not be loaded: {why}')],
	'This item': [N_('Item not found'), N_('Could not load item'),
		N_('This item does not exist.'), N_('This item could not be loaded: {why}')],
	'This case': [N_('Case not found'), N_('Could not load case'),
		N_('This case does not exist.'), N_('This case could not be loaded: {why}')],
	'This polity': [N_('Polity not found'), N_('Could not load polity'),
		N_('This polity does not exist.'), N_('This polity could not be loaded: {why}')],
	'The list of polities': [N_('Polities not found'), N_('Could not load the polities'),
		N_('The list of polities does not exist.'),
		N_('The list of polities could not be loaded: {why}')],
	'Your citizenship': [N_('Citizenship not found'), N_('Could not load your citizenship'),
		N_('Your citizenship does not exist.'),
		N_('Your citizenship could not be loaded: {why}')],
	'This sharing economy': [N_('Sharing economy not found'),
		N_('Could not load sharing economy'), N_('This sharing economy does not exist.'),
		N_('This sharing economy could not be loaded: {why}')],
	'Sharing economies': [N_('Sharing economies not found'),
		N_('Could not load the sharing economies'),
		N_('These sharing economies do not exist.'),
		N_('The sharing economies could not be loaded: {why}')],
	'Your notifications': [N_('Notifications not found'),
		N_('Could not load your notifications'), N_('Your notifications do not exist.'),
		N_('Your notifications could not be loaded: {why}')],
};
function N_(s) {
	return s;
}

export function failed(where, e) {
	const main = $('#main');
	const thing = where.replace(/^This /, '');
	const missing = e && e.status === 404;
	const why = (e && e.message) || e;
	const words = WHERE[where];
	const head = words ? t(words[missing ? 0 : 1])
		: missing ? thing.charAt(0).toUpperCase() + thing.slice(1) + ' not found'
		: 'Could not load ' + thing;
	fill(main, h('h1', null, head),
		h('p', { role: 'alert' }, missing
			? (words ? t(words[2]) : where + ' does not exist.') + ' ' +
			t('The address may have been mistyped, or the link that led here is out of date.')
			: words ? t(words[3], { why }) : where + ' could not be loaded: ' + why),
		h('p', null, h('a', { href: '/' }, t('Back to the home page')),
			t(', where your assemblies and their meetings are listed.')));
	title(head);
	main.removeAttribute('aria-busy');
}

export function title(text) {
	document.title = text + ' · pnyx';
}

// layout.js: what every page shares: the account area of the header
// (sign in and sign up links, or who is signed in, their notifications
// with the number unread, and a sign-out button), the status line, and a
// way to report a failure to load.

import { api, me } from './api.js';
import { $, fill, h, here, link } from './dom.js';

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
			h('a', { href: link.signin(next) }, 'Sign in'),
			h('a', { href: link.signup(next), class: 'button' }, 'Sign up'));
		return null;
	}
	const out = h('button', { type: 'button', class: 'link-button',
		id: 'sign-out' }, 'Sign out');
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
		class: 'notices-link' }, 'Notifications');
	if (location.pathname === '/notifications.html')
		bell.setAttribute('aria-current', 'page');
	fill(area,
		h('span', { class: 'who' }, 'Signed in as ',
			h('strong', null, account.display_name),
			h('span', { class: 'handle' }, ' @' + account.handle)),
		bell, out);
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
	fill(bell, 'Notifications', n ? h('span', { class: 'notice-count',
		id: 'notice-count' }, String(n)) : null);
	bell.setAttribute('aria-label', n ? 'Notifications, ' + n + ' unread'
		: 'Notifications');
	return n;
}

// Announce a short message in the page's status line (aria-live).
export function status(message, kind) {
	const el = $('#status');
	if (!el)
		return;
	el.className = 'status' + (kind ? ' ' + kind : '');
	el.textContent = message;
	el.hidden = !message;
}

// Replace the main content with a message about what could not load.
export function failed(where, e) {
	const main = $('#main');
	const msg = e && e.status === 404 ? where + ' does not exist.'
		: where + ' could not be loaded: ' + ((e && e.message) || e);
	fill(main, h('h1', null, 'Not available'),
		h('p', { role: 'alert' }, msg),
		h('p', null, h('a', { href: '/' }, 'Back to the home page')));
	main.removeAttribute('aria-busy');
}

export function title(text) {
	document.title = text + ' · pnyx';
}

// notifications.js: the signed-in person's notifications, newest first,
// a page at a time; following one marks it read; "mark all as read"
// marks every one up to the newest shown. Below, whether to receive them
// by e-mail, and where.
import { api } from '../api.js';
import { $, date, fill, h, here, link, param } from '../dom.js';
import { onSubmit } from '../forms.js';
import { t, tn, tx } from '../i18n.js';
import { failed, header, status, title, unread } from '../layout.js';

const PAGE = 30;

async function markRead(body) {
	const r = await api('POST', '/me/notifications/read', body);
	await unread();
	return r;
}

function item(n) {
	const a = h('a', { href: n.link }, n.text);
	a.addEventListener('click', async (ev) => {
		if (n.read || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0)
			return;
		ev.preventDefault();
		try {
			await markRead({ id: n.id });
		} catch (e) {
			// going there matters more than the mark
		}
		location.assign(n.link);
	});
	return h('li', { class: n.read ? 'read' : 'unread', id: 'notice-' + n.id },
		n.read ? null : h('span', { class: 'visually-hidden' }, t('New:') + ' '),
		a, h('span', { class: 'when' }, date(n.at, true)));
}

async function list(before) {
	const q = '?limit=' + PAGE + (before ? '&before=' + before : '');
	const page = await api('GET', '/me/notifications' + q);
	const items = page.notifications;
	fill($('#notices'), items.length
		? h('ul', { class: 'plain notices', id: 'notice-list' }, items.map(item))
		: h('p', null, before ? t('No older notifications.')
			: t('Nothing yet. When something concerns you, it appears here.')));
	const all = $('#mark-all');
	all.hidden = !(page.unread > 0 && items.length && !before);
	all.onclick = async () => {
		all.disabled = true;
		try {
			const r = await markRead({ up_to: items[0].id });
			status(tn('{n} notification marked as read.', '{n} notifications marked as read.',
				r.marked), 'ok');
			await list(before);
		} catch (e) {
			status(t('Could not mark them as read: {why}', { why: e.message }), 'bad');
		} finally {
			all.disabled = false;
		}
	};
	const nav = [];
	if (before)
		nav.push(h('a', { href: '/notifications.html', rel: 'first' }, t('Newest')));
	if (page.next)
		nav.push(h('a', { href: '/notifications.html?before=' + page.next, rel: 'next' },
			t('Older')));
	fill($('#pager'), nav);
}

async function mail() {
	const [settings, health] = await Promise.all([api('GET', '/me/settings'),
		api('GET', '/health')]);
	const form = $('#mail-form');
	form.email.value = settings.email || '';
	form.mail.checked = settings.mail;
	$('#mail-server').textContent = health.mail && health.mail.configured
		? t('This server sends mail.')
		: t('This server does not send mail at the moment: your choice is kept for when it does.');
	$('#mail-section').hidden = false;
	onSubmit(form, async (data) => {
		const email = String(data.get('email') || '').trim();
		const saved = await api('PUT', '/me/settings',
			{ email: email || null, mail: form.mail.checked });
		form.email.value = saved.email || '';
		form.mail.checked = saved.mail;
		status(saved.mail ? t('Saved: your notifications will come by e-mail to {email}.',
			{ email: saved.email }) : t('Saved: no e-mail.'), 'ok');
	});
}

header().then(async (account) => {
	title(t('Notifications'));
	const main = $('#main');
	if (!account) {
		fill(main, h('h1', null, t('Notifications')),
			h('p', null, tx('{signin} to see what concerns you.', {
				signin: h('a', { href: link.signin(here()) }, t('Sign in')) })));
		main.removeAttribute('aria-busy');
		return;
	}
	try {
		const before = Number(param('before')) || 0;
		await Promise.all([list(before), mail()]);
	} catch (e) {
		failed('Your notifications', e);
		return;
	}
	main.removeAttribute('aria-busy');
});

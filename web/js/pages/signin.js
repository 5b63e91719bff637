// signin.js: sign in (the server sets an HttpOnly session cookie) and go
// back to the page that sent the person here.
import { api } from '../api.js';
import { $, h, link, param, safeNext } from '../dom.js';
import { onSubmit } from '../forms.js';
import { t, tx } from '../i18n.js';
import { header } from '../layout.js';

header().then((account) => {
	if (account)
		$('#signin-form').before(h('p', { class: 'status' }, tx('You are signed in as {name}. You may sign in as someone else below, or {home}.', {
			name: account.display_name,
			home: h('a', { href: '/' }, t('go to the home page')) })));
});
const next = safeNext(param('next'));
$('#other-link').href = link.signup(param('next') ? next : null);

onSubmit($('#signin-form'), async (data) => {
	await api('POST', '/sessions', {
		handle: String(data.get('handle')).trim(),
		password: String(data.get('password')),
	});
	location.assign(next);
});

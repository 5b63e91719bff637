// signup.js: create an account, sign in with it, and go back to the page
// that sent the person here (?next=, a path on this site only).
import { api } from '../api.js';
import { $, h, link, param, safeNext } from '../dom.js';
import { onSubmit } from '../forms.js';
import { t, tx } from '../i18n.js';
import { header } from '../layout.js';

header().then((account) => {
	if (account)
		$('#signup-form').before(h('p', { class: 'status' }, tx('You are signed in as {name}. You may create another account below, or {home}.', {
			name: account.display_name,
			home: h('a', { href: '/' }, t('go to the home page')) })));
});
const next = safeNext(param('next'));
$('#other-link').href = link.signin(param('next') ? next : null);

onSubmit($('#signup-form'), async (data) => {
	const handle = String(data.get('handle')).trim();
	const password = String(data.get('password'));
	await api('POST', '/accounts', {
		handle,
		display_name: String(data.get('display_name')).trim(),
		password,
	});
	await api('POST', '/sessions', { handle, password });
	location.assign(next);
});

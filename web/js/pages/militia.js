// militia.js: one volunteer militia (?slug=S), or every militia (no slug)
// (docs/economy.md): its purpose as the assemblies that formed it stated
// it, which of them have decided, its volunteers (all equal) and offices
// (duties only), its meetings, and the signed-in person's way in or out:
// a member of a forming assembly volunteers and leaves freely. It is
// formed and dissolved by those assemblies' motions, not here.
import { api, me } from '../api.js';
import { $, date, fill, h, link, meetingTime, param } from '../dom.js';
import { onSubmit } from '../forms.js';
import { t, tn, tx } from '../i18n.js';
import { failed, header, status, title } from '../layout.js';
import { markdown, ruleText, rruleText } from '../text.js';

const STATE = {
	forming: t('A volunteer militia. Being formed: it exists once every assembly below has ' +
		'adopted the same decision.'),
	active: t('A volunteer militia. Formed by the decision of every assembly below.'),
	dissolved: t('A volunteer militia. Dissolved by the decision of an assembly that ' +
		'formed it.'),
};

function assembliesSection(m) {
	return h('section', { 'aria-labelledby': 'formed-h' },
		h('h2', { id: 'formed-h' }, t('Formed by')),
		h('ul', { id: 'assembly-list' }, m.assemblies.map((a) => h('li', null,
			h('a', { href: link.assembly(a.slug) }, a.name), ': ',
			a.adopted_by ? h('a', { href: link.motion(a.adopted_by) },
				tx('decided on {when}', { when: date(a.at) })) : t('not decided yet')))),
		m.dissolved_by ? h('p', { id: 'dissolved' }, tx('Dissolved on {when} by {decision}.', {
			when: date(m.dissolved_at),
			decision: h('a', { href: link.motion(m.dissolved_by) },
				t('an assembly\'s decision')) })) : null);
}

function volunteersSection(m) {
	return h('section', { class: 'card', 'aria-labelledby': 'volunteers-h' },
		h('h2', { id: 'volunteers-h' }, tn('{n} volunteer', '{n} volunteers', m.members)),
		h('p', { class: 'hint' }, t('Every volunteer has one equal vote. Nobody ' +
			'decides who joins or leaves: each does so freely.')),
		m.member_list.length ? h('ul', { id: 'volunteer-list' }, m.member_list.map((v) =>
			h('li', null, v.display_name, ' ',
				h('span', { class: 'muted' }, tx('since {date}', { date: date(v.since) })))))
			: h('p', { class: 'muted' }, t('No volunteers now.')),
		h('h3', null, t('Offices')),
		m.offices.length ? h('ul', { id: 'office-list' }, m.offices.map((o) =>
			h('li', null, h('strong', null, o.name), ' (', o.duties, '): ',
				o.holder ? o.holder : t('vacant'))))
			: h('p', { class: 'muted' }, t('No offices yet.')),
		h('p', { class: 'hint' }, t('Officers are elected by the volunteers and ' +
			'recalled by them at any moment. They have duties, never power over ' +
			'anyone, and no rank or insignia.')));
}

function meetingsSection(slug, meetings, tz) {
	const next = (meetings.upcoming || []).slice(0, 3);
	return h('section', { 'aria-labelledby': 'meetings-h' },
		h('h2', { id: 'meetings-h' }, t('Meetings')),
		next.length ? h('ul', null, next.map((x) => h('li', null,
			h('a', { href: link.meeting(x.id) }, meetingTime(x.starts_at, tz)),
			x.place ? ', ' + x.place : '',
			x.state === 'open' ? ' ' + t('(in session now)') : '')))
			: h('p', { class: 'muted' }, t('No meeting ahead.')),
		h('p', null, h('a', { href: link.assembly(slug) },
			t('Motions, decisions and the full calendar'))));
}

function membership(m, account, reload) {
	const box = h('section', { class: 'card', id: 'membership',
		'aria-labelledby': 'membership-h' },
	h('h2', { id: 'membership-h' }, t('Volunteering')));
	if (m.status !== 'active') {
		box.append(h('p', null, m.status === 'dissolved'
			? t('It was dissolved: nobody volunteers in it any more.')
			: t('Volunteers join once it is formed.')));
		return box;
	}
	if (!account) {
		box.append(h('p', null, tx('Sign in to volunteer: {signin}.', {
			signin: h('a', { href: link.signin(location.pathname + location.search) },
				t('sign in')) })));
		return box;
	}
	const member = m.member_list.some((v) => v.handle === account.handle);
	const form = member
		? h('form', { id: 'leave-form' },
			h('p', null, t('You volunteer here. You may leave at any time, at once.')),
			h('div', { class: 'actions' }, h('button', { type: 'submit',
				class: 'secondary' }, t('Leave {militia}', { militia: m.name }))))
		: h('form', { id: 'join-form' },
			h('p', null, t('Members of the assemblies that formed it volunteer ' +
				'freely, with no one\'s decision.')),
			h('div', { class: 'check' },
				h('input', { type: 'checkbox', id: 'affirm', name: 'affirm',
					'data-field': 'affirm', required: true }),
				h('label', { for: 'affirm' }, t('I share its purpose and volunteer ' +
					'as an equal member'))),
			h('div', { class: 'actions' }, h('button', { type: 'submit' },
				t('Volunteer'))));
	onSubmit(form, async (data) => {
		const path = '/bodies/' + encodeURIComponent(m.slug) + '/members';
		if (member)
			await api('DELETE', path + '/me');
		else
			await api('POST', path, { affirm: data.get('affirm') === 'on',
				basis: 'volunteer' });
		await reload();
		status(member ? t('You have left {assembly}.', { assembly: m.name })
			: t('You volunteer in {militia}.', { militia: m.name }), 'ok');
	});
	box.append(form);
	return box;
}

async function show(slug) {
	const main = $('#main');
	const account = await me().catch(() => null);
	const reload = async () => {
		let m, meetings = {};
		try {
			m = await api('GET', '/militias/' + encodeURIComponent(slug));
			if (m.status === 'active')
				meetings = await api('GET', '/bodies/' + encodeURIComponent(slug) +
					'/meetings');
		} catch (err) {
			failed('This militia', err);
			return;
		}
		title(m.name);
		fill(main,
			h('h1', null, m.name),
			h('p', { class: 'lede', id: 'state' }, STATE[m.status] ||
				t('A volunteer militia.')),
			h('div', { id: 'status', class: 'status', role: 'status', hidden: true }),
			h('section', { 'aria-labelledby': 'purpose-h' },
				h('h2', { id: 'purpose-h' }, t('Purpose')),
				h('div', { class: 'prose', id: 'purpose' }, markdown(m.purpose))),
			assembliesSection(m),
			m.rules ? h('p', null, t('It decides by {rule}.',
				{ rule: ruleText(m.rules.default) })) : null,
			m.schedule ? h('p', null, t('It meets: {when}.', { when: rruleText(m.schedule.rrule) ||
				m.schedule_text })) : m.schedule_text
				? h('p', null, t('It meets: {when}.', { when: m.schedule_text })) : null,
			h('p', { class: 'hint' }, t('Nothing it decides is law: it is bound by ' +
				'the laws of the assemblies that formed it. What it needs comes ' +
				'only through the sharing economy.')),
			membership(m, account, reload),
			m.member_list ? volunteersSection(m) : null,
			m.status === 'active' ? meetingsSection(slug, meetings,
				m.schedule ? m.schedule.tz : 'UTC') : null);
		main.removeAttribute('aria-busy');
	};
	await reload();
}

async function list() {
	const main = $('#main');
	let all;
	try {
		all = (await api('GET', '/militias')).militias;
	} catch (err) {
		failed('Militias', err);
		return;
	}
	title(t('Militias'));
	fill(main,
		h('h1', null, t('Volunteer militias')),
		h('p', { class: 'lede' }, t('Formed by the decision of local assemblies, ' +
			'joined and left freely by their members.')),
		all.length ? h('ul', { id: 'militia-list' }, all.map((m) => h('li', null,
			h('a', { href: link.militia(m.slug) }, m.name), ': ',
			m.status === 'active' ? tn('{n} volunteer', '{n} volunteers', m.members)
				: m.status === 'dissolved' ? t('dissolved') : t('being formed'),
			', ', t('formed by {assemblies}',
				{ assemblies: m.assemblies.map((a) => a.name).join(', ') }))))
			: h('p', { class: 'muted' }, t('No militia has been formed.')));
	main.removeAttribute('aria-busy');
}

async function main() {
	await header();
	const slug = param('slug');
	if (slug)
		await show(slug);
	else
		await list();
}

main();

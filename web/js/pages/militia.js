// militia.js: one volunteer militia (?slug=S), or every militia (no slug)
// (docs/economy.md): its purpose as the assemblies that formed it stated
// it, which of them have decided, its volunteers (all equal) and offices
// (duties only), its meetings, and the signed-in person's way in or out:
// a member of a forming assembly volunteers and leaves freely. It is
// formed and dissolved by those assemblies' motions, not here.
import { api, me } from '../api.js';
import { $, date, fill, h, link, meetingTime, param, plural } from '../dom.js';
import { onSubmit } from '../forms.js';
import { failed, header, status, title } from '../layout.js';
import { markdown, ruleText } from '../text.js';

const STATE = {
	forming: 'Being formed: it exists once every assembly below has adopted the ' +
		'same decision.',
	active: 'Formed by the decision of every assembly below.',
	dissolved: 'Dissolved by the decision of an assembly that formed it.',
};

function assembliesSection(m) {
	return h('section', { 'aria-labelledby': 'formed-h' },
		h('h2', { id: 'formed-h' }, 'Formed by'),
		h('ul', { id: 'assembly-list' }, m.assemblies.map((a) => h('li', null,
			h('a', { href: link.assembly(a.slug) }, a.name), ': ',
			a.adopted_by ? h('a', { href: link.motion(a.adopted_by) },
				'decided on ', date(a.at)) : 'not decided yet'))),
		m.dissolved_by ? h('p', { id: 'dissolved' }, 'Dissolved on ',
			date(m.dissolved_at), ' by ',
		h('a', { href: link.motion(m.dissolved_by) }, 'an assembly\'s decision'),
		'.') : null);
}

function volunteersSection(m) {
	return h('section', { class: 'card', 'aria-labelledby': 'volunteers-h' },
		h('h2', { id: 'volunteers-h' }, plural(m.members, 'volunteer', 'volunteers')),
		h('p', { class: 'hint' }, 'Every volunteer has one equal vote. Nobody ' +
			'decides who joins or leaves: each does so freely.'),
		m.member_list.length ? h('ul', { id: 'volunteer-list' }, m.member_list.map((v) =>
			h('li', null, v.display_name, ' ',
				h('span', { class: 'muted' }, 'since ', date(v.since)))))
			: h('p', { class: 'muted' }, 'No volunteers now.'),
		h('h3', null, 'Offices'),
		m.offices.length ? h('ul', { id: 'office-list' }, m.offices.map((o) =>
			h('li', null, h('strong', null, o.name), ' (', o.duties, '): ',
				o.holder ? o.holder : 'vacant')))
			: h('p', { class: 'muted' }, 'No offices yet.'),
		h('p', { class: 'hint' }, 'Officers are elected by the volunteers and ' +
			'recalled by them at any moment. They have duties, never power over ' +
			'anyone, and no rank or insignia.'));
}

function meetingsSection(slug, meetings, tz) {
	const next = (meetings.upcoming || []).slice(0, 3);
	return h('section', { 'aria-labelledby': 'meetings-h' },
		h('h2', { id: 'meetings-h' }, 'Meetings'),
		next.length ? h('ul', null, next.map((x) => h('li', null,
			h('a', { href: link.meeting(x.id) }, meetingTime(x.starts_at, tz)),
			x.place ? ', ' + x.place : '',
			x.state === 'open' ? ' (in session now)' : '')))
			: h('p', { class: 'muted' }, 'No meeting ahead.'),
		h('p', null, h('a', { href: link.assembly(slug) },
			'Motions, decisions and the full calendar')));
}

function membership(m, account, reload) {
	const box = h('section', { class: 'card', id: 'membership',
		'aria-labelledby': 'membership-h' },
	h('h2', { id: 'membership-h' }, 'Volunteering'));
	if (m.status !== 'active') {
		box.append(h('p', null, m.status === 'dissolved'
			? 'It was dissolved: nobody volunteers in it any more.'
			: 'Volunteers join once it is formed.'));
		return box;
	}
	if (!account) {
		box.append(h('p', null, 'Sign in to volunteer: ',
			h('a', { href: link.signin(location.pathname + location.search) }, 'sign in'),
			'.'));
		return box;
	}
	const member = m.member_list.some((v) => v.handle === account.handle);
	const form = member
		? h('form', { id: 'leave-form' },
			h('p', null, 'You volunteer here. You may leave at any time, at once.'),
			h('div', { class: 'actions' }, h('button', { type: 'submit',
				class: 'secondary' }, 'Leave ' + m.name)))
		: h('form', { id: 'join-form' },
			h('p', null, 'Members of the assemblies that formed it volunteer ' +
				'freely, with no one\'s decision.'),
			h('div', { class: 'check' },
				h('input', { type: 'checkbox', id: 'affirm', name: 'affirm',
					'data-field': 'affirm', required: true }),
				h('label', { for: 'affirm' }, 'I share its purpose and volunteer ' +
					'as an equal member')),
			h('div', { class: 'actions' }, h('button', { type: 'submit' },
				'Volunteer')));
	onSubmit(form, async (data) => {
		const path = '/bodies/' + encodeURIComponent(m.slug) + '/members';
		if (member)
			await api('DELETE', path + '/me');
		else
			await api('POST', path, { affirm: data.get('affirm') === 'on',
				basis: 'volunteer' });
		await reload();
		status(member ? 'You have left ' + m.name + '.'
			: 'You volunteer in ' + m.name + '.', 'ok');
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
			h('p', { class: 'lede', id: 'state' }, 'A volunteer militia. ' +
				STATE[m.status]),
			h('div', { id: 'status', class: 'status', role: 'status', hidden: true }),
			h('section', { 'aria-labelledby': 'purpose-h' },
				h('h2', { id: 'purpose-h' }, 'Purpose'),
				h('div', { class: 'prose', id: 'purpose' }, markdown(m.purpose))),
			assembliesSection(m),
			m.rules ? h('p', null, 'It decides by ' + ruleText(m.rules.default) + '.') : null,
			m.schedule_text ? h('p', null, 'It meets ' + m.schedule_text + '.') : null,
			h('p', { class: 'hint' }, 'Nothing it decides is law: it is bound by ' +
				'the laws of the assemblies that formed it. What it needs comes ' +
				'only through the sharing economy.'),
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
	title('Militias');
	fill(main,
		h('h1', null, 'Volunteer militias'),
		h('p', { class: 'lede' }, 'Formed by the decision of local assemblies, ' +
			'joined and left freely by their members.'),
		all.length ? h('ul', { id: 'militia-list' }, all.map((m) => h('li', null,
			h('a', { href: link.militia(m.slug) }, m.name), ': ',
			m.status === 'active' ? plural(m.members, 'volunteer', 'volunteers')
				: m.status === 'dissolved' ? 'dissolved' : 'being formed',
			', formed by ', m.assemblies.map((a) => a.name).join(', '))))
			: h('p', { class: 'muted' }, 'No militia has been formed.'));
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

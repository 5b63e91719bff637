// assembly.js: one assembly: its statement of values, when and where it
// meets, the rules it decides by, its members, and joining or leaving.
// Joining and leaving act on the signed-in person only.
import { api, me } from '../api.js';
import { $, date, fill, h, here, link, param, plural } from '../dom.js';
import { onSubmit } from '../forms.js';
import { failed, header, title } from '../layout.js';
import { markdown, ruleSetText, rruleText } from '../text.js';

const slug = param('slug');
const path = '/bodies/' + encodeURIComponent(slug || '');
const BASIS = { lives: 'lives here', works: 'works here' };
let communityName = null;

// first: the page's first load, which shares the header's /me.
async function load(first) {
	const [body, members, meetings, account] = await Promise.all([
		api('GET', path),
		api('GET', path + '/members'),
		api('GET', path + '/meetings').catch(() => null),
		first ? me() : api('GET', '/me').catch((e) => {
			if (e.status === 401)
				return null;
			throw e;
		}),
	]);
	const mine = account && (account.memberships || [])
		.find((m) => m.body === body.slug);
	body.meetings = meetings;
	return { body, members: members.members, account, mine };
}

function statusBox(message, kind) {
	return h('p', { id: 'status', class: 'status' + (kind ? ' ' + kind : ''),
		role: 'status', tabindex: '-1' }, message);
}

// The coming and recent meetings, each a link to its page.
function meetingList(meetings) {
	const item = (m) => h('li', null, h('a', { href: link.meeting(m.id) },
		date(m.starts_at, true)), ' · ', m.kind === 'regular' ? 'regular' : 'extra',
	' · ', m.state === 'open' ? h('strong', null, 'in session now') : m.state,
	m.attendance ? ' · ' + plural(m.attendance, 'member', 'members') + ' present' : '');
	const up = (meetings.upcoming || []).slice(0, 4);
	const past = (meetings.past || []).slice(0, 4);
	return h('div', { id: 'meeting-list' },
		h('h3', null, 'Coming'),
		up.length ? h('ul', { class: 'plain' }, up.map(item)) : h('p', null, 'None.'),
		past.length ? [h('h3', null, 'Recent'),
			h('ul', { class: 'plain' }, past.map(item))] : null);
}

function schedule(body) {
	const s = body.schedule || {};
	const words = rruleText(s.rrule);
	return h('section', { 'aria-labelledby': 'meet-h' },
		h('h2', { id: 'meet-h' }, 'Meetings'),
		h('dl', { class: 'facts' },
			h('dt', null, 'When'),
			h('dd', { id: 'schedule-text' }, words || s.rrule,
				s.tz ? ' (' + s.tz.replace(/_/g, ' ') + ' time)' : ''),
			h('dt', null, 'Where'),
			h('dd', null, s.place || '—'),
			words ? [h('dt', null, 'As a recurrence rule'),
				h('dd', null, h('code', null, s.rrule))] : null,
			h('dt', null, 'Calendar'),
			h('dd', null, h('a', { href: '/api/v1' + path + '/calendar.ics',
				id: 'calendar-link' }, 'Subscribe to the meetings'),
			' (iCalendar: add this address to your calendar app)')),
		h('p', { class: 'hint' }, 'These meetings happen without anyone ' +
			'calling them; only the assembly, by a decision at a meeting, ' +
			'changes the schedule.'),
		body.meetings ? meetingList(body.meetings) : null,
		h('p', null, h('a', { href: link.laws(body.slug), id: 'laws-link' },
			'The law register')));
}

function rules(body) {
	return h('section', { 'aria-labelledby': 'rules-h' },
		h('h2', { id: 'rules-h' }, 'Rules in force'),
		h('dl', { class: 'facts', id: 'rules-text' },
			ruleSetText(body.rules).map(([label, text]) => [
				h('dt', null, label),
				h('dd', null, text.charAt(0).toUpperCase() + text.slice(1))])));
}

function memberList(members) {
	const active = members.filter((m) => m.status === 'active');
	const former = members.length - active.length;
	return h('section', { 'aria-labelledby': 'members-h' },
		h('h2', { id: 'members-h' }, 'Members (' + active.length + ')'),
		active.length ? h('ul', { class: 'plain', id: 'members' }, active.map((m) =>
			h('li', null, h('strong', null, m.display_name),
				h('span', { class: 'handle' }, ' @' + m.handle),
				' · ', BASIS[m.basis] || m.basis, ' · since ', date(m.since))))
			: h('p', null, 'No active members.'),
		former ? h('p', { class: 'muted' }, plural(former, 'person', 'people') +
			' left or were excluded.') : null);
}

function membership(state, rerender) {
	const { body, account, mine } = state;
	const sec = h('section', { 'aria-labelledby': 'you-h', class: 'card',
		id: 'membership' }, h('h2', { id: 'you-h' },
		mine && mine.status === 'active' ? 'Your membership' : 'Join this assembly'));
	if (!account) {
		sec.append(h('p', null, 'Anyone who lives or works in the community ' +
			'and affirms the statement of values may join. ',
			h('a', { href: link.signin(here()) }, 'Sign in'), ' or ',
			h('a', { href: link.signup(here()) }, 'sign up'), ' to join.'));
		return sec;
	}
	if (mine && mine.status === 'excluded') {
		sec.append(h('p', null, 'The assembly excluded you by its decision. ' +
			'You cannot take part in it.'));
		return sec;
	}
	if (mine && mine.status === 'active') {
		const form = h('form', { id: 'leave-form' },
			h('p', null, 'You are a member since ', date(mine.since), ' (',
				BASIS[mine.basis] || mine.basis, '). You may leave at any ' +
				'time, and join again later.'),
			h('div', { class: 'actions' },
				h('button', { type: 'submit', class: 'secondary', id: 'leave' },
					'Leave this assembly')));
		onSubmit(form, async () => {
			await api('DELETE', path + '/members/me');
			await rerender('You have left ' + body.name + '.', 'ok');
		});
		sec.append(form);
		return sec;
	}
	const form = h('form', { id: 'join-form' },
		h('p', null, 'Anyone who lives or works in the community and ' +
			'affirms the statement of values may join.' +
			(mine && mine.status === 'left' ? ' You were a member before; ' +
				'you may join again.' : '')),
		h('div', { class: 'check' },
			h('input', { type: 'checkbox', id: 'affirm', name: 'affirm',
				'data-field': 'affirm' }),
			h('label', { for: 'affirm' }, 'I affirm the statement of values of ' +
				body.name)),
		h('fieldset', { 'data-field': 'basis' },
			h('legend', null, 'I can be a member because I'),
			h('div', { class: 'check' },
				h('input', { type: 'radio', id: 'basis-lives', name: 'basis',
					value: 'lives', checked: true }),
				h('label', { for: 'basis-lives' }, 'live in the community')),
			h('div', { class: 'check' },
				h('input', { type: 'radio', id: 'basis-works', name: 'basis',
					value: 'works' }),
				h('label', { for: 'basis-works' },
					'work in an enterprise there'))),
		h('div', { class: 'actions' },
			h('button', { type: 'submit', id: 'join' }, 'Join')));
	onSubmit(form, async (data) => {
		await api('POST', path + '/members', {
			affirm: data.get('affirm') === 'on',
			basis: data.get('basis') || '',
		});
		await rerender('Welcome: you are now a member of ' + body.name + '.', 'ok');
	});
	sec.append(form);
	return sec;
}

function render(state, message, kind) {
	const { body } = state;
	const main = $('#main');
	title(body.name);
	const rerender = async (msg, k) => {
		render(await load(), msg, k);
		$('#status').focus();
	};
	fill(main,
		h('h1', null, body.name),
		h('p', { class: 'lead' }, body.community
			? ['The local assembly of ', h('a', { href: link.community(body.community) },
				communityName || body.community), '. ']
			: null,
			'Founded ', date(body.founded_at), '; ',
			plural(body.members, 'member', 'members'), '.'),
		message ? statusBox(message, kind) : null,
		h('section', { 'aria-labelledby': 'statement-h' },
			h('h2', { id: 'statement-h' }, 'Statement of values'),
			h('div', { class: 'statement', id: 'statement' }, markdown(body.statement))),
		membership(state, rerender),
		schedule(body),
		rules(body),
		memberList(state.members));
	main.removeAttribute('aria-busy');
}

async function main() {
	header();
	let state;
	try {
		if (!slug)
			throw Object.assign(new Error('no assembly named'), { status: 404 });
		state = await load(true);
	} catch (e) {
		failed('This assembly', e);
		return;
	}
	// The community's name, for the line under the title.
	if (state.body.community) {
		try {
			const c = await api('GET', '/communities/' +
				encodeURIComponent(state.body.community));
			communityName = c.name;
		} catch (e) {
			// The slug is shown instead.
		}
	}
	// Arriving from the founding form: say what happened.
	const founded = param('founded') === '1' && state.mine &&
		state.mine.status === 'active';
	render(state, founded ? 'You founded ' + state.body.name +
		' and are its first member.' : null, 'ok');
}

main();

// index.js: the home page: my assemblies, their open votes and upcoming
// meetings (signed in), every assembly, and every community with its
// assembly or a way to found it.
import { api } from '../api.js';
import { $, atNextStart, date, fill, h, link, meetingTime } from '../dom.js';
import { number, t, tn, tx } from '../i18n.js';
import { header } from '../layout.js';

const BASIS = { lives: t('lives here'), works: t('works here') };
const STATUS = { left: t('left'), excluded: t('excluded') };

function mine(account) {
	const list = account.memberships || [];
	const active = list.filter((m) => m.status === 'active');
	$('#welcome').hidden = true;
	$('#mine').hidden = false;
	const others = list.filter((m) => m.status !== 'active');
	fill($('#mine-list'),
		active.length ? h('ul', { class: 'plain' }, active.map((m) =>
			h('li', null, h('a', { href: link.assembly(m.body) }, m.name),
				// a seat in a delegate assembly is not a membership of one's own
				m.basis === 'delegate'
					? [' · ', tx('delegate since {date}', { date: date(m.since) })]
					: [' · ', tx('member since {date}', { date: date(m.since) }), ' · ',
						BASIS[m.basis] || m.basis])))
			: h('p', null, t('You are not a member of any assembly yet. ' +
				'Find the assembly of your community below and join it, ' +
				'or found it if it has none.')),
		others.length ? h('p', { class: 'muted' }, t('Former:'), ' ',
			others.map((m, i) => [i ? ', ' : '',
				h('a', { href: link.assembly(m.body) }, m.name),
				' (' + (STATUS[m.status] || m.status) + ')'])) : null);
}

function assemblies(bodies, communities) {
	const names = Object.fromEntries(communities.map((c) => [c.slug, c.name]));
	if (!bodies.length)
		return h('p', null, tx('No assembly has been founded yet. {found}.',
			{ found: h('a', { href: link.found() }, t('Found the first one')) }));
	// those that ended (divided, united) last, and said to have ended
	const ended = (b) => (b.ended ? 1 : 0);
	bodies = [...bodies].sort((a, b) => ended(a) - ended(b));
	return h('ul', { class: 'plain' }, bodies.map((b) =>
		h('li', { class: b.ended ? 'muted' : undefined },
			h('a', { href: b.kind === 'enterprise' ? link.enterprise(b.slug)
				: b.kind === 'militia' ? link.militia(b.slug)
				: link.assembly(b.slug) }, b.name),
			b.community ? [' · ', h('a', { href: link.community(b.community) },
				names[b.community] || b.community)] : null,
			' · ', b.kind === 'delegate'
				? tn('delegate assembly, {n} delegate seated',
					'delegate assembly, {n} delegates seated', b.members)
				: b.kind === 'enterprise'
					? tn('enterprise, {n} member, all equal',
						'enterprise, {n} members, all equal', b.members)
				: b.kind === 'militia'
					? tn('volunteer militia, {n} volunteer', 'volunteer militia, {n} volunteers',
						b.members)
				: b.kind === 'polity'
					? tx(tn('assembly of a {polity}, {n} citizen seated by lot',
						'assembly of a {polity}, {n} citizens seated by lot', b.members,
						{ polity: '{polity}' }), {
						polity: h('a', { href: link.polity(b.slug) }, t('polity')) })
					: tn('{n} member', '{n} members', b.members),
			b.ended ? [' · ', b.ended.how === 'divided'
				? tx('ended on {date}: divided into new communities', { date: date(b.ended.at) })
				: tx('ended on {date}: united with others', { date: date(b.ended.at) })]
				: null)));
}

function communityTable(communities) {
	return h('div', { class: 'table-wrap' }, h('table', null,
		h('thead', null, h('tr', null,
			h('th', { scope: 'col' }, t('Community')),
			h('th', { scope: 'col', class: 'num' }, t('Population')),
			h('th', { scope: 'col' }, t('Assembly')))),
		h('tbody', null, communities.map((c) => h('tr', null,
			h('th', { scope: 'row' }, h('a', { href: link.community(c.slug) }, c.name)),
			h('td', { class: 'num' }, number(c.population)),
			h('td', null, c.assembly
				? h('a', { href: link.assembly(c.assembly) }, t('Its assembly'))
				: h('a', { href: link.found(c.slug) }, t('Found its assembly'))))))));
}

// Open votes and the next meetings of each assembly I am a member of.
async function agenda(account) {
	const active = (account.memberships || []).filter((m) => m.status === 'active');
	const per = await Promise.all(active.map(async (m) => {
		const p = '/bodies/' + encodeURIComponent(m.body);
		const [meetings, voting, body] = await Promise.all([
			api('GET', p + '/meetings').catch(() => ({ upcoming: [] })),
			api('GET', p + '/motions?status=voting').catch(() => ({ motions: [] })),
			api('GET', p).catch(() => null),
		]);
		const tz = body && body.schedule ? body.schedule.tz : '';
		return { m, meetings: (meetings.upcoming || []).map((mt) => ({ ...mt, tz })),
			voting: voting.motions || [] };
	}));
	// only the votes you have not cast yet
	const votes = per.flatMap((x) => x.voting.filter((v) => !v.voted)
		.map((v) => ({ ...v, assembly: x.m })));
	fill($('#open-votes'), votes.length
		? h('ul', { class: 'plain', id: 'open-vote-list' }, votes.map((v) =>
			h('li', null, h('a', { href: link.motion(v.id) }, v.title), ' · ',
				v.assembly.name,
				v.meeting ? [' · ', h('a', { href: link.meeting(v.meeting) },
					t('vote at the meeting'))] : null)))
		: h('p', null, t('No vote in your assemblies is waiting for yours.')));
	const meetings = per.flatMap((x) => x.meetings.slice(0, 3)
		.map((mt) => ({ ...mt, assembly: x.m })))
		.sort((a, b) => a.starts_at - b.starts_at);
	fill($('#upcoming'), meetings.length
		? h('ul', { class: 'plain', id: 'upcoming-list' }, meetings.map((mt) =>
			// each link says which meeting: its day and time, in the
			// assembly's zone; the assembly is named beside it
			h('li', null, h('a', { href: link.meeting(mt.id) },
				mt.kind === 'extra'
					? tx('Extra meeting, {when}', { when: meetingTime(mt.starts_at, mt.tz) })
					: tx('Meeting, {when}', { when: meetingTime(mt.starts_at, mt.tz) })),
			' · ', h('a', { href: link.assembly(mt.assembly.body) }, mt.assembly.name),
			' · ', mt.place,
				mt.state === 'open' ? [' · ', h('strong', { class: 'badge state-open' },
					t('in session now'))] : null)))
		: h('p', null, t('No meetings coming.')));
	// "in session now" once the next one begins
	atNextStart(meetings, () => agenda(account).catch(() => {}));
}

async function main() {
	const account = await header();
	if (account) {
		mine(account);
		agenda(account);
	}
	try {
		const [c, b] = await Promise.all([api('GET', '/communities'),
			api('GET', '/bodies')]);
		const work = (x) => x.kind === 'enterprise' || x.kind === 'militia';
		fill($('#assemblies'), assemblies(b.bodies.filter((x) => !work(x)), c.communities));
		const w = b.bodies.filter(work);
		fill($('#workplaces'), w.length ? assemblies(w, c.communities)
			: h('p', { class: 'muted' }, t('None yet: a member of a local assembly ' +
				'founds an enterprise from its community\'s page.')),
		h('p', null, h('a', { href: link.militia(''), id: 'all-militias' },
			t('Every volunteer militia'))),
		h('p', null, h('a', { href: '/sharing.html', id: 'sharing-link' },
			t('The sharing economy: what is offered, and what is scarce'))));
		fill($('#communities'), c.communities.length
			? communityTable(c.communities)
			: h('p', null, t('No community has been registered on this server yet.')));
	} catch (e) {
		fill($('#workplaces'));
		fill($('#assemblies'), h('p', { role: 'alert' },
			t('The lists could not be loaded: {why}', { why: e.message })));
		fill($('#communities'));
	}
}

main();

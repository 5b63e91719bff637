// assembly.js: one assembly: its statement of values, when and where it
// meets, its federations, the declarations made about its decisions and by
// it, the rules it decides by, its members, and joining or leaving.
// Joining and leaving act on the signed-in person only.
import { api, me } from '../api.js';
import { $, atNextStart, date, fill, h, here, link, meetingTime, param, seatWord }
	from '../dom.js';
import { onSubmit } from '../forms.js';
import { number, t, tn, tx } from '../i18n.js';
import { failed, header, title } from '../layout.js';
import { declarationList } from '../declarations.js';
import { officesSection } from '../offices.js';
import { allotmentsSection } from '../allotments.js';
import { choiceBox, divisionSection, lineageSection } from './division.js';
import { markdown, ruleSetText, rruleText } from '../text.js';

const slug = param('slug');
const path = '/bodies/' + encodeURIComponent(slug || '');
const BASIS = { lives: t('lives here'), works: t('works here'), lot: t('seated by lot') };
let communityName = null;

// first: the page's first load, which shares the header's /me.
async function load(first) {
	const [body, members, meetings, account, feds, proposals, offices, declarations,
		remote] =
	await Promise.all([
		api('GET', path),
		api('GET', path + '/members'),
		api('GET', path + '/meetings').catch(() => null),
		first ? me() : api('GET', '/me').catch((e) => {
			if (e.status === 401)
				return null;
			throw e;
		}),
		api('GET', path + '/federations').catch(() => null),
		api('GET', path + '/proposals').catch(() => null),
		api('GET', path + '/offices').catch(() => null),
		api('GET', path + '/declarations').catch(() => null),
		api('GET', path + '/remote').catch(() => null),
	]);
	const mine = account && (account.memberships || [])
		.find((m) => m.body === body.slug);
	body.meetings = meetings;
	// where the signed-in person works here, as an active member: what a
	// membership on the basis "works" may name (docs/economy.md)
	let workplaces = [], enterprises = [], militias = [], allotments = null;
	if (body.kind === 'local' && body.community) {
		// the enterprises of its community, bound by its laws, and the
		// militias it formed or is forming (docs/economy.md)
		const [here, all] = await Promise.all([
			api('GET', '/enterprises?community=' + encodeURIComponent(body.community))
				.catch(() => ({ enterprises: [] })),
			api('GET', '/militias').catch(() => ({ militias: [] }))]);
		enterprises = here.enterprises;
		allotments = await api('GET', path + '/allotments').catch(() => null);
		militias = all.militias.filter((x) => x.assemblies.some((a) => a.slug === body.slug));
		const active = new Set((account && account.memberships || []).filter((m) =>
			m.kind === 'enterprise' && m.status === 'active').map((m) => m.body));
		workplaces = here.enterprises.filter((e) => active.has(e.slug));
	}
	return { body, members: members.members, account, mine, feds, proposals, offices,
		declarations, workplaces, enterprises, militias, allotments,
		remote: remote ? remote.relations : [] };
}

function statusBox(message, kind) {
	return h('p', { id: 'status', class: 'status' + (kind ? ' ' + kind : ''),
		role: 'status', tabindex: '-1' }, message);
}

const MEETING_STATE = {
	scheduled: t('not yet begun'), closed: t('closed, with its minutes'),
	lapsed: t('lapsed (not closed within 12 hours)'),
};

// The coming and recent meetings, each a link to its page, at their time
// in the assembly's zone.
function meetingList(meetings, tz, body) {
	const item = (m) => h('li', null, h('a', { href: link.meeting(m.id) },
		meetingTime(m.starts_at, tz)), ' · ',
	m.kind === 'regular' ? t('regular meeting') : t('extra meeting'),
	' · ', m.state === 'open' ? h('strong', null, t('in session now'))
		: MEETING_STATE[m.state] || m.state,
	m.attendance ? ' · ' + (body && body.kind === 'delegate'
		? tn('{n} delegate present', '{n} delegates present', m.attendance)
		: tn('{n} member present', '{n} members present', m.attendance)) : '');
	const up = (meetings.upcoming || []).slice(0, 4);
	const past = (meetings.past || []).slice(0, 4);
	return h('div', { id: 'meeting-list' },
		h('h3', null, t('Coming')),
		up.length ? h('ul', { class: 'plain' }, up.map(item)) : h('p', null, t('None.')),
		past.length ? [h('h3', null, t('Recent')),
			h('ul', { class: 'plain' }, past.map(item))] : null);
}

function schedule(body) {
	const s = body.schedule || {};
	// the page's own words for the rules its pickers make; the server's
	// for any other rule RFC 5545 allows
	const words = rruleText(s.rrule) || body.schedule_text;
	return h('section', { 'aria-labelledby': 'meet-h' },
		h('h2', { id: 'meet-h' }, t('Meetings')),
		h('dl', { class: 'facts' },
			h('dt', null, t('When')),
			h('dd', { id: 'schedule-text' }, words || s.rrule,
				s.tz ? ' ' + t('({zone} time)', { zone: s.tz.replace(/_/g, ' ') }) : ''),
			h('dt', null, t('Where')),
			h('dd', null, s.place || '—'),
			h('dt', null, t('Calendar')),
			h('dd', null, tx('{subscribe} (it follows changes to the schedule), or {download}.', {
				subscribe: h('a', { href: 'webcal://' + location.host + '/api/v1' + path +
					'/calendar.ics', id: 'webcal-link' }, t('Subscribe in your calendar app')),
				download: h('a', { href: '/api/v1' + path + '/calendar.ics',
					id: 'calendar-link', download: body.slug + '.ics' },
				t('download the calendar file')) }))),
		h('p', { class: 'hint' }, t('These meetings happen without anyone ' +
			'calling them; only the assembly, by a decision at a meeting, ' +
			'changes the schedule.')),
		body.meetings ? meetingList(body.meetings, s.tz, body) : null,
		// a delegate assembly makes no laws: it has no register
		// a delegate assembly makes no laws, nor does an enterprise (bound by
		// its local assembly's), nor a militia (bound by its assemblies')
		body.kind === 'delegate' || body.kind === 'enterprise' ||
			body.kind === 'militia' ? null : h('p', null,
			h('a', { href: link.laws(body.slug), id: 'laws-link' }, t('The law register'))),
		null);
}

const MILITIA_STATE = {
	forming: t('being formed: not every assembly named has decided yet'),
	active: t('formed'),
	dissolved: t('dissolved'),
};

// A local assembly's community at work: its enterprises (bound by the
// assembly's laws, their standing decided by it) and the volunteer
// militias it formed (docs/economy.md).
function workAndWatch(state) {
	const { body, enterprises, militias } = state;
	if (body.kind !== 'local')
		return null;
	return h('section', { class: 'card', id: 'economy', 'aria-labelledby': 'economy-h' },
		h('h2', { id: 'economy-h' }, t('Enterprises and militias')),
		h('p', { class: 'hint' }, t('The workplaces of this community govern themselves, ' +
			'every worker an equal member, bound by this assembly\'s laws; the assembly ' +
			'decides whether each is in good standing in the sharing economy.')),
		enterprises.length ? h('ul', { id: 'enterprise-list' }, enterprises.map((e) =>
			h('li', null, h('a', { href: link.enterprise(e.slug) }, e.name), ' · ',
				e.provides, ' · ', tn('{n} member', '{n} members', e.members))))
			: h('p', { class: 'muted' }, t('No enterprise here yet.')),
		h('p', null,
			h('a', { href: '/standing.html?assembly=' + encodeURIComponent(body.slug),
				id: 'standing-link' }, t('The standing review of the enterprises')),
			' · ',
			h('a', { href: '/economy.html?assembly=' + encodeURIComponent(body.slug),
				id: 'economy-link' }, t('What is scarce, and how it is shared')),
			' · ',
			h('a', { href: link.foundEnterprise(body.community),
				id: 'found-enterprise-link' }, t('Found an enterprise'))),
		h('h3', null, t('Volunteer militias')),
		militias.length ? h('ul', { id: 'militia-list' }, militias.map((m) =>
			h('li', null, h('a', { href: link.militia(m.slug) }, m.name), ' · ',
				MILITIA_STATE[m.status] || m.status)))
			: h('p', { class: 'muted' }, t('This assembly has formed no militia. It ' +
				'forms one by a decision, alone or with other assemblies.')),
		h('p', null, h('a', { href: link.militia(''), id: 'all-militias' },
			t('Every volunteer militia'))));
}

function rules(body) {
	return h('section', { 'aria-labelledby': 'rules-h' },
		h('h2', { id: 'rules-h' }, t('Rules in force')),
		h('dl', { class: 'facts', id: 'rules-text' },
			ruleSetText(body.rules, seatWord(body)).map(([label, text]) => [
				h('dt', null, label),
				h('dd', null, text.charAt(0).toUpperCase() + text.slice(1))])));
}

function memberList(members, delegate) {
	const active = members.filter((m) => m.status === 'active');
	const former = members.length - active.length;
	return h('section', { 'aria-labelledby': 'members-h' },
		h('h2', { id: 'members-h' }, delegate
			? t('Delegates seated ({n})', { n: active.length })
			: t('Members ({n})', { n: active.length })),
		active.length ? h('ul', { class: 'plain', id: 'members' }, active.map((m) =>
			h('li', null, h('strong', null, m.display_name),
				h('span', { class: 'handle' }, ' @' + m.handle),
				' · ', m.enterprise ? tx('works at {enterprise}', { enterprise: h('a', {
					href: link.enterprise(m.enterprise) }, m.enterprise_name) })
					: BASIS[m.basis] || m.basis, ' · ', tx('since {date}',
					{ date: date(m.since) }))))
			: h('p', null, delegate ? t('No delegates seated.') : t('No active members.')),
		former ? h('p', { class: 'muted' }, tn('{n} person left or was excluded.',
			'{n} people left or were excluded.', former)) : null);
}

function membership(state, rerender) {
	const { body, account, mine } = state;
	const sec = h('section', { 'aria-labelledby': 'you-h', class: 'card',
		id: 'membership' }, h('h2', { id: 'you-h' },
		mine && mine.status === 'active' ? t('Your membership') : t('Join this assembly')));
	if (!account) {
		sec.append(h('p', null, t('Anyone who lives or works in the community ' +
			'and affirms the statement of values may join.'), ' ',
		tx('{signin} or {signup} to join.', {
			signin: h('a', { href: link.signin(here()) }, t('Sign in')),
			signup: h('a', { href: link.signup(here()) }, t('sign up')) })));
		return sec;
	}
	if (mine && mine.status === 'excluded') {
		sec.append(h('p', null, t('The assembly excluded you by its decision. ' +
			'You cannot take part in it.')));
		return sec;
	}
	if (mine && mine.status === 'active') {
		const form = h('form', { id: 'leave-form' },
			h('p', null, tx('You are a member since {date} ({basis}). You may leave at ' +
				'any time, and join again later.', { date: date(mine.since),
				basis: BASIS[mine.basis] || mine.basis })),
			h('div', { class: 'actions' },
				h('button', { type: 'submit', class: 'secondary', id: 'leave' },
					t('Leave this assembly'))));
		onSubmit(form, async () => {
			await api('DELETE', path + '/members/me');
			await rerender(t('You have left {assembly}.', { assembly: body.name }), 'ok');
		});
		sec.append(form);
		return sec;
	}
	const form = h('form', { id: 'join-form' },
		h('p', null, t('Anyone who lives or works in the community and ' +
			'affirms the statement of values may join.') +
			(mine && mine.status === 'left' ? ' ' + t('You were a member before; ' +
				'you may join again.') : '')),
		h('div', { class: 'check' },
			h('input', { type: 'checkbox', id: 'affirm', name: 'affirm',
				'data-field': 'affirm' }),
			h('label', { for: 'affirm' }, t('I affirm the statement of values of {assembly}',
				{ assembly: body.name }))),
		h('fieldset', { 'data-field': 'basis' },
			h('legend', null, t('I can be a member because I')),
			h('div', { class: 'check' },
				h('input', { type: 'radio', id: 'basis-lives', name: 'basis',
					value: 'lives', checked: true }),
				h('label', { for: 'basis-lives' }, t('live in the community'))),
			h('div', { class: 'check' },
				h('input', { type: 'radio', id: 'basis-works', name: 'basis',
					value: 'works' }),
				h('label', { for: 'basis-works' },
					t('work in an enterprise there')))),
		state.workplaces && state.workplaces.length ? h('div', { class: 'field' },
			h('label', { for: 'workplace' }, t('Where you work (when you work here)')),
			h('select', { id: 'workplace', name: 'enterprise', 'data-field': 'enterprise' },
				h('option', { value: '' }, t('A place not registered here')),
				state.workplaces.map((e) => h('option', { value: e.slug }, e.name))))
			: null,
		h('div', { class: 'actions' },
			h('button', { type: 'submit', id: 'join' }, t('Join'))));
	onSubmit(form, async (data) => {
		const req = {
			affirm: data.get('affirm') === 'on',
			basis: data.get('basis') || '',
		};
		if (req.basis === 'works' && data.get('enterprise'))
			req.enterprise = String(data.get('enterprise'));
		await api('POST', path + '/members', req);
		await rerender(t('Welcome: you are now a member of {assembly}.',
			{ assembly: body.name }), 'ok');
	});
	sec.append(form);
	return sec;
}

const FED_STATUS = { active: t('active member'), suspended: t('suspended'),
	left: t('left') };
const WEIGHTING = { assembly: t('one assembly, one voice'),
	population: t('weighted by population') };
const ANSWER = { accept: t('accepted'), reject: t('rejected'), amend: t('asked to amend'),
	repealed: t('repealed') };

function delegateList(delegates) {
	if (!delegates || !delegates.length)
		return h('p', { class: 'muted' }, t('No delegate in office.'));
	return h('ul', { class: 'plain delegates' }, delegates.map((d) =>
		h('li', null, tx('Delegate {handle} (elected by {motion}, since {when})', {
			handle: h('strong', null, '@' + d.handle),
			motion: h('a', { href: link.motion(d.elected_by) },
				t('motion {n}', { n: d.elected_by })), when: date(d.since) }),
		d.mandate ? h('p', null, tx('Mandate: {mandate}',
			{ mandate: h('q', null, d.mandate) })) : null)));
}

// Every seat the assembly filled, with recalls, in sentences: loaded when
// opened.
function seatHistory() {
	const list = h('div', { id: 'seat-history' });
	const box = h('details', { id: 'seats' },
		h('summary', null, t('Every seat it filled, with recalls')), list);
	box.addEventListener('toggle', async () => {
		if (!box.open || list.dataset.ready)
			return;
		list.dataset.ready = '1';
		try {
			const r = await api('GET', '/bodies/' + encodeURIComponent(slug) + '/delegations');
			const ds = r.delegations || [];
			const motion = (n) => h('a', { href: link.motion(n) }, t('motion {n}', { n }));
			fill(list, ds.length ? h('ul', { class: 'plain' }, ds.map((d) => {
				const parts = { handle: h('strong', null, '@' + d.handle),
					federation: h('a', { href: link.assembly(d.federation) },
						d.federation_name || d.federation),
					motion: motion(d.elected_by), when: date(d.elected_at),
					recall: d.recalled_by ? motion(d.recalled_by) : null,
					ended: d.recalled_at ? date(d.recalled_at) : null };
				if (!d.recalled_at)
					return h('li', null, tx('{handle}, delegate to {federation}, elected by ' +
						'{motion} on {when}, in office.', parts));
				return h('li', null, d.recalled_by
					? tx('{handle}, delegate to {federation}, elected by {motion} on {when}, ' +
						'recalled by {recall} on {ended}.', parts)
					: tx('{handle}, delegate to {federation}, elected by {motion} on {when}, ' +
						'recalled on {ended}.', parts));
			}))
				: h('p', null, t('It has filled no seat yet.')));
		} catch (e) {
			fill(list, h('p', { role: 'alert' }, t('The seats could not be loaded: {why}',
				{ why: e.message })));
		}
	});
	return box;
}

function proposalList(proposals) {
	if (!proposals)
		return null;
	const orig = proposals.originated || [];
	const offered = proposals.offered || [];
	const item = (p, extra) => h('li', null, h('a', {
		href: link.proposal(p.id, p.version) }, p.title),
	' · ', t('version {n}', { n: p.version }),
	' · ', date(p.at), extra);
	return [
		orig.length ? [h('h3', null, t('Proposals it made')),
			h('ul', { class: 'plain', id: 'proposals-made' },
				orig.map((p) => item(p, p.relayed ? h('span', { class: 'relayed' }, ' · ',
					tx('relayed from {assembly}', { assembly: remoteName(p.relayed.from) }))
					: null)))] : null,
		offered.length ? [h('h3', null, t('Proposals offered to it')),
			h('ul', { class: 'plain', id: 'proposals-offered' }, offered.map((p) =>
				item(p, [' · ', tx('from {assembly}',
					{ assembly: h('a', { href: link.assembly(p.from) }, p.from) }),
					' · ', h('span', { class: 'answer answer-' + (p.answer || 'none') },
						p.answer ? ANSWER[p.answer] || p.answer : t('no answer yet'))])))]
			: null];
}

// An assembly on another pnyx node, by its address: its name there (as
// its actor document gave it, else the last part of its address) and the
// node's (docs/nodes.md).
function remoteName(url, name) {
	try {
		const u = new URL(url);
		return [h('a', { href: url, class: 'remote' }, name || u.pathname.split('/').pop()),
			' ' + t('(on the node {host})', { host: u.host })];
	} catch (e) {
		return url;
	}
}

const REMOTE = {
	'member requested': t('Asked to join, by its decision; waits for that ' +
		'assembly\'s own decision'),
	'member active': t('A member, accepted by that assembly\'s decision'),
	'member refused': t('Asked to join; that assembly refused'),
	'host offered': t('Asks to join this assembly: the assembly answers by a decision ' +
		'to accept or refuse request'),
	'host active': t('A member assembly from another node, accepted by decision'),
	'host refused': t('Asked to join; this assembly refused'),
	'member ended': t('Was a member; the membership ended by decision'),
	'host ended': t('Was a member assembly from another node; the membership ended ' +
		'by decision'),
};

// Its relationships with assemblies on other nodes, each made by a
// decision (docs/nodes.md): requests sent and received, and their answers.
function remoteRelations(list, slug) {
	if (!list || !list.length)
		return null;
	return [h('h3', null, t('Assemblies on other nodes')),
		h('ul', { class: 'plain', id: 'remote-relations' }, list.map((r) =>
			h('li', { 'data-relation': r.id, 'data-status': r.status },
				remoteName(r.remote, r.remote_name), ' · ',
				REMOTE[r.side + ' ' + r.status] || r.status,
				r.side === 'host' && r.status === 'offered' ? ' ' + r.id : '',
				r.side === 'host' && r.status === 'active'
					? [' · ', t('its number here: {id}', { id: r.id })] : '',
				r.status === 'ended' ? [' · ', tx('ended {date}', { date: date(r.changed_at) })]
					: '',
				r.status === 'active' && r.suspended_by ? [' · ', h('strong',
					{ class: 'suspended' }, r.side === 'member'
						? t('suspended by that assembly\'s decision: its delegates hold ' +
							'no seat there while it lasts')
						: t('suspended by this assembly\'s decision'))] : '',
				' · ', tx('since {date}', { date: date(r.since) }),
				(r.delegates || []).length ? h('ul', { class: 'plain remote-delegates' },
					r.delegates.map((d) => h('li', null, tx('Delegate {name}', {
						name: h('strong', null, d.delegate.split('/').pop()) }),
					' · ', d.recalled_at ? tx('recalled {date}', { date: date(d.recalled_at) })
						: tx('since {date}', { date: date(d.since) }),
					' · ', t('mandate: “{mandate}”', { mandate: d.mandate })))) : null,
				remoteOffers(r, slug), remoteDeclarations(r))))];
}

// The declarations a delegate assembly on another node adopted and sent
// to this assembly, its member (docs/nodes.md): public, with no effect.
function remoteDeclarations(r) {
	const list = r.declarations || [];
	if (!list.length)
		return null;
	return h('ul', { class: 'plain remote-declarations' }, list.map((d) =>
		h('li', { 'data-declaration': d.id },
			tx('Declaration “{title}”, {date}', { title: h('a', { href: d.decision },
				d.title), date: date(d.at) }),
			d.about ? [' · ', h('a', { href: d.about }, t('the decision it is about'))] : '',
			h('blockquote', null, d.text))));
}

// The proposals that travelled through a relationship: offered to this
// assembly by a delegate assembly elsewhere (it answers by a decision,
// naming the number shown), or offered from here to a member elsewhere,
// with what that member's node reported.
function remoteOffers(r, slug) {
	const list = r.offers || [];
	if (!list.length)
		return null;
	return h('ul', { class: 'plain remote-offers' }, list.map((o) => {
		const last = o.answers.length ? o.answers[o.answers.length - 1] : null;
		const said = last ? ANSWER[last.answer] || last.answer : t('no answer yet');
		const args = { id: o.id, title: o.title, version: number(o.version) };
		return h('li', { 'data-offer': o.id, 'data-side': o.side },
			o.side === 'received'
				? t('Proposal offered to this assembly, number {id}: “{title}”, version {version}',
					args)
				: t('Offered to it: “{title}”, version {version}', args),
			' · ', h('span', { class: 'answer answer-' + (last ? last.answer : 'none') },
				said),
			last && last.counter_text ? [' · ', t('counter-text: “{text}”',
				{ text: last.counter_text })] : '',
			last && o.side === 'sent' ? [' · ', tn('speaks for {n} person',
				'speaks for {n} people', last.population)] : '',
			o.law ? [' · ', h('a', { href: link.law(slug, o.law) },
				t('law {n} of this assembly', { n: number(o.law) }))]
				: o.met_at ? [' · ', tx('condition met {date}', { date: date(o.met_at) })]
					: '');
	}));
}

// The federations it belongs to; for a delegate assembly, its members.
function federations(state) {
	const f = state.feds;
	if (!f)
		return null;
	const mships = f.memberships || [];
	const delegate = f.kind === 'delegate';
	return h('section', { 'aria-labelledby': 'fed-h', id: 'federations' },
		h('h2', { id: 'fed-h' }, t('Federations')),
		delegate ? [
			h('p', null, t('A delegate assembly: its members are assemblies, ' +
				'which send delegates with mandates. It makes no laws; its ' +
				'proposals become law only where local assemblies accept them.')),
			h('dl', { class: 'facts', id: 'fed-facts' },
				h('dt', null, t('Purpose')), h('dd', null, f.purpose ? t(f.purpose) : '—'),
				h('dt', null, t('Region')), h('dd', null, f.region || '—'),
				h('dt', null, t('Weighting')),
				h('dd', null, WEIGHTING[f.weighting] || f.weighting),
				h('dt', null, t('Population beneath')),
				h('dd', null, number(f.population || 0))),
			h('h3', null, t('Member assemblies')),
			(f.members || []).length ? h('ul', { class: 'plain', id: 'fed-members' },
				f.members.map((m) => h('li', { 'data-body': m.body },
					h('a', { href: link.assembly(m.body) }, m.name),
					' · ', m.kind === 'delegate' ? t('delegate assembly') : t('local assembly'),
					' · ', tx('{status} since {when}', {
						status: FED_STATUS[m.status] || m.status, when: date(m.since) }),
					m.population !== undefined && m.population !== null
						? ' · ' + t('population {n}', { n: number(m.population) }) : '',
					delegateList(m.delegates))))
				: h('p', null, t('No member assemblies.'))] : null,
		delegate && !mships.length ? null : [
			delegate ? h('h3', null, t('Federations it belongs to')) : null,
			mships.length ? h('ul', { class: 'plain', id: 'fed-memberships' },
				mships.map((m) => h('li', { 'data-body': m.federation },
					h('a', { href: link.assembly(m.federation) }, m.name),
					m.purpose ? ' (' + t(m.purpose) + (m.region ? ', ' + m.region : '') + ')' : '',
					' · ', tx('{status} since {when}', {
						status: FED_STATUS[m.status] || m.status, when: date(m.since) }),
					delegateList(m.delegates))))
				: h('p', null, (state.remote || []).some((r) => r.side === 'member')
					? t('It belongs to no delegate assembly on this node. Joining one is a ' +
						'decision of the assembly at a meeting.')
					: t('It belongs to no delegate assembly. Joining one ' +
						'is a decision of the assembly at a meeting.')),
			seatHistory()],
		remoteRelations(state.remote, f.body),
		proposalList(state.proposals));
}

// Declarations: those other assemblies adopted about its decisions, and
// those it adopted about theirs; the newest page of them, and a button for
// the earlier ones while there are more (the route is paged).
function declarations(d) {
	if (!d)
		return null;
	const about = d.about_its_decisions || [];
	const made = d.adopted || [];
	const more = d.next ? h('button', { type: 'button', id: 'declarations-more',
		onclick: async (ev) => {
			const button = ev.currentTarget;
			button.disabled = true;
			let page;
			try {
				page = await api('GET', path + '/declarations?before=' + d.next);
			} catch (e) {
				button.disabled = false;
				button.after(h('p', { role: 'alert' },
					t('The earlier declarations could not be loaded: {why}', { why: e.message })));
				return;
			}
			const merged = declarations({ adopted: made.concat(page.adopted),
				about_its_decisions: about.concat(page.about_its_decisions),
				next: page.next });
			$('#declarations').replaceWith(merged);
			($('#declarations-more') || $('#decl-h')).focus();
		} }, t('Show earlier declarations')) : null;
	return h('section', { 'aria-labelledby': 'decl-h', id: 'declarations' },
		h('h2', { id: 'decl-h', tabindex: '-1' }, t('Declarations')),
		h('p', null, t('An assembly may declare publicly, by a decision of its own, what ' +
			'it holds of another assembly\'s decision.')),
		h('h3', null, t('About its decisions')),
		about.length ? declarationList(about, 'declarations-about', true)
			: h('p', { id: 'declarations-about' }, t('No assembly has made a declaration ' +
				'about its decisions.')),
		h('h3', null, t('Made by it')),
		made.length ? declarationList(made, 'declarations-made', true)
			: h('p', { id: 'declarations-made' }, t('It has made no declaration.')),
		more);
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
		h('p', { class: 'lead' }, body.kind === 'militia'
			? [tx('A volunteer militia, formed by local assemblies: {page} shows its ' +
				'purpose, who formed it and how to volunteer.', {
				page: h('a', { href: link.militia(body.slug), id: 'militia-page' },
					t('its page')) }), ' ']
			: body.kind === 'enterprise'
			? [tx('An enterprise in {community}, governed by all who work in it as ' +
				'equals: {page} shows what it provides and how to join.', {
				community: h('a', { href: link.community(body.community) },
					communityName || body.community),
				page: h('a', { href: link.enterprise(body.slug), id: 'enterprise-page' },
					t('its page')) }), ' ']
			: body.community
			? [tx('The local assembly of {community}.', { community: h('a', {
				href: link.community(body.community) }, communityName || body.community) }),
			' ']
			: body.kind === 'polity'
				? [tx('The assembly of the polity {polity}: its members are the citizens ' +
					'seated by lot.', { polity: h('a', { href: link.polity(body.slug) },
					body.name) }), ' ']
				: null,
			tx('Founded {date}; {count}.', { date: date(body.founded_at),
				count: body.kind === 'delegate'
					? tn('{n} delegate seated', '{n} delegates seated', body.members)
					: tn('{n} member', '{n} members', body.members) })),
		message ? statusBox(message, kind) : null,
		choiceBox(state, rerender),
		lineageSection(body),
		h('section', { 'aria-labelledby': 'statement-h' },
			h('h2', { id: 'statement-h' }, body.kind === 'enterprise' ||
				body.kind === 'militia' ? t('Purpose') : t('Statement of values')),
			h('div', { class: 'statement', id: 'statement' }, markdown(body.statement))),
		body.kind === 'delegate' || body.kind === 'polity' || body.kind === 'enterprise' ||
			body.kind === 'militia' || (body.lineage && body.lineage.ended) ? null
			: membership(state, rerender),
		schedule(body),
		workAndWatch(state),
		// a polity's assembly joins no federation (its kinds refuse it)
		body.kind === 'polity' ? null : federations(state),
		declarations(state.declarations),
		allotmentsSection(state.allotments),
		rules(body),
		state.offices ? officesSection(state.offices, body) : null,
		memberList(state.members, body.kind === 'delegate'),
		divisionSection(state, rerender));
	main.removeAttribute('aria-busy');
}

async function main() {
	header();
	let state;
	try {
		if (!slug)
			throw Object.assign(new Error(t('no assembly named')), { status: 404 });
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
	render(state, founded ? t('You founded {assembly} and are its first member.',
		{ assembly: state.body.name }) : null, 'ok');
	// the list says "in session now" once a meeting begins
	const again = async () => {
		try {
			const body = state.body;
			body.meetings = await api('GET', '/bodies/' + encodeURIComponent(slug) +
				'/meetings');
			const list = $('#meeting-list');
			if (list)
				list.replaceWith(meetingList(body.meetings, (body.schedule || {}).tz, body));
			atNextStart(body.meetings.upcoming, again);
		} catch (e) {
			// the list stays as it was
		}
	};
	atNextStart(state.body.meetings && state.body.meetings.upcoming, again);
}

main();

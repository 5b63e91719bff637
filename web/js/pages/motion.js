// motion.js: one motion: its text (Markdown shown as text elements), its
// parameters in words (labelled and shown by their type in the table of
// kinds, GET /motion-kinds), the amendments to it, its discussion
// (discussion.js), advisory input (a form and the list, marked as not
// counted, complementing the discussion), and once decided the result with its
// counts and the rule that decided it (the rule recorded when the vote
// opened, which stays with the result even if the assembly changes its
// rules later), then the declarations other assemblies made about it.
import { api, me } from '../api.js';
import { $, fill, h, link, meetingTime, param, seatWord } from '../dom.js';
import { onSubmit } from '../forms.js';
import { number, t, tx } from '../i18n.js';
import { failed, header, status, title } from '../layout.js';
import { decidedRuleText, kindsTable, loadKindLabels, markdown, motionKindText, motionStatusText,
	resultText, ruleSetText, ruleText, rruleText } from '../text.js';
import { barChart, positionsFor, POSITION_TEXT } from '../votes.js';
import { aboutDecision } from '../declarations.js';
import { countTable } from '../stv.js';
import { discussion } from '../discussion.js';

const id = param('id');
// The assembly's time zone, once its record is loaded: every time on the
// page is said in it.
let TZ = '';
const at = (seconds) => meetingTime(seconds, TZ);
const path = '/motions/' + encodeURIComponent(id || '');
const STATUS_TEXT = {
	submitted: t('On the agenda, not yet voted on'),
	voting: t('Being voted on now'),
	adopted: t('Adopted'),
	rejected: t('Rejected'),
	no_quorum: t('Not decided: no quorum'),
	withdrawn: t('Withdrawn by the proposer'),
};
// A parameter's value in words, by its type in the table of kinds
// (GET /motion-kinds): a law or a motion is a link, a moment a date, a
// person a handle, a choice its label; what has no words shows as JSON.
const SHOW = {
	law: (v, slug) => h('a', { href: link.law(slug, v) }, t('Law {n}', { n: v })),
	motion: (v) => h('a', { href: link.motion(v) }, t('Motion {n}', { n: v })),
	decision: (v) => h('a', { href: link.motion(v) }, t('Motion {n}', { n: v })),
	proposal: (v) => h('a', { href: link.proposal(v) }, t('Proposal {n}', { n: v })),
	time: (v) => at(v),
	member: (v) => '@' + v,
	handle: (v) => '@' + v,
	members: (v) => v.map((x) => '@' + x).join(', '),
	committee: (v) => t('Committee {n}', { n: v }),
	rules: (v) => ruleSetText(v).map(([k, words]) => k + ': ' + words).join('; '),
	schedule: (v) => [rruleText(v.rrule) || v.rrule,
		v.tz ? ' ' + t('({zone} time)', { zone: v.tz.replace(/_/g, ' ') }) : '',
		v.place ? t(', at {place}', { place: v.place }) : ''].join(''),
	// a division's new communities (docs/communities.md)
	communities: (v) => h('ul', { class: 'new-community-list' }, v.map((c) => h('li', null,
		h('strong', null, c.name), ': ' + t('{areas}; {n} people; its assembly meets {when}', {
			areas: c.areas, n: number(c.population),
			when: SHOW.schedule(c.schedule).replace(/^E/, 'e') })))),
	assemblies: (v) => v.join(', '),
	// a case's witnesses, each at its time (docs/cases.md, "Testimony")
	witnesses: (v) => h('ul', { class: 'witness-list' }, v.map((w) =>
		h('li', null, at(w.at), ' · ', w.handle ? '@' + w.handle : w.name))),
};

function paramValue(spec, v, slug, kinds) {
	const type = spec && spec.type;
	try {
		if (type === 'choice' || type === 'kinds') {
			const label = (x) => {
				const l = ((spec.choices || []).find((c) => c.value === x) ||
					(kinds.find((k) => k.name === x) || {})).label;
				return l ? t(l) : x;
			};
			return Array.isArray(v) ? v.map(label).join('; ') : label(v);
		}
		if (SHOW[type])
			return SHOW[type](v, slug);
	} catch (e) {
		// a value not of its type: shown as it is below
	}
	if (typeof v === 'number' || typeof v === 'string')
		return String(v);
	return h('code', null, JSON.stringify(v));
}

function params(mo, kinds) {
	const p = mo.params || {};
	const row = kinds.find((k) => k.name === mo.kind) || { params: [] };
	// a meeting named by its start and place too, for the journal
	// (schedule_testimony): the meeting's number says it here
	const journalOnly = (k) => ['meeting_at', 'meeting_place'].includes(k) &&
		!row.params.some((x) => x.name === k);
	const keys = Object.keys(p).filter((k) => p[k] !== '' && p[k] !== null && !journalOnly(k));
	if (!keys.length)
		return null;
	return h('dl', { class: 'facts', id: 'params' }, keys.map((k) => {
		const spec = row.params.find((x) => x.name === k);
		return [h('dt', null, spec ? t(spec.label) : k.replace(/_/g, ' ')),
			h('dd', null, paramValue(spec, p[k], mo.body, kinds))];
	}));
}

function result(mo, body) {
	const r = mo.result;
	if (!r)
		return null;
	const counts = r.counts || {};
	return h('section', { 'aria-labelledby': 'result-h', class: 'card', id: 'result' },
		h('h2', { id: 'result-h' }, t('Result: {outcome}',
			{ outcome: motionStatusText(r.outcome || mo.status) })),
		h('p', { id: 'result-text' }, resultText(r)),
		r.ranked ? countTable(r.count, r.withdrawn)
			: barChart(counts, { offered: positionsFor(r.rule || mo.rule, r.round),
				caption: t('Votes on {title}', { title: mo.title }) }),
		h('dl', { class: 'facts' },
			h('dt', null, t('Decided by')),
			h('dd', { id: 'rule-text' },
				decidedRuleText(r, mo.rule, seatWord(body))),
			h('dt', null, t('Ballot')),
			h('dd', null, (r.ballot || mo.ballot) === 'secret'
				? t('secret: only the counts are kept') : t('open')),
			h('dt', null, t('Voted by')),
			h('dd', null, r.mode === 'hands' ? t('a show of hands') : r.mode === 'devices'
				? (seatWord(body) === 'delegate' ? t('each delegate present, on a device')
					: t('each member present, on a device')) : r.mode || '—'),
			r.present !== undefined ? [h('dt', null, t('Present')),
				h('dd', null, number(r.present))] : null,
			mo.decided_at ? [h('dt', null, t('Decided')),
				h('dd', null, at(mo.decided_at))] : null),
		mo.votes && mo.votes.length ? [h('h3', null, seatWord(body) === 'delegate'
			? t('How each delegate voted') : t('How each member voted')),
		h('ul', { class: 'plain', id: 'votes' }, mo.votes.map((v) =>
			h('li', null, '@' + v.member + ': ' + (v.ranking
				? t('ranked {ranking}', { ranking: v.ranking.map((x) => '@' + x).join(', ') })
				: POSITION_TEXT[v.position] || v.position))))] : null,
		// delegates of member assemblies on other nodes (docs/nodes.md)
		(mo.votes_from_other_nodes || []).length ? [
			h('h3', null, t('How delegates from other nodes voted')),
			h('ul', { class: 'plain', id: 'votes-afar' }, mo.votes_from_other_nodes.map((v) =>
				h('li', null, tx('{delegate} of {assembly}: {position}', {
					delegate: v.delegate.split('/').pop(),
					assembly: h('a', { href: v.assembly }, v.assembly.split('/').pop()),
					position: POSITION_TEXT[v.position] || v.position }))))] : null);
}

async function amendments(mo) {
	if (!mo.amendments || !mo.amendments.length)
		return h('p', { class: 'muted' }, t('No amendments.'));
	const list = await Promise.all(mo.amendments.map((a) =>
		api('GET', '/motions/' + a).catch(() => ({ id: a, title: t('Motion {n}', { n: a }),
			status: '?' }))));
	return h('ol', { class: 'amendments', id: 'amendment-list' }, list.map((a) =>
		h('li', null, h('a', { href: link.motion(a.id) }, a.title), ' · ',
			h('span', { class: 'badge' }, motionStatusText(a.status)),
			a.text ? h('div', { class: 'statement' }, markdown(a.text)) : null)));
}

// The rule that will decide the motion: the one recorded when its vote
// opened, else the assembly's rule for its kind, else its default.
function ruleFor(mo, body) {
	if (mo.rule)
		return mo.rule;
	const rules = body && body.rules;
	if (!rules)
		return null;
	return (rules.by_kind && rules.by_kind[mo.kind]) || rules.default || rules;
}

function advice(mo, account, mine, rerender, body) {
	const list = mo.advisory || [];
	const undecided = ['submitted', 'voting'].includes(mo.status);
	// only the positions the rule offers, and nothing chosen for you
	const offered = positionsFor(ruleFor(mo, body), mo.round);
	const form = account && mine && undecided ? h('form', { id: 'advice-form' },
		h('div', { class: 'field' },
			h('label', { for: 'advice-position' }, t('What you think')),
			h('select', { id: 'advice-position', name: 'position', 'data-field': 'position',
				required: true },
			h('option', { value: '' }, t('Choose…')),
			offered.map((p) => h('option', { value: p }, POSITION_TEXT[p])))),
		h('div', { class: 'field' },
			h('label', { for: 'advice-comment' }, t('Comment (optional)')),
			h('textarea', { id: 'advice-comment', name: 'comment', rows: 3,
				class: 'short', 'data-field': 'comment', maxlength: 5000 })),
		h('div', { class: 'actions' },
			h('button', { type: 'submit' }, t('Give advice')))) : null;
	if (form) {
		onSubmit(form, async (data) => {
			const body = { position: data.get('position') };
			const c = String(data.get('comment') || '').trim();
			if (c)
				body.comment = c;
			await api('POST', path + '/advice', body);
			await rerender(t('Your advice is recorded. It is shown, never counted.'));
		});
	}
	return h('section', { 'aria-labelledby': 'advice-h', id: 'advice' },
		h('h2', { id: 'advice-h' }, t('Advisory input'), ' ',
			h('span', { class: 'not-counted' }, t('(not counted)'))),
		h('p', { class: 'hint' }, seatWord(body) === 'delegate'
			? t('Any delegate may say where they stand before the vote: a position and a ' +
				'short comment, one per delegate. It complements the discussion above, is ' +
				'shown beside the result and is never counted.')
			: t('Any member may say where they stand before the vote: a position and a ' +
				'short comment, one per member. It complements the discussion above, is ' +
				'shown beside the result and is never counted.')),
		list.length ? h('ul', { class: 'plain', id: 'advice-list' }, list.map((a) =>
			h('li', null, h('strong', null, '@' + a.member), ': ',
				POSITION_TEXT[a.position] || a.position, ' ', t('(advice, not counted)'), ' · ',
				at(a.at),
				a.comment ? h('p', null, a.comment) : null)))
			: h('p', { class: 'muted' }, t('No advice given.')),
		form);
}

// The proposer may withdraw a motion not yet voted on.
function withdraw(mo, account, rerender) {
	if (!account || account.handle !== mo.proposer || mo.status !== 'submitted')
		return null;
	const form = h('form', { id: 'withdraw-form' },
		h('div', { class: 'actions' },
			h('button', { type: 'submit', class: 'secondary', id: 'withdraw' },
				t('Withdraw this motion'))),
		h('p', { class: 'hint' }, t('You proposed it; until the vote opens you may ' +
			'take it back. It stays in the record as withdrawn.')));
	onSubmit(form, async () => {
		await api('DELETE', path);
		await rerender(t('The motion is withdrawn.'));
	});
	return form;
}

// The text; once amendments changed it, the original, each adopted
// amendment in the order decided, and the text as it now stands.
function texts(mo) {
	const by = mo.amended_by || [];
	if (!by.length || mo.original_text === undefined)
		return mo.text ? h('section', { 'aria-labelledby': 'text-h' },
			h('h2', { id: 'text-h' }, t('Text')),
			h('div', { class: 'statement', id: 'motion-text' }, markdown(mo.text)))
			: null;
	return h('section', { 'aria-labelledby': 'text-h', id: 'texts' },
		h('h2', { id: 'text-h' }, t('Text as amended')),
		h('div', { class: 'statement', id: 'motion-text' }, markdown(mo.text)),
		h('h3', null, t('Original text')),
		h('div', { class: 'statement', id: 'original-text' }, markdown(mo.original_text)),
		h('h3', null, t('Changed by')),
		h('ol', { id: 'amended-by' }, by.map((a) => h('li', null,
			tx('{motion}, adopted {when}:', { motion: h('a', { href: link.motion(a.id) }, a.title),
				when: at(a.decided_at) }),
			h('div', { class: 'statement' }, markdown(a.text))))));
}

// The discussion loads and redraws itself; the page keeps it across its
// own re-renders.
let talk = null;

async function render(message) {
	const [mo, account] = await Promise.all([api('GET', path), me()]);
	const [body, table, declared] = await Promise.all([
		api('GET', '/bodies/' + encodeURIComponent(mo.body)).catch(() => null),
		kindsTable().catch(() => ({ kinds: [] })),
		mo.decided_at ? aboutDecision(mo.body, mo.id) : null,
		loadKindLabels(),
	]);
	const mine = !!account && (account.memberships || []).some((m) =>
		m.body === mo.body && m.status === 'active');
	TZ = body && body.schedule ? body.schedule.tz || '' : '';
	title(mo.title);
	const rerender = async (msg) => {
		await render(msg);
	};
	// after an action (the motion withdrawn, advice given) the discussion
	// reads itself again: it may have closed
	if (!talk)
		talk = discussion('motion', mo.id);
	else if (message)
		talk.refresh();
	const main = $('#main');
	fill(main,
		h('h1', null, mo.title),
		h('p', { class: 'lead' }, motionKindText(mo.kind), ' · ',
			h('span', { class: 'badge', id: 'motion-status' },
				// closed by something else than its proposer or a vote
				mo.closed_reason ? t('Withdrawn: {reason}', { reason: mo.closed_reason })
					: STATUS_TEXT[mo.status] || mo.status)),
		h('p', { id: 'status', class: 'status ok', role: 'status', tabindex: '-1',
			hidden: !message }, message || ''),
		// an enterprise's decision its local assembly declared void under a law
		mo.voided_by ? h('p', { class: 'status bad', id: 'voided' },
			tx('This decision is void: it conflicts with a law of the local assembly, ' +
				'which declared it void by {decision}. It has no effect.', {
				decision: h('a', { href: link.motion(mo.voided_by) }, t('its own decision')) }))
			: null,
		h('dl', { class: 'facts' },
			h('dt', null, t('Assembly')),
			h('dd', null, h('a', { href: link.assembly(mo.body) },
				body ? body.name : mo.body)),
			h('dt', null, t('Proposed by')),
			h('dd', null, tx('{handle} on {when}', { handle: '@' + mo.proposer,
				when: at(mo.submitted_at) })),
			mo.meeting ? [h('dt', null, t('Meeting')),
				h('dd', { id: 'motion-meeting' }, h('a', { href: link.meeting(mo.meeting) },
					mo.meeting_starts_at ? tx('The meeting of {when}',
						{ when: at(mo.meeting_starts_at) })
						: t('The meeting where it is decided')))] : null,
			mo.amends ? [h('dt', null, t('Amends')),
				h('dd', null, h('a', { href: link.motion(mo.amends) },
					t('Motion {n}', { n: mo.amends })))] : null,
			mo.rule ? [h('dt', null, t('Rule')),
				h('dd', null, ruleText(mo.rule, seatWord(body)))] : null),
		params(mo, table.kinds),
		texts(mo),
		withdraw(mo, account, rerender),
		result(mo, body),
		declared,
		mo.kind !== 'amendment' ? h('section', { 'aria-labelledby': 'amend-h' },
			h('h2', { id: 'amend-h' }, t('Amendments')), await amendments(mo)) : null,
		talk,
		advice(mo, account, mine, rerender, body));
	main.removeAttribute('aria-busy');
	if (message)
		$('#status').focus();
	void status;
}

async function main() {
	header();
	try {
		if (!id || !/^\d+$/.test(id))
			throw Object.assign(new Error('no motion named'), { status: 404 });
		await render();
	} catch (e) {
		failed('This motion', e);
	}
}

main();

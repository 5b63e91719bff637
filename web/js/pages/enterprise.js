// enterprise.js: one enterprise (?slug=S): a workplace its workers govern
// as equal members (docs/economy.md): its purpose, what it provides, its
// conditions of membership, its members (all equal), offices, decision
// rule and meetings, and the signed-in person's way in or out: join once
// admitted, leave at any time. With ?community=C and no slug: the form to
// found an enterprise in C (the server decides who may).
import { api, me } from '../api.js';
import { $, date, fill, h, link, meetingTime, param, plural } from '../dom.js';
import { onSubmit } from '../forms.js';
import { failed, header, status, title } from '../layout.js';
import { options, ruleEditor } from '../rule-editor.js';
import { ORDINALS, WEEKDAYS, markdown, ruleText, rruleText } from '../text.js';
import { ACTION_TEXT, PERIOD_TEXT, appreciationsList, deliveriesTable, historyList,
	recordSection, reviewWords, standingText } from '../economy.js';


function facts(e) {
	const asm = e.assembly;
	return h('dl', { class: 'facts' },
		h('dt', null, 'Community'),
		h('dd', null, h('a', { href: link.community(e.community) }, e.community_name)),
		h('dt', null, 'Bound by the laws of'),
		h('dd', null, asm ? h('a', { href: link.laws(asm.slug) }, asm.name) : '—'),
		h('dt', null, 'Provides'),
		h('dd', null, e.provides),
		h('dt', null, 'Decides by'),
		h('dd', null, ruleText(e.rules.default)),
		h('dt', null, 'Meets'),
		h('dd', null, e.schedule_text || 'when it declares a meeting'),
		h('dt', null, 'Founded'),
		h('dd', null, date(e.founded_at)));
}

function membersSection(e) {
	return h('section', { class: 'card', 'aria-labelledby': 'members-h' },
		h('h2', { id: 'members-h' }, plural(e.members, 'member', 'members')),
		h('p', { class: 'hint' }, 'Every member has one equal vote. Nobody here ' +
			'is anyone\'s employee: all who work in it decide together.'),
		h('ul', { id: 'member-list' }, e.member_list.map((m) =>
			h('li', null, m.display_name, ' ',
				h('span', { class: 'muted' }, 'since ', date(m.since))))),
		e.admitted.length ? h('p', { id: 'admitted' }, 'Admitted by the members, ' +
			'not yet joined: ', e.admitted.map((a) => a.display_name).join(', '), '.')
			: null);
}

// Its decisions the local assembly declared void under a law, each with
// both decisions linked, the law and the reasons.
function voidedSection(e) {
	if (!e.voided.length)
		return null;
	return h('section', { class: 'card', id: 'voided', 'aria-labelledby': 'voided-h' },
		h('h2', { id: 'voided-h' }, 'Decisions void under local law'),
		h('ul', null, e.voided.map((v) => h('li', null,
			h('a', { href: link.motion(v.decision) }, v.title), ': void since ',
			date(v.at), ', in conflict with ',
			e.assembly ? h('a', { href: link.law(e.assembly.slug, v.law) },
				'law ' + v.law + ', ' + v.law_title) : 'law ' + v.law,
			' (', h('a', { href: link.motion(v.by) }, 'the assembly\'s decision'), '). ',
			v.reasons))));
}

// Its standing in the sharing economy, as its local assembly decided it.
function standingSection(st) {
	const cur = st.standing;
	return h('section', { class: 'card', id: 'standing', 'aria-labelledby': 'standing-h' },
		h('h2', { id: 'standing-h' }, 'Standing in the sharing economy'),
		h('p', { id: 'standing-now' }, h('strong', null, standingText(cur && cur.standing)),
			cur ? h('span', null, ', decided by ' + cur.assembly_name + ' on ',
				date(cur.decided_at), '.')
				: st.assembly ? ': ' + st.assembly.name + ' decides it at its meetings.'
					: '.'),
		reviewWords(st),
		st.assembly ? h('p', null, h('a', { href: '/standing.html?assembly=' +
			encodeURIComponent(st.assembly.slug) }, 'The assembly\'s standing review')) : null,
		h('h3', null, 'History'),
		historyList(st.history));
}

// A member records what the enterprise delivered.
function deliveryForm(e, c, reload) {
	const inForce = c.commitments.filter((k) => !k.ended_by);
	const form = h('form', { id: 'delivery-form', class: 'inline-form' },
		h('h3', null, 'Record a delivery'),
		h('div', { class: 'field' },
			h('label', { for: 'd-commitment' }, 'Against'),
			h('select', { id: 'd-commitment', name: 'commitment', 'data-field': 'commitment' },
				h('option', { value: '' }, 'No commitment'),
				...inForce.map((k) => h('option', { value: String(k.id) }, k.what + ' (' +
					k.quantity + ' ' + k.unit + ' ' + PERIOD_TEXT[k.period] + ')')))),
		h('div', { class: 'field' },
			h('label', { for: 'd-action' }, 'Kind'),
			h('select', { id: 'd-action', name: 'action', 'data-field': 'action' },
				...Object.entries(ACTION_TEXT).map(([v, t]) => h('option', { value: v }, t)))),
		h('div', { class: 'field' },
			h('label', { for: 'd-what' }, 'What'),
			h('input', { id: 'd-what', name: 'what', 'data-field': 'what', maxlength: 200 })),
		h('div', { class: 'row' },
			h('div', { class: 'field' },
				h('label', { for: 'd-quantity' }, 'How much'),
				h('input', { id: 'd-quantity', name: 'quantity', 'data-field': 'quantity',
					type: 'number', min: 1, max: 1000000, required: true })),
			h('div', { class: 'field' },
				h('label', { for: 'd-unit' }, 'Counted in'),
				h('input', { id: 'd-unit', name: 'unit', 'data-field': 'unit',
					maxlength: 40 }))),
		h('div', { class: 'field' },
			h('label', { for: 'd-to' }, 'To (a user name, optional)'),
			h('input', { id: 'd-to', name: 'to', 'data-field': 'to', autocapitalize: 'none',
				spellcheck: 'false' })),
		h('p', { class: 'hint' }, 'Against a commitment, what and how it is counted ' +
			'are the commitment\'s.'),
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Record it')));
	onSubmit(form, async (data) => {
		const body = { quantity: Number(data.get('quantity')) };
		const k = data.get('commitment');
		if (k)
			body.commitment = Number(k);
		else
			Object.assign(body, { action: data.get('action'),
				what: String(data.get('what')).trim(), unit: String(data.get('unit')).trim() });
		const to = String(data.get('to') || '').trim().replace(/^@/, '');
		if (to)
			body.to = to;
		await api('POST', '/enterprises/' + encodeURIComponent(e.slug) + '/deliveries', body);
		await reload();
		status('The delivery is recorded.', 'ok');
	});
	return form;
}

// The member who recorded a delivery by mistake corrects it, within a
// week and once (docs/economy.md): a new record points at the old one.
const WEEK = 7 * 86400;
function correctionForm(e, c, account, reload) {
	const now = Date.now() / 1000;
	const mine = c.deliveries.filter((d) => d.recorded_by === account.handle &&
		!d.corrected && !d.corrects && now - d.recorded_at <= WEEK);
	if (!mine.length)
		return null;
	const form = h('form', { id: 'correction-form', class: 'inline-form' },
		h('h3', null, 'Correct a delivery you recorded by mistake'),
		h('p', { class: 'hint' }, 'Within a week of recording it, once. The record ' +
			'you correct stays, marked, with your reason.'),
		h('div', { class: 'field' },
			h('label', { for: 'k-delivery' }, 'Which'),
			h('select', { id: 'k-delivery', name: 'delivery', 'data-field': 'delivery' },
				...mine.map((d) => h('option', { value: String(d.id) }, d.quantity + ' ' +
					d.unit + ' of ' + d.what + ', ' + date(d.at).textContent)))),
		h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'k-none',
			name: 'none', 'data-field': 'did_not_happen' }),
		h('label', { for: 'k-none' }, 'It did not happen')),
		h('div', { class: 'field' },
			h('label', { for: 'k-quantity' }, 'How much it really was'),
			h('input', { id: 'k-quantity', name: 'quantity', 'data-field': 'quantity',
				type: 'number', min: 1, max: 1000000 })),
		h('div', { class: 'field' },
			h('label', { for: 'k-reason' }, 'What the mistake was'),
			h('input', { id: 'k-reason', name: 'reason', 'data-field': 'reason',
				maxlength: 2000, required: true })),
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Correct it')));
	onSubmit(form, async (data) => {
		const body = { reason: String(data.get('reason')).trim() };
		if (data.get('none'))
			body.did_not_happen = true;
		else if (data.get('quantity'))
			body.quantity = Number(data.get('quantity'));
		await api('POST', '/enterprises/' + encodeURIComponent(e.slug) + '/deliveries/' +
			encodeURIComponent(data.get('delivery')) + '/correction', body);
		await reload();
		status('The delivery is corrected; the first record stays, marked.', 'ok');
	});
	return form;
}

// Whoever took something from it says whether it met their need.
function appreciationForm(e, reload) {
	const form = h('form', { id: 'appreciation-form', class: 'inline-form' },
		h('h3', null, 'Appreciate what you took'),
		h('div', { class: 'field' },
			h('label', { for: 'a-text' }, 'In a few words'),
			h('textarea', { id: 'a-text', name: 'text', 'data-field': 'text', class: 'short',
				maxlength: 1000, required: true })),
		h('fieldset', { 'data-field': 'met_need' },
			h('legend', null, 'Did it meet your need?'),
			h('div', { class: 'check' }, h('input', { type: 'radio', id: 'a-met',
				name: 'met', value: 'yes', required: true }),
			h('label', { for: 'a-met' }, 'Yes')),
			h('div', { class: 'check' }, h('input', { type: 'radio', id: 'a-unmet',
				name: 'met', value: 'no' }),
			h('label', { for: 'a-unmet' }, 'No'))),
		h('p', { class: 'hint' }, 'Only those to whom it delivered something appreciate ' +
			'it, once for each delivery. There are no stars and no score.'),
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Send')));
	onSubmit(form, async (data) => {
		await api('POST', '/enterprises/' + encodeURIComponent(e.slug) + '/appreciations',
			{ text: String(data.get('text')).trim(), met_need: data.get('met') === 'yes' });
		await reload();
		status('Thank you: your appreciation is on its page.', 'ok');
	});
	return form;
}

function contributionsSection(e, c, account, reload) {
	const member = account && e.member_list.some((m) => m.handle === account.handle);
	return h('section', { class: 'card', id: 'contributions',
		'aria-labelledby': 'contributions-h' },
	h('h2', { id: 'contributions-h' }, 'What it contributes'),
	h('p', { class: 'hint' }, 'What its members decided to provide, what it delivered ' +
		'and to whom, and what those who took it said. No prices.'),
	h('h3', null, 'Commitments'),
	c.commitments.length ? h('ul', { id: 'commitments' }, c.commitments.map((k) =>
		h('li', { class: k.ended_by ? 'muted' : '' },
			h('strong', null, k.what), ': ' + k.quantity + ' ' + k.unit + ' ' +
			PERIOD_TEXT[k.period] + ' (' + ACTION_TEXT[k.action].toLowerCase() + '), ',
			h('a', { href: link.motion(k.motion) }, 'decided'), ' on ', date(k.since),
			k.ended_by ? h('span', null, '; ended on ', date(k.ended_at)) : '')))
		: h('p', { class: 'muted' }, 'No commitment yet: the members state them by a ' +
			'motion "State a commitment".'),
	recordSection(c.record, 'The last twelve months'),
	h('h3', null, 'Deliveries'),
	deliveriesTable(c.deliveries, 'Deliveries, newest first', false, 'deliveries'),
	member ? deliveryForm(e, c, reload) : null,
	member ? correctionForm(e, c, account, reload) : null,
	h('h3', null, 'What it took'),
	deliveriesTable(c.took, 'What other enterprises delivered to it', true, 'took'),
	h('h3', { id: 'appreciations-h' }, 'Appreciations'),
	appreciationsList(c.appreciations),
	account && !member ? appreciationForm(e, reload) : null);
}

function officesSection(e) {
	if (!e.offices.length)
		return h('p', { class: 'muted' }, 'No offices yet. The members create them, ' +
			'elect their holders and may recall them at any moment.');
	return h('section', { 'aria-labelledby': 'offices-h' },
		h('h2', { id: 'offices-h' }, 'Offices'),
		h('p', { class: 'hint' }, 'Offices carry duties, never power over anyone.'),
		h('ul', null, e.offices.map((o) => h('li', null,
			h('strong', null, o.name), ': ', o.holder ? o.holder : 'vacant'))));
}

// What each answer to a federation's proposal means here, in words.
const ANSWERS = {
	accept: 'in effect here, by the members\' decision',
	reject: 'rejected by the members',
	amend: 'sent back with an amendment',
	repealed: 'withdrawn: declared void under local law',
};

// The federations of enterprises it joined by its own decisions, and the
// proposals they offered it, each with the members' answer.
function federationsSection(feds, proposals) {
	const mine = feds.memberships || [];
	const offered = proposals.offered || [];
	return h('section', { class: 'card', id: 'federations',
		'aria-labelledby': 'federations-h' },
	h('h2', { id: 'federations-h' }, 'Federations'),
	mine.length ? h('ul', { id: 'federation-list' }, mine.map((f) => h('li', null,
		h('a', { href: link.assembly(f.federation) }, f.name), ', ', f.region,
		f.status === 'active' ? '' : f.status === 'left' ? ' (left)' : ' (suspended)',
		f.delegates.length ? ': delegates ' +
			f.delegates.map((d) => d.handle).join(', ') : ': no delegate now')))
		: h('p', { class: 'muted' }, 'It belongs to no federation. The members may ' +
			'found one or join one by their decision, with other enterprises of ' +
			'any community.'),
	offered.length ? h('h3', null, 'Proposals from its federations') : null,
	offered.length ? h('ul', { id: 'offered-list' }, offered.map((o) => h('li', null,
		h('a', { href: link.proposal(o.id, o.version) }, o.title),
		' (version ' + o.version + '): ',
		o.answer ? ANSWERS[o.answer] || o.answer : 'not answered yet'))) : null,
	h('p', { class: 'hint' }, 'A proposal takes effect here only by the members\' ' +
		'own decision, and never above the laws of the local assembly.'));
}

function meetingsSection(slug, meetings, tz) {
	const next = (meetings.upcoming || []).slice(0, 3);
	return h('section', { 'aria-labelledby': 'meetings-h' },
		h('h2', { id: 'meetings-h' }, 'Meetings'),
		next.length ? h('ul', null, next.map((m) => h('li', null,
			h('a', { href: link.meeting(m.id) }, meetingTime(m.starts_at, tz)),
			m.place ? ', ' + m.place : '',
			m.state === 'open' ? ' (in session now)' : '')))
			: h('p', { class: 'muted' }, 'No meeting ahead.'),
		h('p', null, h('a', { href: link.assembly(slug) },
			'Motions, decisions and the full calendar')));
}

// The signed-in person's way in or out.
function membership(e, account, reload) {
	const box = h('section', { class: 'card', id: 'membership',
		'aria-labelledby': 'membership-h' },
	h('h2', { id: 'membership-h' }, 'Working here'));
	if (!account) {
		box.append(h('p', null, 'Sign in to join or to follow it: ',
			h('a', { href: link.signin(location.pathname + location.search) }, 'sign in'),
			'.'));
		return box;
	}
	const member = e.member_list.some((m) => m.handle === account.handle);
	const admitted = e.admitted.some((a) => a.handle === account.handle);
	if (member) {
		const form = h('form', { id: 'leave-form' },
			h('p', null, 'You are a member, equal to every other. You may leave ' +
				'at any time, at once: nobody decides it but you.'),
			h('div', { class: 'actions' }, h('button', { type: 'submit',
				class: 'secondary' }, 'Leave ' + e.name)));
		onSubmit(form, async () => {
			await api('DELETE', '/bodies/' + encodeURIComponent(e.slug) + '/members/me');
			await reload();
			status('You have left ' + e.name + '.', 'ok');
		});
		box.append(form);
		return box;
	}
	if (admitted) {
		const form = h('form', { id: 'join-form' },
			h('p', null, 'The members have admitted you. Join to become a member ' +
				'with an equal vote.'),
			h('div', { class: 'check' },
				h('input', { type: 'checkbox', id: 'affirm', name: 'affirm',
					'data-field': 'affirm', required: true }),
				h('label', { for: 'affirm' }, 'I share its purpose and will work ' +
					'here as an equal member')),
			h('div', { class: 'actions' }, h('button', { type: 'submit' },
				'Join ' + e.name)));
		onSubmit(form, async (data) => {
			await api('POST', '/bodies/' + encodeURIComponent(e.slug) + '/members',
				{ affirm: data.get('affirm') === 'on', basis: 'works' });
			await reload();
			status('You are a member of ' + e.name + '.', 'ok');
		});
		box.append(form);
		return box;
	}
	box.append(h('p', null, 'Joining is by the members\' decision: ask a member ' +
		'to propose your admission (your name here is @' + account.handle +
		'); once they admit you, you join from this page.'));
	return box;
}

async function show(slug) {
	const main = $('#main');
	const account = await me().catch(() => null);
	const reload = async () => {
		let e, meetings, feds, proposals, contrib, st;
		try {
			e = await api('GET', '/enterprises/' + encodeURIComponent(slug));
			meetings = await api('GET', '/bodies/' + encodeURIComponent(slug) + '/meetings');
			feds = await api('GET', '/bodies/' + encodeURIComponent(slug) + '/federations');
			proposals = await api('GET', '/bodies/' + encodeURIComponent(slug) +
				'/proposals');
			contrib = await api('GET', '/enterprises/' + encodeURIComponent(slug) +
				'/contributions');
			st = await api('GET', '/enterprises/' + encodeURIComponent(slug) + '/standing');
		} catch (err) {
			failed('This enterprise', err);
			return;
		}
		title(e.name);
		const cond = e.conditions.text;
		fill(main,
			h('h1', null, e.name),
			h('p', { class: 'lede' }, 'A workplace its workers govern as equals, ' +
				'in ' + e.community_name + '.'),
			h('div', { id: 'status', class: 'status', role: 'status', hidden: true }),
			facts(e),
			h('section', { 'aria-labelledby': 'purpose-h' },
				h('h2', { id: 'purpose-h' }, 'Purpose'),
				h('div', { class: 'prose' }, markdown(e.purpose))),
			h('section', { 'aria-labelledby': 'conditions-h' },
				h('h2', { id: 'conditions-h' }, 'Conditions of membership'),
				cond ? h('div', { class: 'prose', id: 'conditions' }, markdown(cond))
					: h('p', { class: 'muted', id: 'conditions' },
						'The members have not set conditions yet.'),
				cond && e.conditions.motion ? h('p', { class: 'hint' },
					h('a', { href: link.motion(e.conditions.motion) },
						'Set by the members\' decision of ' +
						date(e.conditions.at))) : null),
			membership(e, account, reload),
			membersSection(e),
			standingSection(st),
			contributionsSection(e, contrib, account, reload),
			voidedSection(e),
			officesSection(e),
			federationsSection(feds, proposals),
			meetingsSection(slug, meetings, e.schedule.tz));
		main.removeAttribute('aria-busy');
	};
	await reload();
}

// ---- founding --------------------------------------------------------------

function scheduleFields() {
	const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
	return h('fieldset', { id: 'schedule', 'data-field': 'schedule' },
		h('legend', null, 'When the members meet'),
		h('div', { class: 'row' },
			h('div', { class: 'field' },
				h('label', { for: 'pattern' }, 'How often'),
				h('select', { id: 'pattern', name: 'pattern', 'data-field': 'schedule.rrule' },
					h('option', { value: 'weekly' }, 'Every week'),
					h('option', { value: 'biweekly' }, 'Every other week'),
					h('option', { value: 'monthly' }, 'Once a month'))),
			h('div', { class: 'field', id: 'ordinal-field', hidden: true },
				h('label', { for: 'ordinal' }, 'Which one in the month'),
				h('select', { id: 'ordinal', name: 'ordinal' }, ...options(ORDINALS, '1'))),
			h('div', { class: 'field' },
				h('label', { for: 'weekday' }, 'Day'),
				h('select', { id: 'weekday', name: 'weekday' }, ...options(WEEKDAYS, 'MO'))),
			h('div', { class: 'field' },
				h('label', { for: 'time' }, 'Time'),
				h('input', { id: 'time', name: 'time', type: 'time', value: '08:00',
					required: true }))),
		h('div', { class: 'field' },
			h('label', { for: 'tz' }, 'Time zone'),
			h('input', { id: 'tz', name: 'tz', 'data-field': 'schedule.tz', value: zone,
				required: true, autocapitalize: 'none', spellcheck: 'false' })),
		h('div', { class: 'field' },
			h('label', { for: 'place' }, 'Place'),
			h('input', { id: 'place', name: 'place', 'data-field': 'schedule.place',
				required: true, maxlength: 200 })),
		h('p', { class: 'preview', id: 'schedule-preview', 'aria-live': 'polite' }));
}

function rrule() {
	const [hh, mm] = ($('#time').value || '08:00').split(':');
	const pattern = $('#pattern').value;
	const parts = pattern === 'monthly'
		? ['FREQ=MONTHLY', 'BYDAY=' + $('#ordinal').value + $('#weekday').value]
		: ['FREQ=WEEKLY', ...(pattern === 'biweekly' ? ['INTERVAL=2'] : []),
			'BYDAY=' + $('#weekday').value];
	parts.push('BYHOUR=' + Number(hh), 'BYMINUTE=' + Number(mm));
	return parts.join(';');
}

async function foundForm(community) {
	const main = $('#main');
	let c;
	try {
		c = await api('GET', '/communities/' + encodeURIComponent(community));
	} catch (e) {
		failed('This community', e);
		return;
	}
	title('Found an enterprise in ' + c.name);
	const account = await me().catch(() => null);
	const preview = h('p', { class: 'preview', id: 'rule-preview', 'aria-live': 'polite' });
	const rule = ruleEditor('rule-d', 'rule.default', 'rule.default',
		'How the members decide', { kind: 'consent', fraction: '2/3', base: 'cast',
			rounds: 2, quorum: 'none', qcount: 3, qfraction: '1/10' },
		() => { preview.textContent = 'Every decision: ' + ruleText(rule.value()) + '.'; });
	const form = h('form', { id: 'enterprise-form' },
		h('div', { class: 'field' },
			h('label', { for: 'name' }, 'Name'),
			h('input', { id: 'name', name: 'name', 'data-field': 'name', required: true,
				maxlength: 120 })),
		h('div', { class: 'field' },
			h('label', { for: 'purpose' }, 'Purpose'),
			h('textarea', { id: 'purpose', name: 'purpose', 'data-field': 'purpose',
				required: true }),
			h('p', { class: 'hint' }, 'What it is for, in your own words: every ' +
				'member affirms it on joining.')),
		h('div', { class: 'field' },
			h('label', { for: 'provides' }, 'What it produces or provides'),
			h('input', { id: 'provides', name: 'provides', 'data-field': 'provides',
				required: true, maxlength: 2000 })),
		h('div', { class: 'field' },
			h('label', { for: 'founders' }, 'Founding with you (optional)'),
			h('input', { id: 'founders', name: 'founders', 'data-field': 'founders',
				autocapitalize: 'none', spellcheck: 'false' }),
			h('p', { class: 'hint' }, 'Their user names, separated by commas: each is ' +
				'admitted at once and joins by their own act.')),
		h('fieldset', { id: 'rules', 'data-field': 'rule' },
			h('legend', null, 'How the members decide'), rule.el, preview),
		scheduleFields(),
		h('div', { class: 'actions' }, h('button', { type: 'submit' },
			'Found the enterprise')));
	fill(main,
		h('h1', null, 'Found an enterprise in ' + c.name),
		h('p', null, 'A workshop, a school, a farm, a neighbourhood association: ' +
			'all who work in it are equal members and decide together, bound by the ' +
			'laws of ' + c.name + '. Any member of its local assembly may found one; ' +
			'you become its first member.'),
		h('div', { id: 'status', class: 'status', role: 'status', hidden: true }),
		account ? form : h('p', { class: 'card' }, 'Sign in to found an enterprise: ',
			h('a', { href: link.signin(location.pathname + location.search) }, 'sign in'),
			'.'));
	rule.sync();
	const showSchedule = () => {
		$('#ordinal-field').hidden = $('#pattern').value !== 'monthly';
		const r = rrule();
		fill($('#schedule-preview'), rruleText(r) || r, ' (' + $('#tz').value + ' time)',
			$('#place').value.trim() ? ', at ' + $('#place').value.trim() : '', '.');
	};
	$('#schedule').addEventListener('input', showSchedule);
	$('#schedule').addEventListener('change', showSchedule);
	showSchedule();
	onSubmit(form, async (data) => {
		const founders = String(data.get('founders') || '').split(',')
			.map((s) => s.trim().replace(/^@/, '')).filter(Boolean);
		const body = {
			name: String(data.get('name')).trim(), community: c.slug,
			purpose: String(data.get('purpose')),
			provides: String(data.get('provides')).trim(),
			rule: { default: rule.value() },
			schedule: { rrule: rrule(), tz: $('#tz').value.trim(),
				place: $('#place').value.trim() },
		};
		if (founders.length)
			body.founders = founders;
		const made = await api('POST', '/enterprises', body);
		location.assign(link.enterprise(made.slug));
	});
	main.removeAttribute('aria-busy');
}

async function main() {
	await header();
	const slug = param('slug');
	const community = param('community');
	if (slug)
		await show(slug);
	else if (community)
		await foundForm(community);
	else
		failed('This enterprise', Object.assign(new Error('no enterprise named'),
			{ status: 404 }));
}

main();

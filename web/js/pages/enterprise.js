// enterprise.js: one enterprise (?slug=S): a workplace its workers govern
// as equal members (docs/economy.md): its purpose, what it provides, its
// conditions of membership, its members (all equal), offices, decision
// rule and meetings, and the signed-in person's way in or out: join once
// admitted, leave at any time. With ?community=C and no slug: the form to
// found an enterprise in C (the server decides who may).
import { api, me } from '../api.js';
import { $, date, fill, h, link, meetingTime, param } from '../dom.js';
import { number, t, tn, tx } from '../i18n.js';
import { onSubmit } from '../forms.js';
import { failed, header, status, title } from '../layout.js';
import { options, ruleEditor } from '../rule-editor.js';
import { ORDINALS, WEEKDAYS, markdown, ruleText, rruleText } from '../text.js';
import { ACTION_TEXT, PERIOD_TEXT, appreciationsList, deliveriesTable, historyList,
	recordSection, reviewWords, standingText } from '../economy.js';


function facts(e) {
	const asm = e.assembly;
	return h('dl', { class: 'facts' },
		h('dt', null, t('Community')),
		h('dd', null, h('a', { href: link.community(e.community) }, e.community_name)),
		h('dt', null, t('Bound by the laws of')),
		h('dd', null, asm ? h('a', { href: link.laws(asm.slug) }, asm.name) : '—'),
		h('dt', null, t('Provides')),
		h('dd', null, e.provides),
		h('dt', null, t('Decides by')),
		h('dd', null, ruleText(e.rules.default)),
		h('dt', null, t('Meets')),
		h('dd', null, (e.schedule && rruleText(e.schedule.rrule)) || e.schedule_text ||
			t('when it declares a meeting')),
		h('dt', null, t('Founded')),
		h('dd', null, date(e.founded_at)));
}

function membersSection(e) {
	return h('section', { class: 'card', 'aria-labelledby': 'members-h' },
		h('h2', { id: 'members-h' }, tn('{n} member', '{n} members', e.members)),
		h('p', { class: 'hint' }, t('Every member has one equal vote. Nobody here ' +
			'is anyone\'s employee: all who work in it decide together.')),
		h('ul', { id: 'member-list' }, e.member_list.map((m) =>
			h('li', null, m.display_name, ' ',
				h('span', { class: 'muted' }, tx('since {date}', { date: date(m.since) }))))),
		e.admitted.length ? h('p', { id: 'admitted' }, t('Admitted by the members, not yet ' +
			'joined: {names}.', { names: e.admitted.map((a) => a.display_name).join(', ') }))
			: null);
}

// Its decisions the local assembly declared void under a law, each with
// both decisions linked, the law and the reasons.
function voidedSection(e) {
	if (!e.voided.length)
		return null;
	return h('section', { class: 'card', id: 'voided', 'aria-labelledby': 'voided-h' },
		h('h2', { id: 'voided-h' }, t('Decisions void under local law')),
		h('ul', null, e.voided.map((v) => h('li', null,
			tx('{decision}: void since {date}, in conflict with {law} ({by}).', {
				decision: h('a', { href: link.motion(v.decision) }, v.title),
				date: date(v.at),
				law: e.assembly ? h('a', { href: link.law(e.assembly.slug, v.law) },
					t('law {n}, {title}', { n: v.law, title: v.law_title }))
					: t('law {n}', { n: v.law }),
				by: h('a', { href: link.motion(v.by) }, t('the assembly\'s decision')) }),
			' ', v.reasons))));
}

// Its standing in the sharing economy, as its local assembly decided it.
function standingSection(st) {
	const cur = st.standing;
	return h('section', { class: 'card', id: 'standing', 'aria-labelledby': 'standing-h' },
		h('h2', { id: 'standing-h' }, t('Standing in the sharing economy')),
		h('p', { id: 'standing-now' }, h('strong', null, standingText(cur && cur.standing)),
			cur ? h('span', null, tx(', decided by {assembly} on {date}.', {
				assembly: cur.assembly_name, date: date(cur.decided_at) }))
				: st.assembly ? t(': {assembly} decides it at its meetings.',
					{ assembly: st.assembly.name })
					: '.'),
		reviewWords(st),
		st.assembly ? h('p', null, h('a', { href: '/standing.html?assembly=' +
			encodeURIComponent(st.assembly.slug) }, t('The assembly\'s standing review')))
			: null,
		h('h3', null, t('History')),
		historyList(st.history));
}

// A member records what the enterprise delivered.
function deliveryForm(e, c, reload) {
	const inForce = c.commitments.filter((k) => !k.ended_by);
	const form = h('form', { id: 'delivery-form', class: 'inline-form' },
		h('h3', null, t('Record a delivery')),
		h('div', { class: 'field' },
			h('label', { for: 'd-commitment' }, t('Against')),
			h('select', { id: 'd-commitment', name: 'commitment', 'data-field': 'commitment' },
				h('option', { value: '' }, t('No commitment')),
				...inForce.map((k) => h('option', { value: String(k.id) },
					t('{what} ({quantity} {unit} {period})', { what: k.what,
						quantity: number(k.quantity), unit: k.unit,
						period: PERIOD_TEXT[k.period] }))))),
		h('div', { class: 'field' },
			h('label', { for: 'd-action' }, t('Kind')),
			h('select', { id: 'd-action', name: 'action', 'data-field': 'action' },
				...Object.entries(ACTION_TEXT).map(([v, words]) => h('option', { value: v },
					words)))),
		h('div', { class: 'field' },
			h('label', { for: 'd-what' }, t('What')),
			h('input', { id: 'd-what', name: 'what', 'data-field': 'what', maxlength: 200 })),
		h('div', { class: 'row' },
			h('div', { class: 'field' },
				h('label', { for: 'd-quantity' }, t('How much')),
				h('input', { id: 'd-quantity', name: 'quantity', 'data-field': 'quantity',
					type: 'number', min: 1, max: 1000000, required: true })),
			h('div', { class: 'field' },
				h('label', { for: 'd-unit' }, t('Counted in')),
				h('input', { id: 'd-unit', name: 'unit', 'data-field': 'unit',
					maxlength: 40 }))),
		h('div', { class: 'field' },
			h('label', { for: 'd-to' }, t('To (a user name, optional)')),
			h('input', { id: 'd-to', name: 'to', 'data-field': 'to', autocapitalize: 'none',
				spellcheck: 'false' })),
		h('p', { class: 'hint' }, t('Against a commitment, what and how it is counted ' +
			'are the commitment\'s.')),
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Record it'))));
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
		status(t('The delivery is recorded.'), 'ok');
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
		h('h3', null, t('Correct a delivery you recorded by mistake')),
		h('p', { class: 'hint' }, t('Within a week of recording it, once. The record ' +
			'you correct stays, marked, with your reason.')),
		h('div', { class: 'field' },
			h('label', { for: 'k-delivery' }, t('Which')),
			h('select', { id: 'k-delivery', name: 'delivery', 'data-field': 'delivery' },
				...mine.map((d) => h('option', { value: String(d.id) },
					t('{quantity} {unit} of {what}, {date}', { quantity: number(d.quantity),
						unit: d.unit, what: d.what, date: date(d.at).textContent }))))),
		h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'k-none',
			name: 'none', 'data-field': 'did_not_happen' }),
		h('label', { for: 'k-none' }, t('It did not happen'))),
		h('div', { class: 'field' },
			h('label', { for: 'k-quantity' }, t('How much it really was')),
			h('input', { id: 'k-quantity', name: 'quantity', 'data-field': 'quantity',
				type: 'number', min: 1, max: 1000000 })),
		h('div', { class: 'field' },
			h('label', { for: 'k-reason' }, t('What the mistake was')),
			h('input', { id: 'k-reason', name: 'reason', 'data-field': 'reason',
				maxlength: 2000, required: true })),
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Correct it'))));
	onSubmit(form, async (data) => {
		const body = { reason: String(data.get('reason')).trim() };
		if (data.get('none'))
			body.did_not_happen = true;
		else if (data.get('quantity'))
			body.quantity = Number(data.get('quantity'));
		await api('POST', '/enterprises/' + encodeURIComponent(e.slug) + '/deliveries/' +
			encodeURIComponent(data.get('delivery')) + '/correction', body);
		await reload();
		status(t('The delivery is corrected; the first record stays, marked.'), 'ok');
	});
	return form;
}

// Whoever took something from it says whether it met their need.
function appreciationForm(e, reload) {
	const form = h('form', { id: 'appreciation-form', class: 'inline-form' },
		h('h3', null, t('Appreciate what you took')),
		h('div', { class: 'field' },
			h('label', { for: 'a-text' }, t('In a few words')),
			h('textarea', { id: 'a-text', name: 'text', 'data-field': 'text', class: 'short',
				maxlength: 1000, required: true })),
		h('fieldset', { 'data-field': 'met_need' },
			h('legend', null, t('Did it meet your need?')),
			h('div', { class: 'check' }, h('input', { type: 'radio', id: 'a-met',
				name: 'met', value: 'yes', required: true }),
			h('label', { for: 'a-met' }, t('Yes'))),
			h('div', { class: 'check' }, h('input', { type: 'radio', id: 'a-unmet',
				name: 'met', value: 'no' }),
			h('label', { for: 'a-unmet' }, t('No')))),
		h('p', { class: 'hint' }, t('Only those to whom it delivered something appreciate ' +
			'it, once for each delivery. There are no stars and no score.')),
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Send'))));
	onSubmit(form, async (data) => {
		await api('POST', '/enterprises/' + encodeURIComponent(e.slug) + '/appreciations',
			{ text: String(data.get('text')).trim(), met_need: data.get('met') === 'yes' });
		await reload();
		status(t('Thank you: your appreciation is on its page.'), 'ok');
	});
	return form;
}

function contributionsSection(e, c, account, reload) {
	const member = account && e.member_list.some((m) => m.handle === account.handle);
	return h('section', { class: 'card', id: 'contributions',
		'aria-labelledby': 'contributions-h' },
	h('h2', { id: 'contributions-h' }, t('What it contributes')),
	h('p', { class: 'hint' }, t('What its members decided to provide, what it delivered ' +
		'and to whom, and what those who took it said. No prices.')),
	h('h3', null, t('Commitments')),
	c.commitments.length ? h('ul', { id: 'commitments' }, c.commitments.map((k) =>
		h('li', { class: k.ended_by ? 'muted' : '' },
			tx('{what}: {quantity} {unit} {period} ({kind}), {decided} on {date}', {
				what: h('strong', null, k.what), quantity: number(k.quantity), unit: k.unit,
				period: PERIOD_TEXT[k.period], kind: ACTION_TEXT[k.action].toLowerCase(),
				decided: h('a', { href: link.motion(k.motion) }, t('decided')),
				date: date(k.since) }),
			k.ended_by ? h('span', null, tx('; ended on {date}', { date: date(k.ended_at) }))
				: '')))
		: h('p', { class: 'muted' }, t('No commitment yet: the members state them by a ' +
			'motion "State a commitment".')),
	recordSection(c.record, t('The last twelve months')),
	h('h3', null, t('Deliveries')),
	deliveriesTable(c.deliveries, t('Deliveries, newest first'), false, 'deliveries'),
	member ? deliveryForm(e, c, reload) : null,
	member ? correctionForm(e, c, account, reload) : null,
	h('h3', null, t('What it took')),
	deliveriesTable(c.took, t('What other enterprises delivered to it'), true, 'took'),
	h('h3', { id: 'appreciations-h' }, t('Appreciations')),
	appreciationsList(c.appreciations),
	account && !member ? appreciationForm(e, reload) : null);
}

function officesSection(e) {
	if (!e.offices.length)
		return h('p', { class: 'muted' }, t('No offices yet. The members create them, ' +
			'elect their holders and may recall them at any moment.'));
	return h('section', { 'aria-labelledby': 'offices-h' },
		h('h2', { id: 'offices-h' }, t('Offices')),
		h('p', { class: 'hint' }, t('Offices carry duties, never power over anyone.')),
		h('ul', null, e.offices.map((o) => h('li', null,
			h('strong', null, o.name), ': ', o.holder ? o.holder : t('vacant')))));
}

// What each answer to a federation's proposal means here, in words.
const ANSWERS = {
	accept: t('in effect here, by the members\' decision'),
	reject: t('rejected by the members'),
	amend: t('sent back with an amendment'),
	repealed: t('withdrawn: declared void under local law'),
};

// The federations of enterprises it joined by its own decisions, and the
// proposals they offered it, each with the members' answer.
function federationsSection(feds, proposals) {
	const mine = feds.memberships || [];
	const offered = proposals.offered || [];
	return h('section', { class: 'card', id: 'federations',
		'aria-labelledby': 'federations-h' },
	h('h2', { id: 'federations-h' }, t('Federations')),
	mine.length ? h('ul', { id: 'federation-list' }, mine.map((f) => h('li', null,
		h('a', { href: link.assembly(f.federation) }, f.name), ', ', f.region,
		f.status === 'active' ? '' : ' ' + (f.status === 'left' ? t('(left)')
			: t('(suspended)')),
		f.delegates.length ? ': ' + t('delegates {names}', { names:
			f.delegates.map((d) => d.handle).join(', ') }) : ': ' + t('no delegate now'))))
		: h('p', { class: 'muted' }, t('It belongs to no federation. The members may ' +
			'found one or join one by their decision, with other enterprises of ' +
			'any community.')),
	offered.length ? h('h3', null, t('Proposals from its federations')) : null,
	offered.length ? h('ul', { id: 'offered-list' }, offered.map((o) => h('li', null,
		h('a', { href: link.proposal(o.id, o.version) }, o.title),
		' ' + t('(version {n})', { n: o.version }) + ': ',
		o.answer ? ANSWERS[o.answer] || o.answer : t('not answered yet')))) : null,
	h('p', { class: 'hint' }, t('A proposal takes effect here only by the members\' ' +
		'own decision, and never above the laws of the local assembly.')));
}

function meetingsSection(slug, meetings, tz) {
	const next = (meetings.upcoming || []).slice(0, 3);
	return h('section', { 'aria-labelledby': 'meetings-h' },
		h('h2', { id: 'meetings-h' }, t('Meetings')),
		next.length ? h('ul', null, next.map((m) => h('li', null,
			h('a', { href: link.meeting(m.id) }, meetingTime(m.starts_at, tz)),
			m.place ? ', ' + m.place : '',
			m.state === 'open' ? ' ' + t('(in session now)') : '')))
			: h('p', { class: 'muted' }, t('No meeting ahead.')),
		h('p', null, h('a', { href: link.assembly(slug) },
			t('Motions, decisions and the full calendar'))));
}

// The signed-in person's way in or out.
function membership(e, account, reload) {
	const box = h('section', { class: 'card', id: 'membership',
		'aria-labelledby': 'membership-h' },
	h('h2', { id: 'membership-h' }, t('Working here')));
	if (!account) {
		box.append(h('p', null, tx('Sign in to join or to follow it: {signin}.', {
			signin: h('a', { href: link.signin(location.pathname + location.search) },
				t('sign in')) })));
		return box;
	}
	const member = e.member_list.some((m) => m.handle === account.handle);
	const admitted = e.admitted.some((a) => a.handle === account.handle);
	if (member) {
		const form = h('form', { id: 'leave-form' },
			h('p', null, t('You are a member, equal to every other. You may leave ' +
				'at any time, at once: nobody decides it but you.')),
			h('div', { class: 'actions' }, h('button', { type: 'submit',
				class: 'secondary' }, t('Leave {name}', { name: e.name }))));
		onSubmit(form, async () => {
			await api('DELETE', '/bodies/' + encodeURIComponent(e.slug) + '/members/me');
			await reload();
			status(t('You have left {name}.', { name: e.name }), 'ok');
		});
		box.append(form);
		return box;
	}
	if (admitted) {
		const form = h('form', { id: 'join-form' },
			h('p', null, t('The members have admitted you. Join to become a member ' +
				'with an equal vote.')),
			h('div', { class: 'check' },
				h('input', { type: 'checkbox', id: 'affirm', name: 'affirm',
					'data-field': 'affirm', required: true }),
				h('label', { for: 'affirm' }, t('I share its purpose and will work ' +
					'here as an equal member'))),
			h('div', { class: 'actions' }, h('button', { type: 'submit' },
				t('Join {name}', { name: e.name }))));
		onSubmit(form, async (data) => {
			await api('POST', '/bodies/' + encodeURIComponent(e.slug) + '/members',
				{ affirm: data.get('affirm') === 'on', basis: 'works' });
			await reload();
			status(t('You are a member of {name}.', { name: e.name }), 'ok');
		});
		box.append(form);
		return box;
	}
	box.append(h('p', null, t('Joining is by the members\' decision: ask a member ' +
		'to propose your admission (your name here is @{handle}); once they admit you, ' +
		'you join from this page.', { handle: account.handle })));
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
			h('p', { class: 'lede' }, t('A workplace its workers govern as equals, in ' +
				'{community}.', { community: e.community_name })),
			h('div', { id: 'status', class: 'status', role: 'status', hidden: true }),
			facts(e),
			h('section', { 'aria-labelledby': 'purpose-h' },
				h('h2', { id: 'purpose-h' }, t('Purpose')),
				h('div', { class: 'prose' }, markdown(e.purpose))),
			h('section', { 'aria-labelledby': 'conditions-h' },
				h('h2', { id: 'conditions-h' }, t('Conditions of membership')),
				cond ? h('div', { class: 'prose', id: 'conditions' }, markdown(cond))
					: h('p', { class: 'muted', id: 'conditions' },
						t('The members have not set conditions yet.')),
				cond && e.conditions.motion ? h('p', { class: 'hint' },
					h('a', { href: link.motion(e.conditions.motion) },
						tx('Set by the members\' decision of {date}',
							{ date: date(e.conditions.at) }))) : null),
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
		h('legend', null, t('When the members meet')),
		h('div', { class: 'row' },
			h('div', { class: 'field' },
				h('label', { for: 'pattern' }, t('How often')),
				h('select', { id: 'pattern', name: 'pattern', 'data-field': 'schedule.rrule' },
					h('option', { value: 'weekly' }, t('Every week')),
					h('option', { value: 'biweekly' }, t('Every other week')),
					h('option', { value: 'monthly' }, t('Once a month')))),
			h('div', { class: 'field', id: 'ordinal-field', hidden: true },
				h('label', { for: 'ordinal' }, t('Which one in the month')),
				h('select', { id: 'ordinal', name: 'ordinal' }, ...options(ORDINALS, '1'))),
			h('div', { class: 'field' },
				h('label', { for: 'weekday' }, t('Day')),
				h('select', { id: 'weekday', name: 'weekday' }, ...options(WEEKDAYS, 'MO'))),
			h('div', { class: 'field' },
				h('label', { for: 'time' }, t('Time')),
				h('input', { id: 'time', name: 'time', type: 'time', value: '08:00',
					required: true }))),
		h('div', { class: 'field' },
			h('label', { for: 'tz' }, t('Time zone')),
			h('input', { id: 'tz', name: 'tz', 'data-field': 'schedule.tz', value: zone,
				required: true, autocapitalize: 'none', spellcheck: 'false' })),
		h('div', { class: 'field' },
			h('label', { for: 'place' }, t('Place')),
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
	title(t('Found an enterprise in {community}', { community: c.name }));
	const account = await me().catch(() => null);
	const preview = h('p', { class: 'preview', id: 'rule-preview', 'aria-live': 'polite' });
	const rule = ruleEditor('rule-d', 'rule.default', 'rule.default',
		t('How the members decide'), { kind: 'consent', fraction: '2/3', base: 'cast',
			rounds: 2, quorum: 'none', qcount: 3, qfraction: '1/10' },
		() => {
			preview.textContent = t('Every decision: {rule}.', { rule: ruleText(rule.value()) });
		});
	const form = h('form', { id: 'enterprise-form' },
		h('div', { class: 'field' },
			h('label', { for: 'name' }, t('Name')),
			h('input', { id: 'name', name: 'name', 'data-field': 'name', required: true,
				maxlength: 120 })),
		h('div', { class: 'field' },
			h('label', { for: 'purpose' }, t('Purpose')),
			h('textarea', { id: 'purpose', name: 'purpose', 'data-field': 'purpose',
				required: true }),
			h('p', { class: 'hint' }, t('What it is for, in your own words: every ' +
				'member affirms it on joining.'))),
		h('div', { class: 'field' },
			h('label', { for: 'provides' }, t('What it produces or provides')),
			h('input', { id: 'provides', name: 'provides', 'data-field': 'provides',
				required: true, maxlength: 2000 })),
		h('div', { class: 'field' },
			h('label', { for: 'founders' }, t('Founding with you (optional)')),
			h('input', { id: 'founders', name: 'founders', 'data-field': 'founders',
				autocapitalize: 'none', spellcheck: 'false' }),
			h('p', { class: 'hint' }, t('Their user names, separated by commas: each is ' +
				'admitted at once and joins by their own act.'))),
		h('fieldset', { id: 'rules', 'data-field': 'rule' },
			h('legend', null, t('How the members decide')), rule.el, preview),
		scheduleFields(),
		h('div', { class: 'actions' }, h('button', { type: 'submit' },
			t('Found the enterprise'))));
	fill(main,
		h('h1', null, t('Found an enterprise in {community}', { community: c.name })),
		h('p', null, t('A workshop, a school, a farm, a neighbourhood association: ' +
			'all who work in it are equal members and decide together, bound by the ' +
			'laws of {community}. Any member of its local assembly may found one; ' +
			'you become its first member.', { community: c.name })),
		h('div', { id: 'status', class: 'status', role: 'status', hidden: true }),
		account ? form : h('p', { class: 'card' }, tx('Sign in to found an enterprise: ' +
			'{signin}.', { signin: h('a', { href: link.signin(location.pathname +
			location.search) }, t('sign in')) })));
	rule.sync();
	const showSchedule = () => {
		$('#ordinal-field').hidden = $('#pattern').value !== 'monthly';
		const r = rrule();
		fill($('#schedule-preview'), rruleText(r) || r,
			' ' + t('({zone} time)', { zone: $('#tz').value.replace(/_/g, ' ') }),
			$('#place').value.trim() ? t(', at {place}', { place: $('#place').value.trim() })
				: '', '.');
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

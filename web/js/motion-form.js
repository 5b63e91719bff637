// motion-form.js: the form for submitting a motion, with a kind picker
// that shows the fields each kind takes (docs/meetings.md has the table)
// and sends them as the API's params, so a refusal naming
// "params.member" or "amends" lands next to that control.
import { api } from './api.js';
import { h } from './dom.js';
import { onSubmit } from './forms.js';

// kind: [label, the fields it shows, whether the text is required, and
// which assemblies decide it: 'local', 'delegate', or both when absent
// (docs/federation.md; the server refuses the others all the same)]
const KINDS = [
	['resolution', 'A resolution (a decision with no other effect)', [], true],
	['enact_law', 'Enact a new law', [], true, 'local'],
	['amend_law', 'Amend a law (the text is its new text)', ['law'], true, 'local'],
	['repeal_law', 'Repeal a law', ['law'], false, 'local'],
	['amendment', 'Amend a motion on the agenda (its text replaces the motion\'s)',
		['amends'], true],
	// offered only on the page of a meeting in session (opts.adjourn)
	['adjourn', 'Adjourn this meeting (adopted, it closes at once; what is not ' +
		'decided goes to the next meeting)', [], false],
	['create_office', 'Create an office', ['name', 'duties'], false],
	['elect_holder', 'Elect the holder of an office', ['office', 'holder'], false],
	['recall_holder', 'Recall the holder of an office', ['office'], false],
	['exclude_member', 'Exclude a member', ['member', 'reasons', 'hearing'], false, 'local'],
	['readmit_member', 'Readmit a former member', ['member'], false, 'local'],
	['declare_meeting', 'Declare an extra meeting', ['starts_at', 'place'], false],
	['found_federation', 'Found a delegate assembly (a federation), this assembly its first member',
		['fed_slug', 'fed_name', 'purpose', 'region', 'statement', 'fed_rule', 'weekday',
			'hour', 'tz', 'place', 'weighting', 'delegate', 'mandate'], false],
	['join_federation', 'Join a delegate assembly', ['federation'], false],
	['elect_delegates', 'Elect delegates to a delegate assembly (one, or several at once by STV)',
		['federation', 'seats', 'candidates', 'mandate', 'method'], false],
	['leave_federation', 'Leave a delegate assembly', ['federation'], false],
	['recall_delegate', 'Recall a delegate (at once)', ['federation', 'delegate'], false],
	['adopt_proposal', 'Adopt a proposal and offer it to the member assemblies (the text is the proposal)',
		['rationale', 'cond_kind', 'cond_n', 'cond_percent', 'cond_assemblies'], true, 'delegate'],
	['new_proposal_version', 'Issue a new version of a proposal (the text is the new version)',
		['proposal', 'rationale', 'cond_kind', 'cond_n', 'cond_percent', 'cond_assemblies'],
		true, 'delegate'],
	['answer_proposal', 'Answer a proposal offered to this assembly',
		['proposal', 'version', 'answer', 'counter_text', 'reasons'], false],
	['declaration', 'A declaration about another assembly\'s decision (the text is the declaration)',
		['about_motion'], true],
	['suspend_member', 'Suspend a member assembly\'s participation', ['member_body'], false,
		'delegate'],
	['restore_member', 'Restore a suspended member assembly', ['member_body'], false, 'delegate'],
	['change_weighting', 'Change how member assemblies\' voices are weighed', ['weighting'], false,
		'delegate'],
];

const RULES = [['simple_majority', 'Simple majority of votes cast'],
	['absolute_majority', 'Absolute majority of all members'],
	['consensus', 'Consensus'], ['consent', 'Consent (no reasoned objection)'],
	['unanimity', 'Unanimity']];
const DAYS = [['MO', 'Monday'], ['TU', 'Tuesday'], ['WE', 'Wednesday'], ['TH', 'Thursday'],
	['FR', 'Friday'], ['SA', 'Saturday'], ['SU', 'Sunday']];

function fail(message, field) {
	throw Object.assign(new Error(message), { field });
}

function str(data, name) {
	return String(data.get(name) || '').trim();
}

function whole(data, name, field) {
	const v = str(data, name);
	const n = Number(v);
	if (!v || !Number.isInteger(n))
		fail('A whole number, please.', field);
	return n;
}

// A proposal's implementation condition from its four controls.
function condition(data, optional) {
	const kind = str(data, 'cond_kind');
	if (!kind && optional)
		return undefined;
	if (!kind)
		fail('Choose the condition.', 'params.condition');
	if (kind === 'at_least')
		return { kind, n: whole(data, 'cond_n', 'params.condition') };
	if (kind === 'all_of')
		return { kind, assemblies: str(data, 'cond_assemblies').split(/[\s,]+/)
			.filter(Boolean) };
	return { kind, percent: whole(data, 'cond_percent', 'params.condition') };
}

// The kinds whose params are not one control each.
const PARAMS = {
	found_federation: (data) => {
		const hour = str(data, 'hour') || '19:00';
		const [hh, mm] = hour.split(':').map(Number);
		const p = { slug: str(data, 'fed_slug'), name: str(data, 'fed_name'),
			purpose: str(data, 'purpose'), region: str(data, 'region'),
			statement: str(data, 'statement'),
			rule: { default: { kind: str(data, 'fed_rule') || 'simple_majority' } },
			schedule: { rrule: 'FREQ=WEEKLY;BYDAY=' + (str(data, 'weekday') || 'MO') +
				';BYHOUR=' + hh + ';BYMINUTE=' + mm, tz: str(data, 'tz') || 'UTC',
			place: str(data, 'place'), floor_motions: true },
			weighting: str(data, 'weighting') || 'assembly' };
		if (str(data, 'delegate')) {
			p.delegate = str(data, 'delegate');
			p.mandate = str(data, 'mandate');
		}
		return p;
	},
	adopt_proposal: (data) => ({ rationale: str(data, 'rationale'),
		condition: condition(data, false) }),
	new_proposal_version: (data) => {
		const p = { proposal: whole(data, 'proposal', 'params.proposal'),
			rationale: str(data, 'rationale') };
		const c = condition(data, true);
		if (c)
			p.condition = c;
		return p;
	},
	answer_proposal: (data) => {
		const p = { proposal: whole(data, 'proposal', 'params.proposal'),
			version: whole(data, 'version', 'params.version'),
			answer: str(data, 'answer'), reasons: str(data, 'reasons') };
		if (p.answer === 'amend')
			p.counter_text = String(data.get('counter_text') || '');
		return p;
	},
	// one seat names its delegate; several are filled by STV from the
	// candidates, by ranked ballots (docs/federation.md)
	elect_delegates: (data) => {
		const seats = whole(data, 'seats', 'params.seats');
		const cands = data.getAll('candidates').map(String);
		const p = { federation: str(data, 'federation'), mandate: str(data, 'mandate') };
		if (seats < 1)
			fail('Seats is a whole number, 1 or more.', 'params.seats');
		if (seats === 1) {
			if (cands.length !== 1)
				fail('For one seat, choose exactly one person.', 'params.candidates');
			p.delegate = cands[0];
		} else {
			p.seats = seats;
			p.candidates = cands;
			p.method = str(data, 'method') || 'stv-meek';
		}
		return p;
	},
	declaration: (data) => ({ motion: whole(data, 'about_motion', 'params.motion') }),
	suspend_member: (data) => ({ member: str(data, 'member_body') }),
	restore_member: (data) => ({ member: str(data, 'member_body') }),
};

let seq = 0;

function field(idp, name, label, control, hint) {
	const id = idp + '-' + name;
	control.id = id;
	control.name = name;
	return h('div', { class: 'field', 'data-kind-field': name },
		h('label', { for: id }, label), control,
		hint ? h('p', { class: 'hint' }, hint) : null);
}

function select(dataField, options, empty) {
	return h('select', { 'data-field': dataField },
		empty ? h('option', { value: '' }, empty) : null,
		options.map(([v, t]) => h('option', { value: v }, t)));
}

// opts: {slug, bodyKind ('local' or 'delegate': the kinds it may decide),
//        laws, members, offices, motions (undecided, for amendments),
//        adjourn (true on the page of a meeting in session), done(motion)}
export function motionForm(opts) {
	const idp = 'mf' + (++seq);
	const kinds = KINDS.filter((k) => (!k[4] || !opts.bodyKind || k[4] === opts.bodyKind) &&
		(k[0] !== 'adjourn' || opts.adjourn));
	const kind = h('select', { 'data-field': 'kind' },
		kinds.map(([k, t]) => h('option', { value: k }, t)));
	const officeNames = [...new Set(['clerk', 'facilitator',
		...(opts.offices || []).map((o) => o.name)])];
	const fields = {
		law: field(idp, 'law', 'The law', select('params.law',
			(opts.laws || []).filter((l) => l.status !== 'repealed')
				.map((l) => [l.number, 'Law ' + l.number + ': ' + l.title]),
			'Choose a law')),
		amends: field(idp, 'amends', 'The motion it amends', select('amends',
			(opts.motions || []).filter((m) => m.kind !== 'amendment')
				.map((m) => [m.id, m.title + ' (motion ' + m.id + ')']),
			'Choose a motion')),
		name: field(idp, 'name', 'Name of the office',
			h('input', { 'data-field': 'params.name', maxlength: 60 })),
		duties: field(idp, 'duties', 'Its duties',
			h('textarea', { 'data-field': 'params.duties', rows: 3, class: 'short' })),
		office: field(idp, 'office', 'The office',
			h('input', { 'data-field': 'params.office', maxlength: 60,
				list: idp + '-offices' })),
		holder: field(idp, 'holder', 'Who', select('params.holder',
			(opts.members || []).map((m) => [m.handle, m.display_name + ' @' + m.handle]),
			'Choose a member')),
		member: field(idp, 'member', 'The member (handle)',
			h('input', { 'data-field': 'params.member', maxlength: 32,
				autocomplete: 'off', list: idp + '-members' })),
		reasons: field(idp, 'reasons', 'Reasons',
			h('textarea', { 'data-field': 'params.reasons', rows: 3, class: 'short' })),
		hearing: field(idp, 'hearing', 'The hearing given to the member',
			h('textarea', { 'data-field': 'params.hearing', rows: 3, class: 'short' }),
			'When and how the member was heard.'),
		starts_at: field(idp, 'starts_at', 'Starts (your time)',
			h('input', { type: 'datetime-local', 'data-field': 'params.starts_at' })),
		place: field(idp, 'place', 'Place',
			h('input', { 'data-field': 'params.place', maxlength: 200 })),
		federation: field(idp, 'federation', 'The delegate assembly (its short name)',
			h('input', { 'data-field': 'params.federation', maxlength: 64,
				autocomplete: 'off' })),
		delegate: field(idp, 'delegate', 'The delegate', select('params.delegate',
			(opts.members || []).map((m) => [m.handle, m.display_name + ' @' + m.handle]),
			'Choose a member')),
		seats: field(idp, 'seats', 'Seats',
			h('input', { type: 'number', min: 1, max: 50, value: 1,
				'data-field': 'params.seats' }),
			'One seat is decided by the assembly\'s rule; several are filled by ' +
			'single transferable vote over ranked ballots.'),
		candidates: field(idp, 'candidates', 'Candidates (for one seat: the delegate)',
			h('select', { multiple: true, size: 6, 'data-field': 'params.candidates' },
				(opts.members || []).map((m) => h('option', { value: m.handle },
					m.display_name + ' @' + m.handle))),
			'Choose at least as many as there are seats.'),
		method: field(idp, 'method', 'Counted by',
			select('params.method', [['stv-meek', 'STV, Meek (recommended)'],
				['stv-wigm', 'STV, weighted inclusive Gregory'],
				['stv-scottish', 'STV, Scottish rules']])),
		mandate: field(idp, 'mandate', 'The mandate',
			h('textarea', { 'data-field': 'params.mandate', rows: 3, class: 'short' }),
			'What the delegate is sent to do.'),
		fed_slug: field(idp, 'fed_slug', 'Short name of the delegate assembly',
			h('input', { 'data-field': 'params.slug', maxlength: 64, autocomplete: 'off' }),
			'Lower-case letters, digits and hyphens, as in its address.'),
		fed_name: field(idp, 'fed_name', 'Its name',
			h('input', { 'data-field': 'params.name', maxlength: 120 })),
		purpose: field(idp, 'purpose', 'Purpose', select('params.purpose',
			['transport', 'economy', 'sport', 'science', 'health', 'education',
				'environment', 'general'].map((x) => [x, x]))),
		region: field(idp, 'region', 'Region',
			h('input', { 'data-field': 'params.region', maxlength: 120 })),
		statement: field(idp, 'statement', 'Its statement of values',
			h('textarea', { 'data-field': 'params.statement', rows: 3, class: 'short' })),
		fed_rule: field(idp, 'fed_rule', 'How it decides', select('params.rule', RULES)),
		weekday: field(idp, 'weekday', 'It meets every', select('params.schedule', DAYS)),
		hour: field(idp, 'hour', 'At (its time zone)',
			h('input', { type: 'time', value: '19:00', 'data-field': 'params.schedule' })),
		tz: field(idp, 'tz', 'Time zone',
			h('input', { 'data-field': 'params.schedule', maxlength: 64,
				value: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' })),
		weighting: field(idp, 'weighting', 'Voices of member assemblies',
			select('params.weighting', [['assembly', 'One voice per member assembly'],
				['population', 'By population']])),
		proposal: field(idp, 'proposal', 'The proposal (its number)',
			h('input', { type: 'number', min: 1, 'data-field': 'params.proposal' })),
		version: field(idp, 'version', 'The version answered',
			h('input', { type: 'number', min: 1, 'data-field': 'params.version' })),
		answer: field(idp, 'answer', 'The answer', select('params.answer',
			[['accept', 'Accept'], ['reject', 'Reject'],
				['amend', 'Amend: send a counter-text back up']])),
		counter_text: field(idp, 'counter_text', 'Counter-text (for an amendment)',
			h('textarea', { 'data-field': 'params.counter_text', rows: 4, class: 'short' })),
		rationale: field(idp, 'rationale', 'Rationale',
			h('textarea', { 'data-field': 'params.rationale', rows: 3, class: 'short' })),
		cond_kind: field(idp, 'cond_kind', 'In force where accepted once', select(
			'params.condition', [['at_least', 'at least N local assemblies accepted'],
				['share_of_assemblies', 'a share of the local assemblies accepted'],
				['share_of_population', 'a share of the population accepted'],
				['all_of', 'all of these local assemblies accepted']],
			'(a new version: the same condition as before)')),
		cond_n: field(idp, 'cond_n', 'N (local assemblies)',
			h('input', { type: 'number', min: 1, 'data-field': 'params.condition' })),
		cond_percent: field(idp, 'cond_percent', 'Share (percent)',
			h('input', { type: 'number', min: 1, max: 100, 'data-field': 'params.condition' })),
		cond_assemblies: field(idp, 'cond_assemblies', 'The local assemblies (short names)',
			h('input', { 'data-field': 'params.condition', autocomplete: 'off' }),
			'Separated by commas.'),
		about_motion: field(idp, 'about_motion', 'The decision it is about (motion number)',
			h('input', { type: 'number', min: 1, 'data-field': 'params.motion' })),
		member_body: field(idp, 'member_body', 'The member assembly (short name)',
			h('input', { 'data-field': 'params.member', maxlength: 64, autocomplete: 'off' })),
	};
	const text = h('textarea', { 'data-field': 'text', rows: 6 });
	const textHint = h('p', { class: 'hint', id: idp + '-text-hint' },
		'Markdown: paragraphs, lists, **bold**.');
	text.setAttribute('aria-describedby', idp + '-text-hint');
	const textLabel = h('label', { for: idp + '-text' }, 'Text');
	text.id = idp + '-text';
	text.name = 'text';
	const form = h('form', { class: 'motion-form', id: 'motion-form' },
		h('div', { class: 'field' },
			h('label', { for: idp + '-kind' }, 'Kind of motion'),
			Object.assign(kind, { id: idp + '-kind', name: 'kind' })),
		h('div', { class: 'field' },
			h('label', { for: idp + '-title' }, 'Title'),
			h('input', { id: idp + '-title', name: 'title', 'data-field': 'title',
				maxlength: 200, required: true })),
		Object.values(fields),
		h('div', { class: 'field' }, textLabel, text, textHint),
		h('datalist', { id: idp + '-offices' },
			officeNames.map((n) => h('option', { value: n }))),
		h('datalist', { id: idp + '-members' },
			(opts.members || []).map((m) => h('option', { value: m.handle }))),
		h('div', { class: 'actions' },
			h('button', { type: 'submit' }, 'Submit the motion')));
	// the controls of a condition follow its kind; a counter-text only
	// for an amendment
	const condKind = fields.cond_kind.querySelector('select');
	const answer = fields.answer.querySelector('select');
	const show = () => {
		const row = KINDS.find((k) => k[0] === kind.value) || KINDS[0];
		for (const [name, el] of Object.entries(fields))
			el.hidden = !row[2].includes(name);
		if (kind.value === 'adopt_proposal' && !condKind.value)
			condKind.value = 'at_least';
		const c = condKind.value;
		fields.cond_n.hidden ||= c !== 'at_least';
		fields.cond_percent.hidden ||= !c.startsWith('share_');
		fields.cond_assemblies.hidden ||= c !== 'all_of';
		fields.counter_text.hidden ||= answer.value !== 'amend';
		textLabel.textContent = row[3] ? 'Text' : 'Text (optional)';
	};
	kind.addEventListener('change', show);
	condKind.addEventListener('change', show);
	answer.addEventListener('change', show);
	show();
	onSubmit(form, async (data) => {
		const k = data.get('kind');
		const row = KINDS.find((x) => x[0] === k);
		const body = { kind: k, title: String(data.get('title') || '').trim() };
		const t = String(data.get('text') || '');
		if (t.trim())
			body.text = t;
		if (PARAMS[k]) {
			body.params = PARAMS[k](data);
			const mo = await api('POST', '/bodies/' + encodeURIComponent(opts.slug) +
				'/motions', body);
			form.reset();
			show();
			await opts.done(mo);
			return;
		}
		const params = {};
		for (const f of row[2]) {
			const v = String(data.get(f) || '').trim();
			if (f === 'amends') {
				if (v)
					body.amends = Number(v);
				else
					throw Object.assign(new Error('Choose the motion it amends.'),
						{ field: 'amends' });
			} else if (f === 'law') {
				params.law = v ? Number(v) : null;
			} else if (f === 'starts_at') {
				params.starts_at = v ? Math.floor(new Date(v).getTime() / 1000) : null;
			} else {
				params[f] = v;
			}
		}
		if (row[2].some((f) => f !== 'amends'))
			body.params = params;
		const mo = await api('POST', '/bodies/' + encodeURIComponent(opts.slug) +
			'/motions', body);
		form.reset();
		show();
		await opts.done(mo);
	});
	return form;
}

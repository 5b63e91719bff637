// motion-form.js: the form for submitting a motion, with a kind picker
// that shows the fields each kind takes (docs/meetings.md has the table)
// and sends them as the API's params, so a refusal naming
// "params.member" or "amends" lands next to that control.
import { api } from './api.js';
import { h } from './dom.js';
import { onSubmit } from './forms.js';

// kind: [label, the fields it shows, whether the text is required]
const KINDS = [
	['resolution', 'A resolution (a decision with no other effect)', [], true],
	['enact_law', 'Enact a new law', [], true],
	['amend_law', 'Amend a law (the text is its new text)', ['law'], true],
	['repeal_law', 'Repeal a law', ['law'], false],
	['amendment', 'Amend a motion on the agenda (its text replaces the motion\'s)',
		['amends'], true],
	['create_office', 'Create an office', ['name', 'duties'], false],
	['elect_holder', 'Elect the holder of an office', ['office', 'holder'], false],
	['recall_holder', 'Recall the holder of an office', ['office'], false],
	['exclude_member', 'Exclude a member', ['member', 'reasons', 'hearing'], false],
	['readmit_member', 'Readmit a former member', ['member'], false],
	['declare_meeting', 'Declare an extra meeting', ['starts_at', 'place'], false],
	['elect_delegates', 'Elect delegates to a delegate assembly',
		['federation', 'seats', 'candidates', 'mandate', 'method'], false],
];

// elect_delegates: one seat names its delegate; several seats are filled
// by STV from the candidates, by ranked ballots (docs/federation.md).
function electParams(data) {
	const seats = Number(String(data.get('seats') || '1').trim());
	const cands = data.getAll('candidates').map(String);
	const p = { federation: String(data.get('federation') || '').trim(),
		mandate: String(data.get('mandate') || '').trim() };
	if (!Number.isInteger(seats) || seats < 1)
		throw Object.assign(new Error('Seats is a whole number, 1 or more.'),
			{ field: 'params.seats' });
	if (seats === 1) {
		if (cands.length !== 1)
			throw Object.assign(new Error('For one seat, choose exactly one person.'),
				{ field: 'params.candidates' });
		p.delegate = cands[0];
	} else {
		p.seats = seats;
		p.candidates = cands;
		p.method = String(data.get('method') || 'stv-meek');
	}
	return p;
}

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

// opts: {slug, laws, members, offices, motions (undecided, for amendments),
//        done(motion)}
export function motionForm(opts) {
	const idp = 'mf' + (++seq);
	const kind = h('select', { 'data-field': 'kind' },
		KINDS.map(([k, t]) => h('option', { value: k }, t)));
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
		federation: field(idp, 'federation', 'The delegate assembly (its slug)',
			h('input', { 'data-field': 'params.federation', maxlength: 64,
				autocomplete: 'off' })),
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
		mandate: field(idp, 'mandate', 'The mandate',
			h('textarea', { 'data-field': 'params.mandate', rows: 3, class: 'short' }),
			'What the delegates are sent to do: one mandate for all elected.'),
		method: field(idp, 'method', 'Counted by',
			select('params.method', [['stv-meek', 'STV, Meek (recommended)'],
				['stv-wigm', 'STV, weighted inclusive Gregory'],
				['stv-scottish', 'STV, Scottish rules']])),
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
	const show = () => {
		const row = KINDS.find((k) => k[0] === kind.value) || KINDS[0];
		for (const [name, el] of Object.entries(fields))
			el.hidden = !row[2].includes(name);
		textLabel.textContent = row[3] ? 'Text' : 'Text (optional)';
	};
	kind.addEventListener('change', show);
	show();
	onSubmit(form, async (data) => {
		const k = data.get('kind');
		const row = KINDS.find((x) => x[0] === k);
		const body = { kind: k, title: String(data.get('title') || '').trim() };
		const t = String(data.get('text') || '');
		if (t.trim())
			body.text = t;
		const params = {};
		if (k === 'elect_delegates') {
			body.params = electParams(data);
			const mo = await api('POST', '/bodies/' + encodeURIComponent(opts.slug) +
				'/motions', body);
			form.reset();
			show();
			await opts.done(mo);
			return;
		}
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

// motion-form.js: the form for submitting a motion, built from the server's
// table of kinds (GET /api/v1/motion-kinds?body=SLUG, docs/api.md). The
// picker lists the kinds this assembly may decide, with the server's
// labels; each kind shows one control per parameter of its row, made by
// the builder of the parameter's type (a text, a member picked from the
// list, a law, a schedule, a rule...), with the row's label and
// description. A new kind therefore needs only its row on the server.
//
// Each control carries data-field "params.NAME" (or a deeper path for the
// parts of a schedule or a rule), so a refusal naming that field lands
// next to it. Optional parameters left empty are not sent; a required one
// left empty is pointed out before sending (the row says it is required);
// every other refusal is the server's.
import { api } from './api.js';
import { fill, h } from './dom.js';
import { onSubmit } from './forms.js';
import { t } from './i18n.js';
import { ORDINALS, WEEKDAYS, kindsTable, motionKindText, parseRrule } from './text.js';
import { ruleDefaults, ruleEditor } from './rule-editor.js';
import { buildAssemblies, buildCommunities } from './division.js';

let seq = 0;

function fail(message, field) {
	throw Object.assign(new Error(message), { field });
}

// The words of the kinds' table (labels, descriptions, summaries, the
// choices) are the server's, in English: each is looked up in the page's
// catalogue, where po/LANG.po translates them (they are marked N_() in the
// tables of src/gov).
function tr(s) {
	return s ? t(s) : s;
}

function labelText(p) {
	return p.required ? tr(p.label) : t('{label} (optional)', { label: tr(p.label) });
}

// A labelled control with the parameter's description under it.
function labelled(id, text, control, help) {
	control.id = id;
	const f = h('div', { class: 'field' }, h('label', { for: id }, text), control);
	if (help) {
		control.setAttribute('aria-describedby', id + '-hint');
		f.append(h('p', { class: 'hint', id: id + '-hint' }, help));
	}
	return f;
}

// A group of controls (a schedule, a rule, a condition).
function group(c, p, ...children) {
	return h('fieldset', { class: 'param-group', 'data-field': c.field,
		'data-param': p.name },
	h('legend', null, labelText(p)),
	p.description ? h('p', { class: 'hint' }, tr(p.description)) : null, ...children);
}

// A list of [value, label] pairs as options, with an empty first option
// when empty is given.
function optionList(pairs, empty) {
	return [empty ? h('option', { value: '' }, empty) : null,
		pairs.map(([v, label]) => h('option', { value: v }, label))];
}

function datalist(id, values) {
	return h('datalist', { id }, values.map((v) => h('option', { value: v })));
}

// ---- readers --------------------------------------------------------

const read = {
	line: (el) => el.value.trim() || undefined,
	block: (el) => (el.value.trim() ? el.value : undefined),
	whole: (field) => (el) => {
		const v = el.value.trim();
		if (!v)
			return undefined;
		const n = Number(v);
		if (!Number.isInteger(n))
			fail(t('A whole number, please.'), field);
		return n;
	},
	time: (el) => (el.value ? Math.floor(new Date(el.value).getTime() / 1000) : undefined),
	many: (el) => {
		const v = [...el.selectedOptions].map((o) => o.value).filter(Boolean);
		return v.length ? v : undefined;
	},
};

// A one-control parameter: the control gets the parameter's name and
// data-field; the reader turns its value into the parameter's.
function single(p, c, control, reader, extra) {
	control.name = p.name;
	control.dataset.field = c.field;
	const f = labelled(c.id, labelText(p), control, tr(p.description));
	if (extra)
		f.append(extra);
	return { el: f, get: () => reader(control) };
}

function memberPairs(c) {
	return c.members.map((m) => [m.handle, m.display_name + ' @' + m.handle]);
}

// A text input with suggestions from a list that may arrive later.
function suggested(p, c, attrs, values) {
	const listId = c.id + '-list';
	const list = datalist(listId, []);
	const input = h('input', Object.assign({ list: listId, autocomplete: 'off' }, attrs));
	Promise.resolve(values).then((vs) => fill(list, (vs || []).map((v) =>
		h('option', { value: v })))).catch(() => {});
	return single(p, c, input, read.line, list);
}

function lengthAttrs(p) {
	return p.max ? { maxlength: p.max } : {};
}

// ---- one builder per type ---------------------------------------------

const BUILD = {
	text: (p, c) => (p.suggestions
		? suggested(p, c, lengthAttrs(p), p.suggestions.map((s) => s.value))
		: single(p, c, h('input', lengthAttrs(p)), read.line)),
	slug: (p, c) => single(p, c, h('input', Object.assign({ autocomplete: 'off' },
		lengthAttrs(p))), read.line),
	markdown: (p, c) => single(p, c, h('textarea', { rows: 3, class: 'short' }), read.block),
	integer: (p, c) => single(p, c, h('input', { type: 'number', min: p.min,
		max: p.max || undefined }), read.whole(c.field)),
	time: (p, c) => single(p, c, h('input', { type: 'datetime-local' }), read.time),
	choice: (p, c) => single(p, c, h('select', null, optionList(
		p.choices.map((x) => [x.value, tr(x.label)]), p.required ? null : '—')), read.line),
	kinds: (p, c) => single(p, c, h('select', { multiple: true, size: 8 },
		optionList(p.choices.map((x) => [x.value, tr(x.label)]))), read.many),
	handle: (p, c) => suggested(p, c, { maxlength: 32 }, c.members.map((m) => m.handle)),
	member: (p, c) => single(p, c, h('select', null,
		optionList(memberPairs(c), t('Choose a member'))), read.line),
	members: (p, c) => single(p, c, h('select', { multiple: true,
		size: Math.min(6, Math.max(2, c.members.length)) },
	optionList(memberPairs(c))), read.many),
	office: (p, c) => suggested(p, c, { maxlength: 60 }, [...new Set(['clerk',
		'facilitator', ...c.offices.map((o) => o.name)])]),
	law: (p, c) => single(p, c, h('select', null, optionList(c.laws
		.filter((l) => l.status !== 'repealed')
		.map((l) => [l.number, t('Law {n}: {title}', { n: l.number, title: l.title })]),
	t('Choose a law'))),
	read.whole(c.field)),
	committee: (p, c) => single(p, c, h('select', null, optionList(
		c.committees.filter((x) => x.state === 'in_force')
			.map((x) => [x.id, t('{name} (committee {id})', { name: x.name, id: x.id })]),
		t('Choose a committee'))), read.whole(c.field)),
	motion: (p, c) => single(p, c, h('select', null, optionList(c.motions
		.map((m) => [m.id, t('{title} (motion {id})', { title: m.title, id: m.id })]),
	t('Choose a motion'))),
	read.whole(c.field)),
	decision: (p, c) => single(p, c, h('input', { type: 'number', min: 1 }),
		read.whole(c.field)),
	proposal: (p, c) => {
		const f = suggested(p, c, { type: 'number', min: 1 }, c.lists.proposals());
		return { el: f.el, get: () => read.whole(c.field)(f.el.querySelector('input')) };
	},
	federation: (p, c) => suggested(p, c, { maxlength: 64 }, c.lists.federations()),
	assembly: (p, c) => suggested(p, c, { maxlength: 64 }, c.lists.memberAssemblies()),
	rules: buildRules,
	schedule: buildSchedule,
	condition: buildCondition,
	communities: (p, c) => buildCommunities(p, c, { schedule: buildSchedule, labelled }),
	assemblies: (p, c) => buildAssemblies(p, c, { labelled }),
	witnesses: buildWitnesses,
};

// Witnesses of a case (docs/cases.md, "Testimony"): rows of a time and a
// name, "@handle" naming a person of this site; another row on demand.
function buildWitnesses(p, c) {
	const rows = h('ol', { class: 'witness-rows' });
	const add = () => {
		const n = rows.children.length;
		const idp = c.id + '-w' + n;
		rows.append(h('li', null,
			labelled(idp + '-at', t('Time'), h('input', { type: 'datetime-local' })),
			labelled(idp + '-who', t('Name, or @handle for a person here'),
				h('input', { maxlength: 100, autocomplete: 'off' }))));
	};
	add();
	const more = h('button', { type: 'button', class: 'secondary' }, t('Add a witness'));
	more.addEventListener('click', add);
	return {
		el: group(c, p, rows, more),
		get: () => {
			const list = [];
			for (const li of rows.children) {
				const [at, who] = li.querySelectorAll('input');
				const name = who.value.trim();
				if (!name && !at.value)
					continue;
				const time = read.time(at);
				const w = /^@/.test(name) ? { handle: name.slice(1) } : { name };
				w.at = time === undefined ? null : time;
				list.push(w);
			}
			return list.length ? list : undefined;
		},
	};
}

// A rule set: the rule for every decision, starting from the assembly's
// own; its stricter rules for some kinds may be kept as they are.
function buildRules(p, c) {
	const current = (c.body && c.body.rules) || {};
	const ed = ruleEditor(c.id, c.field + '.default', c.field + '.default',
		t('The rule for every decision'), Object.assign(ruleDefaults(current.default),
			current.default ? {} : { quorum: 'none' }), () => {});
	const byKind = current.by_kind || {};
	const kinds = Object.keys(byKind);
	const keep = h('input', { type: 'checkbox', id: c.id + '-keep', name: p.name + '_keep',
		checked: true });
	const el = group(c, p, ed.el, kinds.length ? h('div', { class: 'check' }, keep,
		h('label', { for: keep.id }, t('Keep the stricter rules for: {kinds}',
			{ kinds: kinds.map((k) => motionKindText(k, (c.kindLabels || {})[k])).join(', ') })))
		: null);
	ed.sync();
	return {
		el,
		get: () => {
			const set = { default: ed.value() };
			if (kinds.length && keep.checked)
				set.by_kind = byKind;
			return set;
		},
	};
}

// A regular schedule: how often, the day, the time, the time zone, the
// place, and whether motions are taken from the floor; it starts from the
// assembly's own.
function buildSchedule(p, c) {
	const now = (c.body && c.body.schedule) || {};
	const r = parseRrule(now.rrule);
	const day = /([+-]?\d)?([A-Z]{2})$/.exec(r.BYDAY || '') || [];
	const monthly = r.FREQ === 'MONTHLY';
	const at = r.BYHOUR !== undefined
		? String(r.BYHOUR).padStart(2, '0') + ':' + String(r.BYMINUTE || 0).padStart(2, '0')
		: '19:00';
	const f = c.field;
	const ctl = (name, el, sub) => {
		el.name = name;
		el.dataset.field = f + '.' + sub;
		return el;
	};
	const pattern = ctl('pattern', h('select', null, optionList([['weekly', t('Every week')],
		['biweekly', t('Every other week')], ['monthly', t('Once a month')]])), 'rrule');
	pattern.value = monthly ? 'monthly' : r.INTERVAL === '2' ? 'biweekly' : 'weekly';
	const ordinal = ctl('ordinal', h('select', null, optionList(ORDINALS)), 'rrule');
	ordinal.value = day[1] || '1';
	const weekday = ctl('weekday', h('select', null, optionList(WEEKDAYS)), 'rrule');
	weekday.value = day[2] || 'TU';
	const hour = ctl('hour', h('input', { type: 'time', value: at }), 'rrule');
	const tz = ctl('tz', h('input', { maxlength: 64, autocomplete: 'off',
		value: now.tz || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' }), 'tz');
	const place = ctl('place', h('input', { maxlength: 200, value: now.place || '' }),
		'place');
	const floor = ctl('floor_motions', h('input', { type: 'checkbox',
		checked: now.floor_motions === undefined ? true : !!now.floor_motions }),
	'floor_motions');
	const id = c.id;
	const ordinalField = labelled(id + '-ordinal', t('Which one in the month'), ordinal);
	const el = group(c, p,
		labelled(id + '-pattern', t('How often'), pattern), ordinalField,
		h('div', { class: 'row' }, labelled(id + '-weekday', t('Day'), weekday),
			labelled(id + '-hour', t('At (its time zone)'), hour)),
		labelled(id + '-tz', t('Time zone'), tz), labelled(id + '-place', t('Place'), place),
		h('div', { class: 'check' }, floor, h('label', { for: id + '-floor' },
			t('Motions may be moved from the floor during a meeting'))));
	floor.id = id + '-floor';
	const sync = () => {
		ordinalField.hidden = pattern.value !== 'monthly';
	};
	pattern.addEventListener('change', sync);
	sync();
	return {
		el,
		get: () => {
			const [hh, mm] = (hour.value || '19:00').split(':').map(Number);
			const parts = pattern.value === 'monthly'
				? ['FREQ=MONTHLY', 'BYDAY=' + ordinal.value + weekday.value]
				: ['FREQ=WEEKLY', pattern.value === 'biweekly' ? 'INTERVAL=2' : null,
					'BYDAY=' + weekday.value];
			parts.push('BYHOUR=' + hh, 'BYMINUTE=' + mm);
			return { rrule: parts.filter(Boolean).join(';'), tz: tz.value.trim(),
				place: place.value.trim(), floor_motions: floor.checked };
		},
	};
}

// A proposal's implementation condition (docs/federation.md).
function buildCondition(p, c) {
	const f = c.field;
	const ctl = (name, el) => {
		el.name = name;
		el.dataset.field = f;
		return el;
	};
	const kind = ctl('cond_kind', h('select', null, optionList([
		['at_least', t('at least N local assemblies accepted')],
		['share_of_assemblies', t('a share of the local assemblies accepted')],
		['share_of_population', t('a share of the population accepted')],
		['all_of', t('all of these local assemblies accepted')]],
	p.required ? null : t('(the same condition as before)'))));
	const n = ctl('cond_n', h('input', { type: 'number', min: 1 }));
	const percent = ctl('cond_percent', h('input', { type: 'number', min: 1, max: 100 }));
	const names = ctl('cond_assemblies', h('input', { autocomplete: 'off' }));
	const id = c.id;
	const fields = {
		n: labelled(id + '-n', t('N (local assemblies)'), n),
		percent: labelled(id + '-percent', t('Share (percent)'), percent),
		names: labelled(id + '-names', t('The local assemblies (short names)'), names,
			t('Separated by commas.')),
	};
	const el = group(c, p, labelled(id + '-kind', t('In force once'), kind),
		fields.n, fields.percent, fields.names);
	const sync = () => {
		fields.n.hidden = kind.value !== 'at_least';
		fields.percent.hidden = !kind.value.startsWith('share_');
		fields.names.hidden = kind.value !== 'all_of';
	};
	kind.addEventListener('change', sync);
	sync();
	return {
		el,
		get: () => {
			const k = kind.value;
			if (!k)
				return undefined;
			if (k === 'at_least')
				return { kind: k, n: read.whole(f)(n) };
			if (k === 'all_of')
				return { kind: k, assemblies: names.value.split(/[\s,]+/).filter(Boolean) };
			return { kind: k, percent: read.whole(f)(percent) };
		},
	};
}

// ---- the lists some pickers suggest from, fetched when first needed ----

function lazyLists(slug) {
	const once = (load) => {
		let p = null;
		return () => (p ||= load().catch(() => []));
	};
	const at = '/bodies/' + encodeURIComponent(slug);
	return {
		federations: once(async () => (await api('GET', '/bodies')).bodies
			.filter((b) => b.kind === 'delegate').map((b) => b.slug)),
		proposals: once(async () => {
			const j = await api('GET', at + '/proposals');
			return [...new Set([...(j.originated || []), ...(j.offered || [])]
				.map((x) => String(x.id)))];
		}),
		memberAssemblies: once(async () => ((await api('GET', at + '/federations'))
			.members || []).map((m) => m.body)),
	};
}

// opts: {slug, body (the assembly as GET /bodies/{slug} gives it: its
//        rules and schedule), laws, members, offices, committees,
//        motions (undecided, for amendments and remote votes),
//        inSession (the page is a meeting's in session: kinds marked
//        in_session are offered), only (one kind's name: the form is for
//        it alone), done(motion)}
// Returns a box that holds the form once the kinds have arrived.
export function motionForm(opts) {
	const box = h('div', { class: 'motion-form-box' },
		h('p', { class: 'muted' }, t('Loading the kinds of motion…')));
	kindsTable(opts.slug)
		.then((j) => fill(box, buildForm(opts, j.kinds)))
		.catch((e) => fill(box, h('p', { class: 'form-error', role: 'alert' },
			t('The kinds of motion could not be loaded: {why}', { why: e.message }))));
	return box;
}

function buildForm(opts, table) {
	const idp = 'mf' + (++seq);
	const ctx = {
		members: opts.members || [], offices: opts.offices || [], laws: opts.laws || [],
		committees: opts.committees || [],
		motions: opts.motions || [], body: opts.body || null,
		lists: lazyLists(opts.slug),
		kindLabels: Object.fromEntries(table.map((k) => [k.name, k.label])),
	};
	// a kind about the meeting in session is offered only at one
	const kinds = table.filter((k) => (!k.in_session || opts.inSession) &&
		(!opts.only || k.name === opts.only));
	const kind = h('select', { 'data-field': 'kind', id: idp + '-kind', name: 'kind' },
		kinds.map((k) => h('option', { value: k.name }, tr(k.label))));
	const summary = h('p', { class: 'hint', id: idp + '-kind-hint' });
	kind.setAttribute('aria-describedby', summary.id);
	const amends = h('select', { 'data-field': 'amends', name: 'amends' },
		optionList(ctx.motions.filter((m) => m.kind !== 'amendment')
			.map((m) => [m.id, t('{title} (motion {id})', { title: m.title, id: m.id })]),
		t('Choose a motion')));
	const amendsField = labelled(idp + '-amends', t('The motion it amends'), amends);
	const paramsBox = h('div', { class: 'params' });
	const text = h('textarea', { 'data-field': 'text', rows: 6, id: idp + '-text',
		name: 'text', 'aria-describedby': idp + '-text-hint' });
	const textLabel = h('label', { for: text.id }, t('Text'));
	const form = h('form', { class: 'motion-form', id: 'motion-form' },
		h('div', { class: 'field' }, h('label', { for: kind.id }, t('Kind of motion')), kind,
			summary),
		h('div', { class: 'field' },
			h('label', { for: idp + '-title' }, t('Title')),
			h('input', { id: idp + '-title', name: 'title', 'data-field': 'title',
				maxlength: 200, required: true })),
		amendsField, paramsBox,
		h('div', { class: 'field' }, textLabel, text,
			h('p', { class: 'hint', id: idp + '-text-hint' },
				t('Markdown: paragraphs, lists, **bold**.'))),
		h('div', { class: 'actions' },
			h('button', { type: 'submit' }, t('Submit the motion'))));
	let row = null;
	let built = [];
	const show = () => {
		row = kinds.find((k) => k.name === kind.value) || kinds[0];
		const sum = tr(row.summary);
		summary.textContent = sum.charAt(0).toUpperCase() + sum.slice(1) + '.';
		amendsField.hidden = !row.amends;
		built = row.params.map((p, i) => {
			const make = BUILD[p.type] || BUILD.text;
			const b = make(p, Object.assign({ id: idp + '-p' + i, field: 'params.' + p.name },
				ctx));
			b.param = p;
			return b;
		});
		fill(paramsBox, built.map((b) => b.el));
		textLabel.textContent = row.needs_text ? tr(row.text_label)
			: t('{label} (optional)', { label: tr(row.text_label) });
	};
	kind.addEventListener('change', show);
	show();
	onSubmit(form, async (data) => {
		const body = { kind: row.name, title: String(data.get('title') || '').trim() };
		const typed = String(data.get('text') || '');
		if (typed.trim())
			body.text = typed;
		if (row.amends) {
			if (!amends.value)
				fail(t('Choose the motion it amends.'), 'amends');
			body.amends = Number(amends.value);
		}
		if (row.params.length) {
			body.params = {};
			for (const b of built) {
				const v = b.get();
				if (v !== undefined)
					body.params[b.param.name] = v;
				else if (b.param.required)
					fail(t('{label}: required.', { label: tr(b.param.label) }),
						'params.' + b.param.name);
			}
		}
		// the meeting whose agenda it is for, when the page names one
		if (opts.meeting)
			body.meeting = opts.meeting;
		const mo = await api('POST', '/bodies/' + encodeURIComponent(opts.slug) +
			'/motions', body);
		form.reset();
		show();
		await opts.done(mo);
	});
	return form;
}

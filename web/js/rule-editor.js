// rule-editor.js: the editor of one decision rule (kind, share in favour,
// base, rounds, quorum), used where an assembly is founded and in the
// motion form (change_rules, found_federation). It builds the rule JSON of
// docs/rules.md; each control carries the data-field the API names, so a
// refusal lands next to it.
import { h } from './dom.js';
import { RULE_KINDS } from './text.js';

const KIND_HINTS = {
	simple_majority: 'More yes than no votes; abstentions are not counted.',
	absolute_majority: 'Yes from more than half of all members, present or not.',
	supermajority: 'At least a set share of the votes in favour.',
	consensus: 'Adopted when nobody blocks and at least one says yes; ' +
		'stand-asides are allowed.',
	consent: 'Adopted when nobody objects.',
	unanimity: 'Every member present votes yes.',
	hybrid: 'Seek consensus for some rounds; if it fails, decide by a supermajority.',
};
const FRACTIONS = [['3/5', 'three fifths'], ['2/3', 'two thirds'],
	['3/4', 'three quarters'], ['4/5', 'four fifths'], ['9/10', 'nine tenths'],
	['1', 'all']];
const BASES = [['cast', 'of votes cast'], ['present', 'of members present'],
	['members', 'of all members']];
const QUORUM_FRACTIONS = [['1/10', 'one tenth'], ['1/5', 'one fifth'],
	['1/4', 'one quarter'], ['1/3', 'one third'], ['1/2', 'half']];

export function options(pairs, selected) {
	return pairs.map(([v, label]) => h('option', { value: v,
		selected: v === selected }, label));
}

function field(id, labelText, control, hint) {
	const f = h('div', { class: 'field' }, h('label', { for: id }, labelText), control);
	if (hint) {
		const hid = id + '-hint';
		control.setAttribute('aria-describedby', hid);
		f.append(h('p', { class: 'hint', id: hid }, hint));
	}
	return f;
}

// A rule editor. prefix is where the API names its fields
// ("rule.default" or "rule.by_kind.*"), group the name of the whole
// ("rule.default", "rule.by_kind"); d holds the starting values.
export function ruleEditor(id, prefix, group, legendText, d, onChange) {
	const kind = h('select', { id: id + '-kind', 'data-field': prefix + '.kind' },
		options(Object.entries(RULE_KINDS), d.kind));
	const kindHint = h('p', { class: 'hint', id: id + '-kind-hint' });
	kind.setAttribute('aria-describedby', kindHint.id);
	const fraction = h('select', { id: id + '-fraction',
		'data-field': prefix + '.fraction' }, options(FRACTIONS, d.fraction));
	const base = h('select', { id: id + '-base', 'data-field': prefix + '.base' },
		options(BASES, d.base));
	const rounds = h('input', { id: id + '-rounds', type: 'number', min: 1,
		max: 100, value: d.rounds, 'data-field': prefix + '.rounds' });
	const quorum = h('select', { id: id + '-quorum', 'data-field': prefix + '.quorum' },
		options([['none', 'No quorum'], ['fraction', 'A share of all members'],
			['count', 'A number of members']], d.quorum));
	const qcount = h('input', { id: id + '-qcount', type: 'number', min: 1,
		value: d.qcount, 'data-field': prefix + '.quorum.count' });
	const qfraction = h('select', { id: id + '-qfraction',
		'data-field': prefix + '.quorum.fraction' },
	options(QUORUM_FRACTIONS, d.qfraction));

	const fFraction = field(fraction.id, 'Share in favour needed', fraction);
	const fBase = field(base.id, 'Counted out of', base);
	const fRounds = field(rounds.id, 'Rounds of seeking consensus first', rounds);
	const fQcount = field(qcount.id, 'Members who must be present', qcount);
	const fQfraction = field(qfraction.id, 'Share of all members who must be present',
		qfraction);
	const el = h('fieldset', { id, 'data-field': group },
		h('legend', null, legendText),
		h('div', { class: 'field' }, h('label', { for: kind.id }, 'Kind of rule'),
			kind, kindHint),
		h('div', { class: 'row' }, fFraction, fBase), fRounds,
		h('div', { class: 'row' },
			field(quorum.id, 'Quorum', quorum,
				'How many must be present for a decision to count.'),
			fQcount, fQfraction));

	function sync() {
		const k = kind.value;
		const sup = k === 'supermajority' || k === 'hybrid';
		fFraction.hidden = !sup;
		fBase.hidden = !sup;
		fRounds.hidden = k !== 'hybrid';
		fQcount.hidden = quorum.value !== 'count';
		fQfraction.hidden = quorum.value !== 'fraction';
		kindHint.textContent = KIND_HINTS[k] || '';
		onChange();
	}
	el.addEventListener('input', sync);
	el.addEventListener('change', sync);

	function value() {
		const r = { kind: kind.value };
		if (r.kind === 'supermajority' || r.kind === 'hybrid') {
			r.fraction = fraction.value;
			r.base = base.value;
		}
		if (r.kind === 'hybrid')
			r.rounds = Number(rounds.value);
		if (quorum.value === 'count')
			r.quorum = { count: Number(qcount.value) };
		else if (quorum.value === 'fraction')
			r.quorum = { fraction: qfraction.value };
		return r;
	}
	return { el, value, sync };
}

// The editor's starting values from a rule as the API shows it (or none).
export function ruleDefaults(rule) {
	const r = rule || {};
	const q = r.quorum || {};
	return { kind: r.kind || 'simple_majority', fraction: r.fraction || '2/3',
		base: r.base || 'cast', rounds: r.rounds || 2,
		quorum: q.count ? 'count' : q.fraction ? 'fraction' : 'none',
		qcount: q.count || 3, qfraction: q.fraction || '1/10' };
}

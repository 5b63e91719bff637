// rule-editor.js: the editor of one decision rule (kind, share in favour,
// base, rounds, quorum), used where an assembly is founded and in the
// motion form (change_rules, found_federation). It builds the rule JSON of
// docs/rules.md; each control carries the data-field the API names, so a
// refusal lands next to it.
import { h } from './dom.js';
import { t } from './i18n.js';
import { RULE_KINDS, fractionWords } from './text.js';

const KIND_HINTS = {
	simple_majority: t('More yes than no votes; abstentions are not counted.'),
	absolute_majority: t('Yes from more than half of all members, present or not.'),
	supermajority: t('At least a set share of the votes in favour.'),
	consensus: t('Adopted when nobody blocks and at least one says yes; stand-asides are allowed.'),
	consent: t('Adopted when nobody objects.'),
	unanimity: t('Every member present votes yes.'),
	hybrid: t('Seek consensus for some rounds; if it fails, decide by a supermajority.'),
};
// the shares, in the words ruleText() uses (text.js fractionWords)
const FRACTIONS = ['3/5', '2/3', '3/4', '4/5', '9/10', '1'].map((f) => [f, fractionWords(f)]);
const BASES = [['cast', t('of votes cast')], ['present', t('of members present')],
	['members', t('of all members')]];
const QUORUM_FRACTIONS = ['1/10', '1/5', '1/4', '1/3', '1/2'].map((f) => [f, fractionWords(f)]);

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
		options([['none', t('No quorum')], ['fraction', t('A share of all members')],
			['count', t('A number of members')]], d.quorum));
	const qcount = h('input', { id: id + '-qcount', type: 'number', min: 1,
		value: d.qcount, 'data-field': prefix + '.quorum.count' });
	const qfraction = h('select', { id: id + '-qfraction',
		'data-field': prefix + '.quorum.fraction' },
	options(QUORUM_FRACTIONS, d.qfraction));

	const fFraction = field(fraction.id, t('Share in favour needed'), fraction);
	const fBase = field(base.id, t('Counted out of'), base);
	const fRounds = field(rounds.id, t('Rounds of seeking consensus first'), rounds);
	const fQcount = field(qcount.id, t('Members who must be present'), qcount);
	const fQfraction = field(qfraction.id, t('Share of all members who must be present'),
		qfraction);
	const el = h('fieldset', { id, 'data-field': group },
		h('legend', null, legendText),
		h('div', { class: 'field' }, h('label', { for: kind.id }, t('Kind of rule')),
			kind, kindHint),
		h('div', { class: 'row' }, fFraction, fBase), fRounds,
		h('div', { class: 'row' },
			field(quorum.id, t('Quorum'), quorum,
				t('How many must be present for a decision to count.')),
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

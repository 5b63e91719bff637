// stv.js: an election of several delegates by ranked ballots (STV), as
// the meeting page and the motion page show it: the ballot (an ordered
// pick list: one select per preference, first choice first) and the count
// (a table of each candidate's votes, round by round, with who was
// elected and who excluded).
//
// The ballot sends the ranking the API takes ({"ranking": [handles]}):
// the choices filled in, in order, stopping at the first left empty. A
// candidate chosen twice is refused here before it reaches the server,
// which checks again (400 bad_input, field "ranking").
import { h } from './dom.js';
import { t, tn } from './i18n.js';

// TRANSLATORS: a preference on a ranked ballot: "1st choice"
const ORDINAL = [t('1st choice'), t('2nd choice'), t('3rd choice')];
function choiceWords(i) {
	return ORDINAL[i] || t('{n}th choice', { n: i + 1 });
}

// candidates: handles; idp: a unique id prefix. Returns {el, ranking()}:
// ranking() gives the handles chosen in order, or throws an Error with
// field "ranking".
export function rankingControls(candidates, idp) {
	const selects = candidates.map((_, i) => h('select', {
		id: idp + '-' + i, name: idp + '-' + i,
		'aria-label': choiceWords(i) },
	h('option', { value: '' }, i ? t('(no further choice)') : t('(choose)')),
	candidates.map((c) => h('option', { value: c }, '@' + c))));
	const el = h('fieldset', { class: 'ranking', 'data-field': 'ranking' },
		h('legend', null, t('Your ranking: first choice first')),
		h('p', { class: 'hint' }, t('Rank as many candidates as you like. If your ' +
			'first choice is elected with votes to spare, or cannot be elected, ' +
			'your ballot counts for your next choice.')),
		h('ol', { class: 'plain' }, selects.map((s, i) => h('li', { class: 'field' },
			h('label', { for: idp + '-' + i }, choiceWords(i)), s))));
	const ranking = () => {
		const out = [];
		for (const s of selects) {
			if (!s.value)
				break;
			if (out.includes(s.value))
				throw Object.assign(new Error(t('{handle} is ranked twice.',
					{ handle: '@' + s.value })),
					{ field: 'ranking' });
			out.push(s.value);
		}
		if (!out.length)
			throw Object.assign(new Error(t('Choose at least your first choice.')),
				{ field: 'ranking' });
		return out;
	};
	return { el, ranking };
}

const MARK = { elected: ' ' + t('(elected)'), excluded: ' ' + t('(excluded)'),
	withdrawn: ' ' + t('(withdrawn)') };

// The count of a decided election (result.count) as a table, with the
// elected in words before it.
export function countTable(count, withdrawn) {
	if (!count)
		return null;
	const cands = count.candidates || [];
	const elected = { who: (count.elected || []).map((x) => '@' + x).join(', ') || t('nobody'),
		method: count.method, quota: count.quota };
	return h('div', { class: 'stv-count', id: 'stv-count' },
		h('p', { id: 'stv-elected' }, (count.quota !== null && count.quota !== undefined
			? tn('Elected: {who} ({n} seat, {method}, quota {quota}).',
				'Elected: {who} ({n} seats, {method}, quota {quota}).', count.seats, elected)
			: tn('Elected: {who} ({n} seat, {method}).', 'Elected: {who} ({n} seats, {method}).',
				count.seats, elected))),
		(withdrawn || []).length ? h('p', { class: 'hint' }, t('Withdrawn before the ' +
			'count: {who}.', { who: withdrawn.map((w) => '@' + w.handle + ' (' + w.reason + ')')
			.join('; ') })) : null,
		h('div', { class: 'table-wrap' },
			h('table', { class: 'rounds', id: 'stv-rounds' },
				h('caption', null, t('The count, round by round')),
				h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('Round')),
					cands.map((c) => h('th', { scope: 'col' }, '@' + c)))),
				h('tbody', null, (count.rounds || []).map((r) => h('tr', null,
					h('th', { scope: 'row' }, r.label),
					cands.map((c) => h('td', { class: 'state-' +
						((r.state || {})[c] || '') },
					String((r.votes || {})[c] ?? '') +
						(MARK[(r.state || {})[c]] || '')))))))),
		(count.notes || []).length ? h('ul', { class: 'plain hint' },
			count.notes.map((n) => h('li', null, n))) : null);
}

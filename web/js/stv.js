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

const ORDINAL = ['1st', '2nd', '3rd'];
function ordinal(i) {
	return ORDINAL[i] || (i + 1) + 'th';
}

// candidates: handles; idp: a unique id prefix. Returns {el, ranking()}:
// ranking() gives the handles chosen in order, or throws an Error with
// field "ranking".
export function rankingControls(candidates, idp) {
	const selects = candidates.map((_, i) => h('select', {
		id: idp + '-' + i, name: idp + '-' + i,
		'aria-label': ordinal(i) + ' choice' },
	h('option', { value: '' }, i ? '(no further choice)' : '(choose)'),
	candidates.map((c) => h('option', { value: c }, '@' + c))));
	const el = h('fieldset', { class: 'ranking', 'data-field': 'ranking' },
		h('legend', null, 'Your ranking: first choice first'),
		h('p', { class: 'hint' }, 'Rank as many candidates as you like. If your ' +
			'first choice is elected with votes to spare, or cannot be elected, ' +
			'your ballot counts for your next choice.'),
		h('ol', { class: 'plain' }, selects.map((s, i) => h('li', { class: 'field' },
			h('label', { for: idp + '-' + i }, ordinal(i) + ' choice'), s))));
	const ranking = () => {
		const out = [];
		for (const s of selects) {
			if (!s.value)
				break;
			if (out.includes(s.value))
				throw Object.assign(new Error('@' + s.value + ' is ranked twice.'),
					{ field: 'ranking' });
			out.push(s.value);
		}
		if (!out.length)
			throw Object.assign(new Error('Choose at least your first choice.'),
				{ field: 'ranking' });
		return out;
	};
	return { el, ranking };
}

const MARK = { elected: ' (elected)', excluded: ' (excluded)', withdrawn: ' (withdrawn)' };

// The count of a decided election (result.count) as a table, with the
// elected in words before it.
export function countTable(count, withdrawn) {
	if (!count)
		return null;
	const cands = count.candidates || [];
	return h('div', { class: 'stv-count', id: 'stv-count' },
		h('p', { id: 'stv-elected' }, 'Elected: ' +
			((count.elected || []).map((x) => '@' + x).join(', ') || 'nobody') +
			' (' + count.seats + ' seats, ' + count.method +
			(count.quota !== null && count.quota !== undefined
				? ', quota ' + count.quota : '') + ').'),
		(withdrawn || []).length ? h('p', { class: 'hint' }, 'Withdrawn before the ' +
			'count: ' + withdrawn.map((w) => '@' + w.handle + ' (' + w.reason + ')')
			.join('; ') + '.') : null,
		h('div', { class: 'table-wrap' },
			h('table', { class: 'rounds', id: 'stv-rounds' },
				h('caption', null, 'The count, round by round'),
				h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Round'),
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

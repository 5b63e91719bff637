// offices.js: an assembly's offices (clerk, facilitator, ...) and
// committees, as a section of its page. Both exist only by the
// assembly's decisions; the page shows them, it changes nothing.
import { date, h, seatWord } from './dom.js';

function officeList(offices, body) {
	if (!offices.length)
		return h('p', { class: 'muted' }, 'No offices yet. While an office is vacant,' +
			' ' + seatWord(body) + 's in the room perform its duties at a meeting.');
	return h('dl', { class: 'facts', id: 'offices' }, offices.map((o) => [
		h('dt', null, o.name),
		h('dd', null, o.holder ? '@' + o.holder : 'vacant', ': ', o.duties),
	]));
}

function committeeList(committees) {
	if (!committees.length)
		return h('p', { class: 'muted' }, 'No committees.');
	return h('ul', { class: 'plain', id: 'committees' }, committees.map((c) =>
		h('li', null, h('strong', null, c.name), ' (', c.state.replace('_', ' '), '; until ',
			date(c.ends_at), '): ', c.scope, ' May decide: ',
			(c.decision_kinds || []).join(', ').replace(/_/g, ' '), '. Members: ',
			(c.members || []).map((m) => '@' + m).join(', '), '.')));
}

// data: the answer of GET /api/v1/bodies/{slug}/offices; body: the
// assembly (its kind names who sits in it), may be null
export function officesSection(data, body) {
	return h('section', { 'aria-labelledby': 'offices-h' },
		h('h2', { id: 'offices-h' }, 'Offices and committees'),
		h('h3', null, 'Offices'), officeList(data.offices || [], body),
		h('h3', null, 'Committees'), committeeList(data.committees || []));
}

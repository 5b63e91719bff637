// offices.js: an assembly's offices (clerk, facilitator, ...) and
// committees, as a section of its page. Both exist only by the
// assembly's decisions; the page shows them, it changes nothing.
import { date, h, seatWord } from './dom.js';
import { t, tx } from './i18n.js';
import { motionKindText } from './text.js';

// The offices every assembly knows by name; others are named by the
// assembly's decision, in its own words.
const OFFICE = { clerk: t('clerk'), facilitator: t('facilitator') };
function officeName(name) {
	return OFFICE[name] || name;
}
const COMMITTEE_STATE = { in_force: t('in force'), ended: t('ended'),
	dissolved: t('dissolved') };

function officeList(offices, body) {
	if (!offices.length)
		return h('p', { class: 'muted' }, seatWord(body) === 'delegate'
			? t('No offices yet. While an office is vacant, delegates in the room perform ' +
				'its duties at a meeting.')
			: t('No offices yet. While an office is vacant, members in the room perform ' +
				'its duties at a meeting.'));
	return h('dl', { class: 'facts', id: 'offices' }, offices.map((o) => [
		h('dt', null, officeName(o.name)),
		h('dd', null, o.holder ? '@' + o.holder : t('vacant'), ': ', o.duties),
	]));
}

function committeeList(committees) {
	if (!committees.length)
		return h('p', { class: 'muted' }, t('No committees.'));
	return h('ul', { class: 'plain', id: 'committees' }, committees.map((c) =>
		h('li', null, h('strong', null, c.name), ' ', tx('({state}; until {when}):', {
			state: COMMITTEE_STATE[c.state] || c.state.replace('_', ' '),
			when: date(c.ends_at) }), ' ', c.scope, ' ',
		t('May decide: {kinds}.', { kinds: (c.decision_kinds || [])
			.map((k) => motionKindText(k)).join(', ') }), ' ',
		t('Members: {who}.', { who: (c.members || []).map((m) => '@' + m).join(', ') }))));
}

// data: the answer of GET /api/v1/bodies/{slug}/offices; body: the
// assembly (its kind names who sits in it), may be null
export function officesSection(data, body) {
	return h('section', { 'aria-labelledby': 'offices-h' },
		h('h2', { id: 'offices-h' }, t('Offices and committees')),
		h('h3', null, t('Offices')), officeList(data.offices || [], body),
		h('h3', null, t('Committees')), committeeList(data.committees || []));
}

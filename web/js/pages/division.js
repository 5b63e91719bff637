// pages/division.js: the parts of an assembly's page about its community's
// bounds (docs/communities.md): the form that proposes a division, shown to
// its members; the choice a member of a divided assembly makes; and what
// the assembly became or came from. assembly.js places them.
import { $, fill, h } from '../dom.js';
import { t } from '../i18n.js';
import { motionForm } from '../motion-form.js';
import { choiceSection, lineageSection } from '../division.js';

export { lineageSection };

// For an active member of a local assembly that still decides: a motion to
// divide the community, its form opened on demand.
export function divisionSection(state, rerender) {
	const { body, mine } = state;
	const l = body.lineage || {};
	if (body.kind !== 'local' || l.ended || !mine || mine.status !== 'active')
		return null;
	const box = h('div', { id: 'divide-form' });
	const details = h('details', { id: 'divide', class: 'divide' },
		h('summary', null, t('Divide the community into several')),
		h('p', { class: 'hint' }, t('When the community has grown too large for everyone ' +
			'to meet in one room, the assembly may divide it: each new community has its ' +
			'own assembly holding the laws in force, and they meet together in a regional ' +
			'assembly of delegates. It is a motion like any other, decided at a meeting by ' +
			'the strictest rule the assembly has set; once adopted, each member chooses ' +
			'their new community.')), box);
	details.addEventListener('toggle', () => {
		if (!details.open || box.firstChild)
			return;
		fill(box, motionForm({ slug: body.slug, body, only: 'divide_community',
			members: state.members, done: async (mo) => rerender(t('Your motion ' +
				'\u201c{title}\u201d is on the agenda of the next meeting.',
			{ title: mo.title }), 'ok') }));
	});
	return details;
}

// The place for a member's choice after a division, filled once known.
export function choiceBox(state, rerender) {
	const el = h('div', { id: 'choice-box' });
	const l = state.body.lineage || {};
	if (state.account && l.ended && l.ended.how === 'divided')
		choiceSection(state.body, rerender).then((c) => {
			if (c && $('#choice-box'))
				fill($('#choice-box'), c);
		}).catch(() => {});
	return el;
}

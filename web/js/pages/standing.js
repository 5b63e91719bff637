// standing.js: a local assembly's standing review (?assembly=S;
// docs/economy.md): each enterprise of its community with its standing in
// the sharing economy, when its review is due and whether it is open, the
// record since the last decision (commitments against deliveries month by
// month, as a chart and a table), what it took and its appreciations; the
// people the assembly decided about by name; the members who recorded a
// basis; the decisions of standing on its agendas. The decisions
// themselves are motions, moved from the assembly's page.
import { api } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
import { number, t, tn, tx } from '../i18n.js';
import { failed, header, title } from '../layout.js';
import { BASIS_TEXT, appreciationsList, recordSection, reviewWords,
	standingText } from '../economy.js';

// What a person or an enterprise took from the sharing economy over the
// review period (docs/sharing.md): each good with how much, in how many
// takes, and what rounds of scarce goods gave them.
function takenWords(x) {
	const parts = [];
	if (x.takes)
		parts.push(tn('{amount} in {n} take', '{amount} in {n} takes', x.takes, {
			amount: number(x.quantity) + ' ' + (x.quantity === 1 ? x.unit : x.units) }));
	if (x.rounds) {
		const got = x.received_num / x.received_den;
		parts.push(tn('{amount} from {n} round', '{amount} from {n} rounds', x.rounds, {
			amount: number(Math.round(got * 100) / 100) + ' ' + (got === 1 ? x.unit : x.units) }));
	}
	return x.name + ': ' + parts.join(', ');
}

function takenList(taken, id) {
	if (!taken || !taken.goods.length)
		return h('p', { class: 'muted taken', id }, t('Nothing taken from the sharing ' +
			'economy in this period.'));
	return h('ul', { class: 'taken', id }, taken.goods.map((x) => h('li', null, takenWords(x))));
}

function takenInline(taken) {
	return taken && taken.goods.length
		? ' ' + t('Took: {what}.', { what: taken.goods.map(takenWords).join('; ') })
		: ' ' + t('Took nothing from the sharing economy in this period.');
}

function enterpriseCard(e) {
	const cur = e.standing;
	return h('section', { class: 'card enterprise-review', 'aria-labelledby': 'e-' + e.slug },
		h('h2', { id: 'e-' + e.slug }, h('a', { href: link.enterprise(e.slug) }, e.name)),
		h('p', { class: 'standing-now' }, h('strong', null, standingText(cur && cur.standing)),
			cur ? h('span', null, ' ', tx('since {when} ({motion})', { when: date(cur.decided_at),
				motion: h('a', { href: link.motion(cur.motion) }, cur.title) })) : ''),
		cur && cur.must_change ? h('p', null, t('What must change: {change}',
			{ change: cur.must_change })) : null,
		reviewWords(e),
		recordSection(e.record, cur ? t('Its record since the last decision')
			: t('Its record since it was founded')),
		h('h3', null, t('What it took from the sharing economy')),
		takenList(e.taken, 'taken-' + e.slug),
		e.members && e.members.length ? h('div', null,
			h('p', null, t('What its members took for themselves:')),
			h('ul', { class: 'taken', id: 'members-taken-' + e.slug }, e.members.map((m) =>
				h('li', null, m.display_name + '.', takenInline(m.taken))))) : null,
		h('h3', null, t('Appreciations')),
		appreciationsList(e.appreciations));
}

async function show(slug) {
	const main = $('#main');
	let r;
	try {
		r = await api('GET', '/bodies/' + encodeURIComponent(slug) + '/standing');
	} catch (err) {
		failed('This standing review', err);
		return;
	}
	title(t('Standing review of {assembly}', { assembly: r.name }));
	const open = r.enterprises.filter((e) => e.review_open);
	fill(main,
		h('h1', null, t('Standing review of {assembly}', { assembly: r.name })),
		h('p', { class: 'lede' }, t('Whether each enterprise of {community} contributes ' +
			'reasonably and takes reasonably: in good standing, on probation, or not a ' +
			'member of the sharing economy. The assembly decides, at its meetings, by a ' +
			'motion that cites this record.', { community: r.community_name })),
		h('p', { id: 'cycle' }, r.cycle ? tn('Each enterprise is reviewed every {n} month ' +
			'after the last decision about it.', 'Each enterprise is reviewed every {n} ' +
			'months after the last decision about it.', r.cycle.months)
			: t('The assembly has not set a cycle of reviews yet (a motion “Set the ' +
				'cycle of standing reviews”).')),
		h('p', { id: 'open-reviews' }, open.length ? t('Open now: {names}.',
			{ names: open.map((e) => e.name).join(', ') }) : t('No review is open now.')),
		r.pending.length ? h('section', { class: 'card', id: 'pending',
			'aria-labelledby': 'pending-h' },
		h('h2', { id: 'pending-h' }, t('On the agenda')),
		h('ul', null, r.pending.map((p) => h('li', null,
			h('a', { href: link.motion(p.motion) }, p.title),
			': ' + t('{standing} proposed',
				{ standing: standingText(p.standing).toLowerCase() }),
			p.meeting ? h('span', null, ', ', h('a', { href: link.meeting(p.meeting) },
				t('at its meeting'))) : ''))))
			: null,
		r.enterprises.length ? r.enterprises.map(enterpriseCard)
			: h('p', { class: 'muted' }, t('No enterprise is located in {community} yet.',
				{ community: r.community_name })),
		h('section', { 'aria-labelledby': 'people-h' },
			h('h2', { id: 'people-h' }, t('People decided by name')),
			r.people.length ? h('ul', null, r.people.map((p) => h('li', null,
				p.person_name + ': ' + standingText(p.standing).toLowerCase() + ', ',
				date(p.decided_at), ' (', h('a', { href: link.motion(p.motion) }, p.title),
				').', h('span', { class: 'taken' }, takenInline(p.taken)))))
				: h('p', { class: 'muted' }, t('None: a person\'s standing follows their ' +
					'enterprise\'s, or the basis they recorded.'))),
		h('section', { 'aria-labelledby': 'bases-h' },
			h('h2', { id: 'bases-h' }, t('Members contributing on another basis')),
			r.bases.length ? h('ul', null, r.bases.map((b) => h('li', null,
				b.display_name + ': ' + BASIS_TEXT[b.basis],
				b.note ? ' (' + b.note + ').' : '.',
				h('span', { class: 'taken' }, takenInline(b.taken)))))
				: h('p', { class: 'muted' }, t('None recorded.'))),
		h('p', null, h('a', { href: link.assembly(slug) },
			t('Move a decision of standing from the assembly\'s page'))));
	main.removeAttribute('aria-busy');
}

async function main() {
	await header();
	const slug = param('assembly');
	if (slug)
		await show(slug);
	else
		failed('This standing review', Object.assign(new Error('no assembly named'),
			{ status: 404 }));
}

main();

// declarations.js: declarations assemblies adopted about other assemblies'
// decisions (GET /bodies/{slug}/declarations), in sentences: who declared,
// by which of its decisions, about which decision, and the declaration's
// text. The assembly's page lists those it made and those about its
// decisions; a decision's page, those about that decision.
import { api } from './api.js';
import { date, h, link } from './dom.js';
import { t, tn, tx } from './i18n.js';
import { markdown } from './text.js';

// The links and the date a sentence about declaration d names.
function parts(d, about) {
	return {
		assembly: h('a', { href: link.assembly(d.body) }, d.body_name || d.body),
		decision: h('a', { href: link.motion(d.motion) }, '“' + d.title + '”'),
		when: date(d.at),
		about: about ? h('a', { href: link.motion(d.about.motion) },
			'“' + d.about.title + '”') : null,
		other: about ? h('a', { href: link.assembly(d.about.body) },
			d.about.body_name || d.about.body) : null,
	};
}

// One declaration. about: whether to say which decision it is about (a
// decision's own page need not repeat it).
function item(d, about) {
	return h('li', { class: 'declaration', 'data-motion': String(d.motion) },
		h('p', null, about
			? tx('{assembly} declared, by its decision {decision} on {when}, about the ' +
				'decision {about} of {other}:', parts(d, true))
			: tx('{assembly} declared, by its decision {decision} on {when}:', parts(d))),
		h('blockquote', { class: 'statement' }, markdown(d.text)));
}

export function declarationList(list, id, about) {
	return h('ul', { class: 'plain declarations', id }, list.map((d) => item(d, about)));
}

// The declarations about one decision of the assembly slug: a section, or
// null when there is none (or they cannot be read: the page stands
// without them).
export async function aboutDecision(slug, motion) {
	let r;
	try {
		r = await api('GET', '/bodies/' + encodeURIComponent(slug) +
			'/declarations?limit=200&about=' + motion);
	} catch (e) {
		return null;
	}
	const list = r.about_its_decisions || [];
	if (!list.length)
		return null;
	return h('section', { 'aria-labelledby': 'declarations-h', id: 'declarations' },
		h('h2', { id: 'declarations-h' }, t('Declarations about this decision')),
		h('p', null, list.length === 1
			? t('Another assembly adopted a declaration about this decision.')
			: tn('{n} declaration by other assemblies is about this decision.',
				'{n} declarations by other assemblies are about this decision.', list.length)),
		declarationList(list, 'declarations-about', false));
}

// community.js: one community: its population and its local assembly, or
// the invitation to found it; its enterprises, and the way to found one.
import { api } from '../api.js';
import { $, fill, h, link, param } from '../dom.js';
import { number, t, tn } from '../i18n.js';
import { failed, header, title } from '../layout.js';

async function main() {
	header();
	const slug = param('slug');
	const main = $('#main');
	let c;
	try {
		if (!slug)
			throw Object.assign(new Error('no community named'), { status: 404 });
		c = await api('GET', '/communities/' + encodeURIComponent(slug));
	} catch (e) {
		failed('This community', e);
		return;
	}
	title(c.name);
	let asm = null;
	if (c.assembly) {
		try {
			asm = await api('GET', '/bodies/' + encodeURIComponent(c.assembly));
		} catch (e) {
			asm = null;
		}
	}
	let enterprises = [];
	try {
		enterprises = (await api('GET', '/enterprises?community=' +
			encodeURIComponent(c.slug))).enterprises;
	} catch (e) {
		enterprises = [];
	}
	fill(main,
		h('h1', null, c.name),
		h('dl', { class: 'facts' },
			h('dt', null, t('Population')),
			h('dd', null, number(c.population)),
			c.areas ? [h('dt', null, t('What it covers')), h('dd', { id: 'areas' }, c.areas)]
				: null,
			h('dt', null, t('Local assembly')),
			h('dd', null, c.assembly
				? h('a', { href: link.assembly(c.assembly) },
					asm ? asm.name : c.assembly)
				: t('none yet'))),
		c.assembly
			? h('p', null, asm ? tn('{n} person is a member. Anyone who lives or works ' +
				'here may join.', '{n} people are members. Anyone who lives or works ' +
				'here may join.', asm.members) + ' ' : '',
			h('a', { href: link.assembly(c.assembly) }, t('Go to the assembly')), '.')
			: h('section', { class: 'card', 'aria-labelledby': 'found-h' },
				h('h2', { id: 'found-h' }, t('This community has no assembly yet')),
				h('p', null, t('Any person may found it: it will be the only body ' +
					'that makes laws for {community}.', { community: c.name })),
				h('p', null, h('a', { class: 'button', href: link.found(c.slug) },
					t('Found the assembly of {community}', { community: c.name })))),
		c.assembly ? h('section', { class: 'card', id: 'enterprises',
			'aria-labelledby': 'enterprises-h' },
		h('h2', { id: 'enterprises-h' }, t('Enterprises')),
		h('p', { class: 'hint' }, asm ? t('Workplaces here that their workers govern as ' +
			'equals, bound by the laws of {assembly}.', { assembly: asm.name })
			: t('Workplaces here that their workers govern as equals, bound by the laws ' +
				'of the assembly.')),
		enterprises.length ? h('ul', null, enterprises.map((e) => h('li', null,
			h('a', { href: link.enterprise(e.slug) }, e.name), ': ', e.provides, ' (',
			tn('{n} member', '{n} members', e.members), ')')))
			: h('p', { class: 'muted' }, t('None yet.')),
		h('p', null, h('a', { class: 'button', id: 'found-enterprise',
			href: link.foundEnterprise(c.slug) }, t('Found an enterprise')),
		' ', h('span', { class: 'hint' }, t('Any member of the assembly may.'))))
			: null);
	main.removeAttribute('aria-busy');
}

main();

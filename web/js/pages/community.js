// community.js: one community: its population and its local assembly, or
// the invitation to found it; its enterprises, and the way to found one.
import { api } from '../api.js';
import { $, fill, h, link, param } from '../dom.js';
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
			h('dt', null, 'Population'),
			h('dd', null, new Intl.NumberFormat().format(c.population)),
			c.areas ? [h('dt', null, 'What it covers'), h('dd', { id: 'areas' }, c.areas)]
				: null,
			h('dt', null, 'Local assembly'),
			h('dd', null, c.assembly
				? h('a', { href: link.assembly(c.assembly) },
					asm ? asm.name : c.assembly)
				: 'none yet')),
		c.assembly
			? h('p', null, asm ? asm.members + ' ' +
				(asm.members === 1 ? 'person is a member' : 'people are members') +
				'. Anyone who lives or works here may join. ' : '',
				h('a', { href: link.assembly(c.assembly) }, 'Go to the assembly'), '.')
			: h('section', { class: 'card', 'aria-labelledby': 'found-h' },
				h('h2', { id: 'found-h' }, 'This community has no assembly yet'),
				h('p', null, 'Any person may found it: it will be the only body ' +
					'that makes laws for ' + c.name + '.'),
				h('p', null, h('a', { class: 'button', href: link.found(c.slug) },
					'Found the assembly of ' + c.name))),
		c.assembly ? h('section', { class: 'card', id: 'enterprises',
			'aria-labelledby': 'enterprises-h' },
		h('h2', { id: 'enterprises-h' }, 'Enterprises'),
		h('p', { class: 'hint' }, 'Workplaces here that their workers govern as ' +
			'equals, bound by the laws of ' + (asm ? asm.name : 'the assembly') + '.'),
		enterprises.length ? h('ul', null, enterprises.map((e) => h('li', null,
			h('a', { href: link.enterprise(e.slug) }, e.name), ': ', e.provides, ' (',
			e.members + (e.members === 1 ? ' member' : ' members'), ')')))
			: h('p', { class: 'muted' }, 'None yet.'),
		h('p', null, h('a', { class: 'button', id: 'found-enterprise',
			href: link.foundEnterprise(c.slug) }, 'Found an enterprise'),
		' ', h('span', { class: 'hint' }, 'Any member of the assembly may.')))
			: null);
	main.removeAttribute('aria-busy');
}

main();

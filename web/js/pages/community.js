// community.js: one community: its population and its local assembly, or
// the invitation to found it.
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
	fill(main,
		h('h1', null, c.name),
		h('dl', { class: 'facts' },
			h('dt', null, 'Population'),
			h('dd', null, new Intl.NumberFormat().format(c.population)),
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
					'Found the assembly of ' + c.name))));
	main.removeAttribute('aria-busy');
}

main();

// division.js: a community that divides or unites by its own decision
// (docs/communities.md). The form's part that names the new communities
// (rows added and removed, the shares summed against the whole as one
// types), the section of a divided assembly's page where its members
// choose their new community, and the small diagram of what an assembly
// became and where it came from. Every rule is the server's: this only
// helps to fill in, and shows.
import { api } from './api.js';
import { date, fill, h, link } from './dom.js';
import { onSubmit } from './forms.js';
import { number, t, tn } from './i18n.js';

let rows = 0;

// A short name from a name: lower-case letters, digits and '-'.
function slugOf(name) {
	return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
		.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

// The builder of a "communities" parameter (motion-form.js calls it with
// its own builders for a schedule and a labelled control): one row per new
// community, two to start with.
export function buildCommunities(p, c, { schedule, labelled }) {
	const whole = c.body && Number.isInteger(c.body.population) ? c.body.population : null;
	const list = h('ol', { class: 'new-communities' });
	const sum = h('p', { class: 'shares', 'aria-live': 'polite', id: c.id + '-sum' });
	const made = [];
	const update = () => {
		let total = 0;
		for (const r of made)
			total += Number(r.population.value) || 0;
		const left = whole === null ? null : whole - total;
		sum.className = 'shares' + (left === 0 ? ' ok' : left === null ? '' : ' warn');
		sum.textContent = whole === null
			? t('Together: {n} people.', { n: number(total) })
			: left === 0
				? t('Together: {n} of {whole} people: everyone is in one of them.',
					{ n: number(total), whole: number(whole) })
				: left > 0
					? t('Together: {n} of {whole} people: {left} still to place.',
						{ n: number(total), whole: number(whole), left: number(left) })
					: t('Together: {n} of {whole} people: {over} too many.',
						{ n: number(total), whole: number(whole), over: number(-left) });
		made.forEach((r, i) => {
			r.legend.textContent = t('New community {n}', { n: i + 1 });
			r.remove.hidden = made.length <= 2;
		});
	};
	const add = () => {
		const id = c.id + '-c' + (++rows);
		const name = h('input', { maxlength: 120, autocomplete: 'off',
			'data-field': c.field + '.name', name: 'community_name' });
		const slug = h('input', { maxlength: 64, autocomplete: 'off',
			'data-field': c.field + '.slug', name: 'community_slug' });
		const areas = h('textarea', { rows: 2, class: 'short', maxlength: 4000,
			'data-field': c.field + '.areas', name: 'community_areas' });
		const population = h('input', { type: 'number', min: 1, step: 1,
			'data-field': c.field + '.population', name: 'community_population' });
		let typed = false;
		slug.addEventListener('input', () => { typed = slug.value !== ''; });
		name.addEventListener('input', () => {
			if (!typed)
				slug.value = slugOf(name.value);
		});
		population.addEventListener('input', update);
		const sched = schedule({ name: 'schedule', required: true,
			label: t('Its assembly meets'),
			description: t('The first meeting schedule of its assembly; it may change ' +
				'it later by its own decision.') },
		Object.assign({}, c, { id: id + '-s', field: c.field + '.schedule' }));
		const legend = h('legend');
		const remove = h('button', { type: 'button', class: 'secondary remove-community' },
			t('Remove this community'));
		const el = h('li', null, h('fieldset', { class: 'param-group new-community' },
			legend,
			labelled(id + '-name', t('Name'), name),
			labelled(id + '-slug', t('Short name, for its address'), slug,
				t('Lower-case letters, digits and -; made from the name until you change it.')),
			labelled(id + '-areas', t('Neighbourhoods or streets it covers'), areas),
			labelled(id + '-pop', t('People who live there'), population),
			sched.el, remove));
		const r = { el, name, slug, areas, population, sched, legend, remove };
		remove.addEventListener('click', () => {
			made.splice(made.indexOf(r), 1);
			el.remove();
			update();
		});
		made.push(r);
		list.append(el);
		update();
		return r;
	};
	const more = h('button', { type: 'button', class: 'secondary', id: c.id + '-add' },
		t('Add a community'));
	more.addEventListener('click', () => add().name.focus());
	add();
	add();
	const el = h('fieldset', { class: 'param-group', 'data-field': c.field,
		'data-param': p.name },
	h('legend', null, p.label),
	h('p', { class: 'hint' }, whole === null ? p.description
		: t('{whole} people live in the community today: the new communities\' shares ' +
			'add up to that.', { whole: number(whole) })),
	list, sum, more);
	return {
		el,
		get: () => made.map((r) => {
			const n = Number(r.population.value);
			return { name: r.name.value.trim(), slug: r.slug.value.trim(),
				areas: r.areas.value.trim(),
				population: r.population.value.trim() === '' ? undefined
					: Number.isInteger(n) ? n : r.population.value,
				schedule: r.sched.get() };
		}),
	};
}

// The builder of an "assemblies" parameter: short names, separated by
// commas, suggested from the local assemblies.
export function buildAssemblies(p, c, { labelled }) {
	const listId = c.id + '-list';
	const input = h('input', { list: listId, autocomplete: 'off', name: p.name,
		'data-field': c.field });
	const options = h('datalist', { id: listId });
	api('GET', '/bodies').then((j) => fill(options, j.bodies
		.filter((b) => b.kind === 'local' && (!c.body || b.slug !== c.body.slug))
		.map((b) => h('option', { value: b.slug }, b.name)))).catch(() => {});
	const f = labelled(c.id, p.required ? p.label : p.label + ' (optional)', input,
		t('Their short names, separated by commas.'));
	f.append(options);
	return { el: f, get: () => {
		const v = input.value.split(/[\s,]+/).filter(Boolean);
		return v.length ? v : undefined;
	} };
}

// ---- the divided assembly's page ---------------------------------------

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...kids) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		if (v !== null && v !== undefined)
			el.setAttribute(k, String(v));
	for (const k of kids)
		el.append(k);
	return el;
}

// A box of the diagram, with its name cut to fit and a link.
const BW = 144, BH = 36, GAP = 12, STEP = 66;
function box(x, y, b, here) {
	const label = b.name.length > 17 ? b.name.slice(0, 16) + '…' : b.name;
	return s('a', { href: link.assembly(b.slug) },
		s('rect', { x, y, width: BW, height: BH, rx: 6,
			class: 'lineage-box' + (here ? ' here' : '') + (b.kind === 'delegate'
				? ' delegate' : '') }),
		s('text', { x: x + BW / 2, y: y + 23, 'text-anchor': 'middle' }, label),
		s('title', null, b.name));
}

// Rows of boxes, top to bottom, each box joined to those of the next row
// it leads to: where the assembly came from, the assembly itself, what it
// became, and the regional assembly its new assemblies meet in.
function diagram(rows, caption) {
	const widest = Math.max(...rows.map((r) => r.length));
	const W = widest * BW + (widest - 1) * GAP + 8;
	const H = rows.length * STEP - (STEP - BH) + 8;
	const at = rows.map((r, j) => {
		const width = r.length * BW + (r.length - 1) * GAP;
		return r.map((b, i) => ({ b, x: (W - width) / 2 + i * (BW + GAP), y: 4 + j * STEP }));
	});
	const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'lineage', role: 'img',
		'aria-label': caption });
	for (let j = 0; j + 1 < at.length; j++)
		for (const up of at[j])
			for (const down of at[j + 1])
				svg.append(s('line', { x1: up.x + BW / 2, y1: up.y + BH, x2: down.x + BW / 2,
					y2: down.y, class: 'lineage-line' }));
	at.forEach((r) => r.forEach(({ b, x, y }) => svg.append(box(x, y, b, b.here))));
	return h('figure', { class: 'chart lineage-chart' }, svg,
		h('figcaption', { class: 'muted' }, caption));
}

// What the assembly became and where it came from; null when neither.
export function lineageSection(body) {
	const l = body.lineage || {};
	const became = l.became || [], from = l.came_from || [];
	if (!became.length && !from.length)
		return null;
	const local = became.filter((b) => b.how !== 'regional');
	const regional = became.find((b) => b.how === 'regional');
	const words = [];
	if (l.ended && l.ended.how === 'divided')
		words.push(h('p', { id: 'lineage-ended' }, t('This assembly divided by its decision ' +
			'into {n} communities, each with its own assembly; it decides nothing more.',
		{ n: local.length }), ' ', h('a', { href: link.motion(l.ended.motion) },
			t('The decision')), '.'));
	if (l.ended && l.ended.how === 'united')
		words.push(h('p', { id: 'lineage-ended' }, t('This assembly united with others by ' +
			'its decision; it decides nothing more.'), ' ',
		h('a', { href: link.motion(l.ended.motion) }, t('The decision')), '.'));
	if (regional)
		words.push(h('p', null, t('Its new assemblies meet together in {regional}, the ' +
			'regional assembly, which also holds its memberships in federations.',
		{ regional: regional.name })));
	if (from.length)
		words.push(h('p', { id: 'lineage-from' }, from[0].how === 'united'
			? tn('It came from the union of {n} assembly.',
				'It came from the union of {n} assemblies.', from.length)
			: t('It came from the division of {assembly}: its laws entered this register ' +
				'as they stood, for this assembly to keep, change or repeal.',
			{ assembly: from[0].name })));
	const caption = (from.length ? t('Came from: {list}.', { list: from.map((b) => b.name)
		.join(', ') }) + ' ' : '') + (became.length ? t('Became: {list}.',
		{ list: became.map((b) => b.name).join(', ') }) : '');
	return h('section', { 'aria-labelledby': 'lineage-h', id: 'lineage' },
		h('h2', { id: 'lineage-h' }, from.length && !became.length
			? t('Where it came from') : t('What it became')),
		words, diagram([from, [Object.assign({ here: true }, body)], local,
			regional ? [regional] : []].filter((r) => r.length), caption));
}

// The signed-in member's choice after a division of this assembly (null
// when they have none to make here).
export async function choiceSection(body, rerender) {
	const mine = await api('GET', '/me/communities').catch(() => null);
	const c = mine && mine.choices.find((x) => x.from.slug === body.slug);
	if (!c)
		return null;
	const id = 'choose';
	const options = c.choices.map((x, i) => h('div', { class: 'choice' },
		h('input', { type: 'radio', name: 'community', value: x.slug, id: id + '-' + i,
			checked: c.chosen === x.slug, disabled: !c.may_change && c.chosen !== x.slug }),
		h('label', { for: id + '-' + i }, h('strong', null, x.name), ' ',
			h('span', { class: 'muted' }, x.areas))));
	const form = h('form', { id: 'choice-form', class: 'choice-form' },
		h('fieldset', { 'data-field': 'community' },
			h('legend', null, t('Which new community do you live or work in?')), options),
		c.may_change ? h('div', { class: 'actions' }, h('button', { type: 'submit' },
			c.chosen ? t('Change my community') : t('This is my community'))) : null);
	onSubmit(form, async (data) => {
		const to = data.get('community');
		if (!to)
			throw Object.assign(new Error(t('Choose one of the new communities.')),
				{ field: 'community' });
		await api('POST', '/bodies/' + encodeURIComponent(body.slug) + '/choice',
			{ community: to });
		const name = (c.choices.find((x) => x.slug === to) || {}).name || to;
		await rerender(t('You are a member of {community} now.', { community: name }), 'ok');
	});
	const ends = date(c.window_ends).textContent;
	return h('section', { 'aria-labelledby': 'choice-h', id: 'choice', class: 'callout' },
		h('h2', { id: 'choice-h' }, c.chosen ? t('Your new community') :
			t('Choose your new community')),
		h('p', null, c.chosen
			? (c.may_change
				? t('You may change it once until {date}, and freely after.', { date: ends })
				: t('You changed it once already: you may change it again after {date}.',
					{ date: ends }))
			: t('Until you answer, you act in none of the new assemblies. Your ' +
				'affirmation of the statement of values carries over.')),
		form);
}

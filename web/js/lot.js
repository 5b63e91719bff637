// lot.js: what the pages about service by lot share (polity, renewal,
// citizenship): times in words, the states of a summons and a renewal
// said in words, a copy button, the region drawn as a map-like treemap and
// a renewal's procedure drawn as a timeline. The charts are SVG made with
// DOM calls; one unit of the drawing is one pixel of the page, so their
// labels keep the page's size (12 px or more) on a phone, and each has the
// same facts in words beside it.
import { h } from './dom.js';
import { locale, t, tn } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
export function s(tag, attrs, ...kids) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		el.setAttribute(k, String(v));
	for (const k of kids)
		el.append(k);
	return el;
}

const fmt = new Intl.NumberFormat(locale);
const dayFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'long' });
const timeFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' });
const shortFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });

// Now, in seconds: the browser's clock, or later when the server showed
// something that has already happened at a later time (a server whose
// clock runs ahead: a simulation's controlled clock, or a browser's clock
// that is behind). What happened is never in the future.
let ahead = 0;
export function now() {
	return Date.now() / 1000 + ahead;
}
export function happened(seconds) {
	if (typeof seconds === 'number' && seconds > now())
		ahead = seconds - Date.now() / 1000;
}

// "in 3 weeks", "2 days ago", "today": how far seconds is from now.
export function fromNow(seconds, at = now()) {
	const now_ = at;
	const d = seconds - now_;
	const a = Math.abs(d);
	const steps = [[60, 'second', 1], [3600, 'minute', 60], [86400, 'hour', 3600],
		[86400 * 14, 'day', 86400], [86400 * 61, 'week', 86400 * 7],
		[86400 * 730, 'month', 86400 * 30.44], [Infinity, 'year', 86400 * 365.25]];
	for (const [limit, unit, size] of steps)
		if (a < limit)
			return rel.format(Math.round(d / size), unit);
	return '';
}

// A moment in the reader's zone, with how far it is: a <time> element.
export function when(seconds, withTime) {
	if (seconds === null || seconds === undefined)
		return h('span', { class: 'muted' }, t('not yet'));
	const d = new Date(seconds * 1000);
	return h('time', { datetime: d.toISOString(), title: timeFmt.format(d) },
		(withTime ? timeFmt : dayFmt).format(d) + ' (' + fromNow(seconds) + ')');
}

export const SUMMONS_STATES = {
	summoned: t('Summoned: an answer is awaited'),
	accepted: t('Accepted: seated'),
	seated: t('Seated'),
	excuse_requested: t('Asked to be excused: awaiting the clerk\'s decision'),
	excused: t('Excused'),
	deferred: t('Deferred to the next renewal'),
	no_answer: t('No answer by the deadline'),
	term_ended: t('Term ended'),
	resigned: t('Resigned'),
	removed: t('Removed by the assembly'),
	waiting: t('Waiting: called only if a seat falls vacant'),
	called: t('Called to a vacant seat'),
	skipped: t('Passed over'),
};

export function summonsState(state) {
	return SUMMONS_STATES[state] || (state ? state.replace(/_/g, ' ') : SUMMONS_STATES.waiting);
}

export const RENEWAL_STATUS = {
	scheduled: t('Scheduled: the pool is not built yet'),
	committed: t('Pool committed: waiting for the seed'),
	drawn: t('Drawn'),
};

export function renewalStatus(st) {
	return RENEWAL_STATUS[st] || st;
}

// The reasons to be excused a polity lists, in words (the polity's own
// reasons, beyond these four, read as it wrote them).
const EXCUSE_REASONS = {
	'illness': t('Illness'),
	'care of a dependant': t('Care of a dependant'),
	'hardship': t('Hardship'),
	'conflict of interest': t('Conflict of interest'),
};

export function excuseReason(r) {
	return EXCUSE_REASONS[r] || (r ? r.charAt(0).toUpperCase() + r.slice(1) : '');
}

export function renewalKind(k) {
	return k === 'supplementary' ? t('Supplementary renewal') : t('Yearly renewal');
}

export function renewalLink(id) {
	return '/renewal.html?id=' + encodeURIComponent(id);
}

// A command shown as code with a button that copies it.
let copySeq = 0;
export function copyable(text, label) {
	const id = 'cmd-' + (++copySeq);
	const note = h('span', { class: 'copied muted', role: 'status', 'aria-live': 'polite' });
	const button = h('button', { type: 'button', class: 'secondary copy',
		'aria-describedby': id }, label || t('Copy'));
	button.addEventListener('click', async () => {
		let ok = false;
		try {
			await navigator.clipboard.writeText(text);
			ok = true;
		} catch (e) {
			// no clipboard (an insecure origin): select the text instead
			const r = document.createRange();
			r.selectNodeContents(document.getElementById(id));
			const sel = window.getSelection();
			sel.removeAllRanges();
			sel.addRange(r);
			ok = document.execCommand && document.execCommand('copy');
		}
		note.textContent = ' ' + (ok ? t('Copied.') : t('Selected: copy it with your keyboard.'));
	});
	return h('div', { class: 'command' }, h('pre', null, h('code', { id, translate: 'no' }, text)),
		h('div', { class: 'actions' }, button, note));
}

// ---- the region as a treemap ----------------------------------------------

// Squarified treemap (Bruls, Huizing and van Wijk): items [{value}] laid
// out in the rectangle {x, y, w, h}, largest first, rows chosen so that
// the rectangles stay as square as they can. Sets x, y, w, h on each item.
function squarify(items, rect) {
	const total = items.reduce((a, b) => a + b.value, 0) || 1;
	const scale = (rect.w * rect.h) / total;
	let { x, y, w, h: ht } = rect;
	let row = [];
	const worst = (r, side) => {
		const sum = r.reduce((a, b) => a + b.area, 0);
		let m = 0;
		for (const it of r)
			m = Math.max(m, Math.max(side * side * it.area / (sum * sum),
				(sum * sum) / (side * side * it.area)));
		return m;
	};
	const layRow = (r) => {
		const sum = r.reduce((a, b) => a + b.area, 0);
		if (w >= ht) { // a column on the left
			const cw = ht > 0 ? sum / ht : 0;
			let yy = y;
			for (const it of r) {
				const ih = cw > 0 ? it.area / cw : 0;
				Object.assign(it, { x, y: yy, w: cw, h: ih });
				yy += ih;
			}
			x += cw;
			w -= cw;
		} else { // a row along the top
			const rh = w > 0 ? sum / w : 0;
			let xx = x;
			for (const it of r) {
				const iw = rh > 0 ? it.area / rh : 0;
				Object.assign(it, { x: xx, y, w: iw, h: rh });
				xx += iw;
			}
			y += rh;
			ht -= rh;
		}
	};
	for (const it of items) {
		it.area = Math.max(it.value, 0) * scale;
		const side = Math.min(w, ht);
		if (row.length && worst([...row, it], side) > worst(row, side)) {
			layRow(row);
			row = [];
		}
		row.push(it);
	}
	if (row.length)
		layRow(row);
}

// The groups of a region's communities: one for each region it is built
// from (its communities, each drawn once: in the first part that has it),
// then those the region names itself. parts: [{slug, name, communities}].
export function regionGroups(region, parts) {
	const placed = new Set();
	const groups = [];
	const bySlug = new Map(region.communities.map((c) => [c.slug, c]));
	for (const p of parts) {
		const cs = p.communities.map((c) => bySlug.get(c.slug))
			.filter((c) => c && !placed.has(c.slug));
		cs.forEach((c) => placed.add(c.slug));
		if (cs.length)
			groups.push({ name: p.name, slug: p.slug, communities: cs });
	}
	const rest = region.communities.filter((c) => !placed.has(c.slug));
	if (rest.length)
		groups.push({ name: parts.length ? t('Named by {region}', { region: region.name }) : region.name,
			slug: null, communities: rest });
	// every region a community is in, for the words beside the map
	const inParts = new Map();
	for (const p of parts)
		for (const c of p.communities)
			inParts.set(c.slug, [...(inParts.get(c.slug) || []), p.name]);
	return { groups, inParts };
}

const GROUP_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
const LABEL_PX = 13;  // as the CSS draws the labels
const CHAR_PX = 7.6;  // a generous width per character at that size

function byPopulation(a, b) {
	return b.population - a.population || a.name.localeCompare(b.name);
}

// The treemap of a region: each community a rectangle whose area is its
// population, inside the rectangle of its group; a label where it fits
// (the name, then the population), the rest in each rectangle's title and
// in the table that follows the map. communityHref(slug) links each one.
export function regionTreemap(region, grouped, communityHref) {
	const groups = grouped.groups.map((g, i) => ({ ...g, colour:
		GROUP_COLOURS[i % GROUP_COLOURS.length], communities:
		[...g.communities].sort(byPopulation),
	value: Math.max(1, g.communities.reduce((a, c) => a + Math.max(c.population, 0), 0)) }))
		.sort((a, b) => b.value - a.value || a.name.localeCompare(b.name));
	const n = region.communities.length;
	// the smallest are drawn at 1.5 % of the whole at least, to be seen
	const floor = 0.015 * Math.max(1, region.communities.reduce((a, c) =>
		a + Math.max(c.population, 0), 0));
	let floored = false;
	for (const g of groups) {
		g.people = g.communities.reduce((a, c) => a + Math.max(c.population, 0), 0);
		g.items = g.communities.map((c) => {
			floored = floored || c.population < floor;
			return { c, value: Math.max(c.population, floor) };
		});
		g.value = g.items.reduce((a, it) => a + it.value, 0);
	}
	const banded = groups.length > 1;
	const svg = s('svg', { class: 'region-map', role: 'img',
		'aria-label': (banded ? tn('A map of the {n} community of {region}, grouped by the ' +
			'{groups} regions it is built from: each rectangle is as large as its population. ' +
			'The table below lists them.', 'A map of the {n} communities of {region}, grouped ' +
			'by the {groups} regions it is built from: each rectangle is as large as its ' +
			'population. The table below lists them.', n, { region: region.name,
			groups: fmt.format(groups.length) })
			: tn('A map of the {n} community of {region}: each rectangle is as large as its ' +
				'population. The table below lists them.', 'A map of the {n} communities of ' +
				'{region}: each rectangle is as large as its population. The table below ' +
				'lists them.', n, { region: region.name })) });
	const draw = (W) => {
		const H = Math.round(Math.min(520, Math.max(220, W * 0.62, 44 * Math.sqrt(n) * 3)));
		svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
		svg.setAttribute('height', String(H));
		svg.replaceChildren();
		squarify(groups, { x: 0, y: 0, w: W, h: H });
		for (const g of groups) {
			const band = banded && g.h >= 40 && g.w >= 60 ? 20 : 0;
			const inner = { x: g.x + 2, y: g.y + 2 + band, w: Math.max(0, g.w - 4),
				h: Math.max(0, g.h - 4 - band) };
			const cs = g.items;
			squarify(cs, inner);
			const gel = s('g', { class: 'region-group' });
			gel.append(s('rect', { x: g.x + 0.5, y: g.y + 0.5, width: Math.max(0, g.w - 1),
				height: Math.max(0, g.h - 1), class: 'group-box', stroke: g.colour }));
			if (band) {
				const fit = Math.floor((g.w - 10) / CHAR_PX);
				gel.append(s('text', { x: g.x + 6, y: g.y + 15, class: 'group-label' },
					g.name.length > fit ? g.name.slice(0, Math.max(1, fit - 1)) + '…' : g.name));
			}
			for (const it of cs) {
				const a = s('a', { href: communityHref(it.c.slug), class: 'community-cell' });
				a.append(s('rect', { x: it.x.toFixed(1), y: it.y.toFixed(1),
					width: Math.max(0, it.w - 1).toFixed(1), height: Math.max(0, it.h - 1).toFixed(1),
					fill: g.colour, class: 'community-box' },
				s('title', null, it.c.name + ': ' + fmt.format(it.c.population) +
					(banded ? ' (' + g.name + ')' : ''))));
				const fits = Math.floor((it.w - 8) / CHAR_PX);
				if (it.h >= LABEL_PX + 8 && fits >= 3) {
					const name = it.c.name.length > fits
						? it.c.name.slice(0, fits - 1) + '…' : it.c.name;
					a.append(s('text', { x: (it.x + 4).toFixed(1), y: (it.y + LABEL_PX + 3)
						.toFixed(1), class: 'community-label' }, name));
					const num = fmt.format(it.c.population);
					if (it.h >= 2 * LABEL_PX + 12 && num.length <= fits)
						a.append(s('text', { x: (it.x + 4).toFixed(1), y: (it.y + 2 * LABEL_PX +
							7).toFixed(1), class: 'community-label number' }, num));
				}
				gel.append(a);
			}
			svg.append(gel);
		}
	};
	let drawn = 400;
	draw(drawn);
	if (window.ResizeObserver) {
		new ResizeObserver(() => {
			const w = Math.round(svg.getBoundingClientRect().width);
			if (w > 0 && Math.abs(w - drawn) > 1) {
				drawn = w;
				draw(w);
			}
		}).observe(svg);
	}
	const legend = banded ? h('ul', { class: 'legend' }, groups.map((g) =>
		h('li', null, h('span', { class: 'swatch', 'aria-hidden': 'true' },
			s('svg', { viewBox: '0 0 10 10', width: 12, height: 12 },
				s('rect', { x: 0, y: 0, width: 10, height: 10, fill: g.colour }))), ' ' + tn('{region}: {people} people in {n} community',
				'{region}: {people} people in {n} communities', g.communities.length,
				{ region: g.name, people: fmt.format(g.people) })))) : null;
	return h('figure', { class: 'chart region-chart' }, svg, legend,
		h('figcaption', { class: 'muted' }, banded
			? (floored ? t('Each rectangle is a community, as large as its population, inside ' +
				'the region that names it (the smallest drawn a little larger, so that they ' +
				'can be seen); it is a diagram, not a map of places.')
				: t('Each rectangle is a community, as large as its population, inside the ' +
					'region that names it; it is a diagram, not a map of places.'))
			: (floored ? t('Each rectangle is a community, as large as its population (the ' +
				'smallest drawn a little larger, so that they can be seen); it is a diagram, ' +
				'not a map of places.')
				: t('Each rectangle is a community, as large as its population; it is a ' +
					'diagram, not a map of places.'))));
}

// ---- a renewal's procedure as a timeline ---------------------------------

// steps: [{label, at (seconds or null), done}], in order. The line is
// drawn to scale between the first and last dates; today is marked.
export function timeline(steps, at = now()) {
	const known = steps.filter((x) => x.at !== null && x.at !== undefined);
	const lo = Math.min(...known.map((x) => x.at), at);
	const hi = Math.max(...known.map((x) => x.at), at);
	const svg = s('svg', { class: 'timeline', role: 'img', 'aria-label':
		t('The procedure in time: {steps}.', { steps: steps.map((x) => x.label + ', ' +
			(x.at ? dayFmt.format(new Date(x.at * 1000)) : t('not yet'))).join('; ') }) });
	const draw = (W) => {
		const rowH = 44, left = 14, right = 14;
		const H = steps.length * rowH + 10;
		svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
		svg.setAttribute('height', String(H));
		svg.replaceChildren();
		const span = Math.max(1, hi - lo);
		const xAt = (t) => left + (W - left - right) * (t - lo) / span;
		svg.append(s('line', { x1: left, x2: W - right, y1: 8, y2: 8, class: 'axis' }));
		const nx = xAt(at);
		svg.append(s('line', { x1: nx, x2: nx, y1: 0, y2: H, class: 'today' }),
			s('text', { x: Math.min(nx + 4, W - 40), y: H - 2, class: 'today-label' }, t('today')));
		steps.forEach((st, i) => {
			const y = 10 + i * rowH;
			const x = st.at ? xAt(st.at) : W - right;
			svg.append(s('line', { x1: x, x2: x, y1: 8, y2: y + 16, class: 'tick' }),
				s('circle', { cx: x, cy: 8, r: 6, class: 'step' + (st.done ? ' done' : '') }));
			const text = st.label + (st.at ? ': ' + (W < 420 ? shortFmt : dayFmt)
				.format(new Date(st.at * 1000)) : ': ' + t('not yet'));
			// the label under its mark, moved in so that it never leaves the chart
			const est = text.length * CHAR_PX;
			const tx = Math.max(2, Math.min(x - est / 2, W - est - 2));
			svg.append(s('text', { x: tx.toFixed(1), y: y + 30,
				class: 'step-label' + (st.done ? ' done' : '') }, text));
		});
	};
	let drawn = 400;
	draw(drawn);
	if (window.ResizeObserver) {
		new ResizeObserver(() => {
			const w = Math.round(svg.getBoundingClientRect().width);
			if (w > 0 && Math.abs(w - drawn) > 1) {
				drawn = w;
				draw(w);
			}
		}).observe(svg);
	}
	return h('figure', { class: 'chart timeline-chart' }, svg,
		h('ol', { class: 'timeline-words' }, steps.map((st) => h('li', {
			class: st.done ? 'done' : null }, st.label + ': ',
		st.at ? when(st.at) : h('span', { class: 'muted' }, st.pending || t('not yet')),
		st.done ? ', ' + t('done') : ''))));
}

// A value of a category as people read it ("undeclared" is the pool's
// word for those who did not say).
export function quotaValue(v) {
	return v === 'undeclared' ? t('not said') : v;
}

// The quotas of a draw against the seats each value holds: per category, a
// row per value with the band of seats the quota allows (min to max) and a
// bar of the seats held or awaited now, on a scale of the draw's seats. A
// table beside it says the same in words.
export function quotaChart(quotas, seats) {
	const cats = [];
	for (const q of quotas) {
		let c = cats.find((x) => x.name === q.category);
		if (!c)
			cats.push(c = { name: q.category, rows: [] });
		c.rows.push(q);
	}
	const rowH = 26, labelW = 120, right = 70, W = 480;
	const n = quotas.length + cats.length;
	const H = n * rowH + 8;
	const scale = (W - labelW - right) / Math.max(1, seats);
	const svg = s('svg', { class: 'quota-chart', role: 'img', viewBox: `0 0 ${W} ${H}`,
		'aria-label': t('Seats of each group against its quota') });
	let y = 4;
	for (const c of cats) {
		svg.append(s('text', { x: 0, y: y + 17, class: 'cat' }, c.name));
		y += rowH;
		for (const q of c.rows) {
			const met = q.seats >= q.min && q.seats <= q.max;
			svg.append(
				s('text', { x: 8, y: y + 17 }, quotaValue(q.value)),
				s('rect', { x: labelW + q.min * scale, y: y + 3,
					width: Math.max(2, (q.max - q.min) * scale), height: rowH - 6,
					class: 'band' }),
				s('rect', { x: labelW, y: y + 8, width: Math.max(0, q.seats * scale),
					height: rowH - 16, class: 'held' + (met ? '' : ' off') }),
				s('text', { x: W - right + 6, y: y + 17 }, String(q.seats) +
					(met ? ' ✓' : ' ✗')));
			y += rowH;
		}
	}
	const words = h('table', { class: 'quota-table', id: 'quota-table' },
		h('caption', null, t('Quotas of this draw, and the seats held or awaited')),
		h('thead', null, h('tr', null,
			h('th', { scope: 'col' }, t('Question')), h('th', { scope: 'col' }, t('Answer')),
			h('th', { scope: 'col', class: 'num' }, t('Seats wanted')),
			h('th', { scope: 'col', class: 'num' }, t('Seats now')))),
		h('tbody', null, quotas.map((q) => h('tr', null,
			h('td', null, q.category), h('td', null, quotaValue(q.value)),
			h('td', { class: 'num' }, q.min === q.max ? fmt.format(q.min)
				: t('{min} to {max}', { min: fmt.format(q.min), max: fmt.format(q.max) })),
			h('td', { class: 'num' }, q.seats >= q.min && q.seats <= q.max
				? fmt.format(q.seats)
				: t('{n} (outside the quota)', { n: fmt.format(q.seats) }))))));
	return h('figure', { class: 'chart quota-figure' }, svg,
		h('figcaption', null, t('The shaded band is what each quota allows; the bar, the ' +
			'seats its group holds or has been summoned to.')),
		h('div', { class: 'table-wrap' }, words));
}

export { fmt as numberFormat };

// sharing.js: the sharing economy (docs/sharing.md). Without a parameter,
// the economy of the signed-in person's assembly, else every economy;
// with ?economy=S, its register: what the enterprises in good standing
// offer (search and filters), taking what is not scarce, returning an
// item one holds (with a note on its condition), each item's link to its
// loan history (item.js), offering from one's enterprise and keeping its stock,
// what one took, and the latest takes of everyone (the record standing
// reviews read). No prices anywhere: nothing here is bought or sold.
import { api, ApiError, me } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
import { onSubmit } from '../forms.js';
import { readFiles } from '../evidence.js';
import { number, t, tn, tx } from '../i18n.js';
import { failed, header, status, title } from '../layout.js';

const KIND_TEXT = {
	product: t('Products'),
	item: t('Unique items'),
	service: t('Services'),
};

const WHY_NOT = {
	sharing_outside: t('Your local assembly has not joined this sharing economy: ' +
		'its members decide that by a motion.'),
	sharing_standing: t('You are not in good standing in the sharing economy yet. ' +
		'Your local assembly decides standing at its meetings: yours follows the ' +
		'enterprise you work in, or a basis you record on the page My citizenship ' +
		'(retired, a carer, a student...).'),
	sharing_opted_out: t('You opted out of the sharing economy. You may come back in ' +
		'at any time.'),
};

// "1 loaf", "12 loaves": the good's own words for one and several.
function amount(n, g) {
	return number(n) + ' ' + (n === 1 ? g.unit : g.units);
}

function economyLink(slug) {
	return '/sharing.html?economy=' + encodeURIComponent(slug);
}

function goodLine(g, full, mine) {
	const hold = full && full.hold;
	if (g.kind === 'item' && hold && !g.holder)
		return mine && hold.for === mine.handle ? t('won by you, waiting for you to collect it')
			: t('won by {who}, waiting to be collected', { who: hold.for_name });
	if (g.kind === 'item' && full && full.resting && !g.holder)
		return t('resting between loans');
	if (g.kind === 'item')
		return g.holder ? (g.due_at ? t('lent to {who} until {date}', { who: g.holder_name,
			date: date(g.due_at).textContent }) : t('lent to {who}', { who: g.holder_name }))
			: g.stock ? t('here to borrow') : t('not available now');
	if (g.kind === 'service')
		return g.stock ? t('{amount} available', { amount: amount(g.stock, g) })
			: t('none available now');
	return g.stock ? t('{amount} left', { amount: amount(g.stock, g) }) : t('none left now');
}

function takeForm(g, reload) {
	const id = 'take-' + g.id;
	const item = g.kind === 'item';
	const form = h('form', { id, class: 'inline-form' },
		item ? null : h('div', { class: 'field' },
			h('label', { for: id + '-q' }, t('How many {units}', { units: g.units })),
			h('input', { id: id + '-q', name: 'quantity', 'data-field': 'quantity',
				type: 'number', min: 1, max: g.stock, value: 1, required: true,
				inputmode: 'numeric' })),
		h('div', { class: 'actions' }, h('button', { type: 'submit' },
			item ? t('Borrow it') : t('Take'))));
	onSubmit(form, async (data) => {
		const q = item ? 1 : Number(data.get('quantity'));
		await api('POST', '/goods/' + g.id + '/takes', { quantity: q });
		await reload();
		status(t('You took {amount} of {what}.', { amount: amount(q, g), what: g.name }),
			'ok');
	});
	return form;
}

function renewForm(g, reload) {
	const form = h('form', { id: 'renew-' + g.id, class: 'inline-form' },
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' },
			t('Keep it longer'))));
	onSubmit(form, async () => {
		await api('POST', '/goods/' + g.id + '/renew');
		await reload();
		status(t('You may keep {what} longer.', { what: g.name }), 'ok');
	});
	return form;
}

function returnForm(g, reload) {
	const id = 'return-' + g.id;
	const form = h('form', { id, class: 'inline-form' },
		h('div', { class: 'field' },
			h('label', { for: id + '-c' }, t('Its condition (optional)')),
			h('input', { id: id + '-c', name: 'condition', 'data-field': 'condition',
				maxlength: 200, placeholder: t('for example: chain oiled, a scratch') })),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' },
			t('Return it'))));
	onSubmit(form, async (data) => {
		const note = String(data.get('condition') || '').trim();
		await api('POST', '/goods/' + g.id + '/return', note ? { condition: note } : undefined);
		await reload();
		status(t('You returned {what}.', { what: g.name }), 'ok');
	});
	return form;
}

// A lent item's hold and rest (docs/sharing.md "Lending"): whom it waits
// for and until when, or until when it rests between loans; the button to
// collect it for the person it waits for, once its rest is over.
function holdBox(good, mine, reload) {
	const hold = good.hold;
	if (!hold)
		return good.resting && !good.holder
			? h('p', { class: 'hold muted', id: 'hold-' + good.id }, t('Resting between ' +
				'loans until {date}, to be checked and mended.', {
				date: date(good.rests_until).textContent })) : null;
	if (hold.expired)
		return h('p', { class: 'hold muted', id: 'hold-' + good.id }, t('The hold of {who} ' +
			'has expired: the item passes to the next in the lottery order.',
		{ who: hold.for_name }));
	const forMe = mine && hold.for === mine.handle;
	const resting = !hold.ready;
	const by = hold.until ? date(hold.until).textContent : null;
	const text = forMe
		? (resting ? t('Won by you. It rests between loans until {date}; then it waits ' +
			'for you to collect it.', { date: date(hold.since).textContent })
			: by ? t('It waits for you: collect it by {date}, or it passes to the next ' +
				'in the lottery order.', { date: by }) : t('It waits for you: collect it.'))
		: (by ? t('Waiting for {who} to collect it, until {date}.', { who: hold.for_name,
			date: by }) : t('Waiting for {who} to collect it.', { who: hold.for_name }));
	const p = h('p', { class: 'hold', id: 'hold-' + good.id }, h('strong', null, text));
	if (!forMe || resting)
		return p;
	const form = h('form', { id: 'collect-' + good.id, class: 'inline-form' },
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Collect it'))));
	onSubmit(form, async () => {
		await api('POST', '/goods/' + good.id + '/collect');
		await reload();
		status(t('You collected {what}.', { what: good.name }), 'ok');
	});
	return h('div', null, p, form);
}

function stockForm(g, reload) {
	const id = 'stock-' + g.id;
	const form = h('form', { id, class: 'inline-form' },
		h('div', { class: 'row' },
			h('div', { class: 'field' },
				h('label', { for: id + '-n' }, t('{units} there are now', {
					units: g.units[0].toUpperCase() + g.units.slice(1) })),
				h('input', { id: id + '-n', name: 'stock', 'data-field': 'stock',
					type: 'number', min: 0, value: g.stock, required: true,
					inputmode: 'numeric' })),
			h('div', { class: 'field' },
				h('label', { for: id + '-note' }, t('Note (optional)')),
				h('input', { id: id + '-note', name: 'note', 'data-field': 'note',
					maxlength: 200 }))),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' },
			t('Update the stock'))));
	onSubmit(form, async (data) => {
		const body = { stock: Number(data.get('stock')) };
		const note = String(data.get('note') || '').trim();
		if (note)
			body.note = note;
		await api('PUT', '/goods/' + g.id + '/stock', body);
		await reload();
		status(t('{what}: {amount} now.', { what: g.name, amount: amount(body.stock, g) }),
			'ok');
	});
	return form;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...kids) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		el.setAttribute(k, String(v));
	for (const k of kids)
		el.append(k);
	return el;
}

function fraction(num, den) {
	return den === 1 ? number(num) : num + '/' + den;
}

// A round's allocation as a chart: for each category of need, what its
// requests asked (outlined) and what they received (filled), and the same
// words for those who do not see it.
function roundChart(r) {
	// one more figure than categories: the unreserved rest, where requests
	// whose evidence of need was not accepted were counted
	const rows = r.figures.map((f, i) => ({ name: r.categories[i] ? r.categories[i].name
		: t('The unreserved rest'), asked: f.demand, got: f.total, reserve: f.reserve }));
	const max = Math.max(1, ...rows.map((x) => x.asked));
	// the labels' column as wide as the longest name needs (about 8 px a
	// character in the chart's bold type), within bounds
	const longest = Math.min(28, Math.max(...rows.map((x) => x.name.length)));
	const labelW = Math.max(120, 8 * longest + 12), barW = 220, rowH = 34;
	const W = labelW + barW + 90, H = rows.length * rowH + 8;
	const words = rows.map((x) => t('{category}: asked {asked}, received {got}', {
		category: x.name, asked: amount(x.asked, r), got: amount(x.got, r) })).join('; ');
	const chart = svg('svg', { role: 'img', class: 'round-chart', viewBox: `0 0 ${W} ${H}`,
		width: W, height: H }, svg('title', null, words));
	rows.forEach((x, i) => {
		const y = 4 + i * rowH;
		const wa = Math.round(barW * x.asked / max), wg = Math.round(barW * x.got / max);
		chart.append(
			svg('text', { x: 0, y: y + 18, class: 'label' }, x.name.length > 28
				? x.name.slice(0, 27) + '…' : x.name),
			svg('rect', { x: labelW, y: y + 4, width: Math.max(wa, 1), height: 20,
				class: 'asked' }),
			svg('rect', { x: labelW, y: y + 4, width: wg, height: 20, class: 'got' }),
			svg('text', { x: labelW + Math.max(wa, wg) + 6, y: y + 18, class: 'num' },
				number(x.got) + ' / ' + number(x.asked)));
	});
	return h('figure', { class: 'round-figure' }, chart,
		h('figcaption', { class: 'hint' }, t('Filled: what each category of need ' +
			'received; outlined: what it asked.')));
}

// A round of alternatives (probabilistic serial, docs/sharing.md): the
// name of alternative id, a form to rank them, and what each received.
function altName(r, id) {
	const a = (r.alternatives || []).find((x) => x.id === id);
	return a ? a.name : String(id);
}

function rankForm(g, open, reload) {
	const id = 'rank-' + g.id, alts = open.alternatives;
	const choice = (k) => h('div', { class: 'field' },
		h('label', { for: id + '-' + k }, k === 0 ? t('Your first choice')
			: t('Then, if it is gone: choice {n}', { n: k + 1 })),
		h('select', { id: id + '-' + k, name: 'choice' + k, 'data-field': 'ranking' },
			k ? h('option', { value: '' }, t('nothing more')) : null,
			alts.map((a) => h('option', { value: a.id }, a.name))));
	const form = h('form', { id, class: 'inline-form' },
		h('p', { class: 'hint' }, t('These are alternatives to one another: rank those you ' +
			'would accept, best first. You receive one at most; everyone ranks, and the ' +
			'lot gives each their fair chance of each.')),
		h('div', { class: 'row' }, alts.map((a, k) => choice(k))),
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Ask'))));
	onSubmit(form, async (data) => {
		const ranking = alts.map((a, k) => data.get('choice' + k)).filter(Boolean).map(Number);
		await api('POST', '/goods/' + g.id + '/rankings', { ranking });
		await reload();
		status(t('You asked for {what} in this round.', { what: g.name }), 'ok');
	});
	return form;
}

function altChart(r) {
	const rows = r.alternatives.map((a) => ({ name: a.name, supply: a.supply || 0,
		got: r.requests.filter((q) => q.assigned === a.id).length,
		first: r.requests.filter((q) => q.ranking && q.ranking[0] === a.id).length }));
	const max = Math.max(1, ...rows.map((x) => Math.max(x.first, x.supply)));
	const labelW = 150, barW = 220, rowH = 34, W = labelW + barW + 90, H = rows.length * rowH + 8;
	const words = rows.map((x) => t('{name}: {supply} to share, first choice of {first}, ' +
		'{got} received', { name: x.name, supply: number(x.supply), first: number(x.first),
		got: number(x.got) })).join('; ');
	const chart = svg('svg', { role: 'img', class: 'round-chart', viewBox: `0 0 ${W} ${H}`,
		width: W, height: H }, svg('title', null, words));
	rows.forEach((x, i) => {
		const y = 4 + i * rowH;
		const wa = Math.round(barW * x.first / max), wg = Math.round(barW * x.got / max);
		chart.append(
			svg('text', { x: 0, y: y + 18, class: 'label' }, x.name.length > 22
				? x.name.slice(0, 21) + '…' : x.name),
			svg('rect', { x: labelW, y: y + 4, width: Math.max(wa, 1), height: 20,
				class: 'asked' }),
			svg('rect', { x: labelW, y: y + 4, width: wg, height: 20, class: 'got' }),
			svg('text', { x: labelW + Math.max(wa, wg) + 6, y: y + 18, class: 'num' },
				number(x.got) + ' / ' + number(x.first)));
	});
	return h('figure', { class: 'round-figure' }, chart,
		h('figcaption', { class: 'hint' }, t('Filled: who received each alternative; ' +
			'outlined: whose first choice it was.')));
}

// The evidence of need a request carries (docs/sharing.md "Evidence of
// need"): a text and files, read only by the requester and the committee.
function evidenceFields(id) {
	const files = h('input', { type: 'file', id: id + '-f', name: 'files', 'data-field': 'files',
		multiple: true, accept: '.pdf,.png,.jpg,.jpeg,.webp,.txt,.csv',
		'aria-describedby': id + '-fh' });
	const who = h('p', { class: 'help', id: id + '-eh' });
	const box = h('div', { class: 'need-evidence', hidden: true },
		h('div', { class: 'field' },
			h('label', { for: id + '-e' }, t('Your evidence of need')),
			who,
			h('textarea', { id: id + '-e', name: 'evidence_text', 'data-field': 'evidence_text',
				rows: 3, maxlength: 20000, 'aria-describedby': id + '-eh' })),
		h('div', { class: 'field' },
			h('label', { for: id + '-f' }, t('Files (optional)')),
			h('p', { class: 'help', id: id + '-fh' }, t('Up to 4 files: PDF, PNG, JPEG, WebP, ' +
				'plain text or CSV; 2 MiB each. The public journal records each file\'s ' +
				'fingerprint, never the file.')),
			files));
	return {
		box, files,
		show(e) {
			box.hidden = !e;
			if (e)
				who.textContent = t('This need is shown by evidence the committee {name} ' +
					'reviews. Only you and its members see it.', { name: e.committee_name });
		},
	};
}

function evidenceState(e) {
	return h('p', { class: 'evidence-state' }, e.verdict === 'accepted'
		? t('The committee {name} accepted your evidence: “{reason}”', { name: e.committee,
			reason: e.reason })
		: e.verdict === 'refused'
			? t('The committee {name} did not accept your evidence: “{reason}” You take part ' +
				'without the category\'s reserve.', { name: e.committee, reason: e.reason })
			: t('Your evidence waits for the review of the committee {name}. Not reviewed by ' +
				'the close, you take part without the category\'s reserve.',
			{ name: e.committee }));
}

// For a member of a committee the policy names: the requests it reviews,
// each with its evidence and the buttons to accept or refuse it.
function reviewList(open, reload) {
	const list = h('ul', { class: 'to-review' });
	for (const q of open.to_review) {
		const id = 'review-' + q.request;
		const item = h('li', { id },
			h('p', null, t('Request {n}: {amount} as {category}', { n: q.request,
				amount: number(q.amount), category: open.categories[q.category].name })));
		if (q.verdict)
			item.append(h('p', { class: 'muted' }, q.verdict === 'accepted'
				? t('Accepted: {reason}', { reason: q.reason })
				: t('Refused: {reason}', { reason: q.reason })));
		else {
			const evidence = h('div', { class: 'evidence' });
			const form = h('form', { class: 'inline-form' },
				h('div', { class: 'field' },
					h('label', { for: id + '-r' }, t('Your reason, in one line (the requester and ' +
						'your committee read it; the journal only seals it)')),
					h('input', { id: id + '-r', name: 'reason', 'data-field': 'reason',
						maxlength: 500, required: true })),
				h('div', { class: 'actions' },
					h('button', { type: 'submit', name: 'verdict', value: 'accepted' }, t('Accept')),
					h('button', { type: 'submit', name: 'verdict', value: 'refused',
						class: 'secondary' }, t('Refuse'))));
			let verdict = 'accepted';
			form.querySelectorAll('button').forEach((b) =>
				b.addEventListener('click', () => { verdict = b.value; }));
			onSubmit(form, async (data) => {
				await api('POST', '/requests/' + q.request + '/review', { verdict,
					reason: String(data.get('reason')) });
				await reload();
				status(verdict === 'accepted' ? t('You accepted the evidence.')
					: t('You refused the evidence.'), 'ok');
			});
			item.append(evidence, form);
			api('GET', '/requests/' + q.request + '/evidence').then((e) => {
				evidence.append(h('p', null, t('Asked by {name}', { name: e.requester.name })),
					h('blockquote', null, e.text));
				if (e.files.length)
					evidence.append(h('ul', { class: 'files' }, e.files.map((f) =>
						h('li', null, h('a', { href: '/api/v1/requests/' + q.request +
							'/evidence/' + f.n, download: f.name }, f.name)))));
			}).catch((e) => {
				// the reviewer must know the evidence is missing, not read
				// its absence as none given
				evidence.append(h('p', { class: 'status bad evidence-error', role: 'alert' },
					t('The evidence of need could not be loaded: {why}', { why: e.message })));
			});
		}
		list.append(item);
	}
	return h('section', { class: 'review' },
		h('h4', null, t('To review')),
		h('p', { class: 'hint' }, t('Evidence of need your committee reviews before the ' +
			'round closes.')),
		list);
}

function roundBox(d, mine, reload) {
	const g = d.good, open = d.open, last = d.last;
	const box = h('div', { class: 'round', id: 'round-' + g.id });
	const p = g.policy;
	if (p)
		box.append(h('p', { class: 'hint' }, t('Categories of need, in the order unused ' +
			'reserve flows on: {list}.', { list: p.categories.map((c) => (c.share
			? t('{name} ({share}% reserved)', { name: c.name, share: c.share }) : c.name) +
			(c.evidence ? ' ' + t('(shown by evidence the committee {name} reviews)',
				{ name: c.evidence.committee_name }) : ''))
			.join(', ') }), p.cap ? ' ' + t('At most {amount} a person.', {
			amount: amount(p.cap, g) }) : ''));
	// a policy from a federation's proposal: which, and who pools its rounds
	if (p && p.proposal)
		box.append(h('p', { class: 'from-federation' }, tx('This policy came from ' +
			'{proposal} of {federation}, which {assembly} accepted by {decision}.', {
			proposal: h('a', { href: link.proposal(p.proposal) },
				t('proposal {n}', { n: p.proposal })),
			federation: h('a', { href: link.assembly(p.federation) }, p.federation),
			assembly: h('a', { href: link.assembly(p.assembly) }, p.assembly_name),
			decision: h('a', { href: link.motion(p.decision) }, t('its decision')) }),
			' ', t('Its rounds take requests from the members of: {list}.', {
				list: (p.pool || []).map((x) => x.name).join(', ') })));
	if (open && open.state === 'open') {
		const asked = open.requests.find((q) => q.mine);
		box.append(h('p', null, tn('Round open until {date}: {n} request so far.',
			'Round open until {date}: {n} requests so far.', open.requests.length,
			{ date: date(open.closes_at).textContent })));
		const ps = open.policy === 'probabilistic_serial';
		if (asked && ps)
			box.append(h('p', { class: 'my-request' }, t('You ranked, best first: {list}. ' +
				'Keep your receipt to check the round: {salt}', {
				list: asked.ranking.map((id) => altName(open, id)).join(', '),
				salt: asked.salt })));
		// whether the caller may ask is the server's answer (the good's
		// may_request): a member pooled by a federation's policy may ask
		// though their own assembly is in no economy
		else if (ps && g.may_request)
			box.append(rankForm(g, open, reload));
		else if (asked)
			box.append(h('p', { class: 'my-request' }, t('You asked for {amount} as {category}. ' +
				'Keep your receipt to check the round: {salt}', {
				amount: amount(asked.amount, g), category: open.categories[asked.category].name,
				salt: asked.salt })), asked.evidence ? evidenceState(asked.evidence) : '');
		else if (g.may_request) {
			const id = 'ask-' + g.id;
			const form = h('form', { id, class: 'inline-form' },
				h('div', { class: 'row' },
					h('div', { class: 'field' },
						h('label', { for: id + '-c' }, t('Your need')),
						h('select', { id: id + '-c', name: 'category', 'data-field': 'category' },
							open.categories.map((c) => h('option', { value: c.name }, c.name)))),
					h('div', { class: 'field' },
						h('label', { for: id + '-a' }, t('How many {units}', { units: g.units })),
						h('input', { id: id + '-a', name: 'amount', 'data-field': 'amount',
							type: 'number', min: 1, value: 1, required: true, inputmode: 'numeric' }))),
				h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Ask'))));
			// a category whose need is shown by evidence asks for it
			const ev = evidenceFields(id);
			form.querySelector('.actions').before(ev.box);
			const select = form.querySelector('select');
			const show = () => {
				const c = open.categories.find((x) => x.name === select.value);
				ev.show(c && c.evidence);
			};
			select.addEventListener('change', show);
			show();
			onSubmit(form, async (data) => {
				const body = { category: data.get('category'), amount: Number(data.get('amount')) };
				const c = open.categories.find((x) => x.name === body.category);
				if (c && c.evidence) {
					if (data.get('evidence_text'))
						body.evidence_text = data.get('evidence_text');
					if (ev.files.files.length)
						body.files = await readFiles(ev.files.files);
				}
				try {
					await api('POST', '/goods/' + g.id + '/requests', body);
				} catch (e) {
					// a file's refusal names the file: shown by the files' field
					if (e instanceof ApiError && e.field && e.field.startsWith('files'))
						throw Object.assign(new Error(e.message), { control: ev.files });
					throw e;
				}
				await reload();
				status(t('You asked for {what} in this round.', { what: g.name }), 'ok');
			});
			box.append(form);
		} else if (g.why_not)
			box.append(h('p', { class: 'hint', id: 'why-not-' + g.id }, g.why_not.message));
		if (open.to_review && open.to_review.length)
			box.append(reviewList(open, reload));
	} else if (open && open.state === 'due' && mine) {
		const form = h('form', { id: 'close-' + open.id, class: 'inline-form' },
			h('p', null, t('This round reached its date: a member of the assembly closes it, ' +
				'which publishes its commitment.')),
			h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Close the round'))));
		onSubmit(form, async () => {
			await api('POST', '/rounds/' + open.id + '/close');
			await reload();
			status(t('The round is closed.'), 'ok');
		});
		box.append(form);
	}
	if (last && last.state === 'waiting_for_seed' && mine) {
		const id = 'draw-' + last.id;
		const form = h('form', { id, class: 'inline-form' },
			h('p', null, t('Closed, with its commitment published: {c}. The lot waits for ' +
				'the public source the assembly named.', { c: last.commitment.slice(0, 16) + '…' })),
			h('div', { class: 'field' },
				h('label', { for: id + '-s' }, t('The public source, exactly as published')),
				h('input', { id: id + '-s', name: 'source', 'data-field': 'source',
					maxlength: 500, required: true })),
			h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Draw the lot'))));
		onSubmit(form, async (data) => {
			await api('POST', '/rounds/' + last.id + '/draw', { source: String(data.get('source')) });
			await reload();
			status(t('The round is allocated.'), 'ok');
		});
		box.append(form);
	}
	if (last && last.state === 'allocated' && last.policy === 'probabilistic_serial') {
		const mineQ = last.requests.find((q) => q.mine);
		box.append(h('h4', null, t('The last round: {date}', {
			date: date(last.allocated_at).textContent })),
		altChart(last),
		mineQ ? h('p', { class: 'my-result' }, mineQ.assigned
			? t('You received {what}.', { what: altName(last, mineQ.assigned) })
			: t('You received nothing this round.')) : null,
		h('p', { class: 'hint' }, t('Anyone can check this round from its record:')),
		h('pre', { class: 'verify' }, 'curl -s ' + location.origin + '/api/v1/rounds/' + last.id +
			' > round.json\npnyx verify round round.json' +
			(mineQ && mineQ.salt ? ' --receipt ' + mine.handle + ' --salt ' + mineQ.salt : '')));
	} else if (last && last.state === 'allocated') {
		const mineQ = last.requests.find((q) => q.mine);
		box.append(h('h4', null, t('The last round: {date}', {
			date: date(last.allocated_at).textContent })),
		roundChart(last),
		mineQ ? h('p', { class: 'my-result' }, mineQ.num
			? t('You received {what}.', { what: fraction(mineQ.num, mineQ.den) + ' ' +
				(mineQ.num === mineQ.den ? g.unit : g.units) })
			: t('You received nothing this round.'),
		mineQ.place ? ' ' + t('Your place in the drawn order: {n}.', { n: mineQ.place }) : '')
			: null,
		h('p', { class: 'hint' }, t('Anyone can check this round from its record:')),
		h('pre', { class: 'verify' }, 'curl -s ' + location.origin + '/api/v1/rounds/' + last.id +
			' > round.json\npnyx verify round round.json' +
			(mineQ && mineQ.salt ? ' --receipt ' + mine.handle + ' --salt ' + mineQ.salt : '')));
	}
	return box;
}

function goodCard(g, mine, reload, details) {
	const ours = mine && mine.enterprises.some((e) => e.slug === g.enterprise);
	const held = mine && g.holder === mine.handle;
	return h('li', { class: 'card good', id: 'good-' + g.id },
		h('h3', null, g.name),
		h('p', { class: 'good-stock' }, h('strong', null, goodLine(g,
			details[g.id] && details[g.id].good, mine)), ' · ',
			tx('from {enterprise}', { enterprise: h('a', {
				href: link.enterprise(g.enterprise) }, g.enterprise_name) })),
		g.description ? h('p', null, g.description) : null,
		g.kind === 'item' && (g.condition || g.location) ? h('p', { class: 'muted' },
			[g.condition ? t('Condition: {c}', { c: g.condition }) : '',
				g.location ? t('Where: {w}', { w: g.location }) : '']
				.filter(Boolean).join(' · ')) : null,
		g.kind === 'item' ? h('p', null, h('a', { href: link.item(g.id),
			id: 'loans-link-' + g.id }, t('Its loan history'))) : null,
		g.scarce ? h('p', { class: 'scarce' }, h('strong', null, t('Scarce.')), ' ',
			t('Your assembly declared it scarce by decision: it is not taken freely, ' +
				'but shared in rounds, by need first, then equally or by lot.')) : null,
		g.scarce && details[g.id] ? roundBox(details[g.id], mine, reload) : null,
		details[g.id] && g.kind === 'item' ? holdBox(details[g.id].good, mine, reload) : null,
		held && g.due_at ? renewForm(g, reload) : null,
		held ? returnForm(g, reload)
			: mine && mine.may_take && g.stock > 0 && !g.scarce ? takeForm(g, reload) : null,
		ours && g.kind !== 'item' ? stockForm(g, reload) : null);
}

function searchForm(e, filter) {
	const enterprises = [...new Map(e.goods.map((g) => [g.enterprise, g.enterprise_name]))];
	return h('form', { id: 'search', class: 'inline-form', method: 'get', role: 'search' },
		h('input', { type: 'hidden', name: 'economy', value: e.slug }),
		h('div', { class: 'row' },
			h('div', { class: 'field' },
				h('label', { for: 'q' }, t('Look for')),
				h('input', { id: 'q', name: 'q', type: 'search', value: filter.q || '',
					placeholder: t('bread, bicycle, repairs...') })),
			h('div', { class: 'field' },
				h('label', { for: 'kind' }, t('Kind')),
				h('select', { id: 'kind', name: 'kind' },
					h('option', { value: '' }, t('Everything')),
					Object.entries(KIND_TEXT).map(([k, v]) => h('option',
						{ value: k, selected: filter.kind === k }, v)))),
			enterprises.length > 1 || filter.enterprise ? h('div', { class: 'field' },
				h('label', { for: 'enterprise' }, t('Offered by')),
				h('select', { id: 'enterprise', name: 'enterprise' },
					h('option', { value: '' }, t('Any enterprise')),
					enterprises.map(([slug, name]) => h('option',
						{ value: slug, selected: filter.enterprise === slug }, name))))
				: null),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' },
			t('Search'))));
}

function offerForm(mine, reload) {
	const ents = mine.enterprises.filter((x) => x.may_offer);
	if (!ents.length)
		return null;
	const form = h('form', { id: 'offer-form' },
		ents.length > 1 ? h('div', { class: 'field' },
			h('label', { for: 'o-enterprise' }, t('Offered by')),
			h('select', { id: 'o-enterprise', name: 'enterprise' }, ents.map((x) =>
				h('option', { value: x.slug }, x.name))))
			: h('input', { type: 'hidden', name: 'enterprise', value: ents[0].slug }),
		h('div', { class: 'field' },
			h('label', { for: 'o-kind' }, t('What it is')),
			h('select', { id: 'o-kind', name: 'kind', 'data-field': 'kind' },
				h('option', { value: 'product' }, t('A product, counted in a unit')),
				h('option', { value: 'service' }, t('A service, counted in hours or places')),
				h('option', { value: 'item' }, t('A unique item, lent and returned')))),
		h('div', { class: 'field' },
			h('label', { for: 'o-name' }, t('Name')),
			h('input', { id: 'o-name', name: 'name', 'data-field': 'name', maxlength: 120,
				required: true })),
		h('div', { class: 'field' },
			h('label', { for: 'o-description' }, t('Description (optional)')),
			h('textarea', { id: 'o-description', name: 'description',
				'data-field': 'description', maxlength: 2000, rows: 2 })),
		h('div', { class: 'row', id: 'o-counted' },
			h('div', { class: 'field' },
				h('label', { for: 'o-unit' }, t('One is called')),
				h('input', { id: 'o-unit', name: 'unit', 'data-field': 'unit', maxlength: 40,
					placeholder: t('loaf') })),
			h('div', { class: 'field' },
				h('label', { for: 'o-units' }, t('Several are called')),
				h('input', { id: 'o-units', name: 'units', 'data-field': 'units',
					maxlength: 40, placeholder: t('loaves') })),
			h('div', { class: 'field' },
				h('label', { for: 'o-stock' }, t('How many there are')),
				h('input', { id: 'o-stock', name: 'stock', 'data-field': 'stock',
					type: 'number', min: 0, inputmode: 'numeric' }))),
		h('div', { class: 'row', id: 'o-item', hidden: true },
			h('div', { class: 'field' },
				h('label', { for: 'o-condition' }, t('Its condition')),
				h('input', { id: 'o-condition', name: 'condition', 'data-field': 'condition',
					maxlength: 200 })),
			h('div', { class: 'field' },
				h('label', { for: 'o-location' }, t('Where it is')),
				h('input', { id: 'o-location', name: 'location', 'data-field': 'location',
					maxlength: 200 }))),
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Offer it'))));
	const kind = form.querySelector('#o-kind');
	kind.addEventListener('change', () => {
		const item = kind.value === 'item';
		form.querySelector('#o-counted').hidden = item;
		form.querySelector('#o-item').hidden = !item;
	});
	onSubmit(form, async (data) => {
		const body = { kind: data.get('kind'), name: String(data.get('name')).trim() };
		const desc = String(data.get('description') || '').trim();
		if (desc)
			body.description = desc;
		if (body.kind === 'item') {
			body.stock = 1;
			for (const k of ['condition', 'location']) {
				const v = String(data.get(k) || '').trim();
				if (v)
					body[k] = v;
			}
		} else {
			for (const k of ['unit', 'units']) {
				const v = String(data.get(k) || '').trim();
				if (v)
					body[k] = v;
			}
			const n = String(data.get('stock') || '').trim();
			if (n !== '')
				body.stock = Number(n);
		}
		await api('POST', '/enterprises/' + encodeURIComponent(data.get('enterprise')) +
			'/goods', body);
		await reload();
		status(t('{what} is in the register.', { what: body.name }), 'ok');
	});
	return h('section', { class: 'card', 'aria-labelledby': 'offer-h' },
		h('h2', { id: 'offer-h' }, t('Offer what your enterprise makes')),
		h('p', { class: 'hint' }, t('Members in good standing take it freely, with ' +
			'nothing but a record. You keep its stock up to date here.')),
		form);
}

function takeLine(x, who) {
	const parts = { when: date(x.at), who: x.by_name, amount: amount(x.quantity, x),
		what: h('a', { href: '#good-' + x.good }, x.good_name) };
	// a unique item is borrowed whole: no count of it ("1 item")
	const item = x.kind === 'item';
	return h('li', null,
		who ? (item ? tx('{when}: {who} borrowed {what}', parts)
			: tx('{when}: {who} took {amount} of {what}', parts))
			: item ? tx('{when}: you borrowed {what}', parts)
				: tx('{when}: you took {amount} of {what}', parts),
		x.on_behalf_name ? ' ' + t('for {enterprise}', { enterprise: x.on_behalf_name })
			: '',
		x.mutual_aid ? ' ' + t('(mutual aid, by the assembly\'s decision)') : '',
		x.returned_at ? ' ' + t('(returned)') : x.kind === 'item' ? ' ' + t('(held now)') : '');
}

function meSection(e, mine, account, reload) {
	const box = h('section', { class: 'card', id: 'me', 'aria-labelledby': 'me-h' },
		h('h2', { id: 'me-h' }, t('You and this economy')));
	if (!account) {
		box.append(h('p', null, tx('Sign in to take what is offered: {signin}.', {
			signin: h('a', { href: link.signin(location.pathname + location.search) },
				t('sign in')) })));
		return box;
	}
	const here = mine.economy && mine.economy.slug === e.slug;
	box.append(h('p', { id: 'may-take' }, mine.may_take && here
		? t('You are in good standing: take what you need of what is not scarce.')
		: !here && mine.economy ? t('Your assembly belongs to another sharing economy.')
			: WHY_NOT[mine.why_not] || t('You cannot take from this economy.')));
	const opt = h('form', { id: 'opt-form', class: 'inline-form' },
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' },
			mine.opted_out ? t('Come back into the sharing economy')
				: t('Opt out of the sharing economy'))));
	onSubmit(opt, async () => {
		const r = await api('PUT', '/me/sharing', { opted_out: !mine.opted_out });
		await reload();
		status(r.opted_out ? t('You opted out. You still obey local law, and may ' +
			'come back at any time.') : t('You are back in the sharing economy.'), 'ok');
	});
	box.append(opt);
	box.append(h('p', { id: 'household-link' }, h('a', { href: '/household.html' },
		t('Your household: opting out together, allotments and barter'))));
	if (mine.takes.length)
		box.append(h('h3', null, t('What you took')),
			h('ul', { id: 'my-takes' }, mine.takes.slice(0, 20).map((x) => takeLine(x))));
	return box;
}

async function show(slug) {
	const main = $('#main');
	const account = await me().catch(() => null);
	const filter = { q: param('q') || '', kind: param('kind') || '',
		enterprise: param('enterprise') || '' };
	const reload = async () => {
		let e, mine = null;
		const details = {};
		const qs = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
		try {
			e = await api('GET', '/economies/' + encodeURIComponent(slug) +
				(qs.toString() ? '?' + qs : ''));
			if (account)
				mine = await api('GET', '/me/sharing');
			// a scarce good's policy and rounds: the open one, the last one closed
			for (const g of e.goods.filter((x) => x.scarce)) {
				const good = await api('GET', '/goods/' + g.id);
				const [first, second] = good.rounds;
				const get = (x) => (x ? api('GET', '/rounds/' + x.id) : null);
				const open = first && first.state !== 'allocated' &&
					first.state !== 'waiting_for_seed' ? await get(first) : null;
				const lastR = open ? second : first;
				details[g.id] = { good, open, last: lastR ? await get(lastR) : null };
			}
		} catch (err) {
			failed('This sharing economy', err);
			return;
		}
		title(e.name);
		const filtered = filter.q || filter.kind || filter.enterprise;
		fill(main,
			h('h1', null, e.name),
			h('p', { class: 'lede' }, t('A sharing economy of {assemblies}. What is ' +
				'plentiful is taken freely; what is scarce will be shared by need, then ' +
				'by lot. Nothing has a price.', {
				assemblies: e.assemblies.map((a) => a.name).join(', ') })),
			h('div', { id: 'status', class: 'status', role: 'status', hidden: true }),
			h('p', { id: 'dashboards' }, t('What is scarce, and how it is shared:'), ' ',
				e.assemblies.map((a, i) => [i ? ', ' : '', h('a', { href: '/economy.html' +
					'?assembly=' + encodeURIComponent(a.slug) }, a.name)])),
			meSection(e, mine, account, reload),
			h('section', { 'aria-labelledby': 'register-h' },
				h('h2', { id: 'register-h' }, t('What is offered')),
				searchForm(e, filter),
				e.goods.length ? h('ul', { id: 'register', class: 'goods' },
					e.goods.map((g) => goodCard(g, mine, reload, details)))
					: h('p', { class: 'muted', id: 'register' }, filtered
						? t('Nothing offered matches.') : t('Nothing is offered yet.'))),
			mine ? offerForm(mine, reload) : null,
			e.takes.length ? h('section', { 'aria-labelledby': 'record-h' },
				h('h2', { id: 'record-h' }, t('The latest takes')),
				h('p', { class: 'hint' }, t('Everyone sees who took what: it is the ' +
					'record the assemblies read when they review standing.')),
				h('ul', { id: 'takes' }, e.takes.map((x) => takeLine(x, true)))) : null);
		main.removeAttribute('aria-busy');
	};
	await reload();
}

async function list() {
	const main = $('#main');
	let all, mine = null;
	try {
		all = (await api('GET', '/economies')).economies;
		if (await me().catch(() => null))
			mine = await api('GET', '/me/sharing');
	} catch (err) {
		failed('Sharing economies', err);
		return;
	}
	if (mine && mine.economy) {
		location.replace(economyLink(mine.economy.slug) + location.hash);
		return;
	}
	title(t('Sharing economies'));
	fill(main,
		h('h1', null, t('Sharing economies')),
		h('p', { class: 'lede' }, t('Local assemblies join a sharing economy by their ' +
			'own decisions. Its enterprises in good standing offer what they make; its ' +
			'members in good standing take what they need.')),
		all.length ? h('ul', { id: 'economy-list' }, all.map((x) => h('li', null,
			h('a', { href: economyLink(x.slug) }, x.name), ': ',
			tn('{n} good offered', '{n} goods offered', x.goods), ', ',
			t('joined by {assemblies}', { assemblies: x.assemblies.map((a) => a.name)
				.join(', ') }))))
			: h('p', { class: 'muted' }, t('No sharing economy yet: a local assembly ' +
				'founds one by a motion to join a sharing economy.')));
	main.removeAttribute('aria-busy');
}

async function main() {
	await header();
	const slug = param('economy');
	if (slug)
		await show(slug);
	else
		await list();
}

main();

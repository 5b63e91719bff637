// proposal.js: a delegate assembly's proposal (?id=N[&version=V]): each
// version's text (Markdown as text elements), rationale and condition;
// the answers of the assemblies beneath the originator as a tree, each
// marked by its answer to the chosen version in words and in colour;
// and how far the count has come towards the version's condition, kept
// up to date live as answers come in (server-sent events); and its
// discussion (discussion.js), where members of the assemblies it reaches
// comment. Answers are decisions of each assembly at its meetings.
import { api } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
import { failed, header, title } from '../layout.js';
import { markdown } from '../text.js';
import { discussion } from '../discussion.js';
import { number, t, tn, tx } from '../i18n.js';

const id = param('id');
const ANSWER = {
	accept: t('accepted'),
	reject: t('rejected'),
	amend: t('asked to amend'),
	repealed: t('repealed'),
	none: t('no answer yet'),
};

// The condition of a version in words.
function conditionText(c) {
	if (!c)
		return t('none stated');
	switch (c.kind) {
	case 'at_least':
		return tn('at least {n} local assembly accepts', 'at least {n} local assemblies accept',
			c.n);
	case 'share_of_assemblies':
		return t('at least {percent}% of the local assemblies beneath the federation accept',
			{ percent: number(c.percent) });
	case 'share_of_population':
		return t('the local assemblies that accept hold at least {percent}% of the ' +
			'population beneath the federation', { percent: number(c.percent) });
	case 'all_of':
		return t('every one of these assemblies accepts: {assemblies}',
			{ assemblies: (c.assemblies || []).join(', ') });
	default:
		return c.kind;
	}
}

function answerOf(node, v) {
	return (node.answers || {})[String(v)] || 'none';
}

function badge(answer) {
	return h('span', { class: 'answer answer-' + answer,
		'data-answer': answer }, ANSWER[answer] || answer);
}

// What the member assemblies on other nodes answered to version v, each
// as its node reported it, signed (docs/nodes.md).
function remoteAnswers(list, v) {
	const here = (list || []).filter((a) => a.version === v);
	if (!here.length)
		return null;
	return h('section', { 'aria-labelledby': 'remote-h' },
		h('h2', { id: 'remote-h' }, t('Answers from assemblies on other nodes')),
		h('p', { class: 'hint' }, t('Each counts as one local assembly, of the population ' +
			'its node reported with its answer. Each answer is a decision of that ' +
			'assembly, signed by its node.')),
		h('ul', { class: 'plain', id: 'remote-answers' }, here.map((a) => {
			let host = a.node;
			try {
				host = new URL(a.node).host;
			} catch (e) { /* shown as it came */ }
			return h('li', { 'data-assembly': a.assembly },
				h('a', { href: a.assembly }, a.assembly_name || a.assembly.split('/').pop()),
				' ',
				tx('(on the node {node})', { node: host }), ' · ',
				badge(a.answer || 'none'),
				a.population !== null && a.population !== undefined
					? [' · ', tn('speaks for {n} person', 'speaks for {n} people',
						a.population)] : null,
				a.decision ? [' · ', h('a', { href: a.decision }, t('its decision'))] : null,
				relayed(a));
		})));
}

function hostOf(url) {
	try {
		return new URL(url).host;
	} catch (e) {
		return url;
	}
}

// A delegate assembly on another node answers for the assemblies beneath
// it: how many accepted, and each answer with the node that reported it
// (docs/nodes.md, "Two levels across nodes").
function relayed(a) {
	if (a.locals === undefined || a.locals === null)
		return null;
	return [' · ', tn('{n} local assembly beneath it accepted',
		'{n} local assemblies beneath it accepted', a.locals),
	// of how many in all: the whole a share is counted against
	a.totals ? h('span', { class: 'remote-totals' }, ' · ',
		tn('of {n} local assembly beneath it in all, {people} people, as {node} reported',
			'of {n} local assemblies beneath it in all, {people} people, as {node} reported',
			a.totals.locals, { people: number(a.totals.population), node: hostOf(a.node) }))
		: h('span', { class: 'remote-totals' }, ' · ',
			t('its node did not say how many there are in all')),
	(a.beneath || []).length ? h('ul', { class: 'plain remote-beneath' },
		a.beneath.map((b) => h('li', { 'data-assembly': b.assembly },
			h('a', { href: b.assembly }, b.assembly.split('/').pop()), ' ',
			tx('(on the node {node})', { node: hostOf(b.node) }), ' · ',
			badge(b.answer || 'none'),
			b.counterText ? [' · ', t('counter-text: “{text}”', { text: b.counterText })]
				: null,
			' · ', t('reported by {node}', { node: hostOf(b.reportedBy) })))) : null];
}

// How many of the local assemblies beneath a delegate assembly accepted
// through assemblies that all accepted (a local reached by two paths is
// counted under each).
function beneath(node, v) {
	if (node.kind !== 'delegate' || node.locals === undefined)
		return null;
	const sum = (node.sums || {})[String(v)] || { locals_accepted: 0 };
	return h('span', { class: 'muted', 'data-beneath': node.body },
		'· ' + tn('{accepted} of {n} local assembly beneath accepted',
			'{accepted} of {n} local assemblies beneath accepted', node.locals,
			{ accepted: number(sum.locals_accepted) }));
}

// One assembly of the tree and those beneath it. A large federation is
// read a part at a time: more(node) loads what the server left out.
function treeNode(node, v, root, more) {
	const a = answerOf(node, v);
	const counted = (node.counts || []).includes(v);
	return h('li', { 'data-body': node.body },
		h('div', { class: 'fed-node' },
			h('a', { href: link.assembly(node.body) }, node.name),
			h('span', { class: 'muted' }, node.kind === 'delegate'
				? t('(delegate assembly)') : t('(local assembly)')),
			root ? h('span', { class: 'answer answer-none',
				'data-answer': 'originator' }, t('made the proposal')) : badge(a),
			node.population !== undefined && node.population !== null
				? h('span', { class: 'muted' }, t('population {n}',
					{ n: number(node.population) })) : null,
			counted ? h('span', { class: 'met' }, '· ' + t('counts')) : null,
			beneath(node, v),
			node.law ? h('span', null, '· ', h('a', {
				href: link.law(node.body, node.law.number) }, t('its law no. {n}',
				{ n: node.law.number })), ' ', node.law.status === 'in_force'
				? t('(version {n}, in force)', { n: node.law.proposal_version })
				: t('(version {n}, {status})', { n: node.law.proposal_version,
					status: ANSWER[node.law.status] || node.law.status })) : null),
		node.children && node.children.length
			? h('ul', null, node.children.map((c) => treeNode(c, v, false, more)))
			: null,
		node.children_omitted ? h('button', { type: 'button', class: 'link-button',
			'data-more': node.body, onclick: (e) => more(node, e.currentTarget) },
			tn('Show {n} more member of {name}', 'Show {n} more members of {name}',
				node.children_omitted, { name: node.name })) : null);
}

// Assemblies whose members the reader loaded, in order, so that a live
// update loads them again instead of folding the tree back.
const expanded = [];

function graft(tree, sub, node) {
	const at = find(tree, sub.body) || node;
	if (!at)
		return;
	at.children = sub.children;
	at.children_omitted = sub.children_omitted;
}

// A proposal with the latest 200 answers to version v (a proposal answered
// by a large federation is not read whole).
function proposalOf(pid, v) {
	return api('GET', '/proposals/' + encodeURIComponent(pid) + '?limit=200' +
		(v ? '&version=' + v : ''));
}

// The assembly of the tree named slug, or null.
function find(node, slug) {
	if (node.body === slug)
		return node;
	for (const c of node.children || []) {
		const f = find(c, slug);
		if (f)
			return f;
	}
	return null;
}

// The count towards the condition: a <progress> with its words.
function progress(vs) {
	if (!vs)
		return h('p', { id: 'progress-text', class: 'muted' }, t('The status counts ' +
			'the 16 latest versions; this one is older. Its text and answers follow.'));
	const c = vs.condition || {};
	let value, max, words;
	if (c.kind === 'share_of_population') {
		value = vs.population_accepted;
		max = vs.population || 1;
		const need = Math.ceil(vs.population * c.percent / 100);
		words = t('Population of the assemblies that accepted: {accepted} of {population} ' +
			'({percent}% needed: {need}).', { accepted: number(vs.population_accepted),
			population: number(vs.population), percent: number(c.percent), need: number(need) });
	} else {
		value = vs.locals_accepted;
		max = vs.locals || 1;
		let need = vs.locals;
		if (c.kind === 'at_least')
			need = c.n;
		else if (c.kind === 'share_of_assemblies')
			need = Math.ceil(vs.locals * c.percent / 100);
		if (c.kind === 'all_of') {
			need = (c.assemblies || []).length;
			value = vs.named_accepted || 0;
			max = need || 1;
			words = t('Named local assemblies that accepted: {value} of {need} (all ' +
				'needed; {accepted} of {locals} local assemblies accepted in all).', {
				value: number(value), need: number(need),
				accepted: number(vs.locals_accepted), locals: number(vs.locals) });
		} else {
			words = t('Local assemblies that accepted: {accepted} of {locals} ({need} needed).',
				{ accepted: number(vs.locals_accepted), locals: number(vs.locals),
					need: number(need) });
		}
	}
	return h('div', { class: 'progress-row' },
		h('p', { id: 'progress-text' }, words),
		h('progress', { id: 'progress', value: Math.min(value, max), max,
			'aria-labelledby': 'progress-text' }),
		h('p', { id: 'met', class: vs.met ? 'met' : 'not-met', 'aria-live': 'polite' },
			vs.met ? t('✓ Condition met: the law is in the register of each ' +
				'local assembly that accepted.') : t('Condition not met yet.')));
}

// Every assembly's name in the tree, by its slug.
function names(node, out) {
	out[node.body] = node.name;
	for (const c of node.children || [])
		names(c, out);
	return out;
}

// The rationing policy a proposal carries (docs/sharing.md "Scarcity
// shared across a federation"): for which good, and its categories.
function scarcityView(p) {
	const sc = p.scarcity;
	if (!sc)
		return null;
	const good = h('a', { href: '/sharing.html?economy=' +
		encodeURIComponent(sc.economy) + '#good-' + encodeURIComponent(sc.good) },
		sc.good_name);
	if (sc.action === 'lift')
		return h('section', { 'aria-labelledby': 'scarcity-h', id: 'scarcity' },
			h('h2', { id: 'scarcity-h' }, t('A rationing policy, shared across the federation')),
			h('p', null, tx('It proposes that {good} is no longer rationed: it ends where the ' +
				'assembly of its community accepts, once the condition is met.', { good })));
	const pp = sc.params || {};
	return h('section', { 'aria-labelledby': 'scarcity-h', id: 'scarcity' },
		h('h2', { id: 'scarcity-h' }, t('A rationing policy, shared across the federation')),
		h('p', null, tx('It proposes that {good} is shared in rounds of {days} days, by need ' +
			'and then equally or by lot. It applies only where the assembly of the good\'s ' +
			'community accepts, once the condition is met; then the members of every ' +
			'assembly that accepted ask in its rounds.', { good, days: number(pp.round_days) })),
		h('ul', { class: 'plain', id: 'scarcity-categories' }, (pp.policy || []).map((c) =>
			h('li', null, c.share ? t('{name} ({share}% reserved)', { name: c.name,
				share: c.share }) : c.name))),
		pp.cap ? h('p', null, t('At most {n} {units} a person.', { n: number(pp.cap),
			units: sc.units })) : null);
}

function versionView(p, v, name) {
	const ver = p.versions.find((x) => x.version === v);
	const answers = p.answers.filter((a) => a.version === v);
	const more = (p.answers_total || 0) - answers.length;
	return h('section', { 'aria-labelledby': 'ver-h', id: 'version-view' },
		h('h2', { id: 'ver-h' }, t('Version {n}: {title}', { n: v, title: ver.title })),
		h('p', { class: 'muted' }, tx('Adopted {when} by {motion} of {assembly}.', {
			when: date(ver.at),
			motion: h('a', { href: link.motion(ver.adopted_by) },
				t('motion {n}', { n: ver.adopted_by })),
			assembly: h('a', { href: link.assembly(p.body) }, p.body_name) })),
		h('div', { class: 'statement', id: 'proposal-text' }, markdown(ver.text || '')),
		h('dl', { class: 'facts' },
			h('dt', null, t('Rationale')),
			h('dd', { id: 'rationale' }, ver.rationale || '—'),
			h('dt', null, t('Condition')),
			h('dd', { id: 'condition' }, t('In force where accepted once {condition}.',
				{ condition: conditionText(ver.condition) }))),
		answers.length ? [h('h3', null, t('Answers to this version')),
			more > 0 ? h('p', { class: 'hint', id: 'answers-more' }, t('The latest {n} of ' +
				'{total} answers.', { n: number(answers.length),
				total: number(p.answers_total) })) : null,
			h('ul', { class: 'plain', id: 'answers' }, answers.map((a) =>
				h('li', null, h('a', { href: link.assembly(a.body) }, name[a.body] || a.body), ' ',
					badge(a.answer), ' · ', date(a.at), ' · ',
					h('a', { href: link.motion(a.motion) }, t('its decision')),
					a.reasons ? h('p', null, t('Reasons: {reasons}', { reasons: a.reasons }))
						: null,
					a.counter_text ? h('div', { class: 'statement' },
						h('p', null, t('Counter-proposal:')),
						markdown(a.counter_text)) : null)))] : null);
}

// The discussion loads and redraws itself; render keeps the same element
// (and what someone is writing in it) when the status changes.
let talk = null;

function render(p, st, v) {
	const vs = st.versions.find((x) => x.version === v);
	const select = h('select', { id: 'version', name: 'version' },
		p.versions.map((x) => h('option', { value: x.version,
			selected: x.version === v }, x.version === st.latest
			? t('Version {n}: {title} (latest)', { n: x.version, title: x.title })
			: t('Version {n}: {title}', { n: x.version, title: x.title }))));
	select.addEventListener('change', async () => {
		const nv = Number(select.value);
		history.replaceState(null, '', link.proposal(p.id, nv));
		render(await proposalOf(p.id, nv).catch(() => p), st, nv);
		$('#version').focus();
	});
	fill($('#main'),
		h('h1', null, p.title),
		h('p', { class: 'lead' }, tx('A proposal of {assembly}, adopted {when}. A delegate ' +
			'assembly makes no laws: this becomes law only in the local assemblies that ' +
			'accept it, once its condition is met.', {
			assembly: h('a', { href: link.assembly(p.body) }, p.body_name),
			when: date(p.at) })),
		h('div', { class: 'field' },
			h('label', { for: 'version' }, t('Version')), select),
		h('section', { 'aria-labelledby': 'count-h' },
			h('h2', { id: 'count-h' }, t('The count for version {n}', { n: v })),
			progress(vs)),
		h('section', { 'aria-labelledby': 'tree-h' },
			h('h2', { id: 'tree-h' }, t('Answers beneath {assembly}',
				{ assembly: p.body_name })),
			h('p', { class: 'hint' }, t('Each assembly with its answer to version {n}. ' +
				'“Counts” marks a local assembly whose acceptance reaches the originator ' +
				'through delegate assemblies that accepted too.', { n: v })),
			h('ul', { class: 'fed-tree', id: 'tree' }, treeNode(st.tree, v, true,
				async (node, button) => {
					button.disabled = true;
					try {
						const sub = await api('GET', '/proposals/' +
							encodeURIComponent(p.id) + '/status?under=' +
							encodeURIComponent(node.body));
						graft(st.tree, sub.tree, node);
						expanded.push(node.body);
						render(p, st, v);
						const again = document.querySelector('[data-body="' +
							CSS.escape(node.body) + '"] a');
						if (again)
							again.focus();
					} catch (e) {
						button.disabled = false;
						button.textContent = t('Could not load: {why}', { why: e.message });
					}
				}))),
		scarcityView(p),
		remoteAnswers(st.remote, v),
		versionView(p, v, names(st.tree, {})),
		talk || (talk = discussion('proposal', p.id)));
	$('#main').removeAttribute('aria-busy');
}

async function main() {
	header();
	let p, st, v;
	try {
		if (!id)
			throw Object.assign(new Error('no proposal named'), { status: 404 });
		st = await api('GET', '/proposals/' + encodeURIComponent(id) + '/status');
		// versions are numbered 1 to the latest
		const want = Number(param('version'));
		v = Number.isInteger(want) && want >= 1 && want <= st.latest ? want : st.latest;
		p = await proposalOf(id, v);
	} catch (e) {
		failed('This proposal', e);
		return;
	}
	title(p.title);
	render(p, st, v);
	follow(p.id);
}

// Live: the server sends the status again whenever a decision changes
// it; the page then reads the proposal afresh and shows both, on the
// version being looked at (a new version is offered in the list).
function follow(pid) {
	if (!window.EventSource)
		return;
	const es = new EventSource('/api/v1/proposals/' + encodeURIComponent(pid) + '/events');
	es.addEventListener('proposal', async (ev) => {
		let st;
		try {
			st = JSON.parse(ev.data);
		} catch (e) {
			return;
		}
		const chosen = $('#version');
		const v = chosen ? Number(chosen.value) : st.latest;
		const p = await proposalOf(pid, v).catch(() => null);
		if (!p)
			return;
		for (const slug of expanded) {
			if (!find(st.tree, slug))
				continue;
			const sub = await api('GET', '/proposals/' + encodeURIComponent(pid) +
				'/status?under=' + encodeURIComponent(slug)).catch(() => null);
			if (sub)
				graft(st.tree, sub.tree, null);
		}
		const focused = document.activeElement && document.activeElement.id;
		render(p, st, p.versions.some((x) => x.version === v) ? v : st.latest);
		if (focused && document.getElementById(focused))
			document.getElementById(focused).focus();
	});
}

main();

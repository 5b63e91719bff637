// case.js: one case of the harm question (docs/cases.md): what it asks,
// its timeline (every step dated, with the vote that decided it and who
// voted), the findings, the civil service's recommendations with their
// diffs against the law, the remedy in force and its review. A civil
// servant of the polity writes the recommendation or the report here; the
// assembly's decisions are motions at its meetings.
import { api, me } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
import { onSubmit } from '../forms.js';
import { failed, header, status, title } from '../layout.js';
import { t, tn, tx } from '../i18n.js';
import { markdown } from '../text.js';
import { caseState, caseStep, caseSubject } from '../cases.js';
import { happened, when } from '../lot.js';

const POSITIONS = { yes: t('yes'), no: t('no'), abstain: t('abstained') };

function diffView(d, id) {
	return h('div', { class: 'diff', id, role: 'group', 'aria-label': t('Changes to the law') },
		d.lines.map((l) => {
			if (l.op === 'add')
				return h('div', { class: 'add' }, h('ins', null,
					h('span', { class: 'sign', 'aria-hidden': 'true' }, '+'),
					h('span', { class: 'visually-hidden' }, t('Added:') + ' '), l.text || ' '));
			if (l.op === 'del')
				return h('div', { class: 'del' }, h('del', null,
					h('span', { class: 'sign', 'aria-hidden': 'true' }, '−'),
					h('span', { class: 'visually-hidden' }, t('Removed:') + ' '), l.text || ' '));
			return h('div', { class: 'same' }, h('span', { class: 'sign',
				'aria-hidden': 'true' }, ' '), l.text || ' ');
		}));
}

// Who took a step: a person, the clock, or the assembly by a vote.
function stepWho(c, st, names) {
	const m = st.motion;
	if (m) {
		const voters = m.voters.map((v) => v.name + (v.position ? ' (' +
			(POSITIONS[v.position] || v.position) + ')' : '')).join(', ');
		const motion = h('a', { href: link.motion(m.id) }, m.title);
		return [' ', m.meeting ? tx('Decided by the assembly: {motion} at {meeting}.', {
			motion, meeting: h('a', { href: link.meeting(m.meeting) },
				tx('its meeting of {date}', { date: date(m.meeting_starts_at) })) })
			: tx('Decided by the assembly: {motion}.', { motion }),
		voters ? ' ' + (m.secret ? t('Voted (secret ballot): {voters}.', { voters })
			: t('Voted: {voters}.', { voters })) : ''];
	}
	if (st.actor === 'operator')
		return ' ' + t('By the clock: nobody can skip a review.');
	return ' ' + t('By {name}.', { name: names[st.actor] || st.actor });
}

function timelineSection(c, names) {
	return h('section', { 'aria-labelledby': 'timeline-h' },
		h('h2', { id: 'timeline-h' }, t('Timeline')),
		h('ol', { class: 'plain case-steps', id: 'timeline' }, c.steps.map((st) => {
			return h('li', { class: 'card', 'data-step': st.step },
				h('p', null, h('strong', null, caseStep(st.step)), ', ', when(st.at), '.',
					stepWho(c, st, names)),
				st.note ? h('div', { class: 'statement' }, markdown(st.note)) : null);
		})));
}

function recommendationCard(c, r) {
	const words = { submitted: t('Before the assembly'),
		approved: t('Approved: in the register'), rejected: t('Sent back by the assembly') };
	return h('li', { class: 'card', id: 'recommendation-' + r.id },
		h('h3', null, r.title),
		h('p', null, words[r.state] || r.state, ' · ', tx('by {name}, {date}',
			{ name: r.author.name, date: date(r.submitted_at) }), ' · ', r.law
			? (r.base_version ? t('a new text of law {n}, written on its version {version}',
				{ n: r.law, version: r.base_version }) : t('law {n}', { n: r.law }))
			: t('a new law')),
		h('p', { class: 'muted' }, tn('{n} line added, {deleted} removed.',
			'{n} lines added, {deleted} removed.', r.diff.added,
			{ deleted: r.diff.deleted })),
		diffView(r.diff, 'diff-' + r.id),
		h('h4', null, t('Why this remedy')), h('div', { class: 'statement' },
			markdown(r.rationale)),
		h('h4', null, t('What it should change')), h('div', { class: 'statement' },
			markdown(r.effect)),
		h('h4', null, t('How we will know')), h('div', { class: 'statement' },
			markdown(r.measures)),
		h('h4', null, t('Alternatives considered')), h('div', { class: 'statement' },
			markdown(r.alternatives)),
		r.reasons ? [h('h4', null, t('Why the assembly sent it back')),
			h('div', { class: 'statement' }, markdown(r.reasons))] : null);
}

// What happens next, and who does it.
function nextStep(c, servant) {
	const assembly = h('a', { href: link.assembly(c.polity.assembly) }, t('its assembly'));
	const at = (what) => tx(what, { assembly, id: String(c.id) });
	const steps = {
		petitioned: at(t('Next: {assembly} moves and votes whether to take the case up at ' +
			'a meeting (case {id}).')),
		hearing: at(t('Next: {assembly} moves and votes on the question "Does the law allow ' +
			'harm?", with its findings, at a meeting (case {id}).')),
		harm_found: at(t('Next: {assembly} moves and votes to ask the civil service for a ' +
			'remedy, by a deadline, at a meeting (case {id}).')),
		remedy_requested: c.deadline ? tx('Next: the civil service recommends a remedy, ' +
			'due {date}.', { date: when(c.deadline) })
			: [t('Next: the civil service recommends a remedy.')],
		recommendation_received: at(t('Next: {assembly} moves and votes on the question ' +
			'"Would the law, so changed, still allow harm?" ("no" approves the remedy) at a ' +
			'meeting (case {id}).')),
		in_force: [t('The remedy is in force until its review, which opens by itself on its ' +
			'date.')],
		under_review: at(t('Under review: the civil service reports on the measures, then ' +
			'{assembly} answers the harm question again and confirms, revises or withdraws ' +
			'the remedy.')),
	};
	const text = steps[c.state];
	if (!text)
		return null;
	return h('p', { id: 'next', class: c.overdue ? 'status bad' : 'status' },
		c.overdue ? t('The recommendation is overdue.') + ' ' : null, text,
		servant && c.state === 'remedy_requested' ? ' ' + t('You are of the civil service: ' +
			'the form is below.') : null);
}

function recommendForm(c, done) {
	const field = (name, label, rows, help) => h('div', { class: 'field' },
		h('label', { for: 'rec-' + name }, label),
		help ? h('p', { class: 'help', id: 'rec-' + name + '-help' }, help) : null,
		rows ? h('textarea', { id: 'rec-' + name, name, 'data-field': name, rows,
			required: name !== 'title', maxlength: 50000 })
			: h('input', { id: 'rec-' + name, name, 'data-field': name, maxlength: 200,
				required: !c.law }));
	const form = h('form', { id: 'recommend-form' },
		field('title', c.law ? t('Title (leave empty to keep the law\'s)')
			: t('Title of the new law')),
		field('text', c.law ? t('The law\'s whole new text') : t('The text of the new law'), 8,
			c.law_now ? t('It starts as the law now reads: change what the remedy changes.')
				: null),
		field('rationale', t('Why this remedy'), 3),
		field('effect', t('What it should change'), 3),
		field('measures', t('How we will know whether it works'), 3),
		field('alternatives', t('Alternatives considered, and their costs'), 3),
		h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'recommend' },
			t('Submit the recommendation'))));
	const text = form.querySelector('#rec-text');
	if (c.law_now)
		text.value = c.law_now.text;
	onSubmit(form, async (data) => {
		const body = {};
		for (const k of ['title', 'text', 'rationale', 'effect', 'measures', 'alternatives'])
			if (data.get(k))
				body[k] = data.get(k);
		if (c.law)
			body.law = c.law;
		await api('POST', '/cases/' + c.id + '/recommendations', body);
		await done(t('Your recommendation is before the assembly.'));
	});
	return h('section', { 'aria-labelledby': 'recommend-h' },
		h('h2', { id: 'recommend-h' }, t('Recommend a remedy')), form);
}

function reportForm(c, done) {
	const form = h('form', { id: 'report-form' },
		h('div', { class: 'field' }, h('label', { for: 'report-text' },
			t('What the measures show')),
		h('textarea', { id: 'report-text', name: 'text', 'data-field': 'text', rows: 5,
			required: true, maxlength: 50000 })),
		h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'report' },
			t('Submit the report'))));
	onSubmit(form, async (data) => {
		await api('POST', '/cases/' + c.id + '/reports', { text: data.get('text') });
		await done(t('Your report is on the case\'s timeline.'));
	});
	return h('section', { 'aria-labelledby': 'report-h' },
		h('h2', { id: 'report-h' }, t('Report on the remedy under review')), form);
}

async function render(id, message) {
	const c = await api('GET', '/cases/' + encodeURIComponent(id));
	const [list, account] = await Promise.all([
		api('GET', '/polities/' + encodeURIComponent(c.polity.slug) + '/cases'),
		me().catch(() => null)]);
	const servant = account && list.civil_service.some((s) => s.handle === account.handle);
	title(c.title);
	const done = async (msg) => render(id, msg);
	// the server's clock may run ahead of the browser's (a simulation):
	// what happened is never in the future
	for (const st of c.steps)
		happened(st.at);
	const names = { [c.petitioner.handle]: c.petitioner.name };
	for (const x of list.civil_service)
		names[x.handle] = x.name;
	fill($('#main'),
		h('p', null, h('a', { href: link.polity(c.polity.slug) }, c.polity.name), ' · ' +
			t('case {id}', { id: c.id })),
		h('h1', null, c.title),
		h('p', { id: 'status', role: 'status', hidden: true }),
		h('p', { class: 'lead', id: 'state' }, caseState(c.state)),
		h('p', { id: 'subject' }, tx('Does the law allow harm? A case {subject}, petitioned ' +
			'by {name} on {date}.', { subject: caseSubject(c, c.polity.assembly),
			name: c.petitioner.name, date: date(c.opened_at) })),
		nextStep(c, servant),
		c.review_at && c.state !== 'withdrawn' ? h('p', { id: 'review' },
			c.review_due ? t('The review is due: it opens by itself.')
				: tx('Next review: {date}', { date: when(c.review_at) })) : null,
		h('section', { 'aria-labelledby': 'petition-h' },
			h('h2', { id: 'petition-h' }, t('The petition')),
			h('div', { class: 'statement', id: 'statement' }, markdown(c.statement))),
		c.findings ? h('section', { 'aria-labelledby': 'findings-h' },
			h('h2', { id: 'findings-h' }, t('Findings of harm')),
			h('div', { class: 'statement', id: 'findings' }, markdown(c.findings))) : null,
		timelineSection(c, names),
		c.remedy ? h('section', { 'aria-labelledby': 'remedy-h', id: 'remedy' },
			h('h2', { id: 'remedy-h' }, c.state === 'withdrawn' ? t('The remedy, withdrawn')
				: t('The remedy in force')),
			h('p', null, h('a', { href: link.law(c.polity.assembly, c.remedy.law) },
				t('Law {n}, version {version}', { n: c.remedy.law,
					version: c.remedy.version })), ': ', c.remedy.title, '.')) : null,
		c.recommendations.length ? h('section', { 'aria-labelledby': 'recs-h' },
			h('h2', { id: 'recs-h' }, t('Recommendations of the civil service')),
			h('ol', { class: 'plain', id: 'recommendations' },
				[...c.recommendations].reverse().map((r) => recommendationCard(c, r))))
			: null,
		servant && c.state === 'remedy_requested' ? recommendForm(c, done) : null,
		servant && c.state === 'under_review' ? reportForm(c, done) : null,
		c.law_now ? h('section', { 'aria-labelledby': 'law-h' },
			h('h2', { id: 'law-h' }, t('The law as it stands')),
			h('p', null, h('a', { href: link.law(c.polity.assembly, c.law_now.number) },
				t('Law {n}: {title}', { n: c.law_now.number, title: c.law_now.title })), ', ' +
				t('version {version}', { version: c.law_now.version }) +
				(c.law_now.status === 'repealed' ? ' ' + t('(repealed)') : '')),
			h('div', { class: 'statement', id: 'law-now' }, markdown(c.law_now.text))) : null);
	if (message)
		status(message, 'ok');
}

async function main() {
	header();
	try {
		await render(param('id'));
	} catch (e) {
		failed('This case', e);
		return;
	}
	$('#main').removeAttribute('aria-busy');
}

main();

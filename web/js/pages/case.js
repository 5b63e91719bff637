// case.js: one case of the harm question (docs/cases.md): what it asks,
// its timeline (every step dated, with the vote that decided it and who
// voted), the findings, the civil service's recommendations with their
// diffs against the law, the remedy in force and its review. A civil
// servant of the polity writes the recommendation or the report here; the
// assembly's decisions are motions at its meetings. While the case is in
// hearing anyone signed in submits evidence here (a text and files); each
// file's fingerprint can be checked in the page, against the bytes it
// downloads, with BLAKE2b computed here.
import { api, ApiError, me } from '../api.js';
import { Blake2b, hex } from '../blake2b.js';
import { $, date, fill, h, link, meetingTime, param } from '../dom.js';
import { onSubmit } from '../forms.js';
import { readFiles } from '../evidence.js';
import { failed, header, status, title } from '../layout.js';
import { locale, number, t, tn, tx } from '../i18n.js';
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
	if (st.actor === 'anonymous')
		return ' ' + t('By someone who gave no name.');
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

const FILE_TYPES = {
	'application/pdf': t('PDF document'), 'image/png': t('PNG image'),
	'image/jpeg': t('JPEG image'), 'image/webp': t('WebP image'),
	'text/plain': t('plain text'), 'text/csv': t('CSV table'),
};

function size(n) {
	const one = (x) => number(Number(x.toFixed(x < 10 ? 1 : 0)));
	if (n < 1024)
		return tn('{n} byte', '{n} bytes', n);
	if (n < 1024 * 1024)
		return t('{n} KB', { n: one(n / 1024) });
	return t('{n} MB', { n: one(n / 1024 / 1024) });
}

function fileUrl(c, e, n) {
	return '/api/v1/cases/' + c.id + '/evidence/' + e.id + '/files/' + n;
}

// A file's line: its link, what it is, and its fingerprint, which the page
// checks against the bytes it downloads (BLAKE2b-256, as b2sum -l 256).
function fileItem(c, e, f) {
	const out = h('span', { class: 'check-result', role: 'status' });
	const check = h('button', { type: 'button', class: 'link-button' }, t('Check it'));
	check.addEventListener('click', async () => {
		out.textContent = ' ' + t('Checking…');
		try {
			const r = await fetch(fileUrl(c, e, f.n), { credentials: 'same-origin' });
			if (!r.ok)
				throw new Error(t('the server refused ({status})', { status: r.status }));
			const got = hex(new Blake2b(32).update(new Uint8Array(await r.arrayBuffer()))
				.digest());
			out.textContent = ' ' + (got === f.hash ? t('The file matches its fingerprint.')
				: t('The file does NOT match its fingerprint: {hash}.', { hash: got }));
			out.className = 'check-result ' + (got === f.hash ? 'ok' : 'bad');
		} catch (err) {
			out.textContent = ' ' + t('Could not check it: {why}.', { why: err.message });
		}
	});
	return h('li', null, h('a', { href: fileUrl(c, e, f.n), download: f.name }, f.name),
		' (' + (FILE_TYPES[f.type] || f.type) + ', ' + size(f.size) + ')',
		h('div', { class: 'fingerprint' }, h('span', { class: 'muted' },
			t('Fingerprint (BLAKE2b-256):') + ' '), h('code', { class: 'hash',
			translate: 'no' }, f.hash)),
		h('div', null, check, out));
}

function evidenceCard(c, e, ev) {
	const who = e.submitter ? e.submitter.name : t('anonymous');
	const seal = e.seal ? h('div', { class: 'status sealed' },
		h('p', null, tx(e.text !== undefined ? t('Sealed by decision of the assembly of ' +
			'{date} ({decision}). The public does not see it; you do, as a member of the ' +
			'assembly.') : t('Sealed by decision of the assembly of {date} ({decision}). ' +
			'Why:'), { date: date(e.seal.at), decision: h('a', {
			href: link.motion(e.seal.motion) }, t('the decision')) })),
		h('div', { class: 'statement' }, markdown(e.seal.reasons))) : null;
	return h('li', { class: 'card', id: 'evidence-' + e.id },
		h('h3', null, e.brief ? t('Evidence {id}: the evidence brief of the civil service',
			{ id: e.id }) : t('Evidence {id}', { id: e.id })),
		h('p', null, tx('Submitted by {who}, {date}.', {
			who: e.submitter ? who : h('em', null, who), date: date(e.submitted_at) })),
		seal,
		e.text !== undefined ? [
			h('div', { class: 'statement' }, markdown(e.text)),
			e.files.length ? h('ul', { class: 'files' },
				e.files.map((f) => fileItem(c, e, f))) : null] : null);
}

function evidenceForm(c, ev, servant, done) {
	const limits = ev.limits;
	const files = h('input', { type: 'file', id: 'evidence-files', name: 'files',
		'data-field': 'files', multiple: true, accept: ev.types.join(','),
		'aria-describedby': 'evidence-files-help' });
	const form = h('form', { id: 'evidence-form' },
		h('div', { class: 'field' }, h('label', { for: 'evidence-text' },
			t('What you know, and how you know it')),
		h('textarea', { id: 'evidence-text', name: 'text', 'data-field': 'text', rows: 5,
			required: true, maxlength: 50000 })),
		h('div', { class: 'field' }, h('label', { for: 'evidence-files' },
			t('Files (optional)')),
		h('p', { class: 'help', id: 'evidence-files-help' }, t('Up to {n} files: PDF, PNG, ' +
			'JPEG, WebP, plain text or CSV; {each} each, {all} together. The public journal ' +
			'records each file\'s fingerprint, never the file.', { n: limits.files,
			each: size(limits.file_bytes), all: size(limits.total_bytes) })),
		files),
		servant && ev.brief_owed ? h('div', { class: 'check' },
			h('input', { type: 'checkbox', id: 'evidence-brief', name: 'brief' }),
			h('label', { for: 'evidence-brief' }, t('This is the evidence brief the assembly ' +
				'asked of the civil service'))) : null,
		ev.anonymous_allowed && !servant ? h('div', { class: 'check' },
			h('input', { type: 'checkbox', id: 'evidence-anonymous', name: 'anonymous' }),
			h('label', { for: 'evidence-anonymous' }, t('Submit it without my name'))) : null,
		h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'submit-evidence' },
			t('Submit the evidence'))));
	onSubmit(form, async (data) => {
		const chosen = [...files.files];
		const tooMany = chosen.length > limits.files;
		const tooBig = chosen.find((f) => f.size > limits.file_bytes);
		if (tooMany || tooBig)
			throw Object.assign(new Error(tooMany ? t('At most {n} files.', { n: limits.files })
				: t('{file} is larger than {size}.', { file: tooBig.name,
					size: size(limits.file_bytes) })),
			{ control: files });
		const body = { text: data.get('text') };
		if (data.get('anonymous'))
			body.anonymous = true;
		if (data.get('brief'))
			body.brief = true;
		if (chosen.length)
			body.files = await readFiles(chosen);
		try {
			await api('POST', '/cases/' + c.id + '/evidence', body);
		} catch (e) {
			// a file's refusal names the file: shown by the files' field
			if (e instanceof ApiError && e.field && e.field.startsWith('files'))
				throw Object.assign(new Error(e.message), { control: files });
			throw e;
		}
		await done(t('Your evidence is on the case.'));
	});
	return form;
}

function evidenceSection(c, ev, account, servant, done) {
	const list = ev.evidence;
	const owed = ev.brief_owed;
	return h('section', { 'aria-labelledby': 'evidence-h' },
		h('h2', { id: 'evidence-h' }, t('Evidence')),
		owed ? h('div', { id: 'brief-owed', class: owed.overdue ? 'status bad' : 'status' },
			h('p', null, tx(owed.overdue ? t('The evidence brief is overdue: the assembly ' +
				'asked the civil service for an evidence brief ({decision}), due {date}.')
				: t('The assembly asked the civil service for an evidence brief ({decision}), ' +
					'due {date}.'), { decision: h('a', { href: link.motion(owed.motion) },
				t('its decision')), date: when(owed.deadline) }),
			servant ? ' ' + t('You are of the civil service: submit it below, marked as the ' +
				'brief.') : ''),
			owed.instructions ? h('div', { class: 'statement' }, markdown(owed.instructions))
				: null) : null,
		list.length ? h('ol', { class: 'plain', id: 'evidence' },
			list.map((e) => evidenceCard(c, e, ev)))
			: h('p', { class: 'muted', id: 'evidence' }, ev.open
				? t('No evidence yet.') : t('No evidence was submitted.')),
		ev.open ? [h('h3', null, t('Submit evidence')),
			account ? evidenceForm(c, ev, servant, done) : h('p', null,
				tx('Anyone may submit evidence while the case is in hearing: {signin} first.',
					{ signin: h('a', { href: link.signin(location.pathname +
						location.search) }, t('sign in')) }))] : null);
}

// The witnesses the assembly scheduled at its meetings, and what the
// clerk recorded of each at that meeting (its minutes say the same).
const TESTIMONY = {
	testified: t('Testified, as the minutes of the meeting record.'),
	absent: t('Did not appear, as the minutes of the meeting record.'),
};

function testimonySection(c) {
	return h('section', { 'aria-labelledby': 'testimony-h' },
		h('h2', { id: 'testimony-h' }, t('Testimony')),
		h('ol', { class: 'plain', id: 'testimony' }, c.testimony.map((w) =>
			h('li', { class: 'card', id: 'witness-' + w.id },
				h('h3', null, w.name, w.handle ? ' (@' + w.handle + ')' : ''),
				h('p', null, tx('Called to {meeting}; expected at {time}.', {
					meeting: h('a', { href: link.meeting(w.meeting) },
						tx('the meeting of {date}', { date: meetingTime(w.meeting_at) })),
					time: h('time', { datetime: new Date(w.at * 1000).toISOString() },
						new Date(w.at * 1000).toLocaleTimeString(locale, { hour: '2-digit',
							minute: '2-digit' })) })),
				h('p', { class: 'testimony-outcome' }, w.outcome ? TESTIMONY[w.outcome]
					: t('Nothing recorded yet: the clerk records it at the meeting.')),
				w.summary ? h('div', { class: 'statement' }, markdown(w.summary)) : null))));
}

async function render(id, message) {
	const c = await api('GET', '/cases/' + encodeURIComponent(id));
	const [list, account, ev] = await Promise.all([
		api('GET', '/polities/' + encodeURIComponent(c.polity.slug) + '/cases'),
		me().catch(() => null),
		api('GET', '/cases/' + encodeURIComponent(id) + '/evidence')]);
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
	for (const e of ev.evidence)
		if (e.submitter)
			names[e.submitter.handle] = e.submitter.name;
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
		ev.evidence.length || ev.open ? evidenceSection(c, ev, account, servant, done) : null,
		c.testimony && c.testimony.length ? testimonySection(c) : null,
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

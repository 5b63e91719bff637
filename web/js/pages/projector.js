// projector.js: the view for the screen in the meeting room: large type,
// the motion being decided (else the next on the agenda) with its live
// count, who is present, and the room code as text and as a QR code of
// the meeting page's address with the code filled in (drawn by the
// server: GET /meetings/{id}/code.svg). Counts arrive over server-sent
// events; the code is fetched again when it changes (every two minutes).
// Showing the code needs the clerk's or the facilitator's session (or
// any member's while both offices are vacant); without it the view shows
// everything else.
import { api } from '../api.js';
import { $, fill, h, link, param, seatWord } from '../dom.js';
import { t, tn, tx } from '../i18n.js';
import { failed, title } from '../layout.js';
import { loadKindLabels, motionKindText, roomCodeText, ruleText } from '../text.js';
import { barChart, positionsFor } from '../votes.js';
import { followMeeting } from '../live.js';

const id = param('id');
const path = '/meetings/' + encodeURIComponent(id || '');
let meeting = null;
let body = null; // the assembly: its kind names who sits in it
let counts = {};
const motions = {};
let codeTimer = null;

function current() {
	const flat = [];
	for (const a of meeting.agenda || []) {
		// Amendments are decided first.
		for (const x of a.amendments || [])
			flat.push(x);
		flat.push(a);
	}
	return flat.find((m) => m.status === 'voting') ||
		flat.find((m) => m.status === 'submitted') || null;
}

async function renderMotion() {
	const m = current();
	const box = $('#current');
	if (!m) {
		fill(box, h('h2', { id: 'current-none' }, meeting.state === 'closed'
			? t('The meeting is closed.') : (meeting.agenda || []).length
				? t('Nothing left on the agenda.') : t('Nothing on the agenda yet.')));
		return;
	}
	if (!motions[m.id] || motions[m.id].status !== m.status ||
	    (counts[m.id] && counts[m.id].round !== motions[m.id].round))
		motions[m.id] = await api('GET', '/motions/' + m.id).catch(() => null);
	const mo = motions[m.id];
	const c = counts[m.id];
	fill(box,
		h('p', { class: 'muted' }, m.status === 'voting' ? t('Voting now') : t('Next'),
			' · ', motionKindText(m.kind)),
		h('h2', { id: 'current-title' }, m.title),
		mo && mo.rule ? h('p', null, t('Decided by {rule}.',
			{ rule: ruleText(mo.rule, seatWord(body)) })) : null,
		m.status === 'voting' && c && mo && mo.ranked
			? h('p', { class: 'count-words' }, (c.present
				? t('Ranked ballots: {voted} voted of {present} present.',
					{ voted: c.voted || 0, present: c.present })
				: t('Ranked ballots: {voted} voted.', { voted: c.voted || 0 })) + ' ' +
				t('The count runs when the vote closes.'))
			: m.status === 'voting' && c
			? barChart(c.counts, { offered: mo ? positionsFor(mo.rule, c.round) : null,
				voted: c.voted, present: c.present, big: true,
				caption: t('Votes on {title}', { title: m.title }) })
			: null);
	box.setAttribute('data-motion', m.id);
}

function renderPresent() {
	// a large meeting's stream counts those present without naming them
	const n = meeting.present ? meeting.present.length : meeting.attendance || 0;
	fill($('#present'), body && body.kind === 'delegate'
		? tn('{n} delegate present', '{n} delegates present', n)
		: tn('{n} member present', '{n} members present', n));
}

async function refreshCode() {
	clearTimeout(codeTimer);
	const box = $('#code');
	if (meeting.state !== 'open') {
		fill(box, h('p', null, meeting.state === 'scheduled'
			? t('Check-in opens when the meeting begins.') : ''));
		return;
	}
	let c;
	try {
		c = await api('GET', path + '/code');
	} catch (e) {
		fill(box, h('p', { class: 'muted' }, t('The room code shows here for the ' +
			'clerk or the facilitator (signed in on this screen).')));
		return;
	}
	const img = h('img', { class: 'qr', id: 'qr', width: 320, height: 320,
		src: '/api/v1' + path + '/code.svg?at=' + c.expires_at,
		alt: t('QR code: scan it to open the meeting page with the room code ' +
			'{code} filled in.', { code: roomCodeText(c.code) }) });
	fill(box,
		h('h2', null, t('Check in')),
		h('p', null, t('Room code')),
		h('p', { class: 'room-code', id: 'room-code' }, roomCodeText(c.code)),
		img,
		h('p', { class: 'hint', id: 'address-hint' }, tx('Open {address} or scan the code.',
			{ address: h('span', { class: 'address' },
				location.host + '/meeting.html?id=' + id) })));
	// Fetch the next code a second after this one expires.
	const wait = Math.max(5, c.expires_at - Math.floor(Date.now() / 1000) + 1);
	codeTimer = setTimeout(refreshCode, wait * 1000);
}

async function main() {
	try {
		if (!id || !/^\d+$/.test(id))
			throw Object.assign(new Error(t('no meeting named')), { status: 404 });
		meeting = await api('GET', path);
	} catch (e) {
		failed('This meeting', e);
		return;
	}
	[body] = await Promise.all([api('GET', '/bodies/' + encodeURIComponent(meeting.body))
		.catch(() => null), loadKindLabels()]);
	const name = body ? body.name : meeting.body;
	title(t('Projector: {assembly}', { assembly: name }));
	$('#back-link').setAttribute('href', link.meeting(id));
	fill($('#main'),
		h('h1', null, name),
		h('p', { id: 'present', 'aria-live': 'polite' }),
		h('div', { class: 'projector-grid' },
			h('section', { id: 'current', 'aria-live': 'polite',
				'aria-label': t('The motion before the meeting') }),
			h('section', { id: 'code', 'aria-label': t('Room code') })));
	$('#main').removeAttribute('aria-busy');
	renderPresent();
	await renderMotion();
	await refreshCode();
	// what the stream read before this page's own read is older
	const since = meeting.as_of || 0;
	const es = followMeeting(path, async (live) => {
		const was = meeting.state;
		meeting = live.meeting;
		counts = Object.assign({}, live.counts);
		renderPresent();
		await renderMotion();
		if (was !== meeting.state)
			refreshCode();
		if (meeting.state === 'closed' || meeting.state === 'lapsed')
			es.close();
	}, () => since);
}

main();

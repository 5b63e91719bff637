// meeting.js: one meeting, as the people in the room use it: its state,
// time and place, who is present, checking in with the room code, the
// agenda with each motion's amendments under it, the speakers' queue,
// casting a vote with the positions the rule offers, live counts over
// server-sent events, the chair's duties, submitting a motion, and the
// minutes once the meeting is closed.
//
// Who may do what is decided by the server; the page shows the chair's
// controls to whoever holds (or, while vacant, may perform) the duties of
// the clerk and the facilitator, and any refusal is shown next to the
// control it concerns. Live updates replace only what changed: a form
// someone is filling in (or a radio a keyboard user is on) is never
// rebuilt under them while counts come in.
import { api } from '../api.js';
import { $, fill, h, link, meetingTime, param, people, seatWord } from '../dom.js';
import { number, t, tn, tx } from '../i18n.js';
import { keepErrors, onSubmit, showError } from '../forms.js';
import { clearStale, failed, header, status, title } from '../layout.js';
import { decidedRuleText, loadKindLabels, markdown, motionKindText, motionStatusText,
	resultText, roomCodeText, ruleText } from '../text.js';
import { barChart, positionsFor, POSITION_TEXT } from '../votes.js';
import { countTable, rankingControls } from '../stv.js';
import { motionForm } from '../motion-form.js';
import { followMeeting } from '../live.js';
import { drawTestimony } from '../testimony.js';

const id = param('id');
const path = '/meetings/' + encodeURIComponent(id || '');
const STATE_TEXT = {
	scheduled: t('Scheduled: not yet begun'),
	open: t('In session'),
	closed: t('Closed'),
	lapsed: t('Lapsed: not closed within 12 hours'),
};

const DEPARTED_TEXT = {
	left: t('left the assembly'),
	excluded: t('excluded by the assembly'),
	seat_ended: t('no longer a delegate'),
};

const S = {
	meeting: null, account: null, body: null, offices: [], committees: [], members: [],
	laws: [], mine: false, motions: {}, counts: {}, voted: new Set(),
	agendaKey: '', youKey: '', chairKey: '', events: null,
	picked: {}, // what was chosen or typed in the agenda's forms, unsent
	asking: {}, // motion id -> the question asked before closing its vote
};

// A large meeting's live stream counts those present without naming them
// (docs/api.md): then the page's own "checked_in" (its signed-in read) says.
function checkedIn() {
	const a = S.account;
	if (!S.meeting.present)
		return !!a && !!S.meeting.checked_in;
	return !!a && S.meeting.present.some((p) => p.handle === a.handle);
}

function presentCount() {
	return S.meeting.present ? S.meeting.present.length : S.meeting.attendance || 0;
}

function holder(office) {
	const o = S.offices.find((x) => x.name === office);
	return o ? o.holder || null : null;
}

// The duties the signed-in person may perform (a guess for showing
// controls; the server decides).
function duties() {
	const a = S.account;
	if (!a || !S.mine || S.meeting.state !== 'open')
		return { clerk: false, facilitator: false };
	const clerk = holder('clerk');
	const fac = holder('facilitator');
	return {
		clerk: clerk === a.handle || (!clerk && checkedIn()),
		facilitator: fac === a.handle || (!fac && checkedIn()),
		// checking others in needs the clerk the assembly elected
		electedClerk: clerk === a.handle,
	};
}

// ---- the head: state, time, place, attendance -------------------------

function renderFacts() {
	const m = S.meeting;
	const present = m.present || [];
	const count = m.present ? present.length : m.attendance || 0;
	fill($('#facts'),
		h('dt', null, t('State')),
		h('dd', { id: 'meeting-state' }, h('span', { class: 'badge state-' + m.state },
			STATE_TEXT[m.state] || m.state)),
		h('dt', null, t('When')),
		h('dd', null, meetingTime(m.starts_at, zone()), zone() ? ' ' +
			t('({zone} time)', { zone: zone().replace(/_/g, ' ') }) : ''),
		h('dt', null, t('Where')),
		h('dd', null, m.place || '—'),
		h('dt', null, t('Present')),
		h('dd', { id: 'attendance' }, people(S.body, count),
			present.length ? ': ' + present.map((p) => p.display_name).join(', ')
				: ''),
		// presence ends with membership; the stay is kept, with why
		(m.departed || []).length ? [h('dt', null, t('Left')),
			h('dd', { id: 'departed' }, m.departed.map((p) => p.display_name + ' (' +
				(DEPARTED_TEXT[p.reason] || p.reason) + ')').join(', '))] : null);
}

// The assembly's time zone, when known.
function zone() {
	return (S.body && S.body.schedule && S.body.schedule.tz) || '';
}

// ---- you: check in ----------------------------------------------------

const OVER = t('The meeting is over.');

// Nobody is in the room yet and no clerk or facilitator (other than you)
// holds the code: any member may open the meeting. The server decides;
// the page asks only when the domain would say yes.
function mayOpenRoom() {
	const a = S.account;
	const held = ['clerk', 'facilitator'].map(holder).filter(Boolean);
	return presentCount() === 0 &&
		(held.length === 0 || held.includes(a.handle));
}

async function openRoom(sec, input) {
	let c;
	try {
		c = await api('GET', path + '/code');
	} catch (e) {
		return; // someone came in meanwhile: the code is theirs to show
	}
	// the check-in form asked for it; drawn again meanwhile (you or someone
	// else checked in), it is no longer the form shown
	if (!input.isConnected)
		return;
	input.value = roomCodeText(c.code);
	sec.prepend(h('div', { class: 'open-room', id: 'open-room' },
		h('p', null, tx('Nobody has checked in yet, so you can open the meeting. ' +
			'The room code is {code} (it changes every two minutes).', {
			code: h('strong', { class: 'mono', id: 'first-code' }, roomCodeText(c.code)) })),
		h('p', null, tx('Put the {projector} on the room\'s screen so that others can ' +
			'check in, then check in yourself below.', {
			projector: h('a', { href: link.projector(S.meeting.id),
				id: 'first-projector-link' }, t('projector view')) }))));
}

function renderYou() {
	const m = S.meeting;
	const key = [m.state, !!S.account, S.mine, checkedIn(),
		presentCount() === 0].join('/');
	if (key === S.youKey)
		return;
	S.youKey = key;
	const sec = $('#you');
	// a meeting over invites nobody to check in: the card says who was there
	const over = ['closed', 'lapsed'].includes(m.state);
	$('#you-h').textContent = over ? t('Attendance') : t('Check in');
	if (over) {
		fill(sec, h('p', null, OVER, S.account && S.mine && 'checked_in' in m
			? ' ' + (m.checked_in ? t('You were present.') : t('You were not present.')) : ''));
		return;
	}
	if (!S.account) {
		const signin = h('a', { href: link.signin(location.pathname + location.search) },
			t('Sign in'));
		fill(sec, h('p', null, m.state === 'open'
			? tx('{signin} to check in, speak and vote.', { signin })
			: tx('{signin} to check in when the meeting begins.', { signin })));
		return;
	}
	if (!S.mine) {
		const assembly = h('a', { href: link.assembly(m.body) }, S.body ? S.body.name : m.body);
		fill(sec, h('p', null, seatWord(S.body) === 'delegate'
			? tx('Only delegates of {assembly} take part in its meetings.', { assembly })
			: tx('Only members of {assembly} take part in its meetings.', { assembly })));
		return;
	}
	if (m.state !== 'open') {
		fill(sec, h('p', null, m.state === 'scheduled'
			? t('Check-in opens when the meeting begins.') : OVER));
		return;
	}
	if (checkedIn()) {
		fill(sec, h('p', { class: 'status ok', id: 'checked-in' },
			t('You are checked in.')));
		return;
	}
	// Eight digits, shown as two groups of four like on the room's screen.
	// Drawn again (someone else checked in first), the form keeps what
	// was typed and what was refused.
	const typed = document.getElementById('code');
	const code = roomCodeText(((typed && typed.value) || param('code') || '')
		.replace(/\D/g, '').slice(0, 8));
	const putBack = keepErrors(sec);
	const input = h('input', { id: 'code', name: 'code', 'data-field': 'code',
		inputmode: 'numeric', autocomplete: 'one-time-code',
		pattern: '[0-9]{4} ?[0-9]{4}', maxlength: 9, size: 10, class: 'code-input',
		'aria-describedby': 'code-hint', value: code || undefined });
	// Digits only: a letter typed is dropped at once, never sent; the
	// space between the groups comes by itself.
	input.addEventListener('input', () => {
		const digits = roomCodeText(input.value.replace(/\D/g, '').slice(0, 8));
		if (digits !== input.value)
			input.value = digits;
	});
	const form = h('form', { id: 'checkin-form' },
		h('div', { class: 'field' },
			h('label', { for: 'code' }, t('Room code')),
			input,
			h('p', { class: 'hint', id: 'code-hint' },
				t('The eight digits shown in the room.'))),
		h('div', { class: 'actions' },
			h('button', { type: 'submit', id: 'checkin' }, t('Check in'))));
	onSubmit(form, async (data) => {
		const typed = String(data.get('code') || '').replace(/\s/g, '');
		if (!/^\d{8}$/.test(typed))
			throw Object.assign(new Error(typed ? t('The room code is eight digits.')
				: t('Required: the eight digits shown in the room.')), { field: 'code' });
		const r = await api('POST', path + '/checkins', { code: typed });
		status(seatWord(S.body) === 'delegate'
			? tn('You are checked in. {n} delegate present.',
				'You are checked in. {n} delegates present.', r.attendance)
			: tn('You are checked in. {n} member present.',
				'You are checked in. {n} members present.', r.attendance), 'ok');
		await reload();
	});
	fill(sec, form);
	putBack();
	if (typed && document.activeElement === document.body)
		input.focus();
	if (mayOpenRoom())
		openRoom(sec, input);
}

// ---- the agenda --------------------------------------------------------

function isDecided(st) {
	return !['submitted', 'voting'].includes(st);
}

async function motionOf(mid, force) {
	if (!S.motions[mid] || force) {
		const mo = S.motions[mid] = await api('GET', '/motions/' + mid);
		// what the page now knows of the motion is no news when the
		// stream brings it later (movedOn would take it for someone
		// else's change and clear what this page has said since)
		for (const a of (S.meeting && S.meeting.agenda) || [])
			for (const x of [a, ...(a.amendments || [])])
				if (x.id === mo.id && mo.status)
					x.status = mo.status;
	}
	return S.motions[mid];
}

function countsBox(mid) {
	const c = S.counts[mid];
	const mo = S.motions[mid];
	const box = h('div', { class: 'live', id: 'count-' + mid, 'aria-live': 'polite' });
	if (!c)
		return box;
	if (mo && mo.ranked) {
		// ranked ballots are counted only at the close
		box.append(h('p', { class: 'count-words' }, c.present
			? t('Ranked ballots: {voted} voted of {present} present. The count runs when ' +
				'the vote closes.', { voted: number(c.voted || 0), present: number(c.present) })
			: t('Ranked ballots: {voted} voted. The count runs when the vote closes.',
				{ voted: number(c.voted || 0) })));
		return box;
	}
	box.append(barChart(c.counts, {
		offered: mo ? positionsFor(mo.rule, c.round) : null,
		voted: c.voted, present: c.present,
		caption: mo ? t('Votes so far on {title}', { title: mo.title })
			: t('Votes so far on motion {id}', { id: mid }),
	}));
	return box;
}

function voteForm(item) {
	const mo = S.motions[item.id];
	if (!S.account || !S.mine || !mo)
		return null;
	// your own vote, as the server keeps it (after a reload, on another
	// device): a secret or ranked ballot is final and never shown; an open
	// one may change until the vote closes
	const mine = mo.my_vote;
	if ((mine && !mine.may_change) || (!mine && S.voted.has(item.id + '/' + (mo.round || 1))))
		return h('p', { class: 'status ok', id: 'voted-' + item.id, tabindex: '-1' },
			mo.ballot === 'secret'
				? t('You voted. Your vote is secret: it is counted, never shown, and final.')
				: mine && mine.position
					? t('Your vote: {position}.',
						{ position: POSITION_TEXT[mine.position] || mine.position })
					: t('Your vote is recorded; it is final.'));
	if (mo.vote_mode === 'hands')
		return h('p', { class: 'muted' }, t('Voting by a show of hands: the clerk ' +
			'records the counts.'));
	if (mo.ranked)
		return rankForm(item, mo);
	const offered = positionsFor(mo.rule, mo.round);
	const name = 'position-' + item.id;
	const now = mine && mine.position;
	const form = h('form', { class: 'vote-form', id: 'vote-' + item.id },
		now ? h('p', { class: 'status ok', id: 'voted-' + item.id, tabindex: '-1' },
			t('Your vote: {position}. You may change it until the vote closes.',
				{ position: POSITION_TEXT[now] || now })) : null,
		h('fieldset', { 'data-field': 'position' },
			h('legend', null, (now ? t('Change your vote') : t('Your vote')) +
				(mo.rule && mo.rule.kind === 'hybrid'
					? ' ' + t('(round {n})', { n: number(mo.round || 1) }) : '')),
			offered.map((p) => h('div', { class: 'check' },
				h('input', { type: 'radio', name, value: p, id: name + '-' + p,
					checked: p === now ? true : undefined }),
				h('label', { for: name + '-' + p }, POSITION_TEXT[p] || p)))),
		h('div', { class: 'actions' },
			h('button', { type: 'submit' }, now ? t('Change my vote') : t('Cast my vote'))));
	onSubmit(form, async (data) => {
		const position = data.get(name);
		if (!position)
			throw Object.assign(new Error(t('Choose a position first.')),
				{ field: 'position' });
		try {
			await api('POST', '/motions/' + item.id + '/votes', { position });
		} catch (e) {
			// The form has one field: a refusal that names none (not
			// checked in, already voted) belongs next to it too.
			if (!e.field && e.status !== 401)
				e.field = 'position';
			throw e;
		}
		S.voted.add(item.id + '/' + (mo.round || 1));
		const args = { position: POSITION_TEXT[position] || position, title: item.title };
		status(now ? t('Your vote ({position}) on “{title}” is changed.', args)
			: t('Your vote ({position}) on “{title}” is recorded.', args), 'ok');
		try {
			await motionOf(item.id, true); // what the server now keeps as yours
		} catch (e) {
			// shown as recorded meanwhile
		}
		S.agendaKey = '';
		renderAgenda();
		// the form was rebuilt: keep a keyboard user where it was
		focusVoted(item.id);
	});
	return form;
}

function focusVoted(mid) {
	const p = document.getElementById('voted-' + mid);
	if (p)
		p.focus();
}

// An election of several delegates: rank the candidates.
function rankForm(item, mo) {
	const cands = (mo.params && mo.params.candidates) || [];
	const pick = rankingControls(cands, 'rank-' + item.id);
	const form = h('form', { class: 'vote-form', id: 'vote-' + item.id },
		h('p', null, tn('Electing {n} delegate to {federation} by single transferable vote.',
			'Electing {n} delegates to {federation} by single transferable vote.',
			mo.params.seats, { federation: mo.params.federation })),
		pick.el,
		h('div', { class: 'actions' },
			h('button', { type: 'submit' }, t('Cast my ballot'))));
	onSubmit(form, async () => {
		const ranking = pick.ranking();
		try {
			await api('POST', '/motions/' + item.id + '/votes', { ranking });
		} catch (e) {
			if (!e.field && e.status !== 401)
				e.field = 'ranking';
			throw e;
		}
		S.voted.add(item.id + '/' + (mo.round || 1));
		status(t('Your ballot ({ranking}) on “{title}” is recorded.', {
			ranking: ranking.map((x) => '@' + x).join(', '), title: item.title }), 'ok');
		S.agendaKey = '';
		renderAgenda();
		focusVoted(item.id);
	});
	return form;
}

// Closing a vote asks first, saying how many present have not voted yet:
// while the offices are vacant every member present holds this control,
// and nobody should end a vote others are still casting unawares.
function closeVoteForm(item) {
	const close = h('form', { class: 'inline-form', id: 'close-vote-' + item.id },
		h('div', { class: 'actions' },
			h('button', { type: 'submit', class: 'secondary' }, t('Close the vote'))));
	// The question stays asked when the agenda is drawn again (a vote
	// cast elsewhere redraws it), until it is answered, or until this
	// round of the vote ends (refreshVoting forgets it then).
	const asked = item.id + '/' + ((S.motions[item.id] || {}).round || 1);
	const askWith = (question) => {
		S.asking[asked] = question;
		const ask = h('div', { class: 'confirm', id: 'confirm-close-' + item.id,
			role: 'group', 'aria-labelledby': 'confirm-close-text-' + item.id },
		h('p', { id: 'confirm-close-text-' + item.id, class: 'status warn' }, question),
		h('div', { class: 'actions' },
			h('button', { type: 'submit', id: 'confirm-close-vote-' + item.id },
				t('Yes, close the vote')),
			h('button', { type: 'button', class: 'secondary',
				id: 'cancel-close-vote-' + item.id, onclick: () => {
					delete S.asking[asked];
					ask.remove();
					close.querySelector('.actions').hidden = false;
					close.querySelector('button').focus();
				} }, t('Not yet'))));
		close.querySelector('.actions').hidden = true;
		close.append(ask);
		return ask;
	};
	if (S.asking[asked])
		askWith(S.asking[asked]);
	onSubmit(close, async () => {
		if (!S.asking[asked]) {
			const c = await api('GET', '/motions/' + item.id + '/counts');
			const waiting = c.not_voted || 0;
			const args = { title: item.title, present: number(c.present) };
			const question = c.not_voted === undefined
				? t('Close the vote on “{title}” now?', args)
				: waiting
					? (seatWord(S.body) === 'delegate'
						? tn('{n} delegate of the {present} present has not voted yet. ' +
							'Close the vote on “{title}” anyway?', '{n} delegates of the ' +
							'{present} present have not voted yet. Close the vote on ' +
							'“{title}” anyway?', waiting, args)
						: tn('{n} member of the {present} present has not voted yet. ' +
							'Close the vote on “{title}” anyway?', '{n} members of the ' +
							'{present} present have not voted yet. Close the vote on ' +
							'“{title}” anyway?', waiting, args))
					: t('Everyone present has voted. Close the vote on “{title}”?', args);
			if (close.isConnected) {
				askWith(question).querySelector('button').focus();
				return;
			}
			// a live update drew the agenda again while the count was
			// read: ask in the form shown now
			S.asking[asked] = question;
			S.agendaKey = '';
			renderAgenda();
			const yes = document.getElementById('confirm-close-vote-' + item.id);
			if (yes)
				yes.focus();
			return;
		}
		delete S.asking[asked];
		const r = await api('POST', '/motions/' + item.id + '/voting/close');
		S.motions[item.id] = r;
		status(t('The vote on “{title}” is closed: {result}.', { title: item.title,
			result: r.result ? resultText(r.result) : motionStatusText(r.status) }), 'ok');
		await reload();
	});
	return close;
}

// Why a motion's vote cannot open yet, in the page's language, from the
// reason's code; a reason without one keeps the server's English words.
function cannotOpenText(item) {
	switch (item.cannot_open_vote_code) {
	case 'not_in_session':
		return t('The vote cannot open yet: decisions are taken only while the ' +
			'meeting is in session.');
	case 'remote':
		return t('The vote cannot open yet: the assembly decided to hold this vote ' +
			'online or by mail, in the window it set.');
	case 'amendments':
		return tn('The vote cannot open yet: decide its amendment first.',
			'The vote cannot open yet: decide its {n} amendments first.',
			item.cannot_open_vote_count || 0);
	case 'amended_closed':
		return t('The vote cannot open yet: the amended motion is no longer open ' +
			'to amendment.');
	default:
		return t('The vote cannot open yet: {why}.', { why: item.cannot_open_vote });
	}
}

function chairTools(item, d, top, index, undecidedTop) {
	const mo = S.motions[item.id];
	const tools = [];
	// Only what the domain allows now: a motion whose amendments are
	// not all decided (or whose vote is held online) says why instead.
	if (item.status === 'submitted' && (d.clerk || d.facilitator) &&
	    item.can_open_vote === false && item.cannot_open_vote) {
		tools.push(h('p', { class: 'muted', id: 'cannot-open-' + item.id },
			cannotOpenText(item)));
	}
	if (item.status === 'submitted' && (d.clerk || d.facilitator) &&
	    item.can_open_vote !== false) {
		const form = h('form', { class: 'inline-form', id: 'open-' + item.id },
			h('div', { class: 'field' },
				h('label', { for: 'mode-' + item.id }, t('Vote by')),
				h('select', { id: 'mode-' + item.id, name: 'mode', 'data-field': 'mode' },
					h('option', { value: 'devices' }, seatWord(S.body) === 'delegate'
						? t('devices (each delegate present votes)')
						: t('devices (each member present votes)')),
					mo && mo.ranked ? null
						: h('option', { value: 'hands' }, t('a show of hands (the clerk counts)')))),
			h('div', { class: 'actions' },
				h('button', { type: 'submit' }, t('Open the vote'))));
		onSubmit(form, async (data) => {
			await api('POST', '/motions/' + item.id + '/voting',
				{ mode: data.get('mode') });
			await motionOf(item.id, true);
			status(t('The vote on “{title}” is open.', { title: item.title }), 'ok');
			await reload();
		});
		tools.push(form);
	}
	if (item.status === 'voting' && (d.clerk || d.facilitator)) {
		if (mo && mo.vote_mode === 'hands' && d.clerk) {
			const offered = positionsFor(mo.rule, mo.round);
			const form = h('form', { class: 'hands-form', id: 'hands-' + item.id },
				h('fieldset', { 'data-field': 'counts' },
					h('legend', null, t('Show of hands: the counts')),
					h('div', { class: 'row' }, offered.map((p) =>
						h('div', { class: 'field' },
							h('label', { for: 'hands-' + item.id + '-' + p },
								POSITION_TEXT[p] || p),
							h('input', { type: 'number', min: 0, value: 0,
								id: 'hands-' + item.id + '-' + p, name: p }))))),
				h('div', { class: 'actions' },
					h('button', { type: 'submit' }, t('Record the counts'))));
			onSubmit(form, async (data) => {
				const counts = {};
				for (const p of offered) {
					const v = String(data.get(p) || '0').trim();
					if (!/^\d+$/.test(v))
						throw Object.assign(new Error(t('{position} must be a whole number',
							{ position: POSITION_TEXT[p] || p })),
						{ field: 'counts' });
					counts[p] = Number(v);
				}
				await api('PUT', '/motions/' + item.id + '/hands', { counts });
				status(t('The counts are recorded.'), 'ok');
				await reload();
			});
			tools.push(form);
		}
		tools.push(closeVoteForm(item));
	}
	if (top && item.status === 'submitted' && d.facilitator && undecidedTop.length > 1) {
		const pos = undecidedTop.indexOf(item.id);
		const move = async (delta) => {
			const order = [...undecidedTop];
			const [x] = order.splice(pos, 1);
			order.splice(pos + delta, 0, x);
			// Every undecided motion, each once: amendments after theirs.
			const full = [];
			for (const mid of order) {
				full.push(mid);
				const it = S.meeting.agenda.find((a) => a.id === mid);
				for (const am of (it && it.amendments) || [])
					if (!isDecided(am.status))
						full.push(am.id);
			}
			try {
				await api('PUT', path + '/agenda', { order: full });
				// said once the agenda shown is the new one
				await reload();
				status(t('The agenda is reordered.'), 'ok');
				const b = $('#agenda [data-move="' + item.id + '/' + delta + '"]');
				if (b)
					b.focus();
			} catch (e) {
				status(e.message, 'bad');
			}
		};
		tools.push(h('div', { class: 'actions reorder' },
			pos > 0 ? h('button', { type: 'button', class: 'secondary',
				'data-move': item.id + '/-1', onclick: () => move(-1),
				'aria-label': t('Move “{title}” up', { title: item.title }) }, t('Move up')) : null,
			pos < undecidedTop.length - 1 ? h('button', { type: 'button',
				class: 'secondary', 'data-move': item.id + '/1',
				onclick: () => move(1),
				'aria-label': t('Move “{title}” down', { title: item.title }) },
			t('Move down')) : null));
	}
	void index;
	return tools.length ? h('div', { class: 'chair-tools' },
		h('p', { class: 'label' }, t('Chair')), tools) : null;
}

function agendaItem(item, d, top, index, undecidedTop) {
	const mo = S.motions[item.id];
	return h('li', { class: 'agenda-item status-' + item.status, id: 'item-' + item.id },
		h('h3', null, h('a', { href: link.motion(item.id) }, item.title)),
		h('p', { class: 'muted' }, motionKindText(item.kind),
			' · ', t('proposed by {handle}', { handle: '@' + item.proposer }), ' · ',
			h('span', { class: 'badge' }, motionStatusText(item.status))),
		item.result_text ? h('p', { class: 'result' },
			mo && mo.result ? resultText(mo.result) : item.result_text) : null,
		COUNTED.includes(item.status) && mo && mo.result ? [
			mo.result.count ? countTable(mo.result.count, mo.result.withdrawn) : null,
			mo.result.counts ? barChart(mo.result.counts, {
				offered: positionsFor(mo.result.rule || mo.rule, mo.result.round),
				caption: t('Result of the vote on {title}', { title: item.title }) }) : null,
			h('p', { class: 'hint' }, t('Decided by {rule}.',
				{ rule: decidedRuleText(mo.result, mo.rule, seatWord(S.body)) }))] : null,
		item.status === 'voting' && mo && mo.rule
			? h('p', { class: 'hint' }, t('Decided by {rule}.',
				{ rule: ruleText(mo.rule, seatWord(S.body)) })) : null,
		item.status === 'voting' ? countsBox(item.id) : null,
		item.status === 'voting' ? voteForm(item) : null,
		chairTools(item, d, top, index, undecidedTop),
		top && item.amendments && item.amendments.length
			? h('ol', { class: 'amendments', 'aria-label': t('Amendments to {title}',
				{ title: item.title }) },
				item.amendments.map((a, i) => agendaItem(a, d, false, i, undecidedTop)))
			: null);
}

// A redraw must not take a click away: a button pressed while the agenda
// is drawn again (a live update, or the end of an earlier action) would be
// replaced between going down and coming up, and the press would do
// nothing. So a redraw that comes while a pointer is down waits until it
// is released (and the click, which comes in the same task as the release,
// has run), however long the press: people press slowly. A release the
// page never hears (the pointer let go over another window, a menu) ends
// the wait too: the window losing focus, a drag or menu taking the press,
// or the next move of the pointer with no button down. Only if none of
// these comes does the wait end by itself, after half a minute.
const press = { down: false, pending: new Set(), timer: 0 };
function drawWhenReleased(draw) {
	if (!press.down) {
		draw();
		return;
	}
	press.pending.add(draw);
	if (!press.timer)
		press.timer = setTimeout(flushPress, 30000);
}
function flushPress() {
	clearTimeout(press.timer);
	press.timer = 0;
	press.down = false;
	const draws = [...press.pending];
	press.pending.clear();
	for (const draw of draws)
		draw();
}
function released() {
	if (press.down)
		setTimeout(flushPress, 0);
}
document.addEventListener('pointerdown', () => { press.down = true; }, true);
for (const ev of ['pointerup', 'pointercancel', 'contextmenu', 'dragstart'])
	document.addEventListener(ev, released, true);
document.addEventListener('pointermove', (ev) => {
	if (ev.buttons === 0)
		released();
}, true);
window.addEventListener('blur', released);

function renderAgenda() {
	drawWhenReleased(drawAgenda);
}

function drawAgenda() {
	const m = S.meeting;
	const d = duties();
	const agenda = m.agenda || [];
	const key = JSON.stringify([agenda.map((a) => [a.id, a.status, a.position,
		(a.amendments || []).map((x) => [x.id, x.status])]),
	d, !!S.account, S.mine, checkedIn(), [...S.voted],
	Object.values(S.motions).map((x) => [x.id, x.status, x.round, x.vote_mode,
		x.my_vote ? x.my_vote.position || 'voted' : ''])]);
	if (key === S.agendaKey) {
		// Only the counts changed: replace them in place.
		for (const mid of Object.keys(S.counts)) {
			const old = document.getElementById('count-' + mid);
			if (old)
				old.replaceChildren(...countsBox(mid).childNodes);
		}
		return;
	}
	S.agendaKey = key;
	const active = document.activeElement;
	const activeId = active && active.id;
	const undecidedTop = agenda.filter((a) => a.status === 'submitted').map((a) => a.id);
	const putBack = keepErrors($('#agenda'));
	fill($('#agenda'), agenda.length
		? h('ol', { class: 'agenda' }, agenda.map((a, i) =>
			agendaItem(a, d, true, i, undecidedTop)))
		: h('p', null, t('Nothing on the agenda yet.')));
	// What someone has chosen or typed in the agenda's forms and not yet
	// sent stays chosen when the agenda is drawn again: live events may
	// redraw it between choosing a position and pressing the button.
	for (const [cid, value] of Object.entries(S.picked)) {
		const again = document.getElementById(cid);
		if (!again || again.disabled)
			continue;
		if (again.type === 'radio' || again.type === 'checkbox')
			again.checked = value;
		else if (again.tagName !== 'SELECT' ||
			 [...again.options].some((o) => o.value === value))
			again.value = value;
	}
	// and a refusal shown next to a field stays next to it
	putBack();
	// Keep a keyboard user where they were.
	if (activeId && !document.activeElement?.id) {
		const again = document.getElementById(activeId);
		if (again)
			again.focus();
	}
}

// ---- the speakers' queue ------------------------------------------------

async function renderSpeakers() {
	const sec = $('#speakers');
	// the floor is given only in session: a meeting not yet begun, or
	// over, has no speakers' section
	sec.closest('section').hidden = S.meeting.state !== 'open';
	if (S.meeting.state !== 'open')
		return;
	let q;
	try {
		q = await api('GET', path + '/speakers');
	} catch (e) {
		fill(sec, h('p', { role: 'alert' }, t('The queue could not be loaded: {why}',
			{ why: e.message })));
		return;
	}
	const me_ = S.account && S.account.handle;
	const waiting = q.queue.some((x) => x.handle === me_);
	const d = duties();
	const form = h('form', { id: 'speak-form' },
		h('div', { class: 'actions' },
			// the floor is asked for in the room: after checking in
			S.account && S.mine && S.meeting.state === 'open' && checkedIn()
				? h('button', { type: 'submit', id: waiting ? 'withdraw' : 'ask',
					class: waiting ? 'secondary' : undefined,
					'data-field': 'speaker' },
				waiting ? t('Withdraw my request') : t('Ask for the floor')) : null,
			d.facilitator && q.queue.length
				? h('button', { type: 'button', id: 'next-speaker', class: 'secondary',
					onclick: async () => {
						try {
							await api('POST', path + '/speakers/next');
							status(t('The floor is given.'), 'ok');
							await renderSpeakers();
						} catch (e) {
							showError(form, e);
						}
					} }, t('Give the floor to the next')) : null));
	onSubmit(form, async () => {
		if (waiting)
			await api('DELETE', path + '/speakers/me');
		else
			await api('POST', path + '/speakers');
		status(waiting ? t('You left the queue.') : t('You are in the queue.'), 'ok');
		await renderSpeakers();
		const b = $('#ask') || $('#withdraw');
		if (b)
			b.focus();
	});
	fill(sec,
		h('p', { id: 'speaking' }, q.speaking
			? tx('Speaking now: {who}', { who: h('strong', null, '@' + q.speaking.handle) })
			: t('Nobody has the floor.')),
		q.queue.length
			? h('ol', { id: 'queue' }, q.queue.map((x) => h('li', null, '@' + x.handle)))
			: h('p', { class: 'muted' }, t('Nobody is waiting.')),
		S.meeting.state === 'open' ? form : null);
}

// ---- the chair's duties for the meeting as a whole -----------------------

// Why the meeting cannot be closed yet, in words.
function closingWhy(cl) {
	if (cl.code === 'meeting_no_quorum')
		return seatWord(S.body) === 'delegate'
			? tn('The meeting cannot be closed yet: {n} delegate is present and the quorum ' +
				'is {quorum}. It stays open for delegates to arrive until it lapses.',
			'The meeting cannot be closed yet: {n} delegates are present and the quorum ' +
				'is {quorum}. It stays open for delegates to arrive until it lapses.',
			cl.present, { quorum: number(cl.quorum) })
			: tn('The meeting cannot be closed yet: {n} member is present and the quorum ' +
				'is {quorum}. It stays open for members to arrive until it lapses.',
			'The meeting cannot be closed yet: {n} members are present and the quorum ' +
				'is {quorum}. It stays open for members to arrive until it lapses.',
			cl.present, { quorum: number(cl.quorum) });
	if (cl.code === 'meeting_undecided')
		return tn('The meeting cannot be closed yet: {n} motion on the agenda is not ' +
			'decided. Decide it, or adopt a motion to adjourn (submit one below).',
		'The meeting cannot be closed yet: {n} motions on the agenda are not ' +
			'decided. Decide them, or adopt a motion to adjourn (submit one below).',
		cl.undecided);
	if (cl.code === 'conflict')
		return t('The meeting cannot be closed while a vote is running.');
	return cl.reason || t('The meeting cannot be closed now.');
}

async function renderChair() {
	const d = duties();
	const key = JSON.stringify([d, S.meeting.state,
		(S.meeting.present || []).map((p) => p.handle), S.meeting.attendance,
		S.meeting.closing]);
	if (key === S.chairKey)
		return;
	S.chairKey = key;
	const sec = $('#chair');
	if (!d.clerk && !d.facilitator) {
		sec.hidden = true;
		fill(sec);
		return;
	}
	sec.hidden = false;
	// Before it lapses a meeting closes only with quorum present and
	// nothing undecided (or by an adopted motion to adjourn): the button
	// is offered only then, and otherwise the page says why.
	const cl = S.meeting.closing || {};
	const close = cl.allowed ? h('form', { id: 'close-meeting-form' },
		h('div', { class: 'actions' },
			h('button', { type: 'submit', class: 'secondary', id: 'close-meeting',
				'data-field': 'meeting' }, t('Close the meeting'))),
		h('p', { class: 'hint' }, t('Every motion on the agenda is decided. ' +
			'The minutes are written from the records.')))
		: h('p', { id: 'close-meeting-why', class: 'hint' }, closingWhy(cl));
	if (cl.allowed) onSubmit(close, async () => {
		await api('POST', path + '/close');
		status(t('The meeting is closed; the minutes are below.'), 'ok');
		await reload();
	});
	const codeBox = h('p', { id: 'room-code-line' });
	// The elected clerk may check in a member who cannot (no phone, say).
	const absent = S.members.filter((x) => !(S.meeting.present || [])
		.some((p) => p.handle === x.handle));
	const checkOther = d.electedClerk && absent.length ? h('form', { id: 'check-member-form',
		class: 'inline-form' },
	h('div', { class: 'field' },
		h('label', { for: 'check-member' }, seatWord(S.body) === 'delegate'
			? t('Check a delegate in') : t('Check a member in')),
		h('select', { id: 'check-member', name: 'member', 'data-field': 'member' },
			absent.map((x) => h('option', { value: x.handle },
				x.display_name + ' @' + x.handle)))),
	h('div', { class: 'actions' },
		h('button', { type: 'submit', class: 'secondary' }, t('Check in')))) : null;
	if (checkOther) {
		onSubmit(checkOther, async (data) => {
			const r = await api('POST', path + '/checkins', { member: data.get('member') });
			status(t('{handle} is checked in.', { handle: '@' + r.member }), 'ok');
			S.chairKey = '';
			await reload();
		});
	}
	// Drawn again as people arrive: the member being chosen stays chosen,
	// a refusal stays shown.
	const chosen = document.getElementById('check-member');
	const was = chosen && chosen.value;
	const putBack = keepErrors(sec);
	fill(sec, h('h2', { id: 'chair-h' }, t('Chairing')),
		h('p', null, tx('{projector} for the screen in the room: the current motion, ' +
			'the live count and the room code with its QR code.', {
			projector: h('a', { href: link.projector(S.meeting.id), id: 'projector-link' },
				t('Open the projector view')) })),
		codeBox, checkOther, d.clerk ? close : null);
	const again = document.getElementById('check-member');
	if (was && again && [...again.options].some((o) => o.value === was))
		again.value = was;
	putBack();
	await roomCode();
}

// The room code for the chair, fetched again when it changes.
let codeTimer = null;
async function roomCode() {
	clearTimeout(codeTimer);
	const box = $('#room-code-line');
	if (!box || S.meeting.state !== 'open')
		return;
	try {
		const c = await api('GET', path + '/code');
		fill(box, tx('Room code now: {code} (it changes every two minutes).', {
			code: h('strong', { class: 'mono', id: 'chair-code' }, roomCodeText(c.code)) }));
		const wait = Math.max(5, c.expires_at - Math.floor(Date.now() / 1000) + 1);
		codeTimer = setTimeout(roomCode, wait * 1000);
	} catch (e) {
		fill(box);
	}
}

// ---- submitting a motion ----------------------------------------------------

function renderSubmit() {
	const sec = $('#submit');
	if (!S.account || !S.mine || !['open', 'scheduled'].includes(S.meeting.state)) {
		sec.hidden = true;
		return;
	}
	sec.hidden = false;
	// built again when the meeting begins (its agenda may close then)
	const ready = S.meeting.state + '/' + agendaOpen();
	if (sec.dataset.ready === ready)
		return;
	sec.dataset.ready = ready;
	const undecided = [];
	for (const a of S.meeting.agenda || [])
		if (!isDecided(a.status))
			undecided.push(a);
	// This meeting's agenda is open before it begins, and while in session
	// when the assembly takes motions from the floor.
	const here_ = agendaOpen();
	fill(sec, h('h2', { id: 'submit-h' }, t('Submit a motion')),
		h('p', { class: 'hint' }, here_
			? (S.meeting.state === 'open'
				? t('It goes on this meeting\'s agenda (the assembly takes motions from the floor).')
				: t('It goes on this meeting\'s agenda.'))
			: t('This meeting is in session and the assembly does not take motions ' +
				'from the floor: it goes on the agenda of the next meeting.')),
		motionForm({
			slug: S.meeting.body, body: S.body, laws: S.laws,
			members: S.members, offices: S.offices, committees: S.committees,
			motions: undecided, inSession: S.meeting.state === 'open',
			// the meeting whose agenda it is for (sent as "meeting")
			meeting: here_ ? S.meeting.id : undefined,
			done: async (mo) => {
				status(submittedText(mo), 'ok');
				sec.dataset.ready = '';
				await reload();
				renderSubmit();
			},
		}));
}

function agendaOpen() {
	const m = S.meeting;
	return m.state === 'scheduled' || (m.state === 'open' && !!(S.body &&
		S.body.schedule && S.body.schedule.floor_motions));
}

// The confirmation names the meeting the motion went to.
function submittedText(mo) {
	const args = { title: mo.title, id: mo.id };
	if (mo.meeting === S.meeting.id)
		return t('Motion “{title}” submitted (number {id}), on the agenda of this meeting.',
			args);
	if (mo.meeting_starts_at)
		return t('Motion “{title}” submitted (number {id}), on the agenda of the meeting ' +
			'of {when}.', Object.assign(args,
			{ when: meetingTime(mo.meeting_starts_at, zone()).textContent }));
	return t('Motion “{title}” submitted (number {id}), for the assembly to decide.', args);
}

// ---- minutes ---------------------------------------------------------

async function renderMinutes() {
	const sec = $('#minutes');
	if (S.meeting.state !== 'closed') {
		sec.hidden = true;
		return;
	}
	sec.hidden = false;
	if (sec.dataset.ready)
		return;
	sec.dataset.ready = '1';
	// The Markdown of the minutes, shown as text elements by markdown():
	// the page never inserts HTML, not even the server's own rendering.
	let text;
	try {
		const r = await fetch('/api/v1' + path + '/minutes?format=md',
			{ credentials: 'same-origin' });
		if (!r.ok)
			throw new Error('status ' + r.status);
		text = await r.text();
	} catch (e) {
		fill(sec, h('h2', null, t('Minutes')), h('p', { role: 'alert' },
			t('The minutes could not be loaded: {why}', { why: e.message })));
		return;
	}
	fill(sec, h('h2', { id: 'minutes-h' }, t('Minutes')),
		h('p', null, h('a', { href: '/api/v1' + path + '/minutes?format=md',
			download: 'minutes-' + S.meeting.id + '.md' }, t('Download as Markdown'))),
		h('div', { class: 'statement minutes', id: 'minutes-text' }, markdown(text)));
}

// ---- loading and live updates ---------------------------------------------

const COUNTED = ['adopted', 'rejected', 'no_quorum'];


async function refreshVoting() {
	const voting = [];
	const decided = [];
	for (const a of S.meeting.agenda || []) {
		for (const x of [a, ...(a.amendments || [])]) {
			if (x.status === 'voting')
				voting.push(x.id);
			else if (COUNTED.includes(x.status) &&
				 (!S.motions[x.id] || S.motions[x.id].status !== x.status))
				decided.push(x.id);
			// an election may be ranked: the chair is offered no show of hands
			else if (x.status === 'submitted' && x.kind === 'elect_delegates' &&
				 !S.motions[x.id])
				decided.push(x.id);
		}
	}
	// A decided motion's result (with its counts and rule), once.
	await Promise.all(decided.map((mid) => motionOf(mid, true)));
	await Promise.all(voting.map(async (mid) => {
		const c = S.counts[mid];
		const mo = S.motions[mid];
		if (!mo || mo.status !== 'voting' || (c && c.round !== mo.round))
			await motionOf(mid, true);
		if (!c)
			S.counts[mid] = await api('GET', '/motions/' + mid + '/counts');
	}));
	// a question asked before closing a vote whose round has ended
	// meanwhile (closed from another screen) is no longer asked; an
	// agenda read before the vote opened (a reload that began earlier
	// and ended later) still says "submitted", and ends nothing
	const now = new Map();
	for (const a of S.meeting.agenda || [])
		for (const x of [a, ...(a.amendments || [])])
			now.set(String(x.id), x.status);
	for (const key of Object.keys(S.asking)) {
		const [mid, round] = key.split('/');
		const st = now.get(mid);
		if (st === 'voting' ? String((S.motions[mid] || {}).round || 1) !== round
			: st !== undefined && st !== 'submitted')
			delete S.asking[key];
	}
}

function renderAll() {
	renderFacts();
	renderYou();
	renderAgenda();
	renderChair();
	renderSubmit();
	renderMinutes();
}

// What a message about an action refers to: the meeting's state and
// each motion's status (motion id -> status).
function stateOf(m) {
	const st = new Map();
	for (const a of (m && m.agenda) || []) {
		st.set(a.id, a.status);
		for (const x of a.amendments || [])
			st.set(x.id, x.status);
	}
	return { state: m && m.state, st };
}

// The meeting moved on from before: it opened or closed, or a motion it
// had changed status (a vote opened or closed). A motion newly submitted
// changes nothing a message said.
function movedOn(before, after) {
	if (before.state !== after.state)
		return true;
	for (const [mid, status] of before.st)
		if (after.st.get(mid) !== status)
			return true;
	return false;
}

async function reload() {
	const m = await api('GET', path);
	S.meeting = m;
	await refreshVoting();
	renderAll();
	await renderSpeakers();
	await drawTestimony(id, $('#testimony'), zone());
}

function listen() {
	if (S.events)
		return;
	// The stream is public: it carries no "checked_in"; the page works
	// that out from the attendance.
	S.events = followMeeting(path, async (live, name) => {
		const before = stateOf(S.meeting);
		S.meeting = Object.assign({}, S.meeting, live.meeting);
		for (const k of ['present', 'departed'])
			if (!(k in live.meeting))
				delete S.meeting[k];
		S.counts = Object.assign({}, live.counts);
		// the meeting moved on (it opened or closed, a vote opened or
		// closed): what an earlier action said no longer holds
		if (movedOn(before, stateOf(S.meeting)))
			clearStale();
		try {
			await refreshVoting();
		} catch (e) {
			// The next event tries again.
		}
		drawWhenReleased(renderAll);
		// counts change often; the queue of speakers is read on other news
		if (name !== 'counts')
			renderSpeakers();
		if (['closed', 'lapsed'].includes(S.meeting.state))
			S.events.close();
	}, () => S.meeting.as_of || 0);
}

async function main() {
	const account = await header();
	S.account = account;
	const main_ = $('#main');
	try {
		if (!id || !/^\d+$/.test(id))
			throw Object.assign(new Error('no meeting named'), { status: 404 });
		S.meeting = await api('GET', path);
	} catch (e) {
		failed('This meeting', e);
		return;
	}
	const slug = S.meeting.body;
	const bpath = '/bodies/' + encodeURIComponent(slug);
	const [, body, offices, members, laws] = await Promise.all([
		loadKindLabels(S.meeting.body).then(() => null),
		api('GET', bpath).catch(() => null),
		api('GET', bpath + '/offices').catch(() => ({ offices: [] })),
		api('GET', bpath + '/members').catch(() => ({ members: [] })),
		api('GET', bpath + '/laws').catch(() => ({ laws: [] })),
	]);
	S.body = body;
	S.offices = offices.offices || [];
	S.committees = offices.committees || [];
	S.members = (members.members || []).filter((x) => x.status === 'active');
	S.laws = laws.laws || [];
	S.mine = !!account && (account.memberships || []).some((x) =>
		x.body === slug && x.status === 'active');
	const name = body ? body.name : slug;
	const when = meetingTime(S.meeting.starts_at, zone());
	const regular = S.meeting.kind === 'regular';
	title(regular ? t('Meeting of {assembly}, {when}', { assembly: name, when: when.textContent })
		: t('Extra meeting of {assembly}, {when}', { assembly: name, when: when.textContent }));
	const named = h('a', { href: link.assembly(slug) }, name);
	fill(main_,
		h('h1', null, regular ? tx('Meeting of {assembly}', { assembly: named })
			: tx('Extra meeting of {assembly}', { assembly: named }),
		h('span', { class: 'h1-when' }, ', ', when)),
		h('p', { id: 'status', class: 'status', role: 'status', tabindex: '-1',
			hidden: true }),
		h('dl', { class: 'facts', id: 'facts' }),
		h('section', { 'aria-labelledby': 'you-h', class: 'card' },
			h('h2', { id: 'you-h' }, t('Check in')), h('div', { id: 'you' })),
		h('section', { 'aria-labelledby': 'agenda-h' },
			h('h2', { id: 'agenda-h' }, t('Agenda')), h('div', { id: 'agenda' })),
		h('section', { 'aria-labelledby': 'speakers-h' },
			h('h2', { id: 'speakers-h' }, t('Speakers')), h('div', { id: 'speakers' })),
		// the witnesses a polity's assembly scheduled here (testimony.js)
		h('section', { 'aria-labelledby': 'testimony-h', id: 'testimony', hidden: true }),
		h('section', { 'aria-labelledby': 'chair-h', id: 'chair', class: 'card',
			hidden: true }),
		h('section', { 'aria-labelledby': 'submit-h', id: 'submit', hidden: true }),
		h('section', { 'aria-labelledby': 'minutes-h', id: 'minutes', hidden: true }),
		// a delegate assembly makes no laws: it has no register
		body && body.kind === 'delegate' ? null
			: h('p', null, h('a', { href: link.laws(slug), id: 'laws-link' },
				t('The law register of {assembly}', { assembly: name }))));
	main_.removeAttribute('aria-busy');
	// Keep what is chosen in the agenda's forms until it is sent, so that
	// drawing the agenda again (renderAgenda) puts it back.
	const agendaBox = $('#agenda');
	const pick = (ev) => {
		const el = ev.target;
		if (!el.id || !el.form)
			return;
		if (el.type === 'radio')
			for (const other of el.form.querySelectorAll('input[type=radio]'))
				if (other.name === el.name)
					delete S.picked[other.id];
		S.picked[el.id] = el.type === 'radio' || el.type === 'checkbox' ? el.checked : el.value;
	};
	agendaBox.addEventListener('change', pick);
	agendaBox.addEventListener('input', pick);
	// forgotten once sent and taken, not when refused: a refusal followed
	// by a redraw must leave the other choices as they were
	document.addEventListener('form-done', (ev) => {
		for (const el of ev.detail.elements || [])
			delete S.picked[el.id];
	});
	try {
		await refreshVoting();
	} catch (e) {
		// Shown without counts; the stream brings them.
	}
	renderAll();
	await renderSpeakers();
	await drawTestimony(id, $('#testimony'), zone());
	if (S.meeting.state === 'open' || S.meeting.state === 'scheduled')
		listen();
	// A scheduled meeting opens by itself at its time (no event says so):
	// look again a moment after, when that is within the day.
	const wait = S.meeting.starts_at - Math.floor(Date.now() / 1000);
	if (S.meeting.state === 'scheduled' && wait < 86400)
		setTimeout(() => {
			S.youKey = '';
			S.chairKey = '';
			reload().catch(() => {});
		}, Math.max(0, wait + 2) * 1000);
}

main();

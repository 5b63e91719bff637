// live.js: follows a meeting's live events (docs/api.md,
// GET /api/v1/meetings/{id}/events).
// The stream starts with the meeting's whole state ("meeting") and then
// sends only what changed: the meeting's own fields ("state"), who came
// and went ("present"), the agenda or one item of it ("agenda", "item"),
// the counts of a vote in progress ("counts"). A reconnecting EventSource
// sends the id of the last event it had; the server sends what was missed
// or, when it no longer can, the whole state again. So the state kept
// here is right after every event, whichever way it came.
//
// Each event's id ends with how far the journal reached when the server
// read what it says ("BOOT-SEQ-ASOF"); GET /api/v1/meetings/{id} says the
// same of its reply ("as_of"). A page that has just read the meeting
// itself (after its own action, say) holds a newer state than an event
// read before that: such an event updates the state kept here but is not
// passed on, so the page never goes back to an older state.

function applyPresent(m, d) {
	const gone = new Set((d.left || []).map((p) => p.handle));
	const came = new Set((d.arrived || []).map((p) => p.handle));
	m.present = (m.present || []).filter((p) => !gone.has(p.handle) && !came.has(p.handle))
		.concat(d.arrived || []);
	const seen = new Set((m.departed || []).map((p) => p.handle + ' ' + p.left_at));
	m.departed = (m.departed || []).concat((d.left || []).filter((p) =>
		p.left_at !== undefined && !seen.has(p.handle + ' ' + p.left_at)));
}

const APPLY = {
	meeting: (live, d) => {
		live.meeting = d.meeting;
		live.counts = {};
		for (const c of d.votes || [])
			live.counts[c.motion] = c;
	},
	state: (live, d) => {
		for (const [k, v] of Object.entries(d)) {
			if (v === null)
				delete live.meeting[k];
			else
				live.meeting[k] = v;
		}
	},
	present: (live, d) => applyPresent(live.meeting, d),
	agenda: (live, d) => {
		live.meeting.agenda = d.agenda || [];
	},
	// a new array, never the old one changed: a page that copied the
	// meeting compares what it had with what came
	item: (live, d) => {
		const agenda = (live.meeting.agenda || []).slice();
		const i = agenda.findIndex((x) => x.id === d.id);
		if (i >= 0)
			agenda[i] = d;
		else
			agenda.push(d);
		live.meeting.agenda = agenda;
	},
	counts: (live, d) => {
		if (d.ended)
			delete live.counts[d.motion];
		else
			live.counts[d.motion] = d;
	},
};

// How far the journal reached when the event was read (0 when unknown).
function asOf(ev) {
	const parts = String(ev.lastEventId || '').split('-');
	const n = parts.length === 3 ? Number(parts[2]) : 0;
	return Number.isSafeInteger(n) ? n : 0;
}

// Follow the meeting at path ('/meetings/ID'). changed(live, name) runs
// after each event with live = { meeting, counts (by motion id), asOf },
// unless the event was read before since() (the "as_of" of the page's own
// latest read of the meeting). Returns the EventSource (null without one).
export function followMeeting(path, changed, since = () => 0) {
	if (!window.EventSource)
		return null;
	const es = new EventSource('/api/v1' + path + '/events');
	const live = { meeting: null, counts: {}, asOf: 0 };
	for (const [name, apply] of Object.entries(APPLY)) {
		es.addEventListener(name, (ev) => {
			let data;
			try {
				data = JSON.parse(ev.data);
			} catch (e) {
				return;
			}
			if (name !== 'meeting' && !live.meeting)
				return; // a change before any state: the snapshot comes first
			apply(live, data);
			live.asOf = asOf(ev);
			if (live.asOf < since())
				return; // the page has read a newer state itself
			changed(live, name);
		});
	}
	return es;
}

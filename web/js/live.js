// live.js: follows a meeting's live events (docs/api.md,
// GET /api/v1/meetings/{id}/events).
// The stream starts with the meeting's whole state ("meeting") and then
// sends only what changed: the meeting's own fields ("state"), who came
// and went ("present"), the agenda or one item of it ("agenda", "item"),
// the counts of a vote in progress ("counts"). A reconnecting EventSource
// sends the id of the last event it had; the server sends what was missed
// or, when it no longer can, the whole state again. So the state kept
// here is right after every event, whichever way it came.

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

// Follow the meeting at path ('/meetings/ID'). changed(live, name) runs
// after each event with live = { meeting, counts (by motion id) }.
// Returns the EventSource (null without one).
export function followMeeting(path, changed) {
	if (!window.EventSource)
		return null;
	const es = new EventSource('/api/v1' + path + '/events');
	const live = { meeting: null, counts: {} };
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
			changed(live, name);
		});
	}
	return es;
}

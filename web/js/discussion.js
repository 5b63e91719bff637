// discussion.js: the "Discussion" section of a motion or a proposal
// (GET/POST /api/v1/{motions,proposals}/{id}/comments): each comment with
// its replies indented beneath it, a form to comment in Markdown, a reply
// button on each comment that takes replies, and a withdraw button on the
// reader's own comments, which asks first. A withdrawn comment shows as
// withdrawn by its author, a hidden one as hidden by the assembly's
// decision, with a link to it; neither shows its text. Comments are
// advice: the section says they are never counted.
//
// Markdown is shown with text.js's markdown(): elements whose text is set
// as text, so what someone typed never becomes markup or script.
//
// The section is one element the page keeps across its own re-renders:
// it loads and redraws itself, and a half-written comment survives the
// page refreshing around it.
import { api, me } from './api.js';
import { date, fill, h, here, link } from './dom.js';
import { onSubmit } from './forms.js';
import { t, tx } from './i18n.js';
import { markdown, motionStatusText } from './text.js';

const DEPTH_MAX = 3;
const HINT = t('Markdown: **bold**, *italic*, lists with “- ”, links as ' +
	'[words](https://…). Up to 10,000 characters.');

// target: "motion" or "proposal"; id: its number.
export function discussion(target, id) {
	const path = '/' + target + 's/' + encodeURIComponent(id) + '/comments';
	const section = h('section', { 'aria-labelledby': 'discussion-h', id: 'discussion' });
	const heading = () => [
		h('h2', { id: 'discussion-h' }, t('Discussion'), ' ',
			h('span', { class: 'not-counted' }, t('(not counted)'))),
		h('p', { class: 'hint' }, target === 'motion'
			? t('Members of the assembly discuss the motion here before it is ' +
			  'decided. Comments are advice, like the advisory input below: ' +
			  'shown to everyone, never counted.')
			: t('Members of the assemblies this proposal was made by or offered ' +
			  'to discuss it here. Comments are advice: shown to everyone, ' +
			  'never counted.'))];
	let replying = null; // the comment a reply form is open under

	async function load(message, focus) {
		const [d, account] = await Promise.all([api('GET', path), me()]);
		draw(d, account, message, focus);
	}

	function reload(message, focus) {
		return load(message, focus).catch((e) => fill(section, heading(),
			h('p', { class: 'status bad', role: 'alert' },
				t('The discussion could not be loaded: {why}', { why: e.message }))));
	}

	function commentForm(d, parent) {
		const fid = parent ? 'reply-' + parent.id : 'comment';
		const form = h('form', { id: fid + '-form', class: parent ? 'reply-form' : null },
			h('div', { class: 'field' },
				h('label', { for: fid + '-text' }, parent
					? t('Your reply to {handle}', { handle: '@' + parent.author })
					: t('Your comment')),
				h('textarea', { id: fid + '-text', name: 'text', rows: parent ? 3 : 4,
					'data-field': 'text', maxlength: 10000, required: true,
					'aria-describedby': fid + '-hint' }),
				h('p', { class: 'hint', id: fid + '-hint' }, HINT)),
			h('div', { class: 'actions' },
				h('button', { type: 'submit' }, parent ? t('Reply') : t('Comment')),
				parent ? h('button', { type: 'button', class: 'secondary', onclick: () => {
					replying = null;
					draw(d, d.account, null, 'reply-to-' + parent.id);
				} }, t('Cancel')) : null));
		onSubmit(form, async (data) => {
			const body = { text: String(data.get('text') || '') };
			if (parent)
				body.reply_to = parent.id;
			const c = await api('POST', path, body);
			replying = null;
			await reload(parent ? t('Your reply is posted.') : t('Your comment is posted.'),
				'comment-' + c.id);
		});
		return form;
	}

	// Withdrawing asks first, in place, and says what stays.
	function withdrawControl(d, c) {
		const form = h('form', { class: 'inline-form', id: 'withdraw-' + c.id + '-form' },
			h('div', { class: 'actions' },
				h('button', { type: 'submit', class: 'secondary', id: 'withdraw-' + c.id },
					t('Withdraw'))));
		let asked = false;
		onSubmit(form, async () => {
			if (!asked) {
				asked = true;
				form.querySelector('.actions').hidden = true;
				const ask = h('div', { class: 'confirm', role: 'group',
					'aria-labelledby': 'withdraw-ask-' + c.id },
				h('p', { class: 'status warn', id: 'withdraw-ask-' + c.id },
					t('Withdraw this comment? It stays in the discussion, marked ' +
					'as withdrawn, without its text. The journal, which is ' +
					'public and never rewritten, keeps what you wrote.')),
				h('div', { class: 'actions' },
					h('button', { type: 'submit', id: 'confirm-withdraw-' + c.id },
						t('Yes, withdraw it')),
					h('button', { type: 'button', class: 'secondary', onclick: () => {
						asked = false;
						ask.remove();
						form.querySelector('.actions').hidden = false;
						form.querySelector('button').focus();
					} }, t('Keep it'))));
				form.append(ask);
				ask.querySelector('button').focus();
				return;
			}
			await api('POST', '/comments/' + c.id + '/withdraw');
			await reload(t('Your comment is withdrawn.'), 'comment-' + c.id);
		});
		return form;
	}

	function item(d, c, children) {
		const body = c.state === 'withdrawn'
			? h('p', { class: 'muted withdrawn' }, tx('Withdrawn by its author {when}.',
				{ when: date(c.withdrawn_at, true) }))
			: c.state === 'hidden'
				? h('p', { class: 'muted hidden-comment' }, tx('Hidden by the assembly’s ' +
					'decision ({motion}). Its reason: {reason}', {
					motion: h('a', { href: link.motion(c.hidden_by) },
						t('motion {n}', { n: c.hidden_by })),
					reason: c.hidden_reason }))
				: h('div', { class: 'statement comment-text' }, markdown(c.text));
		const canReply = d.may_comment && c.state !== 'hidden' && c.depth < DEPTH_MAX;
		return h('li', { id: 'comment-' + c.id, class: 'comment', tabindex: '-1',
			'data-state': c.state },
		h('p', { class: 'comment-meta' }, h('strong', null, '@' + c.author), ' · ',
			date(c.at, true), ' · ', h('span', { class: 'muted' }, t('comment {n}', { n: c.id })),
			c.mine ? h('span', { class: 'badge' }, t('yours')) : null),
		body,
		canReply || (c.mine && c.state === 'shown') ? h('div', { class: 'actions comment-actions' },
			canReply ? h('button', { type: 'button', class: 'secondary',
				id: 'reply-to-' + c.id, 'aria-expanded': replying === c.id ? 'true' : 'false',
				onclick: () => {
					replying = c.id;
					draw(d, d.account, null, 'reply-' + c.id + '-text');
				} }, t('Reply')) : null,
			c.mine && c.state === 'shown' ? withdrawControl(d, c) : null) : null,
		replying === c.id ? commentForm(d, c) : null,
		children.length ? h('ul', { class: 'replies' }, children) : null);
	}

	// The flat list (each comment followed by its replies) as nested lists.
	function tree(d) {
		const kids = new Map();
		for (const c of d.comments) {
			const k = c.reply_to || 0;
			if (!kids.has(k))
				kids.set(k, []);
			kids.get(k).push(c);
		}
		const build = (k) => (kids.get(k) || []).map((c) => item(d, c, build(c.id)));
		return build(0);
	}

	function invitation(d, account) {
		if (d.may_comment)
			return [commentForm(d, null),
				h('p', { class: 'hint', id: 'discussion-hide-hint' }, target === 'motion'
					? t('You may withdraw your own comments. Only the assembly hides ' +
						'someone else’s: by a motion “Hide a comment in a discussion” ' +
						'naming its number, decided like any other.')
					: t('You may withdraw your own comments. Only the assembly that made ' +
						'the proposal hides someone else’s: by a motion “Hide a comment in ' +
						'a discussion” naming its number, decided like any other.'))];
		if (!account)
			return h('p', { class: 'muted', id: 'discussion-signin' },
				tx('{signin} to take part, if you are a member.', {
					signin: h('a', { href: link.signin(here()) }, t('Sign in')) }));
		if (!d.open)
			return h('p', { class: 'muted', id: 'discussion-closed' },
				t('The discussion closed when the motion was {why}.', {
					why: motionStatusText(d.closed_because || 'decided') }));
		return h('p', { class: 'muted', id: 'discussion-members-only' }, target === 'motion'
			? t('Only active members of the assembly that decides this motion take part.')
			: t('Only active members of the assemblies this proposal was made by ' +
			  'or offered to take part.'));
	}

	function draw(d, account, message, focus) {
		d.account = account;
		// what is being written survives a redraw (a reply opened, a
		// comment posted by someone else)
		const kept = section.querySelector('#comment-text');
		const draft = kept && !message ? kept.value : '';
		const list = tree(d);
		fill(section, heading(),
			h('p', { class: 'status ok', role: 'status', id: 'discussion-status',
				tabindex: '-1', hidden: !message }, message || ''),
			list.length ? h('ul', { class: 'comments', id: 'comments' }, list)
				: h('p', { class: 'muted', id: 'no-comments' }, t('No comments yet.')),
			invitation(d, account));
		const area = section.querySelector('#comment-text');
		if (area && draft)
			area.value = draft;
		const el = focus && document.getElementById(focus);
		if (el)
			el.focus();
	}

	fill(section, heading(), h('p', { class: 'muted' }, t('Loading the discussion…')));
	reload();
	// the page calls it when what it shows changed (a motion decided or
	// withdrawn closes its discussion)
	section.refresh = () => reload();
	return section;
}

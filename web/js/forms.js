// forms.js: submitting forms to the API and showing its refusals where
// they belong.
//
// Each control that the API knows by a field name carries data-field
// (e.g. "handle", "schedule.tz", "rule.default.fraction"; "*" stands for
// any one segment). An error naming a field is shown right after the
// control (or the fieldset) whose data-field matches it most closely,
// which is marked aria-invalid and described by the message; an error
// naming no known field is shown at the top of the form. Either way the
// message is announced (role="alert") and focus moves to the control.
// Before anything is sent, every required control left empty is marked at
// once ("Required."), so that one submit shows all that is missing.
// Nothing stale stays: a submit hides what the page's status line said
// before, and once it succeeds the refusals other forms still show go.

import { h, here, link } from './dom.js';
import { t } from './i18n.js';

function segMatch(pattern, field) {
	const p = pattern.split('.');
	const f = field.split('.');
	if (p.length > f.length)
		return -1;
	for (let i = 0; i < p.length; i++)
		if (p[i] !== '*' && p[i] !== f[i])
			return -1;
	return p.length;
}

// The element of form that a field name refers to, or null.
export function fieldElement(form, field) {
	if (!field)
		return null;
	let best = null, bestLen = 0;
	for (const el of form.querySelectorAll('[data-field]')) {
		if (el.closest('[hidden]'))
			continue;
		const n = segMatch(el.dataset.field, field);
		if (n > bestLen) {
			best = el;
			bestLen = n;
		}
	}
	return best;
}

export function clearErrors(form) {
	for (const el of form.querySelectorAll('.field-error, .form-error'))
		el.remove();
	for (const el of form.querySelectorAll('[aria-invalid]')) {
		el.removeAttribute('aria-invalid');
		const ids = (el.getAttribute('aria-describedby') || '').split(' ')
			.filter((id) => id && !id.endsWith('-error'));
		if (ids.length)
			el.setAttribute('aria-describedby', ids.join(' '));
		else
			el.removeAttribute('aria-describedby');
	}
}

let errorSeq = 0;

// Show err (an ApiError or any Error) in form.
export function showError(form, err) {
	clearErrors(form);
	return addError(form, err, true);
}

// Show each of errs in form, the first focused.
export function showErrors(form, errs) {
	clearErrors(form);
	errs.forEach((e, i) => addError(form, e, i === 0));
}

// The required controls of form (those shown) that are empty.
function missing(form) {
	const out = [];
	for (const el of form.querySelectorAll('[required]')) {
		if (el.closest('[hidden]') || el.disabled)
			continue;
		const empty = el.type === 'checkbox' ? !el.checked : !String(el.value).trim();
		if (empty)
			out.push(Object.assign(new Error('Required.'), { control: el }));
	}
	return out;
}

// Put the message msg (with an id) next to the field target and tie them
// together: a checkbox or radio is followed by its label, so the message
// goes after the label and reads in order; a group (a fieldset) gets it
// after its legend. The field is marked invalid and described by it, once.
function placeError(target, msg) {
	if (target.tagName === 'FIELDSET') {
		const legend = target.querySelector(':scope > legend');
		if (legend)
			legend.after(msg);
		else
			target.prepend(msg);
	} else {
		(target.closest('.check') || target).after(msg);
	}
	target.setAttribute('aria-invalid', 'true');
	const described = target.getAttribute('aria-describedby');
	if (!(described || '').split(' ').includes(msg.id))
		target.setAttribute('aria-describedby', described ? described + ' ' + msg.id : msg.id);
}

function addError(form, err, focus) {
	const target = err.control || fieldElement(form, err.field);
	let message = err.message || String(err);
	// a message that starts with the field's name ("handle must be ...")
	// names it as the form does, by its label, in the page's language
	const label = target && target.labels && target.labels[0];
	if (label && err.field && message.startsWith(err.field + ' '))
		message = label.textContent.trim() + message.slice(err.field.length);
	message = message.charAt(0).toUpperCase() + message.slice(1);
	if (!target) {
		// Signed out meanwhile (the session ended or expired): offer the
		// way back, to this very page.
		const again = err.status === 401 && err.code === 'unauthenticated'
			? [' ', h('a', { href: link.signin(here()) }, t('Sign in again'))] : null;
		const box = h('div', { class: 'form-error', role: 'alert',
			tabindex: '-1', 'data-seq': String(++errorSeq),
			'data-shown-at': String(Date.now()) }, message, again);
		form.prepend(box);
		if (focus)
			box.focus();
		return box;
	}
	const id = 'err-' + (++errorSeq) + '-error';
	const msg = h('p', { class: 'field-error', id, role: 'alert', 'data-seq': String(errorSeq),
		'data-shown-at': String(Date.now()) }, message);
	const isGroup = target.tagName === 'FIELDSET';
	placeError(target, msg);
	const focusable = isGroup ? target.querySelector('input, select, textarea, button')
		: target;
	if (focusable && focus)
		focusable.focus();
	return msg;
}

// What the forms inside box (those with an id) show as refused, so that
// after box is drawn anew (a live update) the same refusals stand next to
// the same fields: a person reading why their ballot was refused must not
// see the reason vanish because someone else voted. Returns a function
// that puts them back into the new forms, without moving the focus.
export function keepErrors(box) {
	const kept = [];
	for (const form of box.querySelectorAll('form[id]')) {
		for (const el of form.querySelectorAll('.form-error'))
			kept.push({ form: form.id, node: el });
		for (const el of form.querySelectorAll('[aria-invalid]')) {
			const ids = (el.getAttribute('aria-describedby') || '').split(' ')
				.filter((x) => x.endsWith('-error'));
			for (const mid of ids) {
				const node = document.getElementById(mid);
				if (node)
					kept.push({ form: form.id, node, id: el.id,
						field: el.getAttribute('data-field'), name: el.name });
			}
		}
	}
	return () => {
		for (const k of kept) {
			const form = document.getElementById(k.form);
			if (!form || form.tagName !== 'FORM' || form.contains(k.node))
				continue;
			if (!k.node.classList.contains('field-error')) {
				form.prepend(k.node);
				continue;
			}
			const target = (k.id && form.querySelector('#' + CSS.escape(k.id))) ||
				(k.field && form.querySelector('[data-field="' + CSS.escape(k.field) + '"]')) ||
				(k.name && form.querySelector('[name="' + CSS.escape(k.name) + '"]'));
			if (!target)
				continue;
			placeError(target, k.node);
		}
	};
}

// Run the async action on submit: the button is disabled meanwhile, earlier
// errors are cleared, and a thrown error is shown in the form.
export function onSubmit(form, action) {
	form.noValidate = true;
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		const buttons = form.querySelectorAll('button');
		buttons.forEach((b) => { b.disabled = true; });
		form.setAttribute('aria-busy', 'true');
		clearErrors(form);
		// the errors shown until now (later ones answer later actions)
		const since = errorSeq;
		// what a previous action said, good or bad, is stale now
		const page = document.getElementById('status');
		if (page && !form.contains(page))
			page.hidden = true;
		try {
			const empty = missing(form);
			if (empty.length) {
				showErrors(form, empty);
				return;
			}
			await action(new FormData(form));
			// done: whoever kept what was chosen in it may forget it now
			// (the form may be gone from the page: the document hears it)
			document.dispatchEvent(new CustomEvent('form-done', { detail: form }));
			// refusals other forms showed before this was sent are stale
			// too; one that came while it was under way answers an action
			// taken meanwhile, and stays
			for (const f of document.querySelectorAll('form'))
				if (f !== form && ![...f.querySelectorAll('.field-error, .form-error')]
					.some((e) => Number(e.dataset.seq) > since))
					clearErrors(f);
		} catch (e) {
			showError(form, e);
		} finally {
			buttons.forEach((b) => { b.disabled = false; });
			form.removeAttribute('aria-busy');
		}
	});
}

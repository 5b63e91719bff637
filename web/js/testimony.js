// testimony.js: the witnesses a polity's assembly scheduled at one of its
// meetings (docs/cases.md, "Testimony"), on the meeting's page: each at
// its time, with the case it testifies in and what the clerk recorded.
// While the meeting is open, whoever may do the clerk's duties (the
// server says: may_record) records here whether each testified or did not
// appear, with a short summary.
import { api } from './api.js';
import { fill, h } from './dom.js';
import { locale, t } from './i18n.js';
import { onSubmit } from './forms.js';

const OUTCOME = {
	testified: t('Testified'),
	absent: t('Did not appear'),
};

function timeOf(seconds, tz) {
	const d = new Date(seconds * 1000);
	let fmt;
	try {
		fmt = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: tz || undefined });
	} catch (e) {
		fmt = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
	}
	return h('time', { datetime: d.toISOString() }, fmt.format(d));
}

function recordForm(w, redraw) {
	const idp = 'witness-' + w.id;
	const radio = (value) => h('span', { class: 'check' },
		h('input', { type: 'radio', name: 'outcome', value, id: idp + '-' + value,
			checked: w.outcome === value }),
		h('label', { for: idp + '-' + value }, OUTCOME[value]));
	const form = h('form', { class: 'testimony-form', id: idp + '-form' },
		h('fieldset', { 'data-field': 'outcome' }, h('legend', null, t('What happened')),
			radio('testified'), radio('absent')),
		h('div', { class: 'field' },
			h('label', { for: idp + '-summary' }, t('Summary (optional)')),
			h('textarea', { id: idp + '-summary', name: 'summary', rows: 2, class: 'short',
				maxlength: 2000, 'data-field': 'summary' }, w.summary || '')),
		h('div', { class: 'actions' }, h('button', { type: 'submit' },
			w.outcome ? t('Correct the record') : t('Record'))));
	onSubmit(form, async (data) => {
		const outcome = data.get('outcome');
		if (!outcome)
			throw Object.assign(new Error(t('Choose whether they testified.')),
				{ field: 'outcome' });
		const summary = String(data.get('summary') || '').trim();
		await api('POST', '/cases/' + w.case + '/testimony/' + w.id,
			summary ? { outcome, summary } : { outcome });
		await redraw();
	});
	return form;
}

// Draw the witnesses of meeting id into section (hidden when none).
export async function drawTestimony(id, section, tz) {
	const redraw = () => drawTestimony(id, section, tz);
	let x;
	try {
		x = await api('GET', '/meetings/' + encodeURIComponent(id) + '/testimony');
	} catch (e) {
		return;
	}
	section.hidden = !x.witnesses.length;
	if (!x.witnesses.length)
		return;
	fill(section, h('h2', { id: 'testimony-h' }, t('Witnesses')),
		h('ol', { class: 'plain', id: 'witnesses' }, x.witnesses.map((w) =>
			h('li', { class: 'card', id: 'witness-' + w.id },
				h('h3', null, timeOf(w.at, tz), ' · ', w.name,
					w.handle ? ' (@' + w.handle + ')' : ''),
				h('p', null, h('a', { href: '/case.html?id=' + encodeURIComponent(w.case) },
					t('Case {n}: {title}', { n: w.case, title: w.case_title }))),
				h('p', { class: 'testimony-outcome' }, w.outcome ? OUTCOME[w.outcome]
					: t('Nothing recorded yet.')),
				w.summary && !x.may_record ? h('p', null, w.summary) : null,
				x.may_record ? recordForm(w, redraw) : null))));
}

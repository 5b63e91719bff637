// found.js: found the local assembly of a community. The rule picker
// builds the rule set JSON (docs: src/gov/assembly/assembly.h) and the schedule
// picker an RFC 5545 recurrence rule; both show in words what they built,
// and the server's refusal of any part is shown next to that part.
import { api } from '../api.js';
import { $, fill, h, link, param } from '../dom.js';
import { onSubmit } from '../forms.js';
import { lang, languageName, languages, t, tx } from '../i18n.js';
import { header, status } from '../layout.js';
import { ORDINALS, WEEKDAYS, ruleText, rruleText } from '../text.js';
import { options, ruleEditor } from '../rule-editor.js';

// the language of the minutes: the page's own, unless the founders choose
fill($('#language'), languages.map((l) => h('option', { value: l, lang: l, translate: 'no',
	selected: l === lang }, languageName(l))));

const preview = $('#rule-preview');
const stricter = $('#stricter');
const changeBox = $('#rule-change');
const editors = {};
function rulePreview() {
	if (!editors.def)
		return;
	const parts = [t('Every decision: {rule}.', { rule: ruleText(editors.def.value()) })];
	if (stricter.checked && editors.change)
		parts.push(t('Changing the rules: {rule}.', { rule: ruleText(editors.change.value()) }));
	preview.textContent = parts.join(' ');
}
editors.def = ruleEditor('rule-d', 'rule.default', 'rule.default', t('The rule for every decision'),
	{ kind: 'simple_majority', fraction: '2/3', base: 'cast', rounds: 2,
		quorum: 'fraction', qcount: 3, qfraction: '1/10' }, rulePreview);
editors.change = ruleEditor('rule-c', 'rule.by_kind.*', 'rule.by_kind',
	t('The rule for changing the rules'),
	{ kind: 'supermajority', fraction: '2/3', base: 'cast', rounds: 2,
		quorum: 'fraction', qcount: 3, qfraction: '1/10' }, rulePreview);
$('#rule-default').append(editors.def.el);
changeBox.append(editors.change.el);
stricter.addEventListener('change', () => {
	changeBox.hidden = !stricter.checked;
	rulePreview();
});
editors.def.sync();
editors.change.sync();

function ruleSet() {
	const set = { default: editors.def.value() };
	if (stricter.checked)
		set.by_kind = { change_rules: editors.change.value() };
	return set;
}

// ---- schedule ----------------------------------------------------------

const pattern = $('#pattern');
const ordinal = $('#ordinal');
const weekday = $('#weekday');
const time = $('#time');
const tz = $('#tz');
const place = $('#place');
ordinal.append(...options(ORDINALS, '1'));
weekday.append(...options(WEEKDAYS, 'TU'));
let zones = [];
try {
	zones = Intl.supportedValuesOf('timeZone');
} catch (e) {
	zones = [];
}
$('#tz-list').append(...zones.map((z) => h('option', { value: z })));
tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function rrule() {
	const [hh, mm] = (time.value || '19:00').split(':');
	const parts = [];
	if (pattern.value === 'monthly') {
		parts.push('FREQ=MONTHLY', 'BYDAY=' + ordinal.value + weekday.value);
	} else {
		parts.push('FREQ=WEEKLY');
		if (pattern.value === 'biweekly')
			parts.push('INTERVAL=2');
		parts.push('BYDAY=' + weekday.value);
	}
	parts.push('BYHOUR=' + Number(hh), 'BYMINUTE=' + Number(mm));
	return parts.join(';');
}

function schedulePreview() {
	$('#ordinal-field').hidden = pattern.value !== 'monthly';
	const r = rrule();
	fill($('#schedule-preview'), rruleText(r) || r,
		tz.value ? ' ' + t('({zone} time)', { zone: tz.value.replace(/_/g, ' ') }) : '',
		place.value.trim() ? t(', at {place}', { place: place.value.trim() }) : '',
		'. ', $('#floor').checked ? t('Motions may be put from the floor.')
			: t('Motions go on the agenda before the meeting begins.'));
}
$('#schedule').addEventListener('input', schedulePreview);
$('#schedule').addEventListener('change', schedulePreview);
schedulePreview();

// ---- community and submit -------------------------------------------

const community = $('#community');
const name = $('#name');
let autoName = '';
community.addEventListener('change', () => {
	const opt = community.selectedOptions[0];
	if (opt && opt.value && (!name.value || name.value === autoName)) {
		autoName = t('{community} Assembly', { community: opt.textContent });
		name.value = autoName;
	}
});

async function communities() {
	const { communities: list } = await api('GET', '/communities');
	const free = list.filter((c) => !c.assembly);
	const want = param('community');
	fill(community, h('option', { value: '' }, free.length
		? t('Choose a community') : t('Every community already has an assembly')),
	free.map((c) => h('option', { value: c.slug, selected: c.slug === want },
		c.name)));
	if (want && community.value === want)
		community.dispatchEvent(new Event('change'));
	if (!free.length) {
		// nothing left to found: say so, and offer to join instead (each
		// assembly's page has its membership box)
		$('#found-form').hidden = true;
		const ask = $('#signin-to-found');
		if (ask)
			ask.hidden = true;
		$('#found-form').before(h('section', { class: 'card', id: 'all-founded',
			'aria-labelledby': 'all-founded-h' },
		h('h2', { id: 'all-founded-h' }, t('Every community already has an assembly')),
		h('p', null, t('There is nothing left to found here. You can join the ' +
			'assembly of the community where you live or work instead:')),
		h('ul', null, list.map((c) => h('li', null,
			h('a', { href: link.assembly(c.assembly) },
				t('Join the assembly of {community}', { community: c.name }))))),
		h('p', { class: 'hint' }, t('A community that is not listed is added by the ' +
			'operator of this server.'))));
		return;
	}
	if (want && list.some((c) => c.slug === want && c.assembly))
		status(t('That community already has an assembly: ' +
			'choose another, or join the existing one from its page.'));
}

async function main() {
	const account = await header();
	if (!account) {
		const form = $('#found-form');
		form.hidden = true;
		const next = location.pathname + location.search;
		form.before(h('p', { class: 'card', id: 'signin-to-found' },
			tx('Sign in to found an assembly: {signin} or {signup}.', {
				signin: h('a', { href: link.signin(next) }, t('sign in')),
				signup: h('a', { href: link.signup(next) }, t('create an account')) })));
	}
	try {
		await communities();
	} catch (e) {
		status(t('The communities could not be loaded: {why}', { why: e.message }), 'bad');
	}
}

onSubmit($('#found-form'), async (data) => {
	const body = {
		name: String(data.get('name')).trim(),
		community: community.value,
		statement: String(data.get('statement')),
		rule: ruleSet(),
		schedule: { rrule: rrule(), tz: tz.value.trim(), place: place.value.trim(),
			floor_motions: $('#floor').checked },
	};
	const slug = String(data.get('slug') || '').trim();
	if (slug)
		body.slug = slug;
	// "lives" is the default: sent only when it differs.
	if (data.get('basis') === 'works')
		body.basis = 'works';
	body.language = String(data.get('language') || 'en');
	const made = await api('POST', '/bodies', body);
	location.assign(link.assembly(made.slug || slug || community.value) + '&founded=1');
});

main();

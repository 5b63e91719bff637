// household.js: a household outside the sharing economy (docs/sharing.md
// "Households, allotments and barter"). Without a parameter, the signed-in
// person's household (or the form to declare one, and the households that
// invited them); with ?h=SLUG, that household. Its members, each in or out
// of the economy by their own act; the land and means its local assembly
// allotted it by decision; its barters, recorded by one side and confirmed
// (or declined) by the other, or withdrawn by the side that recorded them. Nothing here has a price.
import { api, me } from '../api.js';
import { $, date, fill, h, link, param } from '../dom.js';
import { onSubmit } from '../forms.js';
import { number, t, tx } from '../i18n.js';
import { header, status, title } from '../layout.js';
import { allotmentItem } from '../allotments.js';

function householdLink(slug) {
	return '/household.html?h=' + encodeURIComponent(slug);
}

function side(what, amount, unit) {
	return t('{what} ({amount} {unit})', { what, amount: number(amount), unit });
}

// One act on an open barter: a button that posts VERB and says so.
function barterAct(b, verb, label, done, reload) {
	const form = h('form', { id: verb + '-' + b.id, class: 'inline-form' },
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, label)));
	onSubmit(form, async () => {
		await api('POST', '/barters/' + b.id + '/' + verb);
		await reload();
		status(done, 'ok');
	});
	return form;
}

function barterState(b) {
	if (b.confirmed_at)
		return tx('Recorded by @{who} on {date}, confirmed by @{by} on {when}.', {
			who: b.recorded_by, date: date(b.recorded_at), by: b.confirmed_by,
			when: date(b.confirmed_at) });
	if (b.ended === 'withdrawn')
		return tx('Recorded by @{who} on {date}, withdrawn by @{by} on {when}.', {
			who: b.recorded_by, date: date(b.recorded_at), by: b.ended_by,
			when: date(b.ended_at) });
	if (b.ended === 'declined')
		return tx('Recorded by @{who} on {date}, declined by @{by} on {when}.', {
			who: b.recorded_by, date: date(b.recorded_at), by: b.ended_by,
			when: date(b.ended_at) });
	return tx('Recorded by @{who} on {date}; waiting for the other side to confirm it.',
		{ who: b.recorded_by, date: date(b.recorded_at) });
}

function barterItem(b, mine, reload) {
	const other = b.member ? b.member_name : b.enterprise_name;
	const li = h('li', { class: 'barter', 'data-barter': b.id },
		h('p', null,
			tx('From {household}: {gives}. From {other}: {gets}.', {
				household: h('strong', null, b.household_name),
				gives: side(b.household_gives, b.household_quantity, b.household_unit),
				other: h('strong', null, other),
				gets: side(b.other_gives, b.other_quantity, b.other_unit) })),
		h('p', { class: 'hint' }, barterState(b),
			b.good ? [' ', t('What the enterprise received joined the sharing economy\'s ' +
				'register.')] : null));
	if (b.confirmed_at || b.ended)
		return li;
	// the other side confirms or declines; the side that recorded it withdraws it
	if (mine.onSide(b, b.recorded_side === 'household' ? 'other' : 'household') &&
		b.recorded_by !== mine.handle) {
		li.append(barterAct(b, 'confirm', t('Confirm this barter'),
			t('You confirmed the barter.'), reload));
		li.append(barterAct(b, 'decline', t('Decline this barter'),
			t('You declined the barter.'), reload));
	}
	if (mine.onSide(b, b.recorded_side))
		li.append(barterAct(b, 'withdraw', t('Withdraw this barter'),
			t('You withdrew the barter.'), reload));
	return li;
}

function field(id, name, label, attrs) {
	return h('div', { class: 'field' },
		h('label', { for: id }, label),
		h('input', { id, name, 'data-field': name, ...attrs }));
}

// Record a barter: a member of the household names the other side; a
// member of the economy records one with the household, for themselves
// or for their enterprise.
function barterForm(hh, mine, reload) {
	const inside = mine.isMember;
	const form = h('form', { id: 'barter-form' },
		h('h3', null, t('Record a barter')),
		h('p', { class: 'hint' }, inside
			? t('What your household gives, and what it receives. The other side confirms ' +
				'it. No prices: say what, how much, and in what unit.')
			: t('What this household gives you, and what you give it. A member of the ' +
				'household confirms it. No prices: say what, how much, and in what unit.')),
		inside ? h('div', { class: 'row' },
			h('div', { class: 'field' },
				h('label', { for: 'b-with' }, t('With')),
				h('select', { id: 'b-with', name: 'with' },
					h('option', { value: 'member' }, t('A member of the sharing economy')),
					h('option', { value: 'enterprise' }, t('An enterprise of it')))),
			field('b-other', 'other', t('Their handle, or the enterprise\'s short name'),
				{ required: true, maxlength: 64, autocomplete: 'off' }))
			: mine.enterprises.length ? h('div', { class: 'field' },
				h('label', { for: 'b-for' }, t('For')),
				h('select', { id: 'b-for', name: 'for', 'data-field': 'enterprise' },
					h('option', { value: '' }, t('Yourself')),
					mine.enterprises.map((e) => h('option', { value: e.slug }, e.name))))
				: null,
		h('div', { class: 'row' },
			field('b-hg', 'household_gives', inside ? t('Your household gives')
				: t('The household gives'), { required: true, maxlength: 120 }),
			field('b-hq', 'household_quantity', t('How much'), { type: 'number', min: 1,
				value: 1, required: true, inputmode: 'numeric' }),
			field('b-hu', 'household_unit', t('Counted in'), { required: true, maxlength: 40,
				placeholder: t('kg, jars, hours') })),
		h('div', { class: 'row' },
			field('b-og', 'other_gives', inside ? t('It receives') : t('You give'),
				{ required: true, maxlength: 120 }),
			field('b-oq', 'other_quantity', t('How much'), { type: 'number', min: 1,
				value: 1, required: true, inputmode: 'numeric' }),
			field('b-ou', 'other_unit', t('Counted in'), { required: true, maxlength: 40 })),
		h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('Record it'))));
	onSubmit(form, async (data) => {
		const body = { household: hh.slug };
		for (const k of ['household_gives', 'household_unit', 'other_gives', 'other_unit'])
			body[k] = String(data.get(k)).trim();
		body.household_quantity = Number(data.get('household_quantity'));
		body.other_quantity = Number(data.get('other_quantity'));
		if (inside) {
			const other = String(data.get('other')).trim().replace(/^@/, '');
			body[data.get('with') === 'enterprise' ? 'enterprise' : 'member'] = other;
		} else if (data.get('for')) {
			body.enterprise = String(data.get('for'));
		} else {
			body.member = mine.handle;
		}
		await api('POST', '/barters', body);
		await reload();
		status(t('The barter is recorded: the other side confirms it.'), 'ok');
	});
	return form;
}

function memberItem(m) {
	return h('li', null, m.display_name, ' (@', m.handle, ') ',
		!m.joined_at ? h('span', { class: 'badge' }, t('invited'))
			: m.opted_out ? h('span', { class: 'badge' }, t('out of the sharing economy'))
				: h('span', { class: 'badge' }, t('in the sharing economy')));
}

function membersSection(hh, mine, reload) {
	const box = h('section', { 'aria-labelledby': 'members-h', id: 'members' },
		h('h2', { id: 'members-h' }, t('Its members')),
		h('ul', { id: 'member-list' }, hh.members.map(memberItem)));
	if (!mine.isMember)
		return box;
	const opt = h('form', { id: 'opt-form', class: 'inline-form' },
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' },
			mine.optedOut ? t('Come back into the sharing economy')
				: t('Opt out of the sharing economy'))));
	onSubmit(opt, async () => {
		const r = await api('PUT', '/me/sharing', { opted_out: !mine.optedOut });
		await reload();
		status(r.opted_out ? t('You opted out. You still obey local law, and may ' +
			'come back at any time.') : t('You are back in the sharing economy.'), 'ok');
	});
	const invite = h('form', { id: 'invite-form', class: 'inline-form' },
		h('div', { class: 'row' }, field('i-person', 'person', t('Invite someone (handle)'),
			{ required: true, maxlength: 64, autocomplete: 'off' })),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' },
			t('Invite'))));
	onSubmit(invite, async (data) => {
		const person = String(data.get('person')).trim().replace(/^@/, '');
		await api('POST', '/households/' + encodeURIComponent(hh.slug) + '/invite',
			{ person });
		await reload();
		status(t('@{who} is invited: they join by their own act.', { who: person }), 'ok');
	});
	const leave = h('form', { id: 'leave-form', class: 'inline-form' },
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' },
			t('Leave this household'))));
	onSubmit(leave, async () => {
		await api('POST', '/households/' + encodeURIComponent(hh.slug) + '/leave');
		location.href = '/household.html';
	});
	box.append(opt, invite, leave);
	return box;
}

function declareForm(reload) {
	const form = h('form', { id: 'declare-form' },
		h('h2', null, t('Declare a household')),
		h('p', { class: 'hint' }, t('You are its first member. Each person you name is ' +
			'invited, and joins by their own act.')),
		h('div', { class: 'row' },
			field('d-name', 'name', t('Its name'), { required: true, maxlength: 120 }),
			field('d-slug', 'slug', t('Short name (for its address)'), { required: true,
				maxlength: 64, pattern: '[a-z0-9-]+', autocomplete: 'off',
				placeholder: 'the-millers' })),
		field('d-members', 'members', t('Invite (handles, separated by commas; optional)'),
			{ autocomplete: 'off' }),
		h('div', { class: 'actions' }, h('button', { type: 'submit' },
			t('Declare the household'))));
	onSubmit(form, async (data) => {
		const members = String(data.get('members') || '').split(/[\s,]+/)
			.map((x) => x.replace(/^@/, '')).filter(Boolean);
		await api('POST', '/households', { name: String(data.get('name')).trim(),
			slug: String(data.get('slug')).trim(), members });
		await reload();
		status(t('Your household is declared.'), 'ok');
	});
	return form;
}

function invitations(list, reload) {
	if (!list.length)
		return null;
	return h('section', { 'aria-labelledby': 'invited-h', id: 'invitations' },
		h('h2', { id: 'invited-h' }, t('Households that invited you')),
		h('ul', null, list.map((x) => {
			const join = h('form', { id: 'join-' + x.slug, class: 'inline-form' },
				h('div', { class: 'actions' },
					h('button', { type: 'submit' }, t('Join {name}', { name: x.name }))));
			onSubmit(join, async () => {
				await api('POST', '/households/' + encodeURIComponent(x.slug) + '/join');
				await reload();
				status(t('You joined {name}.', { name: x.name }), 'ok');
			});
			const decline = h('form', { class: 'inline-form' },
				h('div', { class: 'actions' }, h('button', { type: 'submit',
					class: 'secondary' }, t('Decline'))));
			onSubmit(decline, async () => {
				await api('POST', '/households/' + encodeURIComponent(x.slug) + '/leave');
				await reload();
			});
			return h('li', null, h('a', { href: householdLink(x.slug) }, x.name), join,
				decline);
		})));
}

function householdView(hh, mine, reload) {
	return [
		h('h1', null, hh.name),
		h('p', { class: 'lede', id: 'household-state' }, hh.opted_out
			? t('This household is outside the sharing economy: each of its members ' +
				'opted out by their own act. They still obey local law. Their local ' +
				'assembly may allot them land or means of production, and they may ' +
				'barter with the economy\'s members and enterprises.')
			: t('This household is not outside the sharing economy while any of its ' +
				'members is in it: each member opts out, or back in, by their own act.')),
		h('div', { id: 'status', class: 'status', role: 'status', hidden: true }),
		membersSection(hh, mine, reload),
		h('section', { 'aria-labelledby': 'allotted-h' },
			h('h2', { id: 'allotted-h' }, t('Land and means allotted to it')),
			hh.allotments.length ? h('ul', { class: 'plain', id: 'household-allotments' },
				hh.allotments.map((a) => allotmentItem(a, false)))
				: h('p', { class: 'muted', id: 'household-allotments' }, t('Nothing ' +
					'allotted to it yet. Its local assembly allots land or means of ' +
					'production by a decision, to a household outside the economy.'))),
		hh.mutual_aid.length ? h('section', { 'aria-labelledby': 'aid-h' },
			h('h2', { id: 'aid-h' }, t('Provided by mutual aid')),
			h('ul', { class: 'plain', id: 'mutual-aid' }, hh.mutual_aid.map((x) =>
				h('li', null, date(x.at), ': ', tx('{who} received {amount} of {what}, by ' +
					'{decision}.', { who: x.by_name,
					amount: number(x.quantity) + ' ' + (x.quantity === 1 ? x.unit : x.units),
					what: x.good_name, decision: h('a', { href: link.motion(x.mutual_aid) },
						t('decision {n}', { n: x.mutual_aid })) }))))) : null,
		h('section', { 'aria-labelledby': 'barters-h' },
			h('h2', { id: 'barters-h' }, t('Its barters')),
			hh.barters.length ? h('ul', { class: 'plain', id: 'barter-list' },
				hh.barters.map((b) => barterItem(b, mine, reload)))
				: h('p', { class: 'muted', id: 'barter-list' }, t('No barter yet.')),
			hh.opted_out && mine.handle ? barterForm(hh, mine, reload) : null),
	];
}

async function main() {
	await header();
	const root = $('#main');
	const account = await me().catch(() => null);
	const slug = param('h');
	const reload = async () => {
		let mineHouse = null, sharing = null, hh = null;
		try {
			if (account) {
				mineHouse = await api('GET', '/me/household');
				sharing = await api('GET', '/me/sharing');
			}
			hh = slug ? await api('GET', '/households/' + encodeURIComponent(slug))
				: mineHouse && mineHouse.household;
		} catch (err) {
			title(t('Household'));
			fill(root, h('h1', null, t('Household')), h('p', { class: 'status bad' },
				err.status === 404 ? t('This household does not exist.')
					: t('This household could not be loaded: {why}', { why: err.message })));
			root.removeAttribute('aria-busy');
			return;
		}
		const handle = account ? account.handle : null;
		const enterprises = sharing ? sharing.enterprises || [] : [];
		const isMember = !!hh && hh.members.some((m) => m.handle === handle && m.joined_at);
		const mine = { handle, enterprises, isMember,
			optedOut: !!(sharing && sharing.opted_out),
			// whether one acts for a barter's household side or its other side
			onSide: (b, which) => (which === 'household' ? isMember
				: !!handle && (b.member === handle ||
					enterprises.some((e) => e.slug === b.enterprise))) };
		if (hh) {
			title(hh.name);
			fill(root, ...householdView(hh, mine, reload));
		} else {
			title(t('Your household'));
			fill(root, h('h1', null, t('Your household')),
				h('p', { class: 'lede' }, t('A household may leave the sharing economy ' +
					'together, each member by their own act, and live by what its local ' +
					'assembly allots it and by barter. You are in no household.')),
				h('div', { id: 'status', class: 'status', role: 'status', hidden: true }),
				account ? invitations(mineHouse.invited, reload) : null,
				account ? declareForm(reload)
					: h('p', null, tx('Sign in to declare a household: {signin}.', {
						signin: h('a', { href: link.signin(location.pathname +
							location.search) }, t('sign in')) })),
				h('p', null, h('a', { href: '/sharing.html' }, t('The sharing economy'))));
		}
		root.removeAttribute('aria-busy');
	};
	await reload();
}

main();

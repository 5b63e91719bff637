// api.js: the one way pages talk to the pnyx API.
//
// Every call goes through api(): JSON in and out, the session cookie sent
// by the browser (HttpOnly, so scripts never see it), and a JSON content
// type on every request that changes state, which the server requires of
// cookie-authenticated requests (it is what defeats cross-site forgery).
// A refusal becomes an ApiError carrying the server's code, message and
// the field it names, so forms can show it next to that field. The
// server writes its messages in the page's language (Accept-Language);
// codes stay the same in every language.

import { account, lang, t } from './i18n.js';

export class ApiError extends Error {
	constructor(status, code, message, field) {
		super(message);
		this.status = status;
		this.code = code;
		this.field = field || null;
	}
}

export async function api(method, path, body) {
	const opts = {
		method,
		credentials: 'same-origin',
		headers: { Accept: 'application/json', 'Accept-Language': lang },
	};
	if (method !== 'GET' && method !== 'HEAD') {
		opts.headers['Content-Type'] = 'application/json';
		if (body !== undefined)
			opts.body = JSON.stringify(body);
	}
	let resp;
	try {
		resp = await fetch('/api/v1' + path, opts);
	} catch (e) {
		throw new ApiError(0, 'network',
			t('The server could not be reached. Check your connection and try again.'));
	}
	if (resp.status === 204)
		return null;
	let data = null;
	try {
		data = await resp.json();
	} catch (e) {
		data = null;
	}
	if (!resp.ok) {
		const e = (data && data.error) || {};
		throw new ApiError(resp.status, e.code || 'http_' + resp.status,
			e.message || t('The server refused the request ({status}).',
				{ status: resp.status }),
			e.field);
	}
	return data;
}

// The signed-in account with its memberships, or null when signed out.
// Asked once per page load (by i18n.js, which needs the person's language).
let mePromise = null;
export function me() {
	if (!mePromise) {
		mePromise = account.then((r) => {
			if (r.status === 401)
				return null;
			if (r.status !== 200) {
				const e = (r.data && r.data.error) || {};
				throw new ApiError(r.status, e.code || 'http_' + r.status,
					e.message || (r.status ? t('The server refused the request ({status}).',
						{ status: r.status }) : t('The server could not be reached. Check your connection and try again.')), e.field);
			}
			return r.data;
		});
	}
	return mePromise;
}

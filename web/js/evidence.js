// evidence.js: files people hand in as evidence, read for the API (a
// case's evidence, case.js; a request's evidence of need, sharing.js):
// each {name, type, data} with its bytes in base64. The server checks each
// file's type against its first bytes (src/gov/evidence.c).

export function base64(buf) {
	const bytes = new Uint8Array(buf);
	let s = '';
	for (let i = 0; i < bytes.length; i += 0x8000)
		s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(s);
}

export async function readFiles(files) {
	return Promise.all([...files].map(async (f) => ({ name: f.name,
		type: f.type || 'application/octet-stream', data: base64(await f.arrayBuffer()) })));
}

// plural.js: which plural form of a catalogue's entry a count takes, by
// the catalogue's own rule (docs/translating.md).
//
// A .po file says how its language counts in its header: "Plural-Forms:
// nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 ||
// n%100>=20) ? 1 : 2);" (Polish). tools/mo2json keeps that line in the
// browser's catalogue as {"": {"nplurals": 3, "plural": "..."}}. The rule
// is a C expression of n (GNU gettext manual, "Plural forms"); it is
// parsed here, never evaluated as script, into a function of n. Its
// grammar: ?:, ||, &&, == !=, < <= > >=, + -, * / %, unary !, numbers, n
// and parentheses.
//
// No module-level await here: the tests import it alone.

function tokens(src) {
	const out = [];
	const re = /\s*(\d+|n|\|\||&&|==|!=|<=|>=|[?:<>+\-*/%!()])/y;
	let at = 0;
	while (at < src.length) {
		if (/^\s*$/.test(src.slice(at)))
			break;
		re.lastIndex = at;
		const m = re.exec(src);
		if (!m)
			throw new Error('plural rule: unexpected "' + src.slice(at) + '"');
		out.push(m[1]);
		at = re.lastIndex;
	}
	return out;
}

const BINARY = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'],
	['*', '/', '%']];

function apply(op, a, b) {
	switch (op) {
	case '||': return (n) => (a(n) || b(n) ? 1 : 0);
	case '&&': return (n) => (a(n) && b(n) ? 1 : 0);
	case '==': return (n) => (a(n) === b(n) ? 1 : 0);
	case '!=': return (n) => (a(n) !== b(n) ? 1 : 0);
	case '<': return (n) => (a(n) < b(n) ? 1 : 0);
	case '<=': return (n) => (a(n) <= b(n) ? 1 : 0);
	case '>': return (n) => (a(n) > b(n) ? 1 : 0);
	case '>=': return (n) => (a(n) >= b(n) ? 1 : 0);
	case '+': return (n) => a(n) + b(n);
	case '-': return (n) => a(n) - b(n);
	case '*': return (n) => a(n) * b(n);
	// unsigned long arithmetic, as gettext's: division by zero gives 0
	case '/': return (n) => (b(n) ? Math.trunc(a(n) / b(n)) : 0);
	default: return (n) => (b(n) ? a(n) % b(n) : 0);
	}
}

// The rule's text as a function of n (a non-negative integer).
export function pluralRule(src) {
	const toks = tokens(String(src));
	let i = 0;
	const peek = () => toks[i];
	const take = (want) => {
		if (toks[i] !== want)
			throw new Error('plural rule: expected "' + want + '" in ' + src);
		i++;
	};
	function primary() {
		const tk = toks[i++];
		if (tk === 'n')
			return (n) => n;
		if (tk === '!') {
			const e = primary();
			return (n) => (e(n) ? 0 : 1);
		}
		if (tk === '(') {
			const e = ternary();
			take(')');
			return e;
		}
		if (tk !== undefined && /^\d+$/.test(tk)) {
			const v = Number(tk);
			return () => v;
		}
		throw new Error('plural rule: unexpected ' + (tk || 'end') + ' in ' + src);
	}
	function binary(level) {
		if (level === BINARY.length)
			return primary();
		let left = binary(level + 1);
		while (BINARY[level].includes(peek())) {
			const op = toks[i++];
			left = apply(op, left, binary(level + 1));
		}
		return left;
	}
	function ternary() {
		const cond = binary(0);
		if (peek() !== '?')
			return cond;
		i++;
		const yes = ternary();
		take(':');
		const no = ternary();
		return (n) => (cond(n) ? yes(n) : no(n));
	}
	const rule = ternary();
	if (i !== toks.length)
		throw new Error('plural rule: unexpected ' + toks[i] + ' in ' + src);
	return rule;
}

const ENGLISH = (n) => (n !== 1 ? 1 : 0);

// The form index a catalogue's rule gives n: English's (one, other) when
// the catalogue has no rule or a broken one; never outside 0..nplurals-1.
export function pluralIndex(catalogue) {
	const head = catalogue && catalogue[''];
	if (!head || typeof head.plural !== 'string')
		return ENGLISH;
	let rule;
	try {
		rule = pluralRule(head.plural);
	} catch (e) {
		return ENGLISH;
	}
	const max = Math.max(1, Number(head.nplurals) || 2) - 1;
	return (n) => Math.min(max, Math.max(0, rule(Math.abs(Math.trunc(n)))));
}

// The text for n of the entry (one, many) of catalogue: its translated
// form by the rule, else the English one or many.
export function pluralText(catalogue, index, one, many, n) {
	const forms = catalogue && catalogue[one];
	if (Array.isArray(forms)) {
		const f = forms[index(n)];
		if (typeof f === 'string' && f)
			return f;
	}
	return n === 1 ? one : many;
}

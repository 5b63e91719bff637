// independent.mjs: counts a ballot file with independent implementations
// from npm, to cross-check and time pnyx tally against them.
//   node independent.mjs schulze FILE        -> Schulze ranking (npm "votes")
//   node independent.mjs meek FILE SEATS     -> Meek STV winners (npm "caritat")
// Prints one JSON line: {"method", "elected" | "ranking", "ms"}; the time
// covers counting only, not reading the file. Reads PrefLib .soi/.soc/.toc/
// .toi and plain BLT (numbers, "=" ties), which is all the bench needs.
import { readFileSync } from 'node:fs';
import { Schulze, utils } from 'votes';
import caritat from 'caritat';

function parse(path) {
  const lines = readFileSync(path, 'utf8').split('\n');
  const names = [];
  const ballots = [];
  if (/\.blt$/.test(path)) {
    const [n] = lines[0].trim().split(/\s+/).map(Number);
    let i = 1;
    for (; i < lines.length; i++) {
      const t = lines[i].trim();
      if (t === '0') break;
      if (!t || t[0] === '[' || t[0] === '-') continue;
      const tok = t.split(/\s+/);
      const w = Number(tok[0]);
      const groups = tok.slice(1, -1).map((g) => g.split('=').map((c) => Number(c) - 1));
      ballots.push({ w, groups });
    }
    for (i++; i < lines.length && names.length < n; i++) {
      const t = lines[i].trim();
      if (t) names.push(t.replace(/^"|"$/g, ''));
    }
    return { names, ballots };
  }
  for (const line of lines) {
    const m = /^# ALTERNATIVE NAME (\d+): (.*)$/.exec(line);
    if (m) { names[Number(m[1]) - 1] = m[2]; continue; }
    if (!line.trim() || line[0] === '#') continue;
    const [count, rest] = line.split(':');
    const groups = [];
    const re = /\{([^}]*)\}|(\d+)/g;
    let g;
    while ((g = re.exec(rest))) {
      groups.push(g[1] !== undefined ? g[1].split(',').map((c) => Number(c) - 1)
                                     : [Number(g[2]) - 1]);
    }
    ballots.push({ w: Number(count), groups });
  }
  return { names, ballots };
}

const [method, path, seatsArg] = process.argv.slice(2);
const { names, ballots } = parse(path);
const t0 = process.hrtime.bigint();
let out;
if (method === 'schulze') {
  // Unranked candidates are tied last, as the tally sheets mean them.
  const all = names.map((_, i) => i);
  const vb = ballots.map(({ w, groups }) => {
    const seen = new Set(groups.flat());
    const ranking = groups.map((g) => g.map((c) => names[c]));
    const rest = all.filter((c) => !seen.has(c)).map((c) => names[c]);
    if (rest.length) ranking.push(rest);
    return { ranking, weight: w };
  });
  const matrix = utils.matrixFromBallots(vb, names);
  const ranking = new Schulze(matrix).ranking();
  out = { method, ranking };
} else if (method === 'meek') {
  const election = {
    candidates: names,
    ballots: ballots.map(({ w, groups }) => ({
      votes: groups.map((g) => (g.length === 1 ? names[g[0]] : g.map((c) => names[c]))),
      count: w,
    })),
  };
  const elected = caritat.stv.meek(election, { seats: Number(seatsArg) });
  out = { method, elected: [...elected] };
} else {
  console.error('usage: node independent.mjs schulze|meek FILE [SEATS]');
  process.exit(2);
}
out.ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify(out));

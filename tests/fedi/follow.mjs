// tests/fedi/follow.mjs: a fediverse user, played by Fedify (an
// ActivityPub server library that is not ours, https://fedify.dev), follows
// a pnyx assembly and receives its posts (issue 17, item 8; docs/nodes.md,
// "Tested with Fedify").
//
// Usage: node follow.mjs BASE SLUG. BASE is the pnyx node's address
// (http://127.0.0.1:PORT). The program runs a Fedify server on a loopback
// port with one user, "ana", and speaks on stdout, one JSON object a line,
// driven by its stdin (tests/api/test_fedi_interop.py):
//   {"ready": ana's actor}
//   {"found": the assembly's actor, "type", "inbox", "name"}   (WebFinger)
//   {"accepted": the Accept's id, "follow": the Follow's id}   after Follow
//   -- on the line "post" of stdin: waits for the assembly's post --
//   {"post": the Note's content, "url", "attributedTo", "activity"}
//   -- on the line "undo": sends Undo(Follow) to the shared inbox --
//   {"undone": true}
// and {"received": STATUS, "type"} for every activity that reached ana's
// inboxes, with the status Fedify answered (a signature Fedify cannot
// verify is answered 401). Every wait has a deadline; on failure it prints
// {"error": ...} and exits 1.
//
// Fedify is used as its documentation says, with two options for a test
// on loopback: allowPrivateAddress (Fedify refuses to fetch loopback and
// private addresses otherwise) and, for the WebFinger lookup of
// acct:SLUG@HOST only, a fetch that asks pnyx over http: Fedify looks up
// acct: resources over https alone, and this pnyx serves plain http on
// loopback (in production a reverse proxy gives it https: docs/nodes.md).
// Signatures are verified by Fedify itself, both ways: skipSignatureVerification
// is left off.
import http from "node:http";
import readline from "node:readline";
import {
  Accept, Create, createFederation, Endpoints, Follow, generateCryptoKeyPair,
  MemoryKvStore, Note, Person, Undo,
} from "@fedify/fedify";

const [base, slug] = process.argv.slice(2);
if (!base || !slug) {
  console.error("usage: node follow.mjs BASE SLUG");
  process.exit(2);
}
const pnyx = new URL(base);
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const fail = (e) => {
  say({ error: String(e && e.stack ? e.stack : e) });
  process.exit(1);
};

// Fedify looks up acct: over https only: for the pnyx node on loopback,
// the lookup goes over http (the one request rewritten; nothing else).
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(typeof input === "string" ? input : input.url ?? input.href);
  if (process.env.FEDI_DEBUG) console.error("fetch", url.href);
  if (url.protocol === "https:" && url.host === pnyx.host &&
      url.pathname === "/.well-known/webfinger") {
    url.protocol = "http:";
    return realFetch(url.href, init);
  }
  return realFetch(input, init);
};

const federation = createFederation({
  kv: new MemoryKvStore(),
  allowPrivateAddress: true,
});

const rsa = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const ed = await generateCryptoKeyPair("Ed25519");

federation.setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
  if (identifier !== "ana") return null;
  const keys = await ctx.getActorKeyPairs(identifier);
  return new Person({
    id: ctx.getActorUri(identifier),
    preferredUsername: identifier,
    name: "Ana, who reads the assembly",
    inbox: ctx.getInboxUri(identifier),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    publicKey: keys[0].cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
  });
}).setKeyPairsDispatcher(async (_ctx, identifier) =>
  identifier === "ana" ? [rsa, ed] : []
);

const waiters = { accept: [], post: [] };
const got = { accept: [], post: [] };
const arrive = (kind, value) => {
  got[kind].push(value);
  const w = waiters[kind].shift();
  if (w) w(got[kind].shift());
};
const next = (kind, ms, what) => {
  if (got[kind].length) return Promise.resolve(got[kind].shift());
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
    waiters[kind].push((v) => {
      clearTimeout(t);
      resolve(v);
    });
  });
};

federation.setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, async (_ctx, accept) => {
    const follow = await accept.getObject();
    arrive("accept", {
      accepted: accept.id?.href,
      actor: accept.actorId?.href,
      follow: follow?.id?.href,
    });
  })
  .on(Create, async (_ctx, create) => {
    const note = await create.getObject();
    if (!(note instanceof Note)) return;
    arrive("post", {
      post: note.content?.toString(),
      url: note.url?.href,
      attributedTo: note.attributionId?.href,
      activity: create.id?.href,
      actor: create.actorId?.href,
    });
  });

// node:http <-> the Request and Response Fedify speaks
const server = http.createServer(async (req, res) => {
  try {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url, `http://${req.headers.host}`);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    }
    const request = new Request(url, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
    });
    const response = await federation.fetch(request, { contextData: undefined });
    if (req.method === "POST" && url.pathname.endsWith("inbox")) {
      let type = null;
      try {
        type = JSON.parse(body.toString()).type;
      } catch { /* reported as null */ }
      say({ received: response.status, type });
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (e) {
    res.writeHead(500);
    res.end(String(e));
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;
const ctx = federation.createContext(new URL(origin), undefined);
const me = ctx.getActorUri("ana");
say({ ready: me.href });

const lines = readline.createInterface({ input: process.stdin });
const commands = [];
const commandWaiters = [];
lines.on("line", (l) => {
  const w = commandWaiters.shift();
  if (w) w(l.trim());
  else commands.push(l.trim());
});
const command = () =>
  commands.length ? Promise.resolve(commands.shift())
    : new Promise((r) => commandWaiters.push(r));

try {
  // WebFinger, then the actor document, as a fediverse user's search does
  const group = await ctx.lookupObject(`@${slug}@${pnyx.host}`);
  if (!group) throw new Error(`@${slug}@${pnyx.host} not found`);
  say({
    found: group.id?.href,
    type: group.constructor.name,
    inbox: group.inboxId?.href,
    name: group.name?.toString(),
  });

  const followId = new URL(`${origin}/follows/1`);
  await ctx.sendActivity(
    { identifier: "ana" },
    group,
    new Follow({ id: followId, actor: me, object: group.id }),
  );
  const accept = await next("accept", 20000, "Accept");
  say(accept);

  if ((await command()) !== "post") throw new Error("expected the command post");
  say(await next("post", 20000, "post"));

  if ((await command()) !== "undo") throw new Error("expected the command undo");
  await ctx.sendActivity(
    { identifier: "ana" },
    group,
    new Undo({
      id: new URL(`${origin}/follows/1/undo`),
      actor: me,
      object: new Follow({ id: followId, actor: me, object: group.id }),
    }),
    { preferSharedInbox: true },
  );
  say({ undone: true });
  server.close();
  process.exit(0);
} catch (e) {
  fail(e);
}

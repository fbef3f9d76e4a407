// The browser-side certificate verifier (SPEC §7); run with `node --test tests/js/`.
// Ledgers are built here with a test-only RFC 6962 tree (node:crypto hashes, independent of
// verify.mjs) and a fresh Ed25519 key; a small ledger signed by Python's `cryptography`
// (fixed test seed bytes 0..31) checks that the two languages agree byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  canonicalJSON, leafHash, rootFromInclusionProof, verifyTreeHead, checkCertificate,
} from "../../generator/static/verify.mjs";

const subtle = globalThis.crypto.subtle;
const NOW = new Date("2026-01-01T00:00:00Z");
const hex = (b) => Buffer.from(b).toString("hex");
const b64 = (b) => Buffer.from(b).toString("base64");
const clone = (v) => structuredClone(v);

// --- test-only RFC 6962 §2.1 Merkle tree -----------------------------------------------------
const sha = (...parts) => new Uint8Array(createHash("sha256").update(Buffer.concat(parts)).digest());
const leafOf = (entry) => sha(Buffer.from([0]), Buffer.from(canonicalJSON(entry), "utf8"));
const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };
function mth(leaves) {
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return sha(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function auditPath(m, leaves) {
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...auditPath(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...auditPath(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

async function newKey() {
  const pair = await subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const raw = new Uint8Array(await subtle.exportKey("raw", pair.publicKey));
  return { pair, pub: { algorithm: "Ed25519", public_key: b64(raw) } };
}
async function signHead(head, privateKey) {
  const sig = await subtle.sign({ name: "Ed25519" }, privateKey, new TextEncoder().encode(canonicalJSON(head)));
  return { ...head, signature: b64(new Uint8Array(sig)) };
}

const entryFor = (seq, over = {}) => ({
  seq, type: "issue", cert_id: `HN-2025-${String(seq).padStart(6, "0")}`, cadre_id: `C${seq}`,
  cadre_name: `干部${seq}`, skill_id: "village-finance", skill_title: "村级财务管理", level: 1 + (seq % 3),
  score: `${60 + seq}.5`, issued_at: "2025-03-01T08:00:00Z", expires_at: "2028-03-01T08:00:00Z",
  issuer: "乡镇", attempt_id: `A${seq}`, ...over,
});

/** A signed ledger over `entries`; cert(i) is what the site publishes for leaf i. */
async function ledger(entries, signer) {
  const leaves = entries.map(leafOf);
  const head = { tree_size: entries.length, root_hash: hex(mth(leaves)), timestamp: "2025-06-01T00:00:00Z" };
  const sth = await signHead(head, signer.pair.privateKey);
  const proof = (i) => ({ entry: clone(entries[i]), leaf_index: i, audit_path: auditPath(i, leaves).map(hex) });
  return { sth, leaves, proof, cert: (i) => ({ ...proof(i), sth: clone(sth) }) };
}

const KEY = await newKey();
const OTHER = await newKey();
const check = (cert, key = KEY.pub, now = NOW) => checkCertificate(cert, key, now);
async function assertForged(cert, reason, key = KEY.pub) {
  const r = await check(cert, key);
  assert.equal(r.status, "forged", JSON.stringify(r));
  assert.ok(r.reasons.includes(reason), `expected ${reason} in ${r.reasons}`);
  return r;
}

// --- canonical JSON against Python ---------------------------------------------------------
// [JSON input, python3 json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)]
const PYTHON_CANONICAL = [
  ["{\"b\": 1, \"a\": \"\\u4e2d\\u6587\\n\\\"x\\\"\\u0001\", \"c\": [true, null]}", "{\"a\":\"\u4e2d\u6587\\n\\\"x\\\"\\u0001\",\"b\":1,\"c\":[true,null]}"],
  ["{\"\\uffff\": 1, \"\\ud83d\\ude00\": 2, \"\\ue000\": 3, \"a\": 4, \"B\": 5, \"\\u00e9\": 6, \"\": 7}", "{\"\":7,\"B\":5,\"a\":4,\"\u00e9\":6,\"\ue000\":3,\"\uffff\":1,\"\ud83d\ude00\":2}"],
  ["[\"\\u0000\\b\\t\\n\\f\\r\\u001f\\u007f\\u2028/\\\\\", -12, 0, 9007199254740991, false, {}, [], \"\\ud83d\\ude00 emoji\"]", "[\"\\u0000\\b\\t\\n\\f\\r\\u001f\u007f\u2028/\\\\\",-12,0,9007199254740991,false,{},[],\"\ud83d\ude00 emoji\"]"],
  ["{\"z\": {\"y\": [{\"b\": null, \"a\": [1, [2, {}]]}]}, \"score\": \"87.5\", \"name\": \"\\u5f20\\u4e09\\u00b7\\u674e\"}", "{\"name\":\"\u5f20\u4e09\u00b7\u674e\",\"score\":\"87.5\",\"z\":{\"y\":[{\"a\":[1,[2,{}]],\"b\":null}]}}"],
  ["\"plain\"", "\"plain\""],
  ["null", "null"],
];

// A ledger of 6 entries built and signed by Python (cryptography, key seed bytes 0..31).
const PY = {
  key: {"algorithm": "Ed25519", "public_key": "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="},
  sth: {"tree_size": 6, "root_hash": "d7dcf3dbad94a0b58a80f61185c4967a19d8423da2aec83bd809b31db9936a0a", "timestamp": "2025-06-01T00:00:00Z", "signature": "8vKnvC0ya2okDZiWLCKMrsdE+Emb2Yoaq4YezDQcvgMq/ZrOi5KMQBVLpNBEX4us6vT8F7mVGdsYOJmwcrMlDA=="},
  entries: [
    {"seq": 0, "type": "issue", "cert_id": "HN-2025-000000", "cadre_id": "C000", "cadre_name": "\u5f20\u4e09", "skill_id": "village-finance", "skill_title": "\u6751\u7ea7\u8d22\u52a1\u7ba1\u7406", "level": 1, "score": "80.5", "issued_at": "2025-03-01T08:00:00Z", "expires_at": "2028-03-01T08:00:00Z", "issuer": "\u4e61\u9547", "attempt_id": "A0"},
    {"seq": 1, "type": "issue", "cert_id": "HN-2025-000001", "cadre_id": "C001", "cadre_name": "\u674e\u56db", "skill_id": "village-finance", "skill_title": "\u6751\u7ea7\u8d22\u52a1\u7ba1\u7406", "level": 1, "score": "81.5", "issued_at": "2025-03-01T08:00:00Z", "expires_at": "2028-03-01T08:00:00Z", "issuer": "\u4e61\u9547", "attempt_id": "A1"},
    {"seq": 2, "type": "issue", "cert_id": "HN-2025-000002", "cadre_id": "C002", "cadre_name": "\u738b\u4e94", "skill_id": "village-finance", "skill_title": "\u6751\u7ea7\u8d22\u52a1\u7ba1\u7406", "level": 1, "score": "82.5", "issued_at": "2025-03-01T08:00:00Z", "expires_at": "2028-03-01T08:00:00Z", "issuer": "\u4e61\u9547", "attempt_id": "A2"},
    {"seq": 3, "type": "issue", "cert_id": "HN-2025-000003", "cadre_id": "C003", "cadre_name": "\u8d75\u516d", "skill_id": "village-finance", "skill_title": "\u6751\u7ea7\u8d22\u52a1\u7ba1\u7406", "level": 1, "score": "83.5", "issued_at": "2025-03-01T08:00:00Z", "expires_at": "2028-03-01T08:00:00Z", "issuer": "\u4e61\u9547", "attempt_id": "A3"},
    {"seq": 4, "type": "issue", "cert_id": "HN-2025-000004", "cadre_id": "C004", "cadre_name": "\u94b1\u4e03", "skill_id": "village-finance", "skill_title": "\u6751\u7ea7\u8d22\u52a1\u7ba1\u7406", "level": 1, "score": "84.5", "issued_at": "2025-03-01T08:00:00Z", "expires_at": "2028-03-01T08:00:00Z", "issuer": "\u4e61\u9547", "attempt_id": "A4"},
    {"seq": 5, "type": "revoke", "cert_id": "HN-2025-000002", "reason": "\u821e\u5f0a\n\u590d\u6838"},
  ],
  paths: [
    ["0053eef9d13fe6510edcdceabc8f7f08a6b69aa31e93b9b0a58a68f50a48c668", "86bae31a52e97ab763d7cc399ca4ae6e96855c977f1ff8260bc6a13baab8e527", "9956aaf8279dc9748b2715225d1fd5562e1a8f176b75a151ec4b6997babeffa8"],
    ["9215208e3c5c171090ac009088cc2fef988c43d658da299db03d66e46edc99af", "86bae31a52e97ab763d7cc399ca4ae6e96855c977f1ff8260bc6a13baab8e527", "9956aaf8279dc9748b2715225d1fd5562e1a8f176b75a151ec4b6997babeffa8"],
    ["51b0349229fee3962b8f7896482df7a96cc6637788cc4ef6624b548db7752227", "656ad943d117a96346e75cf0296d0ab81b5eadf9dbe3d41e66e120d7dc57f117", "9956aaf8279dc9748b2715225d1fd5562e1a8f176b75a151ec4b6997babeffa8"],
    ["699bbf739ed25a85673765f91ce5a3e2a2e5b6ccd45a5bb57a61b0a9011b0ba3", "656ad943d117a96346e75cf0296d0ab81b5eadf9dbe3d41e66e120d7dc57f117", "9956aaf8279dc9748b2715225d1fd5562e1a8f176b75a151ec4b6997babeffa8"],
    ["fab59a918641bc756791cb8d8ca45534ed8a3f4a4cf41708cea399699dbb5502", "230e17049cb2a42dc41f9daf1b1a81a792e15471a09f85a2ce3fbff834b6a580"],
    ["2a35b285ef2641aa9feb0fd81fb007ace1379d1e3b76cf5c528fa1af945ec88a", "230e17049cb2a42dc41f9daf1b1a81a792e15471a09f85a2ce3fbff834b6a580"],
  ],
};
const PY_LEAF0 = "9215208e3c5c171090ac009088cc2fef988c43d658da299db03d66e46edc99af";

test("canonicalJSON matches Python's json.dumps byte for byte", () => {
  for (const [input, expected] of PYTHON_CANONICAL) assert.equal(canonicalJSON(JSON.parse(input)), expected);
  assert.equal(
    canonicalJSON({ b: 1, a: "中文\n\"x\"\u0001", c: [true, null] }),
    '{"a":"中文\\n\\"x\\"\\u0001","b":1,"c":[true,null]}',
  );
});

test("canonicalJSON refuses what Python would print differently", () => {
  for (const bad of [1.5, NaN, Infinity, 2 ** 53, undefined, () => 1, Symbol("s"), new Date(0), [undefined], { a: 0.1 }]) {
    assert.throws(() => canonicalJSON(bad), TypeError, String(bad));
  }
});

test("leafHash agrees with Python", async () => {
  assert.equal(hex(await leafHash(PY.entries[0])), PY_LEAF0);
  assert.equal(hex(await leafHash(PY.entries[0])), hex(leafOf(PY.entries[0])));
});

test("the test-only tree builder agrees with Python", () => {
  const leaves = PY.entries.map(leafOf);
  assert.equal(hex(mth(leaves)), PY.sth.root_hash);
  PY.paths.forEach((p, i) => assert.deepEqual(auditPath(i, leaves).map(hex), p));
});

test("a ledger signed by Python verifies", async () => {
  assert.equal(await verifyTreeHead(PY.sth, PY.key.public_key), true);
  const cert = (i) => ({ entry: PY.entries[i], leaf_index: i, audit_path: PY.paths[i], sth: PY.sth });
  for (const i of [0, 1, 3, 4]) assert.deepEqual(await check(cert(i), PY.key), { status: "valid", reasons: [], entry: PY.entries[i] });
  const revoked = { ...cert(2), revocation: { entry: PY.entries[5], leaf_index: 5, audit_path: PY.paths[5] } };
  assert.equal((await check(revoked, PY.key)).status, "revoked");
  assert.equal((await check(cert(0), PY.key, new Date("2028-03-01T08:00:01Z"))).status, "expired");
  await assertForged(cert(0), "signature", KEY.pub);
});

test("every leaf of trees of size 1..20 verifies as valid", async () => {
  for (let n = 1; n <= 20; n++) {
    const entries = Array.from({ length: n }, (_, i) => entryFor(i));
    const L = await ledger(entries, KEY);
    for (let i = 0; i < n; i++) {
      const cert = L.cert(i);
      const root = await rootFromInclusionProof(i, n, await leafHash(cert.entry), cert.audit_path.map((h) => Buffer.from(h, "hex")));
      assert.equal(hex(root), cert.sth.root_hash, `n=${n} i=${i}`);
      const r = await check(JSON.parse(JSON.stringify(cert)));
      assert.deepEqual(r, { status: "valid", reasons: [], entry: entries[i] }, `n=${n} i=${i}`);
    }
  }
});

test("tampering is caught and named", async () => {
  for (const n of [1, 2, 7, 16]) {
    const L = await ledger(Array.from({ length: n }, (_, i) => entryFor(i)), KEY);
    for (let i = 0; i < n; i++) {
      const at = `n=${n} i=${i}`;
      let c = L.cert(i); c.entry.score = "99.9";
      assert.deepEqual((await assertForged(c, "inclusion")).reasons, ["inclusion"], at);
      c = L.cert(i); c.entry.cadre_name = "冒名";
      assert.deepEqual((await assertForged(c, "inclusion")).reasons, ["inclusion"], at);
      c = L.cert(i); c.entry.expires_at = "2099-03-01T08:00:00Z";
      await assertForged(c, "inclusion");
      for (let k = 0; k < c.audit_path.length; k++) {
        c = L.cert(i);
        const bytes = Buffer.from(c.audit_path[k], "hex"); bytes[k % 32] ^= 1;
        c.audit_path[k] = bytes.toString("hex");
        await assertForged(c, "inclusion");
      }
      c = L.cert(i); c.audit_path.push("00".repeat(32));
      await assertForged(c, "inclusion");
      if (n > 1) {
        c = L.cert(i); c.audit_path.pop();
        await assertForged(c, "inclusion");
      }
      c = L.cert(i); c.leaf_index = (i + 1) % (n + 1);
      const r = await assertForged(c, "seq");
      assert.ok(r.reasons.includes("inclusion"), at);
      await assertForged(L.cert(i), "signature", OTHER.pub);
      c = L.cert(i); c.sth.root_hash = "ab".repeat(32);
      assert.deepEqual((await assertForged(c, "signature")).reasons, ["signature", "inclusion"], at);
      c = L.cert(i); c.sth.tree_size += 1;
      await assertForged(c, "signature");
      c = L.cert(i); c.sth.timestamp = "2025-06-02T00:00:00Z";
      assert.deepEqual((await assertForged(c, "signature")).reasons, ["signature"], at);
      c = L.cert(i); c.sth.signature = L.sth.signature.replace(/^./, (ch) => (ch === "A" ? "B" : "A"));
      assert.deepEqual((await assertForged(c, "signature")).reasons, ["signature"], at);
    }
  }
});

test("an STH re-signed by another key does not pass", async () => {
  const entries = Array.from({ length: 5 }, (_, i) => entryFor(i));
  entries[3].score = "100.0";
  const forged = await ledger(entries, OTHER);
  await assertForged(forged.cert(3), "signature");
  assert.equal((await check(forged.cert(3), OTHER.pub)).status, "valid");
});

test("an entry whose seq disagrees with its place is forged even with a good proof", async () => {
  const entries = Array.from({ length: 6 }, (_, i) => entryFor(i));
  entries[4] = entryFor(7);
  const L = await ledger(entries, KEY);
  assert.deepEqual((await assertForged(L.cert(4), "seq")).reasons, ["seq"]);
});

test("revocations", async () => {
  const entries = Array.from({ length: 9 }, (_, i) => entryFor(i));
  entries.push({ seq: 9, type: "revoke", cert_id: entries[3].cert_id, reason: "考试舞弊" });
  entries.push({ seq: 10, type: "revoke", cert_id: "HN-2025-999999", reason: "录入错误" });
  const L = await ledger(entries, KEY);
  const withRevocation = (i, j) => ({ ...L.cert(i), revocation: L.proof(j) });

  assert.deepEqual(await check(withRevocation(3, 9)), { status: "revoked", reasons: ["revoked"], entry: entries[3] });
  const late = new Date("2030-01-01T00:00:00Z");
  assert.equal((await check(withRevocation(3, 9), KEY.pub, late)).status, "revoked");
  assert.equal((await check({ ...L.cert(3), revocation: null })).status, "valid");

  let c = withRevocation(3, 9); c.revocation.entry.reason = "别的理由";
  assert.deepEqual((await assertForged(c, "revocation-proof")).reasons, ["revocation-proof"]);
  c = withRevocation(3, 9); c.revocation.leaf_index = 8;
  await assertForged(c, "revocation-proof");
  c = withRevocation(3, 9); c.revocation.audit_path[0] = "11".repeat(32);
  await assertForged(c, "revocation-proof");
  c = withRevocation(4, 9);
  assert.deepEqual((await assertForged(c, "revocation-cert")).reasons, ["revocation-cert"]);
  c = withRevocation(3, 10);
  await assertForged(c, "revocation-cert");
  c = withRevocation(3, 9); c.revocation.entry.type = "issue";
  await assertForged(c, "malformed");

  const odd = [...entries.slice(0, 9), { seq: 12, type: "revoke", cert_id: entries[3].cert_id, reason: "x" }];
  const M = await ledger(odd, KEY);
  assert.deepEqual((await assertForged({ ...M.cert(3), revocation: M.proof(9) }, "revocation-proof")).reasons, ["revocation-proof"]);
});

test("expiry", async () => {
  const entries = [entryFor(0, { expires_at: "2024-03-01T08:00:00Z" }), entryFor(1), entryFor(2, { expires_at: "2026-01-01T00:00:00Z" })];
  const L = await ledger(entries, KEY);
  assert.deepEqual(await check(L.cert(0)), { status: "expired", reasons: ["expired"], entry: entries[0] });
  assert.equal((await check(L.cert(1))).status, "valid");
  assert.equal((await check(L.cert(1), KEY.pub, new Date("2028-03-01T08:00:01Z"))).status, "expired");
  assert.equal((await check(L.cert(2))).status, "valid", "expires_at == now is not yet expired");
  assert.equal((await checkCertificate(L.cert(1), KEY.pub)).status, "valid", "default now");
});

test("malformed input is forged, never thrown", async () => {
  const L = await ledger(Array.from({ length: 3 }, (_, i) => entryFor(i)), KEY);
  const good = () => L.cert(1);
  const bad = [
    null, undefined, {}, [], "cert", 42, true, { entry: null },
    (() => { const c = good(); delete c.entry.score; return c; })(),
    (() => { const c = good(); c.entry.score = 88.5; return c; })(),
    (() => { const c = good(); c.entry.seq = "1"; return c; })(),
    (() => { const c = good(); c.entry.type = "revoke"; return c; })(),
    (() => { const c = good(); c.entry.expires_at = "next year"; return c; })(),
    (() => { const c = good(); c.entry.cadre_name = ["x"]; return c; })(),
    (() => { const c = good(); c.entry.extra = 1.25; return c; })(),
    (() => { const c = good(); delete c.leaf_index; return c; })(),
    (() => { const c = good(); c.leaf_index = -1; return c; })(),
    (() => { const c = good(); c.leaf_index = 1.5; return c; })(),
    (() => { const c = good(); c.audit_path = "abc"; return c; })(),
    (() => { const c = good(); c.audit_path[0] = "zz"; return c; })(),
    (() => { const c = good(); c.audit_path[0] = c.audit_path[0].slice(2); return c; })(),
    (() => { const c = good(); c.audit_path.push(null); return c; })(),
    (() => { const c = good(); delete c.sth; return c; })(),
    (() => { const c = good(); c.sth.tree_size = "3"; return c; })(),
    (() => { const c = good(); c.sth.root_hash = "xyz"; return c; })(),
    (() => { const c = good(); c.sth.root_hash = c.sth.root_hash.toUpperCase(); return c; })(),
    (() => { const c = good(); c.sth.root_hash = [c.sth.root_hash]; return c; })(),
    (() => { const c = good(); delete c.sth.signature; return c; })(),
    (() => { const c = good(); c.revocation = { entry: {} }; return c; })(),
    (() => { const c = good(); c.revocation = "yes"; return c; })(),
  ];
  for (const cert of bad) {
    const r = await check(cert);
    assert.equal(r.status, "forged", JSON.stringify(cert));
    assert.deepEqual(r.reasons, ["malformed"], JSON.stringify(cert));
  }
  for (const key of [null, undefined, {}, "key", { algorithm: "RSA", public_key: KEY.pub.public_key },
    { algorithm: "Ed25519", public_key: "not base64!" }, { algorithm: "Ed25519", public_key: b64(new Uint8Array(31)) }]) {
    assert.deepEqual((await checkCertificate(good(), key, NOW)).reasons, ["signature"], JSON.stringify(key));
  }
  assert.deepEqual((await check(good(), KEY.pub, "not a date")).reasons, ["malformed"]);
});

test("rootFromInclusionProof rejects malformed proofs", async () => {
  const leaves = Array.from({ length: 5 }, (_, i) => leafOf(entryFor(i)));
  const path = auditPath(2, leaves);
  assert.equal(hex(await rootFromInclusionProof(2, 5, leaves[2], path)), hex(mth(leaves)));
  assert.equal(hex(await rootFromInclusionProof(0, 1, leaves[0], [])), hex(leaves[0]));
  for (const [i, n, leaf, p] of [
    [5, 5, leaves[2], path], [6, 5, leaves[2], path], [-1, 5, leaves[2], path], [0, 0, leaves[0], []],
    [2.5, 5, leaves[2], path], [2, "5", leaves[2], path], [2, 5, leaves[2], path.slice(1)],
    [2, 5, leaves[2], [...path, leaves[0]]], [2, 5, leaves[2], [path[0].slice(1), ...path.slice(1)]],
    [2, 5, leaves[2].slice(1), path], [2, 5, leaves[2], null], [2, 5, leaves[2], ["00".repeat(32), ...path.slice(1)]],
    [0, 1, leaves[0], [leaves[1]]],
  ]) {
    assert.equal(await rootFromInclusionProof(i, n, leaf, p), null, `${i}/${n}/${p?.length}`);
  }
});

test("verifyTreeHead is false on any error, never throws", async () => {
  const L = await ledger([entryFor(0), entryFor(1)], KEY);
  assert.equal(await verifyTreeHead(L.sth, KEY.pub.public_key), true);
  assert.equal(await verifyTreeHead(L.sth, OTHER.pub.public_key), false);
  for (const [sth, key] of [
    [null, KEY.pub.public_key], [undefined, KEY.pub.public_key], [{}, KEY.pub.public_key], [L.sth, null],
    [L.sth, "%%%"], [L.sth, b64(new Uint8Array(33))], [{ ...L.sth, signature: "AAAA" }, KEY.pub.public_key],
    [{ ...L.sth, signature: 7 }, KEY.pub.public_key], [{ ...L.sth, tree_size: 3 }, KEY.pub.public_key],
    [{ ...L.sth, tree_size: 2.0000001 }, KEY.pub.public_key],
    [{ ...L.sth, signature: ` ${L.sth.signature}` }, KEY.pub.public_key], [{ ...L.sth, signature: L.sth.signature.replace(/=+$/, "") }, KEY.pub.public_key],
    [{ ...L.sth, root_hash: L.sth.root_hash.toUpperCase() }, KEY.pub.public_key], [{ ...L.sth, root_hash: [L.sth.root_hash] }, KEY.pub.public_key],
  ]) {
    assert.equal(await verifyTreeHead(sth, key), false);
  }
});

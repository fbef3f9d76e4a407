// Certificate verification in the browser (SPEC §7): canonical JSON, RFC 6962 leaf hashes,
// RFC 9162 §2.1.3.2 inclusion proofs and the Ed25519-signed tree head. No dependencies;
// runs in browsers (also from file://) and in Node 20 through globalThis.crypto.subtle.

const webCrypto = () => globalThis.crypto.subtle;
const utf8Bytes = (s) => new TextEncoder().encode(s);
const SHORT = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

function jsonString(s) {
  // Python's json with ensure_ascii=False escapes only '"', '\\' and U+0000..U+001F.
  return `"${s.replace(/["\\\u0000-\u001f]/g, (ch) => SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

function byCodePoint(a, b) {
  // Python sorts str keys by code point; JS's default sort compares UTF-16 units.
  const x = Array.from(a, (c) => c.codePointAt(0));
  const y = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** The string Python's json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) gives. */
export function canonicalJSON(value) {
  if (value === null) return "null";
  if (value === true || value === false) return String(value);
  if (typeof value === "string") return jsonString(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    // Only integers: Python would print a float differently ("1.0", "1e+16").
    if (!Number.isSafeInteger(value)) throw new TypeError(`not a safe integer: ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(",")}]`;
  if (isPlain(value)) {
    const keys = Object.keys(value).sort(byCodePoint);
    return `{${keys.map((k) => `${jsonString(k)}:${canonicalJSON(value[k])}`).join(",")}}`;
  }
  throw new TypeError(`cannot encode ${typeof value}`);
}

// A JSON object (also from another realm, e.g. an iframe): not null, not an array, not a Date.
const isPlain = (v) => Object.prototype.toString.call(v) === "[object Object]";

const sha256 = async (...parts) => {
  const buf = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (buf.set(p, at), at + p.length), 0);
  return new Uint8Array(await webCrypto().digest("SHA-256", buf));
};
const [LEAF_PREFIX, NODE_PREFIX] = [Uint8Array.of(0), Uint8Array.of(1)];

/** SHA-256(0x00 ‖ UTF-8(canonicalJSON(entry))). */
export async function leafHash(entry) {
  return sha256(LEAF_PREFIX, utf8Bytes(canonicalJSON(entry)));
}

/** RFC 9162 §2.1.3.2: the root implied by the proof, or null when the proof is malformed. */
export async function rootFromInclusionProof(leafIndex, treeSize, leaf, auditPath) {
  const isHash = (h) => h instanceof Uint8Array && h.length === 32;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) return null;
  if (leafIndex < 0 || leafIndex >= treeSize || !isHash(leaf) || !Array.isArray(auditPath)) return null;
  let [fn, sn, r] = [leafIndex, treeSize - 1, leaf];
  const half = (n) => Math.floor(n / 2); // not >>: indices may exceed 2^31
  for (const p of auditPath) {
    if (!isHash(p) || sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(NODE_PREFIX, p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = await sha256(NODE_PREFIX, r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 ? r : null;
}

const HEX64 = /^[0-9a-f]{64}$/; // only the lowercase hex the signer writes, as the Python verifier
const isHex = (s) => typeof s === "string" && HEX64.test(s);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const hexBytes = (s) => Uint8Array.from(s.match(/../g), (b) => parseInt(b, 16));
const b64Bytes = (s) => (BASE64.test(s) ? Uint8Array.from(atob(s), (c) => c.charCodeAt(0)) : new Uint8Array());
const sameBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Does the Ed25519 signature (base64) cover canonicalJSON({tree_size, root_hash, timestamp})? */
export async function verifyTreeHead(sth, publicKeyB64) {
  try {
    const { tree_size, root_hash, timestamp, signature } = sth;
    if (!isIndex(tree_size) || !isHex(root_hash) || typeof timestamp !== "string") return false;
    if (typeof signature !== "string" || typeof publicKeyB64 !== "string") return false;
    const raw = b64Bytes(publicKeyB64);
    const sig = b64Bytes(signature);
    if (raw.length !== 32 || sig.length !== 64) return false;
    const key = await webCrypto().importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
    const message = utf8Bytes(canonicalJSON({ tree_size, root_hash, timestamp }));
    return await webCrypto().verify({ name: "Ed25519" }, key, sig, message);
  } catch {
    return false;
  }
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const isTime = (s) => typeof s === "string" && RFC3339.test(s) && !Number.isNaN(Date.parse(s));
const isIndex = (n) => Number.isSafeInteger(n) && n >= 0;
const isId = (v) => typeof v === "string" || Number.isSafeInteger(v);
const ENTRY_STRINGS = ["cert_id", "cadre_name", "skill_id", "skill_title", "score", "issuer"];

function wellFormedProof(p) {
  return isPlain(p) && isPlain(p.entry) && isIndex(p.entry.seq) && typeof p.entry.cert_id === "string" &&
    isIndex(p.leaf_index) && Array.isArray(p.audit_path) && p.audit_path.every(isHex);
}

function wellFormed(cert) {
  if (!isPlain(cert) || !wellFormedProof(cert)) return false;
  const { entry: e, sth, revocation: rv } = cert;
  if (!["issue", "renew"].includes(e.type) || !ENTRY_STRINGS.every((k) => typeof e[k] === "string")) return false;
  if (!isId(e.cadre_id) || !isId(e.level) || !(isId(e.attempt_id) || e.attempt_id === null)) return false;
  if (!isTime(e.issued_at) || !isTime(e.expires_at)) return false;
  if (!isPlain(sth) || !isIndex(sth.tree_size) || !isHex(sth.root_hash)) return false;
  if (typeof sth.timestamp !== "string" || typeof sth.signature !== "string") return false;
  return rv == null || (wellFormedProof(rv) && rv.entry.type === "revoke" && typeof rv.entry.reason === "string");
}

async function provesInclusion(p, sth) {
  const root = await rootFromInclusionProof(p.leaf_index, sth.tree_size, await leafHash(p.entry), p.audit_path.map(hexBytes));
  return root !== null && sameBytes(root, hexBytes(sth.root_hash));
}

/** {status: "valid" | "expired" | "revoked" | "forged", reasons, entry}; never throws. */
export async function checkCertificate(cert, key, now = new Date()) {
  const entry = isPlain(cert) && isPlain(cert.entry) ? cert.entry : null;
  const forged = (reasons) => ({ status: "forged", reasons, entry });
  try {
    if (!wellFormed(cert)) return forged(["malformed"]);
    const reasons = [];
    const keyOk = isPlain(key) && key.algorithm === "Ed25519";
    if (!keyOk || !(await verifyTreeHead(cert.sth, key.public_key))) reasons.push("signature");
    if (!(await provesInclusion(cert, cert.sth))) reasons.push("inclusion");
    if (entry.seq !== cert.leaf_index) reasons.push("seq");
    const rv = cert.revocation ?? null;
    if (rv) {
      if (rv.entry.seq !== rv.leaf_index || !(await provesInclusion(rv, cert.sth))) reasons.push("revocation-proof");
      if (rv.entry.cert_id !== entry.cert_id) reasons.push("revocation-cert");
    }
    if (reasons.length) return forged(reasons);
    if (rv) return { status: "revoked", reasons: ["revoked"], entry };
    const at = now instanceof Date ? now.getTime() : new Date(now).getTime();
    if (Number.isNaN(at)) return forged(["malformed"]);
    if (Date.parse(entry.expires_at) < at) return { status: "expired", reasons: ["expired"], entry };
    return { status: "valid", reasons: [], entry };
  } catch {
    return forged(["malformed"]);
  }
}

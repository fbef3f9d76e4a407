// cadre (built from generator/static/*.mjs)
(function(){
"use strict";
const MESSAGES = {"cert_expired":"证书已过期","cert_forged":"✗ 证书无法验证:可能被伪造或篡改","cert_forged_why":"没有通过的检查:{reasons}。请以县培训办公布的证书名册为准。","cert_not_found":"没有找到编号为 {id} 的证书。","cert_open_file":"直接打开的网页不能按编号读取证书;请选择证书文件,或粘贴证书内容。","cert_revoked":"✗ 证书已被吊销","cert_summary":"{name} · {skill} · {id} · 有效期至 {expires}","cert_valid":"✓ 证书有效","check_answer":"提交答案","choose":"请选择","correct_answer":"正确答案:","exam_back":"返回考试列表","exam_cadre_id":"工号","exam_certificate":"证书编号 {id},有效期至 {expires}。","exam_certificate_link":"查看公开证书(下次发布后可见)","exam_confirm_start":"现在开始“{title} · {level}”考试吗?开始后计时 {minutes} 分钟,中途不能暂停。","exam_confirm_submit":"确定交卷吗?交卷后不能再修改。","exam_earned":"得 {earned} / {points} 分","exam_failed":"{score} 分,未通过(合格分 {mark} 分)。","exam_hello":"{name},请选择考试","exam_in_progress":"正在考试","exam_meta":"限时 {minutes} 分钟 · 还可考 {left} 次","exam_no_server":"这里连接不到考试服务器。在线考试要在培训办公布的考试网址上参加(由 cadre serve 提供);学习和练习不需要服务器。","exam_none":"现在没有可以参加的考试。","exam_offline":"网络断开了,答案暂存在本机,恢复网络后会自动保存。","exam_offline_submit":"网络断开,交卷没有成功。请恢复网络后再点“交卷”;截止时间前的答案都会保留。","exam_passed":"{score} 分,通过!","exam_pin":"PIN 码","exam_points":"{n} 分","exam_result":"考试结果","exam_saved":"答案已保存({time})","exam_sign_in":"登录","exam_sign_out":"退出登录","exam_start":"开始考试","exam_submit":"交卷","exam_time_left":"剩余时间 {m}:{s}","false_label":"错","match_for":"第 {n} 项对应","move_down":"下移","move_up":"上移","next_question":"下一题","partly_right":"部分正确,得 {earned} / {points} 分","practised_best":"已练习 · 最好 {score} 分","practised_required":"已练习 {done} / {total} 项必修技能","question_n_of_m":"第 {n} 题 / 共 {m} 题","reason_inclusion":"证书内容与账本不符(可能被改动过)","reason_malformed":"不是完整的证书文件","reason_revocation_cert":"吊销记录属于另一张证书","reason_revocation_proof":"吊销记录的证明不符","reason_seq":"账本序号不符","reason_signature":"培训办的签名不符","retry_wrong":"重做答错的 {n} 题","right":"回答正确","right_count":"答对 {right} 题,共 {total} 题。","score_points":"{score} 分","search_count":"找到 {n} 个页面包含“{q}”。","search_failed":"搜索索引没有加载成功,请刷新页面再试。","search_loading":"正在查找……","search_none":"没有找到包含“{q}”的页面。换个说法试试,比如只输入两三个字。","search_too_short":"请输入至少两个汉字,或一个完整的词。","see_score":"查看得分","start_over":"全部重新练习","true_label":"对","type_fill":"填空题","type_match":"连线题(为每一项选择对应内容)","type_multiple":"多选题(选出所有正确答案)","type_numeric":"数值题","type_order":"排序题(用 ↑ ↓ 调整顺序)","type_single":"单选题","type_truefalse":"判断题","wrong":"回答错误","your_answer":"你的答案","your_score":"练习结果"};
function format(message, fields = {}) {
return String(message ?? "").replace(/\{(\w+)\}/g, (_, key) => String(fields[key] ?? ""));
}
const webCrypto = () => globalThis.crypto.subtle;
const utf8Bytes = (s) => new TextEncoder().encode(s);
const SHORT = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };
function jsonString(s) {
return `"${s.replace(/["\\\u0000-\u001f]/g, (ch) => SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}
function byCodePoint(a, b) {
const x = Array.from(a, (c) => c.codePointAt(0));
const y = Array.from(b, (c) => c.codePointAt(0));
for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
return x.length - y.length;
}
/** The string Python's json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) gives. */
function canonicalJSON(value) {
if (value === null) return "null";
if (value === true || value === false) return String(value);
if (typeof value === "string") return jsonString(value);
if (typeof value === "bigint") return value.toString();
if (typeof value === "number") {
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
const isPlain = (v) => Object.prototype.toString.call(v) === "[object Object]";
const sha256 = async (...parts) => {
const buf = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
parts.reduce((at, p) => (buf.set(p, at), at + p.length), 0);
return new Uint8Array(await webCrypto().digest("SHA-256", buf));
};
const [LEAF_PREFIX, NODE_PREFIX] = [Uint8Array.of(0), Uint8Array.of(1)];
/** SHA-256(0x00 ‖ UTF-8(canonicalJSON(entry))). */
async function leafHash(entry) {
return sha256(LEAF_PREFIX, utf8Bytes(canonicalJSON(entry)));
}
/** RFC 9162 §2.1.3.2: the root implied by the proof, or null when the proof is malformed. */
async function rootFromInclusionProof(leafIndex, treeSize, leaf, auditPath) {
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
async function verifyTreeHead(sth, publicKeyB64) {
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
async function checkCertificate(cert, key, now = new Date()) {
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
function data(id) {
const node = document.getElementById(id);
return node ? JSON.parse(node.textContent) : null;
}
async function judge(cert, context) {
const result = await checkCertificate(cert, context.key);
if (result.status === "valid" || result.status === "expired") {
const id = cert && cert.entry && cert.entry.cert_id;
if (context.revoked.includes(id)) return { ...result, status: "revoked", reasons: ["revoked-in-registry"] };
}
return result;
}
function render(box, result) {
const entry = result.entry || {};
const text = {
valid: MESSAGES.cert_valid,
expired: MESSAGES.cert_expired,
revoked: MESSAGES.cert_revoked,
forged: MESSAGES.cert_forged,
}[result.status];
box.className = `verdict-box ${result.status}`;
box.dataset.status = result.status;
box.replaceChildren();
const title = document.createElement("p");
title.className = "verdict-title";
title.textContent = text;
box.append(title);
if (result.status !== "forged" && entry.cert_id) {
const who = document.createElement("p");
who.textContent = format(MESSAGES.cert_summary, {
name: entry.cadre_name, skill: entry.skill_title, id: entry.cert_id, expires: String(entry.expires_at).slice(0, 10),
});
box.append(who);
} else if (result.status === "forged") {
const why = document.createElement("p");
const reasons = result.reasons.map((code) => MESSAGES[`reason_${code.replace(/-/g, "_")}`] || code);
why.textContent = format(MESSAGES.cert_forged_why, { reasons: reasons.join(";") });
box.append(why);
}
}
async function initRegistry() {
const context = data("registry-context");
if (!context) return;
const own = data("certificate-data");
const box = document.getElementById("verdict");
if (own && box) render(box, await judge(own, context));
const form = document.getElementById("verify-form");
if (!form) return;
const out = document.getElementById("verify-result");
const check = async (text) => {
let cert = null;
try {
cert = JSON.parse(text);
} catch {
cert = null;
}
render(out, await judge(cert, context));
out.hidden = false;
};
form.addEventListener("submit", async (event) => {
event.preventDefault();
const id = form.elements.cert_id.value.trim();
const pasted = form.elements.json.value.trim();
if (pasted) return check(pasted);
if (!id) return;
try {
const response = await fetch(`../certs/${encodeURIComponent(id)}.json`);
if (!response.ok) throw new Error(String(response.status));
check(await response.text());
} catch {
out.hidden = false;
out.className = "verdict-box forged";
out.textContent = location.protocol === "file:" ? MESSAGES.cert_open_file : format(MESSAGES.cert_not_found, { id });
}
});
form.elements.file.addEventListener("change", async () => {
const file = form.elements.file.files[0];
if (file) check(await file.text());
});
const wanted = new URLSearchParams(location.search).get("id");
if (wanted) {
form.elements.cert_id.value = wanted;
form.requestSubmit();
}
}
initRegistry();
})();

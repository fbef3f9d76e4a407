// cadre (built from generator/static/*.mjs)
(function(){
"use strict";
const MESSAGES = {"cert_expired":"证书已过期","cert_forged":"✗ 证书无法验证:可能被伪造或篡改","cert_forged_why":"没有通过的检查:{reasons}。请以县培训办公布的证书名册为准。","cert_not_found":"没有找到编号为 {id} 的证书。","cert_open_file":"直接打开的网页不能按编号读取证书;请选择证书文件,或粘贴证书内容。","cert_revoked":"✗ 证书已被吊销","cert_summary":"{name} · {skill} · {id} · 有效期至 {expires}","cert_valid":"✓ 证书有效","check_answer":"提交答案","choose":"请选择","correct_answer":"正确答案:","exam_back":"返回考试列表","exam_cadre_id":"工号","exam_certificate":"证书编号 {id},有效期至 {expires}。","exam_certificate_link":"查看公开证书(下次发布后可见)","exam_confirm_start":"现在开始“{title} · {level}”考试吗?开始后计时 {minutes} 分钟,中途不能暂停。","exam_confirm_submit":"确定交卷吗?交卷后不能再修改。","exam_earned":"得 {earned} / {points} 分","exam_failed":"{score} 分,未通过(合格分 {mark} 分)。","exam_hello":"{name},请选择考试","exam_in_progress":"正在考试","exam_meta":"限时 {minutes} 分钟 · 还可考 {left} 次","exam_no_server":"这里连接不到考试服务器。在线考试要在培训办公布的考试网址上参加(由 cadre serve 提供);学习和练习不需要服务器。","exam_none":"现在没有可以参加的考试。","exam_offline":"网络断开了,答案暂存在本机,恢复网络后会自动保存。","exam_offline_submit":"网络断开,交卷没有成功。请恢复网络后再点“交卷”;截止时间前的答案都会保留。","exam_passed":"{score} 分,通过!","exam_pin":"PIN 码","exam_points":"{n} 分","exam_result":"考试结果","exam_saved":"答案已保存({time})","exam_sign_in":"登录","exam_sign_out":"退出登录","exam_start":"开始考试","exam_submit":"交卷","exam_time_left":"剩余时间 {m}:{s}","false_label":"错","match_for":"第 {n} 项对应","move_down":"下移","move_up":"上移","next_question":"下一题","partly_right":"部分正确,得 {earned} / {points} 分","practised_best":"已练习 · 最好 {score} 分","practised_required":"已练习 {done} / {total} 项必修技能","question_n_of_m":"第 {n} 题 / 共 {m} 题","reason_inclusion":"证书内容与账本不符(可能被改动过)","reason_malformed":"不是完整的证书文件","reason_revocation_cert":"吊销记录属于另一张证书","reason_revocation_proof":"吊销记录的证明不符","reason_seq":"账本序号不符","reason_signature":"培训办的签名不符","retry_wrong":"重做答错的 {n} 题","right":"回答正确","right_count":"答对 {right} 题,共 {total} 题。","score_points":"{score} 分","search_count":"找到 {n} 个页面包含“{q}”。","search_failed":"搜索索引没有加载成功,请刷新页面再试。","search_loading":"正在查找……","search_none":"没有找到包含“{q}”的页面。换个说法试试,比如只输入两三个字。","search_too_short":"请输入至少两个汉字,或一个完整的词。","see_score":"查看得分","start_over":"全部重新练习","true_label":"对","type_fill":"填空题","type_match":"连线题(为每一项选择对应内容)","type_multiple":"多选题(选出所有正确答案)","type_numeric":"数值题","type_order":"排序题(用 ↑ ↓ 调整顺序)","type_single":"单选题","type_truefalse":"判断题","wrong":"回答错误","your_answer":"你的答案","your_score":"练习结果"};
function format(message, fields = {}) {
return String(message ?? "").replace(/\{(\w+)\}/g, (_, key) => String(fields[key] ?? ""));
}
const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;
const WORD = /[a-z0-9]+/g;
const MAX_TERMS = 4;
const MAX_VERIFY = 40;
function normaliseQuery(text) {
return String(text).normalize("NFKC").toLowerCase();
}
/** FNV-1a over code points, the twin of search.py's shard_of. */
function shardOf(term, shards) {
let h = 2166136261;
for (const ch of term) {
h ^= ch.codePointAt(0);
h = Math.imul(h, 16777619) >>> 0;
}
return h % shards;
}
/** The query's parts (Chinese runs of 2+ characters, Latin words) and the terms to look up. */
function parseQuery(query) {
const text = normaliseQuery(query);
const parts = [];
for (const run of text.match(CJK_RUN) || []) if (run.length >= 2) parts.push(run);
for (const word of text.replace(CJK_RUN, " ").match(WORD) || []) if (word.length > 1 || /\d/.test(word)) parts.push(word);
const terms = [];
for (const part of parts) {
if (/^[a-z0-9]+$/.test(part)) terms.push(part);
else {
const grams = [];
for (let i = 0; i + 1 < part.length; i++) grams.push(part.slice(i, i + 2));
const step = Math.max(1, Math.ceil(grams.length / MAX_TERMS));
for (let i = 0; i < grams.length; i += step) terms.push(grams[i]);
if (!terms.includes(grams[grams.length - 1])) terms.push(grams[grams.length - 1]);
}
}
return { parts, terms: [...new Set(terms)] };
}
function escapeHtml(text) {
return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
function countIn(haystack, needle) {
let n = 0;
for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) n++;
return n;
}
/** A snippet around the first match, with every match marked. */
function snippet(text, parts, width = 60) {
const low = normaliseQuery(text);
let first = -1;
for (const p of parts) {
const at = low.indexOf(p);
if (at >= 0 && (first < 0 || at < first)) first = at;
}
const start = Math.max(0, first - width / 2);
const piece = text.slice(start, start + width * 2);
const lowPiece = normaliseQuery(piece);
const marks = [];
for (const p of parts) {
for (let at = lowPiece.indexOf(p); at >= 0; at = lowPiece.indexOf(p, at + p.length)) marks.push([at, at + p.length]);
}
marks.sort((a, b) => a[0] - b[0]);
let html = "";
let pos = 0;
for (const [a, b] of marks) {
if (a < pos) continue;
html += escapeHtml(piece.slice(pos, a)) + "<mark>" + escapeHtml(piece.slice(a, b)) + "</mark>";
pos = b;
}
html += escapeHtml(piece.slice(pos));
return (start > 0 ? "…" : "") + html + (start + width * 2 < text.length ? "…" : "");
}
/** Rank verified documents: a match in the title first, then more matches in the text. */
function rank(docs, parts) {
const scored = [];
for (const [id, [url, title, text]] of docs) {
const lowTitle = normaliseQuery(title);
const lowText = normaliseQuery(text);
if (!parts.every((p) => lowTitle.includes(p) || lowText.includes(p))) continue;
const inTitle = parts.filter((p) => lowTitle.includes(p)).length;
const count = parts.reduce((n, p) => n + countIn(lowText, p), 0);
scored.push({ id, url, title, text, score: inTitle * 1000 + count });
}
return scored.sort((a, b) => b.score - a.score || a.id - b.id);
}
function initSearch() {
const form = document.getElementById("search-form");
if (!form) return;
const out = document.getElementById("search-results");
const base = form.dataset.index;
const root = form.dataset.root;
const loaded = new Map();
const state = { meta: null, shards: new Map(), docs: new Map() };
window.cadreSearch = {
meta: (m) => { state.meta = m; },
shard: (k, data) => { state.shards.set(k, data); },
doc: (id, d) => { state.docs.set(id, d); },
};
const load = (name) => {
if (!loaded.has(name)) {
loaded.set(name, new Promise((resolve, reject) => {
const s = document.createElement("script");
s.src = `${base}${name}.js`;
s.onload = resolve;
s.onerror = () => reject(new Error(name));
document.head.append(s);
}));
}
return loaded.get(name);
};
async function search(query) {
const { parts, terms } = parseQuery(query);
if (!parts.length) {
out.replaceChildren(message(query.trim() ? MESSAGES.search_too_short : ""));
return;
}
out.replaceChildren(message(MESSAGES.search_loading));
try {
await load("meta");
const shards = state.meta.shards;
await Promise.all([...new Set(terms.map((t) => shardOf(t, shards)))].map((k) => load(`s${k}`)));
let candidates = null;
for (const term of terms) {
const list = state.shards.get(shardOf(term, shards))[term];
const docs = new Map();
for (const item of list ? list.split(",") : []) {
const [id, rest] = item.split(".");
docs.set(parseInt(id, 16), (rest.endsWith("t") ? 1000 : 0) + parseInt(rest, 10));
}
candidates = candidates === null ? docs : new Map([...candidates].filter(([id]) => docs.has(id)).map(([id, s]) => [id, s + docs.get(id)]));
}
const best = [...candidates].sort((a, b) => b[1] - a[1]).slice(0, MAX_VERIFY).map(([id]) => id);
await Promise.all(best.map((id) => load(`d${id.toString(16)}`)));
const results = rank(best.map((id) => [id, state.docs.get(id)]), parts);
render(results, parts, query);
} catch {
out.replaceChildren(message(MESSAGES.search_failed));
}
}
function message(text) {
const p = document.createElement("p");
p.className = "muted";
p.textContent = text;
return p;
}
function render(results, parts, query) {
const list = document.createElement("ol");
list.className = "results";
for (const r of results) {
const li = document.createElement("li");
const a = document.createElement("a");
a.href = `${root}${r.url.split("/").map(encodeURIComponent).join("/")}index.html`;
a.innerHTML = snippet(r.title, parts, 40).replace(/^…|…$/g, "");
const p = document.createElement("p");
p.className = "snippet";
p.innerHTML = snippet(r.text, parts);
li.append(a, p);
list.append(li);
}
out.replaceChildren(message(format(results.length ? MESSAGES.search_count : MESSAGES.search_none, { n: results.length, q: query })), list);
}
const params = new URLSearchParams(location.search);
const q = params.get("q") || "";
form.elements.q.value = q;
if (q) search(q);
form.addEventListener("submit", (event) => {
event.preventDefault();
const value = form.elements.q.value;
history.replaceState(null, "", `?q=${encodeURIComponent(value)}`);
search(value);
});
}
initSearch();
})();

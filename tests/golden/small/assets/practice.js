// cadre (built from generator/static/*.mjs)
(function(){
"use strict";
const MESSAGES = {"cert_expired":"证书已过期","cert_forged":"✗ 证书无法验证:可能被伪造或篡改","cert_forged_why":"没有通过的检查:{reasons}。请以县培训办公布的证书名册为准。","cert_not_found":"没有找到编号为 {id} 的证书。","cert_open_file":"直接打开的网页不能按编号读取证书;请选择证书文件,或粘贴证书内容。","cert_revoked":"✗ 证书已被吊销","cert_summary":"{name} · {skill} · {id} · 有效期至 {expires}","cert_valid":"✓ 证书有效","check_answer":"提交答案","choose":"请选择","correct_answer":"正确答案:","exam_back":"返回考试列表","exam_cadre_id":"工号","exam_certificate":"证书编号 {id},有效期至 {expires}。","exam_certificate_link":"查看公开证书(下次发布后可见)","exam_confirm_start":"现在开始“{title} · {level}”考试吗?开始后计时 {minutes} 分钟,中途不能暂停。","exam_confirm_submit":"确定交卷吗?交卷后不能再修改。","exam_earned":"得 {earned} / {points} 分","exam_failed":"{score} 分,未通过(合格分 {mark} 分)。","exam_hello":"{name},请选择考试","exam_in_progress":"正在考试","exam_meta":"限时 {minutes} 分钟 · 还可考 {left} 次","exam_no_server":"这里连接不到考试服务器。在线考试要在培训办公布的考试网址上参加(由 cadre serve 提供);学习和练习不需要服务器。","exam_none":"现在没有可以参加的考试。","exam_offline":"网络断开了,答案暂存在本机,恢复网络后会自动保存。","exam_offline_submit":"网络断开,交卷没有成功。请恢复网络后再点“交卷”;截止时间前的答案都会保留。","exam_passed":"{score} 分,通过!","exam_pin":"PIN 码","exam_points":"{n} 分","exam_result":"考试结果","exam_saved":"答案已保存({time})","exam_sign_in":"登录","exam_sign_out":"退出登录","exam_start":"开始考试","exam_submit":"交卷","exam_time_left":"剩余时间 {m}:{s}","false_label":"错","match_for":"第 {n} 项对应","move_down":"下移","move_up":"上移","next_question":"下一题","partly_right":"部分正确,得 {earned} / {points} 分","practised_best":"已练习 · 最好 {score} 分","practised_required":"已练习 {done} / {total} 项必修技能","question_n_of_m":"第 {n} 题 / 共 {m} 题","reason_inclusion":"证书内容与账本不符(可能被改动过)","reason_malformed":"不是完整的证书文件","reason_revocation_cert":"吊销记录属于另一张证书","reason_revocation_proof":"吊销记录的证明不符","reason_seq":"账本序号不符","reason_signature":"培训办的签名不符","retry_wrong":"重做答错的 {n} 题","right":"回答正确","right_count":"答对 {right} 题,共 {total} 题。","score_points":"{score} 分","search_count":"找到 {n} 个页面包含“{q}”。","search_failed":"搜索索引没有加载成功,请刷新页面再试。","search_loading":"正在查找……","search_none":"没有找到包含“{q}”的页面。换个说法试试,比如只输入两三个字。","search_too_short":"请输入至少两个汉字,或一个完整的词。","see_score":"查看得分","start_over":"全部重新练习","true_label":"对","type_fill":"填空题","type_match":"连线题(为每一项选择对应内容)","type_multiple":"多选题(选出所有正确答案)","type_numeric":"数值题","type_order":"排序题(用 ↑ ↓ 调整顺序)","type_single":"单选题","type_truefalse":"判断题","wrong":"回答错误","your_answer":"你的答案","your_score":"练习结果"};
function format(message, fields = {}) {
return String(message ?? "").replace(/\{(\w+)\}/g, (_, key) => String(fields[key] ?? ""));
}
const TRUE_WORDS = new Set(["true", "t", "对", "√", "是", "正确"]);
const FALSE_WORDS = new Set(["false", "f", "错", "×", "否", "错误"]);
const SEPARATORS = /[\s,;、]+/gu;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const MATCH_TOKEN = /(\d+)\s*([a-z])/gu;
const MAX_EXPONENT = 100;
const MAX_TEXT = 10000;
function gcd(a, b) {
a = a < 0n ? -a : a;
b = b < 0n ? -b : b;
while (b) [a, b] = [b, a % b];
return a;
}
/** An exact fraction n/d with BigInt parts, d > 0, in lowest terms. */
function frac(n, d = 1n) {
n = BigInt(n);
d = BigInt(d);
if (d < 0n) [n, d] = [-n, -d];
const g = gcd(n, d) || 1n;
return { n: n / g, d: d / g };
}
const mul = (a, b) => frac(a.n * b.n, a.d * b.d);
const sub = (a, b) => frac(a.n * b.d - b.n * a.d, a.d * b.d);
const cmp = (a, b) => {
const x = a.n * b.d - b.n * a.d;
return x < 0n ? -1 : x > 0n ? 1 : 0;
};
const abs = (a) => frac(a.n < 0n ? -a.n : a.n, a.d);
const ZERO = frac(0);
/** "n/d" or "n": how the shared cases write fractions. */
function fracToString(f) {
return f.d === 1n ? String(f.n) : `${f.n}/${f.d}`;
}
function normalise(text) {
return String(text).slice(0, MAX_TEXT).normalize("NFKC").trim().replace(/\s+/gu, " ").toLowerCase();
}
function textParts(response) {
if (typeof response === "string") return [response];
if (Array.isArray(response)) {
const parts = [];
for (const item of response) {
if (typeof item === "string") parts.push(item);
else if (typeof item === "number" && Number.isFinite(item)) parts.push(numberText(item));
else return null;
}
return parts;
}
return null;
}
function letters(response) {
const parts = textParts(response);
if (parts === null) return null;
const text = parts.map(normalise).join("").replace(SEPARATORS, "");
return /^[a-z]*$/.test(text) ? [...text] : null;
}
function numberText(x) {
return String(x);
}
/** The decimal number at the start of text (all of it when whole), as an exact fraction, or null. */
function parseNumber(text, whole = false) {
text = String(text).slice(0, MAX_TEXT).normalize("NFKC").trim();
const m = NUMBER.exec(text);
if (!m || (whole && m[0].length !== text.length)) return null;
let [mantissa, exponent = "0"] = m[0].toLowerCase().split("e");
let sign = 1n;
if (mantissa[0] === "+" || mantissa[0] === "-") {
if (mantissa[0] === "-") sign = -1n;
mantissa = mantissa.slice(1);
}
let [whole_, fraction = ""] = mantissa.split(".");
const digits = (whole_ + fraction).replace(/^0+/, "") || "0";
let exp = Number(exponent) - fraction.length;
const adjusted = digits === "0" ? 0 : digits.length - 1 + exp;
if (Math.abs(adjusted) > MAX_EXPONENT) return null;
const n = sign * BigInt(digits);
return exp >= 0 ? frac(n * 10n ** BigInt(exp)) : frac(n, 10n ** BigInt(-exp));
}
function toFraction(value) {
if (typeof value === "boolean" || value === null || value === undefined) return null;
if (typeof value === "bigint") return frac(value);
if (typeof value === "number") return Number.isFinite(value) ? parseNumber(numberText(value), true) : null;
if (typeof value === "string") return parseNumber(value, true);
return null;
}
function pointsOf(question) {
const p = toFraction(question.points ?? 1);
return p !== null && p.n > 0n ? p : frac(1);
}
function answerLetters(answer) {
const found = typeof answer === "string" || Array.isArray(answer) ? letters(answer) : null;
return new Set(found || []);
}
function truth(response) {
if (typeof response === "boolean") return response;
if (typeof response === "string") {
const word = normalise(response);
if (TRUE_WORDS.has(word)) return true;
if (FALSE_WORDS.has(word)) return false;
}
return null;
}
function fill(question, response) {
const blanks = question.answer;
if (!Array.isArray(blanks) || blanks.length === 0) return ZERO;
const parts = typeof response === "string" ? response.split("|") : textParts(response);
if (parts === null) return ZERO;
let matched = 0;
blanks.forEach((accepted, i) => {
if (i >= parts.length) return;
const options = Array.isArray(accepted) ? accepted : [accepted];
const wanted = new Set(options.filter((a) => a === null || typeof a !== "object").map((a) => normalise(String(a))));
const given = normalise(parts[i]);
if (given && wanted.has(given)) matched += 1;
});
return frac(matched, blanks.length);
}
function numeric(question, response) {
let given = null;
if (typeof response === "number") given = toFraction(response);
else if (typeof response === "string") given = parseNumber(response);
const answer = toFraction(question.answer);
const tolerance = toFraction(question.tolerance ?? 0) || ZERO;
if (given === null || answer === null) return false;
return cmp(abs(sub(given, answer)), abs(tolerance)) <= 0;
}
function match(question, response) {
const pairs = question.pairs;
if (!Array.isArray(pairs) || pairs.length === 0) return ZERO;
const chosen = new Map();
if (typeof response === "string") {
const text = normalise(response);
if (text.replace(MATCH_TOKEN, "").replace(SEPARATORS, "")) return ZERO;
for (const [, left, letter] of text.matchAll(MATCH_TOKEN)) {
if (!chosen.has(Number(left))) chosen.set(Number(left), letter);
}
} else if (Array.isArray(response)) {
for (let i = 0; i < response.length; i++) {
const item = response[i];
if (typeof item !== "string") return ZERO;
const token = normalise(item).replace(SEPARATORS, "");
const m = /^(\d+)([a-z])$/.exec(token);
if (m) {
if (!chosen.has(Number(m[1]))) chosen.set(Number(m[1]), m[2]);
} else if (/^[a-z]$/.test(token)) {
if (!chosen.has(i + 1)) chosen.set(i + 1, token);
} else if (token) {
return ZERO;
}
}
} else {
return ZERO;
}
let right = 0;
for (let n = 1; n <= pairs.length; n++) {
if (chosen.has(n) && chosen.get(n).charCodeAt(0) - 97 === n - 1) right += 1;
}
return frac(right, pairs.length);
}
function share(question, response) {
if (response === null || response === undefined) return ZERO;
switch (question.type) {
case "single": {
const chosen = letters(response);
const right = answerLetters(question.answer);
return frac(chosen !== null && chosen.length === 1 && right.size === 1 && right.has(chosen[0]) ? 1 : 0);
}
case "multiple": {
const chosen = letters(response);
const right = answerLetters(question.answer);
if (!chosen || chosen.length === 0 || right.size === 0) return ZERO;
const picked = new Set(chosen);
if ((question.scoring ?? "partial") === "all-or-nothing") {
return frac(picked.size === right.size && [...picked].every((x) => right.has(x)) ? 1 : 0);
}
if ([...picked].some((x) => !right.has(x))) return ZERO;
return frac(picked.size, right.size);
}
case "truefalse": {
const t = truth(response);
return frac(t !== null && typeof question.answer === "boolean" && t === question.answer ? 1 : 0);
}
case "fill":
return fill(question, response);
case "numeric":
return frac(numeric(question, response) ? 1 : 0);
case "order": {
const items = question.items;
const chosen = letters(response);
if (!Array.isArray(items) || items.length === 0 || chosen === null) return ZERO;
const want = items.map((_, i) => String.fromCharCode(97 + i)).join("");
return frac(chosen.join("") === want ? 1 : 0);
}
case "match":
return match(question, response);
default:
return ZERO;
}
}
/** The points a response earns on a question (a bank mapping), exactly; never throws. */
function grade(question, response) {
try {
const s = share(question, response);
return s.n > 0n ? mul(pointsOf(question), s) : ZERO;
} catch {
return ZERO;
}
}
function scoreOf(earned, possible) {
return possible.n === 0n ? ZERO : mul(frac(earned.n * possible.d, earned.d * possible.n), frac(100));
}
/** The score rounded half-up to one decimal, always with the decimal: "66.7", "75.0". */
function displayScore(score) {
const tenths = score.n * 10n * 2n + score.d;
const denom = score.d * 2n;
let q = tenths / denom;
if (tenths % denom !== 0n && tenths < 0n) q -= 1n;
return `${q / 10n}.${q % 10n}`;
}
function passed(score, passMark) {
return cmp(score, frac(passMark)) >= 0;
}
const PREFIX = "cadre:";
function progressKey(site, skill) {
return `${PREFIX}${site}:practice:${skill}`;
}
function loadProgress(site, skill) {
try {
return JSON.parse(localStorage.getItem(progressKey(site, skill)) || "null");
} catch {
return null;
}
}
function saveProgress(site, skill, record) {
try {
localStorage.setItem(progressKey(site, skill), JSON.stringify(record));
} catch {
}
}
function siteName() {
return document.body.dataset.site || "";
}
function badge(record) {
if (!record) return "";
return format(MESSAGES.practised_best, { score: record.best });
}
function showBadges(site) {
for (const el of document.querySelectorAll("[data-progress-skill]")) {
const text = badge(loadProgress(site, el.dataset.progressSkill));
if (text) {
el.textContent = text;
el.hidden = false;
}
}
}
function remember(name, value) {
try {
if (value === undefined) return localStorage.getItem(`${PREFIX}${siteName()}:${name}`) || "";
localStorage.setItem(`${PREFIX}${siteName()}:${name}`, value);
} catch {
return "";
}
return value;
}
function showRequired(site) {
const box = document.getElementById("required-progress");
const source = document.getElementById("required-data");
if (!box || !source) return;
const data = JSON.parse(source.textContent);
const post = box.querySelector("select[name=post]");
const township = box.querySelector("select[name=township]");
const out = box.querySelector("output");
post.value = remember("post") || "";
township.value = remember("township") || "";
const update = () => {
remember("post", post.value);
remember("township", township.value);
const ids = [...new Set([...data.all, ...(data.posts[post.value] || []), ...(data.townships[township.value] || [])])];
const done = ids.filter((id) => loadProgress(site, id)).length;
out.textContent = format(MESSAGES.practised_required, { done, total: ids.length });
};
post.addEventListener("change", update);
township.addEventListener("change", update);
box.hidden = false;
update();
}
function initProgress() {
const site = siteName();
showBadges(site);
showRequired(site);
}
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
function el(tag, attrs = {}, ...children) {
const node = document.createElement(tag);
for (const [key, value] of Object.entries(attrs)) {
if (key === "html") node.innerHTML = value;
else if (key === "text") node.textContent = value;
else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value === true ? "" : value);
}
for (const child of children) if (child) node.append(child);
return node;
}
function choiceList(q, kind) {
const box = el("div", { class: "choices", role: kind === "radio" ? "radiogroup" : "group" });
q.options.forEach((html, i) => {
const input = el("input", { type: kind, name: `q-${q.id}`, value: LETTERS[i] });
box.append(el("label", { class: "choice" }, input, el("span", { class: "letter", text: LETTERS[i] }), el("span", { html })));
});
return box;
}
function trueFalse(q) {
const box = el("div", { class: "choices tf", role: "radiogroup" });
for (const [value, label] of [["true", MESSAGES.true_label], ["false", MESSAGES.false_label]]) {
box.append(el("label", { class: "choice" }, el("input", { type: "radio", name: `q-${q.id}`, value }), el("span", { text: label })));
}
return box;
}
function orderList(q) {
const list = el("ol", { class: "order" });
const move = (li, delta) => {
const items = [...list.children];
const at = items.indexOf(li);
const to = at + delta;
if (to < 0 || to >= items.length) return;
if (delta < 0) list.insertBefore(li, items[to]);
else list.insertBefore(items[to], li);
li.querySelector(delta < 0 ? ".up" : ".down").focus();
};
for (const index of q.shown) {
const li = el("li", { "data-index": index }, el("span", { class: "item", html: q.items[index] }));
const up = el("button", { type: "button", class: "up", "aria-label": MESSAGES.move_up, text: "↑" });
const down = el("button", { type: "button", class: "down", "aria-label": MESSAGES.move_down, text: "↓" });
up.addEventListener("click", () => move(li, -1));
down.addEventListener("click", () => move(li, 1));
li.append(el("span", { class: "moves" }, up, down));
list.append(li);
}
return list;
}
function matchTable(q) {
const box = el("div", { class: "match" });
q.left.forEach((html, i) => {
const select = el("select", { "data-left": i + 1, "aria-label": format(MESSAGES.match_for, { n: i + 1 }) });
select.append(el("option", { value: "", text: MESSAGES.choose }));
for (const index of q.shown) {
const option = el("option", { value: LETTERS[index] });
option.innerHTML = q.right[index];
option.textContent = option.textContent;
select.append(option);
}
box.append(el("label", { class: "pair" }, el("span", { class: "left", html: `${i + 1}. ${html}` }), select));
});
return box;
}
/** The response to a question, read from its widgets, in the bank's letters (SPEC §5). */
function readResponse(q, root) {
switch (q.type) {
case "single":
case "truefalse": {
const checked = root.querySelector("input:checked");
return checked ? checked.value : null;
}
case "multiple":
return [...root.querySelectorAll("input:checked")].map((i) => i.value).join("");
case "fill":
return [...root.querySelectorAll("input.blank")].map((i) => i.value);
case "numeric":
return root.querySelector("input.number").value;
case "order":
return [...root.querySelectorAll(".order li")].map((li) => LETTERS[Number(li.dataset.index)]).join("");
case "match":
return [...root.querySelectorAll(".match select")].filter((s) => s.value).map((s) => `${s.dataset.left}${s.value}`).join(" ");
default:
return null;
}
}
function answerText(q) {
const a = q.q.answer;
switch (q.type) {
case "single":
case "multiple":
return [...String(a).toUpperCase()].map((x) => `${x}. ${strip(q.options[LETTERS.indexOf(x)])}`).join(";");
case "truefalse":
return a ? MESSAGES.true_label : MESSAGES.false_label;
case "fill":
return a.map((entry) => (Array.isArray(entry) ? entry.join(" / ") : entry)).join(";");
case "numeric": {
const tol = q.q.tolerance ? ` ± ${q.q.tolerance}` : "";
return `${a}${tol}${q.unit ? ` ${q.unit}` : ""}`;
}
case "order":
return q.items.map(strip).join(" → ");
case "match":
return q.left.map((l, i) => `${strip(l)} — ${strip(q.right[i])}`).join(";");
default:
return "";
}
}
function strip(html) {
const div = document.createElement("div");
div.innerHTML = html;
return div.textContent;
}
function questionWidget(q) {
switch (q.type) {
case "single":
return choiceList(q, "radio");
case "multiple":
return choiceList(q, "checkbox");
case "truefalse":
return trueFalse(q);
case "numeric":
return el("label", { class: "numeric" },
el("input", { class: "number", type: "text", inputmode: "decimal", autocomplete: "off", "aria-label": MESSAGES.your_answer }),
q.unit ? el("span", { class: "unit", text: q.unit }) : null);
case "order":
return orderList(q);
case "match":
return matchTable(q);
default:
return null;
}
}
function initPractice() {
const root = document.getElementById("practice");
const source = document.getElementById("practice-data");
if (!root || !source) return;
const data = JSON.parse(source.textContent);
const byId = new Map(data.questions.map((q) => [q.id, q]));
let queue = data.questions.map((q) => q.id);
let position = 0;
let results = new Map();
const typeName = (q) => MESSAGES[`type_${q.type}`] || q.type;
function showQuestion() {
const q = byId.get(queue[position]);
const form = el("form", { class: "question", "data-id": q.id, "data-type": q.type, novalidate: true });
form.append(
el("p", { class: "progress", text: format(MESSAGES.question_n_of_m, { n: position + 1, m: queue.length }) }),
el("progress", { max: queue.length, value: position }),
el("p", { class: "qtype", text: typeName(q) }),
el("div", { class: "prompt", html: q.prompt }),
);
const widget = questionWidget(q);
if (widget) form.append(widget);
const submit = el("button", { type: "submit", class: "button", text: MESSAGES.check_answer });
const feedback = el("div", { class: "feedback", "aria-live": "polite" });
form.append(feedback, el("p", { class: "actions" }, submit));
form.addEventListener("submit", (event) => {
event.preventDefault();
if (form.dataset.done) return next();
const response = readResponse(q, form);
const earned = grade(q.q, response);
const points = frac(...fracParts(q.points));
results.set(q.id, { earned, points });
const full = earned.n * points.d === points.n * earned.d && earned.n > 0n;
const none = earned.n === 0n;
feedback.className = `feedback ${full ? "right" : none ? "wrong" : "partial"}`;
feedback.replaceChildren(
el("p", { class: "verdict", text: full ? MESSAGES.right : none ? MESSAGES.wrong
: format(MESSAGES.partly_right, { earned: fracToString(earned), points: fracToString(points) }) }),
full ? null : el("p", { class: "answer", text: `${MESSAGES.correct_answer}${answerText(q)}` }),
q.explanation ? el("div", { class: "explanation", html: q.explanation }) : null,
);
for (const input of form.querySelectorAll("input, select, .moves button")) input.disabled = true;
form.dataset.done = "1";
submit.textContent = position + 1 < queue.length ? MESSAGES.next_question : MESSAGES.see_score;
submit.focus();
});
root.replaceChildren(form);
const first = form.querySelector("input, select, button");
if (first && position > 0) first.focus();
}
function next() {
position += 1;
if (position < queue.length) showQuestion();
else finish();
}
function finish() {
let earned = frac(0);
let possible = frac(0);
const wrong = [];
for (const id of queue) {
const r = results.get(id);
earned = frac(earned.n * r.earned.d + r.earned.n * earned.d, earned.d * r.earned.d);
possible = frac(possible.n * r.points.d + r.points.n * possible.d, possible.d * r.points.d);
if (r.earned.n * r.points.d !== r.points.n * r.earned.d) wrong.push(id);
}
const score = displayScore(scoreOf(earned, possible));
const before = loadProgress(data.site, data.skill);
const whole = queue.length === data.questions.length;
const best = before && Number(before.best) > Number(score) ? before.best : score;
saveProgress(data.site, data.skill, {
best: whole || !before ? best : before.best,
last: score,
wrong: whole ? wrong : (before?.wrong || []).filter((id) => !queue.includes(id) || wrong.includes(id)),
total: data.questions.length,
});
const summary = el("section", { class: "result", "aria-live": "polite" },
el("h2", { text: MESSAGES.your_score }),
el("p", { class: "score", text: format(MESSAGES.score_points, { score }) }),
el("p", { text: format(MESSAGES.right_count, { right: queue.length - wrong.length, total: queue.length }) }));
const actions = el("p", { class: "actions" });
if (wrong.length) {
const retry = el("button", { type: "button", class: "button", text: format(MESSAGES.retry_wrong, { n: wrong.length }) });
retry.addEventListener("click", () => start(wrong));
actions.append(retry);
}
const again = el("button", { type: "button", class: "button button-quiet", text: MESSAGES.start_over });
again.addEventListener("click", () => start(data.questions.map((q) => q.id)));
actions.append(again);
summary.append(actions);
root.replaceChildren(summary);
summary.querySelector("button").focus();
}
function start(ids) {
queue = ids;
position = 0;
results = new Map();
showQuestion();
}
start(queue);
}
function fracParts(text) {
const [n, d = "1"] = String(text).split("/");
return [BigInt(n), BigInt(d)];
}
initProgress();initPractice();
})();

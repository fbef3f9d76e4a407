// cadre (built from generator/static/*.mjs)
(function(){
"use strict";
const MESSAGES = {"cert_expired":"证书已过期","cert_forged":"✗ 证书无法验证:可能被伪造或篡改","cert_forged_why":"没有通过的检查:{reasons}。请以县培训办公布的证书名册为准。","cert_not_found":"没有找到编号为 {id} 的证书。","cert_open_file":"直接打开的网页不能按编号读取证书;请选择证书文件,或粘贴证书内容。","cert_revoked":"✗ 证书已被吊销","cert_summary":"{name} · {skill} · {id} · 有效期至 {expires}","cert_valid":"✓ 证书有效","check_answer":"提交答案","choose":"请选择","correct_answer":"正确答案:","exam_back":"返回考试列表","exam_cadre_id":"工号","exam_certificate":"证书编号 {id},有效期至 {expires}。","exam_certificate_link":"查看公开证书(下次发布后可见)","exam_confirm_start":"现在开始“{title} · {level}”考试吗?开始后计时 {minutes} 分钟,中途不能暂停。","exam_confirm_submit":"确定交卷吗?交卷后不能再修改。","exam_earned":"得 {earned} / {points} 分","exam_failed":"{score} 分,未通过(合格分 {mark} 分)。","exam_hello":"{name},请选择考试","exam_in_progress":"正在考试","exam_meta":"限时 {minutes} 分钟 · 还可考 {left} 次","exam_no_server":"这里连接不到考试服务器。在线考试要在培训办公布的考试网址上参加(由 cadre serve 提供);学习和练习不需要服务器。","exam_none":"现在没有可以参加的考试。","exam_offline":"网络断开了,答案暂存在本机,恢复网络后会自动保存。","exam_offline_submit":"网络断开,交卷没有成功。请恢复网络后再点“交卷”;截止时间前的答案都会保留。","exam_passed":"{score} 分,通过!","exam_pin":"PIN 码","exam_points":"{n} 分","exam_result":"考试结果","exam_saved":"答案已保存({time})","exam_sign_in":"登录","exam_sign_out":"退出登录","exam_start":"开始考试","exam_submit":"交卷","exam_time_left":"剩余时间 {m}:{s}","false_label":"错","match_for":"第 {n} 项对应","move_down":"下移","move_up":"上移","next_question":"下一题","partly_right":"部分正确,得 {earned} / {points} 分","practised_best":"已练习 · 最好 {score} 分","practised_required":"已练习 {done} / {total} 项必修技能","question_n_of_m":"第 {n} 题 / 共 {m} 题","reason_inclusion":"证书内容与账本不符(可能被改动过)","reason_malformed":"不是完整的证书文件","reason_revocation_cert":"吊销记录属于另一张证书","reason_revocation_proof":"吊销记录的证明不符","reason_seq":"账本序号不符","reason_signature":"培训办的签名不符","retry_wrong":"重做答错的 {n} 题","right":"回答正确","right_count":"答对 {right} 题,共 {total} 题。","score_points":"{score} 分","search_count":"找到 {n} 个页面包含“{q}”。","search_failed":"搜索索引没有加载成功,请刷新页面再试。","search_loading":"正在查找……","search_none":"没有找到包含“{q}”的页面。换个说法试试,比如只输入两三个字。","search_too_short":"请输入至少两个汉字,或一个完整的词。","see_score":"查看得分","start_over":"全部重新练习","true_label":"对","type_fill":"填空题","type_match":"连线题(为每一项选择对应内容)","type_multiple":"多选题(选出所有正确答案)","type_numeric":"数值题","type_order":"排序题(用 ↑ ↓ 调整顺序)","type_single":"单选题","type_truefalse":"判断题","wrong":"回答错误","your_answer":"你的答案","your_score":"练习结果"};
function format(message, fields = {}) {
return String(message ?? "").replace(/\{(\w+)\}/g, (_, key) => String(fields[key] ?? ""));
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
const API = "../api/";
const SAVE_EVERY_MS = 20000;
class ApiError extends Error {
constructor(status, body) {
super(body?.message || `HTTP ${status}`);
this.status = status;
this.body = body || {};
}
}
function csrf() {
try {
return sessionStorage.getItem("cadre-csrf") || "";
} catch {
return "";
}
}
async function call(method, path, body) {
let response;
try {
response = await fetch(API + path, {
method,
credentials: "same-origin",
headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
body: body === undefined ? undefined : JSON.stringify(body),
});
} catch {
throw new ApiError(0, { error: "offline", message: MESSAGES.exam_offline });
}
if (response.status === 204) return null;
let data = null;
try {
data = await response.json();
} catch {
throw new ApiError(0, { error: "no_server", message: MESSAGES.exam_no_server });
}
if (!response.ok) throw new ApiError(response.status, data);
return data;
}
function initExam() {
const root = document.getElementById("exam");
if (!root) return;
const status = el("p", { class: "exam-status", role: "status", "aria-live": "polite" });
const show = (...nodes) => root.replaceChildren(status, ...nodes);
const say = (text, kind = "") => {
status.textContent = text;
status.className = `exam-status ${kind}`;
};
if (location.protocol === "file:") {
show(el("p", { class: "notice", text: MESSAGES.exam_no_server }));
return;
}
function signInForm(message) {
const id = el("input", { name: "cadre_id", autocomplete: "username", required: true });
const pin = el("input", { name: "pin", type: "password", inputmode: "numeric", autocomplete: "current-password", required: true });
const form = el("form", { class: "signin" },
el("label", {}, el("span", { text: MESSAGES.exam_cadre_id }), id),
el("label", {}, el("span", { text: MESSAGES.exam_pin }), pin),
el("p", { class: "actions" }, el("button", { type: "submit", class: "button", text: MESSAGES.exam_sign_in })));
form.addEventListener("submit", async (event) => {
event.preventDefault();
try {
const data = await call("POST", "session", { cadre_id: id.value.trim(), pin: pin.value.trim() });
sessionStorage.setItem("cadre-csrf", data.csrf_token);
sessionStorage.setItem("cadre-name", data.cadre.name);
listExams();
} catch (error) {
say(error.message, "bad");
}
});
show(el("h2", { text: MESSAGES.exam_sign_in }), form);
say(message || "");
id.focus();
}
async function listExams(message) {
let exams;
try {
exams = await call("GET", "exams");
} catch (error) {
if (error.status === 401) return signInForm();
return show(el("p", { class: "notice", text: error.message }));
}
const signOut = el("button", { type: "button", class: "button button-quiet", text: MESSAGES.exam_sign_out });
signOut.addEventListener("click", async () => {
try {
await call("DELETE", "session");
} finally {
sessionStorage.removeItem("cadre-csrf");
signInForm();
}
});
const list = el("ul", { class: "cards exams" });
for (const exam of exams) {
const start = el("button", { type: "button", class: "button", text: MESSAGES.exam_start, disabled: exam.attempts_left <= 0 });
start.addEventListener("click", () => startExam(exam));
list.append(el("li", { class: "card exam-option" },
el("span", { class: "card-title", text: `${exam.skill_title} · ${exam.level_name}` }),
el("span", { class: "card-meta", text: format(MESSAGES.exam_meta, { minutes: exam.minutes, left: exam.attempts_left }) }),
start));
}
show(el("h2", { text: format(MESSAGES.exam_hello, { name: sessionStorage.getItem("cadre-name") || "" }) }),
exams.length ? list : el("p", { text: MESSAGES.exam_none }), el("p", { class: "actions" }, signOut));
say(message || "");
}
async function startExam(exam) {
if (!confirm(format(MESSAGES.exam_confirm_start, { title: exam.skill_title, level: exam.level_name, minutes: exam.minutes }))) return;
try {
const attempt = await call("POST", "attempts", { skill_id: exam.skill_id, level: exam.level });
takeExam(attempt, {});
} catch (error) {
if (error.status === 409 && error.body.attempt_id) return resume(error.body.attempt_id);
say(error.message, "bad");
}
}
async function resume(attemptId) {
try {
const attempt = await call("GET", `attempts/${encodeURIComponent(attemptId)}`);
if (attempt.submitted) return showResult(attempt.result);
takeExam(attempt, attempt.responses || {});
} catch (error) {
say(error.message, "bad");
}
}
function takeExam(attempt, saved) {
const backupKey = `cadre-exam:${attempt.attempt_id}`;
const deadline = new Date(attempt.deadline).getTime();
const clock = el("p", { class: "clock", role: "timer" });
const forms = [];
const body = el("form", { class: "exam-paper", novalidate: true });
attempt.questions.forEach((q, i) => {
prompts.set(q.id, q.prompt);
const view = { ...q, shown: (q.items || q.right || []).map((_, k) => k) };
const box = el("section", { class: "question", "data-id": q.id },
el("p", { class: "qtype", text: `${i + 1}. ${MESSAGES[`type_${q.type}`] || q.type} · ${format(MESSAGES.exam_points, { n: q.points })}` }),
el("div", { class: "prompt", html: q.prompt }));
const widget = questionWidget(view);
if (widget) box.append(widget);
body.append(box);
forms.push([view, box]);
});
let backup = {};
try {
backup = JSON.parse(localStorage.getItem(backupKey) || "{}");
} catch {
backup = {};
}
restore(forms, { ...saved, ...backup });
const submit = el("button", { type: "submit", class: "button", text: MESSAGES.exam_submit });
body.append(el("p", { class: "actions" }, submit));
show(el("h2", { text: `${attempt.skill_id} · ${attempt.level}` }), clock, body);
document.querySelector("#exam h2").textContent = MESSAGES.exam_in_progress;
const collect = () => Object.fromEntries(forms.map(([q, box]) => [q.id, readResponse(q, box)]));
let dirty = false;
let saving = false;
async function save() {
if (saving || !dirty) return;
saving = true;
dirty = false;
const responses = collect();
try {
localStorage.setItem(backupKey, JSON.stringify(responses));
} catch {
}
try {
await call("PUT", `attempts/${encodeURIComponent(attempt.attempt_id)}/responses`, { responses });
say(format(MESSAGES.exam_saved, { time: new Date().toLocaleTimeString() }), "good");
} catch (error) {
dirty = true;
if (error.status === 409) return finish(null);
say(error.status === 0 ? MESSAGES.exam_offline : error.message, "bad");
} finally {
saving = false;
}
}
body.addEventListener("input", () => {
dirty = true;
});
body.addEventListener("change", () => {
dirty = true;
save();
});
body.addEventListener("click", (event) => {
if (event.target.closest(".moves button")) {
dirty = true;
save();
}
});
const saver = setInterval(save, SAVE_EVERY_MS);
const ticker = setInterval(tick, 1000);
function tick() {
const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
clock.textContent = format(MESSAGES.exam_time_left, { m: Math.floor(left / 60), s: String(left % 60).padStart(2, "0") });
clock.classList.toggle("urgent", left <= 300);
if (left === 0) finish(collect());
}
tick();
let finished = false;
async function finish(responses) {
if (finished) return;
finished = true;
clearInterval(saver);
clearInterval(ticker);
try {
const result = await call("POST", `attempts/${encodeURIComponent(attempt.attempt_id)}/submit`, { responses: responses || collect() });
localStorage.removeItem(backupKey);
showResult(result);
} catch (error) {
if (error.status === 409 && error.body.result) {
localStorage.removeItem(backupKey);
return showResult(error.body.result, error.message);
}
finished = false;
say(error.status === 0 ? MESSAGES.exam_offline_submit : error.message, "bad");
}
}
body.addEventListener("submit", (event) => {
event.preventDefault();
if (confirm(MESSAGES.exam_confirm_submit)) finish(collect());
});
}
const prompts = new Map();
function showResult(result, message) {
const list = el("ol", { class: "review" });
for (const q of result.questions) {
const full = q.earned === q.points;
list.append(el("li", { class: full ? "right" : q.earned === "0" ? "wrong" : "partial" },
prompts.has(q.id) ? el("div", { class: "prompt", html: prompts.get(q.id) }) : null,
el("p", { text: format(MESSAGES.exam_earned, { earned: q.earned, points: q.points }) }),
full ? null : el("p", { class: "answer", text: `${MESSAGES.correct_answer}${formatAnswer(q.answer)}` }),
q.explanation ? el("div", { class: "explanation", html: q.explanation }) : null));
}
const verdict = result.passed ? format(MESSAGES.exam_passed, { score: result.score })
: format(MESSAGES.exam_failed, { score: result.score, mark: result.pass_mark });
const parts = [el("h2", { text: MESSAGES.exam_result }), el("p", { class: `score ${result.passed ? "good" : "bad"}`, text: verdict })];
if (result.certificate) {
parts.push(el("p", { class: "certificate" },
el("span", { text: format(MESSAGES.exam_certificate, { id: result.certificate.cert_id, expires: result.certificate.expires_at.slice(0, 10) }) }),
el("a", { href: `../ledger/${encodeURIComponent(result.certificate.cert_id)}/index.html`, text: MESSAGES.exam_certificate_link })));
}
const back = el("button", { type: "button", class: "button button-quiet", text: MESSAGES.exam_back });
back.addEventListener("click", () => listExams());
show(el("section", { class: "result" }, ...parts, list, el("p", { class: "actions" }, back)));
say(message || "");
}
listExams();
}
function formatAnswer(answer) {
if (Array.isArray(answer)) return answer.join(" | ");
if (answer === true) return MESSAGES.true_label;
if (answer === false) return MESSAGES.false_label;
return String(answer);
}
function restore(forms, responses) {
for (const [q, box] of forms) {
const value = responses[q.id];
if (value === undefined || value === null) continue;
if (q.type === "single" || q.type === "truefalse" || q.type === "multiple") {
for (const input of box.querySelectorAll("input")) input.checked = String(value).includes(input.value);
} else if (q.type === "fill") {
box.querySelectorAll("input.blank").forEach((input, i) => {
input.value = (Array.isArray(value) ? value : String(value).split("|"))[i] ?? "";
});
} else if (q.type === "numeric") {
box.querySelector("input.number").value = String(value);
} else if (q.type === "order") {
const list = box.querySelector(".order");
for (const letter of String(value)) {
const li = list.querySelector(`li[data-index="${letter.charCodeAt(0) - 65}"]`);
if (li) list.append(li);
}
} else if (q.type === "match") {
for (const [, left, letter] of String(value).matchAll(/(\d+)([A-Z])/g)) {
const select = box.querySelector(`select[data-left="${left}"]`);
if (select) select.value = letter;
}
}
}
}
initExam();
})();

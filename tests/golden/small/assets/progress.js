// cadre (built from generator/static/*.mjs)
(function(){
"use strict";
const MESSAGES = {"check_answer":"提交答案","choose":"请选择","correct_answer":"正确答案:","false_label":"错","match_for":"第 {n} 项对应","move_down":"下移","move_up":"上移","next_question":"下一题","partly_right":"部分正确,得 {earned} / {points} 分","practised_best":"已练习 · 最好 {score} 分","practised_required":"已练习 {done} / {total} 项必修技能","question_n_of_m":"第 {n} 题 / 共 {m} 题","retry_wrong":"重做答错的 {n} 题","right":"回答正确","right_count":"答对 {right} 题,共 {total} 题。","score_points":"{score} 分","see_score":"查看得分","start_over":"全部重新练习","true_label":"对","type_fill":"填空题","type_match":"连线题(为每一项选择对应内容)","type_multiple":"多选题(选出所有正确答案)","type_numeric":"数值题","type_order":"排序题(用 ↑ ↓ 调整顺序)","type_single":"单选题","type_truefalse":"判断题","wrong":"回答错误","your_answer":"你的答案","your_score":"练习结果"};
function format(message, fields = {}) {
return String(message ?? "").replace(/\{(\w+)\}/g, (_, key) => String(fields[key] ?? ""));
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
initProgress();
})();

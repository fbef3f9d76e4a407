// cadre (built from generator/static/*.mjs)
(function(){
"use strict";
const MESSAGES = {"cert_expired":"证书已过期","cert_forged":"✗ 证书无法验证:可能被伪造或篡改","cert_forged_why":"没有通过的检查:{reasons}。请以县培训办公布的证书名册为准。","cert_not_found":"没有找到编号为 {id} 的证书。","cert_open_file":"直接打开的网页不能按编号读取证书;请选择证书文件,或粘贴证书内容。","cert_revoked":"✗ 证书已被吊销","cert_summary":"{name} · {skill} · {id} · 有效期至 {expires}","cert_valid":"✓ 证书有效","check_answer":"提交答案","choose":"请选择","correct_answer":"正确答案:","exam_back":"返回考试列表","exam_cadre_id":"工号","exam_certificate":"证书编号 {id},有效期至 {expires}。","exam_certificate_link":"查看公开证书(下次发布后可见)","exam_confirm_start":"现在开始“{title} · {level}”考试吗?开始后计时 {minutes} 分钟,中途不能暂停。","exam_confirm_submit":"确定交卷吗?交卷后不能再修改。","exam_earned":"得 {earned} / {points} 分","exam_failed":"{score} 分,未通过(合格分 {mark} 分)。","exam_hello":"{name},请选择考试","exam_in_progress":"正在考试","exam_meta":"限时 {minutes} 分钟 · 还可考 {left} 次","exam_no_server":"这里连接不到考试服务器。在线考试要在培训办公布的考试网址上参加(由 cadre serve 提供);学习和练习不需要服务器。","exam_none":"现在没有可以参加的考试。","exam_offline":"网络断开了,答案暂存在本机,恢复网络后会自动保存。","exam_offline_submit":"网络断开,交卷没有成功。请恢复网络后再点“交卷”;截止时间前的答案都会保留。","exam_passed":"{score} 分,通过!","exam_pin":"PIN 码","exam_points":"{n} 分","exam_result":"考试结果","exam_saved":"答案已保存({time})","exam_sign_in":"登录","exam_sign_out":"退出登录","exam_start":"开始考试","exam_submit":"交卷","exam_time_left":"剩余时间 {m}:{s}","false_label":"错","match_for":"第 {n} 项对应","move_down":"下移","move_up":"上移","next_question":"下一题","partly_right":"部分正确,得 {earned} / {points} 分","practised_best":"已练习 · 最好 {score} 分","practised_required":"已练习 {done} / {total} 项必修技能","question_n_of_m":"第 {n} 题 / 共 {m} 题","reason_inclusion":"证书内容与账本不符(可能被改动过)","reason_malformed":"不是完整的证书文件","reason_revocation_cert":"吊销记录属于另一张证书","reason_revocation_proof":"吊销记录的证明不符","reason_seq":"账本序号不符","reason_signature":"培训办的签名不符","retry_wrong":"重做答错的 {n} 题","right":"回答正确","right_count":"答对 {right} 题,共 {total} 题。","score_points":"{score} 分","search_count":"找到 {n} 个页面包含“{q}”。","search_failed":"搜索索引没有加载成功,请刷新页面再试。","search_loading":"正在查找……","search_none":"没有找到包含“{q}”的页面。换个说法试试,比如只输入两三个字。","search_too_short":"请输入至少两个汉字,或一个完整的词。","see_score":"查看得分","start_over":"全部重新练习","true_label":"对","type_fill":"填空题","type_match":"连线题(为每一项选择对应内容)","type_multiple":"多选题(选出所有正确答案)","type_numeric":"数值题","type_order":"排序题(用 ↑ ↓ 调整顺序)","type_single":"单选题","type_truefalse":"判断题","wrong":"回答错误","your_answer":"你的答案","your_score":"练习结果"};
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

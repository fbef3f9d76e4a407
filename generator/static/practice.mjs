// The practice quiz: one question at a time, immediate feedback, a score at the end, and a retry of
// the ones answered wrong. Works offline and from file://: the questions are in the page.
import { grade, frac, scoreOf, displayScore, fracToString } from "./grading.mjs";
import { MESSAGES, format } from "./messages.mjs";
import { loadProgress, saveProgress } from "./progress.mjs";
import { el, answerText, questionWidget, readResponse } from "./widgets.mjs";

export function initPractice() {
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

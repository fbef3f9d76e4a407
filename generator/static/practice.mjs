// The practice quiz: one question at a time, immediate feedback, a score at the end, and a retry of
// the ones answered wrong. Works offline and from file://: the questions are in the page.
import { grade, frac, scoreOf, displayScore, fracToString } from "./grading.mjs";
import { MESSAGES, format } from "./messages.mjs";
import { loadProgress, saveProgress } from "./progress.mjs";

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
export function readResponse(q, root) {
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

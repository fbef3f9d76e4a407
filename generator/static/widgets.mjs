// Question widgets shared by the practice quiz and the exam page: every type answerable by touch and
// keyboard with native controls. A widget reads and writes letters by position in the arrays it is
// given (q.options, q.items and q.right in the order shown; q.shown maps positions for order/match).
import { MESSAGES, format } from "./messages.mjs";

export const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "html") node.innerHTML = value;
    else if (key === "text") node.textContent = value;
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

export function choiceList(q, kind) {
  const box = el("div", { class: "choices", role: kind === "radio" ? "radiogroup" : "group" });
  q.options.forEach((html, i) => {
    const input = el("input", { type: kind, name: `q-${q.id}`, value: LETTERS[i] });
    box.append(el("label", { class: "choice" }, input, el("span", { class: "letter", text: LETTERS[i] }), el("span", { html })));
  });
  return box;
}

export function trueFalse(q) {
  const box = el("div", { class: "choices tf", role: "radiogroup" });
  for (const [value, label] of [["true", MESSAGES.true_label], ["false", MESSAGES.false_label]]) {
    box.append(el("label", { class: "choice" }, el("input", { type: "radio", name: `q-${q.id}`, value }), el("span", { text: label })));
  }
  return box;
}

export function orderList(q) {
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

export function matchTable(q) {
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

export function answerText(q) {
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

export function strip(html) {
  const div = document.createElement("div");
  div.innerHTML = html;
  return div.textContent;
}

export function questionWidget(q) {
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


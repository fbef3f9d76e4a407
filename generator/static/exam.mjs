// The exam page: sign in, choose an exam, answer under the server's clock with autosave, submit,
// and see the score, each question's feedback and the certificate. The server grades; this page
// never sees an answer before submitting. Opened without the exam server, it says so plainly.
import { MESSAGES, format } from "./messages.mjs";
import { el, questionWidget, readResponse } from "./widgets.mjs";

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

export function initExam() {
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
        // storage full: the server copy still counts
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

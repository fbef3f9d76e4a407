// The grader, in the browser (SPEC §5, docs/grading.md). The same rules as
// generator/quiz/grading.py, exact with BigInt fractions; tests/grading/cases.json holds both.

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
export function frac(n, d = 1n) {
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
export const ZERO = frac(0);

/** "n/d" or "n": how the shared cases write fractions. */
export function fracToString(f) {
  return f.d === 1n ? String(f.n) : `${f.n}/${f.d}`;
}

export function normalise(text) {
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

export function letters(response) {
  const parts = textParts(response);
  if (parts === null) return null;
  const text = parts.map(normalise).join("").replace(SEPARATORS, "");
  return /^[a-z]*$/.test(text) ? [...text] : null;
}

// Python writes a float by its shortest repr; so does JavaScript, except for the exponent form.
function numberText(x) {
  return String(x);
}

/** The decimal number at the start of text (all of it when whole), as an exact fraction, or null. */
export function parseNumber(text, whole = false) {
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
  // Refuse absurd exponents, as the Python grader does (measured on the decimal's adjusted exponent).
  const adjusted = digits === "0" ? 0 : digits.length - 1 + exp;
  if (Math.abs(adjusted) > MAX_EXPONENT) return null;
  const n = sign * BigInt(digits);
  return exp >= 0 ? frac(n * 10n ** BigInt(exp)) : frac(n, 10n ** BigInt(-exp));
}

export function toFraction(value) {
  if (typeof value === "boolean" || value === null || value === undefined) return null;
  if (typeof value === "bigint") return frac(value);
  if (typeof value === "number") return Number.isFinite(value) ? parseNumber(numberText(value), true) : null;
  if (typeof value === "string") return parseNumber(value, true);
  return null;
}

export function pointsOf(question) {
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
export function grade(question, response) {
  try {
    const s = share(question, response);
    return s.n > 0n ? mul(pointsOf(question), s) : ZERO;
  } catch {
    return ZERO;
  }
}

export function scoreOf(earned, possible) {
  return possible.n === 0n ? ZERO : mul(frac(earned.n * possible.d, earned.d * possible.n), frac(100));
}

/** The score rounded half-up to one decimal, always with the decimal: "66.7", "75.0". */
export function displayScore(score) {
  const tenths = score.n * 10n * 2n + score.d;
  const denom = score.d * 2n;
  let q = tenths / denom;
  if (tenths % denom !== 0n && tenths < 0n) q -= 1n;
  return `${q / 10n}.${q % 10n}`;
}

export function passed(score, passMark) {
  return cmp(score, frac(passMark)) >= 0;
}

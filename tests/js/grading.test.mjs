// The browser grader against the shared cases; run with `node --test tests/js/`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { grade, fracToString, scoreOf, displayScore, passed, parseNumber } from "../../generator/static/grading.mjs";

const { cases, scores } = JSON.parse(readFileSync(new URL("../grading/cases.json", import.meta.url), "utf8"));
const asFrac = (s) => {
  const [n, d = "1"] = s.split("/");
  return { n: BigInt(n), d: BigInt(d) };
};

test("there are enough cases", () => {
  assert.ok(cases.length >= 100);
});

for (const c of cases) {
  test(`grade: ${c.name}`, () => {
    assert.equal(fracToString(grade(c.question, c.response)), c.earned);
  });
}

for (const s of scores) {
  test(`score: ${s.name}`, () => {
    const score = scoreOf(asFrac(s.earned), asFrac(s.possible));
    assert.equal(displayScore(score), s.display);
    assert.equal(passed(score, s.pass_mark), s.passed);
  });
}

test("numbers parse exactly", () => {
  assert.equal(fracToString(parseNumber("3.6", true)), "18/5");
  assert.equal(parseNumber("1e999"), null);
});

test("random responses of every shape never throw and stay within the points", () => {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const atoms = [null, undefined, true, false, 0, -1, 3.6, 1e308, NaN, Infinity, "", "A", "ab", "对", "１e999", "1|2", "1B 2A", {}, { a: 1 }];
  const value = (depth) => (depth > 0 && rand() < 0.3 ? Array.from({ length: Math.floor(rand() * 4) }, () => value(depth - 1)) : atoms[Math.floor(rand() * atoms.length)]);
  for (let i = 0; i < 3000; i++) {
    const q = cases[Math.floor(rand() * cases.length)].question;
    const earned = grade(q, value(3));
    const points = q.points ?? 1;
    assert.ok(earned.n >= 0n);
    assert.ok(Number(earned.n) / Number(earned.d) <= points + 1e-9);
  }
});

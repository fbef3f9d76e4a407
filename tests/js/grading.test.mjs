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

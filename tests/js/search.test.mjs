// The browser half of search: query parsing, shard hashing (the twin of search.py), ranking.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { parseQuery, shardOf, snippet } from "../../generator/static/search.mjs";

test("shards agree with Python", () => {
  const terms = ["调解", "香菇", "12119", "ab", "矛盾", "e"];
  const py = execFileSync("python3", ["-c", `from generator.render.search import shard_of; print(*[shard_of(t, 97) for t in ${JSON.stringify(terms)}])`], { encoding: "utf8" });
  assert.deepEqual(terms.map((t) => shardOf(t, 97)), py.trim().split(" ").map(Number));
});

test("queries become Chinese runs and Latin words", () => {
  assert.deepEqual(parseQuery("矛盾纠纷 调解 AB角").parts, ["矛盾纠纷", "调解", "ab"]);
  assert.deepEqual(parseQuery("矛盾纠纷").terms, ["矛盾", "盾纠", "纠纷"]);
  // A long run looks up a spread of at most five bigrams, the last always among them.
  assert.deepEqual(parseQuery("农民专业合作社规范运营").terms, ["农民", "业合", "社规", "运营"]);
  assert.deepEqual(parseQuery("单").parts, []);
});

test("snippets mark every match and escape HTML", () => {
  assert.equal(snippet("<b>先调解</b>,再调解", ["调解"], 40), "&lt;b&gt;先<mark>调解</mark>&lt;/b&gt;,再<mark>调解</mark>");
});

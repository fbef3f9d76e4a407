"""Moodle GIFT and Aiken question files read into bank questions, with every question that cannot be mapped named.

GIFT is read the way Moodle's own importer reads it (question/format/gift): questions are separated by
blank lines, whole-line `//` comments are dropped, `\\` escapes `~ = # { } :` and itself, `\\n` is a line
break, the answers are the first `{...}` of the question, and the answer list decides the type (empty:
essay; starting with `#`: numeric; any `~`: multiple choice; `=` and `->`: matching; T/TRUE/F/FALSE:
true/false; otherwise short answer). Where Moodle would import something cadre cannot hold (an essay,
a description, Cloze, a one-answer choice with two fully right answers...), the question is reported
in `Imported.skipped` with the line it starts on, and nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, Inexact, localcontext
from pathlib import PurePath
from typing import Any

BLANK = "____"
# Counted the way the bank counts blanks (generator.quiz.bank.BLANK).
_BLANKS = re.compile(r"_{4,}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_MIN_OPTIONS = 2
_MIN_PAIRS = 2
_MAX_EXPONENT = 60

# Escaped characters are swapped for private-use placeholders before the structure is read, as Moodle
# does, so `\{` or `\~` can never open a block or an answer; they are put back in each piece of text.
_ESCAPABLE = "\\:#={}~n"
_HIDE = {ch: chr(0xE000 + i) for i, ch in enumerate(_ESCAPABLE)}
_SHOW = {ph: ("\n" if ch == "n" else ch) for ch, ph in _HIDE.items()}
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_FORMAT = re.compile(r"\[(?:html|moodle|markdown|plain)\]")
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?)%")
_LOOKS_LIKE_WEIGHT = re.compile(r"%[^%\s]*%")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Embedded answers (Cloze): {1:MULTICHOICE:...}, {:SA:=...}, {2:NM:=3:0.1}.
_CLOZE = re.compile(r"\s*\d*\s*:\s*[A-Z][A-Z_]*\s*:")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

_AIKEN_OPTION = re.compile(r"([A-Z])[.)][ \t]*(.*)")
_AIKEN_ANSWER = re.compile(r"ANSWER:[ \t]*([A-Z])")
_AIKEN_ANSWER_LIKE = re.compile(r"answer\s*[:：]", re.IGNORECASE)
# For sniffing only: the documented form, letter + '.' or ')' + space.
_AIKEN_OPTION_STRICT = re.compile(r"[A-Z][.)][ \t]+\S")


@dataclass(frozen=True)
class Skipped:
    """A question that was not imported: the 1-based line it starts on and why."""

    line: int
    message: str


@dataclass(frozen=True)
class Imported:
    """The questions read from one file, as bank mappings in file order, and the ones that were not."""

    questions: list[dict[str, Any]]
    skipped: list[Skipped]


class _UnmappableError(Exception):
    """The question cannot become a bank question; the message says why."""


def parse_gift(text: str, level: int = 1) -> Imported:
    """Return the questions of a Moodle GIFT file as bank mappings at `level`, and the ones skipped."""
    ids = _Ids()
    questions: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    tag: str | None = None
    position = 0
    for block in _gift_blocks(text):
        first = block[0][1]
        if first.startswith("$CATEGORY:"):
            tag = _category_tag(first[len("$CATEGORY:"):])
            block = block[1:]
            if not block:
                continue
        position += 1
        start = block[0][0]
        try:
            title, fields = _gift_question(_ESCAPE.sub(lambda m: _HIDE[m.group(1)], "\n".join(t for _, t in block)))
        except _UnmappableError as exc:
            skipped.append(Skipped(start, str(exc)))
            continue
        slug = re.sub(r"\s+", "-", title.strip().lower())
        qid = ids.take(slug if slug.isascii() and _ID.fullmatch(slug) else f"q{position:03d}")
        questions.append(_ordered({"id": qid, "level": level, **fields, "tags": [tag] if tag else None}))
    return Imported(questions, skipped)


def parse_aiken(text: str, level: int = 1) -> Imported:
    """Return the questions of a Moodle Aiken file as single-choice bank mappings at `level`, and the ones skipped."""
    ids = _Ids()
    questions: list[dict[str, Any]] = []
    skipped: list[Skipped] = []
    draft: _AikenDraft | None = None
    position = 0

    def close(answer_line: str | None) -> None:
        assert draft is not None
        try:
            fields = draft.finish(answer_line)
        except _UnmappableError as exc:
            skipped.append(Skipped(draft.line, str(exc)))
            return
        questions.append(_ordered({"id": ids.take(f"q{draft.position:03d}"), "level": level, **fields}))

    for number, raw in enumerate(_lines(text), 1):
        line = raw.strip()
        if not line:
            if draft is not None:
                draft.after_blank = True
            continue
        option = _AIKEN_OPTION.fullmatch(line)
        if line.startswith("ANSWER:") or _AIKEN_ANSWER_LIKE.match(line):
            if draft is None:
                skipped.append(Skipped(number, "an 'ANSWER:' line with no question and options before it"))
            else:
                close(line)
                draft = None
        elif option:
            if draft is None:
                position += 1
                draft = _AikenDraft(number, position)
            draft.options.append((option.group(1), option.group(2).strip()))
        else:
            if draft is not None and (draft.options or draft.after_blank):
                close(None)
                draft = None
            if draft is None:
                position += 1
                draft = _AikenDraft(number, position)
            draft.text.append(line)
    if draft is not None:
        close(None)
    return Imported(questions, skipped)


def detect_format(path_name: str, text: str) -> str:
    """Return "gift" or "aiken": `.gift` is GIFT; other files are Aiken when they have `A. ...` and `ANSWER: X` lines."""
    if PurePath(path_name).suffix.lower() == ".gift":
        return "gift"
    lines = [line.strip() for line in _lines(text)]
    has_answer = any(_AIKEN_ANSWER.fullmatch(line) for line in lines)
    has_option = any(_AIKEN_OPTION_STRICT.match(line) for line in lines)
    return "aiken" if has_answer and has_option else "gift"


# --- GIFT ------------------------------------------------------------------------------------------


def _gift_blocks(text: str) -> list[list[tuple[int, str]]]:
    """Split the file at blank lines into questions: (line number, stripped line) pairs, comments left out."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(_lines(text), 1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append(current)
                current = []
        elif not line.startswith("//"):
            current.append((number, line))
    if current:
        blocks.append(current)
    return blocks


def _gift_question(text: str) -> tuple[str, dict[str, Any]]:
    """Return the title and the bank fields of one GIFT question (escapes already hidden)."""
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise _UnmappableError("the title starts with '::' but has no closing '::'")
        title = _show(text[2:end])
        text = text[end + 2:].strip()
    if any(_CLOZE.match(body) for body in re.findall(r"\{([^{}]*)\}", text)):
        raise _UnmappableError("embedded answers (Cloze) question: cadre has no cloze type")
    opens = [i for i, ch in enumerate(text) if ch == "{"]
    closes = [i for i, ch in enumerate(text) if ch == "}"]
    if not opens and not closes:
        raise _UnmappableError("description (no answers in {…}): cadre has no description type")
    if not closes:
        raise _UnmappableError("'{' is never closed with '}' (write a literal brace as \\{)")
    if not opens or closes[0] < opens[0]:
        raise _UnmappableError("'}' comes before any '{' (write a literal brace as \\})")
    if len(opens) > 1 or len(closes) > 1:
        raise _UnmappableError("more than one {…} answer block (write literal braces as \\{ and \\})")
    start, end = opens[0], closes[0]
    before, answers, after = text[:start], text[start + 1:end].strip(), text[end + 1:]
    general = ""
    cut = answers.rfind("####")
    if cut >= 0:
        general = _show(answers[cut + 4:])
        answers = answers[:cut].strip()
    if not answers:
        raise _UnmappableError("essay question: cadre has no essay type")
    if not _show(before + after):
        raise _UnmappableError("the question has no text besides its answers")

    if answers.startswith("#"):
        fields, feedback = _numeric(answers[1:])
    elif "~" in answers:
        fields, feedback = _choice(answers)
    elif "=" in answers and "->" in answers:
        fields, feedback = _match(answers)
    elif answers.partition("#")[0].strip() in _TRUE_FALSE:
        fields, feedback = _true_false(answers)
    elif answers.partition("#")[0].strip().upper() in _TRUE_FALSE:
        raise _UnmappableError("write a true/false answer in capitals: {T}, {TRUE}, {F} or {FALSE}")
    else:
        fields, feedback = _short_answer(answers)

    kind = fields["type"]
    prompt = _prompt(before, after, gap=kind in ("single", "multiple", "fill", "numeric"))
    if kind == "fill":
        if not after.strip() and not _BLANKS.search(prompt):
            prompt += " " + BLANK
        blanks = len(_BLANKS.findall(prompt))
        if blanks != 1:
            raise _UnmappableError(f"short answer whose text has {blanks} blanks '____': it has answers for one blank")
    explanation = "\n".join(_unique([*feedback, general]))
    return title, {"prompt": prompt, **fields, "explanation": explanation or None}


def _choice(answers: str) -> tuple[dict[str, Any], list[str]]:
    """Multiple choice: one '=' answer makes a single choice; positive weights without one make a multiple."""
    parsed: list[tuple[str, Decimal, str, str]] = []
    for marker, raw in _split(answers, "~="):
        weight, rest = _weight(marker, raw)
        option, _, feedback = rest.partition("#")
        if not _show(option):
            raise _UnmappableError("multiple choice with an empty answer")
        parsed.append((marker, weight, _show(option), _show(feedback)))
    if len(parsed) < _MIN_OPTIONS:
        raise _UnmappableError(f"multiple choice with {len(parsed)} answer: it needs at least {_MIN_OPTIONS}")
    options = [option for _, _, option, _ in parsed]
    full = [i for i, (_, weight, _, _) in enumerate(parsed) if weight == 100]
    # Moodle makes any question with an '=' answer a one-answer question, where weights below 100 are
    # partial credit (which cadre's single has not); without '=' it is a several-answer question.
    if any(marker == "=" for marker, _, _, _ in parsed) and full:
        if len(full) > 1:
            raise _UnmappableError(
                f"multiple choice with {len(full)} answers marked fully right: a single choice has one right answer "
                "(weight several right answers like ~%50% to make a multiple-answer question)"
            )
        right = full
        fields: dict[str, Any] = {"type": "single", "options": options, "answer": _letter(full[0])}
    else:
        right = [i for i, (_, weight, _, _) in enumerate(parsed) if weight > 0]
        if not right:
            raise _UnmappableError("multiple choice with no right answer (mark it with '=', or weights like ~%50%)")
        fields = {"type": "multiple", "options": options, "answer": "".join(map(_letter, right)), "scoring": "partial"}
    return fields, _right_first([fb for _, _, _, fb in parsed], right)


def _short_answer(answers: str) -> tuple[dict[str, Any], list[str]]:
    """Short answer: the 100% answers are the accepted texts of one blank; lower-weighted ones are dropped."""
    parsed: list[tuple[Decimal, str, str]] = []
    for marker, raw in _split(answers, "="):
        weight, rest = _weight(marker, raw)
        accepted, _, feedback = rest.partition("#")
        if not _show(accepted):
            raise _UnmappableError("short answer with an empty answer")
        parsed.append((weight, _show(accepted), _show(feedback)))
    right = [i for i, (weight, _, _) in enumerate(parsed) if weight == 100]
    if not right:
        raise _UnmappableError("short answer with no 100% answer")
    accepted_texts = [parsed[i][1] for i in right]
    entry: str | list[str] = accepted_texts[0] if len(accepted_texts) == 1 else accepted_texts
    # Feedback on the dropped lower-weighted answers ("half credit...") would mislead without partial credit.
    return {"type": "fill", "answer": [entry]}, [parsed[i][2] for i in right]


def _true_false(answers: str) -> tuple[dict[str, Any], list[str]]:
    """True/false: `{T#feedback if answered wrong#feedback if answered right}`."""
    bits = [*answers.split("#", 2), "", ""]
    value = _TRUE_FALSE[bits[0].strip()]
    return {"type": "truefalse", "answer": value}, [_show(bits[2]), _show(bits[1])]


def _match(answers: str) -> tuple[dict[str, Any], list[str]]:
    """Matching: `=left -> right` pairs."""
    pairs: list[list[str]] = []
    for _, raw in _split(answers, "="):
        left, arrow, right = raw.partition("->")
        if not arrow:
            raise _UnmappableError(f"matching pair '{_show(raw)}' has no '->' (write =left -> right)")
        if not _show(left):
            raise _UnmappableError(
                "matching question with an extra answer (a pair with no left side): cadre's match has no distractors"
            )
        if not _show(right):
            raise _UnmappableError(f"matching pair '{_show(left)} ->' has no right side")
        pairs.append([_show(left), _show(right)])
    if len(pairs) < _MIN_PAIRS:
        raise _UnmappableError(f"matching question with {len(pairs)} pair: it needs at least {_MIN_PAIRS}")
    if len({left for left, _ in pairs}) != len(pairs) or len({right for _, right in pairs}) != len(pairs):
        raise _UnmappableError("matching question whose left sides or right sides repeat: cadre needs them all different")
    return {"type": "match", "pairs": pairs}, []


def _numeric(answers: str) -> tuple[dict[str, Any], list[str]]:
    """Numeric: `{#3.5:0.1}`, `{#1..5}`, or several `=` answers of which the one at 100% is kept."""
    body, tilde, wrong = answers.partition("~")
    pieces = body.split("=")
    items = ([pieces[0]] if pieces[0].strip() else []) + pieces[1:]
    if not items:
        raise _UnmappableError("numeric question with no answer after '#'")
    parsed: list[tuple[Decimal, tuple[Decimal, Decimal] | None, str]] = []
    for raw in items:
        weight, rest = _weight("=", raw.strip())
        value, _, said = rest.partition("#")
        parsed.append((weight, _numeric_range(_show(value)), _show(said)))
    right = [i for i, (weight, rng, _) in enumerate(parsed) if weight == 100 and rng is not None]
    if not right:
        raise _UnmappableError("numeric question with no 100% answer")
    if len(right) > 1:
        raise _UnmappableError(
            f"numeric question with {len(right)} answers at 100%: cadre's numeric has one answer and tolerance"
        )
    chosen = parsed[right[0]][1]
    assert chosen is not None
    answer, tolerance = chosen
    feedback = [parsed[right[0]][2]]
    if tilde:
        feedback.append(_show(wrong.partition("#")[2]))
    return {"type": "numeric", "answer": _plain_number(answer), "tolerance": _plain_number(tolerance)}, feedback


def _numeric_range(value: str) -> tuple[Decimal, Decimal] | None:
    """Return (answer, tolerance) for `a`, `a:t` or `min..max`; None for Moodle's catch-all `*`."""
    if value == "*":
        return None
    # Plenty of digits for any 60-digit input, and a trap so nothing is ever rounded silently.
    with localcontext() as ctx:
        ctx.prec = 200
        ctx.traps[Inexact] = True
        try:
            return _decimal_range(value)
        except Inexact:
            raise _UnmappableError(f"numeric answer '{value}' has more digits than cadre can store exactly") from None


def _decimal_range(value: str) -> tuple[Decimal, Decimal]:
    if value.find("..") > 0:
        low, high = (_decimal(part) for part in value.split("..", 1))
        if low > high:
            raise _UnmappableError(f"numeric range '{value}' has its minimum above its maximum")
        return (low + high) / 2, (high - low) / 2
    if value.find(":") > 0:
        answer, tolerance = (_decimal(part) for part in value.split(":", 1))
        if tolerance < 0:
            raise _UnmappableError(f"numeric answer '{value}' has a negative tolerance")
        return answer, tolerance
    return _decimal(value), Decimal(0)


def _decimal(text: str) -> Decimal:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise _UnmappableError(f"numeric answer '{text}' is not a number")
    value = Decimal(text)
    if value and abs(value.adjusted()) > _MAX_EXPONENT:
        raise _UnmappableError(f"numeric answer '{text}' is out of range")
    return value


def _plain_number(value: Decimal) -> int | float:
    """Return an int for a whole number, else the float whose shortest form is exactly `value`."""
    if value == value.to_integral_value():
        return int(value)
    number = float(str(value))
    if Decimal(repr(number)) != value:
        raise _UnmappableError(f"numeric value {value} has more digits than cadre can store exactly")
    return number


def _split(answers: str, markers: str) -> list[tuple[str, str]]:
    """Split an answer list before each marker character; return (marker, text) pairs."""
    parts = re.split(f"([{re.escape(markers)}])", answers)
    if parts[0].strip():
        starts = " or ".join(f"'{m}'" for m in markers[::-1])
        raise _UnmappableError(f"answer '{_show(parts[0])}' does not start with {starts}")
    return [(parts[i], parts[i + 1].strip()) for i in range(1, len(parts), 2)]


def _weight(marker: str, text: str) -> tuple[Decimal, str]:
    """Return the answer's weight in percent (from `%n%`, else 100 for '=' and 0 for '~') and the rest."""
    found = _WEIGHT.match(text)
    if found:
        weight = Decimal(found.group(1))
        if not -100 <= weight <= 100:
            raise _UnmappableError(f"answer weight %{found.group(1)}% is outside -100 to 100")
        return weight, text[found.end():]
    odd = _LOOKS_LIKE_WEIGHT.match(text)
    if odd:
        raise _UnmappableError(f"answer weight '{_show(odd.group(0))}' is not a number like %50%")
    return (Decimal(100) if marker == "=" else Decimal(0)), text


def _prompt(before: str, after: str, gap: bool) -> str:
    """Return the question text: the blank where the answers were (missing-word form) or the two parts joined."""
    if not after.strip():
        return _show(before)
    if gap:
        return _show(before + BLANK + after)
    head, tail = before.rstrip(), after.lstrip()
    space = " " if head and (head != before or tail != after) else ""
    return _show(head + space + tail)


def _show(raw: str) -> str:
    """Return a piece of GIFT text as the bank holds it: format marker dropped, escapes put back, trimmed."""
    raw = raw.strip()
    marker = _FORMAT.match(raw)
    if marker:
        raw = raw[marker.end():]
    return "".join(_SHOW.get(ch, ch) for ch in raw).strip()


def _category_tag(path: str) -> str | None:
    """Return the last part of a `$CATEGORY:` path (Moodle writes a '/' inside a name as '//')."""
    slash = "\ue0ff"
    parts = [_show(p).replace(slash, "/") for p in path.replace("//", slash).split("/")]
    context = [p for p in parts if p.startswith("$") and p.endswith("$") and len(p) > 1]
    names = [p for p in parts if p and p not in context]
    if context and names[:1] == ["top"]:
        names = names[1:]
    return names[-1] if names else None


# --- Aiken -----------------------------------------------------------------------------------------


@dataclass
class _AikenDraft:
    line: int
    position: int
    text: list[str] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)
    after_blank: bool = False

    def finish(self, answer_line: str | None) -> dict[str, Any]:
        """Return the bank fields of the finished question, or raise what is wrong with it."""
        if answer_line is None:
            if not self.options:
                raise _UnmappableError("question text with no options and no 'ANSWER: X' line")
            raise _UnmappableError("no 'ANSWER: X' line after the options")
        if not self.text:
            raise _UnmappableError("options with no question text before them")
        answer = _AIKEN_ANSWER.fullmatch(answer_line)
        if not answer:
            raise _UnmappableError(f"the answer line must read 'ANSWER: X' with one capital letter, not '{answer_line}'")
        letters = [letter for letter, _ in self.options]
        if len(letters) < _MIN_OPTIONS:
            raise _UnmappableError(f"{len(letters)} option: a question needs at least {_MIN_OPTIONS}")
        expected = [_letter(i) for i in range(len(letters))]
        if letters != expected:
            raise _UnmappableError(f"options must be lettered {', '.join(expected)} in order, not {', '.join(letters)}")
        empty = [letter for letter, text in self.options if not text]
        if empty:
            raise _UnmappableError(f"option {empty[0]} has no text")
        if answer.group(1) not in letters:
            raise _UnmappableError(f"answer {answer.group(1)} is not among the options {letters[0]}–{letters[-1]}")
        return {
            "type": "single",
            "prompt": "\n".join(self.text),
            "options": [text for _, text in self.options],
            "answer": answer.group(1),
        }


# --- shared ----------------------------------------------------------------------------------------

_KEY_ORDER = ("id", "level", "type", "prompt", "options", "answer", "scoring", "tolerance", "unit", "items", "pairs",
              "explanation", "points", "tags")


class _Ids:
    """Hands out question ids, adding -2, -3... to one already taken."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, base: str) -> str:
        qid, n = base, 1
        while qid in self.taken:
            n += 1
            qid = f"{base}-{n}"
        self.taken.add(qid)
        return qid


def _ordered(question: dict[str, Any]) -> dict[str, Any]:
    """Return the mapping with the bank's keys in the bank's order, empty optional ones left out."""
    return {key: question[key] for key in _KEY_ORDER if question.get(key) is not None}


def _lines(text: str) -> list[str]:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _letter(index: int) -> str:
    return chr(ord("A") + index)


def _right_first(feedback: list[str], right: list[int]) -> list[str]:
    return [feedback[i] for i in right] + [fb for i, fb in enumerate(feedback) if i not in right]


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(t for t in texts if t))

"""The `cadre` command: one click group, each command a few lines over a library function."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import Diagnostic, ProjectError

F = Callable[..., Any]


def project_option(func: F) -> F:
    """The --project option every command takes."""
    return click.option(
        "--project", "-p",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default="the current folder",
        help="The project folder (the one holding content/).",
    )(func)


def quiet_option(func: F) -> F:
    return click.option("--quiet", "-q", is_flag=True, help="Print only warnings and errors.")(func)


def ledger_option(func: F) -> F:
    """--ledger and --demo: which ledger a command reads or writes."""
    func = click.option(
        "--demo", is_flag=True, help="Use the demonstration ledger (data/demo-ledger.sqlite3) instead of the real one."
    )(func)
    return click.option(
        "--ledger", "ledger", default=None, metavar="URL",
        help="A SQLite file or a postgresql:// URL.  [default: $CADRE_LEDGER, else data/ledger.sqlite3]",
    )(func)


def show_progress(quiet: bool) -> bool:
    """Progress bars only for a person at a terminal: never in CI, in a pipe, or with --quiet."""
    import os
    import sys

    return not quiet and sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("1", "true", "yes")


def _progress(length: int, label: str, quiet: bool) -> Any:
    """A click progress bar on standard error, hidden unless show_progress()."""
    import sys

    return click.progressbar(length=length, label=label, file=sys.stderr, hidden=not show_progress(quiet),
                             item_show_func=lambda item: str(item) if item else None)


def _warn(warnings: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for w in warnings:
        click.echo(str(w), err=True)


def _project_errors(func: F) -> F:
    """Print a project's warnings before its errors, in file order, then fail once."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ProjectError:
            raise
        except OSError as exc:
            raise click.ClickException(f"{exc.filename or ''}: {exc.strerror or exc}") from exc

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="cadre")
def main() -> None:
    """Training sites, exams and certificates for township cadres.

    Trainers write skills in Markdown and question banks in YAML; cadre checks them, builds a
    static training site that works on a phone and offline, and keeps the certificate ledger.

    \b
    Example:
      cadre init my-county      # start a new project
      cd my-county
      cadre check               # find every mistake, write nothing
      cadre build               # write the site into site/
    """


@main.command()
@project_option
@quiet_option
@ledger_option
@click.option(
    "--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where to write the site.  [default: site/ in the project]",
)
@click.option("--no-cache", is_flag=True, help="Build everything from nothing, without reading or writing .cadre-cache/.")
@_project_errors
def build(project: Path, quiet: bool, ledger: str | None, demo: bool, out: Path | None, no_cache: bool) -> None:
    """Build the static training site into site/.

    Everything is read and checked first, so a failed build leaves the previous site as it was.
    The first build writes the new site beside the old one and swaps it in. It remembers what it
    did in .cadre-cache/ (safe to delete), so the next build parses, renders and writes only what
    changed since; the result is the same, byte for byte. The certificate registry
    (ledger/) is published from the ledger; --demo builds from a demonstration ledger, made by
    running the roster through simulated exams, and marks every page with a banner.

    \b
    Example:
      cadre build
      cadre build --demo
      cadre build --project ../county --out /var/www/training
      cadre build --no-cache
    """
    from .render.site import BUILD_STAGES, build_site

    with _progress(len(BUILD_STAGES), "Building", quiet) as bar:
        result = build_site(project, out, demo=demo, ledger=ledger, progress=lambda stage: bar.update(1, stage),
                            cache=not no_cache)
    _warn(result.warnings)
    if not quiet:
        where = _display(result.out)
        click.echo(f"Built {result.pages} pages ({result.files} files) into {where}/")
        click.echo(f"Open {where}/index.html in a browser to study offline, or serve it with the exam API:")
        click.echo("  cadre serve" + (" --demo" if demo else "") + "   # then visit http://127.0.0.1:8000/")


@main.command()
@project_option
@quiet_option
@_project_errors
def check(project: Path, quiet: bool) -> None:
    """Check every file of the project and report all errors at once; write nothing.

    Each problem is one line, `path:line:column: error: message`. The exit code is 0 when
    the project is valid and 2 when it has errors.

    \b
    Example:
      cadre check
      cadre check --project ../county
    """
    from .render.site import check_project

    proj, _compiled, diags = check_project(project)
    _warn(diags.warnings)
    if not quiet:
        lessons = sum(len(s.lessons) for s in proj.skills.values())
        click.echo(
            f"OK: {len(proj.skills)} skills ({lessons} lessons), {len(proj.guides)} guides, "
            f"{len(proj.cadres)} cadres in {len(proj.townships)} townships, {len(proj.services)} service items"
        )


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new, small, valid project in DIRECTORY.

    \b
    Example:
      cadre init my-county && cadre build --project my-county
    """
    from .scaffold import init_project

    files = init_project(directory)
    click.echo(f"Created a project with {len(files)} files in {_display(directory)}/")
    click.echo(f"Next: cd {_display(directory)} && cadre build")


@main.group()
def new() -> None:
    """Create new content from a template.

    \b
    Example:
      cadre new skill tea-pruning --category economy --title 茶树修剪
    """


@new.command("skill")
@click.argument("skill_id", metavar="ID")
@click.option("--category", "-c", required=True, help="The category id from curriculum.yaml.")
@click.option("--title", "-t", default=None, help="The skill's title.  [default: the id]")
@click.option("--bundle", is_flag=True, help="Make a folder with index.md and a first lesson.")
@project_option
@_project_errors
def new_skill_command(skill_id: str, category: str, title: str | None, bundle: bool, project: Path) -> None:
    """Write content/skills/CATEGORY/ID.md with its front matter filled in.

    \b
    Example:
      cadre new skill tea-pruning --category economy --title 茶树修剪
      cadre new skill mushroom-drying --category economy --bundle
    """
    from .scaffold import new_skill

    path = new_skill(project, skill_id, category, title, bundle)
    click.echo(f"Wrote {_display(path)}")


@main.group()
def quiz() -> None:
    """Work with question banks.

    \b
    Example:
      cadre quiz import moodle-export.gift --skill tea-garden-management
    """


@quiz.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skill", "-s", required=True, help="The skill the questions belong to.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the bank.  [default: quizzes/SKILL.yaml]")
@click.option("--level", "-l", type=int, default=1, show_default=True, help="The level the questions are for.")
@click.option("--force", is_flag=True, help="Replace the bank if it already exists.")
@project_option
@_project_errors
def quiz_import(file: Path, skill: str, out: Path | None, level: int, force: bool, project: Path) -> None:
    """Import Moodle GIFT or Aiken questions into a question bank.

    GIFT (.gift, or .txt in GIFT syntax): multiple choice with one or several right answers and
    %weights%, true/false, short answer (as fill), missing word, numeric ({#3.5:0.1}, {#1..5})
    and matching. Aiken: multiple choice. Essay, description and cloze questions cannot be
    mapped; each is listed with its line. The bank is checked before it is written; imported
    questions are exam-only until you mark some `practice: true`.

    \b
    Example:
      cadre quiz import moodle-export.gift --skill tea-garden-management
      cadre quiz import questions.txt --skill dispute-mediation --level 2 --out review/dispute-mediation.yaml
    """
    from .quiz.importer import import_questions

    result = import_questions(project, file, skill, out, level, force)
    for skipped in result.skipped:
        click.echo(f"{_display(file)}:{skipped.line}:1: warning: not imported: {skipped.message}", err=True)
    click.echo(
        f"Imported {result.imported} question(s) from {result.format.upper()} into {_display(result.out)}"
        + (f"; {len(result.skipped)} could not be mapped (listed above)" if result.skipped else "")
    )


@main.command()
@project_option
@ledger_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port to listen on.")
@click.option("--watch", is_flag=True, help="Rebuild on every save and reload the open pages (for trainers writing content).")
@_project_errors
def serve(project: Path, ledger: str | None, demo: bool, host: str, port: int, watch: bool) -> None:
    """Serve the built site and the exam API.

    Cadres sign in on the site's exam page (exams/) with their roster id and PIN, take an exam
    under the server's clock, and get their certificate in the ledger when they pass. Build the
    site first (cadre build); give PINs with cadre accounts issue.

    \b
    Example:
      cadre build && cadre serve
      cadre serve --watch            # while writing: rebuild on save, errors shown on the page
      cadre serve --host 0.0.0.0 --port 8080 --ledger postgresql://cadre@db/ledger
    """
    import uvicorn

    from .exams.context import open_exams
    from .server.app import create_app

    context = open_exams(project, ledger, demo)
    site = context.project.root / "site"
    watcher = None
    if watch:
        from .cache import BuildState
        from .render.site import build_site
        from .server.watch import Watcher

        # Rebuilds keep what they know in memory: only what a save changed is rendered and written.
        state = BuildState.load(context.project.root)
        watcher = Watcher(context.project.root, lambda changed: build_site(
            context.project.root, demo=demo, ledger=ledger, state=state, changed=changed))
        watcher.rebuild()
        for line in watcher.errors:
            click.echo(line, err=True)
        watcher.start()
    if not (site / "index.html").is_file():
        raise click.ClickException(f"no built site in {_display(site)}/; run 'cadre build' first")
    click.echo(f"Serving {_display(site)}/ and the exam API on http://{host}:{port}/ (exam page: /exams/)"
               + ("; rebuilding on every save" if watch else ""))
    uvicorn.run(create_app(context.exams, site, watcher=watcher), host=host, port=port, log_level="warning")


@main.group()
def accounts() -> None:
    """Give cadres PINs for online exams.

    \b
    Example:
      cadre accounts issue --township 云溪乡
    """


@accounts.command("issue")
@project_option
@ledger_option
@click.option("--township", "-t", default=None, help="Only the cadres of this township.")
@click.option("--cadres", "cadre_ids", default=None, help="Only these cadre ids, separated by commas.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The printable PIN slips (HTML).  [default: data/pin-slips.html]")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write id,name,pin as CSV (UTF-8 with BOM) for a mail merge.")
@_project_errors
def accounts_issue(
    project: Path, ledger: str | None, demo: bool, township: str | None, cadre_ids: str | None,
    out: Path | None, csv_out: Path | None,
) -> None:
    """Give each cadre a new PIN and write printable PIN slips.

    Only a slow salted hash of each PIN is stored; the slips (one per cadre, with cut lines) are
    the only copy of the PINs, so print them and keep them out of the published site. Issuing
    again replaces a cadre's PIN.

    \b
    Example:
      cadre accounts issue --township 云溪乡
      cadre accounts issue --cadres yx-001,yx-002 --csv pins.csv
    """
    from .exams.slips import issue_accounts
    from .project import load_project

    total = len(load_project(project).cadres)
    with _progress(total, "Hashing PINs", False) as bar:
        written = issue_accounts(project, ledger, demo, township, cadre_ids, out, csv_out,
                                 progress=lambda cadre_id: bar.update(1, cadre_id))
    click.echo(f"Issued {written.count} PIN(s); slips in {_display(written.slips)}"
               + (f", CSV in {_display(written.csv)}" if written.csv else ""))


@main.group()
def ledger() -> None:
    """Read, check, revoke and export the certificate ledger.

    \b
    Example:
      cadre ledger list --township 云溪乡
      cadre ledger verify
    """


def _open_ledger(project: Path, ledger_url: str | None, demo: bool) -> Any:
    from .exams.context import open_ledger
    from .project import load_project

    return open_ledger(load_project(project), ledger_url, demo, must_exist=True)


def _now() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC)


@ledger.command("list")
@project_option
@ledger_option
@click.option("--status", type=click.Choice(["valid", "expired", "revoked", "all"]), default="valid", show_default=True)
@click.option("--township", "-t", default=None, help="Only the cadres of this township.")
@click.option("--skill", "-s", default=None, help="Only this skill id.")
@_project_errors
def ledger_list(project: Path, ledger: str | None, demo: bool, status: str, township: str | None, skill: str | None) -> None:
    """List certificates, one per line.

    \b
    Example:
      cadre ledger list
      cadre ledger list --status expired --township 云溪乡
    """
    from .ledger.export import select
    from .project import load_project

    log = _open_ledger(project, ledger, demo)
    proj = load_project(project)
    cadres = {c.id for c in proj.cadres if c.township == township} if township else None
    now = _now()
    certs = select(log.certificates(), now, status, skill, cadres)
    for c in certs:
        e = c.entry
        click.echo(f"{c.cert_id}\t{c.status(now)}\t{e['cadre_id']}\t{e['cadre_name']}\t{e['skill_title']}\t"
                   f"L{e['level']}\t{e['score']}\t{e['expires_at'][:10]}")
    click.echo(f"{len(certs)} certificate(s)", err=True)


@ledger.command("show")
@click.argument("cert_id")
@project_option
@ledger_option
@_project_errors
def ledger_show(cert_id: str, project: Path, ledger: str | None, demo: bool) -> None:
    """Show one certificate: its entries, its status and its proof.

    \b
    Example:
      cadre ledger show QX-2026-000001
    """
    import json

    from .ledger.merkle import inclusion_proof

    log = _open_ledger(project, ledger, demo)
    cert = log.certificate(cert_id)
    if cert is None:
        raise click.ClickException(f"no certificate {cert_id} in the ledger")
    entries = [e for e in log.entries() if e["cert_id"] == cert_id]
    sth = log.tree_head()
    proof = inclusion_proof(cert.seq, log.leaf_hashes()[: sth["tree_size"]]) if sth else []
    click.echo(json.dumps({"status": cert.status(_now()), "entries": entries, "leaf_index": cert.seq,
                           "audit_path": [h.hex() for h in proof], "sth": sth}, ensure_ascii=False, indent=1))


@ledger.command("verify")
@project_option
@ledger_option
@_project_errors
def ledger_verify(project: Path, ledger: str | None, demo: bool) -> None:
    """Recompute every leaf hash and every signed root; name the first entry that differs.

    Exit code 0 when the ledger is intact, 1 when it is not.

    \b
    Example:
      cadre ledger verify
      cadre ledger verify --ledger postgresql://cadre@db/ledger
    """
    log = _open_ledger(project, ledger, demo)
    report = log.verify()
    if not report.ok:
        click.echo(f"ledger is NOT intact: {report.problem}", err=True)
        raise SystemExit(1)
    sth = log.tree_head()
    root = f"; root {sth['root_hash']} signed {sth['timestamp']}" if sth else ""
    click.echo(f"OK: {report.entries} entries and {report.tree_heads} signed tree heads verified{root}")


@ledger.command("revoke")
@click.argument("cert_id")
@click.option("--reason", "-r", required=True, help="Why the certificate is revoked (published).")
@project_option
@ledger_option
@_project_errors
def ledger_revoke(cert_id: str, reason: str, project: Path, ledger: str | None, demo: bool) -> None:
    """Revoke a certificate; the revocation is appended to the ledger with its reason.

    \b
    Example:
      cadre ledger revoke QX-2026-000001 --reason "持证人已调离岗位"
    """
    log = _open_ledger(project, ledger, demo)
    entry = log.revoke(cert_id, reason, _now())
    click.echo(f"Revoked {cert_id} (ledger entry {entry['seq']}); rebuild the site to publish it")


@ledger.command("export")
@project_option
@ledger_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write.  [default: standard output]")
@_project_errors
def ledger_export(project: Path, ledger: str | None, demo: bool, fmt: str, out: Path | None) -> None:
    """Export every ledger entry: CSV (UTF-8 with BOM, opens in Excel/WPS) or JSON (with the tree head).

    \b
    Example:
      cadre ledger export --out certificates.csv
      cadre ledger export --format json --out ledger.json
    """
    from .ledger.export import export_csv, export_json

    log = _open_ledger(project, ledger, demo)
    data = export_csv(log) if fmt == "csv" else export_json(log)
    if out is None:
        click.echo(data.decode("utf-8-sig"), nl=False)
    else:
        out.write_bytes(data)
        click.echo(f"Wrote {len(log.entries())} entries to {_display(out)}", err=True)


@main.group()
def exam() -> None:
    """Paper exams: printable papers for a training session.

    \b
    Example:
      cadre exam paper mushroom-cultivation --level 1 --township 云溪乡
    """


@exam.command("paper")
@click.argument("skill")
@click.option("--level", "-l", type=int, required=True, help="The level of the exam.")
@click.option("--cadres", "cadre_ids", default=None, help="The cadre ids, separated by commas.")
@click.option("--township", "-t", default=None, help="Every cadre of this township.")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The folder to write.  [default: data/papers/SKILL-LLEVEL-YYYYMMDD-HHMMSS/]")
@project_option
@ledger_option
@_project_errors
def exam_paper(
    skill: str, level: int, cadre_ids: str | None, township: str | None, out: Path | None,
    project: Path, ledger: str | None, demo: bool,
) -> None:
    """Print one exam paper per cadre, each its own draw, for grading with cadre grade.

    Each paper starts a paper attempt (valid 90 days, counted against the cadre's attempts) and
    carries its attempt code as text and QR code. The folder gets papers.html (A4, one cadre per
    page), answer-key.html (for the trainer: each paper's answers in the letters it shows) and
    sheet.csv, the blank answer sheet to type the answers into. A cadre who may not take the
    exam now is reported; the others still get their papers.

    \b
    Example:
      cadre exam paper mushroom-cultivation --level 1 --township 云溪乡
      cadre exam paper dispute-mediation --level 2 --cadres yx-001,yx-004 --out session-0612
    """
    from .errors import CadreError
    from .exams.paper import make_papers

    if (cadre_ids is None) == (township is None):
        raise click.UsageError("give exactly one of --cadres IDS and --township NAME")
    run = make_papers(project, ledger, demo, skill, level, cadre_ids, township, out)
    for refusal in run.refused:
        click.echo(f"warning: no paper for {refusal.cadre.name} ({refusal.cadre.id}): {refusal.message}", err=True)
    if not run.papers:
        raise CadreError("no paper was made")
    click.echo(f"Wrote {len(run.papers)} paper(s) into {_display(run.out)}/: "
               f"{run.papers_html.name} (print), {run.key_html.name} (trainer only), {run.sheet_csv.name} (answer sheet)")
    click.echo(f"After the exam, type the answers into the sheet and run: cadre grade {_display(run.sheet_csv)}")


@main.command()
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
@ledger_option
@quiet_option
@_project_errors
def grade(sheet: Path, project: Path, ledger: str | None, demo: bool, quiet: bool) -> None:
    """Grade a typed-in answer sheet of paper exams (.csv or .xlsx).

    The sheet has the header `attempt,1,2,3,...` and one row per paper: its attempt code, then
    the answers in printed order as the paper's answer boxes show (B; ACD; 对 or 错; fill-in
    blanks separated by |; a number; CABD; 1B 2A 3C). Leave a cell empty for no answer. CSV may
    be UTF-8 or GB18030. Every pass issues or renews a certificate in the ledger. Each row is
    graded on its own: a bad row is reported as SHEET:LINE:COLUMN and the others still count;
    an attempt already graded is skipped, so grading a sheet again changes nothing. The exit
    code is 2 when any row was bad.

    \b
    Example:
      cadre grade data/papers/mushroom-cultivation-L1-20250612-090000/sheet.csv
      cadre grade answers.xlsx --project ../county
    """
    from .exams.sheets import grade_sheet

    def progress(rows: Any) -> Any:
        return click.progressbar(rows, label="Grading", file=sys.stderr)

    report = grade_sheet(project, ledger, demo, sheet, str(sheet), progress if show_progress(quiet) else None)
    _warn(report.diagnostics)
    click.echo(
        f"Graded {report.graded} (passed {report.passed}, certificates issued/renewed {report.certificates}), "
        f"already graded {report.already}, bad rows {report.bad}"
    )
    if report.bad:
        click.get_current_context().exit(2)


@main.command()
@project_option
@ledger_option
@quiet_option
@click.option("--township", "-t", default=None, help="Only this township.  [default: every township with cadres]")
@click.option("--pdf", is_flag=True, help="Also write PDF (needs the pdf extra: pip install 'cadre[pdf]').")
@click.option("--paper", type=click.Choice(["A5", "A4"]), default="A5", show_default=True, help="Page size.")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write.  [default: print/ in the project]")
@_project_errors
def guide(project: Path, ledger: str | None, demo: bool, quiet: bool, township: str | None, pdf: bool, paper: str,
          out: Path | None) -> None:
    """Write the cadre service guide of each township, print-ready (A5 booklet by default).

    Every cadre with post, duties, certified skills and proficiency (from the ledger), phone and
    a QR code to call; the public service items; the required-skill legend. Page numbers and a
    running header come from the print stylesheet.

    \b
    Example:
      cadre guide --township 云溪乡 --pdf
      cadre guide --demo --pdf --paper A4 --out /tmp/guides
    """
    from .project import load_project
    from .render.guide import townships_with_cadres
    from .render.printing import write_guides

    count = 1 if township else len(townships_with_cadres(load_project(project)))
    with _progress(count, "Writing guides", quiet) as bar:
        printed = write_guides(project, township, pdf, paper, out, demo, ledger, progress=lambda name: bar.update(1, name))
    for item in printed:
        for warning in item.warnings:
            click.echo(f"{_display(item.pdf or item.html)}: warning: {warning}", err=True)
        if not quiet:
            made = _display(item.pdf) if item.pdf else _display(item.html)
            click.echo(f"{item.township}: {item.cadres} cadres -> {made}")


@main.command()
@click.argument("name", type=click.Choice(["coverage", "expiring", "training", "items"]))  # reports.data.REPORTS
@project_option
@ledger_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--days", type=click.IntRange(1, 3650), default=90, show_default=True, help="For expiring: how many days ahead.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write.  [default: standard output]")
@_project_errors
def report(name: str, project: Path, ledger: str | None, demo: bool, fmt: str, days: int, out: Path | None) -> None:
    """Print a report: coverage, expiring, training or items.

    \b
    coverage  every cadre against the certificate minimum and their required skills
    expiring  certificates that expire within --days (default 90)
    training  attempts, pass rates and mean scores by skill, level and township
    items     facility, discrimination and reliability of every question bank (docs/statistics.md)

    CSV is UTF-8 with BOM, so Excel and WPS open the Chinese right.

    \b
    Example:
      cadre report coverage
      cadre report expiring --days 30 --format csv --out expiring.csv
      cadre report items --demo --format json
    """
    from .exams.context import open_ledger
    from .i18n import Translator
    from .project import load_project
    from .reports import data
    from .reports.output import as_csv, as_json, as_text

    proj = load_project(project)
    log = open_ledger(proj, ledger, demo)
    certs = log.certificates() if log else []
    db = log.db if log else None
    table = data.report(name, proj, certs, db, _now(), Translator(proj.site.locale), days)
    text: str | bytes = as_text(table) if fmt == "table" else as_csv(table) if fmt == "csv" else as_json(table)
    if out is not None:
        out.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        click.echo(f"Wrote {_display(out)}", err=True)
    else:
        click.echo(text.decode("utf-8-sig") if isinstance(text, bytes) else text, nl=False)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

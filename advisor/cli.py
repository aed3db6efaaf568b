"""Command line: ``python -m advisor …`` — a thin layer over the ``Advisor`` API."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from .config import Settings
from .errors import AdvisorError, storage_error
from .records import SearchFilters

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="零碳园区政策与路径顾问 / Low-Carbon Park Advisor")
out = Console()
err = Console(stderr=True, soft_wrap=True)


def _friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn advisor errors into a clear two-language message and an exit code (2 input or index state, 4 disk
    full, 5 no write permission or read-only, 6 vector server unreachable) — never a traceback for these."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AdvisorError as exc:
            err.print(f"[bold red]错误 / Error:[/] {exc}", highlight=False)
            raise typer.Exit(getattr(exc, "exit_code", 2)) from exc
        except (OSError, sqlite3.Error) as exc:
            found = storage_error(exc, Settings().data_dir)
            if found is None:
                raise
            err.print(f"[bold red]错误 / Error:[/] {found}", highlight=False)
            raise typer.Exit(found.exit_code) from exc

    return wrapper


def _tqdm_progress() -> tuple[Callable[[int, int, str], None], Callable[[], None]]:
    """One progress bar per ingest stage (messages are ``"stage: file"``)."""
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def update(done: int, total: int, message: str) -> None:
        stage, _, name = message.partition(": ")
        if bar.get("stage") != stage:
            if "bar" in bar:
                bar["bar"].close()
            bar["stage"] = stage
            bar["bar"] = tqdm(total=total, desc=stage, unit="个" if stage.startswith("读取") else "块", file=sys.stderr)
        b = bar["bar"]
        b.total = total
        b.set_postfix_str(name[:30], refresh=False)
        b.update(done - b.n)

    return update, lambda: bar.get("bar") and bar["bar"].close()


def _report_warnings(report) -> None:
    for path, notes in report.warnings.items():
        for note in notes:
            err.print(f"[yellow]质量 / quality[/] {Path(path).name}: {note}", highlight=False)
    for msg in report.failed.values():
        err.print(f"[red]失败 / failed[/] {msg}", highlight=False)


def _open(settings: Settings | None = None):
    from .service import Advisor

    return Advisor(settings or Settings())


def _ensure(advisor) -> None:
    """An empty default index is built from the bundled corpus; a damaged one is reported (search still runs)."""
    if advisor.is_empty():
        err.print("索引为空，正在从 corpus/ 建立索引…… / The index is empty; building it from corpus/ …")
        update, close = _tqdm_progress()
        report = advisor.ensure_index(progress=update)
        close()
        if report:
            _report_warnings(report)
        return
    health = advisor.health()
    if not health.ok:
        err.print(f"[yellow]注意 / note:[/] {health.message()}", highlight=False)


@app.command()
@_friendly
def ingest(paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders (default: corpus/)")] = None,
           rebuild: Annotated[bool, typer.Option(help="Drop the index and build it anew")] = False) -> None:
    """建立或更新索引 / Index files and folders (unchanged documents are skipped)."""
    from .errors import IndexStateError
    from .indexing import set_aside
    from .service import Advisor

    settings = Settings()
    try:
        advisor = Advisor(settings, rebuild=rebuild)
    except IndexStateError:
        if not rebuild or settings.chroma_mode == "server":
            raise
        kept = set_aside(settings.data_dir)
        err.print(f"索引目录无法打开，已改名保留为 / the index folder could not be opened; kept as: {kept}")
        advisor = Advisor(settings, embedder=None)
    err.print("正在扫描文件…… / scanning files …")
    update, close = _tqdm_progress()
    report = advisor.ingest(paths, rebuild=rebuild, progress=update)
    close()
    _report_warnings(report)
    repaired = f"；修复 / repaired {report.repaired} 块 chunks" if report.repaired else ""
    out.print(f"新增 / added {len(report.added)}，更新 / replaced {len(report.replaced)}，"
              f"未变 / unchanged {len(report.unchanged)}，失败 / failed {len(report.failed)}；"
              f"写入 / written {report.chunks_written} 块 chunks（新嵌入 / embedded {report.chunks_embedded}）"
              f"{repaired}，{report.seconds:.1f} s", highlight=False)
    if report.failed and not (report.added or report.replaced or report.unchanged):
        raise typer.Exit(1)


@app.command("export-vectors")
@_friendly
def export_vectors(path: Annotated[Optional[Path], typer.Argument(
        help="Output .npz (default: ADVISOR_PASSAGE_VECTORS, corpus/passage-vectors.npz)")] = None) -> None:
    """导出随语料发布的向量 / Write the index's chunk and sentence vectors, by text, to the file shipped with the
    bundled corpus, so a fresh machine's first index embeds only what changed (run after ``ingest --rebuild``)."""
    target, written, pending = _open().export_passage_vectors(path)
    out.print(f"已写入 / wrote {written} 个向量 vectors → {target}", highlight=False)
    if pending:
        err.print(f"[yellow]注意 / note:[/] {pending} 块尚无向量，未导出 / chunks without a vector yet were left "
                  "out (python -m advisor ingest)", highlight=False)


@app.command()
@_friendly
def docs(as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False) -> None:
    """列出已索引文档 / List indexed documents with chunk counts."""
    infos = _open().documents()
    if as_json:
        print(json.dumps([{"doc_id": d.meta.doc_id, "title": d.meta.title, "source": d.meta.source,
                           "issuer": d.meta.issuer, "date": d.meta.date, "doc_type": d.meta.doc_type,
                           "chunks": d.n_chunks} for d in infos], ensure_ascii=False, indent=1))
        return
    table = Table("doc_id", "标题 title", "发布 issuer", "日期 date", "类型 type", "块 chunks")
    for d in infos:
        table.add_row(d.meta.doc_id, d.meta.title, (d.meta.issuer or "")[:20], d.meta.date or "",
                      d.meta.doc_type or "", str(d.n_chunks))
    out.print(table)
    out.print(f"共 {len(infos)} 个文档 / {len(infos)} documents")


@app.command()
@_friendly
def remove(doc: Annotated[str, typer.Argument(help="doc_id or file name")]) -> None:
    """从索引中删除文档 / Remove a document from the index."""
    info = _open().remove(doc)
    if info is None:
        err.print(f"未找到文档 {doc}（用 python -m advisor docs 查看） / no such document: {doc}")
        raise typer.Exit(1)
    out.print(f"已删除 / removed: {info.meta.title} ({info.n_chunks} chunks)")


def _filters(doc: list[str] | None, issuer: str | None, year_from: int | None, year_to: int | None,
             doc_type: list[str] | None) -> SearchFilters | None:
    f = SearchFilters(doc_ids=tuple(doc) if doc else None, issuer=issuer, year_from=year_from, year_to=year_to,
                      doc_types=tuple(doc_type) if doc_type else None)
    return None if f.is_empty() else f


@app.command()
@_friendly
def search(query: Annotated[Optional[str], typer.Argument(help="问题 / query")] = None,
           k: Annotated[int, typer.Option("--k", min=1, max=100)] = 5,
           as_json: Annotated[bool, typer.Option("--json")] = False,
           batch: Annotated[Optional[Path], typer.Option(help="File with one query per line")] = None,
           mode: Annotated[str, typer.Option(help="hybrid | dense | bm25")] = "hybrid",
           doc: Annotated[Optional[list[str]], typer.Option(help="Only these documents (doc_id or file)")] = None,
           issuer: Annotated[Optional[str], typer.Option(help="Issuer contains")] = None,
           year_from: Annotated[Optional[int], typer.Option()] = None,
           year_to: Annotated[Optional[int], typer.Option()] = None,
           doc_type: Annotated[Optional[list[str]], typer.Option("--type", help="白皮书/通知/意见/方案/办法")] = None) -> None:
    """检索 / Search the index (hybrid BM25 + dense by default)."""
    if not query and not batch:
        err.print("请给出问题或 --batch 文件 / give a query or --batch FILE")
        raise typer.Exit(2)
    advisor = _open()
    _ensure(advisor)
    filters = _filters(doc, issuer, year_from, year_to, doc_type)
    if batch:
        if not batch.is_file():
            raise AdvisorError("批量问题文件不存在", "batch file not found", batch)
        for line in batch.read_text(encoding="utf-8").splitlines():
            if line.strip():
                hits = advisor.search(line.strip(), k=k, mode=mode, filters=filters)  # type: ignore[arg-type]
                if as_json:
                    print(json.dumps({"query": line.strip(), "hits": [h.to_json() for h in hits]}, ensure_ascii=False),
                          flush=True)
                else:
                    _print_hits(line.strip(), hits)
        return
    hits = advisor.search(query or "", k=k, mode=mode, filters=filters)  # type: ignore[arg-type]
    if as_json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=1))
    else:
        _print_hits(query or "", hits)


def _print_hits(query: str, hits: list) -> None:
    out.rule(f"[bold]{query}")
    if not hits:
        out.print("没有找到相关段落 / no matching passages")
    for h in hits:
        out.print(f"[bold cyan][{h.rank}][/] {h.source_label()} "
                  f"[dim]({h.meta.source}; {'+'.join(h.retrievers)}; {h.score:.4f})[/]", highlight=False)
        out.print("    " + h.chunk.text.replace("\n", " ")[:220], highlight=False)


def _print_answer(ans) -> None:
    from .citations import excerpt
    from .text import is_english

    out.rule(f"[bold]{ans.question}")
    out.print(ans.answer, highlight=False)
    for level, note in ans.notes.messages("en" if is_english(ans.question) else "zh"):
        colour = "yellow" if level == "warning" else "cyan"
        out.print(f"[{colour}]注意 / note:[/] {note}", highlight=False)  # with its answer, in a batch as alone
    if ans.citations:
        out.print("[bold]来源 / Sources[/]")
    for c in ans.citations:
        h = c.hit
        out.print(f"  [{c.n}] {h.source_label()}  [dim]{h.meta.source}[/]", highlight=False)
        out.print("      " + excerpt(h.chunk.text, ans.supported_by(c)), highlight=False)
    out.print(f"[dim]模式 mode: {ans.mode} · {ans.timings['total_ms']:.0f} ms[/]")


@app.command()
@_friendly
def ask(question: Annotated[Optional[str], typer.Argument(help="问题 / question")] = None,
        profile: Annotated[Optional[Path], typer.Option(help="Park profile (YAML or JSON)")] = None,
        as_json: Annotated[bool, typer.Option("--json")] = False,
        batch: Annotated[Optional[Path], typer.Option(help="One question per line, or JSON Lines: {\"question\": …} or "
                                                           "a conversation {\"turns\": [q1, q2, …]}")] = None) -> None:
    """提问 / Ask a question; the answer cites the passages it rests on. --batch also asks whole conversations."""
    from .profile import load_profile
    from .records import Turn

    if not question and not batch:
        err.print("请给出问题或 --batch 文件 / give a question or --batch FILE")
        raise typer.Exit(2)
    park = load_profile(profile) if profile else None
    advisor = _open()
    _ensure(advisor)
    if not batch:
        ans = advisor.ask(question or "", profile=park)
        if as_json:
            print(json.dumps(ans.to_json(), ensure_ascii=False, indent=1))
        else:
            _print_answer(ans)
        return
    for n, turns in enumerate(_conversations(batch), start=1):
        history: list[Turn] = []
        for i, turn in enumerate(turns):
            ans = advisor.ask(turn, profile=park, history=history)
            history += [Turn("user", turn), Turn("assistant", ans.answer)]
            if as_json:
                print(json.dumps({"conversation": n, "turn": i + 1, **ans.to_json()}, ensure_ascii=False), flush=True)
            else:
                _print_answer(ans)


def _conversations(batch: Path) -> list[list[str]]:
    """A batch file's conversations: each plain line or ``{"question"}`` is one turn alone; ``{"turns"}`` is several."""
    if not batch.is_file():
        raise AdvisorError("批量问题文件不存在", "batch file not found", batch)
    out: list[list[str]] = []
    for i, line in enumerate(batch.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if not line.startswith("{"):
            out.append([line])
            continue
        try:
            row = json.loads(line)
            turns = [str(t) for t in row["turns"]] if row.get("turns") else [str(row["question"])]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise AdvisorError(f"批量文件第 {i} 行格式错误（需要 question 或 turns）",
                               f"line {i} of the batch file is malformed (needs question or turns)", batch) from exc
        if turns and all(t.strip() for t in turns):
            out.append(turns)
    return out


@app.command()
@_friendly
def pathway(profile: Annotated[Path, typer.Argument(help="Park profile (YAML or JSON)")],
            out_path: Annotated[Optional[Path], typer.Option("--out", help="draft.docx or draft.md")] = None,
            as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """起草转型路径 / Draft a cited transition pathway for a park; export to .docx or .md."""
    from .charts import trajectory_png
    from .export import to_docx, to_markdown
    from .profile import load_profile

    park = load_profile(profile)
    if out_path and out_path.suffix.lower() not in (".docx", ".md"):
        raise AdvisorError("输出文件须为 .docx 或 .md", "the output must be .docx or .md", out_path)
    advisor = _open()
    _ensure(advisor)
    draft = advisor.pathway(park)
    if out_path:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        if out_path.suffix.lower() == ".docx":
            to_docx(draft, out_path)
        else:
            chart = None
            if png := trajectory_png(draft.trajectory):
                chart = out_path.with_name(f"{out_path.stem}-trajectory.png")
                chart.write_bytes(png)
            out_path.write_text(to_markdown(draft, chart=chart.name if chart else None), encoding="utf-8")
        err.print(f"已写入 / written: {out_path} ({len(draft.references)} 条参考资料 references, {draft.seconds:.1f} s)")
    if as_json:
        print(json.dumps(draft.to_json(), ensure_ascii=False, indent=1))
    elif not out_path:
        print(to_markdown(draft))


@app.command()
@_friendly
def assess(profile: Annotated[Path, typer.Argument(help="Park profile (YAML or JSON)")],
           as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False) -> None:
    """指标自评 / The park's values against published indicator systems, each threshold with its source."""
    from .export import assessment_groups, label, missing_line
    from .profile import load_profile

    park = load_profile(profile)
    advisor = _open()
    _ensure(advisor)
    result = advisor.assess(park)
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        return
    for title, note, rows in assessment_groups(result):
        table = Table(title=title, show_lines=False)
        for head in label("asm_cols"):
            table.add_column(head, overflow="fold")  # wrapped, never cut: a 不适用 row's reason is the point
        for row in rows:
            table.add_row(*row)
        out.print(table)
        if note:
            out.print(f"[dim]{note}[/dim]")
    for s in result.skipped:
        out.print(f"[dim]未评估（适用于{'、'.join(s.park_types)}）/ not assessed (for {', '.join(s.park_types)}): "
                  f"{s.title}[/dim]")
    counts = result.counts()
    out.print(f"达标 met {counts['met']} · 未达标 not met {counts['not_met']} · 缺数据 no data {counts['unknown']} · "
              f"不适用 n/a {counts['not_applicable']}")
    if result.missing:
        out.print(f"{label('missing')}：{missing_line(result)}")


# dev: tune on it; test, test2: the main corpus, reported only (test2 written later by a helper that saw no code);
# standards_dev / standards_test: the same split for the bundled park indicator standards; dev3 / test3: a later
# bank over all 18 texts, split the same way (evals/split_bank.py); test4: a bank written after all tuning, held out whole
DEFAULT_SETS = ("evals/dev.jsonl", "evals/test.jsonl", "evals/test2.jsonl", "evals/standards_dev.jsonl",
                "evals/standards_test.jsonl", "evals/dev3.jsonl", "evals/test3.jsonl", "evals/test4.jsonl")


def _is_test_set(path: Path) -> bool:
    return path.stem.startswith("test") or path.stem.endswith("_test")


@app.command("eval")
@_friendly
def eval_cmd(sets: Annotated[Optional[list[Path]], typer.Argument(help="JSON Lines question sets (default: the dev and "
                                                                       "test sets in evals/)")] = None,
             k: Annotated[int, typer.Option("--k", min=5, max=50)] = 10,
             answers: Annotated[bool, typer.Option("--answers", help="Evaluate answers instead of retrieval")] = False,
             as_json: Annotated[bool, typer.Option("--json")] = False,
             failures: Annotated[int, typer.Option(help="Failures to print per mode and set (never for test sets "
                                                       "unless --test-failures)")] = 20,
             test_failures: Annotated[bool, typer.Option(help="Also print the failures of test sets (not while tuning)")] = False) -> None:
    """检索/回答评测 / Retrieval: Recall@1/5/10, MRR@10 per mode. --answers: answered, citation precision, refusals.

    Several sets are shown side by side (default: the dev and test sets in evals/). Tune on dev; report test.
    """
    from .evaluation import load_set

    paths = list(sets) if sets else [Path(p) for p in DEFAULT_SETS]
    loaded = {p: load_set(p) for p in paths}
    advisor = _open()
    _ensure(advisor)
    if answers:
        _eval_answers(advisor, loaded, as_json, failures, test_failures)
        return
    results = {p: advisor.evaluate(qs, k=k) for p, qs in loaded.items()}
    if as_json:
        print(json.dumps({str(p): [{"mode": r.mode, "n": r.n, "recall": r.recall, "mrr@10": r.mrr10,
                                    "recall@1500ch": r.recall_chars,
                                    "recall@5_by_lang": r.recall5_by_lang,
                                    "n_failures": len(r.failures),
                                    "failures": [f.__dict__ for f in _shown(p, r.failures, failures, test_failures)]}
                                   for r in rs]
                          for p, rs in results.items()}, ensure_ascii=False, indent=1, default=list))
        return
    table = Table("set", "mode", "n", *[f"R@{c}" for c in next(iter(results.values()))[0].recall], "MRR@10",
                  "R@1500ch", "R@5 zh / en", title="检索评测 / retrieval")
    for p, rs in results.items():
        for r in rs:
            by_lang = " / ".join(f"{r.recall5_by_lang[lang]:.3f}" for lang in ("zh", "en") if lang in r.recall5_by_lang)
            table.add_row(p.stem, r.mode, str(r.n), *[f"{v:.3f}" for v in r.recall.values()], f"{r.mrr10:.3f}",
                          f"{r.recall_chars:.3f}", by_lang)
    out.print(table)
    for p, rs in results.items():
        for r in rs:
            shown = _shown(p, r.failures, failures, test_failures)
            if not shown:
                continue
            out.rule(f"{p.stem} · {r.mode}: 未在前{r.fail_at}命中 / not in the top {r.fail_at} ({len(r.failures)})")
            for f in shown:
                out.print(f"[bold]{f.id}[/] {f.question}  [dim]gold: {f.gold[0][:40]} (rank {f.rank or '-'})[/]",
                          highlight=False)
                for h in f.retrieved:
                    out.print(f"    {h['rank']}. 《{h['doc']}》 {h['section'][-40:]} | {h['text'][:50]}", highlight=False)


def _shown(path: Path, items: list, failures: int, test_failures: bool) -> list:
    """The failures an evaluator is shown: none of a test set unless asked (they are not read while tuning)."""
    return [] if _is_test_set(path) and not test_failures else items[:failures]


def _eval_answers(advisor, loaded: dict, as_json: bool, failures: int, test_failures: bool) -> None:
    results = {p: advisor.evaluate_answers(qs) for p, qs in loaded.items()}
    if as_json:
        print(json.dumps({str(p): [{**r.__dict__, "n_failures": len(r.failures),
                                    "failures": _shown(p, r.failures, failures, test_failures)}
                                   for r in rs] for p, rs in results.items()}, ensure_ascii=False, indent=1))
        return
    table = Table("set", "mode", "answerable", "unanswerable", "answered", "answered zh / en", "citation precision",
                  "per citation", "supported", "refused unanswerable", "p50 ms", "p95 ms", title="回答评测 / answers")
    for p, rs in results.items():
        for r in rs:
            by_lang = " / ".join(f"{r.answered_by_lang[lang]:.3f}" for lang in ("zh", "en") if lang in r.answered_by_lang)
            table.add_row(p.stem, r.mode, str(r.n_answerable), str(r.n_unanswerable), f"{r.answered:.3f}", by_lang,
                          f"{r.citation_precision:.3f}", f"{r.citation_precision_per_citation:.3f}",
                          f"{r.supported_sentence_rate:.3f}", f"{r.refused_unanswerable:.3f}",
                          f"{r.latency_p50_ms:.0f}", f"{r.latency_p95_ms:.0f}")
    out.print(table)
    for p, rs in results.items():
        for r in rs:
            for f in _shown(p, r.failures, failures, test_failures):
                extra = f" [dim]gold: {f['gold'][0][:30]}[/]" if f.get("gold") else (
                    f" [dim]lacks: {f['lacks']}[/]" if f.get("lacks") else "")
                out.print(f"[bold]{p.stem} {r.mode} {f['id']}[/] {f['why']}: {f['question']}{extra}\n    → {f['answer']}",
                          highlight=False)


@app.command()
def config() -> None:
    """显示配置 / Show the settings in effect (env vars ADVISOR_*)."""
    s = Settings()
    table = Table("ADVISOR_*", "value", "description")
    for name, field in Settings.model_fields.items():
        table.add_row(name.upper(), str(getattr(s, name)), field.description or "")
    out.print(table)


def main() -> None:
    """The ``advisor`` console script (``pip install .``)."""
    app()

"""`codegen …` (or `python -m codegen …`): the command surface behind the Makefile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from codegen.errors import CodegenError
from codegen.fingerprint import force_requested
from codegen.progress import Progress


def _parser() -> argparse.ArgumentParser:
    prog = "codegen" if Path(sys.argv[0]).name == "codegen" else "python -m codegen"
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    parser.add_argument("--root", type=Path, default=None, help="project folder holding pyproject.toml")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    sub = parser.add_subparsers(dest="command", required=True)

    regen = sub.add_parser("regenerate", help="regenerate generated/ from the pinned spec, overlays and templates")
    regen.add_argument("--force", action="store_true", help="regenerate even when inputs are unchanged")
    sub.add_parser("check-drift", help="fail if generated/ differs from what the pinned inputs generate")

    update = sub.add_parser("update-spec", help="fetch or read a new spec, validate, pin it and regenerate")
    source = update.add_mutually_exclusive_group()
    source.add_argument("--url", help="fetch from this URL (default: spec_url in [tool.codegen])")
    source.add_argument("--file", type=Path, help="read this file (JSON, YAML, or a docs page embedding one)")

    diff = sub.add_parser("diff", help="what changed between two OpenAPI documents for SDK callers (exit 1: breaking)")
    diff.add_argument("old", type=Path, help="the old document (JSON or YAML), e.g. an effective spec")
    diff.add_argument("new", type=Path, help="the new document")
    diff.add_argument("--json", action="store_true", help="print the changes as JSON")

    gen = sub.add_parser("generate", help="run the pipeline on any OpenAPI 3.0/3.1 document")
    gen.add_argument("--spec", type=Path, required=True, help="OpenAPI document (JSON or YAML)")
    gen.add_argument("--out", type=Path, required=True, help="folder to write NAME-client/ and NAME-mock/ into")
    gen.add_argument("--name", required=True, help="package stem, e.g. acme → acme_client, acme_mock")
    gen.add_argument("--overlay", type=Path, action="append", default=[], help="Overlay 1.0 file (repeatable)")
    gen.add_argument("--version", default="0.1.0", help="version of the generated packages")
    return parser


def _root(arg: Path | None) -> Path:
    if arg is not None:
        return arg.resolve()
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "scripts" / "codegen").is_dir():
            return folder
    from codegen.fingerprint import TOOL_ROOT

    return Path(TOOL_ROOT)


def check_generate_paths(out: Path, overlays: list[Path]) -> None:
    """Fail before any work when --out cannot be a folder or an --overlay file is missing."""
    from codegen.fsutil import nearest_existing

    if out.exists() and not out.is_dir():
        raise CodegenError("the --out path is not a folder", where=str(out), hint="pass a folder (created if missing)")
    ancestor = nearest_existing(out)
    if not ancestor.is_dir():
        raise CodegenError(
            "the --out path lies below a file, which is not a folder",
            where=str(ancestor),
            hint="pass a folder path whose existing parts are all folders",
        )
    for overlay in overlays:
        if not overlay.is_file():
            raise CodegenError("overlay file not found", where=str(overlay), hint="check the path given to --overlay")


def run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    progress = Progress(quiet=args.quiet)
    from codegen import project

    if args.command == "generate":
        from codegen.config import check_version

        check_version(args.version)
        check_generate_paths(args.out, args.overlay)
        return project.generate_generic(args.spec, args.out, args.name, args.overlay, args.version, progress)

    if args.command == "diff":
        return run_diff(args.old, args.new, args.json)

    from codegen.config import load_settings

    settings = load_settings(_root(args.root))
    if args.command in ("regenerate", "check-drift"):
        settings = project.recover(settings, progress)
    if args.command == "regenerate":
        force = args.force or force_requested()
        return project.regenerate(settings, force=force, progress=progress)
    if args.command == "check-drift":
        return project.check_drift(settings, progress)
    if args.command == "update-spec":
        return project.update_spec(settings, args.url, args.file, progress)
    raise AssertionError(args.command)


def run_diff(old: Path, new: Path, as_json: bool) -> int:
    """Print the changes between two documents; exit 1 when one breaks callers, 2 when a document is unusable."""
    from codegen.changelog import render_json, render_text
    from codegen.diff import diff_documents, is_breaking
    from codegen.document import load_document

    try:
        before, after = load_document(old)[1], load_document(new)[1]
    except CodegenError as exc:
        print(exc, file=sys.stderr)
        return 2
    changes = diff_documents(before, after)
    print(render_json(changes) if as_json else render_text(changes), end="")
    return 1 if is_breaking(changes) else 0


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    try:
        return run(arguments)
    except CodegenError as exc:
        print(exc, file=sys.stderr)
        print("codegen: failed; nothing was changed", file=sys.stderr)
        return 1
    except OSError as exc:  # the file system refused: no space, a name too long, a folder we may not write
        where = " → ".join(str(name) for name in (exc.filename, exc.filename2) if name) or None
        error = CodegenError(
            f"file system error: {exc.strerror or exc}",
            where=where,
            hint="check free space and permissions; an over-long schema title or operationId makes an over-long "
            "file name (shorten it with an overlay)",
        )
        print(error, file=sys.stderr)
        print("codegen: failed; nothing was changed", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("codegen: interrupted; nothing was changed", file=sys.stderr)
        return 130

"""Project commands: regenerate (with no-op detection), check-drift, update-spec, generic generate."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from codegen.config import Names, Settings
from codegen.errors import CodegenError
from codegen.fingerprint import (
    MANIFEST,
    NOOP_MESSAGE,
    TOOL_ROOT,
    outputs_match,
    read_manifest,
    sha256_bytes,
    tree_hashes,
)
from codegen.fingerprint import input_hashes as hash_inputs
from codegen.fsutil import check_replaceable, overlay_files, staging_folder, swap_in
from codegen.pin import (
    lock_bytes,
    prepare_pin,
    read_lock,
    read_source,
    recorded_source,
    recover_pin,
    verify_pin,
    write_pin,
)
from codegen.pipeline import BuildReport, Job, build, effective_spec_name, fail_if_empty, prepare, write_json
from codegen.progress import Progress

TOOLS = ("openapi-python-client", "datamodel-code-generator", "jinja2", "ruff", "jsonpath-ng", "ruamel.yaml")


def tool_versions() -> dict[str, str]:
    """For the manifest's readers; the no-op check relies on the lock file's hash instead (faster)."""
    from importlib.metadata import version

    return {name: version(name) for name in TOOLS}


def input_hashes(settings: Settings, job: Job, lock: bytes) -> dict[str, Any]:
    """Everything that shapes generated output, hashed (see fingerprint.input_hashes)."""
    return hash_inputs(
        spec_rel=settings.spec.relative_to(settings.root).as_posix(),
        spec_sha=sha256_bytes(job.spec_bytes),
        lock_sha=sha256_bytes(lock),
        overlays=[str(p) for p in job.overlays],
        templates=settings.templates,
        config=settings.raw,
        changelog_sha=None if job.changelog is None else sha256_bytes(job.changelog),
    )


def recover(settings: Settings, progress: Progress) -> Settings:
    """Finish or discard an interrupted update-spec (pin, lock, changelog, version); the settings as they are now."""
    note = recover_pin(settings.spec, settings.lock, (settings.changelog, settings.pyproject))
    if not note:
        return settings
    progress.say(note)
    from codegen.config import load_settings

    return load_settings(settings.root)  # the version in pyproject.toml may have been completed


def read_changelog(settings: Settings) -> bytes | None:
    try:
        return settings.changelog.read_bytes()
    except FileNotFoundError:
        return None


def project_job(settings: Settings, progress: Progress | None = None) -> Job:
    note = recover_pin(settings.spec, settings.lock, (settings.changelog, settings.pyproject))
    if note and progress is not None:
        progress.say(note)
    spec_bytes = verify_pin(settings.spec, settings.lock)
    job = _job_for(settings, spec_bytes, settings.spec.relative_to(settings.root).as_posix())
    return replace(job, changelog=read_changelog(settings))


def is_up_to_date(settings: Settings, inputs: dict[str, Any]) -> bool:
    manifest = read_manifest(settings.out)
    return manifest is not None and manifest.get("inputs") == inputs and outputs_match(settings.out, manifest)


def build_reporting_templates(job: Job, out: Path, progress: Progress) -> BuildReport:
    """build(), with a broken template reported as its file and line instead of a traceback."""
    import jinja2

    try:
        return build(job, out, progress)
    except jinja2.TemplateError as exc:
        raise _template_error(exc) from None


def _template_error(exc: Exception) -> CodegenError:
    import traceback

    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not filename:  # runtime errors (an undefined name) carry the place only in the rewritten traceback
        for frame, frame_line in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.endswith((".jinja", ".jinja2")):
                filename, line = frame.f_code.co_filename, frame_line
    message = getattr(exc, "message", None) or str(exc)
    return CodegenError(
        f"template error: {message}",
        where=f"{filename}:{line}" if filename else None,
        hint="fix the template and run again",
    )


def build_project(
    settings: Settings, job: Job, inputs: dict[str, Any], staging: Path, progress: Progress
) -> BuildReport:
    report = build_reporting_templates(job, staging, progress)
    fail_if_empty(report, job.spec_source)
    write_json(
        staging / MANIFEST,
        {
            "notice": job.header,
            "inputs": inputs,
            "tools": tool_versions(),
            "operations": report.as_json(),
            "outputs": tree_hashes(staging, skip=frozenset({MANIFEST})),
        },
    )
    return report


def regenerate(settings: Settings, force: bool, progress: Progress) -> int:
    start = time.perf_counter()
    job = project_job(settings, progress)
    inputs = input_hashes(settings, job, settings.lock.read_bytes())
    if not force and is_up_to_date(settings, inputs):
        progress.say(NOOP_MESSAGE.format(out=settings.out.name))
        return 0
    progress.say(f"codegen: regenerating {settings.out.name}/ from {job.spec_source}")
    check_replaceable(settings.out, f"{settings.out.name}/")
    with staging_folder(settings.out) as staging:
        report = build_project(settings, job, inputs, staging, progress)
        swap_in(staging, settings.out)
    progress.say(f"codegen: {report.summary()}; wrote {settings.out.name}/ in {time.perf_counter() - start:.2f}s")
    return 0


def _short_diff(old: Path, new: Path, relative: str, limit: int = 20) -> list[str]:
    import difflib

    try:
        a = old.read_text(encoding="utf-8").splitlines() if old.exists() else []
        b = new.read_text(encoding="utf-8").splitlines() if new.exists() else []
    except UnicodeDecodeError:
        return ["    (binary file differs)"]
    lines = list(difflib.unified_diff(a, b, f"{relative} (committed)", f"{relative} (regenerated)", lineterm="", n=1))
    shown = [f"    {line}" for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"    … {len(lines) - limit} more diff lines")
    return shown


def check_drift(settings: Settings, progress: Progress) -> int:
    job = project_job(settings, progress)
    inputs = input_hashes(settings, job, settings.lock.read_bytes())
    progress.say(f"codegen: regenerating into a temporary folder to compare with {settings.out.name}/")
    with staging_folder(settings.out) as staging:
        build_project(settings, job, inputs, staging, progress)
        committed = tree_hashes(settings.out)
        fresh = tree_hashes(staging)
        changed = sorted(p for p in committed.keys() & fresh.keys() if committed[p] != fresh[p])
        missing = sorted(fresh.keys() - committed.keys())
        extra = sorted(committed.keys() - fresh.keys())
        if not (changed or missing or extra):
            progress.say(f"codegen: no drift: {settings.out.name}/ equals what the pinned inputs generate")
            return 0
        lines = [f"codegen: drift: {settings.out.name}/ differs from what the pinned inputs generate"]
        for relative in changed:
            lines.append(f"  changed: {settings.out.name}/{relative}")
            lines += _short_diff(settings.out / relative, staging / relative, relative)
        lines += [f"  missing (would be generated): {settings.out.name}/{p}" for p in missing]
        lines += [f"  not generated (hand-added?): {settings.out.name}/{p}" for p in extra]
        lines.append("  next: run `make regenerate` (FORCE=1 if inputs look unchanged) and commit the result;")
        lines.append("        never edit generated/ by hand: change templates/, spec/overlays/ or scripts/codegen/")
        progress.say("\n".join(lines))
        return 1


def update_spec(settings: Settings, url: str | None, file: Path | None, progress: Progress) -> int:
    url = url or (None if file else settings.spec_url)
    raw, source = read_source(url, file)
    settings = recover(settings, progress)
    record_as = recorded_source(url, file, settings.root)
    result = prepare_pin(raw, source, settings.spec, settings.lock, record_as=record_as)
    if not result.changed:
        progress.say(f"codegen: {source} equals the pinned spec ({result.lock.sha256[:12]}); nothing changed")
        return 0
    release = plan_release(settings, result.data, result.lock.sha256, source, progress)
    # Generate first, from the new bytes, so a spec that cannot be generated changes nothing.
    job = replace(_job_for(settings, result.data, source), version=release.version, changelog=release.changelog)
    new_settings = replace(settings, version=release.version, raw={**settings.raw, "version": release.version})
    progress.say(f"codegen: new spec from {source} ({result.lock.sha256[:12]}); regenerating")
    check_replaceable(settings.out, f"{settings.out.name}/")
    with staging_folder(settings.out) as staging:
        lock = lock_bytes(result.lock)
        inputs = input_hashes(new_settings, job, lock)
        report = build_project(new_settings, job, inputs, staging, progress)
        extras = {settings.pyproject: release.pyproject}
        if release.changelog is not None:
            extras[settings.changelog] = release.changelog
        write_pin(settings.spec, settings.lock, result.data, lock, extras)
        swap_in(staging, settings.out)
    progress.say(f"codegen: pinned {settings.spec.relative_to(settings.root)} and regenerated; {report.summary()}")
    if release.markdown:
        progress.say(f"codegen: {release.summary} Changelog entry (on top of {settings.changelog.name}):")
        print(release.markdown, end="", flush=True)
    else:
        progress.say(f"codegen: {release.summary}")
    return 0


@dataclass(frozen=True)
class Release:
    version: str  # the package version after the update
    summary: str
    markdown: str  # the new changelog entry; empty when the pin was only repaired
    changelog: bytes | None  # the whole changelog with the entry on top
    pyproject: bytes  # pyproject.toml with the bumped [tool.codegen] version


def plan_release(settings: Settings, new_bytes: bytes, new_sha: str, source: str, progress: Progress) -> Release:
    """Diff the old and new effective documents; the changelog entry and version bump they call for."""
    from codegen.changelog import Entry, prepend_entry, render_markdown
    from codegen.config import with_version
    from codegen.diff import bump_level, bump_version, diff_documents

    existing = read_changelog(settings)
    pyproject_text = settings.pyproject.read_text(encoding="utf-8")
    unchanged = pyproject_text.encode("utf-8")
    if not settings.spec.exists():
        summary = f"first pin: version {settings.version}; the changelog starts with the next spec update"
        return Release(settings.version, summary, "", existing, unchanged)
    try:
        old_bytes = verify_pin(settings.spec, settings.lock)
    except CodegenError:  # a damaged pin: re-pinning the locked bytes repairs it, nothing to release
        old_bytes = settings.spec.read_bytes()
        if old_bytes == new_bytes or _locked_sha(settings) == new_sha:
            summary = "repaired the pin; the API is unchanged, so the version and changelog stay as they are"
            return Release(settings.version, summary, "", existing, unchanged)
    quiet = Progress(quiet=True)
    new_doc = prepare(_job_for(settings, new_bytes, source), BuildReport(), quiet)
    old_doc = prepare(_job_for(settings, old_bytes, settings.spec.name), BuildReport(), quiet)
    changes = diff_documents(old_doc, new_doc)
    entry = Entry(
        version=bump_version(settings.version, bump_level(changes)),
        previous_version=settings.version,
        spec_name=settings.spec.name,
        old_sha=sha256_bytes(old_bytes),
        new_sha=new_sha,
        changes=changes,
    )
    markdown = render_markdown(entry)
    changelog = prepend_entry(None if existing is None else existing.decode("utf-8"), markdown).encode("utf-8")
    pyproject = with_version(pyproject_text, entry.version).encode("utf-8")
    return Release(entry.version, entry.summary(), markdown, changelog, pyproject)


def _locked_sha(settings: Settings) -> str | None:
    try:
        return read_lock(settings.lock).sha256
    except CodegenError:
        return None


def _job_for(settings: Settings, spec_bytes: bytes, source: str) -> Job:
    return Job(
        spec_bytes=spec_bytes,
        spec_source=source,
        spec_label=settings.spec.name,
        overlays=tuple(overlay_files(settings.overlays_dir)),
        names=settings.names,
        version=settings.version,
        python_requires=settings.python_requires,
        templates=settings.templates,
        client=settings.client,
    )


def generate_generic(
    spec: Path, out: Path, name: str, overlays: list[Path], pkg_version: str, progress: Progress
) -> int:
    from codegen.config import check_name
    from codegen.document import load_document

    names = Names(check_name(name))
    data, _doc = load_document(spec)
    for overlay in overlays:
        if not overlay.is_file():
            raise CodegenError("overlay file not found", where=str(overlay))
    job = Job(
        spec_bytes=data,
        spec_source=str(spec),
        spec_label=spec.name,
        overlays=tuple(overlays),
        names=names,
        version=pkg_version,
        python_requires=">=3.9",
        templates=Path(TOOL_ROOT) / "templates",
    )
    progress.say(f"codegen: generating {names.client_dist} and {names.mock_dist} from {spec}")
    owned = [names.client_dist, names.mock_dist, effective_spec_name(names)]
    for entry_name in owned:
        check_replaceable(out / entry_name, str(out / entry_name))
    with staging_folder(out / "x") as staging:
        report = build_reporting_templates(job, staging, progress)
        fail_if_empty(report, str(spec))
        entries = sorted(staging.iterdir())
        for entry in entries:  # again, before any swap: files may have appeared while the build ran
            check_replaceable(out / entry.name, str(out / entry.name))
        for entry in entries:
            swap_in(entry, out / entry.name)
    progress.say(f"codegen: {report.summary()}; wrote {out}")
    return 0

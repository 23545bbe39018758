"""Benchmark suites: where a suite's problems are, locally or after a checked download.

A suite is miniF2F in one language (``minif2f-rocq``, ``minif2f-lean4``,
``minif2f-dafny``) or any directory of problem files (``lemmata bench
path/to/dir``). ``--data DIR`` points at a local copy (the suite's root, or the
split's folder itself). Without it, the suite is downloaded once from its
public source into ``~/.cache/lemmata/suites`` (``LEMMATA_CACHE``); the
archive's SHA-256 must match the pinned one when the suite pins one (or
``--sha256``), and is recorded on first download otherwise, so that a later
run from the cache can tell the files changed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import os
import shutil
import tarfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from lemmata.prover.languages import LANGUAGES, language_of_path
from lemmata.verifiers.errors import InputError, UnknownLanguage


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    language: str
    splits: dict[str, str]  # split -> glob under the suite's root
    url: str | None = None  # a .tar.gz of the suite's public repository
    sha256: str | None = None
    license: str = ""
    checker_major: int | None = None  # the oldest major version of the checker the suite's files are written for


SUITES: dict[str, SuiteSpec] = {spec.name: spec for spec in (
    SuiteSpec("minif2f-rocq", "coq", {"valid": "valid/*.v", "test": "test/*.v"},
              "https://github.com/LLM4Rocq/miniF2F-rocq/archive/HEAD.tar.gz", license="MIT"),
    SuiteSpec("minif2f-lean4", "lean", {"valid": "MiniF2F/Valid/*.lean", "test": "MiniF2F/Test/*.lean"},
              "https://github.com/yangky11/miniF2F-lean4/archive/HEAD.tar.gz", license="MIT"),
    SuiteSpec("minif2f-dafny", "dafny", {"valid": "dataset/valid/*.dfy", "test": "dataset/test/*.dfy"},
              "https://github.com/dafny-lang/miniF2F/archive/HEAD.tar.gz", license="MIT", checker_major=4),
    # DafnyBench: the hint-free programs only; the ground truth beside them is never read
    SuiteSpec("dafnybench", "dafny", {"valid": "**/hints_removed/*_no_hints.dfy"},
              "https://github.com/sun-wendy/DafnyBench/archive/HEAD.tar.gz", license="Apache-2.0"),
)}
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class SuiteProblem:
    id: str  # the file's stem: miniF2F problem names are unique within a split
    path: Path
    language: str


@dataclass
class Suite:
    name: str
    split: str
    language: str
    problems: list[SuiteProblem] = field(default_factory=list)

    def select(self, pattern: str | None, limit: int | None) -> list[SuiteProblem]:
        chosen = [p for p in self.problems if pattern is None or fnmatch.fnmatch(p.id, pattern)]
        return chosen[:limit] if limit is not None else chosen


def cache_root() -> Path:
    return Path(os.environ.get("LEMMATA_CACHE", "~/.cache/lemmata")).expanduser() / "suites"


def load_suite(name: str, split: str = "valid", *, data: Path | None = None, cache: Path | None = None,
               sha256: str | None = None, download: bool = True) -> Suite:
    """Raises ``InputError`` with what to do when the suite cannot be found."""
    spec = SUITES.get(name)
    if spec is None:
        folder = Path(name)
        if not folder.is_dir():
            known = ", ".join(SUITES)
            raise InputError(f"unknown suite {name!r}: use one of {known}, or a directory of problem files")
        return _directory_suite(folder, split)
    if split not in spec.splits:
        raise InputError(f"{name} has no split {split!r} (it has: {', '.join(spec.splits)})")
    pattern = spec.splits[split]
    if data is not None:
        root = Path(data)
        files = sorted(root.glob(pattern))
        if not files:  # --data may name the split's folder itself
            files = sorted(root.glob(Path(pattern).name))
        files = [f for f in files if "ground_truth" not in f.parts]
        if not files:
            raise InputError(f"no {pattern} under {root} (nor {Path(pattern).name} directly in it)")
    else:
        root = fetch(spec, cache or cache_root(), sha256=sha256, download=download)
        files = sorted(root.glob(pattern))
        if not files:
            raise InputError(f"the downloaded {name} has no {pattern}: the upstream layout changed?")
    _require_checker(spec)
    return Suite(name, split, spec.language, [SuiteProblem(f.stem, f, spec.language) for f in files])


def _require_checker(spec: SuiteSpec) -> None:
    """A suite written for a newer checker than the one installed stops here, with what to install."""
    if spec.checker_major is None:
        return
    status = next(e for e in LANGUAGES if e.name == spec.language).make_verifier().status()
    if status.available and status.version and int(status.version.split(".")[0]) < spec.checker_major:
        raise InputError(f"{spec.name} is written for {status.name} {spec.checker_major} or newer; this machine has "
                         f"{status.name} {status.version}, which cannot read it (install {status.name} "
                         f"{spec.checker_major}: https://github.com/dafny-lang/dafny/releases)")


def _directory_suite(folder: Path, split: str) -> Suite:
    by_language: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        try:
            language = language_of_path(path).name
        except UnknownLanguage:
            continue
        if path.is_file():
            by_language.setdefault(language, []).append(path)
    if not by_language:
        extensions = sorted(x for entry in LANGUAGES for x in entry.extensions)
        raise InputError(f"{folder} holds no problem files ({', '.join(extensions)})")
    if len(by_language) > 1:
        raise InputError(f"{folder} mixes languages ({', '.join(sorted(by_language))}): one suite is one language")
    language, files = next(iter(by_language.items()))
    return Suite(folder.name, split, language, [SuiteProblem(f.stem, f, language) for f in files])


def fetch(spec: SuiteSpec, cache: Path, *, sha256: str | None = None, download: bool = True) -> Path:
    """The suite's root in the cache, downloading and checking it first if needed."""
    target = cache / spec.name
    manifest = target / ".lemmata-suite.json"
    expected = sha256 or spec.sha256
    if manifest.is_file():
        recorded = json.loads(manifest.read_text())
        if expected and recorded.get("sha256") != expected:
            raise InputError(f"the cached {spec.name} has SHA-256 {recorded.get('sha256')}, not {expected}: "
                             f"delete {target} to download it again")
        return target
    if not download or spec.url is None:
        raise InputError(f"{spec.name} is not in {cache}; pass --data DIR with a local copy")
    try:
        with urllib.request.urlopen(spec.url, timeout=60) as response:
            data = response.read(MAX_ARCHIVE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot download {spec.name} from {spec.url} ({exc}); pass --data DIR with a local copy") from None
    if len(data) > MAX_ARCHIVE_BYTES:
        raise InputError(f"{spec.url} is larger than {MAX_ARCHIVE_BYTES // 2**20} MiB; refusing it")
    digest = hashlib.sha256(data).hexdigest()
    if expected and digest != expected:
        raise InputError(f"{spec.url} has SHA-256 {digest}, expected {expected}: not unpacking it")
    staging = cache / f".{spec.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            archive.extractall(staging, filter="data")  # refuses absolute paths, links out, devices
    except (tarfile.TarError, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(f"{spec.url} is not a readable .tar.gz ({exc})") from None
    entries = list(staging.iterdir())
    root = entries[0] if len(entries) == 1 and entries[0].is_dir() else staging  # GitHub's REPO-REV/ folder
    shutil.rmtree(target, ignore_errors=True)
    root.rename(target)
    shutil.rmtree(staging, ignore_errors=True)
    (target / ".lemmata-suite.json").write_text(json.dumps({"url": spec.url, "sha256": digest}))
    return target


__all__ = ["SUITES", "Suite", "SuiteProblem", "SuiteSpec", "cache_root", "fetch", "load_suite"]

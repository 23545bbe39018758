"""A Coq project: its ``_CoqProject`` (load paths, files), the dependency order from ``coqdep``, compiling a file.

Paths in the load-path flags are made absolute, so checks that run in a
temporary directory (every ``coqc`` and ``coqtop`` Lemmata starts) still find
the project's modules.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from lemmata.verifiers.coq.config import CoqConfig
from lemmata.verifiers.errors import InputError
from lemmata.verifiers.process import Completed, run

_PATH_FLAGS = {"-Q": 2, "-R": 2, "-I": 1}


@dataclass
class CoqProject:
    root: Path
    flags: tuple[str, ...]  # load paths, absolute
    files: list[Path]  # every source, dependencies first
    depends_on: dict[Path, set[Path]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path, config: CoqConfig | None = None) -> CoqProject:
        """Read ``root/_CoqProject`` (or take every ``.v`` under ``root`` with ``-R . Top``); raises ``InputError``."""
        root = Path(root).resolve()
        if not root.is_dir():
            raise InputError(f"{root}: no such directory")
        spec = root / "_CoqProject"
        flags: list[str] = []
        files: list[Path] = []
        if spec.is_file():
            words = shlex.split(spec.read_text(encoding="utf-8"), comments=True)
            i = 0
            while i < len(words):
                word = words[i]
                if word in _PATH_FLAGS:
                    n = _PATH_FLAGS[word]
                    args = words[i + 1: i + 1 + n]
                    flags += [word, str((root / args[0]).resolve()), *args[1:]]
                    i += 1 + n
                elif word == "-arg" and i + 1 < len(words):
                    flags += shlex.split(words[i + 1])
                    i += 2
                elif word.endswith(".v"):
                    files.append((root / word).resolve())
                    i += 1
                else:
                    i += 1
        else:
            flags = ["-R", str(root), "Top"]
        if not files:
            files = sorted(p.resolve() for p in root.rglob("*.v") if ".lemmata" not in p.parts)
        if not files:
            raise InputError(f"{root}: no Coq files (.v) in the project")
        project = cls(root, tuple(flags), files)
        project._order(config or CoqConfig.from_env())
        return project

    def _order(self, config: CoqConfig) -> None:
        coqdep = Path(config.coqc).with_name("coqdep") if "/" in config.coqc else Path("coqdep")
        done = run([str(coqdep), *self.flags, *map(str, self.files)], timeout=120, cwd=self.root)
        if done.returncode != 0:
            raise InputError(f"coqdep failed: {(done.stdout + done.stderr).strip()[-500:]}")
        graph = nx.DiGraph()
        graph.add_nodes_from(self.files)
        for line in done.stdout.splitlines():
            left, _, right = line.partition(":")
            targets = left.split()
            if not targets or not targets[0].endswith(".vo"):
                continue
            source = (self.root / targets[0]).with_suffix(".v").resolve()
            for dep in right.split():
                if dep.endswith(".vo"):
                    needed = (self.root / dep).with_suffix(".v").resolve()
                    if needed in graph and needed != source:
                        graph.add_edge(needed, source)
        try:
            order = list(nx.lexicographical_topological_sort(graph, key=str))
        except nx.NetworkXUnfeasible:
            raise InputError("the project's files depend on each other in a cycle") from None
        self.files = order
        self.depends_on = {f: set(graph.predecessors(f)) for f in order}
        self._graph = graph

    def affected(self, changed: set[Path]) -> list[Path]:
        """``changed`` and every file that depends on one of them, dependencies first."""
        changed = {p.resolve() for p in changed} & set(self.files)
        reach = set(changed)
        for path in changed:
            reach |= nx.descendants(self._graph, path)
        return [f for f in self.files if f in reach]

    def compile(self, path: Path, config: CoqConfig | None = None, timeout: float = 300.0, *,
                text: str | None = None) -> Completed:
        """``coqc`` on one file of the project, writing its ``.vo`` beside it for the files that import it.

        ``text``: compile this instead of the file's own text (a repair not applied yet); the source is not
        touched: the text goes to a copy under ``.lemmata/build`` whose ``.vo`` takes the file's place.
        """
        config = config or CoqConfig.from_env()
        source = path
        if text is not None:
            source = self.root / ".lemmata" / "build" / path.relative_to(self.root)
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_text(text, encoding="utf-8")
        return run([config.coqc, "-q", *self.flags, "-o", str(path.with_suffix(".vo")), str(source)],
                   timeout=timeout, cwd=self.root, memory_mb=config.memory_mb)


__all__ = ["CoqProject"]

"""Suites, results files, executors and reports, without running a checker."""

import hashlib
import io
import json
import tarfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bench_helpers import crash_on_second

from lemmata.benchmarks.executors import LocalExecutor
from lemmata.benchmarks.report import category, markdown, only_solved_by, pass_at_k, plot, summarize
from lemmata.benchmarks.results import ResultRecord, ResultsWriter, read_results
from lemmata.benchmarks.suites import SuiteSpec, fetch, load_suite
from lemmata.benchmarks.worker import Job
from lemmata.verifiers.errors import InputError


def test_local_suite_from_its_root_or_its_split_folder(tmp_path):
    (tmp_path / "valid").mkdir()
    for name in ("b_2", "a_1"):
        (tmp_path / "valid" / f"{name}.v").write_text("Theorem t : True.\n")
    by_root = load_suite("minif2f-rocq", "valid", data=tmp_path)
    by_split = load_suite("minif2f-rocq", "valid", data=tmp_path / "valid")
    assert [p.id for p in by_root.problems] == [p.id for p in by_split.problems] == ["a_1", "b_2"]
    assert by_root.language == "coq" and by_root.select("b_*", None)[0].id == "b_2"
    with pytest.raises(InputError, match="no split 'train'"):
        load_suite("minif2f-rocq", "train", data=tmp_path)
    with pytest.raises(InputError, match="no test/\\*.v"):
        load_suite("minif2f-rocq", "test", data=tmp_path)
    with pytest.raises(InputError, match="unknown suite"):
        load_suite("minif2f-klingon")


def test_any_directory_of_problems_is_a_suite(tmp_path):
    (tmp_path / "p.v").write_text("Theorem t : True.\n")
    (tmp_path / "notes.txt").write_text("ignored")
    suite = load_suite(str(tmp_path))
    assert suite.language == "coq" and [p.id for p in suite.problems] == ["p"]
    (tmp_path / "q.lean").write_text("theorem q : True := trivial\n")
    with pytest.raises(InputError, match="mixes languages"):
        load_suite(str(tmp_path))


@pytest.fixture
def archive_server(tmp_path):
    """A local HTTP server with a GitHub-style archive of a tiny suite."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in ("valid/x.v", "valid/y.v", "README.md"):
            data = b"Theorem t : True.\n"
            info = tarfile.TarInfo(f"repo-abc123/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    served = tmp_path / "served"
    served.mkdir()
    (served / "suite.tar.gz").write_bytes(buffer.getvalue())
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(served)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/suite.tar.gz", hashlib.sha256(buffer.getvalue()).hexdigest()
    server.shutdown()
    server.server_close()


def test_download_checks_the_checksum_and_caches(tmp_path, archive_server):
    url, digest = archive_server
    cache = tmp_path / "cache"
    with pytest.raises(InputError, match="expected 0000"):
        fetch(SuiteSpec("tiny", "coq", {"valid": "valid/*.v"}, url, sha256="0" * 64), cache)
    assert not (cache / "tiny").exists()
    spec = SuiteSpec("tiny", "coq", {"valid": "valid/*.v"}, url, sha256=digest)
    root = fetch(spec, cache)
    assert sorted(p.name for p in root.glob("valid/*.v")) == ["x.v", "y.v"]
    assert json.loads((root / ".lemmata-suite.json").read_text())["sha256"] == digest
    offline = SuiteSpec("tiny", "coq", {"valid": "valid/*.v"}, "http://127.0.0.1:9/none.tar.gz", sha256=digest)
    assert fetch(offline, cache) == root  # from the cache, no network
    with pytest.raises(InputError, match="delete"):
        fetch(SuiteSpec("tiny", "coq", {}, url, sha256="f" * 64), cache)
    with pytest.raises(InputError, match="cannot download"):
        fetch(SuiteSpec("other", "coq", {}, "http://127.0.0.1:9/none.tar.gz"), cache)


def record(problem, status="failed", attempt=0, samples=0, seconds=1.0):
    return ResultRecord(problem=problem, suite="s", split="valid", attempt=attempt, status=status,
                        samples=samples, seconds=seconds)


def test_results_survive_a_cut_last_line(tmp_path):
    path = tmp_path / "r.jsonl"
    writer = ResultsWriter(path)
    writer.write(record("a", "proved"))
    writer.close()
    with path.open("a") as f:
        f.write('{"problem": "b", "sui')  # the run was killed mid-line
    assert [r.problem for r in read_results(path)] == ["a"]
    writer = ResultsWriter(path)
    writer.write(record("b"))
    writer.close()
    assert [r.problem for r in read_results(path)] == ["a", "b"]


def test_a_crashing_worker_costs_only_its_job():
    jobs = [Job(problem=name, path="-", language="coq", suite="s", split="valid") for name in ("first", "second", "third")]
    results = dict((job.problem, rec) for job, rec in LocalExecutor(2, runner=crash_on_second).run(jobs))
    assert results["first"]["status"] == results["third"]["status"] == "failed"
    assert results["second"]["status"] == "error" and "exit code 3" in results["second"]["reason"]


def test_pass_at_k_estimator():
    assert pass_at_k(1, 1, 1) == 1.0 and pass_at_k(1, 0, 1) == 0.0
    assert pass_at_k(4, 1, 1) == pytest.approx(0.25)
    assert pass_at_k(4, 1, 2) == pytest.approx(0.5)  # 1 - C(3,2)/C(4,2)
    assert pass_at_k(10, 3, 5) == pytest.approx(1 - (7 * 6 * 5 * 4 * 3) / (10 * 9 * 8 * 7 * 6))
    with pytest.raises(ValueError):
        pass_at_k(2, 1, 3)


def test_categories():
    names = ["mathd_algebra_1", "mathd_numbertheory_2", "amc12a_2020_p4", "aime_1983_p9", "aimeII_2001_p3",
             "imo_1959_p1", "induction_sum_odd", "algebra_sqineq_x", "numbertheory_y"]
    assert [category(n) for n in names] == ["mathd algebra", "mathd number theory", "amc", "aime", "aime", "imo",
                                            "induction", "other", "other"]


def test_summary_comparison_markdown_and_plot(tmp_path):
    one = summarize("one", [record("mathd_algebra_1", "proved", 0, 0), record("mathd_algebra_1", "failed", 1),
                            record("imo_1959_p1", "smt-proved"), record("imo_1959_p1", "failed", 1),
                            record("amc12_p1", "proved", 0, 3), record("amc12_p1", "proved", 1, 1)])
    assert one.problems == 3 and one.solved == {"mathd_algebra_1", "amc12_p1"} and one.smt_only == {"imo_1959_p1"}
    assert one.pass_at[1] == pytest.approx((0.5 + 0 + 1) / 3) and one.pass_at[2] == pytest.approx(2 / 3)
    assert one.samples_to_solve == {"mathd_algebra_1": 0, "amc12_p1": 1}
    assert one.by_category == {"mathd algebra": (1, 1), "amc": (1, 1), "imo": (0, 1)}
    two = summarize("two", [record("imo_1959_p1", "proved", 0, 8), record("amc12_p1", "failed")])
    assert only_solved_by([one, two]) == {"one": {"mathd_algebra_1", "amc12_p1"}, "two": {"imo_1959_p1"}}
    text = markdown([one, two])
    assert "| one | 2/3 (66.7%) | @1 50.0%, @2 66.7% |" in text and "Only two solved (1): imo_1959_p1." in text
    plot([one, two], tmp_path / "plot.png")
    assert (tmp_path / "plot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_dafnybench_reads_only_the_programs_without_hints(tmp_path):
    for folder in ("hints_removed", "ground_truth"):
        (tmp_path / folder).mkdir()
    (tmp_path / "hints_removed" / "p_no_hints.dfy").write_text("method M() {}\n")
    (tmp_path / "ground_truth" / "p.dfy").write_text("method M() {}\n")
    (tmp_path / "ground_truth" / "q_no_hints.dfy").write_text("method M() {}\n")  # a name that would match
    suite = load_suite("dafnybench", "valid", data=tmp_path)
    assert [p.id for p in suite.problems] == ["p_no_hints"] and suite.language == "dafny"


def test_a_suite_for_a_newer_checker_says_so(tmp_path, monkeypatch):
    from lemmata.verifiers.dafny import backend
    from lemmata.verifiers.interface import ToolStatus

    (tmp_path / "dataset" / "valid").mkdir(parents=True)
    (tmp_path / "dataset" / "valid" / "p.dfy").write_text("lemma L() {}\n")
    monkeypatch.setattr(backend.DafnyVerifier, "status", lambda self: ToolStatus("dafny", True, "2.3.0.10506"))
    with pytest.raises(InputError, match="minif2f-dafny is written for dafny 4 or newer; this machine has dafny 2.3"):
        load_suite("minif2f-dafny", "valid", data=tmp_path)
    monkeypatch.setattr(backend.DafnyVerifier, "status", lambda self: ToolStatus("dafny", True, "4.11.0"))
    assert [p.id for p in load_suite("minif2f-dafny", "valid", data=tmp_path).problems] == ["p"]


def test_the_report_sums_what_the_server_and_the_checker_did():
    def record(problem, requests, samples, wall, generating, checking, idle):
        return ResultRecord(problem=problem, suite="s", split="valid", status="failed", usage={
            "requests": requests, "samples": samples, "abandoned": 1, "completion_tokens": 100 * samples},
            throughput={"wall_seconds": wall, "generating_seconds": generating, "checking_seconds": checking,
                        "idle_seconds": idle})

    run = summarize("run", [record("a", 4, 8, 10.0, 8.0, 4.0, 0.5), record("b", 2, 2, 10.0, 2.0, 1.0, 0.5),
                            ResultRecord(problem="c", suite="s", split="valid", status="proved")])
    sampling = run.sampling
    assert (sampling.requests, sampling.samples, sampling.abandoned) == (6, 10, 2)
    assert sampling.samples_per_second == pytest.approx(0.5) and sampling.tokens_per_second == pytest.approx(100)
    assert "server busy 50% of the wall clock, checker 25%, neither 5%" in markdown([run])
    assert summarize("none", [ResultRecord(problem="c", suite="s", split="valid", status="proved")]).sampling is None

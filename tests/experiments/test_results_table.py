"""docs/results.md generation: full runs only, headline keys, figures copied and linked."""

import json

from glassgrad_experiments.common import results_table


def _write_run(folder, name, results, smoke=False, figure=True):
    folder.mkdir(parents=True)
    record = {"experiment": name, "command": f"glassgrad run {name}", "smoke": smoke, "seconds": 12.3,
              "config": {}, "results": results}
    (folder / "results.json").write_text(json.dumps(record))
    if figure:
        (folder / "plot.png").write_bytes(b"\x89PNG\r\n\x1a\n")


def test_results_table(tmp_path):
    runs = tmp_path / "runs"
    _write_run(runs / "gates", "gates", {"XOR_mlp_accuracy": 1.0, "XOR_perceptron_accuracy": 0.5,
                                         "AND_mlp_loss": 0.001, "curve": [1, 2]})
    _write_run(runs / "gates-smoke", "gates", {"XOR_mlp_accuracy": 0.25}, smoke=True)
    _write_run(runs / "made-up", "made-up", {"score": 0.123456, "steps": 7, "note": "a|b"}, figure=False)
    out = results_table.write_results_table(runs, tmp_path / "docs" / "results.md")
    text = out.read_text()
    rows = [line for line in text.splitlines() if line.startswith("| gates") or line.startswith("| made-up")]
    assert len(rows) == 2  # the smoke run is left out
    gates_row, made_up_row = rows
    assert "XOR_mlp_accuracy=1" in gates_row and "XOR_perceptron_accuracy=0.5" in gates_row
    assert "AND_mlp_loss" not in gates_row  # not in gates.HEADLINE
    assert "[plot](figures/gates/plot.png)" in gates_row
    assert (tmp_path / "docs" / "figures" / "gates" / "plot.png").exists()
    assert "score=0.1235" in made_up_row and "steps=7" in made_up_row and "note=a\\|b" in made_up_row
    assert "`glassgrad run gates`" in gates_row and "| 12 |" in gates_row


def test_rows_of_runs_made_elsewhere_are_kept_and_reruns_replace_theirs(tmp_path):
    runs, out = tmp_path / "runs", tmp_path / "docs" / "results.md"
    _write_run(runs / "gates", "gates", {"XOR_mlp_accuracy": 0.75}, figure=False)
    _write_run(runs / "made-up", "made-up", {"score": 1.0}, figure=False)
    results_table.write_results_table(runs, out)
    (runs / "made-up" / "results.json").unlink()  # made-up's run exists only in the table now
    (runs / "gates" / "results.json").unlink()
    _write_run(runs / "gates-again", "gates", {"XOR_mlp_accuracy": 1.0}, figure=False)  # same command
    text = results_table.write_results_table(runs, out).read_text()
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(rows) == 2
    assert any("score=1" in row for row in rows)  # kept
    assert any("XOR_mlp_accuracy=1" in row for row in rows)
    assert not any("XOR_mlp_accuracy=0.75" in row for row in rows)  # replaced by the rerun

"""docs/results.md generation: full runs only, headline keys, figures copied and linked."""

import json

from experiments.common import results_table


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

import json

import numpy as np

from latentkit.reports.folder import markdown_table, write_report


def test_tables_and_reports_hold_every_number(tmp_path):
    table = markdown_table(np.array([[1.0, -0.5], [0.25, 2.0]]), ["a", "b"], ["x", "y"], digits=2)
    assert table.splitlines() == ["| | x | y |", "|---|---|---|", "| a | 1.00 | -0.50 |",
                                  "| b | 0.25 | 2.00 |"]  # fmt: skip
    data = {"m": np.eye(2), "v": np.float32(0.5), "nested": {"t": (np.int64(3),)}}
    paths = write_report(tmp_path, data, "# title\n\n")
    assert json.loads(paths["json"].read_text()) == {
        "m": [[1.0, 0.0], [0.0, 1.0]],
        "v": 0.5,
        "nested": {"t": [3]},
    }
    assert paths["markdown"].read_text() == "# title\n"

"""``python -m pooling --csv FILE``: the same CSV as ``POST /api/export/csv``."""
from __future__ import annotations

import csv
import io

import pytest

from pooling.cli import main
from pooling.export import CSV_ENCODING


def test_csv_file_equals_the_api_export(tmp_path, capsys, client):
    path = tmp_path / "trace.csv"
    args = ["--preset", "classic", "--layer", "average", "--pool-size", "3", "--strides", "2", "--padding", "same"]
    assert main([*args, "--csv", str(path)]) == 0
    assert "Window 1 of 2" in capsys.readouterr().out  # the walk-through still prints
    body = {"preset": "classic", "layer": "average", "pool_size": 3, "strides": 2, "padding": "same"}
    assert path.read_bytes() == client.post("/api/export/csv", json=body).data
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding=CSV_ENCODING), newline="")))
    assert rows[3]["words"] == "will live" and rows[3]["padded"] == "1" and rows[3]["divisor"] == "2"


def test_csv_to_standard_output_replaces_the_walk_through(capsys):
    assert main(["--preset", "classic", "--csv", "-"]) == 0
    out = capsys.readouterr().out
    assert not out.startswith("\ufeff")
    assert out.splitlines()[0] == "layer,window,first_word,last_word,words,padded,feature,output,winner_word_number,winner_word,divisor"
    assert out.splitlines()[1] == "MaxPooling1D,1,1,2,the boy,0,0,0.8,2,boy,"
    assert "Window" not in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--csv", "-", "--json"], "--csv - and another output both want standard output"),
        (["--csv", "/nonexistent-dir/x.csv"], "cannot write --csv /nonexistent-dir/x.csv"),
    ],
)
def test_csv_errors_are_one_line_and_status_2(capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        main(["--preset", "classic", *args])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_html_writes_the_offline_player(tmp_path):
    """`--html FILE` writes the same standalone player as POST /api/export/html."""
    from app import create_app
    from pooling.cli import main

    out = tmp_path / "classic.html"
    assert main(["--preset", "classic", "--html", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    client = create_app({"TESTING": True}).test_client()
    served = client.post("/api/export/html", json={"preset": "classic", "strides": 1})
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "text/html; charset=utf-8"
    assert html == served.get_data(as_text=True)
    assert 'id="trace"' in html and "Plotly" in html


def test_html_keeps_words_as_data():
    """Words reach the HTML file as JSON data, escaped, even words the tokenizer would never make."""
    import json

    from app import create_app
    from webapp.standalone import standalone_html

    client = create_app({"TESTING": True}).test_client()
    trace = client.post("/api/trace", json={"preset": "classic", "strides": 1}).get_json()
    hostile = ["</script><img src=x onerror=alert(1)>", "<!--", "]]>", "a&amp;b"]
    trace["tokens"] = hostile
    html = standalone_html(trace)
    data = html.split('<script type="application/json" id="trace">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data
    assert json.loads(data)["tokens"] == hostile
    assert "<img" not in html

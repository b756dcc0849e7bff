#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz from the project's own files:
   tests/fuzz/make_corpus.py BUILD_DIR   (BUILD_DIR: a normal build with admf and plugins)
csv: heads of data/*.csv and the test fixtures, under options a config can set (the
harness reads them from 3 leading bytes, see fuzz_csv.cpp); config: configs/*.yaml and
the fixtures' configs; trace: the trace files of a small traced run, plain and zstd;
cluster: JobSpec and JobResult payloads (protoc --encode) as a sweep sends them.
Seeds are named by their SHA-1, as libFuzzer names what it adds. Rerun it when a
format changes; it replaces the corpus directories."""
import hashlib
import pathlib
import shutil
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parents[2]
corpus = root / "tests" / "fuzz" / "corpus"


def head(path, lines):
    return "".join(open(root / path, newline="").readlines()[:lines])


def save(target, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def opts(delim=0, decimal_comma=False, wide=False, descending=False, skip_missing=False,
         adj_close=False, bad_bar=0, fmt=0, zone=0, start=0, end=0, actions=False):
    a = delim | decimal_comma << 3 | wide << 4 | descending << 5 | skip_missing << 6 | adj_close << 7
    b = bad_bar | fmt << 2 | zone << 6
    c = start | end << 2 | actions << 4
    return bytes([a, b, c])


def csv_seeds():
    msft = head("data/msft_2000_2001_daily_ohlcv.csv", 30)
    save("csv", opts() + msft.encode())
    save("csv", opts(adj_close=True) + head("data/sp500_2000_daily_ohlcv.csv", 30).encode())
    save("csv", opts(wide=True) + "\n".join(
        ",".join(r.split(",")[:6]) for r in head("data/dowjones30_1991_2001_daily_close.csv", 20).splitlines()).encode() + b"\n")
    save("csv", opts(zone=2) + head("data/usdchf_30min_close.csv", 30).encode())
    save("csv", opts(delim=2, decimal_comma=True) + msft.replace(",", ";").replace(".", ",").encode())
    save("csv", opts(descending=True) + (msft.splitlines(True)[0] + "".join(reversed(msft.splitlines(True)[1:]))).encode())
    save("csv", opts(delim=3) + ("\ufeff" + msft.replace(",", "\t").replace("\n", "\r\n")).encode())
    save("csv", opts(actions=True) + msft.encode()
         + b"\n#actions\ndate,split,dividend\n2000-10-02,2,\n2000-10-10,,0.5\n")
    save("csv", opts(fmt=5) + b'"Date","Open","High","Low","Close","Volume"\n'
         b'"27.09.2000","63.4","63.5","59.8","60.6","53077800"\n'
         b'"28.09.2000","60.8","61.8","60.6","61.3","26180200"\n')
    save("csv", opts(fmt=1) + b"timestamp,close\n1615559400,10\n1615559400.25,10.5\n1615645800,11\n")
    save("csv", opts(fmt=14, zone=1) + b"datetime,close\n2021-03-14 01:00:00,1\n"
         b"2021-03-14 03:00:00,2\n2021-11-07 01:30:00,3\n2021-11-07 01:30:00,4\n")
    save("csv", opts(skip_missing=True, bad_bar=1) + b"date,open,high,low,close,volume\n"
         b"2021-01-04,100,101,99,102,1000\n2021-01-05,null,,NaN,N/A,\n2021-01-06,100,102,99,101,1000\n")
    save("csv", opts(start=1, end=2) + head("tests/integration/fixtures/calendar_7day.csv", 200).encode())
    save("csv", opts(fmt=8) + b"time,close\n2021-01-04 09:30:00+0100,1\n2021-01-04 09:31:00-0530,2\n")


def config_seeds():
    for path in sorted((root / "configs").glob("*.yaml")) + sorted((root / "tests/integration/fixtures").glob("*.yaml")):
        save("config", path.read_bytes())


def trace_seeds(build):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        (tmp / "bars.csv").write_text(head("data/msft_2000_2001_daily_ohlcv.csv", 40))
        base = f"name: seed\ndata: {{csv: {tmp}/bars.csv, symbol: MSFT}}\nportfolios:\n" \
               "  - {id: p, initial_capital: 100000, strategies: [{id: s, type: sma_crossover, params: {fast: 3, slow: 8}}]}\n"
        for compress in ("false", "true"):
            config = tmp / f"c_{compress}.yaml"
            config.write_text(base + "trace_settings: {level: debug, default: {enabled: true, "
                              f"storage_backend: disk, compress: {compress}, retention_policy: full}}}}\n")
            subprocess.run([str(build / "admf"), "run", str(config), "--out", str(tmp / compress), "--threads", "1"],
                           check=True, stdout=subprocess.DEVNULL, cwd=root)
            files = sorted((tmp / compress).rglob("events.pb*"))
            for f in files:
                if f.stat().st_size < 16384:
                    save("trace", f.read_bytes())
            # Two files merged, as `admf trace DIR/*/events.pb` does (the harness splits at "#file").
            small = [f.read_bytes() for f in files if f.stat().st_size < 4096][:2]
            if len(small) == 2:
                save("trace", small[0] + b"\n#file\n" + small[1])


def protoc_encode(message, text):
    return subprocess.run(["protoc", f"--proto_path={root / 'runtime/events'}", f"--encode=admf.proto.{message}",
                           "events.proto"], input=text.encode(), stdout=subprocess.PIPE, check=True).stdout


def cluster_seeds():
    job = (root / "configs/optimize_sma.yaml").read_text().split("optimization:")[0]
    spec = f'protocol_version: 1 job_index: 3 config_yaml: "{job.encode("unicode_escape").decode()}" data_checksum: 1234567'
    save("cluster", b"\x01" + protoc_encode("JobSpec", spec))
    metrics = ('{"final_equity": 91954.3125, "total_return": -0.08, "cagr": -0.23, "sharpe": -0.4, "sortino": -0.56, '
               '"max_drawdown": 0.36, "calmar": -0.63, "win_rate": 0.2, "profit_factor": 0.24, "trades": 5, '
               '"exposure": 0.45, "bars": 79, "cancelled": {}, "rejected": {"cash": 2}, "liquidations": 0, '
               '"open_positions": 1, "unrealized_pnl": 18837.5, "borrow_fees": 0, "dividends": 0, '
               '"ruined": false, "ruined_at": null}')
    escaped = metrics.replace('"', '\\"')
    for choice, text in ((0, f'protocol_version: 1 job_index: 2 metrics_json: "{escaped}"'),
                         (6, f'protocol_version: 1 job_index: 5 stopped: true'),
                         (2, f'protocol_version: 1 job_index: 0 error: "job.yaml:3: data.csv: no such file"')):
        save("cluster", bytes([choice]) + protoc_encode("JobResult", text))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for target in ("csv", "config", "trace", "cluster"):
        shutil.rmtree(corpus / target, ignore_errors=True)
    csv_seeds()
    config_seeds()
    trace_seeds(pathlib.Path(sys.argv[1]).resolve())
    cluster_seeds()


main()

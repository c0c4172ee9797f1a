"""Latency per scenario on both data sets, as a PNG (run with the benchmark venv's matplotlib).

.tools/bench/bin/python benchmarks/plot.py benchmarks/results/latest.json [OUT.png]
"""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLOURS = {"small": ("#9ecae1", "#3182bd"), "big": ("#fdae6b", "#e6550d")}


def plot(results: dict, out: Path) -> None:
    labels, keys = [], []
    for target in ("api", "floor"):
        for name, title in results["scenarios"].items():
            if any(name in data.get(target, {}) for data in results["sets"].values()):
                labels.append(f"floor: {title}" if target == "floor" else title)
                keys.append((target, name))
    sets = list(results["sets"])
    height = 0.8 / max(1, len(sets))
    fig, ax = plt.subplots(figsize=(11, 0.55 * len(labels) + 1.8))
    for index, set_name in enumerate(sets):
        data = results["sets"][set_name]
        seed = data["seed"]
        p50 = [data.get(target, {}).get(name, {}).get("p50_ms", 0) for target, name in keys]
        p99 = [data.get(target, {}).get(name, {}).get("p99_ms", 0) for target, name in keys]
        ys = [row + index * height for row in range(len(keys))]
        light, dark = COLOURS.get(set_name, ("#cccccc", "#666666"))
        label = f"{set_name} ({seed['posts']:,} posts)"
        ax.barh(ys, p99, height=height, color=light, label=f"{label}: p99")
        ax.barh(ys, p50, height=height, color=dark, label=f"{label}: p50")
    ax.set_yticks([row + height * (len(sets) - 1) / 2 for row in range(len(keys))], labels)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms, log scale)")
    options = results["options"]
    ax.set_title(
        f"sns API latency under wrk ({options['connections']} connections, {options['duration_s']} s per scenario)"
        f"\n{results['machine']['cpu']}, {results['machine']['cores']} cores, {results['started_at']}",
        fontsize=10,
    )
    ax.grid(axis="x", which="both", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"[bench] wrote {out}", file=sys.stderr)


def main(argv: list[str]) -> None:
    source = Path(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else source.with_suffix(".png")
    plot(json.loads(source.read_text()), out)


if __name__ == "__main__":
    main(sys.argv[1:])

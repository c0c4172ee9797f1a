"""The Markdown table of a run and its verdict against the issue's targets."""

P99_GROWTH_LIMIT = 1.5  # p99 on the big set / p99 on the small set, for every list
FLOOR_SHARE_TARGET = 0.5  # API req/s / floor req/s, for the floor's twins


def _fmt(value, digits=1):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def _queries(queries: dict | None) -> str:
    if not queries:
        return "-"
    return " / ".join(str(n) for n in queries.values())


def _latency(result: dict) -> str:
    return f"{result['p50_ms']:.1f} / {result['p95_ms']:.1f} / {result['p99_ms']:.1f}"


def rows(results: dict):
    """One row per (scenario, target): the API's scenarios, then the floor's twins."""
    sets = results["sets"]
    for target in ("api", "floor"):
        for name, title in results["scenarios"].items():
            per_set = {set_name: data.get(target, {}).get(name) for set_name, data in sets.items()}
            if any(per_set.values()):
                yield target, name, title, per_set


def verdict(results: dict) -> list[str]:
    sets, failures = results["sets"], []
    for target, name, _title, per_set in rows(results):
        label = f"{target}:{name}"
        for set_name, result in per_set.items():
            if result and result["errors"]:
                failures.append(f"{label} on {set_name}: {result['errors']} errors {result['error_detail']}")
            queries = (result or {}).get("queries") or {}
            if target == "api" and "page_20" in queries and queries["page_20"] != queries["page_100"]:
                failures.append(f"{label} on {set_name}: queries grow with the page size {queries}")
        small, big = per_set.get("small"), per_set.get("big")
        if target == "api" and small and big and small.get("queries", {}).get("page_20") is not None:
            growth = big["p99_ms"] / small["p99_ms"] if small["p99_ms"] else float("inf")
            if growth > P99_GROWTH_LIMIT:
                failures.append(
                    f"{label}: p99 {big['p99_ms']:.1f} ms at 1M posts is {growth:.2f}x its"
                    f" {small['p99_ms']:.1f} ms at 10k (target <= {P99_GROWTH_LIMIT}x)"
                )
    for set_name, data in sets.items():
        for name, floor in (data.get("floor") or {}).items():
            api = data["api"].get(name)
            if api and floor["rps"]:
                share = api["rps"] / floor["rps"]
                if share < FLOOR_SHARE_TARGET:
                    failures.append(
                        f"api:{name} on {set_name}: {api['rps']:.0f} req/s is {share:.0%} of the floor's"
                        f" {floor['rps']:.0f} (target >= {FLOOR_SHARE_TARGET:.0%})"
                    )
    return failures


def markdown(results: dict) -> str:
    sets = list(results["sets"])
    machine, options = results["machine"], results["options"]
    header = ["scenario"]
    for set_name in sets:
        header += [f"{set_name} req/s", f"{set_name} p50/p95/p99 ms"]
    header += ["p99 big/small", "share of floor", "errors", "SQL/request", "worker CPU ms/req", "worker peak RSS MB"]
    lines = [
        f"# Benchmark {results['started_at']}",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB; PostgreSQL"
        f" {machine['postgresql']} (shared_buffers {machine['shared_buffers']}); {machine['wrk']}.",
        f"Load average (1/5/15 min) at start {' '.join(machine['load_at_start'])},"
        f" at end {' '.join(machine.get('load_at_end', []))}.",
        f"wrk: {options['connections']} connections, {options['wrk_threads']} thread(s), {options['duration_s']} s"
        f" per scenario after {options['warmup_s']} s of warm-up; gunicorn: {options['gunicorn']}.",
        "",
    ]
    for set_name, data in results["sets"].items():
        seed = data["seed"]
        lines.append(
            f"- {set_name}: {seed['users']:,} users, {seed['posts']:,} posts ({seed['hidden_posts']:,} hidden),"
            f" {seed['follows']:,} follows, {seed['database_mb']} MB; create_dummy_data took"
            f" {seed['create_dummy_data_s']} s{' (reused)' if seed.get('reused') else ''}."
        )
    lines += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for target, name, title, per_set in rows(results):
        label = f"floor: {title}" if target == "floor" else title
        cells = [label]
        for set_name in sets:
            result = per_set.get(set_name)
            cells += [_fmt(result["rps"]), _latency(result)] if result else ["-", "-"]
        small, big = per_set.get("small"), per_set.get("big")
        growth = f"{big['p99_ms'] / small['p99_ms']:.2f}x" if small and big and small["p99_ms"] else "-"
        shares = []
        for set_name in sets:
            floor = (results["sets"][set_name].get("floor") or {}).get(name)
            result = per_set.get(set_name)
            if target == "api" and floor and result and floor["rps"]:
                shares.append(f"{result['rps'] / floor['rps']:.0%} ({set_name})")
        latest = big or small or next(iter(per_set.values()))
        errors = sum(result["errors"] for result in per_set.values() if result)
        rss = max(result["worker_peak_rss_mb"] for result in per_set.values() if result)
        cpu = " / ".join(_fmt(result.get("worker_cpu_ms_per_request")) for result in per_set.values() if result)
        cells += [growth, ", ".join(shares) or "-", str(errors), _queries(latest.get("queries")), cpu, _fmt(rss)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "SQL/request: lists at page_size 20 / 100 (equal = no N+1), follow / unfollow; the JWT user lookup included.",
        "Worker CPU ms/req: CPU time of the gunicorn workers per request, per data set (robust to a busy machine).",
        "",
    ]
    failures = verdict(results)
    if failures:
        lines += ["Targets missed:", "", *[f"- {failure}" for failure in failures], ""]
    else:
        lines += ["Every target measured here is met.", ""]
    return "\n".join(lines)

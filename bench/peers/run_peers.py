"""sluice against SimPy 4, Ciw and SimFaaS on the same workloads (BENCHMARKS.md, issue 12).

Not part of the tests. bench/peers/setup.sh installs the peers into bench/peers/.venv (git-ignored);
run with that interpreter from the repository's root, after building the release preset:

    bench/peers/setup.sh
    bench/peers/.venv/bin/python bench/peers/run_peers.py [reps]

Workloads (each side simulates the same system; requests per second = arrivals / wall seconds):
  erlang_b   M/M/c/c, c = 20, Poisson 180/s, exponential service 100 ms (bench/models/erlang_b.yaml,
             6 h for sluice and the hand loop; shorter for the Python peers, which are timed on fewer
             arrivals: their rate per arrival does not depend on the duration).
  simfaas    SimFaaS's example workload (bench/models/simfaas_paper.yaml): Poisson 0.9/s, warm
             service exponential 1.991 s, cold 2.244 s, expiry after 600 s idle.
sluice and the hand loop are timed as whole processes; the Python peers inside this interpreter
(their import time excluded), best of `reps` runs each.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SLUICE = os.path.join(ROOT, "build/release/sluice")
HAND = os.path.join(ROOT, "build/release/bench/mmcc_handloop")


def best(reps, fn):
    runs = [fn() for _ in range(reps)]
    return min(runs, key=lambda r: r[1])  # (arrivals, wall_s, extra)


def sluice_run(model):
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        subprocess.run([SLUICE, "run", model, "--quiet", "--out", out], check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        s = json.load(open(os.path.join(out, "summary.json")))
    f = s["components"]["f"]["metrics"]
    arrivals = s["sources"]["clients"]["requests"]
    return arrivals, wall, f"blocking {f['Throttles'] / arrivals:.4f}, cold starts {f['ColdStarts']}"


def hand_run(duration):
    t0 = time.perf_counter()
    out = subprocess.run([HAND, "20", "180", "0.1", str(duration), "1"], check=True, capture_output=True,
                         text=True).stdout
    wall = time.perf_counter() - t0
    parts = out.split()
    return int(parts[1]), wall, f"blocking {float(parts[5]):.4f}"


def simpy_erlang_b(duration, seed=1):
    import simpy

    rng = random.Random(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=20)
    counts = {"arrivals": 0, "blocked": 0}

    def serve(req):
        yield env.timeout(rng.expovariate(10.0))
        servers.release(req)

    def arrivals():
        while True:
            yield env.timeout(rng.expovariate(180.0))
            counts["arrivals"] += 1
            if servers.count >= 20:
                counts["blocked"] += 1
                continue
            req = servers.request()  # granted at once: a server is free
            env.process(serve(req))

    env.process(arrivals())
    t0 = time.perf_counter()
    env.run(until=duration)
    wall = time.perf_counter() - t0
    return counts["arrivals"], wall, f"blocking {counts['blocked'] / counts['arrivals']:.4f}"


def ciw_erlang_b(duration, seed=1):
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=180.0)],
        service_distributions=[ciw.dists.Exponential(rate=10.0)],
        number_of_servers=[20],
        queue_capacities=[0],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    t0 = time.perf_counter()
    sim.simulate_until_max_time(duration)
    wall = time.perf_counter() - t0
    records = sim.get_all_records()
    blocked = sum(1 for r in records if r.record_type == "rejection")
    arrivals = len(records) + len(sim.nodes[1].all_individuals)  # served, rejected, in service at the end
    return arrivals, wall, f"blocking {blocked / max(arrivals, 1):.4f}"


def simfaas_run(max_time, seed=1):
    import numpy as np
    from simfaas.ServerlessSimulator import ServerlessSimulator

    np.random.seed(seed)
    sim = ServerlessSimulator(arrival_rate=0.9, warm_service_rate=1 / 1.991, cold_service_rate=1 / 2.244,
                              expiration_threshold=600, max_time=max_time)
    t0 = time.perf_counter()
    sim.generate_trace(debug_print=False, progress=False)
    wall = time.perf_counter() - t0
    arrivals = sim.total_req_count
    return arrivals, wall, f"cold start probability {sim.get_cold_start_prob():.4f}"


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    rows = []

    def row(workload, name, simulated, result):
        arrivals, wall, note = result
        rows.append((workload, name, simulated, arrivals, wall, arrivals / wall, note))
        rate = arrivals / wall
        print(f"{workload:9} {name:10} {simulated:>10} {arrivals:>10} {wall:8.3f} s {rate:12.0f} req/s",
              f" {note}", flush=True)

    erlang_b_model = os.path.join(ROOT, "bench/models/erlang_b.yaml")
    simfaas_model = os.path.join(ROOT, "bench/models/simfaas_paper.yaml")
    row("erlang_b", "sluice", "6 h", best(reps, lambda: sluice_run(erlang_b_model)))
    row("erlang_b", "hand loop", "6 h", best(reps, lambda: hand_run(21600)))
    row("erlang_b", "SimPy 4", "1 h", best(reps, lambda: simpy_erlang_b(3600)))
    row("erlang_b", "Ciw", "10 min", best(reps, lambda: ciw_erlang_b(600)))
    row("simfaas", "sluice", "1e6 s", best(reps, lambda: sluice_run(simfaas_model)))
    row("simfaas", "SimFaaS", "1e5 s", best(reps, lambda: simfaas_run(1e5)))
    by = {(w, n): r for (w, n, *_), r in zip(rows, rows)}
    print()
    for (w, n), r in by.items():
        ref = by[(w, "sluice")]
        print(f"{w:9} {n:10} sluice is {ref[5] / r[5]:6.2f}x its requests/s")
    print(f"load average: {open('/proc/loadavg').read().split()[:3]}")


if __name__ == "__main__":
    main()

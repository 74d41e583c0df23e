#!/usr/bin/env bash
# Installs the peer simulators bench/peers/run_peers.py compares sluice with, into their own
# environment (bench/peers/.venv, git-ignored): SimPy 4, Ciw and SimFaaS, from PyPI.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv
.venv/bin/pip install -q "simpy==4.1.1" "ciw==3.2.7" "simfaas==0.2.2"
.venv/bin/pip list 2>/dev/null | grep -Ei '^(simpy|ciw|simfaas) '

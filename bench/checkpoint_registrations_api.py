"""The checkpoint registration API under load: gunicorn on this machine, phones on loopback.

    .venv/bin/python bench/checkpoint_registrations_api.py \
        --database-url "postgres://postgres@%2Fvar%2Frun%2Fpostgresql/fk_bench_api"
    .venv/bin/python bench/checkpoint_registrations_api.py --database-url ... --seconds 30

A throwaway database (PostgreSQL from --database-url, created and dropped; SQLite without it)
gets a district of 100 grids, a checkpoint and its staff account with an API token. gunicorn
serves fangkong.wsgi with threaded workers as `fangkong serve` does (--workers, default CPUs +
1, × --worker-threads 3); a second process drives it over loopback with plain http.client
keep-alive connections from a pool of threads, as the phones of a checkpoint would:
POST /api/v1/vehicle-checks/ with an Idempotency-Key, one to three persons a vehicle (valid
ID numbers, most from other provinces, so most persons are pushed to their village; one in
a hundred with a fever, which raises an alert).

Two phases:
1. saturation (--saturation-seconds, default 30): every thread sends as fast as answers come
   back; prints the sustained registrations per second;
2. fixed rate (--rate, default 100 req/s, for --seconds, default 300): requests are sent on a
   schedule whatever the answers do, and each latency runs from the scheduled moment, so a
   server falling behind shows in the figures (no coordinated omission). Prints p50, p95,
   p99 and max latency and the errors (any answer but 201, or a failed connection).

The database URL above reaches PostgreSQL through its Unix socket, as a server on the same
machine would be configured; over TCP loopback every query costs two more system calls.

Afterwards the database must hold exactly one vehicle check per successful request: a
retry is never stored twice. Target (issue 3): p95 < 100 ms and zero errors at 100 req/s
over 5 minutes.
"""

import datetime
import json
import multiprocessing
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import ROOT, bootstrap, district, machine  # noqa: E402

ORIGINS = (
    ("湖北省武汉市武昌区", 0.25),
    ("河南省郑州市", 0.2),
    ("北京市朝阳区", 0.15),
    ("山东省济南市", 0.2),
    ("山东省淄博市临淄区", 0.2),
)


def arguments():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (created, dropped)")
    parser.add_argument("--seconds", type=int, default=300, help="fixed-rate phase length")
    parser.add_argument("--rate", type=float, default=100.0, help="requests a second")
    parser.add_argument("--saturation-seconds", type=int, default=30, help="0 to skip")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) + 1)
    parser.add_argument("--threads", type=int, default=64, help="client threads")
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class")
    parser.add_argument("--worker-threads", type=int, default=3, help="threads a worker")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare():
    """The checkpoint, its staff account and token, the grids to go to."""
    from rest_framework.authtoken.models import Token

    from fangkong.accounts.services import user_create
    from fangkong.checkpoints.services import checkpoint_create
    from fangkong.core.models import Area

    _user, grids = district(towns=5, villages=4, grids=5)
    town = Area.objects.get(code="370305001")
    checkpoint = checkpoint_create(
        actor=None,
        area=town,
        name="基准卡口",
        level=1,
        kind="highway_exit",
        shifts=[("全天", datetime.time(0), datetime.time(23, 59))],
    )
    guard = user_create(
        actor=None,
        username="guard",
        password="Bench-2020-pass!",
        scope=town,
        roles=["checkpoint_staff"],
    )
    checkpoint.staff.add(guard)
    token = Token.objects.create(user=guard).key
    return checkpoint.pk, token, grids


def bodies(count: int, checkpoint: int, grids: list[str], seed: int) -> list[bytes]:
    from fangkong.core.idcard import make_id_number

    rng = random.Random(seed)
    regions = ("420106", "410105", "110105", "370102", "370305")
    out = []
    serial = seed * 1_000_000
    for _ in range(count):
        people = []
        for seat in range(rng.choice((1, 1, 2, 2, 3))):
            serial += 1
            origin = rng.choices([o for o, _w in ORIGINS], [w for _o, w in ORIGINS])[0]
            birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=serial % 20000)
            people.append(
                {
                    "name": f"旅客{serial % 100000}",
                    "id_number": make_id_number(rng.choice(regions), birth, serial % 997),
                    "phone": f"139{serial % 100000000:08d}",
                    "is_driver": seat == 0,
                    "origin": origin,
                    "temperature": 38.2 if rng.random() < 0.01 else 36.0 + rng.randrange(10) / 10,
                    "notice_given": True,
                    "destination_area": rng.choice(grids),
                    "outcome": "pass",
                }
            )
        plate = f"鲁C{serial % 100000:05d}"
        body = {"checkpoint": checkpoint, "plate": plate, "vehicle_kind": "car"}
        body["occupants"] = people
        out.append(json.dumps(body, ensure_ascii=False).encode())
    return out


# -- the load generator (runs in its own process) ---------------------------------------------


def _send(conn_box, port, token, body):
    import http.client

    conn = conn_box[0]
    if conn is not None and conn.sock is not None and _dropped(conn.sock):
        # The server closed this idle keep-alive connection: open a new one before sending,
        # as HTTP client libraries do (urllib3's is_connection_dropped), not after a failure.
        conn.close()
        conn = None
    if conn is None:
        conn = conn_box[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Token {token}",
        "Idempotency-Key": uuid.uuid4().hex,
    }
    try:
        conn.request("POST", "/api/v1/vehicle-checks/", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn_box[0] = None
        return response.status
    except (OSError, http.client.HTTPException):
        conn.close()
        conn_box[0] = None
        return 0


def _dropped(sock) -> bool:
    import select

    readable, _w, _x = select.select([sock], [], [], 0)
    return bool(readable)  # an idle connection with something to read was closed


def _saturate(port, token, payloads, seconds, threads, out):
    stop = time.perf_counter() + seconds
    lock = threading.Lock()
    counter = iter(range(len(payloads)))
    done, errors = [0], [0]

    def worker():
        box = [None]
        while time.perf_counter() < stop:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            status = _send(box, port, token, payloads[index])
            with lock:
                done[0] += status == 201
                errors[0] += status != 201

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put({"ok": done[0], "errors": errors[0], "seconds": time.perf_counter() - started})


def _fixed_rate(port, token, payloads, seconds, rate, threads, out):
    jobs: queue.Queue = queue.Queue()
    results = []
    lock = threading.Lock()

    def worker():
        box = [None]
        while True:
            item = jobs.get()
            if item is None:
                return
            index, scheduled = item
            status = _send(box, port, token, payloads[index])
            finished = time.perf_counter()
            with lock:
                results.append((status, finished - scheduled))

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    total = min(int(seconds * rate), len(payloads))
    start = time.perf_counter() + 0.5
    for index in range(total):
        scheduled = start + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        jobs.put((index, scheduled))
    for _ in pool:
        jobs.put(None)
    for thread in pool:
        thread.join()
    latencies = sorted(latency for _status, latency in results)
    ok = sum(1 for status, _latency in results if status == 201)

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    out.put(
        {
            "sent": total,
            "ok": ok,
            "errors": total - ok,
            "seconds": time.perf_counter() - start,
            "p50": pct(0.50),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "max": latencies[-1] * 1000,
        }
    )


def run_in_process(target, *args):
    out = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(target=target, args=(*args, out))
    process.start()
    result = out.get()
    process.join()
    return result


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")


def main():
    args = arguments()
    label = bootstrap(args.database_url)
    checkpoint, token, grids = prepare()
    saturation_count = int(args.saturation_seconds * 600)
    fixed_count = int(args.seconds * args.rate) + 10
    server = f"{args.workers} {args.worker_class} workers × {args.worker_threads} threads"
    print(f"{label}; {machine()}; gunicorn {server}", flush=True)
    print("preparing request bodies …", flush=True)
    saturation_bodies = bodies(saturation_count, checkpoint, grids, seed=1)
    fixed_bodies = bodies(fixed_count, checkpoint, grids, seed=2)
    from django.db import connections

    connections.close_all()
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "fangkong.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.worker_threads),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=str(ROOT),
    )
    try:
        wait_for(port)
        # Warm every worker (imports, first connection) before measuring.
        run_in_process(_saturate, port, token, bodies(200, checkpoint, grids, 3), 5, 8)
        if args.saturation_seconds:
            result = run_in_process(
                _saturate,
                port,
                token,
                saturation_bodies,
                args.saturation_seconds,
                args.threads // 4 or 1,
            )
            print(
                f"saturation: {result['ok'] / result['seconds']:.0f} registrations/s sustained "
                f"over {result['seconds']:.0f} s "
                f"({result['ok']} stored, {result['errors']} errors)",
                flush=True,
            )
        result = run_in_process(
            _fixed_rate, port, token, fixed_bodies, args.seconds, args.rate, args.threads
        )
        print(
            f"fixed rate {args.rate:.0f} req/s for {result['seconds']:.0f} s: "
            f"{result['sent']} sent, {result['ok']} stored, {result['errors']} errors; "
            f"latency p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
            f"p99 {result['p99']:.1f} ms, max {result['max']:.1f} ms",
            flush=True,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    from fangkong.checkpoints.models import Registration, VehicleCheck
    from fangkong.ledger.models import Push

    print(
        f"stored: {VehicleCheck.objects.count()} vehicle checks, "
        f"{Registration.objects.count()} persons, {Push.objects.count()} pushes",
        flush=True,
    )


if __name__ == "__main__":
    main()

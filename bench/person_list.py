"""Person list page and search by full ID number: small district vs large district.

Issue 2 asks that, between a district of 20 000 and one of 600 000 persons, the number of
queries stays the same and the time grows at most 2x. Each size is loaded into its own
throwaway data folder (or PostgreSQL database, when DATABASE_URL is set) by a child process,
because Django's settings are fixed per process.

    .venv/bin/python bench/person_list.py                 # 20 000 vs 600 000, SQLite
    .venv/bin/python bench/person_list.py 2000 60000      # quicker
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/person_list.py
    (with DATABASE_URL, databases <name>_<size> are created and dropped)
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 30


def child(persons: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from fangkong.accounts.models import User
    from fangkong.core import pii
    from fangkong.demo.services import demo_load
    from fangkong.people.models import Person

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo_load(persons=persons, stdout=None)
    load_seconds = time.perf_counter() - started
    connection.close()

    command = User.objects.get(username="command")
    # A person from the middle of the district, so the search is not helped by the ordering.
    target = Person.objects.order_by("id")[persons // 2]
    full_id = pii.decrypt(target.id_number_encrypted)
    client = Client()
    client.force_login(command)

    def measure(url: str) -> tuple[float, int]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return statistics.median(timings) * 1000, len(queries), response

    list_ms, list_queries, _ = measure("/people/persons/")
    search_ms, search_queries, response = measure(f"/people/persons/?q={full_id}")
    assert target.name in response.content.decode(), "search by ID did not find the person"
    return {
        "persons": persons,
        "load_s": round(load_seconds, 1),
        "list_ms": round(list_ms, 2),
        "list_queries": list_queries,
        "search_ms": round(search_ms, 2),
        "search_queries": search_queries,
    }


def run_size(persons: int) -> dict:
    env = dict(os.environ)
    database_url = env.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix=f"fangkong-bench-{persons}-") as home:
        env["FANGKONG_HOME"] = home
        env["FANGKONG_ENV"] = "development"
        if database_url:
            base, _, name = database_url.rpartition("/")
            db = f"{name}_{persons}"
            env["DATABASE_URL"] = f"{base}/{db}"
            psql(base, f"DROP DATABASE IF EXISTS {db}")
            psql(base, f"CREATE DATABASE {db}")
        try:
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(persons)],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        finally:
            if database_url:
                psql(base, f"DROP DATABASE IF EXISTS {db}")
    return json.loads(out.strip().splitlines()[-1])


def psql(base: str, sql: str) -> None:
    subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True, capture_output=True)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(child(int(argv[1]))))
        return
    small, large = (int(a) for a in (argv or ["20000", "600000"]))
    backend = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print(f"person list and ID search, {backend}, median of {REPEAT} requests")
    results = [run_size(small), run_size(large)]
    for r in results:
        print(
            f"  {r['persons']:>7} persons (loaded in {r['load_s']} s): "
            f"list {r['list_ms']} ms / {r['list_queries']} queries, "
            f"search by ID {r['search_ms']} ms / {r['search_queries']} queries"
        )
    a, b = results
    print(
        f"  ratio large/small: list {b['list_ms'] / a['list_ms']:.2f}x, "
        f"search {b['search_ms'] / a['search_ms']:.2f}x (target <= 2); queries equal: "
        f"{a['list_queries'] == b['list_queries'] and a['search_queries'] == b['search_queries']}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])

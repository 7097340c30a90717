"""Running the same work in several threads at once, for race tests."""

import threading
from collections.abc import Callable

from django.db import connection


def run_at_once(work: Callable[[], object], count: int, *, timeout: float = 60) -> list:
    """Run *work* in *count* threads released together by a barrier, each on
    its own database connection, and return their results. An exception in
    any thread fails the caller's test."""
    barrier = threading.Barrier(count)
    results, errors = [], []
    guard = threading.Lock()

    def run():
        try:
            barrier.wait(timeout)
            result = work()
            with guard:
                results.append(result)
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            with guard:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not errors, errors
    assert len(results) == count, f"{count - len(results)} thread(s) did not finish in {timeout} s"
    return results

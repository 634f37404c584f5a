"""Run the fake E-utilities until Ctrl-C: ``python -m tests.fakencbi --port 8766 --records 1000``."""

import argparse
import contextlib
import threading

from tests.fakencbi.server import FakeNCBI


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakencbi", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--rate", type=int, default=3, help="requests a second without an API key")
    parser.add_argument("--key-rate", type=int, default=10, help="requests a second with an API key")
    parser.add_argument("--latency", type=float, nargs=2, metavar=("LO", "HI"), help="seconds per request")
    parser.add_argument("--records", type=int, default=0, help="synthetic records, PMIDs 90000001 …")
    options = parser.parse_args(argv)
    server = FakeNCBI(
        rate=options.rate,
        key_rate=options.key_rate,
        latency=tuple(options.latency) if options.latency else None,
        host=options.host,
        port=options.port,
    )
    server.add_records(options.records)
    with server:
        print(server.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    started = [request.started for request in server.requests] or [0.0]
    print(
        f"{len(server.requests)} requests, {server.violations} over the limit, at most {server.max_in_flight} in "
        f"flight, first at {min(started):.3f}, last at {max(started):.3f} (time.monotonic())"
    )


if __name__ == "__main__":
    main()

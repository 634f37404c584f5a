"""Run the fake Crossref until Ctrl-C: ``python -m tests.fakecrossref --port 8765 --rate 10 --works 1000``."""

import argparse
import contextlib
import threading

from tests.fakecrossref.server import FakeCrossref


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.fakecrossref", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--rate", type=int, help="requests admitted per interval")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds")
    parser.add_argument("--concurrency", type=int, help="requests processed at once")
    parser.add_argument("--latency", type=float, nargs=2, metavar=("LO", "HI"), help="seconds per request")
    parser.add_argument("--works", type=int, default=0, help="synthetic works 10.5555/bench.1 … N")
    parser.add_argument("--legacy-headers", action="store_true", help="announce x-ratelimit-* instead")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    options = parse_arguments(argv)
    server = FakeCrossref(
        rate_limit=options.rate,
        interval=options.interval,
        concurrency_limit=options.concurrency,
        latency=tuple(options.latency) if options.latency else None,
        legacy_headers=options.legacy_headers,
        host=options.host,
        port=options.port,
    )
    server.add_works(options.works)
    with server:
        print(server.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    print(
        f"{len(server.requests)} requests, {server.violations} refused by limits, "
        f"at most {server.max_in_flight} in flight"
    )


if __name__ == "__main__":
    main()

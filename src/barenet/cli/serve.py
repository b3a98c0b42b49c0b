"""`barenet serve`: the drawing page, with live recognition as you draw.

    barenet serve MODEL [--host HOST] [--port PORT] [--open]

Serves `barenet.web` on http://127.0.0.1:8000/ by default: only this computer can reach it.
`--host 0.0.0.0` makes the page reachable from the network (a warning says so); `--port 0`
picks a free port. The URL is printed once the server listens; Ctrl-C stops it (exit status 0).
Only requests that name this server in their Host header (its address, localhost, the --host
given) and, from a browser, come from its own page (Origin) are answered: another site cannot
reach the API by rebinding its DNS name to 127.0.0.1 (see `barenet.web.guard`).
"""

from __future__ import annotations

import argparse
from typing import Any

from barenet.cli import summary
from barenet.i18n import _

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet serve` and its flags."""
    parser = subparsers.add_parser(
        "serve",
        help=summary("serve"),
        description=_("Serve a page where you draw a digit with the mouse, a finger or a pen and "
                      "see the model's probabilities, the 28×28 image it reads and a saliency map, "
                      "live."),
    )
    parser.add_argument("model", metavar="MODEL", help=_("a model file written by `barenet train`"))
    parser.add_argument("--host", default="127.0.0.1",
                        help=_("address to listen on (default: 127.0.0.1, this computer only; "
                               "0.0.0.0 makes the page reachable from the network)"))
    parser.add_argument("--port", type=int, default=8000,
                        help=_("port to listen on (default: 8000; 0 picks a free one)"))
    parser.add_argument("--open", action="store_true", help=_("open the page in the web browser"))
    return parser


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from barenet.cli import error
    from barenet.saving import modelfile
    from barenet.web.server import make_server

    if not 0 <= args.port <= 65535:
        error(_("--port {port} is not a port number: use 0–65535 (0 picks a free port)").format(
            port=args.port))
        return 2
    trained = modelfile.load(args.model)
    try:
        server = make_server(trained, args.host, args.port, model_name=Path(args.model).name)
    except OSError as exc:
        error(_("cannot listen on {host}:{port} ({reason}); choose another --port (0 picks a free "
                "one) or --host").format(host=args.host, port=args.port, reason=exc.strerror or exc))
        return 1
    if args.host not in LOOPBACK:
        print(_("barenet: warning: listening on {host}: the page and its API are reachable from "
                "the network, without any password").format(host=args.host), file=sys.stderr)
    print(_("barenet: serving {model} on {url}  (Ctrl-C to stop)").format(model=args.model,
                                                                          url=server.url), flush=True)
    if args.open:
        import threading
        import webbrowser

        threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
    import signal

    def stop(signum, frame):  # `kill` (SIGTERM) stops as cleanly as Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\n" + _("barenet: stopped"), flush=True)
    finally:
        server.server_close()
    return 0

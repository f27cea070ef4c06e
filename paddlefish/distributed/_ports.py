"""Free TCP ports on this host for a one-host job's endpoints."""

from __future__ import annotations

import contextlib
import socket

__all__ = ["free_endpoints"]


def free_endpoints(n: int, host: str = "127.0.0.1", start_port: int | None = None) -> list[str]:
    """``n`` endpoints ``host:port``: consecutive from ``start_port``, or ports the OS says are
    free now (another process may still take one before the job binds it; the job then fails
    at rendezvous with the port in its message)."""
    if start_port is not None:
        return [f"{host}:{start_port + i}" for i in range(n)]
    socks = []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, 0))
            socks.append(s)
        return [f"{host}:{s.getsockname()[1]}" for s in socks]
    finally:
        for s in socks:
            with contextlib.suppress(OSError):
                s.close()

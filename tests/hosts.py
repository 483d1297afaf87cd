"""This machine's addresses, for tests of the chat served beyond loopback."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import subprocess


def machine_address() -> str | None:
    """This machine's own IPv4 address that is not loopback, if it has one."""
    try:
        listed = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=10).stdout.split()
    except (OSError, subprocess.SubprocessError):
        listed = []
    with contextlib.suppress(OSError):  # where `hostname -I` is missing: what the machine's name resolves to
        listed += socket.gethostbyname_ex(socket.gethostname())[2]
    for address in listed:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            continue
        if ip.version == 4 and not ip.is_loopback and not ip.is_link_local:
            try:
                with socket.socket() as probe:
                    probe.bind((address, 0))
            except OSError:
                continue
            return address
    return None

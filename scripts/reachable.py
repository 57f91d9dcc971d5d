"""Exit 0 when a TCP connection to HOST:PORT succeeds within a second, else 1."""

import socket
import sys

host, _, port = sys.argv[1].rpartition(":")
try:
    socket.create_connection((host, int(port)), timeout=1).close()
except OSError:
    sys.exit(1)

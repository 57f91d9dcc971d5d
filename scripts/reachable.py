"""Exit 0 when a TCP connection to HOST:PORT succeeds within a second, else 1."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file

from scripts.processes import port_open

host, _, port = sys.argv[1].rpartition(":")
sys.exit(0 if port_open(host, int(port)) else 1)

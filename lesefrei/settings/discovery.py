"""Settings of lesefrei.discovery, read from the environment like the rest (see README)."""

"""Settings of lesefrei.support, read from the environment like the rest (see README)."""

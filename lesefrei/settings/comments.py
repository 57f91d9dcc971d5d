"""Settings of lesefrei.comments, read from the environment like the rest (see README)."""

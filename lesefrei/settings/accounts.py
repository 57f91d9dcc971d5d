"""Settings of lesefrei.accounts, read from the environment like the rest (see README)."""

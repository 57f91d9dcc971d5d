"""Developer tooling run from the checkout (not part of the shipped app): the audit, the
production profile, nginx's config generator and `processes`, the one place that starts
and stops the servers the audit, the benchmark and the integration tests need."""

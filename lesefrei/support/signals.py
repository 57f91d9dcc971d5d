"""Signals other parts may listen to (page caches, the frontend cache): decoupled side
effects only, never business rules."""

from django.dispatch import Signal

# Sent after a commit that changed the campaign figure (a pledge started, paused,
# resumed or ended). Page caches that hold the support box can purge on it.
campaign_progress_changed = Signal()

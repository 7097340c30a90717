"""Court services' use cases, one module per area. Views and API handlers
call these; each takes an :class:`~lvshi.core.actor.Actor`."""

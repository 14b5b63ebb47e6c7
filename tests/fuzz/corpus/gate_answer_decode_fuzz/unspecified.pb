
gate-3
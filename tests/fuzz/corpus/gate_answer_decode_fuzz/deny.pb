
gate-2no
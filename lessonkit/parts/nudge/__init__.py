"""The nudge part: a point slides along f, a nudge triangle shrinks, Δf/Δa meets f'(a)."""

"""The computation-graph kind: nodes computed from inputs, the nudge flowing forward and
the derivative flowing back (the lecture after this one)."""

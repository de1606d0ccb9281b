"""Pure math (no Manim): exact numbers, the function registry, expressions, difference
quotients, frame geometry, colour and loudness measures."""

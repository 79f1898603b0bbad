"""Layer 4, the lesson widgets: one module per interactive figure, named after what it shows.

Each builds its controls, asks :mod:`widgets.pharmacology` for numbers and :mod:`widgets.display`
to draw them. No lesson widget imports another (tests/test_architecture.py)."""
